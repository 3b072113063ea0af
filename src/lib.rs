//! herald: a static-site generator for customer-communication portals.
//!
//! The engine is one pipeline with one direction of flow:
//! files → validated model ([`config`], [`content`], [`model`]) → rendered pages ([`render`],
//! with [`markdown`] and [`theme`]) → staged output → swap ([`output`]).
//! [`build`] runs it; [`scaffold`] makes new portals and files. The `herald` binary is a thin
//! command line over these functions.

pub mod charts;
pub mod config;
pub mod content;
pub mod data;
pub mod diagnostics;
pub mod frontmatter;
pub mod lobby;
pub mod markdown;
pub mod model;
pub mod output;
pub mod render;
pub mod roadmap;
pub mod scaffold;
pub mod serve;
pub mod theme;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use jiff::civil::Date;
use rayon::prelude::*;

use crate::config::{BaseUrl, Config};
use crate::diagnostics::{Diagnostic, Diagnostics, display_path};

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

/// Loads, validates, renders and (unless `check`) writes the site. On any error nothing is
/// written and the previous output is left as it was; every error found is returned.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let started = Instant::now();
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
    let Some(base) = BaseUrl::parse(&base_text) else {
        diags.push(
            Diagnostic::error(
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
    let (site_data, data_diags) = data::load(root);
    diags.extend(data_diags);
    let theme = match theme {
        Ok(t) => Some(t),
        Err(d) => {
            diags.extend(d);
            None
        }
    };
    let site = model::Site::build(root, config, base, today, content, site_data, &mut diags);
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
                    .map(|b| render::short_hash(&b))
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
            Err(e) => diags.push(Diagnostic::error(
                format!("static/{rel}"),
                format!("cannot read: {e}"),
            )),
        }
    }
    let app = lobby_app_hash(&theme);
    let lobby = lobby::build(&site, &app);
    let tera = match render::environment(&site, &theme, asset_hashes) {
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
    let staging = if opts.write {
        match output::Staging::new(&output) {
            Ok(s) => Some(s),
            Err(e) => {
                diags.push(Diagnostic::error(
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
    let render_diags = render::render_all(&tera, &theme, &site, &lobby, &jobs, &write);
    diags.extend(render_diags);
    if diags.has_errors() {
        return Err(diags);
    }

    // Everything but the pages: the redirect from page 1, the sitemap, static files, bundle files.
    let mut extra: Vec<(String, Vec<u8>)> = vec![
        (
            "sitemap.xml".into(),
            render::sitemap(&site, &jobs).into_bytes(),
        ),
        (
            "improvements/page/1/index.html".into(),
            render::redirect_page(&site.url("improvements/"), &site.config.language).into_bytes(),
        ),
    ];
    for screen in &lobby.screens {
        extra.push((
            format!("{}data.json", screen.dir),
            screen.json.clone().into_bytes(),
        ));
        let version = serde_json::json!({ "version": screen.version, "app": app });
        extra.push((
            format!("{}version.json", screen.dir),
            version.to_string().into_bytes(),
        ));
    }
    let images: Vec<(String, Result<Vec<u8>, String>, PathBuf)> = if opts.write {
        lobby
            .images
            .par_iter()
            .map(|img| {
                (
                    img.output.clone(),
                    lobby::process_image(&img.source, &img.output),
                    img.source.clone(),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    for (rel, bytes, source) in images {
        match bytes {
            Ok(b) => extra.push((rel, b)),
            Err(e) => diags.push(
                Diagnostic::error(
                    display_path(root, &source),
                    format!("cannot prepare this image for the lobby: {e}"),
                )
                .with_hint("save it as a JPEG, PNG, WebP, GIF or SVG file"),
            ),
        }
    }
    let extra_files = extra.len();
    if let Some(s) = &staging {
        let statics: Vec<Diagnostic> = theme
            .statics
            .par_iter()
            .filter_map(|(rel, src)| {
                let r = match src {
                    theme::StaticSource::File(p) => s.copy(p, rel),
                    theme::StaticSource::Embedded(b) => s.write(rel, b),
                };
                files.fetch_add(1, Ordering::Relaxed);
                r.err().map(|e| {
                    Diagnostic::error(format!("static/{rel}"), format!("cannot copy: {e}"))
                })
            })
            .collect();
        let copies: Vec<Diagnostic> = site
            .copies
            .par_iter()
            .filter_map(|(src, rel)| {
                files.fetch_add(1, Ordering::Relaxed);
                s.copy(src, rel).err().map(|e| {
                    Diagnostic::error(display_path(root, src), format!("cannot copy: {e}"))
                })
            })
            .collect();
        for (rel, bytes) in &extra {
            if let Err(e) = s.write(rel, bytes) {
                diags.push(Diagnostic::error(
                    rel.as_str(),
                    format!("cannot write: {e}"),
                ));
            }
        }
        for d in statics.into_iter().chain(copies) {
            diags.push(d);
        }
    } else {
        files.fetch_add(theme.statics.len() + site.copies.len(), Ordering::Relaxed);
    }
    let pages = jobs.len() + 1;
    let file_count = files.load(Ordering::Relaxed) + extra_files - 1;
    if diags.has_errors() {
        return Err(diags);
    }
    if let Some(s) = staging
        && let Err(e) = s.commit()
    {
        diags.push(Diagnostic::error(
            display_path(root, &output),
            format!("cannot replace the output folder: {e}"),
        ));
        return Err(diags);
    }
    let count = |k: content::Kind| site.entries.iter().filter(|e| e.kind == k).count();
    Ok(BuildReport {
        pages,
        files: file_count,
        elapsed: started.elapsed(),
        output,
        warnings: diags,
        base_path: site.base.path.clone(),
        entries: [
            count(content::Kind::Improvement),
            count(content::Kind::Milestone),
            count(content::Kind::Recognition),
            count(content::Kind::Page),
        ],
    })
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
    render::short_hash(&bytes)
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
            Diagnostic::error(
                display_path(root, output),
                "the output folder would replace the site's own files",
            )
            .with_hint("build into a folder of its own, such as --output public"),
        );
    }
}
