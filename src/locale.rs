//! A locale's code (`nl`, `fr`, `pt-br`): the name of its content folder and the first segment of
//! its URLs. One type for it, so a locale code is never mixed up with a path or a title, and
//! cloning one (every article carries its locale's) shares the text instead of copying it.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// A locale code, as `tolk.toml` names it (`[[locales]] code = "nl"`).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct LocaleCode(Arc<str>);

impl LocaleCode {
    pub fn new(code: &str) -> LocaleCode {
        LocaleCode(Arc::from(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for LocaleCode {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for LocaleCode {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for LocaleCode {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl AsRef<std::path::Path> for LocaleCode {
    fn as_ref(&self) -> &std::path::Path {
        std::path::Path::new(&*self.0)
    }
}

impl fmt::Display for LocaleCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for LocaleCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl From<&str> for LocaleCode {
    fn from(code: &str) -> LocaleCode {
        LocaleCode::new(code)
    }
}

impl From<String> for LocaleCode {
    fn from(code: String) -> LocaleCode {
        LocaleCode(Arc::from(code))
    }
}

impl From<&LocaleCode> for LocaleCode {
    fn from(code: &LocaleCode) -> LocaleCode {
        code.clone()
    }
}

impl From<&LocaleCode> for String {
    fn from(code: &LocaleCode) -> String {
        code.0.to_string()
    }
}

impl PartialEq<str> for LocaleCode {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for LocaleCode {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for LocaleCode {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<LocaleCode> for str {
    fn eq(&self, other: &LocaleCode) -> bool {
        self == &*other.0
    }
}

impl PartialEq<LocaleCode> for &str {
    fn eq(&self, other: &LocaleCode) -> bool {
        *self == &*other.0
    }
}

impl PartialEq<LocaleCode> for String {
    fn eq(&self, other: &LocaleCode) -> bool {
        **self == *other.0
    }
}

impl serde::Serialize for LocaleCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compares_with_text_both_ways_and_shares_its_text() {
        let nl = LocaleCode::new("nl");
        let text: &str = "nl";
        let owned = String::from("nl");
        assert_eq!(nl, text);
        assert_eq!(text, nl);
        assert_eq!(nl, owned);
        assert_eq!(owned, nl);
        assert_ne!(nl, "fr");
        let fr = LocaleCode::new("fr");
        assert!(fr < nl, "ordered as text");
        let copy = nl.clone();
        assert!(std::ptr::eq(copy.as_str(), nl.as_str()));
        assert_eq!(format!("{nl}/a/{:?}", copy), "nl/a/\"nl\"");
        let map: std::collections::HashMap<LocaleCode, u8> = [(nl, 1)].into();
        assert_eq!(map.get("nl"), Some(&1));
    }
}
