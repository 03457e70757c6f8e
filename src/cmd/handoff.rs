//! `tolk handoff export` and `tolk handoff import`: the translation handoff of
//! [`crate::handoff`], with its files read and written here.

use std::path::PathBuf;

use crate::check::fix::{self, diff, FileFix};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::handoff::{export, import, xliff};
use crate::model::Site;

#[derive(Debug, Clone)]
pub struct ExportOptions {
    pub root: PathBuf,
    pub locale: String,
    /// Where to write the XLIFF; standard output when `None`.
    pub out: Option<PathBuf>,
    pub paths: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub root: PathBuf,
    pub file: PathBuf,
    pub dry_run: bool,
}

pub fn export(options: &ExportOptions) -> Result<()> {
    let config = Config::load(&options.root)?;
    let site = Site::load(&config)?;
    let wanted = export::ExportOptions {
        locale: options.locale.clone(),
        paths: options.paths.clone(),
    };
    let plans = export::plans(&config, &site, &wanted)?;
    let xml = xliff::write(&export::document(&config, &options.locale, &plans));
    let units: usize = plans.iter().map(|p| p.units.len()).sum();
    let words: usize = plans.iter().flat_map(|p| &p.units).map(|u| u.words).sum();
    match &options.out {
        Some(path) => std::fs::write(path, xml).map_err(Error::io("write", path))?,
        None => print!("{xml}"),
    }
    eprintln!(
        "{units} segment{} ({words} words) of {} article{} to translate into {}",
        if units == 1 { "" } else { "s" },
        plans.len(),
        if plans.len() == 1 { "" } else { "s" },
        options.locale
    );
    Ok(())
}

pub fn import(options: &ImportOptions) -> Result<()> {
    let config = Config::load(&options.root)?;
    let site = Site::load(&config)?;
    let bytes = std::fs::read(&options.file).map_err(Error::io("read", &options.file))?;
    let shown = config.display_path(&options.file);
    let text = String::from_utf8(bytes).map_err(|_| {
        Error::setup(
            format!("{shown}:1:1: the file is not UTF-8"),
            "save the XLIFF file as UTF-8",
        )
    })?;
    let outcome = import::plan_import(&config, &site, &shown, &text)?;
    for change in &outcome.changes {
        if options.dry_run {
            print!("{}", diff(&file_fix(change)));
        } else {
            write(change)?;
            eprintln!("updated {}", change.shown);
        }
    }
    for problem in &outcome.problems {
        eprintln!("{problem}");
    }
    match outcome.problems.len() {
        0 => Ok(()),
        n => Err(Error::setup(
            format!(
                "{n} problem{} in {shown}; the articles they concern were not written",
                if n == 1 { "" } else { "s" }
            ),
            "fix what each line above says and import again",
        )),
    }
}

fn file_fix(change: &import::Change) -> FileFix {
    FileFix {
        path: change.path.clone(),
        shown: change.shown.clone(),
        before: change.before.clone(),
        after: change.after.clone(),
        changes: Vec::new(),
    }
}

/// Writes an article: an existing one as `tolk check --fix` does (each line keeps its ending,
/// the file is replaced atomically), a new one created.
fn write(change: &import::Change) -> Result<()> {
    if change.path.exists() {
        return fix::apply(&[file_fix(change)]);
    }
    if let Some(parent) = change.path.parent() {
        std::fs::create_dir_all(parent).map_err(Error::io("create", parent))?;
    }
    std::fs::write(&change.path, &change.after).map_err(Error::io("write", &change.path))
}
