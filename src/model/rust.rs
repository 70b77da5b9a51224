//! What only the Rust client needs: its identifiers, its types (one struct per declared shape,
//! request body, page and response, one enum per field with allowed values), each method's
//! arguments and what its request sends where, the paging of list methods, the compiled
//! pattern tables, and the usage example of the generated crate. All of it is data; the
//! renderer (`render::rust`) turns it into code.

pub(crate) mod types;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use types::{
    EnumDef, Member, MemberDoc, Presence, RustType, StructDef, StructOrigin, TypeDef, Variant,
};

use super::{
    AuthModel, BodyModel, FieldModel, Flow, HeaderModel, Location, MethodModel, PagingKind,
    PagingLocation, PagingModel, ParameterModel, ResponseModel, Segment, ShapeModel, SinceModel,
    ValueCheck, WebhookModel,
};
use crate::definition::{Definition, Method};
use crate::fieldpath;
use crate::naming::{pascal_ident, snake_ident};
use crate::pattern::CompiledPattern;

/// The name of the runtime module written next to the generated clients (`rust/runtime.rs`,
/// `src/runtime.rs` in a crate); no connector may have it as its module name.
pub const RUNTIME_MODULE: &str = "runtime";

/// The type names every generated client declares or imports, and the standard ones it
/// uses: a declared shape (`types:`) must not take one of them, or the module would not
/// compile. Nested structs and enums the generator names itself step around them (and
/// around every other name the client declares) with a number.
pub const RESERVED_TYPE_NAMES: &[&str] = &[
    // Declared by every client.
    "Client",
    "Config",
    "Connection",
    "Pages",
    // Re-exported from the runtime.
    "AccessToken",
    "SignInWith",
    "Clock",
    "RateLimit",
    "RetryPolicy",
    "SystemClock",
    "Error",
    "HttpMethod",
    "PageAt",
    "PageRequest",
    "Request",
    "Response",
    "Secret",
    "Transport",
    "TransportError",
    "UreqTransport",
    // The transport's type parameter in `impl<T: Transport> Connection<T>`.
    "T",
    // Standard names the generated code uses unqualified.
    "Box",
    "Option",
    "Result",
    "String",
    "Vec",
];

/// The Rust client of one connector.
#[derive(Debug, Clone, Serialize)]
pub struct RustConnector {
    /// The module name, which also names `rust/<module>.rs`: the id with `-` as `_`.
    pub module: String,
    /// The crate's package name, `<id>-client`.
    pub crate_name: String,
    /// The crate's library name, `<id>_client`.
    pub lib: String,
    /// The validation patterns the client checks, each once.
    pub patterns: Vec<PatternModel>,
    /// The structs and enums the client declares, in the order they are written: each
    /// declared shape (followed by the types nested in it), then each method's body, page or
    /// response.
    pub types: Vec<TypeDef>,
    /// Whether any method pages (and the client declares `Pages`).
    pub paged: bool,
    /// A reader per webhook, for what the vendor posts.
    pub webhooks: Vec<RustWebhook>,
    /// The usage example of the crate's README (a doc test).
    pub example: Example,
    /// The headers every API request carries: the connector's, and an API key sent with a
    /// prefix (`Bearer <key>`).
    pub headers: Vec<HeaderModel>,
    /// How the methods take an OAuth2 access token.
    pub token: TokenUse,
    /// The ways to sign in the user chooses from (`SignInWith`); empty for a connector with
    /// one.
    pub sign_ins: Vec<RustSignIn>,
}

/// The spacing a method's requests keep: the method's own limit, or else the connector's
/// (a method's limit replaces the connector's, as in Cyclr, CC/03).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RustRateLimit {
    /// What the runtime spaces together: the method's name for its own limit, empty for the
    /// connector's (no method is named so).
    pub scope: String,
    /// The limit.
    pub limit: super::RateLimitModel,
}

impl RustRateLimit {
    /// The limit a method's requests keep.
    pub fn of(
        method: &str,
        own: Option<&super::RateLimitModel>,
        connector: Option<&super::RateLimitModel>,
    ) -> Option<RustRateLimit> {
        match (own, connector) {
            (Some(limit), _) => Some(RustRateLimit {
                scope: method.to_owned(),
                limit: *limit,
            }),
            (None, Some(limit)) => Some(RustRateLimit {
                scope: String::new(),
                limit: *limit,
            }),
            (None, None) => None,
        }
    }
}

