//! The definition format: what `connectors/<id>.yaml` holds, as serde types.
//!
//! These types mirror `schemas/connector.schema.json` one to one. They are deserialized only
//! after the schema check has passed, so their job is to give the semantic checks and the
//! model typed access, not to report errors.

use serde::{Deserialize, Serialize};

/// One connector definition file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Definition {
    /// The slug that names output files.
    pub id: String,
    /// The display name.
    pub name: String,
    /// One sentence about the vendor's product.
    pub description: String,
    /// The vendor API's version.
    #[serde(default)]
    pub api_version: Option<String>,
    /// The docs page.
    pub docs: Docs,
    /// How the connector authenticates.
    pub auth: Auth,
    /// The setup values.
    pub fields: Vec<Field>,
    /// The API's base URL template.
    pub base_url: String,
    /// The API calls.
    pub methods: Vec<Method>,
}

/// The connector's page on the docs site.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Docs {
    /// The page title.
    pub title: String,
    /// The page's permalink.
    pub permalink: String,
    /// The page layout.
    #[serde(default)]
    pub shape: PageShape,
    /// Front-matter tags.
    #[serde(default)]
    pub tags: Option<Vec<String>>,
    /// The Partner Setup section.
    pub partner_setup: Vec<Block>,
}

/// The two layouts of the docs site's connector pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PageShape {
    /// Partner Setup, Cyclr Setup, `**Value**: description` paragraphs.
    #[default]
    Classic,
    /// Numbered steps, a `| Value | Description |` table and the note on blank values.
    Modern,
}

/// One block of setup instructions.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Block {
    /// A paragraph of inline Markdown.
    Paragraph(String),
    /// A sub-heading.
    Heading(String),
    /// A screenshot.
    Image(Image),
    /// A code block.
    Code(CodeBlock),
    /// A bulleted list of steps.
    Steps(Vec<Step>),
}

/// One bulleted step.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// What to do, as inline Markdown.
    pub text: String,
    /// A code block after the text.
    #[serde(default)]
    pub code: Option<CodeBlock>,
    /// A screenshot after the text.
    #[serde(default)]
    pub image: Option<Image>,
}

/// A screenshot.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Image {
    /// The image path relative to the page.
    pub src: String,
    /// The alternative text.
    pub alt: String,
}

/// A code block.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CodeBlock {
    /// The language for highlighting.
    #[serde(default)]
    pub language: Option<String>,
    /// The code, shown exactly as written.
    pub text: String,
}

/// How the connector authenticates.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Auth {
    /// The authentication type.
    #[serde(rename = "type")]
    pub kind: AuthKind,
    /// The OAuth2 grant.
    #[serde(default)]
    pub flow: Option<OAuth2Flow>,
    /// The OAuth2 authorisation endpoint.
    #[serde(default)]
    pub authorize_url: Option<String>,
    /// The OAuth2 token endpoint.
    #[serde(default)]
    pub token_url: Option<String>,
    /// The OAuth2 scopes.
    #[serde(default)]
    pub scopes: Option<Vec<String>>,
    /// Where OAuth2 client credentials go.
    #[serde(default)]
    pub client_auth: Option<ClientAuth>,
    /// `<<Field>>` holding the client id.
    #[serde(default)]
    pub client_id: Option<String>,
    /// `<<Field>>` holding the client secret.
    #[serde(default)]
    pub client_secret: Option<String>,
    /// `<<Field>>` holding the user name.
    #[serde(default)]
    pub username: Option<String>,
    /// `<<Field>>` holding the password.
    #[serde(default)]
    pub password: Option<String>,
    /// `<<Field>>` holding the API key.
    #[serde(default)]
    pub api_key: Option<String>,
    /// The header carrying the API key.
    #[serde(default)]
    pub api_key_header: Option<String>,
    /// The query parameter carrying the API key.
    #[serde(default)]
    pub api_key_query: Option<String>,
    /// Extra form fields of the token request, by name, each a `<<Field>>`.
    #[serde(default)]
    pub token_params: Option<std::collections::BTreeMap<String, String>>,
}

/// The authentication types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthKind {
    /// No authentication.
    None,
    /// An API key in a header.
    ApiKey,
    /// HTTP Basic.
    Basic,
    /// OAuth 2.0.
    Oauth2,
}

