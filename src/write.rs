//! Writing: rendered files into the output directory, all at once and atomically, or, in
//! check mode, a comparison that writes nothing.
//!
//! Both take files as the run renders them, from any thread ([`Destination`]), so that a
//! large catalogue never holds every rendered file in memory. [`Staging`] writes each
//! changed file to a temporary beside its final path and renames them all into place only
//! when the whole run succeeded; [`Comparison`] diffs each file against the disk.

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::input::{describe, open_regular};
use crate::render::RenderedFile;

/// The output subdirectories connector-gen owns, with the extension of the files it writes
/// there. Files in them that no connector produces are stale; a directory is only looked at
/// when the run writes to it, so that `--target docs` does not call the Rust files stale.
const OWNED_DIRS: &[(&str, &str)] = &[("cyclr", "json"), ("docs", "md"), ("rust", "rs")];

/// What a write did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WriteReport {
    /// Files created or replaced.
    pub written: Vec<PathBuf>,
    /// Files that already held exactly these bytes and were left untouched.
    pub unchanged: Vec<PathBuf>,
    /// Files in the owned directories that no connector produces any more.
    pub stale: Vec<PathBuf>,
}

/// A difference between the output directory and what generation would write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drift {
    /// The file should exist but does not.
    Missing(PathBuf),
    /// The file exists with other contents; holds a unified diff from the file to the
    /// expected contents.
    Changed(PathBuf, String),
    /// The file exists but no connector produces it.
    Stale(PathBuf),
}

/// Where a run hands each rendered file, from whichever thread rendered it.
pub trait Destination: Sync {
    /// Takes one rendered file.
    fn accept(&self, file: RenderedFile) -> io::Result<()>;
}

/// Writes `files` below `out` at once; see [`Staging`].
pub fn write_all(out: &Path, files: &[RenderedFile]) -> io::Result<WriteReport> {
    let staging = Staging::new(out)?;
    for file in files {
        staging.accept(file.clone())?;
    }
    staging.commit()
}

/// Compares `files` with what is below `out`, writing nothing; see [`Comparison`].
pub fn check(out: &Path, files: &[RenderedFile]) -> io::Result<Vec<Drift>> {
    let comparison = Comparison::new(out);
    for file in files {
        comparison.accept(file.clone())?;
    }
    comparison.finish()
}

/// Files staged for an all-or-nothing write below one output directory.
///
/// [`Staging::new`] locks the output directory (`OUT/.connector-gen.lock`), so that two runs
/// never write to one directory at once, and clears the temporaries a killed run left.
/// [`Destination::accept`] leaves a file that already holds the same bytes untouched (so
/// build tools see no change) and writes any other to a hidden temporary file in its own
/// directory, created new (never through an existing file or link). [`Staging::commit`]
/// checks every destination, then renames the temporaries into place, putting back what it
/// renamed if a later rename fails; dropping the staging without committing removes them,
/// so a failed run changes nothing. A run killed part-way leaves only complete files and
/// hidden temporaries, which the next run clears.
///
/// Nothing is written through a symbolic link: a link at a destination is replaced by the
/// rename (its target is untouched), and a link (or a file) where an output directory
/// should be is an error.
///
/// Files are not flushed to disk one by one (`fsync`): the outputs can always be generated
/// again, and a rename is atomic for every process that reads the directory.
pub struct Staging {
    out: PathBuf,
    state: Mutex<Staged>,
    committed: bool,
    lock: Option<OutputLock>,
}

#[derive(Default)]
struct Staged {
    /// Every path the run produces.
    expected: Vec<PathBuf>,
    unchanged: Vec<PathBuf>,
    /// (temporary, final path) of each file to replace.
    renames: Vec<(PathBuf, PathBuf)>,
    /// Directories known to exist, so each is looked at once.
    directories: BTreeSet<PathBuf>,
    /// Directories this staging created, parents first: a failed run removes them again.
    created: Vec<PathBuf>,
}

