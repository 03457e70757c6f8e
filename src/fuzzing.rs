//! Entry points for the fuzz targets in `fuzz/` and the fuzz smoke test in `tests/`: each takes
//! arbitrary bytes and runs one stage of the pipeline on them. None of them may panic.

use std::path::Path;

use crate::config::Config;
use crate::markdown::{self, Cache, RenderContext, Snippets};
use crate::model::{self as content, LocaleContent, LocaleFiles};

/// Front matter: split and parse, as a build does.
pub fn front_matter(data: &[u8]) {
    let text = content::normalize_newlines(String::from_utf8_lossy(data).into_owned());
    if let Ok(split) = content::front_matter::split("fuzz.md", &text) {
        let _ = content::front_matter::parse("fuzz.md", &text, &split);
    }
}

/// The markdown pipeline with every ExL pass, in a locale with typography (fr).
pub fn markdown(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut snippets = Snippets::default();
    snippets.add_file(
        "snippets.md",
        "## A {#a}\n\n{{b}}\n\n## B {#b}\n\n>[!NOTE]\n>\n>B\n\n## Loop {#loop}\n\n{{loop}}\n",
    );
    let rendered = render(&text, &snippets);
    let _ = markdown::inline::render_line(&text);
    assert!(
        !has_script_url(&rendered.html),
        "a javascript: link survived"
    );
}

/// Does a real tag (not escaped text) carry a `javascript:` URL?
fn has_script_url(html: &str) -> bool {
    html.split('<').skip(1).any(|tag| {
        let tag = tag
            .split('>')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        [
            "href=\"javascript:",
            "src=\"javascript:",
            "href='javascript:",
            "src='javascript:",
        ]
        .iter()
        .any(|bad| tag.contains(bad))
    })
}

/// The translation checks on a pair of articles: the input is split at the first NUL byte into
/// the nl and the fr version of one article.
pub fn check_pair(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (nl, fr) = text.split_once('\0').unwrap_or((&text, &text));
    let Ok(config) = Config::parse(
        Path::new("/nonexistent-fuzz-site"),
        "tolk.toml",
        "[[locales]]\ncode = \"nl\"\n\n[[locales]]\ncode = \"fr\"\n",
    ) else {
        return;
    };
    let mut contents = Vec::new();
    for (locale, text) in config.locales.iter().zip([nl, fr]) {
        let shown = format!("content/{}/a.md", locale.code);
        let article = content::parse_article(&locale.code, "a.md", shown, text.to_owned());
        contents.push(LocaleContent {
            locale: locale.clone(),
            articles: vec![article],
            files: LocaleFiles {
                articles: vec!["a.md".to_owned()],
                ..LocaleFiles::default()
            },
        });
    }
    let site = content::Site::from_contents(&config, contents);
    if let Ok(report) = crate::check::run(&config, &site) {
        for format in [
            crate::check::report::Format::Human,
            crate::check::report::Format::Json,
            crate::check::report::Format::Github,
            crate::check::report::Format::Junit,
        ] {
            let _ = crate::check::report::render(&report, format, &Default::default());
        }
    }
}

/// Snippet and include expansion: the bytes, split at NUL, are a page, its locale's
/// `_includes/snippets.md`, and include files `_includes/0.md`, `_includes/1.md`, ... in a
/// temporary content folder. Nothing may panic or overflow the stack, every error must lie in
/// a file that exists, and expansion must stay within its bounds.
pub fn expansion(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.split('\0');
    let page = parts.next().unwrap_or_default().to_owned();
    let Ok(dir) = tempfile::tempdir() else {
        return;
    };
    let includes = dir.path().join("_includes");
    if std::fs::create_dir_all(&includes).is_err() {
        return;
    }
    if let Some(snippets) = parts.next() {
        let _ = std::fs::write(includes.join("snippets.md"), snippets);
    }
    for (i, part) in parts.take(16).enumerate() {
        let _ = std::fs::write(includes.join(format!("{i}.md")), part);
    }
    let snippets = Snippets::load(dir.path(), "content/fz");
    let rendered = render(&page, &snippets);
    for error in &rendered.errors {
        let path = &error.location.path;
        assert!(
            path == "fuzz.md" || path.starts_with("content/fz/"),
            "an error in a file that is not there: {error}"
        );
    }
    assert!(
        !has_script_url(&rendered.html),
        "a javascript: link survived"
    );
}

/// Renders `text` as the page `fuzz.md` of locale fr, with `snippets`.
fn render(text: &str, snippets: &Snippets) -> markdown::Rendered {
    let ui = |id: &str| id.to_owned();
    let resolve = |dest: &str| crate::site::urls::resolve_link("a/b.md", dest);
    let ctx = RenderContext {
        shown_path: "fuzz.md",
        file_text: text,
        body_offset: 0,
        locale: "fr",
        ui: &ui,
        resolve_link: &resolve,
        snippets,
        include_stack: &[],
        cache: &Cache::default(),
        expansions: None,
    };
    markdown::render(text, &ctx)
}

#[cfg(test)]
mod tests {
    #[test]
    fn script_urls_are_found_in_tags_only() {
        assert!(super::has_script_url(
            "<p><a href=\"javascript:x\">a</a></p>"
        ));
        assert!(!super::has_script_url(
            "<pre>&lt;a href=\"javascript:x\"&gt;</pre>"
        ));
        assert!(!super::has_script_url("<a href=\"\">javascript:x</a>"));
    }
}
