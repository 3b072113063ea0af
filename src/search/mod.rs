//! The site's full-text search index: built from the model as part of every build, written as
//! small sharded files that the theme's search script (`static/js/search.js`) loads on demand,
//! so that search works on any static host with no server code.
//!
//! # What is indexed
//!
//! Improvements, milestones, recognitions and plain pages (not announcements), in the order of
//! the site's lists: improvements newest first, then milestones, recognitions and pages. A
//! document's position in that order is its number (`doc`). Each document has two fields: its
//! title, and its body (the rendered Markdown as text, an explicit `summary`, tags, teams,
//! owner, customers, quote, metric name, people, award, phase and tasks).
//!
//! Words are found by the Unicode word rules (UAX #29, as `unicode-segmentation`'s
//! `unicode_words`; ASCII text takes a fast path with the same result), lower-cased, with the
//! typographic apostrophes `’` and `‘` made `'`, and stemmed with the Snowball stemmer of the
//! site's `language` (`rust-stemmers`; a language without one is not stemmed). A stem is a
//! *term*; a word whose stem differs from it is a *form* of that term.
//!
//! # Files, under `search/` in the output
//!
//! * `index.json`, the manifest:
//!   `{"format":1,"version":V,"language":L,"stemmer":S,"docs":N,"chunk":C,"lengths":LEN,
//!   "length_classes":[…],"shards":[[FIRST,NAME],…]}`.
//!   `version` is a hash of every other index file: the script adds `?v=V` to their URLs, so a
//!   new build is never mixed with cached files of an old one. `stemmer` is the Snowball
//!   algorithm's name (`"english"`) or `null`. `lengths` has one character per document, of
//!   the base-64 alphabet `A–Z a–z 0–9 + /`: the class of its length in words (title and
//!   body), whose lower bound is `length_classes[class]` (classes grow by 15 %), for BM25's
//!   length normalisation. `shards` lists the shards in index order, each with its first word
//!   and its file name.
//! * `t/NAME.json`, a shard: `{"t":{TERM:POSTINGS,…},"f":{FORM:TERM,…}}`. `POSTINGS` is a
//!   string of base-64 VLQ numbers (5 bits a character, least significant first, 32 set on
//!   every character but the last), in pairs per document holding the term, in document
//!   order: the gap to the previous document minus one (the first is the document number
//!   itself), then `tf × 2 + t`, where `tf` counts the term in the title and body and `t` is 1
//!   when the title has it.
//! * `d/N.json`, a slice of the document table: documents `N × C` to `N × C + C − 1`, each
//!   `[PATH, TITLE, KIND, DATE, [TEAM…], EXCERPT]`. `PATH` is relative to the site's base
//!   (`improvements/faster-refunds/`), `DATE` is `YYYY-MM-DD` or empty, `EXCERPT` is the start
//!   of the summary as plain text.
//!
//! # Shards
//!
//! All terms and forms, in index order (by UTF-16 code units, as the script compares strings;
//! a term before a form of the same text), are cut into runs of about 8–32 KB of JSON. Where a
//! run ends depends on the words around the cut only (a hash of the word decides), so an
//! edit rewrites the shards of the words it changed and seldom a neighbour. The shard holding
//! a word is the last one whose first word is not after it; the words starting with a prefix
//! are in that shard and the following ones whose first word has the prefix. Few, larger
//! files rather than one per prefix: every file is a file to create on each build, and on a
//! busy file system that costs more than its bytes.
//!
//! # Ranking (in the script)
//!
//! BM25 (k1 = 1.2, b = 0.75) over the postings with the lengths from the manifest, plus a
//! boost when the title has the term; every query word must match; the last word also matches
//! the terms and forms it starts (prefix search while typing).
//!
//! # Incremental rebuilds
//!
//! [`Cache`] keeps, per entry path, the words of the entry with the entry's file text; an entry
//! whose text is unchanged (with the same language and `unsafe_html`) is not read again. When
//! the document order is unchanged, only the terms the edit changed are encoded again (from
//! per-term lists the cache keeps from the first edit of a session on), and only the shards
//! holding them and the document-table slices of changed documents are written again; when
//! the order changed (an entry added, removed or re-dated), everything is.
//!
//! # The code
//!
//! [`files`] runs a build's steps in order, each a function of [`Cache`] or of a module below:
//! which entries are documents and what they are made of (`document`); their words, from
//! HTML to text to stems (`text`), counted per document by a tokenizing job (`tokenize`);
//! the session's ids, documents and word order that the rest shares (`index`); the encoded
//! postings, made anew or updated after an edit (`postings`); the shards, the document table
//! and the manifest (`shards`); and the byte-level helpers under them all (`encoding`). No
//! module uses this one's items, and none uses a module that uses it back.

