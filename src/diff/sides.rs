//! The two sides of a `diff`: definition files or directories in the working copy, or as
//! committed at a git ref (`--base`), read with `git` itself (`git show REF:./file`,
//! `git ls-tree REF -- ./`) run in the path's directory, so any repository layout works.
//!
//! Each side is first validated exactly as `validate` does (the same pipeline, so the same
//! diagnostics, masking and duplicate-id checks); only when both are valid are the texts
//! loaded again, with spans, for the comparison.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::Version;
use crate::diagnostics::{Code, Diagnostic, Sources};
use crate::input::display_name;
use crate::load::MAX_FILE_BYTES;
use crate::pipeline::Generator;

/// Where one side's definitions come from.
#[derive(Debug, Clone)]
pub enum Origin {
    /// A file or a directory of definitions in the working copy.
    Path(PathBuf),
    /// A file or a directory as committed at a git ref.
    Git {
        /// The ref (`main`, `HEAD~1`, a commit).
        reference: String,
        /// The path in the working copy.
        path: PathBuf,
    },
}

/// One side's definitions, read but not yet checked.
pub struct Texts {
    /// How the side is named when a connector is not in it (`connectors`,
    /// `main:connectors`).
    pub name: String,
    /// Each definition's name, as diagnostics show it, and its text.
    pub files: Vec<(String, String)>,
    /// Whether the side is a directory (a catalogue).
    pub directory: bool,
}

/// Why a side cannot be compared.
pub enum Unusable {
    /// Its definitions have errors: the diagnostics, with the files they point into.
    Invalid(Sources, Vec<Diagnostic>),
    /// It cannot be read at all (git missing, an unknown ref).
    Failed(Box<Diagnostic>),
}

/// Reads one side's definition texts and validates them as `validate` does.
pub fn read(origin: &Origin) -> Result<Texts, Unusable> {
    let cwd = std::env::current_dir().ok();
    match origin {
        Origin::Path(path) => {
            let run = Generator::new().input(path).validate();
            if run.has_errors() {
                return Err(Unusable::Invalid(run.sources, run.diagnostics));
            }
            let mut files = Vec::new();
            for input in &run.inputs {
                let name = display_name(input, cwd.as_deref());
                let text = read_text(input).map_err(|error| {
                    Unusable::Failed(Box::new(
                        Diagnostic::error(Code::Io, format!("cannot read `{name}`: {error}"))
                            .with_help("check that the file is not being changed while diff runs"),
                    ))
                })?;
                files.push((name, text));
            }
            Ok(Texts {
                name: display_name(path, cwd.as_deref()),
                files,
                directory: path.is_dir(),
            })
        }
        Origin::Git { reference, path } => {
            let texts = git_texts(reference, path, cwd.as_deref()).map_err(Unusable::Failed)?;
            let run = texts
                .files
                .iter()
                .fold(Generator::new(), |generator, (name, text)| {
                    generator.source(name.clone(), text.clone())
                })
                .validate();
            if run.has_errors() {
                return Err(Unusable::Invalid(run.sources, run.diagnostics));
            }
            Ok(texts)
        }
    }
}

/// Loads and checks the texts of a side (valid, as [`read`] found), adding each to `sources`.
pub fn check(texts: &Texts, sources: &mut Sources) -> Result<Vec<Version>, Unusable> {
    let validator = crate::validate::Validator::new();
    let mut versions = Vec::new();
    for (name, text) in &texts.files {
        let file = sources.add(name.clone(), text.clone());
        let checked = crate::load::load(file, text).and_then(|document| {
            validator
                .validate(file, text, &document)
                .map(|checked| (document, checked))
        });
        match checked {
            Ok((document, checked)) => versions.push(Version {
                file,
                document,
                definition: checked.definition,
            }),
            Err(_) => {
                // Only a file changed since `read` validated it gets here.
                return Err(Unusable::Failed(Box::new(
                    Diagnostic::error(Code::Io, format!("`{name}` changed while diff read it"))
                        .with_help("run diff again"),
                )));
            }
        }
    }
    Ok(versions)
}

/// A definition file's text, within the size limit, without a byte-order mark.
fn read_text(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    crate::input::open_regular(path)?
        .take(MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)?;
    decode(bytes).map_err(std::io::Error::other)
}

fn decode(bytes: Vec<u8>) -> Result<String, String> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(format!("larger than {MAX_FILE_BYTES} bytes"));
    }
    let text = String::from_utf8(bytes).map_err(|_| "not valid UTF-8".to_owned())?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    })
}

