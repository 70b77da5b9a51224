//! The Rust code renderer: turns the Rust parts of the model (arguments, values, checks, URL
//! parts, pattern tables) into code text, and lays lists out the way rustfmt does. Every
//! piece of Rust syntax that depends on the model is made here, once; `client.rs.j2` and the
//! crate templates only place the pieces. Registered as template filters by
//! [`register`].

use minijinja::value::{Serde, Value};
use minijinja::{Environment, Error, ErrorKind};

use super::escape::{self, rust_string};
use crate::model::rust::{
    ArgKind, ByteRange, EnumDef, Member, PageLocal, PagingPlan, Presence, RustArg, RustRateLimit,
    RustSignIn, RustType, Sent, SentValue, TokenUse,
};
use crate::model::{
    AuthModel, FieldRef, FormPair, FormValue, HeaderModel, RateLimitModel, TextPart, TextTemplate,
    UrlPart, ValueCheck, ValueKind,
};
use crate::placeholder::UrlContext;

/// rustfmt's `max_width`.
const MAX_WIDTH: usize = 100;
/// rustfmt's `fn_call_width`: the widest argument list a call keeps on one line.
const FN_CALL_WIDTH: usize = 60;

/// An argument as a parameter of the method's signature: `person_id: &str`, its borrows of
/// `lifetime` where one is given (`person_id: &'a str`).
pub fn param(arg: &RustArg, lifetime: Option<&str>) -> String {
    let name = &arg.name;
    let borrow = lifetime.map_or_else(|| "&".to_owned(), |l| format!("&{l} "));
    match &arg.kind {
        ArgKind::Token => format!("{name}: &AccessToken"),
        ArgKind::OptionalToken => format!("{name}: Option<&AccessToken>"),
        ArgKind::Text | ArgKind::Since { .. } => format!("{name}: {borrow}str"),
        ArgKind::OptionalText => format!("{name}: Option<{borrow}str>"),
        ArgKind::Page { .. } => format!("{name}: &PageRequest"),
        ArgKind::PageSize { .. } => format!("{name}: u32"),
        ArgKind::Body { type_name } => format!("{name}: {borrow}{type_name}"),
    }
}

/// Whether an argument borrows (and a method returning an iterator must name the borrow).
fn borrows(arg: &RustArg) -> bool {
    !matches!(
        arg.kind,
        ArgKind::PageSize { .. } | ArgKind::Token | ArgKind::OptionalToken
    )
}

/// An argument as the `Connection` method passes it on to the `Client` method; the token is
/// the one the connection holds.
pub fn call_arg(arg: &RustArg) -> String {
    match &arg.kind {
        ArgKind::Token => format!("&{}", arg.name),
        ArgKind::OptionalToken => format!("{}.as_ref()", arg.name),
        _ => arg.name.clone(),
    }
}

/// A value for the argument in the README's example; a body without a `Default` is left to
/// the reader.
pub fn example_arg(arg: &RustArg, body_default: bool) -> String {
    match &arg.kind {
        ArgKind::Token => "&token".to_owned(),
        ArgKind::OptionalToken => "Some(&token)".to_owned(),
        ArgKind::Text => rust_string("1"),
        ArgKind::OptionalText => "None".to_owned(),
        ArgKind::Since { sample, .. } => rust_string(sample),
        ArgKind::Page { page_size } => format!("&PageRequest::first({page_size})"),
        ArgKind::PageSize { page_size } => page_size.to_string(),
        ArgKind::Body { type_name } if body_default => format!("&{type_name}::default()"),
        ArgKind::Body { .. } => "&todo!(\"the request body\")".to_owned(),
    }
}

/// A type of the model as Rust writes it.
pub fn rust_type(ty: &RustType) -> String {
    match ty {
        RustType::String => "String".to_owned(),
        RustType::Integer => "i64".to_owned(),
        RustType::Float => "f64".to_owned(),
        RustType::Boolean => "bool".to_owned(),
        RustType::Json => "serde_json::Value".to_owned(),
        RustType::Named { name } => name.clone(),
        RustType::List { item } => format!("Vec<{}>", rust_type(item)),
    }
}

/// What the member filters read of a struct member: its key, type and presence. The
/// filters read it straight from the template's value (`read::member`), without
/// deserialising the member's doc comment they do not need.
pub struct MemberLayout {
    /// The JSON key; `None` for a flattened shape.
    pub key: Option<String>,
    /// The type, without the `Option` of a member that may be missing.
    pub ty: RustType,
    /// Whether it may be missing, and how.
    pub presence: Presence,
    /// Whether it is read but never written.
    pub read_only: bool,
}

impl From<&Member> for MemberLayout {
    fn from(member: &Member) -> Self {
        MemberLayout {
            key: member.key.clone(),
            ty: member.ty.clone(),
            presence: member.presence,
            read_only: member.read_only,
        }
    }
}

/// A struct member's type: an `Option` where it may be missing.
pub fn member_type(member: &MemberLayout) -> String {
    match member.presence {
        Presence::Optional => format!("Option<{}>", rust_type(&member.ty)),
        _ => rust_type(&member.ty),
    }
}

/// A struct member's serde attributes, one per line at `indent`: the vendor's key, how a
/// missing value reads, and that a read-only value is never written.
pub fn serde_attributes(member: &MemberLayout, indent: usize) -> String {
    let pad = " ".repeat(indent);
    let Some(key) = &member.key else {
        return format!("{pad}#[serde(flatten)]");
    };
    let rename = format!("rename = {}", rust_string(key));
    let mut text = if indent + "#[serde()]".len() + rename.len() <= MAX_WIDTH {
        format!("{pad}#[serde({rename})]")
    } else {
        format!("{pad}#[serde(\n{pad}    {rename}\n{pad})]")
    };
    match (member.presence, member.read_only) {
        (Presence::Optional, false) => {
            text.push_str(&format!(
                "\n{pad}#[serde(default, skip_serializing_if = \"Option::is_none\")]"
            ));
        }
        (Presence::Optional | Presence::Defaulted, true) => {
            text.push_str(&format!("\n{pad}#[serde(default, skip_serializing)]"));
        }
        (Presence::Required, true) => text.push_str(&format!("\n{pad}#[serde(skip_serializing)]")),
        (Presence::Defaulted, false) => text.push_str(&format!("\n{pad}#[serde(default)]")),
        (Presence::Required | Presence::Flattened, false) | (Presence::Flattened, true) => {}
    }
    text
}

