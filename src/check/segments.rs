//! Segment-level rules over the alignment of each translation with its pivot ([`crate::align`]):
//! `number-mismatch`, `untranslated-segment`, `segment-missing`, `segment-extra`,
//! `placeholder-mismatch`, `ui-label-inconsistent` and `length-ratio`. Every finding is placed
//! in the translation and names the pivot's segment as related.
//!
//! Each group is segmented and aligned once, on every core; the alignments of the translations
//! with a finding are kept for the status site's side-by-side pages.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::ops::Range;

use rayon::prelude::*;

use super::{Alignments, At, Doc, Finding, Rule, View};
use crate::align::{self, Alignment, Segment, SegmentKind, SegmentLink};
use crate::error::LineIndex;
use crate::locale::LocaleCode;

/// A prose of fewer words than this is never called untranslated (names, labels, `OK`).
const MIN_UNTRANSLATED_WORDS: u32 = 5;
/// Nor one with fewer words that start lowercase: a title-case product name is no sentence.
const MIN_UNTRANSLATED_PLAIN_WORDS: u32 = 3;
/// Nor one of fewer letters.
const MIN_UNTRANSLATED_LETTERS: u32 = 25;
/// `length-ratio`: only pivot segments with at least this many letters...
const MIN_RATIO_LETTERS: u32 = 80;
/// ...and a translation outside these bounds of the pivot's letters.
const RATIO_BOUNDS: (f32, f32) = (0.3, 3.0);

/// What the segment rules found, and the alignments they were found in.
#[derive(Debug, Default)]
pub struct SegmentOutcome {
    pub findings: Vec<Finding>,
    pub alignments: Vec<Alignment>,
}

/// One `[!UICONTROL]` label of a pivot segment and how a translation renders it.
#[derive(Debug, Clone)]
struct LabelUse {
    /// Pivot locale, pivot label (normalized), translation locale.
    key: (String, String, LocaleCode),
    variant: String,
    doc: usize,
    range: Range<usize>,
    pivot_doc: usize,
    pivot_offset: usize,
}

/// The rules that may run on this site.
#[derive(Debug, Clone, Copy)]
struct Enabled {
    length_ratio: bool,
}

pub fn check(view: &View<'_>, keep: Alignments) -> SegmentOutcome {
    // With every segment rule off in [check], nothing is aligned: no finding could come of it.
    let severities = crate::rules::Severities::new(&view.config.check);
    if SEGMENT_RULES
        .iter()
        .all(|&rule| severities.of(rule).is_none())
    {
        return SegmentOutcome::default();
    }
    // Without a source every locale is a translation, far apart in length by design: the
    // ratio is only compared when [check] asks for it.
    let enabled = Enabled {
        length_ratio: view.config.source_locale.is_some()
            || view.config.check.contains_key(Rule::LengthRatio.id()),
    };
    // In pieces of at most 64 groups, all of them on the queue from the start: the other
    // rule families run beside this one, and the core they leave free when done takes
    // whatever is still queued. Split only as rayon splits at first (into a few pieces per
    // core), the last piece ran on one core alone for up to a tenth of the check.
    let per_group: Vec<(SegmentOutcome, Vec<LabelUse>)> = view
        .groups
        .par_iter()
        .with_max_len(64)
        .filter(|g| g.members.len() > 1)
        .map(|g| group(view, &g.name, &g.members, enabled, keep))
        .collect();
    // Each list reserved once: a site can have a hundred thousand findings.
    let mut outcome = SegmentOutcome {
        findings: Vec::with_capacity(per_group.iter().map(|(o, _)| o.findings.len()).sum()),
        alignments: Vec::with_capacity(per_group.iter().map(|(o, _)| o.alignments.len()).sum()),
    };
    let mut labels = Vec::with_capacity(per_group.iter().map(|(_, l)| l.len()).sum());
    for (o, l) in per_group {
        outcome.findings.extend(o.findings);
        outcome.alignments.extend(o.alignments);
        labels.extend(l);
    }
    outcome
        .findings
        .extend(inconsistent_labels(view.docs, labels));
    outcome
}

