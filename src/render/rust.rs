//! The Rust code renderer: turns the Rust parts of the model (arguments, values, checks, URL
//! parts, pattern tables) into code text, and lays lists out the way rustfmt does. Every
//! piece of Rust syntax that depends on the model is made here, once; `client.rs.j2` and the
//! crate templates only place the pieces. Registered as template filters by
//! [`register`].

use minijinja::value::{Serde, Value};
use minijinja::{Environment, Error, ErrorKind};

use super::escape::{self, rust_string};
use crate::model::rust::{ArgKind, ByteRange, RustArg};
use crate::model::{AuthModel, DataType, FieldRef, FormPair, FormValue, UrlPart, ValueCheck};
use crate::placeholder::UrlContext;

/// rustfmt's `max_width`.
const MAX_WIDTH: usize = 100;
/// rustfmt's `fn_call_width`: the widest argument list a call keeps on one line.
const FN_CALL_WIDTH: usize = 60;

/// An argument as a parameter of the method's signature: `person_id: &str`.
pub fn param(arg: &RustArg) -> String {
    let name = &arg.name;
    match &arg.kind {
        ArgKind::Token => format!("{name}: &AccessToken"),
        ArgKind::Text => format!("{name}: &str"),
        ArgKind::OptionalText => format!("{name}: Option<&str>"),
        ArgKind::Page { .. } => format!("{name}: Page"),
        ArgKind::Body { type_name } => format!("{name}: &{type_name}"),
    }
}

/// An argument as the `Connection` method passes it on to the `Client` method; the token is
/// the one the connection holds.
pub fn call_arg(arg: &RustArg) -> String {
    match &arg.kind {
        ArgKind::Token => format!("&{}", arg.name),
        _ => arg.name.clone(),
    }
}

/// A value for the argument in the README's example.
pub fn example_arg(arg: &RustArg) -> String {
    match &arg.kind {
        ArgKind::Token => "&token".to_owned(),
        ArgKind::Text => rust_string("1"),
        ArgKind::OptionalText => "None".to_owned(),
        ArgKind::Page {
            first_page,
            page_size,
        } => format!("Page {{ index: {first_page}, size: {page_size} }}"),
        ArgKind::Body { type_name } => format!("&{type_name}::default()"),
    }
}

/// The Rust type of a setup field in `Config`.
pub fn field_type(field: &FieldRef) -> &'static str {
    match (field.secret, field.optional) {
        (true, false) => "Secret",
        (true, true) => "Option<Secret>",
        (false, false) => "String",
        (false, true) => "Option<String>",
    }
}

/// A setup field's value, read from the `Config` at `config` (`self.config`, `config`):
/// a `&str`, or an `Option<&str>` for an optional field.
pub fn config_str(field: &FieldRef, config: &str) -> String {
    let place = format!("{config}.{}", field.rust_name);
    match (field.secret, field.optional) {
        (true, false) => format!("{place}.expose()"),
        (true, true) => format!("{place}.as_ref().map(Secret::expose)"),
        (false, false) => format!("{place}.as_str()"),
        (false, true) => format!("{place}.as_deref()"),
    }
}

/// A sample value for a setup field in the README's example: its default, or a
/// description of what goes there.
pub fn example_value(field: &FieldRef, display_name: &str, default: Option<&str>) -> String {
    let sample =
        rust_string(&default.map_or_else(|| format!("your {display_name}"), str::to_owned));
    match (field.secret, field.optional) {
        (_, true) => "None".to_owned(),
        (true, false) => format!("Secret::new({sample})"),
        (false, false) => format!("{sample}.to_owned()"),
    }
}

/// The call that checks `value` (a `&str` expression) for the setting or parameter `name`.
pub fn check(check: &ValueCheck, name: &str, value: &str) -> String {
    let name = rust_string(name);
    match check {
        ValueCheck::Pattern { rust_const, .. } => format!("{rust_const}.check({name}, {value})"),
        ValueCheck::HostLabel => format!("runtime::check_host_label({name}, {value})"),
        ValueCheck::HostName => format!("runtime::check_host_name({name}, {value})"),
        ValueCheck::PathSegment => format!("runtime::check_path_segment({name}, {value})"),
    }
}

