//! Finds the files of each locale: articles (`*.md`), navigation (`TOC.md`) and assets.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::config::Locale;
use crate::error::{Error, Result};

/// The files found in one locale's content folder, each as a path relative to that folder,
/// with `/` separators, sorted.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct LocaleFiles {
    pub articles: Vec<String>,
    /// `TOC.md` files: navigation for later stages, not pages.
    pub navigation: Vec<String>,
    /// Images and other files that are copied beside the articles.
    pub assets: Vec<String>,
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

/// Walks `locale.content_dir`. A missing folder is an error that says how to fix it.
pub fn discover(locale: &Locale, shown_dir: &str) -> Result<LocaleFiles> {
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
    for entry in walker {
        let entry = entry.map_err(|e| {
            let path = e.path().map_or_else(|| dir.clone(), Path::to_path_buf);
            Error::io("read", &path)(e.into())
        })?;
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
