//! Exercises the generated Invenias client: the password grant, URL safety, paging,
//! redaction and response parsing.

use generated_clients::invenias::{
    AccessToken, Client, Config, Error, HttpMethod, ListOptions, PageAt, PageRequest, Secret, parse_response,
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
    let body = ListOptions {
        return_total_count: Some(true),
    };
    let request = client()
        .list_people(&token, &PageRequest { size: 100, at: PageAt::Number(2) }, &body)
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
    let body = ListOptions {
        return_total_count: None,
    };
    for size in [0, 1001] {
        let error = client().list_people(&token, &PageRequest::first(size), &body);
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

#[test]
fn a_realistic_person_reads_into_the_typed_person_and_writes_back() {
    use generated_clients::invenias::{Person, ContactItemFieldName};
    // As GET /api/v1/people/{id} answers, with keys the definition does not describe.
    let json = br#"{
        "Id": "0f8fad5b-d9cb-469f-a165-70867728950e",
        "NameComponents": {"Title": "Ms", "FirstName": "Jane", "MiddleName": "", "FamilyName": "Doe",
            "Suffix": "", "Nickname": "", "MaidenName": "", "FullName": "Jane Doe"},
        "EmailAddresses": [
            {"FieldName": "Email1Address", "DisplayTitle": "Email", "ItemValue": "jane@example.com",
             "IsPersonal": true, "IsBusiness": false, "IsVisibleAsDefault": true},
            {"FieldName": "PersonCustomEmail4", "DisplayTitle": "Assistant", "ItemValue": "pa@example.com"}
        ],
        "HomeAddress": {"Street": "", "TownCity": "Reading", "County": "", "Postcode": "", "Country": "UNITED KINGDOM"},
        "Owner": {"Id": "7c9e6679-7425-40de-944b-e07fc1f90ae7"},
        "IsCandidate": true,
        "DefaultPosition": {},
        "EntityDetails": {"DateCreated": "2023-07-31T15:25:17.0560021+00:00",
            "DateModified": "2024-01-31T09:30:00.0000000+01:00"}
    }"#;
    let person: Person = parse_response(200, json).unwrap();
    assert_eq!(person.name_components.first_name, "Jane");
    assert_eq!(person.name_components.full_name.as_deref(), Some("Jane Doe"));
    let emails = person.email_addresses.as_deref().unwrap_or_default();
    assert_eq!(emails[0].field_name, ContactItemFieldName::Email1Address);
    // A value the definition does not list reads as `Other`, and is written back as it came.
    let custom = &emails[1].field_name;
    assert_eq!(custom, &ContactItemFieldName::Other("PersonCustomEmail4".to_owned()));
    assert_eq!(custom.as_str(), "PersonCustomEmail4");
    assert_eq!(person.is_candidate, Some(true));
    assert_eq!(
        person.entity_details.as_ref().and_then(|d| d.date_modified.as_deref()),
        Some("2024-01-31T09:30:00.0000000+01:00")
    );
    let written = serde_json::to_value(&person).unwrap();
    assert_eq!(written["EmailAddresses"][1]["FieldName"], "PersonCustomEmail4");
    assert_eq!(written["NameComponents"]["FamilyName"], "Doe");
    assert!(written["EmailAddresses"][1].get("IsPersonal").is_none(), "None is left out");
    // What only responses carry (the id, the audit block) is read but never written back.
    assert_eq!(person.id.as_deref(), Some("0f8fad5b-d9cb-469f-a165-70867728950e"));
    assert!(person.entity_details.is_some());
    assert!(written.get("Id").is_none() && written.get("EntityDetails").is_none(), "{written}");
    // A required key missing is an error, not a silently empty person.
    let error = parse_response::<Person>(200, br#"{"Id": "1"}"#).unwrap_err();
    assert!(matches!(error, Error::Json(_)), "{error:?}");
}

#[test]
fn pages_are_asked_for_by_their_number_only() {
    let token = AccessToken::new("abc");
    let body = ListOptions::default();
    let error = client().list_people(&token, &PageRequest { size: 10, at: PageAt::Offset(20) }, &body);
    assert!(matches!(error, Err(Error::InvalidValue { name: "page.at", .. })), "{error:?}");
}
