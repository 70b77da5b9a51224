//! The safety net that makes the comparison total: both documents walked side by side as
//! JSON (lists of named things matched by name or path, as the rules match them), and every
//! difference in meaning that no change of the rules accounts for reported with a generic
//! rule: [`Rule::DocsChanged`] on the docs page (one per key of `docs`),
//! [`Rule::TypeChanged`] in `types:` (parts of shapes no method or webhook sees),
//! [`Rule::OrderChanged`] for lists in another order, and [`Rule::OtherChange`] (Major)
//! anywhere else.
//!
//! A key left out and a key holding its default mean the same: `false`, an empty list or
//! mapping, and the defaults of [`DEFAULTS`].

use serde_json::Value;

use super::rules::Rule;
use super::{Change, Place, Version};
use crate::load::pointer_token;

/// Defaults other than `false`, `[]` and `{}`, by pointer pattern (`*` for any list index
/// or key): a key left out means this value.
const DEFAULTS: &[(&str, &str)] = &[
    ("/docs/shape", "classic"),
    ("/fields/*/type", "text"),
    ("/methods/*/paging/in", "query"),
    ("/auth/client_auth", "body"),
    ("/alternative_auth/*/client_auth", "body"),
];

/// The lists whose members are matched by a key rather than by position, by pointer
/// pattern, with the key.
const KEYED: &[(&str, &str)] = &[
    ("/fields", "name"),
    ("/headers", "name"),
    ("/methods", "name"),
    ("/methods/*/parameters", "name"),
    ("/methods/*/headers", "name"),
    ("/methods/*/request/fields", "path"),
    ("/methods/*/response/fields", "path"),
    ("/types/*/fields", "path"),
    ("/webhooks", "name"),
    ("/webhooks/*/payload/fields", "path"),
    ("/webhooks/*/subscribe/fields", "path"),
];

/// One difference the walk found: the pointer on each side (absent for a member of a keyed
/// list that the other side does not have), and whether only the order differs.
struct Difference {
    old: Option<String>,
    new: Option<String>,
    order: bool,
}

/// Whether two values (either possibly left out) at a place matching `pointer` mean the same.
pub(super) fn same(old: Option<&Value>, new: Option<&Value>, pointer: &str) -> bool {
    let mut found = Vec::new();
    let pattern = pattern_of(pointer);
    walk(old, new, (pointer, pointer), &pattern, &mut found);
    found.is_empty()
}

/// `pointer` with every list index replaced by `*`, as [`KEYED`] and [`DEFAULTS`] are
/// written; keys under `types` (shape names) too.
fn pattern_of(pointer: &str) -> String {
    let mut pattern = String::new();
    let mut previous = "";
    for token in pointer.split('/').skip(1) {
        pattern.push('/');
        if token.bytes().all(|b| b.is_ascii_digit()) && !token.is_empty() || previous == "types" {
            pattern.push('*');
        } else {
            pattern.push_str(token);
        }
        previous = token;
    }
    pattern
}

