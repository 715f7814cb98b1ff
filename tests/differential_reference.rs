//! The differential check's regression set against R `survey` 4.1
//! (tests/reference/r/differential/fixed/): five random designs chosen for what they exercise
//! (zero design weights, post-stratification, raking, clusters, p = 0 in a small district, a
//! constant mean, more than two districts: E1, E3 and E4 of issue 21), with R's estimates and
//! intervals, comparisons (pairs, standardised pairs, against the total and the rest), Holm
//! adjustments, Rao–Scott tests and final weights. The classes are those of `classify.R` there:
//! a figure is equal within the project's tolerances, or differs for a documented reason that
//! this test checks too (enquete's note says why); anything else fails.

mod common;

use common::{num, read_csv, read_csv_str, repo, Row, Workdir};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

const METHODS: [(&str, &str); 7] = [
    ("logit", "0.95"),
    ("beta", "0.95"),
    ("asin", "0.95"),
    ("mean", "0.95"),
    ("xlogit", "0.95"),
    ("logit", "0.9"),
    ("beta", "0.9"),
];

/// What the check found: figures per class, and every figure that is wrong.
#[derive(Default)]
struct Tally {
    classes: BTreeMap<String, usize>,
    wrong: Vec<String>,
}

impl Tally {
    fn equal(&mut self) {
        *self.classes.entry("equal".into()).or_default() += 1;
    }
    fn explained(&mut self, why: &str) {
        *self.classes.entry(format!("explained:{why}")).or_default() += 1;
    }
    fn wrong(&mut self, what: String) {
        *self.classes.entry("wrong".into()).or_default() += 1;
        self.wrong.push(what);
    }
    /// Equal when `ok`, else wrong with `what`.
    fn check(&mut self, ok: bool, what: impl FnOnce() -> String) {
        if ok {
            self.equal();
        } else {
            self.wrong(what());
        }
    }
    fn count(&self, class: &str) -> usize {
        self.classes.get(class).copied().unwrap_or(0)
    }
}

fn close_abs(r: f64, o: f64, tol: f64) -> bool {
    (r - o).abs() <= tol * r.abs().max(1.0)
}

fn close_rel(r: f64, o: f64, tol: f64) -> bool {
    (r - o).abs() <= tol * r.abs().max(o.abs()) + 1e-300
}

fn key(row: &Row, cols: &[&str]) -> String {
    cols.iter()
        .map(|c| row[*c].as_str())
        .collect::<Vec<_>>()
        .join("|")
}

fn run_csv(wd: &Workdir, args: &[&str]) -> Vec<Row> {
    let mut all = args.to_vec();
    all.extend(["-f", "csv"]);
    let r = wd.run(&all);
    r.expect_code(0);
    read_csv_str(&r.stdout())
}

fn design_dir(id: &str) -> PathBuf {
    repo()
        .join("tests/reference/r/differential/fixed")
        .join(format!("design-{id}"))
}

