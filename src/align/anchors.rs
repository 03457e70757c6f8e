//! The anchors of one segment: what survives translation and so must match across locales
//! (numbers, inline code, plain-text URLs, e-mail addresses, placeholders, `[!DNL]` and
//! `[!UICONTROL]` texts), and what its prose (the words outside those anchors and the markup)
//! skips. The prose itself is read only when a rule asks ([`prose`], [`prose_prefix`]): most
//! translated segments differ from their pivot in their first words, so telling a paragraph
//! left untranslated rarely needs the whole of either.
//!
//! Numbers are read with every locale's separators: `1,000.5`, `1.000,5`, `1 000,5` (a space,
//! U+00A0 or U+202F before a group of three digits) and `1'000` are all the digits `10005`;
//! ordinals (`1st`, `1er`, `1°`) and times (`10:30`, `10h30`) keep their digits; leading zeros
//! are dropped (`02` is `2`). A number glued to a letter before it (`H1`, `mp4`, `Q3`) is a name,
//! not a number.

use std::hash::{BuildHasher, Hasher};
use std::ops::Range;
use std::sync::LazyLock;

use memchr::memmem::Finder;

use crate::byte_scan;

/// A number in a segment: its digits (as a hash, separators dropped) and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number {
    pub value: u64,
    /// One digit (`0` to `9`, leading zeros aside): the kind of number a translation may
    /// write out as a word ("1 hit", "één hit").
    pub small: bool,
    /// File offsets.
    pub range: Range<usize>,
}

/// What a segment carries besides its prose. Ranges are file offsets.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Anchors {
    pub numbers: Vec<Number>,
    /// Inline code spans, backticks included.
    pub code: Vec<Range<usize>>,
    /// URLs written as text (not inside a link).
    pub urls: Vec<Range<usize>>,
    pub emails: Vec<Range<usize>>,
    /// `{{snippet}}` references and `{0}`-style placeholders.
    pub placeholders: Vec<Range<usize>>,
    /// The texts inside `[!DNL ...]`.
    pub dnl: Vec<Range<usize>>,
    /// The texts inside `[!UICONTROL ...]`.
    pub labels: Vec<Range<usize>>,
    /// Hashes of every anchor and link target, sorted: what alignment compares.
    pub keys: Vec<u64>,
    /// What the prose skips, sorted by start: inline code, link targets, HTML, entities,
    /// attribute lists, placeholders, URLs, e-mail addresses, the whole `[!DNL ...]` and
    /// `[!UICONTROL ...]` markers.
    pub skip: Vec<Range<usize>>,
}

/// The prose of a segment: its words outside [`Anchors::skip`], counted and hashed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Prose {
    /// Words with a lowercase letter (`AN-211870`, `CSV` are names).
    pub words: u32,
    /// Words that start with a lowercase letter: `the`, `with`; product names are capitalized.
    pub plain_words: u32,
    pub letters: u32,
    /// A hash of the words, lowercased.
    pub hash: u64,
}

/// How many bytes of the prose [`prose_prefix`] reads.
const PREFIX: usize = 8;

/// The first [`PREFIX`] bytes of a segment's prose, as [`prose`] hashes them (the words
/// lowercased, each ended by a 0 byte).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prefix {
    bytes: [u8; PREFIX],
    len: usize,
}

pub use crate::model::spans::Inline;

/// The one hasher of anchors: the same text gives the same key in every article of a run.
pub fn hasher() -> impl Hasher {
    foldhash::fast::FixedState::with_seed(0x746f_6c6b).build_hasher()
}

/// Hashes `text` with whitespace runs (and zero-width spaces) collapsed and trimmed.
pub fn key(text: &str) -> u64 {
    // Most anchors (code, link targets, ids) are one word of printable ASCII: hashed whole.
    if !text.bytes().all(|b| b.is_ascii_graphic()) {
        return key_by_words(text);
    }
    let mut h = hasher();
    if !text.is_empty() && text != "&#x200B;" {
        h.write(text.as_bytes());
        h.write_u8(0);
    }
    h.finish()
}

/// [`key`] of any text: each word hashed, with a 0 byte after it.
fn key_by_words(text: &str) -> u64 {
    let mut h = hasher();
    for word in text
        .split(|c: char| c.is_whitespace() || c == '\u{200B}')
        .filter(|w| !w.is_empty() && *w != "&#x200B;")
    {
        h.write(word.as_bytes());
        h.write_u8(0);
    }
    h.finish()
}

/// The inline markup of one segment, borrowed from the article's lists.
#[derive(Debug, Clone, Copy, Default)]
pub struct InlineRefs<'a> {
    pub code: &'a [Range<usize>],
    pub links: &'a [Range<usize>],
    pub dests: &'a [Range<usize>],
    pub html: &'a [Range<usize>],
}

/// Reads the anchors of `text[range]`; `inline` is what the parser found there.
pub fn read(text: &str, range: Range<usize>, inline: &Inline) -> Anchors {
    let refs = InlineRefs {
        code: &inline.code,
        links: &inline.links,
        dests: &inline.dests,
        html: &inline.html,
    };
    read_in(text, range, refs)
}

/// Whether `bytes` has a `[!`: each `[` (a link's, most often) is looked behind. memmem's
/// searcher costs more to start than this on a segment.
fn has_marker(bytes: &[u8]) -> bool {
    memchr::memchr_iter(b'[', bytes).any(|i| bytes.get(i + 1) == Some(&b'!'))
}

/// The search for `http` on the segments with a colon, built once (`memmem::find` builds its
/// searcher at each call, which cost more than the search on a segment).
static HTTP: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("http"));

