//! Small delimited files a codebook names besides its population figures: the benchmark
//! (`benchmark = "FILE"`) and the gross sample (`[response] invited = "FILE"`). Read whole when
//! the codebook is read, header first; every problem names the file and line.

use super::error::{CbResult, CodebookError};
use std::path::{Path, PathBuf};

/// The largest side file read (a real one is a few kilobytes; this stops `/dev/zero`).
const MAX_BYTES: u64 = 16 << 20;

/// A side file as text cells, with line numbers.
pub(super) struct SideFile {
    pub path: PathBuf,
    pub header: Vec<String>,
    /// (line, cells) of every non-empty line after the header.
    pub rows: Vec<(usize, Vec<String>)>,
    pub decimal: u8,
}

impl SideFile {
    /// Read `path` (named by `key` in the codebook) with the codebook's delimiter, or the one
    /// its header line plainly uses; `columns` are the header names it may have, `required`
    /// those it must have.
    pub fn read(
        path: &Path,
        key: &str,
        delimiter: u8,
        decimal: u8,
        columns: &[&str],
        required: &[&str],
    ) -> CbResult<SideFile> {
        use std::io::Read;
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .and_then(|f| f.take(MAX_BYTES + 1).read_to_end(&mut bytes))
            .map_err(|e| {
                CodebookError::invalid(
                    format!("{key} = {:?}", path.display().to_string()),
                    format!("cannot read the file: {e}"),
                )
            })?;
        if bytes.len() as u64 > MAX_BYTES {
            return Err(at(path, 1, format!("larger than {} MiB", MAX_BYTES >> 20)));
        }
        let text = String::from_utf8(bytes).map_err(|e| {
            at(
                path,
                1,
                format!("not UTF-8 text ({e}); save the file as UTF-8"),
            )
        })?;
        let mut records = records(path, &text, delimiter)?;
        if records.is_empty() {
            return Err(at(
                path,
                1,
                format!("empty; expected a header line {}", columns.join(";")),
            ));
        }
        let (_, header): (usize, Vec<String>) = records.remove(0);
        for h in &header {
            if !columns.contains(&h.as_str()) {
                return Err(at(
                    path,
                    1,
                    format!("unknown column '{h}'; expected {}", columns.join(", ")),
                ));
            }
        }
        for r in required {
            if !header.iter().any(|h| h == r) {
                return Err(at(
                    path,
                    1,
                    format!(
                        "the header lacks the column '{r}' (header: {})",
                        header.join(", ")
                    ),
                ));
            }
        }
        Ok(SideFile {
            path: path.to_path_buf(),
            header,
            rows: records,
            decimal,
        })
    }

    /// The cell of column `name` in `cells` (empty when the column or the cell is absent).
    pub fn cell<'a>(&self, cells: &'a [String], name: &str) -> &'a str {
        self.header
            .iter()
            .position(|h| h == name)
            .and_then(|i| cells.get(i))
            .map_or("", |s| s.as_str())
    }

    /// A number in the codebook's decimal notation.
    pub fn number(&self, line: usize, column: &str, raw: &str) -> CbResult<f64> {
        crate::text::number::parse_number(raw.as_bytes(), self.decimal)
            .map_err(|why| self.at(line, format!("{column} {raw:?}: expected a number ({why})")))
    }

    pub fn at(&self, line: usize, problem: String) -> CodebookError {
        at(&self.path, line, problem)
    }
}

/// A problem at a line of a file the codebook names.
pub(in crate::codebook) fn at(path: &Path, line: usize, problem: String) -> CodebookError {
    CodebookError::invalid(format!("{}:{line}", path.display()), problem)
}

/// The non-empty lines of a small delimited file as trimmed cells, with their line numbers. The
/// delimiter is `delimiter` (the codebook's), or the one the first line plainly uses; a UTF-8
/// BOM is skipped.
pub(in crate::codebook) fn records(
    path: &Path,
    text: &str,
    delimiter: u8,
) -> CbResult<Vec<(usize, Vec<String>)>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.contains(delimiter as char) {
        delimiter
    } else {
        [b';', b',', b'\t']
            .into_iter()
            .find(|d| first.contains(*d as char))
            .unwrap_or(delimiter)
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.map_err(|e| at(path, i + 1, format!("not a CSV line: {e}")))?;
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        records.push((i + 1, rec.iter().map(|f| f.trim().to_string()).collect()));
    }
    Ok(records)
}
