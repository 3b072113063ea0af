//! Customer math: `data/metrics.toml` (metrics with monthly or quarterly points, and customers
//! lost by reason) and `data/KEY.csv` files (`period,value`) that supply a metric's points.
//! Every bad row is reported with its file and line.

use std::path::Path;
use std::sync::Arc;

use jiff::civil::Date;

use crate::diagnostics::{Diagnostic, Diagnostics, display_path};
use crate::load::frontmatter::Reader;
use crate::schema::METRICS_FILE;

/// One measured point.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// `2026-03`, `2026-Q1`, `2026` or `2026-03-14`.
    pub period: String,
    /// The value.
    pub value: f64,
}

/// A metric the programme steers by.
#[derive(Debug, Clone)]
pub struct Metric {
    /// Identifier; `data/KEY.csv` supplies its points.
    pub key: String,
    /// Shown to readers.
    pub name: String,
    /// Unit ("%", "days").
    pub unit: String,
    /// `higher` or `lower`.
    pub better: &'static str,
    /// The goal, if any.
    pub target: Option<f64>,
    /// Points in period order.
    pub points: Vec<Point>,
}

impl Metric {
    /// The latest point.
    pub fn current(&self) -> Option<&Point> {
        self.points.last()
    }

    /// The point before the latest.
    pub fn previous(&self) -> Option<&Point> {
        self.points
            .len()
            .checked_sub(2)
            .and_then(|i| self.points.get(i))
    }
}

/// Customers lost in one period, by reason.
#[derive(Debug, Clone)]
pub struct Lost {
    /// The period.
    pub period: String,
    /// Reason and count, largest first.
    pub reasons: Vec<(String, f64)>,
}

/// Everything under `data/`.
#[derive(Debug, Clone, Default)]
pub struct Metrics {
    /// Metrics in file order.
    pub metrics: Vec<Metric>,
    /// Lost customers by period, in period order.
    pub lost: Vec<Lost>,
}

/// The first day of a period: `2026-03` → 2026-03-01, `2026-Q3` → 2026-07-01, `2026` →
/// 2026-01-01, `2026-03-14` → itself.
pub fn period_start(period: &str) -> Option<Date> {
    let p = period.trim();
    if let Ok(d) = p.parse::<Date>()
        && p.len() == 10
    {
        return Some(d);
    }
    let (year, rest) = p.split_once('-').unwrap_or((p, ""));
    let year: i16 = year.parse().ok().filter(|y| (1900..=9999).contains(y))?;
    let month: i8 = match rest {
        "" => 1,
        q if q.len() == 2 && (q.starts_with('Q') || q.starts_with('q')) => {
            match q[1..].parse::<i8>().ok()? {
                n @ 1..=4 => (n - 1) * 3 + 1,
                _ => return None,
            }
        }
        m if m.len() == 2 => m.parse::<i8>().ok().filter(|m| (1..=12).contains(m))?,
        _ => return None,
    };
    Date::new(year, month, 1).ok()
}

const PERIOD_HINT: &str =
    "write periods as 2026-03 (a month), 2026-Q1 (a quarter), 2026 (a year) or 2026-03-14 (a day)";

/// Loads `root/data/`. A site without it has no metrics.
pub fn load(root: &Path) -> (Metrics, Diagnostics) {
    let mut diags = Diagnostics::new();
    let mut data = Metrics::default();
    let dir = root.join("data");
    let toml_path = dir.join("metrics.toml");
    if toml_path.is_file() {
        load_toml(root, &toml_path, &mut data, &mut diags);
    }
    if dir.is_dir() {
        let mut csvs: Vec<_> = std::fs::read_dir(&dir)
            .map(|rd| {
                rd.flatten()
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "csv"))
                    .collect()
            })
            .unwrap_or_default();
        csvs.sort();
        for path in csvs {
            let key = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let display = display_path(root, &path);
            let Some(metric) = data.metrics.iter_mut().find(|m| m.key == key) else {
                diags.push(
                    Diagnostic::warning(
                        &display,
                        format!("no metric has key {key:?}, so this file is not used"),
                    )
                    .with_hint(
                        match crate::diagnostics::did_you_mean(
                            &key,
                            data.metrics.iter().map(|m| m.key.as_str()),
                        ) {
                            Some(k) => format!("did you mean data/{k}.csv? rename the file, or add a [[metric]] with key {key:?} to data/metrics.toml"),
                            None => "add a [[metric]] with this key to data/metrics.toml, or rename the file".to_string(),
                        },
                    ),
                );
                continue;
            };
            if let Some(points) = load_csv(&path, &display, &mut diags) {
                metric.points = points;
            }
        }
    }
    for m in &mut data.metrics {
        m.points.sort_by_key(|p| period_start(&p.period));
    }
    data.lost.sort_by_key(|l| period_start(&l.period));
    (data, diags)
}

