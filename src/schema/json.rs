//! `herald schema`: the description of every kind ([`super::KINDS`]), of site.toml
//! ([`super::SITE`]) and of data/metrics.toml ([`super::METRICS_FILE`]) as JSON Schema
//! (draft 2020-12), for editors and other tools.
//!
//! A schema describes the TOML as JSON: the front matter (or site.toml) parsed as TOML and
//! turned into JSON, with every TOML date and date-time written as the text it is in the file
//! (`date = 2026-03-14` becomes `"date": "2026-03-14"`, as most TOML tools convert it). Every
//! object allows only the keys herald knows (`additionalProperties: false`), so a misspelt
//! key fails, as it does in herald. What only herald can check (that a team is in site.toml,
//! that a milestone file exists, that `until` is after `from`) is said in the descriptions and
//! `$comment`s, not checked.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use super::{Field, KindSchema, Required, Source, Type};
use crate::diagnostics::Diagnostic;

/// The JSON Schema dialect the files are written in.
pub const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// Where the files say they live (`$id`); the name is the file's.
const BASE: &str = "https://herald.invalid/schema/";

/// How the files describe dates, for each file's description.
const DATES: &str = "It describes the TOML converted to JSON, with TOML dates and date-times as \
                     the text they are in the file (2026-03-14).";

/// The file name of `name`'s schema: `improvement.schema.json`.
pub fn file_name(name: &str) -> String {
    format!("{name}.schema.json")
}

/// The JSON Schema of a kind's front matter.
pub fn kind_schema(kind: &KindSchema) -> Value {
    kind_document(kind).to_value()
}

fn kind_document(kind: &KindSchema) -> Json {
    let folder = if kind.section.is_empty() {
        String::new()
    } else {
        format!("{}/", kind.section) // not a route: the folder under content/
    };
    document(
        kind.name,
        &format!("herald {} front matter", kind.name),
        &format!(
            "The front matter of {} in content/{folder}: {} {DATES}",
            kind.what, kind.about
        ),
        kind.fields,
    )
}

/// The JSON Schema of site.toml.
pub fn site_schema() -> Value {
    site_document().to_value()
}

fn site_document() -> Json {
    document(
        "site",
        "herald site.toml",
        &format!("The settings of a herald portal, site.toml. {DATES}"),
        &super::SITE,
    )
}

/// The JSON Schema of data/metrics.toml.
pub fn metrics_schema() -> Value {
    metrics_document().to_value()
}

fn metrics_document() -> Json {
    document(
        "metrics",
        "herald data/metrics.toml",
        &format!(
            "The metrics a herald portal steers by, and customers lost by reason: data/metrics.toml. {DATES}"
        ),
        &super::METRICS_FILE,
    )
}

/// Every schema with its name: `site`, then each kind in the schema's order, then `metrics`.
pub fn all() -> Vec<(&'static str, Value)> {
    documents()
        .into_iter()
        .map(|(name, doc)| (name, doc.to_value()))
        .collect()
}

fn documents() -> Vec<(&'static str, Json)> {
    let mut out = vec![("site", site_document())];
    out.extend(super::KINDS.iter().map(|k| (k.name, kind_document(k))));
    out.push(("metrics", metrics_document()));
    out
}

/// Writes every schema into `dir` (made if missing) as `NAME.schema.json`, pretty-printed
/// with the keys in the description's order; returns the files written, in the order of
/// [`all`].
pub fn write_all(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Diagnostic::io(dir, format!("cannot create the folder: {e}")))?;
    let mut written = Vec::new();
    for (name, schema) in documents() {
        let path = dir.join(file_name(name));
        let mut text = serde_json::to_string_pretty(&schema)
            .map_err(|e| Diagnostic::io(&path, format!("cannot write the schema: {e}")))?;
        text.push('\n');
        std::fs::write(&path, text)
            .map_err(|e| Diagnostic::io(&path, format!("cannot write: {e}")))?;
        written.push(path);
    }
    Ok(written)
}

/// JSON whose objects keep their keys in the order they were put in, so that a schema file
/// lists the keys as the description does (`serde_json`'s own map sorts them).
#[derive(Debug, Clone)]
enum Json {
    /// An object, its keys in order.
    Object(Vec<(String, Json)>),
    /// An array.
    Array(Vec<Json>),
    /// Anything else.
    Value(Value),
}

impl Json {
    fn object<const N: usize>(entries: [(&str, Json); N]) -> Self {
        Json::Object(
            entries
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        )
    }

