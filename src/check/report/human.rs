//! `--format human`: findings grouped by article, the articles with errors first; each finding
//! on one line (`error[rule]: path:line:col: message`) with one line of context clipped to the
//! terminal width around its column, the rule's help and the places it was compared with.
//! Findings of one rule with the same message in one article (one broken link in every locale,
//! or used twice) are folded into one, with a count and the other places. Then a table of the
//! findings by rule and locale, a table per locale, and the one-line summary.

use std::collections::BTreeMap;
use std::fmt::Write;

use rayon::prelude::*;
use unicode_width::UnicodeWidthChar;

use super::{ordered, Style};
use crate::byte_scan;
use crate::check::{At, Finding, Report, Severity};

/// One article's findings: a title line with the counts, then each finding (repeats folded).
fn article_block(
    report: &Report,
    article: &str,
    findings: &[&Finding],
    width: usize,
    paint: Paint,
) -> String {
    let mut out = String::with_capacity(findings.len() * 640 + 128);
    paint.start(&mut out, BOLD);
    out.push_str("── ");
    push_printable(&mut out, article);
    if let Some(id) = findings.iter().find_map(|f| f.exl_id.as_ref()) {
        out.push_str(" (exl-id ");
        out.push_str(id);
        out.push(')');
    }
    out.push_str(" ── ");
    push_counts(&mut out, findings);
    paint.end(&mut out);
    out.push('\n');
    for fold in fold(findings) {
        finding(&mut out, report, &fold, width, paint);
    }
    out.push('\n');
    out
}

/// The width used when the terminal's is unknown.
pub const DEFAULT_WIDTH: usize = 120;

/// How many articles' blocks are written at a time.
const ARTICLES_AT_ONCE: usize = 512;

/// The whole report as one string.
pub fn render(report: &Report, style: &Style) -> String {
    let mut out = String::new();
    let _ = write_parts(report, style, |part| {
        out.push_str(part);
        Ok(())
    });
    out
}

/// Writes the report to `out` as it is made: at 90,000 findings it is 57 MB, never held whole.
pub fn write(report: &Report, style: &Style, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    write_parts(report, style, |part| out.write_all(part.as_bytes()))
}

/// The report in parts, in order, to `emit`.
fn write_parts(
    report: &Report,
    style: &Style,
    mut emit: impl FnMut(&str) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let width = style.width.unwrap_or(DEFAULT_WIDTH).max(40);
    let paint = Paint(style.color);
    // The articles' blocks are made on every core (a report of 90,000 findings took a third
    // of a second on one thread), some hundreds at a time, and written in order.
    for articles in ordered(report).chunks(ARTICLES_AT_ONCE) {
        let blocks: Vec<String> = articles
            .par_iter()
            .map(|(article, findings)| article_block(report, article, findings, width, paint))
            .collect();
        for block in &blocks {
            emit(block)?;
        }
    }
    if style.quiet {
        return Ok(());
    }
    if !report.findings.is_empty() {
        emit(&by_rule(report))?;
        emit("\n")?;
    }
    emit(&table(report))?;
    emit(&report.summary_line())?;
    emit("\n")
}

/// `2 errors, 1 warning`: the findings of one article.
fn push_counts(out: &mut String, findings: &[&Finding]) {
    let mut first = true;
    for (severity, word) in [
        (Severity::Error, "error"),
        (Severity::Warning, "warning"),
        (Severity::Info, "info"),
    ] {
        let n = findings.iter().filter(|f| f.severity == severity).count();
        if n > 0 {
            if !first {
                out.push_str(", ");
            }
            first = false;
            push_number(out, n);
            out.push(' ');
            out.push_str(word);
            if n != 1 {
                out.push('s');
            }
        }
    }
}

/// A finding and the others of the same rule and message in the same article.
#[derive(Debug)]
struct Fold<'a> {
    first: &'a Finding,
    others: Vec<&'a Finding>,
}

