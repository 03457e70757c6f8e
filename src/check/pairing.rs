//! Pairing: what grouping the translations of each article found (the model groups them by
//! `exl-id`, else by path). Rules of this family: `duplicate-exl-id`, `path-mismatch`,
//! `missing-translation` (not for a locale the article says it does not exist in: `locales:`
//! in its front matter, `[site.only-in]` in tolk.toml), and `front-matter-invalid` for a
//! `locales:` that names a locale the site does not have.

use std::sync::Arc;

use super::{odd_ones, Doc, Finding, Related, Rule};
use crate::config::{Config, Locale};
use crate::model::{Group, Grouping};

/// The findings of the model's grouping ([`crate::model::groups`]).
pub fn check(config: &Config, docs: &[Doc], grouping: &Grouping) -> Vec<Finding> {
    let source = config.source_locale.as_deref();
    let mut findings = Vec::new();
    for &(other, primary) in &grouping.duplicates {
        let doc = &docs[other];
        let first = &docs[primary];
        let id = doc.article.front.exl_id.as_deref().unwrap_or_default();
        findings.push(
            Finding::at(
                Rule::DuplicateExlId,
                doc,
                doc.key_offset("exl-id"),
                0,
                format!(
                    "exl-id {id} is also the exl-id of {} in the same locale; it was paired with that one",
                    first.article.shown_path
                ),
            )
            .with_related(first, first.key_offset("exl-id")),
        );
    }
    for group in &grouping.groups {
        findings.extend(path_mismatch(docs, group, source));
        findings.extend(missing(config, docs, group));
    }
    findings.extend(unknown_locales(config, docs));
    findings
}

/// A `locales:` front matter key that names a locale the site does not have.
fn unknown_locales(config: &Config, docs: &[Doc]) -> Vec<Finding> {
    let codes: Vec<&str> = config.locales.iter().map(|l| l.code.as_str()).collect();
    let mut findings = Vec::new();
    for doc in docs {
        let listed = doc.article.front.locales.iter().flatten();
        for code in listed.filter(|c| !codes.contains(&c.as_str())) {
            findings.push(Finding::at(
                Rule::FrontMatterInvalid,
                doc,
                doc.key_offset("locales"),
                0,
                format!(
                    "locales lists `{code}`, which is not a locale of the site ({}): fix the code or remove it",
                    codes.join(", ")
                ),
            ));
        }
    }
    findings
}

fn path_mismatch(docs: &[Doc], group: &Group, source: Option<&str>) -> Vec<Finding> {
    let Some(id) = &group.exl_id else {
        return Vec::new();
    };
    let values: Vec<(usize, &str)> = group
        .members
        .iter()
        .map(|&i| (i, docs[i].article.rel_path.as_str()))
        .collect();
    let source_member = group
        .members
        .iter()
        .copied()
        .find(|&i| Some(docs[i].article.locale.as_str()) == source);
    odd_ones(&values, source_member)
        .into_iter()
        .map(|(i, reference)| {
            let doc = &docs[i];
            let other = &docs[reference];
            Finding::at(
                Rule::PathMismatch,
                doc,
                doc.key_offset("exl-id"),
                0,
                format!(
                    "this translation of exl-id {id} is at {}, but the {} one is at {}",
                    doc.article.rel_path, other.article.locale, other.article.rel_path
                ),
            )
            .with_related(other, other.key_offset("exl-id"))
        })
        .collect()
}

