//! The localized site around the articles: navigation, language links, banners and notices,
//! borrowed translations, sitemap, status page.

mod common;

use common::{main_of, Site, SEED_PATH};

const ID_A: &str = "11111111-1111-4111-8111-111111111111";
const ID_B: &str = "22222222-2222-4222-8222-222222222222";
const COMMIT: &str = "b4b45bbc8bb68dbac35488c1777fca85fa0cc7e3";
const OTHER_COMMIT: &str = "0000000000000000000000000000000000000000";

fn article(title: &str, id: &str, commit: &str, ht: u8, body: &str) -> String {
    format!(
        "---\ntitle: {title}\nexl-id: {id}\nsource-git-commit: {commit}\nworkflow-type: tm+mt\nsource-wordcount: '10'\nht-degree: {ht}%\n---\n\n# {title}\n\n{body}\n"
    )
}

/// nl has two articles, fr only the first; fr's copy of it is from an older source commit.
fn two_locale_site(extra_config: &str) -> Site {
    let site = Site::new();
    site.file(
        "tolk.toml",
        &format!("title = \"Hulp\"\nbase-url = \"https://help.example.com/docs/\"\n\n[[locales]]\ncode = \"nl\"\n\n[[locales]]\ncode = \"fr\"\n{extra_config}"),
    )
    .file("content/nl/kb/a.md", &article("Artikel A", ID_A, COMMIT, 0, "Tekst."))
    .file("content/nl/kb/b.md", &article("Artikel B", ID_B, COMMIT, 80, "Meer tekst."))
    .file("content/fr/kb/a.md", &article("Article A", ID_A, OTHER_COMMIT, 90, "Texte."))
    .file("content/nl/kb/TOC.md", "# Kennisbank {#kb}\n\n+ Problemen {#problems}\n   + [Artikel A](a.md)\n   + [Artikel B](b.md)\n");
    site
}

#[test]
fn language_links_canonical_and_sitemap() {
    let site = two_locale_site("");
    site.run(&["build"]).success();
    let a = site.read("public/nl/kb/a/index.html");
    assert!(
        a.contains("<link rel=\"canonical\" href=\"https://help.example.com/docs/nl/kb/a/\">"),
        "{a}"
    );
    assert!(a.contains(
        "<link rel=\"alternate\" hreflang=\"nl\" href=\"https://help.example.com/docs/nl/kb/a/\">"
    ));
    assert!(a.contains(
        "<link rel=\"alternate\" hreflang=\"fr\" href=\"https://help.example.com/docs/fr/kb/a/\">"
    ));
    assert!(a.contains("<link rel=\"alternate\" hreflang=\"x-default\" href=\"https://help.example.com/docs/nl/kb/a/\">"));
    assert!(a.contains("<a href=\"../../../fr/kb/a/\" hreflang=\"fr\" lang=\"fr\" data-locale=\"fr\">Français</a>"), "{a}");
    let b = site.read("public/nl/kb/b/index.html");
    assert!(
        !b.contains("data-locale=\"fr\""),
        "no switcher entry for a locale without the article"
    );
    assert!(!b.contains("hreflang=\"fr\""));
    let sitemap = site.read("public/sitemap.xml");
    assert!(sitemap.contains("<url><loc>https://help.example.com/docs/nl/kb/a/</loc><xhtml:link rel=\"alternate\" hreflang=\"nl\" href=\"https://help.example.com/docs/nl/kb/a/\"/><xhtml:link rel=\"alternate\" hreflang=\"fr\" href=\"https://help.example.com/docs/fr/kb/a/\"/></url>"), "{sitemap}");
    assert!(sitemap.contains("<url><loc>https://help.example.com/docs/nl/kb/b/</loc></url>"));
    assert_eq!(
        site.read("public/robots.txt"),
        "User-agent: *\nAllow: /\nSitemap: https://help.example.com/docs/sitemap.xml\n"
    );
    let not_found = site.read("public/nl/404.html");
    assert!(
        not_found.contains("href=\"/docs/static/tolk.css\""),
        "404 pages link from the base path: {not_found}"
    );
}

