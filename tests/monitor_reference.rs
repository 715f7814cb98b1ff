//! Scale scores, Cronbach's alpha, quantiles, totals, benchmarks, response rates and statement
//! batteries against R `survey` 4.1 (scripts, data and values in tests/reference/r/monitor/,
//! made by `run_all.sh` there), on four designs: unweighted, stratified, clustered and raked.

mod common;

use common::{num, read_csv, repo, Row, Workdir};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn fixture(file: &str) -> PathBuf {
    repo().join("tests/reference/r/monitor").join(file)
}

/// The fixture's codebook of `design` with its side files, copied into `wd`; `strip` removes
/// the parts of the codebook a test does not exercise.
fn codebook(wd: &Workdir, design: &str, strip: &[&str]) -> PathBuf {
    for f in ["benchmark.csv", "marges.csv", "uitgenodigd.csv"] {
        wd.write(f, std::fs::read(fixture(f)).unwrap());
    }
    let mut text = std::fs::read_to_string(fixture(&format!("codebook_{design}.toml"))).unwrap();
    for s in strip {
        assert!(text.contains(s), "{s:?} is not in the codebook");
        text = text.replace(s, "");
    }
    wd.write(&format!("codebook_{design}.toml"), text)
}

/// Run `report` at `level` and read its estimates, keyed by (table, variable, statistic,
/// category, by, group).
fn report(wd: &Workdir, codebook: &Path, level: &str) -> (PathBuf, HashMap<Vec<String>, Row>) {
    let out = wd.path(&format!("out-{level}"));
    wd.run(&[
        "report",
        fixture("data.csv").to_str().unwrap(),
        "--codebook",
        codebook.to_str().unwrap(),
        "--level",
        level,
        "--out",
        out.to_str().unwrap(),
        "--no-charts",
    ])
    .expect_code(0);
    let rows = read_csv(&out.join("estimates.csv"));
    let keyed = rows.into_iter().map(|r| (key(&r), r)).collect();
    (out, keyed)
}

fn key(r: &Row) -> Vec<String> {
    ["table", "variable", "statistic", "category", "by", "group"]
        .iter()
        .map(|c| r[*c].clone())
        .collect()
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs()) + 1e-300
}

/// Compare every R row that `wanted` selects with ours: n and df exactly; estimates 1e-9; SEs
/// 1e-7 relative; interval limits 1e-6 of the half-width (quantiles: estimates and limits
/// exactly, an empty R limit empty ours). Returns the number of rows compared.
fn check_estimates(design: &str, strip: &[&str], wanted: impl Fn(&Row) -> bool) -> usize {
    let wd = Workdir::new();
    let cb = codebook(&wd, design, strip);
    let expected = read_csv(&fixture(&format!("{design}_estimates.csv")));
    let mut ours: HashMap<String, HashMap<Vec<String>, Row>> = HashMap::new();
    let mut compared = 0;
    for e in expected.iter().filter(|r| wanted(r)) {
        let level = e["level"].clone();
        let table = ours
            .entry(level.clone())
            .or_insert_with(|| report(&wd, &cb, &level).1);
        let k = key(e);
        let o = table
            .get(&k)
            .unwrap_or_else(|| panic!("{design}: no estimate for {k:?}"));
        let ctx = format!("{design} {k:?} level {level}");
        assert_eq!(o["n"], e["n"], "n of {ctx}");
        assert_eq!(o["count"], e["count"], "count of {ctx}");
        assert_eq!(num(o, "df"), num(e, "df"), "df of {ctx}");
        let quantile = e["statistic"] == "quantile";
        let (x, y) = (num(e, "estimate").unwrap(), num(o, "estimate").unwrap());
        if quantile {
            assert_eq!(x, y, "estimate of {ctx}");
        } else {
            assert!(close(x, y, 1e-9), "estimate of {ctx}: R {x} ours {y}");
        }
        match (num(e, "se"), num(o, "se")) {
            (Some(a), Some(b)) => assert!(close(a, b, 1e-7), "se of {ctx}: R {a} ours {b}"),
            (None, None) => assert!(!o["note"].is_empty(), "{ctx}: no se, and no note"),
            (a, b) => panic!("se of {ctx}: R {a:?} ours {b:?}: {e:?}\n{o:?}"),
        }
        if let (Some(a), Some(b)) = (num(e, "deff"), num(o, "deff")) {
            assert!(close(a, b, 1e-7), "deff of {ctx}: R {a} ours {b}");
        } else {
            assert_eq!(
                num(e, "deff").is_some(),
                num(o, "deff").is_some(),
                "deff of {ctx}"
            );
        }
        // R's logit interval at p = 0 or 1 is a non-converged glm's; ours is a documented bound.
        let degenerate = e["statistic"] == "proportion" && (x == 0.0 || x == 1.0);
        if !degenerate {
            check_limits(e, o, quantile, &ctx);
        }
        compared += 1;
    }
    compared
}

