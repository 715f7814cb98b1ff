//! Drafting a codebook from a data file, so that a researcher starts from something that runs.
//!
//! The draft is a proposal, written as commented TOML: every inference says what it was based
//! on, so the user can check it. It contains only what the codebook check accepts, and is
//! accepted by `crosstab` as it is.
//!
//! Text formats are read into rows of text cells ([`table::TextTable`], or streamed into a
//! [`profile::TableProfile`]), and one inference ([`infer`]) turns any such table into a draft;
//! SPSS files are drafted from their own dictionary ([`spss`]).

pub mod csv;
pub mod infer;
pub mod missing;
pub mod names;
pub mod profile;
pub mod records;
mod render;
pub mod sniff;
pub mod spss;
pub mod table;

pub use names::{is_age_name, is_grouping_name};
pub use render::toml_str;

/// A variable in a draft.
#[derive(Debug, Clone)]
pub enum DraftKind {
    Numeric {
        missing: Vec<String>,
    },
    Categorical {
        values: Vec<(String, String)>,
        missing: Vec<String>,
    },
    Multi {
        items: Vec<(String, String)>,
        selected: String,
        /// `""` when an empty cell means "not selected" (items coded 1/empty).
        unselected: String,
    },
    /// Age groups over a numeric variable.
    AgeBins {
        from: String,
    },
}

#[derive(Debug, Clone)]
pub struct DraftVariable {
    pub name: String,
    pub label: String,
    pub kind: DraftKind,
    /// Why it was drafted this way (written as a comment).
    pub comment: Option<String>,
}

/// A setting of `[data]` and how it was found ("detected ...", "as given").
#[derive(Debug, Clone)]
pub struct Setting {
    pub value: u8,
    pub why: String,
}

/// `[data] encoding` and how it was found.
#[derive(Debug, Clone)]
pub struct EncodingSetting {
    pub value: crate::text::encoding::Encoding,
    pub why: String,
}

#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub title: String,
    pub source: String,
    /// The weight column and why.
    pub weight: Option<(String, String)>,
    /// Written under `[data]` when not the default `,` and `.`.
    pub delimiter: Option<Setting>,
    pub decimal: Option<Setting>,
    /// Written under `[data]` when the file is not UTF-8.
    pub encoding: Option<EncodingSetting>,
    pub variables: Vec<DraftVariable>,
    /// Grouping variables suggested for every table.
    pub by: Vec<String>,
    /// Columns left out, with the reason.
    pub skipped: Vec<(String, String)>,
    /// Remarks about the file as a whole (renamed header cells, ...), written at the top.
    pub notes: Vec<String>,
}

/// The standard age groups of Dutch municipal monitors.
pub const AGE_BINS: [(&str, f64, Option<f64>); 5] = [
    ("18-29", 18.0, Some(29.0)),
    ("30-44", 30.0, Some(44.0)),
    ("45-54", 45.0, Some(54.0)),
    ("55-64", 55.0, Some(64.0)),
    ("65+", 65.0, None),
];

/// Parse `--delimiter`: one character, or `\t` (also a real tab) for tab; not a quote or a
/// line break, which cannot separate fields.
pub fn delimiter_arg(s: &str) -> Result<u8, String> {
    let v = if s == "\\t" { "\t" } else { s };
    match v.as_bytes() {
        [b'"'] | [b'\n'] | [b'\r'] => Err(format!("{s:?} cannot separate fields")),
        [b] => Ok(*b),
        _ => Err(format!(
            "expected one character (\"\\t\" for tab), not {s:?}"
        )),
    }
}

/// Parse `--decimal`: `.` or `,`.
pub fn decimal_arg(s: &str) -> Result<u8, String> {
    match s {
        "." => Ok(b'.'),
        "," => Ok(b','),
        _ => Err(format!("expected \".\" or \",\", not {s:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn option_values() {
        assert_eq!(delimiter_arg(";"), Ok(b';'));
        assert_eq!(delimiter_arg("\\t"), Ok(b'\t'));
        assert_eq!(delimiter_arg("\t"), Ok(b'\t'));
        assert!(delimiter_arg(";;").is_err());
        assert!(delimiter_arg("\"").is_err());
        assert!(delimiter_arg("").is_err());
        assert_eq!(decimal_arg(","), Ok(b','));
        assert!(decimal_arg(";").is_err());
    }
}
