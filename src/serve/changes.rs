//! What a batch of file events means for the site: nothing, some articles, some assets, or
//! everything. A pure decision, so every case is a line in a table test.
//!
//! The watcher turns notify's events into [`PathEvent`]s (it knows which paths are folders);
//! [`classify`] reads them against the site's [`Layout`] and never touches the disk.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::config::{Config, CONFIG_FILE};
use crate::locale::LocaleCode;
use crate::model::discover::{self, FileKind};

/// Where the parts of a site live, as absolute paths (the watcher reports absolute paths).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub root: PathBuf,
    /// Each locale's code and content folder, in config order.
    pub content: Vec<(LocaleCode, PathBuf)>,
    pub templates: PathBuf,
    pub locales: PathBuf,
    pub config_file: PathBuf,
    /// Folders whose changes never matter: the output of `tolk build`, `target/`, `.git/`.
    pub ignored: Vec<PathBuf>,
    /// Without tolk.toml, the locales are the folders of `content/`: this folder, where a
    /// locale folder that is removed and made again (or renamed away and back) reappears.
    pub inferred_content: Option<PathBuf>,
}

impl Layout {
    /// The layout of `config`, whose root should be absolute.
    pub fn new(config: &Config) -> Layout {
        let root = config.root.clone();
        Layout {
            content: config
                .locales
                .iter()
                .map(|l| (l.code.clone(), l.content_dir.clone()))
                .collect(),
            templates: root.join("templates"),
            locales: root.join("locales"),
            config_file: root.join(CONFIG_FILE),
            ignored: vec![root.join("public"), root.join("target"), root.join(".git")],
            inferred_content: (!root.join(CONFIG_FILE).exists()).then(|| root.join("content")),
            root,
        }
    }

    /// The folders to watch, each with whether to watch it recursively.
    pub fn watch_list(&self) -> Vec<(PathBuf, bool)> {
        let mut list: Vec<(PathBuf, bool)> = Vec::new();
        let mut add = |path: &Path, recursive: bool| {
            if !list.iter().any(|(p, r)| p == path && *r == recursive) {
                list.push((path.to_owned(), recursive));
            }
        };
        // The root itself (tolk.toml, a templates/ or locales/ that appears), not its subfolders.
        add(&self.root, false);
        for (_, dir) in &self.content {
            add(dir, true);
            // The parent sees a content folder that is removed and made again.
            if let Some(parent) = dir.parent() {
                add(parent, false);
            }
        }
        if let Some(content) = &self.inferred_content {
            add(content, false);
        }
        add(&self.templates, true);
        add(&self.locales, true);
        list
    }
}

/// What happened to one path, as far as the rebuild cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// Created, written, removed or renamed (either end of a rename).
    Changed,
    /// Read, opened or closed: never a change.
    Access,
    /// Permissions or times changed, not the content.
    Metadata,
}

/// One path of one file event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathEvent {
    pub path: PathBuf,
    pub kind: EventKind,
    /// The path is (or, when removed, was) a folder.
    pub is_dir: bool,
}

impl PathEvent {
    pub fn changed(path: impl Into<PathBuf>) -> PathEvent {
        PathEvent {
            path: path.into(),
            kind: EventKind::Changed,
            is_dir: false,
        }
    }

    pub fn folder(path: impl Into<PathBuf>) -> PathEvent {
        PathEvent {
            is_dir: true,
            ..PathEvent::changed(path)
        }
    }
}

/// A path inside one locale's content folder.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ContentPath {
    pub locale: LocaleCode,
    /// Relative to the locale's content folder, `/`-separated: `a/b.md`.
    pub rel: String,
}

/// What a batch of events requires of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Nothing the site is made of changed.
    Nothing,
    /// Images and other copied files: copy them again; the pages that show them reload.
    Assets { files: Vec<ContentPath> },
    /// Articles (or folders of them) edited, added, removed or moved: re-render them, their
    /// translations (language switchers, notices) and the pages that list them. Assets that
    /// changed in the same batch are copied again.
    Articles {
        articles: Vec<ContentPath>,
        folders: Vec<ContentPath>,
        assets: Vec<ContentPath>,
    },
    /// Templates, UI strings, tolk.toml, navigation or a whole content folder: re-render
    /// every page. `because` is the first such path.
    Everything { because: PathBuf },
}

