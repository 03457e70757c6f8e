//! `tolk check`: run every rule, apply or show the safe fixes, print the report, and say whether
//! the site passes. With `--changed-since REF`, only the articles changed since REF count;
//! `--severity`, `--rule`, `--locale` and paths narrow what is reported (and what fails).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use crate::check::report::{self, github, Format, Style};
use crate::check::{self, fix, Report, Rule, Scope, Severity};
use crate::config::Config;
use crate::error::{Error, Result};

#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub root: PathBuf,
    pub format: Format,
    /// Warnings fail the check too.
    pub strict: bool,
    /// Apply the safe fixes to the files.
    pub fix: bool,
    /// With `fix`: show the fixes as a diff and write nothing.
    pub dry_run: bool,
    /// Report only on the translation groups with an article changed since this git ref.
    pub changed_since: Option<String>,
    /// Which findings to report.
    pub filter: Filter,
    /// `-q`: print nothing when the site passes; when it fails, only the errors and the
    /// summary line (machine formats keep their whole document on standard output).
    pub quiet: bool,
}

/// Which findings are reported (and count for the exit code). Empty lists select everything.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// The least severe findings shown: `Warning` shows errors and warnings.
    pub severity: Option<Severity>,
    pub rules: Vec<Rule>,
    pub locales: Vec<String>,
    /// Files or folders, as given on the command line (relative to the current folder).
    pub paths: Vec<PathBuf>,
}

impl Filter {
    /// Keeps the findings of `report` this filter selects. `Err` when a locale is not one of
    /// the site's, or a path does not exist or lies outside the site.
    pub fn apply(&self, config: &Config, report: &mut Report) -> Result<()> {
        for locale in &self.locales {
            if !config.locales.iter().any(|l| &l.code == locale) {
                let known: Vec<&str> = config.locales.iter().map(|l| l.code.as_str()).collect();
                return Err(Error::setup(
                    format!("--locale {locale}: the site has no locale `{locale}`"),
                    format!("pass one of {}", known.join(", ")),
                ));
            }
        }
        let paths = self
            .paths
            .iter()
            .map(|p| site_relative(config, p))
            .collect::<Result<Vec<String>>>()?;
        report.findings.retain(|f| {
            self.severity.is_none_or(|s| f.severity <= s)
                && (self.rules.is_empty() || self.rules.contains(&f.rule))
                && (self.locales.is_empty() || self.locales.iter().any(|l| *l == f.locale))
                && (paths.is_empty()
                    || paths.iter().any(|p| {
                        p.is_empty() || *f.path == **p || f.path.starts_with(&format!("{p}/"))
                    }))
        });
        Ok(())
    }
}

/// `path` (relative to the current folder, or absolute) relative to the site root, with `/`.
fn site_relative(config: &Config, path: &std::path::Path) -> Result<String> {
    let full = path.canonicalize().map_err(|e| {
        Error::setup(
            format!("{}: {e}", path.display()),
            "name files or folders of the site to check, e.g. content/fr",
        )
    })?;
    let root = config
        .root
        .canonicalize()
        .map_err(Error::io("find", &config.root))?;
    let rel = full.strip_prefix(&root).map_err(|_| {
        Error::setup(
            format!(
                "{} is not inside the site {}",
                path.display(),
                config.root.display()
            ),
            "name files or folders under the site root (see --root)",
        )
    })?;
    Ok(rel.to_string_lossy().replace('\\', "/"))
}

/// Whether the site passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    Fail,
}

/// Runs the check and reports; meant to end the process (what it built is not freed, see
/// [`super::leave_to_exit`]).
pub fn execute(options: &CheckOptions) -> Result<Verdict> {
    let config = Config::load(&options.root)?;
    let scope = match &options.changed_since {
        Some(spec) => Scope::changed_since(&config, spec)?,
        None => Scope::All,
    };
    let site = crate::model::Site::load(&config)?;
    let mut report = check::run_scoped(&config, &site, &scope)?;
    options.filter.apply(&config, &mut report)?;
    if options.fix {
        if let Some(verdict) = fix_site(options, &config, &scope, &mut report)? {
            return Ok(verdict);
        }
    }
    let root = options.root.to_string_lossy().replace('\\', "/");
    let stdout_terminal = std::io::stdout().is_terminal();
    let style = Style {
        color: options.format == Format::Human
            && stdout_terminal
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        path_prefix: match root.trim_end_matches('/') {
            "" | "." => String::new(),
            root => format!("{}/", root.strip_prefix("./").unwrap_or(root)),
        },
        width: terminal_width(stdout_terminal),
        quiet: options.quiet,
    };
    let verdict = verdict(&report, options.strict);
    if options.quiet {
        print_quiet(&report, verdict, options.format, &style)?;
    } else {
        show(&report, options.format, &style)?;
        if matches!(
            options.format,
            Format::Json | Format::Junit | Format::Sarif | Format::Short
        ) {
            eprintln!("{}", report.summary_line());
        }
    }
    if options.format == Format::Github {
        if let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) {
            append(
                &PathBuf::from(path),
                &github::summary(&report, &style.path_prefix),
            )?;
        }
    }
    super::leave_to_exit((site, report));
    Ok(verdict)
}

