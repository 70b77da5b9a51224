//! The schema check: `schemas/connector.schema.json` applied to a loaded document, each
//! violation turned into a diagnostic at the offending key or value.

use jsonschema::error::ValidationErrorKind;
use serde_json::Value;
use std::ops::Range;

use super::is_invisible;
use crate::diagnostics::{Code, Diagnostic, FileId};
use crate::load::{LoadedDocument, pointer_token, walk};
use crate::validate::{did_you_mean, display_path, quote_value};

/// The connector definition schema, as shipped in `schemas/`.
pub const CONNECTOR_SCHEMA: &str = include_str!("../../schemas/connector.schema.json");

/// The compiled connector schema; build it once per run.
pub struct SchemaCheck {
    schema: Value,
    validator: jsonschema::Validator,
}

impl SchemaCheck {
    /// Compiles the shipped schema.
    pub fn new() -> Self {
        let schema: Value = serde_json::from_str(CONNECTOR_SCHEMA)
            .expect("the shipped schema is valid JSON (a unit test checks it)");
        let validator = jsonschema::draft202012::new(&schema)
            .expect("the shipped schema compiles (a unit test checks it)");
        SchemaCheck { schema, validator }
    }

    /// The schema as JSON.
    pub fn schema(&self) -> &Value {
        &self.schema
    }

    /// Checks `document` (the contents of `file`); returns one diagnostic per violation.
    pub fn check(&self, file: FileId, text: &str, document: &LoadedDocument) -> Vec<Diagnostic> {
        if !document.value.is_object() {
            let found = type_name(&document.value);
            return vec![
                Diagnostic::error(Code::WrongType, format!("a connector definition is a mapping, but this file holds {found}"))
                    .in_file(file, document.spans.head("", text))
                    .with_help("start from connectors/invenias.yaml: a mapping with id, name, description, docs, auth, fields, base_url and methods"),
            ];
        }
        // A mapping with none of a definition's keys is some other file (credentials, a
        // config) named by mistake: one error, quoting one line, rather than one per key.
        if let Some(map) = document.value.as_object() {
            const KEYS: [&str; 9] = [
                "id",
                "name",
                "description",
                "api_version",
                "docs",
                "auth",
                "fields",
                "base_url",
                "methods",
            ];
            let first = map
                .keys()
                .map(|key| {
                    document
                        .spans
                        .key_or_value(&format!("/{}", pointer_token(key)))
                })
                .min_by_key(|span| span.start);
            if let Some(first) = first.filter(|_| !map.keys().any(|k| KEYS.contains(&k.as_str()))) {
                return vec![
                    Diagnostic::error(
                        Code::WrongType,
                        "this file does not look like a connector definition: none of its keys is one a definition has",
                    )
                    .in_file(file, first)
                    .with_help("check that this is the right file; a connector definition has id, name, description, docs, auth, fields, base_url and methods"),
                ];
            }
        }
        // JSON Schema counts `100.0` as an integer; the format's integers are written as
        // integers, so say so here, at the value, rather than fail later in deserialising.
        let mut decimals = self.whole_numbers_written_as_decimals((file, text), document);
        // Most definitions are valid: answering yes or no is much cheaper than collecting
        // errors with their paths.
        if self.validator.is_valid(&document.value) {
            return decimals;
        }
        let errors: Vec<_> = self.validator.iter_errors(&document.value).collect();
        // A misspelt key shows up twice: as an unknown key and as a missing one. Report it
        // once, as the unknown key with its "did you mean".
        let unknown: Vec<(&str, &str)> = errors
            .iter()
            .filter_map(|error| match error.kind() {
                ValidationErrorKind::AdditionalProperties { unexpected } => Some(
                    unexpected
                        .iter()
                        .map(|key| (error.instance_path().as_str(), key.as_str()))
                        .collect::<Vec<_>>(),
                ),
                _ => None,
            })
            .flatten()
            .collect();
        let misspelt = |pointer: &str, property: &str| {
            unknown
                .iter()
                .any(|&(at, key)| at == pointer && did_you_mean(key, [property]).is_some())
        };
        let mut diagnostics: Vec<Diagnostic> = errors
            .iter()
            .filter(|error| match error.kind() {
                ValidationErrorKind::Required { property } => !misspelt(
                    error.instance_path().as_str(),
                    property.as_str().unwrap_or_default(),
                ),
                _ => true,
            })
            .flat_map(|error| {
                let pointer = error.instance_path().as_str().to_owned();
                let subschema = self.subschema(error.schema_path().as_str());
                self.diagnose(
                    file,
                    text,
                    document,
                    &pointer,
                    error.kind(),
                    error.instance(),
                    subschema,
                )
            })
            .collect();
        diagnostics.append(&mut decimals);
        diagnostics
    }

