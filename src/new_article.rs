//! A new article in every locale, linked by one fresh exl-id (what `tolk new` does).
//!
//! Each locale gets `PATH` (`.md` added when missing) under its content folder, with the front
//! matter the team uses and a TODO body under an H1 of the title:
//! - every article: `title`, `description: TODO`, `feature`, `role`, `level` (from the flags,
//!   else the most common value among the articles already in the same folder, else `TODO`)
//!   and `exl-id` (a random UUID v4);
//! - translations (every locale but the source; every locale when the site has no source) also
//!   carry `source-git-commit` (the source's HEAD commit, when its folder is in git),
//!   `workflow-type: tm+mt`, `source-wordcount` (the words of the new source text) and
//!   `ht-degree: 0%`, as the translation pipeline writes them.
//!
//! Nothing is overwritten: when any locale already has the file, no file is written. Each file
//! is written atomically (a temporary file in the same folder, then renamed).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::history;
use crate::model::discover::{classify, FileKind};
use crate::model::front_matter;

#[derive(Debug, Clone)]
pub struct NewOptions {
    pub root: PathBuf,
    /// The article's path under each locale's content folder.
    pub path: String,
    pub title: String,
    pub feature: Option<String>,
    pub role: Option<String>,
    pub level: Option<String>,
}

/// The untranslated metadata a new article shares with its translations.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Fields {
    title: String,
    exl_id: String,
    feature: String,
    role: String,
    level: String,
}

/// What one locale's copy is.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Copy<'a> {
    /// The source locale's article.
    Source,
    /// A translation, of the `source` locale's article when the site has one.
    Translation {
        source: Option<&'a str>,
        commit: Option<&'a str>,
        wordcount: usize,
    },
}

/// What [`create`] wrote: each file as shown to the user, and the exl-id they share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    pub shown: Vec<String>,
    pub exl_id: String,
}

/// Creates the article `options.path` in every locale of the site at `options.root`; writes
/// nothing when any locale already has it.
pub fn create(options: &NewOptions) -> Result<Created> {
    let config = Config::load(&options.root)?;
    let rel = checked_path(&config, &options.path)?;
    let title = options.title.trim();
    if title.is_empty() || title.chars().any(char::is_control) {
        return Err(Error::setup(
            "the title is empty or spans several lines",
            "pass the article's title on one line: --title \"Login loop after an update\"",
        ));
    }
    let targets = free_targets(&config, &rel)?;
    let siblings = sibling_values(&config, &rel);
    let pick = |flag: &Option<String>, key: &str| {
        flag.clone()
            .or_else(|| siblings.get(key).cloned())
            .unwrap_or_else(|| "TODO".to_owned())
    };
    let fields = Fields {
        title: title.to_owned(),
        exl_id: uuid::Uuid::new_v4().to_string(),
        feature: pick(&options.feature, "feature"),
        role: pick(&options.role, "role"),
        level: pick(&options.level, "level"),
    };
    let texts = locale_texts(&config, &targets, &fields);
    let written = write_all(&texts)?;
    Ok(Created {
        shown: written
            .iter()
            .map(|path| config.display_path(path))
            .collect(),
        exl_id: fields.exl_id,
    })
}

/// The article's path under every locale folder, checked: not a locale folder's own path.
fn checked_path(config: &Config, path: &str) -> Result<String> {
    let rel = article_path(path).map_err(|why| {
        Error::setup(
            format!("cannot create `{path}`: {why}"),
            "give the article's path under each locale's folder, e.g. `tolk new known-issues/login-loop --title \"Login loop\"`",
        )
    })?;
    for locale in &config.locales {
        let shown = config.display_path(&locale.content_dir);
        if rel.starts_with(&format!("{shown}/")) {
            return Err(Error::setup(
                format!(
                    "cannot create `{rel}`: the path already starts with the {} folder {shown}/",
                    locale.code
                ),
                format!(
                    "the path is taken under every locale's folder: run `tolk new {} ...`",
                    &rel[shown.len() + 1..]
                ),
            ));
        }
    }
    Ok(rel)
}

