//! `tolk handoff export` and `import` end to end, in git repositories each test makes (the
//! `git` command line sets them up; tolk reads them with gix).

mod common;

use std::path::Path;
use std::process::Command;

use common::Site;

const ID: &str = "4a911760-e3fe-4e77-b7aa-b08f9ea59d6a";
const TOML: &str = "title = \"Handoff\"\nsource-locale = \"en\"\n\n[[locales]]\ncode = \"en\"\n\n\
                    [[locales]]\ncode = \"nl\"\n";

fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .args(["-c", "user.name=Writer", "-c", "user.email=w@example.com"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(["-c", "core.autocrlf=false"])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("run git");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

/// Commits everything with `message`; returns the commit id.
fn commit(site: &Site, message: &str) -> String {
    git(site.root(), &["add", "-A"]);
    git(
        site.root(),
        &["commit", "-q", "--allow-empty", "-m", message],
    );
    git(site.root(), &["rev-parse", "HEAD"])
}

fn source(body: &str) -> String {
    format!("---\ntitle: Alpha\nexl-id: {ID}\n---\n{body}")
}

const EN: &str =
    "# Alpha {#alpha}\n\nFirst paragraph with 10 items.\n\nSecond paragraph about `code`.\n\n\
                  Third paragraph ends here.\n";
const NL: &str =
    "# Alfa {#alpha}\n\nEerste alinea met 10 dingen.\n\nTweede alinea over `code`.\n\n\
                  Derde alinea eindigt hier.\n";

/// A site whose Dutch translation was made from the first commit; returns it and that commit.
fn site() -> (Site, String) {
    let site = Site::new();
    git(site.root(), &["init", "-q"]);
    site.file("tolk.toml", TOML)
        .file("content/en/a.md", &source(EN));
    let first = commit(&site, "en: a");
    site.file(
        "content/nl/a.md",
        &format!(
            "---\ntitle: Alfa\nexl-id: {ID}\nsource-git-commit: {first}\nsource-wordcount: '15'\n\
             workflow-type: tm+mt\n---\n{NL}"
        ),
    );
    commit(&site, "nl: a");
    (site, first)
}

/// The units of an exported file: (id, source, target).
fn units(xliff: &str) -> Vec<(String, String, Option<String>)> {
    let tag = |block: &str, name: &str| {
        let open = format!("<{name}>");
        let start = block.find(&open)? + open.len();
        let end = block[start..].find(&format!("</{name}>"))? + start;
        Some(block[start..end].to_owned())
    };
    xliff
        .split("<trans-unit ")
        .skip(1)
        .map(|block| {
            let id = block.split('"').nth(1).unwrap_or_default().to_owned();
            (
                id,
                tag(block, "source").unwrap_or_default(),
                tag(block, "target"),
            )
        })
        .collect()
}

fn export(site: &Site) -> String {
    let run = site.run(&["handoff", "export", "--locale", "nl"]);
    run.success();
    run.stdout.clone()
}

/// Changes the second paragraph and adds one after the third.
fn change_two(site: &Site) -> String {
    let changed = EN
        .replace("about `code`.", "about `code` and more.")
        .replace(
            "ends here.\n",
            "ends here.\n\nA new paragraph at the end.\n",
        );
    site.file("content/en/a.md", &source(&changed));
    commit(site, "en: a changed")
}

#[test]
fn a_changed_and_an_added_paragraph_are_the_two_units() {
    let (site, _) = site();
    change_two(&site);
    let xliff = export(&site);
    let got = units(&xliff);
    assert_eq!(
        got,
        [
            (
                format!("{ID}/2-paragraph"),
                "Second paragraph about <ph id=\"1\" ctype=\"x-code\">`code`</ph> and more."
                    .to_owned(),
                Some("Tweede alinea over <ph id=\"1\" ctype=\"x-code\">`code`</ph>.".to_owned())
            ),
            (
                format!("{ID}/4-paragraph"),
                "A new paragraph at the end.".to_owned(),
                None
            ),
        ],
        "{xliff}"
    );
    assert!(
        xliff.contains(
            "<file original=\"content/nl/a.md\" source-language=\"en\" target-language=\"nl\""
        ),
        "{xliff}"
    );
    assert!(
        xliff.contains(&format!(
            "<note>content/en/a.md; exl-id {ID}; paragraph (added); 6 words; under Alpha</note>\n        \
             <context-group name=\"tolk\" purpose=\"information\"><context context-type=\"x-heading-path\">Alpha</context></context-group>\n"
        )),
        "{xliff}"
    );
}

#[test]
fn whitespace_and_translation_none_commits_export_nothing() {
    let (site, _) = site();
    let rewrapped = EN.replace("First paragraph with 10", "First   paragraph\nwith 10");
    site.file("content/en/a.md", &source(&rewrapped));
    commit(&site, "en: re-wrap");
    assert_eq!(units(&export(&site)), []);
    let typo = rewrapped.replace("ends here.", "ends  here!");
    site.file("content/en/a.md", &source(&typo));
    commit(&site, "en: punctuation\n\nTranslation: none");
    assert_eq!(units(&export(&site)), []);
    let run = site.run(&["handoff", "export", "--locale", "nl"]);
    run.stderr_has("0 segments (0 words) of 0 articles");
    site.file("content/en/a.md", &source(EN));
    commit(&site, "en: back\n\nTranslation: none");
    let check = site.run(&["check", "--format", "json"]);
    assert!(
        check.stdout.contains("\"rule\": \"stale-translation\""),
        "the re-wrap still counts for the check: {}",
        check.stdout
    );
    let only_none = Site::new();
    git(only_none.root(), &["init", "-q"]);
    only_none
        .file("tolk.toml", TOML)
        .file("content/en/a.md", &source(EN));
    let first = commit(&only_none, "en: a");
    only_none.file(
        "content/nl/a.md",
        &format!("---\ntitle: Alfa\nexl-id: {ID}\nsource-git-commit: {first}\n---\n{NL}"),
    );
    commit(&only_none, "nl: a");
    only_none.file(
        "content/en/a.md",
        &source(&EN.replace("ends here.", "ends here!")),
    );
    commit(&only_none, "en: typo\n\nTranslation: none");
    let check = only_none.run(&["check", "--format", "json"]);
    assert!(
        !check.stdout.contains("stale-translation"),
        "{}",
        check.stdout
    );
}

/// The XLIFF with every unit's target set to `NL <n>`.
fn fill(xliff: &str) -> String {
    let mut out = String::new();
    let mut n = 0;
    for line in xliff.lines() {
        if line.trim_start().starts_with("<target>") {
            continue;
        }
        out.push_str(line);
        out.push('\n');
        if line.trim_start().starts_with("<source>") {
            n += 1;
            // A heading keeps its `#` marks (and {#id}, which these have none of).
            let source = line.trim_start().trim_start_matches("<source>");
            let marks: String = source.chars().take_while(|c| *c == '#').collect();
            let text = if marks.is_empty() {
                format!("Vertaalde alinea {n}.")
            } else {
                format!("{marks} Vertaalde kop {n}")
            };
            out.push_str(&format!("        <target>{text}</target>\n"));
        }
    }
    out
}

#[test]
fn filled_targets_import_into_only_their_segments_and_the_check_is_in_sync() {
    let (site, _) = site();
    let head = change_two(&site);
    site.file("nl.xlf", &fill(&export(&site)));
    let before = site.read("content/nl/a.md");
    let dry = site.run(&["handoff", "import", "nl.xlf", "--dry-run"]);
    dry.success().stdout_has("+Vertaalde alinea 1.");
    assert_eq!(
        site.read("content/nl/a.md"),
        before,
        "a dry run writes nothing"
    );
    site.run(&["handoff", "import", "nl.xlf"]).success();
    let expected = before
        .replace("Tweede alinea over `code`.", "Vertaalde alinea 1.")
        .replace("eindigt hier.\n", "eindigt hier.\n\nVertaalde alinea 2.\n")
        .replace(
            &before[before.find("source-git-commit").unwrap_or(0)
                ..before.find("workflow-type").unwrap_or(0)],
            &format!("source-git-commit: {head}\nsource-wordcount: '23'\n"),
        );
    assert_eq!(site.read("content/nl/a.md"), expected);
    let check = site.run(&["check", "--format", "json"]);
    assert!(
        !check.stdout.contains("stale-translation"),
        "{}",
        check.stdout
    );
    assert_eq!(units(&export(&site)), [], "nothing is left to hand off");
}

/// The first `<trans-unit>` of `xliff`, whole.
fn unit_block(xliff: &str) -> String {
    block(xliff, "<trans-unit ", "</trans-unit>")
}

/// The first `<file>` of `xliff`, whole.
fn file_block(xliff: &str) -> String {
    block(xliff, "<file ", "</file>")
}

fn block(xliff: &str, open: &str, close: &str) -> String {
    let start = xliff.find(open).unwrap_or(0);
    let end = xliff.find(close).map_or(0, |e| e + close.len());
    xliff[start..end.max(start)].to_owned()
}

#[test]
fn a_hostile_file_changes_nothing() {
    let (site, _) = site();
    change_two(&site);
    let filled = fill(&export(&site));
    let before = site.read("content/nl/a.md");
    let cases = [
        (
            filled.replacen(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e \"boom\">]>",
                1,
            ),
            "DOCTYPE",
        ),
        (
            filled.replacen("Vertaalde alinea 1.", "&e;", 1),
            "the entity `&e;` is not allowed",
        ),
        (
            filled.replacen(
                &format!("{ID}/2-paragraph"),
                &format!("{ID}/9-paragraph"),
                1,
            ),
            "no such unit",
        ),
        (
            filled.replacen(
                "Vertaalde alinea 1.",
                "&lt;script&gt;alert(1)&lt;/script&gt;",
                1,
            ),
            "`<script>`",
        ),
        (
            filled.replacen("Vertaalde alinea 2.", "x<b>y</b>", 1),
            "markup in a target is refused",
        ),
        (
            filled.replacen("<target>Vertaalde alinea 2.</target>", "", 1),
            "the target is missing",
        ),
        (
            filled.replacen("A new paragraph", "An old paragraph", 1),
            "the source no longer matches",
        ),
        (
            filled.replacen("</body>", &format!("{}</body>", unit_block(&filled)), 1),
            "more than once",
        ),
        (
            filled.replacen("</xliff>", &format!("{}</xliff>", file_block(&filled)), 1),
            "more than one <file>",
        ),
    ];
    for (text, what) in cases {
        site.file("bad.xlf", &text);
        let run = site.run(&["handoff", "import", "bad.xlf"]);
        run.failure(1).stderr_has(what).stderr_has("bad.xlf:");
        assert_eq!(site.read("content/nl/a.md"), before, "{what}");
    }
}

#[test]
fn a_missing_translation_exports_every_segment_and_imports_as_a_new_article() {
    let (site, _) = site();
    site.file("content/en/b.md", "---\ntitle: Beta\nexl-id: 8c00751a-c706-4248-8266-87c457ce367f\n---\n# Beta\n\nOnly paragraph.\n");
    commit(&site, "en: b");
    let xliff = export(&site);
    let got: Vec<String> = units(&xliff).into_iter().map(|u| u.1).collect();
    assert_eq!(got, ["# Beta", "Only paragraph."]);
    site.file("nl.xlf", &fill(&xliff));
    site.run(&["handoff", "import", "nl.xlf"]).success();
    let made = site.read("content/nl/b.md");
    assert!(
        made.ends_with("---\n# Vertaalde kop 1\n\nVertaalde alinea 2.\n"),
        "{made}"
    );
    assert!(made.contains("source-git-commit: "), "{made}");
}

#[test]
fn after_a_translation_none_commit_only_the_counted_change_is_exported() {
    let (site, _) = site();
    let typo = EN.replace("ends here.", "ends here!");
    site.file("content/en/a.md", &source(&typo));
    commit(&site, "en: typo\n\nTranslation: none");
    let real = typo.replace(
        "First paragraph with 10 items.",
        "First paragraph with 12 items.",
    );
    site.file("content/en/a.md", &source(&real));
    commit(&site, "en: twelve");
    let got: Vec<String> = units(&export(&site)).into_iter().map(|u| u.0).collect();
    assert_eq!(got, [format!("{ID}/1-paragraph")]);
}

#[test]
fn the_file_names_no_path_to_write_to() {
    let (site, _) = site();
    change_two(&site);
    let filled = fill(&export(&site)).replace("content/nl/a.md", "../../evil.md");
    site.file("nl.xlf", &filled);
    site.run(&["handoff", "import", "nl.xlf"]).success();
    assert!(site.read("content/nl/a.md").contains("Vertaalde alinea 2."));
    assert!(!site.root().join("../../evil.md").exists());
    assert!(!site.path("evil.md").exists());
}

/// Fills every unit's target with the Translate Toolkit's XLIFF reader and writer (Python's
/// `translate.storage.xliff`), as a CAT tool would; `false` when it is not installed.
fn fill_with_translate_toolkit(site: &Site, from: &str, to: &str) -> bool {
    const SCRIPT: &str = r#"
import sys
from translate.storage import xliff
from translate.storage.placeables import StringElem
store = xliff.xlifffile.parsefile(open(sys.argv[1], 'rb'))
n = 0
for unit in store.units:
    if unit.isheader():
        continue
    n += 1
    # As a CAT tool does: the source's inline codes kept in the translation.
    source = unit.rich_source[0].copy()
    unit.rich_target = [StringElem(['Vertaald %d: ' % n, source])]
open(sys.argv[2], 'wb').write(bytes(store))
"#;
    // The first Python that has it: the one on PATH (pip), else the system's (apt).
    let python = ["python3", "/usr/bin/python3"].into_iter().find(|python| {
        Command::new(python)
            .args(["-c", "import translate.storage.xliff"])
            .output()
            .is_ok_and(|o| o.status.success())
    });
    let Some(python) = python else {
        // CI installs it (.ci/run): there the round trip must run.
        assert!(
            std::env::var_os("CI").is_none(),
            "the Translate Toolkit is not installed (apt-get install translate-toolkit)"
        );
        eprintln!(
            "skipped: the Translate Toolkit is not installed (apt-get install translate-toolkit)"
        );
        return false;
    };
    let output = Command::new(python)
        .args(["-c", SCRIPT, from, to])
        .current_dir(site.root())
        .output()
        .expect("run python3");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    true
}

#[test]
fn a_real_xliff_tool_reads_the_export_and_writes_what_import_reads() {
    let (site, _) = site();
    change_two(&site);
    site.run(&["handoff", "export", "--locale", "nl", "-o", "nl.xlf"])
        .success();
    if !fill_with_translate_toolkit(&site, "nl.xlf", "done.xlf") {
        return;
    }
    let done = site.read("done.xlf");
    assert!(
        done.contains("<target>Vertaald 1: Second paragraph about <ph id=\"1\""),
        "the tool kept the inline code: {done}"
    );
    site.run(&["handoff", "import", "done.xlf"]).success();
    let article = site.read("content/nl/a.md");
    assert!(
        article.contains("\n\nVertaald 1: Second paragraph about `code` and more.\n\nDerde alinea eindigt hier.\n\nVertaald 2: A new paragraph at the end.\n"),
        "{article}"
    );
}

#[test]
fn a_translation_with_crlf_line_ends_keeps_them() {
    let (site, _) = site();
    let crlf = site.read("content/nl/a.md").replace('\n', "\r\n");
    site.file("content/nl/a.md", &crlf);
    commit(&site, "nl: crlf");
    change_two(&site);
    site.file("nl.xlf", &fill(&export(&site)));
    site.run(&["handoff", "import", "nl.xlf"]).success();
    let after = site.read("content/nl/a.md");
    assert!(
        after.contains("hier.\r\n\r\nVertaalde alinea 2.\r\n"),
        "{after:?}"
    );
    assert_eq!(
        after.matches('\n').count(),
        after.matches("\r\n").count(),
        "{after:?}"
    );
}

#[test]
fn status_and_the_status_site_show_what_changed_per_stale_translation() {
    let (site, _) = site();
    change_two(&site);
    let status = site.run(&["status"]);
    status
        .success()
        .stdout_has("changed segments  changed words")
        .stdout_has("  content/nl/a.md  2 segments, 12 words\n");
    let json = site.run(&["status", "--format", "json"]);
    json.success()
        .stdout_has("\"changed_segments\": 2,")
        .stdout_has("\"changed_words\": 12,");
    let check = site.run(&["check", "--format", "json"]);
    assert!(
        !check.stdout.contains("\"changed\""),
        "tolk check does not read the older versions: {}",
        check.stdout
    );
    site.run(&["build"]).success();
    let page = site.read("public/status/index.html");
    assert!(
        page.contains("<p class=\"changed\">2 segments (12 words) changed in the source</p>"),
        "{page}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&site.read("public/status.json")).expect("status.json");
    let stale: Vec<&serde_json::Value> = json["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["rule"] == "stale-translation")
        .collect();
    assert_eq!(stale.len(), 1, "{json}");
    assert_eq!(
        stale[0]["changed"],
        serde_json::json!({"segments": 2, "words": 12}),
        "{json}"
    );
    // A re-wrap still makes the translation stale for the check, but changes no segment.
    let (wrapped, _) = self::site();
    let rewrapped = EN.replace("First paragraph with 10", "First   paragraph\nwith 10");
    wrapped.file("content/en/a.md", &source(&rewrapped));
    commit(&wrapped, "en: re-wrap");
    wrapped
        .run(&["status"])
        .success()
        .stdout_has("  content/nl/a.md  0 segments, 0 words\n");
}

#[test]
fn import_checks_the_articles_it_writes_and_fails_on_their_errors() {
    let (site, _) = site();
    change_two(&site);
    let filled = fill(&export(&site));
    // A paragraph's target that makes a heading the source does not have: import writes it
    // (it is text), and the check of the result says what it broke.
    site.file(
        "bad.xlf",
        &filled.replacen("Vertaalde alinea 1.", "## Extra kop", 1),
    );
    let before = site.read("content/nl/a.md");
    let dry = site.run(&["handoff", "import", "bad.xlf", "--dry-run"]);
    dry.failure(1)
        .stderr_has("content/nl/a.md:")
        .stderr_has("error[heading-mismatch]")
        .stderr_has("checked 1 imported article as they would be: 1 error");
    assert_eq!(
        site.read("content/nl/a.md"),
        before,
        "a dry run writes nothing"
    );
    let run = site.run(&["handoff", "import", "bad.xlf"]);
    run.failure(1)
        .stderr_has("updated content/nl/a.md")
        .stderr_has("error[heading-mismatch]")
        .stderr_has("checked 1 imported article: 1 error");
    assert!(site.read("content/nl/a.md").contains("\n## Extra kop\n"));
    let check = site.run(&["check", "--format", "short"]);
    check.failure(1).stdout_has("error[heading-mismatch]");
    // A good file: the check of the result passes, and its findings name only the import's
    // articles (the English source has none to show).
    let (good, _) = self::site();
    change_two(&good);
    good.file("nl.xlf", &fill(&export(&good)));
    let run = good.run(&["handoff", "import", "nl.xlf"]);
    run.success()
        .stderr_has("checked 1 imported article: 0 errors");
    assert!(!run.stderr.contains("content/en/"), "{}", run.stderr);
}

/// The exl-ids of the `<file>`s of an exported file, in order.
fn exported_ids(xliff: &str) -> Vec<String> {
    xliff
        .split("tolk:exl-id=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn changed_since_exports_only_the_translations_whose_source_changed_after_the_ref() {
    const B: &str = "8c00751a-c706-4248-8266-87c457ce367f";
    const C: &str = "0f6f0e43-7a4c-4d51-9a43-0b3f3c54f7d1";
    let (site, _) = site();
    let b_en = |text: &str| format!("---\ntitle: Beta\nexl-id: {B}\n---\n# Beta\n\n{text}\n");
    site.file("content/en/b.md", &b_en("Only paragraph."));
    let b_made = commit(&site, "en: b");
    site.file(
        "content/nl/b.md",
        &format!("---\ntitle: Beta\nexl-id: {B}\nsource-git-commit: {b_made}\n---\n# Beta\n\nEnige alinea.\n"),
    );
    commit(&site, "nl: b");
    // The last handoff: a changed before it, and was sent then.
    change_two(&site);
    git(site.root(), &["tag", "handoff-1"]);
    // Since then: b changed, a only by a commit that does not count, c is new.
    site.file("content/en/b.md", &b_en("Only paragraph, changed."));
    commit(&site, "en: b changed");
    let a_now = site
        .read("content/en/a.md")
        .replace("ends here.", "ends here!");
    site.file("content/en/a.md", &a_now);
    commit(&site, "en: a typo\n\nTranslation: none");
    site.file(
        "content/en/c.md",
        &format!("---\ntitle: Gamma\nexl-id: {C}\n---\nNew article.\n"),
    );
    commit(&site, "en: c");
    let all = exported_ids(&export(&site));
    assert_eq!(all, [ID, B, C]);
    let run = site.run(&[
        "handoff",
        "export",
        "--locale",
        "nl",
        "--changed-since",
        "handoff-1",
    ]);
    run.success();
    assert_eq!(exported_ids(&run.stdout), [B, C], "{}", run.stdout);
    // b's units are everything it lacks since its own commit, as without the option.
    assert_eq!(
        units(&run.stdout)[0].1,
        "Only paragraph, changed.",
        "{}",
        run.stdout
    );
    site.run(&[
        "handoff",
        "export",
        "--locale",
        "nl",
        "--changed-since",
        "no-such-ref",
    ])
    .failure(1)
    .stderr_has("--changed-since no-such-ref");
}

#[test]
fn each_unit_names_the_headings_it_is_under() {
    let (site, _) = site();
    let nested = EN.replace(
        "Third paragraph ends here.\n",
        "## Setup &amp; more {#setup}\n\n### On Linux\n\nRun the <installer>.\n",
    );
    site.file("content/en/a.md", &source(&nested));
    commit(&site, "en: sections");
    let xliff = export(&site);
    let context = |id: &str| {
        let start = xliff.find(&format!("id=\"{ID}/{id}\"")).unwrap_or(0);
        let unit = &xliff[start..];
        let unit = &unit[..unit.find("</trans-unit>").unwrap_or(unit.len())];
        unit.split("context-type=\"x-heading-path\">")
            .nth(1)
            .and_then(|c| c.split("</context>").next())
            .map(str::to_owned)
    };
    assert_eq!(context("3-heading").as_deref(), Some("Alpha"), "{xliff}");
    assert_eq!(
        context("4-heading").as_deref(),
        Some("Alpha &gt; Setup &amp;amp; more"),
        "{xliff}"
    );
    assert_eq!(
        context("5-paragraph").as_deref(),
        Some("Alpha &gt; Setup &amp;amp; more &gt; On Linux"),
        "{xliff}"
    );
    assert!(
        xliff.contains("; under Alpha &gt; Setup &amp;amp; more &gt; On Linux</note>"),
        "{xliff}"
    );
}

#[test]
fn a_paragraph_the_source_removed_is_deleted_from_the_translation_on_import() {
    let (site, _) = site();
    let changed = EN
        .replace("about `code`.", "about `code` and more.")
        .replace("\n\nThird paragraph ends here.\n", "\n");
    site.file("content/en/a.md", &source(&changed));
    let head = commit(&site, "en: third paragraph removed");
    let xliff = export(&site);
    assert_eq!(
        units(&xliff),
        [
            (
                format!("{ID}/2-paragraph"),
                "Second paragraph about <ph id=\"1\" ctype=\"x-code\">`code`</ph> and more."
                    .to_owned(),
                Some("Tweede alinea over <ph id=\"1\" ctype=\"x-code\">`code`</ph>.".to_owned())
            ),
            (
                format!("{ID}/removed-3-paragraph"),
                "Third paragraph ends here.".to_owned(),
                Some("Derde alinea eindigt hier.".to_owned())
            ),
        ],
        "{xliff}"
    );
    assert!(
        xliff.contains(&format!(
            "<trans-unit id=\"{ID}/removed-3-paragraph\" translate=\"no\""
        )),
        "{xliff}"
    );
    assert!(xliff.contains("the import deletes the target"), "{xliff}");
    site.file("nl.xlf", &fill(&xliff));
    let before = site.read("content/nl/a.md");
    site.run(&["handoff", "import", "nl.xlf"]).success();
    let after = site.read("content/nl/a.md");
    assert!(
        after.ends_with("# Alfa {#alpha}\n\nEerste alinea met 10 dingen.\n\nVertaalde alinea 1.\n"),
        "{after}"
    );
    assert_eq!(
        after.lines().count(),
        before.lines().count() - 2,
        "the paragraph and its blank line went: {after}"
    );
    assert!(
        after.contains(&format!("source-git-commit: {head}\n")),
        "{after}"
    );
    let check = site.run(&["check", "--format", "json"]);
    for rule in ["segment-extra", "segment-missing", "stale-translation"] {
        assert!(
            !check.stdout.contains(&format!("\"rule\": \"{rule}\"")),
            "{rule}: {}",
            check.stdout
        );
    }
}

#[test]
fn a_removed_list_item_is_listed_for_deletion_by_hand_and_left_in_place() {
    let site = Site::new();
    git(site.root(), &["init", "-q"]);
    site.file("tolk.toml", TOML).file(
        "content/en/a.md",
        &source("# Alpha {#alpha}\n\n* One item here.\n* Two items here.\n"),
    );
    let first = commit(&site, "en: a");
    let nl_body = "# Alfa {#alpha}\n\n* Een ding hier.\n* Twee dingen hier.\n";
    site.file(
        "content/nl/a.md",
        &format!("---\ntitle: Alfa\nexl-id: {ID}\nsource-git-commit: {first}\n---\n{nl_body}"),
    );
    commit(&site, "nl: a");
    site.file(
        "content/en/a.md",
        &source("# Alpha {#alpha}\n\n* One item here.\n"),
    );
    commit(&site, "en: item removed");
    let xliff = export(&site);
    assert_eq!(
        units(&xliff),
        [(
            format!("{ID}/removed-2-list-item"),
            "Two items here.".to_owned(),
            Some("Twee dingen hier.".to_owned())
        )],
        "{xliff}"
    );
    assert!(
        xliff.contains("delete the target from the translation by hand"),
        "{xliff}"
    );
    site.file("nl.xlf", &fill(&xliff));
    site.run(&["handoff", "import", "nl.xlf"]).success();
    assert!(site.read("content/nl/a.md").ends_with(nl_body));
}

#[test]
fn inline_markup_travels_as_codes_and_comes_back_as_the_sources_markdown() {
    let (site, _) = site();
    let rich = EN.replace(
        "Third paragraph ends here.",
        "Press **Save** in [!UICONTROL Admin], see [the docs](https://example.com/docs) for [!DNL Adobe].",
    );
    site.file("content/en/a.md", &source(&rich));
    commit(&site, "en: rich");
    let xliff = export(&site);
    let id = format!("{ID}/3-paragraph");
    let got = units(&xliff);
    let unit = got.iter().find(|u| u.0 == id).expect("the unit");
    assert_eq!(
        unit.1,
        "Press <g id=\"1\" ctype=\"bold\">Save</g> in <ph id=\"2\" ctype=\"x-uicontrol\">[!UICONTROL Admin]</ph>, see <g id=\"3\" ctype=\"link\">the docs</g> for <ph id=\"4\" ctype=\"x-dnl\">[!DNL Adobe]</ph>.",
        "{xliff}"
    );
    // The translator reorders the codes and edits what a placeholder shows: the import writes
    // the source's markdown for each.
    let target = "Zie <g id=\"3\">de documentatie</g> over <ph id=\"4\">[!DNL Evil](javascript:x)</ph>; druk op <g id=\"1\">Opslaan</g> in <ph id=\"2\"/>.";
    let filled = xliff.replacen(
        "<target>Derde alinea eindigt hier.</target>",
        &format!("<target>{target}</target>"),
        1,
    );
    assert_ne!(
        filled, xliff,
        "the unit had the translation's text as its target"
    );
    site.file("nl.xlf", &filled);
    site.run(&["handoff", "import", "nl.xlf"]).success();
    let article = site.read("content/nl/a.md");
    assert!(
        article.contains("\nZie [de documentatie](https://example.com/docs) over [!DNL Adobe]; druk op **Opslaan** in [!UICONTROL Admin].\n"),
        "{article}"
    );
    // An id the source does not have is refused at its place, and nothing is written.
    let (other, _) = self::site();
    other.file("content/en/a.md", &source(&rich));
    commit(&other, "en: rich");
    let xliff = export(&other);
    let bad = xliff.replacen(
        "<target>Derde alinea eindigt hier.</target>",
        "<target>Druk op\n<g id=\"7\">Opslaan</g>.</target>",
        1,
    );
    other.file("bad.xlf", &bad);
    let line = bad[..bad.find("<g id=\"7\"").unwrap_or(0)]
        .matches('\n')
        .count()
        + 1;
    let before = other.read("content/nl/a.md");
    other
        .run(&["handoff", "import", "bad.xlf"])
        .failure(1)
        .stderr_has(&format!(
            "bad.xlf:{line}:1: unit `{id}`: the inline code <g id=\"7\"> is not one of its source"
        ));
    assert_eq!(other.read("content/nl/a.md"), before);
}

/// Every segment of the real corpus (`../shared/corpus/analytics`, English) goes through
/// the XLIFF inline codes and back byte for byte: an untouched unit writes what it read.
#[test]
fn every_corpus_segment_survives_the_inline_codes_unchanged() {
    use tolk::handoff::{inline, xliff};
    let dir = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/corpus/analytics/content/en"
    ));
    if !dir.is_dir() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{} is missing",
            dir.display()
        );
        eprintln!("skip: {} is missing", dir.display());
        return;
    }
    let mut files = vec![dir.to_path_buf()];
    let (mut segments, mut codes) = (0, 0);
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(
                std::fs::read_dir(&path)
                    .into_iter()
                    .flatten()
                    .flatten()
                    .map(|e| e.path()),
            );
            continue;
        }
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let article = tolk::model::parse_article("en", "a.md", String::new(), text);
        let mut units = Vec::new();
        for segment in tolk::align::segments(&article) {
            let text = segment.text(&article.text);
            let (pieces, found) = inline::pieces(text);
            assert_eq!(
                inline::markdown(&pieces, &found).as_deref(),
                Ok(text),
                "{}",
                path.display()
            );
            segments += 1;
            codes += found.len();
            units.push((
                text.to_owned(),
                found,
                xliff::Unit {
                    id: units.len().to_string(),
                    target: Some(pieces.clone()),
                    source: pieces,
                    ..Default::default()
                },
            ));
        }
        let doc = xliff::XliffFile {
            files: vec![xliff::FileUnits {
                units: units.iter().map(|u| u.2.clone()).collect(),
                ..Default::default()
            }],
            ..Default::default()
        };
        let back = xliff::read("c.xlf", &xliff::write(&doc)).expect("reads back");
        for ((text, found, _), unit) in units.iter().zip(&back.files[0].units) {
            let target = unit.target.clone().unwrap_or_default();
            assert_eq!(
                inline::markdown(&target, found).as_deref(),
                Ok(text.as_str()),
                "{}",
                path.display()
            );
        }
    }
    assert!(
        segments > 10_000 && codes > 10_000,
        "{segments} segments, {codes} codes"
    );
    eprintln!("{segments} segments with {codes} inline codes");
}
