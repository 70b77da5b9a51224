//! Writing: rendered files into the output directory, all at once and atomically, or, in
//! check mode, a comparison that writes nothing.

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

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

/// Writes `files` below `out`. Each file is written to a temporary file in its own
/// directory and renamed into place, so a crash never leaves a partial file; a file that
/// already holds the same bytes is not touched, so build tools see no change.
pub fn write_all(out: &Path, files: &[RenderedFile]) -> io::Result<WriteReport> {
    remove_leftover_temporaries(out)?;
    let mut report = WriteReport::default();
    for file in files {
        let path = out.join(&file.path);
        if fs::read(&path).is_ok_and(|existing| existing == file.contents.as_bytes()) {
            report.unchanged.push(path);
            continue;
        }
        write_atomically(&path, file.contents.as_bytes())?;
        report.written.push(path);
    }
    report.stale = stale_files(out, files)?;
    Ok(report)
}

/// Compares `files` with what is below `out`, writing nothing.
pub fn check(out: &Path, files: &[RenderedFile]) -> io::Result<Vec<Drift>> {
    let mut drift = Vec::new();
    for file in files {
        let path = out.join(&file.path);
        match fs::read(&path) {
            Ok(existing) if existing == file.contents.as_bytes() => {}
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
                drift.push(Drift::Changed(path, diff));
            }
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                drift.push(Drift::Missing(path))
            }
            Err(error) => return Err(error),
        }
    }
    drift.extend(stale_files(out, files)?.into_iter().map(Drift::Stale));
    Ok(drift)
}

fn write_atomically(path: &Path, contents: &[u8]) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = dir.join(format!(".{name}.{}{TEMPORARY_SUFFIX}", std::process::id()));
    let result = (|| {
        let mut file = fs::File::create(&temporary)?;
        file.write_all(contents)?;
        file.sync_all()?;
        fs::rename(&temporary, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    result
}

/// The end of a temporary file's name: `.<name>.<pid>.connector-gen.tmp`.
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

fn stale_files(out: &Path, files: &[RenderedFile]) -> io::Result<Vec<PathBuf>> {
    let expected: BTreeSet<PathBuf> = files.iter().map(|f| out.join(&f.path)).collect();
    let mut stale = Vec::new();
    for (dir, extension) in OWNED_DIRS
        .iter()
        .filter(|(dir, _)| files.iter().any(|f| f.path.starts_with(dir)))
    {
        let dir = out.join(dir);
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
