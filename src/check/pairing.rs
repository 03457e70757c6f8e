//! Pairing: the translations of one article share an `exl-id`, so articles are grouped by it
//! across locales. An article without one is paired by its path (the real corpus keeps the same
//! path in every locale). Rules of this family: `duplicate-exl-id`, `path-mismatch`,
//! `missing-translation`.

use std::collections::BTreeMap;

use foldhash::HashMap;

use super::{odd_ones, Doc, Finding, Related, Rule};
use crate::config::Config;

/// The translations of one article: at most one article per locale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub exl_id: Option<String>,
    /// The article's path under the locale folders: the source's, else the most common one.
    pub name: String,
    /// Indices into the docs, in the config's locale order.
    pub members: Vec<usize>,
}

/// Groups `docs` into translation groups and reports what pairing found.
pub fn pair(config: &Config, docs: &[Doc]) -> (Vec<Group>, Vec<Finding>) {
    let locale_index = |code: &str| config.locales.iter().position(|l| l.code == code);
    let source = config.source_locale.as_deref();
    let mut findings = Vec::new();
    let mut groups: Vec<Group> = Vec::new();

    let mut by_id: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut without_id = Vec::new();
    for (i, doc) in docs.iter().enumerate() {
        match &doc.article.front.exl_id {
            Some(id) => by_id.entry(id.as_str()).or_default().push(i),
            None => without_id.push(i),
        }
    }
    for (id, list) in by_id {
        let common = common_path(docs, &list, source);
        let mut members: Vec<usize> = Vec::new();
        for locale in &config.locales {
            let mine: Vec<usize> = list
                .iter()
                .copied()
                .filter(|&i| docs[i].article.locale == locale.code)
                .collect();
            let Some(&primary) = mine
                .iter()
                .find(|&&i| docs[i].article.rel_path == common)
                .or(mine.first())
            else {
                continue;
            };
            members.push(primary);
            for &other in mine.iter().filter(|&&i| i != primary) {
                let doc = &docs[other];
                let first = &docs[primary];
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
        }
        groups.push(Group {
            exl_id: Some(id.to_owned()),
            name: common,
            members,
        });
    }

    // Articles without an exl-id join the group that has their path and lacks their locale.
    let mut by_path: HashMap<String, Vec<usize>> = HashMap::default();
    for (g, group) in groups.iter().enumerate() {
        for &i in &group.members {
            by_path
                .entry(docs[i].article.rel_path.clone())
                .or_default()
                .push(g);
        }
    }
    for i in without_id {
        let article = &docs[i].article;
        let lacks_locale = |g: &usize| {
            !groups[*g]
                .members
                .iter()
                .any(|&m| docs[m].article.locale == article.locale)
        };
        let found = by_path
            .get(&article.rel_path)
            .and_then(|gs| gs.iter().copied().find(lacks_locale));
        match found {
            Some(g) => groups[g].members.push(i),
            None => {
                by_path
                    .entry(article.rel_path.clone())
                    .or_default()
                    .push(groups.len());
                groups.push(Group {
                    exl_id: None,
                    name: article.rel_path.clone(),
                    members: vec![i],
                });
            }
        }
    }
    for group in &mut groups {
        group
            .members
            .sort_by_key(|&i| locale_index(&docs[i].article.locale));
        if group.exl_id.is_none() {
            group.name = common_path(docs, &group.members, source);
        }
    }
    groups.sort_by(|a, b| (&a.name, &a.exl_id).cmp(&(&b.name, &b.exl_id)));

    for group in &groups {
        findings.extend(path_mismatch(docs, group, source));
        findings.extend(missing(config, docs, group));
    }
    (groups, findings)
}

/// The path most members have; the source's path wins a tie.
fn common_path(docs: &[Doc], members: &[usize], source: Option<&str>) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for &i in members {
        *counts.entry(docs[i].article.rel_path.as_str()).or_default() += 1;
    }
    let source_path = members
        .iter()
        .find(|&&i| Some(docs[i].article.locale.as_str()) == source)
        .map(|&i| docs[i].article.rel_path.as_str());
    let best = counts.values().copied().max().unwrap_or(0);
    source_path
        .filter(|p| counts.get(p) == Some(&best))
        .or_else(|| counts.iter().find(|(_, n)| **n == best).map(|(p, _)| *p))
        .unwrap_or_default()
        .to_owned()
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
    let related: Vec<Related> = group
        .members
        .iter()
        .map(|&i| docs[i].related(docs[i].key_offset("exl-id")))
        .collect();
    config
        .locales
        .iter()
        .filter(|l| !present.contains(&l.code.as_str()))
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
                path: config.display_path(&locale.content_dir.join(&group.name)),
                at: None,
                exl_id: group.exl_id.clone(),
                article: group.name.clone(),
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
    use crate::check::load::parse_doc;

    const A: &str = "4a911760-e3fe-4e77-b7aa-b08f9ea59d6a";
    const B: &str = "8c00751a-c706-4248-8266-87c457ce367f";

    fn doc(locale: &str, rel: &str, id: Option<&str>) -> Doc<'static> {
        let front = match id {
            Some(id) => format!("---\ntitle: t\nexl-id: {id}\n---\n"),
            None => "---\ntitle: t\n---\n".to_owned(),
        };
        parse_doc(locale, rel, format!("content/{locale}/{rel}"), front).0
    }

    fn config() -> Config {
        let toml = "source-locale = \"en\"\n[[locales]]\ncode = \"en\"\n[[locales]]\ncode = \"nl\"\n[[locales]]\ncode = \"fr\"\n";
        Config::parse(Path::new(""), "tolk.toml", toml).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn pairs_by_exl_id_then_by_path() {
        let docs = [
            doc("en", "a.md", Some(A)),
            doc("nl", "a.md", None),
            doc("fr", "moved/a.md", Some(A)),
            doc("en", "b.md", Some(B)),
            doc("nl", "b.md", Some(B)),
            doc("nl", "b-copy.md", Some(B)),
            doc("fr", "only-fr.md", None),
        ];
        let (groups, findings) = pair(&config(), &docs);
        let members: Vec<(&str, Vec<usize>)> = groups
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
            .map(|f| (f.rule, f.locale.as_str(), f.path.as_str()))
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
