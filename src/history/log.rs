//! Reads a [`Log`] from a repository in one pass: every commit reachable from HEAD is read once,
//! and only a commit whose copy of the folder differs from its parents' has its trees diffed,
//! once per parent, inside the folder alone (on every core: the diffs are independent).

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use gix::ObjectId;
use rayon::prelude::*;

use super::{failed, folder_tree, Commit, Located, Log};
use crate::error::Result;

/// A commit as the walk finds it, before parents are numbered.
struct Walked {
    id: ObjectId,
    seconds: i64,
    date: String,
    parents: Vec<ObjectId>,
    /// The folder's tree in this commit, if the commit has the folder.
    folder: Option<ObjectId>,
    /// A shallow clone's boundary: its parents are not in the repository.
    boundary: bool,
}

/// The last log read, by repository, folder and HEAD.
type Cached = (PathBuf, String, ObjectId, Arc<Log>);

/// Keeps the last log read: `tolk serve` checks after every save, and reading a long history
/// again costs seconds while HEAD rarely moves. The site model owns one, so it lives as long as
/// the site it belongs to.
#[derive(Debug, Default)]
pub struct LogCache {
    last: Mutex<Option<Cached>>,
}

impl LogCache {
    /// The history of `located.prefix` as HEAD sees it; an empty log when HEAD has no commit
    /// yet. Read again only when HEAD moved since the last call for the same folder.
    pub fn read(&self, located: &Located) -> Result<Arc<Log>> {
        let Ok(head) = located.repo.head_id() else {
            return Ok(Arc::new(Log::default()));
        };
        let head = head.detach();
        let mut last = crate::lock::lock(&self.last);
        if let Some((workdir, prefix, id, log)) = last.as_ref() {
            if *workdir == located.workdir && *prefix == located.prefix && *id == head {
                return Ok(Arc::clone(log));
            }
        }
        let log = Arc::new(read_from(located, head)?);
        *last = Some((
            located.workdir.clone(),
            located.prefix.clone(),
            head,
            Arc::clone(&log),
        ));
        Ok(log)
    }
}

fn read_from(located: &Located, head: ObjectId) -> Result<Log> {
    let workdir = located.workdir.as_path();
    let boundary: HashSet<ObjectId> = located
        .repo
        .shallow_commits()
        .map_err(failed("the shallow clone's boundary".to_owned(), workdir))?
        .map(|commits| commits.iter().copied().collect())
        .unwrap_or_default();
    let (walked, index) = walk(located, head, &boundary)?;
    let changes = changes(located, &walked, &index)?;
    let commits = walked
        .iter()
        .map(|w| Commit {
            id: w.id.to_hex().to_string(),
            seconds: w.seconds,
            date: w.date.clone(),
            parents: w
                .parents
                .iter()
                .filter_map(|p| index.get(p).copied())
                .collect(),
        })
        .collect();
    Ok(Log::new(commits, changes, !boundary.is_empty()))
}

/// Every commit reachable from `head`, read once (a shallow `boundary` commit without its
/// parents), and each commit's place in the list.
fn walk(
    located: &Located,
    head: ObjectId,
    boundary: &HashSet<ObjectId>,
) -> Result<(Vec<Walked>, HashMap<ObjectId, usize>)> {
    let repo = &located.repo;
    let workdir = located.workdir.as_path();
    let mut walked: Vec<Walked> = Vec::new();
    let mut index: HashMap<ObjectId, usize> = HashMap::new();
    let mut stack = vec![head];
    while let Some(id) = stack.pop() {
        if index.contains_key(&id) {
            continue;
        }
        let commit = repo
            .find_commit(id)
            .map_err(failed(format!("commit {id}"), workdir))?;
        let decoded = commit
            .decode()
            .map_err(failed(format!("commit {id}"), workdir))?;
        let time = decoded
            .time()
            .map_err(failed(format!("the date of commit {id}"), workdir))?;
        let is_boundary = boundary.contains(&id);
        let parents: Vec<ObjectId> = if is_boundary {
            Vec::new()
        } else {
            decoded.parents().collect()
        };
        let folder = folder_tree(located, decoded.tree())?;
        stack.extend(parents.iter().filter(|p| !index.contains_key(*p)));
        index.insert(id, walked.len());
        walked.push(Walked {
            id,
            seconds: time.seconds,
            date: time.format_or_unix(gix::date::time::format::SHORT),
            parents,
            folder,
            boundary: is_boundary,
        });
    }
    Ok((walked, index))
}

