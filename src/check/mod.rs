//! `tolk check`: the translation gate for CI.
//!
//! Rules over the site model ([`crate::model::Site`], read and parsed once, translation groups
//! included): pairing ([`pairing`]), front matter and metadata ([`metadata`]), [`staleness`],
//! [`structure`], [`links`], [`artifacts`] and [`ui_strings`]. All findings go into one
//! [`Report`], which [`report`] prints for people or machines.
//! [`scope`] limits the report to the articles changed since a git ref. Rules never stop the
//! check; only a check that cannot run at all (bad config, unreadable content or history) is an
//! error.

pub mod artifacts;
pub mod fix;
pub mod links;
pub mod metadata;
pub mod pairing;
pub mod report;
pub mod scope;
pub mod segments;
pub mod staleness;
pub mod structure;
pub mod ui_strings;

use std::collections::BTreeMap;

use foldhash::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::error::{Location, Result};
use crate::locale::LocaleCode;
use crate::model::{self, Article, Outline};
pub use crate::model::{Edit, Group};
pub use crate::rules::{Rule, Severities, Severity};
pub use scope::Scope;

/// A position in a file that exists: 1-based line and column, and the byte span it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct At {
    pub line: usize,
    pub column: usize,
    pub offset: usize,
    pub len: usize,
}

impl At {
    pub fn new(text: &str, offset: usize, len: usize) -> At {
        let location = Location::from_offset("", text, offset);
        At {
            line: location.line,
            column: location.column,
            offset: offset.min(text.len()),
            len,
        }
    }
}

/// Another place a finding is about: where the source or the other translation has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub locale: LocaleCode,
    pub path: Arc<str>,
    pub at: Option<At>,
}

/// One thing a rule found.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: Rule,
    pub severity: Severity,
    /// The locale the finding is about (for a missing translation: the one that lacks it).
    pub locale: LocaleCode,
    /// The file, relative to the site root (for a missing translation: where it would be).
    /// Shared with the article's other findings: a site can have a hundred thousand.
    pub path: Arc<str>,
    /// `None` when the file does not exist.
    pub at: Option<At>,
    pub exl_id: Option<Arc<str>>,
    /// The article the finding belongs to (its path under the locale folders), for grouping.
    pub article: Arc<str>,
    pub message: String,
    pub related: Vec<Related>,
    /// The mechanical fix, if the finding has a safe one.
    pub edits: Vec<Edit>,
}

impl Finding {
    /// A finding at `offset..offset + len` of `doc`'s file.
    pub fn at(rule: Rule, doc: &Doc, offset: usize, len: usize, message: String) -> Finding {
        Finding::placed(rule, doc, At::new(&doc.article.text, offset, len), message)
    }

    /// A finding at `at` of `doc`'s file, placed by the caller.
    pub fn placed(rule: Rule, doc: &Doc, at: At, message: String) -> Finding {
        let article = &doc.article;
        Finding {
            rule,
            severity: rule.default_severity(),
            locale: article.locale.clone(),
            path: Arc::clone(&doc.shown),
            at: Some(at),
            exl_id: doc.exl_id.clone(),
            article: Arc::clone(&doc.rel),
            message,
            related: Vec::new(),
            edits: Vec::new(),
        }
    }

    /// Adds the place in `doc` this finding is compared with.
    pub fn with_related(self, doc: &Doc, offset: usize) -> Finding {
        self.with_place(doc.related(offset))
    }

    /// Adds `place`, a place this finding is compared with.
    pub fn with_place(mut self, place: Related) -> Finding {
        // Most findings have one related place: a first push would make room for four (216
        // bytes unused a finding, 20 MB at 91,739 findings).
        self.related.reserve_exact(1);
        self.related.push(place);
        self
    }

    pub fn location(&self) -> String {
        match &self.at {
            Some(at) => format!("{}:{}:{}", self.path, at.line, at.column),
            None => self.path.to_string(),
        }
    }
}

/// One article as the rules see it: the model's article, with the parts they read most.
#[derive(Debug, Clone)]
pub struct Doc<'a> {
    pub article: &'a Article,
    /// The front matter parsed; when not, `article.front` is empty.
    pub front_ok: bool,
    /// The body's structure; `None` when the body could not be found (unclosed front matter).
    pub outline: Option<&'a Outline>,
    /// The shown path, the path under the locale folder and the exl-id, once for all the
    /// article's findings.
    pub shown: Arc<str>,
    pub rel: Arc<str>,
    pub exl_id: Option<Arc<str>>,
}