fn check_limits(e: &Row, o: &Row, exact: bool, ctx: &str) {
    let (lo, hi) = (num(e, "ci_lower"), num(e, "ci_upper"));
    let (ol, oh) = (num(o, "ci_lower"), num(o, "ci_upper"));
    if exact {
        assert_eq!((lo, hi), (ol, oh), "limits of {ctx}");
        if lo.is_none() || hi.is_none() {
            assert!(!o["note"].is_empty(), "{ctx}: a missing limit needs a note");
        }
        return;
    }
    let (Some(lo), Some(hi), Some(ol), Some(oh)) = (lo, hi, ol, oh) else {
        panic!("limits of {ctx}: R {lo:?}–{hi:?} ours {ol:?}–{oh:?}");
    };
    let tol = 1e-6 * (hi - lo) / 2.0 + 1e-12;
    assert!(
        (lo - ol).abs() <= tol,
        "ci_lower of {ctx}: R {lo} ours {ol}"
    );
    assert!(
        (hi - oh).abs() <= tol,
        "ci_upper of {ctx}: R {hi} ours {oh}"
    );
}

/// Nothing is left out of the fixture's codebooks.
const NOT_HERE: [&str; 0] = [];

fn every(_: &Row) -> bool {
    true
}

#[test]
fn unweighted_quantiles_and_totals_match_r() {
    let n = check_estimates("srs", &NOT_HERE, every);
    assert!(n > 240, "only {n} rows compared");
}

#[test]
fn stratified_estimates_match_r() {
    let n = check_estimates("strat", &NOT_HERE, every);
    assert!(n > 580, "only {n} rows compared");
}

#[test]
fn clustered_estimates_match_r() {
    let n = check_estimates("clus", &NOT_HERE, every);
    assert!(n > 580, "only {n} rows compared");
}

#[test]
fn raked_estimates_match_r() {
    let n = check_estimates("rake", &NOT_HERE, every);
    assert!(n > 580, "only {n} rows compared");
}

