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

use std::cmp::Ordering;
use std::fmt;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use unicode_segmentation::UnicodeSegmentation;

use crate::load::content::{Data, Entry};
use crate::model::Site;

/// A shard ends only once it has this many bytes of JSON...
pub const SHARD_MIN: usize = 8 * 1024;
/// ...then, on average, this many more...
pub const SHARD_TARGET: usize = 16 * 1024;
/// ...and before a word that would take it past this (a shard of one word may be larger).
pub const SHARD_MAX: usize = 32 * 1024;
/// Documents per slice of the document table.
pub const CHUNK: usize = 32;
/// The longest excerpt, in characters.
const EXCERPT: usize = 200;
/// The version of the format described above.
const FORMAT: u32 = 1;

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// ---------------------------------------------------------------------------------------------
// Words

/// The Snowball algorithm for a BCP 47 language tag, with its name; none for other languages.
fn algorithm(language: &str) -> Option<(rust_stemmers::Algorithm, &'static str)> {
    use rust_stemmers::Algorithm as A;
    let primary = language
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    Some(match primary.as_str() {
        "ar" => (A::Arabic, "arabic"),
        "da" => (A::Danish, "danish"),
        "nl" => (A::Dutch, "dutch"),
        "en" => (A::English, "english"),
        "fi" => (A::Finnish, "finnish"),
        "fr" => (A::French, "french"),
        "de" => (A::German, "german"),
        "el" => (A::Greek, "greek"),
        "hu" => (A::Hungarian, "hungarian"),
        "it" => (A::Italian, "italian"),
        "no" | "nb" | "nn" => (A::Norwegian, "norwegian"),
        "pt" => (A::Portuguese, "portuguese"),
        "ro" => (A::Romanian, "romanian"),
        "ru" => (A::Russian, "russian"),
        "es" => (A::Spanish, "spanish"),
        "sv" => (A::Swedish, "swedish"),
        "ta" => (A::Tamil, "tamil"),
        "tr" => (A::Turkish, "turkish"),
        _ => return None,
    })
}

/// Turns words into terms for one language.
struct Analyzer {
    stemmer: Option<rust_stemmers::Stemmer>,
    name: Option<&'static str>,
}

impl Analyzer {
    fn new(language: &str) -> Self {
        match algorithm(language) {
            Some((a, name)) => Analyzer {
                stemmer: Some(rust_stemmers::Stemmer::create(a)),
                name: Some(name),
            },
            None => Analyzer {
                stemmer: None,
                name: None,
            },
        }
    }

    /// The term of a normalized word. Words without a letter (numbers) are their own stems in
    /// every Snowball algorithm: every suffix it removes has a letter.
    fn stem(&self, word: &str) -> String {
        match &self.stemmer {
            Some(s)
                if !word
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b.is_ascii_punctuation()) =>
            {
                s.stem(word).into_owned()
            }
            _ => word.to_string(),
        }
    }
}

/// Lower-cases `word` into `out`, with `’` and `‘` made `'`.
fn normalize(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.push_str(word);
        out.make_ascii_lowercase();
    } else {
        for c in word.to_lowercase().chars() {
            out.push(match c {
                '\u{2018}' | '\u{2019}' => '\'',
                c => c,
            });
        }
    }
}

// Byte classes for the ASCII fast path of [`words`].
const SPACE: u8 = 1;
const WORD: u8 = 2;
const LETTER: u8 = 4;
const DIGIT: u8 = 8;
/// `:` `.` `'`: joins two letters (WB6/7).
const MID_LETTER: u8 = 16;
/// `,` `;` `.` `'`: joins two digits (WB11/12).
const MID_NUM: u8 = 32;
/// A byte of a non-ASCII character.
const HIGH: u8 = 64;

static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if c >= 0x80 {
            HIGH
        } else if c.is_ascii_whitespace() {
            SPACE
        } else if c.is_ascii_alphabetic() {
            WORD | LETTER
        } else if c.is_ascii_digit() {
            WORD | DIGIT
        } else if c == b'_' {
            WORD
        } else if c == b'.' || c == b'\'' {
            MID_LETTER | MID_NUM
        } else if c == b':' {
            MID_LETTER
        } else if c == b',' || c == b';' {
            MID_NUM
        } else {
            0
        };
        b += 1;
    }
    t
};

/// Calls `f` with every word of `text` by the Unicode word rules (UAX #29): what
/// `unicode-segmentation`'s `unicode_words()` yields, and whether the word is ASCII.
///
/// ASCII text takes a fast path that applies the rules as they stand for ASCII: letters, digits
/// and `_` join (WB5, WB8–WB10, WB13a/b); `:` `.` `'` join two letters (WB6/7); `,` `;` `.`
/// `'` join two digits (WB11/12); a run without a letter or digit is no word. Where a
/// non-ASCII character comes within reach of a word, the rest of the white-space-delimited
/// piece goes through `unicode-segmentation` (ASCII white space is always a word boundary).
fn words(text: &str, f: &mut impl FnMut(&str, &[u8], bool)) {
    let b = text.as_bytes();
    let n = b.len();
    let class = |i: usize| if i < n { CLASS[b[i] as usize] } else { SPACE };
    let mut i = 0;
    while i < n {
        let c = CLASS[b[i] as usize];
        if c & WORD == 0 {
            if c & HIGH != 0 {
                i = unicode_piece(text, i, f);
            } else {
                i += 1;
            }
            continue;
        }
        let start = i;
        i += 1;
        loop {
            while class(i) & WORD != 0 {
                i += 1;
            }
            let m = class(i);
            if m & (MID_LETTER | MID_NUM) != 0 {
                let (prev, next) = (class(i - 1), class(i + 1));
                if (m & MID_LETTER != 0 && prev & LETTER != 0 && next & LETTER != 0)
                    || (m & MID_NUM != 0 && prev & DIGIT != 0 && next & DIGIT != 0)
                {
                    i += 2;
                    continue;
                }
                if next & HIGH != 0 {
                    break;
                }
            }
            break;
        }
        let m = class(i);
        if m & HIGH != 0 || (m & (MID_LETTER | MID_NUM) != 0 && class(i + 1) & HIGH != 0) {
            // The word may go on past a non-ASCII character.
            i = unicode_piece(text, start, f);
            continue;
        }
        if b[start] != b'_' || b[start..i].iter().any(|&x| x != b'_') {
            f(&text[start..i], &b[start..], true);
        }
    }
}

