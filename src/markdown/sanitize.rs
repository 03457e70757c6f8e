//! Raw HTML in articles: comments are dropped; everything else is kept but sanitized with
//! ammonia (no scripts, no event handlers, no `javascript:` URLs).
//!
//! Sanitizing needs more than one event (an HTML table often spans several markdown blocks),
//! so it runs on rendered HTML: the run of blocks from the first with raw HTML to the last
//! ([`raw_html`]), or the whole body when the run cannot be cut off. Bodies without raw HTML
//! besides comments and bare line breaks are not sanitized.

use std::borrow::Cow;
use std::collections::HashSet;
use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::Event;

use super::Spanned;

/// The searcher for `<!--`, built once: it runs on every line of a body with a comment.
static COMMENT: LazyLock<memchr::memmem::Finder<'static>> =
    LazyLock::new(|| memchr::memmem::Finder::new("<!--"));

/// The body with every HTML comment that spans lines made safe for the markdown parser, at
/// the same length (so every offset still points at the file), and the offsets of comments
/// that are never closed.
///
/// A comment inside an HTML block or a paragraph ends the block at its first blank line in
/// CommonMark, so the rest of the comment became text and an unclosed `<!--` swallowed the rest
/// of the page. Here each line inside a comment keeps its indentation and gets a dot, so no
/// line of it is blank or starts a block; the comment is dropped later as a whole. A comment
/// never closed is treated as ending with its line. Code (fences, backtick spans) is left alone.
pub fn mask_comments(body: &str) -> (Cow<'_, str>, Vec<usize>) {
    let mut unclosed = Vec::new();
    if memchr::memmem::find(body.as_bytes(), b"<!--").is_none() {
        return (Cow::Borrowed(body), unclosed);
    }
    let mut bytes = body.as_bytes().to_vec();
    let mut fence: Option<(u8, usize)> = None;
    let mut line_start = 0;
    while line_start < body.len() {
        let line_end = memchr::memchr(b'\n', &body.as_bytes()[line_start..])
            .map_or(body.len(), |i| line_start + i);
        let line = &body[line_start..line_end];
        let inner = line.trim_start_matches([' ', '\t', '>']);
        let marker = inner.as_bytes().first().copied();
        let run = inner
            .bytes()
            .take_while(|&b| Some(b) == marker && (b == b'`' || b == b'~'))
            .count();
        match fence {
            Some((c, len)) if marker == Some(c) && run >= len => {
                fence = None;
                line_start = line_end + 1;
                continue;
            }
            Some(_) => {
                line_start = line_end + 1;
                continue;
            }
            None if run >= 3 => {
                fence = marker.map(|c| (c, run));
                line_start = line_end + 1;
                continue;
            }
            None => {}
        }
        let Some(open) = comment_start(line) else {
            line_start = line_end + 1;
            continue;
        };
        let start = line_start + open;
        match body[start + 4..].find("-->") {
            Some(len) => {
                let end = start + 4 + len;
                if body[start..end].contains('\n') {
                    fill_comment(&mut bytes, start + 4..end, &indent_of(line));
                }
                // Go on after the comment, on the line it ends on.
                line_start = end + 3;
                if let Some(rest_end) = body[line_start..].find('\n') {
                    let rest = &body[line_start..line_start + rest_end];
                    if comment_start(rest).is_none() {
                        line_start += rest_end + 1;
                    }
                }
            }
            None => {
                unclosed.push(start);
                // Ends with its line: `<!-- text` becomes `<!-- t-->`, or blank when too short.
                if line_end - (start + 4) >= 3 {
                    for b in &mut bytes[start + 4..line_end - 3] {
                        *b = b'.';
                    }
                    bytes[line_end - 3..line_end].copy_from_slice(b"-->");
                } else {
                    for b in &mut bytes[start..line_end] {
                        *b = b' ';
                    }
                }
                line_start = line_end + 1;
            }
        }
    }
    // Only ASCII replaced whole characters: the text is still UTF-8.
    let text = String::from_utf8(bytes).map_or(Cow::Borrowed(body), Cow::Owned);
    (text, unclosed)
}

