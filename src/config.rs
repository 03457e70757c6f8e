//! Site configuration: `tolk.toml`, or what the `content/` folder implies when there is none.
//!
//! ```toml
//! title = "Workfront help"
//! base-url = "https://help.example.com/"
//! source-locale = "en"          # optional: the language the others are translated from
//! source-repository = "../docs-en" # optional: the git checkout (or folder of one) whose history
//!                               # the source articles follow; default: their content folder
//!
//! [[locales]]
//! code = "nl"                   # folder under content/ and first URL segment
//! tag = "nl-NL"                 # BCP 47 tag for <html lang>; defaults to the code
//! name = "Nederlands"           # shown in the language switcher
//! content = "../docs-nl/help"   # optional; defaults to content/<code>
//!
//! [check]                       # optional: the severity of `tolk check` rules
//! mt-artifact = "error"         # "error", "warning", "info" or "off"
//! ```

pub use crate::rules::RuleLevel;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;
use unic_langid::LanguageIdentifier;

use crate::error::{Error, Result, SourceError, SourceErrorKind};
use crate::locale::LocaleCode;

pub const CONFIG_FILE: &str = "tolk.toml";
const DEFAULT_TITLE: &str = "Help";

/// The resolved configuration of one site.
#[derive(Debug, Clone)]
pub struct Config {
    /// The site's root folder (where `tolk.toml` is or would be).
    pub root: PathBuf,
    pub title: String,
    /// Absolute URL or path the site is served from; always ends with `/`.
    pub base_url: String,
    /// Every locale to build, in order; the source locale (if any) among them.
    pub locales: Vec<Locale>,
    /// Code of the locale the others are translated from (`en`), if the site has one.
    pub source_locale: Option<String>,
    /// `source-repository`: the folder, in a git checkout, whose history the source articles
    /// follow (they sit at the same paths in it as in the source locale's content folder).
    /// `None`: the source locale's content folder, when it is in a git repository.
    pub source_repository: Option<SourceRepository>,
    /// The `[check]` table: rule id -> level, for the rules whose default is changed.
    pub check: BTreeMap<String, RuleLevel>,
    /// What readers see of translations: banners, fallbacks, search.
    pub site: SiteOptions,
}

/// The `[site]` table: how the built site treats translations.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case", default)]
pub struct SiteOptions {
    /// Machine-translated articles (`workflow-type` with `mt`) whose `ht-degree` is below this
    /// percentage carry a banner that says so.
    pub machine_translation_threshold: u8,
    /// A locale that lacks an article: leave it out, or publish another locale's text there
    /// with a "not available in your language yet" notice.
    pub missing_translations: MissingTranslations,
    /// Build the full-text search index (`search/<locale>/`) and show a search box on every page.
    pub search: bool,
    /// Publish the translation status page (`status/index.html`, `status.json`).
    pub status: bool,
    /// `[site.only-in]`: articles that exist only in some locales, by path under the locale
    /// folders (a folder ending in `/`, or a file): `"release-notes/" = ["en"]`.
    pub only_in: BTreeMap<String, Vec<String>>,
}

