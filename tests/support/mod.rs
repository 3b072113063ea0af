//! A small builder for integration tests: a site in a temp dir, the real `herald` binary run
//! on it, and helpers to read and parse what it wrote.

#![allow(dead_code, unreachable_pub)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use scraper::{Html, Selector};

/// The repository root (the example portal).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A site in a temporary folder.
pub struct TestSite {
    pub dir: tempfile::TempDir,
}

/// What a run of the binary printed and returned.
pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(o: Output) -> Self {
        Run {
            status: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

pub const SITE_TOML: &str = r#"title = "Test Portal"
base_url = "https://intranet.example.com/customers/"
timezone = "America/Chicago"
teams = ["Billing", "Customer Care", "IT"]
paginate = 2
"#;

impl TestSite {
    /// An empty folder.
    pub fn empty() -> Self {
        TestSite {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    /// A minimal valid site: site.toml and an empty content folder.
    pub fn minimal() -> Self {
        let s = Self::empty();
        s.write("site.toml", SITE_TOML);
        std::fs::create_dir_all(s.path().join("content")).expect("mkdir");
        s
    }

    /// A copy of the repository's example portal.
    pub fn example() -> Self {
        let s = Self::empty();
        std::fs::copy(repo().join("site.toml"), s.path().join("site.toml"))
            .expect("copy site.toml");
        copy_dir(&repo().join("content"), &s.path().join("content"));
        copy_dir(&repo().join("data"), &s.path().join("data"));
        s
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file (creating folders), relative to the site root.
    pub fn write(&self, rel: &str, text: &str) -> &Self {
        let p = self.path().join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
        self
    }

    /// `herald ARGS` in the site folder, not yet run.
    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_herald"));
        c.args(args)
            .current_dir(self.path())
            .env_remove("SOURCE_DATE_EPOCH")
            .env("NO_COLOR", "1");
        c
    }

    /// Runs `herald ARGS` in the site folder.
    pub fn run(&self, args: &[&str]) -> Run {
        Run::from(self.command(args).output().expect("run herald"))
    }

    /// Runs `herald ARGS` in the site folder, killing it (and failing) after `limit`: a hang is
    /// a failure, not a stuck test run.
    pub fn run_within(&self, args: &[&str], limit: Duration) -> Run {
        let mut child = self
            .command(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run herald");
        let started = Instant::now();
        while child.try_wait().expect("wait").is_none() {
            if started.elapsed() > limit {
                let _ = child.kill();
                let _ = child.wait();
                panic!("herald {args:?} did not finish within {limit:?}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Run::from(child.wait_with_output().expect("output"))
    }

    /// `herald build --today DATE`, asserting success.
    pub fn build_ok(&self, today: &str) -> Run {
        let r = self.run(&["build", "--today", today]);
        assert_eq!(r.status, 0, "build failed:\n{}\n{}", r.stdout, r.stderr);
        r
    }

    /// `herald build --today DATE`, asserting success with no error or warning printed.
    pub fn build_clean(&self, today: &str) -> Run {
        let r = self.build_ok(today);
        assert!(
            !r.stderr.contains("error") && !r.stderr.contains("warning"),
            "{}",
            r.stderr
        );
        r
    }

    pub fn public(&self) -> PathBuf {
        self.path().join("public")
    }

    /// The text of an output file.
    pub fn read(&self, rel: &str) -> String {
        let p = self.public().join(rel);
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
    }

    /// An output page, parsed.
    pub fn html(&self, rel: &str) -> Html {
        Html::parse_document(&self.read(rel))
    }
}

/// Every file under `dir` with its bytes, by relative path.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut m = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("prefix")
                .to_string_lossy()
                .into_owned();
            m.insert(rel, std::fs::read(e.path()).expect("read"));
        }
    }
    m
}

pub fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = e.path().strip_prefix(from).expect("prefix");
        let target = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(e.path(), &target).expect("copy");
        }
    }
}

/// Text of every element matching `css`, whitespace collapsed.
pub fn texts(doc: &Html, css: &str) -> Vec<String> {
    let sel = Selector::parse(css).expect("selector");
    doc.select(&sel)
        .map(|e| collapse(&e.text().collect::<String>()))
        .collect()
}

/// The first element's text.
pub fn text(doc: &Html, css: &str) -> String {
    texts(doc, css)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no element matches {css}"))
}

/// The whole visible text of the body, whitespace collapsed.
pub fn body_text(doc: &Html) -> String {
    text(doc, "body")
}

/// Values of `attr` on elements matching `css`.
pub fn attrs(doc: &Html, css: &str, attr: &str) -> Vec<String> {
    let sel = Selector::parse(css).expect("selector");
    doc.select(&sel)
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

pub fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether browser tests can run: Chromium, Node.js and the npm packages in tests/browser
/// (installed on first use with `npm ci`). Without them a browser test is skipped with a loud
/// message, or fails when `HERALD_REQUIRE_BROWSER=1` (CI sets it after installing Chromium).
pub fn browser_ready() -> bool {
    static READY: std::sync::OnceLock<Result<(), String>> = std::sync::OnceLock::new();
    let r = READY.get_or_init(|| {
        let chromium =
            std::env::var("HERALD_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        if !Path::new(&chromium).exists() {
            return Err(format!(
                "no Chromium at {chromium} (apt-get install chromium chromium-driver)"
            ));
        }
        if Command::new("node").arg("--version").output().is_err() {
            return Err("no Node.js on PATH".into());
        }
        let dir = repo().join("tests/browser");
        if ["playwright-core", "axe-core", "vnu-jar"]
            .iter()
            .any(|p| !dir.join("node_modules").join(p).is_dir())
        {
            let out = Command::new("npm")
                .args(["ci", "--ignore-scripts", "--no-audit", "--no-fund"])
                .current_dir(&dir)
                .output()
                .map_err(|e| format!("cannot run npm: {e}"))?;
            if !out.status.success() {
                return Err(format!(
                    "npm ci in tests/browser failed: {}",
                    String::from_utf8_lossy(&out.stderr)
                ));
            }
        }
        Ok(())
    });
    match r {
        Ok(()) => true,
        Err(why) => {
            assert!(
                std::env::var("HERALD_REQUIRE_BROWSER").as_deref() != Ok("1"),
                "browser tests are required (HERALD_REQUIRE_BROWSER=1) but cannot run: {why}"
            );
            eprintln!("\n!!!!!!!! SKIPPING BROWSER TEST: {why} !!!!!!!!\n");
            false
        }
    }
}

/// Whether an external program a test needs (nginx, Python's feedparser) is installed:
/// `probe` is run and must succeed. Without it the test is skipped with a loud message, or fails
/// when `HERALD_REQUIRE_TOOLS=1` (CI sets it after installing them).
pub fn tool_ready(what: &str, probe: &[&str], install: &str) -> bool {
    let ok = Command::new(probe[0])
        .args(&probe[1..])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(
            std::env::var("HERALD_REQUIRE_TOOLS").as_deref() != Ok("1"),
            "{what} is required (HERALD_REQUIRE_TOOLS=1) but missing: {install}"
        );
        eprintln!("\n!!!!!!!! SKIPPING TEST: no {what} ({install}) !!!!!!!!\n");
    }
    ok
}

/// Runs a script of tests/browser with Node and parses the JSON it prints.
pub fn node_json(script: &str, args: &[&str]) -> serde_json::Value {
    let out = Command::new("node")
        .arg(repo().join("tests/browser").join(script))
        .args(args)
        .output()
        .expect("run node");
    assert!(
        out.status.success(),
        "{script} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let last = stdout.lines().last().unwrap_or("");
    serde_json::from_str(last)
        .unwrap_or_else(|e| panic!("{script} printed no JSON ({e}):\n{stdout}"))
}

/// A running `herald serve`, killed (and reaped) when dropped, even when a test panics.
pub struct Server {
    child: Child,
    pub host: String,
    pub port: u16,
    /// What the server printed after its address line, and prints from now on.
    lines: mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts `herald -C DIR serve --port 0` and waits for the line with its address.
    pub fn start(site: &TestSite, today: &str) -> Server {
        Self::start_with(site, today, &[])
    }

    /// Like [`Server::start`], with more arguments for `serve`.
    pub fn start_with(site: &TestSite, today: &str, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_herald"))
            .arg("-C")
            .arg(site.path())
            .args(["serve", "--port", "0", "--today", today])
            .args(extra)
            .current_dir(site.path())
            .env_remove("SOURCE_DATE_EPOCH")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start herald serve");
        // Both streams are drained for the server's whole life, so it never blocks on a pipe.
        let (tx, rx) = mpsc::channel::<String>();
        if let Some(out) = child.stdout.take() {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(out).lines().map_while(Result::ok) {
                    let _ = tx.send(line);
                }
            });
        }
        if let Some(err) = child.stderr.take() {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(err).lines().map_while(Result::ok) {
                    let _ = tx.send(line);
                }
            });
        }
        drop(tx);
        let mut server = Server {
            child,
            host: String::new(),
            port: 0,
            lines: rx,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut seen = Vec::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            let Ok(line) = server.lines.recv_timeout(left) else {
                break;
            };
            if let Some((host, port)) = address_in(&line) {
                assert_ne!(
                    port, 0,
                    "`serve --port 0` must print the port it really listens on: {line}"
                );
                server.host = host;
                server.port = port;
                return server;
            }
            seen.push(line);
        }
        panic!(
            "herald serve printed no http://HOST:PORT/ line within 60 s; it printed:\n{}",
            seen.join("\n")
        );
    }

    /// The site's address, `http://127.0.0.1:PORT/customers/`.
    pub fn url(&self) -> String {
        format!("http://{}:{}/customers/", self.host, self.port)
    }

    /// The first line the server prints from now on (or printed after its address line) that
    /// `want` accepts, within `limit`.
    pub fn line(&self, limit: Duration, want: impl Fn(&str) -> bool) -> Option<String> {
        let deadline = Instant::now() + limit;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(l) if want(&l) => return Some(l),
                Ok(_) => {}
                Err(_) => return None,
            }
        }
        None
    }

    /// Sends `METHOD target` with `headers` (`Name: value` lines; `Host` is added unless one
    /// is given) and `body`; returns the status, the response headers and the body.
    pub fn request(
        &self,
        method: &str,
        target: &str,
        headers: &[&str],
        body: &[u8],
    ) -> (u16, String, String) {
        let addr = SocketAddr::from(([127, 0, 0, 1], self.port));
        let mut stream =
            TcpStream::connect_timeout(&addr, Duration::from_secs(10)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .expect("timeout");
        let mut head = format!("{method} {target} HTTP/1.1\r\n");
        if !headers
            .iter()
            .any(|h| h.to_ascii_lowercase().starts_with("host:"))
        {
            head.push_str(&format!("Host: 127.0.0.1:{}\r\n", self.port));
        }
        for h in headers {
            head.push_str(h);
            head.push_str("\r\n");
        }
        head.push_str(&format!(
            "Content-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        ));
        stream.write_all(head.as_bytes()).expect("send");
        stream.write_all(body).expect("send body");
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw);
        let text = String::from_utf8_lossy(&raw).into_owned();
        let status = text
            .get(9..12)
            .and_then(|c| c.parse().ok())
            .unwrap_or_else(|| panic!("no HTTP status line for {target:?}: {text:?}"));
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        (status, head.to_string(), body.to_string())
    }

    /// Sends `GET {target}` exactly as written and returns the status code and the body.
    pub fn get(&self, target: &str) -> (u16, String) {
        let addr = SocketAddr::from(([127, 0, 0, 1], self.port));
        let mut stream =
            TcpStream::connect_timeout(&addr, Duration::from_secs(10)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .expect("timeout");
        let request = format!(
            "GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nUser-Agent: herald-security-test\r\n\
             Accept: */*\r\nConnection: close\r\n\r\n",
            self.port
        );
        stream.write_all(request.as_bytes()).expect("send");
        let mut raw = Vec::new();
        // A server may reset the connection after answering a malformed request: keep what came.
        let _ = stream.read_to_end(&mut raw);
        let text = String::from_utf8_lossy(&raw).into_owned();
        let status = text
            .strip_prefix("HTTP/1.1 ")
            .or_else(|| text.strip_prefix("HTTP/1.0 "))
            .and_then(|rest| rest.get(..3))
            .and_then(|code| code.parse().ok())
            .unwrap_or_else(|| panic!("no HTTP status line for {target:?}: {text:?}"));
        let body = text
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default();
        (status, body)
    }
}

/// `HOST` and `PORT` from the first `http://HOST:PORT/` in `line`.
fn address_in(line: &str) -> Option<(String, u16)> {
    let rest = &line[line.find("http://")? + "http://".len()..];
    let authority = &rest[..rest.find('/')?];
    let (host, port) = authority.rsplit_once(':')?;
    Some((host.to_string(), port.parse().ok()?))
}