/// Estimates and intervals: one `report` per interval method and level, against svymean,
/// svyciprop, confint and degf on each domain.
fn check_estimates(wd: &Workdir, data: &Path, cb: &Path, expected: &[Row], tally: &mut Tally) {
    let mut ours: HashMap<String, HashMap<String, Row>> = HashMap::new();
    for (method, level) in METHODS {
        let out = wd.path(&format!("report-{method}-{level}"));
        wd.run(&[
            "report",
            data.to_str().unwrap(),
            "-c",
            cb.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--no-charts",
            "--ci",
            method,
            "--level",
            level,
        ])
        .expect_code(0);
        let rows = read_csv(&out.join("estimates.csv"));
        let by_key = rows
            .into_iter()
            .map(|r| (key(&r, &["table", "category", "by", "group"]), r))
            .collect();
        ours.insert(format!("{method} {level}"), by_key);
    }
    for e in expected {
        let run = match e["ci_method"].as_str() {
            "normal" => format!("logit {}", e["level"]),
            m => format!("{m} {}", e["level"]),
        };
        let k = key(e, &["table", "category", "by", "group"]);
        let ctx = format!("estimate {k} {run}");
        let Some(o) = ours[&run].get(&k) else {
            tally.wrong(format!("{ctx}: no row"));
            continue;
        };
        let note = o["note"].as_str();
        tally.check(e["n"] == o["n"], || {
            format!("{ctx}: n R {} ours {}", e["n"], o["n"])
        });
        let (est_r, est_o) = (num(e, "estimate"), num(o, "estimate"));
        let Some(est_r) = est_r else {
            if !e["r_error"].is_empty() {
                // svymean stops with an error on this domain: nothing to compare with.
                tally.explained("r_error");
            } else if est_o.is_none() && note.contains("weight 0") {
                // R's 0/0: every respondent of the domain weighs 0; ours is empty and says so.
                tally.explained("zero_weight_domain");
            } else {
                tally.wrong(format!("{ctx}: R has no estimate, ours {est_o:?} ({note})"));
            }
            continue;
        };
        tally.check(est_o.is_some_and(|x| close_abs(est_r, x, 1e-9)), || {
            format!("{ctx}: estimate R {est_r} ours {est_o:?}")
        });
        let (se_r, se_o) = (num(e, "se").unwrap(), num(o, "se"));
        match se_o {
            Some(s) if (se_r - s).abs() <= 1e-7 * se_r.abs() + 1e-15 => tally.equal(),
            Some(s) if se_r < 1e-12 && s == 0.0 => tally.explained("r_round_off"),
            _ => tally.wrong(format!("{ctx}: se R {se_r} ours {se_o:?}")),
        }
        let (df_r, df_o) = (num(e, "df"), num(o, "df"));
        tally.check(df_r == df_o, || {
            format!("{ctx}: df R {df_r:?} ours {df_o:?}")
        });
        let near01 = est_r.abs() < 1e-12 || (1.0 - est_r).abs() < 1e-12;
        match (num(e, "deff"), num(o, "deff")) {
            (None, None) => tally.equal(),
            // p = 0 or 1 up to R's rounding: R's weighted variance is 0 or noise, ours empty.
            (_, None) if near01 => tally.explained("r_round_off"),
            (Some(r), Some(x)) if r.is_finite() && close_rel(r, x, 1e-7) => tally.equal(),
            (Some(r), None) if r.is_infinite() => tally.explained("deff_undefined"),
            (r, x) => tally.wrong(format!("{ctx}: deff R {r:?} ours {x:?}")),
        }
        check_interval(e, o, &ctx, est_r, near01, tally);
    }
    // Rows of ours that R has no domain for (a group without respondents) must have n = 0.
    let theirs: std::collections::HashSet<String> = expected
        .iter()
        .map(|e| key(e, &["table", "category", "by", "group"]))
        .collect();
    for (k, o) in &ours["logit 0.95"] {
        if !theirs.contains(k) {
            tally.check(o["n"] == "0", || {
                format!("estimate {k}: a row R has no domain for")
            });
        }
    }
}

fn check_interval(e: &Row, o: &Row, ctx: &str, est_r: f64, near01: bool, tally: &mut Tally) {
    let method = e["ci_method"].as_str();
    let design_method = ["logit", "beta", "asin", "mean", "xlogit"].contains(&method);
    let note = o["note"].as_str();
    let (lo_r, hi_r) = (num(e, "ci_lower"), num(e, "ci_upper"));
    let df_o = num(o, "df");
    for (field, rv) in [("ci_lower", lo_r), ("ci_upper", hi_r)] {
        let ov = num(o, field);
        if design_method && df_o.is_some_and(|d| d < 1.0) {
            // No degrees of freedom: no interval, said in the note (R's is NaN).
            if ov.is_none() && note.contains("degrees of freedom") {
                tally.explained("df_below_1");
            } else {
                tally.wrong(format!("{ctx}: {field} without df: ours {ov:?} ({note})"));
            }
        } else if method == "logit" && hi_r.is_none() && lo_r == Some(0.0) {
            // svyciprop(logit) turns the t quantile into a normal level that rounds to 1 at
            // df = 1: R's interval is [0, NaN].
            tally.check(ov.is_some(), || format!("{ctx}: {field} ours empty"));
        } else if e["r_note"].starts_with("svyglm diverged") {
            tally.check(ov.is_some(), || format!("{ctx}: {field} ours empty"));
        } else if design_method && near01 {
            // p = 0 or 1: R has no usable interval; ours is the documented fallback, with a note.
            if !note.is_empty() && ov.is_some_and(|x| (0.0..=1.0).contains(&x)) {
                tally.explained("p01_interval");
            } else {
                tally.wrong(format!(
                    "{ctx}: {field} at p = {est_r}: ours {ov:?} ({note})"
                ));
            }
        } else {
            match (rv, ov) {
                (None, None) => tally.equal(),
                (Some(r), Some(x)) => {
                    let half = match (lo_r, hi_r) {
                        (Some(l), Some(h)) => (h - l) / 2.0,
                        _ => 1e-3,
                    };
                    tally.check(
                        (r - x).abs() <= 1e-6 * half.abs() + 1e-12 * est_r.abs().max(1.0),
                        || format!("{ctx}: {field} R {r} ours {x}"),
                    )
                }
                (r, x) => tally.wrong(format!("{ctx}: {field} R {r:?} ours {x:?} ({note})")),
            }
        }
    }
}

