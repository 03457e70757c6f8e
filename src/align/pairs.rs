//! Pairs a translation's segments with the pivot's. Where the kinds follow each other the same
//! way, segments pair one to one. Where they do not, a weighted longest common subsequence
//! pairs segments of the same kind, preferring those that share anchors (heading ids, numbers,
//! code, link targets, `[!DNL]` texts) and have a similar length; what stays unpaired is a gap.

use super::{Segment, SegmentKind};

/// One row of an alignment: a pivot segment and its counterpart, or a gap on one side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SegmentLink {
    pub pivot: Option<usize>,
    pub other: Option<usize>,
}

/// Above this many cells the alignment pairs by kind in order instead (a page of thousands of
/// table cells).
const MAX_CELLS: usize = 4_000_000;

/// Aligns `other` (a translation's segments, in `other_text`) with `pivot` (in `pivot_text`).
/// The rows come in the order of both files.
pub fn align(
    pivot: &[Segment],
    pivot_text: &str,
    other: &[Segment],
    other_text: &str,
) -> Vec<SegmentLink> {
    // Whether two segments may pair at all (`None`: never), and what their heading ids give.
    let pairable = |i: usize, j: usize| -> Option<f32> {
        let (a, b) = (&pivot[i], &other[j]);
        if a.kind != b.kind {
            return None;
        }
        let mut score = 1.0;
        if let SegmentKind::Heading(_) = a.kind {
            let ids = (
                a.heading_id
                    .as_ref()
                    .and_then(|r| pivot_text.get(r.clone())),
                b.heading_id
                    .as_ref()
                    .and_then(|r| other_text.get(r.clone())),
            );
            match ids {
                (Some(x), Some(y)) if x == y => score += 5.0,
                (Some(_), Some(_)) => return None,
                _ => {}
            }
        }
        Some(score)
    };
    // The same kinds in the same order: one to one.
    if pivot.len() == other.len() && (0..pivot.len()).all(|i| pairable(i, i).is_some()) {
        return (0..pivot.len())
            .map(|i| SegmentLink {
                pivot: Some(i),
                other: Some(i),
            })
            .collect();
    }
    let (n, m) = (pivot.len(), other.len());
    if n.saturating_mul(m) > MAX_CELLS {
        return by_kind(pivot, other);
    }
    // Each segment's letters read once, not once for every cell of its row or column.
    let letters = |segments: &[Segment], text: &str| -> Vec<u32> {
        segments.iter().map(|s| s.letters(text).max(1)).collect()
    };
    let (pivot_letters, other_letters) = (letters(pivot, pivot_text), letters(other, other_text));
    let score = |i: usize, j: usize| -> Option<f32> {
        let mut score = pairable(i, j)?;
        let (ka, kb) = (&pivot[i].anchors.keys, &other[j].anchors.keys);
        if !ka.is_empty() || !kb.is_empty() {
            let shared = shared(ka, kb);
            let jaccard = shared as f32 / (ka.len() + kb.len() - shared) as f32;
            score += 2.0 * jaccard;
            if shared == 0 && !ka.is_empty() && !kb.is_empty() {
                score -= 0.7;
            }
        }
        let (la, lb) = (pivot_letters[i], other_letters[j]);
        score += 0.5 * la.min(lb) as f32 / la.max(lb) as f32;
        Some(score)
    };
    best_path(n, m, &score)
}

