//! Diagnostics: every problem connector-gen finds, with a stable code, a place and a fix.
//!
//! Each stage (load, validate, render) returns [`Diagnostic`] values instead of failing on the
//! first problem, so one run reports everything. [`Sources`] keeps the text of every file read so
//! diagnostics can be rendered with the offending line underlined, like rustc does.

use std::fmt;
use std::io::Write as _;
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity as ReportSeverity};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::{self, termcolor};

/// Identifies one file in [`Sources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub usize);

/// How bad a diagnostic is: errors stop generation, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
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
    /// A field path does not parse, or does not fit where it stands (a list where one value
    /// goes, `[]` outside `response.items`).
    InvalidFieldPath = "E050",
    /// A `type` names neither a data type nor a declared shape.
    UnknownType = "E051",
    /// A shape contains itself, or shapes nest too deep or into too many fields.
    ShapeNesting = "E052",
    /// Two fields of one request, response or shape land on the same path or Cyclr system
    /// field, or one would have to hold the other.
    FieldClash = "E053",
    /// A field's or parameter's format, values or default do not fit its type or each other.
    InvalidFieldValue = "E054",
    /// `since` settings are missing, contradict each other or do not fit the method.
    InvalidSince = "E055",
    /// A lookup names no list method, or sits on a field that holds no single value.
    InvalidLookup = "E056",
    /// A setup value no real value could pass where it is placed, or whose kind, values,
    /// example or default disagree.
    InvalidSetupValue = "E057",
    /// A setting a target cannot express.
    Unexpressible = "E058",
    /// A header is invalid, repeated, or one the client sets itself.
    InvalidHeader = "E059",
    /// Docs text holds markup the page refuses: raw HTML, or a link to a target other than
    /// an `https://` URL, a relative page or an `#anchor`.
    RefusedMarkup = "E060",
    /// The docs page's blocks do not fit together: a setup value the page never shows, a
    /// table row of the wrong width, the Cyclr setup inside a list, an anchor twice.
    InvalidPage = "E061",
    /// An API document `import openapi` cannot read: not OpenAPI 2 or 3, a `$ref` that points
    /// at nothing, a node of the wrong type.
    InvalidApiDocument = "E070",
    /// A setup field is declared but nothing uses it.
    UnusedField = "W001",
    /// An entry of a definitions directory that looks meant as a definition is not read: a
    /// symbolic link or special file, a subdirectory, an upper-case `.YAML`.
    Skipped = "W002",
    /// A declared shape that no method uses.
    UnusedType = "W003",
    /// A value still holds the `TODO` that `connector-gen new` wrote.
    Unfinished = "W004",
    /// An imported value that needs a person's review (`# review:` in the definition).
    Review = "W010",
    /// Something of the API document the definition could not carry, and why.
    NotImported = "W011",
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
    /// How many more diagnostics with the same file, code and message stand behind this one,
    /// left out by [`collapse_repeats`] (0 for most).
    pub more_of_the_same: usize,
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
            more_of_the_same: 0,
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
#[derive(Debug, Clone, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

/// One file's name, text and where its lines start.
#[derive(Debug, Clone)]
struct SourceFile {
    name: String,
    text: String,
    /// The byte offset of each line's start. A line ends as in editors: at LF, CRLF or a
    /// CR on its own.
    line_starts: Vec<usize>,
}

impl SourceFile {
    fn new(name: String, text: String) -> Self {
        let text = shown(text);
        let line_starts = line_starts(&text);
        SourceFile {
            name,
            text,
            line_starts,
        }
    }

    /// The 0-based line holding byte `offset`.
    fn line_index(&self, offset: usize) -> usize {
        self.line_starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1)
    }

    /// The bytes of line `index`, its line ending included.
    fn line_range(&self, index: usize) -> Option<Range<usize>> {
        let start = *self.line_starts.get(index)?;
        let end = self
            .line_starts
            .get(index + 1)
            .copied()
            .unwrap_or(self.text.len());
        Some(start..end)
    }
}

