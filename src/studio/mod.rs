//! The studio: authors write, fix and preview content in the browser, at `/_herald/` on the
//! address `herald serve` listens on. Nothing of it is ever written to the build output.
//!
//! * The forms are made from [`crate::schema`], the description the validator reads; the
//!   checks are herald's own, run on the unsaved text ([`api`]); saving edits the file in place
//!   ([`form`]) and writes it atomically, never over a file that changed on disk ([`files`]).
//! * Who may use it ([`Access`]): on loopback, anyone on this machine; bound beyond loopback,
//!   only with the secret token `serve` prints, or behind a reverse proxy that sets an
//!   authenticated user header. Every request must name the address served in `Host` (no DNS
//!   rebinding); every request that changes anything must come from the studio's own origin
//!   with its CSRF token, or it is answered 403 and changes nothing. Request and upload sizes
//!   are capped, and file names from the browser are checked to stay inside `content/`.

pub(crate) mod api;
pub(crate) mod files;
pub(crate) mod form;

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use crate::BuildOptions;
use crate::util::escape::xml;

/// Where the studio is mounted, outside the site's base path (never a page of the site).
pub const MOUNT: &str = "/_herald";

/// [`MOUNT`] as a folder.
pub const MOUNT_DIR: &str = "/_herald/";

/// The largest request body the studio reads (the form of one item, as JSON).
pub const MAX_REQUEST: usize = 2 * 1024 * 1024;

/// The largest picture the studio takes.
pub const MAX_UPLOAD: usize = 8 * 1024 * 1024;

/// Who may use the studio.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// Anyone who reaches the loopback address (this machine).
    Loopback,
    /// Anyone with this secret: `?token=` once, then a cookie.
    Token(String),
    /// Anyone a reverse proxy in front of herald has authenticated: it sets this header to the
    /// user's name on every request (and removes it from what clients send).
    ProxyUser(String),
}

/// A new secret: 128 random bits as hex.
pub fn secret() -> String {
    let mut bytes = [0u8; 16];
    // Without the system's random source a secret cannot be made; the time and process id are
    // a poor stand-in, so the studio refuses to start rather than use them.
    if getrandom::fill(&mut bytes).is_err() {
        return String::new();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The studio of one `serve`.
pub struct Studio {
    /// How the site is built (root, output, base URL, today).
    pub(crate) opts: BuildOptions,
    /// The site's base path (`/customers/`).
    pub(crate) base_path: String,
    /// The origin the browser uses (`http://127.0.0.1:1111`), for previews' absolute links.
    pub(crate) origin: String,
    /// `Host` values answered; empty means any (the token guards the door).
    hosts: Vec<String>,
    access: Access,
    /// The CSRF token every changing request carries.
    csrf: String,
    /// The last previews of each open form.
    pub(crate) previews: Mutex<api::Previews>,
    /// One save at a time.
    pub(crate) writing: tokio::sync::Mutex<()>,
}

impl Studio {
    /// The studio for the site `opts` builds, served at `addr` with the site under
    /// `base_path`. Fails when no secret can be made.
    pub fn new(
        opts: &BuildOptions,
        base_path: &str,
        addr: std::net::SocketAddr,
        access: Access,
    ) -> Result<Arc<Self>, String> {
        let csrf = secret();
        if csrf.is_empty() || matches!(&access, Access::Token(t) if t.is_empty()) {
            return Err("the system's random source cannot be read, so the studio cannot make its secret tokens".into());
        }
        let port = addr.port();
        let host = if addr.ip().is_unspecified() {
            "127.0.0.1".to_string()
        } else if addr.is_ipv6() {
            format!("[{}]", addr.ip())
        } else {
            addr.ip().to_string()
        };
        let hosts = match access {
            Access::Loopback => {
                let mut h = vec![
                    format!("127.0.0.1:{port}"),
                    format!("localhost:{port}"),
                    format!("[::1]:{port}"),
                    format!("{host}:{port}"),
                ];
                h.dedup();
                h
            }
            _ => Vec::new(),
        };
        Ok(Arc::new(Studio {
            opts: opts.clone(),
            base_path: base_path.to_string(),
            origin: format!("http://{host}:{port}"),
            hosts,
            access,
            csrf,
            previews: Mutex::new(api::Previews::default()),
            writing: tokio::sync::Mutex::new(()),
        }))
    }

    /// The address to open, as `serve` prints it (with the token when one is needed).
    pub fn address(&self) -> String {
        match &self.access {
            Access::Token(t) => format!("{}{MOUNT}/?token={t}", self.origin),
            _ => format!("{}{MOUNT}/", self.origin),
        }
    }
}

/// The studio's routes, each behind [`guard`].
pub fn router(studio: Arc<Studio>) -> Router {
    use axum::routing::{get, post};
    Router::new()
        .route("/", get(page))
        .route("/new", get(page))
        .route("/edit", get(page))
        .route("/studio.js", get(script))
        .route("/studio.css", get(style))
        .route("/api/schema", get(api::schema))
        .route("/api/items", get(api::items))
        .route("/api/item", get(api::item))
        .route("/api/preview", post(api::preview))
        .route("/api/save", post(api::save))
        .route("/api/upload", post(api::upload))
        .route("/preview/{pid}/{which}", get(api::preview_page))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_UPLOAD))
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&studio),
            guard,
        ))
        .with_state(studio)
}

/// `/_herald` without its slash.
pub fn redirect() -> Response {
    Redirect::permanent(&format!("{MOUNT}/")).into_response()
}

fn forbidden(why: &str) -> Response {
    (
        StatusCode::FORBIDDEN,
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        format!("403 Forbidden: {why}\n"),
    )
        .into_response()
}

