//! HTML escaping for the passes that build HTML by hand: a leaf every other pass may use.

/// Escapes `&`, `<`, `>`, `"` and `'` for text and attribute values.
pub fn html_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut escaped, text).ok();
    escaped
}
