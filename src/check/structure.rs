//! The structure every translation shares with its source: `heading-mismatch` (levels and
//! `{#id}`s), `callout-mismatch` (callouts, tabs, shadeboxes, collapsibles), `code-block-mismatch`
//! (count, language, content) and `dnl-mismatch` (the `[!DNL ...]` texts, in any order).
//!
//! Each finding points at the first element that differs, in the translation and (as related)
//! in the file it is compared with.

use std::collections::BTreeMap;

use super::{odd_ones, Doc, Finding, Group, Rule, View};
use crate::model::outline::Outline;

/// One element of a sequence: what is compared, how it is shown, and where it is.
#[derive(Debug, Clone)]
pub(super) struct Item<K> {
    pub key: K,
    pub shown: String,
    pub offset: usize,
    pub len: usize,
}

impl<K: PartialEq> PartialEq for Item<K> {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

pub fn check(site: &View<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for group in site.groups {
        findings.extend(compare(
            site,
            group,
            Rule::HeadingMismatch,
            ("heading", "headings"),
            headings,
            None,
        ));
        findings.extend(compare(
            site,
            group,
            Rule::CalloutMismatch,
            ("block", "callouts and blocks"),
            blocks,
            None,
        ));
        findings.extend(compare(
            site,
            group,
            Rule::CodeBlockMismatch,
            ("code block", "code blocks"),
            code_blocks,
            Some(code_detail),
        ));
        findings.extend(dnl(site, group));
    }
    findings
}

fn headings(outline: &Outline) -> Vec<Item<(u8, Option<String>)>> {
    outline
        .headings
        .iter()
        .map(|h| Item {
            key: (h.level, h.id.clone()),
            shown: match &h.id {
                Some(id) => format!("a level-{} heading {{#{id}}}", h.level),
                None => format!("a level-{} heading", h.level),
            },
            offset: h.offset,
            len: h.len,
        })
        .collect()
}

fn blocks(outline: &Outline) -> Vec<Item<String>> {
    outline
        .blocks
        .iter()
        .map(|b| Item {
            key: b.text.clone(),
            shown: if b.text.starts_with("+++") {
                b.text.clone()
            } else {
                format!("[!{}]", b.text)
            },
            offset: b.offset,
            len: b.len,
        })
        .collect()
}

fn code_blocks(outline: &Outline) -> Vec<Item<(Option<String>, String)>> {
    outline
        .code_blocks
        .iter()
        .map(|c| {
            let code: Vec<&str> = c.code.lines().map(str::trim_end).collect();
            let code = code.join("\n").trim_end_matches('\n').to_owned();
            Item {
                shown: match &c.lang {
                    Some(lang) => format!("a `{lang}` block"),
                    None => "a block without a language".to_owned(),
                },
                key: (c.lang.clone(), code),
                offset: c.offset,
                len: c.len,
            }
        })
        .collect()
}

/// How two code blocks at the same place differ.
fn code_detail(
    a: &Item<(Option<String>, String)>,
    b: &Item<(Option<String>, String)>,
    other: &str,
) -> String {
    if a.key.0 != b.key.0 {
        return format!("it is {}, {other} has {}", a.shown, b.shown);
    }
    let (lines_a, lines_b): (Vec<&str>, Vec<&str>) =
        (a.key.1.lines().collect(), b.key.1.lines().collect());
    let line = (0..lines_a.len().max(lines_b.len()))
        .find(|&n| lines_a.get(n) != lines_b.get(n))
        .unwrap_or(0);
    let show =
        |l: Option<&&str>| l.map_or_else(|| "nothing".to_owned(), |l| format!("`{}`", l.trim()));
    format!(
        "its line {} is {}, {other} has {}",
        line + 1,
        show(lines_a.get(line)),
        show(lines_b.get(line))
    )
}

pub(super) type Detail<K> = fn(&Item<K>, &Item<K>, &str) -> String;

/// Compares one sequence across the members of a group.
pub(super) fn compare<K: PartialEq + Clone>(
    site: &View<'_>,
    group: &Group,
    rule: Rule,
    (one, many): (&str, &str),
    items: fn(&Outline) -> Vec<Item<K>>,
    detail: Option<Detail<K>>,
) -> Vec<Finding> {
    let values: Vec<(usize, Vec<Item<K>>)> = group
        .members
        .iter()
        .filter_map(|&i| site.docs[i].outline.as_ref().map(|o| (i, items(o))))
        .collect();
    let source = site.source_member(group);
    let mut findings = Vec::new();
    for (i, reference) in odd_ones(&values, source) {
        let (Some((_, mine)), Some((_, theirs))) = (
            values.iter().find(|(j, _)| *j == i),
            values.iter().find(|(j, _)| *j == reference),
        ) else {
            continue;
        };
        let (doc, other) = (&site.docs[i], &site.docs[reference]);
        let (me, them) = (doc.article.locale.as_str(), other.article.locale.as_str());
        let d = (0..mine.len().max(theirs.len()))
            .find(|&n| mine.get(n) != theirs.get(n))
            .unwrap_or(0);
        let show = |item: Option<&Item<K>>| {
            item.map_or_else(|| "nothing".to_owned(), |it| it.shown.clone())
        };
        let message = if mine.len() != theirs.len() {
            format!(
                "{me} has {} {many}, {them} has {}; first difference at {one} {}: {me} has {}, {them} has {}",
                mine.len(),
                theirs.len(),
                d + 1,
                show(mine.get(d)),
                show(theirs.get(d))
            )
        } else {
            let how = match (detail, mine.get(d), theirs.get(d)) {
                (Some(detail), Some(a), Some(b)) => detail(a, b, them),
                _ => format!(
                    "{me} has {}, {them} has {}",
                    show(mine.get(d)),
                    show(theirs.get(d))
                ),
            };
            format!(
                "{one} {} of {} differs from {them}: {how}",
                d + 1,
                mine.len()
            )
        };
        let (offset, len) = position(doc, mine, d);
        let (related, _) = position(other, theirs, d);
        findings.push(Finding::at(rule, doc, offset, len, message).with_related(other, related));
    }
    findings
}

/// Where item `d` is, else the last item before it, else the start of the body.
fn position<K>(doc: &Doc, items: &[Item<K>], d: usize) -> (usize, usize) {
    match items.get(d).or_else(|| items.last()) {
        Some(item) => (item.offset, item.len),
        None => (doc.article.body_offset, 0),
    }
}

/// `[!DNL ...]` texts are compared as a multiset: translation may move them, not change them.
fn dnl(site: &View<'_>, group: &Group) -> Vec<Finding> {
    let counts = |o: &Outline| {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for d in &o.dnl {
            *counts.entry(d.text.clone()).or_default() += 1;
        }
        counts
    };
    let values: Vec<(usize, BTreeMap<String, usize>)> = group
        .members
        .iter()
        .filter_map(|&i| site.docs[i].outline.as_ref().map(|o| (i, counts(o))))
        .collect();
    let source = site.source_member(group);
    let mut findings = Vec::new();
    for (i, reference) in odd_ones(&values, source) {
        let (doc, other) = (&site.docs[i], &site.docs[reference]);
        let (Some(mine), Some(theirs)) = (doc.outline.as_ref(), other.outline.as_ref()) else {
            continue;
        };
        let (my_counts, their_counts) = (counts(mine), counts(theirs));
        let differ = |a: &BTreeMap<String, usize>, b: &BTreeMap<String, usize>| -> Vec<String> {
            a.iter()
                .filter(|(text, n)| b.get(*text).copied().unwrap_or(0) < **n)
                .map(|(text, n)| {
                    let extra = n - b.get(text).copied().unwrap_or(0);
                    if extra == 1 {
                        format!("`{text}`")
                    } else {
                        format!("`{text}` ×{extra}")
                    }
                })
                .collect()
        };
        let (extra, lacking) = (
            differ(&my_counts, &their_counts),
            differ(&their_counts, &my_counts),
        );
        let them = &other.article.locale;
        let mut parts = Vec::new();
        if !lacking.is_empty() {
            parts.push(format!("lacks {} that {them} has", lacking.join(", ")));
        }
        if !extra.is_empty() {
            parts.push(format!("has {} that {them} lacks", extra.join(", ")));
        }
        let message = format!(
            "the [!DNL ...] texts differ from {them}: this translation {} (DNL text is never translated)",
            parts.join(" and ")
        );
        // Point at the first extra text, else at the place of the first lacking one.
        let first_extra = mine
            .dnl
            .iter()
            .find(|d| my_counts.get(&d.text) > their_counts.get(&d.text).or(Some(&0)));
        let first_lacking = theirs
            .dnl
            .iter()
            .position(|d| their_counts.get(&d.text) > my_counts.get(&d.text).or(Some(&0)));
        let (offset, len) = match (first_extra, first_lacking) {
            (Some(d), _) => (d.offset, d.len),
            (None, Some(n)) => mine
                .dnl
                .get(n)
                .or(mine.dnl.last())
                .map_or((doc.article.body_offset, 0), |d| (d.offset, d.len)),
            (None, None) => (doc.article.body_offset, 0),
        };
        let related = first_lacking
            .and_then(|n| theirs.dnl.get(n))
            .or(theirs.dnl.first())
            .map_or(other.article.body_offset, |d| d.offset);
        findings.push(
            Finding::at(Rule::DnlMismatch, doc, offset, len, message).with_related(other, related),
        );
    }
    findings
}
