//! The one place a [`Plan`] becomes files: `tolk build` renders the whole site with it, the dev
//! server the pages a save touched, both into an [`Output`] (a folder, or memory).
//!
//! A [`Publisher`] holds what the pages share and what is worth keeping between plans: the look,
//! the translation groups, each locale's navigation ([`Frame`]), the out-of-date notices, the
//! highlighting cache and the search indexes. Article pages are rendered in parallel, written
//! and dropped as they are made, so memory holds the pages being rendered, not the site.

use std::collections::BTreeSet;

use foldhash::HashSet;
use rayon::prelude::*;

use super::pages::{Frame, PageArticle, Renderer, SearchText};
use super::plan::{self, in_locale, Plan};
use super::translations::Translations;
use super::{search, side_by_side, sitemap, status, urls, Look, Output, Progress};
use crate::check::Report;
use crate::config::Config;
use crate::error::{Error, Result, Warning};
use crate::markdown;
use crate::model::{Delta, LocaleContent, Site};

/// A rendered page's URL (`fr/a/b/`) and its search text (`None`: not searchable).
type Searchable = (String, Option<SearchText>);

/// What rendering a plan did.
#[derive(Debug, Default)]
pub struct RenderReport {
    /// Article pages rendered (borrowed copies included).
    pub pages: usize,
    /// Pages in the search indexes written.
    pub searchable: usize,
    pub warnings: Vec<Warning>,
}

/// What the pages of a site share, kept between the plans rendered for it.
pub struct Publisher {
    pub look: Look,
    translations: Translations,
    /// One per locale, in the order of the site's contents.
    frames: Vec<Frame>,
    /// Shown paths of the translations the checks found out of date.
    outdated: HashSet<String>,
    cache: markdown::Cache,
    /// Keep the search indexes after a whole build, to update them page by page.
    keep_search: bool,
    search: Indexes,
}

/// Each locale's search index when kept (`None` with search off), and the locales whose index
/// changed since its files were last written.
#[derive(Debug, Default)]
struct Indexes {
    by_locale: Vec<Option<search::Index>>,
    changed: BTreeSet<usize>,
}

impl std::fmt::Debug for Publisher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Publisher")
            .field("locales", &self.frames.len())
            .field("outdated", &self.outdated.len())
            .finish_non_exhaustive()
    }
}

impl Publisher {
    /// Prepares the pages of `site`: its translation groups and each locale's navigation. With
    /// the check's `report`, out-of-date translations carry a notice. `keep_search` keeps the
    /// search indexes for later plans (the dev server).
    pub fn new(
        config: &Config,
        site: &Site,
        look: Look,
        report: Option<&Report>,
        keep_search: bool,
    ) -> Publisher {
        let mut publisher = Publisher {
            look,
            translations: Translations::new(site),
            frames: Vec::new(),
            outdated: report.map(status::outdated_paths).unwrap_or_default(),
            cache: markdown::Cache::default(),
            keep_search,
            search: Indexes::default(),
        };
        let frames = {
            let renderer = publisher.renderer(config, &site.contents, &|_| {});
            site.contents
                .par_iter()
                .map(|content| renderer.frame(content, &renderer.entries(content)))
                .collect()
        };
        publisher.frames = frames;
        publisher
    }

