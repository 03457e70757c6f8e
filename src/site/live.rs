//! A site kept in memory between builds and brought up to date article by article: what
//! `tolk serve --watch` does after a save.
//!
//! [`LiveSite::build`] is a whole build into memory that also keeps what later updates need:
//! the parsed content, the translation groups, each locale's navigation and the notices of the
//! checks. [`LiveSite::update`] then reads only the saved articles and renders only the pages
//! they change: the article in every language (switchers, notices, banners), the pages whose
//! previous/next or breadcrumb links changed, and, when a title or the set of articles
//! changed, the locale's home page and sidebar; the sitemap and root page when articles came or
//! went. What depends on every article at once (the status dashboard) is brought up to date by
//! [`LiveSite::refresh_status`], which the server runs when saves pause.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::time::Instant;

use rayon::prelude::*;

use super::pages::{self, Entry, Frame, Renderer};
use super::translations::Translations;
use super::{sitemap, status, urls, BuildReport, Look, Output};
use crate::check;
use crate::config::{Config, MissingTranslations};
use crate::error::{Error, Result, Warning};
use crate::markdown;
use crate::model::{self, Article, LocaleContent};

/// The site's files as an update changes them: new contents, or `None` for a removed file.
pub type Changes = BTreeMap<String, Option<Vec<u8>>>;

/// What an update did.
#[derive(Debug)]
pub struct Update {
    pub files: Changes,
    /// Article pages rendered again.
    pub pages: usize,
    pub warnings: Vec<Warning>,
}

/// The parts of the site an update renders again.
#[derive(Debug, Default, Clone)]
struct Work {
    /// Translation groups: every member's page, in every locale.
    groups: BTreeSet<String>,
    /// Single pages, by locale index and path.
    pages: BTreeSet<(usize, String)>,
    /// Locales whose home page and sidebar list changed titles or articles.
    indexes: BTreeSet<usize>,
    /// Articles came or went: the sitemap and the root page.
    sitemap: bool,
}

/// A site in memory that can be updated one article at a time.
pub struct LiveSite {
    config: Config,
    look: Look,
    site: model::Site,
    translations: Translations,
    /// One per locale, in the order of `contents`.
    frames: Vec<Frame>,
    /// Shown paths of the translations the checks found out of date.
    outdated: HashSet<String>,
    cache: markdown::Cache,
    /// What a failed update could not render: rendered with the next one.
    pending: Work,
}

impl std::fmt::Debug for LiveSite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveSite")
            .field("root", &self.config.root)
            .field("locales", &self.frames.len())
            .finish_non_exhaustive()
    }
}

impl LiveSite {
    /// Builds the whole site into memory: the checks, then every page.
    pub fn build(config: Config) -> Result<(LiveSite, BTreeMap<String, Vec<u8>>, BuildReport)> {
        let started = Instant::now();
        let site = model::Site::load(&config)?;
        let report = check::run(&config, &site)?;
        let output = Output::memory();
        let look = Look::load(&config)?;
        let built = super::build_site(
            &config,
            &site,
            &look,
            &output,
            Some(&report),
            started,
            &|_| {},
        )?;
        let files = output.commit()?;

        let mut site = LiveSite {
            translations: Translations::new(&site),
            outdated: status::outdated_paths(&report),
            config,
            look,
            site,
            frames: Vec::new(),
            cache: markdown::Cache::default(),
            pending: Work::default(),
        };
        let frames = {
            let renderer = site.renderer();
            site.site
                .contents
                .iter()
                .map(|content| renderer.frame(content, &renderer.entries(content)))
                .collect()
        };
        site.frames = frames;
        Ok((site, files, built))
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// With `missing-translations = "fallback"`, an article's text also stands in the locales
    /// that lack it: its borrowed copies are rendered with it.
    fn fallback(&self) -> bool {
        self.config.site.missing_translations == MissingTranslations::Fallback
    }

    fn renderer(&self) -> Renderer<'_> {
        Renderer {
            config: &self.config,
            theme: &self.look.theme,
            strings: &self.look.strings,
            templates: &self.look.templates,
            translations: &self.translations,
            contents: &self.site.contents,
            outdated: &self.outdated,
            cache: &self.cache,
            progress: &|_| {},
        }
    }

