//! The site's pages: what a build renders ([`plan`]), the one renderer of a plan ([`render`]),
//! and the whole build as one short sequence: check the paths, plan everything, render it into
//! the output, which is swapped in atomically.

pub mod nav;
pub mod output;
pub mod pages;
pub mod plan;
pub mod render;
pub mod search;
pub mod side_by_side;
pub mod sitemap;
pub mod status;
pub mod templates;
pub mod translations;
pub mod urls;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::check::Report;
use crate::config::Config;
use crate::error::{Error, Result, Warning};
use crate::i18n::Strings;
use crate::locale::LocaleCode;
use crate::model::{self, LocaleContent};
use crate::theme::Theme;
pub use output::{Changes, Output};
pub use plan::Plan;
pub use render::{Publisher, RenderReport};
use templates::Templates;

/// What a finished build reports.
#[derive(Debug)]
pub struct BuildReport {
    /// Articles written, per locale code, in config order.
    pub pages: Vec<(LocaleCode, usize)>,
    /// Pages in the search index.
    pub searchable: usize,
    pub warnings: Vec<Warning>,
    pub elapsed: Duration,
    /// The renderer of a whole build ([`build_site`]), with every locale's navigation: dropped
    /// with the report, or left to the process's exit by `tolk build` (freeing it took 16 ms
    /// at 10,000 x 3 on the bench corpus, with nothing else left to do).
    pub renderer: Option<Publisher>,
}

/// What the pages look like: the theme, its UI strings and templates, loaded once for a build
/// (and kept by the dev server between updates).
#[derive(Debug)]
pub struct Look {
    pub theme: Theme,
    pub strings: Strings,
    pub templates: Templates,
    /// What loading the UI strings found (reported with the build's warnings).
    pub warnings: Vec<Warning>,
}

impl Look {
    pub fn load(config: &Config) -> Result<Look> {
        let theme = Theme::load(&config.root)?;
        let codes: Vec<&str> = config.locales.iter().map(|l| l.code.as_str()).collect();
        let mut warnings = Vec::new();
        let strings = Strings::load(&theme, &codes, config.ui_fallback_locale(), &mut warnings)?;
        let templates = Templates::new(&theme)?;
        Ok(Look {
            theme,
            strings,
            templates,
            warnings,
        })
    }
}

/// Loads the site of `config` and builds it into `output`. With the check's `report`,
/// out-of-date translations carry a notice and the status dashboard is written.
pub fn build(config: &Config, output: &Output, report: Option<&mut Report>) -> Result<BuildReport> {
    let started = Instant::now();
    let mut site = model::Site::load(config)?;
    let look = Look::load(config)?;
    build_site(config, &mut site, look, output, report, started, &|_| {})
}

/// Called with the number of pages just written, from any thread.
pub type Progress<'a> = &'a (dyn Fn(u64) + Sync);

/// Renders the loaded site (the model the checks read too) into `output`. A site with front
/// matter mistakes is not built: they are all reported together. `started` is when the build
/// began, for the report. The site's articles let go of their texts on the way
/// ([`Keep::Nothing`]).
pub fn build_site(
    config: &Config,
    site: &mut model::Site,
    look: Look,
    output: &Output,
    report: Option<&mut Report>,
    started: Instant,
    progress: Progress<'_>,
) -> Result<BuildReport> {
    let (renderer, built) = publish(config, site, look, output, report, Keep::Nothing, progress)?;
    Ok(BuildReport {
        elapsed: started.elapsed(),
        renderer: Some(renderer),
        ..built
    })
}

/// What a whole build keeps for later plans of the same site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// Nothing (`tolk build`): once the status site's side-by-side pages, the last to quote
    /// texts whole, are made, the articles let go of their texts
    /// ([`model::Site::release_texts`]) and each page reads its file again, but the first
    /// locale's, which take theirs from memory. 140 MB at 10,000 x 3 on the bench corpus.
    Nothing,
    /// The texts and the search indexes: the dev server renders pages again after saves.
    ForUpdates,
}

/// Builds the whole site, as [`build_site`], and returns what later plans of the same site
/// need (the dev server's updates), as far as `keep` keeps it.
pub fn publish(
    config: &Config,
    site: &mut model::Site,
    look: Look,
    output: &Output,
    mut report: Option<&mut Report>,
    keep: Keep,
    progress: Progress<'_>,
) -> Result<(Publisher, BuildReport)> {
    let started = Instant::now();
    if let Some(errors) = site.front_errors() {
        return Err(errors);
    }
    let mut warnings: Vec<Warning> = site
        .contents
        .iter()
        .flat_map(|c| c.files.skipped.iter().cloned())
        .collect();
    let (unique, unreserved) = rayon::join(
        || unique_urls(&site.contents),
        || no_reserved_paths(config, &site.contents),
    );
    unique?;
    unreserved?;
    warnings.extend(look.warnings.iter().cloned());
    let mut plan = Plan::whole();
    if keep == Keep::Nothing {
        // Made while every text is here, and before the pages' navigation, which then takes
        // the texts' place in memory; the article pages read their files again (but the
        // first locale's), and the dashboard needs no alignment rows.
        render::side_by_side(config, site, &look, report.as_deref(), output)?;
        plan.side_by_side_made = true;
        if let Some(report) = report.as_deref_mut() {
            report.forget_alignment_rows();
        }
        site.release_texts();
    }
    let report = report.as_deref();
    let mut publisher = Publisher::new(config, site, look, report, keep == Keep::ForUpdates);
    let rendered = publisher.render(config, site, &plan, report, output, progress)?;
    warnings.extend(rendered.warnings);
    let built = BuildReport {
        pages: site
            .contents
            .iter()
            .map(|c| (c.locale.code.clone(), c.articles.len()))
            .collect(),
        searchable: rendered.searchable,
        warnings,
        elapsed: started.elapsed(),
        renderer: None,
    };
    Ok((publisher, built))
}

