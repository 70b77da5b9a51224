//! What only the Cyclr connector JSON needs: Cyclr's names for the auth scheme, where Cyclr
//! puts each setup value, and connector-level paging. Spellings are Cyclr's, as its exports
//! write them.

use serde::Serialize;

use super::{ApiKeyPlacement, AuthModel, Flow, MethodModel};

/// The connector-level keys of the Cyclr JSON that depend on more than one definition value.
#[derive(Debug, Clone, Serialize)]
pub struct CyclrConnector {
    /// `AuthType`.
    pub auth_type: AuthType,
    /// `OAuth2Type`, for OAuth2.
    pub oauth2_type: Option<OAuth2Type>,
    /// `AuthoriseUrl`, with merge fields.
    pub authorise_url: Option<String>,
    /// `AccessTokenUrl`, with merge fields.
    pub access_token_url: Option<String>,
    /// `Scopes`, space-separated.
    pub scopes: Option<String>,
    /// `AuthScheme`: the header that carries an API key.
    pub auth_scheme: Option<String>,
    /// `PageSizeInbound`: the default page size of the paged methods (and `PagedInbound`).
    pub page_size: Option<u32>,
}

/// Cyclr's `AuthType` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum AuthType {
    /// No authentication.
    None,
    /// An API key.
    ApiKey,
    /// HTTP Basic.
    Basic,
    /// OAuth 2.0.
    OAuth2,
}

/// Cyclr's `OAuth2Type` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum OAuth2Type {
    /// The password grant.
    PasswordCredentials,
    /// The client-credentials grant.
    ClientCredentials,
    /// The authorisation-code grant (Cyclr's British spelling).
    AuthorisationCode,
}

/// Where Cyclr puts a setup value: its `TargetType` and `TargetName`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Target {
    /// `TargetType`.
    pub target_type: TargetType,
    /// `TargetName`: the merge field's name, or the query parameter's.
    pub target_name: String,
}

impl Target {
    /// A merge field named after the setup field.
    pub fn merge_field(name: &str) -> Self {
        Target {
            target_type: TargetType::MergeField,
            target_name: name.to_owned(),
        }
    }

    /// A query-string parameter (an API key sent in the query).
    pub fn query_string(name: &str) -> Self {
        Target {
            target_type: TargetType::QueryString,
            target_name: name.to_owned(),
        }
    }
}

/// Cyclr's `TargetType` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TargetType {
    /// A `{{Name}}` merge field in URLs.
    MergeField,
    /// A query-string parameter.
    QueryString,
}

impl CyclrConnector {
    /// The Cyclr keys of a connector with `auth` and `methods`.
    pub fn new(auth: &AuthModel, methods: &[MethodModel]) -> Self {
        let page_size = methods
            .iter()
            .find_map(|m| m.paging.as_ref().map(|p| p.page_size));
        let mut cyclr = CyclrConnector {
            auth_type: AuthType::None,
            oauth2_type: None,
            authorise_url: None,
            access_token_url: None,
            scopes: None,
            auth_scheme: None,
            page_size,
        };
        match auth {
            AuthModel::None => {}
            AuthModel::ApiKey { placement, .. } => {
                cyclr.auth_type = AuthType::ApiKey;
                if let ApiKeyPlacement::Header { name } = placement {
                    cyclr.auth_scheme = Some(name.clone());
                }
            }
            AuthModel::Basic { .. } => cyclr.auth_type = AuthType::Basic,
            AuthModel::Oauth2(oauth2) => {
                cyclr.auth_type = AuthType::OAuth2;
                cyclr.oauth2_type = Some(match oauth2.flow {
                    Flow::Password => OAuth2Type::PasswordCredentials,
                    Flow::ClientCredentials => OAuth2Type::ClientCredentials,
                    Flow::AuthorizationCode => OAuth2Type::AuthorisationCode,
                });
                cyclr.authorise_url = oauth2
                    .authorize_url
                    .as_ref()
                    .map(|u| u.merge_fields.clone());
                cyclr.access_token_url = Some(oauth2.token_url.merge_fields.clone());
                cyclr.scopes = oauth2.scope.clone();
            }
        }
        cyclr
    }
}
