//! Turns parsed content into pages: one per article, a home page per locale, the root page.
//!
//! Each page gets a context struct (what its template may use) and is rendered with the
//! site's templates. Article bodies are rendered in parallel.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use super::templates::Templates;
use super::urls;
use crate::config::{Config, Locale};
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
    /// UI strings of the page's locale.
    t: &'a BTreeMap<String, String>,
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
    articles: Vec<ListedArticle>,
}

#[derive(Debug, Clone, Serialize)]
struct ListedArticle {
    url: String,
    title_html: String,
    description: String,
    #[serde(skip)]
    sort_key: String,
}

#[derive(Debug, Serialize)]
struct RootContext<'a> {
    #[serde(flatten)]
    common: Common<'a>,
    languages: Vec<LanguageLink<'a>>,
}

#[derive(Debug, Serialize)]
struct LanguageLink<'a> {
    code: &'a str,
    tag: &'a str,
    name: &'a str,
    url: String,
    articles: usize,
}

/// Everything the page renderers share.
#[derive(Debug)]
pub struct Renderer<'a> {
    pub config: &'a Config,
    pub theme: &'a Theme,
    pub strings: &'a Strings,
    pub templates: &'a Templates,
}

/// An article rendered, before it goes into its template.
struct RenderedArticle<'a> {
    article: &'a Article,
    url: String,
    title: String,
    title_html: String,
    description: String,
    body: markdown::Rendered,
}

impl Renderer<'_> {
    /// Renders all pages of one locale: its articles and its home page.
    pub fn locale_pages(
        &self,
        content: &LocaleContent,
        warnings: &mut Vec<Warning>,
    ) -> Result<Vec<Page>> {
        let locale = &content.locale;
        let table = self.strings.table(self.theme, &locale.code);
        let ui = |id: &str| self.strings.get(&locale.code, id, None);
        let shown_dir = self.config.display_path(&locale.content_dir);
        let snippets = Snippets::load(&locale.content_dir, &shown_dir);
        let mut rendered: Vec<RenderedArticle<'_>> = content
            .articles
            .par_iter()
            .map(|article| self.render_article(article, &ui, &snippets))
            .collect();
        let errors: Vec<Error> = rendered
            .iter_mut()
            .flat_map(|r| r.body.errors.drain(..))
            .map(Error::from)
            .collect();
        if let Some(error) = Error::from_many(errors) {
            return Err(error);
        }

        let results: Vec<Result<Option<Page>>> = rendered
            .par_iter()
            .map(|r| {
                if r.article.rel_path == "index.md" {
                    return Ok(None);
                }
                let url_dir = format!("{}/{}", locale.code, r.url);
                let context = ArticleContext {
                    common: self.common(locale, &url_dir, &table),
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
                };
                let html = self.templates.render("page.html", &context)?;
                Ok(Some(Page {
                    path: urls::index_file(&url_dir),
                    html,
                }))
            })
            .collect();
        let mut pages = Vec::with_capacity(results.len() + 1);
        for result in results {
            pages.extend(result?);
        }
        for r in &rendered {
            warnings.extend(r.body.warnings.iter().cloned());
        }
        pages.push(self.home_page(locale, &rendered, &table)?);
        Ok(pages)
    }

    fn render_article<'a>(
        &self,
        article: &'a Article,
        ui: &(dyn Fn(&str) -> String + Sync),
        snippets: &Snippets,
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
        }
    }

    fn home_page(
        &self,
        locale: &Locale,
        rendered: &[RenderedArticle<'_>],
        table: &BTreeMap<String, String>,
    ) -> Result<Page> {
        let url_dir = format!("{}/", locale.code);
        let mut intro = String::new();
        let mut articles = Vec::with_capacity(rendered.len());
        for r in rendered {
            if r.article.rel_path == "index.md" {
                intro = r.body.html.clone();
                continue;
            }
            if r.article.front.hide {
                continue;
            }
            articles.push(ListedArticle {
                url: r.url.clone(),
                title_html: r.title_html.clone(),
                description: r.description.clone(),
                sort_key: deunicode::deunicode(&r.title).to_lowercase(),
            });
        }
        articles.sort_by(|a, b| a.sort_key.cmp(&b.sort_key).then_with(|| a.url.cmp(&b.url)));
        let context = HomeContext {
            common: self.common(locale, &url_dir, table),
            title: self.config.title.clone(),
            intro,
            articles,
        };
        Ok(Page {
            path: urls::index_file(&url_dir),
            html: self.templates.render("home.html", &context)?,
        })
    }

    /// The root page: the languages by name, with a redirect to the reader's best match.
    pub fn root_page(&self, counts: &[(String, usize)]) -> Result<Page> {
        let first = self.config.locales.first();
        let code = self
            .config
            .source_locale
            .as_deref()
            .or(first.map(|l| l.code.as_str()))
            .unwrap_or("en");
        let table = self.strings.table(self.theme, code);
        let languages = self
            .config
            .locales
            .iter()
            .map(|l| LanguageLink {
                code: &l.code,
                tag: &l.tag,
                name: &l.name,
                url: format!("{}/", l.code),
                articles: counts
                    .iter()
                    .find(|(c, _)| c == &l.code)
                    .map_or(0, |(_, n)| *n),
            })
            .collect();
        let lang = self.config.locale(code).map_or(code, |l| l.tag.as_str());
        let context = RootContext {
            common: Common {
                site_title: &self.config.title,
                lang,
                locale: "",
                root: String::new(),
                home: String::new(),
                t: &table,
            },
            languages,
        };
        Ok(Page {
            path: "index.html".to_owned(),
            html: self.templates.render("root.html", &context)?,
        })
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
            t: table,
        }
    }
}
