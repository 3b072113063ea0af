//! References: the small `{name, url, slug}` values by which entries name teams and tags, and
//! the `{kind, path, url, title, …}` values by which they name each other. Team and tag
//! references are made once per build and shared by every entry that repeats them.

use std::collections::HashMap;

use tera::Value;

use crate::load::content::KindFields;
use crate::model::Site;
use crate::model::order::entry_teams;
use crate::util::slug::slugify;
use crate::util::value::{Obj, date_value};

/// Team and tag references by name, made once.
#[derive(Debug, Default)]
pub struct Refs {
    /// Team references by name.
    teams: HashMap<String, Value>,
    /// Tag references by the name as written; a tag whose name has no slug has none.
    pub(crate) tags: HashMap<String, Value>,
}

impl Refs {
    /// The references of every team and tag the site's entries name.
    pub fn of(site: &Site) -> Self {
        let mut teams = HashMap::new();
        let mut tags = HashMap::new();
        for t in &site.teams {
            teams.insert(t.name.clone(), team_ref(site, &t.name));
        }
        for e in &site.entries {
            for t in entry_teams(e) {
                if !teams.contains_key(t) {
                    teams.insert(t.to_string(), team_ref(site, t));
                }
            }
            for t in &e.tags {
                if !tags.contains_key(t.as_str()) {
                    let slug = slugify(t);
                    if slug.is_empty() {
                        continue;
                    }
                    let v = Obj::new()
                        .set("name", t.as_str())
                        .set("url", site.routes.url(&site.routes.tag(&slug)))
                        .set("slug", slug)
                        .build();
                    tags.insert(t.clone(), v);
                }
            }
        }
        Refs { teams, tags }
    }

    /// A team's name, slug and URL.
    pub fn team(&self, site: &Site, name: &str) -> Value {
        match self.teams.get(name) {
            Some(v) => v.clone(),
            None => team_ref(site, name),
        }
    }
}

fn team_ref(site: &Site, name: &str) -> Value {
    let slug = slugify(name);
    Obj::new()
        .set("name", name)
        .set("url", site.routes.url(&site.routes.team(&slug)))
        .set("slug", slug)
        .build()
}

/// An entry's kind, path, URL, title, date and status, for cross-references.
pub fn entry_ref(site: &Site, i: usize) -> Value {
    let e = &site.entries[i];
    let (status, status_label) = match &e.fields {
        KindFields::Milestone(m) => (
            Value::from(m.status.key()),
            Value::from(site.i18n.text(m.status.message())),
        ),
        _ => (Value::none(), Value::none()),
    };
    Obj::new()
        .set("kind", e.kind.name())
        .set("path", e.path.as_str())
        .set("slug", e.slug.as_str())
        .set("url", site.routes.url(&site.routes.entry(&e.path)))
        .set("title", e.title.as_str())
        .set("date", date_value(e.date()))
        .set("status", status)
        .set("status_label", status_label)
        .build()
}