impl Default for SiteOptions {
    fn default() -> Self {
        SiteOptions {
            machine_translation_threshold: 50,
            missing_translations: MissingTranslations::Omit,
            search: true,
            status: true,
            only_in: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MissingTranslations {
    Omit,
    Fallback,
}

/// Where the source articles' git history is, as `tolk.toml` names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRepository {
    /// The folder, resolved against the site root.
    pub path: PathBuf,
    /// As written in `tolk.toml`.
    pub shown: String,
    /// Where `tolk.toml` sets it, for errors found when the history is read.
    pub location: crate::error::Location,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locale {
    /// Folder name and first URL segment: `nl`.
    pub code: LocaleCode,
    /// BCP 47 tag for `lang` attributes: `nl` or `nl-NL`.
    pub tag: String,
    /// The language's own name: `Nederlands`.
    pub name: String,
    /// Where this locale's articles live.
    pub content_dir: PathBuf,
}

impl Config {
    /// Reads `root/tolk.toml`, or infers the locales from `root/content/` when it does not exist.
    pub fn load(root: &Path) -> Result<Config> {
        let path = root.join(CONFIG_FILE);
        // A FIFO or device would block or never end: only a regular file is read.
        if std::fs::metadata(&path).is_ok_and(|m| !m.is_file()) {
            return Err(Error::setup(
                format!("{CONFIG_FILE} is not a regular file (a folder, FIFO, socket or device)"),
                format!("make {CONFIG_FILE} a text file, or remove it to use the defaults"),
            ));
        }
        match std::fs::read_to_string(&path) {
            Ok(text) => Config::parse(root, CONFIG_FILE, &text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Config::infer(root),
            Err(e) => Err(Error::io("read", &path)(e)),
        }
    }

    /// Parses the text of a `tolk.toml`; `shown_path` is how errors name the file. Every mistake
    /// of the file is reported at once: unknown keys, bad values, and the first value of a wrong
    /// type (the TOML reader stops there).
    pub fn parse(root: &Path, shown_path: &str, text: &str) -> Result<Config> {
        let file = ConfigFile { shown_path, text };
        let mut errors: Vec<Error> = Vec::new();
        let Some(raw) = file.read_raw(&mut errors) else {
            return Err(Error::from_many(errors).unwrap_or_else(|| file.toml_failed()));
        };
        if raw.locales.is_empty() {
            errors.push(Error::setup(
                format!("{shown_path} lists no locales"),
                "add a [[locales]] table with a code for each language, e.g. code = \"nl\"",
            ));
        }
        let locales = file.locales(root, &raw.locales, &mut errors);
        file.check_source_locale(&raw, &mut errors);
        let source_repository = file.source_repository(root, &raw, &mut errors);
        let check = file.check_levels(raw.check, &mut errors);
        let base_url = match raw.base_url {
            Some(url) => normalize_base_url(url.get_ref()).unwrap_or_else(|why| {
                errors.push(file.error(url.span(), why));
                "/".to_owned()
            }),
            None => "/".to_owned(),
        };
        let site = match raw.site {
            Some(site) if site.get_ref().machine_translation_threshold > 100 => {
                errors.push(file.error(
                    site.span(),
                    "machine-translation-threshold must be a percentage from 0 to 100".to_owned(),
                ));
                SiteOptions::default()
            }
            Some(site) => {
                file.check_only_in(&site, &locales, &mut errors);
                site.into_inner()
            }
            None => SiteOptions::default(),
        };
        if let Some(e) = Error::from_many(errors) {
            return Err(e);
        }
        Ok(Config {
            root: root.to_owned(),
            title: raw.title.unwrap_or_else(|| DEFAULT_TITLE.to_owned()),
            base_url,
            locales,
            source_locale: raw.source_locale.map(Spanned::into_inner),
            source_repository,
            check,
            site,
        })
    }

    /// Without a `tolk.toml`: every folder in `content/` is a locale; `en` is the source.
    fn infer(root: &Path) -> Result<Config> {
        let content = root.join("content");
        let entries = std::fs::read_dir(&content).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                Error::setup(
                    format!(
                        "{} has neither a {CONFIG_FILE} nor a content/ folder",
                        root.display()
                    ),
                    "put each language's articles in content/<locale>/ (content/nl/, content/fr/, ...), \
                     or pass --root with the folder that holds them",
                )
            } else {
                Error::io("read", &content)(e)
            }
        })?;
        let mut codes = Vec::new();
        for entry in entries {
            let entry = entry.map_err(Error::io("read", &content))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if entry.path().is_dir() && check_code(&name).is_ok() {
                codes.push(name);
            }
        }
        if codes.is_empty() {
            return Err(Error::setup(
                format!("{} holds no locale folders", content.display()),
                "create one folder per language, named by its code: content/nl/, content/fr/, ...",
            ));
        }
        codes.sort();
        let source_locale = codes.iter().any(|c| c == "en").then(|| "en".to_owned());
        // The source language comes first, as it is the one the others follow.
        codes.sort_by_key(|c| c != "en");
        let locales = codes
            .into_iter()
            .map(|code| Locale {
                name: native_name(&code).to_owned(),
                tag: code.clone(),
                content_dir: content.join(&code),
                code: code.into(),
            })
            .collect();
        Ok(Config {
            root: root.to_owned(),
            title: DEFAULT_TITLE.to_owned(),
            base_url: "/".to_owned(),
            locales,
            source_locale,
            source_repository: None,
            check: BTreeMap::new(),
            site: SiteOptions::default(),
        })
    }

    /// Replaces the base URL (the `--base-url` flag).
    pub fn set_base_url(&mut self, url: &str) -> Result<()> {
        self.base_url = normalize_base_url(url).map_err(|why| {
            Error::setup(
                why,
                "pass an absolute URL or a path, e.g. --base-url https://help.example.com/",
            )
        })?;
        Ok(())
    }

    /// The locales `[site.only-in]` limits the article at `rel` (under the locale folders) to:
    /// the longest path that holds it.
    pub fn only_in(&self, rel: &str) -> Option<&[String]> {
        self.site
            .only_in
            .iter()
            .filter(|(path, _)| {
                let path = path.trim_start_matches('/');
                let folder = path.trim_end_matches('/');
                rel == path || rel.strip_prefix(folder).is_some_and(|r| r.starts_with('/'))
            })
            .max_by_key(|(path, _)| path.len())
            .map(|(_, codes)| codes.as_slice())
    }

    pub fn locale(&self, code: &str) -> Option<&Locale> {
        self.locales.iter().find(|l| l.code == code)
    }

    /// The locale whose UI strings fill in for missing ones: the source, else the first.
    pub fn fallback_locale(&self) -> &str {
        self.source_locale
            .as_deref()
            .unwrap_or_else(|| self.locales.first().map_or("en", |l| l.code.as_str()))
    }

    /// The locale whose UI strings fill in for a locale without them (or without a message):
    /// the source, else English, which tolk always ships.
    pub fn ui_fallback_locale(&self) -> &str {
        self.source_locale.as_deref().unwrap_or("en")
    }

    /// Shows `path` relative to the site root when it is inside it.
    pub fn display_path(&self, path: &Path) -> String {
        let shown = path.strip_prefix(&self.root).unwrap_or(path);
        shown.to_string_lossy().replace('\\', "/")
    }
}

// Unknown keys are not refused by serde (it would stop at the first): `ConfigFile::unknown_keys`
// names them all, against these lists.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawConfig {
    title: Option<String>,
    base_url: Option<Spanned<String>>,
    source_locale: Option<Spanned<String>>,
    source_repository: Option<Spanned<String>>,
    #[serde(default)]
    locales: Vec<RawLocale>,
    #[serde(default)]
    check: BTreeMap<Spanned<String>, Spanned<String>>,
    site: Option<Spanned<SiteOptions>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawLocale {
    code: Spanned<String>,
    tag: Option<Spanned<String>>,
    name: Option<String>,
    content: Option<PathBuf>,
}

/// The keys of each table of `tolk.toml`, as `RawConfig`, `RawLocale` and `SiteOptions` read them.
const TOP_KEYS: &[&str] = &[
    "title",
    "base-url",
    "source-locale",
    "source-repository",
    "locales",
    "check",
    "site",
];
const LOCALE_KEYS: &[&str] = &["code", "tag", "name", "content"];
const SITE_KEYS: &[&str] = &[
    "machine-translation-threshold",
    "missing-translations",
    "search",
    "status",
    "only-in",
];

/// The text of a `tolk.toml` and how errors name it: the parts of [`Config::parse`].
struct ConfigFile<'a> {
    shown_path: &'a str,
    text: &'a str,
}

