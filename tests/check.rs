//! `tolk check` end to end: the real binary on the fixture sites in tests/fixtures/check/, the
//! seed site and the known-issues corpus.

mod common;

use common::{copy_tree, fixtures, Site};
use serde_json::Value;

/// A copy of the fixture site `name` (tests/fixtures/check/NAME) in a temporary folder.
fn fixture(name: &str) -> Site {
    let site = Site::new();
    copy_tree(&fixtures().join("check").join(name), site.root());
    site
}

/// The JSON report of `tolk check` with `args`, checking the exit code.
fn json(site: &Site, args: &[&str], code: i32) -> Value {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let run = site.run(&all);
    run.failure(code);
    serde_json::from_str(&run.stdout).expect("the JSON report parses")
}

fn findings(report: &Value) -> &Vec<Value> {
    report["findings"].as_array().expect("a findings array")
}

fn of_rule<'a>(report: &'a Value, rule: &str) -> Vec<&'a Value> {
    findings(report)
        .iter()
        .filter(|f| f["rule"] == rule)
        .collect()
}

#[test]
fn clean_site_passes_without_findings() {
    let site = fixture("clean");
    let report = json(&site, &[], 0);
    assert_eq!(findings(&report).len(), 0, "{report:#}");
    assert_eq!(report["summary"]["articles"], 8);
    let human = site.run(&["check"]);
    human
        .success()
        .stdout_has("locale  articles  in sync  out of sync  missing")
        .stdout_has("nl             2        2            0        0")
        .stdout_has("Checked 8 articles in 4 locales: 0 errors, 0 warnings, 0 infos");
}

