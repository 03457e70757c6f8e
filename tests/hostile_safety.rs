//! Hostile sites, part two (issue 15): no file outside the site is read or published, no
//! generated link runs a script, generated files are never overwritten by content, the
//! previous site is never lost, and deep or wide input neither crashes nor takes
//! super-linear time.

mod common;

use common::Site;

const GOOD: &str =
    "---\ntitle: Goed\nexl-id: 4a911760-e3fe-4e77-b7aa-b08f9ea59d6a\n---\n\n# Goed\n\nTekst.\n";

/// A site with one good article, built once.
fn built_site() -> (Site, Vec<String>) {
    let site = Site::new();
    site.file("content/nl/good.md", GOOD);
    site.run(&["build", "--no-check"]).success();
    let files = site.files("public");
    (site, files)
}

/// Every file under `public/`, read, with its path: to search the whole site for a secret.
fn published(site: &Site) -> String {
    let mut all = String::new();
    for rel in site.files("public") {
        let bytes = std::fs::read(site.path(&format!("public/{rel}"))).unwrap_or_default();
        all.push_str(&rel);
        all.push('\n');
        all.push_str(&String::from_utf8_lossy(&bytes));
    }
    all
}

const SECRET: &str = "s3cr3t-0f-th3-h0st";

/// A folder outside the site with a secret file in it.
fn outside() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a folder");
    std::fs::write(dir.path().join("secret.md"), format!("{SECRET}\n")).expect("write");
    dir
}

#[cfg(unix)]
fn symlink(target: &std::path::Path, link: &std::path::Path) {
    std::fs::create_dir_all(link.parent().expect("a parent")).expect("create folders");
    std::os::unix::fs::symlink(target, link).expect("a symlink");
}

// 1. Files outside the site.

#[cfg(unix)]
#[test]
fn an_include_that_links_outside_the_site_is_refused() {
    let (site, before) = built_site();
    let out = outside();
    symlink(
        &out.path().join("secret.md"),
        &site.path("content/nl/_includes/out.md"),
    );
    site.file(
        "content/nl/a.md",
        "---\ntitle: A\n---\n\nVoor\n\n{{$include /help/_includes/out.md}}\n",
    );
    let run = site.run(&["build", "--no-check"]);
    run.failure(1)
        .stderr_has("tolk::include")
        .stderr_has("content/nl/a.md:7:1:")
        .stderr_has("outside the site");
    assert!(!run.stderr.contains(SECRET), "{}", run.stderr);
    assert_eq!(site.files("public"), before);
    let run = site.run(&["check"]);
    assert!(!run.stdout.contains(SECRET) && !run.stderr.contains(SECRET));
}

#[cfg(unix)]
#[test]
fn an_includes_folder_that_links_outside_the_site_is_refused() {
    let (site, before) = built_site();
    let out = outside();
    symlink(out.path(), &site.path("content/nl/_includes"));
    site.file(
        "content/nl/a.md",
        "---\ntitle: A\n---\n\n{{$include /help/_includes/secret.md}}\n",
    );
    site.run(&["build", "--no-check"])
        .failure(1)
        .stderr_has("content/nl/a.md:5:1:")
        .stderr_has("outside the site");
    assert_eq!(site.files("public"), before);
}

#[cfg(unix)]
#[test]
fn a_snippets_file_that_links_outside_the_site_is_refused() {
    let (site, before) = built_site();
    let out = outside();
    std::fs::write(
        out.path().join("snippets.md"),
        format!("## S {{#s}}\n\n{SECRET}\n"),
    )
    .expect("write");
    symlink(
        &out.path().join("snippets.md"),
        &site.path("content/nl/_includes/snippets.md"),
    );
    site.file("content/nl/a.md", "---\ntitle: A\n---\n\n{{s}}\n");
    let run = site.run(&["build", "--no-check"]);
    run.failure(1)
        .stderr_has("content/nl/a.md:5:1:")
        .stderr_has("outside the site");
    assert!(!run.stderr.contains(SECRET), "{}", run.stderr);
    assert_eq!(site.files("public"), before);
}

#[cfg(unix)]
#[test]
fn a_link_to_a_hidden_file_of_the_site_is_not_published() {
    let (site, _) = built_site();
    site.file(".env", &format!("TOKEN={SECRET}\n"));
    site.file(".git/config", &format!("[remote]\n{SECRET}\n"));
    symlink(&site.path(".env"), &site.path("content/nl/env.txt"));
    symlink(&site.path(".git"), &site.path("content/nl/git"));
    site.run(&["build", "--no-check"])
        .success()
        .stderr_has("warning: content/nl/env.txt: a symbolic link to a hidden file; left out")
        .stderr_has("warning: content/nl/git: a symbolic link to a hidden file; left out");
    assert!(!published(&site).contains(SECRET));
}

