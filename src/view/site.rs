//! The shared values: `site` (every list, phases, teams, tags, counts, the timeline and review,
//! digests, letters, metrics), `config`, each team's and tag's value, and the improvements
//! list's `paginator`.

use jiff::civil::Date;
use tera::Value;
use tera::value::Key;

use super::Cx;
use super::refs::entry_ref;
use super::roadmap::{scorecard_value, timeline_value};
use crate::load::content::{KindFields, STATUSES, Status};
use crate::model::Site;
use crate::util::slug::slugify;
use crate::util::value::{Obj, date_value};

/// A team's value (`team`): what it delivered, owns, contributes to and owes, its
/// recognitions and its scorecard.
pub(crate) fn team_value(cx: &Cx<'_>, ti: usize) -> Value {
    let team = &cx.site.teams[ti];
    let name = team.name.as_str();
    let improvements: Vec<Value> = cx
        .site
        .improvements
        .iter()
        .filter(|i| match &cx.site.entries[**i].fields {
            KindFields::Improvement(imp) => imp.teams.iter().any(|t| t.get_ref() == name),
            _ => false,
        })
        .map(|i| cx.values[*i].clone())
        .collect();
    let mut owns = Vec::new();
    let mut contributes = Vec::new();
    let mut open: Vec<(Option<Date>, String, Value)> = Vec::new();
    let mut done_tasks = 0usize;
    let mut overdue_tasks = 0usize;
    for i in &cx.site.milestones {
        let e = &cx.site.entries[*i];
        let KindFields::Milestone(m) = &e.fields else {
            continue;
        };
        if m.owner.get_ref() == name {
            owns.push(cx.values[*i].clone());
        }
        if m.teams.iter().any(|t| t.get_ref() == name) {
            contributes.push(cx.values[*i].clone());
        }
        for t in m.tasks.iter().filter(|t| t.team.get_ref() == name) {
            if t.done {
                done_tasks += 1;
            } else if m.status != Status::Dropped {
                let overdue = cx.site.task_overdue(m, t);
                overdue_tasks += usize::from(overdue);
                open.push((
                    t.due,
                    e.path.clone(),
                    Obj::new()
                        .set("task", t.task.as_str())
                        .set("due", date_value(t.due))
                        .set("overdue", overdue)
                        .set("days_overdue", cx.site.task_days_overdue(m, t))
                        .set("milestone", entry_ref(cx.site, *i))
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
    let recognitions: Vec<Value> = cx
        .site
        .recognitions
        .iter()
        .filter(|i| match &cx.site.entries[**i].fields {
            KindFields::Recognition(r) => r.team.as_ref().is_some_and(|t| t.get_ref() == name),
            _ => false,
        })
        .map(|i| cx.values[*i].clone())
        .collect();
    let overdue_milestones = cx
        .site
        .milestones
        .iter()
        .filter(|i| match &cx.site.entries[**i].fields {
            KindFields::Milestone(m) => m.owner.get_ref() == name && cx.site.milestone_overdue(m),
            _ => false,
        })
        .count();
    Obj::new()
        .set("name", cx.site.team_label(name))
        .set("slug", team.slug.as_str())
        .set("url", cx.site.routes.url(&cx.site.routes.team(&team.slug)))
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
        .set("scorecard", scorecard_value(&team.scorecard))
        .build()
}

/// A tag's value (`tag`): its entries, newest first.
pub(crate) fn tag_value(cx: &Cx<'_>, ti: usize) -> Value {
    let t = &cx.site.tags[ti];
    Obj::new()
        .set("name", t.name.as_str())
        .set("slug", t.slug.as_str())
        .set("url", cx.site.routes.url(&cx.site.routes.tag(&t.slug)))
        .set(
            "entries",
            t.entries
                .iter()
                .map(|i| cx.values[*i].clone())
                .collect::<Vec<_>>(),
        )
        .build()
}

/// The `config` value: site.toml as the templates see it.
pub(crate) fn config_value(site: &Site) -> Value {
    let c = &site.config;
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
        .set("base_url", site.routes.absolute())
        .set("base_path", site.routes.base_path())
        .set("description", c.description.as_str())
        .set("language", c.language.as_str())
        .set("timezone", c.timezone.get_ref().as_str())
        .set(
            "teams",
            site.teams
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

/// The `site` value: every list, the phases, teams, tags, counts, the timeline and review,
/// the digests and letters, and the metrics.
pub(crate) fn site_value(
    cx: &Cx<'_>,
    teams: &[Value],
    tags: &[Value],
    digests: &[Value],
    letters: &[Value],
) -> Value {
    let list =
        |idx: &[usize]| -> Vec<Value> { idx.iter().map(|i| cx.values[*i].clone()).collect() };
    let phases = phases(cx);
    let mut by_path = tera::Map::new();
    for (i, e) in cx.site.entries.iter().enumerate() {
        by_path.insert(Key::from(e.path.clone()), cx.values[i].clone());
    }
    let ms = |f: &dyn Fn(&crate::load::content::Milestone) -> bool| {
        cx.site
            .milestones
            .iter()
            .filter(|i| matches!(&cx.site.entries[**i].fields, KindFields::Milestone(m) if f(m)))
            .count()
    };
    let (mut open_tasks, mut overdue_tasks) = (0, 0);
    for i in &cx.site.milestones {
        if let KindFields::Milestone(m) = &cx.site.entries[*i].fields {
            for t in &m.tasks {
                if !t.done && m.status != Status::Dropped {
                    open_tasks += 1;
                    overdue_tasks += usize::from(cx.site.task_overdue(m, t));
                }
            }
        }
    }
    let counts = Obj::new()
        .set("improvements", cx.site.improvements.len())
        .set("milestones", cx.site.milestones.len())
        .set("recognitions", cx.site.recognitions.len())
        .set("milestones_done", ms(&|m| m.status == Status::Done))
        .set("milestones_overdue", ms(&|m| cx.site.milestone_overdue(m)))
        .set("open_tasks", open_tasks)
        .set("overdue_tasks", overdue_tasks)
        .build();
    Obj::new()
        .set("improvements", list(&cx.site.improvements))
        .set("milestones", list(&cx.site.milestones))
        .set("recognitions", list(&cx.site.recognitions))
        .set("pages", list(&cx.site.pages))
        .set("announcements", list(&cx.site.announcements))
        .set("phases", phases)
        .set("teams", teams.to_vec())
        .set(
            "team_links",
            cx.site
                .teams
                .iter()
                .map(|t| {
                    Obj::new()
                        .set("name", cx.site.team_label(&t.name))
                        .set("slug", t.slug.as_str())
                        .set("url", cx.site.routes.url(&cx.site.routes.team(&t.slug)))
                        .set("scorecard", scorecard_value(&t.scorecard))
                        .build()
                })
                .collect::<Vec<_>>(),
        )
        .set("tag_count", cx.site.tags.len())
        .set("tags", tags.to_vec())
        .set("by_path", Value::from(by_path))
        .set("counts", counts)
        .set(
            "timeline",
            cx.site.timeline.map_or_else(Value::none, |t| {
                timeline_value(&t, cx.site.today, &cx.site.i18n)
            }),
        )
        .set("review", crate::view::roadmap::review_value(cx))
        .set("digests", crate::view::digest::index_value(digests.iter()))
        .set("letters", crate::view::digest::index_value(letters.iter()))
        .set(
            "metrics",
            crate::view::charts::metrics_value(&cx.site.i18n, &cx.site.metrics),
        )
        .set(
            "lost",
            crate::view::charts::lost_value(&cx.site.i18n, &cx.site.metrics.lost),
        )
        .set(
            "statuses",
            STATUSES
                .iter()
                .map(|(k, s)| {
                    Obj::new()
                        .set("key", *k)
                        .set("label", cx.site.i18n.text(s.message()))
                        .build()
                })
                .collect::<Vec<_>>(),
        )
        .build()
}

/// The roadmap's phases in order, each with its milestones and counts.
fn phases(cx: &Cx<'_>) -> Vec<Value> {
    let list =
        |idx: &[usize]| -> Vec<Value> { idx.iter().map(|i| cx.values[*i].clone()).collect() };
    let mut phases: Vec<(String, Vec<usize>)> = Vec::new();
    for i in &cx.site.milestones {
        if let KindFields::Milestone(m) = &cx.site.entries[*i].fields {
            match phases.iter_mut().find(|(p, _)| *p == m.phase) {
                Some((_, v)) => v.push(*i),
                None => phases.push((m.phase.clone(), vec![*i])),
            }
        }
    }
    phases
        .iter()
        .map(|(name, ms)| {
            let done = ms.iter().filter(|i| matches!(&cx.site.entries[**i].fields, KindFields::Milestone(m) if m.status == Status::Done)).count();
            let overdue = ms.iter().filter(|i| matches!(&cx.site.entries[**i].fields, KindFields::Milestone(m) if cx.site.milestone_overdue(m))).count();
            Obj::new()
                .set("name", cx.site.phase_label(name))
                .set("slug", slugify(name))
                .set("start", date_value(ms.first().and_then(|i| cx.site.entries[*i].date())))
                .set("end", date_value(ms.last().and_then(|i| cx.site.entries[*i].date())))
                .set("milestones", list(ms))
                .set("done", done)
                .set("overdue", overdue)
                .set("total", ms.len())
                .build()
        })
        .collect()
}

/// The `paginator` value of one page of the improvements list.
pub(crate) fn paginator(site: &Site, values: &[Value], number: usize) -> Value {
    let per = (*site.config.paginate.get_ref()).max(1);
    let total = site.improvements.len();
    let pages = total.div_ceil(per).max(1);
    let url_of = |n: usize| site.routes.url(&site.routes.list_page(n));
    let items: Vec<Value> = site
        .improvements
        .iter()
        .skip((number - 1) * per)
        .take(per)
        .map(|i| values[*i].clone())
        .collect();
    Obj::new()
        .set("items", items)
        .set("number", number)
        .set("total_pages", pages)
        .set("total_items", total)
        .set(
            "previous_url",
            if number > 1 {
                url_of(number - 1)
            } else {
                String::new()
            },
        )
        .set(
            "next_url",
            if number < pages {
                url_of(number + 1)
            } else {
                String::new()
            },
        )
        .set("pages", page_window(number, pages, &url_of))
        .build()
}

/// The page links a pager shows: the first and last pages, and two either side of the current
/// one, with `{ gap: true }` where numbers are left out. A list of every page would put 700
/// links on each of 700 pages at 7,000 improvements.
fn page_window(number: usize, pages: usize, url_of: &dyn Fn(usize) -> String) -> Vec<Value> {
    let near = |n: usize| n == 1 || n == pages || n.abs_diff(number) <= 2;
    let mut out = Vec::new();
    let mut gap = false;
    for n in 1..=pages {
        if near(n) {
            out.push(
                Obj::new()
                    .set("number", n)
                    .set("url", url_of(n))
                    .set("current", n == number)
                    .set("gap", false)
                    .build(),
            );
            gap = false;
        } else if !gap {
            out.push(Obj::new().set("gap", true).build());
            gap = true;
        }
    }
    out
}
