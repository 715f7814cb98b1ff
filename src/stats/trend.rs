//! Trend tables: every estimate of every year, with the change from the previous year that has
//! the same estimate. Years are independent samples, so the change's variance is the sum of the
//! two variances and its test is a two-sided z test.

use super::estimate::{Estimate, Reliability};
use super::keys::{Breakdown, GroupKey, Statistic};
use super::note::Note;
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal};
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
    pub change_p: f64,
    #[serde(serialize_with = "super::note::serialize")]
    pub note: Option<Note>,
}

/// Column names of [`TrendRow`] (for an empty CSV).
pub const TREND_COLUMNS: [&str; 22] = [
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
    "change_p",
    "note",
];

/// What identifies one estimate across years: table, variable, category, breakdown, group.
type Key = (String, String, String, Breakdown, GroupKey);

/// Combine years (in any order) into one table: estimates grouped by (table, variable,
/// category, by, group) in order of first appearance, years ascending within each.
pub fn trends(years: &[(u32, Vec<Estimate>)]) -> Vec<TrendRow> {
    let mut sorted: Vec<&(u32, Vec<Estimate>)> = years.iter().collect();
    sorted.sort_by_key(|(y, _)| *y);
    let mut order: Vec<Key> = Vec::new();
    let mut by_key: HashMap<Key, Vec<(u32, &Estimate)>> = HashMap::new();
    for (year, estimates) in sorted {
        for e in estimates {
            let k = (
                e.table.clone(),
                e.variable.clone(),
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
    let normal = Normal::standard();
    let mut out = Vec::new();
    for k in order {
        let mut previous: Option<(u32, f64, f64)> = None;
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
                change_p: f64::NAN,
                note: e.note.clone(),
            };
            if e.estimate.is_finite() {
                if let Some((py, pe, pse)) = previous {
                    row.change_from = Some(py);
                    row.change = e.estimate - pe;
                    row.change_se = (e.se * e.se + pse * pse).sqrt();
                    if row.change_se > 0.0 {
                        row.change_p = 2.0 * normal.sf((row.change / row.change_se).abs());
                    }
                }
                previous = Some((*year, e.estimate, e.se));
            }
            out.push(row);
        }
    }
    out
}