mod document;
mod encoding;
mod index;
mod postings;
mod shards;
mod text;
mod tokenize;

use std::fmt;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::model::Site;
use index::{Doc, Index, Lexicon, Word};
use shards::{File, Shard};
use text::Analyzer;

pub use shards::{CHUNK, SHARD_MAX, SHARD_MIN, SHARD_TARGET};
pub use text::terms;

/// The index files, as paths under the output root and their bytes.
pub fn files(site: &Site, cache: &mut Cache) -> Vec<(String, Vec<u8>)> {
    cache.prepare(site);
    let analyzer = Analyzer::new(&site.config.language);
    let order = document::order(site);
    let (docs, todo) = cache.documents(site, &analyzer, &order);
    let same_order = cache.same_order(site, &order, &docs);
    let index = cache.index(&docs, &todo, same_order);
    // Shards: a shard with the same words as before, none of them changed, is kept.
    let unchanged = same_order && todo.is_empty();
    let last = std::mem::take(&mut cache.shards);
    let shards = shards::shards(&site.routes, &cache.lexicon, &index, last, unchanged);
    // The document table.
    let dirty_chunks = shards::dirty_chunks(docs.len(), same_order, &todo);
    let last = std::mem::take(&mut cache.chunks);
    let chunks = shards::chunks(&site.routes, &docs, last, &dirty_chunks);
    let manifest = shards::manifest(site, analyzer.name, &cache.lexicon, &docs, &shards, &chunks);
    let out = output(site, manifest, &shards, &chunks);
    cache.remember(site, &order, &todo, &docs, same_order);
    cache.order = docs;
    cache.postings = index.postings;
    cache.form_count = index.form_count;
    cache.sorted = index.sorted;
    cache.shards = shards;
    cache.chunks = chunks;
    out
}

/// The files to write, as paths under the output root and their bytes: the manifest, the
/// shards and the slices of the document table.
fn output(
    site: &Site,
    manifest: Vec<u8>,
    shards: &[Shard],
    chunks: &[File],
) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = Vec::with_capacity(shards.len() + chunks.len() + 1);
    out.push((site.routes.search_index(), manifest));
    for sh in shards {
        out.push((sh.file.name.clone(), sh.file.bytes.clone()));
    }
    for f in chunks {
        out.push((f.name.clone(), f.bytes.clone()));
    }
    out
}

/// Work kept between the rebuilds of one `serve` session, so that an edit re-indexes only the
/// entries it changed. A full build starts with an empty cache.
#[derive(Default)]
pub struct Cache {
    /// The language and `unsafe_html` the cache was made for.
    salt: Option<(String, bool)>,
    lexicon: Lexicon,
    /// Documents by entry path.
    docs: FxHashMap<String, Arc<Doc>>,
    /// The last build's documents in order, and their paths.
    order: Vec<Arc<Doc>>,
    paths: Vec<String>,
    /// Encoded postings by term id; empty for a term no document has.
    postings: Vec<Vec<u8>>,
    /// How many documents have each form.
    form_count: Vec<u32>,
    /// Every word of the index, in index order.
    sorted: Vec<Word>,
    /// The last build's shards, in order.
    shards: Vec<Shard>,
    /// The last build's document-table slices.
    chunks: Vec<File>,
    /// By term id: (document, tf × 2 + in title) in document order; made at the first edit
    /// of a session.
    lists: Option<Vec<Vec<(u32, u32)>>>,
}