/// Changes for every difference between the two versions that `changes` and `accepted`
/// (pairs of old and new pointers examined and found alike) do not account for.
pub(super) fn uncovered(
    old: &Version,
    new: &Version,
    changes: &[Change],
    accepted: &[(String, String)],
) -> Vec<Change> {
    let mut found = Vec::new();
    walk(
        Some(&old.document.value),
        Some(&new.document.value),
        ("", ""),
        "",
        &mut found,
    );
    let under = |prefix: &str, pointer: &str| {
        pointer == prefix
            || (pointer.starts_with(prefix) && pointer.as_bytes().get(prefix.len()) == Some(&b'/'))
    };
    let covered = |difference: &Difference| {
        if difference.order {
            return changes.iter().any(|c| {
                c.rule == Rule::OrderChanged && difference.old.as_deref() == Some(c.old.pointer())
            });
        }
        let by = |(prefix, pointer): (Option<&str>, Option<&str>)| matches!((prefix, pointer), (Some(prefix), Some(pointer)) if under(prefix, pointer));
        let old_pointer = difference.old.as_deref();
        let new_pointer = difference.new.as_deref();
        changes.iter().any(|c| {
            by((c.covers.0.as_deref(), old_pointer)) || by((c.covers.1.as_deref(), new_pointer))
        }) || accepted
            .iter()
            .any(|(a, b)| by((Some(a), old_pointer)) || by((Some(b), new_pointer)))
    };
    let mut out: Vec<Change> = Vec::new();
    for difference in found.iter().filter(|d| !covered(d)) {
        let pointer = difference
            .new
            .as_deref()
            .or(difference.old.as_deref())
            .unwrap_or_default();
        let shown = crate::validate::display_path(pointer);
        let top = pointer.split('/').nth(1).unwrap_or_default();
        let (rule, message, group) = if difference.order {
            (
                Rule::OrderChanged,
                format!("`{shown}` is listed in another order"),
                None,
            )
        } else if top == "docs" {
            // One change per part of the page: a paragraph rewritten is one change, not one
            // per word.
            let part: String = pointer.split('/').take(3).collect::<Vec<_>>().join("/");
            let message = format!(
                "the docs page's `{}` changed",
                crate::validate::display_path(&part)
            );
            (Rule::DocsChanged, message, Some(part))
        } else if top == "types" {
            (
                Rule::TypeChanged,
                format!("`{shown}` changed, where no method or webhook sees it"),
                None,
            )
        } else {
            (Rule::OtherChange, format!("`{shown}` changed"), None)
        };
        if let Some(group) = &group
            && out
                .iter()
                .any(|c| c.rule == rule && c.covers.1.as_deref() == Some(group))
        {
            continue;
        }
        let place = |version: &Version, pointer: &Option<String>, other: &Option<String>| {
            match pointer {
                Some(pointer) => version.place(pointer),
                // A member only the other side has: near the list there.
                None => Place::Near(other.as_deref().map_or(String::new(), parent)),
            }
        };
        let mut change = Change::new(
            rule,
            message,
            place(old, &difference.old, &difference.new),
            place(new, &difference.new, &difference.old),
        );
        if let Some(group) = group {
            change.covers = (Some(group.clone()), Some(group));
        }
        out.push(change);
    }
    out
}

/// The pointer of the list or mapping holding `pointer`.
fn parent(pointer: &str) -> String {
    pointer
        .rfind('/')
        .map_or(String::new(), |at| pointer[..at].to_owned())
}

/// An empty list or mapping, as `value` is one.
fn empty(value: &Value) -> Value {
    match value {
        Value::Array(_) => Value::Array(Vec::new()),
        _ => Value::Object(serde_json::Map::new()),
    }
}

/// Whether a value left out on one side means the same as `value` at `pattern`.
fn is_default(value: &Value, pattern: &str) -> bool {
    match value {
        Value::Null | Value::Bool(false) => true,
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
        Value::String(text) => DEFAULTS
            .iter()
            .any(|&(at, default)| at == pattern && default == text),
        _ => false,
    }
}

