//! The blocks an article body is cut into for segment alignment ([`crate::align`]), recorded
//! in the outline's one pulldown-cmark pass (no second parse): leaf blocks (headings,
//! paragraphs, list items (a tight item's own text, without its sub-lists), table cells, cells
//! of raw HTML tables, callout paragraphs, code blocks) and the inline markup inside them
//! (code spans, links and their targets, inline HTML). The marker line of a callout
//! (`>[!NOTE]`) is not part of a block.

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::markdown;

/// What kind of block a segment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SegmentKind {
    /// A heading of this level.
    Heading(u8),
    Paragraph,
    ListItem,
    TableCell,
    /// A paragraph inside a callout (`>[!NOTE]`, tabs, shadeboxes).
    Callout,
    Code,
}

/// The markup inside a body that the parser found (file offsets once finished).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Inline {
    /// Inline code spans.
    pub code: Vec<Range<usize>>,
    /// Whole links `[text](dest)` and images.
    pub links: Vec<Range<usize>>,
    /// Link and image destinations.
    pub dests: Vec<Range<usize>>,
    /// Inline HTML tags.
    pub html: Vec<Range<usize>>,
}

/// One leaf block: its kind, its bytes (file offsets, untrimmed) and a heading's `{#id}`.
/// The offsets are kept as `u32` (24 bytes a leaf instead of 48: an outline keeps hundreds,
/// 9 MB of a check's memory at 10,000 x 3 on the bench corpus); no file read is 4 GB
/// ([`super::article::read_text`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Leaf {
    pub kind: SegmentKind,
    range: [u32; 2],
    heading_id: Option<[u32; 2]>,
}

impl Leaf {
    fn new(block: &Block, shift: usize) -> Leaf {
        let at = |r: &Range<usize>| {
            let offset = |n: usize| u32::try_from(shift + n).unwrap_or(u32::MAX);
            [offset(r.start), offset(r.end)]
        };
        Leaf {
            kind: block.kind,
            range: at(&block.range),
            heading_id: block.heading_id.as_ref().map(at),
        }
    }

    /// The block's bytes in the file, untrimmed.
    pub fn range(&self) -> Range<usize> {
        self.range[0] as usize..self.range[1] as usize
    }

    /// The text of a heading's `{#id}` in the file.
    pub fn heading_id(&self) -> Option<Range<usize>> {
        self.heading_id
            .map(|[start, end]| start as usize..end as usize)
    }
}

/// A leaf block as the pass finds it, in body offsets.
#[derive(Debug, Clone, PartialEq)]
struct Block {
    kind: SegmentKind,
    range: Range<usize>,
    heading_id: Option<Range<usize>>,
}

/// The leaf blocks of a body in order, and its inline markup (each list sorted).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SegmentSpans {
    pub leaves: Vec<Leaf>,
    pub inline: Inline,
    /// Whether the body has an HTML comment: then the segments' anchors are read with the
    /// comments masked ([`crate::align::segment::from_spans`]), else from the file as it is.
    pub comments: bool,
}

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

/// Reads the events of the outline's pass (body offsets) into [`SegmentSpans`].
#[derive(Debug, Default)]
pub struct Collector {
    leaves: Vec<Block>,
    inline: Inline,
    stack: Vec<Open>,
    /// A tight list item's own text: the inline events right inside it.
    item_run: Option<Range<usize>>,
}

impl Collector {
    /// Takes one event of the pass over `masked` (the body with comments masked).
    pub fn event(&mut self, event: &Event, range: &Range<usize>, masked: &str) {
        let in_item = self.stack.last() == Some(&Open::Item);
        match event {
            Event::Start(tag) if !is_block(tag) => {
                if let Tag::Link { .. } | Tag::Image { .. } = tag {
                    self.inline.links.push(range.clone());
                    if let Some(dest) = dest_range(masked, range) {
                        self.inline.dests.push(dest);
                    }
                }
            }
            Event::Start(tag) => {
                self.flush();
                let open = self.open(tag, range, masked);
                self.stack.push(open);
                return;
            }
            Event::End(end) => {
                if is_block_end(end) {
                    self.flush();
                    self.stack.pop();
                }
                return;
            }
            Event::Code(_) => self.inline.code.push(range.clone()),
            Event::InlineHtml(_) => self.inline.html.push(range.clone()),
            Event::Text(_) | Event::SoftBreak | Event::HardBreak | Event::FootnoteReference(_) => {}
            _ => return,
        }
        if in_item {
            extend(&mut self.item_run, range);
        }
    }

