//! Loading: one YAML file into a [`serde_json::Value`] plus the source span of every node.
//!
//! The YAML is read event by event with `saphyr-parser`, which reports where each event stood
//! in the file. Building the tree here, rather than through a generic YAML loader, is what lets
//! every later error point at a line and column, and what keeps hostile input bounded: duplicate
//! keys are refused, aliases may not expand past [`MAX_NODES`] values or
//! [`MAX_EXPANDED_BYTES`] bytes of text, nesting may not pass [`MAX_DEPTH`], and files may not
//! pass [`MAX_FILE_BYTES`].

use std::collections::HashMap;
use std::ops::Range;

use saphyr_parser::{Event, Marker, Parser, ScalarStyle, Span};
use serde_json::{Map, Number, Value};

use crate::diagnostics::{Code, Diagnostic, FileId};

/// The largest definition file accepted. Definitions are a few kilobytes; this leaves room
/// for a hundred times that and refuses anything that is clearly not a definition.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;

/// The deepest nesting of mappings and sequences accepted.
pub const MAX_DEPTH: usize = 64;

/// The most nodes a document may have once its aliases are expanded.
pub const MAX_NODES: usize = 100_000;

/// The most text (bytes of scalars and keys) a document may hold once its aliases are
/// expanded. Without aliases a document holds at most [`MAX_FILE_BYTES`]; this allows aliases
/// to repeat that eight times, and keeps a run's peak memory on any accepted file far below
/// 256 MiB (the later stages copy the text a few times over), where one long scalar aliased
/// thousands of times would otherwise grow past gigabytes within the node limit.
pub const MAX_EXPANDED_BYTES: usize = 8 * MAX_FILE_BYTES;

/// The bounds a load keeps to: [`Limits::DEFINITION`] for connector definitions,
/// [`Limits::API_DOCUMENT`] for the OpenAPI documents `import` reads.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The largest file accepted, in bytes.
    pub file_bytes: usize,
    /// The deepest nesting of mappings and sequences.
    pub depth: usize,
    /// The most nodes once aliases are expanded.
    pub nodes: usize,
    /// The most text (scalar and key bytes) once aliases are expanded.
    pub expanded_bytes: usize,
    /// What such a file is, for messages: "definitions", "API documents".
    pub what: &'static str,
    /// How such a file looks, for the help of a file too large.
    pub size_help: &'static str,
}

impl Limits {
    /// Connector definitions: [`MAX_FILE_BYTES`], [`MAX_DEPTH`], [`MAX_NODES`],
    /// [`MAX_EXPANDED_BYTES`].
    pub const DEFINITION: Limits = Limits {
        file_bytes: MAX_FILE_BYTES,
        depth: MAX_DEPTH,
        nodes: MAX_NODES,
        expanded_bytes: MAX_EXPANDED_BYTES,
        what: "definitions",
        size_help: "a connector definition is a few kilobytes; check that this is the right file",
    };

    /// OpenAPI documents: the largest public ones (GitHub's, Stripe's) are around 10 MiB of
    /// JSON with a few million values; these bounds take four times that and still refuse a
    /// hostile document before it exhausts memory.
    pub const API_DOCUMENT: Limits = Limits {
        file_bytes: 64 * 1024 * 1024,
        depth: 256,
        nodes: 16_000_000,
        expanded_bytes: 256 * 1024 * 1024,
        what: "API documents",
        size_help: "the largest public OpenAPI documents are about 10 MiB; check that this is the right file",
    };
}

/// A parsed definition: its JSON value and where each part of it stood in the file.
#[derive(Debug, Clone)]
pub struct LoadedDocument {
    /// The document as JSON, ready for the schema check and for the typed model.
    pub value: Value,
    /// The byte span of every node, addressed by JSON pointer.
    pub spans: SpanMap,
}

/// Byte spans of the nodes of one document, addressed by JSON pointer (`/methods/0/path`).
///
/// Held as a tree shaped like the document and searched on lookup: lookups happen only for
/// diagnostics, while every node of every document needs its span recorded.
#[derive(Debug, Clone, Default)]
pub struct SpanMap {
    root: Option<SpanNode>,
}

