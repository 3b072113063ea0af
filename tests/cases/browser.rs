//! Pages in a real headless Chromium: axe-core finds no serious or critical accessibility
//! violation on a page of every kind, at a phone width and at 1920 wide, and no page requests
//! anything from another host or logs an error.

use crate::support::{TestSite, browser_ready, node_json};

#[test]
fn every_kind_of_page_is_accessible_and_self_contained() {
    if !browser_ready() {
        return;
    }
    let site = TestSite::example();
    site.build_ok("2026-11-23");
    let team = std::fs::read_dir(site.public().join("teams"))
        .expect("teams")
        .flatten()
        .find(|e| e.path().is_dir())
        .expect("a team")
        .file_name();
    let tag = std::fs::read_dir(site.public().join("tags"))
        .expect("tags")
        .flatten()
        .find(|e| e.path().is_dir())
        .expect("a tag")
        .file_name();
    let pages = [
        String::new(),
        "improvements/".into(),
        "improvements/page/2/".into(),
        "improvements/technician-on-the-way/".into(),
        "improvements/install-day-checklist/".into(),
        "roadmap/".into(),
        "roadmap/two-hour-appointments/".into(),
        "teams/".into(),
        format!("teams/{}/", team.to_string_lossy()),
        "recognitions/".into(),
        "tags/".into(),
        format!("tags/{}/", tag.to_string_lossy()),
        "about/".into(),
        "lobby/reception/".into(),
        "no-such-page/".into(),
    ];
    let public = site.public();
    let mut args: Vec<&str> = vec![
        public.to_str().expect("utf-8 path"),
        "/customers/",
        "390,1920",
    ];
    args.extend(pages.iter().map(String::as_str));
    let report = node_json("a11y.mjs", &args);

    let results = report["results"].as_array().expect("results");
    assert_eq!(results.len(), pages.len() * 2, "every page at both widths");
    let mut problems = Vec::new();
    for r in results {
        let page = r["page"].as_str().unwrap_or("?");
        let width = &r["width"];
        let expected = if page == "no-such-page/" { 404 } else { 200 };
        if r["status"] != expected {
            problems.push(format!("/{page} at {width}: HTTP {}", r["status"]));
        }
        if r["overflow"] == true {
            problems.push(format!(
                "/{page} at {width}: the page is wider than the screen"
            ));
        }
        for v in r["violations"].as_array().into_iter().flatten() {
            if matches!(v["impact"].as_str(), Some("serious" | "critical")) {
                problems.push(format!(
                    "/{page} at {width}: {} ({}) {}",
                    v["id"], v["impact"], v["nodes"]
                ));
            }
        }
    }
    assert!(
        report["external"].as_array().is_some_and(Vec::is_empty),
        "requests to other hosts: {}",
        report["external"]
    );
    // The one expected console line: the browser noting the 404 status of the missing page itself.
    let errors: Vec<&str> = report["consoleErrors"]
        .as_array()
        .expect("consoleErrors")
        .iter()
        .filter_map(|e| e.as_str())
        .filter(|e| !(e.contains("/no-such-page/:") && e.contains("status of 404")))
        .collect();
    assert!(errors.is_empty(), "console errors: {errors:?}");
    assert!(
        problems.is_empty(),
        "accessibility problems:\n{}",
        problems.join("\n")
    );
}