/// A finding's message without its closing ` in LOCALE` (`... does not exist in fr`): the same
/// defect in every translation folds into one.
fn stem(finding: &Finding) -> &str {
    finding
        .message
        .strip_suffix(finding.locale.as_str())
        .and_then(|m| m.strip_suffix(" in "))
        .unwrap_or(&finding.message)
}

impl Fold<'_> {
    /// The message, naming every locale of the fold when it names one.
    fn message(&self) -> std::borrow::Cow<'_, str> {
        let first = self.first;
        if stem(first).len() == first.message.len() || self.others.is_empty() {
            return std::borrow::Cow::Borrowed(&first.message);
        }
        let mut locales: Vec<&str> = vec![&first.locale];
        for other in &self.others {
            if !locales.contains(&other.locale.as_str()) {
                locales.push(&other.locale);
            }
        }
        std::borrow::Cow::Owned(format!("{} in {}", stem(first), locales.join(", ")))
    }
}

fn fold<'a>(findings: &[&'a Finding]) -> Vec<Fold<'a>> {
    let mut folds: Vec<Fold<'a>> = Vec::new();
    // Each fold's stem, found once.
    let mut stems: Vec<&str> = Vec::new();
    for &finding in findings {
        let this = stem(finding);
        let same = folds.iter().zip(&stems).position(|(f, &s)| {
            f.first.rule == finding.rule && f.first.severity == finding.severity && s == this
        });
        match same {
            Some(i) => folds[i].others.push(finding),
            None => {
                folds.push(Fold {
                    first: finding,
                    others: Vec::new(),
                });
                stems.push(this);
            }
        }
    }
    folds
}

/// One finding and its fold, written straight into `out` (a report can have a hundred
/// thousand: each piece is pushed, not formatted into a string of its own first).
fn finding(out: &mut String, report: &Report, fold: &Fold, width: usize, paint: Paint) {
    let f = fold.first;
    let color = match f.severity {
        Severity::Error => RED,
        Severity::Warning => YELLOW,
        Severity::Info => CYAN,
    };
    paint.start(out, color);
    out.push_str(f.severity.as_str());
    out.push('[');
    out.push_str(f.rule.id());
    out.push(']');
    paint.end(out);
    out.push_str(": ");
    push_printable(out, &fold.message());
    if !fold.others.is_empty() {
        let _ = write!(out, " ({} times)", fold.others.len() + 1);
    }
    out.push('\n');
    let gutter = f.at.as_ref().map_or(1, |at| digits(at.line));
    push_spaces(out, gutter);
    out.push_str("--> ");
    push_place(out, &f.path, f.at.as_ref());
    out.push('\n');
    if let (Some(at), Some(text)) = (&f.at, report.sources.get(&*f.path)) {
        if let Some((line, marks)) = context(text, at, width.saturating_sub(gutter + 3)) {
            push_spaces(out, gutter - digits(at.line));
            push_number(out, at.line);
            out.push_str(" │ ");
            push_printable(out, &line);
            out.push('\n');
            push_spaces(out, gutter);
            out.push_str(" │ ");
            paint.start(out, BOLD);
            out.push_str(&marks);
            paint.end(out);
            out.push('\n');
        }
    }
    out.push_str("  help: ");
    out.push_str(f.rule.help());
    out.push('\n');
    for r in &f.related {
        out.push_str("  ");
        out.push_str(r.locale.as_str());
        out.push_str(": ");
        push_place(out, &r.path, r.at.as_ref());
        out.push('\n');
    }
    if !fold.others.is_empty() {
        // As many places on a line as fit.
        let mut line = String::from("  also at:");
        for (i, place) in fold.others.iter().map(|o| o.location()).enumerate() {
            if i > 0 {
                line.push(',');
                if line.chars().count() + place.chars().count() + 1 > width {
                    let _ = writeln!(out, "{line}");
                    line = " ".repeat(10);
                }
            }
            line.push(' ');
            line.push_str(&printable(&place));
        }
        let _ = writeln!(out, "{line}");
    }
}

