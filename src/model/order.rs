//! The order of things: each kind's list (improvements newest first, milestones by target,
//! pages by title), the teams, and the tags with their entries.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use super::Tag;
use crate::load::config::Config;
use crate::load::content::{Entry, Kind, KindFields};
use crate::util::slug::slugify;

/// Each kind's entries, as indices into the site's entries, in the order the site lists them.
#[derive(Debug, Clone, Default)]
pub struct Lists {
    /// Improvements, newest first.
    pub improvements: Vec<usize>,
    /// Milestones by target date.
    pub milestones: Vec<usize>,
    /// Recognitions, newest first.
    pub recognitions: Vec<usize>,
    /// Plain pages, by title.
    pub pages: Vec<usize>,
    /// Announcements, by start.
    pub announcements: Vec<usize>,
}

/// Newest first, then by path.
fn newest_first(entries: &[Entry], a: usize, b: usize) -> Ordering {
    entries[b]
        .date()
        .cmp(&entries[a].date())
        .then_with(|| entries[a].path.cmp(&entries[b].path))
}

/// Oldest first, then by path.
fn oldest_first(entries: &[Entry], a: usize, b: usize) -> Ordering {
    entries[a]
        .date()
        .cmp(&entries[b].date())
        .then_with(|| entries[a].path.cmp(&entries[b].path))
}

/// Sorts the entries into their kinds' lists.
pub(super) fn order(entries: &[Entry]) -> Lists {
    let by_kind = |k: Kind| -> Vec<usize> {
        (0..entries.len())
            .filter(|i| entries[*i].kind == k)
            .collect()
    };
    let mut improvements = by_kind(Kind::Improvement);
    improvements.sort_by(|a, b| newest_first(entries, *a, *b));
    let mut milestones = by_kind(Kind::Milestone);
    milestones.sort_by(|a, b| oldest_first(entries, *a, *b));
    let mut recognitions = by_kind(Kind::Recognition);
    recognitions.sort_by(|a, b| newest_first(entries, *a, *b));
    let mut pages = by_kind(Kind::Page);
    pages.sort_by(|a, b| {
        entries[*a]
            .title
            .to_lowercase()
            .cmp(&entries[*b].title.to_lowercase())
            .then_with(|| entries[*a].path.cmp(&entries[*b].path))
    });
    let mut announcements = by_kind(Kind::Announcement);
    announcements.sort_by(|a, b| oldest_first(entries, *a, *b));
    Lists {
        improvements,
        milestones,
        recognitions,
        pages,
        announcements,
    }
}

/// The teams' names, by name: site.toml's list, else every team the content names.
pub(super) fn team_names(config: &Config, entries: &[Entry]) -> Vec<String> {
    let mut names: Vec<String> = config.team_names().map(str::to_string).collect();
    if names.is_empty() {
        let mut seen = std::collections::BTreeSet::new();
        for e in entries {
            for t in entry_teams(e) {
                seen.insert(t.to_string());
            }
        }
        names = seen.into_iter().collect();
    }
    names.sort_by_key(|n| n.to_lowercase());
    names
}

/// The tags, by name, each with its entries newest first.
pub(super) fn tags(entries: &[Entry], lists: &Lists) -> Vec<Tag> {
    let mut tags: BTreeMap<String, Tag> = BTreeMap::new();
    let order = lists
        .improvements
        .iter()
        .chain(&lists.recognitions)
        .chain(lists.milestones.iter().rev())
        .chain(&lists.pages);
    for &i in order {
        for t in &entries[i].tags {
            let slug = slugify(t);
            if slug.is_empty() {
                continue;
            }
            let tag = tags.entry(slug.clone()).or_insert_with(|| Tag {
                name: t.clone(),
                slug,
                entries: Vec::new(),
            });
            if !tag.entries.contains(&i) {
                tag.entries.push(i);
            }
        }
    }
    let mut tags: Vec<Tag> = tags.into_values().collect();
    for t in &mut tags {
        t.entries.sort_by(|a, b| newest_first(entries, *a, *b));
    }
    tags.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then_with(|| a.slug.cmp(&b.slug))
    });
    tags
}

/// Every team an entry names (its teams, a milestone's owner and task teams).
pub(crate) fn entry_teams(e: &Entry) -> Vec<&str> {
    match &e.fields {
        KindFields::Improvement(i) => i.teams.iter().map(|t| t.get_ref().as_str()).collect(),
        KindFields::Milestone(m) => std::iter::once(&m.owner)
            .chain(&m.teams)
            .chain(m.tasks.iter().map(|t| &t.team))
            .map(|t| t.get_ref().as_str())
            .collect(),
        KindFields::Recognition(r) => r.team.iter().map(|t| t.get_ref().as_str()).collect(),
        _ => Vec::new(),
    }
}
