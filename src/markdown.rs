//! Inline Markdown as connector authors write it in docs text: parsed into the tokens of the
//! allowed subset (emphasis, code spans, links to `https://` URLs, relative pages and
//! `#anchors`, images), with what the page refuses (raw HTML, other links) found by the same
//! rules. Validation asks [`refused_markup`]; the docs renderer (`render::escape`) writes the
//! tokens back as Markdown; the model reads them as plain text ([`inline_plain`]) for targets
//! that show no Markdown.

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

/// Markup in authored inline Markdown that the page refuses, rather than show it as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// Raw HTML or an autolink (`<b>`, `</section>`, `<!--`, `<https://x>`): the tag as
    /// written, up to its `>` or the end of the word.
    Html(String),
    /// A link or image whose target is none of those allowed (`javascript:`, `data:`,
    /// `http://`, `mailto:`...): the target as written.
    Target(String),
}

/// Every piece of `text` (authored inline Markdown) that
/// [`crate::render::escape::markdown_inline`] would show as text although the author surely
/// meant it as markup, with the byte offset where it starts: raw HTML (a tag closed by a `>`
/// later in the text, a comment or declaration, an autolink), and links or images whose
/// target is not allowed. Code spans and backslash escapes are skipped as [`parse_inline`]
/// skips them, and so are `<<Name>>` placeholders; a `<` that no `>` follows (`0<size`) is
/// text to kramdown too.
pub fn refused_markup(text: &str) -> Vec<(usize, Refused)> {
    let chars: Vec<char> = text.chars().collect();
    // Looked up, not recounted, so that a long text full of tags stays linear.
    let offsets: Vec<usize> = text.char_indices().map(|(at, _)| at).collect();
    let offset = |i: usize| offsets.get(i).copied().unwrap_or(text.len());
    let last_gt = chars.iter().rposition(|&c| c == '>');
    let last_double_gt = chars.windows(2).rposition(|w| w == ['>', '>']);
    let mut refused = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' if chars.get(i + 1).is_some_and(char::is_ascii_punctuation) => i += 2,
            '`' => {
                let n = run_length(&chars, i, '`');
                i = code_span_close(&chars, i).map_or(i + n, |close| close + n);
            }
            '<' if chars.get(i + 1) == Some(&'<') => {
                i = match last_double_gt.filter(|&last| last > i) {
                    Some(_) => chars[i + 2..]
                        .windows(2)
                        .position(|w| w == ['>', '>'])
                        .map_or(i + 2, |end| i + 2 + end + 2),
                    None => i + 2,
                };
            }
            '<' if chars.get(i + 1).is_some_and(|&c| matches!(c, '!' | '?'))
                || (chars.get(i + 1).is_some_and(|&c| {
                    c.is_ascii_alphabetic()
                        || (c == '/' && chars.get(i + 2).is_some_and(char::is_ascii_alphabetic))
                }) && last_gt.is_some_and(|last| last > i)) =>
            {
                let end = chars[i..]
                    .iter()
                    .position(|&c| c == '>' || c.is_whitespace())
                    .map_or(chars.len(), |n| i + n + usize::from(chars[i + n] == '>'));
                refused.push((offset(i), Refused::Html(chars[i..end].iter().collect())));
                i = end;
            }
            c @ ('!' | '[') => {
                let open = if c == '!' { i + 1 } else { i };
                let kind = if c == '!' {
                    TargetKind::Image
                } else {
                    TargetKind::Link
                };
                match (chars.get(open) == Some(&'['))
                    .then(|| link_at(&chars, open))
                    .flatten()
                {
                    Some((label_end, target, end)) if !allowed_target(&target, kind) => {
                        refused.push((offset(label_end + 2), Refused::Target(target)));
                        i = end;
                    }
                    _ => i += 1,
                }
            }
            _ => i += 1,
        }
    }
    refused
}

/// Authored inline Markdown as the plain text a reader sees: emphasis and code marks, link
/// targets and escapes dropped (`See [the token](#token), **not** \`x\`` reads `See the
/// token, not `x``), for targets that show text without Markdown.
pub fn inline_plain(text: &str) -> String {
    fn push(out: &mut String, inlines: &[Inline]) {
        for inline in inlines {
            match inline {
                Inline::Text(text) | Inline::Code(text) => out.push_str(text),
                Inline::Emphasis(_, inner) | Inline::Link(inner, _) => push(out, inner),
                Inline::Image(alt, _) => out.push_str(alt),
            }
        }
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    push(&mut out, &parse_inline(&chars, false));
    out
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
