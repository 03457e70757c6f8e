//! The content of a site: every article of every locale, read and parsed.
//!
//! Reading is parallel (rayon); all front matter errors of all files are collected and reported
//! together, so a writer fixes them in one go.

pub mod discover;
pub mod front_matter;

use rayon::prelude::*;

use crate::config::{Config, Locale};
use crate::error::{Error, Result};
pub use discover::LocaleFiles;
pub use front_matter::FrontMatter;

/// One article in one locale.
#[derive(Debug, Clone)]
pub struct Article {
    /// Locale code: `nl`.
    pub locale: String,
    /// Path relative to the locale's content folder, `/`-separated: `a/b.md`.
    pub rel_path: String,
    /// Path as shown to people, relative to the site root when inside it: `content/nl/a/b.md`.
    pub shown_path: String,
    pub front: FrontMatter,
    /// The whole file.
    pub text: String,
    /// Where the markdown body starts in `text`.
    pub body_offset: usize,
}

impl Article {
    pub fn body(&self) -> &str {
        &self.text[self.body_offset..]
    }
}

/// All content of one locale.
#[derive(Debug, Clone)]
pub struct LocaleContent {
    pub locale: Locale,
    pub articles: Vec<Article>,
    pub files: LocaleFiles,
}

/// Discovers and parses every locale of the site.
pub fn load(config: &Config) -> Result<Vec<LocaleContent>> {
    let mut errors = Vec::new();
    let mut contents = Vec::with_capacity(config.locales.len());
    for locale in &config.locales {
        let shown_dir = config.display_path(&locale.content_dir);
        let files = discover::discover(locale, &config.root, &shown_dir)?;
        let parsed: Vec<Result<Article>> = files
            .articles
            .par_iter()
            .map(|rel| read_article(config, locale, rel))
            .collect();
        let mut articles = Vec::with_capacity(parsed.len());
        for result in parsed {
            match result {
                Ok(article) => articles.push(article),
                Err(e) => errors.push(e),
            }
        }
        contents.push(LocaleContent {
            locale: locale.clone(),
            articles,
            files,
        });
    }
    match Error::from_many(errors) {
        Some(e) => Err(e),
        None => Ok(contents),
    }
}

/// Reads and parses the article at `rel` under the locale's content folder.
pub fn read_article(config: &Config, locale: &Locale, rel: &str) -> Result<Article> {
    let path = locale.content_dir.join(rel);
    let shown_path = config.display_path(&path);
    let text = read_text(&path, &shown_path)?;
    parse_article(&locale.code, rel, shown_path, text)
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
    if !text.contains('\r') {
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

/// Parses one article's text; `shown_path` names the file in errors.
pub fn parse_article(locale: &str, rel: &str, shown_path: String, text: String) -> Result<Article> {
    let text = normalize_newlines(text);
    let split = front_matter::split(&shown_path, &text)?;
    let front = front_matter::parse(&shown_path, &text, &split)?;
    let body_offset = split.body_offset;
    Ok(Article {
        locale: locale.to_owned(),
        rel_path: rel.to_owned(),
        shown_path,
        front,
        text,
        body_offset,
    })
}
