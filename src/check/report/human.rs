//! `--format human`: rustc-style diagnostics with the source line (miette), grouped by article,
//! then a table per locale and the one-line summary.

use std::fmt::{self, Write};
use std::sync::Arc;

use crate::error::Excerpt;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};

use crate::check::{Finding, Report};

pub fn render(report: &Report, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_wrap_lines(false)
        .with_context_lines(1);
    let mut out = String::new();
    let mut current: Option<&str> = None;
    for finding in &report.findings {
        if current != Some(finding.article.as_str()) {
            current = Some(&finding.article);
            let id = finding
                .exl_id
                .as_ref()
                .map(|id| format!(" (exl-id {id})"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "── {}{} ──",
                printable(&finding.article),
                printable(&id)
            );
        }
        let mut span = finding.at.as_ref().map_or((0, 0), |at| (at.offset, at.len));
        let shown = Shown {
            finding,
            source: report
                .sources
                .get(&finding.path)
                .filter(|_| finding.at.is_some())
                .map(|text| {
                    let (line, column) = finding
                        .at
                        .as_ref()
                        .map_or((1, 1), |at| (at.line, at.column));
                    Excerpt::new(
                        &printable(&finding.path),
                        Arc::clone(text),
                        &mut span,
                        line,
                        column,
                    )
                }),
            span,
        };
        if handler.render_report(&mut out, &shown).is_err() {
            let _ = writeln!(
                out,
                "{}: {}: {}",
                finding.severity,
                printable(&finding.location()),
                printable(&finding.message)
            );
        }
        out.push('\n');
    }
    out.push_str(&table(report));
    out.push_str(&report.summary_line());
    out.push('\n');
    out
}

/// Articles, in sync, out of sync and missing, per locale.
fn table(report: &Report) -> String {
    let header = ["locale", "articles", "in sync", "out of sync", "missing"];
    let rows: Vec<[String; 5]> = report
        .locales
        .iter()
        .map(|l| {
            [
                l.locale.clone(),
                l.articles.to_string(),
                l.in_sync.to_string(),
                l.out_of_sync.to_string(),
                l.missing.to_string(),
            ]
        })
        .collect();
    let width = |n: usize| {
        rows.iter()
            .map(|r| r[n].chars().count())
            .chain([header[n].len()])
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..5).map(width).collect();
    let mut out = String::new();
    let line = |cells: [&str; 5], out: &mut String| {
        let _ = write!(out, "{:<w$}", cells[0], w = widths[0]);
        for (cell, w) in cells.iter().zip(&widths).skip(1) {
            let _ = write!(out, "  {cell:>w$}");
        }
        out.push('\n');
    };
    line(header, &mut out);
    for row in &rows {
        line([&row[0], &row[1], &row[2], &row[3], &row[4]], &mut out);
    }
    out
}

/// `text` with control characters (an escape sequence in a file name) shown as escapes, so
/// they never reach the terminal.
fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() && c != '\n') {
        return std::borrow::Cow::Borrowed(text);
    }
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\n' {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A finding as a miette diagnostic.
struct Shown<'a> {
    finding: &'a Finding,
    /// A window of the file (never a whole long line), and the span clipped to it.
    source: Option<Excerpt>,
    span: (usize, usize),
}

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Shown")
            .field("finding", &self.finding)
            .finish()
    }
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // With a snippet, its header names file:line:col; without one, the message does.
        if self.source.is_some() {
            f.write_str(&printable(&self.finding.message))
        } else {
            write!(
                f,
                "{}: {}",
                printable(&self.finding.location()),
                printable(&self.finding.message)
            )
        }
    }
}

impl std::error::Error for Shown<'_> {}

impl Diagnostic for Shown<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(format!(
            "{}[{}]",
            self.finding.severity, self.finding.rule
        )))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            crate::check::Severity::Error => miette::Severity::Error,
            crate::check::Severity::Warning => miette::Severity::Warning,
            crate::check::Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let mut help = self.finding.rule.help().to_owned();
        for r in &self.finding.related {
            let _ = match &r.at {
                Some(at) => write!(help, "\n{}: {}:{}:{}", r.locale, r.path, at.line, at.column),
                None => write!(help, "\n{}: {}", r.locale, r.path),
            };
        }
        Some(Box::new(help))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source.as_ref()?;
        self.finding.at.as_ref()?;
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(Some("here".to_owned()), self.span),
        )))
    }
}