/// Every rule fires in the drift site exactly where its defect is, and nowhere else.
#[test]
fn every_rule_fires_on_its_defect_and_nowhere_else() {
    let site = fixture("drift");
    let report = json(&site, &[], 1);
    // (rule, severity, locale, path, line, column, part of the message)
    type Expected = (
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        Option<u64>,
        Option<u64>,
        &'static str,
    );
    let expected: &[Expected] = &[
        (
            "front-matter-invalid",
            "error",
            "nl",
            "content/nl/rules/front-matter-invalid.md",
            Some(10),
            Some(12),
            "ht-degree `140%` is not a percentage",
        ),
        (
            "duplicate-exl-id",
            "error",
            "nl",
            "content/nl/rules/duplicate-exl-id-copy.md",
            Some(6),
            Some(1),
            "is also the exl-id of content/nl/rules/duplicate-exl-id.md",
        ),
        (
            "missing-translation",
            "error",
            "fr",
            "content/fr/rules/missing-translation.md",
            None,
            None,
            "fr lacks the article with exl-id",
        ),
        (
            "path-mismatch",
            "warning",
            "fr",
            "content/fr/elsewhere/path-mismatch.md",
            Some(6),
            Some(1),
            "but the en one is at rules/path-mismatch.md",
        ),
        (
            "source-commit-mismatch",
            "warning",
            "nl",
            "content/nl/rules/source-commit-mismatch.md",
            Some(7),
            Some(1),
            "(nl 932556d, fr b4b45bb, it b4b45bb)",
        ),
        (
            "wordcount-mismatch",
            "warning",
            "it",
            "content/it/rules/wordcount-mismatch.md",
            Some(9),
            Some(1),
            "(nl 50, fr 50, it 48)",
        ),
        (
            "metadata-mismatch",
            "warning",
            "fr",
            "content/fr/rules/metadata-mismatch.md",
            Some(4),
            Some(1),
            "feature is `Gestion du travail` here but `Work Management` in en",
        ),
        (
            "heading-mismatch",
            "error",
            "nl",
            "content/nl/rules/heading-mismatch.md",
            Some(16),
            Some(1),
            "nl has a level-3 heading {#part}, en has a level-2 heading {#part}",
        ),
        (
            "callout-mismatch",
            "error",
            "fr",
            "content/fr/rules/callout-mismatch.md",
            Some(18),
            Some(1),
            "fr has [!TIP], en has [!NOTE]",
        ),
        (
            "code-block-mismatch",
            "error",
            "it",
            "content/it/rules/code-block-mismatch.md",
            Some(22),
            Some(1),
            "its line 1 is `echo \"ciao\"`, en has `echo \"hello\"`",
        ),
        (
            "link-target-mismatch",
            "warning",
            "nl",
            "content/nl/rules/link-target-mismatch.md",
            Some(26),
            Some(5),
            "nl has `https://learn.microsoft.com/nl-nl/office/y`",
        ),
        (
            "link-not-localized",
            "info",
            "fr",
            "content/fr/rules/link-not-localized.md",
            Some(26),
            Some(5),
            "the `en-us` version of learn.microsoft.com; fr readers may have a `fr-fr` version",
        ),
        (
            "dnl-mismatch",
            "warning",
            "nl",
            "content/nl/rules/dnl-mismatch.md",
            Some(14),
            Some(30),
            "lacks `Outlook` that en has and has `Vooruitzichten`",
        ),
        (
            "broken-link",
            "error",
            "en",
            "content/en/rules/broken-link.md",
            Some(12),
            Some(5),
            "the link `#fix` leads to no heading",
        ),
        (
            "broken-link",
            "error",
            "en",
            "content/en/rules/broken-link.md",
            Some(12),
            Some(25),
            "leads to nowhere.md, which does not exist",
        ),
        (
            "mt-artifact",
            "warning",
            "nl",
            "content/nl/rules/mt-artifact.md",
            Some(26),
            Some(5),
            "starts and ends with a zero-width space",
        ),
        (
            "mt-artifact",
            "warning",
            "fr",
            "content/fr/rules/mt-artifact.md",
            Some(14),
            Some(6),
            "empty bold",
        ),
        (
            "ui-string-missing",
            "error",
            "fr",
            "locales/fr/",
            None,
            None,
            "the UI string `extra-message` is missing in locale fr; nl has it",
        ),
    ];
    for (rule, severity, locale, path, line, column, message) in expected {
        let found = of_rule(&report, rule).into_iter().find(|f| {
            f["locale"] == *locale
                && f["path"] == *path
                && f["line"].as_u64() == *line
                && f["column"].as_u64() == *column
        });
        let Some(found) = found else {
            panic!("no {rule} at {path}:{line:?}:{column:?} in\n{report:#}");
        };
        assert_eq!(found["severity"], *severity, "{found:#}");
        let text = found["message"].as_str().unwrap_or_default();
        assert!(text.contains(message), "{rule}: {text}");
    }
    // No rule fires outside its own article.
    for f in findings(&report) {
        let rule = f["rule"].as_str().unwrap_or_default();
        let path = f["path"].as_str().unwrap_or_default();
        let own = match rule {
            "ui-string-missing" => path.starts_with("locales/"),
            "duplicate-exl-id" => path.ends_with("/rules/duplicate-exl-id-copy.md"),
            "path-mismatch" => path.ends_with("/elsewhere/path-mismatch.md"),
            _ => path.ends_with(&format!("/rules/{rule}.md")),
        };
        assert!(own, "{rule} fired on {path}: {f:#}");
    }
    let count = |rule: &str| of_rule(&report, rule).len();
    assert_eq!(
        count("broken-link"),
        8,
        "two broken links in each of 4 locales"
    );
    assert_eq!(
        count("ui-string-missing"),
        3,
        "en, fr and it lack the nl message"
    );
    assert_eq!(findings(&report).len(), 26);
}

