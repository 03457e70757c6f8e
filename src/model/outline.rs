//! The structure of one article body, read in one pass of pulldown-cmark: headings, callouts and
//! other ExL blocks, code blocks, link and image targets, `[!DNL]` texts, snippet references, and
//! the spans the machine-translation scan needs. Every offset is a byte offset in the whole file.
//!
//! Text-level markers (`[!DNL ...]`, `+++`, `{{snippet}}`) are found in a copy of the body in
//! which code and HTML comments are blanked out, so offsets stay those of the file.

use foldhash::{HashMap, HashMapExt, HashSet};
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Parser, Tag, TagEnd};

use super::artifacts::{self, Artifact};
use crate::markdown::{self, callout, code, headings};

/// What the rules compare and check in one article.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outline {
    pub headings: Vec<Heading>,
    /// Callouts, tabs, shadeboxes and collapsibles, in order.
    pub blocks: Vec<Marker>,
    pub code_blocks: Vec<CodeBlock>,
    pub links: Vec<Link>,
    /// The text of every `[!DNL ...]`, trimmed.
    pub dnl: Vec<Marker>,
    /// `{{snippet-id}}` and `{{$include path}}` references: the text between the braces.
    pub snippets: Vec<Marker>,
    pub artifacts: Vec<Artifact>,
    /// File offsets of HTML comments `<!--` that are never closed.
    pub unclosed_comments: Vec<usize>,
    /// The blocks segment alignment cuts the body into ([`crate::align`]).
    pub segment_spans: super::spans::SegmentSpans,
}

impl Outline {
    /// The ids headings get on the page (explicit or slugs), for `#anchor` links.
    pub fn anchors(&self) -> impl Iterator<Item = &str> {
        self.headings.iter().map(|h| h.anchor.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    /// The `{#id}` as written.
    pub id: Option<String>,
    /// The id on the page: the explicit one or a slug of the text.
    pub anchor: String,
    pub offset: usize,
    pub len: usize,
}

/// Something found at a place: a block kind, a `[!DNL]` text, a snippet id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    pub text: String,
    pub offset: usize,
    pub len: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeBlock {
    pub lang: Option<String>,
    pub code: String,
    pub offset: usize,
    pub len: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub dest: String,
    pub image: bool,
    pub offset: usize,
    pub len: usize,
    /// The link text between the brackets, when written as `[text](...)` or `[text][ref]`.
    pub text: Option<Range<usize>>,
}

/// Inline spans the artifact scan looks at (body offsets).
#[derive(Debug, Default)]
pub struct Spans {
    /// `**bold**` and `*emphasis*`, whole.
    pub emphasis: Vec<Range<usize>>,
    pub strong: Vec<Range<usize>>,
    /// Text events that still contain `**`: bold markers the parser did not pair.
    pub stray_stars: Vec<usize>,
}

/// ExL blocks besides callouts that must follow the source.
const STRUCTURE_BLOCKS: &[&str] = &[
    "BEGINTABS",
    "TAB",
    "ENDTABS",
    "BEGINSHADEBOX",
    "ENDSHADEBOX",
];

/// Reads the body of `text` that starts at `body_offset`.
pub fn outline(text: &str, body_offset: usize) -> Outline {
    let body = text.get(body_offset..).unwrap_or_default();
    // Read as the page is rendered: comments that span lines masked at the same length.
    let (masked_comments, unclosed) = markdown::sanitize::mask_comments(body);
    let mut reader = EventReader::new(body, body_offset);
    reader.outline.unclosed_comments = unclosed.iter().map(|o| body_offset + o).collect();
    let mut segment_spans = super::spans::Collector::default();
    for (event, range) in Parser::new_ext(&masked_comments, markdown::options()).into_offset_iter()
    {
        segment_spans.event(&event, &range, &masked_comments);
        reader.event(event, range);
    }
    let mut outline = reader.finish(text);
    let comments = matches!(masked_comments, std::borrow::Cow::Owned(_));
    outline.segment_spans = segment_spans.finish(body_offset, comments);
    outline
}

/// The state of the one pass over a body's events: what is found so far, and the heading or code
/// block being read.
struct EventReader<'b> {
    body: &'b str,
    body_offset: usize,
    outline: Outline,
    spans: Spans,
    /// Code to blank out before the text scan.
    blank: Vec<Range<usize>>,
    /// Raw HTML, searched for links after the pass.
    html: Vec<Range<usize>>,
    code_block: Option<(Option<String>, String, Range<usize>)>,
    heading: Option<(u8, Option<String>, Range<usize>, String)>,
}

impl<'b> EventReader<'b> {
    fn new(body: &'b str, body_offset: usize) -> Self {
        Self {
            body,
            body_offset,
            outline: Outline::default(),
            spans: Spans::default(),
            blank: Vec::new(),
            html: Vec::new(),
            code_block: None,
            heading: None,
        }
    }

