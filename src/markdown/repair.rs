//! Machine-translation damage, repaired at render time (the source file is not changed).
//!
//! - `&#x200B;` (zero-width spaces) are removed from prose, and spaces at the edges of link text
//!   and bold are trimmed (`[ text ](u)`, `[&#x200B; text &#x200B;](u)`); empty bold disappears.
//! - UI labels split across bold (`**[!UICONTROL Personal**&#x200B;**settings]**`) become one.
//! - French and Italian get typographic apostrophes and quotes; French gets a narrow no-break
//!   space before `; : ! ?` and inside « ».

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::Spanned;

const ZWSP: char = '\u{200B}';
const NARROW_NBSP: char = '\u{202F}';
/// Finds [`ZWSP`] in a text (made once: a finder costs more to make than to run on a short text).
static ZWSP_FINDER: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new("\u{200B}"));

/// Runs before the inline markers are read, so a repaired label reads as one marker.
pub fn before_inline(marks: &super::Marks, events: &mut Vec<Spanned<'_>>) {
    if marks.nul {
        replace_nul(events);
    }
    super::inline::merge_text(events);
    if marks.zero_width {
        remove_zero_width(events);
    }
    events.retain(|(e, _)| !matches!(e, Event::Text(t) if t.is_empty()));
    join_split_labels(events);
    trim_edges(events);
    drop_empty_emphasis(events);
}

/// Runs on the final text: typography by locale.
pub fn after_inline(events: &mut [Spanned<'_>], locale: &str) {
    let primary = locale.split('-').next().unwrap_or(locale);
    if !matches!(primary, "fr" | "it") {
        return;
    }
    let mut in_code = false;
    let mut last_char = ' ';
    for (event, _) in events.iter_mut() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Start(Tag::Paragraph | Tag::Heading { .. } | Tag::Item | Tag::TableCell) => {
                last_char = ' '
            }
            Event::Text(text) if !in_code => {
                // Most text has nothing to change: no copy of it. The test is on bytes (the
                // second bytes of `«` and `»` may also belong to other letters, which only
                // costs a look).
                let french = primary == "fr";
                let bytes = text.as_bytes();
                let triggered = memchr::memchr2(b'\'', b'"', bytes).is_some()
                    || french
                        && (memchr::memchr3(b';', b':', b'!', bytes).is_some()
                            || memchr::memchr3(b'?', 0xAB, 0xBB, bytes).is_some());
                if !triggered {
                    last_char = text.chars().last().unwrap_or(last_char);
                    continue;
                }
                let fixed = typography(text, primary, last_char);
                last_char = fixed.chars().last().unwrap_or(last_char);
                if fixed != text.as_ref() {
                    *text = CowStr::from(fixed);
                }
            }
            Event::Code(_) => last_char = 'x',
            _ => {}
        }
    }
}

/// Apostrophes and quotes for `fr` / `it`, and French spacing. `before` is the character that
/// precedes `text` in its paragraph.
pub fn typography(text: &str, lang: &str, before: char) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut prev = before;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        let opening =
            prev.is_whitespace() || matches!(prev, '(' | '[' | '{' | '\u{a0}' | NARROW_NBSP);
        match c {
            '\'' => out.push('’'),
            '"' if lang == "fr" => {
                if opening {
                    out.push('«');
                    out.push(NARROW_NBSP);
                } else {
                    trim_trailing_space(&mut out);
                    out.push(NARROW_NBSP);
                    out.push('»');
                }
            }
            '"' => out.push(if opening { '“' } else { '”' }),
            ' ' | '\u{a0}' if lang == "fr" && matches!(next, Some(';' | ':' | '!' | '?' | '»')) => {
                out.push(NARROW_NBSP)
            }
            ' ' | '\u{a0}' if lang == "fr" && prev == '«' => {}
            '«' if lang == "fr" => {
                out.push('«');
                out.push(NARROW_NBSP);
            }
            '»' if lang == "fr" && !out.ends_with(NARROW_NBSP) => {
                trim_trailing_space(&mut out);
                out.push(NARROW_NBSP);
                out.push('»');
            }
            _ => out.push(c),
        }
        prev = c;
    }
    out
}

fn trim_trailing_space(out: &mut String) {
    while out.ends_with([' ', '\u{a0}']) {
        out.pop();
    }
}

