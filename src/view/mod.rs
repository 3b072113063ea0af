//! Template values: what the theme's templates see, built from the finished model
//! ([`crate::model::Site`]) and nothing else. The model holds facts; the view turns them into
//! the maps and lists the templates read (`page`, `team`, `tag`, `digest`, `letter`, `site`,
//! `config`), with URLs from [`crate::routes`] and numbers as people read them.
//!
//! * [`entry`]: each entry's value; [`refs`]: the small references entries name each other by;
//! * [`site`]: `site`, `config`, teams, tags and the list pager;
//! * [`roadmap`], [`digest`], [`charts`]: the timeline and review, digests and letters, metrics;
//! * [`lobby`]: the lobby screens' data;
//! * [`patch`]: quick rebuilds, which put new entry values in place of the old ones.

pub mod charts;
pub mod digest;
pub mod entry;
pub mod lobby;
pub mod patch;
pub mod refs;
pub mod roadmap;
pub mod site;

use std::path::Path;

use rayon::prelude::*;
use tera::Value;

use crate::model::Site;
use refs::Refs;

/// Every template value of a build, made once and shared by every page.
pub struct View {
    /// Team and tag references.
    pub refs: Refs,
    /// Each entry's value (`page`), by entry index.
    pub values: Vec<Value>,
    /// Each team's value, by team index.
    pub team_values: Vec<Value>,
    /// Each tag's value, by tag index.
    pub tag_values: Vec<Value>,
    /// Each digest's value, as [`Site::months`] lists them.
    pub digests: Vec<Value>,
    /// Each letter's value, as [`Site::quarters`] lists them.
    pub letters: Vec<Value>,
    /// The `config` value.
    pub config_value: Value,
    /// The `site` value.
    pub site_value: Value,
}

/// What the builders of lists, teams, digests and the review read: the model, the references
/// and the finished entry values.
#[derive(Clone, Copy)]
pub struct Cx<'a> {
    /// The model.
    pub site: &'a Site,
    /// Team and tag references.
    pub refs: &'a Refs,
    /// Each entry's value.
    pub values: &'a [Value],
}

impl View {
    /// Builds every value from the model; `root` is the site's folder (for image URLs).
    pub fn build(site: &Site, root: &Path) -> View {
        let mut t = crate::util::timings::Timer::new();
        let refs = Refs::of(site);
        let values: Vec<Value> = (0..site.entries.len())
            .into_par_iter()
            .map(|i| entry::value(site, &refs, root, i))
            .collect();
        t.mark("  entry values");
        let cx = Cx {
            site,
            refs: &refs,
            values: &values,
        };
        let ((team_values, tag_values), (digests, letters)) = rayon::join(
            || {
                rayon::join(
                    || {
                        (0..site.teams.len())
                            .into_par_iter()
                            .map(|i| site::team_value(&cx, i))
                            .collect::<Vec<_>>()
                    },
                    || {
                        (0..site.tags.len())
                            .into_par_iter()
                            .map(|i| site::tag_value(&cx, i))
                            .collect::<Vec<_>>()
                    },
                )
            },
            || rayon::join(|| digest::digests(&cx), || digest::letters(&cx)),
        );
        let config_value = site::config_value(site);
        let site_value = site::site_value(&cx, &team_values, &tag_values, &digests, &letters);
        t.mark("  teams, tags, digests, letters, site values");
        View {
            refs,
            values,
            team_values,
            tag_values,
            digests,
            letters,
            config_value,
            site_value,
        }
    }
}
