//! Adversarial content: every kind of hostile or odd file an author can save, each with the
//! behaviour herald promises for it (SPEC section 8), not merely "no panic".

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use scraper::{Html, Selector};
use serde_json::Value;

use crate::support::{TestSite, attrs, body_text, snapshot, text, texts};

const TODAY: &str = "2026-02-15";

/// A site that builds, with output already in `public/`, and that output's bytes.
fn built_site() -> (TestSite, std::collections::BTreeMap<String, Vec<u8>>) {
    let s = TestSite::minimal();
    s.write(
        "content/improvements/faster-refunds.md",
        "+++\ntitle = \"Faster refunds\"\ndate = 2026-01-05\nteams = [\"Billing\"]\n+++\nText.\n",
    );
    s.build_ok(TODAY);
    let before = snapshot(&s.public());
    assert!(before.len() > 10, "the first build wrote a site");
    (s, before)
}

/// Builds, expecting content errors: exit 1, and `public/` exactly as `before`.
fn build_fails(s: &TestSite, before: &std::collections::BTreeMap<String, Vec<u8>>) -> String {
    let r = s.run(&["build", "--today", TODAY]);
    assert_eq!(
        r.status, 1,
        "content errors exit 1:\n{}\n{}",
        r.stdout, r.stderr
    );
    assert!(
        r.stderr.contains("nothing was written"),
        "says nothing was written:\n{}",
        r.stderr
    );
    assert!(
        snapshot(&s.public()) == *before,
        "a failed build left the previous output as it was"
    );
    r.stderr
}

