// The runtime of connector-gen's generated Rust clients: everything every client shares
// (secrets, errors, requests and responses, the transport, the connection and its tokens,
// value checks and encodings, pattern matching). Generated code holds only what differs
// between connectors and calls into this module.
//
// connector-gen writes this file verbatim next to the clients it generates (`rust/runtime.rs`
// beside the modules, `src/runtime.rs` in each crate). Edit it in connector-gen's
// `runtime/src/runtime.rs`, where it is compiled, linted and tested; never edit a copy.
//
// It needs `serde` (with `derive`) and `serde_json`, nothing else, and has no inner
// attributes, so it works as a module file and with `include!`.

use std::fmt;
use std::time::Instant;

use serde::Deserialize;
use serde::de::DeserializeOwned;

/// A credential. `Debug` and `Display` print `[redacted]`, never the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a credential.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The credential itself, for sending it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

/// What went wrong building a request or reading a response.
#[derive(Debug)]
pub enum Error {
    /// A setup value or argument was refused before any request was built.
    InvalidValue {
        /// The field or parameter.
        name: &'static str,
        /// Why it was refused.
        reason: &'static str,
    },
    /// The server answered with an OAuth2 error (RFC 6749 section 5.2).
    OAuth {
        /// The `error` code, such as `invalid_grant`.
        error: String,
        /// The `error_description`, if the server gave one.
        description: Option<String>,
    },
    /// The server answered with a status that is not a success.
    Status {
        /// The HTTP status code.
        status: u16,
        /// The response body as text.
        body: String,
    },
    /// A body could not be written or read as JSON.
    Json(serde_json::Error),
    /// The transport could not send a request or read its response.
    Transport(TransportError),
    /// The access token has expired and cannot be renewed without the user (an
    /// authorisation-code connection without a refresh token): authorise the connector again.
    TokenExpired,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidValue { name, reason } => write!(f, "invalid {name}: {reason}"),
            Error::OAuth {
                error,
                description: Some(description),
            } => write!(f, "the token request was refused: {error}: {description}"),
            Error::OAuth { error, .. } => write!(f, "the token request was refused: {error}"),
            Error::Status { status, .. } => write!(f, "the server answered with status {status}"),
            Error::Json(error) => write!(f, "invalid JSON: {error}"),
            Error::Transport(error) => write!(f, "the request could not be sent: {error}"),
            Error::TokenExpired => f.write_str("the access token has expired; authorise again"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Json(error) => Some(error),
            Error::Transport(error) => Some(error.as_ref()),
            _ => None,
        }
    }
}

impl From<serde_json::Error> for Error {
    fn from(error: serde_json::Error) -> Self {
        Error::Json(error)
    }
}

/// An HTTP verb.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    /// GET.
    Get,
    /// POST.
    Post,
    /// PUT.
    Put,
    /// PATCH.
    Patch,
    /// DELETE.
    Delete,
}

impl HttpMethod {
    /// The verb as sent: `GET`, `POST`...
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
        }
    }
}

/// How an API request proves who sends it.
#[derive(Debug, Clone, Copy)]
pub enum Auth<'a> {
    /// Nothing: a public API.
    None,
    /// An OAuth2 access token in a `Bearer` `Authorization` header (RFC 6750).
    Bearer(&'a AccessToken),
    /// An API key in a header of its own.
    ApiKeyHeader {
        /// The header's name.
        header: &'static str,
        /// The key.
        key: &'a Secret,
    },
    /// An API key in a query parameter.
    ApiKeyQuery {
        /// The parameter's name.
        parameter: &'static str,
        /// The key.
        key: &'a Secret,
    },
    /// HTTP Basic (RFC 7617).
    Basic {
        /// The user name.
        user: &'a str,
        /// The password (empty when the API takes none).
        password: &'a str,
    },
}