/// The words from byte `start` (a word boundary) to the end of its white-space-delimited piece,
/// by `unicode-segmentation`; returns where the piece ends.
fn unicode_piece(text: &str, start: usize, f: &mut impl FnMut(&str, &[u8], bool)) -> usize {
    let b = text.as_bytes();
    let mut start = start;
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let end = b[start..]
        .iter()
        .position(|&x| CLASS[x as usize] & SPACE != 0)
        .map_or(b.len(), |p| start + p);
    for w in text[start..end].unicode_words() {
        f(w, w.as_bytes(), w.is_ascii());
    }
    end
}

/// The terms of `text` as the index has them: words, lower-cased and stemmed for `language`.
pub fn terms(language: &str, text: &str) -> Vec<String> {
    let analyzer = Analyzer::new(language);
    let mut out = Vec::new();
    let mut buf = String::new();
    words(text, &mut |w, _, _| {
        normalize(w, &mut buf);
        out.push(analyzer.stem(&buf));
    });
    out
}

/// Appends the text of an HTML fragment to `out`: tags dropped (a space for every tag that is
/// not inline formatting), comments, scripts and styles skipped, character references decoded.
fn html_text(html: &str, out: &mut String) {
    let b = html.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let Some(off) = memchr::memchr2(b'<', b'&', &b[i..]) else {
            out.push_str(&html[i..]);
            return;
        };
        out.push_str(&html[i..i + off]);
        i += off;
        if b[i] == b'&' {
            let (decoded, used) = entity(&html[i..]);
            match decoded {
                Some(c) => out.push(c),
                None => out.push('&'),
            }
            i += used;
            continue;
        }
        // A tag, a comment or a stray `<`.
        if html[i..].starts_with("<!--") {
            i = html[i..].find("-->").map_or(b.len(), |e| i + e + 3);
            out.push(' ');
            continue;
        }
        let Some(end) = memchr::memchr(b'>', &b[i..]) else {
            out.push_str(&html[i..]);
            return;
        };
        let tag = &html[i + 1..i + end];
        let closing = tag.starts_with('/');
        let name_start = usize::from(closing);
        let name_len = tag[name_start..]
            .bytes()
            .position(|c| !c.is_ascii_alphanumeric())
            .unwrap_or(tag.len() - name_start);
        let name = &tag.as_bytes()[name_start..name_start + name_len];
        i += end + 1;
        match tag_kind(name) {
            TagKind::Raw if !closing => {
                let rest = html[i..].to_ascii_lowercase();
                let close = if name.eq_ignore_ascii_case(b"script") {
                    "</script"
                } else {
                    "</style"
                };
                i = rest.find(close).map_or(b.len(), |e| {
                    let after = i + e;
                    memchr::memchr(b'>', &b[after..]).map_or(b.len(), |g| after + g + 1)
                });
                out.push(' ');
            }
            TagKind::Inline => {}
            _ => out.push(' '),
        }
    }
}

/// How a tag affects the text around it.
#[derive(PartialEq, Eq)]
enum TagKind {
    /// Inline formatting, which does not separate words.
    Inline,
    /// `script` or `style`, whose content is not text.
    Raw,
    /// Anything else: a word break.
    Break,
}

/// A tag name (at most 8 ASCII bytes) as a number, for matching.
const fn tag_key(s: &[u8]) -> u64 {
    let mut k = 0u64;
    let mut i = 0;
    while i < s.len() {
        k |= (s[i] as u64) << (8 * i);
        i += 1;
    }
    k
}

fn tag_kind(name: &[u8]) -> TagKind {
    const A: u64 = tag_key(b"a");
    const ABBR: u64 = tag_key(b"abbr");
    const B: u64 = tag_key(b"b");
    const BDI: u64 = tag_key(b"bdi");
    const BDO: u64 = tag_key(b"bdo");
    const CITE: u64 = tag_key(b"cite");
    const CODE: u64 = tag_key(b"code");
    const DEL: u64 = tag_key(b"del");
    const DFN: u64 = tag_key(b"dfn");
    const EM: u64 = tag_key(b"em");
    const I: u64 = tag_key(b"i");
    const INS: u64 = tag_key(b"ins");
    const KBD: u64 = tag_key(b"kbd");
    const MARK: u64 = tag_key(b"mark");
    const Q: u64 = tag_key(b"q");
    const S: u64 = tag_key(b"s");
    const SAMP: u64 = tag_key(b"samp");
    const SMALL: u64 = tag_key(b"small");
    const SPAN: u64 = tag_key(b"span");
    const STRONG: u64 = tag_key(b"strong");
    const SCRIPT: u64 = tag_key(b"script");
    const STYLE: u64 = tag_key(b"style");
    if name.is_empty() || name.len() > 8 {
        return TagKind::Break;
    }
    match lower_u64(name) {
        A | ABBR | B | BDI | BDO | CITE | CODE | DEL | DFN | EM | I | INS | KBD | MARK | Q | S
        | SAMP | SMALL | SPAN | STRONG => TagKind::Inline,
        SCRIPT | STYLE => TagKind::Raw,
        _ => TagKind::Break,
    }
}

