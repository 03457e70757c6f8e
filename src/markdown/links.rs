//! Link and image targets: relative links to other articles (`../x.md#a`) become their pretty
//! URLs; the page's [`RenderContext::resolve_link`] decides.

use pulldown_cmark::{CowStr, Event, Tag};

use super::{RenderContext, Spanned};

pub fn transform(events: &mut [Spanned<'_>], ctx: &RenderContext<'_>) {
    for (event, _) in events.iter_mut() {
        if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = event {
            if let Some(resolved) = (ctx.resolve_link)(dest_url) {
                *dest_url = CowStr::from(resolved);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::markdown::test_support::render_str;

    #[test]
    fn rewrites_through_the_resolver() {
        let html = render_str("[a](other.md) [b](https://x.example/y) ![i](img.png)\n").html;
        assert!(html.contains("href=\"../other/\""), "{html}");
        assert!(html.contains("href=\"https://x.example/y\""), "{html}");
        assert!(html.contains("src=\"img.png\""), "{html}");
    }
}
