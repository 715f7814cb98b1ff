//! Subpopulations (filters), recodes, crossed breakdowns, each group against the total, and
//! the pairwise tests behind column letters, against R `survey` 4.1 (scripts and values in
//! tests/reference/r/domains/, made by `run_all.sh` there).

mod common;

use common::reference::compare_estimates;
use common::{num, read_csv, read_csv_str, repo, Row, Workdir};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn domains(file: &str) -> PathBuf {
    repo().join("tests/reference/r/domains").join(file)
}

#[test]
fn filters_recodes_and_crossings_match_r_survey() {
    let n = compare_estimates(
        &domains("data.csv"),
        &domains("codebook.toml"),
        &domains("expected.csv"),
        &[],
    );
    assert!(n > 1500, "only {n} interval limits compared");
}

#[test]
fn a_codebook_wide_filter_is_a_domain_like_rs_subset() {
    let n = compare_estimates(
        &domains("data.csv"),
        &domains("codebook_filtered.toml"),
        &domains("expected_filtered.csv"),
        &[],
    );
    assert!(n > 500, "only {n} interval limits compared");
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs()) + 1e-15
}

/// Check R's rows against ours (matched on table, variable, category, between, groups):
/// estimates and difference 1e-9, SE 1e-7 relative, df exact, p 1e-3 relative. Rows enquete
/// does not test must say why. Returns (tested, untested).
fn check_comparisons(expected: &[Row], ours: &HashMap<Vec<String>, Row>) -> (usize, usize) {
    let (mut tested, mut untested) = (0, 0);
    for e in expected {
        let k: Vec<String> = [
            "table", "variable", "category", "between", "group_a", "group_b",
        ]
        .iter()
        .map(|c| e.get(*c).cloned().unwrap_or_default())
        .collect();
        let o = ours
            .get(&k)
            .unwrap_or_else(|| panic!("no comparison for {k:?}"));
        for c in ["estimate_a", "estimate_b", "difference"] {
            let (x, y) = (num(e, c).unwrap(), num(o, c).unwrap());
            assert!((x - y).abs() <= 1e-9, "{c} {k:?}: R {x} ours {y}");
        }
        let (se, ose) = (num(e, "se").unwrap(), num(o, "se").unwrap());
        assert!(close(se, ose, 1e-7), "se {k:?}: R {se} ours {ose}");
        assert_eq!(num(e, "df"), num(o, "df"), "df {k:?}");
        if o["p_value"].is_empty() {
            assert!(o["note"].starts_with("no test:"), "{k:?}: {o:?}");
            untested += 1;
            continue;
        }
        let (p, op) = (num(e, "p_value").unwrap(), num(o, "p_value").unwrap());
        assert!(close(p, op, 1e-3), "p {k:?}: R {p} ours {op}");
        tested += 1;
    }
    (tested, untested)
}

/// R's `p.adjust(p, "holm")`.
fn holm(p: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..p.len()).collect();
    idx.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
    let mut out = vec![0.0; p.len()];
    let mut running = 0.0f64;
    for (rank, &i) in idx.iter().enumerate() {
        running = running.max(((p.len() - rank) as f64 * p[i]).min(1.0));
        out[i] = running;
    }
    out
}

/// Holm within each row (category × breakdown) over the pairs enquete tests: where it tests
/// every pair, R's `p_holm_row` itself; where it leaves pairs untested (a small group), Holm
/// over R's p-values of the pairs it does test.
fn check_holm_per_row(expected: &[Row], ours: &HashMap<Vec<String>, Row>) -> usize {
    let mut rows: HashMap<Vec<String>, Vec<(&Row, &Row)>> = HashMap::new();
    for e in expected {
        let k: Vec<String> = [
            "table", "variable", "category", "between", "group_a", "group_b",
        ]
        .iter()
        .map(|c| e[*c].clone())
        .collect();
        rows.entry(k[..4].to_vec())
            .or_default()
            .push((e, &ours[&k]));
    }
    let mut checked = 0;
    for pairs in rows.values() {
        let tested: Vec<&(&Row, &Row)> = pairs
            .iter()
            .filter(|(_, o)| !o["p_value"].is_empty())
            .collect();
        let want: Vec<f64> = if tested.len() == pairs.len() {
            tested
                .iter()
                .map(|(e, _)| num(e, "p_holm_row").unwrap())
                .collect()
        } else {
            holm(
                &tested
                    .iter()
                    .map(|(e, _)| num(e, "p_value").unwrap())
                    .collect::<Vec<_>>(),
            )
        };
        for ((_, o), w) in tested.iter().zip(want) {
            let got = num(o, "p_holm").unwrap();
            assert!(close(w, got, 1e-3), "p_holm {o:?}: want {w}");
            checked += 1;
        }
    }
    checked
}