/// A piece of a URL as a `&str` expression inside `impl Client`, encoded for where it
/// stands: host names as checked by `Client::new`, path values percent-encoded, method
/// parameters checked and encoded as one path segment.
pub fn url_part(part: &UrlPart) -> String {
    match part {
        UrlPart::Literal { text } => rust_string(text),
        UrlPart::Field { field, context } => {
            let value = config_str(field, "self.config");
            match context {
                UrlContext::Host | UrlContext::HostName => value,
                UrlContext::Path => format!("&runtime::percent_encode({value})"),
            }
        }
        UrlPart::Parameter { name, rust_name } => format!(
            "&runtime::encode_path_segment({}, {rust_name})?",
            rust_string(name)
        ),
    }
}

/// The statement that appends a piece of a URL to `url`: `push` for one character (as
/// clippy asks), `push_str` otherwise.
pub fn push_url_part(part: &UrlPart) -> String {
    match part {
        UrlPart::Literal { text } if text.chars().count() == 1 => {
            format!(
                "url.push({});",
                escape::rust_char(text.chars().next().unwrap_or('/'))
            )
        }
        _ => format!("url.push_str({});", url_part(part)),
    }
}

/// A query parameter (its name, Rust name and whether it is optional) as an
/// `(&str, Option<&str>)` pair.
pub fn query_pair(name: &str, rust_name: &str, optional: bool) -> String {
    let name = rust_string(name);
    let value = rust_name;
    if optional {
        format!("({name}, {value})")
    } else {
        format!("({name}, Some({value}))")
    }
}

/// A form field of a token request as an `(&str, &str)` pair.
pub fn form_pair(pair: &FormPair) -> String {
    let value = match &pair.value {
        FormValue::Literal { text } => rust_string(text),
        FormValue::Field(field) => config_str(field, "self.config"),
    };
    format!("({}, {value})", rust_string(&pair.name))
}

/// How a method of `Client` passes its request's credentials to `Request::api`: the
/// access token argument for OAuth2, `Client::auth` (see [`auth`]) for the rest.
pub fn request_auth(auth: &AuthModel) -> &'static str {
    match auth {
        AuthModel::Oauth2(_) => "runtime::Auth::Bearer(token)",
        _ => "self.auth()",
    }
}

/// The body of `Client::auth`: the credentials of API requests from the setup values, as a
/// `runtime::Auth` expression. OAuth2 connectors have none (their methods take the token).
pub fn auth(auth: &AuthModel) -> Option<String> {
    use crate::model::ApiKeyPlacement;
    Some(match auth {
        AuthModel::None => "runtime::Auth::None".to_owned(),
        AuthModel::Oauth2(_) => return None,
        AuthModel::ApiKey { key, placement } => {
            let key = format!("&self.config.{}", key.rust_name);
            match placement {
                ApiKeyPlacement::Header { name } => format!(
                    "runtime::Auth::ApiKeyHeader {{\n    header: {},\n    key: {key},\n}}",
                    rust_string(name)
                ),
                ApiKeyPlacement::Query { name } => format!(
                    "runtime::Auth::ApiKeyQuery {{\n    parameter: {},\n    key: {key},\n}}",
                    rust_string(name)
                ),
            }
        }
        AuthModel::Basic { username, password } => {
            let password = password
                .as_ref()
                .map_or_else(|| rust_string(""), |p| config_str(p, "self.config"));
            format!(
                "runtime::Auth::Basic {{\n    user: {},\n    password: {password},\n}}",
                config_str(username, "self.config")
            )
        }
    })
}

/// The Rust type of a body field's data type.
pub fn data_type(data_type: DataType) -> &'static str {
    match data_type {
        DataType::Text | DataType::Datetime | DataType::File => "String",
        DataType::Integer => "i64",
        DataType::Float | DataType::Decimal => "f64",
        DataType::Boolean => "bool",
    }
}

/// One row of a pattern's transition table, as a slice: `&[0, 2, 3]`, laid out as rustfmt
/// lays out a row standing at `indent`.
pub fn row(states: &[u8], indent: usize) -> String {
    let items: Vec<String> = states.iter().map(u8::to_string).collect();
    format!("&{}", escape::rust_array(&items, indent, true))
}

/// A byte as a Rust `u8` literal: `b'0'` where printable, `0x80` otherwise.
fn byte_literal(byte: u8) -> String {
    match byte {
        b'\'' => "b'\\''".to_owned(),
        b'\\' => "b'\\\\'".to_owned(),
        b if b.is_ascii_graphic() => format!("b'{}'", b as char),
        b => format!("0x{b:02x}"),
    }
}

/// A byte range of a pattern as a `(first, last, class)` tuple.
pub fn byte_range(range: &ByteRange) -> String {
    format!(
        "({}, {}, {})",
        byte_literal(range.first),
        byte_literal(range.last),
        range.class
    )
}

