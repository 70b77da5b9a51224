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

/// Inline Markdown written by a connector author (bold, italics, `code`, links) as one
/// line of Markdown that cannot break the page: raw HTML is shown as text, a line-start
/// marker cannot open a heading or list, and Liquid is kept out.
pub fn markdown_inline(text: &str) -> String {
    let one_line = collapse_whitespace(text);
    let mut out = String::with_capacity(one_line.len());
    let mut in_code = false;
    for c in one_line.chars() {
        match c {
            '`' => {
                in_code = !in_code;
                out.push(c);
            }
            '<' if !in_code => out.push_str("&lt;"),
            _ => out.push(c),
        }
    }
    if in_code {
        // An unclosed code span would swallow the rest of the line: show the backtick as text.
        out = out.replacen('`', "\\`", usize::MAX);
    }
    let out = escape_block_start(&out);
    liquid_safe(&out).into_owned()
}

/// A fenced code block holding `code` exactly, with a fence longer than any backtick run
/// inside it, wrapped in `{% raw %}` when it holds Liquid syntax.
pub fn markdown_code_block(code: &str, language: &str) -> String {
    let code = code.replace("\r\n", "\n");
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

/// A YAML scalar for front matter: plain when that is unambiguous, else double-quoted.
pub fn yaml_scalar(text: &str) -> String {
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
/// quote, list, table or rule.
fn escape_block_start(line: &str) -> Cow<'_, str> {
    let first = line.chars().next();
    let second = line.chars().nth(1);
    let starts_block = match first {
        Some('#' | '>' | '|' | '=') => true,
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
    }
}
