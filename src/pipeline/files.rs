//! The files a build writes besides its pages: the theme's static files, the entries' copied
//! files, the sitemap and the list's redirect, the feeds, the search index, and each lobby
//! screen's data, version and images.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use super::prepare::Prepared;
use crate::diagnostics::{Diagnostic, Diagnostics, display_path};
use crate::load::theme;
use crate::output::{self, feeds};
use crate::routes::Routes;
use crate::search;
use crate::util::timings;
use crate::view::lobby;

/// The files besides pages, statics and copies: the sitemap, the redirect from page 1 of the
/// improvements, each lobby screen's data and version, and the pages that send a screen for a
/// further language to its folder.
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
                &site.i18n,
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
    for (dir, to) in lobby::redirects(site) {
        extra.push((
            site.routes.page_file(&dir),
            crate::output::sitemap::redirect_page(&to, &site.config.language, &site.i18n)
                .into_bytes(),
        ));
    }
    extra
}

/// A lobby screen's data and the version file its page polls.
pub(crate) fn lobby_files(screen: &lobby::ScreenData, app: &str) -> [(String, Vec<u8>); 2] {
    let version = serde_json::json!({ "version": screen.version, "app": app });
    [
        (
            Routes::lobby_data(&screen.dir),
            screen.json.clone().into_bytes(),
        ),
        (
            Routes::lobby_version(&screen.dir),
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

/// Makes the files besides pages ([`extra_files`], lobby images) and writes them with the
/// theme's static files and the entries' copied files: the problems, and how many extra files
/// there are.
pub(super) fn other_files(
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
    // A further language's files go under its folder; the static files are the main
    // language's, which every language links.
    let prefix = p.site.routes.prefix();
    let statics: &[(&String, &theme::StaticSource)] = &if prefix.is_empty() {
        p.theme.statics.iter().collect::<Vec<_>>()
    } else {
        Vec::new()
    };
    let Some(s) = staging else {
        files.fetch_add(statics.len() + p.site.copies.len(), Ordering::Relaxed);
        return (diags, extra_count);
    };
    fn under<'a>(prefix: &str, rel: &'a str) -> std::borrow::Cow<'a, str> {
        if prefix.is_empty() {
            rel.into()
        } else {
            format!("{prefix}{rel}").into()
        }
    }
    let statics = statics.par_iter().filter_map(|(rel, src)| {
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
        s.copy(src, &under(prefix, rel))
            .err()
            .map(|e| Diagnostic::io(display_path(root, src), format!("cannot copy: {e}")))
    });
    let written = extra.par_iter().filter_map(|(rel, bytes)| {
        s.write(&under(prefix, rel), bytes)
            .err()
            .map(|e| Diagnostic::io(rel.as_str(), format!("cannot write: {e}")))
    });
    let problems: Vec<Diagnostic> = statics.chain(copies).chain(written).collect();
    for d in problems {
        diags.push(d);
    }
    (diags, extra_count)
}
