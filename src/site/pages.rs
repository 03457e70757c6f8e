//! Turns parsed content into pages: one per article, a home page and a 404 page per locale, and
//! the root page.
//!
//! Each page gets a context struct (what its template may use) and is rendered with the site's
//! templates. Article bodies are rendered in parallel, one locale at a time, and written as soon
//! as they are ready, so memory holds one locale's pages at most.

use std::collections::{BTreeMap, HashSet};

use fluent::FluentArgs;
use rayon::prelude::*;
use serde::Serialize;

use super::nav::{ArticleInfo, Nav, NavNode};
use super::search;
use super::templates::Templates;
use super::translations::{group_key, Translations};
use super::urls;
use super::Output;
use crate::config::{Config, Locale, MissingTranslations};
use crate::content::{Article, LocaleContent};
use crate::error::{Error, Result, Warning};
use crate::i18n::Strings;
use crate::markdown::{self, inline, RenderContext, Snippets};
use crate::theme::Theme;

/// A page ready to be written: its path in the output and its HTML.
#[derive(Debug)]
pub struct Page {
    pub path: String,
    pub html: String,
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
    /// UI strings of the page's locale.
    t: &'a BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize)]
struct Link {
    url: String,
    title_html: String,
}

#[derive(Debug, Clone, Serialize)]
struct LanguageLink {
    code: String,
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
    #[serde(flatten)]
    common: Common<'a>,
    title: String,
    title_html: String,
    description: String,
    body: String,
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
    pub cache: markdown::Cache,
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

/// What a locale's pages produced besides the pages themselves.
#[derive(Debug, Default)]
pub struct LocaleOutput {
    /// Articles of this locale's own (borrowed ones not counted).
    pub articles: usize,
    /// Root-relative URL of every page of this locale, for the sitemap: `(group key, url)`.
    pub urls: Vec<(String, String)>,
}

impl Renderer<'_> {
    /// Renders and writes all pages of one locale: its articles, borrowed ones, its home and
    /// 404 pages. Pages are written as they are rendered, in parallel, and the locale's own
    /// articles go into the `search` index as they are.
    pub fn locale_pages(
        &self,
        content: &LocaleContent,
        output: &Output,
        search: Option<&search::Index>,
        warnings: &mut Vec<Warning>,
    ) -> Result<LocaleOutput> {
        let locale = &content.locale;
        let table = self.strings.table(self.theme, &locale.code);
        let mut rendered = self.render_articles(locale, &content.articles, None)?;
        rendered.extend(self.borrowed_articles(locale)?);
        for r in &rendered {
            warnings.extend(r.body.warnings.iter().cloned());
        }

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
        let infos: Vec<ArticleInfo> = rendered
            .iter()
            .filter(|r| r.article.rel_path != "index.md")
            .map(|r| ArticleInfo {
                rel: r.article.rel_path.clone(),
                title_html: r.title_html.clone(),
                sort_key: deunicode::deunicode(&r.title).to_lowercase(),
                topic: r.article.front.navigation_topic.clone(),
                hide: r.article.front.hide,
            })
            .collect();
        let nav = Nav::build(&tocs, &infos, &table_get(&table, "nav-other"));
        let titles: BTreeMap<&str, &str> = rendered
            .iter()
            .map(|r| (r.article.rel_path.as_str(), r.title_html.as_str()))
            .collect();

        // For the sitemap: (group key, root-relative URL) of each article page.
        let results: Vec<Result<Option<(String, String)>>> = rendered
            .par_iter()
            .map(|r| {
                if r.article.rel_path == "index.md" {
                    return Ok(None);
                }
                let page = self.article_page(locale, r, &nav, &titles, &table)?;
                output.write(&page.path, page.html.as_bytes())?;
                (self.progress)(1);
                let url = format!("{}/{}", locale.code, r.url);
                if let (Some(index), None) = (search, r.borrowed_from) {
                    index.add(search::Document {
                        url: &url,
                        title: &r.title,
                        description: &r.description,
                        text: &r.body.text,
                    });
                }
                let key = group_key(r.article.front.exl_id.as_deref(), &r.article.rel_path);
                Ok(Some((key, format!("/{url}"))))
            })
            .collect();
        let mut produced = LocaleOutput {
            articles: content.articles.len(),
            ..LocaleOutput::default()
        };
        for result in results {
            if let Some(sitemap) = result? {
                produced.urls.push(sitemap);
            }
        }
        let tree = tree_html(&nav.roots, true);
        output.write(
            &format!("{}/nav.html", locale.code),
            tree_html(&nav.roots, false).as_bytes(),
        )?;
        for page in [
            self.home_page(locale, &rendered, tree, &table)?,
            self.not_found_page(locale, &table)?,
        ] {
            output.write(&page.path, page.html.as_bytes())?;
        }
        Ok(produced)
    }

