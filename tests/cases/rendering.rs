//! Values land where they should and are escaped; derived fields (overdue, progress, delivered
//! by) are right for a given `--today`; drafts, raw HTML, bundles and `@/` links behave.

use crate::support::{TestSite, attrs, body_text, text, texts};

fn fixture() -> TestSite {
    let s = TestSite::minimal();
    s.write(
        "content/roadmap/plain-bills.md",
        r#"+++
title = "Plain-language bills"
phase = "Year 1 — Listen"
target = 2026-01-10
status = "in-progress"
owner = "Billing"
teams = ["IT"]

[[tasks]]
team = "Billing"
task = "Rewrite the bill template"
due = 2025-12-01
done = true

[[tasks]]
team = "IT"
task = "Ship the new PDF renderer"
due = 2026-01-01
done = false

[[tasks]]
team = "Customer Care"
task = "Train the agents"
due = 2026-03-01
done = false

[[tasks]]
team = "Billing"
task = "Measure complaints"
done = false
+++
Bills customers can read.
"#,
    );
    s.write(
        "content/roadmap/listen.md",
        "+++\ntitle = \"Listen\"\nphase = \"Year 1 — Listen\"\ntarget = 2025-06-01\nstatus = \"done\"\ndone_on = 2025-05-20\nowner = \"Customer Care\"\n+++\nDone.\n",
    );
    s.write(
        "content/improvements/evil.md",
        r#"+++
title = "<script>alert('t')</script> & Co"
date = 2026-01-05
teams = ["Billing", "IT"]
owner = "<b>Ana</b>"
customers = "all \"prepaid\" customers"
milestone = "plain-bills"
tags = ["Billing", "a&b"]

[metric]
name = "Days to refund"
before = 10
after = 2.5
unit = "days"
better = "lower"

[quote]
text = "I <3 the new bill"
by = "Marta"
+++
First paragraph with a [link](@/roadmap/plain-bills.md).

## Details

<img src=x onerror="alert(1)"><span onclick="x()">raw</span>
"#,
    );
    s.write(
        "content/improvements/second.md",
        "+++\ntitle = \"Second\"\ndate = 2026-01-04\nteams = [\"IT\"]\nsummary = \"A *short* summary\"\n+++\nBody.\n",
    );
    s.write(
        "content/improvements/third.md",
        "+++\ntitle = \"Third\"\ndate = 2026-01-03\nteams = [\"IT\"]\n+++\nBody.\n",
    );
    s.write(
        "content/improvements/secret.md",
        "+++\ntitle = \"Not yet\"\ndate = 2026-01-06\nteams = [\"IT\"]\ndraft = true\n+++\nBody.\n",
    );
    s.write(
        "content/recognitions/thanks.md",
        "+++\ntitle = \"Thank you, billing\"\ndate = 2026-01-07\npeople = [\"Ana <Lopez>\", \"Billing\"]\nteam = \"Billing\"\naward = \"Customer Champion\"\nfor = \"evil\"\n+++\nThanks.\n",
    );
    s.write(
        "content/improvements/photo-story/index.md",
        "+++\ntitle = \"Photo story\"\ndate = 2026-01-02\nteams = [\"Customer Care\"]\nimage = \"photo.svg\"\nimage_alt = \"A happy customer\"\n+++\n![inline](photo.svg)\n",
    );
    s.write(
        "content/improvements/photo-story/photo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><title>x</title></svg>",
    );
    s
}

#[test]
fn values_land_where_they_should_and_are_escaped() {
    let s = fixture();
    s.build_ok("2026-02-01");
    let raw = s.read("improvements/evil/index.html");
    assert!(!raw.contains("<script>alert"), "the title is escaped");
    assert!(!raw.contains("<b>Ana</b>"), "the owner is escaped");
    assert!(
        !raw.contains("onerror"),
        "raw HTML in the body is sanitized"
    );
    assert!(
        !raw.contains("onclick"),
        "raw HTML in the body is sanitized"
    );
    let doc = s.html("improvements/evil/index.html");
    assert_eq!(text(&doc, "h1"), "<script>alert('t')</script> & Co");
    let body = body_text(&doc);
    assert!(body.contains("<b>Ana</b>"), "owner shown as text");
    assert!(body.contains("all \"prepaid\" customers"));
    assert!(body.contains("Days to refund"), "metric name");
    assert!(
        body.contains("10") && body.contains("2.5"),
        "metric before and after"
    );
    assert!(
        body.contains("I <3 the new bill") && body.contains("Marta"),
        "quote"
    );
    assert!(
        body.contains("Thank you, billing"),
        "recognitions of the improvement are listed"
    );
    let links = attrs(&doc, "a[href]", "href");
    assert!(
        links.contains(&"/customers/roadmap/plain-bills/".to_string()),
        "@/ link and milestone link: {links:?}"
    );
    assert!(
        links.contains(&"/customers/teams/billing/".to_string()),
        "team link: {links:?}"
    );
    assert!(
        links.contains(&"/customers/tags/a-b/".to_string()),
        "tag link: {links:?}"
    );
    assert!(
        texts(&doc, "h2").iter().any(|h| h.contains("Details")),
        "heading rendered"
    );
    assert!(
        attrs(&doc, "h2[id]", "id").contains(&"details".to_string()),
        "heading anchor"
    );
}

