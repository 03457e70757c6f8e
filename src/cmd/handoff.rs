//! `tolk handoff export` and `tolk handoff import`: the translation handoff of
//! [`crate::handoff`], with its files read and written here.

use std::collections::HashSet;
use std::path::PathBuf;

use crate::check::fix::{self, diff, FileFix};
use crate::check::report::{self, Format, Style};
use crate::check::scope::Changed;
use crate::check::{self, Rule, Scope, Severity};
use crate::cmd::check::Verdict;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::handoff::{export, import, xliff};
use crate::model::{parse_article, Site};

#[derive(Debug, Clone)]
pub struct ExportOptions {
    pub root: PathBuf,
    pub locale: String,
    /// Where to write the XLIFF; standard output when `None`.
    pub out: Option<PathBuf>,
    pub paths: Vec<String>,
    /// Only translations whose source changed since this git ref.
    pub changed_since: Option<String>,
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
    let wanted = export::ExportScope {
        locale: options.locale.clone(),
        paths: options.paths.clone(),
        changed_since: options.changed_since.clone(),
    };
    let plans = export::plans(&config, &site, &wanted)?;
    let xml = xliff::write(&export::document(&config, &options.locale, &plans));
    let units: usize = plans.iter().map(|p| p.units.len()).sum();
    let words: usize = plans.iter().flat_map(|p| &p.units).map(|u| u.words).sum();
    match &options.out {
        Some(path) => std::fs::write(path, xml).map_err(Error::io("write", path))?,
        None => super::print(&xml)?,
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

/// Imports the file, then checks the articles it wrote (or, with `--dry-run`, would write):
/// [`Verdict::Fail`] when that check finds an error, as `tolk check` would.
pub fn import(options: &ImportOptions) -> Result<Verdict> {
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
            super::print(&diff(&file_fix(change)))?;
        } else {
            write(change)?;
            eprintln!("updated {}", change.shown);
        }
    }
    for problem in &outcome.problems {
        eprintln!("{problem}");
    }
    let verdict = check_imported(&config, site, &outcome.changes, options.dry_run)?;
    match outcome.problems.len() {
        0 => Ok(verdict),
        n => Err(Error::setup(
            format!(
                "{n} problem{} in {shown}; the articles they concern were not written",
                if n == 1 { "" } else { "s" }
            ),
            "fix what each line above says and import again",
        )),
    }
}

/// Runs the check over the site as the import left it (or would leave it) and prints, on
/// standard error, what it finds in the imported articles, one line each as
/// `tolk check --format short` does, then a summary line.
fn check_imported(
    config: &Config,
    site: Site,
    changes: &[import::ArticleEdit],
    dry_run: bool,
) -> Result<Verdict> {
    if changes.is_empty() {
        return Ok(Verdict::Pass);
    }
    let (site, changed) = site_after(config, site, changes, dry_run);
    let mut report = check::run_scoped(config, &site, &Scope::Changed(changed))?;
    let imported: HashSet<&str> = changes.iter().map(|c| c.shown.as_str()).collect();
    report
        .findings
        .retain(|f| imported.contains(&*f.path) && f.rule != Rule::MissingTranslation);
    eprint!(
        "{}",
        report::render(&report, Format::Short, &Style::default())
    );
    let errors = report.count(Severity::Error);
    eprintln!(
        "checked {} imported article{}{}: {} error{}, {} warning{}",
        changes.len(),
        if changes.len() == 1 { "" } else { "s" },
        if dry_run { " as they would be" } else { "" },
        errors,
        if errors == 1 { "" } else { "s" },
        report.count(Severity::Warning),
        if report.count(Severity::Warning) == 1 {
            ""
        } else {
            "s"
        },
    );
    Ok(if errors > 0 {
        Verdict::Fail
    } else {
        Verdict::Pass
    })
}

/// `site` with each imported article parsed from its new text (read back from disk once
/// written), and the articles that changed.
fn site_after(
    config: &Config,
    mut site: Site,
    changes: &[import::ArticleEdit],
    dry_run: bool,
) -> (Site, Changed) {
    let mut changed = Changed::default();
    for change in changes {
        let Some(content) = site
            .contents
            .iter_mut()
            .find(|c| change.path.starts_with(&c.locale.content_dir))
        else {
            continue;
        };
        let Ok(rel) = change.path.strip_prefix(&content.locale.content_dir) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        let text = match dry_run {
            true => change.after.clone(),
            false => std::fs::read_to_string(&change.path).unwrap_or_else(|_| change.after.clone()),
        };
        let article = parse_article(&content.locale.code, &rel, change.shown.clone(), text);
        match content.articles.binary_search_by(|a| a.rel_path.cmp(&rel)) {
            Ok(i) => content.articles[i] = article,
            Err(i) => content.articles.insert(i, article),
        }
        if !content.files.articles.contains(&rel) {
            content.files.articles.push(rel.clone());
        }
        changed.articles.insert((content.locale.code.clone(), rel));
    }
    site.regroup(config);
    (site, changed)
}

fn file_fix(change: &import::ArticleEdit) -> FileFix {
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
fn write(change: &import::ArticleEdit) -> Result<()> {
    if change.path.exists() {
        return fix::apply(&[file_fix(change)]);
    }
    if let Some(parent) = change.path.parent() {
        std::fs::create_dir_all(parent).map_err(Error::io("create", parent))?;
    }
    std::fs::write(&change.path, &change.after).map_err(Error::io("write", &change.path))
}
