//! The one place output is written.
//!
//! On disk, a build never changes the previous site before it succeeded. A first build (or
//! one over a folder tolk did not write) writes into a staging folder next to the output folder
//! and swaps it in whole. A build over a site tolk wrote before updates it: every file's hash is
//! compared with the manifest the previous build left (`.tolk-manifest`), only files that
//! changed are written, into a staging folder, and when everything succeeded they are renamed
//! into place one by one (each file is the old or the new one, never half of either) and the
//! files the new site no longer has are removed. Rebuilding a large site after an edit then
//! writes a handful of files instead of creating and deleting tens of thousands of folders. In
//! memory (for the dev server and tests), files go into a map.

use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::error::{Error, Result};

/// The file in the output that lists what the build wrote: `hash length path` per line.
pub const MANIFEST: &str = ".tolk-manifest";

#[derive(Debug)]
pub enum Output {
    /// A new site in a staging folder, swapped in whole.
    Disk {
        staging: tempfile::TempDir,
        target: PathBuf,
        manifest: Mutex<Vec<(String, Fingerprint)>>,
    },
    /// Changes to the site tolk wrote at `target`.
    Update(Box<Update>),
    Memory(Mutex<BTreeMap<String, Vec<u8>>>),
}

/// What identifies a file's contents: its hash and length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint {
    hash: u64,
    len: u64,
}

impl Fingerprint {
    fn of(bytes: &[u8]) -> Fingerprint {
        // A fixed seed: the manifest outlives the process.
        let hash = foldhash::quality::FixedState::with_seed(0x746f_6c6b).hash_one(bytes);
        Fingerprint {
            hash,
            len: bytes.len() as u64,
        }
    }
}

