//! Markup that machine translation damaged (the `mt-artifact` rule reports it). Stray spaces or zero-width spaces
//! (`&#x200B;`) at the edges of link text, bold text and `[!UICONTROL]`/`[!DNL]` labels, empty
//! bold, UI-label markup broken by moved `**`, `{… 0}` placeholders, and links whose text is `.`.
//!
//! Trims come with an [`Edit`] for `tolk check --fix`, but only where removing the characters
//! cannot glue two words together.

use std::ops::Range;

use super::outline::{Link, Spans};
use super::Edit;

/// One piece of damage in a file (file offsets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    pub offset: usize,
    pub len: usize,
    pub message: String,
    pub edits: Vec<Edit>,
}

/// What machine translation leaves at the edges of text: spaces and zero-width spaces.
const JUNK: &[&str] = &["&#x200B;", "&#x200b;", "&#8203;", "\u{200B}", " ", "\t"];

/// Scans the body of `text` (from `body_offset`; `masked` is the body with code blanked).
pub fn scan(
    text: &str,
    body_offset: usize,
    masked: &str,
    links: &[Link],
    spans: &Spans,
) -> Vec<Artifact> {
    let mut found = Vec::new();
    for link in links.iter().filter(|l| !l.image) {
        if let Some(span) = &link.text {
            link_text(text, link, span.clone(), &mut found);
        }
    }
    let file = |r: &Range<usize>| body_offset + r.start..body_offset + r.end;
    for strong in &spans.strong {
        bold(text, file(strong), &mut found);
    }
    for &at in &spans.stray_stars {
        found.push(Artifact {
            offset: body_offset + at,
            len: 2,
            message: "`**` that pairs with nothing: the bold markup around it is broken".to_owned(),
            edits: Vec::new(),
        });
    }
    let inline: Vec<Range<usize>> = spans
        .strong
        .iter()
        .chain(&spans.emphasis)
        .cloned()
        .collect();
    for opener in ["[!UICONTROL", "[!DNL"] {
        label_markers(masked, body_offset, opener, &inline, &mut found);
    }
    placeholders(masked, body_offset, &mut found);
    found.sort_by_key(|a| a.offset);
    found
}

fn link_text(text: &str, link: &Link, span: Range<usize>, found: &mut Vec<Artifact>) {
    let inner = &text[span.clone()];
    let lead = leading_junk(inner);
    let trail = trailing_junk(&inner[lead..]);
    let core = &inner[lead..inner.len() - trail];
    let message = if inner.is_empty() {
        return;
    } else if core.is_empty() {
        format!("the link text is only {}", what(inner))
    } else if core == "." {
        "the link text is only `.`: machine translation left a placeholder".to_owned()
    } else if lead > 0 || trail > 0 {
        edges_message(
            "the link text",
            &inner[..lead],
            &inner[inner.len() - trail..],
        )
    } else {
        return;
    };
    let mut edits = Vec::new();
    if !core.is_empty() && core != "." {
        if lead > 0 && !word_before(text, link.offset) {
            edits.push(delete(span.start..span.start + lead));
        }
        if trail > 0 && !word_after(text, link.offset + link.len) {
            edits.push(delete(span.end - trail..span.end));
        }
    }
    found.push(Artifact {
        offset: link.offset,
        len: link.len,
        message,
        edits,
    });
}

fn bold(text: &str, range: Range<usize>, found: &mut Vec<Artifact>) {
    let Some(source) = text.get(range.clone()) else {
        return;
    };
    let delimited = source.len() >= 4
        && (source.starts_with("**") && source.ends_with("**")
            || source.starts_with("__") && source.ends_with("__"));
    if !delimited {
        return;
    }
    let inner = &source[2..source.len() - 2];
    let lead = leading_junk(inner);
    let trail = trailing_junk(&inner[lead..]);
    let (message, edits) = if lead == inner.len() {
        let edits = if word_before(text, range.start) && word_after(text, range.end) {
            Vec::new()
        } else {
            vec![delete(range.clone())]
        };
        (
            format!("empty bold: `**` around only {}", what(inner)),
            edits,
        )
    } else if lead > 0 || trail > 0 {
        let mut edits = Vec::new();
        if lead > 0 && !word_before(text, range.start) {
            edits.push(delete(range.start + 2..range.start + 2 + lead));
        }
        if trail > 0 && !word_after(text, range.end) {
            edits.push(delete(range.end - 2 - trail..range.end - 2));
        }
        let message = edges_message(
            "the bold text",
            &inner[..lead],
            &inner[inner.len() - trail..],
        );
        (message, edits)
    } else {
        return;
    };
    found.push(Artifact {
        offset: range.start,
        len: range.len(),
        message,
        edits,
    });
}

