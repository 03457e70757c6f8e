//! `tolk build`: the whole site, written atomically.

use std::path::PathBuf;

use crate::config::Config;
use crate::error::Result;
use crate::site::{self, Output};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Defaults to `root/public`.
    pub out: Option<PathBuf>,
    pub base_url: Option<String>,
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
    let output = Output::disk(&out)?;
    let report = site::build(&config, &output)?;
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
    Ok(())
}
