//! From text to terms: the text of an HTML fragment, its words by the Unicode word rules (with
//! an ASCII fast path), their normal form (lower case, straight apostrophes) and their stems.

use unicode_segmentation::UnicodeSegmentation;

use super::encoding::lower_u64;
use crate::util::escape::char_reference;

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
pub(super) struct Analyzer {
    /// The language's Snowball stemmer, if it has one.
    stemmer: Option<rust_stemmers::Stemmer>,
    /// The stemmer's name, for the manifest.
    pub(super) name: Option<&'static str>,
}

impl Analyzer {
    /// The analyzer of a BCP 47 language tag.
    pub(super) fn new(language: &str) -> Self {
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
    pub(super) fn stem(&self, word: &str) -> String {
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
pub(super) fn normalize(word: &str, out: &mut String) {
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

/// The classes of every byte.
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
pub(super) fn words(text: &str, f: &mut impl FnMut(&str, &[u8], bool)) {
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
pub(super) fn html_text(html: &str, out: &mut String) {
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
            let (decoded, used) = char_reference(&html[i..]);
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

/// How the tag `name` (without `/`) affects the text around it.
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
}
