//! Callouts: a blockquote whose first line is `[!KIND]` (`>[!IMPORTANT]`, `> [!NOTE]`).
//!
//! The blockquote becomes `<div class="callout" data-callout="important" role="note">` with the
//! localized label and the whole body. The marker is found in the source text, not in the text
//! events, because pulldown-cmark splits `[!NOTE]` into several events (it could be a link).

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::{RenderContext, Spanned};
use crate::error::Warning;

/// The callout kinds of ExL markdown (GitHub's alert kinds are among them).
pub const KINDS: &[&str] = &[
    "NOTE",
    "TIP",
    "IMPORTANT",
    "CAUTION",
    "WARNING",
    "INFO",
    "ADMIN",
    "AVAILABILITY",
    "PREREQUISITES",
    "ERROR",
    "SUCCESS",
    "MORELIKETHIS",
];

/// ExL block markers that are not callouts; their own passes handle them.
const OTHER_BLOCKS: &[&str] = &[
    "BEGINTABS",
    "TAB",
    "ENDTABS",
    "BEGINSHADEBOX",
    "ENDSHADEBOX",
    "VIDEO",
    "CONTEXTUALHELP",
    "DNL",
    "UICONTROL",
    "BADGE",
];

/// Finds the `[!KIND]` marker at the start of a blockquote's source text. Returns the kind as
/// written and the offset just past the `]`, when the rest of that line is blank.
pub fn marker(quote_source: &str) -> Option<(&str, usize)> {
    let start = quote_source.len() - quote_source.trim_start_matches([' ', '\t', '>']).len();
    let rest = quote_source[start..].strip_prefix("[!")?;
    let name_len = rest
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(rest.len());
    let after = rest[name_len..].strip_prefix(']')?;
    let line_rest = after.split('\n').next().unwrap_or_default();
    if name_len == 0 || !line_rest.trim().is_empty() {
        return None;
    }
    Some((&rest[..name_len], start + 2 + name_len + 1))
}

/// Turns callout blockquotes into callout divs, in place.
pub fn transform<'a>(
    body: &str,
    events: &mut Vec<Spanned<'a>>,
    ctx: &RenderContext<'_>,
    warnings: &mut Vec<Warning>,
) {
    let mut out: Vec<Spanned<'a>> = Vec::with_capacity(events.len());
    // For each open blockquote: is it a callout?
    let mut open: Vec<bool> = Vec::new();
    let mut iter = std::mem::take(events).into_iter().peekable();
    while let Some((event, range)) = iter.next() {
        match event {
            Event::Start(Tag::BlockQuote(kind)) => {
                let found = body.get(range.clone()).and_then(marker);
                let known = found.and_then(|(name, end)| {
                    let upper = name.to_ascii_uppercase();
                    if KINDS.contains(&upper.as_str()) {
                        Some((upper, range.start + end))
                    } else {
                        if !OTHER_BLOCKS.contains(&upper.as_str()) {
                            warnings.push(Warning {
                                location: Some(ctx.location(range.start)),
                                message: format!(
                                    "unknown callout kind `[!{name}]`, shown as a plain quote; known kinds: {}",
                                    KINDS.join(", ")
                                ),
                            });
                        }
                        None
                    }
                });
                let Some((kind_name, marker_end)) = known else {
                    open.push(false);
                    out.push((Event::Start(Tag::BlockQuote(kind)), range));
                    continue;
                };
                open.push(true);
                let kind_lower = kind_name.to_ascii_lowercase();
                let label = html_escape(&(ctx.callout_label)(&kind_lower));
                out.push((
                    Event::Html(CowStr::from(format!(
                        "<div class=\"callout\" data-callout=\"{kind_lower}\" role=\"note\">\
                         <p class=\"callout-label\"><span class=\"callout-icon\" aria-hidden=\"true\"></span>{label}</p>\
                         <div class=\"callout-body\">\n"
                    ))),
                    range.clone(),
                ));
                skip_marker(&mut iter, marker_end, &mut out);
            }
            Event::End(TagEnd::BlockQuote(kind)) => {
                if open.pop() == Some(true) {
                    out.push((Event::Html(CowStr::Borrowed("</div></div>\n")), range));
                } else {
                    out.push((Event::End(TagEnd::BlockQuote(kind)), range));
                }
            }
            other => out.push((other, range)),
        }
    }
    *events = out;
}

