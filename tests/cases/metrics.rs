//! `/metrics/` and the home page's headline tiles: each chart has one point per period at the
//! height its value calls for, a target line on the same scale, and a data table with the same
//! numbers; customers lost by reason stack to each period's total. Figures come from
//! `data/metrics.toml` and `data/*.csv`, read here without herald.

use scraper::{ElementRef, Html, Selector};

use crate::support::{TestSite, repo};

struct Metric {
    key: String,
    better: String,
    target: Option<f64>,
    points: Vec<(String, f64)>,
}

fn metrics() -> Vec<Metric> {
    let text = std::fs::read_to_string(repo().join("data/metrics.toml")).expect("metrics.toml");
    let table: toml::Table = text.parse().expect("TOML");
    let mut out = Vec::new();
    for m in table["metric"].as_array().expect("metrics") {
        let key = m["key"].as_str().expect("key").to_string();
        let csv = repo().join(format!("data/{key}.csv"));
        let points: Vec<(String, f64)> = if csv.is_file() {
            std::fs::read_to_string(csv)
                .expect("csv")
                .lines()
                .skip(1)
                .filter(|l| !l.trim().is_empty())
                .map(|l| {
                    let (p, v) = l.split_once(',').expect("two columns");
                    (p.to_string(), v.trim().parse().expect("number"))
                })
                .collect()
        } else {
            m["points"]
                .as_array()
                .expect("points")
                .iter()
                .map(|p| {
                    (
                        p["period"].as_str().expect("period").to_string(),
                        p["value"]
                            .as_float()
                            .or_else(|| p["value"].as_integer().map(|i| i as f64))
                            .expect("value"),
                    )
                })
                .collect()
        };
        out.push(Metric {
            key,
            better: m["better"].as_str().expect("better").to_string(),
            target: m
                .get("target")
                .and_then(|t| t.as_float().or_else(|| t.as_integer().map(|i| i as f64))),
            points,
        });
    }
    out
}

fn sel(css: &str) -> Selector {
    Selector::parse(css).expect("selector")
}

fn num(e: ElementRef<'_>, attr: &str) -> f64 {
    e.value()
        .attr(attr)
        .unwrap_or_else(|| panic!("no {attr} on {:?}", e.value()))
        .parse()
        .unwrap_or_else(|_| panic!("{attr} is not a number"))
}

/// The y coordinate of a horizontal line or tick: `y1` when it is a line, else its `y`.
fn line_y(e: ElementRef<'_>) -> f64 {
    if e.value().attr("y1").is_some() {
        num(e, "y1")
    } else {
        let line = e.select(&sel("line")).next().expect("a tick has a line");
        num(line, "y1")
    }
}

