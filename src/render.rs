//! Rendering: the Tera 2 environment (templates, herald's functions and filters, the shared
//! site model in the global context) and the build plan — one job per output page, naming its
//! template and what it reads — run in parallel.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use tera::{Context, Kwargs, State, Tera, Value};

use crate::content::Kind;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Obj, Site};
use crate::theme::Theme;

/// What a job reads besides the shared model; also what a later incremental rebuild keys on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Only the shared model.
    Site,
    /// One entry (`page`).
    Entry(usize),
    /// One page of the improvements list.
    ImprovementsPage {
        /// 1-based page number.
        number: usize,
    },
    /// One team (`team`).
    Team(usize),
    /// One tag (`tag`).
    Tag(usize),
    /// One lobby screen (`lobby`).
    Lobby(usize),
    /// The roadmap filtered to one team (`filter_team`).
    RoadmapTeam(usize),
    /// One month's digest (`digest`).
    Digest(usize),
    /// One quarter's letter to customers (`letter`).
    Letter(usize),
}

/// One output page.
#[derive(Debug, Clone)]
pub struct Job {
    /// Path under the output root, e.g. `improvements/faster-refunds/index.html`.
    pub output: String,
    /// The path of the page under the base (`improvements/faster-refunds/`).
    pub current_path: String,
    /// The template.
    pub template: &'static str,
    /// What it renders.
    pub input: Input,
    /// An email body: its CSS is moved into `style` attributes and `<style>` elements are
    /// removed, because mail clients drop style sheets.
    pub inline_css: bool,
}

/// Every page a build writes, in a stable order.
pub fn plan(site: &Site, lobby: &crate::lobby::Lobby) -> Vec<Job> {
    let mut jobs = Vec::new();
    let mut page = |output: String, current_path: String, template: &'static str, input: Input| {
        jobs.push(Job {
            inline_css: template == "digest_email.html",
            output,
            current_path,
            template,
            input,
        });
    };
    page(
        "index.html".into(),
        String::new(),
        "index.html",
        Input::Site,
    );
    let per = (*site.config.paginate.get_ref()).max(1);
    let pages = site.improvements.len().div_ceil(per).max(1);
    for n in 1..=pages {
        let cp = if n == 1 {
            "improvements/".to_string()
        } else {
            format!("improvements/page/{n}/")
        };
        page(
            format!("{cp}index.html"),
            cp,
            "improvements.html",
            Input::ImprovementsPage { number: n },
        );
    }
    for (i, e) in site.entries.iter().enumerate() {
        let template = match e.kind {
            Kind::Improvement => "improvement.html",
            Kind::Milestone => "milestone.html",
            Kind::Recognition => "recognition.html",
            Kind::Page => "page.html",
            Kind::Announcement => continue,
        };
        let cp = format!("{}/", e.path);
        page(format!("{cp}index.html"), cp, template, Input::Entry(i));
    }
    page(
        "roadmap/index.html".into(),
        "roadmap/".into(),
        "roadmap.html",
        Input::Site,
    );
    for (i, t) in site.teams.iter().enumerate() {
        let cp = format!("roadmap/team/{}/", t.slug);
        page(
            format!("{cp}index.html"),
            cp,
            "roadmap.html",
            Input::RoadmapTeam(i),
        );
    }
    page(
        "roadmap/review/index.html".into(),
        "roadmap/review/".into(),
        "review.html",
        Input::Site,
    );
    page(
        "metrics/index.html".into(),
        "metrics/".into(),
        "metrics.html",
        Input::Site,
    );
    page(
        "teams/index.html".into(),
        "teams/".into(),
        "teams.html",
        Input::Site,
    );
    for (i, t) in site.teams.iter().enumerate() {
        let cp = format!("teams/{}/", t.slug);
        page(format!("{cp}index.html"), cp, "team.html", Input::Team(i));
    }
    page(
        "recognitions/index.html".into(),
        "recognitions/".into(),
        "recognitions.html",
        Input::Site,
    );
    page(
        "tags/index.html".into(),
        "tags/".into(),
        "tags.html",
        Input::Site,
    );
    for (i, t) in site.tags.iter().enumerate() {
        let cp = format!("tags/{}/", t.slug);
        page(format!("{cp}index.html"), cp, "tag.html", Input::Tag(i));
    }
    for (i, screen) in lobby.screens.iter().enumerate() {
        page(
            format!("{}index.html", screen.dir),
            screen.dir.clone(),
            "lobby.html",
            Input::Lobby(i),
        );
    }
    page(
        "digest/index.html".into(),
        "digest/".into(),
        "digests.html",
        Input::Site,
    );
    for (i, d) in site.digests.iter().enumerate() {
        let cp = format!("digest/{}/", d.month);
        page(
            format!("{cp}index.html"),
            cp.clone(),
            "digest.html",
            Input::Digest(i),
        );
        for (file, template) in [
            ("email.html", "digest_email.html"),
            ("email.txt", "digest_email.txt"),
        ] {
            page(
                format!("{cp}{file}"),
                format!("{cp}{file}"),
                template,
                Input::Digest(i),
            );
        }
    }
    page(
        "letter/index.html".into(),
        "letter/".into(),
        "letters.html",
        Input::Site,
    );
    for (i, l) in site.letters.iter().enumerate() {
        let cp = format!("letter/{}/", l.quarter);
        page(
            format!("{cp}index.html"),
            cp,
            "letter.html",
            Input::Letter(i),
        );
    }
    page(
        "search/index.html".into(),
        "search/".into(),
        "search.html",
        Input::Site,
    );
    page(
        "404.html".into(),
        "404.html".into(),
        "404.html",
        Input::Site,
    );
    jobs
}