/// An update of a site tolk wrote before.
#[derive(Debug)]
pub struct Update {
    staging: tempfile::TempDir,
    target: PathBuf,
    /// The previous build's files.
    previous: HashMap<String, Fingerprint>,
    /// Every file of this build.
    manifest: Mutex<Vec<(String, Fingerprint)>>,
    /// Files that changed: their path, and their name in the staging folder.
    staged: Mutex<Vec<(String, PathBuf)>>,
    count: AtomicUsize,
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
        if let Some(previous) = read_manifest(target) {
            return Ok(Output::Update(Box::new(Update {
                staging,
                target: target.to_owned(),
                previous,
                manifest: Mutex::new(Vec::new()),
                staged: Mutex::new(Vec::new()),
                count: AtomicUsize::new(0),
            })));
        }
        Ok(Output::Disk {
            staging,
            target: target.to_owned(),
            manifest: Mutex::new(Vec::new()),
        })
    }

    pub fn memory() -> Output {
        Output::Memory(Mutex::new(BTreeMap::new()))
    }

    /// Writes `bytes` at `rel` (a `/`-separated path inside the output).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        match self {
            Output::Disk {
                staging, manifest, ..
            } => {
                let path = staging.path().join(rel);
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir).map_err(Error::io("create", dir))?;
                }
                std::fs::write(&path, bytes).map_err(Error::io("write", &path))?;
                lock(manifest).push((rel.to_owned(), Fingerprint::of(bytes)));
                Ok(())
            }
            Output::Update(update) => update.write(rel, bytes),
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
            Output::Disk { .. } | Output::Update(_) => {
                let bytes = std::fs::read(from).map_err(Error::io("copy", from))?;
                self.write(rel, &bytes)
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
            Output::Update(update) => {
                update.commit()?;
                Ok(BTreeMap::new())
            }
            Output::Disk {
                staging,
                target,
                manifest,
            } => {
                let manifest = manifest.into_inner().unwrap_or_else(|p| p.into_inner());
                write_manifest(staging.path(), manifest)?;
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

impl Update {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let print = Fingerprint::of(bytes);
        lock(&self.manifest).push((rel.to_owned(), print));
        let target = self.target.join(rel);
        let unchanged = self.previous.get(rel) == Some(&print)
            && std::fs::symlink_metadata(&target)
                .is_ok_and(|m| m.is_file() && m.len() == print.len);
        if unchanged {
            return Ok(());
        }
        // Flat names: the staging folder needs no tree of folders.
        let n = self.count.fetch_add(1, Ordering::Relaxed);
        let staged = self.staging.path().join(n.to_string());
        std::fs::write(&staged, bytes).map_err(Error::io("write", &staged))?;
        lock(&self.staged).push((rel.to_owned(), staged));
        Ok(())
    }

    /// Renames the changed files into place, removes the files the new site no longer has,
    /// and writes the new manifest last: a manifest never names a file that is not there.
    fn commit(self) -> Result<()> {
        use rayon::prelude::*;
        let Update {
            staging,
            target,
            previous,
            manifest,
            staged,
            ..
        } = self;
        let manifest = manifest.into_inner().unwrap_or_else(|p| p.into_inner());
        let staged = staged.into_inner().unwrap_or_else(|p| p.into_inner());
        // The old manifest goes first: if a rename fails, the next build starts afresh.
        let manifest_path = target.join(MANIFEST);
        if let Err(e) = std::fs::remove_file(&manifest_path) {
            if e.kind() != std::io::ErrorKind::NotFound {
                return Err(Error::io("remove", &manifest_path)(e));
            }
        }
        staged.par_iter().try_for_each(|(rel, from)| {
            let to = target.join(rel);
            if let Some(dir) = to.parent() {
                std::fs::create_dir_all(dir).map_err(Error::io("create", dir))?;
            }
            if std::fs::symlink_metadata(&to).is_ok_and(|m| m.is_dir()) {
                remove_tree(&to);
            }
            std::fs::rename(from, &to).map_err(Error::io("write", &to))
        })?;
        let kept: std::collections::HashSet<&str> =
            manifest.iter().map(|(rel, _)| rel.as_str()).collect();
        let mut gone: Vec<&String> = previous
            .keys()
            .filter(|rel| !kept.contains(rel.as_str()))
            .collect();
        gone.par_iter().for_each(|rel| {
            let _ = std::fs::remove_file(target.join(rel));
        });
        // Folders the removed files leave empty, deepest first.
        gone.sort_by_key(|rel| std::cmp::Reverse(rel.matches('/').count()));
        for rel in gone {
            let mut dir = Path::new(rel.as_str()).parent();
            while let Some(d) = dir.filter(|d| !d.as_os_str().is_empty()) {
                if std::fs::remove_dir(target.join(d)).is_err() {
                    break;
                }
                dir = d.parent();
            }
        }
        write_manifest(&target, manifest)?;
        drop(staging);
        Ok(())
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The previous build's manifest, when `target` has one that can be read.
fn read_manifest(target: &Path) -> Option<HashMap<String, Fingerprint>> {
    let text = std::fs::read_to_string(target.join(MANIFEST)).ok()?;
    let mut files = HashMap::new();
    for line in text.lines() {
        let mut parts = line.splitn(3, ' ');
        let hash = u64::from_str_radix(parts.next()?, 16).ok()?;
        let len = parts.next()?.parse().ok()?;
        let rel = parts.next()?;
        if rel.is_empty() || rel.split('/').any(|part| part == ".." || part.is_empty()) {
            return None;
        }
        files.insert(rel.to_owned(), Fingerprint { hash, len });
    }
    Some(files)
}

fn write_manifest(dir: &Path, mut files: Vec<(String, Fingerprint)>) -> Result<()> {
    use std::fmt::Write as _;
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let mut text = String::with_capacity(files.len() * 64);
    for (rel, print) in &files {
        let _ = writeln!(text, "{:016x} {} {rel}", print.hash, print.len);
    }
    let path = dir.join(MANIFEST);
    let temp = dir.join(format!("{MANIFEST}.tmp"));
    std::fs::write(&temp, text).map_err(Error::io("write", &temp))?;
    std::fs::rename(&temp, &path).map_err(Error::io("write", &path))
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

    /// The names in `dir`.
    fn entries(dir: &Path) -> Result<Vec<std::ffi::OsString>> {
        Ok(std::fs::read_dir(dir)
            .map_err(Error::io("read", dir))?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name())
            .collect())
    }

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
        assert_eq!(
            entries(dir.path())?,
            ["public"],
            "no staging folder is left"
        );
        Ok(())
    }

    #[test]
    fn a_build_over_a_tolk_site_writes_only_what_changed() -> Result<()> {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().map_err(Error::io("create", Path::new("tmp")))?;
        let target = dir.path().join("public");
        let inode = |rel: &str| std::fs::metadata(target.join(rel)).map(|m| m.ino()).ok();
        let read = |rel: &str| std::fs::read_to_string(target.join(rel)).ok();

        let first = Output::disk(&target)?;
        first.write("a/index.html", b"same")?;
        first.write("b/index.html", b"old")?;
        first.write("c/d/index.html", b"gone")?;
        first.commit()?;
        let kept = inode("a/index.html");

        // A build that fails changes nothing.
        let failed = Output::disk(&target)?;
        assert!(matches!(failed, Output::Update(_)));
        failed.write("b/index.html", b"never")?;
        drop(failed);
        assert_eq!(read("b/index.html").as_deref(), Some("old"));

        let second = Output::disk(&target)?;
        second.write("a/index.html", b"same")?;
        second.write("b/index.html", b"new")?;
        second.write("e/index.html", b"added")?;
        second.commit()?;
        assert_eq!(
            inode("a/index.html"),
            kept,
            "an unchanged file is not written again"
        );
        assert_eq!(read("b/index.html").as_deref(), Some("new"));
        assert_eq!(read("e/index.html").as_deref(), Some("added"));
        assert!(
            !target.join("c").exists(),
            "removed pages and their empty folders go"
        );
        let manifest = read(MANIFEST).unwrap_or_default();
        assert_eq!(manifest.lines().count(), 3, "{manifest}");

        // A file deleted by hand is written again even though the manifest lists it.
        std::fs::remove_file(target.join("a/index.html")).map_err(Error::io("remove", &target))?;
        let third = Output::disk(&target)?;
        third.write("a/index.html", b"same")?;
        third.commit()?;
        assert_eq!(read("a/index.html").as_deref(), Some("same"));
        assert_eq!(read("b/index.html"), None);
        assert_eq!(
            entries(dir.path())?,
            ["public"],
            "no staging folder is left"
        );
        Ok(())
    }

    #[test]
    fn a_damaged_manifest_means_a_whole_new_site() -> Result<()> {
        let dir = tempfile::tempdir().map_err(Error::io("create", Path::new("tmp")))?;
        let target = dir.path().join("public");
        std::fs::create_dir_all(&target).map_err(Error::io("create", &target))?;
        for text in ["zz 1 a.html\n", "0 1 ../outside\n", "0 1 /abs\n"] {
            std::fs::write(target.join(MANIFEST), text).map_err(Error::io("write", &target))?;
            assert!(
                matches!(Output::disk(&target)?, Output::Disk { .. }),
                "{text}"
            );
        }
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
