//! Front matter that must agree across the translations of an article:
//! `source-commit-mismatch` (`source-git-commit`), `wordcount-mismatch` (`source-wordcount`) and
//! `metadata-mismatch` (the untranslated fields `feature`, `product-area`, `solution`, `role`,
//! `level`; `navigation-topic` is translated in Adobe's repositories, so it may differ). Also
//! `front-matter-invalid`: front matter the model could not parse, and articles without a title
//! or an exl-id.
//!
//! A translation made from another version of the source usually disagrees on both its
//! source commit and its word count: that is one cause, reported once, as a
//! `source-commit-mismatch` that names both.

use super::{odd_ones, Doc, Finding, Rule, View};
use crate::model::{FrontMatter, Group};

/// The untranslated fields compared by `metadata-mismatch`, with how to read each.
/// Reads one field of the front matter as text.
type Read = fn(&FrontMatter) -> Option<String>;

const FIELDS: &[(&str, Read)] = &[
    ("feature", |f| f.feature.clone()),
    ("product-area", |f| {
        (!f.product_area.is_empty()).then(|| f.product_area.join(";"))
    }),
    ("solution", |f| f.solution.clone()),
    ("role", |f| f.role.clone()),
    ("level", |f| f.level.clone()),
];

pub fn check(site: &View<'_>) -> Vec<Finding> {
    let mut findings = front_matter(site.docs, site.groups);
    for group in site.groups {
        let members: Vec<usize> = group
            .members
            .iter()
            .copied()
            .filter(|&i| site.docs[i].front_ok)
            .collect();
        if members.len() < 2 {
            continue;
        }
        let commits = translation_field(site, &members, "source-git-commit", |f| {
            f.source_git_commit.as_ref().map(|c| short(c).to_owned())
        });
        let counts = translation_field(site, &members, "source-wordcount", |f| {
            f.source_wordcount.map(|n| n.to_string())
        });
        findings.extend(one_per_cause(site, commits, counts));
        findings.extend(missing_source_fields(site, group, &members));
        let source = site.source_member(group).filter(|s| members.contains(s));
        for (key, read) in FIELDS {
            let values: Vec<(usize, Option<String>)> = members
                .iter()
                .map(|&i| (i, read(&site.docs[i].article.front)))
                .collect();
            for (i, reference) in odd_ones(&values, source) {
                let (doc, other) = (&site.docs[i], &site.docs[reference]);
                let show = |v: Option<String>| {
                    v.map_or_else(|| "nothing".to_owned(), |v| format!("`{v}`"))
                };
                findings.push(
                    Finding::at(
                        Rule::MetadataMismatch,
                        doc,
                        doc.key_offset(key),
                        0,
                        format!(
                            "{key} is {} here but {} in {}; it is not translated",
                            show(read(&doc.article.front)),
                            show(read(&other.article.front)),
                            other.article.locale
                        ),
                    )
                    .with_related(other, other.key_offset(key)),
                );
            }
        }
    }
    findings
}

/// How the translations of a group disagree on one field every translation carries about its
/// source (the source itself carries none, so it is not compared).
#[derive(Debug, Default)]
struct Disagreement<'k> {
    key: &'k str,
    /// `fr 9241928, it 9241928, nl 0f4dba4`.
    values: String,
    /// The members with a value, and the odd ones out (all of them when there is no majority).
    with_value: Vec<usize>,
    odd: Vec<usize>,
}

fn translation_field<'k>(
    site: &View<'_>,
    members: &[usize],
    key: &'k str,
    read: Read,
) -> Disagreement<'k> {
    let values: Vec<(usize, String)> = members
        .iter()
        .filter_map(|&i| read(&site.docs[i].article.front).map(|v| (i, v)))
        .collect();
    let odd: Vec<usize> = odd_ones(&values, None)
        .into_iter()
        .map(|(i, _)| i)
        .collect();
    let shown: Vec<String> = values
        .iter()
        .map(|(i, v)| format!("{} {v}", site.docs[*i].article.locale))
        .collect();
    Disagreement {
        key,
        values: shown.join(", "),
        with_value: values.iter().map(|(i, _)| *i).collect(),
        odd,
    }
}

