//! SPSS system files (.sav, .zsav), read with the `ambers` crate and turned into the same text
//! records as a CSV file, so that every command decodes them with the same rules and gives the
//! same estimates to the last digit.
//!
//! Conventions (docs/spss.md): numbers are written in their shortest form (1.0 is code "1");
//! strings are trimmed of SPSS padding; system-missing and blank values are empty (missing); the
//! file's user-missing values and ranges are empty too, unless the codebook declares that code as
//! a value of the variable. A file that `ambers` reads only partly (truncated or damaged) is an
//! error, never a silently shorter file.

use super::lanes::TextChunk;
use super::scan::RecordSource;
use super::source::{fill_to, Body, Kind, Source};
use super::spss_check::{incomplete_case, SavHeader, Track, Tracked};
use crate::codebook::{Codebook, ImpliedKind, ImpliedVariable, VariableKind};
use crate::input::error::{Error, Result};
use ambers::{MissingSpec, MrType, SpssMetadata, Value};
use arrow::array::{Array, AsArray, RecordBatch};
use arrow::datatypes::{DataType, Date32Type, Float64Type};
use std::borrow::Cow;
use std::io::{BufReader, Seek, SeekFrom};
use std::path::Path;
use std::sync::{Arc, Mutex};

/// Rows per batch read from the file (memory stays flat in the number of rows).
const BATCH_ROWS: usize = 8192;

/// Whether a file is an SPSS system file, by its first bytes ("$FL2" .sav, "$FL3" .zsav). The
/// file stays open for the step that reads it.
pub fn is_spss(path: &Path) -> bool {
    matches!(super::source::kind(path), Ok(Kind::Spss))
}

fn spss_error(path: &Path, e: ambers::error::SpssError) -> Error {
    Error::data_file(path, format!("not a readable SPSS file: {e}"))
}

/// A call into `ambers`, which panics on some damaged files (lengths that overflow, indices out
/// of range in the dictionary): its panic is an error of the file, not a crash.
fn read_spss<T>(
    path: &Path,
    f: impl FnOnce() -> std::result::Result<T, ambers::error::SpssError>,
) -> Result<T> {
    match super::guard::guarded(f) {
        Ok(r) => r.map_err(|e| spss_error(path, e)),
        Err(panic) => Err(Error::data_file(
            path,
            format!("not a readable SPSS file: it is damaged (the SPSS reader stopped: {panic})"),
        )),
    }
}

/// The file's dictionary. The file stays open for the step that reads its cases.
pub fn metadata(path: &Path) -> Result<SpssMetadata> {
    super::source::with_source(path, |source| {
        let path = source.path.clone();
        let body = source.seekable()?;
        let scanner = read_spss(&path, || {
            ambers::scan_sav_from_reader(BufReader::with_capacity(1 << 16, body), 0)
        })?;
        Ok(scanner.metadata().clone())
    })
}

/// A number as code text: 1.0 → "1", 2.5 → "2.5".
pub fn number_text(x: f64) -> String {
    let plain = format!("{x}");
    // Rust writes 1e64 with 65 digits and 1e-70 with 71; a number that long is refused as "too
    // long" by the reader of text numbers, which a CSV file's `1e-70` is not: above that length
    // the exponent form says the same number.
    if plain.len() > crate::text::number::MAX_NUMBER_TEXT {
        format!("{x:e}")
    } else {
        plain
    }
}

fn value_text(v: &Value) -> String {
    match v {
        Value::Numeric(x) => number_text(*x),
        Value::String(s) => s.trim().to_string(),
    }
}

fn discrete_missing(specs: &[MissingSpec]) -> Vec<String> {
    specs
        .iter()
        .filter_map(|m| match m {
            MissingSpec::Value(v) => Some(number_text(*v)),
            MissingSpec::StringValue(s) => Some(s.trim().to_string()),
            MissingSpec::Range { .. } => None,
        })
        .collect()
}

fn is_user_missing_number(specs: &[MissingSpec], x: f64) -> bool {
    specs.iter().any(|m| match *m {
        MissingSpec::Value(v) => v == x,
        MissingSpec::Range { lo, hi } => lo <= x && x <= hi,
        MissingSpec::StringValue(_) => false,
    })
}

/// A variable's user-missing values as the dictionary gives them.
fn missing_specs(meta: &SpssMetadata, name: &str) -> Vec<MissingSpec> {
    meta.variable_missing_values
        .get(name)
        .cloned()
        .unwrap_or_default()
}

