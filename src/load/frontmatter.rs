//! Front matter: splitting a Markdown file into its `+++` TOML block and body, and a typed,
//! position-aware reader over the TOML that reports every wrong, missing or unknown key of a
//! file at once, each with its line and a hint.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::civil::Date;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostics::{Diagnostic, did_you_mean, line_col};
use crate::load::config::clean_toml_message;
use crate::schema::{self, Required, Type};

/// A Markdown file split into its front matter and body.
#[derive(Debug)]
pub struct Split<'a> {
    /// The TOML between the `+++` lines.
    pub front: &'a str,
    /// Byte offset of `front` in the file.
    pub front_offset: usize,
    /// The Markdown after the closing `+++` line.
    pub body: &'a str,
    /// Byte offset of `body` in the file.
    pub body_offset: usize,
}

/// Splits `text` at its `+++` lines. The error says where and how to fix it.
pub fn split<'a>(text: &'a str, file: &Path, source: &Arc<str>) -> Result<Split<'a>, Diagnostic> {
    let mut lines = LineIter { text, pos: 0 };
    let first = lines.next();
    match first {
        Some((_, line)) if line.trim_end() == "+++" => {}
        Some((start, line)) => {
            let hint = if line.trim_end() == "---" {
                "herald front matter is TOML between `+++` lines, not YAML between `---` lines"
            } else {
                "start the file with a line `+++`, then the keys (title = \"...\"), then another `+++` line"
            };
            return Err(
                Diagnostic::error(file, "the file does not start with front matter")
                    .at(source, start..start + line.trim_end().len().max(1))
                    .with_hint(hint),
            );
        }
        None => {
            return Err(Diagnostic::error(file, "the file is empty").with_hint(
                "start the file with a line `+++`, then the keys (title = \"...\"), then another `+++` line",
            ));
        }
    }
    let front_offset = lines.pos;
    for (start, line) in lines.by_ref() {
        if line.trim_end() == "+++" {
            let body_offset = (start + line.len()).min(text.len());
            return Ok(Split {
                front: &text[front_offset..start],
                front_offset,
                body: &text[body_offset..],
                body_offset,
            });
        }
    }
    Err(Diagnostic::error(file, "the front matter is never closed")
        .at(source, 0..3)
        .with_hint("add a line `+++` after the last key, before the Markdown text"))
}

struct LineIter<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Iterator for LineIter<'a> {
    /// (start offset, line including its `\n`)
    type Item = (usize, &'a str);
    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.text.len() {
            return None;
        }
        let start = self.pos;
        let rest = &self.text[start..];
        let len = rest.find('\n').map_or(rest.len(), |i| i + 1);
        self.pos += len;
        Some((start, &rest[..len]))
    }
}

/// Shared state of one file's front matter reading: the file's text and every problem found.
pub struct Reader {
    /// The file, for diagnostics.
    pub file: PathBuf,
    /// The file's whole text.
    pub source: Arc<str>,
    base: usize,
    diags: RefCell<Vec<Diagnostic>>,
    /// Each syntax error's line in the front matter (0-based) and its index in `diags`.
    syntax: RefCell<Vec<(usize, usize)>>,
    /// The `key = value` lines left out to read past the syntax errors.
    left_out: RefCell<Vec<LeftOut>>,
    /// Diagnostics made redundant by an explanation of their line (indices in `diags`).
    dropped: RefCell<Vec<usize>>,
    /// Added to every message recorded while reading past the syntax errors.
    note: RefCell<Option<String>>,
}

/// The most lines left out to read past syntax errors; a file broken in more places is not
/// worth reading further.
const MAX_LEFT_OUT: usize = 50;

/// A `key = value` line blanked out so that the rest of the front matter could be read.
struct LeftOut {
    /// The `[table]` or `[[table]]` the line is in; empty for the top of the front matter.
    table: String,
    key: String,
    value: String,
    /// The syntax errors of the line (indices in `diags`); empty for a line left out only
    /// because the parser tripped over it once the first ones were blanked.
    diags: Vec<usize>,
    explained: bool,
}

/// What a key wants, in the words given to an author whose value is not TOML.
#[derive(Clone, Copy)]
enum Want<'a> {
    Text,
    Choice(&'a [&'static str]),
    Bool,
    Number,
    /// A number, or short text in double quotes (an improvement's `before`/`after`).
    Figure,
    Date,
    Moment,
    Texts,
}

impl Reader {
    /// A reader for the front matter that starts at byte `base` of `source`.
    pub fn new(file: &Path, source: Arc<str>, base: usize) -> Self {
        Self {
            file: file.to_path_buf(),
            source,
            base,
            diags: RefCell::new(Vec::new()),
            syntax: RefCell::new(Vec::new()),
            left_out: RefCell::new(Vec::new()),
            dropped: RefCell::new(Vec::new()),
            note: RefCell::new(None),
        }
    }

