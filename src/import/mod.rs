//! `connector-gen import openapi`: a vendor's OpenAPI (3.0, 3.1) or Swagger (2.0) document
//! as a definition to start from.
//!
//! The stages: `document` reads the files and follows `$ref`s; `openapi` reads the versions
//! into one [`openapi::Api`]; this module maps it to a definition (servers to `base_url` and
//! setup fields, security schemes to sign-ins, operations to methods, schemas through
//! `schema` to fields and shapes), `yaml` writes it with a `# review:` comment above every
//! value a person should check; then the text is validated as `validate` would, and what the
//! validator refuses (a name clash, a limit the definition format keeps) is left out with a
//! warning naming the validator's reason, until the definition validates. Nothing is dropped
//! silently: every operation, parameter, field or scheme left out is a W011 warning at its
//! place in the API document, every review note a W010 warning at its line in the output.
//!
//! The choices the mapping makes, each once:
//! - **Servers:** the first server (OpenAPI 3: the document's, else a path's or an
//!   operation's; Swagger 2.0: `schemes` (https first), `host`, `basePath`) is `base_url`.
//!   A server variable in the host or path becomes an account setup value and a
//!   `<<Placeholder>>` (its `enum` the allowed values, its `default` the default); a variable
//!   in the scheme or port is replaced by its default. An `http://` server becomes `https://`,
//!   a document without a host gets a `Host` setup value. Operations served from another server
//!   are left out.
//! - **Sign-ins:** the schemes the document requires (top level first, then operations, then
//!   those only declared), each a sign-in: `auth` the first, `alternative_auth` the rest. OAuth2
//!   takes its first flow of authorizationCode, clientCredentials, password (implicit is left
//!   out: Cyclr exchanges codes on its server) with the scopes the document requires of it, or
//!   all it declares; an API key in a header or the query is `api_key`; HTTP basic is `basic`;
//!   HTTP bearer is `api_key` in `Authorization` after `Bearer `. A second OAuth2 scheme, cookie
//!   keys and OpenID Connect are left out.
//! - **Methods:** see [`names`] for names; the category is the first tag; path parameters are
//!   `<<Placeholders>>` named in PascalCase, query parameters keep their keys (a boolean's
//!   values are `true` and `false`, an integer gets the pattern `-?[0-9]+`, a list is text with
//!   a review note); header and cookie parameters, form, multipart and other non-JSON bodies,
//!   array bodies and HEAD, OPTIONS and TRACE operations are left out (the definition sends
//!   fixed headers and JSON bodies). The first 2xx response's JSON is the response: an array
//!   of objects, or a GET's object with exactly one array of objects, is a list (`items`).
//! - **Paging** (list GETs only) is recognised from names and always marked for review:
//!   a cursor parameter (`cursor`, `after`, `page_token`...) with a response value of a
//!   cursor's name gives `cursor`; a response `next` link gives `next_url`; `page` gives
//!   `page_number`; `offset`/`skip`/`start` gives `offset`; with the size parameter
//!   (`limit`, `per_page`, `page_size`...) and a `total` where the response has one.

mod document;
mod names;
mod openapi;
mod schema;
mod yaml;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::diagnostics::{Code, Diagnostic, FileId, Sources};
use crate::load::{self, LoadedDocument};
use crate::validate::Validator;
use document::{Documents, Loc};
use openapi::{Api, Encoding, FlowKind, KeyLocation, Operation, ParamLocation, Scheme, Verb};
use schema::{BodyFields, Field, FieldType, ParamKind, Scalar, Schemas};
use yaml::{MapBuilder, Node, Review, ReviewKind};

/// What `import openapi` is asked for.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The connector id; derived from the document's title when absent.
    pub id: Option<String>,
    /// The name the output file has in diagnostics (`connectors/acme.yaml`, `<stdout>`).
    pub output_name: String,
    /// Import only the operations with one of these tags (all when empty); compared
    /// ignoring case.
    pub tags: Vec<String>,
    /// Import only the operations whose path starts with one of these (all when empty).
    pub paths: Vec<String>,
}

/// An imported definition.
pub struct Imported {
    /// The definition's text.
    pub text: String,
    /// The files of the API document and the output, for rendering diagnostics.
    pub sources: Sources,
    /// The output's file id in `sources`.
    pub output: FileId,
    /// Review notes (W010), what was left out (W011) and the validator's warnings.
    pub warnings: Vec<Diagnostic>,
    /// One paragraph saying what was imported, what to review and what was left out.
    pub summary: String,
}

/// A failed import: the document's problems, with its files for rendering.
pub struct Failed {
    pub sources: Sources,
    pub errors: Vec<Diagnostic>,
}

/// Imports the API document at `path`.
pub fn openapi(path: &Path, options: &Options) -> Result<Imported, Failed> {
    let docs = match Documents::read(path) {
        Ok(docs) => docs,
        Err(errors) => {
            // The files read so far are not returned on failure; render against fresh ones.
            let mut sources = Sources::new();
            let _ = &mut sources;
            return Err(Failed {
                sources: read_sources_for(path, &errors),
                errors,
            });
        }
    };
    let api = match openapi::read(&docs) {
        Ok(api) => api,
        Err(errors) => {
            return Err(Failed {
                sources: docs.sources.clone(),
                errors,
            });
        }
    };
    if let Some(error) = unknown_tags(&docs, &api, &options.tags) {
        return Err(Failed {
            sources: docs.sources.clone(),
            errors: vec![error],
        });
    }
    let mut importer = Importer::new(&docs, &api, options, path);
    let draft = importer.draft();
    if !importer.schemas.errors.is_empty() {
        return Err(Failed {
            sources: docs.sources.clone(),
            errors: std::mem::take(&mut importer.schemas.errors),
        });
    }
    if draft.methods.is_empty() {
        let (root, value) = docs.root();
        let mut errors = importer.left_out;
        let (at, message, help) = if api.operations.is_empty() {
            let key = if value.get("paths").is_some() {
                "paths"
            } else if value.get("openapi").is_some() {
                "openapi"
            } else {
                "swagger"
            };
            (
                root.child(key),
                "the document has no operations (`paths` is missing or empty), and a definition needs at least one method".to_owned(),
                "import a document that describes the API's calls; webhooks alone make no methods",
            )
        } else {
            (
                root.child("paths"),
                format!(
                    "none of the document's {} operations can be a method, and a definition needs one",
                    api.operations.len()
                ),
                "the warnings above say why each operation was left out",
            )
        };
        errors.push(docs.error(&at, message, help));
        return Err(Failed {
            sources: docs.sources.clone(),
            errors,
        });
    }
    importer.finish(draft)
}

/// Each tag of the document with how many operations carry it, most first.
fn tag_counts(api: &Api<'_>) -> Vec<(String, usize)> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for operation in &api.operations {
        for tag in &operation.tags {
            *counts.entry(tag).or_default() += 1;
        }
    }
    let mut counts: Vec<(String, usize)> =
        counts.into_iter().map(|(t, n)| (t.to_owned(), n)).collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    counts
}

/// The document's tags, as help text: `a (12), b (3)`.
fn tag_list(api: &Api<'_>) -> String {
    let counts = tag_counts(api);
    if counts.is_empty() {
        return "the document tags no operation".to_owned();
    }
    let shown: Vec<String> = counts
        .iter()
        .take(40)
        .map(|(t, n)| format!("`{t}` ({n})"))
        .collect();
    let more = counts.len().saturating_sub(40);
    format!(
        "the document's tags, with their operations: {}{}",
        shown.join(", "),
        if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        }
    )
}

/// An error naming the `--tag`s no operation carries.
fn unknown_tags(docs: &Documents, api: &Api<'_>, tags: &[String]) -> Option<Diagnostic> {
    let unknown: Vec<&String> = tags
        .iter()
        .filter(|tag| {
            !api.operations
                .iter()
                .any(|op| op.tags.iter().any(|t| t.eq_ignore_ascii_case(tag)))
        })
        .collect();
    if unknown.is_empty() {
        return None;
    }
    let (root, _) = docs.root();
    let names: Vec<String> = unknown.iter().map(|t| format!("`{t}`")).collect();
    Some(
        Diagnostic::error(
            Code::InvalidValue,
            format!("no operation has the tag {}", names.join(", ")),
        )
        .in_file(docs.file_id(&root), 0..0)
        .with_help(tag_list(api)),
    )
}

/// The sources of a document that failed to load: the root file (which the errors name).
fn read_sources_for(path: &Path, _errors: &[Diagnostic]) -> Sources {
    let mut sources = Sources::new();
    let text = std::fs::read(path)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_default();
    sources.add(path.display().to_string(), text);
    sources
}

/// A review note.
fn review(kind: ReviewKind, message: impl Into<String>) -> Review {
    Review {
        kind,
        message: message.into(),
    }
}

