//! Git history, read with gix (tolk never runs `git`): the log of the source articles for the
//! `stale-translation` rule ([`log`], [`lag`]) and the files changed since a ref for
//! `tolk check --changed-since` ([`changed`]).
//!
//! A folder that is in no git repository has no history; that is not an error.

pub mod changed;
pub mod lag;
pub mod log;

use std::fmt::Display;
use std::path::{Path, PathBuf};

use crate::error::Error;
pub use lag::{Commit, Lag, Log};

/// A folder inside the working tree of a git repository.
#[derive(Debug)]
pub struct Located {
    pub repo: gix::Repository,
    /// The repository's working tree (canonical).
    pub workdir: PathBuf,
    /// The folder's path in the repository, `/`-separated; empty for the working tree's root.
    pub prefix: String,
}

/// The repository whose working tree holds `folder`, or `None` when there is none (the folder
/// does not exist, is in no repository, or only in a bare one).
pub fn locate(folder: &Path) -> Option<Located> {
    let folder = folder.canonicalize().ok()?;
    let mut repo = gix::discover(&folder).ok()?;
    let workdir = repo.workdir()?.canonicalize().ok()?;
    let rel = folder.strip_prefix(&workdir).ok()?;
    let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
    let prefix = parts?.join("/");
    if prefix == ".git" || prefix.starts_with(".git/") {
        return None;
    }
    tune(&mut repo);
    Some(Located {
        repo,
        workdir,
        prefix,
    })
}

/// Opens the repository at `git_dir` again, for another thread.
pub(crate) fn reopen(git_dir: &Path) -> Option<gix::Repository> {
    let mut repo = gix::open(git_dir).ok()?;
    tune(&mut repo);
    Some(repo)
}

/// Trees are read again and again while a history is walked, and each is stored as a delta of
/// another: keep the decoded trees and the pack's delta bases.
fn tune(repo: &mut gix::Repository) {
    repo.object_cache_size_if_unset(32 * 1024 * 1024);
    repo.objects
        .set_pack_cache(|| Box::<gix::odb::pack::cache::lru::StaticLinkedList<64>>::default());
}

/// The commit HEAD points at in the repository that holds `folder`, if any.
pub fn head_commit(folder: &Path) -> Option<String> {
    let located = locate(folder)?;
    let id = located.repo.head_id().ok()?;
    Some(id.detach().to_hex().to_string())
}

/// Turns a gix error into one that says what could not be read, and where.
pub(crate) fn failed<E: Display>(what: String, workdir: &Path) -> impl FnOnce(E) -> Error + '_ {
    move |e| {
        Error::setup(
            format!(
                "cannot read the git history of {}: {what}: {e}",
                workdir.display()
            ),
            "check that the repository is complete (`git fsck`), or turn the history rules off \
             in tolk.toml: [check] stale-translation = \"off\", unknown-source-commit = \"off\"",
        )
    }
}

/// Every change from tree `old` to tree `new` (`None`: the empty tree), with paths inside them.
pub(crate) fn diff_trees(
    repo: &gix::Repository,
    workdir: &Path,
    old: Option<gix::ObjectId>,
    new: Option<gix::ObjectId>,
    state: &mut gix::diff::tree::State,
) -> crate::error::Result<Vec<gix::diff::tree::recorder::Change>> {
    let read = |id: Option<gix::ObjectId>| -> crate::error::Result<Vec<u8>> {
        match id {
            None => Ok(Vec::new()),
            Some(id) => repo
                .find_tree(id)
                .map(|tree| tree.detach().data)
                .map_err(failed(format!("tree {id}"), workdir)),
        }
    };
    let (old_data, new_data) = (read(old)?, read(new)?);
    let kind = repo.object_hash();
    let mut recorder = gix::diff::tree::Recorder::default();
    gix::diff::tree(
        gix::objs::TreeRefIter::from_bytes(&old_data, kind),
        gix::objs::TreeRefIter::from_bytes(&new_data, kind),
        state,
        &repo.objects,
        &mut recorder,
    )
    .map_err(failed("a tree diff".to_owned(), workdir))?;
    Ok(recorder.records)
}

/// The tree of the folder in the commit whose root tree is `tree`.
pub(crate) fn folder_tree(
    located: &Located,
    tree: gix::ObjectId,
) -> crate::error::Result<Option<gix::ObjectId>> {
    if located.prefix.is_empty() {
        return Ok(Some(tree));
    }
    let fail = || failed(format!("tree {tree}"), &located.workdir);
    let root = located.repo.find_tree(tree).map_err(fail())?;
    let entry = root
        .lookup_entry(located.prefix.split('/'))
        .map_err(fail())?;
    Ok(entry.filter(|e| e.mode().is_tree()).map(|e| e.object_id()))
}

/// The text of the file at `path` (inside the folder) in `commit`; `None` when the commit
/// has no such file.
pub fn file_at(
    located: &Located,
    commit: &str,
    path: &str,
) -> crate::error::Result<Option<String>> {
    let fail = || failed(format!("{path} in commit {commit}"), &located.workdir);
    let id = gix::ObjectId::from_hex(commit.as_bytes()).map_err(fail())?;
    let tree = located
        .repo
        .find_commit(id)
        .map_err(fail())?
        .tree()
        .map_err(fail())?;
    let full = if located.prefix.is_empty() {
        path.to_owned()
    } else {
        format!("{}/{path}", located.prefix)
    };
    let Some(entry) = tree.lookup_entry_by_path(&full).map_err(fail())? else {
        return Ok(None);
    };
    let blob = entry.object().map_err(fail())?;
    Ok(Some(String::from_utf8_lossy(&blob.data).into_owned()))
}

/// The whole message of `commit`.
pub fn message(located: &Located, commit: &str) -> crate::error::Result<String> {
    let fail = || failed(format!("commit {commit}"), &located.workdir);
    let id = gix::ObjectId::from_hex(commit.as_bytes()).map_err(fail())?;
    let found = located.repo.find_commit(id).map_err(fail())?;
    let raw = found.message_raw().map_err(fail())?;
    Ok(String::from_utf8_lossy(raw).into_owned())
}

/// Whether a commit message ends with a `Translation: none` trailer: its last paragraph has
/// that line (the key in any case).
pub fn no_translation(message: &str) -> bool {
    let last = message.trim_end().rsplit("\n\n").next().unwrap_or_default();
    last.lines().any(|line| {
        line.split_once(':').is_some_and(|(key, value)| {
            key.trim().eq_ignore_ascii_case("translation")
                && value.trim().eq_ignore_ascii_case("none")
        })
    })
}

#[cfg(test)]
mod tests {
    use super::no_translation;

    #[test]
    fn the_translation_none_trailer_is_read_from_the_last_paragraph() {
        let cases = [
            ("Fix a typo\n\nTranslation: none\n", true),
            (
                "Fix a typo\n\nSigned-off-by: A <a@b.c>\ntranslation:  None",
                true,
            ),
            ("Fix a typo\n\nTranslation: none\n\nLater paragraph.", false),
            ("Translation: full", false),
            ("Fix a typo", false),
        ];
        for (message, expected) in cases {
            assert_eq!(no_translation(message), expected, "{message}");
        }
    }
}