/// A request for your HTTP client to send. `Debug` redacts credentials.
#[derive(Clone, PartialEq, Eq)]
pub struct Request {
    /// The verb.
    pub method: HttpMethod,
    /// The full URL, every value in it checked and encoded.
    pub url: String,
    /// The headers, in order.
    pub headers: Vec<(&'static str, String)>,
    /// The body, if any.
    pub body: Option<String>,
    /// A header other than `Authorization` that carries a credential.
    secret_header: Option<&'static str>,
    /// A query parameter that carries a credential.
    secret_query: Option<&'static str>,
    /// Whether the body carries credentials (token requests).
    sensitive_body: bool,
}

impl Request {
    /// A request built by hand, for a transport that rewrites requests, say. Its body counts
    /// as sensitive: `Debug` redacts it.
    pub fn new(
        method: HttpMethod,
        url: String,
        headers: Vec<(&'static str, String)>,
        body: Option<String>,
    ) -> Self {
        Request {
            method,
            url,
            headers,
            body,
            secret_header: None,
            secret_query: None,
            sensitive_body: true,
        }
    }

    /// An API call: `Accept: application/json`, the credentials `auth` describes, and a JSON
    /// `body` (with its `Content-Type`) if there is one.
    pub fn api(method: HttpMethod, mut url: String, auth: Auth<'_>, body: Option<String>) -> Self {
        let mut headers = vec![("Accept", "application/json".to_owned())];
        let mut secret_header = None;
        let mut secret_query = None;
        match auth {
            Auth::None => {}
            Auth::Bearer(token) => {
                let value = format!("Bearer {}", token.secret().expose());
                headers.push(("Authorization", value));
            }
            Auth::ApiKeyHeader { header, key } => {
                headers.push((header, key.expose().to_owned()));
                secret_header = Some(header);
            }
            Auth::ApiKeyQuery { parameter, key } => {
                url.push(if url.contains('?') { '&' } else { '?' });
                url.push_str(&encode_form(&[(parameter, key.expose())]));
                secret_query = Some(parameter);
            }
            Auth::Basic { user, password } => {
                headers.push(("Authorization", basic_authorization(user, password)));
            }
        }
        if body.is_some() {
            headers.push(("Content-Type", "application/json".to_owned()));
        }
        Request {
            method,
            url,
            headers,
            body,
            secret_header,
            secret_query,
            sensitive_body: false,
        }
    }

    /// The value of the header `name` (compared without regard to case), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    fn is_secret_header(&self, name: &str) -> bool {
        name.eq_ignore_ascii_case("authorization")
            || self
                .secret_header
                .is_some_and(|header| name.eq_ignore_ascii_case(header))
    }

    /// The URL with the credential's value in the query replaced by `[redacted]`.
    fn redacted_url(&self) -> String {
        let Some(parameter) = self.secret_query else {
            return self.url.clone();
        };
        let Some((base, query)) = self.url.split_once('?') else {
            return self.url.clone();
        };
        let key = format!("{}=", encode_form_value(parameter));
        let pairs: Vec<String> = query
            .split('&')
            .map(|pair| match pair.strip_prefix(&key) {
                Some(_) => format!("{key}[redacted]"),
                None => pair.to_owned(),
            })
            .collect();
        format!("{base}?{}", pairs.join("&"))
    }
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(name, value)| {
                if self.is_secret_header(name) {
                    (*name, "[redacted]")
                } else {
                    (*name, value.as_str())
                }
            })
            .collect();
        let body = match &self.body {
            Some(_) if self.sensitive_body => Some("[redacted]"),
            Some(body) => Some(body.as_str()),
            None => None,
        };
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("url", &self.redacted_url())
            .field("headers", &headers)
            .field("body", &body)
            .finish()
    }
}

/// Reads a method's response: the JSON body on a 2xx status (an empty body reads as JSON
/// `null`), [`Error::Status`] otherwise.
pub fn parse_response<T: DeserializeOwned>(status: u16, body: &[u8]) -> Result<T, Error> {
    if !(200..300).contains(&status) {
        return Err(Error::Status {
            status,
            body: String::from_utf8_lossy(body).into_owned(),
        });
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(serde_json::from_slice(b"null")?);
    }
    Ok(serde_json::from_slice(body)?)
}

/// One page of a list: which page, and how many items it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// The page's index.
    pub index: u32,
    /// How many items the page holds.
    pub size: u32,
}

impl Page {
    /// Refuses a page before `first_page` or larger than `max_size`.
    pub fn check(self, first_page: u32, max_size: u32) -> Result<(), Error> {
        if self.index < first_page {
            return Err(Error::InvalidValue {
                name: "page.index",
                reason: "is before the first page",
            });
        }
        if self.size == 0 || self.size > max_size {
            return Err(Error::InvalidValue {
                name: "page.size",
                reason: "must be at least 1 and at most the API's largest page size",
            });
        }
        Ok(())
    }
}

/// An OAuth2 access token. `Debug` redacts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessToken {
    value: Secret,
    /// The token type; `Bearer` for every server these clients talk to.
    pub token_type: String,
    /// The token's lifetime in seconds, if the server said.
    pub expires_in: Option<u64>,
    /// The refresh token, if the server issued one.
    pub refresh_token: Option<Secret>,
    /// The scopes granted, if the server said.
    pub scope: Option<String>,
}

