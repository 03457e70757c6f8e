//! `tolk handoff export`: for every stale or missing translation of a locale, the changed and
//! added source segments, as one XLIFF [`XliffFile`].

use super::xliff::{FileUnits, Unit, XliffFile};
use super::{
    collapse, inline, removed, words, HandoffPlan, History, Place, PlannedUnit, SourceChanges,
};
use crate::align::{self, Segment, SegmentKind};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::history;
use crate::model::{parse_article, Article, Site};

#[derive(Debug, Clone, Default)]
pub struct ExportScope {
    /// The locale to hand off.
    pub locale: String,
    /// Only the source articles under these paths (as shown, or inside the locale folder).
    pub paths: Vec<String>,
    /// Only the translations whose source a counted commit changed since this ref (its merge
    /// base with HEAD); each still with all its units.
    pub changed_since: Option<String>,
}

/// The plans of every translation of `options.locale` that needs work.
pub fn plans(config: &Config, site: &Site, options: &ExportScope) -> Result<Vec<HandoffPlan>> {
    let source_locale = config.source_locale.clone().unwrap_or_default();
    if options.locale == source_locale || config.locale(&options.locale).is_none() {
        return Err(Error::setup(
            format!(
                "`{}` is not a translated locale of this site",
                options.locale
            ),
            format!(
                "give one of the locales tolk.toml lists other than the source `{source_locale}`"
            ),
        ));
    }
    let history = History::open(config, &site.history)?;
    let since = match &options.changed_since {
        Some(spec) => Some(since(&history, spec)?),
        None => None,
    };
    let articles = site.articles();
    let mut plans = Vec::new();
    for group in &site.grouping.groups {
        let member = |locale: &str| {
            group
                .members
                .iter()
                .map(|&i| articles[i])
                .find(|a| a.locale == locale)
        };
        let Some(source) = member(&source_locale) else {
            continue;
        };
        if !selected(source, &options.paths) || !source.wanted_in(config, &options.locale) {
            continue;
        }
        if let Some(at) = since {
            if !changed_after(&history, at, &source.rel_path)? {
                continue;
            }
        }
        let plan = match member(&options.locale) {
            Some(translation) => stale(&history, source, translation)?,
            None => missing(config, &history, source, &options.locale, &history.head)?,
        };
        plans.extend(plan.filter(|p| !p.units.is_empty()));
    }
    Ok(plans)
}

/// The index in the log of the merge base of `spec` and HEAD.
fn since(history: &History, spec: &str) -> Result<usize> {
    let base = history::changed::base_commit(&history.located, spec)?
        .to_hex()
        .to_string();
    history.log.find(&base).ok_or_else(|| {
        Error::setup(
            format!("--changed-since {spec}: commit {base} is not in the source's history"),
            "name a commit of the source's repository that HEAD reaches, e.g. the tag of the last export",
        )
    })
}

