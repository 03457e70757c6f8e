//! Reads every article leniently: a file whose front matter is invalid becomes a
//! `front-matter-invalid` finding and stays in the check (paired by its path), instead of
//! stopping it as it stops a build. Only unreadable files stop the check.

use foldhash::{HashMap, HashSet};

use rayon::prelude::*;

use super::extract;
use super::{Doc, Finding, Rule};
use crate::config::{Config, Locale};
use crate::content::{self, discover, front_matter, Article, FrontMatter};
use crate::error::{offset_of, Error, Result};

/// The articles of a site and what reading them found.
#[derive(Debug, Default)]
pub struct Loaded<'a> {
    pub docs: Vec<Doc<'a>>,
    pub findings: Vec<Finding>,
    /// Every file of each locale (articles, navigation, assets), relative to its content folder.
    pub files: HashMap<String, HashSet<String>>,
}

pub fn load(config: &Config) -> Result<Loaded<'static>> {
    let mut loaded = Loaded::default();
    for locale in &config.locales {
        let shown_dir = config.display_path(&locale.content_dir);
        let files = discover::discover(locale, &config.root, &shown_dir)?;
        let read: Vec<Result<(Doc, Vec<Finding>)>> = files
            .articles
            .par_iter()
            .map(|rel| read_doc(config, locale, rel))
            .collect();
        for result in read {
            let (doc, findings) = result?;
            loaded.docs.push(doc);
            loaded.findings.extend(findings);
        }
        let all = files
            .articles
            .into_iter()
            .chain(files.navigation)
            .chain(files.assets)
            .collect();
        loaded.files.insert(locale.code.clone(), all);
    }
    Ok(loaded)
}

/// The docs of content a build has already read: the articles' outlines are extracted here,
/// their front matter is already parsed (a build stops on invalid front matter, so it is valid).
pub fn from_contents(contents: &[content::LocaleContent]) -> Loaded<'_> {
    let mut loaded = Loaded::default();
    for content in contents {
        let docs: Vec<(Doc, Vec<Finding>)> = content
            .articles
            .par_iter()
            .map(|article| {
                let outline = extract::outline(&article.text, article.body_offset);
                let doc = Doc {
                    article: std::borrow::Cow::Borrowed(article),
                    front_ok: true,
                    outline: Some(outline),
                };
                let findings = required_fields(&doc);
                (doc, findings)
            })
            .collect();
        for (doc, findings) in docs {
            loaded.docs.push(doc);
            loaded.findings.extend(findings);
        }
        let files = &content.files;
        let all = files
            .articles
            .iter()
            .chain(&files.navigation)
            .chain(&files.assets)
            .cloned()
            .collect();
        loaded.files.insert(content.locale.code.clone(), all);
    }
    loaded
}

fn read_doc(config: &Config, locale: &Locale, rel: &str) -> Result<(Doc<'static>, Vec<Finding>)> {
    let path = locale.content_dir.join(rel);
    let shown_path = config.display_path(&path);
    let text = content::read_text(&path, &shown_path)?;
    Ok(parse_doc(&locale.code, rel, shown_path, text))
}

/// Parses one article; invalid front matter becomes a finding.
pub fn parse_doc(
    locale: &str,
    rel: &str,
    shown_path: String,
    text: String,
) -> (Doc<'static>, Vec<Finding>) {
    let text = content::normalize_newlines(text);
    // Parsed before the text moves into the article, so the text is never copied.
    let parsed = front_matter::split(&shown_path, &text).and_then(|split| {
        front_matter::parse(&shown_path, &text, &split).map(|front| (front, split.body_offset))
    });
    let (front, body_offset, front_ok, error) = match parsed {
        Ok((front, body_offset)) => (front, body_offset, true, None),
        Err(e) => {
            let body_offset = front_matter::split(&shown_path, &text)
                .ok()
                .map(|s| s.body_offset);
            let known = body_offset.is_some();
            (
                FrontMatter::default(),
                body_offset.unwrap_or(text.len()),
                false,
                Some((e, known)),
            )
        }
    };
    let article = Article {
        locale: locale.to_owned(),
        rel_path: rel.to_owned(),
        shown_path,
        front,
        body_offset,
        text,
    };
    let body_known = error.as_ref().is_none_or(|(_, known)| *known);
    let outline = body_known.then(|| extract::outline(&article.text, article.body_offset));
    let doc = Doc {
        article: std::borrow::Cow::Owned(article),
        front_ok,
        outline,
    };
    let mut findings = Vec::new();
    match error {
        Some((e, _)) => findings.push(invalid(&doc, &e)),
        None => findings.extend(required_fields(&doc)),
    }
    (doc, findings)
}