/// A short content hash for cache-busting asset URLs.
pub fn short_hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex()[..10].to_string()
}

thread_local! {
    /// The `date` filter's answers, per rendering thread. Lists show the same
    /// few thousand days over and over, and parsing and formatting one costs about 2 µs; a
    /// lookup is a tenth of that. The answer depends on nothing else, so it never goes stale.
    static DATES: std::cell::RefCell<Memo> = std::cell::RefCell::default();
}

/// Dates by format, then by day.
type Memo = rustc_hash::FxHashMap<String, rustc_hash::FxHashMap<String, String>>;

/// The templates of one build, ready to render: the Tera environment and what its `cached`
/// function has rendered so far ([`crate::fragments`]).
pub struct Templates {
    tera: Arc<Tera>,
    fragments: Arc<crate::fragments::Fragments>,
}

impl Templates {
    /// Replaces a value of the global context (`site` after an edit) and forgets every cached
    /// fragment, which may show the old one. False while a page is being rendered.
    pub fn set_global(&mut self, name: &'static str, value: Value) -> bool {
        let Some(tera) = Arc::get_mut(&mut self.tera) else {
            return false;
        };
        tera.global_context().insert_value(name, value);
        self.fragments.clear();
        true
    }
}

/// Builds the Tera environment: herald's functions and filters, every template, and the shared
/// model in the global context. Template errors are returned all together.
pub fn environment(
    site: &Site,
    theme: &Theme,
    asset_hashes: HashMap<String, String>,
) -> Result<Templates, Diagnostics> {
    let mut tera = Tera::new();
    let fragments = Arc::new(crate::fragments::Fragments::default());
    crate::fragments::register(&mut tera, &fragments);
    tera.autoescape_on(vec![".html", ".xml", ".htm", ".svg"]);
    let base = Arc::new(site.base.path.clone());

    let b = Arc::clone(&base);
    tera.register_function(
        "url",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let path: &str = kwargs.must_get("path")?;
            let path = path.trim_start_matches('/');
            let mut url = String::with_capacity(b.len() + path.len());
            url.push_str(&b);
            url.push_str(path);
            Ok(url)
        },
    );
    let b = Arc::clone(&base);
    let hashes = Arc::new(asset_hashes);
    tera.register_function("asset", move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
        let path: &str = kwargs.must_get("path")?;
        let path = path.trim_start_matches('/');
        match hashes.get(path) {
            Some(h) => Ok(format!("{b}{path}?v={h}")),
            None => Err(tera::Error::message(format!(
                "asset(path={path:?}): there is no such file in the theme's static/ or the site's static/ folder"
            ))),
        }
    });
    let urls: Arc<HashMap<String, String>> = Arc::new(
        site.entries
            .iter()
            .filter(|e| e.kind != Kind::Announcement)
            .map(|e| (e.path.clone(), site.url(&format!("{}/", e.path))))
            .collect(),
    );
    tera.register_function("link", move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
        let to: String = kwargs.must_get("to")?;
        let key = crate::markdown::content_key(&to);
        urls.get(key)
            .cloned()
            .ok_or_else(|| tera::Error::message(format!("link(to={to:?}): there is no such content; write a path like \"improvements/faster-refunds\"")))
    });
    tera.register_filter(
        "date",
        |value: &Value, kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let Some(s) = value.as_str() else {
                return Ok(String::new());
            };
            let format: &str = kwargs.get("format")?.unwrap_or("%-d %b %Y");
            let day = s.get(..10).unwrap_or(s);
            DATES.with_borrow_mut(|memo| {
                if let Some(text) = memo.get(format).and_then(|days| days.get(day)) {
                    return Ok(text.clone());
                }
                let date: jiff::civil::Date = day.parse().map_err(|_| {
                    tera::Error::message(format!("date filter: {s:?} is not a YYYY-MM-DD date"))
                })?;
                let text = jiff::fmt::strtime::format(format, date).map_err(|e| {
                    tera::Error::message(format!("date filter: bad format {format:?}: {e}"))
                })?;
                let days = memo.entry(format.to_string()).or_default();
                if days.len() >= 8192 {
                    days.clear();
                }
                days.insert(day.to_string(), text.clone());
                Ok(text)
            })
        },
    );
    tera.register_filter(
        "number",
        |value: &Value, kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let Some(x) = value.as_f64() else {
                return Ok(value.as_str().unwrap_or_default().to_string());
            };
            let decimals: Option<i64> = kwargs.get("decimals")?;
            Ok(format_number(
                x,
                decimals.unwrap_or(2).clamp(0, 10) as usize,
            ))
        },
    );
    let origin = site
        .base
        .absolute
        .strip_suffix(site.base.path.as_str())
        .unwrap_or(&site.base.absolute)
        .to_string();
    let absolute = site.base.absolute.clone();
    tera.register_filter(
        "absolute",
        move |value: &str, _: Kwargs, _: &State| -> String {
            if value.starts_with("http://") || value.starts_with("https://") {
                value.to_string()
            } else if value.starts_with('/') {
                format!("{origin}{value}")
            } else {
                format!("{absolute}{value}")
            }
        },
    );
    tera.register_filter("slugify", |value: &str, _: Kwargs, _: &State| {
        slug::slugify(value)
    });

    let mut named: Vec<(&str, &str)> = theme
        .templates
        .iter()
        .map(|(n, t)| (n.as_str(), t.source.as_str()))
        .collect();
    named.sort_by_key(|(n, _)| *n);
    if let Err(e) = tera.add_raw_templates(named.clone()) {
        let mut diags = Diagnostics::new();
        // Report every template with a syntax error, not only the first one.
        for (name, src) in &named {
            let mut probe = Tera::new();
            if let Err(e) = probe.add_raw_template(name, src)
                && matches!(e.kind(), tera::ErrorKind::SyntaxError(_))
            {
                diags.push(template_error(theme, &e, None));
            }
        }
        if diags.is_empty() {
            diags.push(template_error(theme, &e, None));
        }
        return Err(diags);
    }
    for needed in [
        "index.html",
        "improvements.html",
        "improvement.html",
        "milestone.html",
        "recognition.html",
        "page.html",
        "roadmap.html",
        "teams.html",
        "team.html",
        "recognitions.html",
        "tags.html",
        "tag.html",
        "404.html",
        "lobby.html",
        "search.html",
        "digests.html",
        "digest.html",
        "digest_email.html",
        "digest_email.txt",
        "letters.html",
        "letter.html",
    ] {
        if !tera.contains_template(needed) {
            let mut d = Diagnostics::new();
            d.push(
                Diagnostic::error(
                    format!("themes/{}/templates/{needed}", site.config.theme),
                    format!("the theme has no {needed}"),
                )
                .with_hint("every theme needs this template; copy it from the default theme")
                .with_kind(crate::diagnostics::Kind::Template),
            );
            return Err(d);
        }
    }
    let g = tera.global_context();
    g.insert_value("site", site.site_value.clone());
    g.insert_value("config", site.config_value.clone());
    g.insert_value("today", Value::from(site.today.to_string()));
    g.insert_value(
        "herald",
        Obj::new().set("version", env!("CARGO_PKG_VERSION")).build(),
    );
    Ok(Templates {
        tera: Arc::new(tera),
        fragments,
    })
}

