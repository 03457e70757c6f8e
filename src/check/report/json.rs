//! `--format json`: one object, schema version 1 (documented in README.md):
//! `{"version":1,"summary":{...},"findings":[{"rule","severity","locale","path","line","column",
//! "exl_id","message","related":[{"locale","path","line","column"}]}]}`.

use serde::Serialize;

use crate::check::{Finding, Report, Rule, Severity};

pub fn render(report: &Report) -> String {
    // Reserved once, generously (a page never written to costs no memory): grown by doubling,
    // the 51 MB report of 91,739 findings briefly needed 1.5 times its size.
    let mut bytes = Vec::with_capacity(64 * 1024 + report.findings.len() * 1024);
    if write(report, &mut bytes).is_err() {
        return String::new();
    }
    String::from_utf8(bytes).unwrap_or_default()
}

/// Writes the report to `out` as it is made, indented for people to read: the findings are
/// never all in memory as JSON.
pub fn write(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &document(report))?;
    out.write_all(b"\n")
}

/// The same report without indentation, as the site publishes it (`status.json`): for programs
/// and browsers, a quarter smaller (the bench corpus's at 10,000 x 3: 51 -> 38 MB).
pub fn write_compact(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, &document(report))?;
    out.write_all(b"\n")
}

fn document(report: &Report) -> ReportOut<'_> {
    ReportOut {
        findings: Findings(report),
        summary: SummaryOut {
            articles: report.articles,
            errors: report.count(Severity::Error),
            groups: report.groups,
            infos: report.count(Severity::Info),
            locales: report
                .locales
                .iter()
                .map(|l| LocaleOut {
                    articles: l.articles,
                    in_sync: l.in_sync,
                    locale: &l.locale,
                    missing: l.missing,
                    out_of_sync: l.out_of_sync,
                })
                .collect(),
            warnings: report.count(Severity::Warning),
        },
        version: 1,
    }
}

/// The findings, each made into its JSON shape only as it is written.
struct Findings<'a>(&'a Report);

impl Serialize for Findings<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let report = self.0;
        serializer.collect_seq(report.findings.iter().map(|f| {
            let mut out = FindingOut::new(f);
            if f.rule == Rule::StaleTranslation {
                out.changed = report.changes.get(&*f.path);
            }
            out
        }))
    }
}

// The document as serde writes it straight from the report (a `json!` value per finding cost a
// second per 100,000 findings). Keys are in alphabetical order, as they always were.

#[derive(Serialize)]
struct ReportOut<'a> {
    findings: Findings<'a>,
    summary: SummaryOut<'a>,
    version: u32,
}

#[derive(Serialize)]
struct SummaryOut<'a> {
    articles: usize,
    errors: usize,
    groups: usize,
    infos: usize,
    locales: Vec<LocaleOut<'a>>,
    warnings: usize,
}

#[derive(Serialize)]
struct LocaleOut<'a> {
    articles: usize,
    in_sync: usize,
    locale: &'a str,
    missing: usize,
    out_of_sync: usize,
}

#[derive(Serialize)]
struct FindingOut<'a> {
    /// A stale translation's changed source segments and words.
    #[serde(skip_serializing_if = "Option::is_none")]
    changed: Option<&'a crate::handoff::SourceChanges>,
    column: Option<usize>,
    exl_id: Option<&'a str>,
    line: Option<usize>,
    locale: &'a str,
    message: &'a str,
    path: &'a str,
    related: Vec<RelatedOut<'a>>,
    rule: &'static str,
    severity: &'static str,
}

#[derive(Serialize)]
struct RelatedOut<'a> {
    column: Option<usize>,
    line: Option<usize>,
    locale: &'a str,
    path: &'a str,
}

impl<'a> FindingOut<'a> {
    fn new(f: &'a Finding) -> FindingOut<'a> {
        FindingOut {
            changed: None,
            column: f.at.as_ref().map(|a| a.column),
            exl_id: f.exl_id.as_deref(),
            line: f.at.as_ref().map(|a| a.line),
            locale: &f.locale,
            message: &f.message,
            path: &f.path,
            related: f
                .related
                .iter()
                .map(|r| RelatedOut {
                    column: r.at.as_ref().map(|a| a.column),
                    line: r.at.as_ref().map(|a| a.line),
                    locale: &r.locale,
                    path: &r.path,
                })
                .collect(),
            rule: f.rule.id(),
            severity: f.severity.as_str(),
        }
    }
}
