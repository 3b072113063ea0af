//! New portals and new files: `herald init` writes the embedded example portal (or, with
//! `--empty`, the bare portal of `src/scaffold/empty/`: a commented site.toml and one short
//! example of each kind), and `herald new KIND "Title"` writes a content file with every key
//! present (optional ones commented out) that builds as it is, made from the kind's schema
//! ([`crate::schema`]).

use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::diagnostics::Diagnostic;
use crate::load::config::Config;
use crate::schema::{self, Type};

static EXAMPLE_CONTENT: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/content");
static EXAMPLE_DATA: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/data");
const EXAMPLE_SITE: &str = include_str!("../site.toml");
static EMPTY_CONTENT: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/src/scaffold/empty/content");
static EMPTY_DATA: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/src/scaffold/empty/data");
const EMPTY_SITE: &str = include_str!("scaffold/empty/site.toml");
const GITIGNORE: &str = "/public/\n/.public.herald-*\n";

/// Which portal `herald init` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Starter {
    /// The example portal of this repository (Bluestem Broadband), every feature in use.
    Example,
    /// A bare portal (`--empty`): a commented site.toml and one short example of each kind.
    Empty,
}

/// Writes the new portal `starter` (site.toml, content, data) into `dir`, which must be empty
/// or not exist. Returns the number of files written.
pub fn init(dir: &Path, starter: Starter) -> Result<usize, Diagnostic> {
    let (content, data, site) = match starter {
        Starter::Example => (&EXAMPLE_CONTENT, &EXAMPLE_DATA, EXAMPLE_SITE),
        Starter::Empty => (&EMPTY_CONTENT, &EMPTY_DATA, EMPTY_SITE),
    };
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir)
            .map_err(|e| Diagnostic::io(dir, format!("cannot read the folder: {e}")))?;
        if entries.next().is_some() {
            return Err(Diagnostic::io(dir, "the folder is not empty")
                .with_hint("run `herald init NEW-FOLDER` to create the portal in a new folder"));
        }
    }
    let io = |e: std::io::Error| Diagnostic::io(dir, format!("cannot write the new portal: {e}"));
    std::fs::create_dir_all(dir).map_err(io)?;
    let mut n = 0;
    for (sub, embedded) in [("content", content), ("data", data)] {
        let target = dir.join(sub);
        std::fs::create_dir_all(&target).map_err(io)?;
        embedded.extract(&target).map_err(io)?;
        n += count(embedded);
    }
    std::fs::write(dir.join("site.toml"), site).map_err(io)?;
    std::fs::write(dir.join(".gitignore"), GITIGNORE).map_err(io)?;
    std::fs::create_dir_all(dir.join("static")).map_err(io)?;
    Ok(n + 2)
}

/// What to tell someone who has just run `herald init` into `shown` (the folder as they named
/// it): what they got, what to change first, and the command to run next.
pub fn next_steps(shown: &Path, starter: Starter) -> String {
    let (what, examples) = match starter {
        Starter::Example => (
            "the example portal of Bluestem Broadband, a fictional company",
            "content/ and data/: the example files (their announcements become a banner on\n    \
             every page while they are live); delete them or write over them, or start again\n    \
             with `herald init --empty` for a bare portal",
        ),
        Starter::Empty => (
            "a bare portal with one short example of each kind",
            "content/ and data/: the example files; write over them or delete them",
        ),
    };
    let folder = shown.to_string_lossy();
    let next = if folder.is_empty() || folder == "." {
        "herald serve".to_string()
    } else {
        format!("cd {} && herald serve", shell_word(&folder))
    };
    format!(
        "{what}.\nChange first:\n  \
         * site.toml: title, base_url, teams and the [letter] signer\n  \
         * {examples}\n\
         Next: {next}"
    )
}

