//! The pipeline end to end: find definition files (`input`), then load, validate, model and
//! render each on worker threads, collecting every diagnostic of the run.
//!
//! [`Generator`] is the library entry point; the CLI and `build.rs` scripts both use it.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};

use crate::catalogue;
use crate::diagnostics::{self, Code, Diagnostic, Sources};
use crate::input::{Job, Origin, discover, display_name};
use crate::load::{self, LoadedDocument};
use crate::model::Connector;
use crate::parallel;
use crate::progress;
use crate::render::{RenderedFile, Renderer, Target};
use crate::validate::Validator;
use crate::write::{Destination, Staging};

/// Runs the pipeline over a set of definition files or directories.
#[derive(Debug, Clone, Default)]
pub struct Generator {
    inputs: Vec<PathBuf>,
    texts: Vec<(String, String)>,
    templates: Option<PathBuf>,
    targets: Option<Vec<Target>>,
    out_dir: Option<PathBuf>,
    jobs: Option<usize>,
    progress: bool,
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

impl BuildError {
    fn new(diagnostics: Vec<Diagnostic>, sources: &Sources) -> Self {
        let rendered = diagnostics::render_human(&diagnostics, sources, false);
        BuildError {
            diagnostics,
            rendered,
        }
    }
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
        let Some(out) = self
            .out_dir
            .clone()
            .or_else(|| std::env::var_os("OUT_DIR").map(PathBuf::from))
        else {
            return Err(self.refuse(
                Diagnostic::error(
                    Code::Io,
                    "no output directory: set one with `out_dir`, or run from a build script",
                )
                .with_help("call `.out_dir(...)` on the generator"),
            ));
        };
        let cannot_write = |error: std::io::Error| {
            Diagnostic::error(
                Code::Io,
                format!("cannot write to {}: {error}", out.display()),
            )
            .with_help("check that the output directory is writable")
        };
        let staging = match Staging::new(&out) {
            Ok(staging) => staging,
            Err(error) => return Err(self.refuse(cannot_write(error))),
        };
        let run = self.generate_into(&staging);
        self.announce_inputs(&run);
        if run.has_errors() {
            return Err(BuildError::new(run.diagnostics, &run.sources));
        }
        match staging.commit() {
            Ok(report) => {
                let mut files = report.written;
                files.extend(report.unchanged);
                files.sort();
                Ok(BuildOutput {
                    files,
                    warnings: run.diagnostics,
                })
            }
            Err(error) => Err(BuildError::new(vec![cannot_write(error)], &run.sources)),
        }
    }

    /// The failure of a build that cannot write at all: `error`, with the definitions'
    /// own diagnostics.
    fn refuse(&self, error: Diagnostic) -> BuildError {
        let mut run = self.validate();
        self.announce_inputs(&run);
        run.diagnostics.push(error);
        BuildError::new(run.diagnostics, &run.sources)
    }

