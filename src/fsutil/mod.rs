//! Writing outputs so that a failed or interrupted run never leaves a half-written file that
//! looks complete, never writes through a planted symbolic link, and leaves no temporary file.
//!
//! - A single file ([`write_atomic`]) is written under a temporary name beside it and renamed
//!   when complete. The temporary name has a random part and is created with `O_EXCL` and
//!   `O_NOFOLLOW`: a link planted at that name makes the creation fail (another name is tried)
//!   instead of writing to whatever the link points at.
//! - A folder of outputs ([`OutDir`]) is built in a temporary folder beside the target and swapped
//!   in when complete, under a lock ([`lock`]).
//! - Every temporary path is registered with [`cleanup`], which removes them on SIGINT/SIGTERM.

pub mod cleanup;
pub mod error;
pub mod lock;
pub mod outdir;
mod sync;

pub use error::Error;
pub use outdir::{write_subfolder, OutDir};
pub use sync::sync_tree;

use error::Result;
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// An output file may not be a file the run reads (the same file under any name: a link or a
/// path with `..` included): writing it would replace the input (`weight DATA --out DATA`).
pub fn check_not_input(out: &Path, inputs: &[&Path]) -> Result<()> {
    #[cfg(unix)]
    let same = |a: &fs::Metadata, b: &fs::Metadata| {
        use std::os::unix::fs::MetadataExt;
        a.dev() == b.dev() && a.ino() == b.ino()
    };
    #[cfg(not(unix))]
    let same = |_: &fs::Metadata, _: &fs::Metadata| false;
    let Ok(target) = fs::metadata(out) else {
        return Ok(()); // a new file
    };
    for input in inputs {
        let is_input = fs::metadata(input).is_ok_and(|m| same(&m, &target))
            || fs::canonicalize(input).ok() == fs::canonicalize(out).ok();
        if is_input {
            return Err(Error::Output {
                path: out.to_path_buf(),
                message: format!(
                    "is {}, which this run reads: writing it would replace the input; name \
                     another file",
                    input.display()
                ),
            });
        }
    }
    Ok(())
}

/// Write `path` atomically with the bytes `fill` produces, replacing what is there (a symbolic
/// link at `path` is replaced, not followed).
pub fn write_atomic(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<()> {
    let (tmp, file, token) = create_temp(path).map_err(|e| Error::write(path, e))?;
    let result = fill_and_sync(file, fill).and_then(|()| {
        cleanup::guarded(|| {
            fs::rename(&tmp, path)?;
            sync_parent(path);
            Ok(())
        })
    });
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        token.forget();
        return Err(Error::write(path, e));
    }
    token.forget();
    Ok(())
}

/// Write a new file `path` with the bytes `fill` produces; an existing file (or link) at `path`
/// is an error. For the files of a fresh output folder, where a second file of the same name
/// would mean two outputs collide. The file is not synced here: the folder is synced as a whole
/// before it is put in place ([`OutDir::commit`], [`sync_tree`]).
pub fn write_new(path: &Path, fill: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
    let (file, token) = cleanup::guarded(|| {
        let file = create_exclusive(path)?;
        Ok((file, cleanup::register_file(path)))
    })
    .map_err(|e| {
        if e.kind() == io::ErrorKind::AlreadyExists {
            Error::write(
                path,
                io::Error::new(
                    e.kind(),
                    "another output of this run has the same file name",
                ),
            )
        } else {
            Error::write(path, e)
        }
    })?;
    let result = fill_buffered(file, fill);
    if let Err(e) = result {
        let _ = fs::remove_file(path);
        token.forget();
        return Err(Error::write(path, e));
    }
    token.forget();
    Ok(())
}

fn fill_and_sync(
    file: fs::File,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    fill_buffered(file, fill)?.sync_all()
}

