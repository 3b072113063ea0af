//! Content loading and validation: walks `content/`, splits each file's front matter, reads every
//! kind's keys into typed entries, and checks what spans files — duplicate slugs, team names,
//! an improvement's `milestone`, a recognition's `for`. Every problem of every file is reported.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::civil::Date;
use rayon::prelude::*;
use toml::Spanned;

use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean, display_path};
use crate::load::config::Config;
pub use crate::load::frontmatter::Figure;
use crate::load::frontmatter::{self, Fields, Moment, Reader, SpannedString};
use crate::schema;

/// The kind of an entry, from its folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// `content/improvements/`
    Improvement,
    /// `content/roadmap/`
    Milestone,
    /// `content/recognitions/`
    Recognition,
    /// `content/announcements/`
    Announcement,
    /// Any other Markdown file.
    Page,
}

impl Kind {
    /// The name used in templates and messages.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Improvement => "improvement",
            Kind::Milestone => "milestone",
            Kind::Recognition => "recognition",
            Kind::Announcement => "announcement",
            Kind::Page => "page",
        }
    }

    /// The schema of the kind's front matter.
    pub fn schema(self) -> &'static schema::KindSchema {
        let i = match self {
            Kind::Improvement => 0,
            Kind::Milestone => 1,
            Kind::Recognition => 2,
            Kind::Announcement => 3,
            Kind::Page => 4,
        };
        &schema::KINDS[i]
    }

    /// The content folder (and URL section) of the kind.
    pub fn section(self) -> &'static str {
        match self {
            Kind::Improvement => "improvements",
            Kind::Milestone => "roadmap",
            Kind::Recognition => "recognitions",
            Kind::Announcement => "announcements",
            Kind::Page => "",
        }
    }

    fn from_section(s: &str) -> Option<Self> {
        match s {
            "improvements" => Some(Kind::Improvement),
            "roadmap" => Some(Kind::Milestone),
            "recognitions" => Some(Kind::Recognition),
            "announcements" => Some(Kind::Announcement),
            _ => None,
        }
    }
}

pub use crate::routes::{RESERVED, RESERVED_SLUGS};

/// A milestone's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// Not started.
    Planned,
    /// Under way.
    InProgress,
    /// Under way and likely to miss its target.
    AtRisk,
    /// Delivered.
    Done,
    /// Will not be done.
    Dropped,
}

/// The statuses in roadmap order, with their keys: the schema's [`schema::STATUSES`], each
/// with its status (a test checks that the two agree).
pub const STATUSES: [(&str, Status); 5] = [
    (schema::STATUSES[0], Status::Planned),
    (schema::STATUSES[1], Status::InProgress),
    (schema::STATUSES[2], Status::AtRisk),
    (schema::STATUSES[3], Status::Done),
    (schema::STATUSES[4], Status::Dropped),
];

impl Status {
    /// The front matter key.
    pub fn key(self) -> &'static str {
        STATUSES
            .iter()
            .find(|(_, s)| *s == self)
            .map_or("", |(k, _)| k)
    }

    /// The status a front matter key names.
    pub fn from_key(key: &str) -> Option<Self> {
        STATUSES.iter().find(|(k, _)| *k == key).map(|(_, s)| *s)
    }

    /// The message id of its label (`status.in-progress`).
    pub fn message(self) -> &'static str {
        match self {
            Status::Planned => "status.planned",
            Status::InProgress => "status.in-progress",
            Status::AtRisk => "status.at-risk",
            Status::Done => "status.done",
            Status::Dropped => "status.dropped",
        }
    }

    /// The English label, for messages to authors; readers see [`Status::message`]'s words.
    pub fn label(self) -> &'static str {
        match self {
            Status::Planned => "Planned",
            Status::InProgress => "In progress",
            Status::AtRisk => "At risk",
            Status::Done => "Done",
            Status::Dropped => "Dropped",
        }
    }

    /// Closed statuses are never overdue.
    pub fn is_closed(self) -> bool {
        matches!(self, Status::Done | Status::Dropped)
    }
}

pub use crate::schema::FIGURE_TEXT_MAX;

/// An improvement's metric: what it moved.
#[derive(Debug, Clone)]
pub struct ImprovementMetric {
    /// What was measured.
    pub name: String,
    /// Before the change: a number, or text as people say it ("1 in 3").
    pub before: Figure,
    /// After the change: a number, or text as people say it ("1 in 10").
    pub after: Figure,
    /// Unit ("days", "%"); it goes with the numbers, text is shown as written.
    pub unit: String,
    /// `lower` or `higher`; required when both figures are numbers, optional otherwise.
    pub better: Option<&'static str>,
}

impl ImprovementMetric {
    /// Both figures, when both are numbers.
    fn numbers(&self) -> Option<(f64, f64)> {
        Some((self.before.number()?, self.after.number()?))
    }

    /// `after - before`; none unless both are numbers.
    pub fn change(&self) -> Option<f64> {
        self.numbers().map(|(b, a)| a - b)
    }

    /// Whether the change went the `better` way; none unless both figures are numbers and
    /// `better` is given.
    pub fn improved(&self) -> Option<bool> {
        let change = self.change()?;
        Some(match self.better? {
            "lower" => change < 0.0,
            _ => change > 0.0,
        })
    }

    /// Whether the figures are percentages (`unit` is `%`, `percent` or `per cent`), so that
    /// the change is counted in points: 33% to 80% is 47 points, never 142% of itself.
    pub fn in_points(&self) -> bool {
        crate::util::number::is_percent_unit(&self.unit)
    }

    /// The change as a percentage of `before`, to one decimal; none when `before` is 0, when
    /// the figures are percentages (their change is in points: [`Self::change`]), or unless
    /// both figures are numbers.
    pub fn change_percent(&self) -> Option<f64> {
        if self.in_points() {
            return None;
        }
        let (before, after) = self.numbers()?;
        (before != 0.0).then(|| ((after - before) / before.abs() * 1000.0).round() / 10.0)
    }

    /// The change in words, as pages, emails, letters and feeds say it: `80% lower` (of
    /// `before`); `47 points higher`, `1 point lower` for percentages; `5 days higher` when
    /// `before` is 0; `no change`. None unless both figures are numbers.
    pub fn change_words(&self) -> Option<String> {
        use crate::util::number::format_number;
        let change = self.change()?;
        if change == 0.0 {
            return Some("no change".into());
        }
        let size = format_number(change.abs(), 2);
        let size = if self.in_points() {
            let s = if size == "1" { "" } else { "s" };
            format!("{size} point{s}")
        } else if let Some(p) = self.change_percent() {
            format!("{}%", format_number(p.abs(), 0))
        } else if self.unit.trim().is_empty() {
            size
        } else {
            format!("{size} {}", self.unit.trim())
        };
        let way = if change < 0.0 { "lower" } else { "higher" };
        Some(format!("{size} {way}"))
    }
}

/// A customer's own words.
#[derive(Debug, Clone)]
pub struct Quote {
    /// The words.
    pub text: String,
    /// Who said them.
    pub by: String,
}

/// Fields of an improvement.
#[derive(Debug, Clone)]
pub struct Improvement {
    /// When customers got it.
    pub date: Date,
    /// Teams that made it.
    pub teams: Vec<SpannedString>,
    /// Who led it.
    pub owner: Option<String>,
    /// Who benefits.
    pub customers: Option<String>,
    /// What it moved.
    pub metric: Option<ImprovementMetric>,
    /// A customer's words.
    pub quote: Option<Quote>,
    /// The milestone slug it delivers.
    pub milestone: Option<SpannedString>,
    /// Eligible for lobby screens.
    pub lobby: bool,
    /// Lobby window start.
    pub lobby_from: Option<Date>,
    /// Lobby window end.
    pub lobby_until: Option<Date>,
    /// In the quarterly letter.
    pub letter: bool,
}

