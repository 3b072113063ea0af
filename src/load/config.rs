//! `site.toml`: read into typed configuration. Unknown keys (those that [`SITE`], the schema's
//! description of every key of site.toml, does not have) and wrong types are errors with the
//! line of the key, and values that parse but make no sense (a base URL without a scheme, an
//! unknown time zone, a screen with an unknown kind) are errors too.

use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::schema::{Field, SITE, Type};

pub use crate::routes::BaseUrl;

/// The kinds of item a lobby screen can show.
pub const LOBBY_KINDS: [&str; 4] = ["improvement", "recognition", "milestone", "metric"];

/// The whole of `site.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The portal's name.
    pub title: String,
    /// Where the site is published, with any sub-path.
    pub base_url: Spanned<String>,
    /// One line about the portal.
    #[serde(default)]
    pub description: String,
    /// BCP 47 language tag of the content.
    #[serde(default = "default_language")]
    pub language: String,
    /// IANA time zone that decides what "today" is.
    #[serde(default = "default_timezone")]
    pub timezone: Spanned<String>,
    /// Theme name: `themes/NAME/` beside site.toml, else the embedded default.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// The departments; when set, any other team name in content is an error.
    #[serde(default)]
    pub teams: Vec<Spanned<String>>,
    /// Entries on each page of a paginated list.
    #[serde(default = "default_paginate")]
    pub paginate: Spanned<usize>,
    /// Items in each Atom feed, newest first; 0 for every item.
    #[serde(default = "default_feed_limit")]
    pub feed_limit: usize,
    /// Markdown options.
    #[serde(default)]
    pub markdown: MarkdownConfig,
    /// Who signs the quarterly letter.
    #[serde(default)]
    pub letter: LetterConfig,
    /// The lobby display.
    #[serde(default)]
    pub lobby: LobbyConfig,
    /// The portal's further languages by code (`[languages.fr]`); the main one is `language`.
    #[serde(default)]
    pub languages: std::collections::BTreeMap<String, LanguageConfig>,
    /// Set while a further language is built: the main language's code (`language` is then
    /// the further one's).
    #[serde(skip)]
    pub main_language: Option<String>,
}

/// One `[languages.CODE]`: what changes for readers of that language.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageConfig {
    /// The portal's name in this language.
    #[serde(default)]
    pub title: Option<String>,
    /// The line about the portal in this language.
    #[serde(default)]
    pub description: Option<String>,
    /// Who signs the letter in this language.
    #[serde(default)]
    pub letter: Option<LetterConfig>,
    /// Team names in this language, by their site.toml name.
    #[serde(default)]
    pub teams: std::collections::BTreeMap<String, String>,
    /// Roadmap phase names in this language, by the milestones' name.
    #[serde(default)]
    pub phases: std::collections::BTreeMap<String, String>,
}

/// `[markdown]`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    /// Keep raw HTML in Markdown as written (trusted authors only).
    #[serde(default)]
    pub unsafe_html: bool,
}

/// `[letter]`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LetterConfig {
    /// The name under the letter.
    #[serde(default)]
    pub signer: String,
    /// The signer's role.
    #[serde(default)]
    pub role: String,
}

/// `[lobby]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LobbyConfig {
    /// Seconds each slide is shown.
    #[serde(default = "default_slide_seconds")]
    pub slide_seconds: u32,
    /// Items older than this many days leave the screens.
    #[serde(default = "default_max_age_days")]
    pub max_age_days: u32,
    /// How often a screen looks for a newly published build.
    #[serde(default = "default_check_seconds")]
    pub check_seconds: u32,
    /// Hours between full page reloads.
    #[serde(default = "default_reload_hours")]
    pub reload_hours: u32,
    /// The screens; none given means one screen named `lobby`.
    #[serde(default)]
    pub screens: Vec<Screen>,
}

impl Default for LobbyConfig {
    fn default() -> Self {
        Self {
            slide_seconds: default_slide_seconds(),
            max_age_days: default_max_age_days(),
            check_seconds: default_check_seconds(),
            reload_hours: default_reload_hours(),
            screens: Vec::new(),
        }
    }
}