    fn locale_index(&self, code: &str) -> Option<usize> {
        self.site
            .contents
            .iter()
            .position(|c| c.locale.code == code)
    }

    /// Brings the site up to date after the articles `articles` and the copied files `assets`
    /// (each `(locale code, path under its content folder)`) were saved, created or deleted.
    /// A file that cannot be read or parsed fails the update before anything changes; a page
    /// that fails to render is tried again by the next update.
    ///
    /// `Ok(None)` asks for a whole build instead: with `missing-translations = "fallback"`, when
    /// an article came, went, changed its title or its translation group (the borrowed copies
    /// of other locales and their navigation follow the whole site).
    pub fn update(
        &mut self,
        articles: &[(String, String)],
        assets: &[(String, String)],
    ) -> Result<Option<Update>> {
        let mut read = Vec::new();
        let mut errors = Vec::new();
        for (code, rel) in articles {
            let Some(li) = self.locale_index(code) else {
                continue;
            };
            let locale = &self.site.contents[li].locale;
            let article = if locale.content_dir.join(rel).is_file() {
                match model::article::read_article(&self.config, locale, rel) {
                    Ok(article) => match article.front_error() {
                        Some(error) => {
                            errors.push(error);
                            continue;
                        }
                        None => Some(article),
                    },
                    Err(error) => {
                        errors.push(error);
                        continue;
                    }
                }
            } else {
                None
            };
            read.push((li, rel.clone(), article));
        }
        if let Some(error) = Error::from_many(errors) {
            return Err(error);
        }

        let mut work = std::mem::take(&mut self.pending);
        let mut removed = Vec::new();
        let mut retitled: Vec<(usize, String)> = Vec::new();
        let mut renavigate = BTreeSet::new();
        for (li, rel, article) in read {
            let (old_key, new_key) = self.replace(li, &rel, article, &mut removed);
            work.groups.extend(old_key.iter().chain(&new_key).cloned());
            work.sitemap |= old_key != new_key;
            if rel == "index.md" {
                work.indexes.insert(li);
                continue;
            }
            let info = self.site.contents[li]
                .articles
                .iter()
                .find(|a| a.rel_path == rel)
                .map(pages::article_info);
            let frame = &mut self.frames[li];
            let old = match info {
                Some(info) => frame.infos.insert(rel.clone(), info),
                None => frame.infos.remove(&rel),
            };
            if old.as_ref() != frame.infos.get(&rel) {
                renavigate.insert(li);
                retitled.push((li, rel));
            }
        }
        for li in renavigate {
            work.indexes.insert(li);
            let frame = &mut self.frames[li];
            let old = std::mem::take(&mut frame.nav);
            frame.renavigate();
            let new = &frame.nav;
            // Pages whose previous/next or breadcrumbs moved.
            for rel in old.order.iter().chain(&new.order) {
                if old.neighbours(rel) != new.neighbours(rel) || old.trail(rel) != new.trail(rel) {
                    work.pages.insert((li, rel.clone()));
                }
            }
        }
        // Pages that link to a retitled article by its title.
        for (li, rel) in retitled {
            let nav = &self.frames[li].nav;
            let (prev, next) = nav.neighbours(&rel);
            for neighbour in [prev, next].into_iter().flatten() {
                work.pages.insert((li, neighbour.to_owned()));
            }
        }
        if self.fallback() && (work.sitemap || !work.indexes.is_empty() || !removed.is_empty()) {
            return Ok(None);
        }
        let pending = work.clone();
        match self.render(work, &removed, assets) {
            Ok(update) => Ok(Some(update)),
            Err(error) => {
                self.pending = pending;
                Err(error)
            }
        }
    }

