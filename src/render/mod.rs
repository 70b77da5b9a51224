//! Rendering: the model through minijinja templates into the three targets.
//!
//! The templates are embedded in the binary; `--templates DIR` replaces any of them by
//! name. Undefined variables are errors. Each target has an escaping discipline the
//! environment enforces: JSON templates print every value JSON-encoded, Markdown templates
//! print bare strings as escaped plain text, and Rust templates refuse any string that has
//! not gone through a filter naming where it lands.

pub mod cyclr;
pub mod escape;
pub mod rust;

use std::fs;
use std::path::{Path, PathBuf};

use minijinja::value::{Serde, Value, ValueKind};
use minijinja::{
    AutoEscape, Environment, Error, ErrorKind, Output, State, UndefinedBehavior, escape_formatter,
};

use crate::catalogue::{self, CatalogueEntry};
use crate::diagnostics::{Code, Diagnostic};
use crate::model::Connector;

/// One generated output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    /// The Cyclr connector JSON, `cyclr/<id>.json`.
    CyclrJson,
    /// The docs page, `docs/<permalink>.md`.
    DocsPage,
    /// The Rust client module, `rust/<id>.rs`.
    RustClient,
    /// The Rust client as a ready crate, `crates/<id>/` (Cargo.toml, README.md, src/).
    RustCrate,
}

/// One file a target writes.
struct OutputFile {
    source: Source,
    path: PathBuf,
}