/// Decides what `events` require. Editor temp files, hidden files, drafts, `Access` and
/// metadata events, and the output folder are ignored.
pub fn classify(layout: &Layout, events: &[PathEvent]) -> Change {
    let mut articles = BTreeSet::new();
    let mut folders = BTreeSet::new();
    let mut assets = BTreeSet::new();
    for event in events {
        if event.kind != EventKind::Changed || is_editor_temp(&event.path) {
            continue;
        }
        match place(layout, &event.path) {
            Place::Ignored => {}
            Place::Theme | Place::Config | Place::ContentFolder => {
                return Change::Everything {
                    because: event.path.clone(),
                };
            }
            // Snippets and includes are used by any article of the locale, and which ones is
            // not known here.
            Place::Content(path) if in_includes(&path.rel) => {
                return Change::Everything {
                    because: event.path.clone(),
                };
            }
            Place::Content(path) if event.is_dir => {
                folders.insert(path);
            }
            Place::Content(path) => match discover::classify(&path.rel) {
                FileKind::Article => {
                    articles.insert(path);
                }
                FileKind::Asset => {
                    assets.insert(path);
                }
                FileKind::Navigation => {
                    return Change::Everything {
                        because: event.path.clone(),
                    };
                }
                FileKind::Skipped => {}
            },
        }
    }
    if articles.is_empty() && folders.is_empty() {
        if assets.is_empty() {
            Change::Nothing
        } else {
            Change::Assets {
                files: assets.into_iter().collect(),
            }
        }
    } else {
        Change::Articles {
            articles: articles.into_iter().collect(),
            folders: folders.into_iter().collect(),
            assets: assets.into_iter().collect(),
        }
    }
}

/// Where a path is, in the site's terms.
enum Place {
    Ignored,
    Config,
    /// Under templates/ or locales/.
    Theme,
    /// A locale's content folder itself (removed, made, renamed).
    ContentFolder,
    Content(ContentPath),
}

fn place(layout: &Layout, path: &Path) -> Place {
    // Content first: a content folder may sit anywhere, even under an ignored name.
    for (code, dir) in &layout.content {
        if path == dir.as_path() {
            return Place::ContentFolder;
        }
        if let Ok(rel) = path.strip_prefix(dir) {
            let parts: Option<Vec<&str>> =
                rel.components().map(|c| c.as_os_str().to_str()).collect();
            return match parts {
                Some(parts) => {
                    let rel = parts.join("/");
                    if hidden(&rel) {
                        Place::Ignored
                    } else {
                        Place::Content(ContentPath {
                            locale: code.clone(),
                            rel,
                        })
                    }
                }
                // A name that is not UTF-8 cannot be an article; discovery skips it too.
                None => Place::Ignored,
            };
        }
    }
    if layout.ignored.iter().any(|dir| path.starts_with(dir)) {
        return Place::Ignored;
    }
    if path == layout.config_file {
        return Place::Config;
    }
    if path.starts_with(&layout.templates) || path.starts_with(&layout.locales) {
        return Place::Theme;
    }
    // A locale folder that was not there when the layout was made, in a site without
    // tolk.toml: the locales change.
    let named = path
        .file_name()
        .is_some_and(|n| !n.to_string_lossy().starts_with('.'));
    if named && layout.inferred_content.as_deref() == path.parent() {
        return Place::ContentFolder;
    }
    Place::Ignored
}

/// Hidden files and folders are skipped by discovery.
fn hidden(rel: &str) -> bool {
    rel.split('/').any(|p| p.starts_with('.'))
}

/// `_includes/` or anything in it.
fn in_includes(rel: &str) -> bool {
    rel.split('/').any(|p| p == "_includes")
}

/// Files that editors write beside the real one while saving: swap files, backups, lock
/// files, atomic-save temporaries.
pub fn is_editor_temp(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let lower = name.to_ascii_lowercase();
    // vim: .x.swp/.swo/.swx, its write test file 4913 (and 5036, ...), backups x~
    lower.ends_with(".swp")
        || lower.ends_with(".swo")
        || lower.ends_with(".swx")
        || is_vim_write_test(name)
        || name.ends_with('~')
        // emacs: lock files .#x, autosaves #x#
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        // atomic saves: x.tmp, x.md.tmp.1234, kate, JetBrains, Chrome, partial downloads
        || lower.ends_with(".tmp")
        || lower.contains(".tmp.")
        || lower.ends_with(".kate-swp")
        || lower.ends_with(".crswap")
        || lower.ends_with(".part")
        || lower.ends_with(".bak")
        || lower.contains("___jb_")
        // sed -i writes ./sedXXXXXX, then renames it over the file
        || (name.len() == 9 && name.starts_with("sed") && name[3..].bytes().all(|b| b.is_ascii_alphanumeric()))
        || name == ".DS_Store"
}

