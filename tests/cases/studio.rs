//! The studio at `/_herald/`: an author writes and edits in Chromium by the fields' labels
//! (the file on disk is what a person would write, an edit changes only its value), bad input
//! is shown next to its field, and the door is kept: a save over a file changed on disk, a
//! cross-origin write, a name outside content/ and a studio beyond loopback without the token
//! are all refused and change nothing. The published output is the same with it on or off.

use std::time::Duration;

use crate::support::{Server, TestSite, browser_ready, node_json, snapshot};

/// A source file of the site, as text.
fn source(site: &TestSite, rel: &str) -> String {
    let p = site.path().join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
}

const TODAY: &str = "2026-11-23";

/// The milestone the browser test edits: comments everywhere, two tasks.
const MILESTONE: &str = r#"+++
# The roadmap step the studio test edits.
title = "Answer every letter within a week"
phase = "Year 1 — Listen"
target = 2027-03-31
status = "in-progress"   # moving
owner = "Customer Care"

# Who does what.
[[tasks]]
team = "Customer Care"
task = "Count the letters"   # the easy one
due = 2026-10-01
done_on = 2026-09-28

[[tasks]]
team = "Billing"
task = "Answer billing letters"
due = 2026-12-15
+++

Letters deserve an answer.
"#;

#[test]
fn an_author_writes_an_improvement_and_edits_a_task_by_the_labels() {
    if !browser_ready() {
        return;
    }
    let site = TestSite::example();
    site.write("content/roadmap/studio-test.md", MILESTONE);
    let server = Server::start(&site, TODAY);
    let origin = format!("http://{}:{}", server.host, server.port);
    let report = node_json(
        "studio.mjs",
        &[&origin, &server.url(), "roadmap/studio-test.md"],
    );
    assert!(report["error"].is_null(), "{report}");

    // The new file is what a person would write: the keys in herald new's order, tables
    // after the values, text metrics in quotes, the @/ link the picker inserted.
    assert_eq!(
        report["created"], "improvements/fewer-customers-call-twice.md",
        "{report}"
    );
    assert_eq!(
        source(&site, "content/improvements/fewer-customers-call-twice.md"),
        r#"+++
title = "Fewer customers call twice"
date = 2026-11-20
teams = ["Billing"]

[metric]
name = "Customers who call twice"
before = "1 in 3"
after = "4 in 5"

[quote]
text = "I only had to call once."
by = "Ana, customer since 2019"
+++

Customers told us they had to call again. Now the first call fixes it, as with [Bills you can read in a minute](@/improvements/bills-you-can-read.md)
"#
    );
    assert_eq!(
        report["createdServed"], 200,
        "the site was rebuilt and serves the page"
    );
    assert_eq!(report["previewTitle"], "Fewer customers call twice");
    assert_eq!(
        report["previewIsolated"], "isolated",
        "a preview's scripts cannot reach the studio"
    );
    let lobby = report["previewLobby"].as_str().unwrap_or_default();
    assert!(
        lobby.contains("1 in 3") && lobby.contains("4 in 5"),
        "the lobby slide shows the figures as written: {lobby}"
    );

    // The bad date was shown beside the date field, in herald check's words with the hint.
    let bad = report["badDate"].as_str().unwrap_or_default();
    assert!(
        bad.contains("`date` is not a real date") && bad.contains("February 2026 has 28 days"),
        "{bad}"
    );

    // The edit changed one value; comments, order and the other lines are as they were.
    assert_eq!(report["edited"], true, "{report}");
    assert_eq!(
        source(&site, "content/roadmap/studio-test.md"),
        MILESTONE.replace(
            "due = 2026-12-15\n",
            "due = 2026-12-15\ndone_on = 2026-11-20\n"
        )
    );

    for (page, violations) in report["axe"].as_object().expect("axe results") {
        assert!(
            violations.as_array().is_some_and(Vec::is_empty),
            "axe found serious or critical violations on the studio's {page} page: {violations}"
        );
    }
    assert_eq!(report["axe"].as_object().map(|o| o.len()), Some(7));
    for (kind, form) in report["kinds"].as_object().expect("every kind's form") {
        assert!(
            form["controls"].as_u64().is_some_and(|n| n >= 5),
            "{kind}: {form}"
        );
        assert_eq!(form["unlabelled"], serde_json::json!([]), "{kind}: {form}");
    }
    assert!(
        report["external"].as_array().is_some_and(Vec::is_empty),
        "the studio asked for something off this machine: {report}"
    );
    assert!(
        report["consoleErrors"]
            .as_array()
            .is_some_and(Vec::is_empty),
        "{report}"
    );
}

