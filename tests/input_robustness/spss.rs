//! Truncated and damaged SPSS files: a cut case or dictionary is an error naming where, never
//! a crash; an unknown case count reads to the end.

use super::*;

/// survey.sav with its case count replaced and its last `cut` bytes removed.
fn patched_sav(cases: i32, cut: usize) -> Vec<u8> {
    let mut sav = std::fs::read(repo().join("tests/fixtures/spss/survey.sav")).unwrap();
    sav[80..84].copy_from_slice(&cases.to_le_bytes());
    sav.truncate(sav.len() - cut);
    sav
}

#[test]
fn spss_case_count_unknown_reads_to_the_end_and_a_cut_case_is_an_error() {
    let wd = Workdir::new();
    let cb = repo().join("tests/fixtures/spss/survey.toml");
    let cb = cb.to_str().unwrap();
    wd.write("unknown.sav", patched_sav(-1, 0));
    let r = wd.run(&["validate", "unknown.sav", "-c", cb]);
    r.expect_code(0);
    assert!(
        r.stdout()
            .contains("does not give the number of cases; 60 cases were read to the end"),
        "{}",
        r.describe()
    );
    // Truncated in the middle of a case (bytecode compression): an error, whatever the header
    // says; ambers notices a cut inside a raw value, this reader one between them.
    for (cut, says) in [
        (5, "truncated file"),
        (
            100,
            "the SPSS file ends inside case 57 (the file is truncated)",
        ),
    ] {
        wd.write("cut.sav", patched_sav(-1, cut));
        let r = wd.run(&["crosstab", "cut.sav", "-c", cb, "-t", "info"]);
        r.expect_code(1);
        assert!(r.stderr().contains(says), "cut {cut}: {}", r.describe());
    }
    // Cut exactly after a case, the file cannot tell: the count read is reported.
    wd.write("short.sav", patched_sav(-1, 104));
    let r = wd.run(&["validate", "short.sav", "-c", cb]);
    r.expect_code(0);
    assert!(
        r.stdout().contains("56 cases were read to the end"),
        "{}",
        r.describe()
    );
    assert!(r.stdout().contains("56 rows read"), "{}", r.describe());
}

#[test]
fn an_uncompressed_spss_file_cut_inside_a_case_is_an_error() {
    use arrow::array::Float64Array;
    use arrow::datatypes::{DataType, Field, Schema};
    let wd = Workdir::new();
    let schema = Arc::new(Schema::new(vec![
        Field::new("x", DataType::Float64, true),
        Field::new("w", DataType::Float64, true),
    ]));
    let xs: Vec<f64> = (0..40).map(|i| f64::from(i % 7)).collect();
    let ws: Vec<f64> = (0..40).map(|i| 1.0 + f64::from(i % 3)).collect();
    let batch = arrow::record_batch::RecordBatch::try_new(
        schema.clone(),
        vec![
            Arc::new(Float64Array::from(xs)),
            Arc::new(Float64Array::from(ws)),
        ],
    )
    .unwrap();
    let meta = ambers::SpssMetadata::from_arrow_schema(&schema);
    let path = wd.path("plain.sav");
    ambers::write_sav(&path, &batch, &meta, ambers::Compression::None, None).unwrap();
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[80..84].copy_from_slice(&(-1i32).to_le_bytes());
    wd.write(
        "cb.toml",
        "[design]\nweight = \"w\"\n[[variables]]\nname = \"x\"\ntype = \"numeric\"\n[[tables]]\nname = \"x\"\nrows = \"x\"\n",
    );
    wd.write("whole.sav", &bytes);
    let r = wd.run(&["validate", "whole.sav", "-c", "cb.toml"]);
    r.expect_code(0);
    assert!(
        r.stdout().contains("40 cases were read to the end"),
        "{}",
        r.describe()
    );
    wd.write("cut.sav", &bytes[..bytes.len() - 3]);
    let r = wd.run(&["validate", "cut.sav", "-c", "cb.toml"]);
    r.expect_code(1);
    assert!(
        r.stderr()
            .contains("ends inside case 40, after 13 of its 16 bytes (the file is truncated)"),
        "{}",
        r.describe()
    );
}

#[test]
fn a_damaged_spss_dictionary_is_a_data_error_not_a_crash() {
    // Found by tests/fuzz.rs: a variable label of length -1 made the SPSS reader (ambers) panic,
    // and enquete end with exit code 101 and a panic message.
    let wd = Workdir::new();
    let cb = repo().join("tests/fixtures/spss/survey.toml");
    let cb = cb.to_str().unwrap();
    let mut sav = std::fs::read(repo().join("tests/fixtures/spss/survey.sav")).unwrap();
    // The first variable record (right after the 176-byte header) has a label.
    assert_eq!(sav[176..180], 2i32.to_le_bytes());
    assert_eq!(sav[184..188], 1i32.to_le_bytes());
    sav[208..212].copy_from_slice(&(-1i32).to_le_bytes());
    wd.write("bad.sav", &sav);
    for args in [
        &["validate", "bad.sav", "-c", cb][..],
        &["crosstab", "bad.sav", "-c", cb, "-t", "info"],
        &["codebook", "bad.sav"],
    ] {
        let r = wd.run(args);
        r.expect_code(1);
        assert!(
            r.stderr().contains(
                "bad.sav: not a readable SPSS file: it is damaged (the SPSS reader stopped: "
            ) && !r.stderr().contains("panicked"),
            "{}",
            r.describe()
        );
    }
}
