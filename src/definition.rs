//! The definition format: what `connectors/<id>.yaml` holds, as serde types.
//!
//! These types mirror `schemas/connector.schema.json` one to one. They are deserialized only
//! after the schema check has passed, so their job is to give the semantic checks and the
//! model typed access, not to report errors.

use std::collections::BTreeMap;

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
    /// How the connector authenticates: the default sign-in.
    pub auth: Auth,
    /// Other ways to sign in (Cyclr's `Authentication[]` beside the default).
    #[serde(default)]
    pub alternative_auth: Vec<Auth>,
    /// The setup values.
    pub fields: Vec<Field>,
    /// The API's base URL template.
    pub base_url: String,
    /// The API calls.
    pub methods: Vec<Method>,
    /// Shapes that methods share (a Person in Get, List, Create and Update), by name.
    #[serde(default)]
    pub types: std::collections::BTreeMap<String, TypeDef>,
    /// Events the vendor posts to Cyclr.
    #[serde(default)]
    pub webhooks: Vec<Webhook>,
    /// Headers every request sends.
    #[serde(default)]
    pub headers: Vec<Header>,
    /// How fast requests may go, for the whole connector.
    #[serde(default)]
    pub rate_limit: Option<RateLimit>,
    /// The method that proves the credentials work (Cyclr's test after install).
    #[serde(default)]
    pub connection_check: Option<String>,
}

/// A request header: fixed text, a setup value, or text around setup values.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    /// The header's name.
    pub name: String,
    /// Its value: text with `<<Field>>` placeholders.
    pub value: String,
}

/// How fast requests may go: one of the two ways Cyclr limits them.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimit {
    /// At most this many requests a second.
    #[serde(default)]
    pub requests_per_second: Option<u32>,
    /// At least this many seconds between requests.
    #[serde(default)]
    pub seconds_between_requests: Option<u32>,
}

/// An event the vendor posts to a URL: a Cyclr `Webhook` method, and optionally the calls
/// that subscribe Cyclr's URL and unsubscribe it again.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Webhook {
    /// The webhook's name, e.g. "Ticket Updated".
    pub name: String,
    /// What it delivers, and when.
    pub description: String,
    /// Its group.
    pub category: String,
    /// What the vendor posts.
    pub payload: Body,
    /// The call that subscribes Cyclr's URL.
    #[serde(default)]
    pub subscribe: Option<Subscribe>,
    /// The call that removes the subscription.
    #[serde(default)]
    pub unsubscribe: Option<Unsubscribe>,
}

/// The call that subscribes a URL to a webhook.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subscribe {
    /// The HTTP verb.
    pub http_method: HttpMethod,
    /// The path below the base URL.
    pub path: String,
    /// The request path that takes the URL to post to.
    pub url_field: String,
    /// Other request fields.
    #[serde(default)]
    pub fields: Vec<DataField>,
    /// The response path of the new subscription's id.
    pub id_field: String,
    /// The id's type: `text` (the default) or `integer`.
    #[serde(default)]
    pub id_type: Option<String>,
}

/// The call that removes a subscription; its path holds `<<WebhookId>>`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unsubscribe {
    /// The HTTP verb.
    pub http_method: HttpMethod,
    /// The path below the base URL, with `<<WebhookId>>`.
    pub path: String,
}

/// A shape declared once and referred to by name from request and response fields.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeDef {
    /// What the shape is.
    pub description: String,
    /// Its fields, with paths relative to the shape.
    pub fields: Vec<DataField>,
}

/// The connector's page on the docs site.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Docs {
    /// The page title.
    pub title: String,
    /// The page's permalink.
    pub permalink: String,
    /// The wording of the standard Cyclr setup section.
    #[serde(default)]
    pub shape: PageShape,
    /// Front-matter tags.
    #[serde(default)]
    pub tags: Option<Vec<String>>,
    /// Front-matter keys beyond the four every page has, by key (alphabetical order).
    #[serde(default)]
    pub front_matter: BTreeMap<String, FrontMatterValue>,
    /// The Partner Setup section of a one-card page: the card's blocks after its heading.
    #[serde(default)]
    pub partner_setup: Option<Vec<Block>>,
    /// The whole page, card by card (instead of `partner_setup`).
    #[serde(default)]
    pub cards: Option<Vec<Card>>,
}

/// The value of an extra front-matter key.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum FrontMatterValue {
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(serde_json::Number),
    /// One line of text.
    Text(String),
    /// A list of lines of text.
    List(Vec<String>),
}

