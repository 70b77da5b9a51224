//! The pipeline end to end: find definition files, then load, validate, model and render
//! each, collecting every diagnostic of the run.
//!
//! [`Generator`] is the library entry point; the CLI and `build.rs` scripts both use it.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;

use crate::catalogue;
use crate::diagnostics::{self, Code, Diagnostic, Sources};
use crate::load::{self, LoadedDocument, MAX_FILE_BYTES};
use crate::model::Connector;
use crate::render::{RenderedFile, Renderer, Target};
use crate::validate::Validator;

/// Runs the pipeline over a set of definition files or directories.
#[derive(Debug, Clone, Default)]
pub struct Generator {
    inputs: Vec<PathBuf>,
    texts: Vec<(String, String)>,
    templates: Option<PathBuf>,
    targets: Option<Vec<Target>>,
    out_dir: Option<PathBuf>,
}

/// What [`Generator::run`] wrote.
#[derive(Debug)]
pub struct BuildOutput {
    /// Every file written or found already up to date.
    pub files: Vec<PathBuf>,
    /// The warnings of the run.
    pub warnings: Vec<Diagnostic>,
}

/// Why [`Generator::run`] wrote nothing: the diagnostics, and their rendering for a person.
#[derive(Debug, thiserror::Error)]
#[error("connector-gen found errors; nothing was written:\n{rendered}")]
pub struct BuildError {
    /// Every error and warning.
    pub diagnostics: Vec<Diagnostic>,
    /// The diagnostics rendered as on the command line, without colour.
    pub rendered: String,
}

/// Everything one run produced.
pub struct Run {
    /// The text of every file read, for rendering diagnostics.
    pub sources: Sources,
    /// Every error and warning, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// The valid connectors, in file order.
    pub connectors: Vec<Connector>,
    /// The rendered files, sorted by path; empty when any error was found.
    pub files: Vec<RenderedFile>,
    /// The definition files read.
    pub inputs: Vec<PathBuf>,
}

impl Run {
    /// Whether any diagnostic is an error (in which case nothing may be written).
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

impl Generator {
    /// A generator with no inputs yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a definition file, or a directory whose `*.yaml` files are definitions.
    pub fn input(mut self, path: impl Into<PathBuf>) -> Self {
        self.inputs.push(path.into());
        self
    }

    /// Adds a definition held in memory, under the name diagnostics and headers show for it.
    pub fn source(mut self, name: impl Into<String>, text: impl Into<String>) -> Self {
        self.texts.push((name.into(), text.into()));
        self
    }

    /// Adds `target` to the targets rendered (all of [`Target::DEFAULT`] until one is added).
    pub fn target(self, target: Target) -> Self {
        let mut targets = self.targets.clone().unwrap_or_default();
        targets.push(target);
        self.targets(targets)
    }

    /// Where [`Generator::run`] writes.
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Generates into the output directory (`OUT_DIR` in a build script, when none was set),
    /// and tells Cargo to run the build script again when any input or template changes.
    ///
    /// ```no_run
    /// // build.rs
    /// fn main() -> Result<(), Box<dyn std::error::Error>> {
    ///     connector_gen::Generator::new()
    ///         .input("connectors/invenias.yaml")
    ///         .target(connector_gen::Target::RustClient)
    ///         .run()?;
    ///     Ok(())
    /// }
    /// // main.rs: mod invenias { include!(concat!(env!("OUT_DIR"), "/rust/invenias.rs")); }
    /// ```
    pub fn run(&self) -> Result<BuildOutput, BuildError> {
        let run = self.generate();
        for path in &run.inputs {
            println!("cargo:rerun-if-changed={}", path.display());
        }
        for input in &self.inputs {
            println!("cargo:rerun-if-changed={}", input.display());
        }
        if let Some(dir) = &self.templates {
            println!("cargo:rerun-if-changed={}", dir.display());
        }
        let failure = |diagnostics: Vec<Diagnostic>, sources: &Sources| {
            let rendered = diagnostics::render_human(&diagnostics, sources, false);
            BuildError {
                diagnostics,
                rendered,
            }
        };
        if run.has_errors() {
            return Err(failure(run.diagnostics, &run.sources));
        }
        let out = match self
            .out_dir
            .clone()
            .or_else(|| std::env::var_os("OUT_DIR").map(PathBuf::from))
        {
            Some(out) => out,
            None => {
                let error = Diagnostic::error(
                    Code::Io,
                    "no output directory: set one with `out_dir`, or run from a build script",
                )
                .with_help("call `.out_dir(...)` on the generator");
                return Err(failure(vec![error], &run.sources));
            }
        };
        match crate::write::write_all(&out, &run.files) {
            Ok(_) => Ok(BuildOutput {
                files: run.files.iter().map(|f| out.join(&f.path)).collect(),
                warnings: run.diagnostics,
            }),
            Err(error) => {
                let error = Diagnostic::error(
                    Code::Io,
                    format!("cannot write to {}: {error}", out.display()),
                )
                .with_help("check that the output directory is writable");
                Err(failure(vec![error], &run.sources))
            }
        }
    }