    /// A block starts: a leaf, or a container.
    fn open(&mut self, tag: &Tag, range: &Range<usize>, masked: &str) -> Open {
        match (tag, leaf_kind(tag, &self.stack)) {
            (_, Some(kind)) => {
                let heading_id = match tag {
                    Tag::Heading { id: Some(_), .. } => heading_id(masked, range),
                    _ => None,
                };
                self.leaves.push(Block {
                    kind,
                    range: trim_marker(masked, range.clone()),
                    heading_id,
                });
                Open::Leaf
            }
            (Tag::BlockQuote(_), None) => Open::Quote {
                callout: masked.get(range.clone()).is_some_and(is_callout),
            },
            (Tag::Item, None) => Open::Item,
            (Tag::HtmlBlock, None) => {
                self.leaves.extend(html_cells(masked, range.clone()));
                Open::Leaf
            }
            _ => Open::Other,
        }
    }

    fn flush(&mut self) {
        if let Some(range) = self.item_run.take() {
            self.leaves.push(Block {
                kind: SegmentKind::ListItem,
                range,
                heading_id: None,
            });
        }
    }

    /// The spans, moved to file offsets (the body starts at `body_offset`); `comments` says
    /// whether the body has an HTML comment (the outline masked one).
    pub fn finish(mut self, body_offset: usize, comments: bool) -> SegmentSpans {
        self.flush();
        let shift = |r: &Range<usize>| body_offset + r.start..body_offset + r.end;
        let shift_all = |list: &[Range<usize>]| -> Vec<Range<usize>> {
            let mut moved: Vec<Range<usize>> = list.iter().map(shift).collect();
            moved.sort_by_key(|r| r.start);
            moved
        };
        let mut leaves: Vec<Leaf> = self
            .leaves
            .iter()
            .map(|block| Leaf::new(block, body_offset))
            .collect();
        leaves.sort_by_key(|l| l.range[0]);
        SegmentSpans {
            leaves,
            inline: Inline {
                code: shift_all(&self.inline.code),
                links: shift_all(&self.inline.links),
                dests: shift_all(&self.inline.dests),
                html: shift_all(&self.inline.html),
            },
            comments,
        }
    }
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
fn html_cells(masked: &str, range: Range<usize>) -> Vec<Block> {
    let block = &masked[range.clone()];
    let lower = block.to_ascii_lowercase();
    let mut cells: Vec<Block> = Vec::new();
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
        // The first tag that ends the cell: from `<` to `<`, not a search of the rest of the
        // block per tag and cell (quadratic in a large table).
        let ends = ["</td", "</th", "<td", "<th", "</tr", "</table"];
        let close = memchr::memchr_iter(b'<', &lower.as_bytes()[content..])
            .find(|&i| ends.iter().any(|e| lower[content + i..].starts_with(e)))
            .unwrap_or(lower.len() - content);
        let cell = &block[content..content + close];
        let lead = cell.len() - cell.trim_start().len();
        let trimmed = cell.trim();
        if !trimmed.is_empty() {
            let begin = range.start + content + lead;
            cells.push(Block {
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

    #[test]
    fn a_cell_ends_at_the_first_tag_that_ends_it() {
        let cells = |block: &str| -> Vec<String> {
            html_cells(block, 0..block.len())
                .iter()
                .map(|leaf| block[leaf.range.clone()].to_owned())
                .collect()
        };
        let cases: [(&str, &[&str]); 6] = [
            ("<table><tr><td>a</td><td>b</td></tr></table>", &["a", "b"]),
            ("<TABLE><TR><TH>a<TD>b<th>c</TR>", &["a", "b", "c"]),
            (
                "<table><tr><td>a <b>x</b> <tt>y</tt></tr></table>",
                &["a <b>x</b> <tt>y</tt>"],
            ),
            ("<table><tr><td>a</table>", &["a"]),
            ("<table><tr><td>open to the end", &["open to the end"]),
            ("<table><tr><tdx>no</tdx><td >yes</td>", &["yes"]),
        ];
        for (block, expected) in cases {
            assert_eq!(cells(block), expected, "{block}");
        }
    }
}
