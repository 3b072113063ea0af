//! The roadmap and the accountability review on the example portal, checked against figures this
//! test works out itself from the content files: which milestones are overdue on a given day,
//! the review's order, each team's scorecard and the per-team roadmap pages.

use std::collections::{BTreeMap, BTreeSet};

use scraper::{ElementRef, Html, Selector};

use crate::support::{TestSite, attrs, browser_ready, node_json, repo, texts};

/// A milestone as the content files say, read with the `toml` crate rather than herald.
struct Ms {
    slug: String,
    target: String,
    status: String,
    teams: BTreeSet<String>,
    tasks: Vec<Task>,
}

struct Task {
    team: String,
    due: Option<String>,
    done: bool,
    done_on: Option<String>,
}

fn front_matter(text: &str) -> toml::Table {
    let rest = text.strip_prefix("+++\n").expect("front matter");
    let end = rest.find("\n+++").expect("closing +++");
    rest[..end].parse().expect("TOML")
}

fn date(v: Option<&toml::Value>) -> Option<String> {
    v.map(|d| d.to_string().trim_matches('"').to_string())
}

fn milestones() -> Vec<Ms> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(repo().join("content/roadmap"))
        .expect("roadmap")
        .flatten()
    {
        let text = std::fs::read_to_string(e.path()).expect("read");
        let fm = front_matter(&text);
        let mut teams = BTreeSet::new();
        let owner = fm["owner"].as_str().expect("owner").to_string();
        teams.insert(owner);
        for t in fm
            .get("teams")
            .and_then(|t| t.as_array())
            .into_iter()
            .flatten()
        {
            teams.insert(t.as_str().expect("team").to_string());
        }
        let mut tasks = Vec::new();
        for t in fm
            .get("tasks")
            .and_then(|t| t.as_array())
            .into_iter()
            .flatten()
        {
            let t = t.as_table().expect("task");
            let team = t["team"].as_str().expect("team").to_string();
            teams.insert(team.clone());
            let done_on = date(t.get("done_on"));
            tasks.push(Task {
                team,
                due: date(t.get("due")),
                done: t
                    .get("done")
                    .and_then(toml::Value::as_bool)
                    .unwrap_or(done_on.is_some()),
                done_on,
            });
        }
        out.push(Ms {
            slug: e
                .path()
                .file_stem()
                .expect("stem")
                .to_string_lossy()
                .into_owned(),
            target: date(fm.get("target")).expect("target"),
            status: fm["status"].as_str().expect("status").to_string(),
            teams,
            tasks,
        });
    }
    out.sort_by(|a, b| a.slug.cmp(&b.slug));
    out
}

fn overdue(m: &Ms, today: &str) -> bool {
    m.status != "done" && m.status != "dropped" && m.target.as_str() < today
}

fn slug(team: &str) -> String {
    team.to_lowercase().replace(' ', "-")
}

fn sel(css: &str) -> Selector {
    Selector::parse(css).expect("selector")
}

#[test]
fn overdue_milestones_follow_today() {
    let ms = milestones();
    for today in ["2026-11-23", "2025-06-01", "2028-06-01"] {
        let expected: BTreeSet<String> = ms
            .iter()
            .filter(|m| overdue(m, today))
            .map(|m| m.slug.clone())
            .collect();
        if today == "2026-11-23" {
            let fixed: BTreeSet<String> = ["move-home-online", "two-hour-appointments"]
                .into_iter()
                .map(String::from)
                .collect();
            assert_eq!(
                expected, fixed,
                "the example's story has two overdue milestones"
            );
        }
        let site = TestSite::example();
        site.build_ok(today);
        let roadmap = site.html("roadmap/index.html");
        let marked: BTreeSet<String> = attrs(
            &roadmap,
            ".timeline-row[data-overdue=\"true\"]",
            "data-milestone",
        )
        .into_iter()
        .collect();
        assert_eq!(marked, expected, "overdue marks on /roadmap/ for {today}");
        let all: BTreeSet<String> = attrs(&roadmap, ".timeline-row", "data-milestone")
            .into_iter()
            .collect();
        assert_eq!(all.len(), ms.len(), "every milestone is on the timeline");
        let board: BTreeSet<String> = attrs(&roadmap, ".board-card", "data-milestone")
            .into_iter()
            .collect();
        assert_eq!(board, all, "every milestone is on the board");
        for m in &ms {
            let col = attrs(
                &roadmap,
                &format!(
                    ".board__column[data-board-status=\"{}\"] .board-card[data-milestone=\"{}\"]",
                    m.status, m.slug
                ),
                "data-milestone",
            );
            assert_eq!(col.len(), 1, "{} sits in the {} column", m.slug, m.status);
        }

        let review = site.html("roadmap/review/index.html");
        let listed = attrs(&review, "#overdue tr[data-milestone]", "data-milestone");
        let mut by_lateness: Vec<&Ms> = ms.iter().filter(|m| overdue(m, today)).collect();
        by_lateness.sort_by(|a, b| a.target.cmp(&b.target).then(a.slug.cmp(&b.slug)));
        assert_eq!(
            listed,
            by_lateness
                .iter()
                .map(|m| m.slug.clone())
                .collect::<Vec<_>>(),
            "the review lists every overdue milestone, most overdue first, for {today}"
        );
    }
}