#[test]
fn overdue_and_progress_follow_today() {
    let s = fixture();
    s.build_ok("2026-02-01");
    let doc = s.html("roadmap/plain-bills/index.html");
    let body = body_text(&doc);
    assert!(
        body.contains("Overdue by 22 days"),
        "target 2026-01-10, today 2026-02-01: {body}"
    );
    assert!(body.contains("1 of 4"), "one of four tasks done");
    assert!(body.contains("25%"), "progress percent");
    assert_eq!(
        doc.select(&scraper::Selector::parse(".tasks__row--overdue").expect("sel"))
            .count(),
        1,
        "only the IT task is overdue"
    );
    assert!(
        body.contains("<script>alert('t')</script> & Co"),
        "the improvement that delivers it is listed"
    );
    let done = body_text(&s.html("roadmap/listen/index.html"));
    assert!(
        !done.contains("Overdue"),
        "a done milestone is never overdue"
    );

    // The same content a month earlier: nothing overdue.
    s.build_ok("2025-12-15");
    let body = body_text(&s.html("roadmap/plain-bills/index.html"));
    assert!(!body.contains("Overdue by"), "{body}");

    // A team's open tasks: soonest first, overdue marked.
    s.build_ok("2026-02-01");
    let it = body_text(&s.html("teams/it/index.html"));
    assert!(it.contains("Ship the new PDF renderer"), "{it}");
    let billing = body_text(&s.html("teams/billing/index.html"));
    assert!(
        billing.contains("Measure complaints")
            && !billing.contains("Rewrite the bill template — open"),
        "{billing}"
    );
}

