//! ExL attribute lists: `{width=400 align=center}` after an image, `{target=_blank}` after a
//! link, and `{style="table-layout:auto"}` on its own line after a table. They are applied (or,
//! for table styles, which our CSS already covers, dropped) and never shown as text.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::escape::html_escape;
use super::headings::plain_text;
use super::{RenderContext, Spanned};
use crate::error::Warning;

/// Quote characters around attribute values: ASCII, and the ones machine translation puts in
/// (`{width= »500 »}`).
const QUOTES: &[char] = &['"', '\'', '«', '»', '“', '”', '„'];

/// Parses `key=value key="quoted value" flag` (without the braces). Keys are lowercased.
pub fn parse(text: &str) -> Vec<(String, String)> {
    let mut attrs = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let key_len = rest
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(rest.len());
        let key = rest[..key_len].to_ascii_lowercase();
        rest = rest[key_len..].trim_start();
        let value = if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (value, len) = match after.chars().next() {
                Some(q) if QUOTES.contains(&q) => {
                    let inner = &after[q.len_utf8()..];
                    let end = inner.find(QUOTES).unwrap_or(inner.len());
                    let close = inner[end..].chars().next().map_or(0, char::len_utf8);
                    (&inner[..end], q.len_utf8() + end + close)
                }
                _ => {
                    let end = after.find(char::is_whitespace).unwrap_or(after.len());
                    (&after[..end], end)
                }
            };
            rest = &after[len..];
            value
                .replace("&quot;", "")
                .trim_matches(|c: char| c.is_whitespace() || QUOTES.contains(&c))
                .to_owned()
        } else {
            String::new()
        };
        if !key.is_empty() {
            attrs.push((key, value));
        }
        rest = rest.trim_start();
    }
    attrs
}

/// The attributes an attribute list may set on a heading, image, link or table; anything
/// else (event handlers, `tabindex`, `autofocus`...) is dropped with a warning.
pub const ALLOWED: &[&str] = &[
    "id", "class", "width", "height", "target", "rel", "title", "alt", "style",
];

/// ExL's own image keys, turned into classes and data attributes.
const IMAGE_KEYS: &[&str] = &["align", "modal", "zoomable"];

fn dropped_warning(ctx: &RenderContext<'_>, offset: usize, key: &str, on: &str) -> Warning {
    Warning {
        location: Some(ctx.location(offset)),
        message: format!(
            "attribute `{key}` on {on} is not allowed and was dropped; allowed: {}",
            ALLOWED.join(", ")
        ),
    }
}

/// Keeps the allowed attributes of every heading's `{...}`; `style` through the CSS safe list.
pub fn filter_headings(
    events: &mut [Spanned<'_>],
    ctx: &RenderContext<'_>,
    warnings: &mut Vec<Warning>,
) {
    for (event, range) in events.iter_mut() {
        let Event::Start(Tag::Heading { attrs, .. }) = event else {
            continue;
        };
        attrs.retain_mut(|(key, value)| {
            let name = key.to_ascii_lowercase();
            if !ALLOWED.contains(&name.as_str()) || name == "id" || name == "class" {
                warnings.push(dropped_warning(ctx, range.start, key, "a heading"));
                return false;
            }
            if name == "style" {
                let unquoted = value.as_deref().map(|v| v.trim_matches(QUOTES));
                match unquoted.and_then(super::sanitize::safe_style) {
                    Some(style) => *value = Some(CowStr::from(style)),
                    None => return false,
                }
            }
            true
        });
    }
}

/// Splits `{...}` off the start of `text`: the attribute text and what follows it. Spaces
/// before the `{` are allowed when the list has a `key=value`.
fn leading_attributes(text: &str) -> Option<(&str, &str)> {
    let trimmed = text.trim_start_matches([' ', '\u{a0}']);
    let spaced = trimmed.len() < text.len();
    let inner = trimmed.strip_prefix('{')?;
    let end = inner.find('}')?;
    let attrs = &inner[..end];
    let looks_right = attrs.contains('=')
        || !spaced
            && attrs
                .trim()
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-');
    (looks_right && !attrs.trim().is_empty() && !attrs.starts_with('#'))
        .then(|| (attrs, &inner[end + 1..]))
}

pub fn transform(
    marks: &super::Marks,
    events: &mut Vec<Spanned<'_>>,
    ctx: &RenderContext<'_>,
    warnings: &mut Vec<Warning>,
) {
    // An attribute list is a text with a `{`. (Without one, the pass would only join the
    // texts after links, which `repair::before_inline` does anyway.)
    if !super::any_prose_brace(marks, events) {
        return;
    }
    let mut out: Vec<Spanned<'_>> = Vec::with_capacity(events.len());
    let mut input = std::mem::take(events).into_iter().peekable();
    while let Some((event, range)) = input.next() {
        match event {
            Event::Start(Tag::Paragraph) if is_attribute_paragraph(&mut input) => {
                // A paragraph that is only `{style="..."}`: drop it whole.
                for (event, _) in input.by_ref() {
                    if matches!(event, Event::End(TagEnd::Paragraph)) {
                        break;
                    }
                }
            }
            Event::End(TagEnd::Image) | Event::End(TagEnd::Link) => {
                let is_image = matches!(event, Event::End(TagEnd::Image));
                // The parser may split `{target=_blank}` at the `_`: read the whole text run.
                let mut text = String::new();
                let mut text_range: Option<std::ops::Range<usize>> = None;
                while let Some((Event::Text(t), r)) = input.peek() {
                    text.push_str(t);
                    text_range = Some(text_range.map_or(r.clone(), |tr| tr.start..r.end));
                    input.next();
                }
                let text_range = text_range.unwrap_or(range.end..range.end);
                let Some((attrs, rest)) =
                    leading_attributes(&text).map(|(a, rest)| (parse(a), rest.to_owned()))
                else {
                    out.push((event, range));
                    if !text.is_empty() {
                        out.push((Event::Text(CowStr::from(text)), text_range));
                    }
                    continue;
                };
                for (key, _) in &attrs {
                    let known = ALLOWED.contains(&key.as_str())
                        || is_image && IMAGE_KEYS.contains(&key.as_str());
                    if !known {
                        let on = if is_image { "an image" } else { "a link" };
                        warnings.push(dropped_warning(ctx, text_range.start, key, on));
                    }
                }
                input_push_front(&mut out, is_image, &attrs, (event, range));
                if !rest.is_empty() {
                    out.push((Event::Text(CowStr::from(rest)), text_range));
                }
            }
            other => out.push((other, range)),
        }
    }
    *events = out;
}

/// Is the paragraph that starts next only an attribute list?
fn is_attribute_paragraph<'a>(
    input: &mut std::iter::Peekable<impl Iterator<Item = Spanned<'a>>>,
) -> bool {
    match input.peek() {
        Some((Event::Text(text), _)) => {
            let t = text.trim();
            t.starts_with("{style=") || t.starts_with("{class=") || t.starts_with("{.")
        }
        _ => false,
    }
}

