//! Reusable text: snippets `{{snippet-id}}` from the locale's `_includes/snippets.md` (one
//! section `## Title {#snippet-id}` each) and includes `{{$include /help/_includes/file.md}}`.
//!
//! A paragraph that is only a snippet or include is replaced by the rendered text, which may
//! itself use snippets; a missing id, a missing file or a cycle is a positioned error.

use foldhash::HashMap;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::{RenderContext, Spanned};
use crate::error::{SourceError, SourceErrorKind, Warning};
use crate::model::discover::{read_inside, Refused};

/// How deep snippets and includes may nest: far beyond any real page, far below what the
/// stack holds.
pub const MAX_DEPTH: usize = 64;

/// How many snippets and includes one page may expand, counting repeats: a few hundred is a
/// large page; files that each include the next several times would otherwise grow the page
/// exponentially.
pub const MAX_EXPANSIONS: usize = 10_000;

/// A piece of markdown from another file.
#[derive(Debug, Clone)]
struct Source {
    shown_path: String,
    text: Arc<str>,
    range: Range<usize>,
}

/// The snippets and include folder of one locale.
#[derive(Debug, Default)]
pub struct Snippets {
    by_id: HashMap<String, Source>,
    /// The locale's content folder (Adobe's `help/`), and how it is shown.
    content_dir: Option<(PathBuf, String)>,
    /// The site root: what a file reached through a symbolic link must lie in.
    site_root: Option<PathBuf>,
    /// Why `_includes/snippets.md` exists but was not read.
    refused: Option<String>,
    /// Each include file, read once: its text, or why it was not read.
    includes: Mutex<HashMap<String, Result<Source, String>>>,
}

/// The snippets and includes one page has expanded: each is rendered once per page, however
/// often the page (or what it includes) names it.
#[derive(Debug, Default)]
pub struct Expansions {
    /// Each expansion's HTML, and how many expansions it holds, itself included.
    html: Mutex<HashMap<String, (Arc<str>, usize)>>,
    /// Expansions on the page so far, counting every copy.
    count: std::sync::atomic::AtomicUsize,
}

impl Expansions {
    /// Counts `n` more expansions; past [`MAX_EXPANSIONS`], says whether this is the first
    /// time (to report it once) in `Err`.
    fn add(&self, n: usize) -> Result<(), bool> {
        use std::sync::atomic::Ordering;
        let before = self.count.fetch_add(n, Ordering::Relaxed);
        if before + n > MAX_EXPANSIONS {
            return Err(before <= MAX_EXPANSIONS);
        }
        Ok(())
    }

    fn count(&self) -> usize {
        self.count.load(std::sync::atomic::Ordering::Relaxed)
    }
}

impl Snippets {
    /// Reads `content_dir/_includes/snippets.md` if it exists. `shown_dir` names the folder in
    /// messages. Files are read only inside the content folder.
    pub fn load(content_dir: &std::path::Path, shown_dir: &str) -> Snippets {
        Snippets::load_in(content_dir, content_dir, shown_dir)
    }

