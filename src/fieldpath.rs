//! Cyclr's field paths: `Email`, `Address.City`, `[Emails].Value`, `[]` for a response that
//! is an array, `\@odata.nextLink\` for a key holding a dot.
//!
//! Validation parses every path of a definition with [`parse`] and reports what is wrong at
//! the path's line; the model, the Cyclr JSON and the Rust client read the segments.

use serde::Serialize;

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", content = "key", rename_all = "snake_case")]
pub enum Segment {
    /// An object's key.
    Key(String),
    /// An array of objects under a key (`[key]`); the empty key is the root array (`[]`).
    Array(String),
}

impl Segment {
    /// The key (empty for the root array).
    pub fn key(&self) -> &str {
        match self {
            Segment::Key(key) | Segment::Array(key) => key,
        }
    }

    /// Whether the segment is an array of objects.
    pub fn is_array(&self) -> bool {
        matches!(self, Segment::Array(_))
    }
}

/// Why a path was refused, and where in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathError {
    /// The byte offset in the path.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

/// The characters a bare key may hold; anything else goes between backslashes.
fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '$' | '@')
}

/// Parses a path in Cyclr's notation into segments.
pub fn parse(path: &str) -> Result<Vec<Segment>, PathError> {
    let error = |offset: usize, message: &str| PathError {
        offset,
        message: message.to_owned(),
    };
    if path == "[]" {
        return Ok(vec![Segment::Array(String::new())]);
    }
    let mut segments = Vec::new();
    let bytes = path.as_bytes();
    let mut i = 0;
    loop {
        let start = i;
        let (array, key_start) = if bytes.get(i) == Some(&b'[') {
            (true, i + 1)
        } else {
            (false, i)
        };
        let (key, after) = if bytes.get(key_start) == Some(&b'\\') {
            let rest = &path[key_start + 1..];
            let Some(len) = rest.find('\\') else {
                return Err(error(
                    key_start,
                    "a `\\` opens a literal key that no `\\` closes",
                ));
            };
            let key = &rest[..len];
            if key.is_empty() || key.chars().any(char::is_control) {
                return Err(error(
                    key_start,
                    "a literal key between `\\` must be printable text",
                ));
            }
            (key, key_start + len + 2)
        } else {
            let len = path[key_start..]
                .find(|c: char| !is_key_char(c))
                .unwrap_or(path.len() - key_start);
            (&path[key_start..key_start + len], key_start + len)
        };
        let root_array = array && start == 0 && bytes.get(key_start) == Some(&b']');
        if key.is_empty() && !root_array {
            let message = match path[key_start..].chars().next() {
                None | Some('.') | Some(']') => "a path has an empty key here",
                Some(_) => {
                    "a key holds letters, digits, `_`, `-`, `$` and `@`; write a key with other characters between backslashes, `\\key.with.dots\\`"
                }
            };
            return Err(error(key_start, message));
        }
        let mut next = after;
        if array {
            if bytes.get(next) != Some(&b']') {
                return Err(error(next, "a `[` opens an array that no `]` closes"));
            }
            next += 1;
            segments.push(Segment::Array(key.to_owned()));
        } else {
            segments.push(Segment::Key(key.to_owned()));
        }
        match bytes.get(next) {
            None => break,
            Some(b'.') => i = next + 1,
            Some(_) => {
                return Err(error(
                    next,
                    "keys are joined by `.`; write a key with other characters between backslashes, `\\key.with.dots\\`",
                ));
            }
        }
        if i == path.len() {
            return Err(error(i, "a path cannot end with `.`"));
        }
    }
    if segments
        .iter()
        .skip(1)
        .any(|s| matches!(s, Segment::Array(k) if k.is_empty()))
    {
        return Err(error(
            0,
            "`[]` (a response that is an array) can only come first",
        ));
    }
    Ok(segments)
}

/// Writes segments back in Cyclr's notation.
pub fn format(segments: &[Segment]) -> String {
    let mut text = String::new();
    for (i, segment) in segments.iter().enumerate() {
        if i > 0 {
            text.push('.');
        }
        let key = segment.key();
        let quoted = !key.chars().all(is_key_char);
        if segment.is_array() {
            text.push('[');
        }
        if quoted {
            text.push('\\');
        }
        text.push_str(key);
        if quoted {
            text.push('\\');
        }
        if segment.is_array() {
            text.push(']');
        }
    }
    text
}

/// The JSON pointer (RFC 6901) of a path without arrays: `a.b` is `/a/b`.
pub fn json_pointer(segments: &[Segment]) -> String {
    let mut pointer = String::new();
    for segment in segments {
        if segment.key().is_empty() {
            continue;
        }
        pointer.push('/');
        pointer.push_str(&segment.key().replace('~', "~0").replace('/', "~1"));
    }
    pointer
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(path: &str) {
        let segments = parse(path).unwrap_or_else(|e| panic!("{path}: {e:?}"));
        assert_eq!(format(&segments), path);
    }

    #[test]
    fn reads_cyclr_notation() {
        for path in [
            "Email",
            "Address.City",
            "[records].Email",
            "[].id",
            "[]",
            "[a].[b].f",
            "data.[records]",
            "$top",
            "_links.next.href",
            "[Array1].\\Array2.Field\\",
            "\\@odata.nextLink\\",
        ] {
            round_trip(path);
        }
        assert_eq!(
            parse("[Items].Name").unwrap(),
            vec![Segment::Array("Items".into()), Segment::Key("Name".into())]
        );
        assert_eq!(
            json_pointer(&parse("meta.cursors.after").unwrap()),
            "/meta/cursors/after"
        );
        assert_eq!(json_pointer(&parse("[]").unwrap()), "");
        assert_eq!(
            json_pointer(&parse("\\a~b\\.\\c/d\\").unwrap()),
            "/a~0b/c~1d"
        );
    }

    #[test]
    fn refuses_malformed_paths() {
        for (path, offset) in [
            ("", 0),
            ("a.", 2),
            (".a", 0),
            ("a..b", 2),
            ("[a", 2),
            ("a]", 1),
            ("a b", 1),
            ("[a]b", 3),
            ("a.[]", 3),
            ("\\abc", 0),
            ("a.\\\\", 2),
        ] {
            let error = parse(path).expect_err(path);
            assert_eq!(error.offset, offset, "{path}: {}", error.message);
        }
    }
}
