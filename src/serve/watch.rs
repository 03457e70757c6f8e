//! Watching the site (notify, debounced by notify-debouncer-full) and the rebuild loop that
//! turns each batch of file events into a rebuild, a new snapshot and one line in the terminal.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use notify_debouncer_full::notify::event::{
    CreateKind, MetadataKind, ModifyKind, RemoveKind, RenameMode,
};
use notify_debouncer_full::notify::{
    self, EventKind as NotifyKind, PollWatcher, RecommendedWatcher, RecursiveMode,
};
use notify_debouncer_full::{
    new_debouncer_opt, DebounceEventResult, DebouncedEvent, Debouncer, RecommendedCache,
};

use super::changes::{self, Change, EventKind, Layout, PathEvent};
use super::rebuild::{self, Builder};
use super::reload::Affected;
use super::state::State;
use crate::error::{Error, Result};

/// How long the debouncer waits for a path to be quiet: long enough to see a save by rename
/// (temp file, then rename) as one change, short enough not to be felt.
pub const DEBOUNCE: Duration = Duration::from_millis(20);
/// How often `--poll` looks at every file. It compares their contents too: modification
/// times are only kept to the second there, and two saves in one second must both count.
pub const POLL_INTERVAL: Duration = Duration::from_secs(1);

/// Either kind of watcher, behind the debouncer.
enum Inner {
    Events(Debouncer<RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<PollWatcher, RecommendedCache>),
}

/// The watcher; watching stops when it is dropped.
pub struct Watcher {
    inner: Inner,
    watched: Vec<(PathBuf, bool)>,
}

impl std::fmt::Debug for Watcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watcher")
            .field("watched", &self.watched)
            .finish_non_exhaustive()
    }
}

impl Watcher {
    /// Starts watching; each debounced batch of events is sent to `events`.
    pub fn start(poll: bool, events: mpsc::Sender<DebounceEventResult>) -> Result<Watcher> {
        let failed = |e: notify::Error| {
            Error::setup(
                format!("cannot watch the site for changes: {e}"),
                "run without --watch, or with --poll where file events are not available",
            )
        };
        let inner = if poll {
            let config = notify::Config::default()
                .with_poll_interval(POLL_INTERVAL)
                .with_compare_contents(true);
            Inner::Poll(
                new_debouncer_opt(DEBOUNCE, None, events, RecommendedCache::new(), config)
                    .map_err(failed)?,
            )
        } else {
            Inner::Events(
                new_debouncer_opt(
                    DEBOUNCE,
                    None,
                    events,
                    RecommendedCache::new(),
                    notify::Config::default(),
                )
                .map_err(failed)?,
            )
        };
        Ok(Watcher {
            inner,
            watched: Vec::new(),
        })
    }

    /// Watches what `wanted` lists that exists, and forgets folders that are gone.
    pub fn sync(&mut self, wanted: &[(PathBuf, bool)]) -> Vec<String> {
        let mut problems = Vec::new();
        let gone: Vec<(PathBuf, bool)> = self
            .watched
            .iter()
            .filter(|(path, recursive)| {
                !path.is_dir() || !wanted.contains(&(path.clone(), *recursive))
            })
            .cloned()
            .collect();
        for (path, _) in &gone {
            // The folder may be gone already, and its watch with it.
            let _ = match &mut self.inner {
                Inner::Events(d) => d.unwatch(path),
                Inner::Poll(d) => d.unwatch(path),
            };
        }
        self.watched.retain(|w| !gone.contains(w));
        for (path, recursive) in wanted {
            if !path.is_dir() || self.watched.contains(&(path.clone(), *recursive)) {
                continue;
            }
            let mode = if *recursive {
                RecursiveMode::Recursive
            } else {
                RecursiveMode::NonRecursive
            };
            let result = match &mut self.inner {
                Inner::Events(d) => d.watch(path, mode),
                Inner::Poll(d) => d.watch(path, mode),
            };
            match result {
                Ok(()) => self.watched.push((path.clone(), *recursive)),
                Err(e) => problems.push(format!("cannot watch {}: {e}", path.display())),
            }
        }
        problems
    }
}

