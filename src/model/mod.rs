//! The site model: every file of the site read and parsed once, shared by `build`, `check` and
//! `serve`.
//!
//! [`Site::load`] discovers each locale's files ([`discover`]), reads every article once and
//! parses its front matter ([`front_matter`], leniently: a mistake is kept with the article),
//! then groups the translations of each article ([`groups`]). The outline of a body that the
//! checks need ([`outline`], with the machine-translation damage it finds, [`artifacts`]) is
//! parsed the first time a rule asks, once. Where a link points is [`links`]. Nothing
//! downstream reads an article again.

pub mod apply;
pub mod article;
pub mod artifacts;
pub mod discover;
pub mod front_matter;
pub mod groups;
pub mod links;
pub mod outline;
pub mod spans;

use std::ops::Range;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::{Config, Locale};
use crate::error::{Error, Result};
pub use apply::{ArticleChange, Delta, GroupRef};
pub use article::{
    normalize_newlines, parse_article, read_text, Article, FrontProblem, Hand, LocaleContent,
};
pub use discover::LocaleFiles;
pub use front_matter::FrontMatter;
pub use groups::{Group, Grouping};
pub use outline::Outline;

/// A replacement of the bytes `range` of a file: the mechanical fix of a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub replacement: String,
}

/// What loading did, for `tolk build -v`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadStats {
    /// Files found in the content folders (articles, navigation, assets).
    pub files: usize,
    /// Articles read and parsed (front matter and outline), each once.
    pub parsed: usize,
    pub elapsed: Duration,
}

/// Every locale's content, parsed, with its translation groups.
#[derive(Debug, Clone, Default)]
pub struct Site {
    /// In config order; each locale's articles sorted by path.
    pub contents: Vec<LocaleContent>,
    /// Member indices count the articles of every locale in order ([`Site::articles`]).
    pub grouping: Grouping,
    pub stats: LoadStats,
    /// The source's git history, read when the staleness rule first needs it and kept while
    /// HEAD stays (shared by the copies the dev server checks on).
    pub history: std::sync::Arc<crate::history::log::LogCache>,
}

impl Site {
    /// Discovers, reads and parses every locale of the site. Only files that cannot be read stop
    /// it (all of them reported together); front matter mistakes are kept with their articles.
    pub fn load(config: &Config) -> Result<Site> {
        let started = Instant::now();
        let mut errors = Vec::new();
        // The locales' folders are walked side by side, then all their articles read in one
        // parallel pass: walking one locale at a time left the other cores idle meanwhile.
        let found: Vec<(&Locale, LocaleFiles)> = config
            .locales
            .par_iter()
            .map(|locale| {
                let shown_dir = config.display_path(&locale.content_dir);
                discover::discover(locale, &config.root, &shown_dir).map(|found| (locale, found))
            })
            .collect::<Result<_>>()?;
        let files = found
            .iter()
            .map(|(_, f)| f.articles.len() + f.navigation.len() + f.assets.len())
            .sum();
        let all: Vec<(usize, &Locale, &String)> = found
            .iter()
            .enumerate()
            .flat_map(|(i, (locale, f))| f.articles.iter().map(move |rel| (i, *locale, rel)))
            .collect();
        // In pieces of at most 64 files, so that both cores finish together.
        let read: Vec<(usize, Result<Article>)> = all
            .par_iter()
            .with_max_len(64)
            .map(|&(i, locale, rel)| (i, article::read_article(config, locale, rel)))
            .collect();
        let mut articles: Vec<Vec<Article>> = found
            .iter()
            .map(|(_, f)| Vec::with_capacity(f.articles.len()))
            .collect();
        for (i, result) in read {
            match result {
                Ok(article) => articles[i].push(article),
                Err(e) => errors.push(e),
            }
        }
        let contents: Vec<LocaleContent> = found
            .into_iter()
            .zip(articles)
            .map(|((locale, files), articles)| LocaleContent {
                locale: locale.clone(),
                articles,
                files,
            })
            .collect();
        if let Some(e) = Error::from_many(errors) {
            return Err(e);
        }
        let mut site = Site::from_contents(config, contents);
        site.stats.files = files;
        site.stats.elapsed = started.elapsed();
        Ok(site)
    }

    /// A site of content already read (serve's updates, tests): groups it.
    pub fn from_contents(config: &Config, contents: Vec<LocaleContent>) -> Site {
        let parsed = contents.iter().map(|c| c.articles.len()).sum();
        let mut site = Site {
            contents,
            grouping: Grouping::default(),
            stats: LoadStats {
                parsed,
                ..LoadStats::default()
            },
            history: Default::default(),
        };
        site.regroup(config);
        site
    }

    /// Groups the translations again, after articles changed.
    pub fn regroup(&mut self, config: &Config) {
        self.grouping = groups::group(config, &self.articles());
    }

    /// The index in [`Site::contents`] of the locale `code`.
    pub fn locale_index(&self, code: &str) -> Option<usize> {
        self.contents.iter().position(|c| c.locale.code == code)
    }

    /// Every article of every locale, in config order: the indices of [`Group::members`].
    pub fn articles(&self) -> Vec<&Article> {
        self.contents.iter().flat_map(|c| &c.articles).collect()
    }

    /// How many articles' outlines were parsed (each at most once: the first rule to ask parses
    /// it).
    pub fn outlines_parsed(&self) -> usize {
        self.contents
            .iter()
            .flat_map(|c| &c.articles)
            .filter(|a| a.outline_parsed())
            .count()
    }

    /// Drops the parsed outlines (a build, once checked, renders from the text alone), so that
    /// their memory is free for the pages. One that is asked for again is parsed again.
    pub fn forget_outlines(&mut self) {
        // On every thread: dropping 30,000 outlines alone kept the other core waiting.
        self.contents.par_iter_mut().for_each(|content| {
            content
                .articles
                .par_iter_mut()
                .with_max_len(256)
                .for_each(Article::forget_outline);
        });
    }

    /// Lets go of the articles' texts that only their pages need again (see
    /// [`Article::release_text`]). The first locale's pages, which a build renders first,
    /// take theirs from memory, and each goes as its page is written; the other locales'
    /// pages read their files again. Holding those texts through the first locale's render
    /// too would add them (94 of the 140 MB at 10,000 x 3 on the bench corpus) to the build's
    /// peak memory while the search index grows.
    pub fn release_texts(&mut self) {
        let empty: std::sync::Arc<str> = std::sync::Arc::from("");
        self.contents
            .par_iter_mut()
            .enumerate()
            .for_each(|(i, content)| {
                let dir = &content.locale.content_dir;
                let hand = if i == 0 { Hand::ToPage } else { Hand::No };
                let articles = content.articles.par_iter_mut().with_max_len(256);
                articles.for_each(|article| {
                    article.release_text(dir.join(&article.rel_path), &empty, hand);
                });
            });
    }

    pub fn article_count(&self) -> usize {
        self.contents.iter().map(|c| c.articles.len()).sum()
    }

    /// The front matter mistakes of every article, as one error: a build stops on them.
    pub fn front_errors(&self) -> Option<Error> {
        let errors: Vec<Error> = self
            .contents
            .iter()
            .flat_map(|c| &c.articles)
            .filter_map(Article::front_error)
            .collect();
        Error::from_many(errors)
    }
}
