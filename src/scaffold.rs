//! `connector-gen new`: a definition to start from, valid as written, every value to fill in
//! marked `TODO`.

use heck::ToTitleCase;

/// The kinds of authentication a new definition can start with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum NewAuth {
    /// No authentication.
    None,
    /// An API key in a header (or the query).
    ApiKey,
    /// HTTP Basic.
    Basic,
    /// OAuth2 resource-owner password grant.
    Oauth2Password,
    /// OAuth2 client credentials grant.
    Oauth2ClientCredentials,
    /// OAuth2 authorisation code grant.
    Oauth2AuthorizationCode,
}

/// The definition text for a connector with slug `id` (already checked to be one).
pub fn definition(id: &str, auth: NewAuth) -> String {
    let name = id.to_title_case();
    let (auth_block, fields) = auth_and_fields(auth);
    format!(
        r#"# yaml-language-server: $schema=../schemas/connector.schema.json
#
# A new connector. Replace every TODO, add the API's methods, then check it with
#   connector-gen validate connectors/{id}.yaml
id: {id}
name: {name} # TODO: the name as the vendor spells it
description: TODO say in one sentence what {name} is.

docs:
  title: {name} Authentication
  permalink: {id}-connector
  shape: modern
  partner_setup:
    - paragraph: TODO say where in {name} to find the values below.
    - steps:
        - text: TODO the first step.

{auth_block}
{fields}
# TODO: the API's base URL; <<FieldName>> placeholders may stand in the host or the path.
base_url: https://api.example.com/v1

methods:
  - name: List Items # TODO: a real method
    description: TODO say what the method does.
    category: Items
    http_method: GET
    path: items
"#
    )
}

fn auth_and_fields(auth: NewAuth) -> (&'static str, String) {
    const CLIENT: &str = "  - name: ClientId\n    display_name: Client ID\n    description: TODO where to find the client ID.\n    set_by: partner\n  - name: ClientSecret\n    display_name: Client Secret\n    description: TODO where to find the client secret.\n    secret: true\n    set_by: partner\n";
    const USER: &str = "  - name: Username\n    display_name: Username\n    description: TODO whose user name this is.\n    set_by: account\n  - name: Password\n    display_name: Password\n    description: TODO whose password this is.\n    secret: true\n    set_by: account\n";
    const API_KEY: &str = "  - name: ApiKey\n    display_name: API Key\n    description: TODO where to find the API key.\n    secret: true\n    set_by: account\n";
    let (auth, items) = match auth {
        NewAuth::None => ("auth:\n  type: none\n", Vec::new()),
        NewAuth::ApiKey => (
            "auth:\n  type: api_key\n  api_key: <<ApiKey>>\n  # TODO: the header that carries the key, or `api_key_query:` for a query parameter.\n  api_key_header: X-Api-Key\n",
            vec![API_KEY],
        ),
        NewAuth::Basic => (
            "auth:\n  type: basic\n  username: <<Username>>\n  password: <<Password>>\n",
            vec![USER],
        ),
        NewAuth::Oauth2Password => (
            "auth:\n  type: oauth2\n  flow: password\n  token_url: https://api.example.com/oauth/token # TODO\n  client_id: <<ClientId>>\n  client_secret: <<ClientSecret>>\n  username: <<Username>>\n  password: <<Password>>\n",
            vec![CLIENT, USER],
        ),
        NewAuth::Oauth2ClientCredentials => (
            "auth:\n  type: oauth2\n  flow: client_credentials\n  token_url: https://api.example.com/oauth/token # TODO\n  client_id: <<ClientId>>\n  client_secret: <<ClientSecret>>\n",
            vec![CLIENT],
        ),
        NewAuth::Oauth2AuthorizationCode => (
            "auth:\n  type: oauth2\n  flow: authorization_code\n  authorize_url: https://api.example.com/oauth/authorize # TODO\n  token_url: https://api.example.com/oauth/token # TODO\n  client_id: <<ClientId>>\n  client_secret: <<ClientSecret>>\n",
            vec![CLIENT],
        ),
    };
    let fields = if items.is_empty() {
        "fields: []\n".to_owned()
    } else {
        format!("fields:\n{}", items.concat())
    };
    (auth, fields)
}
