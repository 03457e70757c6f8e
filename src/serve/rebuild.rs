//! Building the site for the dev server: the one place where a [`Change`] becomes new files.
//!
//! The first build, and any change of templates, UI strings, tolk.toml, navigation or folders,
//! is a whole build into memory ([`LiveSite::build`]); a saved, added or deleted article or
//! image updates that site in place ([`LiveSite::update`]), rendering only the pages it
//! changes, and the files that did not change keep their buffers.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, ReportHandler};

use super::changes::{Change, ContentPath};
use std::sync::mpsc::Receiver;

use super::live::LiveSite;
use crate::check::Report;
use crate::config::Config;
use crate::error::Result;
use crate::locale::LocaleCode;
use crate::site::Changes;

/// Every file of the built site, by its path in the output (`nl/a/b/index.html`). A persistent
/// map: each rebuild publishes a new version that shares all but the changed files with the
/// last, so a save on a site of 50,000 files copies a few tree nodes, not the map.
pub type SiteFiles = rpds::RedBlackTreeMapSync<String, Bytes>;

/// What a successful rebuild produced.
#[derive(Debug)]
pub struct Built {
    pub files: SiteFiles,
    /// Every file that may differ from the previous build; `None` after a whole build.
    pub changed: Option<Vec<String>>,
    /// What was rebuilt, for the terminal: `the whole site (909 articles)`.
    pub scope: String,
    pub warnings: Vec<String>,
    pub elapsed: Duration,
}

/// Builds the site of one root, keeping the configuration and the last good site between
/// builds.
#[derive(Debug)]
pub struct Builder {
    root: PathBuf,
    base_url: String,
    config: Config,
    /// The site the last build left, to update; `None` until a whole build succeeds.
    live: Option<LiveSite>,
    /// The files of the last good build.
    files: SiteFiles,
    /// Counts updates; `checked` is the count the last check of the whole site started at.
    generation: u64,
    checked: u64,
    /// The check of the whole site running on its thread, and the update count it started at.
    checking: Option<(Receiver<Result<Report>>, u64)>,
    /// When the last article update was made.
    last_update: Option<Instant>,
}

/// How long saves must pause before the checks of the whole site run.
const STATUS_QUIET: Duration = Duration::from_secs(1);

impl Builder {
    /// Reads the configuration of the site at `root`; it is served from `base_url`.
    pub fn new(root: &Path, base_url: &str) -> Result<Builder> {
        let config = load_config(root, base_url)?;
        Ok(Builder {
            root: root.to_owned(),
            base_url: base_url.to_owned(),
            config,
            live: None,
            files: SiteFiles::new_sync(),
            generation: 0,
            checked: 0,
            checking: None,
            last_update: None,
        })
    }

    /// Drops the site the last build left, after a rebuild that failed half-way: the next
    /// rebuild is a whole one.
    pub fn forget(&mut self) {
        self.live = None;
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Builds what `change` requires. A change of everything reads tolk.toml again; when that
    /// fails, the previous configuration stays.
    pub fn rebuild(&mut self, change: &Change) -> Result<Built> {
        let started = Instant::now();
        let (articles, assets) = match change {
            Change::Nothing => (&[][..], &[][..]),
            Change::Assets { files } => (&[][..], files.as_slice()),
            Change::Articles {
                articles,
                folders,
                assets,
            } if folders.is_empty() => (articles.as_slice(), assets.as_slice()),
            Change::Articles { .. } => return self.full_build(started),
            Change::Everything { .. } => {
                self.config = load_config(&self.root, &self.base_url)?;
                return self.full_build(started);
            }
        };
        let Some(live) = self.live.as_mut() else {
            return self.full_build(started);
        };
        let pairs = |paths: &[ContentPath]| -> Vec<(LocaleCode, String)> {
            paths
                .iter()
                .map(|p| (p.locale.clone(), p.rel.clone()))
                .collect()
        };
        let update = live.update(&pairs(articles), &pairs(assets))?;
        self.generation += 1;
        self.last_update = Some(Instant::now());
        let changed = self.apply(update.files);
        Ok(Built {
            files: self.files.clone(),
            changed: Some(changed),
            scope: format!(
                "{} page{}",
                update.pages,
                if update.pages == 1 { "" } else { "s" }
            ),
            warnings: update.warnings.iter().map(ToString::to_string).collect(),
            elapsed: started.elapsed(),
        })
    }

    /// After article updates, while saves pause: the checks of the whole site, for the status
    /// dashboard and the notices that depend on more than one article. They run on a thread of
    /// their own, on a copy of the content, so a save is never kept waiting for them; the first
    /// call starts them, a later one takes their result (`None` until there is one to publish).
    /// A result that saves have overtaken is dropped and the checks run again.
    pub fn refresh_status(&mut self) -> Option<Result<Built>> {
        let live = self.live.as_mut()?;
        if let Some((receiver, generation)) = &self.checking {
            let report = match receiver.try_recv() {
                Ok(report) => report,
                Err(std::sync::mpsc::TryRecvError::Empty) => return None,
                Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                    self.checking = None;
                    return None;
                }
            };
            let current = *generation == self.generation;
            self.checking = None;
            if !current {
                return None;
            }
            let started = Instant::now();
            let update = match report.and_then(|report| live.apply_report(&report)) {
                Ok(update) => update,
                Err(error) => return Some(Err(error)),
            };
            let changed = self.apply(update.files);
            if changed.is_empty() {
                return None;
            }
            return Some(Ok(Built {
                files: self.files.clone(),
                changed: Some(changed),
                scope: "the status page".to_owned(),
                warnings: Vec::new(),
                elapsed: started.elapsed(),
            }));
        }
        if self.checked == self.generation
            || self
                .last_update
                .is_some_and(|at| at.elapsed() < STATUS_QUIET)
        {
            return None;
        }
        let (config, site) = live.snapshot();
        let (sender, receiver) = std::sync::mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("tolk-status".to_owned())
            .spawn(move || {
                // On one core: the other stays free for the next save.
                let report = match rayon::ThreadPoolBuilder::new().num_threads(1).build() {
                    Ok(pool) => pool.install(|| crate::check::run(&config, &site)),
                    Err(_) => crate::check::run(&config, &site),
                };
                let _ = sender.send(report);
            });
        if spawned.is_ok() {
            self.checking = Some((receiver, self.generation));
            self.checked = self.generation;
        }
        None
    }