fn load_toml(root: &Path, path: &Path, data: &mut Metrics, diags: &mut Diagnostics) {
    let display = display_path(root, path);
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            diags.push(
                Diagnostic::io(&display, format!("cannot read: {e}"))
                    .with_hint("save the file as UTF-8 text"),
            );
            return;
        }
    };
    let source: Arc<str> = Arc::from(text.trim_start_matches('\u{feff}'));
    let reader = Reader::new(&display, Arc::clone(&source), 0);
    let Some(table) = reader.parse(&source) else {
        for d in reader.take() {
            diags.push(d);
        }
        return;
    };
    let top = reader.fields(&table, "data/metrics.toml", &METRICS_FILE);
    let mut keys = std::collections::BTreeSet::new();
    for (_, m) in top.tables("metric", "a metric") {
        let key = m.string("key");
        let name = m.string("name");
        let unit = m
            .string("unit")
            .map(toml::Spanned::into_inner)
            .unwrap_or_default();
        let better = m.choice("better");
        let target = m.number("target");
        let mut points = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for (pspan, p) in m.tables("points", "a point") {
            let period = p.string("period");
            let value = p.number("value");
            p.finish();
            if let (Some(period), Some(value)) = (period, value) {
                if period_start(period.get_ref()).is_none() {
                    reader.error_at(
                        period.span(),
                        format!("{:?} is not a period", period.get_ref()),
                        PERIOD_HINT,
                    );
                } else if !seen.insert(period.get_ref().clone()) {
                    reader.error_at(
                        pspan,
                        format!("period {} appears twice", period.get_ref()),
                        "keep one value per period",
                    );
                } else {
                    points.push(Point {
                        period: period.into_inner(),
                        value,
                    });
                }
            }
        }
        m.finish();
        if let Some(k) = &key
            && !keys.insert(k.get_ref().clone())
        {
            reader.error_at(
                k.span(),
                format!("two metrics have key {:?}", k.get_ref()),
                "each metric needs its own key",
            );
        }
        if let (Some(key), Some(name), Some(better)) = (key, name, better) {
            data.metrics.push(Metric {
                key: key.into_inner(),
                name: name.into_inner(),
                unit,
                better: better.into_inner(),
                target,
                points,
            });
        }
    }
    for (_, l) in top.tables("lost", "a lost-customers period") {
        let period = l.string("period");
        let reasons = l.number_map("reasons");
        l.finish();
        if let Some(p) = &period
            && period_start(p.get_ref()).is_none()
        {
            reader.error_at(
                p.span(),
                format!("{:?} is not a period", p.get_ref()),
                PERIOD_HINT,
            );
            continue;
        }
        if let (Some(period), Some(mut reasons)) = (period, reasons) {
            reasons.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            data.lost.push(Lost {
                period: period.into_inner(),
                reasons,
            });
        }
    }
    top.finish();
    for d in reader.take() {
        diags.push(d);
    }
}