/// Segments and aligns one group, and runs the pairwise rules on it.
fn group(
    view: &View<'_>,
    name: &str,
    members: &[usize],
    enabled: Enabled,
    keep: Alignments,
) -> (SegmentOutcome, Vec<LabelUse>) {
    let articles: Vec<_> = members.iter().map(|&i| view.docs[i].article).collect();
    let mut outcome = SegmentOutcome::default();
    let mut labels = Vec::new();
    let Some(p) = align::pivot(&articles, view.config.source_locale.as_deref()) else {
        return (outcome, labels);
    };
    let segments: Vec<Vec<Segment>> = members
        .iter()
        .map(|&i| align::segments(view.docs[i].article))
        .collect();
    let pivot = Side::new(&view.docs[members[p]], members[p], &segments[p]);
    for (k, &i) in members.iter().enumerate() {
        if k == p || view.docs[i].article.locale == pivot.doc.article.locale {
            continue;
        }
        let other = Side::new(&view.docs[i], i, &segments[k]);
        let links = align::align(
            pivot.segments,
            &pivot.doc.article.text,
            other.segments,
            &other.doc.article.text,
        );
        let pair = Pair {
            pivot: &pivot,
            other: &other,
            links: &links,
        };
        let found = pair.findings(enabled);
        labels.extend(pair.labels());
        if !found.is_empty() && keep == Alignments::Keep {
            outcome.alignments.push(Alignment::new(
                name,
                (pivot.doc.article, pivot.segments),
                (other.doc.article, other.segments),
                &links,
            ));
        }
        outcome.findings.extend(found);
    }
    (outcome, labels)
}

/// One member of a group with its segments.
struct Side<'a> {
    doc: &'a Doc<'a>,
    index: usize,
    segments: &'a [Segment],
    /// The file's line ends, found the first time a finding is placed in it.
    lines: OnceCell<LineIndex>,
}

impl<'a> Side<'a> {
    fn new(doc: &'a Doc<'a>, index: usize, segments: &'a [Segment]) -> Side<'a> {
        Side {
            doc,
            index,
            segments,
            lines: OnceCell::new(),
        }
    }

    /// The file its segments' ranges point into.
    fn text(&self) -> &'a str {
        &self.doc.article.text
    }

    /// Where `offset` is, as [`At::new`] places it, from the line ends found once per file
    /// (an article can have dozens of findings).
    fn at(&self, offset: usize, len: usize) -> At {
        let text = self.text();
        let (line, column) = self
            .lines
            .get_or_init(|| LineIndex::new(text))
            .place(text, offset);
        At {
            line,
            column,
            offset: offset.min(text.len()),
            len,
        }
    }

    fn slice(&self, range: &Range<usize>) -> &str {
        self.text().get(range.clone()).unwrap_or_default()
    }
}

/// A translation aligned with the pivot.
struct Pair<'a> {
    pivot: &'a Side<'a>,
    other: &'a Side<'a>,
    links: &'a [SegmentLink],
}