/// How the client's methods take an OAuth2 access token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenUse {
    /// Not at all: no sign-in is OAuth2.
    None,
    /// As `&AccessToken`: the only sign-in is OAuth2.
    Required,
    /// As `Option<&AccessToken>`: one of several sign-ins is OAuth2.
    Optional,
}

/// One way to sign in, as the Rust client's `SignInWith` offers it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RustSignIn {
    /// Its name.
    pub name: String,
    /// What the installer needs for it.
    pub description: Option<String>,
    /// Its `SignInWith` variant.
    pub variant: String,
    /// Whether it is the default.
    pub default: bool,
    /// How it authenticates.
    pub auth: AuthModel,
    /// The setup values it needs (held as `Option`s in `Config`).
    pub needs: Vec<super::FieldRef>,
}

impl RustSignIn {
    /// The sign-ins of a connector with several; none for one.
    pub fn all(sign_ins: &[super::SignInModel]) -> Vec<RustSignIn> {
        if sign_ins.len() < 2 {
            return Vec::new();
        }
        sign_ins
            .iter()
            .map(|sign_in| {
                let needs = match &sign_in.auth {
                    AuthModel::None => Vec::new(),
                    AuthModel::ApiKey { key, .. } => vec![key.clone()],
                    AuthModel::Basic { username, password } => std::iter::once(username.clone())
                        .chain(password.clone())
                        .collect(),
                    AuthModel::Oauth2(oauth2) => {
                        let mut needs =
                            vec![oauth2.client_id.clone(), oauth2.client_secret.clone()];
                        needs.extend(oauth2.grant.iter().filter_map(|pair| match &pair.value {
                            super::FormValue::Field(field) => Some(field.clone()),
                            _ => None,
                        }));
                        needs
                    }
                };
                RustSignIn {
                    name: sign_in.name.clone(),
                    description: sign_in.description.clone(),
                    variant: sign_in.rust_variant.clone(),
                    default: sign_in.default,
                    auth: sign_in.auth.clone(),
                    needs: needs.into_iter().filter(|f| f.optional).collect(),
                }
            })
            .collect()
    }
}

/// The reader of a webhook's payload: a function from the posted body to its type.
#[derive(Debug, Clone, Serialize)]
pub struct RustWebhook {
    /// The webhook's name.
    pub name: String,
    /// What it delivers, and when.
    pub description: String,
    /// The function's name, `read_<webhook>`.
    pub fn_name: String,
    /// What the body reads into.
    pub payload: RustType,
}

/// The README's example: a function that calls one method of the connector.
#[derive(Debug, Clone, Serialize)]
pub struct Example {
    /// What it imports from the crate, sorted.
    pub imports: Vec<String>,
    /// The method it calls.
    pub method: MethodRef,
    /// What the call returns.
    pub returns: RustType,
    /// Whether the example builds the request body with `Default` (otherwise the body is
    /// left to the reader, `todo!()`).
    pub body_default: bool,
    /// Whether the connection starts from a token the user obtained (authorisation code).
    pub with_token: bool,
}

/// A method as the example calls it.
#[derive(Debug, Clone, Serialize)]
pub struct MethodRef {
    /// The method's name.
    pub name: String,
    /// The `Connection` method.
    pub fn_name: String,
    /// Its arguments.
    pub args: Vec<RustArg>,
}

/// The Rust side of one API method.
#[derive(Debug, Clone, Serialize)]
pub struct RustMethod {
    /// The function name, on `Client` and on `Connection`.
    pub fn_name: String,
    /// The type of the request body argument, if the method takes one: a declared shape
    /// (a body that is just that shape) or the method's own `{Method}Body` struct.
    pub body_type: Option<String>,
    /// What the `Connection` method returns.
    pub response: RustType,
    /// The `Client` method's arguments after `&self`.
    pub args: Vec<RustArg>,
    /// The `Connection` method's arguments after `&mut self`: the client's, less the token
    /// (the connection obtains it).
    pub connection_args: Vec<RustArg>,
    /// What the request sends, and where.
    pub request: RequestPlan,
    /// How the method pages, for list methods.
    pub paging: Option<RustPaging>,
    /// How a List New or List Updated method lists what changed.
    pub since: Option<RustSince>,
    /// The spacing its requests keep.
    pub rate_limit: Option<RustRateLimit>,
}

/// How a List New or List Updated method lists what changed since the step last ran.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RustSince {
    /// The method takes the date (`since`), formatted as `format`.
    Argument {
        /// The format, in .NET notation.
        format: String,
    },
    /// Cyclr compares an item field with its last run; the client returns every item.
    Filtered {
        /// The field's path within an item, in Cyclr's notation.
        path: String,
    },
}