/// [`read`] with the inline markup borrowed: no copy of its lists per segment.
pub fn read_in(text: &str, range: Range<usize>, inline: InlineRefs<'_>) -> Anchors {
    let mut anchors = Anchors {
        code: inline.code.to_vec(),
        ..Anchors::default()
    };
    let slice = text.get(range.clone()).unwrap_or_default();
    let base = range.start;
    // Sized for the inline markup (nothing allocated for a segment without any).
    let mut hard: Vec<Range<usize>> =
        Vec::with_capacity(inline.code.len() + inline.dests.len() + inline.html.len());
    hard.extend(inline.code.iter().cloned());
    hard.extend(inline.dests.iter().cloned());
    hard.extend(inline.html.iter().cloned());
    // Each scan runs only where its marker character is: most segments are plain prose.
    // (memchr's searches take 16 or 32 bytes a step, the standard library's `contains` 8.)
    let bytes = slice.as_bytes();
    // One search for the three markup bytes, most segments having none.
    let markup = memchr::memchr3(b'<', b'&', b'{', bytes).is_some();
    let has = |b: u8| markup && memchr::memchr(b, bytes).is_some();
    if has(b'<') {
        hard.extend(tags(slice, base));
    }
    if has(b'&') {
        hard.extend(entities(slice, base));
    }
    let braced = if has(b'{') {
        braces(slice, base)
    } else {
        Vec::new()
    };
    for (whole, kind) in braced {
        if kind == Brace::Placeholder {
            anchors.placeholders.push(whole.clone());
        }
        hard.push(whole);
    }
    written_out(slice, base, inline.links, &mut hard, &mut anchors);
    hard.sort_by_key(|r| r.start);
    let outside = |r: &Range<usize>, list: &[Range<usize>]| {
        !list.iter().any(|s| s.start <= r.start && r.end <= s.end)
    };
    // The whole `[!DNL ...]` and `[!UICONTROL ...]` markers: skipped by the prose, not by the
    // numbers.
    let mut wholes: Vec<Range<usize>> = Vec::new();
    if has_marker(bytes) {
        let [dnl, labels] = markers_in(slice);
        for (found, list) in [(dnl, &mut anchors.dnl), (labels, &mut anchors.labels)] {
            for (whole, inner) in found {
                let inner = base + inner.start..base + inner.end;
                if outside(&inner, &hard) {
                    list.push(inner);
                    wholes.push(base + whole.start..base + whole.end);
                }
            }
        }
    }
    if has_digit(bytes) {
        anchors.numbers = numbers(text, range.clone(), &hard);
    }
    // `hard` is sorted: with the markers after it, sorted again (stably), it is what the
    // prose skips.
    if !wholes.is_empty() {
        hard.extend(wholes);
        hard.sort_by_key(|r| r.start);
    }
    anchors.skip = hard;
    anchors.keys = keys(text, inline.dests, &anchors);
    anchors
}

/// Whether `bytes` has an ASCII digit.
fn has_digit(bytes: &[u8]) -> bool {
    byte_scan::any(bytes, |b| b.is_ascii_digit())
}

/// Where the first ASCII digit of `bytes` is.
fn first_digit(bytes: &[u8]) -> Option<usize> {
    byte_scan::position(bytes, |b| b.is_ascii_digit())
}

/// URLs and e-mail addresses written as text, outside the markup in `hard` (which they join).
fn written_out(
    slice: &str,
    base: usize,
    links: &[Range<usize>],
    hard: &mut Vec<Range<usize>>,
    anchors: &mut Anchors,
) {
    let outside = |r: &Range<usize>, list: &[Range<usize>]| {
        !list.iter().any(|s| s.start <= r.start && r.end <= s.end)
    };
    // A URL has a colon: most segments are passed over with one byte search.
    let bytes = slice.as_bytes();
    // URLs and e-mail addresses: one search for their two bytes first.
    let written = memchr::memchr2(b':', b'@', bytes).is_some();
    let found_urls =
        if written && memchr::memchr(b':', bytes).is_some() && HTTP.find(bytes).is_some() {
            urls(slice, base)
        } else {
            Vec::new()
        };
    for url in found_urls {
        if outside(&url, hard) {
            if outside(&url, links) {
                anchors.urls.push(url.clone());
            }
            hard.push(url);
        }
    }
    let found_emails = if written && memchr::memchr(b'@', bytes).is_some() {
        emails(slice, base)
    } else {
        Vec::new()
    };
    for email in found_emails {
        if outside(&email, hard) {
            anchors.emails.push(email.clone());
            hard.push(email);
        }
    }
}

/// The markers [`markers_in`] finds, each list in the order of [`MARKERS`].
const MARKERS: [&str; 2] = ["[!DNL", "[!UICONTROL"];

/// Every `[!DNL ...]` and every `[!UICONTROL ...]` of a segment (ASCII case-insensitive),
/// brackets matched so that `[!UICONTROL Copy [!DNL Workfront] link]` nests: for each, the
/// whole span and the content's span. One pass: each `[` is looked behind.
fn markers_in(slice: &str) -> [Vec<(Range<usize>, Range<usize>)>; 2] {
    let mut found = [Vec::new(), Vec::new()];
    let bytes = slice.as_bytes();
    for start in memchr::memchr_iter(b'[', bytes) {
        if bytes.get(start + 1) != Some(&b'!') {
            continue;
        }
        for (list, opener) in found.iter_mut().zip(MARKERS) {
            let content = start + opener.len();
            let matches = bytes
                .get(start..content)
                .is_some_and(|b| b.eq_ignore_ascii_case(opener.as_bytes()));
            if !matches || bytes.get(content).is_some_and(u8::is_ascii_alphanumeric) {
                continue;
            }
            if let Some(close) = crate::model::outline::closing_bracket(&slice[content..]) {
                list.push((start..content + close + 1, content..content + close));
            }
        }
    }
    found
}

/// Every anchor's hash, sorted: numbers, code, placeholders, DNL texts, link targets.
fn keys(text: &str, dests: &[Range<usize>], anchors: &Anchors) -> Vec<u64> {
    let at = |r: &Range<usize>| text.get(r.clone()).unwrap_or_default();
    let lists = [
        &anchors.code,
        &anchors.placeholders,
        &anchors.dnl,
        dests,
        &anchors.emails,
    ];
    let mut keys: Vec<u64> =
        Vec::with_capacity(anchors.numbers.len() + lists.iter().map(|l| l.len()).sum::<usize>());
    keys.extend(anchors.numbers.iter().map(|n| n.value));
    for list in lists {
        keys.extend(list.iter().map(|r| key(at(r))));
    }
    keys.sort_unstable();
    keys
}

/// Whether `r` starts inside one of the sorted, possibly overlapping `ranges` (from `*cursor`).
struct Skipper<'a> {
    ranges: &'a [Range<usize>],
    cursor: usize,
}

impl Skipper<'_> {
    /// The end of the range that covers `offset`, if one does.
    fn covering(&mut self, offset: usize) -> Option<usize> {
        while self.cursor < self.ranges.len() && self.ranges[self.cursor].end <= offset {
            self.cursor += 1;
        }
        self.ranges[self.cursor..]
            .iter()
            .take_while(|r| r.start <= offset)
            .filter(|r| r.end > offset)
            .map(|r| r.end)
            .max()
    }
}

