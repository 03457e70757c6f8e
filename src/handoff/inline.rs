//! A segment's inline markdown as XLIFF inline codes, and back.
//!
//! [`pieces`] reads a segment with pulldown-cmark: bold, italic and strikethrough become `<g>`
//! around their text, a link's text a `<g ctype="link">` (its URL stays in tolk's hands);
//! inline code, `[!DNL ...]`, `[!UICONTROL ...]`, inline HTML tags, images and autolinks become
//! `<ph>` (translators do not change them). Codes are numbered `1`, `2`... in the segment's
//! order, and the segment's [`Codes`] keep the markdown each stands for. [`markdown`] writes a
//! target back with those of the source: a code's content in the file is never written, so
//! an edited URL or placeholder changes nothing, and an id the source lacks is refused.

use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};

use super::xliff::{Code, Piece};

/// The markdown of one inline code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Native {
    /// Around text: `**` and `**`, `[` and `](url)`.
    Pair(String, String),
    /// Standing alone: `` `code` ``, `[!DNL Adobe]`, `<kbd>`.
    Single(String),
}

/// The codes of a segment: (id, ctype, markdown), in order.
pub type Codes = Vec<(String, &'static str, Native)>;

/// A piece of a target that cannot be written: where it is, what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bad {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// The pieces of the markdown `text` and the codes they use.
pub fn pieces(text: &str) -> (Vec<Piece>, Codes) {
    let masked = mask_markers(text);
    let mut reader = Reader {
        text,
        markers: &masked.1,
        cursor: 0,
        stack: vec![(Vec::new(), None)],
        codes: Vec::new(),
        skip_until: None,
    };
    for (event, range) in Parser::new_ext(&masked.0, crate::markdown::options()).into_offset_iter()
    {
        reader.event(event, range);
    }
    reader.gap(text.len());
    while reader.stack.len() > 1 {
        reader.close(text.len());
    }
    let pieces = reader.stack.pop().map(|(p, _)| p).unwrap_or_default();
    (pieces, reader.codes)
}

/// `text` with every `[!DNL ...]` and `[!UICONTROL ...]` masked (same length, so offsets hold)
/// so that the parser reads it as plain text, and where they are.
fn mask_markers(text: &str) -> (String, Vec<(Range<usize>, &'static str)>) {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("[!").map(|i| from + i) {
        let rest = &text[i..];
        let ctype = if rest.starts_with("[!DNL ") {
            "x-dnl"
        } else if rest.starts_with("[!UICONTROL ") {
            "x-uicontrol"
        } else {
            from = i + 2;
            continue;
        };
        let Some(end) = rest.find(']').map(|e| i + e + 1) else {
            break;
        };
        found.push((i..end, ctype));
        from = end;
    }
    let mut masked = text.as_bytes().to_vec();
    for (range, _) in &found {
        masked[range.clone()].fill(b'a');
    }
    (String::from_utf8(masked).unwrap_or_default(), found)
}

type Open = Option<(&'static str, String, usize)>;

struct Reader<'a> {
    text: &'a str,
    markers: &'a [(Range<usize>, &'static str)],
    cursor: usize,
    /// The pieces being built, each with the `<g>` it belongs to (ctype, open marker, end).
    stack: Vec<(Vec<Piece>, Open)>,
    codes: Codes,
    /// Inside an image: its events are its `<ph>`.
    skip_until: Option<usize>,
}