/// Generated files and folders (`search/`, `static/`, `sitemap.xml`) must not be articles' or
/// copied files' paths.
fn no_reserved_paths(config: &Config, contents: &[LocaleContent]) -> Result<()> {
    let collisions = urls::reserved_collisions(config, contents);
    match Error::from_many(
        collisions
            .into_iter()
            .map(|m| Error::setup(m, "generated files and folders are listed under \"Errors and exit codes\" in the README"))
            .collect(),
    ) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Two articles must not be published at the same URL (`a.md` and `a/index.md`).
fn unique_urls(contents: &[LocaleContent]) -> Result<()> {
    use rayon::prelude::*;
    // The locales side by side.
    let per_locale: Vec<Vec<Error>> = contents.par_iter().map(locale_unique_urls).collect();
    match Error::from_many(per_locale.into_iter().flatten().collect()) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// The articles of one locale that would be published at the URL of one before them.
fn locale_unique_urls(content: &LocaleContent) -> Vec<Error> {
    let mut errors = Vec::new();
    let mut seen: foldhash::HashMap<String, &model::Article> =
        foldhash::HashMap::with_capacity_and_hasher(content.articles.len(), Default::default());
    for article in &content.articles {
        let url = urls::article_url(&article.rel_path);
        if let Some(first) = seen.get(&url) {
            errors.push(Error::from(
                crate::error::SourceError::new(
                    crate::error::SourceErrorKind::Content,
                    &article.shown_path,
                    &article.text,
                    0..0,
                    format!(
                        "{} and {} would both be published at {}/{url}",
                        first.shown_path, article.shown_path, content.locale.code
                    ),
                )
                .with_help("rename or remove one of them"),
            ));
        } else {
            seen.insert(url, article);
        }
    }
    errors
}

/// Refuses output folders whose replacement would destroy sources: the site root, a content
/// folder, or any folder that contains one of them (or lies inside a content folder).
pub fn check_output_dir(config: &Config, out: &Path) -> Result<()> {
    let out_abs = absolute(out);
    let root = absolute(&config.root);
    if root.starts_with(&out_abs) {
        let reason = if out_abs == root {
            "it is the site root"
        } else {
            "it contains the site root"
        };
        return Err(Error::OutputDir {
            out: out.to_owned(),
            reason: reason.to_owned(),
        });
    }
    for locale in &config.locales {
        let content = absolute(&locale.content_dir);
        let shown = config.display_path(&locale.content_dir);
        let reason = if content == out_abs {
            format!("it is the content folder of locale `{}`", locale.code)
        } else if content.starts_with(&out_abs) {
            format!(
                "it contains {shown}, the content of locale `{}`",
                locale.code
            )
        } else if out_abs.starts_with(&content) {
            format!(
                "it is inside {shown}, the content of locale `{}`",
                locale.code
            )
        } else {
            continue;
        };
        return Err(Error::OutputDir {
            out: out.to_owned(),
            reason,
        });
    }
    match output::refusal(&root, &out_abs) {
        Some(reason) => Err(Error::OutputDir {
            out: out.to_owned(),
            reason,
        }),
        None => Ok(()),
    }
}

/// An absolute, lexically normalized path, with symlinks resolved for the part that exists.
fn absolute(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    let mut normal = PathBuf::new();
    for part in abs.components() {
        match part {
            std::path::Component::ParentDir => {
                normal.pop();
            }
            std::path::Component::CurDir => {}
            other => normal.push(other),
        }
    }
    // Resolve symlinks in the longest existing prefix.
    let mut existing = normal.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (
            existing.file_name().map(|n| n.to_owned()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_owned();
            }
            _ => return normal,
        }
    }
    let mut resolved = existing.canonicalize().unwrap_or(existing);
    for name in rest.into_iter().rev() {
        resolved.push(name);
    }
    resolved
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_output_folders_that_hold_sources() -> Result<()> {
        let config = Config::parse(
            Path::new("/site"),
            "tolk.toml",
            "[[locales]]\ncode = \"nl\"\n[[locales]]\ncode = \"fr\"\ncontent = \"/elsewhere/fr\"\n",
        )?;
        for (out, refused) in [
            ("/site", true),
            ("/", true),
            ("/site/content", true),
            ("/site/content/nl", true),
            ("/site/content/nl/public", true),
            ("/elsewhere", true),
            ("/site/public", false),
            ("/site/../public", false),
            ("/tmp/out", false),
        ] {
            assert_eq!(
                check_output_dir(&config, Path::new(out)).is_err(),
                refused,
                "{out}"
            );
        }
        Ok(())
    }
}
