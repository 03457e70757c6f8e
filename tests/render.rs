//! Rendering of every ExL construct, in each locale, through the real binary.

mod common;

use common::{assert_links_resolve, main_of, Site};

/// Builds the ExL fixture site into a temporary folder.
fn build_fixture() -> (Site, String) {
    let site = Site::new();
    let root = common::fixtures().join("exl");
    let out = site.path("out");
    let run = site.run(&[
        "build",
        "--root",
        &root.to_string_lossy(),
        "--out",
        &out.to_string_lossy(),
    ]);
    run.success();
    (site, run.stderr.clone())
}

#[test]
fn every_construct_in_every_locale_snapshot() {
    let (site, _) = build_fixture();
    for locale in ["nl", "fr", "it"] {
        let html = site.read(&format!("out/{locale}/constructs/index.html"));
        insta::assert_snapshot!(format!("constructs_{locale}"), main_of(&html));
    }
    assert_links_resolve(&site.path("out"));
}

#[test]
fn constructs_render_as_readers_expect() {
    let (site, stderr) = build_fixture();
    for (locale, important, details) in [
        ("nl", "Belangrijk", "Klik om"),
        ("fr", "Important", "Développer"),
        ("it", "Importante", "Espandi"),
    ] {
        let html = site.read(&format!("out/{locale}/constructs/index.html"));
        let main = main_of(&html);
        let text = page_text(main);
        for marker in [
            "[!", "{#", ">[!", "+++", "{{", "&#x200B;", "\u{200B}", "{style", "{width", "{target",
        ] {
            assert!(
                !text.contains(marker),
                "{locale}: `{marker}` left in the text:\n{text}"
            );
        }
        // Twelve kinds (one inside a list item) and the note of the snippet.
        assert_eq!(
            main.matches("<div class=\"callout\"").count(),
            13,
            "{locale}"
        );
        assert!(
            main.contains(&format!("</span>{important}</p>")),
            "{locale}"
        );
        assert!(main.contains("data-callout=\"morelikethis\""), "{locale}");
        assert!(
            main.contains("<blockquote>"),
            "{locale}: the unknown kind is a plain quote"
        );
        assert!(
            !main.contains("In-app") && !main.contains("Not shown"),
            "{locale}: contextual help is hidden"
        );
        assert!(
            main.contains(&format!(
                "<details class=\"collapsible\"><summary>{details}"
            )),
            "{locale}"
        );
        assert!(main.contains("<div class=\"tabs\" data-tabs"), "{locale}");
        assert!(main.contains("<div class=\"shadebox\">"), "{locale}");
        assert!(
            main.contains(
                "<iframe src=\"https://video.tv.adobe.com/v/3442750/?quality=12&amp;learn=on\""
            ),
            "{locale}"
        );
        assert!(main.contains("<span class=\"uicontrol\">Copy <span translate=\"no\">Workfront</span> link</span>"), "{locale}");
        assert!(
            main.contains(
                "class=\"badge\" data-type=\"informative\" href=\"https://example.com/premium\""
            ),
            "{locale}"
        );
        assert!(main.contains("width=\"400\""), "{locale}");
        assert!(
            main.contains("target=\"_blank\" rel=\"noopener\""),
            "{locale}"
        );
        assert!(
            main.contains("<span class=\"line hl\" data-n=\"8\">"),
            "{locale}"
        );
        assert!(
            main.contains("<pre><code>Unexpected error\n</code></pre>"),
            "{locale}"
        );
        assert!(
            main.contains("<pre><code>indented code\n</code></pre>"),
            "{locale}"
        );
        assert!(
            !main.contains("<script") && !main.contains("onclick") && !main.contains("javascript:"),
            "{locale}"
        );
        assert!(
            main.contains(&format!("Included footer ({locale}).")),
            "{locale}"
        );
        assert!(
            main.contains(&format!(
                "Snippet for <strong><span translate=\"no\">Workfront</span></strong> ({locale})."
            )),
            "{locale}"
        );
        assert!(main.contains("<h2 id=\"step-1\">"), "{locale}");
        assert!(
            main.contains("-2\">"),
            "{locale}: the repeated heading gets a numbered id"
        );
        assert!(main.contains("<a href=\"../other/#anchor\">"), "{locale}");
        assert!(
            html.contains("class=\"toc\""),
            "{locale}: a table of contents"
        );
    }
    let fr = site.read("out/fr/constructs/index.html");
    assert!(
        fr.contains("L’erreur «\u{202F}Unable\u{202F}» apparaît\u{202F}: pourquoi\u{202F}?"),
        "{}",
        main_of(&fr)
    );
    assert!(fr.contains("<a href=\"https://learn.microsoft.com/fr-fr/x\">Jetons en ligne</a>"));
    assert!(fr.contains("<span class=\"uicontrol\">Paramètres personnels</span>"));
    let it = site.read("out/it/constructs/index.html");
    assert!(it.contains("L’utente vede “Errore”"));
    let nl = site.read("out/nl/constructs/index.html");
    assert!(
        nl.contains("Programma's en \"projecten\""),
        "nl keeps straight quotes"
    );
    assert!(nl.contains("<a href=\"https://status.adobe.com/\">pagina van de Status</a>"));
    assert!(
        stderr.contains("unknown callout kind `[!FUTURE]`"),
        "{stderr}"
    );
    assert!(stderr.contains("content/nl/constructs.md:"), "{stderr}");
    assert!(
        site.path("out/static/syntax.css").exists() && site.path("out/static/tolk.js").exists()
    );
}

