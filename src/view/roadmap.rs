//! The roadmap's template values: the timeline's years and quarters, scorecards, and the
//! monthly review (overdue first, then at risk, then what was done since last month, then what
//! comes due next).

use jiff::ToSpan;
use jiff::civil::Date;
use tera::Value;

use super::Cx;
use super::refs::entry_ref;
use crate::i18n::Catalog;
use crate::load::content::{KindFields, Milestone, Status, Task};
use crate::model::Site;
use crate::model::roadmap::{Scorecard, Timeline};
use crate::util::value::Obj;

/// The `site.timeline` value: years and quarters across (named in the site's language), and
/// today's mark.
pub(crate) fn timeline_value(t: &Timeline, today: Date, i18n: &Catalog) -> Value {
    let mut years = Vec::new();
    let mut quarters = Vec::new();
    let mut y = t.start.year();
    while let Ok(first) = Date::new(y, 1, 1) {
        if first >= t.end {
            break;
        }
        let next = Date::new(y + 1, 1, 1).unwrap_or(t.end).min(t.end);
        years.push(
            Obj::new()
                .set("label", y.to_string())
                .set("at", t.at(first))
                .set(
                    "width",
                    crate::util::number::round_to(t.at(next) - t.at(first), 2),
                )
                .set("current", first <= today && today < next)
                .build(),
        );
        for q in 0..4i8 {
            let (Ok(a), b) = (
                Date::new(y, q * 3 + 1, 1),
                if q == 3 {
                    Date::new(y + 1, 1, 1)
                } else {
                    Date::new(y, q * 3 + 4, 1)
                },
            ) else {
                continue;
            };
            let b = b.unwrap_or(t.end);
            quarters.push(
                Obj::new()
                    .set(
                        "label",
                        i18n.format(
                            "roadmap.quarter",
                            None,
                            &[("quarter", &(q + 1).to_string())],
                        ),
                    )
                    .set("year", y.to_string())
                    .set("at", t.at(a))
                    .set("width", crate::util::number::round_to(t.at(b) - t.at(a), 2))
                    .set("current", a <= today && today < b)
                    .build(),
            );
        }
        y += 1;
    }
    Obj::new()
        .set("start", t.start.to_string())
        .set("end", t.end.to_string())
        .set(
            "today_at",
            if t.contains(today) {
                Value::from(t.at(today))
            } else {
                Value::none()
            },
        )
        .set("years", years)
        .set("quarters", quarters)
        .build()
}

/// A scorecard's template value.
pub(crate) fn scorecard_value(s: &Scorecard) -> Value {
    Obj::new()
        .set("total", s.total)
        .set("due", s.due)
        .set("done_on_time", s.done_on_time)
        .set("done_late", s.done_late)
        .set("done", s.done_on_time + s.done_late)
        .set("overdue", s.overdue)
        .set("open", s.open)
        .set(
            "on_time_percent",
            s.on_time_percent().map_or_else(Value::none, Value::from),
        )
        .build()
}

fn milestones(site: &Site) -> impl Iterator<Item = (usize, &Milestone)> + '_ {
    site.milestones
        .iter()
        .filter_map(|i| match &site.entries[*i].fields {
            KindFields::Milestone(m) => Some((*i, m)),
            _ => None,
        })
}

/// Start of the review window: one month before today.
pub fn review_since(today: Date) -> Date {
    today.checked_sub(1.month()).unwrap_or(today)
}

/// One task as a row of the review: its team, dates, state and milestone.
pub(crate) fn task_row(cx: &Cx<'_>, i: usize, m: &Milestone, t: &Task) -> Value {
    let site = cx.site;
    Obj::new()
        .set("task", t.task.as_str())
        .set("team", cx.refs.team(site, t.team.get_ref()))
        .set(
            "due",
            t.due.map_or_else(Value::none, |d| d.to_string().into()),
        )
        .set(
            "done_on",
            t.done_on.map_or_else(Value::none, |d| d.to_string().into()),
        )
        .set("done", t.done)
        .set("late", t.done_late())
        .set("overdue", site.task_overdue(m, t))
        .set("days_overdue", site.task_days_overdue(m, t))
        .set(
            "days_late",
            match (t.done_on, t.due) {
                (Some(d), Some(due)) if d > due => (d - due).get_days(),
                _ => 0,
            },
        )
        .set("milestone", entry_ref(site, i))
        .build()
}