/// One `[[lobby.screens]]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Screen {
    /// URL-safe name: the screen is `/lobby/NAME/`.
    pub name: String,
    /// Which kinds of item it shows; empty means all.
    #[serde(default)]
    pub kinds: Vec<String>,
    /// Which teams' items it shows; empty means every team.
    #[serde(default)]
    pub teams: Vec<String>,
    /// The language its slides are in: the main one when left out, a code of `[languages]`,
    /// or `all` to rotate every language's.
    #[serde(default)]
    pub language: Option<String>,
}

fn default_language() -> String {
    "en".into()
}
fn default_timezone() -> Spanned<String> {
    Spanned::new(0..0, "UTC".into())
}
fn default_theme() -> String {
    "default".into()
}
fn default_paginate() -> Spanned<usize> {
    Spanned::new(0..0, 10)
}
fn default_feed_limit() -> usize {
    100
}
fn default_slide_seconds() -> u32 {
    12
}
fn default_max_age_days() -> u32 {
    90
}
fn default_check_seconds() -> u32 {
    60
}
fn default_reload_hours() -> u32 {
    24
}

impl Config {
    /// Reads `site.toml` at `path`. All problems found are returned together.
    pub fn load(path: &Path, display: &Path) -> Result<Self, Diagnostics> {
        let (config, diags) = Self::load_lenient(path, display);
        match config {
            Some(c) if !diags.has_errors() => Ok(c),
            _ => Err(diags),
        }
    }

