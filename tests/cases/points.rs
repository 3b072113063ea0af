//! An improvement's metric in percent moves in points (issue 19): 33% → 80% is "47 points
//! higher", never "142% higher", on the page, the lists, the team page, the digest on the web
//! and by email, the letter, the feeds and the lobby data. A metric said in words ("1 in 3" →
//! "4 in 5", no `better`) is shown as written in all of them, and other numbers still move in
//! percent of `before`.

use serde_json::Value;

use crate::support::{TestSite, body_text, text, texts};

const TODAY: &str = "2026-11-23";

fn improvement(s: &TestSite, slug: &str, title: &str, date: &str, team: &str, metric: &str) {
    s.write(
        &format!("content/improvements/{slug}.md"),
        &format!(
            "+++\ntitle = {title:?}\ndate = {date}\nteams = [{team:?}]\n\n[metric]\n{metric}\n+++\nWhat changed.\n"
        ),
    );
}

/// A site with a metric in percent, one in percent that moved one point, one said in words and
/// one in days; one per team, so each team page shows one.
fn fixture() -> TestSite {
    let s = TestSite::minimal();
    s.write(
        "site.toml",
        &format!(
            "{}\n[letter]\nsigner = \"Dana Whitfield\"\n",
            crate::support::SITE_TOML
        ),
    );
    improvement(
        &s,
        "first-time",
        "Sorted the first time",
        "2026-11-20",
        "Customer Care",
        "name = \"Callers sorted on the first call\"\nbefore = 33\nafter = 80\nunit = \"%\"\nbetter = \"higher\"",
    );
    improvement(
        &s,
        "callbacks",
        "Fewer callers call back",
        "2026-11-18",
        "IT",
        "name = \"Callers who got what they asked for\"\nbefore = \"1 in 3\"\nafter = \"4 in 5\"",
    );
    improvement(
        &s,
        "complaints",
        "Fewer complaints",
        "2026-11-12",
        "IT",
        "name = \"Bills complained about\"\nbefore = 12\nafter = 11\nunit = \"percent\"\nbetter = \"lower\"",
    );
    improvement(
        &s,
        "refunds",
        "Refunds in two days",
        "2026-11-05",
        "Billing",
        "name = \"Days to refund\"\nbefore = 10\nafter = 2\nunit = \"days\"\nbetter = \"lower\"",
    );
    s
}

fn lobby_metric<'a>(data: &'a Value, id: &str) -> &'a Value {
    &data["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("no lobby item {id}"))["metric"]
}

/// No change is worked out as a percentage of a percentage: 142 (33 → 80), 8.3 (12 → 11).
fn no_percent_of_a_percent(what: &str, text: &str) {
    for wrong in ["142", "8.3%", "8%"] {
        assert!(!text.contains(wrong), "{what}: {wrong:?} in {text}");
    }
}

#[test]
fn a_percentage_moves_in_points_everywhere() {
    let s = fixture();
    s.build_clean(TODAY);

    // The page.
    let doc = s.html("improvements/first-time/index.html");
    assert_eq!(text(&doc, ".metric__num--before"), "33%");
    assert_eq!(text(&doc, ".metric__num--after"), "80%");
    assert_eq!(
        text(&doc, ".metric__change"),
        "↑ 47 points higher — better Higher is better"
    );
    no_percent_of_a_percent("page", &body_text(&doc));
    let doc = s.html("improvements/complaints/index.html");
    assert_eq!(text(&doc, ".metric__num--after"), "11 percent");
    assert_eq!(
        text(&doc, ".metric__change"),
        "↓ 1 point lower — better Lower is better"
    );
    no_percent_of_a_percent("page", &body_text(&doc));

    // The lists: the improvements index, the team pages, the home page, the digest.
    for (page, words) in [
        ("improvements/index.html", "47 points higher — better"),
        (
            "teams/customer-care/index.html",
            "47 points higher — better",
        ),
        ("teams/it/index.html", "1 point lower — better"),
        ("index.html", "47 points higher — better"),
        ("digest/2026-11/index.html", "47 points higher — better"),
        ("digest/2026-11/index.html", "1 point lower — better"),
    ] {
        let doc = s.html(page);
        let changes = texts(&doc, ".metric-line__change");
        assert!(
            changes.iter().any(|c| c.contains(words)),
            "{page}: {changes:?}"
        );
        no_percent_of_a_percent(page, &body_text(&doc));
    }

    // The digest by email.
    let email = s.read("digest/2026-11/email.txt");
    assert!(
        email.contains("Callers sorted on the first call: 33% -> 80% (47 points higher)\n"),
        "{email}"
    );
    assert!(
        email.contains("Bills complained about: 12 percent -> 11 percent (1 point lower)\n"),
        "{email}"
    );
    no_percent_of_a_percent("email.txt", &email);
    let doc = s.html("digest/2026-11/email.html");
    let lines = texts(&doc, "p.metric");
    assert!(
        lines
            .iter()
            .any(|l| l == "Callers sorted on the first call: 33% → 80% (47 points higher)"),
        "{lines:?}"
    );
    no_percent_of_a_percent("email.html", &body_text(&doc));

    // The letter.
    let doc = s.html("letter/2026-Q4/index.html");
    let facts = texts(&doc, ".letter__metric");
    assert!(
        facts.iter().any(
            |l| l == "Callers sorted on the first call: 33% before, 80% now, 47 points higher."
        ),
        "{facts:?}"
    );
    assert!(
        facts
            .iter()
            .any(|l| l
                == "Bills complained about: 12 percent before, 11 percent now, 1 point lower."),
        "{facts:?}"
    );
    no_percent_of_a_percent("letter", &body_text(&doc));

    // The feeds: the site's and the improvements'.
    for feed in ["atom.xml", "improvements/atom.xml"] {
        let feed = s.read(feed);
        assert!(
            feed.contains("Callers sorted on the first call: 33% → 80% (47 points higher)"),
            "{feed}"
        );
        assert!(!feed.contains("142"), "{feed}");
    }
    let feed = s.read("atom.xml");
    assert!(
        feed.contains("Bills complained about: 12 percent → 11 percent (1 point lower)"),
        "{feed}"
    );

    // The lobby data: the change, in points, and no percentage of it.
    let data: Value = serde_json::from_str(&s.read("lobby/data.json")).expect("json");
    let m = lobby_metric(&data, "improvements/first-time");
    assert_eq!(m["points"], true);
    assert_eq!(m["change"], 47.0);
    assert_eq!(m["change_percent"], Value::Null);
    assert_eq!(m["improved"], true);
    let m = lobby_metric(&data, "improvements/complaints");
    assert_eq!(m["points"], true);
    assert_eq!(m["change"], -1.0);
    assert_eq!(m["change_percent"], Value::Null);
}