/// `text` as source lines may show it: each control character other than tab and line
/// endings, and each bidirectional-text control, replaced by printable characters of the
/// same length in bytes and in characters (`?`, `¿` or `\u{fffd}`), so that every span and
/// column stays where it was and no source line can drive the terminal.
fn shown(text: String) -> String {
    let hidden = |c: char| {
        (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(hidden) {
        return text;
    }
    text.chars()
        .map(|c| match (hidden(c), c.len_utf8()) {
            (false, _) => c,
            (true, 1) => '?',
            (true, 2) => '¿',
            (true, _) => '\u{fffd}',
        })
        .collect()
}

/// The byte offsets where the lines of `text` start: 0, and after each LF, CRLF or lone CR.
pub fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    for (i, &byte) in bytes.iter().enumerate() {
        let ends_line = byte == b'\n' || (byte == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
        if ends_line {
            starts.push(i + 1);
        }
    }
    starts
}

impl Sources {
    /// An empty set of files.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file by its display name and text; returns its id.
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> FileId {
        let name = name.into();
        let name = printable(&name).into_owned();
        self.files.push(SourceFile::new(name, text.into()));
        FileId(self.files.len() - 1)
    }

    /// Replaces the text of a file (added with an empty text while the run read it).
    pub fn set_text(&mut self, file: FileId, text: impl Into<String>) {
        let name = std::mem::take(&mut self.files[file.0].name);
        self.files[file.0] = SourceFile::new(name, text.into());
    }

    /// The display name of a file.
    pub fn name(&self, file: FileId) -> &str {
        &self.files[file.0].name
    }

    /// The text of a file.
    pub fn text(&self, file: FileId) -> &str {
        &self.files[file.0].text
    }

    /// Masks `span` of a file with `*`, byte for byte, so that rendering shows no secret
    /// while every other span keeps its place.
    pub fn redact(&mut self, file: FileId, span: Range<usize>) {
        let source = &mut self.files[file.0];
        let text = &source.text;
        let end = span.end.min(text.len());
        let start = floor_char_boundary(text, span.start.min(end));
        let end = ceil_char_boundary(text, end);
        // Line endings stay where they are, so that no line moves.
        let masked: String = text[start..end]
            .chars()
            .map(|c| {
                if matches!(c, '\n' | '\r') {
                    c.to_string()
                } else {
                    "*".repeat(c.len_utf8())
                }
            })
            .collect();
        source.text.replace_range(start..end, &masked);
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_column(&self, file: FileId, offset: usize) -> (usize, usize) {
        let source = &self.files[file.0];
        let text = &source.text;
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = source.line_index(offset);
        let line_start = source.line_starts[line];
        let column = text[line_start..offset].chars().count() + 1;
        (line + 1, column)
    }

    /// The byte range of the line holding `offset`, without its line ending.
    fn line_at(&self, file: FileId, offset: usize) -> Range<usize> {
        let source = &self.files[file.0];
        let range = source.line_range(source.line_index(offset)).unwrap_or(0..0);
        let line = source.text[range.clone()].trim_end_matches(['\n', '\r']);
        range.start..range.start + line.len()
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
        Ok(&self.files.get(id).ok_or(FilesError::FileMissing)?.name)
    }

    fn source(&'a self, id: usize) -> Result<&'a str, FilesError> {
        Ok(&self.files.get(id).ok_or(FilesError::FileMissing)?.text)
    }

    fn line_index(&'a self, id: usize, byte_index: usize) -> Result<usize, FilesError> {
        Ok(self
            .files
            .get(id)
            .ok_or(FilesError::FileMissing)?
            .line_index(byte_index))
    }

    fn line_range(&'a self, id: usize, line_index: usize) -> Result<Range<usize>, FilesError> {
        let file = self.files.get(id).ok_or(FilesError::FileMissing)?;
        file.line_range(line_index).ok_or(FilesError::LineTooLarge {
            given: line_index,
            max: file.line_starts.len() - 1,
        })
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

/// How many diagnostics with the same file, code and message are listed before the rest are
/// summed up in one line.
pub const MAX_REPEATS: usize = 20;

/// Keeps the first [`MAX_REPEATS`] diagnostics of each file, code and message, and the first
/// [`MAX_PER_CODE`] of each file and code (in the order given, so sort first), and counts the
/// rest in the last one kept, as [`Diagnostic::more_of_the_same`]: one mistake repeated a
/// hundred thousand times, or forty thousand unknown keys, are reported as a screenful and a
/// count, not as megabytes of messages.
pub fn collapse_repeats(diagnostics: &mut Vec<Diagnostic>) {
    use std::collections::HashMap;
    /// What makes two diagnostics "the same": file, severity, code and message.
    type Same = (Option<FileId>, Severity, Code, String);
    /// What makes two diagnostics alike: file, severity and code.
    type Alike = (Option<FileId>, Severity, Code);
    // For each: how many were kept, and where the last one kept stands.
    let mut same: HashMap<Same, (usize, usize)> = HashMap::new();
    let mut alike: HashMap<Alike, (usize, usize)> = HashMap::new();
    let mut kept: Vec<Diagnostic> = Vec::with_capacity(diagnostics.len());
    for diagnostic in diagnostics.drain(..) {
        let kind = (diagnostic.file, diagnostic.severity, diagnostic.code);
        let key = (kind.0, kind.1, kind.2, diagnostic.message.clone());
        let (count, last) = same.entry(key).or_insert((0, usize::MAX));
        let (kind_count, kind_last) = alike.entry(kind).or_insert((0, usize::MAX));
        if *count >= MAX_REPEATS {
            kept[*last].more_of_the_same += 1 + diagnostic.more_of_the_same;
        } else if *kind_count >= MAX_PER_CODE {
            kept[*kind_last].more_of_the_same += 1 + diagnostic.more_of_the_same;
        } else {
            *count += 1;
            *kind_count += 1;
            *last = kept.len();
            *kind_last = kept.len();
            kept.push(diagnostic);
        }
    }
    *diagnostics = kept;
}

/// How many diagnostics of one code a file shows before the rest are counted.
pub const MAX_PER_CODE: usize = 100;

/// The line that stands for the diagnostics [`collapse_repeats`] left out.
pub fn more_of_the_same(count: usize) -> String {
    format!("... and {} more like it", thousands(count))
}

/// `170000` as `170,000`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// `text` with every control character (newlines, tabs, escape sequences) and every
/// bidirectional-text control written as an escape (`\n`, `\u{1b}`), so that text taken
/// from a definition (a key, a value, a file name) can neither break the layout of a
/// message nor drive the terminal.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char| {
        c.is_control()
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(hidden) {
        return text.into();
    }
    text.chars()
        .map(|c| {
            if hidden(c) {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
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
        if diagnostic.more_of_the_same > 0 {
            let _ = writeln!(
                writer,
                "{}\n",
                more_of_the_same(diagnostic.more_of_the_same)
            );
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
    let length = text[sources.line_at(file, at)].chars().count();
    (length > LONGEST_SHOWN).then(|| (sources.line_column(file, at).0, length))
}

/// One line that sums up a run: how many errors and warnings, in how many files.
pub fn summary(diagnostics: &[Diagnostic]) -> Option<String> {
    let count = |d: &&Diagnostic| 1 + d.more_of_the_same;
    let errors: usize = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| count(&d))
        .sum();
    let warnings: usize = diagnostics
        .iter()
        .filter(|d| !d.is_error())
        .map(|d| count(&d))
        .sum();
    let plural =
        |n: usize, word: &str| format!("{} {word}{}", thousands(n), if n == 1 { "" } else { "s" });
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
        .with_message(printable(&diagnostic.message));
    if let (Some(file), Some(span)) = (diagnostic.file, &diagnostic.span) {
        let clamp = |span: &Range<usize>| {
            let text = sources.text(file);
            let start = floor_char_boundary(text, span.start.min(text.len()));
            start..floor_char_boundary(text, span.end.clamp(start, text.len()))
        };
        let mut primary = Label::primary(file.0, clamp(span));
        if let Some(label) = &diagnostic.label {
            primary = primary.with_message(printable(label));
        }
        report = report.with_label(primary);
        for (span, label) in &diagnostic.secondary {
            report = report
                .with_label(Label::secondary(file.0, clamp(span)).with_message(printable(label)));
        }
    }
    if let Some(help) = &diagnostic.help {
        report = report.with_note(format!("help: {}", printable(help)));
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_and_floods_of_one_code_are_counted_not_printed() {
        let mut sources = Sources::new();
        let file = sources.add("a.yaml".to_owned(), "x");
        let mut diagnostics: Vec<Diagnostic> = (0..30)
            .map(|_| Diagnostic::error(Code::UnknownPlaceholder, "same").in_file(file, 0..1))
            .chain((0..150).map(|i| {
                Diagnostic::error(Code::UnknownKey, format!("unknown key `k{i}`"))
                    .in_file(file, 0..1)
            }))
            .collect();
        collapse_repeats(&mut diagnostics);
        let same: Vec<&Diagnostic> = diagnostics
            .iter()
            .filter(|d| d.code == Code::UnknownPlaceholder)
            .collect();
        assert_eq!(same.len(), MAX_REPEATS);
        assert_eq!(same.last().unwrap().more_of_the_same, 10);
        let keys: Vec<&Diagnostic> = diagnostics
            .iter()
            .filter(|d| d.code == Code::UnknownKey)
            .collect();
        assert_eq!(keys.len(), MAX_PER_CODE);
        assert_eq!(keys.last().unwrap().more_of_the_same, 50);
    }
}
