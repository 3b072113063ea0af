//! Tokenizing documents: a job (one a thread) reads the words of its documents into a
//! [`Table`] of ids of its own, found by [`WordMap`] mostly without copying the word; the
//! session's [`Lexicon`] then gives the job's documents its ids.

use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::document::Input;
use super::encoding::{short_key, short_key_in};
use super::index::{Doc, Ids, Lexicon};
use super::text::{Analyzer, html_text, normalize, words};
use crate::model::Site;

/// Tokenizes the documents at positions `todo` of `order` (indices in the site's entries), in
/// parallel, in as few jobs as there are threads: each job learns the words again.
pub(super) fn tokenize(
    site: &Site,
    analyzer: &Analyzer,
    order: &[usize],
    todo: &[usize],
) -> Vec<Table> {
    let jobs = rayon::current_num_threads().max(1);
    todo.par_iter()
        .with_min_len(todo.len().div_ceil(jobs).max(1))
        .fold(Table::default, |mut table, &p| {
            let i = order[p];
            let input = Input::new(site, i);
            table.doc(analyzer, p, &input);
            table
        })
        .collect()
}

/// One word known to a [`WordMap`].
#[derive(Clone, Copy, Default)]
struct Slot {
    /// The word's key ([`short_key`]).
    k0: u64,
    k1: u64,
    /// The word's length in bytes; 0 for an empty slot.
    len: u32,
    /// The word's id in its table.
    id: u32,
    /// Its stem's id.
    stem: u32,
    /// Whether the word differs from its stem.
    form: bool,
}

/// Words of up to 16 bytes to their ids and stems: open addressing over keys held in the slots,
/// so that an ASCII word is found without being copied to lower case, in one probe mostly.
/// Tokenizing spends most of its time here.
#[derive(Default)]
struct WordMap {
    /// The slots: a power of two of them (4,096 at least), or none yet.
    slots: Vec<Slot>,
    /// The slots in use.
    used: usize,
    /// 64 minus the slot count's bits: the shift that makes a hash an index.
    shift: u32,
}

impl WordMap {
    /// Where the probe for a key starts.
    fn index(&self, k0: u64, k1: u64, len: usize) -> usize {
        let h =
            (k0 ^ k1.rotate_left(29) ^ ((len as u64) << 57)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (h >> self.shift) as usize
    }

    /// The slot of a word, if known.
    fn find(&self, k0: u64, k1: u64, len: usize) -> Option<&Slot> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut i = self.index(k0, k1, len);
        loop {
            let s = &self.slots[i];
            if s.len == 0 {
                return None;
            }
            if s.k0 == k0 && s.k1 == k1 && s.len as usize == len {
                return Some(s);
            }
            i = (i + 1) & mask;
        }
    }

    /// Adds a word, first doubling the slots when half of them would be used.
    fn insert(&mut self, slot: Slot) {
        if (self.used + 1) * 2 > self.slots.len() {
            let size = (self.slots.len() * 2).max(4096);
            let old = std::mem::replace(&mut self.slots, vec![Slot::default(); size]);
            self.shift = 64 - size.trailing_zeros();
            self.used = 0;
            for s in old.into_iter().filter(|s| s.len > 0) {
                self.place(s);
            }
        }
        self.place(slot);
    }

    /// Puts a slot in the first empty place from its key's.
    fn place(&mut self, slot: Slot) {
        let mask = self.slots.len() - 1;
        let mut i = self.index(slot.k0, slot.k1, slot.len as usize);
        while self.slots[i].len != 0 {
            i = (i + 1) & mask;
        }
        self.slots[i] = slot;
        self.used += 1;
    }
}

/// Ids local to one tokenizing job, with the words they stand for.
#[derive(Default)]
pub(super) struct Table {
    /// Words of up to 16 bytes to their ids.
    words: WordMap,
    /// Words longer than a [`WordMap`] holds.
    long: FxHashMap<Box<str>, u32>,
    /// Per word: its text.
    word_str: Vec<Box<str>>,
    /// Per word: its stem's id.
    word_stem: Vec<u32>,
    /// Per word: whether it differs from its stem.
    word_form: Vec<bool>,
    /// Stems to their ids.
    stems: FxHashMap<Box<str>, u32>,
    /// Per stem: its text.
    stem_str: Vec<Box<str>>,
    // Per-document scratch, by stem id.
    tf: Vec<u32>,
    in_title: Vec<bool>,
    touched: Vec<u32>,
    // By word id: the last document that had it (`serial`).
    form_seen: Vec<u32>,
    doc_forms: Vec<u32>,
    serial: u32,
    /// Words in the document so far.
    len: u32,
    /// Scratch: a word in normal form.
    buf: String,
    /// Scratch: the body's text.
    text: String,
    /// The job's documents, with their positions in the order.
    docs: Vec<(usize, LocalDoc)>,
}