/// A match arm `pattern => value,` at `indent`, or, where it does not fit, the value in a
/// block below the pattern, as rustfmt lays arms out.
pub fn match_arm(pattern: &str, value: &str, indent: usize) -> String {
    let line = format!("{pattern} => {value},");
    if indent + line.len() <= MAX_WIDTH {
        return line;
    }
    let pad = " ".repeat(indent);
    format!("{pattern} => {{\n{pad}    {value}\n{pad}}}")
}

/// The match arms between an enum's variants and the values they stand for, one per line at
/// `indent`: variant to value (`as_str`) or, with `from`, value to variant.
pub fn enum_arms(def: &EnumDef, from: bool, indent: usize) -> Result<String, Error> {
    checked_ident(&def.name)?;
    let pad = " ".repeat(indent);
    let mut lines = Vec::new();
    for variant in &def.variants {
        checked_ident(&variant.name)?;
        let path = format!("{}::{}", def.name, variant.name);
        let value = rust_string(&variant.value);
        let arm = if from {
            match_arm(&value, &path, indent)
        } else {
            match_arm(&path, &value, indent)
        };
        lines.push(format!("{pad}{arm}"));
    }
    Ok(lines.join("\n"))
}

/// A page value bound before the query that sends it as text.
pub fn query_local(local: &PageLocal) -> String {
    match local {
        PageLocal::Number { first } => format!("let number = page.number({first})?.to_string();"),
        PageLocal::Offset => "let offset = page.offset()?.to_string();".to_owned(),
        PageLocal::Size => "let size = page.size.to_string();".to_owned(),
        PageLocal::Cursors { count } => format!("let cursors = page.cursors({count})?;"),
    }
}

/// A query pair as an `(&str, Option<&str>)` tuple.
pub fn query_pair(sent: &Sent) -> String {
    let key = rust_string(&sent.key.join("."));
    let value = match &sent.value {
        SentValue::Parameter {
            rust_name,
            optional: true,
        } => rust_name.clone(),
        SentValue::Parameter { rust_name, .. } => format!("Some({rust_name})"),
        SentValue::PageNumber { .. } => "Some(number.as_str())".to_owned(),
        SentValue::Offset => "Some(offset.as_str())".to_owned(),
        SentValue::Size => "Some(size.as_str())".to_owned(),
        SentValue::Cursor { index, .. } => {
            format!("cursors.map(|cursors| cursors[{index}].as_str())")
        }
        SentValue::Since => "Some(since)".to_owned(),
    };
    format!("({key}, {value})")
}

/// The statements that place page values and the date in the JSON body `json`, at
/// `indent`: cursors only when the page has them.
pub fn json_inserts(inserts: &[Sent], indent: usize) -> String {
    let insert = |sent: &Sent, indent: usize| {
        // A path through a list of objects names its steps; a path of keys, just the keys.
        let (function, keys): (&str, Vec<String>) = if sent.lists.is_empty() {
            let keys = sent.key.iter().map(|k| rust_string(k)).collect();
            ("runtime::insert_json(", keys)
        } else {
            let steps = sent.key.iter().enumerate().map(|(i, k)| {
                let step = if sent.lists.contains(&i) {
                    "List"
                } else {
                    "Key"
                };
                format!("runtime::Step::{step}({})", rust_string(k))
            });
            ("runtime::insert_json_at(", steps.collect())
        };
        let value = match &sent.value {
            SentValue::PageNumber { first } => format!("page.number({first})?"),
            SentValue::Offset => "page.offset()?".to_owned(),
            SentValue::Size => "page.size".to_owned(),
            SentValue::Cursor { index, .. } => format!("cursors[{index}].as_str()"),
            SentValue::Since => "since".to_owned(),
            SentValue::Parameter { rust_name, .. } => rust_name.clone(),
        };
        let items = vec![
            "&mut json".to_owned(),
            format!("&{}", escape::rust_array(&keys, indent + 4, false)),
            value,
        ];
        layout(&items, function, ");", indent, true)
    };
    let pad = " ".repeat(indent);
    let mut lines = Vec::new();
    let mut cursors_placed = false;
    for sent in inserts {
        match &sent.value {
            SentValue::Cursor { .. } if cursors_placed => {}
            SentValue::Cursor { count, .. } => {
                cursors_placed = true;
                let mut block = format!("{pad}if let Some(cursors) = page.cursors({count})? {{");
                for cursor in inserts
                    .iter()
                    .filter(|s| matches!(s.value, SentValue::Cursor { .. }))
                {
                    block.push_str(&format!("\n{pad}    {}", insert(cursor, indent + 4)));
                }
                block.push_str(&format!("\n{pad}}}"));
                lines.push(block);
            }
            _ => lines.push(format!("{pad}{}", insert(sent, indent))),
        }
    }
    lines.join("\n")
}

/// A paging kind as a `runtime::PagingKind` expression in a constant's field at `indent`,
/// laid out as rustfmt lays out struct literals (on one line only up to 18 columns inside).
pub fn paging_kind(kind: &PagingPlan, indent: usize) -> String {
    let (variant, field) = match kind {
        PagingPlan::PageNumber { first } => ("PageNumber", Some(format!("first: {first}"))),
        PagingPlan::Offset => ("Offset", None),
        PagingPlan::Cursor { cursors } => {
            let items: Vec<String> = cursors.iter().map(|c| rust_string(c)).collect();
            let array = escape::rust_array(&items, indent + 4, false);
            ("Cursor", Some(format!("cursors: &{array}")))
        }
        PagingPlan::NextUrl { next } => ("NextUrl", Some(format!("next: {}", rust_string(next)))),
    };
    let path = format!("runtime::PagingKind::{variant}");
    match field {
        None => path,
        Some(field) if field.len() <= 18 => format!("{path} {{ {field} }}"),
        Some(field) => {
            let pad = " ".repeat(indent);
            format!("{path} {{\n{pad}    {field},\n{pad}}}")
        }
    }
}

