//! What only the Rust client needs: its identifiers, each method's arguments, the compiled
//! pattern tables, and the usage example of the generated crate. All of it is data; the
//! renderer (`render::rust`) turns it into code.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{
    AuthModel, BodyModel, FieldModel, Flow, MethodModel, PagingModel, ParameterModel, ShapeModel,
    ValueCheck,
};
use crate::definition::{Definition, Method};
use crate::naming::{pascal_ident, snake_ident};
use crate::pattern::CompiledPattern;

/// The name of the runtime module written next to the generated clients (`rust/runtime.rs`,
/// `src/runtime.rs` in a crate); no connector may have it as its module name.
pub const RUNTIME_MODULE: &str = "runtime";

/// The Rust client of one connector.
#[derive(Debug, Clone, Serialize)]
pub struct RustConnector {
    /// The module name, which also names `rust/<module>.rs`: the id with `-` as `_`.
    pub module: String,
    /// The crate's package name, `<id>-client`.
    pub crate_name: String,
    /// The crate's library name, `<id>_client`.
    pub lib: String,
    /// The validation patterns the client checks, each once.
    pub patterns: Vec<PatternModel>,
    /// The usage example of the crate's README (a doc test).
    pub example: Example,
}

/// The README's example: a function that calls the connector's first method.
#[derive(Debug, Clone, Serialize)]
pub struct Example {
    /// What it imports from the crate, sorted.
    pub imports: Vec<String>,
    /// The method it calls.
    pub method: MethodRef,
    /// Whether the connection starts from a token the user obtained (authorisation code).
    pub with_token: bool,
}

/// A method as the example calls it.
#[derive(Debug, Clone, Serialize)]
pub struct MethodRef {
    /// The method's name.
    pub name: String,
    /// The `Connection` method.
    pub fn_name: String,
    /// Its arguments.
    pub args: Vec<RustArg>,
}

/// The Rust side of one API method.
#[derive(Debug, Clone, Serialize)]
pub struct RustMethod {
    /// The function name, on `Client` and on `Connection`.
    pub fn_name: String,
    /// The request body's struct, if the method has body fields.
    pub body_type: Option<String>,
    /// The `Client` method's arguments after `&self`.
    pub args: Vec<RustArg>,
    /// The `Connection` method's arguments after `&mut self`: the client's, less the token
    /// (the connection obtains it).
    pub connection_args: Vec<RustArg>,
}

/// One argument of a generated method.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RustArg {
    /// The argument's name.
    pub name: String,
    /// What it is.
    pub kind: ArgKind,
}

/// The kinds of argument a generated method takes. Externally tagged (`"text"`,
/// `{"page": {...}}`): only the renderer's filters read it, and they read it fastest so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArgKind {
    /// The OAuth2 access token.
    Token,
    /// A required parameter's value.
    Text,
    /// An optional parameter's value.
    OptionalText,
    /// The page to list.
    Page {
        /// The first page's index.
        first_page: u32,
        /// A good page size.
        page_size: u32,
    },
    /// The request body.
    Body {
        /// The body's struct.
        type_name: String,
    },
}

/// A compiled pattern, as the data of a `runtime::Pattern` constant.
#[derive(Debug, Clone, Serialize)]
pub struct PatternModel {
    /// The pattern as written.
    pub source: String,
    /// The constant's name.
    pub rust_const: String,
    /// Which bytes are of which class, sorted; other bytes are of class 0.
    pub classes: Vec<ByteRange>,
    /// For each state, the next state for each class.
    pub next: Vec<Vec<u8>>,
    /// For each state, whether it accepts at the end of the value.
    pub accept: Vec<bool>,
}

/// The bytes `first..=last`, all of class `class`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ByteRange {
    /// The first byte.
    pub first: u8,
    /// The last byte.
    pub last: u8,
    /// Their class.
    pub class: u8,
}

/// The `snake_case` Rust identifier of a name validation accepted.
pub fn snake(name: &str) -> String {
    snake_ident(name).expect("validation refused names without an identifier")
}

/// The names the generated methods give their own arguments and locals (`token`, `url`...).
/// A method parameter whose identifier would be one of them gets a trailing `_`, as Rust
/// keywords do (`type_`): identifiers made from names never end in `_` otherwise, so a
/// parameter can never take the place of the generator's own names, whatever the vendor
/// calls it. `render::rust` and `templates/client/` use exactly these; a test checks that.
pub const METHOD_SCOPE_NAMES: &[&str] = &[
    "token", "page", "body", "url", "query", "json", "object", "auth", "request",
];

/// The Rust identifier of a method parameter: its `snake_case` name, kept apart from the
/// generated method's own names.
pub fn parameter_ident(name: &str) -> String {
    let mut ident = snake(name);
    if METHOD_SCOPE_NAMES.contains(&ident.as_str()) {
        ident.push('_');
    }
    ident
}

/// The module name of connector `id`.
pub fn module_name(id: &str) -> String {
    id.replace('-', "_")
}

