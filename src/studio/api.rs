//! The studio's requests: the schema and pickers a form is made from, the content list, one
//! item's values, the live check and preview of unsaved text, saving, and pictures.
//!
//! Checks and previews build the site in memory with the unsaved text in place of the file
//! ([`crate::BuildOptions::overlay`]): the problems are exactly those `herald check` would
//! report, in its words, and the preview is the page as it will be published. That costs one
//! site load per check (tens of milliseconds for a portal of hundreds of items; the form asks
//! at most a few times a second, and an older request that is still running is dropped).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path as UrlPath, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value as Json, json};

use super::files::{content_file, content_name, new_file_name};
use super::form::{self, Draft};
use super::{MAX_REQUEST, MAX_UPLOAD, Studio};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity, display_path};
use crate::load::config::Config;
use crate::load::content::{self, Entry, Kind, KindFields};
use crate::render::Input;
use crate::schema::{self, Field, KindSchema, Required, Source, Type};
use crate::util::fs::{rename_no_replace, write_atomic};

/// The last preview pages of each open form, by its id; the oldest go past a few dozen.
#[derive(Default)]
pub(crate) struct Previews {
    pages: HashMap<String, (u64, PreviewPages)>,
    serial: u64,
}

/// One preview: the item's page, a lobby screen with it, and the month's email.
#[derive(Default, Clone)]
pub(crate) struct PreviewPages {
    page: Option<String>,
    lobby: Option<String>,
    email: Option<String>,
}

const KEEP_PREVIEWS: usize = 32;

fn json_response(status: StatusCode, v: Json) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        v.to_string(),
    )
        .into_response()
}

fn bad(status: StatusCode, message: impl Into<String>) -> Response {
    json_response(status, json!({ "message": message.into() }))
}

fn query(raw: &Option<String>, key: &str) -> Option<String> {
    let raw = raw.as_deref()?;
    raw.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k == key).then(|| {
            percent_encoding::percent_decode_str(&v.replace('+', " "))
                .decode_utf8_lossy()
                .into_owned()
        })
    })
}

fn config(st: &Studio) -> Result<Config, Diagnostics> {
    Config::load(&st.opts.root.join("site.toml"), Path::new("site.toml"))
}

/// Runs blocking work (reading and building the site) off the server's threads.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    tokio::task::spawn_blocking(f).await.ok()
}

/// `GET api/schema`: every kind's fields in plain words, and the pickers' choices: teams,
/// tags, screens, the items a reference can name.
pub(crate) async fn schema(State(st): State<Arc<Studio>>) -> Response {
    let Some(result) = blocking(move || {
        let config = config(&st).ok();
        let (content, _) = match &config {
            Some(c) => content::load(
                &st.opts.root,
                c,
                content::LoadOptions {
                    language: None,
                    drafts: true,
                    overlay: None,
                },
            ),
            None => Default::default(),
        };
        let mut tags: Vec<String> = content
            .entries
            .iter()
            .flat_map(|e| e.tags.iter().cloned())
            .collect();
        tags.sort_by_key(|t| t.to_lowercase());
        tags.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
        let entries = |kind: Kind| -> Vec<Json> {
            content
                .entries
                .iter()
                .filter(|e| e.kind == kind)
                .map(|e| json!({ "slug": e.slug, "title": e.title }))
                .collect()
        };
        json!({
            "kinds": schema::KINDS.iter().map(kind_json).collect::<Vec<_>>(),
            "teams": config.as_ref().map(|c| c.team_names().map(str::to_string).collect::<Vec<_>>()).unwrap_or_default(),
            "screens": config.as_ref().map(|c| c.screens().into_iter().map(|s| s.name).collect::<Vec<_>>()).unwrap_or_default(),
            "tags": tags,
            "entries": { "milestone": entries(Kind::Milestone), "improvement": entries(Kind::Improvement) },
            "base": st.base_path,
            "limits": { "upload": MAX_UPLOAD, "request": MAX_REQUEST },
        })
    })
    .await
    else {
        return bad(StatusCode::INTERNAL_SERVER_ERROR, "the schema could not be read");
    };
    json_response(StatusCode::OK, result)
}

