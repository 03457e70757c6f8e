//! How text becomes index terms. `static/search.js` does the same to the reader's query, so the
//! two must agree; the rules are few on purpose:
//!
//! - a word is a run of letters, digits and combining marks; anything else separates words;
//! - an elided article or preposition before an apostrophe (`l’`, `qu'`, `dell’`) is left out;
//! - words are lowercased and *folded*: accents go (`é` -> `e`), `œ` becomes `oe`;
//! - a word's term is its Snowball stem, folded. Where the stem is not the start of the folded
//!   word (English `happy` -> `happi`), the term is the part they share, so that every term is
//!   the start of each word it stands for. The browser, which has no stemmer, relies on that: a
//!   query word finds the terms it starts with.

use std::borrow::Cow;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Words shorter than this, in characters after folding, are not indexed (`a`, `l`, `3`).
pub const MIN_WORD: usize = 2;
/// Longer words are ids, hashes or data, not something a reader types.
pub const MAX_WORD: usize = 40;
/// A stem shorter than this stands for too many words; the whole word is the term instead.
pub const MIN_STEM: usize = 3;
/// The longest ending (what a word has after its term) that the manifest lists for queries.
pub const MAX_SUFFIX: usize = 8;

/// The words that French loses before a vowel (`l’article`, `qu’il`, `jusqu’à`).
const FRENCH_ELISIONS: &[&str] = &[
    "c", "d", "j", "jusqu", "l", "lorsqu", "m", "n", "puisqu", "qu", "quoiqu", "s", "t",
];
/// The same for Italian (`l’utente`, `dell’articolo`, `un’opzione`).
const ITALIAN_ELISIONS: &[&str] = &[
    "all", "bell", "buon", "c", "coll", "d", "dall", "dell", "l", "m", "nell", "nessun", "pell",
    "quell", "quest", "s", "sant", "sull", "t", "un", "v",
];

/// The analysis of one language: its stemmer, if Snowball has one we use, and its elisions.
pub struct Analyzer {
    /// The primary language subtag: `fr` for `fr-CA`.
    language: String,
    stemmer: Option<Stemmer>,
    elisions: &'static [&'static str],
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer")
            .field("language", &self.language)
            .field("stemmer", &self.stemmer.is_some())
            .finish_non_exhaustive()
    }
}

impl Analyzer {
    /// The analysis for a BCP 47 tag (`fr`, `nl-BE`). Dutch, English, French and Italian are
    /// stemmed; other languages are indexed word for word.
    pub fn new(tag: &str) -> Analyzer {
        let language = tag
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let (algorithm, elisions) = match language.as_str() {
            "nl" => (Some(Algorithm::Dutch), &[][..]),
            "en" => (Some(Algorithm::English), &[][..]),
            "fr" => (Some(Algorithm::French), FRENCH_ELISIONS),
            "it" => (Some(Algorithm::Italian), ITALIAN_ELISIONS),
            _ => (None, &[][..]),
        };
        Analyzer {
            language,
            stemmer: algorithm.map(Stemmer::create),
            elisions,
        }
    }

    pub fn language(&self) -> &str {
        &self.language
    }

    /// Folded words that are left out before an apostrophe.
    pub fn elisions(&self) -> &'static [&'static str] {
        self.elisions
    }

    /// Calls `each` with the words of `text` in order, lowercased, without elided articles
    /// (`L’article` gives `article`), and whether each is all ASCII digits.
    pub fn each_word(&self, text: &str, mut each: impl FnMut(&str, bool)) {
        let elisions = self.elisions;
        // Words with capitals are lowercased into this, not each into a new string.
        let mut lower = String::new();
        let mut at = 0;
        while let Some(found) = next_word(text, at) {
            at = found.end;
            let word = &text[found.start..found.end];
            // Only a word followed by an apostrophe (`'`, or `’`, `‘`, `ʼ`, whose UTF-8 starts
            // with 0xE2 or 0xCA) can be elided: the others are not looked at again.
            let apostrophe = matches!(text.as_bytes().get(found.end), Some(b'\'' | 0xE2 | 0xCA));
            if apostrophe && !elisions.is_empty() && is_elided(word, &text[found.end..], elisions) {
                continue;
            }
            if !found.upper {
                each(word, found.digits);
                continue;
            }
            lower.clear();
            if found.ascii {
                lower.push_str(word);
                lower.make_ascii_lowercase();
            } else {
                // As `str::to_lowercase` (and JavaScript) do it: a final `Σ` becomes `ς`.
                lower.push_str(&word.to_lowercase());
            }
            each(&lower, found.digits);
        }
    }

    /// The index term of a lowercase word, or `None` for a word that is not indexed.
    pub fn term(&self, word: &str) -> Option<String> {
        let plain = fold(word);
        let length = plain.chars().count();
        if !(MIN_WORD..=MAX_WORD).contains(&length) {
            return None;
        }
        let Some(stemmer) = &self.stemmer else {
            return Some(plain.into_owned());
        };
        // Snowball expects composed characters (`é`, not `e` and a combining accent).
        let composed: Cow<'_, str> = if word.is_ascii() {
            Cow::Borrowed(word)
        } else {
            Cow::Owned(word.nfc().collect())
        };
        let stem = stemmer.stem(&composed);
        let stem = fold(&stem);
        let shared = common_prefix(&plain, &stem);
        if shared.chars().count() >= MIN_STEM.min(length) {
            Some(shared.to_owned())
        } else {
            Some(plain.into_owned())
        }
    }
}

