//! Accountability, as facts: what is overdue, where each milestone sits on the multi-year
//! timeline, and each team's scorecard (tasks done on time, done late, overdue, open). The
//! review page and the timeline's template values are built from these in `view::roadmap`.
//!
//! Every figure is derived from content and "today"; none is typed by hand.

use jiff::civil::Date;

use crate::load::content::{Entry, KindFields, Milestone, Status, Task};

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

    /// Whether a date falls inside the span.
    pub fn contains(&self, d: Date) -> bool {
        d >= self.start && d < self.end
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

    /// Adds one task, judged on `today`.
    pub fn add(&mut self, today: Date, m: &Milestone, t: &Task) {
        self.total += 1;
        if t.due.is_some_and(|d| d <= today) {
            self.due += 1;
        }
        if t.done {
            if t.done_late() {
                self.done_late += 1;
            } else {
                self.done_on_time += 1;
            }
        } else if task_overdue(today, m, t) {
            self.overdue += 1;
        } else {
            self.open += 1;
        }
    }
}

/// Whether a milestone is overdue on `today`: its target has passed and it is neither done nor
/// dropped.
pub fn milestone_overdue(today: Date, m: &Milestone) -> bool {
    !m.status.is_closed() && m.target < today
}

/// Whether a task is past due and not done (tasks of dropped milestones never are).
pub fn task_overdue(today: Date, m: &Milestone, t: &Task) -> bool {
    !t.done && m.status != Status::Dropped && t.due.is_some_and(|d| d < today)
}

/// How many days past due an open task is.
pub fn task_days_overdue(today: Date, m: &Milestone, t: &Task) -> i32 {
    match t.due {
        Some(due) if task_overdue(today, m, t) => (today - due).get_days(),
        _ => 0,
    }
}

/// The scorecard of the team called `name`, over tasks of milestones that are not dropped.
pub fn scorecard(entries: &[Entry], milestones: &[usize], today: Date, name: &str) -> Scorecard {
    let mut s = Scorecard::default();
    for i in milestones {
        let KindFields::Milestone(m) = &entries[*i].fields else {
            continue;
        };
        if m.status == Status::Dropped {
            continue;
        }
        for t in m.tasks.iter().filter(|t| t.team.get_ref() == name) {
            s.add(today, m, t);
        }
    }
    s
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
