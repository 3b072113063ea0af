//! Customer math as template values: each metric's figures (current, previous, change, gap to
//! target, judged good or bad by its `better`) and chart geometry (nice axis ticks, point
//! coordinates, target line, sparkline, stacked bars for customers lost by reason).
//!
//! herald computes the numbers and coordinates; the theme's templates draw them as inline SVG, so
//! charts need no JavaScript, can be restyled by a theme, and carry an accessible title,
//! description and data table. A charting crate (plotters) was weighed and not used: it writes a
//! fixed-size SVG with inline colours and no hooks for `<title>`, `<desc>`, CSS classes or dark
//! mode, which is most of what these charts need.

use jiff::civil::Date;
use tera::Value;

use crate::i18n::Catalog;
use crate::i18n::locale::DateStyle;
use crate::load::metrics::{Lost, Metric, Metrics, Point, period_start};
use crate::util::number::{format_number, num, round_to};
use crate::util::value::Obj;

/// Message `id` with `n` shown with at most `decimals` decimals (choosing its plural form) and
/// named values.
fn message(c: &Catalog, id: &str, n: Option<(f64, usize)>, args: &[(&str, &str)]) -> String {
    let arg = |name: &str| {
        args.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| (*v).to_string())
    };
    c.render(id, n, &arg, false)
        .unwrap_or_else(|| id.to_string())
}

fn r2(x: f64) -> f64 {
    round_to(x, 2)
}

/// Width of a full chart's SVG viewBox.
pub const CHART_WIDTH: f64 = 640.0;
/// Height of a full chart's SVG viewBox.
pub const CHART_HEIGHT: f64 = 260.0;
const SPARK_WIDTH: f64 = 120.0;
const SPARK_HEIGHT: f64 = 36.0;

/// The shape of a period string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodKind {
    /// `2026-03`.
    Month,
    /// `2026-Q1`.
    Quarter,
    /// `2026`.
    Year,
    /// `2026-03-14`.
    Day,
}

/// What kind of period a string is (see [`period_start`] for the accepted forms).
pub fn period_kind(period: &str) -> PeriodKind {
    let p = period.trim();
    if p.len() == 10 {
        PeriodKind::Day
    } else if p.contains(['Q', 'q']) {
        PeriodKind::Quarter
    } else if p.contains('-') {
        PeriodKind::Month
    } else {
        PeriodKind::Year
    }
}

/// A period for readers, in the site's language: (`Nov 2026`, `Nov`), (`Q3 2026`, `Q3`),
/// (`2026`, `2026`), (`14 Nov 2026`, `14 Nov`).
pub fn period_label(c: &Catalog, period: &str) -> (String, String) {
    let Some(d) = period_start(period) else {
        return (period.to_string(), period.to_string());
    };
    let l = c.locale();
    let year = d.year().to_string();
    match period_kind(period) {
        PeriodKind::Month => (
            l.date(d, DateStyle::MonthYearShort),
            l.date(d, DateStyle::MonthShort),
        ),
        PeriodKind::Quarter => {
            let q = (d.month() - 1) / 3 + 1;
            (
                crate::view::digest::quarter_title(c, q, d.year()),
                message(
                    c,
                    "period.quarter_short",
                    None,
                    &[("quarter", &q.to_string())],
                ),
            )
        }
        PeriodKind::Year => (year.clone(), year),
        PeriodKind::Day => {
            let day_month = l.date(d, DateStyle::DayMonthShort);
            (
                message(
                    c,
                    "period.day",
                    None,
                    &[("day_month", &day_month), ("year", &year)],
                ),
                day_month,
            )
        }
    }
}

/// A value with its unit, in the site's language: `88.4%`, `23 points`.
pub fn quantity(c: &Catalog, value: f64, unit: &str) -> String {
    let n = c.locale().number(value, 2);
    match unit {
        "" => n,
        "%" => message(c, "format.percent", Some((value, 2)), &[]),
        "pp" | "‰" => format!("{n}{unit}"),
        // The author's unit in the singular for one ("1 point"), as English makes it.
        u if format_number(value, 2) == "1"
            && u.len() > 1
            && u.ends_with('s')
            && u.chars().all(char::is_alphabetic) =>
        {
            format!("{n} {}", &u[..u.len() - 1])
        }
        u => format!("{n} {u}"),
    }
}

