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
}

impl Translations {
    /// Indexes the articles of every locale (in config order).
    pub fn new(contents: &[LocaleContent]) -> Translations {
        let mut groups: HashMap<String, Vec<(String, String)>> = HashMap::new();
        for content in contents {
            for article in &content.articles {
                let key = group_key(article.front.exl_id.as_deref(), &article.rel_path);
                let members = groups.entry(key).or_default();
                // A duplicate exl-id within a locale is a check error; the first one wins here.
                if !members.iter().any(|(locale, _)| locale == &article.locale) {
                    members.push((article.locale.clone(), article.rel_path.clone()));
                }
            }
        }
        Translations { groups }
    }

    /// The article's path in each locale that has it, in config order: `(locale, rel)`.
    pub fn members(&self, key: &str) -> &[(String, String)] {
        self.groups.get(key).map_or(&[], Vec::as_slice)
    }

    /// Every group, for pages that list all of them.
    pub fn groups(&self) -> impl Iterator<Item = (&String, &Vec<(String, String)>)> {
        self.groups.iter()
    }
}
