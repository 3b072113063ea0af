//! Page fingerprints for `serve`'s incremental rebuilds: for every page, a hash of all it can
//! read (its templates, the parts of `site` they name, its own value, `config`, `today`, the
//! asset hashes, herald's version), so that a page is rendered again only when its hash
//! changes; and what each page reads ([`Deps`]), for quick rebuilds.
//!
//! Values are hashed structurally and memoised by identity ([`ValueHasher`]), so an entry's
//! value shared by many lists is hashed once.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;
use tera::Value;

use crate::pipeline::prepare::Prepared;
use crate::render::dependencies::{Lookups, by_path_lookups, merge_lookups, site_keys};
use crate::render::{Input, Job};

/// Structural hashes of template values, memoised by identity (maps and lists are shared).
struct ValueHasher {
    memo: rustc_hash::FxHashMap<usize, blake3::Hash>,
}

impl ValueHasher {
    fn new() -> Self {
        ValueHasher {
            memo: rustc_hash::FxHashMap::default(),
        }
    }

    /// The hash of a value. Maps and arrays are hashed once each (memoised by address, since
    /// values are shared); strings, numbers and the like go straight into their parent's hash.
    fn hash(&mut self, v: &Value) -> blake3::Hash {
        if let Some(m) = v.as_map() {
            let id = std::ptr::from_ref(m) as usize;
            if let Some(h) = self.memo.get(&id) {
                return *h;
            }
            let mut h = blake3::Hasher::new();
            h.update(b"{");
            for (k, v) in m {
                match k.as_str() {
                    Some(k) => {
                        h.update(&(k.len() as u64).to_le_bytes());
                        h.update(k.as_bytes());
                    }
                    None => {
                        let k = k.as_value().to_string();
                        h.update(&(k.len() as u64).to_le_bytes());
                        h.update(k.as_bytes());
                    }
                }
                self.feed(v, &mut h);
            }
            let out = h.finalize();
            self.memo.insert(id, out);
            return out;
        }
        if let Some(a) = v.as_array() {
            // Keyed by the elements' address with the low bit set, which no (aligned) map's
            // address has; empty arrays all share one dangling address and are not memoised.
            let id = a.as_ptr() as usize;
            if !a.is_empty()
                && let Some(h) = self.memo.get(&(id ^ 1))
            {
                return *h;
            }
            let mut h = blake3::Hasher::new();
            h.update(b"[");
            h.update(&(a.len() as u64).to_le_bytes());
            for x in a {
                self.feed(x, &mut h);
            }
            let out = h.finalize();
            if !a.is_empty() {
                self.memo.insert(id ^ 1, out);
            }
            return out;
        }
        let mut h = blake3::Hasher::new();
        self.feed(v, &mut h);
        h.finalize()
    }

    /// Adds a value to `h`: a map's or array's own hash, else the value itself, tagged and with
    /// its length, so that no two different sequences of values feed the same bytes.
    fn feed(&mut self, v: &Value, h: &mut blake3::Hasher) {
        if v.as_map().is_some() || v.as_array().is_some() {
            h.update(b"#");
            h.update(self.hash(v).as_bytes());
        } else if let Some(s) = v.as_str() {
            h.update(if v.is_safe() { b"S" } else { b"s" });
            h.update(&(s.len() as u64).to_le_bytes());
            h.update(s.as_bytes());
        } else {
            let text = v.to_string();
            h.update(b"v");
            h.update(v.name().as_bytes());
            h.update(&(text.len() as u64).to_le_bytes());
            h.update(text.as_bytes());
        }
    }
}

/// Every `path` field anywhere in a value: the entries it refers to.
fn paths_in(v: &Value, out: &mut BTreeSet<String>, seen: &mut BTreeSet<usize>) {
    if let Some(m) = v.as_map() {
        if !seen.insert(std::ptr::from_ref(m) as usize) {
            return;
        }
        for (k, x) in m {
            if k.as_str() == Some("path")
                && let Some(p) = x.as_str()
            {
                out.insert(p.to_string());
            } else {
                paths_in(x, out, seen);
            }
        }
    } else if let Some(a) = v.as_array() {
        for x in a {
            paths_in(x, out, seen);
        }
    }
}