impl ConfigFile<'_> {
    fn error(&self, span: std::ops::Range<usize>, message: String) -> Error {
        self.error_with_help(span, message, None)
    }

    fn error_with_help(
        &self,
        span: std::ops::Range<usize>,
        message: String,
        help: Option<String>,
    ) -> Error {
        let error = SourceError::new(
            SourceErrorKind::Config,
            self.shown_path,
            self.text,
            span,
            message,
        );
        Error::from(match help {
            Some(help) => error.with_help(help),
            None => error,
        })
    }

    /// An error of the TOML reader (syntax, or a value of the wrong type), at its position.
    fn toml_error(&self, e: &toml::de::Error) -> Error {
        self.error_with_help(
            e.span().unwrap_or(0..0),
            e.message().trim().to_owned(),
            Some("see README.md (Configuration) for the format of tolk.toml".to_owned()),
        )
    }

    /// Never reached: `read_raw` returns `None` only after pushing an error.
    fn toml_failed(&self) -> Error {
        Error::setup(
            format!("{} could not be read as TOML", self.shown_path),
            "see README.md (Configuration) for the format of tolk.toml",
        )
    }

    /// Reads the TOML into `RawConfig`; every unknown key is an error, and so is the first value
    /// of a wrong type. `None` when the file is not TOML or a value has the wrong type.
    fn read_raw(&self, errors: &mut Vec<Error>) -> Option<RawConfig> {
        let table = match toml::de::DeTable::parse(self.text) {
            Ok(table) => table,
            Err(e) => {
                errors.push(self.toml_error(&e));
                return None;
            }
        };
        self.unknown_keys(table.get_ref(), errors);
        match RawConfig::deserialize(toml::de::Deserializer::from(table)) {
            Ok(raw) => Some(raw),
            Err(e) => {
                errors.push(self.toml_error(&e));
                None
            }
        }
    }

    /// Names every key tolk does not know, in the top level, `[[locales]]` and `[site]`.
    fn unknown_keys(&self, top: &toml::de::DeTable<'_>, errors: &mut Vec<Error>) {
        use toml::de::DeValue;
        self.unknown_in(top, "the top level", TOP_KEYS, errors);
        for (key, value) in top {
            match (key.get_ref().as_ref(), value.get_ref()) {
                ("locales", DeValue::Array(items)) => {
                    for item in items {
                        if let DeValue::Table(table) = item.get_ref() {
                            self.unknown_in(table, "[[locales]]", LOCALE_KEYS, errors);
                        }
                    }
                }
                ("site", DeValue::Table(table)) => {
                    self.unknown_in(table, "[site]", SITE_KEYS, errors);
                }
                _ => {}
            }
        }
    }

    fn unknown_in(
        &self,
        table: &toml::de::DeTable<'_>,
        shown: &str,
        known: &[&str],
        errors: &mut Vec<Error>,
    ) {
        for key in table.keys() {
            let name = key.get_ref().as_ref();
            if known.contains(&name) {
                continue;
            }
            let listed = format!("the keys of {shown} are: {}", known.join(", "));
            let help = match did_you_mean(name, known) {
                Some(close) => format!("did you mean `{close}`? {listed}"),
                None => format!("remove the key or fix its spelling; {listed}"),
            };
            errors.push(self.error_with_help(
                key.span(),
                format!("unknown key `{name}` in {shown}"),
                Some(help),
            ));
        }
    }

    fn locales(&self, root: &Path, raw: &[RawLocale], errors: &mut Vec<Error>) -> Vec<Locale> {
        let mut locales: Vec<Locale> = Vec::with_capacity(raw.len());
        for raw_locale in raw {
            let code = raw_locale.code.get_ref();
            if let Err(why) = check_code(code) {
                errors.push(self.error(raw_locale.code.span(), why));
                continue;
            }
            if locales.iter().any(|l| &l.code == code) {
                errors.push(self.error(
                    raw_locale.code.span(),
                    format!("locale `{code}` is listed twice"),
                ));
                continue;
            }
            let tag = match &raw_locale.tag {
                Some(tag) => {
                    if let Err(e) = tag.get_ref().parse::<LanguageIdentifier>() {
                        errors.push(self.error(
                            tag.span(),
                            format!("`{}` is not a BCP 47 language tag: {e}", tag.get_ref()),
                        ));
                    }
                    tag.get_ref().clone()
                }
                None => code.clone(),
            };
            let content_dir = match &raw_locale.content {
                Some(dir) => root.join(dir),
                None => root.join("content").join(code),
            };
            locales.push(Locale {
                name: raw_locale
                    .name
                    .clone()
                    .unwrap_or_else(|| native_name(code).to_owned()),
                code: code.as_str().into(),
                tag,
                content_dir,
            });
        }
        locales
    }

    fn check_source_locale(&self, raw: &RawConfig, errors: &mut Vec<Error>) {
        let Some(source) = &raw.source_locale else {
            return;
        };
        let codes: Vec<&str> = raw
            .locales
            .iter()
            .map(|l| l.code.get_ref().as_str())
            .collect();
        if !codes.contains(&source.get_ref().as_str()) {
            errors.push(
                self.error_with_help(
                    source.span(),
                    format!(
                        "source-locale `{}` is not one of the [[locales]]",
                        source.get_ref()
                    ),
                    Some(match did_you_mean(source.get_ref(), &codes) {
                        Some(close) => format!("did you mean `{close}`?"),
                        None => {
                            "add a [[locales]] table with this code, or name one that is listed"
                                .to_owned()
                        }
                    }),
                ),
            );
        }
    }

    fn source_repository(
        &self,
        root: &Path,
        raw: &RawConfig,
        errors: &mut Vec<Error>,
    ) -> Option<SourceRepository> {
        let repo = raw.source_repository.as_ref()?;
        if raw.source_locale.is_none() {
            errors.push(self.error_with_help(
                repo.span(),
                "source-repository is set but the site has no source-locale".to_owned(),
                Some("set source-locale to the locale whose history this is (e.g. source-locale = \"en\"), or remove source-repository".to_owned()),
            ));
            return None;
        }
        if repo.get_ref().trim().is_empty() {
            errors.push(self.error(
                repo.span(),
                "source-repository is empty: name a folder, e.g. source-repository = \"../docs-en\""
                    .to_owned(),
            ));
            return None;
        }
        Some(SourceRepository {
            path: root.join(repo.get_ref()),
            shown: repo.get_ref().clone(),
            location: crate::error::Location::from_offset(
                self.shown_path,
                self.text,
                repo.span().start,
            ),
        })
    }

    /// `[site.only-in]` names only the site's locales.
    fn check_only_in(
        &self,
        site: &Spanned<SiteOptions>,
        locales: &[Locale],
        errors: &mut Vec<Error>,
    ) {
        let codes: Vec<&str> = locales.iter().map(|l| l.code.as_str()).collect();
        for (path, listed) in &site.get_ref().only_in {
            for code in listed.iter().filter(|c| !codes.contains(&c.as_str())) {
                errors.push(self.error_with_help(
                    site.span(),
                    format!("[site.only-in] `{path}` lists `{code}`, which is not one of the [[locales]]"),
                    Some(format!("the locales are: {}", codes.join(", "))),
                ));
            }
        }
    }

    /// The `[check]` table: each key a rule id, each value a level.
    fn check_levels(
        &self,
        raw: BTreeMap<Spanned<String>, Spanned<String>>,
        errors: &mut Vec<Error>,
    ) -> BTreeMap<String, RuleLevel> {
        let mut check = BTreeMap::new();
        for (rule, level) in raw {
            if crate::rules::Rule::from_id(rule.get_ref()).is_none() {
                let ids: Vec<&str> = crate::rules::Rule::ALL.iter().map(|r| r.id()).collect();
                let listed = format!("the rules are: {}", ids.join(", "));
                let help = match did_you_mean(rule.get_ref(), &ids) {
                    Some(close) => format!("did you mean `{close}`? {listed}"),
                    None => listed,
                };
                errors.push(self.error_with_help(
                    rule.span(),
                    format!("unknown check rule `{}`", rule.get_ref()),
                    Some(help),
                ));
                continue;
            }
            let Some(parsed) = RuleLevel::parse(level.get_ref()) else {
                errors.push(self.error(
                    level.span(),
                    format!(
                        "`{}` is not a level for rule `{}`: use \"error\", \"warning\", \"info\" or \"off\"",
                        level.get_ref(),
                        rule.get_ref()
                    ),
                ));
                continue;
            };
            check.insert(rule.into_inner(), parsed);
        }
        check
    }
}