/// A character reference at the start of `s` (which starts with `&`): the character and the
/// bytes it took, or none and 1.
fn entity(s: &str) -> (Option<char>, usize) {
    let end = s.as_bytes().iter().take(12).position(|&c| c == b';');
    let Some(end) = end else { return (None, 1) };
    let body = &s[1..end];
    let c = if let Some(num) = body.strip_prefix('#') {
        let n = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => num.parse::<u32>().ok(),
        };
        n.and_then(char::from_u32)
    } else {
        match body {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            "ndash" => Some('–'),
            "mdash" => Some('—'),
            "hellip" => Some('…'),
            "rsquo" => Some('’'),
            "lsquo" => Some('‘'),
            "rdquo" => Some('”'),
            "ldquo" => Some('“'),
            _ => None,
        }
    };
    match c {
        Some(c) => (Some(c), end + 1),
        None => (None, 1),
    }
}

// ---------------------------------------------------------------------------------------------
// Documents

/// The text of a document's body field besides its Markdown: the explicit summary and the
/// front matter's words.
fn meta_text(site: &Site, i: usize) -> String {
    let e = &site.entries[i];
    let mut parts: Vec<&str> = Vec::new();
    if e.summary.is_some() {
        parts.push(site.summaries[i].1.as_str());
    }
    parts.extend(e.tags.iter().map(String::as_str));
    match &e.data {
        Data::Improvement(imp) => {
            parts.extend(imp.teams.iter().map(|t| t.get_ref().as_str()));
            parts.extend(imp.owner.as_deref());
            parts.extend(imp.customers.as_deref());
            if let Some(m) = &imp.metric {
                parts.push(&m.name);
            }
            if let Some(q) = &imp.quote {
                parts.push(&q.text);
                parts.push(&q.by);
            }
        }
        Data::Milestone(m) => {
            parts.push(&m.phase);
            parts.push(m.owner.get_ref());
            parts.extend(m.teams.iter().map(|t| t.get_ref().as_str()));
            for t in &m.tasks {
                parts.push(t.team.get_ref());
                parts.push(&t.task);
            }
            if let Some(mm) = &m.metric {
                parts.push(&mm.name);
            }
        }
        Data::Recognition(r) => {
            parts.extend(r.people.iter().map(String::as_str));
            if let Some(t) = &r.team {
                parts.push(t.get_ref());
            }
            parts.extend(r.award.as_deref());
        }
        Data::Announcement(_) | Data::Page => {}
    }
    parts.join("\n")
}

