//! Navigation: the tree of a locale's articles, from its `TOC.md` files when it has them
//! (nested lists of `[Title](path.md)` links and section lines `* Section {#id}`), otherwise by
//! `navigation-topic`. The home page, the sidebar, breadcrumbs and previous/next all read it.

use std::collections::BTreeMap;

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::urls;
use crate::markdown::inline;

/// One entry of the tree: a section, an article, or an article with children.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NavNode {
    pub title_html: String,
    /// The article it links to, as a path under the content folder (`a/b.md`).
    pub article: Option<String>,
    /// The `{#id}` of a section.
    pub id: Option<String>,
    /// `{hide-from-toc}` entries: on the home page, not in the sidebar.
    pub hidden: bool,
    pub children: Vec<NavNode>,
}

/// What the tree needs to know about each article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleInfo {
    pub rel: String,
    pub title_html: String,
    pub sort_key: String,
    pub topic: Option<String>,
    pub hide: bool,
}

/// The navigation of one locale.
#[derive(Debug, Clone, Default)]
pub struct Nav {
    pub roots: Vec<NavNode>,
    /// Every article in reading order, for previous/next.
    pub order: Vec<String>,
    /// Where each article is in `order`.
    position: HashMap<String, usize>,
    /// The sections leading to each article (its first place in the tree).
    trails: HashMap<String, Vec<(String, Option<String>)>>,
}

impl Nav {
    /// Builds the tree from the locale's TOC files (`(path, text)`, e.g. `known-issues/TOC.md`)
    /// and puts the articles no TOC lists under `other_title`.
    pub fn build(tocs: &[(String, String)], articles: &[ArticleInfo], other_title: &str) -> Nav {
        let known: HashSet<&str> = articles.iter().map(|a| a.rel.as_str()).collect();
        let mut roots: Vec<NavNode> = tocs
            .iter()
            .map(|(path, text)| parse_toc(path, text))
            .collect();
        for root in &mut roots {
            prune_missing(&mut root.children, &known);
        }
        let mut listed = HashSet::new();
        let mut order = Vec::new();
        for root in &roots {
            collect_order(root, &mut listed, &mut order);
        }
        let mut rest: Vec<&ArticleInfo> = articles
            .iter()
            .filter(|a| !listed.contains(&a.rel) && !a.hide)
            .collect();
        rest.sort_by(|a, b| a.sort_key.cmp(&b.sort_key).then_with(|| a.rel.cmp(&b.rel)));
        let leaf = |a: &ArticleInfo| NavNode {
            title_html: a.title_html.clone(),
            article: Some(a.rel.clone()),
            ..NavNode::default()
        };
        if roots.is_empty() {
            // No TOC: group by navigation topic, the rest flat.
            let mut topics: BTreeMap<String, Vec<NavNode>> = BTreeMap::new();
            let mut flat = Vec::new();
            for article in &rest {
                match &article.topic {
                    Some(topic) => topics.entry(topic.clone()).or_default().push(leaf(article)),
                    None => flat.push(leaf(article)),
                }
            }
            for (topic, children) in topics {
                roots.push(NavNode {
                    title_html: inline::escape(&humanize(&topic)),
                    id: Some(super::super::markdown::headings::slug(&topic)),
                    children,
                    ..NavNode::default()
                });
            }
            roots.extend(flat);
        } else if !rest.is_empty() {
            roots.push(NavNode {
                title_html: inline::escape(other_title),
                id: Some("other-articles".to_owned()),
                children: rest.iter().map(|a| leaf(a)).collect(),
                ..NavNode::default()
            });
        }
        for root in &roots {
            collect_order(root, &mut listed, &mut order);
        }
        let position = order
            .iter()
            .enumerate()
            .map(|(i, rel)| (rel.clone(), i))
            .collect();
        let mut trails = HashMap::new();
        collect_trails(&roots, &mut Vec::new(), &mut trails);
        Nav {
            roots,
            order,
            position,
            trails,
        }
    }

    /// The titles of the sections that lead to `rel`, outermost first, with their ids.
    pub fn trail(&self, rel: &str) -> &[(String, Option<String>)] {
        self.trails.get(rel).map_or(&[], Vec::as_slice)
    }

    /// The articles before and after `rel` in reading order.
    pub fn neighbours(&self, rel: &str) -> (Option<&str>, Option<&str>) {
        let Some(&i) = self.position.get(rel) else {
            return (None, None);
        };
        let prev = i
            .checked_sub(1)
            .and_then(|p| self.order.get(p))
            .map(String::as_str);
        (prev, self.order.get(i + 1).map(String::as_str))
    }
}

/// Records, for every article in the tree, the sections above its first appearance.
fn collect_trails(
    nodes: &[NavNode],
    path: &mut Vec<(String, Option<String>)>,
    trails: &mut HashMap<String, Vec<(String, Option<String>)>>,
) {
    for node in nodes {
        if let Some(rel) = &node.article {
            trails.entry(rel.clone()).or_insert_with(|| path.clone());
        }
        if !node.children.is_empty() {
            path.push((node.title_html.clone(), node.id.clone()));
            collect_trails(&node.children, path, trails);
            path.pop();
        }
    }
}