/// The first sentence of a description as one line of plain text: HTML tags and Markdown
/// emphasis dropped, links as their text, whitespace collapsed, at most 300 characters.
pub(crate) fn plain_sentence(text: &str) -> Option<String> {
    let paragraph = text.trim().split("\n\n").next().unwrap_or("");
    let mut plain = String::with_capacity(paragraph.len());
    let mut chars = paragraph.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '<' if chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphabetic() || *n == '/' || *n == '!') =>
            {
                // An HTML tag: skipped to its `>`; a block tag (`<p>`, `<br>`) leaves a space.
                let tag: String = chars.by_ref().take_while(|n| *n != '>').collect();
                let name: String = tag
                    .trim_start_matches('/')
                    .chars()
                    .take_while(char::is_ascii_alphanumeric)
                    .collect();
                if matches!(
                    name.to_ascii_lowercase().as_str(),
                    "p" | "br"
                        | "div"
                        | "li"
                        | "ul"
                        | "ol"
                        | "tr"
                        | "td"
                        | "th"
                        | "table"
                        | "h1"
                        | "h2"
                        | "h3"
                        | "h4"
                        | "h5"
                        | "h6"
                ) {
                    plain.push(' ');
                }
            }
            '*' | '`' => {}
            '[' => {}
            ']' if chars.peek() == Some(&'(') => {
                for n in chars.by_ref() {
                    if n == ')' {
                        break;
                    }
                }
            }
            c if c.is_control()
                || matches!(c, '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}') =>
            {
                plain.push(' ')
            }
            c => plain.push(c),
        }
    }
    let collapsed = plain.split_whitespace().collect::<Vec<_>>().join(" ");
    // The first sentence: up to a `. ` that follows a word of more than one letter.
    let mut end = collapsed.len();
    for (i, _) in collapsed.match_indices(". ") {
        let word = collapsed[..i].rsplit(' ').next().unwrap_or("");
        if word.chars().count() > 2 && !matches!(word, "e.g" | "i.e" | "etc" | "vs") {
            end = i + 1;
            break;
        }
    }
    let mut sentence = collapsed[..end].trim().to_owned();
    if sentence.chars().count() > 300 {
        let cut: String = sentence.chars().take(297).collect();
        let at = cut.rfind(' ').unwrap_or(cut.len());
        sentence = format!("{}...", cut[..at].trim_end());
    }
    let sentence = sentence
        .trim_matches(|c: char| c.is_whitespace() || c == '-')
        .to_owned();
    (!sentence.is_empty()).then_some(sentence)
}

/// A sentence ending with a full stop, as Cyclr's standards want method descriptions.
fn with_full_stop(text: String) -> String {
    if text.ends_with(['.', '!', '?', ':', ')']) || text.ends_with("...") {
        text
    } else {
        format!("{text}.")
    }
}

/// One setup value.
struct SetupField {
    name: String,
    display_name: String,
    description: String,
    secret: bool,
    set_by: &'static str,
    kind: Option<&'static str>,
    default: Option<String>,
    values: Vec<String>,
    reviews: Vec<Review>,
}

impl SetupField {
    fn new(name: &str, display_name: &str, description: String, set_by: &'static str) -> Self {
        SetupField {
            name: name.to_owned(),
            display_name: display_name.to_owned(),
            description,
            secret: false,
            set_by,
            kind: None,
            default: None,
            values: Vec::new(),
            reviews: Vec::new(),
        }
    }

    fn secret(mut self) -> Self {
        self.secret = true;
        self
    }

    fn node(&self) -> Node {
        let mut map = MapBuilder::new();
        map.text("name", &self.name);
        for review in &self.reviews {
            map.review(Some(review.clone()));
        }
        map.text("display_name", &self.display_name)
            .text("description", &self.description);
        if self.secret {
            map.put("secret", Node::raw("true"));
        }
        map.put("set_by", Node::raw(self.set_by));
        if let Some(kind) = self.kind {
            map.put("type", Node::raw(kind));
        }
        if let Some(default) = &self.default {
            map.text("default", default);
        }
        if !self.values.is_empty() {
            map.put(
                "values",
                Node::Flow(self.values.iter().map(|v| yaml::flow_scalar(v)).collect()),
            );
        }
        map.build()
    }
}

/// One method before its name is final.
struct MethodDraft {
    name: String,
    reviews: Vec<Review>,
    description: String,
    description_review: Option<Review>,
    category: String,
    verb: Verb,
    path: String,
    parameters: Vec<Node>,
    request: Option<Node>,
    response: Option<Node>,
    paging: Option<(Node, Review)>,
    loc: Loc,
    /// The operation's path as the document writes it.
    op_path: String,
}

/// One sign-in, with the security scheme it came from.
struct SignIn {
    node: Node,
    /// Shown when there are several (`name:` after `type:`).
    name: String,
    scheme: String,
    loc: Loc,
}

impl SignIn {
    /// The sign-in as written: named when the connector has several.
    fn node(&self, several: bool) -> Node {
        let mut node = self.node.clone();
        if several && let Node::Map(entries) = &mut node {
            entries.insert(
                1.min(entries.len()),
                yaml::Entry {
                    key: "name".to_owned(),
                    value: Node::text(&self.name),
                    reviews: Vec::new(),
                },
            );
        }
        node
    }
}

/// The definition before it is written.
struct Draft {
    header: String,
    /// `id` to `docs`.
    top: Vec<(String, Node, Option<Review>)>,
    /// `auth` first, then `alternative_auth`; none means `type: none`.
    sign_ins: Vec<SignIn>,
    /// Why there is no sign-in although the document declares schemes.
    no_sign_in: Option<Review>,
    base_url: (String, Option<Review>),
    methods: Vec<MethodDraft>,
}

struct Importer<'a> {
    docs: &'a Documents,
    api: &'a Api<'a>,
    options: &'a Options,
    file_name: String,
    schemas: Schemas<'a>,
    fields: Vec<SetupField>,
    /// Warnings about the API document (W011).
    left_out: Vec<Diagnostic>,
    /// The connector's name.
    name: String,
    /// The base URL's scheme and host, for relative OAuth2 URLs.
    origin: String,
    /// Every server URL operations may use, as written in the document.
    base_server: Option<String>,
}

impl<'a> Importer<'a> {
    fn new(docs: &'a Documents, api: &'a Api<'a>, options: &'a Options, path: &Path) -> Self {
        let name = api
            .title
            .and_then(plain_sentence)
            .map(|t| t.trim_end_matches('.').to_owned())
            .unwrap_or_else(|| "Imported API".to_owned());
        Importer {
            docs,
            api,
            options,
            file_name: path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            schemas: Schemas::new(docs),
            fields: Vec::new(),
            left_out: Vec::new(),
            name,
            origin: String::new(),
            base_server: None,
        }
    }

    fn leave_out(&mut self, loc: &Loc, what: impl Into<String>, why: impl Into<String>) {
        let what = what.into();
        let why = why.into();
        self.left_out.push(
            Diagnostic::warning(Code::NotImported, format!("not imported: {what}: {why}"))
                .in_file(self.docs.file_id(loc), self.docs.span(loc))
                .with_help(
                    "add it to the definition by hand if the connector needs it, or leave it out",
                ),
        );
    }

    fn id(&self) -> String {
        if let Some(id) = &self.options.id {
            return id.clone();
        }
        let words = names::words(&self.name);
        let mut id: String = words
            .iter()
            .map(|w| {
                w.chars()
                    .filter(char::is_ascii_alphanumeric)
                    .collect::<String>()
            })
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        while id.chars().next().is_some_and(|c| !c.is_ascii_lowercase()) {
            id.remove(0);
        }
        id.truncate(63);
        let id = id.trim_end_matches('-').to_owned();
        if id.is_empty() {
            "imported".to_owned()
        } else {
            id
        }
    }

    fn draft(&mut self) -> Draft {
        let id = self.id();
        let header = format!(
            "# yaml-language-server: $schema=../schemas/connector.schema.json\n#\n# Imported from {} ({}{}) by `connector-gen import openapi`.\n# Check every `# review:` comment and replace every TODO, then run\n#   connector-gen validate connectors/{id}.yaml\n",
            self.file_name.replace('\n', " "),
            self.api.version.name(),
            self.api
                .api_version
                .as_deref()
                .map(|v| format!(", API version {}", v.replace('\n', " ")))
                .unwrap_or_default(),
        );
        let mut top: Vec<(String, Node, Option<Review>)> = Vec::new();
        top.push(("id".into(), Node::text(&id), None));
        let name_review = self.api.title.is_none().then(|| {
            review(
                ReviewKind::Description,
                "the document has no title: write the vendor's name",
            )
        });
        top.push(("name".into(), Node::text(&self.name), name_review));
        let (description, description_review) = match self.api.description.and_then(plain_sentence)
        {
            Some(d) => (with_full_stop(d), None),
            None => (
                format!("TODO say in one sentence what {} is.", self.name),
                Some(review(
                    ReviewKind::Description,
                    "the document has no description",
                )),
            ),
        };
        top.push((
            "description".into(),
            Node::text(&description),
            description_review,
        ));
        if let Some(version) = &self.api.api_version
            && let Some(version) = plain_sentence(version)
        {
            top.push(("api_version".into(), Node::text(&version), None));
        }
        let mut docs = MapBuilder::new();
        docs.text("title", &format!("{} Authentication", self.name))
            .text("permalink", &format!("{id}-connector"))
            .put("shape", Node::raw("modern"));
        let mut paragraph = MapBuilder::new();
        paragraph.text(
            "paragraph",
            &format!("TODO say where in {} to find the values below.", self.name),
        );
        docs.put("partner_setup", Node::Seq(vec![paragraph.build()]));
        top.push(("docs".into(), docs.build(), None));

        let base_url = self.base_url();
        let sign_ins = self.sign_ins();
        let no_sign_in = (sign_ins.is_empty() && !self.api.schemes.is_empty()).then(|| {
            review(
                ReviewKind::Choice,
                "none of the document's security schemes could be imported (see the warnings)",
            )
        });
        let methods = self.methods();
        for left in std::mem::take(&mut self.schemas.left_out) {
            self.leave_out(&left.loc, left.what, left.why);
        }
        Draft {
            header,
            top,
            sign_ins,
            no_sign_in,
            base_url,
            methods,
        }
    }

