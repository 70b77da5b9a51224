//! What only the Cyclr connector JSON needs: Cyclr's names for the auth scheme, where Cyclr
//! puts each setup value, paging as Cyclr's variables, fields flattened to Cyclr's paths,
//! and the identifiers Cyclr requires. Spellings are Cyclr's, as its exports write them
//! (`shared/reference/cyclr-format.md`).
//!
//! Where the reference leaves a key open (its section 10), the choice is made here, once:
//! a field's date format is `DataTypeFormat` (the key of Cyclr's custom-field API); a request
//! field's default is `DefaultValue`, its hidden flag `Hide` and its lookup `TriggerName` (the
//! parameter keys; response fields carry neither default nor lookup); allowed values are
//! `[{"Value": ...}]` objects on parameters and fields alike (the export's shape), numbers and
//! booleans as text; paging values in a body are hidden request fields whose first value is
//! the variable, as parameters are; a `since` query date is a merge field in `EndPoint` (the
//! CC/09 example), a `since` body date a hidden field whose default is that merge field; a
//! webhook selects its hidden calls with `CreateWebhookMethod` and `DeleteWebhookMethod`,
//! holding their names as `Triggers` hold theirs; `DisplayOrder` counts from 1; methods are
//! `Approved` in a `Draft` release ([`STATUS`], which `catalogue.json` shares).
//!
//! And for setup values and auth (issue 13): a `RateLimits` item is
//! `{"Type": "RequestsPerSecond" | "SecondsBetweenRequests", "Value": n}`, after CC/03's two
//! kinds of limit, at connector and method level; the connection check is
//! `PostInstallTestAuthMethod`, holding the method's name, after the release setting "Post
//! Install Test Auth Method"; a multi-line value is `IsMultiline`, after the other `Is...`
//! flags; a fixed header is a hidden `HttpHeader` parameter whose only value is the header's
//! (as paging variables are, CC/10), at connector or method level; scopes holding setup values
//! are written with merge fields in `Scopes`, and extra authorise parameters are appended to
//! `AuthoriseUrl` as a query with merge fields (as the 3DCart demo's `AuthoriseUrl` carries
//! `{{StoreURL}}`); several sign-ins are `Authentication` entries holding `IsDefault`,
//! `AuthName`, `AuthDescription` and the keys of that sign-in (`AuthType`, `OAuth2Type`,
//! `AuthoriseUrl`, `AccessTokenUrl`, `Scopes`, `AuthScheme`), written only when there are
//! several, with the top-level keys repeating the default's (section 1) and the OAuth2 URLs
//! those of the OAuth2 sign-in. Where each setup value goes, and the scripts, are
//! [`setup`]'s choices.

pub mod setup;

use serde::Serialize;
use uuid::Uuid;

pub use setup::{Script, ScriptTarget, ScriptValue, Statement};

use super::{
    ApiKeyPlacement, AuthModel, BatchModel, BodyModel, DataFieldModel, FieldKind, FieldModel,
    FieldType, Flow, FormValue, HeaderModel, Location, MethodModel, MethodRole, PagingKind,
    PagingLocation, PagingModel, ParameterModel, RateLimitModel, ResponseModel, ShapeModel,
    SignInModel, SinceModel, UrlModel, WEBHOOK_ID_PARAMETER,
};
use crate::definition::{DataType, Method};
use crate::fieldpath::{self, Segment};

/// The connector-level keys of the Cyclr JSON that depend on more than one definition value.
#[derive(Debug, Clone, Serialize)]
pub struct CyclrConnector {
    /// `Status`, of the connector and of each of its methods: always [`STATUS`]. The Cyclr
    /// JSON and `catalogue.json`'s listing keys both read it here.
    pub status: Status,
    /// `AuthType`.
    pub auth_type: AuthType,
    /// `OAuth2Type`, for OAuth2.
    pub oauth2_type: Option<OAuth2Type>,
    /// `AuthoriseUrl`, with merge fields and the extra authorise parameters.
    pub authorise_url: Option<String>,
    /// `AccessTokenUrl`, with merge fields.
    pub access_token_url: Option<String>,
    /// `Scopes`, space-separated, with merge fields.
    pub scopes: Option<String>,
    /// `AuthScheme`: the header that carries an API key as it is; `null` for a key the
    /// script puts in place (Cyclr's Pipedrive), absent for other auth types.
    pub auth_scheme: Option<String>,
    /// `PageSizeInbound`: the default page size of the paged methods (and `PagedInbound`).
    pub page_size: Option<u32>,
    /// `Parameters`: the setup values Cyclr does not hold itself, then the fixed headers.
    pub parameters: Vec<ConnectorParameter>,
    /// `RateLimits`.
    pub rate_limits: Vec<RateLimit>,
    /// `Script`: what the JSON has no key for.
    pub script: Option<Script>,
    /// `PostInstallTestAuthMethod`: the method that proves the credentials work.
    pub test_auth_method: Option<String>,
    /// `Authentication`: every way to sign in, when there are several (or the one is named).
    pub authentication: Vec<Authentication>,
    /// `AuthDescription`: what the installer needs for the default sign-in.
    pub auth_description: Option<String>,
    /// `UniqueIdentifier`: a name-based UUID of the connector's id.
    pub unique_identifier: String,
}