#[test]
fn navigation_from_the_toc() {
    let site = two_locale_site("");
    site.run(&["build"]).success();
    let home = site.read("public/nl/index.html");
    assert!(home.contains("<li id=\"problems\"><details open><summary><span class=\"nav-section\">Problemen</span></summary><ul><li><a href=\"kb/a/\">Artikel A</a></li><li><a href=\"kb/b/\">Artikel B</a></li></ul></details></li>"), "{home}");
    let a = site.read("public/nl/kb/a/index.html");
    assert!(a.contains("<li><a href=\"../../\">Start</a></li><li><a href=\"../../#kb\">Kennisbank</a></li><li><a href=\"../../#problems\">Problemen</a></li>"), "{a}");
    assert!(a.contains("<a class=\"pager-next\" rel=\"next\" href=\"../b/\"><span>Volgende</span>Artikel B</a>"), "{a}");
    assert!(!a.contains("pager-prev"));
    assert!(a.contains("data-nav=\"../../nav.html\""));
    let nav = site.read("public/nl/nav.html");
    assert!(nav.contains("<a href=\"kb/a/\">Artikel A</a>"), "{nav}");
    // fr has no TOC: its articles are grouped by navigation topic, else listed.
    let fr_home = site.read("public/fr/index.html");
    assert!(
        fr_home.contains("<a href=\"kb/a/\">Article A</a>"),
        "{fr_home}"
    );
}

#[test]
fn machine_translation_banner_below_the_threshold() {
    let site = two_locale_site("\n[site]\nmachine-translation-threshold = 85\n");
    site.run(&["build"]).success();
    let banner = "data-notice=\"machine-translation\"";
    assert!(
        site.read("public/nl/kb/a/index.html").contains(banner),
        "0% < 85%"
    );
    assert!(
        site.read("public/nl/kb/b/index.html").contains(banner),
        "80% < 85%"
    );
    assert!(
        !site.read("public/fr/kb/a/index.html").contains(banner),
        "90% >= 85%"
    );
    let nl = site.read("public/nl/kb/a/index.html");
    assert!(
        main_of(&nl)
            .contains("Dit artikel is machinaal vertaald; 0% ervan is door mensen nagekeken."),
        "{nl}"
    );
}

#[test]
fn out_of_date_translations_carry_a_notice() {
    let site = two_locale_site("");
    site.file(
        "content/nl/kb/c.md",
        &article(
            "Artikel C",
            "33333333-3333-4333-8333-333333333333",
            COMMIT,
            0,
            "C.",
        ),
    );
    // A third locale makes the majority: fr is the odd one out on source-git-commit.
    let config = site.read("tolk.toml") + "\n[[locales]]\ncode = \"it\"\n";
    site.file("tolk.toml", &config).file(
        "content/it/kb/a.md",
        &article("Articolo A", ID_A, COMMIT, 0, "Testo."),
    );
    site.run(&["build"]).success();
    let notice = "data-notice=\"outdated\"";
    assert!(site.read("public/fr/kb/a/index.html").contains(notice));
    assert!(!site.read("public/nl/kb/a/index.html").contains(notice));
    assert!(!site.read("public/it/kb/a/index.html").contains(notice));
    // Without the checks there is nothing to go on.
    site.run(&["build", "--no-check"]).success();
    assert!(!site.read("public/fr/kb/a/index.html").contains(notice));
}