    /// A body range as a file offset and a length.
    fn at(&self, range: &Range<usize>) -> (usize, usize) {
        (self.body_offset + range.start, range.len())
    }

    fn event(&mut self, event: Event, range: Range<usize>) {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                self.heading = Some((
                    crate::markdown::headings::level_number(level),
                    id.map(|i| i.to_string()),
                    range,
                    String::new(),
                ));
            }
            Event::End(TagEnd::Heading(_)) => self.end_heading(),
            Event::Start(Tag::BlockQuote(_)) => self.block_quote(range),
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        code::language(&info).map(str::to_ascii_lowercase)
                    }
                    CodeBlockKind::Indented => None,
                };
                self.code_block = Some((lang, String::new(), range));
            }
            Event::End(TagEnd::CodeBlock) => self.end_code_block(),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => self.link(link_type, &dest_url, range),
            Event::Start(Tag::Image { dest_url, .. }) => {
                let (offset, len) = self.at(&range);
                self.outline.links.push(Link {
                    dest: dest_url.to_string(),
                    image: true,
                    offset,
                    len,
                    text: None,
                });
            }
            Event::Html(_) | Event::InlineHtml(_) => self.html.push(range),
            Event::Start(Tag::Strong) => self.spans.strong.push(range),
            Event::Start(Tag::Emphasis) => self.spans.emphasis.push(range),
            Event::Text(t) => self.text(&t, range),
            Event::Code(t) => {
                if let Some((_, _, _, plain)) = &mut self.heading {
                    plain.push_str(&t);
                }
                self.blank.push(range);
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((_, _, _, plain)) = &mut self.heading {
                    plain.push(' ');
                }
            }
            _ => {}
        }
    }

    fn end_heading(&mut self) {
        if let Some((level, id, range, plain)) = self.heading.take() {
            let (offset, len) = self.at(&range);
            self.outline.headings.push(Heading {
                level,
                anchor: id.clone().unwrap_or_else(|| plain_heading(&plain)),
                id,
                offset,
                len,
            });
        }
    }

    /// A blockquote that starts an ExL block (`> [!NOTE]`, `>[!TAB x]`...): its first line.
    fn block_quote(&mut self, range: Range<usize>) {
        if let Some(kind) = self.body.get(range.clone()).and_then(block_kind) {
            let (offset, len) = self.at(&range);
            let len = self.body[range].find('\n').unwrap_or(len);
            self.outline.blocks.push(Marker {
                text: kind,
                offset,
                len,
            });
        }
    }

    fn end_code_block(&mut self) {
        if let Some((lang, code, range)) = self.code_block.take() {
            let (offset, len) = self.at(&range);
            self.outline.code_blocks.push(CodeBlock {
                lang,
                code,
                offset,
                len,
            });
            self.blank.push(range);
        }
    }

    fn link(&mut self, link_type: LinkType, dest_url: &str, range: Range<usize>) {
        let text = match link_type {
            LinkType::Autolink | LinkType::Email => None,
            _ => link_text(self.body, &range)
                .map(|r| self.body_offset + r.start..self.body_offset + r.end),
        };
        let (offset, len) = self.at(&range);
        self.outline.links.push(Link {
            dest: dest_url.to_string(),
            image: false,
            offset,
            len,
            text,
        });
    }

    /// Text goes to the code block or heading being read; outside code, `**` left in a text is
    /// a bold marker the parser did not pair.
    fn text(&mut self, t: &str, range: Range<usize>) {
        if let Some((_, code, _)) = &mut self.code_block {
            code.push_str(t);
            return;
        }
        if let Some((_, _, _, plain)) = &mut self.heading {
            plain.push_str(t);
        }
        // Most text has no `*`: one byte search passes it over.
        if memchr::memchr(b'*', t.as_bytes()).is_some()
            && memchr::memmem::find(t.as_bytes(), b"**").is_some()
        {
            let within = memchr::memmem::find(self.body[range.clone()].as_bytes(), b"**");
            let within = within.unwrap_or(0);
            self.spans.stray_stars.push(range.start + within);
        }
    }

    /// After the pass: unique anchors, links in raw HTML, the text markers and the artifacts.
    fn finish(self, text: &str) -> Outline {
        let Self {
            body,
            body_offset,
            mut outline,
            spans,
            blank,
            html,
            ..
        } = self;
        unique_anchors(&mut outline.headings);
        let masked = mask(body, &blank);
        // Links in raw HTML (`<a href>`, `<img src>`), outside comments.
        for range in html {
            let Some(source) = masked.get(range.clone()) else {
                continue;
            };
            for (image, dest, value) in markdown::raw_html::link_attributes(source) {
                outline.links.push(Link {
                    dest,
                    image,
                    offset: body_offset + range.start + value.start,
                    len: value.len(),
                    text: None,
                });
            }
        }
        outline.links.sort_by_key(|l| l.offset);
        scan_text(&masked, body_offset, &mut outline);
        outline.blocks.sort_by_key(|b| b.offset);
        outline.artifacts = artifacts::scan(text, body_offset, &masked, &outline.links, &spans);
        outline
    }
}