impl Staging {
    /// Starts staging below `out`: creates it if needed, locks it against other runs and
    /// clears temporaries that a killed run left behind.
    pub fn new(out: &Path) -> io::Result<Self> {
        let mut staging = Self {
            out: out.to_path_buf(),
            state: Mutex::default(),
            committed: false,
            lock: None,
        };
        // The output directory itself is the user's choice and may be reached through links.
        let missing: Vec<PathBuf> = out
            .ancestors()
            .take_while(|ancestor| !ancestor.as_os_str().is_empty() && !ancestor.is_dir())
            .map(Path::to_path_buf)
            .collect();
        fs::create_dir_all(out)?;
        lock(&staging.state)
            .created
            .extend(missing.into_iter().rev());
        // On an error below, dropping `staging` removes the directories it made.
        staging.lock = Some(OutputLock::acquire(out)?);
        remove_leftover_temporaries(out)?;
        Ok(staging)
    }

    /// Checks every destination, renames every staged file into place and reports what
    /// changed. If any rename fails, the ones made are undone and nothing changes.
    pub fn commit(mut self) -> io::Result<WriteReport> {
        let (renames, expected, mut unchanged) = {
            let mut state = lock(&self.state);
            (
                std::mem::take(&mut state.renames),
                std::mem::take(&mut state.expected),
                std::mem::take(&mut state.unchanged),
            )
        };
        // On an error, dropping `self` removes the directories this run made.
        let mut written = commit_renames(&renames, &mut |from, to| fs::rename(from, to))?;
        self.committed = true;
        written.sort();
        unchanged.sort();
        Ok(WriteReport {
            written,
            unchanged,
            stale: stale_files(&self.out, &expected)?,
        })
    }
}

impl Destination for Staging {
    fn accept(&self, file: RenderedFile) -> io::Result<()> {
        let path = self.out.join(&file.path);
        lock(&self.state).expected.push(path.clone());
        self.ensure_directory(path.parent().unwrap_or(Path::new(".")))?;
        if existing(&path)?.is_some_and(|existing| existing == file.contents.as_bytes()) {
            lock(&self.state).unchanged.push(path);
            return Ok(());
        }
        let temporary = write_temporary(&path, file.contents.as_bytes())?;
        lock(&self.state).renames.push((temporary, path));
        Ok(())
    }
}

impl Staging {
    /// Creates `dir` and its missing parents below the output directory, remembering which
    /// ones it created, and clears leftover temporaries in it. A symbolic link or a file
    /// where a directory should be is an error: nothing is written through a link.
    fn ensure_directory(&self, dir: &Path) -> io::Result<()> {
        let mut state = lock(&self.state);
        if state.directories.contains(dir) {
            return Ok(());
        }
        let Ok(below) = dir.strip_prefix(&self.out) else {
            return Err(io::Error::other(format!(
                "`{}` is outside the output directory `{}`; connector-gen writes only below --out",
                dir.display(),
                self.out.display()
            )));
        };
        let mut current = self.out.clone();
        for component in below.components() {
            current.push(component);
            match directory_at(&current)? {
                true => {}
                false => {
                    fs::create_dir(&current)?;
                    state.created.push(current.clone());
                }
            }
        }
        // A killed run may have left temporaries here (`crates/<id>/src/` as much as `rust/`).
        remove_temporaries_in(dir)?;
        state.directories.insert(dir.to_path_buf());
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let state = lock(&self.state);
            for (temporary, _) in &state.renames {
                let _ = fs::remove_file(temporary);
            }
            // The lock file goes before the directories, which may hold it.
            drop(self.lock.take());
            // Children before parents; a directory something else wrote to stays.
            for dir in state.created.iter().rev() {
                let _ = fs::remove_dir(dir);
            }
        }
    }
}

