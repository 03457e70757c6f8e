//! `tolk build` end to end: the real binary on sample sites in temporary folders.

mod common;

use common::{assert_links_resolve, main_of, Site, SEED_PATH};

#[test]
fn builds_the_seed_articles_in_every_locale() {
    let site = Site::seeds();
    site.run(&["build"])
        .success()
        .stdout_has("Built 3 articles (nl 1, fr 1, it 1)");
    let expect = [
        ("nl", "Problemen oplossen: outlookIdentityToken-fout bij gebruik van Workfront for Outlook", "Belangrijk"),
        ("fr", "Dépannage : erreur outlookIdentityToken lors de l’utilisation de Workfront pour Outlook", "Important"),
        ("it", "Risoluzione dei problemi: errore outlookIdentityToken durante l’utilizzo di Workfront per Outlook", "Importante"),
    ];
    for (locale, title, label) in expect {
        let html = site.read(&format!("public/{locale}/{SEED_PATH}/index.html"));
        assert!(
            html.contains(&format!("<html lang=\"{locale}\">")),
            "{locale}"
        );
        assert!(
            html.contains(&format!("<title>{title} | Workfront Help</title>")),
            "{locale}: {html}"
        );
        assert!(
            html.contains("<meta name=\"description\" content=\""),
            "{locale}"
        );
        let main = main_of(&html);
        assert!(
            main.contains(&format!(
                "<div class=\"callout\" data-callout=\"important\" role=\"note\"><p class=\"callout-label\"><span class=\"callout-icon\" aria-hidden=\"true\"></span>{label}</p>"
            )),
            "{locale}: {main}"
        );
        assert!(main.contains("<pre><code>Unexpected error\nUnable to get the outlookIdentityToken\n</code></pre>"), "{locale}");
        assert!(
            main.contains("href=\"https://learn.microsoft.com/"),
            "{locale}"
        );
        assert!(!main.contains("[!IMPORTANT]"), "{locale}");
        let home = site.read(&format!("public/{locale}/index.html"));
        assert!(
            home.contains(&format!("href=\"{SEED_PATH}/\"")),
            "{locale} home: {home}"
        );
    }
    let root = site.read("public/index.html");
    for name in ["Nederlands", "Français", "Italiano"] {
        assert!(root.contains(name), "{root}");
    }
    // Without a source locale, the root page is in English, not in the first locale's Dutch.
    assert!(root.contains("<html lang=\"en\">"), "{root}");
    assert!(root.contains("Skip to content"), "{root}");
    // The other locales' texts are only in the JSON its script reads (the reader's language).
    let json_at = root
        .find("<script type=\"application/json\"")
        .unwrap_or(root.len());
    let json_end = root[json_at..]
        .find("</script>")
        .map_or(root.len(), |e| json_at + e);
    let shown = format!("{}{}", &root[..json_at], &root[json_end..]);
    assert!(!shown.contains("Naar de inhoud"), "{shown}");
    assert!(
        root[json_at..json_end].contains("\"Naar de inhoud\""),
        "{root}"
    );
    assert!(site.path("public/static/tolk.css").exists());
    assert_links_resolve(&site.path("public"));
}

#[test]
fn seed_page_snapshot() {
    let site = Site::seeds();
    site.run(&["build"]).success();
    for locale in ["nl", "fr", "it"] {
        let html = site.read(&format!("public/{locale}/{SEED_PATH}/index.html"));
        insta::assert_snapshot!(format!("seed_{locale}"), main_of(&html));
    }
}

#[test]
fn site_without_config_uses_content_folders() {
    let site = Site::new();
    site.file(
        "content/nl/a.md",
        "---\ntitle: Artikel A\n---\n\n# Artikel A\n\nZie [B](sub/b.md#stap).\n",
    )
    .file(
        "content/nl/sub/b.md",
        "---\ntitle: B\n---\n\n## Stap {#stap}\n\n![Schermafbeelding](shot.png)\n",
    )
    .file("content/nl/sub/shot.png", "png")
    .file("content/en/a.md", "---\ntitle: Article A\n---\n\nText.\n")
    .file("content/en/_includes/snippets.md", "## Snippet {#s}\n")
    .file("content/en/draft.md.draft", "---\ntitle: Draft\n---\n")
    .file("content/en/.hidden.md", "---\ntitle: Hidden\n---\n")
    .file("content/en/TOC.md", "# Navigation\n");
    site.run(&["build"])
        .success()
        .stdout_has("Built 3 articles (en 1, nl 2)");
    let files: Vec<String> = site
        .files("public")
        .into_iter()
        .filter(|f| !f.starts_with("search/"))
        .collect();
    assert_eq!(
        files,
        [
            // What the next build compares with, to write only what changed.
            ".tolk-manifest",
            "404.html",
            "en/404.html",
            "en/a/index.html",
            "en/index.html",
            "en/nav.html",
            "index.html",
            "nl/404.html",
            "nl/a/index.html",
            "nl/index.html",
            "nl/nav.html",
            "nl/sub/b/index.html",
            "nl/sub/shot.png",
            "robots.txt",
            "sitemap.xml",
            "static/search.js",
            "static/syntax.css",
            "static/tolk.css",
            "static/tolk.js",
            "status.json",
            "status/index.html",
        ]
    );
    for locale in ["en", "nl"] {
        assert!(site
            .path(&format!("public/search/{locale}/index.json"))
            .exists());
    }
    let a = site.read("public/nl/a/index.html");
    assert!(a.contains("<a href=\"../sub/b/#stap\">B</a>"), "{a}");
    let b = site.read("public/nl/sub/b/index.html");
    assert!(b.contains("src=\"../shot.png\""), "{b}");
    let en = site.read("public/en/a/index.html");
    assert!(
        en.contains("<h1>Article A</h1>"),
        "title shown when the body has no H1: {en}"
    );
    assert_links_resolve(&site.path("public"));
}