/// One task of a milestone.
#[derive(Debug, Clone)]
pub struct Task {
    /// Which team owes it.
    pub team: SpannedString,
    /// What it is.
    pub task: String,
    /// When it is due.
    pub due: Option<Date>,
    /// Whether it is done (`done = true`, or implied by `done_on`).
    pub done: bool,
    /// When it was done, if recorded; tells "done on time" from "done late".
    pub done_on: Option<Date>,
}

impl Task {
    /// Done after its due date (known only when both dates are recorded).
    pub fn done_late(&self) -> bool {
        self.done && matches!((self.done_on, self.due), (Some(d), Some(due)) if d > due)
    }
}

/// A milestone's success measure.
#[derive(Debug, Clone)]
pub struct MilestoneMetric {
    /// What is measured.
    pub name: String,
    /// Where it started.
    pub baseline: Option<f64>,
    /// Where it should get.
    pub target: Option<f64>,
    /// Where it is.
    pub current: Option<f64>,
    /// Unit.
    pub unit: String,
}

impl MilestoneMetric {
    /// How far `current` has come from `baseline` to `target`, 0–100; none without all three.
    pub fn percent(&self) -> Option<f64> {
        match (self.baseline, self.target, self.current) {
            (Some(b), Some(t), Some(c)) if (t - b).abs() > f64::EPSILON => {
                Some(((c - b) / (t - b) * 100.0).clamp(0.0, 100.0).round())
            }
            _ => None,
        }
    }
}

/// Fields of a milestone.
#[derive(Debug, Clone)]
pub struct Milestone {
    /// Roadmap phase.
    pub phase: String,
    /// Due date.
    pub target: Date,
    /// Status.
    pub status: Status,
    /// When it was done.
    pub done_on: Option<Date>,
    /// Accountable team.
    pub owner: SpannedString,
    /// Contributing teams.
    pub teams: Vec<SpannedString>,
    /// Who does what by when.
    pub tasks: Vec<Task>,
    /// How success is measured.
    pub metric: Option<MilestoneMetric>,
}

/// Fields of a recognition.
#[derive(Debug, Clone)]
pub struct Recognition {
    /// When.
    pub date: Date,
    /// Who is thanked.
    pub people: Vec<String>,
    /// Their department.
    pub team: Option<SpannedString>,
    /// Award name.
    pub award: Option<String>,
    /// Slug of the improvement recognised.
    pub work: Option<SpannedString>,
    /// Eligible for lobby screens.
    pub lobby: bool,
    /// Lobby window start.
    pub lobby_from: Option<Date>,
    /// Lobby window end.
    pub lobby_until: Option<Date>,
}

/// Fields of an announcement.
#[derive(Debug, Clone)]
pub struct Announcement {
    /// Live from.
    pub from: Moment,
    /// Live until.
    pub until: Moment,
    /// info, celebrate or urgent.
    pub level: &'static str,
    /// Which screens; empty is all.
    pub screens: Vec<String>,
}

/// What only one kind has.
#[derive(Debug, Clone)]
pub enum KindFields {
    /// An improvement.
    Improvement(Improvement),
    /// A milestone.
    Milestone(Milestone),
    /// A recognition.
    Recognition(Recognition),
    /// An announcement.
    Announcement(Announcement),
    /// A plain page.
    Page,
}

/// One content file, loaded and validated on its own.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The kind.
    pub kind: Kind,
    /// File name without `.md` (or the bundle folder's name).
    pub slug: String,
    /// `improvements/faster-refunds`, `about`, `guides/writing`.
    pub path: String,
    /// Absolute file path.
    pub file: PathBuf,
    /// Path relative to the site root, for messages.
    pub display: PathBuf,
    /// The folder of a page bundle, whose other files are published with it.
    pub bundle: Option<PathBuf>,
    /// The title.
    pub title: String,
    /// The `summary` key (Markdown).
    pub summary: Option<String>,
    /// Tags as written.
    pub tags: Vec<String>,
    /// Not built unless `--drafts`.
    pub draft: bool,
    /// The image file, resolved.
    pub image: Option<PathBuf>,
    /// The image's alternative text.
    pub image_alt: Option<String>,
    /// The whole file text.
    pub source: Arc<str>,
    /// Byte offset of the front matter in `source`.
    pub front_offset: usize,
    /// Byte offset of the Markdown body in `source`.
    pub body_offset: usize,
    /// Kind-specific fields.
    pub fields: KindFields,
    /// Shown in a further language's pages in the main language, for want of a translation.
    pub untranslated: bool,
}

impl Entry {
    /// The Markdown body.
    pub fn body(&self) -> &str {
        &self.source[self.body_offset..]
    }

    /// The date used for sorting and display: an improvement's or recognition's date, a
    /// milestone's target, an announcement's start.
    pub fn date(&self) -> Option<Date> {
        match &self.fields {
            KindFields::Improvement(i) => Some(i.date),
            KindFields::Milestone(m) => Some(m.target),
            KindFields::Recognition(r) => Some(r.date),
            KindFields::Announcement(a) => Some(a.from.date),
            KindFields::Page => None,
        }
    }

    /// An error at a span of the front matter.
    pub fn error_at(
        &self,
        span: Range<usize>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::error(&self.display, message)
            .at(
                &self.source,
                span.start + self.front_offset..span.end + self.front_offset,
            )
            .with_hint(hint)
    }

    /// An error at a span of the Markdown body.
    pub fn body_error_at(
        &self,
        span: Range<usize>,
        message: impl Into<String>,
        hint: impl Into<String>,
        warning: bool,
    ) -> Diagnostic {
        let mut d = if warning {
            Diagnostic::warning(&self.display, message)
        } else {
            Diagnostic::error(&self.display, message)
        };
        d = d.at(
            &self.source,
            span.start + self.body_offset..span.end + self.body_offset,
        );
        d.with_hint(hint)
    }
}

/// Everything under `content/`, validated.
#[derive(Debug, Default)]
pub struct Content {
    /// Every entry that will be built, in a stable order (by path).
    pub entries: Vec<Entry>,
    /// The kind and path (as [`Entry::path`]) of each file that exists but could not be read
    /// into an entry: its own errors are reported, and references and links to it are not
    /// errors as well.
    pub unreadable: Vec<(Kind, String)>,
}

/// Options that change what is loaded.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions<'a> {
    /// Include drafts.
    pub drafts: bool,
    /// Unsaved texts to read in place of files.
    pub overlay: Option<&'a Overlay>,
    /// The further language to load (`fr`: each `x.fr.md` over its `x.md`, the rest as
    /// they are); `None` for the main language, which checks and leaves out translations.
    pub language: Option<&'a str>,
}

/// Unsaved content: the text of each file by its path under the site's folder
/// (`root.join("content/improvements/x.md")`), read instead of the file there, or as a new
/// file where there is none.
pub type Overlay = BTreeMap<PathBuf, String>;

