//! Full-text search: the index files a build writes under `search/` (read back here with a
//! decoder of the format documented in src/search.rs), incremental rebuilds of the index, and
//! the /search/ page in headless Chromium.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

use herald::BuildOptions;
use herald::serve::session::Session;

use crate::support::{TestSite, browser_ready, node_json, snapshot};

const TODAY: &str = "2026-11-23";

/// An improvement whose body has a word no other file has ("recalibrated"), and whose title
/// has another ("Quokka").
const QUOKKA: &str = r#"+++
title = "Quokka parcels reach rural customers sooner"
date = 2026-10-01
teams = ["Field Service"]
+++

Our couriers recalibrated the routing for rural parcels, so deliveries now arrive a day sooner.

## How

The depot moved its cut-off to the afternoon.
"#;

/// The example portal with [`QUOKKA`] and an announcement that has a word of its own.
fn site() -> TestSite {
    let site = TestSite::example();
    site.write("content/improvements/quokka-parcels.md", QUOKKA);
    let path = site
        .path()
        .join("content/announcements/champion-nominations-open.md");
    let text = std::fs::read_to_string(&path).expect("announcement");
    std::fs::write(
        path,
        format!("{text}\nZeppelinfest tickets are at reception.\n"),
    )
    .expect("write");
    site
}

/// The index a build wrote, read back.
struct Index {
    dir: PathBuf,
    manifest: Value,
    /// Each shard's first word and file name, in index order.
    shards: Vec<(String, String)>,
}

/// One document holding a term: its number, how often the term occurs, and whether the title
/// has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Posting {
    doc: usize,
    tf: u32,
    title: bool,
}

/// The order the index keeps words in: UTF-16 code units, as the script compares strings.
fn utf16_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

fn vlq(s: &str) -> Vec<u32> {
    const B64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut v, mut shift) = (0u32, 0);
    for c in s.chars() {
        let d = B64.find(c).expect("a base-64 character") as u32;
        v |= (d & 31) << shift;
        if d & 32 != 0 {
            shift += 5;
        } else {
            out.push(v);
            v = 0;
            shift = 0;
        }
    }
    assert_eq!(shift, 0, "postings end mid-number");
    out
}

impl Index {
    fn open(public: &Path) -> Self {
        let dir = public.join("search");
        let text = std::fs::read_to_string(dir.join("index.json")).expect("search/index.json");
        let manifest: Value = serde_json::from_str(&text).expect("manifest JSON");
        let shards = manifest["shards"]
            .as_array()
            .expect("shards")
            .iter()
            .map(|s| {
                (
                    s[0].as_str().expect("first word").to_string(),
                    s[1].as_str().expect("name").to_string(),
                )
            })
            .collect();
        Index {
            dir,
            manifest,
            shards,
        }
    }

    fn docs(&self) -> usize {
        self.manifest["docs"].as_u64().expect("docs") as usize
    }

    /// The shard that would hold `word`: the last whose first word is not after it.
    fn shard_of(&self, word: &str) -> Option<usize> {
        let n = self
            .shards
            .partition_point(|(first, _)| utf16_cmp(first, word).is_le());
        n.checked_sub(1)
    }

    fn shard(&self, n: usize) -> Value {
        let path = self
            .dir
            .join("t")
            .join(format!("{}.json", self.shards[n].1));
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("shard {n} ({}): {e}", path.display()));
        serde_json::from_str(&text).expect("shard JSON")
    }

    fn postings(&self, term: &str) -> Vec<Posting> {
        let Some(n) = self.shard_of(term) else {
            return Vec::new();
        };
        let Some(s) = self.shard(n)["t"][term].as_str().map(str::to_string) else {
            return Vec::new();
        };
        let nums = vlq(&s);
        assert_eq!(nums.len() % 2, 0, "postings of {term:?} come in pairs");
        let mut doc: Option<usize> = None;
        nums.chunks(2)
            .map(|p| {
                let d = match doc {
                    None => p[0] as usize,
                    Some(prev) => prev + p[0] as usize + 1,
                };
                doc = Some(d);
                Posting {
                    doc: d,
                    tf: p[1] >> 1,
                    title: p[1] & 1 == 1,
                }
            })
            .collect()
    }

    fn form(&self, word: &str) -> Option<String> {
        let n = self.shard_of(word)?;
        self.shard(n)["f"][word].as_str().map(str::to_string)
    }

    /// A document's row: [path, title, kind, date, teams, excerpt].
    fn row(&self, doc: usize) -> Value {
        let chunk = self.manifest["chunk"].as_u64().expect("chunk") as usize;
        let text =
            std::fs::read_to_string(self.dir.join("d").join(format!("{}.json", doc / chunk)))
                .expect("document table");
        let rows: Value = serde_json::from_str(&text).expect("rows");
        rows[doc % chunk].clone()
    }

    fn path(&self, doc: usize) -> String {
        self.row(doc)[0].as_str().expect("path").to_string()
    }

    /// The lower bound of a document's length class.
    fn length(&self, doc: usize) -> u64 {
        const B64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let l = self.manifest["lengths"]
            .as_str()
            .expect("lengths")
            .as_bytes();
        let class = B64.find(l[doc] as char).expect("base 64");
        self.manifest["length_classes"][class]
            .as_u64()
            .expect("class")
    }
}

