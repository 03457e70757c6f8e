//! XLIFF 1.2, the subset tolk writes and reads back: one `<file>` per article, one
//! `<trans-unit>` per segment with `<source>`, an optional `<target>` and a `<note>`.
//!
//! Inline markup is XLIFF's inline codes ([`Piece`]): `<g>` around text (bold, italic, a
//! link's text), `<ph>` for code that is not translated (inline code, `[!DNL]`,
//! `[!UICONTROL]`, HTML tags, images), `<x/>` for a standalone one; [`super::inline`] maps
//! them to markdown and back.
//!
//! Written and read by hand: quick-xml is not among tolk's dependencies, and this small
//! subset needs no general XML reader. Reading refuses what a hostile file could use: a
//! DOCTYPE or entity declaration, any entity other than the five XML ones and character
//! references, and any element inside `<source>` or `<target>` other than the inline codes
//! (nested at most [`MAX_DEPTH`] deep).

use crate::error::Location;
use crate::markdown::escape::xml_escape as escape;

/// The namespace of tolk's own attributes on `<file>`.
pub const TOLK_NS: &str = "urn:tolk:handoff:1";

/// One handoff file: every article's units for one target locale.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct XliffFile {
    pub source_language: String,
    pub target_language: String,
    pub files: Vec<FileUnits>,
}

/// The units of one translation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileUnits {
    /// The translation's path, as shown (relative to the site root).
    pub original: String,
    pub exl_id: String,
    /// The source commit the translation was made from; empty for a new translation.
    pub base: String,
    /// The source commit the units were exported at.
    pub head: String,
    pub units: Vec<Unit>,
    /// Where `<file>` starts in the XLIFF (1-based line), when read.
    pub line: usize,
}

/// How deep `<g>` codes may nest in a source or target.
pub const MAX_DEPTH: usize = 32;

/// A piece of a `<source>` or `<target>`: text, or an inline code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    Code(Code),
}

/// An inline code: `<g id ctype>inner</g>`, `<ph id ctype>native code</ph>` or `<x id ctype/>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    /// `g`, `ph` or `x`.
    pub tag: &'static str,
    pub id: String,
    pub ctype: String,
    /// For `<g>` the pieces inside; for `<ph>` its text (the markdown it stands for).
    pub inner: Vec<Piece>,
    /// Where it is in the file, when read (1-based; 0 when made here).
    pub line: usize,
    pub column: usize,
}

/// `pieces` as plain text: their text and each `<ph>`'s native code.
pub fn plain(pieces: &[Piece]) -> String {
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Code(code) => out.push_str(&plain(&code.inner)),
        }
    }
    out
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unit {
    pub id: String,
    pub source: Vec<Piece>,
    pub target: Option<Vec<Piece>>,
    pub note: String,
    /// The headings the segment is under (`Install > On Linux`), written as a
    /// `<context context-type="x-heading-path">` of a `<context-group>`.
    pub heading_path: String,
    /// `false`: `translate="no"` (a segment the source removed).
    pub translate: bool,
    pub line: usize,
    pub column: usize,
}

/// The document as XLIFF 1.2.
pub fn write(doc: &XliffFile) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\" xmlns:tolk=\"{TOLK_NS}\">\n"
    ));
    for file in &doc.files {
        out.push_str(&format!(
            "  <file original=\"{}\" source-language=\"{}\" target-language=\"{}\" datatype=\"x-markdown\" tolk:exl-id=\"{}\" tolk:base=\"{}\" tolk:head=\"{}\">\n    <body>\n",
            escape(&file.original),
            escape(&doc.source_language),
            escape(&doc.target_language),
            escape(&file.exl_id),
            escape(&file.base),
            escape(&file.head),
        ));
        for unit in &file.units {
            out.push_str(&format!(
                "      <trans-unit id=\"{}\"{} xml:space=\"preserve\">\n        <source>{}</source>\n",
                escape(&unit.id),
                if unit.translate { "" } else { " translate=\"no\"" },
                pieces_xml(&unit.source)
            ));
            if let Some(target) = &unit.target {
                out.push_str(&format!(
                    "        <target>{}</target>\n",
                    pieces_xml(target)
                ));
            }
            out.push_str(&format!("        <note>{}</note>\n", escape(&unit.note)));
            if !unit.heading_path.is_empty() {
                out.push_str(&format!(
                    "        <context-group name=\"tolk\" purpose=\"information\"><context context-type=\"x-heading-path\">{}</context></context-group>\n",
                    escape(&unit.heading_path)
                ));
            }
            out.push_str("      </trans-unit>\n");
        }
        out.push_str("    </body>\n  </file>\n");
    }
    out.push_str("</xliff>\n");
    out
}