/// One finding per odd translation: a `source-commit-mismatch` naming both fields when it
/// differs on both, else one of the field's own rule.
fn one_per_cause(site: &View<'_>, commits: Disagreement, counts: Disagreement) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut odd: Vec<usize> = commits.odd.iter().chain(&counts.odd).copied().collect();
    odd.sort_unstable();
    odd.dedup();
    for i in odd {
        let doc: &Doc = &site.docs[i];
        let (in_commits, in_counts) = (commits.odd.contains(&i), counts.odd.contains(&i));
        let (rule, field, message) = match (in_commits, in_counts) {
            (true, true) => (
                Rule::SourceCommitMismatch,
                &commits,
                format!(
                    "made from another version of the source (source-git-commit: {}; source-wordcount: {})",
                    commits.values, counts.values
                ),
            ),
            (true, false) => (Rule::SourceCommitMismatch, &commits, disagree(&commits)),
            _ => (Rule::WordcountMismatch, &counts, disagree(&counts)),
        };
        let mut finding = Finding::at(rule, doc, doc.key_offset(field.key), 0, message);
        for &j in field.with_value.iter().filter(|&&j| j != i) {
            finding = finding.with_related(&site.docs[j], site.docs[j].key_offset(field.key));
        }
        findings.push(finding);
    }
    findings
}

/// The fields a translation carries about the source it was made from, with how to read and
/// write each, and the rule that reports a translation lacking it.
const SOURCE_FIELDS: &[(&str, Read, Rule)] = &[
    (
        "source-git-commit",
        |f| f.source_git_commit.clone(),
        Rule::SourceCommitMismatch,
    ),
    (
        "source-wordcount",
        |f| f.source_wordcount.map(|n| format!("'{n}'")),
        Rule::WordcountMismatch,
    ),
];

/// A translation without `source-git-commit` or `source-wordcount` whose group agrees on one
/// (the source or pivot article's, or the one every other translation carries): a finding
/// whose fix adds the line, after the `exl-id` line (else at the top of the front matter).
fn missing_source_fields(site: &View<'_>, group: &Group, members: &[usize]) -> Vec<Finding> {
    let source = site.source_member(group);
    let mut findings = Vec::new();
    for (key, read, rule) in SOURCE_FIELDS {
        let values: Vec<(usize, String)> = members
            .iter()
            .filter_map(|&i| read(&site.docs[i].article.front).map(|v| (i, v)))
            .collect();
        let group_value = match values.iter().find(|(i, _)| Some(*i) == source) {
            Some((_, v)) => v,
            None => match values.first() {
                Some((_, v)) if values.iter().all(|(_, w)| w == v) => v,
                _ => continue,
            },
        };
        for &i in members.iter().filter(|&&i| Some(i) != source) {
            let doc = &site.docs[i];
            if read(&doc.article.front).is_some() {
                continue;
            }
            let Some(at) = insertion_point(doc) else {
                continue;
            };
            let shown = group_value.trim_matches('\'');
            let mut finding = Finding::at(
                *rule,
                doc,
                at,
                0,
                format!(
                    "the article has no {key}; the group's is {shown}: add `{key}: {group_value}`"
                ),
            );
            finding.edits.push(crate::model::Edit {
                range: at..at,
                replacement: format!("{key}: {group_value}{}", line_end(&doc.article.text, at)),
            });
            findings.push(finding);
        }
    }
    findings
}

/// Where a line is added to the front matter of `doc`: after its `exl-id` line, else at the
/// start of its YAML. `None` when it has no front matter.
fn insertion_point(doc: &Doc) -> Option<usize> {
    let text = &doc.article.text;
    let split = crate::model::front_matter::split(&doc.article.shown_path, text).ok()?;
    if split.yaml_offset == 0 && split.yaml.is_empty() {
        return None;
    }
    match doc.article.front.key_offsets.get("exl-id") {
        Some(key) => {
            let end = text[key..].find('\n').map(|n| key + n + 1)?;
            Some(end.min(split.yaml_offset + split.yaml.len()))
        }
        None => Some(split.yaml_offset),
    }
}

