//! Rendering: the Tera 2 environment (templates, herald's functions and filters, the shared
//! site model in the global context) and the build plan — one job per output page, naming its
//! template and what it reads — run in parallel.

pub mod cached;
pub(crate) mod dependencies;
mod functions;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use tera::{Context, Tera, Value};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::content::Kind;
use crate::load::theme::Theme;
use crate::model::Site;
use crate::util::value::Obj;
use crate::view::View;
use crate::view::site::paginator;

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
pub fn plan(site: &Site, lobby: &crate::view::lobby::Lobby) -> Vec<Job> {
    let r = &site.routes;
    let mut jobs = Vec::new();
    // A page is its route's index.html; a file (an email body) is its route.
    let file = |output: String, current_path: String, template: &'static str, input: Input| Job {
        inline_css: template == "digest_email.html",
        output,
        current_path,
        template,
        input,
    };
    let page = |route: String, template: &'static str, input: Input| {
        file(r.page_file(&route), route, template, input)
    };
    jobs.push(page(r.home(), "index.html", Input::Site));
    let per = (*site.config.paginate.get_ref()).max(1);
    let pages = site.improvements.len().div_ceil(per).max(1);
    for n in 1..=pages {
        jobs.push(page(
            r.list_page(n),
            "improvements.html",
            Input::ImprovementsPage { number: n },
        ));
    }
    for (i, e) in site.entries.iter().enumerate() {
        let template = match e.kind {
            Kind::Improvement => "improvement.html",
            Kind::Milestone => "milestone.html",
            Kind::Recognition => "recognition.html",
            Kind::Page => "page.html",
            Kind::Announcement => continue,
        };
        jobs.push(page(r.entry(&e.path), template, Input::Entry(i)));
    }
    jobs.push(page(r.section("roadmap"), "roadmap.html", Input::Site));
    for (i, t) in site.teams.iter().enumerate() {
        jobs.push(page(
            r.team_roadmap(&t.slug),
            "roadmap.html",
            Input::RoadmapTeam(i),
        ));
    }
    jobs.push(page(r.review(), "review.html", Input::Site));
    jobs.push(page(r.section("metrics"), "metrics.html", Input::Site));
    jobs.push(page(r.section("teams"), "teams.html", Input::Site));
    for (i, t) in site.teams.iter().enumerate() {
        jobs.push(page(r.team(&t.slug), "team.html", Input::Team(i)));
    }
    jobs.push(page(
        r.section("recognitions"),
        "recognitions.html",
        Input::Site,
    ));
    jobs.push(page(r.section("tags"), "tags.html", Input::Site));
    for (i, t) in site.tags.iter().enumerate() {
        jobs.push(page(r.tag(&t.slug), "tag.html", Input::Tag(i)));
    }
    for (i, screen) in lobby.screens.iter().enumerate() {
        jobs.push(page(screen.dir.clone(), "lobby.html", Input::Lobby(i)));
    }
    jobs.push(page(r.section("digest"), "digests.html", Input::Site));
    for (i, d) in site.months.iter().enumerate() {
        jobs.push(page(r.digest(&d.key), "digest.html", Input::Digest(i)));
        for (name, template) in [
            (r.digest_email(&d.key), "digest_email.html"),
            (r.digest_text(&d.key), "digest_email.txt"),
        ] {
            jobs.push(file(name.clone(), name, template, Input::Digest(i)));
        }
    }
    jobs.push(page(r.section("letter"), "letters.html", Input::Site));
    for (i, l) in site.quarters.iter().enumerate() {
        jobs.push(page(r.letter(&l.key), "letter.html", Input::Letter(i)));
    }
    jobs.push(page(r.section("search"), "search.html", Input::Site));
    jobs.push(file(r.not_found(), r.not_found(), "404.html", Input::Site));
    jobs
}

/// The templates of one build, ready to render: the Tera environment and what its `cached`
/// function has rendered so far ([`crate::render::cached`]).
pub struct Templates {
    tera: Arc<Tera>,
    fragments: Arc<crate::render::cached::Fragments>,
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
    view: &View,
    theme: &Theme,
    asset_hashes: HashMap<String, String>,
) -> Result<Templates, Diagnostics> {
    let mut tera = Tera::new();
    let fragments = Arc::new(crate::render::cached::Fragments::default());
    crate::render::cached::register(&mut tera, &fragments);
    tera.autoescape_on(vec![".html", ".xml", ".htm", ".svg"]);
    functions::register_url_functions(&mut tera, site, asset_hashes);
    functions::register_link_function(&mut tera, site);
    functions::register_format_filters(&mut tera, &site.i18n);
    let words = functions::register_translation(&mut tera, &site.i18n);
    functions::register_address_filters(&mut tera, site);
    add_templates(&mut tera, theme)?;
    check_needed_templates(&tera, site)?;
    set_globals(&mut tera, site, view);
    tera.global_context()
        .insert_value("languages", languages_value(site, theme));
    // Every message of the translation table as `t(key=…)` with no values gives it in HTML, by
    // id: `i18n["nav.home"]` reads one without the cost of a call to `t`, which each page
    // makes dozens of times (components, which see no globals, call `t`). Not `words`: the
    // quick rebuild's dependency analysis would read that as every entry's word count.
    tera.global_context()
        .insert_value("i18n", Value::from(words));
    tera.global_context().insert_value(
        "main_language",
        Value::from(
            site.config
                .main_language
                .as_deref()
                .unwrap_or(&site.config.language),
        ),
    );
    Ok(Templates {
        tera: Arc::new(tera),
        fragments,
    })
}

