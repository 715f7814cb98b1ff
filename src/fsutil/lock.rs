//! One run at a time per output folder: `OUT.lock` beside the folder, held with `flock` for the
//! whole run and removed at its end.
//!
//! Why `flock` on a file rather than the file's existence: the kernel releases the lock when
//! its holder dies, however it dies (even `kill -9`), so a stale lock file never blocks a later
//! run; the next run simply takes it. The holder writes its pid into the file so that a refused
//! run can say who holds it. A run that finds the lock held is refused at once (exit code 3)
//! rather than waiting: a report run is short, and a second run into the same folder is more
//! likely a mistake than a plan.
//!
//! Removing a lock file while others may be waiting to lock it is subtle: a run could lock a
//! file that was just unlinked. So after locking, a run checks that the file it locked is still
//! the one at the path (same device and inode) and tries again otherwise.

use super::cleanup;
use crate::fsutil::error::{Error, Result};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// A held lock; dropping it removes the lock file and releases it.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
    file: Option<fs::File>,
    token: Option<cleanup::Token>,
}

impl Lock {
    /// Take the lock at `path` for writing `target`, or explain who holds it.
    pub fn acquire(path: &Path, target: &Path) -> Result<Lock> {
        let (mut file, token) = match take(path) {
            Ok(Some(held)) => held,
            Ok(None) => return Err(busy(path, target)),
            Err(e) => return Err(refused(path, e)),
        };
        // The pid is for messages only; a failure to write it does not matter.
        let _ = file
            .set_len(0)
            .and_then(|()| writeln!(file, "{}", std::process::id()));
        Ok(Lock {
            path: path.to_path_buf(),
            file: Some(file),
            token: Some(token),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Unlink while still holding it, then close (which releases it).
        let _ = fs::remove_file(&self.path);
        if let Some(t) = self.token.take() {
            t.forget();
        }
        self.file.take();
    }
}

fn busy(path: &Path, target: &Path) -> Error {
    let holder = fs::read_to_string(path)
        .ok()
        .and_then(|s| s.trim().parse::<u32>().ok())
        .map_or(String::new(), |pid| format!(" (pid {pid})"));
    Error::Output {
        path: target.to_path_buf(),
        message: format!(
            "another enquete run{holder} is writing this folder (lock {}); wait until it has \
             finished, or write to another folder",
            path.display()
        ),
    }
}

/// Why a lock file with other names is refused.
const HARD_LINK: &str = "has other names (hard links), so writing it would change another file; \
                         enquete does not write through them: remove it and run again";

fn refused(path: &Path, e: io::Error) -> Error {
    if e.to_string() == HARD_LINK {
        return Error::Output {
            path: path.to_path_buf(),
            message: HARD_LINK.into(),
        };
    }
    #[cfg(unix)]
    if e.raw_os_error() == Some(libc::ELOOP) {
        return Error::Output {
            path: path.to_path_buf(),
            message: "is a symbolic link; enquete does not follow links for its lock file: \
                      remove it and run again"
                .into(),
        };
    }
    Error::Output {
        path: path.to_path_buf(),
        message: format!("cannot take the lock: {e}"),
    }
}

/// The locked file with its cleanup registration, or `None` when another process holds it.
#[cfg(unix)]
fn take(path: &Path) -> io::Result<Option<(fs::File, cleanup::Token)>> {
    use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
    use std::os::unix::io::AsRawFd;
    enum Outcome {
        Held(fs::File, cleanup::Token),
        Busy,
        Retry,
    }
    for _ in 0..16 {
        let outcome = cleanup::guarded(|| {
            let file = fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
                .mode(0o644)
                .open(path)?;
            let meta = file.metadata()?;
            if !meta.is_file() {
                return Err(io::Error::other("it is not a regular file"));
            }
            // A hard link planted at the lock path is another file's name too: writing the pid
            // would truncate and overwrite that file. O_NOFOLLOW stops only symbolic links.
            if meta.nlink() > 1 {
                return Err(io::Error::other(HARD_LINK));
            }
            // SAFETY: flock on a descriptor this function owns.
            if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
                let e = io::Error::last_os_error();
                return if e.kind() == io::ErrorKind::WouldBlock {
                    Ok(Outcome::Busy)
                } else {
                    Err(e)
                };
            }
            match fs::symlink_metadata(path) {
                Ok(m) if m.dev() == meta.dev() && m.ino() == meta.ino() => {
                    let token = cleanup::register_file(path);
                    Ok(Outcome::Held(file, token))
                }
                _ => Ok(Outcome::Retry),
            }
        })?;
        match outcome {
            Outcome::Held(file, token) => return Ok(Some((file, token))),
            Outcome::Busy => return Ok(None),
            Outcome::Retry => continue,
        }
    }
    Err(io::Error::other("the lock file keeps changing"))
}

/// Without `flock`: the file's existence is the lock (a stale one must be removed by hand).
#[cfg(not(unix))]
fn take(path: &Path) -> io::Result<Option<(fs::File, cleanup::Token)>> {
    match cleanup::guarded(|| {
        let f = super::create_exclusive(path)?;
        Ok((f, cleanup::register_file(path)))
    }) {
        Ok(held) => Ok(Some(held)),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_held_lock_refuses_a_second_taker_and_is_removed_when_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        let path = dir.path().join("out.lock");
        let first = Lock::acquire(&path, &target).unwrap();
        let pid = std::process::id().to_string();
        assert_eq!(fs::read_to_string(&path).unwrap().trim(), pid);
        let e = Lock::acquire(&path, &target).unwrap_err().to_string();
        assert!(e.contains("another enquete run") && e.contains(&pid), "{e}");
        drop(first);
        assert!(!path.exists());
        let again = Lock::acquire(&path, &target).unwrap();
        assert_eq!(again.path(), path);
    }

    #[test]
    fn a_stale_lock_file_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.lock");
        fs::write(&path, "999999\n").unwrap();
        let lock = Lock::acquire(&path, &dir.path().join("out")).unwrap();
        let pid = std::process::id().to_string();
        assert_eq!(fs::read_to_string(&path).unwrap().trim(), pid);
        drop(lock);
    }

    #[test]
    fn a_hard_link_at_the_lock_path_is_refused_and_its_file_kept() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim.txt");
        fs::write(&victim, "precious").unwrap();
        let path = dir.path().join("out.lock");
        fs::hard_link(&victim, &path).unwrap();
        let e = Lock::acquire(&path, &dir.path().join("out")).unwrap_err();
        assert!(e.to_string().contains("hard links"), "{e}");
        assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
    }

    #[test]
    fn a_link_at_the_lock_path_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside.txt");
        fs::write(&outside, "keep").unwrap();
        let path = dir.path().join("out.lock");
        std::os::unix::fs::symlink(&outside, &path).unwrap();
        let e = Lock::acquire(&path, &dir.path().join("out")).unwrap_err();
        assert!(e.to_string().contains("symbolic link"), "{e}");
        assert_eq!(fs::read_to_string(&outside).unwrap(), "keep");
    }
}