/// The numbers of `text[range]` outside `skip` (sorted file ranges).
///
/// Driven by the digits: from one ASCII digit to the next (found 32 bytes at a time), with
/// only the few characters around each number decoded. Most of a segment is words.
pub fn numbers(text: &str, range: Range<usize>, skip: &[Range<usize>]) -> Vec<Number> {
    let Some(slice) = text.get(range.clone()) else {
        return Vec::new();
    };
    let bytes = slice.as_bytes();
    let base = range.start;
    let mut found = Vec::new();
    let mut skipper = Skipper {
        ranges: skip,
        cursor: 0,
    };
    let mut digits: Vec<u8> = Vec::new();
    let mut i = 0;
    while let Some(d) = bytes.get(i..).and_then(first_digit) {
        let start = i + d;
        if let Some(end) = skipper.covering(base + start) {
            i = end.saturating_sub(base).max(start + 1);
            continue;
        }
        let end = token_end(bytes, start);
        // What follows the digits: `10h30` (a time), `mp4`-like identifiers, units.
        let rest = &slice[end..];
        let run = rest
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(rest.len());
        let run = &rest[..run];
        let mut after = run.chars();
        let time = matches!(after.next(), Some('h' | 'H'))
            && !after.as_str().is_empty()
            && after.as_str().bytes().all(|b| b.is_ascii_digit());
        let after_letters = !time
            && run.chars().next().is_some_and(char::is_alphabetic)
            && has_digit(run.as_bytes());
        // `{… 0}` and `0&rbrace;`: a placeholder machine translation broke, not a number.
        let broken = rest.starts_with('}') || rest.starts_with("&rbrace;");
        if !is_glued(&slice[..start]) && !after_letters && !broken {
            digits.clear();
            digits.extend(bytes[start..end].iter().filter(|b| b.is_ascii_digit()));
            canonical(&mut digits, rest);
            let mut h = hasher();
            h.write(&digits);
            found.push(Number {
                value: h.finish(),
                small: digits.len() <= 1,
                range: base + start..base + end,
            });
        }
        // Skip the rest of an identifier the digits were part of.
        i = if time { end } else { end + run.len() };
    }
    found
}

/// Whether the digits after `before` belong to a name: glued to a letter before them (`H1`,
/// `Q3`, `x-2`), or a character reference (`&#39;`). `10h30`'s `30` and `v1.6` are numbers.
fn is_glued(before: &str) -> bool {
    let mut back = before.chars().rev();
    let Some(b) = back.next() else {
        return false;
    };
    let before_b = back.next();
    let time = matches!(b, 'h' | 'H') && before_b.is_some_and(|c| c.is_ascii_digit());
    let version = matches!(b, 'v' | 'V') && !before_b.is_some_and(char::is_alphanumeric);
    let glued = b.is_alphanumeric()
        || b == '_'
        || b == '-' && before_b.is_some_and(char::is_alphabetic)
        || b == '#' && before_b == Some('&');
    glued && !time && !version
}

/// Where the number that starts at byte `i` (a digit) ends: digits, and separators (`.`, `,`,
/// `'`; a space before a group of three digits) between them. `21,2026` is a day and a year.
fn token_end(bytes: &[u8], i: usize) -> usize {
    let digit_at = |k: usize| bytes.get(k).is_some_and(u8::is_ascii_digit);
    let mut end = i;
    while end < bytes.len() {
        if bytes[end].is_ascii_digit() {
            end += 1;
            continue;
        }
        // The separator, and `next` the byte after it: the digits after it are a byte each.
        let (grouping, width) = match bytes[end..] {
            [b'.' | b',' | b'\'', ..] => (true, 1),
            [b' ', ..] => (false, 1),
            [0xC2, 0xA0, ..] => (false, 2),
            [0xE2, 0x80, 0xAF, ..] | [0xE2, 0x80, 0x89, ..] => (false, 3),
            _ => break,
        };
        let next = end + width;
        let grouped = grouping && digit_at(next) && {
            let year = (0..4).all(|k| digit_at(next + k))
                && !digit_at(next + 4)
                && matches!(&bytes[next..next + 2], b"19" | b"20");
            !(bytes[end] == b',' && year)
        };
        let spaced = !grouping && (0..3).all(|k| digit_at(next + k)) && !digit_at(next + 3);
        if grouped || spaced {
            end = next;
        } else {
            break;
        }
    }
    end
}

/// Leading zeros dropped (`02` is `2`), `50K` is `50000`, `11:59 PM` is `23:59`.
fn canonical(digits: &mut Vec<u8>, rest: &str) {
    let zeros = digits.iter().take_while(|&&d| d == b'0').count();
    digits.drain(..zeros.min(digits.len().saturating_sub(1)));
    let mut after = rest.chars();
    let suffix = after.next();
    if matches!(suffix, Some('K' | 'k')) && !after.next().is_some_and(char::is_alphanumeric) {
        digits.extend_from_slice(b"000");
        return;
    }
    let is_pm = |r: &str| {
        let r = r.trim_start().as_bytes();
        let starts = |p: &[u8]| r.get(..p.len()).is_some_and(|b| b.eq_ignore_ascii_case(p));
        starts(b"pm") || starts(b"p.m.")
    };
    let pm = is_pm(rest) || rest.starts_with(':') && rest.get(3..).is_some_and(is_pm);
    if pm && digits.len() <= 2 {
        // One or two digits: the hour, 0 to 99.
        let hour = digits
            .iter()
            .fold(0u32, |h, d| h * 10 + u32::from(d - b'0'));
        if hour < 12 {
            let pm = hour + 12;
            digits.clear();
            digits.extend_from_slice(&[b'0' + (pm / 10) as u8, b'0' + (pm % 10) as u8]);
        }
    }
}

/// Counts and fingerprints the words of `text[range]` outside `skip` (sorted by start).
pub fn prose(text: &str, range: Range<usize>, skip: &[Range<usize>]) -> Prose {
    let mut counts = Prose::default();
    let mut words = Words::new(hasher());
    read_prose(text, range, skip, &mut words, &mut counts, |_| false);
    words.end_word();
    words.flush();
    counts.hash = words.hasher.finish();
    counts
}

/// The letters of the prose of `text[range]` outside `skip`, as [`prose`] counts them (a `_`
/// inside a word is one), without lowercasing and hashing the words.
pub fn letters(text: &str, range: Range<usize>, skip: &[Range<usize>]) -> u32 {
    let Some(slice) = text.get(range.clone()) else {
        return 0;
    };
    let bytes = slice.as_bytes();
    let base = range.start;
    let mut letters = 0;
    let mut in_word = false;
    let (mut i, mut k) = (0, 0);
    while i < bytes.len() {
        let at = base + i;
        while k < skip.len() && skip[k].end <= at {
            k += 1;
        }
        if k < skip.len() && skip[k].start <= at {
            in_word = false;
            i = skip[k].end - base;
            continue;
        }
        let stop = skip
            .get(k)
            .map_or(bytes.len(), |s| (s.start - base).min(bytes.len()));
        // Without a `_` (which counts only inside a word) a run's letters are its alphabetic
        // characters, whatever comes between them: counted without following the words.
        // (A run that does not end on a character's boundary is read character by character.)
        if let Some(run) = slice
            .get(i..stop)
            .filter(|run| memchr::memchr(b'_', run.as_bytes()).is_none())
        {
            letters += if run.is_ascii() {
                run.bytes().filter(u8::is_ascii_alphabetic).count() as u32
            } else {
                run.chars().filter(|&c| is_letter(c)).count() as u32
            };
            in_word = ends_in_word(run, in_word);
            i = stop;
            continue;
        }
        while i < stop {
            let b = bytes[i];
            if b.is_ascii() {
                // As `Words::ascii`: a letter starts or goes on with a word, `_` goes on with
                // one, `'` and `-` leave it open, anything else ends it.
                if b.is_ascii_alphabetic() || in_word && b == b'_' {
                    letters += 1;
                    in_word = true;
                } else if b != b'\'' && b != b'-' {
                    in_word = false;
                }
                i += 1;
            } else {
                let c = slice[i..].chars().next().unwrap_or(' ');
                i += c.len_utf8();
                if is_letter(c) {
                    letters += 1;
                    in_word = true;
                } else if c != '’' {
                    in_word = false;
                }
            }
        }
    }
    letters
}

