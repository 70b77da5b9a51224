//! Diagnostics: every problem connector-gen finds, with a stable code, a place and a fix.
//!
//! Each stage (load, validate, render) returns [`Diagnostic`] values instead of failing on the
//! first problem, so one run reports everything. [`Sources`] keeps the text of every file read so
//! diagnostics can be rendered with the offending line underlined, like rustc does.

use std::fmt;
use std::io::Write as _;
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity as ReportSeverity};
use codespan_reporting::files::{Error as FilesError, Files, SimpleFile};
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
        /// A stable code for each kind of problem; docs/errors.md lists them with their fixes.
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
    /// A `*.yaml` entry of a definitions directory is a symbolic link or special file, and is not read.
    Skipped = "W002",
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
    files: Vec<SimpleFile<String, String>>,
}

impl Sources {
    /// An empty set of files.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file by its display name and text; returns its id.
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> FileId {
        self.files.push(SimpleFile::new(name.into(), text.into()));
        FileId(self.files.len() - 1)
    }

    /// Replaces the text of a file (added with an empty text while the run read it).
    pub fn set_text(&mut self, file: FileId, text: impl Into<String>) {
        let name = self.name(file).to_owned();
        self.files[file.0] = SimpleFile::new(name, text.into());
    }

    /// The display name of a file.
    pub fn name(&self, file: FileId) -> &str {
        self.files[file.0].name()
    }

    /// The text of a file.
    pub fn text(&self, file: FileId) -> &str {
        self.files[file.0].source()
    }

    /// Masks `span` of a file with `*`, byte for byte, so that rendering shows no secret
    /// while every other span keeps its place.
    pub fn redact(&mut self, file: FileId, span: Range<usize>) {
        let text = self.text(file);
        let end = span.end.min(text.len());
        let start = floor_char_boundary(text, span.start.min(end));
        let end = ceil_char_boundary(text, end);
        let masked = format!(
            "{}{}{}",
            &text[..start],
            "*".repeat(end - start),
            &text[end..]
        );
        let name = self.name(file).to_owned();
        self.files[file.0] = SimpleFile::new(name, masked);
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

fn ceil_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset += 1;
    }
    offset
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

impl<'a> Files<'a> for Sources {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<&'a str, FilesError> {
        Ok(self.files.get(id).ok_or(FilesError::FileMissing)?.name())
    }

    fn source(&'a self, id: usize) -> Result<&'a str, FilesError> {
        Ok(self.files.get(id).ok_or(FilesError::FileMissing)?.source())
    }

    fn line_index(&'a self, id: usize, byte_index: usize) -> Result<usize, FilesError> {
        self.files
            .get(id)
            .ok_or(FilesError::FileMissing)?
            .line_index((), byte_index)
    }

    fn line_range(&'a self, id: usize, line_index: usize) -> Result<Range<usize>, FilesError> {
        self.files
            .get(id)
            .ok_or(FilesError::FileMissing)?
            .line_range((), line_index)
    }
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
    let short = term::Config {
        display_style: term::DisplayStyle::Short,
        ..term::Config::default()
    };
    let mut out = termcolor::Buffer::no_color();
    let mut colored = termcolor::Buffer::ansi();
    let writer = if color { &mut colored } else { &mut out };
    for diagnostic in diagnostics {
        let report = to_report(diagnostic, sources);
        // A line too long to read (minified or hostile input) is not shown: the location,
        // message and help are.
        let long_line = long_line(diagnostic, sources);
        let config = if long_line.is_some() { &short } else { &config };
        // Rendering only fails for spans outside their file, which `to_report` clamps away.
        let _ = term::emit_to_write_style(writer, config, sources, &report);
        if let Some((line, length)) = long_line {
            let _ = writeln!(
                writer,
                "  = note: line {line} is {length} characters long, so it is not shown"
            );
            for note in &report.notes {
                let _ = writeln!(writer, "  = {note}");
            }
            let _ = writeln!(writer);
        }
    }
    String::from_utf8_lossy(writer.as_slice()).into_owned()
}

/// The line of a diagnostic's span and its length in characters, if it is too long to show.
fn long_line(diagnostic: &Diagnostic, sources: &Sources) -> Option<(usize, usize)> {
    const LONGEST_SHOWN: usize = 240;
    let (file, span) = (diagnostic.file?, diagnostic.span.as_ref()?);
    let text = sources.text(file);
    let at = floor_char_boundary(text, span.start.min(text.len()));
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let length = text[start..end].chars().count();
    (length > LONGEST_SHOWN).then(|| (sources.line_column(file, at).0, length))
}

/// One line that sums up a run: how many errors and warnings, in how many files.
pub fn summary(diagnostics: &[Diagnostic]) -> Option<String> {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let files: std::collections::BTreeSet<FileId> =
        diagnostics.iter().filter_map(|d| d.file).collect();
    let place = if files.len() > 1 {
        format!(" in {} files", files.len())
    } else {
        String::new()
    };
    match (errors, warnings) {
        (0, 0) => None,
        (0, w) => Some(format!("warning: {}{place}", plural(w, "warning"))),
        (e, 0) => Some(format!(
            "error: {}{place}; nothing was written",
            plural(e, "error")
        )),
        (e, w) => Some(format!(
            "error: {} and {}{place}; nothing was written",
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
