//! `tolk build`: the whole site, written atomically, then the translation checks' summary.

use std::path::PathBuf;

use crate::check::{self, Severity};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::site::{self, Output};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Defaults to `root/public`.
    pub out: Option<PathBuf>,
    pub base_url: Option<String>,
    /// Fail, keeping the previous output, when the checks find an error.
    pub strict: bool,
    /// Run the checks of `tolk check` and print their summary.
    pub check: bool,
}

pub fn execute(options: &BuildOptions) -> Result<()> {
    let mut config = Config::load(&options.root)?;
    if let Some(url) = &options.base_url {
        config.set_base_url(url)?;
    }
    let out = options
        .out
        .clone()
        .unwrap_or_else(|| options.root.join("public"));
    site::check_output_dir(&config, &out)?;
    // The checks run first: their findings mark out-of-date pages and fill the status page,
    // and a strict build that fails them never touches the previous site.
    let checked = if options.check {
        Some(check::run(&config)?)
    } else {
        None
    };
    if let Some(checked) = checked.as_ref().filter(|_| options.strict) {
        let errors = checked.count(Severity::Error);
        if errors > 0 {
            eprint!(
                "{}",
                check::report::render(checked, check::report::Format::Human, &Default::default())
            );
            return Err(Error::setup(
                format!(
                    "the translation checks found {errors} error{}; the previous site was kept",
                    if errors == 1 { "" } else { "s" }
                ),
                "fix the errors above, or build without --strict",
            ));
        }
    }
    let output = Output::disk(&out)?;
    let report = site::build(&config, &output, checked.as_ref())?;
    output.commit()?;

    for warning in &report.warnings {
        eprintln!("warning: {warning}");
    }
    let per_locale: Vec<String> = report
        .pages
        .iter()
        .map(|(code, n)| format!("{code} {n}"))
        .collect();
    let total: usize = report.pages.iter().map(|(_, n)| n).sum();
    println!(
        "Built {total} articles ({}) in {:.2} s into {}{}",
        per_locale.join(", "),
        report.elapsed.as_secs_f64(),
        out.strip_prefix(".").unwrap_or(&out).display(),
        match report.warnings.len() {
            0 => String::new(),
            1 => ", 1 warning".to_owned(),
            n => format!(", {n} warnings"),
        }
    );
    if let Some(checked) = checked {
        println!("{}; run `tolk check` for details", checked.summary_line());
    }
    Ok(())
}
