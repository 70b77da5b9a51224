//! The files of one API document: the document named on the command line and every file its
//! `$ref`s reach, each loaded with spans so that every problem names a JSON pointer, a file,
//! a line and a column.
//!
//! `$ref`s are followed on demand ([`Documents::resolve`]): local (`#/components/schemas/Pet`)
//! and relative-file (`schemas.yaml#/Pet`, `../common.json`) references, chains of them
//! included; a chain that comes back to where it started is an error, not a hang. Remote
//! references (`https://...`) are refused with advice: the importer reads no network. Cycles
//! through schemas (a `Node` whose `children` are `Node`s) are legitimate and are the schema
//! mapper's to cut (`schema.rs`).

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::diagnostics::{Code, Diagnostic, FileId, Sources};
use crate::load::{self, Limits, LoadedDocument};

/// One loaded file.
struct File {
    path: PathBuf,
    file: FileId,
    document: LoadedDocument,
}

/// Where a node is: which file, and its JSON pointer there.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Loc {
    /// The file's index in [`Documents`].
    pub doc: usize,
    /// The JSON pointer of the node in that file.
    pub pointer: String,
}

impl Loc {
    /// The location of `token` under this node.
    pub fn child(&self, token: &str) -> Loc {
        Loc {
            doc: self.doc,
            pointer: format!("{}/{}", self.pointer, load::pointer_token(token)),
        }
    }
}

/// The most `$ref`s one chain may follow (a chain that comes back to a node it passed is a
/// loop at once).
const MAX_REF_CHAIN: usize = 1_000;

/// The most files one document may reach through `$ref`s.
const MAX_FILES: usize = 1_000;

/// Every file of one API document.
pub struct Documents {
    files: Vec<File>,
    /// The root document's folder, links resolved.
    root_dir: Option<PathBuf>,
    /// The texts of the files, for diagnostics.
    pub sources: Sources,
}

impl Documents {
    /// Reads the document at `path` and every file its `$ref`s name, transitively. On
    /// failure, the errors come with the files read so far (which they point into).
    pub fn read(path: &Path) -> Result<Documents, (Sources, Vec<Diagnostic>)> {
        let mut documents = Documents {
            files: Vec::new(),
            sources: Sources::new(),
            root_dir: None,
        };
        match documents.read_all(path) {
            Ok(()) => Ok(documents),
            Err(errors) => Err((documents.sources, errors)),
        }
    }

