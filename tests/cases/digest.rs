//! Telling people: the Atom feeds, the monthly digest's email and text bodies, and the quarterly
//! letter, checked against what the content files say (read with the `toml` crate, not herald).

use std::collections::BTreeMap;

use scraper::{Html, Selector};

use crate::support::{SITE_TOML, TestSite, repo, texts, tool_ready};

const TODAY: &str = "2026-11-23";
const BASE: &str = "https://intranet.example.com/customers/";

/// An example improvement, as its file says.
struct Imp {
    slug: String,
    title: String,
    date: String,
    letter: bool,
    owner: Option<String>,
}

fn front_matter(text: &str) -> toml::Table {
    let rest = text.strip_prefix("+++\n").expect("front matter");
    let end = rest.find("\n+++").expect("closing +++");
    rest[..end].parse().expect("TOML")
}

/// The published (not draft) entries of a section of the example portal, by slug.
fn section(name: &str) -> BTreeMap<String, toml::Table> {
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(repo().join("content").join(name)).expect("section") {
        let p = e.expect("entry").path();
        let (slug, file) = if p.is_dir() {
            (p.file_name(), p.join("index.md"))
        } else {
            (p.file_stem(), p.clone())
        };
        let slug = slug.expect("name").to_string_lossy().into_owned();
        let fm = front_matter(&std::fs::read_to_string(&file).expect("read"));
        if fm.get("draft").and_then(toml::Value::as_bool) != Some(true) {
            out.insert(slug, fm);
        }
    }
    out
}

fn improvements() -> Vec<Imp> {
    section("improvements")
        .into_iter()
        .map(|(slug, fm)| Imp {
            slug,
            title: fm["title"].as_str().expect("title").to_string(),
            date: fm["date"].to_string(),
            letter: fm.get("letter").and_then(toml::Value::as_bool) != Some(false),
            owner: fm.get("owner").and_then(|o| o.as_str()).map(str::to_string),
        })
        .collect()
}

#[test]
fn every_feed_parses_and_carries_every_item_of_its_section() {
    let s = TestSite::example();
    s.build_ok(TODAY);
    let sections = [
        ("improvements", section("improvements")),
        ("roadmap", section("roadmap")),
        ("recognitions", section("recognitions")),
    ];
    let mut all = 0;
    for (name, entries) in &sections {
        let feed = parse(&s, &format!("{name}/atom.xml"));
        let ids: Vec<String> = feed.entries().iter().map(|e| e.id().to_string()).collect();
        let want: Vec<String> = entries
            .keys()
            .map(|slug| format!("{BASE}{name}/{slug}/"))
            .collect();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(sorted, want, "{name}/atom.xml carries its section");
        all += ids.len();
        for e in feed.entries() {
            assert!(!e.title().is_empty(), "{}: a title", e.id());
            let link = &e.links()[0];
            assert_eq!(link.href(), e.id(), "the link is the permalink");
            assert!(e.updated().to_rfc3339() <= format!("{TODAY}T23:59:59"));
            let content = e.content().and_then(|c| c.value()).unwrap_or_default();
            assert!(content.len() > 40, "{}: full content", e.id());
            assert!(
                !content.contains("href=\"/") && !content.contains("src=\"/"),
                "{}: links in the content are absolute",
                e.id()
            );
            if *name != "recognitions" {
                assert!(!e.authors().is_empty(), "{}: an author", e.id());
            }
        }
    }
    let site = parse(&s, "atom.xml");
    assert_eq!(site.entries().len(), all, "atom.xml has every item");
    let faster = site
        .entries()
        .iter()
        .find(|e| e.id().ends_with("/improvements/faster-refunds/"))
        .expect("faster-refunds in the site feed");
    let terms: Vec<&str> = faster.categories().iter().map(|c| c.term()).collect();
    assert!(terms.contains(&"billing"), "teams as categories: {terms:?}");

    // The same feeds through Python's feedparser, the reader most feed tools are built on.
    if !tool_ready(
        "Python feedparser",
        &["/usr/bin/python3", "-c", "import feedparser"],
        "apt-get install python3-feedparser",
    ) {
        return;
    }
    let script = "import sys, feedparser\nfor p in sys.argv[1:]:\n    f = feedparser.parse(p)\n    bad = [e.get('id') for e in f.entries if not (e.get('title') and e.get('link') and e.get('updated') and e.get('content'))]\n    print(p.split('public/')[1], int(bool(f.bozo)), len(f.entries), len(bad))\n";
    let public = s.public();
    let feeds = [
        "atom.xml",
        "improvements/atom.xml",
        "roadmap/atom.xml",
        "recognitions/atom.xml",
    ];
    let out = std::process::Command::new("/usr/bin/python3")
        .arg("-c")
        .arg(script)
        .args(feeds.iter().map(|f| public.join(f)))
        .output()
        .expect("python3");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let counts: BTreeMap<&str, usize> = sections.iter().map(|(n, e)| (*n, e.len())).collect();
    for line in text.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        let want = match f[0] {
            "atom.xml" => all,
            other => counts[other.trim_end_matches("/atom.xml")],
        };
        assert_eq!(
            f[1..],
            ["0", &want.to_string(), "0"],
            "{}: bozo, entries, entries missing a field",
            f[0]
        );
    }
    assert_eq!(text.lines().count(), 4, "{text}");
}

