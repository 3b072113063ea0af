//! `herald serve` never answers with a file outside its output folder and listens on loopback
//! only (SPEC §8), checked against the real binary with raw HTTP/1.1 requests: HTTP clients
//! normalise `..` away before sending, so the request line is written by hand here.
//!
//! These tests depend only on `herald -C DIR serve --port 0 --today DATE` printing a line that
//! holds `http://HOST:PORT/` and then serving the output under the base path `/customers/`.

use std::net::{IpAddr, SocketAddr, TcpStream, UdpSocket};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::support::{SITE_TOML, Server, TestSite};

const TODAY: &str = "2026-11-23";

/// A marker that only this test run could have written.
fn marker(what: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("herald-{what}-{}-{nanos}", std::process::id())
}

/// A minimal site whose site.toml carries a marker, so a leak of it can be recognised.
fn site() -> (TestSite, String) {
    let site = TestSite::minimal();
    let secret = marker("site-toml");
    site.write("site.toml", &format!("{SITE_TOML}# {secret}\n"));
    (site, secret)
}

/// Requests every `target` and returns a line for each that was answered with anything but
/// 400 or 404, or whose body holds one of `forbidden`; every result is printed for the log.
fn refusals(server: &Server, targets: &[&str], forbidden: &[&str]) -> Vec<String> {
    let mut failures = Vec::new();
    for target in targets {
        let (status, body) = server.get(target);
        let leaked: Vec<&str> = forbidden
            .iter()
            .copied()
            .filter(|f| body.contains(f))
            .collect();
        eprintln!("GET {target:<40} -> {status}{}", {
            if leaked.is_empty() {
                String::new()
            } else {
                format!("  LEAKED {leaked:?}")
            }
        });
        if !(status == 400 || status == 404) {
            failures.push(format!("GET {target} answered {status}, not 400 or 404"));
        }
        if !leaked.is_empty() {
            let start: String = body.chars().take(200).collect();
            failures.push(format!(
                "GET {target} leaked {leaked:?} ({status}): {start:?}"
            ));
        }
    }
    failures
}

#[test]
fn serve_refuses_paths_that_climb_out_of_the_output() {
    let (site, secret) = site();
    let server = Server::start(&site, TODAY);
    let (status, home) = server.get("/customers/");
    assert_eq!(status, 200, "the home page is served: {home}");
    assert!(home.contains("Test Portal"), "{home}");

    let targets = [
        "/customers/../site.toml",
        "/customers/..%2fsite.toml",
        "/customers/%2e%2e/site.toml",
        "/customers/%2e%2e%2fsite.toml",
        "/customers/.%2e/site.toml",
        "/customers/%2E%2E%2Fsite.toml",
        "/customers/..%5csite.toml",
        "/customers/%5c..%5csite.toml",
        "/customers//etc/passwd",
        "/customers/%2fetc%2fpasswd",
        "//etc/passwd",
        "/customers/C:%5cWindows%5cwin.ini",
        "/../../../../etc/passwd",
        "/customers/../../../../etc/passwd",
        "/customers/%00",
        "/customers/index.html%00.txt",
    ];
    let failures = refusals(&server, &targets, &["root:", &secret, "base_url = "]);
    assert!(
        failures.is_empty(),
        "serve answered requests outside its output folder:\n{}",
        failures.join("\n")
    );
}

