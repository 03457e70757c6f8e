//! One article: its file read once, its front matter parsed (leniently: a mistake is kept as a
//! [`FrontProblem`] with its position, so the check can report it and the build can stop on it),
//! and the outline of its body.

use super::discover::LocaleFiles;
use super::front_matter::{self, FrontMatter};
use super::outline::{self, Outline};
use crate::config::{Config, Locale};
use crate::error::{Error, Result};
use crate::locale::LocaleCode;
use crate::lock::lock;

/// One article in one locale.
#[derive(Debug, Clone)]
pub struct Article {
    /// Locale code: `nl`.
    pub locale: LocaleCode,
    /// Path relative to the locale's content folder, `/`-separated: `a/b.md`.
    pub rel_path: String,
    /// Path as shown to people, relative to the site root when inside it: `content/nl/a/b.md`.
    pub shown_path: String,
    pub front: FrontMatter,
    /// The whole file, as read (newlines normalized). Empty once [`Article::release_text`] let
    /// it go: [`Article::source`] reads it again then.
    pub text: std::sync::Arc<str>,
    /// Where the markdown body starts in `text`.
    pub body_offset: usize,
    /// What is wrong with the front matter; `front` is then empty.
    pub front_problem: Option<FrontProblem>,
    /// Whether the body's start is known (not after unclosed front matter).
    body_known: bool,
    /// The body's structure, parsed the first time something asks ([`Article::outline`]):
    /// a build without checks never needs it.
    outline: std::sync::OnceLock<Option<Outline>>,
    /// Where to read the text again, once it was let go.
    released: Option<Box<Released>>,
}

/// Whether a text let go ([`Article::release_text`]) is kept for the article's page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hand {
    /// The page's render takes it from memory.
    ToPage,
    /// The page's render reads the file again.
    No,
}

/// A text let go ([`Article::release_text`]): the text itself until the first
/// [`Article::source`] takes it, the file it came from, and what reading it again must find.
#[derive(Debug)]
struct Released {
    /// Taken by the first [`Article::source`] (the article's page), so that it goes with the
    /// page rather than with the build.
    handed: std::sync::Mutex<Option<std::sync::Arc<str>>>,
    path: std::path::PathBuf,
    len: usize,
    hash: u64,
}

impl Clone for Released {
    fn clone(&self) -> Released {
        Released {
            handed: std::sync::Mutex::new(lock(&self.handed).clone()),
            path: self.path.clone(),
            len: self.len,
            hash: self.hash,
        }
    }
}

/// The hash that tells a text read again from the one read first.
fn text_hash(text: &str) -> u64 {
    use std::hash::BuildHasher;
    foldhash::quality::FixedState::with_seed(0).hash_one(text)
}

/// A front matter mistake, kept with the article: the check reports it as a finding, a build
/// stops on it (with [`Article::front_error`], the whole diagnostic).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontProblem {
    /// Byte offset in the file.
    pub offset: usize,
    /// What is wrong, with how to fix it.
    pub message: String,
}

impl Article {
    /// The locales this article exists in, when it says so: its front matter's `locales:`,
    /// else a `[site.only-in]` path of `tolk.toml` that holds it. `None`: every locale.
    pub fn only_in<'a>(&'a self, config: &'a Config) -> Option<&'a [String]> {
        self.front
            .locales
            .as_deref()
            .or_else(|| config.only_in(&self.rel_path))
    }

    /// Whether `locale` should have this article: no missing-translation finding and no
    /// borrowed copy where it should not.
    pub fn wanted_in(&self, config: &Config, locale: &str) -> bool {
        self.only_in(config)
            .is_none_or(|codes| codes.iter().any(|c| c == locale))
    }

    /// The markdown body; empty once the text was let go ([`Article::source`] has it then).
    pub fn body(&self) -> &str {
        self.text.get(self.body_offset..).unwrap_or_default()
    }

