//! Turning a request's URL path into a file inside the output folder, or a refusal.
//!
//! This module owns the one rule of `herald serve` that protects the machine it runs on: a
//! request is only ever answered with a regular file that lies inside the output folder (SPEC
//! §8). [`resolve`] takes the URL path below the site's mount point exactly as it arrived —
//! still percent-encoded, perhaps with a query string — and either returns the canonical path of
//! the file to send or a [`Refusal`] saying which status to answer with.
//!
//! The checks, in order:
//!
//! 1. The query string and fragment (`?…`, `#…`) are dropped.
//! 2. The path is percent-decoded once; bytes that are not UTF-8 afterwards are refused
//!    ([`Refusal::BadRequest`]), as is any control character (NUL included) and any backslash,
//!    raw or encoded, since Windows treats it as a separator.
//! 3. After decoding, segments `.` and `..` are refused, however they were spelled (`%2e%2e`,
//!    `.%2e`, `..%2f`); so are absolute-looking paths (`//etc/passwd`, `%2fetc`), empty segments
//!    other than a trailing slash, and any segment holding `:` (`C:`, alternate data streams).
//! 4. The segments are joined on the output folder; a directory means its `index.html`.
//! 5. The result is canonicalized (every symlink followed) and must still lie inside the
//!    canonical output folder and be a regular file; otherwise [`Refusal::NotFound`]. This is
//!    what stops a symlink inside the output that points outside it, while a symlink that stays
//!    inside may be served. A missing file or a symlink loop is also [`Refusal::NotFound`].
//!
//! The caller should open the returned canonical path, not the one it joined itself.

use std::path::{Path, PathBuf};

use percent_encoding::percent_decode_str;

/// Why a request path is not answered with a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The path is malformed or tries to leave the output folder: answer 400.
    BadRequest,
    /// No file inside the output folder answers this path: answer 404.
    NotFound,
}

impl Refusal {
    /// The HTTP status code this refusal is answered with (400 or 404).
    pub fn status(self) -> u16 {
        match self {
            Refusal::BadRequest => 400,
            Refusal::NotFound => 404,
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Refusal::BadRequest => "bad request path",
            Refusal::NotFound => "not found",
        })
    }
}

impl std::error::Error for Refusal {}

/// Resolves `request_path` — the URL path below the site's mount point, as received — to the
/// canonical path of a regular file inside `root`, the output folder.
///
/// `"/"`, `""` and `"/guide/"` name directories and resolve to their `index.html`. See the
/// [module documentation](self) for every rule.
///
/// # Errors
///
/// [`Refusal::BadRequest`] for a path that is malformed or tries to climb out (`..` in any
/// spelling, backslashes, control characters, absolute paths, drive letters, invalid UTF-8);
/// [`Refusal::NotFound`] for a path that names nothing, names something that is not a regular
/// file, or leads (through a symlink) outside `root`.
pub fn resolve(root: &Path, request_path: &str) -> Result<PathBuf, Refusal> {
    let segments = segments(request_path)?;
    let trailing_slash = segments.last().is_some_and(String::is_empty);

    let mut target = root.to_path_buf();
    for segment in segments.iter().filter(|s| !s.is_empty()) {
        target.push(segment);
    }
    if target.is_dir() {
        target.push(crate::routes::PAGE_FILE);
    } else if trailing_slash {
        // `page.html/` names a directory that is not there.
        return Err(Refusal::NotFound);
    }

    let root = std::fs::canonicalize(root).map_err(|_| Refusal::NotFound)?;
    // Fails for a missing file, a dangling symlink and a symlink loop (ELOOP): no hang.
    let canonical = std::fs::canonicalize(&target).map_err(|_| Refusal::NotFound)?;
    if !canonical.starts_with(&root) {
        return Err(Refusal::NotFound);
    }
    // Not a FIFO, socket or device that happens to live in the output folder.
    let is_file = std::fs::metadata(&canonical).is_ok_and(|m| m.is_file());
    if !is_file {
        return Err(Refusal::NotFound);
    }
    Ok(canonical)
}