/// Cyclr's `Status` of a connector or a method. Cyclr's listing also has `Planned`, `Beta` and
/// `Unknown` (reference section 1); connector-gen writes only [`STATUS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Status {
    /// `Approved`.
    Approved,
}

/// The `Status` connector-gen gives every connector and method it writes: `Approved`, as 387
/// of the 393 connectors Cyclr lists are, in a `Draft` release so that an import starts as a
/// draft.
pub const STATUS: Status = Status::Approved;

/// A connector-level parameter: a setup value, or a fixed header.
#[derive(Debug, Clone, Serialize)]
pub struct ConnectorParameter {
    /// `Values`: the allowed values (`true` and `false` for a yes-or-no value), or a fixed
    /// header's value.
    pub allowed: Vec<String>,
    /// `TargetType`.
    pub target_type: TargetType,
    /// `TargetName`.
    pub target_name: String,
    /// Who enters it: `IsPartnerProperty` or `IsAccountConnectorProperty`; none for a fixed
    /// value.
    pub property: Option<Property>,
    /// `Description`.
    pub description: Option<String>,
    /// `DisplayName`.
    pub display_name: Option<String>,
    /// `DefaultValue`.
    pub default: Option<String>,
    /// `IsSensitive`.
    pub sensitive: bool,
    /// `IsMultiline`.
    pub multiline: bool,
    /// `Hide`.
    pub hide: bool,
    /// `IsOptional`.
    pub optional: bool,
}

/// Who enters a connector parameter's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Property {
    /// The partner, once: `IsPartnerProperty`.
    Partner,
    /// Each account: `IsAccountConnectorProperty`.
    Account,
}

/// One `RateLimits` item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RateLimit {
    /// `Type`.
    #[serde(rename = "type")]
    pub kind: RateLimitType,
    /// `Value`.
    pub value: u32,
}

/// Cyclr's two kinds of rate limit (CC/03).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum RateLimitType {
    /// At most so many requests a second.
    RequestsPerSecond,
    /// At least so many seconds between requests.
    SecondsBetweenRequests,
}

impl RateLimit {
    /// The Cyclr item of a limit.
    pub fn new(limit: &RateLimitModel) -> Self {
        match *limit {
            RateLimitModel::RequestsPerSecond { requests } => RateLimit {
                kind: RateLimitType::RequestsPerSecond,
                value: requests,
            },
            RateLimitModel::SecondsBetweenRequests { seconds } => RateLimit {
                kind: RateLimitType::SecondsBetweenRequests,
                value: seconds,
            },
        }
    }
}

/// What [`CyclrConnector::new`] reads of the shared model.
pub struct ConnectorParts<'a> {
    /// The connector's id.
    pub id: &'a str,
    /// Its auth.
    pub auth: &'a AuthModel,
    /// Its setup values.
    pub fields: &'a [FieldModel],
    /// Its calls.
    pub methods: &'a [MethodModel],
    /// The headers every request sends.
    pub headers: &'a [HeaderModel],
    /// The connector's rate limit.
    pub rate_limit: Option<&'a RateLimitModel>,
    /// The method that proves the credentials work.
    pub connection_check: Option<&'a str>,
    /// Where each setup value is kept.
    pub plan: &'a setup::Plan,
    /// Every way to sign in, the default first.
    pub sign_ins: &'a [SignInModel],
}

/// One `Authentication` entry: a way to sign in.
#[derive(Debug, Clone, Serialize)]
pub struct Authentication {
    /// `IsDefault`.
    pub is_default: bool,
    /// `AuthName`.
    pub name: String,
    /// `AuthDescription`.
    pub description: Option<String>,
    /// `AuthType`, `OAuth2Type`, `AuthScheme` and the OAuth2 URLs and scopes.
    pub keys: AuthKeys,
}

/// The keys that say how one sign-in authenticates.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AuthKeys {
    /// `AuthType`.
    pub auth_type: AuthType,
    /// `OAuth2Type`, for OAuth2.
    pub oauth2_type: Option<OAuth2Type>,
    /// `AuthScheme`: the header that carries an API key as it is.
    pub auth_scheme: Option<String>,
    /// `AuthoriseUrl`, with merge fields and the extra authorise parameters.
    pub authorise_url: Option<String>,
    /// `AccessTokenUrl`, with merge fields.
    pub access_token_url: Option<String>,
    /// `Scopes`, space-separated, with merge fields.
    pub scopes: Option<String>,
}

