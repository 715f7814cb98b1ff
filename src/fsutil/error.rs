//! What can go wrong writing an output: a write that failed, or a folder that cannot be written
//! as asked. The crate's [`Error`](crate::Error) wraps this type (exit code 3).

use std::path::{Path, PathBuf};

/// An output that cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Writing an output failed.
    #[error("{path}: cannot write: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    /// An output folder that cannot be written as asked (locked by another run, not a folder
    /// enquete may replace, ...): where, and what to do.
    #[error("{path}: {message}")]
    Output { path: PathBuf, message: String },
}

impl Error {
    pub fn write(path: &Path, source: std::io::Error) -> Self {
        Error::Write {
            path: path.to_path_buf(),
            source,
        }
    }

    pub fn output(path: &Path, message: impl Into<String>) -> Self {
        Error::Output {
            path: path.to_path_buf(),
            message: message.into(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
