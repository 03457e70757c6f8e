//! Test harness: a sample site in a temporary folder and a chainable runner of the real binary.
//!
//! Output is shown with the temporary path replaced by `[ROOT]`, so messages can be compared
//! as text.

#![allow(dead_code)]

pub mod browser;
pub mod server;

use std::path::{Path, PathBuf};
use std::process::Command;

pub const SEED_PATH: &str =
    "workfront-integrations-and-apps/using-workfront-with-outlook/troubleshooting-outlookidentitytoken-error";

/// The repository root (the default site).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixtures() -> PathBuf {
    repo().join("tests/fixtures")
}

/// A site in a temporary folder.
pub struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    pub fn new() -> Site {
        Site {
            dir: tempfile::tempdir().expect("create a temporary folder"),
        }
    }

    /// A copy of the default site: tolk.toml and the seed articles.
    pub fn seeds() -> Site {
        let site = Site::new();
        copy_tree(&repo().join("content"), &site.path("content"));
        std::fs::copy(repo().join("tolk.toml"), site.path("tolk.toml")).expect("copy tolk.toml");
        site
    }

    /// A real known-issues article in en, nl, fr and it (tests/fixtures/segments/), en the
    /// source locale: the segment rules' site.
    pub fn segments() -> Site {
        let site = Site::new();
        copy_tree(&fixtures().join("segments/content"), &site.path("content"));
        let mut toml =
            String::from("title = \"Segments\"\nbase-url = \"/\"\nsource-locale = \"en\"\n");
        for code in ["en", "nl", "fr", "it"] {
            toml.push_str(&format!(
                "\n[[locales]]\ncode = \"{code}\"\nname = \"{code}\"\n"
            ));
        }
        site.file("tolk.toml", &toml);
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Writes a file, creating its folders.
    pub fn file(&self, rel: &str, text: &str) -> &Site {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("create folders");
        std::fs::write(&path, text).expect("write a file");
        self
    }

    /// Replaces `from` (which must be there once) with `to` in the file `rel`.
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert_eq!(text.matches(from).count(), 1, "{from:?} in {rel}");
        self.file(rel, &text.replace(from, to));
    }

    pub fn read(&self, rel: &str) -> String {
        let path = self.path(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
    }

    /// Runs `tolk` with `args` in the site's folder.
    pub fn run(&self, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_tolk"))
            .args(args)
            .current_dir(self.root())
            .env("NO_COLOR", "1")
            .env("COLUMNS", "200")
            .output()
            .expect("run tolk");
        let root = self.root().to_string_lossy().into_owned();
        let clean = |bytes: &[u8]| String::from_utf8_lossy(bytes).replace(&root, "[ROOT]");
        Run {
            code: output.status.code(),
            stdout: clean(&output.stdout),
            stderr: clean(&output.stderr),
        }
    }

    /// Every file under `rel`, relative to it, sorted.
    pub fn files(&self, rel: &str) -> Vec<String> {
        let base = self.path(rel);
        let mut files: Vec<String> = walkdir::WalkDir::new(&base)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(&base)
                    .expect("inside")
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        files.sort();
        files
    }
}

#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn success(&self) -> &Run {
        assert_eq!(
            self.code,
            Some(0),
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    pub fn failure(&self, code: i32) -> &Run {
        assert_eq!(
            self.code,
            Some(code),
            "expected exit {code}\nstdout:\n{}\nstderr:\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    pub fn stderr_has(&self, text: &str) -> &Run {
        assert!(
            self.stderr.contains(text),
            "stderr lacks {text:?}:\n{}",
            self.stderr
        );
        self
    }

    pub fn stdout_has(&self, text: &str) -> &Run {
        assert!(
            self.stdout.contains(text),
            "stdout lacks {text:?}:\n{}",
            self.stdout
        );
        self
    }
}

pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = entry.path().strip_prefix(from).expect("inside");
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("create folder");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// The `<main>` element of a page, which is what a page's content tests look at.
pub fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a <main>");
    let end = html.find("</main>").expect("a </main>") + "</main>".len();
    &html[start..end]
}

/// Every relative `href` and `src` in `html`.
pub fn relative_urls(html: &str) -> Vec<String> {
    let mut urls = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let url = &rest[..rest.find('"').unwrap_or(0)];
            let external = url.contains("://")
                || url.starts_with("mailto:")
                || url.starts_with('#')
                || url.starts_with("//");
            if !external && !url.is_empty() {
                urls.push(url.to_owned());
            }
        }
    }
    urls
}

/// Checks that every relative link of every HTML page under `out` leads to a file.
pub fn assert_links_resolve(out: &Path) {
    let mut broken = Vec::new();
    for entry in walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).expect("read page");
        let dir = entry.path().parent().expect("a folder");
        for url in relative_urls(&html) {
            let path = percent_decode(url.split(['#', '?']).next().unwrap_or_default());
            let path = path.as_str();
            // Root-relative links (404 pages, hreflang) start at the site root (base URL `/`).
            let mut target = match path.strip_prefix('/') {
                Some(from_root) => out.join(from_root),
                None => dir.join(path),
            };
            if path.is_empty() || path.ends_with('/') || target.is_dir() {
                target = target.join("index.html");
            }
            if !target.exists() {
                broken.push(format!("{} -> {url}", entry.path().display()));
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

/// `caf%C3%A9` -> `café`; text with a malformed escape as it is.
pub fn percent_decode(text: &str) -> String {
    tolk::model::links::percent_decode(text).unwrap_or_else(|| text.to_owned())
}

/// The part of `line` outside HTML comments; `in_comment` carries an open comment from one
/// line to the next.
pub fn outside_comments(line: &str, in_comment: &mut bool) -> String {
    let mut rest = line;
    let mut visible = String::new();
    loop {
        if *in_comment {
            match rest.find("-->") {
                Some(i) => {
                    rest = &rest[i + 3..];
                    *in_comment = false;
                }
                None => break,
            }
        } else {
            match rest.find("<!--") {
                Some(i) => {
                    visible.push_str(&rest[..i]);
                    rest = &rest[i + 4..];
                    *in_comment = true;
                }
                None => {
                    visible.push_str(rest);
                    break;
                }
            }
        }
    }
    visible
}

/// Callout markers (`>[!KIND]`, also with an argument or inside a quote) in a source file,
/// outside HTML comments and code fences: what a rendered page must have at least.
pub fn source_callouts(source: &str) -> usize {
    use tolk::markdown::callout::KINDS;
    let mut count = 0;
    let mut in_comment = false;
    let mut fence: Option<&str> = None;
    for line in source.lines() {
        let trimmed = line.trim_start();
        if !in_comment {
            let marker = ["```", "~~~"]
                .into_iter()
                .find(|m| trimmed.trim_start_matches('>').trim_start().starts_with(m));
            match (fence, marker) {
                (None, Some(m)) => {
                    fence = Some(m);
                    continue;
                }
                (Some(open), Some(m)) if open == m => {
                    fence = None;
                    continue;
                }
                _ => {}
            }
        }
        if fence.is_some() {
            continue;
        }
        let visible = outside_comments(line, &mut in_comment);
        let v = visible.trim_start();
        let Some(after) = v.strip_prefix('>') else {
            continue;
        };
        let after = after.trim_start();
        if let Some(kind) = after
            .strip_prefix("[!")
            .and_then(|k| k.split(']').next())
            .map(str::trim)
        {
            if KINDS.contains(&kind) {
                count += 1;
            }
        }
    }
    count
}
