//! Names the way Cyclr's connector standards write them: methods "Get Contact", "List
//! Contacts", "Create Contact", "Update Contact", "Delete Contact" (title case, minor words
//! lower case, singular for one item, plural for many); display names in spaced capitals with
//! `ID`; setup values, path parameters and shapes in PascalCase.

/// The words of an identifier or phrase: `getPetById`, `get_pet_by_id`, `Get pet by ID` and
/// `get-pet-by-id` all give `get pet by id`.
pub fn words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        let boundary = !current.is_empty()
            && (c.is_uppercase()
                && (chars[i - 1].is_lowercase()
                    || chars[i - 1].is_ascii_digit()
                    || chars.get(i + 1).is_some_and(|n| n.is_lowercase())
                        && chars[i - 1].is_uppercase()));
        if boundary {
            words.push(std::mem::take(&mut current));
        }
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// Words kept in lower case inside a title.
const MINOR: &[&str] = &[
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "per",
    "the", "to", "via", "with",
];

/// Words written in capitals.
const ACRONYMS: &[&str] = &[
    "id", "ids", "url", "urls", "uri", "api", "sms", "ip", "html", "json", "xml", "csv", "pdf",
    "sku", "vat", "uuid", "guid", "http", "https", "sso", "crm", "erp",
];

/// One word in title case (`ID`, `Contact`), or in lower case when minor and not first.
fn title_word(word: &str, first: bool) -> String {
    if word == "oauth" {
        return "OAuth".to_owned();
    }
    if ACRONYMS.contains(&word) {
        return if word.ends_with('s') && word.len() > 2 && word != "sms" {
            format!("{}s", word[..word.len() - 1].to_ascii_uppercase())
        } else {
            word.to_ascii_uppercase()
        };
    }
    if !first && MINOR.contains(&word) {
        return word.to_owned();
    }
    let mut chars = word.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Words as a title: `["get", "pet", "by", "id"]` gives `Get Pet by ID`.
pub fn title(words: &[String]) -> String {
    words
        .iter()
        .enumerate()
        .map(|(i, w)| title_word(w, i == 0))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A display name for a key, in spaced capitals as the standards want: `first_name` gives
/// `First Name`, `petId` `Pet ID`, `created_at` `Created At`.
pub fn display_name(key: &str) -> String {
    let words = words(key);
    if words.is_empty() {
        return key.trim().to_owned();
    }
    words
        .iter()
        .map(|w| title_word(w, true))
        .collect::<Vec<_>>()
        .join(" ")
}

/// PascalCase of the letters and digits of `text`, starting with a letter, at most `max`
/// characters; `None` when it has no letter.
pub fn pascal(text: &str, max: usize) -> Option<String> {
    let mut out: String = words(text)
        .iter()
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect::<String>()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    while out.chars().next().is_some_and(|c| !c.is_ascii_alphabetic()) {
        out.remove(0);
    }
    if let Some(first) = out.get(..1) {
        let upper = first.to_ascii_uppercase();
        out.replace_range(..1, &upper);
    }
    out.truncate(max);
    (!out.is_empty()).then_some(out)
}

/// The singular of an English noun, by the common rules (`people` to `person`, `companies` to
/// `company`, `addresses` to `address`, `statuses` to `status`).
pub fn singular(word: &str) -> String {
    let irregular = [
        ("people", "person"),
        ("ids", "id"),
        ("children", "child"),
        ("men", "man"),
        ("women", "woman"),
        ("data", "data"),
        ("media", "media"),
    ];
    if let Some((_, one)) = irregular.iter().find(|(many, _)| *many == word) {
        return (*one).to_owned();
    }
    if word.len() <= 3
        || word.ends_with("ss")
        || word.ends_with("us")
        || word.ends_with("is")
        || !word.ends_with('s')
    {
        return word.to_owned();
    }
    if let Some(stem) = word.strip_suffix("ies") {
        return format!("{stem}y");
    }
    for ending in ["sses", "xes", "ches", "shes", "zzes", "uses"] {
        if word.ends_with(ending) {
            return word[..word.len() - 2].to_owned();
        }
    }
    word[..word.len() - 1].to_owned()
}

/// The plural of an English noun (`person` to `people`, `company` to `companies`).
pub fn plural(word: &str) -> String {
    let irregular = [
        ("person", "people"),
        ("child", "children"),
        ("data", "data"),
        ("media", "media"),
        ("info", "info"),
        ("information", "information"),
    ];
    if let Some((_, many)) = irregular.iter().find(|(one, _)| *one == word) {
        return (*many).to_owned();
    }
    if singular(word) != word {
        return word.to_owned(); // already plural
    }
    if let Some(stem) = word.strip_suffix('y')
        && !stem.ends_with(['a', 'e', 'i', 'o', 'u'])
    {
        return format!("{stem}ies");
    }
    if word.ends_with('s')
        || word.ends_with('x')
        || word.ends_with("ch")
        || word.ends_with("sh")
        || word.ends_with('z')
    {
        return format!("{word}es");
    }
    format!("{word}s")
}

/// The standard verbs of Cyclr method names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Get,
    List,
    Create,
    Update,
    Delete,
    CreateOrUpdate,
}

impl Verb {
    fn words(self) -> &'static [&'static str] {
        match self {
            Verb::Get => &["get"],
            Verb::List => &["list"],
            Verb::Create => &["create"],
            Verb::Update => &["update"],
            Verb::Delete => &["delete"],
            Verb::CreateOrUpdate => &["create", "or", "update"],
        }
    }

    /// The standard verb a word of an operationId stands for (`add` is Create, `fetch` Get).
    fn of(word: &str) -> Option<Verb> {
        Some(match word {
            "get" | "fetch" | "retrieve" | "read" | "show" | "describe" | "view" | "lookup" => {
                Verb::Get
            }
            "list" | "find" | "search" | "query" | "browse" | "all" | "index" => Verb::List,
            "create" | "add" | "new" | "post" | "insert" | "register" => Verb::Create,
            "update" | "edit" | "modify" | "patch" | "put" | "change" | "replace" | "set" => {
                Verb::Update
            }
            "delete" | "remove" | "destroy" | "del" | "erase" => Verb::Delete,
            "upsert" => Verb::CreateOrUpdate,
            _ => return None,
        })
    }
}

