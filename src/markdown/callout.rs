//! Blockquote-based ExL blocks: callouts (`>[!IMPORTANT]`), tabs (`>[!BEGINTABS]`,
//! `>[!TAB label]`, `>[!ENDTABS]`), shadeboxes (`>[!BEGINSHADEBOX "Title"]`, `>[!ENDSHADEBOX]`),
//! videos (`>[!VIDEO](url)`) and in-app help metadata (`>[!CONTEXTUALHELP]`, not shown).
//!
//! Markers are found in the source text, not in the text events, because pulldown-cmark splits
//! `[!NOTE]` into several events (it could be a link).

use std::ops::Range;

use pulldown_cmark::{BlockQuoteKind, CowStr, Event, Tag, TagEnd};

use super::escape::html_escape;
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

/// A `[!NAME argument]` marker at the start of a blockquote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockMarker<'s> {
    /// As written: `NOTE`, `TAB`, `VIDEO`.
    pub name: &'s str,
    /// What follows the name inside the brackets, trimmed: the tab label, the shadebox title.
    pub argument: &'s str,
    /// The rest of the marker's line after `]`: `(url){transcript=true}` for videos.
    pub rest: &'s str,
    /// Offset just past the `]` in the quote's source.
    pub end: usize,
}

/// Parses the marker at the start of a blockquote's source text.
pub fn block_marker(quote_source: &str) -> Option<BlockMarker<'_>> {
    let start = quote_source.len() - quote_source.trim_start_matches([' ', '\t', '>']).len();
    let rest = quote_source[start..].strip_prefix("[!")?;
    let name_len = rest
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(rest.len());
    if name_len == 0 {
        return None;
    }
    let line = rest.split('\n').next().unwrap_or_default();
    let close = line.rfind(']').filter(|&i| i >= name_len)?;
    let close = if line[name_len..].starts_with(']') {
        name_len
    } else {
        // `[!VIDEO](url)`: the marker ends at its own `]`, not at a later one on the line.
        line[name_len..].find(']').map_or(close, |i| name_len + i)
    };
    let argument = &line[name_len..close];
    if !argument.is_empty() && !argument.starts_with([' ', '\t']) {
        return None;
    }
    Some(BlockMarker {
        name: &rest[..name_len],
        argument: argument.trim(),
        rest: line[close + 1..].trim_end(),
        end: start + 2 + close + 1,
    })
}

/// Finds a plain `[!KIND]` marker (nothing else on its line). Returns the kind as written and
/// the offset just past the `]`.
pub fn marker(quote_source: &str) -> Option<(&str, usize)> {
    let m = block_marker(quote_source)?;
    (m.argument.is_empty() && m.rest.trim().is_empty()).then_some((m.name, m.end))
}

/// What an open blockquote turned into, so its end can be written to match.
enum Open {
    Quote,
    Callout,
    /// A marker-only blockquote (tabs, shadebox): its end writes nothing.
    Unwrapped,
}

/// Tab groups being written: how many tabs the group has had so far.
struct TabGroup {
    id: usize,
    tabs: usize,
}

/// The events being rewritten, read one at a time (markers look at what follows them).
type Events<'a> = std::iter::Peekable<std::vec::IntoIter<Spanned<'a>>>;

/// Turns the ExL blockquote blocks into their HTML, in place.
pub fn transform<'a>(
    body: &str,
    events: &mut Vec<Spanned<'a>>,
    ctx: &RenderContext<'_>,
    warnings: &mut Vec<Warning>,
) {
    // Callouts, tabs and shadeboxes are all block quotes.
    if !events
        .iter()
        .any(|(event, _)| matches!(event, Event::Start(Tag::BlockQuote(_))))
    {
        return;
    }
    let mut writer = BlockWriter::new(events.len());
    let mut iter = std::mem::take(events).into_iter().peekable();
    while let Some((event, range)) = iter.next() {
        match event {
            Event::Start(Tag::BlockQuote(kind)) => {
                match body.get(range.clone()).and_then(block_marker) {
                    Some(found) => {
                        writer.marked_quote(&found, kind, range, &mut iter, ctx, warnings)
                    }
                    None => writer.plain_quote(kind, range),
                }
            }
            Event::End(TagEnd::BlockQuote(kind)) => writer.end_quote(kind, range),
            other => writer.out.push((other, range)),
        }
    }
    *events = writer.finish(body.len());
}

