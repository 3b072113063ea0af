//! The lobby display's data: for `/lobby/` and each `[[lobby.screens]]`, the items a screen may
//! show (filtered by kind and team at build time), each with a QR code to its intranet page,
//! plus the announcements, settings and a content hash. Eligibility by date is left to the
//! screen, which judges it every day from this data, so a build from weeks ago still shows the
//! right slides. Images are resized here once, so a phone photo cannot stall a small player.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use std::collections::HashMap;

use rayon::prelude::*;
use serde_json::{Value as Json, json};

use crate::load::config::{Screen, same_language};
use crate::load::content::{Figure, Kind, KindFields as EntryFields, Status};
use crate::load::metrics::period_start;
use crate::model::Site;

/// One lobby page's data.
#[derive(Debug, Clone)]
pub struct ScreenData {
    /// The screen's name (`lobby` for `/lobby/`).
    pub name: String,
    /// Its folder under the output root: `lobby/` or `lobby/NAME/`.
    pub dir: String,
    /// The data as JSON.
    pub json: String,
    /// The content hash of the data.
    pub version: String,
}

/// An image to publish for the lobby, resized.
#[derive(Debug, Clone)]
pub struct LobbyImage {
    /// The source file.
    pub source: PathBuf,
    /// Where it goes under the output root.
    pub output: String,
}

/// Everything the lobby pages need.
#[derive(Debug, Default)]
pub struct Lobby {
    /// One per page.
    pub screens: Vec<ScreenData>,
    /// Images to resize and publish.
    pub images: Vec<LobbyImage>,
    /// Each item's QR code (SVG) by the URL it encodes, for the next build to reuse.
    pub qr: HashMap<String, String>,
}

/// The largest box a lobby image needs: a 1080p screen. (A 4K screen scales it up; the
/// photo is never the full screen.)
pub const MAX_IMAGE: (u32, u32) = (1920, 1080);

/// The screens this language's build makes, each with its folder under the language's root.
/// The main language's build makes `/lobby/` (unless a configured screen is named `lobby`) and
/// every configured screen for the main language or for `all`; a further language's build
/// makes its own `/CODE/lobby/` and, under `/CODE/lobby/NAME/`, every screen for its language
/// and its side of every screen for `all`. A screen for a further language is reached at
/// `/lobby/NAME/` too, by [`redirects`].
pub fn screens(site: &Site) -> Vec<(Screen, String)> {
    let configured = &site.config.lobby.screens;
    let further = site.config.main_language.is_some();
    let mut out = Vec::new();
    let default_taken = configured
        .iter()
        .any(|s| s.name == "lobby" && (!further || shown_here(site, s)));
    if !default_taken {
        out.push((
            Screen {
                name: "lobby".into(),
                kinds: Vec::new(),
                teams: Vec::new(),
                language: None,
            },
            site.routes.lobby("lobby"),
        ));
    }
    for s in configured.iter().filter(|s| shown_here(site, s)) {
        out.push((s.clone(), site.routes.lobby(&s.name)));
    }
    out
}

/// Whether this language's build makes screen `s`.
fn shown_here(site: &Site, s: &Screen) -> bool {
    match (s.language.as_deref(), &site.config.main_language) {
        (Some("all"), _) => true,
        (None, main) => main.is_none(),
        (Some(lang), None) => further_language(site, lang).is_none(),
        (Some(lang), Some(_)) => same_language(lang, &site.config.language),
    }
}

/// The `[languages]` code that `lang` names, when it is a further language of the portal.
fn further_language<'a>(site: &'a Site, lang: &str) -> Option<&'a str> {
    site.config
        .languages
        .keys()
        .find(|k| same_language(k, lang))
        .map(String::as_str)
}

/// The main language's pages that send a screen for a further language on to it: each
/// `(folder, URL)`, `/lobby/NAME/` to `/CODE/lobby/NAME/`. Empty in a further language's build.
pub fn redirects(site: &Site) -> Vec<(String, String)> {
    if site.config.main_language.is_some() {
        return Vec::new();
    }
    site.config
        .lobby
        .screens
        .iter()
        .filter_map(|s| {
            let code = further_language(site, s.language.as_deref()?)?;
            let route = site.routes.lobby(&s.name);
            Some((route.clone(), site.routes.url_in(Some(code), &route)))
        })
        .collect()
}

