//! The dev server's updates, article by article, against whole builds: after every kind of
//! save (text, title, new article, deleted article, moved group, source commit, broken and
//! fixed front matter, image), the site an update leaves must be the site a whole build of the
//! same files makes, byte for byte.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{copy_tree, fixtures, Site};
use tolk::config::Config;
use tolk::serve::live::LiveSite;
use tolk::site::Changes;

type Files = BTreeMap<String, Vec<u8>>;

const NL: &str = "content/nl/known-issues/known-issues-workfront";
const FR: &str = "content/fr/known-issues/known-issues-workfront";
const IT: &str = "content/it/known-issues/known-issues-workfront";
const APPROVAL: &str = "wf-approval-not-work-from-widget.md";

fn whole_build(root: &Path) -> (LiveSite, Files) {
    let config = Config::load(root).expect("tolk.toml");
    let (site, files, _) = LiveSite::build(config).expect("a whole build");
    (site, files)
}

fn apply(files: &mut Files, changes: Changes) {
    for (path, bytes) in changes {
        match bytes {
            Some(bytes) => files.insert(path, bytes),
            None => files.remove(&path),
        };
    }
}

/// The updated site, search index included, must be the site a whole build makes.
fn assert_same_site(step: &str, updated: &Files, built: &Files) {
    let shown = |files: &Files| -> Files { files.clone() };
    let (updated, built) = (shown(updated), shown(built));
    let missing: Vec<&String> = built.keys().filter(|k| !updated.contains_key(*k)).collect();
    let extra: Vec<&String> = updated.keys().filter(|k| !built.contains_key(*k)).collect();
    let differ: Vec<&String> = built
        .iter()
        .filter(|(k, v)| updated.get(*k).is_some_and(|u| u != *v))
        .map(|(k, _)| k)
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty() && differ.is_empty(),
        "{step}: the updated site differs from a whole build:\n\
         missing {missing:?}\nextra {extra:?}\ndifferent {differ:?}"
    );
}

/// Makes `edit`, updates the live site with the saved `articles` and `assets`, brings the
/// status page up to date, and compares with a whole build. Returns the pages the update
/// rendered: never the whole site, whatever the save.
fn step(
    name: &str,
    site: &Site,
    live: &mut LiveSite,
    files: &mut Files,
    saved: &[&str],
    edit: impl FnOnce(),
) -> usize {
    edit();
    let (articles, assets): (Vec<_>, Vec<_>) = saved
        .iter()
        .map(|path| {
            let rest = path.strip_prefix("content/").expect("a content path");
            let (code, rel) = rest.split_once('/').expect("a locale folder");
            (tolk::locale::LocaleCode::from(code), rel.to_owned())
        })
        .partition(|(_, rel)| rel.ends_with(".md"));
    let update = live
        .update(&articles, &assets)
        .unwrap_or_else(|e| panic!("{name}: {e:?}"));
    let pages = update.pages;
    assert!(
        pages <= 40,
        "{name}: {pages} pages rendered, not the site's 900"
    );
    apply(files, update.files);
    let refreshed = live.refresh_status().expect("the status page");
    apply(files, refreshed.files);
    let (_, built) = whole_build(site.root());
    assert_same_site(name, files, &built);
    pages
}

#[test]
fn updates_make_the_site_a_whole_build_makes() {
    every_kind_of_save(false);
}

/// With `missing-translations = "fallback"`, an article's text also stands in the locales that
/// lack it: an ordinary save updates those borrowed copies too, without a whole build.
#[test]
fn updates_follow_borrowed_translations_in_fallback_mode() {
    every_kind_of_save(true);
}

