//! Writing a table of text cells as the other formats enquete reads, for tests that compare them
//! with the CSV file they came from: an Excel workbook (rust_xlsxwriter) and Parquet (arrow).

#![allow(dead_code)]

use arrow::array::{ArrayRef, Float64Array, Int64Array, StringArray};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use rust_xlsxwriter::Workbook;
use std::path::Path;
use std::sync::Arc;

/// A workbook with the rows as typed cells: numbers as numbers, text as text, empty as nothing.
/// `extra` is written into a second sheet first, so the data sheet is named with --sheet.
pub fn write_xlsx(path: &Path, header: &[String], rows: &[Vec<String>], sheet: &str, first: bool) {
    let mut wb = Workbook::new();
    if !first {
        let other = wb.add_worksheet();
        other.set_name("Toelichting").unwrap();
        other
            .write_string(0, 0, "Zie het tabblad met data")
            .unwrap();
    }
    let ws = wb.add_worksheet();
    ws.set_name(sheet).unwrap();
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 1, c as u16);
            if v.is_empty() {
                continue;
            }
            match v.parse::<f64>() {
                Ok(x) => ws.write_number(r, c, x).unwrap(),
                Err(_) => ws.write_string(r, c, v).unwrap(),
            };
        }
    }
    wb.save(path).unwrap();
}

/// A Parquet file: integer columns as Int64, decimal ones as Float64, others as text; `taal`
/// is dictionary-free text, empty cells null.
pub fn write_parquet(
    path: &Path,
    header: &[String],
    rows: &[Vec<String>],
    compression: Compression,
) {
    let mut fields = Vec::new();
    let mut columns: Vec<ArrayRef> = Vec::new();
    for (c, h) in header.iter().enumerate() {
        let cells: Vec<&str> = rows.iter().map(|r| r[c].as_str()).collect();
        let ints: Option<Vec<Option<i64>>> = cells
            .iter()
            .map(|v| {
                if v.is_empty() {
                    Some(None)
                } else {
                    v.parse().ok().map(Some)
                }
            })
            .collect();
        let floats: Option<Vec<Option<f64>>> = cells
            .iter()
            .map(|v| {
                if v.is_empty() {
                    Some(None)
                } else {
                    v.parse().ok().map(Some)
                }
            })
            .collect();
        let (t, a): (DataType, ArrayRef) = if let Some(i) = ints {
            (DataType::Int64, Arc::new(Int64Array::from(i)))
        } else if let Some(f) = floats {
            (DataType::Float64, Arc::new(Float64Array::from(f)))
        } else {
            let s: Vec<Option<&str>> = cells
                .iter()
                .map(|v| Some(*v).filter(|v| !v.is_empty()))
                .collect();
            (DataType::Utf8, Arc::new(StringArray::from(s)))
        };
        fields.push(Field::new(h, t, true));
        columns.push(a);
    }
    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(schema.clone(), columns).unwrap();
    let props = WriterProperties::builder()
        .set_compression(compression)
        .set_max_row_group_size(25) // several row groups
        .build();
    let file = std::fs::File::create(path).unwrap();
    let mut w = ArrowWriter::try_new(file, schema, Some(props)).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
}
