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
//!
//! Two builds never write one output at once: a lock file next to it (`.tolk-lock-<name>`,
//! holding the process id) makes the second one stop with a clear message. Before its first
//! rename, a commit writes a journal next to the output (`.tolk-journal-<name>`) that lists
//! every rename and removal; a build that was killed mid-commit is finished by the next one
//! (or by `tolk build` on start), and an I/O error mid-commit puts back every file it replaced.

use foldhash::quality::FoldHasher;
use foldhash::{HashMap, HashMapExt};
use std::collections::BTreeMap;
use std::hash::{BuildHasher, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::error::{Error, Result};
use crate::lock::lock;

/// The file in the output that lists what the build wrote: `hash length path` per line.
pub const MANIFEST: &str = ".tolk-manifest";

#[derive(Debug)]
pub enum Output {
    /// A new site in a staging folder, swapped in whole.
    Disk {
        staging: tempfile::TempDir,
        target: PathBuf,
        manifest: Mutex<Vec<(String, Fingerprint)>>,
        folders: Folders,
        lock: Lock,
    },
    /// Changes to the site tolk wrote at `target`.
    Update(Box<UpdateInPlace>),
    /// Files in memory: written ones, and `None` for files removed from an earlier site.
    Memory(Mutex<Changes>),
}

/// A site's files as a build into memory leaves them: new contents, or `None` for a file that
/// is gone.
pub type Changes = BTreeMap<String, Option<Vec<u8>>>;

/// What identifies a file's contents: its hash and length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint {
    hash: u64,
    len: u64,
}

/// Files are hashed in blocks of this size, so that a file written as it is made
/// ([`Output::write_with`]) has the fingerprint of the same bytes written whole.
const BLOCK: usize = 64 * 1024;

impl Fingerprint {
    fn of(bytes: &[u8]) -> Fingerprint {
        let mut hasher = Fingerprint::hasher();
        for block in bytes.chunks(BLOCK) {
            hasher.write(block);
        }
        Fingerprint::finish(hasher, bytes.len() as u64)
    }

    fn hasher() -> FoldHasher<'static> {
        // A fixed seed: the manifest outlives the process.
        foldhash::quality::FixedState::with_seed(0x746f_6c6b).build_hasher()
    }

    fn finish(mut hasher: impl Hasher, len: u64) -> Fingerprint {
        hasher.write_u64(len);
        Fingerprint {
            hash: hasher.finish(),
            len,
        }
    }
}

/// A file being written: its bytes go out block by block, each hashed as
/// [`Fingerprint::of`] hashes it.
struct Fingerprinting<W: Write> {
    inner: W,
    block: Vec<u8>,
    hasher: FoldHasher<'static>,
    len: u64,
}

impl<W: Write> Fingerprinting<W> {
    fn new(inner: W) -> Self {
        Fingerprinting {
            inner,
            block: Vec::with_capacity(BLOCK),
            hasher: Fingerprint::hasher(),
            len: 0,
        }
    }

    fn write_block(&mut self) -> std::io::Result<()> {
        self.hasher.write(&self.block);
        self.len += self.block.len() as u64;
        self.inner.write_all(&self.block)?;
        self.block.clear();
        Ok(())
    }

    /// Writes what is left and returns the file's fingerprint.
    fn finish(mut self) -> std::io::Result<Fingerprint> {
        if !self.block.is_empty() {
            self.write_block()?;
        }
        self.inner.flush()?;
        Ok(Fingerprint::finish(self.hasher, self.len))
    }
}

