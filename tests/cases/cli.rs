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

fn http_get(port: u16, path: &str) -> Option<(u16, String)> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(std::time::Duration::from_secs(5)))
        .ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).ok()?;
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text.split_whitespace().nth(1)?.parse().ok()?;
    Some((status, text))
}

#[test]
fn serve_builds_and_serves_under_the_base_path_on_loopback() {
    let s = TestSite::minimal();
    s.write(
        "content/about.md",
        "+++\ntitle = \"About us\"\n+++\nHello.\n",
    );
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_herald"))
        .args(["serve", "--port", &port.to_string()])
        .current_dir(s.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let mut page = None;
    for _ in 0..100 {
        page = http_get(port, "/customers/about/");
        if page.is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let results = (
        page,
        http_get(port, "/customers/no-such-page/"),
        http_get(port, "/customers/../site.toml"),
        http_get(port, "/customers/%2e%2e/site.toml"),
        http_get(port, "/"),
    );
    let _ = child.kill();
    let _ = child.wait();
    let (page, missing, dotdot, encoded, root) = results;
    let (status, body) = page.expect("serve answered");
    assert_eq!(status, 200);
    assert!(body.contains("About us"));
    assert_eq!(missing.map(|r| r.0), Some(404));
    for (name, r) in [("..", dotdot), ("%2e%2e", encoded)] {
        let (status, body) = r.expect("answer");
        assert!(status == 404 || status == 400, "{name}: {status}");
        assert!(!body.contains("base_url"), "{name} served site.toml");
    }
    assert_eq!(root.map(|r| r.0), Some(307), "/ redirects to the base path");
}
