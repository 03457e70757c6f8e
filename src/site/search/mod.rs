//! Full-text search: an index per locale, built from the pages' plain text while they are
//! rendered, searched in the reader's browser by `static/search.js` with no server.
//!
//! Pages are added from any thread as they are rendered; the index keeps their postings (which
//! page has which term, how often, in the title or the text), never their text. Each thread
//! fills a part of its own (stemming is most of the work, and a lock around it made the
//! threads take turns); when a locale is done, [`Index::files`] merges the parts and makes the
//! files under `search/<locale>/` (see [`bundle`]) and the memory is freed before the next
//! locale starts.

mod bundle;
mod log;
pub mod text;
mod words;

use std::sync::Mutex;

use foldhash::HashMap;

use crate::error::Result;
use log::{Log, Logged, Then};
use text::Analyzer;
use words::{Entry, Words};

/// The folder of the search indexes in the output: one subfolder per locale code.
pub const FOLDER: &str = "search";

/// Where the files of an index go as they are made: a locale's files are never all in memory
/// (18 MB for 10,000 pages of the bench corpus). Called from several threads at once: the
/// last locale's index is written with nothing else left to do.
pub type Sink<'a> = &'a (dyn Fn(String, Vec<u8>) -> Result<()> + Sync);

/// What the index gets of a page.
#[derive(Debug, Clone, Copy)]
pub struct Document<'a> {
    /// The page's URL relative to the site root: `fr/a/b/`.
    pub url: &'a str,
    pub title: &'a str,
    /// The front matter's description; may be empty.
    pub description: &'a str,
    /// The page's text without markup, one line per block.
    pub text: &'a str,
}

/// The search index of one locale, filled from any thread.
#[derive(Debug)]
pub struct Index {
    analyzer: Analyzer,
    /// One part per thread of rayon's pool, and a last one for other threads: a thread fills
    /// its own part, which stays in its core's cache and whose lock no other thread waits for.
    parts: Vec<Mutex<Postings>>,
    /// Whether pages can be replaced and removed later (the dev server's index).
    replaceable: bool,
}

/// What is kept of the pages added to one part (or, once merged, to the index).
#[derive(Debug, Default)]
struct Postings {
    /// In the order they were added; sorted by URL when written. `None`: a page replaced or
    /// removed since (the dev server), left out when the index is next written.
    docs: Vec<Option<DocInfo>>,
    /// Every term, numbered in the order they were added.
    terms: Vec<String>,
    /// Each page's terms with their counts, page after page: grouped by term when written.
    log: Log,
    term_ids: HashMap<String, u32>,
    /// Every word seen, with its number and its term, so each word is stemmed once.
    words: Words,
    /// Only kept for an index whose pages can be replaced ([`Index::replace`]).
    page_words: Option<PageWords>,
    /// Scratch space of [`Postings::add`]: the page's (title, text) count of every term, and
    /// the terms and words it counted.
    counts: Vec<(u16, u16)>,
    touched: Vec<u32>,
    touched_words: Vec<u32>,
    /// Pages added so far: the mark of the page being added in [`PageWords::last_page`].
    added: u32,
}

/// What an index whose pages can be replaced keeps to forget a page's words, each list by
/// word number ([`Entry::id`]) or by page (in `docs` order).
#[derive(Debug, Default)]
struct PageWords {
    /// How many pages have each word: what a word has after its term (`és`) is listed in the
    /// manifest while some page has the word.
    pages: Vec<u32>,
    /// The mark of the last page that counted each word ([`Postings::added`]), so that a page
    /// counts each word once.
    last_page: Vec<u32>,
    /// The numbers of each page's words.
    of_page: Vec<Vec<u32>>,
}

impl PageWords {
    /// Counts word `id` in the page marked `mark`, once.
    fn count(&mut self, id: u32, mark: u32, touched: &mut Vec<u32>) {
        let id = id as usize;
        if let (Some(last), Some(pages)) = (self.last_page.get_mut(id), self.pages.get_mut(id)) {
            if *last != mark {
                *last = mark;
                *pages += 1;
                touched.push(id as u32);
            }
        }
    }
}

#[derive(Debug)]
struct DocInfo {
    url: String,
    title: String,
    summary: String,
    /// Words in the title and the text.
    length: u32,
}

/// How often a page has a term (the tests' view of the postings; the index keeps them in
/// its [`Log`]).
#[cfg(test)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Posting {
    doc: u32,
    title: u16,
    text: u16,
}