fn term(word: &str) -> String {
    let t = herald::search::terms("en", word);
    assert_eq!(t.len(), 1, "{word:?} is one word");
    t[0].clone()
}

/// The visible text of a built page's main content.
fn page_text(public: &Path, path: &str) -> String {
    let html = std::fs::read_to_string(public.join(path).join("index.html")).expect("page");
    let doc = scraper::Html::parse_document(&html);
    let sel = scraper::Selector::parse("main").expect("selector");
    doc.select(&sel)
        .flat_map(|e| e.text())
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_index_points_each_term_at_the_documents_that_have_it() {
    let site = site();
    site.build_ok(TODAY);
    let public = site.public();
    let index = Index::open(&public);
    let m = &index.manifest;
    assert_eq!(m["format"], 1);
    assert_eq!(m["language"], "en");
    assert_eq!(m["stemmer"], "english");

    // Every improvement, milestone, recognition and page, and nothing else.
    let mut expected = BTreeSet::new();
    for e in walkdir::WalkDir::new(site.path().join("content"))
        .into_iter()
        .flatten()
    {
        let rel = e
            .path()
            .strip_prefix(site.path().join("content"))
            .expect("prefix")
            .to_string_lossy()
            .replace('\\', "/");
        if !rel.ends_with(".md") || rel.starts_with("announcements/") {
            continue;
        }
        let text = std::fs::read_to_string(e.path()).expect("read");
        if text.contains("\ndraft = true") {
            continue;
        }
        let path = rel.trim_end_matches(".md").trim_end_matches("/index");
        expected.insert(format!("{path}/"));
    }
    let paths: BTreeSet<String> = (0..index.docs()).map(|d| index.path(d)).collect();
    assert_eq!(
        paths, expected,
        "the documents are every entry but announcements"
    );
    assert_eq!(m["lengths"].as_str().expect("lengths").len(), index.docs());
    for d in 0..index.docs() {
        let row = index.row(d);
        let path = row[0].as_str().expect("path");
        assert!(
            public.join(path).join("index.html").is_file(),
            "{path} is a page"
        );
        let kind = row[2].as_str().expect("kind");
        let section = path.split('/').next().expect("section");
        let want = match section {
            "improvements" => "improvement",
            "roadmap" => "milestone",
            "recognitions" => "recognition",
            _ => "page",
        };
        assert_eq!(kind, want, "{path}");
        assert!(index.length(d) > 0, "{path} has words");
    }

    // A word only the new improvement's body has: one posting, not in the title.
    let quokka = (0..index.docs())
        .find(|&d| index.path(d) == "improvements/quokka-parcels/")
        .expect("the quokka improvement is indexed");
    let recal = term("recalibrated");
    assert_eq!(recal, "recalibr", "stemmed in English");
    assert_eq!(
        index.postings(&recal),
        [Posting {
            doc: quokka,
            tf: 1,
            title: false
        }]
    );
    assert_eq!(
        index.form("recalibrated").as_deref(),
        Some("recalibr"),
        "the form leads to its term"
    );
    // A title word is marked as one.
    let q = index.postings(&term("Quokka"));
    assert_eq!(q.len(), 1);
    assert!(q[0].title && q[0].doc == quokka, "{q:?}");
    let row = index.row(quokka);
    assert_eq!(row[1], "Quokka parcels reach rural customers sooner");
    assert_eq!(row[3], "2026-10-01");
    assert_eq!(row[4], serde_json::json!(["Field Service"]));
    assert!(
        row[5]
            .as_str()
            .is_some_and(|e| e.starts_with("Our couriers recalibrated the routing")),
        "the excerpt is the summary: {row}"
    );

    // Inflected forms share a term, and every document listed for it has a word of that term.
    let refund = term("refunds");
    assert_eq!(refund, term("refunded"));
    assert_eq!(refund, term("Refunding"));
    let docs = index.postings(&refund);
    assert!(docs.len() >= 3, "{docs:?}");
    assert!(
        docs.iter()
            .any(|p| index.path(p.doc) == "improvements/faster-refunds/" && p.title),
        "the refunds improvement, by its title"
    );
    for w in docs.windows(2) {
        assert!(w[0].doc < w[1].doc, "postings in document order");
    }
    for p in &docs {
        let path = index.path(p.doc);
        let words = herald::search::terms("en", &page_text(&public, &path));
        assert!(
            words.contains(&refund),
            "{path} is listed for {refund:?} but its page has no such word"
        );
    }
    // Announcements are not searchable.
    assert!(index.postings(&term("Zeppelinfest")).is_empty());
    assert!(index.postings("zzzzqqq").is_empty());
}

#[test]
fn shards_are_small_and_listed_and_builds_are_reproducible() {
    let site = site();
    site.build_ok(TODAY);
    let public = site.public();
    let index = Index::open(&public);
    let listed: BTreeSet<String> = index
        .shards
        .iter()
        .map(|(_, name)| format!("{name}.json"))
        .collect();
    let written: BTreeSet<String> = std::fs::read_dir(public.join("search/t"))
        .expect("search/t")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        listed, written,
        "the manifest lists exactly the shards written"
    );
    assert_eq!(listed.len(), index.shards.len(), "shard names are distinct");
    let mut previous: Option<String> = None;
    for (n, (first, name)) in index.shards.iter().enumerate() {
        let bytes = std::fs::metadata(index.dir.join("t").join(format!("{name}.json")))
            .expect("shard")
            .len();
        let shard = index.shard(n);
        let mut words: Vec<&String> = shard["t"]
            .as_object()
            .expect("t")
            .keys()
            .chain(shard["f"].as_object().expect("f").keys())
            .collect();
        words.sort_by(|a, b| utf16_cmp(a, b));
        assert!(!words.is_empty(), "shard {n} is empty");
        assert_eq!(
            words[0], first,
            "shard {n} starts with the word the manifest says"
        );
        assert!(
            bytes <= herald::search::SHARD_MAX as u64 || words.len() == 1,
            "shard {n} has {bytes} bytes"
        );
        if n + 1 < index.shards.len() {
            assert!(
                bytes >= herald::search::SHARD_MIN as u64,
                "shard {n} has only {bytes} bytes"
            );
        }
        for w in &words {
            assert_eq!(
                index.shard_of(w),
                Some(n),
                "{w:?} is in the shard its order names"
            );
            if let Some(p) = &previous {
                assert!(utf16_cmp(p, w).is_le(), "{p:?} before {w:?}");
            }
        }
        previous = words.last().map(|w| (*w).clone());
    }
    let chunk = index.manifest["chunk"].as_u64().expect("chunk") as usize;
    let slices = std::fs::read_dir(public.join("search/d"))
        .expect("d")
        .count();
    assert_eq!(slices, index.docs().div_ceil(chunk));

    // The same sources give the same bytes.
    let first = snapshot(&public.join("search"));
    let again = site.run(&["build", "--today", TODAY, "--output", "public2"]);
    assert_eq!(again.status, 0, "{}", again.stderr);
    let second = snapshot(&site.path().join("public2/search"));
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    assert!(first == second, "two builds wrote different index bytes");
}

