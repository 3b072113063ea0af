//! The files an entry publishes beside its page (a page bundle's files, its image, files its
//! Markdown links to), and the problems its rendered Markdown reported, with their lines.

use std::path::Path;

use super::Copy;
use super::markdown::Rendered;
use crate::diagnostics::{Diagnostics, display_path};
use crate::load::content::Entry;
use crate::routes::Routes;

/// Reports each entry's Markdown problems into `diags` and lists the files to publish, sorted by
/// their path in the output, each once.
pub(super) fn copies_and_problems(
    root: &Path,
    routes: &Routes,
    entries: &[Entry],
    rendered: &[Rendered],
    diags: &mut Diagnostics,
) -> Vec<Copy> {
    let mut copies: Vec<Copy> = Vec::new();
    // Where a linked file may really be, symlinks followed: inside the site's folder.
    let real_root = root.canonicalize().ok();
    for (e, r) in entries.iter().zip(rendered) {
        for p in &r.problems {
            diags.push(e.body_error_at(
                p.span.clone(),
                p.message.clone(),
                p.hint.clone(),
                p.warning,
            ));
        }
        let dir = e.file.parent().unwrap_or(root);
        // Markdown's links and images must exist; raw HTML's are only warned about.
        let markdown = r.local_files.iter().map(|(f, s)| (f, s, false));
        let html = r.html_files.iter().map(|(f, s)| (f, s, true));
        for (file, span, warning) in markdown.chain(html) {
            let decoded = percent_decode(file);
            let src = dir.join(&decoded);
            // A name that climbs out or, decoded, is absolute (`%2Fetc%2Fpasswd`: joined, it
            // replaces the folder), or a file that a symlink leads out of the site, would
            // publish any file the build machine can read.
            let beside = !decoded.contains("..")
                && !decoded.contains(['\\', ':', '\0'])
                && !Path::new(&decoded).has_root()
                && src.is_file()
                && src
                    .canonicalize()
                    .is_ok_and(|real| real_root.as_ref().is_some_and(|r| real.starts_with(r)));
            if !beside {
                let folder = display_path(root, dir);
                let hint = if e.bundle.is_some() {
                    format!(
                        "put the file in the page bundle folder {} (next to index.md), or link to a page with @/SECTION/FILE.md",
                        folder.display()
                    )
                } else {
                    format!(
                        "put the file in {} next to this file, or link to a page with @/SECTION/FILE.md",
                        folder.display()
                    )
                };
                diags.push(e.body_error_at(
                    span.clone(),
                    format!("{file:?} does not exist beside this file"),
                    hint,
                    warning,
                ));
            } else if e.bundle.is_none() {
                copies.push((src, routes.entry_file(&e.path, &decoded)));
            }
        }
        if let Some(b) = &e.bundle {
            for item in walkdir::WalkDir::new(b)
                .sort_by_file_name()
                .into_iter()
                .filter_map(Result::ok)
            {
                let p = item.path();
                if !item.file_type().is_file() || p.extension().is_some_and(|x| x == "md") {
                    continue;
                }
                if p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
                {
                    continue;
                }
                if let Ok(rel) = p.strip_prefix(b) {
                    copies.push((
                        p.to_path_buf(),
                        routes.entry_file(&e.path, &rel.to_string_lossy().replace('\\', "/")),
                    ));
                }
            }
        }
        if let Some(img) = &e.image
            && e.bundle.is_none()
            && !img.starts_with(root.join("static"))
            && let Some(name) = img.file_name()
        {
            copies.push((
                img.clone(),
                routes.entry_file(&e.path, &name.to_string_lossy()),
            ));
        }
    }
    copies.sort_by(|a, b| a.1.cmp(&b.1));
    copies.dedup_by(|a, b| a.1 == b.1);
    copies
}

fn percent_decode(s: &str) -> String {
    // By bytes: `%aé` is no escape, and slicing the text after `%` could cut `é` in two.
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}