    /// Parses the front matter TOML. Syntax errors are recorded and give `None`.
    pub fn parse<'t>(&self, front: &'t str) -> Option<DeTable<'t>> {
        let (table, errors) = DeTable::parse_recoverable(front);
        if errors.is_empty() {
            return Some(table.into_inner());
        }
        // Past a nesting too deep, or an error with no place, nothing more can be read.
        let recoverable = errors
            .iter()
            .all(|e| e.span().is_some() && !e.message().contains("recurs"));
        for e in errors {
            let mut d = Diagnostic::error(
                &self.file,
                format!(
                    "front matter is not valid TOML: {}",
                    clean_toml_message(e.message())
                ),
            );
            if let Some(span) = e.span() {
                if recoverable {
                    let line = line_index(front, span.start);
                    self.syntax
                        .borrow_mut()
                        .push((line, self.diags.borrow().len()));
                }
                d = d.at(&self.source, self.abs(span));
            }
            d = d.with_hint(syntax_hint(e.message()));
            self.diags.borrow_mut().push(d);
        }
        None
    }

    /// After [`Reader::parse`] failed on `front`: the front matter with the lines of its syntax
    /// errors blanked out (offsets unchanged), when the rest is valid TOML, so that the problems
    /// of the other lines can be found too. Whatever is recorded from then on says which lines
    /// were left out; a key on a left-out line is not reported missing, and a getter that asks
    /// for it turns the line's syntax error into plain words about the value the key wants.
    /// `None` when a table header is broken (its keys would land in the wrong table) or the
    /// text does not become valid.
    pub fn past_syntax_errors(&self, front: &str) -> Option<String> {
        let syntax = self.syntax.borrow().clone();
        let mut blank: BTreeSet<usize> = syntax.iter().map(|(line, _)| *line).collect();
        if blank.is_empty() {
            return None;
        }
        let lines: Vec<&str> = front.split_inclusive('\n').collect();
        let mut text = blanked(&lines, &blank);
        for _ in 0..8 {
            let (_, errors) = DeTable::parse_recoverable(&text);
            if errors.is_empty() || blank.len() > MAX_LEFT_OUT {
                break;
            }
            for e in errors {
                blank.insert(line_index(&text, e.span()?.start));
            }
            text = blanked(&lines, &blank);
        }
        if blank.len() > MAX_LEFT_OUT
            || !DeTable::parse_recoverable(&text).1.is_empty()
            || blank.iter().any(|i| {
                lines
                    .get(*i)
                    .is_some_and(|l| l.trim_start().starts_with('['))
            })
        {
            return None;
        }
        let mut left_out = Vec::new();
        for &i in &blank {
            let Some((key, value)) = lines.get(i).and_then(|l| l.split_once('=')) else {
                continue;
            };
            let table = lines[..i]
                .iter()
                .rev()
                .map(|l| l.trim())
                .find(|l| l.starts_with('['))
                .map(|l| l.trim_matches(|c| c == '[' || c == ']').trim().to_string())
                .unwrap_or_default();
            left_out.push(LeftOut {
                table,
                key: key.trim().trim_matches('"').to_string(),
                value: value_text(value),
                diags: syntax
                    .iter()
                    .filter(|(line, _)| *line == i)
                    .map(|(_, d)| *d)
                    .collect(),
                explained: false,
            });
        }
        *self.left_out.borrow_mut() = left_out;
        let numbers: Vec<String> = blank
            .iter()
            .map(|i| {
                let start: usize = lines[..*i].iter().map(|l| l.len()).sum();
                line_col(&self.source, self.base + start).0.to_string()
            })
            .collect();
        *self.note.borrow_mut() = Some(format!(
            " (found with {} left out, past the syntax error{})",
            list_of_lines(&numbers),
            if numbers.len() == 1 { "" } else { "s" }
        ));
        Some(text)
    }

    /// Whether `key` of `table` is on a left-out line; if so, the line's syntax error is
    /// reworded to say what the key wants.
    fn left_out(&self, table: &str, key: &str, want: Want<'_>) -> bool {
        let mut found = false;
        let mut left_out = self.left_out.borrow_mut();
        for l in left_out
            .iter_mut()
            .filter(|l| l.table == table && l.key == key)
        {
            found = true;
            let Some((&first, rest)) = l.diags.split_first() else {
                continue;
            };
            if l.explained {
                continue;
            }
            l.explained = true;
            let (what, hint) = plain_words(key, &l.value, want);
            if let Some(d) = self.diags.borrow_mut().get_mut(first) {
                d.message = format!("front matter is not valid TOML: {what}");
                d.hint = Some(hint);
            }
            self.dropped.borrow_mut().extend_from_slice(rest);
        }
        found
    }

    fn noted(&self, message: impl Into<String>) -> String {
        let mut message = message.into();
        if let Some(note) = self.note.borrow().as_deref() {
            message.push_str(note);
        }
        message
    }

    /// Records a problem at a span of the front matter.
    pub fn error_at(
        &self,
        span: Range<usize>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        let d = Diagnostic::error(&self.file, self.noted(message))
            .at(&self.source, self.abs(span))
            .with_hint(hint);
        self.diags.borrow_mut().push(d);
    }

    /// Records a warning at a span of the front matter.
    pub fn warn_at(&self, span: Range<usize>, message: impl Into<String>, hint: impl Into<String>) {
        let mut d = Diagnostic::warning(&self.file, self.noted(message))
            .at(&self.source, self.abs(span))
            .with_hint(hint);
        d.severity = crate::diagnostics::Severity::Warning;
        self.diags.borrow_mut().push(d);
    }

    /// Records a problem with no better position than the file's first line.
    pub fn error(&self, message: impl Into<String>, hint: impl Into<String>) {
        let d = Diagnostic::error(&self.file, self.noted(message))
            .at(&self.source, 0..3)
            .with_hint(hint);
        self.diags.borrow_mut().push(d);
    }

    /// The problems found so far.
    pub fn take(&self) -> Vec<Diagnostic> {
        let dropped = std::mem::take(&mut *self.dropped.borrow_mut());
        std::mem::take(&mut *self.diags.borrow_mut())
            .into_iter()
            .enumerate()
            .filter(|(i, _)| !dropped.contains(i))
            .map(|(_, d)| d)
            .collect()
    }

    /// True when any error has been recorded.
    pub fn has_errors(&self) -> bool {
        self.diags
            .borrow()
            .iter()
            .any(|d| d.severity == crate::diagnostics::Severity::Error)
    }

    fn abs(&self, span: Range<usize>) -> Range<usize> {
        span.start + self.base..span.end + self.base
    }

    /// A field reader over the top table of a file, whose keys are `keys` (a kind's
    /// [`schema::KindSchema::fields`]); `what` names the table in messages ("an improvement").
    pub fn fields<'r, 't>(
        &'r self,
        table: &'r DeTable<'t>,
        what: &'static str,
        keys: &'static [schema::Field],
    ) -> Fields<'r, 't> {
        Fields {
            reader: self,
            table,
            what,
            name: "",
            keys,
            asked: RefCell::new(Vec::new()),
        }
    }
}