/// `--fix`: applies the fixes the findings carry and checks again (`Some`: a dry run, which
/// shows the diff and what would remain, and decides the verdict itself).
fn fix_site(
    options: &CheckOptions,
    config: &Config,
    scope: &Scope,
    report: &mut Report,
) -> Result<Option<Verdict>> {
    let fixes = fix::plan(config, report);
    let count: usize = fixes.iter().map(|f| f.changes.len()).sum();
    let mut notes = String::new();
    for file in &fixes {
        if options.dry_run {
            notes.push_str(&fix::diff(file));
        } else {
            for change in &file.changes {
                notes.push_str(change);
                notes.push('\n');
            }
        }
    }
    let verb = if options.dry_run {
        "Would fix"
    } else {
        "Fixed"
    };
    notes.push_str(&format!(
        "{verb} {count} finding{} in {} file{}{}\n",
        plural(count),
        fixes.len(),
        plural(fixes.len()),
        if options.dry_run {
            " (dry run: nothing was written)"
        } else {
            ""
        }
    ));
    if options.dry_run {
        // The diff and what would remain; the report itself is what `tolk check` shows.
        let fixed: std::collections::HashSet<&str> = fixes
            .iter()
            .flat_map(|f| f.changes.iter().map(String::as_str))
            .collect();
        report.findings.retain(|f| {
            !fixed.contains(format!("{}: fixed: {}", f.location(), f.message).as_str())
        });
        notes.push_str(&format!(
            "{} would remain: {}; run `tolk check` for the details\n",
            plural_of(report.findings.len(), "finding"),
            severity_counts(report)
        ));
        print_notes(options, &notes)?;
        return Ok(Some(verdict(report, options.strict)));
    }
    if !fixes.is_empty() {
        fix::apply(&fixes)?;
        *report = check::run_scoped(config, &crate::model::Site::load(config)?, scope)?;
        options.filter.apply(config, report)?;
    }
    print_notes(options, &notes)?;
    Ok(None)
}

/// The notes of `--fix` (what was fixed, or the diff): beside the machine formats, which own
/// standard output; none with `-q`.
fn print_notes(options: &CheckOptions, notes: &str) -> Result<()> {
    if options.quiet {
        return Ok(());
    }
    if options.format == Format::Human {
        super::print(notes)?;
    } else {
        eprint!("{notes}");
    }
    Ok(())
}

/// `-q`: nothing when the site passes. When it fails, the human and short formats show the
/// errors only, then the summary line of every finding; the machine formats their whole
/// document, and the summary line on standard error.
fn print_quiet(report: &Report, verdict: Verdict, format: Format, style: &Style) -> Result<()> {
    if verdict == Verdict::Pass {
        if !matches!(format, Format::Human | Format::Short) {
            show(report, format, style)?;
        }
        return Ok(());
    }
    if matches!(format, Format::Human | Format::Short) {
        let mut errors = report.clone();
        errors.findings.retain(|f| f.severity == Severity::Error);
        show(&errors, format, style)?;
        super::print(&format!("check failed: {}\n", report.summary_line()))?;
    } else {
        show(report, format, style)?;
        eprintln!("check failed: {}", report.summary_line());
    }
    Ok(())
}

/// Writes `report` to standard output as it is made. A reader that stops reading
/// (`tolk check | head`) ends the report quietly.
fn show(report: &Report, format: Format, style: &Style) -> Result<()> {
    super::to_stdout(|out| report::write(report, format, style, out))
}

fn verdict(report: &Report, strict: bool) -> Verdict {
    let failed =
        report.count(Severity::Error) > 0 || (strict && report.count(Severity::Warning) > 0);
    if failed {
        Verdict::Fail
    } else {
        Verdict::Pass
    }
}

/// `COLUMNS` when set, else the terminal's width, else `None` (the default width).
fn terminal_width(stdout_terminal: bool) -> Option<usize> {
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse().ok());
    columns.or_else(|| {
        stdout_terminal
            .then(terminal_size::terminal_size)
            .flatten()
            .map(|(w, _)| usize::from(w.0))
    })
}

/// Appends `text` to the file at `path` (GitHub's job summary), creating it when missing.
fn append(path: &std::path::Path, text: &str) -> Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(Error::io("open", path))?;
    file.write_all(text.as_bytes())
        .map_err(Error::io("write", path))
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn plural_of(n: usize, word: &str) -> String {
    format!("{n} {word}{}", plural(n))
}

fn severity_counts(report: &Report) -> String {
    format!(
        "{}, {}, {}",
        plural_of(report.count(Severity::Error), "error"),
        plural_of(report.count(Severity::Warning), "warning"),
        plural_of(report.count(Severity::Info), "info")
    )
}
