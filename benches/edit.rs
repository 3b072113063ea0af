//! Edit to written: how long `herald serve` takes from a saved edit to the changed files on disk.
//!
//! `cargo bench --bench edit` generates a portal with [`herald_corpus`], builds it once with a
//! [`Session`] (what `serve` keeps between edits), then edits one improvement at a time and
//! times [`Session::rebuild`], which returns once the changed files are written. Body edits
//! (a sentence appended, or a word changed mid-body) and title edits (which reach list pages)
//! are timed and reported apart. At the end the same sources are built from scratch with
//! [`herald::build`] and the two output folders are compared byte for byte.
//!
//! Environment: `HERALD_BENCH_ENTRIES` (default 10000), `HERALD_BENCH_EDITS` (body edits,
//! default 20), `HERALD_BENCH_TITLE_EDITS` (default 5), `HERALD_BENCH_SEED` (default 1).
//! See BENCHMARKS.md.

mod common;
use common::{env_number, machine};
use std::collections::BTreeMap;
use std::error::Error;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use herald::serve::session::{Rebuild, Session};

type Res<T> = Result<T, Box<dyn Error>>;

/// What "today" is for every build, so that the output does not depend on the clock.
const TODAY: &str = "2026-11-23";

fn main() -> ExitCode {
    common::exit_code(run())
}

/// One timed rebuild.
struct Sample {
    time: Duration,
    rendered: usize,
    written: usize,
}

