//! Front matter that must agree across the translations of an article:
//! `source-commit-mismatch` (`source-git-commit`), `wordcount-mismatch` (`source-wordcount`) and
//! `metadata-mismatch` (the untranslated fields `feature`, `product-area`, `navigation-topic`,
//! `solution`, `role`, `level`).

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
        findings.extend(translation_field(
            site,
            &members,
            Rule::SourceCommitMismatch,
            "source-git-commit",
            |f| f.source_git_commit.as_ref().map(|c| short(c).to_owned()),
        ));
        findings.extend(translation_field(
            site,
            &members,
            Rule::WordcountMismatch,
            "source-wordcount",
            |f| f.source_wordcount.map(|n| n.to_string()),
        ));
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

/// A field every translation carries about its source: the odd ones out are reported (all of
/// them when there is no majority). The source itself carries none, so it is not compared.
fn translation_field(
    site: &Site<'_>,
    members: &[usize],
    rule: Rule,
    key: &str,
    read: Read,
) -> Vec<Finding> {
    let values: Vec<(usize, String)> = members
        .iter()
        .filter_map(|&i| read(&site.docs[i].article.front).map(|v| (i, v)))
        .collect();
    let odd = odd_ones(&values, None);
    if odd.is_empty() {
        return Vec::new();
    }
    let all: Vec<String> = values
        .iter()
        .map(|(i, v)| format!("{} {v}", site.docs[*i].article.locale))
        .collect();
    odd.into_iter()
        .map(|(i, _)| {
            let doc: &Doc = &site.docs[i];
            let mut finding = Finding::at(
                rule,
                doc,
                doc.key_offset(key),
                0,
                format!(
                    "the translations disagree on {key} ({}): this one was made from another version of the source",
                    all.join(", ")
                ),
            );
            for (j, _) in values.iter().filter(|(j, _)| *j != i) {
                finding = finding.with_related(&site.docs[*j], site.docs[*j].key_offset(key));
            }
            finding
        })
        .collect()
}

/// The first 7 characters of a commit id, as git shows it.
fn short(commit: &str) -> &str {
    commit.get(..7).unwrap_or(commit)
}
