//! The history of a folder as plain data ([`Log`]), and the one question `stale-translation`
//! asks of it: which changes to a file a commit does not have ([`Log::lags`]).
//!
//! No git here: [`super::log`] fills a [`Log`] from a repository, tests build one by hand.

use std::collections::{BTreeMap, HashMap, HashSet};

/// One commit reachable from HEAD.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    /// The full id, lowercase hexadecimal.
    pub id: String,
    /// Committer time, seconds since 1970.
    pub seconds: i64,
    /// Committer date in the committer's time zone: `2024-03-01`.
    pub date: String,
    /// Indices of the parents in [`Log::commits`] (none for a root or a shallow boundary).
    pub parents: Vec<usize>,
}

/// The commits reachable from HEAD and, for every file of one folder, the commits that changed
/// it (a merge changes a file only where it differs from every parent).
#[derive(Debug, Clone, Default)]
pub struct Log {
    commits: Vec<Commit>,
    by_id: HashMap<String, usize>,
    /// Path relative to the folder (`/`-separated) -> indices of the commits that changed it.
    changes: HashMap<String, Vec<usize>>,
    /// 1 for a commit without parents, else one more than its highest parent.
    generation: Vec<u32>,
    /// The repository is a shallow clone: commits before its boundary are not known.
    pub shallow: bool,
}

/// What a translation lacks of its source: the commits that changed the source file and are not
/// in the history of the commit the translation was made from, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lag {
    pub behind: Vec<usize>,
}

impl Lag {
    /// The oldest change the translation lacks.
    pub fn first(&self) -> Option<usize> {
        self.behind.first().copied()
    }

    /// The newest change the translation lacks.
    pub fn last(&self) -> Option<usize> {
        self.behind.last().copied()
    }
}

impl Log {
    /// A log of `commits`, whose `parents` index into the same list, and of which of them
    /// changed each file.
    pub fn new(commits: Vec<Commit>, changes: HashMap<String, Vec<usize>>, shallow: bool) -> Log {
        let by_id = commits
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.clone(), i))
            .collect();
        let generation = generations(&commits);
        Log {
            commits,
            by_id,
            changes,
            generation,
            shallow,
        }
    }

    pub fn len(&self) -> usize {
        self.commits.len()
    }

    pub fn is_empty(&self) -> bool {
        self.commits.is_empty()
    }

    /// The commit with the full id `id` (lowercase hexadecimal), if HEAD's history has it.
    pub fn find(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    pub fn commit(&self, index: usize) -> &Commit {
        &self.commits[index]
    }

    /// The commits that changed `path`, in no particular order.
    pub fn changes_of(&self, path: &str) -> &[usize] {
        self.changes.get(path).map_or(&[], Vec::as_slice)
    }

    /// For each `(commit, path)`: the changes of `path` that `commit`'s history lacks.
    ///
    /// One search of the (in-memory) commit graph per distinct commit, however many files ask
    /// about it: from the commit down through its parents, never below the oldest generation
    /// that could still hold a change, and stopping as soon as every change is found.
    pub fn lags(&self, queries: &[(usize, &str)]) -> Vec<Lag> {
        let mut by_commit: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (q, (commit, _)) in queries.iter().enumerate() {
            by_commit.entry(*commit).or_default().push(q);
        }
        let mut lags = vec![Lag::default(); queries.len()];
        let mut seen = vec![0u32; self.commits.len()];
        for (stamp, (commit, asking)) in by_commit.into_iter().enumerate() {
            let mut candidates: HashSet<usize> = HashSet::new();
            for &q in &asking {
                for &change in self.changes_of(queries[q].1) {
                    // A change of a later generation cannot be an ancestor.
                    if change != commit && self.generation[change] <= self.generation[commit] {
                        candidates.insert(change);
                    }
                }
            }
            let had = self.ancestors_among(commit, &candidates, &mut seen, stamp as u32 + 1);
            for q in asking {
                let mut behind: Vec<usize> = self
                    .changes_of(queries[q].1)
                    .iter()
                    .copied()
                    .filter(|&c| c != commit && !had.contains(&c))
                    .collect();
                behind.sort_by_key(|&c| (self.commits[c].seconds, self.generation[c], c));
                behind.dedup();
                lags[q] = Lag { behind };
            }
        }
        lags
    }

    /// Which of `candidates` are ancestors of `start`.
    fn ancestors_among(
        &self,
        start: usize,
        candidates: &HashSet<usize>,
        seen: &mut [u32],
        stamp: u32,
    ) -> HashSet<usize> {
        let mut found = HashSet::new();
        let Some(floor) = candidates.iter().map(|&c| self.generation[c]).min() else {
            return found;
        };
        let mut stack = vec![start];
        seen[start] = stamp;
        while let Some(commit) = stack.pop() {
            if candidates.contains(&commit) {
                found.insert(commit);
                if found.len() == candidates.len() {
                    break;
                }
            }
            for &parent in &self.commits[commit].parents {
                if seen[parent] != stamp && self.generation[parent] >= floor {
                    seen[parent] = stamp;
                    stack.push(parent);
                }
            }
        }
        found
    }
}

