//! The imported definition as an ordered YAML tree, and its text: keys in the order the
//! shipped connectors write them, a blank line between top-level sections, methods and shapes,
//! and each `# review:` comment on the line above the entry it is about.

use std::fmt::Write as _;

/// A note for the person who finishes the import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub kind: ReviewKind,
    pub message: String,
}

/// What kind of review a note asks for; the summary counts them by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ReviewKind {
    /// A description the document lacks (the value says TODO).
    Description,
    /// Paging recognised from parameter and response names.
    Paging,
    /// A name changed to keep names unique.
    Renamed,
    /// A choice among several servers, sign-ins or flows, or a value the importer filled in.
    Choice,
    /// `oneOf` / `anyOf` merged into one set of optional fields.
    Union,
    /// A value the definition holds in a looser form than the document (a list as text).
    Looser,
}

impl ReviewKind {
    /// How the summary names a count of them.
    pub fn plural(self) -> &'static str {
        match self {
            ReviewKind::Description => "missing descriptions",
            ReviewKind::Paging => "guessed paging",
            ReviewKind::Renamed => "renamed to keep names unique",
            ReviewKind::Choice => "choices made for you",
            ReviewKind::Union => "oneOf/anyOf merged",
            ReviewKind::Looser => "values held more loosely",
        }
    }
}

/// A YAML node.
#[derive(Debug, Clone)]
pub enum Node {
    /// A scalar, already written as YAML (`text`, `"quoted: text"`, `true`, `100`).
    Scalar(String),
    Map(Vec<Entry>),
    Seq(Vec<Node>),
    /// A list of scalars on one line: `[openid, profile]`.
    Flow(Vec<String>),
}

/// One key of a mapping.
#[derive(Debug, Clone)]
pub struct Entry {
    pub key: String,
    pub value: Node,
    pub reviews: Vec<Review>,
}

impl Node {
    /// A string, quoted when YAML would read it as something else.
    pub fn text(text: &str) -> Node {
        Node::Scalar(scalar(text))
    }

    /// A number or boolean as written.
    pub fn raw(text: impl Into<String>) -> Node {
        Node::Scalar(text.into())
    }

    /// The value of `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Map(entries) => entries.iter().find(|e| e.key == key).map(|e| &e.value),
            _ => None,
        }
    }
}

/// A mapping under construction.
#[derive(Debug, Default)]
pub struct MapBuilder(Vec<Entry>);

impl MapBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `key: value`.
    pub fn put(&mut self, key: &str, value: Node) -> &mut Self {
        self.0.push(Entry {
            key: key.to_owned(),
            value,
            reviews: Vec::new(),
        });
        self
    }

    /// Adds `key: text`.
    pub fn text(&mut self, key: &str, text: &str) -> &mut Self {
        self.put(key, Node::text(text))
    }

    /// Adds a review note to the last entry.
    pub fn review(&mut self, review: Option<Review>) -> &mut Self {
        if let (Some(review), Some(last)) = (review, self.0.last_mut()) {
            last.reviews.push(review);
        }
        self
    }

    /// Adds a review note to the entry `key`.
    pub fn review_at(&mut self, key: &str, review: Review) -> &mut Self {
        if let Some(entry) = self.0.iter_mut().find(|e| e.key == key) {
            entry.reviews.push(review);
        }
        self
    }

    pub fn build(self) -> Node {
        Node::Map(self.0)
    }
}

/// A string as a YAML scalar in a flow list (`[a, b]`): as [`scalar`], and quoted when it
/// holds a flow indicator.
pub fn flow_scalar(text: &str) -> String {
    if text.contains([',', '[', ']', '{', '}', '?', '#', ':']) {
        serde_json::to_string(text).unwrap_or_default()
    } else {
        scalar(text)
    }
}

/// A string as a YAML scalar: plain when the YAML 1.2 core schema reads it back as that
/// string, else double-quoted (JSON's escapes, which YAML reads the same).
pub fn scalar(text: &str) -> String {
    let plain = text
        .chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric() || matches!(c, '<' | '/' | '(' | '$' | '_' | '.'))
        && !text.ends_with([' ', ':'])
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.contains(['\n', '\t', '"', '\\', '\u{85}', '\u{2028}', '\u{2029}'])
        && !text.chars().any(|c| c.is_control() || c == '\u{feff}')
        && !matches!(
            text.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n" | "~" | ".nan" | ".inf"
        )
        && !text.starts_with(|c: char| c.is_ascii_digit())
        && text.parse::<f64>().is_err()
        && !looks_numeric(text)
        // `<<` at the start is YAML 1.1's merge key.
        && !text.starts_with("<<")
        && !text.starts_with('.');
    if plain {
        text.to_owned()
    } else {
        serde_json::to_string(text).unwrap_or_default()
    }
}

/// `0x1F`, `0o17`, `1_000`, `+1`, `.5`: forms some YAML readers take as numbers.
fn looks_numeric(text: &str) -> bool {
    let t = text.trim_start_matches(['+', '-']);
    t.starts_with("0x")
        || t.starts_with("0o")
        || (t.chars().next().is_some_and(|c| c.is_ascii_digit())
            && t.chars().all(|c| {
                c.is_ascii_digit() || matches!(c, '_' | '.' | 'e' | 'E' | ':' | '-' | '+')
            }))
}

