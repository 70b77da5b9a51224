//! Validation patterns, compiled at generation time into a small table-driven automaton.
//!
//! The generated Rust client must check every placeholder value against its field's pattern
//! but may depend on nothing beyond std, serde and serde_json. So the pattern is compiled
//! here, with `regex-automata`, into a minimal DFA over byte classes, and the generated code
//! carries only the table and a ten-line loop that walks it.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use regex_automata::dfa::{Automaton, StartKind, dense};
use regex_automata::util::primitives::StateID;
use regex_automata::util::start;
use regex_automata::{Anchored, MatchKind};

/// The most states a compiled pattern may have; keeps generated tables small.
pub const MAX_STATES: usize = 256;

/// A pattern compiled to a DFA that decides whether a whole value matches.
///
/// State 0 is the dead state (no match is possible any more) and state 1 the start state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompiledPattern {
    /// The pattern as written in the definition.
    pub source: String,
    /// The byte ranges of each input class: class `i` is every byte in `classes[i]`.
    /// Bytes in no listed range belong to class 0.
    pub classes: Vec<Vec<(u8, u8)>>,
    /// `transitions[state][class]`: the next state.
    pub transitions: Vec<Vec<u8>>,
    /// `accepting[state]`: whether a value that ends in this state matches.
    pub accepting: Vec<bool>,
}

/// Why a pattern could not be compiled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PatternError {
    /// Not a valid regular expression.
    #[error("{0}")]
    Syntax(String),
    /// Valid, but its automaton would be too large for generated code.
    #[error("the pattern needs more than {MAX_STATES} automaton states")]
    TooComplex,
}

impl CompiledPattern {
    /// Compiles `pattern`, which must match the whole value (anchors are implied).
    pub fn compile(pattern: &str) -> Result<Self, PatternError> {
        let dfa = dense::Builder::new()
            .configure(
                dense::DFA::config()
                    .match_kind(MatchKind::All)
                    .start_kind(StartKind::Anchored)
                    .minimize(true)
                    .dfa_size_limit(Some(1 << 20))
                    .determinize_size_limit(Some(1 << 20)),
            )
            .build(&format!("^(?:{pattern})$"))
            .map_err(|error| match error.to_string() {
                message if message.contains("size limit") || message.contains("too big") => {
                    PatternError::TooComplex
                }
                _ => PatternError::Syntax(syntax_message(pattern)),
            })?;
        Self::from_dfa(pattern, &dfa)
    }

    fn from_dfa(pattern: &str, dfa: &dense::DFA<Vec<u32>>) -> Result<Self, PatternError> {
        let start = dfa
            .start_state(&start::Config::new().anchored(Anchored::Yes))
            .map_err(|e| PatternError::Syntax(e.to_string()))?;

        // Group bytes by class; remember one representative byte per class.
        let byte_classes = dfa.byte_classes();
        let mut class_of = [0usize; 256];
        let mut representatives: Vec<u8> = Vec::new();
        let mut class_ids: Vec<u8> = Vec::new();
        for byte in 0..=255u8 {
            let id = byte_classes.get(byte);
            let index = class_ids.iter().position(|&c| c == id).unwrap_or_else(|| {
                class_ids.push(id);
                representatives.push(byte);
                class_ids.len() - 1
            });
            class_of[usize::from(byte)] = index;
        }

        // Number states breadth-first: 0 dead, 1 start.
        let mut ids: Vec<StateID> = vec![dead_state(dfa, start), start];
        let mut transitions: Vec<Vec<u8>> = Vec::new();
        let mut next_unvisited = 0;
        while next_unvisited < ids.len() {
            let state = ids[next_unvisited];
            next_unvisited += 1;
            let mut row = Vec::with_capacity(representatives.len());
            for &byte in &representatives {
                let next = dfa.next_state(state, byte);
                let index = match ids.iter().position(|&id| id == next) {
                    Some(index) => index,
                    None => {
                        ids.push(next);
                        ids.len() - 1
                    }
                };
                if index >= MAX_STATES {
                    return Err(PatternError::TooComplex);
                }
                row.push(index as u8);
            }
            transitions.push(row);
        }
        let accepting: Vec<bool> = ids
            .iter()
            .map(|&id| dfa.is_match_state(dfa.next_eoi_state(id)))
            .collect();

        let (transitions, accepting) = minimize(&transitions, &accepting);
        let (class_of, transitions) = merge_classes(&class_of, &transitions);
        let class_count = transitions.first().map_or(1, Vec::len);
        // Class 0 holds byte 0x00; the generated code leaves it implicit (`_ => 0`).
        let classes = (0..class_count)
            .map(|class| byte_ranges(&class_of, class))
            .collect();
        Ok(CompiledPattern {
            source: pattern.to_owned(),
            classes,
            transitions,
            accepting,
        })
    }