    fn push(&mut self, key: &str, value: impl Into<Json>) {
        if let Json::Object(entries) = self {
            entries.push((key.to_string(), value.into()));
        }
    }

    fn to_value(&self) -> Value {
        match self {
            Json::Object(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_value()))
                    .collect::<Map<String, Value>>(),
            ),
            Json::Array(items) => Value::Array(items.iter().map(Json::to_value).collect()),
            Json::Value(v) => v.clone(),
        }
    }
}

impl<T: Into<Value>> From<T> for Json {
    fn from(v: T) -> Self {
        Json::Value(v.into())
    }
}

impl serde::Serialize for Json {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match self {
            Json::Object(entries) => {
                let mut m = s.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    m.serialize_entry(k, v)?;
                }
                m.end()
            }
            Json::Array(items) => {
                let mut a = s.serialize_seq(Some(items.len()))?;
                for i in items {
                    a.serialize_element(i)?;
                }
                a.end()
            }
            Json::Value(v) => v.serialize(s),
        }
    }
}

/// A whole schema file: dialect, id, title and description, and the object of `fields`.
fn document(name: &str, title: &str, description: &str, fields: &[Field]) -> Json {
    let mut doc = Json::object([
        ("$schema", DIALECT.into()),
        ("$id", format!("{BASE}{}", file_name(name)).into()),
        ("title", title.into()),
        ("description", description.into()),
    ]);
    if let (Json::Object(entries), Json::Object(body)) = (&mut doc, object(fields)) {
        entries.extend(body);
    }
    doc
}

/// An object with exactly the keys `fields`, the required ones required.
fn object(fields: &[Field]) -> Json {
    let properties = Json::Object(
        fields
            .iter()
            .map(|f| (f.key.to_string(), property(f)))
            .collect(),
    );
    let required: Vec<&str> = fields
        .iter()
        .filter(|f| f.is_required())
        .map(|f| f.key)
        .collect();
    let mut o = Json::object([("type", "object".into()), ("properties", properties)]);
    if !required.is_empty() {
        o.push("required", required);
    }
    o.push("additionalProperties", false);
    // A key required unless another holds text: if none of them is text, it is required.
    let conditions: Vec<Json> = fields
        .iter()
        .filter_map(|f| match f.required {
            Required::UnlessText(keys) => Some(Json::object([
                (
                    "if",
                    Json::object([(
                        "anyOf",
                        Json::Array(
                            keys.iter()
                                .map(|k| {
                                    json!({
                                        "required": [k],
                                        "properties": { k.to_string(): { "type": "string" } },
                                    })
                                    .into()
                                })
                                .collect(),
                        ),
                    )]),
                ),
                ("else", json!({ "required": [f.key] }).into()),
            ])),
            _ => None,
        })
        .collect();
    if !conditions.is_empty() {
        o.push("allOf", Json::Array(conditions));
    }
    o
}

/// Text that is not empty or only spaces.
const NOT_BLANK: &str = "\\S";
/// A date: 2026-03-14.
const DATE: &str = r"^\d{4}-\d{2}-\d{2}$";
/// A date, or a date and time with or without seconds and an offset, as herald reads them.
const MOMENT: &str =
    r"^\d{4}-\d{2}-\d{2}([T t]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})?)?$";
/// One line with something on it.
const ONE_LINE: &str = r"^[^\r\n]*\S[^\r\n]*$";

/// The schema of one key: its label and help, then its type, default and where values come
/// from.
fn property(f: &Field) -> Json {
    let mut p = Json::object([("title", f.label.into()), ("description", f.help.into())]);
    if let (Json::Object(entries), Json::Object(ty)) = (&mut p, value_schema(f)) {
        entries.extend(ty);
    }
    if let Some(d) = f.default.and_then(toml_value) {
        p.push("default", d);
    }
    if let Some(c) = source_comment(f.source) {
        p.push("$comment", c);
    }
    p
}

