//! Escaping for each target: text from the definition must reach JSON, Markdown (through
//! Liquid and kramdown) and Rust source as text, never as syntax.
//!
//! Templates call these as filters; see [`super::Renderer`] for which filter does what.

use std::borrow::Cow;
use std::fmt::Write as _;

/// A Rust string literal holding `text` exactly.
pub fn rust_string(text: &str) -> String {
    format!("{text:?}")
}

/// A Rust character literal holding `c` exactly.
pub fn rust_char(c: char) -> String {
    format!("{c:?}")
}

/// `text` as `///` doc-comment lines indented by `indent` spaces, reading exactly as `text`
/// once rustdoc renders it: Markdown and HTML syntax is escaped, leading spaces (which would
/// start a doctest) are dropped, and bare carriage returns (which rustc refuses) removed.
pub fn rust_doc(text: &str, indent: usize) -> String {
    let text = if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(text)
    };
    let mut doc = String::with_capacity(text.len() + 16 * (indent + 4));
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            doc.push('\n');
        }
        doc.extend(std::iter::repeat_n(' ', indent));
        doc.push_str("///");
        let line = line.trim();
        if !line.is_empty() {
            doc.push(' ');
            push_markdown_escaped(&mut doc, line);
        }
    }
    doc
}

/// Plain text as one line of doc-comment Markdown that reads exactly as the text.
pub fn doc_text(text: &str) -> String {
    markdown_escape(&collapse_whitespace(text))
}

/// Text as one Markdown code span, shown verbatim: the backtick fence is longer than any
/// backtick run inside.
pub fn doc_code(text: &str) -> String {
    let mut text = collapse_whitespace(text);
    if text.chars().any(is_bidi_control) {
        text = text
            .chars()
            .map(|c| if is_bidi_control(c) { '\u{FFFD}' } else { c })
            .collect();
    }
    let longest_run = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// Text for a plain `//` comment: one line, control characters dropped.
pub fn comment_text(text: &str) -> String {
    collapse_whitespace(text)
        .chars()
        .filter(|c| !c.is_control() && !is_bidi_control(*c))
        .collect()
}

/// An array literal laid out as rustfmt lays it out: on one line when its items fit in
/// rustfmt's array width (60 columns); otherwise one item per line, or, for `mixed` (short
/// literals), as many per line as fit in 100 columns. `indent` is the indentation of the line
/// the array starts on.
pub fn rust_array(items: &[String], indent: usize, mixed: bool) -> String {
    let one_line = items.join(", ");
    if one_line.len() <= 60 {
        return format!("[{one_line}]");
    }
    let inner = indent + 4;
    let mut lines: Vec<String> = Vec::new();
    for item in items {
        match lines.last_mut() {
            Some(line) if mixed && inner + line.len() + 1 + item.len() < 100 => {
                line.push(' ');
                line.push_str(item);
                line.push(',');
            }
            _ => lines.push(format!("{item},")),
        }
    }
    let pad = " ".repeat(inner);
    let body: Vec<String> = lines.iter().map(|line| format!("{pad}{line}")).collect();
    format!("[\n{}\n{}]", body.join("\n"), " ".repeat(indent))
}

/// Whether `text` is a Rust identifier (as the model makes them).
pub fn is_rust_ident(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Whether `text` is a Rust type expression of the simple kind the model makes
/// (`String`, `Option<Secret>`, `i64`).
pub fn is_rust_type(text: &str) -> bool {
    !text.is_empty()
        && text.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '_' | '<' | '>' | ':' | ',' | ' ' | '&')
        })
}

/// Unicode characters that change the direction of text; rustc refuses them in comments.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Backslash-escapes the characters that Markdown (kramdown, CommonMark, rustdoc) would
/// read as syntax, `&` as an entity, and direction controls as numeric entities (which
/// rustdoc renders as the character itself).
fn markdown_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_markdown_escaped(&mut out, text);
    out
}

/// [`markdown_escape`] into `out`.
fn push_markdown_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            c if is_bidi_control(c) => {
                let _ = write!(out, "&#x{:X};", u32::from(c));
            }
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '{' | '}' | '!' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '&' => out.push_str("&amp;"),
            _ => out.push(c),
        }
    }
}