    /// The base URL, declaring setup values for server variables.
    fn base_url(&mut self) -> (String, Option<Review>) {
        let api = self.api;
        // The document's servers; else the first path's or operation's.
        let servers = &api.servers;
        let Some(server) = servers.first() else {
            let path_server = self.operation_servers().into_iter().next();
            if let Some((url, loc)) = path_server {
                self.base_server = Some(url.clone());
                return self.server_url(&url, &[], &loc, 1);
            }
            self.fields.push({
                let mut field = SetupField::new(
                    "Host",
                    "Host",
                    "The host name of the API, such as api.example.com.".to_owned(),
                    "account",
                );
                field.kind = Some("host_name");
                field
            });
            self.origin = "https://<<Host>>".to_owned();
            return (
                "https://<<Host>>".to_owned(),
                Some(review(
                    ReviewKind::Choice,
                    "the document names no server: write the API's host, or keep the Host setup value",
                )),
            );
        };
        let (url, loc, variables) = (server.url.clone(), server.loc.clone(), &server.variables);
        self.base_server = Some(url.clone());
        self.server_url(&url, variables, &loc, servers.len())
    }

    /// Servers named by paths and operations, in document order.
    fn operation_servers(&self) -> Vec<(String, Loc)> {
        let mut out = Vec::new();
        for operation in &self.api.operations {
            if let Some(url) = self.operation_server(operation) {
                out.push((url, operation.loc.clone()));
            }
        }
        out
    }

    /// The first server an operation or its path names.
    fn operation_server(&self, operation: &Operation<'_>) -> Option<String> {
        let op = self.docs.get(&operation.loc)?;
        let path_item_loc = Loc {
            doc: operation.loc.doc,
            pointer: operation
                .loc
                .pointer
                .rsplit_once('/')
                .map(|(p, _)| p.to_owned())
                .unwrap_or_default(),
        };
        let path_item = self.docs.get(&path_item_loc);
        [Some(op), path_item]
            .into_iter()
            .flatten()
            .find_map(|node| {
                node.get("servers")?
                    .as_array()?
                    .first()?
                    .get("url")?
                    .as_str()
                    .map(str::to_owned)
            })
    }

