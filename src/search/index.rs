//! The index's shared vocabulary, which the other modules of the search index build on: the
//! session's ids of terms and forms ([`Lexicon`]), the indexed documents ([`Doc`]), the words of
//! the index and their order ([`Word`], [`word_order`]), and the postings and word list a build
//! makes ([`Index`]). It uses no sibling module but `encoding`.

use std::cmp::Ordering;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::encoding::{fnv, json_str_len};

/// One indexed document, kept between rebuilds.
pub(super) struct Doc {
    /// The entry's file text when it was indexed.
    pub(super) source: Arc<str>,
    /// (term id, tf × 2 + in title), in no particular order, with ids of the job that
    /// tokenized it: `ids` turns them into the session's.
    pub(super) terms: Vec<(u32, u32)>,
    /// Ids of the forms it has, in no particular order, also the job's.
    pub(super) forms: Vec<u32>,
    /// The job's ids in the session's [`Lexicon`].
    pub(super) ids: Arc<Ids>,
    /// Words in the title and body.
    pub(super) len: u32,
    /// Its row of the document table, as JSON.
    pub(super) row: String,
}

/// A tokenizing job's term and form ids as the session's: translating every document's ids
/// would cost more than looking them up when they are read.
pub(super) struct Ids {
    /// By the job's term id: the session's.
    pub(super) stems: Vec<u32>,
    /// By the job's word id: the session's id of the form; `u32::MAX` for a word that is no form.
    pub(super) forms: Vec<u32>,
}

impl Doc {
    /// The session's id of a term id of this document.
    pub(super) fn stem(&self, local: u32) -> u32 {
        self.ids.stems[local as usize]
    }

    /// The session's id of a form id of this document.
    pub(super) fn form(&self, local: u32) -> u32 {
        self.ids.forms[local as usize]
    }

    /// (term id, value) with the session's ids, sorted.
    pub(super) fn sorted_terms(&self) -> Vec<(u32, u32)> {
        let mut v: Vec<(u32, u32)> = self.terms.iter().map(|&(t, x)| (self.stem(t), x)).collect();
        v.sort_unstable();
        v
    }
}

/// Every term and form the session has met, with ids in order of first meeting (which is not
/// deterministic: nothing written depends on it).
#[derive(Default)]
pub(super) struct Lexicon {
    /// Terms to their ids.
    stems: FxHashMap<Box<str>, u32>,
    /// Per term: its text.
    pub(super) stem_str: Vec<Box<str>>,
    /// Per term: [`fnv`] of its text, and the bytes of its text as a JSON string.
    pub(super) stem_key: Vec<(u64, u32)>,
    /// Forms to their ids.
    forms: FxHashMap<Box<str>, u32>,
    /// Per form: its text.
    pub(super) form_str: Vec<Box<str>>,
    /// Per form: as `stem_key`.
    form_key: Vec<(u64, u32)>,
    /// Per form: its term.
    pub(super) form_stem: Vec<u32>,
}

impl Lexicon {
    /// The id of the term `s`; a new one the first time.
    pub(super) fn stem(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.stems.get(s) {
            return id;
        }
        let id = self.stem_str.len() as u32;
        self.stems.insert(s.into(), id);
        self.stem_str.push(s.into());
        self.stem_key.push((fnv(s), json_str_len(s) as u32));
        id
    }

    /// The id of the form `f` of the term `stem`; a new one the first time.
    pub(super) fn form(&mut self, f: &str, stem: u32) -> u32 {
        if let Some(&id) = self.forms.get(f) {
            return id;
        }
        let id = self.form_str.len() as u32;
        self.forms.insert(f.into(), id);
        self.form_str.push(f.into());
        self.form_key.push((fnv(f), json_str_len(f) as u32));
        self.form_stem.push(stem);
        id
    }

    /// [`fnv`] of a word's text and the bytes of its text as a JSON string.
    pub(super) fn key(&self, w: Word) -> (u64, u32) {
        match w {
            Word::Term(s) => self.stem_key[s as usize],
            Word::Form(f) => self.form_key[f as usize],
        }
    }

    /// A word's text.
    pub(super) fn text(&self, w: Word) -> &str {
        match w {
            Word::Term(s) => &self.stem_str[s as usize],
            Word::Form(f) => &self.form_str[f as usize],
        }
    }
}

/// A word of the index: a term, with its postings, or a form, with its term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Word {
    /// A term, by its id in the [`Lexicon`].
    Term(u32),
    /// A form, by its id in the [`Lexicon`].
    Form(u32),
}

/// The index's order of words: by UTF-16 code units (as the script compares strings), terms
/// before forms of the same text.
pub(super) fn word_order(lex: &Lexicon, a: Word, b: Word) -> Ordering {
    let (x, y) = (lex.text(a), lex.text(b));
    // UTF-8 byte order is UTF-16 order unless both have characters from U+E000 up.
    let by_text = if x.is_ascii() || y.is_ascii() {
        x.cmp(y)
    } else {
        x.encode_utf16().cmp(y.encode_utf16())
    };
    by_text.then_with(|| matches!(a, Word::Form(_)).cmp(&matches!(b, Word::Form(_))))
}

/// The words of the index as a build leaves them (the cache keeps them for the next build).
pub(super) struct Index {
    /// Encoded postings by term id; empty for a term no document has.
    pub(super) postings: Vec<Vec<u8>>,
    /// How many documents have each form.
    pub(super) form_count: Vec<u32>,
    /// Every word of the index, in index order.
    pub(super) sorted: Vec<Word>,
    /// By term id: whether this build encoded its postings again.
    pub(super) changed: Vec<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_sort_as_the_script_compares_them() {
        let mut lex = Lexicon::default();
        let texts = ["b", "a", "\u{ffff}", "\u{10000}", "ab"];
        let mut all: Vec<Word> = texts.iter().map(|t| Word::Term(lex.stem(t))).collect();
        let f = lex.form("a", 0);
        all.push(Word::Form(f));
        all.sort_by(|&a, &b| word_order(&lex, a, b));
        let order: Vec<&str> = all.iter().map(|&w| lex.text(w)).collect();
        // UTF-16: U+10000 (a surrogate pair, D800 DC00) sorts before U+FFFF.
        assert_eq!(order, ["a", "a", "ab", "b", "\u{10000}", "\u{ffff}"]);
        assert_eq!(all[1], Word::Form(f), "a term before its namesake form");
    }
}