    /// Tells Cargo to run the build script again when an input or template changes.
    fn announce_inputs(&self, run: &Run) {
        for path in &run.inputs {
            println!("cargo:rerun-if-changed={}", path.display());
        }
        for input in &self.inputs {
            println!("cargo:rerun-if-changed={}", input.display());
        }
        if let Some(dir) = &self.templates {
            println!("cargo:rerun-if-changed={}", dir.display());
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
        self.process(Mode::Validate)
    }

    /// Loads, validates and renders every definition into memory, in [`Run::files`]
    /// (nothing if any is invalid). For large catalogues, [`Generator::generate_into`]
    /// streams the files instead.
    pub fn generate(&self) -> Run {
        self.process(Mode::Collect)
    }

    /// Shows progress on stderr when the run takes longer than a second (for a terminal;
    /// off by default).
    pub fn progress(mut self, show: bool) -> Self {
        self.progress = show;
        self
    }

    /// Works on `jobs` definitions at a time (default: one per processor).
    pub fn jobs(mut self, jobs: usize) -> Self {
        self.jobs = Some(jobs.max(1));
        self
    }

    /// Loads, validates and renders every definition, handing each rendered file to
    /// `destination` as it is made (so that no run holds a whole catalogue's output in
    /// memory). When the run has errors, the destination must be discarded: files rendered
    /// before the first error was seen may have reached it.
    ///
    /// The returned run holds neither the connectors nor the files.
    pub fn generate_into(&self, destination: &dyn Destination) -> Run {
        self.process(Mode::Stream(destination))
    }

    fn process(&self, mode: Mode) -> Run {
        let mut diagnostics = Vec::new();
        let inputs = discover(&self.inputs, &mut diagnostics);
        let mut sources = Sources::new();
        let cwd = std::env::current_dir().ok();
        let origins = inputs
            .iter()
            .map(|path| (display_name(path, cwd.as_deref()), Origin::File(path)))
            .chain(
                self.texts
                    .iter()
                    .map(|(name, text)| (name.clone(), Origin::Text(text))),
            );
        let jobs: Vec<Job> = origins
            .map(|(name, origin)| Job {
                file: sources.add(name.clone(), ""),
                name,
                origin,
            })
            .collect();

        let renderer = match mode {
            Mode::Validate => None,
            Mode::Collect | Mode::Stream(_) => match self.renderer() {
                Ok(renderer) => Some(renderer),
                Err(errors) => {
                    diagnostics.extend(errors);
                    None
                }
            },
        };
        let collected = Collector::default();
        let destination: Option<&dyn Destination> = match mode {
            Mode::Validate => None,
            Mode::Collect => Some(&collected),
            Mode::Stream(destination) => Some(destination),
        };
        let work = Work {
            renderer: renderer.as_deref(),
            targets: self.targets.as_deref().unwrap_or(&Target::DEFAULT),
            destination,
            keep_connectors: !matches!(mode, Mode::Stream(_)),
            failed: AtomicBool::new(diagnostics.iter().any(Diagnostic::is_error)),
        };
        work.write_shared(&mut diagnostics);
        let threads = self.thread_count();
        let outcomes = if self.progress {
            progress::report(
                jobs.len(),
                progress::delay(),
                std::io::stderr(),
                |counter| {
                    parallel::map(&jobs, threads, |job| {
                        let outcome = work.process(job);
                        counter.tick();
                        outcome
                    })
                },
            )
        } else {
            parallel::map(&jobs, threads, |job| work.process(job))
        };

        let mut connectors = Vec::new();
        let mut identities = Vec::new();
        let mut redactions = Vec::new();
        for (job, outcome) in jobs.iter().zip(outcomes) {
            diagnostics.extend(outcome.diagnostics);
            if let Some(text) = outcome.text {
                sources.set_text(job.file, text);
            }
            redactions.extend(outcome.redactions.into_iter().map(|span| (job, span)));
            identities.extend(outcome.identity.map(|identity| (job, identity)));
            connectors.extend(outcome.connector);
        }
        duplicate_outputs(&identities, &mut sources, &mut diagnostics);
        let files = if diagnostics.iter().any(Diagnostic::is_error) {
            Vec::new()
        } else {
            collected.into_sorted()
        };
        diagnostics::sort(&mut diagnostics, &sources);
        diagnostics::collapse_repeats(&mut diagnostics);
        for (job, span) in redactions {
            if !sources.text(job.file).is_empty() {
                sources.redact(job.file, span);
            }
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
        let mut run = self.process(Mode::Validate);
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

    fn thread_count(&self) -> usize {
        self.jobs.unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
        })
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

/// What a run does with each valid connector.
#[derive(Clone, Copy)]
enum Mode<'a> {
    /// Validates only; keeps the connectors.
    Validate,
    /// Renders into [`Run::files`]; keeps the connectors.
    Collect,
    /// Renders into a destination; keeps nothing.
    Stream(&'a dyn Destination),
}

/// What a worker made of one definition. Small on purpose: a run over thousands of
/// definitions keeps one of these per definition, not the definitions themselves.
#[derive(Default)]
struct Outcome {
    /// The text, kept only when a diagnostic points into it.
    text: Option<String>,
    diagnostics: Vec<Diagnostic>,
    /// Where the text holds secret values, to mask before showing it.
    redactions: Vec<Range<usize>>,
    identity: Option<Identity>,
    /// The model, kept only when the caller asked for the connectors.
    connector: Option<Connector>,
}

/// What two connectors may not share, because their outputs would collide, and where each
/// part stood in the definition.
struct Identity {
    /// The id as the Rust module spells it (`-` and `_` are the same there), and the docs
    /// permalink in lower case (`Akken-connector` and `akken-connector` are one file on the
    /// case-insensitive file systems of macOS and Windows, and one URL to many web servers).
    keys: [String; 2],
    spans: [Range<usize>; 2],
    /// The text under each span, to confirm that a file read again is unchanged.
    excerpts: [String; 2],
}

impl Identity {
    const WHAT: [&str; 2] = ["id", "docs permalink"];

    fn of(connector: &Connector, spans: &load::SpanMap, text: &str) -> Self {
        let spans = [spans.value("/id"), spans.value("/docs/permalink")];
        Identity {
            keys: [
                connector.rust.module.clone(),
                connector.docs.permalink.to_ascii_lowercase(),
            ],
            excerpts: spans
                .clone()
                .map(|span| text.get(span).unwrap_or_default().to_owned()),
            spans,
        }
    }
}

/// The shared state of a run's worker threads.
struct Work<'a> {
    renderer: Option<&'a Renderer>,
    targets: &'a [Target],
    destination: Option<&'a dyn Destination>,
    keep_connectors: bool,
    /// Set once any error is found; from then on no file reaches the destination.
    failed: AtomicBool,
}

impl Work<'_> {
    /// Reads, loads, validates, models and renders one definition.
    fn process(&self, job: &Job) -> Outcome {
        let mut outcome = Outcome::default();
        let text = match job.read() {
            Ok(text) => text,
            Err(unreadable) => {
                outcome.diagnostics.push(*unreadable.diagnostic);
                outcome.text = unreadable.text;
                self.failed.store(true, Ordering::Relaxed);
                return outcome;
            }
        };
        match load::load(job.file, &text) {
            Ok(document) => {
                outcome.redactions = secret_values(&document);
                match shared_validator().validate(job.file, &text, &document) {
                    Ok(mut valid) => {
                        outcome.diagnostics.append(&mut valid.warnings);
                        let connector = Connector::new(&valid, &job.name);
                        outcome.identity = Some(Identity::of(&connector, &document.spans, &text));
                        self.render(&connector, &mut outcome.diagnostics);
                        if self.keep_connectors {
                            outcome.connector = Some(connector);
                        }
                    }
                    Err(errors) => outcome.diagnostics.extend(errors),
                }
            }
            Err(errors) => {
                outcome.redactions = secret_lines(&text);
                outcome.diagnostics.extend(errors);
            }
        }
        if outcome.diagnostics.iter().any(Diagnostic::is_error) {
            self.failed.store(true, Ordering::Relaxed);
        }
        if !outcome.diagnostics.is_empty() {
            outcome.text = Some(text);
        }
        outcome
    }

    /// Hands on the files the targets write once per run (the Rust clients' runtime).
    fn write_shared(&self, diagnostics: &mut Vec<Diagnostic>) {
        let (Some(_), Some(destination)) = (self.renderer, self.destination) else {
            return;
        };
        for file in self
            .targets
            .iter()
            .flat_map(|target| target.shared_outputs())
        {
            self.hand_on(destination, file, diagnostics);
        }
    }

    /// Hands `file` to `destination`, reporting a failure to write it.
    fn hand_on(
        &self,
        destination: &dyn Destination,
        file: RenderedFile,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> bool {
        let path = file.path.clone();
        if let Err(error) = destination.accept(file) {
            diagnostics.push(
                Diagnostic::error(
                    Code::Io,
                    format!("cannot write `{}`: {error}", path.display()),
                )
                .with_help("check that the output directory is writable"),
            );
            self.failed.store(true, Ordering::Relaxed);
            return false;
        }
        true
    }

    /// Renders every target of a valid connector and hands the files on, unless the run
    /// has already failed. Rendering happens even then, so that template errors are
    /// reported for every connector whatever the order the threads reach them in.
    fn render(&self, connector: &Connector, diagnostics: &mut Vec<Diagnostic>) {
        let (Some(renderer), Some(destination)) = (self.renderer, self.destination) else {
            return;
        };
        let files = match renderer.render_all(connector, self.targets) {
            Ok(files) => files,
            Err(errors) => {
                diagnostics.extend(errors);
                return;
            }
        };
        for file in files {
            if self.failed.load(Ordering::Relaxed) || !self.hand_on(destination, file, diagnostics)
            {
                return;
            }
        }
    }
}

/// Keeps the rendered files in memory, for [`Generator::generate`].
#[derive(Default)]
struct Collector(Mutex<Vec<RenderedFile>>);

impl Collector {
    fn into_sorted(self) -> Vec<RenderedFile> {
        let mut files = self.0.into_inner().unwrap_or_else(|e| e.into_inner());
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

impl Destination for Collector {
    fn accept(&self, file: RenderedFile) -> std::io::Result<()> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(file);
        Ok(())
    }
}

/// Where the document holds values of secret fields (a `default`, which is itself an error):
/// these are masked before any source line is shown. Every mapping with `secret: true`,
/// wherever it stands, so that a document of the wrong shape is covered too.
fn secret_values(document: &LoadedDocument) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    load::walk(&document.value, &mut |pointer, value| {
        if let Some(map) = value.as_object()
            && map.get("secret") == Some(&serde_json::Value::Bool(true))
            && map.contains_key("default")
            && let Some(span) = document.spans.get(&format!("{pointer}/default"))
        {
            found.push(span.value.clone());
        }
    });
    found
}

/// What to mask in a definition that did not parse, so that no structure says which
/// `default` belongs to a secret field: if the text mentions `secret` at all, the value of
/// every `default:` key, to the end of its line and on every following line indented deeper
/// (a block scalar or a folded plain value). Masking a harmless default in a broken file
/// costs a little readability; showing a secret cannot be undone.
fn secret_lines(text: &str) -> Vec<Range<usize>> {
    if !text.to_ascii_lowercase().contains("secret") {
        return Vec::new();
    }
    let starts = diagnostics::line_starts(text);
    let lines: Vec<Range<usize>> = starts
        .iter()
        .enumerate()
        .map(|(i, &start)| {
            let end = starts.get(i + 1).copied().unwrap_or(text.len());
            let line = text[start..end].trim_end_matches(['\n', '\r']);
            start..start + line.len()
        })
        .collect();
    let indent = |line: &str| line.len() - line.trim_start_matches([' ', '\t', '-']).len();
    let mut masked = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = &text[lines[i].clone()];
        let Some((value_start, flow)) = default_value_start(line) else {
            i += 1;
            continue;
        };
        let value = &line[value_start..];
        let skipped = value.len() - value.trim_start().len();
        let end = if flow {
            flow_value_end(value)
        } else {
            value.len()
        };
        let start = lines[i].start + value_start;
        masked.push(start + skipped.min(end)..start + end);
        if flow {
            i += 1;
            continue;
        }
        let key_indent = indent(line);
        i += 1;
        while i < lines.len() {
            let next = &text[lines[i].clone()];
            if !next.trim().is_empty() && indent(next) <= key_indent {
                break;
            }
            masked.push(lines[i].clone());
            i += 1;
        }
    }
    masked
}

/// Where the value of a `default:` key on `line` starts (just after its colon), if the line
/// has one: at its start, after `- `, or after a flow mapping's `{` or `,` (then `true`);
/// quoted or not.
fn default_value_start(line: &str) -> Option<(usize, bool)> {
    let mut from = 0;
    while let Some(found) = line[from..].find("default") {
        let at = from + found;
        from = at + "default".len();
        let before = line[..at].trim_end_matches(['"', '\'']).trim_end();
        let key_start = before.is_empty() || before.ends_with(['-', '{', ',']);
        let after = line[from..].trim_start_matches(['"', '\'']).trim_start();
        if key_start && after.starts_with(':') {
            return Some((line.len() - after.len() + 1, before.ends_with(['{', ','])));
        }
    }
    None
}

/// The end of a value in a flow mapping: the first `,` or `}` outside quotes (a plain flow
/// value cannot hold either), else the end of the line.
fn flow_value_end(value: &str) -> usize {
    let mut quote = None;
    for (i, c) in value.char_indices() {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, ',' | '}') => return i,
            _ => {}
        }
    }
    value.len()
}

