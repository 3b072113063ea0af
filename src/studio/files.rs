//! The studio's files: which content file a request may name, and the name a new item gets.
//! Writing them is [`crate::util::fs::write_atomic`]'s.

use std::path::{Component, Path, PathBuf};

use crate::schema::KindSchema;

/// Why a name from a request is refused.
pub(crate) const OUTSIDE: &str =
    "the studio only opens Markdown files inside content/, named relative to it";

/// The content file that `name` (relative to `content/`, `/`-separated, as the studio sends
/// it) means, checked: no absolute path, no `..`, no backslash or NUL, a `.md` file, and, with
/// every link followed, inside `content/`. `must_exist` asks for an existing file.
pub(crate) fn content_file(root: &Path, name: &str, must_exist: bool) -> Result<PathBuf, String> {
    let name = name.trim();
    if name.is_empty()
        || name.contains(['\\', '\0', ':'])
        || name.starts_with('/')
        || !name.ends_with(".md")
        || name.len() > 400
    {
        return Err(OUTSIDE.into());
    }
    let rel = Path::new(name);
    if rel
        .components()
        .any(|c| !matches!(c, Component::Normal(p) if !p.to_string_lossy().starts_with('.')))
    {
        return Err(OUTSIDE.into());
    }
    let content = root.join("content");
    let path = content.join(rel);
    let real_content = content
        .canonicalize()
        .map_err(|_| "the site has no content/ folder".to_string())?;
    // The deepest folder that exists, with links followed, must be inside content/.
    let mut probe = path.as_path();
    loop {
        if let Ok(real) = probe.canonicalize() {
            if !real.starts_with(&real_content) {
                return Err(OUTSIDE.into());
            }
            break;
        }
        match probe.parent() {
            Some(p) => probe = p,
            None => return Err(OUTSIDE.into()),
        }
    }
    if must_exist && !path.is_file() {
        return Err(format!("there is no file content/{name}"));
    }
    Ok(path)
}

/// `path` relative to `content/`, `/`-separated: the name the studio shows and sends back.
pub(crate) fn content_name(root: &Path, path: &Path) -> String {
    path.strip_prefix(root.join("content"))
        .unwrap_or(path)
        .iter()
        .map(|c| c.to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The file a new item titled `title` gets: its slug in the kind's folder, with `-2`, `-3`, …
/// added while that name (or a bundle of it) is taken.
pub(crate) fn new_file_name(root: &Path, kind: &KindSchema, title: &str) -> PathBuf {
    let slug = crate::util::slug::slugify(title.trim());
    let slug = if slug.is_empty() {
        "untitled".to_string()
    } else {
        slug
    };
    let dir = root.join("content").join(kind.section);
    let taken = |s: &str| {
        dir.join(format!("{s}.md")).exists()
            || dir.join(s).exists()
            || (kind.section.is_empty() && crate::routes::RESERVED.contains(&s))
    };
    let mut name = slug.clone();
    let mut n = 2;
    while taken(&name) {
        name = format!("{slug}-{n}");
        n += 1;
    }
    dir.join(format!("{name}.md"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::fs::write_atomic;

    #[test]
    fn names_that_leave_content_are_refused() {
        let dir = tempfile::tempdir().expect("tmp");
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/improvements")).expect("mkdir");
        std::fs::write(root.join("site.toml"), "").expect("write");
        for bad in [
            "../site.toml",
            "/etc/passwd",
            "improvements/../../site.toml",
            "improvements\\x.md",
            "C:/x.md",
            "improvements/x.txt",
            ".hidden.md",
            "",
        ] {
            assert!(content_file(root, bad, false).is_err(), "{bad:?} accepted");
        }
        assert!(content_file(root, "improvements/new-thing.md", false).is_ok());
        assert!(content_file(root, "improvements/new-thing.md", true).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_out_of_content_is_refused() {
        let dir = tempfile::tempdir().expect("tmp");
        let root = dir.path();
        std::fs::create_dir_all(root.join("content")).expect("mkdir");
        std::fs::create_dir_all(root.join("elsewhere")).expect("mkdir");
        std::os::unix::fs::symlink(root.join("elsewhere"), root.join("content/out")).expect("link");
        assert!(content_file(root, "out/x.md", false).is_err());
    }

    #[test]
    fn writes_never_replace_unless_asked() {
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("a.md");
        write_atomic(&p, b"one", true, false).expect("first write");
        assert!(write_atomic(&p, b"two", true, false).is_err());
        assert_eq!(std::fs::read(&p).expect("read"), b"one");
        write_atomic(&p, b"three", true, true).expect("replace");
        assert_eq!(std::fs::read(&p).expect("read"), b"three");
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .collect();
        assert_eq!(left.len(), 1, "temporary files left: {left:?}");
    }
}
