//! Where Cyclr keeps each setup value, and the connector script that carries what Cyclr's
//! JSON has no key for (reference sections 1-3 and 7).
//!
//! A setup value reaches the API in one of four ways in Cyclr, and this module is the one
//! place that chooses:
//! - **Cyclr holds it itself.** An API key, or Basic's user name and password, is the
//!   account connector's auth value (`AuthType` `ApiKey` or `Basic`): the installer enters it
//!   once and no parameter asks for it again. A partner's OAuth2 client id and secret live in
//!   the Connector Library entry; an account's are properties named exactly `ClientId` and
//!   `ClientSecret`, and the password grant's `Username` and `Password` likewise.
//! - **A `MergeField` parameter**, for a value in a URL (`{{Name}}` in `EndPoint`,
//!   `AccessTokenUrl`, `AuthoriseUrl`), in the scopes or in an authorise parameter.
//! - **An `HttpHeader` parameter**, for a value that is the whole of one connector header.
//! - **A `Script` parameter**, read by the connector script as `script_parameters`, for a value
//!   in a token request's extra fields or built into a header with other text.
//!
//! What the JSON cannot say, the connector script does: it puts an API key into its
//! `Bearer` header or the query string, copies an auth value into the merge fields a URL
//! needs, builds headers from several pieces, adds `token_params` to the token request and
//! moves the client's credentials into a Basic header. Two inferences stand behind it, made
//! here once: `before_action` may set `method_request_mergefields` before Cyclr fills the
//! endpoint's merge fields (the reference lists the object among those the event sees, with
//! no other use), and the token request's `method_request` holds the form fields Cyclr sends,
//! `client_id` and `client_secret` among them (the reference's own `audience` example).
//! A value that would need two of these at once, which Cyclr cannot do, is an error at
//! generation time ([`Conflict`]).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Target, TargetType};
use crate::definition::{AuthKind, ClientAuth, Definition, OAuth2Flow, SetBy};
use crate::placeholder::{Part, Template};

/// What a setup value is to the auth settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthRole {
    /// The API key.
    ApiKey,
    /// HTTP Basic's user name.
    BasicUser,
    /// HTTP Basic's password.
    BasicPassword,
    /// The OAuth2 client id.
    ClientId,
    /// The OAuth2 client secret.
    ClientSecret,
    /// The password grant's user name.
    Username,
    /// The password grant's password.
    Password,
}

impl AuthRole {
    /// The auth setting that names the field.
    pub fn setting(self) -> &'static str {
        match self {
            AuthRole::ApiKey => "api_key",
            AuthRole::BasicUser | AuthRole::Username => "username",
            AuthRole::BasicPassword | AuthRole::Password => "password",
            AuthRole::ClientId => "client_id",
            AuthRole::ClientSecret => "client_secret",
        }
    }

    /// What the value is, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            AuthRole::ApiKey => "API key",
            AuthRole::BasicUser => "Basic user name",
            AuthRole::BasicPassword => "Basic password",
            AuthRole::ClientId => "OAuth2 client id",
            AuthRole::ClientSecret => "OAuth2 client secret",
            AuthRole::Username => "password grant's user name",
            AuthRole::Password => "password grant's password",
        }
    }

    /// Whether Cyclr holds the value as the account's auth value (an API key, Basic's user
    /// name and password) rather than as a property.
    pub fn is_auth_value(self) -> bool {
        matches!(
            self,
            AuthRole::ApiKey | AuthRole::BasicUser | AuthRole::BasicPassword
        )
    }

    /// The property name Cyclr's OAuth2 reads the value from; none for the auth value.
    pub fn cyclr_name(self) -> Option<&'static str> {
        match self {
            AuthRole::ApiKey | AuthRole::BasicUser | AuthRole::BasicPassword => None,
            AuthRole::ClientId => Some("ClientId"),
            AuthRole::ClientSecret => Some("ClientSecret"),
            AuthRole::Username => Some("Username"),
            AuthRole::Password => Some("Password"),
        }
    }
}