#[test]
fn missing_translations_are_left_out_or_borrowed() {
    let site = two_locale_site("");
    site.run(&["build"]).success();
    assert!(
        !site.path("public/fr/kb/b/index.html").exists(),
        "omitted by default"
    );

    let site = two_locale_site("\n[site]\nmissing-translations = \"fallback\"\n");
    site.run(&["build"])
        .success()
        .stdout_has("Built 3 articles (nl 2, fr 1)");
    let borrowed = site.read("public/fr/kb/b/index.html");
    assert!(borrowed.contains("<html lang=\"fr\">"));
    assert!(
        borrowed.contains("<article class=\"article\" lang=\"nl\">"),
        "{borrowed}"
    );
    assert!(borrowed.contains("Cet article n’est pas encore disponible dans votre langue ; il est affiché en Nederlands."), "{borrowed}");
    assert!(borrowed.contains("Meer tekst."));
    assert!(!borrowed.contains("data-notice=\"machine-translation\""));
    // Search engines are sent to the lender's page and do not index the borrowed one.
    assert!(
        borrowed
            .contains("<link rel=\"canonical\" href=\"https://help.example.com/docs/nl/kb/b/\">"),
        "{borrowed}"
    );
    assert!(borrowed.contains("<meta name=\"robots\" content=\"noindex\">"));
    assert!(
        !borrowed.contains("<link rel=\"alternate\" hreflang="),
        "{borrowed}"
    );
    let sitemap = site.read("public/sitemap.xml");
    assert!(sitemap.contains("nl/kb/b/"), "{sitemap}");
    assert!(!sitemap.contains("fr/kb/b/"), "{sitemap}");
    // The French article of its own is indexed as before.
    let own = site.read("public/fr/kb/a/index.html");
    assert!(!own.contains("noindex"));
    assert!(own.contains("<link rel=\"alternate\" hreflang="));
}