/// Loads and validates `root/content/`.
pub fn load(root: &Path, config: &Config, opts: LoadOptions<'_>) -> (Content, Diagnostics) {
    let mut t = crate::util::timings::Timer::new();
    let mut diags = Diagnostics::new();
    let content_dir = root.join("content");
    let languages: Vec<&str> = config.languages.keys().map(String::as_str).collect();
    let files = match discover(root, &content_dir, opts.overlay, &languages, &mut diags) {
        Some(f) => f,
        None => return (Content::default(), diags),
    };
    t.mark("  find content files");
    let (files, translations) = pair_translations(root, files, opts.language, &mut diags);

    let read = |f: &Found| match opts.overlay.and_then(|o| o.get(&f.file)) {
        Some(text) => read_bytes(root, f, text.clone().into_bytes(), config),
        None => load_file(root, f, config),
    };
    let results: Vec<(Option<Entry>, Vec<Diagnostic>)> = files
        .par_iter()
        .map(|f| match translations.get(&f.path) {
            None if opts.language.is_some() => {
                let (entry, ds) = read(f);
                (
                    entry.map(|e| Entry {
                        untranslated: true,
                        ..e
                    }),
                    ds,
                )
            }
            None => read(f),
            Some(tr) => read_translation(root, f, tr, config, opts.overlay),
        })
        .collect();

    t.mark("  read and check files");
    let mut entries = Vec::new();
    let mut unreadable = Vec::new();
    for (found, (entry, ds)) in files.iter().zip(results) {
        for d in ds {
            diags.push(d);
        }
        match entry {
            Some(e) if opts.drafts || !e.draft => entries.push(e),
            Some(_) => {}
            None => unreadable.push((found.kind, found.path.clone())),
        }
    }
    entries.sort_by(|a, b| a.path.cmp(&b.path).then_with(|| a.file.cmp(&b.file)));
    cross_check(&entries, &unreadable, &mut diags);
    t.mark("  sort and cross-check");
    (
        Content {
            entries,
            unreadable,
        },
        diags,
    )
}

/// Splits the files found into the default-language files and, by path, the translations
/// into `language` (none for the main language). A translation whose default-language file
/// does not exist is an error with a did-you-mean; the main language's load reports it.
fn pair_translations(
    root: &Path,
    files: Vec<Found>,
    language: Option<&str>,
    diags: &mut Diagnostics,
) -> (Vec<Found>, HashMap<String, Found>) {
    let (translations, files): (Vec<Found>, Vec<Found>) =
        files.into_iter().partition(|f| f.lang.is_some());
    if translations.is_empty() {
        return (files, HashMap::new());
    }
    let paths: std::collections::HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let mut out = HashMap::new();
    for tr in translations {
        let lang = tr.lang.clone().unwrap_or_default();
        if !paths.contains(tr.path.as_str()) {
            if language.is_none() {
                let name = tr
                    .file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let base = format!("{}.md", tr.slug);
                let same_place: Vec<&str> = files
                    .iter()
                    .filter(|f| f.kind == tr.kind && f.file.parent() == tr.file.parent())
                    .map(|f| f.slug.as_str())
                    .collect();
                let hint = match did_you_mean(&tr.slug, same_place.iter().copied()) {
                    Some(s) => format!("did you mean {s}.{lang}.md, the {lang} version of {s}.md?"),
                    None => format!(
                        "write {base} in the main language first, or rename {name} to the file it translates"
                    ),
                };
                diags.push(
                    Diagnostic::error(
                        display_path(root, &tr.file),
                        format!("this is the `{lang}` version of {base}, which does not exist"),
                    )
                    .with_hint(hint),
                );
            }
            continue;
        }
        if language.is_some_and(|l| l.eq_ignore_ascii_case(&lang)) {
            out.insert(tr.path.clone(), tr);
        }
    }
    (files, out)
}

/// Reads a translation over its default-language file: what the translation's front matter
/// leaves out (dates, teams, status, numbers, tasks; any key) comes from the default-language
/// file, tables merged key by key and lists of tables item by item; the body is the
/// translation's. Problems are the translation's, with its file and lines; a default-language
/// file with errors makes no translation (its own build reports them).
fn read_translation(
    root: &Path,
    base: &Found,
    tr: &Found,
    config: &Config,
    overlay: Option<&Overlay>,
) -> (Option<Entry>, Vec<Diagnostic>) {
    let text_of = |f: &Found| -> Result<String, Vec<Diagnostic>> {
        let display = display_path(root, &f.file);
        let bytes = match overlay.and_then(|o| o.get(&f.file)) {
            Some(t) => t.clone().into_bytes(),
            None => std::fs::read(&f.file).map_err(|e| {
                vec![Diagnostic::io(
                    &display,
                    format!("cannot read the file: {e}"),
                )]
            })?,
        };
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(vec![Diagnostic::error(&display, "the file is too large")]);
        }
        decode_text(bytes, &display).map_err(|d| vec![d])
    };
    let base_text: Arc<str> = match text_of(base) {
        Ok(t) => t.into(),
        Err(_) => return (None, Vec::new()),
    };
    let tr_text: Arc<str> = match text_of(tr) {
        Ok(t) => t.into(),
        Err(ds) => return (None, ds),
    };
    let base_display = display_path(root, &base.file);
    let Ok(base_split) = frontmatter::split(&base_text, &base_display, &base_text) else {
        return (None, Vec::new());
    };
    let base_reader = Reader::new(
        &base_display,
        Arc::clone(&base_text),
        base_split.front_offset,
    );
    let Some(base_table) = base_reader.parse(base_split.front) else {
        return (None, Vec::new());
    };
    let display = display_path(root, &tr.file);
    let split = match frontmatter::split(&tr_text, &display, &tr_text) {
        Ok(s) => s,
        Err(d) => return (None, vec![d]),
    };
    let (front_offset, body_offset) = (split.front_offset, split.body_offset);
    let reader = Reader::new(&display, Arc::clone(&tr_text), front_offset);
    let Some(mut table) = reader.parse(split.front) else {
        return (None, reader.take());
    };
    merge_tables(&mut table, &base_table);
    let found = Found {
        file: tr.file.clone(),
        lang: tr.lang.clone(),
        kind: base.kind,
        slug: base.slug.clone(),
        path: base.path.clone(),
        bundle: base.bundle.clone(),
    };
    let keys = read_keys(root, &found, config, &reader, &table);
    let diags = reader.take();
    match (keys.title, keys.fields) {
        (Some(title), Some(data)) => (
            Some(Entry {
                kind: found.kind,
                slug: found.slug,
                path: found.path,
                file: found.file,
                display,
                bundle: found.bundle,
                title: title.into_inner().trim().to_string(),
                summary: keys.summary.map(Spanned::into_inner),
                tags: keys.tags.into_iter().map(Spanned::into_inner).collect(),
                draft: keys.draft,
                image: keys.image,
                image_alt: keys.image_alt.map(Spanned::into_inner),
                source: tr_text,
                front_offset,
                body_offset,
                fields: data,
                untranslated: false,
            }),
            diags,
        ),
        _ => (None, diags),
    }
}

/// Fills what `over` leaves out from `under`: keys it lacks, inside tables key by key, and in
/// lists of tables item by item.
fn merge_tables<'a>(over: &mut toml::de::DeTable<'a>, under: &toml::de::DeTable<'a>) {
    use toml::de::DeValue;
    for (k, v) in under.iter() {
        match over.get_mut(k) {
            None => {
                over.insert(k.clone(), v.clone());
            }
            Some(mine) => match (mine.get_mut(), v.get_ref()) {
                (DeValue::Table(a), DeValue::Table(b)) => merge_tables(a, b),
                (DeValue::Array(a), DeValue::Array(b)) => {
                    for (x, y) in a.iter_mut().zip(b.iter()) {
                        if let (DeValue::Table(xa), DeValue::Table(yb)) = (x.get_mut(), y.get_ref())
                        {
                            merge_tables(xa, yb);
                        }
                    }
                }
                _ => {}
            },
        }
    }
}

/// A Markdown file found under `content/`, with what its place says about it.
#[derive(Debug, Clone)]
struct Found {
    file: PathBuf,
    /// The language of a translation (`x.fr.md`), whose `file` is the translation's.
    lang: Option<String>,
    kind: Kind,
    slug: String,
    path: String,
    bundle: Option<PathBuf>,
}

