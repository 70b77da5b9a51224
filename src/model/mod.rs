//! The model: a checked definition resolved into everything the templates print.
//!
//! Every decision is made here, once, in Rust, and recorded as typed data: the auth scheme
//! and its credentials, which setup field lands where in which URL and how each value is
//! checked, every identifier of the Rust client. Templates only lay the model out; they never
//! decide. What belongs to one target lives in that target's submodule: [`cyclr`] (Cyclr's
//! spellings), [`rust`] (the Rust client's names, arguments and pattern tables) and [`docs`]
//! (the docs page). Turning the Rust model into code text is the renderer's job
//! (`render::rust`), never the model's.

pub mod cyclr;
pub mod docs;
pub mod rust;

use serde::{Deserialize, Serialize};

use crate::definition::{
    self, AuthKind, ClientAuth, Definition, Field, Method, OAuth2Flow, ParameterLocation, SetBy,
};
pub use crate::definition::{
    DataType, FieldType, HttpMethod, OAuth2Flow as Flow, PagingKind, PagingLocation,
};
pub use crate::fieldpath::Segment;
use crate::placeholder::{Part, Template, UrlContext};
use crate::validate::Checked;

pub use cyclr::CyclrConnector;
pub use docs::DocsPage;
pub use rust::RustConnector;

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
    /// Authentication: the default sign-in.
    pub auth: AuthModel,
    /// Every way to sign in, the default first; one entry for most connectors.
    pub sign_ins: Vec<SignInModel>,
    /// The OAuth2 sign-in, default or not, if there is one.
    pub oauth2: Option<OAuth2Model>,
    /// Setup fields.
    pub fields: Vec<FieldModel>,
    /// The API base URL.
    pub base_url: UrlModel,
    /// The API calls: the definition's methods, then each webhook's subscribe and
    /// unsubscribe calls.
    pub methods: Vec<MethodModel>,
    /// The declared shapes, by name.
    pub shapes: Vec<ShapeModel>,
    /// The events the vendor posts; their subscribe and unsubscribe calls are in `methods`.
    pub webhooks: Vec<WebhookModel>,
    /// The lookups fields and parameters use, each once.
    pub triggers: Vec<TriggerModel>,
    /// Headers every request sends.
    pub headers: Vec<HeaderModel>,
    /// How fast requests may go, connector-wide.
    pub rate_limit: Option<RateLimitModel>,
    /// The method that proves the credentials work.
    pub connection_check: Option<ConnectionCheck>,
    /// What only the Cyclr connector JSON needs.
    pub cyclr: CyclrConnector,
    /// What only the Rust client needs.
    pub rust: RustConnector,
}

/// How the connector authenticates, with the setup fields that hold each credential.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AuthModel {
    /// No authentication.
    None,
    /// An API key.
    ApiKey {
        /// The field holding the key.
        key: FieldRef,
        /// Where the key goes.
        placement: ApiKeyPlacement,
    },
    /// HTTP Basic.
    Basic {
        /// The field holding the user name.
        username: FieldRef,
        /// The field holding the password; the password is blank without one.
        password: Option<FieldRef>,
    },
    /// OAuth 2.0.
    Oauth2(Box<OAuth2Model>),
}

impl AuthModel {
    /// The authentication type.
    pub fn kind(&self) -> AuthKind {
        match self {
            AuthModel::None => AuthKind::None,
            AuthModel::ApiKey { .. } => AuthKind::ApiKey,
            AuthModel::Basic { .. } => AuthKind::Basic,
            AuthModel::Oauth2(_) => AuthKind::Oauth2,
        }
    }

    /// The OAuth2 grant, for OAuth2.
    pub fn flow(&self) -> Option<Flow> {
        match self {
            AuthModel::Oauth2(oauth2) => Some(oauth2.flow),
            _ => None,
        }
    }
}

/// One way to sign in.
#[derive(Debug, Clone, Serialize)]
pub struct SignInModel {
    /// Its name (Cyclr's `AuthName`).
    pub name: String,
    /// What the installer needs for it (Cyclr's `AuthDescription`).
    pub description: Option<String>,
    /// Whether it is the default.
    pub default: bool,
    /// Whether the definition names it (`auth.name`).
    pub named: bool,
    /// How it authenticates.
    pub auth: AuthModel,
    /// Its variant of the Rust client's `SignInWith`.
    pub rust_variant: String,
}

/// Where an API key goes.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "in", rename_all = "snake_case")]
pub enum ApiKeyPlacement {
    /// A header of its own (Cyclr's `AuthScheme`).
    Header {
        /// The header's name.
        name: String,
        /// Text sent before the key (`Bearer `), if any.
        prefix: Option<String>,
    },
    /// A query parameter.
    Query {
        /// The parameter's name.
        name: String,
    },
}

/// OAuth 2.0, resolved.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OAuth2Model {
    /// The grant.
    pub flow: Flow,
    /// The token endpoint.
    pub token_url: UrlModel,
    /// The authorisation endpoint (authorisation-code grant).
    pub authorize_url: Option<UrlModel>,
    /// The scopes, space-separated as the requests send them, with the setup values they
    /// hold.
    pub scope: Option<TextTemplate>,
    /// Extra query parameters of the authorise URL.
    pub authorize_params: Vec<FormPair>,
    /// Extra form fields of every token request (`token_params`), also in `grant`.
    pub token_params: Vec<FormPair>,
    /// Where the client credentials go in token requests.
    pub client_auth: ClientAuthModel,
    /// The field holding the client id.
    pub client_id: FieldRef,
    /// The field holding the client secret.
    pub client_secret: FieldRef,
    /// The grant's own form fields of the token request that signs in without the user (the
    /// password and client-credentials grants; empty for the authorisation-code grant). The
    /// client credentials are added where `client_auth` says.
    pub grant: Vec<FormPair>,
}

/// Where client credentials go in a token request (RFC 6749 section 2.3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClientAuthModel {
    /// Form fields in the body.
    Body,
    /// An HTTP Basic header.
    BasicHeader,
}

/// One form field of a token request.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FormPair {
    /// The field's name.
    pub name: String,
    /// Its value.
    pub value: FormValue,
}

/// The value of a token request's form field.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FormValue {
    /// Fixed text.
    Literal {
        /// The text.
        text: String,
    },
    /// A setup field's value.
    Field(FieldRef),
    /// The scopes, which hold setup values.
    Scope,
}