/// The CSRF token of the studio's page.
fn csrf(server: &Server) -> String {
    let (status, _, body) = server.request("GET", "/_herald/", &[], b"");
    assert_eq!(status, 200, "{body}");
    let at = body.find("herald-csrf\" content=\"").expect("csrf meta") + 22;
    body[at..at + 32].to_string()
}

fn post(server: &Server, path: &str, origin: &str, csrf: &str, body: &str) -> (u16, String) {
    let origin = format!("Origin: {origin}");
    let token = format!("X-Herald-Csrf: {csrf}");
    let (status, _, body) = server.request(
        "POST",
        path,
        &[&origin, &token, "Content-Type: application/json"],
        body.as_bytes(),
    );
    (status, body)
}

/// Saves `req` as the studio's own page does.
fn save(server: &Server, token: &str, req: &serde_json::Value) -> (u16, String) {
    post(
        server,
        "/_herald/api/save",
        &own_origin(server),
        token,
        &req.to_string(),
    )
}

fn own_origin(server: &Server) -> String {
    format!("http://127.0.0.1:{}", server.port)
}

#[test]
fn a_save_over_a_file_changed_on_disk_is_refused_and_loses_nothing() {
    let site = TestSite::example();
    let server = Server::start(&site, TODAY);
    let token = csrf(&server);
    let file = "improvements/faster-refunds.md";
    let (status, _, body) =
        server.request("GET", &format!("/_herald/api/item?file={file}"), &[], b"");
    assert_eq!(status, 200, "{body}");
    let item: serde_json::Value = serde_json::from_str(&body).expect("json");
    let version = item["version"].as_str().expect("version").to_string();

    // Someone else saves the file meanwhile.
    let theirs = source(&site, &format!("content/{file}"))
        .replace("+++\n\n", "+++\n\nA colleague's new first line.\n\n");
    site.write(&format!("content/{file}"), &theirs);

    let mut values = item["values"].clone();
    values["title"] = "My new title".into();
    let req = serde_json::json!({
        "kind": "improvement", "file": file, "version": version,
        "values": values, "body": item["body"],
    });
    let (status, body) = save(&server, &token, &req);
    assert_eq!(status, 409, "{body}");
    let answer: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert!(
        answer["message"]
            .as_str()
            .is_some_and(|m| m.contains("changed on disk")),
        "{answer}"
    );
    assert_eq!(
        answer["theirs"],
        theirs.as_str(),
        "the author sees the version on disk"
    );
    assert!(
        answer["yours"]
            .as_str()
            .is_some_and(|y| y.contains("My new title")),
        "and their own: {answer}"
    );
    assert_eq!(
        source(&site, &format!("content/{file}")),
        theirs,
        "nothing was lost"
    );

    // With the version on disk, the same save goes through and changes only the title.
    let (_, _, body) = server.request("GET", &format!("/_herald/api/item?file={file}"), &[], b"");
    let fresh: serde_json::Value = serde_json::from_str(&body).expect("json");
    let req = serde_json::json!({
        "kind": "improvement", "file": file, "version": fresh["version"],
        "values": values, "body": fresh["body"],
    });
    let (status, body) = save(&server, &token, &req);
    assert_eq!(status, 200, "{body}");
    let old_title = theirs
        .lines()
        .find(|l| l.starts_with("title = "))
        .expect("title line")
        .to_string();
    assert_eq!(
        source(&site, &format!("content/{file}")),
        theirs.replacen(&old_title, "title = \"My new title\"", 1)
    );
}