/// The 0-based line of byte `offset` of `text`.
fn line_index(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
}

/// The front matter's lines, those in `blank` made spaces (line ends kept).
fn blanked(lines: &[&str], blank: &BTreeSet<usize>) -> String {
    let mut out = String::with_capacity(lines.iter().map(|l| l.len()).sum());
    for (i, l) in lines.iter().enumerate() {
        if !blank.contains(&i) {
            out.push_str(l);
            continue;
        }
        for c in l.chars() {
            if c == '\n' || c == '\r' {
                out.push(c);
            } else {
                out.extend(std::iter::repeat_n(' ', c.len_utf8()));
            }
        }
    }
    out
}

/// A value as written after `=`, without a trailing comment or spaces.
fn value_text(value: &str) -> String {
    let v = value.trim();
    let v = match v.find(" #") {
        Some(i) if !v.starts_with('"') => &v[..i],
        _ => v,
    };
    v.trim().to_string()
}

/// `line 4`, `lines 4 and 7`, `lines 4, 7 and 9`.
fn list_of_lines(numbers: &[String]) -> String {
    match numbers {
        [] => String::new(),
        [one] => format!("line {one}"),
        [init @ .., last] => format!("lines {} and {last}", init.join(", ")),
    }
}

/// What a key wants (`` `done` is yes or no ``) and how to write it, for a `key = value` line
/// that is not TOML.
fn plain_words(key: &str, value: &str, want: Want<'_>) -> (String, String) {
    let bare = value.trim_matches(|c| c == '"' || c == '\'');
    let why = why_not_a_date(bare);
    if matches!(want, Want::Date | Want::Moment) && !why.is_empty() {
        return (
            format!("`{key}` is not a real date{why}"),
            format!("write it as year-month-day: {key} = 2026-03-14"),
        );
    }
    let (what, hint): (String, String) = match want {
        Want::Text if value.starts_with('"') => (
            "text in double quotes".into(),
            format!("close the double quotes: {key} = \"{}\"", bare.trim()),
        ),
        Want::Text => {
            let example = if bare.is_empty() || bare.contains('"') {
                "..."
            } else {
                bare
            };
            (
                "text".into(),
                format!(
                    "put it in double quotes: {key} = \"{}\"",
                    truncate(example, 40)
                ),
            )
        }
        Want::Choice(choices) => {
            let pick = did_you_mean(bare, choices.iter().copied())
                .or_else(|| choices.first().copied())
                .unwrap_or("...");
            (
                format!("one of {}", choices.join(", ")),
                format!("put it in double quotes: {key} = \"{pick}\""),
            )
        }
        Want::Bool => (
            "yes or no".into(),
            format!("write {key} = true or {key} = false"),
        ),
        Want::Number => (
            "a number".into(),
            format!("write the number alone, without quotes or units: {key} = 42"),
        ),
        Want::Figure => {
            let example = if bare.trim().is_empty() || bare.contains('"') {
                "1 in 3"
            } else {
                bare.trim()
            };
            (
                "a number, or short text in double quotes".into(),
                format!(
                    "put text in double quotes: {key} = \"{}\"; a number goes alone: {key} = 42",
                    truncate(example, 40)
                ),
            )
        }
        Want::Date => (
            "a date".into(),
            format!(
                "dates are written year-month-day, without quotes: {key} = {}",
                reordered_date(bare).unwrap_or_else(|| "2026-03-14".into())
            ),
        ),
        Want::Moment => (
            "a date, or a date and time".into(),
            format!(
                "write it without quotes: {key} = {} or {key} = 2026-03-14T09:00:00",
                reordered_date(bare).unwrap_or_else(|| "2026-03-14".into())
            ),
        ),
        Want::Texts => {
            let items: Vec<String> = value
                .trim_matches(|c| c == '[' || c == ']')
                .split(',')
                .map(|i| i.trim().trim_matches(|c| c == '"' || c == '\'').trim())
                .filter(|i| !i.is_empty() && !i.contains('"'))
                .map(|i| format!("\"{}\"", truncate(i, 40)))
                .collect();
            let list = if items.is_empty() {
                "\"Billing\", \"Customer Care\"".to_string()
            } else {
                items.join(", ")
            };
            (
                "a list of text values".into(),
                format!("put each in double quotes, the list in brackets: {key} = [{list}]"),
            )
        }
    };
    (format!("`{key}` is {what}"), hint)
}

