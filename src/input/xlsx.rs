//! Excel workbooks (.xlsx): one worksheet read cell by cell (streamed, so memory stays flat)
//! into the same text records as a CSV file.
//!
//! Readings (docs/codebook.md, "Inputs"): the header is the sheet's first row with a value; each
//! later row with a value is a respondent, reported by its row number as Excel shows it. Numbers
//! are written in their shortest form (1.0 is the code "1"), text cells as they are, TRUE and
//! FALSE as 1 and 0, dates as ISO 8601 (`2023-10-01`, with the time when it is not midnight),
//! durations as their number of days, error cells as their text (`#N/A`, so an error unless the
//! codebook declares it a missing code), empty cells as missing. A value right of the header's
//! last column is a problem of its row.

use super::lanes::TextChunk;
use super::scan::{records_pass, RecordSource, RowSink, Scan, ScanOptions};
use super::source::{Body, Source};
use super::spss::number_text;
use crate::codebook::Codebook;
use crate::input::error::{Error, Result, RowProblem};
use calamine::{Cell, DataRef, Reader, Xlsx, XlsxCellReader};
use std::borrow::Cow;
use std::fmt::Write;
use std::io::BufReader;
use std::path::{Path, PathBuf};

type Workbook = Xlsx<BufReader<Body>>;

/// Read the chosen worksheet of a workbook once, on the two lanes.
pub fn scan_xlsx<S, F>(
    source: Source,
    codebook: &Codebook,
    opts: ScanOptions,
    make_sink: F,
) -> Result<Scan<S>>
where
    S: RowSink,
    F: Fn() -> S,
{
    let path = source.path.clone();
    let sheet = opts.sheet.clone();
    with_rows(source, sheet.as_deref(), |rows| {
        records_pass(&path, codebook, opts, make_sink, rows)
    })
}

/// The rows of the chosen worksheet (`sheet`, or the first) as a record source, handed to `f`
/// (they borrow the workbook, which lives only as long as this call).
pub fn with_rows<T>(
    source: Source,
    sheet: Option<&str>,
    f: impl FnOnce(&mut dyn RecordSource) -> Result<T>,
) -> Result<T> {
    let path = source.path.clone();
    let mut body = source.into_body()?;
    // Unpacked once as a stream before the cell reader, which holds shared strings and cells
    // whole: a ZIP bomb is refused here, and formulas without values are found.
    let findings = super::xlsx_guard::look(&mut body, &path, sheet)?;
    let mut workbook: Workbook =
        Xlsx::new(BufReader::with_capacity(1 << 16, body)).map_err(|e| not_a_workbook(&path, e))?;
    let sheets = workbook.sheet_names();
    let chosen = choose_sheet(&path, &sheets, sheet)?;
    let cells = workbook
        .worksheet_cells_reader(&chosen)
        .map_err(|e| Error::data_file(&path, format!("sheet '{chosen}' cannot be read: {e}")))?;
    let mut rows = XlsxRows::new(path.clone(), chosen, cells)?;
    rows.sheets = sheets;
    rows.chosen = sheet.is_some();
    rows.uncached = findings;
    f(&mut rows)
}

fn not_a_workbook(path: &Path, e: calamine::XlsxError) -> Error {
    let what = match e {
        calamine::XlsxError::Zip(_) => "a damaged ZIP archive".to_string(),
        calamine::XlsxError::FileNotFound(f) => format!(
            "a ZIP archive without {f}, so not an Excel workbook (.xlsx); save the data as .xlsx or CSV"
        ),
        other => format!("not a readable Excel workbook: {other}"),
    };
    Error::data_file(path, format!("this is {what}"))
}

/// The sheet asked for, or the first.
fn choose_sheet(path: &Path, names: &[String], wanted: Option<&str>) -> Result<String> {
    match wanted {
        Some(w) if names.iter().any(|n| n == w) => Ok(w.to_string()),
        Some(w) => Err(Error::Usage(format!(
            "--sheet {w}: {} has no such sheet; sheets: {}",
            path.display(),
            names.join(", ")
        ))),
        None => names
            .first()
            .cloned()
            .ok_or_else(|| Error::data_file(path, "the workbook has no worksheets")),
    }
}