#[test]
fn site_with_only_content_uses_the_embedded_theme_and_disk_overrides_it() {
    let site = Site::new();
    site.file(
        "content/fr/a.md",
        "---\ntitle: Un\n---\n\n>[!NOTE]\n>\n>Corps\n",
    );
    site.run(&["build"]).success();
    assert!(site
        .read("public/fr/a/index.html")
        .contains(">Remarque</p>"));

    site.file("locales/fr/main.ftl", "callout-note = Nota bene\n")
        .file("templates/page.html", "{% extends \"base.html\" %}{% block main %}<div class=\"mine\">{{ body | safe }}</div>{% endblock main %}");
    let run = site.run(&["build"]);
    // The file on disk overrides one message; the other built-in French ones stay.
    run.success();
    assert!(!run.stderr.contains("UI string"), "{}", run.stderr);
    let page = site.read("public/fr/a/index.html");
    assert!(page.contains("<div class=\"mine\">"), "{page}");
    assert!(page.contains(">Nota bene</p>"), "{page}");
    assert!(
        page.contains("<a class=\"skip-link\" href=\"#main\">Aller au contenu</a>"),
        "the built-in French text: {page}"
    );
}

#[test]
fn config_error_names_key_file_and_line() {
    let site = Site::seeds();
    site.file(
        "tolk.toml",
        "title = \"x\"\nbase-url = \"x\"\n[[locales]]\ncode = \"nl\"\nlangauge = \"Dutch\"\n\
         [site]\nserach = true\n",
    );
    // Every mistake at once: the unknown keys beside the bad value.
    site.run(&["build"])
        .failure(1)
        .stderr_has("tolk.toml:5:1: unknown key `langauge` in [[locales]]")
        .stderr_has("remove the key or fix its spelling")
        .stderr_has("tolk.toml:7:1: unknown key `serach` in [site]")
        .stderr_has("did you mean `search`?")
        .stderr_has("tolk.toml:2:12: base URL `x` must start with");
    assert!(!site.path("public").exists());
}

#[test]
fn front_matter_errors_name_file_line_and_column() {
    let site = Site::new();
    site.file(
        "content/nl/bad-id.md",
        "---\ntitle: Een\nexl-id: 4a911760-e3fe-4e77-b7aa\n---\n\nTekst\n",
    )
    .file(
        "content/nl/bad-degree.md",
        "---\ntitle: Twee\nht-degree: 140%\n---\n",
    )
    .file(
        "content/nl/unclosed-quote.md",
        "---\ntitle: 'Drie\ndescription: x\n---\n",
    )
    .file("content/nl/no-end.md", "---\ntitle: Vier\n\n# Vier\n")
    .file("content/nl/good.md", "---\ntitle: Goed\n---\n");
    site.run(&["build"])
        .failure(1)
        .stderr_has("content/nl/bad-id.md:3:9: exl-id `4a911760-e3fe-4e77-b7aa` is not a UUID")
        .stderr_has(
            "content/nl/bad-degree.md:3:12: ht-degree `140%` is not a percentage from 0% to 100%",
        )
        .stderr_has("content/nl/unclosed-quote.md:2:")
        .stderr_has("content/nl/no-end.md:1:1: the front matter that starts here is never closed")
        .stderr_has("4 errors; nothing was written")
        .stderr_has("copy it from another locale");
    assert!(!site.path("public").exists());
}

