//! New portals and new files: `herald init` writes the embedded example portal (or, with
//! `--empty`, the bare portal of `src/scaffold/empty/`: a commented site.toml and one short
//! example of each kind), and `herald new KIND "Title"` writes a content file with every key
//! present (optional ones commented out) that builds as it is.

use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::diagnostics::Diagnostic;
use crate::load::config::Config;

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

/// The kinds `herald new` can make.
pub const NEW_KINDS: [&str; 5] = [
    "improvement",
    "milestone",
    "recognition",
    "announcement",
    "page",
];

/// Writes a new content file of `kind` titled `title` in the site at `root`, dated today in the
/// site's time zone; returns its path.
pub fn new_file(root: &Path, kind: &str, title: &str) -> Result<PathBuf, Diagnostic> {
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
    let team = config
        .team_names()
        .next()
        .unwrap_or("Customer Care")
        .to_string();
    let q = |s: &str| toml_string(s);
    let (folder, text) = match kind {
        "improvement" => (
            "improvements",
            format!(
                "+++\ntitle = {title}\ndate = {today}\nteams = [{team}]\n# owner = \"Who led it\"\n# customers = \"Who benefits, e.g. all prepaid customers\"\n# summary = \"One sentence for lists and feeds; else the first paragraph is used\"\n# tags = [\"billing\"]\n# milestone = \"a-milestone-file-name\"\n# image = \"photo.jpg\"\n# image_alt = \"What the photo shows\"\n# lobby = true\n# lobby_from = {today}\n# lobby_until = {today}\n# letter = true\n# draft = false\n\n# [metric]\n# name = \"Days to refund\"\n# before = 10     # a number, or short text as people say it: before = \"1 in 3\"\n# after = 2\n# unit = \"days\"  # goes with numbers; text is shown as written\n# better = \"lower\"   # or \"higher\"; optional when before or after is text\n\n# [quote]\n# text = \"What a customer said\"\n# by = \"Name, customer since 2019\"\n+++\n\nWhat was wrong for customers, what changed, and how the teams did it.\n",
                title = q(title),
                team = q(&team)
            ),
        ),
        "milestone" => (
            "roadmap",
            format!(
                "+++\ntitle = {title}\nphase = \"Year 1 — Listen\"\ntarget = {today}\nstatus = \"planned\"\nowner = {team}\n# done_on = {today}   # the day it was done, with status = \"done\"\n# teams = [{team}]\n# summary = \"One sentence\"\n# tags = []\n# draft = false\n\n# [[tasks]]\n# team = {team}\n# task = \"What this team will do\"\n# due = {today}\n# done_on = {today}   # the day it was finished (that makes it done = true); leave it out while open\n\n# [metric]\n# name = \"How success is measured\"\n# baseline = 0\n# target = 100\n# current = 0\n# unit = \"%\"\n+++\n\nWhy this step matters to customers.\n",
                title = q(title),
                team = q(&team)
            ),
        ),
        "recognition" => (
            "recognitions",
            format!(
                "+++\ntitle = {title}\ndate = {today}\npeople = [\"Name Surname\"]\n# team = {team}\n# award = \"Customer Champion\"\n# for = \"an-improvement-file-name\"\n# lobby = true\n# lobby_from = {today}\n# lobby_until = {today}\n# summary = \"One sentence\"\n# tags = []\n# draft = false\n+++\n\nWhat they did, and what it meant for customers.\n",
                title = q(title),
                team = q(&team)
            ),
        ),
        "announcement" => (
            "announcements",
            format!(
                "+++\ntitle = {title}\nfrom = {today}\nuntil = {until}\n# level = \"info\"   # info, celebrate or urgent\n# screens = [\"reception\"]\n+++\n\nOne or two sentences.\n",
                title = q(title),
                until = today.tomorrow().unwrap_or(today)
            ),
        ),
        "page" => (
            "",
            format!(
                "+++\ntitle = {title}\n# summary = \"One sentence\"\n+++\n\nThe page's text.\n",
                title = q(title)
            ),
        ),
        other => {
            let hint = match crate::diagnostics::did_you_mean(other, NEW_KINDS) {
                Some(k) => format!("did you mean `herald new {k}`?"),
                None => format!("the kinds are {}", NEW_KINDS.join(", ")),
            };
            return Err(
                Diagnostic::usage("herald new", format!("unknown kind {other:?}")).with_hint(hint),
            );
        }
    };
    let dir = root.join("content").join(folder);
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
