//! Every entry's Markdown rendered to HTML, with its summary, and the cache that lets `serve`
//! render only the entries an edit changed.
//!
//! `@/` links resolve against the entries of the same build; a link to a missing file is a
//! problem of the entry, reported by the model with its line.

use std::collections::HashMap;

use rayon::prelude::*;

use super::Site;
use super::markdown::{self, Rendered, Resolve};
use crate::diagnostics::did_you_mean;
use crate::i18n::Catalog;
use crate::load::content::{Entry, Kind};
use crate::routes::Routes;

/// An entry's summary as HTML and as plain text.
pub type Summary = (String, String);

/// One entry's rendered Markdown and summary, with the key they were rendered for.
#[derive(Debug, Clone)]
pub struct CachedMarkdown {
    key: blake3::Hash,
    rendered: Rendered,
    summary: Summary,
}

/// Rendered Markdown by entry path, kept between rebuilds by `serve` so that only edited
/// entries are rendered again; a full build starts empty.
pub type MarkdownCache = HashMap<String, CachedMarkdown>;

/// Resolves `@/` links against the entries of a build that is being made.
struct Resolver<'a> {
    urls: HashMap<&'a str, String>,
    i18n: &'a Catalog,
}

/// The words of a task list's box in the site's language.
fn task_label(i18n: &Catalog, done: bool) -> String {
    i18n.text(if done {
        "a11y.task_done"
    } else {
        "a11y.task_open"
    })
}

impl Resolve for Resolver<'_> {
    fn url_of(&self, path: &str) -> Option<String> {
        self.urls.get(path).cloned()
    }
    fn suggest(&self, path: &str) -> Option<String> {
        did_you_mean(path, self.urls.keys().copied()).map(str::to_string)
    }
    fn task_label(&self, done: bool) -> String {
        task_label(self.i18n, done)
    }
}

/// Resolves `@/` links against a built site's entries (for re-rendering one entry).
struct SiteResolver<'a> {
    site: &'a Site,
}

impl Resolve for SiteResolver<'_> {
    fn url_of(&self, path: &str) -> Option<String> {
        let i = *self.site.index.get(path)?;
        (self.site.entries[i].kind != Kind::Announcement)
            .then(|| self.site.routes.url(&self.site.routes.entry(path)))
    }
    fn suggest(&self, path: &str) -> Option<String> {
        let paths = self
            .site
            .entries
            .iter()
            .filter(|e| e.kind != Kind::Announcement)
            .map(|e| e.path.as_str());
        did_you_mean(path, paths).map(str::to_string)
    }
    fn task_label(&self, done: bool) -> String {
        task_label(&self.site.i18n, done)
    }
}

/// Renders every entry's Markdown and summary in parallel, reusing what `cache` holds for an
/// entry whose text and surroundings are unchanged (and updating it); `None` keeps nothing.
pub(super) fn render_all(
    entries: &[Entry],
    unreadable: &[(Kind, String)],
    routes: &Routes,
    unsafe_html: bool,
    i18n: &Catalog,
    cache: Option<&mut MarkdownCache>,
) -> (Vec<Rendered>, Vec<Summary>) {
    let resolver = Resolver {
        i18n,
        urls: entries
            .iter()
            .filter(|e| e.kind != Kind::Announcement)
            .map(|e| (e.path.as_str(), routes.url(&routes.entry(&e.path))))
            // A file whose errors stop the build is still there to link to.
            .chain(
                unreadable
                    .iter()
                    .filter(|(kind, _)| *kind != Kind::Announcement)
                    .map(|(_, path)| (path.as_str(), routes.url(&routes.entry(path)))),
            )
            .collect(),
    };
    // What every rendering depends on besides the entry's own text: which entries exist
    // (for `@/` links), where they live, whether raw HTML is allowed, and the words of task
    // lists' boxes.
    let mut salt = blake3::Hasher::new();
    salt.update(routes.base_path().as_bytes());
    salt.update(&[u8::from(unsafe_html)]);
    for done in [true, false] {
        salt.update(task_label(i18n, done).as_bytes());
        salt.update(b"\0");
    }
    for e in entries {
        salt.update(e.path.as_bytes());
        salt.update(b"\0");
    }
    for (_, path) in unreadable {
        salt.update(b"\0unreadable\0");
        salt.update(path.as_bytes());
    }
    let salt = salt.finalize();
    let render = |e: &Entry, key: blake3::Hash| {
        let (rendered, summary) = render_markdown(e, &resolver, unsafe_html);
        CachedMarkdown {
            key,
            rendered,
            summary,
        }
    };
    let mut rendered = Vec::with_capacity(entries.len());
    let mut summaries = Vec::with_capacity(entries.len());
    match cache {
        // A one-off build keeps nothing for later, so nothing is hashed or copied.
        None => {
            let fresh: Vec<CachedMarkdown> = entries.par_iter().map(|e| render(e, salt)).collect();
            for c in fresh {
                rendered.push(c.rendered);
                summaries.push(c.summary);
            }
        }
        Some(cache) => {
            let fresh: Vec<CachedMarkdown> = entries
                .par_iter()
                .map(|e| {
                    let key = cache_key(&salt, e);
                    match cache.get(&e.path).filter(|c| c.key == key) {
                        Some(c) => c.clone(),
                        None => render(e, key),
                    }
                })
                .collect();
            let mut next_cache = MarkdownCache::default();
            for (e, c) in entries.iter().zip(fresh) {
                rendered.push(c.rendered.clone());
                summaries.push(c.summary.clone());
                next_cache.insert(e.path.clone(), c);
            }
            *cache = next_cache;
        }
    }
    (rendered, summaries)
}

/// What an entry's rendering depends on: the build's salt, its body and its `summary`.
fn cache_key(salt: &blake3::Hash, e: &Entry) -> blake3::Hash {
    let mut h = blake3::Hasher::new();
    h.update(salt.as_bytes());
    h.update(e.body().as_bytes());
    h.update(b"\0summary\0");
    if let Some(s) = &e.summary {
        h.update(s.as_bytes());
    }
    h.finalize()
}

/// An entry's body as HTML, and its summary: the `summary` key, else the first paragraph
/// (rendered once, used by lists and screens).
fn render_markdown(e: &Entry, resolver: &dyn Resolve, unsafe_html: bool) -> (Rendered, Summary) {
    let r = markdown::render(e.body(), resolver, unsafe_html);
    let summary = match &e.summary {
        Some(s) => markdown::render_inline(s, resolver, unsafe_html),
        None => (r.first_paragraph.clone(), r.first_paragraph_text.clone()),
    };
    (r, summary)
}

impl Site {
    /// Renders an entry's Markdown and summary against this site's entries, as a full build
    /// would.
    pub(crate) fn render_entry(&self, e: &Entry) -> (Rendered, Summary) {
        let resolver = SiteResolver { site: self };
        render_markdown(e, &resolver, self.config.markdown.unsafe_html)
    }
}
