//! Raw HTML in articles is ExL too: access tables and release-note tables are written in HTML
//! with `[!UICONTROL ...]`, `[!DNL ...]` and `[!BADGE ...]{...}` in their cells and
//! `<a href="../x.md">` or `<img src="assets/x.png">` in their tags.
//!
//! The text between tags gets the same markers as markdown text; every `href` and `src` goes
//! through the page's link resolver like a markdown link. The consecutive HTML events of one
//! block are joined first, so a marker may span lines of the block.

use std::borrow::Cow;

use pulldown_cmark::{CowStr, Event};

use super::{RenderContext, Spanned};

pub fn transform(events: &mut Vec<Spanned<'_>>, ctx: &RenderContext<'_>) {
    join_blocks(events);
    for (event, _) in events.iter_mut() {
        if let Event::Html(html) | Event::InlineHtml(html) = event {
            if let Cow::Owned(changed) = rewrite(html, ctx.resolve_link) {
                *html = CowStr::from(changed);
            }
        }
    }
}

/// Joins runs of `Event::Html` (one per line of a block) into one event.
fn join_blocks(events: &mut Vec<Spanned<'_>>) {
    if !super::adjacent(events, |e| matches!(e, Event::Html(_))) {
        return;
    }
    let mut out: Vec<Spanned<'_>> = Vec::with_capacity(events.len());
    for (event, range) in std::mem::take(events) {
        if let (Event::Html(html), Some((Event::Html(prev), prev_range))) = (&event, out.last_mut())
        {
            let mut joined = prev.to_string();
            joined.push_str(html);
            *prev = CowStr::from(joined);
            prev_range.end = range.end;
            continue;
        }
        out.push((event, range));
    }
    *events = out;
}

/// `html` with ExL markers in its text and its link targets resolved; borrowed when nothing
/// changes.
pub fn rewrite<'h>(html: &'h str, resolve: &dyn Fn(&str) -> Option<String>) -> Cow<'h, str> {
    let has_markers = html.contains("[!");
    let has_links = contains_ignore_case(html, "href=") || contains_ignore_case(html, "src=");
    if !has_markers && !has_links {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len() + 64);
    // Open markers, with the plain `[` seen inside each.
    let mut open: Vec<u32> = Vec::new();
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        if c == '<' {
            let len = markup_len(rest);
            let markup = &rest[..len];
            if has_links && !markup.starts_with("<!") {
                out.push_str(&resolve_tag(markup, resolve));
            } else {
                out.push_str(markup);
            }
            rest = &rest[len..];
            continue;
        }
        if has_markers && c == '[' {
            if let Some((badge, len)) = super::inline::badge(rest) {
                out.push_str(&badge);
                rest = &rest[len..];
                continue;
            }
            if let Some((opener, len)) = super::inline::opener(rest) {
                out.push_str(opener);
                open.push(0);
                rest = rest[len..].trim_start();
                continue;
            }
        }
        match (c, open.last_mut()) {
            ('[', Some(brackets)) => {
                *brackets += 1;
                out.push(c);
            }
            (']', Some(brackets)) if *brackets > 0 => {
                *brackets -= 1;
                out.push(c);
            }
            (']', Some(_)) => {
                let trimmed = out.trim_end().len();
                out.truncate(trimmed);
                out.push_str("</span>");
                open.pop();
            }
            _ => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    for _ in open {
        out.push_str("</span>");
    }
    if out == html {
        Cow::Borrowed(html)
    } else {
        Cow::Owned(out)
    }
}

fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    haystack
        .as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// The length of the tag or comment at the start of `text` (which starts with `<`); 1 when
/// the `<` opens nothing (it is then text).
fn markup_len(text: &str) -> usize {
    if let Some(after) = text.strip_prefix("<!--") {
        return after.find("-->").map_or(text.len(), |end| 4 + end + 3);
    }
    let opens_tag = text[1..]
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!' || c == '?');
    if !opens_tag {
        return 1;
    }
    let mut quote: Option<u8> = None;
    for (i, b) in text.bytes().enumerate().skip(1) {
        match (quote, b) {
            (Some(q), b) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return i + 1,
            (None, b'<') => return i,
            _ => {}
        }
    }
    text.len()
}

/// One attribute of a tag: where its value is in the tag, and whether it was quoted.
#[derive(Debug, PartialEq, Eq)]
pub struct Attribute<'t> {
    pub name: &'t str,
    pub value: &'t str,
    /// Byte range of the value inside the tag (without quotes).
    pub value_range: std::ops::Range<usize>,
}

