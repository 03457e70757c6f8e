//! Links: `link-target-mismatch` (a translation links elsewhere than its source, once locale
//! segments are normalized), `link-not-localized` (a translation links to another language's
//! version of a page) and `broken-link` (a relative `.md` link, `#anchor`, snippet or include
//! that does not exist).

use foldhash::{HashMap, HashSet};
use std::ops::Range;

use super::structure::{compare, Item};
use super::{Doc, Finding, Rule, View};
use crate::config::Locale;
use crate::locale::LocaleCode;
use crate::model::links::target_path;
use crate::model::outline::{Link, Outline};

/// Language codes that appear as URL segments (`/en/docs/`, `/fr-fr/`, `?lang=it`).
const LANGUAGES: &[&str] = &[
    "en", "nl", "fr", "it", "de", "es", "pt", "ja", "ko", "zh", "sv", "da", "nb", "no", "fi", "pl",
    "cs", "tr", "ru",
];

/// Every file of each locale (articles, navigation, assets), by path under the locale folder.
pub type Files<'s> = HashMap<LocaleCode, HashSet<&'s str>>;

pub fn check(site: &View<'_>, files: &Files<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for group in site.groups {
        findings.extend(compare(
            site,
            group,
            Rule::LinkTargetMismatch,
            ("link", "links and images"),
            targets,
            None,
        ));
    }
    let outlines: HashMap<(&str, &str), &Outline> = site
        .docs
        .iter()
        .filter_map(|d| {
            let o = d.outline?;
            Some(((d.article.locale.as_str(), d.article.rel_path.as_str()), o))
        })
        .collect();
    // With `missing-translations = "fallback"`, a page a locale lacks is published there in
    // another locale's text, unless the article says it does not exist in that locale.
    let mut by_rel: HashMap<&str, Vec<&crate::model::Article>> = HashMap::default();
    for doc in site.docs {
        by_rel
            .entry(doc.article.rel_path.as_str())
            .or_default()
            .push(doc.article);
    }
    let mut snippets: HashMap<&str, Option<HashSet<String>>> = HashMap::default();
    for doc in site.docs {
        let Some(outline) = &doc.outline else {
            continue;
        };
        let Some(locale) = site.config.locale(&doc.article.locale) else {
            continue;
        };
        if !site.is_source(&locale.code) {
            findings.extend(not_localized(doc, outline, locale));
        }
        let known = Known {
            site,
            files,
            outlines: &outlines,
            locale,
            by_rel: &by_rel,
        };
        findings.extend(broken(doc, outline, &known));
        let ids = snippets
            .entry(locale.code.as_str())
            .or_insert_with(|| snippet_ids(locale));
        findings.extend(broken_snippets(doc, outline, &known, ids.as_ref()));
    }
    findings
}

/// The link targets of an article, with the languages they name left out.
fn targets(outline: &Outline) -> Vec<Item<String>> {
    outline
        .links
        .iter()
        .map(|link| {
            // In-page anchors stay as written: ids are never translated (and a translated slug
            // is a broken link, reported as such).
            let key = if link.dest.starts_with('#') {
                link.dest.clone()
            } else {
                normalize(&link.dest)
            };
            Item {
                key,
                shown: ["`", &link.dest, "`"].concat(),
                offset: link.offset,
                len: link.len,
            }
        })
        .collect()
}

/// A language named in a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Mark {
    range: Range<usize>,
    /// The primary language, lowercase: `en`.
    language: String,
}

