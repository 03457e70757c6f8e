//! `--format github`: workflow commands that GitHub Actions shows as annotations on the pull
//! request: `::error file=...,line=...,col=...,title=RULE::message`.

use std::fmt::Write;

use crate::check::{Report, Severity};

pub fn render(report: &Report, path_prefix: &str) -> String {
    let mut out = String::new();
    for f in &report.findings {
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
