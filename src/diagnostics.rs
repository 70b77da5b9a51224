//! Diagnostics: every problem connector-gen finds, with a stable code, a place and a fix.
//!
//! Each stage (load, validate, render) returns [`Diagnostic`] values instead of failing on the
//! first problem, so one run reports everything. [`Sources`] keeps the text of every file read so
//! diagnostics can be rendered with the offending line underlined, like rustc does.

use std::fmt;
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity as ReportSeverity};
use codespan_reporting::files::{SimpleFile, SimpleFiles};
use codespan_reporting::term::{self, termcolor};

/// Identifies one file in [`Sources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub usize);

/// How bad a diagnostic is: errors stop generation, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The input is invalid; nothing is written.
    Error,
    /// The input works but is probably not what was meant.
    Warning,
}

macro_rules! codes {
    ($($(#[doc = $doc:literal])* $variant:ident = $code:literal,)*) => {
        /// A stable code for each kind of problem; the README lists them with their fixes.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($(#[doc = $doc])* $variant,)*
        }

        impl Code {
            /// Every code, in order.
            pub const ALL: &[Code] = &[$(Code::$variant,)*];

            /// The code as printed, e.g. `E004`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)*
                }
            }

            /// One line saying what the code means.
            pub fn summary(self) -> &'static str {
                match self {
                    $(Code::$variant => concat!($($doc),*).trim_ascii(),)*
                }
            }
        }
    };
}

codes! {
    /// A file or directory could not be read.
    Io = "E001",
    /// The file is larger than a definition can sensibly be.
    FileTooLarge = "E002",
    /// The file is not valid UTF-8.
    NotUtf8 = "E003",
    /// The YAML does not parse.
    YamlSyntax = "E004",
    /// A mapping has the same key twice.
    DuplicateKey = "E005",
    /// Lists and mappings nest too deeply.
    TooDeep = "E006",
    /// Aliases expand the document past the node limit.
    TooManyNodes = "E007",
    /// The YAML uses a feature definitions do not allow (tags, several documents, complex keys).
    YamlUnsupported = "E008",
    /// A value has the wrong type.
    WrongType = "E010",
    /// A key the format does not know.
    UnknownKey = "E011",
    /// A required key is missing.
    MissingKey = "E012",
    /// A value is not one of those allowed, or does not have the required form.
    InvalidValue = "E013",
    /// A `<<Name>>` placeholder names nothing declared.
    UnknownPlaceholder = "E020",
    /// A `<<` without its `>>`, or a placeholder whose name is not a name.
    MalformedPlaceholder = "E021",
    /// A placeholder names both a setup field and a method parameter.
    AmbiguousPlaceholder = "E022",
    /// A placeholder stands where a value cannot go (scheme, port, user info, fragment).
    MisplacedPlaceholder = "E023",
    /// The auth flow lacks a field it needs.
    MissingAuthField = "E024",
    /// A credential field is not marked `secret: true`.
    SecretNotMarked = "E025",
    /// Two fields, parameters or methods have the same name.
    DuplicateName = "E026",
    /// Two names become the same identifier in generated code.
    IdentifierCollision = "E027",
    /// A URL template is not https or does not parse.
    InvalidUrl = "E028",
    /// A validation pattern is not a valid regular expression.
    InvalidPattern = "E029",
    /// A secret field has a default value.
    SecretDefault = "E030",
    /// A method parameter is declared in one place and used in another.
    ParameterPlacement = "E031",
    /// An auth setting does not belong to the auth type or flow.
    AuthSettingMisplaced = "E032",
    /// Two connectors would write the same output file.
    DuplicateOutput = "E033",
    /// Paging settings contradict each other.
    InvalidPaging = "E034",
    /// A template failed to render.
    Template = "E040",
    /// A rendered output is not valid in its format.
    InvalidOutput = "E041",
    /// A setup field is declared but nothing uses it.
    UnusedField = "W001",
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem, with where it is and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The stable code.
    pub code: Code,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The file at fault, when there is one.
    pub file: Option<FileId>,
    /// The byte range at fault within `file`.
    pub span: Option<Range<usize>>,
    /// A short note under the underlined span.
    pub label: Option<String>,
    /// Other places that explain the problem (the first of two duplicates, say).
    pub secondary: Vec<(Range<usize>, String)>,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A new error with a code and a message.
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, message)
    }

    /// A new warning with a code and a message.
    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, message)
    }

    fn new(severity: Severity, code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            code,
            message: message.into(),
            file: None,
            span: None,
            label: None,
            secondary: Vec::new(),
            help: None,
        }
    }

    /// Places the diagnostic at `span` in `file`.
    pub fn in_file(mut self, file: FileId, span: Range<usize>) -> Self {
        self.file = Some(file);
        self.span = Some(span);
        self
    }

    /// Adds the note shown under the underlined span.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Adds another place in the same file that explains the problem.
    pub fn with_secondary(mut self, span: Range<usize>, label: impl Into<String>) -> Self {
        self.secondary.push((span, label.into()));
        self
    }

    /// Adds how to fix the problem.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether this diagnostic stops generation.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The files of one run, for rendering diagnostics with their source lines.
