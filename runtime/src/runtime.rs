// The runtime of connector-gen's generated Rust clients: everything every client shares
// (secrets, errors, requests and responses, paging, the transport, the connection and its
// tokens, value checks and encodings, pattern matching). Generated code holds only what
// differs between connectors and calls into this module.
//
// connector-gen writes this file verbatim next to the clients it generates (`rust/runtime.rs`
// beside the modules, `src/runtime.rs` in each crate). Edit it in connector-gen's
// `runtime/src/runtime.rs`, where it is compiled, linted and tested; never edit a copy.
//
// It needs `serde` (with `derive`) and `serde_json`, nothing else, and has no inner
// attributes, so it works as a module file and with `include!`.

use std::collections::HashSet;
use std::fmt;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::marker::PhantomData;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::Deserialize;
use serde::de::DeserializeOwned;

/// A credential. `Debug` and `Display` print `[redacted]`, never the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

/// A yes-or-no setup value as the API takes it: `true` or `false`.
pub fn bool_str(value: bool) -> &'static str {
    if value { "true" } else { "false" }
}

/// An empty secret, for a credential that was not given.
static NO_SECRET: Secret = Secret(String::new());

/// A setup value held as an `Option` because only one of several sign-ins needs it: the
/// value, or empty when it was not given (`Client::new` checked that the chosen sign-in's
/// values were).
pub fn given_text(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or_default()
}

/// [`given_text`] for a secret.
pub fn given_secret(value: &Option<Secret>) -> &Secret {
    value.as_ref().unwrap_or(&NO_SECRET)
}

/// Checks that the chosen sign-in has the setup values it needs: `needs` pairs each value's
/// name with whether it was given.
pub fn check_sign_in(needs: &[(&'static str, bool)]) -> Result<(), Error> {
    match needs.iter().find(|(_, given)| !given) {
        Some((name, _)) => Err(Error::InvalidValue {
            name,
            reason: "is needed by the chosen sign-in (`sign_in_with`)",
        }),
        None => Ok(()),
    }
}

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
    /// The server sent a page again (the same cursors or next-page URL as before, or the
    /// same items as the page before): paging stopped rather than loop forever.
    PagingLoop,
    /// Paging stopped rather than ask for more pages than a walk may take.
    TooManyPages {
        /// The most pages the walk could take.
        max: u32,
    },
    /// The server kept answering 429 (Too Many Requests) or 503 (Service Unavailable): it
    /// asked for a longer wait than the connection's [`RetryPolicy`] allows, or still
    /// refused after the policy's last retry.
    RateLimited {
        /// The HTTP status code of the last response: 429 or 503.
        status: u16,
        /// How long the last response's `Retry-After` asked to wait, if it said.
        retry_after: Option<Duration>,
    },
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
            Error::PagingLoop => f.write_str("the server sent the same page twice; stopped paging"),
            Error::TooManyPages { max } => {
                write!(
                    f,
                    "stopped paging after {max} pages, the most a walk may take"
                )
            }
            Error::RateLimited {
                status,
                retry_after: Some(wait),
            } => {
                // Whole seconds, rounded up: what a `Retry-After` header says.
                let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
                write!(
                    f,
                    "the server answered with status {status} and asked to wait {seconds} s \
                     before trying again"
                )
            }
            Error::RateLimited { status, .. } => write!(
                f,
                "the server still answered with status {status} when the retries ran out, \
                 without saying how long to wait"
            ),
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
    /// The headers other than `Authorization` that carry a credential.
    secret_headers: Vec<&'static str>,
    /// A query parameter that carries a credential.
    secret_query: Option<&'static str>,
    /// Whether the body carries credentials (token requests).
    sensitive_body: bool,
    /// The rate limits a [`Connection`] spaces the request by.
    rate_limits: Vec<RateLimit>,
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
            secret_headers: Vec::new(),
            secret_query: None,
            sensitive_body: true,
            rate_limits: Vec::new(),
        }
    }

    /// An API call: `Accept: application/json`, the credentials `auth` describes, and a JSON
    /// `body` (with its `Content-Type`) if there is one.
    pub fn api(method: HttpMethod, mut url: String, auth: Auth<'_>, body: Option<String>) -> Self {
        let mut headers = vec![("Accept", "application/json".to_owned())];
        let mut secret_headers = Vec::new();
        let mut secret_query = None;
        match auth {
            Auth::None => {}
            Auth::Bearer(token) => {
                let value = format!("Bearer {}", token.secret().expose());
                headers.push(("Authorization", value));
            }
            Auth::ApiKeyHeader { header, key } => {
                headers.push((header, key.expose().to_owned()));
                secret_headers.push(header);
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
            secret_headers,
            secret_query,
            sensitive_body: false,
            rate_limits: Vec::new(),
        }
    }

    /// The request with the header `name: value` appended (after the headers it has). A
    /// `secret` header's value is redacted in `Debug`, as `Authorization` always is. Check a
    /// value that comes from a setting with [`check_header_value`] first.
    pub fn with_header(mut self, name: &'static str, value: String, secret: bool) -> Self {
        self.headers.push((name, value));
        if secret {
            self.secret_headers.push(name);
        }
        self
    }

    /// The request spaced by `limit` when a [`Connection`] sends it: it waits until
    /// `limit.min_interval` has passed since the connection last sent a request with the
    /// same scope. A request can carry several limits (the connector's and the method's);
    /// it waits for each of them.
    pub fn with_rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limits.push(limit);
        self
    }

    /// The rate limits the request is spaced by, in the order they were added.
    pub fn rate_limits(&self) -> &[RateLimit] {
        &self.rate_limits
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
                .secret_headers
                .iter()
                .any(|header| name.eq_ignore_ascii_case(header))
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

/// Spacing between requests, from the connector's or the method's rate limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// What the limit counts: `"connector"` for the connector-wide limit, the method's name
    /// for a method's own. Requests with the same scope are spaced by `min_interval`.
    pub scope: &'static str,
    /// The shortest time between the starts of two requests with this scope.
    pub min_interval: Duration,
}