fn kind_json(k: &KindSchema) -> Json {
    json!({
        "name": k.name,
        "section": k.section,
        "what": k.what,
        "about": k.about,
        "body": k.body,
        "fields": k.fields.iter().map(field_json).collect::<Vec<_>>(),
    })
}

fn field_json(f: &Field) -> Json {
    let (ty, extra) = match f.ty {
        Type::Text => ("text", json!({})),
        Type::LongText => ("longtext", json!({})),
        Type::Date => ("date", json!({})),
        Type::Moment => ("moment", json!({})),
        Type::Bool => ("bool", json!({})),
        Type::Number => ("number", json!({})),
        Type::Numbers => ("numbers", json!({})),
        Type::Figure { max } => ("figure", json!({ "max": max })),
        Type::Texts { min } => ("texts", json!({ "min": min })),
        Type::Choice(c) => ("choice", json!({ "choices": c })),
        Type::Table(c) => (
            "table",
            json!({ "fields": c.iter().map(field_json).collect::<Vec<_>>() }),
        ),
        Type::Tables(c) => (
            "tables",
            json!({ "fields": c.iter().map(field_json).collect::<Vec<_>>() }),
        ),
        Type::Words => ("words", json!({})),
        Type::Named(c) => (
            "named",
            json!({ "fields": c.iter().map(field_json).collect::<Vec<_>>() }),
        ),
    };
    let source = match f.source {
        Source::Free => json!("free"),
        Source::Teams => json!("teams"),
        Source::Tags => json!("tags"),
        Source::Screens => json!("screens"),
        Source::File => json!("file"),
        Source::Entry(kind) => json!({ "entry": kind }),
    };
    let required = match f.required {
        Required::Yes => json!(true),
        Required::No => json!(false),
        Required::UnlessText(keys) => json!({ "unless_text": keys }),
    };
    let default = f
        .default
        .and_then(|d| d.parse::<toml::Value>().ok())
        .map(|v| match v {
            toml::Value::Boolean(b) => json!(b),
            toml::Value::String(s) => json!(s),
            other => json!(other.to_string()),
        });
    let mut v = json!({
        "key": f.key,
        "type": ty,
        "required": required,
        "source": source,
        "default": default,
        "label": f.label,
        "help": f.help,
    });
    if let (Some(o), Json::Object(e)) = (v.as_object_mut(), extra) {
        o.extend(e);
    }
    v
}

/// A problem as the studio shows it: with the key it is about, when one can be told.
fn problem_json(d: &Diagnostic, keys: &[(usize, String)], kind: Option<&KindSchema>) -> Json {
    let key = d
        .line
        .and_then(|l| keys.iter().find(|(n, _)| *n == l).map(|(_, k)| k.clone()))
        .or_else(|| key_in_message(&d.message, kind));
    json!({
        "severity": if d.severity == Severity::Error { "error" } else { "warning" },
        "key": key,
        "line": d.line,
        "message": d.message,
        "hint": d.hint,
        "text": d.short(),
    })
}

/// The key a message without a line names in backticks (`` is missing required key `name` ``),
/// in its table when the message is about one ("an improvement's metric is missing …", "a task
/// is missing …"); a task's row is not known, so it goes to the table.
fn key_in_message(message: &str, kind: Option<&KindSchema>) -> Option<String> {
    let key = message.split('`').nth(1)?;
    let kind = kind?;
    let subject = message.split(" is ").next().unwrap_or_default();
    for table in kind.fields.iter().filter(|f| !f.children().is_empty()) {
        let word = table.key.trim_end_matches('s');
        if subject.ends_with(word) && table.children().iter().any(|c| c.key == key) {
            return Some(format!("{}.{key}", table.key));
        }
    }
    kind.field(key).map(|f| f.key.to_string())
}

