//! The runtime's own tests: encodings against their standards' examples, redaction,
//! the token life cycle of a connection against a scripted transport, and the ureq
//! transport against a loopback server.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;

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
fn pages_are_checked_against_the_api_limits() {
    assert!(
        Page {
            index: 0,
            size: 100
        }
        .check(0, 100)
        .is_ok()
    );
    assert!(Page { index: 0, size: 10 }.check(1, 100).is_err());
    assert!(Page { index: 1, size: 0 }.check(1, 100).is_err());
    assert!(
        Page {
            index: 1,
            size: 101
        }
        .check(1, 100)
        .is_err()
    );
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
    answers: RefCell<VecDeque<(u16, &'static str)>>,
    sent: RefCell<Vec<Request>>,
}

impl Scripted {
    fn new(answers: &[(u16, &'static str)]) -> Self {
        Scripted {
            answers: RefCell::new(answers.iter().copied().collect()),
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
        let (status, body) = self
            .answers
            .borrow_mut()
            .pop_front()
            .ok_or("the script ran out")?;
        Ok(Response {
            status,
            body: body.as_bytes().to_vec(),
        })
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
        let answer = "HTTP/1.1 418 X\r\nContent-Length: 4\r\nConnection: close\r\n\r\nteap";
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
