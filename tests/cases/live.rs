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

/// Waits until `GET path` answers with `status` and a body that satisfies `ok`.
fn wait_for(server: &Server, path: &str, status: u16, ok: impl Fn(&str) -> bool) -> bool {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while std::time::Instant::now() < deadline {
        let (s, body) = server.get(path);
        if s == status && ok(&body) {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    false
}

fn editor_habits(extra: &[&str]) {
    let site = TestSite::example();
    let server = Server::start_with(&site, "2026-11-23", extra);
    let root = site.path();
    let page = "/customers/improvements/faster-refunds/";
    let file = root.join("content/improvements/faster-refunds.md");
    let text = std::fs::read_to_string(&file).expect("read");

    // An atomic save: write a temporary file beside it, then rename it over the original.
    let tmp = root.join("content/improvements/.faster-refunds.md.swp-save");
    std::fs::write(
        &tmp,
        text.replacen("title = \"", "title = \"Saved atomically: ", 1),
    )
    .expect("tmp");
    std::fs::rename(&tmp, &file).expect("rename");
    assert!(
        wait_for(&server, page, 200, |b| b.contains("Saved atomically")),
        "an atomic save is picked up ({extra:?})"
    );

    // A new folder with a new page bundle in it.
    std::fs::create_dir_all(root.join("content/improvements/brand-new")).expect("mkdir");
    std::fs::write(
        root.join("content/improvements/brand-new/index.md"),
        "+++\ntitle = \"Made in a new folder\"\ndate = 2026-11-22\nteams = [\"Billing\"]\n+++\n\nNew.\n",
    )
    .expect("new");
    assert!(
        wait_for(&server, "/customers/improvements/brand-new/", 200, |b| b
            .contains("Made in a new folder")),
        "a new folder is picked up ({extra:?})"
    );

    // A rename moves the page; a delete removes it.
    std::fs::rename(
        root.join("content/improvements/brand-new"),
        root.join("content/improvements/renamed"),
    )
    .expect("rename folder");
    assert!(
        wait_for(&server, "/customers/improvements/renamed/", 200, |b| b
            .contains("Made in a new folder")),
        "a renamed folder is picked up ({extra:?})"
    );
    assert!(
        wait_for(&server, "/customers/improvements/brand-new/", 404, |_| true),
        "the old address is gone ({extra:?})"
    );
    std::fs::remove_dir_all(root.join("content/improvements/renamed")).expect("delete");
    assert!(
        wait_for(&server, "/customers/improvements/renamed/", 404, |_| true),
        "a delete is picked up ({extra:?})"
    );
}

#[test]
fn atomic_saves_new_folders_renames_and_deletes_are_picked_up() {
    editor_habits(&[]);
}

#[test]
fn polling_picks_up_changes_where_events_do_not_arrive() {
    editor_habits(&["--poll"]);
}