#[test]
fn failed_build_leaves_the_previous_site_untouched() {
    let site = Site::seeds();
    site.run(&["build"]).success();
    let page = format!("public/nl/{SEED_PATH}/index.html");
    let before = site.read(&page);
    let files_before = site.files("public");

    let source = format!("content/nl/{SEED_PATH}.md");
    let broken = site
        .read(&source)
        .replace("ht-degree: 0%", "ht-degree: 140%");
    site.file(&source, &broken);
    site.run(&["build"])
        .failure(1)
        .stderr_has("ht-degree `140%`");

    assert_eq!(site.read(&page), before);
    assert_eq!(site.files("public"), files_before);
    let leftovers: Vec<String> = std::fs::read_dir(site.root())
        .expect("read the site folder")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".tolk"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn refuses_output_folders_that_hold_sources() {
    let site = Site::seeds();
    for (out, reason) in [
        (".", "it is the site root"),
        (
            "content",
            "it contains content/nl, the content of locale `nl`",
        ),
        ("content/fr", "it is the content folder of locale `fr`"),
        (
            "content/it/public",
            "it is inside content/it, the content of locale `it`",
        ),
    ] {
        site.run(&["build", "--out", out])
            .failure(1)
            .stderr_has(reason)
            .stderr_has("refusing to write the site");
    }
    assert!(site.path(&format!("content/nl/{SEED_PATH}.md")).exists());
    site.run(&["build", "--out", "elsewhere/site"]).success();
    assert!(site.path("elsewhere/site/index.html").exists());
}

#[test]
fn root_and_base_url_flags() {
    let site = Site::seeds();
    let other = Site::new();
    let root = site.root().to_string_lossy().into_owned();
    other
        .run(&[
            "build",
            "--root",
            &root,
            "--base-url",
            "https://help.example.com/docs",
        ])
        .success();
    assert!(site.path("public/index.html").exists());
    other
        .run(&["build", "--root", &root, "--base-url", "help.example.com"])
        .failure(1)
        .stderr_has("base URL");
}

#[test]
fn builds_the_known_issues_corpus() {
    let site = Site::new();
    let corpus = common::fixtures().join("known-issues");
    let out = site.path("out");
    let run = site.run(&[
        "build",
        "--root",
        &corpus.to_string_lossy(),
        "--out",
        &out.to_string_lossy(),
    ]);
    run.success()
        .stdout_has("Built 909 articles (en 227, fr 227, it 227, nl 228)");
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    let page = site.read(
        "out/nl/known-issues/known-issues-workfront-proof/proof-500-error-getallproofs/index.html",
    );
    assert!(page.contains("<html lang=\"nl\">"));
    assert_links_resolve(&out);
}

#[test]
fn help_lists_commands_and_pending_ones_exit_2() {
    let site = Site::new();
    let help = site.run(&["--help"]);
    help.success();
    for command in ["build", "serve", "check", "new"] {
        assert!(
            help.stdout.contains(&format!("  {command} ")),
            "{}",
            help.stdout
        );
    }
    // `new` is implemented now: without its arguments it is a usage error.
    site.run(&["new"]).failure(2).stderr_has("--title");
}

#[test]
fn a_rebuild_writes_only_the_pages_that_changed() {
    use std::os::unix::fs::MetadataExt;
    let site = Site::new();
    site.file("content/nl/a.md", "---\ntitle: A\n---\n\nEen.\n")
        .file("content/nl/b.md", "---\ntitle: B\n---\n\nTwee.\n")
        .file("content/nl/c.md", "---\ntitle: C\n---\n\nDrie.\n")
        .file("content/nl/d.md", "---\ntitle: D\n---\n\nVier.\n");
    site.run(&["build"]).success();
    let inode = |rel: &str| {
        std::fs::metadata(site.path(rel))
            .map(|m| m.ino())
            .unwrap_or_else(|e| panic!("{rel}: {e}"))
    };
    let untouched = inode("public/nl/b/index.html");

    site.file("content/nl/a.md", "---\ntitle: A\n---\n\nEen, bewerkt.\n");
    std::fs::remove_file(site.path("content/nl/d.md")).expect("delete d.md");
    site.run(&["build"]).success();
    assert!(site
        .read("public/nl/a/index.html")
        .contains("Een, bewerkt."));
    // b's text and neighbours (a, c) are the same: its page is not written again.
    assert_eq!(
        inode("public/nl/b/index.html"),
        untouched,
        "b did not change"
    );
    assert!(
        !site.path("public/nl/d").exists(),
        "the deleted article's page is gone"
    );
    assert!(!site.read("public/nl/nav.html").contains("d/"));
    let leftovers: Vec<String> = std::fs::read_dir(site.root())
        .expect("the site")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".tolk-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn quiet_build_prints_nothing_on_success_and_the_errors_on_failure() {
    let site = Site::seeds();
    let run = site.run(&["build"]);
    run.success().stdout_has("Built ");
    let run = site.run(&["build", "-q"]);
    run.success();
    assert_eq!((run.stdout.as_str(), run.stderr.as_str()), ("", ""));
    assert!(site.path("public/index.html").exists());

    site.file("content/nl/kapot.md", "---\ntitle: 'Kapot\n---\n");
    let run = site.run(&["build", "--quiet"]);
    run.failure(1).stderr_has("content/nl/kapot.md:2:");
    assert_eq!(run.stdout, "");
}