#[derive(Debug, Clone)]
struct SpanNode {
    span: NodeSpan,
    children: SpanChildren,
}

#[derive(Debug, Clone)]
enum SpanChildren {
    Leaf,
    Items(Vec<SpanNode>),
    /// A mapping's entries in order, with an index by key for large mappings (lookups
    /// happen once per diagnostic, and a hostile mapping may have tens of thousands of keys).
    Entries(Vec<(String, SpanNode)>, Option<HashMap<String, usize>>),
}

/// Mappings with more entries than this get an index for span lookups.
const INDEXED_ENTRIES: usize = 32;

/// Where one node stood: its value and, for a mapping entry, its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeSpan {
    /// The byte range of the key, for values of a mapping.
    pub key: Option<Range<usize>>,
    /// The byte range of the value.
    pub value: Range<usize>,
}

impl SpanMap {
    /// The spans of the node at `pointer`, if the document has one there.
    pub fn get(&self, pointer: &str) -> Option<&NodeSpan> {
        let (node, rest) = self.walk(pointer)?;
        rest.is_empty().then_some(&node.span)
    }

    /// The value span of the node at `pointer`, or of its nearest ancestor that exists.
    pub fn value(&self, pointer: &str) -> Range<usize> {
        self.nearest(pointer).value.clone()
    }

    /// The key span of the node at `pointer` where it has one, else its value span;
    /// falls back to the nearest ancestor that exists.
    pub fn key_or_value(&self, pointer: &str) -> Range<usize> {
        let node = self.nearest(pointer);
        node.key.clone().unwrap_or_else(|| node.value.clone())
    }

    /// A short span to underline for the mapping or sequence at `pointer`: its key where it
    /// has one, else its first line.
    pub fn head(&self, pointer: &str, text: &str) -> Range<usize> {
        let node = self.nearest(pointer);
        if let Some(key) = &node.key {
            return key.clone();
        }
        let start = node.value.start.min(text.len());
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        start..line_end.min(node.value.end.max(start + 1)).min(text.len())
    }

    fn nearest(&self, pointer: &str) -> &NodeSpan {
        self.walk(pointer)
            .map_or(&ROOT_SPAN, |(node, _)| &node.span)
    }

    /// The deepest node on the way to `pointer`, and the part of the pointer left over
    /// (empty when the node is the one `pointer` names).
    fn walk<'p>(&self, pointer: &'p str) -> Option<(&SpanNode, &'p str)> {
        let mut node = self.root.as_ref()?;
        let mut rest = pointer;
        while let Some(tail) = rest.strip_prefix('/') {
            let (token, after) = tail.split_at(tail.find('/').unwrap_or(tail.len()));
            let child = match &node.children {
                SpanChildren::Leaf => None,
                SpanChildren::Items(items) => {
                    token.parse::<usize>().ok().and_then(|i| items.get(i))
                }
                SpanChildren::Entries(entries, index) => {
                    let key = unescape_token(token);
                    match index {
                        Some(index) => index.get(key.as_ref()).map(|&i| &entries[i].1),
                        None => entries
                            .iter()
                            .find(|(name, _)| *name == key)
                            .map(|(_, child)| child),
                    }
                }
            };
            let Some(child) = child else {
                break;
            };
            node = child;
            rest = after;
        }
        Some((node, rest))
    }
}

static ROOT_SPAN: NodeSpan = NodeSpan {
    key: None,
    value: 0..0,
};

/// Escapes one JSON pointer reference token (RFC 6901).
pub fn pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Calls `visit` with every node of `value` and its JSON pointer (`""` for the root), parents
/// before children. One buffer holds the pointer as the walk goes down and comes back up, so
/// the walk allocates nothing per node but escaped keys.
pub fn walk(value: &Value, visit: &mut impl FnMut(&str, &Value)) {
    fn go(value: &Value, pointer: &mut String, visit: &mut impl FnMut(&str, &Value)) {
        visit(pointer, value);
        let len = pointer.len();
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    pointer.push('/');
                    if key.contains(['~', '/']) {
                        pointer.push_str(&pointer_token(key));
                    } else {
                        pointer.push_str(key);
                    }
                    go(child, pointer, visit);
                    pointer.truncate(len);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    pointer.push('/');
                    pointer.push_str(&i.to_string());
                    go(child, pointer, visit);
                    pointer.truncate(len);
                }
            }
            _ => {}
        }
    }
    go(value, &mut String::new(), visit);
}

