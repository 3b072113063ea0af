//! The studio's forms and the files behind them: the values a form sends (JSON, one key per
//! schema field) turned into the front matter a person would write, and an existing file
//! changed in place, only where a value was edited, with its comments, key order and
//! untouched lines as they were (`toml_edit`). And back: a file's front matter as form values.

use serde_json::{Map, Value as Json};
use toml_edit::{DocumentMut, Item, Table, Value};

use crate::schema::{Field, KindSchema, Type};

/// What the studio sends for one item: the form's values and the Markdown body.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub(crate) struct Draft {
    /// One value per schema key; a missing, `null`, empty text or empty list value is a key
    /// left out.
    #[serde(default)]
    pub values: Map<String, Json>,
    /// The Markdown after the front matter.
    #[serde(default)]
    pub body: String,
}

/// The text of a new file from `draft`: `+++`, the keys in the schema's order (values first,
/// then `[tables]` and `[[lists of tables]]`), `+++`, a blank line and the body.
pub(crate) fn new_text(kind: &KindSchema, draft: &Draft) -> String {
    let mut doc = DocumentMut::new();
    set_fields(doc.as_table_mut(), kind.fields, &draft.values, true);
    let mut front = doc.to_string();
    if !front.ends_with('\n') && !front.is_empty() {
        front.push('\n');
    }
    let body = draft.body.trim_end();
    format!(
        "+++\n{front}+++\n\n{body}{}",
        if body.is_empty() { "" } else { "\n" }
    )
}

/// `original` with the values of `draft` put in: a key whose value is unchanged keeps its
/// text and comments; changed values keep the comments around them; keys the schema does
/// not know are left alone (the checks report them). The body is replaced when it changed.
pub(crate) fn edited_text(
    kind: &KindSchema,
    original: &str,
    draft: &Draft,
) -> Result<String, String> {
    let (front, front_start, front_end, body_start) = split(original)?;
    let mut doc: DocumentMut = front
        .parse()
        .map_err(|e: toml_edit::TomlError| plain_toml_error(&e, original, front_start))?;
    let before = doc.to_string();
    set_fields(doc.as_table_mut(), kind.fields, &draft.values, false);
    let after = doc.to_string();
    let new_front = if after == before {
        front.to_string()
    } else {
        // toml_edit ends the lines it writes with LF; a CRLF file stays CRLF.
        let mut f = after.replace("\r\n", "\n");
        if !f.is_empty() && !f.ends_with('\n') {
            f.push('\n');
        }
        if front.contains("\r\n") {
            f = f.replace('\n', "\r\n");
        }
        f
    };
    let old_body = &original[body_start..];
    let body = if body_of(old_body) == draft.body {
        old_body.to_string()
    } else {
        let b = draft.body.trim_end();
        format!("\n{b}{}", if b.is_empty() { "" } else { "\n" })
    };
    Ok(format!(
        "{}{new_front}{}{body}",
        &original[..front_start],
        &original[front_end..body_start]
    ))
}

/// The form values and body of a file's text.
pub(crate) fn values_of(kind: &KindSchema, text: &str) -> Result<Draft, String> {
    let (front, front_start, _, body_start) = split(text)?;
    let doc: DocumentMut = front
        .parse()
        .map_err(|e: toml_edit::TomlError| plain_toml_error(&e, text, front_start))?;
    let mut values = Map::new();
    for f in kind.fields {
        if let Some(item) = doc.get(f.key)
            && let Some(v) = json_of_item(item)
        {
            values.insert(f.key.to_string(), v);
        }
    }
    Ok(Draft {
        values,
        body: body_of(&text[body_start..]).to_string(),
    })
}

/// The body as the form shows it: without the blank line after the front matter.
fn body_of(raw: &str) -> &str {
    raw.strip_prefix("\r\n")
        .or_else(|| raw.strip_prefix('\n'))
        .unwrap_or(raw)
}

/// The front matter of `text` and where it is: (front matter, its start, its end, where
/// the body starts).
fn split(text: &str) -> Result<(&str, usize, usize, usize), String> {
    let source: std::sync::Arc<str> = std::sync::Arc::from(text);
    let s = crate::load::frontmatter::split(text, std::path::Path::new("file"), &source)
        .map_err(|d| d.message)?;
    let start = s.front_offset;
    let end = start + s.front.len();
    Ok((s.front, start, end, s.body_offset))
}

