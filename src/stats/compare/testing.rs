//! When and how a difference is tested: a t test on the comparison's degrees of freedom, Holm's
//! adjustment over a table or a row, and no test where the base cannot carry one.
//!
//! No test is made (the row keeps its estimates, difference and standard error, with an empty
//! `significant` and a note) when
//! - either side has fewer than `min_base_test` respondents (default 30): Dutch practice calls
//!   such bases unreliable, and their linearised variances are themselves too unstable to test
//!   with;
//! - either side's answer is suppressed (1 to 4 respondents gave it): what is not published is
//!   not tested either;
//! - either side's own standard error is zero (everyone or no one in it gave the answer, or all
//!   its values are equal). A proportion of 0 or 1 has linearised variance 0, which understates
//!   its uncertainty; the difference's standard error would then come from the other side
//!   alone and call almost any such group "significant" (13 respondents with 0 answers against
//!   a city of 4,000 gave p < 0.02). R makes the test anyway; enquete reports the numbers and
//!   says why it does not test.

use super::{Comparison, HolmScope, Side};
use crate::stats::note::Note;
use crate::stats::quantiles::qt;
use crate::stats::{Statistic, Sums};
use statrs::distribution::{ContinuousCDF, StudentsT};

/// An answer given by fewer respondents than this (but some) is suppressed.
const MIN_ANSWERS: f64 = crate::stats::estimate::MIN_ANSWERS as f64;

/// Two-sided p-value of t on `df` degrees of freedom.
pub fn t_p_value(t: f64, df: f64) -> f64 {
    match StudentsT::new(0.0, 1.0, df) {
        Ok(dist) => (2.0 * dist.sf(t.abs())).min(1.0),
        Err(_) => f64::NAN,
    }
}

/// Why a comparison of sides `a` and `b` is not tested, if it is not.
fn no_test(sums: &Sums, row: &Comparison, a: &Side, b: &Side, min_base: u64) -> Option<Note> {
    if !(row.df >= 1.0) {
        return Some(Note::NoTestDf { df: row.df });
    }
    let n = a.n.min(b.n) as u64;
    if n < min_base {
        return Some(Note::BelowMinBase { min: min_base, n });
    }
    if row.statistic == Statistic::Proportion
        && [a, b]
            .iter()
            .any(|s| s.count > 0.0 && s.count < MIN_ANSWERS)
    {
        return Some(Note::SuppressedSide);
    }
    if row.se == 0.0 {
        return Some(Note::ZeroSe);
    }
    for (side, label) in [(a, &row.group_a_label), (b, &row.group_b_label)] {
        if side.se(sums) == 0.0 {
            return Some(Note::ZeroSideSe {
                group: label.clone(),
            });
        }
    }
    None
}

/// Fill in a row from its two sides and the linearised variance of the difference b − a; the
/// row's df is already set.
pub(crate) fn fill(
    sums: &Sums,
    row: &mut Comparison,
    a: &Side,
    b: &Side,
    var_diff: impl FnOnce() -> f64,
    min_base: u64,
) {
    row.n_a = a.n as u64;
    row.n_b = b.n as u64;
    if let Some(p) = a.problem.as_ref().or(b.problem.as_ref()) {
        row.note = Some(p.clone());
        return;
    }
    row.estimate_a = a.estimate;
    row.estimate_b = b.estimate;
    row.difference = b.estimate - a.estimate;
    row.se = var_diff().max(0.0).sqrt();
    if let Some(why) = no_test(sums, row, a, b, min_base) {
        row.note = Some(why);
        return;
    }
    let alpha = 1.0 - row.level;
    let tq = qt(1.0 - alpha / 2.0, row.df);
    row.ci_lower = row.difference - tq * row.se;
    row.ci_upper = row.difference + tq * row.se;
    row.t = row.difference / row.se;
    row.p_value = t_p_value(row.t, row.df);
}