/// Fill `file` through a buffer; the file back, flushed.
fn fill_buffered(
    file: fs::File,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<fs::File> {
    let mut w = BufWriter::with_capacity(1 << 16, file);
    fill(&mut w)?;
    w.into_inner().map_err(|e| e.into_error())
}

/// Create `path`, which must not exist: `O_CREAT | O_EXCL` (a link at `path`, even one
/// pointing nowhere, makes it fail), and `O_NOFOLLOW` besides.
pub fn create_exclusive(path: &Path) -> io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC);
    }
    options.open(path)
}

/// Create and register a temporary file beside `path` (`.NAME.tmp-PID-RANDOM`).
fn create_temp(path: &Path) -> io::Result<(PathBuf, fs::File, cleanup::Token)> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut last = None;
    // A name taken (by a planted file or link) is skipped: the next one is another random name.
    for _ in 0..16 {
        let tmp = path.with_file_name(format!(".{name}.tmp-{}", unique_suffix()));
        match cleanup::guarded(|| {
            let file = create_exclusive(&tmp)?;
            Ok((file, cleanup::register_file(&tmp)))
        }) {
            Ok((file, token)) => return Ok((tmp, file, token)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::other("no free temporary name")))
}

/// `PID-RANDOM`: the process id (whose leftovers these are) and 64 random bits from the
/// standard library's per-process hash keys, the time and a counter.
pub fn unique_suffix() -> String {
    use std::hash::{BuildHasher, Hasher};
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    h.write_u128(now);
    format!("{}-{:016x}", std::process::id(), h.finish())
}

/// Make a rename durable: sync the folder that holds `path` (best effort).
pub(crate) fn sync_parent(path: &Path) {
    #[cfg(unix)]
    if let Some(parent) = path.parent() {
        let parent = if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        };
        if let Ok(dir) = fs::File::open(parent) {
            let _ = dir.sync_all();
        }
    }
}

/// Create a directory (and parents), with the error naming it.
pub fn create_dir(path: &Path) -> Result<()> {
    cleanup::guarded(|| fs::create_dir_all(path)).map_err(|e| Error::write(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_at_the_temporary_name_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside.txt");
        fs::write(&outside, "keep").unwrap();
        let planted = dir.path().join(".out.csv.tmp-1-0");
        #[cfg(unix)]
        std::os::unix::fs::symlink(&outside, &planted).unwrap();
        let e = create_exclusive(&planted).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::AlreadyExists);
        // A dangling link too.
        let dangling = dir.path().join(".x.tmp-1-1");
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.path().join("nowhere"), &dangling).unwrap();
        assert!(create_exclusive(&dangling).is_err());
        assert!(!dir.path().join("nowhere").exists());
        assert_eq!(fs::read_to_string(&outside).unwrap(), "keep");
    }

    #[test]
    fn atomic_writes_replace_a_link_instead_of_following_it() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside.txt");
        fs::write(&outside, "keep").unwrap();
        let target = dir.path().join("out.csv");
        #[cfg(unix)]
        std::os::unix::fs::symlink(&outside, &target).unwrap();
        write_atomic(&target, |w| w.write_all(b"new")).unwrap();
        assert_eq!(fs::read_to_string(&outside).unwrap(), "keep");
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
        assert!(!fs::symlink_metadata(&target).unwrap().is_symlink());
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 2, "no temporary file left");
    }

    #[test]
    fn new_files_refuse_a_second_file_of_the_same_name() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.csv");
        write_new(&p, |w| w.write_all(b"1")).unwrap();
        let e = write_new(&p, |w| w.write_all(b"2")).unwrap_err();
        assert!(e.to_string().contains("same file name"), "{e}");
        assert_eq!(fs::read_to_string(&p).unwrap(), "1");
        // A failed fill leaves nothing.
        let q = dir.path().join("b.csv");
        assert!(write_new(&q, |_| Err(io::Error::other("boom"))).is_err());
        assert!(!q.exists());
    }

    #[test]
    fn suffixes_differ() {
        let a = unique_suffix();
        let b = unique_suffix();
        assert_ne!(a, b);
        assert!(a.starts_with(&format!("{}-", std::process::id())));
    }
}