impl Index {
    /// An empty index for pages in the language of `tag` (`fr`, `nl-BE`).
    pub fn new(tag: &str) -> Index {
        Index {
            analyzer: Analyzer::new(tag),
            parts: Vec::new(),
            replaceable: false,
        }
        .with_parts()
    }

    fn with_parts(mut self) -> Index {
        self.parts = (0..=rayon::current_num_threads())
            .map(|_| Mutex::new(Postings::empty(self.replaceable)))
            .collect();
        self
    }

    /// An empty index whose pages can be replaced and removed later ([`Index::replace`]): it
    /// keeps the words of each page.
    pub fn replaceable(tag: &str) -> Index {
        Index {
            replaceable: true,
            ..Index::new(tag)
        }
        .with_parts()
    }

    /// Adds a page, from any thread.
    pub fn add(&self, doc: Document<'_>) {
        let last = self.parts.len().saturating_sub(1);
        let slot = rayon::current_thread_index().map_or(last, |i| i.min(last));
        if let Some(part) = self.parts.get(slot) {
            crate::lock::lock(part).add(&self.analyzer, doc);
        }
    }

    /// Puts `doc` in place of the page at its URL (or adds it); the files change when the
    /// index is next written.
    pub fn replace(&mut self, doc: Document<'_>) {
        let postings = merged(&mut self.parts, self.replaceable);
        postings.remove(doc.url);
        postings.add(&self.analyzer, doc);
    }

    /// Forgets the page at `url` (`fr/a/b/`), if it is in the index.
    pub fn remove(&mut self, url: &str) {
        self.merged().remove(url);
    }

    /// The parts merged into the first, the others left empty.
    fn merged(&mut self) -> &mut Postings {
        merged(&mut self.parts, self.replaceable)
    }

    /// Makes the files of the index of the locale `code` into `sink`, as (path in the
    /// output, bytes), one at a time; returns the number of pages in it.
    pub fn write(&mut self, code: &str, sink: Sink<'_>) -> Result<usize> {
        self.write_then(code, sink, Then::Keep)
    }

    /// Makes the files as [`Index::write`] does, the index let go as they are made (a build's
    /// index is written once): its postings are let go as they are grouped, the rest of it
    /// when its files are made. Kept until the next locale's pages were done, an index took
    /// 45-55 MiB of a build at 10,000 x 3 on the bench corpus.
    pub fn finish(mut self, code: &str, sink: Sink<'_>) -> Result<usize> {
        self.write_then(code, sink, Then::Release)
    }

    fn write_then(&mut self, code: &str, sink: Sink<'_>, then: Then) -> Result<usize> {
        let postings = merged(&mut self.parts, self.replaceable);
        postings.compact();
        postings.bundle(&self.analyzer, then, &|name, bytes| {
            sink(format!("{FOLDER}/{code}/{name}"), bytes)
        })?;
        Ok(postings.docs.len())
    }
}

/// `parts` merged into the first, the others left empty.
fn merged(parts: &mut Vec<Mutex<Postings>>, replaceable: bool) -> &mut Postings {
    let taken: Vec<Postings> = parts
        .iter_mut()
        .map(|part| std::mem::replace(crate::lock::get_mut(part), Postings::empty(replaceable)))
        .collect();
    if parts.is_empty() {
        parts.push(Mutex::new(Postings::empty(replaceable)));
    }
    let first = crate::lock::get_mut(&mut parts[0]);
    *first = Postings::merge(taken);
    first
}

impl Postings {
    /// No pages yet; `replaceable`: pages can be replaced and removed later.
    fn empty(replaceable: bool) -> Postings {
        Postings {
            page_words: replaceable.then(PageWords::default),
            ..Postings::default()
        }
    }