/// The rewritten events, and the blocks open at the current event.
struct BlockWriter<'a> {
    out: Vec<Spanned<'a>>,
    open: Vec<Open>,
    tab_groups: Vec<TabGroup>,
    /// The id of the last tab group started on the page.
    next_group: usize,
    /// Shadeboxes started and not yet ended.
    shadeboxes: usize,
}

impl<'a> BlockWriter<'a> {
    fn new(capacity: usize) -> Self {
        Self {
            out: Vec::with_capacity(capacity),
            open: Vec::new(),
            tab_groups: Vec::new(),
            next_group: 0,
            shadeboxes: 0,
        }
    }

    fn html(&mut self, html: String, range: &Range<usize>) {
        self.out
            .push((Event::Html(CowStr::from(html)), range.clone()));
    }

    /// A blockquote without a marker stays a blockquote.
    fn plain_quote(&mut self, kind: Option<BlockQuoteKind>, range: Range<usize>) {
        self.open.push(Open::Quote);
        self.out.push((Event::Start(Tag::BlockQuote(kind)), range));
    }

    /// A blockquote that starts with `[!NAME ...]`: writes the block's opening HTML (or drops
    /// the whole quote, for videos and in-app help) and skips the marker's own events.
    fn marked_quote(
        &mut self,
        found: &BlockMarker<'_>,
        kind: Option<BlockQuoteKind>,
        range: Range<usize>,
        iter: &mut Events<'a>,
        ctx: &RenderContext<'_>,
        warnings: &mut Vec<Warning>,
    ) {
        let name = found.name.to_ascii_uppercase();
        let marker_end = range.start + found.end;
        let opened = match name.as_str() {
            kind_name if KINDS.contains(&kind_name) && found.argument.is_empty() => {
                self.html(callout_start(kind_name, ctx), &range);
                Open::Callout
            }
            "CONTEXTUALHELP" => {
                skip_block(iter);
                return;
            }
            "VIDEO" => {
                let url = found
                    .rest
                    .strip_prefix('(')
                    .and_then(|r| r.split(')').next())
                    .unwrap_or_default()
                    .trim();
                self.html(video_html(url, &(ctx.ui)("video-watch")), &range);
                skip_block(iter);
                return;
            }
            "BEGINTABS" => self.begin_tabs(&range),
            "TAB" if !self.tab_groups.is_empty() => self.tab(found.argument, &range),
            "ENDTABS" if !self.tab_groups.is_empty() => self.end_tabs(&range),
            "BEGINSHADEBOX" => self.begin_shadebox(found.argument, &range),
            "ENDSHADEBOX" if self.shadeboxes > 0 => {
                self.shadeboxes -= 1;
                self.html("</div>\n".to_owned(), &range);
                Open::Unwrapped
            }
            _ => {
                if !matches!(
                    name.as_str(),
                    "DNL" | "UICONTROL" | "BADGE" | "TAB" | "ENDTABS" | "ENDSHADEBOX"
                ) {
                    warnings.push(unknown_kind(found.name, ctx, range.start));
                }
                // A plain quote, without the marker nobody can read.
                self.out.push((Event::Start(Tag::BlockQuote(kind)), range));
                Open::Quote
            }
        };
        self.open.push(opened);
        skip_marker(iter, marker_end, &mut self.out);
    }

    fn begin_tabs(&mut self, range: &Range<usize>) -> Open {
        self.next_group += 1;
        let id = self.next_group;
        self.tab_groups.push(TabGroup { id, tabs: 0 });
        self.html(
            format!("<div class=\"tabs\" data-tabs id=\"tabs-{id}\">\n"),
            range,
        );
        Open::Unwrapped
    }

    /// `[!TAB label]` inside a tab group: closes the previous panel and opens this one.
    fn tab(&mut self, argument: &str, range: &Range<usize>) -> Open {
        let group = self.tab_groups.last_mut().map(|g| {
            g.tabs += 1;
            (g.id, g.tabs)
        });
        let (group, tab) = group.unwrap_or((0, 0));
        let close = if tab > 1 { "</div>\n" } else { "" };
        let label = super::inline::render_line(&decode_label(argument));
        self.html(format!(
            "{close}<div class=\"tab-panel\" role=\"tabpanel\" id=\"tabs-{group}-{tab}\" aria-labelledby=\"tabs-{group}-{tab}-label\">\
             <p class=\"tab-label\" id=\"tabs-{group}-{tab}-label\">{label}</p>\n"
        ), range);
        Open::Unwrapped
    }