/// Where an output file's contents come from.
#[derive(Clone, Copy)]
enum Source {
    /// A template rendered with the connector's model.
    Template(&'static str),
    /// The Rust client rendered as the root of its own crate.
    CrateRoot,
    /// A file of the client runtime, written as it is.
    Verbatim(&'static str),
}

/// The runtime every generated Rust client calls into, compiled and tested in
/// `runtime/src/runtime.rs`; written beside the clients as it is.
pub const RUNTIME_SOURCE: &str = include_str!("../../runtime/src/runtime.rs");

/// The blocking `ureq` transport of generated crates (`runtime/src/ureq_transport.rs`).
pub const UREQ_TRANSPORT_SOURCE: &str = include_str!("../../runtime/src/ureq_transport.rs");

impl Target {
    /// The targets `generate` writes unless told otherwise.
    pub const DEFAULT: [Target; 3] = [Target::CyclrJson, Target::DocsPage, Target::RustClient];

    /// Every target.
    pub const ALL: [Target; 4] = [
        Target::CyclrJson,
        Target::DocsPage,
        Target::RustClient,
        Target::RustCrate,
    ];

    /// Where the target's main file goes, relative to the output directory. Built from
    /// validated ids only (`[a-z][a-z0-9-]*`), so it can never leave that directory.
    pub fn output_path(self, connector: &Connector) -> PathBuf {
        self.outputs(connector).swap_remove(0).path
    }

    fn outputs(self, connector: &Connector) -> Vec<OutputFile> {
        let output = |source, path: PathBuf| OutputFile { source, path };
        match self {
            Target::CyclrJson => vec![output(
                Source::Template("cyclr.json.j2"),
                Path::new("cyclr").join(format!("{}.json", connector.id)),
            )],
            Target::DocsPage => vec![output(
                Source::Template("docs.md.j2"),
                Path::new("docs").join(format!("{}.md", connector.docs.permalink)),
            )],
            Target::RustClient => vec![output(
                Source::Template("client.rs.j2"),
                Path::new("rust").join(format!("{}.rs", connector.rust.module)),
            )],
            Target::RustCrate => {
                let dir = Path::new("crates").join(&connector.id);
                vec![
                    output(Source::CrateRoot, dir.join("src/lib.rs")),
                    output(
                        Source::Template("crate/Cargo.toml.j2"),
                        dir.join("Cargo.toml"),
                    ),
                    output(
                        Source::Template("crate/README.md.j2"),
                        dir.join("README.md"),
                    ),
                    output(Source::Verbatim(RUNTIME_SOURCE), dir.join("src/runtime.rs")),
                    output(
                        Source::Verbatim(UREQ_TRANSPORT_SOURCE),
                        dir.join("src/ureq_transport.rs"),
                    ),
                ]
            }
        }
    }

    /// The files the target writes once per run, whatever the connectors: the runtime
    /// module beside the Rust client modules.
    pub fn shared_outputs(self) -> Vec<RenderedFile> {
        match self {
            Target::RustClient => vec![RenderedFile {
                path: Path::new("rust").join(format!("{}.rs", crate::model::rust::RUNTIME_MODULE)),
                contents: RUNTIME_SOURCE.to_owned(),
            }],
            Target::CyclrJson | Target::DocsPage | Target::RustCrate => Vec::new(),
        }
    }
}

/// The embedded templates, by name.
pub const EMBEDDED_TEMPLATES: &[(&str, &str)] = &[
    (
        "cyclr.json.j2",
        include_str!("../../templates/cyclr.json.j2"),
    ),
    ("docs.md.j2", include_str!("../../templates/docs.md.j2")),
    ("client.rs.j2", include_str!("../../templates/client.rs.j2")),
    (
        "client/config.rs.j2",
        include_str!("../../templates/client/config.rs.j2"),
    ),
    (
        "client/client.rs.j2",
        include_str!("../../templates/client/client.rs.j2"),
    ),
    (
        "client/connection.rs.j2",
        include_str!("../../templates/client/connection.rs.j2"),
    ),
    (
        "client/types.rs.j2",
        include_str!("../../templates/client/types.rs.j2"),
    ),
    (
        "crate/Cargo.toml.j2",
        include_str!("../../templates/crate/Cargo.toml.j2"),
    ),
    (
        "crate/README.md.j2",
        include_str!("../../templates/crate/README.md.j2"),
    ),
    (
        "catalogue.md.j2",
        include_str!("../../templates/catalogue.md.j2"),
    ),
];

/// A rendered file: where it goes and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedFile {
    /// The path relative to the output directory.
    pub path: PathBuf,
    /// The contents.
    pub contents: String,
}

/// The template environment; build it once per run.
pub struct Renderer {
    env: Environment<'static>,
}

impl Renderer {
    /// A renderer with the embedded templates, each replaced by the file of the same name in
    /// `overrides` where there is one. A file there that names no template is an error, so a
    /// misspelt override cannot be silently ignored.
    pub fn new(overrides: Option<&Path>) -> Result<Self, Vec<Diagnostic>> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_syntax(
            minijinja::syntax::SyntaxConfig::builder()
                .trim_blocks(true)
                .lstrip_blocks(true)
                .keep_trailing_newline(true)
                .build()
                .expect("the default delimiters are valid"),
        );
        env.set_auto_escape_callback(|name| match name.rsplit_once('.').map(|(stem, _)| stem) {
            // JSON strings are also valid TOML basic strings.
            Some(stem) if stem.ends_with(".json") || stem.ends_with(".toml") => AutoEscape::Json,
            Some(stem) if stem.ends_with(".md") => AutoEscape::Custom("markdown".into()),
            Some(stem) if stem.ends_with(".rs") => AutoEscape::Custom("rust".into()),
            _ => AutoEscape::None,
        });
        env.set_formatter(format_value);
        register_filters(&mut env);

