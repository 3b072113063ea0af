//! What a page template can read, for `serve`'s quick rebuilds: the names in the template and
//! in everything it reaches (the templates it extends or includes, the components it calls, and
//! theirs). A template can only reach a field of a value by naming it, so an edit that changes
//! only fields none of these names mention cannot change the page.
//!
//! The analysis is textual and errs on the side of "reads everything": a template that prints
//! values as JSON, indexes a value with a computed key, or loops over a map's keys and values is
//! taken to read every field.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::load::theme::Theme;

/// The names each page template can read; `None` for a template that may read any field.
pub(crate) type Names = HashMap<String, Option<HashSet<String>>>;

/// Filters and variables that expose every field of a value.
const OPAQUE: &[&str] = &["json_encode", "tojson", "debug", "__tera_context", "get"];

/// The names each of `pages` (page template names) can read in `theme`.
pub(crate) fn names<'a>(theme: &Theme, pages: impl IntoIterator<Item = &'a str>) -> Names {
    let mut components: HashMap<String, String> = HashMap::new();
    let mut own: HashMap<&str, String> = HashMap::new();
    for (name, t) in &theme.templates {
        let (rest, defs) = split_components(&t.source);
        own.insert(name.as_str(), rest);
        components.extend(defs);
    }
    let mut out = Names::new();
    for page in pages {
        if !out.contains_key(page) {
            out.insert(page.to_string(), reach(page, &own, &components));
        }
    }
    out
}

fn reach(
    page: &str,
    own: &HashMap<&str, String>,
    components: &HashMap<String, String>,
) -> Option<HashSet<String>> {
    let mut names = HashSet::new();
    let mut seen: HashSet<String> = HashSet::new();
    let mut todo: Vec<&str> = Vec::new();
    if let Some(t) = own.get(page) {
        seen.insert(format!("t:{page}"));
        todo.push(t);
    }
    while let Some(text) = todo.pop() {
        let literals = literal_maps(text);
        for tag in tags(text) {
            if opaque(tag, &literals) {
                return None;
            }
            // `{% block content %}` names a block, not a field.
            let head = tag.trim_start_matches(|c: char| c == '-' || c.is_whitespace());
            if !(head.starts_with("block ") || head.starts_with("endblock")) {
                for word in words(tag) {
                    names.insert(word.to_string());
                }
            }
            // A quoted name is a template (extends, include) or a component (`cached`).
            for (quoted, _) in quoted_strings(tag) {
                if let Some(t) = own.get(quoted)
                    && seen.insert(format!("t:{quoted}"))
                {
                    todo.push(t);
                }
                if let Some(body) = components.get(quoted)
                    && seen.insert(format!("c:{quoted}"))
                {
                    todo.push(body);
                }
            }
            for call in component_calls(tag) {
                if let Some(body) = components.get(call)
                    && seen.insert(format!("c:{call}"))
                {
                    todo.push(body);
                }
            }
        }
    }
    Some(names)
}

/// The template's text without its component definitions, and the definitions by name (each
/// with its signature, whose defaults are read too).
fn split_components(source: &str) -> (String, Vec<(String, String)>) {
    let mut rest = String::with_capacity(source.len());
    let mut defs = Vec::new();
    let mut pos = 0;
    while let Some(open) = source[pos..].find("{%") {
        let start = pos + open;
        let Some(close) = source[start..].find("%}") else {
            break;
        };
        let tag =
            source[start + 2..start + close].trim_matches(|c: char| c == '-' || c.is_whitespace());
        let after = start + close + 2;
        let Some(sig) = tag.strip_prefix("component ") else {
            rest.push_str(&source[pos..after]);
            pos = after;
            continue;
        };
        let name: String = sig
            .trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        // The matching end tag: `{% endcomponent name %}` (or a bare `endcomponent`).
        let mut search = after;
        let mut end = None;
        while let Some(o) = source[search..].find("{%") {
            let s = search + o;
            let Some(c) = source[s..].find("%}") else {
                break;
            };
            let t = source[s + 2..s + c].trim_matches(|c: char| c == '-' || c.is_whitespace());
            if let Some(n) = t.strip_prefix("endcomponent")
                && (n.trim().is_empty() || n.trim() == name)
            {
                end = Some((s, s + c + 2));
                break;
            }
            search = s + c + 2;
        }
        rest.push_str(&source[pos..start]);
        match end {
            Some((body_end, next)) => {
                defs.push((name, source[start..body_end].to_string()));
                pos = next;
            }
            None => {
                // No end: keep the rest as it is, so that nothing is hidden from the analysis.
                rest.push_str(&source[start..]);
                pos = source.len();
            }
        }
    }
    rest.push_str(&source[pos..]);
    (rest, defs)
}

