//! Full build against Hugo: herald's `build` and Hugo's on the same content, side by side.
//!
//! `cargo bench --bench build` generates a portal with [`herald_corpus`] for each size N
//! (default 1,000, 10,000 and 100,000 entries) and converts it into an equivalent Hugo site: the
//! same sections and Markdown bodies, the same TOML front matter (milestones get their `target`
//! as `date`), `@/` links rewritten to URLs, and small layouts for single pages, paginated
//! section lists, tag pages and a home page. It then builds both sites several times, alternating,
//! each build into a fresh output folder, and prints the median wall time, CPU time (user + sys)
//! and peak resident memory of each, with the ratios herald/Hugo. A third row, the floor, reads
//! every input file and writes as many bytes, into as many files at the same paths, as herald's
//! output holds, with no rendering.
//!
//! Every build is a separate process: the release `herald` binary (`build --today 2026-11-23`)
//! and `hugo --quiet`. This benchmark runs itself again as a small wrapper around each one
//! (`--measure`), which times the child and reads its CPU time and peak RSS with
//! `getrusage(RUSAGE_CHILDREN)`, so the figures are the child's alone. The floor runs the same
//! way (`--floor`). Outputs are deleted and `sync` is run between builds, untimed; the page
//! cache is not dropped, so the inputs are read from memory.
//!
//! Environment: `HERALD_BENCH_SIZES` (comma-separated entry counts, default
//! `1000,10000,100000`), `HERALD_BENCH_RUNS` (builds of each tool per size; default 5, or 3 for
//! sizes above 10,000), `HERALD_BENCH_SEED` (default 1), `HERALD_BENCH_HUGO` (the Hugo command,
//! default `hugo`), `HERALD_BENCH_KEEP` (set: keep the generated sites in the temporary
//! folder, whose path is printed), `TMPDIR` (where everything is generated and built; disk
//! or tmpfs changes the figures a lot). Without Hugo, herald and the floor still run. See
//! BENCHMARKS.md.

mod common;
use common::{env_number, machine, number};
use std::collections::BTreeSet;
use std::error::Error;
use std::ffi::{OsStr, OsString};
use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use rayon::prelude::*;

type Res<T> = Result<T, Box<dyn Error>>;

/// What "today" is for every herald build, so that the output does not depend on the clock.
const TODAY: &str = "2026-11-23";

/// The floor writes its files from a buffer of this many bytes.
const FLOOR_CHUNK: usize = 4 << 20;

/// What is printed, loudly, when Hugo is not installed.
const NO_HUGO: &str = "\
!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
!! Hugo is not installed (or HERALD_BENCH_HUGO does not run): measuring     !!
!! herald and the floor only. Install it with `apt-get install hugo`.       !!
!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!";

/// The line the `--measure` wrapper prints last: `MARKER status wall_ns user_us sys_us rss_kib`.
const MARKER: &str = "herald-bench-measure:";

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    match args.get(1).and_then(|a| a.to_str()) {
        Some("--measure") => measure_child(args.get(2..).unwrap_or_default()),
        Some("--floor") => match floor(args.get(2..).unwrap_or_default()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("floor: {e}");
                ExitCode::FAILURE
            }
        },
        _ => common::exit_code(run()),
    }
}

// ---------------------------------------------------------------------------------------------
// The wrapper and the floor (run as child processes of the benchmark)

/// `--measure PROGRAM ARGS…`: runs the program, passes its output through, then prints one
/// [`MARKER`] line with its exit status, wall time, CPU time and peak RSS.
fn measure_child(args: &[OsString]) -> ExitCode {
    let Some((program, rest)) = args.split_first() else {
        eprintln!("--measure needs a command");
        return ExitCode::from(2);
    };
    let started = Instant::now();
    let output = Command::new(program)
        .args(rest)
        .stdin(Stdio::null())
        .output();
    let wall = started.elapsed();
    let output = match output {
        Ok(o) => o,
        Err(e) => {
            eprintln!("could not run {}: {e}", program.to_string_lossy());
            return ExitCode::from(2);
        }
    };
    // Only the one child has been waited for, so these are its figures alone.
    let (user_us, sys_us, rss_kib) = children_usage().unwrap_or((-1, -1, -1));
    print!("{}", String::from_utf8_lossy(&output.stdout));
    eprint!("{}", String::from_utf8_lossy(&output.stderr));
    println!(
        "{MARKER} {} {} {user_us} {sys_us} {rss_kib}",
        output.status.code().unwrap_or(-1),
        wall.as_nanos()
    );
    ExitCode::SUCCESS
}