/// The kind of ExL block a blockquote starts with: a callout kind, `TAB`, `BEGINSHADEBOX`...
fn block_kind(quote_source: &str) -> Option<String> {
    if let Some((name, _)) = callout::marker(quote_source) {
        let upper = name.to_ascii_uppercase();
        let known =
            callout::KINDS.contains(&upper.as_str()) || STRUCTURE_BLOCKS.contains(&upper.as_str());
        return known.then_some(upper);
    }
    // Markers with an argument: `>[!TAB Label]`, `>[!BEGINSHADEBOX "Title"]`.
    let start = quote_source.len() - quote_source.trim_start_matches([' ', '\t', '>']).len();
    let rest = quote_source[start..].strip_prefix("[!")?;
    let name_len = rest
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(rest.len());
    let after = &rest[name_len..];
    let upper = rest[..name_len].to_ascii_uppercase();
    let line = after.split('\n').next().unwrap_or_default();
    let argument_closed = after.starts_with([' ', '\t']) && line.trim_end().ends_with(']');
    (argument_closed && STRUCTURE_BLOCKS.contains(&upper.as_str())).then_some(upper)
}

/// The text span of `[text](...)` (body offsets), found by matching brackets.
fn link_text(body: &str, range: &Range<usize>) -> Option<Range<usize>> {
    let source = body.get(range.clone())?;
    if !source.starts_with('[') {
        return None;
    }
    let mut depth = 0usize;
    let mut escaped = false;
    for (i, c) in source.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '[' => depth += 1,
            ']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(range.start + 1..range.start + i);
                }
            }
            _ => {}
        }
    }
    None
}

/// The body with code and HTML comments blanked (newlines kept), so text scans skip them.
fn mask(body: &str, blank: &[Range<usize>]) -> String {
    let code_blanked = blanked(body, blank);
    if memchr::memmem::find(code_blanked.as_bytes(), b"<!--").is_none() {
        return code_blanked;
    }
    // Comments are looked for with the code already blanked: a `<!--` in code opens none.
    let bytes = code_blanked.as_bytes();
    let mut comments = Vec::new();
    let mut from = 0;
    while let Some(start) = find(bytes, b"<!--", from) {
        let end = find(bytes, b"-->", start + 4).map_or(bytes.len(), |e| e + 3);
        comments.push(start..end);
        from = end;
    }
    blanked(&code_blanked, &comments)
}

