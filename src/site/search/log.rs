//! The postings of an index as pages add them: a log, page after page, grouped by term only
//! when the index is written.
//!
//! A page has a few hundred terms. Appending each to its term's own list (40,000 lists a
//! locale at 10,000 pages of the bench corpus) wrote to a cold list tail per term and copied
//! the lists as they grew: the largest allocator user of a build. The log is written in
//! order, and [`Log::grouped`] groups it by term in two passes (a count per term, then each
//! posting put in its place), a term's postings in the order the pages are taken: the search
//! files' URL order, so that no term's list needs sorting.

#[cfg(test)]
use super::Posting;

/// What a page leaves in the log for one of its terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Logged {
    pub term: u32,
    pub title: u16,
    pub text: u16,
}

/// Entries a chunk holds (512 KiB): the log grows a chunk at a time, so it is never copied to
/// grow, and parts are merged by moving their chunks.
const CHUNK: usize = 1 << 16;

/// What [`Log::grouped`] does with the log: keeps it (an index whose pages can be replaced is
/// written again) or lets it go as it reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Then {
    Keep,
    Release,
}

/// Every page's terms, in the order the pages were added.
#[derive(Debug, Default)]
#[cfg_attr(test, derive(Clone))]
pub(super) struct Log {
    chunks: Vec<Vec<Logged>>,
    /// How many entries each page has, page by page.
    per_page: Vec<u32>,
}

/// The postings grouped by term: term `t`'s are `postings[starts[t]..starts[t + 1]]`.
#[derive(Debug)]
pub(super) struct Lists<T> {
    postings: Vec<T>,
    starts: Vec<usize>,
}

impl<T> Lists<T> {
    /// The postings of `term`; empty for a term no page has.
    pub fn of(&self, term: usize) -> &[T] {
        match (self.starts.get(term), self.starts.get(term + 1)) {
            (Some(&start), Some(&end)) => &self.postings[start..end],
            _ => &[],
        }
    }
}

impl Log {
    /// Logs a term of the page being added.
    pub fn push(&mut self, entry: Logged) {
        match self.chunks.last_mut() {
            Some(chunk) if chunk.len() < CHUNK => chunk.push(entry),
            _ => {
                let mut chunk = Vec::with_capacity(CHUNK);
                chunk.push(entry);
                self.chunks.push(chunk);
            }
        }
    }

    /// Ends the page being added, which logged `entries` terms.
    pub fn end_page(&mut self, entries: usize) {
        self.per_page
            .push(u32::try_from(entries).unwrap_or(u32::MAX));
    }

    /// Where each page's entries start: (chunk, place in it). Chunks are full but the last of
    /// each merged part, so the places are counted, not computed.
    fn page_starts(&self) -> Vec<(usize, usize)> {
        let mut starts = Vec::with_capacity(self.per_page.len());
        let (mut chunk, mut at) = (0, 0);
        for &n in &self.per_page {
            // Past the end of a chunk that is not the last: on into the next ones.
            while chunk + 1 < self.chunks.len() && at >= self.chunks[chunk].len() {
                at -= self.chunks[chunk].len();
                chunk += 1;
            }
            starts.push((chunk, at));
            at += n as usize;
        }
        starts
    }

    /// Appends `other`'s pages after these, its terms renumbered through `terms` (their number
    /// there to the number here).
    pub fn append(&mut self, mut other: Log, terms: &[u32]) {
        for chunk in &mut other.chunks {
            for entry in chunk.iter_mut() {
                entry.term = terms[entry.term as usize];
            }
        }
        // Our last chunk may stay part full: `page_starts` counts each page's place chunk by
        // chunk.
        self.chunks.append(&mut other.chunks);
        self.per_page.append(&mut other.per_page);
    }

    /// Keeps the pages `keep` says yes to (by their number), in order.
    pub fn retain_pages(&mut self, keep: impl Fn(usize) -> bool) {
        let old = std::mem::take(self);
        let mut entries = old.chunks.iter().flatten();
        for (page, &n) in old.per_page.iter().enumerate() {
            let page_entries = entries.by_ref().take(n as usize);
            if keep(page) {
                for &entry in page_entries {
                    self.push(entry);
                }
                self.end_page(n as usize);
            } else {
                page_entries.for_each(drop);
            }
        }
    }