impl AuthKind {
    /// The type as the definition spells it.
    pub fn name(self) -> &'static str {
        match self {
            AuthKind::None => "none",
            AuthKind::ApiKey => "api_key",
            AuthKind::Basic => "basic",
            AuthKind::Oauth2 => "oauth2",
        }
    }
}

/// The OAuth2 grants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OAuth2Flow {
    /// Resource owner password credentials (RFC 6749 section 4.3).
    Password,
    /// Authorisation code (section 4.1).
    AuthorizationCode,
    /// Client credentials (section 4.4).
    ClientCredentials,
}

impl OAuth2Flow {
    /// The flow as the definition spells it, which is also the token request's
    /// `grant_type`.
    pub fn name(self) -> &'static str {
        match self {
            OAuth2Flow::Password => "password",
            OAuth2Flow::AuthorizationCode => "authorization_code",
            OAuth2Flow::ClientCredentials => "client_credentials",
        }
    }
}

/// Where the client credentials go in a token request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientAuth {
    /// `client_id` and `client_secret` form fields.
    #[default]
    Body,
    /// An HTTP Basic `Authorization` header.
    BasicHeader,
}

/// One setup value.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// The field's name and placeholder.
    pub name: String,
    /// The label shown.
    pub display_name: String,
    /// What the value is.
    pub description: String,
    /// Whether the value is a credential.
    #[serde(default)]
    pub secret: bool,
    /// Who enters the value.
    pub set_by: SetBy,
    /// Whether the value may be empty.
    #[serde(default)]
    pub optional: bool,
    /// The pattern every value must match.
    #[serde(default)]
    pub pattern: Option<String>,
    /// The value used when none is entered.
    #[serde(default)]
    pub default: Option<String>,
}

/// Who enters a setup value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SetBy {
    /// The partner, once, in the connector library.
    Partner,
    /// Each account, when it installs the connector.
    Account,
}

/// One API call.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Method {
    /// The method's name.
    pub name: String,
    /// What it does.
    pub description: String,
    /// Its group.
    pub category: String,
    /// The HTTP verb.
    pub http_method: HttpMethod,
    /// The path below the base URL.
    pub path: String,
    /// Path and query parameters.
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    /// The JSON body's fields.
    #[serde(default)]
    pub body: Option<Vec<BodyField>>,
    /// Paging, for list methods.
    #[serde(default)]
    pub paging: Option<Paging>,
}

/// The HTTP verbs: written `GET` in definitions, serialised `Get` as Cyclr and the Rust
/// client's enum spell them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all(deserialize = "UPPERCASE"))]
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

/// One method parameter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parameter {
    /// The name and placeholder.
    pub name: String,
    /// The label shown.
    pub display_name: String,
    /// What the value is.
    pub description: String,
    /// Where the value goes.
    #[serde(rename = "in")]
    pub location: ParameterLocation,
    /// Whether it may be left out.
    #[serde(default)]
    pub optional: bool,
    /// The pattern every value must match.
    #[serde(default)]
    pub pattern: Option<String>,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParameterLocation {
    /// A `<<Name>>` in the path.
    Path,
    /// A query-string value.
    Query,
}

/// One field of a JSON request body.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BodyField {
    /// The key in the vendor's JSON.
    pub name: String,
    /// The label shown.
    pub display_name: String,
    /// What the value is.
    pub description: String,
    /// The data type.
    #[serde(rename = "type")]
    pub data_type: DataType,
    /// Whether it may be left out.
    #[serde(default)]
    pub optional: bool,
}

/// The data types of body fields: written `datetime` in definitions, serialised `DateTime`
/// as Cyclr spells them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all(deserialize = "snake_case"))]
pub enum DataType {
    /// A string.
    Text,
    /// A whole number.
    Integer,
    /// A floating-point number.
    Float,
    /// A decimal number.
    Decimal,
    /// true or false.
    Boolean,
    /// An ISO 8601 date and time.
    #[serde(rename(serialize = "DateTime"))]
    Datetime,
}

/// Page-by-page listing through the request body.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Paging {
    /// The body key of the page index.
    pub page_index_field: String,
    /// The body key of the page size.
    pub page_size_field: String,
    /// The first page's index.
    #[serde(default)]
    pub first_page: u32,
    /// The default page size.
    pub page_size: u32,
    /// The largest page size accepted.
    pub max_page_size: u32,
}
