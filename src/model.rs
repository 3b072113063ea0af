//! The site model: validated content plus everything derived from it (overdue, progress, which
//! improvements delivered which milestone, teams, tags, phases), rendered Markdown, and the
//! template values built from them once and shared by every page.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use rayon::prelude::*;
use tera::Value;
use tera::value::Key;

use crate::config::{BaseUrl, Config};
use crate::content::{Content, Data, Entry, Kind, STATUSES, Status, ref_slug};
use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean, display_path};
use crate::markdown::{self, Rendered, Resolve};

/// A map value under construction, with keys in insertion order.
pub(crate) struct Obj(tera::Map);

impl Obj {
    pub(crate) fn new() -> Self {
        Obj(tera::Map::new())
    }
    /// An empty map with room for `n` keys, for the large values built once per entry.
    pub(crate) fn with_capacity(n: usize) -> Self {
        Obj(tera::Map::with_capacity(n))
    }
    pub(crate) fn set(mut self, k: &'static str, v: impl Into<Value>) -> Self {
        self.0.insert(Key::from(k), v.into());
        self
    }
    pub(crate) fn build(self) -> Value {
        Value::from(self.0)
    }
}

fn opt_str(s: Option<&str>) -> Value {
    s.map_or_else(Value::none, Value::from)
}

fn date_value(d: Option<Date>) -> Value {
    d.map_or_else(Value::none, |d| Value::from(d.to_string()))
}

/// A team and what it did and owes.
#[derive(Debug, Clone)]
pub struct Team {
    /// As written in site.toml or content.
    pub name: String,
    /// URL slug.
    pub slug: String,
}

/// A tag and the entries that carry it.
#[derive(Debug, Clone)]
pub struct Tag {
    /// As first written.
    pub name: String,
    /// URL slug.
    pub slug: String,
    /// Entry indices, newest first.
    pub entries: Vec<usize>,
}

/// A file to publish as it is: (source, path under the output root).
pub type Copy = (PathBuf, String);

/// The whole site, ready to render.
pub struct Site {
    /// site.toml.
    pub config: Config,
    /// The base URL, split.
    pub base: BaseUrl,
    /// What "today" is.
    pub today: Date,
    /// Every entry that is built.
    pub entries: Vec<Entry>,
    /// Each entry's rendered Markdown. Its `html` is empty once the entry's value is built: the
    /// value holds the only copy (`content`), which [`Site::html`] reads.
    pub rendered: Vec<Rendered>,
    /// Each entry's summary as HTML and as plain text.
    pub summaries: Vec<(String, String)>,
    /// Each entry's template value (`page`).
    pub values: Vec<Value>,
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
    /// Teams by name.
    pub teams: Vec<Team>,
    /// Each team's template value.
    pub team_values: Vec<Value>,
    /// Tags by name.
    pub tags: Vec<Tag>,
    /// Each tag's template value.
    pub tag_values: Vec<Value>,
    /// The `site` template value.
    pub site_value: Value,
    /// The `config` template value.
    pub config_value: Value,
    /// Files published as they are (bundles, images).
    pub copies: Vec<Copy>,
    /// Entry path to index.
    pub index: HashMap<String, usize>,
    /// Metrics and lost customers from `data/`.
    pub data: crate::data::Data,
    /// The years the roadmap timeline spans.
    pub timeline: Option<crate::roadmap::Timeline>,
    /// Monthly digests, newest first.
    pub digests: Vec<crate::digest::Digest>,
    /// Quarterly letters to customers, newest first.
    pub letters: Vec<crate::digest::Letter>,
    /// Team references (`{name, url, slug}`) by name, made once: entries repeat them.
    team_refs: HashMap<String, Value>,
    /// Tag references (`{name, url, slug}`) by the name as written, made once.
    tag_refs: HashMap<String, Value>,
}

/// One entry's rendered Markdown and summary, with the key they were rendered for.
#[derive(Debug, Clone)]
pub struct CachedMarkdown {
    key: blake3::Hash,
    rendered: Rendered,
    summary: (String, String),
}

/// Rendered Markdown by entry path, kept between rebuilds by `serve` so that only edited
/// entries are rendered again; a full build starts empty.
pub type MarkdownCache = HashMap<String, CachedMarkdown>;

struct Resolver<'a> {
    urls: HashMap<&'a str, String>,
}

impl Resolve for Resolver<'_> {
    fn url_of(&self, path: &str) -> Option<String> {
        self.urls.get(path).cloned()
    }
    fn suggest(&self, path: &str) -> Option<String> {
        did_you_mean(path, self.urls.keys().copied()).map(str::to_string)
    }
}

/// Who points at whom, found in one pass so that an entry's value need not scan the site.
struct Links<'a> {
    /// Recognitions by the slug of the improvement they thank for, newest first.
    recognitions: HashMap<&'a str, Vec<usize>>,
    /// Improvements by the slug of the milestone they deliver, oldest first.
    improvements: HashMap<&'a str, Vec<usize>>,
}

impl<'a> Links<'a> {
    fn of(site: &'a Site) -> Self {
        let mut recognitions: HashMap<&str, Vec<usize>> = HashMap::new();
        for &j in &site.recognitions {
            if let Data::Recognition(r) = &site.entries[j].data
                && let Some(w) = &r.work
            {
                recognitions
                    .entry(ref_slug(w.get_ref(), "improvements"))
                    .or_default()
                    .push(j);
            }
        }
        let mut improvements: HashMap<&str, Vec<usize>> = HashMap::new();
        for &j in site.improvements.iter().rev() {
            if let Data::Improvement(imp) = &site.entries[j].data
                && let Some(m) = &imp.milestone
            {
                improvements
                    .entry(ref_slug(m.get_ref(), "roadmap"))
                    .or_default()
                    .push(j);
            }
        }
        Links {
            recognitions,
            improvements,
        }
    }
}

