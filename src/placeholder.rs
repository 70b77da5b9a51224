//! `<<Name>>` placeholders: parsing text that may hold them.
//!
//! The YAML writes placeholders as `<<Name>>` because that cannot be mistaken for Jinja,
//! Liquid or Cyclr `{{ }}` syntax. Each target writes them its own way: `{{Name}}` in Cyclr
//! JSON and on the docs page, a validated, percent-encoded value in the Rust client.

use std::ops::Range;

/// A piece of text split into literal runs and placeholders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    /// The pieces in order.
    pub parts: Vec<Part>,
}

/// One piece of a [`Template`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Text taken as written.
    Literal(String),
    /// `<<name>>`, with its byte range in the text.
    Placeholder {
        /// The name between the brackets.
        name: String,
        /// Where `<<name>>` stood in the text.
        range: Range<usize>,
    },
}

/// A `<<` that does not start a well-formed placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MalformedPlaceholder {
    /// From the `<<` to where the problem was found.
    pub range: Range<usize>,
    /// What is wrong.
    pub reason: &'static str,
}

impl Template {
    /// Splits `text` into literals and placeholders.
    ///
    /// ```
    /// use connector_gen::placeholder::Template;
    ///
    /// let url = Template::parse("https://<<SubDomain>>.invenias.com/api").unwrap();
    /// assert_eq!(url.to_merge_fields(), "https://{{SubDomain}}.invenias.com/api");
    /// assert!(Template::parse("https://<<SubDomain.invenias.com").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Self, MalformedPlaceholder> {
        let mut parts = Vec::new();
        let mut rest_start = 0;
        while let Some(found) = text[rest_start..].find("<<") {
            let open = rest_start + found;
            let name_start = open + 2;
            let name_len = text[name_start..]
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric())
                .count();
            let name_end = name_start + name_len;
            if name_len == 0 || !text[name_end..].starts_with(">>") {
                let reason = if text[name_end..].contains(">>") && name_len > 0 {
                    "a placeholder name holds only letters and digits"
                } else if name_len == 0 {
                    "`<<` must be followed by a name and `>>`"
                } else {
                    "this `<<` has no closing `>>`"
                };
                return Err(MalformedPlaceholder {
                    range: open..name_end.max(open + 2),
                    reason,
                });
            }
            if !text.as_bytes()[name_start].is_ascii_alphabetic() {
                return Err(MalformedPlaceholder {
                    range: open..name_end + 2,
                    reason: "a placeholder name starts with a letter",
                });
            }
            if open > rest_start {
                parts.push(Part::Literal(text[rest_start..open].to_owned()));
            }
            parts.push(Part::Placeholder {
                name: text[name_start..name_end].to_owned(),
                range: open..name_end + 2,
            });
            rest_start = name_end + 2;
        }
        if rest_start < text.len() {
            parts.push(Part::Literal(text[rest_start..].to_owned()));
        }
        Ok(Template { parts })
    }

    /// The placeholders' names and ranges, in order.
    pub fn placeholders(&self) -> impl Iterator<Item = (&str, &Range<usize>)> {
        self.parts.iter().filter_map(|part| match part {
            Part::Placeholder { name, range } => Some((name.as_str(), range)),
            Part::Literal(_) => None,
        })
    }

    /// The text with each placeholder written as `{{Name}}`, Cyclr's merge-field syntax.
    pub fn to_merge_fields(&self) -> String {
        self.parts
            .iter()
            .map(|part| match part {
                Part::Literal(text) => text.clone(),
                Part::Placeholder { name, .. } => format!("{{{{{name}}}}}"),
            })
            .collect()
    }

    /// The text with each placeholder replaced by `value(name)`.
    pub fn fill(&self, mut value: impl FnMut(&str) -> String) -> String {
        self.parts
            .iter()
            .map(|part| match part {
                Part::Literal(text) => text.clone(),
                Part::Placeholder { name, .. } => value(name),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_literals_and_placeholders() {
        let template = Template::parse("https://<<SubDomain>>.invenias.com/<<Id>>").unwrap();
        assert_eq!(
            template.parts,
            vec![
                Part::Literal("https://".into()),
                Part::Placeholder {
                    name: "SubDomain".into(),
                    range: 8..21
                },
                Part::Literal(".invenias.com/".into()),
                Part::Placeholder {
                    name: "Id".into(),
                    range: 35..41
                },
            ]
        );
        assert_eq!(
            template.to_merge_fields(),
            "https://{{SubDomain}}.invenias.com/{{Id}}"
        );
    }

    #[test]
    fn text_without_placeholders_is_one_literal() {
        assert_eq!(
            Template::parse("a < b >> c").unwrap().parts,
            vec![Part::Literal("a < b >> c".into())]
        );
        assert_eq!(Template::parse("").unwrap().parts, vec![]);
    }

    #[test]
    fn reports_malformed_placeholders() {
        assert_eq!(Template::parse("x <<Sub").unwrap_err().range, 2..7);
        assert_eq!(
            Template::parse("<<>>").unwrap_err().reason,
            "`<<` must be followed by a name and `>>`"
        );
        assert_eq!(
            Template::parse("<<Sub Domain>>").unwrap_err().reason,
            "a placeholder name holds only letters and digits"
        );
        assert_eq!(
            Template::parse("<<1a>>").unwrap_err().reason,
            "a placeholder name starts with a letter"
        );
    }
}

/// Where a placeholder stands in a URL template, which decides how its value is checked and
/// encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UrlContext {
    /// The URL's start: scheme, host and any port (`<<SiteUrl>>/rest/api/3`); the value
    /// must be a whole https URL.
    Origin,
    /// Part of the host name: the value must be one DNS label (letters, digits and hyphens).
    Host,
    /// The whole host name (`https://<<Domain>>/api`): the value must be a DNS name.
    HostName,
    /// Part of the path: the value is percent-encoded as one path segment.
    Path,
}

/// A placeholder that stands where no value may go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MisplacedPlaceholder {
    /// The placeholder's name.
    pub name: String,
    /// Where it stood in the text.
    pub range: Range<usize>,
    /// The URL part it stood in: "scheme", "port", "user info", "query" or "fragment".
    pub part: &'static str,
}