/// Where one setup value is used.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Uses {
    /// What it is to the auth settings.
    pub role: Option<AuthRole>,
    /// In a URL, the scopes or an authorise parameter: a `{{Name}}` merge field.
    pub merge_field: bool,
    /// The connector headers whose whole value it is.
    pub whole_headers: Vec<String>,
    /// Part of a header's value, or in a method's header: the script builds the header.
    pub scripted_header: bool,
    /// In a token request's extra fields.
    pub token_param: bool,
    /// What else it is to other sign-ins' auth settings, where that differs from `role`.
    pub other_roles: Vec<AuthRole>,
    /// Whether the connector offers several sign-ins.
    pub several_sign_ins: bool,
}

impl Uses {
    /// Whether the value is a sign-in's auth value (an API key, Basic's user name or
    /// password) that a URL needs too: the connector script copies it into the merge field.
    pub fn auth_value_in_url(&self) -> bool {
        self.merge_field && self.role.is_some_and(AuthRole::is_auth_value)
    }

    /// Where else than in the auth settings the value goes, for messages.
    pub fn places(&self) -> String {
        let mut places = Vec::new();
        if self.merge_field {
            places.push("a URL or the scopes".to_owned());
        }
        places.extend(
            self.whole_headers
                .iter()
                .map(|h| format!("the header `{h}`")),
        );
        if self.scripted_header {
            places.push("the text of a header".to_owned());
        }
        if self.token_param {
            places.push("`token_params`".to_owned());
        }
        places.join(" and ")
    }

    /// Whether anything but the auth settings uses the value.
    pub fn any(&self) -> bool {
        self.merge_field
            || !self.whole_headers.is_empty()
            || self.scripted_header
            || self.token_param
    }
}

/// Where each setup value of `definition` is used, by field name. Placeholders that name no
/// field (a method's own parameters) are left out.
pub fn uses(definition: &Definition) -> BTreeMap<String, Uses> {
    let mut uses: BTreeMap<String, Uses> = definition
        .fields
        .iter()
        .map(|f| (f.name.clone(), Uses::default()))
        .collect();
    let mut note = |text: &str, skip: &[&str], mark: &mut dyn FnMut(&mut Uses)| {
        let Ok(template) = Template::parse(text) else {
            return;
        };
        for (name, _) in template.placeholders() {
            if !skip.contains(&name)
                && let Some(entry) = uses.get_mut(name)
            {
                mark(entry);
            }
        }
    };
    let sign_ins = definition.sign_ins();
    let mut merge = |entry: &mut Uses| entry.merge_field = true;
    note(&definition.base_url, &[], &mut merge);
    for (_, auth) in &sign_ins {
        for url in [&auth.token_url, &auth.authorize_url].into_iter().flatten() {
            note(url, &[], &mut merge);
        }
        for scope in auth.scopes.iter().flatten() {
            note(scope, &[], &mut merge);
        }
        for value in auth.authorize_params.iter().flat_map(|p| p.values()) {
            note(value, &[], &mut merge);
        }
    }
    let calls = crate::model::webhook_methods(definition);
    let methods = definition
        .methods
        .iter()
        .chain(calls.iter().map(|(method, _)| method));
    for method in methods {
        let own: Vec<&str> = method.parameters.iter().map(|p| p.name.as_str()).collect();
        note(&method.path, &own, &mut merge);
        for header in &method.headers {
            note(&header.value, &[], &mut |entry| {
                entry.scripted_header = true
            });
        }
    }
    for header in &definition.headers {
        let whole = Template::parse(&header.value)
            .ok()
            .and_then(|t| match t.parts.as_slice() {
                [Part::Placeholder { name, .. }] => Some(name.clone()),
                _ => None,
            });
        note(&header.value, &[], &mut |entry| match &whole {
            Some(_) => entry.whole_headers.push(header.name.clone()),
            None => entry.scripted_header = true,
        });
    }
    for (_, auth) in &sign_ins {
        for value in auth.token_params.iter().flat_map(|p| p.values()) {
            note(value, &[], &mut |entry| entry.token_param = true);
        }
    }
    let field_name = |reference: &Option<String>| {
        reference
            .as_deref()
            .map(|r| r.trim_start_matches("<<").trim_end_matches(">>").to_owned())
    };
    for (_, auth) in &sign_ins {
        let roles: Vec<(&Option<String>, AuthRole)> = match auth.kind {
            AuthKind::None => Vec::new(),
            AuthKind::ApiKey => vec![(&auth.api_key, AuthRole::ApiKey)],
            AuthKind::Basic => vec![
                (&auth.username, AuthRole::BasicUser),
                (&auth.password, AuthRole::BasicPassword),
            ],
            AuthKind::Oauth2 => {
                let mut roles = vec![
                    (&auth.client_id, AuthRole::ClientId),
                    (&auth.client_secret, AuthRole::ClientSecret),
                ];
                if auth.flow == Some(OAuth2Flow::Password) {
                    roles.push((&auth.username, AuthRole::Username));
                    roles.push((&auth.password, AuthRole::Password));
                }
                roles
            }
        };
        for (reference, role) in roles {
            if let Some(entry) = field_name(reference).and_then(|name| uses.get_mut(&name)) {
                match entry.role {
                    None => entry.role = Some(role),
                    Some(first) if first != role && !entry.other_roles.contains(&role) => {
                        entry.other_roles.push(role);
                    }
                    Some(_) => {}
                }
            }
        }
    }
    let several = sign_ins.len() > 1;
    for entry in uses.values_mut() {
        entry.several_sign_ins = several;
    }
    uses
}

