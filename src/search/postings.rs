//! The postings: per term, the documents that have it with its count and whether the title has
//! it, encoded as base-64 VLQ numbers. Made from every document in parallel ([`rebuild`]), or,
//! after an edit that kept the document order, for the terms the edit changed only
//! ([`update`]), with the words that appeared or disappeared merged into the sorted words.

use std::cmp::Ordering;
use std::collections::HashSet;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::encoding::vlq;
use super::index::{Doc, Index, Lexicon, Word, word_order};

/// Makes the postings, the form counts and the sorted words of `index` from every document.
pub(super) fn rebuild(index: &mut Index, lex: &Lexicon, docs: &[Arc<Doc>]) {
    let terms = lex.stem_str.len();
    let Index {
        postings,
        form_count,
        sorted,
        changed,
    } = index;
    let all: Vec<u32> = (0..terms as u32).collect();
    *postings = encode(docs, &all, terms);
    changed.iter_mut().for_each(|c| *c = true);
    form_count.iter_mut().for_each(|c| *c = 0);
    for d in docs {
        for &f in &d.forms {
            form_count[d.form(f) as usize] += 1;
        }
    }
    *sorted = (0..terms as u32)
        .filter(|&s| !postings[s as usize].is_empty())
        .map(Word::Term)
        .chain(
            (0..lex.form_str.len() as u32)
                .filter(|&f| form_count[f as usize] > 0)
                .map(Word::Form),
        )
        .collect();
    sorted.par_sort_unstable_by(|&a, &b| word_order(lex, a, b));
}

/// Brings the postings, the form counts and the sorted words of `index` up to date after an
/// edit that kept the document order: `todo` are the positions of the documents tokenized
/// again, `last` the last build's documents, `kept` the cache's per-term lists, if any.
pub(super) fn update(
    index: &mut Index,
    lex: &Lexicon,
    docs: &[Arc<Doc>],
    last: &[Arc<Doc>],
    todo: &[usize],
    kept: &mut Option<Vec<Vec<(u32, u32)>>>,
) {
    let terms = lex.stem_str.len();
    // Each term's (document, value) list, kept from the first rebuild of a session on,
    // so that an edit re-encodes the terms it changed without reading every document.
    let fresh_lists = kept.is_none();
    let mut lists = match kept.take() {
        Some(l) => l,
        None if todo.is_empty() => Vec::new(),
        None => posting_lists(docs, terms),
    };
    lists.resize(terms, Vec::new());
    let (wanted, before) = apply_edits(index, docs, last, todo, &mut lists, fresh_lists);
    let (postings, form_count) = (&mut index.postings, &index.form_count);
    let mut flips: Vec<Word> = Vec::new();
    for &s in &wanted {
        let bytes = encode_list(&lists[s as usize]);
        if postings[s as usize].is_empty() != bytes.is_empty() {
            flips.push(Word::Term(s));
        }
        postings[s as usize] = bytes;
    }
    *kept = (!todo.is_empty() || !fresh_lists).then_some(lists);
    for (&f, &was) in &before {
        if was != (form_count[f as usize] > 0) {
            flips.push(Word::Form(f));
        }
    }
    if !flips.is_empty() {
        merge_flips(index, lex, flips);
    }
}

/// Compares each changed document with its last version: marks the terms whose value changed
/// in `index.changed`, and, unless `fresh_lists` (made from these very documents), updates
/// their lists; counts the forms again. Returns the changed terms, in the order met, and the
/// forms the edit touched with whether any document had them before.
fn apply_edits(
    index: &mut Index,
    docs: &[Arc<Doc>],
    last: &[Arc<Doc>],
    todo: &[usize],
    lists: &mut [Vec<(u32, u32)>],
    fresh_lists: bool,
) -> (Vec<u32>, FxHashMap<u32, bool>) {
    let (changed, form_count) = (&mut index.changed, &mut index.form_count);
    let mut wanted: Vec<u32> = Vec::new();
    // Forms the edit touched, with whether any document had them before.
    let mut before: FxHashMap<u32, bool> = FxHashMap::default();
    for &p in todo {
        let (new, old) = (&docs[p], &last[p]);
        let new_terms = new.sorted_terms();
        mark_changed(&old.sorted_terms(), &new_terms, |s| {
            if !changed[s as usize] {
                changed[s as usize] = true;
                wanted.push(s);
            }
            if fresh_lists {
                return;
            }
            let value = new_terms
                .binary_search_by_key(&s, |t| t.0)
                .ok()
                .map(|i| new_terms[i].1);
            let list = &mut lists[s as usize];
            match (list.binary_search_by_key(&(p as u32), |x| x.0), value) {
                (Ok(i), Some(v)) => list[i].1 = v,
                (Ok(i), None) => {
                    list.remove(i);
                }
                (Err(i), Some(v)) => list.insert(i, (p as u32, v)),
                (Err(_), None) => {}
            }
        });
        for f in old.forms.iter().map(|&f| old.form(f)) {
            before.entry(f).or_insert(form_count[f as usize] > 0);
            form_count[f as usize] -= 1;
        }
        for f in new.forms.iter().map(|&f| new.form(f)) {
            before.entry(f).or_insert(form_count[f as usize] > 0);
            form_count[f as usize] += 1;
        }
    }
    (wanted, before)
}

