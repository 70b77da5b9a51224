//! Operations to methods: names, categories, path and query parameters, JSON request bodies,
//! the success response (a list when it is one), and fields as definition nodes.

use super::paging::detect_paging;
use super::*;

/// One method before its name is final.
pub(super) struct MethodDraft {
    pub(super) name: String,
    pub(super) reviews: Vec<Review>,
    pub(super) description: String,
    pub(super) description_review: Option<Review>,
    pub(super) category: String,
    pub(super) verb: Verb,
    pub(super) path: String,
    pub(super) parameters: Vec<Node>,
    pub(super) request: Option<Node>,
    pub(super) response: Option<Node>,
    pub(super) paging: Option<(Node, Review)>,
    pub(super) loc: Loc,
    /// The operation's path as the document writes it.
    pub(super) op_path: String,
}

pub(super) fn method_node(method: &MethodDraft) -> Node {
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

/// The envelope's one list of objects, and its other fields.
pub(super) fn single_list(fields: &[Field]) -> Option<(Field, Vec<Field>)> {
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

/// The object a path parameter belongs to: `Project` for `{id}` in `/projects/{id}`.
pub(super) fn segment_before(path: &str, param: &str) -> Option<String> {
    let template = format!("{{{param}}}");
    let segments: Vec<&str> = path.split('/').collect();
    let at = segments.iter().position(|s| *s == template)?;
    let before = segments[..at]
        .iter()
        .rev()
        .find(|s| !s.is_empty() && !s.contains('{') && !is_version(s))?;
    names::pascal(&names::singular(&names::words(before).join(" ")), 28)
}

/// `v1`, `v2.1`, `api`: path segments that name no object.
pub(super) fn is_version(segment: &str) -> bool {
    let lower = segment.to_ascii_lowercase();
    lower == "api"
        || lower.strip_prefix('v').is_some_and(|rest| {
            !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit() || c == '.')
        })
}

/// The key two names share when they make the same Rust identifier.
pub(super) fn ident_key(name: &str) -> String {
    crate::naming::snake_ident(name).unwrap_or_else(|| name.to_ascii_lowercase())
}

pub(super) fn valid_json_key(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '_' | '$' | '@'))
        && key.len() <= 64
        && chars.all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '$' | '@' | '[' | ']' | '-')
        })
}

/// Enum values as a parameter's text values: one line each, listed once.
pub(super) fn text_values(values: &[Value]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut seen = BTreeSet::new();
    for value in values {
        let Some(text) = openapi::scalar_text(value) else {
            continue;
        };
        // A value must be one line of text a definition can hold as written (no spaces at
        // its ends, no `{{` merge field, no `<<` placeholder, no control or noncharacter).
        if text.is_empty()
            || text.trim() != text
            || text.contains("{{")
            || text.contains("<<")
            || text
                .chars()
                .any(|c| c.is_control() || matches!(c, '\u{fffe}' | '\u{ffff}'))
            || !seen.insert(text.clone())
        {
            continue;
        }
        out.push(text);
    }
    out
}

/// Enum values as a field's values of its type, written as YAML.
pub(super) fn typed_values(scalar: Scalar, values: &[Value]) -> Vec<String> {
    match scalar {
        Scalar::Text => text_values(values)
            .iter()
            .map(|v| yaml::flow_scalar(v))
            .collect(),
        Scalar::Integer => {
            let mut seen = BTreeSet::new();
            values
                .iter()
                .filter_map(Value::as_i64)
                .filter(|n| seen.insert(*n))
                .map(|n| n.to_string())
                .collect()
        }
        Scalar::Decimal | Scalar::Float => {
            let mut out: Vec<String> = Vec::new();
            let mut seen = BTreeSet::new();
            for n in values.iter().filter_map(Value::as_f64) {
                let text = serde_json::Number::from_f64(n)
                    .map(|n| n.to_string())
                    .unwrap_or_default();
                if !text.is_empty() && seen.insert(n.to_bits()) {
                    out.push(text);
                }
            }
            out
        }
        _ => Vec::new(),
    }
}