impl Reader<'_> {
    fn slice(&self, range: Range<usize>) -> &str {
        self.text.get(range).unwrap_or_default()
    }

    fn push(&mut self, piece: Piece) {
        if let Some((pieces, _)) = self.stack.last_mut() {
            if let (Piece::Text(new), Some(Piece::Text(last))) = (&piece, pieces.last_mut()) {
                last.push_str(new);
                return;
            }
            pieces.push(piece);
        }
    }

    /// The text up to `to` that no event covered (a heading's `#` marks, its `{#id}`), with
    /// the `[!DNL]` and `[!UICONTROL]` texts in it as codes.
    fn gap(&mut self, to: usize) {
        while self.cursor < to {
            let next = self
                .markers
                .iter()
                .find(|(r, _)| r.end > self.cursor && r.start < to);
            match next {
                Some((range, ctype)) if range.start <= self.cursor => {
                    let native = self.slice(range.clone()).to_owned();
                    self.single(ctype, native);
                    self.cursor = range.end;
                }
                Some((range, _)) => {
                    let text = self.slice(self.cursor..range.start).to_owned();
                    self.push(Piece::Text(text));
                    self.cursor = range.start;
                }
                None => {
                    let text = self.slice(self.cursor..to).to_owned();
                    self.push(Piece::Text(text));
                    self.cursor = to;
                }
            }
        }
    }

    fn id(&self) -> String {
        (self.codes.len() + 1).to_string()
    }

    fn single(&mut self, ctype: &'static str, native: String) {
        let id = self.id();
        self.codes
            .push((id.clone(), ctype, Native::Single(native.clone())));
        self.push(Piece::Code(Code {
            tag: "ph",
            id,
            ctype: ctype.to_owned(),
            inner: vec![Piece::Text(native)],
            line: 0,
            column: 0,
        }));
    }

    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        if let Some(end) = self.skip_until {
            if range.start < end {
                return;
            }
            self.skip_until = None;
        }
        let ctype = match &event {
            Event::Start(Tag::Strong) => Some(("bold", 2)),
            Event::Start(Tag::Emphasis) => Some(("italic", 1)),
            Event::Start(Tag::Strikethrough) => Some(("x-strike", 2)),
            Event::Start(Tag::Link { link_type, .. })
                if !matches!(link_type, LinkType::Autolink | LinkType::Email) =>
            {
                Some(("link", 1))
            }
            _ => None,
        };
        if let Some((ctype, len)) = ctype {
            self.gap(range.start.max(self.cursor));
            let open_end = (range.start + len).min(range.end).max(self.cursor);
            let open = self.slice(self.cursor..open_end).to_owned();
            self.cursor = open_end;
            self.stack
                .push((Vec::new(), Some((ctype, open, range.end))));
            return;
        }
        match event {
            Event::End(
                TagEnd::Strong | TagEnd::Emphasis | TagEnd::Strikethrough | TagEnd::Link,
            ) if self.stack.len() > 1 => self.close(range.end),
            Event::Start(tag @ (Tag::Image { .. } | Tag::Link { .. })) => {
                self.gap(range.start.max(self.cursor));
                let native = self
                    .slice(self.cursor..range.end.max(self.cursor))
                    .to_owned();
                let ctype = match tag {
                    Tag::Image { .. } => "image",
                    _ => "x-link",
                };
                self.single(ctype, native);
                self.cursor = range.end.max(self.cursor);
                self.skip_until = Some(range.end);
            }
            Event::Code(_) | Event::InlineHtml(_) | Event::Html(_) | Event::InlineMath(_) => {
                self.gap(range.start.max(self.cursor));
                let ctype = match event {
                    Event::Code(_) => "x-code",
                    Event::InlineMath(_) => "x-math",
                    _ => "x-html",
                };
                let native = self
                    .slice(self.cursor..range.end.max(self.cursor))
                    .to_owned();
                self.single(ctype, native);
                self.cursor = range.end.max(self.cursor);
            }
            Event::Text(_) | Event::SoftBreak | Event::HardBreak => self.gap(range.end),
            _ => {}
        }
    }

    /// Ends the innermost `<g>` at `end`: the text since the last event is its close marker.
    fn close(&mut self, end: usize) {
        let Some((inner, Some((ctype, open, _)))) = self.stack.pop() else {
            return;
        };
        let end = end.max(self.cursor);
        let close = self.slice(self.cursor..end).to_owned();
        self.cursor = end;
        let id = self.id();
        self.codes
            .push((id.clone(), ctype, Native::Pair(open, close)));
        self.push(Piece::Code(Code {
            tag: "g",
            id,
            ctype: ctype.to_owned(),
            inner,
            line: 0,
            column: 0,
        }));
    }
}

/// The markdown of `pieces` with the natives of `codes`; an id that is not among them, or a
/// code of the wrong kind, is [`Bad`].
pub fn markdown(pieces: &[Piece], codes: &Codes) -> Result<String, Bad> {
    let mut out = String::new();
    for piece in pieces {
        let code = match piece {
            Piece::Text(text) => {
                out.push_str(text);
                continue;
            }
            Piece::Code(code) => code,
        };
        let bad = |message: String| Bad {
            line: code.line,
            column: code.column,
            message,
        };
        let found = codes.iter().find(|(id, _, _)| *id == code.id);
        match (found.map(|(_, _, native)| native), code.tag) {
            (None, _) => {
                return Err(bad(format!(
                    "the inline code <{} id=\"{}\"> is not one of its source",
                    code.tag, code.id
                )))
            }
            (Some(Native::Pair(open, close)), "g") => {
                out.push_str(open);
                out.push_str(&markdown(&code.inner, codes)?);
                out.push_str(close);
            }
            (Some(Native::Single(native)), "ph" | "x") => out.push_str(native),
            (Some(_), tag) => {
                return Err(bad(format!(
                    "the inline code `{}` is a <{tag}> here but not in its source",
                    code.id
                )))
            }
        }
    }
    Ok(out)
}

/// `theirs` (the pieces of another text, with its `own` codes) with each code that the source's
/// `codes` also have (the same markdown) renumbered as the source's, and every other code
/// written out as its markdown text.
pub fn adopt(theirs: Vec<Piece>, own: &Codes, codes: &Codes) -> Vec<Piece> {
    let mut used = vec![false; codes.len()];
    adopt_in(theirs, own, codes, &mut used)
}

