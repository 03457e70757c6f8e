//! `ui-string-missing`: a Fluent message that one locale's `locales/<code>/*.ftl` has and another
//! configured locale's lacks. The theme's built-in strings count, with the site's own files on
//! top, exactly as a build reads them.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::{At, Finding, Related, Rule};
use crate::config::Config;
use crate::error::Result;
use crate::theme::Theme;

/// How the theme names a file that is built into tolk.
const BUILT_IN: &str = " (built in)";

/// The name findings about UI strings are grouped under.
pub const ARTICLE: &str = "UI strings (locales/)";

/// The text of files by the path findings show.
pub type Sources = BTreeMap<String, Arc<str>>;

/// Each locale's `.ftl` files: the path findings show, and the text.
type Files<'c> = BTreeMap<&'c str, Vec<(String, Arc<str>)>>;

/// The findings, and the text of each `.ftl` file they point into.
pub fn check(config: &Config) -> Result<(Vec<Finding>, Sources)> {
    let theme = Theme::load(&config.root)?;
    let mut files: Files<'_> = BTreeMap::new();
    let mut ids: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for locale in &config.locales {
        let code = locale.code.as_str();
        let list = theme
            .locale_files(code)
            .into_iter()
            .map(|(shown, text)| (shown, Arc::from(text.as_str())))
            .collect();
        files.insert(code, list);
        ids.insert(code, theme.message_ids(code).into_iter().collect());
    }
    let all: BTreeSet<&String> = ids.values().flatten().collect();
    let mut findings = Vec::new();
    let mut sources = BTreeMap::new();
    for locale in &config.locales {
        let code = locale.code.as_str();
        // A locale with no strings at all uses the fallback's; the build says so once.
        if files.get(code).is_none_or(Vec::is_empty) {
            continue;
        }
        let first_file = files
            .get(code)
            .and_then(|f| f.iter().find(|(path, _)| !path.ends_with(BUILT_IN)));
        for id in all
            .iter()
            .filter(|id| !ids.get(code).is_some_and(|s| s.contains(**id)))
        {
            let related = definitions(config, &files, id, &mut sources);
            // A built-in file is not on disk: point at the folder a new .ftl file goes into.
            let (path, at) = match first_file {
                Some((path, text)) => {
                    sources.insert(path.clone(), Arc::clone(text));
                    (path.clone(), Some(At::new(text, 0, 0)))
                }
                None => (format!("locales/{code}/"), None),
            };
            findings.push(missing(code, id, path, at, related));
        }
    }
    Ok((findings, sources))
}

/// Where each locale that has message `id` defines it; the files pointed into go to `sources`.
fn definitions(
    config: &Config,
    files: &Files<'_>,
    id: &str,
    sources: &mut Sources,
) -> Vec<Related> {
    config
        .locales
        .iter()
        .filter_map(|other| {
            let (path, text) = files
                .get(other.code.as_str())?
                .iter()
                .find_map(|(path, text)| definition(text, id).map(|at| (path, at, text)))
                .map(|(path, at, text)| match path.strip_suffix(BUILT_IN) {
                    Some(folder_file) => (folder_file.to_owned(), None),
                    None => {
                        sources.insert(path.clone(), Arc::clone(text));
                        (path.clone(), Some(at))
                    }
                })?;
            Some(Related {
                locale: other.code.clone(),
                path: path.into(),
                at: text,
            })
        })
        .collect()
}

/// The finding for message `id` missing in locale `code`, which the `related` locales have.
fn missing(code: &str, id: &str, path: String, at: Option<At>, related: Vec<Related>) -> Finding {
    let has: Vec<&str> = related.iter().map(|r| r.locale.as_str()).collect();
    let message = format!(
        "the UI string `{id}` is missing in locale {code}; {} {} it",
        has.join(", "),
        if has.len() == 1 { "has" } else { "have" }
    );
    Finding {
        rule: Rule::UiStringMissing,
        severity: Rule::UiStringMissing.default_severity(),
        locale: code.into(),
        path: path.into(),
        at,
        exl_id: None,
        article: ARTICLE.into(),
        message,
        related,
        edits: Vec::new(),
    }
}

/// Where message `id` is defined in an `.ftl` text.
fn definition(text: &str, id: &str) -> Option<At> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let defines = line
            .strip_prefix(id)
            .is_some_and(|rest| rest.trim_start().starts_with('='));
        if defines {
            return Some(At::new(text, offset, id.len()));
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_definitions() {
        let text = "# c\nhello = Hi\nhello-world = x\n";
        assert_eq!(definition(text, "hello").map(|a| a.line), Some(2));
        assert_eq!(definition(text, "hello-world").map(|a| a.line), Some(3));
        assert_eq!(definition(text, "bye"), None);
    }
}
