//! HTML and XML escaping for the code that writes markup by hand (the markdown passes, the
//! JUnit report, the XLIFF handoff): a leaf every other module may use.

/// Escapes `&`, `<`, `>`, `"` and `'` for text and attribute values.
pub fn html_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    push_html_escaped(&mut escaped, text);
    escaped
}

/// Appends `text` to `out`, escaped as [`html_escape`] does.
pub fn push_html_escaped(out: &mut String, text: &str) {
    pulldown_cmark_escape::escape_html(out, text).ok();
}

/// Escapes `&`, `<`, `>`, `"` and `'` for XML text and attribute values alike, and drops the
/// characters XML 1.0 cannot hold (control characters other than tab and line ends, U+FFFE,
/// U+FFFF).
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}
