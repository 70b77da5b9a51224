//! The command line: argument parsing and what each command prints.
//!
//! Exit codes: 0 when all is well, 1 for invalid input or drift, 2 for usage errors (clap).
//!
//! Nothing here panics on output: every write to stdout and stderr is checked. When stdout
//! or stderr cannot be written (a full disk, a closed pipe), the run stops with exit code 1;
//! the failure is reported on stderr when stderr still works, and quietly for a broken pipe
//! (`connector-gen list | head -1`), as Unix tools do.

use std::fmt;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::diagnostics::{self, Code, Diagnostic, Severity, Sources, printable};
use crate::pipeline::{Generator, Run};
use crate::render::Target;
use crate::scaffold::NewAuth;
use crate::write::{self, Comparison, Drift, Staging, WriteReport};

/// Turns a YAML connector definition into a Cyclr connector JSON, a docs page and a Rust client.
#[derive(Debug, Parser)]
#[command(name = "connector-gen", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// How to print diagnostics.
    #[arg(long, value_enum, global = true, default_value_t = Format::Human)]
    pub format: Format,
    /// When to colour diagnostics (auto: on a terminal, unless NO_COLOR is set).
    #[arg(long, value_enum, global = true, default_value_t = Color::Auto)]
    pub color: Color,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check connector definitions and report every problem.
    Validate(InputArgs),
    /// Generate the Cyclr JSON, docs page and Rust client of every connector.
    Generate(GenerateArgs),
    /// Write the catalogue: OUT/catalogue.json and the docs site's index page OUT/catalogue.md.
    Catalogue(CatalogueArgs),
    /// Print the catalogue as a table.
    List(InputArgs),
    /// Print the JSON Schema of connector definitions.
    Schema,
    /// Write a new definition, valid as written, with every value to fill in marked TODO (which
    /// `validate` warns of, W004, until every TODO is replaced).
    New(NewArgs),
    /// Start a definition from a vendor's API document (`import openapi SPEC`).
    Import(ImportArgs),
    /// Compare two versions of a definition (or of the catalogue) in meaning, and name the
    /// release the changes call for (Major, Minor or Patch).
    Diff(DiffArgs),
    /// Write a synthetic catalogue of valid definitions, for benchmarks.
    #[command(hide = true)]
    Synth(SynthArgs),
    /// Write each connector's model (the values templates see) as OUT/<id>.json, for the
    /// reference pipeline of the benchmark and for template authors.
    #[command(hide = true)]
    Model(ModelArgs),
}

/// Options of `import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// What kind of document to import.
    #[command(subcommand)]
    pub source: ImportSource,
}

/// The documents `import` reads.
#[derive(Debug, Subcommand)]
pub enum ImportSource {
    /// An OpenAPI 3.0/3.1 or Swagger 2.0 document (JSON or YAML): writes a definition that
    /// validates, with a `# review:` comment on every value to check.
    Openapi(OpenApiArgs),
}

/// Options of `import openapi`.
#[derive(Debug, Args)]
pub struct OpenApiArgs {
    /// The API document: a JSON or YAML file; relative `$ref`s are read beside it.
    pub spec: PathBuf,
    /// The connector's id (lower-case letters, digits and hyphens); by default made from the
    /// document's title.
    #[arg(long)]
    pub id: Option<String>,
    /// Where to write the definition (by default, stdout).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace FILE if it exists.
    #[arg(long)]
    pub force: bool,
    /// Import only the operations with this tag (repeat for several; case is ignored).
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Import only the operations whose path starts with PREFIX, e.g. /v1/customers (repeat for
    /// several).
    #[arg(long = "path", value_name = "PREFIX")]
    pub paths: Vec<String>,
}

/// Options of the hidden `model` command.
#[derive(Debug, Args)]
pub struct ModelArgs {
    /// Which definitions to read.
    #[command(flatten)]
    pub input: InputArgs,
    /// The directory to write them in.
    #[arg(long)]
    pub out: PathBuf,
}

/// Options of `diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// OLD and NEW: two definition files or directories; with `--base`, one path (default
    /// connectors), compared as committed at the ref against the working copy.
    pub paths: Vec<PathBuf>,
    /// Compare PATH as committed at this git ref (`main`, `HEAD~1`) with the working copy.
    #[arg(long, value_name = "GIT_REF")]
    pub base: Option<String>,
    /// Exit 1 when a change of this class or a higher one is found.
    #[arg(long, value_enum, value_name = "CLASS")]
    pub fail_on: Option<FailOn>,
}