impl AccessToken {
    /// A bearer token obtained elsewhere.
    pub fn new(value: impl Into<String>) -> Self {
        AccessToken {
            value: Secret::new(value),
            token_type: "Bearer".to_owned(),
            expires_in: None,
            refresh_token: None,
            scope: None,
        }
    }

    /// The token itself.
    pub fn secret(&self) -> &Secret {
        &self.value
    }

    /// Whether a token received `elapsed_seconds` ago has expired, counting it expired
    /// `margin_seconds` early. A token without a lifetime never expires here.
    pub fn is_expired(&self, elapsed_seconds: u64, margin_seconds: u64) -> bool {
        self.expires_in
            .is_some_and(|lifetime| elapsed_seconds.saturating_add(margin_seconds) >= lifetime)
    }
}

/// Where an OAuth2 client's credentials go in a token request (RFC 6749 section 2.3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientAuth {
    /// `client_id` and `client_secret` form fields in the body.
    Body,
    /// An HTTP Basic `Authorization` header, each part form-encoded first.
    BasicHeader,
}

/// An OAuth2 client: who asks for tokens, where, and how it proves who it is.
#[derive(Debug, Clone)]
pub struct OAuthClient<'a> {
    /// The token endpoint.
    pub token_url: String,
    /// The client id.
    pub id: &'a str,
    /// The client secret.
    pub secret: &'a Secret,
    /// Where the id and secret go.
    pub auth: ClientAuth,
}

impl OAuthClient<'_> {
    /// A form-encoded POST of `grant` to the token endpoint, with the client's credentials
    /// where the server expects them.
    pub fn token_request(&self, grant: &[(&str, &str)]) -> Request {
        let mut headers = vec![
            ("Accept", "application/json".to_owned()),
            (
                "Content-Type",
                "application/x-www-form-urlencoded".to_owned(),
            ),
        ];
        let body = match self.auth {
            ClientAuth::Body => {
                let mut form = grant.to_vec();
                form.push(("client_id", self.id));
                form.push(("client_secret", self.secret.expose()));
                encode_form(&form)
            }
            ClientAuth::BasicHeader => {
                let user = encode_form_value(self.id);
                let password = encode_form_value(self.secret.expose());
                headers.push(("Authorization", basic_authorization(&user, &password)));
                encode_form(grant)
            }
        };
        Request {
            method: HttpMethod::Post,
            url: self.token_url.clone(),
            headers,
            body: Some(body),
            secret_header: None,
            secret_query: None,
            sensitive_body: true,
        }
    }

    /// The token request that renews an access token with its refresh token (RFC 6749
    /// section 6).
    pub fn refresh_request(&self, refresh_token: &Secret) -> Request {
        self.token_request(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token.expose()),
        ])
    }

    /// `authorize_url` with the query that sends the user to authorise the client (RFC 6749
    /// section 4.1.1): the client id, `redirect_uri`, the scopes and `state`.
    pub fn authorize_url(
        &self,
        authorize_url: &str,
        redirect_uri: &str,
        scope: Option<&str>,
        state: &str,
    ) -> String {
        let mut query = vec![
            ("response_type", "code"),
            ("client_id", self.id),
            ("redirect_uri", redirect_uri),
        ];
        if let Some(scope) = scope {
            query.push(("scope", scope));
        }
        query.push(("state", state));
        format!("{authorize_url}?{}", encode_form(&query))
    }
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    token_type: String,
    expires_in: Option<u64>,
    refresh_token: Option<String>,
    scope: Option<String>,
}

#[derive(Deserialize)]
struct OAuthErrorResponse {
    error: String,
    error_description: Option<String>,
}

/// Reads the token endpoint's answer: the token on success, [`Error::OAuth`] for an OAuth2
/// error response, [`Error::Status`] for anything else.
pub fn parse_token_response(status: u16, body: &[u8]) -> Result<AccessToken, Error> {
    if !(200..300).contains(&status) {
        return Err(match serde_json::from_slice::<OAuthErrorResponse>(body) {
            Ok(response) => Error::OAuth {
                error: response.error,
                description: response.error_description,
            },
            Err(_) => Error::Status {
                status,
                body: String::from_utf8_lossy(body).into_owned(),
            },
        });
    }
    let response: TokenResponse = serde_json::from_slice(body)?;
    Ok(AccessToken {
        value: Secret::new(response.access_token),
        token_type: response.token_type,
        expires_in: response.expires_in,
        refresh_token: response.refresh_token.map(Secret::new),
        scope: response.scope,
    })
}