/// For a screen of the main language's build that shows every language (`all`): the folder URL
/// of each further language's side, by code, whose data the screen merges into its rotation.
fn other_sides(site: &Site, screen: &Screen) -> Option<BTreeMap<String, String>> {
    if screen.language.as_deref() != Some("all")
        || site.config.main_language.is_some()
        || site.config.languages.is_empty()
    {
        return None;
    }
    let route = site.routes.lobby(&screen.name);
    Some(
        site.config
            .languages
            .keys()
            .map(|code| (code.clone(), site.routes.url_in(Some(code), &route)))
            .collect(),
    )
}

/// Builds every screen's data. `app` is the hash of the lobby's code (script, stylesheet,
/// template): a change makes screens reload.
pub fn build(site: &Site, app: &str) -> Lobby {
    build_reusing(site, app, None)
}

/// As [`build`], reusing the QR codes of an earlier build of the same site (`serve`'s quick
/// rebuilds: drawing them is most of the lobby's cost).
pub(crate) fn build_reusing(site: &Site, app: &str, earlier: Option<&Lobby>) -> Lobby {
    let qr = |url: &str| -> String {
        earlier
            .and_then(|l| l.qr.get(url).cloned())
            .unwrap_or_else(|| qr_svg(url))
    };
    let candidates = candidates(site);
    let mut images = BTreeMap::new();
    let image_urls: HashMap<usize, String> = candidates
        .iter()
        .filter_map(|&i| {
            let e = &site.entries[i];
            let path = e.image.as_ref().filter(|_| e.kind == Kind::Improvement)?;
            lobby_image(site, path, &mut images).map(|u| (i, u))
        })
        .collect();
    let mut items: Vec<(Json, Vec<String>, &'static str)> = candidates
        .par_iter()
        .filter_map(|&i| entry_item(site, i, image_urls.get(&i).cloned(), &qr))
        .collect();
    push_metric_items(site, &qr, &mut items);

    let tz = site.config.tz();
    let built = tz
        .to_ambiguous_zoned(site.today.to_datetime(jiff::civil::Time::midnight()))
        .compatible()
        .map(|z| z.timestamp().as_millisecond())
        .unwrap_or(0);
    let mut screens_out = Vec::new();
    for (screen, dir) in screens(site) {
        screens_out.push(screen_data(site, app, &tz, built, &items, screen, dir));
    }
    let qr = items
        .iter()
        .filter_map(|(j, _, _)| {
            Some((
                j["url"].as_str()?.to_string(),
                j["qr"].as_str()?.to_string(),
            ))
        })
        .collect();
    Lobby {
        qr,
        screens: screens_out,
        images: images
            .into_iter()
            .map(|(output, source)| LobbyImage { source, output })
            .collect(),
    }
}

/// The entries that may be lobby items: improvements, recognitions and done milestones young
/// enough to be eligible today.
///
/// An item older than max_age_days today can never be eligible again (its age only grows),
/// so it is not sent: the page stays the same size however long the history gets.
fn candidates(site: &Site) -> Vec<usize> {
    let oldest = site
        .today
        .checked_sub(jiff::Span::new().days(i64::from(site.config.lobby.max_age_days)))
        .unwrap_or(site.today);
    site.improvements
        .iter()
        .chain(&site.recognitions)
        .chain(&site.milestones)
        .copied()
        .filter(|&i| lobby_date(site, i).is_some_and(|d| d >= oldest))
        .collect()
}

/// Adds a lobby item for every metric that has a current value: its figures, target and recent
/// trend, with a QR code to its place on the metrics page.
fn push_metric_items(
    site: &Site,
    qr: &dyn Fn(&str) -> String,
    items: &mut Vec<(Json, Vec<String>, &'static str)>,
) {
    for m in &site.metrics.metrics {
        let Some(current) = m.current() else { continue };
        let metrics_url = site
            .routes
            .permalink(&site.routes.metric(&crate::util::slug::slugify(&m.key)));
        let to_target = m
            .target
            .map(|t| crate::view::charts::target_phrase(&site.i18n, m, current.value, t));
        let trend: Vec<f64> = m
            .points
            .iter()
            .rev()
            .take(12)
            .rev()
            .map(|p| p.value)
            .collect();
        let mut item = json!({
            "id": format!("metrics/{}", m.key), // an id in the lobby data, not a route
            "kind": "metric",
            "title": m.name,
            "summary": "",
            "date": period_start(&current.period).map(|d| d.to_string()),
            "lobby": true, "from": null, "until": null,
            "url": metrics_url,
            "qr": qr(&metrics_url),
            "teams": [],
            "unit": m.unit,
            "points": crate::util::number::is_percent_unit(&m.unit),
            "better": m.better,
            "current": current.value,
            "previous": m.previous().map(|p| p.value),
            "previous_period": m.previous().map(|p| p.period.clone()),
            "target": m.target,
            "to_target": to_target,
            "period": current.period,
            "trend": trend,
        });
        // A metric's name is the data's, in the main language: a further language shows it
        // untranslated (and a screen for every language shows it once).
        if let (Some(main), Some(obj)) = (&site.config.main_language, item.as_object_mut()) {
            obj.insert("language".into(), json!(main));
            obj.insert("untranslated".into(), json!(true));
        }
        items.push((item, Vec::new(), "metric"));
    }
}

/// One screen's page data: the items its kinds and teams choose, the announcements meant for
/// it and the settings, as JSON with its content hash as the version.
fn screen_data(
    site: &Site,
    app: &str,
    tz: &jiff::tz::TimeZone,
    built: i64,
    items: &[(Json, Vec<String>, &'static str)],
    screen: Screen,
    dir: String,
) -> ScreenData {
    let chosen: Vec<&Json> = items
        .iter()
        .filter(|(_, teams, kind)| {
            (screen.kinds.is_empty() || screen.kinds.iter().any(|k| k == kind))
                && (screen.teams.is_empty()
                    || *kind == "metric"
                    || teams.iter().any(|t| screen.teams.contains(t)))
        })
        .map(|(j, _, _)| j)
        .collect();
    let announcements = announcements_for(site, tz, &screen);
    let c = &site.config;
    let data = json!({
        "format": 1,
        "version": "",
        "app": app,
        "screen": screen.name,
        "title": c.title,
        "description": c.description,
        "language": c.language,
        "messages": messages(site),
        "timezone": c.timezone.get_ref(),
        "today": site.today.to_string(),
        "built": built,
        "base_url": site.routes.absolute(),
        "slide_seconds": c.lobby.slide_seconds,
        "max_age_days": c.lobby.max_age_days,
        "check_seconds": c.lobby.check_seconds,
        "reload_hours": c.lobby.reload_hours,
        "items": chosen,
        "announcements": announcements,
    });
    let mut data = data;
    if let (Some(sides), Some(obj)) = (other_sides(site, &screen), data.as_object_mut()) {
        obj.insert("also".into(), json!(sides));
    }
    // The version is the hash of the data with an empty version; it is put in the text
    // rather than serialising the data twice. `"version":""` can only be the key: inside a
    // JSON string the quotes would be escaped.
    let text = data.to_string();
    let version = crate::util::hash::short_hash(text.as_bytes());
    let json = text.replacen("\"version\":\"\"", &format!("\"version\":\"{version}\""), 1);
    ScreenData {
        name: screen.name.clone(),
        dir,
        json,
        version,
    }
}

/// The words of the slides by language (today only the site's): the `lobby` messages, keyed by
/// the id after `lobby.`, and `format.percent`; values stay `{name}` for the screen to fill,
/// and plural forms are objects of CLDR categories for `Intl.PluralRules`.
fn messages(site: &Site) -> Json {
    let c = &site.i18n;
    let mut words = c.json("lobby");
    if let (Some(obj), Some(percent)) = (words.as_object_mut(), c.json("format").get("percent")) {
        obj.insert("format.percent".into(), percent.clone());
    }
    json!({ c.lang(): words })
}

/// The announcements `screen` shows, as JSON with their times in milliseconds.
fn announcements_for(site: &Site, tz: &jiff::tz::TimeZone, screen: &Screen) -> Vec<Json> {
    site.announcements
        .iter()
        .filter_map(|&i| {
            let e = &site.entries[i];
            let EntryFields::Announcement(a) = &e.fields else {
                return None;
            };
            // An announcement for named screens stays on those screens: an urgent message
            // for the contact centre must not take over reception.
            if !(a.screens.is_empty() || a.screens.contains(&screen.name)) {
                return None;
            }
            let mut item = json!({
                "id": e.path,
                "title": e.title,
                "text": plain(&site.rendered[i].first_paragraph_text),
                "level": a.level,
                "from": a.from.timestamp(tz, false).map(|t| t.as_millisecond()),
                "until": a.until.timestamp(tz, true).map(|t| t.as_millisecond()),
            });
            if let (true, Some(main), Some(obj)) = (
                e.untranslated,
                &site.config.main_language,
                item.as_object_mut(),
            ) {
                obj.insert("language".into(), json!(main));
                obj.insert("untranslated".into(), json!(true));
            }
            Some(item)
        })
        .collect()
}

/// Whether entry `i` can be in the lobby's data today (an announcement, or an item young enough
/// to be eligible), so that an edit to it can change the screens.
pub(crate) fn may_show(site: &Site, i: usize) -> bool {
    let oldest = site
        .today
        .checked_sub(jiff::Span::new().days(i64::from(site.config.lobby.max_age_days)))
        .unwrap_or(site.today);
    matches!(site.entries[i].fields, EntryFields::Announcement(_))
        || lobby_date(site, i).is_some_and(|d| d >= oldest)
}

/// The date a lobby item is judged by: an improvement's or recognition's date, a milestone's
/// `done_on`; `None` for what never appears on screens.
fn lobby_date(site: &Site, i: usize) -> Option<jiff::civil::Date> {
    match &site.entries[i].fields {
        EntryFields::Improvement(imp) => Some(imp.date),
        EntryFields::Recognition(r) => Some(r.date),
        EntryFields::Milestone(m) if m.status == Status::Done => {
            Some(m.done_on.unwrap_or(m.target))
        }
        _ => None,
    }
}

fn plain(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One entry as a lobby item, with the teams it belongs to and its kind.
fn entry_item(
    site: &Site,
    i: usize,
    image: Option<String>,
    qr: &(dyn Fn(&str) -> String + Sync),
) -> Option<(Json, Vec<String>, &'static str)> {
    let e = &site.entries[i];
    let url = site.routes.permalink(&site.routes.entry(&e.path));
    let summary = plain(&site.summaries[i].1);
    let mut item = json!({
        "id": e.path,
        "kind": e.kind.name(),
        "title": e.title,
        "summary": summary,
        "url": url,
        "qr": qr(&url),
    });
    let obj = item.as_object_mut()?;
    // An item a further language shows untranslated keeps its own language's words.
    if let (true, Some(main)) = (e.untranslated, &site.config.main_language) {
        obj.insert("language".into(), json!(main));
        obj.insert("untranslated".into(), json!(true));
    }
    let label = |t: &str| site.team_label(t).to_string();
    let teams: Vec<String>;
    match &e.fields {
        EntryFields::Improvement(imp) => {
            teams = improvement_fields(site, obj, e, imp, image);
            Some((item, teams, "improvement"))
        }
        EntryFields::Recognition(r) => {
            teams = r.team.iter().map(|t| t.get_ref().clone()).collect();
            let work = r
                .work
                .as_ref()
                .and_then(|w| site.find(crate::load::content::Kind::Improvement, w.get_ref()))
                .map(|j| site.entries[j].title.clone());
            obj.insert("date".into(), json!(r.date.to_string()));
            obj.insert("lobby".into(), json!(r.lobby));
            obj.insert("from".into(), json!(r.lobby_from.map(|d| d.to_string())));
            obj.insert("until".into(), json!(r.lobby_until.map(|d| d.to_string())));
            obj.insert("people".into(), json!(r.people));
            obj.insert("award".into(), json!(r.award));
            obj.insert(
                "team".into(),
                json!(r.team.as_ref().map(|t| label(t.get_ref()))),
            );
            obj.insert("work".into(), json!(work));
            obj.insert(
                "teams".into(),
                json!(teams.iter().map(|t| label(t)).collect::<Vec<_>>()),
            );
            Some((item, teams, "recognition"))
        }
        EntryFields::Milestone(m) if m.status == Status::Done => {
            teams = std::iter::once(&m.owner)
                .chain(&m.teams)
                .map(|t| t.get_ref().clone())
                .collect();
            obj.insert(
                "date".into(),
                json!(m.done_on.unwrap_or(m.target).to_string()),
            );
            obj.insert("lobby".into(), json!(true));
            obj.insert("from".into(), Json::Null);
            obj.insert("until".into(), Json::Null);
            obj.insert("phase".into(), json!(site.phase_label(&m.phase)));
            obj.insert("owner".into(), json!(label(m.owner.get_ref())));
            obj.insert(
                "metric".into(),
                m.metric.as_ref().map_or(Json::Null, |mm| {
                    let percent = mm.percent();
                    json!({ "name": mm.name, "baseline": mm.baseline, "target": mm.target, "current": mm.current, "unit": mm.unit, "percent": percent })
                }),
            );
            obj.insert(
                "teams".into(),
                json!(teams.iter().map(|t| label(t)).collect::<Vec<_>>()),
            );
            Some((item, teams, "milestone"))
        }
        _ => None,
    }
}

/// Writes an improvement's fields into its lobby item (date and lobby window, customers,
/// image, metric, quote, teams) and returns its teams.
fn improvement_fields(
    site: &Site,
    obj: &mut serde_json::Map<String, Json>,
    e: &crate::load::content::Entry,
    imp: &crate::load::content::Improvement,
    image: Option<String>,
) -> Vec<String> {
    let teams: Vec<String> = imp.teams.iter().map(|t| t.get_ref().clone()).collect();
    obj.insert("date".into(), json!(imp.date.to_string()));
    obj.insert("lobby".into(), json!(imp.lobby));
    obj.insert("from".into(), json!(imp.lobby_from.map(|d| d.to_string())));
    obj.insert(
        "until".into(),
        json!(imp.lobby_until.map(|d| d.to_string())),
    );
    obj.insert("customers".into(), json!(imp.customers));
    obj.insert("image".into(), json!(image));
    obj.insert(
        "image_alt".into(),
        json!(e.image_alt.clone().unwrap_or_else(|| e.title.clone())),
    );
    obj.insert(
        "metric".into(),
        imp.metric.as_ref().map_or(Json::Null, |m| {
            json!({
                "name": m.name, "before": figure(&m.before), "after": figure(&m.after), "unit": m.unit, "better": m.better,
                "improved": m.improved(),
                "change": m.change().map(|c| crate::util::number::round_to(c, 4)),
                "change_percent": m.change_percent(),
                "points": m.in_points(),
            })
        }),
    );
    obj.insert(
        "quote".into(),
        imp.quote
            .as_ref()
            .map_or(Json::Null, |q| json!({ "text": q.text, "by": q.by })),
    );
    obj.insert(
        "teams".into(),
        json!(teams.iter().map(|t| site.team_label(t)).collect::<Vec<_>>()),
    );
    teams
}

/// A metric's `before` or `after` for a slide: a number as a JSON number (as it always was),
/// text as a string that the screen shows as written.
fn figure(f: &Figure) -> Json {
    match f {
        Figure::Number(x) => json!(x),
        Figure::Text(t) => json!(t),
    }
}

/// Registers an entry's image for the lobby and returns its URL.
fn lobby_image(
    site: &Site,
    source: &Path,
    images: &mut BTreeMap<String, PathBuf>,
) -> Option<String> {
    let ext = source.extension()?.to_string_lossy().to_ascii_lowercase();
    let out_ext = match ext.as_str() {
        "jpg" | "jpeg" | "webp" => "jpg",
        "png" | "gif" => "png",
        "svg" => "svg",
        _ => return None,
    };
    let bytes = std::fs::read(source).ok()?;
    let rel = site
        .routes
        .lobby_image(&crate::util::hash::short_hash(&bytes), out_ext);
    images.insert(rel.clone(), source.to_path_buf());
    Some(site.routes.url(&rel))
}

/// The image as published for the lobby: SVG as it is, rasters no larger than [`MAX_IMAGE`].
pub fn process_image(source: &Path, output: &str) -> Result<Vec<u8>, String> {
    let bytes = std::fs::read(source).map_err(|e| e.to_string())?;
    if output.ends_with(".svg") {
        return Ok(bytes);
    }
    resize_image(&bytes, output.ends_with(".png"))
}

/// A raster image no larger than [`MAX_IMAGE`], as PNG (`png`) or JPEG: what the lobby
/// publishes, and what the studio stores when an author adds a picture.
pub fn resize_image(bytes: &[u8], png: bool) -> Result<Vec<u8>, String> {
    let img = image::load_from_memory(bytes).map_err(|e| format!("cannot read the image: {e}"))?;
    let (w, h) = (img.width(), img.height());
    let img = if w > MAX_IMAGE.0 || h > MAX_IMAGE.1 {
        img.resize(
            MAX_IMAGE.0,
            MAX_IMAGE.1,
            image::imageops::FilterType::Triangle,
        )
    } else {
        img
    };
    let mut out = Cursor::new(Vec::new());
    if png {
        img.write_to(&mut out, image::ImageFormat::Png)
            .map_err(|e| e.to_string())?;
    } else {
        let rgb = img.to_rgb8();
        let mut enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 82);
        enc.encode_image(&rgb).map_err(|e| e.to_string())?;
    }
    Ok(out.into_inner())
}

/// A QR code for `text` as a small SVG: one stroked path, a run of dark modules per segment
/// with relative moves, and the quiet zone the standard asks for. Error correction is low: a
/// screen is not a crumpled flyer, and fewer, larger modules scan better from a distance.
pub fn qr_svg(text: &str) -> String {
    let Ok(code) = fast_qr::QRBuilder::new(text).ecl(fast_qr::ECL::L).build() else {
        return String::new();
    };
    let w = code.size;
    let dark: Vec<bool> = code.data[..w * w].iter().map(|m| m.value()).collect();
    let quiet = 4;
    let size = w + 2 * quiet;
    let mut d = String::with_capacity(w * w / 2);
    for y in 0..w {
        let mut pen: Option<usize> = None;
        let mut x = 0;
        while x < w {
            if !dark[y * w + x] {
                x += 1;
                continue;
            }
            let start = x;
            while x < w && dark[y * w + x] {
                x += 1;
            }
            match pen {
                None => d.push_str(&format!("M{} {}.5h{}", start + quiet, y + quiet, x - start)),
                Some(p) => d.push_str(&format!("m{} 0h{}", start - p, x - start)),
            }
            pen = Some(x);
        }
    }
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" shape-rendering=\"crispEdges\" aria-hidden=\"true\" focusable=\"false\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path stroke=\"#000\" d=\"{d}\"/></svg>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_svg_is_small_and_square() {
        let s = qr_svg("https://intranet.example.com/customers/improvements/faster-refunds/");
        assert!(s.starts_with("<svg"));
        assert!(s.len() < 6000, "{} bytes", s.len());
    }

    /// Draws a QR SVG made by [`qr_svg`] into a pixel grid (our own path syntax only).
    pub(crate) fn rasterize(svg: &str, scale: usize) -> (usize, Vec<u8>) {
        let size: usize = svg
            .split("viewBox=\"0 0 ")
            .nth(1)
            .and_then(|r| r.split(' ').next())
            .and_then(|n| n.parse().ok())
            .expect("viewBox");
        let d = svg
            .split(" d=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .expect("path");
        let px = size * scale;
        let mut img = vec![255u8; px * px];
        let (mut x, mut y) = (0usize, 0usize);
        let mut chars = d.chars().peekable();
        let num = |chars: &mut std::iter::Peekable<std::str::Chars<'_>>| -> String {
            let mut n = String::new();
            while let Some(c) = chars
                .peek()
                .copied()
                .filter(|c| c.is_ascii_digit() || *c == '.')
            {
                n.push(c);
                chars.next();
            }
            n
        };
        while let Some(cmd) = chars.next() {
            match cmd {
                'M' => {
                    x = num(&mut chars).parse().expect("x");
                    chars.next();
                    y = num(&mut chars).parse::<f64>().expect("y") as usize;
                }
                'm' => {
                    x += num(&mut chars).parse::<usize>().expect("dx");
                    chars.next();
                    num(&mut chars);
                }
                'h' => {
                    let n: usize = num(&mut chars).parse().expect("n");
                    for xx in x..x + n {
                        for yy in y * scale..(y + 1) * scale {
                            for xs in xx * scale..(xx + 1) * scale {
                                img[yy * px + xs] = 0;
                            }
                        }
                    }
                    x += n;
                }
                _ => {}
            }
        }
        (px, img)
    }

    #[test]
    fn qr_svg_decodes_to_the_url() {
        for url in [
            "https://intranet.example.com/customers/improvements/faster-refunds/",
            "http://a.example/x/",
        ] {
            let (px, img) = rasterize(&qr_svg(url), 6);
            let mut prepared =
                rqrr::PreparedImage::prepare_from_greyscale(px, px, |x, y| img[y * px + x]);
            let grids = prepared.detect_grids();
            assert_eq!(grids.len(), 1);
            let (_, content) = grids[0].decode().expect("decodes");
            assert_eq!(content, url);
        }
    }
}