/// A difference of `value` (not negative) in `unit`: the gap between two percentages is in
/// points ("2.6 pts").
fn difference(c: &Catalog, value: f64, unit: &str) -> String {
    if crate::util::number::is_percent_unit(unit) {
        message(c, "chart.points", Some((value, 2)), &[])
    } else {
        quantity(c, value, unit)
    }
}

fn signed(c: &Catalog, value: f64, unit: &str) -> String {
    let q = difference(c, value.abs(), unit);
    if format_number(value, 2) == "0" {
        q
    } else if value > 0.0 {
        format!("+{q}")
    } else {
        format!("−{q}")
    }
}

/// A "nice" axis from `lo` to `hi` with about `want` steps: (min, max, step).
pub fn nice_axis(lo: f64, hi: f64, want: usize) -> (f64, f64, f64) {
    let (mut lo, mut hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
    if (hi - lo).abs() < f64::EPSILON {
        let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        lo -= pad;
        hi += pad;
    }
    let raw = (hi - lo) / want.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let min = (lo / step).floor() * step;
    let max = (hi / step).ceil() * step;
    (min, max, step)
}

/// Decimal places a step needs to print without noise.
fn step_decimals(step: f64) -> usize {
    let mut d = 0;
    while d < 6
        && ((step * 10f64.powi(d as i32)).round() - step * 10f64.powi(d as i32)).abs() > 1e-6
    {
        d += 1;
    }
    d
}

struct Plot {
    left: f64,
    top: f64,
    width: f64,
    height: f64,
    min: f64,
    max: f64,
}

impl Plot {
    fn y(&self, v: f64) -> f64 {
        r2(self.top + (self.max - v) / (self.max - self.min) * self.height)
    }
    fn value(&self) -> Value {
        Obj::new()
            .set("left", self.left)
            .set("top", self.top)
            .set("width", self.width)
            .set("height", self.height)
            .set("right", self.left + self.width)
            .set("bottom", self.top + self.height)
            .build()
    }
    fn y_ticks(&self, c: &Catalog, step: f64, unit: &str) -> Vec<Value> {
        let decimals = step_decimals(step);
        let n = ((self.max - self.min) / step).round() as i64;
        (0..=n)
            .map(|i| {
                let v = self.min + step * i as f64;
                let v = (v * 10f64.powi(decimals as i32)).round() / 10f64.powi(decimals as i32);
                Obj::new()
                    .set("value", num(v))
                    .set("label", c.locale().number(v, decimals))
                    .set("unit_label", quantity(c, v, unit))
                    .set("y", self.y(v))
                    .build()
            })
            .collect()
    }
}

/// Horizontal positions for points at `dates`, by time, within `[left, left+width]`.
fn time_xs(dates: &[Date], left: f64, width: f64) -> Vec<f64> {
    match (dates.first(), dates.last()) {
        (Some(a), Some(b)) if a < b => {
            let span = (*b - *a).get_days() as f64;
            dates
                .iter()
                .map(|d| r2(left + (*d - *a).get_days() as f64 / span * width))
                .collect()
        }
        _ => dates.iter().map(|_| r2(left + width / 2.0)).collect(),
    }
}

fn path_of(points: &[(f64, f64)]) -> String {
    let mut s = String::new();
    for (i, (x, y)) in points.iter().enumerate() {
        s.push_str(if i == 0 { "M" } else { " L" });
        s.push_str(&format!("{x} {y}"));
    }
    s
}

fn point_value(c: &Catalog, period: &str, value: f64, unit: &str) -> Obj {
    let (label, short) = period_label(c, period);
    Obj::new()
        .set("period", period)
        .set("label", label)
        .set("short", short)
        .set("value", num(value))
        .set("display", quantity(c, value, unit))
}

/// Whether `value` meets the target `t`, given which way is better.
pub fn target_met(m: &Metric, value: f64, t: f64) -> bool {
    if m.better == "higher" {
        value >= t
    } else {
        value <= t
    }
}

/// "2.6 pts below target 92%", or "target 92% met".
pub fn target_phrase(c: &Catalog, m: &Metric, value: f64, t: f64) -> String {
    let unit = m.unit.as_str();
    let gap = t - value;
    let target = quantity(c, t, unit);
    if target_met(m, value, t) {
        message(c, "chart.target_met", None, &[("target", &target)])
    } else {
        let id = if gap > 0.0 {
            "chart.below_target"
        } else {
            "chart.above_target"
        };
        let gap = difference(c, gap.abs(), unit);
        message(c, id, None, &[("gap", &gap), ("target", &target)])
    }
}

/// One metric's template value: figures, judgement, chart and sparkline.
pub fn metric_value(c: &Catalog, m: &Metric) -> Value {
    let unit = m.unit.as_str();
    let higher = m.better == "higher";
    let current = m.current();
    let previous = m.previous();
    let change = change_value(c, current, previous, unit, higher);
    let to_target = match (current, m.target) {
        (Some(now), Some(t)) => {
            let gap = t - now.value;
            Obj::new()
                .set("value", num(r2(gap * 100.0) / 100.0))
                .set("display", difference(c, gap.abs(), unit))
                .set("met", target_met(m, now.value, t))
                .set("phrase", target_phrase(c, m, now.value, t))
                .build()
        }
        _ => Value::none(),
    };
    let state = match (&current, previous) {
        (Some(now), Some(p)) if (now.value - p.value).abs() >= 1e-9 => {
            if (now.value > p.value) == higher {
                "good"
            } else {
                "bad"
            }
        }
        _ => "flat",
    };
    let points: Vec<Value> = m
        .points
        .iter()
        .map(|p| point_value(c, &p.period, p.value, unit).build())
        .collect();
    Obj::new()
        .set("key", m.key.as_str())
        .set(
            "anchor",
            format!("metric-{}", crate::util::slug::slugify(&m.key)),
        )
        .set("name", m.name.as_str())
        .set("unit", unit)
        .set("better", m.better)
        .set("target", m.target.map_or_else(Value::none, num))
        .set(
            "target_display",
            m.target
                .map_or_else(Value::none, |t| Value::from(quantity(c, t, unit))),
        )
        .set(
            "current",
            current.map_or_else(Value::none, |p| {
                point_value(c, &p.period, p.value, unit).build()
            }),
        )
        .set(
            "previous",
            previous.map_or_else(Value::none, |p| {
                point_value(c, &p.period, p.value, unit).build()
            }),
        )
        .set("change", change)
        .set("to_target", to_target)
        .set("state", state)
        .set("points", points)
        .set("chart", line_chart(c, m))
        .set("sparkline", sparkline(c, m))
        .build()
}

/// The change from the previous value to the current one: by how much, in which direction,
/// since when, and whether that is good given which way is better; none without both values.
fn change_value(
    c: &Catalog,
    current: Option<&Point>,
    previous: Option<&Point>,
    unit: &str,
    higher: bool,
) -> Value {
    let good_if = |delta: f64| -> Value {
        if delta.abs() < 1e-9 {
            Value::none()
        } else {
            Value::from((delta > 0.0) == higher)
        }
    };
    match (current, previous) {
        (Some(now), Some(p)) => {
            let delta = now.value - p.value;
            Obj::new()
                .set("value", num(r2(delta * 100.0) / 100.0))
                .set("display", signed(c, delta, unit))
                .set(
                    "percent",
                    if p.value.abs() > f64::EPSILON {
                        num(r2(delta / p.value.abs() * 100.0))
                    } else {
                        Value::none()
                    },
                )
                .set(
                    "direction",
                    if delta.abs() < 1e-9 {
                        "flat"
                    } else if delta > 0.0 {
                        "up"
                    } else {
                        "down"
                    },
                )
                .set("good", good_if(delta))
                .set("since", period_label(c, &p.period).0)
                .build()
        }
        _ => Value::none(),
    }
}

/// A chart's text description, for screen readers and the caption.
fn describe(c: &Catalog, m: &Metric) -> String {
    let unit = m.unit.as_str();
    let (Some(first), Some(last)) = (m.points.first(), m.points.last()) else {
        return message(c, "chart.no_values", None, &[("metric", &m.name)]);
    };
    let every = match period_kind(&first.period) {
        PeriodKind::Month => "chart.values_monthly",
        PeriodKind::Quarter => "chart.values_quarterly",
        PeriodKind::Year => "chart.values_yearly",
        PeriodKind::Day => "chart.values",
    };
    let values = message(
        c,
        every,
        None,
        &[
            ("first", &period_label(c, &first.period).0),
            ("last", &period_label(c, &last.period).0),
            ("first_value", &quantity(c, first.value, unit)),
            ("last_value", &quantity(c, last.value, unit)),
        ],
    );
    let better = c.text(if m.better == "higher" {
        "chart.higher_better"
    } else {
        "chart.lower_better"
    });
    match m.target {
        Some(t) => message(
            c,
            "chart.describe_target",
            None,
            &[
                ("values", &values),
                ("target", &quantity(c, t, unit)),
                ("better", &better),
            ],
        ),
        None => message(
            c,
            "chart.describe",
            None,
            &[("values", &values), ("better", &better)],
        ),
    }
}

fn line_chart(c: &Catalog, m: &Metric) -> Value {
    let unit = m.unit.as_str();
    let dates: Vec<Date> = m
        .points
        .iter()
        .filter_map(|p| period_start(&p.period))
        .collect();
    let values: Vec<f64> = m.points.iter().map(|p| p.value).collect();
    let lo = values
        .iter()
        .copied()
        .chain(m.target)
        .fold(f64::INFINITY, f64::min);
    let hi = values
        .iter()
        .copied()
        .chain(m.target)
        .fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (0.0, 1.0) };
    let (min, max, step) = nice_axis(lo, hi, 5);
    let plot = Plot {
        left: 56.0,
        top: 16.0,
        width: CHART_WIDTH - 56.0 - 24.0,
        height: CHART_HEIGHT - 16.0 - 44.0,
        min,
        max,
    };
    let xs = time_xs(&dates, plot.left + 8.0, plot.width - 16.0);
    let coords: Vec<(f64, f64)> = xs
        .iter()
        .zip(&values)
        .map(|(x, v)| (*x, plot.y(*v)))
        .collect();
    let every = m.points.len().div_ceil(12).max(1);
    let mut last_year = None;
    let points: Vec<Value> = m
        .points
        .iter()
        .zip(&coords)
        .enumerate()
        .map(|(i, (p, (x, y)))| {
            let year = period_start(&p.period).map(|d| d.year());
            let show = i % every == 0 || i + 1 == m.points.len();
            let year_label = if show && year != last_year {
                last_year = year;
                year.map_or_else(Value::none, |y| Value::from(y.to_string()))
            } else {
                Value::none()
            };
            point_value(c, &p.period, p.value, unit)
                .set("x", *x)
                .set("y", *y)
                .set("tick", show)
                .set(
                    "year",
                    if period_kind(&p.period) == PeriodKind::Year {
                        Value::none()
                    } else {
                        year_label
                    },
                )
                .build()
        })
        .collect();
    let target = m.target.map_or_else(Value::none, |t| {
        Obj::new()
            .set("value", num(t))
            .set("display", quantity(c, t, unit))
            .set("y", plot.y(t))
            .build()
    });
    let title = message(c, "chart.trend_title", None, &[("metric", &m.name)]);
    Obj::new()
        .set(
            "id",
            format!("chart-{}", crate::util::slug::slugify(&m.key)),
        )
        .set("title", title)
        .set("desc", describe(c, m))
        .set("width", CHART_WIDTH)
        .set("height", CHART_HEIGHT)
        .set("plot", plot.value())
        .set("y_ticks", plot.y_ticks(c, step, unit))
        .set("y_min", num(min))
        .set("y_max", num(max))
        .set("points", points)
        .set("path", path_of(&coords))
        .set("target", target)
        .build()
}