impl Site {
    /// The root-relative URL of a path under the site.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base.path, path)
    }

    /// Builds the model from validated content, reusing Markdown rendered earlier (`cache`,
    /// updated in place; `None` for a build that keeps nothing). Rendering problems (broken `@/` links, missing
    /// files) are added to `diags`.
    #[allow(clippy::too_many_arguments)] // each is one stage's output; a struct would only rename them
    pub fn build(
        root: &Path,
        config: Config,
        base: BaseUrl,
        today: Date,
        content: Content,
        data: crate::data::Data,
        cache: Option<&mut MarkdownCache>,
        diags: &mut Diagnostics,
    ) -> Site {
        let mut t = crate::timings::Timer::new();
        let entries = content.entries;
        let index: HashMap<String, usize> = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.path.clone(), i))
            .collect();
        let resolver = Resolver {
            urls: entries
                .iter()
                .filter(|e| e.kind != Kind::Announcement)
                .map(|e| (e.path.as_str(), format!("{}{}/", base.path, e.path)))
                .collect(),
        };
        let unsafe_html = config.markdown.unsafe_html;
        // What every rendering depends on besides the entry's own text: which entries exist
        // (for `@/` links), where they live, and whether raw HTML is allowed.
        let mut salt = blake3::Hasher::new();
        salt.update(base.path.as_bytes());
        salt.update(&[u8::from(unsafe_html)]);
        for e in &entries {
            salt.update(e.path.as_bytes());
            salt.update(b"\0");
        }
        let salt = salt.finalize();
        let render = |e: &Entry, key: blake3::Hash| {
            let (r, summary) = render_markdown(e, &resolver, unsafe_html);
            CachedMarkdown {
                key,
                rendered: r,
                summary,
            }
        };
        let mut rendered = Vec::with_capacity(entries.len());
        let mut summaries = Vec::with_capacity(entries.len());
        match cache {
            // A one-off build keeps nothing for later, so nothing is hashed or copied.
            None => {
                let fresh: Vec<CachedMarkdown> =
                    entries.par_iter().map(|e| render(e, salt)).collect();
                for c in fresh {
                    rendered.push(c.rendered);
                    summaries.push(c.summary);
                }
            }
            Some(cache) => {
                let fresh: Vec<CachedMarkdown> = entries
                    .par_iter()
                    .map(|e| {
                        let mut h = blake3::Hasher::new();
                        h.update(salt.as_bytes());
                        h.update(e.body().as_bytes());
                        h.update(b"\0summary\0");
                        if let Some(s) = &e.summary {
                            h.update(s.as_bytes());
                        }
                        let key = h.finalize();
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

        t.mark("  markdown");
        let mut copies: Vec<Copy> = Vec::new();
        for (e, r) in entries.iter().zip(&rendered) {
            for p in &r.problems {
                diags.push(e.body_error_at(
                    p.span.clone(),
                    p.message.clone(),
                    p.hint.clone(),
                    p.warning,
                ));
            }
            let dir = e.file.parent().unwrap_or(root);
            for (file, span) in &r.local_files {
                let decoded = percent_decode(file);
                let src = dir.join(&decoded);
                if decoded.contains("..") || !src.is_file() {
                    let folder = display_path(root, dir);
                    let hint = if e.bundle.is_some() {
                        format!(
                            "put the file in the page bundle folder {} (next to index.md), or link to a page with @/SECTION/FILE.md",
                            folder.display()
                        )
                    } else {
                        format!(
                            "put the file in {} next to this file, or link to a page with @/SECTION/FILE.md",
                            folder.display()
                        )
                    };
                    diags.push(e.body_error_at(
                        span.clone(),
                        format!("{file:?} does not exist beside this file"),
                        hint,
                        false,
                    ));
                } else if e.bundle.is_none() {
                    copies.push((src, format!("{}/{}", e.path, decoded)));
                }
            }
            if let Some(b) = &e.bundle {
                for item in walkdir::WalkDir::new(b)
                    .sort_by_file_name()
                    .into_iter()
                    .filter_map(Result::ok)
                {
                    let p = item.path();
                    if !item.file_type().is_file() || p.extension().is_some_and(|x| x == "md") {
                        continue;
                    }
                    if p.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
                    {
                        continue;
                    }
                    if let Ok(rel) = p.strip_prefix(b) {
                        copies.push((
                            p.to_path_buf(),
                            format!("{}/{}", e.path, rel.to_string_lossy().replace('\\', "/")),
                        ));
                    }
                }
            }
            if let Some(img) = &e.image
                && e.bundle.is_none()
                && !img.starts_with(root.join("static"))
                && let Some(name) = img.file_name()
            {
                copies.push((
                    img.clone(),
                    format!("{}/{}", e.path, name.to_string_lossy()),
                ));
            }
        }
        copies.sort_by(|a, b| a.1.cmp(&b.1));
        copies.dedup_by(|a, b| a.1 == b.1);

        let mut site = Site {
            config,
            base,
            today,
            entries,
            rendered,
            summaries,
            values: Vec::new(),
            improvements: Vec::new(),
            milestones: Vec::new(),
            recognitions: Vec::new(),
            pages: Vec::new(),
            announcements: Vec::new(),
            teams: Vec::new(),
            team_values: Vec::new(),
            tags: Vec::new(),
            tag_values: Vec::new(),
            site_value: Value::none(),
            config_value: Value::none(),
            copies,
            index,
            data,
            timeline: None,
            digests: Vec::new(),
            letters: Vec::new(),
            team_refs: HashMap::new(),
            tag_refs: HashMap::new(),
        };
        t.mark("  problems and copies");
        site.order();
        site.timeline =
            crate::roadmap::Timeline::of(site.entries.iter().filter_map(|e| match &e.data {
                Data::Milestone(m) => Some(m),
                _ => None,
            }));
        site.collect_teams_and_tags();
        site.make_refs();
        t.mark("  order, teams, tags");
        // Each body moves into its value rather than being copied: a second copy of every page's
        // HTML is 65 MB at 10,000 entries, and fresh memory is slow to come by.
        let bodies: Vec<String> = site
            .rendered
            .iter_mut()
            .map(|r| std::mem::take(&mut r.html))
            .collect();
        let links = Links::of(&site);
        site.values = bodies
            .into_par_iter()
            .enumerate()
            .map(|(i, html)| site.entry_value(root, &links, i, &html))
            .collect();
        t.mark("  entry values");
        let ((team_values, tag_values), (digests, letters)) = rayon::join(
            || {
                rayon::join(
                    || {
                        (0..site.teams.len())
                            .into_par_iter()
                            .map(|i| site.team_value(i))
                            .collect()
                    },
                    || {
                        (0..site.tags.len())
                            .into_par_iter()
                            .map(|i| site.tag_value(i))
                            .collect()
                    },
                )
            },
            || {
                rayon::join(
                    || crate::digest::digests(&site),
                    || crate::digest::letters(&site),
                )
            },
        );
        site.team_values = team_values;
        site.tag_values = tag_values;
        site.digests = digests;
        site.letters = letters;
        site.config_value = site.make_config_value();
        site.site_value = site.make_site_value();
        t.mark("  teams, tags, digests, letters, site values");
        site
    }

    fn order(&mut self) {
        let by_kind = |k: Kind| -> Vec<usize> {
            (0..self.entries.len())
                .filter(|i| self.entries[*i].kind == k)
                .collect()
        };
        let mut imp = by_kind(Kind::Improvement);
        imp.sort_by(|a, b| {
            self.entries[*b]
                .date()
                .cmp(&self.entries[*a].date())
                .then_with(|| self.entries[*a].path.cmp(&self.entries[*b].path))
        });
        let mut ms = by_kind(Kind::Milestone);
        ms.sort_by(|a, b| {
            self.entries[*a]
                .date()
                .cmp(&self.entries[*b].date())
                .then_with(|| self.entries[*a].path.cmp(&self.entries[*b].path))
        });
        let mut rec = by_kind(Kind::Recognition);
        rec.sort_by(|a, b| {
            self.entries[*b]
                .date()
                .cmp(&self.entries[*a].date())
                .then_with(|| self.entries[*a].path.cmp(&self.entries[*b].path))
        });
        let mut pages = by_kind(Kind::Page);
        pages.sort_by(|a, b| {
            self.entries[*a]
                .title
                .to_lowercase()
                .cmp(&self.entries[*b].title.to_lowercase())
                .then_with(|| self.entries[*a].path.cmp(&self.entries[*b].path))
        });
        let mut ann = by_kind(Kind::Announcement);
        ann.sort_by(|a, b| {
            self.entries[*a]
                .date()
                .cmp(&self.entries[*b].date())
                .then_with(|| self.entries[*a].path.cmp(&self.entries[*b].path))
        });
        self.improvements = imp;
        self.milestones = ms;
        self.recognitions = rec;
        self.pages = pages;
        self.announcements = ann;
    }

    /// Fills `team_refs` and `tag_refs` with every team and tag name the entries use.
    fn make_refs(&mut self) {
        let mut team_refs = HashMap::new();
        let mut tag_refs = HashMap::new();
        for t in &self.teams {
            team_refs.insert(t.name.clone(), self.make_team_ref(&t.name));
        }
        for e in &self.entries {
            for t in entry_teams(e) {
                if !team_refs.contains_key(t) {
                    team_refs.insert(t.to_string(), self.make_team_ref(t));
                }
            }
            for t in &e.tags {
                if !tag_refs.contains_key(t.as_str()) {
                    let slug = slugify(t);
                    if slug.is_empty() {
                        continue;
                    }
                    let v = Obj::new()
                        .set("name", t.as_str())
                        .set("url", self.url(&format!("tags/{slug}/")))
                        .set("slug", slug)
                        .build();
                    tag_refs.insert(t.clone(), v);
                }
            }
        }
        self.team_refs = team_refs;
        self.tag_refs = tag_refs;
    }

    fn collect_teams_and_tags(&mut self) {
        let mut names: Vec<String> = self.config.team_names().map(str::to_string).collect();
        if names.is_empty() {
            let mut seen = std::collections::BTreeSet::new();
            for e in &self.entries {
                for t in entry_teams(e) {
                    seen.insert(t.to_string());
                }
            }
            names = seen.into_iter().collect();
        }
        let mut teams: Vec<Team> = names
            .into_iter()
            .map(|name| Team {
                slug: slugify(&name),
                name,
            })
            .collect();
        teams.sort_by_key(|t| t.name.to_lowercase());
        self.teams = teams;

        let mut tags: BTreeMap<String, Tag> = BTreeMap::new();
        let order: Vec<usize> = self
            .improvements
            .iter()
            .chain(&self.recognitions)
            .chain(self.milestones.iter().rev())
            .chain(&self.pages)
            .copied()
            .collect();
        for i in order {
            for t in &self.entries[i].tags {
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
            let e = &self.entries;
            t.entries.sort_by(|a, b| {
                e[*b]
                    .date()
                    .cmp(&e[*a].date())
                    .then_with(|| e[*a].path.cmp(&e[*b].path))
            });
        }
        tags.sort_by(|a, b| {
            a.name
                .to_lowercase()
                .cmp(&b.name.to_lowercase())
                .then_with(|| a.slug.cmp(&b.slug))
        });
        self.tags = tags;
    }

    /// A team's name, slug and URL.
    pub(crate) fn team_ref(&self, name: &str) -> Value {
        match self.team_refs.get(name) {
            Some(v) => v.clone(),
            None => self.make_team_ref(name),
        }
    }

    fn make_team_ref(&self, name: &str) -> Value {
        let slug = slugify(name);
        Obj::new()
            .set("name", name)
            .set("url", self.url(&format!("teams/{slug}/")))
            .set("slug", slug)
            .build()
    }

    /// An entry's kind, path, URL, title, date and status, for cross-references.
    pub(crate) fn entry_ref(&self, i: usize) -> Value {
        let e = &self.entries[i];
        let (status, status_label) = match &e.data {
            Data::Milestone(m) => (Value::from(m.status.key()), Value::from(m.status.label())),
            _ => (Value::none(), Value::none()),
        };
        Obj::new()
            .set("kind", e.kind.name())
            .set("path", e.path.as_str())
            .set("slug", e.slug.as_str())
            .set("url", self.url(&format!("{}/", e.path)))
            .set("title", e.title.as_str())
            .set("date", date_value(e.date()))
            .set("status", status)
            .set("status_label", status_label)
            .build()
    }

    fn find(&self, kind: Kind, slug: &str) -> Option<usize> {
        let section = kind.section();
        self.index
            .get(&format!("{section}/{}", ref_slug(slug, section)))
            .copied()
    }

    /// Whether a milestone is overdue today.
    pub fn milestone_overdue(&self, m: &crate::content::Milestone) -> bool {
        !m.status.is_closed() && m.target < self.today
    }

    /// Whether a task is past due and not done.
    pub(crate) fn task_overdue(
        &self,
        m: &crate::content::Milestone,
        t: &crate::content::Task,
    ) -> bool {
        !t.done && m.status != Status::Dropped && t.due.is_some_and(|d| d < self.today)
    }

    /// How many days past due an open task is.
    pub(crate) fn task_days_overdue(
        &self,
        m: &crate::content::Milestone,
        t: &crate::content::Task,
    ) -> i32 {
        match t.due {
            Some(due) if self.task_overdue(m, t) => (self.today - due).get_days(),
            _ => 0,
        }
    }

    /// The HTML of entry `i`'s body (its value's `content`).
    pub fn html(&self, i: usize) -> &str {
        self.values
            .get(i)
            .and_then(Value::as_map)
            .and_then(|m| m.get(&Key::from("content")))
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    /// Entry `i`'s template value, with `html` as its body.
    fn entry_value(&self, root: &Path, links: &Links<'_>, i: usize, html: &str) -> Value {
        let e = &self.entries[i];
        let r = &self.rendered[i];
        let url = self.url(&format!("{}/", e.path));
        let (summary_html, summary_text) = &self.summaries[i];
        let image = e.image.as_ref().map(|img| {
            let static_dir = root.join("static");
            match img.strip_prefix(&static_dir) {
                Ok(rel) => self.url(&rel.to_string_lossy().replace('\\', "/")),
                Err(_) => format!(
                    "{url}{}",
                    img.file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default()
                ),
            }
        });
        let toc: Vec<Value> = r
            .toc
            .iter()
            .map(|h| {
                Obj::new()
                    .set("level", h.level)
                    .set("id", h.id.as_str())
                    .set("title", h.title.as_str())
                    .build()
            })
            .collect();
        let tags: Vec<Value> = e
            .tags
            .iter()
            .filter_map(|t| self.tag_refs.get(t.as_str()).cloned())
            .collect();
        let mut o = Obj::with_capacity(48)
            .set("kind", e.kind.name())
            .set("slug", e.slug.as_str())
            .set("path", e.path.as_str())
            .set("url", url.clone())
            .set("permalink", format!("{}{}/", self.base.absolute, e.path))
            .set("title", e.title.as_str())
            .set("summary", Value::safe_string(summary_html))
            .set("summary_text", summary_text.trim())
            .set("content", Value::safe_string(html))
            .set("toc", toc)
            .set("tags", tags)
            .set("image", image.unwrap_or_default())
            .set(
                "image_alt",
                e.image_alt.clone().unwrap_or_else(|| e.title.clone()),
            )
            .set("date", date_value(e.date()))
            .set("words", r.words)
            .set("reading_minutes", r.words.div_ceil(220).max(1))
            .set("source", e.display.to_string_lossy().replace('\\', "/"));
        match &e.data {
            Data::Improvement(imp) => {
                let metric = imp.metric.as_ref().map_or_else(Value::none, |m| {
                    Obj::new()
                        .set("name", m.name.as_str())
                        .set("before", num(m.before))
                        .set("after", num(m.after))
                        .set("unit", m.unit.as_str())
                        .set("better", m.better)
                        .set("change", num(round_to(m.change(), 4)))
                        .set(
                            "change_percent",
                            m.change_percent().map_or_else(Value::none, num),
                        )
                        .set("improved", m.improved())
                        .build()
                });
                let quote = imp.quote.as_ref().map_or_else(Value::none, |q| {
                    Obj::new()
                        .set("text", q.text.as_str())
                        .set("by", q.by.as_str())
                        .build()
                });
                let milestone = imp
                    .milestone
                    .as_ref()
                    .and_then(|m| self.find(Kind::Milestone, m.get_ref()))
                    .map_or_else(Value::none, |j| self.entry_ref(j));
                let recognitions: Vec<Value> = links
                    .recognitions
                    .get(e.slug.as_str())
                    .into_iter()
                    .flatten()
                    .map(|j| self.entry_ref(*j))
                    .collect();
                o = o
                    .set(
                        "teams",
                        imp.teams
                            .iter()
                            .map(|t| self.team_ref(t.get_ref()))
                            .collect::<Vec<_>>(),
                    )
                    .set("owner", opt_str(imp.owner.as_deref()))
                    .set("customers", opt_str(imp.customers.as_deref()))
                    .set("metric", metric)
                    .set("quote", quote)
                    .set("milestone", milestone)
                    .set("recognitions", recognitions)
                    .set("lobby", imp.lobby)
                    .set("lobby_from", date_value(imp.lobby_from))
                    .set("lobby_until", date_value(imp.lobby_until))
                    .set("letter", imp.letter);
            }
            Data::Milestone(m) => {
                let overdue = self.milestone_overdue(m);
                let days_overdue = if overdue {
                    (self.today - m.target).get_days()
                } else {
                    0
                };
                let total = m.tasks.len();
                let done = m.tasks.iter().filter(|t| t.done).count();
                let percent = (done * 100 + total / 2)
                    .checked_div(total)
                    .map_or_else(Value::none, Value::from);
                let tasks: Vec<Value> = m
                    .tasks
                    .iter()
                    .map(|t| {
                        Obj::new()
                            .set("team", self.team_ref(t.team.get_ref()))
                            .set("task", t.task.as_str())
                            .set("due", date_value(t.due))
                            .set("done", t.done)
                            .set("done_on", date_value(t.done_on))
                            .set("late", t.done_late())
                            .set("overdue", self.task_overdue(m, t))
                            .set("days_overdue", self.task_days_overdue(m, t))
                            .build()
                    })
                    .collect();
                let overdue_tasks = m.tasks.iter().filter(|t| self.task_overdue(m, t)).count();
                let tl = self.timeline;
                let mut involves: Vec<String> = Vec::new();
                for t in entry_teams(e) {
                    let slug = slugify(t);
                    if !involves.contains(&slug) {
                        involves.push(slug);
                    }
                }
                let metric = m.metric.as_ref().map_or_else(Value::none, |mm| {
                    let pct = mm.percent().map_or_else(Value::none, num);
                    Obj::new()
                        .set("name", mm.name.as_str())
                        .set("baseline", mm.baseline.map_or_else(Value::none, num))
                        .set("target", mm.target.map_or_else(Value::none, num))
                        .set("current", mm.current.map_or_else(Value::none, num))
                        .set("unit", mm.unit.as_str())
                        .set("percent", pct)
                        .build()
                });
                let improvements: Vec<Value> = links
                    .improvements
                    .get(e.slug.as_str())
                    .into_iter()
                    .flatten()
                    .map(|j| self.entry_ref(*j))
                    .collect();
                o = o
                    .set("phase", m.phase.as_str())
                    .set("phase_slug", slugify(&m.phase))
                    .set("target", m.target.to_string())
                    .set("status", m.status.key())
                    .set("status_label", m.status.label())
                    .set("done_on", date_value(m.done_on))
                    .set("owner", self.team_ref(m.owner.get_ref()))
                    .set(
                        "teams",
                        m.teams
                            .iter()
                            .map(|t| self.team_ref(t.get_ref()))
                            .collect::<Vec<_>>(),
                    )
                    .set("tasks", tasks)
                    .set("metric", metric)
                    .set("overdue", overdue)
                    .set("days_overdue", days_overdue)
                    .set(
                        "progress",
                        Obj::new()
                            .set("done", done)
                            .set("total", total)
                            .set("percent", percent)
                            .build(),
                    )
                    .set("overdue_tasks", overdue_tasks)
                    .set("improvements", improvements)
                    .set("involves", involves)
                    .set(
                        "at",
                        tl.map_or_else(Value::none, |t| Value::from(t.at(m.target))),
                    )
                    .set(
                        "done_at",
                        match (tl, m.done_on) {
                            (Some(t), Some(d)) => Value::from(t.at(d)),
                            _ => Value::none(),
                        },
                    )
                    .set(
                        "late_width",
                        match tl {
                            Some(t) if overdue => {
                                Value::from(round_to(t.at(self.today) - t.at(m.target), 2))
                            }
                            _ => Value::from(0),
                        },
                    );
            }
            Data::Recognition(rec) => {
                let work = rec
                    .work
                    .as_ref()
                    .and_then(|w| self.find(Kind::Improvement, w.get_ref()))
                    .map_or_else(Value::none, |j| self.entry_ref(j));
                o = o
                    .set("people", rec.people.clone())
                    .set(
                        "team",
                        rec.team
                            .as_ref()
                            .map_or_else(Value::none, |t| self.team_ref(t.get_ref())),
                    )
                    .set("award", opt_str(rec.award.as_deref()))
                    .set("work", work)
                    .set("lobby", rec.lobby)
                    .set("lobby_from", date_value(rec.lobby_from))
                    .set("lobby_until", date_value(rec.lobby_until));
            }
            Data::Announcement(a) => {
                let tz = self.config.tz();
                let ms = |m: &crate::frontmatter::Moment, end: bool| {
                    m.timestamp(&tz, end).map_or(0, |t| t.as_millisecond())
                };
                let (from_ms, until_ms) = (ms(&a.from, false), ms(&a.until, true));
                let now = self.today.to_datetime(jiff::civil::Time::midnight());
                let today_ms = tz
                    .to_ambiguous_zoned(now)
                    .compatible()
                    .map_or(0, |z| z.timestamp().as_millisecond());
                o = o
                    .set("from", moment_string(&a.from))
                    .set("until", moment_string(&a.until))
                    .set("from_ms", from_ms)
                    .set("until_ms", until_ms)
                    .set(
                        "live_today",
                        from_ms < today_ms + 86_400_000 && until_ms > today_ms,
                    )
                    .set(
                        "key",
                        crate::render::short_hash(format!("{}\n{html}", e.title).as_bytes()),
                    )
                    .set("level", a.level)
                    .set("screens", a.screens.clone());
            }
            Data::Page => {}
        }
        o.build()
    }

    fn team_value(&self, ti: usize) -> Value {
        let team = &self.teams[ti];
        let name = team.name.as_str();
        let improvements: Vec<Value> = self
            .improvements
            .iter()
            .filter(|i| match &self.entries[**i].data {
                Data::Improvement(imp) => imp.teams.iter().any(|t| t.get_ref() == name),
                _ => false,
            })
            .map(|i| self.values[*i].clone())
            .collect();
        let mut owns = Vec::new();
        let mut contributes = Vec::new();
        let mut open: Vec<(Option<Date>, String, Value)> = Vec::new();
        let mut done_tasks = 0usize;
        let mut overdue_tasks = 0usize;
        for i in &self.milestones {
            let e = &self.entries[*i];
            let Data::Milestone(m) = &e.data else {
                continue;
            };
            if m.owner.get_ref() == name {
                owns.push(self.values[*i].clone());
            }
            if m.teams.iter().any(|t| t.get_ref() == name) {
                contributes.push(self.values[*i].clone());
            }
            for t in m.tasks.iter().filter(|t| t.team.get_ref() == name) {
                if t.done {
                    done_tasks += 1;
                } else if m.status != Status::Dropped {
                    let overdue = self.task_overdue(m, t);
                    overdue_tasks += usize::from(overdue);
                    open.push((
                        t.due,
                        e.path.clone(),
                        Obj::new()
                            .set("task", t.task.as_str())
                            .set("due", date_value(t.due))
                            .set("overdue", overdue)
                            .set("days_overdue", self.task_days_overdue(m, t))
                            .set("milestone", self.entry_ref(*i))
                            .build(),
                    ));
                }
            }
        }
        open.sort_by(|a, b| match (a.0, b.0) {
            (Some(x), Some(y)) => x.cmp(&y).then_with(|| a.1.cmp(&b.1)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a.1.cmp(&b.1),
        });
        let recognitions: Vec<Value> = self
            .recognitions
            .iter()
            .filter(|i| match &self.entries[**i].data {
                Data::Recognition(r) => r.team.as_ref().is_some_and(|t| t.get_ref() == name),
                _ => false,
            })
            .map(|i| self.values[*i].clone())
            .collect();
        let overdue_milestones = self
            .milestones
            .iter()
            .filter(|i| match &self.entries[**i].data {
                Data::Milestone(m) => m.owner.get_ref() == name && self.milestone_overdue(m),
                _ => false,
            })
            .count();
        Obj::new()
            .set("name", name)
            .set("slug", team.slug.as_str())
            .set("url", self.url(&format!("teams/{}/", team.slug)))
            .set("improvements", improvements)
            .set("owns", owns)
            .set("contributes", contributes)
            .set(
                "open_tasks",
                open.into_iter().map(|x| x.2).collect::<Vec<_>>(),
            )
            .set("done_tasks", done_tasks)
            .set("overdue_tasks", overdue_tasks)
            .set("overdue_milestones", overdue_milestones)
            .set("recognitions", recognitions)
            .set("scorecard", crate::roadmap::scorecard(self, name).value())
            .build()
    }

    fn tag_value(&self, ti: usize) -> Value {
        let t = &self.tags[ti];
        Obj::new()
            .set("name", t.name.as_str())
            .set("slug", t.slug.as_str())
            .set("url", self.url(&format!("tags/{}/", t.slug)))
            .set(
                "entries",
                t.entries
                    .iter()
                    .map(|i| self.values[*i].clone())
                    .collect::<Vec<_>>(),
            )
            .build()
    }

    fn make_config_value(&self) -> Value {
        let c = &self.config;
        let lobby = Obj::new()
            .set("slide_seconds", c.lobby.slide_seconds)
            .set("max_age_days", c.lobby.max_age_days)
            .set("check_seconds", c.lobby.check_seconds)
            .set("reload_hours", c.lobby.reload_hours)
            .set(
                "screens",
                c.screens()
                    .iter()
                    .map(|s| {
                        Obj::new()
                            .set("name", s.name.as_str())
                            .set("kinds", s.kinds.clone())
                            .set("teams", s.teams.clone())
                            .build()
                    })
                    .collect::<Vec<_>>(),
            )
            .build();
        Obj::new()
            .set("title", c.title.as_str())
            .set("base_url", self.base.absolute.as_str())
            .set("base_path", self.base.path.as_str())
            .set("description", c.description.as_str())
            .set("language", c.language.as_str())
            .set("timezone", c.timezone.get_ref().as_str())
            .set(
                "teams",
                self.teams
                    .iter()
                    .map(|t| t.name.clone())
                    .collect::<Vec<_>>(),
            )
            .set("paginate", *c.paginate.get_ref())
            .set(
                "letter",
                Obj::new()
                    .set("signer", c.letter.signer.as_str())
                    .set("role", c.letter.role.as_str())
                    .build(),
            )
            .set("lobby", lobby)
            .build()
    }

    fn make_site_value(&self) -> Value {
        let list =
            |idx: &[usize]| -> Vec<Value> { idx.iter().map(|i| self.values[*i].clone()).collect() };
        let mut phases: Vec<(String, Vec<usize>)> = Vec::new();
        for i in &self.milestones {
            if let Data::Milestone(m) = &self.entries[*i].data {
                match phases.iter_mut().find(|(p, _)| *p == m.phase) {
                    Some((_, v)) => v.push(*i),
                    None => phases.push((m.phase.clone(), vec![*i])),
                }
            }
        }
        let phases: Vec<Value> = phases
            .iter()
            .map(|(name, ms)| {
                let done = ms.iter().filter(|i| matches!(&self.entries[**i].data, Data::Milestone(m) if m.status == Status::Done)).count();
                let overdue = ms.iter().filter(|i| matches!(&self.entries[**i].data, Data::Milestone(m) if self.milestone_overdue(m))).count();
                Obj::new()
                    .set("name", name.as_str())
                    .set("slug", slugify(name))
                    .set("start", date_value(ms.first().and_then(|i| self.entries[*i].date())))
                    .set("end", date_value(ms.last().and_then(|i| self.entries[*i].date())))
                    .set("milestones", list(ms))
                    .set("done", done)
                    .set("overdue", overdue)
                    .set("total", ms.len())
                    .build()
            })
            .collect();
        let mut by_path = tera::Map::new();
        for (i, e) in self.entries.iter().enumerate() {
            by_path.insert(Key::from(e.path.clone()), self.values[i].clone());
        }
        let ms = |f: &dyn Fn(&crate::content::Milestone) -> bool| {
            self.milestones
                .iter()
                .filter(|i| matches!(&self.entries[**i].data, Data::Milestone(m) if f(m)))
                .count()
        };
        let (mut open_tasks, mut overdue_tasks) = (0, 0);
        for i in &self.milestones {
            if let Data::Milestone(m) = &self.entries[*i].data {
                for t in &m.tasks {
                    if !t.done && m.status != Status::Dropped {
                        open_tasks += 1;
                        overdue_tasks += usize::from(self.task_overdue(m, t));
                    }
                }
            }
        }
        let counts = Obj::new()
            .set("improvements", self.improvements.len())
            .set("milestones", self.milestones.len())
            .set("recognitions", self.recognitions.len())
            .set("milestones_done", ms(&|m| m.status == Status::Done))
            .set("milestones_overdue", ms(&|m| self.milestone_overdue(m)))
            .set("open_tasks", open_tasks)
            .set("overdue_tasks", overdue_tasks)
            .build();
        Obj::new()
            .set("improvements", list(&self.improvements))
            .set("milestones", list(&self.milestones))
            .set("recognitions", list(&self.recognitions))
            .set("pages", list(&self.pages))
            .set("announcements", list(&self.announcements))
            .set("phases", phases)
            .set("teams", self.team_values.clone())
            .set(
                "team_links",
                self.teams
                    .iter()
                    .map(|t| {
                        Obj::new()
                            .set("name", t.name.as_str())
                            .set("slug", t.slug.as_str())
                            .set("url", self.url(&format!("teams/{}/", t.slug)))
                            .set(
                                "scorecard",
                                crate::roadmap::scorecard(self, &t.name).value(),
                            )
                            .build()
                    })
                    .collect::<Vec<_>>(),
            )
            .set("tag_count", self.tags.len())
            .set("tags", self.tag_values.clone())
            .set("by_path", Value::from(by_path))
            .set("counts", counts)
            .set(
                "timeline",
                self.timeline
                    .map_or_else(Value::none, |t| t.value(self.today)),
            )
            .set("review", crate::roadmap::review_value(self))
            .set(
                "digests",
                crate::digest::index_value(self.digests.iter().map(|d| &d.value)),
            )
            .set(
                "letters",
                crate::digest::index_value(self.letters.iter().map(|l| &l.value)),
            )
            .set("metrics", crate::charts::metrics_value(&self.data))
            .set("lost", crate::charts::lost_value(&self.data.lost))
            .set(
                "statuses",
                STATUSES
                    .iter()
                    .map(|(k, s)| Obj::new().set("key", *k).set("label", s.label()).build())
                    .collect::<Vec<_>>(),
            )
            .build()
    }
}

/// An entry's body as HTML, and its summary: the `summary` key, else the first paragraph
/// (rendered once, used by lists and screens).
fn render_markdown(
    e: &Entry,
    resolver: &dyn Resolve,
    unsafe_html: bool,
) -> (Rendered, (String, String)) {
    let r = markdown::render(e.body(), resolver, unsafe_html);
    let summary = match &e.summary {
        Some(s) => markdown::render_inline(s, resolver, unsafe_html),
        None => (r.first_paragraph.clone(), r.first_paragraph_text.clone()),
    };
    (r, summary)
}

/// Resolves `@/` links against a built site's entries (for re-rendering one entry).
struct SiteResolver<'a> {
    site: &'a Site,
}

impl Resolve for SiteResolver<'_> {
    fn url_of(&self, path: &str) -> Option<String> {
        let i = *self.site.index.get(path)?;
        (self.site.entries[i].kind != Kind::Announcement)
            .then(|| self.site.url(&format!("{path}/")))
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
}

/// An entry re-read after an edit, with its Markdown rendered against the current site.
pub(crate) struct Reread {
    /// Its index in [`Site::entries`].
    pub index: usize,
    /// The new version.
    pub entry: Entry,
    /// Its rendered body.
    pub rendered: Rendered,
    /// Its summary as HTML and text.
    pub summary: (String, String),
}

/// Where a changed entry was found inside a value: its index, and the map keys on the way to
/// it (a template must name each of them to reach it). The keys of `site.by_path` are paths,
/// not names, and are left out.
pub(crate) type Hit = (usize, Vec<String>);

/// What [`Site::patch`] changed, for finding the pages to render again.
#[derive(Debug, Default)]
pub(crate) struct Patched {
    /// Entries whose value changed, with the names of the fields that differ.
    pub fields: HashMap<usize, Vec<String>>,
    /// By team index: the changed entries its value holds.
    pub teams: HashMap<usize, Vec<Hit>>,
    /// By tag index: the changed entries its value holds.
    pub tags: HashMap<usize, Vec<Hit>>,
    /// By digest index: the changed entries its value holds.
    pub digests: HashMap<usize, Vec<Hit>>,
    /// By letter index: the changed entries its value holds.
    pub letters: HashMap<usize, Vec<Hit>>,
    /// By key of `site`: the changed entries its value holds.
    pub site_keys: HashMap<String, Vec<Hit>>,
}

impl Site {
    /// Renders an entry's Markdown and summary against this site's entries, as a full build
    /// would.
    pub(crate) fn render_entry(&self, e: &Entry) -> (Rendered, (String, String)) {
        let resolver = SiteResolver { site: self };
        render_markdown(e, &resolver, self.config.markdown.unsafe_html)
    }

    /// Puts new versions of entries in place whose structure is unchanged (the same file, kind,
    /// date, teams, tags, links and lobby settings; only the body, title or summary differ),
    /// rebuilds their values and those of the entries that cite them, and substitutes the new
    /// values into every list, team, tag, digest, letter and `site` value that holds the old
    /// ones. Lists keep their order, so nothing else is rebuilt.
    pub(crate) fn patch(&mut self, root: &Path, reread: Vec<Reread>) -> Patched {
        let mut t = crate::timings::Timer::new();
        let mut affected: Vec<usize> = Vec::new();
        let mut new_bodies: HashMap<usize, String> = HashMap::new();
        for mut r in reread {
            let i = r.index;
            new_bodies.insert(i, std::mem::take(&mut r.rendered.html));
            self.entries[i] = r.entry;
            self.rendered[i] = r.rendered;
            self.summaries[i] = r.summary;
            affected.push(i);
        }
        let links = Links::of(self);
        let changed = affected.clone();
        for &i in &changed {
            let e = &self.entries[i];
            match &e.data {
                Data::Improvement(imp) => {
                    if let Some(j) = imp
                        .milestone
                        .as_ref()
                        .and_then(|m| self.find(Kind::Milestone, m.get_ref()))
                    {
                        affected.push(j);
                    }
                    affected.extend(
                        links
                            .recognitions
                            .get(e.slug.as_str())
                            .into_iter()
                            .flatten(),
                    );
                }
                Data::Recognition(rec) => {
                    if let Some(j) = rec
                        .work
                        .as_ref()
                        .and_then(|w| self.find(Kind::Improvement, w.get_ref()))
                    {
                        affected.push(j);
                    }
                }
                Data::Milestone(_) => {
                    affected.extend(
                        links
                            .improvements
                            .get(e.slug.as_str())
                            .into_iter()
                            .flatten(),
                    );
                }
                Data::Announcement(_) | Data::Page => {}
            }
        }
        affected.sort_unstable();
        affected.dedup();

        // The edited entries' bodies are new; the others' are in their values.
        let bodies: Vec<String> = affected
            .iter()
            .map(|&i| {
                new_bodies
                    .remove(&i)
                    .unwrap_or_else(|| self.html(i).to_string())
            })
            .collect();
        let fresh: Vec<(usize, Value)> = affected
            .iter()
            .zip(&bodies)
            .map(|(&i, html)| (i, self.entry_value(root, &links, i, html)))
            .collect();
        drop(bodies);
        drop(links);
        let mut patched = Patched::default();
        let mut subs: HashMap<usize, (usize, Value)> = HashMap::new();
        for (i, new) in fresh {
            let old = std::mem::replace(&mut self.values[i], new.clone());
            let fields = changed_fields(&old, &new);
            if fields.is_empty() {
                // The same value: keep the old one, which the lists already hold.
                self.values[i] = old;
                continue;
            }
            if let Some(m) = old.as_map() {
                subs.insert(std::ptr::from_ref(m) as usize, (i, new));
            }
            patched.fields.insert(i, fields);
        }
        if subs.is_empty() {
            return patched;
        }
        t.mark("  patch: entry values");
        let keep: std::collections::HashSet<usize> = self
            .values
            .iter()
            .filter_map(|v| v.as_map().map(|m| std::ptr::from_ref(m) as usize))
            .collect();
        let walk = Substitute {
            subs: &subs,
            keep: &keep,
            memo: std::cell::RefCell::default(),
        };
        // Replaced containers stay alive until the walk ends: it remembers them by address.
        let graveyard = std::cell::RefCell::new(Vec::new());
        let each = |values: &mut [Value], out: &mut HashMap<usize, Vec<Hit>>| {
            for (n, v) in values.iter_mut().enumerate() {
                let mut found = Vec::new();
                if let Some(new) = walk.value(v, &mut found) {
                    graveyard.borrow_mut().push(std::mem::replace(v, new));
                    found.sort_unstable();
                    found.dedup();
                    out.insert(n, found);
                }
            }
        };
        t.mark("  patch: identities");
        each(&mut self.team_values, &mut patched.teams);
        each(&mut self.tag_values, &mut patched.tags);
        let mut digests: Vec<Value> = self.digests.iter().map(|d| d.value.clone()).collect();
        each(&mut digests, &mut patched.digests);
        for (d, v) in self.digests.iter_mut().zip(digests) {
            d.value = v;
        }
        let mut letters: Vec<Value> = self.letters.iter().map(|l| l.value.clone()).collect();
        each(&mut letters, &mut patched.letters);
        for (l, v) in self.letters.iter_mut().zip(letters) {
            l.value = v;
        }
        t.mark("  patch: teams, tags, digests, letters");
        if let Some(m) = self.site_value.as_map() {
            let mut out: Option<tera::Map> = None;
            for (n, (k, v)) in m.iter().enumerate() {
                let mut found = Vec::new();
                if let Some(new) = walk.value(v, &mut found) {
                    if k.as_str() == Some("by_path") {
                        for hit in &mut found {
                            hit.1.clear();
                        }
                    }
                    found.sort_unstable();
                    found.dedup();
                    if let Some(k) = k.as_str() {
                        patched.site_keys.insert(k.to_string(), found);
                    }
                    let o = out.get_or_insert_with(|| m.clone());
                    if let Some((_, slot)) = o.get_index_mut(n) {
                        *slot = new;
                    }
                }
            }
            if let Some(o) = out {
                self.site_value = Value::from(o);
            }
        }
        drop(walk);
        drop(graveyard);
        t.mark("  patch: site");
        patched
    }
}

/// A container walked by [`Substitute`]: its replacement, if anything in it changed, and where.
type Walked = (Option<Value>, Vec<Hit>);

/// Replaces old entry values (by identity) with new ones inside nested lists and maps,
/// copying only the containers on the way.
struct Substitute<'a> {
    /// Old value's address → (entry index, new value).
    subs: &'a HashMap<usize, (usize, Value)>,
    /// Addresses of the current entry values, which are not looked into.
    keep: &'a std::collections::HashSet<usize>,
    /// Containers already walked (they are shared: `site.teams` holds the team values), with
    /// their replacement and the entries found in them.
    memo: std::cell::RefCell<HashMap<usize, Walked>>,
}

impl Substitute<'_> {
    fn value(&self, v: &Value, found: &mut Vec<Hit>) -> Option<Value> {
        let id = if let Some(m) = v.as_map() {
            let id = std::ptr::from_ref(m) as usize;
            if let Some((i, new)) = self.subs.get(&id) {
                found.push((*i, Vec::new()));
                return Some(new.clone());
            }
            if self.keep.contains(&id) {
                return None;
            }
            id
        } else if let Some(a) = v.as_array() {
            if a.is_empty() {
                return None;
            }
            a.as_ptr() as usize | 1
        } else {
            return None;
        };
        if let Some((new, inside)) = self.memo.borrow().get(&id) {
            found.extend(inside.iter().cloned());
            return new.clone();
        }
        let mut inside = Vec::new();
        let new = self.walk(v, &mut inside);
        found.extend(inside.iter().cloned());
        self.memo.borrow_mut().insert(id, (new.clone(), inside));
        new
    }

    fn walk(&self, v: &Value, found: &mut Vec<Hit>) -> Option<Value> {
        if let Some(m) = v.as_map() {
            let mut out: Option<tera::Map> = None;
            for (n, (k, x)) in m.iter().enumerate() {
                let before = found.len();
                if let Some(new) = self.value(x, found) {
                    let key = k
                        .as_str()
                        .map_or_else(|| k.as_value().to_string(), str::to_string);
                    for hit in &mut found[before..] {
                        hit.1.insert(0, key.clone());
                    }
                    let o = out.get_or_insert_with(|| m.clone());
                    if let Some((_, slot)) = o.get_index_mut(n) {
                        *slot = new;
                    }
                }
            }
            return out.map(Value::from);
        }
        if let Some(a) = v.as_array() {
            let mut out: Option<Vec<Value>> = None;
            for (n, x) in a.iter().enumerate() {
                if let Some(new) = self.value(x, found) {
                    out.get_or_insert_with(|| a.to_vec())[n] = new;
                }
            }
            return out.map(Value::from);
        }
        None
    }
}

/// The top-level keys whose values differ between two entry values.
fn changed_fields(old: &Value, new: &Value) -> Vec<String> {
    let (Some(a), Some(b)) = (old.as_map(), new.as_map()) else {
        return vec![String::new()];
    };
    let mut out = Vec::new();
    for (k, v) in b {
        let name = k
            .as_str()
            .map_or_else(|| k.as_value().to_string(), str::to_string);
        if a.get(k).is_none_or(|o| !same_value(o, v)) {
            out.push(name);
        }
    }
    for k in a.keys() {
        if !b.contains_key(k) {
            out.push(
                k.as_str()
                    .map_or_else(|| k.as_value().to_string(), str::to_string),
            );
        }
    }
    out
}

/// Whether two values render the same: equal structure and text, and strings equally safe.
/// Shared lists and maps are recognised by identity without looking inside.
pub(crate) fn same_value(a: &Value, b: &Value) -> bool {
    match (a.as_map(), b.as_map()) {
        (Some(x), Some(y)) => {
            return std::ptr::eq(x, y)
                || x.len() == y.len()
                    && x.iter()
                        .zip(y.iter())
                        .all(|((ka, va), (kb, vb))| ka == kb && same_value(va, vb));
        }
        (None, None) => {}
        _ => return false,
    }
    match (a.as_array(), b.as_array()) {
        (Some(x), Some(y)) => {
            return std::ptr::eq(x, y)
                || x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_value(p, q));
        }
        (None, None) => {}
        _ => return false,
    }
    match (a.as_str(), b.as_str()) {
        (Some(x), Some(y)) => x == y && a.is_safe() == b.is_safe(),
        (None, None) => a.name() == b.name() && a == b,
        _ => false,
    }
}

fn entry_teams(e: &Entry) -> Vec<&str> {
    match &e.data {
        Data::Improvement(i) => i.teams.iter().map(|t| t.get_ref().as_str()).collect(),
        Data::Milestone(m) => std::iter::once(&m.owner)
            .chain(&m.teams)
            .chain(m.tasks.iter().map(|t| &t.team))
            .map(|t| t.get_ref().as_str())
            .collect(),
        Data::Recognition(r) => r.team.iter().map(|t| t.get_ref().as_str()).collect(),
        _ => Vec::new(),
    }
}

/// A URL slug for a team or tag name.
pub fn slugify(s: &str) -> String {
    slug::slugify(s)
}

/// A number as a template value: whole numbers as integers, so they print without `.0`.
pub(crate) fn num(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        Value::from(x as i64)
    } else {
        Value::from(x)
    }
}