/// What each page reads, as the fingerprints found it, for quick rebuilds.
#[derive(Default)]
pub(super) struct Deps {
    /// Per page template: the `site` keys it reads (`None`: any) and whether it looks entries up
    /// in `site.by_path` only by reference (then `by_path` itself does not count as read).
    pub(super) keys: HashMap<&'static str, (Option<BTreeSet<String>>, bool)>,
    /// Per page (output path): the entries it can look up in `site.by_path`.
    pub(super) lookups: HashMap<String, Vec<usize>>,
}

/// Every page's input fingerprint, and what each page reads.
pub(super) fn fingerprints(p: &Prepared) -> (HashMap<String, blake3::Hash>, Deps) {
    let page_templates: BTreeSet<&'static str> = p.jobs.iter().map(|j| j.template).collect();
    let shared = shared_templates(p, &page_templates);
    let (shared_hash, shared_keys) = hash_shared_templates(&shared);
    // Entry values first: they are most of the work and most of what is shared.
    let (entry_hashes, mut hasher) = hash_entry_values(&p.view.values);
    let key_hashes = site_key_hashes(&mut hasher, &p.view.site_value);
    let base = TemplateBase {
        global: hash_global_inputs(p, &mut hasher, shared_hash),
        shared_keys,
        shared_lookups: shared
            .values()
            .map(|src| by_path_lookups(src))
            .fold(Lookups::Refs(BTreeSet::new()), merge_lookups),
        key_hashes,
        site_map: p.view.site_value.as_map(),
    };
    let mut per_template: HashMap<&str, TemplatePrint> = HashMap::new();
    let mut deps = Deps::default();
    for &t in &page_templates {
        let src = p.theme.templates.get(t).map_or("", |x| x.source.as_str());
        let (print, reads) = base.template_print(t, src);
        deps.keys.insert(t, reads);
        per_template.insert(t, print);
    }

    // Made once and kept alive: the hasher memoises by address, so no value it has seen may be
    // freed (and its address reused) while it runs.
    let paginators = paginators(p);
    let mut lookups = HashMap::new();
    let prints = p
        .jobs
        .iter()
        .map(|job| {
            let template = per_template.get(job.template);
            let mut h = blake3::Hasher::new();
            if let Some(print) = template {
                h.update(print.hash.as_bytes());
            }
            h.update(job.current_path.as_bytes());
            let input = page_input(p, &paginators, job, &mut h);
            if let Some(v) = input {
                h.update(hasher.hash(v).as_bytes());
            }
            // The entries this page can look up in `site.by_path`.
            if let Some(refs) = template.and_then(|print| print.refs.as_ref()) {
                let found = hash_lookups(&mut h, p, &entry_hashes, refs, input);
                lookups.insert(job.output.clone(), found);
            }
            (job.output.clone(), h.finalize())
        })
        .collect();
    deps.lookups = lookups;
    (prints, deps)
}

/// The templates every page can reach: anything that is not a page template, and any page
/// template that another template names (extends, include, import). By name, with their source.
fn shared_templates<'a>(
    p: &'a Prepared,
    page_templates: &BTreeSet<&str>,
) -> BTreeMap<&'a str, &'a str> {
    let mut shared = BTreeMap::new();
    for (name, t) in &p.theme.templates {
        let named_elsewhere = p.theme.templates.iter().any(|(other, o)| {
            other != name
                && (o.source.contains(&format!("\"{name}\""))
                    || o.source.contains(&format!("'{name}'")))
        });
        if !page_templates.contains(name.as_str()) || named_elsewhere {
            shared.insert(name.as_str(), t.source.as_str());
        }
    }
    shared
}

