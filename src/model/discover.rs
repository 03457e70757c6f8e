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
            if let Some(why) = link_refusal(entry.path(), &allowed, dir) {
                files.skipped.push(Warning {
                    location: None,
                    message: format!("{}: {why}; left out", shown(site_root, entry.path())),
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
            FileKind::Navigation => {
                // Read later, where a failure could only be skipped: an unreadable TOC is an
                // error now, with the system's reason.
                std::fs::File::open(entry.path()).map_err(Error::io("read", entry.path()))?;
                files.navigation.push(rel);
            }
            FileKind::Asset => files.assets.push(rel),
            FileKind::Skipped => {}
        }
    }
    Ok(files)
}

/// Why the symbolic link at `link` must not be followed, if it must not: it leads out of the
/// `allowed` folders (canonical), to a hidden file or folder, to a folder that holds the content
/// folder `content_dir` (which would publish the site again, inside itself), or into a built
/// site (a folder with tolk's manifest, which would grow with every build).
fn link_refusal(link: &Path, allowed: &[PathBuf], content_dir: &Path) -> Option<String> {
    let Ok(target) = link.canonicalize() else {
        return Some("a symbolic link to nothing".to_owned());
    };
    let Some(root) = allowed.iter().rev().find(|a| target.starts_with(a)) else {
        return Some(format!(
            "a symbolic link to {} outside the site",
            target.display()
        ));
    };
    if is_hidden_below(root, &target) {
        return Some("a symbolic link to a hidden file".to_owned());
    }
    let content = content_dir
        .canonicalize()
        .unwrap_or_else(|_| content_dir.to_owned());
    if content.starts_with(&target) {
        return Some("a symbolic link to a folder that holds the content".to_owned());
    }
    let mut folder = Some(target.as_path());
    while let Some(f) = folder.filter(|f| f.starts_with(root)) {
        if f.join(crate::site::output::MANIFEST).is_file() {
            return Some("a symbolic link into a built site".to_owned());
        }
        folder = f.parent();
    }
    None
}

/// Does `path` (inside `root`) have a part below `root` whose name starts with a dot?
fn is_hidden_below(root: &Path, path: &Path) -> bool {
    path.strip_prefix(root).is_ok_and(|rel| {
        rel.components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
    })
}

/// Why a file tolk was asked to read (an include, a snippets file) was not read.
#[derive(Debug)]
pub enum Refused {
    /// Nothing is there.
    Missing,
    /// It is, or leads through a symbolic link, outside the site: the canonical path.
    Outside(PathBuf),
    /// It leads through a symbolic link to a hidden file or folder.
    Hidden,
    /// A folder, FIFO, socket or device: never opened (a FIFO would block forever).
    NotAFile,
    /// The system refused: the OS reason.
    Unreadable(std::io::Error),
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refused::Missing => f.write_str("does not exist"),
            Refused::Outside(target) => write!(
                f,
                "leads to {}, outside the site, through a symbolic link",
                target.display()
            ),
            Refused::Hidden => {
                f.write_str("is a hidden file, or leads to one through a symbolic link")
            }
            Refused::NotAFile => {
                f.write_str("is not a regular file (a folder, FIFO, socket or device)")
            }
            Refused::Unreadable(e) => write!(f, "cannot be read: {e}"),
        }
    }
}

/// Reads the text file at `path` only if, after following every symbolic link, it is a
/// regular file inside one of `roots` (the site root and the content folder) and not hidden
/// below it.
pub fn read_inside(path: &Path, roots: &[&Path]) -> std::result::Result<String, Refused> {
    let target = path.canonicalize().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Refused::Missing,
        _ => Refused::Unreadable(e),
    })?;
    let roots: Vec<PathBuf> = roots.iter().filter_map(|r| r.canonicalize().ok()).collect();
    let Some(root) = roots.iter().find(|r| target.starts_with(r)) else {
        return Err(Refused::Outside(target));
    };
    if is_hidden_below(root, &target) {
        return Err(Refused::Hidden);
    }
    let meta = std::fs::metadata(&target).map_err(Refused::Unreadable)?;
    if !meta.is_file() {
        return Err(Refused::NotAFile);
    }
    std::fs::read_to_string(&target).map_err(Refused::Unreadable)
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