/// Plain text (a name, a description) as Markdown that reads exactly as the text: one
/// paragraph line, every Markdown and HTML character escaped, and Liquid kept out (escaping
/// `{` breaks up `{{`, but `\\{%` still holds `{%`).
pub fn markdown_text(text: &str) -> String {
    let mut one_line = String::with_capacity(text.len());
    for (i, run) in text.split(char::is_whitespace).enumerate() {
        if i > 0 && !one_line.ends_with(' ') {
            one_line.push(' ');
        }
        one_line.push_str(run);
    }
    liquid_safe(&markdown_escape(&one_line)).into_owned()
}

/// Inline Markdown written by a connector author as one line of Markdown that cannot break
/// the page. An allow-list: the text is parsed into tokens ([`parse_inline`]) and only these
/// are kept as Markdown — emphasis (`*a*`, `_a_`, `**a**`), code spans (CommonMark
/// backtick-run matching), links whose target is an `https://` URL, a relative page or a
/// `#anchor`, and images whose source is an `https://` URL or relative. Everything else is
/// text, and text is escaped: raw HTML, kramdown extensions and attribute lists (`{:`, `{::`,
/// `{#id}`), table pipes, math, `javascript:` and `data:` links are all shown as written. A
/// line-start marker cannot open a block (heading, list, quote, definition list, fence), and
/// Liquid is kept out.
pub fn markdown_inline(text: &str) -> String {
    let one_line = collapse_whitespace(text);
    let chars: Vec<char> = one_line.chars().collect();
    let mut out = String::with_capacity(one_line.len() + 8);
    render_inlines(&mut out, &parse_inline(&chars, false));
    let out = escape_block_start(&out);
    liquid_safe(&out).into_owned()
}

/// One token of authored inline Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    /// Text, shown as written.
    Text(String),
    /// A code span's content, shown verbatim.
    Code(String),
    /// Emphasis: `*` or `_` (italics) or `**` (bold) around its content.
    Emphasis(&'static str, Vec<Inline>),
    /// A link with an allowed target.
    Link(Vec<Inline>, String),
    /// An image with an allowed source: alt text, source.
    Image(String, String),
}

/// Where a link or image target may point.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TargetKind {
    Link,
    Image,
}

/// Whether `target` is an allowed link (`https://` URL, relative page, `#anchor`) or image
/// (`https://` URL, relative) target: only URL characters that need no quoting in Markdown or
/// HTML; a relative target has no `:` (so no scheme, `javascript:` or `data:`), no `&` (so
/// no entity spelling a `:`) and does not start with `//` (another host).
fn allowed_target(target: &str, kind: TargetKind) -> bool {
    let url_chars = target.bytes().all(|b| {
        b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'/'
                    | b'?'
                    | b'#'
                    | b'@'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b'%'
                    | b':'
            )
    });
    if !url_chars || target.is_empty() {
        return false;
    }
    let https = target.len() > "https://".len()
        && target[.."https://".len()].eq_ignore_ascii_case("https://");
    if https {
        return true;
    }
    let relative = !target.contains([':', '&']) && !target.starts_with("//");
    relative && (kind == TargetKind::Link || !target.starts_with('#'))
}

/// The length of the run of `c` starting at `at`.
fn run_length(chars: &[char], at: usize, c: char) -> usize {
    chars[at..].iter().take_while(|&&x| x == c).count()
}

/// If a code span opens at `at` (a run of backticks), the index of its closing run: the next
/// run of exactly as many backticks (CommonMark).
fn code_span_close(chars: &[char], at: usize) -> Option<usize> {
    let n = run_length(chars, at, '`');
    let mut i = at + n;
    while i < chars.len() {
        if chars[i] == '`' {
            let m = run_length(chars, i, '`');
            if m == n {
                return Some(i);
            }
            i += m;
        } else {
            i += 1;
        }
    }
    None
}