/// The pieces as the content of `<source>` or `<target>`.
fn pieces_xml(pieces: &[Piece]) -> String {
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(text) => out.push_str(&escape(text)),
            Piece::Code(code) => {
                let attrs = format!(
                    "id=\"{}\" ctype=\"{}\"",
                    escape(&code.id),
                    escape(&code.ctype)
                );
                match code.tag {
                    "g" => out.push_str(&format!("<g {attrs}>{}</g>", pieces_xml(&code.inner))),
                    "x" => out.push_str(&format!("<x {attrs}/>")),
                    _ => out.push_str(&format!("<ph {attrs}>{}</ph>", escape(&plain(&code.inner)))),
                }
            }
        }
    }
    out
}

/// What is wrong where in a handoff file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub location: Location,
    pub message: String,
    pub help: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {} ({})", self.location, self.message, self.help)
    }
}

/// An element of the file, with its attributes (names as written) and children.
#[derive(Debug, Default)]
struct Element {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
    offset: usize,
}

#[derive(Debug)]
enum Node {
    Element(Element),
    Text(String),
}

impl Element {
    fn local(&self) -> &str {
        self.name.rsplit(':').next().unwrap_or(&self.name)
    }

    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn elements<'a>(&'a self, local: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter_map(move |n| match n {
            Node::Element(e) if e.local() == local => Some(e),
            _ => None,
        })
    }
}

/// Reads a handoff file shown as `path`.
pub fn read(path: &str, text: &str) -> Result<XliffFile, Problem> {
    let root = parse(path, text)?;
    let at = |offset: usize, message: String, help: &str| Problem {
        location: Location::from_offset(path, text, offset),
        message,
        help: help.to_owned(),
    };
    if root.local() != "xliff" || root.attr("version") != Some("1.2") {
        return Err(at(
            root.offset,
            format!("<{}> is not an XLIFF 1.2 document", root.name),
            "give the file `tolk handoff export` wrote, with its targets filled in",
        ));
    }
    let mut doc = XliffFile::default();
    for file in root.elements("file") {
        doc.source_language = file.attr("source-language").unwrap_or_default().to_owned();
        doc.target_language = file.attr("target-language").unwrap_or_default().to_owned();
        let mut units = Vec::new();
        for body in file.elements("body") {
            for unit in body.elements("trans-unit") {
                units.push(read_unit(unit, &at)?);
            }
        }
        let attr = |n: &str| file.attr(n).unwrap_or_default().to_owned();
        doc.files.push(FileUnits {
            original: attr("original"),
            exl_id: attr("tolk:exl-id"),
            base: attr("tolk:base"),
            head: attr("tolk:head"),
            units,
            line: Location::from_offset(path, text, file.offset).line,
        });
    }
    Ok(doc)
}

type At<'a> = dyn Fn(usize, String, &str) -> Problem + 'a;

fn read_unit(unit: &Element, at: &At<'_>) -> Result<Unit, Problem> {
    let pieces_of = |local: &str| -> Result<Option<Vec<Piece>>, Problem> {
        match unit.elements(local).next() {
            Some(e) => pieces(local, &e.children, 0, at).map(Some),
            None => Ok(None),
        }
    };
    let note = match unit.elements("note").next() {
        Some(e) => plain(&pieces("note", &e.children, MAX_DEPTH, at)?),
        None => String::new(),
    };
    let location = at(unit.offset, String::new(), "").location;
    let heading_path = unit
        .elements("context-group")
        .flat_map(|g| g.elements("context"))
        .find(|c| c.attr("context-type") == Some("x-heading-path"))
        .map(|c| {
            c.children
                .iter()
                .filter_map(|n| match n {
                    Node::Text(t) => Some(t.as_str()),
                    Node::Element(_) => None,
                })
                .collect::<String>()
        })
        .unwrap_or_default();
    Ok(Unit {
        heading_path,
        translate: unit.attr("translate") != Some("no"),
        id: unit.attr("id").unwrap_or_default().to_owned(),
        source: pieces_of("source")?.unwrap_or_default(),
        target: pieces_of("target")?,
        note,
        line: location.line,
        column: location.column,
    })
}