impl RateLimit {
    /// At most `requests` requests a second (0 counts as 1).
    pub const fn per_second(scope: &'static str, requests: u32) -> RateLimit {
        let requests = if requests == 0 { 1 } else { requests };
        RateLimit {
            scope,
            min_interval: Duration::from_nanos(1_000_000_000 / requests as u64),
        }
    }

    /// At most one request every `millis` milliseconds.
    pub const fn every(scope: &'static str, millis: u64) -> RateLimit {
        RateLimit {
            scope,
            min_interval: Duration::from_millis(millis),
        }
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

/// Where a page of a list starts: the first page, or the position the previous page led to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PageAt {
    /// The first page.
    Start,
    /// A page number.
    Number(u64),
    /// An item offset: how many items come before the page.
    Offset(u64),
    /// The cursor values the previous page returned, in the order the request sends them.
    Cursors(Vec<String>),
    /// The next-page URL the previous page returned, as the server wrote it: pass it to
    /// [`resolve_next_url`] before sending anything to it.
    Url(String),
}

/// Which page of a list to ask for: where it starts and how many items it holds at most.
/// A generated list method places these values in its request.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PageRequest {
    /// How many items a page holds at most.
    pub size: u32,
    /// Where the page starts.
    pub at: PageAt,
}

impl PageRequest {
    /// The first page, of `size` items at most.
    pub fn first(size: u32) -> PageRequest {
        PageRequest {
            size,
            at: PageAt::Start,
        }
    }

    /// Refuses a size of 0 or larger than `max`, the API's largest page size.
    pub fn check_size(&self, max: u32) -> Result<(), Error> {
        if self.size == 0 || self.size > max {
            return Err(Error::InvalidValue {
                name: "page.size",
                reason: "must be at least 1 and at most the API's largest page size",
            });
        }
        Ok(())
    }

    /// The page number to send, for an API whose first page is `first`: `first` at the
    /// start. Refuses a number before `first` and any position that is not a page number.
    pub fn number(&self, first: u64) -> Result<u64, Error> {
        match self.at {
            PageAt::Start => Ok(first),
            PageAt::Number(number) if number >= first => Ok(number),
            PageAt::Number(_) => Err(Error::InvalidValue {
                name: "page.at",
                reason: "is before the first page",
            }),
            _ => Err(Error::InvalidValue {
                name: "page.at",
                reason: "is not a page number",
            }),
        }
    }

    /// The item offset to send: 0 at the start. Refuses any position that is not an offset.
    pub fn offset(&self) -> Result<u64, Error> {
        match self.at {
            PageAt::Start => Ok(0),
            PageAt::Offset(offset) => Ok(offset),
            _ => Err(Error::InvalidValue {
                name: "page.at",
                reason: "is not an item offset",
            }),
        }
    }

    /// The `count` cursor values to send, in request order; `None` at the start, where the
    /// request sends no cursor. Refuses cursors of another count and any other position.
    pub fn cursors(&self, count: usize) -> Result<Option<&[String]>, Error> {
        match &self.at {
            PageAt::Start => Ok(None),
            PageAt::Cursors(values) if values.len() == count => Ok(Some(values)),
            PageAt::Cursors(_) => Err(Error::InvalidValue {
                name: "page.at",
                reason: "has the wrong number of cursors",
            }),
            _ => Err(Error::InvalidValue {
                name: "page.at",
                reason: "is not a cursor",
            }),
        }
    }

    /// The next-page URL as the server sent it, if the page is at one; `None` for any other
    /// position. Send nothing to it before [`resolve_next_url`] has accepted it.
    pub fn next_url(&self) -> Option<&str> {
        match &self.at {
            PageAt::Url(url) => Some(url),
            _ => None,
        }
    }
}

/// An absolute URL's parts: the scheme, the authority and the rest (path, query, fragment).
fn split_url(url: &str) -> Option<(&str, &str, &str)> {
    let (scheme, after) = url.split_once("://")?;
    let end = after.find(['/', '?', '#']).unwrap_or(after.len());
    let (authority, rest) = after.split_at(end);
    Some((scheme, authority, rest))
}

