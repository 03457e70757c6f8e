//! From a request's URL path to a file of the in-memory site, and the content type to send it
//! with. Pure: the site is a set of keys such as `nl/a/b/index.html`, so nothing outside it can
//! be reached, and a path that tries (`..`, `%2e%2e`, `%2f`, `\`, `C:`) is refused before any
//! lookup.

/// What a request path resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// The file with this key.
    File(String),
    /// A folder asked for without its trailing `/`: go to this path.
    Redirect(String),
    /// No such file: answer 404 with this page of the site, when there is one.
    NotFound(Option<String>),
    /// A path no file can have (traversal, bad encoding): answer 400.
    BadRequest,
}

/// Resolves `raw_path` (as received: percent-encoded, without the query) against the site
/// whose files `exists` knows, served under `base_path` (`/` or `/docs/`).
pub fn resolve(base_path: &str, raw_path: &str, exists: impl Fn(&str) -> bool) -> Resolved {
    let base = base_path.trim_end_matches('/');
    let Some(rest) = raw_path.strip_prefix(base) else {
        return Resolved::NotFound(not_found_page("", &exists));
    };
    if rest.is_empty() {
        // `/docs` for a site under `/docs/`.
        return Resolved::Redirect(format!("{base}/"));
    }
    let Some(rest) = rest.strip_prefix('/') else {
        // `/docsx` is not under `/docs/`.
        return Resolved::NotFound(not_found_page("", &exists));
    };
    let Some(segments) = segments(rest) else {
        return Resolved::BadRequest;
    };
    let folder = rest.is_empty() || rest.ends_with('/');
    let key = segments.join("/");
    if folder {
        let index = if key.is_empty() {
            "index.html".to_owned()
        } else {
            format!("{key}/index.html")
        };
        if exists(&index) {
            return Resolved::File(index);
        }
    } else if exists(&key) {
        return Resolved::File(key);
    } else if exists(&format!("{key}/index.html")) {
        return Resolved::Redirect(format!("{raw_path}/"));
    }
    let first = segments.first().map_or("", String::as_str);
    Resolved::NotFound(not_found_page(first, &exists))
}

/// The decoded segments of a path below the base, or `None` when one of them could leave the
/// site or is not a file name: `.`, `..`, an encoded `/` or `\`, a NUL, a drive (`C:`), an empty
/// segment before the end (`//etc`), bad percent-encoding or UTF-8.
fn segments(rest: &str) -> Option<Vec<String>> {
    if rest.contains('\\') {
        return None;
    }
    let trimmed = rest.strip_suffix('/').unwrap_or(rest);
    if trimmed.is_empty() {
        return Some(Vec::new());
    }
    let mut out = Vec::new();
    for raw in trimmed.split('/') {
        let segment = crate::model::links::percent_decode(raw)?;
        let bad = segment.is_empty()
            || segment == "."
            || segment == ".."
            || segment.contains(['/', '\\', '\0'])
            || is_drive(&segment);
        if bad {
            return None;
        }
        out.push(segment);
    }
    Some(out)
}

fn is_drive(segment: &str) -> bool {
    let bytes = segment.as_bytes();
    bytes.len() == 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':'
}

/// The 404 page for a path whose first segment is `first`: that locale's, else the root's.
pub fn not_found_page(first: &str, exists: impl Fn(&str) -> bool) -> Option<String> {
    let locale_page = format!("{first}/404.html");
    if !first.is_empty() && exists(&locale_page) {
        Some(locale_page)
    } else if exists("404.html") {
        Some("404.html".to_owned())
    } else {
        None
    }
}

/// The URL path (under `base_path`) at which a page with this key is read: `nl/a/index.html`
/// -> `/nl/a/`. `None` for files that are not pages.
pub fn page_url(base_path: &str, key: &str) -> Option<String> {
    let base = base_path.trim_end_matches('/');
    if key == "index.html" {
        return Some(format!("{base}/"));
    }
    key.strip_suffix("/index.html")
        .map(|dir| format!("{base}/{dir}/"))
}

/// The path part of a base URL: `http://127.0.0.1:4000/docs/` -> `/docs/`.
pub fn base_path(base_url: &str) -> String {
    let path = match base_url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => base_url,
    };
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let mut path = if path.starts_with('/') {
        path.to_owned()
    } else {
        format!("/{path}")
    };
    if !path.ends_with('/') {
        path.push('/');
    }
    path
}