/// What a method name is made from.
pub struct NameSource<'a> {
    pub operation_id: Option<&'a str>,
    /// The HTTP verb's standard verb (GET one, GET many, POST, PUT/PATCH, DELETE).
    pub http: Verb,
    /// The path's literal segments (no parameters, no version segments), and whether the path
    /// ends with a parameter (one item).
    pub segments: Vec<String>,
    pub ends_with_parameter: bool,
    /// Whether the response is a list.
    pub returns_list: bool,
    /// The path parameters' names.
    pub parameters: Vec<String>,
}

/// Whether `words` hold the words of a path parameter: an operationId spelt from the path
/// (`get-disputes-disputeId-attachments`), whose object reads better from the path.
fn spells_a_parameter(words: &[String], parameters: &[String]) -> bool {
    parameters.iter().any(|p| {
        let param = self::words(p);
        !param.is_empty()
            && param.len() > 1
            && words.windows(param.len()).any(|w| w == param.as_slice())
    })
}

/// The method's name, as the standards write it.
pub fn method_name(source: &NameSource<'_>) -> String {
    if let Some(id) = source.operation_id {
        // `WebForm_ListForms`, `Instances::createInstance`, `pets.list`: the part after a
        // namespace, unless the verb comes first. `issues/list-for-repo`: the namespace
        // names the object (List Issues for Repo).
        let mut namespace = Vec::new();
        let id = match id.rsplit_once(['_', '.', ':', '/']) {
            Some((head, tail))
                if !tail.is_empty()
                    && words(head).first().is_none_or(|w| Verb::of(w).is_none())
                    && (words(tail).first().is_some_and(|w| Verb::of(w).is_some())
                        || words(tail).len() > 1) =>
            {
                namespace = words(head.rsplit(['_', '.', ':', '/']).next().unwrap_or(head));
                tail
            }
            _ => id,
        };
        let mut words = words(id);
        if let Some(first) = words.first() {
            if let Some(mut verb) = Verb::of(first) {
                // `upsert`, `createOrUpdate`.
                let mut taken = 1;
                if words.len() >= 3 && words[..3] == ["create", "or", "update"] {
                    verb = Verb::CreateOrUpdate;
                    taken = 3;
                }
                if verb == Verb::Get && source.returns_list {
                    verb = Verb::List;
                }
                if verb == Verb::List
                    && !source.returns_list
                    && source.http == Verb::Get
                    && source.ends_with_parameter
                {
                    verb = Verb::Get;
                }
                let mut rest: Vec<String> = words.drain(taken..).collect();
                if rest.first().is_some_and(|w| MINOR.contains(&w.as_str())) {
                    rest.splice(0..0, namespace);
                }
                // `getPetById`: Get Pet.
                if matches!(verb, Verb::Get | Verb::Update | Verb::Delete)
                    && rest.len() > 2
                    && rest[rest.len() - 2] == "by"
                    && matches!(
                        rest[rest.len() - 1].as_str(),
                        "id" | "key" | "uuid" | "guid" | "name" | "slug" | "code"
                    )
                {
                    rest.truncate(rest.len() - 2);
                }
                // `get-disputes-id`: the parameter's words at the end say nothing more.
                for param in &source.parameters {
                    let param = self::words(param);
                    if !param.is_empty() && rest.len() > param.len() && rest.ends_with(&param) {
                        rest.truncate(rest.len() - param.len());
                    }
                }
                if rest.is_empty() || spells_a_parameter(&rest, &source.parameters) {
                    rest = object_words(source);
                } else {
                    number_object(&mut rest, verb);
                }
                return assemble(verb, &rest);
            }
            if words.len() > 1 {
                return title(&words);
            }
        }
    }
    let verb = if source.http == Verb::Get && source.returns_list {
        Verb::List
    } else {
        source.http
    };
    assemble(verb, &object_words(source))
}

