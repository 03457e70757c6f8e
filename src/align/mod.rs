//! Segment-level alignment of an article's translations: the body cut into blocks
//! ([`segment`]: headings, paragraphs, list items, table cells (raw HTML tables too), callout
//! bodies, code blocks), each with its anchors ([`anchors`]: numbers, inline code, URLs, e-mails,
//! placeholders, `[!DNL]` and `[!UICONTROL]` texts), and each translation's blocks paired with
//! the pivot's ([`pairs`]). The pivot is the source locale's article when the group has one,
//! else the member with the highest `ht-degree`.
//!
//! Built from the site model only: one pulldown-cmark pass per article over the body with HTML
//! comments masked (as the outline reads it). Segments hold byte ranges of the file, never
//! copies of its text. One alignment feeds the `check::segments` rules and the status site's
//! side-by-side pages.

pub mod anchors;
pub mod pairs;
pub mod segment;

use std::cell::OnceCell;
use std::ops::Range;

use crate::locale::LocaleCode;
use crate::model::Article;
pub use anchors::{Anchors, Prose};
pub use pairs::{align, SegmentLink};

pub use crate::model::spans::SegmentKind;

impl SegmentKind {
    /// How people call it: `paragraph`, `level-2 heading`...
    pub fn name(self) -> String {
        match self {
            SegmentKind::Heading(level) => format!("level-{level} heading"),
            SegmentKind::Paragraph => "paragraph".to_owned(),
            SegmentKind::ListItem => "list item".to_owned(),
            SegmentKind::TableCell => "table cell".to_owned(),
            SegmentKind::Callout => "callout paragraph".to_owned(),
            SegmentKind::Code => "code block".to_owned(),
        }
    }

    /// The CSS class and JSON name: `heading`, `paragraph`, `list-item`...
    pub fn class(self) -> &'static str {
        match self {
            SegmentKind::Heading(_) => "heading",
            SegmentKind::Paragraph => "paragraph",
            SegmentKind::ListItem => "list-item",
            SegmentKind::TableCell => "table-cell",
            SegmentKind::Callout => "callout",
            SegmentKind::Code => "code",
        }
    }
}

/// One block of an article's body.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub kind: SegmentKind,
    /// The block's bytes in the file (for a list item: its own text, not its sub-lists).
    pub range: Range<usize>,
    /// The heading's `{#id}`, as written.
    pub heading_id: Option<Range<usize>>,
    pub anchors: Anchors,
    /// Its prose, read the first time it is asked for (set at once for code blocks, which
    /// have none, and where HTML comments were masked in a copy of the file).
    prose: OnceCell<Prose>,
    /// Its prose's letters, counted without reading its words (when the prose is not read).
    letters: OnceCell<u32>,
    /// The first bytes of its prose, read once (a pivot segment is compared with each
    /// translation's).
    prefix: OnceCell<anchors::Prefix>,
}

impl Segment {
    /// The block's text in `text` (the whole file the ranges point into).
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.range.clone()).unwrap_or_default()
    }

    /// The words of its prose, counted and hashed; `text` is the file it is in.
    pub fn prose(&self, text: &str) -> &Prose {
        self.prose
            .get_or_init(|| anchors::prose(text, self.range.clone(), &self.anchors.skip))
    }

    /// The letters of its prose, as [`Prose::letters`]: counted alone when the prose was not
    /// read, which costs a third of reading it (`length-ratio` and the alignment's weights
    /// need only this).
    pub fn letters(&self, text: &str) -> u32 {
        self.counted_letters().unwrap_or_else(|| {
            *self
                .letters
                .get_or_init(|| anchors::letters(text, self.range.clone(), &self.anchors.skip))
        })
    }

    /// Its letters, if they were counted or its prose read.
    pub fn counted_letters(&self) -> Option<u32> {
        self.prose
            .get()
            .map(|prose| prose.letters)
            .or(self.letters.get().copied())
    }

    /// Whether the block says anything: words, or an anchor.
    pub fn has_content(&self, text: &str) -> bool {
        !self.anchors.keys.is_empty() || self.prose(text).words > 0
    }
}

