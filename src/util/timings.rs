//! Phase timings for profiling: with `HERALD_TIMINGS=1` in the environment, a build prints to
//! standard error how long each phase took (wall and CPU time) and the memory in use after it.
//! Off, a phase mark costs one branch.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| {
        std::env::var_os("HERALD_TIMINGS").is_some_and(|v| v != "0" && !v.is_empty())
    })
}

/// Marks the ends of a build's phases.
pub struct Timer {
    start: Instant,
    last: Instant,
    last_cpu: f64,
    on: bool,
}

/// This process's CPU time (user and system, all threads) in milliseconds, where Linux says.
fn cpu_ms() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name, which is in parentheses: utime and stime are 12th and 13th.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<f64> = rest
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|x| x.parse().ok())
        .collect();
    f.iter().sum::<f64>() * 10.0
}

/// This process's resident memory now and at its peak, in MiB, where Linux says.
fn rss_mib() -> (f64, f64) {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return (0.0, 0.0);
    };
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

impl Timer {
    /// Starts timing now.
    pub fn new() -> Self {
        let now = Instant::now();
        let on = enabled();
        Timer {
            start: now,
            last: now,
            last_cpu: if on { cpu_ms() } else { 0.0 },
            on,
        }
    }

    /// Ends the phase called `what`, printing its duration when timings are on.
    pub fn mark(&mut self, what: &str) {
        if self.on {
            let now = Instant::now();
            let cpu = cpu_ms();
            let (rss, peak) = rss_mib();
            eprintln!(
                "timing {:>8.1} ms wall {:>8.0} ms cpu  {what}  (at {:.1} ms; {rss:.0} MiB, peak {peak:.0})",
                (now - self.last).as_secs_f64() * 1e3,
                cpu - self.last_cpu,
                (now - self.start).as_secs_f64() * 1e3
            );
            self.last = now;
            self.last_cpu = cpu;
        }
    }
}

impl Default for Timer {
    fn default() -> Self {
        Self::new()
    }
}

/// Time spent per key (a template, a kind of file), summed over threads.
pub struct PerKey {
    on: bool,
    sums: Mutex<HashMap<String, (std::time::Duration, usize)>>,
}

impl PerKey {
    /// An empty tally.
    pub fn new() -> Self {
        PerKey {
            on: enabled(),
            sums: Mutex::new(HashMap::new()),
        }
    }

    /// The start of one piece of work, when timings are on.
    pub fn start(&self) -> Option<Instant> {
        self.on.then(Instant::now)
    }

    /// Adds the time since `started` to `key`.
    pub fn add(&self, key: &str, started: Option<Instant>) {
        if let Some(t) = started
            && let Ok(mut sums) = self.sums.lock()
        {
            let e = sums.entry(key.to_string()).or_default();
            e.0 += t.elapsed();
            e.1 += 1;
        }
    }

    /// Prints the tally, largest first.
    pub fn print(&self, what: &str) {
        if !self.on {
            return;
        }
        if let Ok(sums) = self.sums.lock() {
            let mut rows: Vec<_> = sums.iter().collect();
            rows.sort_by_key(|r| std::cmp::Reverse(r.1.0));
            for (k, (d, n)) in rows {
                eprintln!(
                    "  {what} {:>8.1} ms cpu  {n:>6} × {k}",
                    d.as_secs_f64() * 1e3
                );
            }
        }
    }
}

impl Default for PerKey {
    fn default() -> Self {
        Self::new()
    }
}
