//! The translation status dashboard: `status/index.html` (every article by locale: in sync, out
//! of sync with which rules, missing; ht-degree), and `status.json` (the check's JSON report).

use std::collections::BTreeMap;

use foldhash::{HashMap, HashMapExt, HashSet};
use serde::Serialize;

use super::templates::Templates;
use crate::check::{Report, Rule, Severity};
use crate::config::Config;
use crate::error::Result;
use crate::locale::LocaleCode;
use crate::model::{Article, LocaleContent};

/// The language of the status page, for the people who maintain the translations: all of it
/// (headings, states, the summary line, the rule ids) in English.
pub const LANGUAGE: &str = "en";

/// Does a finding of this rule mean the translation no longer says what the others say?
pub fn means_outdated(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::SourceCommitMismatch
            | Rule::StaleTranslation
            | Rule::WordcountMismatch
            | Rule::MetadataMismatch
            | Rule::HeadingMismatch
            | Rule::CalloutMismatch
            | Rule::CodeBlockMismatch
            | Rule::LinkTargetMismatch
            | Rule::DnlMismatch
    )
}

/// Shown paths of the translations that the check found out of date.
pub fn outdated_paths(report: &Report) -> HashSet<String> {
    report
        .findings
        .iter()
        .filter(|f| means_outdated(f.rule) && f.severity != Severity::Info)
        .map(|f| f.path.to_string())
        .collect()
}

#[derive(Debug, Serialize)]
struct StatusContext<'a> {
    site_title: &'a str,
    lang: &'a str,
    root: &'a str,
    t: &'a BTreeMap<String, String>,
    locales: Vec<&'a str>,
    rows: Vec<Row>,
    summary: Vec<Summary>,
    summary_line: String,
}

#[derive(Debug, Serialize)]
struct Summary {
    locale: LocaleCode,
    articles: usize,
    in_sync: usize,
    out_of_sync: usize,
    missing: usize,
}

#[derive(Debug, Serialize)]
struct Row {
    article: String,
    cells: Vec<Cell>,
}

#[derive(Debug, Clone, Serialize)]
struct RuleCell {
    id: &'static str,
    severity: &'static str,
}

#[derive(Debug, Serialize)]
struct Cell {
    /// `in-sync`, `out-of-sync` or `missing`.
    state: &'static str,
    /// The rules that found something, for out-of-sync cells, the most severe first.
    rules: Vec<RuleCell>,
    /// The most severe of them: `error`, `warning`, or empty.
    severity: &'static str,
    ht_degree: Option<u8>,
    /// Relative URL of the page, when it exists.
    url: Option<String>,
    /// Relative URL of its side-by-side page, when it has segment findings.
    segments_url: Option<String>,
    /// For a stale translation: how much of its source changed since it was made.
    changed: Option<String>,
}

/// Where rendered pages go, as (path in the output, text), from any thread: written as they
/// are made, so that thousands of side-by-side pages are never all in memory.
pub type Sink<'a> = &'a (dyn Fn(String, Vec<u8>) -> Result<()> + Sync);

/// Every article of `contents` by its shown path.
fn by_path(contents: &[LocaleContent]) -> HashMap<&str, &Article> {
    contents
        .iter()
        .flat_map(|c| c.articles.iter())
        .map(|a| (a.shown_path.as_str(), a))
        .collect()
}

/// Renders the dashboard, `status/index.html`, into `sink` (`status.json` is the check's JSON
/// report, [`crate::check::report::json::write`]).
pub fn dashboard(
    config: &Config,
    report: &Report,
    contents: &[LocaleContent],
    templates: &Templates,
    t: &BTreeMap<String, String>,
    sink: Sink<'_>,
) -> Result<()> {
    let articles = by_path(contents);
    let context = StatusContext {
        site_title: &config.title,
        lang: LANGUAGE,
        root: "../",
        t,
        locales: config.locales.iter().map(|l| l.code.as_str()).collect(),
        rows: rows(config, report, &articles),
        summary: report
            .locales
            .iter()
            .map(|s| Summary {
                locale: s.locale.clone(),
                articles: s.articles,
                in_sync: s.in_sync,
                out_of_sync: s.out_of_sync,
                missing: s.missing,
            })
            .collect(),
        summary_line: report.counts_line(),
    };
    sink(
        "status/index.html".to_owned(),
        templates.render("status.html", &context)?,
    )
}