fn header_str(headers: &HeaderMap, name: impl header::AsHeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Compares two secrets in time that does not depend on where they differ.
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

const COOKIE: &str = "herald_studio";

/// Every studio request passes here: the `Host` served, who is asking, and for a change, its
/// origin and CSRF token.
async fn guard(State(st): State<Arc<Studio>>, req: Request, next: Next) -> Response {
    let headers = req.headers();
    let host = header_str(headers, header::HOST).unwrap_or_default();
    if host.is_empty() || (!st.hosts.is_empty() && !st.hosts.iter().any(|h| h == host)) {
        return forbidden(
            "the studio answers only at the address herald serve printed (the Host header names another)",
        );
    }
    match &st.access {
        Access::Loopback => {}
        Access::ProxyUser(name) => {
            if header_str(headers, name.as_str()).is_none_or(|v| v.trim().is_empty()) {
                return forbidden("the reverse proxy did not say who you are");
            }
        }
        Access::Token(token) => {
            let query_token = req
                .uri()
                .query()
                .unwrap_or_default()
                .split('&')
                .find_map(|kv| kv.strip_prefix("token="));
            if let Some(t) = query_token {
                if !same_secret(t, token) {
                    return forbidden("the token is not the one herald serve printed");
                }
                // The token goes into a cookie, and out of the address bar and history; the
                // rest of the address stays.
                let rest: Vec<&str> = req
                    .uri()
                    .query()
                    .unwrap_or_default()
                    .split('&')
                    .filter(|kv| !kv.is_empty() && !kv.starts_with("token="))
                    .collect();
                let mut to = format!("{MOUNT}{}", req.uri().path());
                if !rest.is_empty() {
                    to = format!("{to}?{}", rest.join("&"));
                }
                let mut res = Redirect::to(&to).into_response();
                if let Ok(v) =
                    format!("{COOKIE}={token}; Path={MOUNT}/; HttpOnly; SameSite=Strict").parse()
                {
                    res.headers_mut().insert(header::SET_COOKIE, v);
                }
                return res;
            }
            if !cookie(headers, COOKIE).is_some_and(|c| same_secret(c, token)) {
                return forbidden(
                    "open the studio with the address herald serve printed (it has the token)",
                );
            }
        }
    }
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        let origin = header_str(headers, header::ORIGIN).unwrap_or_default();
        let from_host = origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"));
        if origin.is_empty() || from_host != Some(host) {
            return forbidden(
                "a change must come from the studio's own page (cross-origin request)",
            );
        }
        let csrf = header_str(headers, "x-herald-csrf").unwrap_or_default();
        if !same_secret(csrf, &st.csrf) {
            return forbidden("the request has no valid CSRF token; reload the studio");
        }
    }
    let mut res = next.run(req).await;
    let framed = req_is_preview(&res);
    let h = res.headers_mut();
    h.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        header::HeaderValue::from_static("nosniff"),
    );
    h.insert(
        "referrer-policy",
        header::HeaderValue::from_static("same-origin"),
    );
    if !framed {
        h.insert(
            header::X_FRAME_OPTIONS,
            header::HeaderValue::from_static("DENY"),
        );
    }
    res
}

/// Previews are framed by the studio's own page; everything else may not be framed at all.
fn req_is_preview(res: &Response) -> bool {
    res.headers().contains_key("x-herald-preview")
}

const STUDIO_JS: &str = include_str!("studio.js");
const STUDIO_CSS: &str = include_str!("studio.css");

async fn script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        STUDIO_JS,
    )
        .into_response()
}

async fn style() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        STUDIO_CSS,
    )
        .into_response()
}

/// The page of every view (the list, a new item, an edit): a shell the script fills in.
async fn page(State(st): State<Arc<Studio>>, req: Request<Body>) -> Response {
    let view = match req.uri().path().trim_start_matches(MOUNT) {
        "/new" => "new",
        "/edit" => "edit",
        _ => "list",
    };
    let heading = match view {
        "new" => "New item",
        "edit" => "Edit",
        _ => "Content",
    };
    let title = crate::load::config::Config::load(
        &st.opts.root.join("site.toml"),
        std::path::Path::new("site.toml"),
    )
    .map(|c| c.title.clone())
    .unwrap_or_else(|_| "herald".into());
    let html = format!(
        r##"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta name="herald-csrf" content="{csrf}">
<meta name="herald-base" content="{base}">
<title>{heading} — Studio — {title}</title>
<link rel="stylesheet" href="{MOUNT}/studio.css">
<script src="{MOUNT}/studio.js" defer></script>
</head>
<body data-view="{view}">
<a class="skip" href="#main">Skip to the content</a>
<header class="bar">
  <p class="bar__brand"><a href="{MOUNT}/">Studio</a> <span class="bar__site">{title}</span></p>
  <nav aria-label="Studio">
    <ul class="bar__nav">
      <li><a href="{MOUNT}/">All content</a></li>
      <li><a href="{MOUNT}/new?kind=improvement">New improvement</a></li>
      <li><a href="{base}">View the site</a></li>
    </ul>
  </nav>
</header>
<main id="main" tabindex="-1">
<h1 id="heading">{heading}</h1>
<div id="app"><p>Loading…</p></div>
<noscript><p>The studio needs JavaScript. Without it, edit the files under content/ in a text editor.</p></noscript>
</main>
</body>
</html>
"##,
        csrf = st.csrf,
        base = xml(&st.base_path),
        title = xml(&title),
    );
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'self'; img-src 'self' data: blob:; frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
            ),
        ],
        html,
    )
        .into_response()
}