/// The scheme, host and port of an http(s) URL's parts, lower-cased where case does not
/// matter and with the scheme's default port left out, so that equal origins compare equal.
/// `None` for another scheme, user info, an empty host or a port that is not a number.
fn origin_of(scheme: &str, authority: &str) -> Option<(String, String, Option<u16>)> {
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "https" => 443,
        "http" => 80,
        _ => return None,
    };
    if authority.contains('@') {
        return None;
    }
    let (host, port) = match authority.strip_prefix('[') {
        // An IPv6 literal: `[::1]` or `[::1]:8080`.
        Some(inner) => {
            let (address, port) = inner.split_once(']')?;
            let port = match port {
                "" => None,
                port => Some(port.strip_prefix(':')?),
            };
            (authority.get(..address.len() + 2)?, port)
        }
        None => match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        },
    };
    let port = match port {
        None | Some("") => None,
        Some(port) if port.bytes().all(|b| b.is_ascii_digit()) => {
            Some(port.parse::<u16>().ok()?).filter(|&port| port != default_port)
        }
        Some(_) => return None,
    };
    if host.is_empty() {
        return None;
    }
    Some((scheme, host.to_ascii_lowercase(), port))
}

/// The URL a server returned for the next page, made safe to send credentials to: an
/// absolute `http(s)` URL must be on `base_url`'s own scheme, host and port (compared
/// without regard to case, a scheme's default port written or not), and is returned with
/// `base_url`'s scheme and authority; a path starting with one `/` is joined to `base_url`'s
/// scheme and authority. Anything else is refused: another scheme, host or port, user info,
/// a protocol-relative `//host` URL, a relative path without `/`, and anything but
/// printable ASCII without spaces or backslashes.
pub fn resolve_next_url(base_url: &str, next: &str) -> Result<String, Error> {
    let refuse = |reason| Error::InvalidValue {
        name: "next page URL",
        reason,
    };
    let (base_scheme, base_authority, _) = split_url(base_url)
        .filter(|(scheme, authority, _)| origin_of(scheme, authority).is_some())
        .ok_or(refuse(
            "cannot be resolved: the API's base URL is not an http(s) URL",
        ))?;
    // A backslash reads as a slash to WHATWG URL parsers: `/\evil.test` is `//evil.test`.
    if next.is_empty() || !next.bytes().all(|b| b.is_ascii_graphic() && b != b'\\') {
        return Err(refuse(
            "must be printable ASCII without spaces or backslashes",
        ));
    }
    // A fragment is never sent, and a query value appended after one (an API key in the
    // query) would not be either: drop it.
    let next = next.split('#').next().unwrap_or_default();
    if next.starts_with('/') && !next.starts_with("//") {
        return Ok(format!("{base_scheme}://{base_authority}{next}"));
    }
    let Some((scheme, authority, rest)) =
        split_url(next).filter(|(scheme, _, _)| scheme.bytes().all(|b| b.is_ascii_alphabetic()))
    else {
        return Err(refuse(
            "must be an absolute http(s) URL or a path starting with /",
        ));
    };
    if authority.contains('@') {
        return Err(refuse("must not carry user info"));
    }
    let origin = origin_of(scheme, authority);
    if origin.is_none() || origin != origin_of(base_scheme, base_authority) {
        return Err(refuse("must be on the API's own scheme, host and port"));
    }
    Ok(format!("{base_scheme}://{base_authority}{rest}"))
}

/// How a list method pages, as connector-gen describes it: a `const` in generated code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    /// How the next page is found.
    pub kind: PagingKind,
    /// The JSON pointer of the items array in a response; `""` when the response is the
    /// array.
    pub items: &'static str,
    /// The JSON pointer of the total item count in a response, if the API sends one.
    pub total: Option<&'static str>,
    /// The API's largest page size.
    pub max_page_size: u32,
}

/// How a list method finds its next page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PagingKind {
    /// Page numbers, counted from `first`.
    PageNumber {
        /// The first page's number: 0 or 1.
        first: u64,
    },
    /// Item offsets, from 0.
    Offset,
    /// Cursor values that each response returns for the next request.
    Cursor {
        /// The JSON pointers of the cursor values in a response, in request order.
        cursors: &'static [&'static str],
    },
    /// A next-page URL that each response returns.
    NextUrl {
        /// The JSON pointer of the next page's URL in a response.
        next: &'static str,
    },
}

/// The state of a walk through every page of a list: which page to ask for next, and when to
/// stop.
///
/// The walk ends after a page with no items (or none at the items pointer); after a page
/// holding fewer items than the page size (page numbers and offsets); once as many items as
/// the total count in a response have arrived (every kind, when [`Paging::total`] is set);
/// and, for cursors and next URLs, after a page whose cursor or next URL is missing, `null`
/// or `""`. It refuses to loop forever: [`Error::PagingLoop`] for a cursor set or next URL
/// sent before, or (page numbers and offsets) a page whose items are those of the page before
/// it; [`Error::TooManyPages`] rather than ask for more pages than the cap (10 000 unless
/// [`Pager::with_max_pages`] says otherwise). After an error the walk is over.
#[derive(Debug, Clone)]
pub struct Pager {
    paging: &'static Paging,
    size: u32,
    /// The next page's position; `None` once the walk is over.
    next: Option<PageAt>,
    /// How many pages have been received.
    pages: u32,
    max_pages: u32,
    /// How many items have been received.
    items: u64,
    /// A hash of the previous page's items (page numbers and offsets).
    previous: Option<u64>,
    /// The cursor sets and next URLs asked for so far.
    seen: HashSet<PageAt>,
}

