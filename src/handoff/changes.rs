//! How much of the source changed for each stale translation ([`SourceChanges`]), as `tolk status` and
//! the status site show it: the same computation as [`super::export`], once per source article
//! and `source-git-commit` however many locales were made from it, over the history the check
//! already read (the site model's log cache).

use std::collections::{BTreeMap, HashMap};

use super::{export, History, SourceChanges};
use crate::config::Config;
use crate::error::Result;
use crate::model::{Article, Site};

/// The [`SourceChanges`] of each translation among `stale` (shown paths), by shown path. A translation
/// whose source or commit cannot be found is left out.
pub fn of_stale(
    config: &Config,
    site: &Site,
    stale: &[&str],
) -> Result<BTreeMap<String, SourceChanges>> {
    let mut out = BTreeMap::new();
    let Some(source_locale) = config.source_locale.as_deref() else {
        return Ok(out);
    };
    if stale.is_empty() {
        return Ok(out);
    }
    // The check found these stale, so the history exists; if it cannot be opened now, the
    // numbers are left out rather than failing the check.
    let Ok(history) = History::open(config, &site.history) else {
        return Ok(out);
    };
    let pairs = with_sources(site, source_locale);
    // Each stale translation's (source, base commit); each pair is worked out once.
    let mut wanted: Vec<(&str, &Article, String)> = Vec::new();
    for &path in stale {
        let Some(&(translation, source)) = pairs.get(path) else {
            continue;
        };
        let base = translation.front.source_git_commit.as_deref();
        if let Some(base) = base.and_then(|c| history.resolve(c)) {
            wanted.push((path, source, base));
        }
    }
    let mut jobs: Vec<(&Article, &str)> = wanted.iter().map(|(_, s, b)| (*s, b.as_str())).collect();
    jobs.sort_by_key(|(source, base)| (source.shown_path.as_str(), *base));
    jobs.dedup_by_key(|(source, base)| (source.shown_path.as_str(), *base));
    let deltas = on_every_core(&history, &jobs)?;
    for (path, source, base) in &wanted {
        let key = (source.shown_path.as_str(), base.as_str());
        let found = jobs.binary_search_by_key(&key, |(s, b)| (s.shown_path.as_str(), *b));
        if let Some(delta) = found.ok().and_then(|i| deltas[i]) {
            out.insert((*path).to_owned(), delta);
        }
    }
    Ok(out)
}

/// [`export::delta`] of each (source, base) of `jobs`, in their order, on every core (each
/// thread opens the repository once).
fn on_every_core(
    history: &History,
    jobs: &[(&Article, &str)],
) -> Result<Vec<Option<SourceChanges>>> {
    use rayon::prelude::*;
    let handle = history.handle();
    jobs.par_iter()
        .map_init(
            || handle.open(),
            |mine, (source, base)| match mine {
                Some(history) => export::delta(history, source, base),
                None => Ok(None),
            },
        )
        .collect()
}

/// Every translation (by shown path) with its group's source article.
fn with_sources<'a>(
    site: &'a Site,
    source_locale: &str,
) -> HashMap<&'a str, (&'a Article, &'a Article)> {
    let articles = site.articles();
    let mut pairs = HashMap::new();
    for group in &site.grouping.groups {
        let members = group.members.iter().map(|&i| articles[i]);
        let Some(source) = members.clone().find(|a| a.locale == source_locale) else {
            continue;
        };
        for translation in members.filter(|a| a.locale != source_locale) {
            pairs.insert(translation.shown_path.as_str(), (translation, source));
        }
    }
    pairs
}