fn missing(config: &Config, docs: &[Doc], group: &Group) -> Vec<Finding> {
    let present: Vec<&str> = group
        .members
        .iter()
        .map(|&i| docs[i].article.locale.as_str())
        .collect();
    // An article that says which locales it exists in is missing from no other.
    let wanted = |code: &str| {
        group
            .members
            .iter()
            .all(|&i| docs[i].article.wanted_in(config, code))
    };
    let lacking: Vec<&Locale> = config
        .locales
        .iter()
        .filter(|l| !present.contains(&l.code.as_str()) && wanted(&l.code))
        .collect();
    if lacking.is_empty() {
        return Vec::new();
    }
    let related: Vec<Related> = group
        .members
        .iter()
        .map(|&i| docs[i].related(docs[i].key_offset("exl-id")))
        .collect();
    lacking
        .into_iter()
        .map(|locale| {
            let what = match &group.exl_id {
                Some(id) => format!("the article with exl-id {id}"),
                None => format!("the article {}", group.name),
            };
            let role = if config.source_locale.as_deref() == Some(locale.code.as_str()) {
                " (the source locale)"
            } else {
                ""
            };
            Finding {
                rule: Rule::MissingTranslation,
                severity: Rule::MissingTranslation.default_severity(),
                locale: locale.code.clone(),
                path: config
                    .display_path(&locale.content_dir.join(&group.name))
                    .into(),
                at: None,
                exl_id: group.exl_id.as_deref().map(Arc::from),
                article: group.name.as_str().into(),
                message: format!(
                    "{}{role} lacks {what}; it exists in {}",
                    locale.code,
                    present.join(", ")
                ),
                related: related.clone(),
                edits: Vec::new(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::model::{parse_article, Article};

    const A: &str = "4a911760-e3fe-4e77-b7aa-b08f9ea59d6a";
    const B: &str = "8c00751a-c706-4248-8266-87c457ce367f";

    fn article(locale: &str, rel: &str, id: Option<&str>) -> Article {
        let front = match id {
            Some(id) => format!("---\ntitle: t\nexl-id: {id}\n---\n"),
            None => "---\ntitle: t\n---\n".to_owned(),
        };
        parse_article(locale, rel, format!("content/{locale}/{rel}"), front)
    }

    fn config() -> Config {
        let toml = "source-locale = \"en\"\n[[locales]]\ncode = \"en\"\n[[locales]]\ncode = \"nl\"\n[[locales]]\ncode = \"fr\"\n";
        Config::parse(Path::new(""), "tolk.toml", toml).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn pairs_by_exl_id_then_by_path() {
        let articles = [
            article("en", "a.md", Some(A)),
            article("nl", "a.md", None),
            article("fr", "moved/a.md", Some(A)),
            article("en", "b.md", Some(B)),
            article("nl", "b.md", Some(B)),
            article("nl", "b-copy.md", Some(B)),
            article("fr", "only-fr.md", None),
        ];
        let refs: Vec<&Article> = articles.iter().collect();
        let grouping = crate::model::groups::group(&config(), &refs);
        let docs: Vec<Doc> = refs.iter().map(|a| Doc::new(a)).collect();
        let findings = check(&config(), &docs, &grouping);
        let members: Vec<(&str, Vec<usize>)> = grouping
            .groups
            .iter()
            .map(|g| (g.name.as_str(), g.members.clone()))
            .collect();
        assert_eq!(
            members,
            [
                ("a.md", vec![0, 1, 2]),
                ("b.md", vec![3, 4]),
                ("only-fr.md", vec![6])
            ]
        );
        let found: Vec<(Rule, &str, &str)> = findings
            .iter()
            .map(|f| (f.rule, f.locale.as_str(), &*f.path))
            .collect();
        assert_eq!(
            found,
            [
                (Rule::DuplicateExlId, "nl", "content/nl/b-copy.md"),
                (Rule::PathMismatch, "fr", "content/fr/moved/a.md"),
                (Rule::MissingTranslation, "fr", "content/fr/b.md"),
                (Rule::MissingTranslation, "en", "content/en/only-fr.md"),
                (Rule::MissingTranslation, "nl", "content/nl/only-fr.md"),
            ]
        );
        assert!(
            findings[3].message.contains("(the source locale)"),
            "{}",
            findings[3].message
        );
        assert_eq!(findings[2].related.len(), 2);
        assert!(findings[2].at.is_none());
    }
}