#[test]
fn a_language_without_a_stemmer_keeps_words_whole() {
    let site = TestSite::minimal();
    site.write(
        "site.toml",
        &crate::support::SITE_TOML.replace("timezone", "language = \"xx\"\ntimezone"),
    );
    site.write(
        "content/about.md",
        "+++\ntitle = \"About\"\n+++\n\nRefunds were refunded.\n",
    );
    site.build_ok(TODAY);
    let index = Index::open(&site.public());
    assert_eq!(index.manifest["stemmer"], Value::Null);
    assert_eq!(index.postings("refunds").len(), 1);
    assert_eq!(index.postings("refunded").len(), 1);
    assert!(index.postings("refund").is_empty());
    assert_eq!(index.form("refunds"), None);
}

fn opts(root: &Path, out: &Path) -> BuildOptions {
    let mut o = BuildOptions::new(root);
    o.output = Some(out.to_path_buf());
    o.today = TODAY.parse().ok();
    o
}

/// The index files of an incremental rebuild and of a full build of the same sources.
fn rebuild_and_compare(
    site: &TestSite,
    session: &mut Session,
    what: &str,
) -> BTreeMap<String, Vec<u8>> {
    let before = snapshot(&site.public().join("search"));
    session
        .rebuild()
        .unwrap_or_else(|d| panic!("{what}: {}", d.render(false)));
    let after = snapshot(&site.public().join("search"));
    let clean = tempfile::tempdir().expect("tmp");
    let out = clean.path().join("public");
    herald::build(&opts(site.path(), &out)).unwrap_or_else(|d| panic!("{}", d.render(false)));
    let full = snapshot(&out.join("search"));
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        full.keys().collect::<Vec<_>>(),
        "{what}: the same index files"
    );
    for (name, bytes) in &full {
        assert!(
            after.get(name) == Some(bytes),
            "{what}: search/{name} differs from a full build"
        );
    }
    before
        .into_iter()
        .filter(|(name, bytes)| after.get(name) != Some(bytes))
        .collect()
}

