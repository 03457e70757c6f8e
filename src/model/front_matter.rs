//! YAML front matter: split it from the body, read it (plain `key: text` lines by hand, any other
//! YAML with serde-saphyr), validate Adobe's keys.
//!
//! Known keys are typed and checked; every other key is kept as it is (real files carry keys we
//! do not use, and typos such as `auhor` that a check may point out). Each value's position is
//! kept so that errors and later checks can name the exact line and column.

use std::fmt;
use std::ops::Range;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::{Map, Value};
use serde_saphyr::Spanned;

use crate::error::{offset_of, Error, SourceError, SourceErrorKind};

/// The typed front matter of one article.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    /// The id shared by all translations of an article (a lowercase UUID).
    pub exl_id: Option<String>,
    /// The English source commit a translation was made from (40 hex digits).
    pub source_git_commit: Option<String>,
    pub source_wordcount: Option<u32>,
    /// Share of human translation, 0..=100.
    pub ht_degree: Option<u8>,
    pub workflow_type: Option<String>,
    pub product_area: Vec<String>,
    pub navigation_topic: Option<String>,
    pub feature: Option<String>,
    pub author: Option<String>,
    pub solution: Option<String>,
    pub role: Option<String>,
    pub level: Option<String>,
    pub hide: bool,
    pub hidefromtoc: bool,
    /// `locales: [en]`: the article exists only in these locales (tolk's own key).
    pub locales: Option<Vec<String>>,
    /// Every other key, in file order, with its value as parsed.
    pub extra: Vec<(String, Value)>,
    /// Byte offset in the whole file of each key, for positioned findings.
    pub key_offsets: KeyOffsets,
}

/// Where each key of a front matter starts in its file. Two lists instead of a map of strings:
/// a map held a string and a node per key, 14 MB of a check's memory at 10,000 x 3 on the
/// bench corpus.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyOffsets {
    /// The keys, one after the other.
    names: String,
    /// Each key's end in `names` and its offset in the file, in file order.
    keys: Vec<(u32, u32)>,
}

impl KeyOffsets {
    /// Notes that `key` starts at `offset`; a key written twice is found at its last place.
    pub fn insert(&mut self, key: &str, offset: usize) {
        let (Ok(offset), Ok(end)) = (
            u32::try_from(offset),
            u32::try_from(self.names.len() + key.len()),
        ) else {
            // Past 4 GB into a file: the key is found at the file's start.
            return;
        };
        self.names.push_str(key);
        self.keys.push((end, offset));
    }

    /// The offset of `key` in the file.
    pub fn get(&self, key: &str) -> Option<usize> {
        (0..self.keys.len()).rev().find_map(|i| {
            let start = i
                .checked_sub(1)
                .map_or(0, |before| self.keys[before].0 as usize);
            let (end, offset) = self.keys[i];
            (self.names.get(start..end as usize) == Some(key)).then_some(offset as usize)
        })
    }
}

/// A file split into its front matter and its markdown body.
#[derive(Debug, Clone, PartialEq)]
pub struct Split<'a> {
    /// The YAML text between the `---` lines (empty when the file has no front matter).
    pub yaml: &'a str,
    /// Byte offset of `yaml` in the file.
    pub yaml_offset: usize,
    /// The markdown after the closing `---`.
    pub body: &'a str,
    /// Byte offset of `body` in the file.
    pub body_offset: usize,
}

/// Splits `text` at its front matter. A file that does not start with `---` has none.
pub fn split<'a>(path: &str, text: &'a str) -> Result<Split<'a>, Error> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let first_end =
        memchr::memchr(b'\n', &text.as_bytes()[start..]).map_or(text.len(), |i| start + i + 1);
    if text[start..first_end].trim_end() != "---" {
        return Ok(Split {
            yaml: "",
            yaml_offset: start,
            body: &text[start..],
            body_offset: start,
        });
    }
    let mut line_start = first_end;
    while line_start < text.len() {
        let line_end = memchr::memchr(b'\n', &text.as_bytes()[line_start..])
            .map_or(text.len(), |i| line_start + i + 1);
        if text[line_start..line_end].trim_end() == "---" {
            return Ok(Split {
                yaml: &text[first_end..line_start],
                yaml_offset: first_end,
                body: &text[line_end..],
                body_offset: line_end,
            });
        }
        line_start = line_end;
    }
    Err(SourceError::new(
        SourceErrorKind::FrontMatter,
        path,
        text,
        start..first_end.saturating_sub(1).max(start),
        "the front matter that starts here is never closed",
    )
    .with_help("add a line with only `---` after the last front matter key")
    .into())
}