    /// Lets go of the text, read from `path`, when nothing but the article's page needs it
    /// again: the article has its title in its front matter (the navigation takes a missing
    /// one from the body) and no front matter problem (whose diagnostic quotes the file).
    /// With [`Hand::ToPage`] the first [`Article::source`] takes the text, which then goes
    /// when the page is written; otherwise, and for later calls, [`Article::source`] reads
    /// the file again. A build does this once the checks are done, so that the pages' renders
    /// do not keep every file of the site in memory (140 MB at 10,000 x 3 on the bench
    /// corpus); `empty` is the text left in its place. Returns whether it let go.
    pub fn release_text(
        &mut self,
        path: std::path::PathBuf,
        empty: &std::sync::Arc<str>,
        hand: Hand,
    ) -> bool {
        if self.released.is_some() || self.front_problem.is_some() || self.front.title.is_none() {
            return false;
        }
        let text = std::mem::replace(&mut self.text, std::sync::Arc::clone(empty));
        self.released = Some(Box::new(Released {
            len: text.len(),
            hash: text_hash(&text),
            handed: std::sync::Mutex::new((hand == Hand::ToPage).then_some(text)),
            path,
        }));
        true
    }

    /// The whole file: the text held; once it was let go, the text the first call takes, then
    /// the file read again. A file that changed since it was first read is an error: the
    /// checks and the navigation were made from the first.
    pub fn source(&self) -> Result<std::sync::Arc<str>> {
        let Some(released) = &self.released else {
            return Ok(std::sync::Arc::clone(&self.text));
        };
        if let Some(text) = lock(&released.handed).take() {
            return Ok(text);
        }
        let text = read_text(&released.path, &self.shown_path)?;
        if text.len() != released.len || text_hash(&text) != released.hash {
            return Err(Error::setup(
                format!(
                    "{}: the file changed while the site was built",
                    self.shown_path
                ),
                "build again: the new text is checked and rendered then",
            ));
        }
        Ok(text)
    }

    /// Whether the outline was parsed already.
    pub fn outline_parsed(&self) -> bool {
        self.outline.get().is_some()
    }

    /// Drops the parsed outline, if any.
    pub fn forget_outline(&mut self) {
        self.outline = std::sync::OnceLock::new();
    }

    /// The body's structure, parsed once; `None` when the body could not be found (unclosed
    /// front matter).
    pub fn outline(&self) -> Option<&Outline> {
        self.outline
            .get_or_init(|| {
                self.body_known
                    .then(|| outline::outline(&self.text, self.body_offset))
            })
            .as_ref()
    }

    /// The front matter mistake as a whole diagnostic (with the file's lines), for a build that
    /// stops on it. Only a file with a [`FrontProblem`] is parsed again, and only here.
    pub fn front_error(&self) -> Option<Error> {
        self.front_problem.as_ref()?;
        let split = match front_matter::split(&self.shown_path, &self.text) {
            Ok(split) => split,
            Err(e) => return Some(e),
        };
        front_matter::parse(&self.shown_path, &self.text, &split).err()
    }
}

/// All content of one locale.
#[derive(Debug, Clone)]
pub struct LocaleContent {
    pub locale: Locale,
    pub articles: Vec<Article>,
    pub files: LocaleFiles,
}

impl LocaleContent {
    /// The article at `rel` (articles are sorted by path).
    pub fn article(&self, rel: &str) -> Option<&Article> {
        let at = self
            .articles
            .binary_search_by(|a| a.rel_path.as_str().cmp(rel));
        at.ok().map(|i| &self.articles[i])
    }
}

/// Reads and parses the article at `rel` under the locale's content folder.
pub fn read_article(config: &Config, locale: &Locale, rel: &str) -> Result<Article> {
    let path = locale.content_dir.join(rel);
    let shown_path = config.display_path(&path);
    let text = read_text(&path, &shown_path)?;
    Ok(parse_text(&locale.code, rel, shown_path, text))
}

/// Reads a text file whole, its lone `\r` line ends made `\n` ([`normalize_newlines`]); a
/// file that is not UTF-8 is an error at the first bad byte.
pub fn read_text(path: &std::path::Path, shown_path: &str) -> Result<std::sync::Arc<str>> {
    let bytes = std::fs::read(path).map_err(Error::io("read", path))?;
    if u32::try_from(bytes.len()).is_err() {
        // The outlines keep offsets as `u32` (model::spans::Leaf).
        return Err(Error::setup(
            format!("{shown_path}: the file is 4 GB or more"),
            "split it into articles of a readable size",
        ));
    }
    // simdutf8 checks the bytes six times faster than `std::str::from_utf8` on accented text
    // (60 -> 10 ms for the 30,000 files of the bench corpus, 10,000 x 3); the text is copied
    // into its `Arc` once either way. `std` finds the bad byte's position for the error.
    let Ok(text) = simdutf8::basic::from_utf8(&bytes) else {
        return Err(not_utf8(&bytes, shown_path));
    };
    Ok(match normalized(text) {
        std::borrow::Cow::Borrowed(text) => text.into(),
        std::borrow::Cow::Owned(text) => text.into(),
    })
}