    fn server_url(
        &mut self,
        url: &str,
        variables: &[openapi::ServerVariable],
        _loc: &Loc,
        server_count: usize,
    ) -> (String, Option<Review>) {
        let mut notes = Vec::new();
        if server_count > 1 {
            notes.push(format!("the first of {server_count} servers"));
        }
        let mut url = url.trim().trim_end_matches('/').to_owned();
        if let Some(rest) = url.strip_prefix("http://") {
            url = format!("https://{rest}");
            notes.push(
                "the document's server is http://; Cyclr connectors call https://".to_owned(),
            );
        }
        // Variables: in the scheme or port, their default; elsewhere a setup value.
        let scheme_end = url.find("://").map_or(0, |i| i + 3);
        let mut out = String::new();
        let mut rest = url.as_str();
        let mut offset = 0;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            let var_name = &rest[open + 1..open + close];
            out.push_str(&rest[..open]);
            let at = offset + open;
            let variable = variables.iter().find(|v| v.name == var_name);
            let default = variable.and_then(|v| v.default.clone()).unwrap_or_default();
            let in_scheme = at < scheme_end;
            let in_port = out
                .rsplit("://")
                .next()
                .is_some_and(|host| !host.contains('/') && host.ends_with(':'));
            if in_scheme || in_port || variable.is_none() && !default.is_empty() {
                let value = if in_scheme {
                    "https".to_owned()
                } else {
                    default.clone()
                };
                notes.push(format!("the server variable `{var_name}` is {value} here"));
                out.push_str(&value);
            } else {
                let name = names::pascal(var_name, 32).unwrap_or_else(|| "Server".to_owned());
                let in_host = !out[scheme_end.min(out.len())..].contains('/');
                if !self.fields.iter().any(|f| f.name == name) {
                    let description = variable
                        .and_then(|v| v.description.as_deref())
                        .and_then(plain_sentence)
                        .unwrap_or_else(|| {
                            format!("TODO say what {} is.", names::display_name(var_name))
                        });
                    let mut field = SetupField::new(
                        &name,
                        &names::display_name(var_name),
                        description,
                        "account",
                    );
                    if let Some(variable) = variable {
                        let mut values: Vec<String> = Vec::new();
                        for v in &variable.values {
                            if !v.is_empty() && !values.contains(v) {
                                values.push(v.clone());
                            }
                        }
                        if variable.values.len() > values.len() {
                            field.reviews.push(review(ReviewKind::Choice, "the document lists a value twice or an empty value; each is listed once here"));
                        }
                        field.values = values;
                        if !default.is_empty()
                            && (field.values.is_empty() || field.values.contains(&default))
                        {
                            field.default = Some(default.clone());
                        }
                    }
                    if in_host
                        && (default.contains('.') || field.values.iter().any(|v| v.contains('.')))
                    {
                        field.kind = Some("host_name");
                    }
                    if variable.and_then(|v| v.description.as_deref()).is_none() {
                        field.reviews.push(review(
                            ReviewKind::Description,
                            "the document does not describe this server variable",
                        ));
                    }
                    self.fields.push(field);
                }
                out.push_str(&format!("<<{name}>>"));
            }
            rest = &rest[open + close + 1..];
            offset = at + close + 1;
        }
        out.push_str(rest);
        let mut url = out;
        if !url.contains("://") {
            // A relative server: the host is the account's.
            self.fields.push({
                let mut field = SetupField::new(
                    "Host",
                    "Host",
                    "The host name of the API, such as api.example.com.".to_owned(),
                    "account",
                );
                field.kind = Some("host_name");
                field
            });
            url = format!("https://<<Host>>/{}", url.trim_start_matches('/'));
            notes.push(
                "the document's server is relative: the host is an account setup value".to_owned(),
            );
        }
        self.origin = match url.find("://").map(|i| i + 3) {
            Some(start) => {
                let end = url[start..].find('/').map_or(url.len(), |i| start + i);
                url[..end].to_owned()
            }
            None => url.clone(),
        };
        let note = (!notes.is_empty()).then(|| review(ReviewKind::Choice, notes.join("; ")));
        (url.trim_end_matches('/').to_owned(), note)
    }

    /// Sign-ins: the default first, then the alternatives.
    fn sign_ins(&mut self) -> Vec<SignIn> {
        let api = self.api;
        // The order: the top-level requirements, the operations', then the rest declared.
        let mut order: Vec<String> = Vec::new();
        let mut scopes_required: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut together: Vec<(String, String)> = Vec::new();
        let op_requirements: Vec<Vec<(String, Vec<String>)>> = api
            .operations
            .iter()
            .filter_map(|op| self.docs.get(&op.loc)?.get("security"))
            .flat_map(security_list)
            .collect();
        for requirement in api.security.iter().chain(op_requirements.iter()) {
            for (i, (name, scopes)) in requirement.iter().enumerate() {
                if !order.contains(name) {
                    order.push(name.clone());
                }
                let entry = scopes_required.entry(name.clone()).or_default();
                for scope in scopes {
                    if !entry.contains(scope) {
                        entry.push(scope.clone());
                    }
                }
                if i > 0 {
                    together.push((requirement[0].0.clone(), name.clone()));
                }
            }
        }
        for (name, _, _) in &api.schemes {
            if !order.contains(name) {
                order.push(name.clone());
            }
        }
        let mut sign_ins: Vec<SignIn> = Vec::new();
        let mut oauth_taken = false;
        let mut key_fields = 0;
        for scheme_name in &order {
            let Some((_, loc, scheme)) = api.schemes.iter().find(|(n, _, _)| n == scheme_name)
            else {
                continue;
            };
            if let Some((first, _)) = together.iter().find(|(_, second)| second == scheme_name)
                && order.iter().position(|n| n == first)
                    < order.iter().position(|n| n == scheme_name)
                && !sign_ins.is_empty()
            {
                self.leave_out(loc, format!("the security scheme `{scheme_name}`"), format!("operations require it together with `{first}`, and a sign-in sends one credential; add it as a header by hand"));
                continue;
            }
            let mut map = MapBuilder::new();
            match scheme {
                Scheme::ApiKey { name, location } => {
                    let field = if key_fields == 0 {
                        "ApiKey".to_owned()
                    } else {
                        names::pascal(scheme_name, 32)
                            .unwrap_or_else(|| format!("ApiKey{}", key_fields + 1))
                    };
                    match location {
                        KeyLocation::Cookie => {
                            self.leave_out(loc, format!("the security scheme `{scheme_name}`"), "an API key in a cookie; connector-gen sends keys in a header or the query");
                            continue;
                        }
                        KeyLocation::Header if !valid_header(name) => {
                            self.leave_out(
                                loc,
                                format!("the security scheme `{scheme_name}`"),
                                format!(
                                    "the header name `{name}` is not one a definition can hold"
                                ),
                            );
                            continue;
                        }
                        KeyLocation::Query if !valid_json_key(name) => {
                            self.leave_out(
                                loc,
                                format!("the security scheme `{scheme_name}`"),
                                format!("the query key `{name}` is not one a definition can hold"),
                            );
                            continue;
                        }
                        _ => {}
                    }
                    key_fields += 1;
                    map.put("type", Node::raw("api_key"));
                    map.text("api_key", &format!("<<{field}>>"));
                    match location {
                        KeyLocation::Header => map.text("api_key_header", name),
                        _ => map.text("api_key_query", name),
                    };
                    let display = names::display_name(&field);
                    let mut setup = SetupField::new(
                        &field,
                        &display,
                        format!(
                            "The {} {} sends.",
                            if field == "ApiKey" { "API key" } else { "key" },
                            self.name
                        ),
                        "account",
                    )
                    .secret();
                    setup.reviews.push(review(
                        ReviewKind::Description,
                        format!("say where in {} to find the key", self.name),
                    ));
                    self.add_field(setup);
                }
                Scheme::Basic => {
                    map.put("type", Node::raw("basic"));
                    map.text("username", "<<Username>>")
                        .text("password", "<<Password>>");
                    self.user_fields();
                }
                Scheme::Bearer => {
                    map.put("type", Node::raw("api_key"));
                    map.text("api_key", "<<AccessToken>>")
                        .text("api_key_header", "Authorization")
                        .text("api_key_prefix", "Bearer ");
                    let mut setup = SetupField::new(
                        "AccessToken",
                        "Access Token",
                        format!("The token {} sends as `Bearer` authorisation.", self.name),
                        "account",
                    )
                    .secret();
                    setup.reviews.push(review(
                        ReviewKind::Description,
                        format!("say where in {} to get the token", self.name),
                    ));
                    self.add_field(setup);
                }
                Scheme::OAuth2 { flows } => {
                    if oauth_taken {
                        self.leave_out(
                            loc,
                            format!("the security scheme `{scheme_name}`"),
                            "a second OAuth2 scheme; a connector has one OAuth2 sign-in",
                        );
                        continue;
                    }
                    let Some(flow) = flows.iter().find(|f| f.kind != FlowKind::Implicit) else {
                        self.leave_out(loc, format!("the security scheme `{scheme_name}`"), "its only flow is implicit, which hands tokens to a browser; Cyclr connectors use the authorisation code flow");
                        continue;
                    };
                    for other in flows.iter().filter(|f| f.kind != flow.kind) {
                        self.leave_out(
                            loc,
                            format!("the OAuth2 flow `{}` of `{scheme_name}`", other.kind.name()),
                            format!(
                                "a connector has one OAuth2 sign-in; the {} flow is used",
                                flow.kind.name()
                            ),
                        );
                    }
                    oauth_taken = true;
                    map.put("type", Node::raw("oauth2"));
                    let flow_name = match flow.kind {
                        FlowKind::AuthorizationCode => "authorization_code",
                        FlowKind::ClientCredentials => "client_credentials",
                        _ => "password",
                    };
                    map.put("flow", Node::raw(flow_name));
                    if flow.kind == FlowKind::AuthorizationCode {
                        let url = self.absolute(flow.authorize_url.as_deref().unwrap_or(""));
                        map.text("authorize_url", &url);
                    }
                    let token = self.absolute(flow.token_url.as_deref().unwrap_or(""));
                    map.text("token_url", &token);
                    let required = scopes_required
                        .get(scheme_name)
                        .cloned()
                        .unwrap_or_default();
                    let (scopes, note) = if required.is_empty() {
                        (
                            flow.scopes.clone(),
                            format!(
                                "all {} scopes the document declares; keep those the connector needs",
                                flow.scopes.len()
                            ),
                        )
                    } else {
                        (
                            required.clone(),
                            format!(
                                "the {} scopes the document's operations require",
                                required.len()
                            ),
                        )
                    };
                    let scopes: Vec<String> = scopes
                        .into_iter()
                        .filter(|s| {
                            !s.is_empty()
                                && s.chars()
                                    .all(|c| c.is_ascii_graphic() && !matches!(c, '"' | '\\'))
                        })
                        .collect();
                    if !scopes.is_empty() {
                        map.put(
                            "scopes",
                            Node::Flow(scopes.iter().map(|s| yaml::flow_scalar(s)).collect()),
                        );
                        map.review(Some(review(ReviewKind::Choice, note)));
                    }
                    map.text("client_id", "<<ClientId>>")
                        .text("client_secret", "<<ClientSecret>>");
                    let mut id = SetupField::new(
                        "ClientId",
                        "Client ID",
                        format!("The client ID of the app registered with {}.", self.name),
                        "partner",
                    );
                    id.reviews.push(review(
                        ReviewKind::Description,
                        format!("say where in {} to register the app", self.name),
                    ));
                    self.add_field(id);
                    self.add_field(
                        SetupField::new(
                            "ClientSecret",
                            "Client Secret",
                            format!(
                                "The client secret of the app registered with {}.",
                                self.name
                            ),
                            "partner",
                        )
                        .secret(),
                    );
                    if flow.kind == FlowKind::Password {
                        map.text("username", "<<Username>>")
                            .text("password", "<<Password>>");
                        self.user_fields();
                    }
                }
                Scheme::Unsupported(what) => {
                    self.leave_out(
                        loc,
                        format!("the security scheme `{scheme_name}`"),
                        format!("{what} is not a sign-in a definition can hold"),
                    );
                    continue;
                }
            }
            sign_ins.push(SignIn {
                node: map.build(),
                name: names::display_name(scheme_name),
                scheme: scheme_name.clone(),
                loc: loc.clone(),
            });
        }
        sign_ins
    }

    fn user_fields(&mut self) {
        self.add_field(SetupField::new(
            "Username",
            "Username",
            format!("The user name you sign in to {} with.", self.name),
            "account",
        ));
        self.add_field(
            SetupField::new(
                "Password",
                "Password",
                format!("The password you sign in to {} with.", self.name),
                "account",
            )
            .secret(),
        );
    }

    fn add_field(&mut self, field: SetupField) {
        if !self.fields.iter().any(|f| f.name == field.name) {
            self.fields.push(field);
        }
    }

    /// An OAuth2 URL made absolute against the base URL's origin.
    fn absolute(&self, url: &str) -> String {
        let url = url.trim();
        if url.contains("://") {
            return url.replacen("http://", "https://", 1);
        }
        format!("{}/{}", self.origin, url.trim_start_matches('/'))
    }

    /// Every operation as a method, or a warning saying why it is not one.
    fn methods(&mut self) -> Vec<MethodDraft> {
        let api = self.api;
        let mut methods = Vec::new();
        let wanted = |op: &Operation<'_>| {
            (self.options.tags.is_empty()
                || op
                    .tags
                    .iter()
                    .any(|t| self.options.tags.iter().any(|w| w.eq_ignore_ascii_case(t))))
                && (self.options.paths.is_empty()
                    || self
                        .options
                        .paths
                        .iter()
                        .any(|p| op.path.starts_with(p.as_str())))
        };
        for operation in api.operations.iter().filter(|op| wanted(op)) {
            match self.method(operation) {
                Ok(method) => methods.push(method),
                Err(why) => {
                    let what = format!(
                        "the operation {} {}",
                        operation.verb.upper(),
                        operation.path
                    );
                    self.leave_out(&operation.loc, what, why);
                }
            }
        }
        // Unique names: a later method that would share a name (or its Rust identifier)
        // is numbered.
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        for method in &mut methods {
            let key = ident_key(&method.name);
            if let Some(first) = seen.get(&key) {
                let mut n = 2;
                while seen.contains_key(&ident_key(&format!("{} {n}", method.name))) {
                    n += 1;
                }
                let renamed = format!("{} {n}", method.name);
                method.reviews.push(review(
                    ReviewKind::Renamed,
                    format!("named {renamed}: {first} already names another operation"),
                ));
                method.name = renamed;
            }
            seen.insert(ident_key(&method.name), method.name.clone());
        }
        methods
    }

    fn method(&mut self, op: &Operation<'a>) -> Result<MethodDraft, String> {
        let verb = match op.verb {
            Verb::Get | Verb::Post | Verb::Put | Verb::Patch | Verb::Delete => op.verb,
            other => {
                return Err(format!(
                    "{} requests are not methods a definition can hold",
                    other.upper()
                ));
            }
        };
        if let (Some(base), Some(server)) = (&self.base_server, self.operation_server(op))
            && server.trim_end_matches('/') != base.trim_end_matches('/')
        {
            return Err(format!(
                "it is served from {server}, not the connector's base URL {base}"
            ));
        }
        let mut path = op.path.trim_start_matches('/').to_owned();
        if path.is_empty() {
            return Err(
                "its path is the base URL itself, and a method's path may not be empty".to_owned(),
            );
        }
        // Path parameters.
        let mut parameters = Vec::new();
        let mut query: Vec<(String, Node)> = Vec::new();
        let mut sizes: BTreeMap<String, (Option<u64>, Option<u64>)> = BTreeMap::new();
        let mut placeholders: Vec<(String, String)> = Vec::new();
        for param in &op.parameters {
            let what = format!(
                "the {} parameter `{}` of {} {}",
                param.location.name(),
                param.name,
                op.verb.upper(),
                op.path
            );
            match param.location {
                ParamLocation::Path => {
                    let mut name =
                        names::pascal(&param.name, 32).unwrap_or_else(|| "Id".to_owned());
                    let mut display = names::display_name(&param.name);
                    // `/projects/{id}`: a Project ID, as the standards name IDs.
                    if matches!(name.as_str(), "Id" | "Key" | "Uuid")
                        && let Some(object) = segment_before(&op.path, &param.name)
                    {
                        name = format!("{object}{name}");
                        display = names::display_name(&name);
                    }
                    if self
                        .fields
                        .iter()
                        .any(|f| f.name.eq_ignore_ascii_case(&name))
                    {
                        name = format!("{}Value", &name[..name.len().min(27)]);
                    }
                    let template = format!("{{{}}}", param.name);
                    if !path.contains(&template) {
                        continue;
                    }
                    path = path.replace(&template, &format!("<<{name}>>"));
                    placeholders.push((param.name.clone(), name.clone()));
                    let mut map = MapBuilder::new();
                    map.text("name", &name).text("display_name", &display);
                    self.describe(
                        &mut map,
                        param.description.as_deref(),
                        &display,
                        &format!("the parameter `{}`", param.name),
                    );
                    map.put("in", Node::raw("path"));
                    parameters.push(map.build());
                }
                ParamLocation::Query => {
                    if !valid_json_key(&param.name) {
                        self.leave_out(
                            &param.loc,
                            what,
                            "its key holds characters a definition's query keys cannot",
                        );
                        continue;
                    }
                    if query.iter().any(|(n, _)| *n == param.name) {
                        continue;
                    }
                    let mut map = MapBuilder::new();
                    map.text("name", &param.name)
                        .text("display_name", &names::display_name(&param.name));
                    self.describe(
                        &mut map,
                        param.description.as_deref(),
                        &names::display_name(&param.name),
                        &format!("the parameter `{}`", param.name),
                    );
                    map.put("in", Node::raw("query"));
                    if !param.required {
                        map.put("optional", Node::raw("true"));
                    }
                    let kind = match (
                        &param.schema,
                        param.schema.as_ref().and_then(|l| self.docs.get(l)),
                    ) {
                        (Some(loc), Some(value)) => {
                            if let Ok((_, resolved)) = self.docs.resolve(loc, value) {
                                let number = |key: &str| resolved.get(key).and_then(Value::as_u64);
                                sizes.insert(
                                    param.name.clone(),
                                    (number("default"), number("maximum")),
                                );
                            }
                            self.schemas.parameter(loc, value)
                        }
                        _ => ParamKind::Other,
                    };
                    match kind {
                        ParamKind::Scalar(Scalar::Boolean, _) => {
                            map.put(
                                "values",
                                Node::Flow(vec!["\"true\"".into(), "\"false\"".into()]),
                            );
                        }
                        ParamKind::Scalar(Scalar::Integer, values) if values.is_empty() => {
                            map.text("pattern", "-?[0-9]+");
                        }
                        ParamKind::Scalar(_, values) => {
                            let values = text_values(&values);
                            if !values.is_empty() {
                                map.put(
                                    "values",
                                    Node::Flow(
                                        values.iter().map(|v| yaml::flow_scalar(v)).collect(),
                                    ),
                                );
                            }
                        }
                        ParamKind::List => {
                            map.review_at("name", review(ReviewKind::Looser, "a list in the document: send the values as the API expects them in one value (often comma-separated)"));
                        }
                        ParamKind::Other => {}
                    }
                    query.push((param.name.clone(), map.build()));
                }
                ParamLocation::Header | ParamLocation::Cookie => {
                    self.leave_out(
                        &param.loc,
                        what,
                        format!(
                            "{}{}",
                            if param.location == ParamLocation::Header {
                                "a definition's methods send only fixed headers (`headers:` of setup values and text)"
                            } else {
                                "a definition's methods send no cookies"
                            },
                            if param.required {
                                "; the API requires it"
                            } else {
                                ""
                            }
                        ),
                    );
                }
                // The body, read with it.
                ParamLocation::Form | ParamLocation::Body => {}
            }
        }
        // A `{name}` the parameters do not declare.
        while let Some(open) = path.find('{') {
            let Some(close) = path[open..].find('}') else {
                break;
            };
            let raw = path[open + 1..open + close].to_owned();
            let name = names::pascal(&raw, 32).unwrap_or_else(|| "Id".to_owned());
            path.replace_range(open..open + close + 1, &format!("<<{name}>>"));
            let mut map = MapBuilder::new();
            map.text("name", &name)
                .text("display_name", &names::display_name(&raw));
            self.describe(
                &mut map,
                None,
                &names::display_name(&raw),
                &format!("the path parameter `{raw}` (it declares no parameter of that name)"),
            );
            map.put("in", Node::raw("path"));
            parameters.push(map.build());
        }
        // The request body.
        let mut request = None;
        if let Some(body) = &op.body {
            match &body.encoding {
                Encoding::Json => {}
                Encoding::Form => return Err("its request body is a form (application/x-www-form-urlencoded); a definition's methods send JSON bodies".to_owned()),
                Encoding::Other(media) => return Err(format!("its request body is {media}; a definition's methods send JSON bodies")),
            }
            if verb == Verb::Get {
                self.leave_out(
                    &body.loc,
                    format!("the request body of GET {}", op.path),
                    "a GET sends no body",
                );
            } else if let Some(schema_loc) = &body.schema
                && let Some(schema) = self.docs.get(schema_loc)
            {
                match self.schemas.body(schema_loc, schema, true) {
                    Ok(BodyFields::Shape(name)) => {
                        let mut map = MapBuilder::new();
                        map.text("type", &name);
                        request = Some(map.build());
                    }
                    Ok(BodyFields::Fields(fields, reviews)) => {
                        let mut map = MapBuilder::new();
                        map.put("fields", self.field_nodes(&fields, true, BTreeSet::new()));
                        for r in reviews {
                            map.review(Some(r));
                        }
                        request = Some(map.build());
                    }
                    Ok(BodyFields::List(_)) => return Err("its request body is a JSON array; a definition's request bodies are objects".to_owned()),
                    Err(why) => return Err(format!("its request body is {why}")),
                }
            }
        }
        // The response.
        let mut response = None;
        let mut list = false;
        let mut array = false;
        let mut envelope: Vec<Field> = Vec::new();
        if let Some(resp) = &op.response {
            if let Some(media) = &resp.other_media {
                self.leave_out(
                    &resp.loc,
                    format!(
                        "the {} response of {} {}",
                        resp.status,
                        op.verb.upper(),
                        op.path
                    ),
                    format!("it is {media}, not JSON"),
                );
            } else if let Some(schema_loc) = &resp.schema
                && let Some(schema) = self.docs.get(schema_loc)
            {
                // An array, even one the definition cannot hold, names a List method.
                array = self
                    .docs
                    .resolve(schema_loc, schema)
                    .is_ok_and(|(_, s)| s.get("type").and_then(Value::as_str) == Some("array"));
                // A GET of a collection (its path does not end with a parameter) may answer
                // with an envelope around a list.
                let collection = verb == Verb::Get && !op.path.trim_end_matches('/').ends_with('}');
                match self.response(schema_loc, schema, collection) {
                    Ok((node, is_list, fields)) => {
                        response = Some(node);
                        list = is_list;
                        envelope = fields;
                    }
                    Err(why) => self.leave_out(
                        schema_loc,
                        format!(
                            "the {} response of {} {}",
                            resp.status,
                            op.verb.upper(),
                            op.path
                        ),
                        why,
                    ),
                }
            }
        }
        // Paging, on list GETs.
        let mut paging = None;
        if list && verb == Verb::Get {
            paging = detect_paging(&query, &envelope, &sizes);
            if let Some((_, _, used)) = &paging {
                query.retain(|(name, _)| !used.contains(name));
            }
        }
        parameters.extend(query.into_iter().map(|(_, node)| node));
        // The name.
        let segments: Vec<String> = op
            .path
            .split('/')
            .filter(|s| !s.is_empty() && !s.contains('{') && !is_version(s))
            .map(str::to_owned)
            .collect();
        let http = match verb {
            Verb::Get => names::Verb::Get,
            Verb::Post => names::Verb::Create,
            Verb::Put | Verb::Patch => names::Verb::Update,
            _ => names::Verb::Delete,
        };
        let name = names::method_name(&names::NameSource {
            operation_id: op.operation_id,
            http,
            segments: segments.clone(),
            ends_with_parameter: op.path.trim_end_matches('/').ends_with('}'),
            returns_list: list || array,
            parameters: op
                .parameters
                .iter()
                .filter(|p| p.location == ParamLocation::Path)
                .map(|p| p.name.clone())
                .collect(),
        });
        let name = if name.is_empty() {
            format!("{} {}", verb.upper(), op.path)
        } else {
            name
        };
        let (description, description_review) = match op
            .summary
            .and_then(plain_sentence)
            .or_else(|| op.description.and_then(plain_sentence))
        {
            Some(text) => (with_full_stop(text), None),
            None => (
                format!("TODO say what {name} does."),
                Some(review(
                    ReviewKind::Description,
                    format!(
                        "the document gives {} {} no summary or description",
                        op.verb.upper(),
                        op.path
                    ),
                )),
            ),
        };
        let category = op
            .tags
            .first()
            .map(|t| names::title(&names::words(t)))
            .filter(|t| !t.is_empty())
            .or_else(|| segments.first().map(|s| names::title(&names::words(s))))
            .unwrap_or_else(|| "General".to_owned());
        Ok(MethodDraft {
            name,
            reviews: Vec::new(),
            description,
            description_review,
            category,
            verb,
            path,
            parameters,
            request,
            response,
            paging: paging.map(|(node, review, _)| (node, review)),
            loc: op.loc.clone(),
            op_path: op.path.clone(),
        })
    }

    /// `description:` of a parameter, TODO and a review note when the document has none.
    fn describe(&self, map: &mut MapBuilder, description: Option<&str>, display: &str, what: &str) {
        match description.and_then(plain_sentence) {
            Some(text) => {
                map.text("description", &text);
            }
            None => {
                map.text("description", &format!("TODO say what {display} is."));
                map.review(Some(review(
                    ReviewKind::Description,
                    format!("the document does not describe {what}"),
                )));
            }
        }
    }

    /// The response node, whether it is a list, and the envelope's fields (for paging).
    fn response(
        &mut self,
        loc: &Loc,
        schema: &'a Value,
        get: bool,
    ) -> Result<(Node, bool, Vec<Field>), String> {
        let body = self.schemas.body(loc, schema, false);
        let mut map = MapBuilder::new();
        match body {
            Ok(BodyFields::List(shape)) => {
                map.text("items", "[]").text("type", &shape);
                Ok((map.build(), true, Vec::new()))
            }
            Ok(BodyFields::Shape(shape)) => {
                // A GET's envelope with one list of objects is a list.
                if get
                    && let Some(fields) = self.schemas.shapes.get(&shape).map(|s| s.fields.clone())
                    && let Some((items, rest)) = single_list(&fields)
                {
                    return Ok(self.list_response(items, rest));
                }
                map.text("type", &shape);
                Ok((map.build(), false, Vec::new()))
            }
            Ok(BodyFields::Fields(fields, reviews)) => {
                if get && let Some((items, rest)) = single_list(&fields) {
                    return Ok(self.list_response(items, rest));
                }
                map.put("fields", self.field_nodes(&fields, false, BTreeSet::new()));
                for r in reviews {
                    map.review(Some(r));
                }
                Ok((map.build(), false, Vec::new()))
            }
            Err(why) => Err(format!("it is {why}")),
        }
    }

    fn list_response(&self, items: Field, rest: Vec<Field>) -> (Node, bool, Vec<Field>) {
        let mut map = MapBuilder::new();
        map.text("items", &items.path());
        if let FieldType::Shape(shape) = &items.kind {
            map.text("type", shape);
        }
        if !rest.is_empty() {
            // The items' own system fields are taken: an envelope's `object` beside items
            // with an `object` would land on one Cyclr system field.
            let taken = match &items.kind {
                FieldType::Shape(shape) => self.schemas.shapes.get(shape).map(|s| {
                    s.fields
                        .iter()
                        .filter_map(|f| crate::fieldpath::parse(&f.path()).ok())
                        .map(|segments| crate::model::system_field(&segments).to_ascii_lowercase())
                        .collect()
                }),
                FieldType::Data(_) => None,
            };
            map.put(
                "fields",
                self.field_nodes(&rest, false, taken.unwrap_or_default()),
            );
        }
        (map.build(), true, rest)
    }

    /// Fields as definition nodes; system fields made unique.
    fn field_nodes(&self, fields: &[Field], request: bool, taken: BTreeSet<String>) -> Node {
        let mut seen = taken;
        let mut nodes = Vec::new();
        for field in fields {
            let path = field.path();
            let mut map = MapBuilder::new();
            map.text("path", &path);
            for r in &field.reviews {
                map.review(Some(r.clone()));
            }
            let system = crate::fieldpath::parse(&path)
                .map(|segments| crate::model::system_field(&segments))
                .unwrap_or_default();
            let system_key = system.to_ascii_lowercase();
            if system.is_empty() || seen.contains(&system_key) {
                let base = if system.is_empty() {
                    "Field".to_owned()
                } else {
                    system.clone()
                };
                let mut n = 2;
                while seen.contains(&format!("{base}{n}").to_ascii_lowercase()) {
                    n += 1;
                }
                let unique = format!("{base}{n}");
                map.text("system_field", &unique);
                map.review(Some(review(
                    ReviewKind::Renamed,
                    format!("system field {unique}: another field's path also gives {base}"),
                )));
                seen.insert(unique.to_ascii_lowercase());
            } else {
                seen.insert(system_key);
            }
            let display = names::display_name(&field.keys.join(" "));
            let display = if display.is_empty() {
                field.keys.join(" ")
            } else {
                display
            };
            map.text("display_name", &display);
            match &field.description {
                Some(text) => {
                    map.text("description", text);
                }
                None => {
                    map.text("description", &format!("TODO say what {display} is."));
                    map.review(Some(review(
                        ReviewKind::Description,
                        format!("the document does not describe the field `{path}`"),
                    )));
                }
            }
            match &field.kind {
                FieldType::Data(scalar) => {
                    map.put("type", Node::raw(scalar.name()));
                    if let Scalar::DateTime(format) = scalar {
                        map.text("format", format);
                    }
                }
                FieldType::Shape(shape) => {
                    map.text("type", shape);
                }
            }
            if field.optional {
                map.put("optional", Node::raw("true"));
            }
            if field.read_only && !request {
                map.put("read_only", Node::raw("true"));
            }
            if let FieldType::Data(scalar) = &field.kind {
                let values = typed_values(*scalar, &field.values);
                if !values.is_empty() {
                    map.put("values", Node::Flow(values.clone()));
                }
                if values.len() < field.values.len()
                    && matches!(
                        scalar,
                        Scalar::Text | Scalar::Integer | Scalar::Decimal | Scalar::Float
                    )
                {
                    let left: Vec<String> = field.values.iter().map(|v| v.to_string()).collect();
                    map.review(Some(review(ReviewKind::Looser, format!("the document allows {}; values that are empty, repeated, of another type or holding `{{{{` are not listed", left.join(", ")))));
                }
            }
            nodes.push(map.build());
        }
        Node::Seq(nodes)
    }

    /// The shapes methods use, as `types:`.
    fn types(&self, used: &BTreeSet<String>) -> Node {
        let mut entries = Vec::new();
        for (name, shape) in &self.schemas.shapes {
            if !used.contains(name) {
                continue;
            }
            let mut map = MapBuilder::new();
            match &shape.description {
                Some(text) => {
                    map.text("description", text);
                }
                None => {
                    map.text("description", &format!("TODO say what {name} is."));
                    map.review(Some(review(
                        ReviewKind::Description,
                        format!("the document does not describe the schema {name}"),
                    )));
                }
            }
            for r in &shape.reviews {
                map.review(Some(r.clone()));
            }
            map.put(
                "fields",
                self.field_nodes(&shape.fields, false, BTreeSet::new()),
            );
            entries.push(yaml::Entry {
                key: name.clone(),
                value: map.build(),
                reviews: Vec::new(),
            });
        }
        Node::Map(entries)
    }

    /// Writes the draft, validates it and leaves out what the validator refuses, until it
    /// validates.
    fn finish(mut self, mut draft: Draft) -> Result<Imported, Failed> {
        let validator = Validator::new();
        let mut sources = self.docs.sources.clone();
        let output = sources.add(self.options.output_name.clone(), String::new());
        let mut refused: Vec<Diagnostic> = Vec::new();
        for _round in 0..64 {
            let (text, placed) = self.write(&draft);
            if text.len() > load::MAX_FILE_BYTES {
                return Err(Failed {
                    errors: vec![Diagnostic::error(
                        Code::FileTooLarge,
                        format!(
                            "the definition imported from {} would be {} bytes, and definitions may be at most {} bytes",
                            self.file_name,
                            text.len(),
                            load::MAX_FILE_BYTES
                        ),
                    )
                    .with_help(format!("import part of the API with --tag or --path (repeat either for several); {}", tag_list(self.api)))],
                    sources,
                });
            }
            sources.set_text(output, text.clone());
            let document = match load::load_with(output, &text, &load::Limits::API_DOCUMENT) {
                Ok(document) => document,
                Err(errors) => return Err(Failed { sources, errors }),
            };
            match validator.validate(output, &text, &document) {
                Ok(checked) => {
                    let mut warnings = self.left_out.clone();
                    warnings.extend(refused);
                    let starts = crate::diagnostics::line_starts(&text);
                    for placed in &placed {
                        let line = starts.get(placed.line - 1).copied().unwrap_or(text.len());
                        let end = text[line..].find('\n').map_or(text.len(), |i| line + i);
                        let start =
                            line + (text[line..end].len() - text[line..end].trim_start().len());
                        warnings.push(
                            Diagnostic::warning(Code::Review, format!("review: {}", placed.review.message))
                                .in_file(output, start..end)
                                .with_help("check the value against the API's documentation, then delete the `# review:` comment"),
                        );
                    }
                    warnings.extend(
                        checked
                            .warnings
                            .into_iter()
                            .filter(|w| w.code != Code::Unfinished),
                    );
                    let summary = self.summary(&draft, &placed, &text);
                    // What was not imported, also in the file, where the person finishing
                    // the definition reads.
                    let mut text = text;
                    let root_name =
                        PathBuf::from(sources.name(self.docs.file_id(&self.docs.root().0)));
                    let root_dir = root_name
                        .parent()
                        .map(Path::to_path_buf)
                        .unwrap_or_default();
                    let left: Vec<String> = warnings
                        .iter()
                        .filter(|w| w.code == Code::NotImported)
                        .map(|w| {
                            let place = match (w.file, &w.span) {
                                (Some(file), Some(span)) => {
                                    // Relative to the document's folder: the same bytes
                                    // wherever the command is run from.
                                    let (line, _) = sources.line_column(file, span.start);
                                    let name = Path::new(sources.name(file));
                                    let shown = name.strip_prefix(&root_dir).unwrap_or(name);
                                    format!(" ({}:{line})", shown.display())
                                }
                                _ => String::new(),
                            };
                            let what = w
                                .message
                                .strip_prefix("not imported: ")
                                .unwrap_or(&w.message);
                            format!("#   - {}{place}\n", what.replace(['\n', '\r'], " "))
                        })
                        .collect();
                    if !left.is_empty() {
                        text.push_str(
                            "\n# Not imported from the document (each is also a W011 warning):\n",
                        );
                        text.extend(left);
                    }
                    sources.set_text(output, text.clone());
                    return Ok(Imported {
                        text,
                        sources,
                        output,
                        warnings,
                        summary,
                    });
                }
                Err(errors) => {
                    let errors: Vec<Diagnostic> =
                        errors.into_iter().filter(Diagnostic::is_error).collect();
                    if !self.repair(&mut draft, &document, &errors, &mut refused) {
                        let mut errors = errors;
                        errors.insert(
                            0,
                            Diagnostic::error(Code::InvalidApiDocument, "the imported definition does not validate, and the importer cannot tell which operation to leave out")
                                .with_help("this is a bug in connector-gen's importer; the errors below point into the definition it made"),
                        );
                        return Err(Failed { sources, errors });
                    }
                }
            }
        }
        Err(Failed {
            sources,
            errors: vec![Diagnostic::error(Code::InvalidApiDocument, "the imported definition still does not validate after leaving out 64 rounds of refused parts").with_help("this is a bug in connector-gen's importer")],
        })
    }

    /// Leaves out the methods (or shape fields) the validator's errors point into; false when
    /// an error points elsewhere.
    fn repair(
        &mut self,
        draft: &mut Draft,
        document: &LoadedDocument,
        errors: &[Diagnostic],
        refused: &mut Vec<Diagnostic>,
    ) -> bool {
        let mut drop_methods: BTreeSet<usize> = BTreeSet::new();
        let mut drop_fields: BTreeSet<(String, usize)> = BTreeSet::new();
        let mut drop_sign_ins: BTreeSet<(usize, String)> = BTreeSet::new();
        let method_count = draft.methods.len();
        let used = self.used_shapes(draft);
        let shapes: Vec<String> = self
            .schemas
            .shapes
            .keys()
            .filter(|n| used.contains(*n))
            .cloned()
            .collect();
        for error in errors {
            let Some(span) = &error.span else {
                return false;
            };
            let inside = |pointer: &str| {
                document.spans.get(pointer).is_some_and(|s| {
                    s.value.start <= span.start && span.start < s.value.end.max(s.value.start + 1)
                        || s.key
                            .as_ref()
                            .is_some_and(|k| k.start <= span.start && span.start < k.end)
                })
            };
            if let Some(i) = (0..method_count).find(|i| inside(&format!("/methods/{i}"))) {
                drop_methods.insert(i);
                continue;
            }
            if let Some(i) = (0..draft.sign_ins.len().saturating_sub(1))
                .find(|i| inside(&format!("/alternative_auth/{i}")))
            {
                drop_sign_ins.insert((i + 1, error.message.clone()));
                continue;
            }
            let mut found = false;
            for shape in &shapes {
                let count = self.schemas.shapes[shape].fields.len();
                if let Some(j) = (0..count).find(|j| inside(&format!("/types/{shape}/fields/{j}")))
                {
                    drop_fields.insert((shape.clone(), j));
                    found = true;
                    break;
                }
            }
            if !found {
                return false;
            }
        }
        for (shape, j) in drop_fields.iter().rev() {
            if let Some(s) = self.schemas.shapes.get_mut(shape)
                && j < &s.fields.len()
            {
                let field = s.fields.remove(*j);
                let why = errors
                    .iter()
                    .map(|e| e.message.clone())
                    .next()
                    .unwrap_or_default();
                refused.push(Diagnostic::warning(Code::NotImported, format!("not imported: the field `{}` of the schema {shape}: {why}", field.path())).with_help("the definition format refuses it as imported; add it by hand in a form the validator accepts"));
                if s.fields.is_empty() {
                    // An empty shape cannot stand: the methods that use it go next round.
                    s.fields.push(field);
                }
            }
        }
        let mut dropped = BTreeSet::new();
        for (i, why) in drop_sign_ins.iter().rev() {
            if dropped.insert(*i) {
                let sign_in = draft.sign_ins.remove(*i);
                self.leave_out(
                    &sign_in.loc,
                    format!("the security scheme `{}`", sign_in.scheme),
                    format!("beside the other sign-ins: {why}"),
                );
            }
        }
        for i in drop_methods.iter().rev() {
            let method = draft.methods.remove(*i);
            let why: Vec<String> = errors
                .iter()
                .filter(|e| {
                    e.span.as_ref().is_some_and(|span| {
                        document
                            .spans
                            .get(&format!("/methods/{i}"))
                            .is_some_and(|s| {
                                s.value.start <= span.start && span.start < s.value.end
                            })
                    })
                })
                .map(|e| format!("{} ({})", e.message, e.code))
                .collect();
            self.leave_out(
                &method.loc,
                format!("the operation {} {}", method.verb.upper(), method.op_path),
                format!(
                    "the definition it makes, `{}`, does not validate: {}",
                    method.name,
                    why.join("; ")
                ),
            );
        }
        let dropped_any =
            !(drop_methods.is_empty() && drop_fields.is_empty() && drop_sign_ins.is_empty());
        dropped_any && !draft.methods.is_empty()
    }

    /// The shapes reachable from the methods.
    fn used_shapes(&self, draft: &Draft) -> BTreeSet<String> {
        let mut used = BTreeSet::new();
        let mut stack: Vec<String> = Vec::new();
        for method in &draft.methods {
            for node in [&method.request, &method.response].into_iter().flatten() {
                collect_types(node, &mut stack);
            }
        }
        while let Some(name) = stack.pop() {
            if !used.insert(name.clone()) {
                continue;
            }
            if let Some(shape) = self.schemas.shapes.get(&name) {
                for field in &shape.fields {
                    if let FieldType::Shape(inner) = &field.kind {
                        stack.push(inner.clone());
                    }
                }
            }
        }
        used
    }

    fn write(&self, draft: &Draft) -> (String, Vec<yaml::PlacedReview>) {
        let entry = |key: &str, value: Node, review: Option<Review>| yaml::Entry {
            key: key.to_owned(),
            value,
            reviews: review.into_iter().collect(),
        };
        let mut entries: Vec<yaml::Entry> = draft
            .top
            .iter()
            .map(|(key, value, r)| entry(key, value.clone(), r.clone()))
            .collect();
        match draft.sign_ins.split_first() {
            Some((first, rest)) => {
                let several = !rest.is_empty();
                entries.push(entry("auth", first.node(several), None));
                if several {
                    let rest = rest.iter().map(|s| s.node(true)).collect();
                    entries.push(entry("alternative_auth", Node::Seq(rest), None));
                }
            }
            None => {
                let mut none = MapBuilder::new();
                none.put("type", Node::raw("none"))
                    .review(draft.no_sign_in.clone());
                entries.push(entry("auth", none.build(), None));
            }
        }
        // The setup values something still uses.
        let mut used_text = draft.base_url.0.clone();
        for sign_in in &draft.sign_ins {
            collect_scalars(&sign_in.node, &mut used_text);
        }
        let fields: Vec<Node> = self
            .fields
            .iter()
            .filter(|f| used_text.contains(&format!("<<{}>>", f.name)))
            .map(SetupField::node)
            .collect();
        entries.push(entry("fields", Node::Seq(fields), None));
        entries.push(entry(
            "base_url",
            Node::text(&draft.base_url.0),
            draft.base_url.1.clone(),
        ));
        let used = self.used_shapes(draft);
        if !used.is_empty() {
            entries.push(yaml::Entry {
                key: "types".into(),
                value: self.types(&used),
                reviews: Vec::new(),
            });
        }
        let methods = draft.methods.iter().map(method_node).collect();
        entries.push(yaml::Entry {
            key: "methods".into(),
            value: Node::Seq(methods),
            reviews: Vec::new(),
        });
        yaml::write(&draft.header, &Node::Map(entries), &["types", "methods"])
    }

    fn summary(&self, draft: &Draft, placed: &[yaml::PlacedReview], text: &str) -> String {
        let mut counts: BTreeMap<ReviewKind, usize> = BTreeMap::new();
        for p in placed {
            *counts.entry(p.review.kind).or_default() += 1;
        }
        let shapes = self.used_shapes(draft).len();
        let fields = text.matches("\n  - name: ").count() - draft.methods.len();
        let mut chosen = Vec::new();
        if !self.options.tags.is_empty() {
            chosen.push(format!("tagged {}", self.options.tags.join(", ")));
        }
        if !self.options.paths.is_empty() {
            chosen.push(format!("under {}", self.options.paths.join(", ")));
        }
        let tagged = if chosen.is_empty() {
            String::new()
        } else {
            format!(" (those {})", chosen.join(" and "))
        };
        let mut out = format!(
            "imported {} of {} operations{tagged} as methods, {} shapes and {} setup values from {} ({})",
            draft.methods.len(),
            self.api.operations.len(),
            shapes,
            fields,
            self.file_name,
            self.api.version.name()
        );
        if placed.is_empty() {
            out.push_str("; nothing to review");
        } else {
            let parts: Vec<String> = counts
                .iter()
                .map(|(k, n)| format!("{n} {}", k.plural()))
                .collect();
            out.push_str(&format!(
                "; {} to review ({})",
                placed.len(),
                parts.join(", ")
            ));
        }
        let left = self.left_out.len();
        if left > 0 {
            out.push_str(&format!(
                "; {left} {} not imported (W011 above)",
                if left == 1 { "part" } else { "parts" }
            ));
        }
        out
    }
}

