//! Cuts an article's body into segments, in one pulldown-cmark pass over the body with HTML
//! comments masked (the outline's reading): headings, paragraphs, list items (a tight item's
//! own text, without its sub-lists), table cells, cells of raw HTML tables, callout
//! paragraphs and code blocks. The marker line of a callout (`>[!NOTE]`) is not a segment.

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::anchors::{self, Inline};
use super::{Segment, SegmentKind};
use crate::markdown;

/// A block container open in the pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    Quote {
        callout: bool,
    },
    Item,
    /// A block that is a segment itself: paragraph, heading, cell, code.
    Leaf,
    Other,
}

/// A segment being read: its kind, range (body offsets) and heading id.
struct Pending {
    kind: SegmentKind,
    range: Range<usize>,
    heading_id: Option<Range<usize>>,
}

/// The segments of the body of `text` that starts at `body_offset`. Ranges are file offsets.
pub fn segments(text: &str, body_offset: usize) -> Vec<Segment> {
    let body = text.get(body_offset..).unwrap_or_default();
    let (masked, _) = markdown::sanitize::mask_comments(body);
    let mut pending: Vec<Pending> = Vec::new();
    let mut inline = Inline::default();
    let mut stack: Vec<Open> = Vec::new();
    // A tight list item's own text: the inline events right inside it.
    let mut item_run: Option<Range<usize>> = None;
    let flush = |run: &mut Option<Range<usize>>, pending: &mut Vec<Pending>| {
        if let Some(range) = run.take() {
            pending.push(Pending {
                kind: SegmentKind::ListItem,
                range,
                heading_id: None,
            });
        }
    };
    for (event, range) in Parser::new_ext(&masked, markdown::options()).into_offset_iter() {
        match event {
            Event::Start(tag) => {
                if !is_block(&tag) {
                    if let Tag::Link { .. } | Tag::Image { .. } = tag {
                        inline.links.push(range.clone());
                        if let Some(dest) = dest_range(&masked, &range) {
                            inline.dests.push(dest);
                        }
                    }
                    if stack.last() == Some(&Open::Item) {
                        extend(&mut item_run, &range);
                    }
                    continue;
                }
                flush(&mut item_run, &mut pending);
                let kind = leaf_kind(&tag, &stack);
                let open = match (&tag, kind) {
                    (_, Some(kind)) => {
                        let heading_id = match &tag {
                            Tag::Heading { id: Some(_), .. } => heading_id(&masked, &range),
                            _ => None,
                        };
                        pending.push(Pending {
                            kind,
                            range: trim_marker(&masked, range.clone()),
                            heading_id,
                        });
                        Open::Leaf
                    }
                    (Tag::BlockQuote(_), None) => Open::Quote {
                        callout: is_callout(&masked[range.clone()]),
                    },
                    (Tag::Item, None) => Open::Item,
                    (Tag::HtmlBlock, None) => {
                        pending.extend(html_cells(&masked, range.clone()));
                        Open::Leaf
                    }
                    _ => Open::Other,
                };
                stack.push(open);
            }
            Event::End(end) => {
                if is_block_end(&end) {
                    flush(&mut item_run, &mut pending);
                    stack.pop();
                }
            }
            Event::Code(_) => {
                inline.code.push(range.clone());
                if stack.last() == Some(&Open::Item) {
                    extend(&mut item_run, &range);
                }
            }
            Event::InlineHtml(_) => {
                inline.html.push(range.clone());
                if stack.last() == Some(&Open::Item) {
                    extend(&mut item_run, &range);
                }
            }
            Event::Text(_) | Event::SoftBreak | Event::HardBreak | Event::FootnoteReference(_) => {
                if stack.last() == Some(&Open::Item) {
                    extend(&mut item_run, &range);
                }
            }
            _ => {}
        }
    }
    flush(&mut item_run, &mut pending);
    pending.sort_by_key(|p| p.range.start);
    let shift = |r: &Range<usize>| body_offset + r.start..body_offset + r.end;
    let shifted = Inline {
        code: inline.code.iter().map(shift).collect(),
        links: inline.links.iter().map(shift).collect(),
        dests: inline.dests.iter().map(shift).collect(),
        html: inline.html.iter().map(shift).collect(),
    };
    // The masked text, whole, so that anchors never read a comment.
    let mut file = String::with_capacity(text.len());
    file.push_str(&text[..body_offset.min(text.len())]);
    file.push_str(&masked);
    let mut out = Vec::with_capacity(pending.len());
    for p in pending {
        let range = shift(&p.range);
        let Some(range) = trim(&file, range) else {
            continue;
        };
        let within = |list: &[Range<usize>]| -> Vec<Range<usize>> {
            let from = list.partition_point(|r| r.start < range.start);
            list[from..]
                .iter()
                .take_while(|r| r.start < range.end)
                .filter(|r| r.end <= range.end)
                .cloned()
                .collect()
        };
        let mine = Inline {
            code: within(&shifted.code),
            links: within(&shifted.links),
            dests: within(&shifted.dests),
            html: within(&shifted.html),
        };
        let anchors = if p.kind == SegmentKind::Code {
            let mut h = anchors::hasher();
            std::hash::Hasher::write(&mut h, file[range.clone()].trim().as_bytes());
            anchors::Anchors {
                keys: vec![std::hash::Hasher::finish(&h)],
                ..Default::default()
            }
        } else {
            anchors::read(&file, range.clone(), &mine)
        };
        out.push(Segment {
            kind: p.kind,
            range,
            heading_id: p.heading_id.as_ref().map(shift),
            anchors,
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

fn extend(run: &mut Option<Range<usize>>, range: &Range<usize>) {
    match run {
        Some(r) => r.end = r.end.max(range.end),
        None => *run = Some(range.clone()),
    }
}

fn is_block(tag: &Tag) -> bool {
    !matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

fn is_block_end(end: &TagEnd) -> bool {
    !matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

/// The kind of segment a block tag opens, inside the containers `stack`.
fn leaf_kind(tag: &Tag, stack: &[Open]) -> Option<SegmentKind> {
    let inner = stack
        .iter()
        .rev()
        .find(|o| matches!(o, Open::Item | Open::Quote { .. }));
    match tag {
        Tag::Heading { level, .. } => Some(SegmentKind::Heading(markdown::headings::level_number(
            *level,
        ))),
        Tag::TableCell => Some(SegmentKind::TableCell),
        Tag::CodeBlock(_) => Some(SegmentKind::Code),
        Tag::Paragraph => Some(match inner {
            Some(Open::Item) => SegmentKind::ListItem,
            Some(Open::Quote { callout: true }) => SegmentKind::Callout,
            _ => SegmentKind::Paragraph,
        }),
        _ => None,
    }
}

/// Whether a blockquote is an ExL block (`>[!NOTE]`, `>[!TAB x]`), not a plain quote.
fn is_callout(quote: &str) -> bool {
    quote
        .trim_start_matches([' ', '\t', '>'])
        .strip_prefix("[!")
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_alphabetic()))
}

/// A paragraph that starts with a block marker line (`[!NOTE]`, `[!TAB Label]`) loses that
/// line; a paragraph that is only the marker becomes empty.
fn trim_marker(masked: &str, range: Range<usize>) -> Range<usize> {
    let text = &masked[range.clone()];
    let Some(rest) = text.strip_prefix("[!") else {
        return range;
    };
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    let upper = name.to_ascii_uppercase();
    if matches!(upper.as_str(), "DNL" | "UICONTROL" | "BADGE") || name.is_empty() {
        return range;
    }
    let line = text.find('\n').unwrap_or(text.len());
    let mut start = range.start + line;
    // Skip the `>` and blanks that start the next line.
    while start < range.end && matches!(masked.as_bytes()[start], b'\n' | b' ' | b'\t' | b'>') {
        start += 1;
    }
    start..range.end
}

/// The `{#id}` of a heading, as written (body offsets).
fn heading_id(masked: &str, range: &Range<usize>) -> Option<Range<usize>> {
    let text = masked.get(range.clone())?;
    let open = text.rfind("{#")?;
    let close = text[open..].find('}')?;
    Some(range.start + open + 2..range.start + open + close)
}

/// The destination of `[text](dest)` (body offsets), when written inline.
fn dest_range(masked: &str, range: &Range<usize>) -> Option<Range<usize>> {
    let text = masked.get(range.clone())?;
    if !text.ends_with(')') {
        return None;
    }
    let open = text.rfind("](")?;
    Some(range.start + open + 2..range.end - 1)
}

/// The cells `<td>`/`<th>` of a raw HTML block, each a table-cell segment (body offsets).
fn html_cells(masked: &str, range: Range<usize>) -> Vec<Pending> {
    let block = &masked[range.clone()];
    let lower = block.to_ascii_lowercase();
    let mut cells = Vec::new();
    let mut from = 0;
    while let Some(i) = lower[from..].find("<t") {
        let start = from + i;
        from = start + 2;
        let name = &lower[start + 1..(start + 3).min(lower.len())];
        let after = lower.as_bytes().get(start + 3).copied().unwrap_or(b'>');
        if !(name == "td" || name == "th") || !(after == b'>' || after.is_ascii_whitespace()) {
            continue;
        }
        let Some(open_end) = lower[start..].find('>') else {
            break;
        };
        let content = start + open_end + 1;
        let close = ["</td", "</th", "<td", "<th", "</tr", "</table"]
            .iter()
            .filter_map(|c| lower[content..].find(c))
            .min()
            .unwrap_or(lower.len() - content);
        let cell = &block[content..content + close];
        let lead = cell.len() - cell.trim_start().len();
        let trimmed = cell.trim();
        if !trimmed.is_empty() {
            let begin = range.start + content + lead;
            cells.push(Pending {
                kind: SegmentKind::TableCell,
                range: begin..begin + trimmed.len(),
                heading_id: None,
            });
        }
        from = content + close;
    }
    cells
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
    fn marker_lines_are_not_segments_and_offsets_are_the_files() {
        let text = "---\nt: x\n---\n>[!TIP]\n>Tip text with 3 numbers.\n\n>[!BEGINTABS]\n";
        let found: Vec<(SegmentKind, &str)> = segments(text, 12)
            .into_iter()
            .map(|s| (s.kind, &text[s.range]))
            .collect();
        assert_eq!(found, [(SegmentKind::Callout, "Tip text with 3 numbers.")]);
    }
}
