//! Short content hashes, for cache-busting asset URLs and build versions.

/// A short content hash for cache-busting asset URLs.
pub fn short_hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex()[..10].to_string()
}
