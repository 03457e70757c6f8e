//! Full-text search: a pagefind index per language, built from the pages' plain text (no HTML
//! is parsed again), with stemming for Dutch, French and Italian. Readers' browsers search it
//! offline with pagefind's own UI; each page searches the index of its `<html lang>` only.

use std::collections::BTreeMap;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use super::pages::SearchRecord;
use super::Output;
use crate::error::{Error, Result};

/// The folder of the search bundle in the output.
pub const BUNDLE: &str = "pagefind";

/// Indexes `records` and writes the bundle (index, wasm, UI) under `pagefind/`.
pub fn write_index(records: Vec<SearchRecord>, output: &Output) -> Result<usize> {
    let count = records.len();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| {
            Error::setup(
                format!("cannot start the search indexer: {e}"),
                "this is a bug in tolk; please report it",
            )
        })?;
    let files = runtime.block_on(async move {
        let options = PagefindServiceConfig::builder()
            .keep_index_url(false)
            .build();
        let mut index = PagefindIndex::new(Some(options))?;
        for record in records {
            let meta = BTreeMap::from([("title".to_owned(), record.title)]);
            let lang = record
                .lang
                .split('-')
                .next()
                .unwrap_or(&record.lang)
                .to_ascii_lowercase();
            index
                .add_custom_record(record.url, record.text, lang, Some(meta), None, None)
                .await?;
        }
        index.get_files().await
    });
    let files = files.map_err(|e| Error::setup(format!("cannot build the search index: {e}"), "run the build again; if it fails again, set `search = false` under [site] and report the problem"))?;
    for file in files {
        let name = file.filename.to_string_lossy().replace('\\', "/");
        output.write(&format!("{BUNDLE}/{name}"), &file.contents)?;
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_a_bundle_per_language() -> Result<()> {
        let output = Output::memory();
        let record = |url: &str, lang: &str, text: &str| SearchRecord {
            url: url.into(),
            title: text.into(),
            text: text.into(),
            lang: lang.into(),
        };
        let count = write_index(
            vec![
                record("/fr/a/", "fr", "Les jetons hérités sont désactivés"),
                record("/nl/a/", "nl", "De tokens worden uitgeschakeld"),
            ],
            &output,
        )?;
        assert_eq!(count, 2);
        let files = output.commit()?;
        assert!(
            files.contains_key("pagefind/pagefind.js"),
            "{:?}",
            files.keys().collect::<Vec<_>>()
        );
        assert!(files.contains_key("pagefind/pagefind-ui.js"));
        assert!(
            files.keys().any(|k| k.starts_with("pagefind/pagefind.fr_")),
            "{:?}",
            files.keys().collect::<Vec<_>>()
        );
        assert!(files.keys().any(|k| k.starts_with("pagefind/pagefind.nl_")));
        Ok(())
    }
}
