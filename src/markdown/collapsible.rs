//! Collapsibles: a line `+++ Summary` (or `+++**Summary**`) ... a line `+++`, as
//! `<details class="collapsible"><summary>`.
//!
//! They are paragraphs to pulldown-cmark, so the pass looks at each paragraph's source line.
//! A collapsible closes in the container it opened in; one left open is closed there.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::{RenderContext, Spanned};

const CLOSE: &str = "</div></details>\n";

/// The events being rewritten, read one at a time (a `+++` line looks at what follows it).
type Input<'a> = std::iter::Peekable<std::vec::IntoIter<Spanned<'a>>>;

/// The HTML that ends a summary and starts the collapsible's body.
const SUMMARY_END: &str = "</summary>\n<div class=\"collapsible-body\">\n";

pub fn transform<'a>(
    body: &str,
    marks: &super::Marks,
    events: &mut Vec<Spanned<'a>>,
    ctx: &RenderContext<'_>,
) {
    if !marks.plus || !has_markers(body, events) {
        return;
    }
    let mut state = Collapsibles {
        out: Vec::with_capacity(events.len()),
        open: Vec::new(),
        closing: Vec::new(),
        depth: 0,
    };
    let mut input = std::mem::take(events).into_iter().peekable();
    while let Some((event, range)) = input.next() {
        match event {
            Event::Start(Tag::Paragraph) => state.paragraph(body, range, &mut input, ctx),
            Event::Start(tag) => {
                state.depth += 1;
                state.out.push((Event::Start(tag), range));
            }
            Event::End(tag) => state.end(tag, range),
            // `+++` as a lazy continuation line of a list item: the collapsible closes once
            // the containers around the line have ended.
            Event::Text(ref text) if state.is_lazy_close(text, &mut input) => {
                state.out.pop();
                if let Some(d) = state.open.pop() {
                    state.closing.push(d);
                }
            }
            Event::Text(ref text)
                if text.trim() == "+++" && state.open.last() == Some(&(state.depth - 1)) =>
            {
                state.close_after_paragraph(event, range, &mut input);
            }
            other => state.out.push((other, range)),
        }
    }
    for _ in &state.open {
        state
            .out
            .push((Event::Html(CowStr::Borrowed(CLOSE)), body.len()..body.len()));
    }
    *events = state.out;
}

/// Whether a paragraph starts with `+++` or a text holds it: a collapsible opens or closes
/// only there.
fn has_markers(body: &str, events: &[Spanned<'_>]) -> bool {
    events.iter().any(|(event, range)| match event {
        Event::Start(Tag::Paragraph) => body
            .get(range.clone())
            .is_some_and(|source| source.trim_start().starts_with("+++")),
        Event::Text(text) => memchr::memmem::find(text.as_bytes(), b"+++").is_some(),
        _ => false,
    })
}

/// The rewritten events and the collapsibles open at the current event.
struct Collapsibles<'a> {
    out: Vec<Spanned<'a>>,
    /// Container depth at which each open collapsible started.
    open: Vec<i32>,
    /// Collapsibles whose closing `+++` was seen deeper: closed when `depth` is theirs again.
    closing: Vec<i32>,
    depth: i32,
}

impl<'a> Collapsibles<'a> {
    fn close(&mut self, range: Range<usize>) {
        self.out.push((Event::Html(CowStr::Borrowed(CLOSE)), range));
    }

    /// A paragraph: an ordinary one, a closing `+++` alone, or one that opens a collapsible.
    fn paragraph(
        &mut self,
        body: &str,
        range: Range<usize>,
        input: &mut Input<'a>,
        ctx: &RenderContext<'_>,
    ) {
        let source = body.get(range.clone()).unwrap_or_default();
        // Most paragraphs are no `+++`: they are let through without finding where their
        // first line ends (a paragraph is often one line of a thousand bytes).
        let first_line = match source.trim_start().starts_with("+++") {
            true => source.lines().next().unwrap_or_default().trim(),
            false => "",
        };
        if !first_line.starts_with("+++") {
            self.depth += 1;
            self.out.push((Event::Start(Tag::Paragraph), range));
            return;
        }
        let closes = first_line == "+++" && self.open.last() == Some(&self.depth);
        if closes && source.trim() == "+++" {
            skip_paragraph(input);
            self.open.pop();
            self.close(range);
            return;
        }
        self.open_collapsible(range, input, ctx);
    }