/// User and system CPU time in microseconds and peak RSS in KiB of the waited-for children.
#[cfg(unix)]
fn children_usage() -> Option<(i64, i64, i64)> {
    use nix::sys::resource::{UsageWho, getrusage};
    use nix::sys::time::TimeValLike;
    let usage = getrusage(UsageWho::RUSAGE_CHILDREN).ok()?;
    // `c_long` is 32 bits wide on some platforms.
    #[allow(clippy::useless_conversion)]
    let rss = i64::from(usage.max_rss());
    // Linux reports ru_maxrss in KiB; macOS in bytes.
    let rss_kib = if cfg!(target_os = "macos") {
        rss / 1024
    } else {
        rss
    };
    Some((
        usage.user_time().num_microseconds(),
        usage.system_time().num_microseconds(),
        rss_kib,
    ))
}

/// Without getrusage there is no CPU time or peak RSS; only wall time is reported.
#[cfg(not(unix))]
fn children_usage() -> Option<(i64, i64, i64)> {
    None
}

/// `--floor MANIFEST INPUT OUTPUT`: reads every file under INPUT, then writes one file per
/// manifest line (`size<TAB>relative path`) under OUTPUT, both in parallel, with no rendering.
fn floor(args: &[OsString]) -> Res<()> {
    let [manifest, input, output] = args else {
        return Err("--floor needs MANIFEST INPUT OUTPUT".into());
    };
    let (input, output) = (Path::new(input), Path::new(output));

    let inputs: Vec<PathBuf> = walkdir::WalkDir::new(input)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    // Read every input whole, keeping only the count of bytes.
    let read: usize = inputs
        .par_iter()
        .map(|p| fs::read(p).map(|b| b.len()))
        .collect::<Result<Vec<_>, _>>()?
        .iter()
        .sum();

    let manifest = fs::read_to_string(manifest)?;
    let mut files = Vec::new();
    for line in manifest.lines() {
        let (size, rel) = line
            .split_once('\t')
            .ok_or_else(|| format!("bad manifest line {line:?}"))?;
        files.push((size.parse::<usize>()?, output.join(rel)));
    }
    // The bytes written are input bytes over and over, from a buffer of FLOOR_CHUNK bytes: most
    // files take one `write`, and the floor's memory stays small.
    let mut chunk = Vec::with_capacity(FLOOR_CHUNK);
    for path in &inputs {
        if chunk.len() >= FLOOR_CHUNK {
            break;
        }
        chunk.extend_from_slice(&fs::read(path)?);
    }
    chunk.resize(FLOOR_CHUNK, b' ');

    let dirs: BTreeSet<&Path> = files.iter().filter_map(|f| f.1.parent()).collect();
    for dir in dirs {
        fs::create_dir_all(dir)?;
    }
    files.par_iter().try_for_each(|(size, path)| {
        let mut file = fs::File::create(path)?;
        let mut left = *size;
        while left > 0 {
            let n = left.min(chunk.len());
            file.write_all(chunk.get(..n).unwrap_or_default())?;
            left -= n;
        }
        Ok::<(), std::io::Error>(())
    })?;
    let written: usize = files.iter().map(|f| f.0).sum();
    println!(
        "floor: read {} files ({read} bytes), wrote {} files ({written} bytes)",
        inputs.len(),
        files.len()
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The benchmark

fn sizes() -> Res<Vec<usize>> {
    let text =
        std::env::var("HERALD_BENCH_SIZES").unwrap_or_else(|_| "1000,10000,100000".to_string());
    let mut sizes = Vec::new();
    for part in text.split([',', ' ']).filter(|p| !p.trim().is_empty()) {
        let n = number(part)
            .ok_or_else(|| format!("HERALD_BENCH_SIZES: {part:?} is not a whole number"))?;
        let n = usize::try_from(n)?;
        if n < herald_corpus::MIN_ENTRIES {
            return Err(format!(
                "HERALD_BENCH_SIZES: a corpus needs at least {} entries, not {n}",
                herald_corpus::MIN_ENTRIES
            )
            .into());
        }
        sizes.push(n);
    }
    if sizes.is_empty() {
        return Err("HERALD_BENCH_SIZES lists no sizes".into());
    }
    Ok(sizes)
}

/// The three things measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tool {
    Herald,
    Hugo,
    Floor,
}

impl Tool {
    fn name(self) -> &'static str {
        match self {
            Tool::Herald => "herald",
            Tool::Hugo => "hugo",
            Tool::Floor => "floor",
        }
    }
}