/// A setup field named by an auth setting, a URL or a form field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldRef {
    /// The field's name.
    pub name: String,
    /// Its Rust identifier.
    pub rust_name: String,
    /// Whether it is secret.
    pub secret: bool,
    /// Whether it may be empty.
    pub optional: bool,
    /// How the Rust client holds its value.
    pub value_kind: ValueKind,
}

/// How the Rust client holds a setup value, which decides how it is read as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    /// Text (`String`, or `Secret` for a secret).
    Text,
    /// `bool`, sent as `true` or `false`.
    Boolean,
    /// `i64`, sent in decimal.
    Integer,
    /// A generated enum of the allowed values, sent as the value.
    Choice,
}

/// One setup field.
#[derive(Debug, Clone, Serialize)]
pub struct FieldModel {
    /// Name and placeholder.
    pub name: String,
    /// The label shown.
    pub display_name: String,
    /// What the value is, as plain text (for Cyclr and the Rust client).
    pub description: String,
    /// What the value is, as the author wrote it: inline Markdown (for the docs page).
    pub description_markdown: String,
    /// Whether it is a credential: masked in Cyclr, a `Secret` in the Rust client.
    pub secret: bool,
    /// Whether it may be empty.
    pub optional: bool,
    /// Set once by the partner rather than per account.
    pub partner_property: bool,
    /// The value used when none is entered.
    pub default: Option<String>,
    /// The Rust field name.
    pub rust_name: String,
    /// The checks every value must pass before any request is built, in order.
    pub checks: Vec<ValueCheck>,
    /// What kind of value it is.
    pub kind: FieldType,
    /// How the Rust client holds it.
    pub value_kind: ValueKind,
    /// The values allowed, with their Rust enum's variants (a choice).
    pub choices: Vec<Choice>,
    /// The Rust enum of a choice.
    pub rust_type: Option<String>,
    /// A real value.
    pub example: Option<String>,
    /// How Cyclr passes the value to the API; none where Cyclr holds it itself (an API key
    /// or Basic credentials as the account's auth value, a partner's OAuth client).
    pub cyclr_target: Option<cyclr::Target>,
    /// A credential of one of several sign-ins and nothing else: the Rust client holds it
    /// as an `Option`, needed only when that sign-in is chosen.
    pub sign_in_only: bool,
    /// Cyclr asks each account for it when the connector is installed, as the connector's
    /// auth value (an API key, Basic's user name and password), not in the Connector Library.
    pub asked_at_install: bool,
}

/// One allowed value of a setup field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    /// The value as sent.
    pub value: String,
    /// Its Rust enum variant.
    pub variant: String,
}

impl FieldModel {
    /// Who enters the value.
    /// The reference other parts of the model hold to this field.
    pub fn set_by(&self) -> SetBy {
        if self.partner_property {
            SetBy::Partner
        } else {
            SetBy::Account
        }
    }

    /// The reference other parts of the model hold to this field.
    pub fn reference(&self) -> FieldRef {
        FieldRef {
            name: self.name.clone(),
            rust_name: self.rust_name.clone(),
            secret: self.secret,
            optional: self.optional || self.sign_in_only,
            value_kind: self.value_kind,
        }
    }
}

/// A check a setup value or argument must pass.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ValueCheck {
    /// The whole value matches a pattern.
    Pattern {
        /// The pattern as written.
        source: String,
        /// The Rust constant holding its compiled table.
        rust_const: String,
    },
    /// One DNS label: the value stands in part of a URL's host name.
    HostLabel,
    /// A DNS name: the value is a URL's whole host name.
    HostName,
    /// One path segment: the value stands in a URL's path.
    PathSegment,
    /// A header value: no line breaks or other control characters.
    HeaderValue,
    /// One OAuth2 scope: no spaces, which separate scopes.
    ScopeToken,
    /// A whole `https://` URL: the value starts a URL template, or is of type url.
    Url,
}

/// Text holding setup values: a header's value, the scopes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextTemplate {
    /// As written, with `<<Name>>` placeholders.
    pub template: String,
    /// With Cyclr `{{Name}}` merge fields.
    pub merge_fields: String,
    /// Literal runs and setup values, in order.
    pub parts: Vec<TextPart>,
    /// Whether it holds a setup value (and is built when a request is).
    pub holds_fields: bool,
}

impl TextTemplate {
    /// The text when it holds no setup value.
    pub fn literal(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [] => Some(""),
            [TextPart::Literal { text }] => Some(text),
            _ => None,
        }
    }

    /// The setup field when the text is exactly one setup value.
    pub fn single_field(&self) -> Option<&FieldRef> {
        match self.parts.as_slice() {
            [TextPart::Field { field }] => Some(field),
            _ => None,
        }
    }

    /// The setup fields it holds.
    pub fn fields(&self) -> impl Iterator<Item = &FieldRef> {
        self.parts.iter().filter_map(|part| match part {
            TextPart::Field { field } => Some(field),
            TextPart::Literal { .. } => None,
        })
    }
}

/// One piece of a [`TextTemplate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TextPart {
    /// Text taken as written.
    Literal {
        /// The text.
        text: String,
    },
    /// A setup field's value.
    Field {
        /// The field.
        field: FieldRef,
    },
}

/// A request header.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HeaderModel {
    /// Its name.
    pub name: String,
    /// Its value.
    pub value: TextTemplate,
    /// Whether it carries a secret setup value (redacted in the Rust client's `Debug`).
    pub secret: bool,
}

/// How fast requests may go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RateLimitModel {
    /// At most `requests` a second.
    RequestsPerSecond {
        /// The number of requests.
        requests: u32,
    },
    /// At least `seconds` between requests.
    SecondsBetweenRequests {
        /// The number of seconds.
        seconds: u32,
    },
}

impl RateLimitModel {
    /// The limit a definition sets.
    pub fn new(limit: &definition::RateLimit) -> Self {
        match (limit.requests_per_second, limit.seconds_between_requests) {
            (Some(requests), _) => RateLimitModel::RequestsPerSecond { requests },
            (None, Some(seconds)) => RateLimitModel::SecondsBetweenRequests { seconds },
            (None, None) => unreachable!("the schema requires one of the two kinds"),
        }
    }
}

/// The method that proves the credentials work.
#[derive(Debug, Clone, Serialize)]
pub struct ConnectionCheck {
    /// The method's name.
    pub method: String,
    /// The Rust function that builds its request.
    pub rust_fn: String,
}