/// What a method's request sends besides its path: query pairs, a JSON body and the values
/// placed in it, and whether the URL may be a next-page URL instead.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RequestPlan {
    /// The largest page size the API accepts, checked before anything else (paged methods).
    pub max_page_size: Option<u32>,
    /// The page values the query sends, bound as text before it.
    pub locals: Vec<PageLocal>,
    /// The query pairs, in order: parameters, then page values, then the since date.
    pub query: Vec<Sent>,
    /// The JSON body, if the request has one.
    pub json: Option<JsonPlan>,
    /// Whether the page may be at a next-page URL, which replaces the URL built.
    pub next_url: bool,
}

/// A page value a query sends, bound as text before the query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PageLocal {
    /// `number`: the page number, for an API whose first page is `first`.
    Number {
        /// The first page's number.
        first: u32,
    },
    /// `offset`: the item offset.
    Offset,
    /// `size`: the page size.
    Size,
    /// `cursors`: the page's cursor values, if it has any.
    Cursors {
        /// How many the method sends.
        count: usize,
    },
}

/// One value a request sends, under its key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sent {
    /// The query key, or the body path's keys.
    pub key: Vec<String>,
    /// Which of the body path's keys hold a list of objects, whose first object the path
    /// goes on in (`[filter].date_modified`), by index into `key`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lists: Vec<usize>,
    /// What is sent.
    pub value: SentValue,
}

/// The values a request sends besides its body struct.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SentValue {
    /// A query parameter's argument.
    Parameter {
        /// The argument.
        rust_name: String,
        /// Whether it is an `Option<&str>`.
        optional: bool,
    },
    /// The page number, for an API whose first page is `first`.
    PageNumber {
        /// The first page's number.
        first: u32,
    },
    /// The item offset.
    Offset,
    /// The page size.
    Size,
    /// One cursor value of the page, sent only when the page has cursors.
    Cursor {
        /// Its place among the method's cursors.
        index: usize,
        /// How many cursors the method sends.
        count: usize,
    },
    /// The `since` argument.
    Since,
}

/// A request's JSON body.
#[derive(Debug, Clone, Serialize)]
pub struct JsonPlan {
    /// Whether it starts from the body argument (otherwise from an empty object).
    pub from_body: bool,
    /// The values placed in it, by path.
    pub inserts: Vec<Sent>,
}

/// How a list method pages, as the generated client writes it: a `runtime::Paging`
/// constant and a `Connection` method that walks every page.
#[derive(Debug, Clone, Serialize)]
pub struct RustPaging {
    /// The constant's name, `LIST_PEOPLE_PAGING`.
    pub constant: String,
    /// How the next page is found, with the response's JSON pointers.
    pub kind: PagingPlan,
    /// Where the page values go.
    pub location: PagingLocation,
    /// The JSON pointer of the items in a response (`""`: the response is the array). Not
    /// `items`, which Jinja2 (the benchmark's reference pipeline) reads as `dict.items`.
    pub items_pointer: String,
    /// The JSON pointer of the total item count in a response.
    pub total: Option<String>,
    /// A good page size.
    pub page_size: u32,
    /// The largest page size the API accepts.
    pub max_page_size: u32,
    /// The `Connection` method that walks every page, `list_people_pages`.
    pub pages_fn: String,
    /// Its arguments after `&mut self`: the one-page method's, with `page_size` for the page
    /// (or nothing, when the API takes no size and `page_size` is the API's own).
    pub pages_args: Vec<RustArg>,
    /// Whether the walk's page size is an argument (otherwise `page_size`, fixed).
    pub size_argument: bool,
}

/// `runtime::PagingKind` as the constant spells it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PagingPlan {
    /// Page numbers from `first`.
    PageNumber {
        /// The first page's number.
        first: u32,
    },
    /// Item offsets.
    Offset,
    /// Cursors, by JSON pointer in a response, in the order requests send them.
    Cursor {
        /// The pointers.
        cursors: Vec<String>,
    },
    /// A next-page URL, by JSON pointer.
    NextUrl {
        /// The pointer.
        next: String,
    },
}

/// One argument of a generated method.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RustArg {
    /// The argument's name.
    pub name: String,
    /// What it is.
    pub kind: ArgKind,
}

