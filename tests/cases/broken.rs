//! Broken input: every kind of mistake is reported at once, each with file:line and a hint, the
//! exit status is 1, and the previous output folder is left byte for byte as it was.

use crate::support::{TestSite, snapshot};

const GOOD_MILESTONE: &str = "+++\ntitle = \"Plain bills\"\nphase = \"Year 1\"\ntarget = 2026-01-10\nstatus = \"planned\"\nowner = \"Billing\"\n+++\nText.\n";
const GOOD_IMPROVEMENT: &str =
    "+++\ntitle = \"Faster refunds\"\ndate = 2026-01-05\nteams = [\"Billing\"]\n+++\nText.\n";

fn good_site() -> TestSite {
    let s = TestSite::minimal();
    s.write("content/roadmap/plain-bills.md", GOOD_MILESTONE);
    s.write("content/improvements/faster-refunds.md", GOOD_IMPROVEMENT);
    s
}

/// (file, line, words the message must contain, words the hint must contain)
const BROKEN: &[(&str, &str, usize, &str, &str)] = &[
    (
        "content/improvements/bad-toml.md",
        "+++\ntitle = \"Unclosed\ndate = 2026-01-05\n+++\n",
        2,
        "not valid TOML",
        "double quotes",
    ),
    (
        "content/improvements/no-teams.md",
        "+++\ntitle = \"No teams\"\ndate = 2026-01-05\n+++\n",
        1,
        "missing required key `teams`",
        "teams = ",
    ),
    (
        "content/improvements/wrong-type.md",
        "+++\ntitle = \"Wrong type\"\ndate = 2026-01-05\nteams = \"Billing\"\n+++\n",
        4,
        "must be a list",
        "[\"Billing\"]",
    ),
    (
        "content/roadmap/bad-status.md",
        "+++\ntitle = \"Bad status\"\nphase = \"Year 1\"\ntarget = 2026-01-10\nstatus = \"in progress\"\nowner = \"Billing\"\n+++\n",
        5,
        "unknown status \"in progress\"",
        "did you mean \"in-progress\"",
    ),
    (
        "content/improvements/bad-milestone.md",
        "+++\ntitle = \"Bad milestone\"\ndate = 2026-01-05\nteams = [\"Billing\"]\nmilestone = \"plain-bill\"\n+++\n",
        5,
        "there is no milestone \"plain-bill\"",
        "did you mean \"plain-bills\"",
    ),
    (
        "content/improvements/bad-team.md",
        "+++\ntitle = \"Bad team\"\ndate = 2026-01-05\nteams = [\"Billing\", \"Custmer Care\"]\nmilestone = \"nope\"\n+++\n",
        4,
        "unknown team \"Custmer Care\"",
        "did you mean \"Customer Care\"",
    ),
    (
        "content/improvements/bad-team.md",
        "",
        5,
        "there is no milestone \"nope\"",
        "the file name of a milestone",
    ),
    (
        "content/improvements/faster-refunds/index.md",
        "+++\ntitle = \"Duplicate\"\ndate = 2026-01-05\nteams = [\"Billing\"]\n+++\n",
        0,
        "same address /improvements/faster-refunds/",
        "rename one",
    ),
    (
        "content/improvements/bad-date.md",
        "+++\ntitle = \"Bad date\"\ndate = \"2026-02-30\"\nteams = [\"Billing\"]\n+++\n",
        3,
        "not a real date",
        "2026-03-14",
    ),
    (
        "content/recognitions/unknown-key.md",
        "+++\ntitle = \"Thanks\"\ndate = 2026-01-05\npeople = [\"Ana\"]\nawrd = \"Champion\"\n+++\n",
        5,
        "unknown key `awrd`",
        "did you mean `award`",
    ),
    (
        "content/roadmap/task-done-on.md",
        "+++\ntitle = \"Task\"\nphase = \"Year 1\"\ntarget = 2026-01-10\nstatus = \"planned\"\nowner = \"Billing\"\n\n[[tasks]]\nteam = \"IT\"\ntask = \"Open\"\ndue = 2026-01-02\ndone = false\ndone_on = 2026-01-03\n+++\n",
        13,
        "`done_on` is set but the task says done = false",
        "set done = true",
    ),
    (
        "content/roadmap/task-team.md",
        "+++\ntitle = \"Task team\"\nphase = \"Year 1\"\ntarget = 2026-01-10\nstatus = \"planned\"\nowner = \"Billing\"\n\n[[tasks]]\nteam = \"Biling\"\ntask = \"Open\"\n+++\n",
        9,
        "unknown team \"Biling\"",
        "did you mean \"Billing\"",
    ),
    (
        "content/roadmap/review.md",
        GOOD_MILESTONE,
        0,
        "/roadmap/review/ is a page herald makes itself",
        "rename the file",
    ),
    (
        "data/metrics.toml",
        "[[metric]]\nkey = \"nps\"\nname = \"NPS\"\nbetter = \"higher\"\npoints = [\n  { period = \"2026-01\", value = 7 },\n  { period = \"Feb 2026\", value = 9 },\n]\n",
        7,
        "\"Feb 2026\" is not a period",
        "2026-Q1 (a quarter)",
    ),
    (
        "data/nps.csv",
        "period,value\n2026-01,17.2\n2026-02,17,1\n",
        3,
        "a row needs 2 columns",
        "2026-03,88.4",
    ),
];