/// Finds every Markdown file under `content_dir` and what its place makes it (kind, slug,
/// path, bundle), with a problem for each file or folder that cannot be one; `None` when
/// there is no content folder. The files of `overlay` that do not exist are added.
fn discover(
    root: &Path,
    content_dir: &Path,
    overlay: Option<&Overlay>,
    languages: &[&str],
    diags: &mut Diagnostics,
) -> Option<Vec<Found>> {
    if !content_dir.is_dir() {
        diags.push(
            Diagnostic::error(display_path(root, content_dir), "there is no content folder")
                .with_hint("create content/ with improvements/, roadmap/ and recognitions/ in it, or run `herald init`"),
        );
        return None;
    }
    let (mut md_files, mut bundles) = walk_content(root, content_dir, diags);
    if let Some(overlay) = overlay {
        for file in overlay.keys() {
            if file.starts_with(content_dir) && !md_files.contains(file) {
                if file.file_name().is_some_and(|n| n == "index.md")
                    && let Some(parent) = file.parent()
                    && parent != content_dir
                {
                    bundles.push(parent.to_path_buf());
                }
                md_files.push(file.clone());
            }
        }
    }
    let mut found = Vec::new();
    for file in md_files {
        let rel = match file.strip_prefix(content_dir) {
            Ok(r) => r.to_path_buf(),
            Err(_) => continue,
        };
        let (lang, base) = translation_of(&file, languages);
        let rel = match (&lang, base.strip_prefix(content_dir)) {
            (Some(_), Ok(r)) => r.to_path_buf(),
            _ => rel,
        };
        match place(root, base, &rel, &bundles) {
            Ok(mut f) => {
                if lang.is_some() {
                    f.file = file;
                    f.lang = lang;
                }
                found.push(f)
            }
            Err(d) => diags.push(d.with_file(display_path(root, &file))),
        }
    }
    Some(found)
}

/// The language and default-language file of a translation: `x.fr.md` → (`fr`, `x.md`) when
/// `fr` is one of the further `languages`; else (None, the file itself).
fn translation_of(file: &Path, languages: &[&str]) -> (Option<String>, PathBuf) {
    let Some(name) = file.file_name().and_then(|n| n.to_str()) else {
        return (None, file.to_path_buf());
    };
    if let Some(stem) = name.strip_suffix(".md")
        && let Some((base, code)) = stem.rsplit_once('.')
        && let Some(lang) = languages.iter().find(|l| l.eq_ignore_ascii_case(code))
        && !base.is_empty()
    {
        return (
            Some(lang.to_string()),
            file.with_file_name(format!("{base}.md")),
        );
    }
    (None, file.to_path_buf())
}

/// Walks `content_dir` in file-name order, hidden files and folders left out: the Markdown
/// files, and the page bundles (folders below content/ with an index.md). Unreadable folders,
/// symlink loops, dangling links and folder links back up to content/ are problems.
fn walk_content(
    root: &Path,
    content_dir: &Path,
    diags: &mut Diagnostics,
) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let mut md_files = Vec::new();
    let mut bundles: Vec<PathBuf> = Vec::new();
    // A folder link to content/ or a folder above it is not a loop that walkdir sees (the
    // folder it leads to is not one it has entered), yet walking it reads every file again.
    let real_content = content_dir.canonicalize().ok();
    let mut links_up: Vec<(PathBuf, PathBuf)> = Vec::new();
    let walker = walkdir::WalkDir::new(content_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if is_hidden(e.file_name()) {
                return false;
            }
            if e.depth() > 0
                && e.path_is_symlink()
                && e.file_type().is_dir()
                && let (Some(content), Ok(target)) = (&real_content, e.path().canonicalize())
                && content.starts_with(&target)
            {
                links_up.push((e.path().to_path_buf(), target));
                return false;
            }
            true
        });
    for item in walker {
        match item {
            Ok(e) => {
                if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md") {
                    if e.file_name() == "index.md"
                        && let Some(parent) = e.path().parent()
                        && parent != content_dir
                    {
                        bundles.push(parent.to_path_buf());
                    }
                    md_files.push(e.into_path());
                }
            }
            Err(err) => diags.push(walk_error(root, &err)),
        }
    }
    for (link, target) in links_up {
        diags.push(link_up_error(root, real_content.as_deref(), &link, &target));
    }
    (md_files, bundles)
}

/// The problem for what walking content/ could not read: a symlink loop, a link that leads
/// nowhere, or a folder or file that cannot be read.
fn walk_error(root: &Path, err: &walkdir::Error) -> Diagnostic {
    let path = err
        .path()
        .map(|p| display_path(root, p))
        .unwrap_or_else(|| PathBuf::from("content"));
    let (msg, hint) = if let Some(ancestor) = err.loop_ancestor() {
        (
            "a folder link points back to a folder that contains it (a symlink loop)".to_string(),
            format!(
                "it leads back to {}: remove the link, or point it at a folder outside content/",
                display_path(root, ancestor).display()
            ),
        )
    } else if let Some(target) = err
        .path()
        .filter(|p| p.is_symlink() && !p.exists())
        .and_then(|p| std::fs::read_link(p).ok())
    {
        (
            format!(
                "this link leads nowhere: {} does not exist",
                target.display()
            ),
            "remove the link, or point it at a file or folder that exists".to_string(),
        )
    } else {
        let why = err
            .io_error()
            .map_or_else(|| err.to_string(), ToString::to_string);
        (
            format!("cannot read: {why}"),
            "remove the link or fix the folder's permissions".to_string(),
        )
    };
    Diagnostic::error(path, msg).with_hint(hint)
}

/// The problem for a folder `link` that leads to `target`, content/ itself or a folder that
/// holds it: walking it would read every file twice.
fn link_up_error(
    root: &Path,
    real_content: Option<&Path>,
    link: &Path,
    target: &Path,
) -> Diagnostic {
    let written = std::fs::read_link(link).unwrap_or_else(|_| target.to_path_buf());
    let real_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let place = if Some(target) == real_content {
        "content/ itself".to_string()
    } else if target == real_root {
        "the site's folder, which holds content/".to_string()
    } else {
        format!("{}, a folder that holds content/", target.display())
    };
    Diagnostic::error(
        display_path(root, link),
        format!("this folder link leads to {place}, so every file would be read twice"),
    )
    .with_hint(format!(
        "it points at {}: remove the link, or point it at a folder outside the site",
        written.display()
    ))
}

/// What a Markdown file's place under content/ (`rel`) makes it: its kind (from the section
/// folder), slug, path and bundle; or the problem that keeps it from being built (inside
/// another bundle, content/index.md, a section's index.md, a bad or reserved name).
fn place(root: &Path, file: PathBuf, rel: &Path, bundles: &[PathBuf]) -> Result<Found, Diagnostic> {
    let display = display_path(root, &file);
    let is_index = file.file_name().is_some_and(|n| n == "index.md");
    let owning_bundle = bundles
        .iter()
        .find(|b| file.starts_with(b) && !(is_index && file.parent() == Some(b.as_path())));
    if let Some(b) = owning_bundle {
        return Err(Diagnostic::warning(
            &display,
            "this Markdown file is inside a page bundle and is not built as a page",
        )
        .with_hint(format!(
            "{} is a bundle because it has index.md; move this file out of it",
            display_path(root, b).display()
        )));
    }
    let comps: Vec<String> = rel
        .iter()
        .map(|c| c.to_string_lossy().into_owned())
        .collect();
    let kind = if comps.len() > 1 {
        Kind::from_section(&comps[0])
    } else {
        None
    }
    .unwrap_or(Kind::Page);
    let (slug, dir_path) = if is_index {
        if comps.len() == 1 {
            return Err(
                Diagnostic::error(&display, "content/index.md would replace the home page")
                    .with_hint("the home page is made from the theme's index.html; put an introduction in a page such as content/about.md"),
            );
        }
        let parent: Vec<&String> = comps[..comps.len() - 1].iter().collect();
        (
            parent[parent.len() - 1].clone(),
            parent
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join("/"),
        )
    } else {
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut p: Vec<&str> = comps[..comps.len() - 1]
            .iter()
            .map(|s| s.as_str())
            .collect();
        p.push(&stem);
        (stem.clone(), p.join("/"))
    };
    if let Some(d) = name_error(&file, &display, &comps, kind, is_index, &slug) {
        return Err(d);
    }
    let path = match kind {
        Kind::Page => dir_path,
        _ => format!("{}/{slug}", kind.section()),
    };
    let bundle = if is_index {
        file.parent().map(Path::to_path_buf)
    } else {
        None
    };
    Ok(Found {
        file,
        lang: None,
        kind,
        slug,
        path,
        bundle,
    })
}