/// Rewrites the image or link that ends with `end` (the last event pushed to `out` belongs to
/// it) so that it carries `attrs`.
fn input_push_front<'a>(
    out: &mut Vec<Spanned<'a>>,
    is_image: bool,
    attrs: &[(String, String)],
    end: Spanned<'a>,
) {
    let start = out.iter().rposition(|(e, _)| {
        matches!(
            (is_image, e),
            (true, Event::Start(Tag::Image { .. })) | (false, Event::Start(Tag::Link { .. }))
        )
    });
    let Some(start) = start else {
        out.push(end);
        return;
    };
    if is_image {
        let inner = out.split_off(start + 1);
        let Some((
            Event::Start(Tag::Image {
                dest_url, title, ..
            }),
            range,
        )) = out.pop()
        else {
            return;
        };
        let html = image_html(&dest_url, &title, &plain_text(&inner), attrs);
        out.push((Event::InlineHtml(CowStr::from(html)), range));
    } else {
        let Some((
            Event::Start(Tag::Link {
                dest_url, title, ..
            }),
            range,
        )) = out.get(start).cloned()
        else {
            out.push(end);
            return;
        };
        let html = link_start_html(&dest_url, &title, attrs);
        out[start] = (Event::InlineHtml(CowStr::from(html)), range);
        out.push((Event::InlineHtml(CowStr::Borrowed("</a>")), end.1));
    }
}

/// An `<img>` with the attributes ExL allows on images (size, alignment, zoom, class, id, a
/// safe style).
fn image_html(dest_url: &str, title: &str, alt: &str, attrs: &[(String, String)]) -> String {
    let mut html = format!(
        "<img src=\"{}\" alt=\"{}\"",
        html_escape(dest_url),
        html_escape(alt)
    );
    if !title.is_empty() {
        html.push_str(&format!(" title=\"{}\"", html_escape(title)));
    }
    let mut classes = Vec::new();
    for (key, value) in attrs {
        match key.as_str() {
            "width" | "height" if value.chars().all(|c| c.is_ascii_digit() || c == '%') => {
                html.push_str(&format!(" {key}=\"{value}\""));
            }
            "align" if matches!(value.as_str(), "left" | "right" | "center") => {
                classes.push(format!("align-{value}"))
            }
            "modal" | "zoomable" => {
                html.push_str(&format!(" data-{key}=\"{}\"", html_escape(value)))
            }
            "class" => classes.extend(value.split_whitespace().map(html_escape)),
            "id" => html.push_str(&format!(" id=\"{}\"", html_escape(value))),
            "style" => {
                if let Some(style) = super::sanitize::safe_style(value) {
                    html.push_str(&format!(" style=\"{}\"", html_escape(&style)));
                }
            }
            _ => {}
        }
    }
    if !classes.is_empty() {
        html.push_str(&format!(" class=\"{}\"", classes.join(" ")));
    }
    html.push_str(" loading=\"lazy\">");
    html
}

