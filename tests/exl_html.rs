//! Experience League's real shapes, in small fixtures of our own (`tests/fixtures/exl-html/`):
//! an access table in raw HTML, release notes with badges, a comment with blank lines in a
//! table cell, collapsibles after list items, snippets on lazy lines, slugs authors link to,
//! and an exl-id used twice in every locale. Built with the real binary, in en, nl, fr and it.

mod common;

use common::{assert_links_resolve, main_of, Site};

const LOCALES: [&str; 4] = ["en", "nl", "fr", "it"];

fn build() -> Site {
    let site = Site::new();
    common::copy_tree(&common::fixtures().join("exl-html"), site.root());
    site.run(&["build", "--out", "out"]).success();
    site
}

fn page(site: &Site, locale: &str, url: &str) -> String {
    main_of(&site.read(&format!("out/{locale}/{url}index.html"))).to_owned()
}

#[test]
fn pages_snapshot_in_french() {
    let site = build();
    for url in [
        "access/",
        "notes/release-notes/",
        "comment/",
        "collapsibles/",
    ] {
        let name = format!("fr_{}", url.trim_end_matches('/').replace('/', "_"));
        insta::assert_snapshot!(name, page(&site, "fr", url));
    }
    assert_links_resolve(&site.path("out"));
}

#[test]
fn access_table_in_raw_html_is_exl() {
    let site = build();
    for locale in LOCALES {
        let html = page(&site, locale, "access/");
        assert!(!html.contains("[!"), "{locale}: {html}");
        assert!(
            html.contains("<span class=\"uicontrol\">Copy <span translate=\"no\">Workfront</span> link</span>"),
            "{locale}: {html}"
        );
        assert!(
            html.contains("<a href=\"../other/#access-levels\">"),
            "{locale}: {html}"
        );
        assert!(
            html.contains("<a href=\"../notes/release-notes/\">"),
            "{locale}: {html}"
        );
        assert!(
            html.contains("<img src=\"../assets/lock.png\" width=\"16\">"),
            "{locale}: {html}"
        );
        // The markdown image after the table, with `{width= »16 »}` in fr.
        assert!(
            html.contains(
                "<img src=\"../assets/lock.png\" alt=\"lock\" width=\"16\" loading=\"lazy\">"
            ),
            "{locale}: {html}"
        );
        assert!(
            html.contains("<td style=\"width: 40%; background-color: #E5E4E2\">"),
            "{locale}: {html}"
        );
        assert!(!html.contains("position"), "{locale}: {html}");
        assert!(
            html.contains("<table style=\"table-layout: auto\">"),
            "{locale}: {html}"
        );
    }
    let en = page(&site, "en", "access/");
    assert!(
        en.contains("<h2 id=\"edit-a-record-from-the-records-page\">"),
        "{en}"
    );
    assert!(
        en.contains("href=\"#edit-a-record-from-the-records-page\""),
        "{en}"
    );
}

#[test]
fn release_notes_keep_badges_and_line_breaks() {
    let site = build();
    for locale in LOCALES {
        let html = page(&site, locale, "notes/release-notes/");
        assert!(
            !html.contains("[!") && !html.contains("{type"),
            "{locale}: {html}"
        );
        // Written by tolk: only the blocks around raw HTML go through the sanitizer.
        assert!(html.contains(": June 12<br />\n"), "{locale}: {html}");
        assert_eq!(
            html.matches("class=\"badge\"").count(),
            3,
            "{locale}: {html}"
        );
        assert!(
            html.contains(
                "<span class=\"badge\" data-type=\"informative\" title=\"Beta\">Beta</span>"
            ),
            "{locale}: {html}"
        );
        assert!(
            html.contains("<a href=\"../../access/\">"),
            "{locale}: {html}"
        );
        assert!(
            html.contains("<span class=\"preview\">"),
            "{locale}: {html}"
        );
    }
    let en = page(&site, "en", "notes/release-notes/");
    assert!(en.contains("<h2 id=\"plan--execute\">"), "{en}");
    assert!(en.contains("<h2 id=\"workfront--jira\">"), "{en}");
}