/// The two wordings of the docs site's standard Cyclr setup section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PageShape {
    /// `### Cyclr Setup` in the last card: bullets to the Connector Library, `**Value**:
    /// description` paragraphs, the closing "now setup" line.
    #[default]
    Classic,
    /// `## Cyclr setup` in a card of its own: numbered steps to the Application Connector
    /// Library, a `| Value | Description |` table and the note on blank values.
    Modern,
}

/// One card (`<section class="card">`) of the page.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Card {
    /// Its blocks, in order.
    pub blocks: Vec<Block>,
}

/// One block of the page.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Block {
    /// A paragraph of inline Markdown.
    Paragraph(String),
    /// A heading.
    Heading(Heading),
    /// A `> **Note**:` block.
    Note(String),
    /// A `> **Warning**:` block.
    Warning(String),
    /// A screenshot.
    Image(Image),
    /// A code block.
    Code(CodeBlock),
    /// An HTML anchor other text links to (`<a name="...">`).
    Anchor(String),
    /// A list of steps: bullets on a classic page, numbers on a modern one.
    Steps(Vec<Item>),
    /// A numbered list.
    Numbers(Vec<Item>),
    /// A bulleted list.
    Bullets(Vec<Item>),
    /// A table.
    Table(Table),
    /// The setup values, or those of one level.
    SetupValues(SetupValues),
    /// The site's standard Cyclr setup section.
    CyclrSetup(CyclrSetup),
}

/// A heading: its text alone (level 4, as the classic pages' sub-headings) or with its level.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Heading {
    /// Level 4.
    Text(String),
    /// Text and level.
    Leveled {
        /// The text.
        text: String,
        /// 1 to 6: the number of `#`.
        level: u8,
    },
}

impl Heading {
    /// The heading's text.
    pub fn text(&self) -> &str {
        match self {
            Heading::Text(text) | Heading::Leveled { text, .. } => text,
        }
    }

    /// The heading's level.
    pub fn level(&self) -> u8 {
        match self {
            Heading::Text(_) => 4,
            Heading::Leveled { level, .. } => *level,
        }
    }
}

/// One list item: its text alone, or with what sits under it.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Item {
    /// Text only.
    Text(String),
    /// Text and blocks under it.
    Full(Step),
}

impl Item {
    /// The item's text.
    pub fn text(&self) -> &str {
        match self {
            Item::Text(text) => text,
            Item::Full(step) => &step.text,
        }
    }
}

/// One list item with what sits under it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// What to do, as inline Markdown.
    pub text: String,
    /// A code block after the text.
    #[serde(default)]
    pub code: Option<CodeBlock>,
    /// A screenshot after the text (after the code block).
    #[serde(default)]
    pub image: Option<Image>,
    /// Blocks after those: nested lists, notes, tables, setup values.
    #[serde(default)]
    pub blocks: Vec<Block>,
}

/// A table of inline Markdown cells.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    /// The header cells.
    pub header: Vec<String>,
    /// The rows, each as many cells as the header.
    pub rows: Vec<Vec<String>>,
}

/// How setup values are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ValuesLayout {
    /// A `| Value | Description |` table.
    Table,
    /// A bulleted `**Value**: description` list.
    List,
    /// One `**Value**: description` paragraph each.
    Lines,
}

/// A setup-values block.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetupValues {
    /// The layout; a table on a modern page, lines on a classic one.
    #[serde(default)]
    pub layout: Option<ValuesLayout>,
    /// Only the values of this level.
    #[serde(default)]
    pub only: Option<SetBy>,
    /// A paragraph before the values.
    #[serde(default)]
    pub intro: Option<String>,
    /// The table's two header cells, instead of `Value` and `Description`.
    #[serde(default)]
    pub header: Option<Vec<String>>,
}