    /// Every number written with a decimal point or an exponent (`100.0`, `1e2`) where the
    /// schema asks for an integer.
    fn whole_numbers_written_as_decimals(
        &self,
        (file, text): (FileId, &str),
        document: &LoadedDocument,
    ) -> Vec<Diagnostic> {
        let mut found = Vec::new();
        walk(&document.value, &mut |pointer, value| {
            let Value::Number(number) = value else {
                return;
            };
            let wants_integer = number.is_f64()
                && self
                    .schema_at(pointer)
                    .map(|schema| self.resolve(schema))
                    .and_then(|schema| schema.get("type"))
                    .is_some_and(|t| t == "integer");
            if !wants_integer {
                return;
            }
            let name = leaf_name(&display_path(pointer)).to_owned();
            let whole = number
                .as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 1e15)
                .map(|f| format!("{f:.0}"));
            let help = match whole {
                Some(whole) => {
                    format!("write it as `{whole}`, without a decimal point or exponent")
                }
                None => "write a whole number, without a decimal point or exponent".to_owned(),
            };
            let span = document.spans.value(pointer);
            let written = text.get(span.clone()).unwrap_or_default();
            found.push(
                Diagnostic::error(
                    Code::WrongType,
                    format!("`{name}` must be a whole number, but `{written}` is written as a decimal number"),
                )
                .in_file(file, span)
                .with_label("expected an integer")
                .with_help(help),
            );
        });
        found
    }

    /// Every key the schema does not allow, as (pointer of its mapping, key).
    pub fn unknown_keys(&self, value: &Value) -> Vec<(String, String)> {
        self.validator
            .iter_errors(value)
            .filter_map(|error| match error.kind() {
                ValidationErrorKind::AdditionalProperties { unexpected } => Some(
                    unexpected
                        .iter()
                        .map(|key| (error.instance_path().as_str().to_owned(), key.clone()))
                        .collect::<Vec<_>>(),
                ),
                _ => None,
            })
            .flatten()
            .collect()
    }

    /// The schema object holding the keyword at `keyword_path` (its parent).
    fn subschema(&self, keyword_path: &str) -> Option<&Value> {
        let parent = &keyword_path[..keyword_path.rfind('/').unwrap_or(0)];
        self.schema.pointer(parent)
    }

    #[allow(clippy::too_many_arguments)]
    fn diagnose(
        &self,
        file: FileId,
        text: &str,
        document: &LoadedDocument,
        pointer: &str,
        kind: &ValidationErrorKind,
        instance: &Value,
        subschema: Option<&Value>,
    ) -> Vec<Diagnostic> {
        let spans = &document.spans;
        let path = display_path(pointer);
        // The property's own description says what it is ("The connector's display name");
        // the keyword's schema may be a shared definition ("One line of plain text").
        let description = self
            .schema_at(pointer)
            .and_then(|s| self.describe(s))
            .or_else(|| subschema.and_then(|s| self.describe(s)));
        // A missing value or a whole mapping or list is best pointed at by its key.
        let at = match instance {
            Value::Null | Value::Object(_) | Value::Array(_) => spans.head(pointer, text),
            _ => spans.value(pointer),
        };
        let error = |code: Code, message: String| {
            Diagnostic::error(code, message).in_file(file, at.clone())
        };
        match kind {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                let allowed: Vec<&str> = subschema
                    .and_then(|s| s.get("properties"))
                    .and_then(Value::as_object)
                    .map(|p| p.keys().map(String::as_str).collect())
                    .unwrap_or_default();
                unexpected
                    .iter()
                    .map(|key| {
                        let child = format!("{pointer}/{}", pointer_token(key));
                        let at = spans.key_or_value(&child);
                        if let Some(split) = split_by_comma(text, at.clone(), key) {
                            return split.in_file(file, at);
                        }
                        let help = match did_you_mean(key, allowed.iter().copied()) {
                            Some(near) => format!(
                                "did you mean `{near}`? ({})",
                                self.property_help(subschema, near)
                            ),
                            None => format!("the keys allowed here are: {}", allowed.join(", ")),
                        };
                        Diagnostic::error(
                            Code::UnknownKey,
                            format!("unknown key `{key}` in {}", context_name(&path)),
                        )
                        .in_file(file, spans.key_or_value(&child))
                        .with_label("not part of the connector format")
                        .with_help(help)
                    })
                    .collect()
            }
            ValidationErrorKind::Required { property } => {
                let property = property.as_str().unwrap_or_default();
                let property_description = subschema
                    .and_then(|s| s.pointer(&format!("/properties/{}", pointer_token(property))))
                    .and_then(|s| self.describe(s));
                let mut help = format!("add `{property}:` here");
                if let Some(description) = property_description {
                    help.push_str(&format!(
                        "; `{property}` is: {}",
                        lowercase_first(&description)
                    ));
                }
                vec![
                    Diagnostic::error(
                        Code::MissingKey,
                        format!(
                            "{} lacks the required key `{property}`",
                            context_name(&path)
                        ),
                    )
                    .in_file(file, spans.head(pointer, text))
                    .with_label(format!("`{property}` missing here"))
                    .with_help(help),
                ]
            }
            ValidationErrorKind::Type { .. } => {
                let expected = subschema
                    .and_then(|s| s.get("type"))
                    .map(expected_type)
                    .unwrap_or_else(|| "another type".to_owned());
                let mut diagnostic = error(
                    Code::WrongType,
                    format!(
                        "`{}` must be {expected}, not {}",
                        leaf_name(&path),
                        type_name(instance)
                    ),
                );
                if let Some(description) = description {
                    diagnostic = diagnostic.with_help(description);
                }
                vec![diagnostic]
            }
            ValidationErrorKind::Enum { options } => {
                let options: Vec<String> = options
                    .as_array()
                    .map(|o| {
                        o.iter()
                            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default();
                let near = instance
                    .as_str()
                    .and_then(|value| did_you_mean(value, options.iter().map(String::as_str)));
                let help = match near {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!("use one of: {}", options.join(", ")),
                };
                vec![
                    error(
                        Code::InvalidValue,
                        format!(
                            "{} is not an allowed value for `{}`",
                            quote_value(instance),
                            leaf_name(&path)
                        ),
                    )
                    .with_label(format!("expected one of: {}", options.join(", ")))
                    .with_help(help),
                ]
            }
            ValidationErrorKind::MinProperties { .. }
            | ValidationErrorKind::MaxProperties { .. }
                if subschema.is_some_and(|s| s.get("maxProperties") == Some(&Value::from(1))) =>
            {
                let keys: Vec<&str> = subschema
                    .and_then(|s| s.get("properties"))
                    .and_then(Value::as_object)
                    .map(|p| p.keys().map(String::as_str).collect())
                    .unwrap_or_default();
                vec![
                    Diagnostic::error(
                        Code::InvalidValue,
                        format!("{} must have exactly one key", context_name(&path)),
                    )
                    .in_file(file, spans.head(pointer, text))
                    .with_help(format!(
                        "use one of {} per entry; start a new `- ` entry for the next block",
                        keys.join(", ")
                    )),
                ]
            }
            ValidationErrorKind::Pattern { pattern } => {
                let mut diagnostic = error(
                    Code::InvalidValue,
                    format!(
                        "{} is not a valid `{}`",
                        quote_value(instance),
                        leaf_name(&path)
                    ),
                );
                // Point at the first character that does not fit, where the value is written
                // as it is (a plain scalar on one line).
                let misfit = instance.as_str().and_then(|value| {
                    let anchored = pattern.trim_start_matches('^').trim_end_matches('$');
                    let compiled =
                        crate::pattern::CompiledPattern::compile_cached(anchored).ok()?;
                    let offset = compiled.first_misfit(value)?;
                    let c = value[offset..].chars().next()?;
                    let span = spans.value(pointer);
                    let written = text.get(span.clone()) == Some(value);
                    let at = if written {
                        span.start + offset..span.start + offset + c.len_utf8()
                    } else {
                        span
                    };
                    Some((c, at))
                });
                if let Some((c, at)) = &misfit
                    && !c.is_control()
                    && !is_invisible(*c)
                {
                    diagnostic = Diagnostic::error(
                        Code::InvalidValue,
                        format!(
                            "{} is not a valid `{}`: `{c}` cannot stand there",
                            quote_value(instance),
                            leaf_name(&path)
                        ),
                    )
                    .in_file(file, at.clone())
                    .with_label(format!("`{c}` is not allowed here"));
                }
                let hidden = instance
                    .as_str()
                    .and_then(|text| text.chars().find(|&c| c.is_control() || is_invisible(c)));
                if let Some(c) = hidden {
                    diagnostic = diagnostic.with_help(format!(
                        "remove the control or invisible character U+{:04X}: names, titles and descriptions reach JSON, YAML, TOML and Rust source, where it would break the file or hide what the text says",
                        u32::from(c)
                    ));
                } else if let Some(description) = description {
                    // A short pattern says exactly what is allowed; a long one says less than
                    // the description does.
                    let help = if misfit.is_some() && pattern.len() <= 60 {
                        format!("{description} It must match `{pattern}`.")
                    } else {
                        description
                    };
                    diagnostic = diagnostic.with_help(help);
                }
                vec![diagnostic]
            }
            ValidationErrorKind::MinLength { .. } => vec![
                error(
                    Code::InvalidValue,
                    format!("`{}` must not be empty", leaf_name(&path)),
                )
                .with_help(description.unwrap_or_else(|| "write a value".to_owned())),
            ],
            ValidationErrorKind::MaxLength { limit } => vec![
                error(
                    Code::InvalidValue,
                    format!("`{}` is longer than {limit} characters", leaf_name(&path)),
                )
                .with_help(
                    description.unwrap_or_else(|| format!("shorten it to {limit} characters")),
                ),
            ],
            ValidationErrorKind::MinItems { limit } => vec![
                error(
                    Code::InvalidValue,
                    format!("`{}` needs at least {limit} entry", leaf_name(&path)),
                )
                .with_help(description.unwrap_or_else(|| "add an entry".to_owned())),
            ],
            ValidationErrorKind::UniqueItems => vec![
                error(
                    Code::InvalidValue,
                    format!("`{}` lists the same value twice", leaf_name(&path)),
                )
                .with_help("remove the repeated value"),
            ],
            ValidationErrorKind::Minimum { limit } | ValidationErrorKind::Maximum { limit } => {
                let bound = if matches!(kind, ValidationErrorKind::Minimum { .. }) {
                    "at least"
                } else {
                    "at most"
                };
                vec![
                    error(
                        Code::InvalidValue,
                        format!("`{}` must be {bound} {limit}", leaf_name(&path)),
                    )
                    .with_help(
                        description.unwrap_or_else(|| format!("use a number {bound} {limit}")),
                    ),
                ]
            }
            // A key that its mapping does not allow (`front_matter: { layout: x }`, a shape
            // name that is not PascalCase): said at the key, with what keys may be.
            ValidationErrorKind::PropertyNames { error: inner } => {
                let key = inner.instance().as_str().unwrap_or_default();
                let help = subschema
                    .map(|s| s.get("propertyNames").unwrap_or(s))
                    .and_then(|s| self.describe(s))
                    .unwrap_or_else(|| "rename the key".to_owned());
                vec![
                    Diagnostic::error(
                        Code::InvalidValue,
                        format!("`{key}` cannot be a key of {}", context_name(&path)),
                    )
                    .in_file(
                        file,
                        spans.key_or_value(&format!("{pointer}/{}", pointer_token(key))),
                    )
                    .with_help(help),
                ]
            }
            // A value of several forms (a heading's text or `{text, level}`): the errors of
            // the form whose type the value has, or, when it has none of their types, what
            // the forms are.
            ValidationErrorKind::AnyOf { context } => {
                let same_type: Vec<&Vec<jsonschema::ValidationError<'static>>> = context
                    .iter()
                    .filter(|errors| {
                        !errors.iter().any(|e| {
                            e.instance_path().as_str() == pointer
                                && matches!(e.kind(), ValidationErrorKind::Type { .. })
                        })
                    })
                    .collect();
                match same_type.as_slice() {
                    [errors] => errors
                        .iter()
                        .flat_map(|e| {
                            self.diagnose(
                                file,
                                text,
                                document,
                                e.instance_path().as_str(),
                                e.kind(),
                                e.instance(),
                                self.subschema(e.schema_path().as_str()),
                            )
                        })
                        .collect(),
                    _ => {
                        let mut diagnostic = error(
                            Code::WrongType,
                            format!("`{}` cannot be {}", leaf_name(&path), type_name(instance)),
                        );
                        if let Some(description) = description {
                            diagnostic = diagnostic.with_help(description);
                        }
                        vec![diagnostic]
                    }
                }
            }
            other => vec![error(
                Code::InvalidValue,
                format!("`{}` is invalid: {other:?}", leaf_name(&path)),
            )],
        }
    }

    /// What the property `name` of `object_schema` is, for help text.
    fn property_help(&self, object_schema: Option<&Value>, name: &str) -> String {
        object_schema
            .and_then(|s| s.pointer(&format!("/properties/{}", pointer_token(name))))
            .and_then(|s| self.describe(s))
            .map_or_else(
                || format!("`{name}` is part of the format"),
                |d| format!("`{name}` is: {}", lowercase_first(&d)),
            )
    }

    /// The schema that describes the instance at `pointer`, found by walking `properties` and
    /// `items` (through `$ref`s) from the root; the last step is not resolved, so a property
    /// keeps its own description.
    fn schema_at(&self, pointer: &str) -> Option<&Value> {
        let mut schema = &self.schema;
        for token in pointer.split('/').skip(1) {
            schema = self.resolve(schema);
            let token = token.replace("~1", "/").replace("~0", "~");
            schema = match schema.get("properties").and_then(|p| p.get(&token)) {
                Some(property) => property,
                // A map of names (`types`): every value has the same schema.
                None => schema
                    .get("items")
                    .or_else(|| schema.get("additionalProperties").filter(|s| s.is_object()))?,
            };
        }
        Some(schema)
    }

    fn resolve<'s>(&'s self, schema: &'s Value) -> &'s Value {
        match schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
        {
            Some(target) => self.schema.pointer(target).unwrap_or(schema),
            None => schema,
        }
    }

    /// A property schema's description, following one `$ref` if the property has none itself.
    fn describe(&self, schema: &Value) -> Option<String> {
        if let Some(description) = schema.get("description").and_then(Value::as_str) {
            return Some(description.to_owned());
        }
        let target = schema.get("$ref")?.as_str()?.strip_prefix('#')?;
        self.schema
            .pointer(target)?
            .get("description")?
            .as_str()
            .map(str::to_owned)
    }
}

