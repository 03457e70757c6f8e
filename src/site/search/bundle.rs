//! The files of one locale's index, as `static/search.js` reads them:
//!
//! - `index.json`, the manifest: the format version, the language, the number of pages, the
//!   rules a query follows to match the index (shortest word and stem, elisions), the endings
//!   the indexed words had after their terms, and the first term of each term file. A query
//!   word matches a shorter term only when the rest of the word is such an ending (or at most
//!   two letters): `desactivation` matches `desactiv` because some word ended in `ation`
//!   after its term, while `danger` does not match `dan` (the term of `dans`).
//! - `terms-N.json`: `{"term":[page,impact,page,impact,…],…}` for a run of terms in sorted order
//!   (by UTF-16 code units, as JavaScript compares strings). Page numbers are delta coded: each
//!   is the difference from the one before. The impact, 1 to 100, is how much the term says
//!   about the page: BM25's term-frequency part, with words of the title counting
//!   [`TITLE_WEIGHT`] times. A file holds about [`TERM_FILE_BYTES`]; a query loads the one or
//!   two files whose range holds its words.
//! - `pages-N.json`: `[[url,title,summary],…]`, [`PAGES_PER_FILE`] pages a file in URL order;
//!   a page's number is its place in that order. URLs are relative to the site root.
//!
//! The same pages give the same bytes, whatever order they were added in.

use rayon::prelude::*;
use serde::Serialize;

use super::log::{Log, Logged, Then};
use super::text::{Analyzer, MAX_WORD, MIN_STEM, MIN_WORD};
use super::{DocInfo, Sink};
use crate::error::{Error, Result};

/// Bumped when the files change shape; `search.js` refuses other versions.
pub const VERSION: u32 = 1;
/// About how large a term file gets (one term's postings can make it larger).
pub const TERM_FILE_BYTES: usize = 16 * 1024;
/// Pages in each `pages-N.json`.
pub const PAGES_PER_FILE: usize = 50;
/// Terms whose entries are made together, in parallel: a few hundred KB of entries at a time.
const ENTRY_CHUNK: usize = 4096;
/// How many times a word of the title counts.
const TITLE_WEIGHT: u32 = 4;
/// BM25's parameters: how fast repeating a term stops adding, and how much a long page is
/// discounted.
const K1: f64 = 1.2;
const B: f64 = 0.75;

#[derive(Serialize)]
struct Manifest<'a> {
    version: u32,
    language: &'a str,
    pages: usize,
    pages_per_file: usize,
    min_word: usize,
    max_word: usize,
    min_stem: usize,
    elisions: &'a [&'a str],
    /// What indexed words had after their terms, sorted.
    suffixes: Vec<String>,
    /// The first term of each term file: `terms-0.json` starts at `term_files[0]`.
    term_files: Vec<String>,
}

