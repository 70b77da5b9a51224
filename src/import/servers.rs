//! Servers to the base URL: the first server, its variables as account setup values and
//! `<<Placeholders>>` (or their defaults in the scheme and port), the operations' own servers.

use super::*;

impl<'a> Importer<'a> {
    /// The base URL, declaring setup values for server variables.
    pub(super) fn base_url(&mut self) -> (String, Option<Review>) {
        let api = self.api;
        // The document's servers; else the first path's or operation's.
        let servers = &api.servers;
        let Some(server) = servers.first() else {
            let path_server = self.operation_servers().into_iter().next();
            if let Some(url) = path_server {
                self.base_server = Some(url.clone());
                return self.server_url(&url, &[], 1);
            }
            self.add_host_field();
            self.origin = "https://<<Host>>".to_owned();
            return (
                "https://<<Host>>".to_owned(),
                Some(review(
                    ReviewKind::Choice,
                    "the document names no server: write the API's host, or keep the Host setup value",
                )),
            );
        };
        let (url, variables) = (server.url.clone(), &server.variables);
        self.base_server = Some(url.clone());
        self.server_url(&url, variables, servers.len())
    }

    /// Servers named by paths and operations, in the operations' order.
    pub(super) fn operation_servers(&self) -> Vec<String> {
        self.api
            .operations
            .iter()
            .filter_map(|op| op.server.clone())
            .collect()
    }

    pub(super) fn server_url(
        &mut self,
        url: &str,
        variables: &[openapi::ServerVariable],
        server_count: usize,
    ) -> (String, Option<Review>) {
        let original = url;
        let fields_before = self.fields.len();
        let mut notes = Vec::new();
        if server_count > 1 {
            notes.push(format!("the first of {server_count} servers"));
        }
        let mut url = url.trim().trim_end_matches('/').to_owned();
        let first_default = url
            .strip_prefix('{')
            .and_then(|rest| rest.split_once('}'))
            .and_then(|(name, _)| variables.iter().find(|v| v.name == name))
            .and_then(|v| v.default.as_deref());
        if url.starts_with('{')
            && !url.contains("://")
            && first_default.is_none_or(|d| !d.contains("://"))
        {
            // `{host}/v1`: the variable holds the host (or a whole URL, whose default is used).
            url = format!("https://{url}");
        }
        if let Some(rest) = url.strip_prefix("http://") {
            url = format!("https://{rest}");
            notes.push(
                "the document's server is http://; Cyclr connectors call https://".to_owned(),
            );
        }
        // Variables: in the scheme or port, their default; elsewhere a setup value.
        let scheme_end = url.find("://").map_or(0, |i| i + 3);
        let mut out = String::new();
        let mut rest = url.as_str();
        let mut offset = 0;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            let var_name = &rest[open + 1..open + close];
            out.push_str(&rest[..open]);
            let at = offset + open;
            let variable = variables.iter().find(|v| v.name == var_name);
            let default = variable.and_then(|v| v.default.clone()).unwrap_or_default();
            let in_scheme = at < scheme_end;
            let in_port = out
                .rsplit("://")
                .next()
                .is_some_and(|host| !host.contains('/') && host.ends_with(':'));
            // A whole URL or several path segments in one variable is not one value a
            // placeholder can stand for: its default is used.
            let compound = default.contains('/') || default.contains(':');
            if in_scheme || in_port || compound {
                let value = if in_scheme {
                    "https".to_owned()
                } else {
                    default.clone()
                };
                notes.push(format!("the server variable `{var_name}` is {value} here"));
                out.push_str(&value);
            } else {
                let mut name = names::pascal(var_name, 27).unwrap_or_else(|| "Server".to_owned());
                if CREDENTIAL_NAMES
                    .iter()
                    .any(|c| c.eq_ignore_ascii_case(&name))
                {
                    name.push_str("Value"); // `{username}` in a host is not the sign-in's user
                }
                let host_start = out.find("://").map_or(0, |i| i + 3);
                let in_host = !out[host_start..].contains('/');
                if !self.fields.iter().any(|f| f.name == name) {
                    let description = variable
                        .and_then(|v| v.description.as_deref())
                        .and_then(plain_sentence)
                        .unwrap_or_else(|| {
                            format!("TODO say what {} is.", names::display_name(var_name))
                        });
                    let mut field = SetupField::new(
                        &name,
                        &names::display_name(var_name),
                        description,
                        "account",
                    );
                    if let Some(variable) = variable {
                        let mut values: Vec<String> = Vec::new();
                        for v in &variable.values {
                            if !v.is_empty() && !values.contains(v) {
                                values.push(v.clone());
                            }
                        }
                        if variable.values.len() > values.len() {
                            field.reviews.push(review(ReviewKind::Choice, "the document lists a value twice or an empty value; each is listed once here"));
                        }
                        field.values = values;
                        if !default.is_empty()
                            && (field.values.is_empty() || field.values.contains(&default))
                        {
                            field.default = Some(default.clone());
                        }
                    }
                    if in_host
                        && (default.contains('.') || field.values.iter().any(|v| v.contains('.')))
                    {
                        field.kind = Some("host_name");
                    }
                    if variable.and_then(|v| v.description.as_deref()).is_none() {
                        field.reviews.push(review(
                            ReviewKind::Description,
                            "the document does not describe this server variable",
                        ));
                    }
                    self.fields.push(field);
                }
                out.push_str(&format!("<<{name}>>"));
            }
            rest = &rest[open + close + 1..];
            offset = at + close + 1;
        }
        out.push_str(rest);
        let mut url = out;
        if let Err(why) = usable_base(&url) {
            // As a last resort the variables' defaults, the URL cut to scheme, host and path.
            self.fields.truncate(fields_before);
            let defaults = server_defaults(original, variables);
            url = match url::Url::parse(&defaults) {
                Ok(parsed)
                    if matches!(
                        parsed.host(),
                        Some(url::Host::Domain(_) | url::Host::Ipv4(_))
                    ) =>
                {
                    let port = parsed.port().map(|p| format!(":{p}")).unwrap_or_default();
                    format!(
                        "https://{}{port}{}",
                        parsed.host_str().unwrap_or_default(),
                        parsed.path().trim_end_matches('/')
                    )
                }
                _ => {
                    self.add_host_field();
                    "https://<<Host>>".to_owned()
                }
            };
            notes = vec![format!(
                "the server URL `{}` cannot be a base URL as written ({why}); this is made from it",
                original.escape_debug()
            )];
        }
        if !url.contains("://") {
            // A relative server: the host is the account's.
            self.add_host_field();
            url = format!("https://<<Host>>/{}", url.trim_start_matches('/'));
            notes.push(
                "the document's server is relative: the host is an account setup value".to_owned(),
            );
        }
        self.origin = match url.find("://").map(|i| i + 3) {
            Some(start) => {
                let end = url[start..].find('/').map_or(url.len(), |i| start + i);
                url[..end].to_owned()
            }
            None => url.clone(),
        };
        let note = (!notes.is_empty()).then(|| review(ReviewKind::Choice, notes.join("; ")));
        (url.trim_end_matches('/').to_owned(), note)
    }
}