#[test]
fn serve_rebuilds_write_the_index_a_full_build_writes() {
    let site = site();
    let root = site.path().to_path_buf();
    let mut session = Session::new(opts(&root, &site.public()));
    session.rebuild().expect("first build");

    // A word added to one body: the index finds it, and few files change.
    let file = root.join("content/improvements/faster-refunds.md");
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(
        &file,
        text.replacen(
            "\n## What was wrong",
            "\nThe desk also handles gazumped payments.\n\n## What was wrong",
            1,
        ),
    )
    .expect("write");
    let changed = rebuild_and_compare(&site, &mut session, "a word added");
    let index = Index::open(&site.public());
    let hits = index.postings(&term("gazumped"));
    assert_eq!(hits.len(), 1);
    assert_eq!(index.path(hits[0].doc), "improvements/faster-refunds/");
    let shards = changed.keys().filter(|n| n.starts_with("t/")).count();
    assert!(
        (1..=12).contains(&shards),
        "an edit of one paragraph rewrote {shards} shards: {:?}",
        changed.keys().collect::<Vec<_>>()
    );

    // The word taken out again: gone from the index.
    std::fs::write(&file, &text).expect("write");
    rebuild_and_compare(&site, &mut session, "the word removed");
    assert!(
        Index::open(&site.public())
            .postings(&term("gazumped"))
            .is_empty()
    );

    // A title edit, a new entry (the order changes), and its removal.
    std::fs::write(&file, text.replacen("title = \"", "title = \"Now: ", 1)).expect("write");
    rebuild_and_compare(&site, &mut session, "a title edit");
    site.write(
        "content/improvements/zz-new.md",
        &QUOKKA
            .replace("Quokka", "Wombat")
            .replace("recalibrated", "unjammed"),
    );
    rebuild_and_compare(&site, &mut session, "a new improvement");
    assert_eq!(
        Index::open(&site.public())
            .postings(&term("unjammed"))
            .len(),
        1
    );
    std::fs::remove_file(root.join("content/improvements/zz-new.md")).expect("remove");
    rebuild_and_compare(&site, &mut session, "an improvement removed");
    assert!(
        Index::open(&site.public())
            .postings(&term("unjammed"))
            .is_empty()
    );

    // Nothing changed: nothing written.
    let r = session.rebuild().expect("no change");
    assert_eq!(r.written, 0);
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|x| x.as_str().map(String::from))
        .collect()
}

