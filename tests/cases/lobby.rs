//! The lobby display in headless Chromium, with the page's clock controlled by the test:
//! rotation, eligibility over time, the welcome slide, republishing, the network going away,
//! memory over two days, layout at three screen sizes, QR codes, weight and announcements.

use serde_json::Value;

use crate::support::{TestSite, browser_ready, node_json};

/// The local noon of the build day in the fixture's time zone (America/Chicago).
const NOON: &str = "2026-11-23T12:00:00-06:00";
const TODAY: &str = "2026-11-23";

const LOBBY_TOML: &str = r#"title = "Test Portal"
base_url = "https://intranet.example.com/customers/"
description = "What we changed for customers"
timezone = "America/Chicago"
teams = ["Billing", "Customer Care", "IT"]

[lobby]
slide_seconds = 5
max_age_days = 90
check_seconds = 10
reload_hours = 24

[[lobby.screens]]
name = "reception"

[[lobby.screens]]
name = "care"
teams = ["Customer Care"]
"#;

fn improvement(s: &TestSite, slug: &str, title: &str, date: &str, extra: &str) {
    s.write(
        &format!("content/improvements/{slug}.md"),
        &format!("+++\ntitle = {title:?}\ndate = {date}\nteams = [\"Billing\"]\n{extra}\n+++\nWhat changed for customers.\n"),
    );
}

/// Items whose eligibility differs between the build day and 100 days later.
fn fixture() -> TestSite {
    let s = TestSite::empty();
    s.write("site.toml", LOBBY_TOML);
    improvement(
        &s,
        "recent",
        "Refunds in two days",
        "2026-11-20",
        "[metric]\nname = \"Days to refund\"\nbefore = 10\nafter = 2\nunit = \"days\"\nbetter = \"lower\"\n\n[quote]\ntext = \"The money was back the same week.\"\nby = \"Marta, customer since 2019\"",
    );
    improvement(
        &s,
        "hidden",
        "Not for screens",
        "2026-11-22",
        "lobby = false",
    );
    improvement(
        &s,
        "until-december",
        "Winter payment holidays",
        "2026-11-21",
        "lobby_until = 2026-12-31",
    );
    improvement(
        &s,
        "february",
        "Spring price freeze",
        "2027-02-01",
        "lobby_from = 2027-02-01",
    );
    s.write(
        "content/roadmap/listen.md",
        "+++\ntitle = \"Ask after every contact\"\nphase = \"Year 1\"\ntarget = 2026-12-01\nstatus = \"done\"\ndone_on = 2026-11-10\nowner = \"Customer Care\"\n+++\nDone.\n",
    );
    s
}

/// The fixture, built, when browser tests can run.
fn built_fixture() -> Option<TestSite> {
    if !browser_ready() {
        return None;
    }
    let s = fixture();
    build(&s);
    Some(s)
}

fn build(s: &TestSite) {
    s.build_ok(TODAY);
}

fn lobby(s: &TestSite, scenario: &str, page: &str, args: &[&str]) -> Value {
    let public = s.public();
    let mut all = vec![
        scenario,
        public.to_str().expect("utf-8"),
        "/customers/",
        page,
    ];
    all.extend_from_slice(args);
    let r = node_json("lobby.mjs", &all);
    assert_eq!(
        r["external"],
        serde_json::json!([]),
        "requests left the site: {}",
        r["external"]
    );
    assert_eq!(
        r["pageErrors"],
        serde_json::json!([]),
        "uncaught errors: {}",
        r["pageErrors"]
    );
    assert_eq!(
        r["consoleErrors"],
        serde_json::json!([]),
        "console errors: {}",
        r["consoleErrors"]
    );
    r
}

/// Every sample of the run had a slide visibly on screen.
fn never_blank(r: &Value) {
    assert!(
        r["minVisible"].as_i64() >= Some(1),
        "a moment with no slide on screen: {r}"
    );
}

fn ids(v: &Value) -> Vec<String> {
    let mut out: Vec<String> = v
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|x| x.as_str().map(str::to_string))
        .collect();
    out.sort();
    out
}