#[derive(Default)]
pub struct Sources {
    files: SimpleFiles<String, String>,
}

impl Sources {
    /// An empty set of files.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file by its display name and text; returns its id.
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> FileId {
        FileId(self.files.add(name.into(), text.into()))
    }

    /// The display name of a file.
    pub fn name(&self, file: FileId) -> &str {
        self.file(file).name()
    }

    /// The text of a file.
    pub fn text(&self, file: FileId) -> &str {
        self.file(file).source()
    }

    fn file(&self, file: FileId) -> &SimpleFile<String, String> {
        self.files
            .get(file.0)
            .expect("file ids come from Sources::add")
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_column(&self, file: FileId, offset: usize) -> (usize, usize) {
        let text = self.text(file);
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line = text[..line_start].matches('\n').count() + 1;
        let column = text[line_start..offset].chars().count() + 1;
        (line, column)
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Puts diagnostics in the order people read them: by file, then position, errors first.
pub fn sort(diagnostics: &mut [Diagnostic], sources: &Sources) {
    diagnostics.sort_by(|a, b| {
        let name = |d: &Diagnostic| d.file.map(|f| sources.name(f).to_owned());
        (
            name(a),
            a.span.as_ref().map(|s| s.start),
            a.severity,
            a.code,
            &a.message,
        )
            .cmp(&(
                name(b),
                b.span.as_ref().map(|s| s.start),
                b.severity,
                b.code,
                &b.message,
            ))
    });
}

/// Renders diagnostics as rustc does: severity, code, message, `file:line:column`, the source
/// line with the span underlined, and the help. `color` adds ANSI colours.
pub fn render_human(diagnostics: &[Diagnostic], sources: &Sources, color: bool) -> String {
    let config = term::Config::default();
    let mut out = termcolor::Buffer::no_color();
    let mut colored = termcolor::Buffer::ansi();
    let writer = if color { &mut colored } else { &mut out };
    for diagnostic in diagnostics {
        let report = to_report(diagnostic, sources);
        // Rendering only fails for spans outside their file, which `to_report` clamps away.
        let _ = term::emit_to_write_style(writer, &config, &sources.files, &report);
    }
    String::from_utf8_lossy(writer.as_slice()).into_owned()
}

/// One line that sums up a run: how many errors and warnings.
pub fn summary(diagnostics: &[Diagnostic]) -> Option<String> {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    match (errors, warnings) {
        (0, 0) => None,
        (0, w) => Some(format!("warning: {}", plural(w, "warning"))),
        (e, 0) => Some(format!(
            "error: {}; nothing was written",
            plural(e, "error")
        )),
        (e, w) => Some(format!(
            "error: {} and {}; nothing was written",
            plural(e, "error"),
            plural(w, "warning")
        )),
    }
}

fn to_report(diagnostic: &Diagnostic, sources: &Sources) -> Report<usize> {
    let severity = match diagnostic.severity {
        Severity::Error => ReportSeverity::Error,
        Severity::Warning => ReportSeverity::Warning,
    };
    let mut report = Report::new(severity)
        .with_code(diagnostic.code.as_str())
        .with_message(&diagnostic.message);
    if let (Some(file), Some(span)) = (diagnostic.file, &diagnostic.span) {
        let clamp = |span: &Range<usize>| {
            let text = sources.text(file);
            let start = floor_char_boundary(text, span.start.min(text.len()));
            start..floor_char_boundary(text, span.end.clamp(start, text.len()))
        };
        let mut primary = Label::primary(file.0, clamp(span));
        if let Some(label) = &diagnostic.label {
            primary = primary.with_message(label);
        }
        report = report.with_label(primary);
        for (span, label) in &diagnostic.secondary {
            report = report.with_label(Label::secondary(file.0, clamp(span)).with_message(label));
        }
    }
    if let Some(help) = &diagnostic.help {
        report = report.with_note(format!("help: {help}"));
    }
    report
}
