//! A whole build from arbitrary files. The input is a list of files, each a header line
//! `%%% PATH` followed by its bytes up to the next header:
//!
//! ```text
//! %%% improvements/faster-refunds.md
//! +++
//! title = "Faster refunds"
//! ...
//! %%% data/metrics.toml
//! [[metric]]
//! ```
//!
//! A PATH is under `content/`, except `data/...` (metrics) and `site.toml`, whose text replaces
//! the minimal valid site.toml used otherwise (several `site.toml` records are joined). Paths
//! are tidied so they stay inside the site (no `..`, at most three parts of 60 bytes, at most 12
//! files). The site is written to a folder on
//! tmpfs when there is one and built with `herald::build` as `herald build --today 2026-02-01`
//! would; it must return Ok or Err(diagnostics), never panic.

#![no_main]

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use herald::BuildOptions;
use libfuzzer_sys::fuzz_target;

/// The integration tests' minimal site.toml (tests/support/mod.rs), with a team list so that
/// the team checks run; shared by the targets.
const SITE_TOML: &str = include_str!("../site.toml");

const MAX_FILES: usize = 12;

/// `$HERALD_FUZZ_DIR` (run.sh sets it, and removes it afterwards), else a folder on tmpfs.
static ROOT: LazyLock<PathBuf> = LazyLock::new(|| {
    if let Some(dir) = std::env::var_os("HERALD_FUZZ_DIR") {
        let root = PathBuf::from(dir).join(format!("site-{}", std::process::id()));
        std::fs::create_dir_all(&root).expect("create the fuzz site folder");
        return root;
    }
    let base = if Path::new("/dev/shm").is_dir() {
        PathBuf::from("/dev/shm")
    } else {
        std::env::temp_dir()
    };
    let root = base.join(format!("herald-fuzz-site-{}", std::process::id()));
    std::fs::create_dir_all(&root).expect("create the fuzz site folder");
    root
});

/// Splits the input into (path, bytes) records.
fn records(data: &[u8]) -> Vec<(String, &[u8])> {
    const HEADER: &[u8] = b"%%% ";
    let mut out = Vec::new();
    let mut starts: Vec<usize> = Vec::new();
    let mut i = 0;
    while i + HEADER.len() <= data.len() {
        if (i == 0 || data[i - 1] == b'\n') && data[i..].starts_with(HEADER) {
            starts.push(i);
        }
        i += 1;
    }
    for (n, &s) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(data.len());
        let rec = &data[s + HEADER.len()..end];
        let (path, body) = match rec.iter().position(|&b| b == b'\n') {
            Some(nl) => (&rec[..nl], &rec[nl + 1..]),
            None => (rec, &rec[rec.len()..]),
        };
        out.push((String::from_utf8_lossy(path).into_owned(), body));
        if out.len() == MAX_FILES {
            break;
        }
    }
    out
}

/// A path inside the site for a record's PATH, or None to skip it.
fn tidy(path: &str) -> Option<PathBuf> {
    let parts: Vec<String> = path
        .trim()
        .split(['/', '\\'])
        .filter(|p| !p.is_empty() && *p != "." && *p != "..")
        .take(3)
        .map(|p| {
            let mut p: String = p.chars().filter(|c| *c != '\0').collect();
            while p.len() > 60 {
                p.pop();
            }
            p
        })
        .filter(|p| !p.is_empty())
        .collect();
    let first = parts.first()?;
    let mut out = PathBuf::new();
    if first != "data" {
        out.push("content");
    }
    for p in &parts {
        out.push(p);
    }
    Some(out)
}

fn reset(root: &Path) {
    for dir in ["content", "data", "public", "static", "themes"] {
        let _ = std::fs::remove_dir_all(root.join(dir));
    }
    std::fs::create_dir_all(root.join("content")).expect("mkdir content");
}

fuzz_target!(|data: &[u8]| {
    let root = &*ROOT;
    reset(root);
    let mut site_toml: Option<Vec<u8>> = None;
    for (path, bytes) in records(data) {
        if path.trim() == "site.toml" {
            site_toml
                .get_or_insert_with(Vec::new)
                .extend_from_slice(bytes);
            continue;
        }
        let Some(rel) = tidy(&path) else { continue };
        let file = root.join(rel);
        if let Some(parent) = file.parent()
            && std::fs::create_dir_all(parent).is_ok()
        {
            // A path already taken by a folder (or a file where a folder is needed) is skipped.
            let _ = std::fs::write(&file, bytes);
        }
    }
    let site_toml = site_toml.unwrap_or_else(|| SITE_TOML.as_bytes().to_vec());
    std::fs::write(root.join("site.toml"), site_toml).expect("write site.toml");

    let opts = BuildOptions {
        today: Some(jiff::civil::date(2026, 2, 1)),
        ..BuildOptions::new(root.clone())
    };
    match herald::build(&opts) {
        Ok(report) => {
            let _ = report.warnings.render(false);
        }
        Err(diags) => {
            assert!(
                diags.has_errors(),
                "a failed build must say why:\n{}",
                diags.render(false)
            );
            let _ = diags.render(true);
        }
    }
});
