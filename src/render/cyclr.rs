//! The JavaScript that the Cyclr connector JSON carries: Cyclr runs it around a method's
//! call (reference section 7). The model records which script a method needs
//! ([`Script`]); this is the one place that writes its text. Keys reach the script as JSON
//! string literals, which are JavaScript string literals too, so no definition text can
//! break out of them.

use minijinja::{Environment, Error, ErrorKind, Value};

use crate::model::PagingLocation;
use crate::model::cyclr::Script;

/// The script's source text.
pub fn script(script: &Script) -> String {
    match script {
        Script::ZeroBasedPage { location, param } => {
            let key = serde_json::to_string(param).expect("a string serialises");
            let (object, value) = match location {
                PagingLocation::Body => (
                    "method_request",
                    format!("Number(method_request[{key}]) - 1"),
                ),
                PagingLocation::Query => (
                    "method_request_parameters",
                    format!("String(Number(method_request_parameters[{key}]) - 1)"),
                ),
            };
            format!(
                "// The API numbers pages from 0; Cyclr's CYCLR_PAGE_NUMBER starts at 1.\n\
                 function before_action() {{\n  \
                 {object}[{key}] = {value};\n  \
                 return true;\n\
                 }}\n"
            )
        }
    }
}

/// Registers `cyclr_script`: the text of a method's script, for the JSON template to encode.
pub fn register(env: &mut Environment<'static>) {
    env.add_filter("cyclr_script", |value: Value| -> Result<Value, Error> {
        let text = |key: &str| -> Result<String, Error> {
            let field = value.get_attr(key)?;
            field.as_str().map(str::to_owned).ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidOperation,
                    format!("a script without `{key}`"),
                )
            })
        };
        let parsed = match text("kind")?.as_str() {
            "zero_based_page" => Script::ZeroBasedPage {
                location: match text("location")?.as_str() {
                    "body" => PagingLocation::Body,
                    _ => PagingLocation::Query,
                },
                param: text("param")?,
            },
            other => {
                return Err(Error::new(
                    ErrorKind::InvalidOperation,
                    format!("an unknown script `{other}`"),
                ));
            }
        };
        Ok(Value::from(script(&parsed)))
    });
}
