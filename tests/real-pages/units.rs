//! The units of a built docs page as a reader sees them, for `tests/real_pages.rs` and the
//! measuring tool `tests/real-pages/tool.rs`: each heading, paragraph sentence, list item
//! (its own text, without the lists, tables and code nested in it; a numbered item's starts
//! with the number it shows, `2. `), table (its header and number of rows) and table cell,
//! code line, image, link and anchor, the bold, italic and code spans, the page title and
//! each card's first heading. Each unit has a kind (the element), a context (the lists and
//! quotes it sits in, outermost first: `ol/ul` is a bullet under a numbered step) and its
//! text with whitespace collapsed.
//!
//! The HTML is kramdown's (well-formed, as Jekyll writes it), so a small tree builder
//! reads it; nothing here is a general HTML parser.

use std::collections::BTreeMap;
use std::fmt;

/// One unit: `kind[context] text`, as the `.units` files write it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Unit {
    pub kind: String,
    pub context: String,
    pub text: String,
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}] {}", self.kind, self.context, self.text)
    }
}

impl Unit {
    /// Reads `kind[context] text`.
    pub fn parse(line: &str) -> Result<Unit, String> {
        let (head, text) = line
            .split_once("] ")
            .ok_or_else(|| format!("`{line}` is not `kind[context] text`"))?;
        let (kind, context) = head
            .split_once('[')
            .ok_or_else(|| format!("`{line}` has no `[context]`"))?;
        if kind.is_empty() || text.trim() != text || text.is_empty() {
            return Err(format!("`{line}` is not `kind[context] text`"));
        }
        Ok(Unit {
            kind: kind.to_owned(),
            context: context.to_owned(),
            text: text.to_owned(),
        })
    }
}

/// The units of a `.units` file: one per line, `#` comment lines and blank lines aside.
pub fn parse_units(text: &str) -> Result<Vec<Unit>, String> {
    text.lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(Unit::parse)
        .collect()
}

/// `text` with every run of whitespace (non-breaking spaces too) made one space, trimmed.
pub fn normalise(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c == '\u{a0}')
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A paragraph's text cut into sentences: after `.`, `!` or `?` followed by whitespace and
/// an upper-case letter, a digit or an opening quote or bracket.
pub fn sentences(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        if matches!(chars[i], '.' | '!' | '?')
            && chars.get(i + 1).is_some_and(|c| c.is_whitespace())
        {
            let mut j = i + 1;
            while j < chars.len() && chars[j].is_whitespace() {
                j += 1;
            }
            if chars.get(j).is_some_and(|&c| {
                c.is_uppercase() || c.is_ascii_digit() || matches!(c, '"' | '“' | '‘' | '(' | '[')
            }) {
                out.push(chars[start..=i].iter().collect::<String>());
                start = j;
                i = j;
                continue;
            }
        }
        i += 1;
    }
    out.push(chars[start..].iter().collect::<String>());
    out.into_iter()
        .map(|s| normalise(&s))
        .filter(|s| !s.is_empty())
        .collect()
}

#[derive(Debug)]
enum Node {
    Element {
        name: String,
        attributes: Vec<(String, String)>,
        children: Vec<Node>,
    },
    Text(String),
}

impl Node {
    fn attribute(&self, wanted: &str) -> Option<&str> {
        match self {
            Node::Element { attributes, .. } => attributes
                .iter()
                .find(|(name, _)| name == wanted)
                .map(|(_, value)| value.as_str()),
            Node::Text(_) => None,
        }
    }

    fn name(&self) -> &str {
        match self {
            Node::Element { name, .. } => name,
            Node::Text(_) => "",
        }
    }

    fn children(&self) -> &[Node] {
        match self {
            Node::Element { children, .. } => children,
            Node::Text(_) => &[],
        }
    }
}