/// Whether a directory is at `path` (`false`: nothing is). A symbolic link or anything but
/// a directory there is an error naming it, since writing below it could leave --out.
fn directory_at(path: &Path) -> io::Result<bool> {
    match fs::symlink_metadata(path) {
        Ok(metadata) if metadata.is_dir() => Ok(true),
        Ok(metadata) if metadata.file_type().is_symlink() => Err(io::Error::other(format!(
            "`{}` is a symbolic link where connector-gen writes a directory of outputs; it \
             never writes through links (they can lead outside --out): replace the link with \
             a directory, or remove it and connector-gen creates one",
            path.display()
        ))),
        Ok(metadata) => Err(io::Error::other(format!(
            "`{}` is {} where connector-gen writes a directory of outputs; move it away",
            path.display(),
            describe(metadata.file_type())
        ))),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(error) => Err(error),
    }
}

/// The bytes of the regular file at `path`, or `None` if there is none or a symbolic link
/// is there (a link is replaced, never read through). Anything else there (a directory, a
/// pipe, a device) is an error naming the path; nothing that is not a regular file is read.
fn existing(path: &Path) -> io::Result<Option<Vec<u8>>> {
    let metadata = match fs::symlink_metadata(path) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(error),
    };
    let kind = metadata.file_type();
    if kind.is_symlink() {
        return Ok(None);
    }
    if !kind.is_file() {
        return Err(not_an_output_file(path, kind));
    }
    let mut bytes = Vec::new();
    open_regular(path)?.read_to_end(&mut bytes)?;
    Ok(Some(bytes))
}

/// The error for something other than a file or link at an output file's path.
fn not_an_output_file(path: &Path, kind: fs::FileType) -> io::Error {
    io::Error::other(format!(
        "`{}` is {}, where connector-gen writes a generated file; move it away (nothing was \
         written)",
        path.display(),
        describe(kind)
    ))
}

/// Renames each `(temporary, destination)` pair with `rename`, all or nothing.
///
/// Every destination is checked first (a directory or special file there is an error and
/// nothing is renamed) and an existing file or link there is kept under a hard link, so
/// that if a rename fails the ones already made are undone and the previous files are back.
/// Every temporary and backup is removed before returning.
fn commit_renames(
    renames: &[(PathBuf, PathBuf)],
    rename: &mut dyn FnMut(&Path, &Path) -> io::Result<()>,
) -> io::Result<Vec<PathBuf>> {
    let remove_all = |backups: &[Option<PathBuf>], from: usize| {
        for (temporary, _) in &renames[from..] {
            let _ = fs::remove_file(temporary);
        }
        for backup in backups.iter().flatten() {
            let _ = fs::remove_file(backup);
        }
    };
    let mut backups: Vec<Option<PathBuf>> = Vec::with_capacity(renames.len());
    for (_, path) in renames {
        match backup(path) {
            Ok(backup) => backups.push(backup),
            Err(error) => {
                remove_all(&backups, 0);
                return Err(error);
            }
        }
    }
    for (done, (temporary, path)) in renames.iter().enumerate() {
        if let Err(error) = rename(temporary, path) {
            let mut unrestored = Vec::new();
            for ((_, path), backup) in renames[..done].iter().zip(&backups).rev() {
                let restored = match backup {
                    Some(backup) => fs::rename(backup, path),
                    None => fs::remove_file(path),
                };
                if restored.is_err() {
                    unrestored.push((path.clone(), backup.clone()));
                }
            }
            let kept: BTreeSet<&PathBuf> =
                unrestored.iter().filter_map(|(_, b)| b.as_ref()).collect();
            remove_all(
                &backups
                    .iter()
                    .map(|b| b.clone().filter(|b| !kept.contains(b)))
                    .collect::<Vec<_>>(),
                done,
            );
            let mut message = format!(
                "cannot put `{}` in place: {error}; every output renamed before it was put back, \
                 so no output changed",
                path.display()
            );
            if !unrestored.is_empty() {
                message = format!("cannot put `{}` in place: {error}", path.display());
                for (path, backup) in &unrestored {
                    match backup {
                        Some(backup) => message.push_str(&format!(
                            "; `{}` could not be put back: its previous contents are in `{}`, \
                             move that file back by hand",
                            path.display(),
                            backup.display()
                        )),
                        None => message.push_str(&format!(
                            "; `{}` is new and could not be removed again",
                            path.display()
                        )),
                    }
                }
            }
            return Err(io::Error::new(error.kind(), message));
        }
    }
    remove_all(&backups, renames.len());
    Ok(renames.iter().map(|(_, path)| path.clone()).collect())
}

