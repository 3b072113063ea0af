//! herald: a static-site generator for customer-communication portals.
//!
//! The engine is one pipeline with one direction of flow, and `src/` has a folder for each
//! stage:
//!
//! 1. [`load`]: site.toml, the Markdown under `content/`, the metrics under `data/` and the
//!    theme, read and checked, every problem with its file and line;
//! 2. [`model`]: the site as facts, with everything derived from the content (rendered
//!    Markdown, lists, teams, tags, links, what is overdue, scorecards, the periods);
//! 3. [`view`]: the template values built from the model;
//! 4. [`render`]: the Tera 2 environment, the page plan and the rendering of every page;
//! 5. [`output`], [`search`]: feeds, the sitemap, the search index, and the staging folder that
//!    is swapped in whole.
//!
//! [`routes`] owns every output path and URL; [`pipeline`] runs the stages ([`build`]);
//! [`serve`] serves a build and rebuilds what an edit changed, with the [`studio`] for authors
//! beside it; [`scaffold`] makes new portals and files; [`schema`] is the one description of
//! every kind's keys that the reader, `herald new`, `herald schema` and the studio's forms are
//! made from; [`diagnostics`] is how every problem is told; [`util`] holds the small helpers
//! all of them share. The `herald` binary is a thin command line over these functions.

pub mod diagnostics;
pub mod i18n;
pub mod load;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod routes;
pub mod scaffold;
pub mod schema;
pub mod search;
pub mod serve;
pub mod studio;
pub mod util;
pub mod view;

pub use pipeline::{BuildOptions, BuildReport, build};
