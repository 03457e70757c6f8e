//! Front matter that must agree across the translations of an article:
//! `source-commit-mismatch` (`source-git-commit`), `wordcount-mismatch` (`source-wordcount`) and
//! `metadata-mismatch` (the untranslated fields `feature`, `product-area`, `navigation-topic`,
//! `solution`, `role`, `level`).
//!
//! A translation made from another version of the source usually disagrees on both its
//! source commit and its word count: that is one cause, reported once, as a
//! `source-commit-mismatch` that names both.

use super::{odd_ones, Doc, Finding, Rule, Site};
use crate::content::FrontMatter;

/// The untranslated fields compared by `metadata-mismatch`, with how to read each.
/// Reads one field of the front matter as text.
type Read = fn(&FrontMatter) -> Option<String>;

const FIELDS: &[(&str, Read)] = &[
    ("feature", |f| f.feature.clone()),
    ("product-area", |f| {
        (!f.product_area.is_empty()).then(|| f.product_area.join(";"))
    }),
    ("navigation-topic", |f| f.navigation_topic.clone()),
    ("solution", |f| f.solution.clone()),
    ("role", |f| f.role.clone()),
    ("level", |f| f.level.clone()),
];

pub fn check(site: &Site<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
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
    site: &Site<'_>,
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
fn one_per_cause(site: &Site<'_>, commits: Disagreement, counts: Disagreement) -> Vec<Finding> {
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
