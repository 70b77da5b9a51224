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

#[cfg(test)]
mod tests {
    use super::*;

    const DNS_LABEL: &str = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";

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
}