/// Where a comment opens in `line`, outside backtick code spans.
fn comment_start(line: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = COMMENT.find(&line.as_bytes()[from..]) {
        let at = from + i;
        if line[..at].matches('`').count().is_multiple_of(2) {
            return Some(at);
        }
        from = at + 4;
    }
    None
}

/// The indentation that keeps a line inside the same container as `line`: its leading spaces
/// and `>` markers, with a list marker turned into spaces.
fn indent_of(line: &str) -> Vec<u8> {
    let lead = line.len() - line.trim_start_matches([' ', '\t', '>']).len();
    let mut indent: Vec<u8> = line.as_bytes()[..lead].to_vec();
    let rest = &line[lead..];
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let marker = if rest.starts_with(['-', '*', '+']) {
        1
    } else if digits > 0 && rest[digits..].starts_with(['.', ')']) {
        digits + 1
    } else {
        0
    };
    if marker > 0 && rest[marker..].starts_with(' ') {
        indent.extend(std::iter::repeat_n(b' ', marker + 1));
    }
    indent
}

/// Rewrites the inside of a comment (`range`, between `<!--` and `-->`) at the same length:
/// each inner line becomes `indent` and a dot, the spare bytes dots on the first line.
fn fill_comment(bytes: &mut [u8], range: std::ops::Range<usize>, indent: &[u8]) {
    let inner = &bytes[range.clone()];
    let lines = inner.iter().filter(|&&b| b == b'\n').count();
    let middle = lines.saturating_sub(1);
    let total = inner.len() - lines;
    let mut per_line = indent.to_vec();
    per_line.push(b'.');
    if total < middle * per_line.len() {
        per_line = vec![b'.'];
    }
    let mut filled = Vec::with_capacity(inner.len());
    let spare = total.saturating_sub(middle * per_line.len());
    filled.extend(std::iter::repeat_n(b'.', spare));
    for i in 0..lines {
        filled.push(b'\n');
        if i + 1 < lines {
            // A middle line; when there are not enough bytes, the last lines stay blank.
            let room = inner.len() - filled.len() - (lines - 1 - i);
            filled.extend_from_slice(&per_line[..per_line.len().min(room)]);
        }
    }
    // The last line (before `-->`) keeps what is left, as indentation: `-->` stays in place.
    filled.resize(inner.len(), b' ');
    bytes[range].copy_from_slice(&filled);
}

/// Drops raw HTML that is only comments. Returns the source ranges of the raw HTML left that
/// needs sanitizing. An inline line break (`<br>`, `<br/>`, `<br />`), the only raw HTML of
/// many pages (245 of the 3,830 pages of the Adobe Analytics docs, in table cells), is
/// written as it is: ammonia took 15% of a build of those docs, re-reading pages as HTML.
pub fn drop_comments(events: &mut Vec<Spanned<'_>>) -> Vec<Range<usize>> {
    let mut raw = Vec::new();
    // Most pages have no HTML: their events are not copied into a new list.
    let html = |(event, _): &Spanned<'_>| matches!(event, Event::Html(_) | Event::InlineHtml(_));
    if !events.iter().any(html) {
        return raw;
    }
    let mut out = Vec::with_capacity(events.len());
    let mut block: Vec<Spanned<'_>> = Vec::new();
    for (event, range) in std::mem::take(events) {
        if let Event::Html(_) = event {
            block.push((event, range));
            continue;
        }
        raw.extend(flush_block(&mut block, &mut out));
        match event {
            Event::InlineHtml(ref html) if only_comments(html) => {}
            Event::InlineHtml(ref html) => {
                if !is_line_break(html) {
                    raw.push(range.clone());
                }
                out.push((event, range));
            }
            _ => out.push((event, range)),
        }
    }
    raw.extend(flush_block(&mut block, &mut out));
    *events = out;
    raw
}

/// Moves an HTML block to `out` unless it is only comments; returns its source range if it
/// was kept.
fn flush_block<'a>(
    block: &mut Vec<Spanned<'a>>,
    out: &mut Vec<Spanned<'a>>,
) -> Option<Range<usize>> {
    let (first, last) = (block.first()?.1.start, block.last()?.1.end);
    let text: String = block
        .iter()
        .map(|(e, _)| match e {
            Event::Html(h) => h.as_ref(),
            _ => "",
        })
        .collect();
    if only_comments(&text) {
        block.clear();
        None
    } else {
        out.append(block);
        Some(first..last)
    }
}