fn walk(
    old: Option<&Value>,
    new: Option<&Value>,
    (op, np): (&str, &str),
    pattern: &str,
    found: &mut Vec<Difference>,
) {
    let differ = |found: &mut Vec<Difference>| {
        found.push(Difference {
            old: Some(op.to_owned()),
            new: Some(np.to_owned()),
            order: false,
        });
    };
    match (old, new) {
        (None, None) => {}
        // A list or mapping left out is an empty one: its members are compared one by one.
        (Some(value @ (Value::Array(_) | Value::Object(_))), None) => {
            walk(Some(value), Some(&empty(value)), (op, np), pattern, found);
        }
        (None, Some(value @ (Value::Array(_) | Value::Object(_)))) => {
            walk(Some(&empty(value)), Some(value), (op, np), pattern, found);
        }
        (Some(value), None) | (None, Some(value)) => {
            if !is_default(value, pattern) {
                differ(found);
            }
        }
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                let token = pointer_token(key);
                let child = if pattern == "/types" {
                    "/types/*".to_owned()
                } else {
                    format!("{pattern}/{token}")
                };
                walk(
                    a.get(key),
                    b.get(key),
                    (&format!("{op}/{token}"), &format!("{np}/{token}")),
                    &child,
                    found,
                );
            }
        }
        (Some(Value::Array(a)), Some(Value::Array(b))) => {
            let child = format!("{pattern}/*");
            match KEYED.iter().find(|(at, _)| *at == pattern) {
                Some(&(_, key)) => {
                    let name =
                        |item: &Value| item.get(key).and_then(Value::as_str).map(str::to_owned);
                    let mut matched = Vec::new();
                    let mut used = vec![false; b.len()];
                    for (i, item) in a.iter().enumerate() {
                        let j = name(item).and_then(|n| {
                            (0..b.len())
                                .find(|&j| !used[j] && name(&b[j]).as_deref() == Some(n.as_str()))
                        });
                        match j {
                            Some(j) => {
                                used[j] = true;
                                matched.push(j);
                                walk(
                                    Some(item),
                                    Some(&b[j]),
                                    (&format!("{op}/{i}"), &format!("{np}/{j}")),
                                    &child,
                                    found,
                                );
                            }
                            None => found.push(Difference {
                                old: Some(format!("{op}/{i}")),
                                new: None,
                                order: false,
                            }),
                        }
                    }
                    for (j, used) in used.iter().enumerate() {
                        if !used {
                            found.push(Difference {
                                old: None,
                                new: Some(format!("{np}/{j}")),
                                order: false,
                            });
                        }
                    }
                    if matched.windows(2).any(|w| w[0] > w[1]) {
                        found.push(Difference {
                            old: Some(op.to_owned()),
                            new: Some(np.to_owned()),
                            order: true,
                        });
                    }
                }
                None => {
                    for k in 0..a.len().max(b.len()) {
                        let (x, y) = (a.get(k), b.get(k));
                        if x.is_some() && y.is_some() {
                            walk(
                                x,
                                y,
                                (&format!("{op}/{k}"), &format!("{np}/{k}")),
                                &child,
                                found,
                            );
                        } else {
                            found.push(Difference {
                                old: x.map(|_| format!("{op}/{k}")),
                                new: y.map(|_| format!("{np}/{k}")),
                                order: false,
                            });
                        }
                    }
                }
            }
        }
        (Some(a), Some(b)) => {
            if a != b {
                differ(found);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_hide_indexes_and_shape_names() {
        assert_eq!(pattern_of("/methods/3/paging/in"), "/methods/*/paging/in");
        assert_eq!(pattern_of("/types/Person/fields/0"), "/types/*/fields/*");
        assert_eq!(pattern_of(""), "");
    }

    fn version(text: &str) -> Version {
        let file = crate::diagnostics::FileId(0);
        let document = crate::load::load(file, text).expect("loads");
        let checked = crate::validate::Validator::new()
            .validate(file, text, &document)
            .expect("valid");
        Version {
            file,
            document,
            definition: checked.definition,
        }
    }

    #[test]
    fn what_no_rule_accounts_for_is_still_reported() {
        let base = include_str!("../../tests/fixtures/diff/base.yaml");
        let (old, new) = (
            version(base),
            version(&base.replace("page_size: 50", "page_size: 25")),
        );
        // Without the rules' changes, the net reports the difference as breaking.
        let found = uncovered(&old, &new, &[], &[]);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].rule, Rule::OtherChange);
        assert_eq!(
            found[0].new,
            Place::At("/methods/0/paging/page_size".to_owned())
        );
        // With them, nothing is left over.
        assert!(
            super::super::compare(&old, &new)
                .iter()
                .all(|c| c.rule == Rule::PagingChanged)
        );
        // The docs page is grouped per key of `docs`, and shapes are type-changed.
        let edited = base
            .replace("Register an OAuth client.", "Register a client.")
            .replace("title: Acme Diff Authentication", "title: Acme Diff")
            .replace("description: A contact.", "description: Someone.");
        let rules: Vec<Rule> = uncovered(&old, &version(&edited), &[], &[])
            .iter()
            .map(|c| c.rule)
            .collect();
        assert_eq!(
            rules,
            [Rule::DocsChanged, Rule::DocsChanged, Rule::TypeChanged]
        );
        // No difference, no change.
        assert!(uncovered(&old, &version(base), &[], &[]).is_empty());
    }

    #[test]
    fn defaults_left_out_mean_the_same() {
        let absent = None;
        assert!(same(
            absent,
            Some(&Value::Bool(false)),
            "/fields/0/optional"
        ));
        assert!(same(absent, Some(&"query".into()), "/methods/2/paging/in"));
        assert!(!same(absent, Some(&"body".into()), "/methods/2/paging/in"));
        assert!(!same(
            absent,
            Some(&Value::Bool(true)),
            "/fields/0/optional"
        ));
    }
}