#[cfg(unix)]
#[test]
fn a_link_to_the_site_root_or_the_output_is_not_published() {
    let (site, _) = built_site();
    site.file(
        "notes/private.md",
        &format!("---\ntitle: P\n---\n\n{SECRET}\n"),
    );
    symlink(site.root(), &site.path("content/nl/root"));
    symlink(&site.path("public"), &site.path("content/nl/public"));
    let run = site.run(&["build", "--no-check"]);
    run.success()
        .stderr_has("warning: content/nl/root: a symbolic link to a folder that holds the content; left out")
        .stderr_has("warning: content/nl/public: a symbolic link into a built site; left out");
    let files = site.files("public");
    // The same size twice: the site does not grow with each build.
    site.run(&["build", "--no-check"]).success();
    assert_eq!(site.files("public"), files);
    assert!(!published(&site).contains(SECRET));
}

// 3. Generated links with a scheme.

#[test]
fn generated_links_never_start_with_a_scheme() {
    let site = Site::new();
    site.file(
        "content/nl/index.md",
        "---\ntitle: Start\n---\n\n[Start](./javascript:alert(1)%2F%2F.md)\n",
    )
    .file(
        "content/nl/javascript:alert(1)%2F%2F.md",
        "---\ntitle: Kwaad\n---\n\nTekst.\n",
    )
    .file("content/nl/good.md", GOOD);
    site.run(&["build", "--no-check"]).success();
    for rel in site.files("public") {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = site.read(&format!("public/{rel}"));
        for url in common::relative_urls(&html) {
            let decoded = common::percent_decode(&url).to_ascii_lowercase();
            assert!(
                !decoded.starts_with("javascript:"),
                "{rel}: a link that runs a script: {url}"
            );
        }
        let lower = html.to_ascii_lowercase();
        assert!(!lower.contains("href=\"javascript:"), "{rel}: {html}");
    }
    let home = site.read("public/nl/index.html");
    assert!(home.contains("./javascript:alert(1)"), "{home}");
}

// 4. Reserved paths.

#[test]
fn an_asset_that_collides_with_a_generated_file_is_an_error() {
    for (rel, generated) in [
        ("content/nl/nav.html", "nl/nav.html"),
        ("content/nl/404.html", "nl/404.html"),
        ("content/nl/index.html", "nl/index.html"),
        ("content/nl/good/index.html", "nl/good/index.html"),
        // A file where the page of good.md needs its folder.
        ("content/nl/good", "nl/good"),
    ] {
        let (site, before) = built_site();
        site.file(rel, "<script>alert(1)</script>");
        site.run(&["build", "--no-check"])
            .failure(1)
            .stderr_has(rel)
            .stderr_has(&format!("{generated}, which tolk generates"));
        assert_eq!(site.files("public"), before, "{rel}");
    }
}

#[test]
fn a_locale_code_that_collides_with_a_generated_folder_is_an_error() {
    for code in ["status", "static", "search"] {
        let site = Site::new();
        site.file("content/nl/good.md", GOOD);
        site.file(&format!("content/{code}/good.md"), GOOD);
        site.run(&["build", "--no-check"])
            .failure(1)
            .stderr_has(&format!("locale `{code}`"))
            .stderr_has("tolk generates");
    }
}

// 5. Data loss.

#[test]
fn out_is_refused_over_a_source() {
    let (site, _) = built_site();
    site.file("templates/page.html", "{% extends \"base.html\" %}")
        .file("locales/nl/main.ftl", "home = Start\n")
        .file(".git/HEAD", "ref: refs/heads/main\n")
        .file("tolk.toml", "[[locales]]\ncode = \"nl\"\n")
        .file("notes/keep.txt", "mine\n");
    for (out, reason) in [
        ("templates", "it is the templates folder"),
        ("locales", "it is the UI strings folder"),
        (".git", "it is a git folder"),
        ("tolk.toml", "it is the site's configuration"),
        ("notes", "it holds files tolk did not write"),
        ("..", "it contains the site root"),
    ] {
        site.run(&["build", "--no-check", "--out", out])
            .failure(1)
            .stderr_has("tolk::output")
            .stderr_has(reason);
    }
    assert_eq!(
        site.read("templates/page.html"),
        "{% extends \"base.html\" %}"
    );
    assert_eq!(site.read("notes/keep.txt"), "mine\n");
    assert_eq!(site.read(".git/HEAD"), "ref: refs/heads/main\n");
    // An empty folder, and a folder tolk wrote, are fine.
    std::fs::create_dir_all(site.path("empty")).expect("create");
    site.run(&["build", "--no-check", "--out", "empty"])
        .success();
    site.run(&["build", "--no-check", "--out", "empty"])
        .success();
}

