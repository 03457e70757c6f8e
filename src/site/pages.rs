//! Turns parsed content into pages: one per article, a home page and a 404 page per locale, and
//! the root page.
//!
//! Each page gets a context struct (what its template may use) and is rendered with the site's
//! templates. Article bodies are rendered in parallel, one locale at a time, and written as soon
//! as they are ready, so memory holds one locale's pages at most.

mod built_in;

use std::collections::BTreeMap;

use fluent::FluentArgs;
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use rayon::prelude::*;
use serde::Serialize;

use super::nav::{ArticleInfo, Nav, NavNode};
use super::search;
use super::templates::Templates;
use super::translations::Translations;
use super::urls;
use crate::config::{Config, Locale, MissingTranslations};
use crate::error::{Error, Result, Warning};
use crate::i18n::Strings;
use crate::locale::LocaleCode;
use crate::markdown::{self, inline, RenderContext, Snippets};
use crate::model::{Article, LocaleContent};
use crate::theme::Theme;

/// A page ready to be written: its path in the output and its HTML.
#[derive(Debug)]
pub struct Page {
    pub path: String,
    pub html: Vec<u8>,
}

/// What the search index gets of a page.
#[derive(Debug, Clone)]
pub struct SearchText {
    /// Relative to the site root: `nl/a/b/`.
    pub url: String,
    pub title: String,
    pub description: String,
    pub text: String,
}

impl SearchText {
    pub fn document(&self) -> search::Document<'_> {
        search::Document {
            url: &self.url,
            title: &self.title,
            description: &self.description,
            text: &self.text,
        }
    }
}

/// What every page template can use.
#[derive(Debug, Serialize)]
struct Common<'a> {
    site_title: &'a str,
    /// BCP 47 tag for `<html lang>`.
    lang: &'a str,
    /// Locale code, empty on the root page.
    locale: &'a str,
    /// Relative URL of the site root from this page: `../../`.
    root: String,
    /// Relative URL of the locale's home page.
    home: String,
    /// The path part of the base URL (`/` or `/docs/`), for pages served at any depth (404).
    base_path: String,
    /// Whether the search box is shown.
    search: bool,
    /// UI strings of the page's locale. Article pages leave them out here and get them from
    /// [`Frame::strings`], converted for the templates once per locale.
    #[serde(skip_serializing_if = "Option::is_none")]
    t: Option<&'a BTreeMap<String, String>>,
}

#[derive(Debug, Clone, Serialize)]
struct Link {
    url: String,
    title_html: String,
}

#[derive(Debug, Clone, Serialize)]
struct LanguageLink {
    code: LocaleCode,
    tag: String,
    name: String,
    /// Relative URL of this article in that language.
    url: String,
    /// Absolute (or root-relative) URL, for `hreflang` links.
    href: String,
    current: bool,
}

#[derive(Debug, Serialize)]
struct ArticleContext<'a> {
    /// Rendered beside the page's own fields ([`Templates::render_page`]).
    #[serde(skip)]
    common: Common<'a>,
    title: String,
    title_html: String,
    description: String,
    body: &'a str,
    /// Whether the body has its own `# Title`; if not, the template shows the title.
    has_h1: bool,
    toc: Vec<TocEntry>,
    breadcrumbs: Vec<Link>,
    prev: Option<Link>,
    next: Option<Link>,
    /// The same article in every language that has it (this one included).
    languages: Vec<LanguageLink>,
    canonical: String,
    x_default: Option<String>,
    /// The machine-translation banner, as HTML.
    banner: Option<String>,
    /// "This translation may be out of date".
    outdated: Option<String>,
    /// Set when the text is borrowed from another locale: its language tag and the notice.
    borrowed: Option<Borrowed>,
    /// Relative URL of the locale's navigation tree (loaded into the sidebar).
    nav_url: String,
}

#[derive(Debug, Serialize)]
struct Borrowed {
    lang: String,
    notice: String,
}

#[derive(Debug, Serialize)]
struct TocEntry {
    level: u8,
    id: String,
    text: String,
}

#[derive(Debug, Serialize)]
struct HomeContext<'a> {
    #[serde(flatten)]
    common: Common<'a>,
    title: String,
    intro: String,
    /// The navigation tree as HTML, links relative to the home page.
    tree: String,
    languages: Vec<LanguageLink>,
}

