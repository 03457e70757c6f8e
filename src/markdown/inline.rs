//! Inline ExL markers: `[!DNL text]` (never translated) and `[!UICONTROL text]` (a UI label).
//!
//! They nest (`[!UICONTROL Copy [!DNL Workfront] link]`) and sit inside bold, links and
//! headings, so a regex will not do: we scan text with a stack. pulldown-cmark splits
//! `[!DNL x]` into several text events (it might be a link), so adjacent text is merged first.
//! A marker that opens inside `**` and is not closed there is closed with it, so the HTML stays
//! well nested.

use pulldown_cmark::{CowStr, Event, Parser, Tag, TagEnd};

use super::escape::html_escape;
use super::Spanned;

/// An inline marker and the HTML it opens.
const MARKERS: &[(&str, &str)] = &[
    ("[!DNL", "<span translate=\"no\">"),
    ("[!UICONTROL", "<span class=\"uicontrol\">"),
];

pub fn transform(events: &mut Vec<Spanned<'_>>) {
    merge_text(events);
    if !super::any_prose_text(events, has_bracket) {
        return;
    }
    let mut out = Vec::with_capacity(events.len());
    let mut scanner = Scanner::default();
    for (event, range) in std::mem::take(events) {
        match event {
            // Markers start and end at brackets: text without any passes as it is (found by
            // bytes: `contains` of two chars decodes every character).
            Event::Text(text) if !scanner.in_code_block && !has_bracket(&text) => {
                out.push((Event::Text(text), range))
            }
            Event::Text(text) if !scanner.in_code_block => scanner.text(&text, range, &mut out),
            Event::Start(Tag::CodeBlock(_)) => {
                scanner.in_code_block = true;
                out.push((event, range));
            }
            Event::End(TagEnd::CodeBlock) => {
                scanner.in_code_block = false;
                out.push((event, range));
            }
            Event::Start(_) => {
                scanner.depth += 1;
                out.push((event, range));
            }
            Event::End(ref end) => {
                scanner.close_deeper_than(scanner.depth - 1, &range, &mut out);
                scanner.depth -= 1;
                if matches!(
                    end,
                    TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::TableCell | TagEnd::Item
                ) {
                    scanner.orphan_closers = 0;
                    scanner.plain_brackets = 0;
                }
                out.push((event, range));
            }
            other => out.push((other, range)),
        }
    }
    *events = out;
}

/// Whether `text` has a `[` or a `]`.
fn has_bracket(text: &str) -> bool {
    memchr::memchr2(b'[', b']', text.as_bytes()).is_some()
}

/// Joins consecutive text events into one, so markers split by the parser are whole again.
pub(crate) fn merge_text(events: &mut Vec<Spanned<'_>>) {
    // Often there is nothing to join (the second time, after the repairs).
    if !super::adjacent(events, |e| matches!(e, Event::Text(_))) {
        return;
    }
    let mut out: Vec<Spanned<'_>> = Vec::with_capacity(events.len());
    // Runs of texts are joined into one growing string, not copied again for each part.
    let mut joined: Option<String> = None;
    for (event, range) in std::mem::take(events) {
        if let (Event::Text(text), Some((Event::Text(prev), prev_range))) = (&event, out.last_mut())
        {
            let buffer = joined.get_or_insert_with(|| prev.to_string());
            buffer.push_str(text);
            prev_range.end = range.end;
            continue;
        }
        if let (Some(buffer), Some((Event::Text(prev), _))) = (joined.take(), out.last_mut()) {
            *prev = CowStr::from(buffer);
        }
        out.push((event, range));
    }
    if let (Some(buffer), Some((Event::Text(prev), _))) = (joined.take(), out.last_mut()) {
        *prev = CowStr::from(buffer);
    }
    *events = out;
}

#[derive(Default)]
struct Scanner {
    /// Nesting depth of tags around the current event.
    depth: i32,
    in_code_block: bool,
    /// Open markers: the tag depth they opened at, and plain `[` seen inside them.
    open: Vec<(i32, u32)>,
    /// Markers closed with their container whose `]` may still come: it is dropped.
    orphan_closers: u32,
    /// Plain `[` seen outside markers since the last `]`.
    plain_brackets: u32,
}