impl<W: Write> Write for Fingerprinting<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut rest = buf;
        while !rest.is_empty() {
            let room = BLOCK - self.block.len();
            let (now, later) = rest.split_at(room.min(rest.len()));
            self.block.extend_from_slice(now);
            rest = later;
            if self.block.len() == BLOCK {
                self.write_block()?;
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Where the files of a staging folder go: the folders made so far, and a few of them held
/// open. Each folder is made once: the 20,000 side-by-side pages of the bench corpus share 400
/// folders, and making one that exists costs a failed `mkdir` and a `stat`.
///
/// On Unix a file is made relative to its folder's parent, held open (`openat`): the kernel
/// then looks up two names instead of every folder of the staging folder's path, nine for an
/// article page at `/dev/shm/bench/.tolk-build-1-x/nl/troubleshooting/topic-1/page-1/index.html`.
/// Pages are written in the order of their paths, so the last few parents serve nearly all of
/// them.
#[derive(Debug, Default)]
pub struct Folders(Mutex<Made>);

#[derive(Debug, Default)]
struct Made {
    /// Folders made, relative to the staging folder (`""` is the staging folder itself).
    folders: foldhash::HashSet<String>,
    /// Parents held open, the most recently opened last.
    #[cfg(unix)]
    open: Vec<(String, std::sync::Arc<std::os::fd::OwnedFd>)>,
}

/// How many parent folders are held open: both cores' current ones and some to spare.
#[cfg(unix)]
const HELD_OPEN: usize = 16;

impl Folders {
    /// Makes the file `rel` (`/`-separated) in `staging` for writing, its folders made.
    #[cfg(unix)]
    fn create(&self, staging: &Path, rel: &str) -> Result<std::fs::File> {
        use rustix::fs::{Mode, OFlags};
        let (dir, _) = rel.rsplit_once('/').unwrap_or(("", rel));
        let (parent, leaf) = dir.rsplit_once('/').unwrap_or(("", dir));
        let (made, held) = {
            let made = lock(&self.0);
            let held = made.open.iter().rev().find(|(p, _)| p == parent);
            (
                dir.is_empty() || made.folders.contains(dir),
                held.map(|(_, fd)| std::sync::Arc::clone(fd)),
            )
        };
        let parent_fd = match held {
            Some(fd) => fd,
            None => self.open(staging, parent)?,
        };
        if !made {
            match rustix::fs::mkdirat(&*parent_fd, leaf, Mode::from_raw_mode(0o777)) {
                Ok(()) | Err(rustix::io::Errno::EXIST) => {}
                Err(e) => return Err(Error::io("create", &staging.join(dir))(e.into())),
            }
            lock(&self.0).folders.insert(dir.to_owned());
        }
        // `rel` from its parent on: `page-1/index.html`.
        let below = rel
            .get(parent.len()..)
            .map_or(rel, |r| r.trim_start_matches('/'));
        let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::TRUNC | OFlags::CLOEXEC;
        rustix::fs::openat(&*parent_fd, below, flags, Mode::from_raw_mode(0o666))
            .map(std::fs::File::from)
            .map_err(|e| Error::io("write", &staging.join(rel))(e.into()))
    }

    /// Opens the folder `parent` of `staging` (made if it is not yet) and holds it open.
    #[cfg(unix)]
    fn open(&self, staging: &Path, parent: &str) -> Result<std::sync::Arc<std::os::fd::OwnedFd>> {
        use rustix::fs::{Mode, OFlags};
        let path = staging.join(parent);
        if !lock(&self.0).folders.contains(parent) {
            std::fs::create_dir_all(&path).map_err(Error::io("create", &path))?;
        }
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
        let fd = rustix::fs::open(&path, flags, Mode::empty())
            .map_err(|e| Error::io("open", &path)(e.into()))?;
        let fd = std::sync::Arc::new(fd);
        let mut made = lock(&self.0);
        made.folders.insert(parent.to_owned());
        if made.open.len() >= HELD_OPEN {
            made.open.remove(0);
        }
        made.open
            .push((parent.to_owned(), std::sync::Arc::clone(&fd)));
        Ok(fd)
    }

    /// Makes the file `rel` (`/`-separated) in `staging` for writing, its folders made.
    #[cfg(not(unix))]
    fn create(&self, staging: &Path, rel: &str) -> Result<std::fs::File> {
        let path = staging.join(rel);
        if let Some((dir, _)) = rel.rsplit_once('/') {
            if !lock(&self.0).folders.contains(dir) {
                let folder = staging.join(dir);
                std::fs::create_dir_all(&folder).map_err(Error::io("create", &folder))?;
                lock(&self.0).folders.insert(dir.to_owned());
            }
        }
        std::fs::File::create(&path).map_err(Error::io("write", &path))
    }
}

/// Writes what `make` writes into `file`; returns its fingerprint.
fn write_file(file: std::fs::File, make: Make<'_>) -> std::io::Result<Fingerprint> {
    // Its blocks are the buffer serde's writes of a few bytes need: no `BufWriter` to copy
    // them once more.
    let mut writer = Fingerprinting::new(file);
    make(&mut writer)?;
    writer.finish()
}

/// What writes a file's bytes as it makes them.
pub type Make<'a> = &'a mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>;

/// An update of a site tolk wrote before.
#[derive(Debug)]
pub struct UpdateInPlace {
    staging: tempfile::TempDir,
    target: PathBuf,
    /// The previous build's files.
    previous: HashMap<String, Fingerprint>,
    /// Every file of this build.
    manifest: Mutex<Vec<(String, Fingerprint)>>,
    /// Files that changed: their path, and their name in the staging folder.
    staged: Mutex<Vec<(String, PathBuf)>>,
    count: AtomicUsize,
    lock: Lock,
}

impl Output {
    /// Starts a build that will replace `target` when committed.
    pub fn disk(target: &Path) -> Result<Output> {
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(Error::io("create", &parent))?;
        let lock = Lock::acquire(target)?;
        recover(target)?;
        remove_abandoned(&parent);
        let prefix = format!(".tolk-build-{}-", std::process::id());
        let staging = tempfile::Builder::new()
            .prefix(&prefix)
            .tempdir_in(&parent)
            .map_err(Error::io("create a staging folder in", &parent))?;
        if let Some(previous) = read_manifest(target) {
            return Ok(Output::Update(Box::new(UpdateInPlace {
                staging,
                target: target.to_owned(),
                previous,
                manifest: Mutex::new(Vec::new()),
                staged: Mutex::new(Vec::new()),
                count: AtomicUsize::new(0),
                lock,
            })));
        }
        Ok(Output::Disk {
            staging,
            target: target.to_owned(),
            manifest: Mutex::new(Vec::new()),
            folders: Folders::default(),
            lock,
        })
    }

    pub fn memory() -> Output {
        Output::Memory(Mutex::new(BTreeMap::new()))
    }

    /// Whether this is the dev server's site in memory.
    pub fn is_memory(&self) -> bool {
        matches!(self, Output::Memory(_))
    }

    /// Writes `bytes` at `rel` (a `/`-separated path inside the output).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        match self {
            Output::Disk {
                staging,
                manifest,
                folders,
                ..
            } => {
                let mut file = folders.create(staging.path(), rel)?;
                file.write_all(bytes)
                    .map_err(|e| Error::io("write", &staging.path().join(rel))(e))?;
                lock(manifest).push((rel.to_owned(), Fingerprint::of(bytes)));
                Ok(())
            }
            Output::Update(update) => update.write(rel, bytes),
            Output::Memory(files) => {
                let mut files = lock(files);
                files.insert(rel.to_owned(), Some(bytes.to_vec()));
                Ok(())
            }
        }
    }

    /// Writes at `rel` what `make` writes, as it writes it: a large file (`status.json` of a
    /// large site) is never whole in memory, except in the memory output.
    pub fn write_with(&self, rel: &str, make: Make<'_>) -> Result<()> {
        match self {
            Output::Disk {
                staging,
                manifest,
                folders,
                ..
            } => {
                let file = folders.create(staging.path(), rel)?;
                let print = write_file(file, make)
                    .map_err(|e| Error::io("write", &staging.path().join(rel))(e))?;
                lock(manifest).push((rel.to_owned(), print));
                Ok(())
            }
            Output::Update(update) => update.write_with(rel, make),
            Output::Memory(_) => {
                let mut bytes = Vec::new();
                make(&mut bytes).map_err(Error::io("make", Path::new(rel)))?;
                self.write(rel, &bytes)
            }
        }
    }

    /// Removes the file at `rel` of an earlier site. Only the memory output, which holds the
    /// changes to an earlier site, records it: a folder is always written whole.
    pub fn remove(&self, rel: &str) -> Result<()> {
        if let Output::Memory(files) = self {
            lock(files).insert(rel.to_owned(), None);
        }
        Ok(())
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
    /// Returns the files written and removed, for the memory mode.
    pub fn commit(self) -> Result<Changes> {
        match self {
            Output::Update(update) => {
                update.commit()?;
                Ok(BTreeMap::new())
            }
            Output::Disk {
                staging,
                target,
                manifest,
                lock,
                ..
            } => {
                let manifest = manifest.into_inner().unwrap_or_else(|p| p.into_inner());
                write_manifest(staging.path(), manifest)?;
                swap(staging, &target)?;
                drop(lock);
                Ok(BTreeMap::new())
            }
            Output::Memory(files) => Ok(files.into_inner().unwrap_or_else(|p| p.into_inner())),
        }
    }
}

impl UpdateInPlace {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let print = Fingerprint::of(bytes);
        lock(&self.manifest).push((rel.to_owned(), print));
        if self.unchanged(rel, print) {
            return Ok(());
        }
        let staged = self.staged_path();
        std::fs::write(&staged, bytes).map_err(Error::io("write", &staged))?;
        lock(&self.staged).push((rel.to_owned(), staged));
        Ok(())
    }

    /// [`Output::write_with`]: the file is made in the staging folder, and removed from it if
    /// the site already has it.
    fn write_with(&self, rel: &str, make: Make<'_>) -> Result<()> {
        let staged = self.staged_path();
        let print = std::fs::File::create(&staged)
            .and_then(|file| write_file(file, make))
            .map_err(Error::io("write", &staged))?;
        lock(&self.manifest).push((rel.to_owned(), print));
        if self.unchanged(rel, print) {
            return std::fs::remove_file(&staged).map_err(Error::io("remove", &staged));
        }
        lock(&self.staged).push((rel.to_owned(), staged));
        Ok(())
    }

    /// Whether the site already has these contents at `rel`.
    fn unchanged(&self, rel: &str, print: Fingerprint) -> bool {
        self.previous.get(rel) == Some(&print)
            && std::fs::symlink_metadata(self.target.join(rel))
                .is_ok_and(|m| m.is_file() && m.len() == print.len)
    }

    /// A new file's place in the staging folder: flat names, so it needs no tree of folders.
    fn staged_path(&self) -> PathBuf {
        let n = self.count.fetch_add(1, Ordering::Relaxed);
        self.staging.path().join(n.to_string())
    }

    /// Renames the changed files into place, removes the files the new site no longer has,
    /// and puts the new manifest last: a manifest never names a file that is not there. The
    /// journal of these steps is written first; an I/O error puts back what was replaced.
    fn commit(self) -> Result<()> {
        let UpdateInPlace {
            staging,
            target,
            previous,
            manifest,
            staged,
            lock,
            ..
        } = self;
        let manifest = manifest.into_inner().unwrap_or_else(|p| p.into_inner());
        let mut staged = staged.into_inner().unwrap_or_else(|p| p.into_inner());
        staged.sort();
        let kept: foldhash::HashSet<&str> = manifest.iter().map(|(rel, _)| rel.as_str()).collect();
        let mut gone: Vec<String> = previous
            .keys()
            .filter(|rel| !kept.contains(rel.as_str()))
            .cloned()
            .collect();
        gone.sort();
        write_manifest(staging.path(), manifest)?;
        let journal = Journal {
            pid: std::process::id(),
            staging: file_name(staging.path()),
            puts: staged
                .iter()
                .map(|(rel, from)| (file_name(from), rel.clone()))
                .collect(),
            dels: gone,
            swap_old: None,
        };
        let journal_path = journal_path(&target);
        journal.write(&journal_path)?;
        // Each replaced file is kept (a hard link, no copy) until every rename succeeded.
        let mut done: Vec<(PathBuf, Option<PathBuf>)> = Vec::with_capacity(staged.len());
        let mut failure = None;
        for (i, (rel, from)) in staged.iter().enumerate() {
            let to = target.join(rel);
            match replace(from, &to, &staging.path().join(format!("old-{i}"))) {
                Ok(backup) => done.push((to, backup)),
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            }
        }
        if let Some(e) = failure {
            let mut restored = true;
            for (to, backup) in done.into_iter().rev() {
                restored &= match backup {
                    Some(backup) => std::fs::rename(&backup, &to).is_ok(),
                    None => std::fs::remove_file(&to).is_ok(),
                };
            }
            if !restored {
                // Some files are new, some old: the next build writes every file again.
                let _ = std::fs::remove_file(target.join(MANIFEST));
            }
            let _ = std::fs::remove_file(&journal_path);
            return Err(e);
        }
        finish_update(&journal, staging.path(), &target);
        let _ = std::fs::remove_file(&journal_path);
        drop(staging);
        drop(lock);
        Ok(())
    }
}