/// Makes the files into `sink`, as (name in the locale's folder, bytes), from the terms that
/// some page has, each with its pages; `then` says whether the log is kept or let go.
pub fn files(
    analyzer: &Analyzer,
    docs: &[&DocInfo],
    terms: &[String],
    log: &mut Log,
    then: Then,
    mut suffixes: Vec<String>,
    sink: Sink<'_>,
) -> Result<()> {
    let order = url_order(docs);
    let average =
        (docs.iter().map(|d| f64::from(d.length)).sum::<f64>() / docs.len().max(1) as f64).max(1.0);
    // Each page's part of BM25 once, not once per posting (4 million at 10,000 pages), by its
    // number in URL order.
    let scores: Vec<PageScore> = (0u32..)
        .zip(&order)
        .map(|(number, &doc)| PageScore::new(number, norm(docs[doc as usize].length, average)))
        .collect();

    // Each term's postings as (page number, impact), the pages taken in URL order: every list
    // comes out sorted.
    let lists = log.grouped(
        terms.len(),
        &order,
        |number, entry| scores[number as usize].of(entry),
        then,
    );
    let mut terms: Vec<(&str, &[(u32, u32)])> = terms
        .iter()
        .enumerate()
        .map(|(id, term)| (term.as_str(), lists.of(id)))
        .filter(|(_, list)| !list.is_empty())
        .collect();
    let mut term_files = Vec::new();
    let mut current: Vec<u8> = Vec::new();
    terms.sort_unstable_by(|a, b| utf16_order(a.0, b.0));
    // The entries are made on every thread, a chunk of terms at a time (the last locale's index
    // is written with nothing else left to do), packed into files in term order, and each
    // chunk's full files written on every thread too.
    for chunk in terms.chunks(ENTRY_CHUNK) {
        let entries: Vec<(&str, Vec<u8>)> = chunk
            .par_iter()
            .map(|&(term, postings)| {
                // A page gap and an impact take up to 6 bytes with their commas, mostly fewer.
                let mut entry = Vec::with_capacity(term.len() + 4 + postings.len() * 6);
                term_entry(&mut entry, term, postings);
                (term, entry)
            })
            .collect();
        let mut full: Vec<(String, Vec<u8>)> = Vec::new();
        for (term, entry) in entries {
            if !current.is_empty() && current.len() + entry.len() > TERM_FILE_BYTES {
                current.push(b'}');
                let name = format!("terms-{}.json", term_files.len() - 1);
                full.push((name, std::mem::take(&mut current)));
            }
            if current.is_empty() {
                current.push(b'{');
                term_files.push(term.to_owned());
            } else {
                current.push(b',');
            }
            current.extend_from_slice(&entry);
        }
        full.into_par_iter()
            .try_for_each(|(name, bytes)| sink(name, bytes))?;
    }
    if !current.is_empty() {
        current.push(b'}');
        sink(format!("terms-{}.json", term_files.len() - 1), current)?;
    }

    let pages: Vec<&DocInfo> = order.iter().map(|&old| docs[old as usize]).collect();
    pages
        .par_chunks(PAGES_PER_FILE)
        .enumerate()
        .try_for_each(|(i, chunk)| {
            let rows: Vec<[&str; 3]> = chunk
                .iter()
                .map(|d| [d.url.as_str(), d.title.as_str(), d.summary.as_str()])
                .collect();
            sink(format!("pages-{i}.json"), to_json(&rows)?)
        })?;
    let manifest = Manifest {
        version: VERSION,
        language: analyzer.language(),
        pages: pages.len(),
        pages_per_file: PAGES_PER_FILE,
        min_word: MIN_WORD,
        max_word: MAX_WORD,
        min_stem: MIN_STEM,
        elisions: analyzer.elisions(),
        suffixes: {
            suffixes.sort_unstable();
            suffixes
        },
        term_files,
    };
    sink("index.json".to_owned(), to_json(&manifest)?)
}

/// The pages in URL order: `order[number] = page`.
fn url_order(docs: &[&DocInfo]) -> Vec<u32> {
    let mut order: Vec<u32> = (0..u32::try_from(docs.len()).unwrap_or(u32::MAX)).collect();
    order.sort_unstable_by(|&a, &b| docs[a as usize].url.cmp(&docs[b as usize].url));
    order
}

/// `"term":[page,impact,…]` into `entry`, pages delta coded; `postings` is sorted by page.
fn term_entry(entry: &mut Vec<u8>, term: &str, postings: &[(u32, u32)]) {
    entry.clear();
    push_string(entry, term);
    entry.extend_from_slice(b":[");
    let mut previous = 0;
    for (i, &(page, impact)) in postings.iter().enumerate() {
        if i > 0 {
            entry.push(b',');
        }
        push_number(entry, page - previous);
        entry.push(b',');
        push_number(entry, impact);
        previous = page;
    }
    entry.push(b']');
}

/// BM25's length normalisation of a page of `length` words, pages having `average`.
fn norm(length: u32, average: f64) -> f64 {
    K1 * (1.0 - B + B * f64::from(length) / average)
}

/// How often a posting's page has its term, a word of the title counting [`TITLE_WEIGHT`]
/// times.
fn frequency(title: u16, text: u16) -> u32 {
    TITLE_WEIGHT * u32::from(title) + u32::from(text)
}

/// BM25's term-frequency part, scaled to 1..=100, for a term a page whose [`norm`] is `norm`
/// has [`frequency`] times.
fn impact(frequency: u32, norm: f64) -> u32 {
    // Exact in a f64: at most 5 x 65,535.
    let frequency = f64::from(frequency);
    let score = frequency * (K1 + 1.0) / (frequency + norm);
    round(score / (K1 + 1.0) * 100.0).clamp(1, 100)
}