/// The teams shown with a result.
fn display_teams(e: &Entry) -> Vec<&str> {
    let all: Vec<&str> = match &e.data {
        Data::Improvement(imp) => imp.teams.iter().map(|t| t.get_ref().as_str()).collect(),
        Data::Milestone(m) => std::iter::once(&m.owner)
            .chain(&m.teams)
            .map(|t| t.get_ref().as_str())
            .collect(),
        Data::Recognition(r) => r.team.iter().map(|t| t.get_ref().as_str()).collect(),
        Data::Announcement(_) | Data::Page => Vec::new(),
    };
    let mut out: Vec<&str> = Vec::new();
    for t in all {
        if !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

/// Collapses white space and cuts `text` to at most [`EXCERPT`] characters at a word break.
fn excerpt(text: &str) -> String {
    let mut out = String::new();
    let mut chars = 0;
    let mut cut = false;
    for w in text.split_whitespace() {
        let n = w.chars().count();
        if chars + n + usize::from(chars > 0) > EXCERPT {
            cut = true;
            break;
        }
        if chars > 0 {
            out.push(' ');
            chars += 1;
        }
        out.push_str(w);
        chars += n;
    }
    if cut {
        if out.is_empty() {
            out = text.trim().chars().take(EXCERPT - 1).collect();
        }
        out.push('…');
    }
    out
}

/// One indexed document, kept between rebuilds.
struct Doc {
    /// The entry's file text when it was indexed.
    source: Arc<str>,
    /// (term id, tf × 2 + in title), in no particular order, with ids of the job that
    /// tokenized it: `ids` turns them into the session's.
    terms: Vec<(u32, u32)>,
    /// Ids of the forms it has, in no particular order, also the job's.
    forms: Vec<u32>,
    /// The job's ids in the session's [`Lexicon`].
    ids: Arc<Ids>,
    /// Words in the title and body.
    len: u32,
    /// Its row of the document table, as JSON.
    row: String,
}

/// Up to 8 bytes as a little-endian number, ASCII letters lower-cased (other bytes as they are).
fn lower_u64(bytes: &[u8]) -> u64 {
    let mut buf = [0u8; 8];
    buf[..bytes.len()].copy_from_slice(bytes);
    lower_u64_word(u64::from_le_bytes(buf))
}

/// A word of at most 16 bytes as a lower-cased key; none for longer words.
fn short_key(word: &[u8]) -> Option<(u64, u64)> {
    match word.len() {
        0..=8 => Some((lower_u64(word), 0)),
        9..=16 => Some((lower_u64(&word[..8]), lower_u64(&word[8..]))),
        _ => None,
    }
}

/// [`short_key`] of the first `len` bytes of `tail`, read 8 bytes at a time when `tail` is long
/// enough (the bytes past the word are masked off).
#[inline]
fn short_key_in(tail: &[u8], len: usize) -> Option<(u64, u64)> {
    if len > 16 || tail.len() < 16 {
        return short_key(tail.get(..len)?);
    }
    let mask = |n: usize| {
        if n >= 8 {
            u64::MAX
        } else {
            (1u64 << (8 * n)) - 1
        }
    };
    let mut a = [0u8; 8];
    let mut b = [0u8; 8];
    a.copy_from_slice(&tail[..8]);
    b.copy_from_slice(&tail[8..16]);
    let k0 = u64::from_le_bytes(a) & mask(len);
    let k1 = if len > 8 {
        u64::from_le_bytes(b) & mask(len - 8)
    } else {
        0
    };
    Some((lower_u64_word(k0), lower_u64_word(k1)))
}

/// ASCII letters of a little-endian 8-byte number lower-cased.
fn lower_u64_word(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let low7 = x & (ONES * 0x7f);
    let from_a = low7 + ONES * (0x80 - u64::from(b'A'));
    let past_z = low7 + ONES * (0x80 - u64::from(b'Z') - 1);
    let upper = from_a & !past_z & !x & (ONES * 0x80);
    x | (upper >> 2)
}

/// One word known to a [`WordMap`].
#[derive(Clone, Copy, Default)]
struct Slot {
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
    slots: Vec<Slot>,
    used: usize,
    shift: u32,
}

impl WordMap {
    fn index(&self, k0: u64, k1: u64, len: usize) -> usize {
        let h =
            (k0 ^ k1.rotate_left(29) ^ ((len as u64) << 57)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (h >> self.shift) as usize
    }

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

/// A tokenizing job's term and form ids as the session's: translating every document's ids
/// would cost more than looking them up when they are read.
struct Ids {
    stems: Vec<u32>,
    forms: Vec<u32>,
}

impl Doc {
    /// The session's id of a term id of this document.
    fn stem(&self, local: u32) -> u32 {
        self.ids.stems[local as usize]
    }

    fn form(&self, local: u32) -> u32 {
        self.ids.forms[local as usize]
    }

    /// (term id, value) with the session's ids, sorted.
    fn sorted_terms(&self) -> Vec<(u32, u32)> {
        let mut v: Vec<(u32, u32)> = self.terms.iter().map(|&(t, x)| (self.stem(t), x)).collect();
        v.sort_unstable();
        v
    }
}

/// Ids local to one tokenizing job, with the words they stand for.
#[derive(Default)]
struct Table {
    words: WordMap,
    /// Words longer than a [`WordMap`] holds.
    long: FxHashMap<Box<str>, u32>,
    word_str: Vec<Box<str>>,
    /// Per word: its stem's id.
    word_stem: Vec<u32>,
    /// Per word: whether it differs from its stem.
    word_form: Vec<bool>,
    stems: FxHashMap<Box<str>, u32>,
    stem_str: Vec<Box<str>>,
    // Per-document scratch, by stem id.
    tf: Vec<u32>,
    in_title: Vec<bool>,
    touched: Vec<u32>,
    // By word id: the last document that had it (`serial`).
    form_seen: Vec<u32>,
    doc_forms: Vec<u32>,
    serial: u32,
    len: u32,
    buf: String,
    text: String,
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

/// What a document is made of, read from the model.
struct Input<'a> {
    entry: &'a Entry,
    /// The entry page's route, which the results link to.
    route: String,
    title: &'a str,
    html: &'a str,
    summary: &'a str,
    meta: String,
}

impl Table {
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
        let e = input.entry;
        let date = e.date().map(|d| d.to_string()).unwrap_or_default();
        let summary = if input.summary.trim().is_empty() {
            excerpt(&self.text)
        } else {
            excerpt(input.summary)
        };
        let row = serde_json::to_string(&(
            &input.route,
            input.title,
            e.kind.name(),
            date,
            display_teams(e),
            summary,
        ))
        .unwrap_or_default();
        self.docs.push((
            index,
            LocalDoc {
                terms,
                forms,
                len: self.len,
                row,
                source: Arc::clone(&e.source),
            },
        ));
    }
}

// ---------------------------------------------------------------------------------------------
// The cache and the lexicon

/// Every term and form the session has met, with ids in order of first meeting (which is not
/// deterministic: nothing written depends on it).
#[derive(Default)]
struct Lexicon {
    stems: FxHashMap<Box<str>, u32>,
    stem_str: Vec<Box<str>>,
    /// Per term: [`fnv`] of its text, and the bytes of its text as a JSON string.
    stem_key: Vec<(u64, u32)>,
    forms: FxHashMap<Box<str>, u32>,
    form_str: Vec<Box<str>>,
    form_key: Vec<(u64, u32)>,
    /// Per form: its term.
    form_stem: Vec<u32>,
}

impl Lexicon {
    fn stem(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.stems.get(s) {
            return id;
        }
        let id = self.stem_str.len() as u32;
        self.stems.insert(s.into(), id);
        self.stem_str.push(s.into());
        self.stem_key.push((fnv(s), json_str_len(s) as u32));
        id
    }

    fn form(&mut self, f: &str, stem: u32) -> u32 {
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

    /// Gives a job's documents the session's ids.
    fn absorb(&mut self, table: Table) -> Vec<(usize, Doc)> {
        let stems: Vec<u32> = table.stem_str.iter().map(|s| self.stem(s)).collect();
        let mut forms: Vec<u32> = vec![u32::MAX; table.word_str.len()];
        for (w, word) in table.word_str.iter().enumerate() {
            if table.word_form[w] {
                forms[w] = self.form(word, stems[table.word_stem[w] as usize]);
            }
        }
        let ids = Arc::new(Ids { stems, forms });
        table
            .docs
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

    /// [`fnv`] of a word's text and the bytes of its text as a JSON string.
    fn key(&self, w: Word) -> (u64, u32) {
        match w {
            Word::Term(s) => self.stem_key[s as usize],
            Word::Form(f) => self.form_key[f as usize],
        }
    }

    fn text(&self, w: Word) -> &str {
        match w {
            Word::Term(s) => &self.stem_str[s as usize],
            Word::Form(f) => &self.form_str[f as usize],
        }
    }
}

/// A word of the index: a term, with its postings, or a form, with its term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Word {
    Term(u32),
    Form(u32),
}

/// The index's order of words: by UTF-16 code units (as the script compares strings), terms
/// before forms of the same text.
fn word_order(lex: &Lexicon, a: Word, b: Word) -> Ordering {
    let (x, y) = (lex.text(a), lex.text(b));
    // UTF-8 byte order is UTF-16 order unless both have characters from U+E000 up.
    let by_text = if x.is_ascii() || y.is_ascii() {
        x.cmp(y)
    } else {
        x.encode_utf16().cmp(y.encode_utf16())
    };
    by_text.then_with(|| matches!(a, Word::Form(_)).cmp(&matches!(b, Word::Form(_))))
}

/// One written file of the index and the hash of its bytes.
#[derive(Clone)]
struct File {
    name: String,
    bytes: Vec<u8>,
    hash: blake3::Hash,
}

impl File {
    fn new(name: String, bytes: Vec<u8>) -> Self {
        let hash = blake3::hash(&bytes);
        File { name, bytes, hash }
    }
}

/// A shard as written: its words, in index order.
struct Shard {
    words: Vec<Word>,
    file: File,
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

// ---------------------------------------------------------------------------------------------
// Writing

#[inline]
fn vlq(mut v: u32, out: &mut Vec<u8>) {
    if v < 32 {
        out.push(B64[v as usize]);
        return;
    }
    loop {
        let d = (v & 31) as usize;
        v >>= 5;
        if v == 0 {
            out.push(B64[d]);
            return;
        }
        out.push(B64[d | 32]);
    }
}

fn is_plain_json(s: &str) -> bool {
    s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\')
}

fn push_json_str(s: &str, out: &mut Vec<u8>) {
    if is_plain_json(s) {
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        // Writing to a Vec cannot fail.
        let _ = serde_json::to_writer(&mut *out, s);
    }
}

fn json_str_len(s: &str) -> usize {
    if is_plain_json(s) {
        s.len() + 2
    } else {
        serde_json::to_string(s).map_or(0, |j| j.len())
    }
}

/// FNV-1a, 64 bits, with MurmurHash3's finalizer to mix the high bits: a hash that no
/// library update can change.
fn fnv(s: &str) -> u64 {
    let mut h = s.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// The bytes a word takes in its shard, with its comma.
fn word_size(lex: &Lexicon, w: Word, postings: &[Vec<u8>]) -> usize {
    let text = lex.key(w).1 as usize;
    match w {
        Word::Term(s) => text + postings[s as usize].len() + 4,
        Word::Form(f) => text + lex.stem_key[lex.form_stem[f as usize] as usize].1 as usize + 2,
    }
}

/// Where shards start in `sorted` (indices, the first is 0). A shard ends before a word when
/// it holds [`SHARD_MIN`] bytes and the word's hash says so, with a chance of the word's size
/// in [`SHARD_TARGET`]; or when the word would take it past [`SHARD_MAX`]. The cuts depend
/// on the words around them only, so an edit moves few of them.
fn layout(lex: &Lexicon, sorted: &[Word], postings: &[Vec<u8>]) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut acc = 0usize;
    for (i, &w) in sorted.iter().enumerate() {
        let size = word_size(lex, w, postings);
        let chance = (lex.key(w).0 >> 32) * SHARD_TARGET as u64;
        // A term and a form of the same text stay together: the script finds both by it.
        let twin = i > 0
            && lex.key(sorted[i - 1]).0 == lex.key(w).0
            && lex.text(sorted[i - 1]) == lex.text(w);
        let cut = i == 0
            || (!twin
                && ((acc > 0 && acc + size > SHARD_MAX)
                    || (acc >= SHARD_MIN && chance < (size as u64) << 32)));
        if cut {
            starts.push(i);
            acc = 0;
        }
        acc += size;
    }
    starts
}

/// A shard's JSON: `{"t":{TERM:POSTINGS,…},"f":{FORM:TERM,…}}`.
fn shard_json(lex: &Lexicon, words: &[Word], postings: &[Vec<u8>]) -> Vec<u8> {
    let size: usize = words.iter().map(|&w| word_size(lex, w, postings)).sum();
    let mut out = Vec::with_capacity(size + 16);
    out.extend_from_slice(b"{\"t\":{");
    let mut first = true;
    for &w in words {
        if let Word::Term(s) = w {
            if !first {
                out.push(b',');
            }
            first = false;
            push_json_str(lex.text(w), &mut out);
            out.extend_from_slice(b":\"");
            out.extend_from_slice(&postings[s as usize]);
            out.push(b'"');
        }
    }
    out.extend_from_slice(b"},\"f\":{");
    first = true;
    for &w in words {
        if let Word::Form(f) = w {
            if !first {
                out.push(b',');
            }
            first = false;
            push_json_str(lex.text(w), &mut out);
            out.push(b':');
            push_json_str(&lex.stem_str[lex.form_stem[f as usize] as usize], &mut out);
        }
    }
    out.extend_from_slice(b"}}");
    out
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

fn chunk_file(name: String, docs: &[Arc<Doc>]) -> File {
    let mut bytes = Vec::with_capacity(docs.iter().map(|d| d.row.len() + 1).sum::<usize>() + 2);
    bytes.push(b'[');
    for (i, d) in docs.iter().enumerate() {
        if i > 0 {
            bytes.push(b',');
        }
        bytes.extend_from_slice(d.row.as_bytes());
    }
    bytes.push(b']');
    File::new(name, bytes)
}

/// The lower bounds of the 64 length classes of the manifest's `lengths`: one by one to 20
/// words, then 15 % apart.
fn length_classes() -> Vec<u32> {
    let mut out = vec![0u32];
    while out.len() < 64 {
        let last = *out.last().unwrap_or(&0);
        out.push(last + (last * 3 / 20).max(1));
    }
    out
}

/// The index files, as paths under the output root and their bytes.
pub fn files(site: &Site, cache: &mut Cache) -> Vec<(String, Vec<u8>)> {
    let salt = (
        site.config.language.clone(),
        site.config.markdown.unsafe_html,
    );
    if cache.salt.as_ref() != Some(&salt) {
        *cache = Cache {
            salt: Some(salt),
            ..Cache::default()
        };
    }
    let analyzer = Analyzer::new(&site.config.language);
    let order: Vec<usize> = site
        .improvements
        .iter()
        .chain(&site.milestones)
        .chain(&site.recognitions)
        .chain(&site.pages)
        .copied()
        .collect();

    // Documents whose file text changed (or that are new) are tokenized again, in parallel, in
    // as few jobs as there are threads: each job learns the words again.
    let reuse: Vec<Option<Arc<Doc>>> = order
        .par_iter()
        .map(|&i| {
            let e = &site.entries[i];
            cache
                .docs
                .get(&e.path)
                .filter(|d| Arc::ptr_eq(&d.source, &e.source) || *d.source == *e.source)
                .cloned()
        })
        .collect();
    let todo: Vec<usize> = (0..order.len()).filter(|&p| reuse[p].is_none()).collect();
    let jobs = rayon::current_num_threads().max(1);
    let tables: Vec<Table> = todo
        .par_iter()
        .with_min_len(todo.len().div_ceil(jobs).max(1))
        .fold(Table::default, |mut table, &p| {
            let i = order[p];
            let input = Input {
                entry: &site.entries[i],
                route: site.routes.entry(&site.entries[i].path),
                title: &site.entries[i].title,
                html: site.html(i),
                summary: &site.summaries[i].1,
                meta: meta_text(site, i),
            };
            table.doc(&analyzer, p, &input);
            table
        })
        .collect();
    let mut docs: Vec<Option<Arc<Doc>>> = reuse;
    for table in tables {
        for (p, d) in cache.lexicon.absorb(table) {
            docs[p] = Some(Arc::new(d));
        }
    }
    let docs: Vec<Arc<Doc>> = docs.into_iter().flatten().collect();
    let same_order = docs.len() == cache.order.len()
        && order.len() == cache.paths.len()
        && order
            .iter()
            .zip(&cache.paths)
            .all(|(&i, p)| site.entries[i].path == *p);
    let lex = &cache.lexicon;
    let terms = lex.stem_str.len();

    // Postings, form counts and the sorted words: what changed, or everything.
    let mut postings = std::mem::take(&mut cache.postings);
    postings.resize(terms, Vec::new());
    let mut form_count = std::mem::take(&mut cache.form_count);
    form_count.resize(lex.form_str.len(), 0);
    let mut changed = vec![false; terms];
    let mut sorted = std::mem::take(&mut cache.sorted);
    let mut dirty_chunks = vec![!same_order; docs.len().div_ceil(CHUNK)];
    if same_order {
        // Each term's (document, value) list, kept from the first rebuild of a session on,
        // so that an edit re-encodes the terms it changed without reading every document.
        let fresh_lists = cache.lists.is_none();
        let mut lists = match cache.lists.take() {
            Some(l) => l,
            None if todo.is_empty() => Vec::new(),
            None => posting_lists(&docs, terms),
        };
        lists.resize(terms, Vec::new());
        let mut wanted: Vec<u32> = Vec::new();
        // Forms the edit touched, with whether any document had them before.
        let mut before: FxHashMap<u32, bool> = FxHashMap::default();
        for &p in &todo {
            let (new, old) = (&docs[p], &cache.order[p]);
            dirty_chunks[p / CHUNK] = true;
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
        let mut flips: Vec<Word> = Vec::new();
        for &s in &wanted {
            let bytes = encode_list(&lists[s as usize]);
            if postings[s as usize].is_empty() != bytes.is_empty() {
                flips.push(Word::Term(s));
            }
            postings[s as usize] = bytes;
        }
        cache.lists = (!todo.is_empty() || !fresh_lists).then_some(lists);
        for (&f, &was) in &before {
            if was != (form_count[f as usize] > 0) {
                flips.push(Word::Form(f));
            }
        }
        if !flips.is_empty() {
            let gone: std::collections::HashSet<Word> = flips
                .iter()
                .copied()
                .filter(|w| match *w {
                    Word::Term(s) => postings[s as usize].is_empty(),
                    Word::Form(f) => form_count[f as usize] == 0,
                })
                .collect();
            let mut added: Vec<Word> = flips.into_iter().filter(|w| !gone.contains(w)).collect();
            added.sort_unstable_by(|&a, &b| word_order(lex, a, b));
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
            sorted = merged;
        }
    } else {
        cache.lists = None;
        let all: Vec<u32> = (0..terms as u32).collect();
        postings = encode(&docs, &all, terms);
        changed.iter_mut().for_each(|c| *c = true);
        form_count.iter_mut().for_each(|c| *c = 0);
        for d in &docs {
            for &f in &d.forms {
                form_count[d.form(f) as usize] += 1;
            }
        }
        sorted = (0..terms as u32)
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
    // Shards: a shard with the same words as before, none of them changed, is kept.
    let unchanged = same_order && todo.is_empty();
    let starts = if unchanged {
        Vec::new()
    } else {
        layout(lex, &sorted, &postings)
    };
    let previous: FxHashMap<Word, usize> = cache
        .shards
        .iter()
        .enumerate()
        .filter_map(|(k, sh)| sh.words.first().map(|&w| (w, k)))
        .collect();
    let mut names: FxHashMap<String, usize> = FxHashMap::default();
    let plan: Vec<(std::ops::Range<usize>, String, Option<usize>)> = starts
        .iter()
        .enumerate()
        .map(|(k, &a)| {
            let b = starts.get(k + 1).copied().unwrap_or(sorted.len());
            let words = &sorted[a..b];
            let mut name = format!("{:016x}", fnv(lex.text(words[0])));
            let n = names.entry(name.clone()).or_insert(0);
            *n += 1;
            if *n > 1 {
                name = format!("{name}-{n}");
            }
            let keep = previous.get(&words[0]).copied().filter(|&j| {
                let old = &cache.shards[j];
                old.words == words
                    && old.file.name == site.routes.search_terms(&name)
                    && words.iter().all(|w| match *w {
                        Word::Term(s) => !changed[s as usize],
                        Word::Form(_) => true,
                    })
            });
            (a..b, name, keep)
        })
        .collect();
    let shards: Vec<Shard> = if unchanged {
        std::mem::take(&mut cache.shards)
    } else {
        let fresh: Vec<Option<File>> = plan
            .par_iter()
            .map(|(range, name, keep)| {
                keep.is_none().then(|| {
                    File::new(
                        site.routes.search_terms(name),
                        shard_json(lex, &sorted[range.clone()], &postings),
                    )
                })
            })
            .collect();
        let mut old: Vec<Option<Shard>> = std::mem::take(&mut cache.shards)
            .into_iter()
            .map(Some)
            .collect();
        plan.iter()
            .zip(fresh)
            .map(|((range, name, keep), file)| {
                let words = &sorted[range.clone()];
                let file = file
                    .or_else(|| keep.and_then(|j| old[j].take()).map(|sh| sh.file))
                    .unwrap_or_else(|| {
                        File::new(
                            site.routes.search_terms(name),
                            shard_json(lex, words, &postings),
                        )
                    });
                Shard {
                    words: words.to_vec(),
                    file,
                }
            })
            .collect()
    };
    // The document table.
    let mut chunks = std::mem::take(&mut cache.chunks);
    chunks.truncate(dirty_chunks.len());
    let fresh: Vec<(usize, File)> = dirty_chunks
        .par_iter()
        .enumerate()
        .filter(|(n, d)| **d || *n >= chunks.len())
        .map(|(n, _)| {
            let end = (n * CHUNK + CHUNK).min(docs.len());
            (
                n,
                chunk_file(site.routes.search_docs(n), &docs[n * CHUNK..end]),
            )
        })
        .collect();
    for (n, f) in fresh {
        if n < chunks.len() {
            chunks[n] = f;
        } else {
            chunks.push(f);
        }
    }
    // The manifest.
    let classes = length_classes();
    let lengths: String = docs
        .iter()
        .map(|d| {
            let class = classes.partition_point(|&c| c <= d.len).saturating_sub(1);
            B64[class] as char
        })
        .collect();
    let mut version = blake3::Hasher::new();
    for sh in &shards {
        version.update(sh.file.name.as_bytes());
        version.update(sh.file.hash.as_bytes());
    }
    for f in &chunks {
        version.update(f.hash.as_bytes());
    }
    version.update(lengths.as_bytes());
    let manifest = serde_json::json!({
        "format": FORMAT,
        "version": version.finalize().to_hex()[..12].to_string(),
        "language": site.config.language,
        "stemmer": analyzer.name,
        "docs": docs.len(),
        "chunk": CHUNK,
        "lengths": lengths,
        "length_classes": classes,
        "shards": shards
            .iter()
            .map(|sh| {
                let name = sh
                    .file
                    .name
                    .trim_start_matches(site.routes.search_terms_dir())
                    .trim_end_matches(".json");
                serde_json::json!([lex.text(sh.words[0]), name])
            })
            .collect::<Vec<_>>(),
    });
    let mut out: Vec<(String, Vec<u8>)> = Vec::with_capacity(shards.len() + chunks.len() + 1);
    out.push((
        site.routes.search_index(),
        manifest.to_string().into_bytes(),
    ));
    for sh in &shards {
        out.push((sh.file.name.clone(), sh.file.bytes.clone()));
    }
    for f in &chunks {
        out.push((f.name.clone(), f.bytes.clone()));
    }
    if same_order {
        for &p in &todo {
            cache
                .docs
                .insert(cache.paths[p].clone(), Arc::clone(&docs[p]));
        }
    } else {
        cache.paths = order
            .iter()
            .map(|&i| site.entries[i].path.clone())
            .collect();
        cache.docs = cache
            .paths
            .iter()
            .zip(&docs)
            .map(|(p, d)| (p.clone(), Arc::clone(d)))
            .collect();
    }
    cache.order = docs;
    cache.postings = postings;
    cache.form_count = form_count;
    cache.sorted = sorted;
    cache.shards = shards;
    cache.chunks = chunks;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn ws(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        words(text, &mut |w, _, _| out.push(w.to_string()));
        out
    }

    #[test]
    fn ascii_words_follow_the_unicode_rules() {
        // A small generator over the characters the ASCII rules treat specially.
        let alphabet = [
            'a', 'b', '1', ' ', '2', '_', '.', ':', '\'', ',', ';', '"', '-', '!', '\t', '\n', 'Z',
            '9', 'é', '’', '—', '\u{301}', '²', '\u{ad}',
        ];
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..100_000 {
            let mut s = String::new();
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let len = (x % 14) as usize;
            for k in 0..len {
                let r = x.rotate_left(k as u32 * 5) as usize;
                s.push(alphabet[(r ^ (r >> 7)) % alphabet.len()]);
            }
            let expected: Vec<&str> = s.unicode_words().collect();
            assert_eq!(ws(&s), expected, "{s:?}");
        }
        for s in [
            "e.g. U.S.A. don't 3.14 1,000,000 a:b foo_bar _x_ 12'34 a1.b2",
            "café naïve don’t “quoted” — 2026-11-23 ½ x²",
            "Refunds land in two days, not ten.",
        ] {
            let expected: Vec<&str> = s.unicode_words().collect();
            assert_eq!(ws(s), expected, "{s:?}");
        }
    }

    #[test]
    fn terms_are_lower_case_stems() {
        assert_eq!(
            terms("en", "Refunds REFUNDED refunding"),
            ["refund", "refund", "refund"]
        );
        assert_eq!(terms("en-GB", "Customers’ bills"), ["custom", "bill"]);
        assert_eq!(terms("xx", "Refunds"), ["refunds"]);
        assert_eq!(terms("fr", "remboursements"), ["rembours"]);
    }

    #[test]
    fn html_becomes_text() {
        let mut out = String::new();
        html_text(
            "<h2 id=\"x\">What&nbsp;was <em>wr</em>ong</h2><p>A &amp; B&#39;s<sup>1</sup></p><!-- c --><script>var x;</script>end &bogus; caf&#xE9;",
            &mut out,
        );
        let got: Vec<String> = ws(&out);
        assert_eq!(
            got,
            [
                "What", "was", "wrong", "A", "B's", "1", "end", "bogus", "café"
            ]
        );
    }

    #[test]
    fn vlq_numbers_round_trip() {
        let mut out = Vec::new();
        for v in [0, 1, 31, 32, 1000, 1 << 20] {
            out.clear();
            vlq(v, &mut out);
            let mut n = 0u32;
            for (k, c) in out.iter().enumerate() {
                let d = B64.iter().position(|x| x == c).expect("base 64") as u32;
                n |= (d & 31) << (5 * k);
                assert_eq!(d & 32 != 0, k + 1 < out.len());
            }
            assert_eq!(n, v);
        }
    }

    #[test]
    fn excerpts_end_at_a_word() {
        let long = "word ".repeat(100);
        let e = excerpt(&long);
        assert!(e.ends_with("word…"), "{e}");
        assert!(e.chars().count() <= EXCERPT + 1);
        assert_eq!(excerpt("  short\n text "), "short text");
    }

    #[test]
    fn shard_cuts_depend_on_nearby_words_only() {
        let mut lex = Lexicon::default();
        let mut postings = Vec::new();
        for i in 0..3000 {
            let s = lex.stem(&format!("w{i:05}"));
            postings.push(vec![b'A'; 20 + (i % 7) * 30]);
            assert_eq!(s as usize, i);
        }
        let words: Vec<Word> = (0..3000).map(Word::Term).collect();
        let before = layout(&lex, &words, &postings);
        let sizes = |starts: &[usize], postings: &[Vec<u8>]| -> Vec<usize> {
            starts
                .iter()
                .enumerate()
                .map(|(k, &a)| {
                    let b = starts.get(k + 1).copied().unwrap_or(words.len());
                    words[a..b]
                        .iter()
                        .map(|&w| word_size(&lex, w, postings))
                        .sum()
                })
                .collect()
        };
        let n = before.len();
        assert!((10..=30).contains(&n), "{n} shards");
        for (k, size) in sizes(&before, &postings).into_iter().enumerate() {
            assert!(size <= SHARD_MAX, "shard {k}: {size}");
            if k + 1 < n {
                assert!(size >= SHARD_MIN, "shard {k}: {size}");
            }
        }
        // One word's postings grow: the cuts far from it stay where they were.
        postings[1500].extend_from_slice(&[b'B'; 400]);
        let after = layout(&lex, &words, &postings);
        let same_before: Vec<&usize> = before.iter().filter(|&&c| c <= 1500).collect();
        let same_after: Vec<&usize> = after.iter().filter(|&&c| c <= 1500).collect();
        assert_eq!(same_before, same_after);
        let moved = before.iter().filter(|c| !after.contains(c)).count();
        assert!(moved <= 2, "{moved} cuts moved");
    }

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

    #[test]
    fn length_classes_grow_by_fifteen_percent() {
        let c = length_classes();
        assert_eq!(c.len(), 64);
        assert_eq!(&c[..4], &[0, 1, 2, 3]);
        assert!(c[63] > 5000, "{}", c[63]);
        for w in c.windows(2) {
            assert!(w[1] > w[0]);
        }
    }
}