/// A document tokenized with a [`Table`]'s local ids.
struct LocalDoc {
    terms: Vec<(u32, u32)>,
    forms: Vec<u32>,
    len: u32,
    row: String,
    source: Arc<str>,
}

impl Table {
    /// Counts a word of the document being read: `word` as the text has it, `tail` the text from
    /// it on (read by [`short_key_in`]), whether it is ASCII, whether it is in the title.
    fn add(&mut self, an: &Analyzer, word: &str, tail: &[u8], ascii: bool, title: bool) {
        let key = if ascii {
            short_key_in(tail, word.len())
        } else {
            normalize(word, &mut self.buf);
            short_key(self.buf.as_bytes())
        };
        let (wid, sid, form) = match key {
            Some((k0, k1)) => {
                let len = if ascii { word.len() } else { self.buf.len() };
                match self.words.find(k0, k1, len) {
                    Some(s) => (s.id, s.stem, s.form),
                    None => {
                        normalize(word, &mut self.buf);
                        let (id, stem, form) = self.new_word(an);
                        self.words.insert(Slot {
                            k0,
                            k1,
                            len: len as u32,
                            id,
                            stem,
                            form,
                        });
                        (id, stem, form)
                    }
                }
            }
            None => {
                normalize(word, &mut self.buf);
                match self.long.get(self.buf.as_str()) {
                    Some(&id) => (id, self.word_stem[id as usize], self.word_form[id as usize]),
                    None => {
                        let (id, stem, form) = self.new_word(an);
                        self.long.insert(self.buf.as_str().into(), id);
                        (id, stem, form)
                    }
                }
            }
        };
        let s = sid as usize;
        if self.tf[s] == 0 {
            self.touched.push(sid);
        }
        self.tf[s] += 1;
        self.in_title[s] |= title;
        if form && self.form_seen[wid as usize] != self.serial {
            self.form_seen[wid as usize] = self.serial;
            self.doc_forms.push(wid);
        }
        self.len += 1;
    }

    /// Adds the word in `buf`: its id, its stem's id and whether it is a form.
    fn new_word(&mut self, an: &Analyzer) -> (u32, u32, bool) {
        let word: Box<str> = self.buf.as_str().into();
        let stem = an.stem(&word);
        let sid = match self.stems.get(stem.as_str()) {
            Some(&s) => s,
            None => {
                let s = self.stem_str.len() as u32;
                self.stems.insert(stem.as_str().into(), s);
                self.stem_str.push(stem.as_str().into());
                self.tf.push(0);
                self.in_title.push(false);
                s
            }
        };
        let id = self.word_str.len() as u32;
        let form = *word != *stem;
        self.word_form.push(form);
        self.word_str.push(word);
        self.word_stem.push(sid);
        self.form_seen.push(0);
        (id, sid, form)
    }

    /// Reads the document at position `index` of the order.
    fn doc(&mut self, an: &Analyzer, index: usize, input: &Input<'_>) {
        self.serial += 1;
        self.len = 0;
        words(input.title, &mut |w, t, a| self.add(an, w, t, a, true));
        let mut text = std::mem::take(&mut self.text);
        text.clear();
        html_text(input.html, &mut text);
        words(&text, &mut |w, t, a| self.add(an, w, t, a, false));
        self.text = text;
        words(&input.meta, &mut |w, t, a| self.add(an, w, t, a, false));
        let mut terms = Vec::with_capacity(self.touched.len());
        for sid in self.touched.drain(..) {
            let s = sid as usize;
            terms.push((sid, self.tf[s] * 2 + u32::from(self.in_title[s])));
            self.tf[s] = 0;
            self.in_title[s] = false;
        }
        let forms = std::mem::take(&mut self.doc_forms);
        let row = input.row(&self.text);
        self.docs.push((
            index,
            LocalDoc {
                terms,
                forms,
                len: self.len,
                row,
                source: Arc::clone(&input.entry.source),
            },
        ));
    }

    /// The job's documents with their positions, given the session's ids from `lexicon`.
    pub(super) fn into_docs(self, lexicon: &mut Lexicon) -> Vec<(usize, Doc)> {
        let stems: Vec<u32> = self.stem_str.iter().map(|s| lexicon.stem(s)).collect();
        let mut forms: Vec<u32> = vec![u32::MAX; self.word_str.len()];
        for (w, word) in self.word_str.iter().enumerate() {
            if self.word_form[w] {
                forms[w] = lexicon.form(word, stems[self.word_stem[w] as usize]);
            }
        }
        let ids = Arc::new(Ids { stems, forms });
        self.docs
            .into_iter()
            .map(|(index, d)| {
                (
                    index,
                    Doc {
                        source: d.source,
                        terms: d.terms,
                        forms: d.forms,
                        ids: Arc::clone(&ids),
                        len: d.len,
                        row: d.row,
                    },
                )
            })
            .collect()
    }
}
