//! Issue 12: Excel (.xlsx) and Parquet in. The same survey as CSV, as a workbook and as Parquet
//! files (written here from the CSV, in every usual compression) gives the same estimates to
//! the byte; problems are placed by sheet and row, or by row.

mod common;
#[path = "common/tables.rs"]
mod tables;

use arrow::array::{BooleanArray, Float64Array};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;
use common::{repo, Workdir};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, GzipLevel, ZstdLevel};
use rust_xlsxwriter::Workbook;
use std::sync::Arc;
use tables::{write_parquet, write_xlsx};

fn fixture(name: &str) -> String {
    repo()
        .join("tests/fixtures/spss")
        .join(name)
        .display()
        .to_string()
}

/// The fixture CSV as (header, rows of cells).
fn survey() -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(fixture("survey.csv")).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap().split(',').map(String::from).collect();
    let rows = lines
        .map(|l| l.split(',').map(String::from).collect())
        .collect();
    (header, rows)
}

fn report(wd: &Workdir, data: &str, extra: &[&str], out: &str) -> Vec<u8> {
    let cb = fixture("survey.toml");
    let mut args = vec![
        "report",
        data,
        "-c",
        cb.as_str(),
        "--out",
        out,
        "--no-charts",
    ];
    args.extend_from_slice(extra);
    wd.run(&args).expect_code(0);
    std::fs::read(wd.path(out).join("estimates.csv")).unwrap()
}

#[test]
fn csv_xlsx_and_parquet_give_identical_estimates() {
    let wd = Workdir::new();
    let (header, rows) = survey();
    let csv = report(&wd, &fixture("survey.csv"), &[], "csv");
    assert!(csv.len() > 500);
    write_xlsx(&wd.path("survey.xlsx"), &header, &rows, "Data", true);
    assert_eq!(
        csv,
        report(&wd, "survey.xlsx", &[], "xlsx"),
        "xlsx differs from csv"
    );
    write_xlsx(
        &wd.path("second.xlsx"),
        &header,
        &rows,
        "Enquête 2023",
        false,
    );
    assert_eq!(
        csv,
        report(&wd, "second.xlsx", &["--sheet", "Enquête 2023"], "sheet"),
        "--sheet differs from csv"
    );
    let codecs = [
        ("none", Compression::UNCOMPRESSED),
        ("snappy", Compression::SNAPPY),
        ("zstd", Compression::ZSTD(ZstdLevel::default())),
        ("gzip", Compression::GZIP(GzipLevel::default())),
        ("lz4", Compression::LZ4_RAW),
    ];
    for (name, codec) in codecs {
        let file = format!("survey-{name}.parquet");
        write_parquet(&wd.path(&file), &header, &rows, codec);
        assert_eq!(
            csv,
            report(&wd, &file, &[], name),
            "parquet ({name}) differs from csv"
        );
    }
}

#[test]
fn xlsx_problems_name_the_sheet_and_the_row_excel_shows() {
    let wd = Workdir::new();
    let (header, mut rows) = survey();
    rows[3][2] = "Frans".into(); // sheet row 5
    rows[6][1] = "oud".into(); // sheet row 8: text in a numeric column
    rows[10][4] = "1,5".into(); // sheet row 12: a weight typed as text with a decimal comma
    write_xlsx(&wd.path("bad.xlsx"), &header, &rows, "Data", true);
    let cb = fixture("survey.toml");
    let r = wd.run(&["validate", "bad.xlsx", "-c", &cb]);
    r.expect_code(1);
    let out = r.stdout();
    assert!(
        out.contains("bad.xlsx: sheet 'Data', row 5, column 'taal': value \"Frans\""),
        "{out}"
    );
    assert!(
        out.contains("sheet 'Data', row 8, column 'leeftijd': value \"oud\""),
        "{out}"
    );
    let r = wd.run(&["validate", "bad.xlsx", "-c", &cb, "--sheet", "Blad9"]);
    r.expect_code(2);
    assert!(
        r.stderr()
            .contains("--sheet Blad9: bad.xlsx has no such sheet; sheets: Data"),
        "{}",
        r.describe()
    );
    let r = wd.run(&[
        "validate",
        &fixture("survey.csv"),
        "-c",
        &cb,
        "--sheet",
        "Data",
    ]);
    r.expect_code(2);
    assert!(
        r.stderr().contains("--sheet applies to Excel workbooks"),
        "{}",
        r.describe()
    );
}