/// `GET api/items`: every item, newest first, with what needs attention.
pub(crate) async fn items(State(st): State<Arc<Studio>>) -> Response {
    let Some(v) = blocking(move || list(&st)).await else {
        return bad(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the content could not be read",
        );
    };
    json_response(StatusCode::OK, v)
}

fn list(st: &Studio) -> Json {
    let root = &st.opts.root;
    let config = match config(st) {
        Ok(c) => c,
        Err(d) => {
            return json!({ "items": [], "site_problems": d.sorted().iter().map(|x| x.short()).collect::<Vec<_>>() });
        }
    };
    // One look at the site, drafts included: its entries, and every problem `herald check`
    // would report. When it has errors there is no model, and the entries are read alone.
    let mut opts = st.opts.clone();
    opts.write = false;
    opts.drafts = true;
    let (entries, unreadable, diags) = match crate::pipeline::prepare::prepare(&opts, None) {
        Ok(p) => (p.site.entries, p.site.unreadable, p.diags),
        Err(d) => {
            let (content, _) = content::load(
                root,
                &config,
                content::LoadOptions {
                    language: None,
                    drafts: true,
                    overlay: None,
                },
            );
            (content.entries, content.unreadable, d)
        }
    };
    let mut by_file: BTreeMap<PathBuf, (usize, usize)> = BTreeMap::new();
    let mut elsewhere = Vec::new();
    for d in diags.sorted() {
        let counts = by_file.entry(d.file.clone()).or_default();
        if d.severity == Severity::Error {
            counts.0 += 1;
        } else {
            counts.1 += 1;
        }
        if !d.file.starts_with("content") {
            elsewhere.push(d.short());
        }
    }
    let today = crate::model::today(st.opts.today, &config.tz()).ok();
    let mut items: Vec<Json> = entries
        .iter()
        .map(|e| item_json(st, e, today, by_file.get(&e.display)))
        .collect();
    for (kind, path) in &unreadable {
        let name = path_to_name(root, path);
        let display = PathBuf::from("content").join(&name);
        let (errors, warnings) = by_file.get(&display).copied().unwrap_or((1, 0));
        items.push(json!({
            "file": name, "kind": kind.name(), "title": name, "date": null, "teams": [],
            "status": null, "draft": false, "errors": errors, "warnings": warnings,
            "overdue": false, "lobby_ends": null, "url": null, "unreadable": true,
        }));
    }
    items.sort_by(|a, b| {
        let d = |v: &Json| v["date"].as_str().unwrap_or("").to_string();
        d(b).cmp(&d(a))
            .then_with(|| a["title"].as_str().cmp(&b["title"].as_str()))
    });
    json!({ "items": items, "site_problems": elsewhere, "today": today.map(|d| d.to_string()) })
}

/// The content-relative name of an unreadable file from its kind and path.
fn path_to_name(root: &Path, path: &str) -> String {
    let base = root.join("content").join(path);
    let bundle = base.join("index.md");
    if bundle.is_file() {
        content_name(root, &bundle)
    } else {
        content_name(root, &base.with_extension("md"))
    }
}