/// One measured process.
#[derive(Debug, Clone, Copy)]
struct Sample {
    wall: Duration,
    /// User + system time; `None` where getrusage is not available.
    cpu: Option<Duration>,
    rss_kib: Option<u64>,
}

/// What a measured child did.
struct Measured {
    sample: Sample,
    status: i32,
    stdout: String,
    stderr: String,
}

/// The samples of one tool at one size, and the size of its output.
struct Row {
    tool: Tool,
    samples: Vec<Sample>,
    files: usize,
    bytes: u64,
}

/// The median of one tool's samples.
struct Summary {
    wall: Duration,
    wall_min: Duration,
    wall_max: Duration,
    cpu: Option<Duration>,
    rss_kib: Option<u64>,
}

fn median<T: Copy + Ord>(mut values: Vec<T>) -> Option<T> {
    values.sort_unstable();
    values.get(values.len() / 2).copied()
}

/// The middle value of an odd number of samples; of an even number, the upper middle one.
fn median_duration(values: Vec<Duration>) -> Option<Duration> {
    let mut v = values;
    v.sort_unstable();
    match v.len() {
        0 => None,
        n if n % 2 == 0 => Some((v[n / 2 - 1] + v[n / 2]) / 2),
        n => Some(v[n / 2]),
    }
}

impl Row {
    fn summary(&self) -> Option<Summary> {
        let walls: Vec<Duration> = self.samples.iter().map(|s| s.wall).collect();
        let cpus: Option<Vec<Duration>> = self.samples.iter().map(|s| s.cpu).collect();
        let rss: Option<Vec<u64>> = self.samples.iter().map(|s| s.rss_kib).collect();
        Some(Summary {
            wall: median_duration(walls.clone())?,
            wall_min: walls.iter().min().copied()?,
            wall_max: walls.iter().max().copied()?,
            cpu: cpus.and_then(median_duration),
            rss_kib: rss.and_then(median),
        })
    }
}

/// How to run Hugo, when it is installed.
struct Hugo {
    program: OsString,
    version: String,
}

fn find_hugo() -> Option<Hugo> {
    let program = std::env::var_os("HERALD_BENCH_HUGO").unwrap_or_else(|| OsString::from("hugo"));
    let out = Command::new(&program).arg("version").output().ok()?;
    if !out.status.success() {
        return None;
    }
    let version = String::from_utf8_lossy(&out.stdout).trim().to_string();
    Some(Hugo { program, version })
}

/// One size's results, for the closing summary.
struct SizeResult {
    entries: usize,
    herald: Option<Summary>,
    hugo: Option<Summary>,
}

