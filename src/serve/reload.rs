//! Live reload: the messages sent to open pages after each rebuild, which pages a rebuild
//! changed, the script injected into served pages, and the error overlay.
//!
//! The built site never contains any of this: the script and the overlay are added to HTML
//! responses as they are sent.

use std::time::Duration;

use axum::body::Bytes;
use serde::Serialize;

use super::paths;
use super::rebuild::SiteFiles;

/// The live-reload client, served at [`SCRIPT_PATH`].
pub const SCRIPT: &str = include_str!("live.js");
/// Where the server answers with [`SCRIPT`].
pub const SCRIPT_PATH: &str = "/__tolk/live.js";
/// Where the server streams [`Message`]s as server-sent events.
pub const EVENTS_PATH: &str = "/__tolk/events";

/// What the server tells open pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// A rebuild succeeded: pages whose URL path is in `pages` (or all, with `all`) reload.
    Reload {
        build: String,
        affected: Affected,
        /// From the first file event of the change to this message; for the terminal and the
        /// latency benchmark, not sent to pages.
        since_event: Option<Duration>,
    },
    /// A rebuild failed: pages show the error over themselves.
    Failed { overlay: String },
}

impl Message {
    /// The event's name and its JSON data.
    pub fn event(&self) -> (&'static str, String) {
        #[derive(Serialize)]
        struct ReloadData<'a> {
            build: &'a str,
            all: bool,
            pages: &'a [String],
        }
        #[derive(Serialize)]
        struct FailedData<'a> {
            overlay: &'a str,
        }
        let data = match self {
            Message::Reload {
                build, affected, ..
            } => serde_json::to_string(&ReloadData {
                build,
                all: affected.all,
                pages: &affected.pages,
            }),
            Message::Failed { overlay } => serde_json::to_string(&FailedData { overlay }),
        };
        let name = match self {
            Message::Reload { .. } => "reload",
            Message::Failed { .. } => "failed",
        };
        (name, data.unwrap_or_else(|_| "{}".to_owned()))
    }
}

/// The pages a rebuild changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Affected {
    /// Every page: a stylesheet, script, image or shared fragment (the sidebar) changed.
    pub all: bool,
    /// URL paths of the pages whose HTML changed, sorted: `/nl/a/b/`.
    pub pages: Vec<String>,
    /// How many files changed, pages and others.
    pub files: usize,
}

impl Affected {
    pub fn is_empty(&self) -> bool {
        self.files == 0
    }
}

/// Compares two builds of the site. The search index and the sitemap change with any article
/// and are fetched when used, so they reload nothing by themselves.
pub fn affected(base_path: &str, old: &SiteFiles, new: &SiteFiles) -> Affected {
    let changed = new
        .iter()
        .filter(|(key, bytes)| !old.get(*key).is_some_and(|was| same(was, bytes)))
        .map(|(key, _)| key)
        .chain(old.keys().filter(|key| !new.contains_key(*key)));
    sorted(base_path, changed)
}

/// [`affected`] for a build that knows which files it may have changed (`candidates`): only
/// those are compared, which on a large site is most of the time of a small rebuild.
pub fn affected_among(
    base_path: &str,
    old: &SiteFiles,
    new: &SiteFiles,
    candidates: &[String],
) -> Affected {
    let changed = candidates
        .iter()
        .filter(|key| match (old.get(*key), new.get(*key)) {
            (Some(a), Some(b)) => !same(a, b),
            (None, None) => false,
            _ => true,
        });
    sorted(base_path, changed)
}

fn sorted<'k>(base_path: &str, changed: impl Iterator<Item = &'k String>) -> Affected {
    let mut result = Affected::default();
    for key in changed {
        result.files += 1;
        if let Some(url) = paths::page_url(base_path, key) {
            result.pages.push(url);
        } else if !passive(key) {
            result.all = true;
        }
    }
    result.pages.sort();
    result
}

