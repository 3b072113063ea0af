//! The periodic write-ups as template values: each month's digest (`/digest/YYYY-MM/`, with an
//! email body and a plain-text version) and each quarter's letter to customers
//! (`/letter/YYYY-QN/`). Which months and quarters have one is the model's
//! ([`crate::model::periods`]); this module builds what each one's page shows.

use jiff::civil::Date;
use tera::Value;

use super::Cx;
use super::roadmap::task_row;
use crate::i18n::Catalog;
use crate::i18n::locale::DateStyle;
use crate::load::content::{KindFields, Status};
use crate::model::Site;
use crate::model::periods::{missed, month_key};
use crate::util::value::Obj;

/// `November 2026`, in the site's language.
fn month_title(c: &Catalog, d: Date) -> String {
    c.locale().date(d, DateStyle::MonthYear)
}

/// `Q4 2026`, in the site's language.
pub(crate) fn quarter_title(c: &Catalog, number: impl std::fmt::Display, year: i16) -> String {
    c.format(
        "period.quarter",
        None,
        &[
            ("quarter", &number.to_string()),
            ("year", &year.to_string()),
        ],
    )
}

/// `October to December 2026`: a quarter's months, first to last.
fn quarter_months(c: &Catalog, start: Date, end: Date) -> String {
    c.format(
        "period.quarter_range",
        None,
        &[
            ("start", &c.locale().date(start, DateStyle::Month)),
            ("end", &c.locale().date(end, DateStyle::MonthYear)),
        ],
    )
}

fn dated(cx: &Cx<'_>, idx: &[usize], from: Date, to: Date) -> Vec<Value> {
    let site = cx.site;
    idx.iter()
        .filter(|i| {
            site.entries[**i]
                .date()
                .is_some_and(|d| d >= from && d <= to)
        })
        .map(|i| cx.values[*i].clone())
        .collect()
}

/// Every month's digest, newest first, as [`Site::months`] lists them.
pub(crate) fn digests(cx: &Cx<'_>) -> Vec<Value> {
    let months = &cx.site.months;
    months
        .iter()
        .enumerate()
        .map(|(n, month)| {
            let newer = n
                .checked_sub(1)
                .and_then(|k| months.get(k))
                .map(|m| m.start);
            let older = months.get(n + 1).map(|m| m.start);
            digest_value(cx, month.start, newer, older)
        })
        .collect()
}

fn period_link(site: &Site, route: String, key: &str, title: String) -> Value {
    Obj::new()
        .set("key", key)
        .set("title", title)
        .set("url", site.routes.url(&route))
        .build()
}

