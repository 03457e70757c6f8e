//! UI strings end to end: a site's `.ftl` file overrides the built-in messages one by one, and
//! a locale tolk ships no strings for falls back with one warning, not an error per message.

mod common;

use common::{Site, SEED_PATH};

#[test]
fn a_file_on_disk_overrides_one_message_and_keeps_the_others() {
    let site = Site::seeds();
    site.file(
        "locales/nl/main.ftl",
        "# Only this one differs.\nskip-to-content = Direct naar de tekst\n",
    );
    let run = site.run(&["build"]);
    run.success();
    assert!(
        !run.stderr.contains("UI string"),
        "no warnings about the other messages: {}",
        run.stderr
    );
    let page = site.read(&format!("public/nl/{SEED_PATH}/index.html"));
    assert!(
        page.contains("Direct naar de tekst"),
        "the override is used"
    );
    assert!(!page.contains("Naar de inhoud"));
    assert!(
        page.contains("Gemaakt met tolk."),
        "the other built-in Dutch messages stay"
    );
    let check = site.run(&["check", "--rule", "ui-string-missing"]);
    check
        .success()
        .stdout_has("Checked 3 articles in 3 locales: 0 errors");
}

#[test]
fn a_locale_without_strings_falls_back_with_one_warning() {
    let site = Site::seeds();
    let config = site.read("tolk.toml");
    site.file(
        "tolk.toml",
        &format!("{config}\n[[locales]]\ncode = \"de\"\nname = \"Deutsch\"\n"),
    );
    let german = site
        .read(&format!("content/nl/{SEED_PATH}.md"))
        .replace("title: 'Problemen", "title: 'Fehlerbehebung");
    site.file(&format!("content/de/{SEED_PATH}.md"), &german);
    let run = site.run(&["build"]);
    run.success();
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("UI string"))
        .collect();
    assert_eq!(
        warnings,
        ["warning: no UI strings for locale `de` (locales/de/*.ftl); using `en`"],
        "{}",
        run.stderr
    );
    let page = site.read(&format!("public/de/{SEED_PATH}/index.html"));
    assert!(page.contains("Skip to content"), "English fills in");
    let check = site.run(&["check", "--format", "short", "--rule", "ui-string-missing"]);
    check.success();
    assert_eq!(
        check.stdout, "",
        "no ui-string-missing for a locale without .ftl"
    );
}