/// The kinds of argument a generated method takes. Externally tagged (`"text"`,
/// `{"body": {...}}`): only the renderer's filters read it, and they read it fastest so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArgKind {
    /// The OAuth2 access token.
    Token,
    /// The OAuth2 access token, when the chosen sign-in is OAuth2 (a connector with
    /// several).
    OptionalToken,
    /// A required parameter's value.
    Text,
    /// An optional parameter's value.
    OptionalText,
    /// The date a List New or List Updated method lists from, formatted as the API expects.
    Since {
        /// The format, in .NET notation.
        format: String,
        /// A date in that format, for examples.
        sample: String,
    },
    /// The page to get (`&PageRequest`).
    Page {
        /// A good page size, for examples.
        page_size: u32,
    },
    /// The page size of a walk through every page.
    PageSize {
        /// A good page size, for examples.
        page_size: u32,
    },
    /// The request body.
    Body {
        /// The body's type.
        type_name: String,
    },
}

/// A compiled pattern, as the data of a `runtime::Pattern` constant.
#[derive(Debug, Clone, Serialize)]
pub struct PatternModel {
    /// The pattern as written.
    pub source: String,
    /// The constant's name.
    pub rust_const: String,
    /// Which bytes are of which class, sorted; other bytes are of class 0.
    pub classes: Vec<ByteRange>,
    /// For each state, the next state for each class.
    pub next: Vec<Vec<u8>>,
    /// For each state, whether it accepts at the end of the value.
    pub accept: Vec<bool>,
}

/// The bytes `first..=last`, all of class `class`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ByteRange {
    /// The first byte.
    pub first: u8,
    /// The last byte.
    pub last: u8,
    /// Their class.
    pub class: u8,
}

/// The `snake_case` Rust identifier of a name validation accepted.
pub fn snake(name: &str) -> String {
    snake_ident(name).expect("validation refused names without an identifier")
}

/// The `UpperCamelCase` type name for `name` (a shape, a key, a value), its first letter a
/// capital even where the name starts with a digit (`3D` is `N3d`); `fallback` for a name
/// without letters or digits.
pub fn type_ident(name: &str, fallback: &str) -> String {
    let mut ident = pascal_ident(name).unwrap_or_else(|| fallback.to_owned());
    if let Some(first) = ident.get(..1) {
        let upper = first.to_ascii_uppercase();
        ident.replace_range(..1, &upper);
    }
    ident
}

/// The struct of the declared shape `name`.
pub fn shape_type(name: &str) -> String {
    type_ident(name, "Shape")
}

/// The `snake_case` name of a struct member for the JSON key (or shape) `key`; `field` for
/// a key without letters or digits (`$`).
pub fn member_ident(key: &str) -> String {
    snake_ident(key).unwrap_or_else(|| "field".to_owned())
}

/// The names the generated methods give their own arguments and locals (`token`, `url`...).
/// A method parameter whose identifier would be one of them gets a trailing `_`, as Rust
/// keywords do (`type_`): identifiers made from names never end in `_` otherwise, so a
/// parameter can never take the place of the generator's own names, whatever the vendor
/// calls it. `render::rust` and `templates/client/` use exactly these; a test checks that.
pub const METHOD_SCOPE_NAMES: &[&str] = &[
    "token",
    "page",
    "page_size",
    "since",
    "body",
    "url",
    "query",
    "json",
    "auth",
    "request",
    "number",
    "offset",
    "size",
    "cursors",
    "next",
    "fetch",
    "value",
    "extra",
    "needs",
    "connection",
];

/// The Rust identifier of a method parameter: its `snake_case` name, kept apart from the
/// generated method's own names.
pub fn parameter_ident(name: &str) -> String {
    let mut ident = snake(name);
    if METHOD_SCOPE_NAMES.contains(&ident.as_str()) {
        ident.push('_');
    }
    ident
}

/// The `Connection` method that walks every page of the method `fn_name`: `list_people_pages`,
/// without a keyword's `_` inside (`type_` makes `type_pages`, not `type__pages`).
pub fn pages_fn(fn_name: &str) -> String {
    format!("{}_pages", fn_name.trim_end_matches('_'))
}

/// The module name of connector `id`.
pub fn module_name(id: &str) -> String {
    id.replace('-', "_")
}

/// The names of a method's own types: `{Method}Body`, `{Method}Page`, `{Method}Response`,
/// and of a webhook's `{Webhook}Payload`. A keyword's `_` goes (`Self` makes `SelfBody`).
pub fn method_type(method: &str, suffix: &str) -> String {
    format!("{}{suffix}", type_prefix(method, "Method"))
}