/// Why the front matter cannot be read, with its line in the file: the form cannot show it
/// until the file is fixed in a text editor.
fn plain_toml_error(e: &toml_edit::TomlError, text: &str, front_start: usize) -> String {
    let line = e
        .span()
        .and_then(|s| text.get(..front_start + s.start))
        .map(|before| format!(" on line {}", before.matches('\n').count() + 1))
        .unwrap_or_default();
    format!(
        "the front matter cannot be read{line}: {}; fix it in a text editor, then open it here again",
        e.message().trim().trim_end_matches('.')
    )
}

/// Puts each field's value from `values` into `table`: a key `values` does not have is left
/// alone, one it has empty (`null`, `""`, `[]`) is removed. `fresh`: a new file, where
/// defaults are left out.
fn set_fields(table: &mut Table, fields: &[Field], values: &Map<String, Json>, fresh: bool) {
    // Plain values first, so that a new file reads top to bottom like `herald new`'s.
    let (plain, tables): (Vec<&Field>, Vec<&Field>) = fields
        .iter()
        .partition(|f| !matches!(f.ty, Type::Table(_) | Type::Tables(_)));
    for f in plain.into_iter().chain(tables) {
        // A key the form did not send is left as it is; one sent empty is removed.
        if !fresh && !values.contains_key(f.key) {
            continue;
        }
        let given = values.get(f.key);
        match f.ty {
            Type::Table(children) => set_table(table, f, children, given, fresh),
            Type::Tables(children) => set_tables(table, f, children, given, fresh),
            _ => {
                let new = value_of(f, given);
                let existing = table.get(f.key);
                match (new, existing) {
                    (None, None) => {}
                    (None, Some(_)) => {
                        table.remove(f.key);
                    }
                    (Some(v), None) => {
                        if !(f.default.is_some_and(|d| same(&v, d))) {
                            table.insert(f.key, Item::Value(v));
                        }
                    }
                    (Some(v), Some(old)) => {
                        if json_of_item(old) != Some(json_of_value(&v)) {
                            replace_value(table, f.key, v);
                        }
                    }
                }
            }
        }
    }
}

/// Whether `v` is the TOML value written `default`.
fn same(v: &Value, default: &str) -> bool {
    default
        .parse::<Value>()
        .is_ok_and(|d| json_of_value(&d) == json_of_value(v))
}

/// Replaces a key's value, keeping the comment after it and the spacing around it.
fn replace_value(table: &mut Table, key: &str, mut v: Value) {
    if let Some(Item::Value(old)) = table.get(key) {
        let decor = old.decor().clone();
        *v.decor_mut() = decor;
    }
    table.insert(key, Item::Value(v));
}

fn set_table(
    parent: &mut Table,
    f: &Field,
    children: &'static [Field],
    given: Option<&Json>,
    fresh: bool,
) {
    let empty = Map::new();
    let obj = given.and_then(Json::as_object).unwrap_or(&empty);
    let wanted = children
        .iter()
        .any(|c| value_of(c, obj.get(c.key)).is_some());
    if !wanted {
        parent.remove(f.key);
        return;
    }
    match parent.get_mut(f.key) {
        Some(Item::Table(t)) => set_fields(t, children, obj, false),
        Some(Item::Value(Value::InlineTable(t))) => {
            let mut table = std::mem::take(t).into_table();
            set_fields(&mut table, children, obj, false);
            let mut inline = table.into_inline_table();
            inline.fmt();
            parent.insert(f.key, Item::Value(Value::InlineTable(inline)));
        }
        _ => {
            let mut t = Table::new();
            set_fields(&mut t, children, obj, fresh);
            if !fresh {
                t.decor_mut().set_prefix("\n");
            }
            parent.insert(f.key, Item::Table(t));
        }
    }
}

