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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codebook::Codebook;
    use crate::draft::DraftKind;

    fn table(header: &[&str], rows: &[&[&str]]) -> TextTable {
        TextTable {
            header: header.iter().map(|s| s.to_string()).collect(),
            rows: rows
                .iter()
                .map(|r| r.iter().map(|s| s.to_string()).collect())
                .collect(),
        }
    }

    #[test]
    fn a_table_of_text_cells_is_drafted_like_a_csv_file() {
        let mut rows: Vec<Vec<&str>> = Vec::new();
        let ages = [
            "23", "999", "45", "67", "81", "34", "52", "19", "70", "38", "61", "29", "44",
        ];
        for (i, age) in ages.iter().enumerate() {
            rows.push(vec![
                age,
                if i % 2 == 0 { "1" } else { "" },
                if i % 3 == 0 { "1" } else { "" },
                "2023-09-21",
                if i % 4 == 0 { "0,5" } else { "1,5" },
            ]);
        }
        let rows: Vec<&[&str]> = rows.iter().map(|r| r.as_slice()).collect();
        let t = table(&["leeftijd", "q_a", "q_b", "datum", "weging"], &rows);
        let (draft, decimal) = t.draft("t", "memory", None);
        assert_eq!(decimal, b',');
        assert_eq!(draft.weight.as_ref().map(|w| w.0.as_str()), Some("weging"));
        assert!(draft.skipped.iter().any(|(c, _)| c == "datum"));
        let multi = draft.variables.iter().find(|v| v.name == "q").unwrap();
        assert!(
            matches!(&multi.kind, DraftKind::Multi { unselected, .. } if unselected.is_empty())
        );
        let age = draft
            .variables
            .iter()
            .find(|v| v.name == "leeftijd")
            .unwrap();
        assert!(matches!(&age.kind, DraftKind::Numeric { missing } if missing == &["999"]));
        // How the format writes numbers (`[data]` for CSV) is the caller's to add.
        let text = draft.to_toml();
        if let Err(e) = Codebook::parse(&text) {
            panic!("{e}\n{text}");
        }
    }
}
