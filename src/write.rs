//! Writing: rendered files into the output directory, all at once and atomically, or, in
//! check mode, a comparison that writes nothing.
//!
//! Both take files as the run renders them, from any thread ([`Destination`]), so that a
//! large catalogue never holds every rendered file in memory. [`Staging`] writes each
//! changed file to a temporary beside its final path and renames them all into place only
//! when the whole run succeeded; [`Comparison`] diffs each file against the disk.

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

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
/// [`Destination::accept`] leaves a file that already holds the same bytes untouched (so
/// build tools see no change) and writes any other to a hidden temporary file in its own
/// directory. [`Staging::commit`] renames the temporaries into place; dropping the staging
/// without committing removes them, so a failed run changes nothing. A run killed part-way
/// leaves only complete files and hidden temporaries, which the next run clears.
///
/// Files are not flushed to disk one by one (`fsync`): the outputs can always be generated
/// again, and a rename is atomic for every process that reads the directory.
pub struct Staging {
    out: PathBuf,
    state: Mutex<Staged>,
    committed: bool,
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
    /// Starts staging below `out`, clearing temporaries that a killed run left behind.
    pub fn new(out: &Path) -> io::Result<Self> {
        remove_leftover_temporaries(out)?;
        Ok(Self {
            out: out.to_path_buf(),
            state: Mutex::default(),
            committed: false,
        })
    }

    /// Renames every staged file into place and reports what changed.
    pub fn commit(mut self) -> io::Result<WriteReport> {
        let staged = std::mem::take(&mut *lock(&self.state));
        let mut written = Vec::with_capacity(staged.renames.len());
        let mut renames = staged.renames.into_iter();
        for (temporary, path) in renames.by_ref() {
            if let Err(error) = fs::rename(&temporary, &path) {
                let _ = fs::remove_file(&temporary);
                for (temporary, _) in renames {
                    let _ = fs::remove_file(&temporary);
                }
                return Err(error);
            }
            written.push(path);
        }
        self.committed = true;
        let mut unchanged = staged.unchanged;
        written.sort();
        unchanged.sort();
        Ok(WriteReport {
            written,
            unchanged,
            stale: stale_files(&self.out, &staged.expected)?,
        })
    }
}

impl Destination for Staging {
    fn accept(&self, file: RenderedFile) -> io::Result<()> {
        let path = self.out.join(&file.path);
        lock(&self.state).expected.push(path.clone());
        if fs::read(&path).is_ok_and(|existing| existing == file.contents.as_bytes()) {
            lock(&self.state).unchanged.push(path);
            return Ok(());
        }
        self.ensure_directory(path.parent().unwrap_or(Path::new(".")))?;
        let temporary = write_temporary(&path, file.contents.as_bytes())?;
        lock(&self.state).renames.push((temporary, path));
        Ok(())
    }
}

impl Staging {
    /// Creates `dir` and its missing parents, remembering which ones it created.
    fn ensure_directory(&self, dir: &Path) -> io::Result<()> {
        let mut state = lock(&self.state);
        if state.directories.contains(dir) {
            return Ok(());
        }
        let missing: Vec<PathBuf> = dir
            .ancestors()
            .take_while(|ancestor| !ancestor.as_os_str().is_empty() && !ancestor.is_dir())
            .map(Path::to_path_buf)
            .collect();
        fs::create_dir_all(dir)?;
        state.created.extend(missing.into_iter().rev());
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
            // Children before parents; a directory something else wrote to stays.
            for dir in state.created.iter().rev() {
                let _ = fs::remove_dir(dir);
            }
        }
    }
}

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
        let drift = match fs::read(&path) {
            Ok(existing) if existing == file.contents.as_bytes() => None,
            Ok(existing) => {
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
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                Some(Drift::Missing(path.clone()))
            }
            Err(error) => return Err(error),
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

/// Writes `contents` to a new hidden temporary beside `path`; returns the temporary's path.
fn write_temporary(path: &Path, contents: &[u8]) -> io::Result<PathBuf> {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = dir.join(format!(
        ".{name}.{}-{}{TEMPORARY_SUFFIX}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let result = fs::File::create(&temporary).and_then(|mut file| file.write_all(contents));
    match result {
        Ok(()) => Ok(temporary),
        Err(error) => {
            let _ = fs::remove_file(&temporary);
            Err(error)
        }
    }
}

/// The end of a temporary file's name: `.<name>.<pid>-<n>.connector-gen.tmp`.
const TEMPORARY_SUFFIX: &str = ".connector-gen.tmp";

/// Removes temporary files that a killed run left in the owned directories. They are never
/// mistaken for outputs (their names start with a dot), but they should not pile up.
fn remove_leftover_temporaries(out: &Path) -> io::Result<()> {
    for (dir, _) in OWNED_DIRS {
        let entries = match fs::read_dir(out.join(dir)) {
            Ok(entries) => entries,
            Err(error) if error.kind() == io::ErrorKind::NotFound => continue,
            Err(error) => return Err(error),
        };
        for entry in entries {
            let path = entry?.path();
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if name.starts_with('.') && name.ends_with(TEMPORARY_SUFFIX) {
                fs::remove_file(&path)?;
            }
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
        if !expected.iter().any(|path| path.starts_with(&dir)) {
            continue;
        }
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(error) if error.kind() == io::ErrorKind::NotFound => continue,
            Err(error) => return Err(error),
        };
        for entry in entries {
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