/// The Rust type of a setup field in `Config`; `choice` names the enum of a field with
/// allowed values.
pub fn field_type(field: &FieldRef, choice: Option<&str>) -> String {
    let ty = match (field.value_kind, field.secret) {
        (ValueKind::Boolean, _) => "bool",
        (ValueKind::Integer, _) => "i64",
        (ValueKind::Choice, _) => choice.unwrap_or("String"),
        (ValueKind::Text, true) => "Secret",
        (ValueKind::Text, false) => "String",
    };
    if field.optional {
        format!("Option<{ty}>")
    } else {
        ty.to_owned()
    }
}

/// A setup field's value, read from the `Config` at `config` (`self.config`, `config`):
/// a `&str` (a `&String` for a number, which derefs to one where a `&str` is expected), or an
/// `Option<&str>` for an optional field.
pub fn config_str(field: &FieldRef, config: &str) -> String {
    let place = format!("{config}.{}", field.rust_name);
    match (field.value_kind, field.secret, field.optional) {
        (ValueKind::Boolean, _, false) => format!("runtime::bool_str({place})"),
        (ValueKind::Boolean, _, true) => format!("{place}.map(runtime::bool_str)"),
        (ValueKind::Integer, _, false) => format!("&{place}.to_string()"),
        (ValueKind::Integer, _, true) => format!("{place}.map(|v| v.to_string()).as_deref()"),
        (ValueKind::Choice, _, false) => format!("{place}.as_str()"),
        (ValueKind::Choice, _, true) => format!("{place}.map(|v| v.as_str())"),
        (ValueKind::Text, true, false) => format!("{place}.expose()"),
        (ValueKind::Text, true, true) => format!("{place}.as_ref().map(Secret::expose)"),
        (ValueKind::Text, false, false) => format!("{place}.as_str()"),
        (ValueKind::Text, false, true) => format!("{place}.as_deref()"),
    }
}

/// A sample value for a setup field in the README's example: its example, its default, or
/// a description of what goes there.
pub fn example_value(
    field: &FieldRef,
    display_name: &str,
    sample: Option<&str>,
    choice: Option<(&str, &str)>,
) -> String {
    if field.optional {
        return "None".to_owned();
    }
    match field.value_kind {
        ValueKind::Boolean => return sample.unwrap_or("false").to_owned(),
        ValueKind::Integer => return sample.unwrap_or("0").to_owned(),
        ValueKind::Choice => {
            if let Some((ty, variant)) = choice {
                return format!("{ty}::{variant}");
            }
        }
        ValueKind::Text => {}
    }
    let sample = rust_string(&sample.map_or_else(|| format!("your {display_name}"), str::to_owned));
    if field.secret {
        format!("Secret::new({sample})")
    } else {
        format!("{sample}.to_owned()")
    }
}

/// `let {name} = ...;` binding text with setup values to a `String` inside `impl Client`, at
/// `indent`, laid out as rustfmt lays it out.
pub fn let_text(name: &str, template: &TextTemplate, indent: usize) -> String {
    if let Some(text) = template.literal() {
        return format!("let {name} = {}.to_owned();", rust_string(text));
    }
    if let Some(field) = template.single_field() {
        let owned = match field.value_kind {
            ValueKind::Integer => format!("self.config.{}.to_string()", field.rust_name),
            _ => format!("{}.to_owned()", config_str(field, "self.config")),
        };
        return format!("let {name} = {owned};");
    }
    let mut format_string = String::new();
    let mut args = Vec::new();
    for part in &template.parts {
        match part {
            TextPart::Literal { text } => {
                format_string.push_str(&text.replace('{', "{{").replace('}', "}}"))
            }
            TextPart::Field { field } => {
                format_string.push_str("{}");
                args.push(config_str(field, "self.config"));
            }
        }
    }
    let mut items = vec![rust_string(&format_string)];
    items.extend(args);
    let_call_with(name, "format!(", &items, indent, ");")
}

/// The call that checks `value` (a `&str` expression) for the setting or parameter `name`.
pub fn check(check: &ValueCheck, name: &str, value: &str) -> String {
    let name = rust_string(name);
    match check {
        ValueCheck::Pattern { rust_const, .. } => format!("{rust_const}.check({name}, {value})"),
        ValueCheck::HostLabel => format!("runtime::check_host_label({name}, {value})"),
        ValueCheck::HostName => format!("runtime::check_host_name({name}, {value})"),
        ValueCheck::PathSegment => format!("runtime::check_path_segment({name}, {value})"),
        ValueCheck::HeaderValue => format!("runtime::check_header_value({name}, {value})"),
        ValueCheck::ScopeToken => format!("runtime::check_scope_token({name}, {value})"),
        ValueCheck::Url => format!("runtime::check_url({name}, {value})"),
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
                // Checked by `Client::new`: labels, a host name, or a whole URL without a trailing
                // `/`.
                UrlContext::Host | UrlContext::HostName | UrlContext::Origin => value,
                UrlContext::Path => format!("&runtime::percent_encode({value})"),
            }
        }
        UrlPart::Parameter { name, rust_name } => format!(
            "&runtime::encode_path_segment({}, {rust_name})?",
            rust_string(name)
        ),
    }
}