impl Scanner {
    fn text<'a>(&mut self, text: &str, range: std::ops::Range<usize>, out: &mut Vec<Spanned<'a>>) {
        let mut plain = String::new();
        let mut rest = text;
        while !rest.is_empty() {
            // Up to the next bracket, everything is plain text.
            let bracket = memchr::memchr2(b'[', b']', rest.as_bytes()).unwrap_or(rest.len());
            if bracket > 0 {
                plain.push_str(&rest[..bracket]);
                rest = &rest[bracket..];
                continue;
            }
            if let Some((badge_html, len)) = badge(rest) {
                flush(&mut plain, &range, out);
                out.push((Event::InlineHtml(CowStr::from(badge_html)), range.clone()));
                rest = &rest[len..];
                continue;
            }
            if let Some((open_html, len)) = opener(rest) {
                flush(&mut plain, &range, out);
                out.push((
                    Event::InlineHtml(CowStr::Borrowed(open_html)),
                    range.clone(),
                ));
                self.open.push((self.depth, 0));
                rest = rest[len..].trim_start();
                continue;
            }
            let c = rest.chars().next().unwrap_or_default();
            match (c, self.open.last_mut()) {
                ('[', Some((_, brackets))) => {
                    *brackets += 1;
                    plain.push(c);
                }
                (']', Some((depth, brackets))) if *depth == self.depth => {
                    if *brackets > 0 {
                        *brackets -= 1;
                        plain.push(c);
                    } else {
                        let trimmed = plain.trim_end().len();
                        plain.truncate(trimmed);
                        flush(&mut plain, &range, out);
                        out.push((
                            Event::InlineHtml(CowStr::Borrowed("</span>")),
                            range.clone(),
                        ));
                        self.open.pop();
                    }
                }
                ('[', None) => {
                    self.plain_brackets += 1;
                    plain.push(c);
                }
                (']', None) if self.plain_brackets > 0 => {
                    self.plain_brackets -= 1;
                    plain.push(c);
                }
                (']', None) if self.orphan_closers > 0 => {
                    // The `]` of a marker whose bold ended before it: not text.
                    self.orphan_closers -= 1;
                }
                _ => plain.push(c),
            }
            rest = &rest[c.len_utf8()..];
        }
        flush(&mut plain, &range, out);
    }

    /// Closes markers opened deeper than `depth` (their tag is ending).
    fn close_deeper_than(
        &mut self,
        depth: i32,
        range: &std::ops::Range<usize>,
        out: &mut Vec<Spanned<'_>>,
    ) {
        while self.open.last().is_some_and(|(d, _)| *d > depth) {
            self.open.pop();
            self.orphan_closers += 1;
            out.push((
                Event::InlineHtml(CowStr::Borrowed("</span>")),
                range.clone(),
            ));
        }
    }
}

/// The HTML and length of a marker opening at the start of `text`.
pub(crate) fn opener(text: &str) -> Option<(&'static str, usize)> {
    MARKERS.iter().find_map(|(marker, html)| {
        let after = text.strip_prefix(marker)?;
        after
            .starts_with(char::is_whitespace)
            .then_some((*html, marker.len()))
    })
}

fn flush<'a>(plain: &mut String, range: &std::ops::Range<usize>, out: &mut Vec<Spanned<'a>>) {
    if !plain.is_empty() {
        out.push((
            Event::Text(CowStr::from(std::mem::take(plain))),
            range.clone(),
        ));
    }
}

/// A `[!BADGE label]{type=Positive url="…" tooltip="…"}` at the start of `text`: its HTML and
/// length.
pub(crate) fn badge(text: &str) -> Option<(String, usize)> {
    let after = text.strip_prefix("[!BADGE")?;
    if !after.starts_with(char::is_whitespace) {
        return None;
    }
    let close = after.find(']')?;
    let label = after[..close].trim();
    let mut len = "[!BADGE".len() + close + 1;
    let mut attrs = Vec::new();
    if let Some(list) = text[len..].strip_prefix('{') {
        if let Some(end) = list.find('}') {
            attrs = super::attributes::parse(&list[..end]);
            len += end + 2;
        }
    }
    let get = |key: &str| {
        attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let kind = get("type").unwrap_or("neutral").to_ascii_lowercase();
    let kind = match kind.as_str() {
        "informative" | "positive" | "negative" | "neutral" | "caution" => kind,
        _ => "neutral".to_owned(),
    };
    let title = get("tooltip")
        .map(|t| format!(" title=\"{}\"", escape(t)))
        .unwrap_or_default();
    let label = escape(label);
    let url = get("url")
        .filter(|u| u.starts_with("https://") || u.starts_with("http://") || u.starts_with('/'));
    let html = match url {
        Some(url) => format!(
            "<a class=\"badge\" data-type=\"{kind}\" href=\"{}\"{title}>{label}</a>",
            escape(url)
        ),
        None => format!("<span class=\"badge\" data-type=\"{kind}\"{title}>{label}</span>"),
    };
    Some((html, len))
}

/// Renders a one-line text from front matter (a title, a description) as inline HTML.
pub fn render_line(text: &str) -> String {
    if without_markup(text) {
        // What pulldown-cmark writes for a line of plain text, without parsing it: its text,
        // escaped as body text, without the spaces around it.
        let mut html = String::with_capacity(text.len() + 8);
        let _ = pulldown_cmark_escape::escape_html_body_text(&mut html, text);
        return html.trim().to_owned();
    }
    parsed_render_line(text)
}

/// [`render_line`] read by pulldown-cmark and the inline passes.
fn parsed_render_line(text: &str) -> String {
    let mut events = line_events(text);
    transform(&mut events);
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter().map(|(e, _)| e));
    html.trim().to_owned()
}