fn run() -> Res<bool> {
    let entries = usize::try_from(env_number("HERALD_BENCH_ENTRIES", 10_000)?)?;
    let body_edits = usize::try_from(env_number("HERALD_BENCH_EDITS", 20)?)?;
    let title_edits = usize::try_from(env_number("HERALD_BENCH_TITLE_EDITS", 5)?)?;
    let seed = env_number("HERALD_BENCH_SEED", 1)?;

    println!("herald edit benchmark");
    println!("machine: {}", machine());
    println!(
        "corpus: {entries} entries (seed {seed}), {body_edits} body edits, {title_edits} title edits"
    );

    let tmp = tempfile::tempdir()?;
    let site = tmp.path().join("site");
    let started = Instant::now();
    herald_corpus::generate(&site, entries, seed)?;
    println!(
        "generated in {:.0} ms",
        started.elapsed().as_secs_f64() * 1e3
    );

    let mut opts = herald::BuildOptions::new(&site);
    opts.today = Some(TODAY.parse()?);
    opts.output = Some(tmp.path().join("public"));
    let mut session = Session::new(opts.clone());

    let first = timed(&mut session, None)?;
    if !first.1.full {
        return Err("the session's first rebuild was not a full build".into());
    }
    println!(
        "first (full) rebuild: {:.0} ms, {} pages rendered, {} files written",
        ms(first.0.time),
        first.0.rendered,
        first.0.written
    );
    let idle = timed(&mut session, None)?;
    println!(
        "rebuild with nothing changed, not told what changed (reads the whole site): {:.0} ms, {} rendered, {} written",
        ms(idle.0.time),
        idle.0.rendered,
        idle.0.written
    );

    let files = improvement_files(&site)?;
    let wanted = body_edits + title_edits;
    if files.len() < wanted {
        return Err(format!(
            "{} improvements are too few for {wanted} edits",
            files.len()
        )
        .into());
    }
    // Files spread evenly through the section, a different one for every edit.
    let step = files.len() / wanted.max(1);
    let mut picks = files.iter().step_by(step.max(1));

    let mut quick = 0;
    let mut body = Vec::with_capacity(body_edits);
    for i in 0..body_edits {
        let file = picks.next().ok_or("ran out of files")?;
        if i % 2 == 0 {
            edit_body_append(file, i)?;
        } else {
            edit_body_word(file)?;
        }
        let (s, r) = timed(&mut session, Some(file))?;
        if r.full {
            return Err("a body edit caused a full build".into());
        }
        quick += usize::from(r.quick);
        body.push(s);
    }
    let mut titles = Vec::with_capacity(title_edits);
    for _ in 0..title_edits {
        let file = picks.next().ok_or("ran out of files")?;
        edit_title(file)?;
        let (s, r) = timed(&mut session, Some(file))?;
        if r.full {
            return Err("a title edit caused a full build".into());
        }
        quick += usize::from(r.quick);
        titles.push(s);
    }

    let clean = tmp.path().join("clean");
    let mut clean_opts = opts.clone();
    clean_opts.output = Some(clean.clone());
    let started = Instant::now();
    let report = herald::build(&clean_opts).map_err(|d| d.render(false))?;
    let full_build = started.elapsed();
    if !report.warnings.is_empty() {
        eprint!("{}", report.warnings.render(false));
    }

    println!();
    println!(
        "| {:<32} | {:>9} | {:>9} | {:>9} | {:>9} | {:>15} | {:>15} |",
        "rebuild after",
        "median ms",
        "p90 ms",
        "min ms",
        "max ms",
        "pages rendered",
        "files written"
    );
    println!(
        "|{:-<34}|{:->11}|{:->11}|{:->11}|{:->11}|{:->17}|{:->17}|",
        "", "", "", "", "", "", ""
    );
    row(&format!("a body edit ({} edits)", body.len()), &body);
    row(&format!("a title edit ({} edits)", titles.len()), &titles);
    println!();
    println!(
        "quick rebuilds (only the edited file read again): {quick} of {}",
        body.len() + titles.len()
    );
    println!(
        "full build (herald::build, {} pages and {} files): {:.0} ms",
        report.pages,
        report.files,
        ms(full_build)
    );
    println!(
        "first session rebuild (full, with the swap): {:.0} ms",
        ms(first.0.time)
    );

    let equal = compare(&tmp.path().join("public"), &clean)?;
    println!(
        "byte-equal to a full build: {}",
        if equal { "yes" } else { "no" }
    );
    Ok(equal)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Rebuilds and times it, told which file changed as `serve`'s watcher tells it (or not told,
/// for `None`); content errors become an error.
fn timed(session: &mut Session, changed: Option<&Path>) -> Res<(Sample, Rebuild)> {
    let started = Instant::now();
    let r = match changed {
        Some(path) => session.rebuild_changed(&[path.to_path_buf()]),
        None => session.rebuild(),
    }
    .map_err(|d| d.render(false))?;
    let time = started.elapsed();
    if !r.report.warnings.is_empty() {
        return Err(format!("warnings: {}", r.report.warnings.render(false)).into());
    }
    Ok((
        Sample {
            time,
            rendered: r.rendered,
            written: r.written,
        },
        r,
    ))
}

/// A table row: the times' median, 90th percentile, minimum and maximum, and the median counts.
fn row(what: &str, samples: &[Sample]) {
    if samples.is_empty() {
        println!("| {what:<32} | (none) |");
        return;
    }
    let mut times: Vec<f64> = samples.iter().map(|s| ms(s.time)).collect();
    times.sort_by(f64::total_cmp);
    let q = |p: f64| {
        let i = ((times.len() - 1) as f64 * p).round() as usize;
        times.get(i).copied().unwrap_or(0.0)
    };
    let counts = |f: fn(&Sample) -> usize| {
        let mut v: Vec<usize> = samples.iter().map(f).collect();
        v.sort_unstable();
        let (lo, hi) = (v.first().copied(), v.last().copied());
        match (lo, hi) {
            (Some(lo), Some(hi)) if lo == hi => format!("{lo}"),
            (Some(lo), Some(hi)) => format!("{lo}–{hi}"),
            _ => String::new(),
        }
    };
    println!(
        "| {what:<32} | {:>9.1} | {:>9.1} | {:>9.1} | {:>9.1} | {:>15} | {:>15} |",
        q(0.5),
        q(0.9),
        times.first().copied().unwrap_or(0.0),
        times.last().copied().unwrap_or(0.0),
        counts(|s| s.rendered),
        counts(|s| s.written)
    );
}

fn improvement_files(site: &Path) -> Res<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(site.join("content/improvements"))?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    files.retain(|p| p.extension().is_some_and(|x| x == "md"));
    files.sort();
    Ok(files)
}