    fn add(&mut self, analyzer: &Analyzer, doc: Document<'_>) {
        // Each word is looked up once where it occurs, and counted in its term's slot of
        // `counts`; the terms the page touched are then written out and their slots cleared.
        let mut touched = std::mem::take(&mut self.touched);
        let mut touched_words = std::mem::take(&mut self.touched_words);
        self.added += 1;
        let mark = self.added;
        let mut length = 0u32;
        for (in_title, text) in [(true, doc.title), (false, doc.text)] {
            analyzer.each_word(text, |word, digits| {
                length += 1;
                if digits {
                    // A number is its own term and has no ending: it is looked up once, among
                    // the terms, and the words stay few (error codes and ids are many).
                    if (text::MIN_WORD..=text::MAX_WORD).contains(&word.len()) {
                        let term = self.number_term(word);
                        self.count(term, in_title, &mut touched);
                    }
                    return;
                }
                let entry = match self.words.get(word) {
                    Some(entry) => entry,
                    None => {
                        let entry = self.new_word(analyzer, word);
                        self.words.insert(word, entry);
                        entry
                    }
                };
                self.count_word(entry, in_title, mark, &mut touched, &mut touched_words);
            });
        }
        for &term in &touched {
            let (title, text) = std::mem::take(&mut self.counts[term as usize]);
            self.log.push(Logged { term, title, text });
        }
        self.log.end_page(touched.len());
        touched.clear();
        self.touched = touched;
        if let Some(pages) = &mut self.page_words {
            pages.of_page.push(touched_words.clone());
        }
        touched_words.clear();
        self.touched_words = touched_words;
        self.docs.push(Some(DocInfo {
            url: doc.url.to_owned(),
            title: doc.title.to_owned(),
            summary: summary(doc.description, doc.title, doc.text),
            length,
        }));
    }

    /// Counts an occurrence of a word on the page marked `mark`: its term, and the word itself
    /// where pages can be removed.
    fn count_word(
        &mut self,
        entry: Entry,
        in_title: bool,
        mark: u32,
        touched: &mut Vec<u32>,
        touched_words: &mut Vec<u32>,
    ) {
        if let Some(pages) = &mut self.page_words {
            pages.count(entry.id, mark, touched_words);
        }
        if let Some(term) = entry.term {
            self.count(term, in_title, touched);
        }
    }

    /// Counts an occurrence of `term` on the page being added, in its title or its text.
    fn count(&mut self, term: u32, in_title: bool, touched: &mut Vec<u32>) {
        let count = &mut self.counts[term as usize];
        if *count == (0, 0) {
            touched.push(term);
        }
        if in_title {
            count.0 = count.0.saturating_add(1);
        } else {
            count.1 = count.1.saturating_add(1);
        }
    }

    /// A lowercase word seen for the first time, stemmed and numbered (counted in no page
    /// yet); the caller puts it in [`Postings::words`].
    fn new_word(&mut self, analyzer: &Analyzer, word: &str) -> Entry {
        let term = analyzer.term(word).map(|term| self.intern(term));
        Entry {
            id: self.number_word(),
            term,
        }
    }

    /// The number of a word not in [`Postings::words`] yet, counted in no page yet where the
    /// index counts them.
    fn number_word(&mut self) -> u32 {
        if let Some(pages) = &mut self.page_words {
            pages.pages.push(0);
            pages.last_page.push(0);
        }
        u32::try_from(self.words.len()).unwrap_or(u32::MAX)
    }

    /// The term of a number (`2646`): the number itself.
    fn number_term(&mut self, number: &str) -> u32 {
        match self.term_ids.get(number) {
            Some(&id) => id,
            None => self.intern(number.to_owned()),
        }
    }

    /// The id of `term`, numbered now if it is new.
    fn intern(&mut self, term: String) -> u32 {
        if let Some(id) = self.term_ids.get(&term) {
            return *id;
        }
        let id = u32::try_from(self.terms.len()).unwrap_or(u32::MAX);
        self.term_ids.insert(term.clone(), id);
        self.terms.push(term);
        self.counts.push((0, 0));
        id
    }

    /// Forgets the page at `url`: its postings go when the index is next written.
    fn remove(&mut self, url: &str) {
        let Some(id) = self
            .docs
            .iter()
            .position(|d| d.as_ref().is_some_and(|d| d.url == url))
        else {
            return;
        };
        self.docs[id] = None;
        if let Some(pages) = &mut self.page_words {
            let words = pages.of_page.get_mut(id).map(std::mem::take);
            for w in words.unwrap_or_default() {
                if let Some(count) = pages.pages.get_mut(w as usize) {
                    *count = count.saturating_sub(1);
                }
            }
        }
    }

    /// Drops the postings of removed pages and numbers the pages again.
    fn compact(&mut self) {
        if self.docs.iter().all(Option::is_some) {
            return;
        }
        let mut number = vec![u32::MAX; self.docs.len()];
        let mut next = 0u32;
        for (old, doc) in self.docs.iter().enumerate() {
            if doc.is_some() {
                number[old] = next;
                next += 1;
            }
        }
        self.log.retain_pages(|page| number[page] != u32::MAX);
        if let Some(pages) = &mut self.page_words {
            let mut old = 0;
            pages.of_page.retain(|_| {
                old += 1;
                number[old - 1] != u32::MAX
            });
        }
        self.docs.retain(Option::is_some);
    }

