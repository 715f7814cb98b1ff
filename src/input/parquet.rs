//! Parquet files: the columns the codebook uses, read batch by batch and turned into the same
//! text records as a CSV file.
//!
//! Readings (docs/codebook.md, "Inputs"): nulls are missing; integers as they are; floats in
//! their shortest form (1.0 is the code "1"; NaN is not a number and so an error); decimals as
//! floats; booleans as 1 and 0; text, dictionary-encoded text (pandas' categoricals) as text;
//! dates and timestamps as ISO 8601 (`2023-10-01`, with the time when it is not midnight; UTC).
//! Rows are numbered from 1 in file order. A column of another type (lists, structs, binary) is
//! refused when the codebook uses it and ignored otherwise.

use super::lanes::TextChunk;
use super::plan::Plan;
use super::scan::RecordSource;
use super::source::{Body, Source};
use super::spss::number_text;
use crate::input::error::{Error, Result};
use arrow::array::{Array, ArrayRef, AsArray, RecordBatch};
use arrow::compute::cast;
use arrow::datatypes::{
    DataType, Date32Type, Float32Type, Float64Type, Int64Type, TimeUnit, TimestampMicrosecondType,
    TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType, UInt64Type,
};
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use parquet::arrow::ProjectionMask;
use std::borrow::Cow;
use std::fmt::Write;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::PathBuf;

/// Rows per batch read.
const BATCH_ROWS: usize = 8192;

/// A reader not yet built (the columns to read are chosen once the header is resolved).
/// The reader of the used columns only, in batches of [`BATCH_ROWS`] (a file or the bytes of
/// a pipe: two builder types, one reader type).
fn projected<T: parquet::file::reader::ChunkReader + 'static>(
    b: ParquetRecordBatchReaderBuilder<T>,
    used: &[usize],
) -> parquet::errors::Result<ParquetRecordBatchReader> {
    let mask = ProjectionMask::roots(b.parquet_schema(), used.iter().copied());
    b.with_projection(mask).with_batch_size(BATCH_ROWS).build()
}

enum Builder {
    File(ParquetRecordBatchReaderBuilder<File>),
    Memory(ParquetRecordBatchReaderBuilder<bytes::Bytes>),
}

/// The rows of a Parquet file as text records.
pub struct ParquetRecords {
    path: PathBuf,
    header: Vec<String>,
    types: Vec<DataType>,
    builder: Option<Builder>,
    reader: Option<ParquetRecordBatchReader>,
    /// Header positions of the columns read, in file order.
    used: Vec<usize>,
    /// The current batch's columns read, in canonical types (see [`canonical`]).
    columns: Vec<ArrayRef>,
    rows_in_batch: usize,
    row: usize,
    /// Rows handed out so far.
    given: u64,
}

fn parquet_error(path: &std::path::Path, e: impl std::fmt::Display) -> Error {
    let e = e.to_string();
    if e.contains("CRC checksum mismatch") {
        // Pages written with a checksum are verified (the parquet crate's `crc` feature): a
        // flipped byte would otherwise be read as a different value without a word.
        return Error::data_file(
            path,
            "this Parquet file is damaged: a page's checksum does not match its contents (bytes              changed after it was written); get a fresh copy of the file",
        );
    }
    Error::data_file(path, format!("not a readable Parquet file: {e}"))
}

impl ParquetRecords {
    pub fn open(source: Source) -> Result<ParquetRecords> {
        let path = source.path.clone();
        let read_err = |e: std::io::Error| Error::Read {
            path: path.clone(),
            source: e,
        };
        let mut body = source.into_body()?;
        let len = body.size().map_err(read_err)?;
        let mut tail = [0u8; 4];
        if len >= 12 {
            body.seek(SeekFrom::End(-4)).map_err(read_err)?;
            body.read_exact(&mut tail).map_err(read_err)?;
        }
        if &tail != b"PAR1" {
            return Err(Error::data_file(
                &path,
                "a Parquet file must end with 'PAR1' and this one does not: it is truncated or damaged",
            ));
        }
        let builder = match body {
            Body::File(f) => Builder::File(
                ParquetRecordBatchReaderBuilder::try_new(f).map_err(|e| parquet_error(&path, e))?,
            ),
            Body::Memory(m) => Builder::Memory(
                ParquetRecordBatchReaderBuilder::try_new(bytes::Bytes::from(m.into_inner()))
                    .map_err(|e| parquet_error(&path, e))?,
            ),
        };
        let schema = match &builder {
            Builder::File(b) => b.schema().clone(),
            Builder::Memory(b) => b.schema().clone(),
        };
        Ok(ParquetRecords {
            path,
            header: schema.fields().iter().map(|f| f.name().clone()).collect(),
            types: schema
                .fields()
                .iter()
                .map(|f| f.data_type().clone())
                .collect(),
            builder: Some(builder),
            reader: None,
            used: Vec::new(),
            columns: Vec::new(),
            rows_in_batch: 0,
            row: 0,
            given: 0,
        })
    }