/// A word of a text: where it is, and what it holds, noted as it was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Found {
    start: usize,
    end: usize,
    /// All ASCII.
    ascii: bool,
    /// Has an uppercase letter.
    upper: bool,
    /// All ASCII digits.
    digits: bool,
}

/// What the word reader needs to know of each byte, one table lookup a byte (the tests of
/// `u8`'s methods, each byte, cost twice as much).
const LETTER: u8 = 1;
const DIGIT: u8 = 2;
const UPPER: u8 = 4;
/// Not ASCII: the character is decoded.
const OTHER: u8 = 8;

static CLASS: [u8; 256] = {
    let mut class = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        class[b] = if c.is_ascii_digit() {
            DIGIT
        } else if c.is_ascii_lowercase() {
            LETTER
        } else if c.is_ascii_uppercase() {
            LETTER | UPPER
        } else if !c.is_ascii() {
            OTHER
        } else {
            0
        };
        b += 1;
    }
    class
};

/// The Latin-1 letter (`é`, `À`, `ç`) whose UTF-8 is `0xC3` and `second`, and whether it is
/// uppercase; `None` for `×` and `÷`, the two characters from U+00C0 to U+00FF that are not
/// letters. French, Italian and Dutch accents are almost all here, read without decoding.
fn latin1_letter(second: u8) -> Option<bool> {
    let c = 0xC0 | (second & 0x3F);
    match c {
        0xD7 | 0xF7 => None,
        _ => Some(c < 0xDF),
    }
}

/// The next word of `text` from byte `at`. ASCII, most of any text, is read byte by byte.
fn next_word(text: &str, mut at: usize) -> Option<Found> {
    let bytes = text.as_bytes();
    let char_at = |i: usize| text[i..].chars().next().unwrap_or_default();
    loop {
        let b = *bytes.get(at)?;
        let class = CLASS[usize::from(b)];
        if class & (LETTER | DIGIT) != 0 {
            break;
        }
        if b == 0xC3 {
            if latin1_letter(bytes.get(at + 1).copied().unwrap_or_default()).is_some() {
                break;
            }
            at += 2;
        } else if class == OTHER {
            let c = char_at(at);
            if is_word_char(c) {
                break;
            }
            at += c.len_utf8();
        } else {
            at += 1;
        }
    }
    let start = at;
    // Every class seen, and whether a character beyond ASCII was an uppercase letter.
    let (mut seen, mut upper) = (0u8, false);
    while let Some(&b) = bytes.get(at) {
        let class = CLASS[usize::from(b)];
        if class & (LETTER | DIGIT) != 0 {
            seen |= class;
            at += 1;
        } else if b == 0xC3 {
            let Some(capital) = latin1_letter(bytes.get(at + 1).copied().unwrap_or_default())
            else {
                break;
            };
            seen |= OTHER;
            upper |= capital;
            at += 2;
        } else if class == OTHER {
            let c = char_at(at);
            if !is_word_char(c) {
                break;
            }
            seen |= OTHER;
            upper |= c.is_uppercase();
            at += c.len_utf8();
        } else {
            break;
        }
    }
    Some(Found {
        start,
        end: at,
        ascii: seen & OTHER == 0,
        upper: upper || seen & UPPER != 0,
        digits: seen & (LETTER | OTHER) == 0,
    })
}

/// Letters, digits and combining marks; the modifier letter apostrophe `ʼ` is an apostrophe.
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c != 'ʼ' && (c.is_alphanumeric() || is_combining_mark(c))
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ' | '‘')
}