/// Undoes [`pointer_token`].
fn unescape_token(token: &str) -> std::borrow::Cow<'_, str> {
    if token.contains('~') {
        token.replace("~1", "/").replace("~0", "~").into()
    } else {
        token.into()
    }
}

/// Parses `text` (the contents of `file`) into a JSON value with spans.
///
/// All problems are returned as diagnostics; a syntax error stops the parse, since nothing
/// after it can be trusted.
pub fn load(file: FileId, text: &str) -> Result<LoadedDocument, Vec<Diagnostic>> {
    load_with(file, text, &Limits::DEFINITION)
}

/// Parses `text` as [`load`] does, within `limits`.
pub fn load_with(
    file: FileId,
    text: &str,
    limits: &Limits,
) -> Result<LoadedDocument, Vec<Diagnostic>> {
    if text.len() > limits.file_bytes {
        return Err(vec![
            Diagnostic::error(
                Code::FileTooLarge,
                format!(
                    "the file is {} bytes; {} may be at most {} bytes",
                    text.len(),
                    limits.what,
                    limits.file_bytes
                ),
            )
            .in_file(file, 0..0)
            .with_help(limits.size_help),
        ]);
    }
    let positions = Positions::new(text);
    let mut builder = TreeBuilder::new(file, &positions, limits);
    let mut parser = Parser::new_from_str(text);
    while let Some(event) = parser.next_event() {
        match event {
            Ok((event, span)) => {
                if let Err(diagnostic) = builder.on_event(event, span) {
                    return Err(vec![*diagnostic]);
                }
            }
            Err(error) => {
                let at = positions.byte(error.marker());
                return Err(vec![syntax_error(file, text, at, error.info())]);
            }
        }
    }
    builder.finish(text)
}

fn syntax_error(file: FileId, text: &str, at: usize, info: &str) -> Diagnostic {
    let tab_nearby = text[..at.min(text.len())]
        .rsplit('\n')
        .next()
        .is_some_and(|line| line.contains('\t'))
        || text[at.min(text.len())..]
            .split('\n')
            .next()
            .is_some_and(|line| line.contains('\t'));
    let end = next_char_boundary(text, at);
    if info.contains("recursion limit") {
        return Diagnostic::error(
            Code::TooDeep,
            "the document nests lists and mappings too deeply",
        )
        .in_file(file, at..end)
        .with_help("a connector definition needs a handful of levels; flatten the structure");
    }
    let unclosed = unclosed_bracket(&text[..at.min(text.len())]);
    let help = if tab_nearby {
        "YAML indents with spaces only; replace the tab characters on this line with spaces"
    } else if let Some(open) = unclosed {
        let bracket = &text[open..open + 1];
        let close = if bracket == "[" { "]" } else { "}" };
        return Diagnostic::error(Code::YamlSyntax, format!("invalid YAML: {info}"))
            .in_file(file, at..end)
            .with_secondary(open..open + 1, format!("this `{bracket}` is never closed"))
            .with_help(format!("close the `{bracket}` with `{close}`"));
    } else if info.contains("quoted scalar") {
        "this quoted string is not closed on its line; add the closing quote"
    } else if info.contains("mapping values are not allowed") {
        "a value holding `: ` needs quotes around it; otherwise, indent this line like the keys beside it"
    } else {
        "check the indentation and quoting around this position; strings holding `: ` or `#` need quotes"
    };
    Diagnostic::error(Code::YamlSyntax, format!("invalid YAML: {info}"))
        .in_file(file, at..end)
        .with_help(help)
}

