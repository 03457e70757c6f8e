//! Collapsibles: a line `+++ Summary` (or `+++**Summary**`) ... a line `+++`, as
//! `<details class="collapsible"><summary>`.
//!
//! They are paragraphs to pulldown-cmark, so the pass looks at each paragraph's source line.
//! A collapsible closes in the container it opened in; one left open is closed there.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::{RenderContext, Spanned};

const CLOSE: &str = "</div></details>\n";

pub fn transform<'a>(body: &str, events: &mut Vec<Spanned<'a>>, ctx: &RenderContext<'_>) {
    let mut out: Vec<Spanned<'a>> = Vec::with_capacity(events.len());
    // Container depth at which each open collapsible started.
    let mut open: Vec<i32> = Vec::new();
    // Collapsibles whose closing `+++` was seen deeper: closed when `depth` is theirs again.
    let mut closing: Vec<i32> = Vec::new();
    let mut depth = 0i32;
    let mut input = std::mem::take(events).into_iter().peekable();
    while let Some((event, range)) = input.next() {
        match event {
            Event::Start(Tag::Paragraph) => {
                let source = body.get(range.clone()).unwrap_or_default();
                let first_line = source.lines().next().unwrap_or_default().trim();
                if !first_line.starts_with("+++") {
                    depth += 1;
                    out.push((Event::Start(Tag::Paragraph), range));
                    continue;
                }
                let closes = first_line == "+++" && open.last() == Some(&depth);
                if closes && source.trim() == "+++" {
                    skip_paragraph(&mut input);
                    open.pop();
                    out.push((Event::Html(CowStr::Borrowed(CLOSE)), range));
                    continue;
                }
                open.push(depth);
                let summary_start = out.len();
                out.push((
                    Event::Html(CowStr::Borrowed("<details class=\"collapsible\"><summary>")),
                    range.clone(),
                ));
                strip_plus_signs(&mut input);
                let mut in_body_paragraph = false;
                while let Some((event, r)) = input.next() {
                    match event {
                        // `+++ Summary`, body lines and `+++` in one paragraph.
                        Event::Text(ref t)
                            if in_body_paragraph
                                && t.trim() == "+++"
                                && matches!(out.last(), Some((Event::SoftBreak, _)))
                                && matches!(
                                    input.peek(),
                                    Some((Event::End(TagEnd::Paragraph), _))
                                ) =>
                        {
                            out.pop();
                            if let Some((end, end_range)) = input.next() {
                                out.push((end, end_range));
                            }
                            open.pop();
                            out.push((Event::Html(CowStr::Borrowed(CLOSE)), r));
                            break;
                        }
                        Event::End(TagEnd::Paragraph) => {
                            if in_body_paragraph {
                                out.push((Event::End(TagEnd::Paragraph), r));
                            } else {
                                out.push((
                                    Event::Html(CowStr::Borrowed(
                                        "</summary>\n<div class=\"collapsible-body\">\n",
                                    )),
                                    r,
                                ));
                            }
                            break;
                        }
                        Event::SoftBreak | Event::HardBreak if !in_body_paragraph => {
                            in_body_paragraph = true;
                            out.push((
                                Event::Html(CowStr::Borrowed(
                                    "</summary>\n<div class=\"collapsible-body\">\n",
                                )),
                                r.clone(),
                            ));
                            out.push((Event::Start(Tag::Paragraph), r));
                        }
                        other => out.push((other, r)),
                    }
                }
                let summary_is_empty = out[summary_start + 1..]
                    .iter()
                    .take_while(
                        |(e, _)| !matches!(e, Event::Html(h) if h.starts_with("</summary>")),
                    )
                    .all(|(e, _)| matches!(e, Event::Text(t) if t.trim().is_empty()));
                if summary_is_empty {
                    let label = super::escape::html_escape(&(ctx.ui)("collapsible-summary"));
                    out.insert(summary_start + 1, (Event::Html(CowStr::from(label)), range));
                }
            }
            Event::Start(tag) => {
                depth += 1;
                out.push((Event::Start(tag), range));
            }
            Event::End(tag) => {
                depth -= 1;
                while open.last().is_some_and(|&d| d > depth) {
                    open.pop();
                    out.push((Event::Html(CowStr::Borrowed(CLOSE)), range.clone()));
                }
                out.push((Event::End(tag), range.clone()));
                while closing.last() == Some(&depth) {
                    closing.pop();
                    out.push((Event::Html(CowStr::Borrowed(CLOSE)), range.clone()));
                }
            }
            // `+++` as a lazy continuation line of a list item: the collapsible closes once
            // the containers around the line have ended.
            Event::Text(ref text)
                if text.trim() == "+++"
                    && matches!(out.last(), Some((Event::SoftBreak, _)))
                    && open.last().is_some_and(|&d| d < depth - 1)
                    && matches!(
                        input.peek(),
                        Some((Event::End(TagEnd::Paragraph | TagEnd::Item), _))
                    ) =>
            {
                out.pop();
                if let Some(d) = open.pop() {
                    closing.push(d);
                }
            }
            Event::Text(ref text) if text.trim() == "+++" && open.last() == Some(&(depth - 1)) => {
                // `+++` as the last line of a paragraph: close after the paragraph.
                if matches!(out.last(), Some((Event::SoftBreak, _))) {
                    out.pop();
                }
                if let Some((Event::End(TagEnd::Paragraph), end_range)) = input.next() {
                    depth -= 1;
                    out.push((Event::End(TagEnd::Paragraph), end_range));
                    open.pop();
                    out.push((Event::Html(CowStr::Borrowed(CLOSE)), range));
                } else {
                    out.push((event, range));
                }
            }
            other => out.push((other, range)),
        }
    }
    for _ in open {
        out.push((Event::Html(CowStr::Borrowed(CLOSE)), body.len()..body.len()));
    }
    *events = out;
}

