//! The semantic checks: what the schema cannot say about a definition.
//!
//! Placeholders resolve to exactly one field or parameter in scope and stand where a value
//! may go; each auth flow has the fields it needs and its credentials are secret; names are
//! unique, also once turned into Rust identifiers; URLs are https and parse; patterns
//! compile; every declared field is used. The checks of request and response data (paths,
//! shapes, values, paging, `since`, lookups) are in [`data`].

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;

use crate::definition::{
    AuthKind, Definition, Field, HttpMethod, Method, OAuth2Flow, ParameterLocation,
};
use crate::diagnostics::{Code, Diagnostic, FileId};
use crate::load::SpanMap;
use crate::model::{MethodRole, WEBHOOK_ID_PARAMETER};
use crate::naming::{pascal_ident, snake_ident};
use crate::pattern::{CompiledPattern, PatternError};
use crate::placeholder::{Part, Template, UrlContext};
use crate::validate::{Checked, did_you_mean, is_invisible};

mod data;
mod docs;
mod setup;

/// Function names the generated Rust client defines itself, on `Client` or on the runtime's
/// `Connection` (which also carries one function per method); a method may not take them.
const RESERVED_METHOD_IDENTS: &[&str] = &[
    // Client
    "new",
    "config",
    "base_url",
    "token_request",
    "authorize_url",
    "code_exchange_request",
    "refresh_request",
    "auth",
    "oauth",
    // Connection (the runtime's)
    "with_token",
    "with_retry_policy",
    "with_clock",
    "client",
    "send",
    "pages",
    "token",
    "check",
];

/// The form fields an OAuth2 token request fills in itself (RFC 6749 sections 2.3.1, 4.1.3,
/// 4.3.2, 4.4.2, 6); `token_params` may not send them a second time.
const TOKEN_REQUEST_FIELDS: &[&str] = &[
    "grant_type",
    "username",
    "password",
    "scope",
    "client_id",
    "client_secret",
    "code",
    "redirect_uri",
    "refresh_token",
];

/// Runs every semantic check on a definition that passed the schema.
pub fn check(
    file: FileId,
    text: &str,
    spans: &SpanMap,
    definition: Definition,
) -> Result<Checked, Vec<Diagnostic>> {
    let mut checker = Checker {
        file,
        text,
        spans,
        definition: &definition,
        diagnostics: Vec::new(),
        patterns: BTreeMap::new(),
        used_fields: BTreeSet::new(),
        in_docs: false,
        base_url_valid: false,
        located: RefCell::default(),
        misplaced_defaults: BTreeSet::new(),
        placed: BTreeSet::new(),
    };
    checker.id();
    checker.fields();
    checker.setup_values();
    checker.auth();
    checker.auth_extras();
    checker.base_url();
    checker.methods();
    checker.headers();
    checker.data();
    checker.docs();
    checker.connection_check();
    // How Cyclr carries each value is a question only for an otherwise sound definition.
    if !checker.diagnostics.iter().any(Diagnostic::is_error) {
        checker.cyclr_targets();
    }
    checker.unused_fields();
    let Checker {
        diagnostics,
        patterns,
        ..
    } = checker;
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(diagnostics);
    }
    Ok(Checked {
        definition,
        patterns,
        warnings: diagnostics,
    })
}

/// Where each needle stands in the value at each pointer: `(pointer, needle)` to the byte
/// ranges of its occurrences, in order.
type Located = HashMap<(String, String), Vec<Range<usize>>>;

/// A name to check for uniqueness: as written, where it stands, and as a Rust identifier.
struct Named {
    name: String,
    pointer: String,
    ident: Option<String>,
}

fn named<'n>(
    names: impl IntoIterator<Item = (&'n String, String)>,
    ident: fn(&str) -> Option<String>,
) -> Vec<Named> {
    names
        .into_iter()
        .map(|(name, pointer)| Named {
            ident: ident(name),
            name: name.clone(),
            pointer,
        })
        .collect()
}

/// What a placeholder may name where it stands.
#[derive(Clone, Copy)]
enum Scope<'m> {
    /// Setup fields only.
    Fields,
    /// Setup fields and the path parameters of one method.
    Method(&'m str, &'m Method),
}

struct Checker<'a> {
    file: FileId,
    text: &'a str,
    spans: &'a SpanMap,
    definition: &'a Definition,
    diagnostics: Vec<Diagnostic>,
    patterns: BTreeMap<String, CompiledPattern>,
    used_fields: BTreeSet<String>,
    /// Whether the checks are in the docs, where placeholders only mention fields.
    in_docs: bool,
    /// Whether `base_url` passed its checks, so that method URLs built on it can be checked.
    base_url_valid: bool,
    /// Every occurrence of a needle in the value at a pointer, found once: looking each
    /// occurrence up from the start made a value with many placeholders quadratic.
    located: RefCell<Located>,
    /// Fields whose default was found not to fit where the field stands (reported once).
    misplaced_defaults: BTreeSet<String>,
    /// The fields and placements [`Checker::placement`] checked (each once).
    placed: BTreeSet<(String, crate::pattern::Placement)>,
}

impl<'a> Checker<'a> {
    fn error(
        &mut self,
        code: Code,
        message: impl Into<String>,
        at: Range<usize>,
        help: impl Into<String>,
    ) {
        self.diagnostics.push(
            Diagnostic::error(code, message)
                .in_file(self.file, at)
                .with_help(help),
        );
    }

