//! Diagnostics: every problem herald finds in a site, with the file, the line and column, what
//! was expected and a hint, rendered as a source snippet with a caret under the problem.
//!
//! Loading and rendering never stop at the first problem: they push [`Diagnostic`]s into a
//! [`Diagnostics`] list and the build fails at the end if any of them is an error.

use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet, renderer::DecorStyle};

/// How serious a diagnostic is: errors fail the build, warnings are printed only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The build cannot produce a correct site.
    Error,
    /// Probably a mistake, but the site still builds.
    Warning,
}

/// What a problem is about, which decides the exit status (a usage error exits 2, the others
/// 1) and how the summary line counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Kind {
    /// The command was used wrongly: a bad option value or environment variable.
    Usage,
    /// A problem in what authors write: `site.toml`, content, data (the default).
    #[default]
    Content,
    /// A problem in a theme's templates.
    Template,
    /// A file or folder that cannot be read or written, or that is in the way.
    Io,
}

impl Kind {
    /// The exit status of a run that failed with an error of this kind.
    pub fn exit_status(self) -> u8 {
        match self {
            Kind::Usage => 2,
            Kind::Content | Kind::Template | Kind::Io => 1,
        }
    }

    /// The word the summary line puts before "error": "1 template error".
    fn adjective(self) -> &'static str {
        match self {
            Kind::Usage => "usage",
            Kind::Content => "content",
            Kind::Template => "template",
            Kind::Io => "file",
        }
    }
}

/// What a failed run did to the output folder, for the summary line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Outcome {
    /// Nothing was written, and there was no earlier output to speak of (the default).
    #[default]
    NotWritten,
    /// Nothing was written, and the output folder of an earlier build is as it was.
    Kept,
    /// The run never writes anything (`herald check`): the summary only counts.
    Checked,
}

/// One problem in one file.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What the problem is about; decides the exit status.
    pub kind: Kind,
    /// The file, relative to the site root where possible.
    pub file: PathBuf,
    /// 1-based line, when the problem has a position.
    pub line: Option<usize>,
    /// 1-based column (in characters), when the problem has a position.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
    source: Option<Arc<str>>,
    span: Option<Range<usize>>,
}

impl Diagnostic {
    /// An error in `file` with no position.
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            kind: Kind::Content,
            file: file.into(),
            line: None,
            column: None,
            message: message.into(),
            hint: None,
            source: None,
            span: None,
        }
    }

    /// A warning in `file` with no position.
    pub fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(file, message)
        }
    }

    /// An error in how the command was used (exit status 2); `what` names the option or
    /// variable, e.g. `--base-url`.
    pub fn usage(what: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::error(what, message).with_kind(Kind::Usage)
    }

    /// An error reading or writing `file`.
    pub fn io(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::error(file, message).with_kind(Kind::Io)
    }

    /// Sets what the problem is about (content unless said otherwise).
    #[must_use]
    pub fn with_kind(mut self, kind: Kind) -> Self {
        self.kind = kind;
        self
    }

    /// The exit status of a run that failed with this problem.
    pub fn exit_status(&self) -> u8 {
        self.kind.exit_status()
    }

    /// Adds a hint that says how to fix the problem.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Points the diagnostic at a byte range of the file's text, which gives it a line and column
    /// and a snippet with a caret.
    #[must_use]
    pub fn at(mut self, source: &Arc<str>, span: Range<usize>) -> Self {
        let start = floor_char_boundary(source, span.start.min(source.len()));
        let end = floor_char_boundary(source, span.end.clamp(start, source.len()));
        let (line, column) = line_col(source, start);
        self.line = Some(line);
        self.column = Some(column);
        self.source = Some(Arc::clone(source));
        self.span = Some(start..end);
        self
    }

    /// The same problem, named for another file (a translation's, found by its original).
    #[must_use]
    pub fn with_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.file = file.into();
        self
    }

    /// [`Diagnostic::at`] when the span is known.
    #[must_use]
    pub fn at_optional(self, source: &Arc<str>, span: Option<Range<usize>>) -> Self {
        match span {
            Some(span) => self.at(source, span),
            None => self,
        }
    }

    /// Points the diagnostic at a line and column without a snippet.
    #[must_use]
    pub fn at_line(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// `file:line:col`, or as much of it as is known.
    pub fn location(&self) -> String {
        let mut s = self.file.display().to_string();
        if let Some(line) = self.line {
            let _ = write!(s, ":{line}");
            if let Some(col) = self.column {
                let _ = write!(s, ":{col}");
            }
        }
        s
    }

    /// Renders the diagnostic for a terminal (`color`) or a log or pipe (plain).
    pub fn render(&self, color: bool) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let file = self.file.display().to_string();
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        }
        .decor_style(DecorStyle::Ascii);
        match (&self.source, &self.span) {
            (Some(source), Some(span)) => {
                let mut group = level.primary_title(self.message.as_str()).element(
                    Snippet::source(&source[..])
                        .path(file.as_str())
                        .fold(true)
                        .annotation(AnnotationKind::Primary.span(span.clone())),
                );
                if let Some(hint) = &self.hint {
                    group = group.element(Level::HELP.message(hint.as_str()));
                }
                renderer.render(&[group])
            }
            _ => {
                let mut origin = annotate_snippets::Origin::path(file.as_str());
                if let Some(line) = self.line {
                    origin = origin.line(line);
                    if let Some(col) = self.column {
                        origin = origin.char_column(col);
                    }
                }
                let mut group = level.primary_title(self.message.as_str()).element(origin);
                if let Some(hint) = &self.hint {
                    group = group.element(Level::HELP.message(hint.as_str()));
                }
                renderer.render(&[group])
            }
        }
    }

    /// A one-line summary: `file:line:col: error: message (hint: ...)`.
    pub fn short(&self) -> String {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match &self.hint {
            Some(h) => format!("{}: {sev}: {} (hint: {h})", self.location(), self.message),
            None => format!("{}: {sev}: {}", self.location(), self.message),
        }
    }
}