fn skip_paragraph<'a>(input: &mut impl Iterator<Item = Spanned<'a>>) {
    for (event, _) in input {
        if matches!(event, Event::End(TagEnd::Paragraph)) {
            return;
        }
    }
}

/// Removes the leading `+++` (and the space after it) from the paragraph's first text.
fn strip_plus_signs<'a>(input: &mut std::iter::Peekable<impl Iterator<Item = Spanned<'a>>>) {
    let mut remaining = 3;
    while remaining > 0 {
        let Some((Event::Text(text), _)) = input.peek_mut() else {
            return;
        };
        let plus = text
            .chars()
            .take(remaining)
            .take_while(|&c| c == '+')
            .count();
        remaining -= plus;
        let rest = text[plus..].trim_start().to_owned();
        if rest.is_empty() {
            input.next();
        } else {
            *text = CowStr::from(rest);
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::markdown::test_support::render_str;

    #[test]
    fn summary_line_and_closing_line() {
        let html = render_str(
            "+++ Expand to view access requirements\n\n| a |\n|---|\n| 1 |\n\n+++\n\nAfter\n",
        )
        .html;
        assert!(html.starts_with("<details class=\"collapsible\"><summary>Expand to view access requirements</summary>\n<div class=\"collapsible-body\">\n<table>"), "{html}");
        assert!(
            html.contains("</table>\n</div></details>\n<p>After</p>"),
            "{html}"
        );
    }

    #[test]
    fn bold_summary_without_space() {
        let html =
            render_str("+++**Maintenance Update on April 4, 2024**\n\n### Fixed\n\nText\n\n+++\n")
                .html;
        assert!(html.starts_with("<details class=\"collapsible\"><summary><strong>Maintenance Update on April 4, 2024</strong></summary>"), "{html}");
        assert!(
            html.trim_end().ends_with("<p>Text</p>\n</div></details>"),
            "{html}"
        );
    }

    #[test]
    fn closing_line_glued_to_a_paragraph() {
        let html = render_str("+++ Title\nFirst line of the body\n\nMore\n+++\n\nAfter\n").html;
        assert!(html.contains("<summary>Title</summary>\n<div class=\"collapsible-body\">\n<p>First line of the body</p>"), "{html}");
        assert!(
            html.contains("<p>More</p>\n</div></details>\n<p>After</p>"),
            "{html}"
        );
        assert!(!html.contains("+++"), "{html}");
    }

    #[test]
    fn one_paragraph_collapsibles_and_closing_after_a_list_item() {
        let html = render_str(
            "+++Question one?\nAnswer one.\n+++\n\n+++Question two?\nAnswer two.\n+++\n",
        )
        .html;
        assert_eq!(html.matches("<details").count(), 2, "{html}");
        assert_eq!(html.matches("</details>").count(), 2, "{html}");
        assert!(!html.contains("+++"), "{html}");
        assert!(
            html.contains("<p>Answer one.</p>\n</div></details>\n<details"),
            "{html}"
        );

        let html = render_str(
            "+++ Access\n\n1. Step one\n1. Step two\n+++\n\n+++ Next\n\n* a\n\n  b\n+++\n\nAfter\n",
        )
        .html;
        assert!(!html.contains("+++"), "{html}");
        assert!(
            html.contains("<li>Step two</li>\n</ol>\n</div></details>\n<details class=\"collapsible\"><summary>Next</summary>"),
            "{html}"
        );
        assert!(
            html.contains("</ul>\n</div></details>\n<p>After</p>"),
            "{html}"
        );
    }

    #[test]
    fn unclosed_collapsible_is_closed_and_empty_summary_labelled() {
        let html = render_str("+++\n\nBody\n").html;
        assert_eq!(html, "<details class=\"collapsible\"><summary>Label-collapsible-summary</summary>\n<div class=\"collapsible-body\">\n<p>Body</p>\n</div></details>\n");
    }
}