/// If a link opens at `at` (a `[`): the end of its label (the matching `]`, brackets nested,
/// escapes and code spans skipped), its target and the index after its `)`. The target runs
/// to the first `)`; titles and spaces are not part of the allowed syntax.
fn link_at(chars: &[char], at: usize) -> Option<(usize, String, usize)> {
    let mut depth = 0usize;
    let mut i = at;
    let label_end = loop {
        match chars.get(i)? {
            '\\' if chars.get(i + 1).is_some_and(char::is_ascii_punctuation) => i += 2,
            '`' => match code_span_close(chars, i) {
                Some(close) => i = close + run_length(chars, close, '`'),
                None => i += run_length(chars, i, '`'),
            },
            '[' => {
                depth += 1;
                i += 1;
            }
            ']' => {
                depth -= 1;
                if depth == 0 {
                    break i;
                }
                i += 1;
            }
            _ => i += 1,
        }
    };
    if chars.get(label_end + 1) != Some(&'(') {
        return None;
    }
    let start = label_end + 2;
    let close = start + chars[start..].iter().position(|&c| c == ')')?;
    Some((label_end, chars[start..close].iter().collect(), close + 1))
}

/// A piece of the first pass: a token, or a run of `*`/`_` that may open or close emphasis.
enum Piece {
    Token(Inline),
    Delim {
        c: char,
        n: usize,
        open: bool,
        close: bool,
    },
}

fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation() || (!c.is_alphanumeric() && !c.is_whitespace() && !c.is_ascii())
}

/// Authored inline Markdown as tokens. Backslash escapes, code spans, links and images are
/// found left to right; then runs of one or two `*` or `_` are paired into emphasis as
/// CommonMark pairs them (left- and right-flanking runs of the same character and length;
/// `_` not inside a word). Whatever does not form an allowed token is text. Inside a link,
/// links and images are text.
pub fn parse_inline(chars: &[char], in_link: bool) -> Vec<Inline> {
    let mut pieces: Vec<Piece> = Vec::new();
    let mut text = String::new();
    let flush = |text: &mut String, pieces: &mut Vec<Piece>| {
        if !text.is_empty() {
            pieces.push(Piece::Token(Inline::Text(std::mem::take(text))));
        }
    };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' if chars.get(i + 1).is_some_and(char::is_ascii_punctuation) => {
                text.push(chars[i + 1]);
                i += 2;
            }
            '`' => {
                let n = run_length(chars, i, '`');
                if let Some(close) = code_span_close(chars, i) {
                    let mut code: String = chars[i + n..close].iter().collect();
                    if code.len() >= 2
                        && code.starts_with(' ')
                        && code.ends_with(' ')
                        && !code.chars().all(|c| c == ' ')
                    {
                        code = code[1..code.len() - 1].to_owned();
                    }
                    flush(&mut text, &mut pieces);
                    pieces.push(Piece::Token(Inline::Code(code)));
                    i = close + n;
                } else {
                    text.extend(&chars[i..i + n]);
                    i += n;
                }
            }
            '!' | '[' if !in_link => {
                let image = c == '!';
                let open = if image { i + 1 } else { i };
                let kind = if image {
                    TargetKind::Image
                } else {
                    TargetKind::Link
                };
                let found = (chars.get(open) == Some(&'['))
                    .then(|| link_at(chars, open))
                    .flatten()
                    .filter(|(_, target, _)| allowed_target(target, kind));
                match found {
                    Some((label_end, target, end)) => {
                        flush(&mut text, &mut pieces);
                        let label = &chars[open + 1..label_end];
                        pieces.push(Piece::Token(if image {
                            Inline::Image(plain_text(label), target)
                        } else {
                            Inline::Link(parse_inline(label, true), target)
                        }));
                        i = end;
                    }
                    None => {
                        text.push(c);
                        i += 1;
                    }
                }
            }
            '*' | '_' => {
                let n = run_length(chars, i, c);
                let before = if i == 0 { ' ' } else { chars[i - 1] };
                let after = chars.get(i + n).copied().unwrap_or(' ');
                let left = !after.is_whitespace()
                    && (!is_punctuation(after) || before.is_whitespace() || is_punctuation(before));
                let right = !before.is_whitespace()
                    && (!is_punctuation(before) || after.is_whitespace() || is_punctuation(after));
                let (open, close) = if c == '*' {
                    (left, right)
                } else {
                    (
                        left && (!right || is_punctuation(before)),
                        right && (!left || is_punctuation(after)),
                    )
                };
                if n <= 2 && (open || close) {
                    flush(&mut text, &mut pieces);
                    pieces.push(Piece::Delim { c, n, open, close });
                } else {
                    text.extend(&chars[i..i + n]);
                }
                i += n;
            }
            _ => {
                text.push(c);
                i += 1;
            }
        }
    }
    flush(&mut text, &mut pieces);
    pair_emphasis(pieces)
}