/// Keeps what is at `path` (a regular file or a symbolic link) under a hidden hard link
/// beside it, so that it can be put back; `None` if nothing is there. Anything else at
/// `path` is an error naming it.
fn backup(path: &Path) -> io::Result<Option<PathBuf>> {
    let kind = match fs::symlink_metadata(path) {
        Ok(metadata) => metadata.file_type(),
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(error),
    };
    if !kind.is_file() && !kind.is_symlink() {
        return Err(not_an_output_file(path, kind));
    }
    loop {
        let backup = temporary_name(path);
        // `hard_link` links a symbolic link itself, and never replaces an existing name.
        match fs::hard_link(path, &backup) {
            Ok(()) => return Ok(Some(backup)),
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(_) if kind.is_file() => {
                // A file system without hard links: keep a copy instead.
                let mut contents = Vec::new();
                open_regular(path)?.read_to_end(&mut contents)?;
                return write_temporary(path, &contents).map(Some);
            }
            Err(error) => {
                return Err(io::Error::new(
                    error.kind(),
                    format!(
                        "cannot keep the link `{}` to put it back if the write fails: {error}; \
                         remove the link and run again",
                        path.display()
                    ),
                ));
            }
        }
    }
}

/// A lock on an output directory held for a whole run: `OUT/.connector-gen.lock`, locked
/// with the operating system's advisory file lock (released when the process ends, however
/// it ends) and removed when the run is over.
struct OutputLock {
    path: PathBuf,
    file: fs::File,
}

impl OutputLock {
    fn acquire(out: &Path) -> io::Result<Self> {
        let path = out.join(LOCK_FILE);
        let busy = || {
            io::Error::new(
                io::ErrorKind::WouldBlock,
                format!(
                    "another connector-gen is writing to `{}` (it holds `{}`); wait for it to \
                     finish and run again, or write to another --out",
                    out.display(),
                    path.display()
                ),
            )
        };
        for _ in 0..8 {
            if let Some(metadata) = fs::symlink_metadata(&path)
                .ok()
                .filter(|metadata| !metadata.is_file())
            {
                return Err(io::Error::other(format!(
                    "`{}` is {}, where connector-gen keeps its lock file; remove it",
                    path.display(),
                    describe(metadata.file_type())
                )));
            }
            let file = fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)?;
            // An exclusive advisory lock (flock on Unix), which goes with the process.
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => return Err(busy()),
                Err(fs::TryLockError::Error(error)) => return Err(error),
            }
            // The run that held the lock removes the file before releasing it: if this is
            // no longer the file at `path`, lock the one that is.
            if same_file(&file, &path) {
                let mut lock = Self { path, file };
                lock.file.set_len(0)?;
                writeln!(lock.file, "{}", std::process::id())?;
                return Ok(lock);
            }
        }
        Err(busy())
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Removed while still locked, so no other run can have locked this file.
        if same_file(&self.file, &self.path) {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// Whether `file` is the file at `path` (not a link, and not since replaced).
fn same_file(file: &fs::File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), fs::symlink_metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        fs::symlink_metadata(path).is_ok_and(|m| m.is_file())
    }
}