    /// Reads `site.toml`, and when its only problems are unknown keys, still returns the
    /// configuration without them, so that a build can go on to report content errors too.
    pub fn load_lenient(path: &Path, display: &Path) -> (Option<Self>, Diagnostics) {
        let mut d = Diagnostics::new();
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) => {
                d.push(
                    Diagnostic::io(display, format!("cannot read site.toml: {e}"))
                        .with_hint("run `herald init` to create a new portal, or run herald in the folder that holds site.toml (or pass -C FOLDER)"),
                );
                return (None, d);
            }
        };
        match String::from_utf8(bytes) {
            Ok(t) => Self::parse_lenient(&t, display),
            Err(e) => {
                d.push(
                    Diagnostic::error(
                        display,
                        format!(
                            "site.toml is not UTF-8 text (bad byte at offset {})",
                            e.utf8_error().valid_up_to()
                        ),
                    )
                    .with_hint("save the file as UTF-8"),
                );
                (None, d)
            }
        }
    }

    /// Parses the text of `site.toml`; `display` names the file in diagnostics.
    pub fn parse(text: &str, display: &Path) -> Result<Self, Diagnostics> {
        match Self::parse_lenient(text, display) {
            (Some(c), d) if !d.has_errors() => Ok(c),
            (_, d) => Err(d),
        }
    }

    fn parse_lenient(text: &str, display: &Path) -> (Option<Self>, Diagnostics) {
        let source: Arc<str> = Arc::from(text.trim_start_matches('\u{feff}'));
        let mut diags = Diagnostics::new();
        let unknown = unknown_keys(&source, display, &mut diags);
        let parsed: Result<Config, toml::de::Error> = if unknown.is_empty() {
            toml::from_str(&source)
        } else {
            // Every unknown key is reported above; read the rest with them blanked out, so
            // that lines and columns stay where they are.
            let mut bytes = source.as_bytes().to_vec();
            for range in &unknown {
                for b in &mut bytes[range.clone()] {
                    if *b != b'\n' {
                        *b = b' ';
                    }
                }
            }
            toml::from_str(&String::from_utf8_lossy(&bytes))
        };
        let config = match parsed {
            Ok(c) => c,
            Err(e) => {
                let mut d = Diagnostic::error(display, clean_toml_message(e.message()));
                if let Some(span) = e.span() {
                    d = d.at(&source, span);
                }
                let keys: Vec<&str> = SITE.iter().map(|f| f.key).collect();
                d = d.with_hint(toml_hint(e.message(), &keys));
                diags.push(d);
                return (None, diags);
            }
        };
        config.validate(&source, display, &mut diags);
        (Some(config), diags)
    }

    fn validate(&self, source: &Arc<str>, display: &Path, diags: &mut Diagnostics) {
        if BaseUrl::parse(self.base_url.get_ref()).is_none() {
            diags.push(
                Diagnostic::error(display, format!("`base_url` {:?} is not an http(s) address", self.base_url.get_ref()))
                    .at(source, self.base_url.span())
                    .with_hint("write the full address the site is published at, e.g. \"https://intranet.example.com/customers/\""),
            );
        }
        if jiff::tz::TimeZone::get(self.timezone.get_ref()).is_err() {
            diags.push(
                Diagnostic::error(
                    display,
                    format!("unknown time zone {:?}", self.timezone.get_ref()),
                )
                .at(source, self.timezone.span())
                .with_hint(
                    "use an IANA name such as \"America/Chicago\", \"Europe/London\" or \"UTC\"",
                ),
            );
        }
        if *self.paginate.get_ref() == 0 {
            diags.push(
                Diagnostic::error(display, "`paginate` must be at least 1")
                    .at(source, self.paginate.span())
                    .with_hint("the default is 10 entries a page"),
            );
        }
        let mut seen = std::collections::BTreeSet::new();
        for t in &self.teams {
            if t.get_ref().trim().is_empty() {
                diags.push(Diagnostic::error(display, "a team name is empty").at(source, t.span()));
            } else if !seen.insert(t.get_ref().to_lowercase()) {
                diags.push(
                    Diagnostic::error(display, format!("team {:?} is listed twice", t.get_ref()))
                        .at(source, t.span())
                        .with_hint("remove the second one"),
                );
            }
        }
        if crate::i18n::locale::Locale::new(&self.language).is_err() {
            diags.push(
                Diagnostic::error(
                    display,
                    format!("`language` {:?} is not a language code", self.language),
                )
                .at_optional(source, find_line(source, &format!("\"{}\"", self.language)))
                .with_hint("write a code such as \"en\", \"de\", \"fr\", \"es\" or \"fr-CA\""),
            );
        }
        for code in self.languages.keys() {
            let at = find_line(source, &format!("languages.{code}"));
            let ok = !code.is_empty()
                && code
                    .split('-')
                    .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()))
                && crate::i18n::locale::Locale::new(code).is_ok();
            if !ok {
                diags.push(
                    Diagnostic::error(display, format!("[languages.{code}]: {code:?} is not a language code"))
                        .at_optional(source, at)
                        .with_hint("the table is named by a code such as fr, de, es or fr-CA; its pages live under /CODE/"),
                );
            } else if same_language(code, &self.language) {
                diags.push(
                    Diagnostic::error(display, format!("[languages.{code}] is the portal's main language"))
                        .at_optional(source, at)
                        .with_hint("the main language's title, description and [letter] are the top of site.toml; [languages] lists the further ones"),
                );
            } else if crate::routes::RESERVED.contains(&code.to_lowercase().as_str()) {
                diags.push(
                    Diagnostic::error(
                        display,
                        format!("[languages.{code}]: /{code}/ is a page herald makes itself"),
                    )
                    .at_optional(source, at),
                );
            }
        }
        let mut names = std::collections::BTreeSet::new();
        for screen in &self.lobby.screens {
            let at = find_line(source, &format!("\"{}\"", screen.name));
            let mk = |msg: String| {
                let d = Diagnostic::error(display, msg);
                match at.clone() {
                    Some(span) => d.at(source, span),
                    None => d,
                }
            };
            if screen.name.is_empty()
                || !screen
                    .name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                diags.push(
                    mk(format!(
                        "screen name {:?} cannot be used in a URL",
                        screen.name
                    ))
                    .with_hint("use lower-case letters, digits and '-', e.g. \"reception\""),
                );
            }
            if screen.name == "img" {
                diags.push(
                    mk("the screen name \"img\" is taken by the lobby's image folder".into())
                        .with_hint("choose another name"),
                );
            }
            if !names.insert(screen.name.clone()) {
                diags.push(mk(format!("two screens are named {:?}", screen.name)));
            }
            if let Some(lang) = &screen.language
                && lang != "all"
                && !same_language(lang, &self.language)
                && !self.languages.keys().any(|l| same_language(l, lang))
            {
                let mut codes: Vec<&str> = std::iter::once(self.language.as_str())
                    .chain(self.languages.keys().map(String::as_str))
                    .collect();
                codes.push("all");
                diags.push(
                    mk(format!(
                        "screen {:?} is to show language {lang:?}, which the portal does not have",
                        screen.name
                    ))
                    .with_hint(format!(
                        "use one of {}; a further language needs its own [languages.{lang}] table",
                        codes.join(", ")
                    )),
                );
            }
            for kind in &screen.kinds {
                if !LOBBY_KINDS.contains(&kind.as_str()) {
                    let mut d = mk(format!(
                        "screen {:?} has unknown kind {kind:?}",
                        screen.name
                    ));
                    d = d.with_hint(match did_you_mean(kind, LOBBY_KINDS) {
                        Some(k) => {
                            format!("did you mean {k:?}? kinds are {}", LOBBY_KINDS.join(", "))
                        }
                        None => format!("kinds are {}", LOBBY_KINDS.join(", ")),
                    });
                    diags.push(d);
                }
            }
            if !self.teams.is_empty() {
                for team in &screen.teams {
                    if !self.team_names().any(|t| t == team) {
                        diags.push(
                            mk(format!(
                                "screen {:?} names unknown team {team:?}",
                                screen.name
                            ))
                            .with_hint(self.team_hint(team)),
                        );
                    }
                }
            }
        }
    }

    /// The site's time zone (UTC if the name is unknown, which validation reports).
    pub fn tz(&self) -> jiff::tz::TimeZone {
        jiff::tz::TimeZone::get(self.timezone.get_ref()).unwrap_or(jiff::tz::TimeZone::UTC)
    }

    /// The `teams` list as plain names.
    pub fn team_names(&self) -> impl Iterator<Item = &str> {
        self.teams.iter().map(|t| t.get_ref().as_str())
    }

    /// A hint for a team name that is not in `teams`.
    pub fn team_hint(&self, team: &str) -> String {
        match did_you_mean(team, self.team_names()) {
            Some(t) => format!("did you mean {t:?}? teams are listed in site.toml `teams`"),
            None => format!(
                "teams are listed in site.toml `teams`: {}",
                self.team_names().collect::<Vec<_>>().join(", ")
            ),
        }
    }

    /// The lobby screens, with the default single `lobby` screen when none are configured.
    pub fn screens(&self) -> Vec<Screen> {
        if self.lobby.screens.is_empty() {
            vec![Screen {
                name: "lobby".into(),
                kinds: Vec::new(),
                teams: Vec::new(),
                language: None,
            }]
        } else {
            self.lobby.screens.clone()
        }
    }
}

