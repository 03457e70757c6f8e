//! `tolk check --changed-since REF`: the files that differ between REF (its merge base with HEAD,
//! as `git diff REF...` takes it) and the working tree, so committed and uncommitted changes alike.
//!
//! Files are compared by content: each file of the folders that the caller wants is hashed as
//! git would hash it (a copy with CRLF line ends also matches the LF blob git stores) and
//! compared with the blob at the same path in REF's tree; files only in REF's tree were deleted.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::PathBuf;

use gix::ObjectId;

use super::{failed, folder_tree, locate, Located};
use crate::error::{Error, Result};

/// For each folder of `folders`, the files in it that differ between `spec` and the working
/// tree, as `(index of the folder, path relative to it)`. `wanted(folder, path)` says which files
/// count. A folder that does not exist is left out; one that is in no repository is an error.
pub fn changed_since(
    folders: &[PathBuf],
    spec: &str,
    wanted: &dyn Fn(usize, &str) -> bool,
) -> Result<BTreeSet<(usize, String)>> {
    let mut changed = BTreeSet::new();
    let mut bases: HashMap<PathBuf, ObjectId> = HashMap::new();
    for (i, folder) in folders.iter().enumerate() {
        if !folder.is_dir() {
            continue;
        }
        let Some(located) = locate(folder) else {
            return Err(Error::setup(
                format!(
                    "--changed-since needs git: {} is not in a git repository",
                    folder.display()
                ),
                "run tolk check without --changed-since, or from a clone of the repository",
            ));
        };
        let base = match bases.get(&located.workdir) {
            Some(base) => *base,
            None => {
                let base = base_tree(&located, spec)?;
                bases.insert(located.workdir.clone(), base);
                base
            }
        };
        let before = files_in(&located, base)?;
        let on_disk = disk_files(folder)?;
        let kind = located.repo.object_hash();
        for rel in &on_disk {
            if !wanted(i, rel) {
                continue;
            }
            let path = folder.join(rel);
            let bytes = std::fs::read(&path).map_err(Error::io("read", &path))?;
            if !same_content(kind, &bytes, before.get(rel)) {
                changed.insert((i, rel.clone()));
            }
        }
        for rel in before.keys() {
            if !on_disk.contains(rel) && wanted(i, rel) {
                changed.insert((i, rel.clone()));
            }
        }
    }
    Ok(changed)
}

/// The root tree of the merge base of `spec` and HEAD (of `spec` itself when they have none,
/// or HEAD has no commit yet).
fn base_tree(located: &Located, spec: &str) -> Result<ObjectId> {
    let base = base_commit(located, spec)?;
    let tree = located
        .repo
        .find_commit(base)
        .and_then(|c| c.tree_id())
        .map_err(failed(format!("commit {base}"), &located.workdir))?;
    Ok(tree.detach())
}

/// The merge base of `spec` (a branch, tag or commit) and HEAD, as `git diff REF...` takes it
/// (`spec` itself when they have none, or HEAD has no commit yet).
pub fn base_commit(located: &Located, spec: &str) -> Result<ObjectId> {
    let repo = &located.repo;
    let workdir = located.workdir.as_path();
    let not_found = |e: gix::Error| {
        Error::setup(
            format!(
                "--changed-since {spec}: the repository {} has no such commit ({e})",
                workdir.display()
            ),
            "name a branch, tag or commit it has, e.g. origin/main; in CI, fetch the history \
             first (actions/checkout with fetch-depth: 0)",
        )
    };
    let id = repo.rev_parse_single(spec).map_err(not_found)?;
    let commit = id
        .object()
        .and_then(|object| object.peel_to_commit())
        .map_err(not_found)?;
    let mut base = commit.id;
    if let Ok(head) = repo.head_id() {
        let merge_base = repo.merge_base(base, head).map_err(failed(
            format!("the merge base of {spec} and HEAD"),
            workdir,
        ))?;
        if let Some(merge_base) = merge_base {
            base = merge_base.detach();
        }
    }
    Ok(base)
}

/// Every file of the folder in the commit whose root tree is `tree`, by path inside the folder.
fn files_in(located: &Located, tree: ObjectId) -> Result<HashMap<String, ObjectId>> {
    use gix::diff::tree::recorder::Change;
    let Some(folder) = folder_tree(located, tree)? else {
        return Ok(HashMap::new());
    };
    let mut state = gix::diff::tree::State::default();
    let records = super::diff_trees(
        &located.repo,
        &located.workdir,
        None,
        Some(folder),
        &mut state,
    )?;
    Ok(records
        .into_iter()
        .filter_map(|change| match change {
            Change::Addition {
                entry_mode,
                oid,
                path,
                ..
            } if !entry_mode.is_tree() && !entry_mode.is_commit() => Some((path.to_string(), oid)),
            _ => None,
        })
        .collect())
}

/// The files under `folder`, relative to it, `/`-separated; hidden files and folders left out.
fn disk_files(folder: &std::path::Path) -> Result<HashSet<String>> {
    let mut files = HashSet::new();
    let walker = walkdir::WalkDir::new(folder)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = entry.map_err(|e| {
            let path = e.path().map_or_else(|| folder.to_owned(), |p| p.to_owned());
            Error::io("read", &path)(e.into())
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(folder) else {
            continue;
        };
        let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
        if let Some(parts) = parts {
            files.insert(parts.join("/"));
        }
    }
    Ok(files)
}

/// Whether `bytes` are the content of blob `blob`, also when only the line ends differ (a
/// checkout with CRLF line ends of a file git stores with LF ones).
fn same_content(kind: gix::hash::Kind, bytes: &[u8], blob: Option<&ObjectId>) -> bool {
    let Some(blob) = blob else {
        return false;
    };
    let hash = |data: &[u8]| gix::objs::compute_hash(kind, gix::objs::Kind::Blob, data).ok();
    if hash(bytes).as_ref() == Some(blob) {
        return true;
    }
    if !bytes.windows(2).any(|w| w == b"\r\n") {
        return false;
    }
    let mut lf = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    while let Some(i) = rest.windows(2).position(|w| w == b"\r\n") {
        lf.extend_from_slice(&rest[..i]);
        lf.push(b'\n');
        rest = &rest[i + 2..];
    }
    lf.extend_from_slice(rest);
    hash(&lf).as_ref() == Some(blob)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_matches_a_blob_also_with_crlf_line_ends() {
        let kind = gix::hash::Kind::Sha1;
        let blob = gix::objs::compute_hash(kind, gix::objs::Kind::Blob, b"a\nb\n").ok();
        // `git hash-object` of "a\nb\n".
        assert_eq!(
            blob.map(|b| b.to_hex().to_string()).as_deref(),
            Some("422c2b7ab3b3c668038da977e4e93a5fc623169c")
        );
        let cases: &[(&[u8], bool)] = &[
            (b"a\nb\n", true),
            (b"a\r\nb\r\n", true),
            (b"a\r\nb\n", true),
            (b"a\nb", false),
            (b"a\r\nc\r\n", false),
        ];
        for (bytes, same) in cases {
            assert_eq!(
                same_content(kind, bytes, blob.as_ref()),
                *same,
                "{:?}",
                String::from_utf8_lossy(bytes)
            );
        }
        assert!(!same_content(kind, b"a\nb\n", None));
    }
}