/// `name` as the start of a longer type name: its type name without the `_` that keeps a
/// keyword (`Self_`) apart, which inside a longer name (`Self_Body`) would not be camel case.
pub fn type_prefix(name: &str, fallback: &str) -> String {
    type_ident(name, fallback).trim_end_matches('_').to_owned()
}

/// What a method's response reads into.
enum ResponseType {
    /// A type declared elsewhere, or JSON.
    Plain(RustType),
    /// The method's `{Method}Page`: items below the root, and the response's fields.
    Page(String),
    /// The method's `{Method}Response`: the response's fields, beside the shape's.
    Own(String),
}

impl ResponseType {
    /// The response of `method` with `items` (a path), of `shape`, with fields or not.
    fn of(method: &str, items: Option<&[Segment]>, shape: Option<&str>, fields: bool) -> Self {
        match items {
            // The response is the array; validation refuses fields beside it.
            Some([Segment::Array(key), ..]) if key.is_empty() => {
                ResponseType::Plain(RustType::shape_or_json(shape).list())
            }
            Some(_) => ResponseType::Page(method_type(method, "Page")),
            None if fields => ResponseType::Own(method_type(method, "Response")),
            None => ResponseType::Plain(RustType::shape_or_json(shape)),
        }
    }

    fn rust_type(self) -> RustType {
        match self {
            ResponseType::Plain(ty) => ty,
            ResponseType::Page(name) | ResponseType::Own(name) => RustType::Named { name },
        }
    }
}

impl RustConnector {
    /// The Rust client of a connector, once the shared model is built: plans its types
    /// (each declared shape, then each method's body, page or response).
    pub fn new(
        definition: &Definition,
        fields: &[FieldModel],
        methods: &[MethodModel],
        shapes: &[ShapeModel],
        webhooks: &[WebhookModel],
        auth: &AuthModel,
        patterns: PatternTable<'_>,
    ) -> Self {
        let module = module_name(&definition.id);
        let payload_type = |webhook: &WebhookModel| {
            let payload = &webhook.payload;
            if payload.fields.is_empty() {
                RustType::shape_or_json(payload.shape.as_deref())
            } else {
                RustType::Named {
                    name: method_type(&webhook.name, "Payload"),
                }
            }
        };
        // Declared and method types keep their names; nested ones step around them.
        let mut taken: std::collections::BTreeSet<String> =
            RESERVED_TYPE_NAMES.iter().map(|&n| n.to_owned()).collect();
        taken.extend(shapes.iter().map(|s| shape_type(&s.name)));
        taken.extend(fields.iter().filter_map(|f| f.rust_type.clone()));
        for method in methods {
            if let Some(body) = &method.rust.body_type {
                taken.insert(body.clone());
            }
            taken.extend(method.rust.response.named().into_iter().map(str::to_owned));
        }
        for webhook in webhooks {
            taken.extend(payload_type(webhook).named().into_iter().map(str::to_owned));
        }
        let mut planner = types::Planner::new(taken);
        for shape in shapes {
            planner.shape(shape);
        }
        for method in methods {
            if let Some(body) = &method.request
                && !body.fields.is_empty()
            {
                planner.body(method_type(&method.name, "Body"), &method.name, body);
            }
            let Some(response) = &method.response else {
                continue;
            };
            let shape = response.shape.as_deref();
            let items = response.items.as_deref();
            let fields = &response.fields;
            match ResponseType::of(&method.name, items, shape, !fields.is_empty()) {
                ResponseType::Plain(_) => {}
                ResponseType::Page(name) => {
                    let items = items.unwrap_or_default();
                    planner.page(name, &method.name, items, shape, fields);
                }
                ResponseType::Own(name) => planner.response(name, &method.name, shape, fields),
            }
        }
        for webhook in webhooks {
            if !webhook.payload.fields.is_empty() {
                let name = method_type(&webhook.name, "Payload");
                planner.payload(name, &webhook.name, &webhook.payload);
            }
        }
        let types = planner.finish();
        let webhooks = webhooks
            .iter()
            .map(|webhook| RustWebhook {
                name: webhook.name.clone(),
                description: webhook.description.clone(),
                fn_name: format!("read_{}", snake(&webhook.name)),
                payload: payload_type(webhook),
            })
            .collect();
        RustConnector {
            crate_name: format!("{}-client", definition.id),
            lib: format!("{module}_client"),
            module,
            patterns: patterns.models,
            paged: methods.iter().any(|m| m.rust.paging.is_some()),
            webhooks,
            example: example(fields, methods, auth, &types),
            types,
            headers: Vec::new(),
            token: TokenUse::None,
            sign_ins: Vec::new(),
        }
    }
}