/// Whether two segments (`a` in the file `a_text`, `b` in `b_text`) have the same prose: the
/// four letters at either end of each, then the first bytes of their words, are compared
/// before the whole of either is read.
pub fn same_prose(a: &Segment, a_text: &str, b: &Segment, b_text: &str) -> bool {
    let read = |s: &Segment| s.prose.get().is_some();
    let prefix = |s: &Segment, text: &str| {
        *s.prefix
            .get_or_init(|| anchors::prose_prefix(text, s.range.clone(), &s.anchors.skip))
    };
    // A prose already read may not be the file's (comments masked): compare the whole.
    if !read(a) && !read(b) {
        // Four letters at either end first, then the first bytes of the words.
        for ends in [anchors::last_letters, anchors::first_letters] {
            let at = |s: &Segment, text: &str| ends(text, s.range.clone(), &s.anchors.skip);
            if let (Some(x), Some(y)) = (at(a, a_text), at(b, b_text)) {
                if x != y {
                    return false;
                }
            }
        }
        if prefix(a, a_text) != prefix(b, b_text) {
            return false;
        }
    }
    a.prose(a_text).hash == b.prose(b_text).hash
}

/// A translation aligned with its pivot, kept for the status site's side-by-side page: owned
/// (paths and ranges only), so that it outlives the site model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alignment {
    /// The translation group's name.
    pub article: String,
    /// Locale and shown path of the pivot and of the translation.
    pub pivot: (LocaleCode, String),
    pub other: (LocaleCode, String),
    pub rows: Vec<AlignedRow>,
}

/// One row of an [`Alignment`]: the segments' kind and their ranges (file offsets); a gap on
/// one side has no range. The ranges are kept as `u32` pairs, a gap as a pair starting at
/// [`GAP`] (files of 4 GB or more are refused, so no segment starts there): the status site
/// keeps every drifted translation's rows (1.2 million at 10,000 x 3 on the bench corpus), and
/// `usize` ranges doubled their size, `Option`s of `u32` pairs made a row 28 bytes instead of 20.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlignedRow {
    pub kind: SegmentKind,
    /// The pivot's range, then the translation's.
    ranges: [[u32; 2]; 2],
}

/// The start of a gap's range.
const GAP: u32 = u32::MAX;

impl AlignedRow {
    pub fn new(
        kind: SegmentKind,
        pivot: Option<Range<usize>>,
        other: Option<Range<usize>>,
    ) -> AlignedRow {
        let small = |r: Option<Range<usize>>| match r {
            Some(r) => {
                let at = |i: usize| u32::try_from(i).unwrap_or(GAP - 1);
                [at(r.start), at(r.end)]
            }
            None => [GAP, GAP],
        };
        AlignedRow {
            kind,
            ranges: [small(pivot), small(other)],
        }
    }

    /// The pivot segment's bytes, `None` for a gap.
    pub fn pivot(&self) -> Option<Range<usize>> {
        range(self.ranges[0])
    }

    /// The translation segment's bytes, `None` for a gap.
    pub fn other(&self) -> Option<Range<usize>> {
        range(self.ranges[1])
    }
}

/// A row's range of one side, `None` for a gap.
fn range([start, end]: [u32; 2]) -> Option<Range<usize>> {
    (start != GAP).then_some(start as usize..end as usize)
}

impl Alignment {
    /// The rows of `links` between `pivot` and `other`.
    pub fn new(
        article: &str,
        (pivot_article, pivot): (&Article, &[Segment]),
        (other_article, other): (&Article, &[Segment]),
        links: &[SegmentLink],
    ) -> Alignment {
        let rows = links
            .iter()
            .map(|l| {
                let a = l.pivot.map(|i| &pivot[i]);
                let b = l.other.map(|j| &other[j]);
                AlignedRow::new(
                    a.or(b).map_or(SegmentKind::Paragraph, |s| s.kind),
                    a.map(|s| s.range.clone()),
                    b.map(|s| s.range.clone()),
                )
            })
            .collect();
        let side = |a: &Article| (a.locale.clone(), a.shown_path.clone());
        Alignment {
            article: article.to_owned(),
            pivot: side(pivot_article),
            other: side(other_article),
            rows,
        }
    }
}

/// The segments of an article's body; empty when its body could not be found.
pub fn segments(article: &Article) -> Vec<Segment> {
    match article.outline() {
        Some(outline) => {
            segment::from_spans(&article.text, article.body_offset, &outline.segment_spans)
        }
        None => Vec::new(),
    }
}

/// For each of `segments` (of the file `text`), the titles of the headings it is under,
/// outermost first and joined with ` > ` (`Install > On Linux`); a heading's own path is its
/// parents'. One pass.
pub fn heading_paths(segments: &[Segment], text: &str) -> Vec<String> {
    let mut open: Vec<(u8, String)> = Vec::new();
    let mut paths = Vec::with_capacity(segments.len());
    for seg in segments {
        let level = match seg.kind {
            SegmentKind::Heading(level) => Some(level),
            _ => None,
        };
        if let Some(level) = level {
            open.retain(|(l, _)| *l < level);
        }
        let path: Vec<&str> = open.iter().map(|(_, title)| title.as_str()).collect();
        paths.push(path.join(" > "));
        if let Some(level) = level {
            open.push((level, heading_title(seg.text(text))));
        }
    }
    paths
}