/// The decoded segments of `request_path`, checked; a trailing slash gives a last empty
/// segment, and the root (`""` or `"/"`) gives no segments at all.
fn segments(request_path: &str) -> Result<Vec<String>, Refusal> {
    let path = request_path
        .split(['?', '#'])
        .next()
        .unwrap_or(request_path);
    // One leading slash is the mount point's own; any more, raw or encoded, is absolute.
    let path = path.strip_prefix('/').unwrap_or(path);
    let decoded = percent_decode_str(path)
        .decode_utf8()
        .map_err(|_| Refusal::BadRequest)?;
    if decoded.chars().any(|c| c.is_control() || c == '\\') {
        return Err(Refusal::BadRequest);
    }
    if decoded.is_empty() {
        return Ok(Vec::new());
    }
    let parts: Vec<&str> = decoded.split('/').collect();
    let last = parts.len() - 1;
    for (i, part) in parts.iter().enumerate() {
        let bad = match *part {
            "" => i != last,
            "." | ".." => true,
            p => p.contains(':'),
        };
        if bad {
            return Err(Refusal::BadRequest);
        }
    }
    Ok(parts.into_iter().map(str::to_string).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An output folder with a page, a section with an index, and a file beside it (outside).
    struct Fixture {
        dir: tempfile::TempDir,
    }

    impl Fixture {
        fn new() -> Self {
            let dir = tempfile::tempdir().expect("tempdir");
            let out = dir.path().join("public");
            std::fs::create_dir_all(out.join("guide")).expect("mkdir");
            std::fs::write(out.join("index.html"), "home").expect("write");
            std::fs::write(out.join("guide/index.html"), "guide").expect("write");
            std::fs::write(out.join("style.css"), "css").expect("write");
            std::fs::write(out.join("a b.txt"), "space").expect("write");
            std::fs::write(dir.path().join("site.toml"), "secret").expect("write");
            Fixture { dir }
        }

        fn root(&self) -> PathBuf {
            self.dir.path().join("public")
        }

        fn resolve(&self, path: &str) -> Result<PathBuf, Refusal> {
            resolve(&self.root(), path)
        }

        fn canonical(&self, rel: &str) -> PathBuf {
            std::fs::canonicalize(self.root().join(rel)).expect("canonicalize")
        }
    }

    #[test]
    fn serves_files_and_directory_indexes() {
        let f = Fixture::new();
        assert_eq!(f.resolve("/"), Ok(f.canonical("index.html")));
        assert_eq!(f.resolve(""), Ok(f.canonical("index.html")));
        assert_eq!(f.resolve("/style.css"), Ok(f.canonical("style.css")));
        assert_eq!(f.resolve("style.css"), Ok(f.canonical("style.css")));
        assert_eq!(f.resolve("/guide/"), Ok(f.canonical("guide/index.html")));
        assert_eq!(f.resolve("/guide"), Ok(f.canonical("guide/index.html")));
        assert_eq!(
            f.resolve("/guide/index.html"),
            Ok(f.canonical("guide/index.html"))
        );
        assert_eq!(f.resolve("/a%20b.txt"), Ok(f.canonical("a b.txt")));
    }

    #[test]
    fn query_strings_and_fragments_are_ignored() {
        let f = Fixture::new();
        assert_eq!(f.resolve("/style.css?v=abc"), Ok(f.canonical("style.css")));
        assert_eq!(
            f.resolve("/guide/#top"),
            Ok(f.canonical("guide/index.html"))
        );
        assert_eq!(f.resolve("/?x=../../etc"), Ok(f.canonical("index.html")));
        // A `?` encoded in the path is part of the name, not a query.
        assert_eq!(f.resolve("/style.css%3Fv=1"), Err(Refusal::NotFound));
    }

    #[test]
    fn missing_files_are_not_found() {
        let f = Fixture::new();
        assert_eq!(f.resolve("/nope.html"), Err(Refusal::NotFound));
        assert_eq!(f.resolve("/nope/"), Err(Refusal::NotFound));
        assert_eq!(f.resolve("/style.css/"), Err(Refusal::NotFound));
        assert_eq!(f.resolve("/style.css/x"), Err(Refusal::NotFound));
        // A directory without an index.
        std::fs::create_dir(f.root().join("empty")).expect("mkdir");
        assert_eq!(f.resolve("/empty/"), Err(Refusal::NotFound));
        // A missing root.
        assert_eq!(
            resolve(&f.dir.path().join("gone"), "/"),
            Err(Refusal::NotFound)
        );
    }

    #[test]
    fn dot_segments_in_any_spelling_are_bad_requests() {
        let f = Fixture::new();
        for path in [
            "/../site.toml",
            "../site.toml",
            "/..",
            "/guide/../../site.toml",
            "/guide/..",
            "/./style.css",
            "/.",
            "/%2e%2e/site.toml",
            "/%2E%2E/site.toml",
            "/.%2e/site.toml",
            "/%2e./site.toml",
            "/..%2fsite.toml",
            "/%2e%2e%2fsite.toml",
            "/%2e%2e%2Fsite.toml",
            "/guide%2f..%2f..%2fsite.toml",
            "/%2e/style.css",
        ] {
            assert_eq!(f.resolve(path), Err(Refusal::BadRequest), "{path}");
        }
        // Names that merely contain dots are fine.
        std::fs::write(f.root().join("..."), "dots").expect("write");
        std::fs::write(f.root().join("..x"), "dots").expect("write");
        assert_eq!(f.resolve("/..."), Ok(f.canonical("...")));
        assert_eq!(f.resolve("/..x"), Ok(f.canonical("..x")));
    }

    #[test]
    fn decoding_happens_once() {
        let f = Fixture::new();
        // `%252e` decodes to the literal name `%2e`, not to a dot.
        assert_eq!(f.resolve("/%252e%252e/site.toml"), Err(Refusal::NotFound));
        std::fs::write(f.root().join("%2e%2e"), "literal").expect("write");
        assert_eq!(f.resolve("/%252e%252e"), Ok(f.canonical("%2e%2e")));
    }

    #[test]
    fn backslashes_are_bad_requests() {
        let f = Fixture::new();
        for path in [
            "/..\\site.toml",
            "/..%5csite.toml",
            "/..%5Csite.toml",
            "/%5c..%5csite.toml",
            "/guide\\index.html",
            "/C:%5cWindows%5cwin.ini",
        ] {
            assert_eq!(f.resolve(path), Err(Refusal::BadRequest), "{path}");
        }
    }

    #[test]
    fn control_characters_are_bad_requests() {
        let f = Fixture::new();
        for path in [
            "/%00",
            "/style.css%00.html",
            "/style.css\0",
            "/a%0d%0aSet-Cookie:x",
            "/a%0a",
            "/a%09b",
            "/a%7f",
            "/a%c2%85",
        ] {
            assert_eq!(f.resolve(path), Err(Refusal::BadRequest), "{path:?}");
        }
    }

    #[test]
    fn invalid_utf8_is_a_bad_request() {
        let f = Fixture::new();
        for path in ["/%ff", "/%c3", "/%c0%ae%c0%ae/site.toml", "/%e0%80%ae"] {
            assert_eq!(f.resolve(path), Err(Refusal::BadRequest), "{path}");
        }
        // Valid UTF-8 is decoded: a file named in Unicode is found.
        std::fs::write(f.root().join("café.html"), "ok").expect("write");
        assert_eq!(f.resolve("/caf%C3%A9.html"), Ok(f.canonical("café.html")));
        // A lone `%` that is not an escape stays literal.
        assert_eq!(f.resolve("/100%"), Err(Refusal::NotFound));
    }

    #[test]
    fn absolute_looking_paths_are_refused() {
        let f = Fixture::new();
        for path in [
            "//etc/passwd",
            "/%2fetc%2fpasswd",
            "%2fetc%2fpasswd",
            "/%2F%2Fetc/passwd",
            "///etc/passwd",
            "/guide//index.html",
            "/C:/Windows/win.ini",
            "/c:",
            "/C%3a/Windows",
            "/style.css::$DATA",
        ] {
            assert_eq!(f.resolve(path), Err(Refusal::BadRequest), "{path}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_the_output_are_not_found() {
        let f = Fixture::new();
        let root = f.root();
        std::os::unix::fs::symlink("/etc", root.join("escape")).expect("symlink");
        std::os::unix::fs::symlink(f.dir.path().join("site.toml"), root.join("secret.txt"))
            .expect("symlink");
        std::os::unix::fs::symlink("..", root.join("up")).expect("symlink");
        std::os::unix::fs::symlink("/", root.join("slash")).expect("symlink");
        for path in [
            "/escape/passwd",
            "/escape/",
            "/escape",
            "/secret.txt",
            "/up/site.toml",
            "/up/",
            "/slash/etc/passwd",
        ] {
            assert_eq!(f.resolve(path), Err(Refusal::NotFound), "{path}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_that_stay_inside_are_served() {
        let f = Fixture::new();
        let root = f.root();
        std::os::unix::fs::symlink("style.css", root.join("alias.css")).expect("symlink");
        std::os::unix::fs::symlink("guide", root.join("docs")).expect("symlink");
        assert_eq!(f.resolve("/alias.css"), Ok(f.canonical("style.css")));
        assert_eq!(f.resolve("/docs/"), Ok(f.canonical("guide/index.html")));
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_output_folder_is_still_served() {
        let f = Fixture::new();
        let link = f.dir.path().join("current");
        std::os::unix::fs::symlink(f.root(), &link).expect("symlink");
        assert_eq!(resolve(&link, "/style.css"), Ok(f.canonical("style.css")));
        std::os::unix::fs::symlink(f.dir.path().join("site.toml"), f.root().join("s"))
            .expect("symlink");
        assert_eq!(resolve(&link, "/s"), Err(Refusal::NotFound));
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_are_not_found() {
        let f = Fixture::new();
        let root = f.root();
        std::os::unix::fs::symlink("loop-b", root.join("loop-a")).expect("symlink");
        std::os::unix::fs::symlink("loop-a", root.join("loop-b")).expect("symlink");
        std::os::unix::fs::symlink("self", root.join("self")).expect("symlink");
        std::os::unix::fs::symlink(".", root.join("here")).expect("symlink");
        std::os::unix::fs::symlink("dangling-target", root.join("dangling")).expect("symlink");
        for path in [
            "/loop-a",
            "/loop-b/",
            "/self",
            "/self/x",
            "/dangling",
            "/here/here/here/here/nope",
        ] {
            assert_eq!(f.resolve(path), Err(Refusal::NotFound), "{path}");
        }
        // A symlink to the output folder itself stays inside.
        assert_eq!(
            f.resolve("/here/here/style.css"),
            Ok(f.canonical("style.css"))
        );
    }

    #[cfg(unix)]
    #[test]
    fn special_files_are_not_served() {
        let f = Fixture::new();
        let root = f.root();
        let _listener =
            std::os::unix::net::UnixListener::bind(root.join("sock")).expect("bind socket");
        assert_eq!(f.resolve("/sock"), Err(Refusal::NotFound));
        std::os::unix::fs::symlink("/dev/zero", root.join("zero")).expect("symlink");
        assert_eq!(f.resolve("/zero"), Err(Refusal::NotFound));
    }

    #[test]
    fn refusals_name_their_status() {
        assert_eq!(Refusal::BadRequest.status(), 400);
        assert_eq!(Refusal::NotFound.status(), 404);
        assert_eq!(Refusal::NotFound.to_string(), "not found");
    }
}