impl RustConnector {
    /// The Rust client of a connector, once the shared model is built.
    pub fn new(
        definition: &Definition,
        fields: &[FieldModel],
        methods: &[MethodModel],
        _shapes: &[ShapeModel],
        auth: &AuthModel,
        patterns: PatternTable<'_>,
    ) -> Self {
        let module = module_name(&definition.id);
        RustConnector {
            crate_name: format!("{}-client", definition.id),
            lib: format!("{module}_client"),
            module,
            patterns: patterns.models,
            example: example(fields, methods, auth),
        }
    }
}

fn example(fields: &[FieldModel], methods: &[MethodModel], auth: &AuthModel) -> Example {
    let method = &methods[0];
    let mut imports = vec!["Client", "Config", "Connection", "Transport"];
    if fields.iter().any(|f| f.secret) {
        imports.push("Secret");
    }
    let with_token = matches!(auth, AuthModel::Oauth2(o) if o.flow == Flow::AuthorizationCode);
    if with_token {
        imports.push("AccessToken");
    }
    for arg in &method.rust.connection_args {
        match &arg.kind {
            ArgKind::Page { .. } => imports.push("Page"),
            ArgKind::Body { type_name } => imports.push(type_name),
            ArgKind::Token | ArgKind::Text | ArgKind::OptionalText => {}
        }
    }
    imports.sort_unstable();
    Example {
        imports: imports.into_iter().map(str::to_owned).collect(),
        method: MethodRef {
            name: method.name.clone(),
            fn_name: method.rust.fn_name.clone(),
            args: method.rust.connection_args.clone(),
        },
        with_token,
    }
}

impl RustMethod {
    /// The Rust side of `method`, whose parameters and body fields are modelled already.
    pub fn new(
        method: &Method,
        auth: &AuthModel,
        parameters: &[ParameterModel],
        request: Option<&BodyModel>,
        paging: Option<&PagingModel>,
    ) -> Self {
        let body_type = request.is_some().then(|| {
            let name = pascal_ident(&method.name).expect("validation checked method names");
            format!("{name}Body")
        });
        let arg = |name: &str, kind| RustArg {
            name: name.to_owned(),
            kind,
        };
        let mut args = Vec::new();
        if matches!(auth, AuthModel::Oauth2(_)) {
            args.push(arg("token", ArgKind::Token));
        }
        for parameter in parameters {
            let kind = if parameter.optional {
                ArgKind::OptionalText
            } else {
                ArgKind::Text
            };
            args.push(arg(&parameter.rust_name, kind));
        }
        if let Some(paging) = paging {
            let kind = ArgKind::Page {
                first_page: paging.first_page,
                page_size: paging.page_size,
            };
            args.push(arg("page", kind));
        }
        if let Some(type_name) = &body_type {
            let kind = ArgKind::Body {
                type_name: type_name.clone(),
            };
            args.push(arg("body", kind));
        }
        let connection_args = args
            .iter()
            .filter(|a| a.kind != ArgKind::Token)
            .cloned()
            .collect();
        RustMethod {
            fn_name: snake(&method.name),
            body_type,
            args,
            connection_args,
        }
    }
}

/// The patterns of one connector, numbered in order of first use.
pub struct PatternTable<'a> {
    compiled: &'a BTreeMap<String, CompiledPattern>,
    models: Vec<PatternModel>,
}

impl<'a> PatternTable<'a> {
    /// A table over the patterns validation compiled.
    pub fn new(compiled: &'a BTreeMap<String, CompiledPattern>) -> Self {
        PatternTable {
            compiled,
            models: Vec::new(),
        }
    }

    /// The check of `source`: `PATTERN_1`, `PATTERN_2`... in order of first use. Numbered,
    /// not named after the field, so that every use of it fits on one line.
    pub fn check(&mut self, source: &str) -> ValueCheck {
        let rust_const = match self.models.iter().find(|m| m.source == source) {
            Some(model) => model.rust_const.clone(),
            None => {
                let rust_const = format!("PATTERN_{}", self.models.len() + 1);
                self.models
                    .push(pattern_model(self.compiled, source, &rust_const));
                rust_const
            }
        };
        ValueCheck::Pattern {
            source: source.to_owned(),
            rust_const,
        }
    }
}

fn pattern_model(
    compiled: &BTreeMap<String, CompiledPattern>,
    source: &str,
    rust_const: &str,
) -> PatternModel {
    let compiled = compiled.get(source).cloned().unwrap_or_else(|| {
        CompiledPattern::compile(source).expect("validation compiled every pattern")
    });
    let mut classes: Vec<ByteRange> = compiled
        .classes
        .iter()
        .enumerate()
        .skip(1)
        .flat_map(|(class, ranges)| {
            let class = u8::try_from(class).expect("at most 256 byte classes");
            ranges
                .iter()
                .map(move |&(first, last)| ByteRange { first, last, class })
        })
        .collect();
    classes.sort_by_key(|range| range.first);
    PatternModel {
        source: source.to_owned(),
        rust_const: rust_const.to_owned(),
        classes,
        next: compiled.transitions,
        accept: compiled.accepting,
    }
}
