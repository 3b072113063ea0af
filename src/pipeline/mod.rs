//! One build, start to end: [`build`] reads the sources and makes the model and the view
//! ([`prepare`]), renders every page beside the other files ([`files`]) into a staging folder,
//! and swaps it in whole ([`crate::output`]). `herald check` runs the same and writes nothing;
//! `serve` keeps what [`prepare`] made between rebuilds.

pub mod files;
pub mod prepare;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use jiff::civil::Date;

use crate::diagnostics::{Diagnostic, Diagnostics, Outcome, display_path};
use crate::load::content;
use crate::output;
use crate::render;
use crate::util::timings;
use prepare::{Prepared, prepare};

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
    /// Unsaved texts read in place of the content files at the same paths, or as new files
    /// where there is none: the studio checks and previews an edit before it is saved.
    pub overlay: Option<std::sync::Arc<crate::load::content::Overlay>>,
    /// The further language to build (a code of site.toml's `[languages]`); `None`: the main.
    pub language: Option<String>,
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
            overlay: None,
            language: None,
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
    let mut t = timings::Timer::new();
    let mut pages = write_language(&p, opts, staging.as_ref(), &files, &mut diags);
    t.mark("render and write pages; feeds, search index, sitemap, lobby data, other files");
    if diags.has_errors() {
        return Err(diags);
    }
    // Each further language is a site of its own under its folder, built after the main one
    // so that only one model is in memory at a time. What it repeats of the main language's
    // problems (an untranslated file's warnings) is said once.
    let codes: Vec<String> = if opts.language.is_none() {
        p.site.config.languages.keys().cloned().collect()
    } else {
        Vec::new()
    };
    if !codes.is_empty() {
        let seen: std::collections::HashSet<String> =
            diags.sorted().iter().map(|d| d.short()).collect();
        for code in codes {
            let o = BuildOptions {
                language: Some(code),
                ..opts.clone()
            };
            let (q, mut found) = match prepare(&o, None) {
                Ok(mut q) => {
                    let d = std::mem::take(&mut q.diags);
                    (Some(q), d)
                }
                Err(d) => (None, d),
            };
            if let Some(q) = &q {
                pages += write_language(q, &o, staging.as_ref(), &files, &mut found);
            }
            for d in found.sorted() {
                if !seen.contains(&d.short()) {
                    diags.push(d.clone());
                }
            }
            if diags.has_errors() || q.is_none() {
                return Err(diags);
            }
        }
        t.mark("further languages");
    }
    let file_count = files.load(Ordering::Relaxed) - 1;
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

/// Renders and writes one language's pages and files into `staging` (a further language's
/// under its folder; the theme's static files only once, with the main language); returns
/// the number of pages. Problems go to `diags`.
fn write_language(
    p: &Prepared,
    opts: &BuildOptions,
    staging: Option<&output::Staging>,
    files: &AtomicUsize,
    diags: &mut Diagnostics,
) -> usize {
    let prefix = p.site.routes.prefix();
    let write = |rel: &str, bytes: &[u8]| -> std::io::Result<()> {
        match staging {
            Some(s) if prefix.is_empty() => s.write(rel, bytes),
            Some(s) => s.write(&format!("{prefix}{rel}"), bytes),
            None => Ok(()),
        }
    };
    // The search index, feeds and every other file are made and written beside the pages: much
    // of the index is one thread's work, and the pages keep the other core busy meanwhile.
    let (render_diags, (other_diags, extra_count)) = rayon::join(
        || {
            render::render_all(
                &p.tera, &p.theme, &p.site, &p.view, &p.lobby, &p.jobs, &write,
            )
        },
        || files::other_files(p, &opts.root, opts.write, staging, files),
    );
    diags.extend(render_diags);
    diags.extend(other_diags);
    files.fetch_add(extra_count, Ordering::Relaxed);
    p.jobs.len() + 1
}

impl Prepared {
    /// The report of a build that wrote `pages` and `files`.
    pub(crate) fn report(mut self, pages: usize, files: usize, started: Instant) -> BuildReport {
        let warnings = std::mem::take(&mut self.diags);
        let report = self.report_kept(pages, files, started, warnings);
        let Prepared {
            site,
            view,
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
        std::thread::spawn(move || drop((site, view, theme, tera, lobby, jobs, output, diags)));
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

/// Refuses output folders whose replacement would destroy the site's sources.
pub(crate) fn check_output_location(root: &Path, output: &Path, diags: &mut Diagnostics) {
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