fn run() -> Res<bool> {
    let sizes = sizes()?;
    let runs_override = match std::env::var("HERALD_BENCH_RUNS") {
        Ok(_) => Some(usize::try_from(env_number("HERALD_BENCH_RUNS", 5)?)?.max(1)),
        Err(_) => None,
    };
    let seed = env_number("HERALD_BENCH_SEED", 1)?;
    let herald_bin = PathBuf::from(env!("CARGO_BIN_EXE_herald"));
    let me = std::env::current_exe()?;

    println!("# herald full build against Hugo");
    println!();
    println!("machine: {}", machine());
    println!(
        "herald: {} {} ({})",
        env!("CARGO_PKG_NAME"),
        env!("CARGO_PKG_VERSION"),
        herald_bin.display()
    );
    let hugo = find_hugo();
    match &hugo {
        Some(h) => println!("hugo: {}", h.version),
        None => {
            eprintln!("\n{NO_HUGO}\n");
            println!("hugo: NOT INSTALLED, not measured");
        }
    }
    let list: Vec<String> = sizes.iter().map(|n| thousands(*n as u64)).collect();
    println!(
        "sizes: {} entries; seed {seed}; herald `build --today {TODAY}`, `hugo --quiet`",
        list.join(", ")
    );

    let tmp = tempfile::tempdir()?;
    let keep = std::env::var_os("HERALD_BENCH_KEEP").is_some();
    if keep {
        println!("keeping the corpora in {}", tmp.path().display());
    }
    let mut results = Vec::new();
    let mut ok = true;
    for &n in &sizes {
        let runs = runs_override.unwrap_or(if n > 10_000 { 3 } else { 5 });
        let dir = tmp.path().join(format!("n{n}"));
        match bench_size(&dir, n, seed, runs, &herald_bin, hugo.as_ref(), &me) {
            Ok(r) => results.push(r),
            Err(e) => {
                eprintln!("error at {n} entries: {e}");
                ok = false;
            }
        }
        // Untimed: the corpora and any output left after a failure.
        if !keep {
            let _ = fs::remove_dir_all(&dir);
        }
    }

    if results.len() > 1 {
        println!();
        println!("## Growth");
        println!();
        println!(
            "| entries | herald ms | herald ms / 1,000 entries | herald MiB / 1,000 entries | hugo ms | hugo ms / 1,000 entries | hugo MiB / 1,000 entries |"
        );
        println!("|---:|---:|---:|---:|---:|---:|---:|");
        for r in &results {
            let per = |s: &Option<Summary>| -> [String; 3] {
                match s {
                    Some(s) => [
                        thousands(ms(s.wall)),
                        thousands((ms_f(s.wall) * 1000.0 / r.entries as f64).round() as u64),
                        s.rss_kib.map_or("n/a".to_string(), |k| {
                            format!("{:.1}", mib(k) * 1000.0 / r.entries as f64)
                        }),
                    ],
                    None => ["–".to_string(), "–".to_string(), "–".to_string()],
                }
            };
            let [hw, hwk, hmk] = per(&r.herald);
            let [gw, gwk, gmk] = per(&r.hugo);
            println!(
                "| {} | {hw} | {hwk} | {hmk} | {gw} | {gwk} | {gmk} |",
                thousands(r.entries as u64)
            );
        }
    }
    if keep {
        let _ = tmp.keep();
    }
    Ok(ok)
}