    /// Like [`Snippets::load`], for a site whose root is `site_root`: files reached through
    /// symbolic links must lie inside it (or inside the content folder), must not be hidden
    /// and must be regular files.
    pub fn load_in(
        site_root: &std::path::Path,
        content_dir: &std::path::Path,
        shown_dir: &str,
    ) -> Snippets {
        let mut snippets = Snippets {
            content_dir: Some((content_dir.to_owned(), shown_dir.to_owned())),
            site_root: Some(site_root.to_owned()),
            ..Snippets::default()
        };
        let path = content_dir.join("_includes/snippets.md");
        let shown = format!("{shown_dir}/_includes/snippets.md");
        match read_inside(&path, &[site_root, content_dir]) {
            Ok(text) => snippets.add_file(&shown, &text),
            Err(Refused::Missing) => {}
            Err(Refused::Unreadable(e)) => {
                snippets.refused = Some(format!("cannot read {shown}: {e}"));
            }
            Err(why) => snippets.refused = Some(format!("{shown} {why}")),
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

    /// The snippet `id`, or why there is none.
    fn snippet(&self, id: &str) -> Result<Source, String> {
        match (self.by_id.get(id), &self.refused) {
            (Some(source), _) => Ok(source.clone()),
            (None, Some(refused)) => Err(format!("there is no snippet `{id}`: {refused}")),
            (None, None) => Err(format!("there is no snippet `{id}`")),
        }
    }

    /// The file an include path names: `/help/_includes/x.md` is `content_dir/_includes/x.md`.
    /// Read once; later calls get the same text.
    fn include(&self, path: &str) -> Result<Source, String> {
        let Some((dir, shown_dir)) = self.content_dir.as_ref() else {
            return Err(format!("the included file `{path}` does not exist"));
        };
        let Some(rel) = include_path(path) else {
            return Err(format!(
                "the included file `{path}` climbs out of the content folder"
            ));
        };
        let rel = rel.as_str();
        let mut cache = crate::lock::lock(&self.includes);
        if let Some(known) = cache.get(rel) {
            return known.clone();
        }
        let root = self.site_root.as_deref().unwrap_or(dir);
        let read = match read_inside(&dir.join(rel), &[root, dir]) {
            Ok(text) => {
                let text: Arc<str> = Arc::from(text);
                Ok(Source {
                    shown_path: format!("{shown_dir}/{rel}"),
                    range: 0..text.len(),
                    text,
                })
            }
            Err(Refused::Unreadable(e)) => {
                Err(format!("cannot read the included file `{path}`: {e}"))
            }
            Err(why) => Err(format!("the included file `{path}` {why}")),
        };
        cache.insert(rel.to_owned(), read.clone());
        read
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
    marks: &super::Marks,
    events: &mut Vec<Spanned<'a>>,
    ctx: &RenderContext<'_>,
    errors: &mut Vec<SourceError>,
    warnings: &mut Vec<Warning>,
) {
    // A reference has `{{` in the source, or (written as character references) a `{` in a
    // text: without either there is nothing to expand.
    let referenced = memchr::memmem::find(body.as_bytes(), b"{{").is_some()
        || super::any_prose_brace(marks, events);
    if !referenced {
        return;
    }
    // The top of a page starts the page's expansions; nested texts share them.
    let own = Expansions::default();
    let mut expander = Expander {
        ctx,
        expansions: ctx.expansions.unwrap_or(&own),
        errors,
        warnings,
    };
    let mut out: Vec<Spanned<'a>> = Vec::with_capacity(events.len());
    let mut input = std::mem::take(events).into_iter();
    while let Some((event, range)) = input.next() {
        if matches!(event, Event::SoftBreak) {
            // A line of a tight list item that is only a reference.
            if let Some((text, r, taken)) = line_after_break(input.as_slice()) {
                if let Some(found) = reference(text.trim()) {
                    for _ in 0..taken {
                        input.next();
                    }
                    expander.expand(found, r, &mut out);
                    continue;
                }
            }
        }
        let Event::Start(Tag::Paragraph) = event else {
            out.push((event, range));
            continue;
        };
        let source = body.get(range.clone()).unwrap_or_default();
        if !source.contains("{{") {
            out.push((event, range));
            continue;
        }
        let (lines, end) = paragraph_lines(&mut input);
        let end = end.unwrap_or((Event::End(TagEnd::Paragraph), range.end..range.end));
        expander.paragraph(body, lines, &end, &range, &mut out);
    }
    *events = out;
}

/// The text events after a line break up to the end of the line (the item's end or the next
/// break): their text, range and number. `None` when something else is on the line.
fn line_after_break(ahead: &[Spanned<'_>]) -> Option<(String, Range<usize>, usize)> {
    let mut text = String::new();
    let mut text_range: Option<Range<usize>> = None;
    let mut taken = 0;
    while let Some((Event::Text(t), r)) = ahead.get(taken) {
        text.push_str(t);
        text_range = Some(text_range.map_or(r.clone(), |tr| tr.start..r.end));
        taken += 1;
    }
    let ends_line = matches!(
        ahead.get(taken),
        Some((Event::End(TagEnd::Item) | Event::SoftBreak, _))
    );
    Some((text, text_range.filter(|_| ends_line)?, taken))
}

/// The rest of a paragraph, split into lines (each line keeps its break), and its end.
fn paragraph_lines<'a>(
    input: &mut impl Iterator<Item = Spanned<'a>>,
) -> (Vec<Vec<Spanned<'a>>>, Option<Spanned<'a>>) {
    let mut lines: Vec<Vec<Spanned<'a>>> = vec![Vec::new()];
    for (event, r) in input {
        match event {
            Event::End(TagEnd::Paragraph) => return (lines, Some((event, r))),
            Event::SoftBreak | Event::HardBreak => {
                if let Some(line) = lines.last_mut() {
                    line.push((event, r));
                }
                lines.push(Vec::new());
            }
            other => {
                if let Some(line) = lines.last_mut() {
                    line.push((other, r));
                }
            }
        }
    }
    (lines, None)
}

/// Expands the references of one page (or included text), recording what goes wrong.
struct Expander<'c, 'x> {
    ctx: &'c RenderContext<'x>,
    expansions: &'c Expansions,
    errors: &'c mut Vec<SourceError>,
    warnings: &'c mut Vec<Warning>,
}

impl Expander<'_, '_> {
    /// The paragraph line by line: a line that is only a reference (also a lazy continuation
    /// line of a list item) is replaced, the other lines stay a paragraph.
    fn paragraph<'a>(
        &mut self,
        body: &str,
        lines: Vec<Vec<Spanned<'a>>>,
        end: &Spanned<'a>,
        range: &Range<usize>,
        out: &mut Vec<Spanned<'a>>,
    ) {
        let mut open = false;
        for line in lines {
            let line_range = line.first().map_or(range.clone(), |(_, r)| {
                r.start..line.last().map_or(r.end, |l| l.1.end)
            });
            let text = line_text(&line);
            match reference(text.trim()) {
                Some(found) => {
                    if open {
                        close_paragraph(out, end);
                        open = false;
                    }
                    let r = body
                        .get(line_range.clone())
                        .and_then(|t| t.find("{{"))
                        .map_or(line_range.clone(), |i| line_range.start + i..line_range.end);
                    self.expand(found, r, out);
                }
                None => {
                    if !open {
                        out.push((Event::Start(Tag::Paragraph), line_range.clone()));
                        open = true;
                    }
                    out.extend(line);
                }
            }
        }
        if open {
            close_paragraph(out, end);
        }
    }
}

/// The text of one line of a paragraph (its text events joined).
fn line_text(line: &[Spanned<'_>]) -> String {
    let mut text = String::new();
    for (event, _) in line {
        match event {
            Event::Text(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => {}
            _ => text.push('\u{1}'),
        }
    }
    text
}

/// Ends the paragraph being built, without a line break left at its end.
fn close_paragraph<'a>(out: &mut Vec<Spanned<'a>>, end: &Spanned<'a>) {
    if matches!(out.last(), Some((Event::SoftBreak | Event::HardBreak, _))) {
        out.pop();
    }
    out.push(end.clone());
}

impl Expander<'_, '_> {
    /// Renders what `reference` names in place of `range`, or records why it cannot. Each
    /// snippet or include is rendered once per page (`expansions`), nested at most
    /// [`MAX_DEPTH`] deep and expanded at most [`MAX_EXPANSIONS`] times.
    fn expand<'a>(
        &mut self,
        reference: Reference<'_>,
        range: Range<usize>,
        out: &mut Vec<Spanned<'a>>,
    ) {
        let ctx = self.ctx;
        let (key, source, what) = match reference {
            Reference::Snippet(id) => (id.to_owned(), ctx.snippets.snippet(id), "snippet"),
            Reference::Include(path) => (path.to_owned(), ctx.snippets.include(path), "include"),
        };
        let source = match source {
            Ok(source) => source,
            Err(message) => {
                let help = match what {
                    "snippet" => "define it in _includes/snippets.md of this locale as a section `## Title {#id}`",
                    _ => "include a readable file under /help/_includes/ of this locale, inside the site",
                };
                self.errors.push(self.error(&range, message, help));
                return;
            }
        };
        if let Some(error) = self.nesting_error(&key, what, &range) {
            self.errors.push(error);
            return;
        }
        let memo_key = format!("{what}:{key}");
        let remembered = self
            .expansions
            .html
            .lock()
            .ok()
            .and_then(|html| html.get(&memo_key).cloned());
        if let Some((html, inside)) = remembered {
            if let Err(first) = self.expansions.add(inside) {
                self.too_many(first, &range);
                return;
            }
            out.push((Event::Html(CowStr::from(html.to_string())), range));
            return;
        }
        if let Err(first) = self.expansions.add(1) {
            self.too_many(first, &range);
            return;
        }
        let html = self.render(&source, key, memo_key);
        out.push((Event::Html(CowStr::from(html)), range));
    }

    /// Renders a snippet or include's markdown as nested in this page, and remembers its HTML.
    fn render(&mut self, source: &Source, key: String, memo_key: String) -> String {
        let ctx = self.ctx;
        let expansions = self.expansions;
        let counted_before = expansions.count();
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
            expansions: Some(expansions),
        };
        let rendered = super::render(markdown, &nested);
        self.errors.extend(rendered.errors);
        self.warnings.extend(rendered.warnings);
        let inside = expansions.count() + 1 - counted_before;
        if let Ok(mut html) = expansions.html.lock() {
            html.insert(memo_key, (Arc::from(rendered.html.as_str()), inside));
        }
        rendered.html
    }

    /// An include error at `range` of the text being rendered.
    fn error(&self, range: &Range<usize>, message: String, help: &str) -> SourceError {
        let ctx = self.ctx;
        SourceError::new(
            SourceErrorKind::Include,
            ctx.shown_path,
            ctx.file_text,
            ctx.body_offset + range.start..ctx.body_offset + range.end,
            message,
        )
        .with_help(help.to_owned())
    }

    /// Why `key` cannot be expanded here: it includes itself, or the chain is too deep.
    fn nesting_error(&self, key: &str, what: &str, range: &Range<usize>) -> Option<SourceError> {
        let stack = self.ctx.include_stack;
        if stack.iter().any(|k| k == key) {
            let mut chain = stack.to_vec();
            chain.push(key.to_owned());
            return Some(self.error(
                range,
                format!("circular {what}: {}", chain.join(" -> ")),
                "a snippet or include must not include itself, directly or through others",
            ));
        }
        if stack.len() >= MAX_DEPTH {
            let first = stack.first().map_or("", String::as_str);
            return Some(self.error(
                range,
                format!(
                    "snippets and includes are nested more than {MAX_DEPTH} levels deep ({first} -> … -> {key})"
                ),
                "include the text at a shallower level; a chain this deep is most likely a mistake",
            ));
        }
        None
    }

    /// The page expands too much: said once, where it stopped.
    fn too_many(&mut self, first: bool, range: &Range<usize>) {
        if first {
            let error = self.error(
                range,
                format!(
                    "the page expands more than {MAX_EXPANSIONS} snippets and includes (counting repeats); this is where it stopped"
                ),
                "include less often: a file that includes another several times, which does the same, grows the page exponentially",
            );
            self.errors.push(error);
        }
    }
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
    fn references_on_lines_of_a_paragraph_and_in_list_items() {
        let r = render_with(
            "nl",
            "{{nested}} \n{{nested}}\n\n- Stap\n{{nested}}\n- Twee\n",
            &library(),
        );
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        assert_eq!(
            r.html,
            "<p>Genest.</p>\n<p>Genest.</p>\n<ul>\n<li>Stap<p>Genest.</p>\n</li>\n<li>Twee</li>\n</ul>\n"
        );
        let r = render_with("nl", "Tekst\n{{nope}}\n", &library());
        assert_eq!(
            r.errors[0].to_string(),
            "t.md:2:1: there is no snippet `nope`"
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