#[test]
fn xlsx_dates_errors_booleans_and_stray_cells_have_documented_readings() {
    let wd = Workdir::new();
    wd.write(
        "cb.toml",
        r##"
[[variables]]
name = "q"
type = "multi"
items = [ { column = "a" }, { column = "b" } ]
[[variables]]
name = "datum"
type = "categorical"
values = [ { code = "2023-10-01" } ]
[[variables]]
name = "score"
type = "numeric"
missing = ["#N/A"]
[[tables]]
name = "q"
rows = "q"
"##,
    );
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["a", "b", "datum", "score"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2023, 10, 1).unwrap();
    let fmt = rust_xlsxwriter::Format::new().set_num_format("dd-mm-yyyy");
    for r in 1..=4u32 {
        ws.write_boolean(r, 0, r % 2 == 0).unwrap();
        ws.write_number(r, 1, 1.0).unwrap();
        ws.write_datetime_with_format(r, 2, &date, &fmt).unwrap();
        ws.write_number(r, 3, 7.5).unwrap();
    }
    ws.write_formula(2, 3, "=NA()").unwrap();
    ws.set_formula_result(2, 3, "#N/A");
    ws.write_string(4, 5, "stray").unwrap(); // row 5, column F: right of the header
    ws.write_number(3, 3, 4.0).unwrap();
    wb.save(wd.path("r.xlsx")).unwrap();
    let r = wd.run(&["validate", "r.xlsx", "-c", "cb.toml"]);
    r.expect_code(1);
    let out = r.stdout();
    assert!(
        out.contains("sheet 'Sheet1', row 5, column 'F (no header)': value \"stray\""),
        "{out}"
    );
    assert!(out.contains("4 rows read, 3 valid"), "{out}");
}

#[test]
fn parquet_problems_name_the_row() {
    let wd = Workdir::new();
    let (header, mut rows) = survey();
    rows[40][8] = "7".into(); // row 41: a code not declared
    write_parquet(&wd.path("bad.parquet"), &header, &rows, Compression::SNAPPY);
    let r = wd.run(&["validate", "bad.parquet", "-c", &fixture("survey.toml")]);
    r.expect_code(1);
    assert!(
        r.stdout()
            .contains("bad.parquet: row 41, column 'info': value \"7\""),
        "{}",
        r.describe()
    );
    // Booleans read as 1 and 0, so a select-all item may be a boolean column.
    let schema = Arc::new(Schema::new(vec![
        Field::new("a", DataType::Boolean, true),
        Field::new("w", DataType::Float64, false),
    ]));
    let batch = RecordBatch::try_new(
        schema.clone(),
        vec![
            Arc::new(BooleanArray::from(vec![
                Some(true),
                Some(false),
                None,
                Some(true),
            ])),
            Arc::new(Float64Array::from(vec![1.0, 2.0, 1.0, f64::NAN])),
        ],
    )
    .unwrap();
    let mut w = ArrowWriter::try_new(
        std::fs::File::create(wd.path("b.parquet")).unwrap(),
        schema,
        None,
    )
    .unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
    wd.write(
        "b.toml",
        "[design]\nweight = \"w\"\n[[variables]]\nname = \"q\"\ntype = \"multi\"\nitems = [ { column = \"a\" } ]\n[[tables]]\nname = \"q\"\nrows = \"q\"\n",
    );
    let r = wd.run(&["validate", "b.parquet", "-c", "b.toml"]);
    r.expect_code(1);
    assert!(
        r.stdout().contains("row 4, column 'w': value \"NaN\""),
        "{}",
        r.describe()
    );
    assert!(
        r.stdout().contains("4 rows read, 3 valid"),
        "{}",
        r.describe()
    );
    // A truncated file is refused as such.
    let bytes = std::fs::read(wd.path("bad.parquet")).unwrap();
    wd.write("cut.parquet", &bytes[..bytes.len() - 10]);
    let r = wd.run(&["validate", "cut.parquet", "-c", &fixture("survey.toml")]);
    r.expect_code(1);
    assert!(r.stderr().contains("truncated"), "{}", r.describe());
}
