//! The shape of `src/`, checked: its modules import each other without a circle, and no module
//! but `src/routes.rs` spells a path of the built site.
//!
//! `cargo test architecture` runs these; a failure prints the circle, or the file, line and
//! text that formats a URL. The reading is textual (like `../shared/checkers/modgraph`): the
//! paths after `crate::` and `super::`, `use` groups included, are resolved to the longest
//! module that exists as a file; a module's references to its own parent or children do not
//! count, and test code (from a file's first `#[cfg(test)]` on) is left out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::support::repo;

/// Every `.rs` file under `dir`, by module path (`view::site`, `model`).
fn modules(src: &Path) -> BTreeMap<String, PathBuf> {
    let mut out = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|x| x != "rs") {
                continue;
            }
            let rel = path
                .strip_prefix(src)
                .expect("under src")
                .with_extension("");
            let mut parts: Vec<String> = rel
                .iter()
                .map(|p| p.to_string_lossy().into_owned())
                .collect();
            if parts.last().is_some_and(|p| p == "mod") {
                parts.pop();
            }
            if parts.is_empty() || parts == ["lib"] || parts == ["main"] {
                continue;
            }
            out.insert(parts.join("::"), path);
        }
    }
    out
}

/// A file's text without its tests and line comments.
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("read");
    let text = match text.find("#[cfg(test)]") {
        Some(i) => &text[..i],
        None => &text[..],
    };
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) if !l[..i].contains('"') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `a::{b, c::{d, e}}` → `a::b`, `a::c::d`, `a::c::e`.
fn expand(path: &str) -> Vec<String> {
    let path: String = path.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(open) = path.find('{') else {
        return vec![path.split(" as ").next().unwrap_or("").to_string()];
    };
    let (head, rest) = path.split_at(open);
    let inner = rest.trim_start_matches('{').trim_end_matches('}');
    let mut items = Vec::new();
    let (mut depth, mut cur) = (0, String::new());
    for ch in inner.chars() {
        match ch {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
        if ch == ',' && depth == 0 {
            items.push(std::mem::take(&mut cur));
        } else {
            cur.push(ch);
        }
    }
    items.push(cur);
    items
        .iter()
        .filter(|i| !i.is_empty())
        .flat_map(|i| expand(&format!("{head}{i}")))
        .map(|p| p.trim_end_matches("::self").to_string())
        .collect()
}

/// The modules each module names, parents and children left out.
fn edges(mods: &BTreeMap<String, PathBuf>) -> BTreeMap<String, BTreeSet<String>> {
    let resolve = |parts: &[&str]| -> Option<String> {
        (1..=parts.len())
            .rev()
            .map(|k| parts[..k].join("::"))
            .find(|m| mods.contains_key(m))
    };
    let mut out = BTreeMap::new();
    for (m, file) in mods {
        let text = code(file);
        let mut refs: Vec<String> = Vec::new();
        for stmt in text.split(';') {
            if let Some(i) = stmt.find("use ") {
                let path = stmt[i + 4..].trim();
                if path.starts_with("crate") || path.starts_with("super") {
                    refs.extend(expand(path));
                }
            }
        }
        for (i, _) in text
            .match_indices("crate::")
            .chain(text.match_indices("super::"))
        {
            let tail: String = text[i..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            refs.push(tail);
        }
        let here: Vec<&str> = m.split("::").collect();
        let mut targets = BTreeSet::new();
        for r in &refs {
            let parts: Vec<&str> = r.split("::").filter(|p| !p.is_empty()).collect();
            let target: Vec<&str> = match parts.first() {
                Some(&"crate") => parts[1..].to_vec(),
                Some(&"super") => {
                    let ups = parts.iter().take_while(|p| **p == "super").count();
                    let keep = here.len().saturating_sub(ups);
                    here[..keep].iter().chain(&parts[ups..]).copied().collect()
                }
                _ => continue,
            };
            if let Some(t) = resolve(&target)
                && t != *m
                && !t.starts_with(&format!("{m}::"))
                && !m.starts_with(&format!("{t}::"))
            {
                targets.insert(t);
            }
        }
        out.insert(m.clone(), targets);
    }
    out
}

/// A circle through `start`, if there is one.
fn circle_from(start: &str, edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    let mut stack = vec![(start.to_string(), vec![start.to_string()])];
    let mut seen = BTreeSet::new();
    while let Some((at, path)) = stack.pop() {
        for next in edges.get(&at).into_iter().flatten() {
            if next == start {
                let mut circle = path.clone();
                circle.push(start.to_string());
                return Some(circle);
            }
            if seen.insert(next.clone()) {
                let mut p = path.clone();
                p.push(next.clone());
                stack.push((next.clone(), p));
            }
        }
    }
    None
}

/// Every circle in the graph, one through each module on one, as `a → b → a`.
fn circles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    edges
        .keys()
        .filter_map(|m| circle_from(m, edges))
        .map(|c| c.join(" → "))
        .collect()
}

#[test]
fn the_modules_import_each_other_without_a_circle() {
    let mods = modules(&repo().join("src"));
    assert!(mods.len() > 20, "found only {} modules", mods.len());
    let edges = edges(&mods);
    // The check can fail: the stages do name each other.
    assert!(
        edges["view::site"].contains("model"),
        "the reader lost the edges: {edges:?}"
    );
    let circles = circles(&edges);
    assert!(
        circles.is_empty(),
        "import circles:\n{}",
        circles.join("\n")
    );
}

/// The top-level modules (the stages: `load`, `model`, `view`, `render`, …) import each other
/// without a circle either: a module's reference to a child of another stage is a reference to
/// that stage.
#[test]
fn the_stages_import_each_other_without_a_circle() {
    let mods = modules(&repo().join("src"));
    let stage = |m: &str| m.split("::").next().unwrap_or(m).to_string();
    let mut stages: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (m, targets) in edges(&mods) {
        let from = stage(&m);
        let entry = stages.entry(from.clone()).or_default();
        entry.extend(targets.iter().map(|t| stage(t)).filter(|t| *t != from));
    }
    assert!(stages["view"].contains("model") && stages["model"].contains("load"));
    let circles = circles(&stages);
    assert!(
        circles.is_empty(),
        "circles between stages:\n{}",
        circles.join("\n")
    );
}

/// Texts that spell a path of the built site. Only `src/routes.rs` may hold them.
const ROUTE_TEXTS: [&str; 14] = [
    "\"teams/",
    "\"tags/",
    "\"digest/",
    "\"letter/",
    "\"lobby/",
    "\"roadmap/",
    "\"metrics/",
    "\"search/",
    "page/{",
    "atom.xml\"",
    "sitemap.xml\"",
    "/index.html\"",
    "\"index.html\".into",
    "{}/\"",
];

/// What a line that looks like a route but is not one says about itself.
const NOT_A_ROUTE: &str = "not a route";

#[test]
fn only_the_routes_module_spells_a_path_of_the_site() {
    let mods = modules(&repo().join("src"));
    let mut found = Vec::new();
    for (m, file) in &mods {
        if m == "routes" {
            continue;
        }
        let raw = std::fs::read_to_string(file).expect("read");
        let raw: Vec<&str> = raw.lines().collect();
        for (n, line) in code(file).lines().enumerate() {
            if raw.get(n).is_some_and(|l| l.contains(NOT_A_ROUTE)) {
                continue;
            }
            let t = line.trim_start();
            if t.starts_with("///") || t.starts_with("//!") {
                continue;
            }
            for pat in ROUTE_TEXTS {
                if line.contains(pat) {
                    found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "paths of the site spelled outside src/routes.rs:\n{}",
        found.join("\n")
    );
    let routes = std::fs::read_to_string(repo().join("src/routes.rs")).expect("routes");
    assert!(routes.contains("\"teams/") || routes.contains("teams/{slug}/"));
}
