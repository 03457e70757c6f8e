//! Which articles are translations of each other: one grouping for the whole tool (the check, the
//! language switcher, `hreflang` and the sitemap). Articles are grouped by `exl-id` across
//! locales; an article without one joins the group that has its path and lacks its locale (the
//! real corpora keep an article at the same path in every locale), else a group of its own.

use std::collections::BTreeMap;

use foldhash::HashMap;
use rayon::prelude::*;

use super::Article;
use crate::config::Config;

/// The translations of one article: at most one article per locale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub exl_id: Option<String>,
    /// The article's path under the locale folders: the source's, else the most common one.
    pub name: String,
    /// Indices into the site's articles, in the config's locale order.
    pub members: Vec<usize>,
}

impl Group {
    /// The key pages and sitemaps name the group by: `id:<exl-id>`, else `path:<name>`.
    pub fn key(&self) -> String {
        match &self.exl_id {
            Some(id) => format!("id:{id}"),
            None => format!("path:{}", self.name),
        }
    }
}

/// The groups, and the articles left out of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grouping {
    /// Sorted by name, then exl-id.
    pub groups: Vec<Group>,
    /// A second article of a locale with a group's exl-id, and the member it yielded to.
    pub duplicates: Vec<(usize, usize)>,
}

/// Groups `articles` (every locale's, in config order) into translation groups. Where a locale
/// has an exl-id twice, the one at the group's common path is the member.
pub fn group(config: &Config, articles: &[&Article]) -> Grouping {
    let locale_index = |code: &str| config.locales.iter().position(|l| l.code == code);
    let source = config.source_locale.as_deref();
    let mut grouping = Grouping::default();
    let mut by_id: HashMap<&str, Vec<usize>> = HashMap::default();
    let mut without_id = Vec::new();
    for (i, article) in articles.iter().enumerate() {
        match &article.front.exl_id {
            Some(id) => by_id.entry(id.as_str()).or_default().push(i),
            None => without_id.push(i),
        }
    }
    // In the order of the ids, on every thread: grouping 30,000 articles kept the other core
    // waiting for 30 ms (a B-tree of the ids took a third of it).
    let mut by_id: Vec<(&str, Vec<usize>)> = by_id.into_iter().collect();
    by_id.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
    let made: Vec<(Group, Vec<(usize, usize)>)> = by_id
        .par_iter()
        .map(|(id, list)| {
            let mut duplicates = Vec::new();
            let group = id_group(config, articles, id, list, &mut duplicates);
            (group, duplicates)
        })
        .collect();
    for (group, duplicates) in made {
        grouping.groups.push(group);
        grouping.duplicates.extend(duplicates);
    }
    let groups = &mut grouping.groups;
    add_by_path(articles, without_id, groups);
    groups.par_iter_mut().for_each(|group| {
        group
            .members
            .sort_by_key(|&i| locale_index(&articles[i].locale));
        if group.exl_id.is_none() {
            group.name = common_path(articles, &group.members, source);
        }
    });
    groups.par_sort_by(|a, b| (&a.name, &a.exl_id).cmp(&(&b.name, &b.exl_id)));
    grouping
}

/// The group of the articles `list` that share the exl-id `id`: one member per locale, the
/// others go to `duplicates` with the member they yielded to.
fn id_group(
    config: &Config,
    articles: &[&Article],
    id: &str,
    list: &[usize],
    duplicates: &mut Vec<(usize, usize)>,
) -> Group {
    let common = common_path(articles, list, config.source_locale.as_deref());
    let mut members: Vec<usize> = Vec::new();
    for locale in &config.locales {
        let mine: Vec<usize> = list
            .iter()
            .copied()
            .filter(|&i| articles[i].locale == locale.code)
            .collect();
        let Some(&primary) = mine
            .iter()
            .find(|&&i| articles[i].rel_path == common)
            .or(mine.first())
        else {
            continue;
        };
        members.push(primary);
        for &other in mine.iter().filter(|&&i| i != primary) {
            duplicates.push((other, primary));
        }
    }
    Group {
        exl_id: Some(id.to_owned()),
        name: common,
        members,
    }
}

/// Adds each article without an exl-id to a group at its path that lacks its locale, or to a
/// new group of its own.
fn add_by_path(articles: &[&Article], without_id: Vec<usize>, groups: &mut Vec<Group>) {
    if without_id.is_empty() {
        return;
    }
    let mut by_path: HashMap<&str, Vec<usize>> = HashMap::default();
    for (g, group) in groups.iter().enumerate() {
        for &i in &group.members {
            by_path
                .entry(articles[i].rel_path.as_str())
                .or_default()
                .push(g);
        }
    }
    for i in without_id {
        let article = articles[i];
        let lacks_locale = |g: &usize| {
            !groups[*g]
                .members
                .iter()
                .any(|&m| articles[m].locale == article.locale)
        };
        let found = by_path
            .get(article.rel_path.as_str())
            .and_then(|gs| gs.iter().copied().find(lacks_locale));
        match found {
            Some(g) => groups[g].members.push(i),
            None => {
                by_path
                    .entry(article.rel_path.as_str())
                    .or_default()
                    .push(groups.len());
                groups.push(Group {
                    exl_id: None,
                    name: article.rel_path.clone(),
                    members: vec![i],
                });
            }
        }
    }
}

/// The path most members have; the source's path wins a tie.
fn common_path(articles: &[&Article], members: &[usize], source: Option<&str>) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for &i in members {
        *counts.entry(articles[i].rel_path.as_str()).or_default() += 1;
    }
    let source_path = members
        .iter()
        .find(|&&i| Some(articles[i].locale.as_str()) == source)
        .map(|&i| articles[i].rel_path.as_str());
    let best = counts.values().copied().max().unwrap_or(0);
    source_path
        .filter(|p| counts.get(p) == Some(&best))
        .or_else(|| counts.iter().find(|(_, n)| **n == best).map(|(p, _)| *p))
        .unwrap_or_default()
        .to_owned()
}
