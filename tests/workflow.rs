//! The writer and CI workflow end to end, with git repositories made by each test (the `git`
//! command line sets them up; tolk itself reads them with gix): staleness against the source's
//! history, `check --changed-since`, `new`, `status`, completions and the man page.

mod common;

use std::path::Path;
use std::process::Command;

use common::Site;
use serde_json::Value;

const A: &str = "4a911760-e3fe-4e77-b7aa-b08f9ea59d6a";
const B: &str = "8c00751a-c706-4248-8266-87c457ce367f";
const C: &str = "ae7eed44-c063-548d-a532-cad43402bb89";
const D: &str = "a77a6412-4cd2-5736-9e53-40d855784284";
const UNKNOWN: &str = "0123456789abcdef0123456789abcdef01234567";

const TOML: &str = "title = \"Workflow\"\nsource-locale = \"en\"\n\n[[locales]]\ncode = \"en\"\n\n\
                    [[locales]]\ncode = \"nl\"\n\n[[locales]]\ncode = \"fr\"\n\n[[locales]]\ncode = \"it\"\n";

/// Runs `git` in `dir` with a fixed identity and commit date, isolated from the machine's git
/// configuration; returns its standard output, trimmed.
fn git_at(dir: &Path, date: &str, args: &[&str]) -> String {
    let output = Command::new("git")
        .args([
            "-c",
            "user.name=Writer",
            "-c",
            "user.email=writer@example.com",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
            "-c",
            "core.autocrlf=false",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("run git");
    assert!(
        output.status.success(),
        "git {args:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

fn git(site: &Site, date: &str, args: &[&str]) -> String {
    git_at(site.root(), date, args)
}

/// Commits everything in `dir` on `date` (`2024-02-01`); returns the commit id.
fn commit_all(dir: &Path, date: &str, message: &str) -> String {
    let date = format!("{date}T12:00:00+00:00");
    git_at(dir, &date, &["add", "-A"]);
    git_at(dir, &date, &["commit", "-q", "-m", message]);
    git_at(dir, &date, &["rev-parse", "HEAD"])
}

fn source(title: &str, id: &str, text: &str) -> String {
    format!("---\ntitle: {title}\nexl-id: {id}\n---\n# {title}\n\n{text}\n")
}

/// A translation made from source commit `commit`.
fn translation(title: &str, id: &str, commit: &str, text: &str) -> String {
    format!(
        "---\ntitle: {title}\nexl-id: {id}\nsource-git-commit: {commit}\nworkflow-type: tm+mt\n\
         ht-degree: 20%\n---\n# {title}\n\n{text}\n"
    )
}

/// The JSON report of `tolk check` with `args`, checking the exit code.
fn check_json(site: &Site, args: &[&str], code: i32) -> Value {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let run = site.run(&all);
    run.failure(code);
    serde_json::from_str(&run.stdout).expect("the JSON report parses")
}

/// (rule, path, line) of every finding of `rules`, in report order.
fn found(report: &Value, rules: &[&str]) -> Vec<(String, String, u64)> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| rules.iter().any(|r| f["rule"] == *r))
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_owned(),
                f["path"].as_str().unwrap_or_default().to_owned(),
                f["line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

fn message<'a>(report: &'a Value, rule: &str, path: &str) -> &'a str {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == rule && f["path"] == path)
        .and_then(|f| f["message"].as_str())
        .unwrap_or_else(|| panic!("no {rule} finding for {path}:\n{report:#}"))
}

/// A site in a git repository: the English source of a.md changes twice after the first commit,
/// b.md once, c.md never; each translation names the commit it was made from.
struct History {
    site: Site,
    /// The commits, oldest first: c1 (2024-01-05), c2 (2024-02-01), c3 (2024-03-01).
    commits: [String; 3],
}

fn history_site() -> History {
    let site = Site::new();
    git(&site, "2024-01-01T00:00:00+00:00", &["init", "-q"]);
    site.file("tolk.toml", TOML)
        .file("content/en/a.md", &source("Alpha", A, "One."))
        .file("content/en/b.md", &source("Beta", B, "One."))
        .file("content/en/c.md", &source("Gamma", C, "One."));
    let c1 = commit_all(site.root(), "2024-01-05", "en: a, b, c");
    site.file("content/en/a.md", &source("Alpha", A, "Two."));
    let c2 = commit_all(site.root(), "2024-02-01", "en: a again");
    site.file("content/en/a.md", &source("Alpha", A, "Three."))
        .file("content/en/b.md", &source("Beta", B, "Two."));
    let c3 = commit_all(site.root(), "2024-03-01", "en: a and b");
    site.file("content/nl/a.md", &translation("Alpha", A, &c1, "Een."))
        .file("content/fr/a.md", &translation("Alpha", A, &c3, "Un."))
        .file("content/it/a.md", &translation("Alpha", A, &c2, "Uno."))
        .file("content/nl/b.md", &translation("Beta", B, &c3, "Een."))
        .file("content/fr/b.md", &translation("Beta", B, &c1, "Un."))
        .file("content/it/b.md", &translation("Beta", B, &c1, "Uno."))
        .file("content/nl/c.md", &translation("Gamma", C, UNKNOWN, "Een."))
        .file("content/fr/c.md", &translation("Gamma", C, &c1, "Un."))
        .file("content/it/c.md", &translation("Gamma", C, &c1, "Uno."));
    commit_all(site.root(), "2024-04-01", "translations");
    History {
        site,
        commits: [c1, c2, c3],
    }
}

#[test]
fn staleness_up_to_date_stale_and_unknown_commits() {
    let History { site, commits } = history_site();
    let short = |c: &str| c[..7].to_owned();
    let report = check_json(&site, &[], 0);
    assert_eq!(
        found(&report, &["stale-translation", "unknown-source-commit"]),
        [
            ("stale-translation".into(), "content/nl/a.md".into(), 4),
            ("stale-translation".into(), "content/it/a.md".into(), 4),
            ("stale-translation".into(), "content/fr/b.md".into(), 4),
            ("stale-translation".into(), "content/it/b.md".into(), 4),
            ("unknown-source-commit".into(), "content/nl/c.md".into(), 4),
        ],
        "{report:#}"
    );
    assert_eq!(
        message(&report, "stale-translation", "content/nl/a.md"),
        format!(
            "this translation is 2 commits behind its source content/en/a.md since 2024-02-01: \
             it was made from {} (2024-01-05), and the source last changed in {} (2024-03-01)",
            short(&commits[0]),
            short(&commits[2])
        )
    );
    assert_eq!(
        message(&report, "stale-translation", "content/it/a.md"),
        format!(
            "this translation is 1 commit behind its source content/en/a.md since 2024-03-01: \
             it was made from {} (2024-02-01), and the source last changed in {} (2024-03-01)",
            short(&commits[1]),
            short(&commits[2])
        )
    );
    assert!(
        message(&report, "stale-translation", "content/it/b.md").starts_with(
            "this translation is 1 commit behind its source content/en/b.md since 2024-03-01"
        )
    );
    assert_eq!(
        message(&report, "unknown-source-commit", "content/nl/c.md"),
        "source-git-commit 0123456 is not in the git history of content/en (the commits reachable from its HEAD)"
    );
    let stale = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == "stale-translation")
        .expect("a stale finding");
    assert_eq!(stale["severity"], "warning");
    assert_eq!(stale["column"], 1);
    assert_eq!(stale["related"][0]["path"], "content/en/a.md");
    assert_eq!(
        report["summary"]["warnings"].as_u64(),
        Some(
            found(
                &report,
                &[
                    "stale-translation",
                    "unknown-source-commit",
                    "source-commit-mismatch"
                ]
            )
            .len() as u64
        )
    );

    // The human report says it too, and [check] can make it an error.
    site.run(&["check"])
        .success()
        .stdout_has("warning[stale-translation]")
        .stdout_has("2 commits behind its source content/en/a.md since 2024-02-01");
    site.file(
        "tolk.toml",
        &format!(
            "{TOML}\n[check]\nstale-translation = \"error\"\nunknown-source-commit = \"off\"\n"
        ),
    );
    let strict = check_json(&site, &[], 1);
    assert_eq!(found(&strict, &["stale-translation"]).len(), 4);
    assert!(found(&strict, &["unknown-source-commit"]).is_empty());
    assert_eq!(strict["summary"]["errors"], 4);
}

#[test]
fn translations_made_from_the_newest_source_are_up_to_date() {
    let History { site, commits } = history_site();
    for (locale, text) in [("nl", "Een."), ("fr", "Un."), ("it", "Uno.")] {
        for (name, title, id) in [("a", "Alpha", A), ("b", "Beta", B), ("c", "Gamma", C)] {
            site.file(
                &format!("content/{locale}/{name}.md"),
                &translation(title, id, &commits[2], text),
            );
        }
    }
    let report = check_json(&site, &[], 0);
    assert!(
        report["findings"].as_array().expect("findings").is_empty(),
        "{report:#}"
    );
    // A later commit that changes nothing in content/en keeps them up to date.
    site.file("README.md", "docs\n");
    commit_all(site.root(), "2024-05-01", "readme");
    let report = check_json(&site, &[], 0);
    assert!(
        report["findings"].as_array().expect("findings").is_empty(),
        "{report:#}"
    );
}

/// A merged side branch: a translation made on main before the merge lacks the branch's change
/// to the source, though that change is older.
#[test]
fn a_change_merged_from_a_branch_counts_by_history_not_by_date() {
    let site = Site::new();
    git(&site, "2024-01-01T00:00:00+00:00", &["init", "-q"]);
    site.file(
        "tolk.toml",
        "source-locale = \"en\"\n[[locales]]\ncode = \"en\"\n[[locales]]\ncode = \"nl\"\n",
    )
    .file("content/en/a.md", &source("Alpha", A, "One."));
    commit_all(site.root(), "2024-01-05", "first");
    git(
        &site,
        "2024-01-06T00:00:00+00:00",
        &["checkout", "-q", "-b", "side"],
    );
    site.file("content/en/a.md", &source("Alpha", A, "Side."));
    let side = commit_all(site.root(), "2024-01-10", "side change");
    git(
        &site,
        "2024-01-11T00:00:00+00:00",
        &["checkout", "-q", "main"],
    );
    site.file("content/en/other.txt", "x\n");
    let main = commit_all(site.root(), "2024-02-01", "main moves on");
    git(
        &site,
        "2024-03-01T12:00:00+00:00",
        &["merge", "-q", "--no-edit", "side"],
    );
    site.file("content/nl/a.md", &translation("Alpha", A, &main, "Een."));
    let report = check_json(&site, &[], 0);
    assert_eq!(
        message(&report, "stale-translation", "content/nl/a.md"),
        format!(
            "this translation is 1 commit behind its source content/en/a.md since 2024-01-10: \
             it was made from {} (2024-02-01), and the source last changed in {} (2024-01-10)",
            &main[..7],
            &side[..7]
        )
    );
    // Made from the side branch's commit, it is up to date: the merge took that text.
    site.file("content/nl/a.md", &translation("Alpha", A, &side, "Een."));
    let report = check_json(&site, &[], 0);
    assert!(
        found(&report, &["stale-translation"]).is_empty(),
        "{report:#}"
    );
}

#[test]
fn a_separate_source_checkout_is_read_through_source_repository() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let docs = dir.path().join("docs-en");
    std::fs::create_dir_all(docs.join("help")).expect("create docs-en/help");
    git_at(&docs, "2024-01-01T00:00:00+00:00", &["init", "-q"]);
    std::fs::write(docs.join("help/a.md"), source("Alpha", A, "One.")).expect("write");
    let c1 = commit_all(&docs, "2024-01-05", "one");
    std::fs::write(docs.join("help/a.md"), source("Alpha", A, "Two.")).expect("write");
    commit_all(&docs, "2024-02-01", "two");

    // The site is no repository; its English folder is a copy of docs-en/help.
    let site = Site::new();
    copy(&docs.join("help/a.md"), &site.path("content/en/a.md"));
    site.file("content/nl/a.md", &translation("Alpha", A, &c1, "Een."));
    let toml = |repo: &str| {
        format!(
            "source-locale = \"en\"\nsource-repository = \"{repo}\"\n[[locales]]\ncode = \"en\"\n[[locales]]\ncode = \"nl\"\n"
        )
    };
    site.file("tolk.toml", &toml(&format!("{}/help", docs.display())));
    let report = check_json(&site, &[], 0);
    assert!(
        message(&report, "stale-translation", "content/nl/a.md").starts_with(
            "this translation is 1 commit behind its source content/en/a.md since 2024-02-01"
        ),
        "{report:#}"
    );
    // Named in tolk.toml, a history without the commit reports it (not silent).
    site.file("content/nl/a.md", &translation("Alpha", A, UNKNOWN, "Een."));
    let report = check_json(&site, &[], 0);
    assert_eq!(
        found(&report, &["unknown-source-commit"]).len(),
        1,
        "{report:#}"
    );
    // A folder in no repository is an error that names tolk.toml's line.
    site.file("tolk.toml", &toml("../nowhere"));
    site.run(&["check"]).failure(2).stderr_has(
        "tolk.toml:2:21: source-repository `../nowhere` is not a folder in a git repository",
    );
}