/// The file of each locale (by its index in the config); an error naming those that exist.
fn free_targets(config: &Config, rel: &str) -> Result<Vec<(usize, PathBuf)>> {
    let targets: Vec<(usize, PathBuf)> = config
        .locales
        .iter()
        .enumerate()
        .map(|(i, l)| (i, l.content_dir.join(rel)))
        .collect();
    let existing: Vec<String> = targets
        .iter()
        .filter(|(_, path)| path.symlink_metadata().is_ok())
        .map(|(_, path)| config.display_path(path))
        .collect();
    if !existing.is_empty() {
        return Err(Error::setup(
            format!(
                "refusing to overwrite: {} already exist{}; nothing was written",
                existing.join(", "),
                if existing.len() == 1 { "s" } else { "" }
            ),
            "choose another path, or edit the existing article",
        ));
    }
    Ok(targets)
}

/// Each target's whole text: the source's article, or a translation of it.
fn locale_texts(
    config: &Config,
    targets: &[(usize, PathBuf)],
    fields: &Fields,
) -> Vec<(PathBuf, String)> {
    let source = config.source_locale.as_deref();
    let commit = source.and_then(|code| {
        let folder = match &config.source_repository {
            Some(repo) => repo.path.clone(),
            None => config.locale(code)?.content_dir.clone(),
        };
        history::head_commit(&folder)
    });
    let wordcount = words(&body(&fields.title, &Copy::Source));
    let mut texts = Vec::with_capacity(targets.len());
    for (i, path) in targets {
        let copy = if Some(config.locales[*i].code.as_str()) == source {
            Copy::Source
        } else {
            Copy::Translation {
                source,
                commit: commit.as_deref(),
                wordcount,
            }
        };
        texts.push((path.clone(), article_text(fields, &copy)));
    }
    texts
}

/// Writes every file, or none: on an error, the files written so far are removed.
fn write_all(texts: &[(PathBuf, String)]) -> Result<Vec<PathBuf>> {
    let mut written: Vec<PathBuf> = Vec::new();
    for (path, text) in texts {
        if let Err(e) = write_new(path, text) {
            for done in &written {
                let _ = std::fs::remove_file(done);
            }
            return Err(e);
        }
        written.push(path.clone());
    }
    Ok(written)
}

/// The path of an article under a locale folder: `/`-separated, `.md` added when missing.
fn article_path(path: &str) -> std::result::Result<String, &'static str> {
    let path = path.trim().replace('\\', "/");
    let path = path.strip_prefix("./").unwrap_or(&path);
    if path.is_empty() {
        return Err("the path is empty");
    }
    if path.starts_with('/') || path.split('/').next().is_some_and(|s| s.contains(':')) {
        return Err("the path must be relative to the locale folders");
    }
    if path
        .split('/')
        .any(|s| s.is_empty() || s == "." || s == ".." || s.chars().any(char::is_control))
    {
        return Err("the path has an empty, `.` or `..` segment");
    }
    let path = if path.ends_with(".md") {
        path.to_owned()
    } else {
        format!("{path}.md")
    };
    match classify(&path) {
        FileKind::Article => Ok(path),
        FileKind::Navigation => Err("TOC.md is a navigation file, not an article"),
        _ => Err("hidden files and folders and _includes/ are not published"),
    }
}