/// The line of `at` in `text`, clipped to `room` columns around the span (an ellipsis marks
/// what was cut), and the carets under the span.
pub fn context(text: &str, at: &At, room: usize) -> Option<(String, String)> {
    let offset = floor_boundary(text, at.offset.min(text.len()));
    let bytes = text.as_bytes();
    let start = memchr::memrchr(b'\n', &bytes[..offset]).map_or(0, |i| i + 1);
    let end = memchr::memchr(b'\n', &bytes[offset..]).map_or(text.len(), |i| offset + i);
    let line = text[start..end].trim_end_matches('\r');
    if line.trim().is_empty() {
        return None;
    }
    // Characters counted once each: up to the span, the span, and (for a long line) the rest.
    let line_end = start + line.len();
    let span_at = offset.min(line_end);
    let stop = floor_boundary(text, (offset + at.len).min(line_end)).max(span_at);
    let span_start = text[start..span_at].chars().count();
    let span_end = span_start + text[span_at..stop].chars().count();
    let room = room.max(20);
    // Most lines are short printable ASCII: shown as they are, one column a byte.
    if line.len() <= room && line.bytes().all(|b| matches!(b, b' '..=b'~')) {
        let (from, to) = (span_start.min(line.len()), span_end.min(line.len()));
        let marks = caret_line(from, to.saturating_sub(from).max(1));
        return Some((line.to_owned(), marks.trim_end().to_owned()));
    }
    // Most other lines are letters one column wide (accented Latin, typographic quotes and
    // spaces): the window is found by counting characters, none measured one by one.
    let span_byte = span_at - start;
    if narrow_line(line) {
        let count = span_end + text[stop..line_end].chars().count();
        return Some(narrow_window(
            line,
            count,
            span_byte,
            (span_start, span_end),
            room,
        ));
    }
    // A line that does not fit is clipped around the span: only the characters near it are
    // measured (a paragraph is one line), unless zero-width ones make the window too small.
    let mut total = 0;
    let fits = line.chars().all(|c| {
        total += cell(c).1;
        total <= room
    });
    let span = (span_start, span_end);
    if fits {
        let all: Vec<(char, usize)> = line.chars().map(cell).collect();
        return Some(marked(&all, 0, all.len(), (0, all.len()), span));
    }
    let count = line.chars().count();
    let lo = span_start.saturating_sub(room + 2);
    // Character `lo` is found back from the span, not counted from the line's start.
    let lo_byte = match lo {
        0 => 0,
        _ => line[..span_byte]
            .char_indices()
            .rev()
            .nth(room + 1)
            .map_or(0, |(i, _)| i),
    };
    // Sized up front: `chars()` promises too few items for `collect` to size it.
    let mut chars: Vec<(char, usize)> = Vec::with_capacity(2 * (room + 2));
    chars.extend(line[lo_byte..].chars().take(2 * (room + 2)).map(cell));
    let (from, to) = clip(&chars, span_start - lo, room);
    if from == 0 && lo > 0 || to == chars.len() && lo + to < count {
        // The window was too small (zero-width characters): measure the whole line.
        let all: Vec<(char, usize)> = line.chars().map(cell).collect();
        return Some(marked(&all, 0, count, clip(&all, span_start, room), span));
    }
    Some(marked(&chars, lo, count, (lo + from, lo + to), span))
}

/// Whether `c` is shown as itself in one column: printable ASCII, Latin letters and signs
/// (U+00A0 to U+02FF but the soft hyphen), dashes, quotes, the narrow no-break space and the
/// like (U+2010 to U+2027, U+202F to U+203F). A test holds this to `unicode-width`.
fn narrow(c: char) -> bool {
    matches!(
        c,
        ' '..='~' | '\u{A0}'..='\u{AC}' | '\u{AE}'..='\u{2FF}' | '\u{2010}'..='\u{2027}' | '\u{202F}'..='\u{203F}'
    )
}

