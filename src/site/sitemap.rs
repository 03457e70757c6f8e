//! `sitemap.xml` with `xhtml:link` alternates between translations, and `robots.txt`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::templates::{Html, Templates};
use crate::config::Config;
use crate::error::Result;
use crate::locale::LocaleCode;

#[derive(Debug, Serialize)]
struct SitemapContext {
    urls: Vec<SitemapUrl>,
}

#[derive(Debug, Serialize)]
struct SitemapUrl {
    loc: String,
    alternates: Vec<(String, String)>,
}

/// `pages`: for every locale (config order), its pages as `(group key, root-relative URL)`.
pub fn sitemap(
    config: &Config,
    pages: &[(LocaleCode, Vec<(String, String)>)],
    templates: &Templates,
) -> Result<Vec<u8>> {
    let base = config.base_url.trim_end_matches('/');
    let tag_of = |code: &str| {
        config
            .locale(code)
            .map_or(code.to_owned(), |l| l.tag.clone())
    };
    let mut by_group: BTreeMap<&str, Vec<(String, String)>> = BTreeMap::new();
    for (code, urls) in pages {
        for (key, url) in urls {
            by_group
                .entry(key.as_str())
                .or_default()
                .push((tag_of(code), format!("{base}{url}")));
        }
    }
    let mut entries = Vec::new();
    for (_, urls) in pages {
        for (key, url) in urls {
            let alternates = by_group.get(key.as_str()).cloned().unwrap_or_default();
            let alternates = if alternates.len() > 1 {
                alternates
            } else {
                Vec::new()
            };
            entries.push(SitemapUrl {
                loc: format!("{base}{url}"),
                alternates,
            });
        }
    }
    if templates.is_built_in("sitemap.xml") {
        return Ok(built_in(&entries));
    }
    templates.render("sitemap.xml", &SitemapContext { urls: entries })
}

/// The sitemap as the built-in `sitemap.xml` template makes it, written without tera (30,000
/// URLs with three alternates each at 10,000 x 3). `tests/site.rs` holds the two to the same
/// bytes.
fn built_in(urls: &[SitemapUrl]) -> Vec<u8> {
    let mut xml = Html::with_capacity(urls.len() * 400 + 256);
    xml.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n");
    for url in urls {
        xml.raw("<url><loc>");
        xml.text(&url.loc);
        xml.raw("</loc>");
        for (tag, href) in &url.alternates {
            xml.raw("<xhtml:link rel=\"alternate\" hreflang=\"");
            xml.text(tag);
            xml.raw("\" href=\"");
            xml.text(href);
            xml.raw("\"/>");
        }
        xml.raw("</url>\n");
    }
    xml.raw("</urlset>\n");
    xml.into_bytes()
}

pub fn robots(config: &Config) -> String {
    format!(
        "User-agent: *\nAllow: /\nSitemap: {}sitemap.xml\n",
        config.base_url
    )
}