/// Whether the client's type `name` derives `Default`.
fn has_default(types: &[TypeDef], name: &str) -> bool {
    types
        .iter()
        .any(|t| matches!(t, TypeDef::Struct(s) if s.name == name && s.default))
}

/// The README's example calls the first method whose body, if it takes one, has a
/// `Default`; failing that, the first method.
fn example(
    fields: &[FieldModel],
    methods: &[MethodModel],
    auth: &AuthModel,
    types: &[TypeDef],
) -> Example {
    let body_default = |method: &MethodModel| {
        method
            .rust
            .body_type
            .as_deref()
            .is_none_or(|name| has_default(types, name))
    };
    let method = methods
        .iter()
        .find(|m| body_default(m))
        .unwrap_or(&methods[0]);
    let mut imports = vec!["Client", "Config", "Connection", "Transport"];
    if fields.iter().any(|f| f.secret) {
        imports.push("Secret");
    }
    imports.extend(
        fields
            .iter()
            .filter(|f| !f.optional)
            .filter_map(|f| f.rust_type.as_deref()),
    );
    let with_token = matches!(auth, AuthModel::Oauth2(o) if o.flow == Flow::AuthorizationCode);
    if with_token {
        imports.push("AccessToken");
    }
    for arg in &method.rust.connection_args {
        match &arg.kind {
            ArgKind::Page { .. } => imports.push("PageRequest"),
            ArgKind::Body { type_name } => imports.push(type_name),
            ArgKind::Token
            | ArgKind::OptionalToken
            | ArgKind::Text
            | ArgKind::OptionalText
            | ArgKind::Since { .. }
            | ArgKind::PageSize { .. } => {}
        }
    }
    imports.extend(method.rust.response.named());
    imports.sort_unstable();
    imports.dedup();
    Example {
        imports: imports.into_iter().map(str::to_owned).collect(),
        method: MethodRef {
            name: method.name.clone(),
            fn_name: method.rust.fn_name.clone(),
            args: method.rust.connection_args.clone(),
        },
        returns: method.rust.response.clone(),
        body_default: body_default(method),
        with_token,
    }
}

/// A date in `format` (.NET notation) for examples: 2024-01-31 at 09:30:00 UTC.
fn sample_date(format: &str) -> String {
    let mut sample = format.to_owned();
    for (token, value) in [
        ("yyyy", "2024"),
        ("MM", "01"),
        ("dd", "31"),
        ("HH", "09"),
        ("mm", "30"),
        ("ss", "00"),
        ("fff", "000"),
        ("zzz", "+00:00"),
        ("K", "Z"),
    ] {
        sample = sample.replace(token, value);
    }
    sample
}