fn sparkline(c: &Catalog, m: &Metric) -> Value {
    let recent: Vec<&crate::load::metrics::Point> = m.points.iter().rev().take(12).rev().collect();
    if recent.is_empty() {
        return Value::none();
    }
    let values: Vec<f64> = recent.iter().map(|p| p.value).collect();
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if (hi - lo).abs() < f64::EPSILON {
        (lo - 1.0, hi + 1.0)
    } else {
        (lo, hi)
    };
    let plot = Plot {
        left: 3.0,
        top: 4.0,
        width: SPARK_WIDTH - 6.0,
        height: SPARK_HEIGHT - 8.0,
        min: lo,
        max: hi,
    };
    let dates: Vec<Date> = recent
        .iter()
        .filter_map(|p| period_start(&p.period))
        .collect();
    let xs = time_xs(&dates, plot.left, plot.width);
    let coords: Vec<(f64, f64)> = xs
        .iter()
        .zip(&values)
        .map(|(x, v)| (*x, plot.y(*v)))
        .collect();
    let (lx, ly) = coords.last().copied().unwrap_or((0.0, 0.0));
    let target_y = m
        .target
        .filter(|t| *t >= lo && *t <= hi)
        .map_or_else(Value::none, |t| Value::from(plot.y(t)));
    let first = recent.first().map(|p| period_label(c, &p.period).0);
    let last = recent.last().map(|p| period_label(c, &p.period).0);
    Obj::new()
        .set("width", SPARK_WIDTH)
        .set("height", SPARK_HEIGHT)
        .set("path", path_of(&coords))
        .set("last_x", lx)
        .set("last_y", ly)
        .set("target_y", target_y)
        .set(
            "label",
            message(
                c,
                "chart.sparkline",
                None,
                &[
                    ("first", &first.unwrap_or_default()),
                    ("last", &last.unwrap_or_default()),
                ],
            ),
        )
        .build()
}

