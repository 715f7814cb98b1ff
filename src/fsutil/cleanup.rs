//! What an interrupted run leaves behind: nothing. Every temporary file, temporary folder and
//! lock is registered here while it exists; SIGINT or SIGTERM removes them all and exits with
//! 128 + the signal's number (130, 143), as shells do.
//!
//! The signals are blocked in every thread and received by one thread of their own
//! (`sigwait`), so the cleanup runs as ordinary code, not in a signal handler where almost
//! nothing may be called. A gate keeps creation and cleanup apart: a writer creates or renames
//! only while holding the gate's read side and after checking that no stop has begun; the
//! cleanup takes the write side first. So a file is either created and registered before the
//! cleanup looks, or never created: no temporary path can slip past it.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, RwLock};

/// Something to remove if the run stops early.
#[derive(Debug, Clone)]
enum Entry {
    File(PathBuf),
    Dir(PathBuf),
}

/// `true` once a stop has begun: nothing may be created after that.
static GATE: RwLock<bool> = RwLock::new(false);
static PENDING: Mutex<Vec<(u64, Entry)>> = Mutex::new(Vec::new());
static NEXT: AtomicU64 = AtomicU64::new(1);

/// A registration; [`Token::forget`] ends it when the path is complete or gone.
#[derive(Debug)]
#[must_use]
pub struct Token(u64);

impl Token {
    /// The path no longer needs removing (it was renamed into place, or removed).
    pub fn forget(self) {
        pending().retain(|(id, _)| *id != self.0);
    }
}

fn pending() -> std::sync::MutexGuard<'static, Vec<(u64, Entry)>> {
    PENDING.lock().unwrap_or_else(|p| p.into_inner())
}

fn register(entry: Entry) -> Token {
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    pending().push((id, entry));
    Token(id)
}

/// Remove `path` (a file) if the run stops before [`Token::forget`].
pub fn register_file(path: &Path) -> Token {
    register(Entry::File(path.to_path_buf()))
}

/// Remove `path` (a folder, with everything in it) if the run stops before [`Token::forget`].
pub fn register_dir(path: &Path) -> Token {
    register(Entry::Dir(path.to_path_buf()))
}

/// Run `create`, which creates, renames or registers paths, unless the run is stopping.
/// `create` must not call `guarded` itself (the gate is not re-entrant).
pub fn guarded<T>(create: impl FnOnce() -> io::Result<T>) -> io::Result<T> {
    let stopping = GATE.read().unwrap_or_else(|p| p.into_inner());
    if *stopping {
        return Err(io::Error::new(
            io::ErrorKind::Interrupted,
            "the run is being stopped",
        ));
    }
    create()
}

/// Close the gate and remove every registered path (files first, then folders). Returns with
/// the gate closed: nothing can be created afterwards.
fn remove_all() {
    let mut stopping = GATE.write().unwrap_or_else(|p| p.into_inner());
    *stopping = true;
    let entries: Vec<Entry> = pending().drain(..).map(|(_, e)| e).collect();
    for e in &entries {
        if let Entry::File(p) = e {
            let _ = std::fs::remove_file(p);
        }
    }
    for e in &entries {
        if let Entry::Dir(p) = e {
            // `remove_dir_all` does not follow symbolic links: it removes the link itself.
            let _ = std::fs::remove_dir_all(p);
        }
    }
    // Keep the gate closed until the process exits.
    std::mem::forget(stopping);
}

/// Catch SIGINT and SIGTERM for the whole process: on either, remove every registered path and
/// exit with 128 + the signal's number. Call it first in `main`, before any thread starts
/// (threads inherit the blocked signals).
#[cfg(unix)]
pub fn install_signal_handlers() {
    // SAFETY: plain libc calls on a local signal set; no handler function is installed.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGINT);
        libc::sigaddset(&mut set, libc::SIGTERM);
        if libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut()) != 0 {
            return;
        }
        let spawned = std::thread::Builder::new()
            .name("signals".into())
            .spawn(move || loop {
                let mut signal: libc::c_int = 0;
                // SAFETY: `set` is a valid, initialised signal set owned by this thread.
                if libc::sigwait(&set, &mut signal) == 0 {
                    stop(signal);
                }
            });
        if spawned.is_err() {
            // Without the thread nobody would receive them: let them act as before.
            libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
        }
    }
}

#[cfg(not(unix))]
pub fn install_signal_handlers() {}

#[cfg(unix)]
fn stop(signal: libc::c_int) -> ! {
    remove_all();
    let name = if signal == libc::SIGINT {
        "SIGINT"
    } else {
        "SIGTERM"
    };
    eprintln!(
        "\nenquete: stopped by {name}; temporary files removed, earlier outputs left as they were"
    );
    std::process::exit(128 + signal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forgotten_paths_are_not_pending() {
        let a = register_file(Path::new("/nonexistent/a"));
        let b = register_dir(Path::new("/nonexistent/b"));
        let count = |p: &str| {
            pending()
                .iter()
                .filter(|(_, e)| matches!(e, Entry::File(x) | Entry::Dir(x) if x == Path::new(p)))
                .count()
        };
        assert_eq!(count("/nonexistent/a"), 1);
        a.forget();
        assert_eq!(count("/nonexistent/a"), 0);
        assert_eq!(count("/nonexistent/b"), 1);
        b.forget();
        assert_eq!(guarded(|| Ok(7)).unwrap(), 7);
    }
}