/// `text` with each of `ranges` (whole characters) blanked: every byte but a newline becomes
/// a space, so offsets stay those of `text`. Built piece by piece rather than by changing the
/// bytes of a copy, which would have to be checked for UTF-8 again (2% of a check's CPU).
fn blanked(text: &str, ranges: &[Range<usize>]) -> String {
    let mut sorted = ranges.to_vec();
    sorted.sort_unstable_by_key(|r| r.start);
    let whole_characters = sorted
        .iter()
        .all(|r| text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
    if !whole_characters {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for range in sorted {
        if range.end <= at {
            continue;
        }
        let start = range.start.max(at).min(range.end);
        out.push_str(&text[at..start]);
        let gap = &text.as_bytes()[start..range.end];
        out.extend(gap.iter().map(|&b| if b == b'\n' { '\n' } else { ' ' }));
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    memchr::memmem::find(haystack.get(from..)?, needle).map(|i| from + i)
}

/// The `+++` lines that open and close collapsibles, as block markers.
fn collapsible_markers(masked: &str, body_offset: usize, outline: &mut Outline) {
    let mut line_start = 0;
    for line in masked.split_inclusive('\n') {
        let content = line.trim_start_matches([' ', '\t', '>']).trim_end();
        if let Some(summary) = content.strip_prefix("+++") {
            let kind = if summary.trim().is_empty() {
                "+++ (end of collapsible)"
            } else {
                "+++ (collapsible)"
            };
            outline.blocks.push(Marker {
                text: kind.to_owned(),
                offset: body_offset
                    + line_start
                    + (line.len() - line.trim_start_matches([' ', '\t', '>']).len()),
                len: content.len(),
            });
        }
        line_start += line.len();
    }
}

/// Finds `[!DNL ...]`, `{{snippets}}` and collapsible `+++` lines in the masked body.
fn scan_text(masked: &str, body_offset: usize, outline: &mut Outline) {
    if memchr::memmem::find(masked.as_bytes(), b"+++").is_some() {
        collapsible_markers(masked, body_offset, outline);
    }
    for (start, inner) in bracketed(masked, "[!DNL") {
        outline.dnl.push(Marker {
            text: normalize_space(&masked[inner]),
            offset: body_offset + start.start,
            len: start.len(),
        });
    }
    let mut from = 0;
    while let Some(i) = memchr::memmem::find(&masked.as_bytes()[from..], b"{{") {
        let start = from + i;
        let Some(len) = masked[start..]
            .find("}}")
            .filter(|&l| !masked[start..start + l].contains('\n'))
        else {
            from = start + 2;
            continue;
        };
        from = start + len + 2;
        // Like the renderer, only a reference alone in its paragraph is a snippet; `{{1.date}}`
        // in Fusion prose is not.
        let line_start = masked[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = masked[from..].find('\n').map_or(masked.len(), |i| from + i);
        let alone = masked[line_start..start]
            .trim_start_matches([' ', '\t', '>'])
            .is_empty()
            && masked[from..line_end].trim().is_empty();
        if alone {
            outline.snippets.push(Marker {
                text: masked[start + 2..start + len].trim().to_owned(),
                offset: body_offset + start,
                len: len + 2,
            });
        }
    }
}

/// Every `opener ...]` in `text` (ASCII case-insensitive), with brackets matched so that
/// `[!UICONTROL Copy [!DNL Workfront] link]` nests: the whole span and the content's span.
/// An opener never closed in its paragraph has no content span.
pub fn bracketed(text: &str, opener: &str) -> Vec<(Range<usize>, Range<usize>)> {
    let mut pairs = None;
    let mut found = Vec::new();
    for start in find_ignore_ascii_case(text, opener) {
        let content_start = start + opener.len();
        // `[!DNLX` is not a marker.
        if text[content_start..].starts_with(|c: char| c.is_ascii_alphanumeric()) {
            continue;
        }
        // Most bodies have no marker at all: the pairs are found only for those that do.
        let pairs = pairs.get_or_insert_with(|| bracket_pairs(text));
        if let Some(&close) = pairs.get(&start) {
            found.push((start..close + 1, content_start..close));
        }
    }
    found
}

/// The offsets where `needle`, which starts with an ASCII character, occurs in `text`, compared
/// ASCII case-insensitively, without copying `text`.
pub fn find_ignore_ascii_case<'t>(
    text: &'t str,
    needle: &'t str,
) -> impl Iterator<Item = usize> + 't {
    let bytes = text.as_bytes();
    let wanted = needle.as_bytes();
    let first = wanted.first().copied().unwrap_or_default();
    let mut from = 0;
    std::iter::from_fn(move || {
        while from < bytes.len() {
            // The first byte is found with memchr's vector search (markers start with `[`).
            let rest = bytes.get(from..)?;
            let at = from
                + if first.is_ascii_alphabetic() {
                    memchr::memchr2(first.to_ascii_lowercase(), first.to_ascii_uppercase(), rest)?
                } else {
                    memchr::memchr(first, rest)?
                };
            from = at + 1;
            if bytes
                .get(at..at + wanted.len())
                .is_some_and(|found| found.eq_ignore_ascii_case(wanted))
            {
                from = at + wanted.len().max(1);
                return Some(at);
            }
        }
        None
    })
}

/// For each `[` of `text`, the offset of the `]` that closes it within its paragraph (as
/// [`closing_bracket`] finds it), in one pass: 40,000 unclosed markers take linear time.
/// A line of only whitespace (Unicode's, and `>` quote marks) ends a paragraph.
pub fn bracket_pairs(text: &str) -> foldhash::HashMap<usize, usize> {
    let mut pairs = foldhash::HashMap::default();
    let mut open = Vec::new();
    let mut previous_newline = false;
    let bytes = text.as_bytes();
    // Only brackets and line ends change anything: memchr's vector search goes from one to
    // the next, and what lies between is read only after a line end, up to its first mark.
    let mut from = 0;
    for i in memchr::memchr3_iter(b'[', b']', b'\n', bytes) {
        if previous_newline && !blank(&text[from..i]) {
            previous_newline = false;
        }
        match bytes[i] {
            b'[' => {
                open.push(i);
                previous_newline = false;
            }
            b']' => {
                if let Some(start) = open.pop() {
                    pairs.insert(start, i);
                }
                previous_newline = false;
            }
            _ => {
                if previous_newline {
                    open.clear();
                }
                previous_newline = true;
            }
        }
        from = i + 1;
    }
    pairs
}

/// Whether `text` (part of one line) is only white space and `>` quote marks.
fn blank(text: &str) -> bool {
    text.chars().all(|c| c == '>' || c.is_whitespace())
}

/// The offset of the `]` that closes a marker whose content starts `text`, within its paragraph.
pub fn closing_bracket(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut previous_newline = false;
    for (i, c) in text.char_indices() {
        match c {
            '[' => depth += 1,
            ']' if depth == 0 => return Some(i),
            ']' => depth -= 1,
            '\n' if previous_newline => return None,
            _ => {}
        }
        if c == '\n' {
            previous_newline = true;
        } else if !c.is_whitespace() && c != '>' {
            previous_newline = false;
        }
    }
    None
}

/// Whitespace and zero-width spaces trimmed and collapsed.
pub fn normalize_space(text: &str) -> String {
    let text = text
        .replace("&#x200B;", " ")
        .replace("&#x200b;", " ")
        .replace('\u{200B}', " ");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A heading's slug, as the page gets it: ExL markers dropped, then [`headings::slug`].
fn plain_heading(text: &str) -> String {
    let mut plain = text.to_owned();
    for marker in ["[!DNL", "[!UICONTROL"] {
        while let Some(start) = plain.find(marker) {
            let content = start + marker.len();
            match closing_bracket(&plain[content..]) {
                Some(close) => {
                    let inner = plain[content..content + close].trim().to_owned();
                    plain.replace_range(start..content + close + 1, &inner);
                }
                None => {
                    plain.replace_range(start..content, "");
                }
            }
        }
    }
    headings::slug(&plain)
}

/// Slugs that repeat get `-1`, `-2`; explicit ids are reserved first: the page's own rule
/// ([`headings::unique`]).
fn unique_anchors(list: &mut [Heading]) {
    let mut used: HashSet<String> = list.iter().filter_map(|h| h.id.clone()).collect();
    let mut next = HashMap::new();
    for heading in list.iter_mut().filter(|h| h.id.is_none()) {
        heading.anchor =
            headings::unique(std::mem::take(&mut heading.anchor), &mut used, &mut next);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bracket pairs as first written: every byte read in turn.
    fn bracket_pairs_by_bytes(text: &str) -> foldhash::HashMap<usize, usize> {
        let mut pairs = foldhash::HashMap::default();
        let mut open = Vec::new();
        let mut previous_newline = false;
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if !b.is_ascii() {
                let c = text[i..].chars().next().unwrap_or_default();
                if !c.is_whitespace() {
                    previous_newline = false;
                }
                i += c.len_utf8().max(1);
                continue;
            }
            match b {
                b'[' => open.push(i),
                b']' => {
                    if let Some(start) = open.pop() {
                        pairs.insert(start, i);
                    }
                }
                b'\n' if previous_newline => open.clear(),
                _ => {}
            }
            if b == b'\n' {
                previous_newline = true;
            } else if !matches!(b, b' ' | b'\t' | b'\x0B' | b'\x0C' | b'\r' | b'>') {
                previous_newline = false;
            }
            i += 1;
        }
        pairs
    }

    #[test]
    fn brackets_pair_within_paragraphs_as_a_byte_by_byte_reading_pairs_them() {
        // Every string of these pieces up to four long: brackets, line ends, blanks of both
        // kinds, quote marks, text.
        let pieces = [
            "[", "]", "\n", " ", ">", "\u{a0}", "\u{3000}", "é", "x", "\t",
        ];
        let mut texts = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = texts
                .iter()
                .flat_map(|t| pieces.iter().map(move |p| format!("{t}{p}")))
                .collect();
            texts.extend(longer);
        }
        texts.push("[!DNL a [b]\n> \n> c] [d\n\u{a0}\n]".to_owned());
        for text in &texts {
            assert_eq!(
                bracket_pairs(text),
                bracket_pairs_by_bytes(text),
                "{text:?}"
            );
        }
    }

    /// Masking as it was first written: blank the bytes of a copy, then check it is UTF-8.
    fn mask_by_bytes(body: &str, blank: &[Range<usize>]) -> String {
        let mut bytes = body.as_bytes().to_vec();
        let blank_range = |range: Range<usize>, bytes: &mut Vec<u8>| {
            for b in bytes.get_mut(range).into_iter().flatten() {
                if *b != b'\n' {
                    *b = b' ';
                }
            }
        };
        for range in blank {
            blank_range(range.clone(), &mut bytes);
        }
        let mut from = 0;
        while let Some(start) = find(&bytes, b"<!--", from) {
            let end = find(&bytes, b"-->", start + 4).map_or(bytes.len(), |e| e + 3);
            blank_range(start..end, &mut bytes);
            from = end;
        }
        String::from_utf8(bytes).unwrap_or_else(|_| body.to_owned())
    }

    #[test]
    fn masking_blanks_code_then_comments_and_keeps_every_offset() {
        let body = "één `<!-- x` ça\n```\nè -->\n```\nA <!-- b\nc --> d <!-- open\né\n";
        let at = |needle: &str| body.find(needle).unwrap_or_default();
        let code_span = at("`<!--")..at(" ça");
        let fence = at("```")..body.rfind("```").unwrap_or_default() + 3;
        let blanked_code = "één          ça\n   \n      \n   \nA       \n      d          \n  \n";
        type Case<'a> = (&'a str, Vec<Range<usize>>, Option<&'a str>);
        let cases: Vec<Case> = vec![
            (
                "no code: the comments, the first one opened in code",
                vec![],
                None,
            ),
            (
                "code, then the comments outside it: a `<!--` in code opens none",
                vec![code_span.clone(), fence.clone()],
                Some(blanked_code),
            ),
            (
                "ranges out of order, nested and overlapping",
                vec![
                    fence.clone(),
                    code_span.clone(),
                    code_span.start + 1..code_span.end,
                ],
                Some(blanked_code),
            ),
        ];
        for (what, blank, expected) in cases {
            let masked = mask(body, &blank);
            if let Some(expected) = expected {
                assert_eq!(masked, expected, "{what}");
            }
            assert_eq!(masked, mask_by_bytes(body, &blank), "{what}");
        }
        // Ranges that are not whole characters (the parser gives none) blank no code; the
        // comments are still blanked.
        for blank in [1..3, body.len() - 2..body.len() + 5] {
            assert_eq!(mask(body, &[blank]), mask(body, &[]));
        }
    }

    #[test]
    fn headings_keep_levels_ids_and_page_anchors() {
        let o = outline(
            "# [!DNL Workfront] Hulp\n\n## Stap {#stap}\n\n## Stap\n\n## Stap\n",
            0,
        );
        let found: Vec<(u8, Option<&str>, &str)> = o
            .headings
            .iter()
            .map(|h| (h.level, h.id.as_deref(), h.anchor.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (1, None, "workfront-hulp"),
                (2, Some("stap"), "stap"),
                (2, None, "stap-1"),
                (2, None, "stap-2")
            ]
        );
    }

    #[test]
    fn blocks_are_callouts_tabs_shadeboxes_and_collapsibles_in_order() {
        let body = "+++ Expand\n\ntext\n\n+++\n\n>[!NOTE]\n>\n>x\n\n1. step\n\n   > [!tip]\n   > y\n\n>[!BEGINTABS]\n\n>[!TAB Eén]\n\n>[!ENDTABS]\n\n>[!VIDEO](https://v.example/1)\n\n> plain\n\n```\n+++ not a block\n```\n\n<!--\n+++ commented\n-->\n";
        let kinds: Vec<String> = outline(body, 0)
            .blocks
            .into_iter()
            .map(|b| b.text)
            .collect();
        assert_eq!(
            kinds,
            [
                "+++ (collapsible)",
                "+++ (end of collapsible)",
                "NOTE",
                "TIP",
                "BEGINTABS",
                "TAB",
                "ENDTABS"
            ]
        );
    }

    #[test]
    fn code_links_dnl_and_snippets() {
        let text = "---\nt: x\n---\nSee [ the page ](a.md#b) and ![i](img.png) <https://x.example>.\n\n```JSON {line-numbers=\"true\"}\n{\"a\": 1}\n```\n\n[!UICONTROL Copy [!DNL Workfront] link] `[!DNL code]` {{not-alone}}\n\n{{snippet-id}}\n";
        let o = outline(text, 12);
        assert_eq!(o.code_blocks.len(), 1);
        assert_eq!(o.code_blocks[0].lang.as_deref(), Some("json"));
        assert_eq!(o.code_blocks[0].code, "{\"a\": 1}\n");
        let dests: Vec<&str> = o.links.iter().map(|l| l.dest.as_str()).collect();
        assert_eq!(dests, ["a.md#b", "img.png", "https://x.example"]);
        let text_span = o.links[0].text.clone().unwrap_or_default();
        assert_eq!(&text[text_span], " the page ");
        assert_eq!(o.links[0].offset, text.find("[ the").unwrap_or(0));
        let dnl: Vec<&str> = o.dnl.iter().map(|d| d.text.as_str()).collect();
        assert_eq!(dnl, ["Workfront"]);
        let snippets: Vec<&str> = o.snippets.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(snippets, ["snippet-id"]);
    }

    #[test]
    fn links_and_markers_in_raw_html() {
        let text = "<table>\n<tr><td>[!DNL Workfront] <a href=\"../x.md#a\">x</a> <!-- <a href=\"old.md\"> --></td>\n<td><img src=\"assets/i.png\"></td></tr>\n</table>\n\nText <a href='/help/y.md'>y</a>\n";
        let o = outline(text, 0);
        let links: Vec<(&str, bool, &str)> = o
            .links
            .iter()
            .map(|l| (l.dest.as_str(), l.image, &text[l.offset..l.offset + l.len]))
            .collect();
        assert_eq!(
            links,
            [
                ("../x.md#a", false, "../x.md#a"),
                ("assets/i.png", true, "assets/i.png"),
                ("/help/y.md", false, "/help/y.md")
            ]
        );
        let dnl: Vec<&str> = o.dnl.iter().map(|d| d.text.as_str()).collect();
        assert_eq!(dnl, ["Workfront"]);
    }

    #[test]
    fn bracketed_markers_nest_and_stop_at_paragraph_end() {
        let text = "[!UICONTROL Copy [!DNL Workfront] link] [!UICONTROL open\n\nnext] [!DNLX]";
        for sample in [text, "[a [!DNL x] b] [c\n\n] [d\n> [e] f]", "]] [[x]"] {
            let pairs = bracket_pairs(sample);
            for (i, _) in sample.match_indices('[') {
                assert_eq!(
                    pairs.get(&i).copied(),
                    closing_bracket(&sample[i + 1..]).map(|c| i + 1 + c),
                    "{sample} at {i}"
                );
            }
        }
        let found: Vec<&str> = bracketed(text, "[!UICONTROL")
            .into_iter()
            .map(|(_, inner)| &text[inner])
            .collect();
        assert_eq!(found, [" Copy [!DNL Workfront] link"]);
    }
}
