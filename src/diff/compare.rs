//! The rules applied: two checked definitions compared part by part, each difference in
//! meaning recorded as a [`Change`] with a [`Rule`] and the place of the thing in each file.
//!
//! Every struct of the format is taken apart with a pattern that names each of its members,
//! so that a key added to `definition.rs` does not compile until it is compared here.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::flat::{self, Direction, Flat};
use super::rules::Rule;
use super::{Change, Place, Version};
use crate::definition::{
    Auth, DataType, Definition, Field, Header, Method, Parameter, ResponseDef, Webhook,
};
use crate::fieldpath;

/// Compares two versions of one connector; `net` adds what the rules do not cover.
pub(super) struct Comparer<'a> {
    pub old: &'a Version,
    pub new: &'a Version,
    pub changes: Vec<Change>,
    /// Parts examined and found to mean the same (old pointer, new pointer), so that the
    /// net does not report them.
    pub accepted: Vec<(String, String)>,
}

/// A value quoted for a message: text as it is, anything else as JSON.
fn quote(value: &Value) -> String {
    match value {
        Value::String(text) => format!("`{text}`"),
        other => format!("`{other}`"),
    }
}

fn quote_all<'v>(values: impl IntoIterator<Item = &'v Value>) -> String {
    values.into_iter().map(quote).collect::<Vec<_>>().join(", ")
}

