//! Atom feeds: `/atom.xml` with every improvement, milestone and recognition, and one feed per
//! section (`/improvements/atom.xml`, `/roadmap/atom.xml`, `/recognitions/atom.xml`). Each item
//! carries its full content with absolute links, its authors (owner and teams) and its teams and
//! tags as categories. Written with `atom_syndication`.

use atom_syndication::{
    Category, Content, Entry as AtomEntry, Feed, FixedDateTime, Generator, Link, Person, Text,
};
use jiff::civil::Date;
use rayon::prelude::*;

use crate::content::{Data, Kind, Status};
use crate::model::Site;

/// The feeds, as output paths and bytes.
pub fn files(site: &Site) -> Vec<(String, Vec<u8>)> {
    let sections = [
        ("improvements", "Improvements", &site.improvements),
        ("roadmap", "Roadmap", &site.milestones),
        ("recognitions", "Recognitions", &site.recognitions),
    ];
    // Each item is written once, in parallel, and the same bytes go into the site's feed and
    // its section's feed.
    let entries: Vec<Option<Vec<u8>>> = (0..site.entries.len())
        .into_par_iter()
        .map(|i| match site.entries[i].kind {
            Kind::Improvement | Kind::Milestone | Kind::Recognition => entry_xml(&entry(site, i)),
            _ => None,
        })
        .collect();
    let mut out = Vec::with_capacity(4);
    let mut all: Vec<usize> = sections
        .iter()
        .flat_map(|(_, _, idx)| idx.iter().copied())
        .collect();
    // Newest first by the item's own date; ties by path, so the order never depends on chance.
    all.sort_by(|a, b| {
        updated_date(site, *b)
            .cmp(&updated_date(site, *a))
            .then_with(|| site.entries[*a].path.cmp(&site.entries[*b].path))
    });
    let mut jobs: Vec<(String, String, Option<&str>, &[usize])> =
        vec![("atom.xml".into(), String::new(), None, &all)];
    for (section, label, idx) in sections {
        jobs.push((
            format!("{section}/atom.xml"),
            format!("{section}/"),
            Some(label),
            idx,
        ));
    }
    out.par_extend(
        jobs.into_par_iter()
            .map(|(rel, path, label, idx)| (rel, feed(site, &path, label, idx, &entries))),
    );
    out
}

/// One item as XML (an `<entry>` element declaring the Atom namespace, which is the feed's own).
fn entry_xml(e: &AtomEntry) -> Option<Vec<u8>> {
    let config = atom_syndication::WriteConfig {
        write_document_declaration: false,
        indent_size: None,
    };
    e.write_with_config(Vec::new(), config).ok()
}

