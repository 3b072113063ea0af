//! Accountability: where each milestone sits on the multi-year timeline, each team's scorecard
//! (tasks done on time, done late, overdue, open), and the monthly review (overdue first, then at
//! risk, then what was done since last month, then what comes due next).
//!
//! Every figure is derived from content and "today"; none is typed by hand.

use jiff::ToSpan;
use jiff::civil::Date;
use tera::Value;

use crate::load::content::{Data, Milestone, Status, Task};
use crate::model::Site;
use crate::util::value::Obj;

/// The span the roadmap timeline covers: whole years around every target date.
#[derive(Debug, Clone, Copy)]
pub struct Timeline {
    /// 1 January of the first year.
    pub start: Date,
    /// 1 January after the last year.
    pub end: Date,
}

impl Timeline {
    /// Whole years covering every milestone's target and done date; none without milestones.
    pub fn of<'a>(milestones: impl Iterator<Item = &'a Milestone>) -> Option<Timeline> {
        let mut lo: Option<Date> = None;
        let mut hi: Option<Date> = None;
        for m in milestones {
            for d in std::iter::once(m.target).chain(m.done_on) {
                lo = Some(lo.map_or(d, |l| l.min(d)));
                hi = Some(hi.map_or(d, |h| h.max(d)));
            }
        }
        let start = Date::new(lo?.year(), 1, 1).ok()?;
        let end = Date::new(hi?.year().checked_add(1)?, 1, 1).ok()?;
        Some(Timeline { start, end })
    }

    /// Where a date falls, 0–100 (per cent of the width), clamped.
    pub fn at(&self, d: Date) -> f64 {
        let span = (self.end - self.start).get_days().max(1) as f64;
        let p = (d - self.start).get_days() as f64 / span * 100.0;
        crate::util::number::round_to(p.clamp(0.0, 100.0), 2)
    }

    fn contains(&self, d: Date) -> bool {
        d >= self.start && d < self.end
    }

    /// The `site.timeline` value: years and quarters across, and today's mark.
    pub fn value(&self, today: Date) -> Value {
        let mut years = Vec::new();
        let mut quarters = Vec::new();
        let mut y = self.start.year();
        while let Ok(first) = Date::new(y, 1, 1) {
            if first >= self.end {
                break;
            }
            let next = Date::new(y + 1, 1, 1).unwrap_or(self.end).min(self.end);
            years.push(
                Obj::new()
                    .set("label", y.to_string())
                    .set("at", self.at(first))
                    .set(
                        "width",
                        crate::util::number::round_to(self.at(next) - self.at(first), 2),
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
                let b = b.unwrap_or(self.end);
                quarters.push(
                    Obj::new()
                        .set("label", format!("Q{}", q + 1))
                        .set("year", y.to_string())
                        .set("at", self.at(a))
                        .set(
                            "width",
                            crate::util::number::round_to(self.at(b) - self.at(a), 2),
                        )
                        .set("current", a <= today && today < b)
                        .build(),
                );
            }
            y += 1;
        }
        Obj::new()
            .set("start", self.start.to_string())
            .set("end", self.end.to_string())
            .set(
                "today_at",
                if self.contains(today) {
                    Value::from(self.at(today))
                } else {
                    Value::none()
                },
            )
            .set("years", years)
            .set("quarters", quarters)
            .build()
    }
}

/// How one team's tasks stand; every task of a milestone that is not dropped falls in exactly
/// one of `done_on_time`, `done_late`, `overdue` and `open`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scorecard {
    /// Every task.
    pub total: usize,
    /// Tasks whose due date has come (due on or before today).
    pub due: usize,
    /// Done, and not recorded as done after the due date.
    pub done_on_time: usize,
    /// Done after the due date (`done_on` later than `due`).
    pub done_late: usize,
    /// Not done, and past due.
    pub overdue: usize,
    /// Not done, and not yet due (or with no due date).
    pub open: usize,
}

impl Scorecard {
    /// Done on time as a share of the tasks that were done or have fallen due, 0–100.
    pub fn on_time_percent(&self) -> Option<usize> {
        let judged = self.done_on_time + self.done_late + self.overdue;
        (self.done_on_time * 100 + judged / 2).checked_div(judged)
    }

    /// Adds one task.
    pub fn add(&mut self, site: &Site, m: &Milestone, t: &Task) {
        self.total += 1;
        if t.due.is_some_and(|d| d <= site.today) {
            self.due += 1;
        }
        if t.done {
            if t.done_late() {
                self.done_late += 1;
            } else {
                self.done_on_time += 1;
            }
        } else if site.task_overdue(m, t) {
            self.overdue += 1;
        } else {
            self.open += 1;
        }
    }

