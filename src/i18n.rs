//! UI strings from Fluent files (`locales/<locale>/*.ftl`): "On this page", callout labels...
//!
//! The built-in messages of a locale are the base; the site's own `.ftl` files of the locale
//! override them message by message. Every locale gets a complete table: a message missing in
//! one locale is a warning naming the locale and the message id, and the fallback locale's text
//! (the source, else English) fills in. A locale with no strings at all is one warning.

use std::collections::{BTreeMap, BTreeSet};

use fluent::concurrent::FluentBundle;
use fluent::{FluentArgs, FluentResource};
use unic_langid::LanguageIdentifier;

use crate::error::{Error, Result, SourceError, SourceErrorKind, Warning};
use crate::theme::Theme;

/// The UI strings of every locale of a site.
pub struct Strings {
    bundles: BTreeMap<String, FluentBundle<FluentResource>>,
    /// For each locale, the locale whose bundle answers each message id.
    fallback: String,
}

impl std::fmt::Debug for Strings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Strings")
            .field("locales", &self.bundles.keys().collect::<Vec<_>>())
            .field("fallback", &self.fallback)
            .finish()
    }
}

impl Strings {
    /// Loads the `.ftl` files of `locales` from the theme. `fallback` fills in missing messages.
    pub fn load(
        theme: &Theme,
        locales: &[&str],
        fallback: &str,
        warnings: &mut Vec<Warning>,
    ) -> Result<Strings> {
        let mut bundles = BTreeMap::new();
        let mut wanted: Vec<&str> = locales.to_vec();
        if !wanted.contains(&fallback) {
            wanted.push(fallback);
        }
        if !wanted.contains(&"en") {
            wanted.push("en");
        }
        let mut errors = Vec::new();
        for code in wanted {
            let files = theme.locale_files(code);
            if files.is_empty() {
                continue;
            }
            let lang: LanguageIdentifier = code.parse().unwrap_or_default();
            let mut bundle = FluentBundle::new_concurrent(vec![lang]);
            bundle.set_use_isolating(false);
            for (name, text) in files {
                let resource = match FluentResource::try_new(text.clone()) {
                    Ok(r) => r,
                    Err((_, parse_errors)) => {
                        for e in parse_errors {
                            errors.push(Error::from(
                                SourceError::new(SourceErrorKind::UiStrings, &name, &text, e.pos.clone(), format!("invalid Fluent syntax: {}", e.kind))
                                    .with_help("see https://projectfluent.org/fluent/guide/ for the syntax of .ftl files"),
                            ));
                        }
                        continue;
                    }
                };
                // Later files (the site's own, after the built-in ones) win.
                bundle.add_resource_overriding(resource);
            }
            bundles.insert(code.to_owned(), bundle);
        }
        if let Some(e) = Error::from_many(errors) {
            return Err(e);
        }
        let fallback = if bundles.contains_key(fallback) {
            fallback.to_owned()
        } else {
            "en".to_owned()
        };
        let strings = Strings { bundles, fallback };
        strings.report_missing(theme, locales, warnings);
        Ok(strings)
    }

    /// Warns about every message that some locale has and another lacks.
    fn report_missing(&self, theme: &Theme, locales: &[&str], warnings: &mut Vec<Warning>) {
        let mut all_ids = BTreeSet::new();
        for code in self.bundles.keys() {
            all_ids.extend(theme.message_ids(code));
        }
        for code in locales {
            if !self.bundles.contains_key(*code) {
                warnings.push(Warning {
                    location: None,
                    message: format!(
                        "no UI strings for locale `{code}` (locales/{code}/*.ftl); using `{}`",
                        self.fallback
                    ),
                });
                continue;
            }
            let have: BTreeSet<String> = theme.message_ids(code).into_iter().collect();
            for id in all_ids.iter().filter(|id| !have.contains(*id)) {
                warnings.push(Warning {
                    location: None,
                    message: format!(
                        "UI string `{id}` is missing in locale `{code}`; using the `{}` text. Add it to locales/{code}/",
                        self.fallback
                    ),
                });
            }
        }
    }

    /// The text of message `id` in `locale`, falling back as described above; the id itself
    /// when no locale has it.
    pub fn get(&self, locale: &str, id: &str, args: Option<&FluentArgs<'_>>) -> String {
        for code in [locale, self.fallback.as_str(), "en"] {
            if let Some(bundle) = self.bundles.get(code) {
                if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
                    let mut errors = Vec::new();
                    return bundle
                        .format_pattern(pattern, args, &mut errors)
                        .into_owned();
                }
            }
        }
        id.to_owned()
    }

    /// Every message without arguments of `locale`, for templates: `{{ t["on-this-page"] }}`.
    pub fn table(&self, theme: &Theme, locale: &str) -> BTreeMap<String, String> {
        let mut ids = BTreeSet::new();
        for code in self.bundles.keys() {
            ids.extend(theme.message_ids(code));
        }
        ids.into_iter()
            .map(|id| {
                let text = self.get(locale, &id, None);
                (id, text)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_message_warns_and_falls_back() -> Result<()> {
        let theme = Theme::from_files(
            vec![],
            vec![
                (
                    "locales/en/main.ftl".into(),
                    "hello = Hello\nbye = Bye\n".into(),
                ),
                ("locales/nl/main.ftl".into(), "hello = Hallo\n".into()),
            ],
        );
        let mut warnings = Vec::new();
        let strings = Strings::load(&theme, &["nl"], "en", &mut warnings)?;
        assert_eq!(strings.get("nl", "hello", None), "Hallo");
        assert_eq!(strings.get("nl", "bye", None), "Bye");
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].message.contains("`bye`") && warnings[0].message.contains("`nl`"));
        Ok(())
    }

    #[test]
    fn a_file_on_disk_overrides_message_by_message() -> Result<()> {
        let theme = Theme::from_files(
            vec![],
            vec![
                (
                    "locales/en/main.ftl".into(),
                    "hello = Hello\nbye = Bye\n".into(),
                ),
                (
                    "locales/nl/built-in.ftl".into(),
                    "hello = Hallo\nbye = Doei\n".into(),
                ),
                ("locales/nl/site.ftl".into(), "hello = Hoi\n".into()),
            ],
        );
        let mut warnings = Vec::new();
        let strings = Strings::load(&theme, &["nl", "de"], "en", &mut warnings)?;
        assert_eq!(strings.get("nl", "hello", None), "Hoi");
        assert_eq!(strings.get("nl", "bye", None), "Doei");
        // A locale without strings: one warning, and the fallback's texts.
        assert_eq!(strings.get("de", "bye", None), "Bye");
        let messages: Vec<&str> = warnings.iter().map(|w| w.message.as_str()).collect();
        assert_eq!(
            messages,
            ["no UI strings for locale `de` (locales/de/*.ftl); using `en`"]
        );
        Ok(())
    }

    #[test]
    fn formats_arguments() -> Result<()> {
        let theme = Theme::from_files(
            vec![],
            vec![(
                "locales/fr/main.ftl".into(),
                "n = { $count } articles\n".into(),
            )],
        );
        let strings = Strings::load(&theme, &["fr"], "fr", &mut Vec::new())?;
        let mut args = FluentArgs::new();
        args.set("count", 3);
        assert_eq!(strings.get("fr", "n", Some(&args)), "3 articles");
        Ok(())
    }
}
