//! Swagger 2.0 and OpenAPI 3.0/3.1 read into one shape, [`Api`]: the servers, the security
//! schemes, the operations with their parameters, request body and success response. The
//! differences between the versions end here; the mapping to a definition (`mod.rs`) sees
//! only [`Api`].

use serde_json::{Map, Value};

use super::document::{Documents, Loc};
use crate::diagnostics::Diagnostic;

/// The document's OpenAPI version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// Swagger 2.0.
    Swagger2,
    /// OpenAPI 3.0.x.
    OpenApi30,
    /// OpenAPI 3.1.x.
    OpenApi31,
}

impl Version {
    /// As people name it.
    pub fn name(self) -> &'static str {
        match self {
            Version::Swagger2 => "Swagger 2.0",
            Version::OpenApi30 => "OpenAPI 3.0",
            Version::OpenApi31 => "OpenAPI 3.1",
        }
    }
}

/// The API, version differences resolved.
pub struct Api<'a> {
    pub version: Version,
    pub title: Option<&'a str>,
    pub description: Option<&'a str>,
    pub api_version: Option<String>,
    pub servers: Vec<Server>,
    /// Security schemes, by name (mappings are read in key order).
    pub schemes: Vec<(String, Loc, Scheme)>,
    /// The top-level security requirements: each a list of scheme names with scopes.
    pub security: Vec<Vec<(String, Vec<String>)>>,
    pub operations: Vec<Operation<'a>>,
    /// What reading left out: where, what, why.
    pub left_out: Vec<(Loc, String, String)>,
}

/// One server URL and its variables.
pub struct Server {
    pub url: String,
    pub variables: Vec<ServerVariable>,
}

/// A server variable (OpenAPI 3).
pub struct ServerVariable {
    pub name: String,
    pub default: Option<String>,
    pub values: Vec<String>,
    pub description: Option<String>,
}

/// A security scheme, by kind.
pub enum Scheme {
    ApiKey {
        name: String,
        location: KeyLocation,
    },
    Basic,
    Bearer,
    OAuth2 {
        flows: Vec<Flow>,
    },
    /// `openIdConnect`, `mutualTLS`, an unknown HTTP scheme: named for the report.
    Unsupported(String),
}

/// Where an API key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyLocation {
    Header,
    Query,
    Cookie,
}

/// One OAuth2 flow.
pub struct Flow {
    pub kind: FlowKind,
    pub authorize_url: Option<String>,
    pub token_url: Option<String>,
    pub scopes: Vec<String>,
}

/// OAuth2 grant types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlowKind {
    AuthorizationCode,
    ClientCredentials,
    Password,
    Implicit,
}

impl FlowKind {
    /// The OpenAPI 3 name.
    pub fn name(self) -> &'static str {
        match self {
            FlowKind::AuthorizationCode => "authorizationCode",
            FlowKind::ClientCredentials => "clientCredentials",
            FlowKind::Password => "password",
            FlowKind::Implicit => "implicit",
        }
    }
}

/// HTTP verbs an operation may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verb {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Verb {
    /// In the order OpenAPI lists them in a path item.
    pub const ALL: [(&'static str, Verb); 8] = [
        ("get", Verb::Get),
        ("put", Verb::Put),
        ("post", Verb::Post),
        ("delete", Verb::Delete),
        ("options", Verb::Options),
        ("head", Verb::Head),
        ("patch", Verb::Patch),
        ("trace", Verb::Trace),
    ];

    /// Upper case, as HTTP and definitions write it.
    pub fn upper(self) -> &'static str {
        match self {
            Verb::Get => "GET",
            Verb::Put => "PUT",
            Verb::Post => "POST",
            Verb::Delete => "DELETE",
            Verb::Options => "OPTIONS",
            Verb::Head => "HEAD",
            Verb::Patch => "PATCH",
            Verb::Trace => "TRACE",
        }
    }
}

