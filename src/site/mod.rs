//! The whole build, as one short sequence of stages: load the theme and UI strings, read the
//! content, render every page, write the output atomically.

pub mod live;
pub mod nav;
pub mod output;
pub mod pages;
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
use crate::model::{self, LocaleContent};
use crate::theme::Theme;
pub use output::Output;
use pages::Renderer;
use templates::Templates;
use translations::Translations;

/// What a finished build reports.
#[derive(Debug)]
pub struct BuildReport {
    /// Articles written, per locale code, in config order.
    pub pages: Vec<(String, usize)>,
    /// Pages in the search index.
    pub searchable: usize,
    pub warnings: Vec<Warning>,
    pub elapsed: Duration,
    /// The search index of each locale (`None` with search off), kept when the site was built
    /// into memory: the dev server replaces the saved pages' entries in them.
    pub search: Vec<Option<search::Index>>,
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
pub fn build(config: &Config, output: &Output, report: Option<&Report>) -> Result<BuildReport> {
    let started = Instant::now();
    let site = model::Site::load(config)?;
    let look = Look::load(config)?;
    build_site(config, &site, &look, output, report, started, &|_| {})
}

/// Called with the number of pages just written, from any thread.
pub type Progress<'a> = &'a (dyn Fn(u64) + Sync);

/// Renders the loaded site (the model the checks read too) into `output`. A site with front
/// matter mistakes is not built: they are all reported together. `started` is when the build
/// began, for the report.
pub fn build_site(
    config: &Config,
    site: &model::Site,
    look: &Look,
    output: &Output,
    report: Option<&Report>,
    started: Instant,
    progress: Progress<'_>,
) -> Result<BuildReport> {
    if let Some(errors) = site.front_errors() {
        return Err(errors);
    }
    let contents = &site.contents[..];
    let mut warnings: Vec<Warning> = contents
        .iter()
        .flat_map(|c| c.files.skipped.iter().cloned())
        .collect();
    unique_urls(contents)?;
    no_reserved_paths(config, contents)?;
    warnings.extend(look.warnings.iter().cloned());
    let (theme, strings, templates) = (&look.theme, &look.strings, &look.templates);
    let translations = Translations::new(site);
    let outdated = report.map(status::outdated_paths).unwrap_or_default();

    let cache = crate::markdown::Cache::default();
    let renderer = Renderer {
        config,
        theme,
        strings,
        templates,
        translations: &translations,
        contents,
        outdated: &outdated,
        cache: &cache,
        progress,
    };
    let mut counts = Vec::with_capacity(contents.len());
    let mut searchable = 0;
    let mut kept = Vec::new();
    let mut sitemap_pages = Vec::new();
    let keep = output.is_memory();
    for content in contents {
        let tag = &content.locale.tag;
        let mut index = config.site.search.then(|| match keep {
            true => search::Index::replaceable(tag),
            false => search::Index::new(tag),
        });
        let produced = renderer.locale_pages(content, output, index.as_ref(), &mut warnings)?;
        if let Some(index) = &mut index {
            let (files, pages) = index.files(&content.locale.code)?;
            for (path, bytes) in files {
                output.write(&path, &bytes)?;
            }
            searchable += pages;
        }
        if keep {
            kept.push(index);
        }
        for asset in &content.files.assets {
            output.copy(
                &format!("{}/{asset}", content.locale.code),
                &content.locale.content_dir.join(asset),
            )?;
        }
        counts.push((content.locale.code.clone(), produced.articles));
        sitemap_pages.push((content.locale.code.clone(), produced.urls));
    }
    for page in renderer.root_pages(&counts)? {
        output.write(&page.path, page.html.as_bytes())?;
    }
    site_files(config, look, contents, report, &sitemap_pages, output)?;
    Ok(BuildReport {
        pages: counts,
        searchable,
        warnings,
        elapsed: started.elapsed(),
        search: kept,
    })
}

/// The files of the whole site: the sitemap, robots.txt, the status dashboard (with a check's
/// report), the highlighting stylesheet and the theme's static files.
fn site_files(
    config: &Config,
    look: &Look,
    contents: &[LocaleContent],
    report: Option<&Report>,
    sitemap_pages: &[(String, Vec<(String, String)>)],
    output: &Output,
) -> Result<()> {
    output.write(
        "sitemap.xml",
        sitemap::sitemap(config, sitemap_pages, &look.templates)?.as_bytes(),
    )?;
    output.write("robots.txt", sitemap::robots(config).as_bytes())?;
    if let Some(report) = report.filter(|_| config.site.status) {
        let t = look.strings.table(&look.theme, status::LANGUAGE);
        let write = |path: String, text: String| output.write(&path, text.as_bytes());
        status::pages(config, report, contents, &look.templates, &t, &write)?;
    }
    output.write(
        "static/syntax.css",
        crate::markdown::highlight::stylesheet().as_bytes(),
    )?;
    for (name, file) in look.theme.static_files() {
        output.write(&format!("static/{name}"), &file.bytes)?;
    }
    Ok(())
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
    let mut errors = Vec::new();
    for content in contents {
        let mut seen: std::collections::HashMap<String, &model::Article> =
            std::collections::HashMap::new();
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
    }
    match Error::from_many(errors) {
        Some(e) => Err(e),
        None => Ok(()),
    }
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
