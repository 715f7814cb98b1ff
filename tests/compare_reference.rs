//! Group comparisons (`compare`) and Rao–Scott tests (`test`) against R `survey` 4.1:
//! `svyglm(y ~ group)` on the domain (and after `svystandardize` for standardised comparisons),
//! `svychisq(~x + by)` with statistic "F" and "Chisq". Reference values and the scripts that made
//! them are in tests/reference/r/compare/.
//!
//! Tolerances: differences 1e-9, standard errors 1e-6 relative, p-values 1e-3 relative,
//! F / ndf / ddf / chi-square 1e-6 relative.

mod common;

use common::{num, read_csv, read_csv_str, repo, Workdir};
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

type Row = HashMap<String, String>;

fn rel_close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs()) + 1e-300
}

/// The table whose rows variable is `variable` in a codebook.
fn table_of(codebook: &Path, variable: &str) -> String {
    let text = std::fs::read_to_string(codebook).unwrap();
    let value: toml::Value = toml::from_str(&text).unwrap();
    value["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["rows"].as_str() == Some(variable))
        .map(|t| t["name"].as_str().unwrap().to_string())
        .unwrap_or_else(|| panic!("no table for {variable}"))
}

fn compare_fixture(data: &Path, codebook: &Path, expected: &Path) -> usize {
    let expected = read_csv(expected);
    let wd = Workdir::new();
    let runs: BTreeSet<(String, String, String)> = expected
        .iter()
        .map(|r| {
            (
                table_of(codebook, &r["variable"]),
                r["between"].clone(),
                r["standardized"].clone(),
            )
        })
        .collect();
    let mut ours: HashMap<Vec<String>, Row> = HashMap::new();
    for (table, between, std) in &runs {
        let mut args = vec![
            "compare",
            data.to_str().unwrap(),
            "-c",
            codebook.to_str().unwrap(),
            "-t",
            table,
            "--between",
            between,
            "-f",
            "csv",
        ];
        if !std.is_empty() {
            args.extend(["--standardize", std.as_str()]);
        }
        let r = wd.run(&args);
        r.expect_code(0);
        for row in read_csv_str(&r.stdout()) {
            let k = [
                "variable",
                "category",
                "between",
                "standardized",
                "group_a",
                "group_b",
            ]
            .map(|c| row[c].clone())
            .to_vec();
            ours.insert(k, row);
        }
    }
    let mut compared = 0;
    let mut untested = 0;
    for e in &expected {
        let k = [
            "variable",
            "category",
            "between",
            "standardized",
            "group_a",
            "group_b",
        ]
        .map(|c| e[c].clone())
        .to_vec();
        let o = ours
            .get(&k)
            .unwrap_or_else(|| panic!("no comparison for {k:?}"));
        let Some(diff) = num(e, "difference") else {
            assert!(
                !o["note"].is_empty(),
                "{k:?}: R had no result; ours must say why"
            );
            continue;
        };
        let od = num(o, "difference").unwrap();
        assert!(
            (diff - od).abs() <= 1e-9 * diff.abs().max(1.0),
            "difference {k:?}: R {diff} ours {od}"
        );
        for c in ["estimate_a", "estimate_b"] {
            let (x, y) = (num(e, c).unwrap(), num(o, c).unwrap());
            assert!(
                (x - y).abs() <= 1e-9 * x.abs().max(1.0),
                "{c} {k:?}: R {x} ours {y}"
            );
        }
        let (se, ose) = (num(e, "se").unwrap(), num(o, "se").unwrap());
        if se < 1e-12 {
            // Both groups constant (e.g. p = 0 in both): R's se is rounding noise (~1e-18) and
            // its t and p meaningless; ours is 0 with no test, and says so.
            assert!(
                ose < 1e-12 && !o["note"].is_empty(),
                "{k:?}: se {ose}, note {:?}",
                o["note"]
            );
            continue;
        }
        assert!(rel_close(se, ose, 1e-6), "se {k:?}: R {se} ours {ose}");
        assert_eq!(num(e, "df"), num(o, "df"), "df {k:?}");
        if o["p_value"].is_empty() {
            // A base enquete does not test (below min_base_test, a suppressed answer, or a side
            // with standard error 0): the numbers agree with R, the test is left out and said so.
            assert!(
                o["note"].starts_with("no test:") && o["significant"].is_empty(),
                "{k:?}: untested without a reason: {o:?}"
            );
            untested += 1;
            continue;
        }
        let (p, op) = (num(e, "p_value").unwrap(), num(o, "p_value").unwrap());
        assert!(rel_close(p, op, 1e-3), "p {k:?}: R {p} ours {op}");
        let (t, ot) = (num(e, "t").unwrap(), num(o, "t").unwrap());
        assert!(rel_close(t, ot, 1e-6), "t {k:?}: R {t} ours {ot}");
        compared += 1;
    }
    assert!(
        untested * 5 <= compared,
        "most comparisons are tested: {untested} untested, {compared} compared"
    );
    compared
}

fn test_fixture(data: &Path, codebook: &Path, expected: &Path) -> usize {
    let expected = read_csv(expected);
    let wd = Workdir::new();
    let tables: BTreeSet<String> = expected
        .iter()
        .map(|r| table_of(codebook, &r["variable"]))
        .collect();
    let mut ours: HashMap<Vec<String>, Row> = HashMap::new();
    for table in &tables {
        let r = wd.run(&[
            "test",
            data.to_str().unwrap(),
            "-c",
            codebook.to_str().unwrap(),
            "-t",
            table,
            "-f",
            "csv",
        ]);
        r.expect_code(0);
        for row in read_csv_str(&r.stdout()) {
            ours.insert(
                ["variable", "category", "by"]
                    .map(|c| row[c].clone())
                    .to_vec(),
                row,
            );
        }
    }
    let mut compared = 0;
    for e in &expected {
        let k = ["variable", "category", "by"]
            .map(|c| e[c].clone())
            .to_vec();
        let o = ours.get(&k).unwrap_or_else(|| panic!("no test for {k:?}"));
        if num(e, "f").is_none() {
            assert!(
                !o["note"].is_empty(),
                "{k:?}: R had no result; ours must say why"
            );
            continue;
        }
        assert_eq!(num(e, "n"), num(o, "n"), "n {k:?}");
        for c in [
            "f",
            "ndf",
            "ddf",
            "chisq_first_order",
            "pearson_x2",
            "df_first_order",
        ] {
            let (x, y) = (num(e, c).unwrap(), num(o, c).unwrap());
            assert!(rel_close(x, y, 1e-6), "{c} {k:?}: R {x} ours {y}");
        }
        for c in ["p_f", "p_chisq"] {
            let (x, y) = (num(e, c).unwrap(), num(o, c).unwrap());
            assert!(rel_close(x, y, 1e-3), "{c} {k:?}: R {x} ours {y}");
        }
        compared += 1;
    }
    compared
}

fn health() -> (std::path::PathBuf, std::path::PathBuf) {
    let d = repo().join("tests/reference/r/health");
    (d.join("data.csv"), d.join("codebook.toml"))
}

fn reference(name: &str) -> std::path::PathBuf {
    repo().join("tests/reference/r/compare").join(name)
}

#[test]
fn health_comparisons_match_svyglm() {
    let (d, c) = health();
    assert!(compare_fixture(&d, &c, &reference("health_compare.csv")) > 30);
}

#[test]
fn health_tests_match_svychisq() {
    let (d, c) = health();
    assert!(test_fixture(&d, &c, &reference("health_test.csv")) >= 8);
}

#[test]
fn apistrat_matches_r_documented_example() {
    let n = test_fixture(
        &reference("apistrat.csv"),
        &reference("apistrat.toml"),
        &reference("apistrat_test.csv"),
    );
    assert_eq!(n, 1);
}

#[test]
fn sample_comparisons_and_tests_match_r() {
    let d = repo().join("samples/inwonersenquete-2023.csv");
    let c = repo().join("samples/codebook.toml");
    assert!(compare_fixture(&d, &c, &reference("sample_compare.csv")) > 150);
    assert!(test_fixture(&d, &c, &reference("sample_test.csv")) >= 16);
}

#[test]
fn large_file_comparisons_and_tests_match_r() {
    let wd = Workdir::new();
    wd.run(&[
        "generate",
        "--rows",
        "200000",
        "--seed",
        "200000",
        "--out",
        "large.csv",
    ])
    .expect_code(0);
    let c = repo().join("samples/codebook.toml");
    assert!(compare_fixture(&wd.path("large.csv"), &c, &reference("large_compare.csv")) > 150);
    assert!(test_fixture(&wd.path("large.csv"), &c, &reference("large_test.csv")) >= 16);
}
