//! Code blocks: `<pre data-lang="json"><code class="language-json">`, the text byte-exact.
//!
//! The fence info may carry ExL attributes (```` ```html {line-numbers="true"} ````); the
//! language is its first word.

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};

use super::callout::html_escape;
use super::Spanned;

/// The language of a fence info string, if it names one.
pub fn language(info: &str) -> Option<&str> {
    let word = info.split_whitespace().next()?;
    let word = word
        .split('{')
        .next()
        .unwrap_or_default()
        .trim_end_matches(',');
    let ok = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+' | '.' | '#'));
    ok.then_some(word)
}

pub fn transform(events: &mut [Spanned<'_>]) {
    for (event, _) in events.iter_mut() {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => language(info),
                    CodeBlockKind::Indented => None,
                };
                let open = match lang {
                    Some(lang) => {
                        let lang = html_escape(&lang.to_ascii_lowercase());
                        format!("<pre data-lang=\"{lang}\"><code class=\"language-{lang}\">")
                    }
                    None => "<pre><code>".to_owned(),
                };
                *event = Event::Html(CowStr::from(open));
            }
            Event::End(TagEnd::CodeBlock) => {
                *event = Event::Html(CowStr::Borrowed("</code></pre>\n"));
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::test_support::render_str;

    #[test]
    fn language_is_the_first_word() {
        assert_eq!(language("json"), Some("json"));
        assert_eq!(language("html {line-numbers=\"true\"}"), Some("html"));
        assert_eq!(language("{line-numbers=\"true\"}"), None);
        assert_eq!(language(""), None);
        assert_eq!(language("c++"), Some("c++"));
    }

    #[test]
    fn code_is_byte_exact_and_labelled() {
        let html = render_str("```json\n{\"a\": \"it's <b>\" } -- \"x\"\n```\n").html;
        assert_eq!(
            html,
            "<pre data-lang=\"json\"><code class=\"language-json\">{\"a\": \"it's &lt;b&gt;\" } -- \"x\"\n</code></pre>\n"
        );
        let plain =
            render_str("```\nUnexpected error\nUnable to get the outlookIdentityToken\n```\n").html;
        assert_eq!(
            plain,
            "<pre><code>Unexpected error\nUnable to get the outlookIdentityToken\n</code></pre>\n"
        );
    }
}