/// The locale segments of an absolute URL: `xx-yy` path segments, a first segment `xx`, and
/// `lang=` query values.
fn marks(url: &str) -> Vec<Mark> {
    let Some(scheme_end) = url.find("://") else {
        return Vec::new();
    };
    let host_end = url[scheme_end + 3..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| scheme_end + 3 + i);
    let path_end = url[host_end..]
        .find(['?', '#'])
        .map_or(url.len(), |i| host_end + i);
    let mut found = Vec::new();
    let mut offset = host_end;
    for (n, segment) in url[host_end..path_end].split('/').enumerate() {
        let lower = segment.to_ascii_lowercase();
        let bytes = lower.as_bytes();
        let language = if bytes.len() == 5
            && (bytes[2] == b'-' || bytes[2] == b'_')
            && bytes[3..].iter().all(u8::is_ascii_alphabetic)
        {
            Some(&lower[..2])
        } else if n == 1 && bytes.len() == 2 {
            Some(lower.as_str())
        } else {
            None
        };
        if let Some(language) = language.filter(|l| LANGUAGES.contains(l)) {
            found.push(Mark {
                range: offset..offset + segment.len(),
                language: language.to_owned(),
            });
        }
        offset += segment.len() + 1;
    }
    if path_end < url.len() && url[path_end..].starts_with('?') {
        let query_end = url[path_end..]
            .find('#')
            .map_or(url.len(), |i| path_end + i);
        let mut offset = path_end + 1;
        for pair in url[path_end + 1..query_end].split('&') {
            if let Some((name, value)) =
                pair.split_once('=').filter(|_| is_language_parameter(pair))
            {
                let language = value.get(..2).unwrap_or_default().to_ascii_lowercase();
                if LANGUAGES.contains(&language.as_str()) {
                    let start = offset + name.len() + 1;
                    found.push(Mark {
                        range: start..start + value.len(),
                        language,
                    });
                }
            }
            offset += pair.len() + 1;
        }
    }
    found
}

/// A URL without the languages it names: locale path segments and `lang=`-like query
/// parameters are dropped (translation adds them where the source has none), and so is a
/// trailing `/`.
fn normalize(url: &str) -> String {
    let mut normal = url.to_owned();
    for mark in marks(url).into_iter().rev() {
        let in_path = normal[..mark.range.start].ends_with('/');
        let start = if in_path {
            mark.range.start - 1
        } else {
            mark.range.start
        };
        normal.replace_range(start..mark.range.end, "");
    }
    let query_end = normal.find('#').unwrap_or(normal.len());
    let query_start = normal
        .find('?')
        .filter(|&q| q < query_end)
        .unwrap_or(query_end);
    let path = normal[..query_start].trim_end_matches('/');
    let kept: Vec<&str> = normal
        .get(query_start + 1..query_end)
        .unwrap_or_default()
        .split('&')
        .filter(|pair| !pair.is_empty() && !is_language_parameter(pair))
        .collect();
    let mut out = String::with_capacity(normal.len());
    out.push_str(path);
    for (i, pair) in kept.iter().enumerate() {
        out.push_str(if i == 0 { "?" } else { "&" });
        out.push_str(pair);
    }
    out.push_str(&normal[query_end..]);
    out
}

/// `lang=fr`, `profile.language=fr`, `locale=fr-FR`.
fn is_language_parameter(pair: &str) -> bool {
    let name = pair
        .split('=')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    name.contains("lang") || name.contains("locale")
}

fn not_localized(doc: &Doc, outline: &Outline, locale: &Locale) -> Vec<Finding> {
    let own = locale
        .code
        .split('-')
        .next()
        .unwrap_or(&locale.code)
        .to_ascii_lowercase();
    let mut findings = Vec::new();
    for link in &outline.links {
        let Some(mark) = marks(&link.dest).into_iter().find(|m| m.language != own) else {
            continue;
        };
        let written = link.dest.get(mark.range.clone()).unwrap_or_default();
        // Mirror the form written: `en-us` -> `nl-nl`, `en-US` -> `nl-NL`, `en` -> `nl`.
        let suggestion = match (written.get(2..3), written.get(3..)) {
            (Some(separator @ ("-" | "_")), Some(region)) => {
                let own_region = locale.code.split_once('-').map_or(own.as_str(), |(_, r)| r);
                let own_region = if region.chars().all(|c| c.is_ascii_uppercase()) {
                    own_region.to_ascii_uppercase()
                } else {
                    own_region.to_ascii_lowercase()
                };
                format!("{own}{separator}{own_region}")
            }
            _ => own.clone(),
        };
        findings.push(Finding::at(
            Rule::LinkNotLocalized,
            doc,
            link.offset,
            link.len,
            format!(
                "the link goes to the `{written}` version of {}; {} readers may have a `{suggestion}` version",
                host(&link.dest),
                locale.code
            ),
        ));
    }
    findings
}

