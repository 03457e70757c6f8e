//! Code blocks: highlighted at build time, with a language label and a copy button.
//!
//! ```html
//! <div class="code-block"><div class="code-toolbar"><span class="code-lang">json</span>
//! <button type="button" class="code-copy" …>Copy</button></div>
//! <pre data-lang="json"><code class="language-json">…</code></pre></div>
//! ```
//! The code text is byte-exact. The fence may carry ExL attributes:
//! ```` ```html {line-numbers="true" start-line="7" highlight="11-13, 16"} ````.

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};

use super::escape::html_escape;
use super::{attributes, highlight, RenderContext, Spanned};

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

/// What the fence's `{…}` asks for.
#[derive(Debug, Default, PartialEq, Eq)]
struct LineOptions {
    numbers: bool,
    start: u32,
    highlighted: Vec<(u32, u32)>,
}

impl LineOptions {
    fn parse(info: &str) -> LineOptions {
        let mut options = LineOptions {
            numbers: false,
            start: 1,
            highlighted: Vec::new(),
        };
        let Some(open) = info.find('{') else {
            return options;
        };
        let inner = info[open + 1..].trim_end().trim_end_matches('}');
        for (key, value) in attributes::parse(inner) {
            match key.as_str() {
                "line-numbers" => options.numbers = value != "false",
                "start-line" => options.start = value.trim().parse().unwrap_or(1),
                "highlight" => {
                    for part in value.split(',') {
                        let mut ends = part.split('-').map(|n| n.trim().parse::<u32>());
                        match (ends.next(), ends.next()) {
                            (Some(Ok(a)), None) => options.highlighted.push((a, a)),
                            (Some(Ok(a)), Some(Ok(b))) => {
                                options.highlighted.push((a.min(b), a.max(b)))
                            }
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        options
    }

    fn wraps_lines(&self) -> bool {
        self.numbers || !self.highlighted.is_empty()
    }

    fn is_highlighted(&self, line: u32) -> bool {
        self.highlighted
            .iter()
            .any(|&(a, b)| (a..=b).contains(&line))
    }
}

pub fn transform(events: &mut Vec<Spanned<'_>>, ctx: &RenderContext<'_>) {
    // Each block's events become one, in place: the events after it move up once per block
    // instead of every event of the page being moved into a new list.
    let mut labels: Option<(String, String)> = None;
    let mut at = 0;
    while at < events.len() {
        let Event::Start(Tag::CodeBlock(kind)) = &events[at].0 else {
            at += 1;
            continue;
        };
        let info = match kind {
            CodeBlockKind::Fenced(info) => info.to_string(),
            CodeBlockKind::Indented => String::new(),
        };
        let mut code = String::new();
        let mut end = events.len();
        for (offset, (event, _)) in events[at + 1..].iter().enumerate() {
            match event {
                Event::Text(text) => code.push_str(text),
                Event::End(TagEnd::CodeBlock) => {
                    end = at + 1 + offset + 1;
                    break;
                }
                _ => {}
            }
        }
        let (copy, copied) = labels.get_or_insert_with(|| {
            (
                html_escape(&(ctx.ui)("code-copy")),
                html_escape(&(ctx.ui)("code-copied")),
            )
        });
        let lang = language(&info).map(str::to_ascii_lowercase);
        let html = block_html(
            ctx.cache,
            &code,
            lang.as_deref(),
            &LineOptions::parse(&info),
            copy,
            copied,
        );
        let range = events[at].1.clone();
        events.splice(at..end, [(Event::Html(CowStr::from(html)), range)]);
        at += 1;
    }
}

fn block_html(
    cache: &super::Cache,
    code: &str,
    lang: Option<&str>,
    options: &LineOptions,
    copy: &str,
    copied: &str,
) -> String {
    // The highlighted code as the cache holds it (shared by the translations), not a copy.
    let highlighted = lang.and_then(|l| cache.highlight(l, code));
    let escaped;
    let body: &str = match &highlighted {
        Some(html) => html,
        None => {
            let mut plain = String::with_capacity(code.len() + 16);
            pulldown_cmark_escape::escape_html_body_text(&mut plain, code).ok();
            escaped = plain;
            &escaped
        }
    };
    // Written piece by piece, in fewer instructions than `format!` takes.
    let mut html = String::with_capacity(body.len() + 300);
    html.push_str("<div class=\"code-block\"><div class=\"code-toolbar\">");
    let lang = lang.map(html_escape);
    if let Some(lang) = &lang {
        html.push_str("<span class=\"code-lang\">");
        html.push_str(lang);
        html.push_str("</span>");
    }
    html.push_str("<button type=\"button\" class=\"code-copy\" data-copied=\"");
    html.push_str(copied);
    html.push_str("\" hidden>");
    html.push_str(copy);
    html.push_str("</button></div>");
    match &lang {
        Some(lang) => {
            html.push_str("<pre data-lang=\"");
            html.push_str(lang);
            html.push('"');
            if options.numbers {
                html.push_str(" class=\"line-numbers\"");
            }
            html.push_str("><code class=\"language-");
            html.push_str(lang);
            html.push_str("\">");
        }
        None if options.numbers => html.push_str("<pre class=\"line-numbers\"><code>"),
        None => html.push_str("<pre><code>"),
    }
    if options.wraps_lines() {
        for (i, line) in highlight::balanced_lines(body).into_iter().enumerate() {
            let n = options.start.saturating_add(i as u32);
            let class = if options.is_highlighted(n) {
                "line hl"
            } else {
                "line"
            };
            html.push_str(&format!(
                "<span class=\"{class}\" data-n=\"{n}\">{line}</span>\n"
            ));
        }
    } else {
        html.push_str(body);
    }
    html.push_str("</code></pre></div>\n");
    html
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
    fn plain_code_is_byte_exact() {
        let html =
            render_str("```\nUnexpected error\nUnable to get the \"token\" <&> it's\n```\n").html;
        assert_eq!(
            html,
            "<div class=\"code-block\"><div class=\"code-toolbar\"><button type=\"button\" class=\"code-copy\" data-copied=\"Label-code-copied\" hidden>Label-code-copy</button></div>\
             <pre><code>Unexpected error\nUnable to get the \"token\" &lt;&amp;&gt; it's\n</code></pre></div>\n"
        );
        let indented = render_str("Text\n\n    indented code\n").html;
        assert!(
            indented.contains("<pre><code>indented code\n</code></pre>"),
            "{indented}"
        );
    }

    #[test]
    fn highlighted_code_has_a_label() {
        let html = render_str("```json\n{\"a\": 1}\n```\n").html;
        assert!(
            html.contains("<span class=\"code-lang\">json</span>"),
            "{html}"
        );
        assert!(
            html.contains(
                "<pre data-lang=\"json\"><code class=\"language-json\"><span class=\"hl-"
            ),
            "{html}"
        );
    }

    #[test]
    fn fence_attributes_number_and_highlight_lines() {
        let options = LineOptions::parse(
            "html {line-numbers=\"true\" start-line=\"7\" highlight=\"8-9, 11\"}",
        );
        assert_eq!(
            options,
            LineOptions {
                numbers: true,
                start: 7,
                highlighted: vec![(8, 9), (11, 11)]
            }
        );
        let html = render_str(
            "```text {line-numbers=\"true\" start-line=\"7\" highlight=\"8\"}\na\nb\n```\n",
        )
        .html;
        assert!(
            html.contains(
                "<pre data-lang=\"text\" class=\"line-numbers\"><code class=\"language-text\">"
            ),
            "{html}"
        );
        assert!(html.contains("<span class=\"line\" data-n=\"7\">a</span>\n<span class=\"line hl\" data-n=\"8\">b</span>\n"), "{html}");
    }
}
