//! herald's Tera functions and filters, one registration step per group: the URL functions
//! (`url`, `asset`), the content link function (`link`), the translation function (`t`), the
//! formatting filters (`date`, `number`, `percent`) and the address filters (`absolute`,
//! `slugify`).

use std::collections::HashMap;
use std::sync::Arc;

use tera::{Kwargs, State, Tera, Value};

use crate::i18n::Catalog;
use crate::i18n::locale::DateStyle;
use crate::load::content::Kind;
use crate::model::Site;
use crate::util::number::format_number;

thread_local! {
    /// The `date` filter's answers, per rendering thread. Lists show the same
    /// few thousand days over and over, and parsing and formatting one costs about 2 µs; a
    /// lookup is a tenth of that. The answer depends on nothing else, so it never goes stale.
    static DATES: std::cell::RefCell<Memo> = std::cell::RefCell::default();
}

/// Dates by environment, then by format, then by day.
type Memo = rustc_hash::FxHashMap<
    u64,
    rustc_hash::FxHashMap<String, rustc_hash::FxHashMap<String, String>>,
>;

/// Registers `url(path=…)`, a path's URL under the base, and `asset(path=…)`, a static file's
/// URL with its content hash (`?v=…`) so that browsers fetch it again when it changes.
pub(super) fn register_url_functions(
    tera: &mut Tera,
    site: &Site,
    asset_hashes: HashMap<String, String>,
) {
    let routes = Arc::new(site.routes.clone());

    let r = Arc::clone(&routes);
    tera.register_function(
        "url",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let path: &str = kwargs.must_get("path")?;
            Ok(r.url(path))
        },
    );
    let r = Arc::clone(&routes);
    let hashes = Arc::new(asset_hashes);
    tera.register_function("asset", move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
        let path: &str = kwargs.must_get("path")?;
        let path = path.trim_start_matches('/');
        match hashes.get(path) {
            Some(h) => Ok(format!("{}?v={h}", r.shared_url(r.static_file(path)))),
            None => Err(tera::Error::message(format!(
                "asset(path={path:?}): there is no such file in the theme's static/ or the site's static/ folder"
            ))),
        }
    });
}

/// Registers `link(to=…)`: the URL of the content at a path such as
/// `improvements/faster-refunds` (announcements have no page), or an error naming it.
pub(super) fn register_link_function(tera: &mut Tera, site: &Site) {
    let urls: Arc<HashMap<String, String>> = Arc::new(
        site.entries
            .iter()
            .filter(|e| e.kind != Kind::Announcement)
            .map(|e| (e.path.clone(), site.routes.url(&site.routes.entry(&e.path))))
            .collect(),
    );
    tera.register_function("link", move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
        let to: String = kwargs.must_get("to")?;
        let key = crate::model::markdown::content_key(&to);
        urls.get(key)
            .cloned()
            .ok_or_else(|| tera::Error::message(format!("link(to={to:?}): there is no such content; write a path like \"improvements/faster-refunds\"")))
    });
}

/// Distinguishes the `date` answers of one environment's language from another's on a thread
/// that renders for several (tests, a portal in two languages).
static ENVIRONMENTS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// What `format=` strftime patterns mean as herald's date styles, so that a theme written
/// with them reads in the site's language.
fn style_of_format(format: &str) -> Option<DateStyle> {
    Some(match format {
        "%-d %B %Y" | "%d %B %Y" => DateStyle::DayMonthYear,
        "%-d %B" => DateStyle::DayMonth,
        "%-d %b" => DateStyle::DayMonthShort,
        "%B %Y" => DateStyle::MonthYear,
        "%b %Y" => DateStyle::MonthYearShort,
        "%B" => DateStyle::Month,
        "%b" => DateStyle::MonthShort,
        _ => return None,
    })
}