/// The paths of one notify event, with what the rebuild needs to know of each.
pub fn path_events(event: &notify::Event) -> Vec<PathEvent> {
    let kind = match event.kind {
        NotifyKind::Access(_) => EventKind::Access,
        // The polling watcher reports a write as a new modification time.
        NotifyKind::Modify(ModifyKind::Metadata(MetadataKind::WriteTime)) => EventKind::Changed,
        NotifyKind::Modify(ModifyKind::Metadata(_)) => EventKind::Metadata,
        _ => EventKind::Changed,
    };
    let folder = matches!(
        event.kind,
        NotifyKind::Create(CreateKind::Folder) | NotifyKind::Remove(RemoveKind::Folder)
    );
    // Either end of a renamed folder is a folder, though only the new one can be looked at.
    let renamed_folder = matches!(
        event.kind,
        NotifyKind::Modify(ModifyKind::Name(RenameMode::Both))
    ) && event.paths.iter().any(|p| p.is_dir());
    event
        .paths
        .iter()
        .map(|path| PathEvent {
            path: path.clone(),
            kind,
            is_dir: folder || renamed_folder || path.is_dir(),
        })
        .collect()
}

/// Rebuilds the site after each batch of events, until the watcher stops.
#[derive(Debug)]
pub struct RebuildLoop {
    pub builder: Builder,
    pub state: Arc<State>,
    pub layout: Layout,
    /// Color in the terminal's error reports.
    pub color: bool,
    /// The last build's warnings: only new ones are shown.
    pub warnings: Vec<String>,
    /// `-v`: what each save re-rendered, and how long each part took.
    pub verbose: bool,
    /// `-q`: errors only.
    pub quiet: bool,
}

impl RebuildLoop {
    /// Runs until `stop` is set (looked at every quarter second) or the watcher stops.
    pub fn run(
        mut self,
        mut watcher: Watcher,
        events: mpsc::Receiver<DebounceEventResult>,
        stop: &AtomicBool,
    ) {
        while !stop.load(Ordering::Relaxed) {
            let first = match events.recv_timeout(Duration::from_millis(250)) {
                Ok(first) => first,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    // Saves paused: bring the site-wide pages up to date.
                    self.refresh_status();
                    continue;
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            };
            // Batches that arrived during the last rebuild are handled together.
            let mut batches = vec![first];
            batches.extend(events.try_iter());
            let (seen, earliest) = gather(batches);
            let change = changes::classify(&self.layout, &seen);
            if change == Change::Nothing {
                continue;
            }
            let everything = matches!(change, Change::Everything { .. });
            // New folders (a templates/ just made, a renamed folder) are watched before they
            // are read, so nothing written into them is missed.
            if everything || seen.iter().any(|e| e.is_dir) {
                sync(&mut watcher, &self.layout);
            }
            self.apply(&change, earliest);
            if everything {
                // tolk.toml may have moved the content folders.
                self.layout = Layout::new(self.builder.config());
                sync(&mut watcher, &self.layout);
            }
        }
    }

    /// Runs the site-wide checks after article updates, for the status dashboard; its pages
    /// are published without a line in the terminal unless it fails.
    fn refresh_status(&mut self) {
        // After a failed save the overlay stays until the next good one.
        if self.state.current().failure.is_some() {
            return;
        }
        let refreshed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.builder.refresh_status()
        }));
        let refreshed = match refreshed {
            Ok(refreshed) => refreshed,
            Err(panic) => {
                eprintln!(
                    "error: tolk failed while checking the site: {}; it keeps watching",
                    panic_message(panic.as_ref())
                );
                return;
            }
        };
        match refreshed {
            None => {}
            Some(Ok(built)) => {
                self.state
                    .publish(built.files, built.changed.as_deref(), None);
            }
            Some(Err(error)) => {
                let (terminal, _) = rebuild::render_error(&error, self.color);
                eprintln!("{terminal}");
            }
        }
    }

    /// Rebuilds for `change`; serves the result, or keeps the last good site and shows why.
    fn apply(&mut self, change: &Change, earliest: Option<Instant>) {
        let what = change.describe(&self.layout);
        let started = Instant::now();
        // A bug must not end the watching: a rebuild that panics is a failed rebuild, and the
        // next one starts from scratch.
        let mut rebuilt = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.builder.rebuild(change)
        }));
        // A file that could not be read (an editor still writing it, no file descriptor left
        // for a moment) is read once more before the save counts as failed.
        if matches!(&rebuilt, Ok(Err(error)) if is_read_failure(error)) {
            std::thread::sleep(READ_RETRY);
            rebuilt = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                self.builder.rebuild(change)
            }));
        }
        let rebuilt = match rebuilt {
            Ok(rebuilt) => rebuilt,
            Err(panic) => {
                self.builder.forget();
                let message = format!(
                    "tolk failed while rebuilding: {}\nthis is a bug in tolk; the next save rebuilds the whole site",
                    panic_message(panic.as_ref())
                );
                self.state.fail(message.clone());
                println!("{}", failed_line(&what, started.elapsed()));
                eprintln!("error: {message}");
                return;
            }
        };
        match rebuilt {
            Ok(built) => {
                for warning in &built.warnings {
                    if !self.warnings.contains(warning) && !self.quiet {
                        eprintln!("warning: {warning}");
                    }
                }
                self.warnings = built.warnings;
                let publishing = Instant::now();
                let affected = self.state.publish(
                    built.files,
                    built.changed.as_deref(),
                    earliest.map(|t| t.elapsed()),
                );
                if self.quiet {
                    return;
                }
                println!(
                    "{}",
                    rebuilt_line(&what, &built.scope, &affected, started.elapsed())
                );
                if self.verbose {
                    let took = (built.elapsed, publishing.elapsed());
                    for line in rendered_lines(built.changed.as_deref(), took.0, took.1) {
                        println!("{line}");
                    }
                }
            }
            Err(error) => {
                let (terminal, plain) = rebuild::render_error(&error, self.color);
                self.state.fail(plain);
                println!("{}", failed_line(&what, started.elapsed()));
                eprintln!("{terminal}");
            }
        }
    }
}