fn item_json(
    st: &Studio,
    e: &Entry,
    today: Option<jiff::civil::Date>,
    counts: Option<&(usize, usize)>,
) -> Json {
    let (errors, warnings) = counts.copied().unwrap_or((0, 0));
    let (teams, status, overdue, lobby_until): (
        Vec<String>,
        Option<&str>,
        bool,
        Option<jiff::civil::Date>,
    ) = match &e.fields {
        KindFields::Improvement(i) => (
            i.teams.iter().map(|t| t.get_ref().clone()).collect(),
            None,
            false,
            i.lobby.then_some(i.lobby_until).flatten(),
        ),
        KindFields::Milestone(m) => (
            std::iter::once(m.owner.get_ref().clone())
                .chain(m.teams.iter().map(|t| t.get_ref().clone()))
                .collect(),
            Some(m.status.key()),
            today.is_some_and(|t| !m.status.is_closed() && m.target < t),
            None,
        ),
        KindFields::Recognition(r) => (
            r.team.iter().map(|t| t.get_ref().clone()).collect(),
            None,
            false,
            r.lobby.then_some(r.lobby_until).flatten(),
        ),
        KindFields::Announcement(a) => (Vec::new(), None, false, Some(a.until.date)),
        KindFields::Page => (Vec::new(), None, false, None),
    };
    // About to leave the lobby screens: within the next two weeks.
    let lobby_ends = match (lobby_until, today) {
        (Some(u), Some(t)) if u >= t && (u - t).get_days() <= 14 => Some(u.to_string()),
        _ => None,
    };
    let url = (!e.draft && e.kind != Kind::Announcement).then(|| {
        let routes = crate::routes::Routes::new(crate::routes::BaseUrl {
            path: st.base_path.clone(),
            absolute: format!("{}{}", st.origin, st.base_path),
        });
        routes.url(&routes.entry(&e.path))
    });
    json!({
        "file": content_name(&st.opts.root, &e.file),
        "kind": e.kind.name(),
        "title": e.title,
        "date": e.date().map(|d| d.to_string()),
        "teams": teams,
        "status": status,
        "draft": e.draft,
        "errors": errors,
        "warnings": warnings,
        "overdue": overdue,
        "lobby_ends": lobby_ends,
        "url": url,
        "unreadable": false,
    })
}

/// `GET api/item?file=NAME`: one file's values, body and version (its hash).
pub(crate) async fn item(State(st): State<Arc<Studio>>, RawQuery(q): RawQuery) -> Response {
    let Some(name) = query(&q, "file") else {
        return bad(
            StatusCode::BAD_REQUEST,
            "say which file: ?file=improvements/NAME.md",
        );
    };
    let path = match content_file(&st.opts.root, &name, true) {
        Ok(p) => p,
        Err(why) => return bad(StatusCode::FORBIDDEN, why),
    };
    let Some(kind) = kind_of(&st.opts.root, &path) else {
        return bad(StatusCode::BAD_REQUEST, "this file is not content");
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            return bad(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("cannot read the file: {e}"),
            );
        }
    };
    let version = version_of(&text);
    match form::values_of(kind, &text) {
        Ok(d) => json_response(
            StatusCode::OK,
            json!({ "file": content_name(&st.opts.root, &path), "kind": kind.name, "values": d.values, "body": d.body, "version": version, "text": text }),
        ),
        Err(why) => json_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({ "file": name, "kind": kind.name, "message": why, "text": text, "version": version }),
        ),
    }
}

/// The version a client holds of a file: the hash of its bytes.
fn version_of(text: &str) -> String {
    blake3::hash(text.as_bytes()).to_hex()[..16].to_string()
}

/// The kind of a content file, from its folder.
fn kind_of(root: &Path, path: &Path) -> Option<&'static KindSchema> {
    let rel = path.strip_prefix(root.join("content")).ok()?;
    let first = rel.iter().next()?.to_string_lossy().into_owned();
    let nested = rel.iter().count() > 1;
    let name = schema::KINDS
        .iter()
        .find(|k| nested && !k.section.is_empty() && k.section == first)
        .map_or("page", |k| k.name);
    schema::kind(name)
}

/// What the form sends to be checked, previewed or saved.
#[derive(serde::Deserialize)]
struct Form {
    kind: String,
    /// The file being edited; none for a new item.
    #[serde(default)]
    file: Option<String>,
    /// The preview's id (one per open form).
    #[serde(default)]
    pid: Option<String>,
    /// The version of the file the form was opened with.
    #[serde(default)]
    version: Option<String>,
    /// Save as a draft rather than publish.
    #[serde(default)]
    draft: bool,
    #[serde(flatten)]
    draft_values: Draft,
}

/// The file, kind and text a request means, or why it cannot be taken.
struct Candidate {
    path: PathBuf,
    kind: &'static KindSchema,
    text: String,
    /// The text on disk, for an existing file.
    disk: Option<String>,
}