/// A URL template, split for each target.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UrlModel {
    /// As written in the definition, with `<<Name>>` placeholders.
    pub template: String,
    /// With Cyclr `{{Name}}` merge fields.
    pub merge_fields: String,
    /// Literal runs and placeholders, in order.
    pub parts: Vec<UrlPart>,
}

/// One piece of a URL template.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum UrlPart {
    /// Text taken as written.
    Literal {
        /// The text.
        text: String,
    },
    /// A setup field's value.
    Field {
        /// The field.
        field: FieldRef,
        /// Where it stands, which decides how it is encoded.
        context: UrlContext,
    },
    /// A method's path parameter, encoded as one path segment.
    Parameter {
        /// The parameter's name.
        name: String,
        /// Its Rust identifier.
        rust_name: String,
    },
}

/// One API call.
#[derive(Debug, Clone, Serialize)]
pub struct MethodModel {
    /// The method's name.
    pub name: String,
    /// What it is for.
    pub role: MethodRole,
    /// What it does.
    pub description: String,
    /// Its group.
    pub category: String,
    /// The verb, serialised as Cyclr and the Rust client's enum spell it (`Get`).
    pub http_method: HttpMethod,
    /// The full endpoint: base URL, `/`, path.
    pub endpoint: UrlModel,
    /// The path's parts after the base URL, starting with `/`.
    pub path_parts: Vec<UrlPart>,
    /// All parameters, path ones first, in declaration order.
    pub parameters: Vec<ParameterModel>,
    /// The JSON request body.
    pub request: Option<BodyModel>,
    /// The JSON response.
    pub response: Option<ResponseModel>,
    /// Paging, for list methods.
    pub paging: Option<PagingModel>,
    /// What changed since the last run, for List New and List Updated methods.
    pub since: Option<SinceModel>,
    /// How Cyclr splits the items a bulk method sends.
    pub batch: Option<BatchModel>,
    /// Headers this method sends besides the connector's.
    pub headers: Vec<HeaderModel>,
    /// How fast this method's requests may go, instead of the connector's limit.
    pub rate_limit: Option<RateLimitModel>,
    /// The Cyclr JSON's side of the method.
    pub cyclr: cyclr::CyclrMethod,
    /// The Rust client's side of the method.
    pub rust: rust::RustMethod,
}

/// One method parameter.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ParameterModel {
    /// Name and placeholder (Cyclr's `TargetName`).
    pub name: String,
    /// The label shown.
    pub display_name: String,
    /// What the value is.
    pub description: String,
    /// Where the value goes.
    pub location: Location,
    /// Whether it may be left out.
    pub optional: bool,
    /// The checks every value must pass, in order (path parameters are also checked as
    /// path segments when the URL is built).
    pub checks: Vec<ValueCheck>,
    /// The values allowed.
    pub values: Vec<String>,
    /// The trigger (a list method's lookup) users pick the value from.
    pub trigger: Option<String>,
    /// The Rust argument name.
    pub rust_name: String,
}

/// Where a method parameter goes, serialised as Cyclr's `TargetType` for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Location {
    /// A `<<Name>>` in the path: a Cyclr `MergeField`.
    #[serde(rename = "MergeField")]
    Path,
    /// A query-string value: a Cyclr `QueryString`.
    #[serde(rename = "QueryString")]
    Query,
}

/// What a method is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MethodRole {
    /// A call the user's steps make.
    Action,
    /// The call that subscribes Cyclr's URL to webhook `webhook` (the index in `webhooks`).
    Subscribe {
        /// The webhook's index.
        webhook: usize,
    },
    /// The call that removes that subscription.
    Unsubscribe {
        /// The webhook's index.
        webhook: usize,
    },
}

/// An event the vendor posts (a Cyclr `Webhook` method).
#[derive(Debug, Clone, Serialize)]
pub struct WebhookModel {
    /// Its name.
    pub name: String,
    /// What it delivers, and when.
    pub description: String,
    /// Its group.
    pub category: String,
    /// What the vendor posts.
    pub payload: BodyModel,
    /// The subscribe method's name, in `methods`.
    pub subscribe: Option<String>,
    /// The unsubscribe method's name, in `methods`.
    pub unsubscribe: Option<String>,
    /// The Cyclr JSON's side of it.
    pub cyclr: cyclr::CyclrWebhook,
}

/// The path parameter of an unsubscribe call that takes the subscription's id.
pub const WEBHOOK_ID_PARAMETER: &str = "WebhookId";

/// A declared shape (`types:`), resolved.
#[derive(Debug, Clone, Serialize)]
pub struct ShapeModel {
    /// Its name, which is also its Rust struct's.
    pub name: String,
    /// What it is.
    pub description: String,
    /// Its fields, with paths relative to the shape.
    pub fields: Vec<DataFieldModel>,
}

/// One request or response field, resolved.
#[derive(Debug, Clone, Serialize)]
pub struct DataFieldModel {
    /// The vendor's path, relative to where the field is declared.
    pub path: Vec<Segment>,
    /// Cyclr's `SystemField`, relative to where the field is declared.
    pub system_field: String,
    /// The label shown.
    pub display_name: String,
    /// What the value is.
    pub description: String,
    /// What it holds.
    pub kind: FieldKind,
    /// Whether it may be left out.
    pub optional: bool,
    /// Whether only responses carry it: request bodies leave it out.
    pub read_only: bool,
    /// The values allowed, as JSON text for numbers and booleans.
    pub values: Vec<String>,
    /// The value sent when none is given.
    pub default: Option<String>,
    /// The trigger (a list method's lookup) users pick the value from.
    pub trigger: Option<String>,
}

/// What a field holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FieldKind {
    /// A value of one data type.
    Scalar {
        /// The type.
        data_type: DataType,
        /// The format of a date and time.
        format: Option<String>,
    },
    /// A declared shape (a list of them when the path ends in `[key]`).
    Shape {
        /// The shape's name.
        name: String,
    },
}

/// A request body, resolved.
#[derive(Debug, Clone, Serialize)]
pub struct BodyModel {
    /// The declared shape the body is.
    pub shape: Option<String>,
    /// Fields beside the shape's, the connector's own (paging, since) last.
    pub fields: Vec<DataFieldModel>,
}

/// A response, resolved.
#[derive(Debug, Clone, Serialize)]
pub struct ResponseModel {
    /// Where a list's items are.
    pub items: Option<Vec<Segment>>,
    /// The declared shape of each item, or of the whole response.
    pub shape: Option<String>,
    /// Fields beside the shape's, with paths from the response's root.
    pub fields: Vec<DataFieldModel>,
}

