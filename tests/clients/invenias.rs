//! Exercises the generated Invenias client: the password grant, URL safety, paging,
//! redaction and response parsing.

use generated_clients::invenias::{
    AccessToken, Client, Config, Error, HttpMethod, ListPeopleBody, Page, Secret, parse_response,
    parse_token_response,
};

fn config(sub_domain: &str) -> Config {
    Config {
        client_id: "client id/1".to_owned(),
        client_secret: Secret::new("s3cret&+"),
        username: "ana@example.com".to_owned(),
        password: Secret::new("p@ss w&rd=1"),
        sub_domain: sub_domain.to_owned(),
    }
}

fn client() -> Client {
    Client::new(config("acme")).expect("a plain subdomain is accepted")
}

#[test]
fn token_request_follows_rfc_6749_section_4_3() {
    let request = client().token_request();
    assert_eq!(request.method, HttpMethod::Post);
    assert_eq!(request.url, "https://acme.invenias.com/identity/connect/token");
    assert_eq!(request.header("content-type"), Some("application/x-www-form-urlencoded"));
    assert_eq!(
        request.body.as_deref(),
        Some(
            "grant_type=password&username=ana%40example.com&password=p%40ss+w%26rd%3D1\
             &scope=openid+profile+api+email&client_id=client+id%2F1&client_secret=s3cret%26%2B"
        )
    );
}

#[test]
fn hostile_subdomains_are_refused_before_any_request() {
    for sub_domain in ["evil.com/x", "a@b", "", "-a", "a-", "evil.com", "a b", "a%2F"] {
        let error = Client::new(config(sub_domain)).expect_err(sub_domain);
        assert!(
            matches!(error, Error::InvalidValue { name: "SubDomain", .. }),
            "{sub_domain}: {error:?}"
        );
    }
}

#[test]
fn secrets_never_show_in_debug_output() {
    let client = client();
    let token = AccessToken::new("t0ken-value");
    let shown = format!(
        "{client:?} {:?} {:?} {token:?}",
        client.token_request(),
        client.get_person(&token, "42").unwrap()
    );
    for secret in ["s3cret", "p@ss", "t0ken-value"] {
        assert!(!shown.contains(secret), "{secret} leaked: {shown}");
    }
    assert!(shown.contains("[redacted]"));
}

#[test]
fn list_people_posts_the_page_in_the_body_with_the_bearer_token() {
    let token = AccessToken::new("abc");
    let body = ListPeopleBody {
        return_total_count: Some(true),
    };
    let request = client()
        .list_people(&token, Page { index: 2, size: 100 }, &body)
        .unwrap();
    assert_eq!(request.method, HttpMethod::Post);
    assert_eq!(request.url, "https://acme.invenias.com/api/v1/people/list");
    assert_eq!(request.header("authorization"), Some("Bearer abc"));
    assert_eq!(request.header("content-type"), Some("application/json"));
    let sent: serde_json::Value = serde_json::from_str(request.body.as_deref().unwrap()).unwrap();
    assert_eq!(
        sent,
        serde_json::json!({"ReturnTotalCount": true, "PageIndex": 2, "PageSize": 100})
    );
}

#[test]
fn page_sizes_beyond_the_api_limit_are_refused() {
    let token = AccessToken::new("abc");
    let body = ListPeopleBody {
        return_total_count: None,
    };
    for size in [0, 1001] {
        let error = client().list_people(&token, Page { index: 0, size }, &body);
        assert!(matches!(error, Err(Error::InvalidValue { name: "page.size", .. })));
    }
}

#[test]
fn path_parameters_are_one_encoded_segment() {
    let token = AccessToken::new("abc");
    let request = client().get_person(&token, "a/b?c#d é").unwrap();
    assert_eq!(
        request.url,
        "https://acme.invenias.com/api/v1/people/a%2Fb%3Fc%23d%20%C3%A9"
    );
    assert!(request.body.is_none());
    for bad in ["", ".", ".."] {
        assert!(client().get_person(&token, bad).is_err(), "{bad:?}");
    }
}

#[test]
fn token_responses_and_oauth_errors_are_parsed() {
    let token = parse_token_response(
        200,
        br#"{"access_token":"xyz","expires_in":86400,"token_type":"Bearer"}"#,
    )
    .unwrap();
    assert_eq!(token.secret().expose(), "xyz");
    assert_eq!(token.expires_in, Some(86400));
    assert!(!token.is_expired(3600, 60));
    assert!(token.is_expired(86_350, 60));

    let error = parse_token_response(
        400,
        br#"{"error":"invalid_grant","error_description":"bad password"}"#,
    )
    .unwrap_err();
    assert!(
        matches!(&error, Error::OAuth { error, description } if error == "invalid_grant" && description.as_deref() == Some("bad password"))
    );
    let error = parse_token_response(502, b"<html>Bad gateway</html>").unwrap_err();
    assert!(matches!(error, Error::Status { status: 502, .. }));
}

#[test]
fn responses_are_decoded_on_success_only() {
    let people: serde_json::Value = parse_response(200, br#"{"Items":[{"ItemId":"1"}]}"#).unwrap();
    assert_eq!(people["Items"][0]["ItemId"], "1");
    let error = parse_response::<serde_json::Value>(429, b"slow down").unwrap_err();
    assert!(matches!(error, Error::Status { status: 429, .. }));
}