/// Parses the front matter of the file `text` (shown as `path`), as split by [`split`].
pub fn parse(path: &str, text: &str, split: &Split<'_>) -> Result<FrontMatter, Error> {
    if split.yaml.trim().is_empty() {
        return Ok(FrontMatter::default());
    }
    let entries = match flat_entries(split) {
        Some(entries) => entries,
        None => yaml_entries(split).map_err(|e| yaml_error(path, text, split, &e))?,
    };
    let mut fm = FrontMatter::default();
    for entry in entries {
        fm.key_offsets.insert(&entry.key, entry.key_offset);
        let raw = text.get(entry.span.clone()).unwrap_or_default();
        let field = Field {
            key: &entry.key,
            value: &entry.value,
            raw,
            span: entry.span,
            path,
            file: text,
        };
        if !set_known(&mut fm, &field)? {
            fm.extra.push((entry.key, entry.value));
        }
    }
    Ok(fm)
}

/// One `key: value` of the front matter, with the file offsets of the key and the value.
#[derive(Debug, PartialEq)]
struct Entry {
    key: String,
    key_offset: usize,
    value: Value,
    span: Range<usize>,
}

/// The entries as serde-saphyr reads them: any YAML.
fn yaml_entries(split: &Split<'_>) -> Result<Vec<Entry>, serde_saphyr::Error> {
    let entries: Entries = serde_saphyr::from_str(split.yaml)?;
    Ok(entries
        .0
        .into_iter()
        .map(|(key, value)| Entry {
            key_offset: to_file_span(split, &key.referenced).start,
            span: to_file_span(split, &value.referenced),
            key: key.value,
            value: value.value,
        })
        .collect())
}

/// The entries of front matter that is only `key: text` lines, as [`yaml_entries`] reads them,
/// or `None` for anything else (lists, numbers, booleans, comments, escapes, blank or indented
/// lines, repeated keys), which serde-saphyr then reads. Written by hand because nearly every
/// article's front matter is such lines, and the YAML parser was 4% of a build's CPU and 6% of
/// a check's on the bench corpus.
const MAX_FLAT_KEYS: usize = 64;

fn flat_entries(split: &Split<'_>) -> Option<Vec<Entry>> {
    let yaml = split.yaml;
    if memchr::memchr(b'#', yaml.as_bytes()).is_some() || has_control(yaml) {
        return None;
    }
    let mut entries: Vec<Entry> = Vec::new();
    let mut lines = Lines {
        yaml,
        base: split.yaml_offset,
        at: 0,
    };
    while let Some((at, line)) = lines.next() {
        if line.is_empty() {
            continue;
        }
        let (key, rest) = line.split_once(':')?;
        // A repeated key is YAML's error to report; past a few dozen keys (never in an
        // article) the lookup would grow quadratic, so serde-saphyr reads those too.
        if !flat_key(key) || entries.len() >= MAX_FLAT_KEYS || entries.iter().any(|e| e.key == key)
        {
            return None;
        }
        let value_at = at + key.len() + 1;
        let (value, span) = if rest.is_empty() {
            match lines.list() {
                After::Nothing => (Value::Null, value_at - 1..value_at - 1),
                After::List(value, span) => (value, span),
                After::Other => return None,
            }
        } else {
            let text = rest.strip_prefix(' ')?.trim_start_matches(' ');
            let start = value_at + rest.len() - text.len();
            let (value, len) = flat_value(text)?;
            (value, start..start + len)
        };
        entries.push(Entry {
            key: key.to_owned(),
            key_offset: at,
            value,
            span,
        });
    }
    Some(entries)
}

/// A key the flat reader takes: letters, digits, `-` and `_`, not a YAML word.
fn flat_key(key: &str) -> bool {
    key.starts_with(|c: char| c.is_ascii_alphabetic())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && !is_yaml_word(key)
}

/// The lines of front matter, each with its file offset, without its line end.
#[derive(Clone)]
struct Lines<'a> {
    yaml: &'a str,
    base: usize,
    at: usize,
}

impl<'a> Iterator for Lines<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<(usize, &'a str)> {
        let rest = self.yaml.get(self.at..).filter(|r| !r.is_empty())?;
        let len = memchr::memchr(b'\n', rest.as_bytes()).map_or(rest.len(), |i| i + 1);
        let line = &rest[..len];
        let at = self.base + self.at;
        self.at += len;
        Some((at, line.strip_suffix('\n').unwrap_or(line)))
    }
}

