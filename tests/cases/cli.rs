//! The command line as a user drives it: init, new, build, check and their exit codes.

use crate::support::{TestSite, body_text};

#[test]
fn init_then_build_works_with_nothing_from_the_repository() {
    let s = TestSite::empty();
    let r = s.run(&["init", "portal"]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    let portal = s.path().join("portal");
    assert!(portal.join("site.toml").is_file());
    assert!(portal.join("content/improvements").is_dir());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_herald"))
        .args(["build", "--today", "2026-11-23"])
        .current_dir(&portal)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(portal.join("public/index.html").is_file());
    assert!(
        portal.join("public/css/herald.css").is_file(),
        "the embedded theme's assets are published"
    );

    let again = s.run(&["init", "portal"]);
    assert_eq!(again.status, 1, "init refuses a folder that is not empty");
    assert!(again.stderr.contains("not empty"));
}

#[test]
fn new_creates_files_that_build() {
    let s = TestSite::minimal();
    for (kind, title, path) in [
        (
            "improvement",
            "Faster refunds",
            "content/improvements/faster-refunds.md",
        ),
        (
            "milestone",
            "Plain-language bills",
            "content/roadmap/plain-language-bills.md",
        ),
        (
            "recognition",
            "Thanks, \"Billing\"!",
            "content/recognitions/thanks-billing.md",
        ),
        (
            "announcement",
            "Town hall on Friday",
            "content/announcements/town-hall-on-friday.md",
        ),
        ("page", "How we work", "content/how-we-work.md"),
    ] {
        let r = s.run(&["new", kind, title]);
        assert_eq!(r.status, 0, "{kind}: {}", r.stderr);
        let text =
            std::fs::read_to_string(s.path().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert!(text.starts_with("+++\n"), "{text}");
    }
    let imp = std::fs::read_to_string(s.path().join("content/improvements/faster-refunds.md"))
        .expect("read");
    for key in [
        "owner",
        "customers",
        "metric",
        "quote",
        "milestone",
        "lobby_from",
        "letter",
    ] {
        assert!(
            imp.contains(&format!("# {key}")) || imp.contains(&format!("# [{key}]")),
            "{key} is offered, commented: {imp}"
        );
    }
    let r = s.run(&["build"]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(
        body_text(&s.html("improvements/faster-refunds/index.html")).contains("Faster refunds")
    );
    let dup = s.run(&["new", "improvement", "Faster refunds"]);
    assert_eq!(dup.status, 1, "never overwrites");
    let bad = s.run(&["new", "improvment", "X"]);
    assert_eq!(bad.status, 2, "a usage error exits 2");
    assert!(
        bad.stderr
            .contains("did you mean `herald new improvement`?"),
        "{}",
        bad.stderr
    );
}

#[test]
fn usage_errors_exit_2_and_check_writes_nothing() {
    let s = TestSite::minimal();
    assert_eq!(s.run(&["build", "--today", "tomorrow"]).status, 2);
    assert_eq!(s.run(&["frobnicate"]).status, 2);
    let r = s.run(&["check"]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("Checked "), "{}", r.stdout);
    assert!(!s.public().exists(), "check writes nothing");
}

#[test]
fn missing_site_toml_says_what_to_do() {
    let s = TestSite::empty();
    let r = s.run(&["build"]);
    assert_eq!(r.status, 1);
    assert!(
        r.stderr.contains("site.toml") && r.stderr.contains("herald init"),
        "{}",
        r.stderr
    );
}

#[test]
fn output_inside_the_sources_is_refused() {
    let s = TestSite::minimal();
    let r = s.run(&["build", "--output", "content"]);
    assert_eq!(r.status, 1);
    assert!(
        r.stderr.contains("would replace the site's own files"),
        "{}",
        r.stderr
    );
    assert!(s.path().join("content").is_dir());
    let r = s.run(&["build", "--output", "."]);
    assert_eq!(r.status, 1);
    assert!(s.path().join("site.toml").is_file());
}
