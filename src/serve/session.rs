//! Incremental rebuilds for `herald serve`: a session remembers what it wrote and why, and after
//! an edit re-renders only the pages whose inputs changed.
//!
//! A page's inputs are its template and every template it can reach (the theme's shared
//! templates), the parts of the shared `site` value those templates mention, the page's own
//! value (`page`, `team`, …), the entries it can look up in `site.by_path`, `config`, `today`,
//! herald's version and the asset hashes. Each is hashed; a page is rendered again only when the
//! hash of its inputs changes ([`super::fingerprint`]).
//!
//! [`Session::rebuild_changed`] is told which files changed (`serve`'s watcher knows). When each
//! is a content entry whose edit leaves its place in the site alone (its body, title or
//! summary), the session keeps the last build's model instead of reading the site: it reads the
//! edited files, rebuilds their values and those of the entries that cite them, puts the new
//! values in every list that held the old ones (found by identity), and renders the pages whose
//! templates name a field that changed ([`crate::render::dependencies`]). Anything else, or any
//! problem in the edited file, takes the full path below, which finds the problems as a build
//! does.
//!
//! The first rebuild of a session is a full build with the atomic swap. Later rebuilds write
//! changed files in place, each through a temporary file and a rename, so a reader never sees
//! half a file, and remove the files the new build no longer has. The result is byte for byte
//! what a clean full build writes (tested).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

use rayon::prelude::*;

use super::fingerprint::{Deps, fingerprints};
use crate::diagnostics::{Diagnostic, Diagnostics, display_path};
use crate::load::theme;
use crate::pipeline::prepare::Prepared;
use crate::render::{Input, Job};
use crate::view::patch::{Hit, Patched};
use crate::{BuildOptions, BuildReport, model, output, render};

/// What one rebuild did.
#[derive(Debug)]
pub struct Rebuild {
    /// The build's report (pages and files of the whole site).
    pub report: BuildReport,
    /// Pages rendered this time.
    pub rendered: usize,
    /// Files written or replaced this time (pages included).
    pub written: usize,
    /// Files removed because the site no longer has them.
    pub removed: usize,
    /// Whether this was a full build.
    pub full: bool,
    /// Whether only the edited files were read again ([`Session::rebuild_changed`]).
    pub quick: bool,
}

/// A long-lived build of one site.
pub struct Session {
    opts: BuildOptions,
    markdown: model::MarkdownCache,
    search: crate::search::Cache,
    /// Every file in the output that the session wrote, with the hash of its bytes.
    written: HashMap<String, blake3::Hash>,
    /// Each page's input fingerprint when it was last rendered.
    fingerprints: HashMap<String, blake3::Hash>,
    /// Each copied file's source and its size and time when copied.
    stamps: HashMap<String, (PathBuf, u64, Option<SystemTime>)>,
    /// The last good build's model and what its pages read, for quick rebuilds.
    kept: Option<Kept>,
    /// One session for each further language, writing under its folder.
    languages: Vec<(String, Session)>,
}

/// A build kept after it was written: what [`Session::rebuild_changed`] patches.
struct Kept {
    p: Prepared,
    /// Entry index by the entry file's canonical path.
    files: HashMap<PathBuf, usize>,
    /// Files the build had warnings about.
    warned: HashSet<PathBuf>,
    /// Per page template: the names it can read.
    names: crate::render::dependencies::Names,
    /// What each page reads of `site`.
    deps: Deps,
    /// Which entries the feeds hold.
    in_feeds: Vec<bool>,
}

/// A file's size and modification time: when both are as before, it is taken as unchanged.
type Stamp = (u64, Option<SystemTime>);

/// A copied file: where it went, its hash, and its source with the source's stamp.
type Copied = (String, blake3::Hash, Option<(PathBuf, Stamp)>);

/// The file's [`Stamp`], or `None` when it cannot be read.
fn stamp(path: &Path) -> Option<Stamp> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.len(), m.modified().ok()))
}

impl Session {
    /// A session for the site and output in `opts`; nothing is built until [`Session::rebuild`].
    pub fn new(opts: BuildOptions) -> Self {
        Session {
            opts,
            markdown: model::MarkdownCache::default(),
            search: crate::search::Cache::default(),
            written: HashMap::new(),
            fingerprints: HashMap::new(),
            stamps: HashMap::new(),
            kept: None,
            languages: Vec::new(),
        }
    }