/// How long to wait before reading a file again after a failed read.
const READ_RETRY: Duration = Duration::from_millis(100);

/// Whether `error` is (or holds) a failure to read a file, which may pass on its own.
fn is_read_failure(error: &crate::error::Error) -> bool {
    match error {
        crate::error::Error::Io { action, .. } => action.starts_with("read"),
        crate::error::Error::Many { errors } => errors.iter().any(is_read_failure),
        _ => false,
    }
}

/// What a panic said, when it said it with a string.
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "an unexpected failure".to_owned())
}

/// The paths of every event in `batches`, and when the first of them happened.
fn gather(batches: Vec<DebounceEventResult>) -> (Vec<PathEvent>, Option<Instant>) {
    let mut seen = Vec::new();
    let mut earliest: Option<Instant> = None;
    for batch in batches {
        match batch {
            Ok(batch) => {
                for DebouncedEvent { event, time } in &batch {
                    earliest = Some(earliest.map_or(*time, |t| t.min(*time)));
                    seen.extend(path_events(event));
                }
            }
            Err(errors) => {
                for e in errors {
                    eprintln!("warning: watching the site: {e}");
                }
            }
        }
    }
    (seen, earliest)
}

fn sync(watcher: &mut Watcher, layout: &Layout) {
    for problem in watcher.sync(&layout.watch_list()) {
        eprintln!("warning: {problem}");
    }
}

/// The terminal's line for a rebuild: what changed, what was rebuilt, how long it took, and
/// what the open pages do.
pub fn rebuilt_line(what: &str, scope: &str, affected: &Affected, took: Duration) -> String {
    let pages = match (affected.all, affected.pages.len()) {
        (true, _) => "every open page reloads".to_owned(),
        (false, 0) => "no page changed".to_owned(),
        (false, 1) => "1 page changed".to_owned(),
        (false, n) => format!("{n} pages changed"),
    };
    format!(
        "{what} changed: rebuilt {scope} in {}; {pages}",
        seconds(took)
    )
}

/// How many re-rendered files `-v` names after a save; the rest are counted.
const NAMED_FILES: usize = 20;

/// `-v`: the lines after a save's line: the files it re-rendered (every one after a whole
/// build) and how long rendering and serving them took.
pub fn rendered_lines(
    changed: Option<&[String]>,
    rendered: Duration,
    served: Duration,
) -> Vec<String> {
    let mut lines = Vec::new();
    match changed {
        None => lines.push(format!(
            "  rendered every page (a whole build) in {}",
            seconds(rendered)
        )),
        Some(files) => {
            let noun = if files.len() == 1 { "file" } else { "files" };
            lines.push(format!(
                "  rendered {} {noun} in {}:",
                files.len(),
                seconds(rendered)
            ));
            lines.extend(files.iter().take(NAMED_FILES).map(|f| format!("    {f}")));
            if files.len() > NAMED_FILES {
                lines.push(format!("    and {} more", files.len() - NAMED_FILES));
            }
        }
    }
    lines.push(format!(
        "  served in {} (swapped into memory, reload sent)",
        seconds(served)
    ));
    lines
}

/// The terminal's line for a failed rebuild; the error follows on standard error.
pub fn failed_line(what: &str, took: Duration) -> String {
    format!(
        "{what} changed: the build failed after {}; still serving the last good site",
        seconds(took)
    )
}