/// `s` quoted for a POSIX shell when it needs it.
fn shell_word(s: &str) -> String {
    let plain = s
        .chars()
        .all(|c| c.is_alphanumeric() || "-_./:".contains(c));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

fn count(d: &Dir<'_>) -> usize {
    d.files().count() + d.dirs().map(count).sum::<usize>()
}

/// The kinds `herald new` can make: every kind of the schema, in its order.
pub const NEW_KINDS: [&str; schema::KINDS.len()] = {
    let mut names = [""; schema::KINDS.len()];
    let mut i = 0;
    while i < names.len() {
        names[i] = schema::KINDS[i].name;
        i += 1;
    }
    names
};

/// Writes a new content file of `kind` titled `title` in the site at `root`, dated today in the
/// site's time zone; returns its path. The file is [`new_text`]: every key of the kind's schema.
pub fn new_file(root: &Path, kind: &str, title: &str) -> Result<PathBuf, Diagnostic> {
    let Some(schema) = schema::kind(kind) else {
        let hint = match crate::diagnostics::did_you_mean(kind, NEW_KINDS) {
            Some(k) => format!("did you mean `herald new {k}`?"),
            None => format!("the kinds are {}", NEW_KINDS.join(", ")),
        };
        return Err(
            Diagnostic::usage("herald new", format!("unknown kind {kind:?}")).with_hint(hint),
        );
    };
    let site_toml = root.join("site.toml");
    let config = Config::load(&site_toml, Path::new("site.toml")).map_err(|d| {
        d.sorted()
            .first()
            .map(|x| (*x).clone())
            .unwrap_or_else(|| Diagnostic::error("site.toml", "site.toml has errors"))
    })?;
    // "Today" as the site sees it: its time zone, or SOURCE_DATE_EPOCH.
    let today = crate::model::today(None, &config.tz())?;
    let title = title.trim();
    if title.is_empty() {
        return Err(Diagnostic::usage("herald new", "the title is empty")
            .with_hint("herald new improvement \"Refunds in two days\""));
    }
    let slug = slug::slugify(title);
    let slug = if slug.is_empty() {
        "untitled".to_string()
    } else {
        slug
    };
    let team = config.team_names().next().unwrap_or("Customer Care");
    let text = new_text(schema, title, today, team, false);
    let dir = root.join("content").join(schema.section);
    let path = dir.join(format!("{slug}.md"));
    if path.exists() || dir.join(&slug).join("index.md").exists() {
        return Err(Diagnostic::io(
            crate::diagnostics::display_path(root, &path),
            "a file with this name already exists",
        )
        .with_hint("choose another title, or edit the existing file"));
    }
    std::fs::create_dir_all(&dir)
        .map_err(|e| Diagnostic::io(&dir, format!("cannot create the folder: {e}")))?;
    std::fs::write(&path, text).map_err(|e| Diagnostic::io(&path, format!("cannot write: {e}")))?;
    Ok(path)
}

/// The text of a new file of `kind`, from its schema: the front matter lists every key in the
/// schema's order, each `key = example` with its help; the required keys (and those the schema
/// writes in new files) active and the others commented out, or with `every` all of them
/// active. Tables come last, each after a blank line and its help, and commented out (active
/// with `every`), as every key after a `[table]` line belongs to it. `{today}`, `{tomorrow}`
/// and `{team}` in the examples become the day and `team`; the body is the kind's placeholder.
pub fn new_text(
    kind: &schema::KindSchema,
    title: &str,
    today: jiff::civil::Date,
    team: &str,
    every: bool,
) -> String {
    let tomorrow = today.tomorrow().unwrap_or(today);
    let fill = |example: &str| {
        example
            .replace("{today}", &today.to_string())
            .replace("{tomorrow}", &tomorrow.to_string())
            .replace("{team}", &toml_string(team))
    };
    let is_table = |f: &&schema::Field| matches!(f.ty, Type::Table(_) | Type::Tables(_));
    let mut out = String::from("+++\n");
    for f in kind.fields.iter().filter(|f| !is_table(f)) {
        let value = if f.key == "title" {
            toml_string(title)
        } else {
            fill(f.example)
        };
        let active = every || f.in_new || f.is_required();
        key_line(
            &mut out,
            active,
            &format!("{} = {value}", f.key),
            note(f),
            true,
        );
    }
    for f in kind.fields.iter().filter(is_table) {
        let header = match f.ty {
            Type::Tables(_) => format!("[[{}]]", f.key),
            _ => format!("[{}]", f.key),
        };
        // The table's help above its header, so that the block from the header on is only
        // TOML, commented out.
        out.push_str(&format!("\n# {}\n", note(f)));
        key_line(&mut out, every, &header, "", false);
        for c in f.children() {
            let line = format!("{} = {}", c.key, fill(c.example));
            key_line(&mut out, every, &line, note(c), false);
        }
    }
    out.push_str("+++\n\n");
    out.push_str(kind.body);
    out.push('\n');
    out
}

/// The widest line of a new file's front matter that has its note after it.
const NEW_LINE_WIDTH: usize = 100;

/// What a new file says about a key: its help; its label when the help only repeats the
/// example; nothing when that is the key's own name.
fn note(f: &schema::Field) -> &'static str {
    let help = f.help.trim_end_matches('.');
    if help != f.example.trim_matches('"') {
        help
    } else if f.label.eq_ignore_ascii_case(f.key) {
        ""
    } else {
        f.label
    }
}

/// One line of a new file's front matter: `line`, commented out unless `active`, with its
/// `note` after it; or, for a key of the top table (`top`) whose line would be too wide, with
/// the note on a comment line above. A table's lines always carry their notes after them, so
/// that the block reads as TOML when `# ` is taken off each of its lines.
fn key_line(out: &mut String, active: bool, line: &str, note: &str, top: bool) {
    let hash = if active { "" } else { "# " };
    if note.is_empty() {
        out.push_str(&format!("{hash}{line}\n"));
    } else if top && hash.len() + line.chars().count() + 4 + note.chars().count() > NEW_LINE_WIDTH {
        out.push_str(&format!("# {note}\n{hash}{line}\n"));
    } else {
        out.push_str(&format!("{hash}{line}  # {note}\n"));
    }
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    let mut o = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            '\t' => o.push_str("\\t"),
            c if c.is_control() => o.push_str(&format!("\\u{:04X}", c as u32)),
            c => o.push(c),
        }
    }
    o.push('"');
    o
}