/// `31/01/2027` or `01/31/2027` as `2027-01-31`, when the order is plain from the numbers
/// (a day above 12); `None` when it is not a date in another order, or could be either.
fn reordered_date(text: &str) -> Option<String> {
    let parts: Vec<&str> = text.split(['/', '.', '-']).collect();
    let [a, b, y] = parts.as_slice() else {
        return None;
    };
    let (a, b, y) = (
        a.parse::<i8>().ok()?,
        b.parse::<i8>().ok()?,
        y.parse::<i16>().ok()?,
    );
    if y < 1000 {
        return None;
    }
    let (m, d) = match (a > 12, b > 12) {
        (true, false) => (b, a),
        (false, true) => (a, b),
        _ => return None,
    };
    Date::new(y, m, d).ok().map(|date| date.to_string())
}

fn syntax_hint(msg: &str) -> &'static str {
    if msg.contains("recurs") {
        "keys, tables or lists are nested far too deeply; front matter needs at most a few levels"
    } else if msg.contains("string") || msg.contains("invalid") {
        "text values need double quotes: title = \"Faster refunds\"; dates have none: date = 2026-03-14"
    } else if msg.contains("duplicate") {
        "each key may appear only once"
    } else {
        "each line is key = value; text in double quotes, lists in [brackets], dates as 2026-03-14"
    }
}

/// Reads typed values out of one TOML table whose keys the schema describes: each getter takes
/// only the key, and the schema says whether it is required, which values a choice allows, how
/// long a figure's text may be and how few items a list may have. [`Fields::finish`] reports
/// the keys that are not in the schema.
///
/// A getter asked for a key the schema does not have, or whose type is not the getter's, is a
/// mistake in herald, not in the file: debug builds stop on it (and every kind is read whole in
/// the tests, so none can go unseen).
pub struct Fields<'r, 't> {
    reader: &'r Reader,
    table: &'r DeTable<'t>,
    what: &'static str,
    /// The `[table]` this reads, as its header names it; empty for the top.
    name: &'static str,
    /// The keys the table may have, from the schema.
    keys: &'static [schema::Field],
    /// The keys the getters asked for, to check that every key of the schema is read.
    asked: RefCell<Vec<&'static str>>,
}

/// A string value with the span of its value in the front matter.
pub type SpannedString = Spanned<String>;

impl<'r, 't> Fields<'r, 't> {
    fn get(
        &self,
        key: &'static str,
    ) -> Option<(&'r Spanned<DeString<'t>>, &'r Spanned<DeValue<'t>>)> {
        self.table.get_key_value(key)
    }