/// The insides of every `{{ … }}` and `{% … %}` tag.
pub(crate) fn tags(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        loop {
            let open = rest.find('{')?;
            let after = &rest[open + 1..];
            let close = match after.chars().next() {
                Some('{') => "}}",
                Some('%') => "%}",
                _ => {
                    rest = after;
                    continue;
                }
            };
            let Some(end) = after.find(close) else {
                // An unclosed tag: take the rest, so that nothing is hidden.
                let tag = &after[1..];
                rest = "";
                return Some(tag);
            };
            let tag = &after[1..end];
            rest = &after[end + close.len()..];
            return Some(tag);
        }
    })
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Every identifier-like word in a tag (variables, fields, filters, and words in strings).
fn words(tag: &str) -> impl Iterator<Item = &str> {
    tag.split(|c: char| !is_word(c)).filter(|w| {
        w.chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_')
    })
}

/// The string literals in a tag, with their byte offsets.
fn quoted_strings(tag: &str) -> Vec<(&str, usize)> {
    let mut out = Vec::new();
    let bytes = tag.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let q = bytes[i];
        if q == b'"' || q == b'\'' || q == b'`' {
            if let Some(len) = tag[i + 1..].find(q as char) {
                out.push((&tag[i + 1..i + 1 + len], i));
                i += len + 2;
                continue;
            }
            break;
        }
        i += 1;
    }
    out
}

/// Tag text with string literals blanked, so that their contents are not taken for code.
fn code_only(tag: &str) -> String {
    let mut out = tag.to_string();
    for (s, at) in quoted_strings(tag) {
        out.replace_range(at + 1..at + 1 + s.len(), &"x".repeat(s.len()));
    }
    out
}

/// Component calls in a tag: `<name` where a name starts right after `<`.
fn component_calls(tag: &str) -> Vec<&str> {
    let code = code_only(tag);
    let mut out = Vec::new();
    for (i, _) in code.match_indices('<') {
        let name_len = code[i + 1..]
            .chars()
            .take_while(|c| is_word(*c))
            .map(char::len_utf8)
            .sum::<usize>();
        if name_len > 0 {
            out.push(&tag[i + 1..i + 1 + name_len]);
        }
    }
    out
}

/// Variables a text sets to a map written out in the template (`{% set kinds = {…} %}`):
/// indexing them reads the template's own words, not a value's fields.
fn literal_maps(text: &str) -> HashSet<&str> {
    tags(text)
        .filter_map(|tag| {
            let rest = tag.trim_matches(|c: char| c == '-' || c.is_whitespace());
            let rest = rest
                .strip_prefix("set_global ")
                .or_else(|| rest.strip_prefix("set "))?;
            let (name, value) = rest.split_once('=')?;
            let name = name.trim();
            (value.trim_start().starts_with('{') && name.chars().all(is_word)).then_some(name)
        })
        .collect()
}

