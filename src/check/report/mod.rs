//! Prints a [`Report`] for people ([`human`], [`short`]) or machines ([`json`], [`github`],
//! [`junit`], [`sarif`]).

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod short;

use super::{Finding, Report};

/// The output formats of `tolk check --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Human,
    Short,
    Json,
    Github,
    Junit,
    Sarif,
}

/// How the report is shown, beyond its format.
#[derive(Debug, Clone, Default)]
pub struct Style {
    /// ANSI colors in the human format.
    pub color: bool,
    /// Prepended to paths in GitHub annotations, which name files from the repository root:
    /// the site root as given (`docs/`), or empty.
    pub path_prefix: String,
    /// The terminal's width, to clip the lines of context to; `None`: [`human::DEFAULT_WIDTH`].
    pub width: Option<usize>,
    /// `-q`: the human format shows the findings only, without the tables and summary line.
    pub quiet: bool,
}

/// The whole report in `format`.
pub fn render(report: &Report, format: Format, style: &Style) -> String {
    match format {
        Format::Human => human::render(report, style),
        Format::Short => short::render(report, &style.path_prefix),
        Format::Json => json::render(report),
        Format::Github => github::render(report, &style.path_prefix),
        Format::Junit => junit::render(report),
        Format::Sarif => sarif::render(report, &style.path_prefix),
    }
}

/// Writes the whole report in `format` to `out`; the human and JSON formats as they are made.
pub fn write(
    report: &Report,
    format: Format,
    style: &Style,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Human => human::write(report, style, out),
        Format::Json => json::write(report, out),
        _ => out.write_all(render(report, format, style).as_bytes()),
    }
}

/// The findings grouped by article, the articles in the report's order but those with errors
/// first (then warnings); in each article, errors first, then warnings, then infos.
pub fn ordered(report: &Report) -> Vec<(&str, Vec<&Finding>)> {
    let mut groups: Vec<(&str, Vec<&Finding>)> = Vec::new();
    for finding in &report.findings {
        match groups.last_mut() {
            Some((article, list)) if **article == *finding.article => list.push(finding),
            _ => groups.push((&finding.article, vec![finding])),
        }
    }
    for (_, list) in &mut groups {
        list.sort_by_key(|f| f.severity);
    }
    groups.sort_by_key(|(_, list)| list.first().map(|f| f.severity));
    groups
}
