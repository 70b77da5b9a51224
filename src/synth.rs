//! Synthetic catalogues for benchmarks: `count` realistic connector definitions, varied in
//! authentication, fields and methods (5 to 40 each), the same bytes for the same seed.

use std::fmt::Write as _;

/// A small, fast, deterministic random number generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `low..=high`.
    fn range(&mut self, low: usize, high: usize) -> usize {
        low + (self.next() % (high - low + 1) as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.range(0, items.len() - 1)]
    }
}

const NOUNS: &[&str] = &[
    "Contact",
    "Company",
    "Deal",
    "Invoice",
    "Ticket",
    "Order",
    "Product",
    "Project",
    "Task",
    "Note",
    "Lead",
    "Campaign",
    "Subscriber",
    "Payment",
    "Shipment",
    "Employee",
    "Candidate",
    "Event",
];
const WORDS: &[&str] = &[
    "Name",
    "Email",
    "Phone",
    "Status",
    "Owner",
    "Amount",
    "Currency",
    "Title",
    "Description",
    "Reference",
    "Priority",
    "Source",
    "Region",
    "Category",
    "Score",
    "Notes",
];
const TYPES: &[&str] = &["text", "integer", "float", "decimal", "boolean", "datetime"];

/// `count` definitions as (file name, YAML text), deterministic in `seed`.
pub fn catalogue(count: usize, seed: u64) -> Vec<(String, String)> {
    (0..count)
        .map(|index| {
            let mut rng = Rng(seed ^ (index as u64).wrapping_mul(0xA24B_AED4_963E_E407));
            let id = format!("synth-{index:05}");
            (format!("{id}.yaml"), definition(&id, index, &mut rng))
        })
        .collect()
}

fn definition(id: &str, index: usize, rng: &mut Rng) -> String {
    let name = format!("Synth {index:05}");
    let subdomain = rng.range(0, 1) == 1;
    let host = if subdomain {
        "<<SubDomain>>.synth.example"
    } else {
        "api.synth.example"
    };
    let mut text = format!(
        "# yaml-language-server: $schema=../schemas/connector.schema.json\n\
         id: {id}\nname: {name}\ndescription: A synthetic connector number {index} for benchmarks.\napi_version: v{}\n\n\
         docs:\n  title: {name} Authentication\n  permalink: {id}-connector\n  shape: {}\n  partner_setup:\n\
         \x20   - paragraph: Sign in to **{name}** and open the **Developer** settings of your account.\n\
         \x20   - heading: Retrieving your credentials\n    - steps:\n",
        rng.range(1, 3),
        if rng.range(0, 1) == 0 {
            "classic"
        } else {
            "modern"
        },
    );
    for step in 1..=rng.range(2, 5) {
        let _ = writeln!(
            text,
            "        - text: In step {step}, select **{}** and copy the value it shows.",
            rng.pick(WORDS)
        );
    }
    let (auth, mut fields) = auth(rng, host);
    text.push('\n');
    text.push_str(&auth);
    if subdomain {
        fields.push_str(
            "  - name: SubDomain\n    display_name: Subdomain\n    description: Your account's subdomain.\n    set_by: account\n    pattern: '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?'\n",
        );
    }
    let fields = if fields.is_empty() {
        " []\n".to_owned()
    } else {
        format!("\n{fields}")
    };
    let _ = write!(
        text,
        "\nfields:{fields}\nbase_url: https://{host}/api\n\nmethods:\n"
    );
    let method_count = rng.range(5, 40);
    for m in 0..method_count {
        method(&mut text, m, rng);
    }
    text
}