/// A heading's text without its `#` marks, `{#id}` or setext underline.
pub fn heading_title(heading: &str) -> String {
    let first = heading.lines().next().unwrap_or_default();
    let mut title = first.trim().trim_start_matches('#').trim();
    if let Some(i) = title.rfind("{#").filter(|_| title.ends_with('}')) {
        title = title[..i].trim_end();
    }
    let closed = title.trim_end_matches('#');
    if closed.ends_with(' ') || closed.is_empty() {
        title = closed.trim_end();
    }
    title.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The member of a group the others are aligned with: the one in `source` (the site's source
/// locale) when there is one, else the one with the highest `ht-degree` (the first of them in
/// config order on a tie; none known counts as 0).
pub fn pivot(members: &[&Article], source: Option<&str>) -> Option<usize> {
    if let Some(i) = members
        .iter()
        .position(|a| Some(a.locale.as_str()) == source)
    {
        return Some(i);
    }
    let mut best: Option<(usize, u8)> = None;
    for (i, article) in members.iter().enumerate() {
        let degree = article.front.ht_degree.unwrap_or(0);
        if best.is_none_or(|(_, b)| degree > b) {
            best = Some((i, degree));
        }
    }
    best.map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(locale: &str, degree: Option<u8>) -> Article {
        let ht = degree.map_or(String::new(), |d| format!("ht-degree: {d}%\n"));
        crate::model::parse_article(
            locale,
            "a.md",
            format!("content/{locale}/a.md"),
            format!("---\ntitle: T\nexl-id: 58f4b190-113c-49d4-99bd-0a7bc512dae5\n{ht}---\nBody\n"),
        )
    }

    #[test]
    fn rows_keep_their_ranges_and_gaps_in_20_bytes() {
        let kind = SegmentKind::Paragraph;
        let both = AlignedRow::new(kind, Some(0..5), Some(7..7));
        assert_eq!((both.pivot(), both.other()), (Some(0..5), Some(7..7)));
        let gap = AlignedRow::new(kind, None, Some(3..9));
        assert_eq!((gap.pivot(), gap.other()), (None, Some(3..9)));
        let gap = AlignedRow::new(kind, Some(3..9), None);
        assert_eq!((gap.pivot(), gap.other()), (Some(3..9), None));
        let last = u32::MAX as usize - 1;
        let far = AlignedRow::new(kind, Some(last - 1..last), None);
        assert_eq!(far.pivot(), Some(last - 1..last));
        assert_eq!(std::mem::size_of::<AlignedRow>(), 20);
    }

    #[test]
    fn heading_paths_follow_the_levels() {
        let text = "# Top {#top}\n\nIntro.\n\n## Install ##\n\nStep.\n\n### On Linux\n\nRun it.\n\n## Use\n\nNow.\n\nSetext\n------\n\nLast.\n";
        let segs = segment::segments(text, 0);
        let paths = heading_paths(&segs, text);
        let shown: Vec<(&str, &str)> = segs
            .iter()
            .zip(&paths)
            .map(|(s, p)| (s.text(text).lines().next().unwrap_or_default(), p.as_str()))
            .collect();
        assert_eq!(
            shown,
            [
                ("# Top {#top}", ""),
                ("Intro.", "Top"),
                ("## Install ##", "Top"),
                ("Step.", "Top > Install"),
                ("### On Linux", "Top > Install"),
                ("Run it.", "Top > Install > On Linux"),
                ("## Use", "Top"),
                ("Now.", "Top > Use"),
                ("Setext", "Top"),
                ("Last.", "Top > Setext"),
            ]
        );
        assert_eq!(heading_title("## C# basics"), "C# basics");
    }

    #[test]
    fn pivot_is_the_source_else_the_highest_ht_degree() {
        let nl = article("nl", Some(0));
        let fr = article("fr", Some(89));
        let it = article("it", Some(12));
        let en = article("en", None);
        let cases: [(Vec<&Article>, Option<&str>, Option<usize>); 5] = [
            (vec![&nl, &fr, &it], None, Some(1)),
            (vec![&en, &nl, &fr], Some("en"), Some(0)),
            (vec![&nl, &fr], Some("en"), Some(1)),
            (vec![&nl], None, Some(0)),
            (vec![], None, None),
        ];
        for (members, source, expected) in cases {
            assert_eq!(pivot(&members, source), expected, "{source:?}");
        }
    }
}
