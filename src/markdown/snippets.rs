//! Reusable text: snippets `{{snippet-id}}` from the locale's `_includes/snippets.md` (one
//! section `## Title {#snippet-id}` each) and includes `{{$include /help/_includes/file.md}}`.
//!
//! A paragraph that is only a snippet or include is replaced by the rendered text, which may
//! itself use snippets; a missing id, a missing file or a cycle is a positioned error.

use std::collections::HashMap;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::{RenderContext, Spanned};
use crate::error::{SourceError, SourceErrorKind, Warning};

/// A piece of markdown from another file.
#[derive(Debug, Clone)]
struct Source {
    shown_path: String,
    text: Arc<str>,
    range: Range<usize>,
}

/// The snippets and include folder of one locale.
#[derive(Debug, Clone, Default)]
pub struct Snippets {
    by_id: HashMap<String, Source>,
    /// The locale's content folder (Adobe's `help/`), and how it is shown.
    content_dir: Option<(PathBuf, String)>,
}

impl Snippets {
    /// Reads `content_dir/_includes/snippets.md` if it exists. `shown_dir` names the folder in
    /// messages.
    pub fn load(content_dir: &std::path::Path, shown_dir: &str) -> Snippets {
        let mut snippets = Snippets {
            by_id: HashMap::new(),
            content_dir: Some((content_dir.to_owned(), shown_dir.to_owned())),
        };
        let path = content_dir.join("_includes/snippets.md");
        if let Ok(text) = std::fs::read_to_string(&path) {
            snippets.add_file(&format!("{shown_dir}/_includes/snippets.md"), &text);
        }
        snippets
    }

    /// Adds the sections of a snippets file (see [`sections`]).
    pub fn add_file(&mut self, shown_path: &str, text: &str) {
        let text: Arc<str> = Arc::from(text);
        for (id, range) in sections(&text) {
            self.insert(id, shown_path, &text, range);
        }
    }

    fn insert(&mut self, id: String, shown_path: &str, text: &Arc<str>, range: Range<usize>) {
        self.by_id.entry(id).or_insert_with(|| Source {
            shown_path: shown_path.to_owned(),
            text: Arc::clone(text),
            range,
        });
    }

    /// The file an include path names (see [`include_path`]).
    fn include(&self, path: &str) -> Option<Source> {
        let (dir, shown_dir) = self.content_dir.as_ref()?;
        let rel = include_path(path)?;
        let text: Arc<str> = Arc::from(std::fs::read_to_string(dir.join(&rel)).ok()?);
        let range = 0..text.len();
        Some(Source {
            shown_path: format!("{shown_dir}/{rel}"),
            text,
            range,
        })
    }
}

/// The snippets of a snippets file, by Experience League's rule: each `## Title {#id}` section,
/// up to the next `## ` heading (outside code fences), is the snippet `id`. Other headings,
/// and `##` sections without an id, define nothing. Returns each id with its text's byte range.
pub fn sections(text: &str) -> Vec<(String, Range<usize>)> {
    let mut found = Vec::new();
    let mut current: Option<(String, usize)> = None;
    let mut offset = 0;
    let mut in_fence = false;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
        }
        if !in_fence && trimmed.starts_with("## ") {
            if let Some((id, start)) = current.take() {
                found.push((id, start..offset));
            }
            if let Some(id) = heading_id(trimmed) {
                current = Some((id, offset + line.len()));
            }
        }
        offset += line.len();
    }
    if let Some((id, start)) = current {
        found.push((id, start..text.len()));
    }
    found
}

/// The file an include path names, under the locale's content folder (Adobe's `help/`): the
/// path is read from the content root, whether written `/help/_includes/x.md` (as Experience
/// League writes it), `/_includes/x.md` or `_includes/x.md`. `None` when it climbs out.
pub fn include_path(path: &str) -> Option<String> {
    let path = path.trim();
    let rel = path
        .strip_prefix("/help/")
        .unwrap_or(path.trim_start_matches('/'));
    (!rel.is_empty() && !rel.split('/').any(|p| p == ".." || p == ".")).then(|| rel.to_owned())
}

fn heading_id(heading: &str) -> Option<String> {
    let open = heading.rfind("{#")?;
    let id = heading[open + 2..].strip_suffix('}')?;
    (!id.is_empty()).then(|| id.trim().to_owned())
}

/// What a paragraph asks to include.
enum Reference<'s> {
    Snippet(&'s str),
    Include(&'s str),
}

fn reference(paragraph_source: &str) -> Option<Reference<'_>> {
    let inner = paragraph_source
        .trim()
        .strip_prefix("{{")?
        .strip_suffix("}}")?
        .trim();
    if inner.contains(['{', '}', '\n']) || inner.is_empty() {
        return None;
    }
    Some(match inner.strip_prefix("$include") {
        Some(path) => Reference::Include(path.trim()),
        None => Reference::Snippet(inner),
    })
}