fn candidate(st: &Studio, r: &Form) -> Result<Candidate, Response> {
    let root = &st.opts.root;
    let kind = schema::kind(&r.kind).ok_or_else(|| {
        bad(
            StatusCode::BAD_REQUEST,
            format!("unknown kind {:?}", r.kind),
        )
    })?;
    match r.file.as_deref().filter(|f| !f.is_empty()) {
        Some(name) => {
            let path = content_file(root, name, true).map_err(|w| bad(StatusCode::FORBIDDEN, w))?;
            if kind_of(root, &path).map(|k| k.name) != Some(kind.name) {
                return Err(bad(StatusCode::BAD_REQUEST, "the file is not of this kind"));
            }
            let disk = std::fs::read_to_string(&path).map_err(|e| {
                bad(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    format!("cannot read the file: {e}"),
                )
            })?;
            let text = form::edited_text(kind, &disk, &r.draft_values)
                .map_err(|w| bad(StatusCode::UNPROCESSABLE_ENTITY, w))?;
            Ok(Candidate {
                path,
                kind,
                text,
                disk: Some(disk),
            })
        }
        None => {
            let title = r
                .draft_values
                .values
                .get("title")
                .and_then(Json::as_str)
                .unwrap_or("");
            let path = new_file_name(root, kind, title);
            Ok(Candidate {
                path,
                kind,
                text: form::new_text(kind, &r.draft_values),
                disk: None,
            })
        }
    }
}

/// The site built in memory with `text` at `path`: the file's problems (by key), whether
/// others have any, and the preview pages when it built.
fn check(
    st: &Studio,
    path: &Path,
    kind: &KindSchema,
    text: &str,
    previews: bool,
) -> (Vec<Json>, usize, Option<PreviewPages>, Option<String>) {
    let root = &st.opts.root;
    let mut opts = st.opts.clone();
    opts.write = false;
    opts.drafts = true;
    opts.base_url = Some(format!("{}{}", st.origin, st.base_path));
    opts.overlay = Some(Arc::new(BTreeMap::from([(
        path.to_path_buf(),
        text.to_string(),
    )])));
    let display = display_path(root, path);
    let keys = form::line_keys(text);
    let (diags, prepared) = match crate::pipeline::prepare::prepare(&opts, None) {
        Ok(mut p) => (std::mem::take(&mut p.diags), Some(p)),
        Err(d) => (d, None),
    };
    let mut mine = Vec::new();
    let mut others = 0;
    for d in diags.sorted() {
        if d.file == display {
            mine.push(problem_json(d, &keys, Some(kind)));
        } else if d.severity == Severity::Error {
            others += 1;
        }
    }
    let mut lobby_note = None;
    let pages = prepared.filter(|_| previews).map(|p| {
        let mut out = PreviewPages::default();
        let Some(i) = p.site.entries.iter().position(|e| e.file == path) else {
            return out;
        };
        let render = |job: &crate::render::Job| {
            crate::render::render_job(&p.tera, &p.theme, &p.site, &p.view, &p.lobby, job)
                .ok()
                .map(|b| String::from_utf8_lossy(&b).into_owned())
        };
        if let Some(job) = p.jobs.iter().find(|j| j.input == Input::Entry(i)) {
            out.page = render(job);
        }
        let id = format!("\"id\":{}", json!(p.site.entries[i].path));
        match p.lobby.screens.iter().position(|s| s.json.contains(&id)) {
            Some(s) => {
                if let Some(job) = p.jobs.iter().find(|j| j.input == Input::Lobby(s)) {
                    out.lobby = render(job).map(|html| {
                        let base = format!("<head>\n<base href=\"{}{}\">", st.base_path, p.lobby.screens[s].dir);
                        html.replacen("<head>", &base, 1)
                    });
                }
            }
            None => {
                lobby_note = Some("The lobby screens will not show this: it is off the screens, outside its dates on them, or older than the screens show.".to_string());
            }
        }
        let month = p.site.entries[i].date().map(|d| format!("{:04}-{:02}", d.year(), d.month()));
        if let Some(k) = month.and_then(|m| p.site.months.iter().position(|x| x.key == m))
            && let Some(job) = p.jobs.iter().find(|j| j.input == Input::Digest(k) && j.template == "digest_email.html")
        {
            out.email = render(job);
        }
        out
    });
    (mine, others, pages, lobby_note)
}