fn adopt_in(theirs: Vec<Piece>, own: &Codes, codes: &Codes, used: &mut [bool]) -> Vec<Piece> {
    let mut out = Vec::new();
    for piece in theirs {
        let Piece::Code(mut code) = piece else {
            out.push(piece);
            continue;
        };
        let native = own.iter().find(|(id, _, _)| *id == code.id).map(|c| &c.2);
        let same = codes
            .iter()
            .enumerate()
            .position(|(i, (_, _, n))| !used[i] && Some(n) == native);
        code.inner = adopt_in(std::mem::take(&mut code.inner), own, codes, used);
        match (same, native) {
            (Some(i), _) => {
                used[i] = true;
                code.id = codes[i].0.clone();
                out.push(Piece::Code(code));
            }
            (None, Some(Native::Pair(open, close))) => {
                out.push(Piece::Text(open.clone()));
                out.extend(code.inner);
                out.push(Piece::Text(close.clone()));
            }
            (None, Some(Native::Single(native))) => out.push(Piece::Text(native.clone())),
            (None, None) => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handoff::xliff;

    #[test]
    fn markdown_comes_back_byte_for_byte() {
        let cases = [
            "Plain text.",
            "Press **Save** and *then* ~~not~~ __this__.",
            "See [the **page**](../a.md#x \"T\") and `code` now.",
            "Use [!DNL Adobe Analytics] in [!UICONTROL Settings > Admin].",
            "Press <kbd>Enter</kbd>, see ![a logo](logo.png) and <https://x.org>.",
            "## Steps *here* {#steps}",
            "Unclosed **bold and [!DNL x",
            "Wrapped\nline with **bold\nover** lines.",
            "A [ref link][r] and a [!NOTE] text.",
        ];
        for text in cases {
            let (pieces, codes) = pieces(text);
            assert_eq!(markdown(&pieces, &codes).as_deref(), Ok(text), "{pieces:?}");
        }
    }

    #[test]
    fn codes_are_what_translators_must_not_change() {
        let (pieces, codes) =
            pieces("Press **Save** in [!UICONTROL Admin], see [docs](a.md) and `x`.");
        let unit = xliff::Unit {
            id: "u".into(),
            source: pieces,
            ..xliff::Unit::default()
        };
        let doc = xliff::XliffFile {
            files: vec![xliff::FileUnits {
                units: vec![unit],
                ..Default::default()
            }],
            ..Default::default()
        };
        let xml = xliff::write(&doc);
        assert!(
            xml.contains("<source>Press <g id=\"1\" ctype=\"bold\">Save</g> in <ph id=\"2\" ctype=\"x-uicontrol\">[!UICONTROL Admin]</ph>, see <g id=\"3\" ctype=\"link\">docs</g> and <ph id=\"4\" ctype=\"x-code\">`x`</ph>.</source>"),
            "{xml}"
        );
        let ids: Vec<&str> = codes.iter().map(|(id, _, _)| id.as_str()).collect();
        assert_eq!(ids, ["1", "2", "3", "4"]);
    }

    #[test]
    fn a_target_uses_the_sources_markdown_for_its_codes() {
        let (_, codes) = pieces("Open [the page](../a.md) with `x`.");
        let target = xliff::read(
            "t.xlf",
            "<xliff version=\"1.2\"><file><body><trans-unit id=\"u\"><source/><target>Met <ph id=\"2\">`evil`</ph> open <g id=\"1\">de pagina</g>.</target></trans-unit></body></file></xliff>",
        )
        .map(|d| d.files[0].units[0].target.clone().unwrap_or_default())
        .unwrap_or_default();
        assert_eq!(
            markdown(&target, &codes).as_deref(),
            Ok("Met `x` open [de pagina](../a.md).")
        );
        let unknown = xliff::read(
            "t.xlf",
            "<xliff version=\"1.2\"><file><body><trans-unit id=\"u\"><source/>\n<target>Met <ph id=\"9\"/>.</target></trans-unit></body></file></xliff>",
        )
        .map(|d| d.files[0].units[0].target.clone().unwrap_or_default())
        .unwrap_or_default();
        let bad = markdown(&unknown, &codes).expect_err("id 9 is unknown");
        assert_eq!((bad.line, bad.column), (2, 13), "{bad:?}");
        assert!(bad.message.contains("<ph id=\"9\">"), "{bad:?}");
    }

    #[test]
    fn a_translations_codes_take_the_sources_ids_when_they_match() {
        let (_, codes) = pieces("Open [the page](../a.md) with `x`.");
        let (theirs, own) = pieces("Met `x` open [de pagina](../a.md) en [ander](b.md).");
        let adopted = adopt(theirs, &own, &codes);
        assert_eq!(
            markdown(&adopted, &codes).as_deref(),
            Ok("Met `x` open [de pagina](../a.md) en [ander](b.md).")
        );
        let ids: Vec<String> = adopted
            .iter()
            .filter_map(|p| match p {
                Piece::Code(c) => Some(c.id.clone()),
                Piece::Text(_) => None,
            })
            .collect();
        assert_eq!(ids, ["2", "1"]);
    }
}