/// The text a label shows, its escapes resolved and its markup kept as written (an image's
/// alt text is plain text).
fn plain_text(chars: &[char]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '\\' && chars.get(i + 1).is_some_and(char::is_ascii_punctuation) {
            i += 1;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// An open emphasis: the delimiter that opened it (none for the outermost) and its content.
type Frame = (Option<(char, usize)>, Vec<Inline>);

/// Pairs emphasis delimiters: a closer takes the nearest open delimiter of the same character
/// and length; delimiters left unpaired are text.
fn pair_emphasis(pieces: Vec<Piece>) -> Vec<Inline> {
    let mut frames: Vec<Frame> = vec![(None, Vec::new())];
    let unwind = |frames: &mut Vec<Frame>| {
        let (delim, content) = frames.pop().expect("an inner frame");
        let parent = &mut frames.last_mut().expect("the outer frame").1;
        if let Some((c, n)) = delim {
            push_text(parent, &c.to_string().repeat(n));
        }
        for inline in content {
            match inline {
                Inline::Text(t) => push_text(parent, &t),
                other => parent.push(other),
            }
        }
    };
    for piece in pieces {
        match piece {
            Piece::Token(Inline::Text(t)) => {
                push_text(&mut frames.last_mut().expect("frame").1, &t)
            }
            Piece::Token(token) => frames.last_mut().expect("frame").1.push(token),
            Piece::Delim { c, n, open, close } => {
                let opener = close
                    .then(|| frames.iter().rposition(|(d, _)| *d == Some((c, n))))
                    .flatten();
                if let Some(at) = opener {
                    while frames.len() > at + 1 {
                        unwind(&mut frames);
                    }
                    let (_, content) = frames.pop().expect("the opener's frame");
                    let marker = match (c, n) {
                        ('*', 1) => "*",
                        ('_', 1) => "_",
                        ('*', _) => "**",
                        _ => "__",
                    };
                    frames
                        .last_mut()
                        .expect("the outer frame")
                        .1
                        .push(Inline::Emphasis(marker, content));
                } else if open {
                    frames.push((Some((c, n)), Vec::new()));
                } else {
                    push_text(
                        &mut frames.last_mut().expect("frame").1,
                        &c.to_string().repeat(n),
                    );
                }
            }
        }
    }
    while frames.len() > 1 {
        unwind(&mut frames);
    }
    frames.pop().expect("the outer frame").1
}

/// Appends text, joining it to text just before it.
fn push_text(inlines: &mut Vec<Inline>, text: &str) {
    if let Some(Inline::Text(last)) = inlines.last_mut() {
        last.push_str(text);
    } else {
        inlines.push(Inline::Text(text.to_owned()));
    }
}

/// Tokens as Markdown: each allowed construct written in one canonical spelling, text
/// escaped.
fn render_inlines(out: &mut String, inlines: &[Inline]) {
    for inline in inlines {
        match inline {
            Inline::Text(text) => push_inline_text(out, text),
            Inline::Code(code) => push_code_span(out, code),
            Inline::Emphasis(marker, content) => {
                out.push_str(marker);
                render_inlines(out, content);
                out.push_str(marker);
            }
            Inline::Link(content, target) => {
                out.push('[');
                render_inlines(out, content);
                let _ = write!(out, "]({target})");
            }
            Inline::Image(alt, src) => {
                out.push_str("![");
                push_inline_text(out, alt);
                let _ = write!(out, "]({src})");
            }
        }
    }
}

/// Text escaped for kramdown (GFM input) and CommonMark: every character either reads as
/// syntax is backslash-escaped (`>` only matters at a line start, where
/// `escape_block_start` escapes it), `<` and `&` become entities, direction controls numeric
/// entities, and `]:` (which starts a link, footnote or abbreviation definition at a line
/// start) is broken up.
fn push_inline_text(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            c if is_bidi_control(c) => {
                let _ = write!(out, "&#x{:X};", u32::from(c));
            }
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '{' | '}' | '!' | '$' | '~' => {
                out.push('\\');
                out.push(c);
            }
            ':' if out.ends_with(']') => out.push_str("\\:"),
            '<' => out.push_str("&lt;"),
            '&' => out.push_str("&amp;"),
            _ => out.push(c),
        }
    }
}

