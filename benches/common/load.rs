//! A load test of `herald serve`: client threads send keep-alive `GET`s to a set of pages on
//! loopback for a fixed time while another thread edits a content file, and every response is
//! checked. Shared by `cargo bench --bench load` (30 s, figures for BENCHMARKS.md) and the
//! integration test `cases::load` (a few seconds, asserting no error).
//!
//! A response counts as an error when the connection fails, the status is not 200, the body is
//! cut short, or the body mixes two versions of the edited file: every edit writes one version
//! number into the title and the body, so a page that shows two numbers was put together from
//! two builds.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The content file the editor thread rewrites, relative to the site.
pub(crate) const EDITED: &str = "content/improvements/load-test.md";

/// The edited file at version `v`.
pub(crate) fn edited_text(v: u64) -> String {
    format!(
        "+++\ntitle = \"Load version {v}\"\ndate = 2026-11-20\nteams = [\"Billing\"]\n\
         summary = \"The load-test entry, at load-version-{v}.\"\n+++\n\n\
         This page is at load-version-{v}. It changes while clients read it.\n"
    )
}

/// `herald serve` started on a free loopback port.
pub(crate) struct Served {
    child: Child,
    /// The port it listens on.
    pub(crate) port: u16,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `BIN -C SITE serve --port 0 --today TODAY` and waits for its address line.
pub(crate) fn serve(bin: &Path, site: &Path, today: &str) -> Result<Served, String> {
    let mut child = Command::new(bin)
        .arg("-C")
        .arg(site)
        .args(["serve", "--port", "0", "--today", today])
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
    let out = child.stdout.take().ok_or("no stdout")?;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        let Ok(line) = rx.recv_timeout(left) else {
            break;
        };
        let port = line
            .split("http://127.0.0.1:")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .and_then(|p| p.parse::<u16>().ok());
        if let Some(port) = port {
            // Keep draining stdout so the server never blocks on a full pipe.
            std::thread::spawn(move || while rx.recv().is_ok() {});
            return Ok(Served { child, port });
        }
    }
    let _ = child.kill();
    Err("herald serve printed no address within 120 s".into())
}

/// What a load run saw.
#[derive(Default)]
pub(crate) struct Report {
    /// Responses received and checked.
    pub(crate) requests: u64,
    /// Failed requests, with the first few reasons.
    pub(crate) errors: u64,
    /// The first reasons, at most 20.
    pub(crate) reasons: Vec<String>,
    /// Responses by status code.
    pub(crate) statuses: BTreeMap<u16, u64>,
    /// Latency of every request, sorted.
    pub(crate) latencies: Vec<Duration>,
    /// Edits written while the clients ran.
    pub(crate) edits: u64,
    /// Responses that showed the edited entry, and how many versions of it they showed.
    pub(crate) saw_versions: u64,
    /// How long the clients ran.
    pub(crate) elapsed: Duration,
}

impl Report {
    /// The latency at quantile `q` (0..=1).
    pub(crate) fn quantile(&self, q: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let i = ((self.latencies.len() - 1) as f64 * q).round() as usize;
        self.latencies[i.min(self.latencies.len() - 1)]
    }

    /// One paragraph of figures.
    pub(crate) fn summary(&self) -> String {
        format!(
            "{} requests in {:.1} s ({:.0}/s) by keep-alive clients, {} errors; statuses {:?}; \
             latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms; {} edits written meanwhile, \
             {} distinct versions of the edited page seen",
            self.requests,
            self.elapsed.as_secs_f64(),
            self.requests as f64 / self.elapsed.as_secs_f64().max(1e-9),
            self.errors,
            self.statuses,
            self.quantile(0.5).as_secs_f64() * 1e3,
            self.quantile(0.99).as_secs_f64() * 1e3,
            self.quantile(1.0).as_secs_f64() * 1e3,
            self.edits,
            self.saw_versions,
        )
    }
}

/// One keep-alive connection.
struct Conn {
    port: u16,
    stream: Option<BufReader<TcpStream>>,
}

impl Conn {
    fn get(&mut self, path: &str) -> Result<(u16, Vec<u8>), String> {
        if self.stream.is_none() {
            let addr = SocketAddr::from(([127, 0, 0, 1], self.port));
            let s = TcpStream::connect_timeout(&addr, Duration::from_secs(10))
                .map_err(|e| format!("connect: {e}"))?;
            s.set_read_timeout(Some(Duration::from_secs(30)))
                .map_err(|e| e.to_string())?;
            s.set_nodelay(true).map_err(|e| e.to_string())?;
            self.stream = Some(BufReader::new(s));
        }
        let result = self.exchange(path);
        if result.is_err() {
            self.stream = None;
        }
        result
    }

