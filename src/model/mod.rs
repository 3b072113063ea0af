//! The site model: the validated content and every fact derived from it, built once per build
//! and complete when [`Site::build`] returns. It holds
//!
//! * the entries with their rendered Markdown and summaries ([`bodies`], with [`markdown`]);
//! * the files they publish beside their pages ([`files`]);
//! * each kind's list in the site's order, the teams and the tags ([`order`]);
//! * who points at whom ([`Links`]), what is overdue, the roadmap's timeline and each team's
//!   scorecard ([`roadmap`]), and the months and quarters with a digest or letter ([`periods`]);
//! * the metrics from `data/`.
//!
//! It knows nothing of templates: the template values are built from it by [`crate::view`].

pub mod bodies;
pub mod files;
pub mod markdown;
pub mod order;
pub mod periods;
pub mod roadmap;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use rayon::prelude::*;
use tera::Value;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::config::Config;
use crate::load::content::{Content, Entry, Kind, KindFields, Milestone, Task, ref_slug};
use crate::load::metrics::Metrics;
use crate::routes::Routes;
use crate::util::slug::slugify;
pub use bodies::{MarkdownCache, Summary};
use markdown::Rendered;
use periods::{Month, Quarter};
use roadmap::{Scorecard, Timeline};

/// A team, with how its roadmap tasks stand.
#[derive(Debug, Clone)]
pub struct Team {
    /// As written in site.toml or content.
    pub name: String,
    /// URL slug.
    pub slug: String,
    /// Its tasks on the roadmap: done on time, late, overdue, open.
    pub scorecard: Scorecard,
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

/// Who points at whom, found in one pass so that an entry's value need not scan the site.
#[derive(Debug, Clone, Default)]
pub struct Links {
    /// Recognitions by the slug of the improvement they thank for, newest first.
    pub recognitions: HashMap<String, Vec<usize>>,
    /// Improvements by the slug of the milestone they deliver, oldest first.
    pub improvements: HashMap<String, Vec<usize>>,
}

impl Links {
    fn of(entries: &[Entry], lists: &order::Lists) -> Self {
        let mut links = Links::default();
        for &j in &lists.recognitions {
            if let KindFields::Recognition(r) = &entries[j].fields
                && let Some(w) = &r.work
            {
                let slug = ref_slug(w.get_ref(), "improvements").to_string();
                links.recognitions.entry(slug).or_default().push(j);
            }
        }
        for &j in lists.improvements.iter().rev() {
            if let KindFields::Improvement(imp) = &entries[j].fields
                && let Some(m) = &imp.milestone
            {
                let slug = ref_slug(m.get_ref(), "roadmap").to_string();
                links.improvements.entry(slug).or_default().push(j);
            }
        }
        links
    }
}

/// The whole site as facts, ready for the view.
pub struct Site {
    /// The site language's words and formats, English beneath.
    pub i18n: std::sync::Arc<crate::i18n::Catalog>,
    /// site.toml.
    pub config: Config,
    /// Every output path and URL.
    pub routes: Routes,
    /// What "today" is.
    pub today: Date,
    /// Every entry that is built.
    pub entries: Vec<Entry>,
    /// The kind and path of each content file that exists but could not be read (its
    /// problems are reported): the studio lists them to be fixed.
    pub unreadable: Vec<(crate::load::content::Kind, String)>,
    /// Each entry's rendered Markdown but for its HTML, which is in [`Site::bodies`].
    pub rendered: Vec<Rendered>,
    /// Each entry's summary as HTML and as plain text.
    pub summaries: Vec<Summary>,
    /// Each entry's body HTML ([`Site::html`]), held as a template string so that the view,
    /// the feeds and the search index share it rather than copy it (65 MB at 10,000 entries).
    pub bodies: Vec<Value>,
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
    /// Tags by name.
    pub tags: Vec<Tag>,
    /// Who points at whom.
    pub links: Links,
    /// Files published as they are (bundles, images).
    pub copies: Vec<Copy>,
    /// Entry path to index.
    pub index: HashMap<String, usize>,
    /// Metrics and lost customers from `data/`.
    pub metrics: Metrics,
    /// The years the roadmap timeline spans.
    pub timeline: Option<Timeline>,
    /// The months with a digest, newest first.
    pub months: Vec<Month>,
    /// The quarters with a letter to customers, newest first.
    pub quarters: Vec<Quarter>,
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
    pub summary: Summary,
}

impl Site {
    /// Builds the model from validated content, reusing Markdown rendered earlier (`cache`,
    /// updated in place; `None` for a build that keeps nothing). Rendering problems (broken
    /// `@/` links, missing files) are added to `diags`.
    #[allow(clippy::too_many_arguments)] // each is one stage's output; a struct would only rename them
    pub fn build(
        root: &Path,
        config: Config,
        routes: Routes,
        today: Date,
        content: Content,
        metrics: Metrics,
        i18n: std::sync::Arc<crate::i18n::Catalog>,
        cache: Option<&mut MarkdownCache>,
        diags: &mut Diagnostics,
    ) -> Site {
        let mut t = crate::util::timings::Timer::new();
        let entries = content.entries;
        let unreadable = content.unreadable;
        let index: HashMap<String, usize> = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.path.clone(), i))
            .collect();
        let (mut rendered, summaries) = bodies::render_all(
            &entries,
            &unreadable,
            &routes,
            config.markdown.unsafe_html,
            &i18n,
            cache,
        );
        t.mark("  markdown");
        let copies = files::copies_and_problems(root, &routes, &entries, &rendered, diags);
        t.mark("  problems and copies");
        let lists = order::order(&entries);
        let timeline = Timeline::of(entries.iter().filter_map(|e| match &e.fields {
            KindFields::Milestone(m) => Some(m),
            _ => None,
        }));
        let teams = order::team_names(&config, &entries)
            .into_iter()
            .map(|name| Team {
                slug: slugify(&name),
                scorecard: roadmap::scorecard(&entries, &lists.milestones, today, &name),
                name,
            })
            .collect();
        let tags = order::tags(&entries, &lists);
        let links = Links::of(&entries, &lists);
        let months = periods::months(&entries, &lists, today);
        let quarters = periods::quarters(&entries, &lists, today);
        t.mark("  order, teams, tags");
        // Each body moves into a shareable string: a second copy of every page's HTML is 65 MB
        // at 10,000 entries, and fresh memory is slow to come by.
        let bodies: Vec<Value> = rendered
            .par_iter_mut()
            .map(|r| Value::safe_string(&std::mem::take(&mut r.html)))
            .collect();
        t.mark("  bodies");
        let order::Lists {
            improvements,
            milestones,
            recognitions,
            pages,
            announcements,
        } = lists;
        Site {
            i18n,
            config,
            routes,
            today,
            entries,
            unreadable,
            rendered,
            summaries,
            bodies,
            improvements,
            milestones,
            recognitions,
            pages,
            announcements,
            teams,
            tags,
            links,
            copies,
            index,
            metrics,
            timeline,
            months,
            quarters,
        }
    }

    /// The entry of `kind` that a reference names (`faster-refunds`, or with its section).
    pub(crate) fn find(&self, kind: Kind, slug: &str) -> Option<usize> {
        let section = kind.section();
        self.index
            .get(&format!("{section}/{}", ref_slug(slug, section)))
            .copied()
    }

    /// A team's name as this language's readers see it (`[languages.fr] teams`); its address
    /// keeps the original name's slug.
    pub fn team_label<'a>(&'a self, name: &'a str) -> &'a str {
        self.language_config()
            .and_then(|l| l.teams.get(name))
            .map_or(name, String::as_str)
    }

    /// A roadmap phase's name as this language's readers see it (`[languages.fr] phases`).
    pub fn phase_label<'a>(&'a self, name: &'a str) -> &'a str {
        self.language_config()
            .and_then(|l| l.phases.get(name))
            .map_or(name, String::as_str)
    }

    /// The `[languages.CODE]` table of the language being built, when it is a further one.
    fn language_config(&self) -> Option<&crate::load::config::LanguageConfig> {
        if self.routes.prefix().is_empty() {
            return None;
        }
        self.config.languages.get(&self.config.language)
    }

    /// Whether a milestone is overdue today.
    pub fn milestone_overdue(&self, m: &Milestone) -> bool {
        roadmap::milestone_overdue(self.today, m)
    }

    /// Whether a task is past due and not done.
    pub(crate) fn task_overdue(&self, m: &Milestone, t: &Task) -> bool {
        roadmap::task_overdue(self.today, m, t)
    }

    /// How many days past due an open task is.
    pub(crate) fn task_days_overdue(&self, m: &Milestone, t: &Task) -> i32 {
        roadmap::task_days_overdue(self.today, m, t)
    }

    /// The HTML of entry `i`'s body.
    pub fn html(&self, i: usize) -> &str {
        self.bodies
            .get(i)
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    /// Puts re-read entries in place of the old ones (whose structure they keep: see
    /// `serve`'s quick rebuilds) and returns their indices.
    pub(crate) fn replace(&mut self, reread: Vec<Reread>) -> Vec<usize> {
        let mut changed = Vec::with_capacity(reread.len());
        for mut r in reread {
            let i = r.index;
            self.bodies[i] = Value::safe_string(&std::mem::take(&mut r.rendered.html));
            self.entries[i] = r.entry;
            self.rendered[i] = r.rendered;
            self.summaries[i] = r.summary;
            changed.push(i);
        }
        changed
    }
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