/// Holm's adjustment of `p` (R's p.adjust(p, "holm")).
fn holm(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
    let mut out = vec![0.0; m];
    let mut running: f64 = 0.0;
    for (rank, &i) in order.iter().enumerate() {
        running = running.max(((m - rank) as f64 * p[i]).min(1.0));
        out[i] = running;
    }
    out
}

const CMP_KEY: [&str; 6] = [
    "table",
    "category",
    "between",
    "standardized",
    "group_a",
    "group_b",
];

/// Comparisons: `compare` per table, breakdown and kind against svyglm (crude and after
/// svystandardize) and svycontrast; Holm per table × breakdown × kind with R's p-values.
fn check_comparisons(wd: &Workdir, data: &Path, cb: &Path, expected: &[Row], tally: &mut Tally) {
    let (d, c) = (data.to_str().unwrap(), cb.to_str().unwrap());
    let mut runs: Vec<Vec<&str>> = Vec::new();
    for t in ["t_cat", "t_multi", "t_score", "t_filt"] {
        let bys: &[&str] = if t == "t_filt" {
            &["wijk"]
        } else {
            &["taal", "wijk"]
        };
        for b in bys {
            runs.push(vec!["-t", t, "--between", b]);
            runs.push(vec!["-t", t, "--between", b, "--standardize", "agegrp"]);
        }
        runs.push(vec!["-t", t, "--between", "wijk", "--against", "total"]);
        runs.push(vec!["-t", t, "--between", "wijk", "--against", "rest"]);
    }
    let mut ours: HashMap<String, Row> = HashMap::new();
    for a in runs {
        let mut args = vec!["compare", d, "-c", c];
        args.extend(a);
        for r in run_csv(wd, &args) {
            ours.insert(key(&r, &CMP_KEY), r);
        }
    }
    // Holm's families, over the comparisons enquete tests, with R's p-values (enquete's where R
    // cannot make the comparison: such a row is explained below, but stays in the family).
    let family = |e: &Row| {
        let kind = match e["group_a"].as_str() {
            "(all)" => "total",
            "(rest)" => "rest",
            _ => "pairs",
        };
        format!(
            "{}|{}|{}|{kind}",
            e["table"], e["between"], e["standardized"]
        )
    };
    let mut families: BTreeMap<String, Vec<(usize, f64)>> = BTreeMap::new();
    for (i, e) in expected.iter().enumerate() {
        let Some(o) = ours.get(&key(e, &CMP_KEY)) else {
            continue;
        };
        if let Some(p) = num(o, "p_value").map(|ours| num(e, "p_value").unwrap_or(ours)) {
            families.entry(family(e)).or_default().push((i, p));
        }
    }
    let mut p_holm = vec![None; expected.len()];
    for members in families.values() {
        let p: Vec<f64> = members.iter().map(|(_, p)| *p).collect();
        for ((i, _), adj) in members.iter().zip(holm(&p)) {
            p_holm[*i] = Some(adj);
        }
    }
    for (e, holm_r) in expected.iter().zip(p_holm) {
        let k = key(e, &CMP_KEY);
        let ctx = format!("compare {k}");
        let Some(o) = ours.get(&k) else {
            tally.wrong(format!("{ctx}: no row"));
            continue;
        };
        check_comparison(e, o, holm_r, &ctx, tally);
    }
}