/// The classes `diff --fail-on` can fail on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Fail on a Major change.
    Major,
    /// Fail on a Minor or Major change.
    Minor,
}

/// Options of the hidden `synth` command.
#[derive(Debug, Args)]
pub struct SynthArgs {
    /// How many definitions to write.
    #[arg(long)]
    pub count: usize,
    /// The seed: the same seed writes the same bytes.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The directory to write them in.
    #[arg(long)]
    pub out: PathBuf,
}

/// Options of `catalogue`.
#[derive(Debug, Args)]
pub struct CatalogueArgs {
    /// Which definitions to read.
    #[command(flatten)]
    pub input: InputArgs,
    /// Where and how to write.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Options of `new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The connector's id: lower-case letters, digits and hyphens, starting with a letter.
    pub id: String,
    /// How the connector authenticates.
    #[arg(long, value_enum)]
    pub auth: NewAuth,
    /// The directory to write `<id>.yaml` in.
    #[arg(long, default_value = "connectors")]
    pub dir: PathBuf,
}

/// Where and how `generate` and `catalogue` write.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// The output directory: OUT/cyclr/<id>.json, OUT/docs/<permalink>.md, OUT/rust/<id>.rs...
    #[arg(long, default_value = "out")]
    pub out: PathBuf,
    /// A directory of templates that replace the embedded ones of the same name.
    #[arg(long)]
    pub templates: Option<PathBuf>,
    /// Write nothing; exit 1 naming each output that is missing, differs or is stale.
    #[arg(long)]
    pub check: bool,
}

/// Which definitions to read.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Definition files, or directories of *.yaml definitions.
    #[arg(default_value = "connectors")]
    pub paths: Vec<PathBuf>,
    /// How many definitions to work on at once (default: one per processor).
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<std::num::NonZeroUsize>,
}

/// Options of `generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Which definitions to read.
    #[command(flatten)]
    pub input: InputArgs,
    /// Where and how to write.
    #[command(flatten)]
    pub output: OutputArgs,
    /// What to generate (repeat or separate with commas); by default cyclr-json, docs and rust.
    #[arg(long = "target", value_enum, value_delimiter = ',')]
    pub targets: Vec<TargetArg>,
}

/// The outputs `generate` can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TargetArg {
    /// OUT/cyclr/<id>.json
    CyclrJson,
    /// OUT/docs/<permalink>.md
    Docs,
    /// OUT/rust/<id>.rs, one module per connector
    Rust,
    /// OUT/crates/<id>/, a ready crate per connector (with a `ureq` feature)
    RustCrate,
}

impl From<TargetArg> for Target {
    fn from(target: TargetArg) -> Self {
        match target {
            TargetArg::CyclrJson => Target::CyclrJson,
            TargetArg::Docs => Target::DocsPage,
            TargetArg::Rust => Target::RustClient,
            TargetArg::RustCrate => Target::RustCrate,
        }
    }
}

/// Diagnostic output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Like rustc: the source line, the span underlined, and help.
    Human,
    /// One JSON object per line, for editors and CI.
    Json,
    /// GitHub Actions workflow commands (annotations).
    Github,
}

/// Colour choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Runs the command line; returns the process exit code.
pub fn run(cli: &Cli) -> ExitCode {
    let color = match cli.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            std::io::stderr().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let printer = Printer {
        format: cli.format,
        color,
    };
    let result = match &cli.command {
        Command::Validate(args) => validate(args, &printer),
        Command::Generate(args) => generate(args, &printer),
        Command::Catalogue(args) => catalogue(args, &printer),
        Command::List(args) => list(args, &printer),
        Command::Schema => {
            out(format_args!("{}", crate::validate::CONNECTOR_SCHEMA)).map(|()| ExitCode::SUCCESS)
        }
        Command::New(args) => new(args, &printer),
        Command::Import(args) => import(args, &printer),
        Command::Diff(args) => diff(args, &printer),
        Command::Synth(args) => synth(args, &printer),
        Command::Model(args) => model(args, &printer),
    };
    match result.and_then(|code| io::stdout().flush().map(|()| code)) {
        Ok(code) => code,
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => ExitCode::FAILURE,
        Err(error) => {
            // If stderr fails as well there is nobody left to tell.
            let _ = writeln!(
                io::stderr(),
                "error[E001]: cannot write the output: {error}\n  = help: check that the disk or the pipe the output goes to can take it"
            );
            ExitCode::FAILURE
        }
    }
}

