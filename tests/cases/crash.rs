//! Crash safety: a build killed at any moment leaves the previous output folder intact and
//! complete, and the next build cleans up what the killed one left.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{TestSite, snapshot};

const TODAY: &str = "2026-11-23";

/// The first improvement of the generated corpus, whose title the test flips between two
/// versions so that consecutive builds write different sites.
fn first_improvement(root: &Path) -> std::path::PathBuf {
    let mut files: Vec<_> = std::fs::read_dir(root.join("content/improvements"))
        .expect("ls improvements")
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    files.into_iter().next().expect("an improvement")
}

/// Leftover staging or old-output folders beside `public`.
fn leftovers(root: &Path) -> Vec<String> {
    std::fs::read_dir(root)
        .expect("ls site")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public.herald-"))
        .collect()
}

fn build(s: &TestSite, output: &str) -> Duration {
    let start = Instant::now();
    let r = s.run(&["build", "--today", TODAY, "--output", output]);
    assert_eq!(r.status, 0, "build failed: {}", r.stderr);
    start.elapsed()
}

/// A small deterministic generator (xorshift), so a failing run can be repeated exactly.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Kills `herald build` with SIGKILL at many points spread over a whole build (reading, rendering,
/// writing, the swap, removing the old output). After every kill, the output folder holds one
/// whole site, byte for byte: the one before the killed build, or the one it was making. The next
/// build that runs to the end removes every folder a killed build left beside the output.
#[test]
fn a_build_killed_at_any_moment_leaves_a_whole_site() {
    let s = TestSite::empty();
    herald_corpus::generate(s.path(), 120, 7).expect("corpus");
    let root = s.path().to_path_buf();
    let file = first_improvement(&root);
    let text_a = std::fs::read_to_string(&file).expect("read");
    let text_b = text_a.replacen("title = \"", "title = \"Killed mid-build: ", 1);
    assert_ne!(text_a, text_b);

    // Each version's whole output, from builds that ran to the end.
    std::fs::write(&file, &text_b).expect("write b");
    let mut took = build(&s, "ref-b");
    let site_b = snapshot(&root.join("ref-b"));
    std::fs::write(&file, &text_a).expect("write a");
    took = took.max(build(&s, "public"));
    let site_a = snapshot(&root.join("public"));
    assert_ne!(site_a, site_b);
    assert!(site_a.len() > 120, "{} files", site_a.len());

    let whole = |site: &BTreeMap<String, Vec<u8>>| -> Option<char> {
        if *site == site_a {
            Some('a')
        } else if *site == site_b {
            Some('b')
        } else {
            None
        }
    };

    // Kill points cover the whole build and as long again, since a killed build's successor
    // first removes what it left and the machine may be busy: stratified, with jitter.
    let kills = 20u64;
    let span = took.as_micros() as u64 * 2;
    let mut rng = Rng(0x5eed_cafe_f00d_d00d);
    let mut seen = BTreeMap::new();
    let mut killed_with_leftovers = 0;
    for k in 0..kills {
        let now = whole(&snapshot(&root.join("public"))).expect("whole before the kill");
        let next = if now == 'a' { &text_b } else { &text_a };
        std::fs::write(&file, next).expect("write next");
        let delay = Duration::from_micros(span * k / kills + rng.next() % (span / kills + 1));

        let mut child = Command::new(env!("CARGO_BIN_EXE_herald"))
            .args(["build", "--today", TODAY])
            .current_dir(&root)
            .env("NO_COLOR", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn herald");
        std::thread::sleep(delay);
        let _ = child.kill();
        let status = child.wait().expect("wait");

        let after = snapshot(&root.join("public"));
        let Some(state) = whole(&after) else {
            let differing: Vec<&String> = after
                .keys()
                .chain(site_a.keys())
                .filter(|k| after.get(*k) != site_a.get(*k) && after.get(*k) != site_b.get(*k))
                .take(10)
                .collect();
            panic!(
                "kill {k} after {delay:?} ({status}) left an output that is neither whole site: \
                 {} files, differing {differing:?}",
                after.len()
            );
        };
        *seen.entry(state == now).or_insert(0) += 1;
        if !leftovers(&root).is_empty() {
            killed_with_leftovers += 1;
        }
    }
    eprintln!(
        "crash safety: {kills} kills over {span} µs; output kept {} times, swapped {} times; \
         {killed_with_leftovers} kills left a folder beside it",
        seen.get(&true).unwrap_or(&0),
        seen.get(&false).unwrap_or(&0)
    );
    assert!(
        seen.get(&true).copied().unwrap_or(0) > 0,
        "no kill landed before the swap: the test did not test anything"
    );
    if seen.get(&false).copied().unwrap_or(0) == 0 {
        eprintln!("crash safety: WARNING no build finished before its kill on this busy machine");
    }

    // The next build that runs to the end cleans up, and writes the whole site.
    let now = whole(&snapshot(&root.join("public"))).expect("whole");
    let next = if now == 'a' { &text_b } else { &text_a };
    std::fs::write(&file, next).expect("write");
    build(&s, "public");
    let want = if now == 'a' { &site_b } else { &site_a };
    assert!(snapshot(&root.join("public")) == *want, "the last build");
    assert_eq!(leftovers(&root), Vec::<String>::new(), "leftovers");
}