/// The whole file of one locale's copy.
fn article_text(fields: &Fields, copy: &Copy<'_>) -> String {
    let mut text = String::from("---\n");
    let mut line = |key: &str, value: &str| {
        text.push_str(key);
        text.push_str(": ");
        text.push_str(value);
        text.push('\n');
    };
    line("title", &quoted(&fields.title));
    line("description", "TODO");
    line("feature", &scalar(&fields.feature));
    line("role", &scalar(&fields.role));
    line("level", &scalar(&fields.level));
    line("exl-id", &fields.exl_id);
    if let Copy::Translation {
        commit, wordcount, ..
    } = copy
    {
        if let Some(commit) = commit {
            line("source-git-commit", commit);
        }
        line("workflow-type", "tm+mt");
        line("source-wordcount", &format!("'{wordcount}'"));
        line("ht-degree", "0%");
    }
    text.push_str("---\n");
    text.push_str(&body(&fields.title, copy));
    text
}

fn body(title: &str, copy: &Copy<'_>) -> String {
    let todo = match copy {
        Copy::Translation {
            source: Some(source),
            ..
        } => format!("TODO: translate this article from {source}."),
        _ => "TODO: write this article.".to_owned(),
    };
    format!("# {title}\n\n{todo}\n")
}

/// Words as a word count sees them: runs of text with a letter or digit in them.
fn words(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// A YAML single-quoted string.
fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// A plain YAML scalar when it reads back as the same text, else a quoted one.
fn scalar(text: &str) -> String {
    let plain = text
        .chars()
        .all(|c| c.is_alphanumeric() || " -_,.()/&+".contains(c))
        && text.starts_with(char::is_alphabetic)
        && !text.ends_with(' ')
        && !matches!(
            text.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
        );
    if plain {
        text.to_owned()
    } else {
        quoted(text)
    }
}

/// The most common `feature`, `role` and `level` of the articles in the folder the new one goes
/// into, in the source locale (else the first locale).
fn sibling_values(config: &Config, rel: &str) -> BTreeMap<String, String> {
    let Some(locale) = config
        .source_locale
        .as_deref()
        .and_then(|code| config.locale(code))
        .or(config.locales.first())
    else {
        return BTreeMap::new();
    };
    let folder = match rel.rsplit_once('/') {
        Some((dir, _)) => locale.content_dir.join(dir),
        None => locale.content_dir.clone(),
    };
    let mut seen: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for text in sibling_texts(&folder) {
        let Ok(split) = front_matter::split("", &text) else {
            continue;
        };
        let Ok(front) = front_matter::parse("", &text, &split) else {
            continue;
        };
        for (key, value) in [
            ("feature", front.feature),
            ("role", front.role),
            ("level", front.level),
        ] {
            if let Some(value) = value {
                seen.entry(key).or_default().push(value);
            }
        }
    }
    seen.into_iter()
        .filter_map(|(key, values)| most_common(&values).map(|v| (key.to_owned(), v)))
        .collect()
}

fn sibling_texts(folder: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok())
        .filter(|e| classify(&e.file_name().to_string_lossy()) == FileKind::Article)
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .collect()
}

/// The value most of `values` have; the first in sorted order on a tie.
fn most_common(values: &[String]) -> Option<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for value in values {
        *counts.entry(value.as_str()).or_default() += 1;
    }
    let best = counts.values().copied().max()?;
    counts
        .into_iter()
        .find(|(_, n)| *n == best)
        .map(|(v, _)| v.to_owned())
}