/// The keys of one sign-in, and what the connector script must do before each call for it
/// (an API key in a `Bearer` header or in the query).
fn auth_keys(auth: &AuthModel) -> (AuthKeys, Vec<Statement>) {
    let mut keys = AuthKeys::default();
    let mut before_action = Vec::new();
    match auth {
        AuthModel::None => {}
        AuthModel::ApiKey { placement, .. } => {
            keys.auth_type = AuthType::ApiKey;
            match placement {
                ApiKeyPlacement::Header { name, prefix: None } => {
                    keys.auth_scheme = Some(name.clone());
                }
                // CC/02's recipe: the script writes the header with the key in it.
                ApiKeyPlacement::Header {
                    name,
                    prefix: Some(prefix),
                } => before_action.push(Statement::Set {
                    target: ScriptTarget::Header(name.clone()),
                    value: vec![ScriptValue::Literal(prefix.clone()), ScriptValue::AuthValue],
                }),
                // Cyclr's Pipedrive: `AuthScheme` null, the key in the query by script.
                ApiKeyPlacement::Query { name } => before_action.push(Statement::Set {
                    target: ScriptTarget::Query(name.clone()),
                    value: vec![ScriptValue::AuthValue],
                }),
            }
        }
        AuthModel::Basic { .. } => keys.auth_type = AuthType::Basic,
        AuthModel::Oauth2(oauth2) => {
            keys = oauth2_keys(oauth2);
        }
    }
    (keys, before_action)
}

/// The keys of an OAuth2 sign-in.
fn oauth2_keys(oauth2: &super::OAuth2Model) -> AuthKeys {
    AuthKeys {
        auth_type: AuthType::OAuth2,
        oauth2_type: Some(match oauth2.flow {
            Flow::Password => OAuth2Type::PasswordCredentials,
            Flow::ClientCredentials => OAuth2Type::ClientCredentials,
            Flow::AuthorizationCode => OAuth2Type::AuthorisationCode,
        }),
        auth_scheme: None,
        authorise_url: oauth2.authorize_url.as_ref().map(|url| {
            let mut text = url.merge_fields.clone();
            for pair in &oauth2.authorize_params {
                text.push(if text.contains('?') { '&' } else { '?' });
                text.push_str(&form_encode(&pair.name));
                text.push('=');
                match &pair.value {
                    FormValue::Literal { text: value } => text.push_str(&form_encode(value)),
                    FormValue::Field(field) => text.push_str(&format!("{{{{{}}}}}", field.name)),
                    FormValue::Scope => {}
                }
            }
            text
        }),
        access_token_url: Some(oauth2.token_url.merge_fields.clone()),
        scopes: oauth2.scope.as_ref().map(|s| s.merge_fields.clone()),
    }
}

/// The namespace of connector-gen's name-based UUIDs (RFC 9562 version 5): itself the UUID
/// of the URL `https://connector-gen.invalid/cyclr` in the URL namespace.
fn namespace() -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, b"https://connector-gen.invalid/cyclr")
}

/// The connector's `UniqueIdentifier`: the same for the same id on every run and machine.
pub fn connector_guid(id: &str) -> Uuid {
    Uuid::new_v5(&namespace(), id.as_bytes())
}

/// A method's `MethodUniqueIdentifier`, from the connector's and the method's name: a renamed
/// method is a new method.
pub fn method_guid(id: &str, method: &str) -> Uuid {
    Uuid::new_v5(&connector_guid(id), method.as_bytes())
}

/// The system field that receives a new webhook subscription's id, and the merge field that
/// sends it back (CC/13).
pub const WEBHOOK_ID: &str = "Cyclr_Webhook_Id";

/// The system field name given to the field that takes Cyclr's webhook URL.
pub const WEBHOOK_URL: &str = "Cyclr_Webhook_Url";

/// The merge field Cyclr fills with the webhook step's URL (CC/13).
const WEBHOOK_URL_MERGE_FIELD: &str = "{{Cyclr_Webhook_Url}}";

/// A webhook's keys of the Cyclr JSON: a `Webhook` method whose `RequestFormat` describes
/// what the vendor posts (CC/13). The keys that select its subscribe and unsubscribe methods
/// are not in any public export (reference section 10, question 4); this generator writes
/// `CreateWebhookMethod` and `DeleteWebhookMethod`, after the UI's labels, holding the
/// methods' names, as `Triggers` name theirs.
#[derive(Debug, Clone, Serialize)]
pub struct CyclrWebhook {
    /// `MethodUniqueIdentifier`.
    pub guid: String,
    /// `RequestFormat.Fields`: the payload, flattened.
    pub fields: Vec<Field>,
    /// `CreateWebhookMethod`.
    pub create_method: Option<String>,
    /// `DeleteWebhookMethod`.
    pub delete_method: Option<String>,
}