#[test]
fn a_metric_in_words_without_better_is_shown_as_written_everywhere() {
    let s = fixture();
    s.build_ok(TODAY);
    let written = |what: &str, text: &str| {
        assert!(
            text.contains("1 in 3") && text.contains("4 in 5"),
            "{what}: {text}"
        );
    };

    let doc = s.html("improvements/callbacks/index.html");
    assert_eq!(text(&doc, ".metric__num--before"), "1 in 3");
    assert_eq!(text(&doc, ".metric__num--after"), "4 in 5");
    assert!(texts(&doc, ".metric__change").is_empty());
    for page in [
        "improvements/index.html",
        "teams/it/index.html",
        "digest/2026-11/index.html",
    ] {
        let doc = s.html(page);
        assert!(
            texts(&doc, ".metric-line__after")
                .iter()
                .any(|t| t == "4 in 5"),
            "{page}"
        );
        written(page, &body_text(&doc));
    }
    let email = s.read("digest/2026-11/email.txt");
    assert!(
        email.contains("Callers who got what they asked for: 1 in 3 -> 4 in 5\n"),
        "{email}"
    );
    let lines = texts(&s.html("digest/2026-11/email.html"), "p.metric");
    assert!(
        lines
            .iter()
            .any(|l| l == "Callers who got what they asked for: 1 in 3 → 4 in 5"),
        "{lines:?}"
    );
    let facts = texts(&s.html("letter/2026-Q4/index.html"), ".letter__metric");
    assert!(
        facts
            .iter()
            .any(|l| l == "Callers who got what they asked for: 1 in 3 before, 4 in 5 now."),
        "{facts:?}"
    );
    for feed in ["atom.xml", "improvements/atom.xml"] {
        let feed = s.read(feed);
        assert!(
            feed.contains("Callers who got what they asked for: 1 in 3 → 4 in 5&lt;"),
            "{feed}"
        );
    }
    let data: Value = serde_json::from_str(&s.read("lobby/data.json")).expect("json");
    let m = lobby_metric(&data, "improvements/callbacks");
    assert_eq!(m["before"], "1 in 3");
    assert_eq!(m["after"], "4 in 5");
    for key in ["better", "improved", "change", "change_percent"] {
        assert_eq!(m[key], Value::Null, "{key}");
    }
    assert_eq!(m["points"], false);
}

#[test]
fn other_numbers_still_move_in_percent_of_before() {
    let s = fixture();
    s.build_ok(TODAY);
    let doc = s.html("improvements/refunds/index.html");
    assert_eq!(
        text(&doc, ".metric__change"),
        "↓ 80% lower — better Lower is better"
    );
    let email = s.read("digest/2026-11/email.txt");
    assert!(
        email.contains("Days to refund: 10 days -> 2 days (80% lower)\n"),
        "{email}"
    );
    let facts = texts(&s.html("letter/2026-Q4/index.html"), ".letter__metric");
    assert!(
        facts
            .iter()
            .any(|l| l == "Days to refund: 10 days before, 2 days now, 80% lower."),
        "{facts:?}"
    );
    let feed = s.read("atom.xml");
    assert!(
        feed.contains("Days to refund: 10 days → 2 days (80% lower)"),
        "{feed}"
    );
    let data: Value = serde_json::from_str(&s.read("lobby/data.json")).expect("json");
    let m = lobby_metric(&data, "improvements/refunds");
    assert_eq!(m["points"], false);
    assert_eq!(m["change"], -8.0);
    assert_eq!(m["change_percent"], -80.0);
}