    fn end_tabs(&mut self, range: &Range<usize>) -> Open {
        let had_tabs = self.tab_groups.pop().is_some_and(|g| g.tabs > 0);
        self.html(
            format!("{}</div>\n", if had_tabs { "</div>\n" } else { "" }),
            range,
        );
        Open::Unwrapped
    }

    fn begin_shadebox(&mut self, argument: &str, range: &Range<usize>) -> Open {
        self.shadeboxes += 1;
        let title = argument.trim_matches(['"', '“', '”', '«', '»', ' ']);
        let heading = if title.is_empty() {
            String::new()
        } else {
            format!(
                "<p class=\"shadebox-title\">{}</p>",
                super::inline::render_line(&decode_label(title))
            )
        };
        self.html(format!("<div class=\"shadebox\">{heading}\n"), range);
        Open::Unwrapped
    }

    /// The end of a blockquote closes what its start opened.
    fn end_quote(&mut self, kind: Option<BlockQuoteKind>, range: Range<usize>) {
        match self.open.pop() {
            Some(Open::Callout) => self.html("</div></div>\n".to_owned(), &range),
            Some(Open::Unwrapped) => {}
            _ => self.out.push((Event::End(TagEnd::BlockQuote(kind)), range)),
        }
    }

    /// Closes what the author left open, so the page stays well formed.
    fn finish(mut self, body_len: usize) -> Vec<Spanned<'a>> {
        for group in self.tab_groups.into_iter().rev() {
            let close = if group.tabs > 0 {
                "</div>\n</div>\n"
            } else {
                "</div>\n"
            };
            self.out
                .push((Event::Html(CowStr::Borrowed(close)), body_len..body_len));
        }
        for _ in 0..self.shadeboxes {
            self.out.push((
                Event::Html(CowStr::Borrowed("</div>\n")),
                body_len..body_len,
            ));
        }
        self.out
    }
}

/// The opening HTML of a callout, with its translated label.
fn callout_start(kind_name: &str, ctx: &RenderContext<'_>) -> String {
    let kind = kind_name.to_ascii_lowercase();
    let label = html_escape(&(ctx.ui)(&format!("callout-{kind}")));
    format!(
        "<div class=\"callout\" data-callout=\"{kind}\" role=\"note\">\
         <p class=\"callout-label\"><span class=\"callout-icon\" aria-hidden=\"true\"></span>{label}</p>\
         <div class=\"callout-body\">\n"
    )
}