/// Customers lost by reason: periods, reasons (largest overall first), a stacked bar chart.
pub fn lost_value(c: &Catalog, lost: &[Lost]) -> Value {
    if lost.is_empty() {
        return Value::none();
    }
    let reasons = reasons_by_total(lost);
    let totals: Vec<f64> = lost
        .iter()
        .map(|l| l.reasons.iter().map(|(_, n)| n).sum())
        .collect();
    let (_, max, step) = nice_axis(0.0, totals.iter().copied().fold(0.0, f64::max), 5);
    let plot = Plot {
        left: 56.0,
        top: 16.0,
        width: CHART_WIDTH - 56.0 - 24.0,
        height: CHART_HEIGHT - 16.0 - 44.0,
        min: 0.0,
        max,
    };
    let bars = lost_bars(c, lost, &totals, &reasons, &plot);
    let reason_values = lost_reason_values(lost, &reasons);
    let latest = lost
        .last()
        .map_or_else(Value::none, |l| latest_lost_value(c, l));
    let desc = lost_description(c, lost, &reasons);
    Obj::new()
        .set(
            "periods",
            lost.iter()
                .zip(&totals)
                .map(|(l, t)| {
                    point_value(c, &l.period, *t, "")
                        .set("total", num(*t))
                        .build()
                })
                .collect::<Vec<_>>(),
        )
        .set("reasons", reason_values)
        .set("latest", latest)
        .set(
            "chart",
            Obj::new()
                .set("id", "chart-lost")
                .set("title", c.text("chart.lost_title"))
                .set("desc", desc)
                .set("width", CHART_WIDTH)
                .set("height", CHART_HEIGHT)
                .set("plot", plot.value())
                .set("y_ticks", plot.y_ticks(c, step, ""))
                .set("y_min", 0)
                .set("y_max", num(max))
                .set("bars", bars)
                .build(),
        )
        .build()
}