    /// The schema's field for `key`, asked for by a getter that reads values of which `fits`
    /// says yes; `None` (and a stop in debug builds) when the schema has no such key.
    fn ask(&self, key: &'static str, fits: fn(&Type) -> bool) -> Option<&'static schema::Field> {
        let field = self.keys.iter().find(|f| f.key == key);
        debug_assert!(
            field.is_some(),
            "herald reads `{key}` of {}, which the schema does not have",
            self.what
        );
        debug_assert!(
            field.is_none_or(|f| fits(&f.ty)),
            "herald reads `{key}` of {} as another type than the schema's {:?}",
            self.what,
            field.map(|f| f.ty)
        );
        self.asked.borrow_mut().push(key);
        field
    }

    /// Whether `field` must be there, as the schema says: always, never, or unless one of the
    /// keys it names holds text.
    fn must(&self, field: Option<&schema::Field>) -> bool {
        match field.map(|f| f.required) {
            Some(Required::Yes) => true,
            Some(Required::UnlessText(keys)) => !keys.iter().any(|k| self.is_text(k)),
            Some(Required::No) | None => false,
        }
    }

    /// Whether the key must be there in this table, as the schema says (a key required unless
    /// another holds text is required when none does).
    pub fn required(&self, key: &str) -> bool {
        self.must(self.keys.iter().find(|f| f.key == key))
    }

    /// A key that is not there: missing when `required`, unless its line was left out past a
    /// syntax error, which then says what the key wants.
    fn absent(&self, key: &str, want: Want<'_>, required: bool, example: &str) {
        if !self.reader.left_out(self.name, key, want) && required {
            self.missing(key, example);
        }
    }

    fn missing(&self, key: &str, example: &str) {
        self.reader.error(
            format!("{} is missing required key `{key}`", self.what),
            format!("add a line: {key} = {example}"),
        );
    }

    fn wrong_type(
        &self,
        key: &str,
        span: Range<usize>,
        expected: &str,
        found: &DeValue<'_>,
        example: &str,
    ) {
        self.reader.error_at(
            span,
            format!("`{key}` must be {expected}, not {}", describe(found)),
            format!("write it like: {key} = {example}"),
        );
    }

    /// The span of a key's value, if present.
    pub fn span(&self, key: &str) -> Option<Range<usize>> {
        self.table.get(key).map(Spanned::span)
    }

    /// True when the key is present.
    pub fn has(&self, key: &str) -> bool {
        self.table.contains_key(key)
    }

    /// True when the key holds text in quotes, whether or not the text reads well.
    fn is_text(&self, key: &str) -> bool {
        self.table
            .get(key)
            .is_some_and(|v| matches!(v.get_ref(), DeValue::String(_)))
    }

    /// A string (text or long text in the schema); a required one's absence is reported, and
    /// an empty one counts as missing.
    pub fn string(&self, key: &'static str) -> Option<SpannedString> {
        let field = self.ask(key, |t| matches!(t, Type::Text | Type::LongText));
        self.string_as(key, self.must(field), Want::Text)
    }

    fn string_as(
        &self,
        key: &'static str,
        required: bool,
        want: Want<'_>,
    ) -> Option<SpannedString> {
        let Some((_, v)) = self.get(key) else {
            self.absent(key, want, required, "\"...\"");
            return None;
        };
        match v.get_ref() {
            DeValue::String(s) => {
                if required && s.trim().is_empty() {
                    self.reader.error_at(
                        v.span(),
                        format!("`{key}` is empty"),
                        format!("write a value between the quotes: {key} = \"...\""),
                    );
                    return None;
                }
                Some(Spanned::new(v.span(), s.to_string()))
            }
            other => {
                self.wrong_type(key, v.span(), "text in double quotes", other, "\"...\"");
                None
            }
        }
    }

    /// One of the schema's choices for the key; anything else is an error with a suggestion.
    pub fn choice(&self, key: &'static str) -> Option<Spanned<&'static str>> {
        let field = self.ask(key, |t| matches!(t, Type::Choice(_)));
        let choices = field.map_or(&[][..], schema::Field::choices);
        let s = self.string_as(key, self.must(field), Want::Choice(choices))?;
        if let Some(c) = choices.iter().find(|c| **c == s.get_ref().as_str()) {
            return Some(Spanned::new(s.span(), *c));
        }
        let list = choices.join(", ");
        let hint = match did_you_mean(s.get_ref(), choices.iter().copied()) {
            Some(c) => format!("did you mean \"{c}\"? `{key}` is one of {list}"),
            None => format!("`{key}` is one of {list}"),
        };
        self.reader
            .error_at(s.span(), format!("unknown {key} {:?}", s.get_ref()), hint);
        None
    }

    /// A boolean.
    pub fn bool(&self, key: &'static str) -> Option<bool> {
        let field = self.ask(key, |t| matches!(t, Type::Bool));
        let Some((_, v)) = self.get(key) else {
            self.absent(key, Want::Bool, self.must(field), "true");
            return None;
        };
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            other => {
                self.wrong_type(key, v.span(), "true or false", other, "true");
                None
            }
        }
    }

    /// A number (integer or float).
    pub fn number(&self, key: &'static str) -> Option<f64> {
        let field = self.ask(key, |t| matches!(t, Type::Number));
        let Some((_, v)) = self.get(key) else {
            self.absent(key, Want::Number, self.must(field), "42");
            return None;
        };
        match v.get_ref() {
            n @ (DeValue::Integer(_) | DeValue::Float(_)) => number_of(n),
            other => {
                self.wrong_type(key, v.span(), "a number", other, "42");
                None
            }
        }
    }

    /// A number, or short text as people say it (`"1 in 3"`), shown as written: the text is
    /// trimmed, and may not be empty, run over lines or be longer than `max_chars`
    /// characters (the schema's [`Type::Figure`]). Text that is only a number gets a warning,
    /// as herald cannot work with it.
    pub fn figure(&self, key: &'static str) -> Option<Spanned<Figure>> {
        let field = self.ask(key, |t| matches!(t, Type::Figure { .. }));
        let max_chars = match field.map(|f| f.ty) {
            Some(Type::Figure { max }) => max,
            _ => schema::FIGURE_TEXT_MAX,
        };
        let Some((_, v)) = self.get(key) else {
            self.absent(key, Want::Figure, self.must(field), "42");
            return None;
        };
        let span = v.span();
        let text = match v.get_ref() {
            n @ (DeValue::Integer(_) | DeValue::Float(_)) => {
                return number_of(n).map(|x| Spanned::new(span, Figure::Number(x)));
            }
            DeValue::String(s) => s.trim(),
            other => {
                self.reader.error_at(
                    span,
                    format!(
                        "`{key}` must be a number, or short text in double quotes, not {}",
                        describe(other)
                    ),
                    format!("write it like: {key} = 42, or {key} = \"1 in 3\""),
                );
                return None;
            }
        };
        if text.is_empty() {
            self.reader.error_at(
                span,
                format!("`{key}` is empty"),
                format!(
                    "write a number, or short text as people say it: {key} = 42, or {key} = \"1 in 3\""
                ),
            );
            return None;
        }
        if text.contains(['\n', '\r']) {
            self.reader.error_at(
                span,
                format!("`{key}` runs over more than one line"),
                format!(
                    "write it on one line, short, as people say it: {key} = \"{}\"",
                    truncate(text.lines().next().unwrap_or_default().trim(), max_chars)
                ),
            );
            return None;
        }
        let chars = text.chars().count();
        if chars > max_chars {
            self.reader.error_at(
                span,
                format!(
                    "`{key}` is {chars} characters long; it is shown big, so at most {max_chars} fit"
                ),
                format!(
                    "say it short, as people say it: {key} = \"1 in 3\"; the page's text below the front matter has room for the rest"
                ),
            );
            return None;
        }
        if let Some(x) = text.parse::<f64>().ok().filter(|x| x.is_finite()) {
            self.reader.warn_at(
                span.clone(),
                format!(
                    "`{key}` is the text {text:?}, so it is shown as written and herald cannot work out the change"
                ),
                format!(
                    "to compare the numbers, write it without quotes: {key} = {}",
                    crate::util::number::format_number(x, 10)
                ),
            );
        }
        Some(Spanned::new(span, Figure::Text(text.to_string())))
    }

    /// A calendar date, written `2026-03-14` (a TOML date) or `"2026-03-14"`.
    pub fn date(&self, key: &'static str) -> Option<Spanned<Date>> {
        let field = self.ask(key, |t| matches!(t, Type::Date));
        let Some((_, v)) = self.get(key) else {
            self.absent(key, Want::Date, self.must(field), "2026-03-14");
            return None;
        };
        let parsed = match v.get_ref() {
            DeValue::Datetime(dt) => match (dt.date, dt.time) {
                (Some(d), None) => Date::new(d.year as i16, d.month as i8, d.day as i8).ok(),
                _ => {
                    self.reader.error_at(
                        v.span(),
                        format!("`{key}` must be a date without a time"),
                        format!("write it like: {key} = 2026-03-14"),
                    );
                    return None;
                }
            },
            DeValue::String(s) => s.trim().parse::<Date>().ok(),
            other => {
                self.wrong_type(key, v.span(), "a date", other, "2026-03-14");
                return None;
            }
        };
        match parsed {
            Some(d) => Some(Spanned::new(v.span(), d)),
            None => {
                let text = match v.get_ref() {
                    DeValue::String(s) => s.trim().to_string(),
                    _ => String::new(),
                };
                self.reader.error_at(
                    v.span(),
                    format!("`{key}` is not a real date{}", why_not_a_date(&text)),
                    format!("write it as year-month-day: {key} = 2026-03-14"),
                );
                None
            }
        }
    }

    /// A date, or a date and time with or without an offset: `2026-03-14`, `2026-03-14T09:00:00`,
    /// `2026-03-14T09:00:00-06:00`.
    pub fn moment(&self, key: &'static str) -> Option<Spanned<Moment>> {
        let field = self.ask(key, |t| matches!(t, Type::Moment));
        let Some((_, v)) = self.get(key) else {
            self.absent(
                key,
                Want::Moment,
                self.must(field),
                "2026-03-14 or 2026-03-14T09:00:00",
            );
            return None;
        };
        let text = match v.get_ref() {
            DeValue::Datetime(dt) => dt.to_string(),
            DeValue::String(s) => s.trim().to_string(),
            other => {
                self.wrong_type(
                    key,
                    v.span(),
                    "a date or a date and time",
                    other,
                    "2026-03-14T09:00:00",
                );
                return None;
            }
        };
        match Moment::parse(&text) {
            Some(m) => Some(Spanned::new(v.span(), m)),
            None => {
                self.reader.error_at(
                    v.span(),
                    format!("`{key}` is not a date or date and time"),
                    format!("write it like: {key} = 2026-03-14 or {key} = 2026-03-14T09:00:00"),
                );
                None
            }
        }
    }

    /// A list of strings, with at least the schema's [`Type::Texts`] `min` items when the key
    /// is present.
    pub fn strings(&self, key: &'static str) -> Option<Vec<SpannedString>> {
        let field = self.ask(key, |t| matches!(t, Type::Texts { .. }));
        let min = match field.map(|f| f.ty) {
            Some(Type::Texts { min }) => min,
            _ => 0,
        };
        let Some((_, v)) = self.get(key) else {
            self.absent(key, Want::Texts, self.must(field), "[\"...\"]");
            return None;
        };
        let example = "[\"Billing\", \"Customer Care\"]";
        match v.get_ref() {
            DeValue::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items.iter() {
                    match item.get_ref() {
                        DeValue::String(s) if !s.trim().is_empty() => {
                            out.push(Spanned::new(item.span(), s.trim().to_string()))
                        }
                        DeValue::String(_) => self.reader.error_at(
                            item.span(),
                            format!("`{key}` has an empty name"),
                            "remove the empty \"\" from the list",
                        ),
                        other => self.wrong_type(
                            key,
                            item.span(),
                            "a list of text values",
                            other,
                            example,
                        ),
                    }
                }
                if out.len() < min && items.len() < min {
                    self.reader.error_at(
                        v.span(),
                        format!(
                            "`{key}` needs at least {min} name{}",
                            if min == 1 { "" } else { "s" }
                        ),
                        format!("write it like: {key} = {example}"),
                    );
                    return None;
                }
                Some(out)
            }
            DeValue::String(s) => {
                self.reader.error_at(
                    v.span(),
                    format!("`{key}` must be a list, not a single text value"),
                    format!("put it in brackets: {key} = [\"{s}\"]"),
                );
                None
            }
            other => {
                self.wrong_type(key, v.span(), "a list of text values", other, example);
                None
            }
        }
    }