/// The name of the lock file in the output directory; no output has it.
pub const LOCK_FILE: &str = ".connector-gen.lock";

/// A comparison of rendered files with an output directory, writing nothing.
pub struct Comparison {
    out: PathBuf,
    state: Mutex<Compared>,
}

#[derive(Default)]
struct Compared {
    expected: Vec<PathBuf>,
    drift: Vec<Drift>,
}

impl Comparison {
    /// Starts comparing with what is below `out`.
    pub fn new(out: &Path) -> Self {
        Self {
            out: out.to_path_buf(),
            state: Mutex::default(),
        }
    }

    /// Every difference found, by path, stale files last.
    pub fn finish(self) -> io::Result<Vec<Drift>> {
        let Compared {
            expected,
            mut drift,
        } = self.state.into_inner().unwrap_or_else(|e| e.into_inner());
        drift.sort_by(|a, b| drift_path(a).cmp(drift_path(b)));
        drift.extend(
            stale_files(&self.out, &expected)?
                .into_iter()
                .map(Drift::Stale),
        );
        Ok(drift)
    }

    /// How many files were compared.
    pub fn compared(&self) -> usize {
        lock(&self.state).expected.len()
    }
}

impl Destination for Comparison {
    fn accept(&self, file: RenderedFile) -> io::Result<()> {
        let path = self.out.join(&file.path);
        // Never read through a link below --out: a diff would show the target's lines.
        if let Some(below) = path
            .parent()
            .and_then(|dir| dir.strip_prefix(&self.out).ok())
        {
            let mut current = self.out.clone();
            for component in below.components() {
                current.push(component);
                if !directory_at(&current)? {
                    break;
                }
            }
        }
        let is_link = fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
        let drift = match existing(&path)? {
            Some(existing) if existing == file.contents.as_bytes() => None,
            Some(existing) => {
                let existing = String::from_utf8_lossy(&existing);
                let diff = similar::TextDiff::from_lines(existing.as_ref(), file.contents.as_str())
                    .unified_diff()
                    .context_radius(2)
                    .header(
                        &format!("{} (on disk)", path.display()),
                        &format!("{} (generated)", path.display()),
                    )
                    .to_string();
                Some(Drift::Changed(path.clone(), diff))
            }
            None if is_link => Some(Drift::Changed(
                path.clone(),
                format!(
                    "`{}` is a symbolic link (not followed); generating replaces it with the file\n",
                    path.display()
                ),
            )),
            None => Some(Drift::Missing(path.clone())),
        };
        let mut state = lock(&self.state);
        state.expected.push(path);
        state.drift.extend(drift);
        Ok(())
    }
}

fn drift_path(drift: &Drift) -> &Path {
    match drift {
        Drift::Missing(path) | Drift::Changed(path, _) | Drift::Stale(path) => path,
    }
}

/// Locks `mutex`, also after another thread panicked holding it (the lists stay valid).
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// A fresh name for a hidden temporary beside `path`: `.<name>.<pid>-<n>.connector-gen.tmp`.
fn temporary_name(path: &Path) -> PathBuf {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dir.join(format!(
        ".{name}.{}-{}{TEMPORARY_SUFFIX}",
        std::process::id(),
        NEXT_TEMPORARY.fetch_add(1, Ordering::Relaxed)
    ))
}

/// The number in the next temporary's name.
static NEXT_TEMPORARY: AtomicUsize = AtomicUsize::new(0);

/// Writes one file whole: `contents` go to a new temporary beside `path`, which is then
/// renamed over it, so that `path` holds the old bytes or the new ones, never a part.
pub fn replace_file(path: &Path, contents: &[u8]) -> io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir)?;
    }
    let temporary = write_temporary(path, contents)?;
    fs::rename(&temporary, path).inspect_err(|_| {
        let _ = fs::remove_file(&temporary);
    })
}