impl Pager {
    /// The largest number of pages a walk takes unless [`Pager::with_max_pages`] says
    /// otherwise.
    pub const DEFAULT_MAX_PAGES: u32 = 10_000;

    /// A walk from the first page, `size` items a page (check it first with
    /// [`PageRequest::check_size`]).
    pub fn new(paging: &'static Paging, size: u32) -> Pager {
        Pager {
            paging,
            size,
            next: Some(PageAt::Start),
            pages: 0,
            max_pages: Self::DEFAULT_MAX_PAGES,
            items: 0,
            previous: None,
            seen: HashSet::new(),
        }
    }

    /// The walk taking `max_pages` pages at most (at least 1).
    pub fn with_max_pages(mut self, max_pages: u32) -> Self {
        self.max_pages = max_pages.max(1);
        self
    }

    /// The next page to ask for; `None` once the walk is over.
    pub fn request(&self) -> Option<PageRequest> {
        self.next.as_ref().map(|at| PageRequest {
            size: self.size,
            at: at.clone(),
        })
    }

    /// Reads the page just received (the whole JSON response to [`Pager::request`]) and
    /// either ends the walk or moves it to the next page; see [`Pager`] for the rules. Does
    /// nothing once the walk is over.
    pub fn advance(&mut self, response: &serde_json::Value) -> Result<(), Error> {
        // Taken first: every early return below, error or not, ends the walk.
        let Some(at) = self.next.take() else {
            return Ok(());
        };
        self.pages = self.pages.saturating_add(1);
        let items = match response.pointer(self.paging.items) {
            Some(serde_json::Value::Array(items)) => items.as_slice(),
            _ => &[],
        };
        if items.is_empty() {
            return Ok(());
        }
        let count = u64::try_from(items.len()).unwrap_or(u64::MAX);
        self.items = self.items.saturating_add(count);
        let reached_total = self
            .paging
            .total
            .and_then(|pointer| response.pointer(pointer))
            .and_then(|total| match total {
                serde_json::Value::String(total) => total.parse().ok(),
                total => total.as_u64(),
            })
            .is_some_and(|total| self.items >= total);
        let short = count < u64::from(self.size);
        let next = match self.paging.kind {
            PagingKind::PageNumber { first } => {
                self.check_items_differ(items)?;
                let number = match at {
                    PageAt::Number(number) => number,
                    _ => first,
                };
                if short || reached_total {
                    return Ok(());
                }
                number.checked_add(1).map(PageAt::Number)
            }
            PagingKind::Offset => {
                self.check_items_differ(items)?;
                let offset = match at {
                    PageAt::Offset(offset) => offset,
                    _ => 0,
                };
                if short || reached_total {
                    return Ok(());
                }
                offset.checked_add(u64::from(self.size)).map(PageAt::Offset)
            }
            PagingKind::Cursor { cursors } => {
                if reached_total {
                    return Ok(());
                }
                let mut values = Vec::with_capacity(cursors.len());
                for pointer in cursors {
                    match response.pointer(pointer) {
                        Some(serde_json::Value::String(value)) if !value.is_empty() => {
                            values.push(value.clone());
                        }
                        Some(serde_json::Value::Number(value)) => values.push(value.to_string()),
                        None | Some(serde_json::Value::Null) => return Ok(()),
                        Some(serde_json::Value::String(_)) => return Ok(()),
                        Some(_) => {
                            return Err(Error::InvalidValue {
                                name: "page cursor",
                                reason: "is not a string or a number",
                            });
                        }
                    }
                }
                Some(PageAt::Cursors(values))
            }
            PagingKind::NextUrl { next } => {
                if reached_total {
                    return Ok(());
                }
                match response.pointer(next) {
                    Some(serde_json::Value::String(url)) if !url.is_empty() => {
                        Some(PageAt::Url(url.clone()))
                    }
                    None | Some(serde_json::Value::Null | serde_json::Value::String(_)) => None,
                    Some(_) => {
                        return Err(Error::InvalidValue {
                            name: "next page URL",
                            reason: "is not a string",
                        });
                    }
                }
            }
        };
        let Some(next) = next else {
            return Ok(());
        };
        if matches!(next, PageAt::Cursors(_) | PageAt::Url(_)) && !self.seen.insert(next.clone()) {
            return Err(Error::PagingLoop);
        }
        if self.pages >= self.max_pages {
            return Err(Error::TooManyPages {
                max: self.max_pages,
            });
        }
        self.next = Some(next);
        Ok(())
    }