    /// A sub-table (`metric = { ... }` or `[metric]`) with the schema's keys for it; `what`
    /// names it in messages ("an improvement's metric").
    pub fn table(&self, key: &'static str, what: &'static str) -> Option<Fields<'r, 't>> {
        let field = self.ask(key, |t| matches!(t, Type::Table(_)));
        let keys = field.map_or(&[][..], schema::Field::children);
        let (_, v) = self.get(key)?;
        match v.get_ref() {
            DeValue::Table(t) => Some(Fields {
                name: key,
                ..Reader::fields(self.reader, t, what, keys)
            }),
            other => {
                self.wrong_type(key, v.span(), "a table", other, "{ name = \"...\", ... }");
                None
            }
        }
    }

    /// An array of tables (`[[tasks]]`), each with its span and the schema's keys for it;
    /// `what` names one in messages ("a task").
    pub fn tables(
        &self,
        key: &'static str,
        what: &'static str,
    ) -> Vec<(Range<usize>, Fields<'r, 't>)> {
        let field = self.ask(key, |t| matches!(t, Type::Tables(_)));
        let keys = field.map_or(&[][..], schema::Field::children);
        let Some((_, v)) = self.get(key) else {
            return Vec::new();
        };
        match v.get_ref() {
            DeValue::Array(items) => items
                .iter()
                .filter_map(|item| match item.get_ref() {
                    DeValue::Table(t) => Some((
                        item.span(),
                        Fields {
                            name: key,
                            ..Reader::fields(self.reader, t, what, keys)
                        },
                    )),
                    other => {
                        self.wrong_type(
                            key,
                            item.span(),
                            "a list of tables",
                            other,
                            "[[tasks]] blocks",
                        );
                        None
                    }
                })
                .collect(),
            other => {
                self.wrong_type(key, v.span(), "a list of tables", other, "[[tasks]] blocks");
                Vec::new()
            }
        }
    }