/// The `Content-Type` for a file, by its name.
pub fn content_type(key: &str) -> &'static str {
    let name = key.rsplit('/').next().unwrap_or(key);
    let extension = match name.rsplit_once('.') {
        Some((_, ext)) => ext.to_ascii_lowercase(),
        None => return "application/octet-stream",
    };
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "wasm" => "application/wasm",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "pdf" => "application/pdf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILES: &[&str] = &[
        "index.html",
        "404.html",
        "nl/index.html",
        "nl/404.html",
        "nl/a/b/index.html",
        "nl/a/img one.png",
        "nl/café/index.html",
        "fr/index.html",
        "static/tolk.css",
        "search/nl/index.json",
    ];

    fn exists(key: &str) -> bool {
        FILES.contains(&key)
    }

    fn file(key: &str) -> Resolved {
        Resolved::File(key.to_owned())
    }

    fn not_found(page: &str) -> Resolved {
        Resolved::NotFound(Some(page.to_owned()))
    }

    fn redirect(to: &str) -> Resolved {
        Resolved::Redirect(to.to_owned())
    }

    #[test]
    fn resolves_request_paths() {
        let cases = [
            ("/", file("index.html")),
            ("/index.html", file("index.html")),
            ("/nl/", file("nl/index.html")),
            ("/nl", redirect("/nl/")),
            ("/nl/a/b/", file("nl/a/b/index.html")),
            ("/nl/a/b", redirect("/nl/a/b/")),
            ("/nl/a/b/index.html", file("nl/a/b/index.html")),
            ("/nl/a/img%20one.png", file("nl/a/img one.png")),
            ("/nl/caf%C3%A9/", file("nl/café/index.html")),
            ("/static/tolk.css", file("static/tolk.css")),
            ("/static/tolk.css/", not_found("404.html")),
            ("/nl/missing/", not_found("nl/404.html")),
            ("/nl/missing.png", not_found("nl/404.html")),
            ("/fr/missing/", not_found("404.html")),
            ("/missing", not_found("404.html")),
            ("/static", not_found("404.html")),
        ];
        for (path, expected) in cases {
            assert_eq!(resolve("/", path, exists), expected, "{path}");
        }
    }

    #[test]
    fn refuses_paths_that_leave_the_site() {
        for path in [
            "/..",
            "/../etc/passwd",
            "/nl/../../etc/passwd",
            "/nl/..",
            "/./index.html",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/%2e%2e/etc/passwd",
            "/nl/%2e%2e/%2e%2e/secret",
            "/.%2e/x",
            "/nl%2f..%2f..%2fetc/passwd",
            "/nl%2Fa/b/",
            "/..%5c..%5cwindows",
            "/nl\\..\\x",
            "//etc/passwd",
            "/nl//a/b/",
            "/C:/Windows/win.ini",
            "/c%3A/x",
            "/nl/a%00.png",
            "/%zz",
            "/%c3",
            "/%",
        ] {
            assert_eq!(resolve("/", path, exists), Resolved::BadRequest, "{path}");
        }
    }

    #[test]
    fn serves_under_a_base_path() {
        let cases = [
            ("/docs/", file("index.html")),
            ("/docs", redirect("/docs/")),
            ("/docs/nl/a/b/", file("nl/a/b/index.html")),
            ("/docs/nl", redirect("/docs/nl/")),
            ("/", not_found("404.html")),
            ("/docsx/nl/", not_found("404.html")),
            ("/nl/", not_found("404.html")),
            ("/docs/../x", Resolved::BadRequest),
        ];
        for (path, expected) in cases {
            assert_eq!(resolve("/docs/", path, exists), expected, "{path}");
        }
    }

    #[test]
    fn not_found_without_a_404_page() {
        assert_eq!(resolve("/", "/x", |_| false), Resolved::NotFound(None));
    }

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(
            crate::model::links::percent_decode("a%20b").as_deref(),
            Some("a b")
        );
        assert_eq!(
            crate::model::links::percent_decode("%C3%A9").as_deref(),
            Some("é")
        );
        assert_eq!(crate::model::links::percent_decode("100%"), None);
        assert_eq!(crate::model::links::percent_decode("%g0"), None);
        assert_eq!(crate::model::links::percent_decode("%+1"), None);
        assert_eq!(crate::model::links::percent_decode("%ff"), None);
    }

    #[test]
    fn maps_pages_to_urls() {
        assert_eq!(page_url("/", "index.html").as_deref(), Some("/"));
        assert_eq!(page_url("/", "nl/a/index.html").as_deref(), Some("/nl/a/"));
        assert_eq!(
            page_url("/docs/", "nl/index.html").as_deref(),
            Some("/docs/nl/")
        );
        assert_eq!(page_url("/", "nl/nav.html"), None);
        assert_eq!(page_url("/", "static/tolk.css"), None);
    }

    #[test]
    fn base_paths_of_urls() {
        for (url, path) in [
            ("http://127.0.0.1:4000/", "/"),
            ("http://127.0.0.1:4000", "/"),
            ("https://help.example.com/docs/", "/docs/"),
            ("https://help.example.com/docs", "/docs/"),
            ("/", "/"),
            ("/docs/", "/docs/"),
        ] {
            assert_eq!(base_path(url), path, "{url}");
        }
    }

    #[test]
    fn content_types_by_extension() {
        for (key, expected) in [
            ("index.html", "text/html; charset=utf-8"),
            ("static/tolk.css", "text/css; charset=utf-8"),
            ("static/tolk.js", "text/javascript; charset=utf-8"),
            ("search/nl/terms-0.json", "application/json"),
            ("sitemap.xml", "application/xml"),
            ("robots.txt", "text/plain; charset=utf-8"),
            ("static/x.wasm", "application/wasm"),
            ("nl/a/IMG.PNG", "image/png"),
            ("nl/a/photo.jpg", "image/jpeg"),
            ("nl/a/photo.jpeg", "image/jpeg"),
            ("nl/a/anim.gif", "image/gif"),
            ("nl/a/icon.svg", "image/svg+xml"),
            ("nl/a/pic.webp", "image/webp"),
            ("README", "application/octet-stream"),
        ] {
            assert_eq!(content_type(key), expected, "{key}");
        }
    }
}
