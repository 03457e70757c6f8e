//! Heading ids: `{#id}` as written, otherwise a stable slug of the text; duplicates get `-1`,
//! `-2`. Each heading gets a permalink anchor.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag, TagEnd};

use super::Spanned;

/// A heading of a rendered page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    /// The heading's plain text (markup and ExL markers removed).
    pub text: String,
}

/// Gives every heading an id and an anchor; returns the headings in order.
pub fn assign_ids(events: &mut Vec<Spanned<'_>>) -> Vec<Heading> {
    let mut used: HashSet<String> = HashSet::new();
    // For each slug, the suffix to try next: 10,000 headings with one title take linear time.
    let mut next: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    // Explicit ids win: reserve them first so a slug never takes one.
    for (event, _) in events.iter() {
        if let Event::Start(Tag::Heading { id: Some(id), .. }) = event {
            used.insert(id.to_string());
        }
    }
    let mut headings = Vec::new();
    let mut out = Vec::with_capacity(events.len() + 8);
    let mut input = std::mem::take(events).into_iter();
    while let Some((event, range)) = input.next() {
        let Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) = event
        else {
            out.push((event, range));
            continue;
        };
        let mut inner = Vec::new();
        let mut end = None;
        for (event, range) in input.by_ref() {
            if matches!(event, Event::End(TagEnd::Heading(_))) {
                end = Some((event, range));
                break;
            }
            inner.push((event, range));
        }
        let text = plain_text(&inner);
        let id = match id {
            Some(id) => id.to_string(),
            None => unique(slug(&text), &mut used, &mut next),
        };
        let number = level_number(level);
        out.push((
            Event::Start(Tag::Heading {
                level,
                id: Some(CowStr::from(id.clone())),
                classes,
                attrs,
            }),
            range.clone(),
        ));
        out.extend(inner);
        if number > 1 {
            let anchor = format!(
                "<a class=\"anchor\" href=\"#{}\" aria-hidden=\"true\" tabindex=\"-1\">#</a>",
                super::callout::html_escape(&id)
            );
            out.push((Event::InlineHtml(CowStr::from(anchor)), range));
        }
        out.extend(end);
        headings.push(Heading {
            level: number,
            id,
            text,
        });
    }
    *events = out;
    headings
}

/// The plain text of a run of inline events.
pub fn plain_text(events: &[Spanned<'_>]) -> String {
    let mut text = String::new();
    for (event, _) in events {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text.trim().to_owned()
}

/// A URL-safe id: accents folded (`Dépannage` -> `depannage`), lowercase, `-` between words.
pub fn slug(text: &str) -> String {
    let folded = deunicode::deunicode(text).to_lowercase();
    let mut slug = String::with_capacity(folded.len());
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.is_empty() {
        slug.push_str("section");
    }
    slug
}

fn unique(
    base: String,
    used: &mut HashSet<String>,
    next: &mut std::collections::HashMap<String, usize>,
) -> String {
    let mut candidate = base.clone();
    let n = next.entry(base.clone()).or_insert(1);
    while used.contains(&candidate) {
        candidate = format!("{base}-{n}");
        *n += 1;
    }
    used.insert(candidate.clone());
    candidate
}

/// `HeadingLevel::H2` -> 2.
pub fn level_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::test_support::render_str;

    #[test]
    fn slugs_fold_accents_and_punctuation() {
        assert_eq!(
            slug("Dépannage : erreur outlookIdentityToken"),
            "depannage-erreur-outlookidentitytoken"
        );
        assert_eq!(slug("  Perché?  "), "perche");
        assert_eq!(slug("***"), "section");
    }

    #[test]
    fn explicit_ids_win_and_duplicates_are_numbered() {
        let r = render_str("# Title\n\n## Steps\n\n## Steps\n\n## Other {#steps-1}\n");
        let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["title", "steps", "steps-2", "steps-1"]);
        assert!(
            r.html
                .contains("<h2 id=\"steps\">Steps<a class=\"anchor\" href=\"#steps\""),
            "{}",
            r.html
        );
        assert!(r.html.contains("<h1 id=\"title\">Title</h1>"), "{}", r.html);
        assert_eq!(r.h1(), Some("Title"));
    }
}