fn assemble(verb: Verb, object: &[String]) -> String {
    let mut all: Vec<String> = verb.words().iter().map(|w| (*w).to_owned()).collect();
    all.extend(object.iter().cloned());
    let name = title(&all);
    // The standards spell this verb with a capital O.
    match name.strip_prefix("Create or Update") {
        Some(rest) if verb == Verb::CreateOrUpdate => format!("Create Or Update{rest}"),
        _ => name,
    }
}

/// The object of a name from its path: `/users/{id}/orders` gives `user orders`.
fn object_words(source: &NameSource<'_>) -> Vec<String> {
    let segments = &source.segments;
    let mut object: Vec<String> = match segments.len() {
        0 => vec!["item".to_owned()],
        1 => words(&segments[0]),
        n => {
            let mut parent = words(&segments[n - 2]);
            if let Some(last) = parent.last_mut() {
                *last = singular(last);
            }
            parent.extend(words(&segments[n - 1]));
            parent
        }
    };
    let verb = if source.http == Verb::Get && source.returns_list {
        Verb::List
    } else {
        source.http
    };
    number_object(&mut object, verb);
    object
}

/// Makes the last word (the noun before any `by ...`) singular for one item, plural for many.
fn number_object(words: &mut [String], verb: Verb) {
    let end = words
        .iter()
        .position(|w| MINOR.contains(&w.as_str()))
        .unwrap_or(words.len());
    if end == 0 {
        return;
    }
    let noun = &mut words[end - 1];
    *noun = if verb == Verb::List {
        plural(noun)
    } else {
        singular(noun)
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(id: Option<&str>, http: Verb, segments: &[&str], one: bool, list: bool) -> String {
        method_name(&NameSource {
            operation_id: id,
            http,
            segments: segments.iter().map(|s| (*s).to_owned()).collect(),
            ends_with_parameter: one,
            returns_list: list,
            parameters: vec!["disputeId".to_owned()],
        })
    }

    #[test]
    fn names_follow_the_standards() {
        assert_eq!(
            source(Some("getPetById"), Verb::Get, &["pet"], true, false),
            "Get Pet"
        );
        assert_eq!(
            source(Some("addPet"), Verb::Create, &["pet"], false, false),
            "Create Pet"
        );
        assert_eq!(
            source(
                Some("findPetsByStatus"),
                Verb::Get,
                &["pet", "findByStatus"],
                false,
                true
            ),
            "List Pets by Status"
        );
        assert_eq!(
            source(Some("listContacts"), Verb::Get, &["contacts"], false, true),
            "List Contacts"
        );
        assert_eq!(
            source(
                Some("placeOrder"),
                Verb::Create,
                &["store", "order"],
                false,
                false
            ),
            "Place Order"
        );
        assert_eq!(
            source(None, Verb::Get, &["companies"], false, true),
            "List Companies"
        );
        assert_eq!(
            source(None, Verb::Get, &["companies"], true, false),
            "Get Company"
        );
        assert_eq!(
            source(None, Verb::Delete, &["people"], true, false),
            "Delete Person"
        );
        assert_eq!(
            source(None, Verb::Get, &["users", "orders"], false, true),
            "List User Orders"
        );
        assert_eq!(
            source(Some("get_user_ids"), Verb::Get, &["x"], false, true),
            "List User IDs"
        );
        assert_eq!(
            source(
                Some("WebForm_ListForms"),
                Verb::Get,
                &["forms"],
                false,
                true
            ),
            "List Forms"
        );
        assert_eq!(
            source(
                Some("Instances::createInstance"),
                Verb::Create,
                &["x"],
                false,
                false
            ),
            "Create Instance"
        );
        assert_eq!(
            source(Some("get_user_by_id"), Verb::Get, &["x"], true, false),
            "Get User"
        );
        assert_eq!(
            source(
                Some("get-disputes-disputeId-attachments"),
                Verb::Get,
                &["disputes", "attachments"],
                false,
                true
            ),
            "List Dispute Attachments"
        );
        assert_eq!(
            source(
                Some("issues/list-for-repo"),
                Verb::Get,
                &["repos", "issues"],
                false,
                true
            ),
            "List Issues for Repo"
        );
        assert_eq!(
            source(Some("upsertContact"), Verb::Update, &["x"], false, false),
            "Create Or Update Contact"
        );
    }

    #[test]
    fn words_and_display_names() {
        assert_eq!(words("getHTTPStatus2xx"), ["get", "http", "status2xx"]);
        assert_eq!(words("Datadog API V1"), ["datadog", "api", "v1"]);
        assert_eq!(display_name("petId"), "Pet ID");
        assert_eq!(display_name("first_name"), "First Name");
        assert_eq!(pascal("pet-id", 32).as_deref(), Some("PetId"));
        assert_eq!(pascal("2fa code", 32).as_deref(), Some("FaCode"));
        assert_eq!(singular("addresses"), "address");
        assert_eq!(plural("status"), "statuses");
        assert_eq!(plural("company"), "companies");
    }
}