    /// Puts `article` (or nothing, when it was deleted) in place of the locale's article at
    /// `rel`; returns the translation group it was in and the one it is in now. The model groups
    /// the translations again when an article came, went or changed its exl-id.
    fn replace(
        &mut self,
        li: usize,
        rel: &str,
        article: Option<Article>,
        removed: &mut Vec<String>,
    ) -> (Option<String>, Option<String>) {
        let content = &mut self.site.contents[li];
        let code = content.locale.code.clone();
        let old_key = self.translations.key_of(&code, rel).map(str::to_owned);
        let at = content.articles.iter().position(|a| a.rel_path == rel);
        let regroup = match (at, &article) {
            (Some(i), Some(new)) => content.articles[i].front.exl_id != new.front.exl_id,
            (None, None) => false,
            _ => true,
        };
        match (at, article) {
            (Some(i), Some(article)) => content.articles[i] = article,
            (None, Some(article)) => {
                let i = content
                    .articles
                    .partition_point(|a| a.rel_path.as_str() < rel);
                content.articles.insert(i, article);
                if !content.files.articles.iter().any(|r| r == rel) {
                    content.files.articles.push(rel.to_owned());
                }
            }
            (Some(i), None) => {
                content.articles.remove(i);
                content.files.articles.retain(|r| r != rel);
                if rel != "index.md" {
                    let url_dir = format!("{code}/{}", urls::article_url(rel));
                    removed.push(urls::index_file(&url_dir));
                }
            }
            (None, None) => {}
        }
        if regroup {
            self.site.regroup(&self.config);
            self.translations = Translations::new(&self.site);
        }
        let new_key = self.translations.key_of(&code, rel).map(str::to_owned);
        (old_key, new_key)
    }

    /// Renders what `work` names and the copied files, into the changes of an update.
    fn render(
        &mut self,
        work: Work,
        removed: &[String],
        assets: &[(String, String)],
    ) -> Result<Update> {
        self.recheck(&work.groups)?;

        let mut targets: BTreeSet<(usize, String)> = work.pages;
        for key in &work.groups {
            for (code, rel) in self.translations.members(key) {
                if let Some(li) = self.locale_index(code) {
                    targets.insert((li, rel.clone()));
                }
            }
        }
        targets.retain(|(_, rel)| rel != "index.md");

        let renderer = self.renderer();
        // The borrowed copies of the groups' articles in the locales that lack them.
        let borrowed: Vec<HashMap<&str, Entry>> = if self.fallback() && !work.groups.is_empty() {
            let rels: HashSet<&str> = work
                .groups
                .iter()
                .flat_map(|key| self.translations.members(key))
                .map(|(_, rel)| rel.as_str())
                .collect();
            self.site
                .contents
                .iter()
                .enumerate()
                .map(|(li, content)| {
                    renderer
                        .borrowed_articles(&content.locale)
                        .into_iter()
                        .filter(|e| rels.contains(e.article.rel_path.as_str()))
                        .inspect(|e| {
                            targets.insert((li, e.article.rel_path.clone()));
                        })
                        .map(|e| (e.article.rel_path.as_str(), e))
                        .collect()
                })
                .collect()
        } else {
            Vec::new()
        };
        let results: Vec<Result<Option<pages::BuiltArticle>>> = targets
            .par_iter()
            .map(|(li, rel)| {
                let content = &self.site.contents[*li];
                let own = content.articles.iter().find(|a| &a.rel_path == rel);
                let entry = match own {
                    Some(article) => Entry {
                        article,
                        borrowed_from: None,
                    },
                    None => match borrowed.get(*li).and_then(|b| b.get(rel.as_str())) {
                        Some(entry) => Entry {
                            article: entry.article,
                            borrowed_from: entry.borrowed_from,
                        },
                        None => return Ok(None),
                    },
                };
                renderer
                    .article_page(&content.locale, &self.frames[*li], entry)
                    .map(Some)
            })
            .collect();
        let mut files = Changes::new();
        let mut warnings = Vec::new();
        let mut errors = Vec::new();
        let mut rendered = 0;
        for result in results {
            match result {
                Ok(Some(built)) => {
                    rendered += 1;
                    warnings.extend(built.warnings);
                    files.insert(built.page.path, Some(built.page.html.into_bytes()));
                }
                Ok(None) => {}
                Err(error) => errors.push(error),
            }
        }
        for &li in &work.indexes {
            let content = &self.site.contents[li];
            match renderer.locale_index_pages(content, &self.frames[li], &mut warnings) {
                Ok(pages) => {
                    for page in pages {
                        files.insert(page.path, Some(page.html.into_bytes()));
                    }
                }
                Err(error) => errors.push(error),
            }
        }
        if let Some(error) = Error::from_many(errors) {
            return Err(error);
        }
        if work.sitemap {
            let mut counts = Vec::new();
            let mut sitemap_pages = Vec::new();
            for content in &self.site.contents {
                let code = &content.locale.code;
                counts.push((code.clone(), content.articles.len()));
                let urls: Vec<(String, String)> = content
                    .articles
                    .iter()
                    .filter(|a| a.rel_path != "index.md")
                    .map(|a| {
                        (
                            self.translations
                                .key_of(&a.locale, &a.rel_path)
                                .unwrap_or_default()
                                .to_owned(),
                            format!("/{code}/{}", urls::article_url(&a.rel_path)),
                        )
                    })
                    .collect();
                sitemap_pages.push((code.clone(), urls));
            }
            for page in renderer.root_pages(&counts)? {
                files.insert(page.path, Some(page.html.into_bytes()));
            }
            let xml = sitemap::sitemap(&self.config, &sitemap_pages, &self.look.templates)?;
            files.insert("sitemap.xml".to_owned(), Some(xml.into_bytes()));
        }
        for path in removed {
            files.entry(path.clone()).or_insert(None);
        }
        for (code, rel) in assets {
            let Some(content) = self.site.contents.iter().find(|c| &c.locale.code == code) else {
                continue;
            };
            let from = content.locale.content_dir.join(rel);
            let bytes = if from.is_file() {
                Some(std::fs::read(&from).map_err(Error::io("read", &from))?)
            } else {
                None
            };
            files.insert(format!("{code}/{rel}"), bytes);
        }
        Ok(Update {
            files,
            pages: rendered,
            warnings,
        })
    }

