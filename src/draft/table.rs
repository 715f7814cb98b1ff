//! A table of text cells, as any reader can give it: the header and rows of strings. Drafting
//! works on such tables, so a format only has to produce text cells (CSV streams its rows into a
//! [`TableProfile`] without holding them; spreadsheet and Parquet readers can build a
//! [`TextTable`]).

use super::infer::infer;
use super::profile::TableProfile;
use super::Draft;

/// A header and rows of text cells. Empty cells are missing; numbers are written with one
/// decimal mark throughout.
#[derive(Debug, Clone, Default)]
pub struct TextTable {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl TextTable {
    /// Profiles of every column.
    pub fn profile(&self) -> TableProfile {
        let mut profile = TableProfile::new(self.header.len());
        for row in &self.rows {
            profile.add_row(row.iter().map(String::as_str));
        }
        profile
    }

    /// A draft of this table titled `title`, from `source` (a path, for the first comment).
    /// The decimal mark is `decimal`, or detected from the numbers when None; it is returned
    /// with the draft, which leaves how the file is written (`[data]`) to the caller.
    pub fn draft(&self, title: &str, source: &str, decimal: Option<u8>) -> (Draft, u8) {
        draft_profile(&self.header, &self.profile(), title, source, decimal)
    }
}

/// A draft from a header and its columns' profiles (see [`TextTable::draft`]).
pub fn draft_profile(
    header: &[String],
    profile: &TableProfile,
    title: &str,
    source: &str,
    decimal: Option<u8>,
) -> (Draft, u8) {
    let decimal = decimal.unwrap_or_else(|| profile.decimal_mark());
    let mut draft = Draft {
        title: title.to_string(),
        source: source.to_string(),
        ..Default::default()
    };
    infer(header, profile, decimal, &mut draft);
    (draft, decimal)
}