/// Generation numbers, computed without recursion (histories are deep).
fn generations(commits: &[Commit]) -> Vec<u32> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        Open,
        Done,
    }
    let mut state = vec![State::New; commits.len()];
    let mut generation = vec![0u32; commits.len()];
    for start in 0..commits.len() {
        if state[start] != State::New {
            continue;
        }
        state[start] = State::Open;
        let mut stack = vec![start];
        while let Some(&commit) = stack.last() {
            let parents = &commits[commit].parents;
            match parents.iter().copied().find(|&p| state[p] == State::New) {
                Some(parent) => {
                    state[parent] = State::Open;
                    stack.push(parent);
                }
                None => {
                    stack.pop();
                    // An open parent would be a cycle, which git cannot make: it is ignored.
                    let highest = parents
                        .iter()
                        .filter(|&&p| state[p] == State::Done)
                        .map(|&p| generation[p])
                        .max()
                        .unwrap_or(0);
                    generation[commit] = highest + 1;
                    state[commit] = State::Done;
                }
            }
        }
    }
    generation
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A log from `(id, seconds, parents)` and `(path, ids that changed it)`.
    fn log(commits: &[(&str, i64, &[&str])], changes: &[(&str, &[&str])]) -> Log {
        let index = |id: &str| commits.iter().position(|c| c.0 == id).unwrap_or(usize::MAX);
        let list = commits
            .iter()
            .map(|(id, seconds, parents)| Commit {
                id: (*id).to_owned(),
                seconds: *seconds,
                date: format!("day {seconds}"),
                parents: parents.iter().map(|p| index(p)).collect(),
            })
            .collect();
        let changes = changes
            .iter()
            .map(|(path, ids)| ((*path).to_owned(), ids.iter().map(|i| index(i)).collect()))
            .collect();
        Log::new(list, changes, false)
    }

    fn ids(log: &Log, lag: &Lag) -> Vec<String> {
        lag.behind
            .iter()
            .map(|&c| log.commit(c).id.clone())
            .collect()
    }

    #[test]
    fn generations_count_the_longest_path_to_a_root() {
        // a <- b <- c <- m, and a <- d <- m (d is a side branch merged by m).
        let log = log(
            &[
                ("m", 5, &["c", "d"]),
                ("c", 4, &["b"]),
                ("d", 3, &["a"]),
                ("b", 2, &["a"]),
                ("a", 1, &[]),
            ],
            &[],
        );
        assert_eq!(log.generation, [4, 3, 2, 2, 1]);
    }

    #[test]
    fn a_translation_lacks_the_changes_outside_its_commits_history() {
        // Linear main a-b-c-e-m, a side branch d off b merged at m.
        let log = log(
            &[
                ("m", 6, &["e", "d"]),
                ("e", 5, &["c"]),
                ("d", 4, &["b"]),
                ("c", 3, &["b"]),
                ("b", 2, &["a"]),
                ("a", 1, &[]),
            ],
            &[
                ("x.md", &["a", "c", "e"]),
                ("y.md", &["b", "d"]),
                ("z.md", &["m"]),
            ],
        );
        let at = |id: &str| log.find(id).unwrap_or(usize::MAX);
        // (translated from, file, the changes it lacks)
        let cases: &[(&str, &str, &[&str])] = &[
            ("m", "x.md", &[]),
            ("e", "x.md", &[]),
            ("c", "x.md", &["e"]),
            ("b", "x.md", &["c", "e"]),
            ("a", "x.md", &["c", "e"]),
            // d is on a branch c never saw, though it is older than e.
            ("c", "y.md", &["d"]),
            ("e", "y.md", &["d"]),
            ("d", "y.md", &[]),
            ("m", "y.md", &[]),
            ("a", "y.md", &["b", "d"]),
            ("e", "z.md", &["m"]),
            ("e", "never-changed.md", &[]),
        ];
        let queries: Vec<(usize, &str)> = cases.iter().map(|(c, p, _)| (at(c), *p)).collect();
        let lags = log.lags(&queries);
        for ((commit, path, expected), lag) in cases.iter().zip(&lags) {
            assert_eq!(ids(&log, lag), *expected, "{path} from {commit}");
        }
        let lag = &lags[3];
        assert_eq!(lag.first().map(|c| log.commit(c).id.as_str()), Some("c"));
        assert_eq!(lag.last().map(|c| log.commit(c).id.as_str()), Some("e"));
        assert_eq!(log.find("nope"), None);
    }

    #[test]
    fn a_long_history_is_searched_without_recursion() {
        let n = 50_000;
        let commits: Vec<Commit> = (0..n)
            .map(|i| Commit {
                id: format!("{i}"),
                seconds: (n - i) as i64,
                date: String::new(),
                parents: if i + 1 < n { vec![i + 1] } else { vec![] },
            })
            .collect();
        let changes = [("a.md".to_owned(), vec![0, n / 2, n - 1])].into();
        let log = Log::new(commits, changes, false);
        let lags = log.lags(&[(n - 1, "a.md"), (1, "a.md"), (0, "a.md")]);
        assert_eq!(lags[0].behind, [n / 2, 0]);
        assert_eq!(lags[1].behind, [0]);
        assert_eq!(lags[2].behind, Vec::<usize>::new());
    }
}