#[test]
fn cross_origin_writes_and_names_outside_content_are_refused() {
    let site = TestSite::example();
    let server = Server::start(&site, TODAY);
    let token = csrf(&server);
    let new_item = serde_json::json!({
        "kind": "improvement",
        "values": { "title": "Planted by another site", "date": "2026-11-20", "teams": ["Billing"] },
        "body": "x",
    })
    .to_string();
    let planted = site
        .path()
        .join("content/improvements/planted-by-another-site.md");

    // Another site's page posting to the studio: with or without a guessed token.
    for (origin, csrf) in [
        ("http://evil.example", token.as_str()),
        ("http://evil.example", ""),
        ("null", token.as_str()),
    ] {
        let (status, body) = post(&server, "/_herald/api/save", origin, csrf, &new_item);
        assert_eq!(status, 403, "{origin}: {body}");
    }
    // The studio's own origin without the CSRF token.
    let (status, _) = post(
        &server,
        "/_herald/api/save",
        &own_origin(&server),
        "",
        &new_item,
    );
    assert_eq!(status, 403);
    // A DNS-rebinding page: the right everything, but another Host.
    let (status, _, _) =
        server.request("GET", "/_herald/api/items", &["Host: evil.example:80"], b"");
    assert_eq!(status, 403);
    assert!(!planted.exists(), "a refused request wrote a file");

    // Names outside content/: read or written.
    let site_toml = source(&site, "site.toml");
    for bad in [
        "../site.toml",
        "%2Fetc%2Fpasswd",
        "improvements%2F..%2F..%2Fsite.toml",
        "..%2F..%2Fetc%2Fpasswd",
    ] {
        let (status, _, body) =
            server.request("GET", &format!("/_herald/api/item?file={bad}"), &[], b"");
        assert_eq!(status, 403, "{bad}: {body}");
    }
    for bad in [
        "../site.toml",
        "/etc/passwd",
        "improvements/../../site.toml",
    ] {
        let req = serde_json::json!({
            "kind": "page", "file": bad, "version": "x",
            "values": { "title": "Owned" }, "body": "",
        });
        let (status, body) = save(&server, &token, &req);
        assert_eq!(status, 403, "{bad}: {body}");
    }
    assert_eq!(source(&site, "site.toml"), site_toml);

    // The same request from the studio's own page goes through.
    let (status, body) = post(
        &server,
        "/_herald/api/save",
        &own_origin(&server),
        &token,
        &new_item,
    );
    assert_eq!(status, 200, "{body}");
    assert!(planted.is_file());
}

#[test]
fn a_form_with_errors_is_saved_only_as_a_draft() {
    let site = TestSite::example();
    let server = Server::start(&site, TODAY);
    let token = csrf(&server);
    let mut req = serde_json::json!({
        "kind": "improvement",
        "values": { "title": "Half written", "date": "2026-13-01", "teams": ["Billing"] },
        "body": "To be continued.",
    });
    let (status, body) = save(&server, &token, &req);
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("`date` is not a real date"), "{body}");
    let file = site.path().join("content/improvements/half-written.md");
    assert!(!file.exists(), "never published broken");

    req["draft"] = true.into();
    let (status, body) = save(&server, &token, &req);
    assert_eq!(status, 200, "{body}");
    let text = std::fs::read_to_string(&file).expect("draft written");
    assert!(
        text.contains("draft = true") && text.contains("date = \"2026-13-01\""),
        "{text}"
    );

    // A second item with the same title gets its own file.
    req["values"]["date"] = "2026-11-01".into();
    req["draft"] = false.into();
    let (status, body) = save(&server, &token, &req);
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("improvements/half-written-2.md"), "{body}");
    assert_eq!(std::fs::read_to_string(&file).expect("first kept"), text);
}

#[test]
fn beyond_loopback_the_studio_is_off_unless_asked_and_then_needs_the_token() {
    let site = TestSite::example();
    {
        let server = Server::start_with(&site, TODAY, &["--bind", "0.0.0.0"]);
        let (status, _, body) = server.request("GET", "/_herald/", &[], b"");
        assert_eq!(status, 404, "{body}");
        assert!(!body.contains("herald-csrf"));
        let (status, _, _) = server.request("GET", "/_herald/api/items", &[], b"");
        assert_eq!(status, 404);
    }
    {
        let server = Server::start_with(&site, TODAY, &["--no-studio"]);
        let (status, _, _) = server.request("GET", "/_herald/", &[], b"");
        assert_eq!(status, 404);
    }
    let server = Server::start_with(&site, TODAY, &["--bind", "0.0.0.0", "--studio"]);
    let line = server
        .line(Duration::from_secs(30), |l| l.contains("/_herald/?token="))
        .expect("serve prints the studio's address with its token");
    let token = line
        .rsplit("token=")
        .next()
        .expect("token")
        .trim()
        .to_string();
    assert_eq!(token.len(), 32, "{line}");
    let (status, _, _) = server.request("GET", "/_herald/", &[], b"");
    assert_eq!(status, 403, "no token, no studio");
    let (status, _, _) = server.request(
        "GET",
        "/_herald/?token=0123456789abcdef0123456789abcdef",
        &[],
        b"",
    );
    assert_eq!(status, 403, "a wrong token");
    let (status, head, _) = server.request("GET", &format!("/_herald/?token={token}"), &[], b"");
    assert!(status == 303 || status == 307, "{status} {head}");
    assert!(
        head.lines().any(|l| l == "location: /_herald/"),
        "back to the studio, without the token in the address: {head}"
    );
    let (_, head2, _) = server.request(
        "GET",
        &format!("/_herald/edit?file=about.md&token={token}"),
        &[],
        b"",
    );
    assert!(
        head2
            .lines()
            .any(|l| l == "location: /_herald/edit?file=about.md"),
        "{head2}"
    );
    let cookie = head
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: "))
        .and_then(|c| c.split(';').next())
        .expect("the token becomes a cookie")
        .to_string();
    assert!(cookie.contains(&token));
    let (status, _, body) =
        server.request("GET", "/_herald/", &[&format!("Cookie: {cookie}")], b"");
    assert_eq!(status, 200, "{body}");
}