/// The hash of the shared templates' names and sources, and the `site` keys they read
/// together (`None`: any).
fn hash_shared_templates(
    shared: &BTreeMap<&str, &str>,
) -> (blake3::Hash, Option<BTreeSet<String>>) {
    let mut shared_hash = blake3::Hasher::new();
    let mut shared_keys: Option<BTreeSet<String>> = Some(BTreeSet::new());
    for (name, src) in shared {
        shared_hash.update(name.as_bytes());
        shared_hash.update(&(src.len() as u64).to_le_bytes());
        shared_hash.update(src.as_bytes());
        shared_keys = match (shared_keys, site_keys(src)) {
            (Some(mut a), Some(b)) => {
                a.extend(b);
                Some(a)
            }
            _ => None,
        };
    }
    (shared_hash.finalize(), shared_keys)
}

/// Each entry value's hash, in entry order, and a hasher that remembers them and every value
/// inside them. The values are hashed in parallel, each thread with its own memo, and the
/// memos are merged.
fn hash_entry_values(values: &[Value]) -> (Vec<blake3::Hash>, ValueHasher) {
    let chunks: Vec<(
        Vec<blake3::Hash>,
        rustc_hash::FxHashMap<usize, blake3::Hash>,
    )> = values
        .par_chunks(256)
        .map(|chunk| {
            let mut h = ValueHasher::new();
            let hashes = chunk.iter().map(|v| h.hash(v)).collect();
            (hashes, h.memo)
        })
        .collect();
    let mut hasher = ValueHasher::new();
    let mut entry_hashes: Vec<blake3::Hash> = Vec::with_capacity(values.len());
    for (hashes, memo) in chunks {
        entry_hashes.extend(hashes);
        hasher.memo.extend(memo);
    }
    (entry_hashes, hasher)
}

/// The hash of each top-level key's value in `site`.
fn site_key_hashes(hasher: &mut ValueHasher, site_value: &Value) -> BTreeMap<String, blake3::Hash> {
    let mut key_hashes = BTreeMap::new();
    if let Some(m) = site_value.as_map() {
        for (k, v) in m {
            if let Some(k) = k.as_str() {
                key_hashes.insert(k.to_string(), hasher.hash(v));
            }
        }
    }
    key_hashes
}

/// The hash of what every page reads: `config`, `today`, herald's version, the asset hashes
/// and the shared templates (`shared_hash`).
fn hash_global_inputs(
    p: &Prepared,
    hasher: &mut ValueHasher,
    shared_hash: blake3::Hash,
) -> blake3::Hash {
    let mut global = blake3::Hasher::new();
    global.update(hasher.hash(&p.view.config_value).as_bytes());
    global.update(p.site.today.to_string().as_bytes());
    global.update(env!("CARGO_PKG_VERSION").as_bytes());
    let mut assets: Vec<(&String, &String)> = p.asset_hashes.iter().collect();
    assets.sort();
    for (a, h) in assets {
        global.update(a.as_bytes());
        global.update(h.as_bytes());
    }
    global.update(shared_hash.as_bytes());
    global.finalize()
}

/// What every page template's part of the fingerprints starts from.
struct TemplateBase<'a> {
    /// [`hash_global_inputs`].
    global: blake3::Hash,
    /// The `site` keys the shared templates read (`None`: any).
    shared_keys: Option<BTreeSet<String>>,
    /// How the shared templates look entries up in `site.by_path`.
    shared_lookups: Lookups,
    /// [`site_key_hashes`].
    key_hashes: BTreeMap<String, blake3::Hash>,
    /// The `site` value's keys and values.
    site_map: Option<&'a tera::Map>,
}

/// A page template's part of its pages' fingerprints.
struct TemplatePrint {
    /// The global inputs, the template's name and source, and the `site` values it reads.
    hash: blake3::Hash,
    /// When the template reads `site.by_path` only by reference: the paths it can look up
    /// besides those in a page's own value (its literal ones, and those that the `site` values
    /// it reads refer to). Each page hashes the entries at these paths.
    refs: Option<BTreeSet<String>>,
}