impl<'a> Lines<'a> {
    fn peek(&self) -> Option<&'a str> {
        self.clone().next().map(|(_, line)| line)
    }

    /// After `key:` with nothing behind it: the indented block list that follows, as YAML
    /// reads it, with YAML's span (empty, at the first `-`). ExL front matter lists ids this
    /// way (`feature_v2:` then `  - id: <uuid>` lines).
    fn list(&mut self) -> After {
        match self.peek() {
            Some(line) if line.starts_with(' ') => self
                .items()
                .map_or(After::Other, |(value, span)| After::List(value, span)),
            _ => After::Nothing,
        }
    }

    /// The items of an indented list, one `- key: value` or `- value` a line.
    fn items(&mut self) -> Option<(Value, Range<usize>)> {
        let first = self.peek()?;
        let indent = first.len() - first.trim_start_matches(' ').len();
        let mut items = Vec::new();
        let mut span = None;
        while let Some(line) = self.peek().filter(|l| l.starts_with(' ')) {
            let (at, _) = self.next()?;
            let item = line.get(indent..)?.strip_prefix("- ")?;
            if item.starts_with(' ') || line[..indent].bytes().any(|b| b != b' ') {
                return None;
            }
            span.get_or_insert(at + indent..at + indent);
            let value = match item.split_once(": ") {
                Some((key, value)) => Value::Object(self.mapping(key, value, indent + 2)?),
                None => flat_value(item)?.0,
            };
            items.push(value);
        }
        Some((Value::Array(items), span?))
    }

    /// A list item that is a mapping: `key: value` after its `- `, then the item's other
    /// `key: value` lines, indented to the first key (`    internal-label: Reports`).
    fn mapping(&mut self, key: &str, value: &str, column: usize) -> Option<Map<String, Value>> {
        let mut mapping = Map::new();
        let mut entry = (key, value);
        loop {
            let (key, value) = entry;
            let (value, len) = flat_value(value.trim_start_matches(' '))?;
            if !flat_key(key) || len == 0 || mapping.contains_key(key) {
                return None;
            }
            mapping.insert(key.to_owned(), value);
            let Some(next) = self
                .peek()
                .and_then(|l| l.get(column..).map(|rest| (l, rest)))
            else {
                return Some(mapping);
            };
            let (line, rest) = next;
            if line[..column].bytes().any(|b| b != b' ') || rest.starts_with([' ', '-']) {
                return Some(mapping);
            }
            self.next()?;
            entry = rest.split_once(": ")?;
        }
    }
}

/// What follows a `key:` with nothing behind it.
enum After {
    /// Another key or the end: the value is null.
    Nothing,
    /// An indented list the flat reader reads, and its span.
    List(Value, Range<usize>),
    /// Anything else, left to serde-saphyr.
    Other,
}

/// Whether `yaml` has a control character other than a line end, or a byte order mark. The
/// bytes that may start one (C0 controls, DEL, `0xC2` of the C1 controls, `0xEF` of U+FEFF)
/// are looked for first, 32 at a time without an early exit (vector compares); only a text
/// with one is read character by character.
fn has_control(yaml: &str) -> bool {
    let may_start = |b: u8| (b < 0x20 && b != b'\n') | (b == 0x7f) | (b == 0xc2) | (b == 0xef);
    crate::byte_scan::any(yaml.as_bytes(), may_start)
        && yaml
            .chars()
            .any(|c| c.is_control() && c != '\n' || c == '\u{feff}')
}

/// A value of [`flat_entries`] and its length as written (quotes included): text, or `true`
/// or `false`; `None` when it may be anything else (a number, null, a list, an escape).
fn flat_value(written: &str) -> Option<(Value, usize)> {
    for quote in ['"', '\''] {
        if let Some(inner) = written.strip_prefix(quote) {
            let (text, after) = inner.split_once(quote)?;
            let literal = quote == '\'' || !text.contains('\\');
            return (literal && after.trim_end_matches(' ').is_empty())
                .then(|| (Value::String(text.to_owned()), text.len() + 2));
        }
    }
    let text = written.trim_end_matches(' ');
    if let Ok(flag) = text.parse::<bool>() {
        return Some((Value::Bool(flag), text.len()));
    }
    // A plain whole number (`source-wordcount: 600`), as YAML reads it; leading zeros, signs
    // and anything longer are left to serde-saphyr.
    let whole = (1..=15).contains(&text.len())
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'));
    if whole {
        let number = text.parse::<u64>().ok()?;
        return Some((Value::from(number), text.len()));
    }
    let indicator = text.starts_with([
        '-', '?', ':', ',', '[', ']', '{', '}', '&', '*', '!', '|', '>', '%', '@', '`',
    ]);
    // Digits with signs, dots, underscores, exponents and colons may be a number (`0123`,
    // `1_000`, `12e45`, `12:30`), as may `0x1F` or `.inf`; `: ` would start a mapping.
    let numeric = text
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'_' | b'e' | b'E' | b':'));
    let radix = ["0x", "0o", "0b", ".inf", ".nan", "+.inf", "-.inf"]
        .iter()
        .any(|p| {
            text.get(..p.len())
                .is_some_and(|t| t.eq_ignore_ascii_case(p))
        });
    let mapping = text.contains(": ") || text.ends_with(':');
    let plain = !(indicator || numeric || radix || mapping || is_yaml_word(text));
    plain.then(|| (Value::String(text.to_owned()), text.len()))
}

/// The words YAML reads as null or a boolean (any case).
fn is_yaml_word(text: &str) -> bool {
    // Compared without a lowercase copy: this runs for every key and plain value of every
    // article.
    [
        "", "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n",
    ]
    .iter()
    .any(|word| text.eq_ignore_ascii_case(word))
}

const LOCALES_HELP: &str =
    "list the locale codes the article exists in, e.g. locales: [en] or locales: [en, fr]";