impl Pair<'_> {
    fn findings(&self, enabled: Enabled) -> Vec<Finding> {
        let mut found = Vec::new();
        let one_to_one = self
            .links
            .iter()
            .all(|l| l.pivot.is_some() && l.other.is_some());
        for (k, link) in self.links.iter().enumerate() {
            let (Some(i), Some(j)) = (link.pivot, link.other) else {
                continue;
            };
            let (a, b) = (&self.pivot.segments[i], &self.other.segments[j]);
            if a.kind == SegmentKind::Code {
                continue;
            }
            if enabled.length_ratio {
                // `length-ratio` counts the letters of the pair: counted first, they spare
                // `untranslated` reading the words of most pairs.
                a.letters(self.pivot.text());
                b.letters(self.other.text());
            }
            found.extend(self.untranslated(a, b));
            // Where the structure differs, a pair is compared only when its anchors or both
            // its neighbours' vouch for it: a stale translation's shifted table rows are gaps,
            // not a hundred changed numbers.
            let sure = |k: Option<usize>| {
                k.and_then(|k| self.links.get(k))
                    .is_none_or(|l| self.anchored(l))
            };
            let confident =
                one_to_one || shares_anchor(a, b) || sure(k.checked_sub(1)) && sure(Some(k + 1));
            if !confident {
                continue;
            }
            found.extend(self.numbers(a, b));
            found.extend(self.placeholders(a, b));
            if enabled.length_ratio {
                found.extend(self.length(a, b));
            }
        }
        found.extend(self.gaps());
        found
    }

    /// Whether `link` pairs two segments that share an anchor, or that have none.
    fn anchored(&self, link: &SegmentLink) -> bool {
        match (link.pivot, link.other) {
            (Some(i), Some(j)) => {
                let (a, b) = (&self.pivot.segments[i], &self.other.segments[j]);
                shares_anchor(a, b) || a.anchors.keys.is_empty() && b.anchors.keys.is_empty()
            }
            _ => false,
        }
    }

    /// A finding in the translation at `range`, related to the pivot's `pivot_offset`.
    fn finding(
        &self,
        rule: Rule,
        range: &Range<usize>,
        pivot_offset: usize,
        message: String,
    ) -> Finding {
        Finding::placed(
            rule,
            self.other.doc,
            self.other.at(range.start, range.len()),
            message,
        )
        .with_place(self.pivot.doc.related_at(self.pivot.at(pivot_offset, 0)))
    }

    fn pivot_name(&self) -> &str {
        &self.pivot.doc.article.locale
    }

    fn numbers(&self, a: &Segment, b: &Segment) -> Option<Finding> {
        let (na, nb) = (&a.anchors.numbers, &b.anchors.numbers);
        // As sets: a year said twice in one language and once in another is no drift.
        let missing: Vec<_> = na
            .iter()
            .filter(|n| !nb.iter().any(|m| m.value == n.value))
            .collect();
        let extra: Vec<_> = nb
            .iter()
            .filter(|n| !na.iter().any(|m| m.value == n.value))
            .collect();
        // A one-digit number only missing, or only added, is a number written as a word on
        // the other side ("1 hit", "één hit"): a drift needs a changed number, or a long one.
        let changed = !missing.is_empty() && !extra.is_empty();
        let long = missing.iter().chain(&extra).any(|n| !n.small);
        if !(changed || long) {
            return None;
        }
        let show = |side: &Side, s: &Segment| -> String {
            let list: Vec<&str> = s
                .anchors
                .numbers
                .iter()
                .map(|n| side.slice(&n.range))
                .collect();
            if list.is_empty() {
                "none".to_owned()
            } else {
                list.join(", ")
            }
        };
        // Point at the first number the pivot lacks, else at the segment.
        let odd = extra.first().map_or(b.range.clone(), |n| n.range.clone());
        let message = format!(
            "the numbers of this {} differ: {} here, {} in {}",
            b.kind.name(),
            show(self.other, b),
            show(self.pivot, a),
            self.pivot_name()
        );
        Some(self.finding(Rule::NumberMismatch, &odd, a.range.start, message))
    }

    fn untranslated(&self, a: &Segment, b: &Segment) -> Option<Finding> {
        let (ta, tb) = (self.pivot.text(), self.other.text());
        // Two proses that are the same have as many letters: where they were counted, they
        // tell most pairs apart before any words are read.
        if let (Some(la), Some(lb)) = (a.counted_letters(), b.counted_letters()) {
            if lb < MIN_UNTRANSLATED_LETTERS || la != lb {
                return None;
            }
        }
        if !align::same_prose(a, ta, b, tb) {
            return None;
        }
        let (pa, pb) = (a.prose(ta), b.prose(tb));
        let long = pb.words >= MIN_UNTRANSLATED_WORDS
            && pb.plain_words >= MIN_UNTRANSLATED_PLAIN_WORDS
            && pb.letters >= MIN_UNTRANSLATED_LETTERS;
        if !(long && pa.words == pb.words) {
            return None;
        }
        let message = format!(
            "this {} reads as in {} ({} words, [!DNL], [!UICONTROL], code, URLs and numbers aside): it was left untranslated",
            b.kind.name(),
            self.pivot_name(),
            pb.words
        );
        Some(self.finding(Rule::UntranslatedSegment, &b.range, a.range.start, message))
    }

    fn placeholders(&self, a: &Segment, b: &Segment) -> Option<Finding> {
        type Pick = fn(&align::Anchors) -> &Vec<Range<usize>>;
        // Placeholders and code are compared as written (trimmed): borrowed, not copied.
        type Normal = for<'t> fn(&'t str) -> Cow<'t, str>;
        let kinds: [(&str, Pick, Normal); 4] = [
            (
                "placeholders",
                |x| &x.placeholders,
                |t| Cow::Borrowed(t.trim()),
            ),
            (
                "inline code",
                |x| &x.code,
                |t| Cow::Borrowed(t.trim_matches('`').trim()),
            ),
            ("URLs", |x| &x.urls, |t| Cow::Owned(normalize_url(t))),
            (
                "e-mail addresses",
                |x| &x.emails,
                |t| Cow::Owned(t.to_lowercase()),
            ),
        ];
        for (what, pick, normal) in kinds {
            let (la, lb) = (pick(&a.anchors), pick(&b.anchors));
            if la.is_empty() && lb.is_empty() {
                continue;
            }
            let mut left: Vec<Cow<str>> = la.iter().map(|r| normal(self.pivot.slice(r))).collect();
            let right: Vec<Cow<str>> = lb.iter().map(|r| normal(self.other.slice(r))).collect();
            let mut sorted = right.clone();
            left.sort();
            sorted.sort();
            if left == sorted {
                continue;
            }
            let odd = lb
                .iter()
                .zip(&right)
                .find(|(_, v)| !left.contains(v))
                .map_or(b.range.clone(), |(r, _)| r.clone());
            let quote = |list: &[Cow<str>]| {
                if list.is_empty() {
                    return "none".to_owned();
                }
                let mut quoted = String::with_capacity(list.iter().map(|v| v.len() + 4).sum());
                for (i, v) in list.iter().enumerate() {
                    if i > 0 {
                        quoted.push_str(", ");
                    }
                    quoted.push('`');
                    quoted.push_str(v);
                    quoted.push('`');
                }
                quoted
            };
            // Concatenated: at a hundred thousand findings, `format!` was a cost of its own.
            let message = [
                "the ",
                what,
                " of this ",
                &b.kind.name(),
                " differ: ",
                &quote(&right),
                " here, ",
                &quote(&left),
                " in ",
                self.pivot_name(),
            ]
            .concat();
            return Some(self.finding(Rule::PlaceholderMismatch, &odd, a.range.start, message));
        }
        None
    }

    fn length(&self, a: &Segment, b: &Segment) -> Option<Finding> {
        let (la, lb) = (a.letters(self.pivot.text()), b.letters(self.other.text()));
        if la < MIN_RATIO_LETTERS {
            return None;
        }
        let ratio = lb as f32 / la as f32;
        if (RATIO_BOUNDS.0..=RATIO_BOUNDS.1).contains(&ratio) {
            return None;
        }
        let message = format!(
            "this {} has {lb} letters, {la} in {}: {:.0}% of its length",
            b.kind.name(),
            self.pivot_name(),
            ratio * 100.0
        );
        Some(self.finding(Rule::LengthRatio, &b.range, a.range.start, message))
    }
}

