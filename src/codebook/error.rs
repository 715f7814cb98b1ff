//! What can be wrong with a codebook. Every variant names the section or variable at fault, so
//! a user can find the line to fix.

use std::path::PathBuf;

/// An invalid codebook.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CodebookError {
    /// TOML syntax or shape (an unknown key, a wrong type), with the parser's position.
    #[error("{0}")]
    Syntax(String),
    /// A required key is absent.
    #[error("{context}: key '{key}' is required{hint}")]
    Required {
        context: String,
        key: &'static str,
        /// Extra words on what the key holds (starting with a space or empty).
        hint: &'static str,
    },
    /// A key that belongs to another variable type.
    #[error("{context}: key '{key}' does not apply to this type (allowed: {allowed})")]
    NotApplicable {
        context: String,
        key: &'static str,
        allowed: String,
    },
    /// A reference to a variable that the codebook does not declare.
    #[error("{context}: '{key}' names unknown variable '{name}'")]
    UnknownVariable {
        context: String,
        key: &'static str,
        name: String,
    },
    /// A name or code given twice.
    #[error("{what} is declared twice")]
    Duplicate { what: String },
    /// Any other invalid value: where, and what is wrong with it.
    #[error("{context}: {problem}")]
    Invalid { context: String, problem: String },
}

impl CodebookError {
    pub fn invalid(context: impl Into<String>, problem: impl Into<String>) -> Self {
        CodebookError::Invalid {
            context: context.into(),
            problem: problem.into(),
        }
    }
}

pub type CbResult<T> = std::result::Result<T, CodebookError>;

/// A codebook file that cannot be read, or whose text is invalid: the file, and what is wrong.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Invalid {
        path: PathBuf,
        source: CodebookError,
    },
}
