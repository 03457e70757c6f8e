//! ExL markdown to HTML.
//!
//! pulldown-cmark parses CommonMark/GFM into events with their source offsets; each ExL
//! extension is a pass over that event list ([`callout`], [`headings`], [`code`], [`links`]), and
//! pulldown-cmark's HTML writer prints the result. A new extension is a new pass.

pub mod attributes;
pub mod callout;
pub mod code;
pub mod collapsible;
pub mod escape;
pub mod headings;
pub mod highlight;
pub mod inline;
pub mod links;
pub mod raw_html;
pub mod repair;
pub mod sanitize;
pub mod snippets;

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser};

use crate::error::{Location, SourceError, Warning};
pub use headings::RenderedHeading;
pub use snippets::{Expansions, Snippets};

/// An event with the byte range of the markdown it came from (relative to the body).
pub type Spanned<'a> = (Event<'a>, Range<usize>);

/// What rendering needs to know about the page being rendered.
pub struct RenderContext<'a> {
    /// The file, as shown in warnings.
    pub shown_path: &'a str,
    /// The whole file, for positions.
    pub file_text: &'a str,
    /// Where the body starts in the file.
    pub body_offset: usize,
    /// The page's locale code (`fr`): typography depends on it.
    pub locale: &'a str,
    /// A UI string of the page's locale by message id (`callout-important` -> "Belangrijk").
    pub ui: &'a (dyn Fn(&str) -> String + Sync),
    /// Rewrites a link or image target; `None` leaves it as written.
    pub resolve_link: &'a (dyn Fn(&str) -> Option<String> + Sync),
    /// The locale's snippets and includes.
    pub snippets: &'a Snippets,
    /// The snippets being expanded around this text, to catch cycles.
    pub include_stack: &'a [String],
    /// Work shared by the pages of a build.
    pub cache: &'a Cache,
    /// The snippets and includes this page has expanded so far; `None` at the top of a page.
    pub expansions: Option<&'a snippets::Expansions>,
}

/// Results shared by the pages of a build: translations carry the same code blocks, so each
/// distinct block is highlighted once.
#[derive(Debug, Default)]
pub struct Cache {
    highlighted: std::sync::Mutex<foldhash::HashMap<(String, String), std::sync::Arc<str>>>,
}

impl Cache {
    /// The highlighted HTML of `code` in `lang`, computed once per distinct pair.
    pub fn highlight(&self, lang: &str, code: &str) -> Option<std::sync::Arc<str>> {
        let key = (lang.to_owned(), code.to_owned());
        if let Some(html) = self
            .highlighted
            .lock()
            .ok()
            .and_then(|map| map.get(&key).cloned())
        {
            return Some(html);
        }
        let html: std::sync::Arc<str> = highlight::highlight(code, lang)?;
        if let Ok(mut map) = self.highlighted.lock() {
            map.insert(key, std::sync::Arc::clone(&html));
        }
        Some(html)
    }
}

impl std::fmt::Debug for RenderContext<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RenderContext")
            .field("shown_path", &self.shown_path)
            .finish_non_exhaustive()
    }
}

impl RenderContext<'_> {
    /// The file location of byte `offset` of the body.
    pub fn location(&self, offset: usize) -> Location {
        Location::from_offset(self.shown_path, self.file_text, self.body_offset + offset)
    }
}

/// A rendered article body.
#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    /// Every heading, in order, with its final id.
    pub headings: Vec<RenderedHeading>,
    pub warnings: Vec<Warning>,
    /// Problems that make the page wrong (a missing snippet, an include cycle): the build fails.
    pub errors: Vec<SourceError>,
    /// The prose as plain text, one line per block, for the search index.
    pub text: String,
}

impl Rendered {
    /// The text of the first level-1 heading, if any.
    pub fn h1(&self) -> Option<&str> {
        self.headings
            .iter()
            .find(|h| h.level == 1)
            .map(|h| h.text.as_str())
    }
}

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Fewer bytes of source than real pages have for each of their events (see [`render`]).
const EVENT_BYTES: usize = 16;