fn digest_value(cx: &Cx<'_>, start: Date, newer: Option<Date>, older: Option<Date>) -> Value {
    let site = cx.site;
    let today = site.today;
    let end = start.last_of_month();
    let key = month_key(start);
    let improvements = dated(cx, &site.improvements, start, end);
    let recognitions = dated(cx, &site.recognitions, start, end);
    let mut milestones_done: Vec<(Date, Value)> = Vec::new();
    let mut milestones_missed: Vec<(Date, Value)> = Vec::new();
    let mut tasks_done: Vec<(Date, Value)> = Vec::new();
    let mut tasks_missed: Vec<(Date, Value)> = Vec::new();
    let mut coming_up: Vec<(Date, Value)> = Vec::new();
    let next_start = end.tomorrow().unwrap_or(end);
    let next_end = next_start.last_of_month();
    for i in &site.milestones {
        let KindFields::Milestone(m) = &site.entries[*i].fields else {
            continue;
        };
        if m.status == Status::Dropped {
            continue;
        }
        let done = m.status == Status::Done;
        if let Some(d) = m.done_on.filter(|d| *d >= start && *d <= end) {
            milestones_done.push((d, cx.values[*i].clone()));
        }
        if m.target >= start
            && m.target <= end
            && m.target < today
            && missed(m.target, done, m.done_on)
        {
            milestones_missed.push((m.target, cx.values[*i].clone()));
        }
        if m.target >= next_start
            && m.target <= next_end
            && (!done || m.done_on.is_some_and(|d| d > end))
        {
            coming_up.push((m.target, cx.values[*i].clone()));
        }
        for t in &m.tasks {
            if let Some(d) = t.done_on.filter(|d| *d >= start && *d <= end) {
                tasks_done.push((d, task_row(cx, *i, m, t)));
            }
            if let Some(due) = t.due
                && due >= start
                && due <= end
                && due < today
                && missed(due, t.done, t.done_on)
            {
                tasks_missed.push((due, task_row(cx, *i, m, t)));
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
        .map(|i| match &site.entries[*i].fields {
            KindFields::Recognition(r) => r.people.len(),
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
    let c = &site.i18n;
    Obj::new()
        .set("key", key.as_str())
        .set("title", month_title(c, start))
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
        .set("next_title", month_title(c, next_start))
        .set(
            "newer",
            newer.map_or_else(Value::none, |d| {
                let k = month_key(d);
                period_link(site, site.routes.digest(&k), &k, month_title(c, d))
            }),
        )
        .set(
            "older",
            older.map_or_else(Value::none, |d| {
                let k = month_key(d);
                period_link(site, site.routes.digest(&k), &k, month_title(c, d))
            }),
        )
        .build()
}

/// Every quarter's letter, newest first, as [`Site::quarters`] lists them.
pub(crate) fn letters(cx: &Cx<'_>) -> Vec<Value> {
    let site = cx.site;
    let today = site.today;
    let quarters = &site.quarters;
    let c = &site.i18n;
    let link = |k: Option<&crate::model::periods::Quarter>| {
        k.map_or_else(Value::none, |q| {
            let title = quarter_title(c, q.number, q.year);
            period_link(site, site.routes.letter(&q.key), &q.key, title)
        })
    };
    quarters
        .iter()
        .enumerate()
        .map(|(n, q)| {
            let (start, end) = (q.start, q.end);
            let path = site.routes.letter(&q.key);
            Obj::new()
                .set("key", q.key.as_str())
                .set("title", quarter_title(c, q.number, q.year))
                .set("period", quarter_months(c, start, end))
                .set("start", start.to_string())
                .set("end", end.to_string())
                .set("in_progress", end >= today)
                .set("dated", end.min(today).to_string())
                .set("url", site.routes.url(&path))
                .set("permalink", site.routes.permalink(&path))
                .set(
                    "improvements",
                    q.improvements
                        .iter()
                        .map(|i| cx.values[*i].clone())
                        .collect::<Vec<_>>(),
                )
                .set(
                    "newer",
                    link(n.checked_sub(1).and_then(|k| quarters.get(k))),
                )
                .set("older", link(quarters.get(n + 1)))
                .build()
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
pub(crate) mod tests {
    use super::*;

    use crate::model::periods::{quarter_of, quarter_start};

    /// herald's English table alone.
    pub(crate) fn english() -> Catalog {
        let table = crate::i18n::Table {
            lang: "en".into(),
            layer: crate::i18n::Layer::Bundled,
            display: "en.toml".into(),
            text: include_str!("../../themes/default/i18n/en.toml").into(),
        };
        let mut diags = crate::diagnostics::Diagnostics::new();
        let c = Catalog::build("en", &[table], &mut diags);
        assert!(diags.is_empty(), "{}", diags.render(false));
        c
    }

    #[test]
    fn quarters_and_months() {
        let d: Date = "2026-11-23".parse().expect("date");
        assert_eq!(quarter_of(d), (2026, 4));
        assert_eq!(month_key(d), "2026-11");
        let c = english();
        assert_eq!(month_title(&c, d), "November 2026");
        assert_eq!(quarter_title(&c, 4, 2026), "Q4 2026");
        let (start, end) = (quarter_start(2026, 4).expect("start"), d.last_of_month());
        assert_eq!(quarter_months(&c, start, end), "October to November 2026");
        assert_eq!(quarter_start(2026, 4), "2026-10-01".parse().ok());
        assert!(missed(d, false, None));
        assert!(!missed(d, true, Some(d)));
        assert!(missed(d, true, d.tomorrow().ok()));
    }
}
