//! The model: a checked definition resolved into everything the templates print.
//!
//! Every decision is made here, once, in Rust: Cyclr enum spellings, which parameter is a
//! merge field, Rust identifiers and types, the parts of each URL and how each placeholder
//! value is checked. Templates only lay the model out; they never decide.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::definition::{
    AuthKind, Block, ClientAuth, CodeBlock, DataType, Definition, Field, HttpMethod, Image, Method,
    OAuth2Flow, PageShape, Parameter, ParameterLocation, SetBy,
};
use crate::naming::{pascal_ident, snake_ident};
use crate::pattern::CompiledPattern;
use crate::placeholder::{Part, Template, UrlContext};
use crate::validate::Checked;

/// One connector, ready to render.
#[derive(Debug, Clone, Serialize)]
pub struct Connector {
    /// The slug that names output files.
    pub id: String,
    /// The display name.
    pub name: String,
    /// One sentence about the vendor's product.
    pub description: String,
    /// The vendor API's version.
    pub api_version: Option<String>,
    /// The definition's path as given, with `/` separators, for "generated from" headers.
    pub source: String,
    /// The docs page.
    pub docs: DocsPage,
    /// Authentication.
    pub auth: AuthModel,
    /// Setup fields.
    pub fields: Vec<FieldModel>,
    /// The API base URL.
    pub base_url: UrlModel,
    /// The API calls.
    pub methods: Vec<MethodModel>,
    /// The validation patterns the Rust client checks, each once.
    pub patterns: Vec<PatternModel>,
    /// Connector-level paging for Cyclr: the default page size of the paged methods.
    pub page_size: Option<u32>,
    /// Which helpers the Rust client needs, so it defines no unused code.
    pub uses: RustUses,
    /// The Rust client as a crate of its own.
    pub rust_crate: RustCrate,
}

/// The generated crate's names and the usage example its README shows (and doc-tests).
#[derive(Debug, Clone, Serialize)]
pub struct RustCrate {
    /// The package name, `<id>-client`.
    pub name: String,
    /// The library name, `<id>_client`.
    pub lib: String,
    /// A function that lists the connector's first method through any transport.
    pub example: String,
}

/// The helpers and imports the generated Rust client needs.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct RustUses {
    /// Pattern checks.
    pub check: bool,
    /// The DNS-label check for values in host names.
    pub host_label: bool,
    /// The DNS-name check for values that are whole host names.
    pub host_name: bool,
    /// Path-segment checks and encoding.
    pub path_segment: bool,
    /// Path-segment encoding of method arguments.
    pub path_parameter: bool,
    /// Form encoding (token requests, query strings).
    pub form: bool,
    /// Query strings.
    pub query: bool,
    /// The `Page` type and its check.
    pub page: bool,
    /// HTTP Basic encoding.
    pub basic: bool,
    /// `serde::Serialize`, for request bodies.
    pub serialize: bool,
    /// `serde::Deserialize`, for token responses.
    pub deserialize: bool,
}

/// The docs page.
#[derive(Debug, Clone, Serialize)]
pub struct DocsPage {
    /// The page title.
    pub title: String,
    /// The permalink, which also names the output file.
    pub permalink: String,
    /// The page layout.
    pub shape: PageShape,
    /// Front-matter tags.
    pub tags: Vec<String>,
    /// The Partner Setup section, with placeholders written `{{Name}}`.
    pub partner_setup: Vec<DocsBlock>,
}

/// One block of the Partner Setup section.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DocsBlock {
    /// A paragraph of inline Markdown.
    Paragraph {
        /// The text.
        text: String,
    },
    /// A `####` heading.
    Heading {
        /// The text.
        text: String,
    },
    /// A screenshot.
    Image(Image),
    /// A code block.
    Code(CodeBlock),
    /// Bulleted steps.
    Steps {
        /// The steps.
        steps: Vec<DocsStep>,
    },
}

/// One bulleted step.
#[derive(Debug, Clone, Serialize)]
pub struct DocsStep {
    /// What to do, inline Markdown with placeholders written `{{Name}}`.
    pub text: String,
    /// A code block after the text.
    pub code: Option<CodeBlock>,
    /// A screenshot after the text.
    pub image: Option<Image>,
}

