//! The real corpora beside the repository (`../shared/corpus/`): each is built with the real
//! binary, every HTML page of the output is crawled with html5ever's tokenizer, and what a
//! reader would see as broken is counted per class. Every class must be zero, except links
//! to images and other files the corpus left out (it ships its markdown only): those are
//! counted and shown, not failed. A link to a page that does not exist always fails.
//!
//! When `../shared` is missing the test prints a skip line and passes, unless `CI` is set.

mod common;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

use common::Site;

const LOCALES: [&str; 4] = ["en", "nl", "fr", "it"];

fn corpus_dir(name: &str) -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus")).join(name);
    if dir.join("content/en").is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{} is missing (CI is set, so this fails)",
        dir.display()
    );
    eprintln!("skip: {} is missing", dir.display());
    None
}

/// Builds the corpus into `site/out` and returns the report of the crawl.
fn build_and_crawl(corpus: &Path) -> (Site, Report) {
    let site = Site::new();
    let mut toml = String::from("title = \"Corpus\"\nbase-url = \"/\"\nsource-locale = \"en\"\n");
    for code in LOCALES {
        let content = corpus.join("content").join(code);
        toml.push_str(&format!(
            "\n[[locales]]\ncode = \"{code}\"\nname = \"{code}\"\ncontent = {:?}\n",
            content.to_string_lossy()
        ));
    }
    site.file("tolk.toml", &toml);
    let out = site.path("out");
    let started = std::time::Instant::now();
    site.run(&[
        "build",
        "--no-check",
        "--root",
        &site.root().to_string_lossy(),
        "--out",
        &out.to_string_lossy(),
    ])
    .success();
    eprintln!("{}: built in {:.1?}", corpus.display(), started.elapsed());
    let report = crawl(&out, &corpus.join("content"));
    (site, report)
}

/// Findings of a crawl, per class: a few examples each and the total.
#[derive(Debug, Default)]
struct Report {
    pages: usize,
    classes: BTreeMap<&'static str, (usize, Vec<String>)>,
}

impl Report {
    fn add(&mut self, class: &'static str, example: String) {
        if let Some(dump) = std::env::var_os("TOLK_CORPUS_DUMP") {
            use std::io::Write;
            if let Ok(mut file) = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(dump)
            {
                let _ = writeln!(file, "{class}\t{example}");
            }
        }
        let entry = self.classes.entry(class).or_default();
        entry.0 += 1;
        if entry.1.len() < 8 {
            entry.1.push(example);
        }
    }

    fn count(&self, class: &str) -> usize {
        self.classes.get(class).map_or(0, |c| c.0)
    }

    fn summary(&self) -> String {
        let mut text = format!("{} pages\n", self.pages);
        for (class, (count, examples)) in &self.classes {
            text.push_str(&format!("{class}: {count}\n"));
            for example in examples {
                text.push_str(&format!("    {example}\n"));
            }
        }
        text
    }

    /// Fails with the whole summary unless every class but `allowed` is zero.
    fn assert_clean(&self, allowed: &[&str]) {
        let failing: Vec<&str> = self
            .classes
            .iter()
            .filter(|(class, (count, _))| *count > 0 && !allowed.contains(class))
            .map(|(class, _)| *class)
            .collect();
        assert!(
            failing.is_empty(),
            "failing classes {failing:?}\n{}",
            self.summary()
        );
    }
}

const MARKER: &str = "marker in visible text";
const CALLOUTS: &str = "fewer callouts than the source";
const BROKEN: &str = "relative href/src that leads nowhere";
const SOURCE_BROKEN: &str = "(allowed) link to a file the corpus left out";
const MD_HREF: &str = "href ending in .md or holding /help/";