/// How a list method pages, resolved.
#[derive(Debug, Clone, Serialize)]
pub struct PagingModel {
    /// How the next page is named.
    pub kind: PagingKind,
    /// Where page values go.
    pub location: PagingLocation,
    /// The key of the page number or offset.
    pub page_param: Option<String>,
    /// The key of the page size.
    pub size_param: Option<String>,
    /// The first page's number (page-number paging; Cyclr's starts at 1).
    pub first_page: u32,
    /// The page size asked for.
    pub page_size: u32,
    /// The largest page size the API accepts.
    pub max_page_size: u32,
    /// Cursor paging: where each value is in the response and the key that sends it back.
    pub cursors: Vec<CursorModel>,
    /// Next-URL paging: where the next page's URL is in the response.
    pub next_url: Option<Vec<Segment>>,
    /// Where the total number of items is in the response.
    pub total: Option<Vec<Segment>>,
}

/// One cursor of cursor paging.
#[derive(Debug, Clone, Serialize)]
pub struct CursorModel {
    /// Where the value is in the response.
    pub response: Vec<Segment>,
    /// The query or body key that sends it back.
    pub param: String,
}

/// How a "List New" or "List Updated" method asks for what changed since the last run.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SinceModel {
    /// A query parameter takes the date.
    Query {
        /// The parameter.
        param: String,
        /// The date's format.
        format: String,
    },
    /// A body path takes the date.
    Body {
        /// The path.
        path: Vec<Segment>,
        /// The date's format.
        format: String,
    },
    /// Cyclr compares an item field with the last run.
    ResponseField {
        /// The path within an item.
        path: Vec<Segment>,
    },
}

/// How Cyclr splits the items a bulk method sends.
#[derive(Debug, Clone, Serialize)]
pub struct BatchModel {
    /// The request path of the array to split.
    pub items: Vec<Segment>,
    /// The most items one request may carry.
    pub size: u32,
}

/// A lookup: a list method whose items users pick a value from (a Cyclr trigger).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TriggerModel {
    /// Its unique name.
    pub name: String,
    /// The list method.
    pub method: String,
    /// The full path of the value to use.
    pub identifier_key: String,
    /// The full path of what people read.
    pub human_readable_key: String,
}

