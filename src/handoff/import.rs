//! `tolk handoff import`: the translated units of an XLIFF file written into the articles.
//!
//! Each article's plan is computed again from the commits the file names; a unit that is not
//! in it, whose source no longer matches, or whose target is missing or holds markup its
//! source does not, is a [`Problem`], and nothing of that article is written. Only the units'
//! segments change, then `source-git-commit` and `source-wordcount`.

use super::xliff::{self, FileUnits, Problem, Unit};
use super::{collapse, export, inline, HandoffPlan, History, Place, PlannedUnit};
use crate::align::SegmentKind;
use crate::config::Config;
use crate::error::{Location, Result};
use crate::model::{front_matter, parse_article, Article, Site};

/// One article as it is and as the import would write it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleEdit {
    pub path: std::path::PathBuf,
    pub shown: String,
    pub before: String,
    pub after: String,
}

/// What an import would do: the articles it writes and the problems that kept others back.
#[derive(Debug, Default)]
pub struct ImportOutcome {
    pub changes: Vec<ArticleEdit>,
    pub problems: Vec<Problem>,
}

/// Reads the handoff file `text` (shown as `shown`) and works out every article's new text.
pub fn plan_import(config: &Config, site: &Site, shown: &str, text: &str) -> Result<ImportOutcome> {
    let mut outcome = ImportOutcome::default();
    let doc = match xliff::read(shown, text) {
        Ok(doc) => doc,
        Err(problem) => {
            outcome.problems.push(problem);
            return Ok(outcome);
        }
    };
    let history = History::open(config, &site.history)?;
    for file in &doc.files {
        let problem = |message: String, help: &str| Problem {
            location: Location {
                path: shown.to_owned(),
                line: file.line,
                column: 1,
            },
            message,
            help: help.to_owned(),
        };
        if doc.files.iter().filter(|f| f.exl_id == file.exl_id).count() > 1 {
            outcome.problems.push(problem(
                format!("exl-id `{}` has more than one <file>", file.exl_id),
                "keep one <file> per article, as the export wrote it",
            ));
            continue;
        }
        match article_plan(config, site, &history, &doc.target_language, file) {
            Err((message, help)) => outcome.problems.push(problem(message, help)),
            Ok(plan) => match apply(shown, &plan, file) {
                Ok(after) => outcome.changes.push(ArticleEdit {
                    path: plan.translation_path.clone(),
                    shown: plan.translation_shown.clone(),
                    before: if plan.base.is_empty() {
                        String::new()
                    } else {
                        plan.text.to_string()
                    },
                    after,
                }),
                Err(problems) => outcome.problems.extend(problems),
            },
        }
    }
    Ok(outcome)
}