impl RustMethod {
    /// The Rust side of `method`, whose parameters, body, response, paging and since are
    /// modelled already.
    pub fn new(method: &Method, token: TokenUse, parts: MethodParts<'_>) -> Self {
        let MethodParts {
            parameters,
            request,
            response,
            paging,
            since,
        } = parts;
        let fn_name = snake(&method.name);
        let body_type = request.map(|body| match (&body.shape, body.fields.is_empty()) {
            (Some(shape), true) => shape_type(shape),
            _ => method_type(&method.name, "Body"),
        });
        // The date a List New or List Updated method sends: its keys, which of them hold a
        // list, its format and where it goes.
        let date = since.and_then(|since| match since {
            SinceModel::Query { param, format } => Some((
                vec![param.clone()],
                Vec::new(),
                format.clone(),
                PagingLocation::Query,
            )),
            SinceModel::Body { path, format } => {
                let keys = path.iter().map(|s| s.key().to_owned()).collect();
                let lists = (0..path.len()).filter(|&i| path[i].is_array()).collect();
                Some((keys, lists, format.clone(), PagingLocation::Body))
            }
            SinceModel::ResponseField { .. } => None,
        });

        let arg = |name: &str, kind| RustArg {
            name: name.to_owned(),
            kind,
        };
        let mut args = Vec::new();
        match token {
            TokenUse::None => {}
            TokenUse::Required => args.push(arg("token", ArgKind::Token)),
            TokenUse::Optional => args.push(arg("token", ArgKind::OptionalToken)),
        }
        for parameter in parameters {
            let kind = if parameter.optional {
                ArgKind::OptionalText
            } else {
                ArgKind::Text
            };
            args.push(arg(&parameter.rust_name, kind));
        }
        if let Some((_, _, format, _)) = &date {
            let kind = ArgKind::Since {
                sample: sample_date(format),
                format: format.clone(),
            };
            args.push(arg("since", kind));
        }
        if let Some(paging) = paging {
            let kind = ArgKind::Page {
                page_size: paging.page_size,
            };
            args.push(arg("page", kind));
        }
        if let Some(type_name) = &body_type {
            let kind = ArgKind::Body {
                type_name: type_name.clone(),
            };
            args.push(arg("body", kind));
        }
        let connection_args: Vec<RustArg> = args
            .iter()
            .filter(|a| !matches!(a.kind, ArgKind::Token | ArgKind::OptionalToken))
            .cloned()
            .collect();

        // What the request sends where: parameters, page values and the date.
        let mut plan = RequestPlan {
            max_page_size: paging.map(|p| p.max_page_size),
            next_url: paging.is_some_and(|p| p.kind == PagingKind::NextUrl),
            ..RequestPlan::default()
        };
        for parameter in parameters.iter().filter(|p| p.location == Location::Query) {
            plan.query.push(Sent {
                key: vec![parameter.name.clone()],
                lists: Vec::new(),
                value: SentValue::Parameter {
                    rust_name: parameter.rust_name.clone(),
                    optional: parameter.optional,
                },
            });
        }
        let mut inserts = Vec::new();
        let mut send = |location: PagingLocation, key: Vec<String>, value: SentValue| {
            let sent = Sent {
                key,
                lists: Vec::new(),
                value,
            };
            match location {
                PagingLocation::Query => plan.query.push(sent),
                PagingLocation::Body => inserts.push(sent),
            }
        };
        if let Some(paging) = paging {
            let location = paging.location;
            let page_param = || vec![paging.page_param.clone().unwrap_or_default()];
            match paging.kind {
                PagingKind::PageNumber => send(
                    location,
                    page_param(),
                    SentValue::PageNumber {
                        first: paging.first_page,
                    },
                ),
                PagingKind::Offset => send(location, page_param(), SentValue::Offset),
                PagingKind::Cursor => {
                    let count = paging.cursors.len();
                    for (index, cursor) in paging.cursors.iter().enumerate() {
                        let value = SentValue::Cursor { index, count };
                        send(location, vec![cursor.param.clone()], value);
                    }
                }
                PagingKind::NextUrl => {}
            }
            if let Some(size) = &paging.size_param {
                send(location, vec![size.clone()], SentValue::Size);
            }
        }
        if let Some((keys, lists, _, location)) = date {
            send(location, keys, SentValue::Since);
            if let Some(sent) = inserts
                .last_mut()
                .filter(|_| location == PagingLocation::Body)
            {
                sent.lists = lists;
            }
        }
        for sent in &plan.query {
            let local = match sent.value {
                SentValue::PageNumber { first } => PageLocal::Number { first },
                SentValue::Offset => PageLocal::Offset,
                SentValue::Size => PageLocal::Size,
                SentValue::Cursor { count, .. } => PageLocal::Cursors { count },
                SentValue::Parameter { .. } | SentValue::Since => continue,
            };
            if !plan.locals.contains(&local) {
                plan.locals.push(local);
            }
        }
        if body_type.is_some() || !inserts.is_empty() {
            plan.json = Some(JsonPlan {
                from_body: body_type.is_some(),
                inserts,
            });
        }

        let response_type = match response {
            Some(response) => {
                let items = response.items.as_deref();
                let shape = response.shape.as_deref();
                let fields = !response.fields.is_empty();
                ResponseType::of(&method.name, items, shape, fields).rust_type()
            }
            None => RustType::Json,
        };
        let paging = paging.map(|paging| {
            let pointer = |path: &[Segment]| fieldpath::json_pointer(path);
            let items = response
                .and_then(|r| r.items.as_deref())
                .map(pointer)
                .unwrap_or_default();
            let kind = match paging.kind {
                PagingKind::PageNumber => PagingPlan::PageNumber {
                    first: paging.first_page,
                },
                PagingKind::Offset => PagingPlan::Offset,
                PagingKind::Cursor => PagingPlan::Cursor {
                    cursors: paging
                        .cursors
                        .iter()
                        .map(|c| pointer(&c.response))
                        .collect(),
                },
                PagingKind::NextUrl => PagingPlan::NextUrl {
                    next: paging.next_url.as_deref().map(pointer).unwrap_or_default(),
                },
            };
            let size_argument = paging.size_param.is_some();
            let pages_args = connection_args
                .iter()
                .filter_map(|a| match a.kind {
                    ArgKind::Page { page_size } if size_argument => Some(RustArg {
                        name: "page_size".to_owned(),
                        kind: ArgKind::PageSize { page_size },
                    }),
                    ArgKind::Page { .. } => None,
                    _ => Some(a.clone()),
                })
                .collect();
            RustPaging {
                constant: format!(
                    "{}_PAGING",
                    fn_name.trim_end_matches('_').to_ascii_uppercase()
                ),
                kind,
                location: paging.location,
                items_pointer: items,
                total: paging.total.as_deref().map(pointer),
                page_size: paging.page_size,
                max_page_size: paging.max_page_size,
                pages_fn: pages_fn(&fn_name),
                pages_args,
                size_argument,
            }
        });
        let since = since.map(|since| match since {
            SinceModel::Query { format, .. } | SinceModel::Body { format, .. } => {
                RustSince::Argument {
                    format: format.clone(),
                }
            }
            SinceModel::ResponseField { path } => RustSince::Filtered {
                path: fieldpath::format(path),
            },
        });
        RustMethod {
            since,
            fn_name,
            body_type,
            response: response_type,
            args,
            connection_args,
            request: plan,
            paging,
            rate_limit: None,
        }
    }
}