/// Whether every character of `line` is [`narrow`]. The bytes that can start any other
/// character (controls, DEL, `0xC2` and lead bytes from `0xC6`) are looked for 32 at a time,
/// and only the characters they start are decoded: accented Latin (`0xC3` to `0xC5`) and
/// ASCII pass without decoding.
fn narrow_line(line: &str) -> bool {
    let suspect = |b: u8| b < 0x20 || b == 0x7F || b == 0xC2 || b >= 0xC6;
    let bytes = line.as_bytes();
    let mut at = 0;
    while let Some(i) = byte_scan::position(&bytes[at..], suspect) {
        // A suspect byte is never a continuation byte (0x80 to 0xBF): it starts a character.
        let Some(c) = line.get(at + i..).and_then(|r| r.chars().next()) else {
            return false;
        };
        if !narrow(c) {
            return false;
        }
        at += i + c.len_utf8();
    }
    true
}

/// [`context`] for a line of [`narrow`] characters: one column a character, so the shown
/// window is found by counting (`count` is the line's characters, `span_byte` where the span
/// starts in `line`).
fn narrow_window(
    line: &str,
    count: usize,
    span_byte: usize,
    (span_start, span_end): (usize, usize),
    room: usize,
) -> (String, String) {
    let (from, to) = if count <= room {
        (0, count)
    } else {
        // As `clip` does: a third of the room before the span, then what fits after it, and
        // near the end of the line more of what comes before.
        let budget = room - 2;
        let mut from = span_start.min(count);
        from -= from.min(budget / 3);
        let to = count.min(from + budget);
        from -= from.min(budget - (to - from));
        (from, to)
    };
    let before = span_start - from.min(span_start);
    let from_byte = match before {
        0 => span_byte.min(line.len()),
        n => line[..span_byte]
            .char_indices()
            .rev()
            .nth(n - 1)
            .map_or(0, |(i, _)| i),
    };
    let to_byte = line[from_byte..]
        .char_indices()
        .nth(to - from)
        .map_or(line.len(), |(i, _)| from_byte + i);
    let mut shown = String::with_capacity(to_byte - from_byte + 6);
    if from > 0 {
        shown.push('…');
    }
    shown.push_str(&line[from_byte..to_byte]);
    if to < count {
        shown.push('…');
    }
    let spaces = usize::from(from > 0) + span_start.min(to).saturating_sub(from);
    let carets = span_end.min(to).saturating_sub(span_start.max(from));
    let marks = caret_line(spaces, carets.max(1));
    (shown, marks)
}

/// `spaces` spaces, then `n` carets: one string, sized once.
fn caret_line(spaces: usize, n: usize) -> String {
    let mut marks = String::with_capacity(spaces + n);
    marks.extend(std::iter::repeat_n(' ', spaces));
    marks.extend(std::iter::repeat_n('^', n));
    marks
}

/// A character as shown, and its width: control characters (tabs) as one space.
fn cell(c: char) -> (char, usize) {
    if matches!(c, ' '..='~') {
        (c, 1)
    } else if c.is_control() {
        (' ', 1)
    } else {
        (c, c.width().unwrap_or(0))
    }
}

/// Which of `chars` are shown of a line that does not fit (`span_start` is an index into
/// them): a third of the room before the span, then as much as fits after it.
fn clip(chars: &[(char, usize)], span_start: usize, room: usize) -> (usize, usize) {
    let budget = room - 2;
    let mut from = span_start.min(chars.len());
    let mut before = 0;
    while from > 0 && before + chars[from - 1].1 <= budget / 3 {
        from -= 1;
        before += chars[from].1;
    }
    let mut to = from;
    let mut used = 0;
    while to < chars.len() && used + chars[to].1 <= budget {
        used += chars[to].1;
        to += 1;
    }
    // Near the end of the line, show more of what comes before.
    while from > 0 && used + chars[from - 1].1 <= budget {
        from -= 1;
        used += chars[from].1;
    }
    (from, to)
}