/// The plain text of a one-line text from front matter: markers and markup removed,
/// entities decoded (`Programma&#39;s` -> `Programma's`).
pub fn plain_line(text: &str) -> String {
    plain_without_markup(text).unwrap_or_else(|| parsed_plain_line(text))
}

/// [`plain_line`] of a line that markdown leaves as it is ([`without_markup`]), without parsing
/// it (each page's title is made plain twice: 1.5% of a build's instructions went to parsing
/// them).
fn plain_without_markup(text: &str) -> Option<String> {
    if !without_markup(text) {
        return None;
    }
    Some(squeezed(text))
}

/// `text` without zero-width spaces, then with each run of spaces made one and none at its
/// ends: the last step of [`plain_line`], parsed or not.
fn squeezed(text: &str) -> String {
    let text = if text.contains('\u{200b}') {
        std::borrow::Cow::Owned(text.replace('\u{200b}', ""))
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    let mut plain = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !plain.is_empty() {
            plain.push(' ');
        }
        plain.push_str(word);
    }
    plain
}

/// Whether markdown leaves the one-line `text` as it is: none of its characters can start
/// markup (`[!DNL`, `*`, `&#39;`, `<`, a line break, a tab), and it does not start with a
/// list marker, a heading or an indented code block. Not every line it refuses has markup; those
/// are parsed.
fn without_markup(text: &str) -> bool {
    let markup = |b: &u8| {
        matches!(
            b,
            b'\\'
                | b'`'
                | b'*'
                | b'_'
                | b'['
                | b']'
                | b'!'
                | b'<'
                | b'>'
                | b'&'
                | b'~'
                | b'|'
                | b'#'
                | b'\n'
                | b'\r'
                | b'\t'
        )
    };
    if text.as_bytes().iter().any(markup) {
        return false;
    }
    // A block marker at the start: `- `, `+ `, `1. `, `2) `, `= ` (a heading's underline),
    // and what four spaces or a tab make (an indented code block).
    let start = text.trim_start();
    match start.bytes().next() {
        Some(first) => {
            !matches!(first, b'-' | b'+' | b'=' | b'0'..=b'9') && text.len() - start.len() < 4
        }
        None => false,
    }
}

/// [`plain_line`] read by pulldown-cmark and the inline passes.
fn parsed_plain_line(text: &str) -> String {
    let mut events = line_events(text);
    transform(&mut events);
    let mut plain = String::new();
    for (event, _) in events {
        match event {
            Event::Text(t) | Event::Code(t) => plain.push_str(&t),
            Event::SoftBreak | Event::HardBreak => plain.push(' '),
            _ => {}
        }
    }
    squeezed(&plain)
}

/// Inline events of `text` without the paragraph around them.
/// Raw HTML in a front matter line is shown as text, never run.
fn line_events(text: &str) -> Vec<Spanned<'_>> {
    let mut events: Vec<Spanned<'_>> = Parser::new_ext(text, super::options())
        .into_offset_iter()
        .filter(|(e, _)| {
            !matches!(
                e,
                Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph)
            )
        })
        .map(|(event, range)| match event {
            Event::Html(html) | Event::InlineHtml(html) => (Event::Text(html), range),
            other => (other, range),
        })
        .collect();
    super::links::neutralize(&mut events);
    events
}