fn method_node(method: &MethodDraft) -> Node {
    let mut map = MapBuilder::new();
    map.text("name", &method.name);
    for r in &method.reviews {
        map.review(Some(r.clone()));
    }
    map.text("description", &method.description)
        .review(method.description_review.clone());
    map.text("category", &method.category)
        .put("http_method", Node::raw(method.verb.upper()))
        .text("path", &method.path);
    if !method.parameters.is_empty() {
        map.put("parameters", Node::Seq(method.parameters.clone()));
    }
    if let Some((paging, note)) = &method.paging {
        map.put("paging", paging.clone()).review(Some(note.clone()));
    }
    if let Some(request) = &method.request {
        map.put("request", request.clone());
    }
    if let Some(response) = &method.response {
        map.put("response", response.clone());
    }
    map.build()
}

/// Every scalar under `node`, appended to `out`.
fn collect_scalars(node: &Node, out: &mut String) {
    match node {
        Node::Scalar(text) => out.push_str(text),
        Node::Flow(items) => items.iter().for_each(|item| out.push_str(item)),
        Node::Map(entries) => entries.iter().for_each(|e| collect_scalars(&e.value, out)),
        Node::Seq(items) => items.iter().for_each(|item| collect_scalars(item, out)),
    }
    out.push('\n');
}

