//! The runtime's own tests: encodings against their standards' examples, redaction,
//! the token life cycle of a connection against a scripted transport, paging walks against
//! scripted servers, and the ureq transport against a loopback server.

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
