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

    /// The words of `text` in order, lowercased, without elided articles: `L’article` gives
    /// `article`.
    pub fn words<'t>(&self, text: &'t str) -> impl Iterator<Item = Cow<'t, str>> + 't {
        let elisions = self.elisions;
        let mut at = 0;
        std::iter::from_fn(move || loop {
            let (start, end) = next_word(text, at)?;
            at = end;
            let (word, after) = (&text[start..end], &text[end..]);
            if !elisions.is_empty() && is_elided(word, after, elisions) {
                continue;
            }
            return Some(lowercase(word));
        })
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

/// Where the next word of `text` from byte `at` starts and ends. ASCII, most of any text, is
/// read byte by byte.
fn next_word(text: &str, mut at: usize) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let char_at = |i: usize| text[i..].chars().next().unwrap_or_default();
    while at < bytes.len() {
        let b = bytes[at];
        if b.is_ascii() {
            if b.is_ascii_alphanumeric() {
                break;
            }
            at += 1;
        } else {
            let c = char_at(at);
            if is_word_char(c) {
                break;
            }
            at += c.len_utf8();
        }
    }
    if at >= bytes.len() {
        return None;
    }
    let start = at;
    while at < bytes.len() {
        let b = bytes[at];
        if b.is_ascii() {
            if !b.is_ascii_alphanumeric() {
                break;
            }
            at += 1;
        } else {
            let c = char_at(at);
            if !is_word_char(c) {
                break;
            }
            at += c.len_utf8();
        }
    }
    Some((start, at))
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
    use super::*;

    fn words(tag: &str, text: &str) -> Vec<String> {
        Analyzer::new(tag)
            .words(text)
            .map(Cow::into_owned)
            .collect()
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
