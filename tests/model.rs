//! One model of the site for build, check and serve: each file read and parsed once, one
//! grouping of translations, one rule for snippet ids and include paths.

mod common;

use common::Site;

const ID: &str = "11111111-1111-4111-8111-111111111111";
const COMMIT: &str = "b4b45bbc8bb68dbac35488c1777fca85fa0cc7e3";

fn front(title: &str, id: Option<&str>) -> String {
    let id = id.map(|id| format!("exl-id: {id}\n")).unwrap_or_default();
    format!(
        "---\ntitle: {title}\n{id}source-git-commit: {COMMIT}\nsource-wordcount: '10'\nht-degree: 0%\n---\n\n# {title}\n\n"
    )
}

fn two_locales() -> Site {
    let site = Site::new();
    site.file(
        "tolk.toml",
        "title = \"Hulp\"\nbase-url = \"https://help.example.com/\"\n\n[[locales]]\ncode = \"nl\"\n\n[[locales]]\ncode = \"fr\"\n",
    );
    site
}

/// The numbers of one `-v` stage line: `load 0.01 s (12 files found, 6 articles read ...)`.
fn numbers(stderr: &str, stage: &str) -> Vec<usize> {
    let line = stderr
        .lines()
        .find(|l| l.starts_with(stage))
        .unwrap_or_else(|| panic!("no `{stage}` line in\n{stderr}"));
    let inside = &line[line.find('(').expect("counts") + 1..];
    inside
        .split(|c: char| !c.is_ascii_digit() && c != ',')
        .filter(|w| w.chars().any(|c| c.is_ascii_digit()))
        .map(|w| w.replace(',', "").parse().expect("a number"))
        .collect()
}

#[test]
fn a_build_reads_and_parses_each_file_once() {
    let site = Site::seeds();
    site.file("content/nl/extra/a.md", &front("Extra", Some(ID)))
        .file("content/fr/extra/a.md", &front("Extra", Some(ID)))
        .file("content/nl/extra/img.png", "png")
        .file("content/nl/extra/TOC.md", "+ [Extra](a.md)\n");
    let run = site.run(&["build", "-v"]);
    run.success();
    let articles = site
        .files("content")
        .iter()
        .filter(|f| f.ends_with(".md") && !f.ends_with("TOC.md"))
        .count();
    let files = site.files("content").len();
    assert_eq!(articles, 5, "3 seeds and 2 new articles");
    // load: files found, articles read and parsed (front matter) once each.
    assert_eq!(numbers(&run.stderr, "load"), vec![files, articles]);
    // check: every outline parsed once (the outline is parsed the first time a rule asks).
    let check = numbers(&run.stderr, "check");
    assert_eq!(check[0], articles, "{}", run.stderr);
    let render = numbers(&run.stderr, "render");
    assert_eq!(render[0], articles, "{}", run.stderr);
    assert!(run.stderr.contains("write"), "{}", run.stderr);

    // Without -v, no stage lines.
    let quiet = site.run(&["build"]);
    quiet.success();
    assert!(!quiet.stderr.contains("load "), "{}", quiet.stderr);
}