fn check_comparison(e: &Row, o: &Row, holm_r: Option<f64>, ctx: &str, tally: &mut Tally) {
    let note = o["note"].as_str();
    let r_error = e["r_error"].as_str();
    for f in ["estimate_a", "estimate_b"] {
        match (num(e, f), num(o, f)) {
            (None, None) => tally.equal(),
            (Some(r), Some(x)) if close_abs(r, x, 1e-9) => tally.equal(),
            // A group without respondents in a standardising cell: no estimate, said why.
            (_, None) if note.contains("standardising") || note.contains("no respondents") => {
                tally.explained("empty_standard_cell")
            }
            (None, _) if r_error.contains("weights must not contain NA") => {
                tally.explained("r_standardise_fails")
            }
            (r, x) => tally.wrong(format!("{ctx}: {f} R {r:?} ours {x:?} ({note})")),
        }
    }
    let (dif_r, dif_o) = (num(e, "difference"), num(o, "difference"));
    let Some(dif_r) = dif_r else {
        // R has no difference (svystandardize fails for every pair, or an empty group): ours
        // compares what it can and says why where it cannot.
        if r_error.contains("weights must not contain NA") {
            tally.explained("r_standardise_fails");
        } else if !note.is_empty() {
            tally.explained("r_no_result");
        } else {
            tally.wrong(format!(
                "{ctx}: R has no difference ({r_error}), ours {dif_o:?}"
            ));
        }
        return;
    };
    if dif_o.is_none() && note.contains("standardising") {
        tally.explained("empty_standard_cell");
        return;
    }
    tally.check(dif_o.is_some_and(|x| close_abs(dif_r, x, 1e-9)), || {
        format!("{ctx}: difference R {dif_r} ours {dif_o:?}")
    });
    let (se_o, df_r, df_o) = (num(o, "se"), num(e, "df"), num(o, "df"));
    let Some(se_r) = num(e, "se") else {
        // R's vcov gave a negative variance for the contrast (both groups constant).
        if se_o == Some(0.0) {
            tally.explained("r_round_off");
        } else {
            tally.wrong(format!("{ctx}: R has no se, ours {se_o:?}"));
        }
        return;
    };
    // Both groups constant: R's SE is its glm's rounding noise, ours 0 and no test.
    let round_off = se_r < 1e-8 && se_o == Some(0.0);
    match se_o {
        Some(s) if (se_r - s).abs() <= 1e-7 * se_r.abs() + 1e-15 => tally.equal(),
        _ if round_off => tally.explained("r_round_off"),
        _ => tally.wrong(format!("{ctx}: se R {se_r} ours {se_o:?} ({note})")),
    }
    tally.check(df_r == df_o, || {
        format!("{ctx}: df R {df_r:?} ours {df_o:?}")
    });
    if round_off {
        tally.explained("r_round_off");
        return;
    }
    if o["p_value"].is_empty() {
        if note.starts_with("no test:") {
            tally.explained("no_test");
        } else {
            tally.wrong(format!("{ctx}: untested without a reason ({note})"));
        }
        return;
    }
    let (t_r, t_o) = (num(e, "t").unwrap(), num(o, "t"));
    tally.check(t_o.is_some_and(|x| close_rel(t_r, x, 1e-6)), || {
        format!("{ctx}: t R {t_r} ours {t_o:?}")
    });
    for (f, rv) in [("p_value", num(e, "p_value")), ("p_holm", holm_r)] {
        let ov = num(o, f);
        let ok = match (rv, ov) {
            (Some(r), Some(x)) => close_rel(r, x, 1e-3) || (r < 1e-300 && x < 1e-300),
            _ => false,
        };
        tally.check(ok, || format!("{ctx}: {f} R {rv:?} ours {ov:?}"));
    }
}

