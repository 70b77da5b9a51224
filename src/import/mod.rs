//! `connector-gen import openapi`: a vendor's OpenAPI (3.0, 3.1) or Swagger (2.0) document
//! as a definition to start from.
//!
//! The stages: `document` reads the files and follows `$ref`s; `openapi` reads the versions
//! into one [`openapi::Api`]; the `Importer` here maps it to a definition (`servers`: servers
//! to `base_url` and setup values; `sign_ins`: security schemes to sign-ins; `methods`:
//! operations to methods, with `names` for their names, `paging` for paging and `schema` for
//! fields and shapes), `yaml` writes it with a `# review:` comment above every value a person
//! should check; then the text is validated as `validate` would, and what the
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
//!   in the scheme or port, or whose default is several path segments or a URL, is replaced by
//!   its default. An `http://` server becomes `https://`, a document without a host gets a
//!   `Host` setup value, and a URL that cannot be a base URL as written (a user and password,
//!   a query, an IPv6 or non-ASCII host) is rebuilt from its defaults with a review note.
//!   Operations served from another server are left out. Setup values never share a name.
//! - **Sign-ins:** the schemes the document requires (top level first, then operations, then
//!   those only declared, by name), each a sign-in: `auth` the first, `alternative_auth` the
//!   rest. OAuth2 takes its first flow of authorizationCode, clientCredentials, password that
//!   has its URLs (implicit is left out: Cyclr exchanges codes on its server) with the scopes
//!   the document requires of it, or all it declares; an API key in a header or the query is
//!   `api_key`; HTTP basic is `basic`; HTTP bearer is `api_key` in `Authorization` after
//!   `Bearer `. A second OAuth2 scheme, cookie keys, OpenID Connect and a scheme only ever
//!   required beside an imported one are left out.
//! - **Methods:** see [`names`] for names; the category is the first tag; path parameters are
//!   `<<Placeholders>>` named in PascalCase, query parameters keep their keys (a boolean's
//!   values are `true` and `false`, or those the document allows, an integer gets the pattern
//!   `-?[0-9]+`, a list is text with a review note); header and cookie parameters, form, multipart and other non-JSON bodies,
//!   array bodies and HEAD, OPTIONS and TRACE operations are left out (the definition sends
//!   fixed headers and JSON bodies). The first 2xx response's JSON is the response: an array
//!   of objects, or a collection GET's object with exactly one array of objects, is a list
//!   (`items`).
//! - **Paging** (list GETs only) is recognised from names and always marked for review:
//!   a cursor parameter (`cursor`, `after`, `page_token`...) with a response value of a
//!   cursor's name gives `cursor`; a response `next` link gives `next_url`; `page` gives
//!   `page_number`; `offset`/`skip`/`start` with a size parameter gives `offset`; with the
//!   size parameter (`limit`, `per_page`, `page_size`...) and a `total` where the response has
//!   one.

mod document;
mod methods;
mod names;
mod openapi;
mod paging;
mod schema;
mod servers;
mod sign_ins;
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

use methods::{MethodDraft, method_node};
use sign_ins::SignIn;

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
        Err((sources, errors)) => return Err(Failed { sources, errors }),
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

/// Text as one line: control and line-breaking characters as spaces, spaces collapsed, no
/// markup removed (a version such as `2024-01 [beta]` stays as written).
fn one_line(text: &str) -> Option<String> {
    let line = yaml::comment_text(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (!line.is_empty()).then_some(line)
}

/// The names the importer gives credentials: a server variable never takes one.
const CREDENTIAL_NAMES: [&str; 6] = [
    "ApiKey",
    "AccessToken",
    "ClientId",
    "ClientSecret",
    "Username",
    "Password",
];

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

/// What the validator refused, by index into the draft: what the repair leaves out.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Refused {
    Field(String, usize),
    SignIn(usize),
    Method(usize),
    Parameter(usize, usize),
}