/// Why a file's name or place cannot give it an address, if it cannot: an index.md directly
/// in a section, a slug that is not usable in a URL, a slug or top-level page name that is a
/// page herald makes itself.
fn name_error(
    file: &Path,
    display: &Path,
    comps: &[String],
    kind: Kind,
    is_index: bool,
    slug: &str,
) -> Option<Diagnostic> {
    if kind != Kind::Page && is_index && comps.len() == 2 {
        return Some(
            Diagnostic::error(display, format!("{} cannot hold an index.md", comps[0])).with_hint(
                format!(
                    "the list page /{}/ is made by the theme; put each {} in its own file",
                    comps[0],
                    kind.name()
                ),
            ),
        );
    }
    if let Some(problem) = slug_problem(slug) {
        return Some(
            Diagnostic::error(
                display,
                format!("the file name {slug:?} cannot be used as a URL: {problem}"),
            )
            .with_hint(rename_hint(file, slug)),
        );
    }
    if let Some(taken) = RESERVED_SLUGS
        .iter()
        .find(|(section, name)| *section == kind.section() && *name == slug)
    {
        return Some(
            Diagnostic::error(
                display,
                format!(
                    "/{}/{}/ is a page herald makes itself, so no {} can be called {:?}",
                    taken.0,
                    taken.1,
                    kind.name(),
                    slug
                ),
            )
            .with_hint(format!("rename the file, e.g. {}-{}.md", slug, kind.name())),
        );
    }
    if kind == Kind::Page && RESERVED.contains(&comps[0].trim_end_matches(".md")) {
        return Some(
            Diagnostic::error(
                display,
                format!(
                    "a page cannot live at /{}/, which herald makes itself",
                    comps[0].trim_end_matches(".md")
                ),
            )
            .with_hint("choose another file name or folder"),
        );
    }
    None
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    let n = name.to_string_lossy();
    (n.starts_with('.') && n.len() > 1) || n.ends_with('~') || n.starts_with('#')
}

/// Why a slug is not usable, if it is not.
fn slug_problem(slug: &str) -> Option<&'static str> {
    if slug.is_empty() {
        return Some("it is empty");
    }
    if slug.chars().any(char::is_uppercase) {
        return Some("it has capital letters");
    }
    if slug.chars().any(char::is_whitespace) {
        return Some("it has spaces");
    }
    if slug
        .chars()
        .any(|c| !(c.is_alphanumeric() || c == '-' || c == '_'))
    {
        return Some("it has punctuation other than '-'");
    }
    None
}

/// How to rename a file whose name is not a usable slug; when the suggested name is already taken
/// (`Faster.md` beside `faster.md`), renaming to it would only trade one error for another.
fn rename_hint(file: &Path, slug: &str) -> String {
    let suggested = suggest_slug(slug);
    let taken = file.with_file_name(format!("{suggested}.md"));
    if slug != suggested && taken.is_file() {
        format!(
            "{suggested}.md already exists beside it and would have the same address: merge the two, or rename this one to another lower-case name"
        )
    } else {
        format!("rename the file to {suggested}.md")
    }
}

fn suggest_slug(s: &str) -> String {
    let s = slug::slugify(s);
    if s.is_empty() { "my-page".into() } else { s }
}

/// Reads an entry's file again (after an edit), as [`load`] would read it; with the problems
/// found in it alone (the checks across files are not run).
pub(crate) fn reload(
    root: &Path,
    old: &Entry,
    config: &Config,
) -> (Option<Entry>, Vec<Diagnostic>) {
    let found = Found {
        file: old.file.clone(),
        lang: None,
        kind: old.kind,
        slug: old.slug.clone(),
        path: old.path.clone(),
        bundle: old.bundle.clone(),
    };
    load_file(root, &found, config)
}

/// Reads one content file's bytes as [`load`] reads each file: the UTF-8 check, the front
/// matter split and every key of `kind`, with the file's problems. `file` is where the text
/// would live under `root` (its stem is the slug; an `image` key is looked up beside it); the
/// checks across files are not run. A narrow entry point for fuzzing and tools.
pub fn read_text(
    root: &Path,
    file: &Path,
    kind: Kind,
    bytes: Vec<u8>,
    config: &Config,
) -> (Option<Entry>, Vec<Diagnostic>) {
    let slug = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let path = match kind {
        Kind::Page => slug.clone(),
        _ => format!("{}/{slug}", kind.section()),
    };
    let found = Found {
        file: file.to_path_buf(),
        lang: None,
        kind,
        slug,
        path,
        bundle: None,
    };
    read_bytes(root, &found, bytes, config)
}

/// The largest content file herald reads: entries are short Markdown, and a bigger file is
/// almost always a mistake (a pasted log, an embedded image) that would swell every page, feed
/// and search shard it reaches.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

fn load_file(root: &Path, found: &Found, config: &Config) -> (Option<Entry>, Vec<Diagnostic>) {
    use std::io::Read as _;
    let display = display_path(root, &found.file);
    // A file the size says is too large is not read; one whose size is not known in advance
    // is read up to one byte past the limit.
    let read = std::fs::File::open(&found.file).and_then(|f| {
        let len = f.metadata()?.len();
        if len > MAX_FILE_BYTES {
            return Ok((len, Vec::new()));
        }
        let mut bytes = Vec::with_capacity(len as usize + 1);
        f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
        Ok((len.max(bytes.len() as u64), bytes))
    });
    match read {
        Ok((size, _)) if size > MAX_FILE_BYTES => {
            let mb = |n: u64| n as f64 / (1024.0 * 1024.0);
            (
                None,
                vec![
                    Diagnostic::error(
                        &display,
                        format!(
                            "the file is too large: {:.1} MB, and a content file may be at most {:.0} MB",
                            mb(size),
                            mb(MAX_FILE_BYTES)
                        ),
                    )
                    .with_hint(
                        "split it into several pages, or put a large document under static/ and link to it",
                    ),
                ],
            )
        }
        Ok((_, bytes)) => read_bytes(root, found, bytes, config),
        Err(e) => {
            let hint = if e.kind() == std::io::ErrorKind::NotFound {
                "the file was moved or deleted while herald was reading content/; run the build again"
            } else {
                "check that the file is a readable Markdown file (its permissions, or where a link points)"
            };
            (
                None,
                vec![
                    Diagnostic::io(&display, format!("cannot read the file: {e}")).with_hint(hint),
                ],
            )
        }
    }
}

/// Old Mac line endings (a CR alone) become LF, so that front matter and Markdown split into
/// lines as with LF or CRLF. The text keeps its length, so every offset stays right.
fn lone_cr_to_lf(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    let mut bytes = text.into_bytes();
    for i in 0..bytes.len() {
        if bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
            bytes[i] = b'\n';
        }
    }
    // Replacing one ASCII byte with another keeps the text UTF-8.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Reads one content file's bytes into an entry: the text checked and decoded, the front