impl Connector {
    /// Builds the model of a checked definition read from `source`.
    pub fn new(checked: &Checked, source: &str) -> Self {
        let definition = &checked.definition;
        let mut patterns = rust::PatternTable::new(&checked.patterns);
        // Number the setup fields' patterns first, in field order, then the parameters'.
        let mut fields: Vec<FieldModel> = definition
            .fields
            .iter()
            .map(|field| field_model(field, &mut patterns))
            .collect();
        let plan = cyclr::setup::Plan::new(definition);
        for field in &mut fields {
            field.asked_at_install = plan
                .uses(&field.name)
                .is_some_and(|uses| uses.role.is_some_and(cyclr::setup::AuthRole::is_auth_value));
        }
        if !definition.alternative_auth.is_empty() {
            for field in &mut fields {
                field.sign_in_only = !field.optional
                    && plan
                        .uses(&field.name)
                        .is_some_and(|uses| uses.role.is_some() && !uses.any());
            }
        }
        let sign_ins: Vec<SignInModel> = definition
            .sign_ins()
            .into_iter()
            .enumerate()
            .map(|(index, (_, auth))| {
                let name = auth
                    .name
                    .clone()
                    .unwrap_or_else(|| default_sign_in_name(auth.kind).to_owned());
                SignInModel {
                    rust_variant: rust::type_ident(&name, "SignIn"),
                    name,
                    description: auth.description.clone(),
                    default: index == 0,
                    named: auth.name.is_some(),
                    auth: auth_model(auth, &fields),
                }
            })
            .collect();
        let auth = sign_ins[0].auth.clone();
        let oauth2 = sign_ins.iter().find_map(|s| match &s.auth {
            AuthModel::Oauth2(oauth2) => Some((**oauth2).clone()),
            _ => None,
        });
        let base_url = url_model(&definition.base_url, &fields, None);
        let headers: Vec<HeaderModel> = definition
            .headers
            .iter()
            .map(|h| header_model(h, &fields))
            .collect();
        let rate_limit = definition.rate_limit.as_ref().map(RateLimitModel::new);
        let mut triggers = Triggers {
            definition,
            triggers: Vec::new(),
        };
        let shapes: Vec<ShapeModel> = definition
            .types
            .iter()
            .map(|(name, shape)| ShapeModel {
                name: name.clone(),
                description: shape.description.clone(),
                fields: shape
                    .fields
                    .iter()
                    .map(|f| data_field_model(f, &mut triggers))
                    .collect(),
            })
            .collect();
        let webhook_methods = webhook_methods(definition);
        let calls = definition
            .methods
            .iter()
            .map(|method| (method, MethodRole::Action))
            .chain(webhook_methods.iter().map(|(method, role)| (method, *role)));
        let token = match (&oauth2, sign_ins.len()) {
            (None, _) => rust::TokenUse::None,
            (Some(_), 1) => rust::TokenUse::Required,
            (Some(_), _) => rust::TokenUse::Optional,
        };
        let context = MethodContext {
            definition,
            rate_limit: rate_limit.as_ref(),
            fields: &fields,
            token,
            shapes: &shapes,
            plan: &plan,
        };
        let methods: Vec<MethodModel> = calls
            .map(|(method, role)| {
                method_model(&context, (method, role), &mut patterns, &mut triggers)
            })
            .collect();
        let webhooks: Vec<WebhookModel> = definition
            .webhooks
            .iter()
            .enumerate()
            .map(|(index, webhook)| {
                let payload = BodyModel {
                    shape: webhook.payload.type_name.clone(),
                    fields: webhook
                        .payload
                        .fields
                        .iter()
                        .map(|f| data_field_model(f, &mut triggers))
                        .collect(),
                };
                let named = |wanted: fn(usize) -> MethodRole| {
                    methods
                        .iter()
                        .find(|m| m.role == wanted(index))
                        .map(|m| m.name.clone())
                };
                let subscribe = named(|webhook| MethodRole::Subscribe { webhook });
                let unsubscribe = named(|webhook| MethodRole::Unsubscribe { webhook });
                let cyclr = cyclr::CyclrWebhook::new(
                    &definition.id,
                    &webhook.name,
                    &payload,
                    &shapes,
                    subscribe.clone(),
                    unsubscribe.clone(),
                );
                WebhookModel {
                    name: webhook.name.clone(),
                    description: webhook.description.clone(),
                    category: webhook.category.clone(),
                    payload,
                    subscribe,
                    unsubscribe,
                    cyclr,
                }
            })
            .collect();
        let triggers = triggers.triggers;

        // Where each field's value lands decides how it is checked.
        let mut urls: Vec<&[UrlPart]> = vec![&base_url.parts];
        let mut texts: Vec<(&TextTemplate, ValueCheck)> = Vec::new();
        if let Some(oauth2) = &oauth2 {
            urls.push(&oauth2.token_url.parts);
            urls.extend(oauth2.authorize_url.iter().map(|u| u.parts.as_slice()));
            texts.extend(oauth2.scope.iter().map(|s| (s, ValueCheck::ScopeToken)));
        }
        urls.extend(methods.iter().map(|m| m.path_parts.as_slice()));
        let all_headers = headers
            .iter()
            .chain(methods.iter().flat_map(|m| m.headers.iter()));
        texts.extend(all_headers.map(|h| (&h.value, ValueCheck::HeaderValue)));
        // An API key in a header is a header value too.
        let header_keys: Vec<&FieldRef> = sign_ins
            .iter()
            .filter_map(|sign_in| match &sign_in.auth {
                AuthModel::ApiKey {
                    key,
                    placement: ApiKeyPlacement::Header { .. },
                } => Some(key),
                _ => None,
            })
            .collect();
        for field in &mut fields {
            let lands_in = |wanted: UrlContext| {
                urls.iter().flat_map(|parts| parts.iter()).any(|part| {
                    matches!(part, UrlPart::Field { field: f, context } if f.name == field.name && *context == wanted)
                })
            };
            let host_label = if field.kind == FieldType::HostName {
                ValueCheck::HostName
            } else {
                ValueCheck::HostLabel
            };
            let mut wanted = Vec::new();
            for (context, check) in [
                (UrlContext::Origin, ValueCheck::Url),
                (UrlContext::Host, host_label),
                (UrlContext::HostName, ValueCheck::HostName),
                (UrlContext::Path, ValueCheck::PathSegment),
            ] {
                if lands_in(context) {
                    wanted.push(check);
                }
            }
            for (text, check) in &texts {
                if text.fields().any(|f| f.name == field.name) {
                    wanted.push(check.clone());
                }
            }
            if header_keys.iter().any(|key| key.name == field.name) {
                wanted.push(ValueCheck::HeaderValue);
            }
            // Only text is checked: a yes-or-no, a number or a choice is valid by its type.
            if field.value_kind == ValueKind::Text {
                for check in wanted {
                    if !field.checks.contains(&check) {
                        field.checks.push(check);
                    }
                }
            }
        }

        for field in &mut fields {
            if field.value_kind == ValueKind::Choice {
                field.rust_type = Some(rust::setting_type(&field.name, &shapes, &methods));
            }
        }
        let mut rust = RustConnector::new(
            definition, &fields, &methods, &shapes, &webhooks, &auth, patterns,
        );
        // What the Rust client adds to every API request: an API key with a prefix, then
        // the connector's headers.
        if let AuthModel::ApiKey {
            key,
            placement:
                ApiKeyPlacement::Header {
                    name,
                    prefix: Some(prefix),
                },
        } = &auth
        {
            rust.headers.push(HeaderModel {
                name: name.clone(),
                value: TextTemplate {
                    template: format!("{prefix}<<{}>>", key.name),
                    merge_fields: String::new(),
                    holds_fields: true,
                    parts: vec![
                        TextPart::Literal {
                            text: prefix.clone(),
                        },
                        TextPart::Field { field: key.clone() },
                    ],
                },
                secret: true,
            });
        }
        rust.headers.extend(headers.iter().cloned());
        rust.token = token;
        rust.sign_ins = rust::RustSignIn::all(&sign_ins);
        if !rust.sign_ins.is_empty() {
            rust.example.imports.push("SignInWith".to_owned());
            rust.example.imports.sort_unstable();
        }
        let connection_check = definition.connection_check.as_ref().map(|name| {
            let method = methods
                .iter()
                .find(|m| &m.name == name)
                .expect("validation resolved the connection check");
            ConnectionCheck {
                method: name.clone(),
                rust_fn: method.rust.fn_name.clone(),
            }
        });
        let cyclr = CyclrConnector::new(cyclr::ConnectorParts {
            id: &definition.id,
            auth: &auth,
            fields: &fields,
            methods: &methods,
            headers: &headers,
            rate_limit: rate_limit.as_ref(),
            connection_check: connection_check.as_ref().map(|c| c.method.as_str()),
            plan: &plan,
            sign_ins: &sign_ins,
        });
        Connector {
            id: definition.id.clone(),
            name: definition.name.clone(),
            description: definition.description.clone(),
            api_version: definition.api_version.clone(),
            source: source.replace('\\', "/"),
            docs: docs::docs_page(definition, &fields),
            auth,
            sign_ins,
            oauth2,
            fields,
            base_url,
            methods,
            shapes,
            webhooks,
            triggers,
            headers,
            rate_limit,
            connection_check,
            cyclr,
            rust,
        }
    }
}

fn field_model(field: &Field, patterns: &mut rust::PatternTable<'_>) -> FieldModel {
    let mut checks: Vec<ValueCheck> = field
        .pattern
        .as_deref()
        .map(|pattern| patterns.check(pattern))
        .into_iter()
        .collect();
    match field.kind {
        FieldType::Url => checks.push(ValueCheck::Url),
        FieldType::HostName => checks.push(ValueCheck::HostName),
        _ => {}
    }
    let value_kind = match field.kind {
        FieldType::Boolean => ValueKind::Boolean,
        FieldType::Integer => ValueKind::Integer,
        _ if !field.values.is_empty() => ValueKind::Choice,
        _ => ValueKind::Text,
    };
    let mut variants = std::collections::BTreeSet::new();
    let choices = match value_kind {
        ValueKind::Choice => field
            .values
            .iter()
            .map(|value| Choice {
                value: value.clone(),
                variant: rust::types::claim_ident(&mut variants, rust::type_ident(value, "Value")),
            })
            .collect(),
        _ => Vec::new(),
    };
    FieldModel {
        name: field.name.clone(),
        display_name: field.display_name.clone(),
        description: crate::markdown::inline_plain(&field.description),
        description_markdown: field.description.clone(),
        secret: field.secret,
        optional: field.optional,
        partner_property: field.set_by == SetBy::Partner,
        default: field.default.clone(),
        rust_name: rust::snake(&field.name),
        checks,
        kind: field.kind,
        value_kind,
        choices,
        rust_type: None,
        example: field.example.clone(),
        cyclr_target: None,
        sign_in_only: false,
        asked_at_install: false,
    }
}