/// Authentication, resolved.
#[derive(Debug, Clone, Serialize)]
pub struct AuthModel {
    /// `none`, `api_key`, `basic` or `oauth2`.
    pub kind: &'static str,
    /// Cyclr's `AuthType`.
    pub cyclr_auth_type: &'static str,
    /// Cyclr's `OAuth2Type`, for OAuth2.
    pub cyclr_oauth2_type: Option<&'static str>,
    /// `password`, `authorization_code` or `client_credentials`, for OAuth2.
    pub flow: Option<&'static str>,
    /// The OAuth2 `grant_type` of the token request.
    pub grant_type: Option<&'static str>,
    /// The grant's own form fields of the token request (password and client credentials),
    /// as Rust `(name, value)` pairs; the client credentials are added by the client.
    pub token_grant: Vec<String>,
    /// The authorisation endpoint.
    pub authorize_url: Option<UrlModel>,
    /// The token endpoint.
    pub token_url: Option<UrlModel>,
    /// The scopes, space-separated as the token request sends them.
    pub scope: Option<String>,
    /// Whether client credentials go in a Basic header rather than the body.
    pub client_auth_basic: bool,
    /// The field holding the client id.
    pub client_id: Option<FieldRef>,
    /// The field holding the client secret.
    pub client_secret: Option<FieldRef>,
    /// The field holding the user name.
    pub username: Option<FieldRef>,
    /// The field holding the password.
    pub password: Option<FieldRef>,
    /// The field holding the API key.
    pub api_key: Option<FieldRef>,
    /// The header carrying the API key (Cyclr's `AuthScheme`).
    pub api_key_header: Option<String>,
    /// The query parameter carrying the API key.
    pub api_key_query: Option<String>,
}

/// A setup field named by an auth setting.
#[derive(Debug, Clone, Serialize)]
pub struct FieldRef {
    /// The field's name.
    pub name: String,
    /// Its Rust identifier.
    pub rust_name: String,
    /// Whether it is secret.
    pub secret: bool,
    /// Whether it may be empty.
    pub optional: bool,
}

/// One setup field.
#[derive(Debug, Clone, Serialize)]
pub struct FieldModel {
    /// Name and placeholder (Cyclr's `TargetName`).
    pub name: String,
    /// The label shown.
    pub display_name: String,
    /// What the value is.
    pub description: String,
    /// Whether it is a credential.
    pub secret: bool,
    /// Whether it may be empty.
    pub optional: bool,
    /// Set once by the partner (`IsPartnerProperty`) rather than per account.
    pub partner_property: bool,
    /// The value used when none is entered.
    pub default: Option<String>,
    /// The pattern values must match.
    pub pattern: Option<PatternRef>,
    /// The Rust field name.
    pub rust_name: String,
    /// The Rust type of the field.
    pub rust_type: &'static str,
    /// Whether the value lands in part of a URL's host name, which restricts it to a DNS label.
    pub in_host: bool,
    /// Whether the value is a URL's whole host name, which restricts it to a DNS name.
    pub is_host_name: bool,
    /// Whether the value lands in a URL's path, which needs it to be a valid segment.
    pub in_path: bool,
    /// Cyclr's `TargetType`: `MergeField`, or `QueryString` for an API key sent in the query.
    pub cyclr_target_type: &'static str,
    /// Cyclr's `TargetName`: the field's name, or the query parameter that carries it.
    pub cyclr_target_name: String,
}

/// A URL template, split for each target.
#[derive(Debug, Clone, Serialize)]
pub struct UrlModel {
    /// As written in the definition, with `<<Name>>` placeholders.
    pub template: String,
    /// With Cyclr `{{Name}}` merge fields.
    pub merge_fields: String,
    /// Literal runs and placeholders, in order.
    pub parts: Vec<UrlPart>,
}

/// One piece of a URL template.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum UrlPart {
    /// Text taken as written.
    Literal {
        /// The text.
        text: String,
    },
    /// A setup field's value.
    Field {
        /// The field's name.
        name: String,
        /// Its Rust identifier.
        rust_name: String,
        /// Where it stands.
        context: UrlContext,
    },
    /// A method parameter's value.
    Parameter {
        /// The parameter's name.
        name: String,
        /// Its Rust identifier.
        rust_name: String,
        /// Where it stands.
        context: UrlContext,
    },
}