    /// The template value.
    pub fn value(&self) -> Value {
        Obj::new()
            .set("total", self.total)
            .set("due", self.due)
            .set("done_on_time", self.done_on_time)
            .set("done_late", self.done_late)
            .set("done", self.done_on_time + self.done_late)
            .set("overdue", self.overdue)
            .set("open", self.open)
            .set(
                "on_time_percent",
                self.on_time_percent().map_or_else(Value::none, Value::from),
            )
            .build()
    }
}

fn milestones(site: &Site) -> impl Iterator<Item = (usize, &Milestone)> {
    site.milestones
        .iter()
        .filter_map(|i| match &site.entries[*i].data {
            Data::Milestone(m) => Some((*i, m)),
            _ => None,
        })
}

/// The scorecard of the team called `name`, over tasks of milestones that are not dropped.
pub fn scorecard(site: &Site, name: &str) -> Scorecard {
    let mut s = Scorecard::default();
    for (_, m) in milestones(site).filter(|(_, m)| m.status != Status::Dropped) {
        for t in m.tasks.iter().filter(|t| t.team.get_ref() == name) {
            s.add(site, m, t);
        }
    }
    s
}

/// Start of the review window: one month before today.
pub fn review_since(today: Date) -> Date {
    today.checked_sub(1.month()).unwrap_or(today)
}

pub(crate) fn task_row(site: &Site, i: usize, m: &Milestone, t: &Task) -> Value {
    Obj::new()
        .set("task", t.task.as_str())
        .set("team", site.team_ref(t.team.get_ref()))
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
        .set("milestone", site.entry_ref(i))
        .build()
}

/// The `site.review` value for `/roadmap/review/`.
pub fn review_value(site: &Site) -> Value {
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
                    task_row(site, *i, m, t),
                ));
            } else if let Some(d) = t.done_on.filter(|d| t.done && *d > since && *d <= today) {
                done_tasks.push((d, task_row(site, *i, m, t)));
            } else if let Some(d) = t.due.filter(|d| !t.done && *d >= today && *d <= soon) {
                due_soon.push((d, task_row(site, *i, m, t)));
            }
        }
    }
    overdue_tasks.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    done_tasks.sort_by_key(|x| std::cmp::Reverse(x.0));
    due_soon.sort_by_key(|x| x.0);

    let at_risk: Vec<Value> = live
        .iter()
        .filter(|(_, m)| m.status == Status::AtRisk && !site.milestone_overdue(m))
        .map(|(i, _)| site.values[*i].clone())
        .collect();
    let done_ms: Vec<Value> = live
        .iter()
        .filter(|(_, m)| m.done_on.is_some_and(|d| d > since && d <= today))
        .map(|(i, _)| site.values[*i].clone())
        .collect();
    let upcoming: Vec<Value> = live
        .iter()
        .filter(|(_, m)| {
            !m.status.is_closed() && m.target >= today && m.target <= today + 60.days()
        })
        .map(|(i, _)| site.values[*i].clone())
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
        .map(|i| site.values[*i].clone())
        .collect();
    let thanked: Vec<Value> = site
        .recognitions
        .iter()
        .filter(in_window)
        .map(|i| site.values[*i].clone())
        .collect();

    let mut all = Scorecard::default();
    let scorecards: Vec<Value> = site
        .teams
        .iter()
        .map(|t| {
            let s = scorecard(site, &t.name);
            all.total += s.total;
            all.due += s.due;
            all.done_on_time += s.done_on_time;
            all.done_late += s.done_late;
            all.overdue += s.overdue;
            all.open += s.open;
            Obj::new()
                .set("team", site.team_ref(&t.name))
                .set("score", s.value())
                .build()
        })
        .collect();

    Obj::new()
        .set("today", today.to_string())
        .set("since", since.to_string())
        .set("soon", soon.to_string())
        .set(
            "overdue_milestones",
            overdue_ms
                .iter()
                .map(|(_, i)| site.values[*i].clone())
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
        .set("totals", all.value())
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeline_positions_are_proportional_and_clamped() {
        let t = Timeline {
            start: Date::new(2024, 1, 1).expect("date"),
            end: Date::new(2026, 1, 1).expect("date"),
        };
        assert_eq!(t.at(t.start), 0.0);
        assert_eq!(t.at(t.end), 100.0);
        assert_eq!(t.at(Date::new(2025, 1, 1).expect("date")), 50.07);
        assert_eq!(t.at(Date::new(2030, 1, 1).expect("date")), 100.0);
    }

    #[test]
    fn on_time_share_counts_only_judged_tasks() {
        let s = Scorecard {
            total: 10,
            due: 6,
            done_on_time: 3,
            done_late: 1,
            overdue: 2,
            open: 4,
        };
        assert_eq!(s.on_time_percent(), Some(50));
        assert_eq!(Scorecard::default().on_time_percent(), None);
    }
}