/// The keys the table of site.toml at `path` may have, from [`SITE`]: `[]` is the top,
/// `["lobby"]` the `[lobby]` table, `["lobby", "screens", "0"]` the first `[[lobby.screens]]`.
/// `None` for a table whose keys are not checked (none is) or a path into a value.
fn known_keys(path: &[String]) -> Option<&'static [Field]> {
    let mut keys: &'static [Field] = &SITE;
    let mut rest = path;
    while let [key, tail @ ..] = rest {
        let f = keys.iter().find(|f| f.key == key)?;
        (keys, rest) = match (f.ty, tail) {
            (Type::Table(children), _) => (children, tail),
            (Type::Tables(children), [index, tail @ ..]) if index.parse::<usize>().is_ok() => {
                (children, tail)
            }
            (Type::Named(children), [_, tail @ ..]) => (children, tail),
            _ => return None,
        };
    }
    Some(keys)
}

/// Reports every unknown key of site.toml with its line; returns their paths.
fn unknown_keys(
    source: &Arc<str>,
    display: &Path,
    diags: &mut Diagnostics,
) -> Vec<std::ops::Range<usize>> {
    use toml::de::{DeTable, DeValue};
    fn walk(
        t: &DeTable<'_>,
        path: &mut Vec<String>,
        source: &Arc<str>,
        display: &Path,
        diags: &mut Diagnostics,
        out: &mut Vec<std::ops::Range<usize>>,
    ) {
        let Some(known) = known_keys(path) else {
            return;
        };
        for (k, v) in t.iter() {
            let name = k.get_ref().to_string();
            if !known.iter().any(|f| f.key == name) {
                let where_ = if path.is_empty() {
                    String::new()
                } else {
                    format!(
                        " in [{}]",
                        path.iter()
                            .filter(|p| p.parse::<usize>().is_err())
                            .cloned()
                            .collect::<Vec<_>>()
                            .join(".")
                    )
                };
                let hint = match did_you_mean(&name, known.iter().map(|f| f.key)) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!(
                        "remove it; the keys here are {}",
                        known.iter().map(|f| f.key).collect::<Vec<_>>().join(", ")
                    ),
                };
                diags.push(
                    Diagnostic::error(display, format!("unknown key `{name}`{where_}"))
                        .at(source, k.span())
                        .with_hint(hint),
                );
                let key = k.span();
                let line_start = source[..key.start].rfind('\n').map_or(0, |i| i + 1);
                let start = if source[line_start..key.start]
                    .trim_matches(|c: char| c.is_whitespace() || c == '[')
                    .is_empty()
                {
                    line_start
                } else {
                    key.start
                };
                let line_end = source[key.end..]
                    .find('\n')
                    .map_or(source.len(), |i| key.end + i);
                let end = v.span().end.max(line_end).min(source.len());
                out.push(start..end);
                continue;
            }
            path.push(name);
            match v.get_ref() {
                DeValue::Table(sub) => walk(sub, path, source, display, diags, out),
                DeValue::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        if let DeValue::Table(sub) = item.get_ref() {
                            path.push(i.to_string());
                            walk(sub, path, source, display, diags, out);
                            path.pop();
                        }
                    }
                }
                _ => {}
            }
            path.pop();
        }
    }
    let mut out = Vec::new();
    if let Ok(t) = DeTable::parse(source) {
        walk(
            t.get_ref(),
            &mut Vec::new(),
            source,
            display,
            diags,
            &mut out,
        );
    }
    out
}