#[cfg(unix)]
#[test]
fn serve_refuses_symlinks_that_lead_out_of_the_output() {
    let (site, secret) = site();
    let server = Server::start(&site, TODAY);
    let (status, _) = server.get("/customers/");
    assert_eq!(status, 200);

    // Made after the server started, as a careless deploy script or an attacker would. Both
    // links live inside the temp dir; the file they lead to is beside the output, in it too.
    let outside = site.path().join("outside");
    std::fs::create_dir_all(&outside).expect("mkdir");
    let file_marker = marker("outside-file");
    std::fs::write(outside.join("secret.txt"), &file_marker).expect("write");
    std::os::unix::fs::symlink("/etc", site.public().join("escape")).expect("symlink");
    std::os::unix::fs::symlink(outside.join("secret.txt"), site.public().join("secret.txt"))
        .expect("symlink");
    std::os::unix::fs::symlink(&outside, site.public().join("outside-dir")).expect("symlink");

    let targets = [
        "/customers/escape/passwd",
        "/customers/escape/",
        "/customers/secret.txt",
        "/customers/outside-dir/secret.txt",
    ];
    let failures = refusals(&server, &targets, &["root:", &secret, &file_marker]);
    assert!(
        failures.is_empty(),
        "serve followed symlinks out of its output folder:\n{}",
        failures.join("\n")
    );
}

/// This machine's address on its default route, if it has one that is not loopback.
fn non_loopback_address() -> Option<IpAddr> {
    let socket = UdpSocket::bind("0.0.0.0:0").ok()?;
    // No packet is sent: connecting a UDP socket only picks the route and source address.
    socket.connect("10.255.255.255:1").ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

#[test]
fn serve_listens_on_loopback_only_by_default() {
    let (site, _) = site();
    let server = Server::start(&site, TODAY);
    assert_eq!(
        server.host, "127.0.0.1",
        "the printed address is loopback by default"
    );
    let (status, home) = server.get("/customers/");
    assert_eq!(status, 200);
    assert!(home.contains("Test Portal"), "{home}");

    match non_loopback_address() {
        Some(ip) => {
            let reached = TcpStream::connect_timeout(
                &SocketAddr::new(ip, server.port),
                Duration::from_secs(3),
            );
            assert!(
                reached.is_err(),
                "serve answers on {ip}:{}, not only on loopback",
                server.port
            );
        }
        None => eprintln!("no non-loopback address on this machine: that check is skipped"),
    }
}

/// An entry's `image` names a file to publish beside its page: never one outside the site, by an
/// absolute path or through a link in a bundle (found while fuzzing: `image = "/etc/passwd"` was
/// copied into the output).
#[test]
fn images_cannot_publish_files_from_outside_the_site() {
    let s = crate::support::TestSite::minimal();
    let secret = tempfile::tempdir().expect("tempdir");
    let secret_file = secret.path().join("secret.png");
    std::fs::write(&secret_file, "not for the intranet").expect("write secret");
    s.write(
        "content/improvements/absolute.md",
        &format!(
            "+++\ntitle = \"Absolute\"\ndate = 2026-01-05\nteams = [\"Billing\"]\nimage = \"{}\"\n+++\nText.\n",
            secret_file.display()
        ),
    );
    s.write(
        "content/improvements/linked/index.md",
        "+++\ntitle = \"Linked\"\ndate = 2026-01-05\nteams = [\"Billing\"]\nimage = \"photo.png\"\n+++\nText.\n",
    );
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        &secret_file,
        s.path().join("content/improvements/linked/photo.png"),
    )
    .expect("symlink");
    let r = s.run(&["build", "--today", "2026-02-01"]);
    assert_eq!(r.status, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("absolute.md:5") && r.stderr.contains("does not exist"),
        "{}",
        r.stderr
    );
    #[cfg(unix)]
    assert!(r.stderr.contains("linked/index.md:5"), "{}", r.stderr);
    assert!(!s.public().exists(), "nothing is published");

    // The same names inside the site still work: static/ by a leading slash, and a real file
    // in the bundle.
    std::fs::create_dir_all(s.path().join("static/img")).expect("mkdir");
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 4 4\"><rect width=\"4\" height=\"4\"/></svg>";
    std::fs::write(s.path().join("static/img/ok.svg"), svg).expect("write");
    s.write(
        "content/improvements/absolute.md",
        "+++\ntitle = \"Absolute\"\ndate = 2026-01-05\nteams = [\"Billing\"]\nimage = \"/img/ok.svg\"\n+++\nText.\n",
    );
    let photo = s.path().join("content/improvements/linked/photo.png");
    std::fs::remove_file(&photo).expect("rm link");
    std::fs::write(photo.with_extension("svg"), svg).expect("write photo");
    s.write(
        "content/improvements/linked/index.md",
        "+++\ntitle = \"Linked\"\ndate = 2026-01-05\nteams = [\"Billing\"]\nimage = \"photo.svg\"\n+++\nText.\n",
    );
    s.build_ok("2026-02-01");
    let mut published: Vec<Vec<u8>> = Vec::new();
    for e in walkdir::WalkDir::new(s.public()).into_iter().flatten() {
        if e.file_type().is_file() {
            published.push(std::fs::read(e.path()).expect("read"));
        }
    }
    assert!(
        !published.iter().any(|b| b == b"not for the intranet"),
        "the secret was published"
    );
}