/// The statement at `indent` that appends a piece of a URL to `url`: `push` for one
/// character (as clippy asks), `push_str` otherwise, laid out as rustfmt lays it out.
pub fn push_url_part(part: &UrlPart, indent: usize) -> String {
    match part {
        UrlPart::Literal { text } if text.chars().count() == 1 => {
            format!(
                "url.push({});",
                escape::rust_char(text.chars().next().unwrap_or('/'))
            )
        }
        UrlPart::Parameter { name, rust_name } => nested_call(
            "url.push_str",
            "&runtime::encode_path_segment",
            &[rust_string(name), rust_name.clone()],
            "?",
            ";",
            indent,
        ),
        UrlPart::Field {
            field,
            context: UrlContext::Path,
        } => nested_call(
            "url.push_str",
            "&runtime::percent_encode",
            &[config_str(field, "self.config")],
            "",
            ";",
            indent,
        ),
        _ => format!("url.push_str({});", url_part(part)),
    }
}

/// `{outer}({callee}({items}){suffix}){close}` at `indent`, a call whose one argument is a
/// call, as rustfmt lays it out: on one line when the argument fits rustfmt's call width and
/// the line fits; else with the inner call's arguments one per line (rustfmt overflows the
/// last argument): `Ok(LongTypeName::from(\n    value,\n))`; but on one line again when
/// even `callee(` is wider than the call width (rustfmt finds no layout and keeps the line;
/// both seen on rustfmt itself by `tests/generated_rust.rs` over the imported Adyen client).
fn nested_call(
    outer: &str,
    callee: &str,
    items: &[String],
    suffix: &str,
    close: &str,
    indent: usize,
) -> String {
    let argument = format!("{callee}({}){suffix}", items.join(", "));
    let line = format!("{outer}({argument}){close}");
    // The overflowed argument's first line (`callee(`) must itself fit the call width;
    // where it cannot, rustfmt leaves the line as it is.
    let fits = argument.len() <= FN_CALL_WIDTH && indent + line.len() <= MAX_WIDTH;
    if fits || callee.len() + 1 > FN_CALL_WIDTH {
        return line;
    }
    let pad = " ".repeat(indent + 4);
    let mut text = format!("{outer}({callee}(\n");
    for item in items {
        text.push_str(&pad);
        text.push_str(item);
        text.push_str(",\n");
    }
    text.push_str(&" ".repeat(indent));
    text.push_str(&format!("){suffix}){close}"));
    text
}

/// `Ok({ty}::from(value))` at `indent`, the end of a choice type's `Deserialize`.
pub fn ok_from_value(ty: &str, indent: usize) -> String {
    nested_call(
        "Ok",
        &format!("{ty}::from"),
        &["value".to_owned()],
        "",
        "",
        indent,
    )
}

/// A form field of a token request as an `(&str, &str)` pair.
pub fn form_pair(pair: &FormPair) -> String {
    let value = match &pair.value {
        FormValue::Literal { text } => rust_string(text),
        // In a tuple nothing derefs a `&String` by itself.
        FormValue::Field(field) if field.value_kind == ValueKind::Integer && !field.optional => {
            format!("&*self.config.{}.to_string()", field.rust_name)
        }
        FormValue::Field(field) => config_text(field),
        FormValue::Scope => "scope.as_str()".to_owned(),
    };
    format!("({}, {value})", rust_string(&pair.name))
}

/// How a method of `Client` passes its request's credentials to `Request::api`: the
/// access token argument for OAuth2, `Client::auth` (see [`auth`]) for the rest.
pub fn request_auth(token: TokenUse) -> &'static str {
    match token {
        TokenUse::Required => "runtime::Auth::Bearer(token)",
        TokenUse::Optional => "self.auth(token)",
        TokenUse::None => "self.auth()",
    }
}

/// A setup value as a `&str` that is there: an `Option` a sign-in needs reads as empty when
/// missing (`Client::new` made sure the chosen sign-in's values are given).
pub fn config_text(field: &FieldRef) -> String {
    match (field.optional, field.secret, field.value_kind) {
        (true, true, ValueKind::Text) => {
            format!(
                "runtime::given_secret(&self.config.{}).expose()",
                field.rust_name
            )
        }
        (true, false, ValueKind::Text) => {
            format!("runtime::given_text(&self.config.{})", field.rust_name)
        }
        (true, ..) => format!("{}.unwrap_or_default()", config_str(field, "self.config")),
        (false, ..) => config_str(field, "self.config"),
    }
}

/// A secret setup value as a `&Secret` that is there (see [`config_text`]).
pub fn config_secret(field: &FieldRef) -> String {
    if field.optional {
        format!("runtime::given_secret(&self.config.{})", field.rust_name)
    } else {
        format!("&self.config.{}", field.rust_name)
    }
}

/// `let needs = match config.sign_in_with { ... };` at `indent`: for the chosen sign-in,
/// each setup value it needs, with whether it was given.
pub fn sign_in_needs(sign_ins: &[RustSignIn], indent: usize) -> String {
    let pad = " ".repeat(indent);
    let mut text = "let needs: &[(&'static str, bool)] = match config.sign_in_with {\n".to_owned();
    for sign_in in sign_ins {
        let items: Vec<String> = sign_in
            .needs
            .iter()
            .map(|field| {
                format!(
                    "({}, config.{}.is_some())",
                    rust_string(&field.name),
                    field.rust_name
                )
            })
            .collect();
        text.push_str(&format!(
            "{pad}    SignInWith::{} => &{},\n",
            sign_in.variant,
            escape::rust_array(&items, indent + 4, false)
        ));
    }
    text.push_str(&pad);
    text.push_str("};");
    text
}