/// `POST api/preview`: the unsaved form checked and previewed.
pub(crate) async fn preview(State(st): State<Arc<Studio>>, body: Bytes) -> Response {
    let r: Form = match parse(&body) {
        Ok(r) => r,
        Err(res) => return res,
    };
    let serial = {
        let Ok(mut p) = st.previews.lock() else {
            return bad(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the studio is in a bad state; restart herald serve",
            );
        };
        p.serial += 1;
        p.serial
    };
    let st2 = Arc::clone(&st);
    let Some(result) = blocking(move || {
        let c = match candidate(&st2, &r) {
            Ok(c) => c,
            Err(res) => return Err(res),
        };
        let (problems, others, pages, lobby_note) = check(&st2, &c.path, c.kind, &c.text, true);
        Ok((r.pid, c, problems, others, pages, lobby_note))
    })
    .await
    else {
        return bad(StatusCode::INTERNAL_SERVER_ERROR, "the check failed");
    };
    let (pid, c, problems, others, pages, lobby_note) = match result {
        Ok(x) => x,
        Err(res) => return res,
    };
    let mut shown = json!({ "page": false, "lobby": false, "email": false });
    if let (Some(pid), Some(pages)) = (
        pid.filter(|p| p.len() <= 64 && p.chars().all(|c| c.is_ascii_alphanumeric())),
        pages,
    ) {
        shown = json!({ "page": pages.page.is_some(), "lobby": pages.lobby.is_some(), "email": pages.email.is_some() });
        if let Ok(mut p) = st.previews.lock() {
            p.pages.insert(pid, (serial, pages));
            if p.pages.len() > KEEP_PREVIEWS
                && let Some(oldest) = p
                    .pages
                    .iter()
                    .min_by_key(|(_, (s, _))| *s)
                    .map(|(k, _)| k.clone())
            {
                p.pages.remove(&oldest);
            }
        }
    }
    json_response(
        StatusCode::OK,
        json!({
            "problems": problems,
            "others": others,
            "text": c.text,
            "file": content_name(&st.opts.root, &c.path),
            "shown": shown,
            "serial": serial,
            "lobby_note": lobby_note,
        }),
    )
}

/// Added to the email's preview: scrolls to the item whose title follows `#find=`.
const FIND_SCRIPT: &str = "<script>(function(){var m=/[#&]find=([^&]*)/.exec(location.hash);if(!m)return;var t;try{t=decodeURIComponent(m[1]).trim()}catch(e){return}if(!t)return;var els=document.querySelectorAll('a,h2,h3,strong,td,p');for(var i=0;i<els.length;i++){if(els[i].textContent.trim()===t){els[i].scrollIntoView();return}}})();</script>";

/// `GET preview/PID/page|lobby|email`: the last preview of an open form, served in a sandbox.
pub(crate) async fn preview_page(
    State(st): State<Arc<Studio>>,
    UrlPath((pid, which)): UrlPath<(String, String)>,
) -> Response {
    let page = st.previews.lock().ok().and_then(|p| {
        let (_, pages) = p.pages.get(&pid)?;
        match which.as_str() {
            "page" => pages.page.clone(),
            "lobby" => pages.lobby.clone(),
            "email" => pages.email.clone().map(|html| match html.rfind("</body>") {
                Some(i) => format!("{}{FIND_SCRIPT}{}", &html[..i], &html[i..]),
                None => html,
            }),
            _ => None,
        }
    });
    let body = page.unwrap_or_else(|| {
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>No preview</title></head><body><p>No preview yet: fill in the form.</p></body></html>".to_string()
    });
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::HeaderName::from_static("x-herald-preview"), "1"),
            (header::X_FRAME_OPTIONS, "SAMEORIGIN"),
            // The page's own scripts run (the lobby slide needs them), in an origin of their
            // own: a script in an item cannot reach the studio, its token or its API.
            (header::CONTENT_SECURITY_POLICY, "sandbox allow-scripts"),
        ],
        body,
    )
        .into_response()
}