fn unknown_kind(name: &str, ctx: &RenderContext<'_>, offset: usize) -> Warning {
    Warning {
        location: Some(ctx.location(offset)),
        message: format!(
            "unknown callout kind `[!{}]`, shown as a plain quote; known kinds: {}",
            name,
            KINDS.join(", ")
        ),
    }
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
        let in_marker = range.end <= marker_end
            && !matches!(
                event,
                Event::End(TagEnd::Paragraph) | Event::SoftBreak | Event::HardBreak
            );
        if in_marker {
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

/// Drops everything up to and including the end of the current blockquote.
fn skip_block<'a>(iter: &mut impl Iterator<Item = Spanned<'a>>) {
    let mut depth = 1;
    for (event, _) in iter.by_ref() {
        match event {
            Event::Start(Tag::BlockQuote(_)) => depth += 1,
            Event::End(TagEnd::BlockQuote(_)) => {
                depth -= 1;
                if depth == 0 {
                    return;
                }
            }
            _ => {}
        }
    }
}

/// Tab labels and titles are read from the source: decode the entities translation left there.
fn decode_label(label: &str) -> String {
    label
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&#x200B;", "")
        .replace("&amp;", "&")
        .trim()
        .to_owned()
}

/// A lazily loaded, responsive player with a plain link for readers without frames.
fn video_html(url: &str, watch: &str) -> String {
    let safe = url.starts_with("https://") || url.starts_with("http://");
    let url = html_escape(if safe { url } else { "" });
    let watch = html_escape(watch);
    format!(
        "<figure class=\"video\"><div class=\"video-frame\"><iframe src=\"{url}\" title=\"{watch}\" loading=\"lazy\" \
         allow=\"fullscreen; picture-in-picture\" allowfullscreen></iframe></div>\
         <figcaption><a href=\"{url}\">{watch}</a></figcaption></figure>\n"
    )
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
        let tab = block_marker(">[!TAB  Bèta&#39;s ]").map(|m| (m.name, m.argument));
        assert_eq!(tab, Some(("TAB", "Bèta&#39;s")));
        let video = block_marker(">[!VIDEO](https://v.example/1?a=b){transcript=true}")
            .map(|m| (m.name, m.rest));
        assert_eq!(
            video,
            Some(("VIDEO", "(https://v.example/1?a=b){transcript=true}"))
        );
        assert_eq!(block_marker(">[!NOTE-x]").map(|m| m.name), None);
    }

    #[test]
    fn renders_callout_with_blank_line_after_marker() {
        let html = render_str(">[!IMPORTANT]\n>\n>Body **bold**.\n>\n>* item\n").html;
        assert!(
            html.starts_with("<div class=\"callout\" data-callout=\"important\" role=\"note\">"),
            "{html}"
        );
        assert!(html.contains("Label-callout-important</p>"), "{html}");
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
        assert!(html.contains("<p>First line<br />\nsecond.</p>"), "{html}");
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
        assert_eq!(
            rendered.html,
            "<p>text</p>\n<blockquote>\n<p>body</p>\n</blockquote>\n"
        );
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

    #[test]
    fn contextual_help_is_not_shown() {
        let html = render_str(
            "Before\n\n>[!CONTEXTUALHELP]\n>id=\"x\"\n>title=\"T\"\n>abstract=\"A\"\n\nAfter\n",
        )
        .html;
        assert_eq!(html, "<p>Before</p>\n<p>After</p>\n");
    }

    #[test]
    fn tabs_become_panels() {
        let html = render_str(">[!BEGINTABS]\n\n>[!TAB One]\n\nFirst **tab**.\n\n>[!TAB  Bèta&#39;s ]\n\nSecond.\n\n>[!ENDTABS]\n\nAfter.\n").html;
        assert!(
            html.starts_with("<div class=\"tabs\" data-tabs id=\"tabs-1\">"),
            "{html}"
        );
        assert!(html.contains("<p class=\"tab-label\" id=\"tabs-1-1-label\">One</p>\n<p>First <strong>tab</strong>.</p>"), "{html}");
        assert!(html.contains("id=\"tabs-1-2-label\">Bèta's</p>"), "{html}");
        assert!(
            html.contains("<p>Second.</p>\n</div>\n</div>\n<p>After.</p>"),
            "{html}"
        );
        assert!(!html.contains("[!"), "{html}");
    }

    #[test]
    fn shadebox_with_and_without_title() {
        let html =
            render_str(">[!BEGINSHADEBOX \"Good to know\"]\n\nInside.\n\n>[!ENDSHADEBOX]\n").html;
        assert_eq!(html, "<div class=\"shadebox\"><p class=\"shadebox-title\">Good to know</p>\n<p>Inside.</p>\n</div>\n");
        let plain = render_str(">[!BEGINSHADEBOX]\n\nInside.\n\n>[!ENDSHADEBOX]\n").html;
        assert_eq!(plain, "<div class=\"shadebox\">\n<p>Inside.</p>\n</div>\n");
    }

    #[test]
    fn video_is_a_lazy_player_with_a_link() {
        let html =
            render_str(">[!VIDEO](https://video.tv.adobe.com/v/3442750/?quality=12&learn=on)\n")
                .html;
        assert!(
            html.contains(
                "<iframe src=\"https://video.tv.adobe.com/v/3442750/?quality=12&amp;learn=on\""
            ),
            "{html}"
        );
        assert!(html.contains("loading=\"lazy\""), "{html}");
        assert!(html.contains("<a href=\"https://video.tv.adobe.com/v/3442750/?quality=12&amp;learn=on\">Label-video-watch</a>"), "{html}");
        assert!(!html.contains("VIDEO"), "{html}");
    }

    #[test]
    fn unclosed_tabs_are_closed() {
        let html = render_str(">[!BEGINTABS]\n\n>[!TAB One]\n\nText\n").html;
        assert_eq!(
            html.matches("<div").count(),
            html.matches("</div>").count(),
            "{html}"
        );
    }
}