/// CommonMark: U+0000 becomes U+FFFD, everywhere (browsers would choke on it).
fn replace_nul(events: &mut [Spanned<'_>]) {
    for (event, _) in events.iter_mut() {
        if let Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) = event {
            if memchr::memchr(0, t.as_bytes()).is_some() {
                *t = CowStr::from(t.replace('\0', "\u{FFFD}"));
            }
        }
    }
}

fn remove_zero_width(events: &mut [Spanned<'_>]) {
    let mut in_code = false;
    for (event, _) in events.iter_mut() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(text) if !in_code && ZWSP_FINDER.find(text.as_bytes()).is_some() => {
                // `**&#x200B;**` that the parser left as text is empty bold: drop it whole.
                let cleaned = text.replace("**\u{200B}**", "").replace("*\u{200B}*", "");
                *text = CowStr::from(cleaned.replace(ZWSP, ""));
            }
            _ => {}
        }
    }
}

/// `**[!UICONTROL Personal**` + `&#x200B;` + `**settings]**` -> one bold label.
fn join_split_labels(events: &mut Vec<Spanned<'_>>) {
    let mut i = 0;
    while i + 2 < events.len() {
        let split_here = matches!(events[i].0, Event::End(TagEnd::Strong))
            && matches!(&events[i + 1].0, Event::Text(t) if t.trim().is_empty())
            && matches!(events[i + 2].0, Event::Start(Tag::Strong))
            && unclosed_marker_before(events, i);
        if split_here {
            let range = events[i + 1].1.clone();
            events.splice(i..i + 3, [(Event::Text(CowStr::Borrowed(" ")), range)]);
        }
        i += 1;
    }
    // Also `**[!UICONTROL Personal**` directly followed by `**settings]**`.
    let mut i = 0;
    while i + 1 < events.len() {
        let split_here = matches!(events[i].0, Event::End(TagEnd::Strong))
            && matches!(events[i + 1].0, Event::Start(Tag::Strong))
            && unclosed_marker_before(events, i);
        if split_here {
            let range = events[i].1.clone();
            events.splice(i..i + 2, [(Event::Text(CowStr::Borrowed(" ")), range)]);
        }
        i += 1;
    }
}