    /// [`CompiledPattern::compile`], remembered for the life of the process: catalogues repeat
    /// their patterns (a DNS label in every subdomain field), and building a DFA is the
    /// costliest step of validation.
    pub fn compile_cached(pattern: &str) -> Result<Self, PatternError> {
        static CACHE: OnceLock<Mutex<HashMap<String, Result<CompiledPattern, PatternError>>>> =
            OnceLock::new();
        let cache = CACHE.get_or_init(Default::default);
        if let Some(known) = cache
            .lock()
            .ok()
            .and_then(|cache| cache.get(pattern).cloned())
        {
            return known;
        }
        let compiled = Self::compile(pattern);
        if let Ok(mut cache) = cache.lock() {
            cache.insert(pattern.to_owned(), compiled.clone());
        }
        compiled
    }

    /// Whether `value` matches, by walking the table exactly as the generated code does.
    pub fn is_match(&self, value: &str) -> bool {
        let mut state = 1usize;
        for &byte in value.as_bytes() {
            state = usize::from(self.transitions[state][self.class_of(byte)]);
            if state == 0 {
                return false;
            }
        }
        self.accepting[state]
    }

    /// Where `value` stops fitting: the byte offset of the first character after which no
    /// match is possible, or `None` when every character fits (the value may still be too
    /// short or too long to match).
    pub fn first_misfit(&self, value: &str) -> Option<usize> {
        let mut state = 1usize;
        for (offset, &byte) in value.as_bytes().iter().enumerate() {
            state = usize::from(self.transitions[state][self.class_of(byte)]);
            if state == 0 {
                // The start of the character this byte belongs to.
                let start = (0..=offset).rev().find(|&i| value.is_char_boundary(i))?;
                return Some(start);
            }
        }
        None
    }

    fn class_of(&self, byte: u8) -> usize {
        self.classes
            .iter()
            .position(|ranges| ranges.iter().any(|&(lo, hi)| (lo..=hi).contains(&byte)))
            .unwrap_or(0)
    }
}

/// Where a setup value or argument is placed, and so what the generated client accepts there
/// on top of the field's pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Placement {
    /// One DNS label of a URL's host name (`runtime::check_host_label`).
    HostLabel,
    /// A URL's whole host name (`runtime::check_host_name`).
    HostName,
    /// One segment of a URL's path (`runtime::check_path_segment`).
    PathSegment,
    /// The value of an HTTP header.
    HeaderValue,
    /// A whole `https://` URL (as the runtime's `check_url` accepts).
    Url,
    /// Part of one OAuth2 scope (as the runtime's `check_scope_token` accepts): printable
    /// ASCII without spaces, quotes or backslashes.
    Scope,
}

/// One DNS label: 1 to 63 ASCII letters, digits and hyphens, neither first nor last a hyphen.
const DNS_LABEL: &str = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";

impl Placement {
    /// Every placement.
    pub const ALL: [Placement; 6] = [
        Placement::HostLabel,
        Placement::HostName,
        Placement::PathSegment,
        Placement::HeaderValue,
        Placement::Url,
        Placement::Scope,
    ];