fn seconds(took: Duration) -> String {
    if took < Duration::from_secs(1) {
        format!("{} ms", took.as_millis())
    } else {
        format!("{:.2} s", took.as_secs_f64())
    }
}

/// The folders watched, for the start-up message: `content/nl, templates and tolk.toml`.
pub fn watched_summary(layout: &Layout) -> String {
    let show = |path: &Path| {
        path.strip_prefix(&layout.root)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/")
    };
    let mut parts: Vec<String> = layout.content.iter().map(|(_, d)| show(d)).collect();
    parts.push(format!("{}/", show(&layout.templates)));
    parts.push(format!("{}/", show(&layout.locales)));
    parts.push(show(&layout.config_file));
    let last = parts.pop().unwrap_or_default();
    format!("{} and {last}", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_failures_are_tried_again_other_errors_are_not() {
        let read = crate::error::Error::io("read", std::path::Path::new("a.md"))(
            std::io::Error::other("Too many open files"),
        );
        assert!(is_read_failure(&read));
        let many = crate::error::Error::Many {
            errors: vec![crate::error::Error::setup("x", "y"), read],
        };
        assert!(is_read_failure(&many));
        assert!(!is_read_failure(&crate::error::Error::setup(
            "bad front matter",
            "fix it"
        )));
    }

    #[test]
    fn verbose_names_what_a_save_rendered_and_the_times() {
        let files: Vec<String> = (0..23).map(|i| format!("nl/a{i}/index.html")).collect();
        let lines = rendered_lines(
            Some(&files[..2]),
            Duration::from_millis(12),
            Duration::from_millis(3),
        );
        assert_eq!(
            lines,
            [
                "  rendered 2 files in 12 ms:",
                "    nl/a0/index.html",
                "    nl/a1/index.html",
                "  served in 3 ms (swapped into memory, reload sent)",
            ]
        );
        let lines = rendered_lines(Some(&files), Duration::from_secs(2), Duration::ZERO);
        assert_eq!(lines[0], "  rendered 23 files in 2.00 s:");
        assert_eq!(lines.len(), 1 + NAMED_FILES + 2, "{lines:#?}");
        assert_eq!(lines[NAMED_FILES + 1], "    and 3 more");
        let lines = rendered_lines(None, Duration::from_millis(900), Duration::ZERO);
        assert_eq!(lines[0], "  rendered every page (a whole build) in 900 ms");
    }

    #[test]
    fn one_line_per_rebuild() {
        let affected = Affected {
            all: false,
            pages: vec!["/nl/a/".to_owned(), "/nl/".to_owned()],
            files: 4,
        };
        assert_eq!(
            rebuilt_line(
                "content/nl/a.md",
                "the whole site (3 articles)",
                &affected,
                Duration::from_millis(412)
            ),
            "content/nl/a.md changed: rebuilt the whole site (3 articles) in 412 ms; 2 pages changed"
        );
        let all = Affected {
            all: true,
            ..Affected::default()
        };
        assert_eq!(
            rebuilt_line("tolk.toml", "x", &all, Duration::from_millis(2500)),
            "tolk.toml changed: rebuilt x in 2.50 s; every open page reloads"
        );
        assert_eq!(
            failed_line("content/nl/a.md", Duration::from_millis(20)),
            "content/nl/a.md changed: the build failed after 20 ms; still serving the last good site"
        );
    }

    #[test]
    fn sorts_notify_events() {
        use notify::event::{AccessKind, DataChange};
        let event = |kind| notify::Event::new(kind).add_path(PathBuf::from("/nowhere/a.md"));
        let kinds = [
            (
                NotifyKind::Access(AccessKind::Any),
                EventKind::Access,
                false,
            ),
            (
                NotifyKind::Modify(ModifyKind::Metadata(MetadataKind::Any)),
                EventKind::Metadata,
                false,
            ),
            (
                NotifyKind::Modify(ModifyKind::Metadata(MetadataKind::WriteTime)),
                EventKind::Changed,
                false,
            ),
            (
                NotifyKind::Modify(ModifyKind::Data(DataChange::Any)),
                EventKind::Changed,
                false,
            ),
            (
                NotifyKind::Remove(RemoveKind::Folder),
                EventKind::Changed,
                true,
            ),
            (
                NotifyKind::Create(CreateKind::File),
                EventKind::Changed,
                false,
            ),
        ];
        for (kind, expected, is_dir) in kinds {
            let events = path_events(&event(kind));
            assert_eq!(events.len(), 1);
            assert_eq!(events[0].kind, expected, "{kind:?}");
            assert_eq!(events[0].is_dir, is_dir, "{kind:?}");
        }
    }
}
