//! Inline ExL markers: `[!DNL text]` (never translated) and `[!UICONTROL text]` (a UI label).
//!
//! They nest (`[!UICONTROL Copy [!DNL Workfront] link]`) and sit inside bold, links and
//! headings, so a regex will not do: we scan text with a stack. pulldown-cmark splits
//! `[!DNL x]` into several text events (it might be a link), so adjacent text is merged first.
//! A marker that opens inside `**` and is not closed there is closed with it, so the HTML stays
//! well nested.

use pulldown_cmark::{CowStr, Event, Parser, Tag, TagEnd};

use super::callout::html_escape;
use super::Spanned;

/// An inline marker and the HTML it opens.
const MARKERS: &[(&str, &str)] = &[
    ("[!DNL", "<span translate=\"no\">"),
    ("[!UICONTROL", "<span class=\"uicontrol\">"),
];

pub fn transform(events: &mut Vec<Spanned<'_>>) {
    merge_text(events);
    let mut out = Vec::with_capacity(events.len());
    let mut scanner = Scanner::default();
    for (event, range) in std::mem::take(events) {
        match event {
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
            Event::End(_) => {
                scanner.close_deeper_than(scanner.depth - 1, &range, &mut out);
                scanner.depth -= 1;
                out.push((event, range));
            }
            other => out.push((other, range)),
        }
    }
    *events = out;
}

/// Joins consecutive text events into one, so markers split by the parser are whole again.
fn merge_text(events: &mut Vec<Spanned<'_>>) {
    let mut out: Vec<Spanned<'_>> = Vec::with_capacity(events.len());
    for (event, range) in std::mem::take(events) {
        if let (Event::Text(text), Some((Event::Text(prev), prev_range))) = (&event, out.last_mut())
        {
            let mut joined = prev.to_string();
            joined.push_str(text);
            *prev = CowStr::from(joined);
            prev_range.end = range.end;
            continue;
        }
        out.push((event, range));
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
}

impl Scanner {
    fn text<'a>(&mut self, text: &str, range: std::ops::Range<usize>, out: &mut Vec<Spanned<'a>>) {
        let mut plain = String::new();
        let mut rest = text;
        while !rest.is_empty() {
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
            out.push((
                Event::InlineHtml(CowStr::Borrowed("</span>")),
                range.clone(),
            ));
        }
    }
}

/// The HTML and length of a marker opening at the start of `text`.
fn opener(text: &str) -> Option<(&'static str, usize)> {
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

/// Renders a one-line text from front matter (a title, a description) as inline HTML.
pub fn render_line(text: &str) -> String {
    let mut events = line_events(text);
    transform(&mut events);
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter().map(|(e, _)| e));
    html.trim().to_owned()
}

/// The plain text of a one-line text from front matter: markers and markup removed,
/// entities decoded (`Programma&#39;s` -> `Programma's`).
pub fn plain_line(text: &str) -> String {
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
    let plain = plain.replace('\u{200b}', "");
    plain.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Inline events of `text` without the paragraph around them.
fn line_events(text: &str) -> Vec<Spanned<'_>> {
    Parser::new_ext(text, super::options())
        .into_offset_iter()
        .filter(|(e, _)| {
            !matches!(
                e,
                Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph)
            )
        })
        .collect()
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
    fn front_matter_lines() {
        assert_eq!(
            plain_line("Bekende problemen voor  [!DNL Adobe Workfront]"),
            "Bekende problemen voor Adobe Workfront"
        );
        assert_eq!(plain_line("Programma&#39;s"), "Programma's");
        assert_eq!(
            render_line("Use [!UICONTROL Save] & go"),
            "Use <span class=\"uicontrol\">Save</span> &amp; go"
        );
    }
}
