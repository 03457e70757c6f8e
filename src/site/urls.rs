//! Where each file ends up, and how pages link to each other.
//!
//! Pretty URLs: `a/b.md` is served at `a/b/` (`a/b/index.html`), `a/index.md` at `a/`.
//! Every link tolk writes is relative, so the site works from any base path. Which file a link
//! points at is the model's one rule ([`crate::model::links`]).

pub use crate::model::links::{has_scheme, percent_decode, target_path};

/// The URL of an article relative to its locale's root: `a/b.md` -> `a/b/`.
pub fn article_url(rel_md: &str) -> String {
    let stem = rel_md.strip_suffix(".md").unwrap_or(rel_md);
    if stem == "index" {
        return String::new();
    }
    match stem.strip_suffix("/index") {
        Some(dir) => format!("{dir}/"),
        None => format!("{stem}/"),
    }
}

/// The output file of a URL directory: `a/b/` -> `a/b/index.html`.
pub fn index_file(url_dir: &str) -> String {
    format!("{url_dir}index.html")
}

/// `../` once per directory level of `url_dir` (`nl/a/b/` -> `../../../`).
pub fn up_to_root(url_dir: &str) -> String {
    "../".repeat(url_dir.matches('/').count())
}

/// The relative URL from the directory `from_dir` (ending with `/` or empty) to `to`.
pub fn relative(from_dir: &str, to: &str) -> String {
    let from: Vec<&str> = from_dir.split('/').filter(|s| !s.is_empty()).collect();
    let to_parts: Vec<&str> = to.split('/').collect();
    let to_dirs = &to_parts[..to_parts.len() - 1];
    let common = from.iter().zip(to_dirs).take_while(|(a, b)| a == b).count();
    let mut url = "../".repeat(from.len() - common);
    url.push_str(&to_parts[common..].join("/"));
    if url.is_empty() {
        url.push_str("./");
    }
    url
}

/// Rewrites a link written in the article `page_rel` (a path under the locale's content folder)
/// so it works from the article's pretty URL. Returns `None` for links to leave as written:
/// external URLs, `#anchors`, site-absolute paths other than `/help/…`, and paths that climb
/// out of the locale.
pub fn resolve_link(page_rel: &str, dest: &str) -> Option<String> {
    if dest.is_empty() || dest.starts_with('#') || dest.starts_with("//") || has_scheme(dest) {
        return None;
    }
    let split_at = dest.find(['?', '#']).unwrap_or(dest.len());
    let (path, suffix) = dest.split_at(split_at);
    let target = target_path(page_rel, path)?;
    let target_url = if target.ends_with(".md") {
        article_url(&target)
    } else {
        target
    };
    let target_url = crate::model::links::percent_encode(&target_url);
    let mut url = relative(&article_url(page_rel), &target_url);
    url.push_str(suffix);
    Some(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretty_urls() {
        assert_eq!(article_url("a/b.md"), "a/b/");
        assert_eq!(article_url("b.md"), "b/");
        assert_eq!(article_url("a/index.md"), "a/");
        assert_eq!(article_url("index.md"), "");
        assert_eq!(index_file("a/b/"), "a/b/index.html");
        assert_eq!(up_to_root("nl/a/b/"), "../../../");
        assert_eq!(up_to_root(""), "");
    }

    #[test]
    fn relative_urls() {
        assert_eq!(relative("a/b/", "a/c/"), "../c/");
        assert_eq!(relative("a/b/", "a/b/img.png"), "img.png");
        assert_eq!(relative("a/b/", "x.png"), "../../x.png");
        assert_eq!(relative("", "a/"), "a/");
        assert_eq!(relative("a/", "a/"), "./");
    }

    #[test]
    fn links_between_articles() {
        let cases = [
            ("k/a.md", "b.md", Some("../b/")),
            ("k/a.md", "b.md#fix", Some("../b/#fix")),
            ("k/a.md", "../m/c.md", Some("../../m/c/")),
            ("k/a.md", "sub/d.md?x=1", Some("../sub/d/?x=1")),
            ("k/a.md", "/help/m/c.md", Some("../../m/c/")),
            ("k/a.md", "assets/img.png", Some("../assets/img.png")),
            ("a.md", "img.png", Some("../img.png")),
            ("k/a.md", "../../../escape.md", None),
            ("k/a.md", "https://learn.microsoft.com/en-us/x", None),
            ("k/a.md", "mailto:someone@example.com", None),
            ("k/a.md", "#anchor", None),
            ("k/a.md", "/docs/other", None),
            ("k/a.md", "//cdn.example/x", None),
        ];
        for (page, dest, expected) in cases {
            assert_eq!(
                resolve_link(page, dest).as_deref(),
                expected,
                "{page} -> {dest}"
            );
        }
    }
}
