//! The periods herald writes up: the months that have a digest and the quarters that have a
//! letter to customers.
//!
//! A month has a digest when something happened in it: an improvement shipped, a recognition, a
//! milestone or task done, or a milestone or task that came due and was not done in time. Months
//! after today's have none. A quarter has a letter when an improvement of it may go to customers
//! (`letter = true`, the default) and it has started.

use jiff::ToSpan;
use jiff::civil::Date;

use super::order::Lists;
use crate::load::content::{Entry, KindFields, Status};

/// A month with a digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Month {
    /// `2026-11`.
    pub key: String,
    /// Its first day.
    pub start: Date,
}

/// A quarter with a letter to customers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quarter {
    /// `2026-Q4`.
    pub key: String,
    /// The year.
    pub year: i16,
    /// 1 to 4.
    pub number: i8,
    /// Its first day.
    pub start: Date,
    /// Its last day.
    pub end: Date,
    /// The improvements the letter tells, oldest first.
    pub improvements: Vec<usize>,
}

/// `2026-11`.
pub fn month_key(d: Date) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

/// `2026-Q4`.
pub fn quarter_key(year: i16, q: i8) -> String {
    format!("{year:04}-Q{q}")
}

/// The year and quarter (1 to 4) of a date.
pub fn quarter_of(d: Date) -> (i16, i8) {
    (d.year(), (d.month() - 1) / 3 + 1)
}

/// The first day of a quarter.
pub fn quarter_start(year: i16, q: i8) -> Option<Date> {
    Date::new(year, (q - 1) * 3 + 1, 1).ok()
}

/// Whether something due on `due` was not done by then (and `due` has passed).
pub fn missed(due: Date, done: bool, done_on: Option<Date>) -> bool {
    if done {
        done_on.is_some_and(|d| d > due)
    } else {
        true
    }
}

/// Every month with a digest, newest first.
pub(super) fn months(entries: &[Entry], lists: &Lists, today: Date) -> Vec<Month> {
    let mut months = std::collections::BTreeSet::new();
    let mut mark = |d: Date| {
        if d <= today {
            months.insert(d.first_of_month());
        }
    };
    for i in lists.improvements.iter().chain(&lists.recognitions) {
        if let Some(d) = entries[*i].date() {
            mark(d);
        }
    }
    for i in &lists.milestones {
        if let KindFields::Milestone(m) = &entries[*i].fields {
            if let Some(d) = m.done_on {
                mark(d);
            }
            if m.status != Status::Dropped && missed(m.target, m.status == Status::Done, m.done_on)
            {
                mark(m.target);
            }
            for t in &m.tasks {
                if let Some(d) = t.done_on {
                    mark(d);
                }
                if let Some(due) = t.due
                    && m.status != Status::Dropped
                    && missed(due, t.done, t.done_on)
                {
                    mark(due);
                }
            }
        }
    }
    months
        .into_iter()
        .rev()
        .map(|start| Month {
            key: month_key(start),
            start,
        })
        .collect()
}

/// Every quarter with a letter, newest first.
pub(super) fn quarters(entries: &[Entry], lists: &Lists, today: Date) -> Vec<Quarter> {
    let mut quarters: std::collections::BTreeMap<(i16, i8), Vec<usize>> = Default::default();
    for i in &lists.improvements {
        if let KindFields::Improvement(imp) = &entries[*i].fields
            && imp.letter
            && imp.date <= today
        {
            quarters.entry(quarter_of(imp.date)).or_default().push(*i);
        }
    }
    quarters
        .into_iter()
        .rev()
        .filter_map(|((year, number), mut improvements)| {
            let start = quarter_start(year, number)?;
            let end = start
                .checked_add(3.months())
                .ok()
                .and_then(|d| d.yesterday().ok())
                .unwrap_or(start);
            // Oldest first: a letter tells the quarter in order.
            improvements.reverse();
            Some(Quarter {
                key: quarter_key(year, number),
                year,
                number,
                start,
                end,
                improvements,
            })
        })
        .collect()
}
