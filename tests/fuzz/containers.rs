//! Issue 21's inputs that are containers or side files: population files, Excel workbooks (the
//! XML mutated inside a valid archive, and the archive's bytes), Parquet files (plain and with
//! page checksums). Every run must end with an exit code of 0–3, in time, with a safe terminal.

use super::*;
use crate::csv_binary::run_checks;
use std::io::Write;

/// Run one mutated input through the binary and check it; false when a finding was made.
fn binary(stats: &mut Stats, wd: &Path, args: Vec<String>, input: &[u8], ext: &str) -> bool {
    stats.binary_runs += 1;
    let run = run_binary(wd, &args, None, RUN_LIMIT);
    if !run_checks(stats, &run, input, ext) {
        return false;
    }
    if run.code == Some(0) {
        stats.accepted += 1;
        if let Err(e) = terminal_safe(&run.stdout) {
            stats.found(Finding::UnsafeOutput, input, ext, format!("stdout: {e}"));
            return false;
        }
    }
    true
}

#[test]
fn fuzz_population_files() {
    let mut stats = Stats::new("population");
    let mut rng = rng_for(stats.target);
    let dir = workdir();
    let wd = dir.path();
    let sample = std::fs::read_to_string(repo().join("samples/codebook.toml")).unwrap();
    let codebook = sample.replace("bevolking-2023.csv", "population.csv");
    std::fs::write(wd.join("codebook.toml"), &codebook).unwrap();
    // A small file that fits the codebook: the sample's first 400 respondents.
    let data: String = std::fs::read_to_string(repo().join("samples/inwonersenquete-2023.csv"))
        .unwrap()
        .lines()
        .take(401)
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(wd.join("data.csv"), data).unwrap();
    let seeds = vec![
        (
            std::fs::read(repo().join("samples/bevolking-2023.csv")).unwrap(),
            0,
        ),
        (b"variable;code;count\n".to_vec(), 0),
        (vec![0u8; 4096], 0),
    ];
    let mut pool = Pool::new(seeds.clone());
    let mut queue = seeds;
    let end = Instant::now() + budget();
    while Instant::now() < end || !queue.is_empty() {
        let (input, _) = queue
            .pop()
            .unwrap_or_else(|| pool.next(&mut rng, &|r, d, o| mutate::csv(r, d, o, b';')));
        stats.inputs += 1;
        std::fs::write(wd.join("population.csv"), &input).unwrap();
        let path = wd.join("codebook.toml");
        let outcome = with_deadline(CALL_LIMIT, move || {
            Codebook::from_path(&path)
                .map(|_| ())
                .map_err(|e| e.to_string())
        });
        let read = match outcome {
            Outcome::Done(r) => r,
            Outcome::Panicked(m) => {
                stats.found(Finding::Panic, &input, "csv", format!("panic: {m}"));
                continue;
            }
            Outcome::Hung => {
                stats.found(Finding::Hang, &input, "csv", "reading hung".into());
                continue;
            }
        };
        if read.is_ok() && rng.chance(1, 4) {
            let s = |x: &str| x.to_string();
            let args = vec![
                s("crosstab"),
                s("data.csv"),
                s("-c"),
                s("codebook.toml"),
                s("--table=kanaal"),
            ];
            binary(&mut stats, wd, args, &input, "csv");
        }
        let outcome = read.err().unwrap_or_else(|| "ok".into());
        pool.learn(&outcome, &input, 0, outcome == "ok");
    }
    stats.finish();
}