/// Whether a commit that counts (no `Translation: none` trailer) changed the source at `path`
/// after commit `at` of the log (one that `at`'s history lacks).
fn changed_after(history: &History, at: usize, path: &str) -> Result<bool> {
    for lag in history.log.lags(&[(at, path)]) {
        for c in lag.behind {
            if history.counts(c)? {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// The XLIFF document of `plans`.
pub fn document(config: &Config, locale: &str, plans: &[HandoffPlan]) -> XliffFile {
    let files = plans
        .iter()
        .map(|plan| FileUnits {
            original: plan.translation_shown.clone(),
            exl_id: plan.exl_id.clone(),
            base: plan.base.clone(),
            head: plan.head.clone(),
            units: plan.units.iter().map(|u| unit(plan, u)).collect(),
            line: 0,
        })
        .collect();
    XliffFile {
        source_language: config.source_locale.clone().unwrap_or_default(),
        target_language: locale.to_owned(),
        files,
    }
}

fn unit(plan: &HandoffPlan, unit: &PlannedUnit) -> Unit {
    let (source, codes) = inline::pieces(&unit.source);
    let target = unit.target.as_deref().map(|target| {
        let (theirs, own) = inline::pieces(target);
        inline::adopt(theirs, &own, &codes)
    });
    Unit {
        id: unit.id.clone(),
        source,
        target,
        note: format!(
            "{}; exl-id {}; {} ({}); {} words{}{}",
            plan.source_shown,
            plan.exl_id,
            unit.kind.name(),
            unit.change,
            unit.words,
            if unit.heading_path.is_empty() {
                String::new()
            } else {
                format!("; under {}", unit.heading_path)
            },
            match unit.place {
                Place::Remove(_) =>
                    "; the source removed it: nothing to translate, the import \
                                     deletes the target from the translation",
                Place::Keep =>
                    "; the source removed it: nothing to translate, delete the \
                                target from the translation by hand (tolk cannot do it safely)",
                _ => "",
            }
        ),
        heading_path: unit.heading_path.clone(),
        translate: !matches!(unit.place, Place::Remove(_) | Place::Keep),
        ..Unit::default()
    }
}

/// Whether `source` is under one of `paths` (all articles when there are none).
fn selected(source: &Article, paths: &[String]) -> bool {
    paths.is_empty()
        || paths.iter().any(|p| {
            let p = p.trim_start_matches("./").trim_end_matches('/');
            [&source.shown_path, &source.rel_path]
                .iter()
                .any(|have| have.as_str() == p || have.starts_with(&format!("{p}/")))
        })
}

/// The plan of a translation whose source changed since its `source-git-commit`, if it did
/// (none when the commit is unknown: `tolk check` reports that).
fn stale(
    history: &History,
    source: &Article,
    translation: &Article,
) -> Result<Option<HandoffPlan>> {
    if source.front.exl_id.is_none() {
        return Ok(None);
    }
    let Some(from) = translation.front.source_git_commit.as_deref() else {
        return Ok(None);
    };
    let Some(at) = history.log.find(from) else {
        return Ok(None);
    };
    let base = history.log.commit(at).id.clone();
    plan(history, source, translation, &base, &history.head)
}

/// The commits after `base` up to `head` that changed the source at `path`, oldest first,
/// each with whether it counts (no `Translation: none` trailer). A run of commits that all
/// count, or that all do not, is one step: only its last commit is kept.
fn steps(history: &History, path: &str, base: &str, head: &str) -> Result<Vec<(String, bool)>> {
    let log = &history.log;
    let (Some(at), Some(until)) = (log.find(base), log.find(head)) else {
        return Ok(Vec::new());
    };
    let latest = log.commit(until).seconds;
    let mut steps: Vec<(String, bool)> = Vec::new();
    for lag in log.lags(&[(at, path)]) {
        for &c in &lag.behind {
            let commit = log.commit(c);
            if commit.seconds <= latest {
                let counts = history.counts(c)?;
                if steps.last().is_some_and(|(_, last)| *last == counts) {
                    steps.pop();
                }
                steps.push((commit.id.clone(), counts));
            }
        }
    }
    Ok(steps)
}

/// For each segment of the source at the last of `versions`, whether a counted change made it
/// differ from `versions[0]`: the versions are aligned one after the other, and a segment that
/// a `Translation: none` commit or whitespace alone changed keeps its flag.
fn dirty(versions: &[(Article, bool)]) -> Vec<bool> {
    let Some((first, _)) = versions.first() else {
        return Vec::new();
    };
    let mut before = align::segments(first);
    let mut flags = vec![false; before.len()];
    for pair in versions.windows(2) {
        let ((old, _), (new, counts)) = (&pair[0], &pair[1]);
        let after = align::segments(new);
        let mut next = vec![*counts; after.len()];
        for link in align::align(&before, &old.text, &after, &new.text) {
            if let (Some(o), Some(n)) = (link.pivot, link.other) {
                let same =
                    collapse(before[o].text(&old.text)) == collapse(after[n].text(&new.text));
                next[n] = flags[o] || (!same && *counts);
            }
        }
        (before, flags) = (after, next);
    }
    flags
}

/// The source at `base` and at `head`, and for each segment at `head` whether a counted
/// change made it differ ([`dirty`]); `None` when the source is not at its path in one of
/// them, or only `Translation: none` commits changed it.
fn versions(
    history: &History,
    source: &Article,
    base: &str,
    head: &str,
) -> Result<Option<(Article, Article, Vec<bool>)>> {
    let read = |commit: &str| history::file_at(&history.located, commit, &source.rel_path);
    let parse = |text: String| parse_article(&source.locale, &source.rel_path, String::new(), text);
    let mut versions = Vec::new();
    let steps = steps(history, &source.rel_path, base, head)?;
    for (commit, counts) in std::iter::once((base.to_owned(), false)).chain(steps) {
        versions.extend(read(&commit)?.map(|text| (parse(text), counts)));
    }
    let Some(new) = read(head)?.map(parse) else {
        return Ok(None);
    };
    if versions.is_empty() || !versions.iter().any(|(_, counts)| *counts) {
        return Ok(None);
    }
    if versions
        .last()
        .is_some_and(|(last, _)| last.text != new.text)
    {
        versions.push((new.clone(), true));
    }
    let flags = dirty(&versions);
    let old = versions.swap_remove(0).0;
    Ok(Some((old, new, flags)))
}

/// The plan of `translation` from source commit `base` to `head`; `None` when the source is
/// not at its path in one of them, or only `Translation: none` commits changed it.
pub fn plan(
    history: &History,
    source: &Article,
    translation: &Article,
    base: &str,
    head: &str,
) -> Result<Option<HandoffPlan>> {
    let Some((old, new, flags)) = versions(history, source, base, head)? else {
        return Ok(None);
    };
    let exl_id = source.front.exl_id.clone().unwrap_or_default();
    Ok(Some(HandoffPlan {
        units: changed_units(&exl_id, (&old, &new, &flags), translation),
        exl_id,
        source_shown: source.shown_path.clone(),
        translation_shown: translation.shown_path.clone(),
        translation_path: std::path::PathBuf::new(),
        base: base.to_owned(),
        head: head.to_owned(),
        text: translation.text.clone(),
        source_words: words(new.body()),
    }))
}

/// How much of the source changed from `base` to HEAD, as export counts it: the segments it
/// would send (changed or added by a counted commit, whitespace aside, code blocks never) and
/// their words at HEAD. `None` when the source is not at its path in `base` or HEAD.
pub fn delta(history: &History, source: &Article, base: &str) -> Result<Option<SourceChanges>> {
    let Some((old, new, flags)) = versions(history, source, base, &history.head)? else {
        return Ok(None);
    };
    let (old_s, new_s) = (align::segments(&old), align::segments(&new));
    let mut delta = SourceChanges::default();
    for link in align::align(&old_s, &old.text, &new_s, &new.text) {
        let Some(n) = link.other else { continue };
        if sent(
            link.pivot,
            (&old_s, &old.text),
            (&new_s, n, &new.text),
            &flags,
        ) {
            delta.segments += 1;
            delta.words += words(new_s[n].text(&new.text));
        }
    }
    Ok(Some(delta))
}

/// Whether segment `n` of `new` is sent: it differs from its segment of `old` (`pivot`;
/// whitespace aside) or has none, a counted commit changed it, and it is text with content.
fn sent(
    pivot: Option<usize>,
    (old_s, old): (&[Segment], &str),
    (new_s, n, new): (&[Segment], usize, &str),
    dirty: &[bool],
) -> bool {
    let seg = &new_s[n];
    let changed = pivot.is_none_or(|o| collapse(old_s[o].text(old)) != collapse(seg.text(new)));
    let counted = dirty.get(n).copied().unwrap_or(true);
    changed && counted && seg.kind != SegmentKind::Code && seg.has_content(new)
}

/// The segments of `new` that differ from `old` (whitespace aside) or are not in it, each
/// placed in `translation` (aligned with `old`).
fn changed_units(
    exl_id: &str,
    (old, new, dirty): (&Article, &Article, &[bool]),
    translation: &Article,
) -> Vec<PlannedUnit> {
    let (old_s, new_s, ours) = (
        align::segments(old),
        align::segments(new),
        align::segments(translation),
    );
    let mut ours_of = vec![None; old_s.len()];
    for link in align::align(&old_s, &old.text, &ours, &translation.text) {
        if let (Some(o), Some(t)) = (link.pivot, link.other) {
            ours_of[o] = Some(t);
        }
    }
    let paths = align::heading_paths(&new_s, &new.text);
    let old_paths = align::heading_paths(&old_s, &old.text);
    let mut units = Vec::new();
    let mut last_end = translation.body_offset;
    let mut new_end = new.body_offset;
    for link in align::align(&old_s, &old.text, &new_s, &new.text) {
        let mine = link.pivot.and_then(|o| ours_of[o]);
        let Some(n) = link.other else {
            if let (Some(o), Some(t)) = (link.pivot, mine) {
                let ours_t = (&ours[t], &*translation.text, translation.body_offset);
                let old_o = (o, &old_s[o], &*old.text);
                let unit = removed::unit(exl_id, old_o, ours_t, old_paths[o].clone());
                // A segment that is deleted is no place to insert after.
                if unit.place == Place::Keep {
                    last_end = ours[t].range.end;
                }
                units.push(unit);
            }
            continue;
        };
        let seg = &new_s[n];
        if sent(
            link.pivot,
            (&old_s, &old.text),
            (&new_s, n, &new.text),
            dirty,
        ) {
            let place = match mine {
                Some(t) => Place::Replace(ours[t].range.clone()),
                None => Place::Insert {
                    at: last_end,
                    prefix: line_ends_of(
                        &translation.text,
                        new.text.get(new_end..seg.range.start).unwrap_or("\n\n"),
                    ),
                },
            };
            let target = mine.map(|t| ours[t].text(&translation.text).to_owned());
            let change = if mine.is_some() { "changed" } else { "added" };
            let unit = planned(exl_id, (n, seg, &new.text), target, change, place);
            units.push(PlannedUnit {
                heading_path: paths[n].clone(),
                ..unit
            });
        }
        last_end = mine.map_or(last_end, |t| ours[t].range.end);
        new_end = seg.range.end;
    }
    units
}

/// `text` (from the source) with the line ends `translation` uses: `\r\n` when it has one.
fn line_ends_of(translation: &str, text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    if translation.contains("\r\n") {
        text.replace('\n', "\r\n")
    } else {
        text
    }
}

fn planned(
    exl_id: &str,
    (n, seg, text): (usize, &Segment, &str),
    target: Option<String>,
    change: &'static str,
    place: Place,
) -> PlannedUnit {
    let source = seg.text(text).to_owned();
    PlannedUnit {
        id: format!("{exl_id}/{n}-{}", seg.kind.class()),
        kind: seg.kind,
        words: words(&source),
        source,
        target,
        change,
        place,
        heading_path: String::new(),
    }
}

/// The plan of a translation that does not exist yet: every segment of the source at `head`,
/// to be written into a copy of the source.
pub fn missing(
    config: &Config,
    history: &History,
    source: &Article,
    locale: &str,
    head: &str,
) -> Result<Option<HandoffPlan>> {
    let (Some(exl_id), Some(dir)) = (
        source.front.exl_id.clone(),
        config.locale(locale).map(|l| l.content_dir.clone()),
    ) else {
        return Ok(None);
    };
    let Some(text) = history::file_at(&history.located, head, &source.rel_path)? else {
        return Ok(None);
    };
    let copy = parse_article(locale, &source.rel_path, String::new(), text);
    let segments = align::segments(&copy);
    let paths = align::heading_paths(&segments, &copy.text);
    let units = segments
        .iter()
        .zip(paths)
        .enumerate()
        .filter(|(_, (s, _))| s.kind != SegmentKind::Code && s.has_content(&copy.text))
        .map(|(n, (s, heading_path))| PlannedUnit {
            heading_path,
            ..planned(
                &exl_id,
                (n, s, &copy.text),
                None,
                "new",
                Place::Replace(s.range.clone()),
            )
        })
        .collect();
    let path = dir.join(&source.rel_path);
    Ok(Some(HandoffPlan {
        exl_id,
        source_shown: source.shown_path.clone(),
        translation_shown: config.display_path(&path),
        translation_path: path,
        base: String::new(),
        head: head.to_owned(),
        source_words: words(copy.body()),
        text: copy.text,
        units,
    }))
}