pub fn transform<'a>(
    body: &str,
    events: &mut Vec<Spanned<'a>>,
    ctx: &RenderContext<'_>,
    errors: &mut Vec<SourceError>,
    warnings: &mut Vec<Warning>,
) {
    let mut out: Vec<Spanned<'a>> = Vec::with_capacity(events.len());
    let mut input = std::mem::take(events).into_iter();
    while let Some((event, range)) = input.next() {
        let Event::Start(Tag::Paragraph) = event else {
            out.push((event, range));
            continue;
        };
        let Some(reference) = body.get(range.clone()).and_then(reference) else {
            out.push((event, range));
            continue;
        };
        for (event, _) in input.by_ref() {
            if matches!(event, Event::End(TagEnd::Paragraph)) {
                break;
            }
        }
        let (key, source, what) = match reference {
            Reference::Snippet(id) => (
                id.to_owned(),
                ctx.snippets.by_id.get(id).cloned(),
                "snippet",
            ),
            Reference::Include(path) => (path.to_owned(), ctx.snippets.include(path), "include"),
        };
        let error = |message: String, help: &str| {
            SourceError::new(
                SourceErrorKind::Include,
                ctx.shown_path,
                ctx.file_text,
                ctx.body_offset + range.start..ctx.body_offset + range.end,
                message,
            )
            .with_help(help.to_owned())
        };
        let Some(source) = source else {
            errors.push(match what {
                "snippet" => error(
                    format!("there is no snippet `{key}`"),
                    "define it in _includes/snippets.md of this locale as a section `## Title {#id}`",
                ),
                _ => error(format!("the included file `{key}` does not exist"), "include a file under /help/_includes/ of this locale"),
            });
            continue;
        };
        if ctx.include_stack.contains(&key) {
            let mut chain = ctx.include_stack.to_vec();
            chain.push(key.clone());
            errors.push(error(
                format!("circular {what}: {}", chain.join(" -> ")),
                "a snippet or include must not include itself, directly or through others",
            ));
            continue;
        }
        let mut stack = ctx.include_stack.to_vec();
        stack.push(key);
        let markdown = &source.text[source.range.clone()];
        let nested = RenderContext {
            shown_path: &source.shown_path,
            file_text: &source.text,
            body_offset: source.range.start,
            locale: ctx.locale,
            ui: ctx.ui,
            resolve_link: ctx.resolve_link,
            snippets: ctx.snippets,
            include_stack: &stack,
            cache: ctx.cache,
        };
        let rendered = super::render(markdown, &nested);
        errors.extend(rendered.errors);
        warnings.extend(rendered.warnings);
        out.push((Event::Html(CowStr::from(rendered.html)), range));
    }
    *events = out;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::test_support::render_with;

    fn library() -> Snippets {
        let mut snippets = Snippets::default();
        snippets.add_file(
            "content/nl/_includes/snippets.md",
            "# Snippets\n\n## Toegang {#access}\n\nJe hebt **[!DNL Workfront]** nodig.\n\n{{nested}}\n\n## Genest {#nested}\n\nGenest.\n\n## Lus {#loop}\n\n{{loop}}\n",
        );
        snippets
    }

    #[test]
    fn snippets_expand_recursively() {
        let r = render_with("nl", "Voor\n\n{{access}}\n\nNa\n", &library());
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        assert_eq!(
            r.html,
            "<p>Voor</p>\n<p>Je hebt <strong><span translate=\"no\">Workfront</span></strong> nodig.</p>\n<p>Genest.</p>\n<p>Na</p>\n"
        );
    }

    #[test]
    fn missing_snippet_is_a_positioned_error() {
        let r = render_with("nl", "Voor\n\n{{nope}}\n", &library());
        assert_eq!(r.errors.len(), 1);
        assert_eq!(
            r.errors[0].to_string(),
            "t.md:3:1: there is no snippet `nope`"
        );
    }

    #[test]
    fn cycles_are_errors() {
        let r = render_with("nl", "{{loop}}\n", &library());
        assert_eq!(r.errors.len(), 1, "{:?}", r.errors);
        let message = r.errors[0].to_string();
        assert!(
            message.starts_with("content/nl/_includes/snippets.md:"),
            "{message}"
        );
        assert!(
            message.contains("circular snippet: loop -> loop"),
            "{message}"
        );
    }

    #[test]
    fn includes_read_files_under_help() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        std::fs::create_dir_all(dir.path().join("_includes"))?;
        std::fs::write(dir.path().join("_includes/access.md"), "Included *text*.\n")?;
        let snippets = Snippets::load(dir.path(), "content/fr");
        let r = render_with(
            "fr",
            "{{$include /help/_includes/access.md}}\n\n{{$include /help/_includes/missing.md}}\n",
            &snippets,
        );
        assert!(
            r.html.contains("<p>Included <em>text</em>.</p>"),
            "{}",
            r.html
        );
        assert_eq!(r.errors.len(), 1);
        assert!(r.errors[0]
            .to_string()
            .contains("`/help/_includes/missing.md` does not exist"));
        Ok(())
    }
}
