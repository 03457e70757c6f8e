//! What `tolk check` prints, at scale: the human report (grouped, errors first, clipped
//! context, folded repeats, the table by rule), the filters (`--severity`, `--rule`,
//! `--locale`, paths), `--format short`, `--format sarif` and GitHub's job summary.

mod common;

use std::process::Command;

use common::{copy_tree, fixtures, Site};
use serde_json::Value;

fn fixture(name: &str) -> Site {
    let site = Site::new();
    copy_tree(&fixtures().join("check").join(name), site.root());
    site
}

fn json(site: &Site, args: &[&str]) -> Value {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let run = site.run(&all);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

fn rules_of(report: &Value) -> Vec<String> {
    let mut rules: Vec<String> = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| f["rule"].as_str().unwrap_or_default().to_owned())
        .collect();
    rules.dedup();
    rules
}

fn field<'a>(report: &'a Value, key: &str) -> Vec<&'a str> {
    report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| f[key].as_str().unwrap_or_default())
        .collect()
}

#[test]
fn filters_by_severity_rule_locale_and_path() {
    let site = fixture("drift");
    let all = json(&site, &[]);
    assert_eq!(all["summary"]["errors"], 17);

    let errors = json(&site, &["--severity", "error"]);
    assert_eq!(errors["summary"]["errors"], 17);
    assert_eq!(errors["summary"]["warnings"], 0);
    assert_eq!(errors["summary"]["infos"], 0);
    let warnings = json(&site, &["-s", "warning"]);
    assert_eq!(warnings["summary"]["warnings"], 8);
    assert_eq!(warnings["summary"]["infos"], 0);

    let links = json(&site, &["--rule", "broken-link", "--rule", "dnl-mismatch"]);
    let mut rules = rules_of(&links);
    rules.sort();
    rules.dedup();
    assert_eq!(rules, ["broken-link", "dnl-mismatch"]);

    let fr = json(&site, &["--locale", "fr"]);
    assert!(!field(&fr, "locale").is_empty());
    assert!(field(&fr, "locale").iter().all(|l| *l == "fr"), "{fr:#}");

    // Paths, relative to the current folder: a folder and a file.
    let folder = json(&site, &["content/it"]);
    assert!(!field(&folder, "path").is_empty());
    assert!(field(&folder, "path")
        .iter()
        .all(|p| p.starts_with("content/it/")));
    let file = json(&site, &["content/nl/rules/broken-link.md"]);
    assert_eq!(
        field(&file, "path"),
        [
            "content/nl/rules/broken-link.md",
            "content/nl/rules/broken-link.md"
        ]
    );
    // The exit code follows what is shown: the warnings of a file with no errors pass.
    site.run(&["check", "content/nl/rules/dnl-mismatch.md"])
        .success();
    site.run(&["check", "--strict", "content/nl/rules/dnl-mismatch.md"])
        .failure(1);
    site.run(&["check", "--severity", "error", "--rule", "dnl-mismatch"])
        .success()
        .stdout_has("0 errors, 0 warnings, 0 infos");
}

#[test]
fn bad_filters_say_what_to_pass() {
    let site = fixture("drift");
    site.run(&["check", "--rule", "broken-links"])
        .failure(2)
        .stderr_has("no rule is called `broken-links`; the rules are front-matter-invalid, ");
    site.run(&["check", "--locale", "de"])
        .failure(2)
        .stderr_has("--locale de: the site has no locale `de`")
        .stderr_has("pass one of en, nl, fr, it");
    site.run(&["check", "content/xx"])
        .failure(2)
        .stderr_has("content/xx: No such file or directory");
    let outside = tempfile::tempdir().expect("a folder");
    site.run(&["check", &outside.path().to_string_lossy()])
        .failure(2)
        .stderr_has("is not inside the site");
}

#[test]
fn short_format_is_one_line_per_finding_errors_first() {
    let site = fixture("drift");
    let run = site.run(&["check", "--format", "short"]);
    run.failure(1)
        .stdout_has("content/nl/rules/heading-mismatch.md:16:1: error[heading-mismatch] heading 2 of 2 differs from en")
        .stdout_has("content/fr/rules/missing-translation.md: error[missing-translation] fr lacks")
        .stderr_has("Checked 68 articles in 4 locales: 17 errors, 8 warnings, 1 info");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 26);
    let severity = |l: &str| {
        ["error[", "warning[", "info["]
            .iter()
            .position(|s| l.contains(&format!(": {s}")))
            .unwrap_or(9)
    };
    // Articles with errors come first: the first line is an error, the infos come last
    // but for those of articles with errors or warnings.
    assert_eq!(severity(lines[0]), 0, "{lines:#?}");
    assert_eq!(severity(lines[lines.len() - 1]), 2, "{lines:#?}");
    assert!(lines.iter().all(|l| severity(l) < 3), "{lines:#?}");
}