/// The attributes of a start tag (`<a href="x" target=_blank>`), in order.
pub fn attributes(tag: &str) -> Vec<Attribute<'_>> {
    let mut attrs = Vec::new();
    let bytes = tag.as_bytes();
    // Skip `<` and the tag name.
    let mut i = 1;
    while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
        i += 1;
    }
    loop {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        if i >= bytes.len() || bytes[i] == b'>' {
            break;
        }
        let name_start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !b"=>/".contains(&bytes[i]) {
            i += 1;
        }
        let name = &tag[name_start..i];
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if bytes.get(i) != Some(&b'=') {
            attrs.push(Attribute {
                name,
                value: "",
                value_range: i..i,
            });
            continue;
        }
        i += 1;
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let (start, end) = match bytes.get(i) {
            Some(&q @ (b'"' | b'\'')) => {
                let start = i + 1;
                let end = tag[start..]
                    .find(q as char)
                    .map_or(tag.len(), |e| start + e);
                i = (end + 1).min(tag.len());
                (start, end)
            }
            _ => {
                let start = i;
                while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                    i += 1;
                }
                (start, i)
            }
        };
        attrs.push(Attribute {
            name,
            value: &tag[start..end],
            value_range: start..end,
        });
    }
    attrs
}

/// The URL an `href` or `src` value stands for: the few entities that occur in URLs decoded.
pub fn decode_url(value: &str) -> String {
    value
        .trim()
        .replace("&amp;", "&")
        .replace("&#38;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

/// Every `href` and `src` in the tags of `html` (comments skipped): whether it is a `src`, the
/// URL, and the byte range of the value in `html`.
pub fn link_attributes(html: &str) -> Vec<(bool, String, std::ops::Range<usize>)> {
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(i) = html[at..].find('<') {
        let start = at + i;
        let len = markup_len(&html[start..]);
        let tag = &html[start..start + len];
        if !tag.starts_with("<!") && !tag.starts_with("</") && len > 1 {
            for attr in attributes(tag) {
                let is_src = attr.name.eq_ignore_ascii_case("src");
                if is_src || attr.name.eq_ignore_ascii_case("href") {
                    let range = start + attr.value_range.start..start + attr.value_range.end;
                    found.push((is_src, decode_url(attr.value), range));
                }
            }
        }
        at = start + len.max(1);
    }
    found
}

/// `tag` with its `href` and `src` values passed through `resolve`.
fn resolve_tag<'t>(tag: &'t str, resolve: &dyn Fn(&str) -> Option<String>) -> Cow<'t, str> {
    if tag.starts_with("</") {
        return Cow::Borrowed(tag);
    }
    let mut out = String::new();
    let mut copied = 0;
    for attr in attributes(tag) {
        if !(attr.name.eq_ignore_ascii_case("href") || attr.name.eq_ignore_ascii_case("src")) {
            continue;
        }
        let Some(resolved) = resolve(&decode_url(attr.value)) else {
            continue;
        };
        let quoted = tag[..attr.value_range.start].ends_with(['"', '\'']);
        out.push_str(&tag[copied..attr.value_range.start]);
        let escaped = super::escape::html_escape(&resolved);
        if quoted {
            out.push_str(&escaped);
        } else {
            out.push('"');
            out.push_str(&escaped);
            out.push('"');
        }
        copied = attr.value_range.end;
    }
    if copied == 0 {
        return Cow::Borrowed(tag);
    }
    out.push_str(&tag[copied..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::test_support::{render_str, resolve};

    #[test]
    fn attributes_of_a_tag() {
        let attrs = attributes("<a href=\"../x.md#a\" target=_blank data-x='y z' hidden>");
        let pairs: Vec<(&str, &str)> = attrs.iter().map(|a| (a.name, a.value)).collect();
        assert_eq!(
            pairs,
            [
                ("href", "../x.md#a"),
                ("target", "_blank"),
                ("data-x", "y z"),
                ("hidden", "")
            ]
        );
    }

    #[test]
    fn markers_and_links_in_a_block() {
        let html = rewrite(
            "<td>[!UICONTROL Copy [!DNL Workfront] link] <a href=\"other.md\">x</a> <img src=assets/i.png></td>",
            &resolve,
        );
        assert_eq!(
            html,
            "<td><span class=\"uicontrol\">Copy <span translate=\"no\">Workfront</span> link</span> <a href=\"../other/\">x</a> <img src=assets/i.png></td>"
        );
    }

    #[test]
    fn comments_and_plain_brackets_stay() {
        let text = "<td>a [b] <!-- [!DNL x] --> 1 < 2</td>";
        assert!(matches!(rewrite(text, &resolve), Cow::Borrowed(_)));
    }

    #[test]
    fn in_a_rendered_page() {
        let html = render_str(
            "<table>\n<tr><td>[!UICONTROL Plan]</td>\n<td>[!BADGE Beta]{type=Informative}</td></tr>\n</table>\n\nSee <a href=\"x.md\">[!DNL X]</a>.\n",
        )
        .html;
        assert!(
            html.contains("<td><span class=\"uicontrol\">Plan</span></td>"),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"badge\" data-type=\"informative\">Beta</span>"),
            "{html}"
        );
        assert!(
            html.contains("<a href=\"../x/\"><span translate=\"no\">X</span></a>"),
            "{html}"
        );
    }
}