/// `workfront-for-outlook` -> `Workfront for outlook`.
fn humanize(topic: &str) -> String {
    let spaced = topic.replace(['-', '_'], " ");
    let mut chars = spaced.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

fn collect_order(node: &NavNode, listed: &mut HashSet<String>, order: &mut Vec<String>) {
    if let Some(rel) = &node.article {
        if listed.insert(rel.clone()) {
            order.push(rel.clone());
        }
    }
    for child in &node.children {
        collect_order(child, listed, order);
    }
}

/// Drops links to articles that do not exist (they would be dead links); keeps their children.
fn prune_missing(nodes: &mut Vec<NavNode>, known: &HashSet<&str>) {
    let mut kept = Vec::with_capacity(nodes.len());
    for mut node in std::mem::take(nodes) {
        prune_missing(&mut node.children, known);
        match &node.article {
            Some(rel) if !known.contains(rel.as_str()) => {
                if node.children.is_empty() {
                    continue;
                }
                node.article = None;
            }
            _ => {}
        }
        kept.push(node);
    }
    *nodes = kept;
}

/// Parses one TOC file: its `# Title {#id}` becomes the root, its lists the children.
pub fn parse_toc(path: &str, text: &str) -> NavNode {
    let body = match crate::model::front_matter::split(path, text) {
        Ok(split) => split.body,
        Err(_) => text,
    };
    let events: Vec<(Event<'_>, std::ops::Range<usize>)> =
        Parser::new_ext(body, crate::markdown::options())
            .into_offset_iter()
            .collect();
    let mut root = NavNode::default();
    let mut i = 0;
    while i < events.len() {
        match &events[i].0 {
            Event::Start(Tag::Heading { id, .. }) if root.title_html.is_empty() => {
                let end = find_end(&events, i);
                let source = inner_source(body, &events[i + 1..end]);
                root.title_html = inline::render_line(strip_id(&source).0);
                root.id = id.as_ref().map(|s| s.to_string());
                i = end;
            }
            Event::Start(Tag::List(_)) => {
                let end = find_end(&events, i);
                root.children
                    .extend(parse_list(path, body, &events[i + 1..end]));
                i = end;
            }
            _ => {}
        }
        i += 1;
    }
    if root.title_html.is_empty() {
        root.title_html = inline::escape(path.trim_end_matches("/TOC.md"));
    }
    root
}

/// The index of the event that closes the tag opened at `start`.
fn find_end(events: &[(Event<'_>, std::ops::Range<usize>)], start: usize) -> usize {
    let mut depth = 0;
    for (j, (event, _)) in events.iter().enumerate().skip(start) {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return j;
                }
            }
            _ => {}
        }
    }
    events.len().saturating_sub(1)
}

/// Items of a list (the events between its start and end).
fn parse_list(
    path: &str,
    body: &str,
    events: &[(Event<'_>, std::ops::Range<usize>)],
) -> Vec<NavNode> {
    let mut nodes = Vec::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Item) = events[i].0 {
            let end = find_end(events, i);
            nodes.push(parse_item(path, body, &events[i + 1..end]));
            i = end;
        }
        i += 1;
    }
    nodes
}

fn parse_item(path: &str, body: &str, events: &[(Event<'_>, std::ops::Range<usize>)]) -> NavNode {
    let mut node = NavNode::default();
    let mut label_events = Vec::new();
    let mut i = 0;
    while i < events.len() {
        match &events[i].0 {
            Event::Start(Tag::List(_)) => {
                let end = find_end(events, i);
                node.children
                    .extend(parse_list(path, body, &events[i + 1..end]));
                i = end;
            }
            Event::Start(Tag::Link { dest_url, .. }) if node.article.is_none() => {
                let end = find_end(events, i);
                let dest = dest_url.split(['#', '?']).next().unwrap_or_default();
                node.article = urls::target_path(path, dest).filter(|t| t.ends_with(".md"));
                let source = inner_source(body, &events[i + 1..end]);
                node.title_html = inline::render_line(source.trim());
                i = end;
            }
            Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => {}
            _ => label_events.push(events[i].clone()),
        }
        i += 1;
    }
    let label = inner_source(body, &label_events);
    if label.contains("{hide-from-toc}") {
        node.hidden = true;
    }
    if node.article.is_none() {
        let label = label.replace("{hide-from-toc}", "");
        let (title, id) = strip_id(label.trim());
        node.title_html = inline::render_line(title.trim());
        node.id = id;
    }
    node
}

/// The source text the events were parsed from, from the first to the last.
fn inner_source(body: &str, events: &[(Event<'_>, std::ops::Range<usize>)]) -> String {
    let start = events.iter().map(|(_, r)| r.start).min();
    let end = events.iter().map(|(_, r)| r.end).max();
    match (start, end) {
        (Some(s), Some(e)) => body.get(s..e).unwrap_or_default().to_owned(),
        _ => String::new(),
    }
}

/// Splits a trailing `{#id}` off a line.
fn strip_id(text: &str) -> (&str, Option<String>) {
    let trimmed = text.trim_end();
    if let Some(open) = trimmed.rfind("{#") {
        if let Some(id) = trimmed[open + 2..].strip_suffix('}') {
            return (trimmed[..open].trim_end(), Some(id.trim().to_owned()));
        }
    }
    (trimmed, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOC: &str = "---\nuser-guide-title: Bekende problemen\n---\n\n# Bekende problemen {#issues}\n\n+ [Overzicht](overview.md)\n\n+ [!DNL Adobe Workfront] {#new-workfront-experience}\n   + [Bekende problemen in  [!DNL Adobe Workfront]](newworkfrontexperience.md)\n   + Huidige problemen {#wf-current}\n      + {hide-from-toc}[Gebruikers: actief](known-issues-workfront/a.md)\n      + [Planning](/help/known-issues/known-issues-workfront/b.md)\n      + [Weg](known-issues-workfront/missing.md)\n";

    fn info(rel: &str, title: &str) -> ArticleInfo {
        ArticleInfo {
            rel: rel.into(),
            title_html: title.into(),
            sort_key: title.to_lowercase(),
            topic: None,
            hide: false,
        }
    }

    #[test]
    fn parses_sections_links_and_hidden_entries() {
        let root = parse_toc("known-issues/TOC.md", TOC);
        assert_eq!(root.title_html, "Bekende problemen");
        assert_eq!(root.id.as_deref(), Some("issues"));
        assert_eq!(root.children.len(), 2);
        assert_eq!(
            root.children[0].article.as_deref(),
            Some("known-issues/overview.md")
        );
        let section = &root.children[1];
        assert_eq!(
            section.title_html,
            "<span translate=\"no\">Adobe Workfront</span>"
        );
        assert_eq!(section.id.as_deref(), Some("new-workfront-experience"));
        assert_eq!(
            section.children[0].title_html,
            "Bekende problemen in  <span translate=\"no\">Adobe Workfront</span>"
        );
        let current = &section.children[1];
        assert_eq!(current.id.as_deref(), Some("wf-current"));
        assert!(current.children[0].hidden);
        assert_eq!(
            current.children[0].article.as_deref(),
            Some("known-issues/known-issues-workfront/a.md")
        );
        assert_eq!(
            current.children[1].article.as_deref(),
            Some("known-issues/known-issues-workfront/b.md")
        );
    }

    #[test]
    fn tree_order_trail_and_the_rest() {
        let articles = [
            info("known-issues/overview.md", "Overzicht"),
            info("known-issues/newworkfrontexperience.md", "Nieuw"),
            info("known-issues/known-issues-workfront/a.md", "A"),
            info("known-issues/known-issues-workfront/b.md", "B"),
            info("loose.md", "Los"),
        ];
        let nav = Nav::build(
            &[("known-issues/TOC.md".into(), TOC.into())],
            &articles,
            "Overige artikelen",
        );
        assert_eq!(
            nav.order,
            [
                "known-issues/overview.md",
                "known-issues/newworkfrontexperience.md",
                "known-issues/known-issues-workfront/a.md",
                "known-issues/known-issues-workfront/b.md",
                "loose.md"
            ]
        );
        let trail: Vec<&str> = nav
            .trail("known-issues/known-issues-workfront/b.md")
            .iter()
            .map(|(t, _)| t.as_str())
            .collect();
        assert_eq!(
            trail,
            [
                "Bekende problemen",
                "<span translate=\"no\">Adobe Workfront</span>",
                "Huidige problemen"
            ]
        );
        assert_eq!(
            nav.neighbours("known-issues/known-issues-workfront/a.md"),
            (
                Some("known-issues/newworkfrontexperience.md"),
                Some("known-issues/known-issues-workfront/b.md")
            )
        );
        assert_eq!(
            nav.roots.last().map(|r| r.title_html.as_str()),
            Some("Overige artikelen")
        );
        let missing = format!("{:?}", nav.roots);
        assert!(
            !missing.contains("missing.md"),
            "dead TOC links are dropped"
        );
    }

    #[test]
    fn without_toc_groups_by_topic() {
        let mut a = info("a.md", "A");
        a.topic = Some("workfront-for-outlook".into());
        let nav = Nav::build(&[], &[a, info("b.md", "B")], "Other");
        assert_eq!(nav.roots[0].title_html, "Workfront for outlook");
        assert_eq!(nav.roots[0].children[0].article.as_deref(), Some("a.md"));
        assert_eq!(nav.roots[1].article.as_deref(), Some("b.md"));
    }
}
