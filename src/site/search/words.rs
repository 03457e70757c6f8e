//! The words an index has seen, each with its number and its term ([`Entry`]): looked up once
//! for every word of every page (5.5 million times a locale on the bench corpus at 10,000 pages,
//! where a locale has some 40,000 distinct words).
//!
//! A word of up to [`SHORT`] bytes, nearly all of them, is its own key: its bytes zero-padded
//! with its length, as three machine words made in registers, hashed as three numbers and
//! compared without `memcmp`. Longer words go to a second table keyed by their text. A short
//! word's entry is kept in 8 bytes, so that a slot of the table (key and entry) is 32.

use std::hash::{Hash, Hasher};

use foldhash::HashMap;

/// The longest word kept in its key.
const SHORT: usize = 23;

/// A word of up to [`SHORT`] bytes, zero-padded, its length in the last byte, as three
/// little-endian machine words.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Short([u64; 3]);

impl Hash for Short {
    fn hash<H: Hasher>(&self, state: &mut H) {
        for part in self.0 {
            state.write_u64(part);
        }
    }
}

impl Short {
    /// `None` for a word longer than [`SHORT`] bytes. Inlined: a key returned through memory
    /// is written in machine words and read back in larger pieces, which stalls as described
    /// below.
    #[inline(always)]
    fn new(word: &str) -> Option<Short> {
        let bytes = word.as_bytes();
        let n = bytes.len();
        if n > SHORT {
            return None;
        }
        // The machine words are put together in registers from reads of a fixed size that
        // overlap, as `memcpy` copies short lengths. Bytes written to memory one piece at a time
        // and read back at once as larger words make the processor wait for the writes to
        // reach its cache (a read is served from pending writes only when one write covers
        // it), and every word of every page is made a key.
        let word_at = |at: usize| {
            let mut eight = [0u8; 8];
            eight.copy_from_slice(&bytes[at..at + 8]);
            u64::from_le_bytes(eight)
        };
        // The last eight bytes, moved down so that byte `from` comes first.
        let tail_from = |from: usize| word_at(n - 8).checked_shr(8 * (from + 8 - n) as u32);
        let mut parts = [0u64; 3];
        if n >= 8 {
            parts[0] = word_at(0);
            if n > 16 {
                parts[1] = word_at(8);
                parts[2] = tail_from(16).unwrap_or(0);
            } else {
                parts[1] = tail_from(8).unwrap_or(0);
            }
        } else if n >= 4 {
            let four = |at: usize| {
                let mut four = [0u8; 4];
                four.copy_from_slice(&bytes[at..at + 4]);
                u64::from(u32::from_le_bytes(four))
            };
            // The two reads overlap where the word is shorter than 8: the same bytes, or'ed.
            parts[0] = four(0) | four(n - 4) << (8 * (n - 4));
        } else if n > 0 {
            let byte = |at: usize| u64::from(bytes[at]) << (8 * at);
            parts[0] = byte(0) | byte(n / 2) | byte(n - 1);
        }
        parts[2] |= (n as u64) << 56;
        Some(Short(parts))
    }

    /// The key's 24 bytes.
    fn bytes(&self) -> [u8; SHORT + 1] {
        let mut bytes = [0u8; SHORT + 1];
        for (to, part) in bytes.chunks_exact_mut(8).zip(self.0) {
            to.copy_from_slice(&part.to_le_bytes());
        }
        bytes
    }

    /// The length byte: the word's length.
    fn length(&self) -> u8 {
        (self.0[2] >> 56) as u8
    }

    /// Calls `f` with the word.
    fn with_str<T>(&self, f: impl FnOnce(&str) -> T) -> T {
        let bytes = self.bytes();
        let len = usize::from(self.length()).min(SHORT);
        // The bytes are those of a `str` of this length (see `new`).
        f(std::str::from_utf8(&bytes[..len]).unwrap_or_default())
    }
}

impl std::fmt::Debug for Short {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.with_str(|word| word.fmt(f))
    }
}

/// What the index keeps of a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Entry {
    /// Its number: words are numbered in the order they were first seen.
    pub id: u32,
    /// Its term (`desactiv`), `None` for a word that is not indexed.
    pub term: Option<u32>,
}

