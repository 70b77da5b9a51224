//! Hostile text (quotes, backslashes, `*/`, `"#`, `}}`, `{%`, `<script>`, newlines,
//! right-to-left marks, emoji) reaches every target as text. `tests/fixtures/valid/acme-none.yaml`
//! puts it everywhere text can go. The Rust is compiled and its constants compared in
//! `tests/generated_rust.rs`; the Markdown is built with Jekyll in `tests/jekyll.rs`; here the
//! JSON round-trips and the Rust doc comments read back as the text.

use connector_gen::Generator;
use connector_gen::diagnostics::FileId;
use serde_json::Value;

const FIXTURE: &str = "tests/fixtures/valid/acme-none.yaml";

fn definition() -> Value {
    let text = std::fs::read_to_string(FIXTURE).unwrap();
    connector_gen::load::load(FileId(0), &text).unwrap().value
}

fn output(extension: &str) -> String {
    let run = Generator::new().input(FIXTURE).generate();
    assert!(!run.has_errors());
    let file = run
        .files
        .iter()
        .find(|f| f.path.extension().is_some_and(|e| e == extension))
        .unwrap();
    file.contents.clone()
}

#[test]
fn the_cyclr_json_parses_and_round_trips_every_text() {
    let yaml = definition();
    let json: Value = serde_json::from_str(&output("json")).unwrap();
    let method = &yaml["methods"][0];
    let parameter = &method["parameters"][0];
    for (got, want) in [
        (&json["Name"], &yaml["name"]),
        (&json["Description"], &yaml["description"]),
        (&json["Methods"][0]["Description"], &method["description"]),
        (&json["Methods"][0]["Category"], &method["category"]),
        (
            &json["Methods"][0]["Parameters"][0]["DisplayName"],
            &parameter["display_name"],
        ),
        (
            &json["Methods"][0]["Parameters"][0]["Description"],
            &parameter["description"],
        ),
    ] {
        assert_eq!(got, want);
    }
    assert!(yaml["description"].as_str().unwrap().contains('\u{202e}'));
}

/// Reads Markdown doc-comment text back: backslash escapes and entities undone.
fn unescape_markdown(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(char::is_ascii_punctuation) {
            out.extend(chars.next());
        } else {
            out.push(c);
        }
    }
    let mut decoded = out.replace("&amp;", "\u{0}");
    while let Some(start) = decoded.find("&#x") {
        let end = start + decoded[start..].find(';').unwrap();
        let code = u32::from_str_radix(&decoded[start + 3..end], 16).unwrap();
        decoded.replace_range(start..=end, &char::from_u32(code).unwrap().to_string());
    }
    decoded.replace('\u{0}', "&")
}

/// The doc-comment text from the line starting with `first` up to (not including) the first
/// line for which `last` is true, read back as a reader sees it.
fn doc_text(rust: &str, first: &str, last: impl Fn(&str) -> bool) -> String {
    let lines: Vec<&str> = rust
        .lines()
        .map(str::trim_start)
        .skip_while(|line| !line.starts_with(first))
        .take_while(|line| !last(line))
        .map(|line| {
            line.trim_start_matches("//!")
                .trim_start_matches("///")
                .trim_start()
        })
        .collect();
    unescape_markdown(&lines.join("\n"))
}

fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn rust_doc_comments_read_back_as_the_text() {
    let rust = output("rs");
    let yaml = definition();

    // The module's description is in the `Client` docs (the module has no inner docs).
    let client_doc = doc_text(&rust, "/// Quotes", |line| !line.starts_with("///"));
    assert_eq!(
        words(&client_doc),
        words(yaml["description"].as_str().unwrap())
    );

    let method_doc = doc_text(&rust, "/// Get Dataset:", |line| line.contains("`GET "));
    let expected = format!(
        "Get Dataset: {}",
        yaml["methods"][0]["description"].as_str().unwrap()
    );
    assert_eq!(words(&method_doc), words(&expected));

    // No line can open a code block that rustdoc would compile as a doctest.
    let docs = rust
        .lines()
        .map(str::trim_start)
        .filter(|l| l.starts_with("///") || l.starts_with("//!"));
    for line in docs {
        let body = line.trim_start_matches("//!").trim_start_matches("///");
        assert!(!body.trim_start().starts_with("```"), "{line}");
        assert!(!body.starts_with("     "), "indented code block: {line}");
    }
}