/// Writes `contents` to a new hidden temporary beside `path`; returns the temporary's path.
/// The temporary is created new (`O_EXCL`): an existing file or symbolic link of that name
/// is never opened or written through; another name is taken instead.
fn write_temporary(path: &Path, contents: &[u8]) -> io::Result<PathBuf> {
    loop {
        let temporary = temporary_name(path);
        let mut file = match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)
        {
            Ok(file) => file,
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(error) => return Err(error),
        };
        return match file.write_all(contents) {
            Ok(()) => Ok(temporary),
            Err(error) => {
                let _ = fs::remove_file(&temporary);
                Err(error)
            }
        };
    }
}

/// The end of a temporary file's name: `.<name>.<pid>-<n>.connector-gen.tmp`.
const TEMPORARY_SUFFIX: &str = ".connector-gen.tmp";

/// Removes temporary files that a killed run left in the directories runs write to: the
/// owned directories and each crate's directory and `src/`, whether or not this run writes
/// there (the directories it does write to are cleared as they are reached, too). They are
/// never mistaken for outputs (their names start with a dot), but they should not pile up.
/// Only called with the output directory locked, so no live run's temporaries are there.
fn remove_leftover_temporaries(out: &Path) -> io::Result<()> {
    for (dir, _) in OWNED_DIRS {
        remove_temporaries_in(&out.join(dir))?;
    }
    let crates = out.join("crates");
    if fs::symlink_metadata(&crates).is_ok_and(|m| m.is_dir()) {
        for entry in fs::read_dir(&crates)? {
            let entry = entry?;
            if entry.file_type()?.is_dir() {
                remove_temporaries_in(&entry.path())?;
                remove_temporaries_in(&entry.path().join("src"))?;
            }
        }
    }
    Ok(())
}