/// Writes a file that must not exist yet: a temporary file beside it, renamed into place only
/// if nothing has appeared there meanwhile.
fn write_new(path: &Path, text: &str) -> Result<()> {
    let folder = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder).map_err(Error::io("create", folder))?;
    let mut file = tempfile::NamedTempFile::new_in(folder).map_err(Error::io("write", path))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.as_file().sync_all())
        .map_err(Error::io("write", path))?;
    file.persist_noclobber(path)
        .map_err(|e| Error::io("create", path)(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{metadata, Doc};
    use crate::model::parse_article;

    #[test]
    fn paths_are_relative_articles_with_md() {
        let cases = [
            ("known-issues/login", Ok("known-issues/login.md")),
            ("./a/b.md", Ok("a/b.md")),
            ("a\\b", Ok("a/b.md")),
            ("", Err("the path is empty")),
            (
                "/etc/x",
                Err("the path must be relative to the locale folders"),
            ),
            (
                "C:/x",
                Err("the path must be relative to the locale folders"),
            ),
            ("a/../b", Err("the path has an empty, `.` or `..` segment")),
            ("a//b", Err("the path has an empty, `.` or `..` segment")),
            ("TOC", Err("TOC.md is a navigation file, not an article")),
            (
                ".hidden",
                Err("hidden files and folders and _includes/ are not published"),
            ),
            (
                "_includes/x",
                Err("hidden files and folders and _includes/ are not published"),
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(
                article_path(input).as_deref(),
                expected.as_deref(),
                "{input:?}"
            );
        }
    }

    #[test]
    fn yaml_values_read_back_as_written() {
        let cases = [
            ("Workfront Proof", "Workfront Proof"),
            ("User, Admin", "User, Admin"),
            ("TODO", "TODO"),
            ("yes", "'yes'"),
            ("Problems: solved", "'Problems: solved'"),
            ("[!DNL Workfront]", "'[!DNL Workfront]'"),
            ("it's", "'it''s'"),
            ("42", "'42'"),
        ];
        for (value, expected) in cases {
            assert_eq!(scalar(value), expected, "{value}");
        }
    }

    #[test]
    fn most_common_breaks_ties_by_order() {
        let values = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(most_common(&values(&["b", "a", "b"])).as_deref(), Some("b"));
        assert_eq!(most_common(&values(&["b", "a"])).as_deref(), Some("a"));
        assert_eq!(most_common(&[]), None);
        assert_eq!(
            words("# Log in: `x` fails\n\nTODO: write this article.\n"),
            8
        );
    }

    /// Each copy parses with the front matter reader, and the translations carry what the
    /// translation pipeline writes.
    #[test]
    fn copies_parse_and_carry_the_fields_of_their_kind() {
        let fields = Fields {
            title: "Log in: it's broken".to_owned(),
            exl_id: "4a911760-e3fe-4e77-b7aa-b08f9ea59d6a".to_owned(),
            feature: "Workfront Proof".to_owned(),
            role: "User, Admin".to_owned(),
            level: "yes".to_owned(),
        };
        let commit = "b4b45bbc8bb68dbac35488c1777fca85fa0cc7e3";
        let copies = [
            Copy::Source,
            Copy::Translation {
                source: Some("en"),
                commit: Some(commit),
                wordcount: 9,
            },
            Copy::Translation {
                source: None,
                commit: None,
                wordcount: 9,
            },
        ];
        for copy in copies {
            let text = article_text(&fields, &copy);
            let article = parse_article("nl", "a.md", "a.md".to_owned(), text.clone());
            let doc = Doc::new(&article);
            let findings = metadata::front_matter(std::slice::from_ref(&doc), &[]);
            assert!(findings.is_empty() && doc.front_ok, "{text}\n{findings:?}");
            let front = &doc.article.front;
            assert_eq!(front.title.as_deref(), Some("Log in: it's broken"));
            assert_eq!(front.description.as_deref(), Some("TODO"));
            assert_eq!(front.role.as_deref(), Some("User, Admin"));
            assert_eq!(front.level.as_deref(), Some("yes"));
            assert_eq!(front.exl_id.as_deref(), Some(fields.exl_id.as_str()));
            assert!(doc
                .article
                .body()
                .starts_with("# Log in: it's broken\n\nTODO: "));
            let translation = copy != Copy::Source;
            assert_eq!(front.ht_degree, translation.then_some(0), "{text}");
            assert_eq!(front.source_wordcount, translation.then_some(9), "{text}");
            assert_eq!(
                front.source_git_commit.as_deref(),
                matches!(
                    copy,
                    Copy::Translation {
                        commit: Some(_),
                        ..
                    }
                )
                .then_some(commit)
            );
        }
    }
}