/// One API call.
#[derive(Debug, Clone, Serialize)]
pub struct MethodModel {
    /// The method's name.
    pub name: String,
    /// What it does.
    pub description: String,
    /// Its group.
    pub category: String,
    /// The verb in capitals (`POST`).
    pub http_method: &'static str,
    /// The verb as Cyclr and the Rust client's enum write it (`Post`).
    pub http_method_title: &'static str,
    /// The Rust function name.
    pub rust_name: String,
    /// The Rust type of the request body, if the method has one.
    pub body_type: Option<String>,
    /// The full endpoint: base URL, `/`, path.
    pub endpoint: UrlModel,
    /// The path's parts after the base URL, starting with `/`.
    pub path_parts: Vec<UrlPart>,
    /// All parameters, path ones first, in declaration order.
    pub parameters: Vec<ParameterModel>,
    /// The query parameters.
    pub query_parameters: Vec<ParameterModel>,
    /// The body fields, without the paging fields.
    pub body_fields: Vec<BodyFieldModel>,
    /// Paging, for list methods.
    pub paging: Option<PagingModel>,
    /// The Rust function's parameters after `&self`, as `name: Type`.
    pub rust_params: Vec<String>,
    /// The parameters of the `Connection` method: those of the client's, less the token.
    pub connection_params: Vec<String>,
    /// The arguments the `Connection` method passes to the client's method.
    pub connection_args: Vec<String>,
    /// Whether the `Connection` method's signature fits on one line.
    pub connection_signature_fits: bool,
    /// Whether the `Connection` method's call of the client fits on one line.
    pub connection_call_fits: bool,
    /// The query parameters as Rust `(name, Option<&str>)` pairs.
    pub rust_query_pairs: Vec<String>,
    /// Whether the Rust signature fits on one line (rustfmt's 100 columns).
    pub rust_signature_fits: bool,
}

/// One method parameter.
#[derive(Debug, Clone, Serialize)]
pub struct ParameterModel {
    /// Name and placeholder (Cyclr's `TargetName`).
    pub name: String,
    /// The label shown.
    pub display_name: String,
    /// What the value is.
    pub description: String,
    /// Cyclr's `TargetType`: `MergeField` for path parameters, `QueryString` for query ones.
    pub cyclr_target_type: &'static str,
    /// Whether it is a query parameter.
    pub in_query: bool,
    /// Whether it may be left out.
    pub optional: bool,
    /// The pattern values must match.
    pub pattern: Option<PatternRef>,
    /// The Rust argument name.
    pub rust_name: String,
}

/// One body field.
#[derive(Debug, Clone, Serialize)]
pub struct BodyFieldModel {
    /// The key in the vendor's JSON (Cyclr's `ConnectorField`).
    pub name: String,
    /// The label shown.
    pub display_name: String,
    /// What the value is.
    pub description: String,
    /// Cyclr's data type name (`Text`, `Integer`...).
    pub cyclr_data_type: &'static str,
    /// Whether it may be left out.
    pub optional: bool,
    /// The Rust field name.
    pub rust_name: String,
    /// The Rust type, without `Option`.
    pub rust_type: &'static str,
}

/// Paging through the request body.
#[derive(Debug, Clone, Serialize)]
pub struct PagingModel {
    /// The body key of the page index.
    pub page_index_field: String,
    /// The body key of the page size.
    pub page_size_field: String,
    /// The first page's index.
    pub first_page: u32,
    /// The default page size.
    pub page_size: u32,
    /// The largest page size.
    pub max_page_size: u32,
}

/// A field's or parameter's pattern, pointing at the compiled pattern that checks it.
#[derive(Debug, Clone, Serialize)]
pub struct PatternRef {
    /// The pattern as written.
    pub source: String,
    /// The Rust function that checks it.
    pub check_fn: String,
}

/// A compiled pattern, laid out for the Rust client's table-driven matcher.
#[derive(Debug, Clone, Serialize)]
pub struct PatternModel {
    /// The pattern as written.
    pub source: String,
    /// The Rust function that checks it.
    pub check_fn: String,
    /// Byte classes after class 0, as Rust match patterns (`b'0'..=b'9' | b'-'`), in order.
    pub classes: Vec<String>,
    /// The number of byte classes.
    pub class_count: usize,
    /// One row per state, as a Rust array literal (`[0, 2, 3]`): the next state for each
    /// class. Written out here, once, because a template formatting hundreds of numbers one
    /// by one was a measurable share of generation time.
    pub transitions: Vec<String>,
    /// Whether each state accepts at the end of the value.
    pub accepting: Vec<bool>,
}