#[test]
fn status_page_and_json() {
    let site = two_locale_site("");
    site.run(&["build"]).success();
    let status = site.read("public/status/index.html");
    assert!(
        status.contains("<th scope=\"row\">kb/a.md</th>"),
        "{status}"
    );
    assert!(status.contains("data-state=\"missing\""), "fr lacks b");
    let json: serde_json::Value =
        serde_json::from_str(&site.read("public/status.json")).expect("status.json is JSON");
    assert_eq!(json["version"], 1);
    let rules: Vec<&str> = json["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert!(rules.contains(&"missing-translation"), "{rules:?}");
    assert!(rules.contains(&"source-commit-mismatch"), "{rules:?}");
    // The report `tolk check --format json` prints, on one line: the site's copy is for
    // programs and browsers, the printed one indented for people.
    let published = site.read("public/status.json");
    assert_eq!(published.lines().count(), 1, "{published}");
    let printed = site.run(&["check", "--format", "json"]).stdout;
    assert!(printed.lines().count() > 10, "{printed}");
    let printed: serde_json::Value = serde_json::from_str(&printed).expect("check's JSON");
    assert_eq!(json, printed);
    // One language (English) throughout, whatever the first locale; severities shown.
    assert!(status.contains("<html lang=\"en\">"), "{status}");
    assert!(status.contains("Translation status"), "{status}");
    assert!(
        status.contains("<span class=\"severity\">warning</span> source-commit-mismatch"),
        "{status}"
    );
    assert!(status.contains("<div class=\"table-scroll\">"), "{status}");

    // `[site] status = false` leaves it out.
    let site = two_locale_site("\n[site]\nstatus = false\n");
    site.run(&["build"]).success();
    assert!(!site.path("public/status/index.html").exists());
    assert!(!site.path("public/status.json").exists());
}

#[test]
fn a_small_search_index_per_locale() {
    let site = Site::seeds();
    site.run(&["build"]).success();
    let files = site.files("public/search");
    let mut expected = Vec::new();
    for locale in ["fr", "it", "nl"] {
        for name in ["index.json", "pages-0.json", "terms-0.json"] {
            expected.push(format!("{locale}/{name}"));
        }
    }
    assert_eq!(files, expected);
    let sizes: Vec<u64> = files
        .iter()
        .map(|f| {
            std::fs::metadata(site.path(&format!("public/search/{f}")))
                .expect("a search file")
                .len()
        })
        .collect();
    assert!(
        sizes.iter().all(|&s| s < 4096) && sizes.iter().sum::<u64>() < 12 * 1024,
        "{files:?} {sizes:?}"
    );

    let manifest: serde_json::Value =
        serde_json::from_str(&site.read("public/search/fr/index.json")).expect("JSON");
    assert_eq!(manifest["language"], "fr");
    assert_eq!(manifest["pages"], 1);
    assert!(manifest["suffixes"]
        .as_array()
        .is_some_and(|s| s.contains(&serde_json::json!("ation"))));
    let pages = site.read("public/search/fr/pages-0.json");
    assert!(
        pages.starts_with(&format!(
            "[[\"fr/{}/\",\"Dépannage : erreur outlookIdentityToken",
            SEED_PATH
        )),
        "{pages}"
    );
    let terms = site.read("public/search/fr/terms-0.json");
    assert!(terms.contains("\"desactiv\":[0,"), "{terms}");
    assert!(!site
        .read("public/search/nl/terms-0.json")
        .contains("\"desactiv\""));

    // The same site gives the same bytes.
    let before: Vec<String> = files
        .iter()
        .map(|f| site.read(&format!("public/search/{f}")))
        .collect();
    site.run(&["build"]).success();
    let after: Vec<String> = files
        .iter()
        .map(|f| site.read(&format!("public/search/{f}")))
        .collect();
    assert_eq!(before, after);
}

#[test]
fn search_box_links_to_its_locale_index_under_the_base_path() {
    let site = two_locale_site("\n[site]\nmissing-translations = \"fallback\"\n");
    site.run(&["build"]).success();
    let a = site.read("public/nl/kb/a/index.html");
    assert!(
        a.contains("<script src=\"../../../static/search.js\" defer></script>"),
        "{a}"
    );
    assert!(
        a.contains("data-index=\"../../../search/nl/\" data-root=\"../../../\""),
        "{a}"
    );
    let not_found = site.read("public/fr/404.html");
    assert!(
        not_found.contains("data-index=\"/docs/search/fr/\" data-root=\"/docs/\""),
        "served at any depth: {not_found}"
    );
    // Borrowed articles are searched in the language they are written in only.
    let fr = site.read("public/search/fr/pages-0.json");
    assert!(fr.contains("\"fr/kb/a/\""), "{fr}");
    assert!(!fr.contains("kb/b/"), "{fr}");
    assert!(site
        .read("public/search/nl/pages-0.json")
        .contains("\"nl/kb/b/\""));

    let site = two_locale_site("\n[site]\nsearch = false\n");
    site.run(&["build"]).success();
    assert!(!site.path("public/search").exists());
    assert!(!site.read("public/nl/kb/a/index.html").contains("search.js"));
    // `status.json`, written beside the last locale's search index, is written without one.
    let status: serde_json::Value =
        serde_json::from_str(&site.read("public/status.json")).expect("status.json");
    assert!(status["findings"].is_array(), "{status}");
}

/// `locales: [en]` in front matter, `[site.only-in]` in tolk.toml: the article exists only
/// there. No missing translation elsewhere, no borrowed copy, no link to a page a locale lacks;
/// a link to it from a locale without it is broken, a link to a borrowed page is not.
#[test]
fn articles_present_only_in_some_locales() {
    const ID_ONLY: &str = "33333333-3333-4333-8333-333333333333";
    const ID_NOTE: &str = "44444444-4444-4444-8444-444444444444";
    const ID_BOTH: &str = "55555555-5555-4555-8555-555555555555";
    let site = Site::new();
    let links = "[Alleen](only.md) [Noot](notes/n.md) [Beide](both.md)";
    site.file(
        "tolk.toml",
        "title = \"Help\"\nbase-url = \"https://help.example.com/\"\nsource-locale = \"en\"\n\
         [site]\nmissing-translations = \"fallback\"\n[site.only-in]\n\"notes/\" = [\"en\", \"nl\"]\n\
         [[locales]]\ncode = \"en\"\n[[locales]]\ncode = \"nl\"\n[[locales]]\ncode = \"fr\"\n",
    )
    .file("content/en/a.md", &article("A", ID_A, COMMIT, 0, links))
    .file("content/nl/a.md", &article("A nl", ID_A, COMMIT, 0, links))
    .file("content/fr/a.md", &article("A fr", ID_A, COMMIT, 0, links))
    .file(
        "content/en/only.md",
        &format!("---\ntitle: Only\nexl-id: {ID_ONLY}\nlocales: [en]\n---\n\n# Only\n"),
    )
    .file(
        "content/en/notes/n.md",
        &format!("---\ntitle: Note\nexl-id: {ID_NOTE}\n---\n\n# Note\n"),
    )
    .file(
        "content/en/both.md",
        &format!("---\ntitle: Both\nexl-id: {ID_BOTH}\n---\n\n# Both\n"),
    )
    .file(
        "content/nl/TOC.md",
        "# Hulp {#help}\n\n+ [A](a.md)\n+ [Alleen](only.md)\n+ [Noot](notes/n.md)\n",
    );

    let run = site.run(&["check", "--format", "json"]);
    let report: serde_json::Value =
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout));
    let of = |rule: &str| -> Vec<String> {
        let mut found: Vec<String> = report["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|f| f["rule"] == rule)
            .map(|f| {
                format!(
                    "{} {}",
                    f["path"].as_str().unwrap_or_default(),
                    f["message"]
                )
            })
            .collect();
        found.sort();
        found
    };
    let missing: Vec<String> = of("missing-translation")
        .iter()
        .map(|f| f.split(' ').next().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        missing,
        [
            "content/fr/both.md",
            "content/nl/both.md",
            "content/nl/notes/n.md"
        ],
        "none for only.md; notes/ is wanted in en and nl only"
    );
    let broken = of("broken-link");
    assert_eq!(broken.len(), 3, "{broken:#?}");
    assert!(broken[0].starts_with("content/fr/a.md") && broken[0].contains("leads to notes/n.md"));
    assert!(broken[1].starts_with("content/fr/a.md") && broken[1].contains("leads to only.md"));
    assert!(
        broken[1].contains("(it exists in en); the article exists only in en"),
        "{broken:#?}"
    );
    assert!(broken[2].starts_with("content/nl/a.md") && broken[2].contains("leads to only.md"));

    site.run(&["build"]).success();
    assert!(site.path("public/en/only/index.html").exists());
    for absent in ["public/nl/only", "public/fr/only", "public/fr/notes"] {
        assert!(!site.path(absent).exists(), "{absent} is not published");
    }
    for borrowed in ["public/nl/notes/n/index.html", "public/fr/both/index.html"] {
        assert!(site.path(borrowed).exists(), "{borrowed} is borrowed");
    }
    let only = site.read("public/en/only/index.html");
    assert!(!only.contains("hreflang=\"nl\""), "{only}");
    assert!(!only.contains("data-locale=\"fr\""), "{only}");
    let sitemap = site.read("public/sitemap.xml");
    assert!(sitemap.contains("/en/only/"), "{sitemap}");
    assert!(
        !sitemap.contains("/nl/only/") && !sitemap.contains("/fr/only/"),
        "{sitemap}"
    );
    let nav = site.read("public/nl/nav.html");
    assert!(nav.contains("notes/n/"), "{nav}");
    assert!(!nav.contains("only/"), "no link to a page nl lacks: {nav}");
    for code in ["nl", "fr"] {
        let home = site.read(&format!("public/{code}/index.html"));
        assert!(!home.contains("only/"), "{code}: {home}");
    }
}