/// A setup value Cyclr cannot pass everywhere it is used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: String,
}

/// Where Cyclr keeps the setup value `name`, set by `set_by` and used as `uses` says: the
/// connector parameter that holds it, or none where Cyclr holds it itself.
pub fn target(name: &str, set_by: SetBy, uses: &Uses) -> Result<Option<Target>, Conflict> {
    let target = |target_type, target_name: &str| {
        Ok(Some(Target {
            target_type,
            target_name: target_name.to_owned(),
        }))
    };
    let auth_value = AuthRole::is_auth_value;
    if let (Some(first), Some(other)) = (uses.role, uses.other_roles.first()) {
        let cyclr_names = (first.cyclr_name(), other.cyclr_name());
        if auth_value(first) != auth_value(*other) || cyclr_names.0 != cyclr_names.1 {
            return Err(Conflict {
                message: format!(
                    "`{name}` is both the {} of one sign-in and the {} of another, which the Cyclr JSON cannot express",
                    first.describe(),
                    other.describe()
                ),
                help: "Cyclr keeps an API key or Basic credentials as the account's auth value and OAuth2 credentials as properties of their own; declare one field for each sign-in".to_owned(),
            });
        }
    }
    match uses.role {
        Some(role) if auth_value(role) && set_by == SetBy::Partner => Err(Conflict {
            message: format!(
                "`{name}` is the {} and set by the partner, which the Cyclr JSON cannot express",
                role.describe()
            ),
            help: "Cyclr asks each account for its API key or Basic credentials (the auth value); write `set_by: account`, or, for one key the partner sets for every account, send it as a header with `auth: { type: none }` and `headers: [{ name: X-Api-Key, value: <<Key>> }]`".to_owned(),
        }),
        // Several sign-ins: a script copying the auth value would run for the others too.
        Some(role) if auth_value(role) && uses.several_sign_ins && uses.any() => Err(Conflict {
            message: format!(
                "`{name}` is a sign-in's {} and also goes in {}, which takes a connector script that would run for the other sign-ins too",
                role.describe(),
                uses.places()
            ),
            help: "Cyclr's scripts cannot tell which sign-in an account uses; declare a second field for the other use, or offer this sign-in alone".to_owned(),
        }),
        // The auth value: the script copies it wherever else it goes.
        Some(role) if auth_value(role) => Ok(None),
        Some(role) => {
            let cyclr_name = role.cyclr_name().unwrap_or(name);
            let partner_client = matches!(role, AuthRole::ClientId | AuthRole::ClientSecret)
                && set_by == SetBy::Partner;
            // An account property named as Cyclr's setting is also a merge field of that
            // name, which URLs and `before_action` can use; nothing else reaches it.
            let reachable = !partner_client && name == cyclr_name && !uses.token_param;
            if uses.any() && !reachable {
                let help = if partner_client || uses.token_param {
                    format!(
                        "Cyclr reads the {} from its own `{cyclr_name}` setting, where no URL, header or token script can reach it; declare a second field for the other use",
                        role.setting()
                    )
                } else {
                    format!(
                        "Cyclr reads the {} from a property named exactly `{cyclr_name}`; rename the field `{cyclr_name}` so that URLs and headers can use it as `<<{cyclr_name}>>`",
                        role.setting()
                    )
                };
                return Err(Conflict {
                    message: format!(
                        "`{name}` is the {} and also goes in {}, which the Cyclr JSON cannot express",
                        role.describe(),
                        uses.places()
                    ),
                    help,
                });
            }
            if partner_client {
                Ok(None)
            } else {
                target(TargetType::MergeField, cyclr_name)
            }
        }
        None if uses.merge_field && uses.token_param => Err(Conflict {
            message: format!(
                "`{name}` goes both in a URL or the scopes and in `token_params`, which the Cyclr JSON cannot express"
            ),
            help: "Cyclr passes a setup value into URLs as a merge field and to the token request's script as a script parameter, never both; declare a second field for the token parameter".to_owned(),
        }),
        None if uses.merge_field => target(TargetType::MergeField, name),
        None => match uses.whole_headers.as_slice() {
            [header] if !uses.scripted_header && !uses.token_param => {
                target(TargetType::HttpHeader, header)
            }
            [] if !uses.scripted_header && !uses.token_param => {
                target(TargetType::MergeField, name)
            }
            _ => target(TargetType::Script, name),
        },
    }
}