impl Connector {
    /// Builds the model of a checked definition read from `source`.
    pub fn new(checked: &Checked, source: &str) -> Self {
        let definition = &checked.definition;
        let mut patterns = PatternTable::new(&checked.patterns);
        // Number the setup fields' patterns first, in field order, then the parameters'.
        for pattern in definition
            .fields
            .iter()
            .filter_map(|f| f.pattern.as_deref())
        {
            patterns.reference(pattern);
        }
        let methods: Vec<MethodModel> = definition
            .methods
            .iter()
            .map(|method| method_model(definition, method, &mut patterns))
            .collect();
        let auth = auth_model(definition);
        let base_url = url_model(&definition.base_url, definition, None);
        let mut urls: Vec<&[UrlPart]> = vec![&base_url.parts];
        urls.extend(
            auth.token_url
                .iter()
                .chain(&auth.authorize_url)
                .map(|u| u.parts.as_slice()),
        );
        urls.extend(methods.iter().map(|m| m.path_parts.as_slice()));
        let field_in = |name: &str, wanted: UrlContext| {
            urls.iter().flat_map(|parts| parts.iter()).any(|part| {
                matches!(part, UrlPart::Field { name: n, context, .. } if n == name && *context == wanted)
            })
        };
        let fields: Vec<FieldModel> = definition
            .fields
            .iter()
            .map(|field| {
                let mut model = field_model(field, &mut patterns);
                model.in_host = field_in(&field.name, UrlContext::Host);
                model.is_host_name = field_in(&field.name, UrlContext::HostName);
                model.in_path = field_in(&field.name, UrlContext::Path);
                if let (Some(key), Some(query)) = (&auth.api_key, &auth.api_key_query) {
                    if key.name == field.name {
                        model.cyclr_target_type = "QueryString";
                        model.cyclr_target_name = query.clone();
                    }
                }
                model
            })
            .collect();
        let page_size = methods
            .iter()
            .find_map(|m| m.paging.as_ref().map(|p| p.page_size));
        let patterns = patterns.models;
        let path_parameter = methods.iter().any(|m| {
            m.path_parts
                .iter()
                .any(|p| matches!(p, UrlPart::Parameter { .. }))
        });
        let uses = RustUses {
            check: !patterns.is_empty(),
            host_label: fields.iter().any(|f| f.in_host),
            host_name: fields.iter().any(|f| f.is_host_name),
            path_segment: path_parameter || fields.iter().any(|f| f.in_path),
            path_parameter,
            query: methods.iter().any(|m| !m.query_parameters.is_empty()),
            form: auth.api_key_query.is_some()
                || auth.grant_type.is_some()
                || methods.iter().any(|m| !m.query_parameters.is_empty()),
            page: methods.iter().any(|m| m.paging.is_some()),
            basic: auth.kind == "basic" || (auth.client_auth_basic && auth.grant_type.is_some()),
            serialize: methods.iter().any(|m| m.body_type.is_some()),
            deserialize: auth.kind == "oauth2",
        };
        let rust_crate = rust_crate(definition, &fields, &methods, &auth);
        Connector {
            rust_crate,
            id: definition.id.clone(),
            name: definition.name.clone(),
            description: definition.description.clone(),
            api_version: definition.api_version.clone(),
            source: source.replace('\\', "/"),
            docs: docs_page(definition),
            auth,
            fields,
            base_url,
            methods,
            patterns,
            page_size,
            uses,
        }
    }
}

struct PatternTable<'a> {
    compiled: &'a BTreeMap<String, CompiledPattern>,
    models: Vec<PatternModel>,
}

impl<'a> PatternTable<'a> {
    fn new(compiled: &'a BTreeMap<String, CompiledPattern>) -> Self {
        PatternTable {
            compiled,
            models: Vec::new(),
        }
    }