/// The `site.review` value for `/roadmap/review/`.
pub fn review_value(cx: &Cx<'_>) -> Value {
    let site = cx.site;
    let today = site.today;
    let since = review_since(today);
    let soon = today.checked_add(30.days()).unwrap_or(today);
    let live: Vec<(usize, &Milestone)> = milestones(site)
        .filter(|(_, m)| m.status != Status::Dropped)
        .collect();

    let mut overdue_ms: Vec<(i32, usize)> = live
        .iter()
        .filter(|(_, m)| site.milestone_overdue(m))
        .map(|(i, m)| ((today - m.target).get_days(), *i))
        .collect();
    overdue_ms.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));

    let mut overdue_tasks: Vec<(i32, String, Value)> = Vec::new();
    let mut done_tasks: Vec<(Date, Value)> = Vec::new();
    let mut due_soon: Vec<(Date, Value)> = Vec::new();
    for (i, m) in &live {
        for t in &m.tasks {
            if site.task_overdue(m, t) {
                overdue_tasks.push((
                    site.task_days_overdue(m, t),
                    site.entries[*i].path.clone(),
                    task_row(cx, *i, m, t),
                ));
            } else if let Some(d) = t.done_on.filter(|d| t.done && *d > since && *d <= today) {
                done_tasks.push((d, task_row(cx, *i, m, t)));
            } else if let Some(d) = t.due.filter(|d| !t.done && *d >= today && *d <= soon) {
                due_soon.push((d, task_row(cx, *i, m, t)));
            }
        }
    }
    overdue_tasks.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    done_tasks.sort_by_key(|x| std::cmp::Reverse(x.0));
    due_soon.sort_by_key(|x| x.0);

    let at_risk: Vec<Value> = live
        .iter()
        .filter(|(_, m)| m.status == Status::AtRisk && !site.milestone_overdue(m))
        .map(|(i, _)| cx.values[*i].clone())
        .collect();
    let done_ms: Vec<Value> = live
        .iter()
        .filter(|(_, m)| m.done_on.is_some_and(|d| d > since && d <= today))
        .map(|(i, _)| cx.values[*i].clone())
        .collect();
    let upcoming: Vec<Value> = live
        .iter()
        .filter(|(_, m)| {
            !m.status.is_closed() && m.target >= today && m.target <= today + 60.days()
        })
        .map(|(i, _)| cx.values[*i].clone())
        .collect();
    let in_window = |i: &&usize| {
        site.entries[**i]
            .date()
            .is_some_and(|d| d > since && d <= today)
    };
    let shipped: Vec<Value> = site
        .improvements
        .iter()
        .filter(in_window)
        .map(|i| cx.values[*i].clone())
        .collect();
    let thanked: Vec<Value> = site
        .recognitions
        .iter()
        .filter(in_window)
        .map(|i| cx.values[*i].clone())
        .collect();

    let (scorecards, all) = scorecards(cx);

    Obj::new()
        .set("today", today.to_string())
        .set("since", since.to_string())
        .set("soon", soon.to_string())
        .set(
            "overdue_milestones",
            overdue_ms
                .iter()
                .map(|(_, i)| cx.values[*i].clone())
                .collect::<Vec<_>>(),
        )
        .set(
            "overdue_tasks",
            overdue_tasks.into_iter().map(|x| x.2).collect::<Vec<_>>(),
        )
        .set("at_risk", at_risk)
        .set("done_milestones", done_ms)
        .set(
            "done_tasks",
            done_tasks.into_iter().map(|x| x.1).collect::<Vec<_>>(),
        )
        .set("shipped", shipped)
        .set("thanked", thanked)
        .set(
            "due_soon",
            due_soon.into_iter().map(|x| x.1).collect::<Vec<_>>(),
        )
        .set("upcoming", upcoming)
        .set("scorecards", scorecards)
        .set("totals", scorecard_value(&all))
        .build()
}

/// Each team's scorecard for the review, and all teams' together.
fn scorecards(cx: &Cx<'_>) -> (Vec<Value>, Scorecard) {
    let site = cx.site;
    let mut all = Scorecard::default();
    let scorecards: Vec<Value> = cx
        .site
        .teams
        .iter()
        .map(|t| {
            let s = t.scorecard;
            all.total += s.total;
            all.due += s.due;
            all.done_on_time += s.done_on_time;
            all.done_late += s.done_late;
            all.overdue += s.overdue;
            all.open += s.open;
            Obj::new()
                .set("team", cx.refs.team(site, &t.name))
                .set("score", scorecard_value(&s))
                .build()
        })
        .collect();
    (scorecards, all)
}