    fn render_articles<'a>(
        &'a self,
        locale: &'a Locale,
        articles: &'a [Article],
        borrowed_from: Option<&'a Locale>,
    ) -> Result<Vec<RenderedArticle<'a>>> {
        let text_locale = borrowed_from.unwrap_or(locale);
        let ui = |id: &str| self.strings.get(&text_locale.code, id, None);
        let shown_dir = self.config.display_path(&text_locale.content_dir);
        let snippets = Snippets::load(&text_locale.content_dir, &shown_dir);
        let mut rendered: Vec<RenderedArticle<'_>> = articles
            .par_iter()
            .map(|article| self.render_article(article, &ui, &snippets, borrowed_from))
            .collect();
        let errors: Vec<Error> = rendered
            .iter_mut()
            .flat_map(|r| r.body.errors.drain(..))
            .map(Error::from)
            .collect();
        match Error::from_many(errors) {
            Some(error) => Err(error),
            None => Ok(rendered),
        }
    }

    /// With `missing-translations = "fallback"`: the articles other locales have and this one
    /// lacks, in the text of the source locale (or the first that has them).
    fn borrowed_articles<'a>(&'a self, locale: &'a Locale) -> Result<Vec<RenderedArticle<'a>>> {
        if self.config.site.missing_translations != MissingTranslations::Fallback {
            return Ok(Vec::new());
        }
        let mut borrowed = Vec::new();
        let own: HashSet<&str> = self
            .contents
            .iter()
            .filter(|c| c.locale.code == locale.code)
            .flat_map(|c| c.articles.iter().map(|a| a.rel_path.as_str()))
            .collect();
        for content in self.preferred_lenders() {
            if content.locale.code == locale.code {
                continue;
            }
            let lacking: Vec<Article> = content
                .articles
                .iter()
                .filter(|a| {
                    let key = group_key(a.front.exl_id.as_deref(), &a.rel_path);
                    let members = self.translations.members(&key);
                    !members.iter().any(|(code, _)| code == &locale.code)
                        && !own.contains(a.rel_path.as_str())
                })
                .filter(|a| {
                    !borrowed
                        .iter()
                        .any(|b: &RenderedArticle<'_>| b.article.rel_path == a.rel_path)
                })
                .cloned()
                .collect();
            if lacking.is_empty() {
                continue;
            }
            // Leaked for the lifetime of the renderer: borrowed articles are few.
            let lacking: &'a [Article] = Box::leak(lacking.into_boxed_slice());
            borrowed.extend(self.render_articles(locale, lacking, Some(&content.locale))?);
        }
        Ok(borrowed)
    }

    /// Locales to borrow from, best first: the source, then config order.
    fn preferred_lenders(&self) -> Vec<&LocaleContent> {
        let mut lenders: Vec<&LocaleContent> = self.contents.iter().collect();
        lenders
            .sort_by_key(|c| Some(c.locale.code.as_str()) != self.config.source_locale.as_deref());
        lenders
    }

    fn render_article<'a>(
        &self,
        article: &'a Article,
        ui: &(dyn Fn(&str) -> String + Sync),
        snippets: &Snippets,
        borrowed_from: Option<&'a Locale>,
    ) -> RenderedArticle<'a> {
        let rel = article.rel_path.as_str();
        let resolve = |dest: &str| urls::resolve_link(rel, dest);
        let ctx = RenderContext {
            shown_path: &article.shown_path,
            file_text: &article.text,
            body_offset: article.body_offset,
            locale: &article.locale,
            ui,
            resolve_link: &resolve,
            snippets,
            include_stack: &[],
            cache: &self.cache,
        };
        let body = markdown::render(article.body(), &ctx);
        let stem = rel
            .rsplit('/')
            .next()
            .unwrap_or(rel)
            .trim_end_matches(".md");
        let title_source = article
            .front
            .title
            .clone()
            .or_else(|| body.h1().map(str::to_owned))
            .unwrap_or_else(|| stem.to_owned());
        RenderedArticle {
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
            borrowed_from,
        }
    }

    fn article_page(
        &self,
        locale: &Locale,
        r: &RenderedArticle<'_>,
        nav: &Nav,
        titles: &BTreeMap<&str, &str>,
        table: &BTreeMap<String, String>,
    ) -> Result<Page> {
        let rel = r.article.rel_path.as_str();
        let url_dir = format!("{}/{}", locale.code, r.url);
        let common = self.common(locale, &url_dir, table);
        let home = common.home.clone();
        let link_to = |target: &str| -> Option<Link> {
            Some(Link {
                url: urls::relative(
                    &url_dir,
                    &format!("{}/{}", locale.code, urls::article_url(target)),
                ),
                title_html: (*titles.get(target)?).to_owned(),
            })
        };
        let (prev, next) = nav.neighbours(rel);
        let mut breadcrumbs = vec![Link {
            url: home.clone(),
            title_html: inline::escape(&table_get(table, "home")),
        }];
        for (title_html, id) in nav.trail(rel) {
            let url = match id {
                Some(id) => format!("{home}#{id}"),
                None => home.clone(),
            };
            breadcrumbs.push(Link {
                url,
                title_html: title_html.clone(),
            });
        }
        let key = group_key(r.article.front.exl_id.as_deref(), rel);
        let languages = self.languages(&key, locale, &url_dir, rel);
        let canonical = format!("{}{}", self.config.base_url, url_dir);
        let x_default = self.x_default(&key);
        let borrowed = r.borrowed_from.map(|lender| {
            let mut args = FluentArgs::new();
            args.set("language", locale.name.clone());
            args.set("original", lender.name.clone());
            Borrowed {
                lang: lender.tag.clone(),
                notice: self
                    .strings
                    .get(&locale.code, "fallback-notice", Some(&args)),
            }
        });
        let context = ArticleContext {
            title: r.title.clone(),
            title_html: r.title_html.clone(),
            description: r.description.clone(),
            body: r.body.html.clone(),
            has_h1: r.body.h1().is_some(),
            toc: r
                .body
                .headings
                .iter()
                .filter(|h| h.level == 2 || h.level == 3)
                .map(|h| TocEntry {
                    level: h.level,
                    id: h.id.clone(),
                    text: h.text.clone(),
                })
                .collect(),
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
            nav_url: urls::relative(&url_dir, &format!("{}/nav.html", locale.code)),
            common,
        };
        let html = self.templates.render("page.html", &context)?;
        Ok(Page {
            path: urls::index_file(&url_dir),
            html,
        })
    }

    /// The article in every locale that has it, this one marked.
    fn languages(&self, key: &str, locale: &Locale, url_dir: &str, rel: &str) -> Vec<LanguageLink> {
        let members = self.translations.members(key);
        self.config
            .locales
            .iter()
            .filter_map(|l| {
                let current = l.code == locale.code;
                let target_rel = if current {
                    rel
                } else {
                    members
                        .iter()
                        .find(|(code, _)| code == &l.code)
                        .map(|(_, rel)| rel.as_str())?
                };
                let target = format!("{}/{}", l.code, urls::article_url(target_rel));
                Some(LanguageLink {
                    code: l.code.clone(),
                    tag: l.tag.clone(),
                    name: l.name.clone(),
                    url: urls::relative(url_dir, &target),
                    href: format!("{}{}", self.config.base_url, target),
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
        rendered: &[RenderedArticle<'_>],
        tree: String,
        table: &BTreeMap<String, String>,
    ) -> Result<Page> {
        let url_dir = format!("{}/", locale.code);
        let intro = rendered
            .iter()
            .find(|r| r.article.rel_path == "index.md")
            .map(|r| r.body.html.clone())
            .unwrap_or_default();
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
        };
        Ok(Page {
            path: format!("{}/404.html", locale.code),
            html: self.templates.render("404.html", &context)?,
        })
    }

    /// The root page: the languages by name, with a redirect to the reader's best match; and
    /// the root 404 page.
    pub fn root_pages(&self, counts: &[(String, usize)]) -> Result<Vec<Page>> {
        let code = self.config.fallback_locale();
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
            t: &table,
        };
        let root = RootContext {
            common: common(String::new()),
            languages: languages.clone(),
        };
        let mut not_found_languages = languages;
        for l in &mut not_found_languages {
            l.url = format!("{}{}", self.base_path(), l.url);
        }
        let not_found = RootContext {
            common: common(self.base_path()),
            languages: not_found_languages,
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
            t: table,
        }
    }
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
        let label = match &node.article {
            Some(rel) => format!(
                "<a href=\"{}\">{}</a>",
                inline::escape(&urls::article_url(rel)),
                node.title_html
            ),
            None => format!("<span class=\"nav-section\">{}</span>", node.title_html),
        };
        let id = match (&node.id, home) {
            (Some(id), true) => format!(" id=\"{}\"", inline::escape(id)),
            _ => String::new(),
        };
        let visible_children = node.children.iter().any(|c| home || !c.hidden);
        if visible_children {
            let open = if home || depth == 0 { " open" } else { "" };
            html.push_str(&format!(
                "<li{id}><details{open}><summary>{label}</summary><ul>"
            ));
            push_nodes(html, &node.children, home, depth + 1);
            html.push_str("</ul></details></li>");
        } else {
            html.push_str(&format!("<li{id}>{label}</li>"));
        }
    }
}