/// Turns a Tera error into a diagnostic at the template's file, line and column.
fn template_error(theme: &Theme, e: &tera::Error, page: Option<&str>) -> Diagnostic {
    let (report, kind) = match e.kind() {
        tera::ErrorKind::SyntaxError(r) => (Some(r), "template syntax error"),
        tera::ErrorKind::RenderingError(r) => (Some(r), "template error"),
        _ => (None, "template error"),
    };
    let suffix = page
        .map(|p| format!(" (rendering {p})"))
        .unwrap_or_default();
    match report {
        Some(r) => {
            let file = theme
                .templates
                .get(r.filename())
                .map_or_else(|| PathBuf::from(r.filename()), |t| t.display.clone());
            let source: Arc<str> = theme
                .templates
                .get(r.filename())
                .map_or_else(|| Arc::from(""), |t| Arc::from(t.source.as_str()));
            let span = r.span();
            let start = offset_of(&source, span.start_line, span.start_col);
            let end = if span.end_line == span.start_line {
                offset_of(&source, span.end_line, span.end_col).max(start + 1)
            } else {
                start + 1
            };
            let mut d = Diagnostic::error(file, format!("{kind}: {}{suffix}", r.message()));
            if !source.is_empty() {
                d = d.at(&source, start..end.min(source.len()));
            } else {
                d = d.at_line(span.start_line, span.start_col + 1);
            }
            d.with_hint(template_hint(r.message()))
                .with_kind(crate::diagnostics::Kind::Template)
        }
        None => {
            let mut msg = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(s) = source {
                msg.push_str(": ");
                msg.push_str(&s.to_string());
                source = s.source();
            }
            Diagnostic::error("templates", format!("{kind}: {msg}{suffix}"))
                .with_hint("check the template named in the message")
                .with_kind(crate::diagnostics::Kind::Template)
        }
    }
}