#[test]
fn each_metric_chart_plots_every_period_to_scale_against_its_target() {
    let site = TestSite::example();
    site.build_ok("2026-11-23");
    let doc: Html = site.html("metrics/index.html");
    let all = metrics();
    assert!(all.len() >= 4);
    for m in &all {
        let id = format!("chart-{}", m.key);
        let svg = doc
            .select(&sel(&format!("svg#{id}")))
            .next()
            .unwrap_or_else(|| panic!("no chart for {}", m.key));
        assert_eq!(svg.value().attr("role"), Some("img"));
        let labelled = svg.value().attr("aria-labelledby").unwrap_or_default();
        for part in labelled.split_whitespace() {
            let named = doc.select(&sel(&format!("#{part}"))).next();
            assert!(
                named.is_some_and(|n| !n.text().collect::<String>().trim().is_empty()),
                "{id}: #{part} names the chart"
            );
        }
        assert!(svg.select(&sel("title")).next().is_some(), "{id}: <title>");
        assert!(svg.select(&sel("desc")).next().is_some(), "{id}: <desc>");

        let points: Vec<ElementRef<'_>> = svg.select(&sel("circle.chart__point")).collect();
        assert_eq!(points.len(), m.points.len(), "{id}: one point per period");
        let periods: Vec<&str> = points
            .iter()
            .map(|p| p.value().attr("data-period").unwrap_or_default())
            .collect();
        let expected: Vec<&str> = m.points.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(periods, expected, "{id}: in period order");

        // One linear scale y = a + b·value must fit every point, the target line and every tick.
        let (ys, vs): (Vec<f64>, Vec<f64>) = points
            .iter()
            .zip(&m.points)
            .map(|(p, (_, v))| {
                assert!(
                    (num(*p, "data-value") - v).abs() < 1e-9,
                    "{id}: data-value matches the data"
                );
                (num(*p, "cy"), *v)
            })
            .unzip();
        let ticks: Vec<(f64, f64)> = svg
            .select(&sel(".chart__tick"))
            .map(|t| (num(t, "data-value"), line_y(t)))
            .collect();
        assert!(ticks.len() >= 3, "{id}: an axis with ticks");
        let (lo, hi) = ticks.iter().fold((ticks[0], ticks[0]), |(lo, hi), t| {
            (
                if t.0 < lo.0 { *t } else { lo },
                if t.0 > hi.0 { *t } else { hi },
            )
        });
        let b = (hi.1 - lo.1) / (hi.0 - lo.0);
        let a = lo.1 - b * lo.0;
        assert!(b < 0.0, "{id}: higher values are drawn higher");
        for (y, v) in ys.iter().zip(&vs) {
            assert!(
                (a + b * v - y).abs() < 0.05,
                "{id}: the point for {v} is at y={y}, the scale says {}",
                a + b * v
            );
        }
        for (v, y) in &ticks {
            assert!((a + b * v - y).abs() < 0.05, "{id}: tick {v}");
        }
        let xs: Vec<f64> = points.iter().map(|p| num(*p, "cx")).collect();
        assert!(
            xs.windows(2).all(|w| w[0] < w[1]),
            "{id}: time runs left to right"
        );
        if let Some(t) = m.target {
            let line = svg
                .select(&sel(".chart__target"))
                .next()
                .unwrap_or_else(|| panic!("{id}: no target line"));
            assert!((num(line, "data-value") - t).abs() < 1e-9);
            assert!(
                (a + b * t - line_y(line)).abs() < 0.05,
                "{id}: the target line sits at {t}"
            );
        }

        // The data table carries the same numbers.
        let table = doc
            .select(&sel(&format!("table#{id}-data")))
            .next()
            .unwrap_or_else(|| panic!("{id}: no data table"));
        let rows: Vec<(String, f64)> = table
            .select(&sel("tr[data-period]"))
            .map(|r| {
                let cell = r.select(&sel("td[data-value]")).next().expect("value cell");
                (
                    r.value()
                        .attr("data-period")
                        .unwrap_or_default()
                        .to_string(),
                    num(cell, "data-value"),
                )
            })
            .collect();
        assert_eq!(rows, m.points, "{id}: the table matches the chart");
        let shown: Vec<String> = table
            .select(&sel("tr[data-period] td[data-value]"))
            .map(|c| c.text().collect::<String>())
            .collect();
        for ((_, v), s) in m.points.iter().zip(&shown) {
            let first = s.split_whitespace().next().unwrap_or_default();
            let printed = first.trim_end_matches(|c: char| !c.is_ascii_digit());
            let parsed: f64 = printed.parse().unwrap_or(f64::NAN);
            assert!(
                (parsed - v).abs() < 0.005,
                "{id}: table shows {s:?} for {v}"
            );
        }
    }
}

#[test]
fn customers_lost_stack_to_each_periods_total() {
    let text = std::fs::read_to_string(repo().join("data/metrics.toml")).expect("metrics.toml");
    let table: toml::Table = text.parse().expect("TOML");
    let lost = table["lost"].as_array().expect("lost");
    let site = TestSite::example();
    site.build_ok("2026-11-23");
    let doc = site.html("metrics/index.html");
    let svg = doc
        .select(&sel("svg#chart-lost"))
        .next()
        .expect("lost chart");
    let mut scale = None;
    for l in lost {
        let period = l["period"].as_str().expect("period");
        let reasons = l["reasons"].as_table().expect("reasons");
        let bars: Vec<ElementRef<'_>> = svg
            .select(&sel(&format!("rect.chart__bar[data-period=\"{period}\"]")))
            .collect();
        assert_eq!(
            bars.len(),
            reasons.len(),
            "{period}: one segment per reason"
        );
        for bar in &bars {
            let reason = bar.value().attr("data-reason").expect("reason");
            let want = reasons[reason]
                .as_float()
                .or_else(|| reasons[reason].as_integer().map(|i| i as f64))
                .expect("count");
            assert!((num(*bar, "data-value") - want).abs() < 1e-9);
            let per_unit = num(*bar, "height") / want;
            let s = *scale.get_or_insert(per_unit);
            assert!(
                (per_unit - s).abs() * want < 0.05,
                "{period}/{reason}: segment height is proportional to its count"
            );
        }
        let row = doc
            .select(&sel(&format!(
                "table#chart-lost-data tr[data-period=\"{period}\"]"
            )))
            .next()
            .unwrap_or_else(|| panic!("{period} in the table"));
        let text: String = row.text().collect();
        for (_, n) in reasons {
            let n = n.as_integer().expect("whole customers");
            assert!(text.contains(&n.to_string()), "{period}: {n} in {text:?}");
        }
    }
}