    /// The options the session builds with.
    pub fn options(&self) -> &BuildOptions {
        &self.opts
    }

    /// Builds the site: everything the first time, afterwards only what changed. On errors
    /// nothing is written and the output keeps the last good build.
    pub fn rebuild(&mut self) -> Result<Rebuild, Diagnostics> {
        let r = self.rebuild_main()?;
        self.rebuild_languages(r)
    }

    /// After the main language, each further language of site.toml, by a session of its own
    /// whose pages go under its folder; the counts are added up.
    fn rebuild_languages(&mut self, mut r: Rebuild) -> Result<Rebuild, Diagnostics> {
        if self.opts.language.is_some() {
            return Ok(r);
        }
        let codes: Vec<String> = match &self.kept {
            Some(k) => k.p.site.config.languages.keys().cloned().collect(),
            None => return Ok(r),
        };
        self.languages.retain(|(c, _)| codes.contains(c));
        for code in codes {
            if !self.languages.iter().any(|(c, _)| *c == code) {
                let opts = BuildOptions {
                    language: Some(code.clone()),
                    ..self.opts.clone()
                };
                self.languages.push((code.clone(), Session::new(opts)));
            }
            let Some((_, s)) = self.languages.iter_mut().find(|(c, _)| *c == code) else {
                continue;
            };
            let o = s.rebuild_main()?;
            r.rendered += o.rendered;
            r.written += o.written;
            r.removed += o.removed;
            r.report.pages += o.report.pages;
            r.report.files += o.report.files;
        }
        Ok(r)
    }

    fn rebuild_main(&mut self) -> Result<Rebuild, Diagnostics> {
        self.kept = None;
        let started = Instant::now();
        let mut cache = std::mem::take(&mut self.markdown);
        let prepared = crate::pipeline::prepare::prepare(&self.opts, Some(&mut cache));
        self.markdown = cache;
        let mut p = prepared?;
        let full = self.written.is_empty();
        let mut t = crate::util::timings::Timer::new();
        let (fingerprints, deps) = fingerprints(&p);
        t.mark("fingerprints");
        let todo = self.stale_pages(&p.jobs, &fingerprints, full);
        let rendered_pages = todo.len();
        let mut diags = std::mem::take(&mut p.diags);
        let pages = match render_pages(&p, &p.lobby, &todo) {
            Ok(pages) => pages,
            Err(errors) => {
                diags.extend(errors);
                return Err(diags);
            }
        };
        t.mark("render changed pages");
        let mut files: Vec<(String, Vec<u8>)> =
            crate::pipeline::files::extra_files(&p, &mut self.search);
        t.mark("feeds, search index, sitemap, lobby data");
        files.extend(pages);
        let image_stamps = self.resize_lobby_images(&p, full, &mut files, &mut diags);
        if diags.has_errors() {
            return Err(diags);
        }

        let (present, copies) = outputs(&p, &files);
        let out = &p.output;
        let result = if full {
            self.write_fresh(out, &files, &copies)
        } else {
            self.write_changes(out, &files, &copies, &present)
        };
        let (written, removed) = match result {
            Ok(x) => x,
            Err(e) => {
                diags.push(Diagnostic::io(
                    display_path(&self.opts.root, out),
                    format!("cannot write the output: {e}"),
                ));
                return Err(diags);
            }
        };
        for (rel, src) in image_stamps {
            if let Some((len, t)) = stamp(&src) {
                self.stamps.insert(rel, (src, len, t));
            }
        }
        t.mark("write changes");
        self.fingerprints = fingerprints;
        let pages_total = p.jobs.len() + 1;
        let files_total = present.len().saturating_sub(pages_total);
        let report = p.report_kept(pages_total, files_total, started, diags.clone());
        p.diags = diags;
        self.kept = Some(self.keep(p, deps));
        t.mark("keep the model");
        Ok(Rebuild {
            rendered: rendered_pages,
            report,
            written,
            removed,
            full,
            quick: false,
        })
    }