/// Which of a page's final events to sanitize.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawHtml {
    None,
    /// The events from where the page's first raw HTML can be cut off from what is before it,
    /// to where its last can be cut off from what follows: the rest, tolk's own markup, is
    /// written as it is (an HTML table often spans several markdown blocks, and the run keeps
    /// it whole).
    Run(Range<usize>),
    /// The whole page: it has footnotes (numbered across the page by the HTML writer), or its
    /// raw HTML cannot be cut off.
    Whole,
}

/// The [`RawHtml`] of `events`, given the source ranges of the raw HTML [`drop_comments`] kept.
///
/// A cut is made only between two events where no markdown block and none of tolk's own HTML
/// elements is open. Tolk writes some elements in pieces (a collapsible's `<details>` before
/// its body and `</details>` after it): the opening and closing tags of its HTML events are
/// counted. Its own HTML escapes every `<` that is not a tag, so the count is exact; raw HTML
/// is not counted, it is sanitized whole.
pub fn raw_html(events: &[Spanned<'_>], raw: &[Range<usize>]) -> RawHtml {
    if raw.is_empty() {
        return RawHtml::None;
    }
    let footnotes = events.iter().any(|(e, _)| {
        matches!(
            e,
            Event::FootnoteReference(_) | Event::Start(pulldown_cmark::Tag::FootnoteDefinition(_))
        )
    });
    if footnotes {
        return RawHtml::Whole;
    }
    let overlaps = |a: &Range<usize>, b: &Range<usize>| {
        (a.start < b.end && b.start < a.end) || (b.is_empty() && a.contains(&b.start))
    };
    let mut found = vec![false; raw.len()];
    // Whether a cut may be made before each event (and after the last).
    let mut cut = Vec::with_capacity(events.len() + 1);
    let (mut blocks, mut elements) = (0usize, 0isize);
    let (mut first, mut last) = (None, None);
    for (i, (event, range)) in events.iter().enumerate() {
        cut.push(blocks == 0 && elements == 0);
        match event {
            Event::Start(_) => blocks += 1,
            Event::End(_) => blocks = blocks.saturating_sub(1),
            Event::Html(html) | Event::InlineHtml(html) => {
                let mut is_raw = false;
                for (seen, r) in found.iter_mut().zip(raw) {
                    if overlaps(range, r) {
                        *seen = true;
                        is_raw = true;
                    }
                }
                if is_raw {
                    first.get_or_insert(i);
                    last = Some(i);
                } else {
                    elements += open_elements(html);
                }
            }
            _ => {}
        }
    }
    cut.push(blocks == 0 && elements == 0);
    let (Some(first), Some(last)) = (first, last) else {
        return RawHtml::Whole;
    };
    if !found.iter().all(|&f| f) {
        return RawHtml::Whole;
    }
    let start = (0..=first).rev().find(|&i| cut[i]);
    let end = (last + 1..cut.len()).find(|&i| cut[i]);
    match (start, end) {
        (Some(start), Some(end)) => RawHtml::Run(start..end),
        _ => RawHtml::Whole,
    }
}

/// Elements `html` opens less those it closes, in tolk's own markup: `<name` that is not a
/// void element or written `/>`, against `</name`.
fn open_elements(html: &str) -> isize {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr",
    ];
    let mut open = 0isize;
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        if let Some(name) = tag.strip_prefix('/') {
            if name.starts_with(|c: char| c.is_ascii_alphabetic()) {
                open -= 1;
            }
        } else if tag.starts_with(|c: char| c.is_ascii_alphabetic()) {
            let length = tag.bytes().take_while(u8::is_ascii_alphanumeric).count();
            let void = VOID.iter().any(|v| v.eq_ignore_ascii_case(&tag[..length]));
            if !void && !tag.ends_with('/') {
                open += 1;
            }
        }
        rest = &rest[end..];
    }
    open
}

