//! Making a folder of new files durable at once, before it is put in place.
//!
//! A report writes hundreds of files (a table's CSVs, every chart as SVG and PNG). An fsync per
//! file as it is written costs a disk round trip each (4-6 ms on a virtual disk: seconds for a
//! monitor of 120 tables), while the same fsyncs issued together at the end share the file
//! system's journal commits (0.2 ms a file). The files of a temporary folder are therefore
//! written without one ([`super::write_new`]), and [`sync_tree`] syncs every file and folder
//! under it, from a few threads, before the folder is swapped in: the guarantee that the
//! folder put in place is complete on disk is the same.

use super::error::{Error, Result};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Threads issuing fsyncs: they wait on the disk, not on a core.
const SYNC_THREADS: usize = 8;

/// fsync every regular file and folder under `root` (and `root` itself); the first failure,
/// with its path, is the error.
pub fn sync_tree(root: &Path) -> Result<()> {
    let mut paths = Vec::new();
    collect(root, &mut paths).map_err(|e| Error::write(root, e))?;
    let next = AtomicUsize::new(0);
    let failed: Mutex<Option<(usize, PathBuf, std::io::Error)>> = Mutex::new(None);
    std::thread::scope(|scope| {
        for _ in 0..SYNC_THREADS.min(paths.len()) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(path) = paths.get(i) else { break };
                if let Err(e) = fs::File::open(path).and_then(|f| f.sync_all()) {
                    let mut slot = failed.lock().unwrap_or_else(|p| p.into_inner());
                    // The first path in walking order, whichever thread saw it first.
                    if slot.as_ref().is_none_or(|(j, _, _)| i < *j) {
                        *slot = Some((i, path.clone(), e));
                    }
                }
            });
        }
    });
    match failed.into_inner().unwrap_or_else(|p| p.into_inner()) {
        Some((_, path, e)) => Err(Error::write(&path, e)),
        None => Ok(()),
    }
}

/// Files first, then each folder after what it holds (a folder's entries are durable once the
/// folder is synced). Links are not followed: a folder being built holds none of its own.
fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<fs::DirEntry> = fs::read_dir(dir)?.collect::<std::io::Result<_>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let kind = entry.file_type()?;
        if kind.is_dir() {
            collect(&entry.path(), out)?;
        } else if kind.is_file() {
            out.push(entry.path());
        }
    }
    out.push(dir.to_path_buf());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_and_folder_is_listed_folders_after_their_files() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("charts")).unwrap();
        fs::write(dir.path().join("a.csv"), "1").unwrap();
        fs::write(dir.path().join("charts/b.svg"), "2").unwrap();
        let mut paths = Vec::new();
        collect(dir.path(), &mut paths).unwrap();
        let rel: Vec<String> = paths
            .iter()
            .map(|p| p.strip_prefix(dir.path()).unwrap().display().to_string())
            .collect();
        assert_eq!(rel, ["a.csv", "charts/b.svg", "charts", ""]);
        sync_tree(dir.path()).unwrap();
    }

    #[test]
    fn a_missing_folder_is_an_error_that_names_it() {
        let dir = tempfile::tempdir().unwrap();
        let gone = dir.path().join("gone");
        let e = sync_tree(&gone).unwrap_err().to_string();
        assert!(e.contains("gone"), "{e}");
    }
}
