//! The status site's side-by-side pages: for each translation with a segment finding, its
//! segments beside the pivot's, row by row as [`crate::align`] paired them, each row marked with
//! the findings on it and a missing segment shown as a gap.
//! `status/segments/<locale>/<article path>.html`, linked from the dashboard.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use super::templates::Templates;
use crate::align::Alignment;
use crate::check::{segments::is_segment_rule, Finding, Report, Rule};
use crate::error::Result;
use crate::model::{Article, LocaleContent};

/// Where the side-by-side page of the translation at `shown_path` goes, relative to the status
/// folder's dashboard: `segments/fr/a/b.html`.
pub fn page_path(locale: &str, rel_path: &str) -> String {
    let stem = rel_path.strip_suffix(".md").unwrap_or(rel_path);
    format!("segments/{locale}/{stem}.html")
}

/// Every side-by-side page the articles of `contents` could have (paths in the site): serve
/// removes those a new report no longer makes.
pub fn possible_pages(contents: &[LocaleContent]) -> impl Iterator<Item = String> + '_ {
    contents.iter().flat_map(|c| {
        c.articles
            .iter()
            .map(|a| format!("status/{}", page_path(&a.locale, &a.rel_path)))
    })
}

#[derive(Debug, Serialize)]
struct PageContext<'a> {
    site_title: &'a str,
    lang: &'a str,
    root: String,
    t: &'a std::collections::BTreeMap<String, String>,
    article: &'a str,
    pivot: Side<'a>,
    other: Side<'a>,
    rows: Vec<Row<'a>>,
    findings: usize,
}

#[derive(Debug, Serialize)]
struct Side<'a> {
    locale: &'a str,
    path: &'a str,
}

#[derive(Debug, Serialize)]
struct Row<'a> {
    kind: &'static str,
    pivot: Option<Cell<'a>>,
    other: Option<Cell<'a>>,
    marks: Vec<Mark>,
}

#[derive(Debug, Serialize)]
struct Cell<'a> {
    line: usize,
    text: &'a str,
}

#[derive(Debug, Serialize)]
struct Mark {
    rule: &'static str,
    severity: &'static str,
    message: String,
}

/// The side-by-side pages of `report`'s alignments: (path under `status/`, HTML).
pub fn pages(
    site_title: &str,
    report: &Report,
    articles: &HashMap<&str, &Article>,
    templates: &Templates,
    t: &std::collections::BTreeMap<String, String>,
    sink: super::status::Sink<'_>,
) -> Result<()> {
    let mut by_path: HashMap<&str, Vec<&Finding>> = HashMap::new();
    for f in report.findings.iter().filter(|f| is_segment_rule(f.rule)) {
        by_path.entry(f.path.as_str()).or_default().push(f);
    }
    // Each page on its own: they are rendered in parallel.
    let page = |alignment: &Alignment| -> Result<()> {
        let (Some(pivot), Some(other)) = (
            articles.get(alignment.pivot.1.as_str()),
            articles.get(alignment.other.1.as_str()),
        ) else {
            return Ok(());
        };
        let findings = by_path
            .get(other.shown_path.as_str())
            .map_or(&[][..], |v| v);
        let path = page_path(&other.locale, &other.rel_path);
        let depth = path.matches('/').count() + 1;
        let context = PageContext {
            site_title,
            lang: super::status::LANGUAGE,
            root: "../".repeat(depth),
            t,
            article: &alignment.article,
            pivot: Side {
                locale: &pivot.locale,
                path: &pivot.shown_path,
            },
            other: Side {
                locale: &other.locale,
                path: &other.shown_path,
            },
            rows: rows(alignment, pivot, other, findings),
            findings: findings.len(),
        };
        sink(path, templates.render("status-segments.html", &context)?)
    };
    report.alignments.par_iter().try_for_each(page)
}

/// The rows of the page, each with the findings that fall on it.
fn rows<'a>(
    alignment: &Alignment,
    pivot: &'a Article,
    other: &'a Article,
    findings: &[&Finding],
) -> Vec<Row<'a>> {
    let cell = |article: &'a Article, range: &Option<std::ops::Range<usize>>| {
        range.as_ref().map(|r| Cell {
            line: crate::error::Location::from_offset("", &article.text, r.start).line,
            text: article.text.get(r.clone()).unwrap_or_default(),
        })
    };
    let mut rows: Vec<Row> = alignment
        .rows
        .iter()
        .map(|r| Row {
            kind: r.kind.class(),
            pivot: cell(pivot, &r.pivot),
            other: cell(other, &r.other),
            marks: Vec::new(),
        })
        .collect();
    for f in findings {
        let Some(at) = &f.at else { continue };
        let related = f
            .related
            .first()
            .and_then(|r| r.at.as_ref())
            .map(|a| a.offset);
        let inside = |range: &Option<std::ops::Range<usize>>, offset: usize| {
            range
                .as_ref()
                .is_some_and(|r| r.start <= offset && offset <= r.end)
        };
        let row = if f.rule == Rule::SegmentMissing {
            related.and_then(|o| {
                alignment
                    .rows
                    .iter()
                    .position(|r| r.other.is_none() && inside(&r.pivot, o))
            })
        } else {
            alignment
                .rows
                .iter()
                .position(|r| inside(&r.other, at.offset))
        };
        if let Some(row) = row {
            rows[row].marks.push(Mark {
                rule: f.rule.id(),
                severity: f.severity.as_str(),
                message: f.message.clone(),
            });
        }
    }
    rows
}