#[test]
fn a_second_build_into_the_same_output_is_refused_while_one_runs() {
    let (site, _) = built_site();
    // A lock left by a process that is still running (this test) stops the build.
    std::fs::write(
        site.path(".tolk-lock-public"),
        format!("{}\n", std::process::id()),
    )
    .expect("write the lock");
    site.run(&["build", "--no-check"])
        .failure(1)
        .stderr_has("another tolk build")
        .stderr_has(&std::process::id().to_string());
    // A lock whose process is gone is taken over.
    std::fs::write(site.path(".tolk-lock-public"), "4194303999\n").expect("write the lock");
    site.run(&["build", "--no-check"]).success();
    assert!(!site.path(".tolk-lock-public").exists());
}

/// A build killed between the renames of its commit leaves a journal; the next build
/// finishes that commit before anything else.
#[cfg(target_os = "linux")]
#[test]
fn an_interrupted_commit_is_finished_by_the_next_build() {
    let (site, _) = built_site();
    let staging = ".tolk-build-4194303999-x";
    std::fs::create_dir_all(site.path(staging)).expect("create");
    std::fs::write(site.path(&format!("{staging}/0")), "new page").expect("write");
    std::fs::write(
        site.path(".tolk-journal-public"),
        format!(
            "{{\"pid\":4194303999,\"staging\":\"{staging}\",\"puts\":[[\"0\",\"nl/new/index.html\"]],\"dels\":[\"nl/good/index.html\"]}}"
        ),
    )
    .expect("write the journal");
    // A failing build still finishes the interrupted commit first.
    site.file("content/nl/bad.md", "---\ntitle: [\n---\n");
    site.run(&["build", "--no-check"]).failure(1);
    assert_eq!(site.read("public/nl/new/index.html"), "new page");
    assert!(!site.path("public/nl/good/index.html").exists());
    assert!(!site.path(".tolk-journal-public").exists());
    assert!(!site.path(staging).exists());
}

/// A first build killed between moving the old site away and moving the new one in.
#[cfg(target_os = "linux")]
#[test]
fn an_interrupted_swap_is_finished_by_the_next_build() {
    let (site, before) = built_site();
    let old = ".tolk-old-4194303999-y";
    std::fs::create_dir_all(site.path(old)).expect("create");
    std::fs::rename(site.path("public"), site.path(&format!("{old}/site"))).expect("move");
    std::fs::write(
        site.path(".tolk-journal-public"),
        format!(
            "{{\"pid\":4194303999,\"staging\":\".tolk-build-4194303999-gone\",\"swap_old\":\"{old}/site\"}}"
        ),
    )
    .expect("write the journal");
    site.file("content/nl/bad.md", "---\ntitle: [\n---\n");
    site.run(&["build", "--no-check"]).failure(1);
    assert_eq!(site.files("public"), before, "the old site is back");
    assert!(!site.path(old).exists());
    assert!(!site.path(".tolk-journal-public").exists());
}

// 6. Panics.

#[test]
fn an_error_far_right_on_a_long_line_is_shown_clipped() {
    let (site, before) = built_site();
    // `a: b: c` is not YAML; the second colon is past column 70,000.
    site.file(
        "content/nl/b.md",
        &format!(
            "---\ntitle: B\ndescription: {}: c\n---\n",
            "z".repeat(70_000)
        ),
    );
    for args in [&["build", "--no-check"][..], &["check"][..]] {
        let run = site.run(args);
        run.failure(1);
        let all = format!("{}{}", run.stdout, run.stderr);
        assert!(all.contains("content/nl/b.md:3:70014"), "{all}");
        assert!(!all.contains("panicked"), "{all}");
        assert!(
            all.len() < 5_000,
            "the long line is not echoed whole: {} bytes",
            all.len()
        );
    }
    assert_eq!(site.files("public"), before);
}

// 7. Stack overflow.

#[test]
fn a_chain_of_two_thousand_snippets_is_an_error_not_a_crash() {
    let (site, before) = built_site();
    let mut snippets = String::new();
    for i in 0..2_000 {
        snippets.push_str(&format!("## S{i} {{#s{i}}}\n\n{{{{s{}}}}}\n\n", i + 1));
    }
    snippets.push_str("## End {#s2000}\n\nEinde.\n");
    site.file("content/nl/_includes/snippets.md", &snippets)
        .file("content/nl/a.md", "---\ntitle: A\n---\n\n{{s0}}\n");
    site.run(&["build", "--no-check"])
        .failure(1)
        .stderr_has("tolk::include")
        .stderr_has("more than 64 levels deep");
    assert_eq!(site.files("public"), before);
}