#[test]
fn every_error_is_reported_with_file_line_and_hint_and_output_is_untouched() {
    let s = good_site();
    s.build_ok("2026-02-01");
    let before = snapshot(&s.public());
    assert!(before.len() > 10);

    for (file, text, _, _, _) in BROKEN {
        if !text.is_empty() {
            s.write(file, text);
        }
    }
    s.write(
        "site.toml",
        &format!("{}colour = \"blue\"\n", crate::support::SITE_TOML),
    );
    s.write("themes/default/templates/page.html", "{% extends \"base.html\" %}\n{% block content %}\n{% if page.title %}\n{{ page.title }\n{% endblock content %}\n");
    s.write("content/about.md", "+++\ntitle = \"About\"\n+++\nHi\n");

    let r = s.run(&["build", "--today", "2026-02-01"]);
    assert_eq!(r.status, 1, "content errors exit 1\n{}", r.stderr);
    let err = &r.stderr;
    for (file, _, line, message, hint) in BROKEN {
        let loc = if *line > 0 {
            format!("{file}:{line}")
        } else {
            file.to_string()
        };
        assert!(err.contains(&loc), "no location {loc} in:\n{err}");
        assert!(err.contains(message), "no message {message:?} in:\n{err}");
        assert!(err.contains(hint), "no hint {hint:?} in:\n{err}");
    }
    assert!(
        err.contains("site.toml:6") && err.contains("unknown key `colour`"),
        "site.toml error:\n{err}"
    );
    assert!(
        err.contains("themes/default/templates/page.html:4"),
        "template error with its line:\n{err}"
    );
    assert!(err.contains("nothing was written"), "{err}");
    assert!(
        snapshot(&s.public()) == before,
        "the previous output changed"
    );
    let leftovers: Vec<String> = std::fs::read_dir(s.path())
        .expect("ls")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("herald"))
        .collect();
    assert!(leftovers.is_empty(), "staging left behind: {leftovers:?}");

    // `check` reports the same and writes nothing.
    let c = s.run(&["check", "--today", "2026-02-01"]);
    assert_eq!(c.status, 1);
    assert!(c.stderr.contains("unknown team \"Custmer Care\""));
}