    /// Load the next batch; false at the end.
    fn next_batch(&mut self) -> Result<bool> {
        let Some(reader) = self.reader.as_mut() else {
            return Ok(false);
        };
        let batch: RecordBatch = match reader.next() {
            None => return Ok(false),
            Some(b) => b.map_err(|e| parquet_error(&self.path, e))?,
        };
        self.columns.clear();
        for (k, &c) in self.used.iter().enumerate() {
            let col = canonical(batch.column(k))
                .map_err(|t| unreadable(&self.path, &self.header[c], &t))?;
            self.columns.push(col);
        }
        self.rows_in_batch = batch.num_rows();
        self.row = 0;
        Ok(true)
    }

    /// Read only these columns (header positions).
    fn project(&mut self, used: Vec<usize>) -> Result<()> {
        self.used = used;
        let built = match self.builder.take() {
            Some(Builder::File(b)) => Some(projected(b, &self.used)),
            Some(Builder::Memory(b)) => Some(projected(b, &self.used)),
            None => None,
        };
        self.reader = built
            .transpose()
            .map_err(|e| parquet_error(&self.path, e))?;
        Ok(())
    }

    /// Read every column a draft can use; the names of those of another type are returned
    /// (left out).
    pub fn read_all(&mut self) -> Result<Vec<String>> {
        let (used, other): (Vec<usize>, Vec<usize>) =
            (0..self.header.len()).partition(|&c| readable(&self.types[c]));
        self.project(used)?;
        Ok(other.into_iter().map(|c| self.header[c].clone()).collect())
    }
}

fn unreadable(path: &std::path::Path, column: &str, t: &DataType) -> Error {
    Error::data_file(
        path,
        format!(
            "column '{column}' holds values of type {t}; expected numbers, text, booleans or dates"
        ),
    )
}

impl RecordSource for ParquetRecords {
    fn header(&self) -> Vec<String> {
        self.header.clone()
    }

    fn record_name(&self) -> Cow<'static, str> {
        "row".into()
    }

    fn prepare(&mut self, plan: &Plan) -> Result<()> {
        let used = plan.used_columns();
        for &c in &used {
            if !readable(&self.types[c]) {
                return Err(unreadable(&self.path, &self.header[c], &self.types[c]));
            }
        }
        self.project(used)
    }

    fn next_chunk(&mut self, chunk: &mut TextChunk, max: usize) -> Result<usize> {
        chunk.lines.clear();
        chunk.problems.clear();
        let mut text = String::new();
        let mut n = 0;
        while n < max {
            if self.row >= self.rows_in_batch && !self.next_batch()? {
                break;
            }
            if chunk.records.len() <= n {
                chunk.records.push(csv::ByteRecord::new());
            }
            let rec = &mut chunk.records[n];
            rec.clear();
            let mut next_used = self.used.iter().zip(&self.columns).peekable();
            for c in 0..self.header.len() {
                text.clear();
                if let Some((_, col)) = next_used.next_if(|(u, _)| **u == c) {
                    cell_text(col, self.row, &mut text);
                }
                rec.push_field(text.as_bytes());
            }
            self.row += 1;
            self.given += 1;
            chunk.lines.push(self.given);
            n += 1;
        }
        Ok(n)
    }

    fn finish(&mut self, _notes: &mut Vec<String>) -> Result<()> {
        Ok(())
    }
}

/// Whether a column type can be read as text.
fn readable(t: &DataType) -> bool {
    use DataType::*;
    match t {
        Null | Boolean | Int8 | Int16 | Int32 | Int64 | UInt8 | UInt16 | UInt32 | UInt64
        | Float16 | Float32 | Float64 | Utf8 | LargeUtf8 | Utf8View | Date32 | Date64
        | Timestamp(..) => true,
        Decimal32(..) | Decimal64(..) | Decimal128(..) | Decimal256(..) => true,
        Dictionary(_, v) => readable(v),
        _ => false,
    }
}