fn set_tables(
    parent: &mut Table,
    f: &Field,
    children: &'static [Field],
    given: Option<&Json>,
    fresh: bool,
) {
    let rows: Vec<&Map<String, Json>> = given
        .and_then(Json::as_array)
        .map(|a| a.iter().filter_map(Json::as_object).collect())
        .unwrap_or_default();
    let rows: Vec<&Map<String, Json>> = rows
        .into_iter()
        .filter(|r| children.iter().any(|c| value_of(c, r.get(c.key)).is_some()))
        .collect();
    if rows.is_empty() {
        parent.remove(f.key);
        return;
    }
    if let Some(Item::ArrayOfTables(list)) = parent.get_mut(f.key) {
        while list.len() > rows.len() {
            list.remove(list.len() - 1);
        }
        for (i, row) in rows.iter().enumerate() {
            match list.get_mut(i) {
                Some(t) => set_fields(t, children, row, false),
                None => {
                    let mut t = Table::new();
                    set_fields(&mut t, children, row, true);
                    t.decor_mut().set_prefix("\n");
                    list.push(t);
                }
            }
        }
        return;
    }
    let mut list = toml_edit::ArrayOfTables::new();
    for row in rows {
        let mut t = Table::new();
        set_fields(&mut t, children, row, true);
        if !fresh || !list.is_empty() {
            t.decor_mut().set_prefix("\n");
        }
        list.push(t);
    }
    parent.insert(f.key, Item::ArrayOfTables(list));
}

/// The TOML value a form value is for `f`, or `None` when the key is left out. Text that is
/// not what the key wants stays text, so that the checks say what is wrong with it.
fn value_of(f: &Field, v: Option<&Json>) -> Option<Value> {
    let v = v?;
    match f.ty {
        Type::Text | Type::Choice(_) => text(v).map(|s| Value::from(s.trim())),
        Type::LongText => text(v).map(|s| Value::from(s.trim_end())),
        Type::Date | Type::Moment => {
            let s = text(v)?;
            let s = s.trim();
            match s.parse::<toml_edit::Datetime>() {
                Ok(dt) if f.ty == Type::Moment || dt.time.is_none() => Some(Value::from(dt)),
                _ => Some(Value::from(s)),
            }
        }
        Type::Bool => match v {
            Json::Bool(b) => Some(Value::from(*b)),
            _ => None,
        },
        Type::Number | Type::Figure { .. } => number(v),
        Type::Texts { .. } => {
            let items: Vec<String> = match v {
                Json::Array(a) => a
                    .iter()
                    .filter_map(text)
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect(),
                Json::String(s) => s
                    .split([',', '\n'])
                    .map(|x| x.trim().to_string())
                    .filter(|x| !x.is_empty())
                    .collect(),
                _ => Vec::new(),
            };
            (!items.is_empty()).then(|| Value::Array(items.iter().map(String::as_str).collect()))
        }
        // Tables are set whole by their callers; a table of numbers is not in any content kind.
        Type::Table(_) | Type::Tables(_) | Type::Numbers | Type::Words | Type::Named(_) => None,
    }
}

/// Non-empty text.
fn text(v: &Json) -> Option<&str> {
    match v {
        Json::String(s) if !s.trim().is_empty() => Some(s),
        _ => None,
    }
}

/// A number from a number or from text that is one; other text stays text: a figure may be
/// words, and for a number the checks say what is wrong with it.
fn number(v: &Json) -> Option<Value> {
    let x = match v {
        Json::Number(n) => n.as_f64()?,
        Json::String(s) => {
            let s = s.trim();
            if s.is_empty() {
                return None;
            }
            match s.replace('_', "").parse::<f64>() {
                Ok(x) if x.is_finite() && looks_numeric(s) => x,
                _ => return Some(Value::from(s)),
            }
        }
        _ => return None,
    };
    if x.fract() == 0.0 && x.abs() < 1e15 {
        Some(Value::from(x as i64))
    } else {
        Some(Value::from(x))
    }
}

/// Plain decimal notation (`12`, `-3.5`), not `inf`, `1e9` or `0x10`.
fn looks_numeric(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '_')
        && s.chars().filter(|c| *c == '.').count() <= 1
        && s.chars().next().is_some_and(|c| c.is_ascii_digit())
}

/// A TOML item as the form's JSON; dates as their text.
fn json_of_item(item: &Item) -> Option<Json> {
    match item {
        Item::None => None,
        Item::Value(v) => Some(json_of_value(v)),
        Item::Table(t) => Some(Json::Object(
            t.iter()
                .filter_map(|(k, v)| Some((k.to_string(), json_of_item(v)?)))
                .collect(),
        )),
        Item::ArrayOfTables(list) => Some(Json::Array(
            list.iter()
                .map(|t| {
                    Json::Object(
                        t.iter()
                            .filter_map(|(k, v)| Some((k.to_string(), json_of_item(v)?)))
                            .collect(),
                    )
                })
                .collect(),
        )),
    }
}