/// Registers the formatting filters, all in the site language's forms: `date(style=…)` (or
/// `format=…`, a strftime pattern), a `YYYY-MM-DD` day (answers remembered per thread);
/// `number(decimals=…)`, a number for readers (`plain=true`: the machine form, for CSS and
/// SVG); `percent(decimals=…)`, a number as a percentage ("92%", "92 %").
pub(super) fn register_format_filters(tera: &mut Tera, i18n: &Arc<Catalog>) {
    let env = ENVIRONMENTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let c = Arc::clone(i18n);
    tera.register_filter(
        "date",
        move |value: &Value, kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let Some(s) = value.as_str() else {
                return Ok(String::new());
            };
            let style: Option<&str> = kwargs.get("style")?;
            let format: &str = match style {
                Some(name) => name,
                None => kwargs.get("format")?.unwrap_or("%-d %b %Y"),
            };
            let day = s.get(..10).unwrap_or(s);
            DATES.with_borrow_mut(|memos| {
                if memos.len() > 16 && !memos.contains_key(&env) {
                    memos.clear();
                }
                let memo = memos.entry(env).or_default();
                if let Some(text) = memo.get(format).and_then(|days| days.get(day)) {
                    return Ok(text.clone());
                }
                let date: jiff::civil::Date = day.parse().map_err(|_| {
                    tera::Error::message(format!("date filter: {s:?} is not a YYYY-MM-DD date"))
                })?;
                let text = match style {
                    // The day, the short month and the year as the table's `format.date_short`
                    // puts them ("3 Mar 2026", "3. März 2026"): the theme's most frequent date.
                    Some("short") => c.format(
                        "format.date_short",
                        None,
                        &[
                            ("day_month", &c.locale().date(date, DateStyle::DayMonthShort)),
                            ("year", &date.year().to_string()),
                        ],
                    ),
                    Some(name) => {
                        let style = DateStyle::parse(name).ok_or_else(|| {
                            tera::Error::message(format!(
                                "date filter: there is no style {name:?}; the styles are short, long, day_month, day_month_short, month_year, month_year_short, month, month_short"
                            ))
                        })?;
                        c.locale().date(date, style)
                    }
                    None => match style_of_format(format) {
                        Some(style) => c.locale().date(date, style),
                        None => jiff::fmt::strtime::format(format, date).map_err(|e| {
                            tera::Error::message(format!("date filter: bad format {format:?}: {e}"))
                        })?,
                    },
                };
                let days = memo.entry(format.to_string()).or_default();
                if days.len() >= 8192 {
                    days.clear();
                }
                days.insert(day.to_string(), text.clone());
                Ok(text)
            })
        },
    );
    let c = Arc::clone(i18n);
    tera.register_filter(
        "number",
        move |value: &Value, kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let Some(x) = value.as_f64() else {
                return Ok(value.as_str().unwrap_or_default().to_string());
            };
            let decimals = kwargs.get::<i64>("decimals")?.unwrap_or(2).clamp(0, 10) as usize;
            if kwargs.get::<bool>("plain")?.unwrap_or(false) {
                return Ok(format_number(x, decimals));
            }
            Ok(c.locale().number(x, decimals))
        },
    );
    let c = Arc::clone(i18n);
    tera.register_filter(
        "percent",
        move |value: &Value, kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let Some(x) = value.as_f64() else {
                return Ok(value.as_str().unwrap_or_default().to_string());
            };
            let decimals = kwargs.get::<i64>("decimals")?.unwrap_or(0).clamp(0, 10) as usize;
            Ok(percent(&c, x, decimals))
        },
    );
}

/// `x` as a percentage in the language's form ("92%", "92 %", "92 %").
pub(crate) fn percent(c: &Catalog, x: f64, decimals: usize) -> String {
    c.render("format.percent", Some((x, decimals)), &|_| None, false)
        .unwrap_or_else(|| format!("{}%", c.locale().number(x, decimals)))
}

