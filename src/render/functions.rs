//! herald's Tera functions and filters, one registration step per group: the URL functions
//! (`url`, `asset`), the content link function (`link`), the formatting filters (`date`,
//! `number`) and the address filters (`absolute`, `slugify`).

use std::collections::HashMap;
use std::sync::Arc;

use tera::{Kwargs, State, Tera, Value};

use crate::load::content::Kind;
use crate::model::Site;
use crate::util::number::format_number;

thread_local! {
    /// The `date` filter's answers, per rendering thread. Lists show the same
    /// few thousand days over and over, and parsing and formatting one costs about 2 µs; a
    /// lookup is a tenth of that. The answer depends on nothing else, so it never goes stale.
    static DATES: std::cell::RefCell<Memo> = std::cell::RefCell::default();
}

/// Dates by format, then by day.
type Memo = rustc_hash::FxHashMap<String, rustc_hash::FxHashMap<String, String>>;

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
            Some(h) => Ok(format!("{}?v={h}", r.url(r.static_file(path)))),
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

/// Registers the formatting filters: `date(format=…)`, a `YYYY-MM-DD` day in a strftime format
/// (answers remembered per thread), and `number(decimals=…)`, a number for readers.
pub(super) fn register_format_filters(tera: &mut Tera) {
    tera.register_filter(
        "date",
        |value: &Value, kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let Some(s) = value.as_str() else {
                return Ok(String::new());
            };
            let format: &str = kwargs.get("format")?.unwrap_or("%-d %b %Y");
            let day = s.get(..10).unwrap_or(s);
            DATES.with_borrow_mut(|memo| {
                if let Some(text) = memo.get(format).and_then(|days| days.get(day)) {
                    return Ok(text.clone());
                }
                let date: jiff::civil::Date = day.parse().map_err(|_| {
                    tera::Error::message(format!("date filter: {s:?} is not a YYYY-MM-DD date"))
                })?;
                let text = jiff::fmt::strtime::format(format, date).map_err(|e| {
                    tera::Error::message(format!("date filter: bad format {format:?}: {e}"))
                })?;
                let days = memo.entry(format.to_string()).or_default();
                if days.len() >= 8192 {
                    days.clear();
                }
                days.insert(day.to_string(), text.clone());
                Ok(text)
            })
        },
    );
    tera.register_filter(
        "number",
        |value: &Value, kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let Some(x) = value.as_f64() else {
                return Ok(value.as_str().unwrap_or_default().to_string());
            };
            let decimals: Option<i64> = kwargs.get("decimals")?;
            Ok(format_number(
                x,
                decimals.unwrap_or(2).clamp(0, 10) as usize,
            ))
        },
    );
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