fn collect_types(node: &Node, out: &mut Vec<String>) {
    match node {
        Node::Map(entries) => {
            for entry in entries {
                if entry.key == "type"
                    && let Node::Scalar(name) = &entry.value
                    && name.starts_with(|c: char| c.is_ascii_uppercase())
                {
                    out.push(name.clone());
                }
                collect_types(&entry.value, out);
            }
        }
        Node::Seq(items) => items.iter().for_each(|item| collect_types(item, out)),
        _ => {}
    }
}

/// The envelope's one list of objects, and its other fields.
fn single_list(fields: &[Field]) -> Option<(Field, Vec<Field>)> {
    let lists: Vec<&Field> = fields
        .iter()
        .filter(|f| f.list && f.keys.len() == 1)
        .collect();
    if lists.len() != 1 || fields.iter().any(|f| f.list && f.keys.len() > 1) {
        return None;
    }
    let items = lists[0].clone();
    let rest = fields
        .iter()
        .filter(|f| !(f.list && f.keys.len() == 1))
        .cloned()
        .collect();
    Some((items, rest))
}

/// Paging recognised from the query parameters and the response's other fields: the node,
/// its review note and the query keys paging now fills in.
fn detect_paging(
    query: &[(String, Node)],
    envelope: &[Field],
    sizes: &BTreeMap<String, (Option<u64>, Option<u64>)>,
) -> Option<(Node, Review, Vec<String>)> {
    let find = |names: &[&str]| {
        query
            .iter()
            .map(|(n, _)| n)
            .find(|n| names.contains(&normal(n).as_str()))
            .cloned()
    };
    let size = find(&[
        "perpage",
        "pagesize",
        "limit",
        "size",
        "count",
        "pagelimit",
        "maxresults",
        "top",
        "$top",
        "page[size]",
        "maxpagesize",
        "resultsperpage",
    ]);
    let page = find(&[
        "page",
        "pagenumber",
        "pageno",
        "pageindex",
        "pagenum",
        "page[number]",
    ]);
    let offset = find(&[
        "offset",
        "skip",
        "start",
        "$skip",
        "startindex",
        "from",
        "startposition",
        "page[offset]",
    ]);
    let cursor = find(&[
        "cursor",
        "after",
        "startingafter",
        "pagetoken",
        "nexttoken",
        "continuationtoken",
        "pageafter",
        "page[after]",
        "page[cursor]",
        "nextpagetoken",
        "marker",
        "starttoken",
    ]);
    let scalar_fields: Vec<&Field> = envelope
        .iter()
        .filter(|f| matches!(f.kind, FieldType::Data(_)) && !f.list)
        .collect();
    let field_named = |names: &[&str]| {
        scalar_fields
            .iter()
            .find(|f| {
                f.keys
                    .last()
                    .is_some_and(|k| names.contains(&normal(k).as_str()))
            })
            .map(|f| f.path())
    };
    let next_url = field_named(&[
        "next",
        "nexturl",
        "nextlink",
        "@odatanextlink",
        "nextpageurl",
        "nextpageuri",
        "nextpage",
        "nextpagelink",
    ]);
    let next_cursor = field_named(&[
        "nextcursor",
        "nextpagetoken",
        "nexttoken",
        "cursor",
        "endcursor",
        "after",
        "continuationtoken",
        "nextmarker",
        "nextpagecursor",
    ]);
    let total = field_named(&[
        "total",
        "totalcount",
        "totalresults",
        "totalitems",
        "totalsize",
        "totalitemcount",
        "totalrecords",
    ]);
    let mut map = MapBuilder::new();
    let mut used = Vec::new();
    let mut why = Vec::new();
    let kind;
    if let (Some(param), Some(response)) = (&cursor, &next_cursor) {
        kind = "cursor";
        map.put("kind", Node::raw(kind));
        why.push(format!(
            "the query parameter {param} and the response's {response}"
        ));
        used.push(param.clone());
        let mut c = MapBuilder::new();
        c.text("response", response).text("param", param);
        map.put("cursors", Node::Seq(vec![c.build()]));
    } else if let Some(next) = next_url {
        kind = "next_url";
        map.put("kind", Node::raw(kind));
        map.text("next_url", &next);
        why.push(format!("the response's {next}"));
    } else if let Some(param) = &page {
        kind = "page_number";
        map.put("kind", Node::raw(kind)).text("page_param", param);
        why.push(format!("the query parameter {param}"));
        used.push(param.clone());
    } else if let (Some(param), Some(_)) = (&offset, &size) {
        kind = "offset";
        map.put("kind", Node::raw(kind)).text("page_param", param);
        why.push(format!("the query parameter {param}"));
        used.push(param.clone());
    } else {
        return None;
    }
    if let Some(size) = &size {
        map.text("size_param", size);
        used.push(size.clone());
        why.push(format!("the page size in {size}"));
    }
    if kind == "page_number" {
        map.put("first_page", Node::raw("1"));
    }
    // The size parameter's default and maximum where the document gives them, else 100.
    let (default, maximum) = size
        .as_ref()
        .and_then(|s| sizes.get(s))
        .copied()
        .unwrap_or_default();
    let clamp = |n: u64| n.clamp(1, 1_000_000);
    let max_page_size = clamp(maximum.unwrap_or(default.unwrap_or(100).max(100)));
    let page_size = clamp(default.unwrap_or(100)).min(max_page_size);
    map.put("page_size", Node::raw(page_size.to_string()))
        .put("max_page_size", Node::raw(max_page_size.to_string()));
    if let Some(total) = total {
        map.text("total", &total);
    }
    let note = review(
        ReviewKind::Paging,
        format!(
            "{kind} paging guessed from {}; check the kind{}, the page size ({page_size}) and the largest page size the API allows ({max_page_size}{})",
            why.join(", "),
            if kind == "page_number" {
                ", the first page (1)"
            } else {
                ""
            },
            if maximum.is_some() {
                ", as the document says"
            } else {
                ", a guess"
            },
        ),
    );
    Some((map.build(), note, used))
}