/// One operation.
pub struct Operation<'a> {
    pub path: String,
    pub verb: Verb,
    pub loc: Loc,
    pub operation_id: Option<&'a str>,
    pub summary: Option<&'a str>,
    pub description: Option<&'a str>,
    pub tags: Vec<&'a str>,
    pub parameters: Vec<Parameter>,
    pub body: Option<Body>,
    pub response: Option<Response>,
    /// The operation's own security requirements, where it overrides the document's.
    pub security: Vec<Vec<(String, Vec<String>)>>,
    /// The first server the operation or its path names (OpenAPI 3).
    pub server: Option<String>,
}

/// One parameter, its `$ref` resolved.
pub struct Parameter {
    pub name: String,
    pub location: ParamLocation,
    pub required: bool,
    pub description: Option<String>,
    /// The parameter's schema (Swagger 2.0: the parameter itself, which holds `type`).
    pub schema: Option<Loc>,
    pub loc: Loc,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
    /// Swagger 2.0 `formData`: a field of a form body.
    Form,
    /// Swagger 2.0 `body`: the request body.
    Body,
}

impl ParamLocation {
    pub fn name(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
            ParamLocation::Form => "formData",
            ParamLocation::Body => "body",
        }
    }
}

/// How a request body is encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Encoding {
    Json,
    Form,
    /// Anything else (XML, multipart, octet-stream...), by media type.
    Other(String),
}

/// A request body.
pub struct Body {
    pub encoding: Encoding,
    pub schema: Option<Loc>,
    /// Swagger 2.0 `formData` parameters, when they make the body.
    pub form_params: Vec<String>,
    pub loc: Loc,
}

/// The success response.
pub struct Response {
    pub status: String,
    /// The JSON schema of the response, when it has JSON content.
    pub schema: Option<Loc>,
    /// A media type that is not JSON, when that is all the response has.
    pub other_media: Option<String>,
    pub loc: Loc,
}

/// Reads the document's structure.
pub fn read<'a>(docs: &'a Documents) -> Result<Api<'a>, Vec<Diagnostic>> {
    let (root_loc, root) = docs.root();
    let Some(root_map) = root.as_object() else {
        return Err(vec![docs.error(
            &root_loc,
            "the document is not a mapping: not an OpenAPI or Swagger document".to_owned(),
            "pass the API's OpenAPI (3.x) or Swagger (2.0) document, JSON or YAML",
        )]);
    };
    let version = match (root_map.get("openapi"), root_map.get("swagger")) {
        (Some(Value::String(v)), _) if v.starts_with("3.0") => Version::OpenApi30,
        (Some(Value::String(v)), _) if v.starts_with("3.1") => Version::OpenApi31,
        (_, Some(Value::String(v))) if v == "2.0" => Version::Swagger2,
        (Some(other), _) | (None, Some(other)) => {
            let key = if root_map.contains_key("openapi") {
                "openapi"
            } else {
                "swagger"
            };
            return Err(vec![docs.error(
                &root_loc.child(key),
                format!("{key}: {} is not a version the importer reads", crate::validate::quote_value(other)),
                "the importer reads Swagger 2.0 (`swagger: \"2.0\"`) and OpenAPI 3.0.x and 3.1.x (`openapi: 3.0.3`); write the version as a string",
            )]);
        }
        (None, None) => {
            return Err(vec![
                docs.error(
                    &root_loc,
                    "the document has neither `openapi` nor `swagger`: not an OpenAPI document"
                        .to_owned(),
                    "pass the API's OpenAPI (3.x) or Swagger (2.0) document",
                ),
            ]);
        }
    };
    let mut reader = Reader {
        docs,
        version,
        errors: Vec::new(),
        left_out: Vec::new(),
    };
    let info = root.get("info");
    let text = |value: Option<&'a Value>, key: &str| {
        value.and_then(|v| v.get(key)).and_then(Value::as_str)
    };
    let api_version = info.and_then(|i| i.get("version")).and_then(|v| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    });
    let servers = reader.servers(root_map);
    let schemes = reader.schemes(&root_loc, root_map);
    let security = security_requirements(root_map.get("security"));
    let operations = reader.operations(&root_loc, root_map);
    if !reader.errors.is_empty() {
        return Err(reader.errors);
    }
    Ok(Api {
        version,
        title: text(info, "title"),
        description: text(info, "description"),
        api_version,
        servers,
        schemes,
        security,
        operations,
        left_out: reader.left_out,
    })
}