#[test]
fn a_chain_of_two_thousand_includes_is_an_error_not_a_crash() {
    let (site, _) = built_site();
    for i in 0..2_000 {
        site.file(
            &format!("content/nl/_includes/i{i}.md"),
            &format!("{{{{$include /help/_includes/i{}.md}}}}\n", i + 1),
        );
    }
    site.file("content/nl/_includes/i2000.md", "Einde.\n").file(
        "content/nl/a.md",
        "---\ntitle: A\n---\n\n{{$include /help/_includes/i0.md}}\n",
    );
    site.run(&["build", "--no-check"])
        .failure(1)
        .stderr_has("more than 64 levels deep");
}

// 8. Super-linear time.

/// 40 files, each including the next four times: 4^40 copies of the last one. Without a bound
/// the build never ends (11 files took 22 s, 13 over two minutes); with it, the page is an
/// error at once. The bound on time is generous (a minute) yet far below the unbounded time.
#[test]
fn include_fan_out_is_bounded() {
    let (site, before) = built_site();
    for i in 0..40 {
        let next = format!("{{{{$include /help/_includes/f{}.md}}}}\n\n", i + 1);
        site.file(
            &format!("content/nl/_includes/f{i}.md"),
            &format!("Deel {i}.\n\n{}", next.repeat(4)),
        );
    }
    site.file("content/nl/_includes/f40.md", "Einde.\n").file(
        "content/nl/a.md",
        "---\ntitle: A\n---\n\n{{$include /help/_includes/f0.md}}\n",
    );
    let started = std::time::Instant::now();
    site.run(&["build", "--no-check"])
        .failure(1)
        .stderr_has("tolk::include")
        .stderr_has("the page expands more than 10000 snippets and includes");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(site.files("public"), before);
}

/// One include and one snippet, each named 4,000 times on a page: under the bound, rendered
/// once each and copied (the page holds every copy).
#[test]
fn eight_thousand_repeated_expansions_build() {
    let (site, _) = built_site();
    site.file("content/nl/_includes/kort.md", "Kort *stuk*.\n")
        .file(
            "content/nl/_includes/snippets.md",
            "## S {#s}\n\nSnippet.\n",
        )
        .file(
            "content/nl/a.md",
            &format!(
                "---\ntitle: A\n---\n\n{}",
                "{{$include /help/_includes/kort.md}}\n\n{{s}}\n\n".repeat(4_000)
            ),
        );
    let started = std::time::Instant::now();
    site.run(&["build", "--no-check"]).success();
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
    let page = site.read("public/nl/a/index.html");
    assert_eq!(page.matches("Kort <em>stuk</em>.").count(), 4_000);
    assert_eq!(page.matches("Snippet.").count(), 4_000);
}

#[cfg(unix)]
fn mkfifo(path: &std::path::Path) {
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("create folders");
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("run mkfifo");
    assert!(status.success());
}