/// matter split and parsed (past a syntax error too, for the problems only), every key read,
/// with the file's problems.
fn read_bytes(
    root: &Path,
    found: &Found,
    bytes: Vec<u8>,
    config: &Config,
) -> (Option<Entry>, Vec<Diagnostic>) {
    let display = display_path(root, &found.file);
    let text = match decode_text(bytes, &display) {
        Ok(t) => t,
        Err(d) => return (None, vec![d]),
    };
    let source: Arc<str> = Arc::from(text);
    let split = match frontmatter::split(&source, &display, &source) {
        Ok(s) => s,
        Err(d) => return (None, vec![d]),
    };
    let (front_offset, body_offset) = (split.front_offset, split.body_offset);
    let reader = Reader::new(&display, Arc::clone(&source), front_offset);
    // Past a syntax error the rest is still read, for its problems only: the entry is not
    // built until the file is fixed.
    let past_text;
    let (table, past_syntax_error) = match reader.parse(split.front) {
        Some(table) => (table, false),
        None => {
            let Some(text) = reader.past_syntax_errors(split.front) else {
                return (None, reader.take());
            };
            past_text = text;
            match reader.parse(&past_text) {
                Some(table) => (table, true),
                None => return (None, reader.take()),
            }
        }
    };
    let keys = read_keys(root, found, config, &reader, &table);

    // An entry whose keys parsed is kept even when some are wrong (an unknown team), so that the
    // checks across files still run on it; the errors already stop the build.
    let diags = reader.take();
    match (keys.title, keys.fields) {
        (Some(title), Some(data)) if !past_syntax_error => (
            Some(Entry {
                kind: found.kind,
                slug: found.slug.clone(),
                path: found.path.clone(),
                file: found.file.clone(),
                display,
                bundle: found.bundle.clone(),
                title: title.into_inner().trim().to_string(),
                summary: keys.summary.map(Spanned::into_inner),
                tags: keys.tags.into_iter().map(Spanned::into_inner).collect(),
                draft: keys.draft,
                image: keys.image,
                image_alt: keys.image_alt.map(Spanned::into_inner),
                source,
                front_offset,
                body_offset,
                fields: data,
                untranslated: false,
            }),
            diags,
        ),
        _ => (None, diags),
    }
}

/// A file's bytes as text: UTF-8 (else the problem, at the line of the first bad byte, or
/// "not a text file" for binary), without a byte-order mark, lone CRs made LF.
fn decode_text(bytes: Vec<u8>, display: &Path) -> Result<String, Diagnostic> {
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
            let line = prefix.matches('\n').count() + 1;
            let looks_binary = e.as_bytes().iter().take(8000).any(|b| *b == 0);
            let d = Diagnostic::error(
                display,
                if looks_binary {
                    "this is not a text file".to_string()
                } else {
                    format!("the file is not UTF-8 text (a bad byte on line {line})")
                },
            )
            .at_line(line, 1)
            .with_hint(if looks_binary {
                "only Markdown text files may end in .md; rename or remove it"
            } else {
                "save the file as UTF-8 (in most editors: Save As, Encoding: UTF-8)"
            });
            return Err(d);
        }
    };
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    Ok(lone_cr_to_lf(text))
}

/// The keys of a content file's front matter, as read (each still unchecked against the others).
struct Keys {
    title: Option<SpannedString>,
    summary: Option<SpannedString>,
    tags: Vec<SpannedString>,
    draft: bool,
    image: Option<PathBuf>,
    image_alt: Option<SpannedString>,
    fields: Option<KindFields>,
}

/// Reads every key of `found`'s kind from its parsed front matter, the problems going to
/// `reader`: the common keys, the kind's own, unknown keys, and the image looked up.
fn read_keys(
    root: &Path,
    found: &Found,
    config: &Config,
    reader: &Reader,
    table: &toml::de::DeTable<'_>,
) -> Keys {
    let schema = found.kind.schema();
    let f = reader.fields(table, schema.what, schema.fields);
    let title = f.string("title");
    let summary = f.string("summary");
    let tags = f.strings("tags").unwrap_or_default();
    let draft = f.bool("draft").unwrap_or(false);
    let image = f.string("image");
    let image_alt = f.string("image_alt");
    let data = match found.kind {
        Kind::Improvement => read_improvement(&f, reader, config).map(KindFields::Improvement),
        Kind::Milestone => read_milestone(&f, reader, config).map(KindFields::Milestone),
        Kind::Recognition => read_recognition(&f, reader, config).map(KindFields::Recognition),
        Kind::Announcement => read_announcement(&f, reader, config).map(KindFields::Announcement),
        Kind::Page => Some(KindFields::Page),
    };
    f.finish();

    let image = image.and_then(|img| {
        let dir = found.file.parent().unwrap_or(root);
        match resolve_file(root, dir, img.get_ref()) {
            Some(p) => Some(p),
            None => {
                reader.error_at(
                    img.span(),
                    format!("image {:?} does not exist", img.get_ref()),
                    "give a path relative to this file (a page bundle's photo.jpg) or under static/ (img/photo.jpg)",
                );
                None
            }
        }
    });
    Keys {
        title,
        summary,
        tags,
        draft,
        image,
        image_alt,
        fields: data,
    }
}

/// A file referenced from content: relative to the Markdown file's folder, else under `static/`;
/// a path that starts with `/` is under `static/` only. The file, links followed, must be inside
/// the site's folder, its `static/` or the entry's folder: an author's `image = "/etc/passwd"`, or a link in a bundle that leads out,
/// would otherwise publish any file the build machine can read.
pub fn resolve_file(root: &Path, dir: &Path, rel: &str) -> Option<PathBuf> {
    let rel = rel.trim();
    if rel.is_empty() || rel.contains("..") || rel.contains('\\') || rel.contains('\0') {
        return None;
    }
    let inside = rel.trim_start_matches('/');
    if Path::new(inside).is_absolute() || inside.contains(':') {
        return None;
    }
    // Where a file may really be: the site's folder, and its static/ and the entry's folder
    // wherever links put those.
    let allowed: Vec<PathBuf> = [root, &root.join("static"), dir]
        .iter()
        .filter_map(|d| d.canonicalize().ok())
        .collect();
    let beside = (!rel.starts_with('/')).then(|| dir.join(inside));
    beside
        .into_iter()
        .chain([root.join("static").join(inside)])
        .find(|p| {
            p.is_file()
                && p.canonicalize()
                    .is_ok_and(|real| allowed.iter().any(|a| real.starts_with(a)))
        })
}

fn check_teams(reader: &Reader, config: &Config, teams: &[SpannedString]) {
    if config.teams.is_empty() {
        return;
    }
    for t in teams {
        if !config.team_names().any(|n| n == t.get_ref()) {
            reader.error_at(
                t.span(),
                format!("unknown team {:?}", t.get_ref()),
                config.team_hint(t.get_ref()),
            );
        }
    }
}

fn read_lobby_window(f: &Fields<'_, '_>, reader: &Reader) -> (bool, Option<Date>, Option<Date>) {
    let lobby = f.bool("lobby").unwrap_or(true);
    let from = f.date("lobby_from");
    let until = f.date("lobby_until");
    if let (Some(a), Some(b)) = (&from, &until)
        && b.get_ref() < a.get_ref()
    {
        reader.error_at(
            b.span(),
            "`lobby_until` is before `lobby_from`",
            "swap the two dates",
        );
    }
    (
        lobby,
        from.map(Spanned::into_inner),
        until.map(Spanned::into_inner),
    )
}

