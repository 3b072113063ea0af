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

/// One problem in one file.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
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
        let errors = self.error_count();
        let warnings = self.items.len() - errors;
        if errors > 0 {
            let _ = writeln!(
                out,
                "{errors} error{} and {warnings} warning{}: nothing was written, the previous output is unchanged.",
                plural(errors),
                plural(warnings)
            );
        }
        out
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
