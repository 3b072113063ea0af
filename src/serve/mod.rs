//! `herald serve`: builds the site, serves the output under the base URL's sub-path on loopback
//! (unless told otherwise), watches the sources, rebuilds what an edit changed, and reloads every
//! open browser.
//!
//! * Watching uses `notify` with a debouncer, so an editor's atomic save (write a temporary
//!   file, rename it over the old one), a rename, a delete or a new folder each lead to one
//!   rebuild. `--poll` switches to polling for network shares, WSL and containers.
//! * Rebuilds go through a [`Session`], which re-renders only the pages an edit reaches.
//! * Browsers get a small script (added to HTML as it is served, never written to disk) that
//!   listens on a server-sent-events stream: `reload` after a good rebuild, `problems` with the
//!   errors after a broken edit, shown in an overlay with file, line and message. The server
//!   keeps serving the last good build meanwhile; fixing the file reloads the page.
//! * Every request goes through [`pathguard::resolve`]: nothing outside the output folder is
//!   ever sent, symlinks included.

pub mod fingerprint;
pub mod pathguard;
pub mod session;

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect, Response};
use tokio::sync::broadcast;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;
use tower_http::services::ServeFile;

use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use session::Session;

/// How `serve` runs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Address to listen on (loopback by default).
    pub bind: IpAddr,
    /// Port; 0 picks a free one.
    pub port: u16,
    /// Poll the file system instead of relying on change events.
    pub poll: bool,
    /// Whether diagnostics in the terminal use colour.
    pub color: bool,
    /// Whether the studio for authors is served at `/_herald/`.
    pub studio: StudioMode,
    /// With `--studio` beyond loopback: the header an authenticating reverse proxy sets to the
    /// user's name, accepted instead of the token.
    pub studio_user_header: Option<String>,
}

/// `--no-studio`, `--studio` or neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StudioMode {
    /// On loopback only (neither flag).
    #[default]
    Loopback,
    /// Also beyond loopback, with a token or a proxy's user header (`--studio`).
    On,
    /// Never (`--no-studio`).
    Off,
}

/// Who may use the studio of a `serve` bound to `bind`, if it is served at all.
pub fn studio_access(bind: IpAddr, opts: &ServeOptions) -> Option<crate::studio::Access> {
    use crate::studio::Access;
    match (opts.studio, &opts.studio_user_header) {
        (StudioMode::Off, _) => None,
        (StudioMode::On, Some(h)) => Some(Access::ProxyUser(h.clone())),
        _ if bind.is_loopback() => Some(Access::Loopback),
        (StudioMode::Loopback, _) => None,
        (StudioMode::On, None) => Some(Access::Token(crate::studio::secret())),
    }
}

/// What the browsers are told.
#[derive(Debug, Clone)]
enum Message {
    /// A good build: reload.
    Reload,
    /// A broken edit: these problems (JSON).
    Problems(String),
}

struct Shared {
    output: PathBuf,
    base_path: String,
    events: broadcast::Sender<Message>,
    /// The problems of the last build, when it failed (JSON), for browsers that connect later.
    problems: Mutex<Option<String>>,
}

const LIVE_JS: &str = include_str!("live.js");