/// `x` rounded to `places` decimals.
pub(crate) fn round_to(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
}

fn moment_string(m: &crate::frontmatter::Moment) -> String {
    let mut s = m.date.to_string();
    if let Some(t) = m.time {
        s.push('T');
        s.push_str(&t.strftime("%H:%M:%S").to_string());
        if let Some(o) = m.offset {
            s.push_str(&o.to_string());
        }
    }
    s
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Today's date in `tz`, from `--today`, `SOURCE_DATE_EPOCH` or the clock, in that order.
pub fn today(explicit: Option<Date>, tz: &jiff::tz::TimeZone) -> Result<Date, Diagnostic> {
    if let Some(d) = explicit {
        return Ok(d);
    }
    if let Ok(v) = std::env::var("SOURCE_DATE_EPOCH") {
        let secs: i64 = v.trim().parse().map_err(|_| {
            Diagnostic::usage(
                "SOURCE_DATE_EPOCH",
                format!("SOURCE_DATE_EPOCH={v:?} is not a number of seconds"),
            )
            .with_hint("set it to a Unix time, e.g. SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)")
        })?;
        let ts = jiff::Timestamp::from_second(secs).map_err(|e| {
            Diagnostic::usage(
                "SOURCE_DATE_EPOCH",
                format!("SOURCE_DATE_EPOCH is out of range: {e}"),
            )
        })?;
        return Ok(ts.to_zoned(tz.clone()).date());
    }
    Ok(jiff::Timestamp::now().to_zoned(tz.clone()).date())
}