fn comparisons_of(path: &Path, keep: impl Fn(&Row) -> bool) -> HashMap<Vec<String>, Row> {
    read_csv(path)
        .into_iter()
        .filter(|r| keep(r))
        .map(|r| {
            let k = [
                "table", "variable", "category", "between", "group_a", "group_b",
            ]
            .iter()
            .map(|c| r[*c].clone())
            .collect();
            (k, r)
        })
        .collect()
}

#[test]
fn groups_against_the_total_match_svycontrast() {
    let wd = Workdir::new();
    let out = wd.path("report");
    let (data, codebook) = (domains("data.csv"), domains("codebook.toml"));
    let args = [
        "report",
        data.to_str().unwrap(),
        "-c",
        codebook.to_str().unwrap(),
    ];
    wd.run(&[&args[..], &["--no-charts", "-o", out.to_str().unwrap()]].concat())
        .expect_code(0);
    let mut ours = comparisons_of(&out.join("comparisons.csv"), |r| r["group_a"] == "(all)");
    // kanaal_65plus breaks down by geslacht, two groups: the report compares that pair, so ask
    // for the total explicitly.
    let r = wd.run(
        &[
            &args[..],
            &[
                "-t",
                "kanaal_65plus",
                "--between",
                "geslacht",
                "--against",
                "total",
                "-f",
                "csv",
            ],
        ]
        .concat()
        .iter()
        .map(|s| if *s == "report" { "compare" } else { s })
        .collect::<Vec<_>>(),
    );
    r.expect_code(0);
    for row in read_csv_str(&r.stdout()) {
        let k = [
            "table", "variable", "category", "between", "group_a", "group_b",
        ]
        .iter()
        .map(|c| row[*c].clone())
        .collect();
        ours.insert(k, row);
    }
    let (tested, untested) = check_comparisons(&read_csv(&domains("against.csv")), &ours);
    assert!(tested >= 100, "{tested} tested");
    // District 10 has 13 respondents: below the minimum base of 30, so never tested.
    assert_eq!(untested, 4, "the four items of the 13-respondent district");
    let district_10: Vec<&Row> = ours
        .values()
        .filter(|r| r["between"] == "wijk" && r["group_b"] == "10")
        .collect();
    assert!(district_10
        .iter()
        .all(|r| r["significant"].is_empty() && r["note"].contains("below the minimum of 30")));
}

#[test]
fn group_against_total_in_a_clustered_design_matches_r() {
    let wd = Workdir::new();
    let dir = repo().join("tests/reference/r/health");
    let out = wd.path("report");
    wd.run(&[
        "report",
        dir.join("data.csv").to_str().unwrap(),
        "-c",
        dir.join("codebook.toml").to_str().unwrap(),
        "--no-charts",
        "-o",
        out.to_str().unwrap(),
    ])
    .expect_code(0);
    let ours = comparisons_of(&out.join("comparisons.csv"), |r| r["group_a"] == "(all)");
    let (tested, untested) = check_comparisons(&read_csv(&domains("against_health.csv")), &ours);
    assert!(
        tested >= 20 && untested <= 4,
        "{tested} tested, {untested} not"
    );
}

#[test]
fn column_letters_come_from_pairs_with_holm_per_row() {
    let wd = Workdir::new();
    let out = wd.path("report");
    wd.run(&[
        "report",
        domains("data.csv").to_str().unwrap(),
        "-c",
        domains("codebook.toml").to_str().unwrap(),
        "--letters",
        "--no-charts",
        "-o",
        out.to_str().unwrap(),
    ])
    .expect_code(0);
    let ours = comparisons_of(&out.join("comparisons.csv"), |r| r["holm_scope"] == "row");
    let expected = read_csv(&domains("pairs.csv"));
    let (tested, untested) = check_comparisons(&expected, &ours);
    assert!(tested > 150, "{tested} tested, {untested} not");
    assert_eq!(check_holm_per_row(&expected, &ours), tested);
    // The letters in the table follow from those tests: a cell lists the columns it is
    // significantly higher than.
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        md.contains("(A)") && md.contains("Letters"),
        "letters shown and explained"
    );
}

#[test]
fn groups_against_the_rest_match_svyglm() {
    let wd = Workdir::new();
    let expected = read_csv(&repo().join("tests/reference/r/extra/rest_domains.csv"));
    let mut ours: HashMap<Vec<String>, Row> = HashMap::new();
    for between in ["wijk", "leeftijdsgroep"] {
        let r = wd.run(&[
            "compare",
            domains("data.csv").to_str().unwrap(),
            "-c",
            domains("codebook.toml").to_str().unwrap(),
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
        for row in read_csv_str(&r.stdout()) {
            let k = [
                "table", "variable", "category", "between", "group_a", "group_b",
            ]
            .iter()
            .map(|c| row[*c].clone())
            .collect();
            ours.insert(k, row);
        }
    }
    let (tested, untested) = check_comparisons(&expected, &ours);
    assert!(
        tested >= 50 && untested <= 4,
        "{tested} tested, {untested} not"
    );
}