    /// What the placement accepts: a pattern, compiled like a user's (so over whole values),
    /// and the most bytes a value may have, a bound the pattern leaves out because an
    /// automaton that counts to 253 would be far larger than [`MAX_STATES`].
    ///
    /// This is the one definition of the placements' languages, and it must agree with the
    /// checks the generated client runs (`runtime/src/runtime.rs`); the tests hold it to
    /// copies of them.
    ///
    /// - `HostLabel`: `is_host_label`, one DNS label.
    /// - `HostName`: `check_host_name`, one or more DNS labels joined by `.` (no trailing dot),
    ///   at most 253 bytes in all.
    /// - `PathSegment`: `check_path_segment`, any value but the empty one, `.` and `..`.
    /// - `HeaderValue`: no control character (a byte below 0x20 other than TAB, or 0x7F), no
    ///   space or TAB first or last; may be empty. Other characters, non-ASCII ones included,
    ///   are allowed.
    /// - `Url`, kept simple: `https://`, a host name as above (each label at most 63 bytes,
    ///   but the 253-byte bound on the whole host name is not applied), an optional `:port`
    ///   of one to five digits, then an optional path of non-empty segments, each `/`
    ///   followed by printable ASCII other than space, `/`, `?` and `#`. No user info,
    ///   query, fragment or trailing `/` (the template's own path follows), and nothing
    ///   non-ASCII.
    fn language(self) -> (String, Option<usize>) {
        match self {
            Placement::HostLabel => (DNS_LABEL.to_owned(), None),
            Placement::HostName => (format!(r"{DNS_LABEL}(?:\.{DNS_LABEL})*"), Some(253)),
            Placement::PathSegment => (r"(?s:[^.].*|\.[^.].*|\.\..+)".to_owned(), None),
            Placement::HeaderValue => (
                r"(?:[^\x00-\x20\x7F](?:[^\x00-\x08\x0A-\x1F\x7F]*[^\x00-\x20\x7F])?)?".to_owned(),
                None,
            ),
            Placement::Url => (
                format!(
                    r"https://{DNS_LABEL}(?:\.{DNS_LABEL})*(?::[0-9]{{1,5}})?(?:/[!-~&&[^/?#]]+)*"
                ),
                None,
            ),
            Placement::Scope => (r#"[!#-\[\]-~]+"#.to_owned(), None),
        }
    }

    /// The placement's pattern, compiled (once per process).
    fn automaton(self) -> CompiledPattern {
        CompiledPattern::compile_cached(&self.language().0)
            .expect("every placement's pattern compiles within MAX_STATES")
    }

    /// Whether a value of `len` bytes is short enough for the placement.
    fn fits(self, len: usize) -> bool {
        self.language().1.is_none_or(|max| len <= max)
    }
}

/// Whether the generated client accepts `value` where it is placed (a definition's `example:`
/// value, say), exactly as its runtime check decides.
pub fn is_accepted(placement: Placement, value: &str) -> bool {
    placement.fits(value.len()) && placement.automaton().is_match(value)
}

/// The shortest value (then the smallest, bytewise) accepted where it is placed, whatever
/// its pattern: an example for a field with no pattern. Made of ASCII only, like
/// [`CompiledPattern::first_accepted`]; every placement accepts some such value.
pub fn first_accepted(placement: Placement) -> Option<String> {
    CompiledPattern::compile_cached("(?s:.*)")
        .ok()?
        .first_accepted(placement)
}

impl CompiledPattern {
    /// The shortest value (then the smallest, bytewise) that both matches this pattern and is
    /// accepted where the value is placed, or `None` when no value is.
    ///
    /// A breadth-first search over pairs of states of the two automata (at most
    /// [`MAX_STATES`] squared), trying for each pair the byte classes they tell apart in
    /// increasing order of their smallest byte, and taking that byte; so the first accepting
    /// pair reached is reached by the shortest, then smallest, value. A placement's length
    /// bound is checked on that value alone: when the shortest common value is too long,
    /// every other one is too.
    ///
    /// Only ASCII bytes are tried, so the witness is always valid UTF-8. A value that must
    /// contain a non-ASCII character is therefore never found: for a pattern that requires
    /// non-ASCII text (`é+`), this returns `None` even in a path segment or a header value,
    /// which would accept it. The other placements accept only ASCII, and a pattern that
    /// allows some ASCII value loses nothing.
    pub fn first_accepted(&self, placement: Placement) -> Option<String> {
        let witness = shortest_common(self, &placement.automaton())?;
        placement.fits(witness.len()).then_some(witness)
    }
}

/// The shortest, then bytewise smallest, ASCII value that both automata accept.
fn shortest_common(a: &CompiledPattern, b: &CompiledPattern) -> Option<String> {
    // The ASCII bytes both automata treat alike, as (smallest byte, class in a, class in b),
    // in increasing order of that byte.
    let mut steps: Vec<(u8, usize, usize)> = Vec::new();
    for byte in 0..0x80u8 {
        let (x, y) = (a.class_of(byte), b.class_of(byte));
        if !steps.iter().any(|&(_, sx, sy)| (sx, sy) == (x, y)) {
            steps.push((byte, x, y));
        }
    }
    let width = b.accepting.len();
    let pair = |p: usize, q: usize| p * width + q;
    // For each pair reached: the pair it was first reached from and by which byte.
    let mut reached: Vec<Option<(usize, u8)>> = vec![None; a.accepting.len() * width];
    let mut seen = vec![false; reached.len()];
    seen[pair(1, 1)] = true;
    let mut queue = std::collections::VecDeque::from([(1usize, 1usize)]);
    while let Some((p, q)) = queue.pop_front() {
        if a.accepting[p] && b.accepting[q] {
            let mut bytes = Vec::new();
            let mut at = pair(p, q);
            while let Some((from, byte)) = reached[at] {
                bytes.push(byte);
                at = from;
            }
            return Some(bytes.into_iter().rev().map(char::from).collect());
        }
        for &(byte, x, y) in &steps {
            let (next_p, next_q) = (
                usize::from(a.transitions[p][x]),
                usize::from(b.transitions[q][y]),
            );
            // State 0 is dead in both: no value through it matches.
            if next_p == 0 || next_q == 0 || seen[pair(next_p, next_q)] {
                continue;
            }
            seen[pair(next_p, next_q)] = true;
            reached[pair(next_p, next_q)] = Some((pair(p, q), byte));
            queue.push_back((next_p, next_q));
        }
    }
    None
}

/// The dead state: where any DFA ends up after a byte that can never match. Found by feeding
/// the start state a byte sequence that is invalid UTF-8 and so never matches.
fn dead_state(dfa: &dense::DFA<Vec<u32>>, start: StateID) -> StateID {
    let mut state = start;
    for _ in 0..8 {
        if dfa.is_dead_state(state) {
            return state;
        }
        state = dfa.next_state(state, 0xFF);
    }
    state
}

/// Merges states that no input can tell apart (Moore's partition refinement), keeping the
/// dead state 0 and the start state 1 in front and the rest in breadth-first order.
/// `regex-automata` delays matches by one byte, which doubles the states of patterns such
/// as DNS labels; this undoes that, since the generated code only asks at the end of input.
fn minimize(transitions: &[Vec<u8>], accepting: &[bool]) -> (Vec<Vec<u8>>, Vec<bool>) {
    let mut block: Vec<usize> = accepting.iter().map(|&a| usize::from(a)).collect();
    loop {
        let mut signatures: Vec<(usize, Vec<usize>)> = Vec::new();
        let refined: Vec<usize> = (0..transitions.len())
            .map(|state| {
                let signature = (
                    block[state],
                    transitions[state]
                        .iter()
                        .map(|&next| block[usize::from(next)])
                        .collect::<Vec<_>>(),
                );
                signatures
                    .iter()
                    .position(|s| *s == signature)
                    .unwrap_or_else(|| {
                        signatures.push(signature);
                        signatures.len() - 1
                    })
            })
            .collect();
        let stable = signatures.len()
            == block
                .iter()
                .collect::<std::collections::BTreeSet<_>>()
                .len();
        block = refined;
        if stable {
            break;
        }
    }
    // Renumber blocks: dead first, start second, the others breadth-first from the start.
    let mut order: Vec<usize> = vec![block[0]];
    if block[1] != block[0] {
        order.push(block[1]);
    }
    let mut queue = vec![1usize];
    while let Some(state) = queue.pop() {
        for &next in &transitions[state] {
            let b = block[usize::from(next)];
            if !order.contains(&b) {
                order.push(b);
                queue.insert(0, usize::from(next));
            }
        }
    }
    let number = |state: usize| order.iter().position(|&b| b == block[state]).unwrap_or(0) as u8;
    let mut new_transitions = vec![Vec::new(); order.len()];
    let mut new_accepting = vec![false; order.len()];
    for state in 0..transitions.len() {
        let n = usize::from(number(state));
        new_transitions[n] = transitions[state]
            .iter()
            .map(|&next| number(usize::from(next)))
            .collect();
        new_accepting[n] = accepting[state];
    }
    if order.len() == 1 {
        // The start state is dead: the pattern matches nothing. Keep state 1 addressable.
        new_transitions.push(new_transitions[0].clone());
        new_accepting.push(false);
    }
    (new_transitions, new_accepting)
}

/// Merges byte classes whose columns are identical in every state, renumbering them in
/// order of their smallest byte.
fn merge_classes(class_of: &[usize; 256], transitions: &[Vec<u8>]) -> ([usize; 256], Vec<Vec<u8>>) {
    let column = |class: usize| transitions.iter().map(|row| row[class]).collect::<Vec<_>>();
    let mut columns: Vec<Vec<u8>> = Vec::new();
    let mut merged = [0usize; 256];
    for byte in 0..256 {
        let col = column(class_of[byte]);
        merged[byte] = columns.iter().position(|c| *c == col).unwrap_or_else(|| {
            columns.push(col);
            columns.len() - 1
        });
    }
    let rows = (0..transitions.len())
        .map(|state| columns.iter().map(|col| col[state]).collect())
        .collect();
    (merged, rows)
}

fn byte_ranges(class_of: &[usize; 256], class: usize) -> Vec<(u8, u8)> {
    let mut ranges: Vec<(u8, u8)> = Vec::new();
    for byte in 0..=255u8 {
        if class_of[usize::from(byte)] != class {
            continue;
        }
        match ranges.last_mut() {
            Some((_, hi)) if hi.checked_add(1) == Some(byte) => *hi = byte,
            _ => ranges.push((byte, byte)),
        }
    }
    ranges
}

fn syntax_message(pattern: &str) -> String {
    match regex_automata::util::syntax::parse(pattern) {
        Err(error) => error
            .to_string()
            .lines()
            .filter(|line| line.starts_with("error:"))
            .map(|line| line.trim_start_matches("error:").trim().to_owned())
            .next()
            .unwrap_or_else(|| "not a valid regular expression".to_owned()),
        Ok(_) => "not a valid regular expression".to_owned(),
    }
}

/// The generated clients' runtime, compiled into the tests so that the placements are
/// checked against the very functions the clients run.
#[cfg(test)]
#[allow(dead_code, clippy::all)]
#[path = "../runtime/src/runtime.rs"]
mod client_runtime;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_whole_values_only() {
        let pattern = CompiledPattern::compile(DNS_LABEL).unwrap();
        for good in ["a", "company", "my-company", "a1", &"a".repeat(63)] {
            assert!(pattern.is_match(good), "{good}");
        }
        for bad in [
            "",
            "-a",
            "a-",
            "evil.com/x",
            "a@b",
            "a b",
            "é",
            &"a".repeat(64),
        ] {
            assert!(!pattern.is_match(bad), "{bad}");
        }
    }

