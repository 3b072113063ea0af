//! Quick rebuilds' side of the view: after an edit that changes only an entry's body, title or
//! summary, the entry's value and those of the entries that cite it are made again, and the new
//! values are put wherever the old ones were held (lists, teams, tags, digests, letters, the
//! `site` value), copying only the containers on the way. What changed, and where, tells the
//! session which pages to render again.

use std::collections::HashMap;
use std::path::Path;

use tera::Value;

use super::View;
use crate::load::content::{Kind, KindFields};
use crate::model::Site;

/// Where a changed entry was found inside a value: its index, and the map keys on the way to
/// it (a template must name each of them to reach it). The keys of `site.by_path` are paths,
/// not names, and are left out.
pub(crate) type Hit = (usize, Vec<String>);

/// What [`View::patch`] changed, for finding the pages to render again.
#[derive(Debug, Default)]
pub(crate) struct Patched {
    /// Entries whose value changed, with the names of the fields that differ.
    pub fields: HashMap<usize, Vec<String>>,
    /// By team index: the changed entries its value holds.
    pub teams: HashMap<usize, Vec<Hit>>,
    /// By tag index: the changed entries its value holds.
    pub tags: HashMap<usize, Vec<Hit>>,
    /// By digest index: the changed entries its value holds.
    pub digests: HashMap<usize, Vec<Hit>>,
    /// By letter index: the changed entries its value holds.
    pub letters: HashMap<usize, Vec<Hit>>,
    /// By key of `site`: the changed entries its value holds.
    pub site_keys: HashMap<String, Vec<Hit>>,
}

impl View {
    /// After [`Site::replace`] put new versions of the `changed` entries in place (their structure
    /// unchanged: the same file, kind, date, teams, tags, links and lobby settings; only the body,
    /// title or summary differ), rebuilds their values and those of the entries that cite them,
    /// and substitutes the new values into every list, team, tag, digest, letter and `site` value that holds the old
    /// ones. Lists keep their order, so nothing else is rebuilt.
    pub(crate) fn patch(&mut self, site: &Site, root: &Path, changed: Vec<usize>) -> Patched {
        let mut t = crate::util::timings::Timer::new();
        let affected = affected(site, &changed);
        let fresh: Vec<(usize, Value)> = affected
            .iter()
            .map(|&i| (i, super::entry::value(site, &self.refs, root, i)))
            .collect();
        let mut patched = Patched::default();
        let mut subs: HashMap<usize, (usize, Value)> = HashMap::new();
        for (i, new) in fresh {
            let old = std::mem::replace(&mut self.values[i], new.clone());
            let fields = changed_fields(&old, &new);
            if fields.is_empty() {
                // The same value: keep the old one, which the lists already hold.
                self.values[i] = old;
                continue;
            }
            if let Some(m) = old.as_map() {
                subs.insert(std::ptr::from_ref(m) as usize, (i, new));
            }
            patched.fields.insert(i, fields);
        }
        if subs.is_empty() {
            return patched;
        }
        t.mark("  patch: entry values");
        let keep: std::collections::HashSet<usize> = self
            .values
            .iter()
            .filter_map(|v| v.as_map().map(|m| std::ptr::from_ref(m) as usize))
            .collect();
        let walk = Substitute {
            subs: &subs,
            keep: &keep,
            memo: std::cell::RefCell::default(),
        };
        // Replaced containers stay alive until the walk ends: it remembers them by address.
        let graveyard = std::cell::RefCell::new(Vec::new());
        let each = |values: &mut [Value], out: &mut HashMap<usize, Vec<Hit>>| {
            for (n, v) in values.iter_mut().enumerate() {
                let mut found = Vec::new();
                if let Some(new) = walk.value(v, &mut found) {
                    graveyard.borrow_mut().push(std::mem::replace(v, new));
                    found.sort_unstable();
                    found.dedup();
                    out.insert(n, found);
                }
            }
        };
        t.mark("  patch: identities");
        each(&mut self.team_values, &mut patched.teams);
        each(&mut self.tag_values, &mut patched.tags);
        each(&mut self.digests, &mut patched.digests);
        each(&mut self.letters, &mut patched.letters);
        t.mark("  patch: teams, tags, digests, letters");
        self.substitute_in_site(&walk, &mut patched);
        drop(walk);
        drop(graveyard);
        t.mark("  patch: site");
        patched
    }

    /// Puts new entry values into the `site` value, noting under each of its keys which
    /// changed entries it held (`by_path` is looked up by path, so its hits carry no names).
    fn substitute_in_site(&mut self, walk: &Substitute<'_>, patched: &mut Patched) {
        if let Some(m) = self.site_value.as_map() {
            let mut out: Option<tera::Map> = None;
            for (n, (k, v)) in m.iter().enumerate() {
                let mut found = Vec::new();
                if let Some(new) = walk.value(v, &mut found) {
                    if k.as_str() == Some("by_path") {
                        for hit in &mut found {
                            hit.1.clear();
                        }
                    }
                    found.sort_unstable();
                    found.dedup();
                    if let Some(k) = k.as_str() {
                        patched.site_keys.insert(k.to_string(), found);
                    }
                    let o = out.get_or_insert_with(|| m.clone());
                    if let Some((_, slot)) = o.get_index_mut(n) {
                        *slot = new;
                    }
                }
            }
            if let Some(o) = out {
                self.site_value = Value::from(o);
            }
        }
    }
}