/// `[!UICONTROL ...]` and `[!DNL ...]`: never closed, crossed by bold, or with zero-width spaces
/// at their edges.
fn label_markers(
    masked: &str,
    body_offset: usize,
    opener: &str,
    inline: &[Range<usize>],
    found: &mut Vec<Artifact>,
) {
    let mut pairs = None;
    let mut from = 0;
    while let Some(i) = memchr::memmem::find(&masked.as_bytes()[from..], opener.as_bytes()) {
        let start = from + i;
        let content_start = start + opener.len();
        from = content_start;
        if masked[content_start..].starts_with(|c: char| c.is_ascii_alphanumeric()) {
            continue;
        }
        let pairs = pairs.get_or_insert_with(|| super::outline::bracket_pairs(masked));
        let Some(close) = pairs.get(&start).copied() else {
            found.push(Artifact {
                offset: body_offset + start,
                len: opener.len(),
                message: format!("`{opener}` is never closed with `]` in its paragraph"),
                edits: Vec::new(),
            });
            continue;
        };
        let crossed = inline
            .iter()
            .any(|r| r.contains(&start) != r.contains(&close));
        if crossed {
            found.push(Artifact {
                offset: body_offset + start,
                len: close + 1 - start,
                message: format!(
                    "`{opener} ...]` and the bold or italic around it overlap, so neither renders as meant"
                ),
                edits: Vec::new(),
            });
            continue;
        }
        let content = &masked[content_start..close];
        let lead = leading_junk(content);
        let trail = trailing_junk(&content[lead..]);
        let lead_zw = has_zero_width(&content[..lead]);
        let trail_zw = has_zero_width(&content[content.len() - trail..]);
        if !lead_zw && !trail_zw {
            continue;
        }
        let mut edits = Vec::new();
        if lead_zw {
            edits.push(Edit {
                range: body_offset + content_start..body_offset + content_start + lead,
                replacement: " ".to_owned(),
            });
        }
        if trail_zw && !masked[close + 1..].starts_with(char::is_alphanumeric) {
            edits.push(delete(body_offset + close - trail..body_offset + close));
        }
        let name = opener.trim_start_matches('[');
        found.push(Artifact {
            offset: body_offset + start,
            len: close + 1 - start,
            message: edges_message(
                &format!("the `[{name}]` text"),
                if lead_zw { &content[..lead] } else { "" },
                if trail_zw {
                    &content[content.len() - trail..]
                } else {
                    ""
                },
            ),
            edits,
        });
    }
}

/// `{… 0}`, `{0}`: the numbered placeholders of a translation memory, left in the text.
fn placeholders(masked: &str, body_offset: usize, found: &mut Vec<Artifact>) {
    let mut from = 0;
    while let Some(i) = memchr::memchr(b'{', &masked.as_bytes()[from..]) {
        let start = from + i;
        from = start + 1;
        if masked[..start].ends_with('{') || masked[start + 1..].starts_with('{') {
            continue;
        }
        let Some(len) = masked[start..]
            .char_indices()
            .take(24)
            .find(|(_, c)| *c == '}' || *c == '\n')
            .map(|(i, _)| i)
        else {
            continue;
        };
        if !masked[start + len..].starts_with('}') {
            continue;
        }
        let inner = masked[start + 1..start + len].trim();
        let digits = inner.trim_start_matches(['…', '.', ' ']);
        let is_placeholder = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
        if is_placeholder {
            found.push(Artifact {
                offset: body_offset + start,
                len: len + 1,
                message: format!(
                    "`{}` is a placeholder machine translation left in the text",
                    &masked[start..=start + len]
                ),
                edits: Vec::new(),
            });
        }
    }
}

fn leading_junk(s: &str) -> usize {
    let mut n = 0;
    while let Some(j) = JUNK.iter().find(|j| s[n..].starts_with(**j)) {
        n += j.len();
    }
    n
}

fn trailing_junk(s: &str) -> usize {
    let mut n = 0;
    while let Some(j) = JUNK.iter().find(|j| s[..s.len() - n].ends_with(**j)) {
        n += j.len();
    }
    n
}

fn has_zero_width(s: &str) -> bool {
    s.contains("&#x200B;")
        || s.contains("&#x200b;")
        || s.contains("&#8203;")
        || s.contains('\u{200B}')
}