#[test]
fn slides_advance_every_slide_seconds() {
    let Some(s) = built_fixture() else { return };
    let r = lobby(&s, "rotation", "lobby/", &[NOON, "21"]);
    let changes = r["changes"].as_array().expect("changes");
    assert!(changes.len() >= 4, "4 changes in 21 s at 5 s a slide: {r}");
    let times: Vec<i64> = changes.iter().map(|c| c[0].as_i64().expect("t")).collect();
    for w in times.windows(2) {
        let gap = w[1] - w[0];
        assert!(
            (4000..=6000).contains(&gap),
            "slides change every 5 s, not after {gap} ms: {times:?}"
        );
    }
    never_blank(&r);
}

#[test]
fn moving_the_clock_100_days_changes_what_is_eligible() {
    let Some(s) = built_fixture() else { return };
    let r = lobby(&s, "eligibility", "lobby/", &[NOON, "100", "5"]);
    // On the build day: the recent improvement, the one shown until December, the milestone
    // reached on 10 November. Not: lobby = false, nor February's (before its lobby_from).
    assert_eq!(
        ids(&r["before"]),
        [
            "improvements/recent",
            "improvements/until-december",
            "roadmap/listen"
        ],
        "{r}"
    );
    // 100 days later: everything from November is older than 90 days or past its window;
    // February's has started.
    assert_eq!(ids(&r["after"]), ["improvements/february"], "{r}");
    assert_eq!(
        ids(&r["shownAfter"]),
        ["improvements/february"],
        "only the eligible item is shown: {r}"
    );
}

#[test]
fn a_screen_filters_by_team_and_an_empty_screen_welcomes() {
    let Some(s) = built_fixture() else { return };
    // The care screen shows Customer Care's items only: the milestone it owns.
    let r = lobby(&s, "rotation", "lobby/care/", &[NOON, "6"]);
    assert_eq!(
        r["first"]["eligible"],
        serde_json::json!(["roadmap/listen"]),
        "{r}"
    );

    let empty = TestSite::empty();
    empty.write("site.toml", LOBBY_TOML);
    std::fs::create_dir_all(empty.path().join("content")).expect("mkdir");
    build(&empty);
    let r = lobby(&empty, "rotation", "lobby/", &[NOON, "12"]);
    assert_eq!(r["first"]["current"], "welcome", "{r}");
    never_blank(&r);
}

#[test]
fn a_clock_that_reads_1970_still_rotates() {
    let Some(s) = built_fixture() else { return };
    let r = lobby(&s, "rotation", "lobby/", &["1970-01-01T12:00:00Z", "16"]);
    assert!(r["changes"].as_array().is_some_and(|c| c.len() >= 2), "{r}");
    assert_ne!(
        r["first"]["current"], "welcome",
        "date rules are ignored, not everything: {r}"
    );
}

#[test]
fn a_republished_build_reaches_the_screen_without_a_blank_frame() {
    let Some(s) = built_fixture() else { return };
    improvement(&s, "brand-new", "Brand new for the lobby", "2026-11-23", "");
    let herald = env!("CARGO_BIN_EXE_herald");
    let root = s.path().to_str().expect("utf-8");
    // check_seconds (10) + one slide (5), with a second of slack for the tick.
    let r = lobby(
        &s,
        "republish",
        "lobby/reception/",
        &[
            NOON,
            "25",
            "brand-new",
            herald,
            "-C",
            root,
            "build",
            "--today",
            TODAY,
        ],
    );
    assert_ne!(r["versionBefore"], r["versionAfter"], "{r}");
    let seen = r["seenAtMs"].as_i64().expect("the new item was shown");
    assert!(
        seen <= 16_000,
        "shown after {seen} ms, more than check_seconds + one slide"
    );
    never_blank(&r);
}

#[test]
fn the_rotation_goes_on_when_the_network_is_gone() {
    let Some(s) = built_fixture() else { return };
    let r = lobby(&s, "offline", "lobby/", &[NOON, "40"]);
    assert!(r["distinct"].as_i64() >= Some(3), "{r}");
    never_blank(&r);
    let text = r["bodyText"].as_str().unwrap_or("").to_lowercase();
    assert!(
        !text.contains("error") && !text.contains("offline"),
        "nothing alarming on screen: {text}"
    );
}

