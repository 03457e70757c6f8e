//! Cuts an article's body into segments: the leaf blocks the outline's one pass recorded
//! ([`crate::model::spans`]), trimmed, each with its anchors read from the body with HTML
//! comments masked.

use std::ops::Range;

use std::borrow::Cow;

use super::anchors::{self, InlineRefs};
use super::{Segment, SegmentKind};
use crate::markdown;
use crate::model::spans::SegmentSpans;

/// The segments of the body of `text` that starts at `body_offset`, parsing it (tests, and
/// callers without an article). Ranges are file offsets.
pub fn segments(text: &str, body_offset: usize) -> Vec<Segment> {
    let outline = crate::model::outline::outline(text, body_offset);
    from_spans(text, body_offset, &outline.segment_spans)
}

/// The segments of the blocks `spans` of the body of `text` that starts at `body_offset`.
pub fn from_spans<'t>(text: &str, body_offset: usize, spans: &'t SegmentSpans) -> Vec<Segment> {
    let body = text.get(body_offset..).unwrap_or_default();
    // The masked text, whole, so that anchors never read a comment; a body without comments
    // (the outline's pass saw none) is read as it is, without a copy or a search.
    let masked = match spans.comments {
        true => markdown::sanitize::mask_comments(body).0,
        false => Cow::Borrowed(body),
    };
    let file: std::borrow::Cow<str> = match masked {
        std::borrow::Cow::Borrowed(_) => std::borrow::Cow::Borrowed(text),
        std::borrow::Cow::Owned(masked) => {
            let mut file = String::with_capacity(text.len());
            file.push_str(&text[..body_offset.min(text.len())]);
            file.push_str(&masked);
            std::borrow::Cow::Owned(file)
        }
    };
    let all = &spans.inline;
    let mut out = Vec::with_capacity(spans.leaves.len());
    for leaf in &spans.leaves {
        let Some(range) = trim(&file, leaf.range()) else {
            continue;
        };
        // Each list is sorted by start: the segment's part of it is borrowed, unless one of
        // them ends after the segment.
        let within = |list: &'t [Range<usize>]| -> Cow<'t, [Range<usize>]> {
            let from = list.partition_point(|r| r.start < range.start);
            let to = from + list[from..].partition_point(|r| r.start < range.end);
            let mine = &list[from..to];
            if mine.iter().all(|r| r.end <= range.end) {
                Cow::Borrowed(mine)
            } else {
                Cow::Owned(
                    mine.iter()
                        .filter(|r| r.end <= range.end)
                        .cloned()
                        .collect(),
                )
            }
        };
        let (code, links, dests, html) = (
            within(&all.code),
            within(&all.links),
            within(&all.dests),
            within(&all.html),
        );
        let mine = InlineRefs {
            code: &code,
            links: &links,
            dests: &dests,
            html: &html,
        };
        let anchors = if leaf.kind == SegmentKind::Code {
            let mut h = anchors::hasher();
            std::hash::Hasher::write(&mut h, file[range.clone()].trim().as_bytes());
            anchors::Anchors {
                keys: vec![std::hash::Hasher::finish(&h)],
                ..Default::default()
            }
        } else {
            anchors::read_in(&file, range.clone(), mine)
        };
        // A code block has no prose; where a comment was masked in the segment, the prose is
        // read now, in the masked copy (later reads would see the file). The segments a
        // comment is not in read the same bytes later.
        let prose = std::cell::OnceCell::new();
        if leaf.kind == SegmentKind::Code {
            let _ = prose.set(anchors::Prose::default());
        } else if matches!(file, Cow::Owned(_))
            && file.get(range.clone()) != text.get(range.clone())
        {
            let _ = prose.set(anchors::prose(&file, range.clone(), &anchors.skip));
        }
        out.push(Segment {
            kind: leaf.kind,
            range,
            heading_id: leaf.heading_id(),
            anchors,
            prose,
            letters: std::cell::OnceCell::new(),
            prefix: std::cell::OnceCell::new(),
        });
    }
    out
}

/// `range` without the whitespace at its ends; `None` when nothing else is left.
fn trim(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    let slice = text.get(range.clone())?;
    let start = range.start + (slice.len() - slice.trim_start().len());
    let end = range.start + slice.trim_end().len();
    (start < end).then_some(start..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(body: &str) -> Vec<(SegmentKind, &str)> {
        segments(body, 0)
            .into_iter()
            .map(|s| (s.kind, &body[s.range]))
            .collect()
    }

    #[test]
    fn blocks_of_every_kind() {
        use SegmentKind::*;
        let body = "# Title {#t}\n\nA paragraph\nover two lines.\n\n* one\n* two\n  * nested\n\n1. loose\n\n   still item\n\n>[!NOTE]\n>\n>Callout body.\n\n> plain quote\n\n| a | b |\n| --- | --- |\n| c 1 | d |\n\n```\ncode 2\n```\n\n<table><tr><td>Cell <b>x</b></td>\n<td> y </td></tr></table>\n\n<!-- hidden\n\nparagraph -->\n";
        assert_eq!(
            kinds(body),
            [
                (Heading(1), "# Title {#t}"),
                (Paragraph, "A paragraph\nover two lines."),
                (ListItem, "one"),
                (ListItem, "two"),
                (ListItem, "nested"),
                (ListItem, "loose"),
                (ListItem, "still item"),
                (Callout, "Callout body."),
                (Paragraph, "plain quote"),
                (TableCell, "a"),
                (TableCell, "b"),
                (TableCell, "c 1"),
                (TableCell, "d"),
                (Code, "```\ncode 2\n```"),
                (TableCell, "Cell <b>x</b>"),
                (TableCell, "y"),
            ]
        );
        let first = &segments(body, 0)[0];
        assert_eq!(first.heading_id.clone().map(|r| &body[r]), Some("t"));
    }

    #[test]
    fn the_outline_says_whether_the_anchors_need_comments_masked() {
        for (body, comments) in [
            ("Text 1.\n", false),
            ("Text <!-- note 2 --> 3.\n", true),
            ("A 1 thing <!-- note\n\n2 -->\nand 3 more.\n", true),
            ("```\n<!-- in code -->\n```\n", true),
        ] {
            let spans = crate::model::outline::outline(body, 0).segment_spans;
            assert_eq!(spans.comments, comments, "{body:?}");
            let masked = markdown::sanitize::mask_comments(body).0;
            assert_eq!(spans.comments, matches!(masked, Cow::Owned(_)), "{body:?}");
        }
    }

    #[test]
    fn marker_lines_are_not_segments_and_offsets_are_the_files() {
        let text = "---\nt: x\n---\n>[!TIP]\n>Tip text with 3 numbers.\n\n>[!BEGINTABS]\n";
        let found: Vec<(SegmentKind, &str)> = segments(text, 12)
            .into_iter()
            .map(|s| (s.kind, &text[s.range]))
            .collect();
        assert_eq!(found, [(SegmentKind::Callout, "Tip text with 3 numbers.")]);
    }
}