/// Decodes the character references kramdown writes.
pub fn decode(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(end) = rest.find(';').filter(|&end| end < 12) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ => entity.strip_prefix('#').and_then(|number| {
                let value = match number.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => number.parse().ok(),
                };
                value.and_then(char::from_u32)
            }),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

const VOID: &[&str] = &[
    "img", "br", "hr", "meta", "input", "link", "area", "base", "col", "wbr",
];

/// The element tree of `html` (a list of top-level nodes). Comments and doctypes are
/// dropped; an end tag closes the nearest open element of its name.
fn parse(html: &str) -> Vec<Node> {
    // The stack of open elements: (name, attributes, children).
    type Open = (String, Vec<(String, String)>, Vec<Node>);
    let mut stack: Vec<Open> = vec![(String::new(), Vec::new(), Vec::new())];
    let mut rest = html;
    let close = |stack: &mut Vec<Open>| {
        let (name, attributes, children) = stack.pop().unwrap();
        stack.last_mut().unwrap().2.push(Node::Element {
            name,
            attributes,
            children,
        });
    };
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            stack.last_mut().unwrap().2.push(Node::Text(decode(rest)));
            break;
        };
        if lt > 0 {
            stack
                .last_mut()
                .unwrap()
                .2
                .push(Node::Text(decode(&rest[..lt])));
        }
        rest = &rest[lt..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        if rest.starts_with("<!") {
            rest = rest.find('>').map_or("", |end| &rest[end + 1..]);
            continue;
        }
        let closing = rest.starts_with("</");
        let body = &rest[if closing { 2 } else { 1 }..];
        if !body.starts_with(|c: char| c.is_ascii_alphabetic()) {
            stack.last_mut().unwrap().2.push(Node::Text("<".to_owned()));
            rest = &rest[1..];
            continue;
        }
        // The tag's end: the first `>` outside a quoted attribute value.
        let mut quote = None;
        let mut end = body.len();
        for (i, c) in body.char_indices() {
            match (quote, c) {
                (None, '"' | '\'') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (None, '>') => {
                    end = i;
                    break;
                }
                _ => {}
            }
        }
        let tag = &body[..end];
        rest = body.get(end + 1..).unwrap_or("");
        let name_end = tag
            .find(|c: char| c.is_whitespace() || c == '/')
            .unwrap_or(tag.len());
        let name = tag[..name_end].to_ascii_lowercase();
        if closing {
            if let Some(depth) = stack.iter().rposition(|(open, _, _)| *open == name) {
                while stack.len() > depth {
                    close(&mut stack);
                }
            }
            continue;
        }
        let attributes = attributes(&tag[name_end..]);
        let self_closing = tag.ends_with('/') || VOID.contains(&name.as_str());
        stack.push((name, attributes, Vec::new()));
        if self_closing {
            close(&mut stack);
        }
    }
    while stack.len() > 1 {
        close(&mut stack);
    }
    stack.pop().unwrap().2
}

/// The attributes of a tag's text after its name.
fn attributes(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = text.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
    while !rest.is_empty() {
        let name_end = rest
            .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len());
        let name = rest[..name_end].to_ascii_lowercase();
        rest = rest[name_end..].trim_start();
        let mut value = String::new();
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            if let Some(q) = after.chars().next().filter(|c| matches!(c, '"' | '\'')) {
                let inner = &after[1..];
                let end = inner.find(q).unwrap_or(inner.len());
                value = decode(&inner[..end]);
                rest = inner.get(end + 1..).unwrap_or("");
            } else {
                let end = after
                    .find(|c: char| c.is_whitespace())
                    .unwrap_or(after.len());
                value = decode(&after[..end]);
                rest = &after[end..];
            }
        }
        if !name.is_empty() {
            out.push((name, value));
        }
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
    }
    out
}

/// Blocks whose text is not their parent's own text.
const NESTED_BLOCKS: &[&str] = &[
    "ul",
    "ol",
    "table",
    "pre",
    "blockquote",
    "section",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
];