/// The opening `<a>` of a link with the attributes ExL allows on links (a new tab, id, class,
/// a safe style).
fn link_start_html(dest_url: &str, title: &str, attrs: &[(String, String)]) -> String {
    let mut html = format!("<a href=\"{}\"", html_escape(dest_url));
    if !title.is_empty() {
        html.push_str(&format!(" title=\"{}\"", html_escape(title)));
    }
    if attrs.iter().any(|(k, v)| k == "target" && v == "_blank") {
        html.push_str(" target=\"_blank\" rel=\"noopener\"");
    }
    for (key, value) in attrs {
        match key.as_str() {
            "id" | "class" => {
                html.push_str(&format!(" {key}=\"{}\"", html_escape(value)));
            }
            "style" => {
                if let Some(style) = super::sanitize::safe_style(value) {
                    html.push_str(&format!(" style=\"{}\"", html_escape(&style)));
                }
            }
            _ => {}
        }
    }
    html.push('>');
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::test_support::render_str;

    #[test]
    fn parses_attribute_lists() {
        let attrs = parse("width=400 align=center modal=\"regular\" target=_blank");
        let pairs: Vec<(&str, &str)> = attrs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("width", "400"),
                ("align", "center"),
                ("modal", "regular"),
                ("target", "_blank")
            ]
        );
        assert_eq!(parse("target=\"&quot;_blank&quot;\"")[0].1, "_blank");
    }

    #[test]
    fn image_attributes_are_applied() {
        let html = render_str(
            "![A *screenshot*](shot.png \"Tip\"){width=400 align=center modal=\"regular\"} after\n",
        )
        .html;
        assert_eq!(
            html,
            "<p><img src=\"shot.png\" alt=\"A screenshot\" title=\"Tip\" width=\"400\" data-modal=\"regular\" class=\"align-center\" loading=\"lazy\"> after</p>\n"
        );
    }

    #[test]
    fn link_target_blank_gets_noopener() {
        for text in [
            "[Site](https://x.example){target=_blank}",
            "[Site](https://x.example){target=\"_blank\"}",
        ] {
            let html = render_str(text).html;
            assert_eq!(html, "<p><a href=\"https://x.example\" target=\"_blank\" rel=\"noopener\">Site</a></p>\n", "{text}");
        }
    }

    #[test]
    fn table_style_line_is_not_shown() {
        let html = render_str(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n{style=\"table-layout:auto\"}\n\nNext\n",
        )
        .html;
        assert!(!html.contains("style"), "{html}");
        assert!(html.contains("</table>\n<p>Next</p>"), "{html}");
    }

    #[test]
    fn spaced_and_machine_translated_attribute_lists() {
        for text in [
            "![Shot](shot.png) {width=\"500\"}",
            "![Shot](shot.png) {width= »500 »}",
            "![Shot](shot.png){width=« 500 »}",
        ] {
            let r = render_str(text);
            assert_eq!(
                r.html,
                "<p><img src=\"shot.png\" alt=\"Shot\" width=\"500\" loading=\"lazy\"></p>\n",
                "{text}"
            );
            assert!(r.warnings.is_empty(), "{text}");
        }
        assert_eq!(parse("width= »500 » align=\"center\"").len(), 2);
    }

    #[test]
    fn only_allowed_attributes_survive() {
        let r = render_str(
            "## Kop {#k tabindex=0 autofocus=autofocus onfocus=alert(document.domain) title=T style=\"color:red;position:fixed\"}\n\n![i](i.png){width=10 onerror=alert(1) style=\"width:10px\"}\n",
        );
        assert!(
            !r.html.contains("onfocus") && !r.html.contains("onerror"),
            "{}",
            r.html
        );
        assert!(
            !r.html.contains("tabindex=\"0\"") && !r.html.contains("autofocus"),
            "{}",
            r.html
        );
        assert!(
            r.html
                .starts_with("<h2 id=\"k\" title=\"T\" style=\"color: red\">Kop"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("width=\"10\" style=\"width: 10px\""),
            "{}",
            r.html
        );
        let warnings: Vec<String> = r.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(warnings.len(), 4, "{warnings:?}");
        assert!(
            warnings[0].starts_with("t.md:1:1: attribute `tabindex` on a heading is not allowed and was dropped; allowed: id, class"),
            "{warnings:?}"
        );
        assert!(
            warnings[3].starts_with("t.md:3:12: attribute `onerror` on an image"),
            "{warnings:?}"
        );
    }

    #[test]
    fn braces_in_prose_stay() {
        let html = render_str("Use {curly} and ![i](i.png) {not attrs here}\n").html;
        assert!(html.contains("{curly}"), "{html}");
        assert!(html.contains("{not attrs here}"), "{html}");
    }
}