    #[test]
    fn agrees_with_the_regex_engine() {
        let patterns = [
            "[0-9]{3}-[0-9]{4}",
            "(foo|foobar)",
            "a*b?",
            "[^/]+",
            "é+",
            "x|",
        ];
        let inputs = [
            "", "123-4567", "foo", "foobar", "fooba", "aaab", "b", "a/b", "éé", "x", "é",
        ];
        for source in patterns {
            let pattern = CompiledPattern::compile(source).unwrap();
            let regex = regex_automata::meta::Regex::new(&format!("^(?:{source})$")).unwrap();
            for input in inputs {
                assert_eq!(
                    pattern.is_match(input),
                    regex.is_match(input),
                    "{source} on {input:?}"
                );
            }
        }
    }

    #[test]
    fn tables_are_minimal() {
        let pattern = CompiledPattern::compile(DNS_LABEL).unwrap();
        // Dead, start, then per position after the first: ends in a hyphen or not (2 * 62).
        assert_eq!(pattern.transitions.len(), 126);
        // Bytes that never match, `-`, and letters and digits.
        assert_eq!(pattern.classes.len(), 3);
        // Two accepting states that behave alike are merged; the start stays state 1.
        let (rows, accepting) = minimize(
            &[vec![0, 0], vec![2, 3], vec![2, 3], vec![2, 3]],
            &[false, false, true, true],
        );
        assert_eq!(rows, vec![vec![0, 0], vec![2, 2], vec![2, 2]]);
        assert_eq!(accepting, vec![false, false, true]);
        let nothing = CompiledPattern::compile("[a&&b]").unwrap();
        assert!(!nothing.is_match("") && !nothing.is_match("a"));
    }