impl CyclrWebhook {
    /// The Cyclr side of webhook `name` of connector `id`.
    pub fn new(
        id: &str,
        name: &str,
        payload: &BodyModel,
        shapes: &[ShapeModel],
        create_method: Option<String>,
        delete_method: Option<String>,
    ) -> Self {
        let mut fields = Vec::new();
        let own = shape_fields(payload.shape.as_deref(), shapes);
        flatten(Side::Response, &[], &own, shapes, &mut fields);
        flatten(Side::Response, &[], &payload.fields, shapes, &mut fields);
        CyclrWebhook {
            guid: method_guid(id, name).to_string(),
            fields,
            create_method,
            delete_method,
        }
    }
}

/// One method's keys of the Cyclr JSON that the shared model does not hold as Cyclr writes
/// them.
#[derive(Debug, Clone, Serialize)]
pub struct CyclrMethod {
    /// `MethodUniqueIdentifier`.
    pub guid: String,
    /// `Hide`: a method only Cyclr calls (a webhook's subscribe and unsubscribe calls).
    pub hide: bool,
    /// `EndPoint`, with merge fields (and the last-run date of a List New method's query).
    pub endpoint: String,
    /// `Parameters`: path and query parameters, then the hidden paging ones.
    pub parameters: Vec<Parameter>,
    /// `PagedInbound`.
    pub paged_inbound: bool,
    /// `PageSizeInbound`, on paged methods.
    pub page_size_inbound: Option<u32>,
    /// `PageSizeOutbound` and `PagedOutboundLocation` (with `PagedOutbound`), on bulk
    /// methods.
    pub outbound: Option<Outbound>,
    /// `TimeFilterField`: the response path Cyclr compares with the last run.
    pub time_filter_field: Option<String>,
    /// `Script`: JavaScript Cyclr runs around the call.
    pub script: Option<Script>,
    /// `RateLimits`: the method's own limit.
    pub rate_limits: Vec<RateLimit>,
    /// `RequestFormat.Fields`: the body's fields flattened, then the connector's own
    /// (hidden paging values, the last-run date).
    pub request_fields: Vec<Field>,
    /// `ResponseFormat.Fields`: the response's fields flattened, items first.
    pub response_fields: Vec<Field>,
}

/// Outbound paging: how Cyclr splits what a bulk method sends (CC/10).
#[derive(Debug, Clone, Serialize)]
pub struct Outbound {
    /// `PageSizeOutbound`.
    pub page_size: u32,
    /// `PagedOutboundLocation`: the array to split, in Cyclr's notation.
    pub location: String,
}

/// A method parameter as Cyclr lists it.
#[derive(Debug, Clone, Serialize)]
pub struct Parameter {
    /// `TargetType`.
    pub target_type: TargetType,
    /// `TargetName`.
    pub target_name: String,
    /// `DisplayName`.
    pub display_name: Option<String>,
    /// `Description`.
    pub description: Option<String>,
    /// `Values`. Not `values`, which Jinja2 (the benchmark's reference pipeline) reads as
    /// `dict.values`.
    pub allowed: Vec<String>,
    /// `TriggerName`.
    pub trigger_name: Option<String>,
    /// `IsOptional`.
    pub optional: bool,
    /// `Hide`.
    pub hide: bool,
}

/// A request or response field as Cyclr lists it: flattened, with its full path.
#[derive(Debug, Clone, Serialize)]
pub struct Field {
    /// `ConnectorField`: the vendor's path.
    pub connector_field: String,
    /// `SystemField`.
    pub system_field: String,
    /// `DisplayName`.
    pub display_name: String,
    /// `Description`.
    pub description: String,
    /// `DataType`.
    pub data_type: DataType,
    /// `DataTypeFormat`, for dates.
    pub format: Option<String>,
    /// `IsOptional`.
    pub optional: bool,
    /// `Values`. Not `values`, which Jinja2 (the benchmark's reference pipeline) reads as
    /// `dict.values`.
    pub allowed: Vec<String>,
    /// `DefaultValue`.
    pub default: Option<String>,
    /// `TriggerName`.
    pub trigger_name: Option<String>,
    /// `Hide`.
    pub hide: bool,
}

/// Cyclr's paging variables.
pub mod variable {
    /// The page number, from 1.
    pub const PAGE_NUMBER: &str = "CYCLR_PAGE_NUMBER";
    /// The item offset, from 0.
    pub const PAGE_OFFSET: &str = "CYCLR_PAGE_OFFSET";
    /// The page size (`PageSizeInbound`).
    pub const PAGE_SIZE: &str = "CYCLR_PAGE_SIZE";
    /// The next page's URL, read from the response.
    pub const PAGE_NEXT_URL: &str = "CYCLR_PAGE_NEXT_URL";
    /// A page token, read from the response and sent back.
    pub const PAGE_TOKEN: &str = "CYCLR_PAGE_TOKEN";
}

