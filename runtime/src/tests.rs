//! The runtime's own tests: encodings against their standards' examples, redaction,
//! the token life cycle of a connection against a scripted transport, rate limits and
//! retries against a clock that never sleeps, paging walks against scripted servers, and the
//! ureq transport against a loopback server.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::UreqTransport;
use crate::runtime::*;

#[test]
fn secrets_never_print() {
    let secret = Secret::new("hunter2");
    assert_eq!(format!("{secret} {secret:?}"), "[redacted] [redacted]");
    assert_eq!(secret.expose(), "hunter2");
    assert_eq!(Secret::from("a"), Secret::from("a".to_owned()));
}

#[test]
fn basic_authorization_matches_rfc_7617() {
    assert_eq!(
        basic_authorization("Aladdin", "open sesame"),
        "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
    );
    // Every padding length.
    assert_eq!(basic_authorization("a", ""), "Basic YTo=");
    assert_eq!(basic_authorization("ab", ""), "Basic YWI6");
    assert_eq!(basic_authorization("key", ""), "Basic a2V5Og==");
}

#[test]
fn encodings_follow_their_standards() {
    assert_eq!(percent_encode("a b/c~d.é"), "a%20b%2Fc~d.%C3%A9");
    assert_eq!(encode_form_value("a b&c=d*~"), "a+b%26c%3Dd*%7E");
    assert_eq!(
        encode_form(&[("q", "x y"), ("n", "1")]),
        "q=x+y&n=1".to_owned()
    );
    let mut url = "https://x.test/a".to_owned();
    append_query(&mut url, &[("a", None), ("b", None)]);
    assert_eq!(url, "https://x.test/a");
    append_query(
        &mut url,
        &[("a", Some("1 2")), ("b", None), ("c", Some("&"))],
    );
    assert_eq!(url, "https://x.test/a?a=1+2&c=%26");
}

#[test]
fn host_and_path_checks_refuse_what_would_redirect_a_request() {
    assert!(check_host_label("h", "acme-1").is_ok());
    for bad in ["", "-a", "a-", "a.b", "evil.com/x", "a@b", &"a".repeat(64)] {
        assert!(check_host_label("h", bad).is_err(), "{bad}");
    }
    assert!(check_host_name("h", "usw2.pure.cloud").is_ok());
    for bad in ["", "a..b", "a.b/c", "a.b:80", "user@a.b", &"a.".repeat(127)] {
        assert!(check_host_name("h", bad).is_err(), "{bad}");
    }
    for bad in ["", ".", ".."] {
        assert!(check_path_segment("p", bad).is_err(), "{bad}");
    }
    assert_eq!(encode_path_segment("p", "a/b").unwrap(), "a%2Fb");
    let error = encode_path_segment("PersonId", "..").unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid PersonId: must be a path segment other than empty, `.` or `..`"
    );
}

/// `[0-9]+` as connector-gen compiles it: class 1 is the digits.
const DIGITS: Pattern = Pattern {
    source: "[0-9]+",
    classes: &[(b'0', b'9', 1)],
    next: &[&[0, 0], &[0, 2], &[0, 2]],
    accept: &[false, false, true],
};

#[test]
fn patterns_walk_their_dfa() {
    assert!(DIGITS.matches("0123"));
    for bad in ["", "12a", "a", "１"] {
        assert!(!DIGITS.matches(bad), "{bad}");
    }
    assert!(DIGITS.check("OrderId", "42").is_ok());
    assert!(matches!(
        DIGITS.check("OrderId", "x"),
        Err(Error::InvalidValue {
            name: "OrderId",
            ..
        })
    ));
}

#[test]
fn api_requests_carry_credentials_where_the_api_wants_them_and_debug_hides_them() {
    let key = Secret::new("k3y");
    let token = AccessToken::new("t0ken");
    let body = Some("{}".to_owned());
    let url = || "https://api.test/v1/x?a=1".to_owned();

    let request = Request::api(HttpMethod::Post, url(), Auth::Bearer(&token), body.clone());
    assert_eq!(request.header("authorization"), Some("Bearer t0ken"));
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.body.as_deref(), Some("{}"));

    let auth = Auth::ApiKeyHeader {
        header: "X-Api-Key",
        key: &key,
    };
    let request = Request::api(HttpMethod::Get, url(), auth, None);
    assert_eq!(request.header("x-api-key"), Some("k3y"));
    assert_eq!(request.header("content-type"), None);

    let auth = Auth::ApiKeyQuery {
        parameter: "api_token",
        key: &key,
    };
    let request = Request::api(HttpMethod::Get, url(), auth, None);
    assert_eq!(request.url, "https://api.test/v1/x?a=1&api_token=k3y");
    let shown = format!("{request:?}");
    assert!(
        shown.contains("api_token=[redacted]") && !shown.contains("k3y"),
        "{shown}"
    );
    let request = Request::api(HttpMethod::Get, "https://api.test".to_owned(), auth, None);
    assert_eq!(request.url, "https://api.test?api_token=k3y");

    let auth = Auth::Basic {
        user: "key",
        password: "",
    };
    let request = Request::api(HttpMethod::Delete, url(), auth, None);
    assert_eq!(request.header("Authorization"), Some("Basic a2V5Og=="));
    assert_eq!(request.header("Accept"), Some("application/json"));

    for request in [
        Request::api(HttpMethod::Get, url(), Auth::Bearer(&token), None),
        Request::api(
            HttpMethod::Get,
            url(),
            Auth::ApiKeyHeader {
                header: "X-Api-Key",
                key: &key,
            },
            None,
        ),
    ] {
        let shown = format!("{request:?}");
        assert!(
            !shown.contains("t0ken") && !shown.contains("k3y"),
            "{shown}"
        );
    }
    let request = Request::api(HttpMethod::Get, url(), Auth::None, body);
    assert_eq!(request.headers.len(), 2);
    assert!(
        format!("{request:?}").contains("{}"),
        "a plain body is shown"
    );
    let by_hand = Request::new(HttpMethod::Post, url(), Vec::new(), Some("secret=1".into()));
    assert!(!format!("{by_hand:?}").contains("secret=1"));
}

fn oauth_client(secret: &Secret, auth: ClientAuth) -> OAuthClient<'_> {
    OAuthClient {
        token_url: "https://auth.test/token".to_owned(),
        id: "id",
        secret,
        auth,
    }
}

