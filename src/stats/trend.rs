//! Trend tables: every estimate of every year, with the change from the previous year that has
//! the same estimate. Years are independent samples, so the change's variance is the sum of the
//! two variances; its test is a two-sided t test on the smaller of the two years' design df
//! (Welch's conservative choice; a normal quantile would overstate significance for small
//! domains). As for group comparisons, no test is made when either year's base is below the
//! minimum base for testing or its standard error is 0; each change's p-value is its own
//! (no adjustment over the many rows of a trend table).

use super::estimate::{Estimate, Reliability};
use super::note::Note;
use crate::keys::{Breakdown, GroupKey, Statistic};
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, Serialize)]
pub struct TrendRow {
    pub year: u32,
    pub table: String,
    pub variable: String,
    pub category: String,
    pub category_label: String,
    pub by: Breakdown,
    pub group: GroupKey,
    pub group_label: String,
    pub statistic: Statistic,
    pub n: u64,
    pub estimate: f64,
    pub se: f64,
    pub ci_lower: Option<f64>,
    pub ci_upper: Option<f64>,
    pub ci_method: String,
    pub level: f64,
    pub reliability: Reliability,
    /// The year the change is measured from (the previous year with this estimate).
    pub change_from: Option<u32>,
    pub change: f64,
    pub change_se: f64,
    /// Degrees of freedom of the change's t test: the smaller of the two years' df.
    pub change_df: f64,
    pub change_p: f64,
    /// Whether the change is significant at 1 − level; none when not tested.
    pub change_significant: Option<bool>,
    /// Why the change is not tested (or not computed).
    #[serde(serialize_with = "super::note::serialize")]
    pub change_note: Option<Note>,
    #[serde(serialize_with = "super::note::serialize")]
    pub note: Option<Note>,
}

/// Column names of [`TrendRow`] (for an empty CSV).
pub const TREND_COLUMNS: [&str; 25] = [
    "year",
    "table",
    "variable",
    "category",
    "category_label",
    "by",
    "group",
    "group_label",
    "statistic",
    "n",
    "estimate",
    "se",
    "ci_lower",
    "ci_upper",
    "ci_method",
    "level",
    "reliability",
    "change_from",
    "change",
    "change_se",
    "change_df",
    "change_p",
    "change_significant",
    "change_note",
    "note",
];

/// What identifies one estimate across years: table, variable, statistic, category, breakdown,
/// group.
type Key = (String, String, Statistic, String, Breakdown, GroupKey);

/// Combine years (in any order) into one table: estimates grouped by (table, variable,
/// category, by, group) in order of first appearance, years ascending within each.
pub fn trends(years: &[(u32, Vec<Estimate>)], min_base: u64) -> Vec<TrendRow> {
    let mut sorted: Vec<&(u32, Vec<Estimate>)> = years.iter().collect();
    sorted.sort_by_key(|(y, _)| *y);
    let mut order: Vec<Key> = Vec::new();
    let mut by_key: HashMap<Key, Vec<(u32, &Estimate)>> = HashMap::new();
    for (year, estimates) in sorted {
        for e in estimates {
            let k = (
                e.table.clone(),
                e.variable.clone(),
                e.statistic,
                e.category.clone(),
                e.by.clone(),
                e.group.clone(),
            );
            let entry = by_key.entry(k.clone()).or_default();
            if entry.is_empty() {
                order.push(k);
            }
            entry.push((*year, e));
        }
    }
    let mut out = Vec::new();
    for k in order {
        let mut previous: Option<(u32, &Estimate)> = None;
        for (year, e) in &by_key[&k] {
            let mut row = TrendRow {
                year: *year,
                table: e.table.clone(),
                variable: e.variable.clone(),
                category: e.category.clone(),
                category_label: e.category_label.clone(),
                by: e.by.clone(),
                group: e.group.clone(),
                group_label: e.group_label.clone(),
                statistic: e.statistic,
                n: e.n,
                estimate: e.estimate,
                se: e.se,
                ci_lower: e.ci_lower,
                ci_upper: e.ci_upper,
                ci_method: e.ci_method.clone(),
                level: e.level,
                reliability: e.reliability,
                change_from: None,
                change: f64::NAN,
                change_se: f64::NAN,
                change_df: f64::NAN,
                change_p: f64::NAN,
                change_significant: None,
                change_note: None,
                note: e.note.clone(),
            };
            if e.estimate.is_finite() {
                if let Some((py, prev)) = previous {
                    row.change_from = Some(py);
                    change(&mut row, e, prev, min_base);
                }
                previous = Some((*year, e));
            }
            out.push(row);
        }
    }
    out
}