    fn field(&self, name: &str) -> Option<&'a Field> {
        self.definition.fields.iter().find(|f| f.name == name)
    }

    /// The pointer of the setup field `name`'s name (`/fields/3/name`), or of the fields.
    fn field_pointer(&self, name: &str) -> String {
        match self.definition.fields.iter().position(|f| f.name == name) {
            Some(i) => format!("/fields/{i}/name"),
            None => "/fields".to_owned(),
        }
    }

    /// The byte range of the `nth` occurrence of `needle` inside the value at `pointer`, or
    /// the whole value where the source spelling differs (escapes, folded lines).
    fn locate(&self, pointer: &str, needle: &str, nth: usize) -> Range<usize> {
        let value = self.spans.value(pointer);
        let mut located = self.located.borrow_mut();
        let occurrences = located
            .entry((pointer.to_owned(), needle.to_owned()))
            .or_insert_with(|| {
                let source = self.text.get(value.clone()).unwrap_or_default();
                source
                    .match_indices(needle)
                    .map(|(i, _)| value.start + i..value.start + i + needle.len())
                    .collect()
            });
        occurrences.get(nth).cloned().unwrap_or(value)
    }

    // --- names --------------------------------------------------------------------------

    /// Reports duplicate names and names that collide as identifiers.
    fn unique_names(&mut self, what: &str, items: Vec<Named>, reserved: &[&str]) {
        let problems = self.name_problems(what, items, reserved);
        self.diagnostics.extend(problems);
    }

    fn name_problems(&self, what: &str, items: Vec<Named>, reserved: &[&str]) -> Vec<Diagnostic> {
        let mut by_name: BTreeMap<&str, &str> = BTreeMap::new();
        let mut by_lowercase: BTreeMap<String, (&str, &str)> = BTreeMap::new();
        let mut by_ident: BTreeMap<&str, (&str, &str)> = BTreeMap::new();
        let mut problems = Vec::new();
        for Named {
            name,
            pointer,
            ident,
        } in &items
        {
            if let Some(first) = by_name.get(name.as_str()) {
                problems.push(self.clash(
                    Code::DuplicateName,
                    format!("two {what}s are named `{name}`"),
                    (pointer, first, "first used here".to_owned()),
                    format!("rename one of them; {what} names must be unique"),
                ));
                continue;
            }
            by_name.insert(name, pointer);
            if let Some((other, first)) = by_lowercase.get(&name.to_lowercase()) {
                problems.push(self.clash(
                    Code::IdentifierCollision,
                    format!("the {what}s `{other}` and `{name}` differ only in case"),
                    (pointer, first, format!("`{other}` is here")),
                    "rename one of them: placeholders and Cyclr names that differ only in case are easily confused".to_owned(),
                ));
                continue;
            }
            by_lowercase.insert(name.to_lowercase(), (name, pointer));
            let Some(ident) = ident else {
                problems.push(
                    Diagnostic::error(
                        Code::IdentifierCollision,
                        format!("the {what} name `{name}` has no letters or digits to make a Rust name from"),
                    )
                    .in_file(self.file, self.spans.value(pointer))
                    .with_help("start the name with a letter"),
                );
                continue;
            };
            if reserved.contains(&ident.as_str()) {
                problems.push(
                    Diagnostic::error(
                        Code::IdentifierCollision,
                        format!("the {what} `{name}` becomes `{ident}` in the Rust client, a name the client uses itself"),
                    )
                    .in_file(self.file, self.spans.value(pointer))
                    .with_help(format!("rename it; these names are taken: {}", reserved.join(", "))),
                );
            } else if let Some((other, first)) = by_ident.get(ident.as_str()) {
                problems.push(self.clash(
                    Code::IdentifierCollision,
                    format!("the {what}s `{other}` and `{name}` both become `{ident}` in the Rust client"),
                    (pointer, first, format!("`{other}` is here")),
                    "rename one of them so they differ in more than case or punctuation".to_owned(),
                ));
            } else {
                by_ident.insert(ident, (name, pointer));
            }
        }
        problems
    }

    /// A name that clashes with an earlier one: `(pointer, first pointer, label)` underline
    /// the name here and label the earlier one.
    fn clash(
        &self,
        code: Code,
        message: String,
        at: (&str, &str, String),
        help: String,
    ) -> Diagnostic {
        let (pointer, first, label) = at;
        Diagnostic::error(code, message)
            .in_file(self.file, self.spans.value(pointer))
            .with_secondary(self.spans.value(first), label)
            .with_help(help)
    }

    // --- fields -------------------------------------------------------------------------

    /// The id names output files; one module name is the Rust runtime's.
    fn id(&mut self) {
        let module = crate::model::rust::module_name(&self.definition.id);
        if module == crate::model::rust::RUNTIME_MODULE {
            self.error(
                Code::InvalidValue,
                format!("the id `{}` is reserved", self.definition.id),
                self.spans.value("/id"),
                format!(
                    "the Rust target writes the runtime its clients share as rust/{module}.rs; choose another id, such as `{module}-api`"
                ),
            );
        }
    }

    fn fields(&mut self) {
        let fields = &self.definition.fields;
        let names = fields
            .iter()
            .enumerate()
            .map(|(i, f)| (&f.name, format!("/fields/{i}/name")));
        self.unique_names("field", named(names, snake_ident), &[]);
        for (i, field) in fields.iter().enumerate() {
            if field.secret && field.default.is_some() {
                self.error(
                    Code::SecretDefault,
                    format!("the secret field `{}` has a default value", field.name),
                    self.spans.key_or_value(&format!("/fields/{i}/default")),
                    "remove `default`: a credential written into the definition is published in every output",
                );
            }
            // A secret's default is an error of its own (E030) and is never echoed.
            if let Some((message, help)) = field
                .default
                .as_deref()
                .filter(|_| !field.secret)
                .and_then(|default| data::cyclr_syntax(default, "default"))
            {
                self.error(
                    Code::InvalidValue,
                    message,
                    self.spans.value(&format!("/fields/{i}/default")),
                    help,
                );
            }
            if let Some(pattern) = &field.pattern {
                let pointer = format!("/fields/{i}/pattern");
                if let Some(compiled) = self.compile_pattern(&pointer, pattern) {
                    // A secret's default is an error of its own (E030) and is never echoed.
                    let default = field.default.as_ref().filter(|_| !field.secret);
                    if let Some(default) = default.filter(|d| !compiled.is_match(d)) {
                        self.error(
                            Code::InvalidValue,
                            format!(
                                "the default `{default}` of `{}` does not match its pattern",
                                field.name
                            ),
                            self.spans.value(&format!("/fields/{i}/default")),
                            "change the default or the pattern so that they agree",
                        );
                    }
                }
            }
        }
    }

    fn compile_pattern(&mut self, pointer: &str, pattern: &str) -> Option<CompiledPattern> {
        if let Some(compiled) = self.patterns.get(pattern) {
            return Some(compiled.clone());
        }
        match CompiledPattern::compile_cached(pattern) {
            Ok(compiled) => {
                self.patterns.insert(pattern.to_owned(), compiled.clone());
                Some(compiled)
            }
            Err(PatternError::Syntax(reason)) => {
                self.error(
                    Code::InvalidPattern,
                    format!("invalid pattern: {reason}"),
                    self.spans.value(pointer),
                    "write a regular expression in Rust regex syntax, e.g. '[a-z0-9-]+'; the whole value must match, so no anchors are needed",
                );
                None
            }
            Err(PatternError::TooComplex) => {
                self.error(
                    Code::InvalidPattern,
                    "this pattern is too complex to check in the generated client",
                    self.spans.value(pointer),
                    "simplify it: use ASCII classes such as [A-Za-z0-9] instead of \\w, and smaller repetition counts",
                );
                None
            }
        }
    }

    // --- auth ---------------------------------------------------------------------------

    /// Every sign-in's settings, then what several sign-ins must agree on.
    fn auth(&mut self) {
        let sign_ins = self.definition.sign_ins();
        for (base, auth) in &sign_ins {
            self.auth_settings(base, auth);
        }
        if sign_ins.len() > 1 {
            self.sign_ins(&sign_ins);
        }
    }

    fn auth_settings(&mut self, base: &str, auth: &'a crate::definition::Auth) {
        let refs: [(&str, &Option<String>, bool); 5] = [
            ("client_id", &auth.client_id, false),
            ("client_secret", &auth.client_secret, true),
            ("username", &auth.username, false),
            ("password", &auth.password, true),
            ("api_key", &auth.api_key, true),
        ];
        const OAUTH2_SETTINGS: &[&str] = &[
            "flow",
            "token_url",
            "scopes",
            "client_auth",
            "client_id",
            "client_secret",
        ];
        let (required, allowed): (Vec<&str>, Vec<&str>) = match auth.kind {
            AuthKind::None => (Vec::new(), Vec::new()),
            AuthKind::ApiKey => (
                vec!["api_key"],
                vec![
                    "api_key",
                    "api_key_header",
                    "api_key_prefix",
                    "api_key_query",
                ],
            ),
            AuthKind::Basic => (vec!["username"], vec!["username", "password"]),
            AuthKind::Oauth2 => {
                // What each flow adds to the settings every flow has.
                let extra: &[&str] = match auth.flow {
                    Some(OAuth2Flow::Password) => &["username", "password", "token_params"],
                    Some(OAuth2Flow::AuthorizationCode) => {
                        &["authorize_url", "token_params", "authorize_params"]
                    }
                    Some(OAuth2Flow::ClientCredentials) => &["token_params"],
                    // Without a flow, say only that it is missing: any OAuth2 setting may belong.
                    None => &[
                        "authorize_url",
                        "username",
                        "password",
                        "token_params",
                        "authorize_params",
                    ],
                };
                let required = match auth.flow {
                    None => vec!["flow", "token_url"],
                    Some(_) => ["token_url", "client_id", "client_secret"]
                        .iter()
                        .chain(extra)
                        .copied()
                        .filter(|key| !matches!(*key, "token_params" | "authorize_params"))
                        .collect(),
                };
                (
                    required,
                    OAUTH2_SETTINGS.iter().chain(extra).copied().collect(),
                )
            }
        };
        let what = match (auth.kind, auth.flow) {
            (AuthKind::None, _) => "auth type none".to_owned(),
            (AuthKind::ApiKey, _) => "auth type api_key".to_owned(),
            (AuthKind::Basic, _) => "auth type basic".to_owned(),
            (AuthKind::Oauth2, None) => "auth type oauth2".to_owned(),
            (AuthKind::Oauth2, Some(flow)) => format!("the oauth2 {} flow", flow.name()),
        };
        let present: Vec<&str> = [
            ("flow", auth.flow.is_some()),
            ("authorize_url", auth.authorize_url.is_some()),
            ("token_url", auth.token_url.is_some()),
            ("scopes", auth.scopes.is_some()),
            ("client_auth", auth.client_auth.is_some()),
            ("api_key_header", auth.api_key_header.is_some()),
            ("api_key_prefix", auth.api_key_prefix.is_some()),
            ("authorize_params", auth.authorize_params.is_some()),
            ("api_key_query", auth.api_key_query.is_some()),
            ("token_params", auth.token_params.is_some()),
        ]
        .into_iter()
        .chain(refs.iter().map(|(key, value, _)| (*key, value.is_some())))
        .filter(|(_, present)| *present)
        .map(|(key, _)| key)
        .collect();

        if auth.kind == AuthKind::ApiKey {
            self.api_key_place(base, &present);
        }
        for key in required.iter().filter(|key| !present.contains(key)) {
            let help = match *key {
                "flow" => {
                    "add `flow: password`, `flow: authorization_code` or `flow: client_credentials`"
                        .to_owned()
                }
                "token_url" | "authorize_url" => {
                    format!("add `{key}:` with the endpoint's https URL")
                }
                "api_key_header" => {
                    "add `api_key_header:` with the header that carries the key, e.g. X-Api-Key"
                        .to_owned()
                }
                _ => format!("add `{key}: <<FieldName>>` naming the setup field that holds it"),
            };
            self.error(
                Code::MissingAuthField,
                format!("{what} needs `{key}`"),
                self.spans.head(base, self.text),
                help,
            );
        }
        for key in present.iter().filter(|key| !allowed.contains(key)) {
            self.error(
                Code::AuthSettingMisplaced,
                format!("`{key}` does not apply to {what}"),
                self.spans.key_or_value(&format!("{base}/{key}")),
                format!("remove `{key}`, or change the auth type or flow it belongs to"),
            );
        }
        for (key, value, must_be_secret) in refs {
            let Some(value) = value else { continue };
            let pointer = format!("{base}/{key}");
            let name = value.trim_start_matches("<<").trim_end_matches(">>");
            let Some(field) = self.resolve_field(&pointer, name, 0) else {
                continue;
            };
            let index = self
                .definition
                .fields
                .iter()
                .position(|f| f.name == name)
                .unwrap_or(0);
            if !matches!(
                field.kind,
                crate::definition::FieldType::Text | crate::definition::FieldType::Multiline
            ) {
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::InvalidSetupValue,
                        format!(
                            "`{name}` holds the {key} but is of type {}",
                            field.kind.name()
                        ),
                    )
                    .in_file(
                        self.file,
                        self.spans.value(&format!("/fields/{index}/type")),
                    )
                    .with_secondary(
                        self.spans.value(&pointer),
                        format!("used as the {key} here"),
                    )
                    .with_help("a credential is text: remove `type`"),
                );
            }
            if must_be_secret && !field.secret {
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::SecretNotMarked,
                        format!("`{name}` holds the {key} but is not marked secret"),
                    )
                    .in_file(
                        self.file,
                        self.spans.key_or_value(&format!("/fields/{index}")),
                    )
                    .with_secondary(
                        self.spans.value(&pointer),
                        format!("used as the {key} here"),
                    )
                    .with_help(format!(
                        "add `secret: true` to the field `{name}` so that it is masked and redacted"
                    )),
                );
            }
        }
        for (key, url) in [
            ("token_url", &auth.token_url),
            ("authorize_url", &auth.authorize_url),
        ] {
            if let Some(url) = url {
                self.url_template(&format!("{base}/{key}"), url, Scope::Fields);
            }
        }
        for name in auth.token_params.iter().flat_map(|p| p.keys()) {
            let pointer = format!("{base}/token_params/{}", crate::load::pointer_token(name));
            if TOKEN_REQUEST_FIELDS.contains(&name.as_str()) {
                self.error(
                    Code::AuthSettingMisplaced,
                    format!("`{name}` is a field the token request sends already"),
                    self.spans.key_or_value(&pointer),
                    format!(
                        "remove it from token_params; the flow and the auth settings fill in {}",
                        TOKEN_REQUEST_FIELDS.join(", ")
                    ),
                );
            }
        }
    }

    /// An API key goes in exactly one place: a header or a query parameter.
    fn api_key_place(&mut self, base: &str, present: &[&str]) {
        match (present.contains(&"api_key_header"), present.contains(&"api_key_query")) {
            (false, false) => self.error(
                Code::MissingAuthField,
                "auth type api_key needs `api_key_header` or `api_key_query`",
                self.spans.head(base, self.text),
                "add `api_key_header: X-Api-Key` (the header that carries the key) or `api_key_query: api_key` (the query parameter)",
            ),
            (true, true) => self.error(
                Code::AuthSettingMisplaced,
                "the API key cannot go both in a header and in the query",
                self.spans.key_or_value(&format!("{base}/api_key_query")),
                "keep `api_key_header` or `api_key_query`, not both",
            ),
            _ => {}
        }
    }

    /// Looks up a field named by a placeholder, reporting an unknown name with a suggestion.
    fn resolve_field(&mut self, pointer: &str, name: &str, nth: usize) -> Option<&'a Field> {
        if let Some(field) = self.field(name) {
            self.use_field(pointer, field, nth);
            return Some(field);
        }
        let candidates: Vec<&str> = self
            .definition
            .fields
            .iter()
            .map(|f| f.name.as_str())
            .collect();
        self.unknown_placeholder(pointer, name, nth, &candidates, "setup field");
        None
    }

    /// Records that the connector uses `field` at `pointer`. Outside the docs, a use needs
    /// a value, so the field may not be optional.
    fn use_field(&mut self, pointer: &str, field: &Field, nth: usize) {
        self.used_fields.insert(field.name.clone());
        if field.optional && !self.in_docs {
            let index = self
                .definition
                .fields
                .iter()
                .position(|f| f.name == field.name)
                .unwrap_or(0);
            let at = self.locate(pointer, &format!("<<{}>>", field.name), nth);
            self.diagnostics.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!(
                        "the optional field `{}` is used where a value is required",
                        field.name
                    ),
                )
                .in_file(self.file, at)
                .with_secondary(
                    self.spans
                        .key_or_value(&format!("/fields/{index}/optional")),
                    "marked optional here",
                )
                .with_help("remove `optional: true` from the field, or stop using it here"),
            );
        }
    }

    fn unknown_placeholder(
        &mut self,
        pointer: &str,
        name: &str,
        nth: usize,
        candidates: &[&str],
        what: &str,
    ) {
        let help = match did_you_mean(name, candidates.iter().copied()) {
            Some(near) => format!("did you mean `<<{near}>>`?"),
            None if candidates.is_empty() => format!("declare a {what} named `{name}`"),
            None => format!(
                "declare a {what} named `{name}`, or use one of: {}",
                candidates.join(", ")
            ),
        };
        let at = self.locate(pointer, &format!("<<{name}>>"), nth);
        self.diagnostics.push(
            Diagnostic::error(
                Code::UnknownPlaceholder,
                format!("`<<{name}>>` names no {what}"),
            )
            .in_file(self.file, at)
            .with_label("unknown placeholder")
            .with_help(help),
        );
    }

    // --- URLs ---------------------------------------------------------------------------

    fn base_url(&mut self) {
        let base = &self.definition.base_url;
        if base.ends_with('/') || base.contains(['?', '#']) {
            self.error(
                Code::InvalidUrl,
                "`base_url` must end with its path, without a trailing `/`, query or fragment",
                self.spans.value("/base_url"),
                "write it like https://<<SubDomain>>.example.com/api; methods add their path after a `/`",
            );
        }
        let errors_before = self.error_count();
        self.url_template("/base_url", base, Scope::Fields);
        self.base_url_valid = self.error_count() == errors_before;
    }

    fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// Parses a URL template, resolves its placeholders and checks the URL it makes.
    fn url_template(&mut self, pointer: &str, url: &str, scope: Scope<'_>) {
        if let Some((message, help)) = url_text_problem(url, true) {
            self.error(Code::InvalidUrl, message, self.spans.value(pointer), help);
            return;
        }
        let Some(template) = self.template(pointer, url) else {
            return;
        };
        self.resolve_placeholders(pointer, &template, scope);
        // A placeholder before `://` is reported as misplaced only when the URL starts with
        // it; otherwise the URL is simply not of the form https://host/path.
        let misplaced = template.url_contexts().err();
        if let Some(misplaced) = misplaced.filter(|m| m.part != "scheme" || url.starts_with("<<")) {
            let name = &misplaced.name;
            // The occurrence that is misplaced: the same placeholder may stand in the host too.
            let needle = format!("<<{name}>>");
            let nth = url
                .get(..misplaced.range.start)
                .map_or(0, |before| before.matches(needle.as_str()).count());
            let at = self.locate(pointer, &needle, nth);
            // Which help fits depends on where the placeholder stands and whose URL it is:
            // only a method's path has parameters of its own.
            let help = match (misplaced.part, scope) {
                ("scheme", _) => format!(
                    "a URL starts with its scheme: write `https://<<{name}>>` and give `{name}` the host name alone (a whole URL cannot stand in a host)"
                ),
                ("query", Scope::Method(..)) => "placeholders may stand in the host name or the path; query values are method parameters with `in: query`".to_owned(),
                ("query", Scope::Fields) if pointer == "/base_url" => "placeholders may stand in the host name or the path; the base URL takes no query, and query values are method parameters with `in: query`".to_owned(),
                ("query", Scope::Fields) => "placeholders may stand in the host name or the path; a value in the query of an authorise URL goes in `authorize_params`, one in a token request in `token_params` (the grant's own fields are added for you)".to_owned(),
                _ => "placeholders may stand in the host name or the path".to_owned(),
            };
            self.error(
                Code::MisplacedPlaceholder,
                format!("`<<{name}>>` stands in the URL's {}", misplaced.part),
                at,
                help,
            );
            return;
        }
        if let Some((message, help)) = url_problem(url, &template) {
            self.error(Code::InvalidUrl, message, self.spans.value(pointer), help);
            return;
        }
        if let Ok(contexts) = template.url_contexts() {
            self.placements(pointer, &template, &contexts);
        }
    }

    /// Checks what may stand where each placeholder of a URL stands: a placeholder in the
    /// host is a whole label, a secret never stands in a URL (Cyclr shows endpoints), and a
    /// field's default is a value the generated client would accept there.
    fn placements(&mut self, pointer: &str, template: &Template, contexts: &[UrlContext]) {
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        let placeholders = template
            .parts
            .iter()
            .enumerate()
            .filter(|(_, part)| matches!(part, Part::Placeholder { .. }));
        for ((index, part), context) in placeholders.zip(contexts) {
            let Part::Placeholder { name, .. } = part else {
                continue;
            };
            let nth = seen.entry(name).or_insert(0);
            let occurrence = *nth;
            *nth += 1;
            if *context == UrlContext::Host {
                let before =
                    index
                        .checked_sub(1)
                        .map(|i| &template.parts[i])
                        .map_or("", |p| match p {
                            Part::Literal(text) => text.as_str(),
                            Part::Placeholder { .. } => "x",
                        });
                let after = template.parts.get(index + 1).map_or("", |p| match p {
                    Part::Literal(text) => text.as_str(),
                    Part::Placeholder { .. } => "x",
                });
                let starts_label = before.ends_with("//") || before.ends_with('.');
                let ends_label = after.is_empty() || after.starts_with(['.', ':', '/']);
                if !starts_label || !ends_label {
                    let at = self.locate(pointer, &format!("<<{name}>>"), occurrence);
                    self.error(
                        Code::MisplacedPlaceholder,
                        format!("`<<{name}>>` is only part of a label of the host name"),
                        at,
                        format!("a value in a host name is a whole label between dots, as in https://<<{name}>>.example.com; joined to other text it could extend the host to one the connector does not own"),
                    );
                    continue;
                }
            }
            let Some((field_index, field)) = self
                .definition
                .fields
                .iter()
                .enumerate()
                .find(|(_, f)| &f.name == name)
            else {
                continue;
            };
            if field.secret {
                let at = self.locate(pointer, &format!("<<{name}>>"), occurrence);
                self.error(
                    Code::MisplacedPlaceholder,
                    format!("the secret field `{name}` stands in a URL"),
                    at,
                    "URLs are shown in Cyclr's method endpoints and in logs; send a credential through `auth` (api_key, password, client_secret) instead",
                );
                continue;
            }
            let at = self.locate(pointer, &format!("<<{name}>>"), occurrence);
            if *context == UrlContext::Origin && field.kind != crate::definition::FieldType::Url {
                self.error(
                    Code::MisplacedPlaceholder,
                    format!("`<<{name}>>` starts the URL, but `{name}` is not a URL"),
                    at,
                    format!("declare `type: url` on the field `{name}` if it holds a whole address such as https://example.atlassian.net; otherwise write `https://<<{name}>>` and give it the host name alone"),
                );
                continue;
            }
            self.placement(
                field_index,
                setup::placement_of(*context, field.kind),
                at,
                false,
            );
            let Some(default) = &field.default else {
                continue;
            };
            let refused = match context {
                UrlContext::Origin => {
                    (!crate::pattern::is_accepted(crate::pattern::Placement::Url, default))
                        .then_some("a whole https URL")
                }
                UrlContext::Host if field.kind == crate::definition::FieldType::HostName => {
                    (!is_dns_name(default)).then_some("a host name such as example.com")
                }
                UrlContext::Host => (!is_dns_label(default))
                    .then_some("one DNS label (letters, digits and inner hyphens)"),
                UrlContext::HostName => {
                    (!is_dns_name(default)).then_some("a host name such as example.com")
                }
                UrlContext::Path => (!is_path_segment(default)).then_some(
                    "one path segment (no `/`, `?`, `#`, `\\`, `%` or spaces, and not `.` or `..`)",
                ),
            };
            if let Some(wanted) = refused.filter(|_| self.misplaced_defaults.insert(name.clone())) {
                let at = self.locate(pointer, &format!("<<{name}>>"), occurrence);
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::InvalidValue,
                        format!("the default of `{name}` cannot stand where `<<{name}>>` does"),
                    )
                    .in_file(
                        self.file,
                        self.spans.value(&format!("/fields/{field_index}/default")),
                    )
                    .with_secondary(at, "used here")
                    .with_help(format!("a value here must be {wanted}; change the default")),
                );
            }
        }
    }

    fn template(&mut self, pointer: &str, text: &str) -> Option<Template> {
        match Template::parse(text) {
            Ok(template) => Some(template),
            Err(malformed) => {
                let needle = &text[malformed.range.clone()];
                let at = self.locate(pointer, needle, 0);
                self.diagnostics.push(
                    Diagnostic::error(Code::MalformedPlaceholder, format!("malformed placeholder: {}", malformed.reason))
                        .in_file(self.file, at)
                        .with_help("write placeholders as <<Name>>: a letter, then letters and digits, then >>"),
                );
                None
            }
        }
    }

    fn resolve_placeholders(&mut self, pointer: &str, template: &Template, scope: Scope<'_>) {
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for (name, _) in template.placeholders() {
            let nth = seen.entry(name).or_insert(0);
            let occurrence = *nth;
            *nth += 1;
            let (method_index, method) = match scope {
                Scope::Fields => {
                    self.resolve_field(pointer, name, occurrence);
                    continue;
                }
                Scope::Method(base, method) => (base, method),
            };
            let parameter = method.parameters.iter().position(|p| p.name == name);
            let field = self.field(name);
            let at = self.locate(pointer, &format!("<<{name}>>"), occurrence);
            match (parameter, field) {
                // An unsubscribe call's `<<WebhookId>>` is the generator's own parameter,
                // which the definition does not declare: the setup field is what to rename.
                (Some(_), Some(_)) if method_index.ends_with("/unsubscribe") => {
                    self.diagnostics.push(
                        Diagnostic::error(
                            Code::AmbiguousPlaceholder,
                            format!(
                                "`<<{name}>>` names both a setup field and the subscription's id"
                            ),
                        )
                        .in_file(self.file, at)
                        .with_secondary(
                            self.spans.value(&self.field_pointer(name)),
                            "the setup field",
                        )
                        .with_help(format!(
                            "rename the setup field: in an unsubscribe path, <<{name}>> is the id the subscribe call returned"
                        )),
                    );
                }
                (Some(p), Some(_)) => self.diagnostics.push(
                    Diagnostic::error(
                        Code::AmbiguousPlaceholder,
                        format!(
                            "`<<{name}>>` names both a setup field and a parameter of this method"
                        ),
                    )
                    .in_file(self.file, at)
                    .with_secondary(
                        self.spans
                            .value(&format!("{method_index}/parameters/{p}/name")),
                        "the parameter",
                    )
                    .with_help(
                        "rename the parameter so that each placeholder names exactly one thing",
                    ),
                ),
                (Some(p), None) if method.parameters[p].location != ParameterLocation::Path => {
                    self.diagnostics.push(
                        Diagnostic::error(
                            Code::ParameterPlacement,
                            format!("`<<{name}>>` is a query parameter but stands in the path"),
                        )
                        .in_file(self.file, at)
                        .with_secondary(
                            self.spans
                                .value(&format!("{method_index}/parameters/{p}/in")),
                            "declared here",
                        )
                        .with_help("declare it with `in: path`, or take it out of the path"),
                    )
                }
                (Some(_), None) => {}
                (None, Some(field)) => self.use_field(pointer, field, occurrence),
                (None, None) => {
                    let mut candidates: Vec<&str> =
                        method.parameters.iter().map(|p| p.name.as_str()).collect();
                    candidates.extend(self.definition.fields.iter().map(|f| f.name.as_str()));
                    self.unknown_placeholder(
                        pointer,
                        name,
                        occurrence,
                        &candidates,
                        "parameter or setup field",
                    );
                }
            }
        }
    }

    // --- methods ------------------------------------------------------------------------

    fn methods(&mut self) {
        let methods = &self.definition.methods;
        // A webhook is a method of its own in Cyclr, and its subscribe and unsubscribe calls
        // are methods of both targets: all their names share one namespace.
        let calls = crate::model::webhook_methods(self.definition);
        let webhook_names: Vec<(String, String)> = self
            .definition
            .webhooks
            .iter()
            .enumerate()
            .map(|(i, w)| (w.name.clone(), format!("/webhooks/{i}/name")))
            .chain(calls.iter().map(|(call, role)| {
                let (index, key) = match role {
                    MethodRole::Subscribe { webhook } => (webhook, "subscribe"),
                    MethodRole::Unsubscribe { webhook } => (webhook, "unsubscribe"),
                    MethodRole::Action => unreachable!("webhook calls only"),
                };
                (call.name.clone(), format!("/webhooks/{index}/{key}"))
            }))
            .collect();
        let names = || {
            methods
                .iter()
                .enumerate()
                .map(|(i, m)| (&m.name, format!("/methods/{i}/name")))
                .chain(webhook_names.iter().map(|(name, at)| (name, at.clone())))
        };
        self.unique_names(
            "method",
            named(names(), snake_ident),
            RESERVED_METHOD_IDENTS,
        );
        let types = named(names(), pascal_ident);
        // Body types are named in UpperCamelCase, which can merge names that snake_case keeps
        // apart (`Get 1` and `Get1`); report those, but not twice.
        let type_problems = self.name_problems("method", types, &[]);
        let reported: BTreeSet<(usize, usize)> = self
            .diagnostics
            .iter()
            .filter_map(|d| d.span.as_ref().map(|s| (s.start, s.end)))
            .collect();
        self.diagnostics
            .extend(type_problems.into_iter().filter(|d| {
                d.span
                    .as_ref()
                    .is_none_or(|s| !reported.contains(&(s.start, s.end)))
            }));
        // A paged method's connection also has `<name>_pages`, which no method may be.
        let mut by_ident: HashMap<String, usize> = HashMap::new();
        for (index, method) in methods.iter().enumerate() {
            if let Some(ident) = snake_ident(&method.name) {
                by_ident.entry(ident).or_insert(index);
            }
        }
        for (index, method) in methods.iter().enumerate() {
            let Some(name) = method.paging.as_ref().and(snake_ident(&method.name)) else {
                continue;
            };
            let pages = crate::model::rust::pages_fn(&name);
            if let Some(&other) = by_ident.get(&pages) {
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::IdentifierCollision,
                        format!(
                            "`{}` becomes `{pages}` in the Rust client, the name of the iterator over every page of `{}`",
                            methods[other].name, method.name
                        ),
                    )
                    .in_file(self.file, self.spans.value(&format!("/methods/{other}/name")))
                    .with_secondary(
                        self.spans.value(&format!("/methods/{index}/name")),
                        "the paged method",
                    )
                    .with_help("rename one of the two methods"),
                );
            }
        }
        for (index, method) in methods.iter().enumerate() {
            self.method(&format!("/methods/{index}"), method);
        }
        for (call, role) in &calls {
            let (index, key) = match role {
                MethodRole::Subscribe { webhook } => (webhook, "subscribe"),
                MethodRole::Unsubscribe { webhook } => (webhook, "unsubscribe"),
                MethodRole::Action => continue,
            };
            let base = format!("/webhooks/{index}/{key}");
            let placeholder = format!("<<{WEBHOOK_ID_PARAMETER}>>");
            if key == "unsubscribe" && !call.path.contains(&placeholder) {
                self.error(
                    Code::ParameterPlacement,
                    "the unsubscribe path does not say where the subscription's id goes",
                    self.spans.value(&format!("{base}/path")),
                    format!(
                        "write {placeholder} where the id goes, such as `webhooks/{placeholder}`"
                    ),
                );
                continue;
            }
            if key == "subscribe" && call.path.contains(&placeholder) {
                self.error(
                    Code::ParameterPlacement,
                    format!("{placeholder} stands for the id the subscribe call returns, so it cannot be in its own path"),
                    self.spans.value(&format!("{base}/path")),
                    "take it out; only the unsubscribe path holds the subscription's id",
                );
                continue;
            }
            self.method(&base, call);
        }
    }

    /// The checks of one call: a method at `base` (`/methods/3`), or a webhook's subscribe or
    /// unsubscribe call made into one.
    fn method(&mut self, base: &str, method: &Method) {
        let at = |key: &str| format!("{base}/{key}");
        let parameters = method
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (&p.name, at(&format!("parameters/{i}/name"))));
        // A parameter named like one of the generated method's own arguments or locals gets a
        // Rust name of its own (`model::rust::parameter_ident`), so only clashes between
        // parameters are errors.
        self.unique_names("parameter", named(parameters, snake_ident), &[]);
        for (i, parameter) in method.parameters.iter().enumerate() {
            let placeholder_name = parameter
                .name
                .starts_with(|c: char| c.is_ascii_alphabetic())
                && parameter.name.chars().all(|c| c.is_ascii_alphanumeric());
            if parameter.location == ParameterLocation::Path && !placeholder_name {
                self.error(
                    Code::InvalidValue,
                    format!("the path parameter `{}` cannot be a placeholder name", parameter.name),
                    self.spans.value(&at(&format!("parameters/{i}/name"))),
                    "a path parameter's name is its <<Name>> placeholder: a letter, then letters and digits",
                );
            }
            if parameter.location == ParameterLocation::Path && parameter.optional {
                self.error(
                    Code::ParameterPlacement,
                    format!("the path parameter `{}` is marked optional", parameter.name),
                    self.spans.key_or_value(&at(&format!("parameters/{i}/optional"))),
                    "a path cannot leave a segment out; remove `optional`, or make it a query parameter",
                );
            }
            if let Some(pattern) = &parameter.pattern
                && let Some(compiled) =
                    self.compile_pattern(&at(&format!("parameters/{i}/pattern")), pattern)
            {
                for (k, value) in parameter.values.iter().enumerate() {
                    if !compiled.is_match(value) {
                        self.error(
                            Code::InvalidFieldValue,
                            format!("the value `{value}` of `{}` does not match its pattern", parameter.name),
                            self.spans.value(&at(&format!("parameters/{i}/values/{k}"))),
                            "change the value or the pattern so that they agree: the client refuses a value that does not match",
                        );
                    }
                }
            }
        }

        let path = &method.path;
        if path.starts_with('/') {
            self.error(
                Code::InvalidValue,
                "a method path must not start with `/`",
                self.spans.value(&at("path")),
                format!(
                    "write `{}`: the path is joined to base_url with a `/`",
                    path.trim_start_matches('/')
                ),
            );
        }
        if path.contains(['?', '#']) {
            let webhook_call = base.ends_with("/subscribe") || base.ends_with("/unsubscribe");
            self.error(
                Code::InvalidUrl,
                "a method path cannot hold a query or fragment",
                self.spans.value(&at("path")),
                if webhook_call {
                    "a webhook's subscribe and unsubscribe calls take no query parameters: put the subscription's id in the path, `webhooks/<<WebhookId>>`"
                } else {
                    "declare query values as parameters with `in: query`"
                },
            );
        } else if let Some((message, help)) = url_text_problem(path, false) {
            self.error(
                Code::InvalidUrl,
                message,
                self.spans.value(&at("path")),
                help,
            );
        } else if let Some(template) = self.template(&at("path"), path) {
            self.resolve_placeholders(&at("path"), &template, Scope::Method(base, method));
            let contexts: Vec<UrlContext> =
                template.placeholders().map(|_| UrlContext::Path).collect();
            self.placements(&at("path"), &template, &contexts);
            let in_path: BTreeSet<&str> = template.placeholders().map(|(name, _)| name).collect();
            for (i, parameter) in method.parameters.iter().enumerate() {
                if parameter.location == ParameterLocation::Path
                    && !in_path.contains(parameter.name.as_str())
                {
                    self.diagnostics.push(
                        Diagnostic::error(
                            Code::ParameterPlacement,
                            format!(
                                "the path parameter `{}` does not appear in the path",
                                parameter.name
                            ),
                        )
                        .in_file(
                            self.file,
                            self.spans.value(&at(&format!("parameters/{i}/name"))),
                        )
                        .with_secondary(self.spans.value(&at("path")), "the path")
                        .with_help(format!(
                            "add `<<{}>>` to the path, or declare it `in: query`",
                            parameter.name
                        )),
                    );
                }
            }
            // A broken base URL was reported once already; joining paths to it says nothing new.
            let full = self.base_url_valid.then(|| {
                format!(
                    "{}/{}",
                    self.definition.base_url,
                    path.trim_start_matches('/')
                )
            });
            if let Some(Ok(template)) = full.as_deref().map(Template::parse) {
                let sample = sample_url(&template);
                if let Err(error) = url::Url::parse(&sample) {
                    self.error(
                        Code::InvalidUrl,
                        format!("base_url and this path do not make a valid URL: {error}"),
                        self.spans.value(&at("path")),
                        "check the path for spaces and other characters that need encoding",
                    );
                }
            }
        }

        let body_allowed = !matches!(method.http_method, HttpMethod::Get | HttpMethod::Delete);
        let body_paging = method
            .paging
            .as_ref()
            .is_some_and(|p| p.location == crate::definition::PagingLocation::Body);
        if !body_allowed && (method.request.is_some() || body_paging) {
            let key = if method.request.is_some() {
                "request"
            } else {
                "paging/in"
            };
            self.error(
                Code::InvalidValue,
                format!(
                    "a {} request carries no body, but this method declares `{key}`",
                    format!("{:?}", method.http_method).to_uppercase()
                ),
                self.spans.key_or_value(&at(key)),
                "use POST, PUT or PATCH for a method with a request body, or remove the body",
            );
        }
        if let Some(paging) = &method.paging
            && paging.page_size > paging.max_page_size
        {
            self.error(
                Code::InvalidPaging,
                format!(
                    "the page size {} is larger than the largest page size {}",
                    paging.page_size, paging.max_page_size
                ),
                self.spans.value(&at("paging/page_size")),
                "lower page_size, or raise max_page_size to what the API accepts",
            );
        }
    }

    // --- docs ---------------------------------------------------------------------------

    fn unused_fields(&mut self) {
        for (i, field) in self.definition.fields.iter().enumerate() {
            if !self.used_fields.contains(&field.name) {
                self.diagnostics.push(
                    Diagnostic::warning(Code::UnusedField, format!("the field `{}` is declared but nothing uses it", field.name))
                        .in_file(self.file, self.spans.value(&format!("/fields/{i}/name")))
                        .with_help(format!(
                            "use it as <<{}>> in a URL or an auth setting, or remove it; users will be asked for a value that does nothing",
                            field.name
                        )),
                );
            }
        }
    }
}