impl Importer<'_> {
    /// The `Host` setup value of a document that names no host, once.
    fn add_host_field(&mut self) {
        if self.fields.iter().any(|f| f.name == "Host") {
            return;
        }
        let mut field = SetupField::new(
            "Host",
            "Host",
            "The host name of the API, such as api.example.com.".to_owned(),
            "account",
        );
        field.kind = Some("host_name");
        self.fields.push(field);
    }
}

/// Why a base URL (with `<<Placeholders>>`) cannot stand as written, if it cannot: it must
/// parse as an https URL with a host and nothing after its path, hold no control or space
/// characters, and keep placeholders apart.
fn usable_base(url: &str) -> Result<(), String> {
    if url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err("it holds spaces or control characters".to_owned());
    }
    if url.contains(">><<") {
        return Err("two variables stand side by side".to_owned());
    }
    if !url.contains("://") {
        return Ok(()); // relative: the host becomes a setup value
    }
    let probe = crate::placeholder::Template::parse(url)
        .map_err(|_| "a variable's name makes no placeholder".to_owned())?
        .fill(|_| "x".to_owned());
    let parsed = url::Url::parse(&probe).map_err(|e| format!("it does not parse: {e}"))?;
    if parsed.scheme() != "https" {
        return Err("its scheme is not https".to_owned());
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err("it holds a user name or password".to_owned());
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err("it has a query or fragment".to_owned());
    }
    match parsed.host() {
        Some(url::Host::Domain(host)) if host.is_ascii() && probe.contains(host) => Ok(()),
        Some(url::Host::Domain(_)) => Err("its host is not plain ASCII".to_owned()),
        Some(url::Host::Ipv4(_)) => Ok(()),
        Some(url::Host::Ipv6(_)) => Err("its host is an IPv6 address".to_owned()),
        None => Err("it has no host name".to_owned()),
    }
}

/// The server URL with every variable at its default (or its first allowed value).
fn server_defaults(url: &str, variables: &[openapi::ServerVariable]) -> String {
    let mut out = String::new();
    let mut rest = url;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.push_str(&rest[..open]);
        let name = &rest[open + 1..open + close];
        let value = variables
            .iter()
            .find(|v| v.name == name)
            .and_then(|v| v.default.clone().or_else(|| v.values.first().cloned()))
            .unwrap_or_else(|| "x".to_owned());
        out.push_str(&value);
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out.replacen("http://", "https://", 1)
}