/// The standard Cyclr setup section, with what the author changes.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CyclrSetup {
    /// The sentence before the steps, instead of the standard one.
    #[serde(default)]
    pub intro: Option<String>,
    /// The layout of the values; a table on a modern page, lines on a classic one.
    #[serde(default)]
    pub layout: Option<ValuesLayout>,
    /// The values table's two header cells, instead of `Value` and `Description`.
    #[serde(default)]
    pub header: Option<Vec<String>>,
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
    /// The sign-in's name, shown when a connector offers several (Cyclr's `AuthName`).
    #[serde(default)]
    pub name: Option<String>,
    /// What the installer needs for it (Cyclr's `AuthDescription`).
    #[serde(default)]
    pub description: Option<String>,
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
    /// Text sent before the key in its header, e.g. `Bearer `.
    #[serde(default)]
    pub api_key_prefix: Option<String>,
    /// The query parameter carrying the API key.
    #[serde(default)]
    pub api_key_query: Option<String>,
    /// Extra form fields of the token request, by name: text with `<<Field>>` placeholders.
    #[serde(default)]
    pub token_params: Option<std::collections::BTreeMap<String, String>>,
    /// Extra query parameters of the authorise URL, by name: text with `<<Field>>`
    /// placeholders.
    #[serde(default)]
    pub authorize_params: Option<std::collections::BTreeMap<String, String>>,
}

impl Definition {
    /// Every way to sign in, the default first, with the JSON pointer of each.
    pub fn sign_ins(&self) -> Vec<(String, &Auth)> {
        let mut all = vec![("/auth".to_owned(), &self.auth)];
        all.extend(
            self.alternative_auth
                .iter()
                .enumerate()
                .map(|(i, auth)| (format!("/alternative_auth/{i}"), auth)),
        );
        all
    }
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
    /// What kind of value it is.
    #[serde(default, rename = "type")]
    pub kind: FieldType,
    /// The values allowed: the user picks one.
    #[serde(default)]
    pub values: Vec<String>,
    /// A real value, which validation checks against the pattern and where the value goes.
    #[serde(default)]
    pub example: Option<String>,
}

/// The kinds of setup value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    /// One line of text.
    #[default]
    Text,
    /// Several lines of text (a private key, say).
    Multiline,
    /// Yes or no: `true` or `false`.
    Boolean,
    /// A whole number.
    Integer,
    /// A whole `https://` URL, such as a site's address.
    Url,
    /// A host name of one or more labels, such as `usw2.pure.cloud`.
    HostName,
}

impl FieldType {
    /// The type as the definition spells it.
    pub fn name(self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::Multiline => "multiline",
            FieldType::Boolean => "boolean",
            FieldType::Integer => "integer",
            FieldType::Url => "url",
            FieldType::HostName => "host_name",
        }
    }
}

/// Who enters a setup value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
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
    /// The JSON request body.
    #[serde(default)]
    pub request: Option<Body>,
    /// The JSON response.
    #[serde(default)]
    pub response: Option<ResponseDef>,
    /// Paging, for list methods.
    #[serde(default)]
    pub paging: Option<Paging>,
    /// Listing only what is new or changed since the step last ran.
    #[serde(default)]
    pub since: Option<Since>,
    /// A bulk method's batches: Cyclr splits the items it sends (outbound paging).
    #[serde(default)]
    pub batch: Option<Batch>,
    /// Headers this method sends besides the connector's.
    #[serde(default)]
    pub headers: Vec<Header>,
    /// How fast this method's requests may go, instead of the connector's limit.
    #[serde(default)]
    pub rate_limit: Option<RateLimit>,
}

/// How Cyclr splits the items a bulk method sends.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Batch {
    /// The request path of the array to split, in Cyclr's notation (`data.[records]`).
    pub items: String,
    /// The most items one request may carry.
    pub size: u32,
}

/// A JSON request body: a declared shape, fields of its own, or both.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    /// The declared shape the body is.
    #[serde(default, rename = "type")]
    pub type_name: Option<String>,
    /// Fields beside (or instead of) the shape's.
    #[serde(default)]
    pub fields: Vec<DataField>,
}

/// A JSON response.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseDef {
    /// Where a list's items are, in Cyclr's notation: `[Items]`, `data.[records]`, or `[]`
    /// for a response that is the array.
    #[serde(default)]
    pub items: Option<String>,
    /// The declared shape of each item (with `items`) or of the whole response.
    #[serde(default, rename = "type")]
    pub type_name: Option<String>,
    /// Fields beside the shape's, with paths from the response's root.
    #[serde(default)]
    pub fields: Vec<DataField>,
}