/// Moves `from` to `to`, keeping a hard link to the file it replaces at `backup`.
fn replace(from: &Path, to: &Path, backup: &Path) -> Result<Option<PathBuf>> {
    if let Some(dir) = to.parent() {
        std::fs::create_dir_all(dir).map_err(Error::io("create", dir))?;
    }
    let kept = match std::fs::symlink_metadata(to) {
        Ok(m) if m.is_dir() => {
            remove_tree(to);
            None
        }
        Ok(_) => {
            std::fs::hard_link(to, backup)
                .or_else(|_| std::fs::copy(to, backup).map(|_| ()))
                .map_err(Error::io("keep a copy of", to))?;
            Some(backup.to_owned())
        }
        Err(_) => None,
    };
    std::fs::rename(from, to).map_err(Error::io("write", to))?;
    Ok(kept)
}

/// The removals and the manifest of an update whose renames are done (or, replaying a
/// journal, the renames that were not done yet, then the rest).
fn finish_update(journal: &Journal, staging: &Path, target: &Path) {
    for (name, rel) in &journal.puts {
        let from = staging.join(name);
        if from.exists() {
            let to = target.join(rel);
            if let Some(dir) = to.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            if std::fs::symlink_metadata(&to).is_ok_and(|m| m.is_dir()) {
                remove_tree(&to);
            }
            let _ = std::fs::rename(&from, &to);
        }
    }
    {
        use rayon::prelude::*;
        journal.dels.par_iter().for_each(|rel| {
            let _ = std::fs::remove_file(target.join(rel));
        });
    }
    // Folders the removed files leave empty, deepest first.
    let mut gone: Vec<&String> = journal.dels.iter().collect();
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
    let manifest = staging.join(MANIFEST);
    if manifest.exists() {
        let _ = std::fs::rename(&manifest, target.join(MANIFEST));
    }
}

