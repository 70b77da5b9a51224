//! Identifiers for generated Rust code, made in one place.
//!
//! Names from the definition (`SubDomain`, `List People`) become Rust identifiers by case
//! conversion (`sub_domain`, `list_people`, `ListPeople`), then a trailing `_` for Rust
//! keywords (`type` becomes `type_`). Validation uses the same functions to find names that
//! would collide once converted.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Rust's strict and reserved keywords, plus the weak ones that cannot be identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield", "Self",
];

/// A `snake_case` identifier for `name`, or `None` if it has no letters or digits to use.
pub fn snake_ident(name: &str) -> Option<String> {
    sanitize(name.to_snake_case())
}

/// An `UpperCamelCase` identifier for `name`, or `None` if it has no letters or digits to use.
pub fn pascal_ident(name: &str) -> Option<String> {
    sanitize(name.to_upper_camel_case())
}

fn sanitize(mut ident: String) -> Option<String> {
    ident.retain(|c| c.is_ascii_alphanumeric() || c == '_');
    let end = ident.trim_end_matches('_').len();
    ident.truncate(end);
    let start = ident.len() - ident.trim_start_matches('_').len();
    ident.drain(..start);
    if ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident.insert(0, 'n');
    }
    if ident.is_empty() {
        return None;
    }
    if KEYWORDS.contains(&ident.as_str()) {
        ident.push('_');
    }
    Some(ident)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_case() {
        assert_eq!(snake_ident("SubDomain").as_deref(), Some("sub_domain"));
        assert_eq!(snake_ident("ClientId").as_deref(), Some("client_id"));
        assert_eq!(snake_ident("List People").as_deref(), Some("list_people"));
        assert_eq!(pascal_ident("List People").as_deref(), Some("ListPeople"));
    }

    #[test]
    fn escapes_keywords_and_digits() {
        assert_eq!(snake_ident("type").as_deref(), Some("type_"));
        assert_eq!(snake_ident("Self").as_deref(), Some("self_"));
        assert_eq!(snake_ident("Fn").as_deref(), Some("fn_"));
        assert_eq!(pascal_ident("self").as_deref(), Some("Self_"));
        assert_eq!(snake_ident("3D Models").as_deref(), Some("n3d_models"));
        assert_eq!(snake_ident("Café Orders").as_deref(), Some("caf_orders"));
        assert_eq!(snake_ident("!!!"), None);
    }
}