    fn renderer<'s>(
        &'s self,
        config: &'s Config,
        contents: &'s [LocaleContent],
        progress: Progress<'s>,
    ) -> Renderer<'s> {
        Renderer {
            config,
            theme: &self.look.theme,
            strings: &self.look.strings,
            templates: &self.look.templates,
            translations: &self.translations,
            contents,
            outdated: &self.outdated,
            cache: &self.cache,
            progress,
        }
    }

    /// Plans the pages `delta` (what [`Site::apply`] did to `site`) affects, bringing the
    /// translation groups and the navigation up to date with it.
    pub fn plan(&mut self, config: &Config, site: &Site, delta: &Delta) -> Plan {
        if delta.regrouped {
            self.translations = Translations::new(site);
        }
        let mut frames = std::mem::take(&mut self.frames);
        let plan = {
            let renderer = self.renderer(config, &site.contents, &|_| {});
            plan::for_delta(delta, &renderer, &mut frames)
        };
        self.frames = frames;
        plan
    }

    /// Takes the out-of-date notices of the articles at `checked` (shown paths) from `report`,
    /// a check of (at least) those articles.
    pub fn renotice(&mut self, checked: impl IntoIterator<Item = String>, report: &Report) {
        for path in checked {
            self.outdated.remove(&path);
        }
        self.outdated.extend(status::outdated_paths(report));
    }

    /// Takes every out-of-date notice from `report`, a check of the whole site; returns the
    /// shown paths whose notice came or went.
    pub fn renotice_all(&mut self, report: &Report) -> HashSet<String> {
        let outdated = status::outdated_paths(report);
        let changed = outdated
            .symmetric_difference(&self.outdated)
            .cloned()
            .collect();
        self.outdated = outdated;
        changed
    }

    /// Renders what `plan` names from `site` into `output`. With the check's `report`, the
    /// status pages are written too (whole plans, and plans of site-wide files). A page that
    /// fails does not stop the others; their errors come back together.
    pub fn render(
        &mut self,
        config: &Config,
        site: &Site,
        plan: &Plan,
        report: Option<&Report>,
        output: &Output,
        progress: Progress<'_>,
    ) -> Result<RenderReport> {
        let mut done = RenderReport::default();
        let mut search = std::mem::take(&mut self.search);
        if plan.whole {
            search.by_locale = (0..site.contents.len()).map(|_| None).collect();
        }
        // The site-wide pages are made beside the last locale's articles: nothing they hold
        // comes from the article pages, and on their own (at 10,000 x 3 on the bench corpus,
        // the sitemap and the status pages took 0.6 s) they kept one core of two waiting.
        // Beside the first locale, the dashboard of a large report came on top of the build's
        // fullest memory (the first locale's texts, which its pages take from memory, and the
        // highlighted code, all of it new): 385-393 MiB there, 340-356 MiB now.
        // `status.json` waits for the last locale's search index instead, which is written
        // with nothing else left to do (0.1 s, half of it on one core).
        let this = &*self;
        let report = report.filter(|_| config.site.status);
        let json_last = report.filter(|_| plan.whole);
        let site_wide = || this.site_wide(config, site, plan, report, json_last.is_none(), output);
        let errors = this.locales(
            config,
            site,
            plan,
            output,
            progress,
            &mut search,
            &mut done,
            json_last,
            &site_wide,
        );
        self.search = search;
        if let Some(error) = Error::from_many(errors) {
            return Err(error);
        }
        if plan.whole {
            self.static_files(config, output)?;
        }
        if plan.site_wide {
            done.searchable += self.search_files(site, output)?;
        }
        Ok(done)
    }

    /// The root pages, the sitemap and the status pages (with `status.json` if `json`), as far
    /// as `plan` names them.
    fn site_wide(
        &self,
        config: &Config,
        site: &Site,
        plan: &Plan,
        report: Option<&Report>,
        json: bool,
        output: &Output,
    ) -> Result<()> {
        if plan.whole || plan.sitemap {
            self.sitemap(config, site, output)?;
        }
        if plan.whole || plan.site_wide {
            self.status(config, site, report, plan, json, output)?;
        }
        Ok(())
    }

    /// Renders every locale's pages that `plan` names. In a whole build, a locale's search
    /// files are written while the next locale renders (they took 0.1 s a locale at 10,000
    /// pages, on one core), and the index is then dropped unless kept; `site_wide` makes its
    /// pages beside the last locale, and the `status.json` of `json_last` is written beside
    /// the last locale's search files.
    #[allow(clippy::too_many_arguments)]
    fn locales(
        &self,
        config: &Config,
        site: &Site,
        plan: &Plan,
        output: &Output,
        progress: Progress<'_>,
        search: &mut Indexes,
        done: &mut RenderReport,
        json_last: Option<&Report>,
        site_wide: &(dyn Fn() -> Result<()> + Sync),
    ) -> Vec<Error> {
        let mut errors = Vec::new();
        let mut unwritten: Option<(usize, search::Index)> = None;
        let count = site.contents.len();
        // The site-wide pages are made beside the last locale (or alone, without locales).
        let beside = count.saturating_sub(1);
        for li in 0..=count {
            let to_write = unwritten.take();
            let ((written, wide), rendered) = rayon::join(
                || {
                    rayon::join(
                        || {
                            to_write.map(|(at, mut index)| {
                                let code = &site.contents[at].locale.code;
                                if self.keep_search {
                                    let pages = write_index(&mut index, code, output);
                                    return (at, Some(index), pages);
                                }
                                // A build's index goes as its files are made, not once the
                                // next locale is rendered.
                                (at, None, finish_index(index, code, output))
                            })
                        },
                        || (li == beside).then(site_wide),
                    )
                },
                || {
                    if li < count {
                        Some(self.locale(config, site, li, plan, output, progress, search, done))
                    } else {
                        json_last.map(|report| self.status_json(report, output).map(|()| None))
                    }
                },
            );
            errors.extend(wide.and_then(Result::err));
            if let Some((at, index, pages)) = written {
                match pages {
                    Ok(pages) => done.searchable += pages,
                    Err(error) => errors.push(error),
                }
                if index.is_some() {
                    search.by_locale[at] = index;
                }
            }
            match rendered {
                Some(Ok(Some(index))) => unwritten = Some((li, index)),
                Some(Err(error)) => errors.push(error),
                Some(Ok(None)) | None => {}
            }
        }
        errors
    }

    /// Renders the pages of the locale at `li` that `plan` names: articles, their search
    /// entries, the pages that list them, and its copied files. A whole build returns the
    /// locale's new search index, whose files are still to be written.
    #[allow(clippy::too_many_arguments)]
    fn locale(
        &self,
        config: &Config,
        site: &Site,
        li: usize,
        plan: &Plan,
        output: &Output,
        progress: Progress<'_>,
        search: &mut Indexes,
        done: &mut RenderReport,
    ) -> Result<Option<search::Index>> {
        let content = &site.contents[li];
        if plan.whole && config.site.search {
            search.by_locale[li] = Some(match self.keep_search {
                true => search::Index::replaceable(&content.locale.tag),
                false => search::Index::new(&content.locale.tag),
            });
        }
        let (texts, rendered) = {
            let renderer = self.renderer(config, &site.contents, progress);
            let frame = &self.frames[li];
            let targets: Vec<PageArticle<'_>> = match plan.whole {
                true => renderer.entries(content),
                false => plan
                    .pages
                    .range(in_locale(li))
                    .filter_map(|(_, rel)| renderer.entry(content, rel))
                    .collect(),
            };
            // A plan rendered before any whole one has no index yet.
            let index = search.by_locale.get(li).and_then(Option::as_ref);
            let index = index.filter(|_| plan.whole);
            let (texts, rendered) =
                articles(&renderer, content, frame, &targets, output, index, done);
            if plan.whole || plan.indexes.contains(&li) {
                for page in renderer.locale_index_pages(content, frame, &mut done.warnings)? {
                    output.write(&page.path, &page.html)?;
                }
            }
            (texts, rendered)
        };
        self.reindex(li, texts, plan, output, search)?;
        self.assets(content, li, plan, output)?;
        rendered?;
        if !plan.whole {
            return Ok(None);
        }
        search.changed.remove(&li);
        Ok(search.by_locale.get_mut(li).and_then(Option::take))
    }

    /// Puts the rendered pages' search texts in place of their entries in the locale's search
    /// index, and takes the removed pages out of it and of the output.
    fn reindex(
        &self,
        li: usize,
        texts: Vec<Searchable>,
        plan: &Plan,
        output: &Output,
        search: &mut Indexes,
    ) -> Result<()> {
        let code = &self.frames[li].code;
        let mut changed = !texts.is_empty();
        let mut index = search.by_locale.get_mut(li).and_then(Option::as_mut);
        let removed = plan.removed.range(in_locale(li));
        for (url, text) in &texts {
            match (index.as_deref_mut(), text) {
                (Some(index), Some(text)) => index.replace(text.document()),
                (Some(index), None) => index.remove(url),
                (None, _) => {}
            }
        }
        for (_, rel) in removed {
            let url = format!("{code}/{}", urls::article_url(rel));
            output.remove(&urls::index_file(&url))?;
            if let Some(index) = index.as_deref_mut() {
                index.remove(&url);
            }
            changed = true;
        }
        if changed && index.is_some() {
            search.changed.insert(li);
        }
        Ok(())
    }

    /// Copies the locale's files the plan names (all of them in a whole plan); a deleted one is
    /// removed from the output.
    fn assets(
        &self,
        content: &LocaleContent,
        li: usize,
        plan: &Plan,
        output: &Output,
    ) -> Result<()> {
        let code = &content.locale.code;
        let named = plan.assets.range(in_locale(li)).map(|(_, rel)| rel);
        let all = plan
            .whole
            .then_some(&content.files.assets)
            .into_iter()
            .flatten();
        for rel in all.chain(named) {
            let from = content.locale.content_dir.join(rel);
            match plan.whole || from.is_file() {
                true => output.copy(&format!("{code}/{rel}"), &from)?,
                false => output.remove(&format!("{code}/{rel}"))?,
            }
        }
        Ok(())
    }

    /// The root pages and the sitemap, from the model: every locale's own articles.
    fn sitemap(&self, config: &Config, site: &Site, output: &Output) -> Result<()> {
        let mut counts = Vec::new();
        let mut sitemap_pages = Vec::new();
        for content in &site.contents {
            let code = &content.locale.code;
            counts.push((code.clone(), content.articles.len()));
            let urls: Vec<(String, String)> = content
                .articles
                .iter()
                .filter(|a| a.rel_path != "index.md")
                .map(|a| {
                    let key = self.translations.key_of(&a.locale, &a.rel_path);
                    let url = format!("/{code}/{}", urls::article_url(&a.rel_path));
                    (key.unwrap_or_default().to_owned(), url)
                })
                .collect();
            sitemap_pages.push((code.clone(), urls));
        }
        let renderer = self.renderer(config, &site.contents, &|_| {});
        for page in renderer.root_pages(&counts)? {
            output.write(&page.path, &page.html)?;
        }
        let xml = sitemap::sitemap(config, &sitemap_pages, &self.look.templates)?;
        output.write("sitemap.xml", &xml)
    }

    /// `status.json`, the whole report, written as it is made.
    fn status_json(&self, report: &Report, output: &Output) -> Result<()> {
        output.write_with("status.json", &mut |out| {
            crate::check::report::json::write_compact(report, out)
        })
    }

    /// robots.txt, the highlighting stylesheet and the theme's static files.
    fn static_files(&self, config: &Config, output: &Output) -> Result<()> {
        output.write("robots.txt", sitemap::robots(config).as_bytes())?;
        output.write(
            "static/syntax.css",
            markdown::highlight::stylesheet().as_bytes(),
        )?;
        for (name, file) in self.look.theme.static_files() {
            output.write(&format!("static/{name}"), &file.bytes)?;
        }
        Ok(())
    }

    /// Writes the files of the search indexes that changed since they were last written;
    /// returns how many pages they hold.
    fn search_files(&mut self, site: &Site, output: &Output) -> Result<usize> {
        let mut pages = 0;
        for li in std::mem::take(&mut self.search.changed) {
            let code = &site.contents[li].locale.code;
            if let Some(index) = self.search.by_locale.get_mut(li).and_then(Option::as_mut) {
                pages += write_index(index, code, output)?;
            }
        }
        Ok(pages)
    }

    /// The status dashboard and the side-by-side pages of `report` (unless `plan` says they
    /// were made before it). A plan of part of the site replaces an earlier one: a
    /// side-by-side page the report no longer makes goes away.
    fn status(
        &self,
        config: &Config,
        site: &Site,
        report: Option<&Report>,
        plan: &Plan,
        json: bool,
        output: &Output,
    ) -> Result<()> {
        let Some(report) = report.filter(|_| config.site.status) else {
            return Ok(());
        };
        let side_by_side_made = plan.whole && plan.side_by_side_made;
        if !plan.whole {
            for path in side_by_side::possible_pages(&site.contents) {
                output.remove(&path)?;
            }
        }
        if json {
            self.status_json(report, output)?;
        }
        let t = self.look.strings.table(&self.look.theme, status::LANGUAGE);
        let write = |path: String, bytes: Vec<u8>| output.write(&path, &bytes);
        status::dashboard(
            config,
            report,
            &site.contents,
            &self.look.templates,
            &t,
            &write,
        )?;
        if !side_by_side_made {
            side_by_side(config, site, &self.look, Some(report), output)?;
        }
        Ok(())
    }
}