/// Whether `html` is exactly a line break tag, without attributes: `<br>`, `<br/>`, `<br />`,
/// in any case. Such a tag is safe as it is.
fn is_line_break(html: &str) -> bool {
    let Some(rest) = html.strip_prefix('<') else {
        return false;
    };
    let Some(rest) = rest
        .get(..2)
        .filter(|b| b.eq_ignore_ascii_case("br"))
        .map(|_| &rest[2..])
    else {
        return false;
    };
    let rest = rest.trim_start_matches([' ', '\t']);
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    rest == ">"
}

fn only_comments(html: &str) -> bool {
    let mut rest = html.trim();
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        let Some(after) = rest.strip_prefix("<!--") else {
            return false;
        };
        let Some(end) = after.find("-->") else {
            return false;
        };
        rest = after[end + 3..].trim_start();
    }
    true
}

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .add_tags([
            "iframe",
            "button",
            "section",
            "figure",
            "figcaption",
            "details",
            "summary",
            "mark",
        ])
        .add_generic_attributes([
            "class",
            "id",
            "role",
            "title",
            "lang",
            "translate",
            "hidden",
            "tabindex",
            "dir",
        ])
        .add_generic_attribute_prefixes(["data-", "aria-"])
        .add_tag_attributes("a", ["target", "rel", "hreflang"])
        .add_tag_attributes("img", ["loading", "width", "height"])
        .add_tag_attributes(
            "iframe",
            [
                "src",
                "title",
                "loading",
                "allow",
                "allowfullscreen",
                "width",
                "height",
            ],
        )
        .add_generic_attributes(["style"])
        .attribute_filter(|_, attribute, value| match attribute {
            "style" => safe_style(value).map(Cow::Owned),
            _ => Some(Cow::Borrowed(value)),
        })
        .add_tag_attributes("table", ["width"])
        .add_tag_attributes("td", ["width", "height"])
        .add_tag_attributes("th", ["width", "height"])
        .add_tag_attributes("col", ["width"])
        .add_tag_attributes("button", ["type"])
        .add_tag_attributes("details", ["open"])
        .add_tag_attributes("ol", ["start"])
        .link_rel(None)
        .url_schemes(HashSet::from(["http", "https", "mailto", "tel"]));
    builder
});

/// The CSS properties an article may set in `style`: layout and emphasis, nothing that loads,
/// positions over the page or runs.
pub const SAFE_CSS: &[&str] = &[
    "width",
    "height",
    "min-width",
    "max-width",
    "min-height",
    "max-height",
    "table-layout",
    "text-align",
    "vertical-align",
    "color",
    "background-color",
    "font-weight",
    "font-style",
    "border",
    "border-top",
    "border-right",
    "border-bottom",
    "border-left",
    "border-color",
    "border-style",
    "border-width",
    "border-collapse",
    "padding",
    "padding-top",
    "padding-right",
    "padding-bottom",
    "padding-left",
    "margin",
    "margin-top",
    "margin-right",
    "margin-bottom",
    "margin-left",
    "white-space",
];

/// `style` with only the declarations of [`SAFE_CSS`] whose values load and run nothing;
/// `None` when none is left.
pub fn safe_style(style: &str) -> Option<String> {
    let mut kept = Vec::new();
    for declaration in style.split(';') {
        let Some((property, value)) = declaration.split_once(':') else {
            continue;
        };
        let property = property.trim().to_ascii_lowercase();
        let value = value.trim();
        let lower = value.to_ascii_lowercase();
        let harmful = [
            "url(",
            "expression(",
            "javascript:",
            "\\",
            "<",
            ">",
            "\"",
            "@",
            "/*",
        ]
        .iter()
        .any(|bad| lower.contains(bad));
        if SAFE_CSS.contains(&property.as_str()) && !value.is_empty() && !harmful {
            kept.push(format!("{property}: {value}"));
        }
    }
    (!kept.is_empty()).then(|| kept.join("; "))
}

