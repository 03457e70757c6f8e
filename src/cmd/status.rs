//! `tolk status`: how far along each locale is, from the report of `tolk check`, as a terminal
//! table or as JSON. The numbers come from [`crate::progress`].

use std::fmt::Write;
use std::path::PathBuf;

use serde_json::json;

use crate::check::{self, Report};
use crate::config::Config;
use crate::error::Result;
use crate::progress::{rows, Row};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatusFormat {
    #[default]
    Human,
    Json,
}

#[derive(Debug, Clone)]
pub struct StatusOptions {
    pub root: PathBuf,
    pub format: StatusFormat,
}

pub fn execute(options: &StatusOptions) -> Result<()> {
    let config = Config::load(&options.root)?;
    let report = check::run(&config, &crate::model::Site::load(&config)?)?;
    let rows = rows(&report);
    match options.format {
        StatusFormat::Human => super::print(&format!(
            "{}{}{}; run `tolk check` for details\n",
            table(&rows),
            stale_lines(&rows),
            report.summary_line()
        )),
        StatusFormat::Json => super::print(&to_json(&report, &rows)),
    }
}

/// The rows as an aligned table: the locale left, the numbers right.
pub fn table(rows: &[Row]) -> String {
    const HEADER: [&str; 9] = [
        "locale",
        "articles",
        "in sync",
        "out of sync",
        "stale",
        "changed segments",
        "changed words",
        "missing",
        "ht-degree",
    ];
    let mut cells: Vec<Vec<String>> = vec![HEADER.iter().map(|h| h.to_string()).collect()];
    cells.extend(rows.iter().map(|r| {
        vec![
            r.locale.to_string(),
            r.articles.to_string(),
            r.in_sync.to_string(),
            r.out_of_sync.to_string(),
            r.stale.to_string(),
            r.changed.segments.to_string(),
            r.changed.words.to_string(),
            r.missing.to_string(),
            r.ht_degree
                .map_or_else(|| "-".to_owned(), |d| format!("{:.0}%", d.round())),
        ]
    }));
    let widths: Vec<usize> = (0..HEADER.len())
        .map(|n| {
            cells
                .iter()
                .map(|r| r[n].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in &cells {
        let _ = write!(out, "{:<w$}", row[0], w = widths[0]);
        for (cell, w) in row.iter().zip(&widths).skip(1) {
            let _ = write!(out, "  {cell:>w$}");
        }
        out.push('\n');
    }
    out
}

/// One line per stale translation: how much of its source changed since it was made.
pub fn stale_lines(rows: &[Row]) -> String {
    let all: Vec<&(String, crate::handoff::SourceChanges)> =
        rows.iter().flat_map(|r| &r.stale_translations).collect();
    if all.is_empty() {
        return String::new();
    }
    let width = all
        .iter()
        .map(|(p, _)| p.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::from("changed in the source since each stale translation was made:\n");
    for (path, delta) in all {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        let _ = writeln!(
            out,
            "  {path:<width$}  {}, {}",
            plural(delta.segments, "segment"),
            plural(delta.words, "word")
        );
    }
    out
}

/// `{"version":1,"articles":..,"groups":..,"locales":[{"locale":"nl",...,"ht_degree":12.5}]}`.
pub fn to_json(report: &Report, rows: &[Row]) -> String {
    let locales: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            json!({
                "locale": r.locale,
                "articles": r.articles,
                "in_sync": r.in_sync,
                "out_of_sync": r.out_of_sync,
                "stale": r.stale,
                "changed_segments": r.changed.segments,
                "changed_words": r.changed.words,
                "stale_translations": r.stale_translations.iter().map(|(path, d)| json!({
                    "path": path,
                    "segments": d.segments,
                    "words": d.words,
                })).collect::<Vec<_>>(),
                "missing": r.missing,
                "ht_degree": r.ht_degree,
            })
        })
        .collect();
    let value = json!({
        "version": 1,
        "articles": report.articles,
        "groups": report.groups,
        "locales": locales,
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::time::Duration;

    use super::*;
    use crate::check::{Entry, Finding, LocaleSummary, Rule, Severity};
    use crate::handoff::SourceChanges;

    fn entry(locale: &str, article: &str, ht_degree: Option<u8>) -> Entry {
        Entry {
            locale: locale.into(),
            article: article.to_owned(),
            path: format!("content/{locale}/{article}"),
            ht_degree,
        }
    }

    fn summary(locale: &str, articles: usize, in_sync: usize, missing: usize) -> LocaleSummary {
        LocaleSummary {
            locale: locale.into(),
            articles,
            in_sync,
            out_of_sync: articles - in_sync,
            missing,
        }
    }

    fn finding(rule: Rule, path: &str) -> Finding {
        Finding {
            rule,
            severity: Severity::Warning,
            locale: "nl".into(),
            path: path.into(),
            at: None,
            exl_id: None,
            article: "".into(),
            message: String::new(),
            related: Vec::new(),
            edits: Vec::new(),
        }
    }

    fn report() -> Report {
        Report {
            entries: vec![
                entry("en", "a.md", None),
                entry("en", "b.md", None),
                entry("nl", "a.md", Some(0)),
                entry("nl", "b.md", Some(25)),
                entry("fr", "a.md", Some(100)),
            ],
            findings: vec![
                finding(Rule::StaleTranslation, "content/nl/a.md"),
                finding(Rule::HeadingMismatch, "content/nl/a.md"),
                finding(Rule::StaleTranslation, "content/nl/b.md"),
                finding(Rule::StaleTranslation, "content/fr/zzz.md"),
            ],
            locales: vec![
                summary("en", 2, 2, 0),
                summary("nl", 2, 0, 0),
                summary("fr", 1, 1, 1),
            ],
            articles: 5,
            groups: 2,
            elapsed: Duration::ZERO,
            sources: BTreeMap::new(),
            alignments: Vec::new(),
            changes: [
                (
                    "content/nl/a.md".to_owned(),
                    SourceChanges {
                        segments: 2,
                        words: 11,
                    },
                ),
                (
                    "content/nl/b.md".to_owned(),
                    SourceChanges {
                        segments: 1,
                        words: 1,
                    },
                ),
            ]
            .into(),
        }
    }

    #[test]
    fn rows_count_stale_articles_and_average_ht_degree() {
        let rows = rows(&report());
        let row = |locale: &str, counts: [usize; 5], ht_degree: Option<f64>| Row {
            locale: locale.into(),
            articles: counts[0],
            in_sync: counts[1],
            out_of_sync: counts[2],
            stale: counts[3],
            changed: SourceChanges::default(),
            stale_translations: Vec::new(),
            missing: counts[4],
            ht_degree,
        };
        let mut nl = row("nl", [2, 0, 2, 2, 0], Some(12.5));
        nl.changed = SourceChanges {
            segments: 3,
            words: 12,
        };
        nl.stale_translations = vec![
            (
                "content/nl/a.md".to_owned(),
                SourceChanges {
                    segments: 2,
                    words: 11,
                },
            ),
            (
                "content/nl/b.md".to_owned(),
                SourceChanges {
                    segments: 1,
                    words: 1,
                },
            ),
        ];
        assert_eq!(
            rows,
            [
                row("en", [2, 2, 0, 0, 0], None),
                nl,
                row("fr", [1, 1, 0, 0, 1], Some(100.0)),
            ]
        );
        assert_eq!(
            format!("{}{}", table(&rows), stale_lines(&rows)),
            "locale  articles  in sync  out of sync  stale  changed segments  changed words  missing  ht-degree\n\
             en             2        2            0      0                 0              0        0          -\n\
             nl             2        0            2      2                 3             12        0        13%\n\
             fr             1        1            0      0                 0              0        1       100%\n\
             changed in the source since each stale translation was made:\n\
            \x20 content/nl/a.md  2 segments, 11 words\n\
            \x20 content/nl/b.md  1 segment, 1 word\n"
        );
        let json: serde_json::Value =
            serde_json::from_str(&to_json(&report(), &rows)).unwrap_or_default();
        assert_eq!(json["locales"][1]["ht_degree"], 12.5);
        assert_eq!(json["locales"][1]["stale"], 2);
        assert_eq!(json["locales"][1]["changed_words"], 12);
        assert_eq!(
            json["locales"][1]["stale_translations"][0],
            serde_json::json!({"path": "content/nl/a.md", "segments": 2, "words": 11})
        );
        assert_eq!(json["locales"][0]["ht_degree"], serde_json::Value::Null);
        assert_eq!(json["groups"], 2);
    }
}