impl CyclrMethod {
    /// The Cyclr side of a method of connector `id`.
    pub fn new(id: &str, method: &Method, role: MethodRole, parts: MethodParts<'_>) -> Self {
        let MethodParts {
            endpoint,
            parameters,
            request,
            response,
            paging,
            since,
            batch,
            shapes,
            headers,
            plan,
            rate_limit,
        } = parts;
        let mut endpoint_text = endpoint.merge_fields.clone();
        let unsubscribe = matches!(role, MethodRole::Unsubscribe { .. });
        if unsubscribe {
            endpoint_text = endpoint_text.replace(
                &format!("{{{{{WEBHOOK_ID_PARAMETER}}}}}"),
                &format!("{{{{{WEBHOOK_ID}}}}}"),
            );
        }
        let mut list = Vec::new();
        for parameter in parameters {
            if unsubscribe && parameter.name == WEBHOOK_ID_PARAMETER {
                // CC/13: a hidden merge field named as the system field that kept the id.
                let mut hidden =
                    Parameter::hidden(TargetType::MergeField, WEBHOOK_ID, String::new());
                hidden.allowed.clear();
                hidden.display_name = Some(parameter.display_name.clone());
                hidden.description = Some(parameter.description.clone());
                list.push(hidden);
                continue;
            }
            list.push(Parameter {
                target_type: match parameter.location {
                    Location::Path => TargetType::MergeField,
                    Location::Query => TargetType::QueryString,
                },
                target_name: parameter.name.clone(),
                display_name: Some(parameter.display_name.clone()),
                description: Some(parameter.description.clone()),
                allowed: parameter.values.clone(),
                trigger_name: parameter.trigger.clone(),
                optional: parameter.optional,
                hide: false,
            });
        }
        let mut request_fields = Vec::new();
        if let Some(body) = request {
            let own = shape_fields(body.shape.as_deref(), shapes);
            flatten(Side::Request, &[], &own, shapes, &mut request_fields);
            flatten(
                Side::Request,
                &[],
                &body.fields,
                shapes,
                &mut request_fields,
            );
        }
        if matches!(role, MethodRole::Subscribe { .. }) {
            // CC/13: the field that takes the URL is hidden, its default Cyclr's merge field.
            for field in request_fields
                .iter_mut()
                .filter(|f| f.system_field == WEBHOOK_URL)
            {
                field.hide = true;
                field.default = Some(WEBHOOK_URL_MERGE_FIELD.to_owned());
            }
        }
        let mut response_fields = Vec::new();
        if let Some(response) = response {
            let items = response.items.clone().unwrap_or_default();
            let own = shape_fields(response.shape.as_deref(), shapes);
            flatten(Side::Response, &items, &own, shapes, &mut response_fields);
            flatten(
                Side::Response,
                &[],
                &response.fields,
                shapes,
                &mut response_fields,
            );
        }
        let mut script = Script::default();
        // The method's own headers: fixed ones as hidden parameters holding their value,
        // the rest set by the method's script.
        for header in headers {
            match header.value.literal() {
                Some(text) => list.push(Parameter::hidden(
                    TargetType::HttpHeader,
                    &header.name,
                    text.to_owned(),
                )),
                None => script.before_action.push(Statement::Set {
                    target: ScriptTarget::Header(header.name.clone()),
                    value: setup::script_text(&header.value.template, &|n| plan.read(n)),
                }),
            }
        }
        // A paging value: a hidden parameter or request field whose first value is the
        // variable (reference section 5).
        let mut hidden = |location: PagingLocation, name: &str, variable: String| match location {
            PagingLocation::Query => {
                list.push(Parameter::hidden(TargetType::QueryString, name, variable))
            }
            // A body key is one key, whatever it holds: `\paging.page\` in Cyclr's notation,
            // as the Rust client sends it.
            PagingLocation::Body => request_fields.push(Field {
                connector_field: fieldpath::format(&[Segment::Key(name.to_owned())]),
                system_field: super::system_field(&[Segment::Key(name.to_owned())]),
                display_name: name.to_owned(),
                description: "Filled in by Cyclr for each page.".to_owned(),
                data_type: if variable.starts_with(variable::PAGE_TOKEN) {
                    DataType::Text
                } else {
                    DataType::Integer
                },
                format: None,
                optional: false,
                allowed: vec![variable],
                default: None,
                trigger_name: None,
                hide: true,
            }),
        };
        if let Some(paging) = paging {
            let location = paging.location;
            match paging.kind {
                PagingKind::PageNumber => {
                    let param = paging
                        .page_param
                        .as_deref()
                        .expect("validation required page_param");
                    hidden(location, param, variable::PAGE_NUMBER.to_owned());
                    if paging.first_page == 0 {
                        script.before_action.push(Statement::ZeroBasedPage {
                            location,
                            param: param.to_owned(),
                        });
                    }
                }
                PagingKind::Offset => {
                    let param = paging
                        .page_param
                        .as_deref()
                        .expect("validation required page_param");
                    hidden(location, param, variable::PAGE_OFFSET.to_owned());
                }
                PagingKind::Cursor => {
                    for cursor in &paging.cursors {
                        hidden(
                            location,
                            &cursor.param,
                            token_variable(paging, &cursor.param),
                        );
                    }
                }
                PagingKind::NextUrl => {}
            }
            if let Some(size) = &paging.size_param {
                hidden(location, size, variable::PAGE_SIZE.to_owned());
            }
            if paging.kind == PagingKind::Cursor {
                for cursor in &paging.cursors {
                    list.push(Parameter::hidden(
                        TargetType::ResponseField,
                        &fieldpath::format(&cursor.response),
                        token_variable(paging, &cursor.param),
                    ));
                }
            }
            if let Some(next) = &paging.next_url {
                list.push(Parameter::hidden(
                    TargetType::ResponseField,
                    &fieldpath::format(next),
                    variable::PAGE_NEXT_URL.to_owned(),
                ));
            }
        }
        let mut time_filter_field = None;
        match since {
            Some(SinceModel::Query { param, format }) => {
                // Validation keeps queries out of base URLs and paths: this is the first.
                endpoint_text.push('?');
                endpoint_text.push_str(&format!("{param}={}", last_run_date(format)));
            }
            Some(SinceModel::Body { path, format }) => request_fields.push(Field {
                connector_field: fieldpath::format(path),
                system_field: super::system_field(path),
                display_name: "Since".to_owned(),
                description: "The step's last successful run, filled in by Cyclr.".to_owned(),
                data_type: DataType::Text,
                format: None,
                optional: false,
                allowed: Vec::new(),
                default: Some(last_run_date(format)),
                trigger_name: None,
                hide: true,
            }),
            Some(SinceModel::ResponseField { path }) => {
                let items = method
                    .response
                    .as_ref()
                    .and_then(|r| r.items.as_deref())
                    .map(|items| fieldpath::parse(items).expect("validation parsed it"))
                    .unwrap_or_default();
                let mut full = items;
                full.extend(path.iter().cloned());
                time_filter_field = Some(fieldpath::format(&full));
            }
            None => {}
        }
        CyclrMethod {
            guid: method_guid(id, &method.name).to_string(),
            hide: role != MethodRole::Action,
            endpoint: endpoint_text,
            parameters: list,
            paged_inbound: paging.is_some(),
            page_size_inbound: paging.map(|p| p.page_size),
            outbound: batch.map(|batch| Outbound {
                page_size: batch.size,
                location: fieldpath::format(&batch.items),
            }),
            time_filter_field,
            script: script.non_empty(),
            rate_limits: rate_limit.into_iter().map(RateLimit::new).collect(),
            request_fields,
            response_fields,
        }
    }
}