    /// Makes `changes` to the last good files; returns the paths whose contents differ now.
    /// An unchanged file keeps its buffer: the reload compares pointers first.
    fn apply(&mut self, changes: Changes) -> Vec<String> {
        let mut changed = Vec::new();
        for (path, bytes) in changes {
            let differs = match bytes {
                Some(bytes) if self.files.get(&path).map(|b| &b[..]) != Some(&bytes[..]) => {
                    self.files.insert_mut(path.clone(), Bytes::from(bytes));
                    true
                }
                Some(_) => false,
                None => self.files.remove_mut(&path),
            };
            if differs {
                changed.push(path);
            }
        }
        changed
    }

    /// The content read once, the checks (for the notices and the status page), then the whole
    /// site, into memory.
    fn full_build(&mut self, started: Instant) -> Result<Built> {
        // Until a whole build succeeds, later saves build everything too: updating the old
        // site would hide the error (a broken template) behind pages made with the old one.
        self.live = None;
        let (live, files, built) = LiveSite::build(self.config.clone())?;
        self.live = Some(live);
        self.generation += 1;
        self.checked = self.generation;
        self.files = files
            .into_iter()
            .map(|(key, bytes)| (key, Bytes::from(bytes)))
            .collect();
        let articles: usize = built.pages.iter().map(|(_, n)| n).sum();
        Ok(Built {
            files: self.files.clone(),
            changed: None,
            scope: format!(
                "the whole site ({articles} article{})",
                if articles == 1 { "" } else { "s" }
            ),
            warnings: built.warnings.iter().map(ToString::to_string).collect(),
            elapsed: started.elapsed(),
        })
    }
}

fn load_config(root: &Path, base_url: &str) -> Result<Config> {
    let mut config = Config::load(root)?;
    config.set_base_url(base_url)?;
    Ok(config)
}

/// A failed build's error, rendered for the terminal (as `tolk build` shows it) and as plain
/// text for the browser.
pub fn render_error(error: &(dyn Diagnostic + 'static), color: bool) -> (String, String) {
    struct Shown<'a> {
        error: &'a (dyn Diagnostic + 'static),
        color: bool,
    }
    impl fmt::Debug for Shown<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            miette::MietteHandlerOpts::new()
                .wrap_lines(false)
                .color(self.color)
                .build()
                .debug(self.error, f)
        }
    }
    // Rendering must not end the watching either: a renderer that fails gives the message.
    let render = || {
        let terminal = format!("{:?}", Shown { error, color });
        let mut plain = String::new();
        let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
            .with_links(false)
            .with_wrap_lines(false);
        if handler.render_report(&mut plain, error).is_err() {
            plain = error.to_string();
        }
        (terminal, plain)
    };
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(render))
        .unwrap_or_else(|_| (error.to_string(), error.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Error, SourceError, SourceErrorKind};

    #[test]
    fn renders_errors_with_their_position_and_no_color() {
        let text = "---\ntitle: [unclosed\n---\n";
        let error = Error::from(SourceError::new(
            SourceErrorKind::FrontMatter,
            "content/nl/a.md",
            text,
            11..20,
            "the YAML is not valid",
        ));
        let (_, plain) = render_error(&error, false);
        assert!(plain.contains("content/nl/a.md:2:8"), "{plain}");
        assert!(plain.contains("title: [unclosed"), "{plain}");
        assert!(!plain.contains('\u{1b}'), "no escape codes: {plain:?}");
    }
}