/// Whether [`prose`] counts `c` as a letter: ASCII and Latin-1 letters without Unicode's
/// tables, any other alphabetic character with them.
#[inline]
fn is_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || !c.is_ascii() && (latin1_letter(c).is_some() || c.is_alphabetic())
}

/// Whether a word is open after `run` (without a `_`), as [`Words`] follows them: the last
/// character other than `'`, `’` and `-` decides; with none, it is as it was `before`.
fn ends_in_word(run: &str, before: bool) -> bool {
    for c in run.chars().rev() {
        match c {
            '\'' | '’' | '-' => continue,
            c => return is_letter(c),
        }
    }
    before
}

/// The first bytes of the prose of `text[range]`: two segments whose prefixes differ do not
/// have the same [`prose`].
pub fn prose_prefix(text: &str, range: Range<usize>, skip: &[Range<usize>]) -> Prefix {
    let mut words = Words::new(Prefix {
        bytes: [0; PREFIX],
        len: 0,
    });
    let enough = |w: &Words<Prefix>| w.hasher.len + w.len >= PREFIX;
    if !read_prose(text, range, skip, &mut words, &mut Prose::default(), enough) {
        words.end_word();
    }
    words.flush();
    words.hasher
}

/// Four letters of a segment's prose, lowercased: what [`first_letters`] and [`last_letters`] find.
pub type Letters = [char; 4];

/// What a character is to [`prose`]'s hash: a letter hashed as one lowercase character (ASCII
/// and Latin-1), `None` for another letter (its lowercase may be several characters), or
/// nothing at all (`Some(None)`: spaces, digits, punctuation; a `_` or `'` inside a word
/// changes none of its letters).
#[inline]
fn hashed_letter(c: char) -> Option<Option<char>> {
    if c.is_ascii() {
        return Some(c.is_ascii_alphabetic().then(|| c.to_ascii_lowercase()));
    }
    match latin1_letter(c) {
        Some((_, lower)) => Some(Some(lower)),
        None if c.is_alphabetic() => None,
        None => Some(None),
    }
}

/// The first four letters of the prose of `text[range]` outside `skip`, lowercased, when they
/// are ASCII or Latin-1 and no letter of another script comes before them; `None` otherwise.
///
/// [`prose`] hashes every letter it meets, in order, lowercased: two segments with the same
/// prose have the same first four letters. Reading them costs a fraction of
/// [`prose_prefix`], and tells most segments apart.
pub fn first_letters(text: &str, range: Range<usize>, skip: &[Range<usize>]) -> Option<Letters> {
    let slice = text.get(range.clone())?;
    let base = range.start;
    let mut letters = ['\0'; 4];
    let mut found = 0;
    let (mut i, mut k) = (0, 0);
    while i < slice.len() {
        while k < skip.len() && skip[k].end <= base + i {
            k += 1;
        }
        if k < skip.len() && skip[k].start <= base + i {
            i = skip[k].end - base;
            continue;
        }
        let c = slice.get(i..)?.chars().next()?;
        i += c.len_utf8();
        if let Some(letter) = hashed_letter(c)? {
            letters[found] = letter;
            found += 1;
            if found == letters.len() {
                return Some(letters);
            }
        }
    }
    None
}

/// The last four letters of the prose of `text[range]`, as [`first_letters`] finds the first,
/// when they come after every skipped range. A segment's end is seldom a UI label left as it
/// was, as its start often is.
pub fn last_letters(text: &str, range: Range<usize>, skip: &[Range<usize>]) -> Option<Letters> {
    let slice = text.get(range.clone())?;
    // Past the end of every skipped range nothing is skipped.
    let free = skip
        .iter()
        .map(|s| s.end.saturating_sub(range.start))
        .max()
        .unwrap_or(0);
    let mut letters = ['\0'; 4];
    let mut found = 0;
    for c in slice.get(free.min(slice.len())..)?.chars().rev() {
        if let Some(letter) = hashed_letter(c)? {
            found += 1;
            letters[letters.len() - found] = letter;
            if found == letters.len() {
                return Some(letters);
            }
        }
    }
    None
}

/// A [`Hasher`] that keeps the first bytes written to it.
impl Hasher for Prefix {
    fn write(&mut self, bytes: &[u8]) {
        let n = (PREFIX - self.len).min(bytes.len());
        self.bytes[self.len..self.len + n].copy_from_slice(&bytes[..n]);
        self.len += n;
    }

    fn finish(&self) -> u64 {
        0
    }
}

/// Reads the words of `text[range]` outside `skip` into `words` and `counts`, until `enough`;
/// whether it stopped there.
#[inline(always)]
fn read_prose<H: Hasher>(
    text: &str,
    range: Range<usize>,
    skip: &[Range<usize>],
    words: &mut Words<H>,
    counts: &mut Prose,
    enough: impl Fn(&Words<H>) -> bool,
) -> bool {
    let Some(slice) = text.get(range.clone()) else {
        return false;
    };
    let bytes = slice.as_bytes();
    let base = range.start;
    let mut k = 0;
    let mut i = 0;
    while i < bytes.len() {
        let at = base + i;
        while k < skip.len() && skip[k].end <= at {
            k += 1;
        }
        if k < skip.len() && skip[k].start <= at {
            words.end_word();
            i = skip[k].end - base;
            continue;
        }
        // Up to the next skipped range nothing is skipped: read the characters straight on,
        // ASCII byte by byte.
        let stop = skip
            .get(k)
            .map_or(bytes.len(), |s| (s.start - base).min(bytes.len()));
        while i < stop {
            if enough(words) {
                return true;
            }
            let b = bytes[i];
            if b.is_ascii_alphabetic() {
                // A run of ASCII letters is taken whole.
                let run = bytes[i..stop]
                    .iter()
                    .position(|&b| !(b.is_ascii_alphabetic() || b == b'_'))
                    .unwrap_or(stop - i);
                words.ascii_run(&bytes[i..i + run], counts);
                i += run;
            } else if b.is_ascii() {
                words.ascii(b, counts);
                i += 1;
            } else {
                let c = slice[i..].chars().next().unwrap_or(' ');
                i += c.len_utf8();
                words.push(c, counts);
            }
        }
    }
    false
}