/// Swaps a complete new site in at `target`: the old one is moved aside, the new one in, and
/// the old one removed only once the new one is in place.
fn swap(staging: tempfile::TempDir, target: &Path) -> Result<()> {
    let parent = staging
        .path()
        .parent()
        .map(Path::to_owned)
        .unwrap_or_default();
    let staged = staging.keep();
    if !target.exists() {
        return std::fs::rename(&staged, target).map_err(|e| {
            let _ = std::fs::remove_dir_all(&staged);
            Error::io("move the new site into", target)(e)
        });
    }
    let old = tempfile::Builder::new()
        .prefix(&format!(".tolk-old-{}-", std::process::id()))
        .tempdir_in(&parent)
        .map_err(Error::io("create a folder in", &parent))?
        .keep();
    let old_site = old.join("site");
    let journal = Journal {
        pid: std::process::id(),
        staging: file_name(&staged),
        swap_old: Some(format!("{}/site", file_name(&old))),
        ..Journal::default()
    };
    let journal_path = journal_path(target);
    journal.write(&journal_path)?;
    let undo = |e: std::io::Error, what: &'static str| {
        let _ = std::fs::remove_dir_all(&staged);
        let _ = std::fs::remove_file(&journal_path);
        Error::io(what, target)(e)
    };
    if let Err(e) = std::fs::rename(target, &old_site) {
        let _ = std::fs::remove_dir(&old);
        return Err(undo(e, "move the previous site away from"));
    }
    if let Err(e) = std::fs::rename(&staged, target) {
        // Put the previous site back so nothing is lost.
        let _ = std::fs::rename(&old_site, target);
        let _ = std::fs::remove_dir(&old);
        return Err(undo(e, "move the new site into"));
    }
    let _ = std::fs::remove_file(&journal_path);
    // The new site is in place; a leftover old copy is only wasted space.
    remove_tree(&old);
    Ok(())
}