/// What is wrong with a URL or path as written, before any parsing: URL parsers drop tabs
/// and line breaks and resolve `..` and `\`, so a URL that parses may still hold text the
/// outputs would carry as written (a line break in a Cyclr endpoint is a header injection).
fn url_text_problem(text: &str, full_url: bool) -> Option<(String, &'static str)> {
    if let Some(c) = text
        .chars()
        .find(|&c| c.is_whitespace() || c.is_control() || is_invisible(c))
    {
        let what = match c {
            '\r' | '\n' => "a line break",
            '\t' => "a tab",
            ' ' => "a space",
            _ => "an invisible or control character",
        };
        return Some((
            format!("the URL holds {what} (U+{:04X})", u32::from(c)),
            "write URLs on one line of printable characters; encode a space in a path as %20",
        ));
    }
    if text.contains('\\') {
        return Some((
            "the URL holds a backslash".to_owned(),
            "separate path segments with `/`",
        ));
    }
    let bytes = text.as_bytes();
    let bad_escape = bytes.iter().enumerate().any(|(i, &b)| {
        b == b'%'
            && !(bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    });
    if bad_escape {
        return Some((
            "the URL holds a `%` that does not start an escape such as %20".to_owned(),
            "write a literal % as %25",
        ));
    }
    let path = if full_url {
        let rest = text.split_once("://").map_or(text, |(_, rest)| rest);
        rest.find('/').map_or("", |i| &rest[i..])
    } else {
        text
    };
    let path = path.split(['?', '#']).next().unwrap_or_default();
    if path
        .split('/')
        .any(|segment| segment == "." || segment == "..")
    {
        return Some((
            "the URL's path holds a `.` or `..` segment".to_owned(),
            "write the path as the API documents it, without `.` and `..` segments",
        ));
    }
    None
}

/// One DNS label: what a value in part of a host name must be.
fn is_dns_label(label: &str) -> bool {
    (1..=63).contains(&label.len())
        && label
            .bytes()
            .all(|b| b == b'-' || b.is_ascii_alphanumeric())
        && !label.starts_with('-')
        && !label.ends_with('-')
}

/// A DNS name: what a value that is a whole host name must be.
fn is_dns_name(name: &str) -> bool {
    name.len() <= 253 && name.split('.').all(is_dns_label)
}

/// A value that stays one path segment however it is substituted (Cyclr puts merge fields
/// into endpoints as they are).
fn is_path_segment(value: &str) -> bool {
    !value.is_empty()
        && value != "."
        && value != ".."
        && !value.contains(['/', '?', '#', '\\', '%'])
        && !value.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// A URL template filled with sample values: a whole address where it starts the URL,
/// `sample` elsewhere.
fn sample_url(template: &Template) -> String {
    let origin = template
        .url_contexts()
        .ok()
        .and_then(|c| c.first().copied())
        == Some(UrlContext::Origin);
    let mut first = origin;
    template.fill(|_| {
        if std::mem::take(&mut first) {
            "https://sample.example".to_owned()
        } else {
            "sample".to_owned()
        }
    })
}

/// What is wrong with a URL template whose placeholders all stand in the host or path.
///
/// The URL parser forgives what the generated client must not (`https:example.com`,
/// `https://{x}.com`), so the form `https://host[:port]/path` is insisted on first.
fn url_problem(url: &str, template: &Template) -> Option<(String, &'static str)> {
    const HTTPS: &str = "use https://: the connector sends credentials and tokens, which must never travel in clear text";
    const FORM: &str = "write https://, a host name of letters, digits, dots and hyphens (with an optional :port), then the path";
    if url.starts_with("http://") {
        return Some((format!("`{url}` uses http, not https"), HTTPS));
    }
    let sample = sample_url(template);
    let Some(rest) = sample.strip_prefix("https://") else {
        return Some((
            format!("`{url}` is not of the form https://host/path"),
            FORM,
        ));
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.contains('@') {
        return Some((
            "the URL holds a user name or password".to_owned(),
            "remove the user info; credentials belong in setup fields and auth",
        ));
    }
    let host_chars = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':');
    if host.is_empty() || !host.chars().all(host_chars) {
        return Some((
            format!("`{url}` is not of the form https://host/path"),
            FORM,
        ));
    }
    url::Url::parse(&sample).err().map(|error| {
        (
            format!("`{url}` is not a valid URL once its placeholders are filled in: {error}"),
            "write a full https URL; placeholders may stand in the host name or the path",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::RESERVED_METHOD_IDENTS;

    /// The functions of the inherent impls of `type_name` in `source`, by name.
    fn inherent_fns<'s>(source: &'s str, type_name: &str) -> Vec<&'s str> {
        let mut names = Vec::new();
        let mut inside = false;
        for line in source.lines() {
            if line.starts_with("impl") {
                inside = !line.contains(" for ") && line.contains(type_name);
            } else if line.starts_with('}') {
                inside = false;
            } else if inside {
                let item = line.trim_start();
                let item = item.strip_prefix("pub ").unwrap_or(item);
                if let Some(rest) = item.strip_prefix("fn ") {
                    let end = rest.find(['(', '<']).unwrap_or(rest.len());
                    names.push(&rest[..end]);
                }
            }
        }
        names
    }

    /// A generated method named like a function of `Client` or of the runtime's `Connection`
    /// would define it twice; validation refuses those names, every one of them.
    #[test]
    fn reserved_method_names_cover_the_client_and_the_connection() {
        let runtime = crate::render::RUNTIME_SOURCE;
        let client = include_str!("../../templates/client/client.rs.j2");
        let connection = inherent_fns(runtime, "Connection<C, T>");
        let client = inherent_fns(client, "Client");
        assert!(connection.contains(&"pages") && client.contains(&"base_url"));
        for name in connection.into_iter().chain(client) {
            assert!(
                RESERVED_METHOD_IDENTS.contains(&name),
                "`{name}` is missing from RESERVED_METHOD_IDENTS"
            );
        }
    }
}
