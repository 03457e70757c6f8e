//! The dev server's site, kept in memory between saves: the model, and the publisher that
//! renders it.
//!
//! [`LiveSite::build`] is a whole build into memory. [`LiveSite::update`] is the same pipeline
//! for a save: the model takes the saved articles ([`model::Site::apply`]), the publisher plans
//! the pages that changes ([`Publisher::plan`]), the saved groups are checked again for their
//! out-of-date notices, and the same renderer renders the plan into memory. What depends on
//! every article at once (the status dashboard, the search index's files) is brought up to date
//! by [`LiveSite::refresh_status`], which the server runs when saves pause.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use crate::check;
use crate::config::Config;
use crate::error::{Result, Warning};
use crate::locale::LocaleCode;
use crate::model;
use crate::site::{self, plan, BuildReport, Changes, Look, Output, Plan, Publisher};

/// What an update did.
#[derive(Debug)]
pub struct Update {
    pub files: Changes,
    /// Article pages rendered again.
    pub pages: usize,
    pub warnings: Vec<Warning>,
}

/// A site in memory that can be updated one article at a time.
#[derive(Debug)]
pub struct LiveSite {
    config: Config,
    site: model::Site,
    publisher: Publisher,
    /// What a failed update could not render: rendered with the next one.
    pending: Plan,
}

impl LiveSite {
    /// Builds the whole site into memory: the checks, then every page.
    pub fn build(config: Config) -> Result<(LiveSite, BTreeMap<String, Vec<u8>>, BuildReport)> {
        let started = Instant::now();
        let mut site = model::Site::load(&config)?;
        let mut report = check::run(&config, &site)?;
        let output = Output::memory();
        let look = Look::load(&config)?;
        let (publisher, mut built) = site::publish(
            &config,
            &mut site,
            look,
            &output,
            Some(&mut report),
            site::Keep::ForUpdates,
            &|_| {},
        )?;
        built.elapsed = started.elapsed();
        let files = output
            .commit()?
            .into_iter()
            .filter_map(|(path, bytes)| Some((path, bytes?)))
            .collect();
        let live = LiveSite {
            config,
            site,
            publisher,
            pending: Plan::default(),
        };
        Ok((live, files, built))
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Brings the site up to date after the articles `articles` and the copied files `assets`
    /// (each `(locale code, path under its content folder)`) were saved, created or deleted.
    /// A file that cannot be read or parsed fails the update before anything changes; a page
    /// that fails to render is tried again by the next update.
    pub fn update(
        &mut self,
        articles: &[(LocaleCode, String)],
        assets: &[(LocaleCode, String)],
    ) -> Result<Update> {
        let delta = self.site.apply(&self.config, articles)?;
        let mut plan = std::mem::take(&mut self.pending);
        plan.merge(self.publisher.plan(&self.config, &self.site, &delta));
        for (code, rel) in assets {
            if let Some(li) = self.site.locale_index(code) {
                plan.assets.insert((li, rel.clone()));
            }
        }
        let updated = self
            .recheck(&plan.recheck)
            .and_then(|()| self.render(&plan, None));
        if updated.is_err() {
            self.pending = plan;
        }
        updated
    }

    /// Renders `plan` into memory: the changes to the site.
    fn render(&mut self, plan: &Plan, report: Option<&check::Report>) -> Result<Update> {
        let output = Output::memory();
        let rendered =
            self.publisher
                .render(&self.config, &self.site, plan, report, &output, &|_| {})?;
        Ok(Update {
            files: output.commit()?,
            pages: rendered.pages,
            warnings: rendered.warnings,
        })
    }

    /// Runs the checks on the articles `members` (by locale index and path: the saved
    /// articles' translation groups) alone, and takes their out-of-date notices from it. (The
    /// rules behind the notices compare an article with its translations and the source's
    /// history, never with other articles.)
    fn recheck(&mut self, members: &BTreeSet<(usize, String)>) -> Result<()> {
        if members.is_empty() {
            return Ok(());
        }
        let group: Vec<model::LocaleContent> = self
            .site
            .contents
            .iter()
            .enumerate()
            .map(|(li, content)| model::LocaleContent {
                locale: content.locale.clone(),
                articles: members
                    .range(plan::in_locale(li))
                    .filter_map(|(_, rel)| content.article(rel))
                    .cloned()
                    .collect(),
                files: Default::default(),
            })
            .collect();
        let mut group = model::Site::from_contents(&self.config, group);
        group.history = std::sync::Arc::clone(&self.site.history);
        // The rules alone: the notices do not need the changed segments of stale translations,
        // which read the source's older versions from git.
        let report = check::run_scoped(&self.config, &group, &check::Scope::All)?;
        let checked = group
            .contents
            .iter()
            .flat_map(|c| &c.articles)
            .map(|a| a.shown_path.clone());
        self.publisher.renotice(checked, &report);
        Ok(())
    }

    /// Runs the checks on the whole site: the status dashboard and its JSON file, and the pages
    /// whose out-of-date notice changed (a rule that sees more than one translation group);
    /// also writes the search indexes that saves changed.
    pub fn refresh_status(&mut self) -> Result<Update> {
        let report = check::run(&self.config, &self.site)?;
        self.apply_report(&report)
    }

    /// What the checks of the whole site need, to run them on another thread while the site
    /// goes on being updated: a copy of the configuration and the content.
    pub fn snapshot(&self) -> (Config, model::Site) {
        (self.config.clone(), self.site.clone())
    }

    /// Takes the notices and the status dashboard from `report`, a check of the whole site as
    /// it is now.
    pub fn apply_report(&mut self, report: &check::Report) -> Result<Update> {
        let changed = self.publisher.renotice_all(report);
        let mut plan = Plan {
            site_wide: true,
            ..Plan::default()
        };
        for (li, content) in self.site.contents.iter().enumerate() {
            for article in &content.articles {
                if changed.contains(&article.shown_path) {
                    plan.pages.insert((li, article.rel_path.clone()));
                }
            }
        }
        self.render(&plan, Some(report))
    }
}