/// Generates both sites for `n` entries, builds each `runs` times, alternating, and prints the
/// table. Fails when a herald build fails.
fn bench_size(
    dir: &Path,
    n: usize,
    seed: u64,
    runs: usize,
    herald_bin: &Path,
    hugo: Option<&Hugo>,
    me: &Path,
) -> Res<SizeResult> {
    println!();
    let herald_site = dir.join("herald-site");
    let hugo_site = dir.join("hugo-site");
    let started = Instant::now();
    herald_corpus::generate(&herald_site, n, seed)?;
    let generated = started.elapsed();
    let started = Instant::now();
    write_hugo_site(&herald_site, &hugo_site)?;
    let converted = started.elapsed();
    let counts = ["improvements", "roadmap", "recognitions"]
        .map(|s| count_files(&herald_site.join("content").join(s)));
    let (input_files, input_bytes) = tree_size(&herald_site)?;
    println!(
        "## {} entries ({} improvements, {} milestones, {} recognitions, 2 pages), {runs} {} each",
        thousands(n as u64),
        thousands(counts[0] as u64),
        thousands(counts[1] as u64),
        thousands(counts[2] as u64),
        if runs == 1 { "run" } else { "runs" },
    );
    println!();
    println!(
        "corpus: {} input files, {:.1} MiB; generated in {} ms, converted for Hugo in {} ms",
        thousands(input_files as u64),
        mib(input_bytes / 1024),
        thousands(ms(generated)),
        thousands(ms(converted))
    );

    let manifest = dir.join("manifest.tsv");
    let hugo_cache = dir.join("hugo-cache");
    let mut rows: Vec<Row> = [Tool::Herald, Tool::Hugo, Tool::Floor]
        .into_iter()
        .filter(|t| *t != Tool::Hugo || hugo.is_some())
        .map(|tool| Row {
            tool,
            samples: Vec::new(),
            files: 0,
            bytes: 0,
        })
        .collect();
    let mut hugo_failed = false;

    for round in 0..runs {
        // Alternate which of the two builds goes first; the floor needs herald's first output.
        let mut order = vec![Tool::Herald, Tool::Hugo];
        if round % 2 == 1 {
            order.reverse();
        }
        order.push(Tool::Floor);
        for tool in order {
            let Some(row) = rows.iter_mut().find(|r| r.tool == tool) else {
                continue;
            };
            if tool == Tool::Hugo && hugo_failed {
                continue;
            }
            let out = dir.join(format!("out-{}-{round}", tool.name()));
            let (program, args, site): (OsString, Vec<OsString>, &Path) = match tool {
                Tool::Herald => (
                    herald_bin.into(),
                    os_args(&["build", "--today", TODAY, "--output"], &out),
                    &herald_site,
                ),
                Tool::Hugo => (
                    hugo.map(|h| h.program.clone()).unwrap_or_default(),
                    os_args(&["--quiet", "--cacheDir"], &hugo_cache)
                        .into_iter()
                        .chain(os_args(&["--destination"], &out))
                        .collect(),
                    &hugo_site,
                ),
                Tool::Floor => (
                    me.into(),
                    vec![
                        "--floor".into(),
                        manifest.clone().into(),
                        herald_site.clone().into(),
                        out.clone().into(),
                    ],
                    dir,
                ),
            };
            let m = measured(me, &program, &args, site, &hugo_cache)?;
            let failed = m.status != 0;
            // The first run of each shows anything it says; a failure always does.
            let chatty = match tool {
                Tool::Herald => !m.stderr.trim().is_empty(),
                Tool::Hugo => !m.stderr.trim().is_empty() || !m.stdout.trim().is_empty(),
                Tool::Floor => !m.stderr.trim().is_empty(),
            };
            if failed || (round == 0 && chatty) {
                let what = if failed {
                    format!("FAILED with status {}", m.status)
                } else {
                    "printed messages".to_string()
                };
                eprintln!("{} at {n} entries {what}:", tool.name());
                if tool != Tool::Herald {
                    eprint!("{}", m.stdout);
                }
                eprint!("{}", m.stderr);
            }
            if failed {
                let _ = fs::remove_dir_all(&out);
                match tool {
                    Tool::Hugo => {
                        hugo_failed = true;
                        continue;
                    }
                    _ => return Err(format!("the {} build failed", tool.name()).into()),
                }
            }
            row.samples.push(m.sample);
            // Progress, on stderr so that stdout keeps only the report.
            eprintln!(
                "  {} entries, run {}/{runs}: {} {} ms",
                thousands(n as u64),
                round + 1,
                tool.name(),
                thousands(ms(m.sample.wall))
            );
            if round == 0 {
                let (files, bytes) = tree_size(&out)?;
                row.files = files;
                row.bytes = bytes;
                if tool == Tool::Herald {
                    write_manifest(&out, &manifest)?;
                }
            } else if tool != Tool::Floor {
                let (files, _) = tree_size(&out)?;
                if files != row.files {
                    eprintln!(
                        "warning: {} wrote {files} files in run {}, {} in the first",
                        tool.name(),
                        round + 1,
                        row.files
                    );
                }
            }
            // Untimed: delete the output and flush the page cache's dirty pages, so the
            // next build neither pays for this one's writeback nor finds its folder.
            fs::remove_dir_all(&out)?;
            sync();
        }
    }

    print_table(&rows, n, hugo_failed);
    let get = |t: Tool| rows.iter().find(|r| r.tool == t).and_then(Row::summary);
    Ok(SizeResult {
        entries: n,
        herald: get(Tool::Herald),
        hugo: if hugo_failed { None } else { get(Tool::Hugo) },
    })
}

fn os_args(args: &[&str], last: &Path) -> Vec<OsString> {
    let mut v: Vec<OsString> = args.iter().map(OsString::from).collect();
    v.push(last.as_os_str().to_owned());
    v
}

/// Runs `program` through the `--measure` wrapper in `dir` and parses its figures.
fn measured(
    me: &Path,
    program: &OsStr,
    args: &[OsString],
    dir: &Path,
    hugo_cache: &Path,
) -> Res<Measured> {
    let out = Command::new(me)
        .arg("--measure")
        .arg(program)
        .args(args)
        .current_dir(dir)
        .env("HUGO_CACHEDIR", hugo_cache)
        .stdin(Stdio::null())
        .output()?;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let Some((before, line)) = stdout.rsplit_once(MARKER) else {
        return Err(format!(
            "the measuring wrapper printed no figures for {}:\n{stdout}{stderr}",
            program.to_string_lossy()
        )
        .into());
    };
    let fields: Vec<i64> = line
        .split_whitespace()
        .map(|f| f.parse::<i64>())
        .collect::<Result<_, _>>()?;
    let [status, wall_ns, user_us, sys_us, rss_kib] = fields[..] else {
        return Err(format!("bad figures from the wrapper: {line:?}").into());
    };
    let cpu = (user_us >= 0 && sys_us >= 0)
        .then(|| Duration::from_micros(u64::try_from(user_us + sys_us).unwrap_or(0)));
    Ok(Measured {
        sample: Sample {
            wall: Duration::from_nanos(u64::try_from(wall_ns)?),
            cpu,
            rss_kib: u64::try_from(rss_kib).ok(),
        },
        status: i32::try_from(status)?,
        stdout: before.to_string(),
        stderr,
    })
}

