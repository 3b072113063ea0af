//! Reading the sources: `site.toml` ([`config`]), the Markdown files under `content/`
//! ([`content`], with [`frontmatter`] for their TOML), the customer math under `data/`
//! ([`metrics`]) and the theme ([`theme`]). Everything here checks what it reads and reports
//! every problem with its file and line; nothing here knows about pages or URLs.

pub mod config;
pub mod content;
pub mod frontmatter;
pub mod metrics;
pub mod theme;