/// The error for `bytes` that are not UTF-8, at the first bad byte.
fn not_utf8(bytes: &[u8], shown_path: &str) -> Error {
    let valid = std::str::from_utf8(bytes)
        .err()
        .map_or(bytes.len(), |e| e.valid_up_to());
    let prefix = String::from_utf8_lossy(&bytes[..valid]);
    let at = crate::error::Location::from_offset(shown_path, &prefix, valid);
    let bad = bytes
        .get(valid)
        .map_or_else(String::new, |b| format!(" (byte 0x{b:02x})"));
    Error::setup(
        format!("{at}: the file is not UTF-8{bad}"),
        "save the file as UTF-8 (most editors have an encoding menu); tolk reads no other encoding",
    )
}

/// Old Mac files end lines with a lone `\r`; they become `\n`. The length stays the same, so
/// every byte offset still points at the same character.
pub fn normalize_newlines(text: String) -> String {
    match normalized(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(fixed) => fixed,
    }
}

/// `text` with its lone `\r` made `\n`; borrowed when it has none.
fn normalized(text: &str) -> std::borrow::Cow<'_, str> {
    if memchr::memchr(b'\r', text.as_bytes()).is_none() {
        return text.into();
    }
    let bytes = text.as_bytes();
    let lone_cr = |i: usize| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n');
    if !(0..bytes.len()).any(lone_cr) {
        return text.into();
    }
    let mut fixed = bytes.to_vec();
    for i in 0..fixed.len() {
        if fixed[i] == b'\r' && fixed.get(i + 1) != Some(&b'\n') {
            fixed[i] = b'\n';
        }
    }
    // Only ASCII bytes were replaced by ASCII bytes, so this is still UTF-8.
    String::from_utf8(fixed).unwrap_or_default().into()
}

/// Parses one article's text; `shown_path` names the file in errors. A front matter mistake is
/// kept in [`Article::front_problem`]; the body is still read when its start is known.
pub fn parse_article(
    locale: impl Into<LocaleCode>,
    rel: &str,
    shown_path: String,
    text: String,
) -> Article {
    parse_text(locale, rel, shown_path, normalize_newlines(text).into())
}

/// [`parse_article`] of a text already read whole and normalized ([`read_text`]).
fn parse_text(
    locale: impl Into<LocaleCode>,
    rel: &str,
    shown_path: String,
    text: std::sync::Arc<str>,
) -> Article {
    let (front, body_offset, problem) = match front_matter::split(&shown_path, &text) {
        Ok(split) => match front_matter::parse(&shown_path, &text, &split) {
            Ok(front) => (front, Some(split.body_offset), None),
            Err(e) => (FrontMatter::default(), Some(split.body_offset), Some(e)),
        },
        Err(e) => (FrontMatter::default(), None, Some(e)),
    };
    let front_problem = problem.map(|e| FrontProblem::new(&text, &e));
    Article {
        locale: locale.into(),
        rel_path: rel.to_owned(),
        shown_path,
        front,
        body_offset: body_offset.unwrap_or(text.len()),
        text,
        front_problem,
        body_known: body_offset.is_some(),
        outline: std::sync::OnceLock::new(),
        released: None,
    }
}

