//! The theme: page templates, static assets (CSS, JS) and UI strings.
//!
//! The default theme is embedded in the binary, so `tolk build` works in a docs repository that
//! holds only `content/`. A file of the same name under the site's `templates/` replaces the
//! embedded one; new files are added. UI strings merge message by message: the site's `.ftl`
//! files of a locale come after the embedded ones, and their messages win.

use std::collections::BTreeMap;
use std::path::Path;

use fluent::FluentResource;
use fluent_syntax::ast::Entry;
use include_dir::{include_dir, Dir};
use walkdir::WalkDir;

use crate::error::{Error, Result};

static TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");
static LOCALES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/locales");

/// One file of the theme.
#[derive(Debug, Clone)]
pub struct ThemeFile {
    /// The path as shown in messages: `templates/page.html`.
    pub shown: String,
    pub bytes: Vec<u8>,
    /// Whether this is the file tolk ships, not one of the site's.
    pub built_in: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Theme {
    /// Keyed by the path under `templates/`: `page.html`, `static/tolk.css`.
    templates: BTreeMap<String, ThemeFile>,
    /// Keyed by locale code: the embedded files, then the site's, each in name order.
    locales: BTreeMap<String, Vec<ThemeFile>>,
    /// Message ids of each locale, in file order.
    message_ids: BTreeMap<String, Vec<String>>,
}

impl Theme {
    /// The embedded theme with the site's own files on top.
    pub fn load(root: &Path) -> Result<Theme> {
        let mut templates = Vec::new();
        embedded_files(&TEMPLATES, &mut templates);
        let mut locales = Vec::new();
        embedded_files(&LOCALES, &mut locales);
        let mut theme = Theme::default();
        for (rel, bytes) in templates {
            theme.insert_template(&rel, format!("templates/{rel} (built in)"), bytes, true);
        }
        for (rel, bytes) in locales {
            theme.insert_locale_file(&rel, format!("locales/{rel} (built in)"), bytes, true);
        }
        for (rel, bytes) in disk_files(&root.join("templates"))? {
            theme.insert_template(&rel, format!("templates/{rel}"), bytes, false);
        }
        for (rel, bytes) in disk_files(&root.join("locales"))? {
            theme.insert_locale_file(&rel, format!("locales/{rel}"), bytes, false);
        }
        theme.index_messages();
        Ok(theme)
    }

    /// A theme made of the given files only (paths start with `templates/` or `locales/`).
    pub fn from_files(templates: Vec<(String, String)>, locales: Vec<(String, String)>) -> Theme {
        let mut theme = Theme::default();
        for (path, text) in templates {
            let rel = path.strip_prefix("templates/").unwrap_or(&path).to_owned();
            theme.insert_template(&rel, path, text.into_bytes(), false);
        }
        for (path, text) in locales {
            let rel = path.strip_prefix("locales/").unwrap_or(&path).to_owned();
            theme.insert_locale_file(&rel, path, text.into_bytes(), false);
        }
        theme.index_messages();
        theme
    }

    fn insert_template(&mut self, rel: &str, shown: String, bytes: Vec<u8>, built_in: bool) {
        self.templates.insert(
            rel.to_owned(),
            ThemeFile {
                shown,
                bytes,
                built_in,
            },
        );
    }

    /// Whether the template `name` (`page.html`) is the one tolk ships.
    pub fn is_built_in(&self, name: &str) -> bool {
        self.templates.get(name).is_some_and(|file| file.built_in)
    }

    fn insert_locale_file(&mut self, rel: &str, shown: String, bytes: Vec<u8>, built_in: bool) {
        let Some((code, name)) = rel.split_once('/') else {
            return;
        };
        if !name.ends_with(".ftl") {
            return;
        }
        self.locales
            .entry(code.to_owned())
            .or_default()
            .push(ThemeFile {
                shown,
                bytes,
                built_in,
            });
    }

    fn index_messages(&mut self) {
        self.message_ids = self
            .locales
            .keys()
            .map(|code| {
                let ids = self
                    .locale_files(code)
                    .into_iter()
                    .flat_map(|(_, text)| {
                        let resource = FluentResource::try_new(text).unwrap_or_else(|(r, _)| r);
                        resource
                            .entries()
                            .filter_map(|entry| match entry {
                                Entry::Message(m) => Some(m.id.name.to_owned()),
                                _ => None,
                            })
                            .collect::<Vec<_>>()
                    })
                    .fold(Vec::new(), |mut ids: Vec<String>, id| {
                        if !ids.contains(&id) {
                            ids.push(id);
                        }
                        ids
                    });
                (code.clone(), ids)
            })
            .collect();
    }

