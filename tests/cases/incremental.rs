//! Incremental rebuilds (what `herald serve` does after an edit) write exactly what a clean
//! full build writes, byte for byte, for every kind of edit, and re-render only the pages that
//! depend on the edit.

use std::path::Path;

use herald::BuildOptions;
use herald::session::Session;

use crate::support::{TestSite, snapshot};

fn opts(root: &Path, out: &Path) -> BuildOptions {
    let mut o = BuildOptions::new(root);
    o.output = Some(out.to_path_buf());
    o.today = "2026-11-23".parse().ok();
    o
}

fn edit(root: &Path, rel: &str, f: impl FnOnce(String) -> String) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).expect("read");
    let new = f(text.clone());
    assert_ne!(new, text, "the edit to {rel} changed nothing");
    std::fs::write(path, new).expect("write");
}

/// Rebuilds incrementally, builds the same sources from scratch elsewhere, and compares.
fn same_as_full_build(site: &TestSite, session: &mut Session, what: &str) -> usize {
    let r = session
        .rebuild()
        .unwrap_or_else(|d| panic!("{what}: {}", d.render(false)));
    assert!(!r.full, "{what}: the session rebuilt incrementally");
    let clean = tempfile::tempdir().expect("tmp");
    let out = clean.path().join("public");
    herald::build(&opts(site.path(), &out)).unwrap_or_else(|d| panic!("{}", d.render(false)));
    let inc = snapshot(&site.public());
    let full = snapshot(&out);
    let inc_names: Vec<&String> = inc.keys().collect();
    let full_names: Vec<&String> = full.keys().collect();
    assert_eq!(inc_names, full_names, "{what}: the same files");
    for (name, bytes) in &full {
        assert!(
            inc.get(name) == Some(bytes),
            "{what}: {name} differs from a full build"
        );
    }
    r.rendered
}

#[test]
fn every_kind_of_edit_rebuilds_to_the_same_bytes_as_a_full_build() {
    let site = TestSite::example();
    let root = site.path().to_path_buf();
    let mut session = Session::new(opts(&root, &site.public()));
    let first = session.rebuild().expect("first build");
    assert!(first.full);
    let total = first.rendered;
    assert!(total > 50);

    let r = session.rebuild().expect("no change");
    assert_eq!(r.rendered, 0, "nothing changed, nothing rendered");
    assert_eq!(r.written, 0, "nothing changed, nothing written");

    edit(&root, "content/improvements/faster-refunds.md", |t| {
        t.replacen(
            "\n+++\n",
            "\n+++\n\nA new first paragraph about refunds.\n",
            1,
        )
    });
    let n = same_as_full_build(&site, &mut session, "body edit");
    assert!(
        n > 0 && n < total / 2,
        "a body edit re-rendered {n} of {total} pages"
    );

    edit(&root, "content/improvements/faster-refunds.md", |t| {
        t.replacen("title = \"", "title = \"Now: ", 1)
    });
    same_as_full_build(&site, &mut session, "title edit");

    edit(&root, "content/improvements/faster-refunds.md", |t| {
        let start = t.find("\ndate = ").expect("date") + 8;
        format!("{}2026-11-20{}", &t[..start], &t[start + 10..])
    });
    same_as_full_build(&site, &mut session, "date edit");

    edit(&root, "content/improvements/faster-refunds.md", |t| {
        t.replacen("teams = [", "teams = [\"Retention\", ", 1)
    });
    same_as_full_build(&site, &mut session, "teams edit");

    edit(&root, "content/roadmap/bill-shock-alerts.md", |t| {
        t.replacen("done = false", "done = true", 1)
    });
    same_as_full_build(&site, &mut session, "a task done");

    // Delete a recognition that no other file links to.
    let mut all_text = String::new();
    for e in walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .flatten()
    {
        if e.path().extension().is_some_and(|x| x == "md") {
            all_text.push_str(&std::fs::read_to_string(e.path()).expect("read"));
        }
    }
    let victim = std::fs::read_dir(root.join("content/recognitions"))
        .expect("recognitions")
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            let name = p.file_name().expect("name").to_string_lossy().into_owned();
            let stem = name.trim_end_matches(".md");
            !all_text.contains(&format!("recognitions/{stem}"))
        })
        .expect("an unlinked recognition");
    std::fs::remove_file(victim).expect("delete");
    same_as_full_build(&site, &mut session, "delete");

    std::fs::write(
        root.join("content/improvements/brand-new.md"),
        "+++\ntitle = \"A brand new improvement\"\ndate = 2026-11-22\nteams = [\"Billing\"]\ntags = [\"fresh\"]\n+++\n\nIt is new.\n",
    )
    .expect("new file");
    same_as_full_build(&site, &mut session, "new file");

    std::fs::create_dir_all(root.join("themes/default/templates")).expect("mkdir");
    let tag = herald::theme::default_template("tag.html").expect("tag.html");
    std::fs::write(
        root.join("themes/default/templates/tag.html"),
        tag.replacen(
            "{% block content %}",
            "{% block content %}<p>Edited tag page</p>",
            1,
        ),
    )
    .expect("template");
    let n = same_as_full_build(&site, &mut session, "template edit");
    let tags = std::fs::read_dir(site.public().join("tags"))
        .expect("tags")
        .flatten()
        .filter(|e| e.path().is_dir())
        .count();
    assert_eq!(
        n, tags,
        "a page template edit re-renders the pages that use it"
    );

    let base = herald::theme::default_template("base.html").expect("base.html");
    std::fs::write(
        root.join("themes/default/templates/base.html"),
        base.replacen("</body>", "<!-- edited --></body>", 1),
    )
    .expect("template");
    let n = same_as_full_build(&site, &mut session, "base template edit");
    assert!(
        n >= total,
        "the base template reaches every page ({n} of {total})"
    );

    edit(&root, "data/metrics.toml", |t| {
        t.replacen("target = 30", "target = 35", 1)
    });
    same_as_full_build(&site, &mut session, "metrics edit");

    edit(&root, "site.toml", |t| {
        t.replacen("title = \"", "title = \"The ", 1)
    });
    same_as_full_build(&site, &mut session, "site.toml edit");

    std::fs::create_dir_all(root.join("static/css")).expect("mkdir");
    std::fs::write(root.join("static/extra.txt"), "hello").expect("static");
    same_as_full_build(&site, &mut session, "new static file");
    std::fs::remove_file(root.join("static/extra.txt")).expect("rm static");
    same_as_full_build(&site, &mut session, "static file removed");
}

#[test]
fn a_broken_edit_keeps_the_last_good_output() {
    let site = TestSite::example();
    let root = site.path().to_path_buf();
    let mut session = Session::new(opts(&root, &site.public()));
    session.rebuild().expect("first build");
    let before = snapshot(&site.public());
    edit(&root, "content/improvements/faster-refunds.md", |t| {
        t.replacen("title = \"", "title = \"Broken", 1).replacen(
            "teams = [",
            "teams = [\"Nobody\", ",
            1,
        )
    });
    let err = session.rebuild().expect_err("an unknown team is an error");
    assert!(err.render(false).contains("unknown team \"Nobody\""));
    assert!(
        snapshot(&site.public()) == before,
        "the output is untouched"
    );
    edit(&root, "content/improvements/faster-refunds.md", |t| {
        t.replacen("\"Nobody\", ", "", 1)
    });
    same_as_full_build(&site, &mut session, "fixed");
}