        let mut sources: Vec<(String, String)> = EMBEDDED_TEMPLATES
            .iter()
            .map(|(name, source)| ((*name).to_owned(), (*source).to_owned()))
            .collect();
        let mut diagnostics = Vec::new();
        if let Some(dir) = overrides {
            match override_templates(dir) {
                Ok(files) => {
                    for (name, source) in files {
                        match sources.iter_mut().find(|(known, _)| *known == name) {
                            Some(slot) => slot.1 = source,
                            None => diagnostics.push(
                                Diagnostic::error(
                                    Code::Template,
                                    format!("`{}` replaces no template", dir.join(&name).display()),
                                )
                                .with_help(format!(
                                    "name override files after the template they replace: {}",
                                    EMBEDDED_TEMPLATES
                                        .iter()
                                        .map(|(n, _)| *n)
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                )),
                            ),
                        }
                    }
                }
                Err(diagnostic) => diagnostics.push(*diagnostic),
            }
        }
        for (name, source) in sources {
            if let Err(error) = env.add_template_owned(name.clone(), source) {
                diagnostics.push(template_error(&error));
            }
        }
        if diagnostics.is_empty() {
            Ok(Renderer { env })
        } else {
            Err(diagnostics)
        }
    }

    /// Renders one target of one connector, checking that JSON output parses.
    pub fn render(
        &self,
        connector: &Connector,
        target: Target,
    ) -> Result<Vec<RenderedFile>, Box<Diagnostic>> {
        self.render_target(connector, &Value::from(Serde(connector)), target)
    }

    /// Renders one target from `model`, the connector as a template value (built once per
    /// connector, however many templates use it).
    fn render_target(
        &self,
        connector: &Connector,
        model: &Value,
        target: Target,
    ) -> Result<Vec<RenderedFile>, Box<Diagnostic>> {
        target
            .outputs(connector)
            .into_iter()
            .map(|output| self.render_output(connector, model, output))
            .collect()
    }

    fn render_output(
        &self,
        connector: &Connector,
        model: &Value,
        output: OutputFile,
    ) -> Result<RenderedFile, Box<Diagnostic>> {
        let (template, as_crate) = match output.source {
            Source::Template(template) => (template, false),
            Source::CrateRoot => ("client.rs.j2", true),
            Source::Verbatim(contents) => {
                return Ok(RenderedFile {
                    path: output.path,
                    contents: contents.to_owned(),
                });
            }
        };
        let contents = self
            .env
            .get_template(template)
            .and_then(|t| t.render(minijinja::context! { as_crate, ..model.clone() }))
            .map_err(|e| template_error(&e))?;
        if template.ends_with(".json.j2") {
            // Checks the syntax without building the document.
            if let Err(error) = serde_json::from_str::<serde::de::IgnoredAny>(&contents) {
                return Err(Box::new(Diagnostic::error(
                    Code::InvalidOutput,
                    format!("the template {template} rendered invalid JSON for `{}`: {error}", connector.id),
                )
                .with_help("fix the template; in JSON templates every value is JSON-encoded, so write the structure around it")));
            }
        }
        Ok(RenderedFile {
            path: output.path,
            contents,
        })
    }

    /// Renders the catalogue: `catalogue.json` and the docs site's index page `catalogue.md`.
    pub fn render_catalogue(
        &self,
        entries: &[CatalogueEntry],
    ) -> Result<Vec<RenderedFile>, Box<Diagnostic>> {
        let template = self
            .env
            .get_template("catalogue.md.j2")
            .map_err(|e| template_error(&e))?;
        let page = template
            .render(minijinja::context! { entries => Value::from(Serde(entries)) })
            .map_err(|e| template_error(&e))?;
        Ok(vec![
            RenderedFile {
                path: PathBuf::from("catalogue.json"),
                contents: catalogue::to_json(entries),
            },
            RenderedFile {
                path: PathBuf::from("catalogue.md"),
                contents: page,
            },
        ])
    }

    /// Renders `targets` of one connector.
    pub fn render_all(
        &self,
        connector: &Connector,
        targets: &[Target],
    ) -> Result<Vec<RenderedFile>, Vec<Diagnostic>> {
        let model = Value::from(Serde(connector));
        let mut files = Vec::new();
        let mut errors = Vec::new();
        for &target in targets {
            match self.render_target(connector, &model, target) {
                Ok(rendered) => files.extend(rendered),
                Err(error) => errors.push(*error),
            }
        }
        if errors.is_empty() {
            Ok(files)
        } else {
            Err(errors)
        }
    }
}