/// Equal contents; files a build kept from the previous one share their buffer, which makes
/// the comparison free.
fn same(a: &Bytes, b: &Bytes) -> bool {
    (a.as_ptr() == b.as_ptr() && a.len() == b.len()) || a == b
}

/// Files no open page needs to reload for: data fetched when used (the search index, the
/// status page's JSON), files for crawlers, and 404 pages (open ones reload on any rebuild).
fn passive(key: &str) -> bool {
    key.starts_with("search/")
        || key.ends_with(".json")
        || key == "sitemap.xml"
        || key == "robots.txt"
        || key.ends_with("/404.html")
        || key == "404.html"
}

/// Adds the live-reload script, and the overlay of a failed build, to a page: just before
/// its last `</body>`. Fragments without a body (the sidebar) are left alone.
pub fn inject(html: &[u8], build: &str, not_found: bool, overlay: Option<&str>) -> Option<Vec<u8>> {
    let at = rfind_ascii_case_insensitive(html, b"</body>")?;
    let script = format!(
        "<script src=\"{SCRIPT_PATH}\" data-build=\"{}\" data-not-found=\"{not_found}\"></script>",
        crate::markdown::inline::escape(build)
    );
    let mut out = Vec::with_capacity(html.len() + script.len() + overlay.map_or(0, str::len));
    out.extend_from_slice(&html[..at]);
    if let Some(overlay) = overlay {
        out.extend_from_slice(overlay.as_bytes());
    }
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&html[at..]);
    Some(out)
}