#[derive(Debug, Serialize)]
struct RootContext<'a> {
    #[serde(flatten)]
    common: Common<'a>,
    languages: Vec<LanguageLink>,
    /// The root page's texts in each listed locale, as JSON for its script.
    texts: String,
}

/// Everything the page renderers share.
pub struct Renderer<'a> {
    pub config: &'a Config,
    pub theme: &'a Theme,
    pub strings: &'a Strings,
    pub templates: &'a Templates,
    pub translations: &'a Translations,
    /// All content, for articles borrowed by locales that lack them.
    pub contents: &'a [LocaleContent],
    /// Shown paths of the translations the check found out of sync.
    pub outdated: &'a HashSet<String>,
    /// Work shared between pages (highlighted code: translations share their code blocks).
    pub cache: &'a markdown::Cache,
    /// Told about every article page written.
    pub progress: super::Progress<'a>,
}

impl std::fmt::Debug for Renderer<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Renderer")
            .field("title", &self.config.title)
            .finish_non_exhaustive()
    }
}

/// One article page of a locale: the article, and the locale whose text it is when the
/// locale borrows it.
#[derive(Debug, Clone, Copy)]
pub struct PageArticle<'a> {
    pub article: &'a Article,
    pub borrowed_from: Option<&'a Locale>,
}

/// What every page of one locale shares: its UI strings, snippets, and the navigation, which
/// is built from titles read from the front matter, so no article is rendered to build it.
/// Owned, so the dev server can keep it between builds and update it article by article.
#[derive(Debug)]
pub struct Frame {
    pub code: LocaleCode,
    pub table: BTreeMap<String, String>,
    /// `table` as the templates' `t`.
    strings: tera::Value,
    /// While the site keeps tolk's `page.html` and `base.html`, the strings of the article
    /// page written without them ([`built_in`]), if `table` has them all.
    built_in_page: Option<built_in::Strings>,
    /// The locale's `TOC.md` files: `(path, text)`.
    pub tocs: Vec<(String, String)>,
    /// What the navigation knows of each article, by path (`a/b.md`). Hashed: each page looks
    /// up the titles of the pages before and after it, and a search of a tree of 10,000 paths
    /// compares dozens of them, each behind a pointer (1.3% of a build's time on the bench
    /// corpus). The navigation is built in an order of its own.
    pub infos: HashMap<String, ArticleInfo>,
    pub nav: Nav,
    /// The snippets of this locale and of the locales it borrows from, by locale code.
    snippets: HashMap<LocaleCode, Snippets>,
}

impl Frame {
    /// Builds the navigation again from `infos` (after articles were added, removed or
    /// renamed).
    pub fn renavigate(&mut self) {
        let infos: Vec<ArticleInfo> = self.infos.values().cloned().collect();
        let other = table_get(&self.table, "nav-other");
        self.nav = Nav::build(&self.tocs, &infos, &other);
    }

    fn title_html(&self, rel: &str) -> Option<&str> {
        self.infos.get(rel).map(|i| i.title_html.as_str())
    }
}

/// An article rendered, before it goes into its template.
struct RenderedArticle<'a> {
    article: &'a Article,
    url: String,
    title: String,
    title_html: String,
    description: String,
    body: markdown::Rendered,
    /// The locale whose text this is, when it is borrowed.
    borrowed_from: Option<&'a Locale>,
}

/// An article page written, and what the site-wide indexes need of it.
#[derive(Debug)]
pub struct BuiltArticle {
    pub page: Page,
    pub search: Option<SearchText>,
    pub warnings: Vec<Warning>,
}

/// The markdown of an article's title: its front matter `title`, else its first `# ` heading,
/// else its file name. Read without rendering the body, so the navigation of a large site is
/// built before (and without) any page.
pub fn title_source(article: &Article) -> String {
    if let Some(title) = &article.front.title {
        return title.clone();
    }
    if let Some(h1) = first_h1(article.body()) {
        return h1.to_owned();
    }
    let rel = article.rel_path.as_str();
    rel.rsplit('/')
        .next()
        .unwrap_or(rel)
        .trim_end_matches(".md")
        .to_owned()
}