/// Rao–Scott tests: `test` per table against svychisq ("F" and "Chisq").
fn check_tests(wd: &Workdir, data: &Path, cb: &Path, expected: &[Row], tally: &mut Tally) {
    let (d, c) = (data.to_str().unwrap(), cb.to_str().unwrap());
    let mut ours: HashMap<String, Row> = HashMap::new();
    for t in ["t_cat", "t_multi", "t_filt"] {
        for r in run_csv(wd, &["test", d, "-c", c, "-t", t]) {
            ours.insert(key(&r, &["table", "category", "by"]), r);
        }
    }
    for e in expected {
        let k = key(e, &["table", "category", "by"]);
        let ctx = format!("test {k}");
        let Some(o) = ours.get(&k) else {
            tally.wrong(format!("{ctx}: no row"));
            continue;
        };
        tally.check(num(e, "n") == num(o, "n"), || format!("{ctx}: n"));
        let fields = [
            "f",
            "ndf",
            "ddf",
            "chisq_first_order",
            "df_first_order",
            "pearson_x2",
            "p_f",
            "p_chisq",
        ];
        if num(e, "f").is_none() {
            if o["note"].is_empty() {
                tally.wrong(format!("{ctx}: R has no test, ours no note"));
            } else {
                tally.explained("r_no_result");
            }
            continue;
        }
        for f in fields {
            let p = f.starts_with("p_");
            let tol = if p { 1e-3 } else { 1e-6 };
            let (rv, ov) = (num(e, f).unwrap(), num(o, f));
            tally.check(
                ov.is_some_and(|x| close_rel(rv, x, tol) || (p && rv < 1e-300 && x < 1e-300)),
                || format!("{ctx}: {f} R {rv} ours {ov:?}"),
            );
        }
    }
}

/// Final weights: `weight` against R's weights(design), row by row.
fn check_weights(wd: &Workdir, data: &Path, cb: &Path, expected: &[Row], tally: &mut Tally) {
    let r = wd.run(&["weight", data.to_str().unwrap(), "-c", cb.to_str().unwrap()]);
    r.expect_code(0);
    let ours = read_csv_str(&r.stdout());
    assert_eq!(ours.len(), expected.len(), "one weight per row");
    for (i, (e, o)) in expected.iter().zip(&ours).enumerate() {
        let (rw, ow) = (num(e, "weight").unwrap(), num(o, "gewicht").unwrap());
        tally.check(close_abs(rw, ow, 1e-9), || {
            format!("weight of row {}: R {rw} ours {ow}", i + 1)
        });
    }
}

fn check_design(id: &str) -> Tally {
    let dir = design_dir(id);
    let (data, cb) = (dir.join("data.csv"), dir.join("codebook.toml"));
    let wd = Workdir::new();
    let mut tally = Tally::default();
    check_estimates(
        &wd,
        &data,
        &cb,
        &read_csv(&dir.join("expected.csv")),
        &mut tally,
    );
    check_comparisons(
        &wd,
        &data,
        &cb,
        &read_csv(&dir.join("compare.csv")),
        &mut tally,
    );
    check_tests(
        &wd,
        &data,
        &cb,
        &read_csv(&dir.join("test.csv")),
        &mut tally,
    );
    check_weights(
        &wd,
        &data,
        &cb,
        &read_csv(&dir.join("weights.csv")),
        &mut tally,
    );
    assert!(
        tally.wrong.is_empty(),
        "design {id}: {} figures differ from R without a documented reason:\n{}",
        tally.wrong.len(),
        tally.wrong.join("\n")
    );
    tally
}

/// No weighting, 5 strata, 11 zero weights.
#[test]
fn design_006_stratified_with_zero_weights_matches_r() {
    assert!(check_design("006").count("equal") > 1000);
}

/// Post-stratified, one stratum, 21 zero weights: standardised comparisons (E4).
#[test]
fn design_012_poststratified_with_zero_weights_matches_r() {
    assert!(check_design("012").count("equal") > 1000);
}

/// Raked, clustered, p = 0 in a small district (E3), 6 districts (E1).
#[test]
fn design_013_raked_clustered_matches_r() {
    assert!(check_design("013").count("equal") > 1000);
}

/// Post-stratified, clustered, 4 districts (E1).
#[test]
fn design_017_poststratified_clustered_matches_r() {
    assert!(check_design("017").count("equal") > 1000);
}

/// Post-stratified, clustered, a constant score in a district (E3 for a mean).
#[test]
fn design_027_constant_mean_matches_r() {
    assert!(check_design("027").count("equal") > 1000);
}

#[test]
fn holm_is_r_p_adjust() {
    // p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm") = 0.03 0.06 0.06 0.02
    let got = holm(&[0.01, 0.04, 0.03, 0.005]);
    for (g, r) in got.iter().zip([0.03, 0.06, 0.06, 0.02]) {
        assert!((g - r).abs() < 1e-15, "{got:?}");
    }
}
