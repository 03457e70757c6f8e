//! The one place output is written.
//!
//! On disk, a build writes into a staging folder next to the output folder and swaps it in only
//! when everything succeeded: a failed build leaves the previous site untouched. In memory
//! (for the dev server and tests), files go into a map.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::{Error, Result};

#[derive(Debug)]
pub enum Output {
    Disk {
        staging: tempfile::TempDir,
        target: PathBuf,
    },
    Memory(Mutex<BTreeMap<String, Vec<u8>>>),
}

impl Output {
    /// Starts a build that will replace `target` when committed.
    pub fn disk(target: &Path) -> Result<Output> {
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(Error::io("create", &parent))?;
        remove_abandoned(&parent);
        let prefix = format!(".tolk-build-{}-", std::process::id());
        let staging = tempfile::Builder::new()
            .prefix(&prefix)
            .tempdir_in(&parent)
            .map_err(Error::io("create a staging folder in", &parent))?;
        Ok(Output::Disk {
            staging,
            target: target.to_owned(),
        })
    }

    pub fn memory() -> Output {
        Output::Memory(Mutex::new(BTreeMap::new()))
    }

    /// Writes `bytes` at `rel` (a `/`-separated path inside the output).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        match self {
            Output::Disk { staging, .. } => {
                let path = staging.path().join(rel);
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir).map_err(Error::io("create", dir))?;
                }
                std::fs::write(&path, bytes).map_err(Error::io("write", &path))
            }
            Output::Memory(files) => {
                let mut files = files
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                files.insert(rel.to_owned(), bytes.to_vec());
                Ok(())
            }
        }
    }

    /// Copies the file at `from` to `rel`.
    pub fn copy(&self, rel: &str, from: &Path) -> Result<()> {
        match self {
            Output::Disk { staging, .. } => {
                let path = staging.path().join(rel);
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir).map_err(Error::io("create", dir))?;
                }
                std::fs::copy(from, &path).map_err(Error::io("copy", from))?;
                Ok(())
            }
            Output::Memory(_) => {
                let bytes = std::fs::read(from).map_err(Error::io("read", from))?;
                self.write(rel, &bytes)
            }
        }
    }

    /// Makes the build visible: on disk, swaps the staging folder in place of the target.
    /// Returns the files written, for the memory mode.
    pub fn commit(self) -> Result<BTreeMap<String, Vec<u8>>> {
        match self {
            Output::Disk { staging, target } => {
                let parent = staging
                    .path()
                    .parent()
                    .map(Path::to_owned)
                    .unwrap_or_default();
                let staged = staging.keep();
                let old = if target.exists() {
                    let old = tempfile::Builder::new()
                        .prefix(&format!(".tolk-old-{}-", std::process::id()))
                        .tempdir_in(&parent)
                        .map_err(Error::io("create a folder in", &parent))?
                        .keep();
                    let old_site = old.join("site");
                    std::fs::rename(&target, &old_site).map_err(|e| {
                        let _ = std::fs::remove_dir_all(&staged);
                        Error::io("move the previous site away from", &target)(e)
                    })?;
                    Some((old, old_site))
                } else {
                    None
                };
                if let Err(e) = std::fs::rename(&staged, &target) {
                    // Put the previous site back so nothing is lost.
                    if let Some((_, old_site)) = &old {
                        let _ = std::fs::rename(old_site, &target);
                    }
                    let _ = std::fs::remove_dir_all(&staged);
                    return Err(Error::io("move the new site into", &target)(e));
                }
                if let Some((old, _)) = old {
                    // The new site is in place; a leftover old copy is only wasted space.
                    remove_tree(&old);
                }
                Ok(BTreeMap::new())
            }
            Output::Memory(files) => Ok(files.into_inner().unwrap_or_else(|p| p.into_inner())),
        }
    }
}

/// Removes what builds that were killed mid-way left next to the output: staging folders whose
/// process is gone. (Where `/proc` does not exist, they are left alone.)
fn remove_abandoned(parent: &Path) {
    let proc_fs = Path::new("/proc/self");
    if !proc_fs.exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.filter_map(|e| e.ok()) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name
            .strip_prefix(".tolk-build-")
            .or_else(|| name.strip_prefix(".tolk-old-"))
        else {
            continue;
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
            remove_tree(&entry.path());
        }
    }
}

/// Deletes a folder tree, folders in parallel: removing the previous site of a large build is
/// tens of thousands of file-system calls.
fn remove_tree(dir: &Path) {
    use rayon::prelude::*;
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let entries: Vec<_> = entries.filter_map(|e| e.ok()).collect();
    entries.par_iter().for_each(|entry| {
        let is_dir = entry.file_type().map(|t| t.is_dir()).unwrap_or(false);
        if is_dir {
            remove_tree(&entry.path());
        } else {
            let _ = std::fs::remove_file(entry.path());
        }
    });
    let _ = std::fs::remove_dir(dir);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disk_output_replaces_target_only_on_commit() -> Result<()> {
        let dir = tempfile::tempdir().map_err(Error::io("create", Path::new("tmp")))?;
        let target = dir.path().join("public");
        std::fs::create_dir_all(&target).map_err(Error::io("create", &target))?;
        std::fs::write(target.join("old.html"), "old").map_err(Error::io("write", &target))?;

        let failed = Output::disk(&target)?;
        failed.write("new.html", b"new")?;
        drop(failed);
        assert!(target.join("old.html").exists());
        assert!(!target.join("new.html").exists());

        let output = Output::disk(&target)?;
        output.write("a/b/index.html", b"new")?;
        output.commit()?;
        assert!(!target.join("old.html").exists());
        assert!(target.join("a/b/index.html").exists());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .map_err(Error::io("read", dir.path()))?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers, ["public"]);
        Ok(())
    }

    #[test]
    fn memory_output_collects_files() -> Result<()> {
        let output = Output::memory();
        output.write("x/index.html", b"hi")?;
        let files = output.commit()?;
        assert_eq!(
            files.get("x/index.html").map(Vec::as_slice),
            Some(&b"hi"[..])
        );
        Ok(())
    }
}
