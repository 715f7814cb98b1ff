//! What can be wrong with a data file: problems in its rows (each with its line, column, value
//! and what was expected), a file that is unusable as a whole, a header that does not fit the
//! codebook, a read that failed. The crate's [`Error`](crate::Error) wraps this type.

use crate::text::quote_value;
use std::fmt;
use std::path::{Path, PathBuf};

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
            s.push_str(&format!(", column '{}'", crate::text::escape::terminal(c)));
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

/// An input that cannot be read as asked.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An option that does not fit the file (`--sheet` on a CSV file, an unknown sheet).
    #[error("{0}")]
    Usage(String),
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
}

impl Error {
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

    pub fn read(path: &Path, source: std::io::Error) -> Self {
        Error::Read {
            path: path.to_path_buf(),
            source,
        }
    }

    /// Whether the fault lies in the data's content (exit code 1) rather than in how it was
    /// asked for (exit code 2).
    pub fn is_data_problem(&self) -> bool {
        matches!(self, Error::DataFile { .. } | Error::Data(_))
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

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