#[test]
fn token_requests_follow_rfc_6749() {
    let secret = Secret::new("s:e");
    let grant = [("grant_type", "client_credentials"), ("scope", "a b")];
    let request = oauth_client(&secret, ClientAuth::Body).token_request(&grant);
    assert_eq!(request.method, HttpMethod::Post);
    assert_eq!(request.url, "https://auth.test/token");
    assert_eq!(
        request.body.as_deref(),
        Some("grant_type=client_credentials&scope=a+b&client_id=id&client_secret=s%3Ae")
    );
    assert_eq!(
        request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert!(
        !format!("{request:?}").contains("s%3Ae"),
        "the body is redacted"
    );

    let request = oauth_client(&secret, ClientAuth::BasicHeader).token_request(&grant);
    assert_eq!(
        request.body.as_deref(),
        Some("grant_type=client_credentials&scope=a+b")
    );
    // base64("id:s%3Ae"): section 2.3.1 form-encodes both parts first.
    assert_eq!(request.header("authorization"), Some("Basic aWQ6cyUzQWU="));

    let refresh = oauth_client(&secret, ClientAuth::Body).refresh_request(&Secret::new("r"));
    assert!(
        refresh
            .body
            .unwrap()
            .starts_with("grant_type=refresh_token&refresh_token=r&")
    );

    let url = oauth_client(&secret, ClientAuth::Body).authorize_url(
        "https://auth.test/authorize",
        "https://app.test/cb",
        Some("read write"),
        "st",
    );
    assert_eq!(
        url,
        "https://auth.test/authorize?response_type=code&client_id=id&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&scope=read+write&state=st"
    );
}

#[test]
fn token_and_method_responses_are_read_or_refused() {
    let token = parse_token_response(
        200,
        br#"{"access_token":"a","token_type":"Bearer","expires_in":3600,"refresh_token":"r"}"#,
    )
    .unwrap();
    assert_eq!(token.secret().expose(), "a");
    assert!(!token.is_expired(3539, 60));
    assert!(token.is_expired(3540, 60));
    assert!(!AccessToken::new("x").is_expired(u64::MAX, 60));
    let error = parse_token_response(400, br#"{"error":"invalid_grant"}"#).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the token request was refused: invalid_grant"
    );
    let error = parse_token_response(502, b"<html>").unwrap_err();
    assert!(matches!(error, Error::Status { status: 502, .. }));

    let value: serde_json::Value = parse_response(200, b" \n").unwrap();
    assert!(value.is_null());
    let value: serde_json::Value = parse_response(201, br#"{"a":1}"#).unwrap();
    assert_eq!(value["a"], 1);
    let error = parse_response::<serde_json::Value>(429, b"slow down").unwrap_err();
    assert_eq!(error.to_string(), "the server answered with status 429");
    assert!(matches!(
        parse_response::<serde_json::Value>(200, b"{"),
        Err(Error::Json(_))
    ));
}

/// A transport that answers from a script and records what it was sent.
#[derive(Default)]
struct Scripted {
    answers: RefCell<VecDeque<Response>>,
    sent: RefCell<Vec<Request>>,
}

impl Scripted {
    fn new(answers: &[(u16, &'static str)]) -> Self {
        Self::responses(
            answers
                .iter()
                .map(|&(status, body)| Response::new(status, body.as_bytes().to_vec()))
                .collect(),
        )
    }

    fn responses(answers: Vec<Response>) -> Self {
        Scripted {
            answers: RefCell::new(answers.into()),
            sent: RefCell::default(),
        }
    }

    fn urls(&self) -> Vec<String> {
        self.sent.borrow().iter().map(|r| r.url.clone()).collect()
    }
}

impl Transport for &Scripted {
    fn send(&self, request: &Request) -> Result<Response, TransportError> {
        self.sent.borrow_mut().push(request.clone());
        let response = self
            .answers
            .borrow_mut()
            .pop_front()
            .ok_or("the script ran out")?;
        Ok(response)
    }
}

/// A client of each kind of grant: one that signs in by itself, one that can only refresh.
struct Client {
    signs_in: bool,
}

impl SignIn for Client {
    fn sign_in_request(&self) -> Option<Request> {
        self.signs_in.then(|| {
            Request::new(
                HttpMethod::Post,
                "https://auth.test/token".into(),
                vec![],
                None,
            )
        })
    }

    fn refresh_request(&self, refresh_token: &Secret) -> Option<Request> {
        (!self.signs_in).then(|| {
            let url = format!("https://auth.test/refresh/{}", refresh_token.expose());
            Request::new(HttpMethod::Post, url, vec![], None)
        })
    }
}

const LONG_TOKEN: &str = r#"{"access_token":"long","token_type":"Bearer","expires_in":3600}"#;
const SHORT_TOKEN: &str =
    r#"{"access_token":"short","token_type":"Bearer","expires_in":30,"refresh_token":"r1"}"#;

#[test]
fn a_connection_signs_in_once_and_again_when_the_token_expires_or_is_refused() {
    let transport = Scripted::new(&[
        (200, SHORT_TOKEN),
        (200, LONG_TOKEN),
        (200, "[]"),
        (401, ""),
        (200, LONG_TOKEN),
    ]);
    let mut connection = Connection::new(Client { signs_in: true }, &transport);
    // Expires within the minute's margin: the next call signs in again.
    assert_eq!(connection.token().unwrap().secret().expose(), "short");
    assert_eq!(connection.token().unwrap().secret().expose(), "long");
    assert_eq!(connection.token().unwrap().secret().expose(), "long");
    let list = Request::new(HttpMethod::Get, "https://api.test/x".into(), vec![], None);
    let _: serde_json::Value = connection.send(list.clone()).unwrap();
    assert!(matches!(
        connection.send::<serde_json::Value>(list),
        Err(Error::Status { status: 401, .. })
    ));
    // The 401 dropped the token.
    assert_eq!(connection.token().unwrap().secret().expose(), "long");
    assert_eq!(
        transport.urls(),
        [
            "https://auth.test/token",
            "https://auth.test/token",
            "https://api.test/x",
            "https://api.test/x",
            "https://auth.test/token",
        ]
    );
}

#[test]
fn an_authorisation_code_connection_refreshes_or_asks_for_the_user() {
    let transport = Scripted::new(&[(200, SHORT_TOKEN), (400, r#"{"error":"invalid_grant"}"#)]);
    let first = parse_token_response(200, SHORT_TOKEN.as_bytes()).unwrap();
    let mut connection = Connection::new(Client { signs_in: false }, &transport).with_token(first);
    // Held token about to expire: refreshed with its refresh token.
    assert_eq!(connection.token().unwrap().secret().expose(), "short");
    // Refreshed again (the new one is short too); the server refuses.
    assert!(matches!(connection.token(), Err(Error::OAuth { .. })));
    assert_eq!(
        transport.urls(),
        [
            "https://auth.test/refresh/r1",
            "https://auth.test/refresh/r1"
        ]
    );
    let transport = Scripted::new(&[]);
    let mut connection =
        Connection::new(Client { signs_in: false }, &transport).with_token(AccessToken::new("x"));
    assert_eq!(connection.token().unwrap().secret().expose(), "x");
    let mut connection = Connection::new(Client { signs_in: false }, &transport);
    assert!(matches!(connection.token(), Err(Error::TokenExpired)));
    assert!(transport.urls().is_empty());
    assert!(
        connection
            .client()
            .refresh_request(&Secret::new("a"))
            .is_some()
    );
}

#[test]
fn the_ureq_transport_sends_to_an_origin_and_reads_any_status() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let server = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream);
        let mut head = Vec::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line == "\r\n" {
                break;
            }
            head.push(line.trim_end().to_owned());
        }
        let length: usize = head
            .iter()
            .find_map(|h| {
                h.to_ascii_lowercase()
                    .strip_prefix("content-length: ")
                    .map(str::to_owned)
            })
            .map_or(0, |l| l.parse().unwrap());
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        let answer = "HTTP/1.1 418 X\r\nContent-Length: 4\r\nRetry-After: 7\r\n\
                      X-Note: caf\u{e9}\r\nConnection: close\r\n\r\nteap";
        reader.get_mut().write_all(answer.as_bytes()).unwrap();
        (head, String::from_utf8(body).unwrap())
    });
    let transport = UreqTransport::with_origin(&format!("{origin}/"));
    let request = Request::api(
        HttpMethod::Put,
        "https://api.vendor.test/v1/x?y=1".to_owned(),
        Auth::None,
        Some("{\"a\":1}".to_owned()),
    );
    let response = transport.send(&request).unwrap();
    assert_eq!(response.status, 418);
    assert_eq!(response.body, b"teap");
    assert_eq!(response.header("retry-after"), Some("7"));
    assert_eq!(response.header("X-NOTE"), Some("caf\u{e9}"));
    assert_eq!(response.header("content-length"), Some("4"));
    let (head, body) = server.join().unwrap();
    assert_eq!(head[0], "PUT /v1/x?y=1 HTTP/1.1");
    let lower: Vec<String> = head.iter().map(|h| h.to_ascii_lowercase()).collect();
    assert!(
        lower.contains(&"x-original-host: api.vendor.test".to_owned()),
        "{head:?}"
    );
    assert!(
        lower.contains(&"content-type: application/json".to_owned()),
        "{head:?}"
    );
    assert_eq!(body, "{\"a\":1}");
}

#[test]
fn header_values_that_could_split_a_request_are_refused() {
    for good in ["abc", "a\tb c", "caf\u{e9}", "Bearer x=1;y", ""] {
        assert!(check_header_value("Account", good).is_ok(), "{good:?}");
    }
    for bad in [
        "a\r\nX-Admin: 1",
        "a\n",
        "a\rb",
        "a\0b",
        "a\u{7f}",
        "\u{1}",
        "a\u{1b}[0m",
    ] {
        let error = check_header_value("Account", bad).unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid Account: must not contain line breaks or other control characters",
            "{bad:?}"
        );
    }
    for bad in [" a", "a ", "\ta", "a\t", " "] {
        let error = check_header_value("Account", bad).unwrap_err();
        assert!(
            matches!(
                error,
                Error::InvalidValue {
                    name: "Account",
                    reason: "must not start or end with a space or a tab",
                }
            ),
            "{bad:?}: {error:?}"
        );
    }
}

#[test]
fn several_headers_can_be_secret_and_debug_hides_each() {
    let key = Secret::new("k3y");
    let auth = Auth::ApiKeyHeader {
        header: "X-Api-Key",
        key: &key,
    };
    let url = "https://api.test/v1/x".to_owned();
    let request = Request::api(HttpMethod::Get, url, auth, None)
        .with_header("X-Account", "acme-42".to_owned(), false)
        .with_header("X-User-Token", "us3r".to_owned(), true)
        .with_header("x-partner-key", "p4rtner".to_owned(), true);
    assert_eq!(
        request.headers,
        [
            ("Accept", "application/json".to_owned()),
            ("X-Api-Key", "k3y".to_owned()),
            ("X-Account", "acme-42".to_owned()),
            ("X-User-Token", "us3r".to_owned()),
            ("x-partner-key", "p4rtner".to_owned()),
        ]
    );
    assert_eq!(request.header("X-PARTNER-KEY"), Some("p4rtner"));
    let shown = format!("{request:?}");
    for secret in ["k3y", "us3r", "p4rtner"] {
        assert!(!shown.contains(secret), "{shown}");
    }
    assert!(shown.contains("\"acme-42\""), "{shown}");
    assert_eq!(shown.matches("[redacted]").count(), 3, "{shown}");
    // A header added to a request built by hand is redacted just the same.
    let by_hand = Request::new(HttpMethod::Get, "https://api.test".into(), vec![], None)
        .with_header("Cookie", "session=s3ss".to_owned(), true);
    assert!(!format!("{by_hand:?}").contains("s3ss"));
}

#[test]
fn responses_carry_their_headers() {
    let response = Response::new(429, b"slow".to_vec())
        .with_header("Retry-After", "5")
        .with_header("retry-after", "6".to_owned());
    assert_eq!(response.status, 429);
    assert_eq!(response.body, b"slow");
    assert_eq!(response.header("RETRY-AFTER"), Some("5"), "the first one");
    assert_eq!(response.header("X-Other"), None);
    assert_eq!(
        response.headers,
        [
            ("Retry-After".to_owned(), "5".to_owned()),
            ("retry-after".to_owned(), "6".to_owned()),
        ]
    );
    assert!(Response::new(200, Vec::new()).headers.is_empty());
}

#[test]
fn rate_limits_space_requests_by_a_fraction_of_a_second_or_an_interval() {
    const CONNECTOR: RateLimit = RateLimit::per_second("connector", 4);
    assert_eq!(CONNECTOR.scope, "connector");
    assert_eq!(CONNECTOR.min_interval, Duration::from_millis(250));
    assert_eq!(
        RateLimit::per_second("connector", 3).min_interval,
        Duration::from_nanos(333_333_333)
    );
    assert_eq!(
        RateLimit::per_second("connector", 0).min_interval,
        Duration::from_secs(1)
    );
    let list = RateLimit::every("List People", 1500);
    assert_eq!(list.min_interval, Duration::from_millis(1500));
    let plain = Request::new(HttpMethod::Get, "https://api.test".into(), vec![], None);
    assert!(plain.rate_limits().is_empty());
    let limited = plain
        .clone()
        .with_rate_limit(CONNECTOR)
        .with_rate_limit(list);
    assert_eq!(limited.rate_limits(), [CONNECTOR, list]);
    assert_ne!(limited, plain);
}

/// A clock that never sleeps: `sleep` records the wait and moves the clock on by it, and
/// `advance` stands for time passing between calls.
#[derive(Clone)]
struct FakeClock(Arc<Mutex<FakeTime>>);

struct FakeTime {
    start: Instant,
    /// The wall-clock time at the start.
    wall: SystemTime,
    elapsed: Duration,
    sleeps: Vec<Duration>,
}

/// Sun, 06 Nov 1994 08:49:37 GMT, RFC 9110's example date.
const RFC_EXAMPLE_DATE: u64 = 784_111_777;

impl FakeClock {
    /// A clock whose wall time starts `seconds` after the Unix epoch.
    fn at(seconds: u64) -> Self {
        FakeClock(Arc::new(Mutex::new(FakeTime {
            start: Instant::now(),
            wall: UNIX_EPOCH + Duration::from_secs(seconds),
            elapsed: Duration::ZERO,
            sleeps: Vec::new(),
        })))
    }

    fn advance(&self, duration: Duration) {
        self.0.lock().unwrap().elapsed += duration;
    }

    /// The waits so far, in seconds.
    fn sleeps(&self) -> Vec<f64> {
        let time = self.0.lock().unwrap();
        time.sleeps.iter().map(Duration::as_secs_f64).collect()
    }
}

impl Clock for FakeClock {
    fn now(&self) -> Instant {
        let time = self.0.lock().unwrap();
        time.start + time.elapsed
    }

    fn system_time(&self) -> SystemTime {
        let time = self.0.lock().unwrap();
        time.wall + time.elapsed
    }

    fn sleep(&self, duration: Duration) {
        let mut time = self.0.lock().unwrap();
        time.sleeps.push(duration);
        time.elapsed += duration;
    }
}

fn get(url: &str) -> Request {
    Request::api(HttpMethod::Get, url.to_owned(), Auth::None, None)
}

fn ok() -> Response {
    Response::new(200, b"{}".to_vec())
}

fn refused(status: u16, retry_after: Option<&str>) -> Response {
    let response = Response::new(status, b"slow down".to_vec());
    match retry_after {
        Some(value) => response.with_header("Retry-After", value),
        None => response,
    }
}

#[test]
fn a_connection_spaces_the_requests_of_each_scope() {
    let connector = RateLimit::per_second("connector", 2);
    let list = RateLimit::every("List People", 2000);
    let transport = Scripted::responses(vec![ok(); 8]);
    let clock = FakeClock::at(RFC_EXAMPLE_DATE);
    let mut connection = Connection::new((), &transport).with_clock(clock.clone());
    let mut send = |request: Request| {
        let _: serde_json::Value = connection.send(request).unwrap();
    };
    // The first request of a scope goes at once; the next waits out the interval.
    send(get("https://api.test/a").with_rate_limit(connector));
    send(get("https://api.test/b").with_rate_limit(connector));
    // Time that passed counts towards the interval.
    clock.advance(Duration::from_millis(200));
    send(get("https://api.test/c").with_rate_limit(connector));
    clock.advance(Duration::from_secs(1));
    send(get("https://api.test/d").with_rate_limit(connector));
    // A method's scope starts afresh, but the connector's limit still holds.
    send(
        get("https://api.test/people")
            .with_rate_limit(connector)
            .with_rate_limit(list),
    );
    // The method's own interval is the longer one.
    send(
        get("https://api.test/people")
            .with_rate_limit(connector)
            .with_rate_limit(list),
    );
    // A request without a limit never waits.
    send(get("https://api.test/free"));
    assert_eq!(clock.sleeps(), [0.5, 0.3, 0.5, 2.0]);
    assert_eq!(transport.urls().len(), 7);

    // A retry is a request like any other: after a short Retry-After it still waits out
    // the interval.
    let transport = Scripted::responses(vec![refused(429, Some("3")), ok()]);
    let clock = FakeClock::at(RFC_EXAMPLE_DATE);
    let mut connection = Connection::new((), &transport).with_clock(clock.clone());
    let every_10_s = RateLimit::every("connector", 10_000);
    let _: serde_json::Value = connection
        .send(get("https://api.test/a").with_rate_limit(every_10_s))
        .unwrap();
    assert_eq!(clock.sleeps(), [3.0, 7.0]);
}

#[test]
fn a_connection_waits_as_long_as_retry_after_asks_then_sends_again() {
    let transport = Scripted::responses(vec![
        refused(429, Some("7")),
        refused(503, Some("0")),
        refused(429, Some(" 2 ")),
        Response::new(200, br#"{"a":1}"#.to_vec()),
    ]);
    let clock = FakeClock::at(RFC_EXAMPLE_DATE);
    let mut connection = Connection::new((), &transport).with_clock(clock.clone());
    let request = get("https://api.test/x").with_header("X-Id", "1".to_owned(), false);
    let value: serde_json::Value = connection.send(request.clone()).unwrap();
    assert_eq!(value["a"], 1);
    // `0` asks for no wait at all.
    assert_eq!(clock.sleeps(), [7.0, 2.0]);
    assert_eq!(*transport.sent.borrow(), vec![request; 4]);
}

#[test]
fn a_retry_after_date_is_read_against_the_wall_clock() {
    const FEB_28_2024_23_59: u64 = 1_709_164_740;
    let cases: &[(u64, &str, f64)] = &[
        (RFC_EXAMPLE_DATE, "Sun, 06 Nov 1994 08:50:07 GMT", 30.0),
        (RFC_EXAMPLE_DATE, "Sun, 06 Nov 1994 09:49:37 GMT", 3600.0),
        (RFC_EXAMPLE_DATE, "Mon, 07 Nov 1994 08:49:37 GMT", 86_400.0),
        (FEB_28_2024_23_59, "Thu, 29 Feb 2024 00:00:30 GMT", 90.0),
        (FEB_28_2024_23_59, "Fri, 01 Mar 2024 00:00:00 GMT", 86_460.0),
        (
            FEB_28_2024_23_59,
            "Wed, 01 Jan 2025 00:00:00 GMT",
            26_524_860.0,
        ),
        // Leap second.
        (RFC_EXAMPLE_DATE, "Sun, 06 Nov 1994 08:49:60 GMT", 23.0),
    ];
    for &(now, date, expected) in cases {
        let transport = Scripted::responses(vec![refused(429, Some(date)), ok()]);
        let clock = FakeClock::at(now);
        let policy = RetryPolicy {
            max_retries: 1,
            max_wait: Duration::from_secs(u64::MAX),
        };
        let mut connection = Connection::new((), &transport)
            .with_clock(clock.clone())
            .with_retry_policy(policy);
        let _: serde_json::Value = connection.send(get("https://api.test/x")).unwrap();
        assert_eq!(clock.sleeps(), [expected], "{date}");
    }
    // A date now or past asks for no wait.
    for date in [
        "Sun, 06 Nov 1994 08:49:37 GMT",
        "Sat, 05 Nov 1994 08:49:37 GMT",
        "Thu, 01 Jan 1970 00:00:00 GMT",
        "Mon, 01 Jan 0001 00:00:00 GMT",
    ] {
        let transport = Scripted::responses(vec![refused(503, Some(date)), ok()]);
        let clock = FakeClock::at(RFC_EXAMPLE_DATE);
        let mut connection = Connection::new((), &transport).with_clock(clock.clone());
        let _: serde_json::Value = connection.send(get("https://api.test/x")).unwrap();
        assert!(clock.sleeps().is_empty(), "{date}");
        assert_eq!(transport.urls().len(), 2);
    }
}

#[test]
fn a_retry_after_that_does_not_parse_counts_as_absent() {
    for value in [
        "",
        "soon",
        "-5",
        "+5",
        "1.5",
        "5s",
        // The obsolete RFC 850 and asctime forms.
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994",
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "sun, 06 Nov 1994 08:49:37 GMT",
        "Sun, 6 Nov 1994 08:49:37 GMT",
        "Sun, 06 nov 1994 08:49:37 GMT",
        "Sun, 31 Nov 1994 08:49:37 GMT",
        "Wed, 29 Feb 2023 08:49:37 GMT",
        "Mon, 29 Feb 2100 08:49:37 GMT",
        "Sun, 00 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Nov 1994 08:60:00 GMT",
        "Sun, 06 Nov 1994 08:49:61 GMT",
        "Sun, 06 Nov 1994 08-49-37 GMT",
        "Sun, 06 Nov 1994 08:4\u{e9}7 GMT",
        "Sun, +6 Nov 1994 08:49:37 GMT",
    ] {
        let transport = Scripted::responses(vec![refused(429, Some(value)), ok()]);
        let clock = FakeClock::at(RFC_EXAMPLE_DATE);
        let mut connection = Connection::new((), &transport).with_clock(clock.clone());
        let _: serde_json::Value = connection.send(get("https://api.test/x")).unwrap();
        assert_eq!(clock.sleeps(), [1.0], "{value:?}");
    }
    // A leap day of a leap century parses.
    let transport = Scripted::responses(vec![
        refused(429, Some("Tue, 29 Feb 2000 00:00:00 GMT")),
        ok(),
    ]);
    let clock = FakeClock::at(951_782_400 - 10);
    let mut connection = Connection::new((), &transport).with_clock(clock.clone());
    let _: serde_json::Value = connection.send(get("https://api.test/x")).unwrap();
    assert_eq!(clock.sleeps(), [10.0]);
}

#[test]
fn without_retry_after_the_wait_doubles_up_to_the_cap() {
    let transport = Scripted::responses(vec![
        refused(429, None),
        refused(503, None),
        refused(429, None),
        ok(),
    ]);
    let clock = FakeClock::at(RFC_EXAMPLE_DATE);
    let mut connection = Connection::new((), &transport).with_clock(clock.clone());
    let _: serde_json::Value = connection.send(get("https://api.test/x")).unwrap();
    assert_eq!(clock.sleeps(), [1.0, 2.0, 4.0]);

    let mut script = vec![refused(503, None); 5];
    script.push(ok());
    let transport = Scripted::responses(script);
    let clock = FakeClock::at(RFC_EXAMPLE_DATE);
    let policy = RetryPolicy {
        max_retries: 5,
        max_wait: Duration::from_secs(3),
    };
    let mut connection = Connection::new((), &transport)
        .with_clock(clock.clone())
        .with_retry_policy(policy);
    let _: serde_json::Value = connection.send(get("https://api.test/x")).unwrap();
    assert_eq!(clock.sleeps(), [1.0, 2.0, 3.0, 3.0, 3.0]);
    assert_eq!(transport.urls().len(), 6);
}

#[test]
fn a_wait_longer_than_the_cap_fails_at_once() {
    assert_eq!(
        RetryPolicy::default(),
        RetryPolicy {
            max_retries: 3,
            max_wait: Duration::from_secs(60),
        }
    );
    for (value, seconds) in [
        ("61", 61),
        ("Sun, 06 Nov 1994 08:51:37 GMT", 120),
        ("99999999999999999999999", u64::MAX),
    ] {
        let transport = Scripted::responses(vec![refused(429, Some(value)), ok()]);
        let clock = FakeClock::at(RFC_EXAMPLE_DATE);
        let mut connection = Connection::new((), &transport).with_clock(clock.clone());
        let error = connection
            .send::<serde_json::Value>(get("https://api.test/x"))
            .unwrap_err();
        let Error::RateLimited {
            status: 429,
            retry_after: Some(wait),
        } = error
        else {
            panic!("{value}: {error:?}");
        };
        assert_eq!(wait, Duration::from_secs(seconds), "{value}");
        assert!(clock.sleeps().is_empty(), "{value}");
        assert_eq!(transport.urls().len(), 1, "{value}");
    }
    let error = Error::RateLimited {
        status: 429,
        retry_after: Some(Duration::from_secs(61)),
    };
    assert_eq!(
        error.to_string(),
        "the server answered with status 429 and asked to wait 61 s before trying again"
    );
    let error = Error::RateLimited {
        status: 503,
        retry_after: Some(Duration::from_millis(1500)),
    };
    assert!(
        error.to_string().contains("wait 2 s"),
        "rounded up: {error}"
    );
}

#[test]
fn once_the_retries_run_out_the_call_fails() {
    let transport = Scripted::responses(vec![refused(429, None); 4]);
    let clock = FakeClock::at(RFC_EXAMPLE_DATE);
    let mut connection = Connection::new((), &transport).with_clock(clock.clone());
    let error = connection
        .send::<serde_json::Value>(get("https://api.test/x"))
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::RateLimited {
                status: 429,
                retry_after: None
            }
        ),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "the server still answered with status 429 when the retries ran out, without saying \
         how long to wait"
    );
    assert_eq!(clock.sleeps(), [1.0, 2.0, 4.0]);
    assert_eq!(transport.urls().len(), 4);

    // The last response's Retry-After is reported.
    let transport = Scripted::responses(vec![refused(503, Some("3")), refused(503, Some("9"))]);
    let clock = FakeClock::at(RFC_EXAMPLE_DATE);
    let policy = RetryPolicy {
        max_retries: 1,
        ..RetryPolicy::default()
    };
    let mut connection = Connection::new((), &transport)
        .with_clock(clock.clone())
        .with_retry_policy(policy);
    let error = connection
        .send::<serde_json::Value>(get("https://api.test/x"))
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::RateLimited {
                status: 503,
                retry_after: Some(wait),
            } if wait == Duration::from_secs(9)
        ),
        "{error:?}"
    );
    assert_eq!(clock.sleeps(), [3.0]);

    // No retries at all.
    let transport = Scripted::responses(vec![refused(429, Some("1")), ok()]);
    let clock = FakeClock::at(RFC_EXAMPLE_DATE);
    let policy = RetryPolicy {
        max_retries: 0,
        ..RetryPolicy::default()
    };
    let mut connection = Connection::new((), &transport)
        .with_clock(clock.clone())
        .with_retry_policy(policy);
    assert!(matches!(
        connection.send::<serde_json::Value>(get("https://api.test/x")),
        Err(Error::RateLimited { status: 429, .. })
    ));
    assert!(clock.sleeps().is_empty());
    assert_eq!(transport.urls().len(), 1);
}