    /// Refuses a page whose items are those of the page before it: a server that ignores
    /// the page number or offset.
    fn check_items_differ(&mut self, items: &[serde_json::Value]) -> Result<(), Error> {
        let hash = hash_items(items);
        if self.previous.replace(hash) == Some(hash) {
            return Err(Error::PagingLoop);
        }
        Ok(())
    }
}

/// A hash of JSON values, equal for equal values, walked without recursion however deep
/// they nest. Every node is tagged, and arrays and objects carry their length, so that
/// different values hash alike only by chance.
fn hash_items(items: &[serde_json::Value]) -> u64 {
    enum Node<'a> {
        Value(&'a serde_json::Value),
        Key(&'a str),
    }
    let mut hasher = DefaultHasher::new();
    items.len().hash(&mut hasher);
    let mut stack: Vec<Node<'_>> = items.iter().rev().map(Node::Value).collect();
    while let Some(node) = stack.pop() {
        let value = match node {
            Node::Key(key) => {
                key.hash(&mut hasher);
                continue;
            }
            Node::Value(value) => value,
        };
        match value {
            serde_json::Value::Null => 0u8.hash(&mut hasher),
            serde_json::Value::Bool(value) => (1u8, value).hash(&mut hasher),
            serde_json::Value::Number(number) => {
                2u8.hash(&mut hasher);
                if let Some(number) = number.as_u64() {
                    (0u8, number).hash(&mut hasher);
                } else if let Some(number) = number.as_i64() {
                    (1u8, number).hash(&mut hasher);
                } else {
                    (2u8, number.as_f64().map(f64::to_bits)).hash(&mut hasher);
                }
            }
            serde_json::Value::String(value) => (3u8, value).hash(&mut hasher),
            serde_json::Value::Array(values) => {
                (4u8, values.len()).hash(&mut hasher);
                stack.extend(values.iter().rev().map(Node::Value));
            }
            serde_json::Value::Object(map) => {
                (5u8, map.len()).hash(&mut hasher);
                for (key, value) in map.iter().rev() {
                    stack.push(Node::Value(value));
                    stack.push(Node::Key(key));
                }
            }
        }
    }
    hasher.finish()
}

/// How a generated `_pages` method fetches each page: the boxed closure that builds the
/// page's request and sends it, so that the iterator's type can be named
/// ([`Pages`]`<'a, C, T, P, Fetch<'a, C, T>>`).
pub type Fetch<'a, C, T> =
    Box<dyn FnMut(&mut Connection<C, T>, &PageRequest) -> Result<serde_json::Value, Error> + 'a>;

/// The pages of a list, walked by a [`Pager`]: an iterator that fetches each page when asked
/// for it and reads it into `P`. See [`Connection::pages`].
pub struct Pages<'a, C, T, P, F> {
    connection: &'a mut Connection<C, T>,
    pager: Pager,
    fetch: F,
    started: bool,
    page: PhantomData<fn() -> P>,
}

impl<C, T, P, F> Pages<'_, C, T, P, F> {
    /// The walk taking `max_pages` pages at most (at least 1); see [`Pager::with_max_pages`].
    pub fn with_max_pages(mut self, max_pages: u32) -> Self {
        self.pager = self.pager.with_max_pages(max_pages);
        self
    }
}

impl<C, T, P, F> Iterator for Pages<'_, C, T, P, F>
where
    P: DeserializeOwned,
    F: FnMut(&mut Connection<C, T>, &PageRequest) -> Result<serde_json::Value, Error>,
{
    type Item = Result<P, Error>;

    /// The next page: fetched, read by the pager, then read into `P`. A page size the API
    /// does not allow, an error fetching a page and an error of the pager are yielded once
    /// and end the walk; a page that does not read as `P` is yielded as an error and the
    /// walk goes on.
    fn next(&mut self) -> Option<Self::Item> {
        if !self.started {
            self.started = true;
            if let Err(error) =
                PageRequest::first(self.pager.size).check_size(self.pager.paging.max_page_size)
            {
                self.pager.next = None;
                return Some(Err(error));
            }
        }
        let request = self.pager.request()?;
        let response = match (self.fetch)(self.connection, &request) {
            Ok(response) => response,
            Err(error) => {
                self.pager.next = None;
                return Some(Err(error));
            }
        };
        if let Err(error) = self.pager.advance(&response) {
            return Some(Err(error));
        }
        Some(serde_json::from_value(response).map_err(Error::Json))
    }
}