/// JavaScript Cyclr runs around calls, recorded as what it does: `render::cyclr` writes its
/// text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Script {
    /// `before_action`, in order.
    pub before_action: Vec<Statement>,
    /// `before_oauth2_token` and `before_oauth2_refresh`, in order.
    pub before_token: Vec<Statement>,
}

impl Script {
    /// The script, unless it does nothing.
    pub fn non_empty(self) -> Option<Script> {
        (self != Script::default()).then_some(self)
    }
}

/// One thing a script does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Statement {
    /// The API counts pages from 0 and Cyclr's `CYCLR_PAGE_NUMBER` from 1: ask for the page
    /// before.
    ZeroBasedPage {
        /// Where the page number travels.
        location: crate::definition::PagingLocation,
        /// Its key.
        param: String,
    },
    /// Sets a value.
    Set {
        /// What is set.
        target: ScriptTarget,
        /// The value: its pieces joined.
        value: Vec<ScriptValue>,
    },
    /// Moves the token request's `client_id` and `client_secret` into an HTTP Basic
    /// `Authorization` header, each form-encoded first (RFC 6749 section 2.3.1).
    ClientCredentialsInBasicHeader,
}

/// What a script sets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum ScriptTarget {
    /// A request header (`method_request_headers`).
    Header(String),
    /// A query parameter (`method_request_parameters`).
    Query(String),
    /// A merge field of the endpoint (`method_request_mergefields`).
    MergeField(String),
    /// A form field of the token request (`method_request`).
    TokenField(String),
}

/// A piece of a value a script sets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum ScriptValue {
    /// Fixed text.
    Literal(String),
    /// A merge field's value (`method_request_mergefields`).
    MergeField(String),
    /// A `Script` parameter's value (`script_parameters`).
    ScriptParameter(String),
    /// The account's auth value as entered: the API key.
    AuthValue,
    /// The user name of a Basic auth value (stored as base64 of `user:password`).
    BasicUser,
    /// The password of a Basic auth value.
    BasicPassword,
}

