//! Publishing with a real web server (README "Publishing", SPEC §1 and §5): the example portal,
//! built for a test address, is served by nginx (the Debian package) under the sub-path of its
//! `base_url`, the way an existing intranet host would mount it, and crawled from `/customers/`.
//! Every link, asset, feed link and sitemap entry that points at the server must answer 200.
//!
//! The nginx configuration is not written here: the test takes the two `nginx` blocks of the
//! README's "Publishing" section (the `map` for the `http` block and the `location`s for the
//! `server` block), points the `alias` at the built folder and wraps them in a minimal
//! `nginx.conf`. So the configuration the README gives readers is the one tested.
//!
//! nginx runs in the foreground (`daemon off`) with every file it writes inside the test's temp
//! folder, on a free loopback port, and is stopped when the test ends, also when it panics. The
//! tests skip loudly without nginx, or fail with `HERALD_REQUIRE_TOOLS=1` (CI sets it);
//! `HERALD_NGINX` names another nginx binary.

#![cfg(unix)]

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use scraper::{Html, Selector};

use crate::support::{TestSite, repo, tool_ready};

const TODAY: &str = "2026-11-23";
/// The sub-path the example portal's `base_url` names, and the README's snippets use.
const BASE: &str = "/customers/";
/// The published folder in the README's nginx snippet, replaced by the built folder here.
const README_ALIAS: &str = "alias /var/www/intranet/customers/;";

/// The home page of the intranet host the site is published on.
const HOST_HOME: &str = "<!DOCTYPE html><title>Intranet</title><p>The intranet's own home page.";

/// The nginx binary: `HERALD_NGINX`, else Debian's `/usr/sbin/nginx` (not on a non-root user's
/// PATH), else `nginx` from PATH.
fn nginx_binary() -> String {
    if let Ok(bin) = std::env::var("HERALD_NGINX") {
        return bin;
    }
    [
        "/usr/sbin/nginx",
        "/usr/local/sbin/nginx",
        "/usr/local/nginx/sbin/nginx",
    ]
    .into_iter()
    .find(|p| Path::new(p).is_file())
    .unwrap_or("nginx")
    .to_string()
}

/// The README's two nginx blocks: the one for the `http` block and the one for `server`.
fn readme_nginx() -> (String, String) {
    let readme = std::fs::read_to_string(repo().join("README.md")).expect("read README.md");
    let start = readme
        .find("\n## Publishing\n")
        .expect("README.md has a \"## Publishing\" section");
    let section = &readme[start + 1..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 3)];
    let blocks: Vec<&str> = section
        .split("```nginx\n")
        .skip(1)
        .filter_map(|b| b.split("\n```").next())
        .collect();
    let http = blocks
        .iter()
        .find(|b| b.contains("map "))
        .expect("the Publishing section has an nginx block with the `map` for the http block");
    let server = blocks
        .iter()
        .find(|b| b.contains(README_ALIAS))
        .unwrap_or_else(|| {
            panic!("the Publishing section has an nginx block with `{README_ALIAS}`: {blocks:?}")
        });
    (http.to_string(), server.to_string())
}

/// A port that was free a moment ago.
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("local address").port()
}

/// A running nginx, stopped (with its workers) and reaped when dropped, even when a test panics.
struct Nginx {
    child: Child,
    bin: String,
    prefix: PathBuf,
    port: u16,
}

/// `-p PREFIX -c PREFIX/nginx.conf -e PREFIX/error.log`.
fn nginx_args(prefix: &Path) -> Vec<String> {
    let p = |name: &str| prefix.join(name).to_string_lossy().into_owned();
    vec![
        "-p".into(),
        format!("{}/", prefix.display()),
        "-c".into(),
        p("nginx.conf"),
        "-e".into(),
        p("error.log"),
    ]
}