#[test]
fn drafts_are_built_only_when_asked() {
    let s = fixture();
    s.build_ok("2026-02-01");
    assert!(!s.public().join("improvements/secret").exists());
    assert!(!s.read("improvements/index.html").contains("Not yet"));
    let r = s.run(&["build", "--today", "2026-02-01", "--drafts"]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(s.public().join("improvements/secret/index.html").exists());
}

#[test]
fn lists_paginate_and_bundles_publish_their_files() {
    let s = fixture();
    s.build_ok("2026-02-01");
    // 4 improvements, 2 a page, newest first.
    let p1 = body_text(&s.html("improvements/index.html"));
    let p2 = body_text(&s.html("improvements/page/2/index.html"));
    assert!(p1.contains("Second") && !p1.contains("Third"), "{p1}");
    assert!(p2.contains("Third") && p2.contains("Photo story"), "{p2}");
    assert!(!s.public().join("improvements/page/3").exists());
    assert!(
        s.read("improvements/page/1/index.html")
            .contains("url=/customers/improvements/")
    );
    assert!(
        s.public()
            .join("improvements/photo-story/photo.svg")
            .is_file(),
        "bundle file published"
    );
    let doc = s.html("improvements/photo-story/index.html");
    let imgs = attrs(&doc, "img", "src");
    assert!(
        imgs.iter()
            .any(|i| i == "/customers/improvements/photo-story/photo.svg"),
        "{imgs:?}"
    );
    assert!(
        attrs(&doc, "img", "alt")
            .iter()
            .any(|a| a == "A happy customer")
    );
    let list = s.read("improvements/index.html");
    assert!(
        list.contains("A <em>short</em> summary"),
        "summary key is Markdown"
    );
}

#[test]
fn base_url_override_changes_every_link() {
    let s = fixture();
    let r = s.run(&[
        "build",
        "--today",
        "2026-02-01",
        "--base-url",
        "http://localhost:8080/staging",
    ]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    let doc = s.html("improvements/evil/index.html");
    let links = attrs(&doc, "a[href]", "href");
    assert!(
        links.iter().any(|l| l == "/staging/roadmap/plain-bills/"),
        "{links:?}"
    );
    assert!(
        !links.iter().any(|l| l.starts_with("/customers/")),
        "{links:?}"
    );
}

#[test]
fn trusted_sites_keep_raw_html() {
    let s = fixture();
    let toml = format!(
        "{}\n[markdown]\nunsafe_html = true\n",
        crate::support::SITE_TOML
    );
    s.write("site.toml", &toml);
    s.build_ok("2026-02-01");
    assert!(
        s.read("improvements/evil/index.html")
            .contains("onclick=\"x()\"")
    );
}

/// The `date` filter remembers its answers per (format, day): the same day in several formats,
/// a timestamp and the default format each get their own text.
#[test]
fn the_date_filter_answers_each_format() {
    let s = TestSite::minimal();
    s.write("content/about.md", "+++\ntitle = \"About\"\n+++\nHi\n");
    s.write(
        "themes/default/templates/page.html",
        r#"{% extends "base.html" %}{% block content %}
<p id="a">{{ "2025-11-03" | date }}</p>
<p id="b">{{ "2025-11-03" | date(format="%Y") }}</p>
<p id="c">{{ "2025-11-03T10:00:00" | date(format="%-d %B %Y") }}</p>
<p id="d">{{ "2025-11-04" | date(format="%Y-%m-%d") }}</p>
<p id="e">{{ "2025-11-03" | date }}</p>
<p id="f">{{ "2025-11-03" | date(format="%A") }}</p>
{% endblock content %}"#,
    );
    s.build_ok("2026-02-01");
    let doc = s.html("about/index.html");
    let got: Vec<String> = ["a", "b", "c", "d", "e", "f"]
        .iter()
        .map(|id| text(&doc, &format!("#{id}")))
        .collect();
    assert_eq!(
        got,
        [
            "3 Nov 2025",
            "2025",
            "3 November 2025",
            "2025-11-04",
            "3 Nov 2025",
            "Monday"
        ]
    );
}

/// The main menu marks the section a page is in, and the section's own page; the footer marks
/// the page it links to, a page in a folder included. (The header and footer are cached per
/// section, so a wrong key would show one page's marks on another.)
#[test]
fn the_menus_mark_where_the_page_is() {
    let site = TestSite::example();
    site.write(
        "content/help/contact.md",
        "+++\ntitle = \"Contact the team\"\n+++\n\nWrite to us.\n",
    );
    site.build_ok("2026-11-23");
    let marks = |rel: &str| {
        let doc = site.html(rel);
        let nav = |css: &str| {
            let names = texts(&doc, &format!("{css} [aria-current]"));
            let values = attrs(&doc, &format!("{css} [aria-current]"), "aria-current");
            names
                .into_iter()
                .zip(values)
                .map(|(n, v)| format!("{n}={v}"))
                .collect::<Vec<_>>()
        };
        (
            nav(".site-nav"),
            nav(".footer-nav"),
            attrs(&doc, ".brand[aria-current]", "aria-current").len(),
            attrs(&doc, "#site-search-q[data-search-input]", "id").len(),
        )
    };
    let none: Vec<String> = Vec::new();
    assert_eq!(
        marks("index.html"),
        (vec!["Home=page".to_string()], none.clone(), 1, 0)
    );
    assert_eq!(
        marks("improvements/index.html"),
        (vec!["Improvements=page".to_string()], none.clone(), 0, 0)
    );
    assert_eq!(
        marks("improvements/page/2/index.html"),
        (vec!["Improvements=page".to_string()], none.clone(), 0, 0)
    );
    assert_eq!(
        marks("improvements/faster-refunds/index.html"),
        (vec!["Improvements=true".to_string()], none.clone(), 0, 0)
    );
    assert_eq!(
        marks("roadmap/index.html"),
        (vec!["Roadmap=page".to_string()], none.clone(), 0, 0)
    );
    assert_eq!(
        marks("teams/billing/index.html"),
        (vec!["Teams=true".to_string()], none.clone(), 0, 0)
    );
    assert_eq!(
        marks("search/index.html"),
        (none.clone(), none.clone(), 0, 1)
    );
    assert_eq!(
        marks("tags/index.html"),
        (none.clone(), vec!["All tags=page".to_string()], 0, 0)
    );
    assert_eq!(
        marks("about/index.html"),
        (
            none.clone(),
            vec!["About Customer Promise=page".to_string()],
            0,
            0
        )
    );
    assert_eq!(
        marks("help/contact/index.html"),
        (
            none.clone(),
            vec!["Contact the team=page".to_string()],
            0,
            0
        )
    );
}

/// An `<img>` that went through the sanitizer without an `alt` is invalid HTML and a critical
/// axe violation: every image keeps its `alt` or gets `alt=""`, whether it came from Markdown
/// (`![](x.svg)`), an HTML block or inline HTML, hostile or not, in the body and in the summary.
#[test]
fn every_image_has_an_alt_after_sanitizing() {
    let s = TestSite::minimal();
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"4\"></svg>";
    for f in [
        "empty", "chart", "block", "inline", "upper", "multi", "title",
    ] {
        s.write(&format!("content/improvements/{f}.svg"), svg);
    }
    s.write(
        "content/improvements/pictures.md",
        "+++\ntitle = \"Pictures\"\ndate = 2026-01-05\nteams = [\"IT\"]\n+++\n\
         First <img src=\"inline.svg\"> and <IMG SRC=\"upper.svg\" ALT='q\"x'> and <img src=x onerror=alert(1)>.\n\n\
         ![](empty.svg) ![A chart](chart.svg)\n\n\
         <img src=\"block.svg\">\n\n\
         <div><img\n  src=\"multi.svg\" title=\"a > b alt=\">\n</div>\n\n\
         <p title='<img src=\"title.svg\">'>text</p>\n",
    );
    // No raw HTML, and a heading attribute (sanitized like raw HTML): Markdown's empty alt.
    s.write(
        "content/improvements/plain.md",
        "+++\ntitle = \"Plain\"\ndate = 2026-01-04\nteams = [\"IT\"]\n+++\n![](empty.svg)\n",
    );
    s.write(
        "content/improvements/heading.md",
        "+++\ntitle = \"Heading\"\ndate = 2026-01-03\nteams = [\"IT\"]\n+++\n## Photos {data-x=1}\n\n![](empty.svg)\n",
    );
    s.build_ok("2026-02-01");

    let alts = |rel: &str| {
        let doc = s.html(rel);
        let srcs = attrs(&doc, "main img", "src");
        let alts = attrs(&doc, "main img", "alt");
        assert_eq!(
            srcs.len(),
            alts.len(),
            "{rel}: an image without alt: {srcs:?} {alts:?}\n{}",
            s.read(rel)
        );
        srcs.into_iter().zip(alts).collect::<Vec<_>>()
    };
    let page = alts("improvements/pictures/index.html");
    let alt_of = |src: &str| {
        page.iter()
            .find(|(s, _)| s.ends_with(src))
            .map(|(_, a)| a.as_str())
            .unwrap_or_else(|| panic!("no image {src}: {page:?}"))
    };
    assert_eq!(alt_of("inline.svg"), "");
    assert_eq!(alt_of("upper.svg"), "q\"x", "an alt is kept as written");
    assert_eq!(alt_of("empty.svg"), "");
    assert_eq!(alt_of("chart.svg"), "A chart");
    assert_eq!(alt_of("block.svg"), "");
    assert_eq!(alt_of("multi.svg"), "");
    assert_eq!(page.len(), 7, "{page:?}");
    let raw = s.read("improvements/pictures/index.html");
    assert!(!raw.contains("onerror"), "still sanitized");
    let doc = s.html("improvements/pictures/index.html");
    assert_eq!(
        attrs(&doc, "main [title]", "title"),
        ["a > b alt=", "<img src=\"title.svg\">"],
        "values that look like markup are left alone"
    );

    for rel in [
        "improvements/plain/index.html",
        "improvements/heading/index.html",
    ] {
        let page = alts(rel);
        assert!(
            page.len() == 1 && page[0].0.ends_with("empty.svg") && page[0].1.is_empty(),
            "{rel}: {page:?}"
        );
    }
    // The summaries on the list page are sanitized separately.
    let list = alts("improvements/index.html");
    assert!(list.len() >= 3, "{list:?}");
}

/// The line (1-based) of `text` where `needle` starts.
fn line_of(text: &str, needle: &str) -> usize {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in the text"));
    text[..at].matches('\n').count() + 1
}

/// A page-relative file named in raw HTML (`<img src>`, `<a href>`) that is not beside the page
/// is a warning with the file and line, from `build` and from `check`, and the build goes on;
/// one that is there is published beside the page, like Markdown's. URLs that are not files
/// beside the page (other sites, `mailto:`, fragments, `@/` links, the site's own paths, pages,
/// comments) are left alone. Markdown's missing images and links stay errors.
#[test]
fn missing_files_in_raw_html_are_warnings_with_their_line() {
    let s = TestSite::minimal();
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"4\"></svg>";
    s.write("content/improvements/here too.svg", svg);
    s.write("content/improvements/present.svg", svg);
    s.write("content/improvements/srcset-1x.svg", svg);
    s.write(
        "content/improvements/y.md",
        "+++\ntitle = \"Y\"\ndate = 2026-01-04\nteams = [\"IT\"]\n+++\nY.\n",
    );
    let page = "+++\ntitle = \"X\"\ndate = 2026-01-05\nteams = [\"IT\"]\n+++\nIntro.\n\n\
        <img src=\"photo.jpg\" alt=\"A photo\">\n\n\
        See <a href=\"report.pdf\">the report</a>, <a href=\"../y/\">a page</a>, \
        <a href=\"https://a.example/x.pdf\">far</a>, <a href=\"mailto:a@b.example\">mail</a>, \
        <a href=\"#top\">top</a>, <a href=\"/customers/img/logo.png\">base</a>, \
        <a href=\"@/improvements/y.md\">at</a>, <img src=\"data:image/png;base64,AAAA\" alt=\"d\">, \
        <a href='?page=2'>query</a>.\n\n\
        <!-- <img src=\"commented.png\"> -->\n\n\
        <div>\n<img alt=\"two lines\"\n     src=\"gone.png\">\n</div>\n\n\
        <img src=\"here%20too.svg?v=2#frag\" alt=\"present\"> <a href=\"present.svg#x\">ok</a> \
        <img srcset=\"srcset-1x.svg 1x, srcset-2x.svg 2x\" src=\"present.svg\" alt=\"s\">\n\n\
        <a HREF=x&amp;y.pdf>entity</a>\n";
    s.write("content/improvements/x.md", page);

    for args in [
        ["check", "--today", "2026-02-01"],
        ["build", "--today", "2026-02-01"],
    ] {
        let r = s.run(&args);
        assert_eq!(r.status, 0, "{args:?} fails:\n{}", r.stderr);
        for (file, needle) in [
            ("photo.jpg", "<img src=\"photo.jpg\""),
            ("report.pdf", "<a href=\"report.pdf\""),
            ("gone.png", "     src=\"gone.png\""),
            ("srcset-2x.svg", "<img srcset="),
            ("x&y.pdf", "<a HREF=x&amp;y.pdf"),
        ] {
            let warning = format!("warning: {file:?} does not exist beside this file");
            let place = format!("content/improvements/x.md:{}:", line_of(page, needle));
            let found = r
                .stderr
                .split("\n\n")
                .any(|d| d.contains(&warning) && d.contains(&place));
            assert!(found, "{args:?}: no {warning} at {place}:\n{}", r.stderr);
        }
        assert_eq!(
            r.stderr.matches("does not exist").count(),
            5,
            "{args:?}: only the missing files are reported:\n{}",
            r.stderr
        );
    }
    for published in ["here too.svg", "present.svg", "srcset-1x.svg"] {
        assert!(
            s.public().join("improvements/x").join(published).is_file(),
            "{published} is published beside the page"
        );
    }

    // In Markdown, a missing image or file is an error, with its line.
    let md = "+++\ntitle = \"Z\"\ndate = 2026-01-05\nteams = [\"IT\"]\n+++\n![chart](chart.png)\n\n[the pdf](report.pdf)\n";
    s.write("content/improvements/z.md", md);
    let r = s.run(&["build", "--today", "2026-02-01"]);
    assert_eq!(r.status, 1, "{}", r.stderr);
    for (file, line) in [("chart.png", 6), ("report.pdf", 8)] {
        let error = format!("error: {file:?} does not exist beside this file");
        let place = format!("content/improvements/z.md:{line}:");
        let found = r
            .stderr
            .split("\n\n")
            .any(|d| d.contains(&error) && d.contains(&place));
        assert!(found, "no {error} at {place}:\n{}", r.stderr);
    }
}

/// A Markdown link or image to a file whose name has a space, written `<my photo.svg>` or
/// `my%20photo.svg`, finds the file and publishes it (the space was dropped from the name, so
/// the build failed with `"myphoto.svg" does not exist`).
#[test]
fn file_names_with_spaces_are_found() {
    let s = TestSite::minimal();
    s.write(
        "content/improvements/my photo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"4\"></svg>",
    );
    s.write(
        "content/improvements/x.md",
        "+++\ntitle = \"X\"\ndate = 2026-01-05\nteams = [\"IT\"]\n+++\n![a photo](<my photo.svg>) [the photo](my%20photo.svg)\n",
    );
    s.build_ok("2026-02-01");
    assert!(s.public().join("improvements/x/my photo.svg").is_file());
}
