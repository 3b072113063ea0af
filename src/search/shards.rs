//! Writing the index files: the term shards (cut where the words' hashes say, so that an edit
//! rewrites few of them; a shard whose words did not change is kept), the slices of the
//! document table, and the manifest that lists them.

use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::encoding::{B64, fnv, push_json_str};
use super::index::{Doc, Index, Lexicon, Word};
use crate::model::Site;
use crate::routes::Routes;

/// A shard ends only once it has this many bytes of JSON...
pub const SHARD_MIN: usize = 8 * 1024;
/// ...then, on average, this many more...
pub const SHARD_TARGET: usize = 16 * 1024;
/// ...and before a word that would take it past this (a shard of one word may be larger).
pub const SHARD_MAX: usize = 32 * 1024;
/// Documents per slice of the document table.
pub const CHUNK: usize = 32;
/// The version of the format (described in the `search` module's documentation).
const FORMAT: u32 = 1;

/// One written file of the index and the hash of its bytes.
#[derive(Clone)]
pub(super) struct File {
    /// Its path under the output root.
    pub(super) name: String,
    /// Its content.
    pub(super) bytes: Vec<u8>,
    /// The hash of `bytes`, for the manifest's version.
    hash: blake3::Hash,
}

impl File {
    /// The file `name` of `bytes`.
    fn new(name: String, bytes: Vec<u8>) -> Self {
        let hash = blake3::hash(&bytes);
        File { name, bytes, hash }
    }
}

/// A shard as written: its words, in index order.
pub(super) struct Shard {
    /// Its words, in index order.
    words: Vec<Word>,
    /// Its file.
    pub(super) file: File,
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

/// The shards of this build: the last build's (`last`) when nothing changed; else cut anew by
/// [`layout`], each written again unless [`plan`] found a shard of the last build to keep.
pub(super) fn shards(
    routes: &Routes,
    lex: &Lexicon,
    index: &Index,
    last: Vec<Shard>,
    unchanged: bool,
) -> Vec<Shard> {
    let (sorted, postings) = (&index.sorted, &index.postings);
    let starts = if unchanged {
        Vec::new()
    } else {
        layout(lex, sorted, postings)
    };
    let plan = plan(routes, lex, index, &starts, &last);
    if unchanged {
        last
    } else {
        write(routes, lex, index, &plan, last)
    }
}

/// Per shard starting at `starts`: its range of the sorted words, its name (the hash of its
/// first word, with `-2`, `-3`… when shards share it) and the shard of the last build it keeps,
/// if one has the same words and name and none of its terms changed.
fn plan(
    routes: &Routes,
    lex: &Lexicon,
    index: &Index,
    starts: &[usize],
    last: &[Shard],
) -> Vec<(Range<usize>, String, Option<usize>)> {
    let (sorted, changed) = (&index.sorted, &index.changed);
    let previous: FxHashMap<Word, usize> = last
        .iter()
        .enumerate()
        .filter_map(|(k, sh)| sh.words.first().map(|&w| (w, k)))
        .collect();
    let mut names: FxHashMap<String, usize> = FxHashMap::default();
    starts
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
                let old = &last[j];
                old.words == words
                    && old.file.name == routes.search_terms(&name)
                    && words.iter().all(|w| match *w {
                        Word::Term(s) => !changed[s as usize],
                        Word::Form(_) => true,
                    })
            });
            (a..b, name, keep)
        })
        .collect()
}

/// The shards of `plan`: the new ones written in parallel, the kept ones taken from `last`.
fn write(
    routes: &Routes,
    lex: &Lexicon,
    index: &Index,
    plan: &[(Range<usize>, String, Option<usize>)],
    last: Vec<Shard>,
) -> Vec<Shard> {
    let (sorted, postings) = (&index.sorted, &index.postings);
    let fresh: Vec<Option<File>> = plan
        .par_iter()
        .map(|(range, name, keep)| {
            keep.is_none().then(|| {
                File::new(
                    routes.search_terms(name),
                    shard_json(lex, &sorted[range.clone()], postings),
                )
            })
        })
        .collect();
    let mut old: Vec<Option<Shard>> = last.into_iter().map(Some).collect();
    plan.iter()
        .zip(fresh)
        .map(|((range, name, keep), file)| {
            let words = &sorted[range.clone()];
            let file = file
                .or_else(|| keep.and_then(|j| old[j].take()).map(|sh| sh.file))
                .unwrap_or_else(|| {
                    File::new(routes.search_terms(name), shard_json(lex, words, postings))
                });
            Shard {
                words: words.to_vec(),
                file,
            }
        })
        .collect()
}

/// A slice of the document table: the rows of `docs`, as a JSON array.
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

/// Which slices of the document table to write again: all when the document order changed,
/// else those holding a document tokenized again (at the positions `todo`).
pub(super) fn dirty_chunks(docs: usize, same_order: bool, todo: &[usize]) -> Vec<bool> {
    let mut dirty_chunks = vec![!same_order; docs.div_ceil(CHUNK)];
    if same_order {
        for &p in todo {
            dirty_chunks[p / CHUNK] = true;
        }
    }
    dirty_chunks
}

/// The slices of the document table: the last build's (`chunks`), cut to the documents' count,
/// with those marked in `dirty_chunks` and the new ones at the end made again.
pub(super) fn chunks(
    routes: &Routes,
    docs: &[Arc<Doc>],
    mut chunks: Vec<File>,
    dirty_chunks: &[bool],
) -> Vec<File> {
    chunks.truncate(dirty_chunks.len());
    let fresh: Vec<(usize, File)> = dirty_chunks
        .par_iter()
        .enumerate()
        .filter(|(n, d)| **d || *n >= chunks.len())
        .map(|(n, _)| {
            let end = (n * CHUNK + CHUNK).min(docs.len());
            (n, chunk_file(routes.search_docs(n), &docs[n * CHUNK..end]))
        })
        .collect();
    for (n, f) in fresh {
        if n < chunks.len() {
            chunks[n] = f;
        } else {
            chunks.push(f);
        }
    }
    chunks
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

/// The manifest's bytes: the format, the version (a hash of the other files), the language and
/// `stemmer`, the documents' length classes and the shards' first words and names.
pub(super) fn manifest(
    site: &Site,
    stemmer: Option<&str>,
    lex: &Lexicon,
    docs: &[Arc<Doc>],
    shards: &[Shard],
    chunks: &[File],
) -> Vec<u8> {
    let classes = length_classes();
    let lengths: String = docs
        .iter()
        .map(|d| {
            let class = classes.partition_point(|&c| c <= d.len).saturating_sub(1);
            B64[class] as char
        })
        .collect();
    let mut version = blake3::Hasher::new();
    for sh in shards {
        version.update(sh.file.name.as_bytes());
        version.update(sh.file.hash.as_bytes());
    }
    for f in chunks {
        version.update(f.hash.as_bytes());
    }
    version.update(lengths.as_bytes());
    let manifest = serde_json::json!({
        "format": FORMAT,
        "version": version.finalize().to_hex()[..12].to_string(),
        "language": site.config.language,
        "stemmer": stemmer,
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
    manifest.to_string().into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

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