/// Holm's step-down adjustment over the rows that have a p-value: all of them (`Table`), or
/// each category of each breakdown on its own (`Row`).
pub fn holm(rows: &mut [Comparison], alpha: f64, scope: HolmScope) {
    match scope {
        HolmScope::Table => {
            let idx: Vec<usize> = (0..rows.len()).collect();
            holm_over(rows, &idx, alpha);
        }
        HolmScope::Row => {
            let mut done = vec![false; rows.len()];
            for i in 0..rows.len() {
                if done[i] {
                    continue;
                }
                let idx: Vec<usize> = (i..rows.len())
                    .filter(|&j| {
                        rows[j].category == rows[i].category
                            && rows[j].between == rows[i].between
                            && rows[j].standardized == rows[i].standardized
                    })
                    .collect();
                for &j in &idx {
                    done[j] = true;
                }
                holm_over(rows, &idx, alpha);
            }
        }
    }
}

fn holm_over(rows: &mut [Comparison], idx: &[usize], alpha: f64) {
    let mut tested: Vec<usize> = idx
        .iter()
        .copied()
        .filter(|&i| rows[i].p_value.is_finite())
        .collect();
    tested.sort_by(|&a, &b| rows[a].p_value.total_cmp(&rows[b].p_value).then(a.cmp(&b)));
    let m = tested.len();
    let mut running = 0.0f64;
    for (rank, &i) in tested.iter().enumerate() {
        let adj = ((m - rank) as f64 * rows[i].p_value).min(1.0);
        running = running.max(adj);
        rows[i].p_holm = running;
        rows[i].significant = Some(running < alpha);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::{Breakdown, GroupKey};

    fn row(category: &str, p: f64) -> Comparison {
        Comparison {
            table: String::new(),
            variable: String::new(),
            category: category.into(),
            category_label: String::new(),
            between: Breakdown::Total,
            standardized: None,
            group_a: GroupKey::Total,
            group_a_label: String::new(),
            group_b: GroupKey::Total,
            group_b_label: String::new(),
            n_a: 0,
            n_b: 0,
            estimate_a: 0.0,
            estimate_b: 0.0,
            difference: 0.0,
            se: 0.0,
            df: 0.0,
            ci_lower: 0.0,
            ci_upper: 0.0,
            t: 0.0,
            p_value: p,
            p_holm: f64::NAN,
            holm_scope: HolmScope::Table,
            significant: None,
            level: 0.95,
            note: None,
            statistic: Statistic::Proportion,
        }
    }

    #[test]
    fn holm_matches_r_p_adjust() {
        // p.adjust(c(0.01, 0.04, 0.03, 0.005, NA), "holm") = 0.03 0.06 0.06 0.02 NA
        let mut rows: Vec<Comparison> = [0.01, 0.04, 0.03, 0.005, f64::NAN]
            .into_iter()
            .map(|p| row("a", p))
            .collect();
        holm(&mut rows, 0.05, HolmScope::Table);
        let got: Vec<f64> = rows.iter().map(|r| r.p_holm).collect();
        for (g, e) in got.iter().zip([0.03, 0.06, 0.06, 0.02]) {
            assert!((g - e).abs() < 1e-15, "{got:?}");
        }
        assert!(got[4].is_nan());
        assert_eq!(rows[4].significant, None, "no test, no verdict");
        assert_eq!(rows[0].significant, Some(true));
        assert_eq!(rows[1].significant, Some(false));
    }

    #[test]
    fn holm_per_row_adjusts_each_category_on_its_own() {
        let mut rows = vec![
            row("a", 0.01),
            row("b", 0.04),
            row("a", 0.03),
            row("b", 0.001),
        ];
        holm(&mut rows, 0.05, HolmScope::Row);
        // p.adjust(c(0.01, 0.03)) = 0.02 0.03; p.adjust(c(0.04, 0.001)) = 0.04 0.002
        let got: Vec<f64> = rows.iter().map(|r| r.p_holm).collect();
        for (g, e) in got.iter().zip([0.02, 0.04, 0.03, 0.002]) {
            assert!((g - e).abs() < 1e-15, "{got:?}");
        }
    }
}
