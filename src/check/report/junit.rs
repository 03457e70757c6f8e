//! `--format junit`: JUnit XML for CI test reports. One test suite per locale, one test case per
//! article and locale (a missing translation too); errors are failures, warnings and infos are
//! the test case's output.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::check::{Finding, Report, Severity};
use crate::markdown::escape::xml_escape as escape;

/// An article's findings in one locale (empty for a clean article).
type Cases<'r> = BTreeMap<&'r str, Vec<&'r Finding>>;
/// The file of each (locale, article) checked.
type Files<'r> = BTreeMap<(&'r str, &'r str), &'r str>;

pub fn render(report: &Report) -> String {
    let order: Vec<&str> = report.locales.iter().map(|l| l.locale.as_str()).collect();
    let (suites, files) = test_cases(report, &order);
    let tests: usize = suites.values().map(BTreeMap::len).sum();
    let total_failures: usize = suites.values().map(failures).sum();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"tolk check\" tests=\"{tests}\" failures=\"{total_failures}\" errors=\"0\" time=\"{:.3}\">",
        report.elapsed.as_secs_f64()
    );
    let mut names: Vec<&str> = suites.keys().copied().collect();
    names.sort_by_key(|n| order.iter().position(|o| o == n).unwrap_or(usize::MAX));
    for locale in names {
        let Some(cases) = suites.get(locale) else {
            continue;
        };
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\">",
            escape(locale),
            cases.len(),
            failures(cases)
        );
        for (article, findings) in cases {
            let file = files
                .get(&(locale, *article))
                .copied()
                .or_else(|| findings.first().map(|f| &*f.path));
            write_test_case(&mut out, locale, article, file, findings);
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// The test cases per locale (every checked article, and every article with a finding), and
/// the file of each checked article.
fn test_cases<'r>(
    report: &'r Report,
    order: &[&'r str],
) -> (BTreeMap<&'r str, Cases<'r>>, Files<'r>) {
    let mut suites: BTreeMap<&str, Cases<'r>> = BTreeMap::new();
    let mut files: Files<'r> = BTreeMap::new();
    for locale in order {
        suites.insert(locale, BTreeMap::new());
    }
    for entry in &report.entries {
        files.insert((&entry.locale, &entry.article), &entry.path);
        if let Some(cases) = suites.get_mut(entry.locale.as_str()) {
            cases.entry(entry.article.as_str()).or_default();
        }
    }
    for f in &report.findings {
        suites
            .entry(f.locale.as_str())
            .or_default()
            .entry(&*f.article)
            .or_default()
            .push(f);
    }
    (suites, files)
}

/// How many articles have an error.
fn failures(cases: &Cases<'_>) -> usize {
    cases
        .values()
        .filter(|fs| fs.iter().any(|f| f.severity == Severity::Error))
        .count()
}

/// One article: its errors as failures, its other findings as the case's output.
fn write_test_case(
    out: &mut String,
    locale: &str,
    article: &str,
    file: Option<&str>,
    findings: &[&Finding],
) {
    let _ = write!(
        out,
        "    <testcase classname=\"{}\" name=\"{}\"",
        escape(locale),
        escape(article)
    );
    if let Some(file) = file {
        let _ = write!(out, " file=\"{}\"", escape(file));
    }
    if findings.is_empty() {
        out.push_str("/>\n");
        return;
    }
    out.push_str(">\n");
    for f in findings.iter().filter(|f| f.severity == Severity::Error) {
        let _ = writeln!(
            out,
            "      <failure type=\"{}\" message=\"{}\">{}: {}</failure>",
            f.rule.id(),
            escape(&f.message),
            escape(&f.location()),
            escape(&f.message)
        );
    }
    let others: Vec<String> = findings
        .iter()
        .filter(|f| f.severity != Severity::Error)
        .map(|f| {
            format!(
                "{}: {}[{}]: {}",
                f.location(),
                f.severity,
                f.rule,
                f.message
            )
        })
        .collect();
    if !others.is_empty() {
        let _ = writeln!(
            out,
            "      <system-out>{}</system-out>",
            escape(&others.join("\n"))
        );
    }
    out.push_str("    </testcase>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(
            escape("a<b> & \"c\" 'd'\u{1}"),
            "a&lt;b&gt; &amp; &quot;c&quot; &apos;d&apos;"
        );
    }
}
