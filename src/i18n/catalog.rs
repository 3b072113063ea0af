//! Translation tables: every word the theme prints, by message id (`nav.roadmap`), read from
//! `i18n/LANG.toml` files in layers — the bundled tables, a site theme's, the portal's own —
//! and merged over English, so that a message nobody translated still reads in English.
//!
//! A table is TOML: `[nav] roadmap = "Roadmap"` is the message `nav.roadmap`. A message may
//! hold values (`"{n} tasks late"`, `"Thanks to {people}"`; `{{` is a literal brace), and a
//! message shown with a number has plural forms, a table of CLDR categories with `other`
//! required: `late = { one = "{n} task late", other = "{n} tasks late" }`.

use std::path::PathBuf;
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};
use toml::de::{DeTable, DeValue};

use super::locale::{Locale, Plural};
use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};

/// Where a table comes from; later layers replace earlier ones' messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Layer {
    /// Bundled with herald (`themes/default/i18n/`).
    Bundled,
    /// The site's own theme (`themes/NAME/i18n/`).
    Theme,
    /// The portal's `i18n/` folder.
    Portal,
}

/// One `LANG.toml` file's text.
#[derive(Debug, Clone)]
pub struct Table {
    /// The language tag its name gives (`de`, `fr-CA`).
    pub lang: String,
    /// Which layer it belongs to.
    pub layer: Layer,
    /// The file, for messages.
    pub display: PathBuf,
    /// Its text.
    pub text: Arc<str>,
}

#[derive(Debug, Clone)]
enum Part {
    /// Literal text, and the same escaped for HTML (`&`, `<`, `>`, `"`; an apostrophe stays,
    /// as it does in a template's own text).
    Lit { plain: Box<str>, html: Box<str> },
    /// A value by name.
    Arg(Box<str>),
}

#[derive(Debug, Clone)]
struct Pattern {
    parts: Vec<Part>,
}

#[derive(Debug, Clone)]
struct Message {
    /// By category; `other` is always there.
    forms: Vec<(Plural, Pattern)>,
}

/// One language's messages, English beneath, with its formats.
pub struct Catalog {
    locale: Locale,
    messages: FxHashMap<Box<str>, Message>,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog")
            .field("lang", &self.locale.tag())
            .field("messages", &self.messages.len())
            .finish()
    }
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

fn parse_pattern(s: &str) -> Pattern {
    let mut parts = Vec::new();
    let mut lit = String::new();
    let mut rest = s;
    let flush = |lit: &mut String, parts: &mut Vec<Part>| {
        if !lit.is_empty() {
            parts.push(Part::Lit {
                html: escape(lit).into(),
                plain: std::mem::take(lit).into(),
            });
        }
    };
    while let Some(i) = rest.find(['{', '}']) {
        lit.push_str(&rest[..i]);
        let tail = &rest[i..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            lit.push_str(&tail[..1]);
            rest = &tail[2..];
            continue;
        }
        if let Some(end) = tail.find('}')
            && tail.starts_with('{')
            && is_name(&tail[1..end])
        {
            flush(&mut lit, &mut parts);
            parts.push(Part::Arg(tail[1..end].into()));
            rest = &tail[end + 1..];
            continue;
        }
        lit.push_str(&tail[..1]);
        rest = &tail[1..];
    }
    lit.push_str(rest);
    flush(&mut lit, &mut parts);
    Pattern { parts }
}

fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn category(name: &str) -> Option<Plural> {
    Some(match name {
        "zero" => Plural::Zero,
        "one" => Plural::One,
        "two" => Plural::Two,
        "few" => Plural::Few,
        "many" => Plural::Many,
        "other" => Plural::Other,
        _ => return None,
    })
}

impl Message {
    fn args(&self) -> impl Iterator<Item = &str> {
        self.forms.iter().flat_map(|(_, p)| {
            p.parts.iter().filter_map(|part| match part {
                Part::Arg(a) => Some(&**a),
                Part::Lit { .. } => None,
            })
        })
    }