impl Template {
    /// The URL context of each placeholder, in order, for a template that is a URL.
    ///
    /// One pass forward (what stands before each placeholder) and one backward (what of the
    /// authority follows it): linear in the template's length, however many placeholders.
    pub fn url_contexts(&self) -> Result<Vec<UrlContext>, MisplacedPlaceholder> {
        let after = self.authority_after();
        let mut before_scheme = String::new();
        let mut url: Option<SeenAfterScheme> = None;
        let mut contexts = Vec::new();
        for (index, part) in self.parts.iter().enumerate() {
            let (name, range) = match part {
                Part::Literal(text) => {
                    match &mut url {
                        Some(seen) => seen.push(text),
                        None => {
                            before_scheme.push_str(text);
                            if let Some(end) = before_scheme.find("://") {
                                let mut seen = SeenAfterScheme::default();
                                seen.push(&before_scheme[end + 3..]);
                                url = Some(seen);
                            }
                        }
                    }
                    continue;
                }
                Part::Placeholder { name, range } => (name, range),
            };
            let misplaced = |part| MisplacedPlaceholder {
                name: name.clone(),
                range: range.clone(),
                part,
            };
            // A whole address starting the URL (`<<SiteUrl>>/rest/api/3`): its path follows.
            let starts_url = index == 0
                && match self.parts.get(1) {
                    None => true,
                    Some(Part::Literal(text)) => text.starts_with('/'),
                    Some(Part::Placeholder { .. }) => false,
                };
            if starts_url {
                contexts.push(UrlContext::Origin);
                url = Some(SeenAfterScheme {
                    empty: false,
                    path: true,
                    ..SeenAfterScheme::default()
                });
                continue;
            }
            let Some(seen) = &mut url else {
                return Err(misplaced("scheme"));
            };
            let context = if seen.fragment {
                return Err(misplaced("fragment"));
            } else if seen.query {
                return Err(misplaced("query"));
            } else if seen.path {
                UrlContext::Path
            } else if seen.colon {
                return Err(misplaced("port"));
            } else {
                let (rest_has_at, rest_first) = after[index + 1];
                if seen.at || rest_has_at {
                    return Err(misplaced("user info"));
                }
                if seen.empty && matches!(rest_first, None | Some(':')) {
                    UrlContext::HostName
                } else {
                    UrlContext::Host
                }
            };
            contexts.push(context);
            seen.push("x");
        }
        Ok(contexts)
    }

