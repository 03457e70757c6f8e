//! A site kept in memory between builds and brought up to date article by article: what
//! `tolk serve --watch` does after a save.
//!
//! [`LiveSite::build`] is a whole build into memory that also keeps what later updates need:
//! the parsed content, the translation groups, each locale's navigation and the notices of the
//! checks. [`LiveSite::update`] then reads only the saved articles and renders only the pages
//! they change: the article in every language (switchers, notices, banners), the pages whose
//! previous/next or breadcrumb links changed, and, when a title or the set of articles
//! changed, the locale's home page and sidebar; the sitemap and root page when articles came or
//! went. The rendered pages' entries in the search index are replaced as they are rendered.
//! What depends on every article at once (the status dashboard, the search index's files) is
//! brought up to date by [`LiveSite::refresh_status`], which the server runs when saves pause.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::time::Instant;

use rayon::prelude::*;

use super::pages::{self, Frame, PageArticle, Renderer};
use super::translations::Translations;
use super::{search, sitemap, status, urls, BuildReport, Look, Output};
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
    /// Each locale's search index (`None` with search off), and the locales whose index
    /// changed since its files were last written.
    search: Vec<Option<search::Index>>,
    search_changed: BTreeSet<usize>,
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
        let mut built = super::build_site(
            &config,
            &site,
            &look,
            &output,
            Some(&report),
            started,
            &|_| {},
        )?;
        let search = std::mem::take(&mut built.search);
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
            search,
            search_changed: BTreeSet::new(),
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
        let read = self.read_saved(articles)?;
        let mut work = std::mem::take(&mut self.pending);
        let mut removed = Vec::new();
        let mut retitled: Vec<(usize, String)> = Vec::new();
        for (li, rel, article) in read {
            let relimited = self.relimits(li, &rel, article.as_ref());
            let (old_key, new_key) = self.replace(li, &rel, article, &mut removed);
            work.groups.extend(old_key.iter().chain(&new_key).cloned());
            work.sitemap |= old_key != new_key || relimited;
            if rel == "index.md" {
                work.indexes.insert(li);
            } else if self.reinfo(li, &rel) {
                retitled.push((li, rel));
            }
        }
        self.renavigate(&retitled, &mut work);
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

    /// Reads the saved articles (`None`: deleted). Any that cannot be read or whose front
    /// matter is wrong fails the update, all of them reported together.
    fn read_saved(
        &self,
        articles: &[(String, String)],
    ) -> Result<Vec<(usize, String, Option<Article>)>> {
        let mut read = Vec::new();
        let mut errors = Vec::new();
        for (code, rel) in articles {
            let Some(li) = self.locale_index(code) else {
                continue;
            };
            let locale = &self.site.contents[li].locale;
            if !locale.content_dir.join(rel).is_file() {
                read.push((li, rel.clone(), None));
                continue;
            }
            match model::article::read_article(&self.config, locale, rel) {
                Ok(article) => match article.front_error() {
                    Some(error) => errors.push(error),
                    None => read.push((li, rel.clone(), Some(article))),
                },
                Err(error) => errors.push(error),
            }
        }
        match Error::from_many(errors) {
            Some(error) => Err(error),
            None => Ok(read),
        }
    }

    /// Takes what the navigation knows of the article at `rel` from the model again; whether
    /// that changed (a title, or the article came or went).
    fn reinfo(&mut self, li: usize, rel: &str) -> bool {
        let info = self.site.contents[li]
            .articles
            .iter()
            .find(|a| a.rel_path == rel)
            .map(pages::article_info);
        let frame = &mut self.frames[li];
        let old = match info {
            Some(info) => frame.infos.insert(rel.to_owned(), info),
            None => frame.infos.remove(rel),
        };
        old.as_ref() != frame.infos.get(rel)
    }

    /// Builds the navigation of the locales of `retitled` articles again, and adds to `work`
    /// their home pages and the pages whose previous/next links or breadcrumbs changed.
    fn renavigate(&mut self, retitled: &[(usize, String)], work: &mut Work) {
        let locales: BTreeSet<usize> = retitled.iter().map(|(li, _)| *li).collect();
        for li in locales {
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
            let (prev, next) = self.frames[*li].nav.neighbours(rel);
            for neighbour in [prev, next].into_iter().flatten() {
                work.pages.insert((*li, neighbour.to_owned()));
            }
        }
    }

    /// Whether saving `article` at `rel` changes its `locales:`, which decides where it is
    /// borrowed (with "fallback", that asks for a whole build).
    fn relimits(&self, li: usize, rel: &str, article: Option<&Article>) -> bool {
        let old = self.site.contents[li]
            .articles
            .iter()
            .find(|a| a.rel_path == rel)
            .map(|a| &a.front.locales);
        old != article.map(|a| &a.front.locales)
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
        let mut warnings = Vec::new();
        let mut errors = Vec::new();
        let renderer = self.renderer();
        let (mut files, searched, rendered) =
            self.article_pages(&renderer, &work, &mut warnings, &mut errors);
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
            files.extend(self.sitemap_files(&renderer)?);
        }
        for path in removed {
            files.entry(path.clone()).or_insert(None);
        }
        files.extend(self.asset_files(assets)?);
        self.update_search(searched, removed);
        Ok(Update {
            files,
            pages: rendered,
            warnings,
        })
    }

    /// The article pages `work` names: its single pages and every member of its groups, with
    /// their borrowed copies in fallback mode. Returns the pages, their search texts and how
    /// many were rendered; a page that fails adds its error to `errors`.
    fn article_pages(
        &self,
        renderer: &Renderer<'_>,
        work: &Work,
        warnings: &mut Vec<Warning>,
        errors: &mut Vec<Error>,
    ) -> (Changes, Vec<(usize, pages::SearchText)>, usize) {
        let mut targets: BTreeSet<(usize, String)> = work.pages.clone();
        for key in &work.groups {
            for (code, rel) in self.translations.members(key) {
                if let Some(li) = self.locale_index(code) {
                    targets.insert((li, rel.clone()));
                }
            }
        }
        targets.retain(|(_, rel)| rel != "index.md");
        let borrowed = self.borrowed_copies(renderer, &work.groups, &mut targets);
        let results: Vec<Result<Option<(usize, pages::BuiltArticle)>>> = targets
            .par_iter()
            .map(|(li, rel)| {
                let content = &self.site.contents[*li];
                let entry = match content.articles.iter().find(|a| &a.rel_path == rel) {
                    Some(article) => PageArticle {
                        article,
                        borrowed_from: None,
                    },
                    None => match borrowed.get(*li).and_then(|b| b.get(rel.as_str())) {
                        Some(entry) => *entry,
                        None => return Ok(None),
                    },
                };
                renderer
                    .article_page(&content.locale, &self.frames[*li], entry)
                    .map(|built| Some((*li, built)))
            })
            .collect();
        let mut files = Changes::new();
        let mut searched = Vec::new();
        let mut rendered = 0;
        for result in results {
            match result {
                Ok(Some((li, built))) => {
                    rendered += 1;
                    warnings.extend(built.warnings);
                    files.insert(built.page.path, Some(built.page.html.into_bytes()));
                    searched.extend(built.search.map(|text| (li, text)));
                }
                Ok(None) => {}
                Err(error) => errors.push(error),
            }
        }
        (files, searched, rendered)
    }

    /// In fallback mode, the borrowed copies of the `groups`' articles in the locales that
    /// lack them, by locale and path; each is added to `targets`.
    fn borrowed_copies<'s>(
        &'s self,
        renderer: &Renderer<'s>,
        groups: &BTreeSet<String>,
        targets: &mut BTreeSet<(usize, String)>,
    ) -> Vec<HashMap<&'s str, PageArticle<'s>>> {
        if !self.fallback() || groups.is_empty() {
            return Vec::new();
        }
        let rels: HashSet<&str> = groups
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
    }

    /// The root pages and the sitemap, when articles came or went.
    fn sitemap_files(&self, renderer: &Renderer<'_>) -> Result<Changes> {
        let mut files = Changes::new();
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
        Ok(files)
    }

    /// The saved copied files (`None`: deleted), as `code/path`.
    fn asset_files(&self, assets: &[(String, String)]) -> Result<Changes> {
        let mut files = Changes::new();
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
        Ok(files)
    }

    /// Puts the rendered pages' texts in place of their entries in the search indexes and
    /// forgets the removed pages (`nl/a/b/index.html`); the files follow with the status page.
    fn update_search(&mut self, searched: Vec<(usize, pages::SearchText)>, removed: &[String]) {
        for (li, text) in searched {
            if let Some(index) = self.search.get_mut(li).and_then(Option::as_mut) {
                index.replace(text.document());
                self.search_changed.insert(li);
            }
        }
        for path in removed {
            let (code, _) = path.split_once('/').unwrap_or_default();
            let url = path.strip_suffix("index.html").unwrap_or(path);
            let Some(li) = self.locale_index(code) else {
                continue;
            };
            if let Some(index) = self.search.get_mut(li).and_then(Option::as_mut) {
                index.remove(url);
                self.search_changed.insert(li);
            }
        }
    }

    /// The files of the search indexes that changed since they were last written.
    fn search_files(&mut self) -> Result<Changes> {
        let mut files = Changes::new();
        for li in std::mem::take(&mut self.search_changed) {
            let code = self.site.contents[li].locale.code.clone();
            if let Some(index) = self.search.get_mut(li).and_then(Option::as_mut) {
                let (written, _) = index.files(&code)?;
                files.extend(written.into_iter().map(|(path, bytes)| (path, Some(bytes))));
            }
        }
        Ok(files)
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
        update.files.extend(self.search_files()?);
        if !self.config.site.status {
            return Ok(update);
        }
        let t = self.look.strings.table(&self.look.theme, status::LANGUAGE);
        let pages = std::sync::Mutex::new(Vec::new());
        let collect = |path: String, text: String| {
            pages
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .push((path, text));
            Ok(())
        };
        status::pages(
            &self.config,
            report,
            &self.site.contents,
            &self.look.templates,
            &t,
            &collect,
        )?;
        let pages = pages
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        for (path, text) in pages {
            update.files.insert(path, Some(text.into_bytes()));
        }
        // A side-by-side page the report no longer makes goes away.
        for path in super::side_by_side::possible_pages(&self.site.contents) {
            update.files.entry(path).or_insert(None);
        }
        Ok(update)
    }
}