fn override_templates(dir: &Path) -> Result<Vec<(String, String)>, Box<Diagnostic>> {
    let io_error = |error: std::io::Error| {
        Diagnostic::error(
            Code::Io,
            format!(
                "cannot read the template directory `{}`: {error}",
                dir.display()
            ),
        )
        .with_help("pass --templates a directory holding templates named like the embedded ones")
    };
    let mut files = Vec::new();
    // Templates sit at the top of the directory or one level down (`crate/Cargo.toml.j2`);
    // each is named by its path relative to the directory.
    let mut pending = vec![(dir.to_path_buf(), String::new())];
    while let Some((current, prefix)) = pending.pop() {
        for entry in fs::read_dir(&current).map_err(io_error)? {
            let entry = entry.map_err(io_error)?;
            let path = entry.path();
            let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
            if path.is_dir() && prefix.is_empty() {
                pending.push((path, format!("{name}/")));
                continue;
            }
            if path.is_dir() {
                // Deeper directories hold no templates.
                continue;
            }
            // Only regular files (or links to them) are read: a named pipe would block the
            // run and a device would be read without end.
            let mut source = String::new();
            crate::input::open_regular(&path)
                .and_then(|mut file| std::io::Read::read_to_string(&mut file, &mut source))
                .map_err(|error| {
                    let help = if error.kind() == std::io::ErrorKind::InvalidInput {
                        "a template is a regular UTF-8 text file; remove this entry from the \
                         template directory"
                    } else {
                        "templates are UTF-8 text files"
                    };
                    Diagnostic::error(
                        Code::Io,
                        format!("cannot read the template `{}`: {error}", path.display()),
                    )
                    .with_help(help)
                })?;
            files.push((name, source));
        }
    }
    files.sort();
    Ok(files)
}

fn template_error(error: &Error) -> Diagnostic {
    // An error inside an included template comes wrapped in the include's error: say where
    // each happened, innermost last, and give the help of the innermost.
    let mut message = String::new();
    let mut current = Some(error);
    let mut innermost = error;
    while let Some(error) = current {
        if !message.is_empty() {
            message.push_str(", in ");
        }
        match (error.name(), error.line()) {
            (Some(name), Some(line)) => message.push_str(&format!("templates/{name}:{line}: ")),
            (Some(name), None) => message.push_str(&format!("templates/{name}: ")),
            _ => {}
        }
        message.push_str(&error.kind().to_string());
        if let Some(detail) = error.detail() {
            message.push_str(": ");
            message.push_str(detail);
        }
        innermost = error;
        current = std::error::Error::source(error).and_then(|e| e.downcast_ref::<Error>());
    }
    let help = match innermost.kind() {
        ErrorKind::UndefinedError => {
            "the template uses a name the model does not have; check its spelling against the model (src/model/)"
        }
        ErrorKind::SyntaxError => "fix the template's syntax",
        _ => "fix the template",
    };
    Diagnostic::error(Code::Template, message).with_help(help)
}

/// Prints a value according to the template's escaping discipline.
fn format_value(out: &mut Output, state: &mut State, value: &Value) -> Result<(), Error> {
    let AutoEscape::Custom(mode) = state.auto_escape() else {
        return escape_formatter(out, state, value);
    };
    let text = if value.kind() == ValueKind::Bool {
        return out
            .write_str(if value.is_true() { "true" } else { "false" })
            .map_err(Error::from);
    } else if value.is_safe() || value.is_number() {
        return match value.as_str() {
            Some(text) => out.write_str(text),
            None => write!(out, "{value}"),
        }
        .map_err(Error::from);
    } else if *mode == "markdown" {
        match value.as_str() {
            Some(text) => escape::markdown_text(text),
            None => {
                return Err(Error::new(
                    ErrorKind::InvalidOperation,
                    "only strings and numbers can be printed into Markdown",
                ));
            }
        }
    } else {
        return Err(Error::new(
            ErrorKind::InvalidOperation,
            format!(
                "a bare value cannot be printed into Rust code; say where it lands with |rust_str, |rust_doc, |ident or |rust_type (value: {value})"
            ),
        ));
    };
    out.write_str(&text).map_err(Error::from)
}