/// Every reason customers were lost for, with its total over all periods: largest first, then
/// by name.
fn reasons_by_total(lost: &[Lost]) -> Vec<(String, f64)> {
    let mut reasons: Vec<(String, f64)> = Vec::new();
    for l in lost {
        for (r, n) in &l.reasons {
            match reasons.iter_mut().find(|(name, _)| name == r) {
                Some((_, t)) => *t += n,
                None => reasons.push((r.clone(), *n)),
            }
        }
    }
    reasons.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    reasons
}

/// How many customers one period lost for reason `r` (0 when it names no such reason).
fn count_of(l: &Lost, r: &str) -> f64 {
    l.reasons
        .iter()
        .find(|(name, _)| name == r)
        .map_or(0.0, |(_, n)| *n)
}

/// One stacked bar per period: its place on the chart, its total and a segment per reason with
/// customers lost, in the order of `reasons`.
fn lost_bars(
    c: &Catalog,
    lost: &[Lost],
    totals: &[f64],
    reasons: &[(String, f64)],
    plot: &Plot,
) -> Vec<Value> {
    let band = plot.width / lost.len() as f64;
    let bar_w = r2((band * 0.6).min(72.0));
    lost.iter()
        .zip(totals)
        .enumerate()
        .map(|(i, (l, total))| {
            let x = r2(plot.left + band * i as f64 + (band - bar_w) / 2.0);
            let mut acc = 0.0;
            let segments: Vec<Value> = reasons
                .iter()
                .enumerate()
                .filter_map(|(ri, (r, _))| {
                    let n = count_of(l, r);
                    if n <= 0.0 {
                        return None;
                    }
                    let y_top = plot.y(acc + n);
                    let y_bottom = plot.y(acc);
                    acc += n;
                    Some(
                        Obj::new()
                            .set("reason", r.as_str())
                            .set("series", ri % 8)
                            .set("value", num(n))
                            .set("y", y_top)
                            .set("height", r2(y_bottom - y_top))
                            .build(),
                    )
                })
                .collect();
            let (label, short) = period_label(c, &l.period);
            Obj::new()
                .set("period", l.period.as_str())
                .set("label", label)
                .set("short", short)
                .set("x", x)
                .set("center", r2(x + bar_w / 2.0))
                .set("width", bar_w)
                .set("total", num(*total))
                .set("total_y", plot.y(*total))
                .set("segments", segments)
                .build()
        })
        .collect()
}