/// A variable's value labels as (code, label), without those of its user-missing codes.
pub fn value_labels(meta: &SpssMetadata, name: &str) -> Vec<(String, String)> {
    let specs = missing_specs(meta, name);
    let missing = discrete_missing(&specs);
    meta.value_labels(name)
        .map(|labels| {
            labels
                .iter()
                .filter(|(v, _)| match v {
                    Value::Numeric(x) => !is_user_missing_number(&specs, *x),
                    Value::String(_) => true,
                })
                .map(|(v, l)| (value_text(v), l.clone()))
                .filter(|(code, _)| !missing.contains(code) && !code.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// What the file's dictionary says about its variables, for a codebook that does not describe
/// them itself: value-labelled variables are single-choice questions (their user-missing codes
/// left out of the values), others numeric; dichotomy multiple-response sets are select-all
/// questions.
pub fn implied_variables(meta: &SpssMetadata) -> Vec<ImpliedVariable> {
    let mut out = Vec::new();
    for name in &meta.variable_names {
        let label = meta
            .label(name)
            .map(|s| s.to_string())
            .filter(|s| !s.is_empty());
        let missing = discrete_missing(&missing_specs(meta, name));
        // Value labels of user-missing codes ("999 Onbekend") do not make a variable categorical;
        // neither do labels on a variable measured on a scale (a rating with "98 Geen mening").
        let values = value_labels(meta, name);
        let scale = meta.measure(name) == Some(ambers::Measure::Scale);
        let kind = if values.is_empty() || scale {
            ImpliedKind::Numeric { missing }
        } else {
            ImpliedKind::Categorical { values, missing }
        };
        out.push(ImpliedVariable {
            name: name.clone(),
            label,
            kind,
        });
    }
    for set in meta.mr_sets.values() {
        if set.mr_type != MrType::MultipleDichotomy {
            continue;
        }
        out.push(ImpliedVariable {
            name: set.name.clone(),
            label: Some(set.label.clone()).filter(|s| !s.is_empty()),
            kind: ImpliedKind::Multi {
                items: set
                    .variables
                    .iter()
                    .map(|v| (v.clone(), meta.label(v).unwrap_or(v).to_string()))
                    .collect(),
                selected: set
                    .counted_value
                    .clone()
                    .map(|c| c.trim().to_string())
                    .unwrap_or_else(|| "1".into()),
            },
        });
    }
    out
}

/// Per column: the numeric codes the codebook declares as values (kept even when the file
/// calls them user-missing).
fn declared_codes(codebook: &Codebook, column: &str) -> Vec<String> {
    codebook
        .variables
        .iter()
        .filter(|v| v.name == column)
        .flat_map(|v| match &v.kind {
            VariableKind::Categorical { values, .. } => {
                values.iter().map(|c| c.code.clone()).collect()
            }
            _ => Vec::new(),
        })
        .collect()
}

/// Streams an SPSS file's rows as text records.
pub struct SpssRecords {
    path: std::path::PathBuf,
    scanner: ambers::Scanner<Tracked<BufReader<Body>>>,
    /// Per column: user-missing specs, and codes the codebook keeps as values.
    missing: Vec<(Vec<MissingSpec>, Vec<String>)>,
    pub header: Vec<String>,
    batch: Option<RecordBatch>,
    row: usize,
    file_header: SavHeader,
    file_len: u64,
    track: Arc<Mutex<Track>>,
    /// Cases handed out so far.
    given: u64,
}

impl SpssRecords {
    /// Open the file at `path` (taking it from an earlier step that opened it).
    pub fn open(path: &Path, codebook: &Codebook) -> Result<SpssRecords> {
        SpssRecords::from_source(super::source::take(path)?, codebook)
    }

    pub fn from_source(mut source: Source, codebook: &Codebook) -> Result<SpssRecords> {
        let path = source.path.clone();
        let read_err = |e: std::io::Error| Error::Read {
            path: path.clone(),
            source: e,
        };
        let body = source.seekable()?;
        let file_len = body.size().map_err(read_err)?;
        let mut first = Vec::with_capacity(176);
        fill_to(body, &mut first, 176).map_err(read_err)?;
        body.seek(SeekFrom::Start(0)).map_err(read_err)?;
        let file_header = SavHeader::parse(&first).ok_or_else(|| {
            Error::data_file(&path, "not a readable SPSS file: the header is cut short")
        })?;
        let body = source.into_body()?;
        let (tracked, track) = Tracked::new(
            BufReader::with_capacity(1 << 16, body),
            file_header.compression == 1,
        );
        let scanner = read_spss(&path, || ambers::scan_sav_from_reader(tracked, BATCH_ROWS))?;
        let schema = scanner.schema();
        let header: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
        let meta = scanner.metadata();
        let missing = header
            .iter()
            .map(|h| {
                (
                    meta.variable_missing_values
                        .get(h)
                        .cloned()
                        .unwrap_or_default(),
                    declared_codes(codebook, h),
                )
            })
            .collect();
        Ok(SpssRecords {
            path,
            scanner,
            missing,
            header,
            batch: None,
            row: 0,
            file_header,
            file_len,
            track,
            given: 0,
        })
    }

    /// Fill `out` with up to `max` records (reusing its records); returns how many. At the end
    /// of the file, checks that the whole file was read.
    pub fn next_chunk(&mut self, out: &mut Vec<csv::ByteRecord>, max: usize) -> Result<usize> {
        let mut n = 0;
        let mut text = String::new();
        while n < max {
            let exhausted = self.batch.as_ref().is_none_or(|b| self.row >= b.num_rows());
            if exhausted {
                let scanner = &mut self.scanner;
                match read_spss(&self.path, || scanner.next_batch())? {
                    Some(b) => {
                        self.batch = Some(b);
                        self.row = 0;
                        continue;
                    }
                    None => {
                        self.batch = None;
                        self.check_complete()?;
                        break;
                    }
                }
            }
            let batch = self.batch.as_ref().expect("a batch is loaded");
            if out.len() <= n {
                out.push(csv::ByteRecord::new());
            }
            let rec = &mut out[n];
            rec.clear();
            for (c, (specs, keep)) in self.missing.iter().enumerate() {
                text.clear();
                let col = batch.column(c);
                match col.data_type() {
                    DataType::Float64 => {
                        let a = col.as_primitive::<Float64Type>();
                        if a.is_valid(self.row) {
                            let x = a.value(self.row);
                            let t = number_text(x);
                            if !is_user_missing_number(specs, x) || keep.contains(&t) {
                                text.push_str(&t);
                            }
                        }
                    }
                    DataType::Utf8View => {
                        let s = col.as_string_view().value(self.row).trim();
                        let missing = specs
                            .iter()
                            .any(|m| matches!(m, MissingSpec::StringValue(v) if v.trim() == s));
                        if !missing || keep.iter().any(|k| k == s) {
                            text.push_str(s);
                        }
                    }
                    DataType::Date32 => {
                        let a = col.as_primitive::<Date32Type>();
                        if a.is_valid(self.row) {
                            text.push_str(&a.value(self.row).to_string());
                        }
                    }
                    _ => {}
                }
                rec.push_field(text.as_bytes());
            }
            self.row += 1;
            n += 1;
        }
        self.given += n as u64;
        Ok(n)
    }

    /// ambers returns what it could read of a truncated or damaged file with a warning, and
    /// drops an incomplete last case; both are errors here (no silently shorter file).
    fn check_complete(&self) -> Result<()> {
        let meta = self.scanner.metadata();
        let read = self.scanner.rows_read() as u64;
        if let Some(w) = meta.warnings.first() {
            return Err(Error::data_file(
                &self.path,
                format!("the SPSS file is truncated or damaged after case {read}: {w}"),
            ));
        }
        let track = self.track.lock().unwrap_or_else(|e| e.into_inner());
        let data_len = track.dict_end.map(|d| self.file_len.saturating_sub(d));
        if let Some(m) = incomplete_case(&self.file_header, data_len, track.bytecode.as_ref(), read)
        {
            return Err(Error::data_file(&self.path, m));
        }
        let declared = self.file_header.cases;
        if declared >= 0 && declared as u64 != read {
            return Err(Error::data_file(
                &self.path,
                format!("the SPSS file is truncated or damaged: its header declares {declared} cases but {read} were read"),
            ));
        }
        Ok(())
    }
}

impl RecordSource for SpssRecords {
    fn header(&self) -> Vec<String> {
        self.header.clone()
    }

    fn record_name(&self) -> Cow<'static, str> {
        "case".into()
    }

    fn next_chunk(&mut self, chunk: &mut TextChunk, max: usize) -> Result<usize> {
        let first = self.given + 1;
        let n = SpssRecords::next_chunk(self, &mut chunk.records, max)?;
        chunk.lines.clear();
        chunk.lines.extend((0..n as u64).map(|k| first + k));
        chunk.problems.clear();
        Ok(n)
    }

    fn finish(&mut self, notes: &mut Vec<String>) -> Result<()> {
        if self.file_header.cases < 0 {
            notes.push(format!(
                "the SPSS header does not give the number of cases; {} cases were read to the end of the file",
                self.scanner.rows_read()
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::number_text;
    use crate::text::number::parse_number;

    #[test]
    fn numbers_too_long_for_plain_digits_get_an_exponent() {
        assert_eq!(number_text(1.0), "1");
        assert_eq!(number_text(2.5), "2.5");
        assert_eq!(
            number_text(1e21),
            "1000000000000000000000",
            "unchanged below the limit"
        );
        assert_eq!(number_text(1e64), "1e64");
        assert_eq!(number_text(1e-70), "1e-70");
        for x in [1e64, 1e-70, 1e300, 1.2345678901234567e-50, -3e100, 5e-324] {
            let t = number_text(x);
            assert!(t.len() <= 64, "{t}");
            assert_eq!(parse_number(t.as_bytes(), b'.'), Ok(x), "{t}");
        }
    }
}