/// Whether a parameter node is `in: query`.
fn is_query(parameter: &Node) -> bool {
    matches!(parameter.get("in"), Some(Node::Scalar(location)) if location == "query")
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

    /// `base`, or `base` numbered (`Region2`), so that no two setup values share a name
    /// (compared ignoring case, as placeholders are).
    fn free_field_name(&self, base: &str) -> String {
        let taken = |name: &str| {
            self.fields
                .iter()
                .any(|f| f.name.eq_ignore_ascii_case(name))
        };
        if !taken(base) {
            return base.to_owned();
        }
        (2..)
            .map(|n| format!("{base}{n}"))
            .find(|name| !taken(name))
            .unwrap_or_default()
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
            yaml::comment_text(&self.file_name),
            self.api.version.name(),
            self.api
                .api_version
                .as_deref()
                .map(|v| format!(", API version {}", yaml::comment_text(v)))
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
            && let Some(version) = one_line(version)
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
        for (loc, what, why) in &self.api.left_out {
            self.leave_out(loc, what.clone(), why.clone());
        }
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
            // Within the limits every definition keeps, so that `validate` reads the file
            // as this check did.
            let document = match load::load(output, &text) {
                Ok(document) => document,
                Err(mut errors) => {
                    for error in &mut errors {
                        error.help = Some(format!(
                            "the imported definition is larger than a definition may be; import part of the API with --tag or --path; {}",
                            tag_list(self.api)
                        ));
                    }
                    return Err(Failed { sources, errors });
                }
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
                    let summary = self.summary(&draft, &placed);
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
                            format!("#   - {}\n", yaml::comment_text(&format!("{what}{place}")))
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
                    let repaired = self.repair(&mut draft, &document, &errors, &mut refused);
                    if repaired && draft.methods.is_empty() {
                        // Every operation was refused: say why each was, then that none is left.
                        let (root, _) = self.docs.root();
                        let mut errors = std::mem::take(&mut self.left_out);
                        errors.extend(refused);
                        errors.push(self.docs.error(
                            &root.child("paths"),
                            format!("none of the document's {} operations can be a method, and a definition needs one", self.api.operations.len()),
                            "the warnings above say why each operation was left out",
                        ));
                        return Err(Failed { sources, errors });
                    }
                    if !repaired {
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

    /// Leaves out the methods, sign-ins or shape fields the validator's errors point into;
    /// false when an error points elsewhere (nothing could be left out).
    fn repair(
        &mut self,
        draft: &mut Draft,
        document: &LoadedDocument,
        errors: &[Diagnostic],
        refused: &mut Vec<Diagnostic>,
    ) -> bool {
        let used = self.used_shapes(draft);
        let shapes: Vec<String> = self
            .schemas
            .shapes
            .keys()
            .filter(|n| used.contains(*n))
            .cloned()
            .collect();
        // What each error points into, with the reasons for it.
        let mut targets: BTreeMap<Refused, Vec<String>> = BTreeMap::new();
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
            let target = if let Some(i) =
                (0..draft.methods.len()).find(|i| inside(&format!("/methods/{i}")))
            {
                // A query parameter alone where it is one (its key clashes, say).
                match (0..draft.methods[i].parameters.len())
                    .find(|j| inside(&format!("/methods/{i}/parameters/{j}")))
                {
                    Some(j) if is_query(&draft.methods[i].parameters[j]) => {
                        Refused::Parameter(i, j)
                    }
                    _ => Refused::Method(i),
                }
            } else if let Some(i) =
                (1..draft.sign_ins.len()).find(|i| inside(&format!("/alternative_auth/{}", i - 1)))
            {
                Refused::SignIn(i)
            } else if let Some((shape, j)) = shapes.iter().find_map(|shape| {
                let count = self.schemas.shapes[shape].fields.len();
                (0..count)
                    .find(|j| inside(&format!("/types/{shape}/fields/{j}")))
                    .map(|j| (shape.clone(), j))
            }) {
                Refused::Field(shape, j)
            } else {
                return false;
            };
            targets
                .entry(target)
                .or_default()
                .push(format!("{} ({})", error.message, error.code));
        }
        // A method refused whole takes its parameters with it.
        let whole: BTreeSet<usize> = targets
            .keys()
            .filter_map(|t| match t {
                Refused::Method(i) => Some(*i),
                _ => None,
            })
            .collect();
        targets.retain(|t, _| !matches!(t, Refused::Parameter(i, _) if whole.contains(i)));
        // Last first, so that indexes stay true.
        for (target, why) in targets.iter().rev() {
            let why = why.join("; ");
            match target {
                Refused::Field(shape, j) => {
                    if let Some(s) = self.schemas.shapes.get_mut(shape)
                        && *j < s.fields.len()
                    {
                        let field = s.fields.remove(*j);
                        refused.push(Diagnostic::warning(Code::NotImported, format!("not imported: the field `{}` of the schema {shape}: {why}", field.path())).with_help("the definition format refuses it as imported; add it by hand in a form the validator accepts"));
                        if s.fields.is_empty() {
                            // An empty shape cannot stand: the methods that use it go next round.
                            s.fields.push(field);
                        }
                    }
                }
                Refused::SignIn(i) => {
                    let sign_in = draft.sign_ins.remove(*i);
                    self.leave_out(
                        &sign_in.loc,
                        format!("the security scheme `{}`", sign_in.scheme),
                        format!("beside the other sign-ins: {why}"),
                    );
                }
                Refused::Parameter(i, j) => {
                    let method = &mut draft.methods[*i];
                    method.parameters.remove(*j);
                    let loc = method.loc.clone();
                    let what = format!(
                        "a query parameter of {} {}",
                        method.verb.upper(),
                        method.op_path
                    );
                    self.leave_out(&loc, what, format!("the definition refuses it: {why}"));
                }
                Refused::Method(i) => {
                    let method = draft.methods.remove(*i);
                    self.leave_out(
                        &method.loc,
                        format!("the operation {} {}", method.verb.upper(), method.op_path),
                        format!(
                            "the definition it makes, `{}`, does not validate: {why}",
                            method.name
                        ),
                    );
                }
            }
        }
        !targets.is_empty()
    }

    /// The setup values the base URL or a sign-in still uses.
    fn used_fields(&self, draft: &Draft) -> Vec<&SetupField> {
        let mut used_text = draft.base_url.0.clone();
        for sign_in in &draft.sign_ins {
            collect_scalars(&sign_in.node, &mut used_text);
        }
        self.fields
            .iter()
            .filter(|f| used_text.contains(&format!("<<{}>>", f.name)))
            .collect()
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
        let fields: Vec<Node> = self
            .used_fields(draft)
            .into_iter()
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

    fn summary(&self, draft: &Draft, placed: &[yaml::PlacedReview]) -> String {
        let mut counts: BTreeMap<ReviewKind, usize> = BTreeMap::new();
        for p in placed {
            *counts.entry(p.review.kind).or_default() += 1;
        }
        let shapes = self.used_shapes(draft).len();
        let fields = self.used_fields(draft).len();
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