/// A number, boolean or list of them as a Rust literal.
fn rust_literal(value: &Value) -> String {
    match value.kind() {
        ValueKind::Bool => value.is_true().to_string(),
        ValueKind::Seq => {
            let items: Vec<String> = value
                .try_iter()
                .into_iter()
                .flatten()
                .map(|v| rust_literal(&v))
                .collect();
            format!("[{}]", items.join(", "))
        }
        // Most literals are integers (DFA tables); their own formatting is the cheap path.
        _ => match value.as_i64() {
            Some(number) => number.to_string(),
            None => value.to_string(),
        },
    }
}

fn register_filters(env: &mut Environment<'static>) {
    rust::register(env);
    cyclr::register(env);
    env.add_filter("rust_str", |text: &str| {
        Value::from_safe_string(escape::rust_string(text))
    });
    env.add_filter(
        "rust_doc",
        |text: &str, indent: Option<usize>, inner: Option<bool>| {
            let doc = escape::rust_doc(text, indent.unwrap_or(0));
            let doc = if inner.unwrap_or(false) {
                doc.lines()
                    .map(|line| line.replacen("///", "//!", 1))
                    .collect::<Vec<_>>()
                    .join("\n")
            } else {
                doc
            };
            Value::from_safe_string(doc)
        },
    );
    env.add_filter("doc_text", |text: &str| {
        Value::from_safe_string(escape::doc_text(text))
    });
    env.add_filter("doc_code", |text: &str| {
        Value::from_safe_string(escape::doc_code(text))
    });
    env.add_filter("comment_text", |text: &str| {
        Value::from_safe_string(escape::comment_text(text))
    });
    env.add_filter("ident", |text: &str| {
        if escape::is_rust_ident(text) {
            Ok(Value::from_safe_string(text.to_owned()))
        } else {
            Err(Error::new(
                ErrorKind::InvalidOperation,
                format!("`{text}` is not a Rust identifier"),
            ))
        }
    });
    env.add_filter("rust_type", |text: &str| {
        if escape::is_rust_type(text) {
            Ok(Value::from_safe_string(text.to_owned()))
        } else {
            Err(Error::new(
                ErrorKind::InvalidOperation,
                format!("`{text}` is not a Rust type"),
            ))
        }
    });
    env.add_filter(
        "rust_array",
        |items: Vec<Value>, indent: usize, layout: &str| {
            let items: Vec<String> = items.iter().map(rust_literal).collect();
            Value::from_safe_string(escape::rust_array(&items, indent, layout == "mixed"))
        },
    );
    env.add_filter("md_inline", |text: &str| {
        Value::from_safe_string(escape::markdown_inline(text))
    });
    env.add_filter("md_cell", |text: &str| {
        Value::from_safe_string(escape::markdown_cell(text))
    });
    env.add_filter("md_code", |code: &str, language: Option<&str>| {
        Value::from_safe_string(escape::markdown_code_block(code, language.unwrap_or("")))
    });
    env.add_filter("yaml_comment", |text: &str| {
        Value::from_safe_string(escape::comment_text(text))
    });
    env.add_filter("yaml", |text: &str| {
        Value::from_safe_string(escape::yaml_scalar(text))
    });
    env.add_filter("yaml_value", |value: Value| {
        let value = serde_json::to_value(&value).map_err(|e| {
            Error::new(ErrorKind::InvalidOperation, "not a front-matter value").with_source(e)
        })?;
        Ok::<_, Error>(Value::from_safe_string(escape::yaml_value(&value)))
    });
    env.add_filter("list_marker", |number: usize, ordered: bool| {
        Value::from_safe_string(escape::list_marker(number, ordered))
    });
}