fn host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', '?', '#']).next().unwrap_or(rest)
}

/// What broken-link checks need to know about the site.
struct Known<'a> {
    site: &'a View<'a>,
    files: &'a Files<'a>,
    outlines: &'a HashMap<(&'a str, &'a str), &'a Outline>,
    locale: &'a Locale,
    /// Every locale's articles, by path under the locale folders.
    by_rel: &'a HashMap<&'a str, Vec<&'a crate::model::Article>>,
}

impl Known<'_> {
    fn exists(&self, rel: &str) -> bool {
        let listed = self
            .files
            .get(&self.locale.code)
            .is_some_and(|f| f.contains(rel));
        listed || self.locale.content_dir.join(rel).is_file() || self.borrowed(rel)
    }

    /// Whether the build publishes another locale's article at `rel` in this locale
    /// (`missing-translations = "fallback"`, and the article does not limit its locales).
    fn borrowed(&self, rel: &str) -> bool {
        let config = self.site.config;
        let fallback =
            config.site.missing_translations == crate::config::MissingTranslations::Fallback;
        let code = self.locale.code.as_str();
        fallback
            && self.by_rel.get(rel).is_some_and(|articles| {
                articles.iter().any(|a| a.locale != code)
                    && articles.iter().all(|a| a.wanted_in(config, code))
            })
    }

    /// `; it exists only in en`: the locales an article at `rel` says it exists in.
    fn limited(&self, rel: &str) -> String {
        let config = self.site.config;
        self.by_rel
            .get(rel)
            .and_then(|articles| articles.iter().find_map(|a| a.only_in(config)))
            .map(|codes| format!("; the article exists only in {}", codes.join(", ")))
            .unwrap_or_default()
    }

    /// The other locales that have `rel`, for the message.
    fn elsewhere(&self, rel: &str) -> String {
        let others: Vec<&str> = self
            .site
            .config
            .locales
            .iter()
            .filter(|l| l.code != self.locale.code)
            .filter(|l| self.files.get(&l.code).is_some_and(|f| f.contains(rel)))
            .map(|l| l.code.as_str())
            .collect();
        if others.is_empty() {
            String::new()
        } else {
            format!(" (it exists in {})", others.join(", "))
        }
    }
}

fn broken(doc: &Doc, outline: &Outline, known: &Known<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    let locale = &known.locale.code;
    for link in outline.links.iter().filter(|l| !l.image) {
        let Some(problem) = link_problem(doc, outline, link, known) else {
            continue;
        };
        findings.push(Finding::at(
            Rule::BrokenLink,
            doc,
            link.offset,
            link.len,
            format!("the link `{}` {problem} in {locale}", link.dest),
        ));
    }
    findings
}

fn link_problem(doc: &Doc, outline: &Outline, link: &Link, known: &Known<'_>) -> Option<String> {
    let dest = link.dest.trim();
    if dest.is_empty() || dest.starts_with("//") || crate::model::links::has_scheme(dest) {
        return None;
    }
    let (path, fragment) = dest.split_once('#').unwrap_or((dest, ""));
    let path = path.split('?').next().unwrap_or(path);
    if path.is_empty() {
        let found = fragment.is_empty() || outline.anchors().any(|a| a == fragment);
        return (!found)
            .then(|| format!("leads to no heading: this article has no id `{fragment}`"));
    }
    if !path.to_ascii_lowercase().ends_with(".md") {
        return None;
    }
    let Some(target) = target_path(&doc.article.rel_path, path) else {
        return Some("leads out of the content folder".to_owned());
    };
    if !known.exists(&target) {
        return Some(format!(
            "leads to {target}, which does not exist{}{}",
            known.elsewhere(&target),
            known.limited(&target)
        ));
    }
    if fragment.is_empty() {
        return None;
    }
    let target_outline = known
        .outlines
        .get(&(known.locale.code.as_str(), target.as_str()))?;
    let found = target_outline.anchors().any(|a| a == fragment);
    (!found).then(|| format!("leads to no heading: {target} has no id `{fragment}`"))
}

