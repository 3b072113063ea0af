//! `herald serve` under load: `cargo bench --bench load` copies the example portal into a temp
//! folder, starts the release binary's `serve` on a loopback port, and runs keep-alive clients
//! against the entry page and the lists, feed and sitemap that show it, while another thread
//! rewrites that entry every 200 ms. It prints requests, errors, statuses and latency
//! percentiles, and fails if any response was an error, not 200, cut short, or mixed two
//! versions of the entry (see `benches/common/load.rs`).
//!
//! Environment: `HERALD_LOAD_SECONDS` (default 30), `HERALD_LOAD_CLIENTS` (default 8),
//! `HERALD_LOAD_EDIT_MS` (default 200). See BENCHMARKS.md.

mod common;
#[path = "common/load.rs"]
mod load;

use common::{env_number, machine};
use std::error::Error;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

fn main() -> ExitCode {
    common::exit_code(run())
}

fn copy(from: &Path, to: &Path) -> Result<(), Box<dyn Error>> {
    for e in walkdir::WalkDir::new(from) {
        let e = e?;
        let target = to.join(e.path().strip_prefix(from)?);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target)?;
        } else {
            std::fs::copy(e.path(), &target)?;
        }
    }
    Ok(())
}

fn run() -> Result<bool, Box<dyn Error>> {
    let seconds = env_number("HERALD_LOAD_SECONDS", 30)?;
    let clients = env_number("HERALD_LOAD_CLIENTS", 8)? as usize;
    let edit_ms = env_number("HERALD_LOAD_EDIT_MS", 200)?;
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir()?;
    let site = tmp.path();
    std::fs::copy(repo.join("site.toml"), site.join("site.toml"))?;
    copy(&repo.join("content"), &site.join("content"))?;
    copy(&repo.join("data"), &site.join("data"))?;
    std::fs::write(site.join(load::EDITED), load::edited_text(1_000))?;

    println!("herald serve under load: {}", machine());
    println!(
        "{clients} keep-alive clients for {seconds} s on loopback, the example portal, one entry \
         rewritten every {edit_ms} ms"
    );
    let served = load::serve(Path::new(env!("CARGO_BIN_EXE_herald")), site, "2026-11-23")?;
    let report = load::run(
        served.port,
        site,
        &load::paths(),
        clients.max(1),
        Duration::from_secs(seconds),
        Duration::from_millis(edit_ms.max(10)),
    );
    println!("{}", report.summary());
    for r in &report.reasons {
        println!("  error: {r}");
    }
    Ok(report.errors == 0 && report.statuses.keys().all(|&s| s == 200))
}