/// The shown characters `from..to` of a line of `count` characters (`chars` starts at its
/// character `lo`) with an ellipsis where it was cut, and the carets under the span.
fn marked(
    chars: &[(char, usize)],
    lo: usize,
    count: usize,
    (from, to): (usize, usize),
    (span_start, span_end): (usize, usize),
) -> (String, String) {
    let window = chars.get(from - lo..to - lo).unwrap_or_default();
    let mut shown = String::with_capacity(window.len() + 6);
    let (mut spaces, mut carets) = (0, 0);
    if from > 0 {
        shown.push('…');
        spaces += 1;
    }
    shown.extend(window.iter().map(|&(c, _)| c));
    // The carets go under the span, after a space a column for what comes before it.
    for (i, &(_, w)) in (from..).zip(window) {
        if i < span_start {
            spaces += w;
        } else if i < span_end {
            carets += w.max(1);
        }
    }
    if to < count {
        shown.push('…');
    }
    let marks = caret_line(spaces, carets.max(1));
    (shown, marks)
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The findings by rule and locale: which rule to work on first.
fn by_rule(report: &Report) -> String {
    columns(&rule_rows(report), 2)
}

/// The table of findings by rule (rows: severity, then rule) and locale (columns), with a
/// header row and a total column; `-` where a locale has none.
pub fn rule_rows(report: &Report) -> Vec<Vec<String>> {
    let locales: Vec<&str> = report.locales.iter().map(|l| l.locale.as_str()).collect();
    let mut counts: BTreeMap<(Severity, &str), BTreeMap<&str, usize>> = BTreeMap::new();
    for f in &report.findings {
        *counts
            .entry((f.severity, f.rule.id()))
            .or_default()
            .entry(f.locale.as_str())
            .or_default() += 1;
    }
    let mut header = vec!["rule".to_owned(), "severity".to_owned()];
    header.extend(locales.iter().map(|l| (*l).to_owned()));
    header.push("total".to_owned());
    let mut rows = vec![header];
    for ((severity, rule), per_locale) in &counts {
        let mut row = vec![(*rule).to_owned(), severity.to_string()];
        row.extend(locales.iter().map(|l| match per_locale.get(l) {
            Some(n) => n.to_string(),
            None => "-".to_owned(),
        }));
        row.push(per_locale.values().sum::<usize>().to_string());
        rows.push(row);
    }
    rows
}

/// Rows as aligned columns: the first `left` left-aligned, the rest right-aligned.
fn columns(rows: &[Vec<String>], left: usize) -> String {
    let n = rows.first().map_or(0, Vec::len);
    let widths: Vec<usize> = (0..n)
        .map(|i| {
            rows.iter()
                .map(|r| r.get(i).map_or(0, |c| c.chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (i, (cell, w)) in row.iter().zip(&widths).enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            if i < left {
                let _ = write!(line, "{cell:<w$}");
            } else {
                let _ = write!(line, "{cell:>w$}");
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Articles, in sync, out of sync and missing, per locale.
fn table(report: &Report) -> String {
    let mut rows = vec![["locale", "articles", "in sync", "out of sync", "missing"]
        .map(str::to_owned)
        .to_vec()];
    for l in &report.locales {
        rows.push(vec![
            l.locale.to_string(),
            l.articles.to_string(),
            l.in_sync.to_string(),
            l.out_of_sync.to_string(),
            l.missing.to_string(),
        ]);
    }
    columns(&rows, 1)
}

/// ANSI colours, when wanted.
#[derive(Debug, Clone, Copy)]
struct Paint(bool);

/// The escape codes of [`Paint`]'s styles.
const BOLD: &str = "1";
const RED: &str = "1;31";
const YELLOW: &str = "1;33";
const CYAN: &str = "1;36";

impl Paint {
    /// Starts writing in style `code` (nothing without colors); [`Paint::end`] ends it.
    fn start(self, out: &mut String, code: &str) {
        if self.0 {
            out.push_str("\x1b[");
            out.push_str(code);
            out.push('m');
        }
    }

    fn end(self, out: &mut String) {
        if self.0 {
            out.push_str("\x1b[0m");
        }
    }
}

/// How many digits `n` has.
fn digits(n: usize) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

/// Appends `n` in decimal digits (what `write!` gives, without its formatting machinery).
fn push_number(out: &mut String, n: usize) {
    out.push_str(itoa::Buffer::new().format(n));
}

/// `path:line:column`, or the path alone.
fn push_place(out: &mut String, path: &str, at: Option<&At>) {
    push_printable(out, path);
    if let Some(at) = at {
        out.push(':');
        push_number(out, at.line);
        out.push(':');
        push_number(out, at.column);
    }
}

fn push_spaces(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// Appends [`printable`] `text`.
fn push_printable(out: &mut String, text: &str) {
    out.push_str(&printable(text));
}

/// `text` with control characters (an escape sequence in a file name) shown as escapes, so
/// nothing from the content can drive the terminal.
fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    // A control character is a byte below 0x20, DEL, or U+0080 to U+009F (C2 80 to C2 9F):
    // most texts have no such byte, nor a C2 to look behind.
    let suspect = |b: u8| b < 0x20 || b == 0x7F || b == 0xC2;
    if !byte_scan::any(text.as_bytes(), suspect) || !text.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, needle: &str) -> At {
        let offset = text.find(needle).unwrap_or(0);
        At::new(text, offset, needle.len())
    }

    #[test]
    fn context_is_clipped_around_the_column() {
        let short = "title: Een\nSee [the page](missing.md) here.\n";
        let cases: Vec<(&str, String, &str, usize, &str, &str)> = vec![
            (
                "a short line is shown whole",
                short.to_owned(),
                "missing.md",
                80,
                "See [the page](missing.md) here.",
                "               ^^^^^^^^^^",
            ),
            (
                "a long line is cut on both sides",
                format!("{}[x](target.md){}", "a".repeat(300), "b".repeat(300)),
                "target.md",
                40,
                "…aaaaaaaa[x](target.md)bbbbbbbbbbbbbbbb…",
                "             ^^^^^^^^^",
            ),
            (
                "a span at the end of a long line",
                format!("{}[x](end.md)", "a".repeat(300)),
                "end.md",
                30,
                "…aaaaaaaaaaaaaaaaa[x](end.md)",
                "                      ^^^^^^",
            ),
        ];
        for (what, text, needle, room, line, marks) in cases {
            let shown = context(&text, &at(&text, needle), room);
            assert_eq!(shown, Some((line.to_owned(), marks.to_owned())), "{what}");
            let width = line.chars().count();
            assert!(width <= room.max(20), "{what}: {width} > {room}");
        }
        // Only the characters near the span are measured; wide and zero-width ones (which can
        // make that window too small) give what measuring the whole line gives.
        let lines = [
            format!("{}`x` {}", "é".repeat(200), "語".repeat(100)),
            format!(
                "{}`x`{}",
                "e\u{301}\u{301}\u{301}".repeat(150),
                "b\t".repeat(90)
            ),
            format!("{}`x`{}", "\u{301}".repeat(400), "\u{200B}".repeat(400)),
            format!("{}`x`", "a".repeat(50)),
            // Printable ASCII: long, the span near either end, a tab.
            format!("{}`x` {}", "word ".repeat(90), "z".repeat(300)),
            format!("`x`{}", "a b".repeat(100)),
            format!("{}\t{}", "a".repeat(200), "b".repeat(150)),
            // One column a character, as French and Italian prose is: found by counting.
            format!(
                "L\u{2019}{}`x` «\u{A0}{}\u{A0}» {}",
                "élève à côté ".repeat(40),
                "ʼœuvre".repeat(30),
                "ç".repeat(100)
            ),
            format!("{}`x`", "è\u{202F}".repeat(30)),
            format!("`x`{}", "—ò".repeat(150)),
            // Narrow but for one character: a soft hyphen, a wide one, a combining accent.
            format!(
                "{}\u{AD}{}`x`{}",
                "é".repeat(150),
                "a".repeat(20),
                "ù".repeat(150)
            ),
            format!("{}`x`{}語", "é".repeat(150), "ù".repeat(150)),
            format!("{}`x`{}e\u{301}", "é".repeat(150), "ù".repeat(150)),
        ];
        for line in &lines {
            for offset in (0..line.len())
                .filter(|&o| line.is_char_boundary(o))
                .step_by(7)
            {
                for (room, len) in [(20, 3), (47, 3), (120, 3), (30, 0), (60, 90)] {
                    let at = At::new(line, offset, len);
                    let chars: Vec<(char, usize)> = line.chars().map(cell).collect();
                    let total: usize = chars.iter().map(|c| c.1).sum();
                    let start = line[..offset].chars().count();
                    let end = line[..floor_boundary(line, (offset + len).min(line.len()))]
                        .chars()
                        .count();
                    let shown = if total <= room {
                        (0, chars.len())
                    } else {
                        clip(&chars, start, room)
                    };
                    let expected = marked(&chars, 0, chars.len(), shown, (start, end));
                    assert_eq!(
                        context(line, &at, room),
                        Some(expected),
                        "{offset} {room} {len}"
                    );
                }
            }
        }
        // A short ASCII line (shown without the table) with empty spans, spans past its end,
        // and a carriage return: as the table shows it.
        let line = "See [the page](missing.md) here.\r";
        for offset in 0..line.len() {
            for len in [0, 1, 3, 100] {
                let at = At::new(line, offset, len);
                let shown = line.trim_end_matches('\r');
                let chars: Vec<(char, usize)> = shown.chars().map(cell).collect();
                let start = offset.min(shown.len());
                let end = (offset + len).min(shown.len()).max(offset);
                let expected = marked(&chars, 0, chars.len(), (0, chars.len()), (start, end));
                assert_eq!(context(line, &at, 80), Some(expected), "{offset} {len}");
            }
        }
        // An empty line has no context; a span of 0 still gets a caret.
        assert_eq!(context("a\n\nb", &At::new("a\n\nb", 2, 0), 80), None);
        assert_eq!(
            context("key: v", &At::new("key: v", 0, 0), 80),
            Some(("key: v".to_owned(), "^".to_owned()))
        );
    }

    #[test]
    fn numbers_are_pushed_as_write_gives_them() {
        for n in [0, 7, 9, 10, 99, 100, 12_345, usize::MAX] {
            let mut out = String::from("x");
            push_number(&mut out, n);
            assert_eq!(out, format!("x{n}"));
            assert_eq!(digits(n), n.to_string().len(), "{n}");
        }
    }

    #[test]
    fn narrow_characters_are_one_column_wide() {
        let ranges = [
            ' '..='~',
            '\u{A0}'..='\u{2FF}',
            '\u{2010}'..='\u{203F}',
            '\u{0}'..='\u{1F}',
            '\u{7F}'..='\u{9F}',
        ];
        for c in ranges.into_iter().flatten() {
            if narrow(c) {
                assert_eq!(cell(c), (c, 1), "{c:?}");
            }
        }
        for c in ['\u{AD}', '\u{300}', '\u{2028}', '\u{200B}', '\t', '語'] {
            assert!(!narrow(c), "{c:?}");
        }
        assert!(narrow_line("L\u{2019}élève à côté «\u{A0}œuvre\u{A0}» ʼ"));
        assert!(!narrow_line("tab\there"));
        assert!(!narrow_line("漢字"));
    }

    #[test]
    fn wide_characters_keep_the_carets_under_the_span() {
        let text = "漢字 [x](a.md)";
        let shown = context(text, &at(text, "a.md"), 80);
        assert_eq!(shown, Some((text.to_owned(), "         ^^^^".to_owned())));
    }
}
