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
        Some(dir) => [dir, "/"].concat(),
        None => [stem, "/"].concat(),
    }
}

/// What tolk writes at the top of the output, and what each is: no locale may take the name.
pub const RESERVED_TOP: &[(&str, &str)] = &[
    ("index.html", "the home page"),
    ("404.html", "the page for missing pages"),
    ("sitemap.xml", "the sitemap"),
    ("robots.txt", "the robots file"),
    ("status.json", "the translation status"),
    ("status", "the translation status page"),
    ("search", "the search index"),
    ("static", "the stylesheets and scripts"),
];

/// What tolk writes at the top of each locale's folder: no asset may take the name.
pub const RESERVED_IN_LOCALE: &[(&str, &str)] = &[
    ("index.html", "the locale's home page"),
    ("404.html", "the locale's page for missing pages"),
    ("nav.html", "the navigation"),
];

/// Content that would overwrite a file tolk generates: a locale named like a generated
/// folder (`static`), an asset named like a generated page (`nav.html`, `a/index.html` beside
/// `a.md`). Each is an error that names both; without it, the winner depends on the order of
/// the writes.
pub fn reserved_collisions(
    config: &crate::config::Config,
    contents: &[crate::model::LocaleContent],
) -> Vec<String> {
    let mut problems = Vec::new();
    for content in contents {
        let code = content.locale.code.as_str();
        if let Some((name, what)) = RESERVED_TOP.iter().find(|(name, _)| *name == code) {
            problems.push(format!(
                "locale `{code}` would be published at {name}/, which tolk generates ({what}); choose another locale code"
            ));
        }
        let mut generated: foldhash::HashMap<String, String> = RESERVED_IN_LOCALE
            .iter()
            .map(|(name, what)| ((*name).to_owned(), (*what).to_owned()))
            .collect();
        for article in &content.articles {
            let url = article_url(&article.rel_path);
            // `a.md` is published as `a/index.html`: a copied file `a` would have to be the
            // folder too (a build that tried failed with "is a directory" about a file in its
            // staging folder).
            if let Some(folder) = url.strip_suffix('/').filter(|f| !f.is_empty()) {
                generated.insert(
                    folder.to_owned(),
                    format!("the folder of the page of {}", article.shown_path),
                );
            }
            generated.insert(
                index_file(&url),
                format!("the page of {}", article.shown_path),
            );
        }
        for asset in &content.files.assets {
            if let Some(what) = generated.get(asset) {
                let shown = config.display_path(&content.locale.content_dir.join(asset));
                problems.push(format!(
                    "{shown} would be published at {code}/{asset}, which tolk generates ({what}); rename or remove it"
                ));
            }
        }
    }
    problems
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
    // A file named `a#b.md` or `a?.md` is linked as `a%23b/`, not as a fragment or a query.
    let to = crate::model::links::percent_encode(to);
    // Steps over the folders `from_dir` and `to` start with, then climbs the rest of
    // `from_dir`; the rest of `to` follows.
    let mut rest: &str = &to;
    let mut ups = 0;
    for folder in from_dir.split('/').filter(|s| !s.is_empty()) {
        let shared = ups == 0
            && rest.split_once('/').is_some_and(|(first, after)| {
                first == folder && {
                    rest = after;
                    true
                }
            });
        if !shared {
            ups += 1;
        }
    }
    let mut url = String::with_capacity(3 * ups + rest.len() + 2);
    for _ in 0..ups {
        url.push_str("../");
    }
    url.push_str(rest);
    if url.is_empty() || reads_as_scheme(&url) {
        url.insert_str(0, "./");
    }
    url
}

/// Would a browser, or anything that decodes the URL first, take the start of `url` for a
/// scheme? A file named `javascript:alert(1).md` must not give `href="javascript:alert(1)/"`.
fn reads_as_scheme(url: &str) -> bool {
    let first = url.split('/').next().unwrap_or_default();
    first.contains(':')
        || first.contains('%') && percent_decode(first).is_some_and(|d| d.contains(':'))
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
        assert_eq!(relative("a/b/c/", "a/x/b/c/"), "../../x/b/c/");
        assert_eq!(relative("a/b/", "a/b/c/d/"), "c/d/");
        assert_eq!(relative("fr/a/", "fr/a/b c/"), "b%20c/");
    }

    #[test]
    fn relative_urls_never_start_with_a_scheme() {
        let cases = [
            (
                "",
                "javascript:alert(1)%2F%2F/",
                "./javascript:alert(1)%2F%2F/",
            ),
            ("a/", "a/javascript:x/", "./javascript:x/"),
            ("", "javascript%3Ax/", "./javascript%3Ax/"),
            ("", "data:text/html,x", "./data:text/html,x"),
            ("b/", "javascript:x/", "../javascript:x/"),
            ("", "a/b:c/", "a/b:c/"),
        ];
        for (from, to, expected) in cases {
            assert_eq!(relative(from, to), expected, "{from} -> {to}");
        }
        assert_eq!(relative("a/", "a/b#c/"), "b%23c/");
        assert_eq!(relative("", "x?.png"), "x%3F.png");
        assert_eq!(
            relative("", "100%25/"),
            "100%25/",
            "an escape is not escaped twice"
        );
        assert_eq!(
            resolve_link("index.md", "./javascript:alert(1)%2F%2F.md").as_deref(),
            Some("./javascript:alert(1)%2F%2F/")
        );
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