/// The pieces of the content of `<local>`: text, and the inline codes `<g>`, `<ph>` and `<x>`
/// (at `depth` of nesting; no element at all past [`MAX_DEPTH`]); any other element is refused.
fn pieces(local: &str, nodes: &[Node], depth: usize, at: &At<'_>) -> Result<Vec<Piece>, Problem> {
    let mut out = Vec::new();
    for node in nodes {
        let inner = match node {
            Node::Text(t) => {
                out.push(Piece::Text(t.clone()));
                continue;
            }
            Node::Element(inner) => inner,
        };
        let tag = match inner.name.as_str() {
            "g" => "g",
            "ph" => "ph",
            "x" => "x",
            _ => "",
        };
        if tag.is_empty() || depth >= MAX_DEPTH {
            return Err(at(
                inner.offset,
                format!("<{local}> holds the element <{}>", inner.name),
                "write the translation as text with the source's inline codes (<g>, <ph>, <x>): \
                 other markup in a target is refused",
            ));
        }
        let children = match tag {
            "g" => pieces(local, &inner.children, depth + 1, at)?,
            // A placeholder's content is the code it stands for: text only.
            "ph" => vec![Piece::Text(plain(&pieces(
                local,
                &inner.children,
                MAX_DEPTH,
                at,
            )?))],
            _ => Vec::new(),
        };
        let location = at(inner.offset, String::new(), "").location;
        out.push(Piece::Code(Code {
            tag,
            id: inner.attr("id").unwrap_or_default().to_owned(),
            ctype: inner.attr("ctype").unwrap_or_default().to_owned(),
            inner: children,
            line: location.line,
            column: location.column,
        }));
    }
    Ok(out)
}

/// The element tree of `text`; no recursion, so any depth is safe.
fn parse(path: &str, text: &str) -> Result<Element, Problem> {
    let fail = |offset: usize, message: String, help: &str| Problem {
        location: Location::from_offset(path, text, offset),
        message,
        help: help.to_owned(),
    };
    let mut stack: Vec<Element> = vec![Element::default()];
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        if !rest.starts_with('<') {
            let end = rest.find('<').map_or(text.len(), |n| i + n);
            let decoded = unescape(&text[i..end]).map_err(|(at, m)| {
                fail(
                    i + at,
                    m,
                    "use only &amp; &lt; &gt; &quot; &apos; and &#...; references",
                )
            })?;
            if let Some(top) = stack.last_mut() {
                top.children.push(Node::Text(decoded));
            }
            i = end;
            continue;
        }
        i = markup(text, i, &mut stack, &fail)?;
    }
    let mut document = stack.pop().unwrap_or_default();
    if !stack.is_empty() {
        return Err(fail(
            text.len(),
            format!("<{}> is never closed", document.name),
            "close every element; export again if the file was cut short",
        ));
    }
    let root = std::mem::take(&mut document.children);
    root.into_iter()
        .find_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
        .ok_or_else(|| {
            fail(
                0,
                "the file has no XML element".to_owned(),
                "give an XLIFF file",
            )
        })
}

/// Reads the markup at `i` (a tag, comment, CDATA or declaration) into `stack`; returns where
/// it ends.
fn markup(text: &str, i: usize, stack: &mut Vec<Element>, fail: &At<'_>) -> Result<usize, Problem> {
    let rest = &text[i..];
    let until = |close: &str| {
        rest.find(close)
            .map(|n| i + n + close.len())
            .ok_or_else(|| {
                fail(
                    i,
                    format!("`{close}` is missing"),
                    "close the markup that starts here",
                )
            })
    };
    if rest.starts_with("<!--") {
        return until("-->");
    }
    if let Some(body) = rest.strip_prefix("<![CDATA[") {
        let end = until("]]>")?;
        let inner = &body[..end - i - "<![CDATA[".len() - 3];
        if let Some(top) = stack.last_mut() {
            top.children.push(Node::Text(inner.to_owned()));
        }
        return Ok(end);
    }
    if rest.starts_with("<!") {
        return Err(fail(
            i,
            "the file declares a DOCTYPE or entities".to_owned(),
            "remove the declaration: handoff files may not define entities",
        ));
    }
    if rest.starts_with("<?") {
        return until("?>");
    }
    let end = until(">")?;
    let tag = &text[i + 1..end - 1];
    if let Some(name) = tag.strip_prefix('/') {
        let open = stack.len() > 1 && stack.last().is_some_and(|e| e.name == name.trim());
        let Some(open) = stack.pop().filter(|_| open) else {
            return Err(fail(
                i,
                format!("</{}> closes no open element", name.trim()),
                "match every closing tag with its opening tag",
            ));
        };
        if let Some(parent) = stack.last_mut() {
            parent.children.push(Node::Element(open));
        }
        return Ok(end);
    }
    let (tag, closed) = match tag.strip_suffix('/') {
        Some(t) => (t, true),
        None => (tag, false),
    };
    let mut element = start_tag(tag, i, fail)?;
    element.offset = i;
    if closed {
        if let Some(parent) = stack.last_mut() {
            parent.children.push(Node::Element(element));
        }
    } else {
        stack.push(element);
    }
    Ok(end)
}

