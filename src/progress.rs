//! How far along each locale's translation is, from the report of `tolk check`: articles, in
//! sync, out of sync, stale (behind the source's git history), missing, and the average
//! `ht-degree`; per stale translation, how many source segments and words changed since it
//! was made (the report's [`Report::changes`]). `tolk status` prints these numbers.

use std::collections::HashSet;

use crate::check::{self, Report, Rule};
use crate::handoff::SourceChanges;
use crate::locale::LocaleCode;

/// One locale's numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub locale: LocaleCode,
    pub articles: usize,
    pub in_sync: usize,
    pub out_of_sync: usize,
    /// Articles with a `stale-translation` finding.
    pub stale: usize,
    /// The changed source segments and words of the stale translations, summed.
    pub changed: SourceChanges,
    /// Each stale translation's changed segments and words, by shown path.
    pub stale_translations: Vec<(String, SourceChanges)>,
    pub missing: usize,
    /// The average `ht-degree` of the articles that have one, to one decimal.
    pub ht_degree: Option<f64>,
}

/// The numbers of every locale of the report, in its order.
pub fn rows(report: &Report) -> Vec<Row> {
    let stale: HashSet<&str> = report
        .findings
        .iter()
        .filter(|f| f.rule == Rule::StaleTranslation)
        .map(|f| &*f.path)
        .collect();
    report
        .locales
        .iter()
        .map(|summary| {
            let mine: Vec<&check::Entry> = report
                .entries
                .iter()
                .filter(|e| e.locale == summary.locale)
                .collect();
            let degrees: Vec<f64> = mine
                .iter()
                .filter_map(|e| e.ht_degree.map(f64::from))
                .collect();
            let ht_degree = (!degrees.is_empty()).then(|| {
                let average = degrees.iter().sum::<f64>() / degrees.len() as f64;
                (average * 10.0).round() / 10.0
            });
            let stale_translations: Vec<(String, SourceChanges)> = mine
                .iter()
                .filter(|e| stale.contains(e.path.as_str()))
                .filter_map(|e| Some((e.path.clone(), *report.changes.get(&e.path)?)))
                .collect();
            Row {
                locale: summary.locale.clone(),
                articles: summary.articles,
                in_sync: summary.in_sync,
                out_of_sync: summary.out_of_sync,
                stale: mine
                    .iter()
                    .filter(|e| stale.contains(e.path.as_str()))
                    .count(),
                changed: stale_translations
                    .iter()
                    .fold(SourceChanges::default(), |sum, (_, d)| SourceChanges {
                        segments: sum.segments + d.segments,
                        words: sum.words + d.words,
                    }),
                stale_translations,
                missing: summary.missing,
                ht_degree,
            }
        })
        .collect()
}
