//! Quantile functions against R (`qt`, `qbeta`) and interval formulas against statsmodels'
//! `proportion_confint`, over grids that include very large degrees of freedom and the edges.

mod common;

use common::{num, read_csv, repo};
use enquete::stats::intervals::{srs_proportion, CiMethod};
use enquete::stats::quantiles::{qbeta, qt};

#[test]
fn qt_matches_r_at_every_df() {
    let rows = read_csv(&repo().join("tests/reference/r/quantiles.csv"));
    assert!(rows.len() > 200);
    for r in &rows {
        let p = num(r, "p").unwrap();
        let df: f64 = match r["df"].as_str() {
            "Inf" => f64::INFINITY,
            s => s.parse().unwrap(),
        };
        let expected = num(r, "qt").unwrap();
        let got = qt(p, df);
        let tol = 1e-11 * expected.abs().max(1e-3);
        assert!(
            (got - expected).abs() <= tol,
            "qt({p}, {df}): R {expected}, ours {got}"
        );
    }
}

#[test]
fn qbeta_matches_r() {
    for r in &read_csv(&repo().join("tests/reference/r/qbeta.csv")) {
        let (p, a, b) = (
            num(r, "p").unwrap(),
            num(r, "a").unwrap(),
            num(r, "b").unwrap(),
        );
        let expected = num(r, "qbeta").unwrap();
        let got = qbeta(p, a, b);
        assert!(
            (got - expected).abs() <= 1e-9 * expected.abs().max(1e-12),
            "qbeta({p}, {a}, {b}): R {expected}, ours {got}"
        );
    }
}

#[test]
fn proportion_intervals_match_statsmodels() {
    let rows = read_csv(&repo().join("tests/reference/python/proportion_confint.csv"));
    assert!(rows.len() > 500);
    for r in &rows {
        let (x, n, alpha) = (
            num(r, "x").unwrap(),
            num(r, "n").unwrap(),
            num(r, "alpha").unwrap(),
        );
        let method = match r["method"].as_str() {
            "beta" => CiMethod::ClopperPearson,
            "normal" => CiMethod::Wald,
            "agresti_coull" => CiMethod::AgrestiCoull,
            other => other.parse().unwrap(),
        };
        let (lo, hi) = (num(r, "lower").unwrap(), num(r, "upper").unwrap());
        let iv = srs_proportion(method, x, n, 1.0 - alpha);
        let tol = 1e-6 * (hi - lo) / 2.0 + 1e-12;
        assert!(
            (iv.lower - lo).abs() <= tol && (iv.upper - hi).abs() <= tol,
            "{method} x={x} n={n} alpha={alpha}: statsmodels [{lo}, {hi}], ours [{}, {}]",
            iv.lower,
            iv.upper
        );
    }
}
