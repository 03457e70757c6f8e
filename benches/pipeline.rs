//! Criterion benches for the hot paths of a build: front matter, the markdown pipeline with
//! every ExL pass, one check rule family, the search index, and one page template. Whole
//! builds are timed by `scripts/bench` on a generated corpus.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use tolk::markdown::{self, RenderContext, Snippets};
use tolk::model as content;

const ARTICLE: &str = include_str!("../content/fr/workfront-integrations-and-apps/using-workfront-with-outlook/troubleshooting-outlookidentitytoken-error.md");
const CONSTRUCTS: &str = include_str!("../tests/fixtures/exl/content/fr/constructs.md");

fn front_matter(c: &mut Criterion) {
    c.bench_function("front matter: parse the fr seed", |b| {
        b.iter(|| {
            let split = content::front_matter::split("a.md", ARTICLE).ok();
            split.and_then(|s| content::front_matter::parse("a.md", ARTICLE, &s).ok())
        })
    });
}

fn render(c: &mut Criterion) {
    let label = |id: &str| id.to_owned();
    let resolve = |dest: &str| Some(dest.to_owned());
    let snippets = Snippets::default();
    let cache = markdown::Cache::default();
    for (name, text) in [("seed", ARTICLE), ("every construct", CONSTRUCTS)] {
        let body_offset = content::front_matter::split("a.md", text)
            .map(|s| s.body_offset)
            .unwrap_or(0);
        c.bench_function(&format!("markdown: render the fr {name}"), |b| {
            b.iter(|| {
                let ctx = RenderContext {
                    shown_path: "a.md",
                    file_text: text,
                    body_offset,
                    locale: "fr",
                    ui: &label,
                    resolve_link: &resolve,
                    snippets: &snippets,
                    include_stack: &[],
                    cache: &cache,
                    expansions: None,
                };
                markdown::render(&text[body_offset..], &ctx)
            })
        });
    }
}

/// The site at `root`, loaded and parsed.
fn load(root: &Path) -> (tolk::config::Config, content::Site) {
    let config = tolk::config::Config::load(root).expect("the site's config");
    let site = content::Site::load(&config).expect("the site");
    (config, site)
}

/// The known-issues corpus of `tests/fixtures`, loaded and parsed.
fn known_issues() -> (tolk::config::Config, content::Site) {
    load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/known-issues"))
}

fn check_and_build(c: &mut Criterion) {
    let (config, site) = known_issues();
    let mut group = c.benchmark_group("known-issues corpus (909 articles)");
    group.sample_size(10);
    group.bench_function("check: every rule", |b| {
        b.iter(|| tolk::check::run(&config, &site))
    });
    group.bench_function("build: render every page into memory, no search", |b| {
        let mut config = config.clone();
        config.site.search = false;
        // A build lets go of the texts (the pages read their files again): a model of its own.
        let mut site = content::Site::load(&config).expect("the corpus");
        b.iter(|| {
            let output = tolk::site::Output::memory();
            let look = tolk::site::Look::load(&config).expect("the theme");
            tolk::site::build_site(
                &config,
                &mut site,
                look,
                &output,
                None,
                std::time::Instant::now(),
                &|_| {},
            )
        })
    });
    group.finish();
}

/// The search index of each locale of the known-issues corpus, filled and written on one
/// thread: the words of every page looked up, counted and stemmed, then the term files made.
/// At 10,000 x 3 of the bench corpus the index is a seventh of a build's cycles.
///
/// `TOLK_BENCH_SITE=<a site's root>` indexes that site instead: the bench corpus at 10,000 x 3
/// (`gen_corpus.py`), whose 40,000 words a locale do not fit in a core's cache, where the
/// known-issues corpus's do.
fn search(c: &mut Criterion) {
    let (name, site) = match std::env::var_os("TOLK_BENCH_SITE") {
        Some(root) => {
            let (_, site) = load(Path::new(&root));
            let articles: usize = site.contents.iter().map(|c| c.articles.len()).sum();
            (format!("TOLK_BENCH_SITE ({articles} articles)"), site)
        }
        None => (
            "known-issues corpus (909 articles)".to_owned(),
            known_issues().1,
        ),
    };
    let mut group = c.benchmark_group(name);
    group.sample_size(10);
    group.bench_function("search: index every locale and write its files", |b| {
        b.iter(|| index_every_locale(&site))
    });
    group.finish();
}

/// The bytes of the index files of every locale of `site`. The pages' markdown stands in for
/// their plain text (the same words, some markup more).
fn index_every_locale(site: &content::Site) -> usize {
    use tolk::site::search::{Document, Index};
    let mut bytes = 0;
    for content in &site.contents {
        let code = &content.locale.code;
        let mut index = Index::new(code);
        for article in &content.articles {
            index.add(Document {
                url: &article.rel_path,
                title: article.front.title.as_deref().unwrap_or_default(),
                description: "",
                text: article.text.get(article.body_offset..).unwrap_or_default(),
            });
        }
        let written = std::sync::atomic::AtomicUsize::new(0);
        let sink = |_: String, file: Vec<u8>| {
            written.fetch_add(file.len(), std::sync::atomic::Ordering::Relaxed);
            Ok(())
        };
        index.write(code, &sink).expect("the index files");
        bytes += written.into_inner();
    }
    bytes
}

fn template(c: &mut Criterion) {
    let theme = tolk::theme::Theme::load(Path::new("/nonexistent")).expect("the embedded theme");
    let templates = tolk::site::templates::Templates::new(&theme).expect("the templates");
    let mut t = std::collections::BTreeMap::new();
    t.insert("not-found-title".to_owned(), "Page introuvable".to_owned());
    let context = serde_json::json!({
        "site_title": "Aide", "lang": "fr", "locale": "fr", "root": "../", "home": "./",
        "base_path": "/", "search": true, "t": t, "languages": []
    });
    c.bench_function("template: render the 404 page", |b| {
        b.iter(|| templates.render("404.html", &context))
    });
}

criterion_group!(
    benches,
    front_matter,
    render,
    check_and_build,
    search,
    template
);
criterion_main!(benches);