impl<C, T, P, F> std::iter::FusedIterator for Pages<'_, C, T, P, F>
where
    P: DeserializeOwned,
    F: FnMut(&mut Connection<C, T>, &PageRequest) -> Result<serde_json::Value, Error>,
{
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
            secret_headers: Vec::new(),
            secret_query: None,
            sensitive_body: true,
            rate_limits: Vec::new(),
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
        let joint = if authorize_url.contains('?') {
            '&'
        } else {
            '?'
        };
        format!("{authorize_url}{joint}{}", encode_form(&query))
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
    /// The headers, in the order received, as `(name, value)`; a value that is not UTF-8
    /// is read lossily.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// A response with `status` and `body` and no headers.
    pub fn new(status: u16, body: Vec<u8>) -> Self {
        Response {
            status,
            headers: Vec::new(),
            body,
        }
    }

    /// The response with the header `name: value` appended.
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The value of the first header `name` (compared without regard to case), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// Sends requests over HTTP. Implement it for the HTTP client you use; with the `ureq`
/// feature a generated crate provides `UreqTransport`.
pub trait Transport {
    /// Sends `request` and returns the response, whatever its status.
    fn send(&self, request: &Request) -> Result<Response, TransportError>;
}

/// The time as a [`Connection`] sees it, and how it waits: [`SystemClock`] unless
/// [`Connection::with_clock`] gives another (a test's clock that records its waits instead
/// of sleeping, say).
pub trait Clock: Send + Sync {
    /// The current instant, for rate limits and token lifetimes.
    fn now(&self) -> Instant;

    /// The current wall-clock time, for a `Retry-After` header that gives a date.
    fn system_time(&self) -> SystemTime;

    /// Blocks for `duration`.
    fn sleep(&self, duration: Duration);
}

/// The real clock: [`Instant::now`], [`SystemTime::now`] and [`std::thread::sleep`].
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }

    fn system_time(&self) -> SystemTime {
        SystemTime::now()
    }

    fn sleep(&self, duration: Duration) {
        std::thread::sleep(duration);
    }
}

/// How a [`Connection`] answers a 429 (Too Many Requests) or 503 (Service Unavailable): it
/// waits as long as the response's `Retry-After` header asks (1 s, then 2 s, 4 s... without
/// one, at most `max_wait`) and sends the request again, at most `max_retries` times. A
/// server that asks for a longer wait than `max_wait` gets no retry: the call fails with
/// [`Error::RateLimited`] at once, as it does once the retries have run out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// How many times a request is sent again; 0 never retries.
    pub max_retries: u32,
    /// The longest wait before a retry.
    pub max_wait: Duration,
}

impl Default for RetryPolicy {
    /// 3 retries, waiting 60 s at most.
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            max_wait: Duration::from_secs(60),
        }
    }
}

/// How a [`Connection`] paces what it sends: its clock, its retry policy and when each rate
/// limit's scope last sent a request.
struct Pacing {
    clock: Box<dyn Clock>,
    retry: RetryPolicy,
    /// The instant each scope last sent a request.
    last_sent: Vec<(&'static str, Instant)>,
}

impl Pacing {
    /// Sends `request` over `transport`, every attempt spaced by the request's rate limits
    /// when `spaced`, and retried on 429 and 503 as the retry policy says.
    fn send<T: Transport>(
        &mut self,
        transport: &T,
        request: &Request,
        spaced: bool,
    ) -> Result<Response, Error> {
        let mut backoff = Duration::from_secs(1);
        let mut retries = 0;
        loop {
            if spaced {
                self.wait_for_turn(&request.rate_limits);
            }
            let response = transport.send(request).map_err(Error::Transport)?;
            if !matches!(response.status, 429 | 503) {
                return Ok(response);
            }
            let retry_after = response
                .header("Retry-After")
                .and_then(|value| parse_retry_after(value, self.clock.system_time()));
            if retries >= self.retry.max_retries
                || retry_after.is_some_and(|wait| wait > self.retry.max_wait)
            {
                return Err(Error::RateLimited {
                    status: response.status,
                    retry_after,
                });
            }
            // Without a `Retry-After`: 1 s, then 2 s, 4 s... at most `max_wait`.
            let wait = retry_after.unwrap_or_else(|| {
                let wait = backoff.min(self.retry.max_wait);
                backoff = backoff.saturating_mul(2);
                wait
            });
            if !wait.is_zero() {
                self.clock.sleep(wait);
            }
            retries += 1;
        }
    }

    /// Waits until every limit's `min_interval` has passed since its scope last sent a
    /// request, then counts the request as sent now in each scope.
    fn wait_for_turn(&mut self, limits: &[RateLimit]) {
        if limits.is_empty() {
            return;
        }
        let now = self.clock.now();
        let wait = limits
            .iter()
            .filter_map(|limit| {
                let (_, last) = self.last_sent.iter().find(|(s, _)| *s == limit.scope)?;
                let ready = last.checked_add(limit.min_interval)?;
                Some(ready.saturating_duration_since(now))
            })
            .max()
            .unwrap_or_default();
        if !wait.is_zero() {
            self.clock.sleep(wait);
        }
        let sent = self.clock.now();
        for limit in limits {
            match self.last_sent.iter_mut().find(|(s, _)| *s == limit.scope) {
                Some((_, last)) => *last = sent,
                None => self.last_sent.push((limit.scope, sent)),
            }
        }
    }
}

/// How long a `Retry-After` value (RFC 9110 section 10.2.3) asks to wait at `now`:
/// delta-seconds, or an IMF-fixdate (a date in the past asks for no wait). `None` for
/// anything else, including the obsolete date formats.
fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim_matches([' ', '\t']);
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Too many digits for a u64: a wait longer than any policy allows.
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    let seconds = parse_imf_fixdate(value)?;
    let date = match u64::try_from(seconds) {
        Ok(seconds) => UNIX_EPOCH.checked_add(Duration::from_secs(seconds))?,
        Err(_) => UNIX_EPOCH,
    };
    Some(date.duration_since(now).unwrap_or_default())
}