/// The parts of a minimal workbook around a sheet's XML (and shared strings when given).
fn xlsx_bytes(sheet: &[u8], shared: Option<&[u8]>) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    let files: [(&str, &[u8]); 4] = [
        ("[Content_Types].xml", br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#),
        ("_rels/.rels", br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#),
        ("xl/workbook.xml", br#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
        ("xl/_rels/workbook.xml.rels", br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#),
    ];
    for (name, bytes) in files {
        z.start_file(name, opts).unwrap();
        z.write_all(bytes).unwrap();
    }
    z.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
    z.write_all(sheet).unwrap();
    if let Some(sst) = shared {
        z.start_file("xl/sharedStrings.xml", opts).unwrap();
        z.write_all(sst).unwrap();
    }
    z.finish().unwrap().into_inner()
}

/// A sheet of the sample's first rows (inline strings, numbers as numbers), and a shared
/// strings part.
fn sheet_seed(rows: usize, formulas: bool) -> (Vec<u8>, Vec<u8>) {
    let text = std::fs::read_to_string(repo().join("samples/inwonersenquete-2023.csv")).unwrap();
    let mut xml = String::from(
        r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for (r, line) in text.lines().take(rows + 1).enumerate() {
        xml.push_str(&format!("<row r=\"{}\">", r + 1));
        for (c, cell) in line.split(';').enumerate() {
            let col = enquete::input::xlsx::column_letters(c as u32);
            let reference = format!("{col}{}", r + 1);
            let number = cell.replace(',', ".");
            if r > 0 && formulas && c == 4 {
                xml.push_str(&format!("<c r=\"{reference}\"><f>1+1</f></c>"));
            } else if r > 0 && number.parse::<f64>().is_ok() {
                xml.push_str(&format!("<c r=\"{reference}\"><v>{number}</v></c>"));
            } else {
                xml.push_str(&format!(
                    "<c r=\"{reference}\" t=\"inlineStr\"><is><t>{cell}</t></is></c>"
                ));
            }
        }
        xml.push_str("</row>");
    }
    xml.push_str("</sheetData></worksheet>");
    let sst = br#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>NL</t></si></sst>"#.to_vec();
    (xml.into_bytes(), sst)
}

const XML_TOKENS: &[&str] = &[
    "<c r=\"A2\"><f>SUM(A1)</f></c>",
    "<v>1E+64</v>",
    "<v>1E-70</v>",
    "<v>NaN</v>",
    "t=\"s\"",
    "<v>999999</v>",
    "</row>",
    "<row r=\"0\">",
    "<row r=\"4294967296\">",
    "<is><t>",
    "</t></is>",
    "&amp;",
    "&#0;",
    "<!DOCTYPE x [<!ENTITY a \"aaaa\">]>",
    "\u{202e}",
    "<x:c r=\"B3\">",
];

#[test]
fn fuzz_xlsx() {
    let mut stats = Stats::new("xlsx");
    let mut rng = rng_for(stats.target);
    let dir = workdir();
    let wd = dir.path();
    // The sample's codebook without its weighting (40 rows miss some of the population's cells).
    let sample = std::fs::read_to_string(repo().join("samples/codebook.toml")).unwrap();
    let (head, rest) = sample.split_once("[weighting]").unwrap();
    let (_, tail) = rest.split_once("[data]").unwrap();
    let cb = wd.join("codebook.toml");
    std::fs::write(&cb, format!("{head}[data]{tail}")).unwrap();
    let (sheet, sst) = sheet_seed(40, false);
    let (formulas, _) = sheet_seed(10, true);
    // Seeds: (sheet XML, shared strings) pairs; variant 1 mutates the archive's bytes instead.
    let long_cell = {
        let mut s = sheet.clone();
        let at = s.len() - "</sheetData></worksheet>".len();
        let cell = format!(
            "<row r=\"99\"><c r=\"A99\" t=\"inlineStr\"><is><t>{}</t></is></c></row>",
            "x".repeat(17 << 20)
        );
        s.splice(at..at, cell.into_bytes());
        s
    };
    let bomb_sst = format!("<sst><si><t>{}</t></si></sst>", "S".repeat(257 << 20)).into_bytes();
    let seeds: Vec<(Vec<u8>, Vec<u8>)> = vec![
        (sheet.clone(), sst.clone()),
        (formulas, sst.clone()),
        (long_cell, sst.clone()),
        (sheet.clone(), bomb_sst),
    ];
    let end = Instant::now() + budget();
    let mut i = 0usize;
    while Instant::now() < end || i < seeds.len() {
        let (mut xml, mut shared) = seeds[i.min(seeds.len() - 1) % seeds.len()].clone();
        if i >= seeds.len() {
            let (s, ss) = rng.pick(&seeds[..2]).clone();
            (xml, shared) = (s, ss);
            for _ in 0..rng.range(1, 4) {
                let target = if rng.chance(1, 4) {
                    &mut shared
                } else {
                    &mut xml
                };
                if rng.chance(1, 2) {
                    let at = rng.below(target.len() + 1);
                    target.splice(at..at, rng.pick(XML_TOKENS).bytes());
                } else {
                    let other = target.clone();
                    mutate::bytes(&mut rng, target, &other);
                }
            }
        }
        i += 1;
        stats.inputs += 1;
        let mut book = xlsx_bytes(&xml, Some(&shared));
        if i > seeds.len() && rng.chance(1, 4) {
            let other = book.clone();
            mutate::bytes(&mut rng, &mut book, &other);
        }
        std::fs::write(wd.join("data.xlsx"), &book).unwrap();
        let s = |x: &str| x.to_string();
        let args = vec![
            s("crosstab"),
            s("data.xlsx"),
            s("-c"),
            cb.to_string_lossy().into_owned(),
            s("--table=kanaal"),
        ];
        let saved = if book.len() < 1 << 20 {
            book.clone()
        } else {
            book[..1 << 20].to_vec()
        };
        binary(&mut stats, wd, args, &saved, "xlsx");
    }
    stats.finish();
}

#[test]
fn fuzz_parquet() {
    let mut stats = Stats::new("parquet");
    let mut rng = rng_for(stats.target);
    let dir = workdir();
    let wd = dir.path();
    let fixture = std::fs::read(repo().join("tests/fixtures/parquet/checksummed.parquet")).unwrap();
    let codebook = "[[variables]]\nname = \"taal\"\ntype = \"categorical\"\nvalues = [ { code = \"NL\" }, { code = \"EN\" } ]\n\
                    [[variables]]\nname = \"wijk\"\ntype = \"categorical\"\nvalues = [ { code = \"1\" }, { code = \"2\" }, { code = \"3\" } ]\n\
                    [[variables]]\nname = \"y\"\ntype = \"numeric\"\n[[tables]]\nname = \"t\"\nrows = \"y\"\nby = [\"taal\", [\"taal\", \"wijk\"]]\n";
    std::fs::write(wd.join("codebook.toml"), codebook).unwrap();
    let mut pool = Pool::new(vec![(fixture.clone(), 0)]);
    let mut queue = vec![(fixture, 0)];
    let end = Instant::now() + budget();
    while Instant::now() < end || !queue.is_empty() {
        let (input, _) = queue
            .pop()
            .unwrap_or_else(|| pool.next(&mut rng, &|r, d, o| mutate::bytes(r, d, o)));
        stats.inputs += 1;
        std::fs::write(wd.join("data.parquet"), &input).unwrap();
        let s = |x: &str| x.to_string();
        let args = vec![
            s("crosstab"),
            s("data.parquet"),
            s("-c"),
            s("codebook.toml"),
            s("-t"),
            s("t"),
        ];
        stats.binary_runs += 1;
        let run = run_binary(wd, &args, None, RUN_LIMIT);
        if !run_checks(&mut stats, &run, &input, "parquet") {
            continue;
        }
        if run.code == Some(0) {
            stats.accepted += 1;
        }
        let outcome = if run.code == Some(0) {
            "ok".into()
        } else {
            run.stderr()
        };
        pool.learn(&outcome, &input, 0, run.code == Some(0));
    }
    stats.finish();
}
