//! Incremental rebuilds (what `herald serve` does after an edit) write exactly what a clean
//! full build writes, byte for byte, for every kind of edit, and re-render only the pages that
//! depend on the edit.

use std::path::Path;

use herald::BuildOptions;
use herald::serve::session::Session;

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
    same_as_full_build_after(site, session, what, None).rendered
}

/// As [`same_as_full_build`]; with `changed`, the rebuild is told which files changed, as
/// `serve`'s watcher tells it.
fn same_as_full_build_after(
    site: &TestSite,
    session: &mut Session,
    what: &str,
    changed: Option<&[&str]>,
) -> herald::serve::session::Rebuild {
    let r = match changed {
        None => session.rebuild(),
        Some(rels) => {
            let paths: Vec<std::path::PathBuf> = rels.iter().map(|r| site.path().join(r)).collect();
            session.rebuild_changed(&paths)
        }
    }
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
        if inc.get(name) != Some(bytes) {
            let got = inc
                .get(name)
                .map(|b| String::from_utf8_lossy(b).into_owned())
                .unwrap_or_default();
            let want = String::from_utf8_lossy(bytes).into_owned();
            let at = got
                .bytes()
                .zip(want.bytes())
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            let around = |s: &str| {
                s.get(at.saturating_sub(200)..(at + 200).min(s.len()))
                    .unwrap_or("")
                    .to_string()
            };
            panic!(
                "{what}: {name} differs from a full build at byte {at}:\n--- rebuilt:\n{}\n--- full build:\n{}",
                around(&got),
                around(&want)
            );
        }
    }
    r
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
    let tag = herald::load::theme::default_template("tag.html").expect("tag.html");
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

    let base = herald::load::theme::default_template("base.html").expect("base.html");
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

/// `serve` names the files that changed: body, title and summary edits then read only those
/// files and render only the pages that show them, and every other edit falls back to reading
/// the whole site. Either way the output is what a full build writes.
#[test]
fn edits_named_by_the_watcher_rebuild_quickly_to_the_same_bytes() {
    let site = TestSite::example();
    let root = site.path().to_path_buf();
    let mut session = Session::new(opts(&root, &site.public()));
    let total = session.rebuild().expect("first build").rendered;
    let imp = "content/improvements/faster-refunds.md";

    let check = |session: &mut Session, what: &str, rels: &[&str], quick: bool| {
        let r = same_as_full_build_after(&site, session, what, Some(rels));
        assert_eq!(r.quick, quick, "{what}: quick rebuild");
        r
    };

    edit(&root, imp, |t| {
        t.replacen(
            "\n+++\n",
            "\n+++\n\nA new first paragraph about refunds.\n",
            1,
        )
    });
    let r = check(&mut session, "body edit", &[imp], true);
    assert!(
        r.rendered > 0 && r.rendered < total / 4,
        "a body edit rendered {} of {total}",
        r.rendered
    );

    // A sentence at the end: the summary stays, so no list shows the edit; the page itself
    // does, and the pages of its milestone and recognitions, which look it up by path.
    edit(&root, imp, |t| {
        format!("{}\nOne more closing sentence.\n", t.trim_end())
    });
    let r = check(&mut session, "body edit at the end", &[imp], true);
    assert!(
        r.rendered <= 3,
        "the end of a body reached {} pages",
        r.rendered
    );

    edit(&root, imp, |t| {
        t.replacen("title = \"", "title = \"Now: ", 1)
    });
    let r = check(&mut session, "title edit", &[imp], true);
    assert!(r.rendered > 1, "a title shows on lists too");

    edit(&root, imp, |t| {
        t.replacen(
            "title = \"",
            "summary = \"A *short* summary.\"\ntitle = \"",
            1,
        )
    });
    check(&mut session, "summary added", &[imp], true);

    // A recognition thanks an improvement: the improvement's page lists it by title.
    let rec = std::fs::read_dir(root.join("content/recognitions"))
        .expect("recognitions")
        .flatten()
        .map(|e| e.path())
        .find(|p| std::fs::read_to_string(p).is_ok_and(|t| t.contains("\nfor = ")))
        .expect("a recognition for an improvement");
    let rec_rel = rec
        .strip_prefix(&root)
        .expect("rel")
        .to_string_lossy()
        .replace('\\', "/");
    edit(&root, &rec_rel, |t| {
        t.replacen("title = \"", "title = \"Thanks: ", 1)
    });
    let r = check(&mut session, "recognition title", &[&rec_rel], true);
    assert!(
        r.rendered > 1,
        "the thanked improvement shows the recognition's title"
    );

    // Two files at once.
    edit(&root, imp, |t| t.replacen("Now: ", "Now, ", 1));
    edit(&root, &rec_rel, |t| t.replacen("Thanks: ", "Thanks, ", 1));
    check(&mut session, "two files", &[imp, &rec_rel], true);

    // Edits that move an entry, or reach further, read the whole site.
    edit(&root, imp, |t| {
        let start = t.find("\ndate = ").expect("date") + 8;
        format!("{}2026-11-20{}", &t[..start], &t[start + 10..])
    });
    check(&mut session, "date edit", &[imp], false);
    edit(&root, "content/roadmap/bill-shock-alerts.md", |t| {
        t.replacen("title = \"", "title = \"Now: ", 1)
    });
    check(
        &mut session,
        "milestone title",
        &["content/roadmap/bill-shock-alerts.md"],
        false,
    );
    edit(&root, "content/roadmap/bill-shock-alerts.md", |t| {
        format!("{}\nA closing line.\n", t.trim_end())
    });
    check(
        &mut session,
        "milestone body",
        &["content/roadmap/bill-shock-alerts.md"],
        true,
    );
    std::fs::write(
        root.join("content/improvements/brand-new.md"),
        "+++\ntitle = \"A brand new improvement\"\ndate = 2026-11-22\nteams = [\"Billing\"]\n+++\n\nIt is new.\n",
    )
    .expect("new file");
    check(
        &mut session,
        "new file",
        &["content/improvements/brand-new.md"],
        false,
    );
    std::fs::remove_file(root.join("content/improvements/brand-new.md")).expect("rm");
    check(
        &mut session,
        "deleted file",
        &["content/improvements/brand-new.md"],
        false,
    );
    edit(&root, "site.toml", |t| {
        t.replacen("title = \"", "title = \"The ", 1)
    });
    check(&mut session, "site.toml", &["site.toml"], false);

    // A broken link in a body edit is reported as a full rebuild reports it.
    edit(&root, imp, |t| {
        format!("{}\nSee [this](@/improvements/nowhere.md).\n", t.trim_end())
    });
    let err = session
        .rebuild_changed(&[root.join(imp)])
        .expect_err("a broken link is an error");
    assert!(
        err.render(false).contains("nowhere"),
        "{}",
        err.render(false)
    );
    edit(&root, imp, |t| {
        t.replacen("See [this](@/improvements/nowhere.md).\n", "", 1)
    });
    check(&mut session, "fixed", &[imp], false);
    edit(&root, imp, |t| {
        format!("{}\nBack to quick.\n", t.trim_end())
    });
    check(&mut session, "quick again", &[imp], true);
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