/// Listens on the address first (a port in use is a usage error, found before anything is
/// built), builds the site, then serves and watches it until the process is stopped. A folder
/// without `site.toml` is an error, as for `build`; other errors in the first build are shown
/// in the browser until they are fixed.
pub fn run(mut session: Session, opts: &ServeOptions) -> Result<(), Diagnostics> {
    let listener = listen(opts.bind, opts.port)?;
    let io = |what: &str, e: std::io::Error| {
        let mut d = Diagnostics::new();
        d.push(Diagnostic::io("herald serve", format!("{what}: {e}")));
        d
    };
    let started = Instant::now();
    let first = session.rebuild();
    if let Err(d) = &first
        && !session.options().root.join("site.toml").is_file()
    {
        return Err(d.clone());
    }
    let (output, base_path) = match &first {
        Ok(r) => (r.report.output.clone(), r.report.base_path.clone()),
        Err(_) => (session.options().output_dir(), guess_base(&session)),
    };
    let problems = match first {
        Ok(r) => {
            eprint!("{}", r.report.warnings.render(opts.color));
            println!(
                "Built {} pages and {} files in {:.2} s",
                r.report.pages,
                r.report.files,
                started.elapsed().as_secs_f64()
            );
            None
        }
        Err(d) => {
            eprint!("{}", d.render(opts.color));
            eprintln!("The site has errors; fix them and it will be built as you save.");
            Some(problems_json(&d))
        }
    };
    let (events, _) = broadcast::channel(16);
    let shared = Arc::new(Shared {
        output,
        base_path,
        events,
        problems: Mutex::new(problems),
    });

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .worker_threads(2)
        .build()
        .map_err(|e| io("cannot start the server", e))?;
    let local = listener
        .local_addr()
        .map_err(|e| io("cannot read the listening address", e))?;
    let studio = match studio_access(opts.bind, opts) {
        Some(access) => Some(
            crate::studio::Studio::new(session.options(), &shared.base_path, local, access)
                .map_err(|e| io("cannot start the studio", std::io::Error::other(e)))?,
        ),
        None => None,
    };
    let watch_shared = Arc::clone(&shared);
    let color = opts.color;
    let poll = opts.poll;
    let studio_mode = opts.studio;
    let _watcher = watch(session, poll, move |session, changed| {
        rebuild(session, changed, &watch_shared, color);
    })
    .map_err(|e| io("cannot watch the site's files", e))?;

    let served = runtime.block_on(async move {
        let base = shared.base_path.clone();
        let mut app = Router::new()
            .route(
                &format!("{base}__herald/live"),
                axum::routing::get(live_events),
            )
            .route(
                &format!("{base}__herald/live.js"),
                axum::routing::get(live_script),
            );
        if let Some(studio) = &studio {
            app = app
                .route(
                    crate::studio::MOUNT,
                    axum::routing::get(|| async { crate::studio::redirect() }),
                )
                .nest_service(
                    crate::studio::MOUNT_DIR,
                    crate::studio::router(Arc::clone(studio)),
                );
        }
        if base != "/" {
            let to = base.clone();
            app = app.route(
                "/",
                axum::routing::get(move || async move { Redirect::temporary(&to) }),
            );
        }
        let app = app.fallback(serve_file).with_state(Arc::clone(&shared));
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let addr = listener.local_addr()?;
        let host = if addr.ip().is_unspecified() {
            "127.0.0.1".to_string()
        } else {
            addr.ip().to_string()
        };
        println!(
            "Serving {} at http://{host}:{}{} (Ctrl+C to stop); watching for changes{}",
            shared.output.display(),
            addr.port(),
            shared.base_path,
            if poll { " by polling" } else { "" }
        );
        match &studio {
            Some(s) => println!("Studio for authors at {}", s.address()),
            None if studio_mode == StudioMode::Loopback => println!(
                "The studio is off: serve listens beyond this machine. Add --studio to turn it on, with a secret token"
            ),
            None => {}
        }
        // Without TCP_NODELAY, a response written in two parts (headers, then a body) waits
        // for the client's delayed ACK: 40 ms on Linux, for a page and for each of its assets.
        let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
            let _ = tcp.set_nodelay(true);
        });
        axum::serve(listener, app).await
    });
    served.map_err(|e| io("the server stopped", e))
}

