//! The inputs of a run: finding the definition files (a directory's `*.yaml`), naming them
//! the way diagnostics and "generated from" headers show them, and reading each as UTF-8
//! text within the size limit. Nothing here parses a definition.

use std::fs;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use crate::diagnostics::{Code, Diagnostic, FileId};
use crate::load::MAX_FILE_BYTES;

/// One definition to process: a file, or a text held in memory.
pub(crate) struct Job<'a> {
    pub(crate) file: FileId,
    pub(crate) name: String,
    pub(crate) origin: Origin<'a>,
}

#[derive(Clone, Copy)]
pub(crate) enum Origin<'a> {
    File(&'a Path),
    Text(&'a str),
}

impl Job<'_> {
    /// The definition's text, without a byte-order mark.
    pub(crate) fn read(&self) -> Result<String, Unreadable> {
        let text = match self.origin {
            Origin::File(path) => read_definition(path, &self.name, self.file)?,
            Origin::Text(text) => text.to_owned(),
        };
        Ok(match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_owned(),
            None => text,
        })
    }
}

/// Expands directories into their `*.yaml` files, sorted; reports paths that do not exist.
///
/// Inside a directory only regular files are taken: a symbolic link is never followed (it
/// could point anywhere, and diagnostics quote the lines they are about) and neither it nor
/// any other special file is read; each is reported with a warning, and so are entries that
/// look meant as definitions but are not read (subdirectories, upper-case `.YAML`). A path
/// named on the command line may be a symbolic link to a regular file. A file named twice
/// (`a.yaml ./a.yaml`, or through a directory and by name) is read once, where it is first
/// named.
pub(crate) fn discover(inputs: &[PathBuf], diagnostics: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let files = discover_all(inputs, diagnostics);
    let mut seen = std::collections::HashSet::new();
    files
        .into_iter()
        .filter(|path| seen.insert(fs::canonicalize(path).unwrap_or_else(|_| path.clone())))
        .collect()
}

/// A warning for a directory entry that is not read, if it looks meant as a definition: a
/// subdirectory, or a file ending in an upper-case `.YAML`.
fn skipped_other(path: &Path, is_dir: bool) -> Option<Diagnostic> {
    let name = path.file_name()?.to_string_lossy();
    if name.starts_with('.') {
        return None;
    }
    let (message, help) = if is_dir {
        (
            format!(
                "skipped the subdirectory `{}`: definitions are not looked for in subdirectories",
                path.display()
            ),
            "pass the subdirectory as an input of its own to read its definitions",
        )
    } else if path.extension().is_some_and(|e| {
        let e = e.to_string_lossy();
        e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml")
    }) {
        (
            format!(
                "skipped `{}`: only files ending in lower-case `.yaml` or `.yml` are read",
                path.display()
            ),
            "rename the file with a lower-case extension, or pass it by name",
        )
    } else {
        return None;
    };
    Some(Diagnostic::warning(Code::Skipped, message).with_help(help))
}

fn discover_all(inputs: &[PathBuf], diagnostics: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let entries = match fs::read_dir(input) {
                Ok(entries) => entries,
                Err(error) => {
                    diagnostics.push(
                        Diagnostic::error(
                            Code::Io,
                            format!("cannot read the directory `{}`: {error}", input.display()),
                        )
                        .with_help("check the path and its permissions"),
                    );
                    continue;
                }
            };
            let mut found = Vec::new();
            let mut skipped = Vec::new();
            for entry in entries.filter_map(Result::ok) {
                let path = entry.path();
                // `DirEntry::file_type` does not follow symbolic links.
                let kind = entry.file_type().ok();
                if !path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                    let is_dir = kind.is_some_and(|k| k.is_dir());
                    skipped.extend(skipped_other(&path, is_dir));
                    continue;
                }
                match kind {
                    Some(kind) if kind.is_file() => found.push(path),
                    kind => skipped.push(skipped_entry(&path, kind)),
                }
            }
            skipped.sort_by(|a, b| a.message.cmp(&b.message));
            diagnostics.extend(skipped);
            if found.is_empty() {
                diagnostics.push(
                    Diagnostic::error(
                        Code::Io,
                        format!(
                            "`{}` holds no connector definitions (*.yaml)",
                            input.display()
                        ),
                    )
                    .with_help("pass a directory of <id>.yaml files, or the files themselves"),
                );
            }
            found.sort();
            files.extend(found);
        } else if input.exists() {
            files.push(input.clone());
        } else {
            diagnostics.push(
                Diagnostic::error(Code::Io, format!("`{}` does not exist", input.display()))
                    .with_help("pass a connector definition file or a directory of them (default: connectors/)"),
            );
        }
    }
    files
}

/// The warning for a `*.yaml` entry of a definitions directory that is not a regular file.
fn skipped_entry(path: &Path, kind: Option<fs::FileType>) -> Diagnostic {
    let what = kind.map_or("not a file connector-gen can identify", describe);
    let not = if kind.is_some_and(|k| k.is_symlink()) {
        "not followed"
    } else {
        "not read"
    };
    let diagnostic = Diagnostic::warning(
        Code::Skipped,
        format!("`{}` is {what}; {not}", path.display()),
    );
    if kind.is_some_and(|k| k.is_symlink()) {
        diagnostic.with_help(
            "links in a definitions directory are never read; copy the definition into the \
             directory, or name the file itself on the command line",
        )
    } else {
        diagnostic.with_help("only regular files are read as definitions; remove it or rename it")
    }
}