/// Does the bold ending at `end` hold a `[!UICONTROL` or `[!DNL` whose `]` is missing?
fn unclosed_marker_before(events: &[Spanned<'_>], end: usize) -> bool {
    let Some(start) = events[..end]
        .iter()
        .rposition(|(e, _)| matches!(e, Event::Start(Tag::Strong)))
    else {
        return false;
    };
    let mut text = String::new();
    for (event, _) in &events[start..end] {
        if let Event::Text(t) = event {
            text.push_str(t);
        }
    }
    let opens = text.matches("[!UICONTROL").count() + text.matches("[!DNL").count();
    let brackets_open = text.matches('[').count();
    let brackets_closed = text.matches(']').count();
    opens > 0 && brackets_closed < brackets_open
}

/// Trims spaces at the edges of link text, bold and emphasis.
fn trim_edges(events: &mut [Spanned<'_>]) {
    for i in 0..events.len() {
        let opens = matches!(
            events[i].0,
            Event::Start(Tag::Link { .. } | Tag::Strong | Tag::Emphasis)
        );
        if opens {
            if let Some((Event::Text(text), _)) = events.get_mut(i + 1) {
                if text.starts_with(char::is_whitespace) {
                    *text = CowStr::from(text.trim_start().to_owned());
                }
            }
        }
        let closes = matches!(
            events[i].0,
            Event::End(TagEnd::Link | TagEnd::Strong | TagEnd::Emphasis)
        );
        if closes && i > 0 {
            if let Some((Event::Text(text), _)) = events.get_mut(i - 1) {
                if text.ends_with(char::is_whitespace) {
                    *text = CowStr::from(text.trim_end().to_owned());
                }
            }
        }
    }
}

/// Bold or emphasis with nothing left inside (`**&#x200B;**`) disappears.
fn drop_empty_emphasis(events: &mut Vec<Spanned<'_>>) {
    // Something is dropped only where an emphasis holds nothing but blank text; the first
    // such one is what starts any dropping (an emphasis around it is empty once it is gone).
    let is_blank = |e: &Event<'_>| matches!(e, Event::Text(t) if t.trim().is_empty());
    let any_empty = events.iter().enumerate().any(|(at, (event, _))| {
        matches!(event, Event::Start(Tag::Strong | Tag::Emphasis))
            && events[at + 1..]
                .iter()
                .find(|(e, _)| !is_blank(e))
                .is_some_and(|(e, _)| matches!(e, Event::End(TagEnd::Strong | TagEnd::Emphasis)))
    });
    if !any_empty {
        return;
    }
    let mut out: Vec<Spanned<'_>> = Vec::with_capacity(events.len());
    for (event, range) in std::mem::take(events) {
        let closes = matches!(event, Event::End(TagEnd::Strong | TagEnd::Emphasis));
        if closes {
            let start = out
                .iter()
                .rposition(|(e, _)| matches!(e, Event::Start(Tag::Strong | Tag::Emphasis)));
            if let Some(start) = start {
                let empty = out[start + 1..]
                    .iter()
                    .all(|(e, _)| matches!(e, Event::Text(t) if t.trim().is_empty()));
                if empty {
                    out.truncate(start);
                    continue;
                }
            }
        }
        out.push((event, range));
    }
    *events = out;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::test_support::{render_in, render_str};

    #[test]
    fn zero_width_and_spaces_in_link_text_are_trimmed() {
        let cases = [
            (
                "[&#x200B; Microsoft Docs &#x200B;](https://x.example)",
                "<p><a href=\"https://x.example\">Microsoft Docs</a></p>\n",
            ),
            (
                "zie [ Online tokens ](https://x.example) in",
                "<p>zie <a href=\"https://x.example\">Online tokens</a> in</p>\n",
            ),
            ("**&#x200B;**Tekst", "<p>Tekst</p>\n"),
            ("**Bold**&#x200B;s", "<p><strong>Bold</strong>s</p>\n"),
        ];
        for (md, html) in cases {
            assert_eq!(render_str(md).html, html, "{md}");
        }
    }

    #[test]
    fn emphasis_left_empty_goes_with_the_emphasis_around_it() {
        let html = render_str("x ***&#x200B;*** y **a *b* c** *&#x200B;*\n").html;
        assert_eq!(
            html, "<p>x  y <strong>a <em>b</em> c</strong> </p>\n",
            "only the empty emphasis goes"
        );
    }

    #[test]
    fn split_ui_label_is_joined() {
        let html = render_str("Open **[!UICONTROL Personal**&#x200B;**settings]**.\n").html;
        assert_eq!(
            html,
            "<p>Open <strong><span class=\"uicontrol\">Personal settings</span></strong>.</p>\n"
        );
    }

    #[test]
    fn unrecoverable_label_shows_text_without_markers() {
        let html = render_str("*[!UICONTROL *Approbation d’épreuve]&#x200B;**\n").html;
        assert!(!html.contains("[!") && !html.contains('\u{200B}'), "{html}");
        assert!(html.contains("Approbation d’épreuve"), "{html}");
    }

    #[test]
    fn french_typography() {
        assert_eq!(
            typography("l'erreur : \"Unable\" ! Oui ?", "fr", ' '),
            "l’erreur\u{202F}: «\u{202F}Unable\u{202F}»\u{202F}! Oui\u{202F}?"
        );
        assert_eq!(
            typography("« texte »", "fr", ' '),
            "«\u{202F}texte\u{202F}»"
        );
        assert_eq!(
            typography("10:30 https://x.example/a?b", "fr", ' '),
            "10:30 https://x.example/a?b"
        );
    }

    #[test]
    fn italian_typography() {
        assert_eq!(
            typography("l'utente vede \"Errore\"", "it", ' '),
            "l’utente vede “Errore”"
        );
    }

    #[test]
    fn entities_become_typography_in_fr_and_it_but_not_in_code_or_nl() {
        let fr = render_in(
            "fr",
            "pour l&#39;authentification : &quot;x&quot; `a'b`\n\n```\nit's\n```\n",
        )
        .html;
        assert!(
            fr.starts_with(
                "<p>pour l’authentification\u{202F}: «\u{202F}x\u{202F}» <code>a'b</code></p>\n"
            ),
            "{fr}"
        );
        assert!(fr.contains("<code>it's\n</code>"), "{fr}");
        let nl = render_in("nl", "Programma&#39;s\n").html;
        assert_eq!(nl, "<p>Programma's</p>\n");
    }
}