    /// What the words in the pages have after their terms, for the manifest.
    fn suffixes(&self) -> Vec<String> {
        let mut suffixes = foldhash::HashSet::default();
        // Every word of an index whose pages cannot be removed is on some page.
        let on_a_page = |id: u32| {
            let pages = self.page_words.as_ref().map(|p| &p.pages);
            pages.is_none_or(|pages| pages.get(id as usize).is_some_and(|&n| n > 0))
        };
        self.words.each(|word, Entry { id, term }| {
            let Some(term) = term.filter(|_| on_a_page(id)) else {
                return;
            };
            let term = &self.terms[term as usize];
            if let Some(suffix) = text::fold(word).get(term.len()..) {
                if !suffix.is_empty() && suffix.chars().count() <= text::MAX_SUFFIX {
                    suffixes.insert(suffix.to_owned());
                }
            }
        });
        suffixes.into_iter().collect()
    }

    /// The files of the index (after [`Postings::compact`]); `then`: whether the log is kept.
    fn bundle(&mut self, analyzer: &Analyzer, then: Then, sink: Sink<'_>) -> Result<()> {
        let suffixes = self.suffixes();
        let docs: Vec<&DocInfo> = self.docs.iter().flatten().collect();
        bundle::files(
            analyzer,
            &docs,
            &self.terms,
            &mut self.log,
            then,
            suffixes,
            sink,
        )
    }

    /// One set of postings from the parts threads filled: pages are renumbered after those of
    /// the parts before, terms and words matched by their text. What is written does not
    /// depend on the order (see [`bundle`]).
    fn merge(parts: Vec<Postings>) -> Postings {
        let mut parts = parts.into_iter();
        let mut all = parts.next().unwrap_or_default();
        for part in parts {
            all.docs.extend(part.docs);
            let terms: Vec<u32> = part.terms.into_iter().map(|t| all.intern(t)).collect();
            all.log.append(part.log, &terms);
            // Their numbers to ours: a word new here is numbered as it comes.
            let mut words = vec![0u32; part.words.len()];
            part.words.each(|name, word| {
                let id = match all.words.get(name) {
                    Some(mine) => mine.id,
                    None => {
                        let id = all.number_word();
                        let term = word.term.map(|t| terms[t as usize]);
                        all.words.insert(name, Entry { id, term });
                        id
                    }
                };
                words[word.id as usize] = id;
                if let (Some(mine), Some(theirs)) = (&mut all.page_words, &part.page_words) {
                    let pages = theirs.pages.get(word.id as usize).copied().unwrap_or(0);
                    if let Some(count) = mine.pages.get_mut(id as usize) {
                        *count += pages;
                    }
                }
            });
            if let (Some(mine), Some(theirs)) = (&mut all.page_words, part.page_words) {
                mine.of_page.extend(
                    theirs
                        .of_page
                        .into_iter()
                        .map(|page| page.into_iter().map(|w| words[w as usize]).collect()),
                );
            }
        }
        // Marks of pages added from here on must not meet those of the parts.
        if let Some(pages) = &mut all.page_words {
            pages.last_page.fill(0);
        }
        all.added = 0;
        all
    }
}

/// Characters of the summary shown under a result's title.
const SUMMARY_CHARS: usize = 160;

/// The line shown under a result: the description, else the first sentence of the text (after
/// a first line that only repeats the title), at most [`SUMMARY_CHARS`] characters.
fn summary(description: &str, title: &str, text: &str) -> String {
    let source = if description.trim().is_empty() {
        let first = text
            .lines()
            .map(str::trim)
            .find(|line| !line.is_empty() && *line != title.trim())
            .unwrap_or_default();
        first_sentence(first)
    } else {
        description
    };
    let words: Vec<&str> = source.split_whitespace().collect();
    let mut summary = String::new();
    for word in words {
        let length = summary.chars().count();
        if length + 1 + word.chars().count() > SUMMARY_CHARS {
            if summary.is_empty() {
                summary.extend(word.chars().take(SUMMARY_CHARS - 1));
            }
            summary.push('…');
            break;
        }
        if !summary.is_empty() {
            summary.push(' ');
        }
        summary.push_str(word);
    }
    summary
}