fn what(junk: &str) -> &'static str {
    if has_zero_width(junk) {
        "a zero-width space (`&#x200B;`)"
    } else {
        "a space"
    }
}

fn edges_message(subject: &str, lead: &str, trail: &str) -> String {
    match (lead.is_empty(), trail.is_empty()) {
        (false, false) if has_zero_width(lead) == has_zero_width(trail) => {
            format!("{subject} starts and ends with {}", what(lead))
        }
        (false, false) => format!(
            "{subject} starts with {} and ends with {}",
            what(lead),
            what(trail)
        ),
        (false, true) => format!("{subject} starts with {}", what(lead)),
        _ => format!("{subject} ends with {}", what(trail)),
    }
}

fn word_before(text: &str, offset: usize) -> bool {
    text.get(..offset)
        .and_then(|t| t.chars().next_back())
        .is_some_and(char::is_alphanumeric)
}

fn word_after(text: &str, offset: usize) -> bool {
    text.get(offset..)
        .and_then(|t| t.chars().next())
        .is_some_and(char::is_alphanumeric)
}

fn delete(range: Range<usize>) -> Edit {
    Edit {
        range,
        replacement: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::outline::outline;

    /// The messages found in `body`, and the body with every edit applied.
    fn scan(body: &str) -> (Vec<String>, String) {
        let o = outline(body, 0);
        let mut edits: Vec<_> = o.artifacts.iter().flat_map(|a| a.edits.clone()).collect();
        edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
        let mut fixed = body.to_owned();
        for edit in edits {
            fixed.replace_range(edit.range, &edit.replacement);
        }
        (o.artifacts.into_iter().map(|a| a.message).collect(), fixed)
    }

    #[test]
    fn finds_and_trims_machine_translation_damage() {
        let cases: &[(&str, &str, &str)] = &[
            (
                "zie [ de pagina ](a.md) nu\n",
                "link text starts and ends with a space",
                "zie [de pagina](a.md) nu\n",
            ),
            (
                "zie [&#x200B; pagina &#x200B;](#x).\n",
                "starts and ends with a zero-width space",
                "zie [pagina](#x).\n",
            ),
            (
                "zie [ pagina](u)s\n",
                "link text starts with a space",
                "zie [pagina](u)s\n",
            ),
            (
                "woord[pagina ](u)s\n",
                "ends with a space",
                "woord[pagina ](u)s\n",
            ),
            ("a **&#x200B;** b\n", "empty bold", "a  b\n"),
            (
                "**&#x200B;Opslaan** nu\n",
                "bold text starts with a zero-width",
                "**Opslaan** nu\n",
            ),
            (
                "**[!UICONTROL Personal**&#x200B;**settings]**\n",
                "overlap",
                "**[!UICONTROL Personal**&#x200B;**settings]**\n",
            ),
            (
                "Klik [!UICONTROL Opslaan\n\nen verder\n",
                "never closed",
                "Klik [!UICONTROL Opslaan\n\nen verder\n",
            ),
            (
                "« [!UICONTROL &#x200B; Objet &#x200B;] »\n",
                "`[!UICONTROL]` text starts and ends",
                "« [!UICONTROL Objet] »\n",
            ),
            (
                "[!UICONTROL du &#x200B;]centre\n",
                "ends with a zero-width",
                "[!UICONTROL du &#x200B;]centre\n",
            ),
            (
                "Zie {… 0} hier en {1}.\n",
                "`{… 0}` is a placeholder",
                "Zie {… 0} hier en {1}.\n",
            ),
            (
                "Zie [.](https://x.example) hier\n",
                "only `.`",
                "Zie [.](https://x.example) hier\n",
            ),
        ];
        for (body, message, fixed) in cases {
            let (messages, result) = scan(body);
            assert!(
                messages.iter().any(|m| m.contains(message)),
                "{body:?}: {messages:?}"
            );
            assert_eq!(&result, fixed, "{body:?}");
        }
    }

    #[test]
    fn leaves_clean_markup_alone() {
        let clean = [
            "[de pagina](a.md) en **vet** en *schuin*\n",
            "**[!UICONTROL Opslaan]** en [!UICONTROL Copy [!DNL Workfront] link]\n",
            "`[ code ](x)` and {width=400} and {{snippet}} and {#anchor}\n",
            "```\n[ code ](x) **&#x200B;** {0}\n```\n",
            "<!-- [ oud ](x) -->\n",
            "![ image alt ](img.png)\n",
        ];
        for body in clean {
            let (messages, _) = scan(body);
            assert!(messages.is_empty(), "{body:?}: {messages:?}");
        }
    }
}