fn security_requirements(value: Option<&Value>) -> Vec<Vec<(String, Vec<String>)>> {
    let Some(Value::Array(requirements)) = value else {
        return Vec::new();
    };
    requirements
        .iter()
        .filter_map(Value::as_object)
        .map(|requirement| {
            requirement
                .iter()
                .map(|(name, scopes)| (name.clone(), strings(scopes)))
                .collect()
        })
        .collect()
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|items| items.iter().filter_map(scalar_text).collect())
        .unwrap_or_default()
}

/// A scalar as text (enum values and defaults may be numbers or booleans).
pub fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

struct Reader<'a> {
    docs: &'a Documents,
    version: Version,
    errors: Vec<Diagnostic>,
    left_out: Vec<(Loc, String, String)>,
}

impl<'a> Reader<'a> {
    /// Resolves `value` at `loc`, recording an error when the reference is broken.
    fn resolve(&mut self, loc: &Loc, value: &'a Value) -> Option<(Loc, &'a Value)> {
        match self.docs.resolve(loc, value) {
            Ok(found) => Some(found),
            Err(error) => {
                self.errors.push(*error);
                None
            }
        }
    }

    fn servers(&mut self, map: &'a Map<String, Value>) -> Vec<Server> {
        if self.version == Version::Swagger2 {
            let Some(Value::String(host)) = map.get("host") else {
                return Vec::new();
            };
            let base = map.get("basePath").and_then(Value::as_str).unwrap_or("");
            let schemes = strings(map.get("schemes").unwrap_or(&Value::Null));
            let scheme = if schemes.is_empty() || schemes.iter().any(|s| s == "https") {
                "https"
            } else {
                schemes[0].as_str()
            };
            return vec![Server {
                url: format!("{scheme}://{host}{base}"),
                variables: Vec::new(),
            }];
        }
        let Some(Value::Array(servers)) = map.get("servers") else {
            return Vec::new();
        };
        servers
            .iter()
            .filter_map(|server| {
                let url = server.get("url")?.as_str()?.to_owned();
                let variables = server
                    .get("variables")
                    .and_then(Value::as_object)
                    .map(|vars| {
                        vars.iter()
                            .map(|(name, var)| ServerVariable {
                                name: name.clone(),
                                default: var.get("default").and_then(scalar_text),
                                values: var.get("enum").map(strings).unwrap_or_default(),
                                description: var
                                    .get("description")
                                    .and_then(Value::as_str)
                                    .map(str::to_owned),
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                Some(Server { url, variables })
            })
            .collect()
    }

    fn schemes(&mut self, root: &Loc, map: &'a Map<String, Value>) -> Vec<(String, Loc, Scheme)> {
        let (container, at) = match self.version {
            Version::Swagger2 => (
                map.get("securityDefinitions"),
                root.child("securityDefinitions"),
            ),
            _ => (
                map.get("components").and_then(|c| c.get("securitySchemes")),
                root.child("components").child("securitySchemes"),
            ),
        };
        let Some(Value::Object(schemes)) = container else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (name, scheme) in schemes {
            let loc = at.child(name);
            let Some((loc, scheme)) = self.resolve(&loc, scheme) else {
                continue;
            };
            let text = |key: &str| scheme.get(key).and_then(Value::as_str).unwrap_or("");
            let kind = match text("type") {
                "apiKey" => {
                    let location = match text("in") {
                        "header" => KeyLocation::Header,
                        "query" => KeyLocation::Query,
                        _ => KeyLocation::Cookie,
                    };
                    Scheme::ApiKey {
                        name: text("name").to_owned(),
                        location,
                    }
                }
                "basic" => Scheme::Basic,
                "http" => match text("scheme").to_ascii_lowercase().as_str() {
                    "basic" => Scheme::Basic,
                    "bearer" => Scheme::Bearer,
                    other => Scheme::Unsupported(format!("HTTP `{other}` authentication")),
                },
                "oauth2" => Scheme::OAuth2 {
                    flows: self.flows(scheme),
                },
                "openIdConnect" => Scheme::Unsupported("OpenID Connect discovery".to_owned()),
                other => Scheme::Unsupported(format!("`{other}` security")),
            };
            out.push((name.clone(), loc, kind));
        }
        out
    }

    fn flows(&self, scheme: &Value) -> Vec<Flow> {
        let text =
            |value: &Value, key: &str| value.get(key).and_then(Value::as_str).map(str::to_owned);
        let scopes = |value: &Value| {
            value
                .get("scopes")
                .and_then(Value::as_object)
                .map(|scopes| scopes.keys().cloned().collect())
                .unwrap_or_default()
        };
        if self.version == Version::Swagger2 {
            let kind = match scheme.get("flow").and_then(Value::as_str).unwrap_or("") {
                "accessCode" => FlowKind::AuthorizationCode,
                "application" => FlowKind::ClientCredentials,
                "password" => FlowKind::Password,
                _ => FlowKind::Implicit,
            };
            return vec![Flow {
                kind,
                authorize_url: text(scheme, "authorizationUrl"),
                token_url: text(scheme, "tokenUrl"),
                scopes: scopes(scheme),
            }];
        }
        let Some(Value::Object(flows)) = scheme.get("flows") else {
            return Vec::new();
        };
        // Cyclr's preference: a user's consent first, then the machine flows.
        let order = [
            ("authorizationCode", FlowKind::AuthorizationCode),
            ("clientCredentials", FlowKind::ClientCredentials),
            ("password", FlowKind::Password),
            ("implicit", FlowKind::Implicit),
        ];
        order
            .iter()
            .filter_map(|(key, kind)| {
                let flow = flows.get(*key)?;
                Some(Flow {
                    kind: *kind,
                    authorize_url: text(flow, "authorizationUrl"),
                    token_url: text(flow, "tokenUrl"),
                    scopes: scopes(flow),
                })
            })
            .collect()
    }

    fn operations(&mut self, root: &Loc, map: &'a Map<String, Value>) -> Vec<Operation<'a>> {
        let Some(Value::Object(paths)) = map.get("paths") else {
            return Vec::new();
        };
        let consumes = strings(map.get("consumes").unwrap_or(&Value::Null));
        let produces = strings(map.get("produces").unwrap_or(&Value::Null));
        let at = root.child("paths");
        let mut out = Vec::new();
        for (path, item) in paths {
            if !path.starts_with('/') {
                continue; // `x-` extensions beside the paths
            }
            let Some((item_loc, item)) = self.resolve(&at.child(path), item) else {
                continue;
            };
            let shared = self.parameters(&item_loc.child("parameters"), item.get("parameters"));
            for (key, verb) in Verb::ALL {
                let Some(operation) = item.get(key) else {
                    continue;
                };
                let loc = item_loc.child(key);
                let mut parameters =
                    self.parameters(&loc.child("parameters"), operation.get("parameters"));
                // Path-level parameters apply unless the operation overrides them.
                for parameter in &shared {
                    if !parameters
                        .iter()
                        .any(|p| p.name == parameter.name && p.location == parameter.location)
                    {
                        parameters.push(parameter.clone());
                    }
                }
                let text = |key: &str| operation.get(key).and_then(Value::as_str);
                let tags = operation
                    .get("tags")
                    .and_then(Value::as_array)
                    .map(|tags| tags.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                let body = match self.version {
                    Version::Swagger2 => self.swagger_body(operation, &mut parameters, &consumes),
                    _ => self.request_body(&loc, operation),
                };
                let response = self.response(&loc, operation, &produces);
                let first_server = |node: &Value| {
                    node.get("servers")?
                        .as_array()?
                        .first()?
                        .get("url")?
                        .as_str()
                        .map(str::to_owned)
                };
                out.push(Operation {
                    path: path.clone(),
                    verb,
                    loc,
                    operation_id: text("operationId"),
                    summary: text("summary"),
                    description: text("description"),
                    tags,
                    parameters,
                    body,
                    response,
                    security: security_requirements(operation.get("security")),
                    server: first_server(operation).or_else(|| first_server(item)),
                });
            }
        }
        out
    }

    /// An error for a node of the wrong kind, at `loc`.
    fn malformed(&mut self, loc: &Loc, what: &str) {
        self.errors.push(self.docs.error(
            loc,
            format!("this is not {what}"),
            "fix the document here: OpenAPI says what each key holds",
        ));
    }

    fn parameters(&mut self, at: &Loc, value: Option<&'a Value>) -> Vec<Parameter> {
        let items = match value {
            None => return Vec::new(),
            Some(Value::Array(items)) => items,
            Some(_) => {
                self.malformed(at, "a list of parameters");
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let Some((loc, param)) = self.resolve(&at.child(&i.to_string()), item) else {
                continue;
            };
            let Some(name) = param.get("name").and_then(Value::as_str) else {
                self.malformed(&loc, "a parameter with a `name`");
                continue;
            };
            let location = match param.get("in").and_then(Value::as_str).unwrap_or("") {
                "path" => ParamLocation::Path,
                "query" => ParamLocation::Query,
                "header" => ParamLocation::Header,
                "cookie" => ParamLocation::Cookie,
                "formData" if self.version == Version::Swagger2 => ParamLocation::Form,
                // Swagger 2.0: the request body, read by `swagger_body`.
                "body" if self.version == Version::Swagger2 => ParamLocation::Body,
                _ => {
                    self.malformed(
                        &loc.child("in"),
                        "a parameter location (`path`, `query`, `header`, `cookie`; Swagger 2.0 also `formData` and `body`)",
                    );
                    continue;
                }
            };
            let schema = match (self.version, param.get("schema")) {
                (_, Some(_)) => Some(loc.child("schema")),
                (Version::Swagger2, None) => Some(loc.clone()),
                _ => param
                    .get("content")
                    .and_then(Value::as_object)
                    .and_then(|content| content.iter().next())
                    .and_then(|(media, m)| {
                        m.get("schema")
                            .map(|_| loc.child("content").child(media).child("schema"))
                    }),
            };
            out.push(Parameter {
                name: name.to_owned(),
                location,
                required: location == ParamLocation::Path
                    || param
                        .get("required")
                        .and_then(Value::as_bool)
                        .unwrap_or(false),
                description: param
                    .get("description")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                schema,
                loc,
            });
        }
        out
    }

    /// Swagger 2.0: the `in: body` parameter or the `formData` parameters make the body.
    fn swagger_body(
        &mut self,
        operation: &Value,
        parameters: &mut Vec<Parameter>,
        consumes: &[String],
    ) -> Option<Body> {
        let consumes = operation
            .get("consumes")
            .map(strings)
            .unwrap_or_else(|| consumes.to_vec());
        let body_index = parameters
            .iter()
            .position(|p| p.location == ParamLocation::Body);
        if let Some(index) = body_index {
            let body = parameters.remove(index);
            let encoding = media_encoding(consumes.iter().map(String::as_str), true);
            return Some(Body {
                encoding,
                schema: body.schema,
                form_params: Vec::new(),
                loc: body.loc,
            });
        }
        let (form, rest): (Vec<_>, Vec<_>) = std::mem::take(parameters)
            .into_iter()
            .partition(|p| p.location == ParamLocation::Form);
        *parameters = rest;
        if form.is_empty() {
            return None;
        }
        let encoding = if consumes.iter().any(|m| m.starts_with("multipart/"))
            && !consumes
                .iter()
                .any(|m| m == "application/x-www-form-urlencoded")
        {
            Encoding::Other("multipart/form-data".to_owned())
        } else {
            Encoding::Form
        };
        Some(Body {
            encoding,
            schema: None,
            form_params: form.iter().map(|p| p.name.clone()).collect(),
            loc: form[0].loc.clone(),
        })
    }

    fn request_body(&mut self, loc: &Loc, operation: &'a Value) -> Option<Body> {
        let body = operation.get("requestBody")?;
        let (body_loc, body) = self.resolve(&loc.child("requestBody"), body)?;
        let content = body.get("content").and_then(Value::as_object)?;
        let (media, encoding) = pick_media(content.keys().map(String::as_str))?;
        let schema = content
            .get(media)
            .and_then(|m| m.get("schema"))
            .map(|_| body_loc.child("content").child(media).child("schema"));
        Some(Body {
            encoding,
            schema,
            form_params: Vec::new(),
            loc: body_loc,
        })
    }

    fn response(
        &mut self,
        loc: &Loc,
        operation: &'a Value,
        produces: &[String],
    ) -> Option<Response> {
        let responses = match operation.get("responses") {
            None => return None,
            Some(Value::Object(responses)) => responses,
            Some(_) => {
                self.malformed(&loc.child("responses"), "a mapping of responses by status");
                return None;
            }
        };
        let mut codes: Vec<&String> = responses
            .keys()
            .filter(|code| code.starts_with('2'))
            .collect();
        codes.sort();
        let Some(status) = codes.first() else {
            if responses.contains_key("default") {
                self.left_out.push((
                    loc.child("responses").child("default"),
                    "the `default` response".to_owned(),
                    "the operation has no 2xx response, and `default` usually describes errors; declare the success response by hand".to_owned(),
                ));
            }
            return None;
        };
        let at = loc.child("responses").child(status);
        let (response_loc, response) = self.resolve(&at, &responses[*status])?;
        if self.version == Version::Swagger2 {
            let produces = operation
                .get("produces")
                .map(strings)
                .unwrap_or_else(|| produces.to_vec());
            let json = produces.is_empty() || produces.iter().any(|m| is_json(m));
            let schema = response.get("schema").map(|_| response_loc.child("schema"));
            return Some(Response {
                status: (*status).clone(),
                other_media: (!json && schema.is_some()).then(|| produces[0].clone()),
                schema: if json { schema } else { None },
                loc: response_loc,
            });
        }
        let content = response.get("content").and_then(Value::as_object);
        let json = content.and_then(|c| c.keys().find(|m| is_json(m)));
        let schema = json.and_then(|media| {
            content?
                .get(media)?
                .get("schema")
                .map(|_| response_loc.child("content").child(media).child("schema"))
        });
        let other_media = match (json, content) {
            (None, Some(content)) => content.keys().next().cloned(),
            _ => None,
        };
        Some(Response {
            status: (*status).clone(),
            schema,
            other_media,
            loc: response_loc,
        })
    }
}

impl Clone for Parameter {
    fn clone(&self) -> Self {
        Parameter {
            name: self.name.clone(),
            location: self.location,
            required: self.required,
            description: self.description.clone(),
            schema: self.schema.clone(),
            loc: self.loc.clone(),
        }
    }
}

/// Whether a media type is JSON (`application/json`, `application/vnd.api+json`, `*/*`).
fn is_json(media: &str) -> bool {
    let media = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    media == "application/json"
        || media.ends_with("+json")
        || media == "*/*"
        || media == "text/json"
}

/// The media type to read a request body as: JSON when offered, else a form, else the first.
fn pick_media<'m>(mut media: impl Iterator<Item = &'m str> + Clone) -> Option<(&'m str, Encoding)> {
    if let Some(json) = media.clone().find(|m| is_json(m)) {
        return Some((json, Encoding::Json));
    }
    if let Some(form) = media
        .clone()
        .find(|m| m.starts_with("application/x-www-form-urlencoded"))
    {
        return Some((form, Encoding::Form));
    }
    media.next().map(|m| (m, Encoding::Other(m.to_owned())))
}

fn media_encoding<'m>(
    media: impl Iterator<Item = &'m str> + Clone,
    default_json: bool,
) -> Encoding {
    let mut peek = media.clone().peekable();
    if peek.peek().is_none() && default_json {
        return Encoding::Json;
    }
    pick_media(media).map_or(Encoding::Json, |(_, encoding)| encoding)
}