/// Text made safe for one `#` comment line: every character YAML (or a reader) takes as a
/// line break or control, `\r`, NEL and the Unicode line and paragraph separators included,
/// becomes a space, so that no text of the document can end the comment and write keys.
pub fn comment_text(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// One review note, with the 1-based line of the entry it is about.
#[derive(Debug, Clone)]
pub struct PlacedReview {
    pub line: usize,
    pub review: Review,
}

/// Writes the tree after `header` (comment lines): a blank line before each top-level entry
/// that is a mapping or a list, and between the items of the top-level entries named in
/// `spaced` (methods, shapes).
pub fn write(header: &str, root: &Node, spaced: &[&str]) -> (String, Vec<PlacedReview>) {
    let mut writer = Writer {
        out: String::from(header),
        reviews: Vec::new(),
        lines: 1,
        counted: 0,
    };
    if let Node::Map(entries) = root {
        let block = |node: &Node| matches!(node, Node::Map(_) | Node::Seq(_));
        for (i, entry) in entries.iter().enumerate() {
            if i > 0 && (block(&entry.value) || block(&entries[i - 1].value)) {
                writer.out.push('\n');
            }
            writer.entry(entry, 0, spaced.contains(&entry.key.as_str()));
        }
    }
    (writer.out, writer.reviews)
}

struct Writer {
    out: String,
    reviews: Vec<PlacedReview>,
    /// The line number at byte `counted` of `out`, counted as the text grows.
    lines: usize,
    counted: usize,
}

impl Writer {
    fn line(&mut self) -> usize {
        self.lines += self.out.as_bytes()[self.counted..]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.counted = self.out.len();
        self.lines
    }

    fn comments(&mut self, reviews: &[Review], indent: usize) {
        for review in reviews {
            let _ = writeln!(
                self.out,
                "{:indent$}# review: {}",
                "",
                comment_text(&review.message)
            );
        }
    }

    fn place(&mut self, reviews: &[Review]) {
        let line = self.line();
        self.reviews
            .extend(reviews.iter().map(|review| PlacedReview {
                line,
                review: review.clone(),
            }));
    }

    /// `key: value` at `indent`, the key's comments first.
    fn entry(&mut self, entry: &Entry, indent: usize, spaced: bool) {
        self.comments(&entry.reviews, indent);
        self.place(&entry.reviews);
        let _ = write!(self.out, "{:indent$}{}:", "", scalar(&entry.key));
        self.value_after_key(&entry.value, indent, spaced);
    }

    fn value_after_key(&mut self, value: &Node, indent: usize, spaced: bool) {
        match value {
            Node::Scalar(text) => {
                let _ = writeln!(self.out, " {text}");
            }
            Node::Flow(items) => {
                let _ = writeln!(self.out, " [{}]", items.join(", "));
            }
            Node::Map(entries) if entries.is_empty() => {
                self.out.push_str(" {}\n");
            }
            Node::Map(entries) => {
                self.out.push('\n');
                for (i, entry) in entries.iter().enumerate() {
                    if spaced && i > 0 {
                        self.out.push('\n');
                    }
                    self.entry(entry, indent + 2, false);
                }
            }
            Node::Seq(items) if items.is_empty() => {
                self.out.push_str(" []\n");
            }
            Node::Seq(items) => {
                self.out.push('\n');
                for (i, item) in items.iter().enumerate() {
                    if spaced && i > 0 {
                        self.out.push('\n');
                    }
                    self.item(item, indent + 2);
                }
            }
        }
    }

    /// `- item` at `indent`.
    fn item(&mut self, item: &Node, indent: usize) {
        match item {
            Node::Map(entries) => {
                for (i, entry) in entries.iter().enumerate() {
                    if i == 0 {
                        // The first entry shares the dash's line; its comments go above.
                        self.comments(&entry.reviews, indent);
                        self.place(&entry.reviews);
                        let _ = write!(self.out, "{:indent$}- {}:", "", scalar(&entry.key));
                        self.value_after_key(&entry.value, indent + 2, false);
                    } else {
                        self.entry(entry, indent + 2, false);
                    }
                }
            }
            Node::Scalar(text) => {
                let _ = writeln!(self.out, "{:indent$}- {text}", "");
            }
            Node::Flow(items) => {
                let _ = writeln!(self.out, "{:indent$}- [{}]", "", items.join(", "));
            }
            Node::Seq(items) => {
                let _ = writeln!(self.out, "{:indent$}-", "");
                for item in items {
                    self.item(item, indent + 2);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_read_back_as_strings() {
        for (text, expected) in [
            ("List Pets", "List Pets"),
            ("true", "\"true\""),
            ("1.0", "\"1.0\""),
            ("a: b", "\"a: b\""),
            ("<<PetId>>", "\"<<PetId>>\""),
            ("pets/<<PetId>>", "pets/<<PetId>>"),
            ("[Items]", "\"[Items]\""),
            ("a, b", "a, b"),
            ("x #y", "\"x #y\""),
            ("0x1F", "\"0x1F\""),
            ("", "\"\""),
        ] {
            assert_eq!(scalar(text), expected, "{text}");
        }
    }
}
