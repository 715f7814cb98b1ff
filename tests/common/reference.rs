//! Comparing enquete's outputs with R `survey` reference values (tests/reference/r/): estimates
//! and intervals, comparisons and Rao–Scott tests. Tolerances are the project's contract:
//! estimates 1e-9, standard errors 1e-7 relative (1e-6 for differences), interval limits 1e-6 of
//! the half-width, p-values 1e-3 relative.

use super::{num, read_csv, read_csv_str, Row, Workdir};
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

type Key = (String, String, String, String, String);

/// (table, variable, category, by, group); the table is empty when the reference has none.
fn key(r: &Row, with_table: bool) -> Key {
    (
        if with_table {
            r["table"].clone()
        } else {
            String::new()
        },
        r["variable"].clone(),
        r["category"].clone(),
        r["by"].clone(),
        r["group"].clone(),
    )
}

/// Run `report` once per (method, level) in `expected` (R `survey` reference estimates, in the
/// format of tests/reference/r/README.md, optionally with a `table` column) and compare every
/// expected row: estimates 1e-9, SE 1e-7 relative, interval limits 1e-6 of the half-width.
/// Returns how many interval limits were compared.
pub fn compare_estimates(data: &Path, codebook: &Path, expected: &Path, extra: &[&str]) -> usize {
    let expected = read_csv(expected);
    assert!(!expected.is_empty());
    let with_table = expected[0].contains_key("table");
    let combos: BTreeSet<(String, String)> = expected
        .iter()
        .filter(|r| {
            !r["category"].is_empty() && !["t", "mean"].contains(&r["ci_method"].as_str())
                || r["ci_method"] == "mean" && !r["category"].is_empty()
        })
        .map(|r| (r["ci_method"].clone(), r["level"].clone()))
        .collect();
    let mut levels: BTreeSet<String> = expected.iter().map(|r| r["level"].clone()).collect();
    let wd = Workdir::new();
    // (method, level) -> our rows by key
    let mut ours: HashMap<(String, String), HashMap<Key, Row>> = HashMap::new();
    let mut runs: Vec<(String, String)> = combos.into_iter().collect();
    // Means do not depend on --ci: make sure every level has a run.
    for l in std::mem::take(&mut levels) {
        if !runs.iter().any(|(_, rl)| *rl == l) {
            runs.push((String::new(), l));
        }
    }
    for (method, level) in &runs {
        let out = wd.path(&format!("out-{method}-{level}"));
        let mut args = vec![
            "report",
            data.to_str().unwrap(),
            "--codebook",
            codebook.to_str().unwrap(),
            "--level",
            level,
            "--out",
            out.to_str().unwrap(),
            "--no-charts",
        ];
        if !method.is_empty() {
            args.extend(["--ci", method.as_str()]);
        }
        args.extend(extra);
        wd.run(&args).expect_code(0);
        let rows = read_csv(&out.join("estimates.csv"));
        ours.insert(
            (method.clone(), level.clone()),
            rows.into_iter().map(|r| (key(&r, with_table), r)).collect(),
        );
    }
    let mut compared_ci = 0;
    for exp in &expected {
        let is_mean = exp["category"].is_empty();
        let method = exp["ci_method"].clone();
        let level = exp["level"].clone();
        let run = if is_mean {
            runs.iter().find(|(_, l)| *l == level).unwrap().clone()
        } else {
            (method.clone(), level.clone())
        };
        let table = &ours[&run];
        let k = key(exp, with_table);
        let got = table
            .get(&k)
            .unwrap_or_else(|| panic!("no estimate for {k:?}"));
        let ctx = format!("{k:?} {method} {level}");
        assert_eq!(got["n"], exp["n"], "n of {ctx}");
        let Some(e) = num(exp, "estimate") else {
            // R's 0/0 (a domain whose respondents all weigh 0): ours is empty too, and says why.
            assert!(
                num(got, "estimate").is_none() && num(got, "se").is_none(),
                "{ctx}: R has no estimate, ours {got:?}"
            );
            assert!(got["note"].contains("weight 0"), "{ctx}: {}", got["note"]);
            continue;
        };
        let o = num(got, "estimate").unwrap();
        assert!(
            (e - o).abs() <= 1e-9 * e.abs().max(1.0),
            "estimate of {ctx}: R {e} ours {o}"
        );
        let (e_se, o_se) = (num(exp, "se").unwrap(), num(got, "se").unwrap());
        assert!(
            (e_se - o_se).abs() <= 1e-7 * e_se.abs() + 1e-15,
            "se of {ctx}: reference {e_se} ours {o_se}"
        );
        assert_eq!(num(got, "df"), num(exp, "df"), "df of {ctx}");
        if let (Some(d_e), Some(d_o)) = (num(exp, "deff"), num(got, "deff")) {
            assert!(
                (d_e - d_o).abs() <= 1e-7 * d_e.abs(),
                "deff of {ctx}: {d_e} vs {d_o}"
            );
        }
        let (lo, hi) = (num(exp, "ci_lower"), num(exp, "ci_upper"));
        // At p = 0 or 1, R's svyciprop gives no usable interval: logit a non-converged glm's
        // ~1e-12 interval, mean [0, 0], the others NaN. Ours is a documented fallback there,
        // checked for validity below.
        let design_method = ["logit", "beta", "asin", "mean", "xlogit"].contains(&method.as_str());
        let r_degenerate = (e == 0.0 || e == 1.0) && design_method && !is_mean;
        match (lo, hi) {
            (Some(lo), Some(hi)) if !r_degenerate => {
                let half = (hi - lo) / 2.0;
                let (ol, oh) = (num(got, "ci_lower").unwrap(), num(got, "ci_upper").unwrap());
                let tol = 1e-6 * half + 1e-15;
                assert!(
                    (lo - ol).abs() <= tol,
                    "ci_lower of {ctx}: reference {lo} ours {ol}"
                );
                assert!(
                    (hi - oh).abs() <= tol,
                    "ci_upper of {ctx}: reference {hi} ours {oh}"
                );
                compared_ci += 2;
            }
            _ if num(got, "df").is_some_and(|df| df < 1.0) => {
                assert!(
                    num(got, "ci_lower").is_none(),
                    "{ctx}: no interval without df"
                );
                assert!(
                    got["note"].contains("degrees of freedom"),
                    "{ctx}: {}",
                    got["note"]
                );
            }
            _ if !is_mean => {
                let (ol, oh) = (num(got, "ci_lower").unwrap(), num(got, "ci_upper").unwrap());
                assert!(
                    ol <= e && e <= oh && (0.0..=1.0).contains(&ol) && oh <= 1.0,
                    "{ctx}"
                );
                assert!(
                    !got["note"].is_empty(),
                    "{ctx}: the fallback must be explained"
                );
            }
            _ => {}
        }
    }
    compared_ci
}

