//! Heading ids: `{#id}` as written, otherwise a stable slug of the text; duplicates get `-1`,
//! `-2`. Each heading gets a permalink anchor.

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag, TagEnd};

use super::Spanned;

/// A heading of a rendered page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedHeading {
    pub level: u8,
    pub id: String,
    /// The heading's plain text (markup and ExL markers removed).
    pub text: String,
}

/// Gives every heading an id, in place; returns the headings in order, and the anchor of each
/// heading below the first level with the index of the heading's end, where
/// [`with_anchors`] puts it when the page is written. Inserting them here moved every event of
/// the page into a new list, on every page.
pub fn assign_ids(events: &mut [Spanned<'_>]) -> (Vec<RenderedHeading>, Vec<(usize, String)>) {
    let mut used: HashSet<String> = HashSet::new();
    // For each slug, the suffix to try next: 10,000 headings with one title take linear time.
    let mut next: HashMap<String, usize> = HashMap::new();
    // Explicit ids win: reserve them first so a slug never takes one.
    for (event, _) in events.iter() {
        if let Event::Start(Tag::Heading { id: Some(id), .. }) = event {
            used.insert(id.to_string());
        }
    }
    let mut headings = Vec::new();
    let mut anchors = Vec::new();
    let mut at = 0;
    while at < events.len() {
        let Event::Start(Tag::Heading { level, id, .. }) = &events[at].0 else {
            at += 1;
            continue;
        };
        let (level, written) = (*level, id.as_ref().map(|id| id.to_string()));
        let end = events[at + 1..]
            .iter()
            .position(|(event, _)| matches!(event, Event::End(TagEnd::Heading(_))))
            .map_or(events.len(), |offset| at + 1 + offset);
        let text = plain_text(&events[at + 1..end]);
        let id = match written {
            Some(id) => id,
            None => {
                let id = unique(slug(&text), &mut used, &mut next);
                if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[at].0 {
                    *slot = Some(CowStr::from(id.clone()));
                }
                id
            }
        };
        let number = level_number(level);
        if number > 1 {
            let anchor = format!(
                "<a class=\"anchor\" href=\"#{}\" aria-hidden=\"true\" tabindex=\"-1\">#</a>",
                super::escape::html_escape(&id)
            );
            anchors.push((end, anchor));
        }
        headings.push(RenderedHeading {
            level: number,
            id,
            text,
        });
        at = end;
    }
    (headings, anchors)
}

/// The events of a page with the `anchors` of [`assign_ids`] put in before the events at their
/// indexes (in order). A plain iterator: the HTML writer asks it for every event, and a
/// `flat_map` there cost more than the copy it replaced.
pub fn with_anchors<'a>(
    events: Vec<Spanned<'a>>,
    anchors: Vec<(usize, String)>,
) -> WithAnchors<'a> {
    let mut anchors = anchors.into_iter();
    let next = anchors.next();
    WithAnchors {
        events: events.into_iter(),
        at: 0,
        anchors,
        next,
        held: None,
    }
}

/// See [`with_anchors`].
#[derive(Debug)]
pub struct WithAnchors<'a> {
    events: std::vec::IntoIter<Spanned<'a>>,
    /// The index of the next event of `events`.
    at: usize,
    anchors: std::vec::IntoIter<(usize, String)>,
    next: Option<(usize, String)>,
    /// An event that waits for the anchor put in before it.
    held: Option<Event<'a>>,
}

impl<'a> Iterator for WithAnchors<'a> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        if let Some(event) = self.held.take() {
            return Some(event);
        }
        let (event, _) = self.events.next()?;
        let at = self.at;
        self.at += 1;
        match self.next.take_if(|(before, _)| *before == at) {
            Some((_, html)) => {
                self.next = self.anchors.next();
                self.held = Some(event);
                Some(Event::InlineHtml(CowStr::from(html)))
            }
            None => Some(event),
        }
    }
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

/// The id Experience League gives a heading without `{#id}`, which is what authors link to:
/// lowercase, each space a `-`, punctuation dropped without a trace (`the record's page` ->
/// `the-records-page`, `Create / edit` -> `create--edit`, `A – B` -> `a--b`), `-` and `_`
/// kept. Accented letters are folded (`Dépannage` -> `depannage`) so the id is plain ASCII.
pub fn slug(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
            slug.push(c.to_ascii_lowercase());
        } else if c.is_whitespace() {
            slug.push('-');
        } else if c.is_alphanumeric() {
            let mut buf = [0u8; 4];
            let folded = deunicode::deunicode(c.encode_utf8(&mut buf));
            slug.extend(
                folded
                    .chars()
                    .filter(char::is_ascii_alphanumeric)
                    .map(|c| c.to_ascii_lowercase()),
            );
        }
    }
    // Trimmed in place: one string a heading.
    let end = slug.trim_end_matches('-').len();
    slug.truncate(end);
    let start = slug.len() - slug.trim_start_matches('-').len();
    slug.drain(..start);
    if slug.is_empty() {
        "section".to_owned()
    } else {
        slug
    }
}

/// `base`, or `base-1`, `base-2`... the first that `used` does not have yet (then added to it).
/// `next` remembers the suffix to try next for each base, so many equal headings take linear
/// time.
pub fn unique(
    base: String,
    used: &mut HashSet<String>,
    next: &mut HashMap<String, usize>,
) -> String {
    // Most slugs are new on their page: taken as they are, without a suffix to remember.
    if !used.contains(&base) {
        used.insert(base.clone());
        return base;
    }
    let n = next.entry(base.clone()).or_insert(1);
    let candidate = loop {
        let candidate = format!("{base}-{n}");
        *n += 1;
        if !used.contains(&candidate) {
            break candidate;
        }
    };
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
        for (text, id) in [
            (
                "Dépannage : erreur outlookIdentityToken",
                "depannage--erreur-outlookidentitytoken",
            ),
            ("  Perché?  ", "perche"),
            ("***", "section"),
            (
                "Edit a record from the record's page",
                "edit-a-record-from-the-records-page",
            ),
            (
                "Edit a record from the record’s page",
                "edit-a-record-from-the-records-page",
            ),
            ("Create / edit a project", "create--edit-a-project"),
            ("Plan – Execute", "plan--execute"),
            ("Workfront + Jira", "workfront--jira"),
            ("Step 1. Set up (optional)", "step-1-set-up-optional"),
            ("snake_case and kebab-case", "snake_case-and-kebab-case"),
            ("Ärger mit Größen", "arger-mit-grossen"),
        ] {
            assert_eq!(slug(text), id, "{text}");
        }
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