#[test]
fn the_home_page_has_a_headline_tile_per_metric() {
    let site = TestSite::example();
    site.build_ok("2026-11-23");
    let doc = site.html("index.html");
    for m in metrics() {
        let tile = doc
            .select(&sel(&format!(
                "#headline-metrics .metric-tile[data-metric=\"{}\"]",
                m.key
            )))
            .next()
            .unwrap_or_else(|| panic!("no tile for {}", m.key));
        let class = tile.value().attr("class").unwrap_or_default();
        let n = m.points.len();
        let (prev, cur) = (m.points[n - 2].1, m.points[n - 1].1);
        let state = if (cur - prev).abs() < 1e-9 {
            "flat"
        } else if (cur > prev) == (m.better == "higher") {
            "good"
        } else {
            "bad"
        };
        assert!(
            class.contains(&format!("metric-tile--{state}")),
            "{}: {prev} → {cur} with better = {} is {state}: {class}",
            m.key,
            m.better
        );
        let text: String = tile.text().collect();
        let (period, _) = &m.points[n - 1];
        let (year, month) = period.split_once('-').expect("monthly");
        let months = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let label = format!(
            "{} {year}",
            months[month.parse::<usize>().expect("month") - 1]
        );
        assert!(text.contains(&label), "{}: as of {label}: {text}", m.key);
        let current = crate::support::collapse(&text);
        let shown = format!("{cur}");
        assert!(
            current.contains(&shown),
            "{}: shows {shown}: {current}",
            m.key
        );
        assert!(
            tile.select(&sel("svg path")).next().is_some(),
            "{}: a sparkline",
            m.key
        );
    }
}

#[test]
fn lobby_screens_get_a_metric_slide_with_the_same_figures() {
    let site = TestSite::example();
    site.build_ok("2026-11-23");
    let data: serde_json::Value =
        serde_json::from_str(&site.read("lobby/reception/data.json")).expect("lobby data");
    let items = data["items"].as_array().expect("items");
    for m in metrics() {
        let item = items
            .iter()
            .find(|i| i["id"] == format!("metrics/{}", m.key))
            .unwrap_or_else(|| panic!("no lobby slide for {}", m.key));
        let n = m.points.len();
        assert_eq!(item["current"].as_f64(), Some(m.points[n - 1].1));
        assert_eq!(item["previous"].as_f64(), Some(m.points[n - 2].1));
        assert_eq!(item["better"], m.better.as_str());
        let recent: Vec<f64> = m.points.iter().rev().take(12).rev().map(|p| p.1).collect();
        assert_eq!(
            item["trend"]
                .as_array()
                .expect("trend")
                .iter()
                .filter_map(serde_json::Value::as_f64)
                .collect::<Vec<_>>(),
            recent,
            "{}: the sparkline's points",
            m.key
        );
        let url = item["url"].as_str().expect("url");
        let anchor = url
            .rsplit_once('#')
            .expect("a link to the metric's chart")
            .1;
        assert!(url.starts_with("https://intranet.example.com/customers/metrics/#"));
        let page = site.html("metrics/index.html");
        assert_eq!(
            crate::support::attrs(&page, &format!("#{anchor}"), "id").len(),
            1,
            "{}: the QR code opens the metric's own chart",
            m.key
        );
        if m.target.is_some() {
            let phrase = item["to_target"].as_str().unwrap_or_default();
            assert!(
                phrase.contains("target"),
                "{}: the gap to target: {phrase:?}",
                m.key
            );
        }
    }
}