/// A title and an exl-id are required of every article but a locale's home page introduction.
fn required_fields(doc: &Doc) -> Vec<Finding> {
    let mut findings = Vec::new();
    let is_home = doc.article.rel_path == "index.md";
    let front = &doc.article.front;
    if !is_home && front.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
        findings.push(Finding::at(
            Rule::FrontMatterInvalid,
            doc,
            0,
            0,
            "the article has no title: add `title:` to its front matter".to_owned(),
        ));
    }
    if !is_home && front.exl_id.is_none() {
        findings.push(Finding::at(
            Rule::FrontMatterInvalid,
            doc,
            0,
            0,
            "the article has no exl-id, so it is paired with its translations by its path; \
             copy the exl-id from another locale"
                .to_owned(),
        ));
    }
    findings
}

/// A front matter error as a finding at its position.
fn invalid(doc: &Doc, error: &Error) -> Finding {
    let text = &doc.article.text;
    match error {
        Error::Source(e) => {
            let offset = offset_of(text, e.location.line, e.location.column);
            let message = match &e.help {
                Some(help) => format!("{}; {help}", e.message),
                None => e.message.clone(),
            };
            Finding::at(Rule::FrontMatterInvalid, doc, offset, 0, message)
        }
        other => Finding::at(Rule::FrontMatterInvalid, doc, 0, 0, other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn findings(text: &str) -> (Doc<'static>, Vec<String>) {
        let (doc, findings) = parse_doc("nl", "a.md", "content/nl/a.md".into(), text.into());
        let messages = findings
            .iter()
            .map(|f| format!("{}: {}", f.location(), f.message))
            .collect();
        (doc, messages)
    }

    #[test]
    fn invalid_front_matter_is_a_finding_and_keeps_the_body() {
        let (doc, messages) = findings("---\ntitle: x\nexl-id: nope\n---\n# Kop\n");
        assert!(!doc.front_ok);
        assert!(
            messages[0].starts_with("content/nl/a.md:3:9: exl-id `nope` is not a UUID"),
            "{messages:?}"
        );
        assert_eq!(doc.outline.map(|o| o.headings.len()), Some(1));

        let (doc, messages) = findings("---\ntitle: x\n# never closed\n");
        assert!(doc.outline.is_none());
        assert!(
            messages[0].starts_with("content/nl/a.md:1:1: the front matter"),
            "{messages:?}"
        );
    }

    #[test]
    fn missing_title_and_exl_id_are_findings() {
        let cases = [
            ("---\nfeature: x\n---\n", 2),
            ("---\ntitle: x\n---\n", 1),
            (
                "---\ntitle: x\nexl-id: 4a911760-e3fe-4e77-b7aa-b08f9ea59d6a\n---\n",
                0,
            ),
            ("# no front matter\n", 2),
        ];
        for (text, expected) in cases {
            let (doc, messages) = findings(text);
            assert!(doc.front_ok, "{text:?}");
            assert_eq!(messages.len(), expected, "{text:?}: {messages:?}");
        }
        let (_, home) = parse_doc(
            "nl",
            "index.md",
            "content/nl/index.md".into(),
            "Welkom\n".into(),
        );
        assert!(home.is_empty());
    }
}
