//! Building the site for the dev server: the one place where a [`Change`] becomes new files.
//!
//! Today every rebuild is a full build into memory (the checks, then `site::build`); the
//! [`Change`] it gets says what an incremental build would need to redo, so an incremental
//! site API can replace the body of [`Builder::rebuild`] without the rest of `serve` noticing.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, ReportHandler};

use super::changes::Change;
use crate::config::Config;
use crate::error::Result;
use crate::site::{self, Output};
use crate::{check, content};

/// Every file of the built site, by its path in the output (`nl/a/b/index.html`).
pub type SiteFiles = BTreeMap<String, Bytes>;

/// What a successful rebuild produced.
#[derive(Debug)]
pub struct Built {
    pub files: SiteFiles,
    /// What was rebuilt, for the terminal: `the whole site (909 articles)`.
    pub scope: String,
    pub warnings: Vec<String>,
    pub elapsed: Duration,
}

/// Builds the site of one root, keeping the configuration between builds.
#[derive(Debug)]
pub struct Builder {
    root: PathBuf,
    base_url: String,
    config: Config,
}

impl Builder {
    /// Reads the configuration of the site at `root`; it is served from `base_url`.
    pub fn new(root: &Path, base_url: &str) -> Result<Builder> {
        let config = load_config(root, base_url)?;
        Ok(Builder {
            root: root.to_owned(),
            base_url: base_url.to_owned(),
            config,
        })
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Builds what `change` requires. A change of everything reads tolk.toml again; when that
    /// fails, the previous configuration stays.
    pub fn rebuild(&mut self, change: &Change) -> Result<Built> {
        if matches!(change, Change::Everything { .. }) {
            self.config = load_config(&self.root, &self.base_url)?;
        }
        full_build(&self.config)
    }
}

fn load_config(root: &Path, base_url: &str) -> Result<Config> {
    let mut config = Config::load(root)?;
    config.set_base_url(base_url)?;
    Ok(config)
}

/// The content read once, the checks (for the notices and the status page), then the whole
/// site, into memory.
fn full_build(config: &Config) -> Result<Built> {
    let started = Instant::now();
    let contents = content::load(config)?;
    let report = check::run_on(config, &contents)?;
    let output = Output::memory();
    let built = site::build_contents(config, &contents, &output, Some(&report), started, &|_| {})?;
    let files = output
        .commit()?
        .into_iter()
        .map(|(key, bytes)| (key, Bytes::from(bytes)))
        .collect();
    let articles: usize = built.pages.iter().map(|(_, n)| n).sum();
    Ok(Built {
        files,
        scope: format!(
            "the whole site ({articles} article{})",
            if articles == 1 { "" } else { "s" }
        ),
        warnings: built.warnings.iter().map(ToString::to_string).collect(),
        elapsed: started.elapsed(),
    })
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
    let terminal = format!("{:?}", Shown { error, color });
    let mut plain = String::new();
    let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
        .with_links(false)
        .with_wrap_lines(false);
    if handler.render_report(&mut plain, error).is_err() {
        plain = error.to_string();
    }
    (terminal, plain)
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