#[test]
fn an_article_paired_by_path_has_its_translations_everywhere() {
    let site = two_locales();
    site.file("content/nl/kb/a.md", &front("Artikel", Some(ID)))
        .file("content/fr/kb/a.md", &front("Article", None));
    site.run(&["build"]).success();
    let fr = site.read("public/fr/kb/a/index.html");
    assert!(
        fr.contains("hreflang=\"nl\""),
        "the fr article without exl-id links to its nl translation: {fr}"
    );
    let nl = site.read("public/nl/kb/a/index.html");
    assert!(nl.contains("data-locale=\"fr\""), "{nl}");
    let sitemap = site.read("public/sitemap.xml");
    assert!(
        sitemap.contains("<xhtml:link rel=\"alternate\" hreflang=\"fr\" href=\"https://help.example.com/fr/kb/a/\"/>"),
        "{sitemap}"
    );

    // Its findings carry the group's exl-id, and the message names the id to add.
    let run = site.run(&["check", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    let findings = report["findings"].as_array().expect("findings");
    let fr_findings: Vec<&serde_json::Value> = findings
        .iter()
        .filter(|f| f["path"] == "content/fr/kb/a.md")
        .collect();
    assert!(!fr_findings.is_empty(), "{}", run.stdout);
    for finding in &fr_findings {
        assert_eq!(finding["exl_id"], ID, "{finding}");
    }
    assert!(
        fr_findings.iter().any(|f| f["message"]
            .as_str()
            .unwrap_or_default()
            .contains(&format!("add `exl-id: {ID}`"))),
        "{}",
        run.stdout
    );
}

#[test]
fn check_and_build_agree_on_snippet_ids_and_include_paths() {
    let site = two_locales();
    site.file(
        "content/nl/_includes/snippets.md",
        "# Snippets\n\n## Toegang {#access}\n\nJe hebt toegang nodig.\n\n### Diep {#deep}\n\nGeen eigen snippet: deel van `access`.\n",
    )
    .file("content/nl/_includes/shared.md", "Gedeelde tekst.\n")
    .file("content/fr/kb/a.md", &front("Article", Some(ID)));

    // A `## Title {#id}` section is a snippet; an include read from the content root is found,
    // however it is written: both commands accept them.
    site.file(
        "content/nl/kb/a.md",
        &format!(
            "{}{{{{access}}}}\n\n{{{{$include /help/_includes/shared.md}}}}\n\n{{{{$include _includes/shared.md}}}}\n",
            front("Artikel", Some(ID))
        ),
    );
    site.run(&["build"]).success();
    let page = site.read("public/nl/kb/a/index.html");
    assert!(page.contains("Je hebt toegang nodig."), "{page}");
    assert_eq!(page.matches("Gedeelde tekst.").count(), 2, "{page}");
    let check = site.run(&["check", "--format", "json"]);
    assert!(!check.stdout.contains("broken-link"), "{}", check.stdout);

    // A deeper heading with an id is not a snippet: the build fails on it and the check
    // reports it, both at the reference.
    site.file(
        "content/nl/kb/a.md",
        &format!("{}{{{{deep}}}}\n", front("Artikel", Some(ID))),
    );
    site.run(&["build"])
        .failure(1)
        .stderr_has("content/nl/kb/a.md:");
    let check = site.run(&["check", "--format", "json"]);
    assert!(
        check
            .stdout
            .contains("names the snippet `deep`, which _includes/snippets.md does not have"),
        "{}",
        check.stdout
    );

    // An include that climbs out is refused by both.
    site.file(
        "content/nl/kb/a.md",
        &format!(
            "{}{{{{$include ../outside.md}}}}\n",
            front("Artikel", Some(ID))
        ),
    );
    site.run(&["build"]).failure(1);
    let check = site.run(&["check", "--format", "json"]);
    assert!(check.stdout.contains("broken-link"), "{}", check.stdout);
}

#[test]
fn an_unclosed_comment_is_a_positioned_warning_and_the_page_keeps_what_follows() {
    let site = two_locales();
    let body = "Intro.\n\n<table><tr><td>Cel <!-- nooit gesloten\n\nnog een regel</td></tr></table>\n\n## Daarna {#daarna}\n\nTekst na de tabel.\n";
    site.file(
        "content/nl/kb/a.md",
        &format!("{}{body}", front("Artikel", Some(ID))),
    )
    .file(
        "content/fr/kb/a.md",
        &format!("{}{body}", front("Article", Some(ID))),
    );
    let run = site.run(&["check", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    let unclosed: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "unclosed-comment")
        .collect();
    assert_eq!(unclosed.len(), 2, "{}", run.stdout);
    let nl = unclosed
        .iter()
        .find(|f| f["path"] == "content/nl/kb/a.md")
        .expect("the nl finding");
    // Front matter is 7 lines, then a blank line, `# Artikel`, a blank line, `Intro.` and a
    // blank line: the table is line 13, the comment after its first 19 characters.
    assert_eq!(
        (nl["line"].as_u64(), nl["column"].as_u64()),
        (Some(13), Some(20)),
        "{nl}"
    );
    assert_eq!(nl["severity"], "warning");

    site.run(&["build"]).success();
    let page = site.read("public/nl/kb/a/index.html");
    assert!(page.contains("id=\"daarna\""), "{page}");
    assert!(page.contains("Tekst na de tabel."), "{page}");
}

#[test]
fn after_the_checks_only_the_first_locales_pages_keep_their_texts_in_memory() {
    let site = two_locales();
    site.file("content/nl/a.md", &front("Eén", Some(ID)));
    site.file("content/fr/a.md", &front("Un", Some(ID)));
    let config = tolk::config::Config::load(site.root()).expect("the config");
    let mut model = tolk::model::Site::load(&config).expect("the site");
    model.release_texts();
    std::fs::remove_file(site.path("content/nl/a.md")).expect("nl removed");
    std::fs::remove_file(site.path("content/fr/a.md")).expect("fr removed");
    let article = |code: &str| {
        let content = model
            .contents
            .iter()
            .find(|c| c.locale.code.as_str() == code)
            .expect("the locale");
        assert_eq!(
            content.articles[0].body(),
            "",
            "the model let go of the text"
        );
        content.articles[0].source()
    };
    // nl comes first in tolk.toml: its page, rendered first, takes the text from memory.
    assert!(article("nl").expect("nl's text").contains("# Eén"));
    // fr's page reads its file again, which is gone.
    let error = article("fr").expect_err("fr's file is gone").to_string();
    assert!(error.contains("a.md"), "{error}");
}