/// Two connectors may not write the same file.
fn duplicate_outputs(
    identities: &[(&Job, Identity)],
    sources: &mut Sources,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut seen: [BTreeMap<&str, &Job>; 2] = Default::default();
    for (job, identity) in identities {
        for (part, what) in Identity::WHAT.into_iter().enumerate() {
            let Some(first) = seen[part].get(identity.keys[part].as_str()) else {
                seen[part].insert(&identity.keys[part], job);
                continue;
            };
            let message = format!(
                "this {what} is also used by `{}`; both would write the same file",
                first.name
            );
            let help = format!("give each connector its own {what}");
            diagnostics.push(if has_text(job, identity, sources) {
                Diagnostic::error(Code::DuplicateOutput, message)
                    .in_file(job.file, identity.spans[part].clone())
                    .with_help(help)
            } else {
                Diagnostic::error(Code::DuplicateOutput, format!("{}: {message}", job.name))
                    .with_help(help)
            });
        }
    }
}

/// Whether `sources` holds the text of `job`'s definition, reading it again if the run did
/// not keep it (runs keep only texts with diagnostics). A file that changed since the run
/// read it is not used, as its spans no longer fit.
fn has_text(job: &Job, identity: &Identity, sources: &mut Sources) -> bool {
    if !sources.text(job.file).is_empty() {
        return true;
    }
    let Ok(text) = job.read() else {
        return false;
    };
    let unchanged = identity
        .spans
        .iter()
        .zip(&identity.excerpts)
        .all(|(span, excerpt)| text.get(span.clone()) == Some(excerpt.as_str()));
    if unchanged {
        sources.set_text(job.file, text);
    }
    unchanged
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "connector-gen-pipeline-{name}-{}",
            std::process::id()
        ));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn defaults_are_masked_in_a_file_that_does_not_parse() {
        let text = "fields:\n  - name: Key\n    secret: true\n    default: hunter2 : oops\n  - { name: B, \"default\": s3cret, secret: true }\n    default: |\n      multi\n      line\n  - name: C\n";
        let masked: Vec<&str> = secret_lines(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(
            masked,
            ["hunter2 : oops", "s3cret", "|", "      multi", "      line"]
        );
        assert!(secret_lines("a: {default: 1}\n").is_empty());
        let quoted = "- {secret: true, default: 'a, b}', name: x}\n";
        let masked: Vec<&str> = secret_lines(quoted)
            .into_iter()
            .map(|r| &quoted[r])
            .collect();
        assert_eq!(masked, ["'a, b}'"]);
    }

    #[test]
    fn run_writes_every_output_and_reports_the_paths() {
        let out = scratch("run-ok");
        let built = Generator::new()
            .input("tests/fixtures/valid/acme-password.yaml")
            .out_dir(&out)
            .run()
            .unwrap();
        // The connector's three outputs and the Rust runtime beside its module.
        assert_eq!(built.files.len(), 4);
        assert!(built.files.iter().all(|path| path.is_file()));
        assert!(built.files.contains(&out.join("rust/runtime.rs")));
        fs::remove_dir_all(&out).unwrap();
    }

    #[test]
    fn run_with_invalid_input_leaves_nothing_behind() {
        let out = scratch("run-invalid");
        let error = Generator::new()
            .input("tests/fixtures/valid/acme-password.yaml")
            .input("tests/fixtures/invalid/not-https.yaml")
            .out_dir(&out)
            .run()
            .unwrap_err();
        assert!(
            error.rendered.contains("not-https.yaml"),
            "{}",
            error.rendered
        );
        assert!(!out.exists());
    }

    #[test]
    fn run_without_an_output_directory_says_how_to_give_one() {
        let error = Generator::new()
            .source("a.yaml", "id: a\n")
            .run()
            .unwrap_err();
        assert!(
            error.rendered.contains("no output directory"),
            "{}",
            error.rendered
        );
        // The definition's own problems are reported alongside.
        assert!(error.diagnostics.len() > 1, "{}", error.rendered);
    }
}