/// Every test against a benchmark of R's file equals ours: the figures as estimates, SE 1e-7
/// relative, df exactly, t 1e-7, p-values 1e-6 relative, interval 1e-6 of its half-width.
fn check_benchmarks(design: &str) -> usize {
    let wd = Workdir::new();
    let cb = codebook(&wd, design, &NOT_HERE);
    let (out, _) = report(&wd, &cb, "0.95");
    let ours: HashMap<Vec<String>, Row> = read_csv(&out.join("comparisons.csv"))
        .into_iter()
        .filter(|r| r["group_a"] == "(benchmark)")
        .map(|r| {
            let k = ["table", "variable", "category", "between", "group_b"]
                .iter()
                .map(|c| r[*c].clone())
                .collect();
            (k, r)
        })
        .collect();
    let expected = read_csv(&fixture(&format!("{design}_benchmark.csv")));
    assert_eq!(ours.len(), expected.len(), "{design}: benchmark rows");
    for e in &expected {
        let k: Vec<String> = ["table", "variable", "category", "by", "group"]
            .iter()
            .map(|c| e[*c].clone())
            .collect();
        let o = ours
            .get(&k)
            .unwrap_or_else(|| panic!("{design}: no benchmark test {k:?}"));
        let ctx = format!("{design} {k:?}");
        assert_eq!(o["n_b"], e["n"], "n of {ctx}");
        assert_eq!(num(o, "df"), num(e, "df"), "df of {ctx}");
        for (ours_col, r_col) in [
            ("estimate_b", "estimate"),
            ("estimate_a", "value"),
            ("difference", "difference"),
        ] {
            let (x, y) = (num(e, r_col).unwrap(), num(o, ours_col).unwrap());
            assert!(close(x, y, 1e-9), "{ours_col} of {ctx}: R {x} ours {y}");
        }
        for (col, tol) in [
            ("se", 1e-7),
            ("t", 1e-7),
            ("p_value", 1e-6),
            ("p_holm", 1e-6),
        ] {
            let (x, y) = (num(e, col).unwrap(), num(o, col).unwrap());
            assert!(close(x, y, tol), "{col} of {ctx}: R {x} ours {y}");
        }
        let (lo, hi) = (num(e, "ci_lower").unwrap(), num(e, "ci_upper").unwrap());
        let tol = 1e-6 * (hi - lo) / 2.0;
        assert!(
            (lo - num(o, "ci_lower").unwrap()).abs() <= tol,
            "ci_lower of {ctx}"
        );
        assert!(
            (hi - num(o, "ci_upper").unwrap()).abs() <= tol,
            "ci_upper of {ctx}"
        );
        let significant = num(o, "p_holm").unwrap() < 0.05;
        assert_eq!(o["significant"], significant.to_string(), "{ctx}");
    }
    expected.len()
}

#[test]
fn tests_against_a_benchmark_match_r() {
    for design in ["strat", "clus", "rake"] {
        assert!(check_benchmarks(design) > 50, "{design}");
    }
}

#[test]
fn response_rates_per_district() {
    let wd = Workdir::new();
    let cb = codebook(&wd, "strat", &NOT_HERE);
    let (out, _) = report(&wd, &cb, "0.95");
    let ours = read_csv(&out.join("response.csv"));
    let expected = read_csv(&fixture("response.csv"));
    assert_eq!(ours.len(), expected.len() + 1, "a total row per variable");
    for (o, e) in ours.iter().zip(&expected) {
        for c in ["variable", "code", "invited", "responded"] {
            assert_eq!(o[c], e[c], "{c}");
        }
        assert!(close(
            num(o, "rate").unwrap(),
            num(e, "rate").unwrap(),
            1e-15
        ));
    }
    let total = ours.last().unwrap();
    assert_eq!(
        (total["code"].as_str(), total["label"].as_str()),
        ("(all)", "Totaal")
    );
    assert_eq!(
        (total["invited"].as_str(), total["responded"].as_str()),
        ("7090", "1800")
    );
    assert_eq!(
        ours[0]["label"], "Centrum",
        "the code's label from the codebook"
    );
}

#[test]
fn cronbachs_alpha_matches_r() {
    let wd = Workdir::new();
    let cb = codebook(&wd, "strat", &NOT_HERE);
    let (out, _) = report(&wd, &cb, "0.95");
    let ours = read_csv(&out.join("scales.csv"));
    let expected = read_csv(&fixture("alpha.csv"));
    assert_eq!(ours.len(), expected.len());
    for (o, e) in ours.iter().zip(&expected) {
        assert_eq!(o["scale"], e["scale"]);
        assert_eq!(o["items"], e["items"]);
        assert_eq!(o["n_complete"], e["n_complete"]);
        let (a, b) = (num(e, "alpha").unwrap(), num(o, "alpha").unwrap());
        assert!(
            close(a, b, 1e-12),
            "alpha of {}: R {a} ours {b}",
            e["scale"]
        );
    }
}
