//! What each command says when it cannot do its work, and how it exits, as a user meets it:
//! usage errors exit 2 and everything else 1 (SPEC §8), the summary line says what kind of
//! error stopped the run and only speaks of a previous output when there is one, `serve`
//! fails like `build` where there is no site and names the option to change for a port in
//! use, and `init` and `new` write files that build.

use std::process::Command;
use std::time::Duration;

use crate::support::{Run, TestSite, body_text};

const TODAY: &str = "2026-11-23";

const IMPROVEMENT: &str =
    "+++\ntitle = \"Faster refunds\"\ndate = 2026-01-05\nteams = [\"Billing\"]\n+++\nText.\n";

/// An improvement whose team is not in site.toml: one content error.
const BAD_TEAM: &str =
    "+++\ntitle = \"Faster refunds\"\ndate = 2026-01-05\nteams = [\"Bilng\"]\n+++\nText.\n";

/// `herald ARGS` in `site` with one environment variable set.
fn run_with_env(site: &TestSite, args: &[&str], var: &str, value: &str) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_herald"))
        .args(args)
        .current_dir(site.path())
        .env("NO_COLOR", "1")
        .env(var, value)
        .output()
        .expect("run herald");
    Run {
        status: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn a_bad_option_exits_2_and_a_content_or_template_error_exits_1() {
    let s = TestSite::minimal();
    s.write("content/improvements/faster-refunds.md", IMPROVEMENT);

    let r = s.run(&["build", "--base-url", "ftp://intranet/customers/"]);
    assert_eq!(
        r.status, 2,
        "a bad --base-url is a usage error:\n{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("1 usage error and 0 warnings"),
        "{}",
        r.stderr
    );
    let r = run_with_env(&s, &["build"], "SOURCE_DATE_EPOCH", "yesterday");
    assert_eq!(r.status, 2, "a bad SOURCE_DATE_EPOCH:\n{}", r.stderr);
    assert!(!s.public().exists(), "a usage error builds nothing");

    let r = s.run(&["new", "improvement", "  "]);
    assert_eq!(r.status, 2, "an empty title:\n{}", r.stderr);
    let r = s.run(&["new", "improvement", "Faster refunds"]);
    assert_eq!(
        r.status, 1,
        "a file in the way is not a usage error:\n{}",
        r.stderr
    );

    s.write("content/improvements/faster-refunds.md", BAD_TEAM);
    let r = s.run(&["build", "--today", TODAY]);
    assert_eq!(r.status, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("1 content error and 0 warnings"),
        "{}",
        r.stderr
    );
    // A usage error and a content error in one run: the usage error decides.
    let r = s.run(&["build", "--today", TODAY, "--base-url", "intranet"]);
    assert_eq!(r.status, 2, "{}", r.stderr);

    s.write("content/improvements/faster-refunds.md", IMPROVEMENT);
    s.write(
        "themes/default/templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}{{ page.title }\n{% endblock content %}\n",
    );
    s.write("content/about.md", "+++\ntitle = \"About\"\n+++\nHello.\n");
    let r = s.run(&["build", "--today", TODAY]);
    assert_eq!(r.status, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("1 template error and 0 warnings"),
        "{}",
        r.stderr
    );
}

#[test]
fn only_a_kept_output_is_called_unchanged() {
    let s = TestSite::minimal();
    s.write("content/improvements/faster-refunds.md", BAD_TEAM);

    let check = s.run(&["check", "--today", TODAY]);
    assert_eq!(check.status, 1, "{}", check.stderr);
    assert!(
        check.stderr.contains("1 content error and 0 warnings."),
        "{}",
        check.stderr
    );
    assert!(
        !check.stderr.contains("previous output"),
        "check writes nothing, so there is no previous output to speak of:\n{}",
        check.stderr
    );

    let first = s.run(&["build", "--today", TODAY]);
    assert_eq!(first.status, 1, "{}", first.stderr);
    assert!(!s.public().exists());
    assert!(
        first.stderr.contains("nothing was written.") && !first.stderr.contains("previous output"),
        "a first build has no previous output:\n{}",
        first.stderr
    );

    s.write("content/improvements/faster-refunds.md", IMPROVEMENT);
    s.build_ok(TODAY);
    s.write("content/improvements/faster-refunds.md", BAD_TEAM);
    let again = s.run(&["build", "--today", TODAY]);
    assert_eq!(again.status, 1, "{}", again.stderr);
    assert!(
        again
            .stderr
            .contains("nothing was written, the previous output is unchanged."),
        "{}",
        again.stderr
    );
    let check = s.run(&["check", "--today", TODAY]);
    assert!(
        !check.stderr.contains("previous output"),
        "{}",
        check.stderr
    );
}

#[test]
fn serve_without_a_site_exits_1_like_build() {
    let s = TestSite::empty();
    let r = s.run_within(&["serve", "--port", "0"], Duration::from_secs(30));
    assert_eq!(r.status, 1, "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("site.toml") && r.stderr.contains("herald init"),
        "{}",
        r.stderr
    );
    assert!(!r.stdout.contains("Serving"), "{}", r.stdout);
}

#[test]
fn serve_on_a_port_in_use_says_so_and_builds_nothing() {
    let s = TestSite::minimal();
    s.write("content/improvements/faster-refunds.md", IMPROVEMENT);
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port();
    let r = s.run_within(
        &["serve", "--port", &port.to_string()],
        Duration::from_secs(30),
    );
    drop(taken);
    assert_eq!(r.status, 2, "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stderr
            .contains(&format!("port {port} is in use: another herald serve?")),
        "{}",
        r.stderr
    );
    let next = port.checked_add(1).unwrap_or(1111);
    assert!(
        r.stderr.contains(&format!("try --port {next}")),
        "{}",
        r.stderr
    );
    assert!(
        !s.public().exists() && !r.stdout.contains("Built"),
        "nothing is built before the port is known to be free:\n{}",
        r.stdout
    );
}

/// The lines of a milestone file written by `herald new`, with `# ` taken off the lines of its
/// first `[[tasks]]` block (the `[[tasks]]` line and the keys after it, up to a blank line).
fn uncomment_task(text: &str) -> String {
    let mut out = Vec::new();
    let mut in_task = false;
    for line in text.lines() {
        if line == "# [[tasks]]" {
            in_task = true;
        } else if line.trim().is_empty() {
            in_task = false;
        }
        out.push(match line.strip_prefix("# ") {
            Some(rest) if in_task => rest.to_string(),
            _ => line.to_string(),
        });
    }
    out.join("\n") + "\n"
}

#[test]
fn new_milestone_offers_a_tasks_done_on_that_builds() {
    let s = TestSite::minimal();
    let r = s.run(&["new", "milestone", "Plain-language bills"]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    let path = s.path().join("content/roadmap/plain-language-bills.md");
    let text = std::fs::read_to_string(&path).expect("read");
    let task = &text[text.find("# [[tasks]]").expect("a commented task block")..];
    let task = &task[..task.find("\n\n").unwrap_or(task.len())];
    assert!(
        task.lines().any(|l| l.starts_with("# done_on = ")),
        "the task offers done_on, commented:\n{task}"
    );

    // Dated today by `herald new`, so built as of today too.
    let as_written = s.run(&["build"]);
    assert_eq!(as_written.status, 0, "{}", as_written.stderr);
    assert!(as_written.stderr.is_empty(), "{}", as_written.stderr);

    // The task, done_on included, uncommented as an author would.
    std::fs::write(&path, uncomment_task(&text)).expect("write");
    let r = s.run(&["build"]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(r.stderr.is_empty(), "no warnings either:\n{}", r.stderr);
    let page = body_text(&s.html("roadmap/plain-language-bills/index.html"));
    assert!(page.contains("What this team will do"), "{page}");
}

#[test]
fn init_empty_writes_a_bare_portal_that_builds_cleanly_and_says_what_to_change() {
    let s = TestSite::empty();
    let r = s.run(&["init", "--empty", "portal"]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    for line in [
        "site.toml: title, base_url, teams and the [letter] signer",
        "content/ and data/: the example files",
        "Next: cd portal && herald serve",
    ] {
        assert!(r.stdout.contains(line), "says {line:?}:\n{}", r.stdout);
    }
    let portal = s.path().join("portal");
    for file in [
        "site.toml",
        "content/about.md",
        "content/improvements/example-improvement.md",
        "content/roadmap/example-milestone.md",
        "content/recognitions/example-recognition.md",
        "content/announcements/example-announcement.md",
        "data/metrics.toml",
    ] {
        let text =
            std::fs::read_to_string(portal.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(
            !text.contains("Bluestem") && !text.contains("Dana Whitfield"),
            "{file} is not the example portal's"
        );
    }
    // Every key of site.toml comes after a comment that explains it.
    let site = std::fs::read_to_string(portal.join("site.toml")).expect("site.toml");
    let mut previous = "";
    for line in site.lines() {
        let key = line.split(" = ").next().unwrap_or("");
        if !line.starts_with('#') && line.contains(" = ") && !key.contains(' ') {
            assert!(
                previous.starts_with('#'),
                "site.toml explains `{key}` in a comment above it:\n{site}"
            );
        }
        previous = line;
    }

    // It builds, and checks, with no error and no warning.
    for args in [&["check"][..], &["build"]] {
        let out = Command::new(env!("CARGO_BIN_EXE_herald"))
            .args(args)
            .current_dir(&portal)
            .env_remove("SOURCE_DATE_EPOCH")
            .env("NO_COLOR", "1")
            .output()
            .expect("run herald");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?} has no warnings: {stderr}");
    }
    let home = std::fs::read_to_string(portal.join("public/index.html")).expect("index.html");
    let doc = scraper::Html::parse_document(&home);
    let until: Vec<u128> = crate::support::attrs(&doc, ".announcement", "data-until")
        .iter()
        .filter_map(|v| v.parse().ok())
        .collect();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_millis();
    assert!(
        !until.is_empty() && until.iter().all(|u| *u < now),
        "the example announcement is over, so no banner shows: {until:?}"
    );

    // The example portal says what to change too, and how to get the bare one.
    let r = s.run(&["init", "example"]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    for line in [
        "[letter] signer",
        "Bluestem Broadband",
        "herald init --empty",
        "Next: cd example && herald serve",
    ] {
        assert!(r.stdout.contains(line), "says {line:?}:\n{}", r.stdout);
    }
}

#[test]
fn the_readme_documents_init_empty_and_the_same_next_step() {
    let readme = std::fs::read_to_string(crate::support::repo().join("README.md")).expect("README");
    assert!(
        readme.contains("| `herald init [--empty] [DIR]` |"),
        "the command table lists --empty"
    );
    assert!(
        readme.contains("cd my-portal && herald serve"),
        "the README's next step is the one init prints"
    );
}

#[test]
fn new_improvement_says_a_metric_may_be_text_and_that_builds() {
    let s = TestSite::minimal();
    let r = s.run(&["new", "improvement", "Fewer call-backs"]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    let path = s.path().join("content/improvements/fewer-call-backs.md");
    let text = std::fs::read_to_string(&path).expect("read");
    let start = text.find("# [metric]").expect("a commented metric block");
    let block = &text[start..];
    let block = &block[..block.find("\n\n").unwrap_or(block.len())];
    assert!(
        block.contains("such as 1 in 3"),
        "the metric says before may be text:\n{block}"
    );
    assert!(
        block.contains("needed when both are numbers"),
        "and that `better` is needed only for numbers:\n{block}"
    );

    // Uncommented as an author would, with the figures in words and no `better`.
    let metric: String = block
        .lines()
        .map(|l| l.strip_prefix("# ").unwrap_or(l))
        .filter(|l| !l.starts_with("better"))
        .map(|l| match l.split_once('=') {
            Some((k, _)) if k.trim() == "before" => "before = \"1 in 3\"".to_string(),
            Some((k, _)) if k.trim() == "after" => "after = \"1 in 10\"".to_string(),
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&path, text.replace(block, &metric)).expect("write");
    let r = s.run(&["build"]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(r.stderr.is_empty(), "no warnings either:\n{}", r.stderr);
    let page = body_text(&s.html("improvements/fewer-call-backs/index.html"));
    assert!(
        page.contains("1 in 3") && page.contains("1 in 10"),
        "{page}"
    );
}