/// Whether `word`, followed by `after`, is an elided article: an apostrophe comes next, then a
/// letter, and the word is one of `elisions`.
fn is_elided(word: &str, after: &str, elisions: &[&str]) -> bool {
    let mut next = after.chars();
    let (Some(apostrophe), Some(letter)) = (next.next(), next.next()) else {
        return false;
    };
    is_apostrophe(apostrophe)
        && is_word_char(letter)
        && word.chars().count() <= 6
        && elisions.contains(&fold(&lowercase(word)).as_ref())
}

fn lowercase(word: &str) -> Cow<'_, str> {
    if word.is_ascii() {
        if word.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(word.to_ascii_lowercase())
        } else {
            Cow::Borrowed(word)
        }
    } else if word.chars().any(char::is_uppercase) {
        Cow::Owned(word.to_lowercase())
    } else {
        Cow::Borrowed(word)
    }
}

/// A lowercase word without its accents: decomposed, combining marks removed, and the letters
/// that do not decompose spelled out (`œ` -> `oe`, `ß` -> `ss`, `ø` -> `o`).
pub fn fold(word: &str) -> Cow<'_, str> {
    if word.is_ascii() {
        return Cow::Borrowed(word);
    }
    let mut folded = String::with_capacity(word.len());
    for c in word.nfd().filter(|c| !is_combining_mark(*c)) {
        match c {
            'œ' => folded.push_str("oe"),
            'æ' => folded.push_str("ae"),
            'ß' => folded.push_str("ss"),
            'ø' => folded.push('o'),
            'ł' => folded.push('l'),
            'đ' => folded.push('d'),
            'ı' => folded.push('i'),
            c => folded.push(c),
        }
    }
    Cow::Owned(folded)
}

