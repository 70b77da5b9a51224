//! Security schemes to sign-ins: `auth` and `alternative_auth`, with the setup values each
//! needs (client id and secret, user name and password, API key, bearer token).

use super::methods::valid_json_key;
use super::*;

/// One sign-in, with the security scheme it came from.
pub(super) struct SignIn {
    pub(super) node: Node,
    /// Shown when there are several (`name:` after `type:`).
    pub(super) name: String,
    pub(super) scheme: String,
    pub(super) loc: Loc,
}

impl SignIn {
    /// The sign-in as written: named when the connector has several.
    pub(super) fn node(&self, several: bool) -> Node {
        let mut node = self.node.clone();
        if several && let Node::Map(entries) = &mut node {
            entries.insert(
                1.min(entries.len()),
                yaml::Entry {
                    key: "name".to_owned(),
                    value: Node::text(&self.name),
                    reviews: Vec::new(),
                },
            );
        }
        node
    }
}

pub(super) fn valid_header(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 30
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

impl<'a> Importer<'a> {
    /// Sign-ins: the default first, then the alternatives.
    pub(super) fn sign_ins(&mut self) -> Vec<SignIn> {
        let api = self.api;
        // The order: the top-level requirements, the operations', then the rest declared.
        let mut order: Vec<String> = Vec::new();
        let mut scopes_required: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut together: Vec<(String, String)> = Vec::new();
        // Schemes some requirement names alone: usable as a sign-in of their own.
        let mut alone: BTreeSet<String> = BTreeSet::new();
        let op_requirements = api.operations.iter().flat_map(|op| &op.security);
        for requirement in api.security.iter().chain(op_requirements) {
            if let [(name, _)] = requirement.as_slice() {
                alone.insert(name.clone());
            }
            for (i, (name, scopes)) in requirement.iter().enumerate() {
                if !order.contains(name) {
                    order.push(name.clone());
                }
                let entry = scopes_required.entry(name.clone()).or_default();
                for scope in scopes {
                    if !entry.contains(scope) {
                        entry.push(scope.clone());
                    }
                }
                if i > 0 {
                    together.push((requirement[0].0.clone(), name.clone()));
                }
            }
        }
        for (name, _, _) in &api.schemes {
            if !order.contains(name) {
                order.push(name.clone());
            }
        }
        let mut sign_ins: Vec<SignIn> = Vec::new();
        let mut oauth_taken = false;
        let mut key_fields = 0;
        for scheme_name in &order {
            let Some((_, loc, scheme)) = api.schemes.iter().find(|(n, _, _)| n == scheme_name)
            else {
                continue;
            };
            // A scheme only ever required beside one that is imported cannot sign in alone.
            if !alone.contains(scheme_name)
                && let Some((first, _)) = together.iter().find(|(first, second)| {
                    second == scheme_name && sign_ins.iter().any(|s| &s.scheme == first)
                })
            {
                self.leave_out(loc, format!("the security scheme `{scheme_name}`"), format!("operations require it together with `{first}`, and a sign-in sends one credential; add it as a header by hand"));
                continue;
            }
            let mut map = MapBuilder::new();
            match scheme {
                Scheme::ApiKey { name, location } => {
                    // Each key its own setup value: a second key scheme is named after itself.
                    let field = if key_fields == 0 {
                        self.free_field_name("ApiKey")
                    } else {
                        let base =
                            names::pascal(scheme_name, 30).unwrap_or_else(|| "ApiKey".to_owned());
                        self.free_field_name(&base)
                    };
                    match location {
                        KeyLocation::Cookie => {
                            self.leave_out(loc, format!("the security scheme `{scheme_name}`"), "an API key in a cookie; connector-gen sends keys in a header or the query");
                            continue;
                        }
                        KeyLocation::Header if !valid_header(name) => {
                            self.leave_out(
                                loc,
                                format!("the security scheme `{scheme_name}`"),
                                format!(
                                    "the header name `{name}` is not one a definition can hold"
                                ),
                            );
                            continue;
                        }
                        KeyLocation::Query if !valid_json_key(name) => {
                            self.leave_out(
                                loc,
                                format!("the security scheme `{scheme_name}`"),
                                format!("the query key `{name}` is not one a definition can hold"),
                            );
                            continue;
                        }
                        _ => {}
                    }
                    key_fields += 1;
                    map.put("type", Node::raw("api_key"));
                    map.text("api_key", &format!("<<{field}>>"));
                    match location {
                        KeyLocation::Header => map.text("api_key_header", name),
                        _ => map.text("api_key_query", name),
                    };
                    let display = names::display_name(&field);
                    let mut setup = SetupField::new(
                        &field,
                        &display,
                        format!(
                            "The {} {} sends.",
                            if field == "ApiKey" { "API key" } else { "key" },
                            self.name
                        ),
                        "account",
                    )
                    .secret();
                    setup.reviews.push(review(
                        ReviewKind::Description,
                        format!("say where in {} to find the key", self.name),
                    ));
                    self.add_field(setup);
                }
                Scheme::Basic => {
                    map.put("type", Node::raw("basic"));
                    map.text("username", "<<Username>>")
                        .text("password", "<<Password>>");
                    self.user_fields();
                }
                Scheme::Bearer => {
                    map.put("type", Node::raw("api_key"));
                    map.text("api_key", "<<AccessToken>>")
                        .text("api_key_header", "Authorization")
                        .text("api_key_prefix", "Bearer ");
                    let mut setup = SetupField::new(
                        "AccessToken",
                        "Access Token",
                        format!("The token {} sends as `Bearer` authorisation.", self.name),
                        "account",
                    )
                    .secret();
                    setup.reviews.push(review(
                        ReviewKind::Description,
                        format!("say where in {} to get the token", self.name),
                    ));
                    self.add_field(setup);
                }
                Scheme::OAuth2 { flows } => {
                    if oauth_taken {
                        self.leave_out(
                            loc,
                            format!("the security scheme `{scheme_name}`"),
                            "a second OAuth2 scheme; a connector has one OAuth2 sign-in",
                        );
                        continue;
                    }
                    // The first flow a connector can use: not implicit, with its URLs.
                    let usable = |f: &&openapi::Flow| {
                        f.kind != FlowKind::Implicit
                            && f.token_url.as_deref().is_some_and(|u| !u.trim().is_empty())
                            && (f.kind != FlowKind::AuthorizationCode
                                || f.authorize_url
                                    .as_deref()
                                    .is_some_and(|u| !u.trim().is_empty()))
                    };
                    let Some(flow) = flows.iter().find(usable) else {
                        let why = if flows.is_empty() {
                            "it declares no flows".to_owned()
                        } else if flows.iter().all(|f| f.kind == FlowKind::Implicit) {
                            "its only flow is implicit, which hands tokens to a browser; Cyclr connectors use the authorisation code flow".to_owned()
                        } else {
                            "its flows lack the token (or authorisation) URL a connector needs"
                                .to_owned()
                        };
                        self.leave_out(loc, format!("the security scheme `{scheme_name}`"), why);
                        continue;
                    };
                    for other in flows.iter().filter(|f| f.kind != flow.kind) {
                        self.leave_out(
                            loc,
                            format!("the OAuth2 flow `{}` of `{scheme_name}`", other.kind.name()),
                            format!(
                                "a connector has one OAuth2 sign-in; the {} flow is used",
                                flow.kind.name()
                            ),
                        );
                    }
                    oauth_taken = true;
                    map.put("type", Node::raw("oauth2"));
                    let flow_name = match flow.kind {
                        FlowKind::AuthorizationCode => "authorization_code",
                        FlowKind::ClientCredentials => "client_credentials",
                        _ => "password",
                    };
                    map.put("flow", Node::raw(flow_name));
                    if flow.kind == FlowKind::AuthorizationCode {
                        let url = self.absolute(flow.authorize_url.as_deref().unwrap_or(""));
                        map.text("authorize_url", &url);
                    }
                    let token = self.absolute(flow.token_url.as_deref().unwrap_or(""));
                    map.text("token_url", &token);
                    let required = scopes_required
                        .get(scheme_name)
                        .cloned()
                        .unwrap_or_default();
                    let (scopes, note) = if required.is_empty() {
                        (
                            flow.scopes.clone(),
                            format!(
                                "all {} scopes the document declares; keep those the connector needs",
                                flow.scopes.len()
                            ),
                        )
                    } else {
                        (
                            required.clone(),
                            format!(
                                "the {} scopes the document's operations require",
                                required.len()
                            ),
                        )
                    };
                    let (scopes, unusable): (Vec<String>, Vec<String>) =
                        scopes.into_iter().partition(|s| {
                            !s.is_empty()
                                && s.chars()
                                    .all(|c| c.is_ascii_graphic() && !matches!(c, '"' | '\\'))
                        });
                    for scope in unusable {
                        self.leave_out(
                            loc,
                            format!("the scope `{}` of `{scheme_name}`", scope.escape_debug()),
                            "a scope is sent space-separated, so it may hold only printable ASCII without spaces, quotes or backslashes",
                        );
                    }
                    let note = format!("{note} ({} kept)", scopes.len());
                    if !scopes.is_empty() {
                        map.put(
                            "scopes",
                            Node::Flow(scopes.iter().map(|s| yaml::flow_scalar(s)).collect()),
                        );
                        map.review(Some(review(ReviewKind::Choice, note)));
                    }
                    map.text("client_id", "<<ClientId>>")
                        .text("client_secret", "<<ClientSecret>>");
                    let mut id = SetupField::new(
                        "ClientId",
                        "Client ID",
                        format!("The client ID of the app registered with {}.", self.name),
                        "partner",
                    );
                    id.reviews.push(review(
                        ReviewKind::Description,
                        format!("say where in {} to register the app", self.name),
                    ));
                    self.add_field(id);
                    self.add_field(
                        SetupField::new(
                            "ClientSecret",
                            "Client Secret",
                            format!(
                                "The client secret of the app registered with {}.",
                                self.name
                            ),
                            "partner",
                        )
                        .secret(),
                    );
                    if flow.kind == FlowKind::Password {
                        map.text("username", "<<Username>>")
                            .text("password", "<<Password>>");
                        self.user_fields();
                    }
                }
                Scheme::Unsupported(what) => {
                    self.leave_out(
                        loc,
                        format!("the security scheme `{scheme_name}`"),
                        format!("{what} is not a sign-in a definition can hold"),
                    );
                    continue;
                }
            }
            sign_ins.push(SignIn {
                node: map.build(),
                name: names::display_name(scheme_name),
                scheme: scheme_name.clone(),
                loc: loc.clone(),
            });
        }
        sign_ins
    }

    pub(super) fn user_fields(&mut self) {
        self.add_field(SetupField::new(
            "Username",
            "Username",
            format!("The user name you sign in to {} with.", self.name),
            "account",
        ));
        self.add_field(
            SetupField::new(
                "Password",
                "Password",
                format!("The password you sign in to {} with.", self.name),
                "account",
            )
            .secret(),
        );
    }

    pub(super) fn add_field(&mut self, field: SetupField) {
        if !self.fields.iter().any(|f| f.name == field.name) {
            self.fields.push(field);
        }
    }

    /// An OAuth2 URL made absolute against the base URL's origin.
    pub(super) fn absolute(&self, url: &str) -> String {
        let url = url.trim();
        if let Some(rest) = url.strip_prefix("http://") {
            return format!("https://{rest}");
        }
        if url.contains("://") {
            return url.to_owned();
        }
        format!("{}/{}", self.origin, url.trim_start_matches('/'))
    }
}
