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
        let files = discover::discover(locale, &shown_dir)?;
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

fn read_article(config: &Config, locale: &Locale, rel: &str) -> Result<Article> {
    let path = locale.content_dir.join(rel);
    let bytes = std::fs::read(&path).map_err(Error::io("read", &path))?;
    let shown_path = config.display_path(&path);
    let text = String::from_utf8(bytes).map_err(|e| {
        Error::setup(
            format!(
                "{shown_path}: the file is not UTF-8 (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
            "save the file as UTF-8",
        )
    })?;
    parse_article(&locale.code, rel, shown_path, text)
}

/// Parses one article's text; `shown_path` names the file in errors.
pub fn parse_article(locale: &str, rel: &str, shown_path: String, text: String) -> Result<Article> {
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
