//! The example portal: it builds, every URL herald owns exists, links resolve under the
//! base_url sub-path, and builds are reproducible.

use std::collections::BTreeSet;
use std::path::Path;

use crate::support::{TestSite, attrs, snapshot};

const TODAY: &str = "2026-11-23";

fn md_slugs(dir: &Path) -> Vec<String> {
    let mut v = Vec::new();
    for e in std::fs::read_dir(dir).expect("read_dir").flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if e.path().is_dir() && e.path().join("index.md").exists() {
            v.push(name);
        } else if let Some(s) = name.strip_suffix(".md") {
            let text = std::fs::read_to_string(e.path()).expect("read");
            if !text.contains("\ndraft = true") {
                v.push(s.to_string());
            }
        }
    }
    v.sort();
    v
}

#[test]
fn example_portal_builds_every_url() {
    let site = TestSite::example();
    let run = site.build_ok(TODAY);
    assert!(
        run.stdout.starts_with("Built "),
        "one-line summary: {}",
        run.stdout
    );
    assert!(
        run.stdout.contains(" pages and ") && run.stdout.contains(" s "),
        "{}",
        run.stdout
    );

    let public = site.public();
    for fixed in [
        "index.html",
        "improvements/index.html",
        "improvements/page/2/index.html",
        "roadmap/index.html",
        "teams/index.html",
        "recognitions/index.html",
        "tags/index.html",
        "404.html",
        "sitemap.xml",
    ] {
        assert!(public.join(fixed).is_file(), "{fixed} is missing");
    }
    let content = site.path().join("content");
    for (section, folder) in [
        ("improvements", "improvements"),
        ("roadmap", "roadmap"),
        ("recognitions", "recognitions"),
    ] {
        let slugs = md_slugs(&content.join(folder));
        assert!(!slugs.is_empty());
        for slug in slugs {
            assert!(
                public
                    .join(section)
                    .join(&slug)
                    .join("index.html")
                    .is_file(),
                "/{section}/{slug}/ is missing"
            );
        }
    }
    let teams: toml::Table =
        toml::from_str(&std::fs::read_to_string(site.path().join("site.toml")).expect("read"))
            .expect("toml");
    for team in teams["teams"].as_array().expect("teams") {
        let slug = slug::slugify(team.as_str().expect("str"));
        assert!(
            public
                .join("teams")
                .join(&slug)
                .join("index.html")
                .is_file(),
            "/teams/{slug}/ is missing"
        );
    }
    let tag_pages = std::fs::read_dir(public.join("tags"))
        .expect("tags")
        .flatten()
        .filter(|e| e.path().is_dir())
        .count();
    assert!(tag_pages >= 5, "expected tag pages, found {tag_pages}");
    let sitemap = site.read("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://intranet.example.com/customers/roadmap/</loc>"),
        "{sitemap}"
    );
    assert!(
        !sitemap.contains("404"),
        "the 404 page is not in the sitemap"
    );
}

/// Every `href` and `src` in every page points at a file that exists when the output folder is
/// served at the base_url's sub-path, and every `#fragment` exists in its page.
#[test]
fn every_internal_link_resolves_under_the_sub_path() {
    let site = TestSite::example();
    site.build_ok(TODAY);
    let public = site.public();
    let base = "/customers/";
    let mut broken = BTreeSet::new();
    let mut checked = 0;
    for e in walkdir::WalkDir::new(&public)
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.path().extension().is_none_or(|x| x != "html") {
            continue;
        }
        let rel_page = e
            .path()
            .strip_prefix(&public)
            .expect("prefix")
            .to_string_lossy()
            .replace('\\', "/");
        let doc = scraper::Html::parse_document(&std::fs::read_to_string(e.path()).expect("read"));
        let page_dir = format!(
            "{base}{}",
            rel_page
                .rsplit_once('/')
                .map_or(String::new(), |(d, _)| format!("{d}/"))
        );
        let mut links = attrs(&doc, "[href]", "href");
        links.extend(attrs(&doc, "[src]", "src"));
        for link in links {
            if link.starts_with("http://")
                || link.starts_with("https://")
                || link.starts_with("mailto:")
                || link.starts_with("tel:")
            {
                assert!(
                    !link.contains("cdn") && !link.contains("googleapis"),
                    "{rel_page}: external asset {link}"
                );
                continue;
            }
            checked += 1;
            let (path, frag) = match link.split_once('#') {
                Some((p, f)) => (p.to_string(), Some(f.to_string())),
                None => (link.clone(), None),
            };
            let path = path.split('?').next().unwrap_or("").to_string();
            let absolute = if path.is_empty() {
                format!("{base}{rel_page}")
            } else if path.starts_with('/') {
                path.clone()
            } else {
                format!("{page_dir}{path}")
            };
            let Some(under) = absolute.strip_prefix(base) else {
                broken.insert(format!("{rel_page}: {link} is outside {base}"));
                continue;
            };
            let mut target = public.join(under);
            if absolute.ends_with('/') || target.is_dir() {
                target = target.join("index.html");
            }
            if !target.is_file() {
                broken.insert(format!("{rel_page}: {link}"));
                continue;
            }
            if let Some(frag) = frag.filter(|f| !f.is_empty())
                && target.extension().is_some_and(|x| x == "html")
            {
                let t =
                    scraper::Html::parse_document(&std::fs::read_to_string(&target).expect("read"));
                let ids = attrs(&t, "[id]", "id");
                if !ids.contains(&frag) {
                    broken.insert(format!("{rel_page}: {link} (no id {frag:?})"));
                }
            }
        }
    }
    assert!(checked > 500, "only {checked} links checked");
    assert!(
        broken.is_empty(),
        "broken links:\n{}",
        broken.into_iter().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn two_builds_with_the_same_today_are_byte_identical() {
    let a = TestSite::example();
    let b = TestSite::example();
    a.build_ok(TODAY);
    b.build_ok(TODAY);
    let (sa, sb) = (snapshot(&a.public()), snapshot(&b.public()));
    assert_eq!(sa.keys().collect::<Vec<_>>(), sb.keys().collect::<Vec<_>>());
    for (k, v) in &sa {
        assert!(sb[k] == *v, "{k} differs between two builds");
    }
    // And a rebuild in the same folder gives the same bytes again.
    a.build_ok(TODAY);
    assert!(snapshot(&a.public()) == sa, "rebuild differs");
}

#[test]
fn source_date_epoch_sets_today() {
    let site = TestSite::example();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_herald"))
        .args(["build", "--output", "epoch"])
        .current_dir(site.path())
        .env("SOURCE_DATE_EPOCH", "1795435200") // 2026-11-23T12:00:00Z
        .output()
        .expect("run");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    site.build_ok(TODAY);
    assert!(snapshot(&site.path().join("epoch")) == snapshot(&site.public()));
}