/// What the navigation needs of an article.
pub fn article_info(article: &Article) -> ArticleInfo {
    let title = title_source(article);
    ArticleInfo {
        rel: article.rel_path.clone(),
        title_html: inline::render_line(&title),
        sort_key: deunicode::deunicode(&inline::plain_line(&title)).to_lowercase(),
        topic: article.front.navigation_topic.clone(),
        hide: article.front.hide,
    }
}

/// The text of the first ATX level-1 heading outside fenced code, without its closing `#`s
/// and `{#id}`. (Setext headings and headings inside quotes are not titles in ExL content.)
fn first_h1(body: &str) -> Option<&str> {
    let mut fence: Option<(u8, usize)> = None;
    for line in body.lines() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if indent > 3 {
            continue;
        }
        let line = line.trim_start_matches(' ');
        let marker = line.bytes().next();
        if let Some(m @ (b'`' | b'~')) = marker {
            let run = line.bytes().take_while(|&b| b == m).count();
            if run >= 3 {
                match fence {
                    None => fence = Some((m, run)),
                    Some((open, len))
                        if open == m && run >= len && line[run..].trim().is_empty() =>
                    {
                        fence = None
                    }
                    Some(_) => {}
                }
                continue;
            }
        }
        if fence.is_some() {
            continue;
        }
        let Some(rest) = line.strip_prefix('#') else {
            continue;
        };
        if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
            continue;
        }
        let mut text = rest.trim();
        if text.ends_with('}') {
            if let Some(open) = text.rfind('{') {
                if text[open + 1..].starts_with('#') {
                    text = text[..open].trim_end();
                }
            }
        }
        let closed = text.trim_end_matches('#');
        if closed.is_empty() || closed.ends_with([' ', '\t']) {
            text = closed.trim_end();
        }
        if !text.is_empty() {
            return Some(text);
        }
    }
    None
}

impl<'a> Renderer<'a> {
    /// The pages of a locale that list its articles or stand for it: the sidebar tree
    /// (`nav.html`), the home page (with `index.md` as its introduction) and the 404 page.
    pub fn locale_index_pages(
        &self,
        content: &LocaleContent,
        frame: &Frame,
        warnings: &mut Vec<Warning>,
    ) -> Result<Vec<Page>> {
        let locale = &content.locale;
        let intro = match content.articles.iter().find(|a| a.rel_path == "index.md") {
            Some(index) => {
                let r = self.render_article(
                    frame,
                    PageArticle {
                        article: index,
                        borrowed_from: None,
                    },
                )?;
                warnings.extend(r.body.warnings.iter().cloned());
                if let Some(error) =
                    Error::from_many(r.body.errors.into_iter().map(Error::from).collect())
                {
                    return Err(error);
                }
                r.body.html
            }
            None => String::new(),
        };
        Ok(vec![
            Page {
                path: format!("{}/nav.html", locale.code),
                html: tree_html(&frame.nav.roots, false).into_bytes(),
            },
            self.home_page(
                locale,
                intro,
                tree_html(&frame.nav.roots, true),
                &frame.table,
            )?,
            self.not_found_page(locale, &frame.table)?,
        ])
    }

