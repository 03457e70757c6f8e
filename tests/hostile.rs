//! Hostile input: every bad file is answered with a positioned error (kind, file, line, column)
//! and the right exit code; nothing panics; the previous `public/` survives every failure; and
//! inputs that are odd but valid (BOM, CRLF, lone CR, huge or deeply nested files, unusual file
//! names) build.

mod common;

use common::Site;

const GOOD: &str =
    "---\ntitle: Goed\nexl-id: 4a911760-e3fe-4e77-b7aa-b08f9ea59d6a\n---\n\n# Goed\n\nTekst.\n";

/// A site with one good article, built once, so failures can be checked against it.
fn built_site() -> (Site, Vec<String>) {
    let site = Site::new();
    site.file("content/nl/good.md", GOOD);
    site.run(&["build", "--no-check"]).success();
    let files = site.files("public");
    (site, files)
}

/// Writes `bad` as `rel` into a built site, builds, and checks that the build failed with
/// every `expected` text in its output and left the previous site as it was.
fn fails(rel: &str, bad: &[u8], expected: &[&str]) {
    let (site, before) = built_site();
    let index_before = site.read("public/nl/good/index.html");
    let path = site.path(rel);
    std::fs::create_dir_all(path.parent().expect("a folder")).expect("create folders");
    std::fs::write(&path, bad).expect("write the bad file");
    let run = site.run(&["build", "--no-check"]);
    run.failure(1);
    for text in expected {
        run.stderr_has(text);
    }
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_eq!(
        site.files("public"),
        before,
        "{rel}: the previous site must stay"
    );
    assert_eq!(site.read("public/nl/good/index.html"), index_before);
}

/// Writes `text` as `rel` and checks that the build succeeds.
fn builds(rel: &str, text: &[u8]) -> Site {
    let (site, _) = built_site();
    let path = site.path(rel);
    std::fs::create_dir_all(path.parent().expect("a folder")).expect("create folders");
    std::fs::write(&path, text).expect("write the file");
    let run = site.run(&["build", "--no-check"]);
    run.success();
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    site
}

#[test]
fn front_matter_unterminated() {
    fails(
        "content/nl/a.md",
        b"---\ntitle: A\n\n# A\n",
        &[
            "tolk::front-matter",
            "content/nl/a.md:1:1: the front matter that starts here is never closed",
        ],
    );
}

#[test]
fn front_matter_only_an_opening_line() {
    fails(
        "content/nl/a.md",
        b"---\n",
        &["content/nl/a.md:1:1: the front matter that starts here is never closed"],
    );
}

#[test]
fn front_matter_not_yaml() {
    fails(
        "content/nl/a.md",
        b"---\ntitle: A\n: : [\n---\n",
        &[
            "tolk::front-matter",
            "content/nl/a.md:3:",
            "invalid YAML in front matter",
        ],
    );
}

#[test]
fn front_matter_a_list_not_a_mapping() {
    fails(
        "content/nl/a.md",
        b"---\n- title\n- A\n---\n",
        &["content/nl/a.md:2:1: invalid YAML in front matter"],
    );
}

#[test]
fn front_matter_a_list_where_a_string_belongs() {
    fails(
        "content/nl/a.md",
        b"---\ntitle: [a, b]\n---\n",
        &["content/nl/a.md:2:8: `title` must be a single value, not a list"],
    );
}

#[test]
fn front_matter_a_mapping_where_a_string_belongs() {
    fails(
        "content/nl/a.md",
        b"---\ndescription:\n  nl: x\n---\n",
        &["content/nl/a.md:3:3: `description` must be a single value, not a mapping"],
    );
}

#[test]
fn front_matter_duplicate_keys() {
    fails(
        "content/nl/a.md",
        b"---\ntitle: A\ntitle: B\n---\n",
        &[
            "content/nl/a.md:3:1: invalid YAML in front matter",
            "the key `title` appears twice; keep one of them",
        ],
    );
}