/// The byte offset of the innermost `[` or `{` that `text` opens and never closes, skipping
/// quoted strings and comments.
fn unclosed_bracket(text: &str) -> Option<usize> {
    let mut open: Vec<usize> = Vec::new();
    let mut quote: Option<char> = None;
    let mut comment = false;
    let mut previous = '\n';
    for (i, c) in text.char_indices() {
        match (quote, c) {
            _ if comment => comment = c != '\n',
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '#') if previous.is_whitespace() => comment = true,
            (None, '[' | '{') => open.push(i),
            (None, ']' | '}') => {
                open.pop();
            }
            (None, '\n') => {}
            _ => {}
        }
        previous = c;
    }
    open.pop()
}

fn next_char_boundary(text: &str, at: usize) -> usize {
    if at >= text.len() {
        return text.len();
    }
    let mut end = at + 1;
    while !text.is_char_boundary(end) {
        end += 1;
    }
    end
}

/// Turns the parser's character positions into byte offsets.
struct Positions {
    /// Byte offset of each character, present only when the text is not pure ASCII.
    char_to_byte: Option<Vec<usize>>,
    len: usize,
}

impl Positions {
    fn new(text: &str) -> Self {
        let char_to_byte =
            (!text.is_ascii()).then(|| text.char_indices().map(|(i, _)| i).collect());
        Positions {
            char_to_byte,
            len: text.len(),
        }
    }

    fn byte(&self, marker: &Marker) -> usize {
        match &self.char_to_byte {
            None => marker.index().min(self.len),
            Some(table) => table.get(marker.index()).copied().unwrap_or(self.len),
        }
    }

    fn range(&self, span: &Span) -> Range<usize> {
        self.byte(&span.start)..self.byte(&span.end)
    }
}

/// A node of the document under construction.
#[derive(Debug, Clone)]
struct Node {
    value: NodeValue,
    span: Range<usize>,
}

#[derive(Debug, Clone)]
enum NodeValue {
    Scalar(Value),
    Sequence(Vec<Node>),
    Mapping(Vec<(String, Range<usize>, Node)>),
}

/// What a node costs once expanded: values, and bytes of scalar and key text.
#[derive(Debug, Clone, Copy, Default)]
struct Weight {
    nodes: usize,
    bytes: usize,
}

impl Weight {
    fn add(self, other: Weight) -> Weight {
        Weight {
            nodes: self.nodes.saturating_add(other.nodes),
            bytes: self.bytes.saturating_add(other.bytes),
        }
    }
}

/// The bytes a scalar holds as text (numbers and booleans count as written, roughly).
fn scalar_bytes(value: &Value) -> usize {
    match value {
        Value::String(text) => text.len(),
        Value::Null | Value::Bool(_) | Value::Number(_) => 8,
        Value::Array(_) | Value::Object(_) => 0,
    }
}

impl Node {
    fn weight(&self) -> Weight {
        match &self.value {
            NodeValue::Scalar(value) => Weight {
                nodes: 1,
                bytes: scalar_bytes(value),
            },
            NodeValue::Sequence(items) => items
                .iter()
                .map(Node::weight)
                .fold(Weight { nodes: 1, bytes: 0 }, Weight::add),
            NodeValue::Mapping(entries) => entries
                .iter()
                .map(|(key, _, node)| {
                    node.weight().add(Weight {
                        nodes: 1,
                        bytes: key.len(),
                    })
                })
                .fold(Weight { nodes: 1, bytes: 0 }, Weight::add),
        }
    }
}

/// A mapping or sequence that is still open, with the anchor it will be stored under.
struct OpenCollection {
    node: Node,
    anchor: usize,
    /// For a mapping: the key read and waiting for its value.
    pending_key: Option<(String, Range<usize>)>,
    /// For a mapping of more than [`SCANNED_KEYS`] entries: where each key stands in its
    /// entries, for the duplicate check (smaller mappings are scanned, which is cheaper).
    keys: Option<HashMap<String, usize>>,
}

/// Mappings up to this many entries are checked for duplicate keys by a scan; larger ones
/// through an index, so that tens of thousands of keys stay linear.
const SCANNED_KEYS: usize = 16;

struct TreeBuilder<'a> {
    file: FileId,
    positions: &'a Positions,
    stack: Vec<OpenCollection>,
    /// Each anchor's node, with its weight once expanded.
    anchors: HashMap<usize, (Node, Weight)>,
    documents: Vec<Node>,
    expanded: Weight,
    limits: &'a Limits,
}

