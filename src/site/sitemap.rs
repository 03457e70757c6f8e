//! `sitemap.xml` with `xhtml:link` alternates between translations, and `robots.txt`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::templates::Templates;
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
    templates.render("sitemap.xml", &SitemapContext { urls: entries })
}

pub fn robots(config: &Config) -> String {
    format!(
        "User-agent: *\nAllow: /\nSitemap: {}sitemap.xml\n",
        config.base_url
    )
}
