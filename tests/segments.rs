//! The segment rules end to end: one real article of the known-issues corpus in en, nl, fr and
//! it (tests/fixtures/segments/), checked clean as it is, then with drift made here: a changed
//! number (fr), a paragraph left in English (nl), a paragraph missing (it) and a UI label
//! rendered two ways (fr). Each finding is asserted with its line in the translation and in the
//! source; the status site gets a side-by-side page for each drifted translation.

mod common;

use common::Site;
use serde_json::Value;

const ARTICLE: &str = "wf-teams-statuses-missing.md";
const SEGMENT_RULES: [&str; 7] = [
    "number-mismatch",
    "untranslated-segment",
    "segment-missing",
    "segment-extra",
    "placeholder-mismatch",
    "ui-label-inconsistent",
    "length-ratio",
];

fn segment_findings(site: &Site) -> Vec<Value> {
    let run = site.run(&["check", "--format", "json"]);
    let report: Value = serde_json::from_str(&run.stdout).expect("the JSON report parses");
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| SEGMENT_RULES.contains(&f["rule"].as_str().unwrap_or_default()))
        .cloned()
        .collect()
}

#[test]
fn the_real_article_has_no_segment_findings() {
    let site = Site::segments();
    let found = segment_findings(&site);
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn each_drift_is_found_at_its_lines_in_both_files() {
    let site = Site::segments();
    let path = |l: &str| format!("content/{l}/{ARTICLE}");
    // fr: a changed number (5 becomes 6), line 28.
    site.edit(&path("fr"), "mercredi 5 décembre", "mercredi 6 décembre");
    // nl: the workaround paragraph (line 27) left in English.
    site.edit(
        &path("nl"),
        "Als u de lijst met statussen weergeeft in [!UICONTROL Setup] > [!UICONTROL Project Preferences] > [!UICONTROL Statuses] , kunnen de problemen tijdelijk worden opgelost.",
        "Viewing the list of statuses in [!UICONTROL Setup] > [!UICONTROL Project Preferences] > [!UICONTROL Statuses] may temporarily resolve the issues.",
    );
    // it: the paragraph before the list (line 19) is gone, with its blank line.
    site.edit(
        &path("it"),
        "Sono stati segnalati i seguenti problemi relativi agli stati per il pulsante [!UICONTROL Fine] durante la modifica o la creazione di un team:\n\n",
        "",
    );
    // fr: [!UICONTROL Done] is "Terminé" in the heading and in a second article, "Fait" on line 19.
    site.edit(
        &path("fr"),
        "pour le bouton [!UICONTROL Terminé] lors",
        "pour le bouton [!UICONTROL Fait] lors",
    );
    let id = "exl-id: 0c2b1a7e-3f4d-4c5b-9a6e-7d8f9a0b1c2d";
    site.file(
        "content/en/done.md",
        &format!("---\ntitle: Done\n{id}\n---\n# Done\n\nClick [!UICONTROL Done] when the team is ready.\n"),
    );
    site.file(
        "content/fr/done.md",
        &format!("---\ntitle: Terminé\n{id}\n---\n# Terminé\n\nCliquez sur [!UICONTROL Terminé] quand l’équipe est prête.\n"),
    );
    let found = segment_findings(&site);
    // (rule, locale, line here, line in en, part of the message)
    let expected = [
        (
            "number-mismatch",
            "fr",
            28,
            22,
            "6, 2023 here, 5, 2023 in en",
        ),
        ("untranslated-segment", "nl", 27, 20, "reads as in en"),
        (
            "segment-missing",
            "it",
            19,
            13,
            "The following issues have been reported",
        ),
        (
            "ui-label-inconsistent",
            "fr",
            19,
            13,
            "the en label \"done\" is \"fait\" here but \"terminé\" 2x",
        ),
    ];
    for (rule, locale, line, source_line, message) in expected {
        let hit = found
            .iter()
            .find(|f| f["rule"] == rule && f["locale"] == locale);
        let Some(f) = hit else {
            panic!("no {rule} in {locale}: {found:#?}");
        };
        assert_eq!(f["path"], path(locale), "{f:#}");
        assert_eq!(f["line"], line, "{f:#}");
        let text = f["message"].as_str().unwrap_or_default();
        assert!(text.contains(message), "{rule}: {text}");
        let related = &f["related"][0];
        assert_eq!(related["path"], path("en"), "{f:#}");
        assert_eq!(related["line"], source_line, "{f:#}");
    }
    assert_eq!(found.len(), expected.len(), "{found:#?}");

    // The status site: a side-by-side page per drifted translation, linked from the dashboard.
    site.run(&["build", "--out", "out"]).success();
    let dashboard = site.read("out/status/index.html");
    let page = "segments/fr/wf-teams-statuses-missing.html";
    assert!(
        dashboard.contains(&format!("href=\"{page}\"")),
        "{dashboard}"
    );
    let html = site.read(&format!("out/status/{page}"));
    assert!(html.contains("number-mismatch"), "{html}");
    assert!(html.contains("ui-label-inconsistent"), "{html}");
    assert!(html.contains("mercredi 6 décembre"), "{html}");
    let missing = site.read("out/status/segments/it/wf-teams-statuses-missing.html");
    assert!(missing.contains("class=\"gap\""), "{missing}");
    assert!(missing.contains("segment-missing"), "{missing}");
    let status: Value = serde_json::from_str(&site.read("out/status.json")).expect("status.json");
    let rules: Vec<&str> = status["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert!(rules.contains(&"segment-missing"), "{rules:?}");
}

/// The built-in side-by-side page is written without tera (`site::side_by_side::page_html`);
/// a site with its own copy of `status-segments.html` has it rendered by tera. Both give the
/// same bytes: one finding (fr) and several (it), and a site title that needs escaping.
#[test]
fn built_in_side_by_side_page_is_its_template_byte_for_byte() {
    let drifted = || {
        let site = Site::segments();
        let path = |l: &str| format!("content/{l}/{ARTICLE}");
        site.edit(
            "tolk.toml",
            "title = \"Segments\"",
            "title = \"Seg <&> 'ments'\"",
        );
        site.edit(&path("fr"), "mercredi 5 décembre", "mercredi 6 décembre");
        site.edit(
            &path("it"),
            "Sono stati segnalati i seguenti problemi relativi agli stati per il pulsante [!UICONTROL Fine] durante la modifica o la creazione di un team:\n\n",
            "",
        );
        site
    };
    let (written, templated) = (drifted(), drifted());
    let template = common::repo().join("templates/status-segments.html");
    let text = std::fs::read_to_string(template).expect("read the built-in template");
    templated.file("templates/status-segments.html", &text);
    written.run(&["build", "--out", "out"]).success();
    templated.run(&["build", "--out", "out"]).success();
    let pages = written.files("out/status/segments");
    assert_eq!(pages, templated.files("out/status/segments"));
    assert_eq!(pages.len(), 2, "{pages:?}");
    for page in &pages {
        let rel = format!("out/status/segments/{page}");
        let html = written.read(&rel);
        assert_eq!(html, templated.read(&rel), "{page}");
        assert!(html.contains("Seg &lt;&amp;&gt; &#39;ments&#39;"), "{html}");
    }
    let fr = written.read(&format!(
        "out/status/segments/fr/{}",
        ARTICLE.replace(".md", ".html")
    ));
    assert!(fr.contains("<p>1 segment finding in"), "{fr}");
}
