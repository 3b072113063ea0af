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

use crate::load::metrics::{Lost, Metric, Metrics, Point, period_start};
use crate::util::number::{format_number, num, round_to};
use crate::util::value::Obj;

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

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A period for readers: (`Nov 2026`, `Nov`), (`Q3 2026`, `Q3`), (`2026`, `2026`),
/// (`14 Nov 2026`, `14 Nov`).
pub fn period_label(period: &str) -> (String, String) {
    let Some(d) = period_start(period) else {
        return (period.to_string(), period.to_string());
    };
    let month = MONTHS[(d.month() - 1) as usize];
    match period_kind(period) {
        PeriodKind::Month => (format!("{month} {}", d.year()), month.to_string()),
        PeriodKind::Quarter => {
            let q = (d.month() - 1) / 3 + 1;
            (format!("Q{q} {}", d.year()), format!("Q{q}"))
        }
        PeriodKind::Year => (d.year().to_string(), d.year().to_string()),
        PeriodKind::Day => (
            format!("{} {month} {}", d.day(), d.year()),
            format!("{} {month}", d.day()),
        ),
    }
}

/// A value with its unit: `88.4%`, `23 points`.
pub fn quantity(value: f64, unit: &str) -> String {
    let n = format_number(value, 2);
    match unit {
        "" => n,
        "%" | "pp" | "‰" => format!("{n}{unit}"),
        u if n == "1" && u.len() > 1 && u.ends_with('s') && u.chars().all(char::is_alphabetic) => {
            format!("{n} {}", &u[..u.len() - 1])
        }
        u => format!("{n} {u}"),
    }
}

/// The unit of a difference: the gap between two percentages is in points.
fn delta_unit(unit: &str) -> &str {
    if crate::util::number::is_percent_unit(unit) {
        "pts"
    } else {
        unit
    }
}

