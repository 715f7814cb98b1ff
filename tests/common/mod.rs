//! Shared helpers for integration tests: run the real binary in a directory of its own, read the
//! CSV it writes, and on failure show the command with its stdout and stderr.

#![allow(dead_code)]

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_enquete"))
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh working directory for one test.
pub struct Workdir {
    pub dir: tempfile::TempDir,
}

impl Workdir {
    pub fn new() -> Self {
        Workdir {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, content).expect("write test file");
        p
    }

    /// Run `enquete ARGS` in this directory.
    pub fn run(&self, args: &[&str]) -> Run {
        let output = Command::new(bin())
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .expect("run enquete");
        Run {
            args: args.iter().map(|s| s.to_string()).collect(),
            output,
        }
    }
}

pub struct Run {
    pub args: Vec<String>,
    pub output: Output,
}

impl Run {
    pub fn code(&self) -> i32 {
        self.output.status.code().unwrap_or(-1)
    }
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }
    pub fn describe(&self) -> String {
        format!(
            "enquete {}\nexit: {}\n--- stdout\n{}\n--- stderr\n{}",
            self.args.join(" "),
            self.code(),
            self.stdout(),
            self.stderr()
        )
    }
    /// Assert the exit code, showing everything on failure.
    pub fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(self.code(), code, "{}", self.describe());
        self
    }
}

/// Read a CSV file into maps from column name to value.
pub fn read_csv(path: &Path) -> Vec<HashMap<String, String>> {
    read_csv_str(
        &std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
}

pub fn read_csv_str(text: &str) -> Vec<HashMap<String, String>> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let headers = r.headers().expect("header").clone();
    r.records()
        .map(|rec| {
            let rec = rec.expect("record");
            headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

pub fn num(row: &HashMap<String, String>, key: &str) -> Option<f64> {
    let v = row.get(key).unwrap_or_else(|| panic!("no column {key}"));
    if v.is_empty() || v == "NA" || v == "NaN" {
        None
    } else {
        Some(
            v.parse()
                .unwrap_or_else(|_| panic!("{key}: not a number: {v}")),
        )
    }
}

pub type Row = HashMap<String, String>;
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
        let (e, o) = (num(exp, "estimate").unwrap(), num(got, "estimate").unwrap());
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