/// The prose words of a segment as they are hashed: lowercased, each ended by a 0 byte,
/// buffered so that the hasher takes a few long writes.
struct Words<H: Hasher> {
    hasher: H,
    buffer: [u8; 128],
    len: usize,
    in_word: bool,
    /// Only a word with a lowercase letter counts: `AN-211870`, `CSV` are names.
    lower_seen: bool,
}

impl<H: Hasher> Words<H> {
    fn new(hasher: H) -> Words<H> {
        Words {
            hasher,
            buffer: [0; 128],
            len: 0,
            in_word: false,
            lower_seen: false,
        }
    }

    /// [`Words::push`] of each of `run`: ASCII letters (the first one a letter) and `_`.
    #[inline(always)]
    fn ascii_run(&mut self, run: &[u8], counts: &mut Prose) {
        if !self.in_word {
            self.in_word = true;
            self.lower_seen = false;
            if run.first().is_some_and(u8::is_ascii_lowercase) {
                counts.plain_words += 1;
            }
        }
        if !self.lower_seen && run.iter().any(u8::is_ascii_lowercase) {
            self.lower_seen = true;
            counts.words += 1;
        }
        counts.letters += run.len() as u32;
        // Into the buffer lowercased, flushed whenever it is full, as `byte` does.
        let mut rest = run;
        while !rest.is_empty() {
            if self.len == self.buffer.len() {
                self.flush();
            }
            let n = (self.buffer.len() - self.len).min(rest.len());
            for (to, from) in self.buffer[self.len..self.len + n].iter_mut().zip(rest) {
                *to = from.to_ascii_lowercase();
            }
            self.len += n;
            rest = &rest[n..];
        }
    }

    /// [`Words::push`] of an ASCII character.
    #[inline(always)]
    fn ascii(&mut self, b: u8, counts: &mut Prose) {
        if b.is_ascii_alphabetic() {
            let lower = b.is_ascii_lowercase();
            if !self.in_word {
                self.in_word = true;
                self.lower_seen = false;
                if lower {
                    counts.plain_words += 1;
                }
            }
            if lower && !self.lower_seen {
                self.lower_seen = true;
                counts.words += 1;
            }
            counts.letters += 1;
            self.byte(b.to_ascii_lowercase());
        } else if self.in_word && b == b'_' {
            counts.letters += 1;
            self.byte(b);
        } else if self.in_word && b != b'\'' && b != b'-' {
            self.end_word();
        }
    }

    fn push(&mut self, c: char, counts: &mut Prose) {
        let (alphabetic, lowercase) = match latin1_letter(c) {
            Some((lowercase, _)) => (true, lowercase),
            None => (c.is_alphabetic(), c.is_lowercase()),
        };
        if alphabetic || self.in_word && c == '_' {
            if !self.in_word {
                self.in_word = true;
                self.lower_seen = false;
                if lowercase {
                    counts.plain_words += 1;
                }
            }
            if lowercase && !self.lower_seen {
                self.lower_seen = true;
                counts.words += 1;
            }
            counts.letters += 1;
            let mut utf8 = [0; 4];
            if c.is_ascii() {
                self.byte(c.to_ascii_lowercase() as u8);
            } else if let Some((_, lower)) = latin1_letter(c) {
                for &b in lower.encode_utf8(&mut utf8).as_bytes() {
                    self.byte(b);
                }
            } else {
                for lower in c.to_lowercase() {
                    for &b in lower.encode_utf8(&mut utf8).as_bytes() {
                        self.byte(b);
                    }
                }
            }
        } else if self.in_word && c != '\'' && c != '’' && c != '-' {
            self.end_word();
        }
    }

    fn end_word(&mut self) {
        if self.in_word {
            self.byte(0);
            self.in_word = false;
        }
    }

    #[inline(always)]
    fn byte(&mut self, b: u8) {
        if self.len == self.buffer.len() {
            self.flush();
        }
        self.buffer[self.len] = b;
        self.len += 1;
    }

    fn flush(&mut self) {
        self.hasher.write(&self.buffer[..self.len]);
        self.len = 0;
    }
}

/// The letters of Latin-1 (`À` to `ÿ`, `×` and `÷` aside), the accented letters of fr, it and
/// nl, without Unicode's tables: whether one is lowercase, and its lowercase.
#[inline]
fn latin1_letter(c: char) -> Option<(bool, char)> {
    match c {
        '\u{C0}'..='\u{DE}' if c != '\u{D7}' => {
            Some((false, char::from_u32(c as u32 + 0x20).unwrap_or(c)))
        }
        '\u{DF}'..='\u{FF}' if c != '\u{F7}' => Some((true, c)),
        _ => None,
    }
}

/// HTML tags `<a ...>`, `</td>`, `<br/>` (file ranges): markup, not prose.
fn tags(slice: &str, base: usize) -> Vec<Range<usize>> {
    let bytes = slice.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(j) = memchr::memchr(b'<', &bytes[i..]) {
        let start = i + j;
        let next = bytes.get(start + 1).copied().unwrap_or(b' ');
        if next.is_ascii_alphabetic() || next == b'/' || next == b'!' {
            if let Some(len) = memchr::memchr(b'>', &bytes[start..]) {
                found.push(base + start..base + start + len + 1);
                i = start + len + 1;
                continue;
            }
        }
        i = start + 1;
    }
    found
}

/// Character references `&#39;`, `&#x200B;`, `&quot;` (file ranges): markup, not numbers.
fn entities(slice: &str, base: usize) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    for start in memchr::memchr_iter(b'&', slice.as_bytes()) {
        let rest = &slice[start + 1..];
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .unwrap_or(rest.len());
        if len > 0 && len <= 10 && rest[len..].starts_with(';') {
            found.push(base + start..base + start + len + 2);
        }
    }
    found
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Brace {
    /// `{{snippet}}`, `{0}`.
    Placeholder,
    /// `{#id}`, `{style="..."}`, `{width=400}`: attributes, markup.
    Attributes,
}