fn json_of_value(v: &Value) -> Json {
    match v {
        Value::String(s) => Json::from(s.value().as_str()),
        Value::Integer(i) => Json::from(*i.value() as f64),
        Value::Float(f) => Json::from(*f.value()),
        Value::Boolean(b) => Json::from(*b.value()),
        Value::Datetime(d) => Json::from(d.value().to_string()),
        Value::Array(a) => Json::Array(a.iter().map(json_of_value).collect()),
        Value::InlineTable(t) => Json::Object(
            t.iter()
                .map(|(k, v)| (k.to_string(), json_of_value(v)))
                .collect(),
        ),
    }
}

/// The key path (`date`, `metric.before`, `tasks.2.due`) of each line of a file's front
/// matter, by 1-based line number in the file: what a problem at that line is about.
pub(crate) fn line_keys(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut table = String::new();
    let mut rows: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut in_front = false;
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let t = line.trim();
        if t == "+++" {
            if in_front {
                break;
            }
            in_front = true;
            continue;
        }
        if !in_front || t.is_empty() || t.starts_with('#') {
            continue;
        }
        if let Some(name) = t.strip_prefix("[[").and_then(|r| r.split("]]").next()) {
            let name = name.trim().to_string();
            let row = rows.entry(name.clone()).or_insert(0);
            table = format!("{name}.{row}");
            *row += 1;
            out.push((n, table.clone()));
            continue;
        }
        if let Some(name) = t.strip_prefix('[').and_then(|r| r.split(']').next()) {
            table = name.trim().to_string();
            out.push((n, table.clone()));
            continue;
        }
        if let Some((key, _)) = t.split_once('=') {
            let key = key.trim().trim_matches('"');
            if !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
            {
                let path = if table.is_empty() {
                    key.to_string()
                } else {
                    format!("{table}.{key}")
                };
                out.push((n, path));
                continue;
            }
        }
        // A value that runs over lines belongs to the key above it.
        if let Some((_, last)) = out.last().cloned() {
            out.push((n, last));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn improvement() -> &'static KindSchema {
        crate::schema::kind("improvement").expect("kind")
    }

    fn draft(values: Json, body: &str) -> Draft {
        Draft {
            values: values.as_object().cloned().unwrap_or_default(),
            body: body.into(),
        }
    }

    #[test]
    fn a_new_file_reads_like_one_a_person_wrote() {
        let d = draft(
            json!({
                "title": "Refunds in two days",
                "date": "2026-12-01",
                "teams": ["Billing", "Customer Care"],
                "lobby": true,
                "metric": { "name": "Customers who call twice", "before": "1 in 3", "after": "1 in 10", "better": "" },
                "quote": { "text": "", "by": "" },
                "tags": []
            }),
            "It is *faster*.",
        );
        assert_eq!(
            new_text(improvement(), &d),
            "+++\ntitle = \"Refunds in two days\"\ndate = 2026-12-01\nteams = [\"Billing\", \"Customer Care\"]\n\n[metric]\nname = \"Customers who call twice\"\nbefore = \"1 in 3\"\nafter = \"1 in 10\"\n+++\n\nIt is *faster*.\n"
        );
    }

    #[test]
    fn an_edit_changes_only_the_values_that_changed() {
        let original = "+++\n# Owned by Billing.\ntitle = 'Old title'   # keep me\ndate = 2026-01-02\nteams = [\"Billing\"]\n\n[metric]\nname = \"Days\"\nbefore = 10 # was ten\nafter = 2\nbetter = \"lower\"\n+++\n\nBody text.\n";
        let kind = improvement();
        let mut d = values_of(kind, original).expect("values");
        assert_eq!(d.body, "Body text.\n");
        d.values["metric"]["after"] = json!("3");
        let edited = edited_text(kind, original, &d).expect("edit");
        assert_eq!(edited, original.replace("after = 2", "after = 3"));
        // Nothing edited: the same bytes.
        let same = values_of(kind, original).expect("values");
        assert_eq!(edited_text(kind, original, &same).expect("edit"), original);
    }

    #[test]
    fn keys_the_form_did_not_send_stay_and_empty_ones_go() {
        let original = "+++\ntitle = \"T\"\ndate = 2026-01-02\nteams = [\"Billing\"]\nowner = \"Ana\"\ndraft = true\ntitel = \"typo\"\n+++\nBody\n";
        let d = draft(json!({ "owner": "" }), "Body\n");
        let edited = edited_text(improvement(), original, &d).expect("edit");
        assert_eq!(edited, original.replace("owner = \"Ana\"\n", ""));
    }

    #[test]
    fn every_example_file_opens_and_saves_unchanged() {
        let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let mut n = 0;
        for e in walkdir::WalkDir::new(&content)
            .into_iter()
            .filter_map(Result::ok)
        {
            if e.path().extension().is_none_or(|x| x != "md") {
                continue;
            }
            let rel = e.path().strip_prefix(&content).expect("inside");
            let first = rel.iter().next().map(|c| c.to_string_lossy().into_owned());
            let kind = crate::schema::KINDS
                .iter()
                .find(|k| rel.iter().count() > 1 && first.as_deref() == Some(k.section))
                .or_else(|| crate::schema::kind("page"))
                .expect("kind");
            let text = std::fs::read_to_string(e.path()).expect("read");
            let d = values_of(kind, &text).expect("values");
            assert_eq!(
                edited_text(kind, &text, &d).expect("edit"),
                text,
                "{}",
                e.path().display()
            );
            n += 1;
        }
        assert!(n > 40, "{n} files");
    }

    #[test]
    fn a_crlf_file_stays_crlf() {
        let original = "+++\r\ntitle = \"T\"\r\ndate = 2026-01-02\r\nteams = [\"Billing\"]\r\n+++\r\n\r\nBody\r\n";
        let mut d = values_of(improvement(), original).expect("values");
        assert_eq!(
            edited_text(improvement(), original, &d).expect("same"),
            original
        );
        d.values["title"] = json!("New");
        assert_eq!(
            edited_text(improvement(), original, &d).expect("edit"),
            original.replace("\"T\"", "\"New\"")
        );
    }

    #[test]
    fn an_inline_table_stays_inline() {
        let original = "+++\ntitle = \"T\"\nmetric = { name = \"Days\", before = 10, after = 2, better = \"lower\" }\n+++\n\nB\n";
        let mut d = values_of(improvement(), original).expect("values");
        d.values["metric"]["after"] = json!(3);
        let edited = edited_text(improvement(), original, &d).expect("edit");
        assert!(
            edited.contains(
                "metric = { name = \"Days\", before = 10, after = 3, better = \"lower\" }"
            ),
            "{edited}"
        );
    }

    #[test]
    fn a_task_row_edit_keeps_comments() {
        let kind = crate::schema::kind("milestone").expect("kind");
        let original = "+++\ntitle = \"M\"\nphase = \"One\"\ntarget = 2026-06-01\nstatus = \"in-progress\"\nowner = \"Billing\"\n\n# Who does what.\n[[tasks]]\nteam = \"Billing\"\ntask = \"First\"   # the hard one\ndue = 2026-03-01\n\n[[tasks]]\nteam = \"Billing\"\ntask = \"Second\"\ndue = 2026-04-01\n+++\n\nWhy.\n";
        let mut d = values_of(kind, original).expect("values");
        d.values["tasks"][1]["done_on"] = json!("2026-03-30");
        let edited = edited_text(kind, original, &d).expect("edit");
        assert_eq!(
            edited,
            original.replace(
                "due = 2026-04-01\n",
                "due = 2026-04-01\ndone_on = 2026-03-30\n"
            )
        );
    }

    #[test]
    fn problems_find_their_keys_by_line() {
        let text = "+++\ntitle = \"x\"\nteams = [\n  \"A\",\n]\n[metric]\nname = \"n\"\n[[tasks]]\ndue = 1\n[[tasks]]\ndue = 2\n+++\nbody\n";
        let keys = line_keys(text);
        let at = |n: usize| keys.iter().find(|(l, _)| *l == n).map(|(_, k)| k.as_str());
        assert_eq!(at(2), Some("title"));
        assert_eq!(at(4), Some("teams"));
        assert_eq!(at(7), Some("metric.name"));
        assert_eq!(at(9), Some("tasks.0.due"));
        assert_eq!(at(11), Some("tasks.1.due"));
        assert_eq!(at(13), None);
    }
}