fn template_hint(msg: &str) -> String {
    // "Field `titel` is not defined. Available fields: a, b, title": suggest the closest.
    if let Some(rest) = msg.split("Field `").nth(1)
        && let Some((field, tail)) = rest.split_once('`')
        && let Some(list) = tail.split("Available fields:").nth(1)
    {
        let fields = list.split(['(', '\n']).next().unwrap_or("");
        if let Some(best) =
            crate::diagnostics::did_you_mean(field, fields.split(',').map(str::trim))
        {
            return format!("did you mean `{best}`? themes/default/README.md lists every variable");
        }
        return "check the spelling; themes/default/README.md lists every variable".into();
    }
    if msg.contains("not found") || msg.contains("Unknown") || msg.contains("unknown") {
        "check the spelling; themes/default/README.md lists every variable, function and filter"
            .into()
    } else if msg.contains("end")
        || msg.contains("closed")
        || msg.contains("Unexpected")
        || msg.contains("expected")
    {
        "every {% if %}, {% for %} and {% block %} needs its {% end… %}, and every {{ needs }}"
            .into()
    } else {
        "see themes/default/README.md for what templates are given".into()
    }
}

fn offset_of(source: &str, line: usize, col: usize) -> usize {
    let mut off = 0;
    for (i, l) in source.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            return off
                + l.char_indices()
                    .nth(col)
                    .map_or(l.trim_end_matches('\n').len(), |(b, _)| b);
        }
        off += l.len();
    }
    source.len()
}

/// Formats a number with at most `decimals` decimals and no trailing zeros.
pub fn format_number(x: f64, decimals: usize) -> String {
    // Whole results skip float formatting, which costs about 2 µs a call: progress bars and
    // metric values ask for it a hundred thousand times at 10,000 entries. `round_ties_even`
    // rounds as `{:.0}` does, and `as i64` makes -0 read "0".
    let whole = if decimals == 0 {
        x.round_ties_even()
    } else if x.fract() == 0.0 {
        x
    } else {
        f64::NAN
    };
    if whole.abs() < 1e15 {
        return (whole as i64).to_string();
    }
    format_float(x, decimals)
}