/// `open`, the items and `close` on one line when it fits in `width` (and, for calls, the
/// items fit in rustfmt's call width); otherwise the items one per line below `open`,
/// indented four more than `indent`, as rustfmt lays out signatures and calls.
fn layout(items: &[String], open: &str, close: &str, indent: usize, call: bool) -> String {
    let one_line = items.join(", ");
    let fits = indent + open.len() + one_line.len() + close.len() <= MAX_WIDTH
        && (!call || one_line.len() <= FN_CALL_WIDTH);
    if fits {
        return format!("{open}{one_line}{close}");
    }
    let pad = " ".repeat(indent + 4);
    let mut text = format!("{open}\n");
    for item in items {
        text.push_str(&pad);
        text.push_str(item);
        text.push_str(",\n");
    }
    text.push_str(&" ".repeat(indent));
    text.push_str(close);
    text
}

fn safe(text: String) -> Value {
    Value::from_safe_string(text)
}

fn invalid(message: String) -> Error {
    Error::new(ErrorKind::InvalidOperation, message)
}

/// Reading the model back from template values. The filters that run for every argument,
/// URL piece and check read the few attributes they need directly: going through serde for
/// each call was a tenth of the time spent rendering.
mod read {
    use minijinja::value::{Value, ValueKind};
    use minijinja::{Error, ErrorKind};

    use crate::model::rust::{ArgKind, ByteRange, RustArg};
    use crate::model::{FieldRef, UrlPart, ValueCheck};
    use crate::placeholder::UrlContext;

    fn missing(key: &str, what: &str) -> Error {
        Error::new(
            ErrorKind::InvalidOperation,
            format!("expected {what} with `{key}`; pass the model's own value"),
        )
    }

    pub fn string(value: &Value, key: &str, what: &str) -> Result<String, Error> {
        let attr = value.get_attr(key)?;
        attr.as_str()
            .map(str::to_owned)
            .ok_or_else(|| missing(key, what))
    }

    pub fn flag(value: &Value, key: &str, what: &str) -> Result<bool, Error> {
        let attr = value.get_attr(key)?;
        if attr.kind() == ValueKind::Bool {
            Ok(attr.is_true())
        } else {
            Err(missing(key, what))
        }
    }

    fn number<T: TryFrom<Value>>(value: &Value, key: &str, what: &str) -> Result<T, Error> {
        T::try_from(value.get_attr(key)?).map_err(|_| missing(key, what))
    }

    pub fn field(value: &Value) -> Result<FieldRef, Error> {
        const WHAT: &str = "a setup field";
        Ok(FieldRef {
            name: string(value, "name", WHAT)?,
            rust_name: string(value, "rust_name", WHAT)?,
            secret: flag(value, "secret", WHAT)?,
            optional: flag(value, "optional", WHAT)?,
        })
    }

    pub fn arg(value: &Value) -> Result<RustArg, Error> {
        const WHAT: &str = "a method argument";
        let kind = value.get_attr("kind")?;
        let kind = match kind.as_str() {
            Some("token") => ArgKind::Token,
            Some("text") => ArgKind::Text,
            Some("optional_text") => ArgKind::OptionalText,
            _ => {
                let page = kind.get_attr("page")?;
                let body = kind.get_attr("body")?;
                if !page.is_undefined() {
                    ArgKind::Page {
                        first_page: number(&page, "first_page", WHAT)?,
                        page_size: number(&page, "page_size", WHAT)?,
                    }
                } else if !body.is_undefined() {
                    ArgKind::Body {
                        type_name: string(&body, "type_name", WHAT)?,
                    }
                } else {
                    return Err(missing("kind", WHAT));
                }
            }
        };
        Ok(RustArg {
            name: string(value, "name", WHAT)?,
            kind,
        })
    }

    pub fn args(values: &[Value]) -> Result<Vec<RustArg>, Error> {
        values.iter().map(arg).collect()
    }

    pub fn check(value: &Value) -> Result<ValueCheck, Error> {
        const WHAT: &str = "a value check";
        Ok(match string(value, "kind", WHAT)?.as_str() {
            "pattern" => ValueCheck::Pattern {
                source: string(value, "source", WHAT)?,
                rust_const: string(value, "rust_const", WHAT)?,
            },
            "host_label" => ValueCheck::HostLabel,
            "host_name" => ValueCheck::HostName,
            "path_segment" => ValueCheck::PathSegment,
            _ => return Err(missing("kind", WHAT)),
        })
    }