/// Drops the events that spell the marker; keeps the rest of its paragraph, if any.
fn skip_marker<'a>(
    iter: &mut std::iter::Peekable<impl Iterator<Item = Spanned<'a>>>,
    marker_end: usize,
    out: &mut Vec<Spanned<'a>>,
) {
    let Some((Event::Start(Tag::Paragraph), _)) = iter.peek() else {
        return;
    };
    let Some(paragraph) = iter.next() else { return };
    while let Some((event, range)) = iter.peek() {
        let is_text = matches!(event, Event::Text(_));
        if is_text && range.end <= marker_end {
            iter.next();
        } else {
            break;
        }
    }
    match iter.peek() {
        Some((Event::End(TagEnd::Paragraph), _)) => {
            iter.next();
        }
        Some((Event::SoftBreak | Event::HardBreak, _)) => {
            iter.next();
            out.push(paragraph);
        }
        _ => out.push(paragraph),
    }
}

pub(crate) fn html_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut escaped, text).ok();
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::test_support::render_str;

    #[test]
    fn finds_markers() {
        assert_eq!(marker(">[!IMPORTANT]\n>\n>x"), Some(("IMPORTANT", 13)));
        assert_eq!(marker("> [!NOTE]  \n> x"), Some(("NOTE", 9)));
        assert_eq!(marker("   >[!TIP]"), Some(("TIP", 10)));
        assert_eq!(marker(">[!VIDEO](https://x)"), None);
        assert_eq!(marker(">[!TAB Label]"), None);
        assert_eq!(marker("> plain quote"), None);
    }

    #[test]
    fn renders_callout_with_blank_line_after_marker() {
        let html = render_str(">[!IMPORTANT]\n>\n>Body **bold**.\n>\n>* item\n").html;
        assert!(
            html.starts_with("<div class=\"callout\" data-callout=\"important\" role=\"note\">"),
            "{html}"
        );
        assert!(html.contains("Label-important</p>"), "{html}");
        assert!(
            html.contains("<p>Body <strong>bold</strong>.</p>"),
            "{html}"
        );
        assert!(html.contains("<li>item</li>"), "{html}");
        assert!(!html.contains("[!"), "{html}");
        assert!(!html.contains("blockquote"), "{html}");
        assert!(html.trim_end().ends_with("</div></div>"), "{html}");
    }

    #[test]
    fn renders_callout_without_blank_line_and_with_space() {
        let html = render_str("> [!NOTE]\n> First line\n> second.\n").html;
        assert!(html.contains("data-callout=\"note\""), "{html}");
        assert!(html.contains("<p>First line\nsecond.</p>"), "{html}");
    }

    #[test]
    fn callout_inside_list_item_stays_there() {
        let html = render_str("1. Step\n\n   >[!TIP]\n   >\n   >Hint\n\n2. Next\n").html;
        let item_end = html.find("</li>").unwrap_or(0);
        let callout = html.find("data-callout=\"tip\"").unwrap_or(usize::MAX);
        assert!(callout < item_end, "{html}");
    }

    #[test]
    fn unknown_kind_is_a_quote_and_a_warning() {
        let rendered = render_str("text\n\n>[!FOO]\n>\n>body\n");
        assert!(rendered.html.contains("<blockquote>"), "{}", rendered.html);
        assert_eq!(rendered.warnings.len(), 1);
        assert_eq!(
            rendered.warnings[0].location.as_ref().map(|l| l.line),
            Some(3)
        );
    }

    #[test]
    fn plain_quotes_stay_quotes() {
        let html = render_str("> just a quote\n").html;
        assert_eq!(html, "<blockquote>\n<p>just a quote</p>\n</blockquote>\n");
    }
}
