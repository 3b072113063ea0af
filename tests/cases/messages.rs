//! The messages authors read: one tiny broken site per kind of mistake in
//! `tests/fixtures/broken/NAME/`, built by the real binary, and its stderr kept as an insta
//! snapshot in `tests/cases/snapshots/NAME.snap`. Each message must give file:line:col, the source
//! line with a caret under the problem, and a hint ("did you mean" for a misspelt name).
//!
//! Regenerate after a deliberate wording change with
//! `INSTA_UPDATE=always cargo test --test lib messages`, then read every changed `.snap`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::support::{copy_dir, repo, snapshot};

/// Bytes that are not UTF-8 text (a NUL, then an invalid sequence), for the `binary-file` fixture;
/// written by the test so no binary file is committed.
const BINARY: &[u8] = &[0, 159, 146, 150, 0, 1, 0xff, 0xfe];

fn fixtures_dir() -> PathBuf {
    repo().join("tests/fixtures/broken")
}

/// A fixture copied into a fresh temp dir.
fn site(name: &str) -> tempfile::TempDir {
    let from = fixtures_dir().join(name);
    assert!(from.is_dir(), "no fixture {}", from.display());
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&from, dir.path());
    if name == "binary-file" {
        std::fs::write(dir.path().join("content/improvements/binary.md"), BINARY)
            .expect("write binary.md");
    }
    dir
}

/// What `herald -C DIR build --today 2026-02-01` returned, with stderr piped. `no_color`: `None`
/// removes NO_COLOR from the environment, `Some(v)` sets it to `v`.
fn build(dir: &Path, no_color: Option<&str>) -> (i32, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_herald"));
    cmd.arg("-C")
        .arg(dir)
        .args(["build", "--today", "2026-02-01"])
        .env_remove("SOURCE_DATE_EPOCH")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    match no_color {
        Some(v) => cmd.env("NO_COLOR", v),
        None => cmd.env_remove("NO_COLOR"),
    };
    let out = cmd.output().expect("run herald");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Replaces what differs between machines and runs: the site's temp path (as given and
/// canonicalised) with `[SITE]`, and durations like `0.03 s` with `[TIME]`.
fn normalise(text: &str, dir: &Path) -> String {
    let mut text = text.to_string();
    let mut paths = vec![dir.display().to_string()];
    if let Ok(c) = dir.canonicalize() {
        paths.push(c.display().to_string());
    }
    paths.sort_by_key(|p| std::cmp::Reverse(p.len()));
    for p in paths {
        text = text.replace(&p, "[SITE]");
    }
    replace_times(&text)
}

/// `12.34 s` (digits, a dot, digits, a space and `s` as a word) becomes `[TIME]`.
fn replace_times(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut copied = 0;
    while i < b.len() {
        let starts_number = b[i].is_ascii_digit()
            && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'.'));
        if starts_number {
            let mut j = i;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            if j < b.len() && b[j] == b'.' {
                let mut k = j + 1;
                while k < b.len() && b[k].is_ascii_digit() {
                    k += 1;
                }
                let unit_end = k + 2;
                if k > j + 1
                    && b.get(k) == Some(&b' ')
                    && b.get(k + 1) == Some(&b's')
                    && b.get(unit_end).is_none_or(|c| !c.is_ascii_alphanumeric())
                {
                    out.push_str(&text[copied..i]);
                    out.push_str("[TIME]");
                    copied = unit_end;
                    i = unit_end;
                    continue;
                }
            }
            i = j;
            continue;
        }
        i += 1;
    }
    out.push_str(&text[copied..]);
    out
}

/// Builds fixture `name` and checks its exit status (1: errors, 0: warnings only), that a failed
/// build wrote nothing at all, that piped output has no colour, then snapshots stderr.
fn check(name: &str, expected_status: i32) {
    let dir = site(name);
    let before = snapshot(dir.path());
    let entries_before = entries(dir.path());
    let (status, stderr) = build(dir.path(), Some("1"));
    assert_eq!(
        status, expected_status,
        "fixture {name}: exit status\n{stderr}"
    );
    assert!(
        !stderr.trim().is_empty(),
        "fixture {name}: nothing on stderr"
    );
    assert!(
        !stderr.contains("\x1b["),
        "fixture {name}: colour escapes in piped output:\n{stderr:?}"
    );
    let public = dir.path().join("public");
    if expected_status == 0 {
        assert!(
            public.join("index.html").is_file(),
            "fixture {name}: a warning-only build must still write the site"
        );
        assert!(
            stderr.contains("warning:") && !stderr.contains("error:"),
            "fixture {name}: expected warnings only:\n{stderr}"
        );
    } else {
        assert!(
            !public.exists(),
            "fixture {name}: a failed first build created public/"
        );
        assert!(
            snapshot(dir.path()) == before,
            "fixture {name}: a failed build wrote or changed files in the site folder"
        );
        assert_eq!(
            entries(dir.path()),
            entries_before,
            "fixture {name}: a failed build left files or folders behind"
        );
    }
    let text = normalise(&stderr, dir.path());
    insta::with_settings!({
        snapshot_path => "snapshots",
        prepend_module_to_snapshot => false,
        omit_expression => true,
        description => format!(
            "stderr of `herald build --today 2026-02-01` on tests/fixtures/broken/{name} (exit {expected_status})"
        ),
    }, {
        insta::assert_snapshot!(name, text);
    });
}