    fn read_all(&mut self, path: &Path) -> Result<(), Vec<Diagnostic>> {
        let documents = self;
        documents.add(path, None)?;
        // Referenced files must lie in the root document's folder (or below it): a `$ref`
        // of an untrusted document must not read `~/.aws/credentials` into a diagnostic.
        documents.root_dir = std::fs::canonicalize(path)
            .ok()
            .and_then(|p| p.parent().map(Path::to_path_buf));
        // Load every file a relative `$ref` names, breadth first, so that resolving never
        // needs to load (and `resolve` can borrow immutably).
        let mut next = 0;
        let mut errors = Vec::new();
        while next < documents.files.len() {
            let mut refs = Vec::new();
            references(&documents.files[next].document.value, "", &mut refs);
            for (pointer, target) in refs {
                let (file_part, _) = split_ref(&target);
                if file_part.is_empty() || is_remote(file_part) {
                    continue;
                }
                let referrer = Loc { doc: next, pointer };
                let path = documents.relative_path(next, file_part);
                if documents.find(&path).is_none() {
                    if documents.files.len() >= MAX_FILES {
                        errors.push(documents.error(
                            &referrer,
                            format!(
                                "the document reaches more than {MAX_FILES} files through `$ref`s"
                            ),
                            "bundle the document into fewer files",
                        ));
                        return Err(errors);
                    }
                    if let Err(error) = documents.inside_root(&path) {
                        errors.push(documents.error(&referrer, error, "copy the referenced file next to the document, or into a folder below it"));
                        continue;
                    }
                    if let Err(mut more) = documents.add(&path, Some(&referrer)) {
                        errors.append(&mut more);
                    }
                }
            }
            next += 1;
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Whether `path` lies in the root document's folder or below it (links resolved).
    fn inside_root(&self, path: &Path) -> Result<(), String> {
        let shown = path.display();
        let Some(root) = &self.root_dir else {
            return Err(format!(
                "`{shown}` cannot be placed relative to the document"
            ));
        };
        match std::fs::canonicalize(path) {
            Ok(real) if real.starts_with(root) => Ok(()),
            Ok(_) => Err(format!(
                "`{shown}` lies outside the document's folder, and the importer reads no files there"
            )),
            // Not there: `add` says so.
            Err(_) => Ok(()),
        }
    }

    fn add(&mut self, path: &Path, referrer: Option<&Loc>) -> Result<usize, Vec<Diagnostic>> {
        let shown = path.display().to_string();
        let text = match read_bounded(path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => text,
                Err(_) => {
                    let error =
                        Diagnostic::error(Code::NotUtf8, format!("`{shown}` is not UTF-8 text"))
                            .with_help(
                                "OpenAPI documents are UTF-8 JSON or YAML; save it as UTF-8",
                            );
                    return Err(vec![self.at_referrer(error, referrer)]);
                }
            },
            Err(error) => {
                let error = Diagnostic::error(Code::Io, format!("cannot read `{shown}`: {error}"))
                    .with_help(match referrer {
                        Some(_) => "a relative `$ref` is read relative to the file that holds it; check the path",
                        None => "check the path",
                    });
                return Err(vec![self.at_referrer(error, referrer)]);
            }
        };
        let json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        let file = self.sources.add(shown, text);
        let document = load::load_with(file, self.sources.text(file), &Limits::API_DOCUMENT)
            .map_err(|mut errors| {
                // JSON is read as the YAML it is a subset of; say which the user wrote.
                if json {
                    for error in &mut errors {
                        if let Some(rest) = error.message.strip_prefix("invalid YAML: ") {
                            error.message = format!("invalid JSON: {rest}");
                        }
                    }
                }
                errors
            })?;
        self.files.push(File {
            path: path.to_owned(),
            file,
            document,
        });
        Ok(self.files.len() - 1)
    }

    fn at_referrer(&self, error: Diagnostic, referrer: Option<&Loc>) -> Diagnostic {
        match referrer {
            Some(at) => {
                let span = self.span(at);
                error.in_file(self.files[at.doc].file, span)
            }
            None => error,
        }
    }

    fn relative_path(&self, doc: usize, file_part: &str) -> PathBuf {
        let decoded = percent_decode(file_part);
        let base = self.files[doc].path.parent().unwrap_or(Path::new(""));
        normalize(&base.join(decoded))
    }

    fn find(&self, path: &Path) -> Option<usize> {
        self.files.iter().position(|file| file.path == path)
    }

    /// The root document's value.
    pub fn root(&self) -> (Loc, &Value) {
        (
            Loc {
                doc: 0,
                pointer: String::new(),
            },
            &self.files[0].document.value,
        )
    }

    /// The file name of `loc`'s file without its extensions (`address.yml` gives `address`).
    pub fn stem(&self, loc: &Loc) -> String {
        let name = self.files[loc.doc]
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        name.split('.').next().unwrap_or("").to_owned()
    }

    /// The value at `loc`.
    pub fn get(&self, loc: &Loc) -> Option<&Value> {
        self.files
            .get(loc.doc)?
            .document
            .value
            .pointer(&loc.pointer)
    }

    /// Follows `value` (at `loc`) through its `$ref`s to the node they name.
    pub fn resolve<'a>(
        &'a self,
        loc: &Loc,
        value: &'a Value,
    ) -> Result<(Loc, &'a Value), Box<Diagnostic>> {
        let mut loc = loc.clone();
        let mut value = value;
        let start = loc.clone();
        let mut passed: Vec<Loc> = Vec::new();
        for _ in 0..MAX_REF_CHAIN {
            let Some(target) = value.get("$ref") else {
                return Ok((loc, value));
            };
            if passed.contains(&loc) {
                return Err(self
                    .error(
                        &start,
                        format!(
                            "the `$ref`s from here loop: `{}` is reached twice",
                            loc.pointer
                        ),
                        "make one of the references name the node itself",
                    )
                    .into());
            }
            passed.push(loc.clone());
            let Value::String(target) = target else {
                return Err(self
                    .error(
                        &loc.child("$ref"),
                        "`$ref` is not a string".to_owned(),
                        "write the reference as a string, e.g. `$ref: '#/components/schemas/Pet'`",
                    )
                    .into());
            };
            let at = loc.child("$ref");
            let (file_part, fragment) = split_ref(target);
            if is_remote(file_part) {
                return Err(self.error(
                    &at,
                    format!("`{target}` is a remote reference, which the importer does not fetch"),
                    "download the referenced document next to this one and refer to it by a relative path",
                ).into());
            }
            let doc = if file_part.is_empty() {
                loc.doc
            } else {
                let path = self.relative_path(loc.doc, file_part);
                self.find(&path).ok_or_else(|| {
                    self.error(
                        &at,
                        format!("`{target}` names a file that was not read"),
                        "check the path",
                    )
                })?
            };
            let pointer = percent_decode(fragment);
            if !(pointer.is_empty() || pointer.starts_with('/')) {
                return Err(self
                    .error(
                        &at,
                        format!("`{target}` is not a JSON pointer reference"),
                        "write `#/path/to/node` (anchors such as `#Pet` are not supported)",
                    )
                    .into());
            }
            let next = Loc { doc, pointer };
            value = self.get(&next).ok_or_else(|| {
                self.error(
                    &at,
                    format!("`{target}` points at nothing: the document has no node at `{}`", next.pointer),
                    "check the spelling of each part of the pointer (`~1` stands for `/`, `~0` for `~`)",
                )
            })?;
            loc = next;
        }
        Err(self
            .error(
                &loc,
                format!("a chain of more than {MAX_REF_CHAIN} `$ref`s"),
                "make one of the references name the node itself",
            )
            .into())
    }

