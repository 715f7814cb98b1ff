//! The crate's error: every module returns its own error type (the codebook's, the project
//! file's, the input's, the output's, the estimation core's), and this one wraps them, once, for
//! the binary. Every error a user can cause says where (file, line, column), what was found and
//! what was expected, and maps to one documented exit code.

pub use crate::input::error::{DataProblems, RowProblem};
use std::path::Path;

/// Exit codes of the `enquete` binary (documented in the README).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// Everything worked.
    Ok = 0,
    /// The data file has problems (invalid values, malformed rows, not a CSV file).
    DataProblems = 1,
    /// Bad arguments, or a codebook that is invalid or does not fit the data file's header.
    Usage = 2,
    /// An output could not be written, or another I/O failure outside the input's content.
    Io = 3,
}

/// The library's error type.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad command-line usage that clap could not catch (e.g. an unknown table name).
    #[error("{0}")]
    Usage(String),
    /// The codebook cannot be read or is invalid (syntax, unknown key, unknown variable, ...).
    #[error(transparent)]
    Codebook(#[from] crate::codebook::LoadError),
    /// The project file of a batch cannot be read or is invalid.
    #[error(transparent)]
    Project(#[from] crate::project::LoadError),
    /// Calibration to the population failed (an empty category, no convergence, ...).
    #[error("{0}")]
    Weighting(crate::stats::calibrate::WeightingError),
    /// A comparison that cannot be made as asked (a variable without groups, an empty standard).
    #[error("{0}")]
    Compare(#[from] crate::stats::compare::CompareError),
    /// An input that cannot be read as asked: a header that does not fit the codebook, an
    /// unusable file, problems in its rows, a failed read.
    #[error(transparent)]
    Input(#[from] crate::input::Error),
    /// An output that cannot be written: a failed write, a folder locked or not replaceable.
    #[error(transparent)]
    Output(#[from] crate::fsutil::Error),
    /// A chart could not be drawn or rendered (an output failure, not a usage error).
    #[error("chart '{chart}': {message}")]
    Render { chart: String, message: String },
}

impl Error {
    /// The documented exit code for this error.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Error::Input(e) if e.is_data_problem() => ExitCode::DataProblems,
            Error::Usage(_)
            | Error::Codebook(_)
            | Error::Project(_)
            | Error::Compare(_)
            | Error::Weighting(_)
            | Error::Input(_) => ExitCode::Usage,
            Error::Output(_) | Error::Render { .. } => ExitCode::Io,
        }
    }

    /// Problems in rows of a data file.
    pub fn data(problems: DataProblems) -> Self {
        Error::Input(crate::input::Error::Data(Box::new(problems)))
    }

    pub fn header(path: &Path, message: impl Into<String>) -> Self {
        Error::Input(crate::input::Error::header(path, message))
    }

    pub fn data_file(path: &Path, message: impl Into<String>) -> Self {
        Error::Input(crate::input::Error::data_file(path, message))
    }

    pub fn read(path: &Path, source: std::io::Error) -> Self {
        Error::Input(crate::input::Error::read(path, source))
    }

    pub fn write(path: &Path, source: std::io::Error) -> Self {
        Error::Output(crate::fsutil::Error::write(path, source))
    }

    pub fn output(path: &Path, message: impl Into<String>) -> Self {
        Error::Output(crate::fsutil::Error::output(path, message))
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_are_documented_values() {
        assert_eq!(ExitCode::Ok as i32, 0);
        assert_eq!(ExitCode::DataProblems as i32, 1);
        assert_eq!(ExitCode::Usage as i32, 2);
        assert_eq!(ExitCode::Io as i32, 3);
        assert_eq!(Error::Usage("x".into()).exit_code(), ExitCode::Usage);
        let d = Error::data(DataProblems::default());
        assert_eq!(d.exit_code(), ExitCode::DataProblems);
    }
}