    /// The article pages of a locale: its own articles, then (with `missing-translations =
    /// "fallback"`) those it borrows.
    pub fn entries(&self, content: &'a LocaleContent) -> Vec<PageArticle<'a>> {
        let mut entries: Vec<PageArticle<'a>> = content
            .articles
            .iter()
            .map(|article| PageArticle {
                article,
                borrowed_from: None,
            })
            .collect();
        entries.extend(self.borrowed_articles(&content.locale));
        entries
    }

    /// What the pages of a locale share; its navigation lists `entries`.
    pub fn frame(&self, content: &LocaleContent, entries: &[PageArticle<'_>]) -> Frame {
        let locale = &content.locale;
        let tocs: Vec<(String, String)> = content
            .files
            .navigation
            .iter()
            .filter_map(|rel| {
                std::fs::read_to_string(locale.content_dir.join(rel))
                    .ok()
                    .map(|text| (rel.clone(), text))
            })
            .collect();
        let infos: HashMap<String, ArticleInfo> = entries
            .par_iter()
            .filter(|e| e.article.rel_path != "index.md")
            .map(|e| (e.article.rel_path.clone(), article_info(e.article)))
            .collect();
        let mut snippets = HashMap::new();
        for lender in std::iter::once(locale).chain(entries.iter().filter_map(|e| e.borrowed_from))
        {
            snippets.entry(lender.code.clone()).or_insert_with(|| {
                let shown_dir = self.config.display_path(&lender.content_dir);
                Snippets::load_in(&self.config.root, &lender.content_dir, &shown_dir)
            });
        }
        let table = self.strings.table(self.theme, &locale.code);
        let mut frame = Frame {
            code: locale.code.clone(),
            built_in_page: ["page.html", "base.html"]
                .iter()
                .all(|name| self.templates.is_built_in(name))
                .then(|| built_in::Strings::new(&table))
                .flatten(),
            strings: tera::Value::from_serializable(&table),
            table,
            tocs,
            infos,
            nav: Nav::default(),
            snippets,
        };
        frame.renavigate();
        frame
    }

    /// With `missing-translations = "fallback"`: the articles other locales have and this one
    /// lacks, in the text of the source locale (or the first that has them).
    pub fn borrowed_articles(&self, locale: &Locale) -> Vec<PageArticle<'a>> {
        if self.config.site.missing_translations != MissingTranslations::Fallback {
            return Vec::new();
        }
        let own: HashSet<&str> = self
            .contents
            .iter()
            .filter(|c| c.locale.code == locale.code)
            .flat_map(|c| c.articles.iter().map(|a| a.rel_path.as_str()))
            .collect();
        let mut taken: HashSet<&str> = HashSet::new();
        let mut borrowed = Vec::new();
        for content in self.preferred_lenders() {
            if content.locale.code == locale.code {
                continue;
            }
            for article in &content.articles {
                let lacking =
                    !own.contains(article.rel_path.as_str()) && self.lacks(locale, article);
                if lacking && taken.insert(article.rel_path.as_str()) {
                    borrowed.push(PageArticle {
                        article,
                        borrowed_from: Some(&content.locale),
                    });
                }
            }
        }
        borrowed
    }

    /// The article page of `content`'s locale at `rel`: its own article there, else (with
    /// `missing-translations = "fallback"`) the one it borrows, as [`Renderer::entries`] lists
    /// them.
    pub fn entry(&self, content: &'a LocaleContent, rel: &str) -> Option<PageArticle<'a>> {
        if let Some(article) = content.article(rel) {
            return Some(PageArticle {
                article,
                borrowed_from: None,
            });
        }
        if self.config.site.missing_translations != MissingTranslations::Fallback {
            return None;
        }
        self.preferred_lenders()
            .into_iter()
            .filter(|lender| lender.locale.code != content.locale.code)
            .find_map(|lender| {
                let article = lender
                    .article(rel)
                    .filter(|a| self.lacks(&content.locale, a))?;
                Some(PageArticle {
                    article,
                    borrowed_from: Some(&lender.locale),
                })
            })
    }

    /// Whether `locale` lacks `article` (another locale's): no translation of it in the locale,
    /// and the article does not say it is not wanted there (`locales: [en]`).
    fn lacks(&self, locale: &Locale, article: &Article) -> bool {
        let key = self
            .translations
            .key_of(&article.locale, &article.rel_path)
            .unwrap_or_default();
        let members = self.translations.members(key);
        !members.iter().any(|(code, _)| code == &locale.code)
            && article.wanted_in(self.config, &locale.code)
    }

    /// Locales to borrow from, best first: the source, then config order.
    fn preferred_lenders(&self) -> Vec<&'a LocaleContent> {
        let mut lenders: Vec<&'a LocaleContent> = self.contents.iter().collect();
        lenders
            .sort_by_key(|c| Some(c.locale.code.as_str()) != self.config.source_locale.as_deref());
        lenders
    }

    /// Renders an article's body and title; its file is read again when a build let go of its
    /// text and did not hand it to the page ([`Article::source`]).
    fn render_article<'e>(
        &self,
        frame: &Frame,
        entry: PageArticle<'e>,
    ) -> Result<RenderedArticle<'e>> {
        let article = entry.article;
        let text = article.source()?;
        let text_locale = entry.borrowed_from.map_or(&frame.code, |l| &l.code);
        let ui = |id: &str| self.strings.get(text_locale, id, None);
        let fallback = Snippets::default();
        let snippets = frame.snippets.get(text_locale).unwrap_or(&fallback);
        let rel = article.rel_path.as_str();
        let resolve = |dest: &str| urls::resolve_link(rel, dest);
        let ctx = RenderContext {
            shown_path: &article.shown_path,
            file_text: &text,
            body_offset: article.body_offset,
            locale: &article.locale,
            ui: &ui,
            resolve_link: &resolve,
            snippets,
            include_stack: &[],
            cache: self.cache,
            expansions: None,
        };
        let body = markdown::render(text.get(article.body_offset..).unwrap_or_default(), &ctx);
        let title_source = title_source(article);
        Ok(RenderedArticle {
            article,
            url: urls::article_url(rel),
            title: inline::plain_line(&title_source),
            title_html: inline::render_line(&title_source),
            description: article
                .front
                .description
                .as_deref()
                .map(inline::plain_line)
                .unwrap_or_default(),
            body,
            borrowed_from: entry.borrowed_from,
        })
    }

    /// Renders the page of one article of `frame`'s locale. Errors in its body (a missing
    /// snippet, an include cycle) fail it, all of them together.
    pub fn article_page(
        &self,
        locale: &Locale,
        frame: &Frame,
        entry: PageArticle<'_>,
    ) -> Result<BuiltArticle> {
        let mut r = self.render_article(frame, entry)?;
        let errors: Vec<Error> = r.body.errors.drain(..).map(Error::from).collect();
        if let Some(error) = Error::from_many(errors) {
            return Err(error);
        }
        let page = self.article_html(locale, &r, frame)?;
        let url = ["/", &locale.code, "/", &r.url].concat();
        let search = (self.config.site.search && r.borrowed_from.is_none()).then(|| SearchText {
            url: url[1..].to_owned(),
            title: r.title.clone(),
            description: r.description.clone(),
            text: std::mem::take(&mut r.body.text),
        });
        Ok(BuiltArticle {
            page,
            search,
            warnings: std::mem::take(&mut r.body.warnings),
        })
    }

    /// The notice of a text borrowed from `lender`.
    fn borrowed(&self, locale: &Locale, lender: &Locale) -> Borrowed {
        let mut args = FluentArgs::new();
        args.set("language", locale.name.clone());
        args.set("original", lender.name.clone());
        Borrowed {
            lang: lender.tag.clone(),
            notice: self
                .strings
                .get(&locale.code, "fallback-notice", Some(&args)),
        }
    }

    fn article_html(
        &self,
        locale: &Locale,
        r: &RenderedArticle<'_>,
        frame: &Frame,
    ) -> Result<Page> {
        let nav = &frame.nav;
        let table = &frame.table;
        let rel = r.article.rel_path.as_str();
        let url_dir = [&*locale.code, "/", &r.url].concat();
        let common = Common {
            t: None,
            ..self.common(locale, &url_dir, table)
        };
        let link_to = |target: &str| -> Option<Link> {
            Some(Link {
                url: urls::relative(
                    &url_dir,
                    &[&*locale.code, "/", &urls::article_url(target)].concat(),
                ),
                title_html: frame.title_html(target)?.to_owned(),
            })
        };
        let (prev, next) = nav.neighbours(rel);
        let breadcrumbs = breadcrumbs(frame, rel, &common.home);
        let key = self
            .translations
            .key_of(&r.article.locale, &r.article.rel_path)
            .unwrap_or_default()
            .to_owned();
        let languages = self.languages(&key, locale, &url_dir, rel);
        // A borrowed text's page is the lender's: search engines are sent there.
        let canonical = match r.borrowed_from {
            Some(lender) => [&*self.config.base_url, &lender.code, "/", &r.url].concat(),
            None => [&*self.config.base_url, &url_dir].concat(),
        };
        let x_default = self.x_default(&key);
        let borrowed = r.borrowed_from.map(|lender| self.borrowed(locale, lender));
        let context = ArticleContext {
            title: r.title.clone(),
            title_html: r.title_html.clone(),
            description: r.description.clone(),
            body: &r.body.html,
            has_h1: r.body.h1().is_some(),
            toc: toc(&r.body.headings),
            breadcrumbs,
            prev: prev.and_then(link_to),
            next: next.and_then(link_to),
            canonical,
            x_default,
            banner: if borrowed.is_none() {
                self.banner(locale, r, &languages)
            } else {
                None
            },
            outdated: self
                .outdated
                .contains(&r.article.shown_path)
                .then(|| table_get(table, "outdated-notice")),
            borrowed,
            languages,
            nav_url: urls::relative(&url_dir, &[&*locale.code, "/nav.html"].concat()),
            common,
        };
        let html = if let Some(strings) = &frame.built_in_page {
            built_in::article(&context.common, &context, strings)
        } else {
            self.templates.render_page(
                "page.html",
                &context.common,
                &context,
                "t",
                &frame.strings,
            )?
        };
        Ok(Page {
            path: urls::index_file(&url_dir),
            html,
        })
    }

    /// The article in every locale that has it, this one marked.
    fn languages(&self, key: &str, locale: &Locale, url_dir: &str, rel: &str) -> Vec<LanguageLink> {
        self.config
            .locales
            .iter()
            .filter_map(|l| {
                let current = l.code == locale.code;
                let target_rel = if current {
                    rel
                } else {
                    self.translations.member_for(key, &l.code, rel)?
                };
                let target = [&*l.code, "/", &urls::article_url(target_rel)].concat();
                Some(LanguageLink {
                    code: l.code.clone(),
                    tag: l.tag.clone(),
                    name: l.name.clone(),
                    url: urls::relative(url_dir, &target),
                    href: [&*self.config.base_url, &target].concat(),
                    current,
                })
            })
            .collect()
    }

    /// The version for readers whose language the site lacks: the source, else the first.
    fn x_default(&self, key: &str) -> Option<String> {
        let members = self.translations.members(key);
        let pick = self
            .config
            .source_locale
            .as_deref()
            .and_then(|source| members.iter().find(|(code, _)| code == source))
            .or_else(|| {
                self.config
                    .locales
                    .iter()
                    .find_map(|l| members.iter().find(|(code, _)| code == &l.code))
            })?;
        Some(format!(
            "{}{}/{}",
            self.config.base_url,
            pick.0,
            urls::article_url(&pick.1)
        ))
    }

    /// The machine-translation banner, when the article is machine translated and the share of
    /// human translation is below the threshold.
    fn banner(
        &self,
        locale: &Locale,
        r: &RenderedArticle<'_>,
        languages: &[LanguageLink],
    ) -> Option<String> {
        let front = &r.article.front;
        let machine = front
            .workflow_type
            .as_deref()
            .is_some_and(|w| w.contains("mt"));
        let human = front.ht_degree.unwrap_or(0);
        if !machine
            || human >= self.config.site.machine_translation_threshold
            || self.config.source_locale.as_deref() == Some(locale.code.as_str())
        {
            return None;
        }
        let mut args = FluentArgs::new();
        args.set("human", human);
        let mut html = inline::escape(&self.strings.get(&locale.code, "mt-banner", Some(&args)));
        let source = self
            .config
            .source_locale
            .as_deref()
            .and_then(|s| languages.iter().find(|l| l.code == s));
        if let Some(source) = source {
            let mut args = FluentArgs::new();
            args.set("language", source.name.clone());
            let label = inline::escape(&self.strings.get(
                &locale.code,
                "mt-banner-source",
                Some(&args),
            ));
            html.push_str(&format!(
                " <a href=\"{}\" hreflang=\"{}\" lang=\"{}\">{label}</a>",
                inline::escape(&source.url),
                inline::escape(&source.tag),
                inline::escape(&locale.tag)
            ));
        }
        Some(html)
    }

    fn home_page(
        &self,
        locale: &Locale,
        intro: String,
        tree: String,
        table: &BTreeMap<String, String>,
    ) -> Result<Page> {
        let url_dir = format!("{}/", locale.code);
        let languages = self
            .config
            .locales
            .iter()
            .map(|l| LanguageLink {
                code: l.code.clone(),
                tag: l.tag.clone(),
                name: l.name.clone(),
                url: urls::relative(&url_dir, &format!("{}/", l.code)),
                href: format!("{}{}/", self.config.base_url, l.code),
                current: l.code == locale.code,
            })
            .collect();
        let context = HomeContext {
            common: self.common(locale, &url_dir, table),
            title: self.config.title.clone(),
            intro,
            tree,
            languages,
        };
        Ok(Page {
            path: urls::index_file(&url_dir),
            html: self.templates.render("home.html", &context)?,
        })
    }

    /// `nl/404.html`: served at any depth, so its links start at the base path.
    fn not_found_page(&self, locale: &Locale, table: &BTreeMap<String, String>) -> Result<Page> {
        let base_path = self.base_path();
        let mut common = self.common(locale, &format!("{}/", locale.code), table);
        common.root = base_path.clone();
        common.home = format!("{base_path}{}/", locale.code);
        let context = RootContext {
            common,
            languages: Vec::new(),
            texts: String::new(),
        };
        Ok(Page {
            path: format!("{}/404.html", locale.code),
            html: self.templates.render("404.html", &context)?,
        })
    }

    /// The root page: the languages by name, with a redirect to the reader's best match; and
    /// the root 404 page.
    pub fn root_pages(&self, counts: &[(LocaleCode, usize)]) -> Result<Vec<Page>> {
        // Readers of every language land here (those whose language the site has are sent on
        // to it): the source's texts, else English, not the first locale's.
        let code = self.config.ui_fallback_locale();
        let table = self.strings.table(self.theme, code);
        let languages: Vec<LanguageLink> = self
            .config
            .locales
            .iter()
            .filter(|l| counts.iter().any(|(c, n)| c == &l.code && *n > 0) || counts.is_empty())
            .map(|l| LanguageLink {
                code: l.code.clone(),
                tag: l.tag.clone(),
                name: l.name.clone(),
                url: format!("{}/", l.code),
                href: format!("{}{}/", self.config.base_url, l.code),
                current: false,
            })
            .collect();
        let lang = self.config.locale(code).map_or(code, |l| l.tag.as_str());
        let common = |root: String| Common {
            site_title: &self.config.title,
            lang,
            locale: "",
            home: root.clone(),
            root,
            base_path: self.base_path(),
            search: false,
            t: Some(&table),
        };
        let root = RootContext {
            common: common(String::new()),
            texts: self.root_texts(&languages),
            languages: languages.clone(),
        };
        let mut not_found_languages = languages;
        for l in &mut not_found_languages {
            l.url = format!("{}{}", self.base_path(), l.url);
        }
        let not_found = RootContext {
            common: common(self.base_path()),
            languages: not_found_languages,
            texts: String::new(),
        };
        Ok(vec![
            Page {
                path: "index.html".to_owned(),
                html: self.templates.render("root.html", &root)?,
            },
            Page {
                path: "404.html".to_owned(),
                html: self.templates.render("404.html", &not_found)?,
            },
        ])
    }

    /// The root page's texts in each of `languages`, for its script to show the reader's:
    /// `{"fr": {"lang": "fr", "skip-to-content": "Aller au contenu", ...}}`. `<` is escaped, so
    /// the JSON cannot end its `<script>`.
    fn root_texts(&self, languages: &[LanguageLink]) -> String {
        const KEYS: [&str; 3] = ["skip-to-content", "languages", "footer"];
        let texts: serde_json::Map<String, serde_json::Value> = languages
            .iter()
            .map(|l| {
                let table = self.strings.table(self.theme, &l.code);
                let mut texts = serde_json::Map::new();
                texts.insert("lang".to_owned(), l.tag.clone().into());
                for key in KEYS {
                    if let Some(text) = table.get(key) {
                        texts.insert(key.to_owned(), text.clone().into());
                    }
                }
                (l.code.to_string(), texts.into())
            })
            .collect();
        serde_json::Value::Object(texts)
            .to_string()
            .replace('<', "\\u003c")
    }

    fn base_path(&self) -> String {
        let url = &self.config.base_url;
        match url.split_once("://") {
            Some((_, rest)) => rest
                .find('/')
                .map_or_else(|| "/".to_owned(), |i| rest[i..].to_owned()),
            None => url.clone(),
        }
    }

    fn common<'t>(
        &'t self,
        locale: &'t Locale,
        url_dir: &str,
        table: &'t BTreeMap<String, String>,
    ) -> Common<'t> {
        Common {
            site_title: &self.config.title,
            lang: &locale.tag,
            locale: &locale.code,
            root: urls::up_to_root(url_dir),
            home: urls::relative(url_dir, &format!("{}/", locale.code)),
            base_path: self.base_path(),
            search: self.config.site.search,
            t: Some(table),
        }
    }
}