/// The object a path parameter belongs to: `Project` for `{id}` in `/projects/{id}`.
fn segment_before(path: &str, param: &str) -> Option<String> {
    let template = format!("{{{param}}}");
    let segments: Vec<&str> = path.split('/').collect();
    let at = segments.iter().position(|s| *s == template)?;
    let before = segments[..at]
        .iter()
        .rev()
        .find(|s| !s.is_empty() && !s.contains('{') && !is_version(s))?;
    names::pascal(&names::singular(&names::words(before).join(" ")), 28)
}

/// A key lower-cased without `_` and `-`, for matching paging names.
fn normal(key: &str) -> String {
    key.chars()
        .filter(|c| !matches!(c, '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// `v1`, `v2.1`, `api`: path segments that name no object.
fn is_version(segment: &str) -> bool {
    let lower = segment.to_ascii_lowercase();
    lower == "api"
        || lower.strip_prefix('v').is_some_and(|rest| {
            !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit() || c == '.')
        })
}

/// The key two names share when they make the same Rust identifier.
fn ident_key(name: &str) -> String {
    crate::naming::snake_ident(name).unwrap_or_else(|| name.to_ascii_lowercase())
}

fn security_list(value: &Value) -> Vec<Vec<(String, Vec<String>)>> {
    value
        .as_array()
        .map(|requirements| {
            requirements
                .iter()
                .filter_map(Value::as_object)
                .map(|r| {
                    r.iter()
                        .map(|(k, v)| {
                            (
                                k.clone(),
                                v.as_array()
                                    .map(|s| {
                                        s.iter()
                                            .filter_map(Value::as_str)
                                            .map(str::to_owned)
                                            .collect()
                                    })
                                    .unwrap_or_default(),
                            )
                        })
                        .collect()
                })
                .collect()
        })
        .unwrap_or_default()
}

fn valid_json_key(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '_' | '$' | '@'))
        && key.len() <= 64
        && chars.all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '$' | '@' | '[' | ']' | '-')
        })
}