fn auth(rng: &mut Rng, host: &str) -> (String, String) {
    let secret = |name: &str, label: &str| {
        format!(
            "  - name: {name}\n    display_name: {label}\n    description: The {label} from the developer settings.\n    secret: true\n    set_by: account\n"
        )
    };
    let plain = |name: &str, label: &str| {
        format!(
            "  - name: {name}\n    display_name: {label}\n    description: The {label} from the developer settings.\n    set_by: partner\n"
        )
    };
    match rng.range(0, 4) {
        0 => ("auth:\n  type: none\n".to_owned(), String::new()),
        1 => (
            "auth:\n  type: api_key\n  api_key: <<ApiKey>>\n  api_key_header: X-Api-Key\n"
                .to_owned(),
            secret("ApiKey", "API Key"),
        ),
        2 => (
            "auth:\n  type: basic\n  username: <<Username>>\n  password: <<Password>>\n".to_owned(),
            // Basic's credentials are the account's auth value in Cyclr.
            plain("Username", "Username").replace("set_by: partner", "set_by: account")
                + &secret("Password", "Password"),
        ),
        3 => (
            format!(
                "auth:\n  type: oauth2\n  flow: password\n  token_url: https://{host}/oauth/token\n  scopes: [read, write]\n  client_id: <<ClientId>>\n  client_secret: <<ClientSecret>>\n  username: <<Username>>\n  password: <<Password>>\n"
            ),
            plain("ClientId", "Client ID")
                + &secret("ClientSecret", "Client Secret")
                + &plain("Username", "Username")
                + &secret("Password", "Password"),
        ),
        _ => (
            format!(
                "auth:\n  type: oauth2\n  flow: client_credentials\n  token_url: https://{host}/oauth/token\n  client_auth: basic_header\n  client_id: <<ClientId>>\n  client_secret: <<ClientSecret>>\n"
            ),
            plain("ClientId", "Client ID") + &secret("ClientSecret", "Client Secret"),
        ),
    }
}

fn method(text: &mut String, index: usize, rng: &mut Rng) {
    let noun = rng.pick(NOUNS);
    let path = format!("v1/{}s", noun.to_lowercase());
    match index % 4 {
        0 => {
            let _ = write!(
                text,
                "  - name: Get {noun} {index}\n    description: Gets one {noun} by id.\n    category: {noun}s\n    http_method: GET\n    path: {path}/<<{noun}Id>>\n    parameters:\n      - {{ name: {noun}Id, display_name: {noun} ID, description: The id of the {noun}., in: path, pattern: '[0-9]+' }}\n"
            );
        }
        1 => {
            let _ = write!(
                text,
                "  - name: List {noun}s {index}\n    description: Lists {noun}s, one page at a time.\n    category: {noun}s\n    http_method: POST\n    path: {path}/search\n    paging: {{ kind: page_number, in: body, page_param: page, size_param: per_page, page_size: 50, max_page_size: 200 }}\n    response: {{ items: \"[items]\" }}\n"
            );
            body(text, rng);
        }
        2 => {
            let _ = write!(
                text,
                "  - name: Create {noun} {index}\n    description: Creates a {noun}.\n    category: {noun}s\n    http_method: POST\n    path: {path}\n"
            );
            body(text, rng);
        }
        _ => {
            let _ = write!(
                text,
                "  - name: Find {noun}s {index}\n    description: Finds {noun}s by a search term.\n    category: {noun}s\n    http_method: GET\n    path: {path}\n    parameters:\n      - {{ name: q, display_name: Query, description: What to search for., in: query }}\n      - {{ name: limit, display_name: Limit, description: How many to return., in: query, optional: true, pattern: '[0-9]{{1,3}}' }}\n"
            );
        }
    }
}

fn body(text: &mut String, rng: &mut Rng) {
    text.push_str("    request:\n      fields:\n");
    let count = rng.range(3, 8);
    for (i, word) in WORDS
        .iter()
        .cycle()
        .skip(rng.range(0, WORDS.len() - 1))
        .take(count)
        .enumerate()
    {
        let kind = rng.pick(TYPES);
        let optional = if i == 0 { "" } else { ", optional: true" };
        let format = if kind == "datetime" {
            ", format: yyyy-MM-ddTHH:mm:ssZ"
        } else {
            ""
        };
        let _ = writeln!(
            text,
            "        - {{ path: {}{i}, display_name: {word} {i}, description: The {word} of the item., type: {kind}{format}{optional} }}",
            word.to_lowercase()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Generator;

    #[test]
    fn synthetic_definitions_are_valid_and_reproducible() {
        let first = catalogue(40, 7);
        assert_eq!(first, catalogue(40, 7));
        assert_ne!(first, catalogue(40, 8));
        let generator = first.iter().fold(Generator::new(), |g, (name, text)| {
            g.source(name.clone(), text.clone())
        });
        let run = generator.generate();
        let errors: Vec<String> = run
            .diagnostics
            .iter()
            .map(|d| format!("{:?}: {}", d.code, d.message))
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
        // Three files per connector, and the Rust runtime once.
        assert_eq!(run.files.len(), 3 * 40 + 1);
    }
}