/// The line ending of the line before `at` in `text`: `\r\n` or `\n`.
fn line_end(text: &str, at: usize) -> &'static str {
    if text[..at].ends_with("\r\n") {
        "\r\n"
    } else {
        "\n"
    }
}

fn disagree(field: &Disagreement) -> String {
    format!(
        "the translations disagree on {} ({}): this one was made from another version of the source",
        field.key, field.values
    )
}

/// The first 7 characters of a commit id, as git shows it.
fn short(commit: &str) -> &str {
    commit.get(..7).unwrap_or(commit)
}

/// `front-matter-invalid`: the mistakes the model kept with each article, and the title and
/// exl-id every article but a locale's home page introduction needs.
pub fn front_matter(docs: &[Doc], groups: &[Group]) -> Vec<Finding> {
    let mut group_id: Vec<Option<&str>> = vec![None; docs.len()];
    for group in groups {
        for &i in &group.members {
            group_id[i] = group.exl_id.as_deref();
        }
    }
    let mut findings = Vec::new();
    for (doc, group_id) in docs.iter().zip(group_id) {
        if let Some(problem) = &doc.article.front_problem {
            findings.push(Finding::at(
                Rule::FrontMatterInvalid,
                doc,
                problem.offset,
                0,
                problem.message.clone(),
            ));
            continue;
        }
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
            let message = match group_id {
                Some(id) => format!(
                    "the article has no exl-id; it was paired by its path with the translations \
                     of exl-id {id}: add `exl-id: {id}` to its front matter"
                ),
                None => "the article has no exl-id, so it is paired with its translations by its \
                         path; copy the exl-id from another locale"
                    .to_owned(),
            };
            findings.push(Finding::at(Rule::FrontMatterInvalid, doc, 0, 0, message));
        }
    }
    findings
}

#[cfg(test)]
mod front_matter_tests {
    use super::*;
    use crate::model::{parse_article, Article};

    fn findings(text: &str) -> (Article, Vec<String>) {
        let article = parse_article("nl", "a.md", "content/nl/a.md".into(), text.into());
        let doc = Doc::new(&article);
        let messages = front_matter(&[doc], &[])
            .iter()
            .map(|f| format!("{}: {}", f.location(), f.message))
            .collect();
        (article, messages)
    }

    #[test]
    fn invalid_front_matter_is_a_finding_and_keeps_the_body() {
        let (article, messages) = findings("---\ntitle: x\nexl-id: nope\n---\n# Kop\n");
        assert!(article.front_problem.is_some());
        assert!(
            messages[0].starts_with("content/nl/a.md:3:9: exl-id `nope` is not a UUID"),
            "{messages:?}"
        );
        assert_eq!(article.outline().map(|o| o.headings.len()), Some(1));

        let (article, messages) = findings("---\ntitle: x\n# never closed\n");
        assert!(article.outline().is_none());
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
            let (article, messages) = findings(text);
            assert!(article.front_problem.is_none(), "{text:?}");
            assert_eq!(messages.len(), expected, "{text:?}: {messages:?}");
        }
        let home = parse_article(
            "nl",
            "index.md",
            "content/nl/index.md".into(),
            "Welkom\n".into(),
        );
        assert!(front_matter(&[Doc::new(&home)], &[]).is_empty());
    }

    #[test]
    fn an_article_paired_by_path_is_told_its_groups_exl_id() {
        let id = "4a911760-e3fe-4e77-b7aa-b08f9ea59d6a";
        let article = parse_article(
            "nl",
            "a.md",
            "content/nl/a.md".into(),
            "---\ntitle: x\n---\n".into(),
        );
        let group = Group {
            exl_id: Some(id.to_owned()),
            name: "a.md".to_owned(),
            members: vec![0],
        };
        let found = front_matter(&[Doc::new(&article)], &[group]);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].message.contains(&format!("add `exl-id: {id}`")),
            "{}",
            found[0].message
        );
    }
}
