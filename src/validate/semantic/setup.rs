//! The checks of setup values and what carries them: each field's type, allowed values,
//! example and default agree; a value can stand wherever it is placed (some real value
//! passes both the field's pattern and the placement's check); headers, token and authorise
//! parameters and scopes name fields that exist; every value reaches the API in a way
//! Cyclr can express (`model::cyclr::setup`); the connection check is a method that can be
//! called without arguments.

use std::collections::BTreeSet;
use std::ops::Range;

use super::Checker;
use crate::definition::{AuthKind, FieldType, ParameterLocation};
use crate::diagnostics::{Code, Diagnostic};
use crate::model::cyclr::setup;
use crate::pattern::{self, Placement};
use crate::placeholder::Part;

/// Headers the client sets itself: a definition may not set them again.
const CLIENT_HEADERS: &[&str] = &["accept", "content-type", "content-length", "host"];

impl Checker<'_> {
    /// Each field's type, values, example and default agree.
    pub(super) fn setup_values(&mut self) {
        for (i, field) in self.definition.fields.iter().enumerate() {
            let at = |key: &str| format!("/fields/{i}/{key}");
            let kind = field.kind;
            let typed = matches!(kind, FieldType::Boolean | FieldType::Integer);
            if field.secret && (typed || !field.values.is_empty()) {
                let key = if typed { "type" } else { "values" };
                self.error(
                    Code::InvalidSetupValue,
                    format!("the secret field `{}` has {key}", field.name),
                    self.spans.key_or_value(&at(key)),
                    "a secret is free text the user types; remove `secret: true` or the allowed values",
                );
            }
            if typed && (field.pattern.is_some() || !field.values.is_empty()) {
                let key = if field.pattern.is_some() {
                    "pattern"
                } else {
                    "values"
                };
                self.error(
                    Code::InvalidSetupValue,
                    format!(
                        "{} field takes no `{key}`: its type says what it may hold",
                        if kind == FieldType::Integer {
                            "an integer"
                        } else {
                            "a boolean"
                        }
                    ),
                    self.spans.key_or_value(&at(key)),
                    format!("remove `{key}`, or make the field `type: text`"),
                );
            }
            if field.secret && field.example.is_some() {
                self.error(
                    Code::SecretDefault,
                    format!("the secret field `{}` has an example value", field.name),
                    self.spans.key_or_value(&at("example")),
                    "remove `example`: a credential written into the definition is published in every output",
                );
            }
            let compiled = field
                .pattern
                .as_ref()
                .and_then(|p| self.patterns.get(p).cloned());
            let samples = [("default", &field.default), ("example", &field.example)];
            for (key, sample) in samples {
                let Some(value) = sample.as_ref().filter(|_| !field.secret) else {
                    continue;
                };
                let problem = match kind {
                    FieldType::Boolean if value != "true" && value != "false" => {
                        Some("a boolean is `true` or `false`".to_owned())
                    }
                    FieldType::Integer if value.parse::<i64>().is_err() => Some(
                        "an integer is written in decimal digits, with an optional `-`".to_owned(),
                    ),
                    FieldType::Url if !pattern::is_accepted(Placement::Url, value) => Some(
                        "a url is a whole address such as https://example.atlassian.net".to_owned(),
                    ),
                    FieldType::HostName if !pattern::is_accepted(Placement::HostName, value) => {
                        Some(
                            "a host name is dot-separated labels such as usw2.pure.cloud"
                                .to_owned(),
                        )
                    }
                    _ if !field.values.is_empty() && !field.values.contains(value) => {
                        Some(format!(
                            "it must be one of the allowed values: {}",
                            field.values.join(", ")
                        ))
                    }
                    _ if key == "example"
                        && compiled.as_ref().is_some_and(|c| !c.is_match(value)) =>
                    {
                        Some(format!(
                            "it must match the field's pattern `{}`",
                            field.pattern.as_deref().unwrap_or_default()
                        ))
                    }
                    _ => None,
                };
                if let Some(problem) = problem {
                    self.error(
                        Code::InvalidSetupValue,
                        format!(
                            "the {key} `{value}` of `{}` does not fit the field",
                            field.name
                        ),
                        self.spans.value(&at(key)),
                        format!("{problem}; change the {key} or the field"),
                    );
                }
            }
            if let Some(compiled) = &compiled {
                for (v, value) in field.values.iter().enumerate() {
                    if !compiled.is_match(value) {
                        self.error(
                            Code::InvalidSetupValue,
                            format!(
                                "the allowed value `{value}` of `{}` does not match its pattern",
                                field.name
                            ),
                            self.spans.value(&format!("/fields/{i}/values/{v}")),
                            "change the value or the pattern so that they agree",
                        );
                    }
                }
            }
        }
    }

    /// Whether some value of field `index` can stand where `placement` puts it, at `at`: its
    /// default, example and allowed values must, and at least one value its pattern accepts.
    pub(super) fn placement(
        &mut self,
        index: usize,
        placement: Placement,
        at: Range<usize>,
        check_default: bool,
    ) {
        let field = &self.definition.fields[index];
        if !self.placed.insert((field.name.clone(), placement)) || field.secret {
            return;
        }
        let (what, fix) = match placement {
            Placement::HostLabel => (
                "one DNS label (letters, digits and inner hyphens, no dots)",
                "if the value spans several labels (usw2.pure.cloud), declare `type: host_name`",
            ),
            Placement::HostName => (
                "a host name (dot-separated labels of letters, digits and inner hyphens)",
                "change the pattern or the values",
            ),
            Placement::PathSegment => (
                "one path segment (not empty, `.` or `..`)",
                "change the pattern or the values",
            ),
            Placement::HeaderValue => (
                "a header value (one line, no control characters, no leading or trailing space)",
                "change the pattern or the values",
            ),
            Placement::Url => (
                "a whole https URL without a trailing `/`, query or fragment",
                "a url value starts the URL, as in `<<Site>>/api`; otherwise change the pattern or the values",
            ),
            Placement::Scope => (
                "part of one scope (printable characters without spaces, quotes or backslashes)",
                "a value holding several scopes cannot stand in one; change the pattern or the values",
            ),
        };
        let values: Vec<(String, String)> = field
            .values
            .iter()
            .enumerate()
            .map(|(v, value)| (format!("/fields/{index}/values/{v}"), value.clone()))
            .chain(
                [("default", &field.default), ("example", &field.example)]
                    .into_iter()
                    .filter(|(key, _)| check_default || *key != "default")
                    .filter_map(|(key, value)| {
                        value
                            .clone()
                            .map(|value| (format!("/fields/{index}/{key}"), value))
                    }),
            )
            .collect();
        let mut refused_any = false;
        // A value that does not fit the field itself is reported once, by `setup_values`.
        let fits = |value: &str| {
            (field.values.is_empty() || field.values.iter().any(|v| v == value))
                && match field.kind {
                    FieldType::Url => pattern::is_accepted(Placement::Url, value),
                    FieldType::HostName => pattern::is_accepted(Placement::HostName, value),
                    _ => true,
                }
        };
        let values: Vec<(String, String)> = values
            .into_iter()
            .filter(|(pointer, value)| pointer.contains("/values/") || fits(value))
            .collect();
        for (pointer, value) in values {
            if !pattern::is_accepted(placement, &value) {
                refused_any = true;
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::InvalidSetupValue,
                        format!("`{value}` cannot stand where `<<{}>>` does", field.name),
                    )
                    .in_file(self.file, self.spans.value(&pointer))
                    .with_secondary(at.clone(), "used here")
                    .with_help(format!("a value here must be {what}; {fix}")),
                );
            }
        }
        if refused_any {
            return;
        }
        let Some(source) = field.pattern.as_ref() else {
            return;
        };
        let Some(compiled) = self.patterns.get(source) else {
            return;
        };
        if compiled.first_accepted(placement).is_none() {
            self.diagnostics.push(
                Diagnostic::error(
                    Code::InvalidSetupValue,
                    format!(
                        "no value of `{}` can stand where `<<{}>>` does: every value its pattern accepts would be refused there",
                        field.name, field.name
                    ),
                )
                .in_file(self.file, self.spans.value(&format!("/fields/{index}/pattern")))
                .with_secondary(at, "used here")
                .with_help(format!(
                    "a value here must be {what}, and the pattern `{source}` accepts none; {fix}"
                )),
            );
        }
    }

    /// Headers: unique, not the client's own, naming fields that exist.
    pub(super) fn headers(&mut self) {
        let connector = self
            .definition
            .headers
            .iter()
            .enumerate()
            .map(|(h, header)| (format!("/headers/{h}"), header, false));
        let methods = self
            .definition
            .methods
            .iter()
            .enumerate()
            .flat_map(|(m, method)| {
                method
                    .headers
                    .iter()
                    .enumerate()
                    .map(move |(h, header)| (format!("/methods/{m}/headers/{h}"), header, true))
            });
        let all: Vec<_> = connector.chain(methods).collect();
        let auth_headers: Vec<String> = self
            .definition
            .sign_ins()
            .iter()
            .filter_map(|(_, auth)| match auth.kind {
                AuthKind::ApiKey => auth.api_key_header.clone(),
                AuthKind::None => None,
                AuthKind::Basic | AuthKind::Oauth2 => Some("Authorization".to_owned()),
            })
            .collect();
        let mut seen: BTreeSet<(String, String)> = BTreeSet::new();
        for (pointer, header, in_method) in all {
            let lower = header.name.to_ascii_lowercase();
            let scope = pointer
                .rsplit_once("/headers/")
                .map_or(String::new(), |(s, _)| s.to_owned());
            let name_at = self.spans.value(&format!("{pointer}/name"));
            let clash = if CLIENT_HEADERS.contains(&lower.as_str()) {
                Some(format!(
                    "`{}` is set by the client for every request",
                    header.name
                ))
            } else if auth_headers
                .iter()
                .any(|h| h.eq_ignore_ascii_case(&header.name))
            {
                Some(format!(
                    "`{}` carries the credentials `auth` describes",
                    header.name
                ))
            } else if !seen.insert((scope.clone(), lower.clone()))
                || (in_method && seen.contains(&(String::new(), lower.clone())))
            {
                Some(format!("the header `{}` is set twice", header.name))
            } else {
                None
            };
            if let Some(message) = clash {
                self.error(
                    Code::InvalidHeader,
                    message,
                    name_at,
                    "remove the header; an API key's prefix is `api_key_prefix`, and a method's header may not repeat the connector's",
                );
                continue;
            }
            let value_pointer = format!("{pointer}/value");
            let Some(template) = self.template(&value_pointer, &header.value) else {
                continue;
            };
            // The fixed text the client sends as it is: a value of its own, trimmed.
            let fixed = template.placeholders().next().is_none();
            if fixed
                && (header.value.is_empty()
                    || !pattern::is_accepted(Placement::HeaderValue, &header.value))
            {
                self.error(
                    Code::InvalidHeader,
                    format!(
                        "the header `{}` has an empty value or one with space at an end",
                        header.name
                    ),
                    self.spans.value(&value_pointer),
                    "write the header's value without leading or trailing spaces",
                );
            }
            let mut nth: std::collections::BTreeMap<String, usize> = Default::default();
            for (name, _) in template.placeholders() {
                let occurrence = nth.entry(name.to_owned()).or_insert(0);
                let this = *occurrence;
                *occurrence += 1;
                if let Some(field) = self.resolve_field(&value_pointer, name, this) {
                    let index = self
                        .definition
                        .fields
                        .iter()
                        .position(|f| f.name == field.name)
                        .unwrap_or(0);
                    let at = self.locate(&value_pointer, &format!("<<{name}>>"), this);
                    self.placement(index, Placement::HeaderValue, at, true);
                }
            }
        }
    }

    /// The auth settings issue 13 added: the key's prefix, extra token and authorise
    /// parameters, and setup values in the scopes.
    pub(super) fn auth_extras(&mut self) {
        for (base, auth) in self.definition.sign_ins() {
            self.auth_extras_of(&base, auth);
        }
    }

    fn auth_extras_of(&mut self, base: &str, auth: &crate::definition::Auth) {
        // Elsewhere than an API key, `auth` reports the prefix as misplaced.
        if auth.kind == AuthKind::ApiKey
            && auth.api_key_prefix.is_some()
            && auth.api_key_header.is_none()
        {
            self.error(
                Code::AuthSettingMisplaced,
                "`api_key_prefix` needs `api_key_header`",
                self.spans.key_or_value(&format!("{base}/api_key_prefix")),
                "a prefix is text before the key in its header; add `api_key_header: Authorization`, or remove the prefix",
            );
        }
        for (key, params) in [
            ("authorize_params", &auth.authorize_params),
            ("token_params", &auth.token_params),
        ] {
            for (name, value) in params.iter().flatten() {
                let pointer = format!("{base}/{key}/{}", crate::load::pointer_token(name));
                if key == "authorize_params" && AUTHORIZE_FIELDS.contains(&name.as_str()) {
                    self.error(
                        Code::AuthSettingMisplaced,
                        format!("`{name}` is a parameter the authorise URL sends already"),
                        self.spans.key_or_value(&pointer),
                        format!(
                            "remove it; the client fills in {}",
                            AUTHORIZE_FIELDS.join(", ")
                        ),
                    );
                    continue;
                }
                let Some(template) = self.template(&pointer, value) else {
                    continue;
                };
                let mixed = template.parts.len() > 1
                    && template
                        .parts
                        .iter()
                        .any(|p| matches!(p, Part::Placeholder { .. }));
                if mixed {
                    self.error(
                        Code::AuthSettingMisplaced,
                        format!("`{name}` mixes text and a setup value"),
                        self.spans.value(&pointer),
                        "give a fixed text or exactly one `<<Field>>`; let the field hold the whole value (a field of `type: url` for an address)",
                    );
                    continue;
                }
                for (field, _) in template.placeholders() {
                    let resolved = self.resolve_field(&pointer, field, 0);
                    if key == "authorize_params" && resolved.is_some_and(|f| f.secret) {
                        let at = self.locate(&pointer, &format!("<<{field}>>"), 0);
                        self.error(
                            Code::MisplacedPlaceholder,
                            format!("the secret field `{field}` stands in the authorise URL"),
                            at,
                            "the authorise URL is opened in the user's browser and kept in its history; a credential never belongs there",
                        );
                    }
                }
            }
        }
        for (s, scope) in auth.scopes.iter().flatten().enumerate() {
            let pointer = format!("{base}/scopes/{s}");
            let Some(template) = self.template(&pointer, scope) else {
                continue;
            };
            for (name, _) in template.placeholders() {
                let Some(field) = self.resolve_field(&pointer, name, 0) else {
                    continue;
                };
                let at = self.locate(&pointer, &format!("<<{name}>>"), 0);
                if field.secret {
                    self.error(
                        Code::MisplacedPlaceholder,
                        format!("the secret field `{name}` stands in the scopes"),
                        at,
                        "scopes are shown to the user who signs in; a credential never belongs there",
                    );
                    continue;
                }
                if let Some(index) = self.definition.fields.iter().position(|f| f.name == name) {
                    self.placement(index, Placement::Scope, at, true);
                }
            }
        }
    }

    /// Every setup value reaches the API in a way Cyclr can express.
    pub(super) fn cyclr_targets(&mut self) {
        let uses = setup::uses(self.definition);
        let sign_ins = self.definition.sign_ins();
        if sign_ins.len() > 1 {
            // Cyclr's scripts cannot tell which sign-in an account uses, so a script that
            // puts one sign-in's credential in place would run for the others too.
            for (base, auth) in &sign_ins {
                let scripted = match auth.kind {
                    AuthKind::ApiKey => {
                        auth.api_key_query.is_some() || auth.api_key_prefix.is_some()
                    }
                    _ => false,
                };
                if scripted {
                    let name = auth.name.as_deref().unwrap_or("the default");
                    self.error(
                        Code::Unexpressible,
                        format!(
                            "Cyclr JSON: the sign-in `{name}` needs a connector script before each call to put its key in place, which would also run for the other sign-ins"
                        ),
                        self.spans.head(base, self.text),
                        "Cyclr's scripts cannot tell which sign-in an account uses; send the key bare in a header (`api_key_header` without `api_key_prefix`), or offer this sign-in alone",
                    );
                }
            }
        }
        for (i, field) in self.definition.fields.iter().enumerate() {
            let Some(field_uses) = uses.get(&field.name) else {
                continue;
            };
            if let Err(conflict) = setup::target(&field.name, field.set_by, field_uses) {
                self.error(
                    Code::Unexpressible,
                    format!("Cyclr JSON: {}", conflict.message),
                    self.spans.value(&format!("/fields/{i}/name")),
                    conflict.help,
                );
            }
        }
    }

    /// The connection check names a method that takes no arguments.
    pub(super) fn connection_check(&mut self) {
        let Some(name) = &self.definition.connection_check else {
            return;
        };
        let at = self.spans.value("/connection_check");
        let Some(method) = self.definition.methods.iter().find(|m| &m.name == name) else {
            let names: Vec<&str> = self
                .definition
                .methods
                .iter()
                .map(|m| m.name.as_str())
                .collect();
            let help = match crate::validate::did_you_mean(name, names.iter().copied()) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!(
                    "name one of the connector's methods, a GET without required parameters: {}",
                    names.join(", ")
                ),
            };
            self.error(
                Code::InvalidValue,
                format!("`{name}` names no method"),
                at,
                help,
            );
            return;
        };
        let required_parameter = method
            .parameters
            .iter()
            .find(|p| !p.optional || p.location == ParameterLocation::Path);
        let problem = if let Some(parameter) = required_parameter {
            Some(format!("it needs the parameter `{}`", parameter.name))
        } else if method.request.is_some() {
            Some("it sends a request body".to_owned())
        } else if method.http_method != crate::definition::HttpMethod::Get {
            Some("it is not a GET: a check must change nothing".to_owned())
        } else {
            None
        };
        if let Some(problem) = problem {
            self.error(
                Code::InvalidValue,
                format!("the connection check `{name}` cannot run on its own: {problem}"),
                at,
                "name a GET method without required parameters, such as one that reads the signed-in user",
            );
        }
    }
}