/// The front matter is not YAML: points at the error, or at the apostrophe that caused it.
fn yaml_error(path: &str, text: &str, split: &Split<'_>, e: &serde_saphyr::Error) -> SourceError {
    let error = |span: Range<usize>, message: String| {
        SourceError::new(SourceErrorKind::FrontMatter, path, text, span, message)
    };
    let at = e.location().map_or(split.yaml_offset, |l| {
        split.yaml_offset + offset_of(split.yaml, l.line() as usize, l.column() as usize)
    });
    if let Some((quote, fixed)) = apostrophe_in_single_quotes(text, at) {
        return error(
            quote..quote + 1,
            "this apostrophe ends the single-quoted value early".to_owned(),
        )
        .with_help(format!(
            "write '' for an apostrophe inside single quotes, or use double quotes: {fixed}"
        ));
    }
    let message = yaml_message(e);
    error(at..at, format!("invalid YAML in front matter: {message}")).with_help(
        "front matter is YAML: one `key: value` per line; quote values that contain `: ` or start with a quote, `[`, `{` or `*`",
    )
}

/// Sets the key `field` names, typed and checked. False for a key tolk does not know.
fn set_known(fm: &mut FrontMatter, field: &Field<'_>) -> Result<bool, Error> {
    let text = |help: &str| field.text().map_err(|w| field.invalid(w, help));
    let list = || field.list_text().map_err(|w| field.invalid(w, LIST_HELP));
    let flag = || field.flag().map_err(|w| field.invalid(w, FLAG_HELP));
    match field.key {
        "title" => fm.title = text("write the title as text")?,
        "description" => fm.description = text("write the description as text")?,
        "exl-id" => {
            if let Some(id) = exl_id(field)? {
                fm.exl_id = Some(id);
            }
        }
        "source-git-commit" => {
            if let Some(commit) = source_git_commit(field)? {
                fm.source_git_commit = Some(commit);
            }
        }
        "source-wordcount" => fm.source_wordcount = source_wordcount(field)?,
        "ht-degree" => fm.ht_degree = ht_degree(field)?,
        "workflow-type" => fm.workflow_type = text("e.g. workflow-type: tm+mt")?,
        "product-area" => {
            let areas = text("separate areas with `;`, e.g. product-area: projects;requests")?;
            fm.product_area = areas
                .iter()
                .flat_map(|a| a.split(';'))
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_owned)
                .collect();
        }
        "navigation-topic" => fm.navigation_topic = list()?,
        "feature" => fm.feature = list()?,
        "author" => fm.author = list()?,
        "solution" => fm.solution = list()?,
        "role" => fm.role = list()?,
        "level" => fm.level = list()?,
        "hide" => fm.hide = flag()?,
        "hidefromtoc" => fm.hidefromtoc = flag()?,
        "locales" => fm.locales = Some(field.codes().map_err(|w| field.invalid(w, LOCALES_HELP))?),
        _ => return Ok(false),
    }
    Ok(true)
}

/// `exl-id`: a UUID, kept in lowercase.
fn exl_id(field: &Field<'_>) -> Result<Option<String>, Error> {
    match field.text().map_err(|w| field.invalid(w, EXL_ID_HELP))? {
        Some(id) if is_uuid(&id) => Ok(Some(id.to_ascii_lowercase())),
        Some(id) => Err(field.invalid(format!("exl-id `{id}` is not a UUID"), EXL_ID_HELP)),
        None => Ok(None),
    }
}

/// `source-git-commit`: a full commit id, kept in lowercase.
fn source_git_commit(field: &Field<'_>) -> Result<Option<String>, Error> {
    match field.text().map_err(|w| field.invalid(w, COMMIT_HELP))? {
        Some(c) if c.len() == 40 && c.bytes().all(|b| b.is_ascii_hexdigit()) => {
            Ok(Some(c.to_ascii_lowercase()))
        }
        Some(c) => Err(field.invalid(
            format!("source-git-commit `{c}` is not a full commit id (40 hexadecimal digits)"),
            COMMIT_HELP,
        )),
        None => Ok(None),
    }
}

fn source_wordcount(field: &Field<'_>) -> Result<Option<u32>, Error> {
    let help = "write the number of words of the source article, e.g. source-wordcount: '233'";
    match field.text().map_err(|w| field.invalid(w, help))? {
        Some(n) => Ok(Some(n.trim().parse().map_err(|_| {
            field.invalid(
                format!("source-wordcount `{n}` is not a whole number"),
                help,
            )
        })?)),
        None => Ok(None),
    }
}

fn ht_degree(field: &Field<'_>) -> Result<Option<u8>, Error> {
    let help =
        "write the share of human translation as a percentage from 0% to 100%, e.g. ht-degree: 31%";
    match field.text().map_err(|w| field.invalid(w, help))? {
        Some(p) => Ok(Some(parse_percent(&p).ok_or_else(|| {
            field.invalid(
                format!("ht-degree `{p}` is not a percentage from 0% to 100%"),
                help,
            )
        })?)),
        None => Ok(None),
    }
}

const EXL_ID_HELP: &str = "an exl-id is a UUID such as 4a911760-e3fe-4e77-b7aa-b08f9ea59d6a; \
    every translation of an article carries the same one, so copy it from another locale";