/// Binds the listening socket, before anything is built: a port in use, or an address this
/// machine does not have, is a usage error that names the option to change.
fn listen(bind: IpAddr, port: u16) -> Result<std::net::TcpListener, Diagnostics> {
    let addr = SocketAddr::new(bind, port);
    let bound = std::net::TcpListener::bind(addr).and_then(|l| {
        l.set_nonblocking(true)?;
        Ok(l)
    });
    bound.map_err(|e| {
        let d = match e.kind() {
            std::io::ErrorKind::AddrInUse => {
                let other = port.checked_add(1).unwrap_or(1111);
                Diagnostic::usage(
                    "--port",
                    format!("port {port} is in use: another herald serve?"),
                )
                .with_hint(format!("try --port {other}, or --port 0 for any free port"))
            }
            std::io::ErrorKind::AddrNotAvailable => Diagnostic::usage(
                "--bind",
                format!("cannot listen on {bind}: this machine has no such address"),
            )
            .with_hint(
                "leave out --bind to listen on 127.0.0.1, or give one of this machine's addresses",
            ),
            std::io::ErrorKind::PermissionDenied => {
                Diagnostic::usage("--port", format!("cannot listen on {addr}: {e}"))
                    .with_hint("ports below 1024 need special rights; try --port 1111")
            }
            _ => Diagnostic::usage("--port", format!("cannot listen on {addr}: {e}"))
                .with_hint("try another --port, or --port 0 for any free port"),
        };
        let mut list = Diagnostics::new();
        list.push(d);
        list
    })
}

fn guess_base(session: &Session) -> String {
    let root = &session.options().root;
    let text = std::fs::read_to_string(root.join("site.toml")).unwrap_or_default();
    let url = session.options().base_url.clone().or_else(|| {
        text.parse::<toml::Table>()
            .ok()
            .and_then(|t| t.get("base_url")?.as_str().map(str::to_string))
    });
    url.and_then(|u| crate::load::config::BaseUrl::parse(&u))
        .map_or_else(|| "/".to_string(), |b| b.path)
}

fn rebuild(session: &mut Session, changed: &[PathBuf], shared: &Shared, color: bool) {
    let started = Instant::now();
    match session.rebuild_changed(changed) {
        Ok(r) => {
            eprint!("{}", r.report.warnings.render(color));
            println!(
                "Rebuilt in {:.0} ms: {} page{} rendered, {} file{} written, {} removed",
                started.elapsed().as_secs_f64() * 1000.0,
                r.rendered,
                if r.rendered == 1 { "" } else { "s" },
                r.written,
                if r.written == 1 { "" } else { "s" },
                r.removed
            );
            if let Ok(mut p) = shared.problems.lock() {
                *p = None;
            }
            let _ = shared.events.send(Message::Reload);
        }
        Err(d) => {
            eprint!("{}", d.render(color));
            eprintln!("Still serving the last good build.");
            let json = problems_json(&d);
            if let Ok(mut p) = shared.problems.lock() {
                *p = Some(json.clone());
            }
            let _ = shared.events.send(Message::Problems(json));
        }
    }
}

fn problems_json(d: &Diagnostics) -> String {
    let list: Vec<serde_json::Value> = d
        .sorted()
        .iter()
        .map(|x| {
            serde_json::json!({
                "severity": if x.severity == Severity::Error { "error" } else { "warning" },
                "file": x.file.display().to_string().replace('\\', "/"),
                "line": x.line,
                "column": x.column,
                "message": x.message,
                "hint": x.hint,
            })
        })
        .collect();
    serde_json::Value::from(list).to_string()
}

/// Watches the site's sources and calls `on_change` (on the watcher's thread) once per burst
/// of changes, with the paths that changed. The returned value keeps the watch alive.
fn watch(
    mut session: Session,
    poll: bool,
    mut on_change: impl FnMut(&mut Session, &[PathBuf]) + Send + 'static,
) -> std::io::Result<Box<dyn std::any::Any>> {
    let root = session.options().root.clone();
    let output = session.options().output_dir();
    let sources = Sources {
        output: std::fs::canonicalize(&output).unwrap_or(output),
        root_c: std::fs::canonicalize(&root).unwrap_or(root.clone()),
        root,
    };
    let (tx, rx) = std::sync::mpsc::channel::<notify_debouncer_full::DebounceEventResult>();
    let watcher = watcher(&sources.root, poll, tx)?;
    std::thread::Builder::new()
        .name("herald-watch".into())
        .spawn(move || {
            let mut known_dirs = sources.folders();
            while let Ok(first) = rx.recv() {
                let mut batch = vec![first];
                while let Ok(more) = rx.try_recv() {
                    batch.push(more);
                }
                let changed = sources.changed(batch);
                if !changed.is_empty() {
                    let now = sources.folders();
                    if now != known_dirs {
                        eprintln!(
                            "note: a source folder appeared or went; restart `herald serve` if its changes are not picked up"
                        );
                        known_dirs = now;
                    }
                    on_change(&mut session, &changed);
                }
            }
        })?;
    Ok(watcher)
}