    /// A table of names to numbers (`reasons = { price = 120, moved = 95 }`), in key order.
    pub fn number_map(&self, key: &'static str) -> Option<Vec<(String, f64)>> {
        let field = self.ask(key, |t| matches!(t, Type::Numbers));
        let Some((_, v)) = self.get(key) else {
            if self.must(field) {
                self.missing(key, "{ price = 120, moved = 95 }");
            }
            return None;
        };
        let DeValue::Table(t) = v.get_ref() else {
            self.wrong_type(
                key,
                v.span(),
                "a table of names and numbers",
                v.get_ref(),
                "{ price = 120, moved = 95 }",
            );
            return None;
        };
        let mut out = Vec::new();
        for (k, item) in t.iter() {
            let n = match item.get_ref() {
                n @ (DeValue::Integer(_) | DeValue::Float(_)) => number_of(n),
                other => {
                    self.wrong_type(k.get_ref(), item.span(), "a number", other, "120");
                    None
                }
            };
            if let Some(n) = n {
                out.push((k.get_ref().to_string(), n));
            }
        }
        Some(out)
    }

    /// Reports every key that the schema does not have for this table, with a suggestion from
    /// those it has.
    pub fn finish(self) {
        let asked = self.asked.into_inner();
        debug_assert!(
            self.keys.iter().all(|f| asked.contains(&f.key)),
            "herald never reads {:?} of {}, which the schema has",
            self.keys
                .iter()
                .map(|f| f.key)
                .filter(|k| !asked.contains(k))
                .collect::<Vec<_>>(),
            self.what
        );
        let known = || self.keys.iter().map(|f| f.key);
        for (k, _) in self.table.iter() {
            let name = k.get_ref().as_ref();
            if known().any(|key| key == name) {
                continue;
            }
            let hint = match did_you_mean(name, known()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!(
                    "remove it; the keys of {} are: {}",
                    self.what,
                    known().collect::<Vec<_>>().join(", ")
                ),
            };
            self.reader.error_at(
                k.span(),
                format!("unknown key `{name}` in {}", self.what),
                hint,
            );
        }
    }
}

type DeString<'i> = std::borrow::Cow<'i, str>;

/// The value of a TOML integer or float (`1_000`, `2.5`); `None` for anything else or a
/// number that does not fit.
fn number_of(v: &DeValue<'_>) -> Option<f64> {
    match v {
        DeValue::Integer(i) => i
            .as_str()
            .replace('_', "")
            .parse::<i64>()
            .ok()
            .map(|n| n as f64),
        DeValue::Float(f) => f
            .as_str()
            .replace('_', "")
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite()),
        _ => None,
    }
}

fn describe(v: &DeValue<'_>) -> String {
    match v {
        DeValue::String(s) => format!("the text {:?}", truncate(s, 40)),
        DeValue::Integer(i) => format!("the number {}", i.as_str()),
        DeValue::Float(f) => format!("the number {}", f.as_str()),
        DeValue::Boolean(b) => format!("{b}"),
        DeValue::Datetime(d) => format!("the date {d}"),
        DeValue::Array(_) => "a list".into(),
        DeValue::Table(_) => "a table".into(),
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n).collect();
        t.push('…');
        t
    }
}

/// A value an author measured: a number, or short text as people say it ("1 in 3"), which is
/// shown as written and never calculated with.
#[derive(Debug, Clone, PartialEq)]
pub enum Figure {
    /// A number (`before = 10`).
    Number(f64),
    /// Text, trimmed (`before = "1 in 3"`).
    Text(String),
}