/// Document order of the review's sections.
#[test]
fn the_review_puts_overdue_first_then_at_risk_then_done_then_scorecards() {
    let site = TestSite::example();
    site.build_ok("2026-11-23");
    let review = site.html("roadmap/review/index.html");
    let order = attrs(&review, "main section[id]", "id");
    let pos = |id: &str| {
        order
            .iter()
            .position(|x| x == id)
            .unwrap_or_else(|| panic!("no section #{id} in {order:?}"))
    };
    assert!(pos("overdue") < pos("at-risk"), "{order:?}");
    assert!(pos("at-risk") < pos("done"), "{order:?}");
    assert!(pos("done") < pos("scorecards"), "{order:?}");

    // Overdue tasks: every open task past due, on a milestone that is not dropped.
    let today = "2026-11-23";
    let expected: usize = milestones()
        .iter()
        .filter(|m| m.status != "dropped")
        .flat_map(|m| &m.tasks)
        .filter(|t| !t.done && t.due.as_deref().is_some_and(|d| d < today))
        .count();
    assert!(expected > 0);
    let rows = review
        .select(&sel("#overdue tr[data-overdue-task]"))
        .count();
    assert_eq!(rows, expected, "overdue tasks on the review");

    let at_risk: Vec<String> = milestones()
        .into_iter()
        .filter(|m| m.status == "at-risk" && !overdue(m, today))
        .map(|m| m.slug)
        .collect();
    for slug in &at_risk {
        let links = attrs(&review, "#at-risk a[href]", "href");
        assert!(
            links
                .iter()
                .any(|h| h.ends_with(&format!("/roadmap/{slug}/"))),
            "{slug} is at risk: {links:?}"
        );
    }
}

#[derive(Debug, Default, PartialEq, Eq, Clone, Copy)]
struct Score {
    total: usize,
    due: usize,
    done_on_time: usize,
    done_late: usize,
    overdue: usize,
    open: usize,
}

fn expected_scores(today: &str) -> BTreeMap<String, Score> {
    let mut scores: BTreeMap<String, Score> = BTreeMap::new();
    for m in milestones().iter().filter(|m| m.status != "dropped") {
        for t in &m.tasks {
            let s = scores.entry(slug(&t.team)).or_default();
            s.total += 1;
            if t.due.as_deref().is_some_and(|d| d <= today) {
                s.due += 1;
            }
            let late = matches!((&t.done_on, &t.due), (Some(on), Some(due)) if on > due);
            if t.done && late {
                s.done_late += 1;
            } else if t.done {
                s.done_on_time += 1;
            } else if t.due.as_deref().is_some_and(|d| d < today) {
                s.overdue += 1;
            } else {
                s.open += 1;
            }
        }
    }
    scores
}

fn count(row: ElementRef<'_>, key: &str) -> usize {
    let cell = row
        .select(&sel(&format!("[data-count=\"{key}\"]")))
        .next()
        .unwrap_or_else(|| panic!("no {key} cell"));
    cell.text()
        .collect::<String>()
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("{key} is not a count"))
}

fn read_score(row: ElementRef<'_>) -> Score {
    Score {
        total: count(row, "total"),
        due: count(row, "due"),
        done_on_time: count(row, "done_on_time"),
        done_late: count(row, "done_late"),
        overdue: count(row, "overdue"),
        open: count(row, "open"),
    }
}

#[test]
fn scorecards_count_what_the_content_says() {
    let today = "2026-11-23";
    let expected = expected_scores(today);
    assert!(
        expected.values().any(|s| s.done_late > 0),
        "the example has late tasks, so the scorecard has something to show"
    );
    let site = TestSite::example();
    site.build_ok(today);
    let review = site.html("roadmap/review/index.html");
    let mut seen = BTreeMap::new();
    for row in review.select(&sel("#scorecard tr[data-team]")) {
        let team = row
            .value()
            .attr("data-team")
            .unwrap_or_default()
            .to_string();
        seen.insert(team, read_score(row));
    }
    for (team, score) in &expected {
        assert_eq!(seen.get(team), Some(score), "scorecard of {team}");
        let page = site.html(&format!("teams/{team}/index.html"));
        let row = page
            .select(&sel("[data-scorecard]"))
            .next()
            .unwrap_or_else(|| panic!("teams/{team}/ has no scorecard"));
        assert_eq!(read_score(row), *score, "scorecard on teams/{team}/");
    }
    // A team with no tasks scores zero everywhere rather than disappearing.
    for (team, score) in &seen {
        if !expected.contains_key(team) {
            assert_eq!(*score, Score::default(), "{team} owes nothing");
        }
    }
}

