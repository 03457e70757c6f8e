//! Saved articles taken into a loaded site: what `tolk serve --watch` does to the model after a
//! save, before it plans which pages to render again.
//!
//! [`Site::apply`] reads the saved articles (a deleted one is gone), puts them in place of the old
//! ones, groups the translations again when that can have changed, and says in a [`Delta`] what
//! changed: for each article its translation group before and after, and whether it came, went or
//! changed the locales it is published in.

use crate::config::Config;
use crate::error::{Error, Result};
use crate::locale::LocaleCode;

use super::{article, Article, Site};

/// An article's translation group, as a delta names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRef {
    /// The group's key ([`super::Group::key`]).
    pub key: String,
    /// Its members' paths, by locale index: `(locale, rel)`.
    pub members: Vec<(usize, String)>,
}

/// What a save did to one article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleChange {
    /// The locale's index in [`Site::contents`].
    pub locale: usize,
    /// Path under the locale's content folder: `a/b.md`.
    pub rel: String,
    pub existed: bool,
    pub exists: bool,
    /// Its `locales:` (where it is published and borrowed) changed.
    pub relimited: bool,
    /// Its translation group before the save and after.
    pub before: Option<GroupRef>,
    pub after: Option<GroupRef>,
}

impl ArticleChange {
    /// Whether the article came, went, or moved to another translation group (or changed where
    /// it is published): the sitemap and the root page follow.
    pub fn moves(&self) -> bool {
        self.existed != self.exists
            || self.relimited
            || self.before.as_ref().map(|g| &g.key) != self.after.as_ref().map(|g| &g.key)
    }
}

/// What [`Site::apply`] changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Delta {
    pub changes: Vec<ArticleChange>,
    /// The translations were grouped again.
    pub regrouped: bool,
}

impl Site {
    /// Takes the articles at `saved` (`(locale code, path under its content folder)`) from disk
    /// again: saved, created or deleted. An article that cannot be read or whose front matter is
    /// wrong fails the whole call before anything changes, all of them reported together; paths
    /// of locales the site does not have are ignored.
    pub fn apply(&mut self, config: &Config, saved: &[(LocaleCode, String)]) -> Result<Delta> {
        let read = self.read_saved(config, saved)?;
        let mut delta = Delta::default();
        // Every group as it was, before any article moves the others' indices.
        let mut placed = Vec::with_capacity(read.len());
        for (li, rel, new) in &read {
            let old = self.contents[*li].article(rel);
            delta.regrouped |=
                old.map(|a| &a.front.exl_id) != new.as_ref().map(|a| &a.front.exl_id);
            placed.push(ArticleChange {
                locale: *li,
                rel: rel.clone(),
                existed: old.is_some(),
                exists: new.is_some(),
                relimited: old.map(|a| &a.front.locales) != new.as_ref().map(|a| &a.front.locales),
                before: self.translations_of(*li, rel),
                after: None,
            });
        }
        for (li, rel, new) in read {
            self.put(li, &rel, new);
        }
        if delta.regrouped {
            self.regroup(config);
        }
        for mut change in placed {
            change.after = self.translations_of(change.locale, &change.rel);
            delta.changes.push(change);
        }
        Ok(delta)
    }

    /// Reads the saved articles (`None`: deleted), by locale index.
    fn read_saved(
        &self,
        config: &Config,
        saved: &[(LocaleCode, String)],
    ) -> Result<Vec<(usize, String, Option<Article>)>> {
        let mut read = Vec::new();
        let mut errors = Vec::new();
        for (code, rel) in saved {
            let Some(li) = self.locale_index(code) else {
                continue;
            };
            let locale = &self.contents[li].locale;
            if !locale.content_dir.join(rel).is_file() {
                read.push((li, rel.clone(), None));
                continue;
            }
            match article::read_article(config, locale, rel) {
                Ok(article) => match article.front_error() {
                    Some(error) => errors.push(error),
                    None => read.push((li, rel.clone(), Some(article))),
                },
                Err(error) => errors.push(error),
            }
        }
        match Error::from_many(errors) {
            Some(error) => Err(error),
            None => Ok(read),
        }
    }

    /// Puts `article` (or nothing) in place of the locale's article at `rel`, keeping the
    /// articles sorted by path.
    fn put(&mut self, li: usize, rel: &str, article: Option<Article>) {
        let content = &mut self.contents[li];
        let at = content
            .articles
            .binary_search_by(|a| a.rel_path.as_str().cmp(rel));
        match (at, article) {
            (Ok(i), Some(article)) => content.articles[i] = article,
            (Err(i), Some(article)) => {
                content.articles.insert(i, article);
                if !content.files.articles.iter().any(|r| r == rel) {
                    content.files.articles.push(rel.to_owned());
                }
            }
            (Ok(i), None) => {
                content.articles.remove(i);
                content.files.articles.retain(|r| r != rel);
            }
            (Err(_), None) => {}
        }
    }