#[test]
fn json_report_follows_the_documented_schema() {
    let site = fixture("drift");
    let report = json(&site, &[], 1);
    assert_eq!(report["version"], 1);
    let summary = &report["summary"];
    assert_eq!(summary["errors"], 17);
    assert_eq!(summary["warnings"], 8);
    assert_eq!(summary["infos"], 1);
    assert_eq!(summary["articles"], 68);
    let fr = summary["locales"]
        .as_array()
        .and_then(|l| l.iter().find(|l| l["locale"] == "fr"))
        .expect("a summary for fr");
    assert_eq!(fr["missing"], 1);
    assert_eq!(fr["articles"], 16);
    let keys = [
        "rule", "severity", "locale", "path", "line", "column", "exl_id", "message", "related",
    ];
    for f in findings(&report) {
        let object = f.as_object().expect("a finding object");
        assert_eq!(object.len(), keys.len(), "{f:#}");
        for key in keys {
            assert!(object.contains_key(key), "{key} in {f:#}");
        }
    }
    let missing = &of_rule(&report, "missing-translation")[0];
    assert!(missing["line"].is_null() && missing["column"].is_null());
    assert_eq!(missing["exl_id"], "89b1a17a-e591-53fd-89c6-c34cbb11886e");
    let where_it_is: Vec<&str> = missing["related"]
        .as_array()
        .expect("related")
        .iter()
        .map(|r| r["locale"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(where_it_is, ["en", "nl", "it"]);
    let heading = &of_rule(&report, "heading-mismatch")[0];
    assert_eq!(
        heading["related"][0]["path"],
        "content/en/rules/heading-mismatch.md"
    );
    assert_eq!(heading["related"][0]["line"], 12);
}

#[test]
fn github_format_annotates_files_from_the_repository_root() {
    let site = Site::new();
    copy_tree(&fixtures().join("check/drift"), &site.path("docs"));
    let run = site.run(&["check", "--format", "github", "--root", "docs"]);
    run.failure(1)
        .stdout_has("::error file=docs/content/nl/rules/heading-mismatch.md,line=16,col=1,title=heading-mismatch::heading 2 of 2 differs from en")
        .stdout_has("::warning file=docs/content/nl/rules/mt-artifact.md,line=26,col=5,title=mt-artifact::")
        .stdout_has("::notice file=docs/content/fr/rules/link-not-localized.md,line=26,col=5,title=link-not-localized::")
        .stdout_has("::error file=docs/content/fr/rules/missing-translation.md,title=missing-translation::fr lacks")
        .stdout_has("%0Aen: docs/content/en/rules/heading-mismatch.md:12:1");
    let commands = run.stdout.lines().filter(|l| l.starts_with("::")).count();
    assert_eq!(commands, 26);
}

#[test]
fn junit_format_has_a_test_case_per_article_and_locale() {
    let site = fixture("drift");
    let run = site.run(&["check", "--format", "junit"]);
    run.failure(1);
    let xml = &run.stdout;
    assert!(
        xml.starts_with(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"tolk check\""
        ),
        "{xml}"
    );
    // 17 translation groups in 4 locales, the nl duplicate, and a UI strings case in en, fr, it.
    assert_eq!(xml.matches("<testcase ").count(), 17 * 4 + 1 + 3, "{xml}");
    assert!(
        xml.contains("<testsuites name=\"tolk check\" tests=\"72\" failures=\"13\""),
        "{xml}"
    );
    assert_eq!(xml.matches("<testsuite name=").count(), 4);
    assert!(xml.contains("<testcase classname=\"nl\" name=\"rules/heading-mismatch.md\" file=\"content/nl/rules/heading-mismatch.md\">\n      <failure type=\"heading-mismatch\""), "{xml}");
    assert!(xml.contains("<testcase classname=\"nl\" name=\"guide/setup.md\" file=\"content/nl/guide/setup.md\"/>"), "{xml}");
    assert!(
        xml.contains("<failure type=\"missing-translation\""),
        "{xml}"
    );
    assert!(
        xml.contains("<system-out>content/nl/rules/dnl-mismatch.md:14:30: warning[dnl-mismatch]"),
        "{xml}"
    );
    assert!(xml.contains("`echo &quot;ciao&quot;`"), "{xml}");
    assert_eq!(xml.matches("<failure ").count(), 17);
    assert!(xml.trim_end().ends_with("</testsuites>"));
}

#[test]
fn human_format_shows_the_source_line_grouped_by_article() {
    let site = fixture("drift");
    let run = site.run(&["check"]);
    run.failure(1)
        .stdout_has("── rules/heading-mismatch.md (exl-id ")
        .stdout_has("error[heading-mismatch]: heading 2 of 2 differs from en")
        .stdout_has("  --> content/nl/rules/heading-mismatch.md:16:1\n16 │ ### Part de {#part}\n   │ ^^^^^^^^^^^^^^^^^^^")
        .stdout_has("  en: content/en/rules/heading-mismatch.md:12:1")
        .stdout_has("fr lacks the article")
        .stdout_has(" --> content/fr/rules/missing-translation.md\n")
        .stdout_has("Checked 68 articles in 4 locales: 17 errors, 8 warnings, 1 info");
    // Articles with errors come before those with warnings only; in order otherwise.
    let heading = run.stdout.find("── rules/heading-mismatch.md").unwrap_or(0);
    let callout = run.stdout.find("── rules/callout-mismatch.md").unwrap_or(0);
    let dnl = run.stdout.find("── rules/dnl-mismatch.md").unwrap_or(0);
    assert!(callout < heading, "grouped by article, in order");
    assert!(heading < dnl, "errors first: {}", run.stdout);
}

#[test]
fn exit_codes_errors_warnings_and_strict() {
    let site = fixture("clean");
    // A warning only: passes, unless --strict.
    let path = site.path("content/fr/guide/other.md");
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, text.replace("[le setup]", "[ le setup ]")).expect("write");
    site.run(&["check"])
        .success()
        .stdout_has("0 errors, 1 warning");
    site.run(&["check", "--strict"]).failure(1);
    // An error fails without --strict.
    let path = site.path("content/it/guide/other.md");
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(
        &path,
        text.replace("## Intro {#intro}", "### Intro {#intro}"),
    )
    .expect("write");
    site.run(&["check"])
        .failure(1)
        .stdout_has("1 error, 1 warning");
}

#[test]
fn a_check_that_cannot_run_exits_with_2() {
    let site = Site::new();
    site.run(&["check"])
        .failure(2)
        .stderr_has("has neither a tolk.toml nor a content/ folder");
    let site = fixture("clean");
    site.file(
        "tolk.toml",
        "[[locales]]\ncode = \"nl\"\n\n[check]\nheading-mismach = \"off\"\n",
    );
    site.run(&["check"])
        .failure(2)
        .stderr_has("tolk.toml:5:1: unknown check rule `heading-mismach`")
        .stderr_has("the rules are: front-matter-invalid, ");
    site.file("tolk.toml", "[[locales]]\ncode = \"de\"\n");
    site.run(&["check"])
        .failure(2)
        .stderr_has("the content folder of locale `de` does not exist");
    site.run(&["check", "--dry-run"])
        .failure(2)
        .stderr_has("--fix");
}

#[test]
fn check_table_changes_severities_and_turns_rules_off() {
    let site = fixture("drift");
    let toml = std::fs::read_to_string(site.path("tolk.toml")).expect("read");
    site.file(
        "tolk.toml",
        &format!("{toml}\n[check]\nheading-mismatch = \"off\"\nlink-not-localized = \"error\"\nbroken-link = \"warning\"\n"),
    );
    let report = json(&site, &[], 1);
    assert!(of_rule(&report, "heading-mismatch").is_empty());
    assert_eq!(
        of_rule(&report, "link-not-localized")[0]["severity"],
        "error"
    );
    assert!(of_rule(&report, "broken-link")
        .iter()
        .all(|f| f["severity"] == "warning"));
    assert_eq!(report["summary"]["errors"], 17 - 1 - 8 + 1);
}

#[test]
fn fix_trims_machine_translation_damage_and_dry_run_only_shows_it() {
    let site = fixture("drift");
    let nl = "content/nl/rules/mt-artifact.md";
    let before = site.read(nl);
    let run = site.run(&["check", "--fix", "--dry-run"]);
    run.failure(1)
        .stdout_has("--- content/nl/rules/mt-artifact.md\n+++ content/nl/rules/mt-artifact.md\n@@ -26 +26 @@\n-See [&#x200B; Microsoft de &#x200B;](https://learn.microsoft.com/nl-nl/office/x).\n+See [Microsoft de](https://learn.microsoft.com/nl-nl/office/x).\n")
        .stdout_has("@@ -14 +14 @@\n-Text **&#x200B;** le [!DNL Workfront]")
        .stdout_has("Would fix 2 findings in 2 files (dry run: nothing was written)")
        .stdout_has("24 findings would remain: 17 errors, 6 warnings, 1 info; run `tolk check` for the details");
    assert!(
        !run.stdout.contains("error[") && !run.stdout.contains("──"),
        "a dry run shows the diff, not the report: {}",
        run.stdout
    );
    assert_eq!(site.read(nl), before, "a dry run writes nothing");

    let run = site.run(&["check", "--fix"]);
    run.failure(1)
        .stdout_has("content/nl/rules/mt-artifact.md:26:5: fixed: the link text starts and ends with a zero-width space")
        .stdout_has("Fixed 2 findings in 2 files");
    assert_eq!(
        site.read(nl),
        before.replace("[&#x200B; Microsoft de &#x200B;]", "[Microsoft de]")
    );
    assert!(site
        .read("content/fr/rules/mt-artifact.md")
        .contains("Text  le"));
    assert!(
        !run.stdout.contains("warning[mt-artifact]"),
        "fixed findings are not reported: {}",
        run.stdout
    );
    let report = json(&site, &[], 1);
    assert!(of_rule(&report, "mt-artifact").is_empty());
    // Nothing left to fix; no temporary files left behind.
    site.run(&["check", "--fix"])
        .failure(1)
        .stdout_has("Fixed 0 findings in 0 files");
    let leftovers: Vec<String> = site
        .files("content/nl/rules")
        .into_iter()
        .filter(|f| !f.ends_with(".md"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn seeds_pass_with_infos_and_warnings_only() {
    let site = Site::seeds();
    let report = json(&site, &[], 0);
    assert_eq!(report["summary"]["errors"], 0, "{report:#}");
    let not_localized = of_rule(&report, "link-not-localized");
    assert!(
        not_localized.iter().filter(|f| f["locale"] == "nl").count() >= 2,
        "{report:#}"
    );
    assert!(not_localized.iter().all(|f| f["severity"] == "info"));
    let artifacts = of_rule(&report, "mt-artifact");
    assert_eq!(artifacts.len(), 3, "{report:#}");
    assert!(artifacts
        .iter()
        .all(|f| f["locale"] == "nl" && f["severity"] == "warning"));
    site.run(&["check", "--strict"]).failure(1);
}

/// The known-issues corpus: findings verified by hand (see the closing note of issue 4).
#[test]
fn known_issues_corpus_findings() {
    let site = Site::new();
    let corpus = fixtures().join("known-issues");
    let report = json(&site, &["--root", &corpus.to_string_lossy()], 1);
    let counts = [
        ("front-matter-invalid", 61),
        ("duplicate-exl-id", 0),
        ("missing-translation", 3),
        ("path-mismatch", 0),
        // 209 translations differ on both: one finding each, a source-commit-mismatch.
        ("source-commit-mismatch", 214),
        ("wordcount-mismatch", 17),
        ("metadata-mismatch", 0),
        ("heading-mismatch", 0),
        ("callout-mismatch", 1),
        ("code-block-mismatch", 0),
        ("link-target-mismatch", 1),
        ("link-not-localized", 0),
        ("dnl-mismatch", 0),
        ("broken-link", 19),
        ("mt-artifact", 191),
        ("ui-string-missing", 0),
    ];
    for (rule, expected) in counts {
        assert_eq!(of_rule(&report, rule).len(), expected, "{rule}");
    }
    let both = of_rule(&report, "source-commit-mismatch")
        .into_iter()
        .filter(|f| {
            let message = f["message"].as_str().unwrap_or_default();
            message.starts_with("made from another version of the source (source-git-commit: ")
                && message.contains("; source-wordcount: ")
        })
        .count();
    assert_eq!(both, 209);
    let callout = &of_rule(&report, "callout-mismatch")[0];
    assert_eq!(callout["path"], "content/nl/maintenance/2024-updates.md");
    assert_eq!(callout["line"], 1103);
    let missing: Vec<&str> = of_rule(&report, "missing-translation")
        .iter()
        .map(|f| f["locale"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(missing, ["en", "fr", "it"]);
}

#[test]
fn build_prints_the_check_summary_and_strict_keeps_the_old_site() {
    let site = fixture("clean");
    site.run(&["build"])
        .success()
        .stdout_has("Built 8 articles")
        .stdout_has("Checked 8 articles in 4 locales: 0 errors, 0 warnings, 0 infos");
    site.run(&["build", "--no-check"]).success();
    assert!(!site
        .run(&["build", "--no-check"])
        .stdout
        .contains("Checked"));
    let page = "public/nl/guide/other/index.html";
    let old = site.read(page);
    site.file(
        "content/nl/guide/other.md",
        &site
            .read("content/nl/guide/other.md")
            .replace("## Intro {#intro}", "### Intro {#intro}\n\nNieuw."),
    );
    // Without --strict a check error does not stop the build.
    site.run(&["build", "--out", "elsewhere"])
        .success()
        .stdout_has("1 error");
    site.run(&["build", "--strict"])
        .failure(1)
        .stderr_has("error[heading-mismatch]")
        .stderr_has("the translation checks found 1 error; the previous site was kept");
    assert_eq!(site.read(page), old);
}
