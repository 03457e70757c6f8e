//! The built-in article page (`templates/page.html` on `templates/base.html`), written straight
//! into its bytes when the site keeps both templates as tolk ships them.
//!
//! Through tera, an article page of the bench corpus cost 130,000 instructions: its context made
//! into tera values, then the template interpreted. Written here it costs under 17,000; the
//! difference was 7% of a whole build. The bytes are the template's to the last newline:
//! `tests/site.rs` builds a corpus once this way and once with the two templates copied into
//! the site (which sends the pages through tera) and compares every page. A change to either
//! template must be made here too; that test fails until it is.

use std::collections::BTreeMap;

use super::{ArticleContext, Common, Link};
use crate::markdown::escape::html_escape;
use crate::site::templates::Html;

/// The UI strings the two templates show, escaped once per locale. A locale's table must hold
/// them all for its pages to be written here (tera would stop the build at a missing one).
#[derive(Debug)]
pub(super) struct Strings {
    skip_to_content: String,
    search: String,
    search_placeholder: String,
    search_results: String,
    search_no_results: String,
    search_more: String,
    language_switcher: String,
    languages: String,
    sidebar: String,
    nav_all: String,
    breadcrumbs: String,
    on_this_page: String,
    pager: String,
    previous: String,
    next: String,
    footer: String,
}

impl Strings {
    /// The strings of `table`, or `None` if it lacks one.
    pub(super) fn new(table: &BTreeMap<String, String>) -> Option<Strings> {
        let get = |id: &str| table.get(id).map(|text| html_escape(text));
        Some(Strings {
            skip_to_content: get("skip-to-content")?,
            search: get("search")?,
            search_placeholder: get("search-placeholder")?,
            search_results: get("search-results")?,
            search_no_results: get("search-no-results")?,
            search_more: get("search-more")?,
            language_switcher: get("language-switcher")?,
            languages: get("languages")?,
            sidebar: get("sidebar")?,
            nav_all: get("nav-all")?,
            breadcrumbs: get("breadcrumbs")?,
            on_this_page: get("on-this-page")?,
            pager: get("pager")?,
            previous: get("previous")?,
            next: get("next")?,
            footer: get("footer")?,
        })
    }
}

/// What the built-in page is given to start with: the bench corpus's pages are 9 to 14 KB.
const PAGE_CAPACITY: usize = 16 * 1024;

