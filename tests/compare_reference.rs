//! Group comparisons (`compare`) and Rao–Scott tests (`test`) against R `survey` 4.1:
//! `svyglm(y ~ group)` on the domain (and after `svystandardize` for standardised comparisons),
//! `svychisq(~x + by)` with statistic "F" and "Chisq". Reference values and the scripts that made
//! them are in tests/reference/r/compare/.
//!
//! Tolerances: differences 1e-9, standard errors 1e-6 relative, p-values 1e-3 relative,
//! F / ndf / ddf / chi-square 1e-6 relative.

mod common;

use common::reference::{compare_fixture, test_fixture};
use common::{repo, Workdir};

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
    let c = repo().join("tests/reference/r/sample/codebook.toml");
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
    let c = repo().join("tests/reference/r/sample/codebook.toml");
    assert!(compare_fixture(&wd.path("large.csv"), &c, &reference("large_compare.csv")) > 150);
    assert!(test_fixture(&wd.path("large.csv"), &c, &reference("large_test.csv")) >= 16);
}
