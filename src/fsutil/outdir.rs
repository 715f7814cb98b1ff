//! An output folder as a unit. A run writes its folder `OUT` as `.OUT.tmp-PID-RANDOM` beside
//! it and swaps it in only when every file is written, so `OUT` is at every moment either the
//! previous folder, whole, or the new one, whole: never a mix of old and new files, never a file
//! of a table the codebook no longer has.
//!
//! The swap is one `renameat2(RENAME_EXCHANGE)` on Linux (`OUT` never disappears); where that
//! is not supported, `OUT` is renamed to `.OUT.old-…` and the new folder to `OUT` (a process
//! killed between those two renames leaves the previous report as `.OUT.old-…`). The previous
//! folder is then removed.
//!
//! Because `OUT` is replaced as a whole, only a folder enquete wrote (its `summary.json` or
//! `manifest.json` says so), an empty folder or a new one is accepted: `--out ~/Documents` is
//! refused instead of deleting the documents.

use super::cleanup::{self, Token};
use super::lock::Lock;
use super::{create_dir, sync_parent, unique_suffix};
use crate::fsutil::error::{Error, Result};
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// An output folder being built.
#[derive(Debug)]
pub struct OutDir {
    target: PathBuf,
    staging: PathBuf,
    token: Option<Token>,
    lock: Option<Lock>,
}

impl OutDir {
    /// Lock `target`, check that it may be replaced, and create the temporary folder to write
    /// into. Dropping the `OutDir` without [`OutDir::commit`] removes the temporary folder and
    /// leaves `target` as it was.
    ///
    /// `inputs` are the files the run reads: a folder that holds one of them is refused, since
    /// replacing the folder would delete it (a data file copied into an earlier report's folder
    /// and reported into that folder again was deleted with it).
    pub fn prepare(target: &Path, inputs: &[&Path]) -> Result<OutDir> {
        let target = resolve(target)?;
        let (parent, name) = parent_and_name(&target);
        create_dir(&parent)?;
        let lock = Lock::acquire(&parent.join(format!("{name}.lock")), &target)?;
        check_inputs_outside(&target, inputs)?;
        check_replaceable(&target)?;
        remove_leftovers(&parent, &name);
        let staging = parent.join(format!(".{name}.tmp-{}", unique_suffix()));
        let token = cleanup::guarded(|| {
            // `create_dir` fails on anything already there, a planted link included.
            fs::create_dir(&staging)?;
            Ok(cleanup::register_dir(&staging))
        })
        .map_err(|e| Error::write(&staging, e))?;
        Ok(OutDir {
            target,
            staging,
            token: Some(token),
            lock: Some(lock),
        })
    }

    /// The temporary folder to write into.
    pub fn path(&self) -> &Path {
        &self.staging
    }

    /// The folder that will be replaced (absolute, links resolved).
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Put the new folder in place of the target and remove the previous one. Returns warnings
    /// (a previous folder that could not be removed). Every file and folder of the new one is
    /// synced to disk first, so the folder put in place is whole after a crash too.
    pub fn commit(mut self) -> Result<Vec<String>> {
        super::sync_tree(&self.staging)?;
        let old = swap(&self.staging, &self.target).map_err(|e| Error::Output {
            path: self.target.clone(),
            message: format!(
                "cannot put the new folder in place: {e}; the previous one is unchanged"
            ),
        })?;
        sync_parent(&self.target);
        let mut warnings = Vec::new();
        if let Some((old, token)) = old {
            if let Err(e) = fs::remove_dir_all(&old) {
                warnings.push(format!(
                    "warning: {}: the previous folder could not be removed ({e}); remove it by hand",
                    old.display()
                ));
            }
            if let Some(t) = token {
                t.forget();
            }
        }
        if let Some(t) = self.token.take() {
            t.forget();
        }
        self.lock.take();
        Ok(warnings)
    }
}

impl Drop for OutDir {
    fn drop(&mut self) {
        if let Some(t) = self.token.take() {
            let _ = fs::remove_dir_all(&self.staging);
            t.forget();
        }
    }
}

/// No input of the run may lie inside the folder that will be replaced (links resolved on
/// both sides, so a link to the input or to the folder is seen through).
fn check_inputs_outside(target: &Path, inputs: &[&Path]) -> Result<()> {
    let Ok(folder) = fs::canonicalize(target) else {
        return Ok(()); // a new folder holds nothing yet
    };
    for input in inputs {
        let Ok(file) = fs::canonicalize(input) else {
            continue; // not readable: the run says so when it reads it
        };
        if file.starts_with(&folder) {
            return Err(Error::Output {
                path: target.to_path_buf(),
                message: format!(
                    "holds {}, which this run reads: the folder is replaced as a whole, which \
                     would delete it; write to another folder, or move the file out first",
                    input.display()
                ),
            });
        }
    }
    Ok(())
}

