//! Paging recognised from the names of a list method's query parameters and response
//! fields; always marked for review.

use super::*;
use crate::definition::PagingKind;

/// Paging recognised from the query parameters and the response's other fields: the node,
/// its review note and the query keys paging now fills in.
pub(super) fn detect_paging(
    query: &[(String, Node)],
    envelope: &[Field],
    sizes: &BTreeMap<String, (Option<u64>, Option<u64>)>,
) -> Option<(Node, Review, Vec<String>)> {
    let find = |names: &[&str]| {
        query
            .iter()
            .map(|(n, _)| n)
            .find(|n| names.contains(&normal(n).as_str()))
            .cloned()
    };
    let size = find(&[
        "perpage",
        "pagesize",
        "limit",
        "size",
        "count",
        "pagelimit",
        "maxresults",
        "top",
        "$top",
        "page[size]",
        "maxpagesize",
        "resultsperpage",
    ]);
    let page = find(&[
        "page",
        "pagenumber",
        "pageno",
        "pageindex",
        "pagenum",
        "page[number]",
    ]);
    let offset = find(&[
        "offset",
        "skip",
        "start",
        "$skip",
        "startindex",
        "from",
        "startposition",
        "page[offset]",
    ]);
    let cursor = find(&[
        "cursor",
        "after",
        "startingafter",
        "pagetoken",
        "nexttoken",
        "continuationtoken",
        "pageafter",
        "page[after]",
        "page[cursor]",
        "nextpagetoken",
        "marker",
        "starttoken",
    ]);
    let scalar_fields: Vec<&Field> = envelope
        .iter()
        .filter(|f| matches!(f.kind, FieldType::Data(_)) && !f.list)
        .collect();
    let field_named = |names: &[&str]| {
        scalar_fields
            .iter()
            .find(|f| {
                f.keys
                    .last()
                    .is_some_and(|k| names.contains(&normal(k).as_str()))
            })
            .map(|f| f.path())
    };
    let next_url = field_named(&[
        "next",
        "nexturl",
        "nextlink",
        "@odatanextlink",
        "nextpageurl",
        "nextpageuri",
        "nextpage",
        "nextpagelink",
    ]);
    let next_cursor = field_named(&[
        "nextcursor",
        "nextpagetoken",
        "nexttoken",
        "cursor",
        "endcursor",
        "after",
        "continuationtoken",
        "nextmarker",
        "nextpagecursor",
    ]);
    let total = field_named(&[
        "total",
        "totalcount",
        "totalresults",
        "totalitems",
        "totalsize",
        "totalitemcount",
        "totalrecords",
    ]);
    let mut map = MapBuilder::new();
    let mut used = Vec::new();
    let mut why = Vec::new();
    let kind;
    if let (Some(param), Some(response)) = (&cursor, &next_cursor) {
        kind = PagingKind::Cursor;
        why.push(format!(
            "the query parameter {param} and the response's {response}"
        ));
        used.push(param.clone());
        let mut c = MapBuilder::new();
        c.text("response", response).text("param", param);
        map.put("cursors", Node::Seq(vec![c.build()]));
    } else if let Some(next) = next_url {
        kind = PagingKind::NextUrl;
        map.text("next_url", &next);
        why.push(format!("the response's {next}"));
    } else if let Some(param) = &page {
        kind = PagingKind::PageNumber;
        map.text("page_param", param);
        why.push(format!("the query parameter {param}"));
        used.push(param.clone());
    } else if let (Some(param), Some(_)) = (&offset, &size) {
        kind = PagingKind::Offset;
        map.text("page_param", param);
        why.push(format!("the query parameter {param}"));
        used.push(param.clone());
    } else {
        return None;
    }
    if let Some(size) = &size {
        map.text("size_param", size);
        used.push(size.clone());
        why.push(format!("the page size in {size}"));
    }
    if kind == PagingKind::PageNumber {
        map.put("first_page", Node::raw("1"));
    }
    // The size parameter's default and maximum where the document gives them, else 100.
    let (default, maximum) = size
        .as_ref()
        .and_then(|s| sizes.get(s))
        .copied()
        .unwrap_or_default();
    let clamp = |n: u64| n.clamp(1, 1_000_000);
    let max_page_size = clamp(maximum.unwrap_or(default.unwrap_or(100).max(100)));
    let page_size = clamp(default.unwrap_or(100)).min(max_page_size);
    map.put("page_size", Node::raw(page_size.to_string()))
        .put("max_page_size", Node::raw(max_page_size.to_string()));
    if let Some(total) = total {
        map.text("total", &total);
    }
    // `kind:` first, as definitions write it.
    let mut map_node = map.build();
    if let Node::Map(entries) = &mut map_node {
        entries.insert(
            0,
            yaml::Entry {
                key: "kind".to_owned(),
                value: Node::raw(kind_name(kind)),
                reviews: Vec::new(),
            },
        );
    }
    let note = review(
        ReviewKind::Paging,
        format!(
            "{} paging guessed from {}; check the kind{}, the page size ({page_size}) and the largest page size the API allows ({max_page_size}{})",
            kind_name(kind),
            why.join(", "),
            if kind == PagingKind::PageNumber {
                ", the first page (1)"
            } else {
                ""
            },
            if maximum.is_some() {
                ", as the document says"
            } else {
                ", a guess"
            },
        ),
    );
    Some((map_node, note, used))
}

/// A key lower-cased without `_` and `-`, for matching paging names.
pub(super) fn normal(key: &str) -> String {
    key.chars()
        .filter(|c| !matches!(c, '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The kind as a definition writes it.
fn kind_name(kind: PagingKind) -> &'static str {
    match kind {
        PagingKind::PageNumber => "page_number",
        PagingKind::Offset => "offset",
        PagingKind::Cursor => "cursor",
        PagingKind::NextUrl => "next_url",
    }
}
