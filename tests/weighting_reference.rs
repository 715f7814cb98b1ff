//! Calibration against R `survey` 4.1 (tests/reference/r/weighting/, made by `run_all.sh`
//! there): the final weights, and every estimate, interval, comparison, group-against-total
//! difference and Rao–Scott test of the calibrated design, for post-stratification, raking,
//! linear and logit calibration, the finite population correction, and raking with it.

mod common;

use common::reference::{
    compare_estimates, compare_fixture, compare_weights, parse_weights, test_fixture,
};
use common::{num, read_csv, read_csv_str, repo, Workdir};
use std::path::PathBuf;

const DESIGNS: [&str; 6] = ["poststratify", "rake", "linear", "logit", "fpc", "rake_fpc"];

fn file(name: &str) -> PathBuf {
    repo().join("tests/reference/r/weighting").join(name)
}

#[test]
fn final_weights_equal_rs_to_1e_9() {
    let wd = Workdir::new();
    for design in ["poststratify", "rake", "linear", "logit"] {
        let r = wd.run(&[
            "weight",
            file("data.csv").to_str().unwrap(),
            "-c",
            file(&format!("{design}.toml")).to_str().unwrap(),
        ]);
        r.expect_code(0);
        assert!(r.stdout().starts_with("respnr;gewicht"), "{design}: header");
        let ours = parse_weights(&r.stdout());
        compare_weights(&ours, &file(&format!("{design}_weights.csv")), design);
    }
}

#[test]
fn calibrated_estimates_and_intervals_match_r() {
    for design in DESIGNS {
        let n = compare_estimates(
            &file("data.csv"),
            &file(&format!("{design}.toml")),
            &file(&format!("{design}_expected.csv")),
            &[],
        );
        assert!(n > 300, "{design}: only {n} interval limits compared");
    }
}

#[test]
fn calibrated_comparisons_and_tests_match_r() {
    for design in DESIGNS {
        let c = file(&format!("{design}.toml"));
        let n = compare_fixture(
            &file("data.csv"),
            &c,
            &file(&format!("{design}_compare.csv")),
        );
        assert!(n >= 8, "{design}: {n} comparisons");
        let n = test_fixture(&file("data.csv"), &c, &file(&format!("{design}_test.csv")));
        assert!(n >= 13, "{design}: {n} tests");
    }
}

#[test]
fn calibrated_groups_against_the_total_match_r() {
    let wd = Workdir::new();
    for design in DESIGNS {
        let c = file(&format!("{design}.toml"));
        let expected = read_csv(&file(&format!("{design}_against.csv")));
        let mut checked = 0;
        for (table, between) in [
            ("kanaal", "leeftijdsgroep"),
            ("kanaal", "wijk"),
            ("info", "geslacht"),
        ] {
            let r = wd.run(&[
                "compare",
                file("data.csv").to_str().unwrap(),
                "-c",
                c.to_str().unwrap(),
                "-t",
                table,
                "--between",
                between,
                "--against",
                "total",
                "-f",
                "csv",
            ]);
            r.expect_code(0);
            let ours = read_csv_str(&r.stdout());
            for e in expected.iter().filter(|e| e["between"] == between) {
                let o = ours
                    .iter()
                    .find(|o| o["category"] == e["category"] && o["group_b"] == e["group_b"])
                    .unwrap_or_else(|| panic!("{design}: no row for {e:?}"));
                for col in ["estimate_a", "estimate_b", "difference"] {
                    let (x, y) = (num(e, col).unwrap(), num(o, col).unwrap());
                    assert!((x - y).abs() <= 1e-9, "{design} {col}: R {x} ours {y}");
                }
                let (se, ose) = (num(e, "se").unwrap(), num(o, "se").unwrap());
                assert!(
                    (se - ose).abs() <= 1e-7 * se,
                    "{design} se: R {se} ours {ose}"
                );
                assert_eq!(num(e, "df"), num(o, "df"), "{design} df");
                let (p, op) = (num(e, "p_value").unwrap(), num(o, "p_value").unwrap());
                assert!((p - op).abs() <= 1e-3 * p, "{design} p: R {p} ours {op}");
                checked += 1;
            }
        }
        assert_eq!(checked, expected.len(), "{design}: every reference row");
    }
}

/// svystandardize on a calibrated design: R applies the calibration residual and then the
/// standardisation's post-stratification residual (tests/reference/r/extra/).
#[test]
fn standardised_comparisons_on_calibrated_designs_match_r() {
    for design in ["rake", "poststratify"] {
        let n = compare_fixture(
            &file("data.csv"),
            &file(&format!("{design}.toml")),
            &repo().join(format!("tests/reference/r/extra/std_{design}_compare.csv")),
        );
        assert!(n >= 8, "{design}: {n} comparisons");
    }
}

/// Post-stratification of a design with zero design weights: R keeps those rows and gives
/// them the residual −f_c (as if they weighed 1); enquete does the same.
#[test]
fn poststratification_with_zero_design_weights_matches_r() {
    let wd = Workdir::new();
    let dir = repo().join("tests/reference/r/weighting");
    for f in ["poststratify.toml", "cellen.csv", "marges.csv"] {
        std::fs::copy(dir.join(f), wd.path(f)).unwrap();
    }
    let n = compare_estimates(
        &repo().join("tests/reference/r/extra/data_zero.csv"),
        &wd.path("poststratify.toml"),
        &repo().join("tests/reference/r/extra/poststratify_zero.csv"),
        &[],
    );
    assert!(n > 50, "{n} interval limits");
}

/// Each group against everyone else with a valid answer (R: svyglm(y ~ I(group == g))).
#[test]
fn groups_against_the_rest_match_r_on_a_calibrated_design() {
    let wd = Workdir::new();
    let expected = read_csv(&repo().join("tests/reference/r/extra/rest_rake.csv"));
    let mut checked = 0;
    for between in ["leeftijdsgroep", "wijk"] {
        let r = wd.run(&[
            "compare",
            file("data.csv").to_str().unwrap(),
            "-c",
            file("rake.toml").to_str().unwrap(),
            "-t",
            "kanaal",
            "--between",
            between,
            "--against",
            "rest",
            "-f",
            "csv",
        ]);
        r.expect_code(0);
        let ours = read_csv_str(&r.stdout());
        for e in expected.iter().filter(|e| e["between"] == between) {
            let o = ours
                .iter()
                .find(|o| o["category"] == e["category"] && o["group_b"] == e["group_b"])
                .unwrap();
            assert_eq!(o["group_a"], "(rest)");
            for col in ["estimate_a", "estimate_b", "difference"] {
                let (x, y) = (num(e, col).unwrap(), num(o, col).unwrap());
                assert!((x - y).abs() <= 1e-9, "{col}: R {x} ours {y}");
            }
            let (se, ose) = (num(e, "se").unwrap(), num(o, "se").unwrap());
            assert!((se - ose).abs() <= 1e-7 * se, "se: R {se} ours {ose}");
            assert_eq!(num(e, "df"), num(o, "df"));
            if let Some(op) = num(o, "p_value") {
                let p = num(e, "p_value").unwrap();
                assert!((p - op).abs() <= 1e-3 * p, "p: R {p} ours {op}");
            }
            checked += 1;
        }
    }
    assert_eq!(checked, expected.len());
}