/// Build `parent/name` as a unit inside a folder being built (a year of a batch): write into
/// `parent/.name.tmp-…`, rename it when `fill` succeeds, remove it when `fill` fails. The parent
/// is a registered temporary folder, so an interrupted run removes this one with it.
pub fn write_subfolder<T, E: From<Error>>(
    parent: &Path,
    name: &str,
    fill: impl FnOnce(&Path) -> Result<T, E>,
) -> Result<T, E> {
    let tmp = parent.join(format!(".{name}.tmp-{}", unique_suffix()));
    cleanup::guarded(|| fs::create_dir(&tmp)).map_err(|e| Error::write(&tmp, e))?;
    let done = fill(&tmp).and_then(|v| {
        let path = parent.join(name);
        cleanup::guarded(|| fs::rename(&tmp, &path)).map_err(|e| Error::write(&path, e))?;
        Ok(v)
    });
    if done.is_err() {
        let _ = fs::remove_dir_all(&tmp);
    }
    done
}

/// The target as an absolute path with links resolved (a link to a folder means that folder).
fn resolve(target: &Path) -> Result<PathBuf> {
    let abs = match fs::canonicalize(target) {
        Ok(p) => p,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            std::path::absolute(target).map_err(|e| Error::write(target, e))?
        }
        Err(e) => return Err(Error::write(target, e)),
    };
    if abs.file_name().is_none() || abs.parent().is_none() {
        return Err(Error::Output {
            path: target.to_path_buf(),
            message: "cannot be replaced as a whole: name a folder inside it".into(),
        });
    }
    Ok(abs)
}

fn parent_and_name(target: &Path) -> (PathBuf, String) {
    let parent = target.parent().unwrap_or(Path::new("/")).to_path_buf();
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    (parent, name)
}

/// A target may be replaced when it does not exist, is an empty folder, or is a folder that
/// enquete wrote.
fn check_replaceable(target: &Path) -> Result<()> {
    let refuse = |message: &str| {
        Err(Error::Output {
            path: target.to_path_buf(),
            message: message.into(),
        })
    };
    match fs::symlink_metadata(target) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::write(target, e)),
        Ok(m) if m.is_symlink() => {
            refuse("is a symbolic link to nothing; remove it or name another folder")
        }
        Ok(m) if !m.is_dir() => {
            refuse("exists and is not a folder; --out names the folder to write into")
        }
        Ok(_) if is_empty(target) || written_by_enquete(target) => Ok(()),
        Ok(_) => refuse(
            "has files that enquete did not write (it has no summary.json or manifest.json of \
             enquete). enquete replaces its output folder as a whole, so it writes only into a \
             new folder, an empty one, or one it wrote before: name another folder, or empty \
             this one",
        ),
    }
}

fn is_empty(dir: &Path) -> bool {
    fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none())
}

/// Whether `dir` holds a `summary.json` (report) or `manifest.json` (batch) whose `tool` is
/// enquete.
fn written_by_enquete(dir: &Path) -> bool {
    ["summary.json", "manifest.json"].iter().any(|f| {
        let mut text = String::new();
        let read = fs::File::open(dir.join(f))
            .and_then(|file| file.take(64 << 20).read_to_string(&mut text));
        read.is_ok()
            && serde_json::from_str::<serde_json::Value>(&text).is_ok_and(|v| {
                v.get("tool")
                    .and_then(|t| t.as_str())
                    .is_some_and(|t| t.starts_with("enquete"))
            })
    })
}

/// Temporary folders of earlier runs into the same target that were killed outright (no
/// chance to clean up). Only called with the lock held, so no running run owns them.
fn remove_leftovers(parent: &Path, name: &str) {
    let prefix = format!(".{name}.tmp-");
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let file_name = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = file_name.strip_prefix(&prefix) else {
            continue;
        };
        let ours = rest.split_once('-').is_some_and(|(pid, random)| {
            !pid.is_empty()
                && pid.bytes().all(|b| b.is_ascii_digit())
                && random.len() == 16
                && random.bytes().all(|b| b.is_ascii_hexdigit())
        });
        let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
        if ours && is_dir {
            let _ = fs::remove_dir_all(e.path());
        }
    }
}

/// Swap the new folder in. Returns where the previous folder now is (to remove), with its
/// registration when it was not registered before.
fn swap(staging: &Path, target: &Path) -> io::Result<Option<(PathBuf, Option<Token>)>> {
    cleanup::guarded(|| {
        match fs::symlink_metadata(target) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                fs::rename(staging, target)?;
                return Ok(None);
            }
            Err(e) => return Err(e),
            Ok(_) => {}
        }
        #[cfg(target_os = "linux")]
        match exchange(staging, target) {
            // The staging path (still registered) now holds the previous folder.
            Ok(()) => return Ok(Some((staging.to_path_buf(), None))),
            Err(e) if !unsupported(&e) => return Err(e),
            Err(_) => {}
        }
        let (parent, name) = parent_and_name(target);
        let old = parent.join(format!(".{name}.old-{}", unique_suffix()));
        fs::rename(target, &old)?;
        if let Err(e) = fs::rename(staging, target) {
            let _ = fs::rename(&old, target);
            return Err(e);
        }
        Ok(Some((old.clone(), Some(cleanup::register_dir(&old)))))
    })
}

