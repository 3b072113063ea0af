//! Byte-level helpers of the index files: base-64 VLQ numbers (the postings), JSON strings
//! written without a serializer when they need no escaping, the FNV hash that decides shard
//! cuts and names, and the lower-cased 8-byte keys the tokenizer finds words by.

/// The base-64 alphabet of the postings and of the manifest's `lengths`.
pub(super) const B64: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Appends `v` as a base-64 VLQ number: 5 bits a character, least significant first, 32 set on
/// every character but the last.
#[inline]
pub(super) fn vlq(mut v: u32, out: &mut Vec<u8>) {
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

/// Whether `s` needs no escaping in a JSON string.
fn is_plain_json(s: &str) -> bool {
    s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\')
}

/// Appends `s` as a JSON string.
pub(super) fn push_json_str(s: &str, out: &mut Vec<u8>) {
    if is_plain_json(s) {
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        // Writing to a Vec cannot fail.
        let _ = serde_json::to_writer(&mut *out, s);
    }
}

/// The bytes `s` takes as a JSON string.
pub(super) fn json_str_len(s: &str) -> usize {
    if is_plain_json(s) {
        s.len() + 2
    } else {
        serde_json::to_string(s).map_or(0, |j| j.len())
    }
}

/// FNV-1a, 64 bits, with MurmurHash3's finalizer to mix the high bits: a hash that no
/// library update can change.
pub(super) fn fnv(s: &str) -> u64 {
    let mut h = s.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// Up to 8 bytes as a little-endian number, ASCII letters lower-cased (other bytes as they are).
pub(super) fn lower_u64(bytes: &[u8]) -> u64 {
    let mut buf = [0u8; 8];
    buf[..bytes.len()].copy_from_slice(bytes);
    lower_u64_word(u64::from_le_bytes(buf))
}

/// A word of at most 16 bytes as a lower-cased key; none for longer words.
pub(super) fn short_key(word: &[u8]) -> Option<(u64, u64)> {
    match word.len() {
        0..=8 => Some((lower_u64(word), 0)),
        9..=16 => Some((lower_u64(&word[..8]), lower_u64(&word[8..]))),
        _ => None,
    }
}

/// [`short_key`] of the first `len` bytes of `tail`, read 8 bytes at a time when `tail` is long
/// enough (the bytes past the word are masked off).
#[inline]
pub(super) fn short_key_in(tail: &[u8], len: usize) -> Option<(u64, u64)> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