#[test]
fn missing_snippet_fails_the_build_with_its_position() {
    let site = Site::new();
    site.file(
        "content/nl/a.md",
        "---\ntitle: A\n---\n\nTekst\n\n{{no-such-snippet}}\n",
    )
    .file(
        "content/nl/_includes/snippets.md",
        "## Loop {#loop}\n\n{{loop}}\n",
    )
    .file("content/nl/b.md", "---\ntitle: B\n---\n\n{{loop}}\n");
    site.run(&["build"])
        .failure(1)
        .stderr_has("content/nl/a.md:7:1: there is no snippet `no-such-snippet`")
        .stderr_has("content/nl/_includes/snippets.md:3:1: circular snippet: loop -> loop");
    assert!(!site.path("public").exists());
}

/// The corpus as published: no raw markers in any page, and as many callouts as the source has.
#[test]
fn known_issues_corpus_renders_cleanly() {
    let site = Site::new();
    let corpus = common::fixtures().join("known-issues");
    let out = site.path("out");
    site.run(&[
        "build",
        "--root",
        &corpus.to_string_lossy(),
        "--out",
        &out.to_string_lossy(),
    ])
    .success();
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(corpus.join("content"))
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = entry.path();
        let Ok(rel) = path.strip_prefix(corpus.join("content")) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if !rel.ends_with(".md") || rel.ends_with("TOC.md") {
            continue;
        }
        let source = std::fs::read_to_string(path).expect("read source");
        let page = out.join(rel.trim_end_matches(".md")).join("index.html");
        let html =
            std::fs::read_to_string(&page).unwrap_or_else(|e| panic!("{}: {e}", page.display()));
        let main = main_of(&html);
        let text = page_text(main);
        for marker in ["[!", "{#", ">[!", "+++", "{{", "&#x200B;", "\u{200B}"] {
            assert!(
                !text.contains(marker),
                "{rel}: `{marker}` left in the page text"
            );
        }
        assert_eq!(
            main.matches("data-callout=").count(),
            common::source_callouts(&source),
            "{rel}"
        );
        checked += 1;
    }
    assert_eq!(checked, 909);
}

/// The text a reader sees in `main`, without code blocks and code spans.
fn page_text(main: &str) -> String {
    let mut text = String::new();
    let mut rest = main;
    while let Some(start) = rest.find("<pre") {
        text.push_str(&rest[..start]);
        rest = rest[start..]
            .find("</pre>")
            .map_or("", |end| &rest[start + end..]);
    }
    text.push_str(rest);
    let without_code: String = text
        .split("<code>")
        .map(|part| part.split_once("</code>").map_or(part, |(_, after)| after))
        .collect();
    let mut plain = String::new();
    let mut in_tag = false;
    for c in without_code.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => plain.push(c),
            _ => {}
        }
    }
    plain
}