/// What kind of file `kind` is, as a phrase after "is".
pub(crate) fn describe(kind: fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a named pipe (FIFO), not a regular file";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device, not a regular file";
        }
        if kind.is_socket() {
            return "a socket, not a regular file";
        }
    }
    if kind.is_symlink() {
        "a symbolic link"
    } else if kind.is_dir() {
        "a directory, not a regular file"
    } else {
        "not a regular file"
    }
}

/// Opens `path` for reading only if it is a regular file (following a symbolic link the
/// caller chose to follow). A named pipe is opened without blocking and the open file
/// itself is checked, so neither a pipe nor a device is ever waited on or read. A path
/// that is not a regular file is an `InvalidInput` error whose message names it.
pub(crate) fn open_regular(path: &Path) -> std::io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        /// `O_NONBLOCK` on Linux: opening a FIFO for reading does not wait for a writer.
        const O_NONBLOCK: i32 = 0o4000;
        options.custom_flags(O_NONBLOCK);
    }
    #[cfg(not(target_os = "linux"))]
    {
        // Elsewhere, look before opening (a race remains there).
        let kind = fs::metadata(path)?.file_type();
        if !kind.is_file() {
            return Err(not_regular(path, kind));
        }
    }
    let file = options.open(path)?;
    let kind = file.metadata()?.file_type();
    if !kind.is_file() {
        return Err(not_regular(path, kind));
    }
    Ok(file)
}

/// The error for a path that is not a regular file; its message names the path.
pub(crate) fn not_regular(path: &Path, kind: fs::FileType) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidInput,
        format!("`{}` is {}", path.display(), describe(kind)),
    )
}

/// Why a definition could not be read, and the text to show with the diagnostic.
pub(crate) struct Unreadable {
    pub(crate) diagnostic: Box<Diagnostic>,
    pub(crate) text: Option<String>,
}

impl From<Diagnostic> for Unreadable {
    fn from(diagnostic: Diagnostic) -> Self {
        Unreadable {
            diagnostic: Box::new(diagnostic),
            text: None,
        }
    }
}

/// Reads a definition as UTF-8 text without reading more than the size limit allows.
fn read_definition(path: &Path, display: &str, file: FileId) -> Result<String, Unreadable> {
    let io_error = |error: std::io::Error| {
        Diagnostic::error(Code::Io, format!("cannot read `{display}`: {error}"))
            .with_help("check the path and its permissions")
    };
    let handle = open_regular(path).map_err(|error| {
        if error.kind() == std::io::ErrorKind::InvalidInput {
            Diagnostic::error(Code::Io, format!("cannot read {error}")).with_help(
                "a connector definition is a regular file; pass the file itself, not a pipe or device",
            )
        } else {
            io_error(error)
        }
    })?;
    let mut bytes = Vec::new();
    handle
        .take(MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::error(
            Code::FileTooLarge,
            format!("`{display}` is larger than {MAX_FILE_BYTES} bytes, too large for a connector definition"),
        )
        .with_help("a connector definition is a few kilobytes; check that this is the right file")
        .into());
    }
    String::from_utf8(bytes).map_err(|error| {
        let valid_up_to = error.utf8_error().valid_up_to();
        // The lossy text has the same bytes up to the first invalid one.
        let lossy = String::from_utf8_lossy(error.as_bytes()).into_owned();
        Unreadable {
            diagnostic: Box::new(
                Diagnostic::error(Code::NotUtf8, "the file is not valid UTF-8")
                    .in_file(file, valid_up_to..valid_up_to + 1)
                    .with_label("invalid byte here")
                    .with_help("save the file as UTF-8"),
            ),
            text: Some(lossy),
        }
    })
}

/// The name a file goes by in diagnostics and in "generated from" headers: relative to the
/// working directory where it is inside it, with `/` separators, so that output does not
/// depend on where the repository is checked out; elsewhere, the path as the user gave it
/// (without `./` parts), so that two files never show under one name.
pub(crate) fn display_name(path: &Path, cwd: Option<&Path>) -> String {
    let relative = cwd
        .and_then(|cwd| path.strip_prefix(cwd).ok())
        .unwrap_or(path);
    let absolute = relative.has_root();
    let name = relative
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .filter(|part| !(absolute && part == "/"))
        .collect::<Vec<_>>()
        .join("/");
    if absolute { format!("/{name}") } else { name }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_the_paths_given_without_dot_parts() {
        let cwd = Path::new("/work/repo");
        assert_eq!(
            display_name(Path::new("/work/repo/connectors/a.yaml"), Some(cwd)),
            "connectors/a.yaml"
        );
        assert_eq!(
            display_name(Path::new("./connectors/./a.yaml"), Some(cwd)),
            "connectors/a.yaml"
        );
        assert_eq!(
            display_name(Path::new("/elsewhere/one/a.yaml"), Some(cwd)),
            "/elsewhere/one/a.yaml"
        );
        assert_eq!(
            display_name(Path::new("/other/one/a.yaml"), Some(cwd)),
            "/other/one/a.yaml"
        );
        assert_eq!(
            display_name(Path::new("../x/a.yaml"), Some(cwd)),
            "../x/a.yaml"
        );
    }
}
