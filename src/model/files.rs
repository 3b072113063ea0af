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
        for (file, span) in &r.local_files {
            let decoded = percent_decode(file);
            let src = dir.join(&decoded);
            if decoded.contains("..") || !src.is_file() {
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
                    false,
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
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