/// Renders a markdown body to HTML.
pub fn render(body: &str, ctx: &RenderContext<'_>) -> Rendered {
    let (masked, unclosed) = sanitize::mask_comments(body);
    let body: &str = &masked;
    // Sized for the events to come: collected from the parser's iterator, the list grew a
    // dozen times a page, each time copying what it held (1% of a build's instructions). Pages
    // of the bench and Adobe corpora have one event per 11 to 33 bytes (26 at the median).
    let mut events: Vec<Spanned<'_>> = Vec::with_capacity(body.len() / EVENT_BYTES + 16);
    events.extend(Parser::new_ext(body, options()).into_offset_iter());
    let mut warnings: Vec<Warning> = unclosed
        .into_iter()
        .map(|offset| Warning {
            location: Some(ctx.location(offset)),
            message: "an HTML comment `<!--` is never closed; it is read as ending with its line: add `-->` where it should end".to_owned(),
        })
        .collect();
    let mut errors = Vec::new();
    let raw_ranges = sanitize::drop_comments(&mut events);
    // Before snippets: their rendered HTML is already resolved.
    raw_html::transform(&mut events, ctx);
    let marks = Marks::of(body);
    snippets::transform(body, &marks, &mut events, ctx, &mut errors, &mut warnings);
    callout::transform(body, &mut events, ctx, &mut warnings);
    collapsible::transform(body, &marks, &mut events, ctx);
    links::transform(&mut events, ctx);
    attributes::filter_headings(&mut events, ctx, &mut warnings);
    attributes::transform(&marks, &mut events, ctx, &mut warnings);
    repair::before_inline(&marks, &mut events);
    inline::transform(&mut events);
    repair::after_inline(&mut events, ctx.locale);
    code::transform(&mut events, ctx);
    line_breaks(&mut events);
    // After the passes that move events: the anchors are put in by index as the page is written.
    let (headings, anchors) = headings::assign_ids(&mut events);
    let text = plain_text(&events, body.len());
    let html = write_html(events, anchors, &raw_ranges, body.len());
    Rendered {
        html,
        headings,
        warnings,
        errors,
        text,
    }
}

/// The page's HTML, its raw HTML sanitized ([`sanitize::raw_html`]).
fn write_html(
    mut events: Vec<Spanned<'_>>,
    anchors: Vec<(usize, String)>,
    raw: &[std::ops::Range<usize>],
    source_len: usize,
) -> String {
    use pulldown_cmark::html::push_html;
    // Room for the markup and the highlighted code, so the page is not copied as it grows.
    let mut html = String::with_capacity(source_len * 2);
    match sanitize::raw_html(&events, raw) {
        sanitize::RawHtml::None => push_html(&mut html, headings::with_anchors(events, anchors)),
        sanitize::RawHtml::Whole => {
            push_html(&mut html, headings::with_anchors(events, anchors));
            html = sanitize::clean(&html);
        }
        sanitize::RawHtml::Run(run) => {
            // Three runs of events, each with the anchors that go before its events (their
            // indices made the run's own).
            let after = events.split_off(run.end);
            let middle = events.split_off(run.start);
            let mut anchors = anchors.into_iter().peekable();
            let mut take = |from: usize, to: usize| -> Vec<(usize, String)> {
                let mut taken = Vec::new();
                while let Some((at, html)) = anchors.next_if(|(at, _)| *at < to) {
                    taken.push((at - from, html));
                }
                taken
            };
            let before_anchors = take(0, run.start);
            let middle_anchors = take(run.start, run.end);
            let after_anchors = take(run.end, usize::MAX);
            push_html(&mut html, headings::with_anchors(events, before_anchors));
            let mut raw_html = String::with_capacity(source_len);
            push_html(
                &mut raw_html,
                headings::with_anchors(middle, middle_anchors),
            );
            html.push_str(&sanitize::clean(&raw_html));
            push_html(&mut html, headings::with_anchors(after, after_anchors));
        }
    }
    html
}

/// Whether two events next to each other are both `is`: a pass that joins such runs has
/// nothing to do without, and leaves the events where they are instead of copying them.
pub(crate) fn adjacent(events: &[Spanned<'_>], is: impl Fn(&Event<'_>) -> bool) -> bool {
    events
        .windows(2)
        .any(|pair| is(&pair[0].0) && is(&pair[1].0))
}

/// What a page's source holds, found once with a few byte scans: a pass whose marker the
/// source lacks leaves the page's events alone without looking at each (a page's texts are
/// hundreds of short strings, and each look costs about as much as a scan of the whole source).
/// A character reference can make a marker (`&#x200B;` is a zero-width space), so a source
/// with a `&` is taken to hold every one but NUL (which a reference cannot make: `&#0;` is read
/// as U+FFFD).
#[derive(Debug, Clone, Copy)]
pub struct Marks {
    pub nul: bool,
    pub zero_width: bool,
    /// `{`: attribute lists and snippet references.
    pub brace: bool,
    /// `+++`: collapsibles.
    pub plus: bool,
}

impl Marks {
    pub fn of(body: &str) -> Marks {
        let bytes = body.as_bytes();
        let reference = memchr::memchr(b'&', bytes).is_some();
        Marks {
            nul: memchr::memchr(0, bytes).is_some(),
            zero_width: reference || memchr::memmem::find(bytes, "\u{200B}".as_bytes()).is_some(),
            brace: reference || memchr::memchr(b'{', bytes).is_some(),
            plus: reference || memchr::memmem::find(bytes, b"+++").is_some(),
        }
    }
}

