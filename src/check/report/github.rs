//! `--format github`: workflow commands that GitHub Actions shows as annotations on the pull
//! request: `::error file=...,line=...,col=...,title=RULE::message`, errors first (GitHub
//! shows only the first 10 errors and 10 warnings of a step); and [`summary`], the Markdown
//! job summary `tolk check` appends to `$GITHUB_STEP_SUMMARY`.

use std::fmt::Write;

use super::human::rule_rows;
use crate::check::{Report, Severity};

/// How many errors the job summary lists.
pub const SUMMARY_ERRORS: usize = 50;

pub fn render(report: &Report, path_prefix: &str) -> String {
    let mut out = String::new();
    let mut findings: Vec<_> = report.findings.iter().collect();
    findings.sort_by_key(|f| f.severity);
    for f in findings {
        let command = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut properties = format!("file={}", property(&format!("{path_prefix}{}", f.path)));
        if let Some(at) = &f.at {
            let _ = write!(properties, ",line={},col={}", at.line, at.column);
        }
        let _ = write!(properties, ",title={}", property(f.rule.id()));
        let mut message = f.message.clone();
        for r in &f.related {
            let _ = match &r.at {
                Some(at) => write!(
                    message,
                    "\n{}: {}{}:{}:{}",
                    r.locale, path_prefix, r.path, at.line, at.column
                ),
                None => write!(message, "\n{}: {}{}", r.locale, path_prefix, r.path),
            };
        }
        let _ = writeln!(out, "::{command} {properties}::{}", data(&message));
    }
    let _ = writeln!(out, "{}", report.summary_line());
    out
}

/// The job summary: the counts by rule and locale, and the first [`SUMMARY_ERRORS`] errors.
pub fn summary(report: &Report, path_prefix: &str) -> String {
    let mut out = String::from("## tolk check\n\n");
    let _ = writeln!(out, "{}\n", report.summary_line());
    let mut rows = rule_rows(report).into_iter();
    if let (false, Some(header)) = (report.findings.is_empty(), rows.next()) {
        let _ = writeln!(out, "| {} |", header.join(" | "));
        let _ = writeln!(
            out,
            "|{}",
            header
                .iter()
                .enumerate()
                .map(|(i, _)| if i < 2 { " --- |" } else { " ---: |" })
                .collect::<String>()
        );
        for row in rows {
            let _ = writeln!(out, "| {} |", row.join(" | "));
        }
        out.push('\n');
    }
    let errors: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    if !errors.is_empty() {
        let shown = errors.len().min(SUMMARY_ERRORS);
        if shown < errors.len() {
            let _ = writeln!(out, "### The first {shown} of {} errors\n", errors.len());
        } else {
            let _ = writeln!(out, "### Errors\n");
        }
        for f in errors.iter().take(shown) {
            let location = match &f.at {
                Some(at) => format!("{path_prefix}{}:{}:{}", f.path, at.line, at.column),
                None => format!("{path_prefix}{}", f.path),
            };
            let _ = writeln!(
                out,
                "- `{}` **{}**: {}",
                location.replace('`', "'"),
                f.rule,
                markdown(&f.message)
            );
        }
        out.push('\n');
    }
    out
}

/// Text safe in a Markdown list item: no HTML, no line breaks.
fn markdown(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace(['\n', '\r'], " ")
}

/// Escapes a message as GitHub's workflow commands require.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (`file=`, `title=`).
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_github_requires() {
        assert_eq!(data("50% done\nnext"), "50%25 done%0Anext");
        assert_eq!(property("a,b:c"), "a%2Cb%3Ac");
    }
}