/// A Markdown link or image names a file to publish beside its page: never one outside the
/// site, by a percent-encoded absolute path (`%2Fetc%2Fpasswd` decodes to `/etc/passwd`, and
/// joining an absolute path replaced the page's folder) or through a symlink beside the page;
/// and a `%` before a non-ASCII character is no crash.
#[test]
fn links_cannot_publish_files_from_outside_the_site() {
    let s = crate::support::TestSite::minimal();
    let secret = tempfile::tempdir().expect("tempdir");
    let secret_file = secret.path().join("secret.txt");
    std::fs::write(&secret_file, "not for the intranet").expect("write secret");
    let encoded: String = secret_file
        .to_string_lossy()
        .replace('%', "%25")
        .replace('/', "%2F");
    s.write(
        "content/improvements/absolute.md",
        &format!(
            "+++\ntitle = \"Absolute\"\ndate = 2026-01-05\nteams = [\"Billing\"]\n+++\n[the secret]({encoded})\n"
        ),
    );
    #[cfg(unix)]
    {
        s.write(
            "content/improvements/linked.md",
            "+++\ntitle = \"Linked\"\ndate = 2026-01-05\nteams = [\"Billing\"]\n+++\n[the secret](leak.txt)\n",
        );
        std::os::unix::fs::symlink(&secret_file, s.path().join("content/improvements/leak.txt"))
            .expect("symlink");
    }
    s.write(
        "content/improvements/odd.md",
        "+++\ntitle = \"Odd\"\ndate = 2026-01-05\nteams = [\"Billing\"]\n+++\n![odd](%a\u{e9}.png)\n",
    );
    let r = s.run(&["build", "--today", "2026-02-01"]);
    assert_eq!(r.status, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("absolute.md:6") && r.stderr.contains("does not exist"),
        "{}",
        r.stderr
    );
    #[cfg(unix)]
    assert!(r.stderr.contains("linked.md:6"), "{}", r.stderr);
    assert!(r.stderr.contains("odd.md:6"), "{}", r.stderr);
    assert!(!s.public().exists(), "nothing is published");

    // A warning-only build (raw HTML) publishes nothing from outside either.
    s.write(
        "content/improvements/absolute.md",
        &format!(
            "+++\ntitle = \"Absolute\"\ndate = 2026-01-05\nteams = [\"Billing\"]\n+++\n<a href=\"{encoded}\">the secret</a> <a href=\"leak.txt\">again</a>\n"
        ),
    );
    std::fs::remove_file(s.path().join("content/improvements/odd.md")).expect("rm");
    #[cfg(unix)]
    std::fs::remove_file(s.path().join("content/improvements/linked.md")).expect("rm");
    s.build_ok("2026-02-01");
    for e in walkdir::WalkDir::new(s.public()).into_iter().flatten() {
        if e.file_type().is_file() {
            let bytes = std::fs::read(e.path()).expect("read");
            assert!(
                bytes != b"not for the intranet",
                "the secret was published as {}",
                e.path().display()
            );
        }
    }
}