fn load_csv(path: &Path, display: &Path, diags: &mut Diagnostics) -> Option<Vec<Point>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            diags.push(
                Diagnostic::io(display, format!("cannot read: {e}"))
                    .with_hint("save the file as UTF-8 text"),
            );
            return None;
        }
    };
    let mut points = Vec::new();
    let mut ok = true;
    let mut seen = std::collections::BTreeSet::new();
    let source: Arc<str> = Arc::from(text.trim_start_matches('\u{feff}'));
    let mut offset = 0;
    for (i, raw) in source.split_inclusive('\n').enumerate() {
        let line_start = offset;
        offset += raw.len();
        let raw = raw.trim_end_matches(['\n', '\r']);
        let line = i + 1;
        let row = raw.trim();
        if row.is_empty() || row.starts_with('#') {
            continue;
        }
        let cells: Vec<&str> = row.split(',').map(|c| c.trim().trim_matches('"')).collect();
        // Where each cell starts, for the caret.
        let mut starts = Vec::new();
        let mut at = line_start;
        for part in raw.split(',') {
            let lead = part.len() - part.trim_start().len();
            starts.push((at + lead, part.trim().len().max(1)));
            at += part.len() + 1;
        }
        if line == 1
            && cells
                .first()
                .is_some_and(|c| c.eq_ignore_ascii_case("period"))
        {
            continue;
        }
        let bad_at = |cell: Option<usize>, msg: String, hint: &str| {
            let span = match cell.and_then(|c| starts.get(c)) {
                Some((start, len)) => *start..*start + *len,
                None => line_start..line_start + raw.len().max(1),
            };
            Diagnostic::error(display, msg)
                .at(&source, span)
                .with_hint(hint.to_string())
        };
        let bad = |msg: String, hint: &str| bad_at(None, msg, hint);
        if cells.len() != 2 {
            diags.push(bad(
                format!(
                    "a row needs 2 columns, period and value; this one has {}",
                    cells.len()
                ),
                "write each row as 2026-03,88.4",
            ));
            ok = false;
            continue;
        }
        if period_start(cells[0]).is_none() {
            diags.push(bad_at(
                Some(0),
                format!("{:?} is not a period", cells[0]),
                PERIOD_HINT,
            ));
            ok = false;
            continue;
        }
        let Some(value) = cells[1].parse::<f64>().ok().filter(|v| v.is_finite()) else {
            diags.push(bad_at(
                Some(1),
                format!("{:?} is not a number", cells[1]),
                "write numbers with a dot for decimals and no thousands separator: 1234.5",
            ));
            ok = false;
            continue;
        };
        if !seen.insert(cells[0].to_string()) {
            diags.push(bad_at(
                Some(0),
                format!("period {} appears twice", cells[0]),
                "keep one row per period",
            ));
            ok = false;
            continue;
        }
        points.push(Point {
            period: cells[0].to_string(),
            value,
        });
    }
    ok.then_some(points)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_start_where_expected() {
        assert_eq!(
            period_start("2026-03").map(|d| d.to_string()),
            Some("2026-03-01".into())
        );
        assert_eq!(
            period_start("2026-Q3").map(|d| d.to_string()),
            Some("2026-07-01".into())
        );
        assert_eq!(
            period_start("2026").map(|d| d.to_string()),
            Some("2026-01-01".into())
        );
        assert_eq!(
            period_start("2026-03-14").map(|d| d.to_string()),
            Some("2026-03-14".into())
        );
        assert!(period_start("2026-13").is_none());
        assert!(period_start("March").is_none());
    }

    #[test]
    fn csv_rows_are_checked_with_their_line() {
        let dir = tempfile::tempdir().expect("tmp");
        std::fs::create_dir_all(dir.path().join("data")).expect("mkdir");
        std::fs::write(
            dir.path().join("data/metrics.toml"),
            "[[metric]]\nkey = \"nps\"\nname = \"NPS\"\nbetter = \"higher\"\n",
        )
        .expect("write");
        std::fs::write(
            dir.path().join("data/nps.csv"),
            "period,value\n2026-01,7\n2026-02,seven\n",
        )
        .expect("write");
        let (_, d) = load(dir.path());
        let all: Vec<String> = d.sorted().iter().map(|x| x.short()).collect();
        assert_eq!(all.len(), 1, "{all:?}");
        assert!(
            all[0].starts_with("data/nps.csv:3:9: error: \"seven\" is not a number"),
            "{all:?}"
        );
    }
}