    /// The check function for `source`: `pattern_1`, `pattern_2`... in order of first use.
    fn reference(&mut self, source: &str) -> PatternRef {
        if let Some(model) = self.models.iter().find(|m| m.source == source) {
            return PatternRef {
                source: source.to_owned(),
                check_fn: model.check_fn.clone(),
            };
        }
        // Numbered, not named after the field, so that every call of it fits on one line.
        let check_fn = format!("pattern_{}", self.models.len() + 1);
        let compiled = self.compiled.get(source).cloned().unwrap_or_else(|| {
            CompiledPattern::compile(source).expect("validation compiled every pattern")
        });
        self.models.push(PatternModel {
            source: source.to_owned(),
            check_fn: check_fn.clone(),
            classes: compiled
                .classes
                .iter()
                .skip(1)
                .map(|ranges| rust_byte_patterns(ranges))
                .collect(),
            class_count: compiled.classes.len(),
            transitions: compiled
                .transitions
                .iter()
                .map(|row| {
                    let cells: Vec<String> = row.iter().map(u8::to_string).collect();
                    format!("[{}]", cells.join(", "))
                })
                .collect(),
            accepting: compiled.accepting,
        });
        PatternRef {
            source: source.to_owned(),
            check_fn,
        }
    }
}

/// Byte ranges as a Rust match pattern: `b'0'..=b'9' | b'-' | 0x80..=0xff`.
fn rust_byte_patterns(ranges: &[(u8, u8)]) -> String {
    let byte = |b: u8| match b {
        b'\'' => "b'\\''".to_owned(),
        b'\\' => "b'\\\\'".to_owned(),
        b if b.is_ascii_graphic() => format!("b'{}'", b as char),
        b => format!("0x{b:02x}"),
    };
    ranges
        .iter()
        .map(|&(lo, hi)| {
            if lo == hi {
                byte(lo)
            } else {
                format!("{}..={}", byte(lo), byte(hi))
            }
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

fn field_model(field: &Field, patterns: &mut PatternTable<'_>) -> FieldModel {
    let rust_name = ident(snake_ident(&field.name));
    let rust_type = match (field.secret, field.optional) {
        (true, false) => "Secret",
        (true, true) => "Option<Secret>",
        (false, false) => "String",
        (false, true) => "Option<String>",
    };
    FieldModel {
        name: field.name.clone(),
        display_name: field.display_name.clone(),
        description: field.description.clone(),
        secret: field.secret,
        optional: field.optional,
        partner_property: field.set_by == SetBy::Partner,
        default: field.default.clone(),
        pattern: field.pattern.as_deref().map(|p| patterns.reference(p)),
        rust_type,
        in_host: false,
        is_host_name: false,
        in_path: false,
        cyclr_target_type: "MergeField",
        cyclr_target_name: field.name.clone(),
        rust_name,
    }
}

/// The crate's names and a usage example built from the connector's first method.
fn rust_crate(
    definition: &Definition,
    fields: &[FieldModel],
    methods: &[MethodModel],
    auth: &AuthModel,
) -> RustCrate {
    let lib = format!("{}_client", definition.id.replace('-', "_"));
    let method = &methods[0];
    let mut imports = vec!["Client", "Config", "Connection", "Transport"];
    if fields.iter().any(|f| f.secret) {
        imports.push("Secret");
    }
    let authorization_code = auth.flow == Some("authorization_code");
    if authorization_code {
        imports.push("AccessToken");
    }
    if method.paging.is_some() {
        imports.push("Page");
    }
    if let Some(body_type) = &method.body_type {
        imports.push(body_type);
    }
    imports.sort_unstable();
    let args: Vec<String> = method
        .connection_params
        .iter()
        .map(|param| {
            let kind = param.split_once(": ").map_or("", |(_, kind)| kind);
            match kind {
                "&str" => rust_string("1"),
                "Option<&str>" => "None".to_owned(),
                "Page" => {
                    let paging = method
                        .paging
                        .as_ref()
                        .expect("a page parameter comes with paging");
                    format!(
                        "Page {{ index: {}, size: {} }}",
                        paging.first_page, paging.page_size
                    )
                }
                body => format!("&{}::default()", body.trim_start_matches('&')),
            }
        })
        .collect();
    let config: Vec<String> = fields
        .iter()
        .map(|field| {
            let sample = rust_string(
                &field
                    .default
                    .clone()
                    .unwrap_or_else(|| format!("your {}", field.display_name)),
            );
            let value = match (field.secret, field.optional) {
                (_, true) => "None".to_owned(),
                (true, false) => format!("Secret::new({sample})"),
                (false, false) => format!("{sample}.to_owned()"),
            };
            format!("        {}: {value},\n", field.rust_name)
        })
        .collect();
    let config = if config.is_empty() {
        "Config {}".to_owned()
    } else {
        format!("Config {{\n{}    }}", config.concat())
    };
    let connection = if authorization_code {
        "Connection::new(client, transport, AccessToken::new(\"from code_exchange_request\"))"
    } else {
        "Connection::new(client, transport)"
    };
    let example = format!(
        "use {lib}::{{{imports}}};\n\n\
         /// Calls {name} through any transport; with the `ureq` feature, pass `UreqTransport::new()`.\n\
         fn example(transport: impl Transport) -> Result<serde_json::Value, {lib}::Error> {{\n    \
         let client = Client::new({config})?;\n    \
         let mut connection = {connection};\n    \
         connection.{method_name}({args})\n}}",
        imports = imports.join(", "),
        name = method.name,
        method_name = method.rust_name,
        args = args.join(", "),
    );
    RustCrate {
        name: format!("{}-client", definition.id),
        lib,
        example,
    }
}

/// A Rust string literal holding `text` exactly.
fn rust_string(text: &str) -> String {
    format!("{text:?}")
}

impl FieldRef {
    /// The Rust expression for the field's value as a `&str`, inside `impl Client`.
    fn rust_str(&self) -> String {
        let access = if self.secret { "expose()" } else { "as_str()" };
        format!("self.config.{}.{access}", self.rust_name)
    }
}

fn field_ref(definition: &Definition, reference: Option<&String>) -> Option<FieldRef> {
    let name = reference?.trim_start_matches("<<").trim_end_matches(">>");
    let field = definition.fields.iter().find(|f| f.name == name)?;
    Some(FieldRef {
        name: field.name.clone(),
        rust_name: ident(snake_ident(&field.name)),
        secret: field.secret,
        optional: field.optional,
    })
}

fn auth_model(definition: &Definition) -> AuthModel {
    let auth = &definition.auth;
    let (kind, cyclr_auth_type) = match auth.kind {
        AuthKind::None => ("none", "None"),
        AuthKind::ApiKey => ("api_key", "ApiKey"),
        AuthKind::Basic => ("basic", "Basic"),
        AuthKind::Oauth2 => ("oauth2", "OAuth2"),
    };
    let (flow, cyclr_oauth2_type, grant_type) =
        match auth.flow.filter(|_| auth.kind == AuthKind::Oauth2) {
            Some(OAuth2Flow::Password) => (
                Some("password"),
                Some("PasswordCredentials"),
                Some("password"),
            ),
            Some(OAuth2Flow::ClientCredentials) => (
                Some("client_credentials"),
                Some("ClientCredentials"),
                Some("client_credentials"),
            ),
            Some(OAuth2Flow::AuthorizationCode) => (
                Some("authorization_code"),
                Some("AuthorisationCode"),
                Some("authorization_code"),
            ),
            None => (None, None, None),
        };
    let scope = auth
        .scopes
        .as_ref()
        .filter(|s| !s.is_empty())
        .map(|s| s.join(" "));
    let username = field_ref(definition, auth.username.as_ref());
    let password = field_ref(definition, auth.password.as_ref());
    let mut token_grant = Vec::new();
    if let Some(grant_type) = grant_type.filter(|g| *g != "authorization_code") {
        token_grant.push(format!("(\"grant_type\", {})", rust_string(grant_type)));
        if let Some(username) = &username {
            token_grant.push(format!("(\"username\", {})", username.rust_str()));
        }
        if let Some(password) = &password {
            token_grant.push(format!("(\"password\", {})", password.rust_str()));
        }
        if let Some(scope) = &scope {
            token_grant.push(format!("(\"scope\", {})", rust_string(scope)));
        }
        for (name, value) in auth.token_params.iter().flatten() {
            if let Some(field) = field_ref(definition, Some(value)) {
                token_grant.push(format!("({}, {})", rust_string(name), field.rust_str()));
            }
        }
    }
    AuthModel {
        kind,
        cyclr_auth_type,
        cyclr_oauth2_type,
        flow,
        grant_type,
        token_grant,
        authorize_url: auth
            .authorize_url
            .as_ref()
            .map(|u| url_model(u, definition, None)),
        token_url: auth
            .token_url
            .as_ref()
            .map(|u| url_model(u, definition, None)),
        scope,
        client_auth_basic: auth.client_auth.unwrap_or_default() == ClientAuth::BasicHeader,
        client_id: field_ref(definition, auth.client_id.as_ref()),
        client_secret: field_ref(definition, auth.client_secret.as_ref()),
        username,
        password,
        api_key: field_ref(definition, auth.api_key.as_ref()),
        api_key_header: auth.api_key_header.clone(),
        api_key_query: auth.api_key_query.clone(),
    }
}

/// Splits a URL template; placeholders resolve to the method's parameters first, then fields.
fn url_model(template: &str, definition: &Definition, method: Option<&Method>) -> UrlModel {
    let parsed = Template::parse(template).expect("validation parsed every URL template");
    let contexts = parsed
        .url_contexts()
        .expect("validation placed every URL placeholder");
    UrlModel {
        template: template.to_owned(),
        merge_fields: parsed.to_merge_fields(),
        parts: url_parts(&parsed, contexts, definition, method),
    }
}

fn url_parts(
    parsed: &Template,
    contexts: Vec<UrlContext>,
    definition: &Definition,
    method: Option<&Method>,
) -> Vec<UrlPart> {
    let mut contexts = contexts.into_iter();
    parsed
        .parts
        .iter()
        .map(|part| match part {
            Part::Literal(text) => UrlPart::Literal { text: text.clone() },
            Part::Placeholder { name, .. } => {
                let context = contexts.next().expect("one context per placeholder");
                let rust_name = ident(snake_ident(name));
                let is_parameter =
                    method.is_some_and(|m| m.parameters.iter().any(|p| &p.name == name));
                if is_parameter {
                    UrlPart::Parameter {
                        name: name.clone(),
                        rust_name,
                        context,
                    }
                } else {
                    debug_assert!(definition.fields.iter().any(|f| &f.name == name));
                    UrlPart::Field {
                        name: name.clone(),
                        rust_name,
                        context,
                    }
                }
            }
        })
        .collect()
}

fn method_model(
    definition: &Definition,
    method: &Method,
    patterns: &mut PatternTable<'_>,
) -> MethodModel {
    let (http_method, http_method_title) = match method.http_method {
        HttpMethod::Get => ("GET", "Get"),
        HttpMethod::Post => ("POST", "Post"),
        HttpMethod::Put => ("PUT", "Put"),
        HttpMethod::Patch => ("PATCH", "Patch"),
        HttpMethod::Delete => ("DELETE", "Delete"),
    };
    let endpoint_template = format!("{}/{}", definition.base_url, method.path);
    let mut parameters: Vec<&Parameter> = method.parameters.iter().collect();
    parameters.sort_by_key(|p| p.location == ParameterLocation::Query);
    let parameters: Vec<ParameterModel> = parameters
        .into_iter()
        .map(|parameter| {
            let rust_name = ident(snake_ident(&parameter.name));
            ParameterModel {
                name: parameter.name.clone(),
                display_name: parameter.display_name.clone(),
                description: parameter.description.clone(),
                cyclr_target_type: match parameter.location {
                    ParameterLocation::Path => "MergeField",
                    ParameterLocation::Query => "QueryString",
                },
                in_query: parameter.location == ParameterLocation::Query,
                optional: parameter.optional,
                pattern: parameter.pattern.as_deref().map(|p| patterns.reference(p)),
                rust_name,
            }
        })
        .collect();
    let body_fields: Vec<BodyFieldModel> = method
        .body
        .iter()
        .flatten()
        .map(|field| {
            let (cyclr_data_type, rust_type) = match field.data_type {
                DataType::Text => ("Text", "String"),
                DataType::Integer => ("Integer", "i64"),
                DataType::Float => ("Float", "f64"),
                DataType::Decimal => ("Decimal", "f64"),
                DataType::Boolean => ("Boolean", "bool"),
                DataType::Datetime => ("DateTime", "String"),
            };
            BodyFieldModel {
                name: field.name.clone(),
                display_name: field.display_name.clone(),
                description: field.description.clone(),
                cyclr_data_type,
                optional: field.optional,
                rust_name: ident(snake_ident(&field.name)),
                rust_type,
            }
        })
        .collect();
    let rust_name = ident(snake_ident(&method.name));
    let rust_query_pairs: Vec<String> = parameters
        .iter()
        .filter(|p| p.in_query)
        .map(|p| {
            let value = if p.optional {
                p.rust_name.clone()
            } else {
                format!("Some({})", p.rust_name)
            };
            format!("({}, {value})", rust_string(&p.name))
        })
        .collect();
    let body_type =
        (!body_fields.is_empty()).then(|| format!("{}Body", ident(pascal_ident(&method.name))));
    let mut rust_params = Vec::new();
    if definition.auth.kind == AuthKind::Oauth2 {
        rust_params.push("token: &AccessToken".to_owned());
    }
    for parameter in &parameters {
        let kind = if parameter.optional {
            "Option<&str>"
        } else {
            "&str"
        };
        rust_params.push(format!("{}: {kind}", parameter.rust_name));
    }
    if method.paging.is_some() {
        rust_params.push("page: Page".to_owned());
    }
    if let Some(body_type) = &body_type {
        rust_params.push(format!("body: &{body_type}"));
    }
    let connection_params: Vec<String> = rust_params
        .iter()
        .filter(|p| !p.starts_with("token:"))
        .cloned()
        .collect();
    let connection_args: Vec<String> = rust_params
        .iter()
        .map(|p| {
            let name = p.split(':').next().unwrap_or_default();
            if name == "token" {
                "&token".to_owned()
            } else {
                name.to_owned()
            }
        })
        .collect();
    let connection_signature = format!(
        "    pub fn {rust_name}<R: DeserializeOwned>(&mut self, {}) -> Result<R, Error> {{",
        connection_params.join(", ")
    );
    let connection_signature_fits = connection_signature
        .replace("(&mut self, )", "(&mut self)")
        .len()
        <= 100;
    let call_args = connection_args.join(", ");
    let connection_call_fits = call_args.len() <= 60
        && format!("        let request = self.client.{rust_name}({call_args})?;").len() <= 100;
    let signature = format!(
        "    pub fn {rust_name}(&self, {}) -> Result<Request, Error> {{",
        rust_params.join(", ")
    );
    let rust_signature_fits = signature.trim_end_matches(", )").len() <= 100;
    MethodModel {
        name: method.name.clone(),
        description: method.description.clone(),
        category: method.category.clone(),
        http_method,
        http_method_title,
        rust_name,
        body_type,
        endpoint: url_model(&endpoint_template, definition, Some(method)),
        path_parts: {
            let path = Template::parse(&format!("/{}", method.path))
                .expect("validation parsed every path");
            let contexts = path.placeholders().map(|_| UrlContext::Path).collect();
            url_parts(&path, contexts, definition, Some(method))
        },
        query_parameters: parameters.iter().filter(|p| p.in_query).cloned().collect(),
        parameters,
        body_fields,
        rust_query_pairs,
        rust_params,
        connection_params,
        connection_args,
        connection_signature_fits,
        connection_call_fits,
        rust_signature_fits,
        paging: method.paging.as_ref().map(|paging| PagingModel {
            page_index_field: paging.page_index_field.clone(),
            page_size_field: paging.page_size_field.clone(),
            first_page: paging.first_page,
            page_size: paging.page_size,
            max_page_size: paging.max_page_size,
        }),
    }
}

fn docs_page(definition: &Definition) -> DocsPage {
    let docs = &definition.docs;
    let text = |text: &str| {
        Template::parse(text).map_or_else(|_| text.to_owned(), |t| t.to_merge_fields())
    };
    DocsPage {
        title: docs.title.clone(),
        permalink: docs.permalink.clone(),
        shape: docs.shape,
        tags: docs
            .tags
            .clone()
            .unwrap_or_else(|| vec!["connector".to_owned()]),
        partner_setup: docs
            .partner_setup
            .iter()
            .map(|block| match block {
                Block::Paragraph(t) => DocsBlock::Paragraph { text: text(t) },
                Block::Heading(t) => DocsBlock::Heading { text: text(t) },
                Block::Image(image) => DocsBlock::Image(image.clone()),
                Block::Code(code) => DocsBlock::Code(code.clone()),
                Block::Steps(steps) => DocsBlock::Steps {
                    steps: steps
                        .iter()
                        .map(|step| DocsStep {
                            text: text(&step.text),
                            code: step.code.clone(),
                            image: step.image.clone(),
                        })
                        .collect(),
                },
            })
            .collect(),
    }
}

fn ident(ident: Option<String>) -> String {
    ident.expect("validation refused names without an identifier")
}