    fn exchange(&mut self, path: &str) -> Result<(u16, Vec<u8>), String> {
        let port = self.port;
        let r = self.stream.as_mut().ok_or("no connection")?;
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: herald-load\r\n\r\n"
        );
        r.get_mut()
            .write_all(request.as_bytes())
            .map_err(|e| format!("send {path}: {e}"))?;
        let mut line = String::new();
        r.read_line(&mut line)
            .map_err(|e| format!("status line of {path}: {e}"))?;
        let status: u16 = line
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .ok_or_else(|| format!("bad status line for {path}: {line:?}"))?;
        let mut length: Option<usize> = None;
        let mut chunked = false;
        let mut close = false;
        loop {
            line.clear();
            r.read_line(&mut line)
                .map_err(|e| format!("headers of {path}: {e}"))?;
            let h = line.trim_end();
            if h.is_empty() {
                break;
            }
            let (name, value) = h.split_once(':').unwrap_or((h, ""));
            let (name, value) = (name.to_ascii_lowercase(), value.trim());
            match name.as_str() {
                "content-length" => length = value.parse().ok(),
                "transfer-encoding" => chunked = value.eq_ignore_ascii_case("chunked"),
                "connection" => close = value.eq_ignore_ascii_case("close"),
                _ => {}
            }
        }
        let mut body = Vec::new();
        if chunked {
            loop {
                line.clear();
                r.read_line(&mut line)
                    .map_err(|e| format!("chunk of {path}: {e}"))?;
                let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or(""), 16)
                    .map_err(|_| format!("bad chunk size for {path}: {line:?}"))?;
                let start = body.len();
                body.resize(start + size, 0);
                r.read_exact(&mut body[start..])
                    .map_err(|e| format!("chunk of {path} cut short: {e}"))?;
                let mut crlf = [0u8; 2];
                r.read_exact(&mut crlf)
                    .map_err(|e| format!("chunk end of {path}: {e}"))?;
                if size == 0 {
                    break;
                }
            }
        } else if let Some(n) = length {
            body.resize(n, 0);
            r.read_exact(&mut body)
                .map_err(|e| format!("body of {path} cut short: {e}"))?;
        } else {
            r.read_to_end(&mut body)
                .map_err(|e| format!("body of {path}: {e}"))?;
            close = true;
        }
        if close {
            self.stream = None;
        }
        Ok((status, body))
    }
}

/// The versions of the edited entry a body shows.
fn versions(body: &[u8]) -> Vec<u64> {
    let text = String::from_utf8_lossy(body);
    let mut found: Vec<u64> = Vec::new();
    for marker in ["Load version ", "load-version-"] {
        for piece in text.split(marker).skip(1) {
            let digits: String = piece.chars().take_while(char::is_ascii_digit).collect();
            if let Ok(v) = digits.parse() {
                found.push(v);
            }
        }
    }
    found.sort_unstable();
    found.dedup();
    found
}

/// Runs `clients` threads against `paths` for `duration`, while the file [`EDITED`] of `site`
/// is rewritten every `edit_every` with a rising version number.
pub(crate) fn run(
    port: u16,
    site: &Path,
    paths: &[String],
    clients: usize,
    duration: Duration,
    edit_every: Duration,
) -> Report {
    let stop = Arc::new(AtomicBool::new(false));
    let edits = Arc::new(AtomicU64::new(0));
    let file: PathBuf = site.join(EDITED);
    let editor = {
        let (stop, edits) = (Arc::clone(&stop), Arc::clone(&edits));
        std::thread::spawn(move || {
            let mut v = 1_000;
            while !stop.load(Ordering::Relaxed) {
                std::thread::sleep(edit_every);
                v += 1;
                // Written beside and renamed, as editors save.
                let tmp = file.with_extension("md.tmp");
                if std::fs::write(&tmp, edited_text(v)).is_ok()
                    && std::fs::rename(&tmp, &file).is_ok()
                {
                    edits.fetch_add(1, Ordering::Relaxed);
                }
            }
        })
    };
    let start = Instant::now();
    let threads: Vec<_> = (0..clients)
        .map(|c| {
            let paths = paths.to_vec();
            std::thread::spawn(move || {
                let mut conn = Conn { port, stream: None };
                let mut mine = Report::default();
                let mut seen = std::collections::BTreeSet::new();
                let mut i = c;
                while start.elapsed() < duration {
                    let path = &paths[i % paths.len()];
                    i += 1;
                    let t = Instant::now();
                    let got = conn.get(path);
                    mine.latencies.push(t.elapsed());
                    mine.requests += 1;
                    let problem = match got {
                        Err(e) => Some(e),
                        Ok((status, body)) => {
                            *mine.statuses.entry(status).or_insert(0) += 1;
                            let v = versions(&body);
                            seen.extend(v.iter().copied());
                            if status != 200 {
                                Some(format!("{path}: status {status}"))
                            } else if v.len() > 1 {
                                Some(format!("{path}: one response shows versions {v:?}"))
                            } else {
                                None
                            }
                        }
                    };
                    if let Some(p) = problem {
                        mine.errors += 1;
                        if mine.reasons.len() < 20 {
                            mine.reasons.push(p);
                        }
                    }
                }
                (mine, seen)
            })
        })
        .collect();
    let mut report = Report::default();
    let mut seen = std::collections::BTreeSet::new();
    for t in threads {
        let Ok((mine, s)) = t.join() else {
            report.errors += 1;
            report.reasons.push("a client thread panicked".into());
            continue;
        };
        report.requests += mine.requests;
        report.errors += mine.errors;
        for r in mine.reasons {
            if report.reasons.len() < 20 {
                report.reasons.push(r);
            }
        }
        for (k, n) in mine.statuses {
            *report.statuses.entry(k).or_insert(0) += n;
        }
        report.latencies.extend(mine.latencies);
        seen.extend(s);
    }
    report.elapsed = start.elapsed();
    stop.store(true, Ordering::Relaxed);
    let _ = editor.join();
    report.latencies.sort_unstable();
    report.edits = edits.load(Ordering::Relaxed);
    report.saw_versions = seen.len() as u64;
    report
}

/// The pages a load run asks for: the edited entry's page and every list that shows it, the
/// stylesheet, the feed and the search index's first file.
pub(crate) fn paths() -> Vec<String> {
    [
        "/customers/",
        "/customers/improvements/",
        "/customers/improvements/load-test/",
        "/customers/teams/billing/",
        "/customers/atom.xml",
        "/customers/sitemap.xml",
        "/customers/digest/",
        "/customers/roadmap/",
    ]
    .iter()
    .map(|s| (*s).to_string())
    .collect()
}