/// Whether two segments share an anchor (a number, code, a link target...).
fn shares_anchor(a: &Segment, b: &Segment) -> bool {
    let (x, y) = (&a.anchors.keys, &b.anchors.keys);
    x.iter().any(|k| y.binary_search(k).is_ok())
}

/// A URL as compared: the language parts (`/en/`, `/fr-fr/`, `lang=en`) left out.
fn normalize_url(url: &str) -> String {
    let lower = url.trim_end_matches('/').to_ascii_lowercase();
    lower
        .split(['/', '?', '&'])
        .filter(|part| {
            let language = part.len() == 2 && part.bytes().all(|b| b.is_ascii_alphabetic());
            let region = part.len() == 5
                && part.as_bytes()[2] == b'-'
                && part.bytes().filter(u8::is_ascii_alphabetic).count() == 4;
            !(language || region || part.starts_with("lang="))
        })
        .collect::<Vec<_>>()
        .join("/")
}

impl Pair<'_> {
    /// `segment-missing` and `segment-extra`: one finding per run of unpaired segments (headings
    /// and code blocks aside: `heading-mismatch` and `code-block-mismatch` report those).
    fn gaps(&self) -> Vec<Finding> {
        let counts = |s: &Segment, text: &str| {
            !matches!(s.kind, SegmentKind::Heading(_) | SegmentKind::Code) && s.has_content(text)
        };
        let mut found = Vec::new();
        let mut k = 0;
        while k < self.links.len() {
            let missing = self.links[k].other.is_none();
            let start = k;
            while k < self.links.len()
                && self.links[k].other.is_none() == missing
                && (self.links[k].pivot.is_none() || self.links[k].other.is_none())
            {
                k += 1;
            }
            if start == k {
                k += 1;
                continue;
            }
            let run: Vec<&Segment> = self.links[start..k]
                .iter()
                .filter_map(|l| match missing {
                    true => l.pivot.map(|i| &self.pivot.segments[i]),
                    false => l.other.map(|j| &self.other.segments[j]),
                })
                .filter(|s| {
                    let side = if missing { self.pivot } else { self.other };
                    counts(s, side.text())
                })
                .collect();
            if let Some(first) = run.first() {
                found.push(self.gap(first, run.len(), missing, k));
            }
        }
        found
    }

    /// The finding of one run of `count` unpaired segments starting with `first`.
    fn gap(&self, first: &Segment, count: usize, missing: bool, end: usize) -> Finding {
        let more = match count {
            1 => String::new(),
            n => format!(" (and {} segments after it)", n - 1),
        };
        if missing {
            // Where the translation would have it: before its next segment, else after the last.
            let next = self.links[end..].iter().find_map(|l| l.other);
            let here = match next {
                Some(j) => self.other.segments[j].range.start,
                None => self
                    .other
                    .segments
                    .last()
                    .map_or(self.other.doc.article.body_offset, |s| s.range.end),
            };
            let message = format!(
                "the {} of {} at this place{more} has no counterpart in this translation (it would come before this line): \"{}\"",
                first.kind.name(),
                self.pivot_name(),
                excerpt(self.pivot.slice(&first.range))
            );
            let range = here..here;
            self.finding(Rule::SegmentMissing, &range, first.range.start, message)
        } else {
            let near = self.links[end..]
                .iter()
                .find_map(|l| l.pivot)
                .map_or(self.pivot.doc.article.body_offset, |i| {
                    self.pivot.segments[i].range.start
                });
            let message = format!(
                "this {}{more} has no counterpart in {}: \"{}\"",
                first.kind.name(),
                self.pivot_name(),
                excerpt(self.other.slice(&first.range))
            );
            self.finding(Rule::SegmentExtra, &first.range, near, message)
        }
    }

    /// How the translation renders the pivot's `[!UICONTROL]` labels: where a segment has one
    /// label on both sides, or the very same label.
    fn labels(&self) -> Vec<LabelUse> {
        let mut uses = Vec::new();
        for link in self.links {
            let (Some(i), Some(j)) = (link.pivot, link.other) else {
                continue;
            };
            let (a, b) = (&self.pivot.segments[i], &self.other.segments[j]);
            let (la, lb) = (&a.anchors.labels, &b.anchors.labels);
            let pairs: Vec<(&Range<usize>, &Range<usize>)> = if la.len() == 1 && lb.len() == 1 {
                vec![(&la[0], &lb[0])]
            } else {
                Vec::new()
            };
            for (ra, rb) in pairs {
                uses.push(LabelUse {
                    key: (
                        self.pivot_name().to_owned(),
                        normalize_label(self.pivot.slice(ra)),
                        self.other.doc.article.locale.clone(),
                    ),
                    variant: normalize_label(self.other.slice(rb)),
                    doc: self.other.index,
                    range: rb.clone(),
                    pivot_doc: self.pivot.index,
                    pivot_offset: ra.start,
                });
            }
        }
        uses
    }
}

