//! herald: a static-site generator for customer-communication portals.
//!
//! The engine is one pipeline with one direction of flow:
//! files → validated model ([`config`], [`content`], [`model`]) → rendered pages ([`render`],
//! with [`markdown`] and [`theme`]) → staged output → swap ([`output`]).
//! [`build`] runs it; [`scaffold`] makes new portals and files. The `herald` binary is a thin
//! command line over these functions.

pub mod diagnostics;
pub mod load;
pub mod model;
pub mod output;
pub mod render;
pub mod routes;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod util;
pub mod view;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use jiff::civil::Date;
use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics, Outcome, display_path};
use crate::load::config::{BaseUrl, Config};
use crate::load::{content, theme};
use crate::output::feeds;
use crate::util::timings;
use crate::view::lobby;

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The folder holding `site.toml`.
    pub root: PathBuf,
    /// The output folder; relative paths are under `root`. Default `public`.
    pub output: Option<PathBuf>,
    /// Replaces `base_url` from site.toml (e.g. for a staging server).
    pub base_url: Option<String>,
    /// Build drafts too.
    pub drafts: bool,
    /// What "today" is; else `SOURCE_DATE_EPOCH`, else the clock, in the site's time zone.
    pub today: Option<Date>,
    /// Write the output (false for `herald check`).
    pub write: bool,
}

impl BuildOptions {
    /// Options for a normal build of the site at `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            output: None,
            base_url: None,
            drafts: false,
            today: None,
            write: true,
        }
    }

    /// The output folder, resolved against the root.
    pub fn output_dir(&self) -> PathBuf {
        let out = self
            .output
            .clone()
            .unwrap_or_else(|| PathBuf::from("public"));
        if out.is_absolute() {
            out
        } else {
            self.root.join(out)
        }
    }
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    /// HTML pages written (or rendered, for `check`).
    pub pages: usize,
    /// Other files written (assets, bundle files, sitemap).
    pub files: usize,
    /// Wall time.
    pub elapsed: Duration,
    /// Where it went.
    pub output: PathBuf,
    /// Warnings, which do not fail the build.
    pub warnings: Diagnostics,
    /// Content entries built, by kind: improvements, milestones, recognitions, pages.
    pub entries: [usize; 4],
    /// The sub-path the site is published under (`/customers/`).
    pub base_path: String,
}

/// Everything a build knows before it writes: the model, the theme and its templates, the
/// lobby screens and the page plan. Full builds and `serve`'s incremental rebuilds share it.
pub(crate) struct Prepared {
    pub(crate) site: model::Site,
    pub(crate) view: view::View,
    pub(crate) theme: theme::Theme,
    pub(crate) tera: render::Templates,
    pub(crate) lobby: lobby::Lobby,
    pub(crate) jobs: Vec<render::Job>,
    pub(crate) app: String,
    pub(crate) asset_hashes: HashMap<String, String>,
    pub(crate) output: PathBuf,
    pub(crate) diags: Diagnostics,
}

