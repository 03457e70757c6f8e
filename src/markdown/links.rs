//! Link and image targets: relative links to other articles (`../x.md#a`) become their pretty
//! URLs; the page's [`RenderContext::resolve_link`] decides. Targets with a scheme that runs
//! code (`javascript:`, `vbscript:`, `data:` outside images) never reach the page.

use pulldown_cmark::{CowStr, Event, Tag};

use super::{RenderContext, Spanned};

pub fn transform(events: &mut [Spanned<'_>], ctx: &RenderContext<'_>) {
    neutralize(events);
    for (event, _) in events.iter_mut() {
        if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = event {
            if let Some(resolved) = (ctx.resolve_link)(dest_url) {
                *dest_url = CowStr::from(resolved);
            }
        }
    }
}

/// Empties every link or image target that would run code.
pub fn neutralize(events: &mut [Spanned<'_>]) {
    for (event, _) in events.iter_mut() {
        let is_image = matches!(event, Event::Start(Tag::Image { .. }));
        if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = event {
            if is_dangerous(dest_url, is_image) {
                *dest_url = CowStr::Borrowed("");
            }
        }
    }
}

/// Does this URL run code when followed? Browsers ignore case, whitespace and control
/// characters in the scheme, so this does too.
pub fn is_dangerous(url: &str, is_image: bool) -> bool {
    let scheme: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take_while(|&c| c != ':' && c != '/' && c != '?' && c != '#')
        .collect::<String>()
        .to_ascii_lowercase();
    let has_colon = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .nth(scheme.chars().count())
        == Some(':');
    has_colon && matches!(scheme.as_str(), "javascript" | "vbscript" | "livescript")
        || (has_colon && scheme == "data" && !is_image)
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

    #[test]
    fn script_urls_never_survive() {
        for md in [
            "[x](javascript:alert(1))",
            "[x](JavaScript:alert(1))",
            "[x](<java\tscript:alert(1)>)",
            "[x](vbscript:msgbox)",
            "[x](data:text/html;base64,PHNjcmlwdD4=)",
            "<javascript:alert(1)>",
        ] {
            let html = render_str(md).html.to_ascii_lowercase();
            assert!(html.contains("href=\"\""), "{md}: {html}");
            assert!(
                !html.contains("href=\"java")
                    && !html.contains("href=\"vb")
                    && !html.contains("href=\"data"),
                "{md}: {html}"
            );
        }
        let image = render_str("![x](data:image/png;base64,iVBOR)").html;
        assert!(image.contains("src=\"data:image/png"), "{image}");
    }
}