/// A column in one of the few types [`cell_text`] writes, converted without loss where it
/// matters (integers widened, text and dictionaries as plain text, decimals as floats).
fn canonical(col: &ArrayRef) -> std::result::Result<ArrayRef, DataType> {
    use DataType::*;
    let to = match col.data_type() {
        Null | Boolean | Int64 | UInt64 | Float32 | Float64 | Utf8 | Date32 | Timestamp(..) => {
            return Ok(col.clone())
        }
        Int8 | Int16 | Int32 | UInt8 | UInt16 | UInt32 => Int64,
        Float16 => Float32,
        Decimal32(..) | Decimal64(..) | Decimal128(..) | Decimal256(..) => Float64,
        LargeUtf8 | Utf8View | Dictionary(..) => Utf8,
        Date64 => Timestamp(TimeUnit::Millisecond, None),
        other => return Err(other.clone()),
    };
    cast(col, &to).map_err(|_| col.data_type().clone())
}

/// One value as text (see the module documentation); nulls are empty.
fn cell_text(col: &ArrayRef, i: usize, out: &mut String) {
    if col.is_null(i) {
        return;
    }
    match col.data_type() {
        DataType::Boolean => out.push_str(if col.as_boolean().value(i) { "1" } else { "0" }),
        DataType::Int64 => {
            let _ = write!(out, "{}", col.as_primitive::<Int64Type>().value(i));
        }
        DataType::UInt64 => {
            let _ = write!(out, "{}", col.as_primitive::<UInt64Type>().value(i));
        }
        DataType::Float32 => {
            // f32's own shortest form: 0.1f32 is "0.1", not 0.10000000149011612.
            let x = col.as_primitive::<Float32Type>().value(i);
            let _ = write!(out, "{x}");
        }
        DataType::Float64 => out.push_str(&number_text(col.as_primitive::<Float64Type>().value(i))),
        DataType::Utf8 => out.push_str(col.as_string::<i32>().value(i)),
        DataType::Date32 => {
            civil_date(i64::from(col.as_primitive::<Date32Type>().value(i)), out);
        }
        DataType::Timestamp(unit, _) => {
            let (v, per_second) = match unit {
                TimeUnit::Second => (col.as_primitive::<TimestampSecondType>().value(i), 1),
                TimeUnit::Millisecond => (
                    col.as_primitive::<TimestampMillisecondType>().value(i),
                    1_000,
                ),
                TimeUnit::Microsecond => (
                    col.as_primitive::<TimestampMicrosecondType>().value(i),
                    1_000_000,
                ),
                TimeUnit::Nanosecond => (
                    col.as_primitive::<TimestampNanosecondType>().value(i),
                    1_000_000_000,
                ),
            };
            date_time(v, per_second, out);
        }
        _ => {}
    }
}

/// `YYYY-MM-DD` for a number of days since 1970-01-01 (the proleptic Gregorian calendar).
fn civil_date(days: i64, out: &mut String) {
    // H. Hinnant's days_from_civil, inverted.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let _ = write!(out, "{y:04}-{m:02}-{d:02}");
}

/// A timestamp (`v` units of 1/`per_second` s since 1970, UTC) as ISO 8601: the date, and the
/// time when it is not midnight.
fn date_time(v: i64, per_second: i64, out: &mut String) {
    let secs = v.div_euclid(per_second);
    let frac = v.rem_euclid(per_second);
    civil_date(secs.div_euclid(86_400), out);
    let s = secs.rem_euclid(86_400);
    if s != 0 || frac != 0 {
        let _ = write!(out, " {:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
        if frac != 0 {
            let digits = per_second.ilog10() as usize;
            let _ = write!(out, ".{frac:0digits$}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_iso_text() {
        let mut s = String::new();
        civil_date(0, &mut s);
        assert_eq!(s, "1970-01-01");
        s.clear();
        civil_date(19_631, &mut s);
        assert_eq!(s, "2023-10-01");
        s.clear();
        civil_date(-1, &mut s);
        assert_eq!(s, "1969-12-31");
        s.clear();
        date_time(19_631 * 86_400_000 + 3_723_500, 1_000, &mut s);
        assert_eq!(s, "2023-10-01 01:02:03.500");
    }
}
