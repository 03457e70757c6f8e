//! Debian's chromium, headless, driven through chromedriver with fantoccini: the browser tests
//! of the built site and of `tolk serve` share this. `.ci/run` installs both programs; set
//! TOLK_SKIP_BROWSER_TESTS=1 to skip the tests on a machine without them.

use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};

pub type TestResult = Result<(), Box<dyn std::error::Error>>;

/// chromedriver and a browser session; both end when this is dropped.
pub struct Browser {
    driver: Child,
    pub client: Client,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// The process group of chromedriver and the chromium it started.
    pub fn process_group(&self) -> u32 {
        self.driver.id()
    }
}

/// How many running processes are in the process group `group` (read from `/proc`).
pub fn processes_in_group(group: u32) -> usize {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0;
    };
    entries
        .flatten()
        .filter_map(|entry| std::fs::read_to_string(entry.path().join("stat")).ok())
        .filter(|stat| {
            // `pid (name) state ppid pgrp ...`: the name may hold spaces and parentheses.
            let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
            let mut fields = after_name.split_whitespace();
            let state = fields.next();
            let pgrp = fields.nth(1).and_then(|p| p.parse::<u32>().ok());
            pgrp == Some(group) && state != Some("Z")
        })
        .count()
}

impl Drop for Browser {
    /// Ends chromedriver and the chromium it started: they are a process group of their own, so
    /// a test that ends without closing its session (a failed assertion) leaves no browser
    /// running after it.
    fn drop(&mut self) {
        let group = format!("-{}", self.driver.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn find(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
        .map(|dir| dir.join(program))
        .find(|path| path.is_file())
}

/// Starts chromedriver and a headless chromium with a fresh profile and a window of
/// `width` x `height`; `None` when TOLK_SKIP_BROWSER_TESTS is set.
pub async fn start(width: u32, height: u32) -> Result<Option<Browser>, Box<dyn std::error::Error>> {
    start_with(width, height, &[]).await
}

/// [`start`] with more command-line arguments for chromium (`--force-dark-mode`: the pages see
/// `prefers-color-scheme: dark`).
pub async fn start_with(
    width: u32,
    height: u32,
    extra: &[&str],
) -> Result<Option<Browser>, Box<dyn std::error::Error>> {
    if std::env::var_os("TOLK_SKIP_BROWSER_TESTS").is_some() {
        eprintln!("TOLK_SKIP_BROWSER_TESTS is set: skipping the browser test");
        return Ok(None);
    }
    let driver_path = find("chromedriver").ok_or(
        "chromedriver is not installed: apt-get install chromium chromium-driver (see .ci/run)",
    )?;
    let browser_path = find("chromium").ok_or(
        "chromium is not installed: apt-get install chromium chromium-driver (see .ci/run)",
    )?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let driver = Command::new(driver_path)
        .process_group(0)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let profile = tempfile::tempdir()?;
    let mut args: Vec<String> = [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    .map(str::to_owned)
    .to_vec();
    args.push(format!("--window-size={width},{height}"));
    args.push(format!("--user-data-dir={}", profile.path().display()));
    args.extend(extra.iter().map(|a| (*a).to_owned()));
    let capabilities = serde_json::json!({
        "goog:chromeOptions": {
            "binary": browser_path,
            "args": args,
        }
    });
    let capabilities = match capabilities {
        serde_json::Value::Object(map) => map,
        _ => serde_json::Map::new(),
    };
    let started = Instant::now();
    let client = loop {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(capabilities.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(client) => break client,
            Err(_) if started.elapsed() < Duration::from_secs(15) => {
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(e) => return Err(format!("cannot start a browser session: {e}").into()),
        }
    };
    Ok(Some(Browser {
        driver,
        client,
        _profile: profile,
    }))
}

/// Waits until `script` (a JavaScript expression) is true, or fails with `what` after
/// `timeout`.
pub async fn wait_for(client: &Client, script: &str, what: &str, timeout: Duration) -> TestResult {
    let started = Instant::now();
    loop {
        let value = client
            .execute(&format!("return !!({script});"), vec![])
            .await?;
        if value.as_bool() == Some(true) {
            return Ok(());
        }
        if started.elapsed() > timeout {
            return Err(format!("timed out waiting for {what}").into());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