#[test]
fn no_source_locale_or_no_repository_keeps_the_history_rules_silent() {
    // Not in git: nothing to compare with.
    let site = Site::new();
    site.file("tolk.toml", TOML);
    for locale in ["en", "nl", "fr", "it"] {
        site.file(
            &format!("content/{locale}/a.md"),
            &translation("Alpha", A, UNKNOWN, "x"),
        );
    }
    site.file("content/en/a.md", &source("Alpha", A, "x"));
    let report = check_json(&site, &[], 0);
    assert!(found(&report, &["stale-translation", "unknown-source-commit"]).is_empty());
    // In git, but none of the translations' commits is in it: they come from another history.
    git(&site, "2024-01-01T00:00:00+00:00", &["init", "-q"]);
    commit_all(site.root(), "2024-01-05", "copy");
    let report = check_json(&site, &[], 0);
    assert!(
        found(&report, &["stale-translation", "unknown-source-commit"]).is_empty(),
        "{report:#}"
    );
}

/// A base with four articles (b.md already has an error), then a branch that changes nl/a.md in a
/// commit, fr/c.md without committing, and deletes it/d.md.
#[test]
fn changed_since_checks_only_the_groups_that_changed() {
    let site = Site::new();
    git(&site, "2024-01-01T00:00:00+00:00", &["init", "-q"]);
    site.file("tolk.toml", TOML);
    let ids = [("a", A), ("b", B), ("c", C), ("d", D)];
    for locale in ["en", "nl", "fr", "it"] {
        for (name, id) in ids {
            site.file(
                &format!("content/{locale}/{name}.md"),
                &source(name, id, "## Part {#part}\n\nText."),
            );
        }
    }
    site.file(
        "content/nl/b.md",
        &source("b", B, "### Part {#part}\n\nText."),
    );
    commit_all(site.root(), "2024-01-05", "base");
    git(
        &site,
        "2024-01-06T00:00:00+00:00",
        &["checkout", "-q", "-b", "topic"],
    );
    site.file(
        "content/nl/a.md",
        &source("a", A, "### Part {#part}\n\nTekst."),
    );
    commit_all(site.root(), "2024-01-07", "nl: a");
    site.file("content/fr/c.md", &source("c", C, "Plus de partie."));
    std::fs::remove_file(site.path("content/it/d.md")).expect("delete it/d.md");

    let all = check_json(&site, &[], 1);
    assert_eq!(all["summary"]["groups"], 4);
    let articles = |report: &Value| {
        let mut list: Vec<String> = report["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| f["path"].as_str().unwrap_or_default().to_owned())
            .collect();
        list.dedup();
        list
    };
    assert_eq!(
        articles(&all),
        [
            "content/nl/a.md",
            "content/nl/b.md",
            "content/fr/c.md",
            "content/it/d.md"
        ]
    );

    let changed = check_json(&site, &["--changed-since", "main"], 1);
    assert_eq!(
        articles(&changed),
        ["content/nl/a.md", "content/fr/c.md", "content/it/d.md"],
        "{changed:#}"
    );
    assert_eq!(changed["summary"]["groups"], 3);
    assert_eq!(changed["summary"]["articles"], 11);
    assert_eq!(changed["summary"]["locales"][3]["missing"], 1);
    assert_eq!(changed["summary"]["locales"][1]["articles"], 3);

    // Since the topic's own commit, only the uncommitted changes count.
    let head = check_json(&site, &["--changed-since", "HEAD"], 1);
    assert_eq!(articles(&head), ["content/fr/c.md", "content/it/d.md"]);
    // Same formats: GitHub annotations for the changed groups only.
    let github = site.run(&["check", "--format", "github", "--changed-since", "main"]);
    github.failure(1);
    assert!(
        github.stdout.contains("::error file=content/nl/a.md,line="),
        "{}",
        github.stdout
    );
    assert!(
        !github.stdout.contains("content/nl/b.md"),
        "{}",
        github.stdout
    );
    // With nothing changed since HEAD, nothing is checked.
    git(
        &site,
        "2024-01-08T00:00:00+00:00",
        &["checkout", "-q", "--", "."],
    );
    let clean = check_json(&site, &["--changed-since", "HEAD"], 0);
    assert_eq!(clean["summary"]["articles"], 0);
    site.run(&["check", "--changed-since", "no-such-branch"])
        .failure(2)
        .stderr_has("--changed-since no-such-branch: the repository");
}

#[test]
fn changed_since_needs_a_repository() {
    let site = Site::seeds();
    site.run(&["check", "--changed-since", "main"])
        .failure(2)
        .stderr_has("--changed-since needs git");
}

#[test]
fn new_creates_three_linked_articles_that_check_accepts() {
    let site = Site::seeds();
    let run = site.run(&[
        "new",
        "known-issues/login-loop",
        "--title",
        "Login loop: after an update",
    ]);
    run.success();
    let paths: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        paths,
        [
            "content/nl/known-issues/login-loop.md",
            "content/fr/known-issues/login-loop.md",
            "content/it/known-issues/login-loop.md"
        ]
    );
    let ids: Vec<String> = paths
        .iter()
        .map(|p| {
            let text = site.read(p);
            assert!(text.starts_with("---\ntitle: 'Login loop: after an update'\ndescription: TODO\n"), "{text}");
            assert!(text.contains("\nht-degree: 0%\n---\n# Login loop: after an update\n\nTODO: write this article.\n"), "{text}");
            let id = text
                .lines()
                .find_map(|l| l.strip_prefix("exl-id: "))
                .expect("an exl-id")
                .to_owned();
            id
        })
        .collect();
    assert_eq!(ids[0].len(), 36);
    assert_eq!(ids[0].chars().nth(14), Some('4'), "a UUID v4: {}", ids[0]);
    assert!(ids.iter().all(|id| id == &ids[0]), "{ids:?}");

    let report = check_json(&site, &[], 0);
    let new: Vec<&Value> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| {
            f["path"]
                .as_str()
                .unwrap_or_default()
                .contains("login-loop")
        })
        .collect();
    assert!(new.is_empty(), "{new:#?}");
    assert_eq!(report["summary"]["errors"], 0);
    assert_eq!(report["summary"]["groups"], 2);

    // A second article gets another id; the same path is refused and nothing is touched.
    let other = site.run(&["new", "known-issues/other", "--title", "Other"]);
    other.success();
    assert!(!site
        .read("content/nl/known-issues/other.md")
        .contains(&ids[0]));
    site.file("content/fr/known-issues/taken.md", "mine\n");
    site.run(&["new", "known-issues/taken", "--title", "Taken"])
        .failure(1)
        .stderr_has("refusing to overwrite: content/fr/known-issues/taken.md already exists; nothing was written");
    assert!(!site.path("content/nl/known-issues/taken.md").exists());
    assert_eq!(site.read("content/fr/known-issues/taken.md"), "mine\n");
    site.run(&["new", "known-issues/login-loop.md", "--title", "Again"])
        .failure(1)
        .stderr_has("refusing to overwrite");
    site.run(&["new", "../escape", "--title", "Out"])
        .failure(1)
        .stderr_has("the path has an empty, `.` or `..` segment");
    site.run(&["new", "x"]).failure(2).stderr_has("--title");
}

