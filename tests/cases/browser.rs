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
        "roadmap/team/billing/".into(),
        "roadmap/review/".into(),
        "metrics/".into(),
        "digest/".into(),
        "digest/2026-10/".into(),
        "digest/2026-10/email.html".into(),
        "letter/".into(),
        "letter/2026-Q3/".into(),
        "search/?q=refunds".into(),
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

/// A live announcement is a banner on every page; it can be dismissed (and stays dismissed
/// after a reload), and it goes away by itself at `until`, judged by the reader's clock.
#[test]
fn announcement_banners_show_while_live_and_can_be_dismissed() {
    let site = crate::support::TestSite::minimal();
    site.write("content/about.md", "+++\ntitle = \"About\"\n+++\nHello.\n");
    site.write(
        "content/announcements/town-hall.md",
        "+++\ntitle = \"Town hall on Friday\"\nfrom = 2026-11-20\nuntil = 2026-11-24\n+++\nIn the canteen at 3 pm.\n",
    );
    site.write(
        "content/announcements/storm.md",
        "+++\ntitle = \"Storm: all hands to the phones\"\nfrom = 2026-10-01\nuntil = 2026-10-02\nlevel = \"urgent\"\n+++\nLog in to the outage queue.\n",
    );
    site.build_ok("2026-11-23");
    let doc = site.html("about/index.html");
    let banners = crate::support::attrs(&doc, ".announcement", "data-key");
    assert_eq!(
        banners.len(),
        2,
        "every announcement is in the page, for the reader's clock to judge"
    );
    let shown: Vec<String> = crate::support::texts(&doc, ".announcement:not([hidden])");
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert!(
        shown[0].contains("Town hall on Friday") && shown[0].contains("In the canteen"),
        "{shown:?}"
    );
    if !browser_ready() {
        return;
    }
    let public = site.public();
    let r = node_json(
        "banner.mjs",
        &[
            public.to_str().expect("utf-8"),
            "/customers/",
            "about/",
            "2026-11-23T10:00:00-06:00",
        ],
    );
    assert_eq!(r["before"].as_array().map(Vec::len), Some(1), "{r}");
    assert_eq!(r["afterDismiss"], serde_json::json!([]), "{r}");
    assert_eq!(
        r["afterReload"],
        serde_json::json!([]),
        "dismissed stays dismissed: {r}"
    );
    assert_eq!(r["external"], serde_json::json!([]), "{r}");
    assert_eq!(r["consoleErrors"], serde_json::json!([]), "{r}");
    // Without a dismissal, the banner expires by itself after `until` (end of 24 November).
    let r = node_json(
        "banner.mjs",
        &[
            public.to_str().expect("utf-8"),
            "/customers/",
            "about/",
            "2026-11-23T23:00:00-06:00",
            "keep",
        ],
    );
    assert_eq!(
        r["afterReload"].as_array().map(Vec::len),
        Some(1),
        "still live, not dismissed: {r}"
    );
    assert_eq!(r["later"], serde_json::json!([]), "expired: {r}");
}