const COMMIT_HELP: &str =
    "copy the full commit id of the English source this translation was made from";
const LIST_HELP: &str = "write text, or a list of texts";
const FLAG_HELP: &str = "write true or false";

/// Turns a serde-saphyr error into one sentence, without its own snippet or position, in our
/// words where the library's speak of its own options.
fn yaml_message(e: &serde_saphyr::Error) -> String {
    let text = e.without_snippet().to_string();
    // serde-saphyr appends " at line X, column Y"; we report the position ourselves.
    let text = match text.rfind(" at line ") {
        Some(i) => &text[..i],
        None => &text,
    };
    let text = text.lines().next().unwrap_or_default().trim();
    ours(text)
}

/// The library's message in our words: no advice about its options.
fn ours(text: &str) -> String {
    if let Some(rest) = text.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(", set ").next().unwrap_or(rest).trim();
        return format!("the key `{key}` appears twice; keep one of them");
    }
    match text.split_once(", set ") {
        Some((message, _)) => message.to_owned(),
        None => text.to_owned(),
    }
}

/// The most common translator mistake: an apostrophe inside a single-quoted value
/// (`title: 'Dépannage : l'erreur'`). When the line of the YAML error at `at` is a
/// `key: '...'` line with a lone `'` inside, returns that quote's offset and the line fixed.
fn apostrophe_in_single_quotes(text: &str, at: usize) -> Option<(usize, String)> {
    let at = at.min(text.len());
    let line_start = text.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |i| line_start + i);
    let line = text[line_start..line_end].trim_end_matches('\r');
    let (key, value) = line.split_once(':')?;
    let value_start = line_start + key.len() + 1 + (value.len() - value.trim_start().len());
    let value = value.trim();
    let inner = value.strip_prefix('\'')?.strip_suffix('\'')?;
    // The first quote that is not doubled ends the value.
    let mut chars = inner.char_indices().peekable();
    let mut lone = None;
    while let Some((i, c)) = chars.next() {
        if c == '\'' {
            if chars.peek().is_some_and(|(_, n)| *n == '\'') {
                chars.next();
            } else {
                lone = Some(i);
                break;
            }
        }
    }
    let quote = value_start + 1 + lone?;
    let mut fixed_inner = String::new();
    let mut rest = inner.chars().peekable();
    while let Some(c) = rest.next() {
        if c == '\'' {
            if rest.peek() == Some(&'\'') {
                rest.next();
            }
            fixed_inner.push_str("''");
        } else {
            fixed_inner.push(c);
        }
    }
    Some((quote, format!("{}: '{fixed_inner}'", key.trim_end())))
}

fn to_file_span(split: &Split<'_>, location: &serde_saphyr::Location) -> Range<usize> {
    let span = location.span();
    match span.byte_offset() {
        Some(start) => {
            let start = split.yaml_offset + start as usize;
            start..start + span.byte_len().unwrap_or(0) as usize
        }
        None => {
            let at = split.yaml_offset
                + offset_of(
                    split.yaml,
                    location.line() as usize,
                    location.column() as usize,
                );
            at..at
        }
    }
}

/// One `key: value` pair being typed.
struct Field<'a> {
    key: &'a str,
    value: &'a Value,
    /// The value as written in the file, for scalars YAML turned into numbers.
    raw: &'a str,
    span: Range<usize>,
    /// The file, as shown in errors, and its text.
    path: &'a str,
    file: &'a str,
}

impl Field<'_> {
    /// The error for this value: what is wrong and how to write it.
    fn invalid(&self, why: String, help: &str) -> Error {
        SourceError::new(
            SourceErrorKind::FrontMatter,
            self.path,
            self.file,
            self.span.clone(),
            why,
        )
        .with_help(help.to_owned())
        .into()
    }

    /// A scalar as text; numbers and booleans keep their spelling (`source-wordcount: 233`).
    fn text(&self) -> Result<Option<String>, String> {
        match self.value {
            Value::Null => Ok(None),
            Value::String(s) => Ok(Some(s.clone())),
            Value::Number(n) => {
                let raw = self.raw.trim().trim_matches(|c| c == '\'' || c == '"');
                Ok(Some(if raw.is_empty() {
                    n.to_string()
                } else {
                    raw.to_owned()
                }))
            }
            Value::Bool(b) => Ok(Some(b.to_string())),
            Value::Array(_) => Err(format!("`{}` must be a single value, not a list", self.key)),
            Value::Object(_) => Err(format!(
                "`{}` must be a single value, not a mapping",
                self.key
            )),
        }
    }

    /// Text, or a list of texts joined with `, ` (some repositories write `role: [User, Admin]`).
    /// A list of locale codes (`[en, fr]`), or one code (`en`).
    fn codes(&self) -> Result<Vec<String>, String> {
        let one = |v: &Value| match v {
            Value::String(s) if !s.trim().is_empty() => Ok(s.trim().to_owned()),
            other => Err(format!(
                "{} lists `{other}`, which is not a locale code",
                self.key
            )),
        };
        match self.value {
            Value::Array(items) if !items.is_empty() => items.iter().map(one).collect(),
            Value::Array(_) | Value::Null => Err(format!("{} lists no locale", self.key)),
            other => Ok(vec![one(other)?]),
        }
    }

    fn list_text(&self) -> Result<Option<String>, String> {
        match self.value {
            Value::Array(items) => {
                let mut parts = Vec::with_capacity(items.len());
                for item in items {
                    match item {
                        Value::String(s) => parts.push(s.clone()),
                        Value::Number(n) => parts.push(n.to_string()),
                        _ => return Err(format!("`{}` must list plain texts", self.key)),
                    }
                }
                Ok(Some(parts.join(", ")))
            }
            _ => self.text(),
        }
    }

    fn flag(&self) -> Result<bool, String> {
        match self.value {
            Value::Null => Ok(false),
            Value::Bool(b) => Ok(*b),
            Value::String(s) => match s.to_ascii_lowercase().as_str() {
                "true" | "yes" | "on" => Ok(true),
                "false" | "no" | "off" | "" => Ok(false),
                _ => Err(format!("`{}` must be true or false, not `{s}`", self.key)),
            },
            _ => Err(format!("`{}` must be true or false", self.key)),
        }
    }
}