/// Removes the temporaries (files or links named like them) in `dir`, if it is a directory
/// and not a symbolic link.
fn remove_temporaries_in(dir: &Path) -> io::Result<()> {
    if !fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir()) {
        return Ok(());
    }
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') && name.ends_with(TEMPORARY_SUFFIX) && !entry.file_type()?.is_dir()
        {
            fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

/// Files in the owned directories that the run writes to but produces no longer.
fn stale_files(out: &Path, expected: &[PathBuf]) -> io::Result<Vec<PathBuf>> {
    let expected: BTreeSet<&PathBuf> = expected.iter().collect();
    let mut stale = Vec::new();
    for (dir, extension) in OWNED_DIRS {
        let dir = out.join(dir);
        if !expected.iter().any(|path| path.starts_with(&dir))
            || !fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir())
        {
            continue;
        }
        for entry in fs::read_dir(&dir)? {
            let path = entry?.path();
            let ours = path.extension().is_some_and(|e| e == *extension)
                && !path
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            if ours && !expected.contains(&path) {
                stale.push(path);
            }
        }
    }
    stale.sort();
    Ok(stale)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("connector-gen-write-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn rendered(path: &str, contents: &str) -> RenderedFile {
        RenderedFile {
            path: PathBuf::from(path),
            contents: contents.to_owned(),
        }
    }

    /// Every name below `dir`, relative.
    fn names(dir: &Path) -> Vec<String> {
        let mut names = Vec::new();
        let mut pending = vec![dir.to_path_buf()];
        while let Some(current) = pending.pop() {
            for entry in fs::read_dir(&current).unwrap() {
                let path = entry.unwrap().path();
                names.push(path.strip_prefix(dir).unwrap().display().to_string());
                if path.is_dir() {
                    pending.push(path);
                }
            }
        }
        names.sort();
        names
    }

    #[test]
    fn a_failed_rename_puts_back_every_file_renamed_before_it() {
        let out = scratch("rollback");
        let staging = Staging::new(&out).unwrap();
        fs::create_dir_all(out.join("cyclr")).unwrap();
        fs::write(out.join("cyclr/a.json"), "old a").unwrap();
        for file in [
            rendered("cyclr/a.json", "new a"),
            rendered("cyclr/b.json", "new b"),
            rendered("docs/c.md", "new c"),
        ] {
            staging.accept(file).unwrap();
        }
        let renames = std::mem::take(&mut lock(&staging.state).renames);
        let mut calls = 0;
        let error = commit_renames(&renames, &mut |from, to| {
            calls += 1;
            if calls == 3 {
                Err(io::Error::other("injected failure"))
            } else {
                fs::rename(from, to)
            }
        })
        .unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains("c.md` in place: injected failure")
                && message.contains("no output changed"),
            "{message}"
        );
        assert_eq!(
            fs::read_to_string(out.join("cyclr/a.json")).unwrap(),
            "old a"
        );
        assert!(!out.join("cyclr/b.json").exists());
        drop(staging);
        // No temporary, backup or lock file is left, and the directory the run made is gone.
        assert_eq!(names(&out), ["cyclr", "cyclr/a.json"]);
        let _ = fs::remove_dir_all(&out);
    }

    #[test]
    fn a_directory_at_a_destination_at_commit_time_renames_nothing() {
        let out = scratch("precheck");
        fs::create_dir_all(out.join("cyclr")).unwrap();
        fs::write(out.join("cyclr/a.json"), "old a").unwrap();
        let staging = Staging::new(&out).unwrap();
        staging.accept(rendered("cyclr/a.json", "new a")).unwrap();
        staging.accept(rendered("rust/b.rs", "new b")).unwrap();
        // Appears between staging and commit.
        fs::create_dir_all(out.join("rust/b.rs")).unwrap();
        let message = staging.commit().unwrap_err().to_string();
        assert!(
            message.contains("b.rs` is a directory, not a regular file, where connector-gen writes a generated file"),
            "{message}"
        );
        assert_eq!(
            fs::read_to_string(out.join("cyclr/a.json")).unwrap(),
            "old a"
        );
        assert_eq!(names(&out), ["cyclr", "cyclr/a.json", "rust", "rust/b.rs"]);
        let _ = fs::remove_dir_all(&out);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_at_a_destination_is_replaced_not_written_through() {
        let out = scratch("link-destination");
        let target = out.join("target.txt");
        fs::write(&target, "keep").unwrap();
        fs::create_dir_all(out.join("docs")).unwrap();
        std::os::unix::fs::symlink(&target, out.join("docs/a.md")).unwrap();
        let report = write_all(&out, &[rendered("docs/a.md", "new")]).unwrap();
        assert_eq!(report.written, [out.join("docs/a.md")]);
        assert_eq!(fs::read_to_string(&target).unwrap(), "keep");
        assert!(
            fs::symlink_metadata(out.join("docs/a.md"))
                .unwrap()
                .is_file()
        );
        assert_eq!(fs::read_to_string(out.join("docs/a.md")).unwrap(), "new");
        let _ = fs::remove_dir_all(&out);
    }

    #[cfg(unix)]
    #[test]
    fn a_temporary_name_taken_by_a_link_is_never_written_through() {
        let dir = scratch("temporary-link");
        let target = dir.join("target.txt");
        fs::write(&target, "keep").unwrap();
        let path = dir.join("a.rs");
        // Plant links at the next few names the temporaries would take.
        let next = NEXT_TEMPORARY.load(Ordering::Relaxed);
        for n in next..next + 64 {
            let name = format!(".a.rs.{}-{n}{TEMPORARY_SUFFIX}", std::process::id());
            let _ = std::os::unix::fs::symlink(&target, dir.join(name));
        }
        let temporary = write_temporary(&path, b"new").unwrap();
        assert!(fs::symlink_metadata(&temporary).unwrap().is_file());
        assert_eq!(fs::read_to_string(&target).unwrap(), "keep");
        let _ = fs::remove_dir_all(&dir);
    }
}
