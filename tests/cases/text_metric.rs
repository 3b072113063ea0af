//! An improvement's metric said in words: `before = "1 in 3"`, `after = "1 in 10"` (SPEC §4).
//! The text is shown as written on the page, the lists, the feed, the lobby data, the digest
//! and the letter; nothing is worked out from it, and nothing is called better or worse. A
//! number on one side keeps its unit. Empty or overlong text is an error at its line.

use serde_json::Value;

use crate::support::{TestSite, body_text, text, texts};

const TODAY: &str = "2026-11-23";

/// A site with one improvement in words, one half number and half words, and one in numbers.
fn fixture() -> TestSite {
    let s = TestSite::minimal();
    s.write(
        "site.toml",
        &format!(
            "{}\n[letter]\nsigner = \"Dana Whitfield\"\nrole = \"Chief Executive\"\n",
            crate::support::SITE_TOML
        ),
    );
    s.write(
        "content/improvements/fewer-callbacks.md",
        "+++\ntitle = \"Sorted on the first call\"\ndate = 2026-11-10\nteams = [\"Customer Care\"]\ncustomers = \"everyone who calls us\"\n\n[metric]\nname = \"Callers who had to call back\"\nbefore = \"1 in 3\"\nafter = \" 1 in 10 \"\n+++\nWe answer the question the first time.\n",
    );
    s.write(
        "content/improvements/same-day-fix.md",
        "+++\ntitle = \"Broken boilers fixed the same day\"\ndate = 2026-11-12\nteams = [\"IT\"]\n\n[metric]\nname = \"Time to fix a boiler\"\nbefore = 3\nafter = \"same day\"\nunit = \"days\"\nbetter = \"lower\"\n+++\nSame day.\n",
    );
    s.write(
        "content/improvements/refunds.md",
        "+++\ntitle = \"Refunds in two days\"\ndate = 2026-11-05\nteams = [\"Billing\"]\n\n[metric]\nname = \"Days to refund\"\nbefore = 10\nafter = 2\nunit = \"days\"\nbetter = \"lower\"\n+++\nFaster.\n",
    );
    s
}

fn lobby_item<'a>(data: &'a Value, id: &str) -> &'a Value {
    data["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("no lobby item {id}"))
}

#[test]
fn a_metric_said_in_words_builds_and_is_shown_as_written_everywhere() {
    let s = fixture();
    s.build_clean(TODAY);

    // The page: both sides as written (trimmed), no change worked out, no rule without `better`.
    let doc = s.html("improvements/fewer-callbacks/index.html");
    assert_eq!(text(&doc, ".metric__num--before"), "1 in 3");
    assert_eq!(text(&doc, ".metric__num--after"), "1 in 10");
    assert!(
        texts(&doc, ".metric__change").is_empty(),
        "nothing to say about the change"
    );
    assert!(texts(&doc, ".metric--good").is_empty());
    let body = body_text(&doc);
    for claim in ["better", "worse", "No change", "NaN"] {
        assert!(!body.contains(claim), "{claim:?} in {body}");
    }

    // Mixed: the number keeps its unit, the text is as written, the rule is given, no verdict.
    let doc = s.html("improvements/same-day-fix/index.html");
    assert_eq!(text(&doc, ".metric__num--before"), "3 days");
    assert_eq!(text(&doc, ".metric__num--after"), "same day");
    assert_eq!(text(&doc, ".metric__change"), "Lower is better");
    assert!(texts(&doc, ".change--good, .change--bad").is_empty());

    // Numbers are worked out as before.
    let doc = s.html("improvements/refunds/index.html");
    assert_eq!(text(&doc, ".metric__num--after"), "2 days");
    assert!(text(&doc, ".metric__change").contains("80% lower — better"));

    // The lists: the improvements index, the team page and the home page.
    for page in [
        "improvements/index.html",
        "teams/customer-care/index.html",
        "index.html",
    ] {
        let doc = s.html(page);
        let before = texts(&doc, ".metric-line__before");
        let after = texts(&doc, ".metric-line__after");
        assert!(before.iter().any(|t| t == "1 in 3"), "{page}: {before:?}");
        assert!(after.iter().any(|t| t == "1 in 10"), "{page}: {after:?}");
        assert!(!body_text(&doc).contains("NaN"), "{page}");
    }
    let doc = s.html("teams/it/index.html");
    assert!(
        texts(&doc, ".metric-line__after")
            .iter()
            .any(|t| t == "same day")
    );

    // The feed.
    let feed = s.read("atom.xml");
    assert!(
        feed.contains("Callers who had to call back: 1 in 3 → 1 in 10"),
        "{feed}"
    );
    assert!(
        feed.contains("Time to fix a boiler: 3 days → same day"),
        "{feed}"
    );

    // The lobby data: text as strings, numbers as numbers, nothing worked out from text.
    let data: Value = serde_json::from_str(&s.read("lobby/data.json")).expect("json");
    let m = &lobby_item(&data, "improvements/fewer-callbacks")["metric"];
    assert_eq!(m["before"], "1 in 3");
    assert_eq!(m["after"], "1 in 10");
    assert_eq!(m["better"], Value::Null);
    assert_eq!(m["improved"], Value::Null);
    assert_eq!(m["change_percent"], Value::Null);
    let m = &lobby_item(&data, "improvements/same-day-fix")["metric"];
    assert_eq!(m["before"], 3.0);
    assert_eq!(m["after"], "same day");
    assert_eq!(m["better"], "lower");
    assert_eq!(m["improved"], Value::Null);
    let m = &lobby_item(&data, "improvements/refunds")["metric"];
    assert_eq!(m["improved"], true);
    assert_eq!(m["change_percent"], -80.0);

    // The month's digest, on the web and by email, and the quarter's letter.
    let digest = body_text(&s.html("digest/2026-11/index.html"));
    assert!(
        digest.contains("1 in 3") && digest.contains("1 in 10"),
        "{digest}"
    );
    let email = s.read("digest/2026-11/email.txt");
    assert!(
        email.contains("Callers who had to call back: 1 in 3 -> 1 in 10\n"),
        "{email}"
    );
    assert!(
        email.contains("Time to fix a boiler: 3 days -> same day\n"),
        "{email}"
    );
    let email = s.html("digest/2026-11/email.html");
    let lines = texts(&email, "p.metric");
    assert!(
        lines
            .iter()
            .any(|l| l == "Callers who had to call back: 1 in 3 → 1 in 10"),
        "{lines:?}"
    );
    assert!(
        texts(&email, "p.metric .good, p.metric .bad").len() == 1,
        "only the numbers are called good or bad"
    );
    let letter = s.html("letter/2026-Q4/index.html");
    let facts = texts(&letter, ".letter__metric");
    assert!(
        facts
            .iter()
            .any(|l| l == "Callers who had to call back: 1 in 3 before, 1 in 10 now."),
        "{facts:?}"
    );
    assert!(
        facts
            .iter()
            .any(|l| l == "Time to fix a boiler: 3 days before, same day now."),
        "{facts:?}"
    );
}