/// What a command ends with: its exit code, or the failure to write its output.
type Outcome = io::Result<ExitCode>;

/// Writes to stdout, reporting failure instead of panicking as `print!` does.
fn out(text: fmt::Arguments<'_>) -> io::Result<()> {
    io::stdout().lock().write_fmt(text)
}

fn model(args: &ModelArgs, printer: &Printer) -> Outcome {
    let run = generator(&args.input, printer).validate();
    printer.diagnostics(&run)?;
    if run.has_errors() {
        return Ok(ExitCode::FAILURE);
    }
    let written = std::fs::create_dir_all(&args.out).and_then(|()| {
        run.connectors.iter().try_for_each(|connector| {
            let json = serde_json::to_string(connector).map_err(std::io::Error::other)?;
            std::fs::write(args.out.join(format!("{}.json", connector.id)), json)
        })
    });
    match written {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(error) => printer.cannot("write to", &args.out, &error),
    }
}

fn diff(args: &DiffArgs, printer: &Printer) -> Outcome {
    use crate::diff::{self, Class, sides};
    let (old, new) = match (&args.base, args.paths.as_slice()) {
        (Some(reference), [] | [_]) => {
            let path = args
                .paths
                .first()
                .cloned()
                .unwrap_or_else(|| "connectors".into());
            let old = sides::Origin::Git {
                reference: reference.clone(),
                path: path.clone(),
            };
            (old, sides::Origin::Path(path))
        }
        (None, [old, new]) => (
            sides::Origin::Path(old.clone()),
            sides::Origin::Path(new.clone()),
        ),
        _ => {
            use clap::CommandFactory;
            let message = if args.base.is_some() {
                "with --base, give at most one PATH (the working copy's file or directory)"
            } else {
                "give two paths, OLD and NEW (or one with --base GIT_REF)"
            };
            let error = Cli::command().error(clap::error::ErrorKind::WrongNumberOfValues, message);
            io::stderr()
                .lock()
                .write_all(error.render().to_string().as_bytes())?;
            return Ok(ExitCode::from(2));
        }
    };
    let mut sources = Sources::new();
    let mut versions = Vec::new();
    let mut names = Vec::new();
    let mut catalogue = false;
    let mut invalid = false;
    for origin in [&old, &new] {
        let checked = sides::read(origin).and_then(|texts| {
            catalogue |= texts.directory;
            names.push(texts.name.clone());
            sides::check(&texts, &mut sources)
        });
        match checked {
            Ok(side) => versions.push(side),
            Err(sides::Unusable::Invalid(sources, diagnostics)) => {
                let text =
                    render_diagnostics(&diagnostics, &sources, printer.format, printer.color);
                io::stderr().lock().write_all(text.as_bytes())?;
                invalid = true;
            }
            Err(sides::Unusable::Failed(diagnostic)) => return printer.fail(*diagnostic),
        }
    }
    let ([old_versions, new_versions], [old_name, new_name]) =
        (versions.as_slice(), names.as_slice())
    else {
        return Ok(ExitCode::FAILURE);
    };
    if invalid {
        return Ok(ExitCode::FAILURE);
    }
    let report = diff::compare_all(
        sources,
        old_versions,
        new_versions,
        (old_name, new_name),
        catalogue,
    );
    out(format_args!(
        "{}",
        diff::output::render(&report, printer.format)
    ))?;
    let threshold = match args.fail_on {
        Some(FailOn::Major) => Some(Class::Major),
        Some(FailOn::Minor) => Some(Class::Minor),
        None => None,
    };
    let fails = threshold.is_some_and(|threshold| report.release() >= Some(threshold));
    Ok(if fails {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn synth(args: &SynthArgs, printer: &Printer) -> Outcome {
    let written = std::fs::create_dir_all(&args.out).and_then(|()| {
        crate::synth::catalogue(args.count, args.seed)
            .into_iter()
            .try_for_each(|(name, text)| std::fs::write(args.out.join(name), text))
    });
    match written {
        Ok(()) => {
            out(format_args!(
                "{} in {}\n",
                plural(args.count, "definition"),
                args.out.display()
            ))?;
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => printer.cannot("write to", &args.out, &error),
    }
}

fn catalogue(args: &CatalogueArgs, printer: &Printer) -> Outcome {
    let run = generator_with(&args.input, &args.output, printer).catalogue();
    printer.diagnostics(&run)?;
    if run.has_errors() {
        return Ok(ExitCode::FAILURE);
    }
    write_or_check("catalogue", &args.output, &args.input, &run, printer)
}

fn list(args: &InputArgs, printer: &Printer) -> Outcome {
    let run = generator(args, printer).validate();
    printer.diagnostics(&run)?;
    if run.has_errors() {
        return Ok(ExitCode::FAILURE);
    }
    out(format_args!(
        "{}",
        crate::catalogue::to_table(&crate::catalogue::entries(&run.connectors))
    ))?;
    Ok(ExitCode::SUCCESS)
}

fn new(args: &NewArgs, printer: &Printer) -> Outcome {
    if !valid_id(&args.id) {
        return printer.fail(invalid_id(&args.id));
    }
    let path = args.dir.join(format!("{}.yaml", args.id));
    if path.exists() {
        return printer.fail(
            Diagnostic::error(Code::Io, format!("{} already exists", path.display()))
                .with_help("choose another id, or edit that file"),
        );
    }
    let auth = args.auth;
    let written = std::fs::create_dir_all(&args.dir)
        .and_then(|()| std::fs::write(&path, crate::scaffold::definition(&args.id, auth)));
    if let Err(error) = written {
        return printer.cannot("write", &path, &error);
    }
    out(format_args!(
        "wrote {}\nnext: replace every TODO in it (names, descriptions, URLs, methods), then run\n  connector-gen validate {}\n",
        path.display(),
        path.display()
    ))?;
    Ok(ExitCode::SUCCESS)
}

fn valid_id(id: &str) -> bool {
    id.len() <= 63
        && id.starts_with(|c: char| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn invalid_id(id: &str) -> Diagnostic {
    Diagnostic::error(
        Code::InvalidValue,
        format!("`{id}` is not a valid connector id"),
    )
    .with_help("use lower-case letters, digits and hyphens, starting with a letter, e.g. acme-crm")
}

fn import(args: &ImportArgs, printer: &Printer) -> Outcome {
    let ImportSource::Openapi(args) = &args.source;
    if let Some(id) = &args.id
        && !valid_id(id)
    {
        return printer.fail(invalid_id(id));
    }
    if let Some(path) = &args.output
        && path.exists()
        && !args.force
    {
        return printer.fail(
            Diagnostic::error(Code::Io, format!("{} already exists", path.display()))
                .with_help("choose another file, or pass --force to replace it"),
        );
    }
    let options = crate::import::Options {
        id: args.id.clone(),
        output_name: args
            .output
            .as_ref()
            .map_or_else(|| "<stdout>".to_owned(), |p| p.display().to_string()),
        tags: args.tags.clone(),
        paths: args.paths.clone(),
    };
    let imported = match crate::import::openapi(&args.spec, &options) {
        Ok(imported) => imported,
        Err(mut failed) => {
            diagnostics::sort(&mut failed.errors, &failed.sources);
            let text = render_diagnostics(
                &failed.errors,
                &failed.sources,
                printer.format,
                printer.color,
            );
            io::stderr().lock().write_all(text.as_bytes())?;
            return Ok(ExitCode::FAILURE);
        }
    };
    let mut warnings = imported.warnings;
    diagnostics::sort(&mut warnings, &imported.sources);
    diagnostics::collapse_repeats(&mut warnings);
    let text = render_diagnostics(&warnings, &imported.sources, printer.format, printer.color);
    io::stderr().lock().write_all(text.as_bytes())?;
    match &args.output {
        Some(path) => {
            if let Err(error) = write::replace_file(path, imported.text.as_bytes()) {
                return printer.cannot("write", path, &error);
            }
            if printer.format == Format::Human {
                writeln!(
                    io::stderr(),
                    "{}\nwrote {}",
                    imported.summary,
                    path.display()
                )?;
            }
        }
        None => {
            out(format_args!("{}", imported.text))?;
            if printer.format == Format::Human {
                writeln!(io::stderr(), "{}", imported.summary)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn generator(input: &InputArgs, printer: &Printer) -> Generator {
    let generator = input
        .paths
        .iter()
        .fold(Generator::new(), |generator, path| generator.input(path))
        // Progress only for a person at a terminal, never in machine formats.
        .progress(printer.format == Format::Human && std::io::stderr().is_terminal());
    match input.jobs {
        Some(jobs) => generator.jobs(jobs.get()),
        None => generator,
    }
}

fn validate(args: &InputArgs, printer: &Printer) -> Outcome {
    let run = generator(args, printer).validate();
    printer.diagnostics(&run)?;
    if run.has_errors() {
        return Ok(ExitCode::FAILURE);
    }
    if printer.format == Format::Human {
        out(format_args!(
            "{} valid\n",
            plural(run.connectors.len(), "connector definition")
        ))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn generate(args: &GenerateArgs, printer: &Printer) -> Outcome {
    let mut generator = generator_with(&args.input, &args.output, printer);
    if !args.targets.is_empty() {
        generator = generator.targets(args.targets.iter().copied().map(Target::from));
    }
    // Files are written (or compared) as they are rendered, so that a large catalogue is
    // never held in memory; on any error the staged files are dropped unseen.
    let out = args.output.out.as_path();
    if args.output.check {
        let comparison = Comparison::new(out);
        let run = generator.generate_into(&comparison);
        printer.diagnostics(&run)?;
        if run.has_errors() {
            return Ok(ExitCode::FAILURE);
        }
        let compared = comparison.compared();
        let check = Check {
            command: "generate",
            out,
            input: &args.input,
            files: compared,
        };
        return printer.report_check(&check, comparison.finish());
    }
    let staging = match Staging::new(out) {
        Ok(staging) => staging,
        Err(error) => return printer.cannot("write to", out, &error),
    };
    let run = generator.generate_into(&staging);
    printer.diagnostics(&run)?;
    if run.has_errors() {
        return Ok(ExitCode::FAILURE);
    }
    printer.report_write(out, staging.commit())
}

/// A generator for `input`, with `output`'s template overrides.
fn generator_with(input: &InputArgs, output: &OutputArgs, printer: &Printer) -> Generator {
    let generator = generator(input, printer);
    match &output.templates {
        Some(templates) => generator.templates(templates),
        None => generator,
    }
}

/// Writes a run's files below `output.out`, or with `--check` compares them and writes
/// nothing; `command` is the command that writes them, for the help that drift prints.
fn write_or_check(
    command: &str,
    output: &OutputArgs,
    input: &InputArgs,
    run: &Run,
    printer: &Printer,
) -> Outcome {
    let out = output.out.as_path();
    if output.check {
        let drift = write::check(out, &run.files);
        let check = Check {
            command,
            out,
            input,
            files: run.files.len(),
        };
        return printer.report_check(&check, drift);
    }
    printer.report_write(out, write::write_all(out, &run.files))
}

/// What `--check` compared: for the report and its help.
struct Check<'a> {
    /// The command that writes the outputs.
    command: &'a str,
    out: &'a Path,
    input: &'a InputArgs,
    /// How many generated files were compared.
    files: usize,
}

impl Check<'_> {
    /// The command that brings the outputs up to date.
    fn fix(&self, stale: bool) -> String {
        let inputs: Vec<String> = self
            .input
            .paths
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        format!(
            "run `connector-gen {} {} --out {}` and commit the result{}",
            self.command,
            inputs.join(" "),
            self.out.display(),
            if stale { "; delete stale files" } else { "" }
        )
    }
}

/// One entry of a drift report: the file, what kind of drift, and a sentence on it.
fn drift_entry(item: &Drift) -> (&Path, &'static str, String, Option<&str>) {
    match item {
        Drift::Missing(path) => (
            path,
            "missing",
            format!("{} is missing", path.display()),
            None,
        ),
        Drift::Changed(path, diff) => (
            path,
            "changed",
            format!(
                "{} differs from what the definitions generate",
                path.display()
            ),
            Some(diff),
        ),
        Drift::Stale(path) => (
            path,
            "stale",
            format!("{} is stale: no connector produces it", path.display()),
            None,
        ),
    }
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

struct Printer {
    format: Format,
    color: bool,
}

impl Printer {
    fn diagnostics(&self, run: &Run) -> io::Result<()> {
        let text = render_diagnostics(&run.diagnostics, &run.sources, self.format, self.color);
        io::stderr().lock().write_all(text.as_bytes())
    }

    /// Reports one problem that is not about a definition (in the chosen format) and fails.
    fn fail(&self, diagnostic: Diagnostic) -> Outcome {
        let text = render_diagnostics(&[diagnostic], &Sources::new(), self.format, self.color);
        io::stderr().lock().write_all(text.as_bytes())?;
        Ok(ExitCode::FAILURE)
    }

    /// Reports that `path` could not be read or written, and fails.
    fn cannot(&self, what: &str, path: &Path, error: &io::Error) -> Outcome {
        self.fail(
            Diagnostic::error(
                Code::Io,
                format!("cannot {what} {}: {error}", path.display()),
            )
            .with_help("check the path, its permissions and the free space on its disk"),
        )
    }

    fn report_write(&self, out_dir: &Path, result: io::Result<WriteReport>) -> Outcome {
        let report = match result {
            Ok(report) => report,
            Err(error) => return self.cannot("write to", out_dir, &error),
        };
        let mut stdout = io::stdout().lock();
        if self.format == Format::Human {
            writeln!(
                stdout,
                "{} in {}: {} written, {} unchanged",
                plural(report.written.len() + report.unchanged.len(), "file"),
                out_dir.display(),
                report.written.len(),
                report.unchanged.len()
            )?;
        }
        for path in &report.stale {
            let message = format!(
                "{} is stale: no connector produces it any more",
                path.display()
            );
            match self.format {
                Format::Human => writeln!(stdout, "note: {message}; remove it")?,
                Format::Json => writeln!(
                    stdout,
                    "{}",
                    serde_json::json!({
                        "file": printable(&path.display().to_string()),
                        "kind": "stale",
                        "severity": "warning",
                        "message": printable(&message),
                        "help": "remove it",
                    })
                )?,
                Format::Github => writeln!(
                    stdout,
                    "::warning file={},title=stale output::{}",
                    github_property(&path.display().to_string()),
                    github_data(&format!("{message}\nhelp: remove it"))
                )?,
            }
        }
        Ok(ExitCode::SUCCESS)
    }

    /// Reports the drift between the generated files and `check.out`: one entry per file,
    /// in the chosen format, then what to run.
    fn report_check(&self, check: &Check<'_>, drift: io::Result<Vec<Drift>>) -> Outcome {
        let drift = match drift {
            Ok(drift) => drift,
            Err(error) => return self.cannot("read", check.out, &error),
        };
        let mut stdout = io::stdout().lock();
        if drift.is_empty() {
            if self.format == Format::Human {
                writeln!(
                    stdout,
                    "{} in {} up to date",
                    plural(check.files, "file"),
                    check.out.display()
                )?;
            }
            return Ok(ExitCode::SUCCESS);
        }
        let stale = drift.iter().any(|d| matches!(d, Drift::Stale(_)));
        let fix = check.fix(stale);
        let summary = format!("{} out of date", plural(drift.len(), "output"));
        match self.format {
            Format::Human => {
                for item in &drift {
                    match item {
                        Drift::Missing(path) => writeln!(stdout, "missing: {}", path.display())?,
                        Drift::Changed(path, diff) => {
                            writeln!(stdout, "changed: {}\n{diff}", path.display())?;
                        }
                        Drift::Stale(path) => writeln!(
                            stdout,
                            "stale: {} (no connector produces it)",
                            path.display()
                        )?,
                    }
                }
                writeln!(stdout, "error: {summary}\nhelp: {fix}")?;
            }
            Format::Json => {
                for item in &drift {
                    let (path, kind, message, diff) = drift_entry(item);
                    let mut entry = serde_json::json!({
                        "file": printable(&path.display().to_string()),
                        "kind": kind,
                        "severity": "error",
                        "message": printable(&message),
                        "help": fix,
                    });
                    if let Some(diff) = diff {
                        entry["diff"] = diff.into();
                    }
                    writeln!(stdout, "{entry}")?;
                }
                writeln!(
                    stdout,
                    "{}",
                    serde_json::json!({
                        "kind": "summary",
                        "severity": "error",
                        "message": summary,
                        "help": fix,
                    })
                )?;
            }
            Format::Github => {
                for item in &drift {
                    let (path, kind, message, diff) = drift_entry(item);
                    let mut text = format!("{message}\nhelp: {fix}");
                    if let Some(diff) = diff {
                        text.push_str(&format!("\n{diff}"));
                    }
                    writeln!(
                        stdout,
                        "::error file={},title={}::{}",
                        github_property(&path.display().to_string()),
                        github_property(&format!("{kind} output")),
                        github_data(&text)
                    )?;
                }
                writeln!(
                    stdout,
                    "::error title=outputs out of date::{}",
                    github_data(&format!("{summary}\nhelp: {fix}"))
                )?;
            }
        }
        Ok(ExitCode::FAILURE)
    }
}

/// Escapes the message of a GitHub workflow command.
pub(crate) fn github_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property (`file=`, `title=`) of a GitHub workflow command.
pub(crate) fn github_property(text: &str) -> String {
    github_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Renders a run's diagnostics in `format`, followed (for humans) by a summary line.
pub fn render_diagnostics(
    diagnostics: &[Diagnostic],
    sources: &Sources,
    format: Format,
    color: bool,
) -> String {
    match format {
        Format::Human => {
            let mut text = diagnostics::render_human(diagnostics, sources, color);
            if let Some(summary) = diagnostics::summary(diagnostics) {
                text.push_str(&summary);
                text.push('\n');
            }
            text
        }
        Format::Json => diagnostics
            .iter()
            .map(|d| format!("{}\n", json_line(d, sources)))
            .collect(),
        Format::Github => diagnostics
            .iter()
            .map(|d| {
                let mut line = format!("{}\n", github_line(d, sources));
                if d.more_of_the_same > 0 {
                    // The count as an annotation of its own, at the last one shown.
                    let more = Diagnostic {
                        message: diagnostics::more_of_the_same(d.more_of_the_same),
                        help: None,
                        more_of_the_same: 0,
                        ..d.clone()
                    };
                    line.push_str(&format!("{}\n", github_line(&more, sources)));
                }
                line
            })
            .collect(),
    }
}

/// Where a diagnostic stands, as 1-based lines and columns.
struct Position {
    file: String,
    start: (usize, usize),
    end: (usize, usize),
}

fn position(diagnostic: &Diagnostic, sources: &Sources) -> Option<Position> {
    let file = diagnostic.file?;
    let span = diagnostic.span.clone().unwrap_or(0..0);
    Some(Position {
        file: sources.name(file).to_owned(),
        start: sources.line_column(file, span.start),
        end: sources.line_column(file, span.end),
    })
}

fn json_line(diagnostic: &Diagnostic, sources: &Sources) -> String {
    let position = position(diagnostic, sources);
    let (file, start, end) = match position {
        Some(Position { file, start, end }) => (Some(file), Some(start), Some(end)),
        None => (None, None, None),
    };
    let mut line = serde_json::json!({
        "file": file,
        "line": start.map(|s| s.0),
        "column": start.map(|s| s.1),
        "end_line": end.map(|e| e.0),
        "end_column": end.map(|e| e.1),
        "severity": match diagnostic.severity { Severity::Error => "error", Severity::Warning => "warning" },
        "code": diagnostic.code.as_str(),
        "message": printable(&diagnostic.message),
        "help": diagnostic.help.as_deref().map(printable),
    });
    if diagnostic.more_of_the_same > 0 {
        // How many more diagnostics with this file, code and message were left out.
        line["more_of_the_same"] = diagnostic.more_of_the_same.into();
    }
    line.to_string()
}

fn github_line(diagnostic: &Diagnostic, sources: &Sources) -> String {
    let command = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let escape_data = github_data;
    let escape_property = github_property;
    let mut message = format!("{} {}", diagnostic.code, printable(&diagnostic.message));
    if let Some(help) = &diagnostic.help {
        message.push_str(&format!("\nhelp: {}", printable(help)));
    }
    match position(diagnostic, sources) {
        Some(Position { file, start, end }) => format!(
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_property(&file),
            start.0,
            start.1,
            end.0,
            end.1,
            escape_property(diagnostic.code.as_str()),
            escape_data(&message)
        ),
        None => format!(
            "::{command} title={}::{}",
            escape_property(diagnostic.code.as_str()),
            escape_data(&message)
        ),
    }
}