/// With an English source in git, the translations name the source's HEAD; once the new English
/// text is committed, they are a commit behind it until someone translates them.
#[test]
fn new_translations_follow_the_source_head() {
    let History { site, .. } = history_site();
    let head = git(&site, "2024-05-01T00:00:00+00:00", &["rev-parse", "HEAD"]);
    site.run(&["new", "guide/start", "--title", "Start", "--role", "Admin"])
        .success()
        .stdout_has("content/en/guide/start.md\ncontent/nl/guide/start.md");
    let en = site.read("content/en/guide/start.md");
    assert!(!en.contains("source-git-commit"), "{en}");
    assert!(en.contains("role: Admin\n"), "{en}");
    let nl = site.read("content/nl/guide/start.md");
    assert!(nl.contains(&format!("\nsource-git-commit: {head}\nworkflow-type: tm+mt\nsource-wordcount: '5'\nht-degree: 0%\n")), "{nl}");
    assert!(
        nl.ends_with("# Start\n\nTODO: translate this article from en.\n"),
        "{nl}"
    );
    let report = check_json(&site, &[], 0);
    assert!(!report.to_string().contains("guide/start"), "{report:#}");
    commit_all(site.root(), "2024-05-02", "start");
    let report = check_json(&site, &[], 0);
    let stale: Vec<(String, String, u64)> = found(&report, &["stale-translation"])
        .into_iter()
        .filter(|(_, path, _)| path.contains("guide/start"))
        .collect();
    assert_eq!(stale.len(), 3, "{report:#}");
    assert!(message(&report, "stale-translation", "content/it/guide/start.md")
        .starts_with("this translation is 1 commit behind its source content/en/guide/start.md since 2024-05-02"));
}