fn feed(
    site: &Site,
    path: &str,
    label: Option<&str>,
    idx: &[usize],
    entries: &[Option<Vec<u8>>],
) -> Vec<u8> {
    let absolute = &site.base.absolute;
    let title = match label {
        Some(l) => format!("{}: {l}", site.config.title),
        None => site.config.title.clone(),
    };
    let updated = idx
        .iter()
        .map(|i| updated_date(site, *i))
        .max()
        .unwrap_or(site.today);
    let mut f = Feed {
        title: Text::plain(title),
        id: format!("{absolute}{path}"),
        updated: datetime(site, updated),
        authors: vec![person(&site.config.title, Some(absolute))],
        links: vec![
            link(
                &format!("{absolute}{path}atom.xml"),
                "self",
                Some("application/atom+xml"),
            ),
            link(&format!("{absolute}{path}"), "alternate", Some("text/html")),
        ],
        generator: Some(Generator {
            value: "herald".into(),
            uri: None,
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
        lang: Some(site.config.language.clone()),
        ..Feed::default()
    };
    if !site.config.description.is_empty() {
        f.subtitle = Some(Text::plain(site.config.description.clone()));
    }
    let head = f.to_string();
    // The feed's own elements, then the items, spliced in before its end tag.
    let (open, close) = head.rsplit_once("</feed>").unwrap_or((head.as_str(), ""));
    let items: Vec<&[u8]> = idx.iter().filter_map(|i| entries[*i].as_deref()).collect();
    let mut out =
        Vec::with_capacity(head.len() + items.iter().map(|b| b.len() + 1).sum::<usize>() + 8);
    out.extend_from_slice(open.as_bytes());
    for item in items {
        out.extend_from_slice(item);
        out.push(b'\n');
    }
    out.extend_from_slice(b"</feed>");
    out.extend_from_slice(close.as_bytes());
    out
}

/// The date an item is filed under: an improvement's or recognition's date; for a milestone,
/// its last known event up to today (done, a task done, its target passed), else today, so that
/// no feed claims a date in the future.
fn updated_date(site: &Site, i: usize) -> Date {
    let today = site.today;
    match &site.entries[i].data {
        Data::Milestone(m) => {
            let events = m
                .done_on
                .into_iter()
                .chain(m.tasks.iter().filter_map(|t| t.done_on))
                .chain(std::iter::once(m.target));
            events.filter(|d| *d <= today).max().unwrap_or(today)
        }
        _ => site.entries[i].date().unwrap_or(today),
    }
}

fn datetime(site: &Site, d: Date) -> FixedDateTime {
    let tz = site.config.tz();
    let text = d
        .to_zoned(tz)
        .ok()
        .and_then(|z| jiff::fmt::strtime::format("%Y-%m-%dT%H:%M:%S%:z", &z).ok())
        .unwrap_or_else(|| format!("{d}T00:00:00Z"));
    FixedDateTime::parse_from_rfc3339(&text).unwrap_or_default()
}

fn person(name: &str, uri: Option<&str>) -> Person {
    Person {
        name: name.to_string(),
        uri: uri.map(str::to_string),
        ..Person::default()
    }
}

fn link(href: &str, rel: &str, mime: Option<&str>) -> Link {
    Link {
        href: href.to_string(),
        rel: rel.to_string(),
        mime_type: mime.map(str::to_string),
        ..Link::default()
    }
}

/// `/customers/x/` links in rendered HTML, made absolute for readers that ignore `xml:base`.
pub(crate) fn absolute_links(site: &Site, html: &str) -> String {
    let origin = site
        .base
        .absolute
        .strip_suffix(&site.base.path)
        .unwrap_or(&site.base.absolute);
    html.replace("href=\"/", &format!("href=\"{origin}/"))
        .replace("src=\"/", &format!("src=\"{origin}/"))
        .replace("srcset=\"/", &format!("srcset=\"{origin}/"))
}

fn entry(site: &Site, i: usize) -> AtomEntry {
    let e = &site.entries[i];
    let absolute = &site.base.absolute;
    let permalink = format!("{absolute}{}/", e.path);
    let team_url = |t: &str| format!("{absolute}teams/{}/", crate::model::slugify(t));
    let mut authors = Vec::new();
    let mut contributors = Vec::new();
    let mut teams: Vec<&str> = Vec::new();
    match &e.data {
        Data::Improvement(imp) => {
            teams.extend(imp.teams.iter().map(|t| t.get_ref().as_str()));
            if let Some(o) = &imp.owner {
                authors.push(person(o, None));
            }
            for t in &teams {
                authors.push(person(t, Some(&team_url(t))));
            }
        }
        Data::Milestone(m) => {
            let owner = m.owner.get_ref().as_str();
            authors.push(person(owner, Some(&team_url(owner))));
            teams.push(owner);
            for t in m
                .teams
                .iter()
                .chain(m.tasks.iter().map(|t| &t.team))
                .map(|t| t.get_ref().as_str())
            {
                if !teams.contains(&t) {
                    teams.push(t);
                    contributors.push(person(t, Some(&team_url(t))));
                }
            }
        }
        Data::Recognition(r) => {
            authors.push(person(&site.config.title, Some(absolute)));
            if let Some(t) = &r.team {
                teams.push(t.get_ref().as_str());
            }
        }
        _ => {}
    }
    let mut categories: Vec<Category> = teams
        .iter()
        .map(|t| Category {
            term: crate::model::slugify(t),
            scheme: Some(format!("{absolute}teams/")),
            label: Some((*t).to_string()),
        })
        .collect();
    categories.extend(e.tags.iter().map(|t| Category {
        term: crate::model::slugify(t),
        scheme: Some(format!("{absolute}tags/")),
        label: Some(t.clone()),
    }));
    let updated = datetime(site, updated_date(site, i));
    let published = match &e.data {
        Data::Milestone(_) => None,
        _ => Some(updated),
    };
    let summary = &site.summaries[i].1;
    AtomEntry {
        title: Text::plain(e.title.clone()),
        id: permalink.clone(),
        updated,
        published,
        authors,
        contributors,
        categories,
        links: vec![link(&permalink, "alternate", Some("text/html"))],
        summary: (!summary.trim().is_empty()).then(|| Text::plain(summary.trim().to_string())),
        content: Some(Content {
            base: Some(permalink),
            value: Some(format!(
                "{}{}",
                facts(site, i),
                absolute_links(site, &site.rendered[i].html)
            )),
            content_type: Some("html".into()),
            ..Content::default()
        }),
        ..AtomEntry::default()
    }
}

/// A line of the facts a page shows above the body: a milestone's status and dates, an
/// improvement's metric and who benefits, a recognition's people and award.
fn facts(site: &Site, i: usize) -> String {
    use crate::render::xml_escape as esc;
    let num = |x: f64| crate::render::format_number(x, 2);
    let mut parts: Vec<String> = Vec::new();
    match &site.entries[i].data {
        Data::Improvement(imp) => {
            if let Some(m) = &imp.metric {
                parts.push(format!(
                    "{}: {}{u} → {}{u}",
                    esc(&m.name),
                    num(m.before),
                    num(m.after),
                    u = esc(&m.unit)
                ));
            }
            if let Some(c) = &imp.customers {
                parts.push(format!("For {}", esc(c)));
            }
        }
        Data::Milestone(m) => {
            parts.push(format!("{} · {}", esc(m.status.label()), esc(&m.phase)));
            parts.push(match (m.status, m.done_on) {
                (Status::Done, Some(d)) => format!("done {d} (target {})", m.target),
                _ if site.milestone_overdue(m) => format!("overdue since {}", m.target),
                _ => format!("target {}", m.target),
            });
            if !m.tasks.is_empty() {
                let done = m.tasks.iter().filter(|t| t.done).count();
                parts.push(format!("{done} of {} tasks done", m.tasks.len()));
            }
        }
        Data::Recognition(r) => {
            parts.push(format!("Thanks to {}", esc(&r.people.join(", "))));
            if let Some(a) = &r.award {
                parts.push(esc(a));
            }
        }
        _ => {}
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("<p><strong>{}</strong></p>\n", parts.join(" · "))
    }
}