type Refusal = (String, &'static str);

/// The plan of the translation `file` names, computed again from its commits.
fn article_plan(
    config: &Config,
    site: &Site,
    history: &History,
    locale: &str,
    file: &FileUnits,
) -> std::result::Result<HandoffPlan, Refusal> {
    const EXPORT: &str = "export the locale again and translate the new file";
    let source_locale = config.source_locale.as_deref().unwrap_or_default();
    let dir = config
        .locale(locale)
        .filter(|l| l.code != source_locale)
        .map(|l| l.content_dir.clone())
        .ok_or_else(|| {
            (
                format!("target-language `{locale}` is not a translated locale of this site"),
                EXPORT,
            )
        })?;
    let articles = site.articles();
    let group = site
        .grouping
        .groups
        .iter()
        .find(|g| g.exl_id.as_deref() == Some(file.exl_id.as_str()))
        .ok_or_else(|| {
            (
                format!("no article has the exl-id `{}`", file.exl_id),
                EXPORT,
            )
        })?;
    let member = |code: &str| {
        group
            .members
            .iter()
            .map(|&i| articles[i])
            .find(|a| a.locale == code)
    };
    let source = member(source_locale).ok_or_else(|| {
        (
            format!("exl-id `{}` has no source article", file.exl_id),
            EXPORT,
        )
    })?;
    let head = history.resolve(&file.head).ok_or_else(|| {
        (
            format!("commit `{}` is not in the source's history", file.head),
            EXPORT,
        )
    })?;
    let found = match member(locale) {
        None if file.base.is_empty() => export::missing(config, history, source, locale, &head),
        None => {
            return Err((
                format!("{} has no {locale} translation any more", source.shown_path),
                EXPORT,
            ))
        }
        Some(translation) => {
            let path = dir.join(&translation.rel_path);
            return translated(history, (source, translation), file, &head, path);
        }
    };
    found.map_err(|e| (e.to_string(), EXPORT))?.ok_or_else(|| {
        (
            format!("{} is not in both commits of the file", source.shown_path),
            EXPORT,
        )
    })
}

/// The plan of an existing translation, when it is still made from the file's base commit.
fn translated(
    history: &History,
    (source, translation): (&Article, &Article),
    file: &FileUnits,
    head: &str,
    path: std::path::PathBuf,
) -> std::result::Result<HandoffPlan, Refusal> {
    const EXPORT: &str = "export the locale again and translate the new file";
    let made_from = translation
        .front
        .source_git_commit
        .as_deref()
        .and_then(|c| history.resolve(c));
    if file.base.is_empty() || made_from.as_deref() != Some(file.base.as_str()) {
        return Err((
            format!(
                "{} was changed since the export: it is no longer made from `{}`",
                translation.shown_path, file.base
            ),
            EXPORT,
        ));
    }
    let plan = export::plan(history, source, translation, &file.base, head)
        .map_err(|e| (e.to_string(), EXPORT))?;
    let mut plan = plan.ok_or_else(|| {
        (
            format!(
                "{} has nothing to translate between the file's commits",
                source.shown_path
            ),
            EXPORT,
        )
    })?;
    plan.translation_path = path;
    Ok(plan)
}

/// The translation's new text, or every problem of the file's units.
fn apply(
    shown: &str,
    plan: &HandoffPlan,
    file: &FileUnits,
) -> std::result::Result<String, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for unit in &file.units {
        let at = |message: String, help: &str| Problem {
            location: Location {
                path: shown.to_owned(),
                line: unit.line,
                column: unit.column,
            },
            message: format!("unit `{}`: {message}", unit.id),
            help: help.to_owned(),
        };
        if file.units.iter().filter(|u| u.id == unit.id).count() > 1 {
            problems.push(at(
                "the unit is in the file more than once".to_owned(),
                "keep one <trans-unit> per id",
            ));
            continue;
        }
        match plan.units.iter().find(|p| p.id == unit.id) {
            None => problems.push(at(
                format!("no such unit in {}", plan.translation_shown),
                "keep the unit ids the export wrote; export again if the source moved",
            )),
            Some(planned) => match target(planned, unit) {
                Ok(text) => edits.extend(edit(planned, text)),
                Err((message, help, None)) => problems.push(at(message, help)),
                Err((message, help, Some((line, column)))) => problems.push(Problem {
                    location: Location {
                        path: shown.to_owned(),
                        line,
                        column,
                    },
                    ..at(message, help)
                }),
            },
        }
    }
    for planned in &plan.units {
        if !file.units.iter().any(|u| u.id == planned.id) {
            problems.push(Problem {
                location: Location {
                    path: shown.to_owned(),
                    line: file.line,
                    column: 1,
                },
                message: format!(
                    "unit `{}` of {} is missing from the file",
                    planned.id, plan.translation_shown
                ),
                help: "translate every unit the export wrote for the article".to_owned(),
            });
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let after = finish(plan, splice(&plan.text, edits));
    let parsed = parse_article("", "", plan.translation_shown.clone(), after.clone());
    if let Some(problem) = parsed.front_problem {
        let location = Location::from_offset(&plan.translation_shown, &after, problem.offset);
        return Err(vec![Problem {
            location,
            message: problem.message,
            help: "the import would break the front matter; nothing was written".to_owned(),
        }]);
    }
    Ok(after)
}

/// A refusal, at a place of its own (line, column) when it is not the unit's.
type Refused = (String, &'static str, Option<(usize, usize)>);

/// The unit's target as it is written: its inline codes as the source's markdown, on one line,
/// checked (nothing, for a segment the source removed: its target is not read).
fn target(planned: &PlannedUnit, unit: &Unit) -> std::result::Result<String, Refused> {
    let codes = inline::pieces(&planned.source).1;
    let source = inline::markdown(&unit.source, &codes).ok();
    if source.map(|s| collapse(&s)) != Some(collapse(&planned.source)) {
        return Err((
            format!(
                "the source no longer matches: the article now has `{}`",
                collapse(&planned.source)
            ),
            "export the locale again: the source or the translation changed since",
            None,
        ));
    }
    if matches!(planned.place, Place::Remove(_) | Place::Keep) {
        return Ok(String::new());
    }
    let written = match &unit.target {
        Some(pieces) => inline::markdown(pieces, &codes).map_err(|bad| {
            (
                bad.message,
                "keep the inline codes of the <source> (same ids); leave out any you do not need",
                Some((bad.line, bad.column)),
            )
        })?,
        None => String::new(),
    };
    let text = collapse(&written);
    if text.is_empty() {
        return Err((
            "the target is missing or empty".to_owned(),
            "fill in <target> with the translation",
            None,
        ));
    }
    checked(planned, text).map_err(|(message, help)| (message, help, None))
}

/// `text` when it keeps a heading's marks and id, and has no HTML tag its source lacks.
fn checked(planned: &PlannedUnit, text: String) -> std::result::Result<String, Refusal> {
    if let SegmentKind::Heading(_) = planned.kind {
        let marks =
            &planned.source[..planned.source.len() - planned.source.trim_start_matches('#').len()];
        let id = planned
            .source
            .rfind("{#")
            .map_or("", |i| &planned.source[i..]);
        let start = if marks.is_empty() {
            String::new()
        } else {
            format!("{marks} ")
        };
        if !text.starts_with(&start) || !text.ends_with(id) {
            return Err((
                format!("the heading's target must start with `{start}` and end with `{id}`, as its source"),
                "keep the heading's `#` marks and its {#id}: links point to it",
            ));
        }
    }
    let mut rest = text.as_str();
    while let Some(i) = rest.find('<') {
        let tag = &rest[i..];
        let starts_tag =
            tag[1..].starts_with(|c: char| c.is_ascii_alphabetic() || "/!?".contains(c));
        let tag = &tag[..tag.find('>').map_or(tag.len(), |e| e + 1)];
        if starts_tag && !planned.source.contains(tag) {
            return Err((
                format!("the target has the markup `{tag}`, which its source does not have"),
                "write the translation as text; markup only where the source has the same",
            ));
        }
        rest = &rest[i + 1..];
    }
    Ok(text)
}

/// (start, end, replacement) of a unit's target; `None` for a removed segment left in place.
fn edit(planned: &PlannedUnit, text: String) -> Option<(usize, usize, String)> {
    match &planned.place {
        Place::Replace(range) => Some((range.start, range.end, text)),
        Place::Insert { at, prefix } => Some((*at, *at, format!("{prefix}{text}"))),
        Place::Remove(range) => Some((range.start, range.end, String::new())),
        Place::Keep => None,
    }
}

/// `text` with `edits` (which do not overlap) made; insertions at one place keep their order.
fn splice(text: &str, mut edits: Vec<(usize, usize, String)>) -> String {
    edits.sort_by_key(|(start, end, _)| (*start, *end));
    let mut out = String::with_capacity(text.len());
    let mut cursor = 0;
    for (start, end, replacement) in edits {
        out.push_str(text.get(cursor..start).unwrap_or_default());
        out.push_str(&replacement);
        cursor = end.max(cursor);
    }
    out.push_str(text.get(cursor..).unwrap_or_default());
    out
}

/// The front matter moved to the exported commit and the source's word count.
fn finish(plan: &HandoffPlan, text: String) -> String {
    let text = set_field(&text, "source-git-commit", &plan.head);
    set_field(
        &text,
        "source-wordcount",
        &format!("'{}'", plan.source_words),
    )
}

/// `text` with the front matter's `key` set to `value` (its line replaced, else added last).
pub fn set_field(text: &str, key: &str, value: &str) -> String {
    let Ok(split) = front_matter::split("", text) else {
        return text.to_owned();
    };
    let (start, end) = (split.yaml_offset, split.yaml_offset + split.yaml.len());
    let mut offset = start;
    for line in split.yaml.split_inclusive('\n') {
        if line.strip_prefix(key).is_some_and(|r| r.starts_with(':')) {
            let stop = offset + line.trim_end_matches(['\n', '\r']).len();
            return format!("{}{key}: {value}{}", &text[..offset], &text[stop..]);
        }
        offset += line.len();
    }
    let end_of_line = if split.yaml.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let newline = if split.yaml.ends_with('\n') || split.yaml.is_empty() {
        ""
    } else {
        end_of_line
    };
    format!(
        "{}{newline}{key}: {value}{end_of_line}{}",
        &text[..end],
        &text[end..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handoff::xliff::Piece;

    #[test]
    fn fields_are_replaced_in_place_or_added_last() {
        let text = "---\ntitle: T\nsource-git-commit: abc\n---\nBody\n";
        assert_eq!(
            set_field(text, "source-git-commit", "def"),
            "---\ntitle: T\nsource-git-commit: def\n---\nBody\n"
        );
        assert_eq!(
            set_field(&text.replace('\n', "\r\n"), "source-wordcount", "'3'"),
            "---\r\ntitle: T\r\nsource-git-commit: abc\r\nsource-wordcount: '3'\r\n---\r\nBody\r\n"
        );
        assert_eq!(
            set_field(text, "source-wordcount", "'3'"),
            "---\ntitle: T\nsource-git-commit: abc\nsource-wordcount: '3'\n---\nBody\n"
        );
    }

    #[test]
    fn targets_are_one_line_of_text_and_headings_keep_their_marks_and_id() {
        let planned = |kind, source: &str| PlannedUnit {
            id: "x/1".into(),
            kind,
            source: source.into(),
            target: None,
            words: 1,
            change: "changed",
            place: Place::Replace(0..1),
            heading_path: String::new(),
        };
        let unit = |source: &str, target: &str| Unit {
            source: vec![Piece::Text(source.into())],
            target: Some(vec![Piece::Text(target.into())]),
            ..Unit::default()
        };
        let heading = planned(SegmentKind::Heading(2), "## Steps {#steps}");
        let para = planned(SegmentKind::Paragraph, "Press <kbd>Enter</kbd>\nnow.");
        let cases = [
            (&heading, "## Stappen {#steps}", Ok("## Stappen {#steps}")),
            (
                &heading,
                "## Stappen",
                Err("must start with `## ` and end with `{#steps}`"),
            ),
            (&heading, "Stappen {#steps}", Err("must start with")),
            (
                &para,
                "Druk op <kbd>Enter</kbd>\n  nu.",
                Ok("Druk op <kbd>Enter</kbd> nu."),
            ),
            (
                &para,
                "Druk <img src=x onerror=alert(1)>",
                Err("`<img src=x onerror=alert(1)>`"),
            ),
            (&para, "  ", Err("missing or empty")),
        ];
        for (planned, target_text, expected) in cases {
            let got = target(planned, &unit(&planned.source, target_text));
            match (got, expected) {
                (Ok(text), Ok(want)) => assert_eq!(text, want),
                (Err((message, _, _)), Err(want)) => assert!(message.contains(want), "{message}"),
                (got, want) => panic!("{target_text}: {got:?} instead of {want:?}"),
            }
        }
    }

    #[test]
    fn splice_keeps_the_order_of_insertions() {
        let edits = vec![
            (4, 4, "X".to_owned()),
            (0, 1, "a".to_owned()),
            (4, 4, "Y".to_owned()),
        ];
        assert_eq!(splice("AbcdE", edits), "abcdXYE");
    }
}