#[test]
fn metric_text_that_is_empty_or_too_long_is_an_error_at_its_line() {
    let s = TestSite::minimal();
    s.write(
        "content/improvements/empty.md",
        "+++\ntitle = \"E\"\ndate = 2026-11-10\nteams = [\"IT\"]\n\n[metric]\nname = \"Callers who called back\"\nbefore = \"  \"\nafter = \"1 in 10\"\n+++\n",
    );
    let long = "one caller in every three, give or take a few ".repeat(5);
    let long = &long[..200];
    s.write(
        "content/improvements/long.md",
        &format!("+++\ntitle = \"L\"\ndate = 2026-11-10\nteams = [\"IT\"]\n\n[metric]\nname = \"Callers who called back\"\nbefore = \"\"\nafter = \"{long}\"\n+++\n"),
    );
    // Numbers still need `better`, with the message they always had.
    s.write(
        "content/improvements/numbers.md",
        "+++\ntitle = \"N\"\ndate = 2026-11-10\nteams = [\"IT\"]\n\n[metric]\nname = \"Days\"\nbefore = 10\nafter = 2\n+++\n",
    );
    // A number in quotes is text: it builds, with a warning that says how to make it a number.
    s.write(
        "content/improvements/quoted.md",
        "+++\ntitle = \"Q\"\ndate = 2026-11-10\nteams = [\"IT\"]\n\n[metric]\nname = \"Days\"\nbefore = \"10\"\nafter = \"about 2\"\n+++\n",
    );
    // Neither a number nor text.
    s.write(
        "content/improvements/date.md",
        "+++\ntitle = \"D\"\ndate = 2026-11-10\nteams = [\"IT\"]\n\n[metric]\nname = \"Days\"\nbefore = 2026-01-01\nafter = \"now\"\n+++\n",
    );
    // Text without quotes is not TOML; the message says what the key takes.
    s.write(
        "content/improvements/unquoted.md",
        "+++\ntitle = \"U\"\ndate = 2026-11-10\nteams = [\"IT\"]\n\n[metric]\nname = \"Callers\"\nbefore = \"1 in 3\"\nafter = 1 in 10\n+++\n",
    );
    let r = s.run(&["build", "--today", TODAY]);
    assert_eq!(r.status, 1, "{}", r.stderr);
    let e = &r.stderr;
    for (loc, message, hint) in [
        (
            "content/improvements/empty.md:8",
            "`before` is empty",
            "help: write a number, or short text as people say it: before = 42, or before = \"1 in 3\"",
        ),
        (
            "content/improvements/long.md:9",
            "`after` is 200 characters long; it is shown big, so at most 40 fit",
            "help: say it short, as people say it: after = \"1 in 3\"",
        ),
        (
            "content/improvements/numbers.md",
            "an improvement's metric is missing required key `better`",
            "help: add a line: better = \"...\"",
        ),
        (
            "content/improvements/quoted.md:8",
            "`before` is the text \"10\", so it is shown as written and herald cannot work out the change",
            "help: to compare the numbers, write it without quotes: before = 10",
        ),
        (
            "content/improvements/date.md:8",
            "`before` must be a number, or short text in double quotes, not the date 2026-01-01",
            "help: write it like: before = 42, or before = \"1 in 3\"",
        ),
        (
            "content/improvements/unquoted.md:9",
            "front matter is not valid TOML: `after` is a number, or short text in double quotes",
            "help: put text in double quotes: after = \"1 in 10\"; a number goes alone: after = 42",
        ),
    ] {
        let at = e
            .find(message)
            .unwrap_or_else(|| panic!("no {message:?} in:\n{e}"));
        let rest = &e[at..];
        let next = rest[1..]
            .find("\nerror")
            .or(rest[1..].find("\nwarning"))
            .map_or(rest.len(), |i| i + 1);
        let block = &rest[..next];
        assert!(block.contains(loc), "no {loc} for {message:?} in:\n{block}");
        assert!(
            block.contains(hint),
            "no hint {hint:?} for {message:?} in:\n{block}"
        );
    }
    assert!(
        !e.contains("long.md:1:1"),
        "text that is wrong is not also reported as a missing `better`:\n{e}"
    );
    assert_eq!(e.matches("error:").count(), 6, "{e}");
}
