//! Finds the files of each locale: articles (`*.md`), navigation (`TOC.md`) and assets.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::config::Locale;
use crate::error::{Error, Result, Warning};

/// The files found in one locale's content folder, each as a path relative to that folder,
/// with `/` separators, sorted.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct LocaleFiles {
    pub articles: Vec<String>,
    /// `TOC.md` files: navigation for later stages, not pages.
    pub navigation: Vec<String>,
    /// Images and other files that are copied beside the articles.
    pub assets: Vec<String>,
    /// What was left out and why: symbolic links that leave the site or loop.
    pub skipped: Vec<Warning>,
}

/// What kind of file a content path is, judged by its name alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Article,
    Navigation,
    Asset,
    /// Hidden files, drafts and `_includes/`: not part of the site.
    Skipped,
}

/// Classifies a path relative to a locale's content folder.
pub fn classify(rel: &str) -> FileKind {
    let mut parts = rel.split('/').peekable();
    while let Some(part) = parts.next() {
        let is_last = parts.peek().is_none();
        if part.starts_with('.') || (!is_last && part == "_includes") {
            return FileKind::Skipped;
        }
        if is_last {
            return if part == "TOC.md" {
                FileKind::Navigation
            } else if part.ends_with(".md") {
                FileKind::Article
            } else if part.ends_with(".md.draft") || part.ends_with('~') || part.ends_with(".swp") {
                FileKind::Skipped
            } else {
                FileKind::Asset
            };
        }
    }
    FileKind::Skipped
}

fn shown(site_root: &Path, path: &Path) -> String {
    path.strip_prefix(site_root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Walks `locale.content_dir` of the site in `site_root`. A missing folder is an error that
/// says how to fix it.
pub fn discover(locale: &Locale, site_root: &Path, shown_dir: &str) -> Result<LocaleFiles> {
    let dir = &locale.content_dir;
    if !dir.is_dir() {
        return Err(Error::setup(
            format!("the content folder of locale `{}` does not exist: {shown_dir}", locale.code),
            format!(
                "create {shown_dir}/ with the {} articles, or set `content` for this locale in tolk.toml",
                locale.name
            ),
        ));
    }
    let mut files = LocaleFiles::default();
    let walker = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_skipped_dir(e.path(), e.file_type().is_dir()));
    // Links may point anywhere inside the content folder's own tree or the site; a link out of
    // them (to a home folder, to /etc) is not published.
    let allowed: Vec<PathBuf> = [dir.canonicalize().ok(), site_root.canonicalize().ok()]
        .into_iter()
        .flatten()
        .collect();
    let mut walker = walker;
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) if e.loop_ancestor().is_some() => {
                let path = e.path().map_or_else(|| dir.clone(), Path::to_path_buf);
                files.skipped.push(Warning {
                    location: None,
                    message: format!(
                        "{}: a symbolic link loop; left out",
                        shown(site_root, &path)
                    ),
                });
                continue;
            }
            Err(e) => {
                let path = e.path().map_or_else(|| dir.clone(), Path::to_path_buf);
                return Err(Error::io("read", &path)(e.into()));
            }
        };
        if entry.path_is_symlink() {
            let target = entry.path().canonicalize().ok();
            let inside = target
                .as_ref()
                .is_some_and(|t| allowed.iter().any(|a| t.starts_with(a)));
            if !inside {
                files.skipped.push(Warning {
                    location: None,
                    message: format!(
                        "{}: a symbolic link to {} outside the site; left out",
                        shown(site_root, entry.path()),
                        target.map_or_else(|| "nothing".to_owned(), |t| t.display().to_string())
                    ),
                });
                if entry.file_type().is_dir() {
                    walker.skip_current_dir();
                }
                continue;
            }
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let Some(rel) = relative(dir, entry.path()) else {
            continue;
        };
        match classify(&rel) {
            FileKind::Article => files.articles.push(rel),
            FileKind::Navigation => files.navigation.push(rel),
            FileKind::Asset => files.assets.push(rel),
            FileKind::Skipped => {}
        }
    }
    Ok(files)
}

fn is_skipped_dir(path: &Path, is_dir: bool) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name.starts_with('.') || (is_dir && name == "_includes")
}

fn relative(base: &Path, path: &Path) -> Option<String> {
    let rel: PathBuf = path.strip_prefix(base).ok()?.to_path_buf();
    let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
    Some(parts?.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_name() {
        let cases = [
            ("a/b.md", FileKind::Article),
            ("b.md", FileKind::Article),
            ("TOC.md", FileKind::Navigation),
            ("a/TOC.md", FileKind::Navigation),
            ("a/img.png", FileKind::Asset),
            ("a/b.md.draft", FileKind::Skipped),
            (".hidden.md", FileKind::Skipped),
            (".git/x.md", FileKind::Skipped),
            ("_includes/snippets.md", FileKind::Skipped),
            ("a/_includes/x.md", FileKind::Skipped),
            ("a/b.md~", FileKind::Skipped),
            ("_includes.md", FileKind::Article),
        ];
        for (path, kind) in cases {
            assert_eq!(classify(path), kind, "{path}");
        }
    }
}
