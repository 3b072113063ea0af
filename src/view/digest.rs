//! The periodic write-ups herald derives from the content: the monthly digest (`/digest/YYYY-MM/`,
//! with an email body and a plain-text version) and the quarterly letter to customers
//! (`/letter/YYYY-QN/`). This module decides which months and quarters exist and builds each
//! one's template value; the theme lays them out.
//!
//! A month has a digest when something happened in it: an improvement shipped, a recognition, a
//! milestone or task done, or a milestone or task that came due and was not done in time. Months
//! after today's have none. A quarter has a letter when an improvement of it may go to customers
//! (`letter = true`, the default) and it has started.

use jiff::ToSpan;
use jiff::civil::Date;
use tera::Value;

use crate::load::content::{Data, Status};
use crate::model::Site;
use crate::util::value::Obj;

/// One month's digest.
#[derive(Debug, Clone)]
pub struct Digest {
    /// `2026-11`.
    pub month: String,
    /// The template value (`digest`).
    pub value: Value,
}

/// One quarter's letter to customers.
#[derive(Debug, Clone)]
pub struct Letter {
    /// `2026-Q4`.
    pub quarter: String,
    /// The template value (`letter`).
    pub value: Value,
}

/// The first day of the month of `d`.
fn month_start(d: Date) -> Date {
    d.first_of_month()
}

fn month_key(d: Date) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

fn quarter_of(d: Date) -> (i16, i8) {
    (d.year(), (d.month() - 1) / 3 + 1)
}

fn quarter_start(year: i16, q: i8) -> Option<Date> {
    Date::new(year, (q - 1) * 3 + 1, 1).ok()
}

/// `November 2026`.
fn month_title(d: Date) -> String {
    jiff::fmt::strtime::format("%B %Y", d).unwrap_or_else(|_| month_key(d))
}

fn dated(site: &Site, idx: &[usize], from: Date, to: Date) -> Vec<Value> {
    idx.iter()
        .filter(|i| {
            site.entries[**i]
                .date()
                .is_some_and(|d| d >= from && d <= to)
        })
        .map(|i| site.values[*i].clone())
        .collect()
}