fn every_kind_of_save(fallback: bool) {
    let site = Site::new();
    copy_tree(
        &fixtures().join("known-issues/content"),
        &site.path("content"),
    );
    if fallback {
        site.file(
            "tolk.toml",
            "title = \"Hulp\"\n[site]\nmissing-translations = \"fallback\"\n\n[[locales]]\ncode = \"en\"\n[[locales]]\ncode = \"nl\"\n[[locales]]\ncode = \"fr\"\n[[locales]]\ncode = \"it\"\n",
        );
        // An English article no other locale has: its copies are borrowed everywhere.
        site.file(
            "content/en/known-issues/only-in-english.md",
            "---\ntitle: Only in English\nexl-id: 5d5b9a5e-6f0c-4a57-9a89-3f7e0c3f1d11\n---\n# Only in English\n\nText.\n",
        );
    }
    let (mut live, mut files) = whole_build(site.root());
    let (_, again) = whole_build(site.root());
    assert_same_site("two whole builds", &files, &again);

    let nl = format!("{NL}/{APPROVAL}");
    let pages = step("a text edit", &site, &mut live, &mut files, &[&nl], || {
        let text = site
            .read(&nl)
            .replace("# Goedkeuringen:", "Een nieuwe alinea.\n\n# Goedkeuringen:");
        site.file(&nl, &text);
    });
    assert!(pages <= 4, "the article in its languages: {pages} pages");

    if fallback {
        let en = "content/en/known-issues/only-in-english.md";
        let pages = step(
            "a borrowed article's text",
            &site,
            &mut live,
            &mut files,
            &[en],
            || {
                site.file(en, &site.read(en).replace("Text.", "Other text."));
            },
        );
        assert_eq!(pages, 4, "the article and its three borrowed copies");
        let fr = String::from_utf8_lossy(&files["fr/known-issues/only-in-english/index.html"]);
        assert!(fr.contains("Other text."), "{fr}");

        // `locales: [en]`: the borrowed copies go, and come back without it.
        let limited = step("locales: [en]", &site, &mut live, &mut files, &[en], || {
            site.file(
                en,
                &site.read(en).replacen("---\n", "---\nlocales: [en]\n", 1),
            );
        });
        assert!(
            limited <= 10,
            "the article and its copies' neighbours: {limited} pages"
        );
        assert!(!files.contains_key("fr/known-issues/only-in-english/index.html"));
        assert!(files.contains_key("en/known-issues/only-in-english/index.html"));
        let back = step("no locales", &site, &mut live, &mut files, &[en], || {
            site.file(en, &site.read(en).replacen("locales: [en]\n", "", 1));
        });
        assert!(
            (4..=10).contains(&back),
            "the article, its three copies and their neighbours: {back} pages"
        );
        assert!(files.contains_key("fr/known-issues/only-in-english/index.html"));
    }

    let fr_files = site.files(FR);
    let fr = format!(
        "{FR}/{}",
        fr_files
            .iter()
            .find(|f| f.ends_with(".md"))
            .expect("a French article")
    );
    step("a new title", &site, &mut live, &mut files, &[&fr], || {
        let text = site.read(&fr);
        let title = text
            .lines()
            .find(|l| l.starts_with("title:"))
            .expect("a title")
            .to_owned();
        site.file(
            &fr,
            &text.replacen(&title, "title: Aaa, voor alle anderen", 1),
        );
    });

    let new = format!("{NL}/een-nieuw-artikel.md");
    step(
        "a new article",
        &site,
        &mut live,
        &mut files,
        &[&new],
        || {
            site.file(
            &new,
            "---\ntitle: Een nieuw artikel\ndescription: Nieuw.\n---\n# Een nieuw artikel\n\nTekst.\n",
        );
        },
    );

    let it = format!("{IT}/{APPROVAL}");
    step(
        "a deleted article",
        &site,
        &mut live,
        &mut files,
        &[&it],
        || {
            std::fs::remove_file(site.path(&it)).expect("delete");
        },
    );

    step(
        "an article moved to another group",
        &site,
        &mut live,
        &mut files,
        &[&new],
        || {
            let text = site.read(&new).replace(
                "title: Een nieuw artikel\n",
                "title: Een nieuw artikel\nexl-id: 101ef5a6-b624-49e0-b031-e13c03d80df9\n",
            );
            site.file(&new, &text);
        },
    );

    step(
        "a source commit",
        &site,
        &mut live,
        &mut files,
        &[&nl],
        || {
            let text = site.read(&nl).replace(
                "source-git-commit: 997ff4f301c501bc8faaf780c4106128cec61b13",
                "source-git-commit: 0000000000000000000000000000000000000000",
            );
            site.file(&nl, &text);
        },
    );

    // A broken save fails the update and changes nothing; the fix brings it all back.
    let good = site.read(&nl);
    site.file(&nl, &good.replacen("title: '", "title: [unclosed '", 1));
    let error = live
        .update(&[("nl".into(), nl["content/nl/".len()..].to_owned())], &[])
        .expect_err("broken front matter");
    assert!(format!("{error:?}").contains(APPROVAL), "{error:?}");
    step("the fix", &site, &mut live, &mut files, &[&nl], || {
        site.file(&nl, &good.replace("Een nieuwe alinea.", "Hersteld."));
    });

    let image = format!("{NL}/diagram.png");
    step(
        "a new image",
        &site,
        &mut live,
        &mut files,
        &[&image],
        || {
            site.file(&image, "not really a png");
        },
    );
}