type Step = Result<(), Box<Diagnostic>>;

impl<'a> TreeBuilder<'a> {
    fn new(file: FileId, positions: &'a Positions, limits: &'a Limits) -> Self {
        TreeBuilder {
            limits,
            file,
            positions,
            stack: Vec::new(),
            anchors: HashMap::new(),
            documents: Vec::new(),
            expanded: Weight::default(),
        }
    }

    fn on_event(&mut self, event: Event<'_>, span: Span) -> Step {
        let range = self.positions.range(&span);
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let value = match tag {
                    Some(tag) if !(tag.handle == "tag:yaml.org,2002:" && tag.suffix == "str") => {
                        return Err(self.error(
                            Code::YamlUnsupported,
                            format!("the tag `{}{}` is not supported", tag.handle, tag.suffix),
                            range,
                            "remove the tag: definitions use plain strings, numbers, booleans, lists and mappings",
                        ));
                    }
                    Some(_) => Value::String(text.into_owned()),
                    None => self.resolve_scalar(&text, style, range.clone())?,
                };
                self.add_node(
                    Node {
                        value: NodeValue::Scalar(value),
                        span: range,
                    },
                    anchor,
                )
            }
            Event::SequenceStart(_, Some(_)) | Event::MappingStart(_, Some(_)) => Err(self.error(
                Code::YamlUnsupported,
                "tags on lists and mappings are not supported".to_owned(),
                range,
                "remove the tag",
            )),
            Event::SequenceStart(anchor, _) => {
                self.open(NodeValue::Sequence(Vec::new()), anchor, range)
            }
            Event::MappingStart(anchor, _) => {
                self.open(NodeValue::Mapping(Vec::new()), anchor, range)
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(mut open) = self.stack.pop() else {
                    return Ok(());
                };
                open.node.span.end = range.end.max(open.node.span.start);
                self.add_node(open.node, open.anchor)
            }
            Event::Alias(id) => {
                let Some(&(_, weight)) = self.anchors.get(&id) else {
                    return Err(self.error(
                        Code::YamlSyntax,
                        "this alias refers to an anchor that is not defined before it".to_owned(),
                        range,
                        "define the anchor (`&name`) before using the alias (`*name`)",
                    ));
                };
                // Counted before the copy is made, so that a refused alias costs nothing.
                self.count(weight, &range)?;
                let node = self.anchors[&id].0.clone();
                self.attach(node)
            }
            Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::DocumentEnd
            | Event::Nothing => Ok(()),
        }
    }

    fn open(&mut self, value: NodeValue, anchor: usize, range: Range<usize>) -> Step {
        if self.stack.len() >= self.limits.depth {
            return Err(self.error(
                Code::TooDeep,
                format!(
                    "the document nests lists and mappings more than {} levels deep",
                    self.limits.depth
                ),
                range,
                "a connector definition needs a handful of levels; flatten the structure",
            ));
        }
        self.count(Weight { nodes: 1, bytes: 0 }, &range)?;
        self.stack.push(OpenCollection {
            node: Node { value, span: range },
            anchor,
            pending_key: None,
            keys: None,
        });
        Ok(())
    }

    fn count(&mut self, added: Weight, range: &Range<usize>) -> Step {
        self.expanded = self.expanded.add(added);
        if self.expanded.bytes > self.limits.expanded_bytes {
            return Err(self.error(
                Code::TooManyNodes,
                format!(
                    "the document expands to more than {} MiB of text",
                    self.limits.expanded_bytes / (1024 * 1024)
                ),
                range.clone(),
                "aliases (`*name`) copy what their anchor holds; repeating a long value through many aliases multiplies it, so write it once or use fewer aliases",
            ));
        }
        if self.expanded.nodes > self.limits.nodes {
            return Err(self.error(
                Code::TooManyNodes,
                format!("the document expands to more than {} values", self.limits.nodes),
                range.clone(),
                "aliases (`*name`) copy what their anchor holds; nested aliases multiply, so use fewer of them",
            ));
        }
        Ok(())
    }

    fn add_node(&mut self, node: Node, anchor: usize) -> Step {
        if let NodeValue::Scalar(value) = &node.value {
            let weight = Weight {
                nodes: 1,
                bytes: scalar_bytes(value),
            };
            self.count(weight, &node.span)?;
        }
        if anchor != 0 {
            let weight = node.weight();
            self.anchors.insert(anchor, (node.clone(), weight));
        }
        self.attach(node)
    }

    fn attach(&mut self, node: Node) -> Step {
        let file = self.file;
        let Some(parent) = self.stack.last_mut() else {
            self.documents.push(node);
            return Ok(());
        };
        match &mut parent.node.value {
            NodeValue::Sequence(items) => items.push(node),
            NodeValue::Mapping(entries) => match parent.pending_key.take() {
                Some((key, key_span)) => entries.push((key, key_span, node)),
                None => {
                    let key = match node.value {
                        NodeValue::Scalar(Value::String(key)) => key,
                        NodeValue::Scalar(Value::Number(n)) => n.to_string(),
                        NodeValue::Scalar(Value::Bool(b)) => b.to_string(),
                        _ => {
                            return Err(Box::new(
                                Diagnostic::error(
                                    Code::YamlUnsupported,
                                    "mapping keys must be plain strings".to_owned(),
                                )
                                .in_file(file, node.span)
                                .with_help("write the key as a word followed by `:`"),
                            ));
                        }
                    };
                    let found = match &parent.keys {
                        Some(keys) => keys.get(&key).copied(),
                        None => entries.iter().position(|(k, _, _)| *k == key),
                    };
                    if let Some(index) = found {
                        let first = entries[index].1.clone();
                        return Err(Box::new(
                            Diagnostic::error(
                                Code::DuplicateKey,
                                format!("the key `{key}` appears twice in this mapping"),
                            )
                            .in_file(file, node.span)
                            .with_secondary(first, "first defined here")
                            .with_help(
                                "remove one of the two entries; YAML keeps only one of them",
                            ),
                        ));
                    }
                    if let Some(keys) = &mut parent.keys {
                        keys.insert(key.clone(), entries.len());
                    } else if entries.len() >= SCANNED_KEYS {
                        let mut keys: HashMap<String, usize> = entries
                            .iter()
                            .enumerate()
                            .map(|(i, (k, _, _))| (k.clone(), i))
                            .collect();
                        keys.insert(key.clone(), entries.len());
                        parent.keys = Some(keys);
                    }
                    parent.pending_key = Some((key, node.span));
                }
            },
            NodeValue::Scalar(_) => {}
        }
        Ok(())
    }

    fn resolve_scalar(
        &self,
        text: &str,
        style: ScalarStyle,
        range: Range<usize>,
    ) -> Result<Value, Box<Diagnostic>> {
        if style != ScalarStyle::Plain {
            return Ok(Value::String(text.to_owned()));
        }
        Ok(match text {
            "" | "~" | "null" | "Null" | "NULL" => Value::Null,
            "true" | "True" | "TRUE" => Value::Bool(true),
            "false" | "False" | "FALSE" => Value::Bool(false),
            _ => match parse_number(text) {
                Some(Ok(number)) => Value::Number(number),
                Some(Err(())) => {
                    return Err(self.error(
                        Code::YamlUnsupported,
                        format!("the number `{text}` cannot be represented"),
                        range,
                        "quote the value to make it a string, or use a finite number",
                    ));
                }
                None => Value::String(text.to_owned()),
            },
        })
    }

    fn error(
        &self,
        code: Code,
        message: String,
        range: Range<usize>,
        help: &str,
    ) -> Box<Diagnostic> {
        Box::new(
            Diagnostic::error(code, message)
                .in_file(self.file, range)
                .with_help(help),
        )
    }

    fn finish(mut self, text: &str) -> Result<LoadedDocument, Vec<Diagnostic>> {
        if self.documents.len() > 1 {
            let second = self.documents.swap_remove(1);
            return Err(vec![
                Diagnostic::error(
                    Code::YamlUnsupported,
                    "the file holds more than one YAML document".to_owned(),
                )
                .in_file(self.file, second.span.start..second.span.start)
                .with_help(
                    "put each connector in a file of its own and remove the `---` separator",
                ),
            ]);
        }
        let root = self.documents.pop().unwrap_or(Node {
            value: NodeValue::Scalar(Value::Null),
            span: 0..text.len(),
        });
        let (value, root) = into_json(root, None);
        Ok(LoadedDocument {
            value,
            spans: SpanMap { root: Some(root) },
        })
    }
}

