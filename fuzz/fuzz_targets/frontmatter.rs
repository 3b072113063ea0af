//! One content file's bytes, read as each kind of entry: the UTF-8 check, the `+++` split, the
//! TOML parse and every kind's key reader (`herald::load::content::read_text`), then every
//! diagnostic rendered as the terminal would show it. Nothing may panic.

#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use herald::load::config::Config;
use herald::load::content::{self, Kind, KindFields};
use herald::diagnostics::Diagnostics;
use libfuzzer_sys::fuzz_target;

/// The integration tests' minimal site.toml (tests/support/mod.rs), with a team list so that
/// the team checks run; shared by the targets.
const SITE_TOML: &str = include_str!("../site.toml");

static CONFIG: LazyLock<Config> = LazyLock::new(|| {
    Config::parse(SITE_TOML, Path::new("site.toml")).expect("the fuzz site.toml is valid")
});

const KINDS: [(Kind, &str); 5] = [
    (Kind::Improvement, "content/improvements/fuzzed.md"),
    (Kind::Milestone, "content/roadmap/fuzzed.md"),
    (Kind::Recognition, "content/recognitions/fuzzed.md"),
    (Kind::Announcement, "content/announcements/fuzzed.md"),
    (Kind::Page, "content/fuzzed.md"),
];

fuzz_target!(|data: &[u8]| {
    // A root that does not exist: an `image` key is looked up, never found.
    let root = Path::new("/nonexistent/herald-fuzz");
    let config = &*CONFIG;
    let tz = config.tz();
    let mut all = Diagnostics::new();
    for (kind, rel) in KINDS {
        let (entry, diags) = content::read_text(root, &root.join(rel), kind, data.to_vec(), config);
        for d in diags {
            let _ = d.short();
            all.push(d);
        }
        let Some(e) = entry else { continue };
        assert!(e.front_offset <= e.body_offset && e.body_offset <= e.source.len());
        let _ = e.body();
        let _ = e.date();
        assert!(!e.title.is_empty(), "an entry without a title");
        match &e.fields {
            KindFields::Announcement(a) => {
                let _ = a.from.timestamp(&tz, false);
                let _ = a.until.timestamp(&tz, true);
            }
            KindFields::Improvement(i) => {
                if let Some(m) = &i.metric {
                    let _ = (m.change(), m.improved(), m.change_percent());
                }
            }
            KindFields::Milestone(m) => {
                if let Some(metric) = &m.metric {
                    let _ = metric.percent();
                }
                for t in &m.tasks {
                    let _ = t.done_late();
                }
            }
            _ => {}
        }
    }
    // Every message with its snippet, as the terminal shows them (the costly part of an
    // iteration, so once).
    let _ = all.render(false);
});