/// What one page holds, as the tokenizer saw it.
#[derive(Debug, Default)]
struct Page {
    /// Text outside `pre`, `code`, `script`, `style` and `template`.
    text: String,
    /// `(attribute, value)` of every `href` and `src`.
    urls: Vec<(&'static str, String)>,
    callouts: usize,
}

#[derive(Default)]
struct Sink {
    page: RefCell<Page>,
    hidden_depth: RefCell<usize>,
}

const HIDDEN: [&str; 5] = ["pre", "code", "script", "style", "template"];

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            Token::TagToken(tag) => {
                let name: &str = &tag.name;
                let hidden = HIDDEN.contains(&name);
                match tag.kind {
                    TagKind::StartTag => {
                        if hidden && !tag.self_closing {
                            *self.hidden_depth.borrow_mut() += 1;
                        }
                        let mut page = self.page.borrow_mut();
                        for attr in &tag.attrs {
                            match &*attr.name.local {
                                "href" => page.urls.push(("href", attr.value.to_string())),
                                "src" => page.urls.push(("src", attr.value.to_string())),
                                "data-callout" => page.callouts += 1,
                                _ => {}
                            }
                        }
                        // Block boundaries separate words.
                        page.text.push('\n');
                    }
                    TagKind::EndTag => {
                        if hidden {
                            let mut depth = self.hidden_depth.borrow_mut();
                            *depth = depth.saturating_sub(1);
                        }
                        self.page.borrow_mut().text.push('\n');
                    }
                }
            }
            Token::CharacterTokens(text) if *self.hidden_depth.borrow() == 0 => {
                self.page.borrow_mut().text.push_str(&text);
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

fn tokenize(html: &str) -> Page {
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(Sink::default(), TokenizerOpts::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.page.take()
}

/// The markers a reader must never see, found in `text`.
fn markers(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for marker in ["[!", "{#", "{{"] {
        if let Some(i) = text.find(marker) {
            let start = (0..=i.saturating_sub(30))
                .rev()
                .find(|&b| text.is_char_boundary(b))
                .unwrap_or(0);
            let end = ((i + 40).min(text.len())..=text.len())
                .find(|&b| text.is_char_boundary(b))
                .unwrap_or(text.len());
            found.push(format!("`{marker}` in {:?}", &text[start..end]));
        }
    }
    for line in text.lines() {
        let line = line.trim();
        if line == "+++" || line.starts_with("+++ ") || line.starts_with("+++*") {
            found.push(format!("standalone `+++` in {line:?}"));
        }
    }
    found
}

fn crawl(out: &Path, content: &Path) -> Report {
    let mut report = Report::default();
    for entry in walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let rel = path
            .strip_prefix(out)
            .expect("inside")
            .to_string_lossy()
            .replace('\\', "/");
        let html = std::fs::read_to_string(path).expect("read a page");
        let page = tokenize(&html);
        report.pages += 1;
        for marker in markers(&page.text) {
            report.add(MARKER, format!("{rel}: {marker}"));
        }
        if let Some(source) = source_of(content, &rel) {
            let text = std::fs::read_to_string(&source).expect("read a source");
            let expected = common::source_callouts(&text);
            if page.callouts < expected {
                report.add(CALLOUTS, format!("{rel}: {} of {expected}", page.callouts));
            }
        }
        let dir = path.parent().expect("a folder");
        for (attr, url) in &page.urls {
            let external = url.is_empty()
                || url.starts_with('#')
                || url.starts_with("//")
                || tolk::site::urls::has_scheme(url);
            let path_part = url.split(['#', '?']).next().unwrap_or_default();
            if *attr == "href"
                && !external
                && (path_part.ends_with(".md") || url.contains("/help/"))
            {
                report.add(MD_HREF, format!("{rel}: {url}"));
            }
            if external {
                continue;
            }
            let decoded = common::percent_decode(path_part);
            let mut target = match decoded.strip_prefix('/') {
                Some(from_root) => out.join(from_root),
                None => dir.join(&decoded),
            };
            if decoded.is_empty() || decoded.ends_with('/') || target.is_dir() {
                target = target.join("index.html");
            }
            if target.is_file() {
                continue;
            }
            let is_page = target.ends_with("index.html");
            if is_page || source_exists(out, content, &target) {
                report.add(BROKEN, format!("{rel}: {attr}={url}"));
            } else {
                report.add(SOURCE_BROKEN, format!("{rel}: {attr}={url}"));
            }
        }
    }
    report
}

/// The markdown file an output page came from, in its own locale's content.
fn source_of(content: &Path, rel: &str) -> Option<PathBuf> {
    let (locale, rest) = rel.split_once('/')?;
    let stem = rest.strip_suffix("index.html")?.trim_end_matches('/');
    if stem.is_empty() {
        return None;
    }
    let base = content.join(locale);
    [format!("{stem}.md"), format!("{stem}/index.md")]
        .into_iter()
        .map(|p| base.join(p))
        .find(|p| p.is_file())
}

/// Does any locale's content hold what a missing output file should have come from? A target
/// outside every locale folder counts as missing from the corpus.
fn source_exists(out: &Path, content: &Path, target: &Path) -> bool {
    let Ok(rel) = target.strip_prefix(out) else {
        return false;
    };
    let rel = rel.to_string_lossy().replace('\\', "/");
    let Some((_, rest)) = rel.split_once('/') else {
        return false;
    };
    let page = rest
        .strip_suffix("index.html")
        .map(|s| s.trim_end_matches('/'));
    LOCALES.iter().any(|code| {
        let base = content.join(code);
        match page {
            Some("") => false,
            Some(stem) => {
                base.join(format!("{stem}.md")).is_file()
                    || base.join(stem).join("index.md").is_file()
            }
            None => base.join(rest).is_file(),
        }
    })
}

fn check_corpus(name: &str, min_pages: usize) {
    let Some(corpus) = corpus_dir(name) else {
        return;
    };
    let (_site, report) = build_and_crawl(&corpus);
    eprintln!("{name}:\n{}", report.summary());
    assert!(
        report.pages >= min_pages,
        "{name}: only {} pages",
        report.pages
    );
    report.assert_clean(&[SOURCE_BROKEN]);
    assert_eq!(report.count(MARKER), 0);
}

#[test]
fn analytics_corpus_renders_as_experience_league_does() {
    check_corpus("analytics", 3_800);
}

#[test]
fn known_issues_corpus_renders_as_experience_league_does() {
    check_corpus("known-issues", 900);
}

#[test]
fn the_crawler_sees_what_a_reader_sees() {
    let page = tokenize(
        "<main><p>a [!DNL x]</p><pre>[!DNL in code]</pre><code>{{x}}</code>\
         <div data-callout=\"note\"><a href=\"../a.md\">+++</a><img src=\"i.png\"></div></main>",
    );
    let found = markers(&page.text);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].contains("[!"), "{found:?}");
    assert!(found[1].contains("+++"), "{found:?}");
    assert_eq!(page.callouts, 1);
    assert_eq!(
        page.urls,
        [("href", "../a.md".to_owned()), ("src", "i.png".to_owned())]
    );
    assert_eq!(
        common::source_callouts(
            "> [!NOTE]\n>\n>x\n\n<!--\n>[!TIP]\n-->\n```\n>[!TIP]\n```\n  >[!MORELIKETHIS]\n"
        ),
        2
    );
}