/// Exchange two paths atomically (Linux 3.15+, most local file systems).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let a = std::ffi::CString::new(a.as_os_str().as_bytes())?;
    let b = std::ffi::CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: two valid NUL-terminated paths relative to the working directory; the syscall
    // is used directly because not every libc wraps renameat2.
    let r = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(target_os = "linux")]
fn unsupported(e: &io::Error) -> bool {
    matches!(
        e.raw_os_error(),
        Some(libc::ENOSYS | libc::EINVAL | libc::EOPNOTSUPP)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_committed_folder_replaces_the_previous_one_whole() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("rep");
        let first = OutDir::prepare(&target, &[]).unwrap();
        fs::write(first.path().join("old.csv"), "1").unwrap();
        fs::write(
            first.path().join("summary.json"),
            r#"{"tool": "enquete 0"}"#,
        )
        .unwrap();
        assert!(first.commit().unwrap().is_empty());
        let second = OutDir::prepare(&target, &[]).unwrap();
        fs::write(second.path().join("new.csv"), "2").unwrap();
        fs::write(
            second.path().join("summary.json"),
            r#"{"tool": "enquete 0"}"#,
        )
        .unwrap();
        second.commit().unwrap();
        assert_eq!(names(&target), ["new.csv", "summary.json"]);
        assert_eq!(names(dir.path()), ["rep"]);
    }

    #[test]
    fn an_abandoned_folder_leaves_the_previous_one_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("rep");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("summary.json"), r#"{"tool": "enquete 0"}"#).unwrap();
        let out = OutDir::prepare(&target, &[]).unwrap();
        fs::write(out.path().join("half.csv"), "x").unwrap();
        drop(out);
        assert_eq!(names(&target), ["summary.json"]);
        assert_eq!(names(dir.path()), ["rep"]);
    }

    #[test]
    fn folders_with_other_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("docs");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("thesis.docx"), "precious").unwrap();
        let e = OutDir::prepare(&target, &[]).unwrap_err().to_string();
        assert!(e.contains("did not write"), "{e}");
        assert_eq!(names(dir.path()), ["docs"]);
        fs::write(dir.path().join("file"), "x").unwrap();
        let e = OutDir::prepare(&dir.path().join("file"), &[]).unwrap_err();
        assert!(e.to_string().contains("not a folder"), "{e}");
    }

    #[test]
    fn a_folder_holding_an_input_is_refused_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("rep");
        OutDir::prepare(&target, &[]).unwrap().commit().unwrap();
        fs::write(target.join("summary.json"), r#"{"tool": "enquete"}"#).unwrap();
        let data = target.join("sub").join("data.csv");
        fs::create_dir(target.join("sub")).unwrap();
        fs::write(&data, "a\n1\n").unwrap();
        let outside = dir.path().join("codebook.toml");
        fs::write(&outside, "").unwrap();
        // Through a link to the folder as well.
        #[cfg(unix)]
        std::os::unix::fs::symlink(&target, dir.path().join("link")).unwrap();
        let via_link = dir.path().join("link").join("sub").join("data.csv");
        for input in [&data, &via_link] {
            let e = OutDir::prepare(&target, &[&outside, input])
                .unwrap_err()
                .to_string();
            assert!(e.contains("which this run reads"), "{e}");
        }
        assert!(data.exists());
        assert!(OutDir::prepare(&target, &[&outside]).is_ok());
    }

    #[test]
    fn leftovers_of_killed_runs_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let stale = dir.path().join(".rep.tmp-12345-0123456789abcdef");
        fs::create_dir(&stale).unwrap();
        fs::write(stale.join("estimates.csv"), "x").unwrap();
        let unrelated = dir.path().join(".rep.tmp-notes");
        fs::create_dir(&unrelated).unwrap();
        let out = OutDir::prepare(&dir.path().join("rep"), &[]).unwrap();
        out.commit().unwrap();
        assert_eq!(names(dir.path()), [".rep.tmp-notes", "rep"]);
    }

    #[test]
    fn subfolders_appear_only_when_complete() {
        let dir = tempfile::tempdir().unwrap();
        let r: Result<()> = write_subfolder(dir.path(), "2023", |p| {
            fs::write(p.join("a.csv"), "x").unwrap();
            Err(Error::output(p, "failed"))
        });
        assert!(r.is_err());
        assert!(names(dir.path()).is_empty());
        write_subfolder(dir.path(), "2023", |p| {
            fs::write(p.join("a.csv"), "x").map_err(|e| Error::write(p, e))
        })
        .unwrap();
        assert_eq!(names(dir.path()), ["2023"]);
    }
}
