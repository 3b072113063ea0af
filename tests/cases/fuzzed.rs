//! Inputs the fuzzers found (fuzz/): each one once crashed or hung herald, or broke an invariant
//! the fuzz target asserts, and is kept here so it never does again.

use crate::support::TestSite;

/// Writes `bytes` as `rel` into a minimal site, builds it and asserts a clean exit: 0, or 1 with
/// the file named in the message; never a crash.
fn build_with(rel: &str, bytes: &[u8]) -> (TestSite, crate::support::Run) {
    let s = TestSite::minimal();
    let p = s.path().join(rel);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(&p, bytes).expect("write");
    let r = s.run(&["build", "--today", "2026-02-01"]);
    let out = format!("{}{}", r.stdout, r.stderr);
    assert!(
        r.status == 0 || (r.status == 1 && out.contains(rel)),
        "status {}:\n{out}",
        r.status
    );
    assert!(!out.contains("panicked"), "{out}");
    (s, r)
}

/// markdown: `## Title {key=value}` put any attribute on the heading, event handlers included,
/// with `unsafe_html = false` (found by the markdown target's invariant).
#[test]
fn heading_attributes_are_sanitized() {
    let (s, r) = build_with(
        "content/about.md",
        b"+++\ntitle = \"About\"\n+++\n# Welcome {onmouseover=alert(1) style=position:fixed lang=fr}\n\nText.\n",
    );
    assert_eq!(r.status, 0, "{}{}", r.stdout, r.stderr);
    let page = s.read("about/index.html");
    assert!(!page.contains("onmouseover"), "{page}");
    assert!(!page.contains("position:fixed"), "{page}");
    assert!(page.contains("lang=\"fr\""), "{page}");
}