/// The seconds since the Unix epoch of an IMF-fixdate such as `Sun, 06 Nov 1994 08:49:37
/// GMT` (RFC 9110 section 5.6.7); `None` if `value` is not one or names no real date.
fn parse_imf_fixdate(value: &str) -> Option<i64> {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let number = |text: &str| -> Option<i64> {
        if text.bytes().all(|b| b.is_ascii_digit()) {
            text.parse().ok()
        } else {
            None
        }
    };
    let bytes = value.as_bytes();
    let separators = [(3, b','), (4, b' '), (7, b' '), (11, b' '), (16, b' ')];
    let time_separators = [(19, b':'), (22, b':'), (25, b' ')];
    if bytes.len() != 29
        || !separators
            .iter()
            .chain(&time_separators)
            .all(|&(at, byte)| bytes[at] == byte)
        || !DAYS.contains(&value.get(..3)?)
        || value.get(26..)? != "GMT"
    {
        return None;
    }
    let day = number(value.get(5..7)?)?;
    let month_name = value.get(8..11)?;
    let month = MONTHS.iter().position(|&m| m == month_name)?;
    let year = number(value.get(12..16)?)?;
    let hour = number(value.get(17..19)?)?;
    let minute = number(value.get(20..22)?)?;
    let second = number(value.get(23..25)?)?;
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if day < 1 || day > month_days[month] || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    // Days since 1970-01-01 of the proleptic Gregorian date (Howard Hinnant's
    // `days_from_civil`), counting years from March so that a leap day ends a year.
    let month = i64::try_from(month).ok()? + 1;
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = era * 146_097 + day_of_era - 719_468;
    Some(days * 86_400 + hour * 3_600 + minute * 60 + second)
}

/// A client and a [`Transport`] together: the generated methods send each request and read
/// the response, and an OAuth2 connection signs in (and signs in again, or refreshes its
/// token, when the token is about to expire) by itself.
///
/// It spaces the requests that carry a [`RateLimit`] (token requests never wait for one),
/// and answers a 429 or 503 by waiting and sending again as its [`RetryPolicy`] says.
pub struct Connection<C, T> {
    client: C,
    transport: T,
    token: Option<(AccessToken, Instant)>,
    pacing: Pacing,
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
            pacing: Pacing {
                clock: Box::new(SystemClock),
                retry: RetryPolicy::default(),
                last_sent: Vec::new(),
            },
        }
    }

    /// The connection using `token`, obtained just now (with the authorisation-code grant,
    /// from the client's `code_exchange_request` and [`parse_token_response`]).
    pub fn with_token(mut self, token: AccessToken) -> Self {
        self.token = Some((token, self.pacing.clock.now()));
        self
    }

    /// The connection answering 429 and 503 as `policy` says (3 retries, waiting 60 s at
    /// most, unless set here).
    pub fn with_retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.pacing.retry = policy;
        self
    }

    /// The connection timing and waiting with `clock` instead of the [`SystemClock`]. Set it
    /// before [`Connection::with_token`], which notes when the token was obtained.
    pub fn with_clock(mut self, clock: impl Clock + 'static) -> Self {
        self.pacing.clock = Box::new(clock);
        self
    }

    /// The client that builds the requests.
    pub fn client(&self) -> &C {
        &self.client
    }

    /// Sends `request` and reads its JSON response into `R`: spaced by the request's rate
    /// limits, and sent again after a 429 or 503 as the [`RetryPolicy`] says. A 401 drops
    /// the token held, so that the next call signs in afresh.
    pub fn send<R: DeserializeOwned>(&mut self, request: Request) -> Result<R, Error> {
        let response = self.pacing.send(&self.transport, &request, true)?;
        if response.status == 401 {
            self.token = None;
        }
        parse_response(response.status, &response.body)
    }

    /// The pages of a list, one JSON response read into `P` at a time: `fetch` builds the
    /// request for each [`PageRequest`] and sends it on the connection (it can reach the
    /// client with [`Connection::client`]); a [`Pager`] following `paging` decides when the
    /// walk ends. The first page asked for checks `size` against the API's largest page size.
    pub fn pages<P, F>(
        &mut self,
        paging: &'static Paging,
        size: u32,
        fetch: F,
    ) -> Pages<'_, C, T, P, F>
    where
        P: DeserializeOwned,
        F: FnMut(&mut Connection<C, T>, &PageRequest) -> Result<serde_json::Value, Error>,
    {
        Pages {
            connection: self,
            pager: Pager::new(paging, size),
            fetch,
            started: false,
            page: PhantomData,
        }
    }
}