fn is_uuid(id: &str) -> bool {
    let groups: Vec<&str> = id.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, len)| g.len() == len && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn parse_percent(text: &str) -> Option<u8> {
    let digits = text.trim().strip_suffix('%').unwrap_or(text.trim()).trim();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse::<u8>().ok().filter(|p| *p <= 100)
}

/// The top-level mapping in file order, each key and value with its position.
struct Entries(Vec<(Spanned<String>, Spanned<Value>)>);

impl<'de> Deserialize<'de> for Entries {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntriesVisitor;
        impl<'de> Visitor<'de> for EntriesVisitor {
            type Value = Entries;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("`key: value` lines")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(EntriesVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_found_behind_their_first_bytes() {
        let cases = [
            ("title: Een\ndescription: Twee\n", false),
            ("title: «Un» ©\n", false),
            ("title: ÿ ï\n", false),
            ("title: a\tb\n", true),
            ("title: a\u{7f}\n", true),
            ("title: a\u{85}\n", true),
            ("\u{feff}title: a\n", true),
            ("title: a\r\n", true),
        ];
        for (yaml, expected) in cases {
            let long = format!("{}{yaml}", "k: v\n".repeat(20));
            for text in [yaml, long.as_str()] {
                assert_eq!(has_control(text), expected, "{text:?}");
            }
        }
    }

    /// Where the flat reader reads front matter, it reads what serde-saphyr reads.
    fn assert_flat_reads_as_yaml(text: &str) -> bool {
        let Ok(split) = split("a.md", text) else {
            return false;
        };
        let Some(flat) = flat_entries(&split) else {
            return false;
        };
        let yaml = yaml_entries(&split).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert_eq!(flat, yaml, "{text:?}");
        true
    }

    #[test]
    fn flat_front_matter_reads_as_yaml() {
        let read = [
            "title: \"Foutmelding bij Dang\"\nht-degree: '57%'\nsource-wordcount: '985'\n",
            "workflow-type: tm+mt  \nexl-id: 50c7d692-48d3-445f-bb7a-43cfcb728170\n",
            "source-git-commit: 2cae3734c59ba5e85031158e0281846a0a446012\n",
            "title: L'erreur de l'utilisateur\ndescription: \"Il s'agit d'un test\"\n",
            "title: 'Fehler \"x\" im Bericht'\nhidefromtoc:\nfeature: é à ü\n",
            "title:    spaced out value   \nrole: Admin, User\n",
            "title: 1.5 release notes\nlevel: Beginner\nhide: false\nhidefromtoc: true\n",
            "description: set in steps of 15 minutes (10:00, 10:15), not 10:05\n",
            "\ntitle: x\n\nrole: User\n\n",
            "feature_v2:\n  - id: b069d60e-95f3-44d6-95a8-ddc862a4bc38\n  - id: b3f03848\nrole: Admin\n",
            "title: x\nproduct_v2:\n    - id: e55547f1-a1ff-40c6-8978-026e40ab7fa4\n",
            "source-wordcount: 985\nzero: 0\nht-degree: 0%\n",
            "feature:\n  - Segments\n  - 'Calculated metrics'\n  - id: x\nempty:\nlast: y y\n",
            "product_v2:\n  - id: e55547f1\n    internal-label: Analytics\n  - id: b0c\n    internal-label: Admin Tools\nrole: x\n",
        ];
        for yaml in read {
            let text = format!("---\n{yaml}---\nbody\n");
            assert!(assert_flat_reads_as_yaml(&text), "not read flat: {yaml:?}");
        }
        // What only YAML reads, or may read as something else than text: left to serde-saphyr.
        let left = [
            "k:\n- id: a\n",
            "source-wordcount: 00985\n",
            "source-wordcount: +985\n",
            "source-wordcount: 1234567890123456\n",
            "k:\n  - id: a\n      name: b\n",
            "k:\n  - id: a\n    id: b\n",
            "k:\n  - id: a\n    name:\n",
            "k:\n  - id: a\n    name: b: c\n",
            "k:\n  - id: a\n    - b\n",
            "k:\n  - id: a\n\n  - id: b\n",
            "k:\n  - id: a\n   - id: b\n",
            "k:\n  - id: 0123\n",
            "k:\n  - id:\n",
            "k:\n  -  id: a\n",
            "k:\n  - a: b: c\n",
            "k:\n  sub: a\n",
            "k:\n  plain text\n",
            "ht-degree: 0123\n",
            "a: 12e45\n",
            "a: 1_000\n",
            "a: 0x1F\n",
            "a: .inf\n",
            "a: yes\n",
            "a: True\n",
            "a: ~\n",
            "a: 2001-12-14\n",
            "a: 12:30\n",
            "a: [en, fr]\n",
            "a: x # comment\n",
            "a: \"tab\\there\"\n",
            "a: 'it''s'\n",
            "a: x\na: y\n",
            "a: x\r\n",
            "a: 'open\n  continued'\n",
            "- a\n",
            "true: x\n",
        ];
        let many: String = (0..=MAX_FLAT_KEYS).map(|i| format!("k{i}: v\n")).collect();
        for yaml in left.iter().copied().chain([many.as_str()]) {
            let text = format!("---\n{yaml}---\n");
            let split = split("a.md", &text).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(flat_entries(&split), None, "{yaml:?}");
        }
    }

    /// Every article of the fixtures (and of the folders in `TOLK_FRONT_MATTER_CORPUS`,
    /// `:`-separated, for a run over a whole corpus) that the flat reader reads, it reads as
    /// serde-saphyr does.
    #[test]
    fn flat_front_matter_of_the_fixtures_reads_as_yaml() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut folders = vec![root.join("tests/fixtures"), root.join("content")];
        if let Ok(more) = std::env::var("TOLK_FRONT_MATTER_CORPUS") {
            folders.extend(more.split(':').map(std::path::PathBuf::from));
        }
        let (mut files, mut flat) = (0, 0);
        for folder in folders {
            for entry in walkdir::WalkDir::new(folder).into_iter().flatten() {
                if entry.path().extension().is_some_and(|e| e == "md") {
                    let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
                    files += 1;
                    flat += usize::from(assert_flat_reads_as_yaml(&text));
                }
            }
        }
        eprintln!("{flat} of {files} articles read flat");
        assert!(flat * 2 > files, "{flat} of {files}");
    }