/// Escapes text for HTML (shared by the passes that build HTML by hand).
pub fn escape(text: &str) -> String {
    html_escape(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::test_support::render_str;

    #[test]
    fn markers_nest_and_sit_in_bold() {
        let html = render_str("Click **[!UICONTROL Copy [!DNL Workfront] link]** now.\n").html;
        assert_eq!(
            html,
            "<p>Click <strong><span class=\"uicontrol\">Copy <span translate=\"no\">Workfront</span> link</span></strong> now.</p>\n"
        );
    }

    #[test]
    fn markers_in_headings_and_links() {
        let r = render_str("## Use [!DNL Workfront] {#use}\n\n[See [!DNL Adobe]](x.md)\n");
        assert!(
            r.html
                .contains("<h2 id=\"use\">Use <span translate=\"no\">Workfront</span>"),
            "{}",
            r.html
        );
        assert_eq!(r.headings[0].text, "Use Workfront");
        assert!(
            r.html
                .contains("<a href=\"../x/\">See <span translate=\"no\">Adobe</span></a>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn brackets_inside_a_marker_do_not_close_it() {
        let html = render_str("[!UICONTROL Save [draft] now] done\n").html;
        assert_eq!(
            html,
            "<p><span class=\"uicontrol\">Save [draft] now</span> done</p>\n"
        );
    }

    #[test]
    fn unclosed_marker_is_closed_with_its_container() {
        let html = render_str("**[!UICONTROL Personal**&#x200B;**settings]**\n").html;
        assert_eq!(
            html.matches("<span").count(),
            html.matches("</span>").count(),
            "{html}"
        );
        assert!(!html.contains("[!"), "{html}");
    }

    #[test]
    fn code_is_left_alone() {
        let html = render_str("`[!DNL x]`\n\n```\n[!DNL y]\n```\n").html;
        assert!(html.contains("<code>[!DNL x]</code>"), "{html}");
        assert!(html.contains("[!DNL y]\n</code>"), "{html}");
    }

    #[test]
    fn badges() {
        let html = render_str("New [!BADGE Beta]{type=Informative url=\"https://x.example/beta\" tooltip=\"In beta\"} and [!BADGE Old] here\n").html;
        assert_eq!(
            html,
            "<p>New <a class=\"badge\" data-type=\"informative\" href=\"https://x.example/beta\" title=\"In beta\">Beta</a> and <span class=\"badge\" data-type=\"neutral\">Old</span> here</p>\n"
        );
    }

    #[test]
    fn lines_without_markup_are_made_plain_and_html_as_parsed_ones_are() {
        for line in [
            "Message d’erreur : Query Service Dois",
            "  Bekende   problemen\u{00a0}voor Workfront  ",
            "Problemi noti: 2024 e oltre",
            "Résolution des problèmes liés à l’intégration",
            "Zero\u{200b}width",
            "",
            "   ",
            "1. Introduction",
            "2) Step",
            "- item",
            "+ item",
            "=== x",
            "---",
            "    indented code",
            "\tindented",
            " \tindented",
            "Tab\tinside",
            "Quotes \"here\" and 'there'",
            "\u{00a0}Leading no-break space",
            "# Heading",
            "Title {#id}",
            "Quote > not at the start",
            "a * b",
            "snake_case",
            "Tom & Jerry",
            "Line\nbreak",
            "Trailing two  ",
            "x^2 and ~strike~ and $math$",
            "URL http://example.com/a_b",
            "Ärger mit Größen: 100 %",
        ] {
            let parsed = parsed_plain_line(line);
            if let Some(plain) = plain_without_markup(line) {
                assert_eq!(plain, parsed, "{line:?}");
            }
            assert_eq!(plain_line(line), parsed, "{line:?}");
            // The same for the HTML of the line, against the parser's.
            assert_eq!(render_line(line), parsed_render_line(line), "{line:?}");
        }
        assert!(plain_without_markup("Message d’erreur : Query Service Dois").is_some());
        assert!(plain_without_markup("1. Introduction").is_none());
    }

    #[test]
    fn front_matter_lines() {
        assert_eq!(
            plain_line("Bekende problemen voor  [!DNL Adobe Workfront]"),
            "Bekende problemen voor Adobe Workfront"
        );
        assert_eq!(plain_line("Programma&#39;s"), "Programma's");
        assert_eq!(
            render_line("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(
            render_line("[x](javascript:void) <b onclick=x>"),
            "<a href=\"\">x</a> &lt;b onclick=x&gt;"
        );
        assert_eq!(
            render_line("Use [!UICONTROL Save] & go"),
            "Use <span class=\"uicontrol\">Save</span> &amp; go"
        );
    }
}