impl TemplateBase<'_> {
    /// The page template `name`'s part of its pages' fingerprints, and what it reads of `site`
    /// for [`Deps::keys`].
    fn template_print(
        &self,
        name: &str,
        src: &str,
    ) -> (TemplatePrint, (Option<BTreeSet<String>>, bool)) {
        let keys = match (&self.shared_keys, site_keys(src)) {
            (Some(a), Some(b)) => Some(a.iter().cloned().chain(b).collect::<BTreeSet<_>>()),
            _ => None,
        };
        let lookups = merge_lookups(self.shared_lookups.clone(), by_path_lookups(src));
        let by_ref = matches!(lookups, Lookups::Refs(_));
        let mut h = blake3::Hasher::new();
        h.update(self.global.as_bytes());
        h.update(name.as_bytes());
        h.update(src.as_bytes());
        let mut refs = None;
        match &keys {
            Some(keys) => {
                for k in keys {
                    if k == "by_path" && by_ref {
                        continue;
                    }
                    h.update(k.as_bytes());
                    if let Some(kh) = self.key_hashes.get(k) {
                        h.update(kh.as_bytes());
                    }
                }
                if keys.contains("by_path")
                    && let Lookups::Refs(literals) = &lookups
                {
                    refs = Some(self.referenced_paths(keys, literals));
                }
            }
            None => {
                for (k, kh) in &self.key_hashes {
                    h.update(k.as_bytes());
                    h.update(kh.as_bytes());
                }
            }
        }
        let print = TemplatePrint {
            hash: h.finalize(),
            refs,
        };
        (print, (keys, by_ref))
    }

    /// The paths a template that reads the `site` keys `keys` can look up in `site.by_path` by
    /// reference: its `literals`, and every `path` in the values of those keys.
    fn referenced_paths(
        &self,
        keys: &BTreeSet<String>,
        literals: &BTreeSet<String>,
    ) -> BTreeSet<String> {
        let mut paths = literals.clone();
        let mut seen = BTreeSet::new();
        for (k, v) in self.site_map.into_iter().flatten() {
            if k.as_str()
                .is_some_and(|k| k != "by_path" && keys.contains(k))
            {
                paths_in(v, &mut paths, &mut seen);
            }
        }
        paths
    }
}

/// Each improvements list page's paginator value, by page number.
fn paginators(p: &Prepared) -> HashMap<usize, Value> {
    p.jobs
        .iter()
        .filter_map(|j| match j.input {
            Input::ImprovementsPage { number } => Some((
                number,
                crate::view::site::paginator(&p.site, &p.view.values, number),
            )),
            _ => None,
        })
        .collect()
}

/// A page's own value (`page`, `team`, …), or `None` for a page that has none. A lobby
/// screen's data is not a value: it goes into the page's hash `h` here.
fn page_input<'a>(
    p: &'a Prepared,
    paginators: &'a HashMap<usize, Value>,
    job: &Job,
    h: &mut blake3::Hasher,
) -> Option<&'a Value> {
    match &job.input {
        Input::Site => None,
        Input::Entry(i) => Some(&p.view.values[*i]),
        Input::ImprovementsPage { number } => paginators.get(number),
        Input::Team(i) | Input::RoadmapTeam(i) => Some(&p.view.team_values[*i]),
        Input::Tag(i) => Some(&p.view.tag_values[*i]),
        Input::Digest(i) => Some(&p.view.digests[*i]),
        Input::Letter(i) => Some(&p.view.letters[*i]),
        Input::Lobby(i) => {
            let s = &p.lobby.screens[*i];
            h.update(s.name.as_bytes());
            h.update(s.json.as_bytes());
            h.update(s.version.as_bytes());
            None
        }
    }
}

/// Adds to a page's hash `h` the entries it can look up in `site.by_path`: those at its
/// template's `refs` and at the paths in its own value (`input`), each path with its entry's
/// hash. Returns the entries found.
fn hash_lookups(
    h: &mut blake3::Hasher,
    p: &Prepared,
    entry_hashes: &[blake3::Hash],
    refs: &BTreeSet<String>,
    input: Option<&Value>,
) -> Vec<usize> {
    let mut paths = refs.clone();
    if let Some(v) = input {
        paths_in(v, &mut paths, &mut BTreeSet::new());
    }
    let mut found = Vec::new();
    for path in &paths {
        h.update(path.as_bytes());
        if let Some(i) = p.site.index.get(path) {
            h.update(entry_hashes[*i].as_bytes());
            found.push(*i);
        }
    }
    found
}