/// nginx's output and error log, for a failure message.
fn nginx_logs(prefix: &Path) -> String {
    ["stderr.log", "error.log"]
        .iter()
        .map(|f| std::fs::read_to_string(prefix.join(f)).unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

impl Nginx {
    /// Starts nginx with `conf` in `prefix` and waits until its port answers. `Err` holds its
    /// logs when it exits or does not answer within 10 s.
    fn start(bin: &str, prefix: &Path, conf: &str, port: u16) -> Result<Nginx, String> {
        std::fs::write(prefix.join("nginx.conf"), conf).expect("write nginx.conf");
        let stderr = std::fs::File::create(prefix.join("stderr.log")).expect("stderr.log");
        let child = Command::new(bin)
            .args(nginx_args(prefix))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {bin}: {e}"));
        // From here on, dropping `nginx` stops it.
        let mut nginx = Nginx {
            child,
            bin: bin.to_string(),
            prefix: prefix.to_path_buf(),
            port,
        };
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(Some(status)) = nginx.child.try_wait() {
                return Err(format!("nginx exited ({status}):\n{}", nginx.logs()));
            }
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                return Ok(nginx);
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "nginx did not answer on port {port} within 10 s:\n{}",
                    nginx.logs()
                ));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn logs(&self) -> String {
        nginx_logs(&self.prefix)
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        if let Ok(Some(_)) = self.child.try_wait() {
            return;
        }
        // `-s stop` has the master stop its workers; killing only the master would leave them.
        let _ = Command::new(&self.bin)
            .args(nginx_args(&self.prefix))
            .args(["-s", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The example portal built for `http://127.0.0.1:PORT/customers/` and served there by nginx.
struct Published {
    // Dropped first: nginx stops before its folder is removed.
    nginx: Nginx,
    site: TestSite,
}

impl Published {
    /// `None` when nginx is not installed (and not required).
    fn start() -> Option<Published> {
        let bin = nginx_binary();
        if !tool_ready("nginx", &[&bin, "-v"], "apt-get install nginx") {
            return None;
        }
        let mime = Path::new("/etc/nginx/mime.types");
        assert!(
            mime.is_file(),
            "{} is missing (apt-get install nginx)",
            mime.display()
        );
        let (http, server) = readme_nginx();
        let site = TestSite::example();
        let prefix = site.path().join("nginx");
        std::fs::create_dir_all(&prefix).expect("mkdir nginx");
        let user = worker_user(&site);
        let public = site.public();
        let server = server.replace(README_ALIAS, &format!("alias \"{}/\";", public.display()));
        std::fs::create_dir_all(prefix.join("host")).expect("mkdir host");
        std::fs::write(prefix.join("host/index.html"), HOST_HOME).expect("write the host's page");
        let dir = prefix.display();
        // A port taken between `free_port` and nginx's bind is tried again with another one.
        for attempt in 1..=3 {
            let port = free_port();
            let base_url = format!("http://127.0.0.1:{port}{BASE}");
            let r = site.run(&["build", "--today", TODAY, "--base-url", &base_url]);
            assert_eq!(r.status, 0, "build failed:\n{}\n{}", r.stdout, r.stderr);
            let conf = format!(
                "{user}daemon off;
worker_processes 1;
pid \"{dir}/nginx.pid\";
error_log \"{dir}/error.log\";
events {{ worker_connections 256; }}
http {{
    include {mime};
    default_type application/octet-stream;
    access_log \"{dir}/access.log\";
    client_body_temp_path \"{dir}/client_body\";
    proxy_temp_path \"{dir}/proxy\";
    fastcgi_temp_path \"{dir}/fastcgi\";
    uwsgi_temp_path \"{dir}/uwsgi\";
    scgi_temp_path \"{dir}/scgi\";

{http}

    server {{
        listen 127.0.0.1:{port};
        server_name localhost;

        # The intranet host as it was before herald: its own pages at the root, and a regex
        # location for its static files that must not take herald's files under the sub-path.
        root \"{dir}/host\";
        location / {{
            try_files $uri $uri/ =404;
        }}
        location ~* \\.(css|js|svg|png|jpe?g|gif|ico|json|xml|html)$ {{
            expires 7d;
        }}

{server}
    }}
}}
",
                mime = mime.display()
            );
            match Nginx::start(&bin, &prefix, &conf, port) {
                Ok(nginx) => return Some(Published { nginx, site }),
                Err(log) if attempt < 3 && log.contains("Address already in use") => {}
                Err(log) => panic!("nginx did not start with this configuration:\n{conf}\n{log}"),
            }
        }
        unreachable!("the loop returns or panics")
    }

    fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.nginx.port)
    }

    fn get(&self, target: &str) -> Response {
        self.get_with(target, "")
            .unwrap_or_else(|e| panic!("GET {target}: {e}"))
    }

    /// `GET target` with extra header lines (each ending in `\r\n`).
    fn get_with(&self, target: &str, headers: &str) -> Result<Response, String> {
        http_get(self.nginx.port, target, headers)
    }
}

/// The `user` line of nginx.conf. As root, nginx runs its workers as `nobody`, as a real server
/// runs them as a user other than the one who built the site: the built folder must then be
/// readable by others, and the temp folder (0700) is opened up for it. Only when a folder above
/// it cannot be opened up either do the workers run as root.
fn worker_user(site: &TestSite) -> String {
    let meta = std::fs::metadata(site.path()).expect("stat the temp folder");
    if meta.uid() != 0 {
        return String::new();
    }
    std::fs::set_permissions(site.path(), std::fs::Permissions::from_mode(0o755))
        .expect("chmod the temp folder");
    let closed = site.path().ancestors().find(|dir| {
        std::fs::metadata(dir).is_ok_and(|m| m.mode() & 0o001 == 0 && !dir.as_os_str().is_empty())
    });
    match closed {
        None => String::new(),
        Some(dir) => {
            eprintln!(
                "publish: {} is closed to other users; nginx workers run as root",
                dir.display()
            );
            "user root;\n".into()
        }
    }
}

/// An HTTP answer.
struct Response {
    status: u16,
    /// Header names in lower case.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn content_type(&self) -> &str {
        self.header("content-type").unwrap_or("")
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// A plain HTTP/1.1 `GET`, one connection per request.
fn http_get(port: u16, target: &str, headers: &str) -> Result<Response, String> {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5))
        .map_err(|e| format!("connect: {e}"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .map_err(|e| format!("timeout: {e}"))?;
    let request = format!(
        "GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: herald-publish-test\r\n\
         Accept: */*\r\n{headers}Connection: close\r\n\r\n"
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|e| format!("send: {e}"))?;
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .map_err(|e| format!("read: {e}"))?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| format!("no end of headers in {:?}", String::from_utf8_lossy(&raw)))?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or("");
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("bad status line {status_line:?}"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"))
    {
        body = dechunk(&body).ok_or("a malformed chunked body")?;
    }
    Ok(Response {
        status,
        headers,
        body,
    })
}

fn dechunk(mut raw: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let eol = raw.windows(2).position(|w| w == b"\r\n")?;
        let size = String::from_utf8_lossy(&raw[..eol]);
        let size = usize::from_str_radix(size.split(';').next()?.trim(), 16).ok()?;
        raw = &raw[eol + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(raw.get(..size)?);
        raw = raw.get(size + 2..)?;
    }
}

/// Where `reference`, found in the document at `from` (a path with an optional query), points on
/// the server `origin` (`http://127.0.0.1:PORT`): a request target with the fragment stripped.
/// `None` for other hosts and schemes (`mailto:`, `data:`) and for a bare `#fragment`.
fn resolve(origin: &str, from: &str, reference: &str) -> Option<String> {
    let reference = reference.trim();
    let reference = reference.split('#').next().unwrap_or("");
    if reference.is_empty() {
        return None;
    }
    // A protocol-relative `//host/path` is on this server when `http://host/path` is.
    let reference = if reference.starts_with("//") {
        format!("http:{reference}")
    } else {
        reference.to_string()
    };
    let path = from.split('?').next().unwrap_or(from);
    let target = if reference
        .to_ascii_lowercase()
        .starts_with(&origin.to_ascii_lowercase())
    {
        let rest = &reference[origin.len()..];
        match rest.chars().next() {
            None => "/".to_string(),
            Some('/') => rest.to_string(),
            Some('?') => format!("/{rest}"),
            Some(_) => return None, // another port: `:80801` after `:8080`
        }
    } else if reference.starts_with('/') {
        reference
    } else if reference.starts_with('?') {
        format!("{path}{reference}")
    } else if reference
        .find(':')
        .is_some_and(|c| !reference[..c].contains(['/', '?']))
    {
        return None; // a scheme: mailto:, tel:, https://elsewhere, data:
    } else {
        format!("{}{reference}", &path[..=path.rfind('/')?])
    };
    Some(normalise(&target))
}

/// Removes `.` and `..` segments from the path of a target, leaving the query as it is.
fn normalise(target: &str) -> String {
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (target, None),
    };
    let mut parts: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    for (i, seg) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match *seg {
            "." => {
                if last {
                    parts.push("");
                }
            }
            ".." => {
                parts.pop();
                if last {
                    parts.push("");
                }
            }
            s => parts.push(s),
        }
    }
    let mut out = format!("/{}", parts.join("/"));
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// The `url(...)` and `@import "..."` references of a stylesheet.
fn css_refs(css: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = css;
    while let Some(i) = rest.find("url(") {
        rest = &rest[i + 4..];
        let end = rest.find(')').unwrap_or(rest.len());
        let value = rest[..end].trim().trim_matches(['"', '\'']).trim();
        out.push(value.to_string());
        rest = &rest[end..];
    }
    let mut rest = css;
    while let Some(i) = rest.find("@import") {
        rest = rest[i + 7..].trim_start();
        if let Some(q) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') {
            let value = &rest[1..];
            out.push(value[..value.find(q).unwrap_or(value.len())].to_string());
        }
    }
    out
}

fn xml_unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The references of an XML file: a sitemap's `<loc>`s, an Atom feed's `<link href>`s and its
/// `<icon>` and `<logo>`, and `xml-stylesheet`s.
fn xml_refs(xml: &str) -> Vec<String> {
    let mut out = Vec::new();
    for tag in ["loc", "icon", "logo"] {
        let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
        let mut rest = xml;
        while let Some(i) = rest.find(&open) {
            rest = &rest[i + open.len()..];
            let end = rest.find(&close).unwrap_or(rest.len());
            out.push(xml_unescape(rest[..end].trim()));
            rest = &rest[end..];
        }
    }
    for tag in ["<link", "<?xml-stylesheet"] {
        let mut rest = xml;
        while let Some(i) = rest.find(tag) {
            rest = &rest[i + tag.len()..];
            let element = &rest[..rest.find('>').unwrap_or(rest.len())];
            for quote in ['"', '\''] {
                if let Some(j) = element.find(&format!("href={quote}")) {
                    let value = &element[j + 6..];
                    out.push(xml_unescape(
                        &value[..value.find(quote).unwrap_or(value.len())],
                    ));
                }
            }
        }
    }
    out
}

/// Every URL of a JSON file (the lobby's data): the values of `url`, `image`, `href` and `src`,
/// and any other string that starts with the site's address.
fn json_refs(value: &serde_json::Value, site: &str, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map {
                match v {
                    serde_json::Value::String(s)
                        if ["url", "image", "href", "src"].contains(&key.as_str())
                            || s.starts_with(site)
                            || s.starts_with(BASE) =>
                    {
                        out.push(s.clone());
                    }
                    _ => json_refs(v, site, out),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| json_refs(v, site, out)),
        serde_json::Value::String(s) if s.starts_with(site) || s.starts_with(BASE) => {
            out.push(s.clone());
        }
        _ => {}
    }
}

/// The references of an HTML page: `href`, `src`, `poster`, `action`, every `srcset` candidate,
/// `url()` in `style` attributes and elements, and any other attribute (`content` of a meta
/// tag, a `data-` attribute) whose value is an address on the site. A lobby screen (`<html
/// data-screen>`) also polls `version.json` and loads `data.json` beside it.
fn html_refs(doc: &Html, site: &str) -> Vec<String> {
    let mut out = Vec::new();
    for node in doc.tree.nodes() {
        let Some(el) = node.value().as_element() else {
            continue;
        };
        for (name, value) in el.attrs() {
            match name {
                "href" | "src" | "poster" | "action" => out.push(value.to_string()),
                "srcset" | "imagesrcset" => out.extend(
                    value
                        .split(',')
                        .filter_map(|c| c.split_whitespace().next())
                        .map(str::to_string),
                ),
                "style" => out.extend(css_refs(value)),
                _ if value.starts_with(site) || value.starts_with(BASE) => {
                    out.push(value.to_string());
                }
                _ => {}
            }
        }
        if el.name() == "html"
            && let Some(screen) = el.attr("data-screen")
        {
            out.push(format!("version.json?screen={screen}"));
            out.push("data.json".into());
        }
    }
    let style = Selector::parse("style").expect("selector");
    for el in doc.select(&style) {
        out.extend(css_refs(&el.text().collect::<String>()));
    }
    out
}

/// What a crawl found.
#[derive(Default)]
struct Crawl {
    /// Each request target and its status (0: no answer).
    status: BTreeMap<String, u16>,
    /// The documents that linked each target, in crawl order.
    linked_from: BTreeMap<String, Vec<String>>,
    /// Targets that answered 200 with an HTML page.
    html: BTreeSet<String>,
    /// Links to other hosts, not followed.
    external: BTreeSet<String>,
    /// Problems other than a status: an unreadable answer.
    problems: Vec<String>,
}

impl Crawl {
    /// Every target that did not answer 200, with the documents that linked it.
    fn failures(&self) -> Vec<String> {
        self.status
            .iter()
            .filter(|(_, s)| **s != 200)
            .map(|(target, s)| {
                let from = &self.linked_from[target];
                let shown: Vec<&str> = from.iter().take(3).map(String::as_str).collect();
                let more = from.len().saturating_sub(3);
                format!(
                    "GET {target} -> {s}, linked from {}{}",
                    shown.join(", "),
                    if more > 0 {
                        format!(" and {more} more")
                    } else {
                        String::new()
                    }
                )
            })
            .chain(self.problems.iter().cloned())
            .collect()
    }
}

/// One fetched target: its status (0: no answer), whether it is an HTML page, the targets it
/// links on the server, the links to other hosts, and any problem reading it.
struct Fetched {
    status: u16,
    html: bool,
    links: Vec<String>,
    external: Vec<String>,
    problem: Option<String>,
}

/// Fetches `target` and extracts the references of an HTML, CSS, XML or JSON answer.
fn fetch(port: u16, target: &str) -> Fetched {
    let origin = format!("http://127.0.0.1:{port}");
    let site = format!("{origin}{BASE}");
    let mut f = Fetched {
        status: 0,
        html: false,
        links: Vec::new(),
        external: Vec::new(),
        problem: None,
    };
    let r = match http_get(port, target, "") {
        Ok(r) => r,
        Err(e) => {
            f.problem = Some(format!("GET {target}: {e}"));
            return f;
        }
    };
    f.status = r.status;
    if r.status != 200 {
        return f;
    }
    let path = target.split('?').next().unwrap_or(target);
    let kind = r.content_type().to_ascii_lowercase();
    let refs = if kind.starts_with("text/html") {
        f.html = true;
        html_refs(&Html::parse_document(&r.text()), &site)
    } else if kind.starts_with("text/css") || path.ends_with(".css") {
        css_refs(&r.text())
    } else if (kind.contains("xml") && !kind.contains("svg")) || path.ends_with(".xml") {
        xml_refs(&r.text())
    } else if kind.contains("json") || path.ends_with(".json") {
        let mut refs = Vec::new();
        match serde_json::from_slice::<serde_json::Value>(&r.body) {
            Ok(v) => json_refs(&v, &site, &mut refs),
            Err(e) => f.problem = Some(format!("{target} is not JSON: {e}")),
        }
        refs
    } else {
        Vec::new()
    };
    for reference in refs {
        match resolve(&origin, target, &reference) {
            Some(next) => f.links.push(next),
            None if reference.starts_with("http") || reference.starts_with("//") => {
                f.external.push(reference);
            }
            None => {}
        }
    }
    f
}

/// Fetches every target reachable from `seeds` on the server, following the references of HTML,
/// CSS, XML and JSON answers. The crawl goes breadth first, one level at a time; the targets of
/// a level are fetched and parsed on every core (parsing dominates), and merged in their order,
/// so the result does not depend on timing.
fn crawl(port: u16, seeds: &[&str]) -> Crawl {
    let mut c = Crawl::default();
    let mut level: Vec<String> = Vec::new();
    for seed in seeds {
        c.linked_from
            .insert(seed.to_string(), vec!["(start)".into()]);
        level.push(seed.to_string());
    }
    let workers = std::thread::available_parallelism()
        .map_or(2, usize::from)
        .clamp(2, 8);
    while !level.is_empty() {
        let next = std::sync::atomic::AtomicUsize::new(0);
        let mut fetched: Vec<(usize, Fetched)> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..workers)
                .map(|_| {
                    scope.spawn(|| {
                        let mut mine = Vec::new();
                        loop {
                            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            let Some(target) = level.get(i) else {
                                return mine;
                            };
                            mine.push((i, fetch(port, target)));
                        }
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().expect("a crawl thread panicked"))
                .collect()
        });
        fetched.sort_by_key(|(i, _)| *i);
        let mut following = Vec::new();
        for (i, f) in fetched {
            let target = &level[i];
            c.status.insert(target.clone(), f.status);
            if f.html {
                c.html.insert(target.clone());
            }
            c.problems.extend(f.problem);
            c.external.extend(f.external);
            for link in f.links {
                let from = c.linked_from.entry(link.clone()).or_default();
                if from.is_empty() {
                    following.push(link);
                }
                if !from.contains(target) {
                    from.push(target.clone());
                }
            }
        }
        level = following;
    }
    c
}

/// The whole site answers: every page, asset, feed link and sitemap entry reachable from the
/// home page and the sitemap, served by nginx under the sub-path with the README's configuration.
#[test]
fn nginx_serves_every_page_and_asset_under_the_sub_path() {
    let Some(published) = Published::start() else {
        return;
    };
    // The entry points: the home page, the sitemap, and the lobby screens, which are opened by
    // their address on the screen and linked from no page.
    let mut seeds = vec![
        BASE.to_string(),
        format!("{BASE}sitemap.xml"),
        format!("{BASE}lobby/"),
    ];
    let config: toml::Table = std::fs::read_to_string(published.site.path().join("site.toml"))
        .expect("read site.toml")
        .parse()
        .expect("site.toml is TOML");
    let screens = config
        .get("lobby")
        .and_then(|l| l.get("screens"))
        .and_then(toml::Value::as_array);
    for screen in screens.into_iter().flatten() {
        let name = screen["name"].as_str().expect("a screen's name");
        seeds.push(format!("{BASE}lobby/{name}/"));
    }
    let seeds: Vec<&str> = seeds.iter().map(String::as_str).collect();
    let started = Instant::now();
    let c = crawl(published.nginx.port, &seeds);
    let took = started.elapsed();
    let failed = c.failures();
    eprintln!(
        "publish: crawled {} URLs ({} HTML pages, {} failed, {} external links not followed) \
         in {:.2} s",
        c.status.len(),
        c.html.len(),
        failed.len(),
        c.external.len(),
        took.as_secs_f64()
    );

    let mut problems = failed;
    if c.html.len() < 80 {
        problems.push(format!(
            "the crawl reached only {} HTML pages; the example portal has about 100",
            c.html.len()
        ));
    }
    for must in [
        "improvements/faster-refunds/",
        "roadmap/",
        "lobby/",
        "lobby/version.json?screen=lobby",
        "atom.xml",
        "sitemap.xml",
    ] {
        let target = format!("{BASE}{must}");
        // A target reached with another status than 200 is among the failures already.
        if !c.status.contains_key(&target) {
            problems.push(format!(
                "the crawl never reached {target}: nothing links it"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems serving the built site with nginx under {BASE}:\n{}\n\nnginx error log:\n{}",
        problems.len(),
        problems.join("\n"),
        published.nginx.logs()
    );
}

/// What the README promises besides the files: herald's 404 page with the status 404, the
/// redirect of a folder without its slash, the cache headers, the types and compression.
#[test]
fn nginx_answers_missing_pages_folders_types_and_caching_as_the_readme_says() {
    let Some(published) = Published::start() else {
        return;
    };
    let mut problems = Vec::new();
    let mut expect = |ok: bool, what: String| {
        if !ok {
            problems.push(what);
        }
    };

    // The host's own pages are untouched by the site mounted under it.
    let host = published.get("/");
    expect(
        host.status == 200 && host.text() == HOST_HOME,
        format!("GET / -> {}: {:.200}", host.status, host.text()),
    );

    // A missing page: the status 404 with herald's own 404 page, whose links work at any depth.
    let page_404 = std::fs::read(published.site.public().join("404.html")).expect("404.html");
    for target in [
        format!("{BASE}no-such-page/"),
        format!("{BASE}improvements/no-such-improvement/"),
        format!("{BASE}no-such-file.css"),
    ] {
        let r = published.get(&target);
        expect(
            r.status == 404,
            format!("GET {target} -> {}, not 404", r.status),
        );
        expect(
            r.body == page_404,
            format!("GET {target} is not herald's 404.html: {:.200}", r.text()),
        );
        expect(
            r.content_type().starts_with("text/html"),
            format!("GET {target} is {:?}, not text/html", r.content_type()),
        );
    }

    // A folder without its trailing slash, and the site's root without it, redirect to the folder.
    for (target, to) in [
        (format!("{BASE}roadmap"), format!("{BASE}roadmap/")),
        (
            format!("{BASE}improvements/faster-refunds"),
            format!("{BASE}improvements/faster-refunds/"),
        ),
        (BASE.trim_end_matches('/').to_string(), BASE.to_string()),
    ] {
        let r = published.get(&target);
        let location = r.header("location").unwrap_or("");
        expect(
            r.status == 301 && location.ends_with(&to),
            format!(
                "GET {target} -> {} to {location:?}, not 301 to {to}",
                r.status
            ),
        );
    }

    // Cache-Control: "check first" for pages and what screens poll, a year for ?v=HASH.
    let home = published.get(BASE);
    expect(home.status == 200, format!("GET {BASE} -> {}", home.status));
    let doc = Html::parse_document(&home.text());
    let origin = published.origin();
    let hashed: Vec<String> = html_refs(&doc, &format!("{origin}{BASE}"))
        .iter()
        .filter_map(|r| resolve(&origin, BASE, r))
        .filter(|t| t.contains("?v="))
        .collect();
    expect(
        hashed.iter().any(|t| t.contains(".css?v=")),
        format!("the home page links no stylesheet as name.css?v=HASH: {hashed:?}"),
    );
    let year = "public, max-age=31536000, immutable";
    let mut cases: Vec<(String, &str, &str)> = vec![
        (BASE.to_string(), "no-cache", "text/html; charset=utf-8"),
        (
            format!("{BASE}roadmap/"),
            "no-cache",
            "text/html; charset=utf-8",
        ),
        (format!("{BASE}sitemap.xml"), "no-cache", "text/xml"),
        (
            format!("{BASE}lobby/version.json?screen=lobby"),
            "no-cache",
            "application/json",
        ),
        (
            format!("{BASE}lobby/data.json?v=1"),
            "no-cache",
            "application/json",
        ),
        (
            format!("{BASE}atom.xml"),
            "no-cache",
            "application/atom+xml",
        ),
    ];
    for t in &hashed {
        let kind = if t.contains(".css?") {
            "text/css"
        } else if t.contains(".js?") {
            "application/javascript"
        } else if t.contains(".svg?") {
            "image/svg+xml"
        } else {
            ""
        };
        cases.push((t.clone(), year, kind));
    }
    for (target, cache, kind) in &cases {
        let r = published.get(target);
        if r.status != 200 {
            expect(false, format!("GET {target} -> {}", r.status));
            continue;
        }
        let got = r.header("cache-control").unwrap_or("(none)");
        expect(
            got == *cache,
            format!("GET {target}: Cache-Control {got:?}, not {cache:?}"),
        );
        expect(
            r.content_type().starts_with(kind),
            format!(
                "GET {target}: Content-Type {:?}, not {kind}",
                r.content_type()
            ),
        );
    }

    // Compression for the text types, when the client asks for it.
    let gzip_targets: Vec<String> = [BASE.to_string(), format!("{BASE}lobby/data.json")]
        .into_iter()
        .chain(hashed.iter().filter(|t| t.contains(".css?")).cloned())
        .collect();
    for target in gzip_targets {
        match published.get_with(&target, "Accept-Encoding: gzip\r\n") {
            Ok(r) => expect(
                r.status == 200 && r.header("content-encoding") == Some("gzip"),
                format!(
                    "GET {target} with Accept-Encoding: gzip -> {}, Content-Encoding {:?}",
                    r.status,
                    r.header("content-encoding")
                ),
            ),
            Err(e) => expect(false, format!("GET {target} with gzip: {e}")),
        }
    }

    assert!(
        problems.is_empty(),
        "{} problems:\n{}\n\nnginx error log:\n{}",
        problems.len(),
        problems.join("\n"),
        published.nginx.logs()
    );
}

/// The crawler's URL handling, without a server.
#[test]
fn crawl_resolves_references_like_a_browser() {
    let o = "http://127.0.0.1:8080";
    let from = "/customers/roadmap/loyalty-pricing/?x=1";
    let cases = [
        ("/customers/css/a.css?v=1", Some("/customers/css/a.css?v=1")),
        ("../", Some("/customers/roadmap/")),
        (
            "../../improvements/x/#top",
            Some("/customers/improvements/x/"),
        ),
        (
            "photo.jpg",
            Some("/customers/roadmap/loyalty-pricing/photo.jpg"),
        ),
        ("./", Some("/customers/roadmap/loyalty-pricing/")),
        (
            "?page=2",
            Some("/customers/roadmap/loyalty-pricing/?page=2"),
        ),
        (
            "http://127.0.0.1:8080/customers/atom.xml",
            Some("/customers/atom.xml"),
        ),
        ("HTTP://127.0.0.1:8080", Some("/")),
        ("//127.0.0.1:8080/customers/", Some("/customers/")),
        ("http://127.0.0.1:80801/customers/", None),
        ("https://intranet.example.com/customers/", None),
        ("//cdn.example.com/x.js", None),
        ("mailto:cx@example.com", None),
        ("tel:+15550100", None),
        ("data:image/png;base64,AAAA", None),
        ("#main", None),
        ("", None),
    ];
    for (reference, want) in cases {
        assert_eq!(
            resolve(o, from, reference).as_deref(),
            want,
            "{reference:?} from {from}"
        );
    }
    assert_eq!(
        css_refs("a{background:url( \"../img/a.svg\" )} @import 'b.css'; b{x:url(c.png)}"),
        ["../img/a.svg", "c.png", "b.css"]
    );
    assert_eq!(
        xml_refs(
            "<feed><link rel=\"self\" href=\"http://h/a.xml?x=1&amp;y=2\"/><entry><link \
             href='/b/'/></entry></feed><urlset><url><loc> http://h/c/ </loc></url></urlset>"
        ),
        ["http://h/c/", "http://h/a.xml?x=1&y=2", "/b/"]
    );
}