    #[test]
    fn reports_syntax_errors() {
        let error = CompiledPattern::compile("[a-").unwrap_err();
        assert!(
            matches!(error, PatternError::Syntax(ref m) if m.contains("unclosed")),
            "{error}"
        );
    }

    #[test]
    fn refuses_huge_automata() {
        assert_eq!(
            CompiledPattern::compile("[a-z]{300}").unwrap_err(),
            PatternError::TooComplex
        );
    }

    fn witness(pattern: &str, placement: Placement) -> Option<String> {
        CompiledPattern::compile(pattern)
            .unwrap()
            .first_accepted(placement)
    }

    #[test]
    fn finds_the_shortest_value_a_pattern_and_its_placement_both_accept() {
        use Placement::*;
        let zeros = format!("AC{}", "0".repeat(32));
        let cases: [(&str, Placement, Option<&str>); 16] = [
            // A host name's pattern for a value placed in one label: nothing fits.
            (r"[a-z0-9]+\.pure\.cloud", HostLabel, None),
            (r"[a-z0-9]+\.pure\.cloud", HostName, Some("0.pure.cloud")),
            ("[a-z]+", HostLabel, Some("a")),
            ("-.*", HostLabel, None),
            ("[a-z]*-", HostName, None),
            (r"\.\.?", PathSegment, None),
            ("AC[0-9a-f]{32}", PathSegment, Some(&zeros)),
            ("", PathSegment, None),
            // Only with a newline, or a control character, or a trailing space.
            ("[a-z]+\n[a-z]+", HeaderValue, None),
            ("x[\x00-\x08]", HeaderValue, None),
            ("x +", HeaderValue, None),
            ("x? *", HeaderValue, Some("")),
            ("https://.*", Url, Some("https://0")),
            ("ftp://.*", Url, None),
            (
                r"https://[a-z]+\.example\.com/v[0-9]",
                Url,
                Some("https://a.example.com/v0"),
            ),
            // Non-ASCII text is not tried, though a path segment would take it.
            ("é+", PathSegment, None),
        ];
        for (pattern, placement, expected) in cases {
            let found = witness(pattern, placement);
            assert_eq!(found.as_deref(), expected, "{pattern:?} in {placement:?}");
            if let Some(found) = found {
                let compiled = CompiledPattern::compile(pattern).unwrap();
                assert!(compiled.is_match(&found), "{pattern:?}: {found:?}");
                assert!(is_accepted(placement, &found), "{placement:?}: {found:?}");
            }
        }
    }