/// `code` as one code span that kramdown and CommonMark read back exactly: a fence longer
/// than any backtick run inside, and padding spaces (which both strip) when the code starts
/// or ends with a backtick or a space.
fn push_code_span(out: &mut String, code: &str) {
    if code.is_empty() {
        return;
    }
    let longest_run = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let pad = code.starts_with(['`', ' ']) || code.ends_with(['`', ' ']);
    let fence = "`".repeat(if pad {
        (longest_run + 1).max(2)
    } else {
        longest_run + 1
    });
    let pad = if pad { " " } else { "" };
    let _ = write!(out, "{fence}{pad}{code}{pad}{fence}");
}

/// Text with every line ending (CR LF, lone CR) as LF: kramdown reads a lone CR as a line
/// break, so one left in would end a list or a fence where the generator sees none.
pub fn normalize_newlines(text: &str) -> Cow<'_, str> {
    if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(text)
    }
}

/// A fenced code block holding `code` exactly, with a fence longer than any backtick run
/// inside it (kramdown closes a backtick fence only with backticks, so tildes cannot end it),
/// line endings normalised to LF, wrapped in `{% raw %}` when it holds Liquid syntax.
pub fn markdown_code_block(code: &str, language: &str) -> String {
    let code = normalize_newlines(code);
    let longest_run = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run.max(2) + 1);
    let language: String = language
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-'))
        .collect();
    let block = format!(
        "{fence}{language}\n{}\n{fence}",
        code.trim_end_matches('\n')
    );
    if needs_liquid_escape(&block) {
        format!("{{% raw %}}\n{}\n{{% endraw %}}", protect_endraw(&block))
    } else {
        block
    }
}

/// Front-matter text (a title): layouts print it into HTML unescaped (`<title>{{ page.title
/// }}</title>`, `<h1>`, `content="..."`), so it carries no HTML: `&`, `<`, `>`, `"` and `'`
/// become entities (which the page shows as the characters), and control and direction
/// characters are dropped (YAML refuses some of them, and they have no business in a title).
pub fn front_matter_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() || is_bidi_control(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// A YAML scalar for front matter holding [`front_matter_text`] of `text`: plain when that
/// is unambiguous, else double-quoted.
pub fn yaml_scalar(text: &str) -> String {
    let text = front_matter_text(text);
    let text = text.as_str();
    let plain_safe = !text.is_empty()
        && text
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        && text.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.' | '/' | '(' | ')')
        })
        && !text.ends_with(' ')
        && !matches!(
            text.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n" | "~"
        )
        && text.parse::<f64>().is_err();
    if plain_safe {
        text.to_owned()
    } else {
        serde_json::to_string(text).unwrap_or_default()
    }
}

fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Escapes a marker at the start of a line that would turn a paragraph into a heading,
/// quote, list, table, rule or definition list. A code span of three or more backticks at
/// the start would open a fence: a zero-width space goes before it. A line that is only `^`
/// (kramdown's end-of-block marker) becomes its entity.
fn escape_block_start(line: &str) -> Cow<'_, str> {
    if line.starts_with("```") {
        return Cow::Owned(format!("&#x200B;{line}"));
    }
    if line == "^" {
        return Cow::Borrowed("&#x5E;");
    }
    let first = line.chars().next();
    let second = line.chars().nth(1);
    let starts_block = match first {
        Some('#' | '>' | '|' | '=' | ':') => true,
        Some('-' | '+' | '*') => {
            let thematic_break = line
                .chars()
                .filter(|c| !c.is_whitespace())
                .all(|c| Some(c) == first)
                && line.chars().filter(|c| !c.is_whitespace()).count() >= 3;
            second.is_none_or(|c| c == ' ') || thematic_break
        }
        Some(c) if c.is_ascii_digit() => {
            let digits = line.chars().take_while(char::is_ascii_digit).count();
            matches!(line[digits..].chars().next(), Some('.' | ')'))
        }
        _ => false,
    };
    if !starts_block {
        return Cow::Borrowed(line);
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 {
        Cow::Owned(format!("{}\\{}", &line[..digits], &line[digits..]))
    } else {
        Cow::Owned(format!("\\{line}"))
    }
}