/// `{...}` on one line: placeholders and attribute lists (file ranges).
fn braces(slice: &str, base: usize) -> Vec<(Range<usize>, Brace)> {
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(j) = memchr::memchr(b'{', &slice.as_bytes()[i..]) {
        let start = i + j;
        let double = slice[start..].starts_with("{{");
        let close = if double { "}}" } else { "}" };
        let Some(len) = slice[start..].find(close) else {
            break;
        };
        let inner = &slice[start + if double { 2 } else { 1 }..start + len];
        let end = start + len + close.len();
        i = start + 1;
        if inner.contains('\n') {
            continue;
        }
        let kind = if double || (!inner.is_empty() && inner.bytes().all(|b| b.is_ascii_digit())) {
            Brace::Placeholder
        } else if inner.starts_with(['#', '.']) || inner.contains('=') {
            Brace::Attributes
        } else {
            continue;
        };
        found.push((base + start..base + end, kind));
        i = end;
    }
    found
}

/// URLs written out: `https://...`, `http://...` (file ranges), trailing punctuation left out.
fn urls(slice: &str, base: usize) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(j) = HTTP.find(&slice.as_bytes()[i..]) {
        let start = i + j;
        let rest = &slice[start..];
        if !(rest.starts_with("https://") || rest.starts_with("http://")) {
            i = start + 4;
            continue;
        }
        let len = url_len(rest);
        let url = rest[..len].trim_end_matches(['.', ',', ';', ':', '!', '?']);
        found.push(base + start..base + start + url.len());
        i = start + len.max(1);
    }
    found
}

/// Where the URL at the start of `rest` ends: at the first whitespace, `)`, `]`, `>`, `<`,
/// `"` or `'`. The bytes are looked at 32 at a time; only a non-ASCII one is decoded (a URL
/// rarely has one).
fn url_len(rest: &str) -> usize {
    let stop = |b: u8| {
        matches!(
            b,
            b'\t'..=b'\r' | b' ' | b')' | b']' | b'>' | b'<' | b'"' | b'\''
        ) || b >= 0x80
    };
    let bytes = rest.as_bytes();
    let mut i = 0;
    while let Some(j) = byte_scan::position(&bytes[i..], stop) {
        let at = i + j;
        // Only ASCII bytes were passed over: a non-ASCII one starts a character.
        match rest[at..].chars().next() {
            Some(c) if !c.is_ascii() && !c.is_whitespace() => i = at + c.len_utf8(),
            _ => return at,
        }
    }
    bytes.len()
}

