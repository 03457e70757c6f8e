//! Translations against the source's git history: `stale-translation` (the source article
//! changed after the commit a translation's `source-git-commit` names) and
//! `unknown-source-commit` (that commit is not in the history). A commit whose message ends
//! with a `Translation: none` trailer does not make a translation stale.
//!
//! The history is that of the source locale's content folder, or of the folder that
//! `source-repository` names in tolk.toml. The rules are silent on a site without a source
//! locale, when that folder is in no git repository, and, for a repository found by itself
//! (no `source-repository`), when none of the translations' commits is in it: they were then
//! made from another copy of the source, whose history is not here.
//!
//! The whole history is read once for every article ([`crate::history::log`]), and each
//! distinct commit is looked up once, however many translations name it.

use super::{Doc, Finding, Rule, Severities, View};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::history::{self, Lag, Log};

/// A translation that names the source commit it was made from.
struct Claim<'a> {
    translation: &'a Doc<'a>,
    source: &'a Doc<'a>,
    commit: &'a str,
}

pub fn check(site: &View<'_>) -> Result<Vec<Finding>> {
    let Some(source_locale) = site.config.source_locale.as_deref() else {
        return Ok(Vec::new());
    };
    // Both rules turned off in [check]: no need to read the history.
    let severities = Severities::new(&site.config.check);
    if [Rule::StaleTranslation, Rule::UnknownSourceCommit]
        .iter()
        .all(|&rule| severities.of(rule).is_none())
    {
        return Ok(Vec::new());
    }
    let claims = claims(site);
    if claims.is_empty() {
        return Ok(Vec::new());
    }
    let Some((located, shown, explicit)) = history_folder(site.config, source_locale)? else {
        return Ok(Vec::new());
    };
    let log = site.history.read(&located)?;
    let known: Vec<Option<usize>> = claims.iter().map(|c| log.find(c.commit)).collect();
    if !explicit && known.iter().all(Option::is_none) {
        return Ok(Vec::new());
    }
    let queries: Vec<(usize, &str)> = claims
        .iter()
        .zip(&known)
        .filter_map(|(claim, commit)| commit.map(|c| (c, claim.source.article.rel_path.as_str())))
        .collect();
    let mut lags = counted(&located, &log, log.lags(&queries))?.into_iter();
    let mut findings = Vec::new();
    for (claim, commit) in claims.iter().zip(&known) {
        let doc = claim.translation;
        let at = doc.key_offset("source-git-commit");
        let finding = match commit {
            Some(commit) => {
                let Some(lag) = lags.next().filter(|lag| !lag.behind.is_empty()) else {
                    continue;
                };
                let message = stale_message(&log, *commit, &lag, &claim.source.article.shown_path);
                Finding::at(Rule::StaleTranslation, doc, at, 0, message)
            }
            None => Finding::at(
                Rule::UnknownSourceCommit,
                doc,
                at,
                0,
                unknown_message(claim.commit, &shown, log.shallow),
            ),
        };
        findings.push(finding.with_related(claim.source, 0));
    }
    Ok(findings)
}

/// `lags` without the commits whose message ends with a `Translation: none` trailer (each
/// commit's message read once).
fn counted(located: &history::Located, log: &Log, lags: Vec<Lag>) -> Result<Vec<Lag>> {
    let mut exempt: std::collections::HashMap<usize, bool> = Default::default();
    let mut out = Vec::with_capacity(lags.len());
    for mut lag in lags {
        for &commit in &lag.behind {
            if let std::collections::hash_map::Entry::Vacant(entry) = exempt.entry(commit) {
                let message = history::message(located, &log.commit(commit).id)?;
                entry.insert(history::no_translation(&message));
            }
        }
        lag.behind
            .retain(|c| !exempt.get(c).copied().unwrap_or(false));
        out.push(lag);
    }
    Ok(out)
}

