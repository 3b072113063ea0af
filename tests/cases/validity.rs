//! Every page of the example portal is valid HTML by the W3C Nu checker (vnu, from npm
//! `vnu-jar`, run with the machine's Java).

use std::process::Command;

use crate::support::{TestSite, browser_ready, repo};

#[test]
fn every_page_is_valid_html() {
    if Command::new("java").arg("-version").output().is_err() {
        assert!(
            std::env::var("HERALD_REQUIRE_BROWSER").as_deref() != Ok("1"),
            "the HTML validator needs Java, which is missing"
        );
        eprintln!("\n!!!!!!!! SKIPPING HTML VALIDATION: no Java on PATH !!!!!!!!\n");
        return;
    }
    if !browser_ready() {
        return;
    }
    let site = TestSite::example();
    site.build_ok("2026-11-23");
    let mut pages = Vec::new();
    for e in walkdir::WalkDir::new(site.public())
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.path().extension().is_some_and(|x| x == "html") {
            pages.push(e.into_path());
        }
    }
    assert!(pages.len() > 50, "only {} pages", pages.len());
    let jar = repo().join("tests/browser/node_modules/vnu-jar/build/dist/vnu.jar");
    let out = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args([
            "--errors-only",
            "--no-langdetect",
            "--format",
            "gnu",
            "--exit-zero-always",
        ])
        .args(&pages)
        .output()
        .expect("run vnu");
    let report =
        String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    let errors: Vec<&str> = report.lines().filter(|l| l.contains("error")).collect();
    assert!(
        errors.is_empty(),
        "{} HTML errors:\n{}",
        errors.len(),
        errors.join("\n")
    );
    assert!(out.status.success(), "vnu did not run: {report}");
}