/// An [`Entry`] in 8 bytes: the term [`NO_TERM`] is none.
#[derive(Debug, Clone, Copy)]
struct Packed {
    id: u32,
    term: u32,
}

const NO_TERM: u32 = u32::MAX;

impl From<Entry> for Packed {
    fn from(entry: Entry) -> Packed {
        Packed {
            id: entry.id,
            term: entry.term.unwrap_or(NO_TERM),
        }
    }
}

impl From<Packed> for Entry {
    fn from(packed: Packed) -> Entry {
        Entry {
            id: packed.id,
            term: (packed.term != NO_TERM).then_some(packed.term),
        }
    }
}

/// Every word seen, with its entry.
#[derive(Debug, Default)]
pub(super) struct Words {
    short: HashMap<Short, Packed>,
    long: HashMap<Box<str>, Entry>,
}

impl Words {
    /// The entry of `word`, if it has been seen.
    #[inline(always)]
    pub(super) fn get(&self, word: &str) -> Option<Entry> {
        match Short::new(word) {
            Some(key) => self.short.get(&key).map(|&packed| packed.into()),
            None => self.long.get(word).copied(),
        }
    }

    /// Puts `word` in the table (the caller found it missing).
    pub(super) fn insert(&mut self, word: &str, entry: Entry) {
        match Short::new(word) {
            Some(key) => {
                self.short.insert(key, entry.into());
            }
            None => {
                self.long.insert(word.into(), entry);
            }
        }
    }

    pub(super) fn len(&self) -> usize {
        self.short.len() + self.long.len()
    }

    /// Calls `f` with every word and its entry.
    pub(super) fn each(&self, mut f: impl FnMut(&str, Entry)) {
        for (key, &packed) in &self.short {
            key.with_str(|word| f(word, packed.into()));
        }
        for (word, &entry) in &self.long {
            f(word, entry);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every other word has a term, the last one the largest there is.
    fn entry(id: u32) -> Entry {
        let term = id
            .is_multiple_of(2)
            .then_some(if id == 6 { NO_TERM - 1 } else { id });
        Entry { id, term }
    }

    /// A key made in registers is the word's bytes copied into 24 zeroed bytes with the length
    /// in the last, read as three little-endian words: for every length, at every offset of a
    /// text of one-, two- and three-byte characters.
    #[test]
    fn keys_are_the_bytes_copied() {
        let text = "aé€bçdñ€fghé€ijklmnœpq€rstuvwxyzé€";
        for start in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
            for end in (start..=text.len().min(start + SHORT)).filter(|&i| text.is_char_boundary(i))
            {
                let word = &text[start..end];
                let mut bytes = [0u8; SHORT + 1];
                bytes[..word.len()].copy_from_slice(word.as_bytes());
                bytes[SHORT] = word.len() as u8;
                let mut parts = [0u64; 3];
                for (part, eight) in parts.iter_mut().zip(bytes.chunks_exact(8)) {
                    *part = u64::from_le_bytes(eight.try_into().expect("8 bytes"));
                }
                assert_eq!(Short::new(word).map(|k| k.0), Some(parts), "{word:?}");
            }
        }
    }

    /// Every length a key holds comes back as written, and differs from the others.
    #[test]
    fn keys_hold_their_words_whole() {
        let letters = "abcdefghijklmnopqrstuvwxyz";
        for n in 0..=SHORT {
            let word = &letters[..n];
            let key = Short::new(word);
            assert_eq!(
                key.map(|k| k.with_str(str::to_owned)),
                Some(word.to_owned())
            );
            assert_eq!(key.map(|k| k.length()), Some(n as u8));
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
            assert!(words.get(word).is_none(), "{word:?}");
            words.insert(word, entry(id as u32));
        }
        assert_eq!(words.len(), written.len());
        for (id, word) in written.iter().enumerate() {
            assert_eq!(words.get(word), Some(entry(id as u32)), "{word:?}");
        }
        // A word that starts another, or that another starts, is another word.
        for other in ["b", "a\0", "désactiv", &long[1..], &(long.clone() + "a")] {
            assert!(words.get(other).is_none(), "{other:?}");
        }
        let mut listed: Vec<(String, u32)> = Vec::new();
        words.each(|word, entry| listed.push((word.to_owned(), entry.id)));
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