/// A list of texts quoted for a message.
fn quote_texts<'t>(texts: impl IntoIterator<Item = &'t String>) -> String {
    texts
        .into_iter()
        .map(|t| format!("`{t}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl<'a> Comparer<'a> {
    pub fn new(old: &'a Version, new: &'a Version) -> Self {
        Comparer {
            old,
            new,
            changes: Vec::new(),
            accepted: Vec::new(),
        }
    }

    /// The place of `pointer` in the old version: the node itself where it exists.
    fn old_place(&self, pointer: &str) -> Place {
        self.old.place(pointer)
    }

    fn new_place(&self, pointer: &str) -> Place {
        self.new.place(pointer)
    }

    /// Records a change at `old` in the old version and `new` in the new one.
    fn push(&mut self, rule: Rule, message: String, old: &str, new: &str) {
        let (old, new) = (self.old_place(old), self.new_place(new));
        self.changes.push(Change::new(rule, message, old, new));
    }

    /// Records a change to something that exists in the old version only; `new` is where it
    /// would be in the new one.
    fn push_removed(&mut self, rule: Rule, message: String, old: &str, new: &str) {
        let change = Change::new(
            rule,
            message,
            Place::At(old.to_owned()),
            Place::Near(new.to_owned()),
        );
        self.changes.push(change);
    }

    fn push_added(&mut self, rule: Rule, message: String, old: &str, new: &str) {
        let change = Change::new(
            rule,
            message,
            Place::Near(old.to_owned()),
            Place::At(new.to_owned()),
        );
        self.changes.push(change);
    }

    /// Records `rule` when `a` and `b` differ.
    fn differ<T: PartialEq + ?Sized>(
        &mut self,
        rule: Rule,
        (a, b): (&T, &T),
        (old, new): (&str, &str),
        message: impl FnOnce() -> String,
    ) {
        if a != b {
            self.push(rule, message(), old, new);
        }
    }

    fn accept(&mut self, old: &str, new: &str) {
        self.accepted.push((old.to_owned(), new.to_owned()));
    }

    /// Whether the JSON at `old` and `new` means the same (defaults as written or left out).
    fn same_json(&self, old: &str, new: &str) -> bool {
        super::net::same(
            self.old.document.value.pointer(old),
            self.new.document.value.pointer(new),
            old,
        )
    }

    /// Records `rule` when the JSON at the two pointers differs in meaning, accounting for the
    /// whole subtree.
    fn differ_json(&mut self, rule: Rule, old: &str, new: &str, message: impl FnOnce() -> String) {
        if !self.same_json(old, new) {
            let mut change = Change::new(rule, message(), self.old_place(old), self.new_place(new));
            change.covers = (Some(old.to_owned()), Some(new.to_owned()));
            self.changes.push(change);
        }
    }

    // --- the connector ---------------------------------------------------------------------

    pub fn connector(&mut self) {
        let (old, new) = (&self.old.definition, &self.new.definition);
        let Definition {
            id,
            name,
            description,
            api_version,
            docs: _,             // compared by the net: every difference is docs-changed
            auth: _,             // with alternative_auth, in `sign_ins`
            alternative_auth: _, // in `sign_ins`
            fields,
            base_url,
            methods,
            types: _, // seen through the methods and webhooks that use them; the rest by the net
            webhooks,
            headers,
            rate_limit,
            connection_check,
        } = old;
        self.differ(
            Rule::ConnectorIdChanged,
            (id, &new.id),
            ("/id", "/id"),
            || format!("the connector's id changed from `{id}` to `{}`", new.id),
        );
        self.differ(
            Rule::ConnectorNameChanged,
            (name, &new.name),
            ("/name", "/name"),
            || {
                format!(
                    "the connector's name changed from `{name}` to `{}`",
                    new.name
                )
            },
        );
        self.differ(
            Rule::DescriptionChanged,
            (description, &new.description),
            ("/description", "/description"),
            || "the connector's description changed".to_owned(),
        );
        self.differ(
            Rule::ApiVersionChanged,
            (api_version, &new.api_version),
            ("/api_version", "/api_version"),
            || "`api_version` changed".to_owned(),
        );
        self.differ(
            Rule::BaseUrlChanged,
            (base_url, &new.base_url),
            ("/base_url", "/base_url"),
            || format!("`base_url` changed from `{base_url}` to `{}`", new.base_url),
        );
        self.differ(
            Rule::RateLimitChanged,
            (rate_limit, &new.rate_limit),
            ("/rate_limit", "/rate_limit"),
            || "the connector's rate limit changed".to_owned(),
        );
        self.differ(
            Rule::ConnectionCheckChanged,
            (connection_check, &new.connection_check),
            ("/connection_check", "/connection_check"),
            || "`connection_check` changed".to_owned(),
        );
        self.sign_ins();
        self.setup_values(fields, &new.fields);
        self.headers(
            "/headers",
            "/headers",
            headers,
            &new.headers,
            "every request",
        );
        self.methods(methods, &new.methods);
        self.webhooks(webhooks, &new.webhooks);
    }

    // --- sign-ins --------------------------------------------------------------------------

    fn sign_ins(&mut self) {
        let old = self.old.definition.sign_ins();
        let new = self.new.definition.sign_ins();
        for (i, (old_pointer, old_auth)) in old.iter().enumerate() {
            let what = if i == 0 {
                "the default sign-in".to_owned()
            } else {
                format!("sign-in {} (`alternative_auth[{}]`)", i + 1, i - 1)
            };
            match new.get(i) {
                Some((new_pointer, new_auth)) => {
                    self.sign_in(&what, (old_pointer, old_auth), (new_pointer, new_auth));
                }
                None => self.push_removed(
                    Rule::SignInRemoved,
                    format!("{what} was removed"),
                    old_pointer,
                    "/alternative_auth",
                ),
            }
        }
        for (i, (pointer, _)) in new.iter().enumerate().skip(old.len()) {
            self.push_added(
                Rule::SignInAdded,
                format!(
                    "sign-in {} (`alternative_auth[{}]`) was added",
                    i + 1,
                    i - 1
                ),
                "/alternative_auth",
                pointer,
            );
        }
    }

    fn sign_in(&mut self, what: &str, (op, old): (&str, &Auth), (np, new): (&str, &Auth)) {
        let at = |key: &str| (format!("{op}/{key}"), format!("{np}/{key}"));
        if old.kind != new.kind {
            // Everything else about the sign-in changes with its type.
            let (o, n) = at("type");
            let mut change = Change::new(
                Rule::AuthTypeChanged,
                format!(
                    "the type of {what} changed from `{}` to `{}`",
                    old.kind.name(),
                    new.kind.name()
                ),
                self.old_place(&o),
                self.new_place(&n),
            );
            change.covers = (Some(op.to_owned()), Some(np.to_owned()));
            self.changes.push(change);
            return;
        }
        let Auth {
            kind: _,
            name,
            description,
            flow: _, // above
            authorize_url,
            token_url,
            scopes,
            client_auth,
            client_id,
            client_secret,
            username,
            password,
            api_key,
            api_key_header,
            api_key_prefix,
            api_key_query,
            token_params,
            authorize_params,
        } = old;
        if old.flow != new.flow {
            // The settings a grant needs change with it.
            let name = |f: Option<crate::definition::OAuth2Flow>| f.map_or("none", |f| f.name());
            let (o, n) = at("flow");
            let mut change = Change::new(
                Rule::AuthFlowChanged,
                format!(
                    "the OAuth2 flow of {what} changed from `{}` to `{}`",
                    name(old.flow),
                    name(new.flow)
                ),
                self.old_place(&o),
                self.new_place(&n),
            );
            change.covers = (Some(op.to_owned()), Some(np.to_owned()));
            self.changes.push(change);
            return;
        }
        let (o, n) = at("token_url");
        self.differ(
            Rule::AuthTokenUrlChanged,
            (token_url, &new.token_url),
            (&o, &n),
            || format!("the token URL of {what} changed"),
        );
        let (o, n) = at("authorize_url");
        self.differ(
            Rule::AuthAuthorizeUrlChanged,
            (authorize_url, &new.authorize_url),
            (&o, &n),
            || format!("the authorise URL of {what} changed"),
        );
        let (o, n) = at("scopes");
        if scopes != &new.scopes {
            let before: BTreeSet<&String> = scopes.iter().flatten().collect();
            let after: BTreeSet<&String> = new.scopes.iter().flatten().collect();
            let mut parts = Vec::new();
            let removed: Vec<&String> = before.difference(&after).copied().collect();
            let added: Vec<&String> = after.difference(&before).copied().collect();
            if !removed.is_empty() {
                parts.push(format!("removed {}", quote_texts(removed)));
            }
            if !added.is_empty() {
                parts.push(format!("added {}", quote_texts(added)));
            }
            if parts.is_empty() {
                parts.push("reordered".to_owned());
            }
            self.push(
                Rule::AuthScopesChanged,
                format!("the scopes of {what} changed: {}", parts.join("; ")),
                &o,
                &n,
            );
        }
        let (o, n) = at("name");
        self.differ(
            Rule::DisplayNameChanged,
            (name, &new.name),
            (&o, &n),
            || format!("the name of {what} changed"),
        );
        let (o, n) = at("description");
        self.differ(
            Rule::DescriptionChanged,
            (description, &new.description),
            (&o, &n),
            || format!("the description of {what} changed"),
        );
        let (o, n) = at("client_auth");
        self.differ(
            Rule::AuthSettingChanged,
            (
                &client_auth.unwrap_or_default(),
                &new.client_auth.unwrap_or_default(),
            ),
            (&o, &n),
            || format!("`client_auth` of {what} changed"),
        );
        let texts = [
            ("client_id", client_id, &new.client_id),
            ("client_secret", client_secret, &new.client_secret),
            ("username", username, &new.username),
            ("password", password, &new.password),
            ("api_key", api_key, &new.api_key),
            ("api_key_header", api_key_header, &new.api_key_header),
            ("api_key_prefix", api_key_prefix, &new.api_key_prefix),
            ("api_key_query", api_key_query, &new.api_key_query),
        ];
        for (key, a, b) in texts {
            let (o, n) = at(key);
            self.differ(Rule::AuthSettingChanged, (a, b), (&o, &n), || {
                format!("`{key}` of {what} changed")
            });
        }
        for (key, a, b) in [
            ("token_params", token_params, &new.token_params),
            ("authorize_params", authorize_params, &new.authorize_params),
        ] {
            let (o, n) = at(key);
            let empty = BTreeMap::new();
            let (a, b) = (a.as_ref().unwrap_or(&empty), b.as_ref().unwrap_or(&empty));
            self.differ(Rule::AuthSettingChanged, (a, b), (&o, &n), || {
                format!("`{key}` of {what} changed")
            });
        }
    }

    // --- setup values ----------------------------------------------------------------------

    fn setup_values(&mut self, old: &[Field], new: &[Field]) {
        let pairs = match_by(old, new, |f| f.name.as_str());
        for (i, j) in pairs.iter().copied() {
            match (i, j) {
                (Some(i), Some(j)) => self.setup_value(i, &old[i], j, &new[j]),
                (Some(i), None) => self.push_removed(
                    Rule::SetupValueRemoved,
                    format!("setup value `{}` was removed", old[i].name),
                    &format!("/fields/{i}"),
                    "/fields",
                ),
                (None, Some(j)) => {
                    let field = &new[j];
                    let rule = if field.optional || field.default.is_some() {
                        Rule::SetupValueAddedWithDefault
                    } else {
                        Rule::SetupValueAddedWithoutDefault
                    };
                    let how = if field.optional {
                        "optional"
                    } else if field.default.is_some() {
                        "required, with a default"
                    } else {
                        "required, without a default"
                    };
                    self.push_added(
                        rule,
                        format!("setup value `{}` was added ({how})", field.name),
                        "/fields",
                        &format!("/fields/{j}"),
                    );
                }
                (None, None) => {}
            }
        }
        self.order(&pairs, "/fields", "/fields", "setup values");
    }

    fn setup_value(&mut self, i: usize, old: &Field, j: usize, new: &Field) {
        let (op, np) = (format!("/fields/{i}"), format!("/fields/{j}"));
        let at = |key: &str| (format!("{op}/{key}"), format!("{np}/{key}"));
        let Field {
            name,
            display_name,
            description,
            secret,
            set_by,
            optional,
            pattern,
            default,
            kind,
            values,
            example,
        } = old;
        let what = format!("setup value `{name}`");
        let (o, n) = at("display_name");
        self.differ(
            Rule::DisplayNameChanged,
            (display_name, &new.display_name),
            (&o, &n),
            || format!("the display name of {what} changed"),
        );
        let (o, n) = at("description");
        self.differ(
            Rule::DescriptionChanged,
            (description, &new.description),
            (&o, &n),
            || format!("the description of {what} changed"),
        );
        let (o, n) = at("secret");
        self.differ(
            Rule::SetupValueSecretChanged,
            (secret, &new.secret),
            (&o, &n),
            || {
                format!(
                    "{what} is {} secret",
                    if new.secret { "now" } else { "no longer" }
                )
            },
        );
        let (o, n) = at("set_by");
        self.differ(
            Rule::SetupValueLevelChanged,
            (set_by, &new.set_by),
            (&o, &n),
            || format!("who enters {what} (`set_by`) changed"),
        );
        let (o, n) = at("optional");
        if optional != &new.optional {
            let rule = if new.optional {
                Rule::SetupValueMadeOptional
            } else {
                Rule::SetupValueMadeRequired
            };
            let now = if new.optional { "optional" } else { "required" };
            self.push(rule, format!("{what} is now {now}"), &o, &n);
        }
        let (o, n) = at("pattern");
        self.differ(
            Rule::SetupValuePatternChanged,
            (pattern, &new.pattern),
            (&o, &n),
            || format!("the pattern of {what} changed"),
        );
        let (o, n) = at("default");
        self.differ(
            Rule::SetupValueDefaultChanged,
            (default, &new.default),
            (&o, &n),
            || format!("the default of {what} changed"),
        );
        let (o, n) = at("type");
        self.differ(
            Rule::SetupValueTypeChanged,
            (kind, &new.kind),
            (&o, &n),
            || {
                format!(
                    "the type of {what} changed from `{}` to `{}`",
                    kind.name(),
                    new.kind.name()
                )
            },
        );
        let (o, n) = at("example");
        self.differ(
            Rule::ExampleChanged,
            (example, &new.example),
            (&o, &n),
            || format!("the example of {what} changed"),
        );
        let as_values = |v: &[String]| v.iter().cloned().map(Value::String).collect::<Vec<_>>();
        let (o, n) = at("values");
        self.values(
            &what,
            (&as_values(values), &as_values(&new.values)),
            (&o, &n),
            (Rule::SetupAllowedValueRemoved, Rule::SetupAllowedValueAdded),
        );
    }

    /// Compares lists of allowed values: `narrowing` when a value is no longer allowed (or a
    /// list appears where any value was allowed), `widening` for the opposite, and the order
    /// as [`Rule::OrderChanged`] when only it changed.
    fn values(
        &mut self,
        what: &str,
        (old, new): (&[Value], &[Value]),
        (o, n): (&str, &str),
        (narrowing, widening): (Rule, Rule),
    ) {
        if old == new {
            return;
        }
        let removed: Vec<&Value> = old.iter().filter(|v| !new.contains(v)).collect();
        let added: Vec<&Value> = new.iter().filter(|v| !old.contains(v)).collect();
        if old.is_empty() {
            self.push(
                narrowing,
                format!("{what} now allows only {}", quote_all(new)),
                o,
                n,
            );
        } else if new.is_empty() {
            self.push(widening, format!("{what} now allows any value"), o, n);
        } else {
            if !removed.is_empty() {
                self.push(
                    narrowing,
                    format!(
                        "{what} no longer allows {}",
                        quote_all(removed.iter().copied())
                    ),
                    o,
                    n,
                );
            }
            if !added.is_empty() {
                self.push(
                    widening,
                    format!(
                        "{what} now also allows {}",
                        quote_all(added.iter().copied())
                    ),
                    o,
                    n,
                );
            }
            if removed.is_empty() && added.is_empty() {
                self.push(
                    Rule::OrderChanged,
                    format!("the allowed values of {what} are listed in another order"),
                    o,
                    n,
                );
            }
        }
    }

    /// Reports a list whose common members are in another order.
    fn order(&mut self, pairs: &[(Option<usize>, Option<usize>)], o: &str, n: &str, what: &str) {
        let new_order: Vec<usize> = pairs.iter().filter_map(|&(i, j)| i.and(j)).collect();
        if new_order.windows(2).any(|w| w[0] > w[1]) {
            let mut change = Change::new(
                Rule::OrderChanged,
                format!("the {what} are listed in another order"),
                self.old_place(o),
                self.new_place(n),
            );
            // Only the order: what is inside each member is compared on its own.
            change.covers = (None, None);
            self.changes.push(change);
        }
    }

    // --- headers ---------------------------------------------------------------------------

    fn headers(&mut self, op: &str, np: &str, old: &[Header], new: &[Header], whose: &str) {
        let pairs = match_by(old, new, |h| h.name.as_str());
        for (i, j) in pairs.iter().copied() {
            match (i, j) {
                (Some(i), Some(j)) => {
                    let Header { name, value } = &old[i];
                    let (o, n) = (format!("{op}/{i}/value"), format!("{np}/{j}/value"));
                    self.differ(
                        Rule::HeaderChanged,
                        (value, &new[j].value),
                        (&o, &n),
                        || format!("the value of header `{name}` of {whose} changed"),
                    );
                }
                (Some(i), None) => self.push_removed(
                    Rule::HeaderRemoved,
                    format!("header `{}` of {whose} was removed", old[i].name),
                    &format!("{op}/{i}"),
                    np,
                ),
                (None, Some(j)) => self.push_added(
                    Rule::HeaderAdded,
                    format!("header `{}` of {whose} was added", new[j].name),
                    op,
                    &format!("{np}/{j}"),
                ),
                (None, None) => {}
            }
        }
        self.order(&pairs, op, np, &format!("headers of {whose}"));
    }

    // --- methods ---------------------------------------------------------------------------

    fn methods(&mut self, old: &[Method], new: &[Method]) {
        let mut pairs = match_by(old, new, |m| m.name.as_str());
        // A method gone whose verb and path reappear under a new name was renamed.
        let gone: Vec<usize> = pairs
            .iter()
            .filter_map(|&(i, j)| i.filter(|_| j.is_none()))
            .collect();
        let mut renamed = BTreeMap::new();
        for i in gone {
            let found = pairs.iter().position(|&(a, b)| {
                a.is_none()
                    && b.is_some_and(|j| {
                        new[j].http_method == old[i].http_method
                            && new[j].path == old[i].path
                            && !renamed.values().any(|&k| k == j)
                    })
            });
            if let Some(k) = found
                && let Some(j) = pairs[k].1
            {
                renamed.insert(i, j);
            }
        }
        pairs.retain(|&(i, j)| {
            !(i.is_some_and(|i| renamed.contains_key(&i))
                || j.is_some_and(|j| renamed.values().any(|&k| k == j)))
        });
        for (&i, &j) in &renamed {
            let mut change = Change::new(
                Rule::MethodRenamed,
                format!(
                    "method `{}` was renamed to `{}` (same verb and path)",
                    old[i].name, new[j].name
                ),
                self.old_place(&format!("/methods/{i}/name")),
                self.new_place(&format!("/methods/{j}/name")),
            );
            // The net matches methods by name, so it sees a method removed and one added;
            // what else differs between the two is compared below.
            change.covers = (Some(format!("/methods/{i}")), Some(format!("/methods/{j}")));
            self.changes.push(change);
            self.method(i, &old[i], j, &new[j]);
        }
        self.named_list(
            &pairs,
            (old, new),
            ("/methods", "method"),
            |m| m.name.as_str(),
            (Rule::MethodRemoved, Rule::MethodAdded),
            |this, i, j| this.method(i, &old[i], j, &new[j]),
        );
    }

    /// A list matched by name (`pairs`, from [`match_by`]): `both` compares each pair, an
    /// item on one side only is `rules.0` (removed) or `rules.1` (added), shown at the list
    /// on the side that lacks it; then the order of the list.
    fn named_list<T>(
        &mut self,
        pairs: &[(Option<usize>, Option<usize>)],
        (old, new): (&[T], &[T]),
        (list, noun): (&str, &str),
        name: impl Fn(&T) -> &str,
        rules: (Rule, Rule),
        mut both: impl FnMut(&mut Self, usize, usize),
    ) {
        for &(i, j) in pairs {
            match (i, j) {
                (Some(i), Some(j)) => both(self, i, j),
                (Some(i), None) => self.push_removed(
                    rules.0,
                    format!("{noun} `{}` was removed", name(&old[i])),
                    &format!("{list}/{i}"),
                    list,
                ),
                (None, Some(j)) => self.push_added(
                    rules.1,
                    format!("{noun} `{}` was added", name(&new[j])),
                    list,
                    &format!("{list}/{j}"),
                ),
                (None, None) => {}
            }
        }
        self.order(pairs, list, list, &format!("{noun}s"));
    }

    fn method(&mut self, i: usize, old: &Method, j: usize, new: &Method) {
        let (op, np) = (format!("/methods/{i}"), format!("/methods/{j}"));
        let at = |key: &str| (format!("{op}/{key}"), format!("{np}/{key}"));
        let Method {
            name: _, // matched by it, or reported as renamed
            description,
            category,
            http_method,
            path,
            parameters,
            request,
            response,
            paging: _,
            since: _,
            batch: _,
            headers,
            rate_limit,
        } = old;
        let what = format!("method `{}`", new.name);
        let (o, n) = at("description");
        self.differ(
            Rule::DescriptionChanged,
            (description, &new.description),
            (&o, &n),
            || format!("the description of {what} changed"),
        );
        let (o, n) = at("category");
        self.differ(
            Rule::CategoryChanged,
            (category, &new.category),
            (&o, &n),
            || {
                format!(
                    "the category of {what} changed from `{category}` to `{}`",
                    new.category
                )
            },
        );
        let (o, n) = at("http_method");
        self.differ(
            Rule::MethodHttpMethodChanged,
            (http_method, &new.http_method),
            (&o, &n),
            || format!("the HTTP method of {what} changed"),
        );
        let (o, n) = at("path");
        self.differ(Rule::MethodPathChanged, (path, &new.path), (&o, &n), || {
            format!("the path of {what} changed from `{path}` to `{}`", new.path)
        });
        for (key, rule) in [
            ("paging", Rule::PagingChanged),
            ("since", Rule::SinceChanged),
            ("batch", Rule::BatchChanged),
        ] {
            let (o, n) = at(key);
            self.differ_json(rule, &o, &n, || format!("`{key}` of {what} changed"));
        }
        let (o, n) = at("rate_limit");
        self.differ(
            Rule::RateLimitChanged,
            (rate_limit, &new.rate_limit),
            (&o, &n),
            || format!("the rate limit of {what} changed"),
        );
        let (o, n) = at("headers");
        self.headers(&o, &n, headers, &new.headers, &what);
        self.parameters(&what, (&op, &np), parameters, &new.parameters);
        // The request body.
        let (o, n) = at("request");
        let old_fields = flat::body(
            &self.old.definition,
            Direction::Request,
            request.as_ref().and_then(|b| b.type_name.as_deref()),
            None,
            request.as_ref().map_or(&[], |b| b.fields.as_slice()),
            &o,
        );
        let new_fields = flat::body(
            &self.new.definition,
            Direction::Request,
            new.request.as_ref().and_then(|b| b.type_name.as_deref()),
            None,
            new.request.as_ref().map_or(&[], |b| b.fields.as_slice()),
            &n,
        );
        self.fields(
            &what,
            Direction::Request,
            (&old_fields, &new_fields),
            (&o, &n),
        );
        // Which shape the body names is seen only through its fields, compared above.
        self.accept(&format!("{o}/type"), &format!("{n}/type"));
        // The response.
        let (o, n) = at("response");
        self.response(&what, (response.as_ref(), new.response.as_ref()), (&o, &n));
    }

    fn response(
        &mut self,
        what: &str,
        (old, new): (Option<&ResponseDef>, Option<&ResponseDef>),
        (o, n): (&str, &str),
    ) {
        let items = |r: Option<&ResponseDef>| {
            r.and_then(|r| r.items.as_deref())
                .and_then(|items| fieldpath::parse(items).ok())
        };
        let (old_items, new_items) = (items(old), items(new));
        if old_items != new_items {
            let show = |items: &Option<Vec<fieldpath::Segment>>| {
                items
                    .as_ref()
                    .map_or("none".to_owned(), |s| format!("`{}`", fieldpath::format(s)))
            };
            self.push(
                Rule::ResponseItemsChanged,
                format!(
                    "where the items of {what} are (`response.items`) changed from {} to {}",
                    show(&old_items),
                    show(&new_items)
                ),
                &format!("{o}/items"),
                &format!("{n}/items"),
            );
        }
        let old_fields = response_fields(&self.old.definition, old, old_items.as_deref(), o);
        let new_fields = response_fields(&self.new.definition, new, new_items.as_deref(), n);
        self.fields(
            what,
            Direction::Response,
            (&old_fields, &new_fields),
            (o, n),
        );
        self.accept(&format!("{o}/type"), &format!("{n}/type"));
    }

    // --- parameters ------------------------------------------------------------------------

    fn parameters(
        &mut self,
        what: &str,
        (op, np): (&str, &str),
        old: &[Parameter],
        new: &[Parameter],
    ) {
        let (lo, ln) = (format!("{op}/parameters"), format!("{np}/parameters"));
        let pairs = match_by(old, new, |p| p.name.as_str());
        for (i, j) in pairs.iter().copied() {
            match (i, j) {
                (Some(i), Some(j)) => self.parameter(
                    what,
                    (&format!("{lo}/{i}"), &old[i]),
                    (&format!("{ln}/{j}"), &new[j]),
                ),
                (Some(i), None) => self.push_removed(
                    Rule::ParameterRemoved,
                    format!("parameter `{}` of {what} was removed", old[i].name),
                    &format!("{lo}/{i}"),
                    &ln,
                ),
                (None, Some(j)) => {
                    let (rule, how) = if new[j].optional {
                        (Rule::ParameterOptionalAdded, "optional")
                    } else {
                        (Rule::ParameterRequiredAdded, "required")
                    };
                    self.push_added(
                        rule,
                        format!("{how} parameter `{}` of {what} was added", new[j].name),
                        &lo,
                        &format!("{ln}/{j}"),
                    );
                }
                (None, None) => {}
            }
        }
        self.order(&pairs, &lo, &ln, &format!("parameters of {what}"));
    }

    fn parameter(
        &mut self,
        method: &str,
        (op, old): (&str, &Parameter),
        (np, new): (&str, &Parameter),
    ) {
        let at = |key: &str| (format!("{op}/{key}"), format!("{np}/{key}"));
        let Parameter {
            name,
            display_name,
            description,
            location,
            optional,
            pattern,
            values,
            lookup: _, // compared as JSON below
        } = old;
        let what = format!("parameter `{name}` of {method}");
        let (o, n) = at("display_name");
        self.differ(
            Rule::DisplayNameChanged,
            (display_name, &new.display_name),
            (&o, &n),
            || format!("the display name of {what} changed"),
        );
        let (o, n) = at("description");
        self.differ(
            Rule::DescriptionChanged,
            (description, &new.description),
            (&o, &n),
            || format!("the description of {what} changed"),
        );
        let (o, n) = at("in");
        self.differ(
            Rule::ParameterLocationChanged,
            (location, &new.location),
            (&o, &n),
            || format!("{what} moved between the path and the query"),
        );
        let (o, n) = at("optional");
        if optional != &new.optional {
            let (rule, now) = if new.optional {
                (Rule::ParameterMadeOptional, "optional")
            } else {
                (Rule::ParameterMadeRequired, "required")
            };
            self.push(rule, format!("{what} is now {now}"), &o, &n);
        }
        let (o, n) = at("pattern");
        self.differ(
            Rule::ParameterPatternChanged,
            (pattern, &new.pattern),
            (&o, &n),
            || format!("the pattern of {what} changed"),
        );
        let (o, n) = at("lookup");
        self.differ_json(Rule::LookupChanged, &o, &n, || {
            format!("the lookup of {what} changed")
        });
        let as_values = |v: &[String]| v.iter().cloned().map(Value::String).collect::<Vec<_>>();
        let (o, n) = at("values");
        self.values(
            &what,
            (&as_values(values), &as_values(&new.values)),
            (&o, &n),
            (Rule::AllowedValueRemoved, Rule::AllowedValueAdded),
        );
    }

    // --- request and response fields -------------------------------------------------------

    fn fields(
        &mut self,
        method: &str,
        direction: Direction,
        (old, new): (&[Flat<'_>], &[Flat<'_>]),
        (o, n): (&str, &str),
    ) {
        let side = match direction {
            Direction::Request => "request",
            Direction::Response => "response",
        };
        let old_by: BTreeMap<&(bool, String), usize> =
            old.iter().enumerate().map(|(i, f)| (&f.key, i)).collect();
        let new_by: BTreeMap<&(bool, String), usize> =
            new.iter().enumerate().map(|(i, f)| (&f.key, i)).collect();
        // Where a field missing on one side would be: its own list of fields, or the shape
        // that declares its counterpart.
        let near = |pointer: &str, fallback: &str| -> String {
            match pointer.rfind("/fields/") {
                Some(at) if pointer.starts_with("/types/") => {
                    pointer[..at + "/fields".len()].to_owned()
                }
                _ => format!("{fallback}/fields"),
            }
        };
        for (key, &i) in &old_by {
            let field = &old[i];
            match new_by.get(key) {
                Some(&j) => self.field(method, side, direction, field, &new[j]),
                None => {
                    let rule = match direction {
                        Direction::Request => Rule::RequestFieldRemoved,
                        Direction::Response => Rule::ResponseFieldRemoved,
                    };
                    self.push_removed(
                        rule,
                        format!("{side} field `{}` of {method} was removed", field.path),
                        &field.pointer,
                        &near(&field.pointer, n),
                    );
                }
            }
        }
        for (key, &j) in &new_by {
            if old_by.contains_key(key) {
                continue;
            }
            let field = &new[j];
            let required = !field.optional && field.field.default.is_none();
            let (rule, how) = match (direction, required) {
                (Direction::Request, true) => (Rule::RequestFieldRequiredAdded, "required "),
                (Direction::Request, false) => (Rule::RequestFieldOptionalAdded, "optional "),
                (Direction::Response, _) => (Rule::ResponseFieldAdded, ""),
            };
            self.push_added(
                rule,
                format!("{how}{side} field `{}` of {method} was added", field.path),
                &near(&field.pointer, o),
                &field.pointer,
            );
        }
    }

    fn field(
        &mut self,
        method: &str,
        side: &str,
        direction: Direction,
        old: &Flat<'_>,
        new: &Flat<'_>,
    ) {
        let at = |key: &str| {
            (
                format!("{}/{key}", old.pointer),
                format!("{}/{key}", new.pointer),
            )
        };
        let what = format!("{side} field `{}` of {method}", new.path);
        let crate::definition::DataField {
            path: _,         // matched by it
            system_field: _, // as `Flat::system`
            display_name: _, // as `Flat::display`
            description,
            type_name,
            format,
            optional: _,  // as `Flat::optional`
            read_only: _, // requests leave such fields out; responses carry them all the same
            values,
            default,
            lookup: _,
        } = old.field;
        let request = direction == Direction::Request;
        let (o, n) = at("system_field");
        self.differ(
            Rule::FieldSystemFieldChanged,
            (&old.system, &new.system),
            (&o, &n),
            || {
                format!(
                    "the Cyclr system field of {what} changed from `{}` to `{}`",
                    old.system, new.system
                )
            },
        );
        let (o, n) = at("display_name");
        self.differ(
            Rule::DisplayNameChanged,
            (&old.display, &new.display),
            (&o, &n),
            || format!("the display name of {what} changed"),
        );
        let (o, n) = at("description");
        self.differ(
            Rule::DescriptionChanged,
            (description, &new.field.description),
            (&o, &n),
            || format!("the description of {what} changed"),
        );
        let (o, n) = at("optional");
        if old.optional != new.optional {
            let rule = match (direction, new.optional) {
                (Direction::Request, true) => Rule::RequestFieldMadeOptional,
                (Direction::Request, false) => Rule::RequestFieldMadeRequired,
                (Direction::Response, true) => Rule::ResponseFieldMadeOptional,
                (Direction::Response, false) => Rule::ResponseFieldMadeRequired,
            };
            let now = if new.optional { "optional" } else { "required" };
            self.push(rule, format!("{what} is now {now}"), &o, &n);
        }
        let (o, n) = at("type");
        if type_name != &new.field.type_name {
            let widening = match (
                DataType::parse(type_name),
                DataType::parse(&new.field.type_name),
            ) {
                (Some(a), Some(b)) => widens(a, b)
                    .then_some(true)
                    .or(widens(b, a).then_some(false)),
                _ => None,
            };
            let rule = match (direction, widening) {
                (_, None) => Rule::FieldTypeChanged,
                (Direction::Request, Some(true)) => Rule::RequestFieldTypeWidened,
                (Direction::Request, Some(false)) => Rule::RequestFieldTypeNarrowed,
                (Direction::Response, Some(true)) => Rule::ResponseFieldTypeWidened,
                (Direction::Response, Some(false)) => Rule::ResponseFieldTypeNarrowed,
            };
            self.push(
                rule,
                format!(
                    "the type of {what} changed from `{type_name}` to `{}`",
                    new.field.type_name
                ),
                &o,
                &n,
            );
        }
        let (o, n) = at("format");
        self.differ(
            Rule::FieldFormatChanged,
            (format, &new.field.format),
            (&o, &n),
            || format!("the date format of {what} changed"),
        );
        let (o, n) = at("values");
        // A request that allows fewer values breaks steps; a response that may hold more.
        let rules = if request {
            (Rule::AllowedValueRemoved, Rule::AllowedValueAdded)
        } else {
            (
                Rule::ResponseAllowedValueRemoved,
                Rule::ResponseAllowedValueAdded,
            )
        };
        self.values(&what, (values, &new.field.values), (&o, &n), rules);
        let (o, n) = at("default");
        let (lo, ln) = at("lookup");
        if request {
            self.differ(
                Rule::FieldDefaultChanged,
                (default, &new.field.default),
                (&o, &n),
                || format!("the default of {what} changed"),
            );
            self.differ_json(Rule::LookupChanged, &lo, &ln, || {
                format!("the lookup of {what} changed")
            });
        } else {
            // Cyclr's responses carry neither a default nor a lookup.
            self.accept(&o, &n);
            self.accept(&lo, &ln);
        }
        let (o, n) = at("read_only");
        self.accept(&o, &n);
    }

    // --- webhooks --------------------------------------------------------------------------

    fn webhooks(&mut self, old: &[Webhook], new: &[Webhook]) {
        let pairs = match_by(old, new, |w| w.name.as_str());
        self.named_list(
            &pairs,
            (old, new),
            ("/webhooks", "webhook"),
            |w| w.name.as_str(),
            (Rule::WebhookRemoved, Rule::WebhookAdded),
            |this, i, j| this.webhook(i, &old[i], j, &new[j]),
        );
    }

    fn webhook(&mut self, i: usize, old: &Webhook, j: usize, new: &Webhook) {
        let (op, np) = (format!("/webhooks/{i}"), format!("/webhooks/{j}"));
        let at = |key: &str| (format!("{op}/{key}"), format!("{np}/{key}"));
        let Webhook {
            name,
            description,
            category,
            payload,
            subscribe: _,
            unsubscribe: _,
        } = old;
        let what = format!("webhook `{name}`");
        let (o, n) = at("description");
        self.differ(
            Rule::DescriptionChanged,
            (description, &new.description),
            (&o, &n),
            || format!("the description of {what} changed"),
        );
        let (o, n) = at("category");
        self.differ(
            Rule::CategoryChanged,
            (category, &new.category),
            (&o, &n),
            || format!("the category of {what} changed"),
        );
        for key in ["subscribe", "unsubscribe"] {
            let (o, n) = at(key);
            self.differ_json(Rule::WebhookSubscriptionChanged, &o, &n, || {
                format!("the `{key}` call of {what} changed")
            });
        }
        let (o, n) = at("payload");
        let old_fields = flat::body(
            &self.old.definition,
            Direction::Response,
            payload.type_name.as_deref(),
            None,
            &payload.fields,
            &o,
        );
        let new_fields = flat::body(
            &self.new.definition,
            Direction::Response,
            new.payload.type_name.as_deref(),
            None,
            &new.payload.fields,
            &n,
        );
        self.fields(
            &what,
            Direction::Response,
            (&old_fields, &new_fields),
            (&o, &n),
        );
        self.accept(&format!("{o}/type"), &format!("{n}/type"));
    }
}

/// A response's fields as steps read them.
fn response_fields<'d>(
    definition: &'d Definition,
    response: Option<&'d ResponseDef>,
    items: Option<&[fieldpath::Segment]>,
    pointer: &str,
) -> Vec<Flat<'d>> {
    flat::body(
        definition,
        Direction::Response,
        response.and_then(|r| r.type_name.as_deref()),
        items,
        response.map_or(&[], |r| r.fields.as_slice()),
        pointer,
    )
}

