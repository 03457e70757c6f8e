//! Where a link written in an article points: the one rule that the build (to rewrite links
//! and copy files), the navigation and the link check all use.

use std::borrow::Cow;

/// The path (under the locale's content folder) that `path`, written in the file `page_rel`,
/// points at: percent-decoded, relative to the file's folder, or to the content folder for
/// Adobe's `/help/…`. `None` for other absolute paths and paths that climb out.
pub fn target_path(page_rel: &str, path: &str) -> Option<String> {
    let decoded = decode_segments(path);
    let path = decoded.as_str();
    if let Some(rest) = path.strip_prefix("/help/") {
        normalize(rest)
    } else if path.starts_with('/') {
        None
    } else {
        let dir = page_rel.rfind('/').map_or("", |i| &page_rel[..=i]);
        normalize(&[dir, path].concat())
    }
}

/// Does `dest` start with a URL scheme (`https:`, `mailto:`)?
pub fn has_scheme(dest: &str) -> bool {
    let Some(colon) = dest.find(':') else {
        return false;
    };
    let scheme = &dest[..colon];
    !scheme.is_empty()
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Resolves `.` and `..` segments; `None` when the path climbs above its root.
fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    let mut joined = parts.join("/");
    if path.ends_with('/') && !joined.is_empty() {
        joined.push('/');
    }
    Some(joined)
}

/// Decodes `%xx` escapes; `None` for a malformed escape or bytes that are not UTF-8.
pub fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            if !hex.iter().all(u8::is_ascii_hexdigit) {
                return None;
            }
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Decodes each `/`-separated segment on its own; a segment whose escapes stand for `/` or `\`
/// (`a%2Fb`), or that is not valid percent-encoding, stays as written: an escaped slash names
/// one file, never a folder.
fn decode_segments(path: &str) -> String {
    if !path.contains('%') {
        return path.to_owned();
    }
    path.split('/')
        .map(|segment| match percent_decode(segment) {
            Some(decoded) if !decoded.contains(['/', '\\']) => decoded,
            _ => segment.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Escapes what cannot stand in a URL path as written in HTML: spaces, quotes, `<`, `>`, `?`,
/// `#`, `\`, control characters, and a `%` that does not start an escape (an escape kept as
/// written by [`target_path`] stays as it is).
pub fn percent_encode(path: &str) -> Cow<'_, str> {
    let bytes = path.as_bytes();
    let is_escape = |i: usize| {
        bytes
            .get(i + 1..i + 3)
            .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
    };
    // Everything escaped is ASCII, so bytes are enough to find it (the bytes of a character
    // beyond ASCII are all 0x80 or more).
    let needs = |i: usize, b: u8| {
        b.is_ascii_control()
            || matches!(b, b' ' | b'"' | b'<' | b'>' | b'?' | b'#' | b'\\')
            || (b == b'%' && !is_escape(i))
    };
    if !bytes.iter().enumerate().any(|(i, &b)| needs(i, b)) {
        return Cow::Borrowed(path);
    }
    let mut out = String::with_capacity(path.len() + 8);
    for (i, c) in path.char_indices() {
        if c.is_ascii() && needs(i, c as u8) {
            out.push('%');
            out.push(char::from(HEX[usize::from(c as u8 >> 4)]));
            out.push(char::from(HEX[usize::from(c as u8 & 0xF)]));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_decoded_and_normalized() {
        let cases = [
            ("k/a.md", "b.md", Some("k/b.md")),
            ("k/a.md", "../b.md", Some("b.md")),
            ("k/a.md", "/help/m/c.md", Some("m/c.md")),
            ("k/a.md", "a%20b.md", Some("k/a b.md")),
            ("k/a.md", "%C3%A9t%C3%A9.md", Some("k/été.md")),
            ("k/a.md", "sub/", Some("k/sub/")),
            ("k/a.md", "x%2Fy.md", Some("k/x%2Fy.md")),
            ("k/a.md", "100%.md", Some("k/100%.md")),
            ("k/a.md", "../../x.md", None),
            ("k/a.md", "/docs/x.md", None),
        ];
        for (page, path, expected) in cases {
            assert_eq!(
                target_path(page, path).as_deref(),
                expected,
                "{page} -> {path}"
            );
        }
    }

    #[test]
    fn encoding_undoes_decoding_of_what_urls_cannot_hold() {
        for path in ["a b/", "été/", "100%/", "x?y#z", "50%-off/"] {
            let encoded = percent_encode(path);
            assert!(!encoded.contains([' ', '?', '#']), "{encoded}");
            assert_eq!(percent_decode(&encoded).as_deref(), Some(path));
        }
        assert_eq!(percent_encode("a/b.png"), "a/b.png");
        assert_eq!(
            percent_encode("x%2Fy/"),
            "x%2Fy/",
            "an escape kept as written"
        );
    }
}