/// Loads and validates everything and plans the pages; renders nothing. `cache` holds Markdown
/// rendered by an earlier run and is updated; a one-off build passes `None`.
pub(crate) fn prepare(
    opts: &BuildOptions,
    cache: Option<&mut model::MarkdownCache>,
) -> Result<Prepared, Diagnostics> {
    let mut t = timings::Timer::new();
    let root = &opts.root;
    let site_toml = root.join("site.toml");
    let (config, mut diags) = Config::load_lenient(&site_toml, &display_path(root, &site_toml));
    let Some(config) = config else {
        return Err(diags);
    };

    let base_text = opts
        .base_url
        .clone()
        .unwrap_or_else(|| config.base_url.get_ref().clone());
    let parsed = BaseUrl::parse(&base_text).or_else(|| {
        // site.toml's own value: its error, with the line, is already in `diags`; go on with a
        // stand-in so that every other error is found in the same run.
        opts.base_url
            .is_none()
            .then(|| BaseUrl::parse("https://invalid.invalid/"))
            .flatten()
    });
    let Some(base) = parsed else {
        diags.push(
            Diagnostic::usage(
                "--base-url",
                format!("{base_text:?} is not an http(s) address"),
            )
            .with_hint(
                "write the full address, e.g. --base-url https://staging.example.com/customers/",
            ),
        );
        return Err(diags);
    };
    let tz = config.tz();
    let today = match model::today(opts.today, &tz) {
        Ok(d) => d,
        Err(d) => {
            diags.push(d);
            return Err(diags);
        }
    };

    let output = opts.output_dir();
    if opts.write {
        check_output_location(root, &output, &mut diags);
    }

    let theme = theme::load(root, &config.theme);
    let (content, content_diags) = content::load(
        root,
        &config,
        content::LoadOptions {
            drafts: opts.drafts,
        },
    );
    diags.extend(content_diags);
    t.mark("load content");
    let (site_data, data_diags) = crate::load::metrics::load(root);
    diags.extend(data_diags);
    let theme = match theme {
        Ok(t) => Some(t),
        Err(d) => {
            diags.extend(d);
            None
        }
    };
    let site = model::Site::build(
        root, config, base, today, content, site_data, cache, &mut diags,
    );
    t.mark("model");
    let view = view::View::build(&site, root);
    t.mark("view");
    let Some(theme) = theme else {
        return Err(diags);
    };

    let hashes: Vec<(String, Result<String, String>)> = theme
        .statics
        .par_iter()
        .map(|(rel, src)| {
            (
                rel.clone(),
                src.read()
                    .map(|b| crate::util::hash::short_hash(&b))
                    .map_err(|e| e.to_string()),
            )
        })
        .collect();
    let mut asset_hashes = HashMap::new();
    for (rel, h) in hashes {
        match h {
            Ok(h) => {
                asset_hashes.insert(rel, h);
            }
            Err(e) => diags.push(Diagnostic::io(
                format!("static/{rel}"),
                format!("cannot read: {e}"),
            )),
        }
    }
    let app = lobby_app_hash(&theme);
    let (lobby, tera) = rayon::join(
        || lobby::build(&site, &app),
        || render::environment(&site, &view, &theme, asset_hashes.clone()),
    );
    let tera = match tera {
        Ok(t) => Some(t),
        Err(d) => {
            diags.extend(d);
            None
        }
    };
    if diags.has_errors() {
        return Err(diags);
    }
    let Some(tera) = tera else { return Err(diags) };
    let jobs = render::plan(&site, &lobby);
    t.mark("lobby, templates, plan");
    Ok(Prepared {
        site,
        view,
        theme,
        tera,
        lobby,
        jobs,
        app,
        asset_hashes,
        output,
        diags,
    })
}

/// The files besides pages, statics and copies: the sitemap, the redirect from page 1 of the
/// improvements, and each lobby screen's data and version.
pub(crate) fn extra_files(p: &Prepared, search: &mut search::Cache) -> Vec<(String, Vec<u8>)> {
    let site = &p.site;
    let mut extra: Vec<(String, Vec<u8>)> = vec![
        (
            site.routes.sitemap(),
            crate::output::sitemap::sitemap(site, &p.jobs).into_bytes(),
        ),
        (
            site.routes.page_file(&site.routes.list_page_one_alias()),
            crate::output::sitemap::redirect_page(
                &site.routes.url(&site.routes.list_page(1)),
                &site.config.language,
            )
            .into_bytes(),
        ),
    ];
    let mut t = timings::Timer::new();
    extra.extend(feeds::files(site));
    t.mark("  feeds");
    extra.extend(search::files(site, search));
    t.mark("  search index");
    for screen in &p.lobby.screens {
        extra.extend(lobby_files(screen, &p.app));
    }
    extra
}

/// A lobby screen's data and the version file its page polls.
pub(crate) fn lobby_files(screen: &lobby::ScreenData, app: &str) -> [(String, Vec<u8>); 2] {
    let version = serde_json::json!({ "version": screen.version, "app": app });
    [
        (
            crate::routes::Routes::lobby_data(&screen.dir),
            screen.json.clone().into_bytes(),
        ),
        (
            crate::routes::Routes::lobby_version(&screen.dir),
            version.to_string().into_bytes(),
        ),
    ]
}