/// The folders under the site's root that `serve` watches, each recursively.
const WATCHED: [&str; 4] = ["content", "data", "themes", "static"];

/// Starts watching the site's sources (`--poll`: by polling), sending batches of events to `tx`;
/// the watcher runs as long as the returned box lives.
fn watcher(
    root: &Path,
    poll: bool,
    tx: std::sync::mpsc::Sender<notify_debouncer_full::DebounceEventResult>,
) -> std::io::Result<Box<dyn std::any::Any>> {
    use notify::RecursiveMode;
    use notify_debouncer_full::new_debouncer_opt;

    // Polling compares contents, not only times: notify's poller keeps modification times in
    // whole seconds, so two saves within a second would otherwise look like one.
    let config = notify::Config::default()
        .with_poll_interval(Duration::from_millis(500))
        .with_compare_contents(poll);
    let err = |e: notify::Error| std::io::Error::other(e.to_string());
    fn add_watches(
        mut watch: impl FnMut(&Path, RecursiveMode) -> Result<(), notify::Error>,
        root: &Path,
    ) -> Result<(), notify::Error> {
        // The root itself, not recursively: site.toml, and source folders made later.
        watch(root, RecursiveMode::NonRecursive)?;
        for d in WATCHED {
            let p = root.join(d);
            if p.is_dir() {
                watch(&p, RecursiveMode::Recursive)?;
            }
        }
        Ok(())
    }
    Ok(if poll {
        let mut d = new_debouncer_opt::<_, notify::PollWatcher, notify_debouncer_full::NoCache>(
            Duration::from_millis(100),
            None,
            tx,
            notify_debouncer_full::NoCache,
            config,
        )
        .map_err(err)?;
        add_watches(|p, m| d.watch(p, m), root).map_err(err)?;
        Box::new(d)
    } else {
        let mut d = new_debouncer_opt::<
            _,
            notify::RecommendedWatcher,
            notify_debouncer_full::RecommendedCache,
        >(
            Duration::from_millis(60),
            None,
            tx,
            notify_debouncer_full::RecommendedCache::new(),
            config,
        )
        .map_err(err)?;
        add_watches(|p, m| d.watch(p, m), root).map_err(err)?;
        Box::new(d)
    })
}

/// Where the sources are, to tell an edit from everything else the watcher reports.
struct Sources {
    /// The site's folder.
    root: PathBuf,
    /// The same, canonical.
    root_c: PathBuf,
    /// The output folder, canonical: writing it is not an edit.
    output: PathBuf,
}

impl Sources {
    /// Which of the watched folders exist.
    fn folders(&self) -> Vec<bool> {
        WATCHED.iter().map(|d| self.root.join(d).is_dir()).collect()
    }

    /// The edited files in a batch of events, each once, in the order first seen; errors are
    /// printed as warnings.
    fn changed(&self, batch: Vec<notify_debouncer_full::DebounceEventResult>) -> Vec<PathBuf> {
        let mut changed: Vec<PathBuf> = Vec::new();
        for r in batch {
            match r {
                Ok(events) => {
                    for e in events {
                        // Reading the sources (as every build does) is not a change.
                        if matches!(e.kind, notify::EventKind::Access(_)) {
                            continue;
                        }
                        for p in &e.paths {
                            if self.counts(p) && !changed.contains(p) {
                                changed.push(p.clone());
                            }
                        }
                    }
                }
                Err(errors) => {
                    for e in errors {
                        eprintln!("warning: watching files: {e}");
                    }
                }
            }
        }
        changed
    }