    /// Renders `targets` instead of [`Target::DEFAULT`].
    pub fn targets(mut self, targets: impl IntoIterator<Item = Target>) -> Self {
        let mut targets: Vec<Target> = targets.into_iter().collect();
        targets.sort();
        targets.dedup();
        self.targets = Some(targets);
        self
    }

    /// Replaces embedded templates by the files of the same name in `dir`.
    pub fn templates(mut self, dir: impl Into<PathBuf>) -> Self {
        self.templates = Some(dir.into());
        self
    }

    /// Loads and validates every definition, without rendering.
    pub fn validate(&self) -> Run {
        self.process(false)
    }

    /// Loads, validates and renders every definition. Renders nothing if any is invalid.
    pub fn generate(&self) -> Run {
        self.process(true)
    }

    fn process(&self, render: bool) -> Run {
        let mut sources = Sources::new();
        let mut diagnostics = Vec::new();
        let inputs = discover(&self.inputs, &mut diagnostics);
        let mut definitions = Vec::new();
        for path in &inputs {
            let display = display_name(path);
            match read_definition(path, &display, &mut sources) {
                Ok(text) => definitions.push((display, text)),
                Err(diagnostic) => diagnostics.push(*diagnostic),
            }
        }
        definitions.extend(self.texts.iter().cloned());

        let mut checked = Vec::new();
        let mut redactions = Vec::new();
        for (name, text) in definitions {
            let text = text
                .strip_prefix('\u{feff}')
                .map(str::to_owned)
                .unwrap_or(text);
            let file = sources.add(name.clone(), text);
            let text = sources.text(file);
            let document = match load::load(file, text) {
                Ok(document) => document,
                Err(errors) => {
                    diagnostics.extend(errors);
                    continue;
                }
            };
            redactions.extend(
                secret_values(&document)
                    .into_iter()
                    .map(|span| (file, span)),
            );
            match shared_validator().validate(file, text, &document) {
                Ok(mut valid) => {
                    diagnostics.append(&mut valid.warnings);
                    let connector = Connector::new(&valid, &name);
                    checked.push((file, document.spans, connector));
                }
                Err(errors) => diagnostics.extend(errors),
            }
        }
        duplicate_outputs(&checked, &sources, &mut diagnostics);
        let connectors: Vec<Connector> = checked
            .into_iter()
            .map(|(_, _, connector)| connector)
            .collect();

        let valid = !diagnostics.iter().any(Diagnostic::is_error);
        let files = if render && valid {
            self.render(&connectors, &mut diagnostics)
        } else {
            Vec::new()
        };
        diagnostics::sort(&mut diagnostics, &sources);
        for (file, span) in redactions {
            sources.redact(file, span);
        }
        Run {
            sources,
            diagnostics,
            connectors,
            files,
            inputs,
        }
    }

    /// Loads and validates every definition, then renders the catalogue (`catalogue.json`
    /// and the docs site's index page `catalogue.md`) instead of the connectors' outputs.
    pub fn catalogue(&self) -> Run {
        let mut run = self.process(false);
        if run.has_errors() {
            return run;
        }
        let entries = catalogue::entries(&run.connectors);
        match self
            .renderer()
            .map(|renderer| renderer.render_catalogue(&entries))
        {
            Ok(Ok(files)) => run.files = files,
            Ok(Err(error)) => run.diagnostics.push(*error),
            Err(errors) => run.diagnostics.extend(errors),
        }
        run
    }

    /// The embedded templates' renderer, or one with this generator's overrides.
    fn renderer(&self) -> Result<RendererHandle, Vec<Diagnostic>> {
        match &self.templates {
            Some(dir) => {
                Renderer::new(Some(dir)).map(|renderer| RendererHandle::Own(Box::new(renderer)))
            }
            None => embedded_renderer()
                .as_ref()
                .map(RendererHandle::Shared)
                .map_err(Clone::clone),
        }
    }

