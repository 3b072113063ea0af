//! `herald schema`: the JSON Schema files it writes are valid JSON Schema, every example
//! content file's front matter and the example site.toml and data/metrics.toml validate
//! against them, a misspelt key or a value herald does not allow fails, and every file
//! `herald new` writes validates too (the schema, the validator and `herald new` are made from
//! one description).

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::support::{TestSite, repo};

/// The kinds, in the order `herald schema` writes them.
const KINDS: [&str; 5] = [
    "improvement",
    "milestone",
    "recognition",
    "announcement",
    "page",
];

/// `herald schema --output DIR` run in a fresh folder: each schema by name (`site`,
/// `improvement`, … `metrics`), parsed, with what the command printed.
fn written_schemas() -> (BTreeMap<String, Value>, String) {
    let s = TestSite::empty();
    let r = s.run(&["schema", "--output", "out"]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(s.path().join("out")).expect("the folder is made") {
        let path = e.expect("entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".schema.json"))
            .unwrap_or_else(|| panic!("{} is not NAME.schema.json", path.display()))
            .to_string();
        let text = std::fs::read_to_string(&path).expect("read");
        let value: Value = serde_json::from_str(&text).expect("the file is JSON");
        out.insert(name, value);
    }
    (out, r.stdout)
}

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::options()
        .should_validate_formats(true)
        .build(schema)
        .expect("a valid schema")
}

/// TOML as JSON, dates and date-times as the text they are in TOML, as the schema files say.
fn to_json(v: &toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s.clone()),
        toml::Value::Integer(i) => Value::from(*i),
        toml::Value::Float(f) => Value::from(*f),
        toml::Value::Boolean(b) => Value::Bool(*b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.iter().map(to_json).collect()),
        toml::Value::Table(t) => Value::Object(
            t.iter()
                .map(|(k, v)| (k.clone(), to_json(v)))
                .collect::<serde_json::Map<_, _>>(),
        ),
    }
}

/// The front matter of a content file (between its `+++` lines), as JSON.
fn front_matter(text: &str, file: &Path) -> Value {
    let mut lines = text.lines();
    assert_eq!(
        lines.next().map(str::trim_end),
        Some("+++"),
        "{}",
        file.display()
    );
    let front: Vec<&str> = lines.take_while(|l| l.trim_end() != "+++").collect();
    let table: toml::Value =
        toml::from_str(&front.join("\n")).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    to_json(&table)
}

/// The problems `schema` finds in `instance`, as text.
fn problems(schema: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    schema
        .iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// The kind of a file under content/, from its first folder.
fn kind_of(rel: &Path) -> &'static str {
    let first = rel
        .components()
        .next()
        .and_then(|c| c.as_os_str().to_str())
        .unwrap_or("");
    match (first, rel.components().count()) {
        ("improvements", n) if n > 1 => "improvement",
        ("roadmap", n) if n > 1 => "milestone",
        ("recognitions", n) if n > 1 => "recognition",
        ("announcements", n) if n > 1 => "announcement",
        _ => "page",
    }
}

#[test]
fn herald_schema_writes_a_valid_json_schema_for_site_toml_every_kind_and_the_metrics() {
    let (schemas, stdout) = written_schemas();
    let mut expected: Vec<&str> = KINDS.to_vec();
    expected.extend(["site", "metrics"]);
    expected.sort_unstable();
    assert_eq!(
        schemas.keys().map(String::as_str).collect::<Vec<_>>(),
        expected
    );
    for (name, schema) in &schemas {
        assert!(
            stdout.contains(&format!("{name}.schema.json")),
            "says it wrote {name}:\n{stdout}"
        );
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        assert_eq!(
            schema["$id"],
            format!("https://herald.invalid/schema/{name}.schema.json").as_str()
        );
        if let Err(e) = jsonschema::meta::validate(schema) {
            panic!("{name} is not valid JSON Schema: {e}");
        }
    }
}

#[test]
fn every_example_content_file_validates_against_its_kinds_schema() {
    let (schemas, _) = written_schemas();
    let validators: BTreeMap<&str, jsonschema::Validator> = KINDS
        .iter()
        .map(|k| (*k, validator(&schemas[*k])))
        .collect();
    let content = repo().join("content");
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for e in walkdir::WalkDir::new(&content).sort_by_file_name() {
        let e = e.expect("walk");
        if !e.file_type().is_file() || e.path().extension().is_none_or(|x| x != "md") {
            continue;
        }
        let rel = e.path().strip_prefix(&content).expect("under content/");
        let kind = kind_of(rel);
        let text = std::fs::read_to_string(e.path()).expect("read");
        let front = front_matter(&text, rel);
        let found = problems(&validators[kind], &front);
        assert!(
            found.is_empty(),
            "content/{} is not a valid {kind}: {found:?}",
            rel.display()
        );
        *seen.entry(kind).or_default() += 1;
    }
    for kind in KINDS {
        assert!(
            seen.get(kind).is_some_and(|n| *n > 0),
            "no {kind} in {seen:?}"
        );
    }
}

#[test]
fn the_example_site_toml_and_metrics_validate() {
    let (schemas, _) = written_schemas();
    for (name, file) in [("site", "site.toml"), ("metrics", "data/metrics.toml")] {
        let text = std::fs::read_to_string(repo().join(file)).expect("read");
        let value: toml::Value = toml::from_str(&text).expect("TOML");
        let found = problems(&validator(&schemas[name]), &to_json(&value));
        assert!(found.is_empty(), "{file}: {found:?}");
    }
    // And the bare portal's site.toml.
    let text = std::fs::read_to_string(repo().join("src/scaffold/empty/site.toml")).expect("read");
    let value: toml::Value = toml::from_str(&text).expect("TOML");
    let found = problems(&validator(&schemas["site"]), &to_json(&value));
    assert!(found.is_empty(), "the bare site.toml: {found:?}");
}