    /// Runs the checks on the translation groups `keys` alone, and takes their articles'
    /// out-of-date notices from it. (The rules behind the notices compare an article with its
    /// translations and the source's history, never with other articles.)
    fn recheck(&mut self, keys: &BTreeSet<String>) -> Result<()> {
        if keys.is_empty() {
            return Ok(());
        }
        let mut members: Vec<BTreeSet<&str>> = vec![BTreeSet::new(); self.site.contents.len()];
        for key in keys {
            for (code, rel) in self.translations.members(key) {
                if let Some(li) = self.locale_index(code) {
                    members[li].insert(rel.as_str());
                }
            }
        }
        let group: Vec<LocaleContent> = self
            .site
            .contents
            .iter()
            .zip(&members)
            .map(|(content, rels)| LocaleContent {
                locale: content.locale.clone(),
                articles: content
                    .articles
                    .iter()
                    .filter(|a| rels.contains(a.rel_path.as_str()))
                    .cloned()
                    .collect(),
                files: Default::default(),
            })
            .collect();
        let mut group = model::Site::from_contents(&self.config, group);
        group.history = std::sync::Arc::clone(&self.site.history);
        let report = check::run(&self.config, &group)?;
        for article in group.contents.iter().flat_map(|c| &c.articles) {
            self.outdated.remove(&article.shown_path);
        }
        self.outdated.extend(status::outdated_paths(&report));
        Ok(())
    }

    /// Runs the checks on the whole site: the status dashboard and its JSON file, and the pages
    /// whose out-of-date notice changed (a rule that sees more than one translation group).
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
        let outdated = status::outdated_paths(report);
        let changed: BTreeSet<String> = outdated
            .symmetric_difference(&self.outdated)
            .cloned()
            .collect();
        self.outdated = outdated;
        let mut work = Work::default();
        for (li, content) in self.site.contents.iter().enumerate() {
            for article in &content.articles {
                if changed.contains(&article.shown_path) {
                    work.pages.insert((li, article.rel_path.clone()));
                }
            }
        }
        let mut update = self.render(work, &[], &[])?;
        if !self.config.site.status {
            return Ok(update);
        }
        let t = self.look.strings.table(&self.look.theme, status::LANGUAGE);
        for (path, text) in status::pages(
            &self.config,
            report,
            &self.site.contents,
            &self.look.templates,
            &t,
        )? {
            update.files.insert(path, Some(text.into_bytes()));
        }
        // A side-by-side page the report no longer makes goes away.
        for path in super::side_by_side::possible_pages(&self.site.contents) {
            update.files.entry(path).or_insert(None);
        }
        Ok(update)
    }
}