    #[test]
    fn a_host_name_longer_than_253_bytes_is_no_witness() {
        // Each label fits, but the name is 254 bytes long (and its automaton as large as
        // a compiled pattern may be).
        let long = r"a{63}\.a{63}\.a{63}\.a{62}";
        assert_eq!(witness(long, Placement::HostName), None);
        // Exactly 253 bytes.
        let longest = r"a{63}\.a{63}\.a{63}\.a{61}";
        let found = witness(longest, Placement::HostName).unwrap();
        assert_eq!(found.len(), 253);
        assert!(is_accepted(Placement::HostName, &found));
        assert!(!is_accepted(Placement::HostName, &format!("{found}a")));
    }

    #[test]
    fn each_placement_has_an_example() {
        let examples = Placement::ALL.map(first_accepted);
        assert_eq!(
            examples,
            [
                Some("0".to_owned()),
                Some("0".to_owned()),
                Some("\0".to_owned()),
                Some(String::new()),
                Some("https://0".to_owned()),
                Some("!".to_owned()),
            ]
        );
    }

    /// Over every ASCII value of up to two bytes, the witness is the first one, in order of
    /// length then bytes, that both the pattern and the placement accept.
    #[test]
    fn the_witness_is_the_first_value_accepted() {
        let mut values: Vec<String> = vec![String::new()];
        values.extend((0..0x80u8).map(|a| char::from(a).to_string()));
        for a in 0..0x80u8 {
            values.extend((0..0x80u8).map(|b| [char::from(a), char::from(b)].iter().collect()));
        }
        let patterns = [
            ".*", "[a-z]+", "-.*", r"\..", "[^a-z]+", "(?i)Z.", "x|", r"\.\.?", "[ \t]x?",
            "[0-9]{3}",
        ];
        for pattern in patterns {
            let compiled = CompiledPattern::compile(pattern).unwrap();
            for placement in Placement::ALL {
                let first = values
                    .iter()
                    .find(|v| compiled.is_match(v) && is_accepted(placement, v));
                let found = compiled.first_accepted(placement);
                match first {
                    Some(first) => {
                        assert_eq!(found.as_ref(), Some(first), "{pattern:?} {placement:?}")
                    }
                    None => assert!(
                        found.as_ref().is_none_or(|f| f.len() > 2),
                        "{pattern:?} {placement:?}: {found:?}"
                    ),
                }
            }
        }
    }

