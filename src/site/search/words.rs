//! The words an index has seen, each with its counters ([`Word`]): looked up once for every
//! word of every page (5.5 million times a locale on the bench corpus at 10,000 pages, where a
//! locale has some 40,000 distinct words).
//!
//! A word of up to [`SHORT`] bytes, nearly all of them, is its own key, held in the table's
//! slot with its length and compared as a fixed 24 bytes: no call to `memcmp`, no branch on
//! where a string keeps its bytes, and one cache line a lookup. Longer words go to a second
//! table keyed by their text.

use std::hash::{Hash, Hasher};

use foldhash::HashMap;

use super::Word;

/// The longest word kept in its key.
const SHORT: usize = 23;

/// A word of up to [`SHORT`] bytes, zero-padded, its length in the last byte.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Short([u8; SHORT + 1]);

impl Short {
    fn new(word: &str) -> Option<Short> {
        let bytes = word.as_bytes();
        let len = u8::try_from(bytes.len())
            .ok()
            .filter(|&n| usize::from(n) <= SHORT)?;
        let n = bytes.len();
        let mut key = [0u8; SHORT + 1];
        // Copied in pieces of a fixed size that overlap, as `memcpy` does short lengths, but
        // without the call to it: every word of every page is made a key to look it up.
        if n >= 8 {
            key[..8].copy_from_slice(&bytes[..8]);
            if n > 16 {
                key[8..16].copy_from_slice(&bytes[8..16]);
            }
            key[n - 8..n].copy_from_slice(&bytes[n - 8..]);
        } else if n >= 4 {
            key[..4].copy_from_slice(&bytes[..4]);
            key[n - 4..n].copy_from_slice(&bytes[n - 4..]);
        } else if n > 0 {
            key[0] = bytes[0];
            key[n / 2] = bytes[n / 2];
            key[n - 1] = bytes[n - 1];
        }
        key[SHORT] = len;
        Some(Short(key))
    }

    fn as_str(&self) -> &str {
        let len = usize::from(self.0[SHORT]).min(SHORT);
        // The bytes are those of a `str` of this length (see `new`).
        std::str::from_utf8(&self.0[..len]).unwrap_or_default()
    }

    /// The key as three machine words.
    fn parts(&self) -> [u64; 3] {
        let part = |at: usize| {
            let mut bytes = [0u8; 8];
            bytes.copy_from_slice(&self.0[at..at + 8]);
            u64::from_le_bytes(bytes)
        };
        [part(0), part(8), part(16)]
    }
}

impl Hash for Short {
    fn hash<H: Hasher>(&self, state: &mut H) {
        for part in self.parts() {
            state.write_u64(part);
        }
    }
}

impl std::fmt::Debug for Short {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

/// Every word seen, with its counters.
#[derive(Debug, Default)]
pub(super) struct Words {
    short: HashMap<Short, Word>,
    long: HashMap<Box<str>, Word>,
}

impl Words {
    pub(super) fn get_mut(&mut self, word: &str) -> Option<&mut Word> {
        match Short::new(word) {
            Some(key) => self.short.get_mut(&key),
            None => self.long.get_mut(word),
        }
    }

    /// Puts `word` in the table (the caller found it missing).
    pub(super) fn insert(&mut self, word: &str, counters: Word) {
        match Short::new(word) {
            Some(key) => self.short.insert(key, counters),
            None => self.long.insert(word.into(), counters),
        };
    }

    pub(super) fn len(&self) -> usize {
        self.short.len() + self.long.len()
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = (&str, &Word)> {
        let short = self.short.iter().map(|(key, word)| (key.as_str(), word));
        short.chain(self.long.iter().map(|(key, word)| (&**key, word)))
    }

    pub(super) fn values_mut(&mut self) -> impl Iterator<Item = &mut Word> {
        self.short.values_mut().chain(self.long.values_mut())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counters(id: u32) -> Word {
        Word {
            id,
            term: None,
            pages: 0,
            last_page: 0,
        }
    }

    /// Every length a key holds comes back as written, and differs from the others.
    #[test]
    fn keys_hold_their_words_whole() {
        let letters = "abcdefghijklmnopqrstuvwxyz";
        for n in 0..=SHORT {
            let word = &letters[..n];
            let key = Short::new(word);
            assert_eq!(key.map(|k| k.as_str().to_owned()), Some(word.to_owned()));
            if n > 0 {
                assert_ne!(key, Short::new(&letters[1..=n]), "{word:?}");
            }
        }
        assert_eq!(Short::new(&letters[..=SHORT]), None);
    }

    #[test]
    fn words_short_and_long_are_found_by_their_text_only() {
        let mut words = Words::default();
        let long = "a".repeat(SHORT + 1);
        let longest_short = "é".repeat(11) + "x";
        let written = ["", "a", "ab", "désactivé", &longest_short, &long, "b\0"];
        for (id, word) in written.iter().enumerate() {
            assert!(words.get_mut(word).is_none(), "{word:?}");
            words.insert(word, counters(id as u32));
        }
        assert_eq!(words.len(), written.len());
        for (id, word) in written.iter().enumerate() {
            assert_eq!(
                words.get_mut(word).map(|w| w.id),
                Some(id as u32),
                "{word:?}"
            );
        }
        // A word that starts another, or that another starts, is another word.
        for other in ["b", "a\0", "désactiv", &long[1..], &(long.clone() + "a")] {
            assert!(words.get_mut(other).is_none(), "{other:?}");
        }
        let mut listed: Vec<(String, u32)> = words
            .iter()
            .map(|(word, counters)| (word.to_owned(), counters.id))
            .collect();
        listed.sort_by_key(|(_, id)| *id);
        let expected: Vec<(String, u32)> = written
            .iter()
            .enumerate()
            .map(|(id, word)| ((*word).to_owned(), id as u32))
            .collect();
        assert_eq!(listed, expected);
        assert_eq!(longest_short.len(), SHORT);
    }
}