/// All the text under `node`.
fn all_text(node: &Node, out: &mut String) {
    match node {
        Node::Text(text) => out.push_str(text),
        Node::Element { name, children, .. } => {
            if name == "br" {
                out.push(' ');
            }
            for child in children {
                all_text(child, out);
            }
        }
    }
}

/// Whether `child` is the first paragraph of `parent`, which is a list item's own text
/// unless the item has text outside paragraphs.
fn first_paragraph(parent: &Node, child: &Node) -> bool {
    let inline = parent.children().iter().any(|c| match c {
        Node::Text(text) => !text.trim().is_empty(),
        Node::Element { name, .. } => !(name == "p" || NESTED_BLOCKS.contains(&name.as_str())),
    });
    !inline
        && child.name() == "p"
        && parent
            .children()
            .iter()
            .find(|c| c.name() == "p")
            .is_some_and(|first| std::ptr::eq(first, child))
}

/// The text under `node` without nested blocks: a list item's own text (its text and its
/// first paragraph), not that of the lists, tables and further paragraphs in it.
fn own_text(node: &Node, out: &mut String) {
    for child in node.children() {
        match child {
            Node::Text(text) => out.push_str(text),
            Node::Element { name, .. } if NESTED_BLOCKS.contains(&name.as_str()) => {}
            Node::Element { name, .. } if name == "p" => {
                if first_paragraph(node, child) {
                    out.push(' ');
                    own_text(child, out);
                    out.push(' ');
                }
            }
            Node::Element { name, .. } => {
                if name == "br" {
                    out.push(' ');
                }
                own_text(child, out);
            }
        }
    }
}

fn text_of(node: &Node) -> String {
    let mut text = String::new();
    all_text(node, &mut text);
    normalise(&text)
}

struct Walk {
    units: Vec<Unit>,
    context: Vec<&'static str>,
    /// Per open list, the number its next item shows (`None` in a bulleted list).
    numbers: Vec<Option<usize>>,
    cards: usize,
}

impl Walk {
    fn push(&mut self, kind: &str, text: String) {
        if text.is_empty() {
            return;
        }
        self.units.push(Unit {
            kind: kind.to_owned(),
            context: self.context.join("/"),
            text,
        });
    }

    /// Walks `node`; `owned` says it is a list item's first paragraph, whose text is the
    /// item's.
    fn walk(&mut self, node: &Node, owned: bool) {
        let Node::Element { name, children, .. } = node else {
            return;
        };
        match name.as_str() {
            "title" => {
                self.push("title", text_of(node));
                return;
            }
            "section" if node.attribute("class") == Some("card") => {
                self.cards += 1;
                let first = first_heading(node)
                    .map(text_of)
                    .or_else(|| first_anchor(node).map(|name| format!("#{name}")))
                    .unwrap_or_else(|| "(empty)".to_owned());
                self.push("card", format!("{}: {first}", self.cards));
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.push(name, text_of(node));
            }
            "p" if !owned => {
                let mut text = String::new();
                own_text(node, &mut text);
                for sentence in sentences(&normalise(&text)) {
                    self.push("p", sentence);
                }
            }
            "li" => {
                let mut text = String::new();
                if let Some(Some(number)) = self.numbers.last_mut() {
                    text = format!("{number}. ");
                    *number += 1;
                }
                own_text(node, &mut text);
                self.push("li", normalise(&text));
            }
            "table" => {
                // The table as a whole: its header and how many rows it has, so that one
                // table shown as two is seen.
                let mut rows = Vec::new();
                collect(node, "tr", &mut rows);
                let header: Vec<String> = rows
                    .first()
                    .map(|row| {
                        row.children()
                            .iter()
                            .filter(|cell| cell.name() == "th")
                            .map(text_of)
                            .collect()
                    })
                    .unwrap_or_default();
                let body = rows.len() - usize::from(!header.is_empty());
                self.push("table", format!("{} ({body} rows)", header.join(" | ")));
            }
            "th" | "td" => self.push(name, text_of(node)),
            "pre" => {
                let mut text = String::new();
                all_text(node, &mut text);
                for line in text.lines() {
                    self.push("pre", normalise(line));
                }
                return;
            }
            "img" => {
                let src = node.attribute("src").unwrap_or("");
                let alt = node.attribute("alt").unwrap_or("");
                self.push("img", format!("{src} | {alt}"));
            }
            "a" => {
                if let Some(href) = node.attribute("href") {
                    self.push("a", format!("{href} | {}", text_of(node)));
                }
                if let Some(anchor) = node.attribute("name") {
                    self.push("anchor", anchor.to_owned());
                }
            }
            "strong" | "em" | "code" => self.push(name, text_of(node)),
            _ => {}
        }
        let pushed = match name.as_str() {
            "ul" => Some("ul"),
            "ol" => Some("ol"),
            "blockquote" => Some("quote"),
            _ => None,
        };
        if let Some(context) = pushed {
            self.context.push(context);
        }
        let list = matches!(name.as_str(), "ul" | "ol");
        if list {
            let start = node.attribute("start").and_then(|s| s.parse().ok());
            self.numbers
                .push((name == "ol").then_some(start.unwrap_or(1)));
        }
        for child in children {
            self.walk(child, name == "li" && first_paragraph(node, child));
        }
        if pushed.is_some() {
            self.context.pop();
        }
        if list {
            self.numbers.pop();
        }
    }
}