fn signed(value: f64, unit: &str) -> String {
    let q = quantity(value.abs(), delta_unit(unit));
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
    fn y_ticks(&self, step: f64, unit: &str) -> Vec<Value> {
        let decimals = step_decimals(step);
        let n = ((self.max - self.min) / step).round() as i64;
        (0..=n)
            .map(|i| {
                let v = self.min + step * i as f64;
                let v = (v * 10f64.powi(decimals as i32)).round() / 10f64.powi(decimals as i32);
                Obj::new()
                    .set("value", num(v))
                    .set("label", format_number(v, decimals))
                    .set("unit_label", quantity(v, unit))
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

fn point_value(period: &str, value: f64, unit: &str) -> Obj {
    let (label, short) = period_label(period);
    Obj::new()
        .set("period", period)
        .set("label", label)
        .set("short", short)
        .set("value", num(value))
        .set("display", quantity(value, unit))
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
pub fn target_phrase(m: &Metric, value: f64, t: f64) -> String {
    let unit = m.unit.as_str();
    let gap = t - value;
    if target_met(m, value, t) {
        format!("target {} met", quantity(t, unit))
    } else {
        format!(
            "{} {} target {}",
            quantity(gap.abs(), delta_unit(unit)),
            if gap > 0.0 { "below" } else { "above" },
            quantity(t, unit)
        )
    }
}

/// One metric's template value: figures, judgement, chart and sparkline.
pub fn metric_value(m: &Metric) -> Value {
    let unit = m.unit.as_str();
    let higher = m.better == "higher";
    let current = m.current();
    let previous = m.previous();
    let change = change_value(current, previous, unit, higher);
    let to_target = match (current, m.target) {
        (Some(c), Some(t)) => {
            let gap = t - c.value;
            Obj::new()
                .set("value", num(r2(gap * 100.0) / 100.0))
                .set("display", quantity(gap.abs(), delta_unit(unit)))
                .set("met", target_met(m, c.value, t))
                .set("phrase", target_phrase(m, c.value, t))
                .build()
        }
        _ => Value::none(),
    };
    let state = match (&current, previous) {
        (Some(c), Some(p)) if (c.value - p.value).abs() >= 1e-9 => {
            if (c.value > p.value) == higher {
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
        .map(|p| point_value(&p.period, p.value, unit).build())
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
                .map_or_else(Value::none, |t| Value::from(quantity(t, unit))),
        )
        .set(
            "current",
            current.map_or_else(Value::none, |p| {
                point_value(&p.period, p.value, unit).build()
            }),
        )
        .set(
            "previous",
            previous.map_or_else(Value::none, |p| {
                point_value(&p.period, p.value, unit).build()
            }),
        )
        .set("change", change)
        .set("to_target", to_target)
        .set("state", state)
        .set("points", points)
        .set("chart", line_chart(m))
        .set("sparkline", sparkline(m))
        .build()
}

/// The change from the previous value to the current one: by how much, in which direction,
/// since when, and whether that is good given which way is better; none without both values.
fn change_value(
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
        (Some(c), Some(p)) => {
            let delta = c.value - p.value;
            Obj::new()
                .set("value", num(r2(delta * 100.0) / 100.0))
                .set("display", signed(delta, unit))
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
                .set("since", period_label(&p.period).0)
                .build()
        }
        _ => Value::none(),
    }
}

fn describe(m: &Metric) -> String {
    let unit = m.unit.as_str();
    let (Some(first), Some(last)) = (m.points.first(), m.points.last()) else {
        return format!("No values recorded yet for {}.", m.name);
    };
    let every = match period_kind(&first.period) {
        PeriodKind::Month => "Monthly values",
        PeriodKind::Quarter => "Quarterly values",
        PeriodKind::Year => "Yearly values",
        PeriodKind::Day => "Values",
    };
    let mut s = format!(
        "{every} from {} to {}: {} then, {} now",
        period_label(&first.period).0,
        period_label(&last.period).0,
        quantity(first.value, unit),
        quantity(last.value, unit),
    );
    if let Some(t) = m.target {
        s.push_str(&format!("; the target is {}", quantity(t, unit)));
    }
    s.push_str(&format!(
        "; {} is better.",
        if m.better == "higher" {
            "higher"
        } else {
            "lower"
        }
    ));
    s
}

fn line_chart(m: &Metric) -> Value {
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
            point_value(&p.period, p.value, unit)
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
            .set("display", quantity(t, unit))
            .set("y", plot.y(t))
            .build()
    });
    let title = format!("{}: trend against target", m.name);
    Obj::new()
        .set(
            "id",
            format!("chart-{}", crate::util::slug::slugify(&m.key)),
        )
        .set("title", title)
        .set("desc", describe(m))
        .set("width", CHART_WIDTH)
        .set("height", CHART_HEIGHT)
        .set("plot", plot.value())
        .set("y_ticks", plot.y_ticks(step, unit))
        .set("y_min", num(min))
        .set("y_max", num(max))
        .set("points", points)
        .set("path", path_of(&coords))
        .set("target", target)
        .build()
}

fn sparkline(m: &Metric) -> Value {
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
    let first = recent.first().map(|p| period_label(&p.period).0);
    let last = recent.last().map(|p| period_label(&p.period).0);
    Obj::new()
        .set("width", SPARK_WIDTH)
        .set("height", SPARK_HEIGHT)
        .set("path", path_of(&coords))
        .set("last_x", lx)
        .set("last_y", ly)
        .set("target_y", target_y)
        .set(
            "label",
            format!(
                "Trend from {} to {}",
                first.unwrap_or_default(),
                last.unwrap_or_default()
            ),
        )
        .build()
}

/// Customers lost by reason: periods, reasons (largest overall first), a stacked bar chart.
pub fn lost_value(lost: &[Lost]) -> Value {
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
    let bars = lost_bars(lost, &totals, &reasons, &plot);
    let reason_values = lost_reason_values(lost, &reasons);
    let latest = lost.last().map_or_else(Value::none, latest_lost_value);
    let desc = lost_description(lost, &reasons);
    Obj::new()
        .set(
            "periods",
            lost.iter()
                .zip(&totals)
                .map(|(l, t)| point_value(&l.period, *t, "").set("total", num(*t)).build())
                .collect::<Vec<_>>(),
        )
        .set("reasons", reason_values)
        .set("latest", latest)
        .set(
            "chart",
            Obj::new()
                .set("id", "chart-lost")
                .set("title", "Customers lost, by reason")
                .set("desc", desc)
                .set("width", CHART_WIDTH)
                .set("height", CHART_HEIGHT)
                .set("plot", plot.value())
                .set("y_ticks", plot.y_ticks(step, ""))
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
fn lost_bars(lost: &[Lost], totals: &[f64], reasons: &[(String, f64)], plot: &Plot) -> Vec<Value> {
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
            let (label, short) = period_label(&l.period);
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
fn latest_lost_value(l: &Lost) -> Value {
    let total: f64 = l.reasons.iter().map(|(_, n)| n).sum();
    Obj::new()
        .set("period", l.period.as_str())
        .set("label", period_label(&l.period).0)
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
fn lost_description(lost: &[Lost], reasons: &[(String, f64)]) -> String {
    let first = period_label(&lost[0].period).0;
    let last = period_label(&lost[lost.len() - 1].period).0;
    format!(
        "Customers lost in each period from {first} to {last}, split by reason. {}",
        match (reasons.first(), lost.last()) {
            (Some((top, _)), Some(l)) => format!(
                "The biggest reason overall is {top}; in {} {} customers left.",
                period_label(&l.period).0,
                format_number(l.reasons.iter().map(|(_, n)| n).sum(), 0)
            ),
            _ => String::new(),
        }
    )
}

/// Every metric's value, in file order.
pub fn metrics_value(data: &Metrics) -> Vec<Value> {
    data.metrics.iter().map(metric_value).collect()
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
        assert_eq!(period_label("2026-11").0, "Nov 2026");
        assert_eq!(period_label("2026-Q3").1, "Q3");
        assert_eq!(period_label("2026").0, "2026");
        assert_eq!(period_label("2026-03-14").0, "14 Mar 2026");
        assert_eq!(quantity(88.4, "%"), "88.4%");
        assert_eq!(quantity(23.0, "points"), "23 points");
        assert_eq!(quantity(1.0, "points"), "1 point");
        assert_eq!(quantity(1.0, "per 10,000"), "1 per 10,000");
        assert_eq!(signed(-2.0, "%"), "−2 pts");
    }
}