/// What [`CyclrMethod::new`] reads of the shared model.
pub struct MethodParts<'a> {
    /// The full endpoint.
    pub endpoint: &'a UrlModel,
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
    /// How Cyclr splits what it sends.
    pub batch: Option<&'a BatchModel>,
    /// The connector's shapes.
    pub shapes: &'a [ShapeModel],
    /// The method's own headers.
    pub headers: &'a [HeaderModel],
    /// Where the connector's setup values are kept.
    pub plan: &'a setup::Plan,
    /// The method's own rate limit.
    pub rate_limit: Option<&'a RateLimitModel>,
}

/// The fields of shape `name`, as one field of that shape at the root would list them.
fn shape_fields(name: Option<&str>, shapes: &[ShapeModel]) -> Vec<DataFieldModel> {
    name.and_then(|name| shapes.iter().find(|s| s.name == name))
        .map(|shape| shape.fields.clone())
        .unwrap_or_default()
}

impl Parameter {
    /// A hidden parameter whose first value is a Cyclr variable.
    fn hidden(target_type: TargetType, name: &str, variable: String) -> Self {
        Parameter {
            target_type,
            target_name: name.to_owned(),
            display_name: Some(name.to_owned()),
            description: None,
            allowed: vec![variable],
            trigger_name: None,
            optional: false,
            hide: true,
        }
    }
}

/// The variable of the cursor sent back as `param`: `CYCLR_PAGE_TOKEN` for a single cursor,
/// `CYCLR_PAGE_TOKEN_<SUFFIX>` for each of a matched set (CC/10).
pub fn token_variable(paging: &PagingModel, param: &str) -> String {
    if paging.cursors.len() > 1 {
        format!("{}_{}", variable::PAGE_TOKEN, token_suffix(param))
    } else {
        variable::PAGE_TOKEN.to_owned()
    }
}

