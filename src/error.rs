//! Error types. Every error a user can cause says where (file, line, column), what was found and
//! what was expected, and maps to one documented exit code.

use std::fmt;
use crate::text::quote_value;
use std::path::{Path, PathBuf};

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

/// One problem found in one row (or the header) of a data file.
#[derive(Debug, Clone, PartialEq)]
pub struct RowProblem {
    /// The file's own line number (the header is line 1), as an editor shows it.
    pub line: u64,
    /// The column's name from the header, when the problem concerns one field.
    pub column: Option<String>,
    /// The offending value, when there is one (shown quoted, control characters escaped).
    pub value: Option<String>,
    /// What was expected instead.
    pub expected: String,
}

impl RowProblem {
    /// The problem, naming its record as `record` ("line" for CSV, "case" for SPSS).
    pub fn describe(&self, record: &str) -> String {
        let mut s = format!("{record} {}", self.line);
        if let Some(c) = &self.column {
            // A header cell may hold anything, an escape sequence too: shown escaped.
            s.push_str(&format!(
                ", column '{}'",
                crate::text::escape::terminal(c)
            ));
        }
        if let Some(v) = &self.value {
            s.push_str(&format!(": value {}", quote_value(v)));
        }
        s.push_str(&format!(": {}", self.expected));
        s
    }
}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}", self.line)?;
        if let Some(c) = &self.column {
            write!(f, ", column '{}'", crate::text::escape::terminal(c))?;
        }
        if let Some(v) = &self.value {
            write!(f, ": value {}", quote_value(v))?;
        }
        write!(f, ": {}", self.expected)
    }
}

/// All problems found in a data file, capped for memory, with the true total.
#[derive(Debug, Clone)]
pub struct DataProblems {
    pub path: PathBuf,
    /// What a record is called in messages: "line" (CSV), "case" (SPSS), "row" (Parquet),
    /// "sheet 'Data', row" (Excel).
    pub record: std::borrow::Cow<'static, str>,
    /// The first problems in file order (at most [`DataProblems::CAP`]).
    pub problems: Vec<RowProblem>,
    /// How many problems were found in all (may exceed `problems.len()`).
    pub total: u64,
    /// How many rows had at least one problem.
    pub rows: u64,
}

impl DataProblems {
    /// How many problems are kept and shown; the rest are counted.
    pub const CAP: usize = 50;
}

impl Default for DataProblems {
    fn default() -> Self {
        DataProblems {
            path: PathBuf::new(),
            record: "line".into(),
            problems: Vec::new(),
            total: 0,
            rows: 0,
        }
    }
}

impl fmt::Display for DataProblems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path.display();
        for p in &self.problems {
            writeln!(f, "{path}: {}", p.describe(&self.record))?;
        }
        let more = self.total.saturating_sub(self.problems.len() as u64);
        if more > 0 {
            writeln!(f, "... and {more} more problems")?;
        }
        write!(
            f,
            "{path}: {} problem{} in {} row{}",
            self.total,
            plural(self.total),
            self.rows,
            plural(self.rows)
        )
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The library's error type.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad command-line usage that clap could not catch (e.g. an unknown table name).
    #[error("{0}")]
    Usage(String),
    /// The codebook is invalid (syntax, unknown key, reference to an unknown variable, ...).
    #[error("{path}: {source}")]
    Codebook {
        path: PathBuf,
        source: crate::codebook::CodebookError,
    },
    /// The project file of a batch is invalid.
    #[error("{path}: {source}")]
    Project {
        path: PathBuf,
        source: crate::project::ProjectError,
    },
    /// Calibration to the population failed (an empty category, no convergence, ...).
    #[error("{0}")]
    Weighting(crate::stats::calibrate::WeightingError),
    /// A comparison that cannot be made as asked (a variable without groups, an empty standard).
    #[error("{0}")]
    Compare(#[from] crate::stats::compare::CompareError),
    /// The codebook does not fit the data file (a column missing from the header, ...).
    #[error("{path}: {message}")]
    Header { path: PathBuf, message: String },
    /// The data file as a whole is unusable (not CSV, no data rows, ...).
    #[error("{path}: {message}")]
    DataFile { path: PathBuf, message: String },
    /// Problems in rows of the data file.
    #[error("{0}")]
    Data(Box<DataProblems>),
    /// Reading an input failed.
    #[error("{path}: cannot read: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
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
    /// A chart could not be drawn or rendered (an output failure, not a usage error).
    #[error("chart '{chart}': {message}")]
    Render { chart: String, message: String },
}

impl Error {
    /// The documented exit code for this error.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Error::Usage(_)
            | Error::Codebook { .. }
            | Error::Project { .. }
            | Error::Compare(_)
            | Error::Weighting(_)
            | Error::Header { .. } => ExitCode::Usage,
            Error::DataFile { .. } | Error::Data(_) => ExitCode::DataProblems,
            Error::Read { .. } => ExitCode::Usage,
            Error::Write { .. } | Error::Output { .. } | Error::Render { .. } => ExitCode::Io,
        }
    }

    pub fn header(path: &Path, message: impl Into<String>) -> Self {
        Error::Header {
            path: path.to_path_buf(),
            message: message.into(),
        }
    }

    pub fn data_file(path: &Path, message: impl Into<String>) -> Self {
        Error::DataFile {
            path: path.to_path_buf(),
            message: message.into(),
        }
    }

    pub fn write(path: &Path, source: std::io::Error) -> Self {
        Error::Write {
            path: path.to_path_buf(),
            source,
        }
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
        let d = Error::Data(Box::default());
        assert_eq!(d.exit_code(), ExitCode::DataProblems);
    }

    #[test]
    fn row_problem_names_line_column_value_and_expectation() {
        let p = RowProblem {
            line: 17,
            column: Some("weegfactor".into()),
            value: Some("abc".into()),
            expected: "expected a number".into(),
        };
        assert_eq!(
            p.to_string(),
            "line 17, column 'weegfactor': value \"abc\": expected a number"
        );
        assert_eq!(quote_value(""), "\"\"");
        assert_eq!(quote_value("a\tb"), "\"a\\tb\"");
    }
}