#[test]
fn a_comment_with_blank_lines_in_a_cell_hides_nothing_after_it() {
    let site = build();
    for locale in LOCALES {
        let html = page(&site, locale, "comment/");
        assert!(!html.contains("Not a heading"), "{locale}: {html}");
        assert!(!html.contains("Not a callout"), "{locale}: {html}");
        assert_eq!(html.matches("<h2 ").count(), 2, "{locale}: {html}");
        assert_eq!(html.matches("data-callout=").count(), 1, "{locale}: {html}");
        assert!(
            html.contains("<span class=\"uicontrol\">"),
            "{locale}: {html}"
        );
    }
    let en = page(&site, "en", "comment/");
    assert!(en.contains("<h2 id=\"create--edit-a-project\">"), "{en}");
}

#[test]
fn collapsibles_close_after_list_items_and_snippets_expand_on_lazy_lines() {
    let site = build();
    for locale in LOCALES {
        let html = page(&site, locale, "collapsibles/");
        assert!(
            !html.contains("+++") && !html.contains("{{"),
            "{locale}: {html}"
        );
        assert_eq!(html.matches("<details").count(), 3, "{locale}: {html}");
        assert_eq!(html.matches("</details>").count(), 3, "{locale}: {html}");
        // The steps collapsible ends after its list; the next two do not nest in it.
        assert!(
            html.contains("</ol>\n</div></details>\n<details"),
            "{locale}: {html}"
        );
        // The snippet on the lazy line of the list item is a callout inside that item.
        let item = html.split("<ul>").nth(1).unwrap_or_default();
        assert!(
            item.split("</ul>")
                .next()
                .unwrap_or_default()
                .contains("data-callout=\"note\""),
            "{locale}: {html}"
        );
    }
}

#[test]
fn the_switcher_pairs_a_duplicated_exl_id_by_path() {
    let site = build();
    for locale in LOCALES {
        let html = site.read(&format!("out/{locale}/dup-two/index.html"));
        for other in LOCALES.iter().filter(|o| **o != locale) {
            assert!(
                html.contains(&format!("href=\"../../{other}/dup-two/\"")),
                "{locale} -> {other}: {html}"
            );
            assert!(
                !html.contains(&format!("href=\"../../{other}/dup-one/\"")),
                "{locale} -> {other}"
            );
        }
    }
}

#[test]
fn the_check_reports_broken_links_in_raw_html_with_their_position() {
    let site = Site::new();
    common::copy_tree(&common::fixtures().join("exl-html"), site.root());
    site.file(
        "content/nl/other.md",
        "---\ntitle: Ander\nexl-id: a0000000-0000-4000-8000-000000000005\n---\n\n# Ander\n\n<table><tr><td><a href=\"gone.md\">weg</a></td></tr></table>\n",
    );
    let run = site.run(&["check"]);
    let output = format!("{}{}", run.stdout, run.stderr);
    assert!(
        output.contains("the link `gone.md` leads to gone.md, which does not exist in nl"),
        "{output}"
    );
    assert!(output.contains("content/nl/other.md:8:25"), "{output}");
}

#[test]
fn heading_attributes_outside_the_allow_list_are_dropped_with_a_warning() {
    let site = Site::new();
    common::copy_tree(&common::fixtures().join("exl-html"), site.root());
    site.file(
        "content/nl/other.md",
        "---\ntitle: Ander\nexl-id: a0000000-0000-4000-8000-000000000005\n---\n\n# Ander\n\n## Kop {#k tabindex=0 autofocus=autofocus onfocus=alert(document.domain)}\n",
    );
    let run = site.run(&["build", "--out", "out"]);
    run.success().stderr_has(
        "content/nl/other.md:8:1: attribute `onfocus` on a heading is not allowed and was dropped",
    );
    let html = site.read("out/nl/other/index.html");
    assert!(html.contains("<h2 id=\"k\">Kop"), "{html}");
    assert!(
        !html.contains("onfocus") && !html.contains("autofocus"),
        "{html}"
    );
}