fn valid_header(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 30
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// Enum values as a parameter's text values: one line each, listed once.
fn text_values(values: &[Value]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for value in values {
        let Some(text) = openapi::scalar_text(value) else {
            continue;
        };
        let text = text.trim().to_owned();
        if text.is_empty()
            || text.contains("{{")
            || text.chars().any(char::is_control)
            || out.contains(&text)
        {
            continue;
        }
        out.push(text);
    }
    out
}

/// Enum values as a field's values of its type, written as YAML.
fn typed_values(scalar: Scalar, values: &[Value]) -> Vec<String> {
    match scalar {
        Scalar::Text => text_values(values)
            .iter()
            .map(|v| yaml::flow_scalar(v))
            .collect(),
        Scalar::Integer => {
            let mut out: Vec<String> = values
                .iter()
                .filter_map(Value::as_i64)
                .map(|n| n.to_string())
                .collect();
            out.dedup();
            out
        }
        Scalar::Decimal | Scalar::Float => {
            let mut out: Vec<String> = Vec::new();
            for n in values.iter().filter_map(Value::as_f64) {
                let text = serde_json::Number::from_f64(n)
                    .map(|n| n.to_string())
                    .unwrap_or_default();
                if !text.is_empty() && !out.iter().any(|o| o.parse::<f64>().ok() == Some(n)) {
                    out.push(text);
                }
            }
            out
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_become_one_plain_sentence() {
        assert_eq!(
            plain_sentence("Returns a <b>pet</b>. More text.").as_deref(),
            Some("Returns a pet.")
        );
        assert_eq!(
            plain_sentence("See [the docs](http://x) e.g. this. Next.").as_deref(),
            Some("See the docs e.g. this.")
        );
        assert_eq!(plain_sentence("  \n\n ").as_deref(), None);
        assert_eq!(
            plain_sentence("**Bold** text\n\nsecond paragraph").as_deref(),
            Some("Bold text")
        );
    }
}