impl<'a> Doc<'a> {
    pub fn new(article: &'a Article) -> Doc<'a> {
        Doc {
            article,
            front_ok: article.front_problem.is_none(),
            outline: article.outline(),
            shown: article.shown_path.as_str().into(),
            rel: article.rel_path.as_str().into(),
            exl_id: article.front.exl_id.as_deref().map(Arc::from),
        }
    }
}

impl Doc<'_> {
    pub fn related(&self, offset: usize) -> Related {
        self.related_at(At::new(&self.article.text, offset, 0))
    }

    /// [`Doc::related`] at `at`, placed by the caller.
    pub fn related_at(&self, at: At) -> Related {
        Related {
            locale: self.article.locale.clone(),
            path: Arc::clone(&self.shown),
            at: Some(at),
        }
    }

    /// The offset of front matter key `key`, or of the file's start when it has none.
    pub fn key_offset(&self, key: &str) -> usize {
        self.article.front.key_offsets.get(key).unwrap_or(0)
    }
}

/// Everything the rules look at.
#[derive(Debug)]
pub struct View<'a> {
    pub config: &'a Config,
    pub docs: &'a [Doc<'a>],
    pub groups: &'a [Group],
    pub history: &'a crate::history::log::LogCache,
}

impl View<'_> {
    /// The member of `group` in the source locale, if the site has one and the group has it.
    pub fn source_member(&self, group: &Group) -> Option<usize> {
        let source = self.config.source_locale.as_deref()?;
        group
            .members
            .iter()
            .copied()
            .find(|&i| self.docs[i].article.locale == source)
    }

    pub fn is_source(&self, locale: &str) -> bool {
        self.config.source_locale.as_deref() == Some(locale)
    }
}

/// The members of a group that differ, each with the member it should be compared with: the
/// source when the group has one; else the majority, or every member when there is none.
pub fn odd_ones<T: PartialEq>(values: &[(usize, T)], source: Option<usize>) -> Vec<(usize, usize)> {
    if let Some(source) = source {
        if let Some((_, reference)) = values.iter().find(|(i, _)| *i == source) {
            return values
                .iter()
                .filter(|(i, v)| *i != source && v != reference)
                .map(|(i, _)| (*i, source))
                .collect();
        }
    }
    let majority = values.iter().find(|(_, v)| {
        let count = values.iter().filter(|(_, w)| w == v).count();
        count * 2 > values.len()
    });
    match majority {
        Some((reference, value)) => values
            .iter()
            .filter(|(_, v)| v != value)
            .map(|(i, _)| (*i, *reference))
            .collect(),
        None => values
            .iter()
            .filter_map(|(i, v)| {
                let other = values.iter().find(|(j, w)| j != i && w != v)?;
                Some((*i, other.0))
            })
            .collect(),
    }
}

/// How one locale fared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocaleSummary {
    pub locale: LocaleCode,
    pub articles: usize,
    /// Articles without errors or warnings.
    pub in_sync: usize,
    pub out_of_sync: usize,
    /// Articles of other locales this one lacks.
    pub missing: usize,
}

/// One article in one locale, as reports list them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub locale: LocaleCode,
    /// The name of its translation group: its path under the locale folders.
    pub article: String,
    pub path: String,
    /// Its `ht-degree`, if it has one.
    pub ht_degree: Option<u8>,
}

/// Everything a check found.
#[derive(Debug, Clone)]
pub struct Report {
    /// Every article of every locale, by translation group.
    pub entries: Vec<Entry>,
    /// Sorted by article, then locale, then position.
    pub findings: Vec<Finding>,
    pub locales: Vec<LocaleSummary>,
    pub articles: usize,
    /// Translation groups: articles counted once across locales.
    pub groups: usize,
    pub elapsed: Duration,
    /// The text of every file with a finding, by path, to show the lines.
    pub sources: BTreeMap<String, Arc<str>>,
    /// Each translation with a segment finding, aligned with its pivot (the status site's
    /// side-by-side pages).
    pub alignments: Vec<crate::align::Alignment>,
    /// How much of the source changed for each stale translation (by shown path): the
    /// segments and words `tolk handoff export` would send.
    pub changes: BTreeMap<String, crate::handoff::SourceChanges>,
}