#[test]
fn the_search_page_finds_as_you_type() {
    if !browser_ready() {
        return;
    }
    let site = site();
    site.build_ok(TODAY);
    let public = site.public();
    let queries = [
        "recalibrated",
        "recalibrating",
        "quok",
        "rural recalib",
        "zzqxv",
        "refunds",
    ];
    let mut args = vec![public.to_str().expect("utf-8"), "/customers/"];
    args.extend(queries);
    let report = node_json("search.mjs", &args);
    let q = |i: usize| &report["queries"][i];
    let hrefs = |i: usize| -> Vec<String> {
        q(i)["results"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["href"].as_str().map(String::from))
            .collect()
    };
    let quokka = "/customers/improvements/quokka-parcels/";

    // The body word, an inflected form of it, the start of a title word, and two words at once.
    for (i, query) in queries.iter().enumerate().take(4) {
        assert_eq!(
            hrefs(i).first().map(String::as_str),
            Some(quokka),
            "{query:?} finds the quokka improvement first: {}",
            q(i)
        );
    }
    assert_eq!(hrefs(0).len(), 1, "{}", q(0));
    assert_eq!(q(0)["status"], "1 result for \u{201c}recalibrated\u{201d}");
    assert_eq!(q(0)["live"], "polite");
    let first = &q(0)["results"][0];
    assert_eq!(
        first["title"],
        "Quokka parcels reach rural customers sooner"
    );
    assert_eq!(first["kind"], "Improvement");
    let meta = first["meta"].as_str().unwrap_or_default();
    assert!(
        meta.contains("1 Oct 2026") && meta.contains("Field Service"),
        "kind, date and teams: {meta}"
    );
    assert_eq!(strings(&first["marks"]), ["recalibrated"], "{first}");
    assert!(
        strings(&q(1)["results"][0]["marks"]).contains(&"recalibrated".to_string()),
        "the inflected query marks the word the text has: {}",
        q(1)
    );
    assert_eq!(
        strings(&q(2)["results"][0]["marks"]),
        ["Quokka"],
        "{}",
        q(2)
    );
    assert!(
        q(0)["url"]
            .as_str()
            .is_some_and(|u| u.ends_with("/customers/search/?q=recalibrated")),
        "the address follows the query: {}",
        q(0)["url"]
    );

    // Nothing found says so.
    assert!(hrefs(4).is_empty(), "{}", q(4));
    assert!(
        q(4)["status"]
            .as_str()
            .is_some_and(|s| s.starts_with("No results for \u{201c}zzqxv\u{201d}")),
        "{}",
        q(4)
    );
    // A common word: the refunds improvement is among the first results, with its title marked.
    assert!(
        hrefs(5)
            .iter()
            .take(3)
            .any(|h| h == "/customers/improvements/faster-refunds/"),
        "{}",
        q(5)
    );
    assert!(
        q(5)["status"]
            .as_str()
            .is_some_and(|s| s.ends_with("results for \u{201c}refunds\u{201d}")),
        "{}",
        q(5)
    );

    // Opened with ?q=, the page searches at once and fills in the box.
    assert_eq!(report["direct"]["value"], "recalibrated");
    assert_eq!(
        report["direct"]["results"][0]["href"].as_str(),
        Some(quokka),
        "{}",
        report["direct"]
    );
    // Without JavaScript the page says so; with it, that text is gone.
    assert_eq!(report["nojs"]["visible"], true, "{}", report["nojs"]);
    assert!(
        report["nojs"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("needs JavaScript"))
    );
    assert_eq!(report["nojs"]["hiddenWithScript"], true);

    // The script stems as the build does.
    let stems = &report["stems"];
    assert!(stems["checked"].as_u64().unwrap_or(0) > 50, "{stems}");
    assert_eq!(
        stems["mismatches"].as_array().map(Vec::len),
        Some(0),
        "{stems}"
    );
    // Accessible in both themes, nothing from another host, no errors.
    for run in report["a11y"].as_array().expect("a11y") {
        let serious: Vec<&Value> = run["violations"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
            .collect();
        assert!(serious.is_empty(), "{}: {serious:?}", run["scheme"]);
    }
    assert_eq!(report["external"], serde_json::json!([]), "{report}");
    assert_eq!(report["consoleErrors"], serde_json::json!([]), "{report}");
    // Only the index files a query needs.
    for i in 0..queries.len() {
        for r in q(i)["requests"].as_array().into_iter().flatten() {
            let url = r["url"].as_str().unwrap_or_default();
            assert!(
                url.starts_with("search/index.json")
                    || url.starts_with("search/t/")
                    || url.starts_with("search/d/"),
                "{url}"
            );
        }
    }
}
