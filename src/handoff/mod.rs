//! Translation handoff: what changed in the source since each translation was made, sent to
//! translators as XLIFF ([`export`]), and their work written back into the articles
//! ([`import`]).
//!
//! Both directions compute the same [`HandoffPlan`] per translation: the source article at the
//! translation's `source-git-commit` and at the exported commit, read from git
//! ([`crate::history`]), aligned segment by segment ([`crate::align`]); the translation's own
//! segments are aligned with the older source, so each changed source segment knows the
//! translation segment it replaces, and each added one where it goes. Import computes the plan
//! again from the commits the file names and refuses any unit that does not match it.

pub mod changes;
pub mod export;
pub mod import;
pub mod inline;
pub mod removed;
pub mod xliff;

use std::collections::HashMap;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use crate::align::SegmentKind;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::history::{self, log::LogCache, Located, Log};

/// Where a unit's target goes in the translation's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// In place of the translation's segment at these bytes.
    Replace(Range<usize>),
    /// A new block at byte `at`: `prefix` (the source's text between the block and the one
    /// before it, e.g. `\n\n` or `\n* `), then the target.
    Insert { at: usize, prefix: String },
    /// A segment the source removed: these bytes of the translation are deleted.
    Remove(Range<usize>),
    /// A segment the source removed that cannot be deleted safely: nothing is written, the
    /// unit tells a person to delete it.
    Keep,
}

/// One segment to translate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedUnit {
    /// `<exl-id>/<index of the segment in the source>-<kind>`.
    pub id: String,
    pub kind: SegmentKind,
    /// The source segment at the exported commit.
    pub source: String,
    /// The translation's segment, where the source segment only changed.
    pub target: Option<String>,
    pub words: usize,
    /// `changed`, `added`, `new` (the translation does not exist yet) or `removed` (from the
    /// source: the target is the translation's segment to delete).
    pub change: &'static str,
    /// The headings the segment is under in the source, `Install > On Linux`.
    pub heading_path: String,
    pub place: Place,
}

/// What one translation needs, and where it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandoffPlan {
    pub exl_id: String,
    pub source_shown: String,
    pub translation_shown: String,
    pub translation_path: PathBuf,
    /// The full source commit the translation was made from; empty for a new translation.
    pub base: String,
    pub head: String,
    /// The text the units' places point into: the translation, or, for a new one, the source.
    pub text: Arc<str>,
    pub source_words: usize,
    pub units: Vec<PlannedUnit>,
}

/// How much of a translation's source changed since its `source-git-commit`: the segments a
/// handoff would send and their words (at HEAD).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct SourceChanges {
    pub segments: usize,
    pub words: usize,
}

/// The source's git history: the folder it is read from, its log and HEAD.
#[derive(Debug)]
pub struct History {
    pub located: Located,
    pub log: Arc<Log>,
    pub head: String,
    /// Whether each commit (by index in the log) counts: its message has no
    /// `Translation: none` trailer. Each message is read once.
    counts: Arc<Mutex<HashMap<usize, bool>>>,
}

/// What another thread needs to open the same [`History`]: paths and shared state only.
#[derive(Debug, Clone)]
pub struct HistoryHandle {
    git_dir: PathBuf,
    workdir: PathBuf,
    prefix: String,
    log: Arc<Log>,
    head: String,
    counts: Arc<Mutex<HashMap<usize, bool>>>,
}

impl HistoryHandle {
    /// The history, with its own handle on the repository (`None` if it cannot be opened).
    pub fn open(&self) -> Option<History> {
        Some(History {
            located: Located {
                repo: history::reopen(&self.git_dir)?,
                workdir: self.workdir.clone(),
                prefix: self.prefix.clone(),
            },
            log: Arc::clone(&self.log),
            head: self.head.clone(),
            counts: Arc::clone(&self.counts),
        })
    }
}

impl History {
    /// The history of the source locale's folder (or of `source-repository`), its log read
    /// through `cache` (the site model's, which the check already filled).
    pub fn open(config: &Config, cache: &LogCache) -> Result<History> {
        let source = config.source_locale.as_deref().ok_or_else(|| {
            Error::setup(
                "tolk.toml names no source-locale, so there is nothing to hand off from",
                "set source-locale = \"en\" (the locale translations are made from) in tolk.toml",
            )
        })?;
        let folder = match (&config.source_repository, config.locale(source)) {
            (Some(repo), _) => repo.path.clone(),
            (None, Some(locale)) => locale.content_dir.clone(),
            (None, None) => PathBuf::new(),
        };
        let located = history::locate(&folder).ok_or_else(|| {
            Error::setup(
                format!("{} is not in a git repository", folder.display()),
                "handoff reads the source's versions from git: commit the source first",
            )
        })?;
        let log = cache.read(&located)?;
        let head = located
            .repo
            .head_id()
            .map(|id| id.detach().to_hex().to_string())
            .map_err(history::failed("HEAD".to_owned(), &located.workdir))?;
        Ok(History {
            located,
            log,
            head,
            counts: Arc::default(),
        })
    }

    /// A handle to open this history again on another thread.
    pub fn handle(&self) -> HistoryHandle {
        HistoryHandle {
            git_dir: self.located.repo.git_dir().to_owned(),
            workdir: self.located.workdir.clone(),
            prefix: self.located.prefix.clone(),
            log: Arc::clone(&self.log),
            head: self.head.clone(),
            counts: Arc::clone(&self.counts),
        }
    }

    /// Whether commit `index` of the log counts for translation (no `Translation: none`
    /// trailer in its message).
    pub fn counts(&self, index: usize) -> Result<bool> {
        let lock = || crate::lock::lock(&self.counts);
        if let Some(&counts) = lock().get(&index) {
            return Ok(counts);
        }
        let message = history::message(&self.located, &self.log.commit(index).id)?;
        let counts = !history::no_translation(&message);
        lock().insert(index, counts);
        Ok(counts)
    }

    /// The full id of `commit` (full or abbreviated), when HEAD reaches it.
    pub fn resolve(&self, commit: &str) -> Option<String> {
        self.log.find(commit).map(|i| self.log.commit(i).id.clone())
    }
}

/// `text` with every run of whitespace one space: re-wrapping is no change.
pub fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Words as a word count sees them: runs of text with a letter or digit in them.
pub fn words(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapse_and_words() {
        assert_eq!(collapse(" a\n  b\tc "), "a b c");
        assert_eq!(words("One, two - 3 **x**"), 4);
    }
}