/// Runs tolk with a deadline: a FIFO must never be opened, so nothing blocks.
#[cfg(unix)]
fn run_with_deadline(site: &Site, args: &[&str]) -> std::process::Output {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tolk"))
        .args(args)
        .current_dir(site.root())
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start tolk");
    let started = std::time::Instant::now();
    while child.try_wait().expect("poll").is_none() {
        if started.elapsed() > std::time::Duration::from_secs(60) {
            let _ = child.kill();
            panic!("tolk {args:?} blocked on a FIFO");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().expect("collect output")
}

#[cfg(unix)]
#[test]
fn fifos_are_never_opened() {
    let (site, _) = built_site();
    mkfifo(&site.path("content/nl/_includes/pipe.md"));
    site.file(
        "content/nl/a.md",
        "---\ntitle: A\n---\n\n{{$include /help/_includes/pipe.md}}\n",
    );
    let output = run_with_deadline(&site, &["build", "--no-check"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("not a regular file"), "{stderr}");

    let (site, _) = built_site();
    mkfifo(&site.path("content/nl/_includes/snippets.md"));
    let output = run_with_deadline(&site, &["build", "--no-check"]);
    assert!(output.status.success());
    let output = run_with_deadline(&site, &["check"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");

    let (site, _) = built_site();
    mkfifo(&site.path("tolk.toml"));
    let output = run_with_deadline(&site, &["build", "--no-check"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("not a regular file"), "{stderr}");
}

// 10 is a unit test beside the code (check::fix). 11. Unreadable files.

#[cfg(unix)]
#[test]
fn unreadable_toc_snippets_and_includes_say_cannot_read() {
    use std::os::unix::fs::PermissionsExt;
    let lock = |site: &Site, rel: &str| {
        let path = site.path(rel);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).expect("chmod");
        std::fs::read(&path).is_err()
    };
    let (site, _) = built_site();
    site.file("content/nl/TOC.md", "# Inhoud\n\n- [Goed](good.md)\n");
    if !lock(&site, "content/nl/TOC.md") {
        eprintln!("running as root: permissions do not stop reads, nothing to test");
        return;
    }
    site.run(&["build", "--no-check"])
        .failure(1)
        .stderr_has("cannot read")
        .stderr_has("TOC.md")
        .stderr_has("Permission denied");

    let (site, _) = built_site();
    site.file("content/nl/_includes/snippets.md", "## S {#s}\n\nS.\n")
        .file("content/nl/_includes/i.md", "I.\n")
        .file(
            "content/nl/a.md",
            "---\ntitle: A\n---\n\n{{s}}\n\n{{$include /help/_includes/i.md}}\n",
        );
    lock(&site, "content/nl/_includes/snippets.md");
    lock(&site, "content/nl/_includes/i.md");
    site.run(&["build", "--no-check"])
        .failure(1)
        .stderr_has("cannot read content/nl/_includes/snippets.md: Permission denied")
        .stderr_has("cannot read the included file `/help/_includes/i.md`: Permission denied");
}

/// Runs `tolk args` and returns how long it took; the bounds below are generous (ten times
/// what the work takes now), yet below the quadratic times the issue measured.
fn timed(site: &Site, args: &[&str]) -> std::time::Duration {
    let started = std::time::Instant::now();
    let run = site.run(args);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    started.elapsed()
}

#[test]
fn forty_thousand_equal_headings_take_linear_time() {
    let (site, _) = built_site();
    site.file(
        "content/nl/a.md",
        &format!("---\ntitle: A\n---\n\n{}", "## Same\n\n".repeat(40_000)),
    );
    let took = timed(&site, &["build", "--no-check"]);
    assert!(took < std::time::Duration::from_secs(60), "{took:?}");
    let page = site.read("public/nl/a/index.html");
    assert!(page.contains("id=\"same-39999\""));
}

#[test]
fn check_takes_linear_time_on_deep_markers_and_long_lines() {
    let (site, _) = built_site();
    site.file(
        "content/nl/a.md",
        &format!(
            "---\ntitle: A\nexl-id: 4a911760-e3fe-4e77-b7aa-b08f9ea59d6b\n---\n\n{}\n\n{}\n",
            "[!UICONTROL ".repeat(40_000),
            "[x](b.md) ".repeat(32_000)
        ),
    );
    // Before: 32 s for the markers and 30 s for the links on an idle machine; now a few.
    let took = timed(&site, &["check"]);
    assert!(took < std::time::Duration::from_secs(40), "{took:?}");
}

// 12. Minor.

#[cfg(unix)]
#[test]
fn escape_sequences_in_file_names_never_reach_the_terminal() {
    let (site, _) = built_site();
    site.file("content/nl/a\u{1b}[2Jb.md", "---\ntitle: [\n---\n");
    let run = site.run(&["check"]);
    assert!(
        !run.stdout.contains('\u{1b}') && !run.stderr.contains('\u{1b}'),
        "{}{}",
        run.stdout,
        run.stderr
    );
    assert!(run.stdout.contains("a\\u{1b}[2Jb.md"), "{}", run.stdout);
}

#[cfg(unix)]
#[test]
fn file_names_with_hash_or_question_mark_are_linked_escaped() {
    let site = Site::new();
    site.file("content/nl/a#b.md", &GOOD.replace("Goed", "Hekje"))
        .file(
            "content/nl/c?.md",
            &GOOD
                .replace("Goed", "Vraag")
                .replace("4a911760", "5a911760"),
        );
    site.run(&["build", "--no-check"]).success();
    assert!(site.path("public/nl/a#b/index.html").is_file());
    assert!(site.path("public/nl/c?/index.html").is_file());
    let home = site.read("public/nl/index.html");
    assert!(home.contains("href=\"a%23b/\""), "{home}");
    assert!(home.contains("href=\"c%3F/\""), "{home}");
    assert!(!home.contains("href=\"a#b/\""), "{home}");
}