#[test]
fn human_report_folds_repeats_and_ends_with_a_table_by_rule() {
    let site = fixture("drift");
    let run = site.run(&["check"]);
    run.failure(1)
        // One broken link in four locales: one finding, with the other places.
        .stdout_has("error[broken-link]: the link `../nowhere.md` leads to nowhere.md, which does not exist in en, nl, fr, it (4 times)")
        .stdout_has("  also at: content/nl/rules/broken-link.md:16:25, content/fr/rules/broken-link.md:16:25, content/it/rules/broken-link.md:16:25")
        .stdout_has("rule                    severity  en  nl  fr  it  total\n")
        .stdout_has("broken-link             error      2   2   2   2      8\n");
    assert_eq!(run.stdout.matches("error[broken-link]").count(), 2);
}

/// The known-issues corpus (909 articles, 716 findings): the report stays workable.
#[test]
fn the_known_issues_report_is_workable() {
    let site = Site::new();
    let corpus = fixtures().join("known-issues");
    let output = Command::new(env!("CARGO_BIN_EXE_tolk"))
        .args(["check", "--root", &corpus.to_string_lossy()])
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .current_dir(site.root())
        .output()
        .expect("run tolk");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    // The first finding is an error; every line of context fits in 100 columns.
    let first = lines
        .iter()
        .find(|l| l.contains('['))
        .copied()
        .unwrap_or_default();
    assert!(first.starts_with("error["), "{first}");
    let context: Vec<&&str> = lines.iter().filter(|l| l.contains(" │ ")).collect();
    assert!(context.len() > 500);
    let widest = context.iter().map(|l| unicode_width(l)).max().unwrap_or(0);
    assert!(widest <= 100, "a line of context is {widest} columns wide");
    // It was 9,625 lines before grouping, clipping and folding (the segment rules added about
    // 250 lines of findings, most of them ui-label-inconsistent infos).
    assert!(lines.len() < 3_300, "{} lines", lines.len());
    assert!(stdout.contains(
        "source-commit-mismatch  warning    -   1   -  213    214\nwordcount-mismatch      warning    -   5   5    7     17\n"
    ), "{stdout}");
}

/// Columns a line takes: what the test needs of unicode-width (no CJK in the corpus).
fn unicode_width(line: &str) -> usize {
    line.chars().count()
}