/// A client that obtains OAuth2 access tokens, so that a [`Connection`] can sign in and
/// renew its token by itself.
pub trait SignIn {
    /// The request for a new token without the user (the password and client-credentials
    /// grants); `None` where only the user can grant one (the authorisation-code grant).
    fn sign_in_request(&self) -> Option<Request>;

    /// The request that renews a token with `refresh_token`; `None` where the grant signs in
    /// afresh instead.
    fn refresh_request(&self, refresh_token: &Secret) -> Option<Request>;
}

/// What a [`Transport`] fails with.
pub type TransportError = Box<dyn std::error::Error + Send + Sync>;

/// A response as the transport received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The HTTP status code.
    pub status: u16,
    /// The body.
    pub body: Vec<u8>,
}

/// Sends requests over HTTP. Implement it for the HTTP client you use; with the `ureq`
/// feature a generated crate provides `UreqTransport`.
pub trait Transport {
    /// Sends `request` and returns the response, whatever its status.
    fn send(&self, request: &Request) -> Result<Response, TransportError>;
}

/// A client and a [`Transport`] together: the generated methods send each request and read
/// the response, and an OAuth2 connection signs in (and signs in again, or refreshes its
/// token, when the token is about to expire) by itself.
pub struct Connection<C, T> {
    client: C,
    transport: T,
    token: Option<(AccessToken, Instant)>,
}

impl<C, T: Transport> Connection<C, T> {
    /// A connection sending `client`'s requests over `transport`. An OAuth2 connection
    /// signs in on its first call (see [`Connection::with_token`] for the
    /// authorisation-code grant).
    pub fn new(client: C, transport: T) -> Self {
        Connection {
            client,
            transport,
            token: None,
        }
    }

    /// The connection using `token`, obtained just now (with the authorisation-code grant,
    /// from the client's `code_exchange_request` and [`parse_token_response`]).
    pub fn with_token(mut self, token: AccessToken) -> Self {
        self.token = Some((token, Instant::now()));
        self
    }

    /// The client that builds the requests.
    pub fn client(&self) -> &C {
        &self.client
    }

    /// Sends `request` and reads its JSON response into `R`. A 401 drops the token held, so
    /// that the next call signs in afresh.
    pub fn send<R: DeserializeOwned>(&mut self, request: Request) -> Result<R, Error> {
        let response = self.transport.send(&request).map_err(Error::Transport)?;
        if response.status == 401 {
            self.token = None;
        }
        parse_response(response.status, &response.body)
    }
}

impl<C: SignIn, T: Transport> Connection<C, T> {
    /// A token valid for at least another minute: the one held, refreshed, or a new one.
    pub fn token(&mut self) -> Result<AccessToken, Error> {
        const MARGIN_SECONDS: u64 = 60;
        let fresh = self.token.as_ref().filter(|(token, obtained)| {
            !token.is_expired(obtained.elapsed().as_secs(), MARGIN_SECONDS)
        });
        if let Some((token, _)) = fresh {
            return Ok(token.clone());
        }
        let refresh = self
            .token
            .as_ref()
            .and_then(|(token, _)| token.refresh_token.as_ref())
            .and_then(|refresh_token| self.client.refresh_request(refresh_token));
        let Some(request) = refresh.or_else(|| self.client.sign_in_request()) else {
            return Err(Error::TokenExpired);
        };
        let response = self.transport.send(&request).map_err(Error::Transport)?;
        let token = parse_token_response(response.status, &response.body)?;
        self.token = Some((token.clone(), Instant::now()));
        Ok(token)
    }
}

/// A validation pattern compiled by connector-gen into a DFA: byte ranges map to classes,
/// and a table gives the next state for each state and class. State 0 is the dead state,
/// state 1 the start.
#[derive(Debug)]
pub struct Pattern {
    /// The pattern as written in the definition.
    pub source: &'static str,
    /// `(first, last, class)`: the bytes `first..=last` are of `class`; any other byte is of
    /// class 0.
    pub classes: &'static [(u8, u8, u8)],
    /// For each state, the next state for each class.
    pub next: &'static [&'static [u8]],
    /// For each state, whether it accepts at the end of the value.
    pub accept: &'static [bool],
}