/// Renders the side-by-side pages of `report`'s alignments into `sink`, under `status/`.
pub fn side_by_side(
    config: &Config,
    report: &Report,
    contents: &[LocaleContent],
    templates: &Templates,
    t: &BTreeMap<String, String>,
    sink: Sink<'_>,
) -> Result<()> {
    let side_by_side = |path: String, html: Vec<u8>| sink(format!("status/{path}"), html);
    super::side_by_side::pages(
        &config.title,
        report,
        &by_path(contents),
        templates,
        t,
        &side_by_side,
    )
}

/// The rules that flag each file (warnings and errors, errors first), by shown path.
fn rules_by_file(report: &Report) -> HashMap<&str, Vec<RuleCell>> {
    let mut rules_of: HashMap<&str, Vec<RuleCell>> = HashMap::new();
    let mut findings: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.severity != Severity::Info && f.rule != Rule::MissingTranslation)
        .collect();
    findings.sort_by_key(|f| f.severity);
    for finding in findings {
        let rules = rules_of.entry(&*finding.path).or_default();
        if !rules.iter().any(|r| r.id == finding.rule.id()) {
            rules.push(RuleCell {
                id: finding.rule.id(),
                severity: finding.severity.as_str(),
            });
        }
    }
    rules_of
}

/// One row per translation group, one cell per locale of `tolk.toml`.
fn rows(config: &Config, report: &Report, articles: &HashMap<&str, &Article>) -> Vec<Row> {
    let rules_of = rules_by_file(report);
    let mut groups: BTreeMap<&str, HashMap<&str, &str>> = BTreeMap::new();
    for entry in &report.entries {
        groups
            .entry(entry.article.as_str())
            .or_default()
            .insert(entry.locale.as_str(), entry.path.as_str());
    }
    let aligned: HashSet<&str> = report
        .alignments
        .iter()
        .map(|a| a.other.1.as_str())
        .collect();
    let cell = |path: &str| {
        let rules = rules_of.get(path).cloned().unwrap_or_default();
        let article = articles.get(path);
        Cell {
            state: if rules.is_empty() {
                "in-sync"
            } else {
                "out-of-sync"
            },
            severity: rules.first().map_or("", |r| r.severity),
            rules,
            ht_degree: article.and_then(|a| a.front.ht_degree),
            url: article
                .map(|a| format!("../{}/{}", a.locale, super::urls::article_url(&a.rel_path))),
            segments_url: article
                .filter(|a| aligned.contains(a.shown_path.as_str()))
                .map(|a| super::side_by_side::page_path(&a.locale, &a.rel_path)),
            changed: report.changes.get(path).map(changed_text),
        }
    };
    groups
        .into_iter()
        .map(|(name, members)| Row {
            article: name.to_owned(),
            cells: config
                .locales
                .iter()
                .map(|locale| match members.get(locale.code.as_str()) {
                    Some(path) => cell(path),
                    None => Cell {
                        state: "missing",
                        severity: "",
                        rules: Vec::new(),
                        ht_degree: None,
                        url: None,
                        segments_url: None,
                        changed: None,
                    },
                })
                .collect(),
        })
        .collect()
}

/// `2 segments (11 words) changed in the source`.
fn changed_text(delta: &crate::handoff::SourceChanges) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{} ({}) changed in the source",
        plural(delta.segments, "segment"),
        plural(delta.words, "word")
    )
}