/// Resolves a plain scalar as a YAML 1.2 core-schema number. `None`: not a number;
/// `Some(Err)`: a number JSON cannot hold (`.inf`, `.nan`, out of range).
fn parse_number(text: &str) -> Option<Result<Number, ()>> {
    // Every number, `.inf` and `.nan` included, starts with one of these.
    if !text.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '.' | '-' | '+')) {
        return None;
    }
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") || matches!(text, ".nan" | ".NaN" | ".NAN") {
        return Some(Err(()));
    }
    let radix = |prefix: &str, radix: u32| {
        text.strip_prefix(prefix)
            .filter(|digits| !digits.is_empty())
            .map(|digits| {
                u64::from_str_radix(digits, radix)
                    .map(Number::from)
                    .map_err(|_| ())
            })
    };
    if let Some(number) = radix("0x", 16).or_else(|| radix("0o", 8)) {
        return Some(number);
    }
    let is_integer = !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit());
    if is_integer {
        return Some(
            text.parse::<i64>()
                .map(Number::from)
                .or_else(|_| text.parse::<u64>().map(Number::from))
                .map_err(|_| ()),
        );
    }
    if is_float(unsigned) {
        return Some(
            text.parse::<f64>()
                .ok()
                .and_then(Number::from_f64)
                .ok_or(()),
        );
    }
    None
}