/// Whether a tag can read fields it does not name.
fn opaque(tag: &str, literals: &HashSet<&str>) -> bool {
    let code = code_only(tag);
    if code
        .split(|c: char| !is_word(c))
        .any(|w| OPAQUE.contains(&w))
    {
        return true;
    }
    // `for key, value in map`: every field of the map.
    let trimmed = code.trim_start();
    if let Some(head) = trimmed.strip_prefix("for ")
        && let Some(vars) = head.split(" in ").next()
        && vars.contains(',')
    {
        return true;
    }
    // `value[expression]`: a computed field, unless it looks up `site.by_path`, whose entries
    // are then read by name, or the index is a literal.
    for (i, _) in code.match_indices('[') {
        let before = code[..i].trim_end();
        let Some(prev) = before.chars().last() else {
            continue;
        };
        if !(is_word(prev) || prev == ']' || prev == ')') {
            continue; // an array literal
        }
        let base: &str = before
            .rsplit(|c: char| !(is_word(c) || c == '.'))
            .next()
            .unwrap_or("");
        // After a keyword (`for x in [...]`, `if a or [...]`) the bracket opens a list literal.
        let keyword = matches!(base, "in" | "and" | "or" | "not" | "if" | "else" | "is");
        if keyword || base.ends_with("by_path") || literals.contains(base) {
            continue;
        }
        let inner = code[i + 1..].split(']').next().unwrap_or("").trim();
        // A quoted key, an index or a slice (`[0]`, `[-1]`, `[:6]`).
        let literal = inner.starts_with(['"', '\'', '`'])
            || !inner.is_empty()
                && inner
                    .bytes()
                    .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b':' | b' '));
        if !literal {
            return true;
        }
    }
    false
}

/// Which top-level keys of `site` a template mentions inside its tags; `None` when it uses
/// `site` in a way that could reach any key (`site[…]`, `site` passed on whole).
pub(crate) fn site_keys(source: &str) -> Option<BTreeSet<String>> {
    let mut keys = BTreeSet::new();
    for tag in crate::render::dependencies::tags(source) {
        let bytes = tag.as_bytes();
        let mut i = 0;
        while let Some(pos) = tag[i..].find("site") {
            let at = i + pos;
            // `@site` in a component's signature only declares that its body reads `site`.
            let before_ok =
                at == 0 || !is_ident(bytes[at - 1]) && !matches!(bytes[at - 1], b'.' | b'@');
            let after_at = at + 4;
            let next = bytes.get(after_at).copied();
            if before_ok && next.is_none_or(|c| !is_ident(c)) {
                if next == Some(b'.') {
                    let name: String = tag[after_at + 1..]
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    if name.is_empty() {
                        return None;
                    }
                    keys.insert(name);
                } else {
                    return None;
                }
            }
            i = after_at;
        }
    }
    Some(keys)
}

/// How a template looks entries up in `site.by_path`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Lookups {
    /// Only by a `path` field of a value it already has (`site.by_path[r.path]`) or by a
    /// literal path: the page depends on those entries.
    Refs(BTreeSet<String>),
    /// By some other expression: the page depends on every entry.
    Any,
}

/// The `site.by_path[…]` lookups in a template.
pub(crate) fn by_path_lookups(source: &str) -> Lookups {
    let mut literals = BTreeSet::new();
    for (i, _) in source.match_indices("site.by_path[") {
        let rest = &source[i + "site.by_path[".len()..];
        let Some(end) = rest.find(']') else {
            return Lookups::Any;
        };
        let expr = rest[..end].trim();
        let quoted = expr.len() >= 2
            && (expr.starts_with('"') && expr.ends_with('"')
                || expr.starts_with('\'') && expr.ends_with('\''));
        if quoted {
            literals.insert(expr[1..expr.len() - 1].to_string());
        } else if !(expr.ends_with(".path")
            && expr
                .split('.')
                .all(|p| !p.is_empty() && p.bytes().all(is_ident)))
        {
            return Lookups::Any;
        }
    }
    Lookups::Refs(literals)
}