/// The weighted longest common subsequence of `n` pivot and `m` other segments, `score(i, j)`
/// the worth of pairing two (`None`: never).
fn best_path(n: usize, m: usize, score: &dyn Fn(usize, usize) -> Option<f32>) -> Vec<SegmentLink> {
    // best[i][j]: the best score of aligning pivot[i..] with other[j..].
    let width = m + 1;
    let mut best = vec![0f32; (n + 1) * width];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            let skip = best[(i + 1) * width + j].max(best[i * width + j + 1]);
            let pair = score(i, j)
                .filter(|s| *s > 0.0)
                .map_or(f32::MIN, |s| s + best[(i + 1) * width + j + 1]);
            best[i * width + j] = skip.max(pair);
        }
    }
    let mut links = Vec::with_capacity(n.max(m));
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        let here = best[i * width + j];
        let paired = score(i, j)
            .filter(|s| *s > 0.0)
            .is_some_and(|s| (s + best[(i + 1) * width + j + 1] - here).abs() < 1e-4);
        if paired {
            links.push(SegmentLink {
                pivot: Some(i),
                other: Some(j),
            });
            i += 1;
            j += 1;
        } else if best[(i + 1) * width + j] >= best[i * width + j + 1] {
            links.push(SegmentLink {
                pivot: Some(i),
                other: None,
            });
            i += 1;
        } else {
            links.push(SegmentLink {
                pivot: None,
                other: Some(j),
            });
            j += 1;
        }
    }
    links.extend((i..n).map(|i| SegmentLink {
        pivot: Some(i),
        other: None,
    }));
    links.extend((j..m).map(|j| SegmentLink {
        pivot: None,
        other: Some(j),
    }));
    links
}

/// How many keys two sorted lists share (counted with repeats).
fn shared(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// The fallback for huge pages: the next segment of the same kind, in order.
fn by_kind(pivot: &[Segment], other: &[Segment]) -> Vec<SegmentLink> {
    let mut links = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < pivot.len() && j < other.len() {
        if pivot[i].kind == other[j].kind {
            links.push(SegmentLink {
                pivot: Some(i),
                other: Some(j),
            });
            i += 1;
            j += 1;
        } else if other[j..].iter().any(|s| s.kind == pivot[i].kind) {
            links.push(SegmentLink {
                pivot: None,
                other: Some(j),
            });
            j += 1;
        } else {
            links.push(SegmentLink {
                pivot: Some(i),
                other: None,
            });
            i += 1;
        }
    }
    links.extend((i..pivot.len()).map(|i| SegmentLink {
        pivot: Some(i),
        other: None,
    }));
    links.extend((j..other.len()).map(|j| SegmentLink {
        pivot: None,
        other: Some(j),
    }));
    links
}

#[cfg(test)]
mod tests {
    use super::super::segment::segments;
    use super::*;

    /// Aligns two bodies and shows each row as (pivot text, other text), trimmed.
    fn rows<'a>(a: &'a str, b: &'a str) -> Vec<(Option<&'a str>, Option<&'a str>)> {
        let (sa, sb) = (segments(a, 0), segments(b, 0));
        align(&sa, a, &sb, b)
            .into_iter()
            .map(|l| {
                (
                    l.pivot.map(|i| a[sa[i].range.clone()].trim()),
                    l.other.map(|j| b[sb[j].range.clone()].trim()),
                )
            })
            .collect()
    }

    #[test]
    fn same_structure_pairs_one_to_one() {
        let got = rows("# A\n\nOne 1.\n\n* x\n", "# B\n\nEen 1.\n\n* y\n");
        assert_eq!(
            got,
            [
                (Some("# A"), Some("# B")),
                (Some("One 1."), Some("Een 1.")),
                (Some("x"), Some("y"))
            ]
        );
    }

    #[test]
    fn a_missing_paragraph_is_a_gap_found_by_its_anchors() {
        let pivot = "## Steps {#steps}\n\nFirst with 10 items.\n\nSecond with `code`.\n\nThird with 30 items.\n";
        let other = "## Stappen {#steps}\n\nEerste met 10 dingen.\n\nDerde met 30 dingen.\n";
        assert_eq!(
            rows(pivot, other),
            [
                (Some("## Steps {#steps}"), Some("## Stappen {#steps}")),
                (Some("First with 10 items."), Some("Eerste met 10 dingen.")),
                (Some("Second with `code`."), None),
                (Some("Third with 30 items."), Some("Derde met 30 dingen.")),
            ]
        );
        let extra =
            "## Stappen {#steps}\n\nEerste 10.\n\nExtra 99.\n\nTweede `code`.\n\nDerde 30.\n";
        let got = rows(pivot, extra);
        assert_eq!(got[2], (None, Some("Extra 99.")));
        assert_eq!(got.len(), 5);
    }

    #[test]
    fn different_heading_ids_never_pair() {
        let got = rows("## A {#a}\n", "## B {#b}\n");
        assert_eq!(got, [(Some("## A {#a}"), None), (None, Some("## B {#b}"))]);
    }
}