    pub fn url_part(value: &Value) -> Result<UrlPart, Error> {
        const WHAT: &str = "a URL part";
        Ok(match string(value, "kind", WHAT)?.as_str() {
            "literal" => UrlPart::Literal {
                text: string(value, "text", WHAT)?,
            },
            "field" => UrlPart::Field {
                field: field(&value.get_attr("field")?)?,
                context: match string(value, "context", WHAT)?.as_str() {
                    "host" => UrlContext::Host,
                    "host_name" => UrlContext::HostName,
                    "path" => UrlContext::Path,
                    _ => return Err(missing("context", WHAT)),
                },
            },
            "parameter" => UrlPart::Parameter {
                name: string(value, "name", WHAT)?,
                rust_name: string(value, "rust_name", WHAT)?,
            },
            _ => return Err(missing("kind", WHAT)),
        })
    }

    pub fn byte_range(value: &Value) -> Result<ByteRange, Error> {
        const WHAT: &str = "a byte range";
        Ok(ByteRange {
            first: number(value, "first", WHAT)?,
            last: number(value, "last", WHAT)?,
            class: number(value, "class", WHAT)?,
        })
    }
}

/// Registers the filters that turn the Rust model into code.
pub fn register(env: &mut Environment<'static>) {
    env.add_filter("rust_field_type", |field: Value| {
        Ok::<_, Error>(safe(field_type(&read::field(&field)?).to_owned()))
    });
    env.add_filter("rust_config_str", |field: Value, config: &str| {
        if !matches!(config, "config" | "self.config") {
            return Err(invalid(format!("`{config}` is not a Config expression")));
        }
        Ok(safe(config_str(&read::field(&field)?, config)))
    });
    env.add_filter(
        "rust_example_value",
        |field: Value, display_name: &str, default: Option<&str>| {
            Ok::<_, Error>(safe(example_value(
                &read::field(&field)?,
                display_name,
                default,
            )))
        },
    );
    env.add_filter(
        "rust_check",
        |value: Value, name: &str, expression: &str| {
            if !escape::is_rust_ident(expression) {
                return Err(invalid(format!("`{expression}` is not a local variable")));
            }
            Ok(safe(check(&read::check(&value)?, name, expression)))
        },
    );
    env.add_filter("rust_push_url_part", |part: Value| {
        Ok::<_, Error>(safe(push_url_part(&read::url_part(&part)?)))
    });
    env.add_filter("rust_auth", |model: Serde<AuthModel>, indent: usize| {
        let text = auth(&model.0)
            .ok_or_else(|| invalid("OAuth2 methods take their token as an argument".into()))?;
        Ok(safe(
            text.replace('\n', &format!("\n{}", " ".repeat(indent))),
        ))
    });
    env.add_filter("rust_request_auth", |model: Serde<AuthModel>| {
        safe(request_auth(&model.0).to_owned())
    });
    env.add_filter("rust_data_type", |value: &str| {
        // The model's data types as they serialise (Cyclr's spelling).
        let kind = match value {
            "Text" => DataType::Text,
            "Integer" => DataType::Integer,
            "Float" => DataType::Float,
            "Decimal" => DataType::Decimal,
            "Boolean" => DataType::Boolean,
            "DateTime" => DataType::Datetime,
            _ => return Err(invalid(format!("`{value}` is not a data type"))),
        };
        Ok(safe(data_type(kind).to_owned()))
    });
    env.add_filter(
        "rust_signature",
        |args: Vec<Value>, of: &str, name: &str, indent: usize| {
            let (receiver, generics, returns) = match of {
                "client" => ("&self", "", "Result<Request, Error>"),
                "connection" => ("&mut self", "<R: DeserializeOwned>", "Result<R, Error>"),
                _ => return Err(invalid(format!("`{of}` is neither client nor connection"))),
            };
            let name = checked_ident(name)?;
            let mut params = vec![receiver.to_owned()];
            params.extend(read::args(&args)?.iter().map(param));
            let open = format!("pub fn {name}{generics}(");
            let close = format!(") -> {returns} {{");
            Ok(safe(layout(&params, &open, &close, indent, false)))
        },
    );
    env.add_filter(
        "rust_client_call",
        |args: Vec<Value>, name: &str, indent: usize| {
            let name = checked_ident(name)?;
            let mut items = vec!["self.client()".to_owned()];
            items.extend(read::args(&args)?.iter().map(call_arg));
            let open = format!("let request = Client::{name}(");
            Ok(safe(layout(&items, &open, ")?;", indent, true)))
        },
    );
    env.add_filter("rust_example_args", |args: Vec<Value>| {
        let args = read::args(&args)?;
        Ok::<_, Error>(safe(
            args.iter().map(example_arg).collect::<Vec<_>>().join(", "),
        ))
    });
    env.add_filter(
        "rust_query_pairs",
        |parameters: Vec<Value>, indent: usize| {
            const WHAT: &str = "a query parameter";
            let items = parameters
                .iter()
                .map(|p| {
                    Ok(query_pair(
                        &read::string(p, "name", WHAT)?,
                        &read::string(p, "rust_name", WHAT)?,
                        read::flag(p, "optional", WHAT)?,
                    ))
                })
                .collect::<Result<Vec<String>, Error>>()?;
            Ok::<_, Error>(safe(escape::rust_array(&items, indent, false)))
        },
    );
    env.add_filter(
        "rust_form_pairs",
        |pairs: Serde<Vec<FormPair>>, indent: usize| {
            let items: Vec<String> = pairs.0.iter().map(form_pair).collect();
            safe(escape::rust_array(&items, indent, false))
        },
    );
    env.add_filter("rust_byte_ranges", |ranges: Vec<Value>, indent: usize| {
        let items = ranges
            .iter()
            .map(|range| read::byte_range(range).map(|range| byte_range(&range)))
            .collect::<Result<Vec<String>, Error>>()?;
        Ok::<_, Error>(safe(escape::rust_array(&items, indent, false)))
    });
    env.add_filter("rust_rows", |rows: Vec<Vec<u8>>, indent: usize| {
        let items: Vec<String> = rows.iter().map(|r| row(r, indent + 4)).collect();
        safe(escape::rust_array(&items, indent, false))
    });
}