/// A client whose token request carries a rate limit, which the connection ignores.
struct LimitedSignIn;

impl SignIn for LimitedSignIn {
    fn sign_in_request(&self) -> Option<Request> {
        let url = "https://auth.test/token".to_owned();
        let request = Request::new(HttpMethod::Post, url, vec![], None);
        Some(request.with_rate_limit(RateLimit::every("connector", 10_000)))
    }

    fn refresh_request(&self, _: &Secret) -> Option<Request> {
        None
    }
}

#[test]
fn token_requests_are_retried_but_never_spaced() {
    let transport = Scripted::responses(vec![
        refused(503, Some("2")),
        refused(429, None),
        Response::new(200, LONG_TOKEN.as_bytes().to_vec()),
    ]);
    let clock = FakeClock::at(RFC_EXAMPLE_DATE);
    let mut connection =
        Connection::new(Client { signs_in: true }, &transport).with_clock(clock.clone());
    assert_eq!(connection.token().unwrap().secret().expose(), "long");
    // The first wait without a Retry-After is a second, whatever came before.
    assert_eq!(clock.sleeps(), [2.0, 1.0]);
    assert_eq!(transport.urls().len(), 3);

    let connector = RateLimit::every("connector", 10_000);
    let transport = Scripted::responses(vec![
        ok(),
        Response::new(200, SHORT_TOKEN.as_bytes().to_vec()),
        ok(),
    ]);
    let clock = FakeClock::at(RFC_EXAMPLE_DATE);
    let mut connection = Connection::new(LimitedSignIn, &transport).with_clock(clock.clone());
    let _: serde_json::Value = connection
        .send(get("https://api.test/x").with_rate_limit(connector))
        .unwrap();
    clock.advance(Duration::from_secs(4));
    // Sent at once, and not counted in the scope either.
    connection.token().unwrap();
    assert!(clock.sleeps().is_empty());
    let _: serde_json::Value = connection
        .send(get("https://api.test/x").with_rate_limit(connector))
        .unwrap();
    assert_eq!(clock.sleeps(), [6.0]);
}