/// The rows of one worksheet as text records.
struct XlsxRows<'a> {
    path: PathBuf,
    sheet: String,
    cells: XlsxCellReader<'a, BufReader<Body>>,
    /// The first cell of the next row, read ahead.
    next: Option<Cell<DataRef<'a>>>,
    header: Vec<String>,
    /// The texts of the row being read, one per header column.
    texts: Vec<String>,
    /// Every sheet of the workbook, and whether this one was asked for (`--sheet`).
    sheets: Vec<String>,
    chosen: bool,
    /// Cells with a formula and no value (read as empty; said at the end).
    uncached: super::xlsx_guard::Findings,
}

impl<'a> XlsxRows<'a> {
    fn new(
        path: PathBuf,
        sheet: String,
        cells: XlsxCellReader<'a, BufReader<Body>>,
    ) -> Result<Self> {
        let mut rows = XlsxRows {
            path,
            sheet,
            cells,
            next: None,
            header: Vec::new(),
            texts: Vec::new(),
            sheets: Vec::new(),
            chosen: false,
            uncached: Default::default(),
        };
        rows.next = rows.read_cell()?;
        let mut extra = Vec::new();
        if rows.read_row(usize::MAX, &mut extra)?.is_none() {
            return Err(Error::data_file(
                &rows.path,
                format!("sheet '{}' is empty; expected a header row", rows.sheet),
            ));
        }
        let width = rows
            .texts
            .iter()
            .rposition(|t| !t.is_empty())
            .map_or(0, |i| i + 1);
        rows.texts.truncate(width);
        rows.header = std::mem::take(&mut rows.texts);
        Ok(rows)
    }

    fn read_cell(&mut self) -> Result<Option<Cell<DataRef<'a>>>> {
        self.cells.next_cell().map_err(|e| {
            Error::data_file(
                &self.path,
                format!("sheet '{}' cannot be read: {e}", self.sheet),
            )
        })
    }

    /// The next row with a value into `self.texts` (`width` columns; cells beyond it are noted
    /// in `extra` as (column, text)); its 0-based row index, or `None` at the end.
    fn read_row(&mut self, width: usize, extra: &mut Vec<(u32, String)>) -> Result<Option<u32>> {
        loop {
            let Some(first) = self.next.take() else {
                return Ok(None);
            };
            let row = first.get_position().0;
            for t in &mut self.texts {
                t.clear();
            }
            extra.clear();
            let mut any = false;
            let mut cell = Some(first);
            while let Some(c) = cell.take() {
                let (r, col) = c.get_position();
                if r != row {
                    self.next = Some(c);
                    break;
                }
                let col_i = col as usize;
                if col_i >= width {
                    let mut t = String::new();
                    cell_text(c.get_value(), &mut t);
                    if !t.trim().is_empty() {
                        extra.push((col, t));
                    }
                } else {
                    if self.texts.len() <= col_i {
                        self.texts.resize(col_i + 1, String::new());
                    }
                    cell_text(c.get_value(), &mut self.texts[col_i]);
                    any |= !self.texts[col_i].trim().is_empty();
                }
                cell = self.read_cell()?;
            }
            if any || !extra.is_empty() {
                return Ok(Some(row));
            }
        }
    }
}

