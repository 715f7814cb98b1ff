//! Degenerate designs against R `survey` 4.1 (tests/reference/r/degenerate/): respondents of
//! weight 0 spread over the cells (zw), and a group whose respondents all weigh 0 (zg).
//! Estimates, standardised and crude comparisons, Rao–Scott tests.

mod common;

use common::reference::{compare_estimates, compare_fixture, test_fixture};
use common::{num, read_csv, read_csv_str, repo, Workdir};
use std::path::PathBuf;

fn file(name: &str) -> PathBuf {
    repo().join("tests/reference/r/degenerate").join(name)
}

#[test]
fn zero_weight_rows_match_r() {
    let (data, codebook) = (file("zero_weights.csv"), file("codebook.toml"));
    assert!(compare_estimates(&data, &codebook, &file("zw_expected.csv"), &[]) > 300);
    // Standardised comparisons: R's post-stratification gives a zero-weight row the residual
    // −(its cell's mean), which moves the SE by up to 0.1% here.
    assert!(compare_fixture(&data, &codebook, &file("zw_compare.csv")) > 80);
    assert!(test_fixture(&data, &codebook, &file("zw_test.csv")) >= 8);
}

#[test]
fn a_group_of_zero_weights_matches_r() {
    let (data, codebook) = (file("zero_group.csv"), file("codebook.toml"));
    // Its domain: n = 3, no estimate (R: NaN), said why.
    compare_estimates(&data, &codebook, &file("zg_expected.csv"), &[]);
    compare_fixture(&data, &codebook, &file("zg_compare.csv"));
    // The tests by taal: R's F is NaN; ours is not made, and says why.
    test_fixture(&data, &codebook, &file("zg_test.csv"));
    // svyglm cannot estimate the group, so it does not count in the residual df.
    let wd = Workdir::new();
    let r = wd.run(&[
        "compare",
        data.to_str().unwrap(),
        "-c",
        codebook.to_str().unwrap(),
        "-t",
        "kanaal",
        "--between",
        "taal",
        "-f",
        "csv",
    ]);
    r.expect_code(0);
    let expected = read_csv(&file("zg_compare.csv"));
    for row in read_csv_str(&r.stdout()) {
        let e = expected
            .iter()
            .find(|e| {
                e["category"] == row["category"]
                    && e["between"] == "taal"
                    && e["standardized"].is_empty()
            })
            .unwrap();
        assert_eq!(num(e, "df"), num(&row, "df"), "{row:?}");
        assert!(
            row["note"].contains("all have weight 0") && row["difference"].is_empty(),
            "{row:?}"
        );
    }
}

#[test]
fn huge_weights_are_refused_not_turned_into_zero_percent() {
    // Weights of 1e308 overflowed the sums of squares: 0.0% everywhere, exit 0. Now the rows
    // are named, with what to do.
    let wd = Workdir::new();
    let text = std::fs::read_to_string(file("zero_weights.csv")).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    for l in lines.iter_mut().skip(1).take(3) {
        let mut f: Vec<&str> = l.split(';').collect();
        f[5] = "1e308";
        *l = f.join(";");
    }
    wd.write("data.csv", lines.join("\n") + "\n");
    let r = wd.run(&[
        "crosstab",
        "data.csv",
        "-c",
        file("codebook.toml").to_str().unwrap(),
        "-t",
        "kanaal",
    ]);
    r.expect_code(1);
    assert!(
        r.stderr().contains("line 2, column 'weegfactor'")
            && r.stderr().contains("a weight of at most 1e100"),
        "{}",
        r.describe()
    );
}