/// The page's table of contents: its second- and third-level headings.
fn toc(headings: &[crate::markdown::RenderedHeading]) -> Vec<TocEntry> {
    headings
        .iter()
        .filter(|h| h.level == 2 || h.level == 3)
        .map(|h| TocEntry {
            level: h.level,
            id: h.id.clone(),
            text: h.text.clone(),
        })
        .collect()
}

/// The home page, then the sections of the navigation down to the article at `rel`.
fn breadcrumbs(frame: &Frame, rel: &str, home: &str) -> Vec<Link> {
    let mut breadcrumbs = vec![Link {
        url: home.to_owned(),
        title_html: inline::escape(&table_get(&frame.table, "home")),
    }];
    for (title_html, id) in frame.nav.trail(rel) {
        let url = match id {
            Some(id) => format!("{home}#{id}"),
            None => home.to_owned(),
        };
        breadcrumbs.push(Link {
            url,
            title_html: title_html.clone(),
        });
    }
    breadcrumbs
}

fn table_get(table: &BTreeMap<String, String>, id: &str) -> String {
    table.get(id).cloned().unwrap_or_else(|| id.to_owned())
}

/// The navigation tree as nested lists. Links are relative to the locale's home page. The home
/// page shows every entry with its section ids; the sidebar leaves out `{hide-from-toc}` ones.
pub fn tree_html(nodes: &[NavNode], home: bool) -> String {
    let mut html = String::from("<ul class=\"nav-tree\">");
    push_nodes(&mut html, nodes, home, 0);
    html.push_str("</ul>\n");
    html
}