/// The front matter and the body of a content file.
fn split(text: &str) -> Res<(&str, &str)> {
    let rest = text.strip_prefix("+++\n").ok_or("no front matter")?;
    let end = rest.find("\n+++\n").ok_or("no end of front matter")?;
    let cut = 4 + end + "\n+++\n".len();
    Ok((&text[..cut], &text[cut..]))
}

/// Appends a sentence to the body's last paragraph.
fn edit_body_append(file: &Path, n: usize) -> Res<()> {
    let text = std::fs::read_to_string(file)?;
    let mut new = text.trim_end().to_string();
    new.push_str(&format!(
        " Edit {n}: the team checked the result again a week later.\n"
    ));
    std::fs::write(file, new)?;
    Ok(())
}

/// Changes one word in a plain paragraph line in the middle of the body.
fn edit_body_word(file: &Path) -> Res<()> {
    let text = std::fs::read_to_string(file)?;
    let (front, body) = split(&text)?;
    let lines: Vec<&str> = body.lines().collect();
    let plain = |(_, l): &(usize, &&str)| {
        l.starts_with(|c: char| c.is_ascii_alphabetic()) && !l.contains(['[', ']', '*', '|', '('])
    };
    let middle = lines.len() / 2;
    let (at, line) = lines
        .iter()
        .enumerate()
        .filter(plain)
        .min_by_key(|(i, _)| i.abs_diff(middle))
        .ok_or("no plain line in the body")?;
    let mut words: Vec<String> = line.split(' ').map(str::to_string).collect();
    let w = words.len() / 2;
    let word = words.get_mut(w).ok_or("an empty line")?;
    *word = if word.as_str() == "customers" {
        "callers".to_string()
    } else {
        "customers".to_string()
    };
    let mut new_lines: Vec<String> = lines.iter().map(|l| (*l).to_string()).collect();
    if let Some(l) = new_lines.get_mut(at) {
        *l = words.join(" ");
    }
    let new = format!("{front}{}\n", new_lines.join("\n"));
    if new == text {
        return Err(format!("the edit to {} changed nothing", file.display()).into());
    }
    std::fs::write(file, new)?;
    Ok(())
}

/// Changes an improvement's title, which appears on list, tag, team and digest pages.
fn edit_title(file: &Path) -> Res<()> {
    let text = std::fs::read_to_string(file)?;
    let new = text.replacen("title = \"", "title = \"Now: ", 1);
    if new == text {
        return Err(format!("{} has no title line", file.display()).into());
    }
    std::fs::write(file, new)?;
    Ok(())
}

/// Every file under `dir`, by relative path.
fn snapshot(dir: &Path) -> Res<BTreeMap<PathBuf, Vec<u8>>> {
    let mut out = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d)? {
            let e = e?;
            let path = e.path();
            if e.file_type()?.is_dir() {
                todo.push(path);
            } else {
                let rel = path.strip_prefix(dir)?.to_path_buf();
                out.insert(rel, std::fs::read(&path)?);
            }
        }
    }
    Ok(out)
}

/// Whether two output folders hold the same files with the same bytes; prints the first
/// differences when not.
fn compare(a: &Path, b: &Path) -> Res<bool> {
    let (a, b) = (snapshot(a)?, snapshot(b)?);
    let mut equal = true;
    let mut shown = 0;
    for name in a.keys().chain(b.keys().filter(|k| !a.contains_key(*k))) {
        let same = a.get(name) == b.get(name);
        if !same {
            equal = false;
            if shown < 10 {
                let what = match (a.contains_key(name), b.contains_key(name)) {
                    (true, false) => "only in the session's output",
                    (false, true) => "only in the full build",
                    _ => "differs",
                };
                eprintln!("{}: {what}", name.display());
                shown += 1;
            }
        }
    }
    println!(
        "compared {} files in the session's output with {} in a full build",
        a.len(),
        b.len()
    );
    Ok(equal)
}