/// vim checks that it may write a folder with a file `4913` (or 5036, 5159, ... when taken).
fn is_vim_write_test(name: &str) -> bool {
    name.parse::<u64>()
        .is_ok_and(|n| n >= 4913 && (n - 4913) % 123 == 0)
        && !name.starts_with('0')
}

impl Change {
    /// Merges a later change into this one.
    pub fn merge(self, later: Change) -> Change {
        use Change::*;
        match (self, later) {
            (Nothing, other) | (other, Nothing) => other,
            (Everything { because }, _) | (_, Everything { because }) => Everything { because },
            (Assets { files: a }, Assets { files: b }) => Assets { files: union(a, b) },
            (
                Assets { files },
                Articles {
                    articles,
                    folders,
                    assets,
                },
            )
            | (
                Articles {
                    articles,
                    folders,
                    assets,
                },
                Assets { files },
            ) => Articles {
                articles,
                folders,
                assets: union(assets, files),
            },
            (
                Articles {
                    articles: a1,
                    folders: f1,
                    assets: s1,
                },
                Articles {
                    articles: a2,
                    folders: f2,
                    assets: s2,
                },
            ) => Articles {
                articles: union(a1, a2),
                folders: union(f1, f2),
                assets: union(s1, s2),
            },
        }
    }

    /// What changed, for the terminal: `content/nl/a.md`, or `3 articles (content/nl/a.md, ...)`.
    pub fn describe(&self, layout: &Layout) -> String {
        let shown = |path: &ContentPath| {
            let dir = layout
                .content
                .iter()
                .find(|(code, _)| code == &path.locale)
                .map(|(_, dir)| dir.join(&path.rel))
                .unwrap_or_else(|| PathBuf::from(&path.rel));
            show(layout, &dir)
        };
        match self {
            Change::Nothing => "nothing".to_owned(),
            Change::Everything { because } => show(layout, because),
            Change::Assets { files } => list(files.iter().map(shown).collect(), "file"),
            Change::Articles {
                articles,
                folders,
                assets,
            } => {
                let mut all: Vec<String> = articles.iter().map(shown).collect();
                all.extend(folders.iter().map(|f| format!("{}/", shown(f))));
                all.extend(assets.iter().map(shown));
                list(all, "file")
            }
        }
    }
}

fn union(mut a: Vec<ContentPath>, b: Vec<ContentPath>) -> Vec<ContentPath> {
    a.extend(b);
    a.sort();
    a.dedup();
    a
}

/// A path relative to the site root when inside it, `/`-separated.
fn show(layout: &Layout, path: &Path) -> String {
    let shown = path.strip_prefix(&layout.root).unwrap_or(path);
    shown.to_string_lossy().replace('\\', "/")
}

