//! Writing files so that a reader never sees half of one: a temporary file beside the target,
//! then a rename; durably (synced) and without replacing an existing file when asked.

use std::io::Write as _;
use std::path::Path;

/// Writes `bytes` to `path` through a temporary file beside it, renamed into place, so that a
/// reader sees the old file or the new one, never part of it. `durable`: the file and its
/// folder are synced (an author's source; the build's output does without, for speed).
/// `replace` false: an existing file is never replaced, the write fails instead.
pub fn write_atomic(
    path: &Path,
    bytes: &[u8],
    durable: bool,
    replace: bool,
) -> std::io::Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| std::io::Error::other("no folder"))?;
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.herald-tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        if durable {
            f.sync_all()?;
        }
        drop(f);
        if replace {
            std::fs::rename(&tmp, path)
        } else {
            rename_no_replace(&tmp, path)
        }
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    } else if durable && let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    result
}

/// Renames `from` to `to` unless `to` exists, in one step where the system can.
pub fn rename_no_replace(from: &Path, to: &Path) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
            Ok(()) => return Ok(()),
            Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {}
            Err(e) => return Err(e.into()),
        }
    }
    // Hard-linking fails when the target exists; then the temporary name goes.
    std::fs::hard_link(from, to)?;
    std::fs::remove_file(from)
}