/// Every month's digest, newest first.
pub fn digests(site: &Site) -> Vec<Digest> {
    let today = site.today;
    let mut months = std::collections::BTreeSet::new();
    let mut mark = |d: Date| {
        if d <= today {
            months.insert(month_start(d));
        }
    };
    for i in site.improvements.iter().chain(&site.recognitions) {
        if let Some(d) = site.entries[*i].date() {
            mark(d);
        }
    }
    for i in &site.milestones {
        if let Data::Milestone(m) = &site.entries[*i].data {
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
    let months: Vec<Date> = months.into_iter().rev().collect();
    months
        .iter()
        .enumerate()
        .map(|(n, start)| {
            let newer = n.checked_sub(1).and_then(|k| months.get(k)).copied();
            let older = months.get(n + 1).copied();
            Digest {
                month: month_key(*start),
                value: digest_value(site, *start, newer, older),
            }
        })
        .collect()
}

/// Whether something due on `due` was not done by then (and `due` has passed).
fn missed(due: Date, done: bool, done_on: Option<Date>) -> bool {
    if done {
        done_on.is_some_and(|d| d > due)
    } else {
        true
    }
}

fn period_link(site: &Site, route: String, key: &str, title: String) -> Value {
    Obj::new()
        .set("key", key)
        .set("title", title)
        .set("url", site.routes.url(&route))
        .build()
}

fn digest_value(site: &Site, start: Date, newer: Option<Date>, older: Option<Date>) -> Value {
    let today = site.today;
    let end = start.last_of_month();
    let key = month_key(start);
    let improvements = dated(site, &site.improvements, start, end);
    let recognitions = dated(site, &site.recognitions, start, end);
    let mut milestones_done: Vec<(Date, Value)> = Vec::new();
    let mut milestones_missed: Vec<(Date, Value)> = Vec::new();
    let mut tasks_done: Vec<(Date, Value)> = Vec::new();
    let mut tasks_missed: Vec<(Date, Value)> = Vec::new();
    let mut coming_up: Vec<(Date, Value)> = Vec::new();
    let next_start = end.tomorrow().unwrap_or(end);
    let next_end = next_start.last_of_month();
    for i in &site.milestones {
        let Data::Milestone(m) = &site.entries[*i].data else {
            continue;
        };
        if m.status == Status::Dropped {
            continue;
        }
        let done = m.status == Status::Done;
        if let Some(d) = m.done_on.filter(|d| *d >= start && *d <= end) {
            milestones_done.push((d, site.values[*i].clone()));
        }
        if m.target >= start
            && m.target <= end
            && m.target < today
            && missed(m.target, done, m.done_on)
        {
            milestones_missed.push((m.target, site.values[*i].clone()));
        }
        if m.target >= next_start
            && m.target <= next_end
            && (!done || m.done_on.is_some_and(|d| d > end))
        {
            coming_up.push((m.target, site.values[*i].clone()));
        }
        for t in &m.tasks {
            if let Some(d) = t.done_on.filter(|d| *d >= start && *d <= end) {
                tasks_done.push((d, crate::model::roadmap::task_row(site, *i, m, t)));
            }
            if let Some(due) = t.due
                && due >= start
                && due <= end
                && due < today
                && missed(due, t.done, t.done_on)
            {
                tasks_missed.push((due, crate::model::roadmap::task_row(site, *i, m, t)));
            }
        }
    }
    let sorted = |mut v: Vec<(Date, Value)>| -> Vec<Value> {
        v.sort_by_key(|(d, _)| *d);
        v.into_iter().map(|(_, v)| v).collect()
    };
    let people: usize = site
        .recognitions
        .iter()
        .filter(|i| {
            site.entries[**i]
                .date()
                .is_some_and(|d| d >= start && d <= end)
        })
        .map(|i| match &site.entries[*i].data {
            Data::Recognition(r) => r.people.len(),
            _ => 0,
        })
        .sum();
    let counts = Obj::new()
        .set("improvements", improvements.len())
        .set("recognitions", recognitions.len())
        .set("people", people)
        .set("milestones_done", milestones_done.len())
        .set("milestones_missed", milestones_missed.len())
        .set("tasks_done", tasks_done.len())
        .set("tasks_missed", tasks_missed.len())
        .build();
    let r = &site.routes;
    let path = r.digest(&key);
    Obj::new()
        .set("key", key.as_str())
        .set("title", month_title(start))
        .set("start", start.to_string())
        .set("end", end.to_string())
        .set("in_progress", end >= today)
        .set("url", site.routes.url(&path))
        .set("permalink", r.permalink(&path))
        .set("email_url", r.url(&r.digest_email(&key)))
        .set("text_url", r.url(&r.digest_text(&key)))
        .set("counts", counts)
        .set("improvements", improvements)
        .set("recognitions", recognitions)
        .set("milestones_done", sorted(milestones_done))
        .set("milestones_missed", sorted(milestones_missed))
        .set("tasks_done", sorted(tasks_done))
        .set("tasks_missed", sorted(tasks_missed))
        .set("coming_up", sorted(coming_up))
        .set("next_title", month_title(next_start))
        .set(
            "newer",
            newer.map_or_else(Value::none, |d| {
                let k = month_key(d);
                period_link(site, site.routes.digest(&k), &k, month_title(d))
            }),
        )
        .set(
            "older",
            older.map_or_else(Value::none, |d| {
                let k = month_key(d);
                period_link(site, site.routes.digest(&k), &k, month_title(d))
            }),
        )
        .build()
}

/// Every quarter's letter, newest first.
pub fn letters(site: &Site) -> Vec<Letter> {
    let today = site.today;
    let mut quarters: std::collections::BTreeMap<(i16, i8), Vec<usize>> = Default::default();
    for i in &site.improvements {
        if let Data::Improvement(imp) = &site.entries[*i].data
            && imp.letter
            && imp.date <= today
        {
            quarters.entry(quarter_of(imp.date)).or_default().push(*i);
        }
    }
    let keys: Vec<(i16, i8)> = quarters.keys().rev().copied().collect();
    keys.iter()
        .enumerate()
        .filter_map(|(n, (y, q))| {
            let start = quarter_start(*y, *q)?;
            let end = start
                .checked_add(3.months())
                .ok()
                .and_then(|d| d.yesterday().ok())
                .unwrap_or(start);
            let mut idx = quarters.get(&(*y, *q)).cloned().unwrap_or_default();
            // Oldest first: a letter tells the quarter in order.
            idx.reverse();
            let key = format!("{y:04}-Q{q}");
            let link = |k: Option<&(i16, i8)>| {
                k.map_or_else(Value::none, |(y, q)| {
                    let k = format!("{y:04}-Q{q}");
                    period_link(site, site.routes.letter(&k), &k, format!("Q{q} {y}"))
                })
            };
            let path = site.routes.letter(&key);
            let value = Obj::new()
                .set("key", key.as_str())
                .set("title", format!("Q{q} {y}"))
                .set(
                    "period",
                    format!(
                        "{} to {}",
                        jiff::fmt::strtime::format("%B", start).unwrap_or_default(),
                        month_title(end)
                    ),
                )
                .set("start", start.to_string())
                .set("end", end.to_string())
                .set("in_progress", end >= today)
                .set("dated", end.min(today).to_string())
                .set("url", site.routes.url(&path))
                .set("permalink", site.routes.permalink(&path))
                .set(
                    "improvements",
                    idx.iter()
                        .map(|i| site.values[*i].clone())
                        .collect::<Vec<_>>(),
                )
                .set("newer", link(n.checked_sub(1).and_then(|k| keys.get(k))))
                .set("older", link(keys.get(n + 1)))
                .build();
            Some(Letter {
                quarter: key,
                value,
            })
        })
        .collect()
}

/// The short list of digests or letters for `site.digests` / `site.letters`: key, title, URL
/// and counts, without the entries.
pub fn index_value<'a>(values: impl Iterator<Item = &'a Value>) -> Vec<Value> {
    values
        .map(|v| {
            let get = |k: &str| v.get_from_path(k).cloned().unwrap_or_else(Value::none);
            let count = |k: &str| v.get_from_path(k).and_then(Value::len).unwrap_or(0);
            Obj::new()
                .set("key", get("key"))
                .set("title", get("title"))
                .set("url", get("url"))
                .set("in_progress", get("in_progress"))
                .set("counts", get("counts"))
                .set("improvements", count("improvements"))
                .build()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_and_months() {
        let d: Date = "2026-11-23".parse().expect("date");
        assert_eq!(quarter_of(d), (2026, 4));
        assert_eq!(month_key(d), "2026-11");
        assert_eq!(month_title(d), "November 2026");
        assert_eq!(quarter_start(2026, 4), "2026-10-01".parse().ok());
        assert!(missed(d, false, None));
        assert!(!missed(d, true, Some(d)));
        assert!(missed(d, true, d.tomorrow().ok()));
    }
}