impl<C: SignIn, T: Transport> Connection<C, T> {
    /// A token valid for at least another minute: the one held, refreshed, or a new one.
    pub fn token(&mut self) -> Result<AccessToken, Error> {
        const MARGIN_SECONDS: u64 = 60;
        let now = self.pacing.clock.now();
        let fresh = self.token.as_ref().filter(|(token, obtained)| {
            let elapsed = now.saturating_duration_since(*obtained).as_secs();
            !token.is_expired(elapsed, MARGIN_SECONDS)
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
        // Retried on 429 and 503 like any request, but never spaced by a rate limit.
        let response = self.pacing.send(&self.transport, &request, false)?;
        let token = parse_token_response(response.status, &response.body)?;
        self.token = Some((token.clone(), self.pacing.clock.now()));
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

/// Refuses a value an HTTP header cannot carry (RFC 9110 section 5.5, `field-value`): a
/// line break, NUL, DEL or any other control character but the horizontal tab, or a space
/// or tab at either end. A value that passes cannot add a header or split the request.
pub fn check_header_value(name: &'static str, value: &str) -> Result<(), Error> {
    let allowed = |b: u8| b == b'\t' || (b' '..=b'~').contains(&b) || b >= 0x80;
    if !value.bytes().all(allowed) {
        return Err(Error::InvalidValue {
            name,
            reason: "must not contain line breaks or other control characters",
        });
    }
    if value.starts_with([' ', '\t']) || value.ends_with([' ', '\t']) {
        return Err(Error::InvalidValue {
            name,
            reason: "must not start or end with a space or a tab",
        });
    }
    Ok(())
}

/// Refuses a value that cannot be part of one OAuth2 scope (RFC 6749 section 3.3): empty, or
/// holding a space (which separates scopes), a quote, a backslash or a control character.
pub fn check_scope_token(name: &'static str, value: &str) -> Result<(), Error> {
    let allowed = |b: u8| b == b'!' || (b'#'..=b'[').contains(&b) || (b']'..=b'~').contains(&b);
    if value.is_empty() || !value.bytes().all(allowed) {
        return Err(Error::InvalidValue {
            name,
            reason: "must be part of one scope: printable characters without spaces, quotes or backslashes",
        });
    }
    Ok(())
}

/// Refuses anything but a whole `https://` URL: a host name of DNS labels, an optional port,
/// an optional path of non-empty segments; no user info, query, fragment or trailing `/`
/// (the template's own path follows the value), so that a value starting a URL cannot point
/// the request, and its credentials, at a host the user did not name.
pub fn check_url(name: &'static str, value: &str) -> Result<(), Error> {
    const REASON: &str = "must be an https:// address such as https://example.com, without a trailing `/`, query or fragment";
    let invalid = Error::InvalidValue {
        name,
        reason: REASON,
    };
    let Some(rest) = value.strip_prefix("https://") else {
        return Err(invalid);
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let (host, port) = match authority.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    };
    let port_ok =
        port.is_none_or(|p| (1..=5).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()));
    let host_ok = host.len() <= 253 && host.split('.').all(is_host_label);
    let segment_ok = |segment: &str| {
        !segment.is_empty()
            && segment
                .bytes()
                .all(|b| (b'!'..=b'~').contains(&b) && b != b'?' && b != b'#')
    };
    let path_ok = path.is_empty() || path.split('/').skip(1).all(segment_ok);
    if port_ok && host_ok && path_ok {
        Ok(())
    } else {
        Err(invalid)
    }
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

/// Sets the value at `path` (a key, then the keys below it) in the JSON object `json`,
/// making `json`, and every object on the way, an object where it is not one yet.
pub fn insert_json(
    json: &mut serde_json::Value,
    path: &[&str],
    value: impl Into<serde_json::Value>,
) {
    let steps: Vec<Step<'_>> = path.iter().map(|key| Step::Key(key)).collect();
    insert_json_at(json, &steps, value);
}

/// One step of a path into a JSON body: a key of an object, or a key holding a list of
/// objects whose first object the path goes on in (Cyclr's `[filter].date_modified`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step<'a> {
    /// The value under a key.
    Key(&'a str),
    /// The first object of the list under a key.
    List(&'a str),
}

/// Sets the value at `path` in the JSON object `json`, making `json` and every object on
/// the way an object, and every list on the way a list holding at least one object, where
/// they are not one yet.
pub fn insert_json_at(
    json: &mut serde_json::Value,
    path: &[Step<'_>],
    value: impl Into<serde_json::Value>,
) {
    let mut place = json;
    for step in path {
        if !place.is_object() {
            *place = serde_json::Value::Object(serde_json::Map::new());
        }
        let serde_json::Value::Object(object) = place else {
            return;
        };
        place = match *step {
            Step::Key(key) => object.entry(key).or_insert(serde_json::Value::Null),
            Step::List(key) => {
                let list = object
                    .entry(key)
                    .or_insert_with(|| serde_json::Value::Array(Vec::new()));
                if !list.is_array() {
                    *list = serde_json::Value::Array(Vec::new());
                }
                let serde_json::Value::Array(items) = list else {
                    return;
                };
                if items.is_empty() {
                    items.push(serde_json::Value::Object(serde_json::Map::new()));
                }
                let Some(first) = items.first_mut() else {
                    return;
                };
                first
            }
        };
    }
    *place = value.into();
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
        let bits = u32::from_be_bytes([0, bytes[0], bytes[1], bytes[2]]);
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