impl Report {
    /// Lets go of the alignments' rows, once the side-by-side pages are made: the dashboard
    /// only asks which translations have an alignment (1.2 million rows of 28 bytes at
    /// 10,000 x 3 on the bench corpus).
    pub fn forget_alignment_rows(&mut self) {
        for alignment in &mut self.alignments {
            alignment.rows = Vec::new();
        }
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    /// The one-line summary: `Checked 917 articles in 4 locales: 2 errors, 5 warnings, 1 info (0.05 s)`.
    pub fn summary_line(&self) -> String {
        format!(
            "{} ({:.2} s)",
            self.counts_line(),
            self.elapsed.as_secs_f64()
        )
    }

    /// The summary without the time it took: what the built site shows, so that building the
    /// same files again gives the same bytes.
    pub fn counts_line(&self) -> String {
        let plural = |n: usize, word: &str| {
            if n == 1 {
                format!("1 {word}")
            } else {
                format!("{n} {word}s")
            }
        };
        format!(
            "Checked {} in {}: {}, {}, {}",
            plural(self.articles, "article"),
            plural(self.locales.len(), "locale"),
            plural(self.count(Severity::Error), "error"),
            plural(self.count(Severity::Warning), "warning"),
            plural(self.count(Severity::Info), "info"),
        )
    }
}

/// Checks the whole site, with each stale translation's changed source segments and words
/// ([`Report::changes`]: `tolk status` and the status site show them; `tolk check` does not
/// read the source's older versions).
pub fn run(config: &Config, site: &model::Site) -> Result<Report> {
    let mut report = run_with(config, site, &Scope::All, Alignments::Keep)?;
    let started = Instant::now();
    let stale: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.rule == Rule::StaleTranslation)
        .map(|f| &*f.path)
        .collect();
    report.changes = crate::handoff::changes::of_stale(config, site, &stale)?;
    report.elapsed += started.elapsed();
    Ok(report)
}

/// Whether a check keeps the alignment of each translation with a segment finding: the status
/// site's side-by-side pages show them, a `tolk check` report does not (at 10,000 x 3 on the
/// bench corpus they are 1.2 million rows).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alignments {
    Keep,
    Drop,
}

/// Checks the site, reporting on the articles `scope` selects, without the alignments.
pub fn run_scoped(config: &Config, site: &model::Site, scope: &Scope) -> Result<Report> {
    run_with(config, site, scope, Alignments::Drop)
}

/// Checks the site, reporting on the articles `scope` selects.
pub fn run_with(
    config: &Config,
    site: &model::Site,
    scope: &Scope,
    alignments: Alignments,
) -> Result<Report> {
    let started = Instant::now();
    // Each article's outline is parsed here, on every core, the first time it is needed.
    let docs: Vec<Doc> = {
        use rayon::prelude::*;
        // In pieces of at most 32: the last of rayon's first pieces kept one core alone.
        site.articles()
            .into_par_iter()
            .with_max_len(32)
            .map(Doc::new)
            .collect()
    };
    let docs = &docs;
    let groups = &site.grouping.groups;
    let view = View {
        config,
        docs,
        groups,
        history: &site.history,
    };
    let (mut findings, mut alignments) = run_rules(site, &view, alignments)?;
    let (ui_findings, ui_sources) = ui_strings::check(config)?;
    findings.extend(ui_findings);
    let severities = Severities::new(&config.check);
    findings.retain_mut(|f| match severities.of(f.rule) {
        Some(severity) => {
            f.severity = severity;
            true
        }
        None => false,
    });
    file_under_groups(&mut findings, docs, groups);
    sort(&mut findings, config);
    let selection = select(scope, docs, groups, &mut findings);
    segments::keep_flagged(&mut alignments, &findings);
    // Side by side: each reads all the findings or articles (8 ms apiece at 10,000 x 3 on
    // the bench corpus) with nothing else to do.
    let (locales, (mut sources, entries)) = rayon::join(
        || summarize(config, docs, groups, &findings, &selection),
        || {
            rayon::join(
                || sources_of(docs, &findings),
                || entries(docs, groups, &selection),
            )
        },
    );
    sources.extend(ui_sources);
    Ok(Report {
        entries,
        findings,
        locales,
        articles: selection.docs.iter().filter(|&&d| d).count(),
        groups: selection.groups.iter().filter(|&&g| g).count(),
        elapsed: started.elapsed(),
        sources,
        alignments,
        changes: BTreeMap::new(),
    })
}

