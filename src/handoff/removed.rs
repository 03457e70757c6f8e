//! Segments the source removed since a translation was made: the translation's segment is a
//! unit marked `translate="no"`, which the import deletes when that is safe (a paragraph or
//! heading standing alone between blank lines: its lines and one blank line go), and otherwise
//! leaves for a person to delete (a list item, table cell, callout paragraph or code block,
//! whose markup around it would break).

use std::ops::Range;

use super::{Place, PlannedUnit};
use crate::align::{Segment, SegmentKind};

/// The unit of source segment `o` (`seg`, in the source text `old`), removed since, whose
/// translation is `ours` in `translation` (its body from `body_offset`).
pub fn unit(
    exl_id: &str,
    (o, seg, old): (usize, &Segment, &str),
    (ours, translation, body_offset): (&Segment, &str, usize),
    heading_path: String,
) -> PlannedUnit {
    let place = match removal(translation, body_offset, ours) {
        Some(range) => Place::Remove(range),
        None => Place::Keep,
    };
    PlannedUnit {
        id: format!("{exl_id}/removed-{o}-{}", seg.kind.class()),
        kind: seg.kind,
        source: seg.text(old).to_owned(),
        target: Some(ours.text(translation).to_owned()),
        words: 0,
        change: "removed",
        place,
        heading_path,
    }
}

/// The bytes to delete so that `seg` of `text` is gone and the blocks around it stay as they
/// are; `None` when that is not safe. The segment must stand alone on its lines, with a blank
/// line (or the body's start) before it and a blank line (or the end) after it; its lines go
/// with the blank lines after it, or, when it is the last block, with those before it.
pub fn removal(text: &str, body_offset: usize, seg: &Segment) -> Option<Range<usize>> {
    if !matches!(seg.kind, SegmentKind::Paragraph | SegmentKind::Heading(_)) {
        return None;
    }
    let blank = |s: &str| s.trim().is_empty();
    let line_start = |at: usize| text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = |at: usize| text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
    let start = line_start(seg.range.start);
    let end = line_end(seg.range.end);
    if start < body_offset
        || !blank(text.get(start..seg.range.start)?)
        || !blank(text.get(seg.range.end..end)?)
    {
        return None;
    }
    // The line before: the body's start, or blank.
    let previous = |at: usize| (at > body_offset).then(|| line_start(at - 1));
    if previous(start).is_some_and(|p| !blank(&text[p..start])) {
        return None;
    }
    let mut next = end;
    while next < text.len() && blank(&text[next..line_end(next)]) {
        next = line_end(next);
    }
    if next < text.len() {
        // A block follows: the blank line after the segment must be there.
        return (next > end).then_some(start..next);
    }
    let mut from = start;
    while let Some(p) = previous(from).filter(|&p| blank(&text[p..from])) {
        from = p;
    }
    Some(from..text.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::segment::segments;

    fn without(text: &str, n: usize) -> Option<String> {
        let segs = segments(text, 0);
        let range = removal(text, 0, &segs[n])?;
        Some(format!("{}{}", &text[..range.start], &text[range.end..]))
    }

    #[test]
    fn a_block_between_blank_lines_goes_with_its_blank_line() {
        let text = "# T\n\nA one.\n\nX two\nwrapped.\n\n## H\n\nB three.\n";
        assert_eq!(
            without(text, 2).as_deref(),
            Some("# T\n\nA one.\n\n## H\n\nB three.\n")
        );
        assert_eq!(
            without(text, 3).as_deref(),
            Some("# T\n\nA one.\n\nX two\nwrapped.\n\nB three.\n")
        );
        assert_eq!(
            without(text, 4).as_deref(),
            Some("# T\n\nA one.\n\nX two\nwrapped.\n\n## H\n")
        );
        assert_eq!(
            without(text, 0).as_deref(),
            Some("A one.\n\nX two\nwrapped.\n\n## H\n\nB three.\n")
        );
        assert_eq!(
            without("Setext\n------\n\nAfter.\n", 0).as_deref(),
            Some("After.\n")
        );
        let crlf = text.replace('\n', "\r\n");
        assert_eq!(
            without(&crlf, 2),
            Some("# T\n\nA one.\n\n## H\n\nB three.\n".replace('\n', "\r\n"))
        );
    }

    #[test]
    fn blocks_inside_other_markup_are_not_removed() {
        let cases = [
            ("* one\n* two\n", 1),
            (">[!NOTE]\n>\n>Callout.\n\nAfter.\n", 0),
            ("| a | b |\n| --- | --- |\n| c | d |\n", 2),
            ("```\ncode\n```\n", 0),
        ];
        for (text, n) in cases {
            assert_eq!(without(text, n), None, "{text}");
        }
    }
}