fn parse(body: &Bytes) -> Result<Form, Response> {
    if body.len() > MAX_REQUEST {
        return Err(bad(StatusCode::PAYLOAD_TOO_LARGE, "the form is too large"));
    }
    serde_json::from_slice(body).map_err(|e| {
        bad(
            StatusCode::BAD_REQUEST,
            format!("the request is not a form: {e}"),
        )
    })
}

/// `POST api/save`: writes the form to its file. A new item gets a file of its own; an edit
/// is refused when the file changed since the form opened it; a form with errors is saved
/// only as a draft.
pub(crate) async fn save(State(st): State<Arc<Studio>>, body: Bytes) -> Response {
    let mut r: Form = match parse(&body) {
        Ok(r) => r,
        Err(res) => return res,
    };
    let _one_at_a_time = st.writing.lock().await;
    r.draft_values
        .values
        .insert("draft".into(), Json::Bool(r.draft));
    let st2 = Arc::clone(&st);
    let Some(result) = blocking(move || save_blocking(&st2, &r)).await else {
        return bad(StatusCode::INTERNAL_SERVER_ERROR, "the save failed");
    };
    result
}

fn save_blocking(st: &Studio, r: &Form) -> Response {
    let c = match candidate(st, r) {
        Ok(c) => c,
        Err(res) => return res,
    };
    let name = content_name(&st.opts.root, &c.path);
    if let Some(disk) = &c.disk
        && r.version.as_deref() != Some(version_of(disk).as_str())
    {
        return json_response(
            StatusCode::CONFLICT,
            json!({
                "message": format!("content/{name} changed on disk since you opened it, so it was not saved. Both versions are below: copy what you need, then reload the file."),
                "theirs": disk,
                "yours": c.text,
            }),
        );
    }
    let (problems, _, _, _) = check(st, &c.path, c.kind, &c.text, false);
    let errors = problems.iter().filter(|p| p["severity"] == "error").count();
    if errors > 0 && !r.draft {
        return json_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({
                "message": format!("Not published: {errors} problem{} to fix first. You can save it as a draft meanwhile.", if errors == 1 { "" } else { "s" }),
                "problems": problems,
            }),
        );
    }
    if c.disk.as_deref() == Some(c.text.as_str()) {
        return json_response(
            StatusCode::OK,
            json!({ "file": name, "version": version_of(&c.text), "unchanged": true, "problems": problems }),
        );
    }
    if let Err(e) = write_atomic(&c.path, c.text.as_bytes(), true, c.disk.is_some()) {
        let why = if e.kind() == std::io::ErrorKind::AlreadyExists {
            "a file with this name appeared meanwhile; save again for a new name".to_string()
        } else {
            format!("cannot write content/{name}: {e}")
        };
        return bad(StatusCode::CONFLICT, why);
    }
    json_response(
        StatusCode::OK,
        json!({ "file": name, "version": version_of(&c.text), "problems": problems, "created": c.disk.is_none() }),
    )
}

/// `POST api/upload?file=NAME&name=PICTURE`: a picture for an item, stored beside it (the item
/// becomes a page bundle, `NAME/index.md`, when it is not one yet). Only JPEG, PNG, WebP and
/// GIF, told by their bytes, not their names; resized as the build resizes lobby pictures.
pub(crate) async fn upload(
    State(st): State<Arc<Studio>>,
    RawQuery(q): RawQuery,
    body: Bytes,
) -> Response {
    let (Some(file), Some(name)) = (query(&q, "file"), query(&q, "name")) else {
        return bad(
            StatusCode::BAD_REQUEST,
            "save the item first, then add pictures",
        );
    };
    if body.len() > MAX_UPLOAD {
        return bad(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "the picture is larger than {} MB",
                MAX_UPLOAD / (1024 * 1024)
            ),
        );
    }
    let _one_at_a_time = st.writing.lock().await;
    let st2 = Arc::clone(&st);
    blocking(move || upload_blocking(&st2, &file, &name, &body))
        .await
        .unwrap_or_else(|| bad(StatusCode::INTERNAL_SERVER_ERROR, "the upload failed"))
}