    /// Renders every target of every connector, sorted by path; nothing if any fails.
    fn render(
        &self,
        connectors: &[Connector],
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Vec<RenderedFile> {
        let renderer = match self.renderer() {
            Ok(renderer) => renderer,
            Err(errors) => {
                diagnostics.extend(errors);
                return Vec::new();
            }
        };
        let mut files = Vec::new();
        let mut failed = false;
        for connector in connectors {
            let targets = self.targets.as_deref().unwrap_or(&Target::DEFAULT);
            match renderer.render_all(connector, targets) {
                Ok(rendered) => files.extend(rendered),
                Err(errors) => {
                    failed = true;
                    diagnostics.extend(errors);
                }
            }
        }
        if failed {
            return Vec::new();
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

/// A renderer shared by every run, or one of this run's own.
enum RendererHandle {
    Shared(&'static Renderer),
    Own(Box<Renderer>),
}

impl std::ops::Deref for RendererHandle {
    type Target = Renderer;

    fn deref(&self) -> &Renderer {
        match self {
            RendererHandle::Shared(renderer) => renderer,
            RendererHandle::Own(renderer) => renderer,
        }
    }
}

/// The validator for the shipped schema, compiled once per process.
fn shared_validator() -> &'static Validator {
    static VALIDATOR: OnceLock<Validator> = OnceLock::new();
    VALIDATOR.get_or_init(Validator::new)
}

/// The renderer with the embedded templates, compiled once per process.
fn embedded_renderer() -> &'static Result<Renderer, Vec<Diagnostic>> {
    static RENDERER: OnceLock<Result<Renderer, Vec<Diagnostic>>> = OnceLock::new();
    RENDERER.get_or_init(|| Renderer::new(None))
}

/// Where the document holds values of secret fields (a `default`, which is itself an error):
/// these are masked before any source line is shown.
fn secret_values(document: &LoadedDocument) -> Vec<std::ops::Range<usize>> {
    let Some(fields) = document.value.get("fields").and_then(|f| f.as_array()) else {
        return Vec::new();
    };
    fields
        .iter()
        .enumerate()
        .filter(|(_, field)| field.get("secret") == Some(&serde_json::Value::Bool(true)))
        .filter_map(|(i, _)| document.spans.get(&format!("/fields/{i}/default")))
        .map(|span| span.value.clone())
        .collect()
}

/// Expands directories into their `*.yaml` files, sorted; reports paths that do not exist.
fn discover(inputs: &[PathBuf], diagnostics: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut found: Vec<PathBuf> = match fs::read_dir(input) {
                Ok(entries) => entries
                    .filter_map(Result::ok)
                    .map(|entry| entry.path())
                    .filter(|path| {
                        path.extension().is_some_and(|e| e == "yaml" || e == "yml")
                            && path.is_file()
                    })
                    .collect(),
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
    files.dedup();
    files
}

/// Reads a definition as UTF-8 text without reading more than the size limit allows.
fn read_definition(
    path: &Path,
    display: &str,
    sources: &mut Sources,
) -> Result<String, Box<Diagnostic>> {
    let io_error = |error: std::io::Error| {
        Box::new(
            Diagnostic::error(Code::Io, format!("cannot read `{display}`: {error}"))
                .with_help("check the path and its permissions"),
        )
    };
    let file = fs::File::open(path).map_err(io_error)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Box::new(
            Diagnostic::error(
                Code::FileTooLarge,
                format!("`{display}` is larger than {MAX_FILE_BYTES} bytes, too large for a connector definition"),
            )
            .with_help("a connector definition is a few kilobytes; check that this is the right file"),
        ));
    }
    String::from_utf8(bytes).map_err(|error| {
        let valid_up_to = error.utf8_error().valid_up_to();
        let lossy = String::from_utf8_lossy(error.as_bytes()).into_owned();
        // The lossy text has the same bytes up to the first invalid one.
        let file = sources.add(display.to_owned(), lossy);
        Box::new(
            Diagnostic::error(Code::NotUtf8, "the file is not valid UTF-8")
                .in_file(file, valid_up_to..valid_up_to + 1)
                .with_label("invalid byte here")
                .with_help("save the file as UTF-8"),
        )
    })
}

/// The name a file goes by in diagnostics and in "generated from" headers: relative to the
/// working directory where it is inside it, with `/` separators, so that output does not
/// depend on where the repository is checked out.
fn display_name(path: &Path) -> String {
    let relative = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(&cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| {
            if path.is_absolute() {
                let parts: Vec<_> = path.components().rev().take(2).collect();
                parts.into_iter().rev().collect()
            } else {
                path.to_path_buf()
            }
        });
    relative
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Two connectors may not write the same file.
fn duplicate_outputs(
    connectors: &[(crate::diagnostics::FileId, load::SpanMap, Connector)],
    sources: &Sources,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut ids: BTreeMap<String, usize> = BTreeMap::new();
    let mut permalinks: BTreeMap<String, usize> = BTreeMap::new();
    for (index, (file, spans, connector)) in connectors.iter().enumerate() {
        let checks = [
            (&mut ids, connector.id.replace('-', "_"), "/id", "id"),
            (
                &mut permalinks,
                connector.docs.permalink.clone(),
                "/docs/permalink",
                "docs permalink",
            ),
        ];
        for (seen, key, pointer, what) in checks {
            if let Some(&first) = seen.get(&key) {
                let (first_file, _, _) = &connectors[first];
                diagnostics.push(
                    Diagnostic::error(
                        Code::DuplicateOutput,
                        format!(
                            "this {what} is also used by `{}`; both would write the same file",
                            sources.name(*first_file)
                        ),
                    )
                    .in_file(*file, spans.value(pointer))
                    .with_help(format!("give each connector its own {what}")),
                );
            } else {
                seen.insert(key, index);
            }
        }
    }
}