impl fmt::Debug for Cache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cache")
            .field("docs", &self.docs.len())
            .field("terms", &self.lexicon.stem_str.len())
            .field("forms", &self.lexicon.form_str.len())
            .field("shards", &self.shards.len())
            .finish_non_exhaustive()
    }
}

impl Cache {
    /// Empties the cache when it was made for another language or `unsafe_html`: either changes
    /// the words of every document.
    fn prepare(&mut self, site: &Site) {
        let salt = (
            site.config.language.clone(),
            site.config.markdown.unsafe_html,
        );
        if self.salt.as_ref() != Some(&salt) {
            *self = Cache {
                salt: Some(salt),
                ..Cache::default()
            };
        }
    }

    /// The documents of `order` (indices in the site's entries), and the positions of those
    /// tokenized again (`todo`): an entry whose file text is unchanged keeps its document.
    fn documents(
        &mut self,
        site: &Site,
        analyzer: &Analyzer,
        order: &[usize],
    ) -> (Vec<Arc<Doc>>, Vec<usize>) {
        // Documents whose file text changed (or that are new) are tokenized again, in parallel, in
        // as few jobs as there are threads: each job learns the words again.
        let reuse: Vec<Option<Arc<Doc>>> = order
            .par_iter()
            .map(|&i| {
                let e = &site.entries[i];
                self.docs
                    .get(&e.path)
                    .filter(|d| Arc::ptr_eq(&d.source, &e.source) || *d.source == *e.source)
                    .cloned()
            })
            .collect();
        let todo: Vec<usize> = (0..order.len()).filter(|&p| reuse[p].is_none()).collect();
        let tables = tokenize::tokenize(site, analyzer, order, &todo);
        let mut docs: Vec<Option<Arc<Doc>>> = reuse;
        for table in tables {
            for (p, d) in table.into_docs(&mut self.lexicon) {
                docs[p] = Some(Arc::new(d));
            }
        }
        let docs: Vec<Arc<Doc>> = docs.into_iter().flatten().collect();
        (docs, todo)
    }

    /// Whether `docs` are the last build's documents in the same order, by entry path.
    fn same_order(&self, site: &Site, order: &[usize], docs: &[Arc<Doc>]) -> bool {
        docs.len() == self.order.len()
            && order.len() == self.paths.len()
            && order
                .iter()
                .zip(&self.paths)
                .all(|(&i, p)| site.entries[i].path == *p)
    }

    /// Postings, form counts and the sorted words: what changed, or everything when the
    /// document order did.
    fn index(&mut self, docs: &[Arc<Doc>], todo: &[usize], same_order: bool) -> Index {
        let lex = &self.lexicon;
        let terms = lex.stem_str.len();
        let mut index = Index {
            postings: std::mem::take(&mut self.postings),
            form_count: std::mem::take(&mut self.form_count),
            sorted: std::mem::take(&mut self.sorted),
            changed: vec![false; terms],
        };
        index.postings.resize(terms, Vec::new());
        index.form_count.resize(lex.form_str.len(), 0);
        if same_order {
            postings::update(&mut index, lex, docs, &self.order, todo, &mut self.lists);
        } else {
            self.lists = None;
            postings::rebuild(&mut index, lex, docs);
        }
        index
    }

    /// Keeps the documents by entry path for the next build: those tokenized again (`todo`)
    /// when the order is the same, else all, with the paths in order.
    fn remember(
        &mut self,
        site: &Site,
        order: &[usize],
        todo: &[usize],
        docs: &[Arc<Doc>],
        same_order: bool,
    ) {
        if same_order {
            for &p in todo {
                self.docs
                    .insert(self.paths[p].clone(), Arc::clone(&docs[p]));
            }
        } else {
            self.paths = order
                .iter()
                .map(|&i| site.entries[i].path.clone())
                .collect();
            self.docs = self
                .paths
                .iter()
                .zip(docs)
                .map(|(p, d)| (p.clone(), Arc::clone(d)))
                .collect();
        }
    }
}