fn upload_blocking(st: &Studio, file: &str, name: &str, bytes: &[u8]) -> Response {
    let root = &st.opts.root;
    let path = match content_file(root, file, true) {
        Ok(p) => p,
        Err(why) => return bad(StatusCode::FORBIDDEN, why),
    };
    let format = match image::guess_format(bytes) {
        Ok(
            f @ (image::ImageFormat::Jpeg
            | image::ImageFormat::Png
            | image::ImageFormat::WebP
            | image::ImageFormat::Gif),
        ) => f,
        _ => {
            return bad(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "only JPEG, PNG, WebP and GIF pictures can be added",
            );
        }
    };
    let png = matches!(
        format,
        image::ImageFormat::Png | image::ImageFormat::Gif | image::ImageFormat::WebP
    );
    let resized = match crate::view::lobby::resize_image(bytes, png) {
        Ok(b) => b,
        Err(why) => {
            return bad(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("the picture cannot be read: {why}"),
            );
        }
    };
    // Into a bundle: improvements/x.md becomes improvements/x/index.md.
    let is_index = path.file_name().is_some_and(|n| n == "index.md");
    let index = if is_index {
        path.clone()
    } else {
        let dir = path.with_extension("");
        if dir.exists() {
            return bad(
                StatusCode::CONFLICT,
                format!(
                    "content/{} already exists, so this item cannot become a folder with its pictures",
                    content_name(root, &dir)
                ),
            );
        }
        if let Err(e) =
            std::fs::create_dir(&dir).and_then(|()| rename_no_replace(&path, &dir.join("index.md")))
        {
            return bad(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("cannot make a folder for the item: {e}"),
            );
        }
        dir.join("index.md")
    };
    let dir = index.parent().unwrap_or(root);
    let stem = crate::util::slug::slugify(
        Path::new(name)
            .file_stem()
            .map(|s| s.to_string_lossy())
            .unwrap_or_default()
            .as_ref(),
    );
    let stem = if stem.is_empty() {
        "picture".to_string()
    } else {
        stem
    };
    let ext = if png { "png" } else { "jpg" };
    let mut pic = dir.join(format!("{stem}.{ext}"));
    let mut n = 2;
    while pic.exists() {
        pic = dir.join(format!("{stem}-{n}.{ext}"));
        n += 1;
    }
    if let Err(e) = write_atomic(&pic, &resized, true, false) {
        return bad(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("cannot store the picture: {e}"),
        );
    }
    let text = std::fs::read_to_string(&index).unwrap_or_default();
    json_response(
        StatusCode::OK,
        json!({
            "file": content_name(root, &index),
            "name": pic.file_name().map(|n| n.to_string_lossy().into_owned()),
            "version": version_of(&text),
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_without_a_line_finds_its_field() {
        let improvement = schema::kind("improvement");
        let milestone = schema::kind("milestone");
        let at = |m: &str, k| key_in_message(m, k);
        assert_eq!(
            at(
                "an improvement's metric is missing required key `name`",
                improvement
            )
            .as_deref(),
            Some("metric.name")
        );
        assert_eq!(
            at("a quote is missing required key `by`", improvement).as_deref(),
            Some("quote.by")
        );
        assert_eq!(
            at("an improvement is missing required key `date`", improvement).as_deref(),
            Some("date")
        );
        assert_eq!(
            at("a task is missing required key `team`", milestone).as_deref(),
            Some("tasks.team")
        );
        assert_eq!(
            at(
                "a milestone's metric is missing required key `name`",
                milestone
            )
            .as_deref(),
            Some("metric.name")
        );
        assert_eq!(at("the file is empty", improvement), None);
    }
}