fn needs_liquid_escape(text: &str) -> bool {
    text.contains("{{") || text.contains("{%")
}

/// Inside `{% raw %}`, the only thing Liquid still reads is a tag that ends the raw block;
/// closing and reopening the block right after every `{%` keeps such a tag as text.
fn protect_endraw(text: &str) -> String {
    text.replace("{%", "{%{% endraw %}{% raw %}")
}

/// Wraps text holding Liquid syntax in `{% raw %}` ... `{% endraw %}` so the docs site shows
/// it instead of running it.
pub fn liquid_safe(text: &str) -> Cow<'_, str> {
    if needs_liquid_escape(text) {
        Cow::Owned(format!("{{% raw %}}{}{{% endraw %}}", protect_endraw(text)))
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_strings_round_trip_hostile_text() {
        let text = "quote \" backslash \\ */ \"# }} {% <script> \n\t \u{202e} 🦀";
        assert_eq!(
            rust_string(text),
            "\"quote \\\" backslash \\\\ */ \\\"# }} {% <script> \\n\\t \\u{202e} 🦀\""
        );
    }

    #[test]
    fn doc_comments_escape_markdown_and_drop_indentation() {
        assert_eq!(
            rust_doc("a [link] <b>\n\n    code", 4),
            "    /// a \\[link\\] \\<b\\>\n    ///\n    /// code"
        );
        assert_eq!(
            rust_doc("```\nfn x() {}\n```", 0),
            "/// \\`\\`\\`\n/// fn x() \\{\\}\n/// \\`\\`\\`"
        );
        assert!(!rust_doc("a\rb", 0).contains('\r'));
    }

    #[test]
    fn code_spans_hold_text_verbatim() {
        assert_eq!(doc_code("https://<<Sub>>.x"), "`https://<<Sub>>.x`");
        assert_eq!(doc_code("a`b"), "``a`b``");
        assert_eq!(doc_code("`a"), "`` `a ``");
        assert_eq!(comment_text("a\nb\u{7}"), "a b");
    }

    #[test]
    fn markdown_text_escapes_everything() {
        assert_eq!(
            markdown_text("*a* <b> & {{x}}"),
            "\\*a\\* \\<b\\> &amp; \\{\\{x\\}\\}"
        );
        assert_eq!(
            markdown_text("{% raw %}"),
            "{% raw %}\\{%{% endraw %}{% raw %} raw %\\}{% endraw %}"
        );
        assert_eq!(markdown_text("two\n\nlines"), "two lines");
        assert_eq!(markdown_text(", "), ", ");
    }

    #[test]
    fn markdown_inline_keeps_markdown_and_shows_html() {
        assert_eq!(
            markdown_inline("**Bold** and `a < b`"),
            "**Bold** and `a < b`"
        );
        assert_eq!(
            markdown_inline("<script>alert(1)</script>"),
            "&lt;script>alert(1)&lt;/script>"
        );
        assert_eq!(markdown_inline("# not a heading"), "\\# not a heading");
        assert_eq!(markdown_inline("- not a list"), "\\- not a list");
        assert_eq!(markdown_inline("1. not a list"), "1\\. not a list");
        assert_eq!(markdown_inline("**bold** start"), "**bold** start");
        assert_eq!(markdown_inline("- - -"), "\\- - -");
        assert_eq!(
            markdown_inline(": not a definition"),
            "\\: not a definition"
        );
        assert_eq!(markdown_inline("^"), "&#x5E;");
        assert_eq!(markdown_inline("a\r</section>\rb"), "a &lt;/section> b");
    }

    fn tokens(text: &str) -> Vec<Inline> {
        parse_inline(&text.chars().collect::<Vec<_>>(), false)
    }

    fn text(t: &str) -> Inline {
        Inline::Text(t.to_owned())
    }

    fn code(t: &str) -> Inline {
        Inline::Code(t.to_owned())
    }

    #[test]
    fn code_spans_match_backtick_runs_of_the_same_length() {
        assert_eq!(tokens("a `b` c"), [text("a "), code("b"), text(" c")]);
        assert_eq!(tokens("``a ` b``"), [code("a ` b")]);
        assert_eq!(tokens("`` `a` ``"), [code("`a`")]);
        // An unclosed run is text, and so is everything after it.
        assert_eq!(tokens("`a <script>"), [text("`a <script>")]);
        // A run of two is not closed by one.
        assert_eq!(tokens("``a` <b>"), [text("``a` <b>")]);
        // A backslash-escaped backtick opens nothing; inside a span a backslash is literal.
        assert_eq!(tokens("\\`<b>`"), [text("`<b>`")]);
        assert_eq!(tokens("`a\\`b"), [code("a\\"), text("b")]);
        assert_eq!(
            markdown_inline("\\`<script>`alert(1)"),
            "\\`&lt;script>\\`alert(1)"
        );
        assert_eq!(markdown_inline("`<script>`"), "`<script>`");
        assert_eq!(markdown_inline("`` `x` ``"), "`` `x` ``");
        assert_eq!(markdown_inline("` a`"), "``  a ``");
        // Three backticks at the start of a line would open a fence.
        assert_eq!(markdown_inline("``` a``b ```"), "&#x200B;```a``b```");
    }

    #[test]
    fn emphasis_pairs_like_runs() {
        assert_eq!(
            tokens("*a* _b_ **c**"),
            [
                Inline::Emphasis("*", vec![text("a")]),
                text(" "),
                Inline::Emphasis("_", vec![text("b")]),
                text(" "),
                Inline::Emphasis("**", vec![text("c")]),
            ]
        );
        assert_eq!(
            tokens("**a `b` _c_**"),
            [Inline::Emphasis(
                "**",
                vec![
                    text("a "),
                    code("b"),
                    text(" "),
                    Inline::Emphasis("_", vec![text("c")])
                ]
            )]
        );
        // Unpaired, intraword `_`, runs of three and spaced runs are text.
        assert_eq!(tokens("*a"), [text("*a")]);
        assert_eq!(tokens("snake_case_name"), [text("snake_case_name")]);
        assert_eq!(tokens("***a***"), [text("***a***")]);
        assert_eq!(tokens("a * b * c"), [text("a * b * c")]);
        assert_eq!(markdown_inline("*a"), "\\*a");
        assert_eq!(markdown_inline("snake_case"), "snake\\_case");
        assert_eq!(markdown_inline("**a*"), "\\*\\*a\\*");
    }

    #[test]
    fn links_only_to_https_relative_pages_and_anchors() {
        let link = |label: &str, target: &str| Inline::Link(vec![text(label)], target.to_owned());
        assert_eq!(
            tokens("[a](https://x.test/p?q=1&r=2)"),
            [link("a", "https://x.test/p?q=1&r=2")]
        );
        assert_eq!(tokens("[a](./page.html)"), [link("a", "./page.html")]);
        assert_eq!(tokens("[a](other-page)"), [link("a", "other-page")]);
        assert_eq!(tokens("[a](#setup)"), [link("a", "#setup")]);
        assert_eq!(
            tokens("![a shot](./images/a.png)"),
            [Inline::Image(
                "a shot".to_owned(),
                "./images/a.png".to_owned()
            )]
        );
        for bad in [
            "[x](javascript:alert(1))",
            "[x](JavaScript:alert(1))",
            "[x](data:text/html;base64,PHNjcmlwdD4=)",
            "[x](javascript&#58;alert(1))",
            "[x](//evil.test/)",
            "[x](http://plain.test/)",
            "[x](https://a.test/ \"title\")",
            "[x](<javascript:alert(1)>)",
            "[x](\\javascript:alert(1))",
            "![x](data:image/png;base64,AAAA)",
            "[x][ref]",
        ] {
            let found = tokens(bad);
            assert!(
                found.iter().all(|t| matches!(t, Inline::Text(_))),
                "{bad}: {found:?}"
            );
            let shown = markdown_inline(bad);
            assert!(!shown.replace("\\]", "").contains("]("), "{bad}: {shown}");
        }
        assert_eq!(
            markdown_inline("[x](javascript:alert(1))"),
            "\\[x\\](javascript:alert(1))"
        );
        // An image may not point at an anchor; what is left is a link after a `!`.
        assert_eq!(markdown_inline("![x](#anchor)"), "\\![x](#anchor)");
        // Links nest nothing: a link in a label is text.
        assert_eq!(
            markdown_inline("[a [b](https://c.test) `]`](https://d.test)"),
            "[a \\[b\\](https://c.test) `]`](https://d.test)"
        );
        assert_eq!(
            markdown_inline("**[a](https://b.test)**"),
            "**[a](https://b.test)**"
        );
    }

    #[test]
    fn kramdown_extensions_and_attributes_are_text() {
        for (attack, shown) in [
            (
                "{::nomarkdown}<script>x</script>{:/}",
                "\\{::nomarkdown\\}&lt;script>x&lt;/script>\\{:/\\}",
            ),
            (
                "**b**{: onmouseover=\"alert(1)\"}",
                "**b**\\{: onmouseover=\"alert(1)\"\\}",
            ),
            (
                "[x](https://y.test){: onclick=\"alert(1)\"}",
                "[x](https://y.test)\\{: onclick=\"alert(1)\"\\}",
            ),
            (
                "{::options auto_ids=\"false\" /}",
                "\\{::options auto\\_ids=\"false\" /\\}",
            ),
            ("Title {#evil}", "Title \\{\\#evil\\}"),
            (
                "{::comment}hidden{:/comment}",
                "\\{::comment\\}hidden\\{:/comment\\}",
            ),
            ("a | b", "a \\| b"),
            ("$$x$$", "\\$\\$x\\$\\$"),
            ("~~~", "\\~\\~\\~"),
            ("<https://a.test>", "&lt;https://a.test>"),
            ("&lt;b&gt;", "&amp;lt;b&amp;gt;"),
            ("*[HTML]: Hyper", "\\*\\[HTML\\]\\: Hyper"),
            (
                "[x\\]: javascript:y](https://z.test)",
                "[x\\]\\: javascript:y](https://z.test)",
            ),
            ("[^1]: note", "\\[^1\\]\\: note"),
        ] {
            assert_eq!(markdown_inline(attack), shown, "{attack}");
        }
    }

    #[test]
    fn liquid_stays_text_in_inline_markdown() {
        assert_eq!(
            markdown_inline("**{{SubDomain}}**"),
            "**\\{\\{SubDomain\\}\\}**"
        );
        assert_eq!(
            markdown_inline("`{{x}}` {% endraw %}"),
            "{% raw %}`{{x}}` \\{%{% endraw %}{% raw %} endraw %\\}{% endraw %}"
        );
    }

    #[test]
    fn liquid_is_kept_out() {
        assert_eq!(
            liquid_safe("https://{{SubDomain}}.x"),
            "{% raw %}https://{{SubDomain}}.x{% endraw %}"
        );
        assert_eq!(liquid_safe("plain"), "plain");
        assert_eq!(
            liquid_safe("{% endraw %}"),
            "{% raw %}{%{% endraw %}{% raw %} endraw %}{% endraw %}"
        );
    }

    #[test]
    fn code_blocks_get_a_longer_fence() {
        assert_eq!(markdown_code_block("a\n", "json"), "```json\na\n```");
        assert_eq!(markdown_code_block("````x", ""), "`````\n````x\n`````");
        assert_eq!(
            markdown_code_block("{{x}}", ""),
            "{% raw %}\n```\n{{x}}\n```\n{% endraw %}"
        );
        // A lone CR is a line break to kramdown: it is one here too, so the fence holds.
        assert_eq!(
            markdown_code_block("a\r```\r\nb\r", ""),
            "````\na\n```\nb\n````"
        );
        assert_eq!(markdown_code_block("~~~~\nx", ""), "```\n~~~~\nx\n```");
    }

    #[test]
    fn yaml_scalars_quote_when_needed() {
        assert_eq!(
            yaml_scalar("Invenias Authentication"),
            "Invenias Authentication"
        );
        assert_eq!(yaml_scalar("a: b"), "\"a: b\"");
        assert_eq!(yaml_scalar("yes"), "\"yes\"");
        assert_eq!(yaml_scalar("12"), "\"12\"");
        // Layouts print titles into HTML unescaped: no tag, quote or control gets there.
        assert_eq!(
            yaml_scalar("A</title><script>x</script> & \"q\"\u{7}\u{85}\u{202E}"),
            "\"A&lt;/title&gt;&lt;script&gt;x&lt;/script&gt; &amp; &quot;q&quot;\""
        );
    }
}
