//! Full-text search: an index per locale, built from the pages' plain text while they are
//! rendered, searched in the reader's browser by `static/search.js` with no server.
//!
//! Pages are added from any thread as they are rendered; the index keeps their postings (which
//! page has which term, how often, in the title or the text), never their text. Each thread
//! fills a part of its own (stemming is most of the work, and a lock around it made the
//! threads take turns); when a locale is done, [`Index::write`] merges the parts, writes the
//! files under `search/<locale>/` (see [`bundle`]) and the memory is freed before the next
//! locale starts.

mod bundle;
pub mod text;

use std::sync::Mutex;

use foldhash::HashMap;

use super::Output;
use crate::error::Result;
use text::Analyzer;

/// The folder of the search indexes in the output: one subfolder per locale code.
pub const FOLDER: &str = "search";

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
    /// The parts no thread is filling at the moment: [`Index::add`] takes one (or starts one),
    /// fills it without holding the lock, and puts it back. There are about as many parts as
    /// threads that added pages at the same time.
    parts: Mutex<Vec<Postings>>,
}

/// What is kept of the pages added to one part (or, once merged, to the index).
#[derive(Debug, Default)]
struct Postings {
    /// In the order they were added; sorted by URL when written.
    docs: Vec<DocInfo>,
    /// Every term with the pages that have it, in the order they were added.
    terms: Vec<(String, Vec<Posting>)>,
    term_ids: HashMap<String, u32>,
    /// The term of every word seen (`None`: not indexed), so each word is stemmed once.
    word_terms: HashMap<String, Option<u32>>,
    /// What words have after their term (`ation` in `organisation`).
    suffixes: foldhash::HashSet<String>,
    /// Scratch space of [`Postings::add`]: the page's (title, text) count of every term, and
    /// the terms it counted.
    counts: Vec<(u16, u16)>,
    touched: Vec<u32>,
}

#[derive(Debug)]
struct DocInfo {
    url: String,
    title: String,
    summary: String,
    /// Words in the title and the text.
    length: u32,
}

/// How often a page has a term.
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
            parts: Mutex::default(),
        }
    }

    /// Adds a page, from any thread.
    pub fn add(&self, doc: Document<'_>) {
        let taken = self.lock_parts().pop();
        let mut part = taken.unwrap_or_default();
        part.add(&self.analyzer, doc);
        self.lock_parts().push(part);
    }

    fn lock_parts(&self) -> std::sync::MutexGuard<'_, Vec<Postings>> {
        self.parts
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Writes the index under `search/<code>/` and returns the number of pages in it.
    pub fn write(self, code: &str, output: &Output) -> Result<usize> {
        let parts = self
            .parts
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let postings = Postings::merge(parts);
        let count = postings.docs.len();
        let suffixes = postings.suffixes.into_iter().collect();
        for (name, bytes) in bundle::files(&self.analyzer, postings.docs, postings.terms, suffixes)?
        {
            output.write(&format!("{FOLDER}/{code}/{name}"), &bytes)?;
        }
        Ok(count)
    }
}

impl Postings {
    fn add(&mut self, analyzer: &Analyzer, doc: Document<'_>) {
        let id = u32::try_from(self.docs.len()).unwrap_or(u32::MAX);
        // Each word is looked up once where it occurs, and counted in its term's slot of
        // `counts`; the terms the page touched are then written out and their slots cleared.
        let mut touched = std::mem::take(&mut self.touched);
        let mut length = 0u32;
        for (in_title, text) in [(true, doc.title), (false, doc.text)] {
            for word in analyzer.words(text) {
                length += 1;
                let Some(term) = self.term_id(analyzer, &word) else {
                    continue;
                };
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
        }
        touched.sort_unstable();
        for &term in &touched {
            let (title, text) = std::mem::take(&mut self.counts[term as usize]);
            self.terms[term as usize].1.push(Posting {
                doc: id,
                title,
                text,
            });
        }
        touched.clear();
        self.touched = touched;
        self.docs.push(DocInfo {
            url: doc.url.to_owned(),
            title: doc.title.to_owned(),
            summary: summary(doc.description, doc.title, doc.text),
            length,
        });
    }

    fn term_id(&mut self, analyzer: &Analyzer, word: &str) -> Option<u32> {
        if let Some(id) = self.word_terms.get(word) {
            return *id;
        }
        let id = analyzer.term(word).map(|term| {
            if let Some(suffix) = text::fold(word).get(term.len()..) {
                if !suffix.is_empty() && suffix.chars().count() <= text::MAX_SUFFIX {
                    self.suffixes.insert(suffix.to_owned());
                }
            }
            self.intern(term)
        });
        self.word_terms.insert(word.to_owned(), id);
        id
    }

    /// The id of `term`, numbered now if it is new.
    fn intern(&mut self, term: String) -> u32 {
        if let Some(id) = self.term_ids.get(&term) {
            return *id;
        }
        let id = u32::try_from(self.terms.len()).unwrap_or(u32::MAX);
        self.term_ids.insert(term.clone(), id);
        self.terms.push((term, Vec::new()));
        self.counts.push((0, 0));
        id
    }

    /// One set of postings from the parts threads filled: pages are renumbered after those of
    /// the parts before, terms matched by their text. What is written does not depend on the
    /// order (see [`bundle`]).
    fn merge(parts: Vec<Postings>) -> Postings {
        let mut parts = parts.into_iter();
        let mut all = parts.next().unwrap_or_default();
        for part in parts {
            let offset = u32::try_from(all.docs.len()).unwrap_or(u32::MAX);
            all.docs.extend(part.docs);
            for (term, list) in part.terms {
                let id = all.intern(term);
                all.terms[id as usize]
                    .1
                    .extend(list.into_iter().map(|p| Posting {
                        doc: p.doc.saturating_add(offset),
                        ..p
                    }));
            }
            all.suffixes.extend(part.suffixes);
        }
        // Only pages are added from here on, never words.
        all.word_terms = HashMap::default();
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
        let postings = Postings::merge(index.parts.into_inner().expect("not poisoned"));
        let find = |term: &str| {
            postings
                .terms
                .iter()
                .find(|(t, _)| t == term)
                .map(|(_, list)| list.clone())
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
            assert!(postings.suffixes.contains(ending), "{ending}");
        }
        assert_eq!(postings.docs[0].length, 2 + 8);
    }

    #[test]
    fn adds_from_many_threads() {
        use rayon::prelude::*;
        let index = Index::new("nl");
        let urls: Vec<String> = (0..200).map(|i| format!("nl/{i}/")).collect();
        urls.par_iter()
            .for_each(|url| index.add(doc(url, "Titel", "De tokens worden uitgeschakeld")));
        let postings = Postings::merge(index.parts.into_inner().expect("not poisoned"));
        assert_eq!(postings.docs.len(), 200);
        for (_, list) in &postings.terms {
            assert_eq!(list.len(), 200);
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
            let all = Postings::merge(parts);
            bundle::files(
                &analyzer,
                all.docs,
                all.terms,
                all.suffixes.into_iter().collect(),
            )
            .expect("files")
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