/// What [`RustMethod::new`] reads of the shared model of a method.
pub struct MethodParts<'a> {
    /// The method's parameters.
    pub parameters: &'a [ParameterModel],
    /// Its request body.
    pub request: Option<&'a BodyModel>,
    /// Its response.
    pub response: Option<&'a ResponseModel>,
    /// Its paging.
    pub paging: Option<&'a PagingModel>,
    /// What changed since the last run.
    pub since: Option<&'a SinceModel>,
}

/// The patterns of one connector, numbered in order of first use.
pub struct PatternTable<'a> {
    compiled: &'a BTreeMap<String, CompiledPattern>,
    models: Vec<PatternModel>,
}

impl<'a> PatternTable<'a> {
    /// A table over the patterns validation compiled.
    pub fn new(compiled: &'a BTreeMap<String, CompiledPattern>) -> Self {
        PatternTable {
            compiled,
            models: Vec::new(),
        }
    }

    /// The check of `source`: `PATTERN_1`, `PATTERN_2`... in order of first use. Numbered,
    /// not named after the field, so that every use of it fits on one line.
    pub fn check(&mut self, source: &str) -> ValueCheck {
        let rust_const = match self.models.iter().find(|m| m.source == source) {
            Some(model) => model.rust_const.clone(),
            None => {
                let rust_const = format!("PATTERN_{}", self.models.len() + 1);
                self.models
                    .push(pattern_model(self.compiled, source, &rust_const));
                rust_const
            }
        };
        ValueCheck::Pattern {
            source: source.to_owned(),
            rust_const,
        }
    }
}

fn pattern_model(
    compiled: &BTreeMap<String, CompiledPattern>,
    source: &str,
    rust_const: &str,
) -> PatternModel {
    let compiled = compiled.get(source).cloned().unwrap_or_else(|| {
        CompiledPattern::compile(source).expect("validation compiled every pattern")
    });
    let mut classes: Vec<ByteRange> = compiled
        .classes
        .iter()
        .enumerate()
        .skip(1)
        .flat_map(|(class, ranges)| {
            let class = u8::try_from(class).expect("at most 256 byte classes");
            ranges
                .iter()
                .map(move |&(first, last)| ByteRange { first, last, class })
        })
        .collect();
    classes.sort_by_key(|range| range.first);
    PatternModel {
        source: source.to_owned(),
        rust_const: rust_const.to_owned(),
        classes,
        next: compiled.transitions,
        accept: compiled.accepting,
    }
}

/// The enum of setup value `field`'s allowed values: the field's name as a type, unless a
/// shape or a name the client declares has it (then with `Setting` after it).
pub fn setting_type(
    field: &str,
    shapes: &[super::ShapeModel],
    methods: &[super::MethodModel],
) -> String {
    let name = type_ident(field, "Setting");
    let method_type = |m: &super::MethodModel| {
        m.rust.body_type.as_deref() == Some(name.as_str())
            || m.rust.response.named().contains(&name.as_str())
    };
    let taken = RESERVED_TYPE_NAMES.contains(&name.as_str())
        || shapes.iter().any(|s| shape_type(&s.name) == name)
        || methods.iter().any(method_type);
    if taken {
        format!("{name}Setting")
    } else {
        name
    }
}