    /// The HTML templates, as (name, shown path, text).
    pub fn templates(&self) -> impl Iterator<Item = (&str, &ThemeFile)> {
        self.templates
            .iter()
            .filter(|(name, _)| name.ends_with(".html") || name.ends_with(".xml"))
            .map(|(name, file)| (name.as_str(), file))
    }

    /// Files under `templates/static/`, copied to the output's `static/` folder.
    pub fn static_files(&self) -> impl Iterator<Item = (&str, &ThemeFile)> {
        self.templates
            .iter()
            .filter_map(|(name, file)| name.strip_prefix("static/").map(|rel| (rel, file)))
    }

    /// The `.ftl` files of a locale as (shown path, text).
    pub fn locale_files(&self, code: &str) -> Vec<(String, String)> {
        self.locales
            .get(code)
            .map(|files| {
                files
                    .iter()
                    .map(|f| {
                        (
                            f.shown.clone(),
                            String::from_utf8_lossy(&f.bytes).into_owned(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn message_ids(&self, code: &str) -> Vec<String> {
        self.message_ids.get(code).cloned().unwrap_or_default()
    }
}

fn embedded_files(dir: &Dir<'static>, out: &mut Vec<(String, Vec<u8>)>) {
    for file in dir.files() {
        let rel = file.path().to_string_lossy().replace('\\', "/");
        out.push((rel, file.contents().to_vec()));
    }
    for sub in dir.dirs() {
        embedded_files(sub, out);
    }
}

fn disk_files(dir: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();
    if !dir.is_dir() {
        return Ok(files);
    }
    for entry in WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| Error::io("read", dir)(e.into()))?;
        if !entry.file_type().is_file() || entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        let Ok(rel) = path.strip_prefix(dir) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        let bytes = std::fs::read(path).map_err(Error::io("read", path))?;
        files.push((rel, bytes));
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_theme_has_templates_and_strings() -> Result<()> {
        let theme = Theme::load(Path::new("/nonexistent"))?;
        let names: Vec<&str> = theme.templates().map(|(n, _)| n).collect();
        for needed in ["base.html", "page.html", "home.html", "root.html"] {
            assert!(names.contains(&needed), "{names:?}");
        }
        assert!(theme.static_files().any(|(n, _)| n == "tolk.css"));
        for code in ["en", "nl", "fr", "it"] {
            assert!(
                theme
                    .message_ids(code)
                    .iter()
                    .any(|id| id == "callout-important"),
                "{code}"
            );
        }
        Ok(())
    }

    #[test]
    fn a_site_template_is_not_the_built_in_one_even_when_equal() -> Result<()> {
        let dir = tempfile::tempdir().map_err(Error::io("create", Path::new("tmp")))?;
        let templates = dir.path().join("templates");
        std::fs::create_dir_all(&templates).map_err(Error::io("create", &templates))?;
        let page = Theme::load(dir.path())?
            .templates
            .get("page.html")
            .map(|file| file.bytes.clone())
            .unwrap_or_default();
        std::fs::write(templates.join("page.html"), page)
            .map_err(Error::io("write", &templates))?;
        let theme = Theme::load(dir.path())?;
        assert!(!theme.is_built_in("page.html"));
        assert!(theme.is_built_in("base.html"));
        assert!(!theme.is_built_in("missing.html"));
        Ok(())
    }

    #[test]
    fn disk_files_come_after_the_embedded_ones() -> Result<()> {
        let dir = tempfile::tempdir().map_err(Error::io("create", Path::new("tmp")))?;
        let nl = dir.path().join("locales/nl");
        std::fs::create_dir_all(&nl).map_err(Error::io("create", &nl))?;
        std::fs::write(nl.join("main.ftl"), "only = Alleen\non-this-page = Hier\n")
            .map_err(Error::io("write", &nl))?;
        let theme = Theme::load(dir.path())?;
        let ids = theme.message_ids("nl");
        assert!(ids.iter().any(|id| id == "callout-important"), "{ids:?}");
        assert_eq!(ids.iter().filter(|id| *id == "on-this-page").count(), 1);
        assert_eq!(ids.last().map(String::as_str), Some("only"));
        let files = theme.locale_files("nl");
        assert_eq!(files[0].0, "locales/nl/main.ftl (built in)");
        assert_eq!(files[1].0, "locales/nl/main.ftl");
        Ok(())
    }
}