fn broken_snippets(
    doc: &Doc,
    outline: &Outline,
    known: &Known<'_>,
    ids: Option<&HashSet<String>>,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for snippet in &outline.snippets {
        let problem = match snippet.text.strip_prefix("$include") {
            Some(path) => {
                let path = path.trim();
                match crate::markdown::snippets::include_path(path) {
                    Some(target) if known.exists(&target) => None,
                    Some(target) => Some(format!("includes {target}, which does not exist")),
                    None => Some(format!(
                        "includes {path}, which is outside the content folder"
                    )),
                }
            }
            None => {
                let id = snippet.text.as_str();
                let plausible = !id.is_empty()
                    && id
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
                match ids {
                    _ if !plausible => None,
                    Some(ids) if ids.contains(id) => None,
                    Some(_) => Some(format!(
                        "names the snippet `{id}`, which _includes/snippets.md does not have"
                    )),
                    None => Some(format!(
                        "names the snippet `{id}`, but there is no _includes/snippets.md"
                    )),
                }
            }
        };
        if let Some(problem) = problem {
            findings.push(Finding::at(
                Rule::BrokenLink,
                doc,
                snippet.offset,
                snippet.len,
                format!(
                    "`{{{{{}}}}}` {problem} in {}",
                    snippet.text, known.locale.code
                ),
            ));
        }
    }
    findings
}

/// The `{#id}`s of the sections of `_includes/snippets.md`, or `None` when it does not exist.
fn snippet_ids(locale: &Locale) -> Option<HashSet<String>> {
    // Only a regular file inside the content folder: never a FIFO, never a file elsewhere.
    let path = locale.content_dir.join("_includes/snippets.md");
    let text = crate::model::discover::read_inside(&path, &[&locale.content_dir]).ok()?;
    Some(
        crate::markdown::snippets::sections(&text)
            .into_iter()
            .map(|(id, _)| id)
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_locale_segments() {
        let cases = [
            (
                "https://learn.microsoft.com/en-us/office/x",
                "https://learn.microsoft.com/office/x",
            ),
            (
                "https://learn.microsoft.com/fr-FR/office/x",
                "https://learn.microsoft.com/office/x",
            ),
            (
                "https://experienceleague.adobe.com/en/docs/workfront",
                "https://experienceleague.adobe.com/docs/workfront",
            ),
            (
                "https://experienceleague.adobe.com/docs/x.html?lang=nl-NL#a",
                "https://experienceleague.adobe.com/docs/x.html#a",
            ),
            (
                "https://x.example/a?b=1&profile.language=fr",
                "https://x.example/a?b=1",
            ),
            (
                "https://status.adobe.com/nl-nl/",
                "https://status.adobe.com",
            ),
            ("https://status.adobe.com/it", "https://status.adobe.com"),
            ("https://x.example/a.html#t", "https://x.example/a.html#t"),
            (
                "https://example.com/docs/it/x",
                "https://example.com/docs/it/x",
            ),
            ("https://example.com/xx-yy/a", "https://example.com/xx-yy/a"),
            ("../a/it-it.md", "../a/it-it.md"),
        ];
        for (url, expected) in cases {
            assert_eq!(normalize(url), expected, "{url}");
        }
    }

    #[test]
    fn finds_languages_a_link_names() {
        let cases = [
            ("https://learn.microsoft.com/en-us/office/x", vec!["en"]),
            (
                "https://helpx.adobe.com/fr/enterprise/x.html?lang=fr",
                vec!["fr", "fr"],
            ),
            ("https://x.example/t5/p?profile.language=it", vec!["it"]),
            ("https://example.com/docs/it/x", vec![]),
            ("/help/a.md", vec![]),
        ];
        for (url, expected) in cases {
            let found: Vec<String> = marks(url).into_iter().map(|m| m.language).collect();
            assert_eq!(found, expected, "{url}");
        }
    }
}
