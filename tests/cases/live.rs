//! `herald serve` while someone writes: in Chromium, an edit to the open page's Markdown reloads
//! the page by itself with the new text; a broken edit shows an overlay with the file and line
//! while the server keeps serving the last good page; the fix clears it.

use crate::support::{Server, TestSite, browser_ready, node_json};

#[test]
fn an_edit_reloads_the_page_and_a_broken_edit_shows_where() {
    if !browser_ready() {
        return;
    }
    let site = TestSite::example();
    let server = Server::start(&site, "2026-11-23");
    let report = node_json(
        "live.mjs",
        &[&server.url(), site.path().to_str().expect("utf-8 path")],
    );
    assert!(report["error"].is_null(), "{report}");
    assert_eq!(
        report["reloaded"], true,
        "the page reloaded itself: {report}"
    );
    assert!(
        report["newTitle"]
            .as_str()
            .is_some_and(|t| t.contains("Live edit works")),
        "{report}"
    );
    let overlay = report["overlay"].as_str().unwrap_or_default();
    assert!(
        overlay.contains("content/improvements/faster-refunds.md:")
            && overlay.contains("unknown team \"Nobody\""),
        "the overlay names the file, line and problem: {overlay}"
    );
    assert_eq!(report["served"]["status"], 200, "{report}");
    assert_eq!(
        report["served"]["hasLastGood"], true,
        "a new request still gets the last good page: {report}"
    );
    assert_eq!(report["overlayOnNewPage"], true, "{report}");
    assert_eq!(
        report["cleared"], true,
        "fixing the file clears the overlay: {report}"
    );
    assert!(
        report["consoleErrors"]
            .as_array()
            .is_some_and(Vec::is_empty),
        "{report}"
    );
}
