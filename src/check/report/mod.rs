//! Prints a [`Report`] for people ([`human`]) or machines ([`json`], [`github`], [`junit`]).

pub mod github;
pub mod human;
pub mod json;
pub mod junit;

use super::Report;

/// The output formats of `tolk check --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Human,
    Json,
    Github,
    Junit,
}

/// How the report is shown, beyond its format.
#[derive(Debug, Clone, Default)]
pub struct Style {
    /// ANSI colors in the human format.
    pub color: bool,
    /// Prepended to paths in GitHub annotations, which name files from the repository root:
    /// the site root as given (`docs/`), or empty.
    pub path_prefix: String,
}

/// The whole report in `format`.
pub fn render(report: &Report, format: Format, style: &Style) -> String {
    match format {
        Format::Human => human::render(report, style.color),
        Format::Json => json::render(report),
        Format::Github => github::render(report, &style.path_prefix),
        Format::Junit => junit::render(report),
    }
}