/// Weights as `enquete weight` writes them (`id;weight`, a decimal comma), by id.
pub fn parse_weights(text: &str) -> HashMap<String, f64> {
    text.lines()
        .skip(1)
        .map(|l| {
            let (id, w) = l.split_once(';').expect("two columns");
            (
                id.to_string(),
                w.replace(',', ".").parse().expect("a number"),
            )
        })
        .collect()
}

/// Every respondent's weight equals R's (`respnr,weight` in `expected`) to 1e-9 relative.
pub fn compare_weights(ours: &HashMap<String, f64>, expected: &Path, ctx: &str) {
    let expected = read_csv(expected);
    assert_eq!(expected.len(), ours.len(), "{ctx}: every respondent");
    for e in &expected {
        let want = num(e, "weight").unwrap();
        let got = ours[&e["respnr"]];
        assert!(
            (want - got).abs() <= 1e-9 * want,
            "{ctx} respondent {}: R {want} ours {got}",
            e["respnr"]
        );
    }
}

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

/// Run `compare` for every (table, between, standardisation) of an R reference in the format of
/// tests/reference/r/compare/README.md and check every row; rows enquete does not test must
/// say why. Returns how many were compared.
pub fn compare_fixture(data: &Path, codebook: &Path, expected: &Path) -> usize {
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

/// Run `test` for every table of an R `svychisq` reference and check every row.
pub fn test_fixture(data: &Path, codebook: &Path, expected: &Path) -> usize {
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