/// `( \.[0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?` without the sign.
fn is_float(text: &str) -> bool {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (mantissa, None),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match fraction {
        Some(fraction) => {
            digits(whole) && digits(fraction) && !(whole.is_empty() && fraction.is_empty())
        }
        None => !whole.is_empty() && digits(whole),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok && (fraction.is_some() || exponent.is_some())
}

/// Splits a node into its JSON value and its spans.
fn into_json(node: Node, key: Option<Range<usize>>) -> (Value, SpanNode) {
    let span = NodeSpan {
        key,
        value: node.span,
    };
    let (value, children) = match node.value {
        NodeValue::Scalar(value) => (value, SpanChildren::Leaf),
        NodeValue::Sequence(items) => {
            let (values, spans) = items.into_iter().map(|item| into_json(item, None)).unzip();
            (Value::Array(values), SpanChildren::Items(spans))
        }
        NodeValue::Mapping(entries) => {
            let mut map = Map::new();
            let mut spans = Vec::with_capacity(entries.len());
            for (name, key_span, value) in entries {
                let (value, span) = into_json(value, Some(key_span));
                spans.push((name.clone(), span));
                map.insert(name, value);
            }
            let index = (spans.len() > INDEXED_ENTRIES).then(|| {
                spans
                    .iter()
                    .enumerate()
                    .map(|(i, (name, _))| (name.clone(), i))
                    .collect()
            });
            (Value::Object(map), SpanChildren::Entries(spans, index))
        }
    };
    (value, SpanNode { span, children })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_str(text: &str) -> Result<LoadedDocument, Vec<Diagnostic>> {
        load(FileId(0), text)
    }

    #[test]
    fn resolves_core_schema_scalars() {
        let doc =
            load_str("a: 1\nb: -2.5\nc: true\nd: ~\ne: '1'\nf: 0x1F\ng: 1e3\nh: 1.2.3\n").unwrap();
        assert_eq!(
            doc.value,
            serde_json::json!({"a": 1, "b": -2.5, "c": true, "d": null, "e": "1", "f": 31, "g": 1000.0, "h": "1.2.3"})
        );
    }

    #[test]
    fn records_key_and_value_spans() {
        let text = "name: Invenias\nlist:\n  - x: 1\n";
        let doc = load_str(text).unwrap();
        let name = doc.spans.get("/name").unwrap();
        assert_eq!(&text[name.key.clone().unwrap()], "name");
        assert_eq!(&text[name.value.clone()], "Invenias");
        let x = doc.spans.get("/list/0/x").unwrap();
        assert_eq!(&text[x.value.clone()], "1");
        assert_eq!(
            doc.spans.value("/list/0/missing"),
            doc.spans.get("/list/0").unwrap().value
        );
    }

    #[test]
    fn spans_are_bytes_in_non_ascii_text() {
        let text = "name: \"Café ☕\"\nnext: here\n";
        let doc = load_str(text).unwrap();
        assert_eq!(&text[doc.spans.get("/next").unwrap().value.clone()], "here");
    }

    #[test]
    fn refuses_duplicate_keys() {
        let errors = load_str("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!(errors[0].code, Code::DuplicateKey);
        assert_eq!(errors[0].span, Some(10..11));
    }

    #[test]
    fn expands_aliases_with_a_budget() {
        let doc = load_str("a: &x {k: 1}\nb: *x\n").unwrap();
        assert_eq!(doc.value, serde_json::json!({"a": {"k": 1}, "b": {"k": 1}}));
        let mut bomb = String::from("l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..10 {
            let prev = level - 1;
            bomb.push_str(&format!("l{level}: &l{level} [*l{prev}, *l{prev}, *l{prev}, *l{prev}, *l{prev}, *l{prev}, *l{prev}, *l{prev}, *l{prev}, *l{prev}]\n"));
        }
        assert_eq!(load_str(&bomb).unwrap_err()[0].code, Code::TooManyNodes);
    }

    #[test]
    fn bounds_the_bytes_aliases_expand_to() {
        // One long scalar aliased many times: few values, but gigabytes of text.
        let mut bomb = format!("a: &a {}\nb: [", "x".repeat(500_000));
        bomb.push_str(&vec!["*a"; 20_000].join(","));
        bomb.push_str("]\n");
        assert!(bomb.len() < MAX_FILE_BYTES);
        let started = std::time::Instant::now();
        let errors = load_str(&bomb).unwrap_err();
        assert_eq!(errors[0].code, Code::TooManyNodes);
        assert!(
            errors[0].message.contains("MiB of text"),
            "{}",
            errors[0].message
        );
        // Refused as soon as the budget is passed, long before the copies add up.
        assert!(started.elapsed() < std::time::Duration::from_secs(10));
        // Keys count too.
        let key = "k".repeat(400_000);
        let keys = format!("a: &a {{{key}: 1}}\nb: [{}]\n", vec!["*a"; 30].join(","));
        assert_eq!(load_str(&keys).unwrap_err()[0].code, Code::TooManyNodes);
        // Aliases within the budget still expand.
        let fine = format!("a: &a {}\nb: [*a, *a, *a]\n", "x".repeat(500_000));
        assert!(load_str(&fine).is_ok());
    }

    #[test]
    fn many_keys_are_checked_for_duplicates_in_linear_time() {
        let mut text = String::from("m:\n");
        for i in 0..40_000 {
            text.push_str(&format!("  k{i}: {i}\n"));
        }
        let doc = load_str(&text).unwrap();
        assert_eq!(doc.value["m"].as_object().unwrap().len(), 40_000);
        let span = doc.spans.get("/m/k39999").unwrap();
        assert_eq!(&text[span.value.clone()], "39999");
        text.push_str("  k123: again\n");
        let errors = load_str(&text).unwrap_err();
        assert_eq!(errors[0].code, Code::DuplicateKey);
        assert!(errors[0].message.contains("`k123`"));
        // A key holding `/` or `~` is found through its escaped pointer token.
        let doc = load_str("m: {a/b: 1, c~d: 2}\n").unwrap();
        assert!(doc.spans.get("/m/a~1b").is_some());
        assert!(doc.spans.get("/m/c~0d").is_some());
    }

    #[test]
    fn refuses_deep_nesting() {
        let text = "[".repeat(10_000);
        let errors = load_str(&text).unwrap_err();
        assert!(matches!(errors[0].code, Code::TooDeep | Code::YamlSyntax));
    }

    #[test]
    fn refuses_infinity() {
        assert_eq!(
            load_str("a: .inf\n").unwrap_err()[0].code,
            Code::YamlUnsupported
        );
    }
}