/// The rules over the articles, the families side by side (reading the git history for
/// staleness takes the longest).
fn run_rules(
    site: &model::Site,
    view: &View<'_>,
    alignments: Alignments,
) -> Result<(Vec<Finding>, Vec<crate::align::Alignment>)> {
    let files = || -> links::Files<'_> {
        site.contents
            .iter()
            .map(|c| {
                let all = c.files.articles.iter();
                let all = all.chain(&c.files.navigation).chain(&c.files.assets);
                (c.locale.code.clone(), all.map(String::as_str).collect())
            })
            .collect()
    };
    // The other families, side by side; their findings join the list in this order, with
    // staleness's (which can fail) after pairing's.
    let families: [&(dyn Fn() -> Vec<Finding> + Sync); 5] = [
        &|| pairing::check(view.config, view.docs, &site.grouping),
        &|| metadata::check(view),
        &|| structure::check(view),
        &|| links::check(view, &files()),
        &|| artifacts::check(view.docs),
    ];
    let ((staleness, segments), others) = rayon::join(
        || {
            rayon::join(
                || staleness::check(view),
                || segments::check(view, alignments),
            )
        },
        || {
            use rayon::prelude::*;
            families
                .par_iter()
                .map(|family| family())
                .collect::<Vec<_>>()
        },
    );
    let staleness = staleness?;
    // The segment findings are most of a large report (91,739 of 91,739 at 10,000 x 3 on the
    // bench corpus): the other families join their list rather than it being copied into a
    // third. The order of the families only matters between findings of one rule (the sort
    // is stable), and no rule has findings in two families that come apart here.
    let mut findings = segments.findings;
    let mut others = others.into_iter();
    let pairing = others.next().unwrap_or_default();
    let rest: usize = others.as_slice().iter().map(Vec::len).sum();
    findings.reserve_exact(pairing.len() + staleness.len() + rest);
    for family in [pairing, staleness].into_iter().chain(others) {
        findings.extend(family);
    }
    Ok((findings, segments.alignments))
}

/// Each finding goes under the article its translation group is named after, with the group's
/// exl-id (an article paired by path has none of its own).
fn file_under_groups(findings: &mut [Finding], docs: &[Doc], groups: &[Group]) {
    use rayon::prelude::*;
    // Each group's name and exl-id once, shared by its findings.
    let (named, group_of) = rayon::join(
        || -> Vec<(Arc<str>, Option<Arc<str>>)> {
            groups
                .iter()
                .map(|g| (g.name.as_str().into(), g.exl_id.as_deref().map(Arc::from)))
                .collect()
        },
        || {
            let mut group_of: HashMap<&str, usize> = HashMap::default();
            for (g, group) in groups.iter().enumerate() {
                for &i in &group.members {
                    group_of.insert(docs[i].article.shown_path.as_str(), g);
                }
            }
            group_of
        },
    );
    // On every thread, a run of findings at a time. A file's findings come one after another
    // and share one path: it is looked up once.
    findings.par_chunks_mut(4096).for_each(|chunk| {
        let mut last: Option<(Arc<str>, Option<usize>)> = None;
        for finding in chunk {
            let g = match &last {
                Some((path, g)) if Arc::ptr_eq(path, &finding.path) => *g,
                _ => {
                    let g = group_of.get(&*finding.path).copied();
                    last = Some((Arc::clone(&finding.path), g));
                    g
                }
            };
            if let Some(g) = g {
                let (name, exl_id) = &named[g];
                finding.article = Arc::clone(name);
                if finding.exl_id.is_none() {
                    finding.exl_id.clone_from(exl_id);
                }
            }
        }
    });
}

/// By article, locale (in the order of `tolk.toml`), file, place and rule.
fn sort(findings: &mut [Finding], config: &Config) {
    use rayon::slice::ParallelSliceMut;
    let locale_index = |code: &str| config.locales.iter().position(|l| l.code == code);
    // Stable, on every thread: the check's 91,739 findings at 10,000 x 3 on the bench corpus
    // are sorted with nothing else to do.
    findings.par_sort_by(|a, b| {
        (
            &a.article,
            locale_index(&a.locale),
            &a.path,
            a.at.as_ref().map(|at| at.offset),
            a.rule,
        )
            .cmp(&(
                &b.article,
                locale_index(&b.locale),
                &b.path,
                b.at.as_ref().map(|at| at.offset),
                b.rule,
            ))
    });
}

/// The articles and groups `scope` selects; the findings outside it are dropped.
fn select(
    scope: &Scope,
    docs: &[Doc],
    groups: &[Group],
    findings: &mut Vec<Finding>,
) -> scope::Selection {
    let Scope::Changed(changed) = scope else {
        return scope::Selection {
            groups: vec![true; groups.len()],
            docs: vec![true; docs.len()],
        };
    };
    let selection = scope::select(docs, groups, changed);
    let paths: HashSet<&str> = docs
        .iter()
        .zip(&selection.docs)
        .filter(|(_, &in_scope)| in_scope)
        .map(|(d, _)| d.article.shown_path.as_str())
        .collect();
    let names: HashSet<&str> = groups
        .iter()
        .zip(&selection.groups)
        .filter(|(_, &selected)| selected)
        .map(|(g, _)| g.name.as_str())
        .collect();
    findings.retain(|f| match f.rule {
        Rule::UiStringMissing => changed.ui_strings,
        Rule::MissingTranslation => names.contains(&*f.article),
        _ => paths.contains(&*f.path),
    });
    selection
}

