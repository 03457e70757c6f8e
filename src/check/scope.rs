//! `tolk check --changed-since REF`: which translation groups to report on. A group is checked
//! when one of its articles, in any locale, differs between REF and the working tree (a deleted
//! article counts for the translations it leaves behind). The rules still see the whole site (a
//! link may point into an unchanged article); only what is reported, and counted, is limited.

use std::collections::BTreeSet;
use std::path::PathBuf;

use super::{Doc, Group};
use crate::config::Config;
use crate::error::Result;
use crate::history;
use crate::locale::LocaleCode;
use crate::model::discover::{classify, FileKind};

/// What a check reports on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Scope {
    #[default]
    All,
    Changed(Changed),
}

/// The files that changed since a ref.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changed {
    /// Articles that differ (deleted ones too), as (locale, path under its content folder).
    pub articles: BTreeSet<(LocaleCode, String)>,
    /// A UI strings file (`locales/<locale>/*.ftl`) differs: `ui-string-missing` is reported.
    pub ui_strings: bool,
}

/// Which groups, and which articles, a check reports on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// By index in the groups.
    pub groups: Vec<bool>,
    /// By index in the docs: the articles of the selected groups, and changed articles that are
    /// in no group (a second article with the same exl-id in one locale).
    pub docs: Vec<bool>,
}

impl Scope {
    /// The articles and UI strings of the site that differ between `spec` (its merge base with
    /// HEAD) and the working tree, read from git.
    pub fn changed_since(config: &Config, spec: &str) -> Result<Scope> {
        let mut folders: Vec<PathBuf> = config
            .locales
            .iter()
            .map(|l| l.content_dir.clone())
            .collect();
        let ui_folder = folders.len();
        folders.push(config.root.join("locales"));
        let wanted = |folder: usize, rel: &str| {
            if folder == ui_folder {
                rel.ends_with(".ftl")
            } else {
                classify(rel) == FileKind::Article
            }
        };
        let files = history::changed::changed_since(&folders, spec, &wanted)?;
        let mut changed = Changed::default();
        for (folder, rel) in files {
            match config.locales.get(folder) {
                Some(locale) => {
                    changed.articles.insert((locale.code.clone(), rel));
                }
                None => changed.ui_strings = true,
            }
        }
        Ok(Scope::Changed(changed))
    }
}

/// The groups and articles that `changed` touches.
pub fn select(docs: &[Doc], groups: &[Group], changed: &Changed) -> Selection {
    let is_changed = |doc: &Doc| {
        let key = (doc.article.locale.clone(), doc.article.rel_path.clone());
        changed.articles.contains(&key)
    };
    // Articles that are gone: their translations at the same path are now alone.
    let present: BTreeSet<(&str, &str)> = docs
        .iter()
        .map(|d| (d.article.locale.as_str(), d.article.rel_path.as_str()))
        .collect();
    let deleted: BTreeSet<&str> = changed
        .articles
        .iter()
        .filter(|(locale, rel)| !present.contains(&(locale.as_str(), rel.as_str())))
        .map(|(_, rel)| rel.as_str())
        .collect();
    let selected: Vec<bool> = groups
        .iter()
        .map(|g| {
            g.members.iter().any(|&i| {
                is_changed(&docs[i]) || deleted.contains(docs[i].article.rel_path.as_str())
            }) || deleted.contains(g.name.as_str())
        })
        .collect();
    let mut in_scope: Vec<bool> = docs.iter().map(is_changed).collect();
    for (group, _) in groups.iter().zip(&selected).filter(|(_, s)| **s) {
        for &i in &group.members {
            in_scope[i] = true;
        }
    }
    Selection {
        groups: selected,
        docs: in_scope,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{parse_article, Article};

    fn article(locale: &str, rel: &str) -> Article {
        parse_article(
            locale,
            rel,
            format!("content/{locale}/{rel}"),
            "---\ntitle: t\n---\n".to_owned(),
        )
    }

    #[test]
    fn selects_the_groups_of_changed_and_deleted_articles() {
        let articles = [
            article("en", "a.md"),
            article("nl", "a.md"),
            article("en", "b.md"),
            article("nl", "b.md"),
            article("nl", "c.md"),
            article("nl", "dup.md"),
        ];
        let docs: Vec<Doc> = articles.iter().map(Doc::new).collect();
        let group = |name: &str, members: Vec<usize>| Group {
            exl_id: None,
            name: name.to_owned(),
            members,
        };
        let groups = [
            group("a.md", vec![0, 1]),
            group("b.md", vec![2, 3]),
            group("c.md", vec![4]),
        ];
        let changed = |paths: &[(&str, &str)]| Changed {
            articles: paths
                .iter()
                .map(|(l, p)| ((*l).into(), (*p).to_owned()))
                .collect(),
            ui_strings: false,
        };
        // (changed files, selected groups, articles in scope)
        type Case = (
            &'static [(&'static str, &'static str)],
            [bool; 3],
            [bool; 6],
        );
        let cases: &[Case] = &[
            (&[], [false; 3], [false; 6]),
            (
                &[("nl", "a.md")],
                [true, false, false],
                [true, true, false, false, false, false],
            ),
            // The English c.md was deleted: the Dutch one is now a lone translation.
            (
                &[("en", "c.md")],
                [false, false, true],
                [false, false, false, false, true, false],
            ),
            // A file outside every group, and a path nobody has.
            (
                &[("nl", "dup.md"), ("fr", "zzz.md")],
                [false; 3],
                [false, false, false, false, false, true],
            ),
            (
                &[("en", "b.md"), ("fr", "a.md")],
                [true, true, false],
                [true, true, true, true, false, false],
            ),
        ];
        for (paths, groups_expected, docs_expected) in cases {
            let selection = select(&docs, &groups, &changed(paths));
            assert_eq!(selection.groups, groups_expected, "{paths:?}");
            assert_eq!(selection.docs, docs_expected, "{paths:?}");
        }
    }
}