#[test]
fn each_team_has_its_own_roadmap_page_without_javascript() {
    let site = TestSite::example();
    site.build_ok("2026-11-23");
    let ms = milestones();
    let teams: BTreeSet<String> = ms
        .iter()
        .flat_map(|m| m.teams.iter().map(|t| slug(t)))
        .collect();
    for team in &teams {
        let page: Html = site.html(&format!("roadmap/team/{team}/index.html"));
        let shown: BTreeSet<String> = attrs(&page, ".timeline-row", "data-milestone")
            .into_iter()
            .collect();
        let expected: BTreeSet<String> = ms
            .iter()
            .filter(|m| m.teams.iter().any(|t| slug(t) == *team))
            .map(|m| m.slug.clone())
            .collect();
        assert_eq!(shown, expected, "roadmap/team/{team}/");
        let current = attrs(&page, "nav.team-filter [aria-current=\"page\"]", "href");
        assert_eq!(
            current,
            vec![format!("/customers/roadmap/team/{team}/")],
            "the filter marks {team}"
        );
    }
    let all = site.html("roadmap/index.html");
    let links = attrs(&all, "nav.team-filter a", "href");
    for team in &teams {
        assert!(
            links.contains(&format!("/customers/roadmap/team/{team}/")),
            "the filter links {team}: {links:?}"
        );
    }
    assert!(
        texts(&all, "nav.team-filter a").len() > teams.len(),
        "and 'All teams'"
    );
}

#[test]
fn the_team_filter_works_instantly_with_javascript() {
    if !browser_ready() {
        return;
    }
    let site = TestSite::example();
    site.build_ok("2026-11-23");
    let public = site.public();
    let report = node_json(
        "roadmap.mjs",
        &[public.to_str().expect("utf-8"), "/customers/", "billing"],
    );
    let names = |k: &str| -> BTreeSet<String> {
        report[k]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(String::from))
            .collect()
    };
    let expected: BTreeSet<String> = milestones()
        .iter()
        .filter(|m| m.teams.contains("Billing"))
        .map(|m| m.slug.clone())
        .collect();
    assert_eq!(names("before").len(), milestones().len(), "{report}");
    assert_eq!(names("after"), expected, "{report}");
    assert_eq!(report["navigated"], false, "filtered in place: {report}");
    assert!(
        report["url"]
            .as_str()
            .is_some_and(|u| u.ends_with("/customers/roadmap/team/billing/")),
        "{report}"
    );
    assert_eq!(report["current"], "/customers/roadmap/team/billing/");
    assert_eq!(names("back"), names("before"), "Back shows every milestone");
    assert!(
        report["consoleErrors"]
            .as_array()
            .is_some_and(Vec::is_empty),
        "{report}"
    );
}

#[test]
fn the_review_prints_on_a4_and_letter_without_clipping() {
    if !browser_ready() {
        return;
    }
    let site = TestSite::example();
    site.build_ok("2026-11-23");
    let public = site.public();
    let out = repo().join("target/print");
    let report = node_json(
        "print.mjs",
        &[
            public.to_str().expect("utf-8"),
            "/customers/",
            "roadmap/review/",
            out.to_str().expect("utf-8"),
        ],
    );
    let sizes = report["sizes"].as_array().expect("sizes");
    assert_eq!(sizes.len(), 2, "{report}");
    for s in sizes {
        let size = &s["size"];
        assert_eq!(
            s["overflow"], false,
            "{size}: the page is wider than the paper"
        );
        let tables = s["tables"].as_array().expect("tables");
        assert!(tables.len() >= 3, "{size}: the review's tables print: {s}");
        let width = s["width"].as_f64().expect("width");
        for t in tables {
            assert!(
                t["right"].as_f64().is_some_and(|r| r <= width + 0.5),
                "{size}: table {} runs off the page: {t}",
                t["id"]
            );
            assert!(
                t["clippedBy"].as_array().is_some_and(Vec::is_empty),
                "{size}: table {} is clipped by {}",
                t["id"],
                t["clippedBy"]
            );
            assert_eq!(t["cellsOutside"], 0, "{size}: {t}");
            assert!(
                t["overflowingCells"].as_array().is_some_and(Vec::is_empty),
                "{size}: text spills out of cells: {t}"
            );
        }
        assert_eq!(
            s["rowsBreakInside"],
            serde_json::json!(["avoid"]),
            "{size}: no table row is cut across pages"
        );
        assert!(s["pdfPages"].as_u64().is_some_and(|n| n >= 1), "{s}");
        assert!(
            std::path::Path::new(s["screenshot"].as_str().unwrap_or_default()).is_file(),
            "{size}: screenshot written"
        );
    }
}