/// `text` as a TOML basic string, quotes included.
fn toml_str(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An improvement file with `title`, and `body`.
fn improvement(title: &str, body: &str) -> String {
    format!(
        "+++\ntitle = {}\ndate = 2026-02-01\nteams = [\"Billing\"]\n+++\n{body}",
        toml_str(title)
    )
}

// ---------------------------------------------------------------------------------------------
// Encodings and line endings
// ---------------------------------------------------------------------------------------------

#[test]
fn a_file_that_is_not_utf8_is_an_error_naming_the_file_and_line() {
    let (s, before) = built_site();
    // Latin-1, as an old Windows editor saves it: "é" is the single byte 0xE9, on line 6.
    let mut bytes = Vec::new();
    bytes.extend_from_slice(
        b"+++\ntitle = \"Cafe\"\ndate = 2026-01-05\nteams = [\"Billing\"]\n+++\nNew caf",
    );
    bytes.push(0xE9);
    bytes.extend_from_slice(b" opening hours.\n");
    std::fs::write(s.path().join("content/improvements/latin1.md"), bytes).expect("write");
    let err = build_fails(&s, &before);
    assert!(
        err.contains("content/improvements/latin1.md:6"),
        "names the file and the line of the bad byte:\n{err}"
    );
    assert!(err.contains("not UTF-8 text"), "says what is wrong:\n{err}");
    assert!(err.contains("save the file as UTF-8"), "says how:\n{err}");
    assert!(!err.contains("panicked"), "{err}");
}

const LF_FILE: &str = "+++\ntitle = \"Line endings\"\ndate = 2026-02-01\nteams = [\"Billing\"]\ntags = [\"bills\"]\nowner = \"Ana\"\n\n[quote]\ntext = \"Clear at last\"\nby = \"Marta\"\n+++\nFirst paragraph,\nwrapped.\n\n## A heading\n\n- one\n- two\n\n> quoted\n\n```\ncode line 1\ncode line 2\n```\n";

#[test]
fn bom_crlf_and_lone_cr_files_read_the_same_as_lf() {
    let s = TestSite::minimal();
    let variants = [
        ("lf", LF_FILE.to_string()),
        ("crlf", LF_FILE.replace('\n', "\r\n")),
        ("cr", LF_FILE.replace('\n', "\r")),
        ("bom-lf", format!("\u{feff}{LF_FILE}")),
        (
            "bom-crlf",
            format!("\u{feff}{}", LF_FILE.replace('\n', "\r\n")),
        ),
        ("bom-cr", format!("\u{feff}{}", LF_FILE.replace('\n', "\r"))),
    ];
    for (slug, text) in &variants {
        s.write(&format!("content/improvements/{slug}.md"), text);
    }
    s.build_ok(TODAY);
    let prose = |slug: &str| {
        let raw = s.read(&format!("improvements/{slug}/index.html"));
        let doc = Html::parse_document(&raw);
        let sel = Selector::parse(".prose").expect("selector");
        let html = doc
            .select(&sel)
            .next()
            .unwrap_or_else(|| panic!("{slug}: no .prose"))
            .inner_html();
        (doc, html)
    };
    let (lf_doc, lf_html) = prose("lf");
    assert_eq!(text(&lf_doc, "h1"), "Line endings");
    assert!(
        lf_html.contains("<h2 id=\"a-heading\">A heading</h2>")
            && lf_html.contains("<li>one</li>")
            && lf_html.contains("<blockquote>")
            && lf_html.contains("code line 1\ncode line 2"),
        "the LF file's body: {lf_html}"
    );
    for (slug, _) in &variants[1..] {
        let (doc, html) = prose(slug);
        assert_eq!(text(&doc, "h1"), "Line endings", "{slug}: the title");
        let body = body_text(&doc);
        assert!(
            body.contains("Clear at last") && body.contains("Marta") && body.contains("Ana"),
            "{slug}: the front matter after the first line was read: {body}"
        );
        assert_eq!(
            html.replace("\r\n", "\n").replace('\r', "\n"),
            lf_html,
            "{slug}: the body renders as with LF"
        );
        assert!(!html.contains('\u{feff}'), "{slug}: no BOM in the page");
        assert_eq!(
            attrs(&doc, "a[href*='/tags/']", "href"),
            attrs(&lf_doc, "a[href*='/tags/']", "href"),
            "{slug}: the tags"
        );
    }
}

#[test]
fn errors_in_crlf_and_lone_cr_files_have_the_right_line() {
    let (s, before) = built_site();
    let bad = "+++\ntitle = \"Bad\"\ndate = 2026-02-01\nteams = [\"Billing\"]\nawrd = \"x\"\n+++\nText.\n";
    s.write(
        "content/improvements/crlf-bad.md",
        &bad.replace('\n', "\r\n"),
    );
    s.write("content/improvements/cr-bad.md", &bad.replace('\n', "\r"));
    let err = build_fails(&s, &before);
    for f in ["crlf-bad.md:5", "cr-bad.md:5"] {
        assert!(
            err.contains(&format!("content/improvements/{f}")),
            "{f} in:\n{err}"
        );
    }
    assert_eq!(
        err.matches("unknown key `awrd`").count(),
        2,
        "both files: {err}"
    );
}

// ---------------------------------------------------------------------------------------------
// Empty and truncated files (empty files and unclosed front matter are in broken.rs)
// ---------------------------------------------------------------------------------------------

#[test]
fn a_file_with_only_front_matter_builds_with_no_body() {
    let s = TestSite::minimal();
    // No newline after the closing +++, and no body at all.
    s.write(
        "content/improvements/no-body.md",
        "+++\ntitle = \"No body\"\ndate = 2026-02-01\nteams = [\"Billing\"]\n+++",
    );
    s.write(
        "content/recognitions/no-body-either.md",
        "+++\r\ntitle = \"Thanks\"\r\ndate = 2026-02-02\r\npeople = [\"Ana\"]\r\n+++\r\n",
    );
    s.write("content/about.md", "+++\ntitle = \"About\"\n+++\n\n\n");
    s.build_ok(TODAY);
    for (rel, title) in [
        ("improvements/no-body/index.html", "No body"),
        ("recognitions/no-body-either/index.html", "Thanks"),
        ("about/index.html", "About"),
    ] {
        let doc = s.html(rel);
        assert_eq!(text(&doc, "h1"), title, "{rel}");
        let prose = texts(&doc, ".prose");
        assert!(
            prose.iter().all(String::is_empty),
            "{rel}: no body text, got {prose:?}"
        );
    }
    // The list shows it without a made-up summary.
    let list = s.html("improvements/index.html");
    assert!(body_text(&list).contains("No body"));
}

#[test]
fn front_matter_with_no_keys_and_whitespace_only_files_are_explained() {
    let (s, before) = built_site();
    s.write("content/improvements/no-keys.md", "+++\n+++\nText.\n");
    s.write("content/improvements/blank.md", "   \n\n\t\n");
    s.write("content/improvements/bom-only.md", "\u{feff}");
    let err = build_fails(&s, &before);
    assert!(
        err.contains("content/improvements/no-keys.md:1")
            && err.contains("an improvement is missing required key `title`"),
        "{err}"
    );
    assert!(
        err.contains("content/improvements/blank.md:1")
            && err.contains("the file does not start with front matter"),
        "{err}"
    );
    assert!(
        err.contains("content/improvements/bom-only.md") && err.contains("the file is empty"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------------
// Size
// ---------------------------------------------------------------------------------------------

#[test]
fn a_50_mb_file_is_refused_with_its_size_and_the_limit() {
    let (s, before) = built_site();
    let limit = herald::load::content::MAX_FILE_BYTES;
    assert_eq!(limit, 10 * 1024 * 1024, "the documented limit");
    // 50 MB of ordinary Markdown paragraphs, written once.
    let para = "Refunds now land in two days, not ten, for every prepaid customer who asks.\n\n";
    let mut text = String::with_capacity(50 * 1024 * 1024 + 200);
    text.push_str("+++\ntitle = \"Huge\"\ndate = 2026-02-01\nteams = [\"Billing\"]\n+++\n");
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(para);
    }
    s.write("content/improvements/huge.md", &text);
    drop(text);
    let started = Instant::now();
    let r = s.run_within(&["build", "--today", TODAY], Duration::from_secs(120));
    let took = started.elapsed();
    assert_eq!(r.status, 1, "{}", r.stderr);
    let err = &r.stderr;
    assert!(
        err.contains("content/improvements/huge.md")
            && err.contains("the file is too large: 50.0 MB")
            && err.contains("at most 10 MB"),
        "names the file, its size and the limit:\n{err}"
    );
    assert!(
        err.contains("split it into several pages"),
        "a hint:\n{err}"
    );
    assert!(
        took < Duration::from_secs(30),
        "refusing is quick (took {took:?})"
    );
    assert!(snapshot(&s.public()) == before, "the output is untouched");

    // A large but sane file, under the limit, builds whole.
    let mut text =
        String::from("+++\ntitle = \"Long\"\ndate = 2026-02-01\nteams = [\"Billing\"]\n+++\n");
    let mut n = 0;
    while text.len() < 1024 * 1024 {
        text.push_str(&format!("Paragraph {n} of a long report.\n\n"));
        n += 1;
    }
    s.write("content/improvements/huge.md", &text);
    s.build_ok(TODAY);
    let page = s.read("improvements/huge/index.html");
    assert!(page.contains("<p>Paragraph 0 of a long report.</p>"));
    assert!(page.contains(&format!("<p>Paragraph {} of a long report.</p>", n - 1)));
}

// ---------------------------------------------------------------------------------------------
// The file system: binaries, links, files that vanish
// ---------------------------------------------------------------------------------------------

#[test]
fn a_binary_file_named_md_is_refused_whatever_its_first_bytes() {
    let (s, before) = built_site();
    // A PNG saved as .md (the NUL bytes come after a valid UTF-8 start), and one that starts
    // with front matter and then turns into binary data.
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend(std::iter::repeat_n(0u8, 64));
    std::fs::write(s.path().join("content/improvements/photo.md"), png).expect("write");
    let mut half =
        b"+++\ntitle = \"Half\"\ndate = 2026-02-01\nteams = [\"Billing\"]\n+++\n".to_vec();
    half.extend([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]);
    std::fs::write(s.path().join("content/improvements/half.md"), half).expect("write");
    let err = build_fails(&s, &before);
    assert!(
        err.contains("content/improvements/photo.md:1") && err.contains("this is not a text file"),
        "{err}"
    );
    assert!(
        err.contains("content/improvements/half.md:6") && err.contains("this is not a text file"),
        "{err}"
    );
    assert!(
        err.contains("only Markdown text files may end in .md"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_in_content_is_an_error_not_a_hang() {
    let (s, before) = built_site();
    let dir = s.path().join("content/improvements/loop");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::os::unix::fs::symlink("..", dir.join("up")).expect("symlink");
    std::os::unix::fs::symlink("../../../content", dir.join("root")).expect("symlink");
    // A link that leads nowhere, beside the loops.
    std::os::unix::fs::symlink("missing.md", s.path().join("content/improvements/gone.md"))
        .expect("symlink");
    let r = s.run_within(&["build", "--today", TODAY], Duration::from_secs(60));
    assert_eq!(r.status, 1, "{}", r.stderr);
    let err = &r.stderr;
    for link in [
        "content/improvements/loop/up",
        "content/improvements/loop/root",
    ] {
        assert!(err.contains(link), "names {link}:\n{err}");
    }
    assert_eq!(
        err.matches("(a symlink loop)").count(),
        2,
        "each loop once:\n{err}"
    );
    assert!(
        err.contains("it leads back to content/improvements: remove the link")
            && err.contains("it leads back to content: remove the link"),
        "says where each loop leads:\n{err}"
    );
    assert!(
        err.contains("content/improvements/gone.md")
            && err.contains("this link leads nowhere: missing.md does not exist"),
        "{err}"
    );
    assert!(snapshot(&s.public()) == before, "the output is untouched");
    // `check` stops as well.
    let c = s.run_within(&["check", "--today", TODAY], Duration::from_secs(60));
    assert_eq!(c.status, 1);
}

/// A file that can be listed but not read: `/proc/self/mem` is a regular file whose first
/// bytes cannot be read (EIO). It takes the same path as a file deleted between the listing of
/// `content/` and its reading.
#[cfg(target_os = "linux")]
#[test]
fn a_file_that_cannot_be_read_after_listing_is_a_clear_error() {
    let (s, before) = built_site();
    std::os::unix::fs::symlink(
        "/proc/self/mem",
        s.path().join("content/improvements/unreadable.md"),
    )
    .expect("symlink");
    let err = build_fails(&s, &before);
    assert!(
        err.contains("content/improvements/unreadable.md")
            && err.contains("cannot read the file: Input/output error"),
        "{err}"
    );
    assert!(
        err.contains("help: check that the file is a readable"),
        "{err}"
    );
}

/// Files deleted and written again while builds run, in this process: every build either
/// succeeds or fails with "cannot read" errors that name a vanishing file. Never a panic.
#[test]
fn files_deleted_during_a_build_give_clear_errors() {
    let s = TestSite::minimal();
    s.write(
        "content/improvements/stays.md",
        &improvement("Stays", "Text.\n"),
    );
    let churn: Vec<PathBuf> = (0..40)
        .map(|i| s.path().join(format!("content/improvements/churn-{i}.md")))
        .collect();
    for (i, p) in churn.iter().enumerate() {
        std::fs::write(p, improvement(&format!("Churn {i}"), "Text.\n")).expect("write");
    }
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let deleter = {
        let stop = std::sync::Arc::clone(&stop);
        let churn = churn.clone();
        std::thread::spawn(move || {
            let mut round = 0usize;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                for (i, p) in churn.iter().enumerate() {
                    if (i + round).is_multiple_of(2) {
                        let _ = std::fs::remove_file(p);
                    } else {
                        let _ = std::fs::write(p, improvement(&format!("Churn {i}"), "Text.\n"));
                    }
                }
                round += 1;
            }
        })
    };
    let out = s.path().join("out");
    let (mut ok, mut failed) = (0, 0);
    for _ in 0..12 {
        let opts = herald::BuildOptions {
            root: s.path().to_path_buf(),
            output: Some(out.clone()),
            base_url: None,
            drafts: false,
            today: Some(TODAY.parse().expect("date")),
            write: true,
            overlay: None,
            language: None,
        };
        match herald::build(&opts) {
            Ok(_) => ok += 1,
            Err(diags) => {
                failed += 1;
                for d in diags.sorted() {
                    if d.severity != herald::diagnostics::Severity::Error {
                        continue;
                    }
                    let file = d.file.display().to_string();
                    assert!(
                        file.starts_with("content/improvements/churn-"),
                        "only a vanishing file fails: {}",
                        d.render(false)
                    );
                    assert!(
                        d.message.starts_with("cannot read")
                            || d.message == "the file is empty"
                            || d.message.contains("the front matter is never closed")
                            || d.message.contains("missing required key"),
                        "a clear message: {}",
                        d.render(false)
                    );
                    if d.message.contains("No such file") {
                        assert!(
                            d.hint
                                .as_deref()
                                .is_some_and(|h| h.contains("run the build again")),
                            "a hint: {}",
                            d.render(false)
                        );
                    }
                }
                // A failed build leaves the output as the last good one left it.
                assert!(
                    !out.exists() || out.join("improvements/stays/index.html").is_file(),
                    "no half-written output"
                );
            }
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    deleter.join().expect("the deleting thread");
    assert_eq!(ok + failed, 12);
}

// ---------------------------------------------------------------------------------------------
// Titles and file names
// ---------------------------------------------------------------------------------------------

/// Every string value anywhere in a JSON value.
fn json_strings(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::String(s) => {
            out.insert(s.clone());
        }
        Value::Array(a) => a.iter().for_each(|x| json_strings(x, out)),
        Value::Object(o) => o.values().for_each(|x| json_strings(x, out)),
        _ => {}
    }
}

/// The lobby's embedded data: its raw text holds no `<` (so no `</script` and no `<!--`), and
/// it parses back to JSON.
fn lobby_data(s: &TestSite, rel: &str) -> Value {
    let doc = s.html(rel);
    let sel = Selector::parse("script#herald-lobby-data").expect("selector");
    let script = doc
        .select(&sel)
        .next()
        .unwrap_or_else(|| panic!("{rel}: no #herald-lobby-data"));
    assert_eq!(
        script.value().attr("type"),
        Some("application/json"),
        "{rel}"
    );
    let raw: String = script.text().collect();
    assert!(
        !raw.contains('<'),
        "{rel}: a literal < in the lobby's script"
    );
    serde_json::from_str(&raw).unwrap_or_else(|e| panic!("{rel}: the lobby data is not JSON: {e}"))
}

fn feed(s: &TestSite, rel: &str) -> atom_syndication::Feed {
    s.read(rel)
        .parse::<atom_syndication::Feed>()
        .unwrap_or_else(|e| panic!("{rel} is not a valid Atom feed: {e}"))
}

#[test]
fn a_10000_character_title_renders_whole_everywhere() {
    let s = TestSite::minimal();
    let title: String = "Refunds <fast> & \"clear\" — 退款 إسترداد "
        .chars()
        .cycle()
        .take(10_000)
        .collect();
    let title = title.trim().to_string();
    s.write(
        "content/improvements/long-title.md",
        &improvement(&title, "Text.\n"),
    );
    s.build_ok(TODAY);
    let doc = s.html("improvements/long-title/index.html");
    assert_eq!(text(&doc, "h1"), crate::support::collapse(&title));
    let sel = Selector::parse("h1").expect("selector");
    let h1: String = doc.select(&sel).next().expect("h1").text().collect();
    assert_eq!(h1.trim(), title, "not truncated, not re-escaped");
    let f = feed(&s, "improvements/atom.xml");
    assert_eq!(f.entries()[0].title().as_str(), title, "the feed");
    let mut strings = BTreeSet::new();
    json_strings(&lobby_data(&s, "lobby/index.html"), &mut strings);
    assert!(strings.contains(&title), "the lobby");
    let email = s.read("digest/2026-02/email.txt");
    assert!(email.contains(&title), "the plain-text email, verbatim");
}

#[test]
fn rtl_cjk_and_emoji_titles_and_file_names_get_sane_urls() {
    let s = TestSite::minimal();
    let cases = [
        ("استرداد-أسرع", "استرداد أسرع <b>للعملاء</b>"),
        ("החזר-מהיר", "החזר מהיר & ברור"),
        ("更快的退款", "更快的退款 🎉"),
    ];
    // Emoji (a joined family, too) and a right-to-left override in a title.
    let party = "Party 🎉👩\u{200D}👩\u{200D}👧 \u{202E}txet desrever";
    for (slug, title) in &cases {
        s.write(
            &format!("content/improvements/{slug}.md"),
            &improvement(title, &format!("Body of {title}\n")),
        );
    }
    // Emoji titles are fine; the emoji-only name is refused with a readable suggestion.
    s.write(
        "content/improvements/party.md",
        &improvement(party, "Text.\n"),
    );
    s.build_ok(TODAY);
    // The list is paginated two to a page in the test site.
    let mut hrefs = attrs(&s.html("improvements/index.html"), "main a[href]", "href");
    hrefs.extend(attrs(
        &s.html("improvements/page/2/index.html"),
        "main a[href]",
        "href",
    ));
    for (slug, title) in cases.iter().chain([&("party", party)]) {
        let doc = s.html(&format!("improvements/{slug}/index.html"));
        let sel = Selector::parse("h1").expect("selector");
        let h1: String = doc.select(&sel).next().expect("h1").text().collect();
        assert_eq!(h1.trim(), *title, "the title, whole and as text");
        let url = format!("/customers/improvements/{slug}/");
        assert!(hrefs.contains(&url), "{url} listed: {hrefs:?}");
        let f = feed(&s, "improvements/atom.xml");
        assert!(
            f.entries().iter().any(|e| e.title().as_str() == *title
                && e.links()[0].href()
                    == format!("https://intranet.example.com/customers/improvements/{slug}/")),
            "{slug} in the feed with its title and address"
        );
    }
    let raw = s.read("improvements/استرداد-أسرع/index.html");
    assert!(
        raw.contains("&lt;b&gt;للعملاء&lt;/b&gt;"),
        "markup in the title is text"
    );
    let sitemap = s.read("sitemap.xml");
    assert!(
        sitemap
            .contains("<loc>https://intranet.example.com/customers/improvements/更快的退款/</loc>")
    );

    // A file name that is only an emoji cannot be a URL: an error with a usable name.
    let before = snapshot(&s.public());
    s.write(
        &format!("content/improvements/{}.md", "🎉"),
        &improvement("Party", "Text.\n"),
    );
    let err = build_fails(&s, &before);
    assert!(
        err.contains("content/improvements/🎉.md")
            && err.contains("cannot be used as a URL")
            && err.contains("rename the file to tada.md"),
        "{err}"
    );
}

#[test]
fn slugs_that_differ_only_in_case_never_overwrite_each_other() {
    let (s, before) = built_site();
    s.write(
        "content/improvements/faster.md",
        &improvement("Faster, lower case", "a\n"),
    );
    s.write(
        "content/improvements/Faster.md",
        &improvement("Faster, capital", "b\n"),
    );
    let err = build_fails(&s, &before);
    assert!(
        err.contains("content/improvements/Faster.md") && err.contains("it has capital letters"),
        "{err}"
    );
    assert!(
        err.contains("faster.md already exists beside it and would have the same address"),
        "the hint does not suggest the name that is taken:\n{err}"
    );
    assert!(!err.contains("rename the file to faster.md"), "{err}");

    // Folders of plain pages are not slugs, but their addresses must still differ in more than
    // letter case (on Windows and macOS they would be one folder).
    std::fs::remove_file(s.path().join("content/improvements/Faster.md")).expect("rm");
    s.write(
        "content/Guides/start.md",
        "+++\ntitle = \"Start A\"\n+++\nA\n",
    );
    s.write(
        "content/guides/start.md",
        "+++\ntitle = \"Start B\"\n+++\nB\n",
    );
    let err = build_fails(&s, &before);
    assert!(
        err.contains("has the same address /") && err.contains("whatever the letter case"),
        "{err}"
    );

    // Alone, a lower-case name builds.
    std::fs::remove_dir_all(s.path().join("content/Guides")).expect("rm");
    s.build_ok(TODAY);
    assert_eq!(
        text(&s.html("improvements/faster/index.html"), "h1"),
        "Faster, lower case"
    );
}

// ---------------------------------------------------------------------------------------------
// Deep nesting
// ---------------------------------------------------------------------------------------------

struct NoLinks;
impl herald::model::markdown::Resolve for NoLinks {
    fn url_of(&self, _: &str) -> Option<String> {
        None
    }
    fn suggest(&self, _: &str) -> Option<String> {
        None
    }
}

const DEPTH: usize = 10_000;
const MAX: usize = herald::model::markdown::MAX_NESTING;

fn nested_lists() -> String {
    format!("{}deep list\n", "- ".repeat(DEPTH))
}
fn nested_quotes() -> String {
    format!("{} deep quote\n", ">".repeat(DEPTH))
}
fn nested_mixed() -> String {
    format!("{}deep mix\n", "> 1. - ".repeat(DEPTH / 3))
}

/// Opening and closing tags of `tag` pair up, and there are `expected` of them.
fn balanced(html: &str, tag: &str, expected: std::ops::RangeInclusive<usize>) {
    let opened = html.matches(&format!("<{tag}>")).count();
    let closed = html.matches(&format!("</{tag}>")).count();
    assert_eq!(opened, closed, "<{tag}> and </{tag}> pair up");
    assert!(
        expected.contains(&opened),
        "{opened} <{tag}>, expected {expected:?}"
    );
}

/// Ten thousand levels, in this test's own thread (the default 2 MiB test stack), through the
/// Markdown renderer and the HTML sanitizer: the deepest levels are shown flat, with a warning
/// at the line where they start, and the text is all there.
#[test]
fn deep_nesting_renders_flat_past_the_limit_without_overflowing_the_stack() {
    let warned = |r: &herald::model::markdown::Rendered| {
        let w: Vec<&herald::model::markdown::Problem> =
            r.problems.iter().filter(|p| p.warning).collect();
        assert_eq!(w.len(), 1, "one warning: {:?}", r.problems);
        assert!(
            w[0].message.contains("levels deep")
                && w[0].message.contains(&format!("past {MAX} are shown flat")),
            "{}",
            w[0].message
        );
    };
    let r = herald::model::markdown::render(&nested_lists(), &NoLinks, false);
    balanced(&r.html, "ul", MAX / 2 - 1..=MAX / 2);
    assert!(r.html.contains("deep list"));
    warned(&r);
    let r = herald::model::markdown::render(&nested_quotes(), &NoLinks, false);
    balanced(&r.html, "blockquote", MAX..=MAX);
    assert!(r.html.contains("deep quote"));
    warned(&r);
    let r = herald::model::markdown::render(&nested_mixed(), &NoLinks, false);
    balanced(&r.html, "ol", MAX / 5 - 1..=MAX / 5);
    assert!(r.html.contains("deep mix"));
    warned(&r);
    // Emphasis and brackets nest too.
    let md = format!(
        "{}x{}\n\n{}y{}\n",
        "*".repeat(DEPTH),
        "*".repeat(DEPTH),
        "[".repeat(DEPTH),
        "]".repeat(DEPTH)
    );
    let r = herald::model::markdown::render(&md, &NoLinks, false);
    assert!(r.html.contains('x') && r.html.contains('y'));
    let emphasis = r.html.matches("<em>").count() + r.html.matches("<strong>").count();
    assert!(
        (1..=MAX).contains(&emphasis),
        "{emphasis} levels of emphasis"
    );
    // Raw HTML on the page sends it through the sanitizer, nesting and all: fast, since the
    // sanitizer never sees more than the limit.
    let started = Instant::now();
    let md = format!("{}<b onclick=\"x()\">raw</b>\n", nested_quotes());
    let r = herald::model::markdown::render(&md, &NoLinks, false);
    assert!(!r.html.contains("onclick"), "sanitized");
    assert!(r.html.contains("<b>raw</b>"));
    balanced(&r.html, "blockquote", MAX..=MAX);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "sanitizing took {:?}",
        started.elapsed()
    );
    // Within the limit, nothing changes and nothing is said.
    let md = format!("{} shallow\n", ">".repeat(MAX - 1));
    let r = herald::model::markdown::render(&md, &NoLinks, false);
    balanced(&r.html, "blockquote", MAX - 1..=MAX - 1);
    assert!(r.html.contains("<p>shallow</p>"));
    assert!(r.problems.is_empty(), "{:?}", r.problems);
}

/// And the whole build, in the real binary.
#[test]
fn deeply_nested_content_builds_with_a_warning() {
    let s = TestSite::minimal();
    s.write(
        "content/improvements/lists.md",
        &improvement("Lists", &nested_lists()),
    );
    s.write(
        "content/improvements/quotes.md",
        &improvement("Quotes", &nested_quotes()),
    );
    s.write(
        "content/improvements/mixed.md",
        &improvement("Mixed", &nested_mixed()),
    );
    // Deep front matter too: arrays and tables in each other, which the TOML parser refuses.
    s.write(
        "content/announcements/arrays.md",
        &format!(
            "+++\ntitle = \"Arrays\"\nfrom = 2026-02-01\nuntil = 2026-02-20\nscreens = {}{}\n+++\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        ),
    );
    s.write(
        "content/announcements/tables.md",
        &format!(
            "+++\ntitle = \"Tables\"\nfrom = 2026-02-01\nuntil = 2026-02-20\n{} = 1\n+++\n",
            vec!["a"; 100_000].join(".")
        ),
    );
    let r = s.run_within(&["build", "--today", TODAY], Duration::from_secs(120));
    assert_eq!(r.status, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("content/announcements/arrays.md:5")
            && r.stderr.contains("content/announcements/tables.md")
            && r.stderr.matches("nested far too deeply").count() == 2,
        "{}",
        r.stderr
    );
    std::fs::remove_file(s.path().join("content/announcements/arrays.md")).expect("rm");
    std::fs::remove_file(s.path().join("content/announcements/tables.md")).expect("rm");
    let r = s.run_within(&["build", "--today", TODAY], Duration::from_secs(120));
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_eq!(
        r.stderr.matches("warning: the text nests").count(),
        3,
        "{}",
        r.stderr
    );
    for f in ["lists.md:6", "quotes.md:6", "mixed.md:6"] {
        assert!(
            r.stderr.contains(&format!("content/improvements/{f}")),
            "a warning for {f}:\n{}",
            r.stderr
        );
    }
    // The body, between the page's `.prose` and the end of the article.
    let prose = |slug: &str| {
        let page = s.read(&format!("improvements/{slug}/index.html"));
        let start = page.find("<div class=\"prose\">").expect("prose");
        let end = page[start..].find("</article>").expect("article") + start;
        page[start..end].to_string()
    };
    let lists = prose("lists");
    balanced(&lists, "ul", MAX / 2 - 1..=MAX / 2);
    assert!(lists.contains("deep list"));
    let quotes = prose("quotes");
    balanced(&quotes, "blockquote", MAX..=MAX);
    assert!(quotes.contains("deep quote"));
    let mixed = prose("mixed");
    assert!(mixed.contains("deep mix"));
    // The pages parse as HTML (the test's own parser would take long over 10,000 levels).
    let doc = s.html("improvements/quotes/index.html");
    assert_eq!(text(&doc, "h1"), "Quotes");
}

// ---------------------------------------------------------------------------------------------
// Script and HTML injection in every front matter field
// ---------------------------------------------------------------------------------------------

/// What an attacker types into a field: a script, an attribute break-out with an event handler,
/// a bare `</script>`, a comment opener and a `javascript:` URL.
const EVIL: &str = "<script>alert(1)</script>\"><img src=x onerror=alert(1)>'&amp;</script><!-- javascript:alert(1)";

/// The value of field `name`: a marker, then the attack.
fn evil(name: &str) -> String {
    format!("{name} {EVIL}")
}

/// What an attacker types into a Markdown field (a summary, a body): raw HTML with a script, an
/// event handler and `javascript:` links, which the sanitizer removes.
const EVIL_MD: &str = "<script>alert(1)</script><b onclick=\"alert(1)\">bold</b> [link](javascript:alert(1)) <a href=\"javascript:alert(1)\">a</a>";

/// A file name that is itself an attack (no `/`, so the file can exist).
const EVIL_IMAGE: &str = "x\"><img src=x onerror=alert(1)>.svg";

/// A site with the attack in every text field of every kind. Team names are free (no `teams`
/// list in site.toml), so team fields carry it too.
fn injection_site() -> TestSite {
    let s = TestSite::empty();
    s.write(
        "site.toml",
        "title = \"Test Portal\"\nbase_url = \"https://intranet.example.com/customers/\"\ntimezone = \"America/Chicago\"\n",
    );
    let q = |n: &str| toml_str(&evil(n));
    s.write(
        "content/roadmap/evil-milestone.md",
        &format!(
            "+++\ntitle = {}\nphase = {}\ntarget = 2026-03-01\nstatus = \"done\"\ndone_on = 2026-02-10\nowner = {}\nteams = [{}]\nsummary = {}\ntags = [{}]\n\n[[tasks]]\nteam = {}\ntask = {}\ndue = 2026-02-01\ndone = true\n\n[metric]\nname = {}\nbaseline = 0\ntarget = 100\ncurrent = 40\nunit = {}\n+++\nMilestone body {EVIL_MD}\n",
            q("m-title"),
            q("m-phase"),
            q("m-owner"),
            q("m-team"),
            toml_str(&format!("m-summary {EVIL_MD}")),
            q("m-tag"),
            q("m-task-team"),
            q("m-task"),
            q("m-metric-name"),
            q("m-metric-unit"),
        ),
    );
    s.write(
        &format!("static/img/{EVIL_IMAGE}"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"20\"><rect width=\"40\" height=\"20\" fill=\"#36c\"/></svg>",
    );
    s.write(
        "content/improvements/evil-improvement.md",
        &format!(
            "+++\ntitle = {}\ndate = 2026-02-10\nteams = [{}]\nowner = {}\ncustomers = {}\nsummary = {}\ntags = [{}]\nmilestone = \"evil-milestone\"\nimage = {}\nimage_alt = {}\n\n[metric]\nname = {}\nbefore = 10\nafter = 2\nunit = {}\nbetter = \"lower\"\n\n[quote]\ntext = {}\nby = {}\n+++\nImprovement body {EVIL_MD}\n",
            q("i-title"),
            q("i-team"),
            q("i-owner"),
            q("i-customers"),
            toml_str(&format!("i-summary {EVIL_MD}")),
            q("i-tag"),
            toml_str(&format!("img/{EVIL_IMAGE}")),
            q("i-image-alt"),
            q("i-metric-name"),
            q("i-metric-unit"),
            q("i-quote"),
            q("i-quote-by"),
        ),
    );
    s.write(
        "content/recognitions/evil-recognition.md",
        &format!(
            "+++\ntitle = {}\ndate = 2026-02-11\npeople = [{}, {}]\nteam = {}\naward = {}\nfor = \"evil-improvement\"\nsummary = {}\ntags = [{}]\n+++\nRecognition body {EVIL_MD}\n",
            q("r-title"),
            q("r-person"),
            q("r-person-2"),
            q("r-team"),
            q("r-award"),
            toml_str(&format!("r-summary {EVIL_MD}")),
            q("r-tag"),
        ),
    );
    s.write(
        "content/announcements/evil-announcement.md",
        &format!(
            "+++\ntitle = {}\nfrom = 2026-02-01\nuntil = 2026-03-01\nlevel = \"urgent\"\n+++\nAnnouncement body {EVIL_MD}\n",
            q("a-title"),
        ),
    );
    s.write(
        "content/evil-page.md",
        &format!(
            "+++\ntitle = {}\nsummary = {}\ntags = [{}]\n+++\nPage body {EVIL_MD}\n",
            q("p-title"),
            toml_str(&format!("p-summary {EVIL_MD}")),
            q("p-tag"),
        ),
    );
    s
}

/// Asserts that an HTML document can run nothing an author wrote: no event handler attribute,
/// no `javascript:` URL, no inline script but the theme's own, and JSON scripts that cannot be
/// closed early and parse.
fn assert_inert(what: &str, html: &str) {
    let doc = Html::parse_document(html);
    let all = Selector::parse("*").expect("selector");
    for el in doc.select(&all) {
        let name = el.value().name();
        for (attr, value) in el.value().attrs() {
            assert!(
                !attr.to_ascii_lowercase().starts_with("on"),
                "{what}: <{name} {attr}={value:?}>"
            );
            let squeezed: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            if [
                "href",
                "src",
                "action",
                "formaction",
                "xlink:href",
                "poster",
                "data",
            ]
            .contains(&attr)
            {
                assert!(
                    !squeezed.starts_with("javascript:") && !squeezed.starts_with("data:text/html"),
                    "{what}: <{name} {attr}={value:?}>"
                );
            }
        }
        assert!(
            !["iframe", "object", "embed", "base"].contains(&name),
            "{what}: a <{name}> element"
        );
        if name == "img" {
            // Only the text fields carry `<img src=x …>`: an element means one was not escaped.
            assert_ne!(
                el.value().attr("src"),
                Some("x"),
                "{what}: an injected <img>"
            );
        }
        if name == "script" {
            let body: String = el.text().collect();
            if el.value().attr("src").is_some() {
                assert!(body.trim().is_empty(), "{what}: a script with src and text");
                continue;
            }
            match el.value().attr("type") {
                Some("application/json") | Some("application/ld+json") => {
                    assert!(
                        !body.contains('<'),
                        "{what}: a < inside a JSON script: {}",
                        &body[..body.len().min(300)]
                    );
                    serde_json::from_str::<Value>(&body)
                        .unwrap_or_else(|e| panic!("{what}: a JSON script that is not JSON: {e}"));
                }
                _ => assert!(
                    !body.contains("alert(1)"),
                    "{what}: author text in an inline script"
                ),
            }
        }
    }
}

/// The exact text content of every element matching `css`, whitespace kept.
fn raw_texts(doc: &Html, css: &str) -> Vec<String> {
    let sel = Selector::parse(css).expect("selector");
    doc.select(&sel).map(|e| e.text().collect()).collect()
}

/// Every output file under `dir` with `ext`, relative path and text.
fn outputs(dir: &Path, ext: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.expect("walk");
        if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == ext) {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("prefix")
                .display()
                .to_string();
            out.push((rel, std::fs::read_to_string(e.path()).expect("read")));
        }
    }
    out
}

#[test]
fn injection_in_every_field_is_escaped_in_pages_feeds_digest_and_lobby() {
    let s = injection_site();
    s.build_ok(TODAY);
    let public = s.public();

    // 1. Every page of the site, the email and the letter included, runs nothing.
    let pages = outputs(&public, "html");
    assert!(pages.len() > 20, "{} pages", pages.len());
    for (rel, html) in &pages {
        assert_inert(rel, html);
    }

    // 2. Each field comes back as the literal text on its own page.
    let plain = |n: &str| evil(n);
    let on_page: &[(&str, &[&str])] = &[
        (
            "improvements/evil-improvement/index.html",
            &[
                "i-title",
                "i-team",
                "i-owner",
                "i-customers",
                "i-metric-name",
                "i-metric-unit",
                "i-quote",
                "i-quote-by",
                "i-tag",
                "m-title",
            ],
        ),
        (
            "roadmap/evil-milestone/index.html",
            &[
                "m-title",
                "m-phase",
                "m-owner",
                "m-team",
                "m-task-team",
                "m-task",
                "m-metric-name",
                "m-metric-unit",
                "m-tag",
                "i-title",
            ],
        ),
        (
            "recognitions/evil-recognition/index.html",
            &[
                "r-title",
                "r-person",
                "r-person-2",
                "r-team",
                "r-award",
                "r-tag",
                "i-title",
            ],
        ),
        ("evil-page/index.html", &["p-title", "p-tag", "a-title"]),
        ("index.html", &["a-title", "i-title"]),
        ("roadmap/index.html", &["m-title", "m-phase"]),
    ];
    for (rel, fields) in on_page {
        let doc = s.html(rel);
        let body: String = raw_texts(&doc, "body").concat();
        for f in *fields {
            assert!(
                body.contains(&plain(f)),
                "{rel}: the {f} field is not shown as its literal text"
            );
        }
    }
    for (rel, title) in [
        ("improvements/evil-improvement/index.html", "i-title"),
        ("roadmap/evil-milestone/index.html", "m-title"),
        ("recognitions/evil-recognition/index.html", "r-title"),
        ("evil-page/index.html", "p-title"),
    ] {
        let doc = s.html(rel);
        assert_eq!(raw_texts(&doc, "h1")[0].trim(), plain(title), "{rel}: h1");
        assert!(
            raw_texts(&doc, "title")[0].contains(&plain(title)),
            "{rel}: <title>"
        );
    }
    let doc = s.html("improvements/evil-improvement/index.html");
    assert!(
        attrs(&doc, "img", "alt").contains(&plain("i-image-alt")),
        "the image's alt text, whole, in its attribute"
    );
    assert!(
        attrs(&doc, "img", "src")
            .iter()
            .any(|src| src.ends_with(".svg") && src.contains("onerror=alert(1)>")),
        "the oddly named image is still the image's address"
    );
    // Markdown fields (summaries, bodies) are sanitized rather than shown as text.
    let raw = s.read("improvements/evil-improvement/index.html");
    assert!(raw.contains("Improvement body"), "the body is there");
    assert!(!raw.contains("<script>alert"), "no script from the body");

    // 3. The feeds parse as XML, and every text comes back as the literal string.
    // A value is literal when it is exactly a field's marker followed by the attack.
    let literal = |v: &str| {
        v == "Test Portal" // the author of entries with no owner
            || v.split_once(' ').is_some_and(|(marker, _)| v == plain(marker))
    };
    let mut titles = BTreeSet::new();
    for (rel, _) in outputs(&public, "xml")
        .into_iter()
        .filter(|(r, _)| r.ends_with("atom.xml"))
    {
        let f = feed(&s, &rel);
        for e in f.entries() {
            let title = e.title().as_str().to_string();
            assert!(literal(&title), "{rel}: title {title:?}");
            titles.insert(title.clone());
            for a in e.authors() {
                assert!(literal(a.name()), "{rel}: author {:?}", a.name());
            }
            for c in e.categories() {
                if let Some(label) = c.label() {
                    assert!(literal(label), "{rel}: category {label:?}");
                }
                assert!(
                    c.term().chars().all(|ch| ch.is_alphanumeric() || ch == '-'),
                    "{rel}: category term {:?}",
                    c.term()
                );
            }
            if let Some(summary) = e.summary() {
                assert!(!summary.as_str().contains("<script"), "{rel}: summary");
            }
            if let Some(html) = e.content().and_then(|c| c.value()) {
                assert_inert(&format!("{rel} content of {title}"), html);
            }
            for l in e.links() {
                assert!(
                    l.href()
                        .starts_with("https://intranet.example.com/customers/"),
                    "{rel}: link {}",
                    l.href()
                );
            }
        }
    }
    for t in ["i-title", "m-title", "r-title"] {
        assert!(titles.contains(&plain(t)), "{t} is in a feed");
    }

    // 4. The digest email: HTML that runs nothing (checked above) with the literal titles, and
    // plain text with the literal titles, not HTML-escaped.
    let email = s.html("digest/2026-02/email.html");
    let email_text: String = raw_texts(&email, "body").concat();
    for f in ["i-title", "r-title", "i-quote", "r-person", "r-award"] {
        assert!(email_text.contains(&plain(f)), "email.html: {f}");
    }
    let txt = s.read("digest/2026-02/email.txt");
    for f in [
        "i-title",
        "r-title",
        "i-quote",
        "i-quote-by",
        "r-person",
        "r-award",
    ] {
        assert!(txt.contains(&plain(f)), "email.txt: {f} verbatim");
    }
    assert!(
        !txt.contains("&lt;") && !txt.contains("&quot;"),
        "email.txt is not HTML-escaped"
    );

    // 5. The lobby: its embedded data has no `<` at all and parses back to the literal strings;
    // data.json, which screens poll, holds the same.
    let embedded = lobby_data(&s, "lobby/index.html");
    let polled: Value = serde_json::from_str(&s.read("lobby/data.json")).expect("data.json");
    for (what, data) in [
        ("lobby/index.html", &embedded),
        ("lobby/data.json", &polled),
    ] {
        let mut strings = BTreeSet::new();
        json_strings(data, &mut strings);
        for f in [
            "i-title",
            "i-customers",
            "i-team",
            "i-metric-name",
            "i-metric-unit",
            "i-quote",
            "i-quote-by",
            "i-image-alt",
            "r-title",
            "r-person",
            "r-award",
            "m-title",
            "a-title",
        ] {
            assert!(
                strings.iter().any(|v| v.contains(&plain(f))),
                "{what}: {f} is not in the lobby data as its literal text"
            );
        }
    }
}

#[test]
fn link_like_fields_never_become_javascript_links() {
    let (s, before) = built_site();
    s.write(
        "content/improvements/js-image.md",
        "+++\ntitle = \"Image\"\ndate = 2026-02-01\nteams = [\"Billing\"]\nimage = \"javascript:alert(1)\"\nmilestone = \"javascript:alert(1)\"\n+++\nText.\n",
    );
    s.write(
        "content/recognitions/js-for.md",
        "+++\ntitle = \"For\"\ndate = 2026-02-01\npeople = [\"Ana\"]\nfor = \"javascript:alert(1)\"\n+++\nText.\n",
    );
    let err = build_fails(&s, &before);
    assert!(
        err.contains("content/improvements/js-image.md:5")
            && err.contains("image \"javascript:alert(1)\" does not exist"),
        "{err}"
    );
    assert!(
        err.contains("content/improvements/js-image.md:6")
            && err.contains("there is no milestone \"javascript:alert(1)\""),
        "{err}"
    );
    assert!(
        err.contains("content/recognitions/js-for.md:5")
            && err.contains("there is no improvement \"javascript:alert(1)\""),
        "{err}"
    );
    std::fs::remove_file(s.path().join("content/improvements/js-image.md")).expect("rm");
    std::fs::remove_file(s.path().join("content/recognitions/js-for.md")).expect("rm");

    // In Markdown (summary and body) such links are removed with a warning; in tags and team
    // names the text only ever becomes a slug.
    s.write(
        "content/improvements/js-links.md",
        "+++\ntitle = \"Links\"\ndate = 2026-02-01\nteams = [\"Billing\"]\ntags = [\"javascript:alert(1)\"]\nsummary = \"See [this](javascript:alert(1)) and [that](  JaVaScRiPt:alert(2))\"\n+++\n[body](javascript:alert(3)) <a href=\"javascript:alert(4)\">raw</a> [data](data:text/html,<script>alert(5)</script>)\n",
    );
    let r = s.build_ok(TODAY);
    assert!(
        r.stderr.contains("content/improvements/js-links.md")
            && r.stderr
                .contains("uses the `javascript:` scheme, which is not allowed"),
        "a warning:\n{}",
        r.stderr
    );
    for (rel, html) in outputs(&s.public(), "html") {
        assert_inert(&rel, &html);
        assert!(
            !html.to_ascii_lowercase().contains("href=\"javascript:"),
            "{rel}"
        );
    }
    assert!(
        s.public()
            .join("tags/javascript-alert-1/index.html")
            .is_file(),
        "the tag's page is at its slug"
    );
    let f = feed(&s, "atom.xml");
    for e in f.entries() {
        if let Some(html) = e.content().and_then(|c| c.value()) {
            assert!(
                !html.to_ascii_lowercase().contains("javascript:"),
                "feed content: {html}"
            );
        }
    }
}