/// The changed entries and those whose values show them: an improvement's milestone and its
/// recognitions, a recognition's improvement, a milestone's improvements; sorted, each once.
fn affected(site: &Site, changed: &[usize]) -> Vec<usize> {
    let mut affected = changed.to_vec();
    for &i in changed {
        let e = &site.entries[i];
        match &e.fields {
            KindFields::Improvement(imp) => {
                if let Some(j) = imp
                    .milestone
                    .as_ref()
                    .and_then(|m| site.find(Kind::Milestone, m.get_ref()))
                {
                    affected.push(j);
                }
                affected.extend(
                    site.links
                        .recognitions
                        .get(e.slug.as_str())
                        .into_iter()
                        .flatten(),
                );
            }
            KindFields::Recognition(rec) => {
                if let Some(j) = rec
                    .work
                    .as_ref()
                    .and_then(|w| site.find(Kind::Improvement, w.get_ref()))
                {
                    affected.push(j);
                }
            }
            KindFields::Milestone(_) => {
                affected.extend(
                    site.links
                        .improvements
                        .get(e.slug.as_str())
                        .into_iter()
                        .flatten(),
                );
            }
            KindFields::Announcement(_) | KindFields::Page => {}
        }
    }
    affected.sort_unstable();
    affected.dedup();
    affected
}

/// A container walked by [`Substitute`]: its replacement, if anything in it changed, and where.
type Walked = (Option<Value>, Vec<Hit>);

/// Replaces old entry values (by identity) with new ones inside nested lists and maps,
/// copying only the containers on the way.
struct Substitute<'a> {
    /// Old value's address → (entry index, new value).
    subs: &'a HashMap<usize, (usize, Value)>,
    /// Addresses of the current entry values, which are not looked into.
    keep: &'a std::collections::HashSet<usize>,
    /// Containers already walked (they are shared: `site.teams` holds the team values), with
    /// their replacement and the entries found in them.
    memo: std::cell::RefCell<HashMap<usize, Walked>>,
}

impl Substitute<'_> {
    fn value(&self, v: &Value, found: &mut Vec<Hit>) -> Option<Value> {
        let id = if let Some(m) = v.as_map() {
            let id = std::ptr::from_ref(m) as usize;
            if let Some((i, new)) = self.subs.get(&id) {
                found.push((*i, Vec::new()));
                return Some(new.clone());
            }
            if self.keep.contains(&id) {
                return None;
            }
            id
        } else if let Some(a) = v.as_array() {
            if a.is_empty() {
                return None;
            }
            a.as_ptr() as usize | 1
        } else {
            return None;
        };
        if let Some((new, inside)) = self.memo.borrow().get(&id) {
            found.extend(inside.iter().cloned());
            return new.clone();
        }
        let mut inside = Vec::new();
        let new = self.walk(v, &mut inside);
        found.extend(inside.iter().cloned());
        self.memo.borrow_mut().insert(id, (new.clone(), inside));
        new
    }

    fn walk(&self, v: &Value, found: &mut Vec<Hit>) -> Option<Value> {
        if let Some(m) = v.as_map() {
            let mut out: Option<tera::Map> = None;
            for (n, (k, x)) in m.iter().enumerate() {
                let before = found.len();
                if let Some(new) = self.value(x, found) {
                    let key = k
                        .as_str()
                        .map_or_else(|| k.as_value().to_string(), str::to_string);
                    for hit in &mut found[before..] {
                        hit.1.insert(0, key.clone());
                    }
                    let o = out.get_or_insert_with(|| m.clone());
                    if let Some((_, slot)) = o.get_index_mut(n) {
                        *slot = new;
                    }
                }
            }
            return out.map(Value::from);
        }
        if let Some(a) = v.as_array() {
            let mut out: Option<Vec<Value>> = None;
            for (n, x) in a.iter().enumerate() {
                if let Some(new) = self.value(x, found) {
                    out.get_or_insert_with(|| a.to_vec())[n] = new;
                }
            }
            return out.map(Value::from);
        }
        None
    }
}

/// The top-level keys whose values differ between two entry values.
fn changed_fields(old: &Value, new: &Value) -> Vec<String> {
    let (Some(a), Some(b)) = (old.as_map(), new.as_map()) else {
        return vec![String::new()];
    };
    let mut out = Vec::new();
    for (k, v) in b {
        let name = k
            .as_str()
            .map_or_else(|| k.as_value().to_string(), str::to_string);
        if a.get(k).is_none_or(|o| !same_value(o, v)) {
            out.push(name);
        }
    }
    for k in a.keys() {
        if !b.contains_key(k) {
            out.push(
                k.as_str()
                    .map_or_else(|| k.as_value().to_string(), str::to_string),
            );
        }
    }
    out
}

/// Whether two values render the same: equal structure and text, and strings equally safe.
/// Shared lists and maps are recognised by identity without looking inside.
pub(crate) fn same_value(a: &Value, b: &Value) -> bool {
    match (a.as_map(), b.as_map()) {
        (Some(x), Some(y)) => {
            return std::ptr::eq(x, y)
                || x.len() == y.len()
                    && x.iter()
                        .zip(y.iter())
                        .all(|((ka, va), (kb, vb))| ka == kb && same_value(va, vb));
        }
        (None, None) => {}
        _ => return false,
    }
    match (a.as_array(), b.as_array()) {
        (Some(x), Some(y)) => {
            return std::ptr::eq(x, y)
                || x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_value(p, q));
        }
        (None, None) => {}
        _ => return false,
    }
    match (a.as_str(), b.as_str()) {
        (Some(x), Some(y)) => x == y && a.is_safe() == b.is_safe(),
        (None, None) => a.name() == b.name() && a == b,
        _ => false,
    }
}
