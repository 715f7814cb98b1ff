//! Inputs that lie: ZIP bombs in workbooks, formulas without values, numbers that need an
//! exponent, damaged Parquet pages, recode messages, drafts that no reader would accept.

use super::{rows, small_codebook, with_files};
use crate::common::{num, repo, Workdir};
use std::io::Write;
use zip::write::SimpleFileOptions;

const HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#;

/// Writes a part of the workbook.
type Part<'a> = &'a dyn Fn(&mut dyn Write);

/// A minimal workbook: one sheet "Data" whose XML `sheet` writes (streamed), and shared
/// strings written by `shared` when given.
fn write_xlsx(
    path: &std::path::Path,
    sheet: impl FnOnce(&mut dyn Write),
    shared: Option<Part<'_>>,
) {
    let mut z = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let opts = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    let sst_type = "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>";
    let parts = [
        ("[Content_Types].xml", format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>{}</Types>", if shared.is_some() { sst_type } else { "" })),
        ("_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>".to_string()),
        ("xl/workbook.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"Data\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>".to_string()),
        ("xl/_rels/workbook.xml.rels", format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>{}</Relationships>", if shared.is_some() { "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>" } else { "" })),
    ];
    for (name, text) in parts {
        z.start_file(name, opts).unwrap();
        z.write_all(text.as_bytes()).unwrap();
    }
    z.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
    sheet(&mut z);
    if let Some(shared) = shared {
        z.start_file("xl/sharedStrings.xml", opts).unwrap();
        shared(&mut z);
    }
    z.finish().unwrap();
}

fn text_cell(reference: &str, text: &str) -> String {
    format!("<c r=\"{reference}\" t=\"inlineStr\"><is><t>{text}</t></is></c>")
}

/// The header row of the small survey and `n` rows; `last` writes the cells of the last
/// column (y) of row r.
fn sheet_rows(w: &mut dyn Write, n: usize, last: &dyn Fn(usize) -> String) {
    w.write_all(HEAD.as_bytes()).unwrap();
    let names = ["id", "leeftijd", "taal", "wijk", "info", "y"];
    let header: String = names
        .iter()
        .zip('A'..)
        .map(|(n, c)| text_cell(&format!("{c}1"), n))
        .collect();
    write!(w, "<row r=\"1\">{header}</row>").unwrap();
    for i in 0..n {
        let r = i + 2;
        write!(
            w,
            "<row r=\"{r}\"><c r=\"A{r}\"><v>{}</v></c><c r=\"B{r}\"><v>{}</v></c>{}<c r=\"D{r}\"><v>{}</v></c><c r=\"E{r}\"><v>{}</v></c>{}</row>",
            i + 1,
            20 + i,
            text_cell(&format!("C{r}"), if i % 3 == 0 { "EN" } else { "NL" }),
            1 + i % 3,
            1 + i % 2,
            last(r)
        )
        .unwrap();
    }
    w.write_all(b"</sheetData></worksheet>").unwrap();
}

#[test]
fn a_workbook_cell_of_more_than_a_record_is_refused_without_reading_it_whole() {
    // A 2 MB workbook with one 2 GiB inline cell aborted (a 2 GiB allocation); here 17 MiB.
    let wd = Workdir::new();
    wd.write("codebook.toml", small_codebook(None, ""));
    write_xlsx(
        &wd.path("bomb.xlsx"),
        |w| {
            sheet_rows(w, 3, &|r| {
                if r == 4 {
                    let mut s = format!("<c r=\"F{r}\" t=\"inlineStr\"><is><t>");
                    s.push_str(&"N".repeat(17 << 20));
                    s.push_str("</t></is></c>");
                    s
                } else {
                    format!("<c r=\"F{r}\"><v>1</v></c>")
                }
            })
        },
        None,
    );
    assert!(std::fs::metadata(wd.path("bomb.xlsx")).unwrap().len() < 1 << 20);
    let r = wd.run(&["crosstab", "bomb.xlsx", "-c", "codebook.toml", "-t", "t"]);
    r.expect_code(1);
    assert!(
        r.stderr().contains("more than 16 MiB") && r.stderr().contains("row 4"),
        "{}",
        r.describe()
    );
}

#[test]
fn shared_strings_that_unpack_past_the_limit_are_refused() {
    // 4.8 MB of shared strings unpacking to 4 GiB aborted; 1 GiB took 1.06 GB of memory.
    let wd = Workdir::new();
    wd.write("codebook.toml", small_codebook(None, ""));
    let chunk = format!("<si><t>{}</t></si>", "S".repeat(1 << 20));
    write_xlsx(
        &wd.path("bomb.xlsx"),
        |w| sheet_rows(w, 3, &|r| format!("<c r=\"F{r}\" t=\"s\"><v>0</v></c>")),
        Some(&|w| {
            w.write_all(
                b"<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">",
            )
            .unwrap();
            for _ in 0..260 {
                w.write_all(chunk.as_bytes()).unwrap();
            }
            w.write_all(b"</sst>").unwrap();
        }),
    );
    let r = wd.run(&["crosstab", "bomb.xlsx", "-c", "codebook.toml", "-t", "t"]);
    r.expect_code(1);
    assert!(
        r.stderr().contains("shared strings") && r.stderr().contains("256 MiB"),
        "{}",
        r.describe()
    );
}

#[test]
fn formulas_without_values_are_warned_about() {
    // A workbook written by a script: formulas, no cached values; read as missing, silently.
    let wd = Workdir::new();
    wd.write(
        "codebook.toml",
        small_codebook(None, "[[tables]]\nname = \"t\"\nrows = \"y\"\n"),
    );
    write_xlsx(
        &wd.path("f.xlsx"),
        |w| sheet_rows(w, 10, &|r| format!("<c r=\"F{r}\"><f>MOD(A{r},5)</f></c>")),
        None,
    );
    let r = wd.run(&["crosstab", "f.xlsx", "-c", "codebook.toml", "-t", "t"]);
    r.expect_code(0);
    let e = r.stderr();
    assert!(
        e.contains("10 cells hold a formula without a computed value")
            && e.contains("F2, F3, F4, F5, F6, …"),
        "{}",
        r.describe()
    );
}

#[test]
fn numbers_that_need_an_exponent_are_read_as_numbers() {
    // 1e64 and 1e-70 were written out in full and refused as "too long for a number".
    let wd = Workdir::new();
    wd.write(
        "codebook.toml",
        small_codebook(None, "[[tables]]\nname = \"t\"\nrows = \"y\"\n"),
    );
    write_xlsx(
        &wd.path("e.xlsx"),
        |w| {
            sheet_rows(w, 2, &|r| {
                let v = if r == 2 { "1E+64" } else { "1E-70" };
                format!("<c r=\"F{r}\"><v>{v}</v></c>")
            })
        },
        None,
    );
    let r = wd.run(&[
        "crosstab",
        "e.xlsx",
        "-c",
        "codebook.toml",
        "-t",
        "t",
        "-f",
        "csv",
    ]);
    r.expect_code(0);
    let mean = num(&rows(&r.stdout())[0], "estimate").unwrap();
    assert!((mean - 5e63).abs() <= 1e48, "{}", r.describe());
}

#[test]
fn a_parquet_page_with_a_wrong_checksum_is_refused() {
    // A flipped value was read without a word (a mean changed); pyarrow refuses the file.
    let fixture = repo().join("tests/fixtures/parquet/checksummed.parquet");
    let codebook = "[[variables]]\nname = \"taal\"\ntype = \"categorical\"\nvalues = [ { code = \"NL\" }, { code = \"EN\" } ]\n\
                    [[variables]]\nname = \"y\"\ntype = \"numeric\"\n[[tables]]\nname = \"t\"\nrows = \"y\"\nby = [\"taal\"]\n";
    let wd = Workdir::new();
    wd.write("codebook.toml", codebook);
    let r = wd.run(&[
        "crosstab",
        fixture.to_str().unwrap(),
        "-c",
        "codebook.toml",
        "-t",
        "t",
        "-f",
        "csv",
    ]);
    r.expect_code(0);
    assert_eq!(num(&rows(&r.stdout())[0], "estimate"), Some(13.4375));
    let mut bytes = std::fs::read(&fixture).unwrap();
    let value = 13.625f64.to_le_bytes();
    let at = bytes
        .windows(8)
        .position(|w| w == value)
        .expect("respondent 102's y in the file");
    bytes[at + 2] ^= 1;
    wd.write("flipped.parquet", bytes);
    let r = wd.run(&[
        "crosstab",
        "flipped.parquet",
        "-c",
        "codebook.toml",
        "-t",
        "t",
    ]);
    r.expect_code(1);
    assert!(
        r.stderr().contains("damaged") && r.stderr().contains("checksum"),
        "{}",
        r.describe()
    );
}

#[test]
fn a_recode_message_quotes_the_value_as_the_file_writes_it() {
    let codebook = "[data]\ndelimiter = \";\"\ndecimal = \",\"\n[[variables]]\nname = \"x\"\ntype = \"numeric\"\n\
                    [[variables]]\nname = \"r\"\ntype = \"recode\"\nfrom = \"x\"\n\
                    values = [ { codes = [\"8\"], code = \"a\" }, { codes = [\"9\"], code = \"b\" } ]\n\
                    [[tables]]\nname = \"t\"\nrows = \"r\"\n";
    let wd = with_files("id;x\n1;8\n2;8,5\n3;9\n", codebook);
    let r = wd.run(&["validate", "data.csv", "-c", "codebook.toml"]);
    r.expect_code(1);
    assert!(
        r.stdout().contains("value \"8,5\"") && r.stdout().contains("recode 'r' lists"),
        "{}",
        r.describe()
    );
}

#[test]
fn a_draft_is_never_one_enquete_would_refuse() {
    let wd = Workdir::new();
    // A line of 20 MiB: it took 12.6 GB and wrote a draft of 4 GB for a 2 GiB field.
    let mut long = String::from("id,q\n1,");
    long.push_str(&"x".repeat(20 << 20));
    long.push_str("\n2,b\n");
    wd.write("long.csv", long);
    let r = wd.run(&["codebook", "long.csv", "-o", "long.toml"]);
    r.expect_code(1);
    assert!(
        r.stderr().contains("longer than 16 MiB"),
        "{}",
        r.describe()
    );
    assert!(!wd.path("long.toml").exists());
    // A value longer than a codebook text cannot be a code: the column is free text.
    let mut data = String::from("id,q,r\n");
    for i in 0..20 {
        let q = if i == 0 {
            "y".repeat(5_000)
        } else {
            "short".into()
        };
        data.push_str(&format!("{i},{q},{}\n", 1 + i % 3));
    }
    wd.write("wide.csv", data);
    wd.run(&["codebook", "wide.csv", "-o", "wide.toml"])
        .expect_code(0);
    wd.run(&["validate", "wide.csv", "-c", "wide.toml"])
        .expect_code(0);
    // A draft past the codebook's 16 MiB is refused, not written.
    // (Long names: 90,000 columns of them draft to about 22 MB.)
    let columns = 90_000;
    let header: Vec<String> = (0..columns)
        .map(|i| format!("kolom_met_een_lange_naam_{i:06}"))
        .collect();
    let row: Vec<&str> = (0..columns).map(|i| ["1", "2", "3"][i % 3]).collect();
    wd.write(
        "many.csv",
        format!(
            "{}\n{}\n{}\n",
            header.join(","),
            row.join(","),
            row.join(",")
        ),
    );
    let r = wd.run(&["codebook", "many.csv", "-o", "many.toml"]);
    r.expect_code(2);
    assert!(
        r.stderr().contains("more than the 16 MiB"),
        "{}",
        r.describe()
    );
    assert!(!wd.path("many.toml").exists());
}