#[test]
fn front_matter_tab_indentation() {
    fails(
        "content/nl/a.md",
        b"---\ntitle: A\n\tdescription: x\n---\n",
        &[
            "content/nl/a.md:2:8: invalid YAML in front matter",
            "found a tab",
        ],
    );
}

#[test]
fn front_matter_unclosed_quote() {
    fails(
        "content/nl/a.md",
        b"---\ntitle: 'A\ndescription: x\n---\n",
        &["content/nl/a.md:2:", "invalid YAML in front matter"],
    );
}

#[test]
fn front_matter_yaml_bomb() {
    let mut bomb = String::from(
        "---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (name, prev) in [
        ("b", "a"),
        ("c", "b"),
        ("d", "c"),
        ("e", "d"),
        ("f", "e"),
        ("g", "f"),
        ("h", "g"),
        ("i", "h"),
    ] {
        bomb.push_str(&format!("{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
    }
    bomb.push_str("---\n");
    fails(
        "content/nl/a.md",
        bomb.as_bytes(),
        &[
            "tolk::front-matter",
            "content/nl/a.md:",
            "invalid YAML in front matter",
        ],
    );
}

#[test]
fn front_matter_ten_megabytes() {
    let mut text = String::from("---\ntitle: Big\n");
    let mut n = 0;
    while text.len() < 10 * 1024 * 1024 {
        text.push_str(&format!("key-{n}: {}\n", "x".repeat(100)));
        n += 1;
    }
    text.push_str("---\n\n# Big\n");
    let site = builds("content/nl/big.md", text.as_bytes());
    assert!(site
        .read("public/nl/big/index.html")
        .contains("<h1 id=\"big\">Big</h1>"));
}

#[test]
fn invalid_uuid() {
    fails(
        "content/nl/a.md",
        b"---\ntitle: A\nexl-id: 4a911760-e3fe-4e77-b7aa-b08f9ea59d6\n---\n",
        &["content/nl/a.md:3:9: exl-id `4a911760-e3fe-4e77-b7aa-b08f9ea59d6` is not a UUID"],
    );
}

#[test]
fn ht_degree_out_of_range() {
    fails(
        "content/nl/a.md",
        b"---\nht-degree: 140%\n---\n",
        &["content/nl/a.md:2:12: ht-degree `140%` is not a percentage from 0% to 100%"],
    );
}

#[test]
fn wordcount_not_a_number() {
    fails(
        "content/nl/a.md",
        b"---\nsource-wordcount: many\n---\n",
        &["content/nl/a.md:2:19: source-wordcount `many` is not a whole number"],
    );
}

#[test]
fn commit_not_hexadecimal() {
    fails(
        "content/nl/a.md",
        b"---\nsource-git-commit: b4b45bbc8bb68dbac35488c1777fca85fa0cc7eg\n---\n",
        &["content/nl/a.md:2:20: source-git-commit"],
    );
}

#[test]
fn flag_not_a_boolean() {
    fails(
        "content/nl/a.md",
        b"---\nhide: maybe\n---\n",
        &["content/nl/a.md:2:7: `hide` must be true or false, not `maybe`"],
    );
}

#[test]
fn every_error_of_a_build_is_reported() {
    let (site, before) = built_site();
    site.file("content/nl/a.md", "---\nht-degree: 140%\n---\n")
        .file("content/nl/b.md", "---\nexl-id: nope\n---\n")
        .file("content/nl/c.md", "---\ntitle: 'open\n");
    site.run(&["build", "--no-check"])
        .failure(1)
        .stderr_has("3 errors; nothing was written")
        .stderr_has("content/nl/a.md:2:12")
        .stderr_has("content/nl/b.md:2:9")
        .stderr_has("content/nl/c.md:1:1");
    assert_eq!(site.files("public"), before);
}

#[test]
fn utf8_byte_order_mark() {
    let site = builds(
        "content/nl/bom.md",
        b"\xEF\xBB\xBF---\ntitle: Met BOM\n---\n\n# Met BOM\n",
    );
    assert!(site
        .read("public/nl/bom/index.html")
        .contains("<title>Met BOM | Help</title>"));
}

#[test]
fn crlf_line_endings() {
    let site = builds(
        "content/nl/crlf.md",
        b"---\r\ntitle: CRLF\r\n---\r\n\r\n# CRLF\r\n\r\n>[!NOTE]\r\n>\r\n>Tekst\r\n",
    );
    let page = site.read("public/nl/crlf/index.html");
    assert!(
        page.contains("<title>CRLF | Help</title>") && page.contains("data-callout=\"note\""),
        "{page}"
    );
}

#[test]
fn lone_cr_line_endings() {
    let site = builds(
        "content/nl/cr.md",
        b"---\rtitle: CR\r---\r\r# CR\r\rTekst\r",
    );
    let page = site.read("public/nl/cr/index.html");
    assert!(
        page.contains("<title>CR | Help</title>") && page.contains("<p>Tekst</p>"),
        "{page}"
    );
}

#[test]
fn lone_cr_errors_keep_their_position() {
    fails(
        "content/nl/cr.md",
        b"---\rtitle: CR\rht-degree: 140%\r---\r",
        &["content/nl/cr.md:3:12: ht-degree `140%`"],
    );
}

#[test]
fn invalid_utf8() {
    fails(
        "content/nl/latin1.md",
        b"---\ntitle: Caf\xe9\n---\n",
        &[
            "content/nl/latin1.md:2:11: the file is not UTF-8 (byte 0xe9)",
            "save the file as UTF-8",
        ],
    );
}

#[test]
fn binary_file_named_md() {
    fails(
        "content/nl/image.md",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        &["content/nl/image.md:1:1: the file is not UTF-8 (byte 0x89)"],
    );
}

#[test]
fn empty_file() {
    let site = builds("content/nl/empty.md", b"");
    assert!(site
        .read("public/nl/empty/index.html")
        .contains("<h1>empty</h1>"));
}

#[test]
fn only_front_matter() {
    let site = builds("content/nl/bare.md", b"---\ntitle: Alleen kop\n---\n");
    assert!(site
        .read("public/nl/bare/index.html")
        .contains("<h1>Alleen kop</h1>"));
}

#[test]
fn nul_bytes() {
    let site = builds("content/nl/nul.md", b"---\ntitle: Nul\n---\n\nA\x00B\n");
    assert!(site
        .read("public/nl/nul/index.html")
        .contains("<p>A\u{FFFD}B</p>"));
}

#[test]
fn fifty_megabyte_article() {
    let mut text = String::from("---\ntitle: Groot\n---\n\n");
    let paragraph = "Een **regel** met [!UICONTROL Opslaan] en [een link](good.md) en `code`.\n\n";
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(paragraph);
    }
    let site = builds("content/nl/huge.md", text.as_bytes());
    let size = std::fs::metadata(site.path("public/nl/huge/index.html"))
        .expect("the page")
        .len();
    assert!(size > 50 * 1024 * 1024, "{size}");
}

#[test]
fn very_long_line() {
    let text = format!("---\ntitle: Lang\n---\n\n{}\n", "woord ".repeat(200_000));
    builds("content/nl/long.md", text.as_bytes());
}

#[test]
fn ten_thousand_nested_blockquotes() {
    let text = format!(
        "---\ntitle: Diep\n---\n\n{}[!NOTE] diep\n",
        ">".repeat(10_000)
    );
    builds("content/nl/deep.md", text.as_bytes());
}

#[test]
fn ten_thousand_nested_list_items() {
    let text = format!("---\ntitle: Lijst\n---\n\n{}item\n", "- ".repeat(10_000));
    builds("content/nl/list.md", text.as_bytes());
}

#[test]
fn ten_thousand_nested_emphasis_and_brackets() {
    let text = format!(
        "---\ntitle: Haken\n---\n\n{}x{}\n\n{}\n",
        "*".repeat(10_000),
        "*".repeat(10_000),
        "[!UICONTROL [".repeat(5_000)
    );
    builds("content/nl/brackets.md", text.as_bytes());
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_left_out_with_a_warning() {
    let (site, _) = built_site();
    std::os::unix::fs::symlink(site.path("content/nl"), site.path("content/nl/loop"))
        .expect("a symlink");
    site.run(&["build", "--no-check"])
        .success()
        .stderr_has("warning: content/nl/loop: a symbolic link loop; left out");
}

#[cfg(unix)]
#[test]
fn symlink_leaving_the_site_is_not_published() {
    let (site, _) = built_site();
    let outside = tempfile::tempdir().expect("a folder");
    std::fs::write(outside.path().join("secret.txt"), "secret").expect("write");
    std::fs::write(outside.path().join("page.md"), "---\ntitle: Buiten\n---\n").expect("write");
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        site.path("content/nl/secret.txt"),
    )
    .expect("a symlink");
    std::os::unix::fs::symlink(outside.path(), site.path("content/nl/outside")).expect("a symlink");
    site.run(&["build", "--no-check"])
        .success()
        .stderr_has("warning: content/nl/secret.txt: a symbolic link to")
        .stderr_has("outside the site; left out");
    assert!(!site.path("public/nl/secret.txt").exists());
    assert!(!site.path("public/nl/outside/page/index.html").exists());
}

#[cfg(unix)]
#[test]
fn unreadable_file() {
    use std::os::unix::fs::PermissionsExt;
    let (site, before) = built_site();
    let path = site.path("content/nl/locked.md");
    std::fs::write(&path, GOOD).expect("write");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    if std::fs::read(&path).is_ok() {
        eprintln!("running as root: permissions do not stop reads, nothing to test");
        return;
    }
    site.run(&["build", "--no-check"])
        .failure(1)
        .stderr_has("cannot read")
        .stderr_has("locked.md")
        .stderr_has("Permission denied");
    assert_eq!(site.files("public"), before);
}

#[test]
fn file_names_with_spaces_accents_and_emoji() {
    let (site, _) = built_site();
    site.file(
        "content/nl/mijn artikel.md",
        "---\ntitle: Spatie\n---\n\nZie [café](café.md) en [🎉](🎉.md).\n",
    )
    .file("content/nl/café.md", "---\ntitle: Café\n---\n")
    .file("content/nl/🎉.md", "---\ntitle: Feest\n---\n");
    site.run(&["build", "--no-check"]).success();
    assert!(site.path("public/nl/mijn artikel/index.html").exists());
    assert!(site.path("public/nl/café/index.html").exists());
    assert!(site.path("public/nl/🎉/index.html").exists());
    common::assert_links_resolve(&site.path("public"));
}

#[test]
fn two_files_one_url() {
    let (site, before) = built_site();
    site.file("content/nl/a.md", GOOD)
        .file("content/nl/a/index.md", GOOD);
    site.run(&["build", "--no-check"])
        .failure(1)
        .stderr_has("tolk::content")
        .stderr_has("content/nl/a.md:1:1: content/nl/a/index.md and content/nl/a.md would both be published at nl/a/");
    assert_eq!(site.files("public"), before);
}

#[test]
fn template_syntax_error() {
    fails(
        "templates/page.html",
        b"{% extends \"base.html\" %}\n{% block main %}{{ body | safe }\n{% endblock main %}",
        &["tolk::template", "templates/page.html:2:"],
    );
}

#[test]
fn template_unknown_variable() {
    fails("templates/page.html", b"{% extends \"base.html\" %}\n{% block main %}\n{{ no_such_thing.field }}\n{% endblock main %}", &["tolk::template", "templates/page.html:3:"]);
}

#[test]
fn ftl_syntax_error() {
    fails(
        "locales/nl/main.ftl",
        b"home = Start\nbroken = {\n",
        &[
            "tolk::ui-strings",
            "locales/nl/main.ftl:3:1: invalid Fluent syntax",
        ],
    );
}

#[test]
fn unknown_callout_kind_is_a_warning() {
    let (site, _) = built_site();
    site.file(
        "content/nl/a.md",
        "---\ntitle: A\n---\n\nTekst\n\n>[!SHOUT]\n>\n>Hard\n",
    );
    site.run(&["build", "--no-check"])
        .success()
        .stderr_has("warning: content/nl/a.md:7:1: unknown callout kind `[!SHOUT]`");
}

#[test]
fn snippet_cycle() {
    let (site, before) = built_site();
    site.file(
        "content/nl/_includes/snippets.md",
        "## A {#a}\n\n{{b}}\n\n## B {#b}\n\n{{a}}\n",
    )
    .file("content/nl/s.md", "---\ntitle: S\n---\n\n{{a}}\n");
    site.run(&["build", "--no-check"])
        .failure(1)
        .stderr_has("tolk::include")
        .stderr_has("content/nl/_includes/snippets.md:7:1: circular snippet: a -> b -> a");
    assert_eq!(site.files("public"), before);
}

#[test]
fn output_inside_content() {
    let (site, _) = built_site();
    site.run(&["build", "--out", "content/nl/site"])
        .failure(1)
        .stderr_has("tolk::output")
        .stderr_has("it is inside content/nl");
}

#[test]
fn config_syntax_error() {
    fails(
        "tolk.toml",
        b"title = \"unclosed\n[[locales]]\ncode = \"nl\"\n",
        &["tolk::config", "tolk.toml:1:"],
    );
}

#[test]
fn config_names_a_missing_content_folder() {
    fails(
        "tolk.toml",
        b"[[locales]]\ncode = \"nl\"\n[[locales]]\ncode = \"fr\"\n",
        &["the content folder of locale `fr` does not exist: content/fr"],
    );
}

#[test]
fn titles_and_front_matter_values_are_escaped() {
    let (site, _) = built_site();
    site.file("content/nl/x.md", "---\ntitle: '<script>alert(1)</script> & \"quotes\"'\ndescription: '\"><img src=x onerror=alert(1)>'\n---\n\n[klik](javascript:alert(1)) <a href=\"javascript:alert(2)\" onclick=\"x()\">b</a>\n");
    site.run(&["build"]).success();
    let page = site.read("public/nl/x/index.html");
    assert!(!page.contains("<script>alert"), "{page}");
    assert!(!page.contains("<img src=x"), "{page}");
    assert!(!page.to_ascii_lowercase().contains("javascript:"), "{page}");
    assert!(!page.contains("onclick"), "{page}");
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{page}"
    );
    let status = site.read("public/status.json");
    serde_json::from_str::<serde_json::Value>(&status).expect("status.json stays valid JSON");
}

#[test]
fn killed_build_leaves_the_previous_site_and_is_cleaned_up() {
    let (site, before) = built_site();
    for i in 0..400 {
        site.file(
            &format!("content/nl/many/a{i}.md"),
            &format!("---\ntitle: A{i}\n---\n\n{}\n", "Tekst. ".repeat(400)),
        );
    }
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tolk"))
        .args(["build", "--no-check"])
        .current_dir(site.root())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start a build");
    // Kill it while it writes pages: once its staging folder is there. (A fixed delay no
    // longer works: without pagefind, 400 articles take well under 150 ms.)
    let started = std::time::Instant::now();
    while !std::fs::read_dir(site.root())
        .expect("read the site")
        .filter_map(Result::ok)
        .any(|e| e.file_name().to_string_lossy().starts_with(".tolk-build-"))
    {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "the build never started writing"
        );
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    child.kill().expect("kill -9 the build");
    child.wait().expect("reap it");
    assert_eq!(site.files("public"), before, "the previous site is intact");
    site.run(&["build", "--no-check"]).success();
    let leftovers: Vec<String> = std::fs::read_dir(site.root())
        .expect("read the site")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".tolk"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "the next build removes what the killed one left: {leftovers:?}"
    );
}