impl Pattern {
    /// Whether `value` matches the pattern as a whole.
    pub fn matches(&self, value: &str) -> bool {
        let class = |byte: u8| {
            self.classes
                .iter()
                .find(|&&(first, last, _)| (first..=last).contains(&byte))
                .map_or(0, |&(_, _, class)| usize::from(class))
        };
        let mut state = 1;
        for byte in value.bytes() {
            state = usize::from(self.next[state][class(byte)]);
            if state == 0 {
                return false;
            }
        }
        self.accept[state]
    }

    /// Refuses `value` of the setting or argument `name` unless it matches.
    pub fn check(&self, name: &'static str, value: &str) -> Result<(), Error> {
        if self.matches(value) {
            Ok(())
        } else {
            Err(Error::InvalidValue {
                name,
                reason: "does not match the required pattern",
            })
        }
    }
}

fn is_host_label(label: &str) -> bool {
    let is_label_byte = |b: u8| b == b'-' || b.is_ascii_alphanumeric();
    (1..=63).contains(&label.len())
        && label.bytes().all(is_label_byte)
        && !label.starts_with('-')
        && !label.ends_with('-')
}

/// Refuses anything but one DNS label, so that a value placed in a host name can never
/// point the request, and its credentials, at another host.
pub fn check_host_label(name: &'static str, value: &str) -> Result<(), Error> {
    if is_host_label(value) {
        Ok(())
    } else {
        Err(Error::InvalidValue {
            name,
            reason: "must be one DNS label: letters, digits and inner hyphens",
        })
    }
}

/// Refuses anything but a DNS name (dot-separated labels of letters, digits and inner
/// hyphens), so that a host name setting cannot smuggle in a path, user info or port.
pub fn check_host_name(name: &'static str, value: &str) -> Result<(), Error> {
    if value.len() <= 253 && value.split('.').all(is_host_label) {
        Ok(())
    } else {
        Err(Error::InvalidValue {
            name,
            reason: "must be a host name such as example.com",
        })
    }
}

/// Refuses values that cannot be a path segment of their own: empty, `.` and `..`.
pub fn check_path_segment(name: &'static str, value: &str) -> Result<(), Error> {
    if value.is_empty() || value == "." || value == ".." {
        return Err(Error::InvalidValue {
            name,
            reason: "must be a path segment other than empty, `.` or `..`",
        });
    }
    Ok(())
}

/// Checks that `value` can be one path segment, then percent-encodes it.
pub fn encode_path_segment(name: &'static str, value: &str) -> Result<String, Error> {
    check_path_segment(name, value)?;
    Ok(percent_encode(value))
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
pub fn percent_encode(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            encoded.push(char::from(byte));
        } else {
            push_percent_encoded(&mut encoded, byte);
        }
    }
    encoded
}

/// `application/x-www-form-urlencoded` pairs (the WHATWG URL standard's serializer).
pub fn encode_form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(key, value)| format!("{}={}", encode_form_value(key), encode_form_value(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// One name or value, `application/x-www-form-urlencoded`.
pub fn encode_form_value(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b' ' => encoded.push('+'),
            b'*' | b'-' | b'.' | b'_' => encoded.push(char::from(byte)),
            _ if byte.is_ascii_alphanumeric() => encoded.push(char::from(byte)),
            _ => push_percent_encoded(&mut encoded, byte),
        }
    }
    encoded
}

/// Appends a query string made of the pairs that have a value.
pub fn append_query(url: &mut String, pairs: &[(&str, Option<&str>)]) {
    let present: Vec<(&str, &str)> = pairs
        .iter()
        .filter_map(|&(key, value)| value.map(|value| (key, value)))
        .collect();
    if !present.is_empty() {
        url.push('?');
        url.push_str(&encode_form(&present));
    }
}

fn push_percent_encoded(out: &mut String, byte: u8) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push('%');
    out.push(char::from(HEX[usize::from(byte >> 4)]));
    out.push(char::from(HEX[usize::from(byte & 0x0f)]));
}

/// An HTTP Basic `Authorization` value (RFC 7617).
pub fn basic_authorization(user: &str, password: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let input = format!("{user}:{password}");
    let mut encoded = String::from("Basic ");
    for chunk in input.as_bytes().chunks(3) {
        let bytes = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let bits = u32::from(bytes[0]) << 16 | u32::from(bytes[1]) << 8 | u32::from(bytes[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                encoded.push(char::from(ALPHABET[(bits >> (18 - 6 * i) & 0x3f) as usize]));
            } else {
                encoded.push('=');
            }
        }
    }
    encoded
}