    /// The translation group of the article at `rel` in the locale at index `li`: the group it
    /// is a member of, or the one whose member it yielded to (a second article of a locale with
    /// the group's exl-id).
    pub fn translations_of(&self, li: usize, rel: &str) -> Option<GroupRef> {
        let offset: usize = self.contents[..li].iter().map(|c| c.articles.len()).sum();
        let at = self.contents[li]
            .articles
            .binary_search_by(|a| a.rel_path.as_str().cmp(rel))
            .ok()?;
        let index = offset + at;
        let primary = self
            .grouping
            .duplicates
            .iter()
            .find(|(other, _)| *other == index)
            .map_or(index, |(_, primary)| *primary);
        let group = self
            .grouping
            .groups
            .iter()
            .find(|g| g.members.contains(&primary))?;
        // Member indices count the articles of every locale in order.
        let starts: Vec<usize> = self
            .contents
            .iter()
            .scan(0, |start, c| {
                let this = *start;
                *start += c.articles.len();
                Some(this)
            })
            .collect();
        let members = group
            .members
            .iter()
            .filter_map(|&i| {
                let locale = starts.partition_point(|&start| start <= i).checked_sub(1)?;
                let article = self.contents[locale].articles.get(i - starts[locale])?;
                Some((locale, article.rel_path.clone()))
            })
            .collect();
        Some(GroupRef {
            key: group.key(),
            members,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn site_in(dir: &Path, files: &[(&str, &str)]) -> (Config, Site) {
        for locale in ["nl", "fr"] {
            std::fs::create_dir_all(dir.join("content").join(locale)).expect("a folder");
        }
        for (rel, text) in files {
            let path = dir.join(rel);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("a folder");
            std::fs::write(path, text).expect("written");
        }
        let toml = "[[locales]]\ncode = \"nl\"\n[[locales]]\ncode = \"fr\"\n";
        let config = Config::parse(dir, "tolk.toml", toml).expect("a config");
        let site = Site::load(&config).expect("a site");
        (config, site)
    }

    const A: &str = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa";
    const B: &str = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb";

    fn article(id: &str, title: &str) -> String {
        format!("---\ntitle: {title}\nexl-id: {id}\n---\n# {title}\n\nText.\n")
    }

    #[test]
    fn a_saved_article_keeps_its_group_and_a_new_exl_id_moves_it() -> Result<()> {
        let dir = tempfile::tempdir().map_err(Error::io("create", Path::new("tmp")))?;
        let (config, mut site) = site_in(
            dir.path(),
            &[
                ("content/nl/a.md", &article(A, "A")),
                ("content/fr/a.md", &article(A, "A fr")),
            ],
        );
        std::fs::write(dir.path().join("content/nl/a.md"), article(A, "A2"))
            .map_err(Error::io("write", dir.path()))?;
        let delta = site.apply(&config, &[("nl".into(), "a.md".into())])?;
        assert!(!delta.regrouped);
        let change = &delta.changes[0];
        assert!(change.existed && change.exists && !change.moves());
        assert_eq!(change.after.as_ref().map(|g| g.members.len()), Some(2));

        std::fs::write(dir.path().join("content/nl/a.md"), article(B, "B"))
            .map_err(Error::io("write", dir.path()))?;
        let delta = site.apply(&config, &[("nl".into(), "a.md".into())])?;
        assert!(delta.regrouped && delta.changes[0].moves());
        assert_eq!(
            delta.changes[0].before.as_ref().map(|g| g.key.as_str()),
            Some(format!("id:{A}").as_str())
        );
        assert_eq!(
            delta.changes[0].after.as_ref().map(|g| g.key.as_str()),
            Some(format!("id:{B}").as_str())
        );
        Ok(())
    }

    #[test]
    fn created_and_deleted_articles_come_and_go_and_bad_ones_change_nothing() -> Result<()> {
        let dir = tempfile::tempdir().map_err(Error::io("create", Path::new("tmp")))?;
        let (config, mut site) = site_in(dir.path(), &[("content/nl/b.md", &article(B, "B"))]);
        std::fs::write(dir.path().join("content/nl/a.md"), article(A, "A"))
            .map_err(Error::io("write", dir.path()))?;
        let delta = site.apply(&config, &[("nl".into(), "a.md".into())])?;
        assert!(!delta.changes[0].existed && delta.changes[0].exists);
        let rels: Vec<&str> = site.contents[0]
            .articles
            .iter()
            .map(|a| a.rel_path.as_str())
            .collect();
        assert_eq!(rels, ["a.md", "b.md"], "kept sorted by path");

        std::fs::write(dir.path().join("content/nl/a.md"), "---\ntitle: [\n---\n")
            .map_err(Error::io("write", dir.path()))?;
        std::fs::remove_file(dir.path().join("content/nl/b.md"))
            .map_err(Error::io("remove", dir.path()))?;
        let saved = [("nl".into(), "a.md".into()), ("nl".into(), "b.md".into())];
        assert!(site.apply(&config, &saved).is_err());
        assert_eq!(site.contents[0].articles.len(), 2, "nothing changed");

        std::fs::write(dir.path().join("content/nl/a.md"), article(A, "A"))
            .map_err(Error::io("write", dir.path()))?;
        let delta = site.apply(&config, &saved)?;
        assert!(delta.changes[1].existed && !delta.changes[1].exists);
        assert_eq!(site.contents[0].articles.len(), 1);
        Ok(())
    }
}