    fn front(text: &str) -> Result<FrontMatter, String> {
        let split = split("a.md", text).map_err(|e| e.to_string())?;
        parse("a.md", text, &split).map_err(|e| e.to_string())
    }

    const SEED: &str = "---\nproduct-area: workfront-integrations;projects\nnavigation-topic: workfront-for-outlook\n\
title: 'Dépannage : erreur'\nauthor: Becky\nexl-id: 4A911760-e3fe-4e77-b7aa-b08f9ea59d6a\n\
source-git-commit: b4b45bbc8bb68dbac35488c1777fca85fa0cc7e3\nworkflow-type: tm+mt\n\
source-wordcount: '233'\nht-degree: 31%\nauhor: typo\n\n---\n\n# Body\n";

    #[test]
    fn reads_every_adobe_field() -> Result<(), String> {
        let fm = front(SEED)?;
        assert_eq!(fm.title.as_deref(), Some("Dépannage : erreur"));
        assert_eq!(
            fm.exl_id.as_deref(),
            Some("4a911760-e3fe-4e77-b7aa-b08f9ea59d6a")
        );
        assert_eq!(fm.source_wordcount, Some(233));
        assert_eq!(fm.ht_degree, Some(31));
        assert_eq!(fm.workflow_type.as_deref(), Some("tm+mt"));
        assert_eq!(fm.product_area, ["workfront-integrations", "projects"]);
        assert_eq!(fm.author.as_deref(), Some("Becky"));
        assert_eq!(
            fm.extra,
            [("auhor".to_owned(), Value::String("typo".into()))]
        );
        assert_eq!(fm.key_offsets.get("title"), SEED.find("title"));
        Ok(())
    }

    #[test]
    fn splits_body_after_closing_line() -> Result<(), String> {
        let s = split("a.md", SEED).map_err(|e| e.to_string())?;
        assert_eq!(s.body, "\n# Body\n");
        assert_eq!(&SEED[s.body_offset..], s.body);
        let none = split("a.md", "# Only body\n").map_err(|e| e.to_string())?;
        assert_eq!(none.body, "# Only body\n");
        Ok(())
    }