/// The known word closest to a misspelt one, when it is close enough to be what was meant:
/// at most a third of its letters (and at least one) differ.
fn did_you_mean<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    let allowed = (word.chars().count() / 3).max(1);
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(word, k), *k))
        .filter(|(distance, _)| *distance <= allowed)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, k)| k)
}

/// A locale code is a URL segment and a folder name: lowercase letters, digits and `-`.
fn check_code(code: &str) -> std::result::Result<(), String> {
    let ok = !code.is_empty()
        && code.len() <= 16
        && code.starts_with(|c: char| c.is_ascii_lowercase())
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{code}` is not a usable locale code: use lowercase letters, digits and `-`, like `nl` or `pt-br`"
        ))
    }
}

fn normalize_base_url(url: &str) -> std::result::Result<String, String> {
    let url = url.trim();
    let absolute = url.starts_with("https://") || url.starts_with("http://");
    if !absolute && !url.starts_with('/') {
        return Err(format!(
            "base URL `{url}` must start with https://, http:// or /"
        ));
    }
    if url.contains(char::is_whitespace) {
        return Err(format!("base URL `{url}` contains whitespace"));
    }
    let mut url = url.to_owned();
    if !url.ends_with('/') {
        url.push('/');
    }
    Ok(url)
}

/// The language's name in itself, for the languages Experience League publishes in.
pub fn native_name(code: &str) -> &str {
    let primary = code.split('-').next().unwrap_or(code);
    match primary {
        "en" => "English",
        "nl" => "Nederlands",
        "fr" => "Français",
        "it" => "Italiano",
        "de" => "Deutsch",
        "es" => "Español",
        "pt" => "Português",
        "ja" => "日本語",
        "ko" => "한국어",
        "zh" => "中文",
        "sv" => "Svenska",
        "da" => "Dansk",
        "nb" | "no" => "Norsk",
        "fi" => "Suomi",
        "pl" => "Polski",
        "cs" => "Čeština",
        "tr" => "Türkçe",
        "ru" => "Русский",
        _ => code,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config> {
        Config::parse(Path::new("/site"), "tolk.toml", text)
    }

    #[test]
    fn reads_locales_in_order_with_defaults() -> Result<()> {
        let config = parse(
            "title = \"Hulp\"\nsource-locale = \"en\"\n\
             [[locales]]\ncode = \"en\"\n\
             [[locales]]\ncode = \"nl\"\ntag = \"nl-NL\"\n\
             [[locales]]\ncode = \"fr\"\ncontent = \"../fr/help\"\n",
        )?;
        let codes: Vec<_> = config.locales.iter().map(|l| l.code.as_str()).collect();
        assert_eq!(codes, ["en", "nl", "fr"]);
        assert_eq!(config.locales[1].tag, "nl-NL");
        assert_eq!(config.locales[1].name, "Nederlands");
        assert_eq!(config.locales[2].name, "Français");
        assert_eq!(config.locales[2].content_dir, Path::new("/site/../fr/help"));
        assert_eq!(config.locales[0].content_dir, Path::new("/site/content/en"));
        assert_eq!(config.source_locale.as_deref(), Some("en"));
        assert_eq!(config.base_url, "/");
        Ok(())
    }

    #[test]
    fn unknown_key_names_key_file_and_line() {
        let err = parse("title = \"x\"\n\n[[locales]]\ncode = \"nl\"\nlangauge = \"nl\"\n")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.starts_with("tolk.toml:5:1: unknown key `langauge` in [[locales]]"),
            "{err}"
        );
    }

    fn messages_and_help(text: &str) -> Vec<(String, String)> {
        let errors = match parse(text) {
            Err(Error::Many { errors }) => errors,
            Err(e) => vec![e],
            Ok(_) => Vec::new(),
        };
        errors
            .iter()
            .map(|e| match e {
                Error::Source(s) => (s.to_string(), s.help.clone().unwrap_or_default()),
                other => (other.to_string(), String::new()),
            })
            .collect()
    }

    #[test]
    fn unknown_keys_come_with_every_other_error_and_a_suggestion() {
        let text = "titel = \"x\"\nsouce-locale = \"en\"\nsource-locale = \"eb\"\n\
                    [[locales]]\ncode = \"en\"\nnmae = \"English\"\n\
                    [[locales]]\ncode = \"NL\"\nflag = \"x\"\n\
                    [site]\nsearh = false\n[check]\nheading-mismach = \"off\"\n";
        let found = messages_and_help(text);
        let expected = [
            ("tolk.toml:2:1: unknown key `souce-locale`", "did you mean `source-locale`?"),
            ("tolk.toml:1:1: unknown key `titel` in the top level", "did you mean `title`?"),
            ("tolk.toml:6:1: unknown key `nmae` in [[locales]]", "did you mean `name`?"),
            ("tolk.toml:9:1: unknown key `flag` in [[locales]]", "remove the key or fix its spelling; the keys of [[locales]] are: code, tag, name, content"),
            ("tolk.toml:11:1: unknown key `searh` in [site]", "did you mean `search`?"),
            ("tolk.toml:8:8: `NL` is not a usable locale code", ""),
            ("tolk.toml:3:17: source-locale `eb`", "did you mean `en`?"),
            ("tolk.toml:13:1: unknown check rule `heading-mismach`", "did you mean `heading-mismatch`?"),
        ];
        assert_eq!(found.len(), expected.len(), "{found:#?}");
        for (message, help) in expected {
            assert!(
                found
                    .iter()
                    .any(|(m, h)| m.starts_with(message) && h.starts_with(help)),
                "{message} / {help} not in {found:#?}"
            );
        }
    }

    #[test]
    fn a_value_of_the_wrong_type_comes_with_the_unknown_keys() {
        let found = messages_and_help(
            "tite = \"x\"\n[site]\nsearch = \"yes\"\n[[locales]]\ncode = \"en\"\n",
        );
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(
            found[0].0.starts_with("tolk.toml:1:1: unknown key `tite`"),
            "{found:#?}"
        );
        assert!(
            found[1].0.starts_with("tolk.toml:3:10: invalid type"),
            "{found:#?}"
        );
    }

    #[test]
    fn every_listed_key_is_read() -> Result<()> {
        let config = parse(
            "title = \"T\"\nbase-url = \"/d/\"\nsource-locale = \"en\"\n\
             source-repository = \"r\"\n[[locales]]\ncode = \"en\"\ntag = \"en-US\"\n\
             name = \"E\"\ncontent = \"c\"\n[[locales]]\ncode = \"fr\"\n[site]\nmachine-translation-threshold = 1\n\
             missing-translations = \"omit\"\nsearch = false\nstatus = false\n\
             [site.only-in]\n\"notes/\" = [\"en\"]\n\"notes/fr.md\" = [\"en\", \"fr\"]\n[check]\n",
        )?;
        assert_eq!(
            (config.title.as_str(), config.locales[0].name.as_str()),
            ("T", "E")
        );
        assert!(!config.site.status);
        assert_eq!(config.only_in("notes/a.md"), Some(&["en".to_owned()][..]));
        assert_eq!(config.only_in("notes/fr.md").map(<[String]>::len), Some(2));
        assert_eq!(config.only_in("notes.md"), None);
        assert_eq!(config.only_in("notesx/a.md"), None);
        let listed = TOP_KEYS.len() + LOCALE_KEYS.len() + SITE_KEYS.len();
        assert_eq!(listed, 16, "a key was added: add it to this test too");
        Ok(())
    }

    #[test]
    fn only_in_names_the_sites_locales() {
        let found = messages_and_help(
            "[[locales]]\ncode = \"en\"\n[site.only-in]\n\"notes/\" = [\"en\", \"xx\"]\n",
        );
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(
            found[0].0.contains(
                "[site.only-in] `notes/` lists `xx`, which is not one of the [[locales]]"
            ),
            "{found:#?}"
        );
    }

    #[test]
    fn suggestions_only_when_close() {
        assert_eq!(did_you_mean("serch", SITE_KEYS), Some("search"));
        assert_eq!(did_you_mean("langauge", LOCALE_KEYS), None);
        assert_eq!(did_you_mean("x", LOCALE_KEYS), None);
        assert_eq!(did_you_mean("stats", SITE_KEYS), Some("status"));
    }

    #[test]
    fn rejects_bad_values_at_their_position() {
        let cases = [
            (
                "[[locales]]\ncode = \"NL\"\n",
                "tolk.toml:2:8: `NL` is not a usable locale code",
            ),
            (
                "[[locales]]\ncode = \"nl\"\ntag = \"n_l!\"\n",
                "tolk.toml:3:7: `n_l!` is not a BCP 47",
            ),
            (
                "source-locale = \"en\"\n[[locales]]\ncode = \"nl\"\n",
                "tolk.toml:1:17: source-locale `en`",
            ),
            (
                "base-url = \"example.com\"\n[[locales]]\ncode = \"nl\"\n",
                "tolk.toml:1:12: base URL",
            ),
            (
                "[[locales]]\ncode = \"nl\"\n[[locales]]\ncode = \"nl\"\n",
                "tolk.toml:4:8: locale `nl` is listed twice",
            ),
        ];
        for (text, expected) in cases {
            let err = parse(text).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(err.starts_with(expected), "{text:?}: {err}");
        }
    }

    #[test]
    fn reports_every_bad_value_at_once() {
        let text = "base-url = \"example.com\"\nsource-locale = \"en\"\n\
                    [[locales]]\ncode = \"NL\"\n[[locales]]\ncode = \"fr\"\ntag = \"f_r!\"\n\
                    [check]\nbroken-links = \"error\"\nmt-artifact = \"loud\"\n";
        let messages: Vec<String> = match parse(text) {
            Err(Error::Many { errors }) => errors.iter().map(ToString::to_string).collect(),
            other => panic!("expected every error, got {other:?}"),
        };
        let expected = [
            "tolk.toml:4:8: `NL` is not a usable locale code",
            "tolk.toml:7:7: `f_r!` is not a BCP 47",
            "tolk.toml:2:17: source-locale `en`",
            "tolk.toml:9:1: unknown check rule `broken-links`",
            "tolk.toml:10:15: `loud` is not a level",
            "tolk.toml:1:12: base URL",
        ];
        assert_eq!(messages.len(), expected.len(), "{messages:#?}");
        for (message, expected) in messages.iter().zip(expected) {
            assert!(message.starts_with(expected), "{message} / {expected}");
        }
    }

    #[test]
    fn check_table_sets_rule_levels_and_names_bad_ones() -> Result<()> {
        let config = parse(
            "[[locales]]\ncode = \"nl\"\n[check]\nmt-artifact = \"error\"\nlink-not-localized = \"off\"\n",
        )?;
        assert_eq!(config.check.get("mt-artifact"), Some(&RuleLevel::Error));
        assert_eq!(
            config.check.get("link-not-localized"),
            Some(&RuleLevel::Off)
        );
        assert_eq!(config.check.len(), 2);
        let cases = [
            (
                "[[locales]]\ncode = \"nl\"\n[check]\nheading-mismach = \"off\"\n",
                "tolk.toml:4:1: unknown check rule `heading-mismach`",
            ),
            (
                "[[locales]]\ncode = \"nl\"\n\n[check]\nmt-artifact = \"fatal\"\n",
                "tolk.toml:5:15: `fatal` is not a level for rule `mt-artifact`",
            ),
        ];
        for (text, expected) in cases {
            let err = parse(text).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(err.starts_with(expected), "{text:?}: {err}");
        }
        Ok(())
    }

    #[test]
    fn site_options_have_defaults_and_are_checked() -> Result<()> {
        let config = parse("[[locales]]\ncode = \"nl\"\n")?;
        assert_eq!(config.site, SiteOptions::default());
        let config = parse("[site]\nmachine-translation-threshold = 80\nmissing-translations = \"fallback\"\nsearch = false\n[[locales]]\ncode = \"nl\"\n")?;
        assert_eq!(config.site.machine_translation_threshold, 80);
        assert_eq!(
            config.site.missing_translations,
            MissingTranslations::Fallback
        );
        assert!(!config.site.search);
        let err = parse("[site]\nmissing-translations = \"borrow\"\n[[locales]]\ncode = \"nl\"\n")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.starts_with("tolk.toml:2:"), "{err}");
        assert!(err.contains("unknown variant `borrow`"), "{err}");
        Ok(())
    }

    #[test]
    fn source_repository_is_resolved_and_needs_a_source_locale() -> Result<()> {
        let config = parse(
            "source-locale = \"en\"\nsource-repository = \"../docs-en\"\n[[locales]]\ncode = \"en\"\n",
        )?;
        let repo = config.source_repository.as_ref();
        assert_eq!(
            repo.map(|r| r.path.as_path()),
            Some(Path::new("/site/../docs-en"))
        );
        assert_eq!(
            repo.map(|r| r.location.to_string()).as_deref(),
            Some("tolk.toml:2:21")
        );
        assert_eq!(
            parse("[[locales]]\ncode = \"nl\"\n")?.source_repository,
            None
        );
        let cases = [
            (
                "source-repository = \"../docs-en\"\n[[locales]]\ncode = \"nl\"\n",
                "tolk.toml:1:21: source-repository is set but the site has no source-locale",
            ),
            (
                "source-locale = \"en\"\n\nsource-repository = \" \"\n[[locales]]\ncode = \"en\"\n",
                "tolk.toml:3:21: source-repository is empty",
            ),
            (
                "source-locale = \"en\"\nsource-repository = 3\n[[locales]]\ncode = \"en\"\n",
                "tolk.toml:2:21: invalid type",
            ),
        ];
        for (text, expected) in cases {
            let err = parse(text).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(err.starts_with(expected), "{text:?}: {err}");
        }
        Ok(())
    }

    #[test]
    fn base_url_gets_a_trailing_slash() -> Result<()> {
        let config = parse("base-url = \"https://h.example/docs\"\n[[locales]]\ncode = \"nl\"\n")?;
        assert_eq!(config.base_url, "https://h.example/docs/");
        Ok(())
    }
}