/// Whether two language codes name the same language (`fr-CA` and `fr_ca`).
pub fn same_language(a: &str, b: &str) -> bool {
    a.replace('_', "-")
        .eq_ignore_ascii_case(&b.replace('_', "-"))
}

fn find_line(source: &str, needle: &str) -> Option<std::ops::Range<usize>> {
    source.find(needle).map(|i| i..i + needle.len())
}

/// Makes toml's messages read as sentences for non-developers.
pub(crate) fn clean_toml_message(msg: &str) -> String {
    let msg = msg.trim();
    let first = msg.lines().next().unwrap_or(msg);
    first.trim_end_matches('.').to_string()
}

/// A hint for a toml error: a "did you mean" for an unknown key, else general advice.
pub(crate) fn toml_hint(msg: &str, keys: &[&str]) -> String {
    if let Some(rest) = msg.strip_prefix("unknown field `")
        && let Some(end) = rest.find('`')
    {
        let field = &rest[..end];
        return match did_you_mean(field, keys.iter().copied()) {
            Some(k) => format!("did you mean `{k}`?"),
            None => format!("remove `{field}`; known keys are {}", keys.join(", ")),
        };
    }
    if msg.contains("missing field") {
        return "add the missing key".into();
    }
    if msg.contains("invalid type") {
        return "strings need quotes (\"...\"), lists need brackets ([\"a\", \"b\"]), numbers and true/false do not".into();
    }
    "check the TOML syntax: key = value, strings in double quotes, one key per line".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_keeps_sub_path() {
        let b = BaseUrl::parse("https://intranet.example.com/customers").expect("valid");
        assert_eq!(b.absolute, "https://intranet.example.com/customers/");
        assert_eq!(b.path, "/customers/");
        let b = BaseUrl::parse("http://localhost:1111").expect("valid");
        assert_eq!(b.path, "/");
        assert!(BaseUrl::parse("intranet/customers").is_none());
    }

    /// The keys serde takes in the table at `header` (`""` for the top): those its message for
    /// an unknown key lists ("expected one of `a`, `b`").
    fn serde_keys(header: &str) -> Vec<String> {
        let text = format!("title = \"x\"\nbase_url = \"https://a/\"\n{header}\nzzz_unknown = 1\n");
        let e = toml::from_str::<Config>(&text).expect_err("an unknown key");
        let msg = e.message().to_string();
        let expected = msg
            .split_once("expected")
            .map(|(_, rest)| rest.to_string())
            .unwrap_or_else(|| panic!("{msg}"));
        expected
            .split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    }

    /// The keys of the table of [`SITE`] at `path`.
    fn described(path: &[&str]) -> Vec<String> {
        let path: Vec<String> = path.iter().map(|p| p.to_string()).collect();
        known_keys(&path)
            .expect("a described table")
            .iter()
            .map(|f| f.key.to_string())
            .collect()
    }

    #[test]
    fn the_description_has_every_key_the_reader_takes_and_no_other() {
        for (header, path) in [
            ("", &[][..]),
            ("[markdown]", &["markdown"][..]),
            ("[letter]", &["letter"][..]),
            ("[lobby]", &["lobby"][..]),
            ("[[lobby.screens]]", &["lobby", "screens", "0"][..]),
        ] {
            let mut serde = serde_keys(header);
            let mut ours = described(path);
            serde.sort();
            ours.sort();
            assert_eq!(serde, ours, "{header:?}");
        }
    }

    #[test]
    fn the_description_has_the_readers_defaults() {
        let c = Config::parse(
            "title = \"x\"\nbase_url = \"https://a/\"\n",
            Path::new("site.toml"),
        )
        .expect("valid");
        let default = |path: &[&str], key: &str| {
            let path: Vec<String> = path.iter().map(|p| p.to_string()).collect();
            let f = known_keys(&path)
                .and_then(|keys| keys.iter().find(|f| f.key == key))
                .unwrap_or_else(|| panic!("{key}"));
            let text = f.default.unwrap_or_else(|| panic!("{key} has no default"));
            toml::from_str::<toml::Table>(&format!("v = {text}")).expect("TOML")["v"].clone()
        };
        let s = |v: &str| toml::Value::String(v.into());
        let n = |v: i64| toml::Value::Integer(v);
        assert_eq!(default(&[], "description"), s(&c.description));
        assert_eq!(default(&[], "language"), s(&c.language));
        assert_eq!(default(&[], "timezone"), s(c.timezone.get_ref()));
        assert_eq!(default(&[], "theme"), s(&c.theme));
        assert_eq!(default(&[], "paginate"), n(*c.paginate.get_ref() as i64));
        assert_eq!(default(&[], "feed_limit"), n(c.feed_limit as i64));
        assert_eq!(
            default(&["markdown"], "unsafe_html"),
            toml::Value::Boolean(c.markdown.unsafe_html)
        );
        for (key, value) in [
            ("slide_seconds", c.lobby.slide_seconds),
            ("max_age_days", c.lobby.max_age_days),
            ("check_seconds", c.lobby.check_seconds),
            ("reload_hours", c.lobby.reload_hours),
        ] {
            assert_eq!(default(&["lobby"], key), n(i64::from(value)), "{key}");
        }
    }

    #[test]
    fn unknown_key_has_line_and_suggestion() {
        let err = Config::parse(
            "title = \"x\"\nbase_url = \"https://a/\"\ntimezon = \"UTC\"\n",
            Path::new("site.toml"),
        )
        .expect_err("unknown key");
        let all: Vec<String> = err.sorted().iter().map(|d| d.short()).collect();
        assert_eq!(all.len(), 1, "{all:?}");
        let d = err.sorted()[0].clone();
        assert_eq!(d.line, Some(3));
        assert!(d.message.contains("timezon"), "{}", d.message);
        assert_eq!(d.hint.as_deref(), Some("did you mean `timezone`?"));
    }
}