impl Figure {
    /// The number, if it is one.
    pub fn number(&self) -> Option<f64> {
        match self {
            Figure::Number(x) => Some(*x),
            Figure::Text(_) => None,
        }
    }
}

/// A point in time written by an author: a date, or a date and time, with an optional offset.
/// Without an offset it is read in the site's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    /// The calendar date.
    pub date: Date,
    /// The time of day, when given.
    pub time: Option<jiff::civil::Time>,
    /// A fixed UTC offset, when given.
    pub offset: Option<jiff::tz::Offset>,
}

impl Moment {
    /// Parses `2026-03-14`, `2026-03-14T09:00[:00]`, `2026-03-14 09:00`, with optional `Z`/`±hh:mm`.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        if text.len() == 10
            && let Ok(date) = text.parse::<Date>()
        {
            return Some(Self {
                date,
                time: None,
                offset: None,
            });
        }
        if let Ok(ts) = text.parse::<jiff::Timestamp>() {
            let offset = offset_of(text);
            let local = ts.to_zoned(jiff::tz::TimeZone::fixed(
                offset.unwrap_or(jiff::tz::Offset::UTC),
            ));
            return Some(Self {
                date: local.date(),
                time: Some(local.time()),
                offset: Some(offset.unwrap_or(jiff::tz::Offset::UTC)),
            });
        }
        let dt = text
            .replace(' ', "T")
            .parse::<jiff::civil::DateTime>()
            .ok()?;
        Some(Self {
            date: dt.date(),
            time: Some(dt.time()),
            offset: None,
        })
    }

    /// The instant this moment names in `tz`. A date alone is the start of that day, or with
    /// `end_of_day` the start of the next one (so `until = 2026-12-18` includes all of the 18th).
    pub fn timestamp(&self, tz: &jiff::tz::TimeZone, end_of_day: bool) -> Option<jiff::Timestamp> {
        let (date, time) = match self.time {
            Some(t) => (self.date, t),
            None if end_of_day => (self.date.tomorrow().ok()?, jiff::civil::Time::midnight()),
            None => (self.date, jiff::civil::Time::midnight()),
        };
        let dt = date.to_datetime(time);
        match self.offset {
            Some(off) => off.to_timestamp(dt).ok(),
            None => tz
                .to_ambiguous_zoned(dt)
                .compatible()
                .ok()
                .map(|z| z.timestamp()),
        }
    }
}

fn offset_of(text: &str) -> Option<jiff::tz::Offset> {
    if text.ends_with('Z') || text.ends_with('z') {
        return Some(jiff::tz::Offset::UTC);
    }
    let tail = text.get(text.len().saturating_sub(6)..)?;
    let sign = match tail.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let h: i32 = tail.get(1..3)?.parse().ok()?;
    let m: i32 = tail.get(4..6)?.parse().ok()?;
    jiff::tz::Offset::from_seconds(sign * (h * 3600 + m * 60)).ok()
}

/// Why `YYYY-MM-DD` text is not a date, when its parts say: ": February 2026 has 28 days".
fn why_not_a_date(text: &str) -> String {
    let parts: Vec<&str> = text.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return String::new();
    };
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i16>(), m.parse::<i8>(), d.parse::<i8>()) else {
        return String::new();
    };
    if !(1..=12).contains(&m) {
        return format!(": there is no month {m}");
    }
    match Date::new(y, m, 1) {
        Ok(first) if d > first.days_in_month() || d < 1 => {
            let month = first.strftime("%B").to_string();
            format!(": {month} {y} has {} days", first.days_in_month())
        }
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(s: &str) -> Arc<str> {
        Arc::from(s)
    }

    #[test]
    fn splits_front_matter() {
        let text = "+++\ntitle = \"x\"\n+++\nBody\n";
        let s = split(text, Path::new("a.md"), &src(text)).expect("valid");
        assert_eq!(s.front, "title = \"x\"\n");
        assert_eq!(s.body, "Body\n");
        assert_eq!(&text[s.body_offset..], "Body\n");
    }

    #[test]
    fn crlf_front_matter() {
        let text = "+++\r\ntitle = \"x\"\r\n+++\r\nBody";
        let s = split(text, Path::new("a.md"), &src(text)).expect("valid");
        assert_eq!(s.front, "title = \"x\"\r\n");
        assert_eq!(s.body, "Body");
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let text = "+++\ntitle = \"x\"\nBody";
        let e = split(text, Path::new("a.md"), &src(text)).expect_err("unclosed");
        assert!(e.message.contains("never closed"));
        assert_eq!(e.line, Some(1));
    }

    #[test]
    fn yaml_front_matter_gets_a_hint() {
        let text = "---\ntitle: x\n---\n";
        let e = split(text, Path::new("a.md"), &src(text)).expect_err("yaml");
        assert!(e.hint.unwrap_or_default().contains("not YAML"));
    }

    #[test]
    fn moments_parse() {
        let m = Moment::parse("2026-03-14").expect("date");
        assert!(m.time.is_none());
        let m = Moment::parse("2026-03-14T09:30:00").expect("local");
        assert_eq!(m.time.map(|t| t.hour()), Some(9));
        let m = Moment::parse("2026-03-14T09:30:00-06:00").expect("offset");
        assert_eq!(m.offset.map(|o| o.seconds()), Some(-6 * 3600));
        assert!(Moment::parse("soon").is_none());
    }
}