/// Text with `<<Field>>` placeholders that validation resolved to setup fields.
fn text_template(text: &str, fields: &[FieldModel]) -> TextTemplate {
    let parsed = Template::parse(text).expect("validation parsed every placeholder");
    TextTemplate {
        template: text.to_owned(),
        holds_fields: parsed.placeholders().next().is_some(),
        merge_fields: parsed.to_merge_fields(),
        parts: parsed
            .parts
            .iter()
            .map(|part| match part {
                Part::Literal(text) => TextPart::Literal { text: text.clone() },
                Part::Placeholder { name, .. } => TextPart::Field {
                    field: fields
                        .iter()
                        .find(|f| &f.name == name)
                        .expect("validation resolved every placeholder")
                        .reference(),
                },
            })
            .collect(),
    }
}

fn header_model(header: &definition::Header, fields: &[FieldModel]) -> HeaderModel {
    let value = text_template(&header.value, fields);
    let secret = value.fields().any(|f| f.secret);
    HeaderModel {
        name: header.name.clone(),
        value,
        secret,
    }
}

/// A token or authorise parameter: fixed text, or exactly one setup value (validation
/// refuses a mix).
fn form_pair(name: &str, value: &str, fields: &[FieldModel]) -> FormPair {
    let template = text_template(value, fields);
    FormPair {
        name: name.to_owned(),
        value: match template.single_field() {
            Some(field) => FormValue::Field(field.clone()),
            None => FormValue::Literal {
                text: value.to_owned(),
            },
        },
    }
}

/// The field a `<<Field>>` auth setting names.
fn field_ref(fields: &[FieldModel], reference: Option<&String>) -> Option<FieldRef> {
    let name = reference?.trim_start_matches("<<").trim_end_matches(">>");
    fields
        .iter()
        .find(|f| f.name == name)
        .map(FieldModel::reference)
}

/// The name of a sign-in that has none of its own.
fn default_sign_in_name(kind: AuthKind) -> &'static str {
    match kind {
        AuthKind::None => "None",
        AuthKind::ApiKey => "API Key",
        AuthKind::Basic => "Basic",
        AuthKind::Oauth2 => "OAuth",
    }
}

fn auth_model(auth: &definition::Auth, fields: &[FieldModel]) -> AuthModel {
    let required = |reference: Option<&String>| {
        field_ref(fields, reference).expect("validation required this auth setting")
    };
    match auth.kind {
        AuthKind::None => AuthModel::None,
        AuthKind::ApiKey => AuthModel::ApiKey {
            key: required(auth.api_key.as_ref()),
            placement: match (&auth.api_key_query, &auth.api_key_header) {
                (Some(name), _) => ApiKeyPlacement::Query { name: name.clone() },
                (None, Some(name)) => ApiKeyPlacement::Header {
                    name: name.clone(),
                    prefix: auth.api_key_prefix.clone(),
                },
                (None, None) => unreachable!("validation required a header or query parameter"),
            },
        },
        AuthKind::Basic => AuthModel::Basic {
            username: required(auth.username.as_ref()),
            password: field_ref(fields, auth.password.as_ref()),
        },
        AuthKind::Oauth2 => {
            let flow: OAuth2Flow = auth.flow.expect("validation required a flow");
            let scope = auth
                .scopes
                .as_ref()
                .filter(|s| !s.is_empty())
                .map(|s| text_template(&s.join(" "), fields));
            let token_params: Vec<FormPair> = auth
                .token_params
                .iter()
                .flatten()
                .map(|(name, value)| form_pair(name, value, fields))
                .collect();
            let authorize_params: Vec<FormPair> = auth
                .authorize_params
                .iter()
                .flatten()
                .map(|(name, value)| form_pair(name, value, fields))
                .collect();
            let mut grant = Vec::new();
            if flow != Flow::AuthorizationCode {
                let literal = |name: &str, text: &str| FormPair {
                    name: name.to_owned(),
                    value: FormValue::Literal {
                        text: text.to_owned(),
                    },
                };
                let field = |name: &str, field: FieldRef| FormPair {
                    name: name.to_owned(),
                    value: FormValue::Field(field),
                };
                grant.push(literal("grant_type", flow.name()));
                if let Some(username) = field_ref(fields, auth.username.as_ref()) {
                    grant.push(field("username", username));
                }
                if let Some(password) = field_ref(fields, auth.password.as_ref()) {
                    grant.push(field("password", password));
                }
                match scope.as_ref().map(|s| (s, s.literal())) {
                    Some((_, Some(text))) => grant.push(literal("scope", text)),
                    Some((_, None)) => grant.push(FormPair {
                        name: "scope".to_owned(),
                        value: FormValue::Scope,
                    }),
                    None => {}
                }
                grant.extend(token_params.iter().cloned());
            }
            AuthModel::Oauth2(Box::new(OAuth2Model {
                flow,
                token_url: url_model(
                    auth.token_url
                        .as_deref()
                        .expect("validation required a token URL"),
                    fields,
                    None,
                ),
                authorize_url: auth
                    .authorize_url
                    .as_deref()
                    .map(|url| url_model(url, fields, None)),
                scope,
                authorize_params,
                token_params,
                client_auth: match auth.client_auth.unwrap_or_default() {
                    ClientAuth::Body => ClientAuthModel::Body,
                    ClientAuth::BasicHeader => ClientAuthModel::BasicHeader,
                },
                client_id: required(auth.client_id.as_ref()),
                client_secret: required(auth.client_secret.as_ref()),
                grant,
            }))
        }
    }
}

/// Splits a URL template; placeholders resolve to the method's path parameters first, then
/// to setup fields.
fn url_model(template: &str, fields: &[FieldModel], method: Option<&Method>) -> UrlModel {
    let parsed = Template::parse(template).expect("validation parsed every URL template");
    let contexts = parsed
        .url_contexts()
        .expect("validation placed every URL placeholder");
    UrlModel {
        template: template.to_owned(),
        merge_fields: parsed.to_merge_fields(),
        parts: url_parts(&parsed, contexts, fields, method),
    }
}