fn read_improvement(f: &Fields<'_, '_>, reader: &Reader, config: &Config) -> Option<Improvement> {
    let date = f.date("date");
    let teams = f.strings("teams");
    if let Some(t) = &teams {
        check_teams(reader, config, t);
    }
    let owner = f.string("owner").map(Spanned::into_inner);
    let customers = f.string("customers").map(Spanned::into_inner);
    let metric = f.table("metric", "an improvement's metric").and_then(|m| {
        let name = m.string("name");
        let before = m.figure("before");
        let after = m.figure("after");
        let unit = m
            .string("unit")
            .map(Spanned::into_inner)
            .unwrap_or_default();
        // Numbers are compared, so they need to say which way is better; text is not (and text
        // that is wrong, empty or too long, is reported for itself, not for a missing `better`):
        // the schema's `better` is required unless `before` or `after` is text.
        let better = m.choice("better");
        let needs_better = m.required("better");
        m.finish();
        if better.is_none() && needs_better {
            return None;
        }
        Some(ImprovementMetric {
            name: name?.into_inner(),
            before: before?.into_inner(),
            after: after?.into_inner(),
            unit,
            better: better.map(Spanned::into_inner),
        })
    });
    let quote = f.table("quote", "a quote").and_then(|q| {
        let text = q.string("text");
        let by = q.string("by");
        q.finish();
        Some(Quote {
            text: text?.into_inner(),
            by: by?.into_inner(),
        })
    });
    let milestone = f.string("milestone");
    let (lobby, lobby_from, lobby_until) = read_lobby_window(f, reader);
    let letter = f.bool("letter").unwrap_or(true);
    Some(Improvement {
        date: date?.into_inner(),
        teams: teams?,
        owner,
        customers,
        metric,
        quote,
        milestone,
        lobby,
        lobby_from,
        lobby_until,
        letter,
    })
}

fn read_milestone(f: &Fields<'_, '_>, reader: &Reader, config: &Config) -> Option<Milestone> {
    let phase = f.string("phase");
    let target = f.date("target");
    let status = f.choice("status");
    let done_on = f.date("done_on");
    let owner = f.string("owner");
    if let Some(o) = &owner {
        check_teams(reader, config, std::slice::from_ref(o));
    }
    let teams = f.strings("teams").unwrap_or_default();
    check_teams(reader, config, &teams);
    let mut tasks = Vec::new();
    for (_, t) in f.tables("tasks", "a task") {
        let team = t.string("team");
        let task = t.string("task");
        let due = t.date("due");
        let done_flag = t.bool("done");
        let task_done_on = t.date("done_on");
        t.finish();
        if let (Some(false), Some(d)) = (done_flag, &task_done_on) {
            reader.error_at(
                d.span(),
                "`done_on` is set but the task says done = false",
                "remove done_on while the task is open, or set done = true",
            );
        }
        let done = done_flag.unwrap_or(task_done_on.is_some());
        if let Some(team) = &team {
            check_teams(reader, config, std::slice::from_ref(team));
        }
        if let (Some(due), Some(target)) = (&due, &target)
            && due.get_ref() > target.get_ref()
        {
            reader.warn_at(
                due.span(),
                format!(
                    "task due {} after its milestone's target {}",
                    due.get_ref(),
                    target.get_ref()
                ),
                "move the task's due date, or the milestone's target",
            );
        }
        if let (Some(team), Some(task)) = (team, task) {
            tasks.push(Task {
                team,
                task: task.into_inner(),
                due: due.map(Spanned::into_inner),
                done,
                done_on: task_done_on.map(Spanned::into_inner),
            });
        }
    }
    let metric = read_milestone_metric(f);
    let status_parsed = status.as_ref().and_then(|s| Status::from_key(s.get_ref()));
    if let (Some(Status::Done), None, Some(s)) = (status_parsed, &done_on, &status) {
        reader.error_at(
            s.span(),
            "a milestone with status \"done\" needs `done_on`",
            "add the date it was done: done_on = 2026-03-14",
        );
    }
    if let (Some(st), Some(d)) = (status_parsed, &done_on)
        && st != Status::Done
    {
        reader.warn_at(
            d.span(),
            format!("`done_on` is set but the status is \"{}\"", st.key()),
            "set status = \"done\", or remove done_on",
        );
    }
    Some(Milestone {
        phase: phase?.into_inner().trim().to_string(),
        target: target?.into_inner(),
        status: status_parsed?,
        done_on: done_on.map(Spanned::into_inner),
        owner: owner?,
        teams,
        tasks,
        metric,
    })
}

/// Reads a milestone's `[metric]` table (its name, baseline, target, current value and unit),
/// if it has one with a name.
fn read_milestone_metric(f: &Fields<'_, '_>) -> Option<MilestoneMetric> {
    f.table("metric", "a milestone's metric").and_then(|m| {
        let name = m.string("name");
        let baseline = m.number("baseline");
        let target = m.number("target");
        let current = m.number("current");
        let unit = m
            .string("unit")
            .map(Spanned::into_inner)
            .unwrap_or_default();
        m.finish();
        Some(MilestoneMetric {
            name: name?.into_inner(),
            baseline,
            target,
            current,
            unit,
        })
    })
}

fn read_recognition(f: &Fields<'_, '_>, reader: &Reader, config: &Config) -> Option<Recognition> {
    let date = f.date("date");
    let people = f.strings("people");
    let team = f.string("team");
    if let Some(t) = &team {
        check_teams(reader, config, std::slice::from_ref(t));
    }
    let award = f.string("award").map(Spanned::into_inner);
    let work = f.string("for");
    let (lobby, lobby_from, lobby_until) = read_lobby_window(f, reader);
    Some(Recognition {
        date: date?.into_inner(),
        people: people?.into_iter().map(Spanned::into_inner).collect(),
        team,
        award,
        work,
        lobby,
        lobby_from,
        lobby_until,
    })
}

fn read_announcement(f: &Fields<'_, '_>, reader: &Reader, config: &Config) -> Option<Announcement> {
    let from = f.moment("from");
    let until = f.moment("until");
    let level = f.choice("level").map_or("info", Spanned::into_inner);
    let screens = f.strings("screens").unwrap_or_default();
    let names: Vec<String> = config.screens().into_iter().map(|s| s.name).collect();
    for s in &screens {
        if !names.iter().any(|n| n == s.get_ref()) {
            let hint = match did_you_mean(s.get_ref(), names.iter().map(String::as_str)) {
                Some(n) => {
                    format!("did you mean {n:?}? screens are named in site.toml [[lobby.screens]]")
                }
                None => format!("screens are: {}", names.join(", ")),
            };
            reader.error_at(s.span(), format!("unknown screen {:?}", s.get_ref()), hint);
        }
    }
    if let (Some(a), Some(b)) = (&from, &until) {
        let tz = config.tz();
        if let (Some(x), Some(y)) = (
            a.get_ref().timestamp(&tz, false),
            b.get_ref().timestamp(&tz, true),
        ) && y <= x
        {
            reader.error_at(
                b.span(),
                format!(
                    "`until` ({}) is not after `from` ({})",
                    b.get_ref().date,
                    a.get_ref().date
                ),
                "an announcement is live from `from` until `until`: move `until` later, or `from` earlier",
            );
        }
    }
    Some(Announcement {
        from: from?.into_inner(),
        until: until?.into_inner(),
        level,
        screens: screens.into_iter().map(Spanned::into_inner).collect(),
    })
}