/// The body of `Client::auth` for a connector with several sign-ins: a `match` on the chosen
/// one.
pub fn sign_in_auth(sign_ins: &[RustSignIn], indent: usize) -> String {
    use crate::model::ApiKeyPlacement;
    let pad = " ".repeat(indent);
    let mut text = "match self.config.sign_in_with {\n".to_owned();
    for sign_in in sign_ins {
        let expression = match &sign_in.auth {
            AuthModel::None => "runtime::Auth::None".to_owned(),
            AuthModel::Oauth2(_) => {
                "token.map_or(runtime::Auth::None, runtime::Auth::Bearer)".to_owned()
            }
            AuthModel::ApiKey { key, placement } => {
                let (variant, place, name) = match placement {
                    ApiKeyPlacement::Header { name, .. } => ("ApiKeyHeader", "header", name),
                    ApiKeyPlacement::Query { name } => ("ApiKeyQuery", "parameter", name),
                };
                format!(
                    "runtime::Auth::{variant} {{\n{pad}        {place}: {},\n{pad}        key: {},\n{pad}    }}",
                    rust_string(name),
                    config_secret(key)
                )
            }
            AuthModel::Basic { username, password } => {
                let password = password
                    .as_ref()
                    .map_or_else(|| rust_string(""), config_text);
                format!(
                    "runtime::Auth::Basic {{\n{pad}        user: {},\n{pad}        password: {password},\n{pad}    }}",
                    config_text(username)
                )
            }
        };
        text.push_str(&format!(
            "{pad}    SignInWith::{} => {expression},\n",
            sign_in.variant
        ));
    }
    text.push_str(&pad);
    text.push('}');
    text
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
                ApiKeyPlacement::Header {
                    prefix: Some(_), ..
                } => "runtime::Auth::None".to_owned(),
                ApiKeyPlacement::Header { name, prefix: None } => format!(
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

/// `let {name} = {callee}{items})?;` at `indent`, laid out as rustfmt lays out a `let`: on one
/// line if it fits; else the call on the next line, if it fits there on one; else its
/// arguments one per line.
fn let_call(name: &str, callee: &str, items: &[String], indent: usize) -> String {
    let_call_with(name, callee, items, indent, ")?;")
}

/// [`let_call`] ending in `close` (`);` or `)?;`).
fn let_call_with(name: &str, callee: &str, items: &[String], indent: usize, close: &str) -> String {
    let args = items.join(", ");
    let rhs = format!("{callee}{args}{close}");
    let line = format!("let {name} = {rhs}");
    if args.len() <= FN_CALL_WIDTH && indent + line.len() <= MAX_WIDTH {
        return line;
    }
    if args.len() <= FN_CALL_WIDTH && indent + 4 + rhs.len() <= MAX_WIDTH {
        return format!("let {name} =\n{}{rhs}", " ".repeat(indent + 4));
    }
    layout(
        items,
        &format!("let {name} = {callee}"),
        close,
        indent,
        true,
    )
}

/// The statements that add headers and the rate limit to `request` in a `Client` method at
/// `indent`: the connector's headers (`connector`), the method's own (`own`), then the
/// limit that applies (the method's own, else the connector's).
pub fn request_extras(
    connector: &[HeaderModel],
    own: &[HeaderModel],
    limit: Option<(&str, &RateLimitModel)>,
    indent: usize,
) -> String {
    let pad = " ".repeat(indent);
    let mut lines = Vec::new();
    for header in connector.iter().chain(own) {
        lines.push(let_text("value", &header.value, indent));
        let items = [
            rust_string(&header.name),
            "value".to_owned(),
            header.secret.to_string(),
        ];
        lines.push(let_call_with(
            "request",
            "request.with_header(",
            &items,
            indent,
            ");",
        ));
    }
    if let Some((scope, limit)) = limit {
        lines.push(let_call_with(
            "request",
            "request.with_rate_limit(",
            &[rate_limit(scope, limit)],
            indent,
            ");",
        ));
    }
    lines.iter().map(|line| format!("{pad}{line}\n")).collect()
}

/// A `runtime::RateLimit` expression for `limit`, spacing requests of `scope`.
pub fn rate_limit(scope: &str, limit: &RateLimitModel) -> String {
    match limit {
        RateLimitModel::RequestsPerSecond { requests } => format!(
            "runtime::RateLimit::per_second({}, {requests})",
            rust_string(scope)
        ),
        RateLimitModel::SecondsBetweenRequests { seconds } => format!(
            "runtime::RateLimit::every({}, {})",
            rust_string(scope),
            u64::from(*seconds) * 1000
        ),
    }
}

/// `let request = Client::{fn_name}(...)?;` for the connection check at `indent`: the
/// token, no optional values, the first page.
pub fn check_call(args: &[RustArg], fn_name: &str, indent: usize) -> String {
    let mut items = vec!["self.client()".to_owned()];
    items.extend(args.iter().map(|arg| match &arg.kind {
        ArgKind::Token => "&token".to_owned(),
        ArgKind::OptionalToken => "token.as_ref()".to_owned(),
        ArgKind::Page { page_size } => format!("&PageRequest::first({page_size})"),
        _ => "None".to_owned(),
    }));
    let_call("request", &format!("Client::{fn_name}("), &items, indent)
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

    use super::MemberLayout;
    use crate::model::rust::{ArgKind, ByteRange, Presence, RustArg, RustType};
    use crate::model::{FieldRef, UrlPart, ValueCheck};

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

    /// A type of the Rust model (`RustType`), as its serde form holds it.
    pub fn rust_type(value: &Value) -> Result<RustType, Error> {
        const WHAT: &str = "a Rust type";
        Ok(match string(value, "kind", WHAT)?.as_str() {
            "string" => RustType::String,
            "integer" => RustType::Integer,
            "float" => RustType::Float,
            "boolean" => RustType::Boolean,
            "json" => RustType::Json,
            "named" => RustType::Named {
                name: string(value, "name", WHAT)?,
            },
            "list" => RustType::List {
                item: Box::new(rust_type(&value.get_attr("item")?)?),
            },
            _ => return Err(missing("kind", WHAT)),
        })
    }

    /// What the member filters need of a struct member.
    pub fn member(value: &Value) -> Result<MemberLayout, Error> {
        const WHAT: &str = "a struct member";
        let key = value.get_attr("key")?;
        let key = match key.as_str() {
            Some(key) => Some(key.to_owned()),
            None if key.is_none() => None,
            None => return Err(missing("key", WHAT)),
        };
        let presence = match string(value, "presence", WHAT)?.as_str() {
            "required" => Presence::Required,
            "optional" => Presence::Optional,
            "defaulted" => Presence::Defaulted,
            "flattened" => Presence::Flattened,
            _ => return Err(missing("presence", WHAT)),
        };
        let read_only = value.get_attr("read_only")?;
        Ok(MemberLayout {
            key,
            ty: rust_type(&value.get_attr("ty")?)?,
            presence,
            read_only: read_only.is_true(),
        })
    }

    /// A model value the template passed back, read as its Rust type.
    pub fn typed<T: serde::de::DeserializeOwned>(value: &Value, what: &str) -> Result<T, Error> {
        let json = serde_json::to_value(value)
            .map_err(|e| super::invalid(format!("{what} that is not data: {e}")))?;
        serde_json::from_value(json).map_err(|e| super::invalid(format!("not {what}: {e}")))
    }

    pub fn field(value: &Value) -> Result<FieldRef, Error> {
        const WHAT: &str = "a setup field";
        let kind = value.get_attr("value_kind")?;
        // A `FieldModel` says apart whether the Rust client holds the value as an `Option`
        // because a sign-in alone needs it.
        let sign_in_only = value.get_attr("sign_in_only")?.is_true();
        Ok(FieldRef {
            name: string(value, "name", WHAT)?,
            rust_name: string(value, "rust_name", WHAT)?,
            secret: flag(value, "secret", WHAT)?,
            optional: flag(value, "optional", WHAT)? || sign_in_only,
            value_kind: typed(&kind, WHAT)?,
        })
    }

    pub fn arg(value: &Value) -> Result<RustArg, Error> {
        const WHAT: &str = "a method argument";
        let kind = value.get_attr("kind")?;
        let kind = match kind.as_str() {
            Some("token") => ArgKind::Token,
            Some("optional_token") => ArgKind::OptionalToken,
            Some("text") => ArgKind::Text,
            Some("optional_text") => ArgKind::OptionalText,
            _ => {
                let variant = |name: &str| {
                    kind.get_attr(name)
                        .ok()
                        .filter(|value| !value.is_undefined())
                };
                if let Some(page) = variant("page") {
                    ArgKind::Page {
                        page_size: number(&page, "page_size", WHAT)?,
                    }
                } else if let Some(page) = variant("page_size") {
                    ArgKind::PageSize {
                        page_size: number(&page, "page_size", WHAT)?,
                    }
                } else if let Some(body) = variant("body") {
                    ArgKind::Body {
                        type_name: string(&body, "type_name", WHAT)?,
                    }
                } else if let Some(since) = variant("since") {
                    ArgKind::Since {
                        format: string(&since, "format", WHAT)?,
                        sample: string(&since, "sample", WHAT)?,
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
        typed(value, "a value check")
    }

    pub fn url_part(value: &Value) -> Result<UrlPart, Error> {
        const WHAT: &str = "a URL part";
        Ok(match string(value, "kind", WHAT)?.as_str() {
            "literal" => UrlPart::Literal {
                text: string(value, "text", WHAT)?,
            },
            "field" => UrlPart::Field {
                field: field(&value.get_attr("field")?)?,
                context: typed(&value.get_attr("context")?, WHAT)?,
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
        let choice = field.get_attr("rust_type")?;
        Ok::<_, Error>(safe(field_type(&read::field(&field)?, choice.as_str())))
    });
    env.add_filter(
        "rust_request_extras",
        |own: Value, connector: Value, limit: Value, indent: usize| {
            let connector: Vec<HeaderModel> = read::typed(&connector, "headers")?;
            let own: Vec<HeaderModel> = read::typed(&own, "headers")?;
            let limit: Option<RustRateLimit> = read::typed(&limit, "a rate limit")?;
            let limit = limit.as_ref().map(|l| (l.scope.as_str(), &l.limit));
            Ok::<_, Error>(safe(request_extras(&connector, &own, limit, indent)))
        },
    );
    // A URL template as the client's docs show it: `{Name}` where a value goes.
    env.add_filter("doc_url", |template: &str| {
        crate::placeholder::Template::parse(template)
            .map(|parsed| parsed.fill(|name| format!("{{{name}}}")))
            .map_err(|e| invalid(format!("a URL template that does not parse: {}", e.reason)))
    });
    // One arm of a setting's `as_str`: `Type::Variant => "value",` as rustfmt lays it out.
    env.add_filter(
        "rust_choice_arm",
        |choice: Value, type_name: &str, indent: usize| {
            let variant = read::string(&choice, "variant", "a choice")?;
            let value = read::string(&choice, "value", "a choice")?;
            let path = format!(
                "{}::{}",
                checked_ident(type_name)?,
                checked_ident(&variant)?
            );
            Ok::<_, Error>(safe(match_arm(&path, &rust_string(&value), indent)))
        },
    );
    env.add_filter(
        "rust_check_call",
        |args: Vec<Value>, fn_name: &str, indent: usize| {
            let fn_name = checked_ident(fn_name)?;
            Ok::<_, Error>(safe(check_call(&read::args(&args)?, fn_name, indent)))
        },
    );
    env.add_filter(
        "rust_let_text",
        |value: Value, name: &str, indent: usize| {
            let name = checked_ident(name)?;
            let template: TextTemplate = read::typed(&value, "text with setup values")?;
            Ok::<_, Error>(safe(let_text(name, &template, indent)))
        },
    );
    env.add_filter("rust_config_str", |field: Value, config: &str| {
        if !matches!(config, "config" | "self.config") {
            return Err(invalid(format!("`{config}` is not a Config expression")));
        }
        Ok(safe(config_str(&read::field(&field)?, config)))
    });
    env.add_filter(
        "rust_example_value",
        |field: Value, display_name: &str, sample: Option<&str>, needed: Option<bool>| {
            let choice_type = field.get_attr("rust_type")?;
            // The variant of the sample value, else the first.
            let mut variant = Value::UNDEFINED;
            for choice in field.get_attr("choices")?.try_iter()? {
                let value = choice.get_attr("value")?;
                if variant.is_undefined() || value.as_str() == sample {
                    variant = choice.get_attr("variant")?;
                }
            }
            let choice = choice_type.as_str().zip(variant.as_str());
            let mut field = read::field(&field)?;
            // A value the default sign-in needs, held as an `Option`: given in the example.
            if needed == Some(true) {
                field.optional = false;
                let value = example_value(&field, display_name, sample, choice);
                return Ok::<_, Error>(safe(format!("Some({value})")));
            }
            Ok::<_, Error>(safe(example_value(&field, display_name, sample, choice)))
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
    env.add_filter("rust_push_url_part", |part: Value, indent: usize| {
        Ok::<_, Error>(safe(push_url_part(&read::url_part(&part)?, indent)))
    });
    env.add_filter("rust_ok_from_value", |ty: String, indent: usize| {
        safe(ok_from_value(&ty, indent))
    });
    env.add_filter("rust_auth", |model: Serde<AuthModel>, indent: usize| {
        let text = auth(&model.0)
            .ok_or_else(|| invalid("OAuth2 methods take their token as an argument".into()))?;
        Ok(safe(
            text.replace('\n', &format!("\n{}", " ".repeat(indent))),
        ))
    });
    env.add_filter("rust_request_auth", |token: Serde<TokenUse>| {
        safe(request_auth(token.0).to_owned())
    });
    env.add_filter("rust_config_text", |field: Value| {
        Ok::<_, Error>(safe(config_text(&read::field(&field)?)))
    });
    env.add_filter("rust_config_secret", |field: Value| {
        Ok::<_, Error>(safe(config_secret(&read::field(&field)?)))
    });
    env.add_filter(
        "rust_sign_in_needs",
        |sign_ins: Serde<Vec<RustSignIn>>, indent: usize| safe(sign_in_needs(&sign_ins.0, indent)),
    );
    env.add_filter(
        "rust_sign_in_auth",
        |sign_ins: Serde<Vec<RustSignIn>>, indent: usize| safe(sign_in_auth(&sign_ins.0, indent)),
    );
    env.add_filter("rust_type_of", |ty: Value| {
        Ok::<_, Error>(safe(rust_type(&read::rust_type(&ty)?)))
    });
    env.add_filter("rust_member_type", |member: Value| {
        Ok::<_, Error>(safe(member_type(&read::member(&member)?)))
    });
    env.add_filter("rust_serde_attributes", |member: Value, indent: usize| {
        Ok::<_, Error>(safe(serde_attributes(&read::member(&member)?, indent)))
    });
    env.add_filter(
        "rust_enum_arms",
        |def: Serde<EnumDef>, direction: &str, indent: usize| {
            let from = match direction {
                "as_str" => false,
                "from" => true,
                _ => return Err(invalid(format!("`{direction}` is neither as_str nor from"))),
            };
            Ok(safe(enum_arms(&def.0, from, indent)?))
        },
    );
    env.add_filter(
        "rust_signature",
        |args: Vec<Value>,
         of: &str,
         name: &str,
         indent: usize,
         returns: Option<Serde<RustType>>| {
            let name = checked_ident(name)?;
            let args = read::args(&args)?;
            let returns = returns.map(|r| rust_type(&r.0));
            let (receiver, lifetime, returns) = match (of, returns) {
                ("client", None) => ("&self", None, "Result<Request, Error>".to_owned()),
                ("connection", Some(returns)) => {
                    ("&mut self", None, format!("Result<{returns}, Error>"))
                }
                ("pages", Some(page)) if args.iter().any(borrows) => {
                    ("&'a mut self", Some("'a"), format!("Pages<'a, T, {page}>"))
                }
                ("pages", Some(page)) => ("&mut self", None, format!("Pages<'_, T, {page}>")),
                _ => {
                    return Err(invalid(format!(
                        "`{of}` is not client, connection or pages (with the type they return)"
                    )));
                }
            };
            let mut params = vec![receiver.to_owned()];
            params.extend(args.iter().map(|arg| param(arg, lifetime)));
            let generics = lifetime.map_or_else(String::new, |l| format!("<{l}>"));
            let open = format!("pub fn {name}{generics}(");
            let close = format!(") -> {returns} {{");
            Ok(safe(layout(&params, &open, &close, indent, false)))
        },
    );
    env.add_filter(
        "rust_client_call",
        |args: Vec<Value>, receiver: &str, name: &str, indent: usize| {
            if !matches!(receiver, "self" | "connection") {
                return Err(invalid(format!("`{receiver}` is not a connection")));
            }
            let name = checked_ident(name)?;
            let mut items = vec![format!("{receiver}.client()")];
            items.extend(read::args(&args)?.iter().map(call_arg));
            Ok(safe(let_call(
                "request",
                &format!("Client::{name}("),
                &items,
                indent,
            )))
        },
    );
    env.add_filter(
        "rust_example_args",
        |args: Vec<Value>, body_default: bool| {
            let args = read::args(&args)?;
            Ok::<_, Error>(safe(
                args.iter()
                    .map(|arg| example_arg(arg, body_default))
                    .collect::<Vec<_>>()
                    .join(", "),
            ))
        },
    );
    env.add_filter("rust_query_local", |local: Serde<PageLocal>| {
        safe(query_local(&local.0))
    });
    env.add_filter(
        "rust_query_pairs",
        |query: Serde<Vec<Sent>>, indent: usize| {
            let items: Vec<String> = query.0.iter().map(query_pair).collect();
            safe(escape::rust_array(&items, indent, false))
        },
    );
    env.add_filter(
        "rust_json_inserts",
        |inserts: Serde<Vec<Sent>>, indent: usize| safe(json_inserts(&inserts.0, indent)),
    );
    env.add_filter(
        "rust_paging_kind",
        |kind: Serde<PagingPlan>, indent: usize| safe(paging_kind(&kind.0, indent)),
    );
    env.add_filter("rust_form_pair", |pair: Serde<FormPair>| {
        safe(form_pair(&pair.0))
    });
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
        assert_eq!(param(&body, None), "body: &ListPeopleBody");
        assert_eq!(param(&body, Some("'a")), "body: &'a ListPeopleBody");
        assert_eq!(call_arg(&body), "body");
        assert_eq!(example_arg(&body, true), "&ListPeopleBody::default()");
        assert_eq!(example_arg(&body, false), "&todo!(\"the request body\")");
        let token = arg("token", ArgKind::Token);
        assert_eq!(param(&token, Some("'a")), "token: &AccessToken");
        assert_eq!(call_arg(&token), "&token");
        let page = arg("page", ArgKind::Page { page_size: 50 });
        assert_eq!(param(&page, None), "page: &PageRequest");
        assert_eq!(example_arg(&page, true), "&PageRequest::first(50)");
        let size = arg("page_size", ArgKind::PageSize { page_size: 50 });
        assert_eq!(param(&size, Some("'a")), "page_size: u32");
        assert!(!borrows(&size));
        assert_eq!(
            param(&arg("role", ArgKind::OptionalText), Some("'a")),
            "role: Option<&'a str>"
        );
        let since = ArgKind::Since {
            format: "yyyy-MM-dd".to_owned(),
            sample: "2024-01-31".to_owned(),
        };
        assert_eq!(example_arg(&arg("since", since), true), "\"2024-01-31\"");
    }

    #[test]
    fn members_carry_their_key_and_how_a_missing_value_reads() {
        let member = |presence| Member {
            read_only: false,
            name: "first_name".to_owned(),
            key: Some("FirstName".to_owned()),
            ty: RustType::String,
            presence,
            doc: crate::model::rust::MemberDoc::Items,
        };
        let optional = member(Presence::Optional);
        assert_eq!(member_type(&(&optional).into()), "Option<String>");
        assert_eq!(
            serde_attributes(&(&optional).into(), 4),
            "    #[serde(rename = \"FirstName\")]\n    #[serde(default, skip_serializing_if = \"Option::is_none\")]"
        );
        let defaulted = member(Presence::Defaulted);
        assert_eq!(member_type(&(&defaulted).into()), "String");
        assert!(serde_attributes(&(&defaulted).into(), 4).ends_with("#[serde(default)]"));
        let flattened = Member {
            key: None,
            ..member(Presence::Flattened)
        };
        assert_eq!(
            serde_attributes(&(&flattened).into(), 4),
            "    #[serde(flatten)]"
        );
        let list = RustType::Named {
            name: "Person".to_owned(),
        }
        .list();
        assert_eq!(rust_type(&list), "Vec<Person>");
        assert_eq!(rust_type(&RustType::Json), "serde_json::Value");
    }

    #[test]
    fn page_values_go_in_the_query_or_the_body() {
        let sent = |key: &[&str], value| Sent {
            lists: Vec::new(),
            key: key.iter().map(|k| (*k).to_owned()).collect(),
            value,
        };
        assert_eq!(
            query_pair(&sent(&["page"], SentValue::PageNumber { first: 1 })),
            "(\"page\", Some(number.as_str()))"
        );
        assert_eq!(
            query_pair(&sent(&["after"], SentValue::Cursor { index: 1, count: 2 })),
            "(\"after\", cursors.map(|cursors| cursors[1].as_str()))"
        );
        assert_eq!(
            query_local(&PageLocal::Number { first: 0 }),
            "let number = page.number(0)?.to_string();"
        );
        let inserts = [
            sent(&["after"], SentValue::Cursor { index: 0, count: 1 }),
            sent(&["limit"], SentValue::Size),
            sent(&["filter", "since"], SentValue::Since),
        ];
        assert_eq!(
            json_inserts(&inserts, 8),
            "        if let Some(cursors) = page.cursors(1)? {\n            runtime::insert_json(&mut json, &[\"after\"], cursors[0].as_str());\n        }\n        runtime::insert_json(&mut json, &[\"limit\"], page.size);\n        runtime::insert_json(&mut json, &[\"filter\", \"since\"], since);"
        );
        assert_eq!(
            paging_kind(&PagingPlan::PageNumber { first: 0 }, 4),
            "runtime::PagingKind::PageNumber { first: 0 }"
        );
        assert_eq!(
            paging_kind(
                &PagingPlan::NextUrl {
                    next: "/next_page_uri".to_owned()
                },
                4
            ),
            "runtime::PagingKind::NextUrl {\n        next: \"/next_page_uri\",\n    }"
        );
    }

    #[test]
    fn match_arms_too_wide_go_in_a_block() {
        assert_eq!(match_arm("A::B", "\"b\"", 12), "A::B => \"b\",");
        let long = format!("\"{}\"", "x".repeat(90));
        assert_eq!(
            match_arm("A::B", &long, 12),
            format!("A::B => {{\n                {long}\n            }}")
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
        // A call as the one argument of a call: as rustfmt wrote the imported Adyen client.
        let segment = |name: &str, value: &str| {
            nested_call(
                "url.push_str",
                "&runtime::encode_path_segment",
                &[format!("{name:?}"), value.to_owned()],
                "?",
                ";",
                8,
            )
        };
        assert_eq!(
            segment("DisputeId", "dispute_id"),
            r#"url.push_str(&runtime::encode_path_segment("DisputeId", dispute_id)?);"#
        );
        assert_eq!(
            segment("AttachmentId", "attachment_id"),
            "url.push_str(&runtime::encode_path_segment(\n            \"AttachmentId\",\n            attachment_id,\n        )?);"
        );
        assert_eq!(
            ok_from_value("PatchableDisputeRequestNotDeliveredInfoWhoCancelled", 8),
            "Ok(PatchableDisputeRequestNotDeliveredInfoWhoCancelled::from(\n            value,\n        ))"
        );
        assert_eq!(
            ok_from_value(
                "PatchableDisputeRequestNotDeliveredInfoWhatWasNotDelivered",
                8
            ),
            "Ok(PatchableDisputeRequestNotDeliveredInfoWhatWasNotDelivered::from(value))"
        );
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
