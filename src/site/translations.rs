//! Which articles are translations of each other: the same `exl-id` (or, without one, the same
//! path), across locales. The language switcher, `hreflang` links and the sitemap read it.

use std::collections::HashMap;

use crate::content::LocaleContent;

/// The key that pairs translations: the exl-id, else the path under the locale folder.
pub fn group_key(exl_id: Option<&str>, rel: &str) -> String {
    match exl_id {
        Some(id) => format!("id:{id}"),
        None => format!("path:{rel}"),
    }
}

/// Every translation group of the site: for each key, the article's path in each locale.
#[derive(Debug, Default, Clone)]
pub struct Translations {
    groups: HashMap<String, Vec<(String, String)>>,
    /// Articles of a locale that already has one in their group (a duplicate exl-id).
    duplicates: HashMap<String, Vec<(String, String)>>,
}

impl Translations {
    /// Indexes the articles of every locale (in config order).
    pub fn new(contents: &[LocaleContent]) -> Translations {
        let mut groups: HashMap<String, Vec<(String, String)>> = HashMap::new();
        let mut duplicates: HashMap<String, Vec<(String, String)>> = HashMap::new();
        for content in contents {
            for article in &content.articles {
                let key = group_key(article.front.exl_id.as_deref(), &article.rel_path);
                let members = groups.entry(key.clone()).or_default();
                // A duplicate exl-id within a locale is a check error; the first one wins here.
                let pair = (article.locale.clone(), article.rel_path.clone());
                if members.iter().any(|(locale, _)| locale == &article.locale) {
                    duplicates.entry(key).or_default().push(pair);
                } else {
                    members.push(pair);
                }
            }
        }
        Translations { groups, duplicates }
    }

    /// The article of `locale` in group `key` that the article at `rel` pairs with: where the
    /// locale has the id more than once, the one at the same path, else its first.
    pub fn member_for(&self, key: &str, locale: &str, rel: &str) -> Option<&str> {
        let same_path = |(l, r): &&(String, String)| l == locale && r == rel;
        let first = self.members(key).iter().find(|(l, _)| l == locale)?;
        if first.1 == rel {
            return Some(&first.1);
        }
        let duplicate = self
            .duplicates
            .get(key)
            .and_then(|d| d.iter().find(same_path));
        Some(duplicate.unwrap_or(first).1.as_str())
    }

    /// The article's path in each locale that has it, in config order: `(locale, rel)`.
    pub fn members(&self, key: &str) -> &[(String, String)] {
        self.groups.get(key).map_or(&[], Vec::as_slice)
    }

    /// Takes the article at `rel` of `locale` out of group `key`.
    pub fn remove(&mut self, key: &str, locale: &str, rel: &str) {
        if let Some(members) = self.groups.get_mut(key) {
            members.retain(|(l, r)| !(l == locale && r == rel));
            if members.is_empty() {
                self.groups.remove(key);
            }
        }
    }

    /// Puts the article at `rel` of `locale` in group `key`, unless the locale already has one
    /// there; `order` is the locales' codes in config order.
    pub fn add(&mut self, key: &str, locale: &str, rel: &str, order: &[&str]) {
        let members = self.groups.entry(key.to_owned()).or_default();
        if members.iter().any(|(l, _)| l == locale) {
            return;
        }
        let rank = |code: &str| order.iter().position(|o| *o == code);
        let at = members.partition_point(|(l, _)| rank(l) < rank(locale));
        members.insert(at, (locale.to_owned(), rel.to_owned()));
    }

    /// Every group, for pages that list all of them.
    pub fn groups(&self) -> impl Iterator<Item = (&String, &Vec<(String, String)>)> {
        self.groups.iter()
    }
}