/// Each reason's template value: its name, series colour, total and count in every period.
fn lost_reason_values(lost: &[Lost], reasons: &[(String, f64)]) -> Vec<Value> {
    reasons
        .iter()
        .enumerate()
        .map(|(ri, (r, t))| {
            Obj::new()
                .set("name", r.as_str())
                .set("series", ri % 8)
                .set("total", num(*t))
                .set(
                    "values",
                    lost.iter().map(|l| num(count_of(l, r))).collect::<Vec<_>>(),
                )
                .build()
        })
        .collect()
}

/// The latest period's losses: its total, each reason with its share, and the first reason.
fn latest_lost_value(c: &Catalog, l: &Lost) -> Value {
    let total: f64 = l.reasons.iter().map(|(_, n)| n).sum();
    Obj::new()
        .set("period", l.period.as_str())
        .set("label", period_label(c, &l.period).0)
        .set("total", num(total))
        .set(
            "reasons",
            l.reasons
                .iter()
                .map(|(r, n)| {
                    Obj::new()
                        .set("name", r.as_str())
                        .set("value", num(*n))
                        .set(
                            "percent",
                            if total > 0.0 {
                                num((n / total * 100.0).round())
                            } else {
                                num(0.0)
                            },
                        )
                        .build()
                })
                .collect::<Vec<_>>(),
        )
        .set(
            "top",
            l.reasons
                .first()
                .map_or_else(Value::none, |(r, _)| Value::from(r.as_str())),
        )
        .build()
}