/// The `_SUFFIX` of a paired page token: its key in capitals, other characters as `_`.
pub fn token_suffix(param: &str) -> String {
    param
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// The merge field of the step's last successful run date in `format` (mandatory, CC/09).
fn last_run_date(format: &str) -> String {
    format!("{{{{LastSuccessfulRunDate format={format}}}}}")
}

/// Which side of the call fields describe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The request body: read-only fields are left out.
    Request,
    /// The response.
    Response,
}

/// Flattens fields to Cyclr's list: a shape's fields sit under the field's path, with the
/// field's system field and display name before their own; everything under an optional
/// field is optional.
pub fn flatten(
    side: Side,
    prefix: &[Segment],
    fields: &[DataFieldModel],
    shapes: &[ShapeModel],
    out: &mut Vec<Field>,
) {
    let parent = Parent {
        path: prefix,
        system: "",
        display: "",
        optional: false,
    };
    flatten_into(side, &parent, fields, shapes, out);
}

/// Where flattened fields sit.
struct Parent<'a> {
    path: &'a [Segment],
    system: &'a str,
    display: &'a str,
    optional: bool,
}

fn flatten_into(
    side: Side,
    parent: &Parent<'_>,
    fields: &[DataFieldModel],
    shapes: &[ShapeModel],
    out: &mut Vec<Field>,
) {
    for field in fields
        .iter()
        .filter(|f| side == Side::Response || !f.read_only)
    {
        let prefix = parent.path;
        let system_prefix = parent.system;
        let display_prefix = parent.display;
        let optional = parent.optional || field.optional;
        let mut path = prefix.to_vec();
        path.extend(field.path.iter().cloned());
        let system_field = format!("{system_prefix}{}", field.system_field);
        let display_name = format!("{display_prefix}{}", field.display_name);
        match &field.kind {
            FieldKind::Scalar { data_type, format } => out.push(Field {
                connector_field: fieldpath::format(&path),
                system_field,
                display_name,
                description: field.description.clone(),
                data_type: *data_type,
                format: format.clone(),
                optional,
                allowed: field.values.clone(),
                // What a request sends when the user gives nothing, and where the user picks
                // it from, say nothing of a response.
                default: field.default.clone().filter(|_| side == Side::Request),
                trigger_name: field.trigger.clone().filter(|_| side == Side::Request),
                hide: false,
            }),
            FieldKind::Shape { name } => {
                let shape = shapes
                    .iter()
                    .find(|s| &s.name == name)
                    .expect("validation resolved every shape");
                let display = format!("{display_name} ");
                let parent = Parent {
                    path: &path,
                    system: &system_field,
                    display: &display,
                    optional,
                };
                flatten_into(side, &parent, &shape.fields, shapes, out);
            }
        }
    }
}

/// Cyclr's `AuthType` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum AuthType {
    /// No authentication.
    #[default]
    None,
    /// An API key.
    ApiKey,
    /// HTTP Basic.
    Basic,
    /// OAuth 2.0.
    OAuth2,
}

/// Cyclr's `OAuth2Type` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum OAuth2Type {
    /// The password grant.
    PasswordCredentials,
    /// The client-credentials grant.
    ClientCredentials,
    /// The authorisation-code grant (Cyclr's British spelling).
    AuthorisationCode,
}

/// Where Cyclr puts a setup value: its `TargetType` and `TargetName`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Target {
    /// `TargetType`.
    pub target_type: TargetType,
    /// `TargetName`: the merge field's name, or the query parameter's.
    pub target_name: String,
}

impl Target {
    /// A merge field named after the setup field.
    pub fn merge_field(name: &str) -> Self {
        Target {
            target_type: TargetType::MergeField,
            target_name: name.to_owned(),
        }
    }

    /// A query-string parameter (an API key sent in the query).
    pub fn query_string(name: &str) -> Self {
        Target {
            target_type: TargetType::QueryString,
            target_name: name.to_owned(),
        }
    }
}

/// Cyclr's `TargetType` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TargetType {
    /// A `{{Name}}` merge field in URLs.
    MergeField,
    /// A query-string parameter.
    QueryString,
    /// A value read from the response (paging).
    ResponseField,
    /// A request header.
    HttpHeader,
    /// A value the connector script reads as `script_parameters`.
    Script,
}