impl<'a> Importer<'a> {
    /// Every operation as a method, or a warning saying why it is not one.
    pub(super) fn methods(&mut self) -> Vec<MethodDraft> {
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

    pub(super) fn method(&mut self, op: &Operation<'a>) -> Result<MethodDraft, String> {
        let verb = match op.verb {
            Verb::Get | Verb::Post | Verb::Put | Verb::Patch | Verb::Delete => op.verb,
            other => {
                return Err(format!(
                    "{} requests are not methods a definition can hold",
                    other.upper()
                ));
            }
        };
        if let (Some(base), Some(server)) = (&self.base_server, &op.server)
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
                        self.leave_out(&param.loc, what, "the path has no `{...}` of that name");
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
                        self.leave_out(
                            &param.loc,
                            what,
                            "the operation lists it twice; the first is imported",
                        );
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
                        ParamKind::Scalar(Scalar::Boolean, allowed) => {
                            // `true` and `false`, or the one the document allows.
                            let values: Vec<String> = if allowed.is_empty() {
                                vec!["\"true\"".into(), "\"false\"".into()]
                            } else {
                                text_values(&allowed)
                                    .iter()
                                    .map(|v| yaml::flow_scalar(v))
                                    .collect()
                            };
                            map.put("values", Node::Flow(values));
                        }
                        ParamKind::Scalar(Scalar::Integer, values) if values.is_empty() => {
                            map.text("pattern", "-?[0-9]+");
                        }
                        ParamKind::Scalar(_, all) => {
                            let values = text_values(&all);
                            if !values.is_empty() {
                                map.put(
                                    "values",
                                    Node::Flow(
                                        values.iter().map(|v| yaml::flow_scalar(v)).collect(),
                                    ),
                                );
                            }
                            if values.len() < all.len() {
                                let listed: Vec<String> =
                                    all.iter().map(Value::to_string).collect();
                                map.review(Some(review(ReviewKind::Looser, format!("the document allows {}; values that are empty, repeated, spaced at their ends or holding `{{{{` or `<<` are not listed", listed.join(", ")))));
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
        // A body with no fields at all (Stripe's GETs and DELETEs declare an empty form)
        // carries nothing to leave out.
        let body = op.body.as_ref().filter(|body| !self.empty_body(body));
        if let Some(body) = body {
            if verb != Verb::Get {
                match &body.encoding {
                    Encoding::Json => {}
                    Encoding::Form => return Err("its request body is a form (application/x-www-form-urlencoded); a definition's methods send JSON bodies".to_owned()),
                    Encoding::Other(media) => return Err(format!("its request body is {media}; a definition's methods send JSON bodies")),
                }
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

    /// Whether a request body declares nothing: no schema, or an object schema without
    /// properties, parts or extra keys.
    fn empty_body(&self, body: &openapi::Body) -> bool {
        if !body.form_params.is_empty() {
            return false;
        }
        let Some(schema_loc) = &body.schema else {
            return true;
        };
        let Some(schema) = self.docs.get(schema_loc) else {
            return false;
        };
        match self.docs.resolve(schema_loc, schema) {
            Ok((_, Value::Object(map))) => map.keys().all(|k| {
                matches!(k.as_str(), "type" | "description" | "title" | "required")
                    || (k == "properties" && map[k].as_object().is_some_and(|p| p.is_empty()))
            }),
            _ => false,
        }
    }

    /// `description:` of a parameter, TODO and a review note when the document has none.
    pub(super) fn describe(
        &self,
        map: &mut MapBuilder,
        description: Option<&str>,
        display: &str,
        what: &str,
    ) {
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
    pub(super) fn response(
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

    pub(super) fn list_response(&self, items: Field, rest: Vec<Field>) -> (Node, bool, Vec<Field>) {
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
    pub(super) fn field_nodes(
        &self,
        fields: &[Field],
        request: bool,
        taken: BTreeSet<String>,
    ) -> Node {
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
                if values.len() < field.values.len() {
                    let left: Vec<String> = field.values.iter().map(|v| v.to_string()).collect();
                    map.review(Some(review(ReviewKind::Looser, format!("the document allows {}; values of booleans and dates, and values that are empty, repeated, of another type or holding `{{{{` or `<<`, are not listed", left.join(", ")))));
                }
            }
            nodes.push(map.build());
        }
        Node::Seq(nodes)
    }

    /// The shapes methods use, as `types:`.
    pub(super) fn types(&self, used: &BTreeSet<String>) -> Node {
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
}