/// The commits that changed each path of the folder (by their place in `walked`).
fn changes(
    located: &Located,
    walked: &[Walked],
    index: &HashMap<ObjectId, usize>,
) -> Result<HashMap<String, Vec<usize>>> {
    let workdir = located.workdir.as_path();
    // The diffs are independent: share them among the cores, each with its own handle on the
    // repository (a handle is not shared between threads).
    let jobs: Vec<Job> = walked
        .iter()
        .enumerate()
        .filter_map(|(i, commit)| job(i, commit, walked, index))
        .collect();
    let git_dir = located.repo.git_dir().to_owned();
    let results: Vec<Result<(usize, HashSet<String>)>> = jobs
        .par_iter()
        .with_min_len(64)
        .map_init(
            || super::reopen(&git_dir).map(|repo| (repo, gix::diff::tree::State::default())),
            |worker, job| {
                let Some((repo, state)) = worker.as_mut() else {
                    return Err(failed("the repository".to_owned(), workdir)(
                        "it could not be opened a second time",
                    ));
                };
                Ok((job.commit, changed_by(repo, workdir, job, state)?))
            },
        )
        .collect();
    let mut changes: HashMap<String, Vec<usize>> = HashMap::new();
    for result in results {
        let (commit, paths) = result?;
        for path in paths {
            changes.entry(path).or_default().push(commit);
        }
    }
    Ok(changes)
}

/// A commit whose copy of the folder must be compared with its parents'.
struct Job {
    commit: usize,
    folder: ObjectId,
    /// The parents' copies of the folder; none for a root commit.
    parents: Vec<Option<ObjectId>>,
}

/// The diff a commit needs: none when it lacks the folder, is a shallow boundary (its parents,
/// so what it changed, are unknown) or has the same folder as a parent (a merge that took
/// one side changed nothing in it).
fn job(
    i: usize,
    commit: &Walked,
    walked: &[Walked],
    index: &HashMap<ObjectId, usize>,
) -> Option<Job> {
    let folder = commit.folder?;
    if commit.boundary {
        return None;
    }
    let parents: Vec<Option<ObjectId>> = commit
        .parents
        .iter()
        .filter_map(|p| index.get(p).map(|&j| walked[j].folder))
        .collect();
    if parents.contains(&Some(folder)) {
        return None;
    }
    Some(Job {
        commit: i,
        folder,
        parents,
    })
}

/// The files a commit changed in the folder: against its only parent, or the empty tree for a
/// root commit; a merge changed a file only where it differs from every parent.
fn changed_by(
    repo: &gix::Repository,
    workdir: &std::path::Path,
    job: &Job,
    state: &mut gix::diff::tree::State,
) -> Result<HashSet<String>> {
    let sides = if job.parents.is_empty() {
        vec![None]
    } else {
        job.parents.clone()
    };
    let mut changed: Option<HashSet<String>> = None;
    for old in sides {
        let paths = changed_files(repo, workdir, old, Some(job.folder), state)?;
        let kept: HashSet<String> = match changed {
            None => paths,
            Some(before) => before.intersection(&paths).cloned().collect(),
        };
        let done = kept.is_empty();
        changed = Some(kept);
        if done {
            break;
        }
    }
    Ok(changed.unwrap_or_default())
}

/// The files (not folders) added or modified from tree `old` to tree `new` (`None`: empty),
/// with their paths inside those trees.
fn changed_files(
    repo: &gix::Repository,
    workdir: &std::path::Path,
    old: Option<ObjectId>,
    new: Option<ObjectId>,
    state: &mut gix::diff::tree::State,
) -> Result<HashSet<String>> {
    use gix::diff::tree::recorder::Change;
    let records = super::diff_trees(repo, workdir, old, new, state)?;
    Ok(records
        .into_iter()
        .filter_map(|change| match change {
            Change::Addition {
                entry_mode, path, ..
            }
            | Change::Modification {
                entry_mode, path, ..
            } if !entry_mode.is_tree() && !entry_mode.is_commit() => Some(path.to_string()),
            _ => None,
        })
        .collect())
}