/// Adds every template of the theme, by name; when any fails, reports each template with a
/// syntax error (or the one error, when none has).
fn add_templates(tera: &mut Tera, theme: &Theme) -> Result<(), Diagnostics> {
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
    Ok(())
}

/// Checks that the theme has every template a build renders; the first missing one is the
/// error.
fn check_needed_templates(tera: &Tera, site: &Site) -> Result<(), Diagnostics> {
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
    Ok(())
}

/// Puts the shared model in the global context: `site`, `config`, `today` and `herald` (its
/// version).
fn set_globals(tera: &mut Tera, site: &Site, view: &View) {
    let g = tera.global_context();
    g.insert_value("site", view.site_value.clone());
    g.insert_value("config", view.config_value.clone());
    g.insert_value("today", Value::from(site.today.to_string()));
    g.insert_value(
        "herald",
        Obj::new().set("version", env!("CARGO_PKG_VERSION")).build(),
    );
}

/// The portal's languages, for the links between translations: each with its `code`, its
/// own `name`, the `url` and `permalink` of its home (a page's translation is that plus the
/// page's `current_path`), and whether it is the `current` one and the `main` one. Empty for a
/// portal in one language.
fn languages_value(site: &Site, theme: &Theme) -> Value {
    let config = &site.config;
    if config.languages.is_empty() {
        return Value::from(Vec::<Value>::new());
    }
    let main = config.main_language.as_deref().unwrap_or(&config.language);
    let mut out = Vec::new();
    let codes = std::iter::once((main, None)).chain(
        config
            .languages
            .keys()
            .map(|c| (c.as_str(), Some(c.as_str()))),
    );
    for (code, prefix) in codes {
        out.push(
            Obj::new()
                .set("code", code)
                .set("name", crate::i18n::language_name(code, &theme.i18n))
                .set("url", site.routes.url_in(prefix, ""))
                .set("permalink", site.routes.permalink_in(prefix, ""))
                .set(
                    "current",
                    crate::load::config::same_language(code, &config.language),
                )
                .set("main", prefix.is_none())
                .build(),
        );
    }
    Value::from(out)
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

/// Renders one job to bytes.
pub fn render_job(
    templates: &Templates,
    theme: &Theme,
    site: &Site,
    view: &View,
    lobby: &crate::view::lobby::Lobby,
    job: &Job,
) -> Result<Vec<u8>, Diagnostic> {
    let mut ctx = Context::new();
    ctx.insert_value("current_path", Value::from(job.current_path.as_str()));
    ctx.insert_value(
        "current_url",
        Value::from(site.routes.url(&job.current_path)),
    );
    match &job.input {
        Input::Site => {}
        Input::Entry(i) => ctx.insert_value("page", view.values[*i].clone()),
        Input::ImprovementsPage { number } => {
            ctx.insert_value("paginator", paginator(site, &view.values, *number))
        }
        Input::Team(i) => ctx.insert_value("team", view.team_values[*i].clone()),
        Input::Tag(i) => ctx.insert_value("tag", view.tag_values[*i].clone()),
        Input::RoadmapTeam(i) => ctx.insert_value("filter_team", view.team_values[*i].clone()),
        Input::Digest(i) => ctx.insert_value("digest", view.digests[*i].clone()),
        Input::Letter(i) => ctx.insert_value("letter", view.letters[*i].clone()),
        Input::Lobby(i) => {
            let s = &lobby.screens[*i];
            ctx.insert_value(
                "lobby",
                Obj::new()
                    .set("screen", s.name.as_str())
                    .set(
                        "data",
                        Value::safe_string(&crate::util::escape::script_safe(&s.json)),
                    )
                    .set("version", s.version.as_str())
                    .build(),
            );
        }
    }
    let mut out = Vec::with_capacity(16 * 1024);
    let _rendering = crate::render::cached::Rendering::enter(&templates.tera);
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
    view: &View,
    lobby: &crate::view::lobby::Lobby,
    jobs: &[Job],
    write: &(dyn Fn(&str, &[u8]) -> std::io::Result<()> + Sync),
) -> Diagnostics {
    let per_template = crate::util::timings::PerKey::new();
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
            let r = render_job(templates, theme, site, view, lobby, job);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_from_line_and_column() {
        assert_eq!(offset_of("ab\ncd\n", 2, 1), 4);
        assert_eq!(offset_of("ab\ncd", 1, 0), 0);
    }
}