    /// The placements' patterns agree with the generated client's own checks (the runtime,
    /// compiled into these tests) and with what the placements' documentation says.
    #[test]
    fn placements_agree_with_the_runtime_checks() {
        use super::client_runtime as runtime;
        let is_host_label = |value: &str| runtime::check_host_label("v", value).is_ok();
        let is_host_name = |value: &str| runtime::check_host_name("v", value).is_ok();
        let is_path_segment = |value: &str| runtime::check_path_segment("v", value).is_ok();
        let is_header_value = |value: &str| runtime::check_header_value("v", value).is_ok();
        let is_scope = |value: &str| runtime::check_scope_token("v", value).is_ok();
        let labels = [63, 63, 63, 61].map(|n| "a".repeat(n)).join(".");
        let values = [
            "",
            "a",
            "A",
            "0",
            "-",
            "a-",
            "-a",
            "a-b",
            "a--b",
            "a.b",
            "a.",
            ".a",
            "a..b",
            "a_b",
            "a b",
            "a/b",
            "a:1",
            "é",
            "aé",
            ".",
            "..",
            "...",
            ".a.",
            " ",
            " a",
            "a ",
            "\ta",
            "a\tb",
            "a b c",
            "a\nb",
            "a\rb",
            "\0",
            "a\u{7f}",
            "a\u{80}",
            "~!@#$%^&*()",
            &"a".repeat(63),
            &"a".repeat(64),
            &labels,
            &format!("{labels}a"),
            &format!("a.{}", "a".repeat(64)),
        ];
        for value in values {
            let expected = [
                (Placement::HostLabel, is_host_label(value)),
                (Placement::HostName, is_host_name(value)),
                (Placement::PathSegment, is_path_segment(value)),
                (Placement::HeaderValue, is_header_value(value)),
                (Placement::Scope, is_scope(value)),
            ];
            for (placement, expected) in expected {
                assert_eq!(
                    is_accepted(placement, value),
                    expected,
                    "{placement:?} on {value:?}"
                );
            }
        }
        for good in [
            "https://a",
            "https://api.example.com",
            "https://EU-1.example.com:8443",
            "https://jira.example.com/jira",
            "https://a.example.com/v1/x-y_z~%20",
        ] {
            assert!(is_accepted(Placement::Url, good), "{good}");
            assert!(runtime::check_url("v", good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "https://",
            "ftp://a",
            "HTTPS://a",
            "https:/a",
            "//a",
            "https://-a",
            "https://a.",
            "https://a:",
            "https://a:123456",
            "https://u@a",
            "https://a/?q=1",
            "https://a/#top",
            "https://a/b c",
            "https://a/é",
            "https://a.example.com?x",
            "http://a",
            "https://a.example.com/",
            "https://a.example.com/v1/",
            "https://a//b",
        ] {
            assert!(!is_accepted(Placement::Url, bad), "{bad}");
            assert!(runtime::check_url("v", bad).is_err(), "{bad}");
        }
    }
}