#[test]
fn status_shows_each_locale_as_a_table_and_as_json() {
    let History { site, .. } = history_site();
    let run = site.run(&["status"]);
    run.success();
    let table: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        table[..10],
        [
            "locale  articles  in sync  out of sync  stale  changed segments  changed words  missing  ht-degree",
            "en             3        3            0      0                 0              0        0          -",
            "nl             3        0            3      1                 1              1        0        20%",
            "fr             3        1            2      1                 1              1        0        20%",
            "it             3        1            2      2                 2              2        0        20%",
            "changed in the source since each stale translation was made:",
            "  content/nl/a.md  1 segment, 1 word",
            "  content/fr/b.md  1 segment, 1 word",
            "  content/it/a.md  1 segment, 1 word",
            "  content/it/b.md  1 segment, 1 word",
        ],
        "{}",
        run.stdout
    );
    let json = site.run(&["status", "--format", "json"]);
    json.success();
    let value: Value = serde_json::from_str(&json.stdout).expect("status JSON parses");
    let stale: Vec<u64> = value["locales"]
        .as_array()
        .expect("locales")
        .iter()
        .map(|l| l["stale"].as_u64().unwrap_or(99))
        .collect();
    assert_eq!(stale, [0, 1, 1, 2]);
    assert_eq!(value["locales"][3]["changed_words"], 2);
    assert_eq!(
        value["locales"][3]["stale_translations"][1]["path"],
        "content/it/b.md"
    );
    assert_eq!(value["locales"][1]["ht_degree"], 20.0);
    assert_eq!(value["locales"][0]["ht_degree"], Value::Null);
    assert_eq!(value["locales"][2]["in_sync"], 1);
    assert_eq!(value["articles"], 12);
    site.run(&["status", "--root", "nowhere"]).failure(2);
}

#[test]
fn completions_and_man_pages() {
    let site = Site::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = site.run(&["completions", shell]);
        run.success();
        assert!(run.stdout.len() > 500, "{shell}: {}", run.stdout);
        assert!(run.stdout.contains("changed-since"), "{shell}");
    }
    site.run(&["completions", "tcsh"]).failure(2);
    let man = site.run(&["man"]);
    man.success()
        .stdout_has(".TH tolk 1")
        .stdout_has("completions");
    site.run(&["man", "check"])
        .success()
        .stdout_has(".TH tolk-check 1")
        .stdout_has("changed\\-since");
    site.run(&["man", "nope"])
        .failure(1)
        .stderr_has("tolk has no command `nope`");
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to.parent().expect("a parent")).expect("create folders");
    std::fs::copy(from, to).expect("copy");
}