/// The name and attributes of a start tag's text (between `<` and `>`).
fn start_tag(tag: &str, at: usize, fail: &At<'_>) -> Result<Element, Problem> {
    let bad = |m: &str| {
        fail(
            at,
            format!("a malformed tag: {m}"),
            "write attributes as name=\"value\"",
        )
    };
    let name_end = tag.find(char::is_whitespace).unwrap_or(tag.len());
    let name = &tag[..name_end];
    if name.is_empty() {
        return Err(bad("no element name"));
    }
    let mut attrs = Vec::new();
    let mut rest = tag[name_end..].trim_start();
    while !rest.is_empty() {
        let eq = rest
            .find('=')
            .ok_or_else(|| bad("an attribute without a value"))?;
        let key = rest[..eq].trim().to_owned();
        let after = rest[eq + 1..].trim_start();
        let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'');
        let quote = quote.ok_or_else(|| bad("an unquoted attribute value"))?;
        let close = after[1..]
            .find(quote)
            .ok_or_else(|| bad("an unclosed attribute value"))?;
        let value = unescape(&after[1..1 + close]).map_err(|(_, m)| bad(&m))?;
        attrs.push((key, value));
        rest = after[close + 2..].trim_start();
    }
    Ok(Element {
        name: name.to_owned(),
        attrs,
        ..Element::default()
    })
}

/// `text` with its references replaced; an unknown entity is an error (offset, message).
fn unescape(text: &str) -> Result<String, (usize, String)> {
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while let Some(n) = text[i..].find('&') {
        out.push_str(&text[i..i + n]);
        let at = i + n;
        let end = text[at..]
            .find(';')
            .map(|e| at + e)
            .ok_or_else(|| (at, "a `&` that starts no reference".to_owned()))?;
        let name = &text[at + 1..end];
        let c = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => name
                .strip_prefix("#x")
                .map(|h| u32::from_str_radix(h, 16))
                .or_else(|| name.strip_prefix('#').map(str::parse::<u32>))
                .and_then(Result::ok)
                .and_then(char::from_u32),
        };
        let c = c.ok_or_else(|| (at, format!("the entity `&{name};` is not allowed")))?;
        out.push(c);
        i = end + 1;
    }
    out.push_str(&text[i..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_written_reads_back() {
        let doc = XliffFile {
            source_language: "en".into(),
            target_language: "nl".into(),
            files: vec![FileUnits {
                original: "content/nl/a.md".into(),
                exl_id: "x".into(),
                base: "b".into(),
                head: "h".into(),
                units: vec![Unit {
                    id: "x/1".into(),
                    source: vec![
                        Piece::Text("A <b> & \"c\" 'd' ".into()),
                        code(
                            "g",
                            "1",
                            vec![
                                Piece::Text("bold ".into()),
                                code("ph", "2", vec![Piece::Text("`<x>`".into())]),
                            ],
                        ),
                        code("x", "3", Vec::new()),
                    ],
                    target: Some(vec![Piece::Text("Een & twee".into())]),
                    note: "n".into(),
                    heading_path: "Alpha > Beta & co".into(),
                    translate: false,
                    line: 5,
                    column: 7,
                }],
                line: 3,
            }],
        };
        let xml = write(&doc);
        assert!(
            xml.contains("<source>A &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos; <g id=\"1\" ctype=\"t\">bold <ph id=\"2\" ctype=\"t\">`&lt;x&gt;`</ph></g><x id=\"3\" ctype=\"t\"/></source>"),
            "{xml}"
        );
        let mut back = read("h.xlf", &xml).expect("reads");
        let source = &mut back.files[0].units[0].source;
        let Some(Piece::Code(g)) = source.get_mut(1) else {
            panic!("{source:?}");
        };
        assert_eq!((g.line, g.column), (6, 63));
        fn unplace(pieces: &mut [Piece]) {
            for piece in pieces {
                if let Piece::Code(code) = piece {
                    (code.line, code.column) = (0, 0);
                    unplace(&mut code.inner);
                }
            }
        }
        unplace(source);
        assert_eq!(back, doc);
    }

    fn code(tag: &'static str, id: &str, inner: Vec<Piece>) -> Piece {
        Piece::Code(Code {
            tag,
            id: id.into(),
            ctype: "t".into(),
            inner,
            line: 0,
            column: 0,
        })
    }

    #[test]
    fn hostile_markup_is_refused_with_its_place() {
        let cases = [
            ("<!DOCTYPE x [<!ENTITY e \"boom\">]><xliff version=\"1.2\"/>", "1:1", "DOCTYPE"),
            ("<xliff version=\"1.2\">\n&e;</xliff>", "2:1", "`&e;`"),
            ("<xliff version=\"1.2\"><file><body><trans-unit id=\"a\"><source>s</source><target>x<script>y</script></target></trans-unit></body></file></xliff>", "1:80", "<script>"),
            ("<xliff version=\"1.2\"><file>", "1:28", "never closed"),
        ];
        for (text, place, what) in cases {
            let problem = read("h.xlf", text).expect_err(text);
            let shown = problem.to_string();
            assert!(shown.starts_with(&format!("h.xlf:{place}:")), "{shown}");
            assert!(shown.contains(what), "{shown}");
        }
    }
}
