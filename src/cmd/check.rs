//! `tolk check`: run every rule, apply or show the safe fixes, print the report, and say whether
//! the site passes. With `--changed-since REF`, only the articles changed since REF count.

use std::io::IsTerminal;
use std::path::PathBuf;

use crate::check::report::{self, Format, Style};
use crate::check::{self, fix, Scope, Severity};
use crate::config::Config;
use crate::error::Result;

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
}

/// Whether the site passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    Fail,
}

pub fn execute(options: &CheckOptions) -> Result<Verdict> {
    let config = Config::load(&options.root)?;
    let scope = match &options.changed_since {
        Some(spec) => Scope::changed_since(&config, spec)?,
        None => Scope::All,
    };
    let mut report = check::run_scoped(&config, &crate::model::Site::load(&config)?, &scope)?;
    if options.fix {
        let fixes = fix::plan(&config, &report);
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
            if count == 1 { "" } else { "s" },
            fixes.len(),
            if fixes.len() == 1 { "" } else { "s" },
            if options.dry_run {
                " (dry run: nothing was written)"
            } else {
                ""
            }
        ));
        if !options.dry_run && !fixes.is_empty() {
            fix::apply(&fixes)?;
            report = check::run_scoped(&config, &crate::model::Site::load(&config)?, &scope)?;
        }
        // Machine formats own standard output; the notes go beside them.
        if options.format == Format::Human {
            print!("{notes}");
        } else {
            eprint!("{notes}");
        }
    }
    let root = options.root.to_string_lossy().replace('\\', "/");
    let style = Style {
        color: options.format == Format::Human
            && std::io::stdout().is_terminal()
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        path_prefix: match root.trim_end_matches('/') {
            "" | "." => String::new(),
            root => format!("{}/", root.strip_prefix("./").unwrap_or(root)),
        },
    };
    print!("{}", report::render(&report, options.format, &style));
    if matches!(options.format, Format::Json | Format::Junit) {
        eprintln!("{}", report.summary_line());
    }
    let failed = report.count(Severity::Error) > 0
        || (options.strict && report.count(Severity::Warning) > 0);
    Ok(if failed { Verdict::Fail } else { Verdict::Pass })
}