#[test]
fn a_misspelt_key_or_a_value_herald_does_not_allow_fails_as_it_does_in_herald() {
    let (schemas, _) = written_schemas();
    let milestone = validator(&schemas["milestone"]);
    let improvement = validator(&schemas["improvement"]);
    let good = "+++\ntitle = \"Bills\"\nphase = \"Year 1\"\ntarget = 2026-03-14\nstatus = \"planned\"\nowner = \"Billing\"\n+++\n";
    let file = Path::new("x.md");
    assert_eq!(
        problems(&milestone, &front_matter(good, file)),
        Vec::<String>::new()
    );
    for (bad, why) in [
        (good.replace("title =", "titel ="), "a misspelt key"),
        (
            good.replace("\"planned\"", "\"finished\""),
            "a status that is not one",
        ),
        (good.replace("owner = \"Billing\"\n", ""), "a required key left out"),
        (
            good.replace("target = 2026-03-14", "target = \"March\""),
            "a date that is not one",
        ),
        (
            good.replace(
                "owner = \"Billing\"\n",
                "owner = \"Billing\"\n[[tasks]]\nteam = \"IT\"\ntask = \"x\"\ndue_on = 2026-03-01\n",
            ),
            "a misspelt key in a task",
        ),
    ] {
        assert!(
            !problems(&milestone, &front_matter(&bad, file)).is_empty(),
            "{why} passes:\n{bad}"
        );
    }
    let metric = |lines: &str| {
        front_matter(
            &format!(
                "+++\ntitle = \"x\"\ndate = 2026-01-01\nteams = [\"Billing\"]\n[metric]\nname = \"Days\"\n{lines}+++\n"
            ),
            file,
        )
    };
    for (lines, ok) in [
        ("before = 10\nafter = 2\nbetter = \"lower\"\n", true),
        ("before = 10\nafter = 2\n", false),
        ("before = \"1 in 3\"\nafter = 2\n", true),
        ("before = 10\nafter = 2\nbetter = \"smaller\"\n", false),
        (
            "before = \"one customer in every three who call us about a bill\"\nafter = 2\n",
            false,
        ),
        (
            "before = 10\nafter = 2\nbetter = \"lower\"\nqwerty = 3\n",
            false,
        ),
    ] {
        assert_eq!(
            problems(&improvement, &metric(lines)).is_empty(),
            ok,
            "{lines}"
        );
    }
    let announcement = validator(&schemas["announcement"]);
    let notice = |from: &str| {
        front_matter(
            &format!("+++\ntitle = \"x\"\nfrom = {from}\nuntil = 2026-03-15\n+++\n"),
            file,
        )
    };
    for (from, ok) in [
        ("2026-03-14", true),
        ("2026-03-14T09:00:00", true),
        ("2026-03-14T09:00:00-06:00", true),
        ("\"2026-03-14T09:00\"", true),
        ("\"soon\"", false),
    ] {
        assert_eq!(
            problems(&announcement, &notice(from)).is_empty(),
            ok,
            "{from}"
        );
    }
}

#[test]
fn a_misspelt_key_fails_in_herald_check_too() {
    // What the schema rejects, herald rejects: the two are one description.
    let s = TestSite::minimal();
    s.write(
        "content/roadmap/bills.md",
        "+++\ntitel = \"Bills\"\nphase = \"Year 1\"\ntarget = 2026-03-14\nstatus = \"finished\"\nowner = \"Billing\"\n+++\n",
    );
    let r = s.run(&["check", "--today", "2026-02-01"]);
    assert_eq!(r.status, 1, "{}", r.stderr);
    for message in [
        "unknown key `titel` in a milestone",
        "did you mean `title`?",
        "unknown status \"finished\"",
    ] {
        assert!(r.stderr.contains(message), "{message}:\n{}", r.stderr);
    }
}

#[test]
fn every_file_herald_new_writes_validates_and_builds() {
    let (schemas, _) = written_schemas();
    let s = TestSite::empty();
    let r = s.run(&["init", "--empty", "portal"]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    let portal = s.path().join("portal");
    for kind in KINDS {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_herald"))
            .args(["new", kind, &format!("A new {kind}")])
            .current_dir(&portal)
            .env_remove("SOURCE_DATE_EPOCH")
            .env("NO_COLOR", "1")
            .output()
            .expect("run herald");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{kind}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let rel = stdout
            .trim()
            .strip_prefix("Created ")
            .unwrap_or_else(|| panic!("{stdout}"));
        let text = std::fs::read_to_string(portal.join(rel)).expect("read");
        let found = problems(
            &validator(&schemas[kind]),
            &front_matter(&text, Path::new(rel)),
        );
        assert!(found.is_empty(), "{rel}: {found:?}\n{text}");
        // Every key of the schema is in the file, active or commented.
        let schema = &schemas[kind];
        let keys = schema["properties"].as_object().expect("properties");
        for key in keys.keys() {
            assert!(
                text.lines().any(|l| {
                    let l = l.trim_start_matches("# ");
                    l.starts_with(&format!("{key} = "))
                        || l.starts_with(&format!("[{key}]"))
                        || l.starts_with(&format!("[[{key}]]"))
                }),
                "{rel} offers `{key}`:\n{text}"
            );
        }
    }
    for args in [&["check"][..], &["build"]] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_herald"))
            .args(args)
            .current_dir(&portal)
            .env_remove("SOURCE_DATE_EPOCH")
            .env("NO_COLOR", "1")
            .output()
            .expect("run herald");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {stderr}");
        assert!(!stderr.contains("error"), "{args:?}: {stderr}");
    }
}