/// Every element named `name` under `node`, in document order.
fn collect<'a>(node: &'a Node, name: &str, out: &mut Vec<&'a Node>) {
    for child in node.children() {
        if child.name() == name {
            out.push(child);
        }
        collect(child, name, out);
    }
}

fn first_heading(node: &Node) -> Option<&Node> {
    node.children().iter().find_map(|child| {
        if matches!(child.name(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6") {
            Some(child)
        } else {
            first_heading(child)
        }
    })
}

fn first_anchor(node: &Node) -> Option<&str> {
    node.children().iter().find_map(|child| {
        if child.name() == "a" {
            child.attribute("name")
        } else {
            first_anchor(child)
        }
    })
}

/// Every unit of a built page, in document order. Only the `title` and what is inside
/// `body` count; a `pre`'s code is read line by line, not as inline `code`.
pub fn units(html: &str) -> Vec<Unit> {
    let mut walk = Walk {
        units: Vec::new(),
        context: Vec::new(),
        numbers: Vec::new(),
        cards: 0,
    };
    for node in parse(html) {
        walk.walk(&node, false);
    }
    walk.units
}

/// The front-matter units of a Markdown page: `front[] key: value` per top-level line, the
/// value's YAML quotes removed.
pub fn front_matter(page: &str) -> Vec<Unit> {
    let Some(rest) = page.strip_prefix("---\n") else {
        return Vec::new();
    };
    let end = rest.find("\n---\n").map_or(rest.len(), |end| end + 1);
    rest[..end]
        .lines()
        .filter(|line| !line.starts_with('#') && !line.starts_with(' '))
        .filter_map(|line| line.split_once(':'))
        .map(|(key, value)| {
            let value = value.trim();
            let value = value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
                .unwrap_or(value);
            Unit {
                kind: "front".to_owned(),
                context: String::new(),
                text: format!("{}: {}", key.trim(), normalise(value)),
            }
        })
        .collect()
}

/// The expected units missing from `found`, counted as multisets: a unit expected twice
/// must be there twice.
pub fn missing<'a>(expected: &'a [Unit], found: &[Unit]) -> Vec<&'a Unit> {
    let mut have: BTreeMap<&Unit, usize> = BTreeMap::new();
    for unit in found {
        *have.entry(unit).or_default() += 1;
    }
    expected
        .iter()
        .filter(|unit| match have.get_mut(unit) {
            Some(count) if *count > 0 => {
                *count -= 1;
                false
            }
            _ => true,
        })
        .collect()
}