/// 48 hours at 5 s a slide is 34,560 slide changes, and one full reload at 24 hours
/// (`reload_hours`). The bounds, after garbage collection each hour: the JS heap never exceeds
/// its first-hour size by 1 MB (a leak of 30 bytes per slide change would), and the second day's
/// highest heap, DOM node and listener counts are within a small margin of the first day's. Each
/// sample is taken on the same slide, since the DOM's size depends on which slide is up.
#[test]
fn memory_stays_flat_over_48_hours() {
    let Some(s) = built_fixture() else { return };
    let r = lobby(&s, "soak", "lobby/", &[NOON, "48"]);
    let hourly = r["hourly"].as_array().expect("hourly");
    assert_eq!(hourly.len(), 48);
    let series = |k: &str| -> Vec<f64> {
        hourly
            .iter()
            .map(|h| h[k].as_f64().unwrap_or(f64::NAN))
            .collect()
    };
    let max = |v: &[f64]| v.iter().copied().fold(f64::MIN, f64::max);
    let (heap, nodes, listeners) = (series("heap"), series("nodes"), series("listeners"));
    assert!(
        max(&heap) - heap[0] < 1_000_000.0,
        "heap grew by {} bytes: {heap:?}",
        max(&heap) - heap[0]
    );
    assert!(
        max(&heap[25..]) <= max(&heap[..24]) + 100_000.0,
        "day two's heap peak is above day one's: {heap:?}"
    );
    // Every sample is taken on the same slide, two seconds after it came up, so the DOM is the
    // same size each time unless something leaks: one stray element per rotation would add
    // hundreds of nodes a day.
    assert_eq!(
        r["aligned"].as_i64(),
        Some(49),
        "samples on the reference slide: {r}"
    );
    assert!(
        max(&nodes[25..]) <= max(&nodes[..24]) + 10.0,
        "DOM nodes grew: {nodes:?}"
    );
    assert!(
        max(&listeners[25..]) <= max(&listeners[..24]),
        "listeners grew: {listeners:?}"
    );
    assert!(r["distinct"].as_i64() >= Some(3), "it kept rotating: {r}");
}

#[test]
fn slides_fit_every_screen_and_their_qr_codes_open_the_story() {
    if !browser_ready() {
        return;
    }
    let s = fixture();
    let long_title = "Customers who move home within our network keep their internet, their number, their price and their router, with no gap in service at all";
    assert!(long_title.len() > 130);
    improvement(
        &s,
        "long",
        long_title,
        "2026-11-22",
        "[quote]\ntext = \"I moved on a Saturday, plugged the router in at the new place, and it simply worked, which after twenty years of moving house with other providers felt like a small miracle, honestly.\"\nby = \"Bartholomew Alexander Featherstonehaugh-Wolstenholme, customer since 1998\"",
    );
    s.write(
        "content/recognitions/long-names.md",
        "+++\ntitle = \"The night shift that answered every single call during the October ice storm without a single dropped call\"\ndate = 2026-11-19\npeople = [\"Maximiliana Konstantinopoulou-Vanderberghe\", \"Rhiannon Oluwaseun Castellanos-Whitfield\", \"Customer Care night shift, Norman and Wichita\"]\nteam = \"Customer Care\"\naward = \"Customer Champion of the Year\"\nfor = \"long\"\n+++\nThanks.\n",
    );
    build(&s);
    let shots = s.path().join("shots");
    let mut decoded = 0;
    for (w, h) in [("1920", "1080"), ("3840", "2160"), ("1080", "1920")] {
        let r = lobby(
            &s,
            "layout",
            "lobby/",
            &[NOON, w, h, shots.to_str().expect("utf-8")],
        );
        let slides = r["slides"].as_object().expect("slides");
        assert!(
            slides.len() >= 5,
            "{w}x{h}: only {} slides seen",
            slides.len()
        );
        for (id, info) in slides {
            assert_eq!(
                info["bad"],
                serde_json::json!([]),
                "{w}x{h} {id}: overflow {}",
                info["bad"]
            );
            assert_eq!(
                info["inView"], true,
                "{w}x{h} {id}: text off the screen: {}",
                info["offscreen"]
            );
            assert_eq!(info["docOverflow"], false, "{w}x{h} {id}: page scrolls");
            if id == "welcome" {
                continue;
            }
            let path = id;
            let png = info["qr"]
                .as_str()
                .unwrap_or_else(|| panic!("{w}x{h} {id}: no QR code"));
            let img = image::open(png).expect("QR screenshot").to_luma8();
            let mut prepared = rqrr::PreparedImage::prepare(img);
            let grids = prepared.detect_grids();
            assert_eq!(grids.len(), 1, "{w}x{h} {id}: no QR code found in {png}");
            let (_, content) = grids[0].decode().expect("decodes");
            assert_eq!(
                content,
                format!("https://intranet.example.com/customers/{path}/"),
                "{w}x{h} {id}"
            );
            decoded += 1;
        }
    }
    assert!(decoded >= 15, "decoded {decoded} QR codes");
}