#[test]
fn sarif_has_the_rules_and_one_result_per_finding() {
    let site = Site::new();
    copy_tree(&fixtures().join("check/drift"), &site.path("docs"));
    let run = site.run(&["check", "--format", "sarif", "--root", "docs"]);
    run.failure(1).stderr_has("17 errors");
    let sarif: Value = serde_json::from_str(&run.stdout).expect("SARIF is JSON");
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(
        sarif["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    let driver = &sarif["runs"][0]["tool"]["driver"];
    assert_eq!(driver["name"], "tolk");
    let rules = driver["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), 26);
    let broken = rules
        .iter()
        .position(|r| r["id"] == "broken-link")
        .expect("broken-link");
    assert_eq!(
        rules[broken]["help"]["text"],
        "fix the path or anchor, or remove the link"
    );
    assert_eq!(rules[broken]["defaultConfiguration"]["level"], "error");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), 26);
    let heading = results
        .iter()
        .find(|r| r["ruleId"] == "heading-mismatch")
        .expect("a heading-mismatch result");
    assert_eq!(heading["level"], "error");
    let place = &heading["locations"][0]["physicalLocation"];
    assert_eq!(
        place["artifactLocation"]["uri"],
        "docs/content/nl/rules/heading-mismatch.md"
    );
    assert_eq!(place["region"]["startLine"], 16);
    assert_eq!(place["region"]["startColumn"], 1);
    assert_eq!(
        heading["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "docs/content/en/rules/heading-mismatch.md"
    );
    let index = heading["ruleIndex"].as_u64().unwrap_or(99) as usize;
    assert_eq!(rules[index]["id"], "heading-mismatch");
    let info = results
        .iter()
        .find(|r| r["ruleId"] == "link-not-localized")
        .expect("an info");
    assert_eq!(info["level"], "note");
}

#[test]
fn github_format_writes_a_job_summary_and_annotates_errors_first() {
    let site = fixture("drift");
    let summary = site.path("summary.md");
    std::fs::write(&summary, "earlier step\n").expect("write");
    let output = Command::new(env!("CARGO_BIN_EXE_tolk"))
        .args(["check", "--format", "github"])
        .env("GITHUB_STEP_SUMMARY", &summary)
        .current_dir(site.root())
        .output()
        .expect("run tolk");
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let commands: Vec<&str> = stdout.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(commands.len(), 26);
    let last_error = commands
        .iter()
        .rposition(|l| l.starts_with("::error "))
        .unwrap_or(0);
    let first_other = commands
        .iter()
        .position(|l| !l.starts_with("::error "))
        .unwrap_or(0);
    assert_eq!(last_error + 1, first_other, "errors first: {commands:#?}");
    assert_eq!(last_error, 16);

    let text = std::fs::read_to_string(&summary).expect("the summary");
    assert!(
        text.starts_with("earlier step\n## tolk check\n"),
        "appended: {text}"
    );
    assert!(text.contains("| rule | severity | en | nl | fr | it | total |\n| --- | --- | ---: | ---: | ---: | ---: | ---: |\n"), "{text}");
    assert!(
        text.contains("| broken-link | error | 2 | 2 | 2 | 2 | 8 |\n"),
        "{text}"
    );
    assert!(text.contains("### Errors\n"), "{text}");
    assert!(text.contains("- `content/nl/rules/heading-mismatch.md:16:1` **heading-mismatch**: heading 2 of 2 differs from en"), "{text}");
    assert_eq!(text.matches("\n- `").count(), 17);
}

#[test]
fn the_job_summary_lists_the_first_50_errors() {
    let site = Site::new();
    let corpus = fixtures().join("known-issues");
    let summary = site.path("summary.md");
    let output = Command::new(env!("CARGO_BIN_EXE_tolk"))
        .args([
            "check",
            "--format",
            "github",
            "--root",
            &corpus.to_string_lossy(),
        ])
        .env("GITHUB_STEP_SUMMARY", &summary)
        .current_dir(site.root())
        .output()
        .expect("run tolk");
    assert_eq!(output.status.code(), Some(1));
    let text = std::fs::read_to_string(&summary).expect("the summary");
    assert!(text.contains("### The first 50 of 84 errors\n"), "{text}");
    assert_eq!(text.matches("\n- `").count(), 50);
}

#[test]
fn a_strict_build_shows_the_errors_only() {
    // The seeds have warnings (mt-artifact) and infos; one broken link makes an error.
    let site = Site::seeds();
    let nl = format!("content/nl/{}.md", common::SEED_PATH);
    site.file(&nl, &(site.read(&nl) + "\nZie [elders](nergens.md).\n"));
    let run = site.run(&["build", "--strict"]);
    run.failure(1)
        .stderr_has("error[broken-link]")
        .stderr_has("the translation checks found 1 error; the previous site was kept");
    assert!(!run.stderr.contains("warning["), "{}", run.stderr);
    assert!(!run.stderr.contains("info["), "{}", run.stderr);
}

/// 61 articles of the known-issues corpus have no exl-id and are paired by path: `--fix` adds
/// the one their translations carry, and a dry run shows it and what would remain.
#[test]
fn fix_adds_the_exl_id_to_articles_paired_by_path() {
    let site = Site::new();
    copy_tree(&fixtures().join("known-issues"), site.root());
    let nl = "content/nl/known-issues/known-issues-workfront-fusion/fusion-error-in-jira-search.md";
    let before = site.read(nl);
    site.run(&["check", "--fix", "--dry-run"])
        .failure(1)
        .stdout_has(&format!(
            "--- {nl}\n+++ {nl}\n@@ -1,0 +2,1 @@\n+exl-id: 9502ffb3-f287-47b2-9b35-1a906345e924\n"
        ))
        .stdout_has("Would fix 247 findings in 79 files (dry run: nothing was written)")
        .stdout_has("376 findings would remain: 23 errors, 250 warnings, 103 infos");
    assert_eq!(site.read(nl), before);
    site.run(&["check", "--fix"]).failure(1);
    assert_eq!(
        site.read(nl),
        before.replacen(
            "---\n",
            "---\nexl-id: 9502ffb3-f287-47b2-9b35-1a906345e924\n",
            1
        )
    );
    let report = json(&site, &["--rule", "front-matter-invalid"]);
    assert_eq!(report["summary"]["errors"], 0, "{report:#}");
}

#[test]
fn quiet_check_prints_the_errors_only_and_nothing_on_success() {
    let site = fixture("drift");
    let loud = site.run(&["check"]);
    assert!(loud.stdout.contains("warning"), "{}", loud.stdout);
    let run = site.run(&["check", "-q"]);
    run.failure(1);
    let last = run.stdout.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("check failed: Checked ") && last.contains("17 errors, 8 warnings"),
        "{}",
        run.stdout
    );
    // Every error, as the full report shows it; no warning, no table.
    for line in loud.stdout.lines().filter(|l| l.contains("error[")) {
        assert!(
            run.stdout.contains(line),
            "{line:?} missing from:\n{}",
            run.stdout
        );
    }
    assert!(!run.stdout.contains("warning["), "{}", run.stdout);
    assert!(run.stdout.len() < loud.stdout.len());
    assert_eq!(run.stderr, "");
    let short = site.run(&["check", "-q", "--format", "short"]);
    assert_eq!(
        short
            .stdout
            .lines()
            .filter(|l| l.contains(": error["))
            .count(),
        17,
        "{}",
        short.stdout
    );
    assert!(!short.stdout.contains(": warning["), "{}", short.stdout);

    // A site that passes (with warnings): not a byte.
    let passing = site.run(&[
        "check",
        "-q",
        "--severity",
        "warning",
        "--rule",
        "wordcount-mismatch",
    ]);
    passing.success();
    assert_eq!((passing.stdout.as_str(), passing.stderr.as_str()), ("", ""));
}

#[test]
fn fix_fills_in_the_groups_source_commit_and_wordcount() {
    const ID: &str = "4a911760-e3fe-4e77-b7aa-5d6e8f9a0b1c";
    const COMMIT: &str = "92419281092e3172a33499e288dd7867567a4ad5";
    let site = Site::new();
    let translated = |title: &str| {
        format!(
            "---\ntitle: {title}\nexl-id: {ID}\nsource-git-commit: {COMMIT}\nworkflow-type: tm+mt\n\
             source-wordcount: '188'\nht-degree: 100%\n\n---\n\n# {title}\n\nTekst.\n"
        )
    };
    // nl lacks both fields (with Windows line ends); it has neither exl-id nor the fields.
    let nl = "---\r\ntitle: Een\r\nexl-id: 4a911760-e3fe-4e77-b7aa-5d6e8f9a0b1c\r\n\
              workflow-type: tm+mt\r\nht-degree: 0%\r\n\r\n---\r\n\r\n# Een\r\n\r\nTekst.\r\n";
    let it = "---\ntitle: Uno\nfeature: X\n---\n\n# Uno\n\nTesto.\n";
    site.file(
        "content/en/a.md",
        &format!("---\ntitle: One\nexl-id: {ID}\n---\n\n# One\n\nText.\n"),
    )
    .file("content/fr/a.md", &translated("Un"))
    .file("content/de/a.md", &translated("Eins"))
    .file("content/nl/a.md", nl)
    .file("content/it/a.md", it);

    let run = site.run(&["check", "--format", "short"]);
    run.stdout_has(&format!(
        "content/nl/a.md:4:1: warning[source-commit-mismatch] the article has no source-git-commit; the group's is {COMMIT}"
    ))
    .stdout_has("content/nl/a.md:4:1: warning[wordcount-mismatch] the article has no source-wordcount; the group's is 188");

    site.run(&["check", "--fix", "--dry-run"])
        .stdout_has(&format!("+source-git-commit: {COMMIT}\r\n"));
    assert_eq!(site.read("content/nl/a.md"), nl, "a dry run writes nothing");
    site.run(&["check", "--fix"]);
    assert_eq!(
        site.read("content/nl/a.md"),
        nl.replacen(
            "b1c\r\n",
            &format!("b1c\r\nsource-git-commit: {COMMIT}\r\nsource-wordcount: '188'\r\n"),
            1
        ),
        "the two lines after the exl-id, every other byte as it was"
    );
    assert_eq!(
        site.read("content/it/a.md"),
        format!(
            "---\nexl-id: {ID}\nsource-git-commit: {COMMIT}\nsource-wordcount: '188'\n\
             title: Uno\nfeature: X\n---\n\n# Uno\n\nTesto.\n"
        ),
        "the exl-id first, then the fields"
    );
    assert_eq!(site.read("content/fr/a.md"), translated("Un"));
    let report = json(
        &site,
        &[
            "--rule",
            "source-commit-mismatch",
            "--rule",
            "wordcount-mismatch",
        ],
    );
    assert_eq!(report["summary"]["warnings"], 0, "{report:#}");
}

/// A reader that stops reading (`tolk check | head`) ends the report quietly: the exit code
/// is the check's own, never a panic on the broken pipe.
#[test]
fn a_reader_that_stops_reading_ends_the_report_quietly() {
    use std::io::Read;
    use std::process::Stdio;
    let site = Site::new();
    let corpus = fixtures().join("known-issues");
    let mut child = Command::new(env!("CARGO_BIN_EXE_tolk"))
        .args(["check", "--root", &corpus.to_string_lossy()])
        .env("NO_COLOR", "1")
        .current_dir(site.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tolk");
    // The report is several hundred kilobytes: more than the pipe holds.
    let mut first = [0u8; 512];
    child
        .stdout
        .take()
        .expect("stdout")
        .read_exact(&mut first)
        .expect("the report starts");
    let output = child.wait_with_output().expect("tolk ends");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    // The known-issues corpus has errors: the check fails, as it would with every line read.
    assert_eq!(output.status.code(), Some(1), "{stderr}");
}