/// The text of each file with a finding (shared with the model, not copied), looked up once
/// per file.
/// The files `findings` are about, each once. A file's findings come one after another and
/// share one path, so a run of them is hashed once (a large report has 90,000 findings in
/// 25,000 files).
pub fn paths_of<'f>(findings: impl Iterator<Item = &'f Finding>) -> HashSet<&'f str> {
    let mut paths = HashSet::default();
    let mut last: Option<&Arc<str>> = None;
    for finding in findings {
        if last.is_none_or(|path| !Arc::ptr_eq(path, &finding.path)) {
            paths.insert(&*finding.path);
            last = Some(&finding.path);
        }
    }
    paths
}

fn sources_of(docs: &[Doc], findings: &[Finding]) -> BTreeMap<String, Arc<str>> {
    let flagged = paths_of(findings.iter());
    docs.iter()
        .filter(|doc| flagged.contains(doc.article.shown_path.as_str()))
        .map(|doc| {
            (
                doc.article.shown_path.clone(),
                Arc::clone(&doc.article.text),
            )
        })
        .collect()
}

/// Every article of the selected groups, as reports list them.
fn entries(docs: &[Doc], groups: &[Group], selection: &scope::Selection) -> Vec<Entry> {
    groups
        .iter()
        .zip(&selection.groups)
        .filter(|(_, &selected)| selected)
        .flat_map(|(g, _)| {
            g.members.iter().map(|&i| Entry {
                locale: docs[i].article.locale.clone(),
                article: g.name.clone(),
                path: docs[i].article.shown_path.clone(),
                ht_degree: docs[i].article.front.ht_degree,
            })
        })
        .collect()
}

fn summarize(
    config: &Config,
    docs: &[Doc],
    groups: &[Group],
    findings: &[Finding],
    selection: &scope::Selection,
) -> Vec<LocaleSummary> {
    // Files with at least one error or warning, looked up once per article.
    let flagged = paths_of(findings.iter().filter(|f| f.severity != Severity::Info));
    config
        .locales
        .iter()
        .map(|locale| {
            let mine: Vec<&Doc> = docs
                .iter()
                .zip(&selection.docs)
                .filter(|(d, &in_scope)| in_scope && d.article.locale == locale.code)
                .map(|(d, _)| d)
                .collect();
            let out_of_sync = mine
                .iter()
                .filter(|d| flagged.contains(d.article.shown_path.as_str()))
                .count();
            let missing = groups
                .iter()
                .zip(&selection.groups)
                .filter(|(_, &selected)| selected)
                .map(|(g, _)| g)
                .filter(|g| {
                    !g.members
                        .iter()
                        .any(|&i| docs[i].article.locale == locale.code)
                })
                .count();
            LocaleSummary {
                locale: locale.code.clone(),
                articles: mine.len(),
                in_sync: mine.len() - out_of_sync,
                out_of_sync,
                missing,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_ones_prefers_source_then_majority_then_everyone() {
        type Case = (
            Vec<(usize, &'static str)>,
            Option<usize>,
            Vec<(usize, usize)>,
        );
        let cases: Vec<Case> = vec![
            (vec![(0, "a"), (1, "b"), (2, "a")], Some(0), vec![(1, 0)]),
            (
                vec![(0, "a"), (1, "b"), (2, "b")],
                Some(0),
                vec![(1, 0), (2, 0)],
            ),
            (vec![(0, "a"), (1, "b"), (2, "b")], None, vec![(0, 1)]),
            (vec![(0, "a"), (1, "b")], None, vec![(0, 1), (1, 0)]),
            (
                vec![(0, "a"), (1, "b"), (2, "c")],
                None,
                vec![(0, 1), (1, 0), (2, 0)],
            ),
            (vec![(0, "a"), (1, "a")], None, vec![]),
            (vec![(1, "a"), (2, "b")], Some(0), vec![(1, 2), (2, 1)]),
        ];
        for (values, source, expected) in cases {
            assert_eq!(odd_ones(&values, source), expected, "{values:?} {source:?}");
        }
    }
}
