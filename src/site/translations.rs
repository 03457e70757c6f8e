//! The translations of each article, as the pages need them: the language switcher, `hreflang`
//! links and the sitemap. Read from the model's one grouping ([`crate::model::groups`]), so an
//! article paired by its path has its translations too.

use foldhash::HashMap;

use crate::locale::LocaleCode;
use crate::model::Site;

/// An article of a translation group: its locale and path.
pub type Member = (LocaleCode, String);

/// Every translation group of the site: for each key, the article's path in each locale.
#[derive(Debug, Default, Clone)]
pub struct Translations {
    groups: HashMap<String, Vec<Member>>,
    /// The group key of each article, by `(locale, path)`; a second article of a locale with a
    /// group's exl-id has that group's key, though it is not a member.
    keys: HashMap<LocaleCode, HashMap<String, String>>,
    /// Those second articles, by group key: `(locale, rel)`.
    duplicates: HashMap<String, Vec<Member>>,
}

impl Translations {
    pub fn new(site: &Site) -> Translations {
        let articles = site.articles();
        let mut translations = Translations::default();
        for group in &site.grouping.groups {
            let key = group.key();
            let members: Vec<Member> = group
                .members
                .iter()
                .map(|&i| (articles[i].locale.clone(), articles[i].rel_path.clone()))
                .collect();
            for (locale, rel) in &members {
                translations.set_key(locale, rel, &key);
            }
            translations.groups.insert(key, members);
        }
        for &(other, primary) in &site.grouping.duplicates {
            let (a, p) = (articles[other], articles[primary]);
            if let Some(key) = translations.key_of(&p.locale, &p.rel_path) {
                let key = key.to_owned();
                translations.set_key(&a.locale, &a.rel_path, &key);
                translations
                    .duplicates
                    .entry(key)
                    .or_default()
                    .push((a.locale.clone(), a.rel_path.clone()));
            }
        }
        translations
    }

    fn set_key(&mut self, locale: &LocaleCode, rel: &str, key: &str) {
        self.keys
            .entry(locale.clone())
            .or_default()
            .insert(rel.to_owned(), key.to_owned());
    }

    /// The key of the group the article at `rel` of `locale` belongs to.
    pub fn key_of(&self, locale: &str, rel: &str) -> Option<&str> {
        self.keys.get(locale)?.get(rel).map(String::as_str)
    }

    /// The article of `locale` in group `key` that the article at `rel` pairs with: where the
    /// locale has the exl-id more than once, the one at the same path, else the member.
    pub fn member_for(&self, key: &str, locale: &str, rel: &str) -> Option<&str> {
        let member = self.members(key).iter().find(|(l, _)| l == locale)?;
        let same_path = self
            .duplicates
            .get(key)
            .and_then(|d| d.iter().find(|(l, r)| l == locale && r == rel));
        Some(same_path.unwrap_or(member).1.as_str())
    }

    /// The article's path in each locale that has it, in config order: `(locale, rel)`.
    pub fn members(&self, key: &str) -> &[Member] {
        self.groups.get(key).map_or(&[], Vec::as_slice)
    }

    /// Every group, for pages that list all of them.
    pub fn groups(&self) -> impl Iterator<Item = (&String, &Vec<Member>)> {
        self.groups.iter()
    }
}
