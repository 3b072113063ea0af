//! Helpers the benchmarks share: the machine line of a report, numbers from the environment, and
//! the exit status.

use std::error::Error;
use std::fmt::Display;
use std::process::ExitCode;

/// A benchmark's exit status: success when its checks held, failure when one did not or it
/// could not run (the error is printed).
pub(crate) fn exit_code(result: Result<bool, impl Display>) -> ExitCode {
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The number of CPUs and the CPU model, from /proc/cpuinfo where there is one.
pub(crate) fn machine() -> String {
    let cpus = std::thread::available_parallelism().map_or(0, usize::from);
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".to_string());
    format!("{cpus} CPUs (nproc), {model}, {}", std::env::consts::OS)
}

/// A whole number from the environment variable `name`, or `default` when it is not set.
pub(crate) fn env_number(name: &str, default: u64) -> Result<u64, Box<dyn Error>> {
    match std::env::var(name) {
        Ok(v) => number(&v).ok_or_else(|| format!("{name}={v:?} is not a whole number").into()),
        Err(_) => Ok(default),
    }
}

/// A whole number, allowing `_` and `,` between digits (`100_000`, `10,000`).
pub(crate) fn number(text: &str) -> Option<u64> {
    let digits: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, '_' | ','))
        .collect();
    digits.parse().ok()
}