/// The status site's side-by-side pages of a whole build, made before everything else: they
/// quote both sides of every aligned translation, and the build lets go of the articles'
/// texts once they are made ([`super::publish`]). A plan rendered after them says so with
/// [`Plan::side_by_side_made`].
pub fn side_by_side(
    config: &Config,
    site: &Site,
    look: &Look,
    report: Option<&Report>,
    output: &Output,
) -> Result<()> {
    let Some(report) = report.filter(|_| config.site.status) else {
        return Ok(());
    };
    let t = look.strings.table(&look.theme, status::LANGUAGE);
    let write = |path: String, bytes: Vec<u8>| output.write(&path, &bytes);
    status::side_by_side(config, report, &site.contents, &look.templates, &t, &write)
}

/// Writes the files of the search `index` of the locale `code`; returns how many pages it holds.
fn write_index(index: &mut search::Index, code: &str, output: &Output) -> Result<usize> {
    index.write(code, &|path, bytes| output.write(&path, &bytes))
}

/// [`write_index`] for an index written once: it is let go as its files are made.
fn finish_index(index: search::Index, code: &str, output: &Output) -> Result<usize> {
    index.finish(code, &|path, bytes| output.write(&path, &bytes))
}

/// Renders the article pages `targets` of a locale in parallel, each written to `output` as it
/// is made and added to the search `index` (a whole build's new one). Without one, each page's
/// URL and search text (`None`: not searchable, a borrowed copy) are returned, to take the place
/// of its old entry.
fn articles(
    renderer: &Renderer<'_>,
    content: &LocaleContent,
    frame: &Frame,
    targets: &[PageArticle<'_>],
    output: &Output,
    index: Option<&search::Index>,
    done: &mut RenderReport,
) -> (Vec<Searchable>, Result<()>) {
    // In pieces of at most 8 pages: split only as rayon splits at first, the last piece of a
    // locale (hundreds of pages) ran on one core while the other waited.
    let results: Vec<Result<(Option<Searchable>, Vec<Warning>)>> = targets
        .par_iter()
        .with_max_len(8)
        .filter(|entry| entry.article.rel_path != "index.md")
        .map(|entry| {
            let built = renderer.article_page(&content.locale, frame, *entry)?;
            output.write(&built.page.path, &built.page.html)?;
            (renderer.progress)(1);
            let text = match (index, built.search) {
                (Some(index), Some(text)) => {
                    index.add(text.document());
                    None
                }
                (Some(_), None) => None,
                (None, text) => {
                    let path = built.page.path;
                    let url = path.strip_suffix("index.html").unwrap_or(&path).to_owned();
                    Some((url, text))
                }
            };
            Ok((text, built.warnings))
        })
        .collect();
    let mut texts = Vec::new();
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok((text, warnings)) => {
                done.pages += 1;
                texts.extend(text);
                done.warnings.extend(warnings);
            }
            Err(error) => errors.push(error),
        }
    }
    (texts, Error::from_many(errors).map_or(Ok(()), Err))
}