fn push_nodes(html: &mut String, nodes: &[NavNode], home: bool, depth: usize) {
    for node in nodes {
        if node.hidden && !home {
            continue;
        }
        // Written piece by piece: a site's navigation has a node per article, and `format!`
        // took more instructions than the rest of the work (in time, a small part of a build).
        let label = |html: &mut String| match &node.article {
            Some(rel) => {
                html.push_str("<a href=\"");
                html.push_str(&inline::escape(&urls::relative(
                    "",
                    &urls::article_url(rel),
                )));
                html.push_str("\">");
                html.push_str(&node.title_html);
                html.push_str("</a>");
            }
            None => {
                html.push_str("<span class=\"nav-section\">");
                html.push_str(&node.title_html);
                html.push_str("</span>");
            }
        };
        html.push_str("<li");
        if let (Some(id), true) = (&node.id, home) {
            html.push_str(" id=\"");
            html.push_str(&inline::escape(id));
            html.push('"');
        }
        html.push('>');
        let visible_children = node.children.iter().any(|c| home || !c.hidden);
        if visible_children {
            let open = if home || depth == 0 { " open" } else { "" };
            html.push_str("<details");
            html.push_str(open);
            html.push_str("><summary>");
            label(html);
            html.push_str("</summary><ul>");
            push_nodes(html, &node.children, home, depth + 1);
            html.push_str("</ul></details></li>");
        } else {
            label(html);
            html.push_str("</li>");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_level_one_heading_without_rendering() {
        for (body, h1) in [
            ("# Title\n\nText", Some("Title")),
            ("Intro\n\n  # Indented title #\n", Some("Indented title")),
            ("# Title {#title-id}\n", Some("Title")),
            ("# C# tips\n", Some("C# tips")),
            (
                "```\n# not a title\n```\n# After the code\n",
                Some("After the code"),
            ),
            ("~~~~\n```\n# inside\n~~~~\n# Out\n", Some("Out")),
            ("## Second level\n#hashtag\n    # code\n", None),
            ("#\n# Real\n", Some("Real")),
            (
                "# [!DNL Workfront] fouten\n",
                Some("[!DNL Workfront] fouten"),
            ),
        ] {
            assert_eq!(first_h1(body), h1, "{body:?}");
        }
    }
}