fn checked_ident(name: &str) -> Result<&str, Error> {
    if escape::is_rust_ident(name) {
        Ok(name)
    } else {
        Err(invalid(format!("`{name}` is not a Rust identifier")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arg(name: &str, kind: ArgKind) -> RustArg {
        RustArg {
            name: name.to_owned(),
            kind,
        }
    }

    #[test]
    fn arguments_become_parameters_calls_and_examples() {
        let body = arg(
            "body",
            ArgKind::Body {
                type_name: "ListPeopleBody".to_owned(),
            },
        );
        assert_eq!(param(&body), "body: &ListPeopleBody");
        assert_eq!(call_arg(&body), "body");
        assert_eq!(example_arg(&body), "&ListPeopleBody::default()");
        let token = arg("token", ArgKind::Token);
        assert_eq!(param(&token), "token: &AccessToken");
        assert_eq!(call_arg(&token), "&token");
        let page = arg(
            "page",
            ArgKind::Page {
                first_page: 1,
                page_size: 50,
            },
        );
        assert_eq!(example_arg(&page), "Page { index: 1, size: 50 }");
        assert_eq!(
            param(&arg("role", ArgKind::OptionalText)),
            "role: Option<&str>"
        );
    }

    #[test]
    fn layout_follows_rustfmt_widths() {
        let items = vec![
            "&self".to_owned(),
            "a: &str".to_owned(),
            "b: &str".to_owned(),
        ];
        assert_eq!(
            layout(&items, "pub fn f(", ") -> R {", 4, false),
            "pub fn f(&self, a: &str, b: &str) -> R {"
        );
        let long: Vec<String> = (0..8).map(|i| format!("argument_{i}: &str")).collect();
        assert_eq!(
            layout(&long[..2], "f(", ")?;", 8, true),
            "f(argument_0: &str, argument_1: &str)?;"
        );
        let text = layout(&long, "pub fn f(", ") -> R {", 4, false);
        assert!(
            text.starts_with("pub fn f(\n        argument_0: &str,\n"),
            "{text}"
        );
        assert!(text.ends_with("argument_7: &str,\n    ) -> R {"), "{text}");
        // A call whose arguments pass 60 columns goes vertical though the line would fit.
        let call: Vec<String> = (0..4).map(|i| format!("argument_number_{i}")).collect();
        assert!(layout(&call, "f(", ")?;", 8, true).contains('\n'));
    }

    #[test]
    fn byte_literals_escape_quotes_and_backslashes() {
        let range = ByteRange {
            first: b'\'',
            last: b'\\',
            class: 3,
        };
        assert_eq!(byte_range(&range), "(b'\\'', b'\\\\', 3)");
        let high = ByteRange {
            first: 0x80,
            last: 0xff,
            class: 1,
        };
        assert_eq!(byte_range(&high), "(0x80, 0xff, 1)");
    }
}
