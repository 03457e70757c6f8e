//! Raw HTML in articles: comments are dropped; everything else is kept but sanitized with
//! ammonia (no scripts, no event handlers, no `javascript:` URLs).
//!
//! Sanitizing needs the whole page (an HTML table often spans several markdown blocks), so it
//! runs on the rendered body, and only for bodies that have raw HTML besides comments.

use std::collections::HashSet;
use std::sync::LazyLock;

use pulldown_cmark::Event;

use super::Spanned;

/// Drops raw HTML that is only comments. Returns whether other raw HTML remains.
pub fn drop_comments(events: &mut Vec<Spanned<'_>>) -> bool {
    let mut raw = false;
    let mut out = Vec::with_capacity(events.len());
    let mut block: Vec<Spanned<'_>> = Vec::new();
    for (event, range) in std::mem::take(events) {
        if let Event::Html(_) = event {
            block.push((event, range));
            continue;
        }
        raw |= flush_block(&mut block, &mut out);
        match event {
            Event::InlineHtml(ref html) if only_comments(html) => {}
            Event::InlineHtml(_) => {
                raw = true;
                out.push((event, range));
            }
            _ => out.push((event, range)),
        }
    }
    raw |= flush_block(&mut block, &mut out);
    *events = out;
    raw
}

/// Moves an HTML block to `out` unless it is only comments; returns whether it was kept.
fn flush_block<'a>(block: &mut Vec<Spanned<'a>>, out: &mut Vec<Spanned<'a>>) -> bool {
    if block.is_empty() {
        return false;
    }
    let text: String = block
        .iter()
        .map(|(e, _)| match e {
            Event::Html(h) => h.as_ref(),
            _ => "",
        })
        .collect();
    if only_comments(&text) {
        block.clear();
        false
    } else {
        out.append(block);
        true
    }
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
        .add_tag_attributes("button", ["type"])
        .add_tag_attributes("details", ["open"])
        .add_tag_attributes("ol", ["start"])
        .link_rel(None)
        .url_schemes(HashSet::from(["http", "https", "mailto", "tel"]));
    builder
});

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
