//! `cargo run -p herald-corpus --release -- DIR [--entries N] [--seed S]`: writes a generated
//! portal of N entries (default 1,000) into DIR (new or empty), the one the benchmarks build.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut dir: Option<PathBuf> = None;
    let (mut entries, mut seed) = (1000usize, 1u64);
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let number = |v: Option<String>| v.and_then(|v| v.parse::<u64>().ok());
        match a.as_str() {
            "--entries" => match number(args.next()) {
                Some(n) => entries = n as usize,
                None => return usage("--entries needs a number"),
            },
            "--seed" => match number(args.next()) {
                Some(n) => seed = n,
                None => return usage("--seed needs a number"),
            },
            _ if dir.is_none() && !a.starts_with('-') => dir = Some(PathBuf::from(a)),
            _ => return usage(&format!("unexpected argument {a:?}")),
        }
    }
    let Some(dir) = dir else {
        return usage("say where to write the portal");
    };
    match herald_corpus::generate(&dir, entries, seed) {
        Ok(()) => {
            println!("Wrote {entries} entries to {}", dir.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("error: {problem}\nusage: herald-corpus DIR [--entries N] [--seed S]");
    ExitCode::from(2)
}