/// [`format_number`] through the float formatter, for any number.
fn format_float(x: f64, decimals: usize) -> String {
    let s = format!("{x:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" { "0".into() } else { s }
}

/// The `paginator` value of one page of the improvements list.
pub(crate) fn paginator(site: &Site, number: usize) -> Value {
    let per = (*site.config.paginate.get_ref()).max(1);
    let total = site.improvements.len();
    let pages = total.div_ceil(per).max(1);
    let url_of = |n: usize| {
        if n == 1 {
            site.url("improvements/")
        } else {
            site.url(&format!("improvements/page/{n}/"))
        }
    };
    let items: Vec<Value> = site
        .improvements
        .iter()
        .skip((number - 1) * per)
        .take(per)
        .map(|i| site.values[*i].clone())
        .collect();
    Obj::new()
        .set("items", items)
        .set("number", number)
        .set("total_pages", pages)
        .set("total_items", total)
        .set(
            "previous_url",
            if number > 1 {
                url_of(number - 1)
            } else {
                String::new()
            },
        )
        .set(
            "next_url",
            if number < pages {
                url_of(number + 1)
            } else {
                String::new()
            },
        )
        .set("pages", page_window(number, pages, &url_of))
        .build()
}

/// The page links a pager shows: the first and last pages, and two either side of the current
/// one, with `{ gap: true }` where numbers are left out. A list of every page would put 700
/// links on each of 700 pages at 7,000 improvements.
fn page_window(number: usize, pages: usize, url_of: &dyn Fn(usize) -> String) -> Vec<Value> {
    let near = |n: usize| n == 1 || n == pages || n.abs_diff(number) <= 2;
    let mut out = Vec::new();
    let mut gap = false;
    for n in 1..=pages {
        if near(n) {
            out.push(
                Obj::new()
                    .set("number", n)
                    .set("url", url_of(n))
                    .set("current", n == number)
                    .set("gap", false)
                    .build(),
            );
            gap = false;
        } else if !gap {
            out.push(Obj::new().set("gap", true).build());
            gap = true;
        }
    }
    out
}

/// Renders one job to bytes.
pub fn render_job(
    templates: &Templates,
    theme: &Theme,
    site: &Site,
    lobby: &crate::lobby::Lobby,
    job: &Job,
) -> Result<Vec<u8>, Diagnostic> {
    let mut ctx = Context::new();
    ctx.insert_value("current_path", Value::from(job.current_path.as_str()));
    ctx.insert_value("current_url", Value::from(site.url(&job.current_path)));
    match &job.input {
        Input::Site => {}
        Input::Entry(i) => ctx.insert_value("page", site.values[*i].clone()),
        Input::ImprovementsPage { number } => {
            ctx.insert_value("paginator", paginator(site, *number))
        }
        Input::Team(i) => ctx.insert_value("team", site.team_values[*i].clone()),
        Input::Tag(i) => ctx.insert_value("tag", site.tag_values[*i].clone()),
        Input::RoadmapTeam(i) => ctx.insert_value("filter_team", site.team_values[*i].clone()),
        Input::Digest(i) => ctx.insert_value("digest", site.digests[*i].value.clone()),
        Input::Letter(i) => ctx.insert_value("letter", site.letters[*i].value.clone()),
        Input::Lobby(i) => {
            let s = &lobby.screens[*i];
            ctx.insert_value(
                "lobby",
                Obj::new()
                    .set("screen", s.name.as_str())
                    .set(
                        "data",
                        Value::safe_string(&crate::lobby::script_safe(&s.json)),
                    )
                    .set("version", s.version.as_str())
                    .build(),
            );
        }
    }
    let mut out = Vec::with_capacity(16 * 1024);
    let _rendering = crate::fragments::Rendering::enter(&templates.tera);
    templates
        .tera
        .render_to(job.template, &ctx, &mut out)
        .map_err(|e| template_error(theme, &e, Some(&format!("/{}", job.current_path))))?;
    if job.inline_css {
        out = inline_css(&out).map_err(|e| {
            Diagnostic::error(
                theme
                    .templates
                    .get(job.template)
                    .map_or_else(|| PathBuf::from(job.template), |t| t.display.clone()),
                format!("cannot inline the CSS of /{}: {e}", job.current_path),
            )
            .with_hint("check the <style> element of this template")
            .with_kind(crate::diagnostics::Kind::Template)
        })?;
    }
    Ok(out)
}

/// Moves an email body's CSS into `style` attributes and drops its `<style>` elements. Nothing
/// is fetched: `<link>` style sheets are not loaded (the email template must not use them).
fn inline_css(html: &[u8]) -> Result<Vec<u8>, String> {
    let text = std::str::from_utf8(html).map_err(|e| e.to_string())?;
    let inliner = css_inline::CSSInliner::options()
        .keep_style_tags(false)
        .keep_link_tags(false)
        .load_remote_stylesheets(false)
        .build();
    inliner
        .inline(text)
        .map(String::into_bytes)
        .map_err(|e| e.to_string())
}

/// Renders every job in parallel and hands each finished page to `write`.
pub fn render_all(
    templates: &Templates,
    theme: &Theme,
    site: &Site,
    lobby: &crate::lobby::Lobby,
    jobs: &[Job],
    write: &(dyn Fn(&str, &[u8]) -> std::io::Result<()> + Sync),
) -> Diagnostics {
    let per_template = crate::timings::PerKey::new();
    // The pages that each take milliseconds (lists, teams, digests, the roadmap) go first and
    // the thousands of small entry pages last, handed out a few at a time: otherwise one core
    // can be left finishing a run of heavy pages while the other has nothing to do.
    let mut order: Vec<&Job> = jobs.iter().collect();
    order.sort_by_key(|j| matches!(j.input, Input::Entry(_) | Input::ImprovementsPage { .. }));
    let errors: Vec<Diagnostic> = order
        .par_iter()
        .with_max_len(4)
        .filter_map(|&job| {
            let started = per_template.start();
            let r = render_job(templates, theme, site, lobby, job);
            per_template.add(job.template, started);
            match r {
                Ok(bytes) => write(&job.output, &bytes)
                    .err()
                    .map(|e| Diagnostic::io(job.output.as_str(), format!("cannot write: {e}"))),
                Err(d) => Some(d),
            }
        })
        .collect();
    per_template.print("render");
    dedupe(errors)
}

/// One template error usually repeats on every page that uses it: each place is reported once.
pub(crate) fn dedupe(errors: Vec<Diagnostic>) -> Diagnostics {
    let mut seen = BTreeMap::new();
    for d in errors {
        seen.entry((
            d.file.clone(),
            d.line,
            d.column,
            d.message
                .split(" (rendering")
                .next()
                .unwrap_or("")
                .to_string(),
        ))
        .or_insert(d);
    }
    let mut diags = Diagnostics::new();
    for (_, d) in seen {
        diags.push(d);
    }
    diags
}

/// The sitemap of every HTML page but the 404.
pub fn sitemap(site: &Site, jobs: &[Job]) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for job in jobs.iter().filter(|j| {
        j.template != "404.html"
            && j.template != "lobby.html"
            && j.output.ends_with(".html")
            && !j.inline_css
    }) {
        let lastmod = match job.input {
            Input::Entry(i) => site.entries[i].date(),
            _ => None,
        };
        s.push_str("  <url><loc>");
        s.push_str(&xml_escape(&format!(
            "{}{}",
            site.base.absolute, job.current_path
        )));
        s.push_str("</loc>");
        if let Some(d) = lastmod {
            s.push_str(&format!("<lastmod>{d}</lastmod>"));
        }
        s.push_str("</url>\n");
    }
    s.push_str("</urlset>\n");
    s
}

