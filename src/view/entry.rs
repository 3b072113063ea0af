//! Each entry's template value (`page`): what every kind shares (title, URLs, summary, body,
//! table of contents, tags, image, reading time) and each kind's own fields, with the
//! references to the teams, milestones, improvements and recognitions it is linked with.

use std::path::Path;

use tera::Value;

use super::refs::{Refs, entry_ref};
use crate::i18n::Catalog;
use crate::load::content::{
    Announcement, Entry, Figure, Improvement, ImprovementMetric, Kind, KindFields, Milestone,
    Recognition,
};
use crate::model::Site;
use crate::model::order::entry_teams;
use crate::util::number::{num, round_to};
use crate::util::slug::slugify;
use crate::util::value::{Obj, date_value, opt_str};

/// Entry `i`'s template value (`page`).
pub(crate) fn value(site: &Site, refs: &Refs, root: &Path, i: usize) -> Value {
    let e = &site.entries[i];
    let r = &site.rendered[i];
    let route = site.routes.entry(&e.path);
    let url = site.routes.url(&route);
    let (summary_html, summary_text) = &site.summaries[i];
    let image = e.image.as_ref().map(|img| {
        let static_dir = root.join("static");
        match img.strip_prefix(&static_dir) {
            Ok(rel) => site.routes.url(
                site.routes
                    .static_file(&rel.to_string_lossy().replace('\\', "/")),
            ),
            Err(_) => site.routes.url(
                &site.routes.entry_file(
                    &e.path,
                    &img.file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                ),
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
        .filter_map(|t| refs.tags.get(t.as_str()).cloned())
        .collect();
    let o = Obj::with_capacity(48)
        .set("kind", e.kind.name())
        .set("slug", e.slug.as_str())
        .set("path", e.path.as_str())
        .set("url", url.clone())
        .set("permalink", site.routes.permalink(&route))
        .set("title", e.title.as_str())
        .set("summary", Value::safe_string(summary_html))
        .set("summary_text", summary_text.trim())
        .set("content", site.bodies[i].clone())
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
        .set("source", e.display.to_string_lossy().replace('\\', "/"))
        .set("lang", untranslated_lang(site, e))
        .set("lang_mark", untranslated_mark(site, e));
    let o = match &e.fields {
        KindFields::Improvement(imp) => improvement(site, refs, e, imp, o),
        KindFields::Milestone(m) => milestone(site, refs, e, m, o),
        KindFields::Recognition(rec) => recognition(site, refs, rec, o),
        KindFields::Announcement(a) => announcement(site, e, i, a, o),
        KindFields::Page => o,
    };
    o.build()
}

/// The main language's code for an item a further language shows untranslated, else "".
fn untranslated_lang<'a>(site: &'a Site, e: &Entry) -> &'a str {
    match (&site.config.main_language, e.untranslated) {
        (Some(main), true) => main,
        _ => "",
    }
}

/// The mark on an untranslated item ("in English", in the page's language), else "".
fn untranslated_mark(site: &Site, e: &Entry) -> String {
    let lang = untranslated_lang(site, e);
    if lang.is_empty() {
        return String::new();
    }
    let name = site.i18n.text(&format!("language.names.{lang}"));
    let name = if name.starts_with("language.names.") {
        lang.to_string()
    } else {
        name
    };
    site.i18n
        .format("language.untranslated", None, &[("language", &name)])
}

fn moment_string(m: &crate::load::frontmatter::Moment) -> String {
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

/// A metric's `before` or `after` as a template value: a number stays a number, text is a
/// string, shown as written.
fn figure(f: &Figure) -> Value {
    match f {
        Figure::Number(x) => num(*x),
        Figure::Text(t) => Value::from(t.as_str()),
    }
}

/// How a metric moved, in the site's words: "80% lower" (of `before`); "47 points higher",
/// "1 point lower" for percentages; "5 days higher" when `before` is 0; "no change". None
/// unless both figures are numbers. In English, the words of
/// [`ImprovementMetric::change_words`].
pub(crate) fn change_words(i18n: &Catalog, m: &ImprovementMetric) -> Option<String> {
    let change = m.change()?;
    if change == 0.0 {
        return Some(i18n.text("improvement.change_none"));
    }
    let way = |higher: &'static str, lower: &'static str| if change < 0.0 { lower } else { higher };
    let size = change.abs();
    let unit = m.unit.trim();
    Some(if m.in_points() {
        i18n.format(
            way("improvement.points_higher", "improvement.points_lower"),
            Some(size),
            &[],
        )
    } else if let Some(p) = m.change_percent() {
        let percent = i18n
            .render("format.percent", Some((p.abs(), 0)), &|_| None, false)
            .unwrap_or_else(|| format!("{}%", i18n.locale().number(p.abs(), 0)));
        i18n.format(
            way("improvement.percent_higher", "improvement.percent_lower"),
            None,
            &[("percent", &percent)],
        )
    } else if unit.is_empty() {
        i18n.format(
            way("improvement.number_higher", "improvement.number_lower"),
            Some(size),
            &[],
        )
    } else {
        i18n.format(
            way("improvement.unit_higher", "improvement.unit_lower"),
            Some(size),
            &[("unit", unit)],
        )
    })
}

/// The fields of an improvement's value.
fn improvement(site: &Site, refs: &Refs, e: &Entry, imp: &Improvement, o: Obj) -> Obj {
    let metric = imp.metric.as_ref().map_or_else(Value::none, |m| {
        Obj::new()
            .set("name", m.name.as_str())
            .set("before", figure(&m.before))
            .set("after", figure(&m.after))
            .set("unit", m.unit.as_str())
            .set("better", opt_str(m.better))
            .set(
                "change",
                m.change().map_or_else(Value::none, |c| num(round_to(c, 4))),
            )
            .set(
                "change_percent",
                m.change_percent().map_or_else(Value::none, num),
            )
            .set("points", m.in_points())
            .set(
                "change_words",
                change_words(&site.i18n, m).map_or_else(Value::none, Value::from),
            )
            .set(
                "improved",
                m.improved().map_or_else(Value::none, Value::from),
            )
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
        .and_then(|m| site.find(Kind::Milestone, m.get_ref()))
        .map_or_else(Value::none, |j| entry_ref(site, j));
    let recognitions: Vec<Value> = site
        .links
        .recognitions
        .get(e.slug.as_str())
        .into_iter()
        .flatten()
        .map(|j| entry_ref(site, *j))
        .collect();
    o.set(
        "teams",
        imp.teams
            .iter()
            .map(|t| refs.team(site, t.get_ref()))
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
    .set("letter", imp.letter)
}

/// The fields of a milestone's value.
fn milestone(site: &Site, refs: &Refs, e: &Entry, m: &Milestone, o: Obj) -> Obj {
    let overdue = site.milestone_overdue(m);
    let days_overdue = if overdue {
        (site.today - m.target).get_days()
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
                .set("team", refs.team(site, t.team.get_ref()))
                .set("task", t.task.as_str())
                .set("due", date_value(t.due))
                .set("done", t.done)
                .set("done_on", date_value(t.done_on))
                .set("late", t.done_late())
                .set("overdue", site.task_overdue(m, t))
                .set("days_overdue", site.task_days_overdue(m, t))
                .build()
        })
        .collect();
    let overdue_tasks = m.tasks.iter().filter(|t| site.task_overdue(m, t)).count();
    let tl = site.timeline;
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
    let improvements: Vec<Value> = site
        .links
        .improvements
        .get(e.slug.as_str())
        .into_iter()
        .flatten()
        .map(|j| entry_ref(site, *j))
        .collect();
    o.set("phase", site.phase_label(&m.phase))
        .set("phase_slug", slugify(&m.phase))
        .set("target", m.target.to_string())
        .set("status", m.status.key())
        .set("status_label", site.i18n.text(m.status.message()))
        .set("done_on", date_value(m.done_on))
        .set("owner", refs.team(site, m.owner.get_ref()))
        .set(
            "teams",
            m.teams
                .iter()
                .map(|t| refs.team(site, t.get_ref()))
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
                Some(t) if overdue => Value::from(round_to(t.at(site.today) - t.at(m.target), 2)),
                _ => Value::from(0),
            },
        )
}

/// The fields of a recognition's value.
fn recognition(site: &Site, refs: &Refs, rec: &Recognition, o: Obj) -> Obj {
    let work = rec
        .work
        .as_ref()
        .and_then(|w| site.find(Kind::Improvement, w.get_ref()))
        .map_or_else(Value::none, |j| entry_ref(site, j));
    o.set("people", rec.people.clone())
        .set(
            "team",
            rec.team
                .as_ref()
                .map_or_else(Value::none, |t| refs.team(site, t.get_ref())),
        )
        .set("award", opt_str(rec.award.as_deref()))
        .set("work", work)
        .set("lobby", rec.lobby)
        .set("lobby_from", date_value(rec.lobby_from))
        .set("lobby_until", date_value(rec.lobby_until))
}

/// The fields of an announcement's value.
fn announcement(site: &Site, e: &Entry, i: usize, a: &Announcement, o: Obj) -> Obj {
    let tz = site.config.tz();
    let ms = |m: &crate::load::frontmatter::Moment, end: bool| {
        m.timestamp(&tz, end).map_or(0, |t| t.as_millisecond())
    };
    let (from_ms, until_ms) = (ms(&a.from, false), ms(&a.until, true));
    let now = site.today.to_datetime(jiff::civil::Time::midnight());
    let today_ms = tz
        .to_ambiguous_zoned(now)
        .compatible()
        .map_or(0, |z| z.timestamp().as_millisecond());
    o.set("from", moment_string(&a.from))
        .set("until", moment_string(&a.until))
        .set("from_ms", from_ms)
        .set("until_ms", until_ms)
        .set(
            "live_today",
            from_ms < today_ms + 86_400_000 && until_ms > today_ms,
        )
        .set(
            "key",
            crate::util::hash::short_hash(format!("{}\n{}", e.title, site.html(i)).as_bytes()),
        )
        .set("level", a.level)
        .set("screens", a.screens.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Diagnostics;

    fn english() -> Catalog {
        let theme = crate::load::theme::load(Path::new("/nonexistent-herald-site"), "default")
            .unwrap_or_else(|_| panic!("the embedded theme loads"));
        let mut diags = Diagnostics::new();
        let c = Catalog::build("en", &theme.i18n, &mut diags);
        assert!(diags.is_empty(), "{}", diags.render(false));
        c
    }

    fn metric(before: f64, after: f64, unit: &str) -> ImprovementMetric {
        ImprovementMetric {
            name: "m".into(),
            before: Figure::Number(before),
            after: Figure::Number(after),
            unit: unit.into(),
            better: Some("lower"),
        }
    }

    #[test]
    fn change_words_in_english_are_the_models() {
        let en = english();
        for (b, a, unit) in [
            (10.0, 2.0, "days"),
            (10.0, 10.0, "days"),
            (0.0, 5.0, "days"),
            (0.0, 1.0, "days"),
            (0.0, 3.5, ""),
            (33.0, 80.0, "%"),
            (34.0, 33.0, "percent"),
            (2.0, 3.0, "%"),
            (8.0, 7.999, ""),
            (3.0, 4.0, " calls "),
            (1200.0, 7.0, "ms"),
        ] {
            let m = metric(b, a, unit);
            assert_eq!(
                change_words(&en, &m),
                m.change_words(),
                "{b} → {a} {unit:?}"
            );
        }
        let text = ImprovementMetric {
            before: Figure::Text("1 in 3".into()),
            ..metric(1.0, 2.0, "")
        };
        assert_eq!(change_words(&en, &text), None);
    }

    #[test]
    fn every_message_the_views_ask_for_is_in_the_english_table() {
        let en = english();
        for id in [
            "improvement.change_none",
            "improvement.points_higher",
            "improvement.points_lower",
            "improvement.percent_higher",
            "improvement.percent_lower",
            "improvement.number_higher",
            "improvement.number_lower",
            "improvement.unit_higher",
            "improvement.unit_lower",
            "roadmap.quarter",
            "format.percent",
            "a11y.task_done",
            "a11y.task_open",
        ] {
            assert!(en.has(id), "{id} is not in themes/default/i18n/en.toml");
        }
        for (_, s) in crate::load::content::STATUSES {
            assert!(en.has(s.message()), "{}", s.message());
        }
    }
}