/// Whether `c` can be part of a name in a template.
pub(crate) fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// The lookups of two templates together: by reference only when both are.
pub(crate) fn merge_lookups(a: Lookups, b: Lookups) -> Lookups {
    match (a, b) {
        (Lookups::Refs(mut x), Lookups::Refs(y)) => {
            x.extend(y);
            Lookups::Refs(x)
        }
        _ => Lookups::Any,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_are_split_out_and_found_by_their_calls() {
        let src = "{% component card(e, level=3) -%}<h2>{{ e.title }}</h2>{%- endcomponent card %}\n\
                   {% component body(e) %}{{ e.content | safe }}{% endcomponent body %}\n";
        let (rest, defs) = split_components(src);
        assert_eq!(rest.trim(), "");
        assert_eq!(defs.len(), 2);
        assert_eq!(component_calls("{ <card e={x} level={2} /> }"), ["card"]);
        assert!(component_calls("{ a < b }").is_empty());
    }

    #[test]
    fn a_component_called_through_cached_is_read_too() {
        let mut theme = Theme::default();
        for (name, source) in [
            (
                "components.html",
                "{% component card(e) %}{{ e.title }}{% endcomponent card %}",
            ),
            (
                "list.html",
                "{% for e in xs %}{{ cached(component=\"card\", key=e.path, e=e) }}{% endfor %}",
            ),
        ] {
            theme.templates.insert(
                name.to_string(),
                crate::load::theme::TemplateSource {
                    source: source.to_string(),
                    display: name.into(),
                },
            );
        }
        let names = names(&theme, ["list.html"]);
        let list = names["list.html"].as_ref().expect("not opaque");
        assert!(list.contains("title"), "{list:?}");
    }

    #[test]
    fn opaque_tags_are_recognised() {
        let none = HashSet::new();
        assert!(opaque(" page | json_encode ", &none));
        assert!(opaque(" for k, v in page ", &none));
        assert!(opaque(" page[name] ", &none));
        assert!(!opaque(" site.by_path[page.work.path].title ", &none));
        assert!(!opaque(" page.toc[0] ", &none));
        assert!(!opaque(" site.improvements[:6] ", &none));
        assert!(!opaque(" page[\"title\"] ", &none));
        assert!(!opaque(" [1, 2] | length ", &none));
        assert!(!opaque(" for e in site.improvements ", &none));
        assert!(!opaque(
            " for x in [[\"a\", \"A\"], [\"b\", \"B\"]] ",
            &none
        ));
        assert!(!opaque(" if a or [1] | length ", &none));
        assert!(opaque(" for x in xs[k] ", &none));
        let text = "{% set kinds = {\"a\": \"A\"} %}{{ kinds[e.kind] }}";
        let literals = literal_maps(text);
        assert!(!opaque(" kinds[e.kind] ", &literals));
        assert!(opaque(" kinds[e.kind] ", &none));
    }

    #[test]
    fn templates_name_the_site_keys_they_read() {
        let keys = site_keys(
            "<p>{{ site.counts.open }} {% for m in site.milestones %}{% endfor %}</p> website site",
        )
        .expect("keys");
        assert_eq!(
            keys.into_iter().collect::<Vec<_>>(),
            ["counts", "milestones"]
        );
        assert!(site_keys("{{ <comp s={site} /> }}").is_none());
        assert!(site_keys("{{ site[name] }}").is_none());
        assert_eq!(
            site_keys("{% component badge(s, @site) %}{{ site.statuses }}{% endcomponent badge %}")
                .map(|k| k.len()),
            Some(1)
        );
        assert_eq!(
            site_keys("{{ page.site }} {{ website.x }}").map(|k| k.len()),
            Some(0)
        );
        assert_eq!(
            by_path_lookups(
                "{% set w = site.by_path[page.work.path] %}{{ site.by_path['about'] }}"
            ),
            Lookups::Refs(["about".to_string()].into_iter().collect())
        );
        assert_eq!(
            by_path_lookups("{{ site.by_path['improvements/' ~ slug] }}"),
            Lookups::Any
        );
    }
}