    fn pattern(&self, plural: Plural) -> &Pattern {
        let other = self.forms.iter().find(|(c, _)| *c == Plural::Other);
        self.forms
            .iter()
            .find(|(c, _)| *c == plural)
            .or(other)
            .map(|(_, p)| p)
            .unwrap_or_else(|| &self.forms[0].1)
    }
}

/// Reads one table into `(id, message, span)`s; problems go to `diags`.
fn read_table(
    table: &Table,
    diags: &mut Diagnostics,
) -> Vec<(String, Message, std::ops::Range<usize>)> {
    let root = match DeTable::parse(&table.text) {
        Ok(t) => t,
        Err(e) => {
            let mut d = Diagnostic::error(
                &table.display,
                format!("this translation table is not valid TOML: {}", e.message().trim()),
            )
            .with_hint("a message is written `id = \"words\"` under its `[section]`; quotes go around the words");
            if let Some(span) = e.span() {
                d = d.at(&table.text, span);
            }
            diags.push(d);
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    walk(root.get_ref(), &mut String::new(), table, diags, &mut out);
    out
}

fn walk(
    t: &DeTable<'_>,
    prefix: &mut String,
    table: &Table,
    diags: &mut Diagnostics,
    out: &mut Vec<(String, Message, std::ops::Range<usize>)>,
) {
    for (k, v) in t.iter() {
        let len = prefix.len();
        if !prefix.is_empty() {
            prefix.push('.');
        }
        prefix.push_str(k.get_ref());
        match v.get_ref() {
            DeValue::String(s) => out.push((
                prefix.clone(),
                Message {
                    forms: vec![(Plural::Other, parse_pattern(s))],
                },
                k.span(),
            )),
            DeValue::Table(sub)
                if !sub.is_empty() && sub.iter().all(|(c, _)| category(c.get_ref()).is_some()) =>
            {
                let mut forms = Vec::new();
                for (c, form) in sub.iter() {
                    match (category(c.get_ref()), form.get_ref()) {
                        (Some(cat), DeValue::String(s)) => forms.push((cat, parse_pattern(s))),
                        _ => diags.push(
                            Diagnostic::warning(
                                &table.display,
                                format!("`{prefix}.{}` is not words in quotes; it is left out", c.get_ref()),
                            )
                            .at(&table.text, form.span()),
                        ),
                    }
                }
                if forms.iter().any(|(c, _)| *c == Plural::Other) {
                    out.push((prefix.clone(), Message { forms }, k.span()));
                } else {
                    diags.push(
                        Diagnostic::warning(
                            &table.display,
                            format!("the plural forms of `{prefix}` have no `other`; the message is left out"),
                        )
                        .at(&table.text, k.span())
                        .with_hint("`other` is the form for any number the other forms do not cover: `other = \"{n} tasks\"`"),
                    );
                }
            }
            DeValue::Table(sub) => walk(sub, prefix, table, diags, out),
            _ => diags.push(
                Diagnostic::warning(
                    &table.display,
                    format!("`{prefix}` is not words in quotes; it is left out"),
                )
                .at(&table.text, v.span())
                .with_hint("write it `id = \"words\"`, or as plural forms `id = { one = \"…\", other = \"…\" }`"),
            ),
        }
        prefix.truncate(len);
    }
}

/// The tags whose tables make up `lang`, general first: `de-CH` → `de`, `de-CH`.
fn chain(lang: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut tag = String::new();
    for sub in lang.split(['-', '_']) {
        if !tag.is_empty() {
            tag.push('-');
        }
        tag.push_str(sub);
        out.push(tag.clone());
    }
    out
}

fn same_tag(a: &str, b: &str) -> bool {
    a.replace('_', "-")
        .eq_ignore_ascii_case(&b.replace('_', "-"))
}

/// A language's own name for itself ("Deutsch", "Français"), from its tables'
/// `language.name`; the code when no table gives one.
pub fn language_name(code: &str, tables: &[Table]) -> String {
    let mut name = None;
    let mut sorted: Vec<&Table> = tables.iter().filter(|t| same_tag(&t.lang, code)).collect();
    sorted.sort_by_key(|t| t.layer);
    for t in sorted {
        if let Ok(v) = t.text.parse::<toml::Table>()
            && let Some(n) = v
                .get("language")
                .and_then(|l| l.get("name"))
                .and_then(|n| n.as_str())
        {
            name = Some(n.to_string());
        }
    }
    name.unwrap_or_else(|| code.to_string())
}

impl Catalog {
    /// The messages for `lang`: English from every layer, then each of `lang`'s tables in layer
    /// order. Unknown ids, values a message does not have and, when `lang` is not English,
    /// messages left in English are warned of.
    pub fn build(lang: &str, tables: &[Table], diags: &mut Diagnostics) -> Catalog {
        let locale = Locale::new(lang)
            .or_else(|_| Locale::new("en"))
            .unwrap_or_else(|_| unreachable_locale());
        let mut sorted: Vec<&Table> = tables.iter().collect();
        sorted.sort_by_key(|t| t.layer);
        let mut messages: FxHashMap<Box<str>, Message> = FxHashMap::default();
        let mut english_ids: Vec<String> = Vec::new();
        for t in sorted.iter().filter(|t| same_tag(&t.lang, "en")) {
            for (id, m, span) in read_table(t, diags) {
                if t.layer != Layer::Bundled && !messages.contains_key(id.as_str()) {
                    unknown(t, &id, span, &english_ids, diags);
                    continue;
                }
                if !messages.contains_key(id.as_str()) {
                    english_ids.push(id.clone());
                }
                messages.insert(id.into(), m);
            }
        }
        if locale.is_english() && chain(lang).len() == 1 {
            return Catalog { locale, messages };
        }
        let mut translated: FxHashSet<String> = FxHashSet::default();
        let mut last_file: Option<&Table> = None;
        for tag in chain(lang).iter().filter(|t| !same_tag(t, "en")) {
            for t in sorted.iter().filter(|t| same_tag(&t.lang, tag)) {
                last_file = Some(t);
                for (id, m, span) in read_table(t, diags) {
                    let Some(english) = messages.get(id.as_str()) else {
                        unknown(t, &id, span, &english_ids, diags);
                        continue;
                    };
                    let allowed: FxHashSet<&str> = english.args().chain(["n"]).collect();
                    if let Some(bad) = m.args().find(|a| !allowed.contains(a)) {
                        let mut have: Vec<&str> = english.args().collect();
                        have.sort_unstable();
                        have.dedup();
                        let have = if have.is_empty() {
                            "none".to_string()
                        } else {
                            have.iter()
                                .map(|a| format!("{{{a}}}"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        };
                        diags.push(
                            Diagnostic::warning(
                                &t.display,
                                format!("`{id}` uses {{{bad}}}, a value this message does not have; the English words are used"),
                            )
                            .at(&t.text, span)
                            .with_hint(format!("the values it has: {have}")),
                        );
                        continue;
                    }
                    translated.insert(id.clone());
                    messages.insert(id.into(), m);
                }
            }
        }
        let missing: Vec<&String> = english_ids
            .iter()
            .filter(|id| !translated.contains(*id))
            .collect();
        if !missing.is_empty() {
            let (file, what) = match last_file {
                Some(t) => (
                    t.display.clone(),
                    format!(
                        "{} of {} messages have no `{lang}` words",
                        missing.len(),
                        english_ids.len()
                    ),
                ),
                None => (
                    PathBuf::from("site.toml"),
                    format!("herald has no `{lang}` words for its pages"),
                ),
            };
            let shown: Vec<&str> = missing.iter().take(6).map(|s| s.as_str()).collect();
            let more = missing.len().saturating_sub(shown.len());
            let list = if more > 0 {
                format!("{} and {more} more", shown.join(", "))
            } else {
                shown.join(", ")
            };
            diags.push(
                Diagnostic::warning(file, format!("{what}; they show in English"))
                    .with_hint(format!("add them to i18n/{lang}.toml: {list}")),
            );
        }
        Catalog { locale, messages }
    }

    /// The language's formats.
    pub fn locale(&self) -> &Locale {
        &self.locale
    }

    /// The language tag.
    pub fn lang(&self) -> &str {
        self.locale.tag()
    }

    /// Whether there is a message `id`.
    pub fn has(&self, id: &str) -> bool {
        self.messages.contains_key(id)
    }

    /// Every message id, for did-you-mean.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.messages.keys().map(|k| &**k)
    }

    /// Every message as a page shows it when given no values (its `other` form, each value as
    /// `{name}`): `(id, plain text, HTML-escaped text)`, for templates to look up once.
    pub fn without_values(&self) -> impl Iterator<Item = (&str, String, String)> {
        self.messages.keys().filter_map(|id| {
            let plain = self.render(id, None, &|_| None, false)?;
            let html = self.render(id, None, &|_| None, true)?;
            Some((&**id, plain, html))
        })
    }

    /// A message as plain text, with `n` (shown with at most `decimals` decimals) choosing
    /// its plural form and filling `{n}`, and `args` filling the other values; `None` when
    /// there is no such message.
    pub fn render(
        &self,
        id: &str,
        n: Option<(f64, usize)>,
        args: &dyn Fn(&str) -> Option<String>,
        html: bool,
    ) -> Option<String> {
        let m = self.messages.get(id)?;
        let plural = match n {
            Some((x, d)) => self.locale.plural(x, d),
            None => Plural::Other,
        };
        let p = m.pattern(plural);
        let mut out = String::new();
        for part in &p.parts {
            match part {
                Part::Lit { plain, html: h } => out.push_str(if html { h } else { plain }),
                Part::Arg(name) if &**name == "n" && n.is_some() => {
                    if let Some((x, d)) = n {
                        out.push_str(&self.locale.number(x, d));
                    }
                }
                Part::Arg(name) => match args(name) {
                    Some(v) => out.push_str(&v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                },
            }
        }
        Some(out)
    }

    /// The messages under `prefix` (`search`: `search.no_results` and the rest) as a JSON
    /// object for a page's script, keyed by the id after the prefix: text as a string, plural
    /// forms as an object of categories. Values stay `{name}` for the script to fill.
    pub fn json(&self, prefix: &str) -> serde_json::Value {
        let dotted = format!("{prefix}.");
        let mut out: std::collections::BTreeMap<&str, serde_json::Value> = Default::default();
        for (id, m) in &self.messages {
            let Some(rest) = id.strip_prefix(dotted.as_str()) else {
                continue;
            };
            let plain = |p: &Pattern| {
                let mut s = String::new();
                for part in &p.parts {
                    match part {
                        Part::Lit { plain, .. } => s.push_str(plain),
                        Part::Arg(a) => {
                            s.push('{');
                            s.push_str(a);
                            s.push('}');
                        }
                    }
                }
                serde_json::Value::String(s)
            };
            let v = if m.forms.len() == 1 && m.forms[0].0 == Plural::Other {
                plain(&m.forms[0].1)
            } else {
                serde_json::Value::Object(
                    m.forms
                        .iter()
                        .map(|(c, p)| (c.name().to_string(), plain(p)))
                        .collect(),
                )
            };
            out.insert(rest, v);
        }
        serde_json::to_value(out).unwrap_or_default()
    }

    /// A message as plain text, for herald's own Rust-made words; the id itself when there is
    /// no such message (a test checks that every id herald asks for exists).
    pub fn text(&self, id: &str) -> String {
        self.render(id, None, &|_| None, false)
            .unwrap_or_else(|| id.to_string())
    }

    /// [`Catalog::text`] with a number and named values.
    pub fn format(&self, id: &str, n: Option<f64>, args: &[(&str, &str)]) -> String {
        let decimals = 2;
        self.render(
            id,
            n.map(|x| (x, decimals)),
            &|name| {
                args.iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            },
            false,
        )
        .unwrap_or_else(|| id.to_string())
    }
}

fn unreachable_locale() -> Locale {
    // `Locale::new("en")` does not fail; this keeps `build` free of a panic all the same.
    Locale::new("und").unwrap_or_else(|e| panic!("no locale at all: {e}"))
}

fn unknown(
    t: &Table,
    id: &str,
    span: std::ops::Range<usize>,
    ids: &[String],
    diags: &mut Diagnostics,
) {
    let hint = match did_you_mean(id, ids.iter().map(String::as_str)) {
        Some(s) => format!("did you mean `{s}`?"),
        None => {
            "the ids are those of the English table, themes/default/i18n/en.toml in herald's source"
                .to_string()
        }
    };
    diags.push(
        Diagnostic::warning(
            &t.display,
            format!("`{id}` is not a message herald's pages print; it is ignored"),
        )
        .at(&t.text, span)
        .with_hint(hint),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(lang: &str, layer: Layer, text: &str) -> Table {
        Table {
            lang: lang.into(),
            layer,
            display: PathBuf::from(format!("i18n/{lang}.toml")),
            text: text.into(),
        }
    }

    #[test]
    fn messages_fall_back_to_english_and_warn() {
        let tables = [
            table(
                "en",
                Layer::Bundled,
                "[nav]\nroadmap = \"Roadmap\"\nhome = \"Home\"\n[x]\nlate = { one = \"{n} task late\", other = \"{n} tasks late\" }\n",
            ),
            table(
                "de",
                Layer::Portal,
                "[nav]\nroadmap = \"Fahrplan\"\nrodmap = \"x\"\n",
            ),
        ];
        let mut diags = Diagnostics::new();
        let c = Catalog::build("de", &tables, &mut diags);
        assert_eq!(c.text("nav.roadmap"), "Fahrplan");
        assert_eq!(c.text("nav.home"), "Home");
        assert_eq!(c.format("x.late", Some(1.0), &[]), "1 task late");
        assert_eq!(c.format("x.late", Some(3.0), &[]), "3 tasks late");
        let text = diags.render(false);
        assert!(text.contains("`nav.rodmap` is not a message"), "{text}");
        assert!(text.contains("did you mean `nav.roadmap`"), "{text}");
        assert!(
            text.contains("2 of 3 messages have no `de` words"),
            "{text}"
        );
        assert!(!diags.has_errors());
    }

    #[test]
    fn escapes_for_html_but_keeps_apostrophes() {
        let tables = [table(
            "en",
            Layer::Bundled,
            "a = \"What's <new> & {who}\"\nb = \"{{literal}} {n}\"\n",
        )];
        let mut diags = Diagnostics::new();
        let c = Catalog::build("en", &tables, &mut diags);
        let who = |k: &str| (k == "who").then(|| "&lt;me&gt;".to_string());
        assert_eq!(
            c.render("a", None, &who, true).as_deref(),
            Some("What's &lt;new&gt; &amp; &lt;me&gt;")
        );
        assert_eq!(c.format("b", Some(2.0), &[]), "{literal} 2");
    }

    #[test]
    fn a_broken_table_is_an_error_with_its_line() {
        let tables = [
            table("en", Layer::Bundled, "a = \"A\"\n"),
            table("fr", Layer::Portal, "a = \"A\"\nb = unquoted\n"),
        ];
        let mut diags = Diagnostics::new();
        let _ = Catalog::build("fr", &tables, &mut diags);
        let text = diags.render(false);
        assert!(diags.has_errors());
        assert!(text.contains("i18n/fr.toml:2"), "{text}");
    }
}