/// What a commit is about to do, written before its first rename so that a commit cut short
/// (the process killed, the machine down) is finished by the next build.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct Journal {
    pid: u32,
    /// The staging folder's name, next to the output.
    staging: String,
    /// An update: (name in the staging folder, path in the output) of every changed file.
    #[serde(default)]
    puts: Vec<(String, String)>,
    /// An update: the files the new site no longer has.
    #[serde(default)]
    dels: Vec<String>,
    /// A swap: where the old site was moved, relative to the output's parent.
    #[serde(default)]
    swap_old: Option<String>,
}

impl Journal {
    fn write(&self, path: &Path) -> Result<()> {
        use std::io::Write as _;
        let temp = path.with_extension("tmp");
        let text = serde_json::to_vec(self).unwrap_or_default();
        let mut file = std::fs::File::create(&temp).map_err(Error::io("write", &temp))?;
        file.write_all(&text)
            .and_then(|()| file.sync_all())
            .map_err(Error::io("write", &temp))?;
        std::fs::rename(&temp, path).map_err(Error::io("write", path))
    }

    /// A journal whose names all stay next to the output and paths inside it.
    fn read(path: &Path) -> Option<Journal> {
        let text = std::fs::read(path).ok()?;
        let journal: Journal = serde_json::from_slice(&text).ok()?;
        let own_name = |name: &str| name.starts_with(".tolk-") && !name.contains(['/', '\\']);
        let inside = |rel: &str| {
            !rel.is_empty()
                && !rel.starts_with('/')
                && !rel.split(['/', '\\']).any(|p| p == ".." || p.is_empty())
        };
        let ok = own_name(&journal.staging)
            && journal
                .puts
                .iter()
                .all(|(name, rel)| !name.contains(['/', '\\']) && name != ".." && inside(rel))
            && journal.dels.iter().all(|rel| inside(rel))
            && journal
                .swap_old
                .as_deref()
                .is_none_or(|old| old.strip_suffix("/site").is_some_and(own_name));
        ok.then_some(journal)
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A name next to `target`: `<prefix><target's name>`.
fn beside(target: &Path, prefix: &str) -> PathBuf {
    let mut name = std::ffi::OsString::from(prefix);
    name.push(
        target
            .file_name()
            .unwrap_or_else(|| std::ffi::OsStr::new("public")),
    );
    match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.join(name),
        _ => PathBuf::from(name),
    }
}

fn journal_path(target: &Path) -> PathBuf {
    beside(target, ".tolk-journal-")
}

/// Finishes (or, when the new site never got staged, undoes) a commit that a killed build
/// left behind at `target`. A journal whose build still runs is left alone.
pub fn recover(target: &Path) -> Result<()> {
    let path = journal_path(target);
    if !path.exists() {
        return Ok(());
    }
    let Some(journal) = Journal::read(&path) else {
        return Err(Error::setup(
            format!(
                "{} is not a journal tolk can read; a build was cut short while it committed",
                path.display()
            ),
            format!(
                "remove {} and build again; the next build writes every file",
                path.display()
            ),
        ));
    };
    if journal.pid != std::process::id() && process_runs(journal.pid) {
        return Ok(());
    }
    let parent = path.parent().map(Path::to_owned).unwrap_or_default();
    let staging = parent.join(&journal.staging);
    match &journal.swap_old {
        Some(old) => {
            let old_site = parent.join(old);
            if !target.exists() {
                let back = if staging.exists() {
                    &staging
                } else {
                    &old_site
                };
                std::fs::rename(back, target).map_err(Error::io("finish the commit of", target))?;
            }
            if let Some(old_dir) = old_site.parent() {
                remove_tree(old_dir);
            }
        }
        None => finish_update(&journal, &staging, target),
    }
    remove_tree(&staging);
    std::fs::remove_file(&path).map_err(Error::io("remove", &path))
}

/// Does the process `pid` still run? Without `/proc`, it is taken to.
fn process_runs(pid: u32) -> bool {
    if !Path::new("/proc/self").exists() {
        return true;
    }
    Path::new(&format!("/proc/{pid}")).exists()
}

/// Before a build reads anything: stops when another build writes `target`, and finishes a
/// commit a killed build left.
pub fn prepare(target: &Path) -> Result<()> {
    let lock = Lock::acquire(target)?;
    recover(target)?;
    drop(lock);
    Ok(())
}

/// The lock on an output folder: `.tolk-lock-<name>` next to it, holding the process id.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
}