fn list(items: Vec<String>, noun: &str) -> String {
    match items.as_slice() {
        [] => "nothing".to_owned(),
        [one] => one.clone(),
        [first, second] => format!("{first} and {second}"),
        [first, ..] => format!("{} {noun}s ({first}, ...)", items.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout() -> Layout {
        Layout {
            root: PathBuf::from("/site"),
            content: vec![
                ("nl".into(), PathBuf::from("/site/content/nl")),
                ("fr".into(), PathBuf::from("/elsewhere/fr")),
            ],
            templates: PathBuf::from("/site/templates"),
            locales: PathBuf::from("/site/locales"),
            config_file: PathBuf::from("/site/tolk.toml"),
            ignored: vec![
                PathBuf::from("/site/public"),
                PathBuf::from("/site/target"),
                PathBuf::from("/site/.git"),
            ],
            inferred_content: None,
        }
    }

    #[test]
    fn a_locale_folder_that_comes_back_rebuilds_everything_without_tolk_toml() {
        let mut layout = layout();
        // nl was removed: the layout made after that has only fr.
        layout.content.retain(|(code, _)| code != "nl");
        let back = [PathEvent::changed("/site/content/nl")];
        assert_eq!(classify(&layout, &back), Change::Nothing, "with tolk.toml");
        layout.inferred_content = Some(PathBuf::from("/site/content"));
        assert_eq!(classify(&layout, &back), everything("/site/content/nl"));
        let hidden = [PathEvent::changed("/site/content/.nl.swp")];
        assert_eq!(classify(&layout, &hidden), Change::Nothing);
        assert!(layout
            .watch_list()
            .contains(&(PathBuf::from("/site/content"), false)));
    }

    fn nl(rel: &str) -> ContentPath {
        ContentPath {
            locale: "nl".into(),
            rel: rel.to_owned(),
        }
    }

    fn fr(rel: &str) -> ContentPath {
        ContentPath {
            locale: "fr".into(),
            rel: rel.to_owned(),
        }
    }

    fn articles(list: &[ContentPath]) -> Change {
        Change::Articles {
            articles: list.to_vec(),
            folders: vec![],
            assets: vec![],
        }
    }

    fn everything(path: &str) -> Change {
        Change::Everything {
            because: PathBuf::from(path),
        }
    }

    fn event(path: &str, kind: EventKind) -> PathEvent {
        PathEvent {
            kind,
            ..PathEvent::changed(path)
        }
    }

    #[test]
    fn classifies_batches_of_events() {
        let cases: Vec<(&str, Vec<PathEvent>, Change)> = vec![
            ("no events", vec![], Change::Nothing),
            (
                "an article edit",
                vec![PathEvent::changed("/site/content/nl/a/b.md")],
                articles(&[nl("a/b.md")]),
            ),
            (
                "an article in a locale outside the root",
                vec![PathEvent::changed("/elsewhere/fr/x.md")],
                articles(&[fr("x.md")]),
            ),
            (
                "a save by rename: both ends arrive, the temp file is ignored",
                vec![
                    PathEvent::changed("/site/content/nl/a.md.tmp"),
                    PathEvent::changed("/site/content/nl/a.md"),
                ],
                articles(&[nl("a.md")]),
            ),
            (
                "vim's save dance: swap file, write test, backup, the file",
                vec![
                    PathEvent::changed("/site/content/nl/.a.md.swp"),
                    PathEvent::changed("/site/content/nl/4913"),
                    PathEvent::changed("/site/content/nl/a.md~"),
                    PathEvent::changed("/site/content/nl/a.md"),
                ],
                articles(&[nl("a.md")]),
            ),
            (
                "only editor files",
                vec![
                    PathEvent::changed("/site/content/nl/.#a.md"),
                    PathEvent::changed("/site/content/nl/#a.md#"),
                    PathEvent::changed("/site/content/nl/sedAb12Cd"),
                    PathEvent::changed("/site/content/nl/a.md.kate-swp"),
                    PathEvent::changed("/site/content/nl/a.md___jb_tmp___"),
                ],
                Change::Nothing,
            ),
            (
                "access and metadata events are not changes",
                vec![
                    event("/site/content/nl/a.md", EventKind::Access),
                    event("/site/templates/page.html", EventKind::Metadata),
                ],
                Change::Nothing,
            ),
            (
                "a renamed article: both names",
                vec![
                    PathEvent::changed("/site/content/nl/old.md"),
                    PathEvent::changed("/site/content/nl/new.md"),
                ],
                articles(&[nl("new.md"), nl("old.md")]),
            ),
            (
                "an article renamed to a draft still changes (it is gone)",
                vec![
                    PathEvent::changed("/site/content/nl/a.md"),
                    PathEvent::changed("/site/content/nl/a.md.draft"),
                ],
                articles(&[nl("a.md")]),
            ),
            (
                "a draft alone",
                vec![PathEvent::changed("/site/content/nl/a.md.draft")],
                Change::Nothing,
            ),
            (
                "a removed folder of articles",
                vec![PathEvent::folder("/site/content/nl/a")],
                Change::Articles {
                    articles: vec![],
                    folders: vec![nl("a")],
                    assets: vec![],
                },
            ),
            (
                "an image",
                vec![PathEvent::changed("/site/content/nl/a/img.png")],
                Change::Assets {
                    files: vec![nl("a/img.png")],
                },
            ),
            (
                "an article and an image",
                vec![
                    PathEvent::changed("/site/content/nl/a/img.png"),
                    PathEvent::changed("/site/content/nl/a.md"),
                ],
                Change::Articles {
                    articles: vec![nl("a.md")],
                    folders: vec![],
                    assets: vec![nl("a/img.png")],
                },
            ),
            (
                "a snippet in _includes is used by any article",
                vec![PathEvent::changed("/site/content/nl/_includes/snippets.md")],
                everything("/site/content/nl/_includes/snippets.md"),
            ),
            (
                "an editor's file in _includes",
                vec![PathEvent::changed(
                    "/site/content/nl/_includes/.snippets.md.swp",
                )],
                Change::Nothing,
            ),
            (
                "hidden folders in content",
                vec![PathEvent::changed("/site/content/nl/.git/index")],
                Change::Nothing,
            ),
            (
                "navigation",
                vec![PathEvent::changed("/site/content/nl/TOC.md")],
                everything("/site/content/nl/TOC.md"),
            ),
            (
                "a template",
                vec![
                    PathEvent::changed("/site/content/nl/a.md"),
                    PathEvent::changed("/site/templates/page.html"),
                ],
                everything("/site/templates/page.html"),
            ),
            (
                "a template's stylesheet",
                vec![PathEvent::changed("/site/templates/static/tolk.css")],
                everything("/site/templates/static/tolk.css"),
            ),
            (
                "UI strings",
                vec![PathEvent::changed("/site/locales/nl/main.ftl")],
                everything("/site/locales/nl/main.ftl"),
            ),
            (
                "a templates folder made",
                vec![PathEvent::folder("/site/templates")],
                everything("/site/templates"),
            ),
            (
                "tolk.toml",
                vec![PathEvent::changed("/site/tolk.toml")],
                everything("/site/tolk.toml"),
            ),
            (
                "a swap file of tolk.toml",
                vec![PathEvent::changed("/site/.tolk.toml.swp")],
                Change::Nothing,
            ),
            (
                "a content folder removed",
                vec![PathEvent::folder("/site/content/nl")],
                everything("/site/content/nl"),
            ),
            (
                "the output of tolk build",
                vec![
                    PathEvent::changed("/site/public/nl/index.html"),
                    PathEvent::folder("/site/public"),
                    PathEvent::changed("/site/target/debug/tolk"),
                ],
                Change::Nothing,
            ),
            (
                "other files in the root",
                vec![
                    PathEvent::changed("/site/README.md"),
                    PathEvent::changed("/site/content/notes.txt"),
                ],
                Change::Nothing,
            ),
            (
                "files outside the site",
                vec![PathEvent::changed("/tmp/x.md")],
                Change::Nothing,
            ),
        ];
        for (what, events, expected) in cases {
            assert_eq!(classify(&layout(), &events), expected, "{what}");
        }
    }

    #[test]
    fn recognizes_editor_temp_files() {
        for (name, temp) in [
            (".a.md.swp", true),
            (".a.md.swx", true),
            ("4913", true),
            ("5036", true),
            ("a.md~", true),
            (".#a.md", true),
            ("#a.md#", true),
            ("a.md.tmp", true),
            ("a.md.tmp.1234", true),
            ("a.md.crswap", true),
            ("a.md.kate-swp", true),
            ("a.md___jb_old___", true),
            ("sedX1y2Z3", true),
            ("a.md", false),
            ("TOC.md", false),
            ("img.png", false),
            ("2024", false),
            ("4914", false),
            ("5159", true),
            ("sedan.png", false),
            ("template.html", false),
        ] {
            assert_eq!(is_editor_temp(Path::new(name)), temp, "{name}");
        }
    }

    #[test]
    fn merges_changes() {
        let a = articles(&[nl("a.md")]);
        let b = Change::Assets {
            files: vec![nl("x.png")],
        };
        assert_eq!(Change::Nothing.merge(a.clone()), a);
        assert_eq!(
            a.clone().merge(b),
            Change::Articles {
                articles: vec![nl("a.md")],
                folders: vec![],
                assets: vec![nl("x.png")],
            }
        );
        assert_eq!(
            a.clone().merge(articles(&[fr("a.md"), nl("a.md")])),
            articles(&[fr("a.md"), nl("a.md")])
        );
        assert_eq!(
            a.merge(everything("/site/tolk.toml")),
            everything("/site/tolk.toml")
        );
    }

    #[test]
    fn describes_changes() {
        let layout = layout();
        assert_eq!(
            articles(&[nl("a/b.md")]).describe(&layout),
            "content/nl/a/b.md"
        );
        assert_eq!(
            articles(&[fr("x.md"), nl("a.md")]).describe(&layout),
            "/elsewhere/fr/x.md and content/nl/a.md"
        );
        assert_eq!(
            articles(&[nl("a.md"), nl("b.md"), nl("c.md")]).describe(&layout),
            "3 files (content/nl/a.md, ...)"
        );
        assert_eq!(everything("/site/tolk.toml").describe(&layout), "tolk.toml");
    }

    #[test]
    fn watches_the_root_content_and_theme() {
        let list = layout().watch_list();
        assert!(list.contains(&(PathBuf::from("/site"), false)));
        assert!(list.contains(&(PathBuf::from("/site/content/nl"), true)));
        assert!(list.contains(&(PathBuf::from("/site/content"), false)));
        assert!(list.contains(&(PathBuf::from("/elsewhere/fr"), true)));
        assert!(list.contains(&(PathBuf::from("/site/templates"), true)));
        assert!(list.contains(&(PathBuf::from("/site/locales"), true)));
    }
}