/// The chart's accessible description: the periods it covers, the biggest reason overall and
/// how many customers the latest period lost. `lost` is not empty.
fn lost_description(c: &Catalog, lost: &[Lost], reasons: &[(String, f64)]) -> String {
    let first = period_label(c, &lost[0].period).0;
    let last = period_label(c, &lost[lost.len() - 1].period).0;
    let head = message(
        c,
        "chart.lost_desc",
        None,
        &[("first", &first), ("last", &last)],
    );
    let top = match (reasons.first(), lost.last()) {
        (Some((top, _)), Some(l)) => message(
            c,
            "chart.lost_desc_top",
            Some((l.reasons.iter().map(|(_, n)| n).sum(), 0)),
            &[("reason", top), ("period", &period_label(c, &l.period).0)],
        ),
        _ => String::new(),
    };
    format!("{head} {top}")
}

/// Every metric's value, in file order.
pub fn metrics_value(c: &Catalog, data: &Metrics) -> Vec<Value> {
    data.metrics.iter().map(|m| metric_value(c, m)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_axes_cover_the_range_with_round_steps() {
        assert_eq!(nice_axis(88.1, 92.0, 5), (88.0, 92.0, 1.0));
        assert_eq!(nice_axis(0.0, 555.0, 5), (0.0, 600.0, 200.0));
        assert_eq!(nice_axis(7.0, 30.0, 5), (5.0, 30.0, 5.0));
        let (lo, hi, _) = nice_axis(5.0, 5.0, 5);
        assert!(lo < 5.0 && hi > 5.0);
    }

    #[test]
    fn periods_read_naturally() {
        let c = crate::view::digest::tests::english();
        assert_eq!(period_label(&c, "2026-11").0, "Nov 2026");
        assert_eq!(period_label(&c, "2026-09").1, "Sep");
        assert_eq!(period_label(&c, "2026-Q3"), ("Q3 2026".into(), "Q3".into()));
        assert_eq!(period_label(&c, "2026").0, "2026");
        assert_eq!(
            period_label(&c, "2026-03-14"),
            ("14 Mar 2026".into(), "14 Mar".into())
        );
        assert_eq!(quantity(&c, 88.4, "%"), "88.4%");
        assert_eq!(quantity(&c, 23.0, "points"), "23 points");
        assert_eq!(quantity(&c, 1.0, "points"), "1 point");
        assert_eq!(quantity(&c, 1.0, "per 10,000"), "1 per 10,000");
        assert_eq!(signed(&c, -2.0, "%"), "−2 pts");
        assert_eq!(signed(&c, 1.0, "percent"), "+1 pt");
    }

    /// Every message id herald's Rust asks for in these outputs is in the English table (a
    /// missing one would print its id).
    #[test]
    fn every_message_asked_for_exists() {
        let c = crate::view::digest::tests::english();
        let sources = [
            include_str!("charts.rs"),
            include_str!("digest.rs"),
            include_str!("lobby.rs"),
            include_str!("../output/feeds.rs"),
        ];
        let sections = ["chart", "period", "feed", "lobby", "format", "nav"];
        let mut asked = 0;
        for src in sources {
            for section in sections {
                let start = format!("\"{section}.");
                for (at, _) in src.match_indices(&start) {
                    let rest = &src[at + start.len()..];
                    let Some(end) = rest.find('"') else { continue };
                    let rest = &rest[..end];
                    if rest.is_empty()
                        || rest == "rs"
                        || !rest.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_')
                    {
                        continue;
                    }
                    asked += 1;
                    let id = format!("{section}.{rest}");
                    assert!(c.has(&id), "no message {id:?} in en.toml");
                }
            }
        }
        assert!(asked > 20, "{asked}");
    }
}