/// One field of a request or response: where it is in the vendor's JSON and what it holds.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataField {
    /// The vendor's path, in Cyclr's notation: `Email`, `Address.City`, `[Emails].Value`.
    pub path: String,
    /// Cyclr's `SystemField`; derived from the path when absent.
    #[serde(default)]
    pub system_field: Option<String>,
    /// The label shown.
    pub display_name: String,
    /// What the value is.
    pub description: String,
    /// A data type (`text`, `integer`...) or a declared shape's name.
    #[serde(rename = "type")]
    pub type_name: String,
    /// The format of a `datetime`, in .NET notation (`yyyy-MM-ddTHH:mm:ssZ`).
    #[serde(default)]
    pub format: Option<String>,
    /// Whether it may be left out.
    #[serde(default)]
    pub optional: bool,
    /// Whether only responses carry it (an id, an audit date): request bodies leave it out.
    #[serde(default)]
    pub read_only: bool,
    /// The values allowed.
    #[serde(default)]
    pub values: Vec<serde_json::Value>,
    /// The value sent when none is given.
    #[serde(default)]
    pub default: Option<serde_json::Value>,
    /// The list method whose items a user picks the value from.
    #[serde(default)]
    pub lookup: Option<Lookup>,
}

/// A choice list: a list method, the item key that is the value and the one people read.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lookup {
    /// The list method's name.
    pub method: String,
    /// The path, within an item, of the value to use (an id).
    pub id: String,
    /// The path, within an item, of what people read (a name).
    pub label: String,
}

/// How a "List New" or "List Updated" method asks for what changed since the last run.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Since {
    /// A query parameter that takes the date.
    #[serde(default)]
    pub query: Option<String>,
    /// A request-body path that takes the date.
    #[serde(default)]
    pub body: Option<String>,
    /// The date format the API expects, in .NET notation.
    #[serde(default)]
    pub format: Option<String>,
    /// The item field Cyclr compares with the last run instead (`TimeFilterField`).
    #[serde(default)]
    pub response_field: Option<String>,
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
    /// The values allowed.
    #[serde(default)]
    pub values: Vec<String>,
    /// The list method whose items a user picks the value from.
    #[serde(default)]
    pub lookup: Option<Lookup>,
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

/// The data types of fields: written `datetime` in definitions, serialised `DateTime` as
/// Cyclr spells them.
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
    /// A date and time, in the field's format.
    #[serde(rename(serialize = "DateTime"))]
    Datetime,
    /// A file's content.
    File,
}

impl DataType {
    /// Every data type.
    pub const ALL: [DataType; 7] = [
        DataType::Text,
        DataType::Integer,
        DataType::Float,
        DataType::Decimal,
        DataType::Boolean,
        DataType::Datetime,
        DataType::File,
    ];

    /// The type as definitions spell it.
    pub fn name(self) -> &'static str {
        match self {
            DataType::Text => "text",
            DataType::Integer => "integer",
            DataType::Float => "float",
            DataType::Decimal => "decimal",
            DataType::Boolean => "boolean",
            DataType::Datetime => "datetime",
            DataType::File => "file",
        }
    }

    /// The type named `name` in a definition (`text`, `datetime`...), if it is one.
    pub fn parse(name: &str) -> Option<DataType> {
        DataType::ALL.into_iter().find(|t| t.name() == name)
    }
}

/// How a list method pages.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Paging {
    /// How the next page is named.
    pub kind: PagingKind,
    /// Where the page values go: the query string or the JSON body.
    #[serde(default, rename = "in")]
    pub location: PagingLocation,
    /// The key of the page number or item offset.
    #[serde(default)]
    pub page_param: Option<String>,
    /// The key of the page size.
    #[serde(default)]
    pub size_param: Option<String>,
    /// The first page's number (page_number paging): 0 or 1.
    #[serde(default)]
    pub first_page: Option<u32>,
    /// The page size asked for.
    pub page_size: u32,
    /// The largest page size the API accepts.
    pub max_page_size: u32,
    /// Cursor paging: each value the response gives for the next page, and the key that
    /// sends it back.
    #[serde(default)]
    pub cursors: Vec<Cursor>,
    /// Next-URL paging: the response path of the next page's URL.
    #[serde(default)]
    pub next_url: Option<String>,
    /// The response path of the total number of items, where the API gives one.
    #[serde(default)]
    pub total: Option<String>,
}

/// The ways APIs name the next page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PagingKind {
    /// A page number.
    PageNumber,
    /// An item offset.
    Offset,
    /// Opaque values from the previous response.
    Cursor,
    /// A URL from the previous response.
    NextUrl,
}

/// Where page values travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PagingLocation {
    /// The query string.
    #[default]
    Query,
    /// The JSON request body.
    Body,
}

/// One cursor of cursor paging.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cursor {
    /// The response path that holds it.
    pub response: String,
    /// The query or body key that sends it back.
    pub param: String,
}