/// Takes out of `index.sorted` the words of `flips` that are gone (a term without postings, a
/// form no document has) and merges in, in index order, those that appeared.
fn merge_flips(index: &mut Index, lex: &Lexicon, flips: Vec<Word>) {
    let (postings, form_count) = (&index.postings, &index.form_count);
    let gone: HashSet<Word> = flips
        .iter()
        .copied()
        .filter(|w| match *w {
            Word::Term(s) => postings[s as usize].is_empty(),
            Word::Form(f) => form_count[f as usize] == 0,
        })
        .collect();
    let mut added: Vec<Word> = flips.into_iter().filter(|w| !gone.contains(w)).collect();
    added.sort_unstable_by(|&a, &b| word_order(lex, a, b));
    let mut sorted = std::mem::take(&mut index.sorted);
    sorted.retain(|w| !gone.contains(w));
    let mut merged = Vec::with_capacity(sorted.len() + added.len());
    let mut rest = added.into_iter().peekable();
    for w in sorted {
        while let Some(&a) = rest.peek() {
            if word_order(lex, a, w) == Ordering::Less {
                merged.push(a);
                rest.next();
            } else {
                break;
            }
        }
        merged.push(w);
    }
    merged.extend(rest);
    index.sorted = merged;
}

/// A run of one term's postings: the first document apart, the rest encoded (the first
/// document's value, then gap and value pairs).
#[derive(Clone, Default)]
struct Segment {
    first: Option<u32>,
    last: u32,
    bytes: Vec<u8>,
}

impl Segment {
    fn push(&mut self, doc: u32, v: u32) {
        if self.first.is_none() {
            self.first = Some(doc);
        } else {
            vlq(doc - self.last - 1, &mut self.bytes);
        }
        vlq(v, &mut self.bytes);
        self.last = doc;
    }
}

/// The encoded postings of the terms in `wanted`, in that order. Each thread reads a run of
/// documents and writes its part of every list; the parts are then joined, the first gap of
/// each written again. A bit set finds the wanted terms quickly when they are few.
fn encode(docs: &[Arc<Doc>], wanted: &[u32], terms: usize) -> Vec<Vec<u8>> {
    if wanted.is_empty() {
        return Vec::new();
    }
    let mut bits: Vec<u64> = vec![0; terms.div_ceil(64)];
    let mut slot: Vec<u32> = vec![u32::MAX; terms];
    for (k, &s) in wanted.iter().enumerate() {
        bits[s as usize / 64] |= 1 << (s % 64);
        slot[s as usize] = k as u32;
    }
    let parts = rayon::current_num_threads().clamp(1, 8);
    let per = docs.len().div_ceil(parts).max(1);
    let segments: Vec<Vec<Segment>> = (0..parts)
        .into_par_iter()
        .map(|part| {
            let mut out: Vec<Segment> = vec![Segment::default(); wanted.len()];
            let (lo, hi) = (part * per, ((part + 1) * per).min(docs.len()));
            for (p, d) in docs.iter().enumerate().take(hi).skip(lo) {
                let stems = &d.ids.stems;
                for &(s, v) in &d.terms {
                    let s = stems[s as usize];
                    if bits[s as usize / 64] & (1 << (s % 64)) != 0 {
                        out[slot[s as usize] as usize].push(p as u32, v);
                    }
                }
            }
            out
        })
        .collect();
    (0..wanted.len())
        .into_par_iter()
        .map(|k| {
            let size: usize = segments.iter().map(|s| s[k].bytes.len() + 5).sum();
            let mut out = Vec::with_capacity(size);
            let mut last: Option<u32> = None;
            for part in &segments {
                let seg = &part[k];
                let Some(first) = seg.first else { continue };
                vlq(last.map_or(first, |l| first - l - 1), &mut out);
                out.extend_from_slice(&seg.bytes);
                last = Some(seg.last);
            }
            out
        })
        .collect()
}

/// Every term's (document, value) list.
fn posting_lists(docs: &[Arc<Doc>], terms: usize) -> Vec<Vec<(u32, u32)>> {
    let mut lists: Vec<Vec<(u32, u32)>> = vec![Vec::new(); terms];
    for (p, d) in docs.iter().enumerate() {
        for &(s, v) in &d.terms {
            lists[d.stem(s) as usize].push((p as u32, v));
        }
    }
    lists
}

/// The postings string of a (document, value) list.
fn encode_list(list: &[(u32, u32)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(list.len() * 2);
    let mut last: Option<u32> = None;
    for &(p, v) in list {
        vlq(last.map_or(p, |l| p - l - 1), &mut out);
        vlq(v, &mut out);
        last = Some(p);
    }
    out
}

/// Calls `f` with every id whose value differs between two lists sorted by id.
fn mark_changed(old: &[(u32, u32)], new: &[(u32, u32)], mut f: impl FnMut(u32)) {
    let (mut i, mut j) = (0, 0);
    while i < old.len() || j < new.len() {
        match (old.get(i), new.get(j)) {
            (Some(a), Some(b)) if a.0 == b.0 => {
                if a.1 != b.1 {
                    f(a.0);
                }
                i += 1;
                j += 1;
            }
            (Some(a), Some(b)) if a.0 < b.0 => {
                f(a.0);
                i += 1;
            }
            (Some(_), Some(b)) => {
                f(b.0);
                j += 1;
            }
            (Some(a), None) => {
                f(a.0);
                i += 1;
            }
            (None, Some(b)) => {
                f(b.0);
                j += 1;
            }
            (None, None) => break,
        }
    }
}