#[test]
fn the_published_output_is_the_same_with_the_studio_on_or_off() {
    let site = TestSite::example();
    let outputs = ["out-on", "out-off"];
    for (out, extra) in outputs.iter().zip([&[][..], &["--no-studio"][..]]) {
        let mut args = vec!["--output", out];
        args.extend_from_slice(extra);
        let server = Server::start_with(&site, TODAY, &args);
        // The studio on: used, without saving.
        if extra.is_empty() {
            let token = csrf(&server);
            let (_, _, _) = server.request("GET", "/_herald/api/items", &[], b"");
            let req = serde_json::json!({ "kind": "improvement", "pid": "a1", "values": { "title": "Only a preview" }, "body": "" });
            let (status, body) = post(
                &server,
                "/_herald/api/preview",
                &own_origin(&server),
                &token,
                &req.to_string(),
            );
            assert_eq!(status, 200, "{body}");
        }
        drop(server);
    }
    let on = snapshot(&site.path().join(outputs[0]));
    let off = snapshot(&site.path().join(outputs[1]));
    assert!(on.len() > 100, "{} files", on.len());
    assert_eq!(
        on.keys().collect::<Vec<_>>(),
        off.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &on {
        assert!(
            off.get(name) == Some(bytes),
            "{name} differs with the studio on"
        );
        assert!(!name.contains("_herald"), "{name}");
    }
}

#[test]
fn a_picture_is_checked_by_its_bytes_resized_and_stored_beside_the_item() {
    let site = TestSite::example();
    let server = Server::start(&site, TODAY);
    let token = csrf(&server);
    let origin = format!("Origin: {}", own_origin(&server));
    let csrf_header = format!("X-Herald-Csrf: {token}");
    let upload = |name: &str, bytes: &[u8]| {
        server.request(
            "POST",
            &format!("/_herald/api/upload?file=improvements/faster-refunds.md&name={name}"),
            &[
                &origin,
                &csrf_header,
                "Content-Type: application/octet-stream",
            ],
            bytes,
        )
    };
    // Text named like a picture.
    let (status, _, body) = upload("photo.png", b"<svg onload=alert(1)>");
    assert_eq!(status, 415, "{body}");
    // Too large.
    let (status, _, _) = upload("big.jpg", &vec![0xFF; 9 * 1024 * 1024]);
    assert_eq!(status, 413);
    assert!(
        site.path()
            .join("content/improvements/faster-refunds.md")
            .is_file()
    );

    // A wide PNG: stored beside the item, which becomes a bundle, no wider than the build's.
    let mut png = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_pixel(4000, 500, image::Rgb([20, 90, 160]))
        .write_to(&mut png, image::ImageFormat::Png)
        .expect("encode");
    let (status, _, body) = upload("Team%20Photo%21.png", png.get_ref());
    assert_eq!(status, 200, "{body}");
    let answer: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(answer["file"], "improvements/faster-refunds/index.md");
    assert_eq!(answer["name"], "team-photo.png");
    let dir = site.path().join("content/improvements/faster-refunds");
    assert!(
        dir.join("index.md").is_file()
            && !site
                .path()
                .join("content/improvements/faster-refunds.md")
                .exists()
    );
    let stored = image::open(dir.join("team-photo.png")).expect("a picture");
    assert!(
        stored.width() <= 1920 && stored.height() <= 1080,
        "{}x{}",
        stored.width(),
        stored.height()
    );
    // The same name again does not replace the first.
    let (status, _, body) = server.request(
        "POST",
        "/_herald/api/upload?file=improvements/faster-refunds/index.md&name=Team%20Photo!.png",
        &[
            &origin,
            &csrf_header,
            "Content-Type: application/octet-stream",
        ],
        png.get_ref(),
    );
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("team-photo-2.png"), "{body}");
}