    /// Whether a change to `p` is an edit of the sources: not in the output, not an editor's
    /// scratch file, and at the root only site.toml or a source folder.
    fn counts(&self, p: &Path) -> bool {
        let canon = std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        if canon.starts_with(&self.output) {
            return false;
        }
        let name = canon
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // Editors' scratch files.
        let scratch = name.ends_with('~')
            || name.ends_with(".swp")
            || name.ends_with(".swx")
            || name.starts_with(".#")
            || name == "4913";
        if scratch {
            return false;
        }
        let at_root = p
            .parent()
            .is_some_and(|d| std::fs::canonicalize(d).unwrap_or(d.to_path_buf()) == self.root_c);
        !at_root
            || p.file_name()
                .is_some_and(|n| n == "site.toml" || WATCHED.iter().any(|w| n == *w))
    }
}

async fn live_script() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        LIVE_JS,
    )
}

async fn live_events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl tokio_stream::Stream<Item = Result<Event, Infallible>>> {
    let current = shared.problems.lock().ok().and_then(|p| p.clone());
    let hello = match current {
        Some(json) => Event::default().event("problems").data(json),
        None => Event::default().event("hello").data("ok"),
    };
    let updates = BroadcastStream::new(shared.events.subscribe()).filter_map(|m| match m {
        Ok(Message::Reload) => Some(Ok(Event::default().event("reload").data("ok"))),
        Ok(Message::Problems(json)) => Some(Ok(Event::default().event("problems").data(json))),
        Err(_) => Some(Ok(Event::default().event("reload").data("lagged"))),
    });
    let stream = tokio_stream::once(Ok(hello)).chain(updates);
    Sse::new(stream).keep_alive(KeepAlive::default())
}

async fn serve_file(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    let uri = req.uri().clone();
    let full = uri.path();
    let Some(raw) = full.strip_prefix(shared.base_path.trim_end_matches('/')) else {
        return refuse(&shared, pathguard::Refusal::NotFound);
    };
    if !raw.is_empty() && !raw.starts_with('/') {
        return refuse(&shared, pathguard::Refusal::NotFound);
    }
    let rel = raw.trim_start_matches('/');
    let resolved = pathguard::resolve(&shared.output, rel);
    let file = match resolved {
        Ok(f) => f,
        Err(refusal) => return refuse(&shared, refusal),
    };
    // `/guide` is the folder `/guide/`: redirect so that relative links work.
    let target = shared.output.join(rel.split('?').next().unwrap_or(""));
    if !full.ends_with('/') && target.is_dir() {
        return Redirect::permanent(&format!("{full}/")).into_response();
    }
    let is_html = file.extension().is_some_and(|x| x == "html" || x == "htm");
    if is_html {
        return match tokio::fs::read(&file).await {
            Ok(bytes) => html_response(&shared, StatusCode::OK, &bytes),
            Err(_) => refuse(&shared, pathguard::Refusal::NotFound),
        };
    }
    let mut res = match ServeFile::new(&file).try_call(req).await {
        Ok(r) => r.map(Body::new),
        Err(_) => return refuse(&shared, pathguard::Refusal::NotFound),
    };
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

fn refuse(shared: &Shared, refusal: pathguard::Refusal) -> Response {
    let status = StatusCode::from_u16(refusal.status()).unwrap_or(StatusCode::NOT_FOUND);
    match std::fs::read(shared.output.join("404.html")) {
        Ok(bytes) => html_response(shared, status, &bytes),
        Err(_) => (status, "not found").into_response(),
    }
}

/// An HTML page with the live-reload script added before `</body>`.
fn html_response(shared: &Shared, status: StatusCode, bytes: &[u8]) -> Response {
    let text = String::from_utf8_lossy(bytes);
    let tag = format!(
        "<script src=\"{}__herald/live.js\" defer></script>",
        shared.base_path
    );
    let body = match text.rfind("</body>") {
        Some(i) => format!("{}{tag}{}", &text[..i], &text[i..]),
        None => format!("{text}{tag}"),
    };
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}