    /// The postings grouped by term, for `terms` terms (every entry's term is below it): the
    /// pages taken in `order` (each page once), each posting made by `make` from the place of
    /// its page in `order` and its entry. With [`Then::Release`], each chunk is let go once
    /// its entries are placed and the log is left empty: a build's log is as large as the
    /// lists (26 MB each a locale at 10,000 pages of the bench corpus), and is not needed once
    /// they are made.
    pub fn grouped<T: Copy + Default>(
        &mut self,
        terms: usize,
        order: &[u32],
        make: impl Fn(u32, &Logged) -> T,
        then: Then,
    ) -> Lists<T> {
        let mut starts = vec![0usize; terms + 1];
        for entry in self.chunks.iter().flatten() {
            starts[entry.term as usize + 1] += 1;
        }
        for t in 1..starts.len() {
            starts[t] += starts[t - 1];
        }
        let mut next = starts.clone();
        let mut postings = vec![T::default(); starts[terms]];
        let pages = self.page_starts();
        // Entries not placed yet, chunk by chunk.
        let mut left: Vec<usize> = self.chunks.iter().map(Vec::len).collect();
        for (place, &page) in (0u32..).zip(order) {
            let page = page as usize;
            let (Some(&(mut chunk, mut at)), Some(&n)) = (pages.get(page), self.per_page.get(page))
            else {
                continue;
            };
            let mut n = n as usize;
            // A page's entries can go on into the next chunks.
            while n > 0 && chunk < self.chunks.len() {
                let here = self.chunks[chunk].get(at..).unwrap_or_default();
                let here = &here[..n.min(here.len())];
                for entry in here {
                    let slot = &mut next[entry.term as usize];
                    postings[*slot] = make(place, entry);
                    *slot += 1;
                }
                n -= here.len();
                left[chunk] -= here.len();
                if then == Then::Release && left[chunk] == 0 {
                    self.chunks[chunk] = Vec::new();
                }
                (chunk, at) = (chunk + 1, 0);
            }
        }
        if then == Then::Release {
            *self = Log::default();
        }
        Lists { postings, starts }
    }

