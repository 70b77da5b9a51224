//! Validation: the schema check, then the semantic checks a schema cannot express.
//!
//! [`Validator::validate`] takes a loaded document to a [`Checked`] definition, or to every
//! problem it has. Warnings travel with a valid definition; errors replace it.

mod schema;
mod semantic;

use std::collections::BTreeMap;

use serde_json::Value;

pub use schema::{CONNECTOR_SCHEMA, SchemaCheck, type_name};

use crate::definition::Definition;
use crate::diagnostics::{Code, Diagnostic, FileId};
use crate::load::LoadedDocument;
use crate::pattern::CompiledPattern;

/// A definition that passed every check.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The definition.
    pub definition: Definition,
    /// Every validation pattern it uses, compiled, by pattern text.
    pub patterns: BTreeMap<String, CompiledPattern>,
    /// Problems that do not stop generation.
    pub warnings: Vec<Diagnostic>,
}

/// Validates definitions; holds the compiled schema, so build it once per run.
#[derive(Default)]
pub struct Validator {
    schema: SchemaCheck,
}

impl Validator {
    /// A validator for the shipped schema.
    pub fn new() -> Self {
        Self::default()
    }

    /// The connector schema as JSON.
    pub fn schema(&self) -> &Value {
        self.schema.schema()
    }

    /// Checks `document`, the parsed contents of `file` (whose text is `text`).
    ///
    /// On failure, returns every error and warning found.
    pub fn validate(
        &self,
        file: FileId,
        text: &str,
        document: &LoadedDocument,
    ) -> Result<Checked, Vec<Diagnostic>> {
        let schema_errors = self.schema.check(file, text, document);
        if !schema_errors.is_empty() {
            return Err(self.with_semantic_errors(file, text, document, schema_errors));
        }
        let definition = match <Definition as serde::Deserialize>::deserialize(&document.value) {
            Ok(definition) => definition,
            Err(error) => {
                return Err(vec![
                    Diagnostic::error(Code::InvalidValue, format!("the definition does not fit the format: {error}"))
                        .in_file(file, document.spans.head("", text))
                        .with_help("this is a bug in connector-gen: the schema accepted what the model refuses; please report it"),
                ]);
            }
        };
        let mut checked = semantic::check(file, text, &document.spans, definition);
        let unfinished = unfinished_values(file, document);
        match &mut checked {
            Ok(checked) => checked.warnings.extend(unfinished),
            Err(diagnostics) => diagnostics.extend(unfinished),
        }
        checked
    }
}

/// A warning for each value that still holds `TODO`, as `connector-gen new` writes every value
/// it leaves to the user: such a definition validates, but is not finished.
fn unfinished_values(file: FileId, document: &LoadedDocument) -> Vec<Diagnostic> {
    let mut pointers = Vec::new();
    crate::load::walk(&document.value, &mut |pointer, value| {
        let todo = value.as_str().is_some_and(|text| {
            text.split(|c: char| !c.is_ascii_alphanumeric())
                .any(|word| word == "TODO")
        });
        if todo {
            pointers.push(pointer.to_owned());
        }
    });
    let count = pointers.len();
    pointers
        .into_iter()
        .take(1)
        .map(|pointer| {
            let more = match count {
                1 => String::new(),
                n => format!(" (and {} more values)", n - 1),
            };
            Diagnostic::warning(
                Code::Unfinished,
                format!("this value still says TODO{more}: the definition is not finished"),
            )
            .in_file(file, document.spans.value(&pointer))
            .with_help(
                "replace every TODO that `connector-gen new` left with the connector's own value",
            )
        })
        .collect()
}

impl Validator {
    /// Unknown keys do not keep the semantic checks from running: without them the
    /// definition may still have the right shape, and then one run reports both kinds.
    fn with_semantic_errors(
        &self,
        file: FileId,
        text: &str,
        document: &LoadedDocument,
        mut errors: Vec<Diagnostic>,
    ) -> Vec<Diagnostic> {
        if !errors.iter().all(|d| d.code == Code::UnknownKey) {
            return errors;
        }
        let mut pruned = document.value.clone();
        for (pointer, key) in self.schema.unknown_keys(&document.value) {
            if let Some(Value::Object(map)) = pruned.pointer_mut(&pointer) {
                map.remove(&key);
            }
        }
        if let Ok(definition) = serde_json::from_value::<Definition>(pruned) {
            match semantic::check(file, text, &document.spans, definition) {
                Ok(checked) => errors.extend(checked.warnings),
                Err(diagnostics) => errors.extend(diagnostics),
            }
        }
        errors
    }
}

/// The closest of `candidates` to `word`, if one is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word_lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|candidate| {
            let distance = strsim::damerau_levenshtein(&word_lower, &candidate.to_lowercase());
            (distance, candidate)
        })
        .filter(|&(distance, candidate)| {
            distance <= (candidate.chars().count().max(3) / 3).max(1) && candidate != word
        })
        .min_by_key(|&(distance, candidate)| (distance, candidate))
        .map(|(_, candidate)| candidate)
}

/// A JSON pointer as a reader would write the path: `/methods/0/path` -> `methods[0].path`.
pub fn display_path(pointer: &str) -> String {
    let mut path = String::new();
    for token in pointer.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        if !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit()) {
            path.push_str(&format!("[{token}]"));
        } else {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(&token);
        }
    }
    path
}

/// A value quoted for a message, cut short if long.
pub fn quote_value(value: &Value) -> String {
    let text = match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let mut chars = text.chars();
    let short: String = chars.by_ref().take(40).collect();
    let short = short.escape_debug().to_string();
    if chars.next().is_some() {
        format!("`{short}...`")
    } else {
        format!("`{short}`")
    }
}

/// Characters that print as nothing, change the direction of text (U+200B-U+200F,
/// U+2028-U+202E, U+2060-U+2069, U+FEFF), or are not characters at all (U+FFFE, U+FFFF):
/// refused wherever a name, title or URL is written.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{2069}'
            | '\u{FEFF}'
            | '\u{FFFE}'
            | '\u{FFFF}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let names = ["SubDomain", "ClientId", "Username"];
        assert_eq!(did_you_mean("Subdomian", names), Some("SubDomain"));
        assert_eq!(did_you_mean("subdomain", names), Some("SubDomain"));
        assert_eq!(did_you_mean("Region", names), None);
        assert_eq!(
            did_you_mean("oauth", ["none", "api_key", "basic", "oauth2"]),
            Some("oauth2")
        );
    }

    #[test]
    fn displays_paths() {
        assert_eq!(display_path("/methods/0/path"), "methods[0].path");
        assert_eq!(display_path(""), "");
        assert_eq!(display_path("/a~1b"), "a/b");
    }
}
