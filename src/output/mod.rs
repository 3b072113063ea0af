//! Output staging and the swap: a build writes into a hidden folder beside the output folder
//! and, only when every page succeeded, swaps it in whole. A failed or killed build leaves the
//! previous output exactly as it was; the next build removes the leftovers.

pub mod feeds;
pub mod sitemap;

use std::io;
use std::path::{Path, PathBuf};

/// A folder being filled beside the real output.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    committed: bool,
}

fn sibling(target: &Path, tag: &str) -> PathBuf {
    let name = target
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    let parent = target.parent().unwrap_or_else(|| Path::new("."));
    parent.join(format!(".{name}.herald-{tag}-{}", std::process::id()))
}

/// `dir/rel` for a `/`-separated output path, refusing any that would leave `dir`.
pub fn join_inside(dir: &Path, rel: &str) -> io::Result<PathBuf> {
    let mut p = dir.to_path_buf();
    for part in rel.split('/') {
        if part.is_empty() || part == "." {
            continue;
        }
        if part == ".." || part.contains('\\') || part.contains(':') {
            return Err(io::Error::other(format!(
                "refusing to write outside the output: {rel}"
            )));
        }
        p.push(part);
    }
    Ok(p)
}

/// Removes staging and old-output folders left by builds that were killed.
pub fn clean_leftovers(target: &Path) {
    let Some(name) = target.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return;
    };
    let parent = target.parent().unwrap_or_else(|| Path::new("."));
    let prefix = format!(".{name}.herald-");
    let Ok(rd) = std::fs::read_dir(if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    }) else {
        return;
    };
    for e in rd.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = n.strip_prefix(&prefix) else {
            continue;
        };
        let pid = rest.rsplit('-').next().and_then(|p| p.parse::<u32>().ok());
        let alive = pid
            .is_some_and(|p| p != std::process::id() && Path::new(&format!("/proc/{p}")).exists());
        if !alive {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

impl Staging {
    /// Creates an empty staging folder for `target`.
    pub fn new(target: &Path) -> io::Result<Self> {
        if target.exists() && !target.is_dir() {
            return Err(io::Error::other(format!(
                "{} exists and is not a folder",
                target.display()
            )));
        }
        if let Some(parent) = target.parent()
            && !parent.as_os_str().is_empty()
        {
            std::fs::create_dir_all(parent)?;
        }
        clean_leftovers(target);
        let dir = sibling(target, "staging");
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir_all(&dir)?;
        Ok(Self {
            dir,
            target: target.to_path_buf(),
            committed: false,
        })
    }

    /// The staging folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes one file at `rel` (a `/`-separated path under the output root).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.path_of(rel)?;
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p)?;
        }
        std::fs::write(path, bytes)
    }

    /// Copies a file to `rel`.
    pub fn copy(&self, src: &Path, rel: &str) -> io::Result<()> {
        let path = self.path_of(rel)?;
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p)?;
        }
        std::fs::copy(src, path).map(|_| ())
    }

    fn path_of(&self, rel: &str) -> io::Result<PathBuf> {
        join_inside(&self.dir, rel)
    }

    /// Swaps the staging folder in as the output. The old output is removed afterwards.
    pub fn commit(mut self) -> io::Result<()> {
        if self.target.exists() {
            if !exchange(&self.dir, &self.target)? {
                let old = sibling(&self.target, "old");
                std::fs::rename(&self.target, &old)?;
                if let Err(e) = std::fs::rename(&self.dir, &self.target) {
                    let _ = std::fs::rename(&old, &self.target);
                    return Err(e);
                }
                remove_tree(&old);
                self.committed = true;
                return Ok(());
            }
            // After the exchange, the staging path holds the previous output.
            remove_tree(&self.dir);
        } else {
            std::fs::rename(&self.dir, &self.target)?;
        }
        self.committed = true;
        Ok(())
    }
}

/// Removes a folder and everything in it, ignoring errors. The work is spread over the folder's
/// grandchildren (`improvements/<slug>/`, …), so that removing a site of tens of thousands of
/// page folders uses every core.
pub fn remove_tree(dir: &Path) {
    use rayon::prelude::*;
    let children = |d: &Path| -> Vec<(PathBuf, bool)> {
        std::fs::read_dir(d)
            .map(|rd| {
                rd.flatten()
                    .map(|e| (e.path(), e.file_type().is_ok_and(|t| t.is_dir())))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut leaves: Vec<(PathBuf, bool)> = Vec::new();
    for (path, is_dir) in children(dir) {
        if is_dir {
            leaves.extend(children(&path));
        } else {
            leaves.push((path, false));
        }
    }
    leaves.par_iter().for_each(|(path, is_dir)| {
        let _ = if *is_dir {
            std::fs::remove_dir_all(path)
        } else {
            std::fs::remove_file(path)
        };
    });
    let _ = std::fs::remove_dir_all(dir);
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            remove_tree(&self.dir);
        }
    }
}

/// Atomically exchanges two paths where the OS can (Linux `renameat2`); `false` where it cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        Err(e)
            if e == rustix::io::Errno::INVAL
                || e == rustix::io::Errno::NOSYS
                || e == rustix::io::Errno::NOTSUP =>
        {
            Ok(false)
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<bool> {
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_replaces_whole_and_drop_discards() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("public");
        std::fs::create_dir_all(&out).expect("mkdir");
        std::fs::write(out.join("old.html"), "old").expect("write");

        let s = Staging::new(&out).expect("staging");
        s.write("a/index.html", b"new").expect("write");
        drop(s);
        assert!(
            out.join("old.html").exists(),
            "a dropped staging leaves the output alone"
        );

        let s = Staging::new(&out).expect("staging");
        s.write("a/index.html", b"new").expect("write");
        assert!(s.write("../escape", b"x").is_err());
        s.commit().expect("commit");
        assert!(!out.join("old.html").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).expect("read"),
            "new"
        );
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
            .expect("ls")
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    }
}