fn parse(s: &TestSite, rel: &str) -> atom_syndication::Feed {
    s.read(rel)
        .parse::<atom_syndication::Feed>()
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn the_email_digest_is_self_contained_and_small() {
    let s = TestSite::minimal();
    let mut titles = Vec::new();
    for n in 1..=14 {
        let title = format!("Improvement number {n} & what it means for <customers>");
        s.write(
            &format!("content/improvements/change-{n:02}.md"),
            &format!(
                "+++\ntitle = \"{title}\"\ndate = 2026-10-{n:02}\nteams = [\"Billing\", \"IT\"]\ncustomers = \"every prepaid customer\"\nimage = \"img/photo.svg\"\n\n[metric]\nname = \"Days to refund\"\nbefore = 10\nafter = {n}\nunit = \"days\"\nbetter = \"lower\"\n\n[quote]\ntext = \"It simply worked.\"\nby = \"A customer\"\n+++\nCustomers now get their money back in days, not weeks. See [the bill](@/improvements/change-01.md).\n\n{}\n",
                "More words about the change. ".repeat(40)
            ),
        );
        titles.push((format!("improvements/change-{n:02}/"), title));
    }
    for n in 1..=6 {
        let title = format!("Thanks to team {n}");
        s.write(
            &format!("content/recognitions/thanks-{n}.md"),
            &format!(
                "+++\ntitle = \"{title}\"\ndate = 2026-10-{:02}\npeople = [\"Ana\", \"Ben\"]\naward = \"Customer Champion\"\nfor = \"change-0{n}\"\n+++\nThank you.\n",
                n + 14
            ),
        );
        titles.push((format!("recognitions/thanks-{n}/"), title));
    }
    s.write(
        "static/img/photo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"3\"/>",
    );
    s.build_ok(TODAY);

    let html = s.read("digest/2026-10/email.html");
    assert!(html.len() < 100_000, "{} bytes", html.len());
    for tag in ["<style", "<link", "<script"] {
        assert!(!html.contains(tag), "{tag} left in the email");
    }
    let doc = Html::parse_document(&html);
    let sel = |css: &str| Selector::parse(css).expect("selector");
    let mut links = 0;
    for a in doc.select(&sel("a")) {
        let href = a.value().attr("href").unwrap_or_default();
        assert!(
            href.starts_with(BASE),
            "a link that is not absolute: {href:?}"
        );
        links += 1;
    }
    let imgs: Vec<&str> = doc
        .select(&sel("img"))
        .map(|i| i.value().attr("src").unwrap_or_default())
        .collect();
    assert_eq!(imgs.len(), 14, "one image per improvement");
    assert!(
        imgs.iter()
            .all(|src| *src == format!("{BASE}img/photo.svg")),
        "{imgs:?}"
    );
    assert!(links >= 20, "{links} links");
    assert!(
        doc.select(&sel("[style]")).count() > 20,
        "the CSS is inlined into style attributes"
    );
    let body = texts(&doc, "h3");
    for (path, title) in &titles {
        assert!(body.contains(title), "{title} in the email");
        assert!(html.contains(&format!("{BASE}{path}")), "{path} linked");
    }

    let text = s.read("digest/2026-10/email.txt");
    for (path, title) in &titles {
        assert!(text.contains(title.as_str()), "{title} in the text version");
        assert!(
            text.contains(&format!("{BASE}{path}")),
            "{path} in the text version"
        );
    }
    assert!(
        !text.contains("&amp;") && !text.contains("&lt;"),
        "text is not HTML-escaped"
    );
    assert!(text.contains(&format!("{BASE}digest/2026-10/")));

    let page = s.html("digest/2026-10/index.html");
    assert_eq!(texts(&page, ".card--improvement .card__title").len(), 14);
    assert_eq!(texts(&page, ".card--recognition .card__title").len(), 6);
    let index = s.html("digest/index.html");
    assert_eq!(texts(&index, ".period-list__title a"), ["October 2026"]);
}

/// A busy month's email shows the first 20 improvements and recognitions and links to the
/// rest on the digest page, which lists them all: an email stays small however big the portal.
#[test]
fn a_busy_months_email_shows_twenty_and_links_to_the_rest() {
    let s = TestSite::minimal();
    for n in 1..=27 {
        s.write(
            &format!("content/improvements/busy-{n:02}.md"),
            &format!(
                "+++\ntitle = \"Busy change {n:02}\"\ndate = 2026-10-{n:02}\nteams = [\"Billing\"]\n+++\n{}\n",
                "Words about the change. ".repeat(60)
            ),
        );
    }
    for n in 1..=22 {
        s.write(
            &format!("content/recognitions/busy-thanks-{n:02}.md"),
            &format!(
                "+++\ntitle = \"Busy thanks {n:02}\"\ndate = 2026-10-{n:02}\npeople = [\"Ana\"]\n+++\nThank you.\n"
            ),
        );
    }
    s.build_ok(TODAY);
    let html = s.read("digest/2026-10/email.html");
    let doc = Html::parse_document(&html);
    let sel = |css: &str| Selector::parse(css).expect("selector");
    let titles = texts(&doc, "h3");
    assert_eq!(
        titles
            .iter()
            .filter(|t| t.starts_with("Busy change"))
            .count(),
        20,
        "{titles:?}"
    );
    assert_eq!(
        titles
            .iter()
            .filter(|t| t.starts_with("Busy thanks"))
            .count(),
        20,
        "{titles:?}"
    );
    let more: Vec<(String, String)> = doc
        .select(&sel(".more a"))
        .map(|a| {
            (
                a.text().collect::<String>(),
                a.value().attr("href").unwrap_or_default().to_string(),
            )
        })
        .collect();
    let page = format!("{BASE}digest/2026-10/");
    assert_eq!(
        more,
        [
            (
                "And 7 more improvements this month, on the intranet".to_string(),
                page.clone()
            ),
            (
                "And 2 more recognitions this month, on the intranet".to_string(),
                page.clone()
            ),
        ]
    );
    let text = s.read("digest/2026-10/email.txt");
    assert_eq!(text.matches("* Busy change").count(), 20);
    assert!(text.contains(&format!("And 7 more improvements this month: {page}")));
    assert!(text.contains(&format!("And 2 more recognitions this month: {page}")));
    let web = s.html("digest/2026-10/index.html");
    assert_eq!(texts(&web, ".card--improvement .card__title").len(), 27);
}

#[test]
fn each_letter_lists_its_quarter_in_the_customers_words_and_names_no_owner() {
    let s = TestSite::example();
    s.build_ok(TODAY);
    let imps = improvements();
    assert!(
        imps.iter().any(|i| !i.letter),
        "the example has a letter = false"
    );
    let mut quarters: BTreeMap<String, Vec<&Imp>> = BTreeMap::new();
    for i in imps.iter().filter(|i| i.date.as_str() <= TODAY) {
        let (y, m) = (&i.date[..4], i.date[5..7].parse::<u32>().expect("month"));
        quarters
            .entry(format!("{y}-Q{}", (m - 1) / 3 + 1))
            .or_default()
            .push(i);
    }
    let owners: Vec<&str> = imps.iter().filter_map(|i| i.owner.as_deref()).collect();
    assert!(!owners.is_empty());
    let mut checked = 0;
    for (q, list) in &quarters {
        let want: Vec<&str> = list
            .iter()
            .filter(|i| i.letter)
            .map(|i| i.title.as_str())
            .collect();
        let rel = format!("letter/{q}/index.html");
        if want.is_empty() {
            assert!(
                !s.public().join(&rel).exists(),
                "{q}: no letter without items"
            );
            continue;
        }
        let doc = s.html(&rel);
        let mut got = texts(&doc, ".letter__item-title");
        got.sort();
        let mut want: Vec<String> = want.iter().map(|t| t.to_string()).collect();
        want.sort();
        assert_eq!(got, want, "{q}: every improvement but letter = false");
        let letter = texts(&doc, ".letter").join(" ");
        for o in &owners {
            assert!(!letter.contains(o), "{q}: names the owner {o}");
        }
        for i in list.iter().filter(|i| !i.letter) {
            assert!(
                !letter.contains(&i.title),
                "{q}: {} is letter = false",
                i.slug
            );
        }
        assert!(letter.contains("Dana Whitfield") && letter.contains("Chief Executive"));
        checked += 1;
    }
    assert!(checked >= 4, "{checked} letters checked");
    let index = s.html("letter/index.html");
    assert_eq!(
        texts(&index, ".period-list__title a").len(),
        checked,
        "the index lists every letter"
    );
}

/// Every letter of the example prints on one page of A4 and of US Letter (headless Chromium's
/// print to PDF), with nothing wider than the paper. Screenshots go to `target/print/letter-*`.
#[test]
fn every_letter_prints_on_one_page() {
    if !crate::support::browser_ready() {
        return;
    }
    let s = TestSite::example();
    s.build_ok(TODAY);
    let public = s.public();
    let mut letters: Vec<String> = std::fs::read_dir(public.join("letter"))
        .expect("letters")
        .filter_map(|e| {
            let e = e.ok()?;
            e.path()
                .is_dir()
                .then(|| e.file_name().to_string_lossy().into_owned())
        })
        .collect();
    letters.sort();
    assert!(letters.len() >= 4, "{letters:?}");
    for q in &letters {
        let out = repo().join(format!("target/print/letter-{q}"));
        let report = crate::support::node_json(
            "print.mjs",
            &[
                public.to_str().expect("utf-8"),
                "/customers/",
                &format!("letter/{q}/"),
                out.to_str().expect("utf-8"),
            ],
        );
        let sizes = report["sizes"].as_array().expect("sizes");
        assert_eq!(sizes.len(), 2, "{report}");
        for size in sizes {
            assert_eq!(size["pdfPages"], 1, "{q} on {}: {size}", size["size"]);
            assert_eq!(size["overflow"], false, "{q} on {}: too wide", size["size"]);
        }
    }
}

#[test]
fn feed_limit_keeps_the_newest_items_of_each_feed() {
    let s = TestSite::minimal();
    s.write("site.toml", &format!("feed_limit = 3\n{SITE_TOML}"));
    for n in 1..=6 {
        s.write(
            &format!("content/improvements/change-{n}.md"),
            &format!("+++\ntitle = \"Change {n}\"\ndate = 2026-10-{n:02}\nteams = [\"Billing\"]\n+++\nBody {n}.\n"),
        );
        s.write(
            &format!("content/recognitions/thanks-{n}.md"),
            &format!("+++\ntitle = \"Thanks {n}\"\ndate = 2026-09-{n:02}\npeople = [\"Ana\"]\n+++\nThanks.\n"),
        );
    }
    s.build_ok(TODAY);
    let ids = |rel: &str| -> Vec<String> {
        parse(&s, rel)
            .entries()
            .iter()
            .map(|e| e.id().trim_start_matches(BASE).to_string())
            .collect()
    };
    assert_eq!(
        ids("improvements/atom.xml"),
        [
            "improvements/change-6/",
            "improvements/change-5/",
            "improvements/change-4/"
        ]
    );
    assert_eq!(
        ids("recognitions/atom.xml"),
        [
            "recognitions/thanks-6/",
            "recognitions/thanks-5/",
            "recognitions/thanks-4/"
        ]
    );
    // The site's feed: the newest three of both sections together.
    assert_eq!(
        ids("atom.xml"),
        [
            "improvements/change-6/",
            "improvements/change-5/",
            "improvements/change-4/"
        ]
    );
    // Every page is still built; only the feeds are cut.
    assert!(
        s.public()
            .join("improvements/change-1/index.html")
            .is_file()
    );
}