/// The page, as `page.html` renders it with the UI strings `t`.
pub(super) fn article(c: &Common<'_>, a: &ArticleContext<'_>, t: &Strings) -> Vec<u8> {
    let mut w = Html::with_capacity(PAGE_CAPACITY.max(a.body.len() + 4096));
    let searchable = c.search && !c.locale.is_empty();
    w.raw("<!doctype html>\n<html lang=\"");
    w.text(c.lang);
    w.raw("\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    w.text(&a.title);
    w.raw(" | ");
    w.text(c.site_title);
    w.raw("</title>\n");
    // block meta
    if !a.description.is_empty() {
        w.raw("<meta name=\"description\" content=\"");
        w.text(&a.description);
        w.raw("\">\n");
    }
    w.raw("<link rel=\"canonical\" href=\"");
    w.text(&a.canonical);
    w.raw("\">\n");
    if a.borrowed.is_some() {
        w.raw("<meta name=\"robots\" content=\"noindex\">\n");
    } else {
        for language in &a.languages {
            w.raw("<link rel=\"alternate\" hreflang=\"");
            w.text(&language.tag);
            w.raw("\" href=\"");
            w.text(&language.href);
            w.raw("\">\n");
        }
        if let Some(x_default) = a.x_default.as_deref().filter(|x| !x.is_empty()) {
            w.raw("<link rel=\"alternate\" hreflang=\"x-default\" href=\"");
            w.text(x_default);
            w.raw("\">\n");
        }
    }
    // end of block meta
    w.raw("\n<link rel=\"stylesheet\" href=\"");
    w.text(&c.root);
    w.raw("static/tolk.css\">\n<link rel=\"stylesheet\" href=\"");
    w.text(&c.root);
    w.raw("static/syntax.css\">\n");
    if searchable {
        w.raw("<script src=\"");
        w.text(&c.root);
        w.raw("static/search.js\" defer></script>");
    }
    w.raw("\n<script src=\"");
    w.text(&c.root);
    w.raw(
        "static/tolk.js\" defer></script>\n</head>\n<body>\n<a class=\"skip-link\" href=\"#main\">",
    );
    w.raw(&t.skip_to_content);
    w.raw("</a>\n<header class=\"site-header\">\n  <a class=\"site-title\" href=\"");
    if c.locale.is_empty() {
        w.raw("./");
    } else {
        w.text(&c.home);
    }
    w.raw("\">");
    w.text(c.site_title);
    w.raw("</a>\n  ");
    if searchable {
        w.raw("<div class=\"site-search\" id=\"search\" role=\"search\" aria-label=\"");
        w.raw(&t.search);
        w.raw("\" data-index=\"");
        w.text(&c.root);
        w.raw("search/");
        w.text(c.locale);
        w.raw("/\" data-root=\"");
        w.text(&c.root);
        w.raw("\" data-placeholder=\"");
        w.raw(&t.search_placeholder);
        w.raw("\" data-results=\"");
        w.raw(&t.search_results);
        w.raw("\" data-no-results=\"");
        w.raw(&t.search_no_results);
        w.raw("\" data-more=\"");
        w.raw(&t.search_more);
        w.raw("\"></div>");
    }
    // block languages
    w.raw("\n  \n");
    if a.languages.len() > 1 {
        w.raw("<nav class=\"language-switcher\" aria-label=\"");
        w.raw(&t.language_switcher);
        w.raw("\">\n  <ul>");
        for language in &a.languages {
            w.raw("<li>");
            if language.current {
                w.raw("<span aria-current=\"true\" lang=\"");
                w.text(&language.tag);
                w.raw("\">");
                w.text(&language.name);
                w.raw("</span>");
            } else {
                w.raw("<a href=\"");
                w.text(&language.url);
                w.raw("\" hreflang=\"");
                w.text(&language.tag);
                w.raw("\" lang=\"");
                w.text(&language.tag);
                w.raw("\" data-locale=\"");
                w.text(&language.code);
                w.raw("\">");
                w.text(&language.name);
                w.raw("</a>");
            }
            w.raw("</li>");
        }
        w.raw("</ul>\n</nav>");
    } else {
        w.raw("<a class=\"site-languages\" href=\"");
        w.text(&c.root);
        w.raw("\">");
        w.raw(&t.languages);
        w.raw("</a>");
    }
    // end of block languages; block body
    w.raw("\n\n</header>\n\n<div class=\"page-layout\">\n<nav class=\"sidebar\" aria-label=\"");
    w.raw(&t.sidebar);
    w.raw("\" data-nav=\"");
    w.text(&a.nav_url);
    w.raw("\" data-home=\"");
    w.text(&c.home);
    w.raw("\">\n  <a class=\"sidebar-all\" href=\"");
    w.text(&c.home);
    w.raw("\">");
    w.raw(&t.nav_all);
    w.raw("</a>\n</nav>\n<main id=\"main\">\n<nav class=\"breadcrumbs\" aria-label=\"");
    w.raw(&t.breadcrumbs);
    w.raw("\"><ol>");
    for crumb in &a.breadcrumbs {
        w.raw("<li><a href=\"");
        w.text(&crumb.url);
        w.raw("\">");
        w.raw(&crumb.title_html);
        w.raw("</a></li>");
    }
    w.raw("</ol></nav>\n");
    if let Some(borrowed) = &a.borrowed {
        w.raw("<p class=\"notice notice-borrowed\" role=\"note\">");
        w.text(&borrowed.notice);
        w.raw("</p>");
    }
    w.raw("\n");
    if let Some(banner) = a.banner.as_deref().filter(|b| !b.is_empty()) {
        w.raw("<p class=\"notice notice-mt\" role=\"note\" data-notice=\"machine-translation\">");
        w.raw(banner);
        w.raw("</p>");
    }
    w.raw("\n");
    if let Some(outdated) = a.outdated.as_deref().filter(|o| !o.is_empty()) {
        w.raw("<p class=\"notice notice-outdated\" role=\"note\" data-notice=\"outdated\">");
        w.text(outdated);
        w.raw("</p>");
    }
    w.raw("\n<div class=\"article-layout\">\n<article class=\"article\"");
    if let Some(borrowed) = &a.borrowed {
        w.raw(" lang=\"");
        w.text(&borrowed.lang);
        w.raw("\"");
    }
    w.raw(">\n");
    if !a.has_h1 {
        w.raw("<h1>");
        w.raw(&a.title_html);
        w.raw("</h1>");
    }
    w.raw("\n");
    w.raw(a.body);
    w.raw("\n</article>\n");
    if a.toc.len() > 1 {
        w.raw("\n<nav class=\"toc\" aria-labelledby=\"toc-title\">\n  <p id=\"toc-title\" class=\"toc-title\">");
        w.raw(&t.on_this_page);
        w.raw("</p>\n  <ul>\n  ");
        for entry in &a.toc {
            w.raw("<li class=\"toc-h");
            w.number(usize::from(entry.level));
            w.raw("\"><a href=\"#");
            w.text(&entry.id);
            w.raw("\">");
            w.text(&entry.text);
            w.raw("</a></li>\n  ");
        }
        w.raw("</ul>\n</nav>\n");
    }
    w.raw("\n</div>\n");
    if a.prev.is_some() || a.next.is_some() {
        w.raw("<nav class=\"pager\" aria-label=\"");
        w.raw(&t.pager);
        w.raw("\">\n");
        if let Some(prev) = &a.prev {
            pager_link(&mut w, "prev", prev, &t.previous);
        }
        w.raw("\n");
        if let Some(next) = &a.next {
            pager_link(&mut w, "next", next, &t.next);
        }
        w.raw("\n</nav>");
    }
    w.raw("\n</main>\n</div>\n\n<footer class=\"site-footer\">");
    w.raw(&t.footer);
    w.raw("</footer>\n</body>\n</html>\n");
    w.into_bytes()
}

/// `<a class="pager-next" rel="next" ...>`: the link to the previous or next page.
fn pager_link(w: &mut Html, rel: &str, link: &Link, label: &str) {
    w.raw("<a class=\"pager-");
    w.raw(rel);
    w.raw("\" rel=\"");
    w.raw(rel);
    w.raw("\" href=\"");
    w.text(&link.url);
    w.raw("\"><span>");
    w.raw(label);
    w.raw("</span>");
    w.raw(&link.title_html);
    w.raw("</a>");
}