    /// The pages a rebuild renders: every page the first time, afterwards those whose
    /// fingerprint changed or whose file the session has not written.
    fn stale_pages<'a>(
        &self,
        jobs: &'a [Job],
        fingerprints: &HashMap<String, blake3::Hash>,
        full: bool,
    ) -> Vec<&'a Job> {
        jobs.iter()
            .filter(|j| {
                full || self.fingerprints.get(&j.output) != fingerprints.get(&j.output)
                    || !self.written.contains_key(&j.output)
            })
            .collect()
    }

    /// Resizes the lobby images whose source changed since they were written (all of them the
    /// first time) and adds them to `files`, or their problems to `diags`. Returns each resized
    /// image's output path and source, to stamp once it is written.
    fn resize_lobby_images(
        &self,
        p: &Prepared,
        full: bool,
        files: &mut Vec<(String, Vec<u8>)>,
        diags: &mut Diagnostics,
    ) -> Vec<(String, PathBuf)> {
        let root = &self.opts.root;
        let images: Vec<_> = p
            .lobby
            .images
            .par_iter()
            .filter(|img| {
                full || !self.written.contains_key(&img.output)
                    || self.stamps.get(&img.output).is_none_or(|(src, len, t)| {
                        src != &img.source || stamp(&img.source) != Some((*len, *t))
                    })
            })
            .map(|img| (img, crate::pipeline::files::lobby_image(root, img)))
            .collect();
        let mut image_stamps = Vec::new();
        for (img, r) in images {
            match r {
                Ok(b) => {
                    image_stamps.push((img.output.clone(), img.source.clone()));
                    files.push((img.output.clone(), b));
                }
                Err(d) => diags.push(d),
            }
        }
        image_stamps
    }

    /// What a quick rebuild needs besides the build itself.
    fn keep(&self, p: Prepared, deps: Deps) -> Kept {
        let root = &self.opts.root;
        let canon_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.clone());
        let files = p
            .site
            .entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| {
                let rel = e.file.strip_prefix(root).ok()?;
                Some((canon_root.join(rel), i))
            })
            .collect();
        let warned = p.diags.sorted().iter().map(|d| d.file.clone()).collect();
        let names = crate::render::dependencies::names(&p.theme, p.jobs.iter().map(|j| j.template));
        let in_feeds = crate::output::feeds::members(&p.site);
        Kept {
            in_feeds,
            p,
            files,
            warned,
            names,
            deps,
        }
    }

    /// Rebuilds after the files in `changed` were edited, created or removed, as a file watcher
    /// reports them. When each is a content file of the last build whose edit left its place in
    /// the site alone (only its Markdown body, title or summary changed), only those files are
    /// read again and only the pages that can show what changed are rendered: a few milliseconds
    /// where [`Session::rebuild`] reads the whole site. Anything else is a [`Session::rebuild`].
    /// The output is the same either way.
    pub fn rebuild_changed(&mut self, changed: &[PathBuf]) -> Result<Rebuild, Diagnostics> {
        let started = Instant::now();
        let r = match self.quick(changed, started) {
            Some(r) => r?,
            None => self.rebuild_main()?,
        };
        self.rebuild_languages(r)
    }

    /// The quick rebuild of [`Session::rebuild_changed`], or `None` when the edit needs a full
    /// look at the site.
    fn quick(
        &mut self,
        changed: &[PathBuf],
        started: Instant,
    ) -> Option<Result<Rebuild, Diagnostics>> {
        if changed.is_empty() || self.written.is_empty() {
            return None;
        }
        let mut t = crate::util::timings::Timer::new();
        let kept = self.kept.as_ref()?;
        let site = &kept.p.site;
        // A new day changes what is overdue everywhere.
        if model::today(self.opts.today, &site.config.tz()).ok()? != site.today {
            return None;
        }
        let reread = kept.reread(&self.opts, changed)?;
        t.mark("quick: read the edited files");

        // From here on the kept model changes; a failure drops it, and the next rebuild is full.
        let mut kept = self.kept.take()?;
        let patched = kept.patch(&self.opts.root, reread)?;
        let p = &kept.p;
        let site = &p.site;
        t.mark("quick: patch the model");
        let new_lobby = patched
            .fields
            .keys()
            .any(|&i| crate::view::lobby::may_show(site, i))
            .then(|| crate::view::lobby::build_reusing(site, &p.app, Some(&p.lobby)));
        if new_lobby
            .as_ref()
            .is_some_and(|l| l.screens.len() != p.lobby.screens.len())
        {
            return None;
        }
        let lobby = new_lobby.as_ref().unwrap_or(&p.lobby);
        t.mark("quick: lobby");

        let dirty = kept.pages_showing(&patched, lobby);
        t.mark("quick: find the pages that show the edit");

        let mut files = match render_pages(p, lobby, &dirty) {
            Ok(files) => files,
            Err(errors) => {
                let mut diags = p.diags.clone();
                diags.extend(errors);
                return Some(Err(diags));
            }
        };
        let rendered_pages = files.len();
        t.mark("quick: render");

        if patched
            .fields
            .keys()
            .any(|i| kept.in_feeds.get(*i).copied().unwrap_or(true))
        {
            files.extend(crate::output::feeds::files(site));
        }
        t.mark("quick: feeds");
        let gone = self.add_search_files(site, &mut files);
        for (old, new) in p.lobby.screens.iter().zip(&lobby.screens) {
            if old.json != new.json {
                files.extend(crate::pipeline::files::lobby_files(new, &p.app));
            }
        }
        t.mark("quick: search index, lobby data");

        let written = match self.write_quick(p, files, &gone, &dirty) {
            Ok(written) => written,
            Err(diags) => return Some(Err(diags)),
        };
        t.mark("quick: write");
        let pages_total = p.jobs.len() + 1;
        let files_total = self.written.len().saturating_sub(pages_total);
        let report = p.report_kept(pages_total, files_total, started, p.diags.clone());
        if let Some(l) = new_lobby {
            kept.p.lobby = l;
        }
        self.kept = Some(kept);
        Some(Ok(Rebuild {
            report,
            rendered: rendered_pages,
            written,
            removed: gone.len(),
            full: false,
            quick: true,
        }))
    }

    /// Makes the search index whole again and adds its files to `files`. Its shards split where
    /// the words fall: returns the shards written earlier that no longer exist, to remove.
    fn add_search_files(
        &mut self,
        site: &model::Site,
        files: &mut Vec<(String, Vec<u8>)>,
    ) -> Vec<String> {
        let search = crate::search::files(site, &mut self.search);
        let index_files: HashSet<&str> = search.iter().map(|(rel, _)| rel.as_str()).collect();
        let gone: Vec<String> = self
            .written
            .keys()
            .filter(|rel| {
                (rel.starts_with(site.routes.search_docs_dir())
                    || rel.starts_with(site.routes.search_terms_dir()))
                    && !index_files.contains(rel.as_str())
            })
            .cloned()
            .collect();
        drop(index_files);
        files.extend(search);
        gone
    }

    /// Writes the files of a quick rebuild whose bytes differ from what the session wrote,
    /// removes the `gone` search files, and forgets the fingerprints of the `dirty` pages: taken
    /// before this edit, they must not let the next full rebuild skip those pages. Returns how
    /// many files were written, or the last build's warnings with the error.
    fn write_quick(
        &mut self,
        p: &Prepared,
        files: Vec<(String, Vec<u8>)>,
        gone: &[String],
        dirty: &[&Job],
    ) -> Result<usize, Diagnostics> {
        let out = &p.output;
        let hashed: Vec<(String, Vec<u8>, blake3::Hash)> = files
            .into_par_iter()
            .map(|(rel, bytes)| {
                let h = blake3::hash(&bytes);
                (rel, bytes, h)
            })
            .filter(|(rel, _, h)| self.written.get(rel) != Some(h))
            .collect();
        if let Err(e) = hashed
            .par_iter()
            .try_for_each(|(rel, bytes, _)| write_atomic(out, rel, bytes))
        {
            let mut diags = p.diags.clone();
            diags.push(Diagnostic::io(
                display_path(&self.opts.root, out),
                format!("cannot write the output: {e}"),
            ));
            return Err(diags);
        }
        let written = hashed.len();
        for (rel, _, h) in hashed {
            self.written.insert(rel, h);
        }
        for rel in gone {
            let path = out.join(rel);
            match std::fs::remove_file(&path) {
                Ok(()) => remove_empty_parents(out, &path),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    let mut diags = p.diags.clone();
                    diags.push(Diagnostic::io(
                        display_path(&self.opts.root, &path),
                        format!("cannot remove an old search file: {e}"),
                    ));
                    return Err(diags);
                }
            }
            self.written.remove(rel);
        }
        for job in dirty {
            self.fingerprints.remove(&job.output);
        }
        Ok(written)
    }

    /// The first build: everything into a staging folder, then the swap.
    fn write_fresh(
        &mut self,
        out: &Path,
        files: &[(String, Vec<u8>)],
        copies: &[(String, CopySource<'_>)],
    ) -> std::io::Result<(usize, usize)> {
        let staging = output::Staging::new(out)?;
        files
            .par_iter()
            .try_for_each(|(rel, bytes)| staging.write(rel, bytes))?;
        let copied: Vec<Copied> = copies
            .par_iter()
            .map(|(rel, src)| {
                let bytes = src.read()?;
                staging.write(rel, &bytes)?;
                Ok((rel.clone(), blake3::hash(&bytes), src.stamp()))
            })
            .collect::<std::io::Result<_>>()?;
        staging.commit()?;
        self.written.clear();
        self.stamps.clear();
        for (rel, bytes) in files {
            self.written.insert(rel.clone(), blake3::hash(bytes));
        }
        for (rel, h, st) in copied {
            self.written.insert(rel.clone(), h);
            if let Some((src, (len, t))) = st {
                self.stamps.insert(rel, (src, len, t));
            }
        }
        Ok((self.written.len(), 0))
    }

    /// Later builds: changed files replaced in place, vanished ones removed.
    fn write_changes(
        &mut self,
        out: &Path,
        files: &[(String, Vec<u8>)],
        copies: &[(String, CopySource<'_>)],
        present: &BTreeSet<String>,
    ) -> std::io::Result<(usize, usize)> {
        let hashed: Vec<(&String, &Vec<u8>, blake3::Hash)> = files
            .par_iter()
            .map(|(rel, bytes)| (rel, bytes, blake3::hash(bytes)))
            .filter(|(rel, _, h)| self.written.get(*rel) != Some(h))
            .collect();
        hashed
            .par_iter()
            .try_for_each(|(rel, bytes, _)| write_atomic(out, rel, bytes))?;
        let mut written = hashed.len();
        for (rel, _, h) in hashed {
            self.written.insert(rel.clone(), h);
        }
        for (rel, src) in copies {
            let st = src.stamp();
            let unchanged = self.written.contains_key(rel)
                && match (&st, self.stamps.get(rel)) {
                    (Some((p, (len, t))), Some((p0, len0, t0))) => {
                        p == p0 && len == len0 && t == t0
                    }
                    _ => false,
                };
            if unchanged {
                continue;
            }
            let bytes = src.read()?;
            let h = blake3::hash(&bytes);
            if self.written.get(rel) != Some(&h) {
                write_atomic(out, rel, &bytes)?;
                written += 1;
            }
            self.written.insert(rel.clone(), h);
            if let Some((p, (len, t))) = st {
                self.stamps.insert(rel.clone(), (p, len, t));
            }
        }
        let gone: Vec<String> = self
            .written
            .keys()
            .filter(|rel| !present.contains(*rel))
            .cloned()
            .collect();
        for rel in &gone {
            let path = out.join(rel);
            match std::fs::remove_file(&path) {
                Ok(()) => remove_empty_parents(out, &path),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
            self.written.remove(rel);
            self.stamps.remove(rel);
            self.fingerprints.remove(rel);
        }
        Ok((written, gone.len()))
    }
}

impl Kept {
    /// Reads the `changed` files again and renders their bodies, or `None` when one of them is
    /// not a quick edit: not an entry of this build, or one the build warned about, or one that
    /// now has problems, became a draft that is left out, moved in the site ([`same_place`]) or
    /// links other files than before.
    fn reread(&self, opts: &BuildOptions, changed: &[PathBuf]) -> Option<Vec<model::Reread>> {
        let site = &self.p.site;
        let mut reread = Vec::new();
        let mut seen = HashSet::new();
        for path in changed {
            let canon = std::fs::canonicalize(path).ok()?;
            let i = *self.files.get(&canon)?;
            if !seen.insert(i) {
                continue;
            }
            let old = &site.entries[i];
            if self.warned.contains(&old.display) {
                return None;
            }
            let (new, problems) = crate::load::content::reload(&opts.root, old, &site.config);
            let new = new?;
            if !problems.is_empty() || new.draft && !opts.drafts || !same_place(old, &new) {
                return None;
            }
            let (rendered, summary) = site.render_entry(&new);
            if !rendered.problems.is_empty()
                || linked_files(&rendered) != linked_files(&site.rendered[i])
            {
                return None;
            }
            reread.push(model::Reread {
                index: i,
                entry: new,
                rendered,
                summary,
            });
        }
        Some(reread)
    }

    /// Puts the re-read entries into the model, their new values into the view, and the new
    /// `site` value into the templates. What changed and where, or `None` when the templates
    /// cannot take the new `site`.
    fn patch(&mut self, root: &Path, reread: Vec<model::Reread>) -> Option<Patched> {
        let changed = self.p.site.replace(reread);
        let patched = self.p.view.patch(&self.p.site, root, changed);
        let site_value = self.p.view.site_value.clone();
        if !self.p.tera.set_global("site", site_value) {
            return None;
        }
        Some(patched)
    }

    /// Whether `template` can show one of the changes found in a value it has: it names each
    /// key on the way to the entry, and one of the entry's changed fields (a template whose
    /// names are not known can show anything).
    fn shows(&self, patched: &Patched, template: &str, hits: &[Hit]) -> bool {
        let names = self.names.get(template).and_then(Option::as_ref);
        hits.iter().any(|(j, path)| {
            patched.fields.get(j).is_some_and(|fields| {
                names.is_none_or(|n| {
                    path.iter().all(|k| n.contains(k)) && fields.iter().any(|f| n.contains(f))
                })
            })
        })
    }

    /// Per page template: whether a `site` value it reads holds an edit it can show.
    fn shown_via_site(&self, patched: &Patched) -> HashMap<&str, bool> {
        self.names
            .keys()
            .map(|t| {
                let (keys, by_ref) = self
                    .deps
                    .keys
                    .get(t.as_str())
                    .map_or((None, false), |(k, b)| (k.as_ref(), *b));
                let shown = patched.site_keys.iter().any(|(k, hits)| {
                    let read =
                        keys.is_none_or(|keys| keys.contains(k) && !(k == "by_path" && by_ref));
                    read && self.shows(patched, t, hits)
                });
                (t.as_str(), shown)
            })
            .collect()
    }

    /// The pages to render again after the edit: those whose own value, a `site` value they
    /// read, or an entry they look up in `site.by_path` holds a change their template can show,
    /// and the lobby screens whose data changed (`lobby` is the lobby after the edit).
    fn pages_showing(&self, patched: &Patched, lobby: &crate::view::lobby::Lobby) -> Vec<&Job> {
        let p = &self.p;
        let on_page = improvements_on_pages(&p.site, patched);
        let via_site = self.shown_via_site(patched);
        p.jobs
            .iter()
            .filter(|job| {
                let t = job.template;
                let shows =
                    |hits: Option<&Vec<Hit>>| hits.is_some_and(|hits| self.shows(patched, t, hits));
                let own = |j: usize| self.shows(patched, t, &[(j, Vec::new())]);
                let input = match &job.input {
                    Input::Site => false,
                    Input::Entry(i) => own(*i),
                    Input::ImprovementsPage { number } => shows(on_page.get(number)),
                    Input::Team(i) | Input::RoadmapTeam(i) => shows(patched.teams.get(i)),
                    Input::Tag(i) => shows(patched.tags.get(i)),
                    Input::Digest(i) => shows(patched.digests.get(i)),
                    Input::Letter(i) => shows(patched.letters.get(i)),
                    Input::Lobby(i) => p.lobby.screens[*i].json != lobby.screens[*i].json,
                };
                if input {
                    return true;
                }
                via_site.get(t).copied().unwrap_or(true)
                    || self
                        .deps
                        .lookups
                        .get(&job.output)
                        .is_some_and(|found| found.iter().any(|j| own(*j)))
            })
            .collect()
    }
}

/// By page number of the improvements list: the changed entries the page lists, under `items`.
fn improvements_on_pages(site: &model::Site, patched: &Patched) -> HashMap<usize, Vec<Hit>> {
    let per = (*site.config.paginate.get_ref()).max(1);
    let mut on_page: HashMap<usize, Vec<Hit>> = HashMap::new();
    for (pos, i) in site.improvements.iter().enumerate() {
        if patched.fields.contains_key(i) {
            on_page
                .entry(pos / per + 1)
                .or_default()
                .push((*i, vec!["items".to_string()]));
        }
    }
    on_page
}

/// The files an entry's rendered body links (local files, then those in raw HTML): an edit
/// that changes them changes what the build copies.
fn linked_files(r: &crate::model::markdown::Rendered) -> Vec<String> {
    let html = r.html_files.iter();
    r.local_files
        .iter()
        .chain(html)
        .map(|(f, _)| f.clone())
        .collect()
}

/// Where a copied file's bytes come from: the theme's static files or the site's.
enum CopySource<'a> {
    Static(&'a theme::StaticSource),
    File(&'a PathBuf),
}

impl CopySource<'_> {
    /// The file's bytes.
    fn read(&self) -> std::io::Result<Vec<u8>> {
        match self {
            CopySource::Static(s) => s.read().map(std::borrow::Cow::into_owned),
            CopySource::File(p) => std::fs::read(p),
        }
    }

    /// The source file and its [`Stamp`]; `None` for a static file built into herald.
    fn stamp(&self) -> Option<(PathBuf, Stamp)> {
        let path: &Path = match self {
            CopySource::Static(theme::StaticSource::File(p)) => p,
            CopySource::File(p) => p,
            CopySource::Static(_) => return None,
        };
        stamp(path).map(|s| (path.to_path_buf(), s))
    }
}

/// Whether an edited entry keeps its place in the site: the same front matter apart from the
/// keys that only its own value shows (`summary`; `title` too, except for a milestone, whose
/// title other pages quote in task lists, and a page, which is listed by title).
fn same_place(old: &crate::load::content::Entry, new: &crate::load::content::Entry) -> bool {
    let front = |e: &crate::load::content::Entry| {
        crate::load::frontmatter::split(&e.source, &e.display, &e.source)
            .ok()
            .map(|s| s.front.to_string())
    };
    let (Some(a), Some(b)) = (front(old), front(new)) else {
        return false;
    };
    if a == b {
        return true;
    }
    let (Ok(mut x), Ok(mut y)) = (
        toml::from_str::<toml::Table>(&a),
        toml::from_str::<toml::Table>(&b),
    ) else {
        return false;
    };
    let free: &[&str] = match old.kind {
        crate::load::content::Kind::Milestone | crate::load::content::Kind::Page => &["summary"],
        _ => &["summary", "title"],
    };
    for k in free {
        x.remove(*k);
        y.remove(*k);
    }
    x == y
}

/// Renders `jobs` in parallel with `lobby` as the lobby data: each page's output path and bytes,
/// or every template error found.
fn render_pages(
    p: &Prepared,
    lobby: &crate::view::lobby::Lobby,
    jobs: &[&Job],
) -> Result<Vec<(String, Vec<u8>)>, Diagnostics> {
    let rendered: Vec<Result<(String, Vec<u8>), Diagnostic>> = jobs
        .par_iter()
        .map(|job| {
            render::render_job(&p.tera, &p.theme, &p.site, &p.view, lobby, job)
                .map(|bytes| (job.output.clone(), bytes))
        })
        .collect();
    let mut pages = Vec::with_capacity(rendered.len());
    let mut errors = Vec::new();
    for r in rendered {
        match r {
            Ok(x) => pages.push(x),
            Err(d) => errors.push(d),
        }
    }
    if errors.is_empty() {
        Ok(pages)
    } else {
        Err(render::dedupe(errors))
    }
}

/// Every output path of this build (pages, `files`, lobby images, copies), to find what to
/// remove, and the files it copies.
fn outputs<'a>(
    p: &'a Prepared,
    files: &[(String, Vec<u8>)],
) -> (BTreeSet<String>, Vec<(String, CopySource<'a>)>) {
    let mut present: BTreeSet<String> = p.jobs.iter().map(|j| j.output.clone()).collect();
    present.extend(files.iter().map(|(rel, _)| rel.clone()));
    present.extend(p.lobby.images.iter().map(|i| i.output.clone()));
    let mut copies: Vec<(String, CopySource<'_>)> = Vec::new();
    for (rel, src) in &p.theme.statics {
        present.insert(rel.clone());
        copies.push((rel.clone(), CopySource::Static(src)));
    }
    for (src, rel) in &p.site.copies {
        present.insert(rel.clone());
        copies.push((rel.clone(), CopySource::File(src)));
    }
    (present, copies)
}

/// Writes `out/rel` through a temporary file and a rename.
fn write_atomic(out: &Path, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
    let path = output::join_inside(out, rel)?;
    crate::util::fs::write_atomic(&path, bytes, false, true)
}

/// After `file` was removed: removes the folders above it that are now empty, up to `out`.
fn remove_empty_parents(out: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == out || !d.starts_with(out) || std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}