/// Checks that span files: duplicate slugs, `milestone` and `for` references.
fn cross_check(entries: &[Entry], unreadable: &[(Kind, String)], diags: &mut Diagnostics) {
    let mut by_key: BTreeMap<String, &Entry> = BTreeMap::new();
    for e in entries {
        let key = e.path.to_lowercase();
        if let Some(first) = by_key.get(&key) {
            diags.push(
                Diagnostic::error(&e.display, format!("{} has the same address /{}/ as {}", e.kind.name(), e.path, first.display.display()))
                    .with_hint("rename one of the two files; slugs must be unique in a section, whatever the letter case"),
            );
        } else {
            by_key.insert(key, e);
        }
    }
    let milestones: HashMap<&str, &Entry> = entries
        .iter()
        .filter(|e| e.kind == Kind::Milestone)
        .map(|e| (e.slug.as_str(), e))
        .collect();
    let improvements: HashMap<&str, &Entry> = entries
        .iter()
        .filter(|e| e.kind == Kind::Improvement)
        .map(|e| (e.slug.as_str(), e))
        .collect();
    for e in entries {
        let (target, map, kind) = match &e.fields {
            KindFields::Improvement(i) => (i.milestone.as_ref(), &milestones, Kind::Milestone),
            KindFields::Recognition(r) => (r.work.as_ref(), &improvements, Kind::Improvement),
            _ => continue,
        };
        let (what, section) = (kind.name(), kind.section());
        let Some(t) = target else { continue };
        let slug = ref_slug(t.get_ref(), section);
        let exists_unread = unreadable
            .iter()
            .any(|(k, path)| *k == kind && path.rsplit('/').next() == Some(slug));
        if !map.contains_key(slug) && !exists_unread {
            let hint = match did_you_mean(slug, map.keys().copied()) {
                Some(s) => format!(
                    "did you mean {s:?}? the value is the file name in content/{section}/ without .md"
                ),
                None => format!(
                    "the value is the file name of a {what} in content/{section}/, without .md"
                ),
            };
            diags.push(e.error_at(t.span(), format!("there is no {what} {slug:?}"), hint));
        }
    }
}

/// The slug an entry reference names (tolerates `roadmap/x` and `x.md`).
pub fn ref_slug<'a>(value: &'a str, section: &str) -> &'a str {
    let v = value.trim();
    let v = v
        .strip_prefix(section)
        .and_then(|r| r.strip_prefix('/'))
        .unwrap_or(v);
    v.trim_end_matches(".md")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_the_schemas_in_its_order() {
        let keys: Vec<&str> = STATUSES.iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, schema::STATUSES);
        for (k, s) in STATUSES {
            assert_eq!(s.key(), k);
            assert_eq!(Status::from_key(k), Some(s));
        }
        assert_eq!(Status::from_key("finished"), None);
    }

    #[test]
    fn every_kind_has_its_schema() {
        for kind in [
            Kind::Improvement,
            Kind::Milestone,
            Kind::Recognition,
            Kind::Announcement,
            Kind::Page,
        ] {
            assert_eq!(kind.schema().name, kind.name());
            assert_eq!(kind.schema().section, kind.section());
        }
    }

    const SITE: &str = "title = \"T\"\nbase_url = \"https://a.example/\"\nteams = [\"Customer Care\"]\n\n[[lobby.screens]]\nname = \"reception\"\n";

    /// Reads `text` as a file of `kind` in a portal with a photo.jpg.
    fn read(kind: Kind, text: &str) -> (Option<Entry>, Vec<Diagnostic>) {
        let dir = tempfile::tempdir().expect("tmp");
        std::fs::write(dir.path().join("photo.jpg"), b"jpg").expect("write");
        let config = Config::parse(SITE, Path::new("site.toml")).expect("site.toml");
        read_text(
            dir.path(),
            &dir.path().join("x.md"),
            kind,
            text.as_bytes().to_vec(),
            &config,
        )
    }

    fn kinds() -> [Kind; 5] {
        [
            Kind::Improvement,
            Kind::Milestone,
            Kind::Recognition,
            Kind::Announcement,
            Kind::Page,
        ]
    }

    /// Every key of every kind, each table and list of tables included, read with the getter
    /// the schema's type asks for: a getter for a key the schema does not have, of another
    /// type, or a key of the schema that no getter reads, stops a debug build.
    #[test]
    fn every_key_of_every_kind_is_read_as_the_schema_says() {
        let today = jiff::civil::date(2026, 3, 14);
        for kind in kinds() {
            let text =
                crate::scaffold::new_text(kind.schema(), "All keys", today, "Customer Care", true);
            let (entry, diags) = read(kind, &text);
            let errors: Vec<String> = diags
                .iter()
                .filter(|d| d.severity == crate::diagnostics::Severity::Error)
                .map(Diagnostic::short)
                .collect();
            assert!(errors.is_empty(), "{}: {errors:?}\n{text}", kind.name());
            assert!(entry.is_some(), "{}", kind.name());
        }
    }

    #[test]
    fn a_new_file_of_every_kind_reads_without_a_problem() {
        let today = jiff::civil::date(2026, 3, 14);
        for kind in kinds() {
            let text =
                crate::scaffold::new_text(kind.schema(), "New", today, "Customer Care", false);
            let (entry, diags) = read(kind, &text);
            assert!(diags.is_empty(), "{}: {diags:?}\n{text}", kind.name());
            assert!(entry.is_some(), "{}", kind.name());
        }
    }

    #[test]
    fn unknown_keys_are_those_the_schema_does_not_have() {
        let (_, diags) = read(
            Kind::Improvement,
            "+++\ntitle = \"x\"\ndate = 2026-01-01\nteams = [\"Customer Care\"]\ntitel = \"y\"\nzzz = 1\n+++\n",
        );
        let all: Vec<(String, Option<String>)> = diags
            .iter()
            .map(|d| (d.message.clone(), d.hint.clone()))
            .collect();
        assert_eq!(all.len(), 2, "{all:?}");
        assert_eq!(all[0].0, "unknown key `titel` in an improvement");
        assert_eq!(all[0].1.as_deref(), Some("did you mean `title`?"));
        let keys: Vec<&str> = schema::KINDS[0].fields.iter().map(|f| f.key).collect();
        assert_eq!(
            all[1].1.as_deref(),
            Some(
                format!(
                    "remove it; the keys of an improvement are: {}",
                    keys.join(", ")
                )
                .as_str()
            )
        );
    }

    #[test]
    fn better_is_required_unless_a_figure_is_text() {
        let file = |before: &str| {
            format!(
                "+++\ntitle = \"x\"\ndate = 2026-01-01\nteams = [\"Customer Care\"]\n[metric]\nname = \"n\"\nbefore = {before}\nafter = 2\n+++\n"
            )
        };
        let (entry, diags) = read(Kind::Improvement, &file("10"));
        assert!(
            diags
                .iter()
                .any(|d| d.message == "an improvement's metric is missing required key `better`"),
            "{diags:?}"
        );
        assert!(
            entry.is_some_and(
                |e| matches!(e.fields, KindFields::Improvement(i) if i.metric.is_none())
            )
        );
        let (entry, diags) = read(Kind::Improvement, &file("\"1 in 3\""));
        assert!(diags.is_empty(), "{diags:?}");
        assert!(
            entry.is_some_and(
                |e| matches!(e.fields, KindFields::Improvement(i) if i.metric.is_some())
            )
        );
    }

    #[cfg(debug_assertions)]
    #[test]
    #[should_panic(expected = "which the schema does not have")]
    fn a_getter_for_a_key_the_schema_lacks_stops_a_debug_build() {
        let reader = Reader::new(Path::new("x.md"), Arc::from(""), 0);
        let table = reader.parse("").expect("empty TOML");
        let f = reader.fields(&table, "a page", Kind::Page.schema().fields);
        let _ = f.string("colour");
    }

    #[cfg(debug_assertions)]
    #[test]
    #[should_panic(expected = "as another type than the schema's")]
    fn a_getter_of_another_type_stops_a_debug_build() {
        let reader = Reader::new(Path::new("x.md"), Arc::from(""), 0);
        let table = reader.parse("").expect("empty TOML");
        let f = reader.fields(&table, "a page", Kind::Page.schema().fields);
        let _ = f.date("title");
    }
}