/// Up to the first `. `, `? ` or `! ` (included), or the whole line.
fn first_sentence(line: &str) -> &str {
    let bytes = line.as_bytes();
    for (i, pair) in bytes.windows(2).enumerate() {
        if matches!(pair[0], b'.' | b'?' | b'!') && pair[1] == b' ' {
            return &line[..=i];
        }
    }
    line
}

/// A file of an index, as a sink gets it: its path (or name) and its bytes.
#[cfg(test)]
type File = (String, Vec<u8>);

/// The files `make` writes into its sink, collected in the order of their names, and what it
/// returns (for tests).
#[cfg(test)]
fn collect<T>(make: impl FnOnce(Sink<'_>) -> Result<T>) -> Result<(Vec<File>, T)> {
    let files = std::sync::Mutex::new(Vec::new());
    let made = make(&|name, bytes| {
        crate::lock::lock(&files).push((name, bytes));
        Ok(())
    })?;
    let mut files = files.into_inner().unwrap_or_else(|p| p.into_inner());
    files.sort();
    Ok((files, made))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc<'a>(url: &'a str, title: &'a str, text: &'a str) -> Document<'a> {
        Document {
            url,
            title,
            description: "",
            text,
        }
    }

    #[test]
    fn words_with_one_term_count_together() {
        let index = Index::new("fr");
        index.add(doc(
            "fr/a/",
            "Jetons désactivés",
            "Jetons désactivés\nLes jetons seront désactivés. Désactiver l’intégration.",
        ));
        let mut index = index;
        let postings = index.merged();
        let lists = postings.log.lists(postings.terms.len());
        let find = |term: &str| {
            postings
                .terms
                .iter()
                .position(|t| t == term)
                .map(|i| lists.of(i).to_vec())
        };
        assert_eq!(
            find("desactiv"),
            Some(vec![Posting {
                doc: 0,
                title: 1,
                text: 3
            }])
        );
        assert_eq!(
            find("jeton"),
            Some(vec![Posting {
                doc: 0,
                title: 1,
                text: 2
            }])
        );
        assert_eq!(find("integr").map(|list| list.len()), Some(1));
        assert!(find("l").is_none());
        // What the words had after their terms, for queries in other forms.
        for ending in ["er", "es", "ation"] {
            assert!(postings.suffixes().iter().any(|s| s == ending), "{ending}");
        }
        assert_eq!(postings.docs[0].as_ref().map(|d| d.length), Some(2 + 8));
    }

    #[test]
    fn adds_from_many_threads() {
        use rayon::prelude::*;
        let index = Index::new("nl");
        let urls: Vec<String> = (0..200).map(|i| format!("nl/{i}/")).collect();
        urls.par_iter()
            .for_each(|url| index.add(doc(url, "Titel", "De tokens worden uitgeschakeld")));
        let mut index = index;
        let postings = index.merged();
        assert_eq!(postings.docs.len(), 200);
        let lists = postings.log.lists(postings.terms.len());
        for term in 0..postings.terms.len() {
            assert_eq!(lists.of(term).len(), 200);
        }
    }

    #[test]
    fn parts_merge_to_the_same_files_as_one() {
        let pages: Vec<(String, String)> = (0..40)
            .map(|i| {
                (
                    format!("fr/{i}/"),
                    format!(
                        "Page {i} désactivée\nLes jetons {i} désactivés, l’intégration {}",
                        i % 7
                    ),
                )
            })
            .collect();
        let analyzer = Analyzer::new("fr");
        let files = |parts: Vec<Postings>| {
            let mut merged = Postings::merge(parts);
            collect(|sink| merged.bundle(&analyzer, Then::Keep, sink))
                .expect("files")
                .0
        };
        let mut one = Postings::default();
        let mut parts = vec![
            Postings::default(),
            Postings::default(),
            Postings::default(),
        ];
        for (i, (url, text)) in pages.iter().enumerate() {
            let page = doc(url, "Titre", text);
            one.add(&analyzer, page);
            parts[(i * 7) % 3].add(&analyzer, page);
        }
        assert_eq!(files(vec![one]), files(parts));
    }

    /// The dev server's index: after pages are replaced and removed, the files are those of an
    /// index of the pages as they are now, word endings included.
    #[test]
    fn replaced_and_removed_pages_leave_the_files_of_a_fresh_index() -> Result<()> {
        let files = |index: &mut Index| collect(|sink| index.write("fr", sink)).expect("files");
        let mut live = Index::replaceable("fr");
        live.add(doc("fr/a/", "Jetons", "Les jetons désactivés"));
        live.add(doc(
            "fr/b/",
            "Organisation",
            "Une organisation désactivation",
        ));
        live.add(doc("fr/c/", "Projets", "Des projets"));
        live.replace(doc("fr/b/", "Organisation", "Une organisation"));
        live.remove("fr/c/");
        live.remove("fr/nowhere/");
        let mut fresh = Index::new("fr");
        fresh.add(doc("fr/a/", "Jetons", "Les jetons désactivés"));
        fresh.add(doc("fr/b/", "Organisation", "Une organisation"));
        let (live_files, pages) = files(&mut live);
        assert_eq!(pages, 2);
        assert_eq!(live_files, files(&mut fresh).0);
        // `désactivation` is gone, and with it the ending `ation` of `desactiv`... but
        // `organisation` still has it; `projets` and its term are gone.
        let manifest = &live_files
            .iter()
            .find(|(p, _)| p.ends_with("index.json"))
            .expect("manifest")
            .1;
        let manifest = String::from_utf8_lossy(manifest);
        assert!(!manifest.contains("\"projet"), "{manifest}");
        // Written again, the same files.
        assert_eq!(files(&mut live).0, live_files);
        live.add(doc("fr/c/", "Projets", "Des projets"));
        fresh.add(doc("fr/c/", "Projets", "Des projets"));
        let fresh_files = files(&mut fresh).0;
        assert_eq!(files(&mut live).0, fresh_files);
        // A build's index, let go as its files are made, makes the same files.
        let finished = collect(|sink| fresh.finish("fr", sink)).expect("files").0;
        assert_eq!(finished, fresh_files);
        Ok(())
    }

    /// The dev server's first build fills a part per thread; merged, they forget a removed page's
    /// words by their numbers, which the merge gave anew.
    #[test]
    fn replaceable_parts_merged_forget_a_page_as_one_index_would() {
        let analyzer = Analyzer::new("fr");
        let part = || Postings::empty(true);
        let a = doc("fr/a/", "Jetons", "Les jetons désactivés");
        let b = doc(
            "fr/b/",
            "Organisation",
            "Une organisation, des pages désactivées",
        );
        let c = doc(
            "fr/c/",
            "Projets",
            "Des projets désactivables, une réactivation",
        );
        let mut parts = vec![part(), part()];
        parts[0].add(&analyzer, a);
        parts[1].add(&analyzer, c);
        parts[1].add(&analyzer, b);
        let mut merged = Postings::merge(parts);
        merged.remove("fr/b/");
        merged.compact();
        let mut fresh = part();
        fresh.add(&analyzer, a);
        fresh.add(&analyzer, c);
        let files = |postings: &mut Postings| {
            collect(|sink| postings.bundle(&analyzer, Then::Keep, sink))
                .expect("files")
                .0
        };
        assert_eq!(files(&mut merged), files(&mut fresh));
    }

    /// Numbers skip the stemmer: that is only right while every stemmer leaves them as they are.
    #[test]
    fn numbers_are_their_own_terms_in_every_language() {
        for tag in ["nl", "fr", "it", "en", "de"] {
            let analyzer = Analyzer::new(tag);
            for number in ["2646", "00978", "12", "1234567890123"] {
                assert_eq!(analyzer.term(number).as_deref(), Some(number), "{tag}");
            }
            let mut postings = Postings::default();
            postings.add(&analyzer, doc("x/", "Fout 2646", "Fout 2646 en 7"));
            let terms: Vec<&str> = postings.terms.iter().map(String::as_str).collect();
            assert!(
                terms.contains(&"2646") && !terms.contains(&"7"),
                "{tag}: {terms:?}"
            );
        }
    }

    #[test]
    fn summaries() {
        for (description, text, expected) in [
            (
                "Een korte beschrijving.",
                "Titel\nTekst.",
                "Een korte beschrijving.",
            ),
            ("", "Titel\n\nEerste zin. Tweede zin.\nMeer", "Eerste zin."),
            ("  ", "Iets anders\nTekst", "Iets anders"),
            ("", "v1.2 werkt niet", "v1.2 werkt niet"),
            ("", "", ""),
        ] {
            assert_eq!(summary(description, "Titel", text), expected, "{text}");
        }
        let long = "woord ".repeat(100);
        let cut = summary(&long, "", "");
        assert!(cut.ends_with("woord…"), "{cut}");
        assert!(cut.chars().count() <= SUMMARY_CHARS, "{cut}");
        let unbroken = summary(&"x".repeat(500), "", "");
        assert_eq!(unbroken.chars().count(), SUMMARY_CHARS);
    }
}
