//! Escaping for each target: text from the definition must reach JSON, Markdown (through
//! Liquid and kramdown) and Rust source as text, never as syntax.
//!
//! Templates call these as filters; see [`super::Renderer`] for which filter does what.

use crate::markdown::{Inline, parse_inline};
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

/// The marker of a list item with the spaces after it: `*   `, or the item's number and a
/// dot, both padded to four columns (`1.  `, `10. `, `100. `). kramdown reads whatever sits
/// under an item (a paragraph, an image, a code block, a nested list) as the item's only when
/// it is indented to where the item's text starts, so the marker's width is that indentation.
pub fn list_marker(number: usize, ordered: bool) -> String {
    let marker = if ordered {
        format!("{number}.")
    } else {
        "*".to_owned()
    };
    format!("{marker:<width$}", width = (marker.len() + 1).max(4))
}

/// An extra front-matter value as YAML: `true`, a number, a scalar of [`yaml_scalar`], or a
/// flow list of them.
pub fn yaml_value(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => yaml_scalar(text),
        serde_json::Value::Array(items) => {
            let items: Vec<String> = items.iter().map(yaml_value).collect();
            format!("[{}]", items.join(", "))
        }
        other => other.to_string(),
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
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if is_bidi_control(c) => {
                let _ = write!(out, "&#x{:X};", u32::from(c));
            }
            '\\' | '*' | '_' | '[' | ']' | '#' | '|' | '{' | '}' | '!' | '$' | '~' => {
                out.push('\\');
                out.push(c);
            }
            // Not `\``: kramdown's table scan reads code spans but not escapes, so an escaped
            // backtick beside a code span's fence looks like a longer fence to it, and a `|`
            // after it then splits the line into table cells of raw Markdown.
            '`' => out.push_str("&#96;"),
            ':' if out.ends_with(']') => out.push_str("\\:"),
            '<' => out.push_str("&lt;"),
            // `>>` would be kramdown's typographic `»`.
            '>' if chars.peek() == Some(&'>') || out.ends_with("&gt;") => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            _ => out.push(c),
        }
    }
}

/// `code` as one code span that kramdown and CommonMark read back exactly: a fence longer
/// than any backtick run inside. Code that starts or ends with a backtick or a space would
/// need padding spaces, which kramdown's table rows drop (leaving a lone backtick and the
/// code as raw Markdown): it becomes a `<code>` element holding the code as escaped text.
fn push_code_span(out: &mut String, code: &str) {
    if code.is_empty() {
        return;
    }
    if code.starts_with(['`', ' ']) || code.ends_with(['`', ' ']) {
        out.push_str("<code>");
        push_inline_text(out, code);
        out.push_str("</code>");
        return;
    }
    let longest_run = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    let _ = write!(out, "{fence}{code}{fence}");
}

/// Inline Markdown for one table cell: [`markdown_inline`], with a cell of only `-`, `:` and
/// `+` escaped, which kramdown would otherwise read (in a row of such cells) as the line
/// that separates a table's header from its body.
pub fn markdown_cell(text: &str) -> String {
    let inline = markdown_inline(text);
    if inline.starts_with(['-', ':', '+'])
        && inline.chars().all(|c| matches!(c, '-' | ':' | '+' | ' '))
    {
        format!("\\{inline}")
    } else {
        inline
    }
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
    // A letter first: YAML 1.1 (Jekyll's) reads `2024-01-01` as a date, `0x1F` and `1_000`
    // as integers, `1:20` as a number of minutes.
    let plain_safe = !text.is_empty()
        && text.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
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
    fn list_markers_are_as_wide_as_the_indent_kramdown_wants() {
        assert_eq!(list_marker(1, false), "*   ");
        assert_eq!(list_marker(1, true), "1.  ");
        assert_eq!(list_marker(9, true), "9.  ");
        assert_eq!(list_marker(10, true), "10. ");
        assert_eq!(list_marker(99, true), "99. ");
        assert_eq!(list_marker(100, true), "100. ");
    }

    #[test]
    fn front_matter_values_are_yaml() {
        use serde_json::json;
        assert_eq!(yaml_value(&json!(true)), "true");
        assert_eq!(yaml_value(&json!(3)), "3");
        assert_eq!(yaml_value(&json!("a: b")), yaml_scalar("a: b"));
        assert_eq!(yaml_value(&json!(["x", "y z"])), "[x, y z]");
    }

    #[test]
    fn refused_markup_is_html_and_other_link_targets_outside_code() {
        use crate::markdown::{Refused, refused_markup};
        let text = "a <b>x</b> `<i>` \\<u> <<Name>> 5 < 6 [ok](https://a.test) [no](http://a.test) ![i](data:x)";
        assert_eq!(
            refused_markup(text),
            [
                (2, Refused::Html("<b>".into())),
                (6, Refused::Html("</b>".into())),
                (
                    text.find("http:").unwrap(),
                    Refused::Target("http://a.test".into())
                ),
                (
                    text.find("data:").unwrap(),
                    Refused::Target("data:x".into())
                ),
            ]
        );
        assert_eq!(
            refused_markup("<!-- c --> <https://x.test>"),
            [
                (0, Refused::Html("<!--".into())),
                (11, Refused::Html("<https://x.test>".into()))
            ]
        );
        // A `<` that no `>` follows is text to kramdown too.
        assert_eq!(refused_markup("0<size<=100, x<y"), []);
        // `<<` with no `>>` after it is text; the tag after it is still found.
        assert_eq!(
            refused_markup("<<<< <b>é</b>"),
            [
                (5, Refused::Html("<b>".into())),
                (10, Refused::Html("</b>".into()))
            ]
        );
    }

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
        // An escaped backtick is written as an entity: kramdown's table scan does not read
        // escapes, and `\\`` beside a code span's fence would look to it like a longer fence.
        assert_eq!(
            markdown_inline("\\`<script>`alert(1)"),
            "&#96;&lt;script>&#96;alert(1)"
        );
        assert_eq!(markdown_inline("`<script>`"), "`<script>`");
        // Code that needs padding (a backtick or space at an end) is a `<code>` element:
        // kramdown's table rows drop the padding.
        assert_eq!(markdown_inline("`` `x` ``"), "<code>&#96;x&#96;</code>");
        assert_eq!(markdown_inline("` a`"), "<code> a</code>");
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
