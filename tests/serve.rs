//! `tolk serve --watch` end to end: the real binary on a temporary copy of the seed site, read
//! over HTTP while the test edits, renames, breaks and deletes articles; and a real browser
//! that reloads by itself.

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{Site, SEED_PATH};

const TIMEOUT: Duration = Duration::from_secs(30);

/// A running `tolk serve`; killed when dropped, also when a test panics.
struct Server {
    child: Child,
    base: String,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    fn start(site: &Site, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tolk"))
            .args(["serve", "--port", "0"])
            .args(extra)
            .current_dir(site.root())
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start tolk serve");
        let stdout = collect(child.stdout.take().expect("stdout"));
        let stderr = collect(child.stderr.take().expect("stderr"));
        let mut server = Server {
            child,
            base: String::new(),
            stdout,
            stderr,
        };
        let started = Instant::now();
        server.base = loop {
            let out = server.stdout();
            if let Some(line) = out.lines().find(|l| l.starts_with("Serving ")) {
                let url = line.rsplit(' ').next().expect("a URL");
                break url.trim_end_matches('/').to_owned();
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!(
                    "tolk serve exited with {status}\nstdout:\n{out}\nstderr:\n{}",
                    server.stderr()
                );
            }
            assert!(
                started.elapsed() < TIMEOUT,
                "tolk serve did not start\nstdout:\n{out}\nstderr:\n{}",
                server.stderr()
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        server
    }

    fn watch(site: &Site) -> Server {
        Server::start(site, &["--watch"])
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn stdout(&self) -> String {
        self.stdout.lock().expect("stdout").clone()
    }

    fn stderr(&self) -> String {
        self.stderr.lock().expect("stderr").clone()
    }

    fn get(&self, path: &str) -> Response {
        get(&self.base, path)
    }

    /// Polls `path` until `ready` holds for its response, or fails showing the last one.
    fn wait_for(&self, path: &str, what: &str, ready: impl Fn(&Response) -> bool) -> Response {
        let started = Instant::now();
        loop {
            let response = self.get(path);
            if ready(&response) {
                return response;
            }
            assert!(
                started.elapsed() < TIMEOUT,
                "timed out waiting for {what} at {path}; last response {}:\n{}\n\nstdout:\n{}\nstderr:\n{}",
                response.status,
                response.body,
                self.stdout(),
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn collect(stream: impl Read + Send + 'static) -> Arc<Mutex<String>> {
    let text = Arc::new(Mutex::new(String::new()));
    let sink = Arc::clone(&text);
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        while reader.read_line(&mut line).map(|n| n > 0).unwrap_or(false) {
            sink.lock().expect("output").push_str(&line);
            line.clear();
        }
    });
    text
}

#[derive(Debug)]
struct Response {
    status: u16,
    headers: BTreeMap<String, String>,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> &str {
        self.headers.get(name).map_or("", String::as_str)
    }
}

/// A minimal HTTP/1.1 GET; `path` is sent exactly as given (no normalization of `..`).
fn get(base: &str, path: &str) -> Response {
    let host = base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(host).expect("connect to tolk serve");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .expect("send a request");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read the response");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Response {
        status,
        headers,
        body: body.to_owned(),
    }
}

/// Whether `text` names `path` with a line and a column: `path:5:12`.
fn positioned(text: &str, path: &str) -> bool {
    text.match_indices(&format!("{path}:")).any(|(at, found)| {
        let rest = &text[at + found.len()..];
        let mut parts = rest.splitn(3, ':');
        let number = |p: Option<&str>| {
            p.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        };
        number(parts.next()) && number(parts.next())
    })
}

fn seed(locale: &str) -> String {
    format!("content/{locale}/{SEED_PATH}.md")
}

fn seed_url(locale: &str) -> String {
    format!("/{locale}/{SEED_PATH}/")
}

/// Writes `text` to a temporary file beside `path` and renames it over `path`, as editors do.
fn save_by_rename(path: &Path, text: &str) {
    let temp = path.with_extension("md.tmp");
    std::fs::write(&temp, text).expect("write the temporary file");
    std::fs::rename(&temp, path).expect("rename over the article");
}

const SECOND: &str = "---\ntitle: Tweede artikel over goedkeuringen\n\
    exl-id: 0b6f3a2e-1c4d-4e5f-8a9b-0c1d2e3f4a5b\n---\n\n# Tweede artikel over goedkeuringen\n\n\
    Een tweede artikel.\n";

#[test]
fn serves_every_locale_from_memory_with_safe_paths() {
    let site = Site::seeds();
    site.file("content/nl/extra/img one.png", "not really a png");
    let server = Server::start(&site, &["--no-watch"]);

    let root = server.get("/");
    assert_eq!(root.status, 200);
    assert_eq!(root.header("content-type"), "text/html; charset=utf-8");
    for locale in ["nl", "fr", "it"] {
        let page = server.get(&seed_url(locale));
        assert_eq!(page.status, 200, "{locale}");
        assert!(page.body.contains(&format!("<html lang=\"{locale}\">")));
        let home = server.get(&format!("/{locale}"));
        assert_eq!(home.status, 302);
        assert_eq!(home.header("location"), format!("/{locale}/"));
    }
    // With --no-watch there is no live reload.
    assert!(!server.get("/nl/").body.contains("/__tolk/live.js"));

    for (path, content_type) in [
        ("/static/tolk.css", "text/css; charset=utf-8"),
        ("/static/tolk.js", "text/javascript; charset=utf-8"),
        ("/sitemap.xml", "application/xml"),
        ("/nl/extra/img%20one.png", "image/png"),
        ("/static/search.js", "text/javascript; charset=utf-8"),
        ("/search/nl/index.json", "application/json"),
    ] {
        let response = server.get(path);
        assert_eq!(response.status, 200, "{path}");
        assert_eq!(response.header("content-type"), content_type, "{path}");
    }
    // Traversal in every spelling: refused, and never the file outside.
    std::fs::write(site.path("secret.txt"), "top secret").expect("write a file outside");
    for path in [
        "/../secret.txt",
        "/nl/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/nl/%2E%2E/%2e%2e/secret.txt",
        "/nl%2f..%2f..%2fsecret.txt",
        "/..%5csecret.txt",
        "/nl\\..\\..\\secret.txt",
        "//etc/passwd",
        "/C:/Windows/win.ini",
    ] {
        let response = server.get(path);
        assert!(
            response.status == 400 || response.status == 404,
            "{path}: {}",
            response.status
        );
        assert!(!response.body.contains("top secret"), "{path}");
    }
    let secret = server.get("/secret.txt");
    assert_eq!(secret.status, 404);
    assert!(!secret.body.contains("top secret"));

    // Unknown paths: the locale's 404 page, else the root's, with status 404.
    let missing = server.get("/fr/nulle-part/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("<html lang=\"fr\">"),
        "{}",
        missing.body
    );
    let missing = server.get("/nowhere");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("<html"));

    // Nothing was written into the site.
    assert!(!site.path("public").exists());
}

#[test]
fn edits_in_place_and_by_rename_are_served() {
    let site = Site::seeds();
    let server = Server::watch(&site);
    let page = server.get(&seed_url("nl"));
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("/__tolk/live.js"),
        "live reload injected"
    );
    let original = site.read(&seed("nl"));

    // In place.
    let edited = original.replace(
        "# Problemen oplossen",
        "Eerste bewerking ter plaatse.\n\n# Problemen oplossen",
    );
    assert_ne!(edited, original);
    std::fs::write(site.path(&seed("nl")), &edited).expect("edit in place");
    server.wait_for(&seed_url("nl"), "the edit in place", |r| {
        r.body.contains("Eerste bewerking ter plaatse.")
    });

    // By rename, as vim, VS Code and most editors save.
    let renamed = original.replace(
        "# Problemen oplossen",
        "Tweede bewerking, opgeslagen via hernoemen.\n\n# Problemen oplossen",
    );
    save_by_rename(&site.path(&seed("nl")), &renamed);
    let page = server.wait_for(&seed_url("nl"), "the save by rename", |r| {
        r.body
            .contains("Tweede bewerking, opgeslagen via hernoemen.")
    });
    assert!(!page.body.contains("Eerste bewerking ter plaatse."));

    // One line per rebuild: what changed, what was rebuilt, how long it took.
    let out = server.stdout();
    let line = out
        .lines()
        .find(|l| l.contains(" changed: rebuilt "))
        .unwrap_or_else(|| panic!("a rebuild line in:\n{out}"));
    assert!(line.starts_with(&seed("nl")), "{line}");
    // The article in its three languages, not the whole site.
    assert!(line.contains(" rebuilt 3 pages in "), "{line}");
    // The temporary file of the save never shows up as a change.
    assert!(!out.contains(".md.tmp"), "{out}");
}

#[test]
fn polling_sees_saves_too() {
    let site = Site::seeds();
    let server = Server::start(&site, &["--watch", "--poll"]);
    // The watcher's line follows the "Serving" line: wait for it.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !server.stdout().contains("(polling)") && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(server.stdout().contains("(polling)"), "{}", server.stdout());
    let original = site.read(&seed("it"));
    let edited = original.replacen("\n# ", "\nModifica vista dal sondaggio.\n\n# ", 1);
    assert_ne!(edited, original);
    save_by_rename(&site.path(&seed("it")), &edited);
    server.wait_for(&seed_url("it"), "the polled edit", |r| {
        r.body.contains("Modifica vista dal sondaggio.")
    });
}

#[test]
fn a_broken_save_shows_its_error_over_the_last_good_page() {
    let site = Site::seeds();
    let server = Server::watch(&site);
    let original = site.read(&seed("nl"));
    assert!(server
        .get(&seed_url("nl"))
        .body
        .contains("Problemen oplossen"));

    let broken = original.replacen("title: 'Problemen", "title: [ 'Problemen", 1);
    assert_ne!(broken, original);
    std::fs::write(site.path(&seed("nl")), &broken).expect("break the front matter");
    let page = server.wait_for(&seed_url("nl"), "the error overlay", |r| {
        r.body.contains("id=\"tolk-serve-error\"")
    });
    // The positioned error, HTML-escaped, over the last good version of the page.
    assert!(positioned(&page.body, &seed("nl")), "{}", page.body);
    assert!(page.body.contains("title: [ &#39;Problemen oplossen"));
    assert!(page.body.contains("<h1"), "the old page is still served");
    assert_eq!(page.status, 200);
    // Every page shows it, in every locale; and the terminal too.
    assert!(server
        .get(&seed_url("fr"))
        .body
        .contains("id=\"tolk-serve-error\""));
    assert!(server.stdout().contains("the build failed"));
    assert!(
        positioned(&server.stderr(), &seed("nl")),
        "{}",
        server.stderr()
    );

    // The next good save clears it.
    let fixed = original.replace(
        "# Problemen oplossen",
        "Weer in orde.\n\n# Problemen oplossen",
    );
    std::fs::write(site.path(&seed("nl")), &fixed).expect("fix the front matter");
    let page = server.wait_for(&seed_url("nl"), "the overlay to clear", |r| {
        !r.body.contains("id=\"tolk-serve-error\"")
    });
    assert!(page.body.contains("Weer in orde."));

    // A broken template, in a templates/ folder made while serving: same story.
    let template = std::fs::read_to_string(common::repo().join("templates/page.html"))
        .expect("read the default page template");
    site.file(
        "templates/page.html",
        &template.replacen("{% block meta %}", "{% block meta %}{{ broken(", 1),
    );
    assert!(site.read("templates/page.html").contains("broken("));
    let page = server.wait_for(&seed_url("nl"), "the template error", |r| {
        r.body.contains("id=\"tolk-serve-error\"")
    });
    assert!(
        positioned(&page.body, "templates/page.html"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Weer in orde."), "the last good page");
    std::fs::remove_file(site.path("templates/page.html")).expect("remove the template");
    server.wait_for(&seed_url("nl"), "the template error to clear", |r| {
        !r.body.contains("id=\"tolk-serve-error\"")
    });

    // A broken tolk.toml: same story, and the server lives on.
    let config = site.read("tolk.toml");
    std::fs::write(site.path("tolk.toml"), format!("{config}\nbogus = 1\n")).expect("break");
    server.wait_for("/nl/", "the config error", |r| {
        r.body.contains("tolk.toml") && r.body.contains("bogus")
    });
    std::fs::write(site.path("tolk.toml"), &config).expect("fix tolk.toml");
    server.wait_for("/nl/", "the config error to clear", |r| {
        !r.body.contains("id=\"tolk-serve-error\"")
    });
}

#[test]
fn watches_by_default_with_short_flags_and_says_why_no_browser_opened() {
    let site = Site::seeds();
    let mut child = Command::new(env!("CARGO_BIN_EXE_tolk"))
        .args(["serve", "-p", "0", "-i", "127.0.0.1", "--open"])
        .current_dir(site.root())
        .env("NO_COLOR", "1")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start tolk serve");
    let stdout = collect(child.stdout.take().expect("stdout"));
    let stderr = collect(child.stderr.take().expect("stderr"));
    let started = Instant::now();
    let done = || {
        stdout.lock().expect("stdout").contains("Watching ")
            && stderr
                .lock()
                .expect("stderr")
                .contains("cannot open a browser")
    };
    while !done() && started.elapsed() < TIMEOUT {
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    let (out, err) = (
        stdout.lock().expect("stdout").clone(),
        stderr.lock().expect("stderr").clone(),
    );
    assert!(
        out.contains("Watching content/nl"),
        "watches by default:\n{out}"
    );
    assert!(
        err.contains("warning: cannot open a browser: there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set); open http://127.0.0.1:"),
        "{err}"
    );
}

#[test]
fn a_site_that_never_built_does_not_claim_a_last_good_version() {
    let site = Site::seeds();
    let original = site.read(&seed("nl"));
    std::fs::write(
        site.path(&seed("nl")),
        original.replacen("title: 'Problemen", "title: [ 'Problemen", 1),
    )
    .expect("break the front matter");
    let server = Server::start(&site, &[]);
    let page = server.get(&seed_url("nl"));
    assert_eq!(page.status, 404);
    assert!(
        page.body.contains("id=\"tolk-serve-error\""),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("The site could not be built, so there is no page to show yet."),
        "{}",
        page.body
    );
    assert!(!page.body.contains("last good version"), "{}", page.body);
    assert!(positioned(&page.body, &seed("nl")), "{}", page.body);
    // Watching by default: the fix builds the site.
    std::fs::write(site.path(&seed("nl")), &original).expect("fix it");
    server.wait_for(&seed_url("nl"), "the first good build", |r| {
        r.status == 200 && !r.body.contains("id=\"tolk-serve-error\"")
    });
}

#[test]
fn deleted_and_moved_articles_leave_the_home_page() {
    let site = Site::seeds();
    site.file("content/nl/extra/second.md", SECOND);
    let server = Server::watch(&site);
    let home = server.get("/nl/");
    assert!(
        home.body.contains("href=\"extra/second/\""),
        "{}",
        home.body
    );
    assert_eq!(server.get("/nl/extra/second/").status, 200);

    // A folder renamed: the article moves with it.
    std::fs::rename(site.path("content/nl/extra"), site.path("content/nl/moved"))
        .expect("rename the folder");
    server.wait_for("/nl/", "the moved article", |r| {
        r.body.contains("href=\"moved/second/\"") && !r.body.contains("href=\"extra/second/\"")
    });
    assert_eq!(server.get("/nl/extra/second/").status, 404);
    assert_eq!(server.get("/nl/moved/second/").status, 200);

    // Deleted: gone from the home page, and its page is a 404.
    std::fs::remove_file(site.path("content/nl/moved/second.md")).expect("delete the article");
    server.wait_for("/nl/", "the article to leave the home page", |r| {
        !r.body.contains("second/")
    });
    let gone = server.get("/nl/moved/second/");
    assert_eq!(gone.status, 404);
    assert!(gone.body.contains("<html lang=\"nl\">"), "the nl 404 page");

    // A whole folder deleted.
    site.file(
        "content/nl/folder/third.md",
        &SECOND.replace("0b6f3a2e", "1c7f3a2e"),
    );
    server.wait_for("/nl/", "the new article", |r| {
        r.body.contains("href=\"folder/third/\"")
    });
    std::fs::remove_dir_all(site.path("content/nl/folder")).expect("delete the folder");
    server.wait_for("/nl/", "the deleted folder", |r| {
        !r.body.contains("folder/third/")
    });
}

#[test]
fn open_pages_hear_which_pages_changed() {
    let site = Site::seeds();
    let server = Server::watch(&site);
    let host = server.base.trim_start_matches("http://").to_owned();
    let mut stream = TcpStream::connect(&host).expect("connect");
    write!(
        stream,
        "GET /__tolk/events HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .expect("subscribe");
    stream.set_read_timeout(Some(TIMEOUT)).expect("timeout");
    let mut reader = BufReader::new(stream);
    let mut seen = String::new();
    // Reads until the whole event named `name` has arrived; returns its data line.
    let mut read_event = |name: &str| {
        let started = Instant::now();
        let mut line = String::new();
        let header = format!("event: {name}\n");
        loop {
            if let Some(at) = seen.find(&header) {
                let rest = &seen[at + header.len()..];
                if let Some(end) = rest.find("\n\n") {
                    let data = rest[..end].trim_start_matches("data: ").to_owned();
                    seen.replace_range(..at + header.len() + end, "");
                    return data;
                }
            }
            assert!(started.elapsed() < TIMEOUT, "no {name} event in:\n{seen}");
            line.clear();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                panic!("the event stream ended:\n{seen}");
            }
            seen.push_str(&line.replace("\r\n", "\n"));
        }
    };
    read_event("hello");

    let text = site.read(&seed("fr"));
    let edited = text.replace("# Dépannage", "Une modification.\n\n# Dépannage");
    assert_ne!(edited, text);
    std::fs::write(site.path(&seed("fr")), edited).expect("edit");
    let reload = read_event("reload");
    let data: serde_json::Value = serde_json::from_str(&reload).expect("JSON data");
    assert_eq!(data["all"], false, "{reload}");
    let pages = data["pages"].as_array().cloned().unwrap_or_default();
    assert!(
        pages.contains(&serde_json::json!(seed_url("fr"))),
        "{reload}"
    );
    assert!(
        !pages.contains(&serde_json::json!(seed_url("nl"))),
        "the nl page did not change: {reload}"
    );
}

#[cfg(unix)]
#[test]
fn stops_cleanly_on_a_signal() {
    let site = Site::seeds();
    let mut server = Server::watch(&site);
    // An open event stream must not keep the server from stopping.
    let host = server.base.trim_start_matches("http://").to_owned();
    let mut stream = TcpStream::connect(&host).expect("connect");
    write!(
        stream,
        "GET /__tolk/events HTTP/1.1\r\nHost: {host}\r\n\r\n"
    )
    .expect("subscribe");
    let status = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(status.success());
    let started = Instant::now();
    let exit = loop {
        if let Some(exit) = server.child.try_wait().expect("wait") {
            break exit;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "still running after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(exit.success(), "{exit}");
}

#[test]
fn a_taken_port_is_an_error_that_says_what_to_do() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("address").port().to_string();
    let site = Site::seeds();
    let run = Command::new(env!("CARGO_BIN_EXE_tolk"))
        .args(["serve", "--port", &port])
        .current_dir(site.root())
        .env("NO_COLOR", "1")
        .output()
        .expect("run tolk serve");
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains(&format!("cannot listen on 127.0.0.1:{port}")),
        "{stderr}"
    );
    assert!(stderr.contains("--port 0"), "{stderr}");
}

mod browser {
    //! The page in Debian's chromium reloads itself after a save, keeping its scroll position,
    //! and shows a broken save's error without reloading. Set TOLK_SKIP_BROWSER_TESTS=1 to skip.

    use super::*;
    use common::browser::{Browser, TestResult};
    use fantoccini::{Client, Locator};
    use serde_json::Value;

    async fn start_browser() -> Result<Option<Browser>, Box<dyn std::error::Error>> {
        common::browser::start(1000, 600).await
    }

    async fn wait_for(client: &Client, script: &str, what: &str) -> TestResult {
        common::browser::wait_for(client, script, what, TIMEOUT).await
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_page_reloads_itself_after_a_save() -> TestResult {
        let site = Site::seeds();
        let server = Server::watch(&site);
        let Some(browser) = start_browser().await? else {
            return Ok(());
        };
        let client = &browser.client;
        client.goto(&server.url(&seed_url("nl"))).await?;
        wait_for(client, "document.readyState === 'complete'", "the page").await?;
        // Connected to the event stream, scrolled down, and marked: a reload loses the mark.
        tokio::time::sleep(Duration::from_millis(300)).await;
        client
            .execute(
                "window.scrollTo(0, 400); window.__tolkMark = 'before';",
                vec![],
            )
            .await?;
        let before = client.execute("return window.scrollY;", vec![]).await?;
        assert!(
            before.as_f64().unwrap_or(0.0) > 100.0,
            "the page scrolls: {before}"
        );

        let original = site.read(&seed("nl"));
        let edited = original.replace(
            "# Problemen oplossen",
            "Herladen door de browser zelf.\n\n# Problemen oplossen",
        );
        std::fs::write(site.path(&seed("nl")), &edited)?;
        wait_for(
            client,
            "document.body.textContent.includes('Herladen door de browser zelf.')",
            "the page to reload with the edit",
        )
        .await?;
        let mark = client
            .execute("return window.__tolkMark || null;", vec![])
            .await?;
        assert_eq!(mark, serde_json::Value::Null, "the page was reloaded");
        wait_for(
            client,
            "document.readyState === 'complete'",
            "the reloaded page",
        )
        .await?;
        let after = client.execute("return window.scrollY;", vec![]).await?;
        let (before, after) = (
            before.as_f64().unwrap_or(0.0),
            after.as_f64().unwrap_or(0.0),
        );
        assert!(
            (before - after).abs() < 50.0,
            "the scroll position is kept: {before} -> {after}"
        );

        // A broken save: the overlay appears without a reload, and goes with the fix.
        client
            .execute("window.__tolkMark = 'broken';", vec![])
            .await?;
        std::fs::write(
            site.path(&seed("nl")),
            edited.replacen("title: 'Problemen", "title: [ 'Problemen", 1),
        )?;
        wait_for(
            client,
            "document.getElementById('tolk-serve-error')",
            "the error overlay",
        )
        .await?;
        let overlay = client
            .find(Locator::Id("tolk-serve-error"))
            .await?
            .text()
            .await?;
        assert!(positioned(&overlay, &seed("nl")), "{overlay}");
        let mark = client.execute("return window.__tolkMark;", vec![]).await?;
        assert_eq!(mark, serde_json::json!("broken"), "no reload for an error");
        std::fs::write(site.path(&seed("nl")), &edited)?;
        wait_for(
            client,
            "!document.getElementById('tolk-serve-error')",
            "the overlay to go",
        )
        .await?;
        browser.client.clone().close().await?;
        Ok(())
    }

    /// The contrast of the overlay's headline and error text with what is behind them, as
    /// WCAG computes it: the first opaque background of the element or its ancestors.
    const CONTRAST: &str = r#"
        const rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number);
        const lum = (c) => {
            const [r, g, b] = rgb(c).slice(0, 3).map((v) => {
                v /= 255;
                return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
            });
            return 0.2126 * r + 0.7152 * g + 0.0722 * b;
        };
        const behind = (el) => {
            for (; el; el = el.parentElement) {
                const c = rgb(getComputedStyle(el).backgroundColor);
                if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return getComputedStyle(el).backgroundColor;
            }
            return 'rgb(255, 255, 255)';
        };
        const ratio = (el) => {
            const a = lum(getComputedStyle(el).color), b = lum(behind(el));
            return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        };
        const o = document.getElementById('tolk-serve-error');
        return [ratio(o.querySelector('p')), ratio(o.querySelector('pre')),
                matchMedia('(prefers-color-scheme: dark)').matches];
    "#;

    /// The overlay of a broken save reads in the light and the dark theme (its `pre` once
    /// took the light theme's code background under its light text).
    #[tokio::test(flavor = "current_thread")]
    async fn the_error_overlay_reads_in_both_themes() -> TestResult {
        let site = Site::seeds();
        let server = Server::watch(&site);
        let original = site.read(&seed("nl"));
        for (theme, flags) in [("light", &[][..]), ("dark", &["--force-dark-mode"][..])] {
            let Some(browser) = common::browser::start_with(1000, 600, flags).await? else {
                return Ok(());
            };
            let client = &browser.client;
            std::fs::write(
                site.path(&seed("nl")),
                original.replacen("title: 'Problemen", "title: [ 'Problemen", 1),
            )?;
            client.goto(&server.url(&seed_url("nl"))).await?;
            wait_for(
                client,
                "document.getElementById('tolk-serve-error')",
                "the error overlay",
            )
            .await?;
            let measured = client.execute(CONTRAST, vec![]).await?;
            let values = measured.as_array().cloned().unwrap_or_default();
            let ratio = |i: usize| values.get(i).and_then(Value::as_f64).unwrap_or(0.0);
            assert_eq!(
                values.get(2).and_then(Value::as_bool),
                Some(theme == "dark"),
                "the browser is in the {theme} theme"
            );
            assert!(
                ratio(0) >= 4.5,
                "{theme}: the headline's contrast is {}",
                ratio(0)
            );
            assert!(
                ratio(1) >= 7.0,
                "{theme}: the error's contrast is {}",
                ratio(1)
            );
            let text = client
                .find(Locator::Css("#tolk-serve-error pre"))
                .await?
                .text()
                .await?;
            assert!(positioned(&text, &seed("nl")), "{text}");
            std::fs::create_dir_all(screenshots_dir())?;
            std::fs::write(
                screenshots_dir().join(format!("serve-overlay-{theme}.png")),
                client.screenshot().await?,
            )?;
            std::fs::write(site.path(&seed("nl")), &original)?;
            wait_for(
                client,
                "!document.getElementById('tolk-serve-error')",
                "the overlay to go",
            )
            .await?;
            browser.client.clone().close().await?;
        }
        Ok(())
    }

    fn screenshots_dir() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots")
    }
}

/// One request that reports failure instead of panicking: `(status, body)`.
fn try_get(base: &str, path: &str) -> std::io::Result<(u16, String)> {
    let host = base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(host)?;
    stream.set_read_timeout(Some(Duration::from_secs(20)))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .lines()
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no status line in {text:?}")))?;
    let body = text
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_owned();
    Ok((status, body))
}

/// 10,000 requests from 100 concurrent connections (loopback only, bounded) while an article
/// is saved again and again: no request fails, no traversal attempt leaves the site, nothing
/// panics, the server keeps running.
#[test]
fn holds_ten_thousand_requests_while_articles_change() {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let site = Site::seeds();
    let mut server = Server::start(&site, &["--watch"]);
    let base = server.base.clone();
    let pages: Vec<String> = vec![
        seed_url("nl"),
        seed_url("fr"),
        seed_url("it"),
        "/".into(),
        "/nl/".into(),
        "/static/tolk.css".into(),
        "/sitemap.xml".into(),
        "/no/such/page/".into(),
    ];
    let attacks = [
        "/../../../../etc/passwd",
        "/nl/../../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2f..%2fetc%2fpasswd",
        "/nl/%5c..%5c..%5c..%5cetc%5cpasswd",
        "//etc/passwd",
        "/nl/..\\..\\..\\etc\\passwd",
    ];
    let stop = Arc::new(AtomicBool::new(false));
    let editor = {
        let stop = Arc::clone(&stop);
        let path = site.path(&seed("nl"));
        let original = site.read(&seed("nl"));
        std::thread::spawn(move || {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                std::fs::write(&path, format!("{original}\nBewerking {n}.\n"))
                    .expect("save the article");
                std::thread::sleep(Duration::from_millis(50));
            }
            n
        })
    };
    let failures = Arc::new(AtomicUsize::new(0));
    let leaks = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..100)
        .map(|worker| {
            let (base, pages, failures, leaks) = (
                base.clone(),
                pages.clone(),
                Arc::clone(&failures),
                Arc::clone(&leaks),
            );
            std::thread::spawn(move || {
                for i in 0..100 {
                    let attack = (worker + i) % 10 == 0;
                    let path = if attack {
                        attacks[(worker + i) % attacks.len()].to_owned()
                    } else {
                        pages[(worker * 7 + i) % pages.len()].clone()
                    };
                    match try_get(&base, &path) {
                        Ok((status, body)) if attack => {
                            if !matches!(status, 400 | 404) || body.contains("root:x:0:0") {
                                leaks.fetch_add(1, Ordering::Relaxed);
                            }
                        }
                        Ok((200 | 301 | 307 | 308 | 404, _)) => {}
                        Ok(_) | Err(_) => {
                            failures.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().expect("a worker");
    }
    let elapsed = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    let saves = editor.join().expect("the editor");
    eprintln!("10,000 requests in {elapsed:?} while the article was saved {saves} times");
    assert_eq!(failures.load(Ordering::Relaxed), 0, "failed requests");
    assert_eq!(
        leaks.load(Ordering::Relaxed),
        0,
        "traversal attempts that were not refused"
    );
    assert!(
        server
            .child
            .try_wait()
            .expect("the server's state")
            .is_none(),
        "the server is still running"
    );
    assert!(!server.stderr().contains("panicked"), "{}", server.stderr());
    assert!(saves > 3, "the article changed during the run");
}

/// A port that was free a moment ago, for a server that does not say where it listens (`-q`).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

#[test]
fn quiet_serve_prints_only_errors() {
    let site = Site::seeds();
    let port = free_port().to_string();
    let mut server = Server {
        child: Command::new(env!("CARGO_BIN_EXE_tolk"))
            .args(["serve", "-q", "--port", &port])
            .current_dir(site.root())
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start tolk serve"),
        base: format!("http://127.0.0.1:{port}"),
        stdout: Arc::new(Mutex::new(String::new())),
        stderr: Arc::new(Mutex::new(String::new())),
    };
    server.stdout = collect(server.child.stdout.take().expect("stdout"));
    server.stderr = collect(server.child.stderr.take().expect("stderr"));
    let started = Instant::now();
    while try_get(&server.base, &seed_url("nl")).map(|(s, _)| s).ok() != Some(200) {
        if let Ok(Some(status)) = server.child.try_wait() {
            panic!("tolk serve -q exited with {status}:\n{}", server.stderr());
        }
        assert!(started.elapsed() < TIMEOUT, "tolk serve -q did not start");
        std::thread::sleep(Duration::from_millis(25));
    }
    let original = site.read(&seed("nl"));
    let edited = original.replace(
        "# Problemen oplossen",
        "Stil bewerkt.\n\n# Problemen oplossen",
    );
    // Nothing says when the watcher is ready: the edit is saved again until it is served.
    let deadline = Instant::now() + TIMEOUT;
    loop {
        std::fs::write(site.path(&seed("nl")), &edited).expect("edit");
        let served = || server.get(&seed_url("nl")).body.contains("Stil bewerkt.");
        let waited = Instant::now();
        while !served() && waited.elapsed() < Duration::from_secs(1) {
            std::thread::sleep(Duration::from_millis(25));
        }
        if served() {
            break;
        }
        assert!(Instant::now() < deadline, "the quiet save was never served");
    }
    assert_eq!(server.stdout(), "", "nothing on success");
    assert_eq!(server.stderr(), "", "nothing on success");

    // A broken save: its error, and only that.
    std::fs::write(site.path(&seed("nl")), "---\ntitle: 'Kapot\n---\n").expect("break");
    let deadline = Instant::now() + TIMEOUT;
    while !server.stderr().contains("Kapot") && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(25));
    }
    assert!(server.stderr().contains(&seed("nl")), "{}", server.stderr());
    assert!(!server.stderr().contains("warning:"), "{}", server.stderr());
}

#[test]
fn verbose_serve_names_what_each_save_rendered() {
    let site = Site::seeds();
    let server = Server::start(&site, &["-v"]);
    let original = site.read(&seed("nl"));
    let edited = original.replace(
        "# Problemen oplossen",
        "Luid bewerkt.\n\n# Problemen oplossen",
    );
    std::fs::write(site.path(&seed("nl")), &edited).expect("edit");
    server.wait_for(&seed_url("nl"), "the verbose save", |r| {
        r.body.contains("Luid bewerkt.")
    });
    let deadline = Instant::now() + TIMEOUT;
    while !server.stdout().contains("  served in ") && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(25));
    }
    let out = server.stdout();
    let rendered = out
        .lines()
        .find(|l| l.starts_with("  rendered "))
        .unwrap_or_else(|| panic!("a rendered line in:\n{out}"));
    assert!(
        rendered.contains(" file") && rendered.ends_with(':'),
        "{rendered}\n{out}"
    );
    let page = format!("    {}index.html", seed_url("nl").trim_start_matches('/'));
    assert!(out.lines().any(|l| l == page), "{page:?} in:\n{out}");
    assert!(out.contains("  served in "), "{out}");
}

#[test]
fn quiet_and_verbose_conflict() {
    let site = Site::seeds();
    site.run(&["serve", "-q", "-v"])
        .failure(2)
        .stderr_has("cannot be used with");
    site.run(&["build", "-q", "-v"])
        .failure(2)
        .stderr_has("cannot be used with");
}
