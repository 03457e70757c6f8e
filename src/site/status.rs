//! The translation status dashboard: `status/index.html` (every article by locale: in sync, out
//! of sync with which rules, missing; ht-degree), and `status.json` (the check's JSON report).

use std::collections::BTreeMap;

use foldhash::{HashMap, HashMapExt, HashSet};
use serde::Serialize;

use super::templates::{Html, Templates};
use crate::check::{Report, Rule, Severity};
use crate::config::Config;
use crate::error::Result;
use crate::locale::LocaleCode;
use crate::markdown::escape::html_escape;
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
/// report without indentation, [`crate::check::report::json::write_compact`]).
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
    let html = match templates.is_built_in("status.html") {
        true => built_in_dashboard(&context),
        false => None,
    };
    let html = match html {
        Some(html) => html,
        None => templates.render("status.html", &context)?,
    };
    sink("status/index.html".to_owned(), html)
}

/// The dashboard as the built-in `status.html` makes it, written without tera: at 10,000 x 3
/// it is a table of 10,000 rows, which tera took a second of CPU time over. `None` when the
/// UI strings lack one it shows (tera would stop the build). `tests/site.rs` holds the two to
/// the same bytes.
fn built_in_dashboard(c: &StatusContext<'_>) -> Option<Vec<u8>> {
    let string = |id: &str| c.t.get(id).map(|text| html_escape(text));
    let title = string("status-title")?;
    let (in_sync, out_of_sync, missing) = (
        string("status-in-sync")?,
        string("status-out-of-sync")?,
        string("status-missing")?,
    );
    let state_text = |state: &str| match state {
        "in-sync" => Some(&in_sync),
        "out-of-sync" => Some(&out_of_sync),
        "missing" => Some(&missing),
        _ => None,
    };
    let mut html = Html::with_capacity(c.rows.len() * 400 + 4096);
    html.raw("<!doctype html>\n<html lang=\"");
    html.text(c.lang);
    html.raw("\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    html.raw(&title);
    html.raw(" | ");
    html.text(c.site_title);
    html.raw(
        "</title>\n<meta name=\"robots\" content=\"noindex\">\n<link rel=\"stylesheet\" href=\"",
    );
    html.text(c.root);
    html.raw("static/tolk.css\">\n<script src=\"");
    html.text(c.root);
    html.raw("static/tolk.js\" defer></script>\n</head>\n<body>\n<header class=\"site-header\"><a class=\"site-title\" href=\"");
    html.text(c.root);
    html.raw("\">");
    html.text(c.site_title);
    html.raw("</a></header>\n<main id=\"main\" class=\"status\">\n<h1>");
    html.raw(&title);
    html.raw("</h1>\n<p>");
    html.text(&c.summary_line);
    html.raw("</p>\n<table class=\"status-summary\">\n<thead><tr><th>");
    html.raw(&string("status-locale")?);
    html.raw("</th><th>");
    html.raw(&string("status-articles")?);
    html.raw("</th><th>");
    html.raw(&in_sync);
    html.raw("</th><th>");
    html.raw(&out_of_sync);
    html.raw("</th><th>");
    html.raw(&missing);
    html.raw("</th></tr></thead>\n<tbody>");
    for s in &c.summary {
        html.raw("<tr><td>");
        html.text(&s.locale);
        for n in [s.articles, s.in_sync, s.out_of_sync, s.missing] {
            html.raw("</td><td>");
            html.number(n);
        }
        html.raw("</td></tr>\n");
    }
    html.raw("</tbody>\n</table>\n<div class=\"status-filters\">\n<label>");
    html.raw(&string("status-filter")?);
    html.raw(" <input type=\"search\" id=\"status-filter\" data-filter-table=\"status-table\"></label>\n<label>");
    html.raw(&string("status-show")?);
    html.raw(
        " <select id=\"status-state\" data-state-table=\"status-table\">\n<option value=\"\">",
    );
    html.raw(&string("status-all")?);
    html.raw("</option>\n<option value=\"out-of-sync\">");
    html.raw(&out_of_sync);
    html.raw("</option>\n<option value=\"missing\">");
    html.raw(&missing);
    html.raw("</option>\n<option value=\"in-sync\">");
    html.raw(&in_sync);
    html.raw("</option>\n</select></label>\n</div>\n<div class=\"table-scroll\">\n<table id=\"status-table\" class=\"status-table\" data-sortable>\n<thead><tr><th scope=\"col\" data-sort=\"text\">");
    html.raw(&string("status-article")?);
    html.raw("</th>");
    for code in &c.locales {
        html.raw("<th scope=\"col\" data-sort=\"state\">");
        html.text(code);
        html.raw("</th>");
    }
    html.raw("</tr></thead>\n<tbody>\n");
    for row in &c.rows {
        html.raw("<tr data-states=\"");
        for cell in &row.cells {
            html.text(cell.state);
            html.raw(" ");
        }
        html.raw("\"><th scope=\"row\">");
        html.text(&row.article);
        html.raw("</th>");
        for cell in &row.cells {
            html.raw("<td class=\"state-");
            html.text(cell.state);
            if !cell.severity.is_empty() {
                html.raw(" severity-");
                html.text(cell.severity);
            }
            html.raw("\" data-state=\"");
            html.text(cell.state);
            html.raw("\"");
            if let Some(ht) = cell.ht_degree {
                html.raw(" data-ht=\"");
                html.number(usize::from(ht));
                html.raw("\"");
            }
            html.raw(">");
            let state = state_text(cell.state)?;
            match cell.url.as_deref().filter(|url| !url.is_empty()) {
                Some(url) => {
                    html.raw("<a href=\"");
                    html.text(url);
                    html.raw("\">");
                    html.raw(state);
                    html.raw("</a>");
                }
                None => html.raw(state),
            }
            if let Some(ht) = cell.ht_degree {
                html.raw(" <span class=\"ht\">");
                html.number(usize::from(ht));
                html.raw("%</span>");
            }
            if !cell.rules.is_empty() {
                html.raw("<ul class=\"rules\">");
                for rule in &cell.rules {
                    html.raw("<li class=\"severity-");
                    html.text(rule.severity);
                    html.raw("\"><span class=\"severity\">");
                    html.text(rule.severity);
                    html.raw("</span> ");
                    html.text(rule.id);
                    html.raw("</li>");
                }
                html.raw("</ul>");
            }
            if let Some(changed) = cell.changed.as_deref().filter(|c| !c.is_empty()) {
                html.raw("<p class=\"changed\">");
                html.text(changed);
                html.raw("</p>");
            }
            if let Some(url) = cell.segments_url.as_deref().filter(|u| !u.is_empty()) {
                html.raw(" <a class=\"segments-link\" href=\"");
                html.text(url);
                html.raw("\">segments</a>");
            }
            html.raw("</td>");
        }
        html.raw("</tr>\n");
    }
    html.raw("</tbody>\n</table>\n</div>\n</main>\n</body>\n</html>\n");
    Some(html.into_bytes())
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