    /// The postings grouped by term, in the order the pages were added.
    #[cfg(test)]
    pub fn lists(&self, terms: usize) -> Lists<Posting> {
        let order: Vec<u32> = (0u32..).take(self.per_page.len()).collect();
        self.clone().grouped(
            terms,
            &order,
            |doc, entry| Posting {
                doc,
                title: entry.title,
                text: entry.text,
            },
            Then::Keep,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn logged(term: u32, text: u16) -> Logged {
        Logged {
            term,
            title: 0,
            text,
        }
    }

    fn log_of(pages: &[&[(u32, u16)]]) -> Log {
        let mut log = Log::default();
        for page in pages {
            for &(term, text) in *page {
                log.push(logged(term, text));
            }
            log.end_page(page.len());
        }
        log
    }

    fn posting(doc: u32, text: u16) -> Posting {
        Posting {
            doc,
            title: 0,
            text,
        }
    }

    #[test]
    fn grouped_by_term_in_page_order() {
        let log = log_of(&[&[(2, 1), (0, 3)], &[], &[(0, 1), (1, 2), (2, 5)]]);
        let lists = log.lists(4);
        assert_eq!(lists.of(0), [posting(0, 3), posting(2, 1)]);
        assert_eq!(lists.of(1), [posting(2, 2)]);
        assert_eq!(lists.of(2), [posting(0, 1), posting(2, 5)]);
        assert!(lists.of(3).is_empty());
        assert!(lists.of(4).is_empty());
        assert_eq!(log.per_page.len(), 3);
    }

    #[test]
    fn pages_over_chunks() {
        // Pages of three entries, so that pages straddle the chunks' ends.
        let mut log = Log::default();
        let pages = CHUNK + 7;
        for page in 0..pages {
            for term in 0..3u32 {
                log.push(logged(term, (page % 1000) as u16));
            }
            log.end_page(3);
        }
        assert!(log.chunks.len() > 3);
        let lists = log.lists(3);
        for term in 0..3 {
            let list = lists.of(term);
            assert_eq!(list.len(), pages);
            assert!(list
                .iter()
                .enumerate()
                .all(|(i, p)| p.doc == i as u32 && p.text == (i % 1000) as u16));
        }
    }

    #[test]
    fn appended_pages_follow_with_their_terms_renumbered() {
        let mut first = log_of(&[&[(0, 1)]]);
        let second = log_of(&[&[(0, 2), (1, 3)], &[(1, 4)]]);
        // Their term 0 is our 1, their 1 our 2.
        first.append(second, &[1, 2]);
        let lists = first.lists(3);
        assert_eq!(lists.of(0), [posting(0, 1)]);
        assert_eq!(lists.of(1), [posting(1, 2)]);
        assert_eq!(lists.of(2), [posting(1, 3), posting(2, 4)]);
    }

    #[test]
    fn grouped_in_the_order_the_pages_are_taken() {
        let mut log = log_of(&[&[(0, 1), (1, 1)], &[(0, 2)], &[(0, 3), (1, 3)]]);
        let lists = log.grouped(
            2,
            &[2, 0, 1],
            |place, entry| (place, entry.text),
            Then::Keep,
        );
        assert_eq!(lists.of(0), [(0, 3), (1, 1), (2, 2)]);
        assert_eq!(lists.of(1), [(0, 3), (1, 1)]);
    }

    #[test]
    fn pages_found_over_part_full_chunks() {
        // Two parts whose last chunks are part full, appended: a page's entries may start in
        // one and go on in the next chunk.
        let part = |pages: usize, text: u16| {
            let mut log = Log::default();
            for _ in 0..pages {
                for term in 0..3u32 {
                    log.push(logged(term, text));
                }
                log.end_page(3);
            }
            log
        };
        let mut log = part(CHUNK / 3 + 5, 1);
        log.append(part(CHUNK / 3 + 9, 2), &[0, 1, 2]);
        log.append(part(4, 3), &[0, 1, 2]);
        let pages = 2 * (CHUNK / 3) + 18;
        let order: Vec<u32> = (0..pages as u32).rev().collect();
        let kept = log.grouped(3, &order, |place, entry| (place, entry.text), Then::Keep);
        let lists = log.grouped(3, &order, |place, entry| (place, entry.text), Then::Release);
        assert!(log.chunks.is_empty() && log.per_page.is_empty());
        for term in 0..3 {
            assert_eq!(kept.of(term), lists.of(term));
            let list = lists.of(term);
            assert_eq!(list.len(), pages);
            // Taken backwards: the last part's pages first.
            assert!(list[..4].iter().all(|&(_, text)| text == 3));
            assert!(list[4..CHUNK / 3 + 13].iter().all(|&(_, text)| text == 2));
            assert!(list[CHUNK / 3 + 13..].iter().all(|&(_, text)| text == 1));
            assert!(list
                .iter()
                .enumerate()
                .all(|(i, &(place, _))| place == i as u32));
        }
    }

    #[test]
    fn released_as_read_the_same_as_kept() {
        // Pages over chunks taken in an order that ends a chunk's pages before the next
        // chunk's (every other page, then the rest), so that chunks go while others are read.
        let mut log = Log::default();
        let pages = 2 * CHUNK + 11;
        for page in 0..pages {
            let terms = (page % 3) as u32 + 1;
            for term in 0..terms {
                log.push(logged(term, (page % 997) as u16));
            }
            log.end_page(terms as usize);
        }
        let order: Vec<u32> = (0..pages as u32)
            .step_by(2)
            .chain((1..pages as u32).step_by(2))
            .collect();
        let make = |place, entry: &Logged| (place, entry.text);
        let kept = log.grouped(3, &order, make, Then::Keep);
        assert_eq!(log.per_page.len(), pages);
        let released = log.grouped(3, &order, make, Then::Release);
        assert!(log.chunks.is_empty() && log.per_page.is_empty());
        for term in 0..3 {
            assert!(!kept.of(term).is_empty());
            assert_eq!(kept.of(term), released.of(term));
        }
        // An emptied log groups to nothing.
        assert!(log.grouped(3, &order, make, Then::Release).of(0).is_empty());
    }

    #[test]
    fn pages_dropped_and_numbered_again() {
        let mut log = log_of(&[&[(0, 1)], &[(0, 2), (1, 2)], &[(1, 3)]]);
        log.retain_pages(|page| page != 1);
        assert_eq!(log.per_page.len(), 2);
        let lists = log.lists(2);
        assert_eq!(lists.of(0), [posting(0, 1)]);
        assert_eq!(lists.of(1), [posting(1, 3)]);
    }
}
