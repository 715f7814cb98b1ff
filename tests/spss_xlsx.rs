//! SPSS input (.sav, .zsav written by GNU PSPP from tests/fixtures/spss/make.sps) and the Excel
//! tabellenboek, read back with calamine.

mod common;

use calamine::{open_workbook, Data, DataType, Reader, Xlsx};
use common::{num, read_csv, repo, Workdir};
use std::collections::HashMap;

fn fixture(name: &str) -> String {
    repo()
        .join("tests/fixtures/spss")
        .join(name)
        .display()
        .to_string()
}

fn report(wd: &Workdir, data: &str, codebook: &str, out: &str) {
    wd.run(&["report", data, "-c", codebook, "--out", out, "--no-charts"])
        .expect_code(0);
}

#[test]
fn sav_and_zsav_give_the_csv_estimates_to_the_last_digit() {
    let wd = Workdir::new();
    let cb = fixture("survey.toml");
    report(&wd, &fixture("survey.csv"), &cb, "csv");
    report(&wd, &fixture("survey.sav"), &cb, "sav");
    report(&wd, &fixture("survey.zsav"), &cb, "zsav");
    for f in ["estimates.csv", "comparisons.csv", "tests.csv"] {
        let csv = std::fs::read(wd.path("csv").join(f)).unwrap();
        assert!(csv.len() > 500, "{f} has content");
        assert_eq!(
            csv,
            std::fs::read(wd.path("sav").join(f)).unwrap(),
            "{f}: .sav differs from .csv"
        );
        assert_eq!(
            csv,
            std::fs::read(wd.path("zsav").join(f)).unwrap(),
            "{f}: .zsav differs from .csv"
        );
    }
}

#[test]
fn a_short_codebook_takes_labels_missing_codes_and_sets_from_the_file() {
    let wd = Workdir::new();
    wd.write(
        "short.toml",
        "[design]\nweight = \"weegfactor\"\nstrata = \"wijk\"\n[[tables]]\nname = \"kanaal\"\nrows = \"kanaal\"\nby = [\"taal\"]\n[[tables]]\nname = \"info\"\nrows = \"info\"\nby = [\"taal\"]\n",
    );
    report(&wd, &fixture("survey.sav"), "short.toml", "short");
    report(&wd, &fixture("survey.csv"), &fixture("survey.toml"), "full");
    let short = read_csv(&wd.path("short/estimates.csv"));
    let full: HashMap<(String, String, String, String), HashMap<String, String>> =
        read_csv(&wd.path("full/estimates.csv"))
            .into_iter()
            .map(|r| {
                (
                    (
                        r["variable"].clone(),
                        r["category"].clone(),
                        r["by"].clone(),
                        r["group"].clone(),
                    ),
                    r,
                )
            })
            .collect();
    assert!(
        short
            .iter()
            .any(|r| r["category_label"] == "Kanaal: telefoon"),
        "item labels from the file"
    );
    assert!(
        short.iter().any(|r| r["group_label"] == "Engels"),
        "value labels from the file"
    );
    assert!(
        !short.iter().any(|r| r["category"] == "99"),
        "user-missing 99 is not a category"
    );
    for s in &short {
        let f = &full[&(
            s["variable"].clone(),
            s["category"].clone(),
            s["by"].clone(),
            s["group"].clone(),
        )];
        assert_eq!(s["n"], f["n"]);
        assert_eq!(num(s, "estimate"), num(f, "estimate"));
        assert_eq!(num(s, "se"), num(f, "se"));
    }
}

#[test]
fn drafted_codebook_from_sav_runs_as_it_is() {
    let wd = Workdir::new();
    let r = wd.run(&["codebook", &fixture("survey.sav"), "-o", "draft.toml"]);
    r.expect_code(0);
    let text = std::fs::read_to_string(wd.path("draft.toml")).unwrap();
    assert!(text.contains("weight = \"weegfactor\""), "{text}");
    assert!(
        text.contains("name = \"kanaal\"") && text.contains("type = \"multi\""),
        "MR set: {text}"
    );
    assert!(
        text.contains("{ code = \"EN\", label = \"Engels\" }"),
        "value labels: {text}"
    );
    assert!(text.contains("missing = [\"99\"]"), "user-missing: {text}");
    assert!(text.contains("type = \"bins\""), "age groups: {text}");
    report(&wd, &fixture("survey.zsav"), "draft.toml", "rep");
}

#[test]
fn damaged_spss_files_fail_cleanly() {
    let wd = Workdir::new();
    let bytes = std::fs::read(fixture("survey.sav")).unwrap();
    let zbytes = std::fs::read(fixture("survey.zsav")).unwrap();
    let mut cases: Vec<(String, Vec<u8>)> = Vec::new();
    for cut in [10, 500, 1000, 2000, 3000, bytes.len() - 40] {
        cases.push((format!("cut{cut}.sav"), bytes[..cut].to_vec()));
    }
    cases.push(("zcut.zsav".into(), zbytes[..zbytes.len() / 2].to_vec()));
    let mut flipped = zbytes.clone();
    let mid = flipped.len() / 2;
    for b in &mut flipped[mid..mid + 64] {
        *b ^= 0x5a;
    }
    cases.push(("flip.zsav".into(), flipped));
    for (name, data) in cases {
        wd.write(&name, data);
        let r = wd.run(&[
            "report",
            &name,
            "-c",
            &fixture("survey.toml"),
            "--out",
            "out",
            "--no-charts",
        ]);
        assert_ne!(r.code(), 0, "{name}: {}", r.describe());
        assert!(!r.stderr().contains("panicked"), "{name}: {}", r.describe());
        assert!(
            r.stderr().contains(&name),
            "{name}: the message names the file: {}",
            r.describe()
        );
        assert!(
            !wd.path("out/summary.json").exists(),
            "{name}: no report left behind"
        );
    }
}