impl CyclrConnector {
    /// The Cyclr keys of a connector.
    pub fn new(parts: ConnectorParts<'_>) -> Self {
        let ConnectorParts {
            id,
            auth,
            fields,
            methods,
            headers,
            rate_limit,
            connection_check,
            plan,
            sign_ins,
        } = parts;
        let page_size = methods
            .iter()
            .find_map(|m| m.paging.as_ref().map(|p| p.page_size));
        let mut parameters: Vec<ConnectorParameter> = fields
            .iter()
            .filter_map(|field| {
                let target = plan.target(&field.name)?;
                let allowed = match field.kind {
                    FieldType::Boolean => vec!["true".to_owned(), "false".to_owned()],
                    _ => field.choices.iter().map(|c| c.value.clone()).collect(),
                };
                Some(ConnectorParameter {
                    allowed,
                    target_type: target.target_type,
                    target_name: target.target_name.clone(),
                    property: Some(if field.partner_property {
                        Property::Partner
                    } else {
                        Property::Account
                    }),
                    description: Some(field.description.clone()),
                    display_name: Some(field.display_name.clone()),
                    default: field.default.clone(),
                    sensitive: field.secret,
                    multiline: field.kind == FieldType::Multiline,
                    hide: false,
                    // A value one of several sign-ins needs is left blank for the others.
                    optional: field.optional || field.sign_in_only,
                })
            })
            .collect();
        let read = |name: &str| plan.read(name);
        let mut header_statements = Vec::new();
        for header in headers {
            if let Some(text) = header.value.literal() {
                parameters.push(ConnectorParameter {
                    allowed: vec![text.to_owned()],
                    target_type: TargetType::HttpHeader,
                    target_name: header.name.clone(),
                    property: None,
                    description: None,
                    display_name: None,
                    default: None,
                    sensitive: false,
                    multiline: false,
                    hide: true,
                    optional: false,
                });
                continue;
            }
            let kept = header
                .value
                .single_field()
                .and_then(|f| plan.target(&f.name));
            let as_parameter = kept.is_some_and(|t| {
                t.target_type == TargetType::HttpHeader && t.target_name == header.name
            });
            if !as_parameter {
                header_statements.push(Statement::Set {
                    target: ScriptTarget::Header(header.name.clone()),
                    value: setup::script_text(&header.value.template, &read),
                });
            }
        }
        let mut cyclr = CyclrConnector {
            status: STATUS,
            auth_type: AuthType::None,
            oauth2_type: None,
            authorise_url: None,
            access_token_url: None,
            scopes: None,
            auth_scheme: None,
            page_size,
            parameters,
            rate_limits: rate_limit.into_iter().map(RateLimit::new).collect(),
            script: None,
            test_auth_method: connection_check.map(str::to_owned),
            authentication: Vec::new(),
            auth_description: None,
            unique_identifier: connector_guid(id).to_string(),
        };
        let (keys, key_statements) = auth_keys(auth);
        cyclr.auth_type = keys.auth_type;
        cyclr.oauth2_type = keys.oauth2_type;
        cyclr.auth_scheme = keys.auth_scheme.clone();
        // One OAuth2 client per connector, whichever sign-in it belongs to.
        if let Some(oauth2) = sign_ins.iter().find_map(|s| match &s.auth {
            AuthModel::Oauth2(oauth2) => Some(oauth2),
            _ => None,
        }) {
            let keys = oauth2_keys(oauth2);
            cyclr.authorise_url = keys.authorise_url;
            cyclr.access_token_url = keys.access_token_url;
            cyclr.scopes = keys.scopes;
        }
        // `AuthDescription` repeats the default's at top level (reference section 1); the
        // entries are written for several sign-ins, or to carry the one's name.
        cyclr.auth_description = sign_ins[0].description.clone();
        if sign_ins.len() > 1 || sign_ins[0].named {
            cyclr.authentication = sign_ins
                .iter()
                .map(|sign_in| Authentication {
                    is_default: sign_in.default,
                    name: sign_in.name.clone(),
                    description: sign_in.description.clone(),
                    keys: auth_keys(&sign_in.auth).0,
                })
                .collect();
        }
        // Before each call: the auth value wherever else a URL needs it, the key where it
        // goes, then the headers built from pieces.
        let merge_copies = fields.iter().filter_map(|field| {
            let needed = plan
                .uses(&field.name)
                .is_some_and(setup::Uses::auth_value_in_url);
            let value = plan.read(&field.name).filter(|_| needed)?;
            Some(Statement::Set {
                target: ScriptTarget::MergeField(field.name.clone()),
                value: vec![value],
            })
        });
        let script = Script {
            before_action: merge_copies
                .chain(key_statements)
                .chain(header_statements)
                .collect(),
            before_token: plan.token_statements().to_vec(),
        };
        cyclr.script = script.non_empty();
        cyclr
    }
}

/// `application/x-www-form-urlencoded` encoding of a query key or value (as the Rust
/// runtime's `encode_form_value`: `*-._` and alphanumerics as they are, a space as `+`).
fn form_encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}