/// Flushes dirty pages to disk (untimed, between builds). Does nothing where `sync` is missing.
fn sync() {
    let _ = Command::new("sync").status();
}

fn print_table(rows: &[Row], n: usize, hugo_failed: bool) {
    println!();
    println!(
        "| {} entries | wall ms (median) | wall ms (min–max) | CPU ms (median) | peak RSS MiB (median) | output files | output MiB |",
        thousands(n as u64)
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for row in rows {
        let Some(s) = row.summary() else {
            println!(
                "| {} | {} | | | | | |",
                row.tool.name(),
                if row.tool == Tool::Hugo && hugo_failed {
                    "FAILED"
                } else {
                    "–"
                }
            );
            continue;
        };
        println!(
            "| {} | {} | {}–{} | {} | {} | {} | {} |",
            row.tool.name(),
            thousands(ms(s.wall)),
            thousands(ms(s.wall_min)),
            thousands(ms(s.wall_max)),
            s.cpu.map_or("n/a".to_string(), |c| thousands(ms(c))),
            s.rss_kib.map_or("n/a".to_string(), |k| one_decimal(mib(k))),
            thousands(row.files as u64),
            one_decimal(mib(row.bytes / 1024)),
        );
    }
    println!();
    let get = |t: Tool| rows.iter().find(|r| r.tool == t).and_then(Row::summary);
    if let (Some(h), Some(g)) = (get(Tool::Herald), get(Tool::Hugo)) {
        let ratio = |a: f64, b: f64| {
            if b > 0.0 {
                format!("{:.2}×", a / b)
            } else {
                "n/a".to_string()
            }
        };
        let cpu = match (h.cpu, g.cpu) {
            (Some(a), Some(b)) => ratio(ms_f(a), ms_f(b)),
            _ => "n/a".to_string(),
        };
        let mem = match (h.rss_kib, g.rss_kib) {
            (Some(a), Some(b)) => ratio(a as f64, b as f64),
            _ => "n/a".to_string(),
        };
        println!(
            "herald/hugo: wall {}, CPU {cpu}, peak RSS {mem}",
            ratio(ms_f(h.wall), ms_f(g.wall))
        );
    } else {
        println!("herald/hugo: no Hugo figures");
    }
    if let Some(h) = get(Tool::Herald) {
        let k = n as f64 / 1000.0;
        let per_k = |d: Duration| thousands((ms_f(d) / k).round() as u64);
        let mut line = format!("herald per 1,000 entries: {} ms wall", per_k(h.wall));
        if let Some(c) = h.cpu {
            let _ = write!(line, ", {} ms CPU", per_k(c));
        }
        if let Some(r) = h.rss_kib {
            let _ = write!(line, ", {:.1} MiB peak RSS", mib(r) / k);
        }
        println!("{line}");
    }
    if let (Some(h), Some(f)) = (get(Tool::Herald), get(Tool::Floor)) {
        println!(
            "herald/floor: wall {:.1}×",
            ms_f(h.wall) / ms_f(f.wall).max(0.001)
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Files

/// Counts the files and bytes under `dir`.
fn tree_size(dir: &Path) -> Res<(usize, u64)> {
    let mut files = 0;
    let mut bytes = 0;
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry?;
        if entry.file_type().is_file() {
            files += 1;
            bytes += entry.metadata()?.len();
        }
    }
    Ok((files, bytes))
}

fn count_files(dir: &Path) -> usize {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .count()
}

/// Writes `size<TAB>relative path` for every file under `out`, for the floor.
fn write_manifest(out: &Path, manifest: &Path) -> Res<()> {
    let mut text = String::new();
    for entry in walkdir::WalkDir::new(out).sort_by_file_name() {
        let entry = entry?;
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(out)?;
            let rel = rel.to_str().ok_or("an output path is not UTF-8")?;
            let _ = writeln!(text, "{}\t{rel}", entry.metadata()?.len());
        }
    }
    fs::write(manifest, text)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The Hugo site

const BASEOF: &str = r#"<!DOCTYPE html>
<html lang="{{ .Site.LanguageCode }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if .IsHome }}{{ .Site.Title }}{{ else }}{{ .Title }} · {{ .Site.Title }}{{ end }}</title>
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .RelPermalink }}" title="{{ $.Site.Title }}">{{ end }}
</head>
<body>
<nav>
<a href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a>
<a href="{{ "improvements/" | relURL }}">Improvements</a>
<a href="{{ "roadmap/" | relURL }}">Roadmap</a>
<a href="{{ "recognitions/" | relURL }}">Recognitions</a>
<a href="{{ "tags/" | relURL }}">Tags</a>
<a href="{{ "about/" | relURL }}">About</a>
</nav>
<main>
{{ block "main" . }}{{ end }}
</main>
<footer>{{ .Site.Title }}</footer>
</body>
</html>
"#;

const SINGLE: &str = r#"{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
{{ if not .Date.IsZero }}<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time></p>{{ end }}
{{ with .Params.owner }}<p>Owner: {{ . }}</p>{{ end }}
{{ with .Params.status }}<p>Status: {{ . }}</p>{{ end }}
{{ with .GetTerms "tags" }}<ul class="tags">{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ end }}
{{ .Content }}
</article>
{{ end }}
"#;