fn rfind_ascii_case_insensitive(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.len() > haystack.len() {
        return None;
    }
    (0..=haystack.len() - needle.len())
        .rev()
        .find(|&i| haystack[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// The overlay that shows a failed build's error (plain text, as the terminal shows it) over
/// the page. It sets every colour of its own elements (the site's stylesheet styles `pre` and
/// `p` too, with the light theme's background), so it reads the same in both themes.
/// `had_good_build` says whether a page of an earlier build is behind it.
pub fn overlay(error_text: &str, had_good_build: bool) -> String {
    let headline = if had_good_build {
        "The last save broke the build. This page is the last good version; \
         the next good save reloads it."
    } else {
        "The site could not be built, so there is no page to show yet. \
         Fix the error below and save: the page loads by itself."
    };
    format!(
        concat!(
            "<div id=\"tolk-serve-error\" role=\"alert\" style=\"position:fixed;inset:0;z-index:2147483647;",
            "overflow:auto;margin:0;background:#141414;color:#f3f3f3;color-scheme:dark;padding:2rem;",
            "text-align:left;font:14px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace\">",
            "<p style=\"margin:0 0 1rem;padding:0;background:none;font:inherit;font-weight:bold;color:#ff8a80\">",
            "{}</p>",
            "<pre style=\"margin:0;padding:0;border:0;border-radius:0;background:none;color:#f3f3f3;",
            "font:inherit;white-space:pre-wrap;overflow:visible\">{}</pre></div>"
        ),
        headline,
        crate::markdown::inline::escape(error_text)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> SiteFiles {
        files
            .iter()
            .map(|(k, v)| ((*k).to_owned(), Bytes::from(v.to_string())))
            .collect()
    }

    #[test]
    fn finds_the_pages_a_rebuild_changed() {
        let old = site(&[
            ("index.html", "root"),
            ("nl/index.html", "list a b"),
            ("nl/a/index.html", "a"),
            ("nl/b/index.html", "b"),
            ("nl/nav.html", "nav"),
            ("static/tolk.css", "css"),
            ("search/nl/terms-0.json", "1"),
            ("sitemap.xml", "1"),
        ]);
        let cases: Vec<(&str, SiteFiles, Affected)> = vec![
            ("nothing", old.clone(), Affected::default()),
            (
                "an article and the search index",
                site(&[
                    ("index.html", "root"),
                    ("nl/index.html", "list a b"),
                    ("nl/a/index.html", "a2"),
                    ("nl/b/index.html", "b"),
                    ("nl/nav.html", "nav"),
                    ("static/tolk.css", "css"),
                    ("search/nl/terms-0.json", "2"),
                    ("sitemap.xml", "2"),
                    ("status.json", "{}"),
                ]),
                Affected {
                    all: false,
                    pages: vec!["/nl/a/".to_owned()],
                    files: 4,
                },
            ),
            (
                "an article removed: its page and the list",
                site(&[
                    ("index.html", "root"),
                    ("nl/index.html", "list a"),
                    ("nl/a/index.html", "a"),
                    ("nl/nav.html", "nav"),
                    ("static/tolk.css", "css"),
                    ("search/nl/terms-0.json", "1"),
                    ("sitemap.xml", "1"),
                ]),
                Affected {
                    all: false,
                    pages: vec!["/nl/".to_owned(), "/nl/b/".to_owned()],
                    files: 2,
                },
            ),
            (
                "the sidebar is on every page",
                site(&[
                    ("index.html", "root"),
                    ("nl/index.html", "list a b"),
                    ("nl/a/index.html", "a"),
                    ("nl/b/index.html", "b"),
                    ("nl/nav.html", "nav2"),
                    ("static/tolk.css", "css"),
                    ("search/nl/terms-0.json", "1"),
                    ("sitemap.xml", "1"),
                ]),
                Affected {
                    all: true,
                    pages: vec![],
                    files: 1,
                },
            ),
            (
                "a stylesheet",
                site(&[
                    ("index.html", "root"),
                    ("nl/index.html", "list a b"),
                    ("nl/a/index.html", "a"),
                    ("nl/b/index.html", "b"),
                    ("nl/nav.html", "nav"),
                    ("static/tolk.css", "css2"),
                    ("search/nl/terms-0.json", "1"),
                    ("sitemap.xml", "1"),
                ]),
                Affected {
                    all: true,
                    pages: vec![],
                    files: 1,
                },
            ),
        ];
        for (what, new, expected) in cases {
            assert_eq!(affected("/", &old, &new), expected, "{what}");
        }
    }

    #[test]
    fn injects_before_the_last_body_end() {
        let page = b"<html><body><p>x</p><!-- </body> --></BODY></html>";
        let out = inject(page, "b1", false, None).map(|v| String::from_utf8_lossy(&v).into_owned());
        assert_eq!(
            out.as_deref(),
            Some(
                "<html><body><p>x</p><!-- </body> --><script src=\"/__tolk/live.js\" \
                 data-build=\"b1\" data-not-found=\"false\"></script></BODY></html>"
            )
        );
        assert_eq!(inject(b"<ul><li>nav</li></ul>", "b1", false, None), None);
    }

    #[test]
    fn injects_the_overlay_with_the_error_escaped() {
        let overlay = overlay("× content/nl/a.md:2:8: bad <value> & \"quotes\"", true);
        assert!(overlay.contains("bad &lt;value&gt; &amp; &quot;quotes&quot;"));
        assert!(!overlay.contains("<value>"));
        let out = inject(b"<body>page</body>", "b2", true, Some(&overlay)).unwrap_or_default();
        let out = String::from_utf8_lossy(&out);
        assert!(out.starts_with("<body>page<div id=\"tolk-serve-error\""));
        assert!(out.contains("data-not-found=\"true\""));
        assert!(out.ends_with("</script></body>"));
    }

    #[test]
    fn messages_as_events() {
        let reload = Message::Reload {
            build: "7".to_owned(),
            affected: Affected {
                all: false,
                pages: vec!["/nl/a/".to_owned()],
                files: 2,
            },
            since_event: None,
        };
        assert_eq!(
            reload.event(),
            (
                "reload",
                r#"{"build":"7","all":false,"pages":["/nl/a/"]}"#.to_owned()
            )
        );
        let failed = Message::Failed {
            overlay: "<div>x</div>".to_owned(),
        };
        assert_eq!(
            failed.event(),
            ("failed", r#"{"overlay":"<div>x</div>"}"#.to_owned())
        );
    }
}