/// A metric said in words (`before = "1 in 3"`) is on its slide as written, fits, and no
/// number is made up from it; a number beside text keeps its unit.
/// Builds `s`, lays its lobby out at 1920×1080 in Chromium, and gives a function from a slide's
/// id to its words (spaces collapsed, no-break spaces as spaces), once it has checked that the
/// slide is there, in view, not overflowing, and shows no NaN, undefined or 142.
fn slide_words(s: &TestSite) -> impl Fn(&str) -> String {
    build(s);
    let shots = s.path().join("shots");
    let r = lobby(
        s,
        "layout",
        "lobby/",
        &[NOON, "1920", "1080", shots.to_str().expect("utf-8")],
    );
    let slides = r["slides"].as_object().expect("slides").clone();
    move |id: &str| {
        let info = slides
            .get(id)
            .unwrap_or_else(|| panic!("no slide {id} in {:?}", slides.keys()));
        assert_eq!(info["bad"], serde_json::json!([]), "{id}: overflow");
        assert_eq!(info["inView"], true, "{id}: {}", info["offscreen"]);
        let text = info["text"].as_str().expect("text");
        assert!(
            !text.contains("NaN") && !text.contains("undefined") && !text.contains("142"),
            "{id}: {text}"
        );
        text.replace('\u{a0}', " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

#[test]
fn a_metric_in_words_is_shown_on_the_slide_as_written() {
    if !browser_ready() {
        return;
    }
    let s = TestSite::empty();
    s.write("site.toml", LOBBY_TOML);
    improvement(
        &s,
        "callbacks",
        "Sorted on the first call",
        "2026-11-22",
        "[metric]\nname = \"Callers who had to call back\"\nbefore = \"1 in 3\"\nafter = \"1 in 10\"",
    );
    improvement(
        &s,
        "boilers",
        "Boilers fixed the same day",
        "2026-11-21",
        "[metric]\nname = \"Time to fix a boiler\"\nbefore = 3\nafter = \"same day\"\nunit = \"days\"\nbetter = \"lower\"",
    );
    // The longest text allowed, on both sides, still fits the slide.
    improvement(
        &s,
        "longest",
        "Fewer callers wait",
        "2026-11-20",
        "[metric]\nname = \"Callers who waited on hold\"\nbefore = \"most callers, most days, all of the year\"\nafter = \"hardly anyone, on any day, at any hour..\"",
    );
    let slide = slide_words(&s);
    let words = slide("improvements/callbacks");
    assert!(words.contains("1 in 3"), "{words}");
    assert!(words.contains("1 in 10"), "{words}");
    assert!(!words.contains("better") && !words.contains('%'), "{words}");
    let mixed = slide("improvements/boilers");
    // innerText runs the number and its unit's span together: "3days".
    assert!(mixed.contains("3days"), "{mixed}");
    assert!(
        mixed.contains("same day") && !mixed.contains("same daydays"),
        "{mixed}"
    );
    assert!(mixed.contains("lower is better"), "{mixed}");
    let longest = slide("improvements/longest");
    assert!(
        longest.contains("most callers, most days, all of the year"),
        "{longest}"
    );
}

/// A metric in percent moves in points on its slide ("↑ 47 points", "↓ 1 point"), never in
/// percent of itself ("142%"); so does a headline metric's tile; other numbers keep "↓ 80%",
/// and a metric in words without `better` is shown as written.
#[test]
fn a_percentage_moves_in_points_on_the_slide() {
    if !browser_ready() {
        return;
    }
    let s = TestSite::empty();
    s.write("site.toml", LOBBY_TOML);
    improvement(
        &s,
        "first-time",
        "Sorted the first time",
        "2026-11-22",
        "[metric]\nname = \"Callers sorted on the first call\"\nbefore = 33\nafter = 80\nunit = \"%\"\nbetter = \"higher\"",
    );
    improvement(
        &s,
        "complaints",
        "Fewer complaints",
        "2026-11-21",
        "[metric]\nname = \"Bills complained about\"\nbefore = 12\nafter = 11\nunit = \"percent\"\nbetter = \"lower\"",
    );
    improvement(
        &s,
        "callbacks",
        "Callers get what they asked for",
        "2026-11-20",
        "[metric]\nname = \"Callers who got what they asked for\"\nbefore = \"1 in 3\"\nafter = \"4 in 5\"",
    );
    improvement(
        &s,
        "refunds",
        "Refunds in two days",
        "2026-11-19",
        "[metric]\nname = \"Days to refund\"\nbefore = 10\nafter = 2\nunit = \"days\"\nbetter = \"lower\"",
    );
    s.write(
        "data/metrics.toml",
        "[[metric]]\nkey = \"stay\"\nname = \"Customers who stay\"\nunit = \"%\"\nbetter = \"higher\"\npoints = [\n  { period = \"2026-09\", value = 88 },\n  { period = \"2026-10\", value = 90 },\n]\n",
    );
    let slide = slide_words(&s);
    let words = slide("improvements/first-time");
    assert!(words.contains("↑ 47 points · higher is better"), "{words}");
    let words = slide("improvements/complaints");
    assert!(words.contains("↓ 1 point · lower is better"), "{words}");
    assert!(!words.contains('%'), "{words}");
    let words = slide("improvements/callbacks");
    assert!(
        words.contains("1 in 3") && words.contains("4 in 5"),
        "{words}"
    );
    assert!(
        !words.contains("better") && !words.contains("point") && !words.contains('%'),
        "{words}"
    );
    let words = slide("improvements/refunds");
    assert!(words.contains("↓ 80% · lower is better"), "{words}");
    let words = slide("metrics/stay");
    assert!(words.contains("▲ 2 points better"), "{words}");
}

#[test]
fn three_hundred_items_weigh_under_2_mb() {
    if !browser_ready() {
        return;
    }
    let s = TestSite::empty();
    s.write("site.toml", LOBBY_TOML);
    let today: jiff::civil::Date = TODAY.parse().expect("date");
    for i in 0..300 {
        let date = today
            .checked_sub(jiff::Span::new().days(i % 85))
            .expect("date");
        improvement(
            &s,
            &format!("improvement-number-{i}"),
            &format!(
                "Improvement number {i}: a change customers asked for, made by several teams together"
            ),
            &date.to_string(),
            "customers = \"everyone who calls us about a bill\"\n[metric]\nname = \"Days to answer\"\nbefore = 10\nafter = 2\nunit = \"days\"\nbetter = \"lower\"\n[quote]\ntext = \"It was sorted before I had finished explaining.\"\nby = \"A customer since 2012\"",
        );
    }
    build(&s);
    let r = lobby(&s, "weight", "lobby/", &[NOON]);
    assert_eq!(r["eligible"], 300, "{}", r["eligible"]);
    let total = r["total"].as_f64().expect("total");
    assert!(
        total < 2_000_000.0,
        "the lobby page and what it loads weigh {total} bytes: {}",
        r["sizes"]
    );
}

#[test]
fn an_urgent_announcement_takes_over_and_expires() {
    let Some(s) = built_fixture() else { return };
    s.write(
        "content/announcements/fire-drill.md",
        "+++\ntitle = \"Fire drill at 2 pm: leave by the nearest exit\"\nfrom = 2026-11-23T11:00:00\nuntil = 2026-11-23T12:01:00\nlevel = \"urgent\"\n+++\nAssemble in the car park.\n",
    );
    let herald = env!("CARGO_BIN_EXE_herald");
    let root = s.path().to_str().expect("utf-8");
    let r = lobby(
        &s,
        "republish",
        "lobby/",
        &[
            NOON,
            "11",
            "fire-drill",
            herald,
            "-C",
            root,
            "build",
            "--today",
            TODAY,
        ],
    );
    let seen = r["seenAtMs"].as_i64().expect("the announcement was shown");
    assert!(
        seen <= 11_000,
        "urgent shown after {seen} ms, more than check_seconds"
    );
    // It was live until 12:01; the sampling ran to 12:00:12 + page load. Run on past `until`.
    let r = lobby(
        &s,
        "rotation",
        "lobby/",
        &["2026-11-23T12:00:30-06:00", "60"],
    );
    let shown: Vec<&str> = r["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter_map(|c| c[1].as_str())
        .collect();
    assert_eq!(r["first"]["current"], "announcements/fire-drill", "{r}");
    assert!(
        shown.iter().any(|c| !c.starts_with("announcements/")),
        "the rotation resumes after `until`: {shown:?}"
    );
    assert!(
        !shown.last().is_some_and(|c| c.contains("fire-drill")),
        "{shown:?}"
    );
}

#[test]
fn every_screen_gets_its_page_data_and_version() {
    let s = fixture();
    build(&s);
    for dir in ["lobby", "lobby/reception", "lobby/care"] {
        for f in ["index.html", "data.json", "version.json"] {
            assert!(
                s.public().join(dir).join(f).is_file(),
                "{dir}/{f} is missing"
            );
        }
        let data: Value = serde_json::from_str(&s.read(&format!("{dir}/data.json"))).expect("json");
        let version: Value =
            serde_json::from_str(&s.read(&format!("{dir}/version.json"))).expect("json");
        assert_eq!(data["version"], version["version"], "{dir}");
        assert_eq!(data["app"], version["app"], "{dir}");
        assert_eq!(data["timezone"], "America/Chicago");
        assert_eq!(data["today"], TODAY);
        assert_eq!(data["slide_seconds"], 5);
    }
    let all: Value = serde_json::from_str(&s.read("lobby/data.json")).expect("json");
    let ids: Vec<&str> = all["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["id"].as_str())
        .collect();
    assert!(
        ids.contains(&"improvements/hidden"),
        "lobby = false items are sent, for ?debug to explain"
    );
    let hidden = all["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["id"] == "improvements/hidden")
        .expect("hidden");
    assert_eq!(hidden["lobby"], false);
    let care: Value = serde_json::from_str(&s.read("lobby/care/data.json")).expect("json");
    let care_ids: Vec<&str> = care["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["id"].as_str())
        .collect();
    assert_eq!(
        care_ids,
        ["roadmap/listen"],
        "the care screen has Customer Care's items only"
    );
    let recent = all["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["id"] == "improvements/recent")
        .expect("recent");
    assert_eq!(
        recent["url"],
        "https://intranet.example.com/customers/improvements/recent/"
    );
    assert_eq!(recent["metric"]["improved"], true);
    assert!(recent["qr"].as_str().is_some_and(|q| q.starts_with("<svg")));

    // A new build with the same content has the same version; a change gives a new one.
    let before = s.read("lobby/version.json");
    build(&s);
    assert_eq!(s.read("lobby/version.json"), before);
    improvement(&s, "another", "Another", "2026-11-23", "");
    build(&s);
    assert_ne!(s.read("lobby/version.json"), before);
}

#[test]
fn author_text_cannot_break_out_of_the_lobby_data() {
    let s = fixture();
    improvement(
        &s,
        "evil",
        "</script><script>alert('pwned')</script>",
        "2026-11-22",
        "customers = \"<img src=x onerror=alert(1)>\"",
    );
    build(&s);
    let page = s.read("lobby/index.html");
    assert!(
        !page.contains("<script>alert('pwned')"),
        "the title closed the data script"
    );
    assert!(
        !page.contains("<img src=x"),
        "raw markup in the embedded data"
    );
    let data: Value = serde_json::from_str(&s.read("lobby/data.json")).expect("json");
    let evil = data["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["id"] == "improvements/evil")
        .expect("evil");
    assert_eq!(
        evil["title"], "</script><script>alert('pwned')</script>",
        "the text itself is kept, as text"
    );
}

#[test]
fn large_photos_are_resized_for_the_screens() {
    let s = fixture();
    let img = image::RgbImage::from_fn(4000, 3000, |x, y| {
        image::Rgb([(x % 251) as u8, (y % 241) as u8, 128])
    });
    std::fs::create_dir_all(s.path().join("content/improvements/photo")).expect("mkdir");
    img.save(s.path().join("content/improvements/photo/big.jpg"))
        .expect("save");
    s.write(
        "content/improvements/photo/index.md",
        "+++\ntitle = \"With a big photo\"\ndate = 2026-11-22\nteams = [\"Billing\"]\nimage = \"big.jpg\"\nimage_alt = \"A test pattern\"\n+++\nText.\n",
    );
    build(&s);
    let data: Value = serde_json::from_str(&s.read("lobby/data.json")).expect("json");
    let item = data["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["id"] == "improvements/photo")
        .expect("photo");
    let url = item["image"].as_str().expect("image url");
    let rel = url
        .strip_prefix("/customers/")
        .expect("under the base path");
    let resized = image::open(s.public().join(rel)).expect("published image");
    assert!(
        resized.width() <= 1920 && resized.height() <= 1080,
        "{}x{}",
        resized.width(),
        resized.height()
    );
    assert_eq!(
        resized.width(),
        1440,
        "aspect ratio kept (4:3 in 1920x1080)"
    );
    assert!(
        s.public().join("improvements/photo/big.jpg").is_file(),
        "the intranet page keeps the original"
    );
}

#[test]
fn announcements_for_named_screens_stay_on_them() {
    let s = fixture();
    s.write(
        "content/announcements/care-only.md",
        "+++\ntitle = \"Care team huddle\"\nfrom = 2026-11-23\nuntil = 2026-11-24\nlevel = \"urgent\"\nscreens = [\"care\"]\n+++\nNow.\n",
    );
    s.write(
        "content/announcements/everyone.md",
        "+++\ntitle = \"Town hall\"\nfrom = 2026-11-23\nuntil = 2026-11-24\n+++\nFriday.\n",
    );
    build(&s);
    let ann = |dir: &str| -> Vec<String> {
        let d: Value = serde_json::from_str(&s.read(&format!("{dir}data.json"))).expect("json");
        d["announcements"]
            .as_array()
            .expect("announcements")
            .iter()
            .filter_map(|a| a["id"].as_str().map(str::to_string))
            .collect()
    };
    assert_eq!(
        ann("lobby/care/"),
        ["announcements/care-only", "announcements/everyone"]
    );
    assert_eq!(ann("lobby/reception/"), ["announcements/everyone"]);
    assert_eq!(
        ann("lobby/"),
        ["announcements/everyone"],
        "the all-items page is not taken over by another screen's message"
    );
}

#[test]
fn items_too_old_to_return_are_not_sent_to_screens() {
    let s = fixture();
    improvement(&s, "last-january", "From last January", "2026-01-15", "");
    improvement(&s, "just-in-time", "Exactly 90 days old", "2026-08-25", "");
    build(&s);
    let data: Value = serde_json::from_str(&s.read("lobby/data.json")).expect("json");
    let ids: Vec<&str> = data["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["id"].as_str())
        .collect();
    assert!(
        !ids.contains(&"improvements/last-january"),
        "older than max_age_days at build time: it can never be shown again"
    );
    assert!(
        ids.contains(&"improvements/just-in-time"),
        "still eligible today: {ids:?}"
    );
    assert!(
        s.public()
            .join("improvements/last-january/index.html")
            .is_file(),
        "the intranet keeps it"
    );
}