/// The change from `prev` to `e` and, where the bases carry one, its t test.
fn change(row: &mut TrendRow, e: &Estimate, prev: &Estimate, min_base: u64) {
    row.change = e.estimate - prev.estimate;
    row.change_se = (e.se * e.se + prev.se * prev.se).sqrt();
    row.change_df = e.df.min(prev.df);
    let n = e.n.min(prev.n);
    row.change_note = if n < min_base {
        Some(Note::BelowMinBase { min: min_base, n })
    } else if e.se == 0.0 || prev.se == 0.0 {
        let year = if e.se == 0.0 {
            row.year
        } else {
            prev_year(row)
        };
        Some(Note::ZeroSideSe {
            group: year.to_string(),
        })
    } else if !(row.change_df >= 1.0) {
        Some(Note::NoTestDf { df: row.change_df })
    } else {
        None
    };
    if row.change_note.is_none() {
        row.change_p =
            super::compare::testing::t_p_value(row.change / row.change_se, row.change_df);
        row.change_significant = Some(row.change_p < 1.0 - e.level);
    }
}

fn prev_year(row: &TrendRow) -> u32 {
    row.change_from.unwrap_or(row.year)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::{Breakdown, GroupKey, Statistic};

    fn estimate(n: u64, p: f64, se: f64, df: f64) -> Estimate {
        Estimate {
            table: "t".into(),
            variable: "v".into(),
            category: "c".into(),
            category_label: "C".into(),
            by: Breakdown::Total,
            group: GroupKey::Total,
            group_label: "Totaal".into(),
            statistic: Statistic::Proportion,
            n,
            count: n / 2,
            weighted_base: n as f64,
            estimate: p,
            se,
            ci_lower: None,
            ci_upper: None,
            ci_method: "logit".into(),
            level: 0.95,
            df,
            deff: None,
            n_eff: n as f64,
            reliability: Reliability::Ok,
            note: None,
        }
    }

    #[test]
    fn changes_are_t_tests_on_the_smaller_df_and_untested_on_small_or_degenerate_bases() {
        let years = vec![
            (2019, vec![estimate(400, 0.30, 0.02, 390.0)]),
            (2021, vec![estimate(50, 0.40, 0.03, 12.0)]),
            (2023, vec![estimate(20, 0.50, 0.05, 15.0)]),
        ];
        let rows = trends(&years, 30);
        let r = &rows[1];
        let se = (0.02f64.powi(2) + 0.03f64.powi(2)).sqrt();
        assert!((r.change_se - se).abs() < 1e-15);
        assert_eq!(r.change_df, 12.0);
        // R: 2 * pt(-0.1 / sqrt(0.02^2 + 0.03^2), 12)
        let r_value = 0.016_852_194_342_845_9;
        assert!(
            (r.change_p - r_value).abs() < 1e-12 * r_value,
            "{}",
            r.change_p
        );
        assert_eq!(r.change_significant, Some(true));
        let small = &rows[2];
        assert!(small.change.is_finite() && small.change_p.is_nan());
        assert_eq!(small.change_significant, None);
        assert_eq!(
            small.change_note,
            Some(Note::BelowMinBase { min: 30, n: 20 })
        );
    }
}