fn url_parts(
    parsed: &Template,
    contexts: Vec<UrlContext>,
    fields: &[FieldModel],
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
                let is_parameter =
                    method.is_some_and(|m| m.parameters.iter().any(|p| &p.name == name));
                if is_parameter {
                    UrlPart::Parameter {
                        name: name.clone(),
                        rust_name: rust::parameter_ident(name),
                    }
                } else {
                    let field = fields
                        .iter()
                        .find(|f| &f.name == name)
                        .expect("validation resolved every placeholder");
                    UrlPart::Field {
                        field: field.reference(),
                        context,
                    }
                }
            }
        })
        .collect()
}

/// The subscribe and unsubscribe calls of the definition's webhooks, as methods; validation
/// checks them as it checks every method.
pub fn webhook_methods(definition: &Definition) -> Vec<(Method, MethodRole)> {
    let mut methods = Vec::new();
    for (index, webhook) in definition.webhooks.iter().enumerate() {
        let field = |path: &str, system: &str, display: &str, description: String, kind: &str| {
            definition::DataField {
                path: path.to_owned(),
                system_field: Some(system.to_owned()),
                display_name: display.to_owned(),
                description,
                type_name: kind.to_owned(),
                format: None,
                optional: false,
                read_only: false,
                values: Vec::new(),
                default: None,
                lookup: None,
            }
        };
        if let Some(subscribe) = &webhook.subscribe {
            let mut fields = vec![field(
                &subscribe.url_field,
                cyclr::WEBHOOK_URL,
                "Webhook URL",
                "The URL the events are posted to.".to_owned(),
                "text",
            )];
            fields.extend(subscribe.fields.iter().cloned());
            let id = field(
                &subscribe.id_field,
                cyclr::WEBHOOK_ID,
                "Webhook ID",
                "The subscription's id, for unsubscribing.".to_owned(),
                subscribe.id_type.as_deref().unwrap_or("text"),
            );
            methods.push((
                Method {
                    name: format!("Create {} Webhook", webhook.name),
                    description: format!(
                        "Subscribes a URL to {}; Cyclr calls it when a webhook step is installed.",
                        webhook.name
                    ),
                    category: webhook.category.clone(),
                    http_method: subscribe.http_method,
                    path: subscribe.path.clone(),
                    parameters: Vec::new(),
                    request: Some(definition::Body {
                        type_name: None,
                        fields,
                    }),
                    response: Some(definition::ResponseDef {
                        items: None,
                        type_name: None,
                        fields: vec![id],
                    }),
                    paging: None,
                    since: None,
                    batch: None,
                    headers: Vec::new(),
                    rate_limit: None,
                },
                MethodRole::Subscribe { webhook: index },
            ));
        }
        if let Some(unsubscribe) = &webhook.unsubscribe {
            methods.push((
                Method {
                    name: format!("Delete {} Webhook", webhook.name),
                    description: format!(
                        "Removes a subscription to {}; Cyclr calls it when a webhook step is deleted.",
                        webhook.name
                    ),
                    category: webhook.category.clone(),
                    http_method: unsubscribe.http_method,
                    path: unsubscribe.path.clone(),
                    parameters: vec![definition::Parameter {
                        name: WEBHOOK_ID_PARAMETER.to_owned(),
                        display_name: "Webhook ID".to_owned(),
                        description: "The subscription's id, as the subscribe call returned it."
                            .to_owned(),
                        location: ParameterLocation::Path,
                        optional: false,
                        pattern: None,
                        values: Vec::new(),
                        lookup: None,
                    }],
                    request: None,
                    response: None,
                    paging: None,
                    since: None,
                    batch: None,
                    headers: Vec::new(),
                    rate_limit: None,
                },
                MethodRole::Unsubscribe { webhook: index },
            ));
        }
    }
    methods
}

/// What every method's model reads of the connector's.
struct MethodContext<'c> {
    definition: &'c Definition,
    rate_limit: Option<&'c RateLimitModel>,
    fields: &'c [FieldModel],
    token: rust::TokenUse,
    shapes: &'c [ShapeModel],
    plan: &'c cyclr::setup::Plan,
}