impl RecordSource for XlsxRows<'_> {
    fn header(&self) -> Vec<String> {
        self.header.clone()
    }

    fn record_name(&self) -> Cow<'static, str> {
        format!("sheet '{}', row", self.sheet).into()
    }

    fn header_context(&self) -> Option<String> {
        Some(if self.chosen {
            format!("the header was read from sheet '{}' (--sheet)", self.sheet)
        } else {
            format!(
                "the header was read from sheet '{}', the workbook's first (sheets: {}); name the sheet with the data with --sheet",
                self.sheet,
                self.sheets.join(", ")
            )
        })
    }

    fn next_chunk(&mut self, chunk: &mut TextChunk, max: usize) -> Result<usize> {
        chunk.lines.clear();
        chunk.problems.clear();
        let width = self.header.len();
        let mut extra = Vec::new();
        let mut n = 0;
        while n < max {
            self.texts.resize(width, String::new());
            let Some(row) = self.read_row(width, &mut extra)? else {
                break;
            };
            if chunk.records.len() <= n {
                chunk.records.push(csv::ByteRecord::new());
            }
            let rec = &mut chunk.records[n];
            rec.clear();
            for t in &self.texts[..width] {
                rec.push_field(t.as_bytes());
            }
            let line = u64::from(row) + 1;
            chunk.lines.push(line);
            for (col, text) in extra.drain(..) {
                chunk.problems.push((
                    n,
                    RowProblem {
                        line,
                        column: Some(format!("{} (no header)", column_letters(col))),
                        value: Some(text),
                        expected: format!(
                            "expected nothing right of the header's last column ({})",
                            column_letters(width.saturating_sub(1) as u32)
                        ),
                    },
                ));
            }
            n += 1;
        }
        Ok(n)
    }

    fn finish(&mut self, notes: &mut Vec<String>) -> Result<()> {
        let u = &self.uncached;
        if u.uncached > 0 {
            notes.push(format!(
                "sheet '{}': {} cell{} hold{} a formula without a computed value ({}{}), read \
                 as empty: the workbook was written by a program that does not compute formulas; \
                 open it in Excel or LibreOffice and save it, or write the values instead",
                crate::text::escape::terminal(&self.sheet),
                u.uncached,
                if u.uncached == 1 { "" } else { "s" },
                if u.uncached == 1 { "s" } else { "" },
                u.uncached_cells.join(", "),
                if u.uncached > u.uncached_cells.len() {
                    ", …"
                } else {
                    ""
                }
            ));
        }
        Ok(())
    }
}

/// A cell's value as text (see the module documentation).
fn cell_text(v: &DataRef<'_>, out: &mut String) {
    out.clear();
    match v {
        DataRef::Int(i) => {
            let _ = write!(out, "{i}");
        }
        DataRef::Float(x) => out.push_str(&number_text(*x)),
        DataRef::String(s) => out.push_str(s),
        DataRef::SharedString(s) => out.push_str(s),
        DataRef::Bool(b) => out.push_str(if *b { "1" } else { "0" }),
        DataRef::DateTime(d) if d.is_duration() => out.push_str(&number_text(d.as_f64())),
        DataRef::DateTime(d) => {
            let (y, mo, da, h, mi, s, ms) = d.to_ymd_hms_milli();
            let _ = write!(out, "{y:04}-{mo:02}-{da:02}");
            if (h, mi, s, ms) != (0, 0, 0, 0) {
                let _ = write!(out, " {h:02}:{mi:02}:{s:02}");
                if ms != 0 {
                    let _ = write!(out, ".{ms:03}");
                }
            }
        }
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => out.push_str(s),
        DataRef::Error(e) => {
            let _ = write!(out, "{e}");
        }
        DataRef::Empty => {}
    }
}

/// Excel's column name: 0 → A, 25 → Z, 26 → AA.
pub fn column_letters(col: u32) -> String {
    let mut n = col + 1;
    let mut s = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        s.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).expect("ASCII letters")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_as_excel_shows_them() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn cells_as_text() {
        let mut t = String::new();
        cell_text(&DataRef::Float(1.0), &mut t);
        assert_eq!(t, "1");
        cell_text(&DataRef::Float(2.5), &mut t);
        assert_eq!(t, "2.5");
        cell_text(&DataRef::Bool(true), &mut t);
        assert_eq!(t, "1");
        cell_text(&DataRef::Error(calamine::CellErrorType::NA), &mut t);
        assert_eq!(t, "#N/A");
        let d = calamine::ExcelDateTime::new(45200.0, calamine::ExcelDateTimeType::DateTime, false);
        cell_text(&DataRef::DateTime(d), &mut t);
        assert_eq!(t, "2023-10-01");
    }
}