impl Lock {
    /// Takes the lock on `target`; a lock whose process is gone is taken over.
    pub fn acquire(target: &Path) -> Result<Lock> {
        let path = beside(target, ".tolk-lock-");
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(Error::io("create", &parent))?;
        // The process id is written first, then linked into place: a lock is never empty.
        let temp = parent.join(format!(".tolk-build-{}-lock", std::process::id()));
        std::fs::write(&temp, format!("{}\n", std::process::id()))
            .map_err(Error::io("write", &temp))?;
        let mut result = Err(Error::setup("", ""));
        for _ in 0..2 {
            match std::fs::hard_link(&temp, &path) {
                Ok(()) => {
                    result = Ok(Lock { path: path.clone() });
                    break;
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let holder = std::fs::read_to_string(&path)
                        .ok()
                        .and_then(|t| t.trim().parse::<u32>().ok());
                    match holder {
                        Some(pid) if pid == std::process::id() || !process_runs(pid) => {
                            let _ = std::fs::remove_file(&path);
                        }
                        _ => {
                            let who = holder.map_or_else(
                                || "another tolk build".to_owned(),
                                |pid| format!("another tolk build (process {pid})"),
                            );
                            result = Err(Error::setup(
                                format!("{who} is writing {}", target.display()),
                                format!(
                                    "wait for it to finish; if no build runs, remove {}",
                                    path.display()
                                ),
                            ));
                            break;
                        }
                    }
                }
                Err(e) => {
                    result = Err(Error::io("lock", &path)(e));
                    break;
                }
            }
        }
        let _ = std::fs::remove_file(&temp);
        result
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Why `out` (absolute) must not receive the site whose root is `root` (absolute), beyond the
/// site root and content folders: it is (or holds) the configuration, the theme's templates or
/// UI strings, a git folder, a file, or a folder of files tolk did not write.
pub fn refusal(root: &Path, out: &Path) -> Option<String> {
    let sources = [
        ("tolk.toml", "the site's configuration"),
        ("templates", "the templates folder"),
        ("locales", "the UI strings folder"),
    ];
    for (name, what) in sources {
        let source = root.join(name);
        if out == source {
            return Some(format!("it is {what} ({name})"));
        }
        if out.starts_with(&source) {
            return Some(format!("it is inside {what} ({name})"));
        }
    }
    if out.components().any(|c| c.as_os_str() == ".git") {
        return Some("it is a git folder, or inside one".to_owned());
    }
    let meta = std::fs::symlink_metadata(out).ok()?;
    if !meta.is_dir() {
        return Some("it is a file, not a folder".to_owned());
    }
    if out.join(".git").exists() {
        return Some("it holds a git folder (.git)".to_owned());
    }
    let empty = std::fs::read_dir(out).is_ok_and(|mut entries| entries.next().is_none());
    if !empty && !out.join(MANIFEST).is_file() {
        return Some(format!(
            "it holds files tolk did not write (there is no {MANIFEST}); empty it or choose another folder"
        ));
    }
    None
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
    use rayon::slice::ParallelSliceMut;
    // The last thing a build does, with every core free: 54,000 files at 10,000 x 3 on the
    // bench corpus took 9 ms to sort on one and 7 ms to format with `write!`. Stable: a file
    // written twice keeps its last fingerprint last.
    files.par_sort_by(|a, b| a.0.cmp(&b.0));
    let mut text = Vec::with_capacity(files.len() * 64);
    for (rel, print) in &files {
        push_hex(&mut text, print.hash);
        text.push(b' ');
        text.extend_from_slice(itoa::Buffer::new().format(print.len).as_bytes());
        text.push(b' ');
        text.extend_from_slice(rel.as_bytes());
        text.push(b'\n');
    }
    let path = dir.join(MANIFEST);
    let temp = dir.join(format!("{MANIFEST}.tmp"));
    std::fs::write(&temp, text).map_err(Error::io("write", &temp))?;
    std::fs::rename(&temp, &path).map_err(Error::io("write", &path))
}

/// `n` as 16 lowercase hex digits, as `{:016x}` writes it.
fn push_hex(out: &mut Vec<u8>, n: u64) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    out.extend(
        (0..16)
            .rev()
            .map(|i| DIGITS[((n >> (i * 4)) & 0xf) as usize]),
    );
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
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                remove_tree(&entry.path());
            } else {
                let _ = std::fs::remove_file(entry.path());
            }
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
    fn manifest_lines_are_read_back_and_hashes_written_as_format_does() -> Result<()> {
        for n in [0, 1, 0xabc, u64::MAX, 0x0123_4567_89ab_cdef] {
            let mut hex = Vec::new();
            push_hex(&mut hex, n);
            assert_eq!(String::from_utf8_lossy(&hex), format!("{n:016x}"));
        }
        let dir = tempfile::tempdir().map_err(Error::io("create", Path::new("tmp")))?;
        let print = |bytes: &[u8]| Fingerprint::of(bytes);
        let files = vec![
            ("b/index.html".to_owned(), print(b"b")),
            ("a.html".to_owned(), print(b"first")),
            ("a.html".to_owned(), print(b"written again")),
        ];
        write_manifest(dir.path(), files)?;
        let text = std::fs::read_to_string(dir.path().join(MANIFEST))
            .map_err(Error::io("read", dir.path()))?;
        let paths: Vec<&str> = text.lines().filter_map(|l| l.split(' ').nth(2)).collect();
        assert_eq!(paths, ["a.html", "a.html", "b/index.html"]);
        let read = read_manifest(dir.path()).unwrap_or_default();
        assert_eq!(read.get("a.html"), Some(&print(b"written again")));
        assert_eq!(read.get("b/index.html"), Some(&print(b"b")));
        Ok(())
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
    fn files_land_at_their_paths_from_any_depth_and_in_any_order() -> Result<()> {
        let dir = tempfile::tempdir().map_err(Error::io("create", Path::new("tmp")))?;
        let target = dir.path().join("public");
        let output = Output::disk(&target)?;
        // More parents than are held open, taken in turns, so that some are opened again;
        // files at the top, one folder down and deeper; a folder that is also a parent.
        let mut files = vec![
            "index.html".to_owned(),
            "nl/index.html".to_owned(),
            "nl/a/index.html".to_owned(),
            "nl/a/b/c/d/index.html".to_owned(),
        ];
        for round in 0..3 {
            for parent in 0..(3 * HELD_OPEN) {
                files.push(format!("nl/t-{parent}/p-{round}/index.html"));
                files.push(format!("status/nl/t-{parent}/p-{round}.html"));
            }
        }
        files.push("nl/a/b/page.html".to_owned());
        for (i, rel) in files.iter().enumerate() {
            if i % 2 == 0 {
                output.write(rel, rel.as_bytes())?;
            } else {
                output.write_with(rel, &mut |w| w.write_all(rel.as_bytes()))?;
            }
        }
        output.commit()?;
        for rel in &files {
            let path = target.join(rel);
            let bytes = std::fs::read(&path).map_err(Error::io("read", &path))?;
            assert_eq!(bytes, rel.as_bytes(), "{rel}");
        }
        let manifest = read_manifest(&target).unwrap_or_default();
        assert_eq!(manifest.len(), files.len());
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

    /// A file written as it is made is the file written whole: the same bytes, the same
    /// fingerprint (so the next build knows it unchanged, whichever way it writes it), in
    /// pieces of any size around the hashing blocks.
    #[test]
    fn a_file_written_as_it_is_made_is_the_file_written_whole() -> Result<()> {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().map_err(Error::io("create", Path::new("tmp")))?;
        let target = dir.path().join("public");
        let big: Vec<u8> = (0..3 * BLOCK + 17).map(|i| (i % 251) as u8).collect();
        for size in [0, 1, BLOCK - 1, BLOCK, BLOCK + 1, 3 * BLOCK + 17] {
            let bytes = &big[..size];
            let mut pieces = |out: &mut dyn Write| -> std::io::Result<()> {
                for piece in bytes.chunks(7919) {
                    out.write_all(piece)?;
                }
                Ok(())
            };
            let io = || Error::io("write", Path::new("memory"));
            let mut written = Fingerprinting::new(Vec::new());
            pieces(&mut written).map_err(io())?;
            assert_eq!(written.block.len() as u64 + written.len, size as u64);
            let print = written.finish().map_err(io())?;
            assert_eq!(print, Fingerprint::of(bytes), "{size} bytes");

            let memory = Output::memory();
            memory.write_with("f.json", &mut pieces)?;
            let files = memory.commit()?;
            assert_eq!(files.get("f.json"), Some(&Some(bytes.to_vec())));
        }

        let first = Output::disk(&target)?;
        first.write_with("status.json", &mut |out| out.write_all(&big))?;
        first.write("same.json", &big)?;
        first.commit()?;
        assert_eq!(
            std::fs::read(target.join("status.json")).ok(),
            Some(big.clone())
        );
        let inode = |rel: &str| std::fs::metadata(target.join(rel)).map(|m| m.ino()).ok();
        let kept = (inode("status.json"), inode("same.json"));
        let second = Output::disk(&target)?;
        second.write("status.json", &big)?;
        second.write_with("same.json", &mut |out| out.write_all(&big))?;
        second.write_with("new.json", &mut |out| out.write_all(b"{}"))?;
        second.commit()?;
        assert_eq!(
            (inode("status.json"), inode("same.json")),
            kept,
            "unchanged files are not written again"
        );
        assert_eq!(
            std::fs::read(target.join("new.json")).ok(),
            Some(b"{}".to_vec())
        );
        let manifest = std::fs::read_to_string(target.join(MANIFEST)).unwrap_or_default();
        assert_eq!(manifest.lines().count(), 3, "{manifest}");
        assert_eq!(entries(dir.path())?, ["public"], "no staging file is left");
        Ok(())
    }

    #[test]
    fn an_io_error_mid_commit_puts_every_file_back() -> Result<()> {
        let dir = tempfile::tempdir().map_err(Error::io("create", Path::new("tmp")))?;
        let target = dir.path().join("public");
        let read = |rel: &str| std::fs::read_to_string(target.join(rel)).ok();
        let first = Output::disk(&target)?;
        first.write("a.html", b"old a")?;
        first.write("b.html", b"old b")?;
        first.commit()?;
        // A file where the update needs a folder: the last rename fails.
        std::fs::write(target.join("zzz"), "in the way").map_err(Error::io("write", &target))?;
        let second = Output::disk(&target)?;
        second.write("a.html", b"new a")?;
        second.write("b.html", b"new b")?;
        second.write("zzz/c.html", b"new c")?;
        assert!(second.commit().is_err());
        assert_eq!(read("a.html").as_deref(), Some("old a"));
        assert_eq!(read("b.html").as_deref(), Some("old b"));
        let manifest = read(MANIFEST).unwrap_or_default();
        assert_eq!(
            manifest.lines().count(),
            2,
            "the old manifest stays: {manifest}"
        );
        assert_eq!(
            entries(dir.path())?,
            ["public"],
            "no staging folder, journal or lock is left"
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
        output.remove("gone/index.html")?;
        output.remove("back.html")?;
        output.write("back.html", b"again")?;
        let files = output.commit()?;
        assert_eq!(files.get("x/index.html"), Some(&Some(b"hi".to_vec())));
        assert_eq!(files.get("gone/index.html"), Some(&None));
        assert_eq!(files.get("back.html"), Some(&Some(b"again".to_vec())));
        Ok(())
    }
}