/// Resizes one lobby image, reporting a failure against its source file.
pub(crate) fn lobby_image(root: &Path, img: &lobby::LobbyImage) -> Result<Vec<u8>, Diagnostic> {
    lobby::process_image(&img.source, &img.output).map_err(|e| {
        Diagnostic::error(
            display_path(root, &img.source),
            format!("cannot prepare this image for the lobby: {e}"),
        )
        .with_hint("save it as a JPEG, PNG, WebP, GIF or SVG file")
    })
}

impl Prepared {
    /// The report of a build that wrote `pages` and `files`.
    pub(crate) fn report(mut self, pages: usize, files: usize, started: Instant) -> BuildReport {
        let warnings = std::mem::take(&mut self.diags);
        let report = self.report_kept(pages, files, started, warnings);
        let Prepared {
            site,
            theme,
            tera,
            lobby,
            jobs,
            output,
            diags,
            ..
        } = self;
        // Freeing a large model takes a noticeable share of a build (a tenth of a second at
        // 10,000 entries); it happens beside the caller, and a command that exits skips it.
        std::thread::spawn(move || drop((site, theme, tera, lobby, jobs, output, diags)));
        report
    }

    /// The report of a build that wrote `pages` and `files`, keeping the model.
    pub(crate) fn report_kept(
        &self,
        pages: usize,
        files: usize,
        started: Instant,
        warnings: Diagnostics,
    ) -> BuildReport {
        let site = &self.site;
        let count = |k: content::Kind| site.entries.iter().filter(|e| e.kind == k).count();
        BuildReport {
            pages,
            files,
            elapsed: started.elapsed(),
            base_path: site.routes.base_path().to_string(),
            entries: [
                count(content::Kind::Improvement),
                count(content::Kind::Milestone),
                count(content::Kind::Recognition),
                count(content::Kind::Page),
            ],
            output: self.output.clone(),
            warnings,
        }
    }
}

/// Makes the files besides pages ([`extra_files`], lobby images) and writes them with the
/// theme's static files and the entries' copied files: the problems, and how many extra files
/// there are.
fn other_files(
    p: &Prepared,
    root: &Path,
    write: bool,
    staging: Option<&output::Staging>,
    files: &AtomicUsize,
) -> (Diagnostics, usize) {
    let mut diags = Diagnostics::new();
    let mut extra = extra_files(p, &mut search::Cache::default());
    if write {
        let images: Vec<(String, Result<Vec<u8>, Diagnostic>)> = p
            .lobby
            .images
            .par_iter()
            .map(|img| (img.output.clone(), lobby_image(root, img)))
            .collect();
        for (rel, bytes) in images {
            match bytes {
                Ok(b) => extra.push((rel, b)),
                Err(d) => diags.push(d),
            }
        }
    }
    let extra_count = extra.len();
    let Some(s) = staging else {
        files.fetch_add(
            p.theme.statics.len() + p.site.copies.len(),
            Ordering::Relaxed,
        );
        return (diags, extra_count);
    };
    let statics = p.theme.statics.par_iter().filter_map(|(rel, src)| {
        let r = match src {
            theme::StaticSource::File(path) => s.copy(path, rel),
            theme::StaticSource::Embedded(b) => s.write(rel, b),
        };
        files.fetch_add(1, Ordering::Relaxed);
        r.err()
            .map(|e| Diagnostic::io(format!("static/{rel}"), format!("cannot copy: {e}")))
    });
    let copies = p.site.copies.par_iter().filter_map(|(src, rel)| {
        files.fetch_add(1, Ordering::Relaxed);
        s.copy(src, rel)
            .err()
            .map(|e| Diagnostic::io(display_path(root, src), format!("cannot copy: {e}")))
    });
    let written = extra.par_iter().filter_map(|(rel, bytes)| {
        s.write(rel, bytes)
            .err()
            .map(|e| Diagnostic::io(rel.as_str(), format!("cannot write: {e}")))
    });
    let problems: Vec<Diagnostic> = statics.chain(copies).chain(written).collect();
    for d in problems {
        diags.push(d);
    }
    (diags, extra_count)
}

