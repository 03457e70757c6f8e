//! What a build renders: every page of the site, or the pages a change of the model touches.
//!
//! A whole build plans everything ([`Plan::whole`]). After a save, [`for_delta`] turns the
//! model's [`Delta`] into the pages it affects, the same way for every setting of
//! `missing-translations`: the saved articles and their translations (before and after) in every
//! locale that shows them, borrowed copies included; the pages that are gone; and, where a title
//! or the set of a locale's pages changed, its navigation again with the pages whose
//! previous/next links or breadcrumbs moved, its home page and sidebar. The same renderer then
//! renders the plan ([`super::render::Publisher::render`]).

use std::collections::BTreeSet;

use super::pages::{self, Frame, Renderer};
use crate::model::Delta;

/// The pages and files a build renders.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// Every page and file of the site; the sets below are then empty.
    pub whole: bool,
    /// Article pages, by locale index and path (a borrowed copy is at its lender's path).
    pub pages: BTreeSet<(usize, String)>,
    /// Articles whose out-of-date notices are checked again before rendering (the saved ones'
    /// translation groups, before and after), by locale index and path.
    pub recheck: BTreeSet<(usize, String)>,
    /// Locales whose home page, sidebar and 404 page are rendered.
    pub indexes: BTreeSet<usize>,
    /// The sitemap and the root pages: articles came, went or changed groups.
    pub sitemap: bool,
    /// Article pages that no longer exist, by locale index and path.
    pub removed: BTreeSet<(usize, String)>,
    /// Copied files (images) saved, created or deleted, by locale index and path.
    pub assets: BTreeSet<(usize, String)>,
    /// What depends on every page at once: the search indexes' files and the status pages.
    pub site_wide: bool,
    /// A whole plan whose status side-by-side pages were made before it
    /// ([`super::render::Publisher::side_by_side`]).
    pub side_by_side_made: bool,
}

impl Plan {
    /// Every page and file of the site.
    pub fn whole() -> Plan {
        Plan {
            whole: true,
            ..Plan::default()
        }
    }

    /// Whether there is nothing to render.
    pub fn is_empty(&self) -> bool {
        *self == Plan::default()
    }

    /// Adds what `other` renders (a plan that failed, rendered with the next one).
    pub fn merge(&mut self, other: Plan) {
        self.whole |= other.whole;
        self.pages.extend(other.pages);
        self.recheck.extend(other.recheck);
        self.indexes.extend(other.indexes);
        self.sitemap |= other.sitemap;
        self.removed.extend(other.removed);
        self.assets.extend(other.assets);
        self.site_wide |= other.site_wide;
    }
}

/// The range of a plan's `(locale index, path)` sets that is in the locale at `li`.
pub fn in_locale(li: usize) -> std::ops::Range<(usize, String)> {
    (li, String::new())..(li + 1, String::new())
}

/// Plans the pages `delta` affects, and brings each locale's navigation (`frames`, in the order
/// of the renderer's contents, already showing the model after the delta) up to date with it.
pub fn for_delta(delta: &Delta, renderer: &Renderer<'_>, frames: &mut [Frame]) -> Plan {
    let mut plan = Plan::default();
    // The paths whose page may differ in any locale: the saved articles and their translations.
    let mut touched: BTreeSet<&str> = BTreeSet::new();
    for change in &delta.changes {
        plan.sitemap |= change.moves();
        for group in [&change.before, &change.after].into_iter().flatten() {
            plan.recheck.extend(group.members.iter().cloned());
            touched.extend(group.members.iter().map(|(_, rel)| rel.as_str()));
        }
        touched.insert(&change.rel);
        if change.rel == "index.md" {
            plan.indexes.insert(change.locale);
        }
    }
    // The introduction of a locale's home page is not an article page.
    touched.remove("index.md");
    for ((li, content), frame) in renderer.contents.iter().enumerate().zip(frames) {
        let mut retitled = Vec::new();
        for &rel in &touched {
            let entry = renderer.entry(content, rel);
            match entry {
                Some(_) => plan.pages.insert((li, rel.to_owned())),
                None if frame.infos.contains_key(rel) => plan.removed.insert((li, rel.to_owned())),
                None => false,
            };
            let old = match entry.map(|e| pages::article_info(e.article)) {
                Some(info) => frame.infos.insert(rel.to_owned(), info),
                None => frame.infos.remove(rel),
            };
            if old.as_ref() != frame.infos.get(rel) {
                retitled.push(rel);
            }
        }
        if !retitled.is_empty() {
            renavigate(li, frame, &retitled, &mut plan);
        }
    }
    plan
}

/// Builds the navigation of a locale whose `retitled` articles changed title or came or went,
/// and plans its home page and the pages whose previous/next links or breadcrumbs changed.
fn renavigate(li: usize, frame: &mut Frame, retitled: &[&str], plan: &mut Plan) {
    plan.indexes.insert(li);
    let old = std::mem::take(&mut frame.nav);
    frame.renavigate();
    let new = &frame.nav;
    for rel in old.order.iter().chain(&new.order) {
        if old.neighbours(rel) != new.neighbours(rel) || old.trail(rel) != new.trail(rel) {
            plan.pages.insert((li, rel.clone()));
        }
    }
    // Their neighbours name them in their previous/next links.
    for rel in retitled {
        let (prev, next) = new.neighbours(rel);
        for neighbour in [prev, next].into_iter().flatten() {
            plan.pages.insert((li, neighbour.to_owned()));
        }
    }
}