    /// The byte span of the node at `loc` (its key where it has one).
    pub fn span(&self, loc: &Loc) -> std::ops::Range<usize> {
        self.files[loc.doc]
            .document
            .spans
            .key_or_value(&loc.pointer)
    }

    /// An error at `loc`, naming its JSON pointer.
    pub fn error(&self, loc: &Loc, message: String, help: &str) -> Diagnostic {
        let pointer = if loc.pointer.is_empty() {
            "/"
        } else {
            &loc.pointer
        };
        Diagnostic::error(Code::InvalidApiDocument, message)
            .in_file(self.files[loc.doc].file, self.span(loc))
            .with_label(format!("at `{pointer}`"))
            .with_help(help)
    }

    /// The file id of `loc`'s file.
    pub fn file_id(&self, loc: &Loc) -> FileId {
        self.files[loc.doc].file
    }
}

/// A regular file's bytes, at most [`Limits::API_DOCUMENT`]'s size plus one (never a pipe,
/// device or directory, which could block or never end).
fn read_bounded(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let file = crate::input::open_regular(path)?;
    let mut bytes = Vec::new();
    file.take(Limits::API_DOCUMENT.file_bytes as u64 + 1)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Every `$ref` string of a document with its pointer, leaving out examples and `x-`
/// extensions, whose contents are data, not references.
fn references(value: &Value, pointer: &str, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get("$ref") {
                out.push((format!("{pointer}/$ref"), target.clone()));
            }
            // Under `properties` the keys are property names, so `example` is one too.
            let names = pointer.ends_with("/properties");
            for (key, child) in map {
                if !names && (key == "example" || key == "examples" || key.starts_with("x-")) {
                    continue;
                }
                references(
                    child,
                    &format!("{pointer}/{}", load::pointer_token(key)),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                references(item, &format!("{pointer}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Splits a reference into its file part and its fragment (without the `#`).
fn split_ref(target: &str) -> (&str, &str) {
    match target.split_once('#') {
        Some((file, fragment)) => (file, fragment),
        None => (target, ""),
    }
}

fn is_remote(file_part: &str) -> bool {
    file_part.contains("://") || file_part.starts_with("//")
}

/// `a/./b/../c` as `a/c`, without touching the file system (links are not followed anyway:
/// the file is read through the joined path).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                // `..` after a name removes it; after nothing or another `..` it stays.
                let last = out.components().next_back();
                if matches!(last, Some(std::path::Component::Normal(_))) {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// Decodes `%XX` escapes (URI fragments and paths); anything malformed stays as written.
fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_owned();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = text.get(i + 1..i + 3)
            && let Ok(byte) = u8::from_str_radix(hex, 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_split_and_decode() {
        assert_eq!(split_ref("#/a/b"), ("", "/a/b"));
        assert_eq!(split_ref("x.yaml"), ("x.yaml", ""));
        assert_eq!(percent_decode("/paths/%7Bid%7D"), "/paths/{id}");
        assert_eq!(percent_decode("50%"), "50%");
        assert_eq!(
            normalize(Path::new("a/./b/../c.yaml")),
            PathBuf::from("a/c.yaml")
        );
    }
}
