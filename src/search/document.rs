//! The documents of the index: which entries are indexed and in what order, what each one's
//! fields are made of (its title; its body: the rendered Markdown, the explicit summary and the
//! front matter's words), and its row of the document table.

use crate::load::content::{Entry, KindFields};
use crate::model::Site;

/// The longest excerpt, in characters.
const EXCERPT: usize = 200;

/// The indexed entries (indices in the site's entries) in document order: improvements newest
/// first, then milestones, recognitions and pages; not announcements.
pub(super) fn order(site: &Site) -> Vec<usize> {
    site.improvements
        .iter()
        .chain(&site.milestones)
        .chain(&site.recognitions)
        .chain(&site.pages)
        .copied()
        .collect()
}

/// What a document is made of, read from the model.
pub(super) struct Input<'a> {
    /// The entry.
    pub(super) entry: &'a Entry,
    /// The entry page's route, which the results link to.
    route: String,
    /// The title field.
    pub(super) title: &'a str,
    /// The body's rendered Markdown.
    pub(super) html: &'a str,
    /// The entry's summary as text, which the excerpt is made from when not empty.
    summary: &'a str,
    /// The rest of the body field: [`meta_text`].
    pub(super) meta: String,
}

impl<'a> Input<'a> {
    /// The document of the site's entry `i`.
    pub(super) fn new(site: &'a Site, i: usize) -> Self {
        Input {
            entry: &site.entries[i],
            route: site.routes.entry(&site.entries[i].path),
            title: &site.entries[i].title,
            html: site.html(i),
            summary: &site.summaries[i].1,
            meta: meta_text(site, i),
        }
    }

    /// Its row of the document table, as JSON: `[PATH, TITLE, KIND, DATE, [TEAM…], EXCERPT]`,
    /// the excerpt made from the summary or, when that is empty, from `text` (the body's text).
    pub(super) fn row(&self, text: &str) -> String {
        let e = self.entry;
        let date = e.date().map(|d| d.to_string()).unwrap_or_default();
        let summary = if self.summary.trim().is_empty() {
            excerpt(text)
        } else {
            excerpt(self.summary)
        };
        serde_json::to_string(&(
            &self.route,
            self.title,
            e.kind.name(),
            date,
            display_teams(e),
            summary,
        ))
        .unwrap_or_default()
    }
}

/// The text of a document's body field besides its Markdown: the explicit summary and the
/// front matter's words.
fn meta_text(site: &Site, i: usize) -> String {
    let e = &site.entries[i];
    let mut parts: Vec<&str> = Vec::new();
    if e.summary.is_some() {
        parts.push(site.summaries[i].1.as_str());
    }
    parts.extend(e.tags.iter().map(String::as_str));
    match &e.fields {
        KindFields::Improvement(imp) => {
            parts.extend(imp.teams.iter().map(|t| t.get_ref().as_str()));
            parts.extend(imp.owner.as_deref());
            parts.extend(imp.customers.as_deref());
            if let Some(m) = &imp.metric {
                parts.push(&m.name);
            }
            if let Some(q) = &imp.quote {
                parts.push(&q.text);
                parts.push(&q.by);
            }
        }
        KindFields::Milestone(m) => {
            parts.push(&m.phase);
            parts.push(m.owner.get_ref());
            parts.extend(m.teams.iter().map(|t| t.get_ref().as_str()));
            for t in &m.tasks {
                parts.push(t.team.get_ref());
                parts.push(&t.task);
            }
            if let Some(mm) = &m.metric {
                parts.push(&mm.name);
            }
        }
        KindFields::Recognition(r) => {
            parts.extend(r.people.iter().map(String::as_str));
            if let Some(t) = &r.team {
                parts.push(t.get_ref());
            }
            parts.extend(r.award.as_deref());
        }
        KindFields::Announcement(_) | KindFields::Page => {}
    }
    parts.join("\n")
}

/// The teams shown with a result.
fn display_teams(e: &Entry) -> Vec<&str> {
    let all: Vec<&str> = match &e.fields {
        KindFields::Improvement(imp) => imp.teams.iter().map(|t| t.get_ref().as_str()).collect(),
        KindFields::Milestone(m) => std::iter::once(&m.owner)
            .chain(&m.teams)
            .map(|t| t.get_ref().as_str())
            .collect(),
        KindFields::Recognition(r) => r.team.iter().map(|t| t.get_ref().as_str()).collect(),
        KindFields::Announcement(_) | KindFields::Page => Vec::new(),
    };
    let mut out: Vec<&str> = Vec::new();
    for t in all {
        if !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

/// Collapses white space and cuts `text` to at most [`EXCERPT`] characters at a word break.
fn excerpt(text: &str) -> String {
    let mut out = String::new();
    let mut chars = 0;
    let mut cut = false;
    for w in text.split_whitespace() {
        let n = w.chars().count();
        if chars + n + usize::from(chars > 0) > EXCERPT {
            cut = true;
            break;
        }
        if chars > 0 {
            out.push(' ');
            chars += 1;
        }
        out.push_str(w);
        chars += n;
    }
    if cut {
        if out.is_empty() {
            out = text.trim().chars().take(EXCERPT - 1).collect();
        }
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_end_at_a_word() {
        let long = "word ".repeat(100);
        let e = excerpt(&long);
        assert!(e.ends_with("word…"), "{e}");
        assert!(e.chars().count() <= EXCERPT + 1);
        assert_eq!(excerpt("  short\n text "), "short text");
    }
}