/// A list of diagnostics collected over a whole load or build.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    outcome: Outcome,
}

impl Diagnostics {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// Says what the failed run did to the output folder, for the summary line.
    #[must_use]
    pub fn with_outcome(mut self, outcome: Outcome) -> Self {
        self.outcome = outcome;
        self
    }

    /// The exit status of a run that failed with these problems: 2 when one of the errors is a
    /// usage error, else 1.
    pub fn exit_status(&self) -> u8 {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(Diagnostic::exit_status)
            .max()
            .unwrap_or(1)
    }

    /// Adds all of `other`.
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// True when at least one is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// How many errors.
    pub fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// Every diagnostic, sorted by file, line and column so output is stable.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut v: Vec<&Diagnostic> = self.items.iter().collect();
        v.sort_by(|a, b| {
            (a.severity, &a.file, a.line, a.column, &a.message)
                .cmp(&(b.severity, &b.file, b.line, b.column, &b.message))
        });
        v
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Renders all of them, then a count.
    pub fn render(&self, color: bool) -> String {
        let mut out = String::new();
        for d in self.sorted() {
            out.push_str(&d.render(color));
            out.push_str("\n\n");
        }
        if let Some(line) = self.summary() {
            out.push_str(&line);
            out.push('\n');
        }
        out
    }

    /// The last line of a failed run: the errors counted by kind, and what happened to the
    /// output ("1 template error and 0 warnings: nothing was written."). None without errors.
    pub fn summary(&self) -> Option<String> {
        let errors = self.error_count();
        if errors == 0 {
            return None;
        }
        let warnings = self.items.len() - errors;
        let mut kinds: Vec<(Kind, usize)> = Vec::new();
        for d in self.items.iter().filter(|d| d.severity == Severity::Error) {
            match kinds.iter_mut().find(|(k, _)| *k == d.kind) {
                Some((_, n)) => *n += 1,
                None => kinds.push((d.kind, 1)),
            }
        }
        kinds.sort();
        let counted = match kinds.as_slice() {
            [(kind, _)] => format!("{errors} {} error{}", kind.adjective(), plural(errors)),
            _ => {
                let parts: Vec<String> = kinds
                    .iter()
                    .map(|(k, n)| format!("{n} {}", k.adjective()))
                    .collect();
                format!("{errors} errors ({})", parts.join(", "))
            }
        };
        let counted = format!("{counted} and {warnings} warning{}", plural(warnings));
        Some(match self.outcome {
            Outcome::NotWritten => format!("{counted}: nothing was written."),
            Outcome::Kept => {
                format!("{counted}: nothing was written, the previous output is unchanged.")
            }
            Outcome::Checked => format!("{counted}."),
        })
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(source, offset.min(source.len()));
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The closest of `candidates` to `word`, if one is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| {
            let other = c.to_lowercase();
            let mut score = strsim::jaro_winkler(&lower, &other);
            // One slip (a swapped, missing or extra letter) in a short word, which Jaro
            // undervalues: "nsp" for "nps".
            if lower.chars().count() >= 3 && strsim::damerau_levenshtein(&lower, &other) == 1 {
                score = score.max(0.85);
            }
            (score, c)
        })
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// Shows `path` relative to `root` when it is under it.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root)
        .map_or_else(|_| path.to_path_buf(), Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_counts_errors_by_kind_and_a_usage_error_exits_2() {
        let mut d = Diagnostics::new();
        d.push(Diagnostic::error("a.md", "x"));
        d.push(Diagnostic::error("b.md", "y"));
        d.push(Diagnostic::warning("c.md", "z"));
        assert_eq!(d.exit_status(), 1);
        assert_eq!(
            d.summary().as_deref(),
            Some("2 content errors and 1 warning: nothing was written.")
        );
        d.push(Diagnostic::error("page.html", "t").with_kind(Kind::Template));
        d.push(Diagnostic::usage("--base-url", "u"));
        assert_eq!(d.exit_status(), 2);
        let d = d.with_outcome(Outcome::Kept);
        assert_eq!(
            d.summary().as_deref(),
            Some(
                "4 errors (1 usage, 2 content, 1 template) and 1 warning: nothing was written, the previous output is unchanged."
            )
        );
        let mut w = Diagnostics::new().with_outcome(Outcome::Checked);
        w.push(Diagnostic::warning("c.md", "z"));
        assert_eq!(w.summary(), None);
        w.push(Diagnostic::io("public", "cannot write"));
        assert_eq!(w.summary().as_deref(), Some("1 file error and 1 warning."));
    }
}