impl FrontProblem {
    fn new(text: &str, error: &Error) -> FrontProblem {
        let (offset, message) = match error {
            Error::Source(e) => {
                let offset = crate::error::offset_of(text, e.location.line, e.location.column);
                let message = match &e.help {
                    Some(help) => format!("{}; {help}", e.message),
                    None => e.message.clone(),
                };
                (offset, message)
            }
            other => (0, other.to_string()),
        };
        FrontProblem { offset, message }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "---\ntitle: Eén\n---\n# Eén\n\nTekst.\n";

    /// An article read from a file in a fresh folder, as a site loads it.
    fn written(text: &str) -> (tempfile::TempDir, std::path::PathBuf, Article) {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("a.md");
        std::fs::write(&path, text).expect("the file written");
        let read = read_text(&path, "content/nl/a.md").expect("the file read");
        let article = parse_text("nl", "a.md", "content/nl/a.md".to_owned(), read);
        (dir, path, article)
    }

    #[test]
    fn a_released_text_is_handed_once_then_read_again_from_its_file() {
        let (_dir, path, mut article) = written(TEXT);
        let empty: std::sync::Arc<str> = "".into();
        assert!(article.release_text(path.clone(), &empty, Hand::ToPage));
        assert_eq!(&*article.text, "");
        assert_eq!(article.body(), "");
        // The first source is the text read first: the file is not read again.
        std::fs::remove_file(&path).expect("the file removed");
        let handed = article.source().expect("the text handed over");
        assert_eq!(&*handed, TEXT);
        // A second page of the article reads the file again.
        std::fs::write(&path, TEXT).expect("the file written back");
        let again = article.source().expect("the file read again");
        assert_eq!(&*again, TEXT);
        assert_eq!(&again[article.body_offset..], "# Eén\n\nTekst.\n");
    }

    #[test]
    fn a_text_not_handed_to_its_page_is_read_again_at_once() {
        let (_dir, path, mut article) = written(TEXT);
        assert!(article.release_text(path.clone(), &"".into(), Hand::No));
        std::fs::remove_file(&path).expect("the file removed");
        assert!(article.source().is_err(), "nothing was kept in memory");
    }

    #[test]
    fn a_clone_holds_the_text_its_original_has_not_handed_yet() {
        let (_dir, path, mut article) = written(TEXT);
        assert!(article.release_text(path.clone(), &"".into(), Hand::ToPage));
        let copy = article.clone();
        assert_eq!(&*article.source().expect("the text handed over"), TEXT);
        std::fs::remove_file(&path).expect("the file removed");
        assert_eq!(&*copy.source().expect("the copy's text"), TEXT);
        assert!(article.source().is_err(), "the original's text was taken");
    }

    #[test]
    fn old_mac_line_ends_are_read_again_as_they_were_read_first() {
        let (_dir, path, mut article) = written("---\rtitle: Eén\r---\r# Eén\r");
        let first = article.source().expect("the text held");
        assert_eq!(&*first, "---\ntitle: Eén\n---\n# Eén\n");
        assert!(article.release_text(path, &"".into(), Hand::ToPage));
        assert_eq!(article.source().expect("the text handed over"), first);
        assert_eq!(article.source().expect("the file read again"), first);
    }

    #[test]
    fn a_file_changed_after_its_release_is_an_error_that_names_it() {
        let (_dir, path, mut article) = written(TEXT);
        assert!(article.release_text(path.clone(), &"".into(), Hand::ToPage));
        article.source().expect("the text handed over");
        // The same length, one letter different: the hash tells them apart.
        std::fs::write(&path, TEXT.replace("Tekst", "Tekts")).expect("the file changed");
        let error = article.source().expect_err("a changed file").to_string();
        assert!(
            error.contains("content/nl/a.md: the file changed while the site was built"),
            "{error}"
        );
        std::fs::remove_file(&path).expect("the file removed");
        let error = article.source().expect_err("a removed file").to_string();
        assert!(error.contains("a.md"), "{error}");
    }

    #[test]
    fn only_texts_nothing_else_needs_are_released() {
        let empty: std::sync::Arc<str> = "".into();
        // The navigation takes a title from the body when the front matter has none.
        let (_dir, path, mut untitled) = written("# Eén\n\nTekst.\n");
        assert!(!untitled.release_text(path, &empty, Hand::ToPage));
        assert_eq!(untitled.body(), "# Eén\n\nTekst.\n");
        // A front matter problem's diagnostic quotes the file.
        let (_dir, path, mut broken) = written("---\ntitle: [Eén\n---\nTekst.\n");
        assert!(broken.front_problem.is_some());
        assert!(!broken.release_text(path, &empty, Hand::ToPage));
        assert!(broken.front_error().is_some());
    }

    #[test]
    fn a_file_that_is_not_utf8_is_an_error_at_its_first_bad_byte() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("a.md");
        std::fs::write(&path, b"# Caf\xc3\xa9\ncaf\xe9\n").expect("the file written");
        let error = read_text(&path, "content/nl/a.md")
            .expect_err("Latin-1")
            .to_string();
        assert!(
            error.contains("content/nl/a.md:2:4: the file is not UTF-8 (byte 0xe9)"),
            "{error}"
        );
    }
}