/// Whether a text outside code blocks has a `{` (attribute lists, and snippet references
/// written as character references), asked only when the source could make one.
pub(crate) fn any_prose_brace(marks: &Marks, events: &[Spanned<'_>]) -> bool {
    marks.brace
        && any_prose_text(events, |text| {
            memchr::memchr(b'{', text.as_bytes()).is_some()
        })
}

/// Whether a text event outside code blocks passes `is`. A pass that only acts on such texts
/// asks this first and, with none, leaves the events where they are: moving every event of a
/// page into a new list, pass after pass, was a tenth of rendering it.
pub(crate) fn any_prose_text(events: &[Spanned<'_>], is: impl Fn(&str) -> bool) -> bool {
    let mut in_code = false;
    events.iter().any(|(event, _)| match event {
        Event::Start(pulldown_cmark::Tag::CodeBlock(_)) => {
            in_code = true;
            false
        }
        Event::End(pulldown_cmark::TagEnd::CodeBlock) => {
            in_code = false;
            false
        }
        Event::Text(text) => !in_code && is(text),
        _ => false,
    })
}

/// A single newline inside a paragraph, list item, callout or table cell is a line break, as
/// on Experience League (markdown-it with `breaks` on): release notes put `Preview: May 12` and
/// `Production: May 14` on lines of one paragraph. Code blocks hold no soft breaks.
fn line_breaks(events: &mut [Spanned<'_>]) {
    for (event, _) in events.iter_mut() {
        if matches!(event, Event::SoftBreak) {
            *event = Event::HardBreak;
        }
    }
}

/// The text a reader reads, without markup: blocks end with a newline. `source_len`, the
/// length of the source, bounds the text's (but for character references), so the text is
/// made in one buffer.
fn plain_text(events: &[Spanned<'_>], source_len: usize) -> String {
    use pulldown_cmark::TagEnd;
    let mut text = String::with_capacity(source_len);
    for (event, _) in events {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell,
            ) => text.push('\n'),
            _ => {}
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::test_support::render_str;
    use super::Marks;

    #[test]
    fn marks_of_a_source_and_what_references_could_make() {
        let plain = Marks::of("# Title\n\nText [link](a.md) and `code`.\n");
        assert!(!plain.nul && !plain.zero_width && !plain.brace && !plain.plus);
        let marked = Marks::of("+++ More\n\nText{#id} \u{200B}\u{0}\n+++\n");
        assert!(marked.nul && marked.zero_width && marked.brace && marked.plus);
        let referenced = Marks::of("Text &#x200B; more\n");
        assert!(referenced.zero_width && referenced.brace && referenced.plus);
        assert!(!referenced.nul, "a reference cannot make a NUL");
    }

    #[test]
    fn markers_made_by_character_references_still_count() {
        // `&#123;` is `{`, `&#43;` is `+`: the passes look at the texts, not only the source.
        let html = render_str("[x](https://x.example)&#123;target=_blank}\n").html;
        assert!(html.contains("target=\"_blank\""), "{html}");
    }

    #[test]
    fn single_newlines_are_line_breaks_except_in_code() {
        let html = render_str(
            "Preview: May 12\nProduction: May 14\n\n- a\n  b\n\n| x |\n|---|\n| y |\n\n```\none\ntwo\n```\n",
        )
        .html;
        assert!(
            html.contains("<p>Preview: May 12<br />\nProduction: May 14</p>"),
            "{html}"
        );
        assert!(html.contains("<li>a<br />\nb</li>"), "{html}");
        assert!(html.contains("<code>one\ntwo\n</code>"), "{html}");
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;

    pub fn label(id: &str) -> String {
        format!("Label-{id}")
    }

    pub fn resolve(dest: &str) -> Option<String> {
        dest.strip_suffix(".md").map(|stem| format!("../{stem}/"))
    }

    pub fn render_str(body: &str) -> Rendered {
        render_in("en", body)
    }

    pub fn render_in(locale: &str, body: &str) -> Rendered {
        render_with(locale, body, &Snippets::default())
    }

    pub fn render_with(locale: &str, body: &str, snippets: &Snippets) -> Rendered {
        let ctx = RenderContext {
            shown_path: "t.md",
            file_text: body,
            body_offset: 0,
            locale,
            ui: &label,
            resolve_link: &resolve,
            snippets,
            include_stack: &[],
            cache: &Cache::default(),
            expansions: None,
        };
        render(body, &ctx)
    }
}