/// A label as compared: markup, zero-width spaces and case left out, spaces collapsed.
fn normalize_label(label: &str) -> String {
    // Most labels are ASCII without an entity or a nested marker: read in one pass, what
    // `any_label` makes of them in six (a quarter of `ui-label-inconsistent` on analytics).
    let plain_ascii = label.is_ascii() && !label.bytes().any(|b| b == b'&' || b == b'[');
    if !plain_ascii {
        return any_label(label);
    }
    let mut out = String::with_capacity(label.len());
    let mut space = false;
    for b in label.bytes() {
        match b {
            b'*' | b']' | b'_' => {}
            // ASCII's whitespace, as `char::is_whitespace` has it.
            b'\t'..=b'\r' | b' ' => space = !out.is_empty(),
            _ => {
                if space {
                    out.push(' ');
                    space = false;
                }
                out.push(b.to_ascii_lowercase() as char);
            }
        }
    }
    out
}

/// [`normalize_label`] of any label.
fn any_label(label: &str) -> String {
    let plain = crate::model::outline::normalize_space(label)
        .replace("[!DNL", "")
        .replace(['*', ']', '_'], "");
    plain
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A label variant as counted: each word without a final `s` (plurals are one variant).
fn stem(variant: &str) -> String {
    variant
        .split(' ')
        .map(|w| match w.strip_suffix('s') {
            Some(rest) if rest.chars().count() >= 3 => rest,
            _ => w,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The first words of a segment, for a message.
fn excerpt(text: &str) -> String {
    let flat = crate::model::outline::normalize_space(text);
    match flat.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", &flat[..cut]),
        None => flat,
    }
}

/// `ui-label-inconsistent`: a pivot label that one locale renders in more than one way. Each
/// use of a variant other than the most common one is a finding.
fn inconsistent_labels(docs: &[Doc<'_>], uses: Vec<LabelUse>) -> Vec<Finding> {
    let mut by_key: BTreeMap<(String, String, LocaleCode), Vec<LabelUse>> = BTreeMap::new();
    for u in uses {
        by_key.entry(u.key.clone()).or_default().push(u);
    }
    let mut found = Vec::new();
    for ((pivot_locale, label, _), uses) in by_key {
        // Variants counted by their stem: `tag` and `tags` are one rendering.
        let mut counts: BTreeMap<String, (usize, &str)> = BTreeMap::new();
        for u in &uses {
            counts.entry(stem(&u.variant)).or_insert((0, &u.variant)).0 += 1;
        }
        if counts.len() < 2 || label.is_empty() {
            continue;
        }
        let (common, common_count, common_shown) = counts
            .iter()
            .max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.0.cmp(a.0)))
            .map(|(k, (n, shown))| (k.clone(), *n, *shown))
            .unwrap_or_default();
        let example = uses.iter().find(|u| stem(&u.variant) == common);
        let variants: Vec<String> = counts
            .values()
            .map(|(n, shown)| format!("\"{shown}\" ({n}x)"))
            .collect();
        for u in uses.iter().filter(|u| stem(&u.variant) != common) {
            let doc = &docs[u.doc];
            let message = format!(
                "the {pivot_locale} label \"{label}\" is \"{}\" here but \"{common_shown}\" {common_count}x in this locale; its variants: {}",
                u.variant,
                variants.join(", ")
            );
            let mut finding = Finding::at(
                Rule::UiLabelInconsistent,
                doc,
                u.range.start,
                u.range.len(),
                message,
            )
            .with_related(&docs[u.pivot_doc], u.pivot_offset);
            if let Some(e) = example {
                let range_start = e.range.start;
                finding = finding.with_related(&docs[e.doc], range_start);
            }
            found.push(finding);
        }
    }
    found
}

/// The rules of this module.
pub const SEGMENT_RULES: [Rule; 7] = [
    Rule::NumberMismatch,
    Rule::UntranslatedSegment,
    Rule::SegmentMissing,
    Rule::SegmentExtra,
    Rule::PlaceholderMismatch,
    Rule::UiLabelInconsistent,
    Rule::LengthRatio,
];

/// Whether a finding of `rule` comes from a segment rule.
pub fn is_segment_rule(rule: Rule) -> bool {
    SEGMENT_RULES.contains(&rule)
}

/// Keeps the alignments of the translations that still have a segment finding (after `[check]`
/// levels and the scope dropped some).
pub fn keep_flagged(alignments: &mut Vec<Alignment>, findings: &[Finding]) {
    if alignments.is_empty() {
        return;
    }
    let flagged = super::paths_of(findings.iter().filter(|f| is_segment_rule(f.rule)));
    alignments.retain(|a| flagged.contains(a.other.1.as_str()));
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config::Config;
    use crate::model::{parse_article, Article};

    const ID: &str = "58f4b190-113c-49d4-99bd-0a7bc512dae5";
    const OTHER_ID: &str = "8c00751a-c706-4248-8266-87c457ce367f";

    fn config(source: Option<&str>, locales: &[&str]) -> Config {
        let mut toml = source.map_or(String::new(), |s| format!("source-locale = \"{s}\"\n"));
        for l in locales {
            toml.push_str(&format!("[[locales]]\ncode = \"{l}\"\n"));
        }
        Config::parse(Path::new(""), "tolk.toml", &toml).unwrap_or_else(|e| panic!("{e}"))
    }

    fn article(locale: &str, rel: &str, id: &str, ht: u8, body: &str) -> Article {
        let text = format!("---\ntitle: t\nexl-id: {id}\nht-degree: {ht}%\n---\n{body}");
        parse_article(locale, rel, format!("content/{locale}/{rel}"), text)
    }

    /// The segment findings of a site of `articles`: (rule, locale, line, related line).
    fn run(source: Option<&str>, articles: &[Article]) -> Vec<(Rule, String, usize, usize)> {
        let mut locales: Vec<&str> = Vec::new();
        for a in articles {
            if !locales.contains(&a.locale.as_str()) {
                locales.push(&a.locale);
            }
        }
        let config = config(source, &locales);
        let refs: Vec<&Article> = articles.iter().collect();
        let grouping = crate::model::groups::group(&config, &refs);
        let docs: Vec<Doc> = refs.iter().map(|a| Doc::new(a)).collect();
        let history = Default::default();
        let view = View {
            config: &config,
            docs: &docs,
            groups: &grouping.groups,
            history: &history,
        };
        let line = |at: Option<&super::super::At>| at.map_or(0, |a| a.line);
        check(&view, Alignments::Keep)
            .findings
            .iter()
            .map(|f| {
                let related = f.related.first().and_then(|r| r.at.as_ref());
                (
                    f.rule,
                    f.locale.to_string(),
                    line(f.at.as_ref()),
                    line(related),
                )
            })
            .collect()
    }

    /// One pivot body and one translation body, with a source.
    fn pair(
        source: &str,
        other: &str,
        body_a: &str,
        body_b: &str,
    ) -> Vec<(Rule, String, usize, usize)> {
        run(
            Some(source),
            &[
                article(source, "a.md", ID, 0, body_a),
                article(other, "a.md", ID, 0, body_b),
            ],
        )
    }

    #[test]
    fn an_ascii_label_is_normalized_in_one_pass_as_in_six() {
        for label in [
            "Save",
            "  Save  as\tdraft ",
            "**Bold** label",
            "a * b",
            "snake_case]name",
            "Vertical\u{B}tab\u{C}feed\r\nend",
            "_ * ] ",
            "MiXeD CaSe 42",
            "",
        ] {
            assert_eq!(normalize_label(label), any_label(label), "{label:?}");
        }
        // The others take the six passes.
        assert_eq!(
            normalize_label("Copy [!DNL Workfront] link"),
            "copy workfront link"
        );
        assert_eq!(normalize_label("Enregistrer&#x200B;"), "enregistrer");
        assert_eq!(normalize_label("ÉDITER\u{A0}la page"), "éditer la page");
    }

    #[test]
    fn findings_are_placed_as_at_places_them() {
        let a = article("nl", "a.md", ID, 0, "ab\nçé\r\n\nx—y\nz");
        let doc = Doc::new(&a);
        let side = Side::new(&doc, 0, &[]);
        for offset in 0..=a.text.len() + 2 {
            assert_eq!(side.at(offset, 1), At::new(&a.text, offset, 1), "{offset}");
        }
    }

    #[test]
    fn number_formats_of_every_locale_match_and_a_changed_number_does_not() {
        // Line 6 is the body's first line.
        let cases: [(&str, &str, &str, Option<Rule>); 10] = [
            (
                "nl",
                "We have 1,000.5 users.",
                "We hebben 1.000,5 gebruikers.",
                None,
            ),
            (
                "fr",
                "We have 1,000.5 users.",
                "Nous avons 1 000,5 utilisateurs.",
                None,
            ),
            (
                "fr",
                "We have 1,000.5 users.",
                "Nous avons 1\u{202F}000,5 utilisateurs.",
                None,
            ),
            (
                "fr",
                "We have 1,000.5 users.",
                "Nous avons 1\u{A0}000,5 utilisateurs.",
                None,
            ),
            (
                "it",
                "We have 1,000.5 users.",
                "Abbiamo 1.000,5 utenti.",
                None,
            ),
            (
                "fr",
                "The 1st of 2 steps, at 10:30.",
                "La 1re des 2 étapes, à 10h30.",
                None,
            ),
            (
                "it",
                "Version 2.3.1 is out.",
                "La versione 2.3.1 è uscita.",
                None,
            ),
            ("nl", "It has 1 hit.", "Het heeft één hit.", None),
            (
                "nl",
                "We have 1,000.5 users.",
                "We hebben 1.000,6 gebruikers.",
                Some(Rule::NumberMismatch),
            ),
            (
                "it",
                "Version 2.3.1 is out.",
                "La versione 2.4.1 è uscita.",
                Some(Rule::NumberMismatch),
            ),
        ];
        for (locale, en, other, expected) in cases {
            let found: Vec<Rule> = pair("en", locale, en, other)
                .into_iter()
                .map(|(rule, _, line, related)| {
                    assert_eq!((line, related), (6, 6));
                    rule
                })
                .collect();
            assert_eq!(
                found,
                expected.into_iter().collect::<Vec<_>>(),
                "{locale}: {other}"
            );
        }
    }

    #[test]
    fn untranslated_needs_a_sentence_not_a_name() {
        let en = "Select the team and open its settings to change them.";
        let cases: [(&str, Option<Rule>); 4] = [
            (en, Some(Rule::UntranslatedSegment)),
            (
                "Selecteer het team en open de instellingen om ze te wijzigen.",
                None,
            ),
            // Labels, names and code differ only by what is never translated.
            ("Adobe Workfront Fusion Planning Guide Overview", None),
            ("Select [!UICONTROL Save] and `code`.", None),
        ];
        for (nl, expected) in cases {
            // The last two are the same in both files.
            let en = if nl.starts_with("Select [") || nl.starts_with("Adobe") {
                nl
            } else {
                en
            };
            let found: Vec<Rule> = pair("en", "nl", en, nl).into_iter().map(|f| f.0).collect();
            assert_eq!(found, expected.into_iter().collect::<Vec<_>>(), "{nl}");
        }
    }

    #[test]
    fn gaps_are_missing_or_extra_segments_with_both_lines() {
        let en =
            "# T\n\nFirst 10 things here.\n\nSecond has `code` in it.\n\nThird has 30 things.\n";
        let nl = "# T\n\nEerste 10 dingen hier.\n\nDerde heeft 30 dingen.\n";
        assert_eq!(
            pair("en", "nl", en, nl),
            [(Rule::SegmentMissing, "nl".to_owned(), 10, 10)]
        );
        let extra = "# T\n\nEerste 10 dingen hier.\n\nTweede heeft `code`.\n\nExtra zin met 99 woorden.\n\nDerde heeft 30 dingen.\n";
        assert_eq!(
            pair("en", "nl", en, extra),
            [(Rule::SegmentExtra, "nl".to_owned(), 12, 12)]
        );
    }

    #[test]
    fn placeholders_code_urls_and_emails_must_match() {
        let cases: [(&str, &str, bool); 6] = [
            (
                "Use {{snippet}} and {0} here.",
                "Gebruik {{snippet}} en {0} hier.",
                false,
            ),
            ("Use {0} here.", "Gebruik {1} hier.", true),
            ("Run `tolk check` now.", "Voer `tolk check` uit.", false),
            ("Run `tolk check` now.", "Voer `tolk build` uit.", true),
            (
                "See https://x.example/en/docs/a or a@b.example.",
                "Zie https://x.example/nl/docs/a of a@b.example.",
                false,
            ),
            ("Mail a@b.example today.", "Mail c@b.example vandaag.", true),
        ];
        for (en, nl, expected) in cases {
            let found = pair("en", "nl", en, nl);
            let hit = found.iter().any(|f| f.0 == Rule::PlaceholderMismatch);
            assert_eq!(hit, expected, "{nl}: {found:?}");
        }
    }

    #[test]
    fn a_label_rendered_two_ways_in_one_locale_is_inconsistent() {
        let en = |id, text: &str| article("en", &format!("{id}.md"), id, 0, text);
        let fr = |id, text: &str| article("fr", &format!("{id}.md"), id, 90, text);
        let third = "0c2b1a7e-3f4d-4c5b-9a6e-7d8f9a0b1c2d";
        let found = run(
            Some("en"),
            &[
                en(ID, "Click [!UICONTROL Save] now."),
                en(OTHER_ID, "Then click [!UICONTROL Save] again."),
                en(third, "Finally [!UICONTROL Save] it."),
                fr(ID, "Cliquez sur [!UICONTROL Enregistrer]."),
                fr(OTHER_ID, "Puis cliquez sur [!UICONTROL Sauvegarder]."),
                fr(third, "Enfin [!UICONTROL Enregistrer]."),
            ],
        );
        assert_eq!(
            found,
            [(Rule::UiLabelInconsistent, "fr".to_owned(), 6, 6)],
            "one finding, at the odd variant"
        );
    }

    #[test]
    fn length_ratio_only_with_a_source_and_the_pivot_is_the_highest_ht_degree() {
        let long = "This paragraph is long enough to be compared by its length with the translation that was made of it, surely.";
        let short = "Kort.";
        assert_eq!(
            pair("en", "nl", long, short),
            [(Rule::LengthRatio, "nl".to_owned(), 6, 6)]
        );
        // No source: nl (0%) is compared with fr (90%), the pivot; no length-ratio by default.
        let found = run(
            None,
            &[
                article("nl", "a.md", ID, 0, &format!("{long}\n\nTwee 2.\n")),
                article("fr", "a.md", ID, 90, &format!("{short}\n\nDeux 3.\n")),
            ],
        );
        assert_eq!(found, [(Rule::NumberMismatch, "nl".to_owned(), 8, 8)]);
        // One locale only: nothing to compare.
        assert!(run(None, &[article("nl", "a.md", ID, 0, long)]).is_empty());
    }
}