/// Every file and folder under `dir`, relative, sorted.
fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .expect("prefix")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    v.sort();
    v
}

macro_rules! fixtures {
    ($($test:ident: $name:literal => $status:literal,)*) => {
        /// Every fixture folder, with the exit status its build must have.
        const FIXTURES: &[(&str, i32)] = &[$(($name, $status)),*];
        $(
            #[test]
            fn $test() {
                check($name, $status);
            }
        )*
    };
}

fixtures! {
    message_invalid_toml_front_matter: "invalid-toml-front-matter" => 1,
    message_missing_required_key: "missing-required-key" => 1,
    message_wrong_type: "wrong-type" => 1,
    message_unknown_key: "unknown-key" => 1,
    message_misspelt_team: "misspelt-team" => 1,
    message_misspelt_task_team: "misspelt-task-team" => 1,
    message_misspelt_status: "misspelt-status" => 1,
    message_unknown_milestone_slug: "unknown-milestone-slug" => 1,
    message_unknown_recognition_for_slug: "unknown-recognition-for-slug" => 1,
    message_broken_link: "broken-link" => 1,
    message_missing_image: "missing-image" => 1,
    message_missing_image_in_bundle: "missing-image-in-bundle" => 1,
    message_missing_image_key: "missing-image-key" => 1,
    message_bad_date: "bad-date" => 1,
    message_bad_date_quoted: "bad-date-quoted" => 1,
    message_yaml_front_matter: "yaml-front-matter" => 1,
    message_unterminated_front_matter: "unterminated-front-matter" => 1,
    message_empty_file: "empty-file" => 1,
    message_binary_file: "binary-file" => 1,
    message_done_without_done_on: "done-without-done-on" => 1,
    message_task_done_on_not_done: "task-done-on-not-done" => 1,
    message_reserved_slug: "reserved-slug" => 1,
    message_duplicate_url: "duplicate-url" => 1,
    message_site_unknown_key: "site-unknown-key" => 1,
    message_site_misspelt_key: "site-misspelt-key" => 1,
    message_site_bad_base_url: "site-bad-base-url" => 1,
    message_metrics_bad_period: "metrics-bad-period" => 1,
    message_csv_bad_number: "csv-bad-number" => 1,
    message_template_syntax_error: "template-syntax-error" => 1,
    message_template_unknown_variable: "template-unknown-variable" => 1,
    message_announcement_until_before_from: "announcement-until-before-from" => 1,
    message_warning_csv_without_metric: "warning-csv-without-metric" => 0,
    message_warning_done_on_but_not_done: "warning-done-on-but-not-done" => 0,
    message_warning_task_due_after_target: "warning-task-due-after-target" => 0,
}

#[test]
fn messages_every_fixture_folder_has_a_test() {
    let mut on_disk: Vec<String> = std::fs::read_dir(fixtures_dir())
        .expect("ls tests/fixtures/broken")
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut tested: Vec<String> = FIXTURES.iter().map(|(n, _)| (*n).to_string()).collect();
    tested.sort();
    assert_eq!(on_disk, tested, "tests/fixtures/broken and FIXTURES differ");
}

#[test]
fn messages_snapshots_have_no_leftover_new_files() {
    let dir = repo().join("tests/cases/snapshots");
    let pending: Vec<String> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".snap.new") || n.ends_with(".pending-snap"))
                .collect()
        })
        .unwrap_or_default();
    assert!(
        pending.is_empty(),
        "review or delete these in {}: {pending:?}",
        dir.display()
    );
}

/// Colour is for terminals only: a pipe never gets escapes, whether NO_COLOR is set, set empty
/// (which main.rs treats as unset) or absent, and the text is the same in every case.
#[test]
fn messages_piped_output_is_never_coloured() {
    let dir = site("misspelt-team");
    let mut seen = Vec::new();
    for no_color in [Some("1"), Some(""), None] {
        let (status, stderr) = build(dir.path(), no_color);
        assert_eq!(status, 1, "NO_COLOR={no_color:?}\n{stderr}");
        assert!(
            !stderr.contains("\x1b["),
            "NO_COLOR={no_color:?}: escapes in piped stderr:\n{stderr:?}"
        );
        assert!(stderr.contains("unknown team \"Custmer Care\""), "{stderr}");
        seen.push(stderr);
    }
    assert!(
        seen.windows(2).all(|w| w[0] == w[1]),
        "piped output depends on NO_COLOR:\n{seen:#?}"
    );
}

#[test]
fn messages_normalise_hides_paths_and_times() {
    let dir = Path::new("/tmp/.tmpAbC123");
    assert_eq!(
        normalise(
            "/tmp/.tmpAbC123/content/x.md in 0.03 s, 12.5 s; v1.2 stays, 3.5 sec stays",
            dir
        ),
        "[SITE]/content/x.md in [TIME], [TIME]; v1.2 stays, 3.5 sec stays"
    );
}