/// Registers `t_json(prefix=…)`: the messages under a prefix as JSON for a page's script (see
/// [`Catalog::json`]), safe inside `<script type="application/json">`.
fn register_translation_json(tera: &mut Tera, i18n: &Arc<Catalog>) {
    let c = Arc::clone(i18n);
    tera.register_function(
        "t_json",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<Value> {
            let prefix: &str = kwargs.must_get("prefix")?;
            let json = c
                .json(prefix)
                .to_string()
                .replace('<', "\\u003c")
                .replace('&', "\\u0026");
            Ok(Value::safe_string(&json))
        },
    );
}

/// Registers `t(key=…)` and `t_json(prefix=…)`. `t` gives a message of the site language's translation table; `n=…` picks its
/// plural form and fills `{n}` (`decimals=…`, at most 2 by default), and any other argument
/// fills the value of its name (`t(key="team.members", n=3, team=team.name)`).
///
/// Returns every message as `t` gives it in HTML with no values, by id: the `i18n` global.
pub(super) fn register_translation(tera: &mut Tera, i18n: &Arc<Catalog>) -> tera::Map {
    register_translation_json(tera, i18n);
    let c = Arc::clone(i18n);
    // A message asked for with no values is made into a value once, not at each of its uses.
    let fixed: rustc_hash::FxHashMap<Box<str>, (Value, Value)> = i18n
        .without_values()
        .map(|(id, plain, html)| (id.into(), (Value::from(plain), Value::safe_string(&html))))
        .collect();
    let globals: tera::Map = fixed
        .iter()
        .map(|(id, (_, html))| (id.to_string().into(), html.clone()))
        .collect();
    tera.register_function(
        "t",
        move |kwargs: Kwargs, state: &State| -> tera::TeraResult<Value> {
            let key: &str = kwargs.must_get("key")?;
            if let Some((plain, html)) = fixed.get(key)
                && kwargs.iter().nth(1).is_none()
            {
                return Ok(if state.autoescaping_enabled() {
                    html.clone()
                } else {
                    plain.clone()
                });
            }
            let n: Option<f64> = match kwargs.get::<Value>("n")? {
                Some(v) if v.is_none() => None,
                Some(v) => Some(v.as_f64().ok_or_else(|| {
                    tera::Error::message(format!("t(key={key:?}): n must be a number, not {v}"))
                })?),
                None => None,
            };
            let decimals = kwargs.get::<i64>("decimals")?.unwrap_or(2).clamp(0, 10) as usize;
            let html = state.autoescaping_enabled();
            let arg = |name: &str| -> Option<String> {
                let v = kwargs.get::<Value>(name).ok().flatten()?;
                if let Some(x) = v.as_f64().filter(|_| v.is_number()) {
                    return Some(c.locale().number(x, decimals));
                }
                if html {
                    state.escape_if_needed(&v).ok()
                } else {
                    Some(v.as_str().map_or_else(|| v.to_string(), str::to_string))
                }
            };
            match c.render(key, n.map(|x| (x, decimals)), &arg, html) {
                Some(text) if html => Ok(Value::safe_string(&text)),
                Some(text) => Ok(Value::from(text)),
                None => {
                    let hint = match crate::diagnostics::did_you_mean(key, c.ids()) {
                        Some(s) => format!("; did you mean {s:?}?"),
                        None => String::new(),
                    };
                    Err(tera::Error::message(format!(
                        "t(key={key:?}): the translation table has no such message{hint}"
                    )))
                }
            }
        },
    );
    globals
}

/// Registers the address filters: `absolute`, a URL or path made absolute with the site's
/// origin or base URL, and `slugify`, text made into a URL slug.
pub(super) fn register_address_filters(tera: &mut Tera, site: &Site) {
    let origin = site.routes.origin().to_string();
    let absolute = site.routes.absolute().to_string();
    tera.register_filter(
        "absolute",
        move |value: &str, _: Kwargs, _: &State| -> String {
            if value.starts_with("http://") || value.starts_with("https://") {
                value.to_string()
            } else if value.starts_with('/') {
                format!("{origin}{value}")
            } else {
                format!("{absolute}{value}")
            }
        },
    );
    tera.register_filter("slugify", |value: &str, _: Kwargs, _: &State| {
        slug::slugify(value)
    });
}