    /// `+++ Summary`: opens the details, writes the summary (a default one when it is empty).
    fn open_collapsible(
        &mut self,
        range: Range<usize>,
        input: &mut Input<'a>,
        ctx: &RenderContext<'_>,
    ) {
        self.open.push(self.depth);
        let summary_start = self.out.len();
        self.out.push((
            Event::Html(CowStr::Borrowed("<details class=\"collapsible\"><summary>")),
            range.clone(),
        ));
        strip_plus_signs(input);
        self.summary_paragraph(input);
        let summary_is_empty = self.out[summary_start + 1..]
            .iter()
            .take_while(|(e, _)| !matches!(e, Event::Html(h) if h.starts_with("</summary>")))
            .all(|(e, _)| matches!(e, Event::Text(t) if t.trim().is_empty()));
        if summary_is_empty {
            let label = super::escape::html_escape(&(ctx.ui)("collapsible-summary"));
            self.out
                .insert(summary_start + 1, (Event::Html(CowStr::from(label)), range));
        }
    }

    /// The rest of the `+++ Summary` paragraph: its first line is the summary; lines after it
    /// are the body's first paragraph, which may end with the closing `+++`.
    fn summary_paragraph(&mut self, input: &mut Input<'a>) {
        let mut in_body_paragraph = false;
        while let Some((event, r)) = input.next() {
            match event {
                // `+++ Summary`, body lines and `+++` in one paragraph.
                Event::Text(ref t)
                    if in_body_paragraph
                        && t.trim() == "+++"
                        && matches!(self.out.last(), Some((Event::SoftBreak, _)))
                        && matches!(input.peek(), Some((Event::End(TagEnd::Paragraph), _))) =>
                {
                    self.out.pop();
                    if let Some((end, end_range)) = input.next() {
                        self.out.push((end, end_range));
                    }
                    self.open.pop();
                    self.close(r);
                    return;
                }
                Event::End(TagEnd::Paragraph) => {
                    if in_body_paragraph {
                        self.out.push((Event::End(TagEnd::Paragraph), r));
                    } else {
                        self.out
                            .push((Event::Html(CowStr::Borrowed(SUMMARY_END)), r));
                    }
                    return;
                }
                Event::SoftBreak | Event::HardBreak if !in_body_paragraph => {
                    in_body_paragraph = true;
                    self.out
                        .push((Event::Html(CowStr::Borrowed(SUMMARY_END)), r.clone()));
                    self.out.push((Event::Start(Tag::Paragraph), r));
                }
                other => self.out.push((other, r)),
            }
        }
    }

    /// The end of a container closes the collapsibles opened inside it, and those whose `+++`
    /// was read deeper down.
    fn end(&mut self, tag: TagEnd, range: Range<usize>) {
        self.depth -= 1;
        while self.open.last().is_some_and(|&d| d > self.depth) {
            self.open.pop();
            self.close(range.clone());
        }
        self.out.push((Event::End(tag), range.clone()));
        while self.closing.last() == Some(&self.depth) {
            self.closing.pop();
            self.close(range.clone());
        }
    }

    /// `+++` on a lazy continuation line, deeper than the collapsible it closes.
    fn is_lazy_close(&self, text: &str, input: &mut Input<'a>) -> bool {
        text.trim() == "+++"
            && matches!(self.out.last(), Some((Event::SoftBreak, _)))
            && self.open.last().is_some_and(|&d| d < self.depth - 1)
            && matches!(
                input.peek(),
                Some((Event::End(TagEnd::Paragraph | TagEnd::Item), _))
            )
    }

    /// `+++` as the last line of a paragraph: close after the paragraph.
    fn close_after_paragraph(
        &mut self,
        event: Event<'a>,
        range: Range<usize>,
        input: &mut Input<'a>,
    ) {
        if matches!(self.out.last(), Some((Event::SoftBreak, _))) {
            self.out.pop();
        }
        if let Some((Event::End(TagEnd::Paragraph), end_range)) = input.next() {
            self.depth -= 1;
            self.out.push((Event::End(TagEnd::Paragraph), end_range));
            self.open.pop();
            self.close(range);
        } else {
            self.out.push((event, range));
        }
    }
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