impl Default for SchemaCheck {
    fn default() -> Self {
        Self::new()
    }
}

/// Whether any number in `value` was written with a decimal point or an exponent.
fn context_name(path: &str) -> String {
    if path.is_empty() {
        "the definition".to_owned()
    } else {
        format!("`{path}`")
    }
}

fn leaf_name(path: &str) -> &str {
    if path.is_empty() {
        "the definition"
    } else {
        path
    }
}

/// The diagnostic for an unknown "key" that is the rest of a value an unquoted comma split in
/// a flow mapping (`{ description: The key, starting at 1. }`), or `None` when the key does
/// not look like one: it follows a `,` and holds a space or ends in punctuation.
fn split_by_comma(text: &str, at: Range<usize>, key: &str) -> Option<Diagnostic> {
    let before = text.get(..at.start)?.trim_end_matches([' ', '\t']);
    let looks_like_text = key.contains(' ') || key.ends_with(['.', '!', '?', ')']);
    if !before.ends_with(',') || !looks_like_text {
        return None;
    }
    // The key whose value the comma ended: the last `key:` before it on the line.
    let line = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
    let value_start = line[..line.len() - 1].rfind(": ")?;
    let owner_start = line[..value_start]
        .rfind(['{', ',', ' '])
        .map_or(0, |i| i + 1);
    let owner = line[owner_start..value_start].trim();
    let value = line[value_start + 2..line.len() - 1].trim();
    Some(
        Diagnostic::error(
            Code::UnknownKey,
            format!("the comma after `{value}` ended the value of `{owner}`, so `{key}` was read as a key"),
        )
        .with_label("the rest of the value")
        .with_help(format!(
            "in a `{{ ... }}` mapping a comma separates entries: quote the value, `{owner}: \"{value}, {key}\"`"
        )),
    )
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn expected_type(schema_type: &Value) -> String {
    let name = |t: &str| match t {
        "object" => "a mapping",
        "array" => "a list",
        "string" => "a string",
        "integer" => "a whole number",
        "number" => "a number",
        "boolean" => "true or false",
        "null" => "empty",
        _ => "a value of another type",
    };
    match schema_type {
        Value::String(t) => name(t).to_owned(),
        Value::Array(types) => types
            .iter()
            .filter_map(Value::as_str)
            .map(name)
            .collect::<Vec<_>>()
            .join(" or "),
        _ => "another type".to_owned(),
    }
}

/// How a JSON value's type reads in a sentence.
pub fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing (an empty value)",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "a whole number",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_schema_compiles() {
        let check = SchemaCheck::new();
        assert_eq!(
            check.schema()["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
    }

    #[test]
    fn every_property_has_a_description() {
        fn walk(schema: &Value, at: &str, missing: &mut Vec<String>) {
            if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
                for (name, property) in properties {
                    if property.get("description").is_none() {
                        missing.push(format!("{at}/properties/{name}"));
                    }
                    walk(property, &format!("{at}/properties/{name}"), missing);
                }
            }
            if let Some(defs) = schema.get("$defs").and_then(Value::as_object) {
                for (name, def) in defs {
                    walk(def, &format!("{at}/$defs/{name}"), missing);
                }
            }
        }
        let check = SchemaCheck::new();
        let mut missing = Vec::new();
        walk(check.schema(), "", &mut missing);
        assert!(
            missing.is_empty(),
            "properties without a description: {missing:?}"
        );
    }
}
