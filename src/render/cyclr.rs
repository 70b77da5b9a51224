//! The JavaScript that the Cyclr connector JSON carries: Cyclr runs it around a method's
//! call and around OAuth2 token requests (reference section 7). The model records what each
//! script does ([`Script`]); this is the one place that writes its text. Names and text from
//! the definition enter it as JSON string literals, which are JavaScript string literals too,
//! so no definition text can break out of them. The text is ES5 (no arrow functions, `let`
//! or template strings), for whatever engine Cyclr runs.

use minijinja::{Environment, Error, ErrorKind, Value};

use crate::model::PagingLocation;
use crate::model::cyclr::{Script, ScriptTarget, ScriptValue, Statement};

/// A JavaScript string literal.
fn js_string(text: &str) -> String {
    serde_json::to_string(text).expect("a string serialises")
}

/// The script's source text.
pub fn script(script: &Script) -> String {
    let mut out = String::new();
    let mut helpers = Helpers::default();
    if !script.before_action.is_empty() {
        out.push_str("function before_action() {\n");
        for statement in &script.before_action {
            statement_text(statement, &mut helpers, &mut out);
        }
        out.push_str("  return true;\n}\n");
    }
    if !script.before_token.is_empty() {
        // The same additions to the first token request and to each refresh.
        out.push_str("function connector_gen_token_request() {\n");
        for statement in &script.before_token {
            statement_text(statement, &mut helpers, &mut out);
        }
        out.push_str("  return true;\n}\n");
        out.push_str(
            "function before_oauth2_token() {\n  return connector_gen_token_request();\n}\n",
        );
        out.push_str(
            "function before_oauth2_refresh() {\n  return connector_gen_token_request();\n}\n",
        );
    }
    if helpers.basic_part {
        out.push_str(
            "// The Basic auth value is base64 of `user:password`; part 0 is the user, 1 the password.\n\
             function connector_gen_basic_part(part) {\n  \
             var pair = atob(String(method_auth_value));\n  \
             // atob gives one character per byte; the value is UTF-8 (RFC 7617).\n  \
             try {\n    pair = decodeURIComponent(escape(pair));\n  } catch (e) {\n    // Not UTF-8: keep the bytes as they are.\n  }\n  \
             var colon = pair.indexOf(':');\n  \
             if (colon < 0) {\n    return part === 0 ? pair : '';\n  }\n  \
             return part === 0 ? pair.slice(0, colon) : pair.slice(colon + 1);\n\
             }\n",
        );
    }
    if helpers.form {
        out.push_str(
            "// application/x-www-form-urlencoded, as RFC 6749 section 2.3.1 asks of client credentials.\n\
             function connector_gen_form(value) {\n  \
             return encodeURIComponent(String(value)).replace(/[!'()~]/g, function (c) {\n    \
             return '%' + c.charCodeAt(0).toString(16).toUpperCase();\n  \
             }).replace(/%20/g, '+');\n\
             }\n",
        );
    }
    out
}

/// The helper functions a script's statements call.
#[derive(Default)]
struct Helpers {
    basic_part: bool,
    form: bool,
}

fn statement_text(statement: &Statement, helpers: &mut Helpers, out: &mut String) {
    match statement {
        Statement::ZeroBasedPage { location, param } => {
            let key = js_string(param);
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
            out.push_str(&format!(
                "  // The API numbers pages from 0; Cyclr's CYCLR_PAGE_NUMBER starts at 1.\n  \
                 {object}[{key}] = {value};\n"
            ));
        }
        Statement::Set { target, value } => {
            let (object, name) = match target {
                ScriptTarget::Header(name) => ("method_request_headers", name),
                ScriptTarget::Query(name) => ("method_request_parameters", name),
                ScriptTarget::MergeField(name) => ("method_request_mergefields", name),
                ScriptTarget::TokenField(name) => ("method_request", name),
            };
            let pieces: Vec<String> = value
                .iter()
                .map(|piece| value_text(piece, helpers))
                .collect();
            let joined = match pieces.as_slice() {
                [] => "''".to_owned(),
                [one] if matches!(value[0], ScriptValue::Literal(_)) => one.clone(),
                [one] => format!("String({one})"),
                _ => pieces.join(" + "),
            };
            out.push_str(&format!("  {object}[{}] = {joined};\n", js_string(name)));
        }
        Statement::ClientCredentialsInBasicHeader => {
            helpers.form = true;
            out.push_str(
                "  // The client authenticates with HTTP Basic, not with form fields.\n  \
                 var id = method_request['client_id'];\n  \
                 var secret = method_request['client_secret'];\n  \
                 delete method_request['client_id'];\n  \
                 delete method_request['client_secret'];\n  \
                 method_request_headers['Authorization'] = 'Basic ' + btoa(connector_gen_form(id) + ':' + connector_gen_form(secret));\n",
            );
        }
    }
}

fn value_text(value: &ScriptValue, helpers: &mut Helpers) -> String {
    match value {
        ScriptValue::Literal(text) => js_string(text),
        ScriptValue::MergeField(name) => format!("method_request_mergefields[{}]", js_string(name)),
        ScriptValue::ScriptParameter(name) => format!("script_parameters[{}]", js_string(name)),
        ScriptValue::AuthValue => "method_auth_value".to_owned(),
        ScriptValue::BasicUser => {
            helpers.basic_part = true;
            "connector_gen_basic_part(0)".to_owned()
        }
        ScriptValue::BasicPassword => {
            helpers.basic_part = true;
            "connector_gen_basic_part(1)".to_owned()
        }
    }
}

/// Registers `cyclr_script`: the text of a script, for the JSON template to encode.
pub fn register(env: &mut Environment<'static>) {
    env.add_filter("cyclr_script", |value: Value| -> Result<Value, Error> {
        let json = serde_json::to_value(&value)
            .map_err(|e| Error::new(ErrorKind::InvalidOperation, format!("a script: {e}")))?;
        let parsed: Script = serde_json::from_value(json)
            .map_err(|e| Error::new(ErrorKind::InvalidOperation, format!("not a script: {e}")))?;
        Ok(Value::from(script(&parsed)))
    });
}