/// What a key's values may be, as an object.
fn value_schema(f: &Field) -> Json {
    let string =
        |pattern: &str| Json::object([("type", "string".into()), ("pattern", pattern.into())]);
    match f.ty {
        Type::Text | Type::LongText if f.required != Required::No => string(NOT_BLANK),
        Type::Text | Type::LongText => Json::object([("type", "string".into())]),
        Type::Date => Json::object([
            ("type", "string".into()),
            ("format", "date".into()),
            ("pattern", DATE.into()),
        ]),
        Type::Moment => string(MOMENT),
        Type::Bool => Json::object([("type", "boolean".into())]),
        Type::Number => Json::object([("type", "number".into())]),
        Type::Figure { max } => Json::object([(
            "anyOf",
            Json::Array(vec![
                Json::object([("type", "number".into())]),
                Json::object([
                    ("type", "string".into()),
                    ("maxLength", max.into()),
                    ("pattern", ONE_LINE.into()),
                ]),
            ]),
        )]),
        Type::Texts { min } => {
            let mut a = Json::object([("type", "array".into()), ("items", string(NOT_BLANK))]);
            if min > 0 {
                a.push("minItems", min);
            }
            a
        }
        Type::Choice(values) => {
            Json::object([("type", "string".into()), ("enum", values.to_vec().into())])
        }
        Type::Table(children) => object(children),
        Type::Tables(children) => {
            Json::object([("type", "array".into()), ("items", object(children))])
        }
        Type::Numbers => Json::object([
            ("type", "object".into()),
            ("additionalProperties", json!({ "type": "number" }).into()),
        ]),
        Type::Words => Json::object([
            ("type", "object".into()),
            ("additionalProperties", json!({ "type": "string" }).into()),
        ]),
        Type::Named(children) => Json::object([
            ("type", "object".into()),
            ("additionalProperties", object(children)),
        ]),
    }
}

/// What herald checks about a key's values beyond their type.
fn source_comment(source: Source) -> Option<String> {
    match source {
        Source::Free => None,
        Source::Teams => Some("a team of site.toml `teams`, when that list is set".into()),
        Source::Tags => Some("any tag; the portal's tags are offered".into()),
        Source::Screens => Some("a screen of site.toml `[[lobby.screens]]`".into()),
        Source::Entry(kind) => Some(match super::kind(kind) {
            Some(k) if !k.section.is_empty() => format!(
                "the file name of {} in content/{}/, without .md",
                k.what, k.section
            ),
            _ => format!("the file name of a {kind}, without .md"),
        }),
        Source::File => Some("a file beside the Markdown file, or under static/".into()),
    }
}

/// A TOML value (`true`, `"info"`, `10`) as JSON; `None` if it is not TOML.
fn toml_value(text: &str) -> Option<Value> {
    let table: toml::Table = toml::from_str(&format!("v = {text}")).ok()?;
    serde_json::to_value(table.get("v")?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_object_allows_only_its_keys() {
        fn walk(v: &Value, path: &str) {
            match v {
                Value::Object(m) => {
                    if m.get("type") == Some(&json!("object")) && m.contains_key("properties") {
                        assert_eq!(m.get("additionalProperties"), Some(&json!(false)), "{path}");
                    }
                    for (k, v) in m {
                        walk(v, &format!("{path}/{k}"));
                    }
                }
                Value::Array(items) => items.iter().for_each(|i| walk(i, path)),
                _ => {}
            }
        }
        for (name, schema) in all() {
            walk(&schema, name);
        }
    }

    #[test]
    fn improvement_schema_says_what_the_validator_does() {
        let s = kind_schema(&super::super::KINDS[0]);
        assert_eq!(s["$schema"], json!(DIALECT));
        assert_eq!(
            s["$id"],
            json!("https://herald.invalid/schema/improvement.schema.json")
        );
        assert_eq!(s["required"], json!(["title", "date", "teams"]));
        assert_eq!(s["properties"]["teams"]["minItems"], json!(1));
        assert_eq!(s["properties"]["date"]["format"], json!("date"));
        assert_eq!(s["properties"]["lobby"]["default"], json!(true));
        let metric = &s["properties"]["metric"];
        assert_eq!(metric["required"], json!(["name", "before", "after"]));
        assert_eq!(
            metric["properties"]["better"]["enum"],
            json!(["lower", "higher"])
        );
        assert_eq!(
            metric["properties"]["before"]["anyOf"][1]["maxLength"],
            json!(super::super::FIGURE_TEXT_MAX)
        );
        assert_eq!(
            metric["allOf"][0]["else"],
            json!({ "required": ["better"] })
        );
        assert_eq!(
            s["properties"]["milestone"]["$comment"],
            json!("the file name of a milestone in content/roadmap/, without .md")
        );
    }

    #[test]
    fn defaults_are_toml_values() {
        fn walk(fields: &[Field]) {
            for f in fields {
                if let Some(d) = f.default {
                    assert!(toml_value(d).is_some(), "{}: {d}", f.key);
                }
                walk(f.children());
            }
        }
        for k in &super::super::KINDS {
            walk(k.fields);
        }
        walk(&super::super::SITE);
        walk(&super::super::METRICS_FILE);
    }
}