#[test]
fn broken_markdown_links_and_missing_files_are_errors() {
    let s = good_site();
    s.write(
        "content/improvements/links.md",
        "+++\ntitle = \"Links\"\ndate = 2026-01-05\nteams = [\"Billing\"]\n+++\nSee [the bill](@/improvements/faster-refund.md).\n\n![chart](chart.png)\n",
    );
    let r = s.run(&["build", "--today", "2026-02-01"]);
    assert_eq!(r.status, 1);
    assert!(
        r.stderr.contains("content/improvements/links.md:6"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("did you mean @/improvements/faster-refunds.md?"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("content/improvements/links.md:8")
            && r.stderr.contains("\"chart.png\" does not exist"),
        "{}",
        r.stderr
    );
}

#[test]
fn files_that_are_not_text_or_not_front_matter_are_explained() {
    let s = good_site();
    std::fs::write(
        s.path().join("content/improvements/binary.md"),
        [0u8, 159, 146, 150, 0, 1],
    )
    .expect("write");
    s.write("content/improvements/yaml.md", "---\ntitle: x\n---\n");
    s.write("content/improvements/unclosed.md", "+++\ntitle = \"x\"\n");
    s.write("content/improvements/empty.md", "");
    s.write("content/improvements/Capital Name.md", GOOD_IMPROVEMENT);
    let r = s.run(&["build", "--today", "2026-02-01"]);
    assert_eq!(r.status, 1);
    let e = &r.stderr;
    assert!(
        e.contains("binary.md") && e.contains("not a text file"),
        "{e}"
    );
    assert!(e.contains("yaml.md:1") && e.contains("not YAML"), "{e}");
    assert!(
        e.contains("unclosed.md:1") && e.contains("never closed"),
        "{e}"
    );
    assert!(
        e.contains("empty.md") && e.contains("the file is empty"),
        "{e}"
    );
    assert!(
        e.contains("Capital Name.md") && e.contains("rename the file to capital-name.md"),
        "{e}"
    );
}

#[test]
fn done_needs_done_on_and_late_tasks_warn() {
    let s = good_site();
    s.write(
        "content/roadmap/finished.md",
        "+++\ntitle = \"Finished\"\nphase = \"Year 1\"\ntarget = 2026-01-10\nstatus = \"done\"\nowner = \"Billing\"\n\n[[tasks]]\nteam = \"IT\"\ntask = \"Late\"\ndue = 2026-02-01\n+++\n",
    );
    let r = s.run(&["build", "--today", "2026-02-01"]);
    assert_eq!(r.status, 1);
    assert!(
        r.stderr.contains("finished.md:5") && r.stderr.contains("needs `done_on`"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("finished.md:11") && r.stderr.contains("warning"),
        "{}",
        r.stderr
    );
}

/// A folder link under content/ to the site's folder (or any folder holding content/) is one
/// error naming the link and where it points, not one error for every file read twice.
#[cfg(unix)]
#[test]
fn a_folder_link_above_content_is_one_error_naming_the_link() {
    let s = TestSite::example();
    std::os::unix::fs::symlink("..", s.path().join("content/site")).expect("symlink");
    std::os::unix::fs::symlink("../..", s.path().join("content/roadmap/up")).expect("symlink");
    let r = s.run(&["build", "--today", "2026-02-01"]);
    assert_eq!(r.status, 1, "{}", r.stderr);
    let e = &r.stderr;
    assert_eq!(e.matches("error:").count(), 2, "one error per link:\n{e}");
    for (link, target) in [("content/site", ".."), ("content/roadmap/up", "../..")] {
        assert!(e.contains(&format!("--> {link}\n")), "names {link}:\n{e}");
        assert!(
            e.contains(&format!("help: it points at {target}: remove the link")),
            "says where {link} points:\n{e}"
        );
    }
    assert!(
        e.contains("this folder link leads to the site's folder, which holds content/"),
        "{e}"
    );
}

/// The hint for an unknown key names the kind, or the table, whose keys it lists.
#[test]
fn unknown_keys_list_the_keys_of_their_kind() {
    let s = good_site();
    s.write(
        "content/about.md",
        "+++\ntitle = \"About\"\nxyzzy = 1\n+++\nHi\n",
    );
    s.write(
        "content/improvements/metric.md",
        "+++\ntitle = \"M\"\ndate = 2026-01-05\nteams = [\"Billing\"]\n\n[metric]\nname = \"Days\"\nbefore = 10\nafter = 2\nbetter = \"lower\"\nqwerty = 3\n+++\n",
    );
    s.write(
        "content/roadmap/tasks.md",
        "+++\ntitle = \"T\"\nphase = \"Year 1\"\ntarget = 2026-01-10\nstatus = \"planned\"\nowner = \"Billing\"\n\n[[tasks]]\nteam = \"IT\"\ntask = \"Open\"\nzork = true\n+++\n",
    );
    let r = s.run(&["build", "--today", "2026-02-01"]);
    assert_eq!(r.status, 1, "{}", r.stderr);
    let e = &r.stderr;
    for (loc, hint) in [
        (
            "content/about.md:3",
            "help: remove it; the keys of a page are: title, summary, tags",
        ),
        (
            "content/improvements/metric.md:11",
            "help: remove it; the keys of an improvement's metric are: name, before, after",
        ),
        (
            "content/roadmap/tasks.md:11",
            "help: remove it; the keys of a task are: team, task, due",
        ),
    ] {
        assert!(e.contains(loc), "no {loc} in:\n{e}");
        assert!(e.contains(hint), "no hint {hint:?} in:\n{e}");
    }
    assert!(!e.contains("a page keys are"), "{e}");
}

/// A file whose front matter does not parse still exists: the milestone, recognition and
/// Markdown link that name it get no errors of their own.
#[test]
fn a_file_with_a_syntax_error_still_exists_for_references_and_links() {
    let s = TestSite::example();
    let file = s.path().join("content/improvements/faster-refunds.md");
    let text = std::fs::read_to_string(&file).expect("read");
    let broken = text.replacen(
        "title = \"Refunds land in two days, not ten\"",
        "title = \"Refunds land in two days, not ten",
        1,
    );
    assert_ne!(broken, text, "the example's title line changed");
    std::fs::write(&file, broken).expect("write");
    let r = s.run(&["build", "--today", "2026-02-01"]);
    assert_eq!(r.status, 1, "{}", r.stderr);
    let e = &r.stderr;
    assert_eq!(
        e.matches("error:").count(),
        1,
        "only the syntax error:\n{e}"
    );
    assert!(
        e.contains("content/improvements/faster-refunds.md:2:"),
        "{e}"
    );
    assert!(!e.contains("there is no improvement"), "{e}");
    assert!(!e.contains("doorstep-password"), "{e}");
    assert!(!e.contains("refunds-in-days.md"), "{e}");
}

/// Past a syntax error the rest of the file is still checked, and says so; the key on the
/// broken line is not also reported missing.
#[test]
fn problems_past_a_syntax_error_are_reported_too() {
    let s = good_site();
    s.write(
        "content/roadmap/past.md",
        "+++\ntitle = \"Past\"\nphase = Year 1\ntarget = 2026-01-10\nstatus = \"planed\"\nowner = \"Biling\"\ncolour = \"blue\"\n+++\n",
    );
    let r = s.run(&["build", "--today", "2026-02-01"]);
    assert_eq!(r.status, 1, "{}", r.stderr);
    let e = &r.stderr;
    assert!(
        e.contains("content/roadmap/past.md:3:"),
        "the syntax error:\n{e}"
    );
    let note = "(found with line 3 left out, past the syntax error)";
    for (loc, message) in [
        ("content/roadmap/past.md:5:", "unknown status \"planed\""),
        ("content/roadmap/past.md:6:", "unknown team \"Biling\""),
        (
            "content/roadmap/past.md:7:",
            "unknown key `colour` in a milestone",
        ),
    ] {
        assert!(e.contains(loc), "no {loc} in:\n{e}");
        assert!(
            e.contains(&format!("{message} {note}")),
            "no {message:?} with the note in:\n{e}"
        );
    }
    assert!(
        e.contains("help: did you mean \"planned\"?") && e.contains("did you mean \"Billing\"?"),
        "{e}"
    );
    assert!(!e.contains("missing required key"), "{e}");
    assert_eq!(e.matches("error:").count(), 4, "{e}");
}

/// A value TOML cannot read, for a key whose type herald knows, is explained in plain words
/// (what the key wants and how to write it), not in the TOML parser's terms.
#[test]
fn values_toml_cannot_read_are_explained_in_plain_words() {
    let s = good_site();
    s.write(
        "content/roadmap/words.md",
        "+++\ntitle = \"Words\"\nphase = \"Year 1\"\ntarget = 2027-02-01\nstatus = \"planned\"\nowner = \"Billing\"\n\n[[tasks]]\nteam = Billing\ntask = \"Do it\"\ndue = 31/01/2027\ndone = no\n+++\n",
    );
    s.write(
        "content/improvements/words.md",
        "+++\ntitle = \"Words\"\ndate = 2026-01-05\nteams = [Billing, IT]\n+++\n",
    );
    let r = s.run(&["build", "--today", "2026-02-01"]);
    assert_eq!(r.status, 1, "{}", r.stderr);
    let e = &r.stderr;
    for (loc, message, hint) in [
        (
            "content/roadmap/words.md:9:8",
            "`team` is text",
            "put it in double quotes: team = \"Billing\"",
        ),
        (
            "content/roadmap/words.md:11:7",
            "`due` is a date",
            "dates are written year-month-day, without quotes: due = 2027-01-31",
        ),
        (
            "content/roadmap/words.md:12:8",
            "`done` is yes or no",
            "write done = true or done = false",
        ),
        (
            "content/improvements/words.md:4:10",
            "`teams` is a list of text values",
            "teams = [\"Billing\", \"IT\"]",
        ),
    ] {
        assert!(e.contains(loc), "no {loc} in:\n{e}");
        assert!(e.contains(message), "no {message:?} in:\n{e}");
        assert!(e.contains(hint), "no hint {hint:?} in:\n{e}");
    }
    for jargon in [
        "invalid float",
        "invalid boolean",
        "must be quoted",
        "expected `",
    ] {
        assert!(!e.contains(jargon), "{jargon:?} reaches the author:\n{e}");
    }
    assert_eq!(e.matches("error:").count(), 4, "one error per line:\n{e}");
}