/// Escapes text for XML.
pub fn xml_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            c => o.push(c),
        }
    }
    o
}

/// A tiny page that sends browsers from `/improvements/page/1/` to `/improvements/`.
pub fn redirect_page(to: &str, lang: &str) -> String {
    let to = xml_escape(to);
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>Moved</title><link rel=\"canonical\" href=\"{to}\"><meta http-equiv=\"refresh\" content=\"0; url={to}\"></head><body><p><a href=\"{to}\">This page has moved.</a></p></body></html>\n",
        lang = xml_escape(lang)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_drop_trailing_zeros() {
        assert_eq!(format_number(2.0, 2), "2");
        assert_eq!(format_number(2.50, 2), "2.5");
        assert_eq!(format_number(88.125, 1), "88.1");
        assert_eq!(format_number(-0.001, 1), "0");
        assert_eq!(format_number(-0.4, 0), "0");
        assert_eq!(format_number(2.5, 0), "2");
        assert_eq!(format_number(f64::NAN, 0), "NaN");
        // The whole-number shortcut says what the general path says.
        let general = format_float;
        for i in -2000..2000 {
            let x = f64::from(i) / 8.0;
            for d in 0..3 {
                assert_eq!(format_number(x, d), general(x, d), "{x} with {d} decimals");
            }
        }
        for x in [
            1e14,
            -1e14,
            999_999_999_999_999.0,
            1e15,
            1e300,
            66.66666,
            -66.5,
            0.5,
        ] {
            for d in 0..3 {
                assert_eq!(format_number(x, d), general(x, d), "{x} with {d} decimals");
            }
        }
    }

    #[test]
    fn offsets_from_line_and_column() {
        assert_eq!(offset_of("ab\ncd\n", 2, 1), 4);
        assert_eq!(offset_of("ab\ncd", 1, 0), 0);
    }
}