/// The known-issues corpus (four locales, en the source, so with banners and out-of-date
/// notices) with `extra_config`, and one article only en has, without a `# Title`.
fn known_issues_site(extra_config: &str) -> Site {
    let site = Site::new();
    common::copy_tree(
        &common::fixtures().join("known-issues/content"),
        &site.path("content"),
    );
    let mut toml =
        String::from("title = \"Known <issues>\"\nbase-url = \"/\"\nsource-locale = \"en\"\n");
    for code in ["en", "nl", "fr", "it"] {
        toml.push_str(&format!("\n[[locales]]\ncode = \"{code}\"\n"));
    }
    site.file("tolk.toml", &format!("{toml}{extra_config}")).file(
        "content/en/extra/only-en.md",
        "---\ntitle: Only \"here\" & <there>\ndescription: ''\n---\n\nNo heading of its own.\n\n## One\n\n## Two\n",
    );
    site
}

/// Pages of the built-in theme are written without tera (article pages: `site::pages::built_in`,
/// the sitemap, the status dashboard, the side-by-side pages); a site with its own copy of the
/// templates has them rendered by tera. Every file of the two sites must be the same: the
/// known-issues corpus, with borrowed translations (fallback mode) and with search off.
#[test]
fn built_in_pages_are_their_templates_byte_for_byte() {
    let configs = [
        "\n[site]\nmissing-translations = \"fallback\"\n",
        "\n[site]\nsearch = false\n",
    ];
    let templates = [
        "page.html",
        "base.html",
        "sitemap.xml",
        "status.html",
        "status-segments.html",
    ];
    for extra in configs {
        let written = known_issues_site(extra);
        let templated = known_issues_site(extra);
        for name in templates {
            let from = common::repo().join("templates").join(name);
            let text = std::fs::read_to_string(&from).expect("read the built-in template");
            templated.file(&format!("templates/{name}"), &text);
        }
        written.run(&["build"]).success();
        templated.run(&["build"]).success();
        let files = written.files("public");
        assert_eq!(files, templated.files("public"), "{extra}");
        let articles = files.iter().filter(|f| f.ends_with("/index.html")).count();
        assert!(articles > 900, "{articles}");
        for name in ["sitemap.xml", "status/index.html"] {
            assert!(files.iter().any(|f| f == name), "{name}");
        }
        if extra.contains("fallback") {
            let borrowed = written.read("public/nl/extra/only-en/index.html");
            assert!(borrowed.contains("notice-borrowed"), "{borrowed}");
        }
        // The manifest, which lists every file's hash, last: a difference names its file.
        let (hidden, shown): (Vec<&String>, Vec<&String>) =
            files.iter().partition(|f| f.starts_with('.'));
        for file in shown.into_iter().chain(hidden) {
            let rel = format!("public/{file}");
            assert!(
                std::fs::read(written.path(&rel)).ok() == std::fs::read(templated.path(&rel)).ok(),
                "{file} differs from what the templates make ({extra})"
            );
        }
    }
}

/// A site's own template is used as it is, even when only one of the pair is its own: the
/// built-in pages are written directly only while every template they stand for is tolk's.
#[test]
fn a_site_template_replaces_the_built_in_page_it_stands_for() {
    let overrides = [
        ("base.html", "<head>", "public/nl/kb/a/index.html"),
        (
            "page.html",
            "<article class=\"article\"",
            "public/nl/kb/a/index.html",
        ),
        ("sitemap.xml", "<urlset", "public/sitemap.xml"),
        (
            "status.html",
            "<main id=\"main\" class=\"status\">",
            "public/status/index.html",
        ),
    ];
    for (name, anchor, page) in overrides {
        let site = two_locale_site("");
        let built_in = std::fs::read_to_string(common::repo().join("templates").join(name))
            .expect("read the built-in template");
        assert!(built_in.contains(anchor), "{name} has {anchor}");
        let marked = built_in.replacen(anchor, &format!("<!-- the site's {name} -->{anchor}"), 1);
        site.file(&format!("templates/{name}"), &marked);
        site.run(&["build"]).success();
        let html = site.read(page);
        assert!(
            html.contains(&format!("<!-- the site's {name} -->")),
            "{page} is not made from the site's {name}: {html}"
        );
    }
}