/// The longest start `a` and `b` share, as a slice of `a`.
fn common_prefix<'a>(a: &'a str, b: &str) -> &'a str {
    let end = a
        .char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map_or_else(|| a.len().min(b.len()), |((i, _), _)| i);
    &a[..end]
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn words(tag: &str, text: &str) -> Vec<String> {
        let mut words = Vec::new();
        Analyzer::new(tag).each_word(text, |word, digits| {
            assert_eq!(digits, word.bytes().all(|b| b.is_ascii_digit()), "{word}");
            words.push(word.to_owned());
        });
        words
    }

    /// The next word as the characters' own tests find it, for [`next_word`]'s byte table.
    fn next_word_by_chars(text: &str, at: usize) -> Option<Found> {
        let (start, _) = text[at..]
            .char_indices()
            .find(|&(_, c)| is_word_char(c))
            .map(|(i, c)| (at + i, c))?;
        let end = text[start..]
            .char_indices()
            .find(|&(_, c)| !is_word_char(c))
            .map_or(text.len(), |(i, _)| start + i);
        let word = &text[start..end];
        Some(Found {
            start,
            end,
            ascii: word.is_ascii(),
            upper: word.chars().any(char::is_uppercase),
            digits: word.bytes().all(|b| b.is_ascii_digit()),
        })
    }

    /// Every word of the seeds, the known-issues fixtures and some harder text is found where
    /// the characters' own tests find it, with the same flags.
    #[test]
    fn the_byte_table_reads_words_as_the_characters_do() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts: Vec<String> = ["content", "tests/fixtures/known-issues"]
            .iter()
            .flat_map(|dir| walkdir::WalkDir::new(root.join(dir)))
            .filter_map(|entry| entry.ok())
            .filter(|entry| entry.path().extension().is_some_and(|e| e == "md"))
            .filter_map(|entry| std::fs::read_to_string(entry.path()).ok())
            .collect();
        assert!(texts.len() > 10, "{} texts", texts.len());
        texts.extend(
            [
                "ÉTAT état Straße İstanbul ΣΊΣΥΦΟΣ 2646 x86_64 v1.2 12ab ab12 Ab",
                "e\u{301}t\u{e9} l’intégration dell'utente naïve Œuvre ŒUVRE 日本語 😀x ʼa",
                "\u{0}\u{7f}\u{80}\u{a0}\u{200b}a\u{200b}b 0x7F A-Z a_z ~9~",
                "",
                "   ",
                "ﬁn Ǆemal ᾼ",
                "×÷ ÀÞßÿ Ö×Ü a÷b ÉÈÊËéèêë àâäçîïôöùûüÿœæ ÆŒ",
            ]
            .map(str::to_owned),
        );
        for text in &texts {
            let mut at = 0;
            loop {
                let found = next_word(text, at);
                assert_eq!(found, next_word_by_chars(text, at), "at {at} of {text:?}");
                let Some(found) = found else {
                    break;
                };
                at = found.end;
            }
        }
    }

    #[test]
    fn words_are_runs_of_letters_and_digits() {
        for (text, expected) in [
            (
                "Dépannage : erreur outlookIdentityToken (Microsoft 365)",
                &[
                    "dépannage",
                    "erreur",
                    "outlookidentitytoken",
                    "microsoft",
                    "365",
                ][..],
            ),
            ("e-mail, v2.1_beta", &["e", "mail", "v2", "1", "beta"]),
            ("ÉTAT\u{a0}déjà…ok", &["état", "déjà", "ok"]),
            // A decomposed accent stays in its word.
            ("de\u{301}sactive\u{301}", &["de\u{301}sactive\u{301}"]),
            ("", &[]),
        ] {
            assert_eq!(words("fr", text), expected, "{text}");
        }
    }

    #[test]
    fn elided_articles_are_left_out() {
        for (tag, text, expected) in [
            ("fr", "l'article", &["article"][..]),
            ("fr", "L’intégration d’Outlook", &["intégration", "outlook"]),
            ("fr", "jusqu’en octobre, qu’il", &["en", "octobre", "il"]),
            ("fr", "lorsqu'il s’affiche", &["il", "affiche"]),
            ("it", "dell’utente e l'opzione", &["utente", "e", "opzione"]),
            ("it", "un’altra nell'area", &["altra", "area"]),
            // Every apostrophe: the left quote and the modifier letter too.
            ("fr", "l‘article dʼOutlook", &["article", "outlook"]),
            // Not an elision: no letter after the apostrophe, or not an elided word.
            ("fr", "l' article", &["l", "article"]),
            ("fr", "aujourd’hui", &["aujourd", "hui"]),
            // Only French and Italian elide.
            ("en", "l'article", &["l", "article"]),
            ("nl", "auto’s", &["auto", "s"]),
        ] {
            assert_eq!(words(tag, text), expected, "{tag} {text}");
        }
    }

    #[test]
    fn folding_removes_accents() {
        for (word, expected) in [
            ("désactivés", "desactives"),
            ("de\u{301}sactive\u{301}", "desactive"),
            ("œuvre", "oeuvre"),
            ("perché", "perche"),
            ("geïnstalleerd", "geinstalleerd"),
            ("straße", "strasse"),
            ("token", "token"),
        ] {
            assert_eq!(fold(word), expected, "{word}");
        }
    }

    #[test]
    fn terms_are_folded_stems_that_start_their_words() {
        for (tag, word, expected) in [
            // The forms of the French seed all share one term, and so does the form a reader
            // types: search.js matches "desactivation" to it because the term starts the word.
            ("fr", "désactiver", Some("desactiv")),
            ("fr", "désactivé", Some("desactiv")),
            ("fr", "désactivés", Some("desactiv")),
            ("fr", "désactivation", Some("desactiv")),
            ("fr", "jetons", Some("jeton")),
            ("it", "disattivazione", Some("disattiv")),
            ("it", "disattivati", Some("disattiv")),
            ("nl", "uitgeschakeld", Some("uitgeschakeld")),
            ("nl", "tokens", Some("token")),
            ("en", "tokens", Some("token")),
            // English turns y into i: the term is what stem and word share.
            ("en", "happy", Some("happ")),
            // A stem that would be too short: the word itself.
            ("fr", "des", Some("des")),
            // No stemmer: the folded word.
            ("de", "Überprüfung", Some("uberprufung")),
            ("pt", "ações", Some("acoes")),
            // Too short, too long.
            ("fr", "l", None),
            ("fr", &"a".repeat(MAX_WORD + 1), None),
            ("fr", "365", Some("365")),
        ] {
            assert_eq!(
                Analyzer::new(tag).term(&word.to_lowercase()).as_deref(),
                expected,
                "{tag} {word}"
            );
        }
    }

    #[test]
    fn languages_come_from_the_primary_subtag() {
        assert_eq!(Analyzer::new("fr-CA").language(), "fr");
        assert_eq!(Analyzer::new("NL_be").language(), "nl");
        assert!(Analyzer::new("fr").elisions().contains(&"qu"));
        assert!(Analyzer::new("nl").elisions().is_empty());
    }

    #[test]
    fn common_prefixes() {
        assert_eq!(common_prefix("happy", "happi"), "happ");
        assert_eq!(common_prefix("desactiv", "desactivation"), "desactiv");
        assert_eq!(common_prefix("abc", "ab"), "ab");
        assert_eq!(common_prefix("éa", "éb"), "é");
        assert_eq!(common_prefix("x", "y"), "");
    }
}