/// Frequencies (a title's words counting [`TITLE_WEIGHT`] times) up to this have their impact
/// worked out once per page: nearly every posting has one of them.
const COMMON: usize = 8;

/// What a page's postings are written with: its number in URL order, its [`norm`], and the
/// impacts of the [`COMMON`] frequencies (two divisions a posting saved, 12 million of them at
/// 10,000 x 3 pages of the bench corpus).
#[derive(Debug, Clone, Copy)]
struct PageScore {
    number: u32,
    norm: f64,
    impacts: [u8; COMMON],
}

impl PageScore {
    fn new(number: u32, norm: f64) -> PageScore {
        let mut impacts = [0u8; COMMON];
        for (frequency, slot) in (1u32..).zip(&mut impacts) {
            // At most 100.
            *slot = impact(frequency, norm) as u8;
        }
        PageScore {
            number,
            norm,
            impacts,
        }
    }

    /// The page's number and the impact of a term it has as `entry` says.
    fn of(&self, entry: &Logged) -> (u32, u32) {
        let frequency = frequency(entry.title, entry.text);
        let common = frequency
            .checked_sub(1)
            .and_then(|i| self.impacts.get(i as usize));
        let impact = match common {
            Some(&impact) => u32::from(impact),
            None => impact(frequency, self.norm),
        };
        (self.number, impact)
    }
}

/// `x.round()` of a score (finite, not negative): the same number, without the call to libm's
/// `round` that `f64::round` makes on CPUs before SSE 4.1 (x86-64's baseline), once per posting.
fn round(x: f64) -> u32 {
    // `as` truncates toward zero (and saturates); what is cut off is exact below 2^52.
    let whole = x as u32;
    if x - f64::from(whole) >= 0.5 {
        whole.saturating_add(1)
    } else {
        whole
    }
}

fn to_json<T: Serialize>(value: &T) -> Result<Vec<u8>> {
    serde_json::to_vec(value).map_err(|e| {
        Error::setup(
            format!("cannot write the search index: {e}"),
            "this is a bug in tolk; please report it",
        )
    })
}

fn push_number(out: &mut Vec<u8>, n: u32) {
    // Most numbers here (page gaps, impacts) have one or two digits: written as bytes, where
    // a copy of itoa's buffer called memcpy for each.
    match n {
        0..=9 => out.push(b'0' + n as u8),
        10..=99 => out.extend_from_slice(&[b'0' + (n / 10) as u8, b'0' + (n % 10) as u8]),
        _ => out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes()),
    }
}

/// How JavaScript orders two strings: by UTF-16 code units. For ASCII (most terms, which are
/// folded) that is the bytes' order, found without decoding.
fn utf16_order(a: &str, b: &str) -> std::cmp::Ordering {
    if a.is_ascii() && b.is_ascii() {
        a.cmp(b)
    } else {
        a.encode_utf16().cmp(b.encode_utf16())
    }
}