/// The definitions at `path` as committed at `reference`: none when the path did not exist
/// there (everything in the working copy is then new).
fn git_texts(reference: &str, path: &Path, cwd: Option<&Path>) -> Result<Texts, Box<Diagnostic>> {
    let shown = display_name(path, cwd);
    let name = format!("{reference}:{shown}");
    let directory = path.is_dir();
    let (dir, file) = if directory {
        (path.to_path_buf(), None)
    } else {
        let parent = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        (parent.to_path_buf(), path.file_name())
    };
    let git = Git { dir: &dir };
    git.run(&["rev-parse", "--git-dir"]).map_err(|failure| {
        Box::new(match failure {
            GitFailure::Missing(error) => Diagnostic::error(
                Code::Io,
                format!("`--base` needs git, which cannot be run: {error}"),
            )
            .with_help("install git, or compare two files or directories without `--base`"),
            GitFailure::Refused(_) => Diagnostic::error(
                Code::Io,
                format!("`{}` is not in a git repository", dir.display()),
            )
            .with_help("run diff --base inside the repository, or compare two paths"),
        })
    })?;
    let commit = format!("{reference}^{{commit}}");
    // A ref starting with `-` would be read as an option.
    if reference.starts_with('-')
        || git
            .run(&["rev-parse", "--verify", "--quiet", &commit])
            .is_err()
    {
        return Err(Box::new(
            Diagnostic::error(
                Code::Io,
                format!(
                    "`{reference}` names no commit in the repository of `{}`",
                    dir.display()
                ),
            )
            .with_help(
                "give a branch, tag or commit that exists, e.g. `--base main` or `--base HEAD~1`",
            ),
        ));
    }
    let cannot = |what: &str, error: String| {
        Box::new(
            Diagnostic::error(
                Code::Io,
                format!("cannot read {what} at `{reference}`: {error}"),
            )
            .with_help("check the ref and the path"),
        )
    };
    let mut files = Vec::new();
    match file {
        Some(file) => {
            let spec = format!("{reference}:./{}", file.to_string_lossy());
            // A file that did not exist at the ref: the whole connector is new.
            if git.run(&["cat-file", "-e", &spec]).is_ok() {
                let bytes = git
                    .run(&["show", &spec])
                    .map_err(|e| cannot(&format!("`{shown}`"), e.to_string()))?;
                let text = decode(bytes).map_err(|e| cannot(&format!("`{shown}`"), e))?;
                files.push((name.clone(), text));
            }
        }
        None => {
            let listing = git
                .run(&["ls-tree", "-z", reference, "--", "./"])
                .map_err(|e| cannot(&format!("`{shown}`"), e.to_string()))?;
            let mut names: Vec<String> = listing
                .split(|&b| b == 0)
                .filter_map(|entry| {
                    let entry = std::str::from_utf8(entry).ok()?;
                    let (meta, file) = entry.split_once('\t')?;
                    let blob = meta.split(' ').nth(1) == Some("blob");
                    (blob && (file.ends_with(".yaml") || file.ends_with(".yml")))
                        .then(|| file.to_owned())
                })
                .collect();
            names.sort();
            for file in names {
                let spec = format!("{reference}:./{file}");
                let shown_file = format!("{shown}/{file}");
                let bytes = git
                    .run(&["show", &spec])
                    .map_err(|e| cannot(&format!("`{shown_file}`"), e.to_string()))?;
                let text = decode(bytes).map_err(|e| cannot(&format!("`{shown_file}`"), e))?;
                files.push((format!("{reference}:{shown_file}"), text));
            }
        }
    }
    Ok(Texts {
        name,
        files,
        directory,
    })
}

/// Runs git in one directory.
struct Git<'a> {
    dir: &'a Path,
}

/// Why a git command gave nothing.
enum GitFailure {
    /// git could not be started.
    Missing(std::io::Error),
    /// git ran and failed: its message.
    Refused(String),
}

impl std::fmt::Display for GitFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GitFailure::Missing(error) => write!(f, "git cannot be run: {error}"),
            GitFailure::Refused(message) => f.write_str(message),
        }
    }
}

impl Git<'_> {
    fn run(&self, args: &[&str]) -> Result<Vec<u8>, GitFailure> {
        let output = Command::new("git")
            .arg("-C")
            .arg(self.dir)
            .args(args)
            .env("GIT_TERMINAL_PROMPT", "0")
            .output()
            .map_err(GitFailure::Missing)?;
        if output.status.success() {
            Ok(output.stdout)
        } else {
            Err(GitFailure::Refused(
                String::from_utf8_lossy(&output.stderr).trim().to_owned(),
            ))
        }
    }
}