/// Whether every value of type `narrow` is also a value of type `wide`: any value can be
/// sent or read as text, and a whole number is also a decimal and a float.
fn widens(narrow: DataType, wide: DataType) -> bool {
    match (narrow, wide) {
        (a, b) if a == b => false,
        (DataType::File, _) => false,
        (_, DataType::Text) => true,
        (DataType::Integer, DataType::Decimal | DataType::Float) => true,
        _ => false,
    }
}

/// Pairs the members of two lists by key: the old list's members in its order (matched or
/// not), then the new-only ones in the new list's order.
/// Keys are unique within a list (validation); a repeated one is matched once.
fn match_by<T>(
    old: &[T],
    new: &[T],
    key: impl Fn(&T) -> &str,
) -> Vec<(Option<usize>, Option<usize>)> {
    let new_index: BTreeMap<&str, usize> = new
        .iter()
        .enumerate()
        .rev()
        .map(|(j, item)| (key(item), j))
        .collect();
    let mut used = vec![false; new.len()];
    let mut pairs = Vec::new();
    for (i, item) in old.iter().enumerate() {
        match new_index.get(key(item)) {
            Some(&j) if !used[j] => {
                used[j] = true;
                pairs.push((Some(i), Some(j)));
            }
            _ => pairs.push((Some(i), None)),
        }
    }
    for (j, used) in used.iter().enumerate() {
        if !used {
            pairs.push((None, Some(j)));
        }
    }
    pairs
}