fn method_model(
    context: &MethodContext<'_>,
    (method, role): (&Method, MethodRole),
    patterns: &mut rust::PatternTable<'_>,
    triggers: &mut Triggers<'_>,
) -> MethodModel {
    let MethodContext {
        definition,
        rate_limit: connector_rate_limit,
        fields,
        token,
        shapes,
        plan,
    } = *context;
    let headers: Vec<HeaderModel> = method
        .headers
        .iter()
        .map(|h| header_model(h, fields))
        .collect();
    let rate_limit = method.rate_limit.as_ref().map(RateLimitModel::new);
    let mut parameters: Vec<&definition::Parameter> = method.parameters.iter().collect();
    parameters.sort_by_key(|p| p.location == ParameterLocation::Query);
    let parameters: Vec<ParameterModel> = parameters
        .into_iter()
        .map(|parameter| ParameterModel {
            name: parameter.name.clone(),
            display_name: parameter.display_name.clone(),
            description: parameter.description.clone(),
            location: match parameter.location {
                ParameterLocation::Path => Location::Path,
                ParameterLocation::Query => Location::Query,
            },
            optional: parameter.optional,
            checks: parameter
                .pattern
                .as_deref()
                .map(|pattern| patterns.check(pattern))
                .into_iter()
                .collect(),
            values: parameter.values.clone(),
            trigger: parameter.lookup.as_ref().map(|l| triggers.name(l)),
            rust_name: rust::parameter_ident(&parameter.name),
        })
        .collect();
    let request = method.request.as_ref().map(|body| BodyModel {
        shape: body.type_name.clone(),
        fields: body
            .fields
            .iter()
            .map(|f| data_field_model(f, triggers))
            .collect(),
    });
    let response = method.response.as_ref().map(|response| ResponseModel {
        items: response.items.as_deref().map(parse_path),
        shape: response.type_name.clone(),
        fields: response
            .fields
            .iter()
            .map(|f| data_field_model(f, triggers))
            .collect(),
    });
    let paging = method.paging.as_ref().map(|paging| PagingModel {
        kind: paging.kind,
        location: paging.location,
        page_param: paging.page_param.clone(),
        size_param: paging.size_param.clone(),
        first_page: paging.first_page.unwrap_or(1),
        page_size: paging.page_size,
        max_page_size: paging.max_page_size,
        cursors: paging
            .cursors
            .iter()
            .map(|c| CursorModel {
                response: parse_path(&c.response),
                param: c.param.clone(),
            })
            .collect(),
        next_url: paging.next_url.as_deref().map(parse_path),
        total: paging.total.as_deref().map(parse_path),
    });
    let since = method.since.as_ref().map(|since| {
        let format = || since.format.clone().expect("validation required a format");
        match (&since.query, &since.body, &since.response_field) {
            (Some(param), _, _) => SinceModel::Query {
                param: param.clone(),
                format: format(),
            },
            (None, Some(path), _) => SinceModel::Body {
                path: parse_path(path),
                format: format(),
            },
            (None, None, Some(path)) => SinceModel::ResponseField {
                path: parse_path(path),
            },
            (None, None, None) => {
                unreachable!("validation required one of query, body, response_field")
            }
        }
    });
    let path = Template::parse(&format!("/{}", method.path)).expect("validation parsed every path");
    let path_contexts = path.placeholders().map(|_| UrlContext::Path).collect();
    let batch = method.batch.as_ref().map(|batch| BatchModel {
        items: parse_path(&batch.items),
        size: batch.size,
    });
    let endpoint = url_model(
        &format!("{}/{}", definition.base_url, method.path),
        fields,
        Some(method),
    );
    let mut rust = rust::RustMethod::new(
        method,
        token,
        rust::MethodParts {
            parameters: &parameters,
            request: request.as_ref(),
            response: response.as_ref(),
            paging: paging.as_ref(),
            since: since.as_ref(),
        },
    );
    rust.rate_limit =
        rust::RustRateLimit::of(&method.name, rate_limit.as_ref(), connector_rate_limit);
    let cyclr = cyclr::CyclrMethod::new(
        &definition.id,
        method,
        role,
        cyclr::MethodParts {
            endpoint: &endpoint,
            parameters: &parameters,
            request: request.as_ref(),
            response: response.as_ref(),
            paging: paging.as_ref(),
            since: since.as_ref(),
            batch: batch.as_ref(),
            shapes,
            headers: &headers,
            plan,
            rate_limit: rate_limit.as_ref(),
        },
    );
    MethodModel {
        name: method.name.clone(),
        role,
        description: method.description.clone(),
        category: method.category.clone(),
        http_method: method.http_method,
        endpoint,
        path_parts: url_parts(&path, path_contexts, fields, Some(method)),
        parameters,
        request,
        response,
        paging,
        since,
        batch,
        headers,
        rate_limit,
        cyclr,
        rust,
    }
}

/// A path validation parsed already.
fn parse_path(path: &str) -> Vec<Segment> {
    crate::fieldpath::parse(path).expect("validation parsed every field path")
}

/// Cyclr's `SystemField` for a path: its keys in PascalCase, joined (`Address.City` gives
/// `AddressCity`, `[Emails].Value` gives `EmailsValue`).
pub fn system_field(path: &[Segment]) -> String {
    path.iter()
        .filter_map(|segment| crate::naming::pascal_ident(segment.key()))
        .map(|ident| ident.trim_end_matches('_').to_owned())
        .collect()
}

/// A value from the definition as Cyclr's JSON and the docs write it: strings as they are,
/// numbers and booleans as JSON text.
fn value_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn data_field_model(field: &definition::DataField, triggers: &mut Triggers<'_>) -> DataFieldModel {
    let path = parse_path(&field.path);
    DataFieldModel {
        system_field: field
            .system_field
            .clone()
            .unwrap_or_else(|| system_field(&path)),
        path,
        display_name: field.display_name.clone(),
        description: field.description.clone(),
        kind: match DataType::parse(&field.type_name) {
            Some(data_type) => FieldKind::Scalar {
                data_type,
                format: field.format.clone(),
            },
            None => FieldKind::Shape {
                name: field.type_name.clone(),
            },
        },
        optional: field.optional,
        read_only: field.read_only,
        values: field.values.iter().map(value_text).collect(),
        default: field.default.as_ref().map(value_text),
        trigger: field.lookup.as_ref().map(|l| triggers.name(l)),
    }
}

/// The lookups of a connector, each named once, in order of first use.
struct Triggers<'d> {
    definition: &'d Definition,
    triggers: Vec<TriggerModel>,
}

impl<'d> Triggers<'d> {
    /// The trigger's name for `lookup`: `Lookup Companies` for `List Companies`; a second
    /// lookup on the same method with other keys adds its label path in brackets, and a third
    /// with the same label a number (`Lookup Companies (name) 2`).
    fn name(&mut self, lookup: &definition::Lookup) -> String {
        let method = self
            .definition
            .methods
            .iter()
            .find(|m| m.name == lookup.method)
            .expect("validation checked the lookup's method");
        let items = method
            .response
            .as_ref()
            .and_then(|r| r.items.as_deref())
            .expect("validation checked that the lookup's method lists");
        let key = |path: &str| {
            let mut segments = parse_path(items);
            segments.extend(parse_path(path));
            crate::fieldpath::format(&segments)
        };
        let identifier_key = key(&lookup.id);
        let human_readable_key = key(&lookup.label);
        if let Some(trigger) = self.triggers.iter().find(|t| {
            t.method == lookup.method
                && t.identifier_key == identifier_key
                && t.human_readable_key == human_readable_key
        }) {
            return trigger.name.clone();
        }
        let base = format!(
            "Lookup {}",
            lookup
                .method
                .strip_prefix("List ")
                .unwrap_or(&lookup.method)
        );
        // Cyclr finds a trigger by its name, so each is named once: the label tells a second
        // one apart, a number any after that.
        let taken = |name: &str| self.triggers.iter().any(|t| t.name == name);
        let labelled = format!("{base} ({})", lookup.label);
        let name = if !taken(&base) {
            base
        } else if !taken(&labelled) {
            labelled
        } else {
            (2..)
                .map(|n| format!("{labelled} {n}"))
                .find(|name| !taken(name))
                .expect("an unbounded range has a free number")
        };
        self.triggers.push(TriggerModel {
            name: name.clone(),
            method: lookup.method.clone(),
            identifier_key,
            human_readable_key,
        });
        name
    }
}