impl<'a> Checker<'a> {
    /// What several sign-ins must agree on: each has its own name, at most one is OAuth2
    /// (one token endpoint and one set of Cyclr client settings), and none is `none`.
    pub(super) fn sign_ins(&mut self, sign_ins: &[(String, &'a crate::definition::Auth)]) {
        // The Rust client's `Config` holds the choice as `sign_in_with`.
        for (i, field) in self.definition.fields.iter().enumerate() {
            if crate::naming::snake_ident(&field.name).as_deref() == Some("sign_in_with") {
                self.error(
                    Code::DuplicateName,
                    format!("the field `{}` is named like the sign-in choice", field.name),
                    self.spans.value(&format!("/fields/{i}/name")),
                    "with several sign-ins the Rust client's `Config` holds `sign_in_with`; rename the field",
                );
            }
        }
        let mut names: BTreeSet<String> = BTreeSet::new();
        let mut oauth2: Option<&str> = None;
        for (base, auth) in sign_ins {
            let alternative = base != "/auth";
            match &auth.name {
                None if alternative => self.error(
                    Code::MissingAuthField,
                    "a sign-in in `alternative_auth` needs `name`",
                    self.spans.head(base, self.text),
                    "add `name:` with what the installer picks, such as `API Key`",
                ),
                Some(name) => {
                    let ident = crate::model::rust::type_ident(name, "SignIn");
                    if !names.insert(ident) {
                        self.error(
                            Code::DuplicateName,
                            format!("two sign-ins are named `{name}`"),
                            self.spans.value(&format!("{base}/name")),
                            "give each sign-in a name of its own (they become Rust enum variants too)",
                        );
                    }
                }
                None => {}
            }
            if alternative && auth.kind == AuthKind::None {
                self.error(
                    Code::AuthSettingMisplaced,
                    "an alternative sign-in of type none",
                    self.spans.value(&format!("{base}/type")),
                    "remove it: a connector whose API needs no credentials has `auth: { type: none }` and nothing else",
                );
            }
            if auth.kind == AuthKind::Oauth2 {
                if let Some(first) = oauth2 {
                    self.diagnostics.push(
                        Diagnostic::error(Code::AuthSettingMisplaced, "a second OAuth2 sign-in")
                            .in_file(self.file, self.spans.value(&format!("{base}/type")))
                            .with_secondary(self.spans.value(&format!("{first}/type")), "the first")
                            .with_help("Cyclr holds one OAuth2 client per connector; keep one OAuth2 sign-in"),
                    );
                } else {
                    oauth2 = Some(base);
                }
            }
        }
    }
}

/// The query parameters the authorise URL sends itself (RFC 6749 section 4.1.1).
const AUTHORIZE_FIELDS: &[&str] = &[
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
];

/// What a value of a field of `kind` standing at `context` in a URL must be.
pub(super) fn placement_of(context: crate::placeholder::UrlContext, kind: FieldType) -> Placement {
    use crate::placeholder::UrlContext;
    match (context, kind) {
        (UrlContext::Origin, _) => Placement::Url,
        (UrlContext::Host, FieldType::HostName) => Placement::HostName,
        (UrlContext::Host, _) => Placement::HostLabel,
        (UrlContext::HostName, _) => Placement::HostName,
        (UrlContext::Path, _) => Placement::PathSegment,
    }
}
