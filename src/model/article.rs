//! One article: its file read once, its front matter parsed (leniently: a mistake is kept as a
//! [`FrontProblem`] with its position, so the check can report it and the build can stop on it),
//! and the outline of its body.

use super::discover::LocaleFiles;
use super::front_matter::{self, FrontMatter};
use super::outline::{self, Outline};
use crate::config::{Config, Locale};
use crate::error::{Error, Result};
use crate::locale::LocaleCode;

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
    /// The whole file.
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

    pub fn body(&self) -> &str {
        &self.text[self.body_offset..]
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
    Ok(parse_article(&locale.code, rel, shown_path, text))
}

/// Reads a text file; a file that is not UTF-8 is an error at the first bad byte.
pub fn read_text(path: &std::path::Path, shown_path: &str) -> Result<String> {
    let bytes = std::fs::read(path).map_err(Error::io("read", path))?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let prefix = String::from_utf8_lossy(&bytes[..valid]);
        let at = crate::error::Location::from_offset(shown_path, &prefix, valid);
        let bad = bytes.get(valid).map_or_else(String::new, |b| format!(" (byte 0x{b:02x})"));
        Error::setup(
            format!("{at}: the file is not UTF-8{bad}"),
            "save the file as UTF-8 (most editors have an encoding menu); tolk reads no other encoding",
        )
    })
}

/// Old Mac files end lines with a lone `\r`; they become `\n`. The length stays the same, so
/// every byte offset still points at the same character.
pub fn normalize_newlines(text: String) -> String {
    if memchr::memchr(b'\r', text.as_bytes()).is_none() {
        return text;
    }
    let bytes = text.as_bytes();
    let lone_cr = |i: usize| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n');
    if !(0..bytes.len()).any(lone_cr) {
        return text;
    }
    let mut fixed = text.into_bytes();
    for i in 0..fixed.len() {
        if fixed[i] == b'\r' && fixed.get(i + 1) != Some(&b'\n') {
            fixed[i] = b'\n';
        }
    }
    // Only ASCII bytes were replaced by ASCII bytes, so this is still UTF-8.
    String::from_utf8(fixed).unwrap_or_default()
}

/// Parses one article's text; `shown_path` names the file in errors. A front matter mistake is
/// kept in [`Article::front_problem`]; the body is still read when its start is known.
pub fn parse_article(
    locale: impl Into<LocaleCode>,
    rel: &str,
    shown_path: String,
    text: String,
) -> Article {
    let text = normalize_newlines(text);
    // Parsed before the text moves into the article, so the text is never copied.
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
        text: text.into(),
        front_problem,
        body_known: body_offset.is_some(),
        outline: std::sync::OnceLock::new(),
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