/// Every translation with a `source-git-commit` whose group has a source article.
fn claims<'a>(site: &View<'a>) -> Vec<Claim<'a>> {
    let mut claims = Vec::new();
    for group in site.groups {
        let Some(source) = site.source_member(group) else {
            continue;
        };
        for &i in group.members.iter().filter(|&&i| i != source) {
            let translation = &site.docs[i];
            if let Some(commit) = translation.article.front.source_git_commit.as_deref() {
                claims.push(Claim {
                    translation,
                    source: &site.docs[source],
                    commit,
                });
            }
        }
    }
    claims
}

/// The folder whose history the source follows, how to name it, and whether tolk.toml named it.
fn history_folder(
    config: &Config,
    source_locale: &str,
) -> Result<Option<(history::Located, String, bool)>> {
    if let Some(repo) = &config.source_repository {
        return match history::locate(&repo.path) {
            Some(located) => Ok(Some((located, repo.shown.clone(), true))),
            None => Err(Error::setup(
                format!(
                    "{}: source-repository `{}` is not a folder in a git repository",
                    repo.location, repo.shown
                ),
                "clone the source's repository there, correct the path (it is relative to the \
                 site root), or remove source-repository to use the source locale's own folder",
            )),
        };
    }
    let Some(locale) = config.locale(source_locale) else {
        return Ok(None);
    };
    Ok(history::locate(&locale.content_dir)
        .map(|located| (located, config.display_path(&locale.content_dir), false)))
}

/// `this translation is 2 commits behind its source content/en/a.md since 2024-02-01: ...`.
fn stale_message(log: &Log, commit: usize, lag: &Lag, source_path: &str) -> String {
    let from = log.commit(commit);
    let (Some(first), Some(last)) = (lag.first(), lag.last()) else {
        return String::new();
    };
    let (first, last) = (log.commit(first), log.commit(last));
    let count = lag.behind.len();
    format!(
        "this translation is {count} commit{} behind its source {source_path} since {}: it was made \
         from {} ({}), and the source last changed in {} ({})",
        if count == 1 { "" } else { "s" },
        first.date,
        short(&from.id),
        from.date,
        short(&last.id),
        last.date
    )
}

fn unknown_message(commit: &str, shown: &str, shallow: bool) -> String {
    let mut message = format!(
        "source-git-commit {} is not in the git history of {shown} (the commits reachable from its HEAD)",
        short(commit)
    );
    if shallow {
        message.push_str(
            "; that repository is a shallow clone, which lacks the older commits: fetch the whole \
             history (git fetch --unshallow)",
        );
    }
    message
}

/// The first 7 characters of a commit id, as git shows it.
fn short(commit: &str) -> &str {
    commit.get(..7).unwrap_or(commit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::Commit;

    fn log() -> Log {
        let commit = |id: &str, seconds: i64, date: &str, parents: Vec<usize>| Commit {
            id: id.repeat(40),
            seconds,
            date: date.to_owned(),
            parents,
        };
        Log::new(
            vec![
                commit("c", 3, "2024-03-01", vec![1]),
                commit("b", 2, "2024-02-01", vec![2]),
                commit("a", 1, "2024-01-05", vec![]),
            ],
            [("a.md".to_owned(), vec![0, 1, 2])].into(),
            false,
        )
    }

    #[test]
    fn messages_name_the_count_the_dates_and_the_commits() {
        let log = log();
        let cases = [
            (
                2,
                vec![1, 0],
                "this translation is 2 commits behind its source content/en/a.md since 2024-02-01: \
                 it was made from aaaaaaa (2024-01-05), and the source last changed in ccccccc (2024-03-01)",
            ),
            (
                1,
                vec![0],
                "this translation is 1 commit behind its source content/en/a.md since 2024-03-01: \
                 it was made from bbbbbbb (2024-02-01), and the source last changed in ccccccc (2024-03-01)",
            ),
        ];
        for (from, behind, expected) in cases {
            let lag = Lag { behind };
            assert_eq!(stale_message(&log, from, &lag, "content/en/a.md"), expected);
        }
        assert_eq!(
            unknown_message(&"d".repeat(40), "content/en", false),
            "source-git-commit ddddddd is not in the git history of content/en (the commits reachable from its HEAD)"
        );
        assert!(unknown_message("d", "x", true).contains("shallow clone"));
    }
}
