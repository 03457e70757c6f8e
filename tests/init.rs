//! `tolk init [DIR]`: a new site that builds and passes the check at once; nothing is
//! overwritten. And the plural of a one-article build.

mod common;

use common::Site;

#[test]
fn init_makes_a_site_that_builds_and_passes_the_check() {
    let site = Site::new();
    let run = site.run(&[
        "init",
        "help",
        "-l",
        "en",
        "-l",
        "de",
        "--title",
        "Hilfe \"Docs\"",
    ]);
    run.success()
        .stdout_has("help/tolk.toml\n")
        .stdout_has("content/de/getting-started.md\n")
        .stdout_has("A new site with 2 locales (en, de); en is the source. Next:\n  cd help\n  tolk serve --open")
        .stderr_has("Created 2 articles with exl-id ");
    let config = site.read("help/tolk.toml");
    assert!(
        config.contains("title = \"Hilfe \\\"Docs\\\"\"\nsource-locale = \"en\"\n"),
        "{config}"
    );
    assert!(
        config.contains("[[locales]]\ncode = \"de\"\nname = \"Deutsch\"\n"),
        "{config}"
    );
    let en = site.read("help/content/en/getting-started.md");
    let de = site.read("help/content/de/getting-started.md");
    let id = |text: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix("exl-id: ").map(str::to_owned))
            .unwrap_or_default()
    };
    assert_eq!(id(&en).len(), 36);
    assert_eq!(id(&en), id(&de), "one exl-id links the translations");

    site.run(&["check", "--root", "help", "--strict"])
        .success()
        .stdout_has("Checked 2 articles in 2 locales: 0 errors, 0 warnings, 0 infos");
    site.run(&["build", "-r", "help"])
        .success()
        .stdout_has("Built 2 articles (en 1, de 1)");
    assert!(site
        .path("help/public/de/getting-started/index.html")
        .is_file());

    // A second init writes nothing.
    site.run(&["init", "help"])
        .failure(1)
        .stderr_has("tolk.toml already exists; nothing was written");
    assert_eq!(site.read("help/content/en/getting-started.md"), en);
}

#[test]
fn init_defaults_to_four_locales_in_the_current_folder() {
    let site = Site::new();
    site.run(&["init"]).success().stdout_has(
        "A new site with 4 locales (en, nl, fr, it); en is the source. Next:\n  tolk serve --open",
    );
    let one = Site::new();
    one.run(&["init", "-l", "en"]).success();
    one.run(&["build"])
        .success()
        .stdout_has("Built 1 article (en 1)");
}