/// Removes scripts, event handlers and dangerous URLs from rendered HTML.
pub fn clean(html: &str) -> String {
    CLEANER.clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use crate::markdown::test_support::render_str;

    #[test]
    fn comments_are_not_rendered() {
        let html =
            render_str("A\n\n<!--\n>[!NOTE]\n>\n>old text\n-->\n\nB <!-- inline --> C\n").html;
        assert_eq!(html, "<p>A</p>\n<p>B  C</p>\n");
    }

    #[test]
    fn comments_spanning_blank_lines_end_at_their_close() {
        let md = "<table><tr><td>A <!-- old\n\n## Gone\n\n> [!NOTE]\n-->B</td></tr>\n</table>\n\n## Kept\n\nText\n";
        let (masked, unclosed) = super::mask_comments(md);
        assert_eq!(masked.len(), md.len());
        assert!(unclosed.is_empty());
        assert!(!masked.contains("\n\n## Gone"), "{masked}");
        let r = render_str(md);
        assert!(r.html.contains("<td>A B</td>"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"kept\">Kept"), "{}", r.html);
        assert!(r.html.contains("<p>Text</p>"), "{}", r.html);
        assert!(
            !r.html.contains("Gone") && !r.html.contains("NOTE"),
            "{}",
            r.html
        );
    }

    #[test]
    fn unclosed_comment_ends_with_its_line_and_warns() {
        let r = render_str("Intro\n\n<!-- never closed\n\n## Next\n\nText\n");
        assert!(r.html.contains("<h2 id=\"next\">Next"), "{}", r.html);
        assert!(!r.html.contains("never"), "{}", r.html);
        let warnings: Vec<String> = r.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            warnings,
            ["t.md:3:1: an HTML comment `<!--` is never closed; it is read as ending with its line: add `-->` where it should end"]
        );
    }

    #[test]
    fn comments_in_code_and_list_items() {
        let md = "```\n<!--\n\nx\n```\n\n1. Step <!-- a\n\n   b -->\n\n   More\n\n`<!--` code\n";
        let r = render_str(md);
        assert!(
            r.html.contains("<!--\n\nx\n</code>") || r.html.contains("&lt;!--\n\nx"),
            "{}",
            r.html
        );
        assert!(r.html.contains("More"), "{}", r.html);
        assert!(r.html.contains("<code>&lt;!--</code> code"), "{}", r.html);
        assert!(r.warnings.is_empty());
    }

    #[test]
    fn raw_html_is_kept_but_sanitized() {
        let html = render_str(
            "<table onclick=\"steal()\"><tr><td><a href=\"javascript:alert(1)\">x</a></td></tr></table>\n\n<script>alert(1)</script>\n\n<span class=\"preview\">Preview</span> text\n",
        )
        .html;
        assert!(
            html.contains("<table><tbody><tr><td><a>x</a></td></tr></tbody></table>"),
            "{html}"
        );
        assert!(
            !html.contains("script") && !html.contains("onclick") && !html.contains("javascript"),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"preview\">Preview</span>"),
            "{html}"
        );
    }

    #[test]
    fn a_page_whose_only_raw_html_is_line_breaks_is_not_parsed_again() {
        // Written as they are; the soft break made a hard one keeps pulldown-cmark's `<br />`,
        // which ammonia would have written `<br>`.
        let html = render_str(
            "| A | B |\n| --- | --- |\n| one<br>two | three<BR/>four<br />five |\n\nSix\nseven\n",
        )
        .html;
        assert!(html.contains("one<br>two"), "{html}");
        assert!(html.contains("three<BR/>four<br />five"), "{html}");
        assert!(html.contains("Six<br />\nseven"), "{html}");
        // A line break with anything more is sanitized, with its block.
        let html = render_str("one<br onclick=\"steal()\">two\n\nSix\nseven\n").html;
        assert!(
            !html.contains("onclick") && html.contains("one<br>two"),
            "{html}"
        );
        assert!(html.contains("Six<br />\nseven"), "{html}");
    }

    #[test]
    fn only_the_blocks_around_raw_html_are_sanitized() {
        // The paragraphs before and after keep tolk's own `<br />`; ammonia writes `<br>`.
        let html = render_str(
            "Before\nline\n\n<span class=\"x\" onclick=\"steal()\">raw</span>\nend\n\nAfter\nline\n",
        )
        .html;
        assert!(html.contains("Before<br />\nline"), "{html}");
        assert!(html.contains("After<br />\nline"), "{html}");
        assert!(html.contains("<span class=\"x\">raw</span><br>"), "{html}");
        assert!(!html.contains("onclick"), "{html}");
        // A table spread over blocks is sanitized whole, with the markdown between its tags.
        let html = render_str(
            "<table><tr><td onclick=\"x()\">\n\nIn **cell**\n\n</td></tr></table>\n\nAfter\nline\n",
        )
        .html;
        assert!(
            html.contains("<td>\n<p>In <strong>cell</strong></p>\n</td>"),
            "{html}"
        );
        assert!(
            html.contains("After<br />\nline") && !html.contains("onclick"),
            "{html}"
        );
    }

    #[test]
    fn raw_html_in_pieces_of_tolk_markup_is_cut_where_they_close() {
        // Each collapsible is written in three pieces: `<details ...><div ...>`, its body and
        // `</div></details>`. Raw HTML in two of them is sanitized with both whole.
        let html =
            render_str("+++ A\n\n<b>x</b>\n\n+++\n\n+++ B\n\n<i>y</i>\n\n+++\n\nAfter\nline\n")
                .html;
        let tags: Vec<&str> = html
            .match_indices("details")
            .map(|(at, _)| {
                if html[..at].ends_with("</") {
                    "close"
                } else {
                    "open"
                }
            })
            .collect();
        assert_eq!(tags, ["open", "close", "open", "close"], "{html}");
        assert!(html.contains("After<br />\nline"), "{html}");
        // With footnotes (numbered across the page), the whole page is sanitized.
        let html = render_str("Before\nline[^1]\n\n<b>x</b>\n\n[^1]: Note.\n").html;
        assert!(html.contains("Before<br>"), "{html}");
    }

    #[test]
    fn elements_are_counted_open_less_closed() {
        use super::open_elements;
        let cases = [
            (
                "<details class=\"c\"><summary>x</summary><div class=\"b\">",
                2,
            ),
            ("</div></details>", -2),
            ("<img src=\"a\"> <br/> <span>x</span> <hr />", 0),
            ("<div/>", 0),
            ("a &lt;b&gt; c", 0),
            (
                "<pre><code class=\"language-x\"><span class=\"s\">1 &lt; 2</span>",
                2,
            ),
        ];
        for (html, open) in cases {
            assert_eq!(open_elements(html), open, "{html}");
        }
    }

    #[test]
    fn only_bare_line_break_tags_are_line_breaks() {
        use super::is_line_break;
        for yes in ["<br>", "<br/>", "<br />", "<BR>", "<Br  />", "<br\t>"] {
            assert!(is_line_break(yes), "{yes}");
        }
        for no in [
            "<br onclick=\"x\">",
            "<br/ >",
            "<brx>",
            "<b>",
            "<br",
            "br>",
            "<br>x",
            " <br>",
            "<é>",
            "<",
        ] {
            assert!(!is_line_break(no), "{no}");
        }
    }

    #[test]
    fn styles_keep_the_safe_list_only() {
        use super::safe_style;
        assert_eq!(
            safe_style("table-layout:auto; WIDTH: 40%;position:fixed;color:#c00"),
            Some("table-layout: auto; width: 40%; color: #c00".to_owned())
        );
        for bad in [
            "background-color: url(https://x.example/t.png)",
            "width: expression(alert(1))",
            "color: javascript:alert(1)",
            "position: absolute; top: 0",
            "color: \\75rl(x)",
        ] {
            assert_eq!(safe_style(bad), None, "{bad}");
        }
        let html = render_str(
            "<table style=\"table-layout:auto;position:fixed\"><tr><td style=\"background-color: #E5E4E2;\" width=\"200\">x</td><td style=\"background:url(x)\">y</td></tr></table>\n",
        )
        .html;
        assert!(
            html.contains("<table style=\"table-layout: auto\"><tbody><tr><td style=\"background-color: #E5E4E2\" width=\"200\">x</td><td>y</td>"),
            "{html}"
        );
    }

    #[test]
    fn our_own_markup_survives_sanitizing() {
        let html = render_str("<b>raw</b>\n\n>[!NOTE]\n>\n>x\n\n```json\n{}\n```\n").html;
        assert!(
            html.contains("data-callout=\"note\" role=\"note\""),
            "{html}"
        );
        assert!(html.contains("data-lang=\"json\""), "{html}");
        assert!(
            html.contains("<button type=\"button\" class=\"code-copy\""),
            "{html}"
        );
    }
}
