//! URL slugs for names (teams, tags, metric keys).

/// A URL slug for a team or tag name.
pub fn slugify(s: &str) -> String {
    ::slug::slugify(s)
}
