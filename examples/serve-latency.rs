//! Save-to-reload latency of `tolk serve --watch`: generates a site of N articles in nl, fr
//! and it (or takes one with `--site`), starts the serve machinery in this process, saves one
//! article again and again, and measures how long each save takes to become a reload message
//! for the open pages.
//!
//! ```sh
//! cargo run --release --example serve-latency                      # 10,000 articles x 3 locales
//! cargo run --release --example serve-latency -- --articles 1000 --edits 10
//! cargo run --release --example serve-latency -- --site /tmp/corpus  # e.g. from gen-corpus
//! ```
//!
//! Two numbers per save: from the file event (the time notify saw the write) to the reload
//! message, which is the rebuild plus the debounce window; and from the write itself, which
//! also counts the watcher's delivery.

#[path = "corpus/mod.rs"]
mod corpus;

use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tolk::serve::reload::Message;
use tolk::serve::{self, ServeOptions};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

struct Args {
    articles: usize,
    edits: usize,
    site: Option<PathBuf>,
}

fn parse_args() -> Result<Args> {
    let mut args = Args {
        articles: 10_000,
        edits: 5,
        site: None,
    };
    let mut given = std::env::args().skip(1);
    while let Some(flag) = given.next() {
        let mut value = || given.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--articles" => args.articles = value()?.parse()?,
            "--edits" => args.edits = value()?.parse()?,
            "--site" => args.site = Some(PathBuf::from(value()?)),
            other => {
                return Err(format!(
                    "unknown argument {other}; use --articles N, --edits N, --site DIR"
                )
                .into())
            }
        }
    }
    Ok(args)
}

const LOCALES: [&str; 3] = ["nl", "fr", "it"];

/// The first article of the site's first locale: the one saved again and again.
fn any_article(root: &Path) -> Result<PathBuf> {
    let config = tolk::config::Config::load(root)?;
    let dir = config
        .locales
        .first()
        .map(|l| l.content_dir.clone())
        .ok_or("the site has no locale")?;
    let mut stack = vec![dir];
    while let Some(dir) = stack.pop() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for path in entries {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if path.is_dir() && !name.starts_with('.') && !name.starts_with('_') {
                stack.push(path);
            } else if name.ends_with(".md") && name != "TOC.md" && name != "index.md" {
                return Ok(path);
            }
        }
    }
    Err("the site has no article".into())
}

fn median(values: &mut [Duration]) -> Duration {
    values.sort();
    values.get(values.len() / 2).copied().unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

/// Where a full rebuild's time goes: the checks, the site build, and comparing two builds to
/// find the pages to reload.
fn breakdown(root: &Path) -> Result<()> {
    let config = tolk::config::Config::load(root)?;
    let started = Instant::now();
    let mut site = tolk::model::Site::load(&config)?;
    let look = tolk::site::Look::load(&config)?;
    let read = started.elapsed();
    let started = Instant::now();
    let mut report = tolk::check::run(&config, &site)?;
    let checks = started.elapsed();
    let started = Instant::now();
    let output = tolk::site::Output::memory();
    tolk::site::build_site(
        &config,
        &mut site,
        look,
        &output,
        Some(&mut report),
        started,
        &|_| {},
    )?;
    let files: serve::rebuild::SiteFiles = output
        .commit()?
        .into_iter()
        .filter_map(|(key, bytes)| Some((key, bytes?.into())))
        .collect();
    let build = started.elapsed();
    let copy = files.clone();
    let started = Instant::now();
    let affected = serve::reload::affected("/", &files, &copy);
    let compare = started.elapsed();
    let bytes: usize = files.values().map(|b| b.len()).sum();
    println!(
        "a full rebuild: reading {}, checks {}, site build {} ({} files, {} MB), comparing two builds {}{}",
        ms(read),
        ms(checks),
        ms(build),
        files.size(),
        bytes / 1_000_000,
        ms(compare),
        if affected.is_empty() {
            ""
        } else {
            " (they differ!)"
        }
    );
    Ok(())
}

fn main() -> Result<()> {
    let args = parse_args()?;
    let generated = tempfile::tempdir()?;
    let (root, edited) = match &args.site {
        Some(site) => (site.clone(), any_article(site)?),
        None => {
            let started = Instant::now();
            let locales: Vec<String> = LOCALES.iter().map(|l| (*l).to_owned()).collect();
            corpus::generate(generated.path(), args.articles, &locales, 7)?;
            println!(
                "Generated {} articles x {} locales in {:.1} s",
                args.articles,
                LOCALES.len(),
                started.elapsed().as_secs_f64()
            );
            let root = generated.path().to_owned();
            let edited = any_article(&root)?;
            (root, edited)
        }
    };
    let running = serve::start(&ServeOptions {
        root: root.clone(),
        interface: IpAddr::V4(Ipv4Addr::LOCALHOST),
        port: 0,
        watch: true,
        poll: false,
        base_url: None,
        open: false,
        verbose: false,
        quiet: false,
    })?;
    let mut messages = running.subscribe();
    let original = std::fs::read_to_string(&edited)?;
    let mut from_event = Vec::new();
    let mut from_write = Vec::new();
    for edit in 0..args.edits {
        // Let the watcher settle, so each save is a batch of its own.
        std::thread::sleep(Duration::from_millis(300));
        let text = format!("{original}\nBewerking {edit} voor de meting.\n");
        let written = Instant::now();
        std::fs::write(&edited, text)?;
        loop {
            match messages.blocking_recv() {
                Ok(Message::Reload {
                    since_event,
                    affected,
                    ..
                }) => {
                    let total = written.elapsed();
                    let event = since_event.unwrap_or(total);
                    println!(
                        "edit {}: file event -> reload message {}, write -> reload message {} ({} changed)",
                        edit + 1,
                        ms(event),
                        ms(total),
                        match affected.pages.len() { 1 => "1 page".to_owned(), n => format!("{n} pages") }
                    );
                    from_event.push(event);
                    from_write.push(total);
                    break;
                }
                Ok(Message::Failed { .. }) => return Err("the rebuild failed".into()),
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(e) => return Err(e.into()),
            }
        }
    }
    std::fs::write(&edited, original)?;
    running.shutdown();
    breakdown(&root)?;
    if !from_event.is_empty() {
        println!(
            "median of {} edits: file event -> reload message {}, write -> reload message {} (debounce {} ms included)",
            from_event.len(),
            ms(median(&mut from_event)),
            ms(median(&mut from_write)),
            serve::watch::DEBOUNCE.as_millis()
        );
    }
    Ok(())
}