const LIST: &str = r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ range .Paginator.Pages }}{{ partial "item.html" . }}{{ end }}
{{ partial "pager.html" . }}
{{ end }}
"#;

const TERM: &str = r#"{{ define "main" }}
<h1>Tagged “{{ .Title }}”</h1>
{{ range .Paginator.Pages }}{{ partial "item.html" . }}{{ end }}
{{ partial "pager.html" . }}
{{ end }}
"#;

const TAXONOMY: &str = r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul class="tags">
{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>
{{ end }}</ul>
{{ end }}
"#;

const HOME: &str = r#"{{ define "main" }}
<h1>{{ .Site.Title }}</h1>
{{ with .Site.Params.description }}<p>{{ . }}</p>{{ end }}
<h2>Latest improvements</h2>
{{ range first 10 (where .Site.RegularPages "Section" "improvements").ByDate.Reverse }}{{ partial "item.html" . }}{{ end }}
<p><a href="{{ "improvements/" | relURL }}">All improvements</a></p>
{{ end }}
"#;

const NOT_FOUND: &str = r#"{{ define "main" }}
<h1>Page not found</h1>
<p><a href="{{ .Site.Home.RelPermalink }}">Home</a></p>
{{ end }}
"#;

const ITEM: &str = r#"<article>
<h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
{{ if not .Date.IsZero }}<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>{{ end }}
<p>{{ .Summary }}</p>
</article>
"#;

const PAGER: &str = r#"{{ $p := .Paginator }}{{ if gt $p.TotalPages 1 }}<nav class="pager">
{{ if $p.HasPrev }}<a rel="prev" href="{{ $p.Prev.URL }}">Newer</a>{{ end }}
<span>Page {{ $p.PageNumber }} of {{ $p.TotalPages }}</span>
{{ if $p.HasNext }}<a rel="next" href="{{ $p.Next.URL }}">Older</a>{{ end }}
</nav>{{ end }}
"#;

/// Writes a Hugo site equivalent to the herald site at `herald`: config, layouts, and every
/// content file converted by [`hugo_page`].
fn write_hugo_site(herald: &Path, hugo: &Path) -> Res<()> {
    let config: toml::Table = fs::read_to_string(herald.join("site.toml"))?.parse()?;
    let text = |key: &str, default: &str| {
        config
            .get(key)
            .and_then(toml::Value::as_str)
            .unwrap_or(default)
            .to_string()
    };
    let base_url = text("base_url", "https://intranet.example.com/");
    let base_path = base_path(&base_url);
    let paginate = config
        .get("paginate")
        .and_then(toml::Value::as_integer)
        .unwrap_or(10);
    let quoted = |s: String| toml::Value::String(s).to_string();
    // RSS and the sitemap stay on, as herald writes feeds and a sitemap. Feeds are written
    // where herald writes them: the whole site and each section, not each tag.
    let hugo_toml = format!(
        "baseURL = {}\ntitle = {}\nlanguageCode = {}\ntimeZone = {}\npaginate = {paginate}\n\
         buildFuture = true\n\n[params]\ndescription = {}\n\n[taxonomies]\ntag = \"tags\"\n\n\
         [outputs]\nhome = [\"HTML\", \"RSS\"]\nsection = [\"HTML\", \"RSS\"]\n\
         taxonomy = [\"HTML\"]\nterm = [\"HTML\"]\n",
        quoted(base_url.clone()),
        quoted(text("title", "Customer Promise")),
        quoted(text("language", "en")),
        quoted(text("timezone", "UTC")),
        quoted(text("description", "")),
    );
    fs::create_dir_all(hugo)?;
    fs::write(hugo.join("hugo.toml"), hugo_toml)?;
    for (rel, body) in [
        ("_default/baseof.html", BASEOF),
        ("_default/single.html", SINGLE),
        ("_default/list.html", LIST),
        ("_default/term.html", TERM),
        ("_default/taxonomy.html", TAXONOMY),
        ("index.html", HOME),
        ("404.html", NOT_FOUND),
        ("partials/item.html", ITEM),
        ("partials/pager.html", PAGER),
    ] {
        let path = hugo.join("layouts").join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(path, body)?;
    }
    let content = herald.join("content");
    for entry in walkdir::WalkDir::new(&content) {
        let entry = entry?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(&content)?;
        let target = hugo.join("content").join(rel);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        if rel.extension() == Some(OsStr::new("md")) {
            let source = fs::read_to_string(entry.path())?;
            let page = hugo_page(&source, &base_path)
                .ok_or_else(|| format!("{}: no +++ front matter", entry.path().display()))?;
            fs::write(target, page)?;
        } else {
            fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

/// The path of a base URL, with a leading and trailing `/`: `https://h/customers/` → `/customers/`.
fn base_path(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = after_scheme
        .find('/')
        .map_or("", |i| after_scheme.get(i..).unwrap_or(""));
    let trimmed = path.trim_matches('/');
    if trimmed.is_empty() {
        "/".to_string()
    } else {
        format!("/{trimmed}/")
    }
}

/// A herald content file as a Hugo one: the TOML front matter unchanged except that a file
/// with a `target` and no `date` (a milestone) gets `date = <target>`, and the body with its
/// `@/section/file.md` links rewritten to `<base path>section/file/`.
fn hugo_page(source: &str, base_path: &str) -> Option<String> {
    let rest = source.strip_prefix("+++\n")?;
    let end = rest.find("\n+++\n")?;
    let front = rest.get(..=end)?;
    let body = rest.get(end + 5..)?;
    // Top-level keys come before the first table header.
    let top = front
        .lines()
        .take_while(|l| !l.trim_start().starts_with('['));
    let mut date = None;
    let mut target = None;
    for line in top {
        if let Some((key, value)) = line.split_once('=') {
            match key.trim() {
                "date" => date = Some(value.trim()),
                "target" => target = Some(value.trim()),
                _ => {}
            }
        }
    }
    let mut out = String::with_capacity(source.len() + 32);
    out.push_str("+++\n");
    if let (None, Some(target)) = (date, target) {
        let _ = writeln!(out, "date = {target}");
    }
    out.push_str(front);
    out.push_str("+++\n");
    out.push_str(&rewrite_links(body, base_path));
    Some(out)
}

/// Rewrites Markdown link targets `(@/path/file.md#frag)` to `(<base>path/file/#frag)`.
fn rewrite_links(body: &str, base_path: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(i) = rest.find("(@/") {
        out.push_str(rest.get(..=i).unwrap_or_default());
        let after = rest.get(i + 3..).unwrap_or_default();
        let end = after.find(')').unwrap_or(after.len());
        let link = after.get(..end).unwrap_or_default();
        let (path, fragment) = link.split_once('#').unwrap_or((link, ""));
        let path = path.strip_suffix(".md").unwrap_or(path);
        let path = path
            .strip_suffix("/index")
            .or_else(|| path.strip_suffix("/_index"))
            .unwrap_or(path);
        out.push_str(base_path);
        out.push_str(path);
        out.push('/');
        if !fragment.is_empty() {
            out.push('#');
            out.push_str(fragment);
        }
        rest = after.get(end..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

// ---------------------------------------------------------------------------------------------
// Formatting

fn ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

fn ms_f(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// `4431.26` → `4,431.3`.
fn one_decimal(x: f64) -> String {
    let tenths = (x * 10.0).round().max(0.0) as u64;
    format!("{}.{}", thousands(tenths / 10), tenths % 10)
}

/// `1234567` → `1,234,567`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