/// E-mail addresses (file ranges).
fn emails(slice: &str, base: usize) -> Vec<Range<usize>> {
    let local = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-');
    let domain = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-');
    let bytes = slice.as_bytes();
    let mut found = Vec::new();
    for (at, _) in slice.match_indices('@') {
        let start = bytes[..at]
            .iter()
            .rposition(|&b| !local(b))
            .map_or(0, |p| p + 1);
        let end = bytes[at + 1..]
            .iter()
            .position(|&b| !domain(b))
            .map_or(bytes.len(), |p| at + 1 + p);
        let host = slice[at + 1..end].trim_end_matches(['.', '-']);
        if start < at && host.contains('.') && !host.starts_with('.') {
            found.push(base + start..base + at + 1 + host.len());
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_found_nested_in_either_case_and_only_when_closed() {
        let text = "[!UICONTROL Copy [!DNL Workfront] link], [!dnl x], [!DNLy z], [![!DNL a] [!UICONTROL open";
        let shown = |found: &Vec<(Range<usize>, Range<usize>)>| -> Vec<(&str, &str)> {
            found
                .iter()
                .map(|(whole, inner)| (&text[whole.clone()], &text[inner.clone()]))
                .collect()
        };
        let [dnl, labels] = markers_in(text);
        assert_eq!(
            shown(&dnl),
            [
                ("[!DNL Workfront]", " Workfront"),
                ("[!dnl x]", " x"),
                ("[!DNL a]", " a")
            ]
        );
        assert_eq!(
            shown(&labels),
            [(
                "[!UICONTROL Copy [!DNL Workfront] link]",
                " Copy [!DNL Workfront] link"
            )]
        );
    }

    #[test]
    fn a_written_out_url_ends_where_a_character_by_character_search_ends_it() {
        let by_chars = |rest: &str| {
            rest.find(|c: char| {
                c.is_whitespace() || matches!(c, ')' | ']' | '>' | '<' | '"' | '\'')
            })
            .unwrap_or(rest.len())
        };
        for rest in [
            "https://x.example/a",
            "https://x.example/a b",
            "https://x.example/a)b",
            "https://x.example/a]",
            "https://x.example/<b>",
            "https://x.example/'q'",
            "https://x.example/\"q\"",
            "https://x.example/a\tb",
            "https://x.example/a\u{B}b",
            "https://x.example/caf\u{E9}/men\u{FC}",
            "https://x.example/a\u{A0}b",
            "https://x.example/a\u{3000}b",
            "https://x.example/a\u{2029}b",
            "https://x.example/\u{8A9E}\u{200B}\u{85}",
            "https://x.example/a\u{1F600}\u{202F}",
            "https://x.example/a_very_long_path_well_past_one_block_of_thirty_two_bytes/and/more)",
            "",
        ] {
            assert_eq!(url_len(rest), by_chars(rest), "{rest:?}");
        }
    }

    #[test]
    fn a_key_is_the_same_for_one_word_as_for_its_words() {
        for text in [
            "`endpoint`",
            "https://x.example/a?b=c#d",
            "",
            "&#x200B;",
            "a&#x200B;",
            "two words",
            " padded ",
            "tab\there",
            "vertical\u{B}tab",
            "zero\u{200B}width",
            "nbsp\u{A0}here",
            "Adobe Analytics",
        ] {
            assert_eq!(key(text), key_by_words(text), "{text:?}");
        }
        assert_eq!(key("`a b`"), key("`a  b`"));
        assert_ne!(key("ab"), key("a b"));
    }

    /// `letters` counts what `prose` counts, on every segment of the fixtures (and of the
    /// folders in `TOLK_PROSE_CORPUS`, `:`-separated, for a run over a whole corpus) and on
    /// words that end, go on or are cut by skipped ranges in every way.
    #[test]
    fn letters_are_the_letters_of_the_prose() {
        let check = |text: &str, range: Range<usize>, skip: &[Range<usize>]| {
            assert_eq!(
                letters(text, range.clone(), skip),
                prose(text, range.clone(), skip).letters,
                "{:?} without {skip:?}",
                text.get(range)
            );
        };
        let texts = [
            "snake_case _lead trail_ l'été don’t co-op a-_b x' _'_ 12_ab",
            "Œuvre naïve ÀÉÎ × ÷ 語_x ß_ α-β “quoted” — dash\u{301}e_",
            "a_`code`_b [link](https://x.example) e_<b>_f",
        ];
        let segments = on_texts_and_corpus(&texts, &check);
        eprintln!("{segments} segments");
        assert!(segments > 1000, "{segments}");
    }

    /// What a prose test checks: a text, the range read, the ranges skipped.
    type ProseCheck<'a> = &'a dyn Fn(&str, Range<usize>, &[Range<usize>]);

    /// Calls `check` on each of `texts` whole, without a skipped range and with each one of up
    /// to 5 bytes (cutting words anywhere), then on every segment of the corpora; how many
    /// segments there were.
    fn on_texts_and_corpus(texts: &[&str], check: ProseCheck<'_>) -> usize {
        for text in texts {
            check(text, 0..text.len(), &[]);
            for start in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
                let ends = start..=(start + 5).min(text.len());
                for end in ends.filter(|&i| text.is_char_boundary(i)) {
                    check(text, 0..text.len(), &[Range { start, end }]);
                }
            }
        }
        each_corpus_segment(|text, segment| {
            check(text, segment.range.clone(), &segment.anchors.skip)
        })
    }

    /// Calls `f` on every segment of the fixtures, the default site, and the folders in
    /// `TOLK_PROSE_CORPUS` (`:`-separated: the corpora, for a run by hand); how many there were.
    fn each_corpus_segment(mut f: impl FnMut(&str, &crate::align::Segment)) -> usize {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut folders = vec![root.join("tests/fixtures"), root.join("content")];
        if let Ok(more) = std::env::var("TOLK_PROSE_CORPUS") {
            folders.extend(more.split(':').map(std::path::PathBuf::from));
        }
        let mut segments = 0;
        for folder in folders {
            for entry in walkdir::WalkDir::new(folder).into_iter().flatten() {
                if entry.path().extension().is_some_and(|e| e == "md") {
                    let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
                    let body = crate::model::front_matter::split("a.md", &text)
                        .map_or(0, |s| s.body_offset);
                    for segment in crate::align::segment::segments(&text, body) {
                        f(&text, &segment);
                        segments += 1;
                    }
                }
            }
        }
        segments
    }

    #[test]
    fn the_four_letters_at_either_end_are_those_the_prose_hashes() {
        let check = |text: &str, range: Range<usize>, skip: &[Range<usize>]| {
            let mut words = Words::new(Recorded(Vec::new()));
            read_prose(
                text,
                range.clone(),
                skip,
                &mut words,
                &mut Prose::default(),
                |_| false,
            );
            words.end_word();
            words.flush();
            let hashed = String::from_utf8(words.hasher.0).expect("the words are UTF-8");
            let letters: Vec<char> = hashed.chars().filter(|&c| c != '\0' && c != '_').collect();
            let four = |l: &[char]| <[char; 4]>::try_from(l).ok();
            let first = letters.get(..4).and_then(four);
            let last = letters
                .get(letters.len().saturating_sub(4)..)
                .and_then(four);
            let what = format!("{:?} without {skip:?}", text.get(range.clone()));
            if let Some(start) = first_letters(text, range.clone(), skip) {
                assert_eq!(Some(start), first, "start of {what}");
            }
            if let Some(end) = last_letters(text, range.clone(), skip) {
                assert_eq!(Some(end), last, "end of {what}");
            }
        };
        let texts = [
            "Klik op **Opslaan** om de wijziging op te slaan.",
            "L\u{2019}élève a cliqué sur « Enregistrer » — voilà_fait.",
            "ÀÉÎ naïve Œuvre straße",
            "`code` [link](https://x.example) then words e_<b>_f",
            "Ελληνικά words then latin",
            "ab",
            "",
        ];
        let segments = on_texts_and_corpus(&texts, &check);
        assert!(segments > 1000, "{segments}");
    }

    #[test]
    fn a_digit_is_found_in_any_block_and_in_the_rest() {
        let text = |len: usize, digit_at: Option<usize>| -> Vec<u8> {
            (0..len)
                .map(|i| {
                    if Some(i) == digit_at {
                        b'7'
                    } else {
                        b'a' + (i % 26) as u8
                    }
                })
                .collect()
        };
        for len in [0, 1, 31, 32, 33, 64, 100] {
            let none = text(len, None);
            assert!(!has_digit(&none), "none in {len} bytes");
            assert_eq!(first_digit(&none), None);
            for at in [0, 31, 32, 63, 64, len.saturating_sub(1)] {
                if at < len {
                    let one = text(len, Some(at));
                    assert!(has_digit(&one), "at {at} of {len} bytes");
                    assert_eq!(first_digit(&one), Some(at), "first of {len} bytes");
                }
            }
        }
        let two = b"a1 bcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz2 c";
        assert_eq!(first_digit(two), Some(1));
        // Digits of other scripts and the bytes around `0`..`9` are not ASCII digits.
        assert!(!has_digit("٣ ৩ /:".as_bytes()));
    }

    fn digits(text: &str) -> Vec<(&str, u64)> {
        numbers(text, 0..text.len(), &[])
            .into_iter()
            .map(|n| (&text[n.range.clone()], n.value))
            .collect()
    }

    fn value(canonical: &str) -> u64 {
        let mut h = hasher();
        h.write(canonical.as_bytes());
        h.finish()
    }

    #[test]
    fn numbers_read_every_locale_format() {
        let cases: [(&str, &[(&str, &str)]); 21] = [
            ("en 1,000.5 users", &[("1,000.5", "10005")]),
            ("nl 1.000,5 gebruikers", &[("1.000,5", "10005")]),
            ("it 1.000,5 utenti", &[("1.000,5", "10005")]),
            ("fr 1 000,5 utilisateurs", &[("1 000,5", "10005")]),
            ("fr 1\u{A0}000,5", &[("1\u{A0}000,5", "10005")]),
            ("fr 1\u{202F}000,5", &[("1\u{202F}000,5", "10005")]),
            ("ch 1'000", &[("1'000", "1000")]),
            ("the 1st and 2nd", &[("1", "1"), ("2", "2")]),
            ("le 1er et le 2e", &[("1", "1"), ("2", "2")]),
            ("il 1° passo", &[("1", "1")]),
            ("version 2.3.1.", &[("2.3.1", "231")]),
            (
                "at 10:30, à 10h30",
                &[("10", "10"), ("30", "30"), ("10", "10"), ("30", "30")],
            ),
            (
                "on 02/04/2026",
                &[("02", "2"), ("04", "4"), ("2026", "2026")],
            ),
            ("H1 mp4 Q3 av2 e3f2 x-2 &#39;", &[]),
            ("6 p.m. - 2 a.m.", &[("6", "18"), ("2", "2")]),
            ("14-20 dec", &[("14", "14"), ("20", "20")]),
            (
                "February 15-21,2026",
                &[("15", "15"), ("21", "21"), ("2026", "2026")],
            ),
            (": “V” 1:“", &[("1", "1")]),
            (
                "50K items, 11:59 PM, v1.6",
                &[("50", "50000"), ("11", "23"), ("59", "59"), ("1.6", "16")],
            ),
            ("page 2 of 12 000 items", &[("2", "2"), ("12 000", "12000")]),
            ("1 2026 and 0", &[("1", "1"), ("2026", "2026"), ("0", "0")]),
        ];
        for (text, expected) in cases {
            let expected: Vec<(&str, u64)> = expected.iter().map(|(s, c)| (*s, value(c))).collect();
            assert_eq!(digits(text), expected, "{text}");
        }
    }

    #[test]
    fn the_same_number_in_four_locales_has_one_value() {
        let values: Vec<Vec<u64>> = ["1,000.5", "1.000,5", "1 000,5", "1\u{202F}000,5"]
            .iter()
            .map(|t| digits(t).into_iter().map(|(_, v)| v).collect())
            .collect();
        assert!(values.windows(2).all(|w| w[0] == w[1]), "{values:?}");
        assert_ne!(digits("1,000.6")[0].1, values[0][0]);
    }

    #[test]
    fn anchors_of_a_paragraph() {
        let text = "Click [!UICONTROL Save 2] in [!DNL Workfront], run `cmd 3`, see https://x.example/a. or mail a.b@c.example {{snip}} {0} {#id} <b>5</b> [link 7](page-8.md)";
        let dest = text.find("page-8").unwrap_or(0);
        let link = text.find("[link").unwrap_or(0);
        let code = text.find('`').unwrap_or(0);
        let b = text.find("<b>").unwrap_or(0);
        let inline = Inline {
            code: vec![Range {
                start: code,
                end: code + 7,
            }],
            links: vec![Range {
                start: link,
                end: text.len(),
            }],
            dests: vec![Range {
                start: dest,
                end: dest + 9,
            }],
            html: vec![b..b + 3, b + 4..b + 8],
        };
        let a = read(text, 0..text.len(), &inline);
        let at = |r: &Range<usize>| &text[r.clone()];
        assert_eq!(a.labels.iter().map(at).collect::<Vec<_>>(), [" Save 2"]);
        assert_eq!(a.dnl.iter().map(at).collect::<Vec<_>>(), [" Workfront"]);
        assert_eq!(
            a.urls.iter().map(at).collect::<Vec<_>>(),
            ["https://x.example/a"]
        );
        assert_eq!(
            a.emails.iter().map(at).collect::<Vec<_>>(),
            ["a.b@c.example"]
        );
        assert_eq!(
            a.placeholders.iter().map(at).collect::<Vec<_>>(),
            ["{{snip}}", "{0}"]
        );
        let nums: Vec<&str> = a.numbers.iter().map(|n| at(&n.range)).collect();
        assert_eq!(nums, ["2", "5", "7"]);
        // Prose: Click in run see or mail link.
        assert_eq!(prose(text, 0..text.len(), &a.skip).words, 7);
    }

    #[test]
    fn prose_read_by_runs_is_prose_read_by_character() {
        let texts = [
            "Select the team's set-up and open_its settings: 3 Éléments, l’été, don't-stop."
                .to_owned(),
            format!("{} {}x", "a".repeat(127), "B".repeat(130)),
            format!("{} ", "word".repeat(32)),
            format!("{}'-_ _x AN-211870 CSV été", "z".repeat(128)),
            // Every Latin-1 character, each at a word's start, inside and at its end, in both
            // cases; runs that cross the 128-byte buffer; other scripts between.
            ('\u{A0}'..='\u{17F}')
                .map(|c| format!("{c}x x{c}x x{c} {c}{c} É{c}é _{c}"))
                .collect::<Vec<_>>()
                .join(" "),
            format!("{}É{}", "é".repeat(70), "Àb".repeat(70)),
            "ÉTÉ été Été ßtraße ÿÿ ×÷ ÷a a×b Ωμέγα Ключ naïve façade".to_owned(),
        ];
        for text in &texts {
            let fast = prose(text, 0..text.len(), &[]);
            let mut slow = Prose::default();
            let mut words = Words::new(hasher());
            let mut stream = Words::new(Recorded(Vec::new()));
            for c in text.chars() {
                words.push(c, &mut slow);
                stream.push(c, &mut Prose::default());
            }
            words.end_word();
            words.flush();
            slow.hash = words.hasher.finish();
            assert_eq!(fast, slow, "{text}");
            // The prefix is the start of the bytes hashed.
            stream.end_word();
            stream.flush();
            let prefix = prose_prefix(text, 0..text.len(), &[]);
            let n = stream.hasher.0.len().min(PREFIX);
            assert_eq!(prefix.bytes[..prefix.len], stream.hasher.0[..n], "{text}");
        }
    }

    /// Every byte written.
    struct Recorded(Vec<u8>);

    impl Hasher for Recorded {
        fn write(&mut self, bytes: &[u8]) {
            self.0.extend_from_slice(bytes);
        }

        fn finish(&self) -> u64 {
            0
        }
    }

    #[test]
    fn latin1_letters_are_classified_as_unicode_does() {
        for c in '\u{80}'..='\u{17F}' {
            let std_lower: Vec<char> = c.to_lowercase().collect();
            let expected = c.is_alphabetic().then(|| (c.is_lowercase(), std_lower[0]));
            match latin1_letter(c) {
                Some(found) => assert_eq!(Some(found), expected, "{c:?}"),
                None => assert!(!('\u{C0}'..='\u{FF}').contains(&c) || expected.is_none()),
            }
        }
        assert_eq!(latin1_letter('É'), Some((false, 'é')));
        assert_eq!(latin1_letter('×'), None);
    }

    #[test]
    fn prose_ignores_anchors_and_case() {
        let read_plain = |t: &str| {
            let a = read(t, 0..t.len(), &Inline::default());
            (
                prose(t, 0..t.len(), &a.skip),
                prose_prefix(t, 0..t.len(), &a.skip),
            )
        };
        let a = read_plain("Select [!UICONTROL Save] to keep the 3 changes.");
        let b = read_plain("select [!UICONTROL Enregistrer] to keep the 4 changes");
        let c = read_plain("Sélectionnez [!UICONTROL Save] pour garder les 3 changements.");
        assert_eq!(a.0.hash, b.0.hash);
        assert_eq!(a.1, b.1);
        assert_ne!(a.0.hash, c.0.hash);
        assert_ne!(a.1, c.1);
        assert_eq!(a.0.words, 5);
        // Past the prefix's bytes: the same prefix, not the same prose.
        let long = |end: &str| {
            let t = format!("{} {end}", "word ".repeat(PREFIX));
            (
                prose(&t, 0..t.len(), &[]),
                prose_prefix(&t, 0..t.len(), &[]),
            )
        };
        let (x, y) = (long("one"), long("two"));
        assert_eq!(x.1, y.1);
        assert_ne!(x.0.hash, y.0.hash);
    }
}