#[test]
fn tabellenboek_holds_numbers_as_numbers_and_labels_as_labels() {
    let wd = Workdir::new();
    let data = repo().join("samples/inwonersenquete-2023.csv");
    let cb = repo().join("samples/codebook.toml");
    wd.run(&[
        "report",
        data.to_str().unwrap(),
        "-c",
        cb.to_str().unwrap(),
        "--out",
        "rep",
        "--no-charts",
        "--intervals",
    ])
    .expect_code(0);
    let mut book: Xlsx<_> = open_workbook(wd.path("rep/tabellenboek.xlsx")).unwrap();
    let names = book.sheet_names();
    // Sheets are named after the public titles (cut to fit), each table's intervals after it;
    // the Verantwoording's response and scale scores after the weighting.
    assert_eq!(
        names,
        [
            "Inhoud",
            "Weging",
            "Respons",
            "Schaalscores",
            "Via welk kanaal neemt u het",
            "BI Via welk kanaal neemt u h",
            "Hoe wordt u het liefst geïnf",
            "BI Hoe wordt u het liefst ge",
            "Rapportcijfer dienstverlenin",
            "BI Rapportcijfer dienstverle",
            "Tevreden over de dienstverle",
            "BI Tevreden over de dienstve",
            "Rapportcijfer telefonisch co",
            "BI Rapportcijfer telefonisch",
            "Stellingen over de buurt",
            "BI Stellingen over de buurt",
            "Leefbaarheid van de buurt (0",
            "BI Leefbaarheid van de buurt",
        ]
    );
    let range = book.worksheet_range(&names[4]).unwrap();
    assert_eq!(
        range.get_value((0, 0)),
        Some(&Data::String(
            "Via welk kanaal neemt u het liefst contact op met de gemeente?".into()
        ))
    );
    assert_eq!(
        range.get_value((4, 1)),
        Some(&Data::String("Totaal".into()))
    );
    assert_eq!(
        range.get_value((5, 0)),
        Some(&Data::String("Telefoon".into()))
    );
    let estimates = read_csv(&wd.path("rep/kanaal.csv"));
    let total_phone = estimates
        .iter()
        .find(|e| {
            e["by"] == "(all)" && e["category"] == "kan_telefoon" && e["statistic"] == "proportion"
        })
        .unwrap();
    match range.get_value((5, 1)) {
        Some(Data::Float(x)) => assert_eq!(Some(*x), num(total_phone, "estimate")),
        other => panic!("the estimate must be a number, got {other:?}"),
    }
    assert!(
        matches!(range.get_value((5, 2)), Some(Data::Float(_))),
        "one column per group: the next group's estimate"
    );
    // The seven answers, then the estimated number of residents for each (`statistics =
    // ["proportion", "total"]`), then the bases.
    let residents_phone = estimates
        .iter()
        .find(|e| {
            e["by"] == "(all)" && e["category"] == "kan_telefoon" && e["statistic"] == "total"
        })
        .unwrap();
    assert_eq!(
        range.get_value((12, 0)),
        Some(&Data::String("Telefoon (aantal)".into()))
    );
    assert_eq!(
        range.get_value((12, 1)).and_then(|d| d.as_f64()),
        num(residents_phone, "estimate")
    );
    assert_eq!(range.get_value((19, 0)), Some(&Data::String("n".into())));
    assert_eq!(
        range.get_value((19, 1)),
        Some(&Data::Float(3898.0)),
        "the base row holds numbers"
    );
    let styles = book.worksheet_style(&names[4]).unwrap();
    // The sample's 65% for the phone is significantly above the benchmark's 60%: the mark is
    // in the number format, the cell stays a number; E-mail (no benchmark) is a plain percentage.
    let benchmark_phone = read_csv(&wd.path("rep/comparisons.csv"))
        .into_iter()
        .find(|c| {
            c["group_a"] == "(benchmark)"
                && c["group_b"] == "(all)"
                && c["category"] == "kan_telefoon"
        })
        .unwrap();
    assert_eq!(benchmark_phone["significant"], "true");
    let format = |r: u32| {
        styles
            .get((r, 1))
            .and_then(|s| s.number_format.clone())
            .map(|f| f.format_code)
    };
    assert_eq!(format(5), Some("0.0%\"↑\"".to_string()));
    assert_eq!(format(6), Some("0.0%".to_string()));
    // The interval sheet: lower and upper limit per group, as numbers.
    let limits = book.worksheet_range(&names[5]).unwrap();
    assert_eq!(
        limits.get_value((5, 1)),
        Some(&Data::String("ondergrens".into()))
    );
    assert_eq!(
        limits.get_value((6, 1)).and_then(|d| d.as_f64()),
        num(total_phone, "ci_lower")
    );
    assert_eq!(
        limits.get_value((6, 2)).and_then(|d| d.as_f64()),
        num(total_phone, "ci_upper")
    );
    let means = book.worksheet_range(&names[8]).unwrap();
    assert!(matches!(means.get_value((5, 1)), Some(Data::Float(x)) if (6.0..8.0).contains(x)));
}