    #[test]
    fn wordcount_may_be_bare_and_flags_may_be_words() -> Result<(), String> {
        let fm = front(
            "---\nsource-wordcount: 233\nhidefromtoc: yes\nhide: false\nrole: [User, Admin]\n---\n",
        )?;
        assert_eq!(fm.source_wordcount, Some(233));
        assert!(fm.hidefromtoc);
        assert!(!fm.hide);
        assert_eq!(fm.role.as_deref(), Some("User, Admin"));
        Ok(())
    }

    #[test]
    fn locales_limit_an_article() -> Result<(), String> {
        assert_eq!(front("---\ntitle: x\n---\n")?.locales, None);
        let fm = front("---\nlocales: [en, fr]\n---\n")?;
        assert_eq!(fm.locales, Some(vec!["en".to_owned(), "fr".to_owned()]));
        assert_eq!(
            front("---\nlocales: en\n---\n")?.locales,
            Some(vec!["en".to_owned()])
        );
        assert!(fm.extra.is_empty(), "{:?}", fm.extra);
        Ok(())
    }

    #[test]
    fn invalid_values_are_positioned() {
        let cases = [
            (
                "---\nlocales: []\n---\n",
                "a.md:2:10: locales lists no locale",
            ),
            (
                "---\nlocales: [en, 3]\n---\n",
                "a.md:2:10: locales lists `3`, which is not a locale code",
            ),
            (
                "---\ntitle: x\nexl-id: not-a-uuid\n---\n",
                "a.md:3:9: exl-id `not-a-uuid` is not a UUID",
            ),
            (
                "---\nht-degree: 140%\n---\n",
                "a.md:2:12: ht-degree `140%` is not a percentage",
            ),
            (
                "---\nsource-git-commit: abc\n---\n",
                "a.md:2:20: source-git-commit `abc` is not a full commit",
            ),
            (
                "---\nsource-wordcount: many\n---\n",
                "a.md:2:19: source-wordcount `many` is not a whole number",
            ),
            (
                "---\ntitle: x\n\nbody without end\n",
                "a.md:1:1: the front matter that starts here is never closed",
            ),
            (
                "---\ntitle: [a, b]\n---\n",
                "a.md:2:8: `title` must be a single value",
            ),
        ];
        for (text, expected) in cases {
            let err = front(text).err().unwrap_or_default();
            assert!(
                err.starts_with(expected),
                "{text:?}\n  got: {err}\n want: {expected}"
            );
        }
    }

    #[test]
    fn an_apostrophe_in_single_quotes_is_named_with_its_fix() {
        let err = front("---\nexl-id: x\ndescription: y\ntitle: 'Dépannage : l'erreur'\n---\n")
            .err()
            .unwrap_or_default();
        assert!(
            err.starts_with("a.md:4:22: this apostrophe ends the single-quoted value early"),
            "{err}"
        );
        let text = "x\ntitle: 'l''a l'b'\n";
        assert_eq!(
            apostrophe_in_single_quotes(text, 5),
            Some((
                text.find("l'b").map_or(0, |i| i + 1),
                "title: 'l''a l''b'".to_owned()
            ))
        );
        // Double quotes, or no lone quote: not this mistake.
        assert_eq!(apostrophe_in_single_quotes("title: \"l'a\"\n", 0), None);
        assert_eq!(apostrophe_in_single_quotes("title: 'l''a'\n", 0), None);
    }

    #[test]
    fn library_messages_are_in_our_words() {
        assert_eq!(
            ours("duplicate mapping key: title, set DuplicateKeyPolicy in Options if acceptable"),
            "the key `title` appears twice; keep one of them"
        );
        assert_eq!(ours("something, set Foo in Options"), "something");
        assert_eq!(ours("unexpected end"), "unexpected end");
    }

    #[test]
    fn yaml_syntax_errors_point_into_the_file() {
        let err = front("---\ntitle: x\ndescription: 'unclosed\n---\n# Body\n")
            .err()
            .unwrap_or_default();
        assert!(err.starts_with("a.md:3:"), "{err}");
        assert!(err.contains("invalid YAML"), "{err}");
        let dup = front("---\ntitle: a\ntitle: b\n---\n")
            .err()
            .unwrap_or_default();
        assert!(dup.starts_with("a.md:3:"), "{dup}");
        assert!(dup.contains("the key `title` appears twice"), "{dup}");
        assert!(!dup.contains("DuplicateKeyPolicy"), "{dup}");
    }

    #[test]
    fn key_offsets_find_each_key_at_its_last_place() {
        let mut offsets = KeyOffsets::default();
        assert_eq!(offsets.get("title"), None);
        offsets.insert("title", 4);
        offsets.insert("exl-id", 20);
        offsets.insert("titel", 40);
        offsets.insert("", 50);
        offsets.insert("clé", 60);
        offsets.insert("title", 80);
        assert_eq!(offsets.get("title"), Some(80));
        assert_eq!(offsets.get("exl-id"), Some(20));
        assert_eq!(offsets.get("titel"), Some(40));
        assert_eq!(offsets.get("clé"), Some(60));
        assert_eq!(offsets.get(""), Some(50));
        assert_eq!(offsets.get("exl"), None);
        assert_eq!(offsets.get("id"), None);
    }
}