/// A JSON string. Terms are letters and digits, but nothing here relies on that.
fn push_string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    for c in s.chars() {
        match c {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            c if u32::from(c) < 0x20 => {
                out.extend_from_slice(format!("\\u{:04x}", u32::from(c)).as_bytes());
            }
            c => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::super::Posting;
    use super::*;

    #[test]
    fn numbers_and_the_order_of_terms_are_written_as_javascript_reads_them() {
        for n in [0, 1, 9, 10, 42, 99, 100, 101, 999, 1000, 65_535, u32::MAX] {
            let mut out = Vec::new();
            push_number(&mut out, n);
            assert_eq!(out, n.to_string().into_bytes());
        }
        // U+FF01 sorts after U+1F600 in UTF-8 bytes but before it in UTF-16 code units.
        let mut terms = [
            "zeta",
            "alpha",
            "\u{1f600}",
            "\u{ff01}",
            "Alpha",
            "alp",
            "é",
        ];
        terms.sort_unstable_by(|a, b| utf16_order(a, b));
        assert_eq!(
            terms,
            [
                "Alpha",
                "alp",
                "alpha",
                "zeta",
                "é",
                "\u{1f600}",
                "\u{ff01}"
            ]
        );
    }

    /// The files [`super::files`] makes, collected.
    fn files(
        analyzer: &Analyzer,
        docs: &[&DocInfo],
        terms: &[(String, Vec<Posting>)],
        suffixes: Vec<String>,
    ) -> Result<Vec<(String, Vec<u8>)>> {
        // The log the pages would leave: each page's terms, page after page.
        let mut pages: Vec<Vec<Logged>> = vec![Vec::new(); docs.len()];
        for (term, (_, list)) in (0u32..).zip(terms) {
            for p in list {
                pages[p.doc as usize].push(Logged {
                    term,
                    title: p.title,
                    text: p.text,
                });
            }
        }
        let mut log = Log::default();
        for page in &pages {
            page.iter().for_each(|&entry| log.push(entry));
            log.end_page(page.len());
        }
        let names: Vec<String> = terms.iter().map(|(term, _)| term.clone()).collect();
        let (files, ()) = super::super::collect(|sink| {
            super::files(
                analyzer,
                docs,
                &names,
                &mut log,
                Then::Release,
                suffixes,
                sink,
            )
        })?;
        Ok(files)
    }

    fn refs(docs: &[DocInfo]) -> Vec<&DocInfo> {
        docs.iter().collect()
    }

    fn doc(url: &str, length: u32) -> DocInfo {
        DocInfo {
            url: url.to_owned(),
            title: format!("Title of {url}"),
            summary: "Summary \"quoted\"".to_owned(),
            length,
        }
    }

    fn posting(doc: u32, title: u16, text: u16) -> Posting {
        Posting { doc, title, text }
    }

    fn file<'a>(files: &'a [(String, Vec<u8>)], name: &str) -> &'a str {
        files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, bytes)| std::str::from_utf8(bytes).expect("UTF-8"))
            .unwrap_or_else(|| panic!("no {name} in {:?}", names(files)))
    }

    fn names(files: &[(String, Vec<u8>)]) -> Vec<&str> {
        files.iter().map(|(n, _)| n.as_str()).collect()
    }

    #[test]
    fn pages_are_numbered_by_url_and_postings_delta_coded() -> Result<()> {
        let docs = vec![doc("fr/b/", 10), doc("fr/a/", 10), doc("fr/c/", 10)];
        let terms = vec![
            (
                "jeton".to_owned(),
                vec![posting(0, 1, 1), posting(1, 0, 1), posting(2, 0, 1)],
            ),
            ("desactiv".to_owned(), vec![posting(2, 0, 3)]),
        ];
        let suffixes = vec!["s".to_owned(), "ation".to_owned(), "er".to_owned()];
        let files = files(&Analyzer::new("fr"), &refs(&docs), &terms, suffixes)?;
        assert_eq!(
            names(&files),
            ["index.json", "pages-0.json", "terms-0.json"]
        );
        // b is page 1, a page 0, c page 2; the title counts more.
        assert_eq!(
            file(&files, "terms-0.json"),
            r#"{"desactiv":[2,71],"jeton":[0,45,1,81,1,45]}"#
        );
        assert_eq!(
            file(&files, "pages-0.json"),
            r#"[["fr/a/","Title of fr/a/","Summary \"quoted\""],["fr/b/","Title of fr/b/","Summary \"quoted\""],["fr/c/","Title of fr/c/","Summary \"quoted\""]]"#
        );
        let manifest: serde_json::Value =
            serde_json::from_str(file(&files, "index.json")).expect("JSON");
        assert_eq!(manifest["version"], VERSION);
        assert_eq!(manifest["language"], "fr");
        assert_eq!(manifest["pages"], 3);
        assert_eq!(manifest["term_files"], serde_json::json!(["desactiv"]));
        assert_eq!(
            manifest["suffixes"],
            serde_json::json!(["ation", "er", "s"])
        );
        assert!(manifest["elisions"]
            .as_array()
            .is_some_and(|e| e.contains(&serde_json::json!("qu"))));
        Ok(())
    }

    #[test]
    fn the_same_pages_in_any_order_give_the_same_bytes() -> Result<()> {
        let build = |reverse: bool| {
            let mut urls: Vec<String> = (0..120).map(|i| format!("nl/{i:03}/")).collect();
            if reverse {
                urls.reverse();
            }
            let docs: Vec<DocInfo> = urls.iter().map(|u| doc(u, 5)).collect();
            let postings: Vec<Posting> = (0..120).map(|d| posting(d, 0, 1)).collect();
            files(
                &Analyzer::new("nl"),
                &refs(&docs),
                &[
                    ("token".to_owned(), postings.clone()),
                    ("tekst".to_owned(), postings),
                ],
                vec![],
            )
        };
        let forward = build(false)?;
        assert_eq!(forward, build(true)?);
        assert_eq!(
            names(&forward),
            [
                "index.json",
                "pages-0.json",
                "pages-1.json",
                "pages-2.json",
                "terms-0.json"
            ]
        );
        Ok(())
    }

    #[test]
    fn term_files_split_in_sorted_order() -> Result<()> {
        let docs: Vec<DocInfo> = (0..1000).map(|i| doc(&format!("it/{i:04}/"), 5)).collect();
        let postings: Vec<Posting> = (0..1000).map(|d| posting(d, 0, 1)).collect();
        // 1000 postings are about 4 KB: a few terms fill a file.
        let words = ["zeta", "alfa", "ölio", "beta", "gamma", "delta", "épsilon"];
        let terms: Vec<(String, Vec<Posting>)> = words
            .iter()
            .map(|w| (w.to_string(), postings.clone()))
            .collect();
        let files = files(&Analyzer::new("it"), &refs(&docs), &terms, vec![])?;
        let manifest: serde_json::Value =
            serde_json::from_str(file(&files, "index.json")).expect("JSON");
        let firsts: Vec<&str> = manifest["term_files"]
            .as_array()
            .expect("term files")
            .iter()
            .filter_map(|v| v.as_str())
            .collect();
        assert!(firsts.len() > 1, "{firsts:?}");
        assert_eq!(firsts[0], "alfa");
        let mut all = Vec::new();
        for (i, first) in firsts.iter().enumerate() {
            let text = file(&files, &format!("terms-{i}.json"));
            assert!(text.len() < TERM_FILE_BYTES + 8 * 1024, "{}", text.len());
            let terms: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(text).expect("JSON");
            let keys: Vec<String> = terms.keys().cloned().collect();
            assert_eq!(&keys[0], first);
            all.extend(keys);
        }
        // serde_json's map sorts its keys, so compare with the list sorted the same way.
        assert_eq!(
            all,
            ["alfa", "beta", "delta", "gamma", "zeta", "épsilon", "ölio"]
        );
        Ok(())
    }

    #[test]
    fn impacts_grow_with_frequency_and_the_title() {
        let one = impact(frequency(0, 1), norm(100, 100.0));
        let three = impact(frequency(0, 3), norm(100, 100.0));
        let title = impact(frequency(1, 0), norm(100, 100.0));
        let long_page = impact(frequency(0, 1), norm(1000, 100.0));
        assert!(one < three && three < title, "{one} {three} {title}");
        assert!(long_page < one, "{long_page} {one}");
        assert_eq!(impact(frequency(u16::MAX, u16::MAX), norm(1, 100.0)), 100);
    }

    /// The impacts a page works out once are those of each posting.
    #[test]
    fn a_page_s_impacts_are_its_postings_impacts() {
        for length in [1, 7, 50, 100, 333, 1000, 100_000] {
            let norm = norm(length, 97.5);
            let page = PageScore::new(3, norm);
            for title in 0..4 {
                for text in 0..12 {
                    let entry = Logged {
                        term: 0,
                        title,
                        text,
                    };
                    assert_eq!(
                        page.of(&entry),
                        (3, impact(frequency(title, text), norm)),
                        "{length} {title} {text}"
                    );
                }
            }
        }
    }

    #[test]
    fn scores_round_as_f64_round_does() {
        for x in [
            0.0,
            0.49,
            0.5,
            0.51,
            1.5,
            2.5,
            49.999,
            99.5,
            100.0,
            0.499_999_999_999_999_94,
        ] {
            assert_eq!(f64::from(round(x)), x.round(), "{x}");
        }
        let mut x = 0.0;
        while x < 101.0 {
            assert_eq!(f64::from(round(x)), x.round(), "{x}");
            x += 0.015625 / 3.0;
        }
    }
}