    /// For each part index `i` (and one past the end): whether the authority text from part
    /// `i` on (up to the first `/`, `?` or `#`, placeholders counted as a letter) holds an
    /// `@`, and its first character.
    fn authority_after(&self) -> Vec<(bool, Option<char>)> {
        let mut after = vec![(false, None); self.parts.len() + 1];
        for (index, part) in self.parts.iter().enumerate().rev() {
            let next = after[index + 1];
            after[index] = match part {
                Part::Placeholder { .. } => (next.0, Some('x')),
                Part::Literal(text) => match text.find(['/', '?', '#']) {
                    Some(end) => (text[..end].contains('@'), text[..end].chars().next()),
                    None => (text.contains('@') || next.0, text.chars().next().or(next.1)),
                },
            };
        }
        after
    }
}

/// What a URL template holds after `://`, up to a point.
struct SeenAfterScheme {
    /// Nothing yet.
    empty: bool,
    /// A `:` in the authority (a port).
    colon: bool,
    /// An `@` in the authority (user info).
    at: bool,
    /// A `/`: the path has started.
    path: bool,
    /// A `?`.
    query: bool,
    /// A `#`.
    fragment: bool,
}

impl Default for SeenAfterScheme {
    fn default() -> Self {
        SeenAfterScheme {
            empty: true,
            colon: false,
            at: false,
            path: false,
            query: false,
            fragment: false,
        }
    }
}

impl SeenAfterScheme {
    fn push(&mut self, text: &str) {
        for c in text.chars() {
            self.empty = false;
            match c {
                '#' => self.fragment = true,
                '?' => self.query = true,
                '/' => self.path = true,
                ':' if !self.path => self.colon = true,
                '@' if !self.path => self.at = true,
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod url_tests {
    use super::*;

    fn contexts(text: &str) -> Result<Vec<UrlContext>, &'static str> {
        Template::parse(text)
            .unwrap()
            .url_contexts()
            .map_err(|e| e.part)
    }

    #[test]
    fn finds_host_and_path_placeholders() {
        assert_eq!(
            contexts("https://<<Sub>>.x.com/api/<<Id>>/more"),
            Ok(vec![UrlContext::Host, UrlContext::Path])
        );
        assert_eq!(
            contexts("https://<<Domain>>/rest"),
            Ok(vec![UrlContext::HostName])
        );
        assert_eq!(
            contexts("https://<<Domain>>:8443/rest"),
            Ok(vec![UrlContext::HostName])
        );
    }

    #[test]
    fn many_placeholders_take_linear_time() {
        // 200,000 placeholders in the host and the path: quadratic work would take minutes.
        let host = "<<A>>".repeat(100_000);
        let path = "/<<B>>".repeat(100_000);
        let contexts = Template::parse(&format!("https://{host}.x.com{path}"))
            .unwrap()
            .url_contexts()
            .unwrap();
        assert_eq!(contexts.len(), 200_000);
        assert_eq!(contexts[0], UrlContext::Host);
        assert_eq!(contexts[199_999], UrlContext::Path);
        let user_info = format!("https://{host}@x.com/");
        let refused = Template::parse(&user_info).unwrap().url_contexts();
        assert_eq!(refused.unwrap_err().part, "user info");
    }

    #[test]
    fn refuses_placeholders_outside_host_and_path() {
        assert_eq!(contexts("<<Scheme>>://x.com"), Err("scheme"));
        assert_eq!(contexts("https://x.com:<<Port>>/"), Err("port"));
        assert_eq!(contexts("https://<<User>>@x.com/"), Err("user info"));
        assert_eq!(contexts("https://x.com/a?q=<<Q>>"), Err("query"));
        assert_eq!(contexts("https://x.com/a#<<F>>"), Err("fragment"));
    }
}