#[test]
fn a_token_lasts_as_long_as_the_connection_clock_says() {
    let transport = Scripted::new(&[(200, LONG_TOKEN), (200, LONG_TOKEN)]);
    let clock = FakeClock::at(RFC_EXAMPLE_DATE);
    let mut connection =
        Connection::new(Client { signs_in: true }, &transport).with_clock(clock.clone());
    connection.token().unwrap();
    // 3600 s, renewed a minute early.
    clock.advance(Duration::from_secs(3539));
    connection.token().unwrap();
    assert_eq!(transport.urls().len(), 1);
    clock.advance(Duration::from_secs(1));
    connection.token().unwrap();
    assert_eq!(transport.urls().len(), 2);
}

#[test]
fn other_failures_are_not_retried() {
    for status in [400, 401, 404, 500, 502] {
        let transport = Scripted::responses(vec![refused(status, Some("1")), ok()]);
        let clock = FakeClock::at(RFC_EXAMPLE_DATE);
        let mut connection = Connection::new((), &transport).with_clock(clock.clone());
        let error = connection
            .send::<serde_json::Value>(get("https://api.test/x"))
            .unwrap_err();
        assert!(
            matches!(error, Error::Status { status: s, .. } if s == status),
            "{error:?}"
        );
        assert!(clock.sleeps().is_empty());
        assert_eq!(transport.urls().len(), 1);
    }
    // A transport failure is not retried either.
    let transport = Scripted::responses(vec![]);
    let clock = FakeClock::at(RFC_EXAMPLE_DATE);
    let mut connection = Connection::new((), &transport).with_clock(clock.clone());
    assert!(matches!(
        connection.send::<serde_json::Value>(get("https://api.test/x")),
        Err(Error::Transport(_))
    ));
    assert!(clock.sleeps().is_empty());
    assert_eq!(transport.urls().len(), 1);
    // An OAuth2 error from the token endpoint is not either.
    let transport = Scripted::new(&[(400, r#"{"error":"invalid_client"}"#), (200, LONG_TOKEN)]);
    let mut connection =
        Connection::new(Client { signs_in: true }, &transport).with_clock(clock.clone());
    assert!(matches!(connection.token(), Err(Error::OAuth { .. })));
    assert_eq!(transport.urls().len(), 1);
}

#[test]
fn a_connection_can_still_move_to_another_thread() {
    fn send_and_sync<T: Send + Sync>() {}
    send_and_sync::<Connection<(), UreqTransport>>();
    send_and_sync::<SystemClock>();
}

#[test]
fn page_requests_place_their_values_or_refuse_the_wrong_kind() {
    let first = PageRequest::first(50);
    assert_eq!(first.at, PageAt::Start);
    assert!(first.check_size(50).is_ok());
    for bad in [0, 51] {
        let error = PageRequest::first(bad).check_size(50).unwrap_err();
        assert!(
            matches!(
                error,
                Error::InvalidValue {
                    name: "page.size",
                    ..
                }
            ),
            "{bad}"
        );
    }
    let at = |at| PageRequest { size: 10, at };
    assert_eq!(first.number(1).unwrap(), 1);
    assert_eq!(first.offset().unwrap(), 0);
    assert_eq!(first.cursors(2).unwrap(), None);
    assert_eq!(first.next_url(), None);

    assert_eq!(at(PageAt::Number(3)).number(1).unwrap(), 3);
    assert_eq!(at(PageAt::Number(0)).number(0).unwrap(), 0);
    let before = at(PageAt::Number(0)).number(1).unwrap_err();
    assert_eq!(
        before.to_string(),
        "invalid page.at: is before the first page"
    );
    let error = at(PageAt::Offset(3)).number(0).unwrap_err();
    assert_eq!(error.to_string(), "invalid page.at: is not a page number");

    assert_eq!(at(PageAt::Offset(30)).offset().unwrap(), 30);
    assert!(at(PageAt::Number(2)).offset().is_err());

    let cursors = at(PageAt::Cursors(vec!["a".into(), "b".into()]));
    assert_eq!(
        cursors.cursors(2).unwrap(),
        Some(&["a".to_owned(), "b".to_owned()][..])
    );
    assert!(cursors.cursors(1).is_err());
    assert!(at(PageAt::Url("/x".into())).cursors(1).is_err());
    assert_eq!(cursors.next_url(), None);
    assert_eq!(at(PageAt::Url("/x?p=2".into())).next_url(), Some("/x?p=2"));
}

#[test]
fn next_page_urls_stay_on_the_api_host() {
    let twilio = "https://api.twilio.com";
    assert_eq!(
        resolve_next_url(
            twilio,
            "/2010-04-01/Accounts/AC1/Messages.json?Page=1&PageToken=PA1"
        )
        .unwrap(),
        "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json?Page=1&PageToken=PA1"
    );
    // A fragment is dropped: nothing after it would be sent (an API key appended to the
    // query among them).
    assert_eq!(
        resolve_next_url(twilio, "/2010-04-01/Messages.json?Page=1#top").unwrap(),
        "https://api.twilio.com/2010-04-01/Messages.json?Page=1"
    );
    assert_eq!(
        resolve_next_url(twilio, "https://api.twilio.com/x?Page=2#a#b").unwrap(),
        "https://api.twilio.com/x?Page=2"
    );
    assert!(resolve_next_url(twilio, "https://evil.test#@api.twilio.com/x").is_err());
    assert!(resolve_next_url(twilio, "#/x").is_err());
    // A path replaces the base URL's path (RFC 3986 section 5.2.2).
    assert_eq!(
        resolve_next_url(
            "https://acme.zendesk.com/api/v2",
            "/api/v2/users.json?page=2"
        )
        .unwrap(),
        "https://acme.zendesk.com/api/v2/users.json?page=2"
    );
    let zendesk = "https://acme.zendesk.com/api/v2";
    assert_eq!(
        resolve_next_url(zendesk, "https://acme.zendesk.com/api/v2/users.json?page=2").unwrap(),
        "https://acme.zendesk.com/api/v2/users.json?page=2"
    );
    // Scheme and host compare without regard to case, a default port written or not; what
    // is sent carries the base URL's own scheme and authority.
    for same in [
        "HTTPS://ACME.Zendesk.com/api/v2/users.json?page=2",
        "https://acme.zendesk.com:443/api/v2/users.json?page=2",
    ] {
        assert_eq!(
            resolve_next_url(zendesk, same).unwrap(),
            "https://acme.zendesk.com/api/v2/users.json?page=2",
            "{same}"
        );
    }
    assert_eq!(
        resolve_next_url("http://127.0.0.1:8080/v1", "http://127.0.0.1:8080?page=2").unwrap(),
        "http://127.0.0.1:8080?page=2"
    );
    assert_eq!(
        resolve_next_url("http://[::1]:8080", "http://[::1]:8080/x").unwrap(),
        "http://[::1]:8080/x"
    );
    for bad in [
        "",
        "https://evil.test/api/v2/users.json",
        "https://acme.zendesk.com.evil.test/x",
        "http://acme.zendesk.com/api/v2/users.json",
        "https://acme.zendesk.com:8443/x",
        "https://acme.zendesk.com@evil.test/x",
        "https://user:pw@acme.zendesk.com/x",
        "//evil.test/x",
        "/\\evil.test/x",
        "javascript:alert(1)",
        "ftp://acme.zendesk.com/x",
        "users.json?page=2",
        "?page=2",
        "https:///x",
        "https://acme.zendesk.com:99999/x",
        "/x y",
        "/x\ny",
        "/x\t",
        "/caf\u{e9}",
    ] {
        let error = resolve_next_url(zendesk, bad).unwrap_err();
        assert!(
            matches!(
                error,
                Error::InvalidValue {
                    name: "next page URL",
                    ..
                }
            ),
            "{bad:?}"
        );
    }
    let error = resolve_next_url(zendesk, "https://me@acme.zendesk.com/x").unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid next page URL: must not carry user info"
    );
    assert!(resolve_next_url("api.test", "/x").is_err());
    assert!(resolve_next_url("ftp://api.test", "/x").is_err());
}

/// Walks `pager` to its end, each page fetched by `fetch`: the requests made, and how the
/// walk ended. Fails the test if the pager never ends or asks for a page after an error of
/// its own.
fn walk(
    mut pager: Pager,
    mut fetch: impl FnMut(&PageRequest) -> Result<serde_json::Value, Error>,
) -> (Vec<PageAt>, Result<(), Error>) {
    let mut asked = Vec::new();
    while let Some(request) = pager.request() {
        assert!(asked.len() < 100, "the pager never ended: {asked:?}");
        asked.push(request.at.clone());
        // An error fetching a page ends the walk here, as it ends `Pages`.
        let response = match fetch(&request) {
            Ok(response) => response,
            Err(error) => return (asked, Err(error)),
        };
        if let Err(error) = pager.advance(&response) {
            assert!(pager.request().is_none(), "the walk goes on after {error}");
            return (asked, Err(error));
        }
    }
    (asked, Ok(()))
}

/// A server answering each request with the next response of `script`; asking past its end
/// fails the test.
fn scripted(
    script: Vec<serde_json::Value>,
) -> impl FnMut(&PageRequest) -> Result<serde_json::Value, Error> {
    let mut script = VecDeque::from(script);
    move |request| {
        Ok(script
            .pop_front()
            .unwrap_or_else(|| panic!("asked for a page past the script: {request:?}")))
    }
}

/// The items `first..=last` as `{"id": n}` objects.
fn ids(first: u32, last: u32) -> serde_json::Value {
    (first..=last)
        .map(|id| serde_json::json!({ "id": id }))
        .collect()
}

const PAGES_FROM_0: Paging = Paging {
    kind: PagingKind::PageNumber { first: 0 },
    items: "/data",
    total: None,
    max_page_size: 100,
};

const PAGES_FROM_1: Paging = Paging {
    kind: PagingKind::PageNumber { first: 1 },
    items: "",
    total: None,
    max_page_size: 100,
};

#[test]
fn page_numbers_from_0_or_1_stop_on_a_short_page() {
    use serde_json::json;
    let script = vec![
        json!({ "data": ids(1, 2) }),
        json!({ "data": ids(3, 4) }),
        json!({ "data": ids(5, 5) }),
    ];
    let (asked, end) = walk(Pager::new(&PAGES_FROM_0, 2), scripted(script));
    end.unwrap();
    assert_eq!(asked, [PageAt::Start, PageAt::Number(1), PageAt::Number(2)]);
    let request = PageRequest {
        size: 2,
        at: asked[1].clone(),
    };
    assert_eq!(request.number(0).unwrap(), 1);

    // The response is the array itself.
    let script = vec![ids(1, 3), ids(4, 5)];
    let (asked, end) = walk(Pager::new(&PAGES_FROM_1, 3), scripted(script));
    end.unwrap();
    assert_eq!(asked, [PageAt::Start, PageAt::Number(2)]);
    assert_eq!(PageRequest::first(3).number(1).unwrap(), 1);
}

#[test]
fn page_numbers_stop_on_an_empty_or_missing_page() {
    use serde_json::json;
    let script = vec![json!({ "data": ids(1, 2) }), json!({ "data": [] })];
    let (asked, end) = walk(Pager::new(&PAGES_FROM_0, 2), scripted(script));
    end.unwrap();
    assert_eq!(asked, [PageAt::Start, PageAt::Number(1)]);
    for last in [
        json!({}),
        json!({ "data": null }),
        json!({ "data": { "id": 1 } }),
        json!(null),
    ] {
        let script = vec![json!({ "data": ids(1, 2) }), last.clone()];
        let (asked, end) = walk(Pager::new(&PAGES_FROM_0, 2), scripted(script));
        end.unwrap();
        assert_eq!(asked.len(), 2, "{last}");
    }
}

#[test]
fn paging_stops_once_the_total_has_arrived() {
    use serde_json::json;
    const WITH_TOTAL: Paging = Paging {
        kind: PagingKind::PageNumber { first: 1 },
        items: "/results",
        total: Some("/meta/total"),
        max_page_size: 100,
    };
    // Four items in two full pages: no third, empty, page is asked for.
    let script = vec![
        json!({ "results": ids(1, 2), "meta": { "total": 4 } }),
        json!({ "results": ids(3, 4), "meta": { "total": 4 } }),
    ];
    let (asked, end) = walk(Pager::new(&WITH_TOTAL, 2), scripted(script));
    end.unwrap();
    assert_eq!(asked, [PageAt::Start, PageAt::Number(2)]);
    // A total written as a string counts too; a total that is not a count is ignored.
    let script = vec![json!({ "results": ids(1, 2), "meta": { "total": "2" } })];
    let (asked, end) = walk(Pager::new(&WITH_TOTAL, 2), scripted(script));
    end.unwrap();
    assert_eq!(asked.len(), 1);
    let script = vec![
        json!({ "results": ids(1, 2), "meta": { "total": "many" } }),
        json!({ "results": ids(3, 3), "meta": { "total": -1 } }),
    ];
    let (asked, end) = walk(Pager::new(&WITH_TOTAL, 2), scripted(script));
    end.unwrap();
    assert_eq!(asked.len(), 2);
}

#[test]
fn offsets_advance_by_the_page_size() {
    use serde_json::json;
    const OFFSETS: Paging = Paging {
        kind: PagingKind::Offset,
        items: "/items",
        total: Some("/total"),
        max_page_size: 500,
    };
    let script = vec![
        json!({ "items": ids(1, 3), "total": 8 }),
        json!({ "items": ids(4, 6), "total": 8 }),
        json!({ "items": ids(7, 8), "total": 8 }),
    ];
    let (asked, end) = walk(Pager::new(&OFFSETS, 3), scripted(script));
    end.unwrap();
    assert_eq!(asked, [PageAt::Start, PageAt::Offset(3), PageAt::Offset(6)]);
    let script = vec![json!({ "items": ids(1, 3) }), json!({ "items": [] })];
    let (asked, end) = walk(Pager::new(&OFFSETS, 3), scripted(script));
    end.unwrap();
    assert_eq!(asked, [PageAt::Start, PageAt::Offset(3)]);
}

#[test]
fn a_server_that_ignores_the_page_parameter_is_a_loop() {
    use serde_json::json;
    let full = json!({ "data": ids(1, 2) });
    let (asked, end) = walk(
        Pager::new(&PAGES_FROM_0, 2),
        scripted(vec![full.clone(), full.clone(), full.clone()]),
    );
    assert!(matches!(end, Err(Error::PagingLoop)), "{end:?}");
    assert_eq!(asked, [PageAt::Start, PageAt::Number(1)]);
    assert_eq!(
        Error::PagingLoop.to_string(),
        "the server sent the same page twice; stopped paging"
    );

    const OFFSETS: Paging = Paging {
        kind: PagingKind::Offset,
        items: "",
        total: None,
        max_page_size: 10,
    };
    let page = json!([{ "a": [1, { "b": null }] }, "x", 2.5, -1, true]);
    let (asked, end) = walk(
        Pager::new(&OFFSETS, 5),
        scripted(vec![page.clone(), page.clone()]),
    );
    assert!(matches!(end, Err(Error::PagingLoop)), "{end:?}");
    assert_eq!(asked.len(), 2);
    // Pages that differ anywhere, however deep, are not a loop.
    let other = json!([{ "a": [1, { "b": 0 }] }, "x", 2.5, -1, true]);
    let (asked, end) = walk(
        Pager::new(&OFFSETS, 5),
        scripted(vec![page, other, json!([])]),
    );
    end.unwrap();
    assert_eq!(asked.len(), 3);
    for (first, second) in [
        (json!([true]), json!([false])),
        (json!(["1"]), json!([1])),
        (json!([1]), json!([1.0])),
        (json!([-1]), json!([1])),
        (json!([[]]), json!([{}])),
        (json!([null]), json!([[]])),
        (json!([{ "a": 1 }]), json!([{ "b": 1 }])),
        (json!([["a", "b"]]), json!([["ab"]])),
        (json!([[[1], 2]]), json!([[[1, 2]]])),
    ] {
        let (asked, end) = walk(
            Pager::new(&OFFSETS, 1),
            scripted(vec![first.clone(), second.clone(), json!([])]),
        );
        end.unwrap();
        assert_eq!(asked.len(), 3, "{first} {second}");
    }
}

#[test]
fn cursors_follow_the_response_until_one_is_missing_null_or_empty() {
    use serde_json::json;
    const ONE_CURSOR: Paging = Paging {
        kind: PagingKind::Cursor {
            cursors: &["/meta/next_cursor"],
        },
        items: "/records",
        total: None,
        max_page_size: 100,
    };
    let at = |cursors: &[&str]| PageAt::Cursors(cursors.iter().map(|&c| c.to_owned()).collect());
    for end in [
        json!({}),
        json!({ "next_cursor": null }),
        json!({ "next_cursor": "" }),
    ] {
        // Short pages do not end a cursor walk.
        let script = vec![
            json!({ "records": ids(1, 1), "meta": { "next_cursor": "c1" } }),
            json!({ "records": ids(2, 2), "meta": { "next_cursor": 42 } }),
            json!({ "records": ids(3, 3), "meta": end }),
        ];
        let (asked, result) = walk(Pager::new(&ONE_CURSOR, 10), scripted(script));
        result.unwrap();
        assert_eq!(asked, [PageAt::Start, at(&["c1"]), at(&["42"])], "{end}");
        let request = PageRequest {
            size: 10,
            at: asked[2].clone(),
        };
        assert_eq!(request.cursors(1).unwrap(), Some(&["42".to_owned()][..]));
    }
    // An empty page ends the walk whatever its cursor.
    let script = vec![json!({ "records": [], "meta": { "next_cursor": "c1" } })];
    let (asked, result) = walk(Pager::new(&ONE_CURSOR, 10), scripted(script));
    result.unwrap();
    assert_eq!(asked.len(), 1);
    // A cursor that is neither a string nor a number is refused.
    let script = vec![json!({ "records": ids(1, 1), "meta": { "next_cursor": {} } })];
    let (_, result) = walk(Pager::new(&ONE_CURSOR, 10), scripted(script));
    assert!(
        matches!(result, Err(Error::InvalidValue { .. })),
        "{result:?}"
    );

    const TWO_CURSORS: Paging = Paging {
        kind: PagingKind::Cursor {
            cursors: &["/paging/after", "/paging/before"],
        },
        items: "/results",
        total: None,
        max_page_size: 100,
    };
    let pair = |after: serde_json::Value, before: serde_json::Value| {
        let paging = json!({ "after": after, "before": before });
        json!({ "results": ids(1, 1), "paging": paging })
    };
    let script = vec![
        pair(json!("a1"), json!("b1")),
        pair(json!("a2"), json!(7)),
        pair(json!("a3"), json!(null)),
    ];
    let (asked, result) = walk(Pager::new(&TWO_CURSORS, 10), scripted(script));
    result.unwrap();
    assert_eq!(asked, [PageAt::Start, at(&["a1", "b1"]), at(&["a2", "7"])]);
    assert!(
        PageRequest {
            size: 10,
            at: asked[1].clone()
        }
        .cursors(2)
        .unwrap()
        .is_some()
    );
    let script = vec![
        pair(json!("a1"), json!("b1")),
        json!({ "results": ids(2, 2), "paging": { "after": "a2" } }),
    ];
    let (asked, result) = walk(Pager::new(&TWO_CURSORS, 10), scripted(script));
    result.unwrap();
    assert_eq!(asked.len(), 2);

    // The same cursors again, even after another set, are a loop.
    let script = vec![
        pair(json!("a1"), json!("b1")),
        pair(json!("a2"), json!("b2")),
        pair(json!("a1"), json!("b1")),
    ];
    let (asked, result) = walk(Pager::new(&TWO_CURSORS, 10), scripted(script));
    assert!(matches!(result, Err(Error::PagingLoop)), "{result:?}");
    assert_eq!(asked.len(), 3);
    let same = json!({ "records": ids(1, 1), "meta": { "next_cursor": "c1" } });
    let (asked, result) = walk(
        Pager::new(&ONE_CURSOR, 10),
        scripted(vec![same.clone(), same.clone(), same]),
    );
    assert!(matches!(result, Err(Error::PagingLoop)), "{result:?}");
    assert_eq!(asked, [PageAt::Start, at(&["c1"])]);
}

/// A server of next-page URLs: `pages` maps each URL to its response. `fetch` resolves the
/// position as a generated method does and fails the test for a URL it does not serve.
fn url_server(
    base_url: &'static str,
    first_url: &'static str,
    pages: Vec<(&'static str, serde_json::Value)>,
) -> impl FnMut(&PageRequest) -> Result<serde_json::Value, Error> {
    move |request| {
        let url = match request.next_url() {
            Some(next) => resolve_next_url(base_url, next)?,
            None => first_url.to_owned(),
        };
        let (_, response) = pages
            .iter()
            .find(|(served, _)| *served == url)
            .unwrap_or_else(|| panic!("no page at {url}"));
        Ok(response.clone())
    }
}

#[test]
fn next_urls_are_followed_absolute_or_relative() {
    use serde_json::json;
    const TWILIO: Paging = Paging {
        kind: PagingKind::NextUrl {
            next: "/next_page_uri",
        },
        items: "/messages",
        total: None,
        max_page_size: 1000,
    };
    let base = "https://api.twilio.com";
    let first = "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json?PageSize=2";
    let second = "/2010-04-01/Accounts/AC1/Messages.json?PageSize=2&Page=1&PageToken=PA1";
    let fetch = url_server(
        base,
        first,
        vec![
            (
                first,
                json!({ "messages": ids(1, 2), "next_page_uri": second }),
            ),
            (
                "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json?PageSize=2&Page=1&PageToken=PA1",
                json!({ "messages": ids(3, 3), "next_page_uri": null }),
            ),
        ],
    );
    let (asked, end) = walk(Pager::new(&TWILIO, 2), fetch);
    end.unwrap();
    assert_eq!(asked, [PageAt::Start, PageAt::Url(second.to_owned())]);

    const ZENDESK: Paging = Paging {
        kind: PagingKind::NextUrl { next: "/next_page" },
        items: "/users",
        total: Some("/count"),
        max_page_size: 100,
    };
    let base = "https://acme.zendesk.com/api/v2";
    let first = "https://acme.zendesk.com/api/v2/users.json?per_page=2";
    let second = "https://acme.zendesk.com/api/v2/users.json?page=2&per_page=2";
    let third = "https://acme.zendesk.com/api/v2/users.json?page=3&per_page=2";
    let pages = vec![
        (
            first,
            json!({ "users": ids(1, 2), "next_page": second, "count": 5 }),
        ),
        (
            second,
            json!({ "users": ids(3, 4), "next_page": third, "count": 5 }),
        ),
        (
            third,
            json!({ "users": ids(5, 5), "next_page": "", "count": 5 }),
        ),
    ];
    let (asked, end) = walk(
        Pager::new(&ZENDESK, 2),
        url_server(base, first, pages.clone()),
    );
    end.unwrap();
    assert_eq!(
        asked,
        [
            PageAt::Start,
            PageAt::Url(second.to_owned()),
            PageAt::Url(third.to_owned())
        ]
    );

    // A next URL sent before, here the second page's own, is a loop.
    let mut looping = pages.clone();
    looping[1].1["next_page"] = json!(second);
    let (asked, end) = walk(Pager::new(&ZENDESK, 2), url_server(base, first, looping));
    assert!(matches!(end, Err(Error::PagingLoop)), "{end:?}");
    assert_eq!(asked.len(), 2);

    // A next URL on another host is never fetched.
    let mut elsewhere = pages;
    elsewhere[0].1["next_page"] = json!("https://evil.test/api/v2/users.json?page=2");
    let (asked, end) = walk(Pager::new(&ZENDESK, 2), url_server(base, first, elsewhere));
    assert!(
        matches!(
            end,
            Err(Error::InvalidValue {
                name: "next page URL",
                ..
            })
        ),
        "{end:?}"
    );
    assert_eq!(asked.len(), 2);

    // A next URL that is not a string is refused.
    let script = vec![json!({ "users": ids(1, 2), "next_page": 2 })];
    let (_, end) = walk(Pager::new(&ZENDESK, 2), scripted(script));
    assert!(matches!(end, Err(Error::InvalidValue { .. })), "{end:?}");
}

#[test]
fn a_walk_takes_no_more_pages_than_its_cap() {
    use serde_json::json;
    const ENDLESS_CURSORS: Paging = Paging {
        kind: PagingKind::Cursor {
            cursors: &["/next"],
        },
        items: "/items",
        total: None,
        max_page_size: 10,
    };
    let mut served = 0;
    let endless = |_: &PageRequest| {
        served += 1;
        Ok(json!({ "items": [served], "next": format!("c{served}") }))
    };
    let (asked, end) = walk(Pager::new(&ENDLESS_CURSORS, 10).with_max_pages(5), endless);
    assert!(
        matches!(end, Err(Error::TooManyPages { max: 5 })),
        "{end:?}"
    );
    assert_eq!(asked.len(), 5, "the sixth page is never asked for");
    assert_eq!(
        Error::TooManyPages { max: 5 }.to_string(),
        "stopped paging after 5 pages, the most a walk may take"
    );

    // A walk of exactly the cap's pages ends well.
    let script = vec![json!({ "data": ids(1, 2) }), json!({ "data": ids(3, 3) })];
    let (asked, end) = walk(
        Pager::new(&PAGES_FROM_0, 2).with_max_pages(2),
        scripted(script),
    );
    end.unwrap();
    assert_eq!(asked.len(), 2);
    // A cap of 0 still takes the first page.
    let script = vec![json!({ "data": ids(1, 2) })];
    let (asked, end) = walk(
        Pager::new(&PAGES_FROM_0, 2).with_max_pages(0),
        scripted(script),
    );
    assert!(
        matches!(end, Err(Error::TooManyPages { max: 1 })),
        "{end:?}"
    );
    assert_eq!(asked.len(), 1);
    assert_eq!(Pager::DEFAULT_MAX_PAGES, 10_000);
    // A pager that is done ignores further responses.
    let mut pager = Pager::new(&PAGES_FROM_0, 2);
    pager.advance(&json!({ "data": [] })).unwrap();
    assert!(pager.request().is_none());
    pager.advance(&json!({ "data": ids(1, 2) })).unwrap();
    assert!(pager.request().is_none());
}

#[derive(Debug, PartialEq, serde::Deserialize)]
struct IdsPage {
    data: Vec<IdItem>,
}

#[derive(Debug, PartialEq, serde::Deserialize)]
struct IdItem {
    id: u32,
}

/// Builds the request for `page` of `/items` as a generated list method does, and sends it.
fn fetch_items<C>(
    connection: &mut Connection<C, &Scripted>,
    page: &PageRequest,
) -> Result<serde_json::Value, Error> {
    let mut url = "https://api.test/items".to_owned();
    let number = page.number(0)?.to_string();
    let size = page.size.to_string();
    append_query(
        &mut url,
        &[("page", Some(&number)), ("per_page", Some(&size))],
    );
    connection.send(Request::api(HttpMethod::Get, url, Auth::None, None))
}

#[test]
fn a_connection_walks_the_pages_of_a_list() {
    let transport = Scripted::new(&[
        (200, r#"{"data":[{"id":1},{"id":2}]}"#),
        (200, r#"{"data":[{"id":3},{"id":4}]}"#),
        (200, r#"{"data":[{"id":5}]}"#),
    ]);
    // Any client: paging needs no sign-in.
    let mut connection = Connection::new((), &transport);
    let pages: Vec<IdsPage> = connection
        .pages(&PAGES_FROM_0, 2, fetch_items)
        .collect::<Result<_, _>>()
        .unwrap();
    let ids: Vec<u32> = pages
        .iter()
        .flat_map(|p| p.data.iter().map(|i| i.id))
        .collect();
    assert_eq!(ids, [1, 2, 3, 4, 5]);
    assert_eq!(
        transport.urls(),
        [
            "https://api.test/items?page=0&per_page=2",
            "https://api.test/items?page=1&per_page=2",
            "https://api.test/items?page=2&per_page=2",
        ]
    );

    // A closure that builds its request in place works as well; a status error is yielded
    // once and ends the walk.
    let transport = Scripted::new(&[(200, r#"{"data":[{"id":1},{"id":2}]}"#), (500, "oops")]);
    let mut connection = Connection::new(Client { signs_in: true }, &transport);
    let mut pages =
        connection.pages::<serde_json::Value, _>(&PAGES_FROM_0, 2, |connection, page| {
            let url = format!("https://api.test/items?page={}", page.number(0)?);
            connection.send(Request::api(HttpMethod::Get, url, Auth::None, None))
        });
    assert!(pages.next().unwrap().is_ok());
    assert!(matches!(
        pages.next(),
        Some(Err(Error::Status { status: 500, .. }))
    ));
    assert!(pages.next().is_none());
    assert!(pages.next().is_none());
    assert_eq!(transport.urls().len(), 2);

    // A page that does not read as `P` is an error, and the walk goes on.
    let transport = Scripted::new(&[
        (200, r#"{"data":[{"id":"x"},{"id":2}]}"#),
        (200, r#"{"data":[]}"#),
    ]);
    let mut connection = Connection::new((), &transport);
    let results: Vec<Result<IdsPage, Error>> =
        connection.pages(&PAGES_FROM_0, 2, fetch_items).collect();
    assert!(
        matches!(results[..], [Err(Error::Json(_)), Ok(_)]),
        "{results:?}"
    );

    // A page size the API does not allow is refused before anything is sent.
    let transport = Scripted::new(&[]);
    let mut connection = Connection::new((), &transport);
    let mut pages = connection.pages::<IdsPage, _>(&PAGES_FROM_0, 101, fetch_items);
    assert!(matches!(
        pages.next(),
        Some(Err(Error::InvalidValue {
            name: "page.size",
            ..
        }))
    ));
    assert!(pages.next().is_none());
    let mut pages = connection
        .pages::<IdsPage, _>(&PAGES_FROM_0, 2, fetch_items)
        .with_max_pages(1);
    assert!(matches!(pages.next(), Some(Err(Error::Transport(_)))));
    assert!(transport.urls().len() == 1);
}

#[test]
fn json_values_are_set_at_their_path_making_objects_on_the_way() {
    use serde_json::json;
    let mut json = json!({ "Name": "n" });
    insert_json(&mut json, &["PageIndex"], 2_u64);
    insert_json(&mut json, &["Filter", "Since"], "2024-01-31");
    assert_eq!(
        json,
        json!({ "Name": "n", "PageIndex": 2, "Filter": { "Since": "2024-01-31" } })
    );
    // A body that is not an object, or a scalar on the way, becomes an object.
    let mut json = json!(null);
    insert_json(&mut json, &["a", "b"], 1_u32);
    insert_json(&mut json, &["a", "b", "c"], true);
    assert_eq!(json, json!({ "a": { "b": { "c": true } } }));
}

#[test]
fn json_values_go_into_the_first_object_of_a_list_on_their_path() {
    use serde_json::json;
    // SugarCRM's filter: `[filter].date_modified.$gte`.
    let path = [
        Step::List("filter"),
        Step::Key("date_modified"),
        Step::Key("$gte"),
    ];
    let mut json = json!({ "max_num": 5 });
    insert_json_at(&mut json, &path, "2024-01-31T09:30:00+00:00");
    assert_eq!(
        json,
        json!({ "max_num": 5, "filter": [ { "date_modified": { "$gte": "2024-01-31T09:30:00+00:00" } } ] })
    );
    // A list already there keeps its other objects; the first one gains the value.
    let mut json = json!({ "filter": [ { "deleted": false }, { "x": 1 } ] });
    insert_json_at(&mut json, &path, "d");
    assert_eq!(
        json,
        json!({ "filter": [ { "deleted": false, "date_modified": { "$gte": "d" } }, { "x": 1 } ] })
    );
    // Something else under the key, or scalars in the list, are replaced.
    for before in [json!({ "filter": "x" }), json!({ "filter": [1, 2] })] {
        let mut json = before;
        insert_json_at(&mut json, &[Step::List("filter"), Step::Key("k")], 1_u8);
        assert_eq!(json["filter"][0]["k"], 1);
    }
}