/// Loads, validates, renders and (unless `check`) writes the site. On any error nothing is
/// written and the previous output is left as it was; every error found is returned, with what
/// became of the output (none yet, kept, or never written by `check`) for the summary line.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let outcome = if !opts.write {
        Outcome::Checked
    } else if opts.output_dir().is_dir() {
        Outcome::Kept
    } else {
        Outcome::NotWritten
    };
    build_once(opts).map_err(|d| d.with_outcome(outcome))
}

fn build_once(opts: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let started = Instant::now();
    let root = &opts.root;
    let mut p = prepare(opts, None)?;
    let mut diags = std::mem::take(&mut p.diags);
    let output = p.output.clone();
    let staging = if opts.write {
        match output::Staging::new(&output) {
            Ok(s) => Some(s),
            Err(e) => {
                diags.push(Diagnostic::io(
                    display_path(root, &output),
                    format!("cannot prepare the output folder: {e}"),
                ));
                return Err(diags);
            }
        }
    } else {
        None
    };
    let files = AtomicUsize::new(0);
    let write = |rel: &str, bytes: &[u8]| -> std::io::Result<()> {
        match &staging {
            Some(s) => s.write(rel, bytes),
            None => Ok(()),
        }
    };
    let mut t = timings::Timer::new();
    // The search index, feeds and every other file are made and written beside the pages: much
    // of the index is one thread's work, and the pages keep the other core busy meanwhile.
    let (render_diags, (other_diags, extra_count)) = rayon::join(
        || {
            render::render_all(
                &p.tera, &p.theme, &p.site, &p.view, &p.lobby, &p.jobs, &write,
            )
        },
        || other_files(&p, root, opts.write, staging.as_ref(), &files),
    );
    diags.extend(render_diags);
    diags.extend(other_diags);
    t.mark("render and write pages; feeds, search index, sitemap, lobby data, other files");
    if diags.has_errors() {
        return Err(diags);
    }
    let pages = p.jobs.len() + 1;
    let file_count = files.load(Ordering::Relaxed) + extra_count - 1;
    if let Some(s) = staging
        && let Err(e) = s.commit()
    {
        diags.push(Diagnostic::io(
            display_path(root, &output),
            format!("cannot replace the output folder: {e}"),
        ));
        return Err(diags);
    }
    t.mark("swap");
    p.diags = diags;
    Ok(p.report(pages, file_count, started))
}

/// The hash of the lobby's code: when it changes, screens reload instead of swapping data.
fn lobby_app_hash(theme: &theme::Theme) -> String {
    let mut bytes = Vec::new();
    for name in ["lobby.html"] {
        if let Some(t) = theme.templates.get(name) {
            bytes.extend_from_slice(t.source.as_bytes());
        }
    }
    for name in ["lobby/lobby.js", "lobby/lobby.css"] {
        if let Some(Ok(b)) = theme.statics.get(name).map(theme::StaticSource::read) {
            bytes.extend_from_slice(&b);
        }
    }
    crate::util::hash::short_hash(&bytes)
}

/// Refuses output folders whose replacement would destroy the site's sources.
fn check_output_location(root: &Path, output: &Path, diags: &mut Diagnostics) {
    let canon = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let root_c = canon(root);
    let out_c = match (output.parent(), output.file_name()) {
        (Some(parent), Some(name)) => canon(parent).join(name),
        _ => canon(output),
    };
    let dangerous = root_c.starts_with(&out_c)
        || ["content", "themes", "static", "data", "src", ".git"]
            .iter()
            .any(|d| out_c.starts_with(root_c.join(d)));
    if dangerous {
        diags.push(
            Diagnostic::io(
                display_path(root, output),
                "the output folder would replace the site's own files",
            )
            .with_hint("build into a folder of its own, such as --output public"),
        );
    }
}