/// How a script reads setup value `name`, kept as `target` with `uses`: `None` where no
/// script can (Cyclr's own OAuth2 settings, a value used nowhere).
pub fn script_value(name: &str, uses: &Uses, target: Option<&Target>) -> Option<ScriptValue> {
    match uses.role {
        Some(AuthRole::ApiKey) => return Some(ScriptValue::AuthValue),
        Some(AuthRole::BasicUser) => return Some(ScriptValue::BasicUser),
        Some(AuthRole::BasicPassword) => return Some(ScriptValue::BasicPassword),
        _ => {}
    }
    match target?.target_type {
        TargetType::MergeField => Some(ScriptValue::MergeField(name.to_owned())),
        TargetType::Script => Some(ScriptValue::ScriptParameter(name.to_owned())),
        _ => None,
    }
}

/// The token request's extra statements: `token_params` and where the client's credentials
/// go.
pub fn token_statements(
    definition: &Definition,
    read: &dyn Fn(&str) -> Option<ScriptValue>,
) -> Vec<Statement> {
    let sign_ins = definition.sign_ins();
    let Some((_, auth)) = sign_ins
        .into_iter()
        .find(|(_, auth)| auth.kind == AuthKind::Oauth2)
    else {
        return Vec::new();
    };
    let mut statements: Vec<Statement> = auth
        .token_params
        .iter()
        .flatten()
        .map(|(name, value)| Statement::Set {
            target: ScriptTarget::TokenField(name.clone()),
            value: script_text(value, read),
        })
        .collect();
    if auth.client_auth == Some(ClientAuth::BasicHeader) {
        statements.push(Statement::ClientCredentialsInBasicHeader);
    }
    statements
}

/// Text with placeholders as script pieces.
pub fn script_text(text: &str, read: &dyn Fn(&str) -> Option<ScriptValue>) -> Vec<ScriptValue> {
    let Ok(template) = Template::parse(text) else {
        return vec![ScriptValue::Literal(text.to_owned())];
    };
    template
        .parts
        .iter()
        .map(|part| match part {
            Part::Literal(text) => ScriptValue::Literal(text.clone()),
            Part::Placeholder { name, .. } => {
                read(name).unwrap_or_else(|| ScriptValue::MergeField(name.clone()))
            }
        })
        .collect()
}

/// Every setup value's uses and Cyclr target, worked out once per connector.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    uses: BTreeMap<String, Uses>,
    targets: BTreeMap<String, Option<Target>>,
    token: Vec<Statement>,
}

impl Plan {
    /// The plan of a checked definition (validation reported every [`Conflict`]; a
    /// conflicting value has no target here).
    pub fn new(definition: &Definition) -> Plan {
        let uses = uses(definition);
        let targets = definition
            .fields
            .iter()
            .map(|field| {
                let target = uses
                    .get(&field.name)
                    .and_then(|u| target(&field.name, field.set_by, u).ok())
                    .flatten();
                (field.name.clone(), target)
            })
            .collect();
        let mut plan = Plan {
            uses,
            targets,
            token: Vec::new(),
        };
        plan.token = token_statements(definition, &|name| plan.read(name));
        plan
    }

    /// What the token request's script does.
    pub fn token_statements(&self) -> &[Statement] {
        &self.token
    }

    /// The connector parameter that holds setup value `name`, if any.
    pub fn target(&self, name: &str) -> Option<&Target> {
        self.targets.get(name).and_then(Option::as_ref)
    }

    /// How a script reads setup value `name`.
    pub fn read(&self, name: &str) -> Option<ScriptValue> {
        let uses = self.uses.get(name)?;
        script_value(name, uses, self.target(name))
    }

    /// Where setup value `name` is used.
    pub fn uses(&self, name: &str) -> Option<&Uses> {
        self.uses.get(name)
    }
}
