//! What the server shares between its request handlers and the rebuild loop: the last good
//! build (swapped whole, atomically), the error of the last failed one, and the channel that
//! tells open pages about both.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::sync::broadcast;

use super::rebuild::SiteFiles;
use super::reload::{self, Affected, Message};

/// One consistent view of the site: requests take it once and use it throughout.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub files: Arc<SiteFiles>,
    /// Names this build for live reload: a page served from another build is stale.
    pub build: String,
    /// The error of the last build, when it failed; `files` is then the last good build.
    pub failure: Option<Arc<Failure>>,
}

/// A failed build, as pages show it.
#[derive(Debug)]
pub struct Failure {
    /// The positioned error, as plain text.
    pub text: String,
    /// The overlay HTML with that text.
    pub overlay: String,
}

/// The server's state.
#[derive(Debug)]
pub struct State {
    snapshot: RwLock<Arc<Snapshot>>,
    events: broadcast::Sender<Message>,
    /// The URL path the site is served under: `/`, or `/docs/` for `--base-url .../docs/`.
    pub base_path: String,
    /// Pages get the live-reload script (with --watch).
    pub live: bool,
    /// Tells this server's builds from those of a server that ran before on the same port.
    instance: String,
    generation: AtomicU64,
}

impl State {
    pub fn new(base_path: String, live: bool) -> State {
        let (events, _) = broadcast::channel(64);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        State {
            snapshot: RwLock::new(Arc::new(Snapshot::default())),
            events,
            base_path,
            live,
            instance: format!("{:x}", nanos & 0xffff_ffff_ffff),
            generation: AtomicU64::new(0),
        }
    }

    /// The site as it is now.
    pub fn current(&self) -> Arc<Snapshot> {
        match self.snapshot.read() {
            Ok(guard) => Arc::clone(&guard),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    fn replace(&self, snapshot: Snapshot) {
        let snapshot = Arc::new(snapshot);
        match self.snapshot.write() {
            Ok(mut guard) => *guard = snapshot,
            Err(poisoned) => *poisoned.into_inner() = snapshot,
        }
    }

    /// Serves `files` from now on, clears any failure, and tells open pages which of them
    /// changed. Only the rebuild loop calls this, so the snapshot it replaces is the one it
    /// compared with.
    /// `changed`, when given, lists every file that may differ from the snapshot served now.
    pub fn publish(
        &self,
        files: SiteFiles,
        changed: Option<&[String]>,
        since_event: Option<Duration>,
    ) -> Affected {
        let old = self.current();
        let affected = match changed {
            Some(keys) => reload::affected_among(&self.base_path, &old.files, &files, keys),
            None => reload::affected(&self.base_path, &old.files, &files),
        };
        let generation = self.generation.fetch_add(1, Ordering::Relaxed) + 1;
        let build = format!("{}-{generation}", self.instance);
        self.replace(Snapshot {
            files: Arc::new(files),
            build: build.clone(),
            failure: None,
        });
        let _ = self.events.send(Message::Reload {
            build,
            affected: affected.clone(),
            since_event,
        });
        affected
    }

    /// Keeps serving the last good build, with `error_text` over every page.
    pub fn fail(&self, error_text: String) {
        let old = self.current();
        // A snapshot without a build name was never published: no good build to fall back on.
        let had_good_build = !old.build.is_empty();
        let failure = Arc::new(Failure {
            overlay: reload::overlay(&error_text, had_good_build),
            text: error_text,
        });
        self.replace(Snapshot {
            files: Arc::clone(&old.files),
            build: old.build.clone(),
            failure: Some(Arc::clone(&failure)),
        });
        let _ = self.events.send(Message::Failed {
            overlay: failure.overlay.clone(),
        });
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Message> {
        self.events.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Bytes;

    fn files(pairs: &[(&str, &str)]) -> SiteFiles {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), Bytes::from(v.to_string())))
            .collect()
    }

    #[test]
    fn a_failure_before_any_good_build_does_not_claim_one() {
        let state = State::new("/".to_owned(), true);
        state.fail("tolk.toml:1:1: bad".to_owned());
        let overlay = state.current().failure.as_ref().map(|f| f.overlay.clone());
        let overlay = overlay.unwrap_or_default();
        assert!(
            overlay.contains("there is no page to show yet"),
            "{overlay}"
        );
        assert!(!overlay.contains("last good version"), "{overlay}");
        // A second failure still has no good build behind it.
        state.fail("tolk.toml:1:1: still bad".to_owned());
        let overlay = state.current().failure.as_ref().map(|f| f.overlay.clone());
        assert!(overlay.is_some_and(|o| o.contains("no page to show yet")));

        state.publish(files(&[("nl/a/index.html", "v1")]), None, None);
        state.fail("content/nl/a.md:2:1: bad".to_owned());
        let overlay = state.current().failure.as_ref().map(|f| f.overlay.clone());
        assert!(overlay.is_some_and(|o| o.contains("last good version")));
    }

    #[test]
    fn a_failure_keeps_the_last_good_build_until_the_next_one() {
        let state = State::new("/".to_owned(), true);
        let mut events = state.subscribe();
        state.publish(files(&[("nl/a/index.html", "v1")]), None, None);
        let first = state.current();
        assert!(matches!(events.try_recv(), Ok(Message::Reload { .. })));

        state.fail("content/nl/a.md:2:1: bad".to_owned());
        let failed = state.current();
        assert_eq!(failed.files, first.files);
        assert_eq!(failed.build, first.build);
        assert!(failed
            .failure
            .as_ref()
            .is_some_and(|f| f.overlay.contains("content/nl/a.md:2:1: bad")));
        assert!(matches!(events.try_recv(), Ok(Message::Failed { .. })));

        let affected = state.publish(files(&[("nl/a/index.html", "v2")]), None, None);
        assert_eq!(affected.pages, ["/nl/a/"]);
        let fixed = state.current();
        assert!(fixed.failure.is_none());
        assert_ne!(fixed.build, first.build);
        match events.try_recv() {
            Ok(Message::Reload { build, .. }) => assert_eq!(build, fixed.build),
            other => panic!("expected a reload, got {other:?}"),
        }
    }
}
