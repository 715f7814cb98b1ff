//! Differences between groups, crude and directly standardised, with linearised standard errors
//! and t tests on svyglm's residual degrees of freedom (R: `svyglm(y ~ group, design)`, and
//! `svystandardize` before it for the standardised comparison).

use super::accumulate::{Sums, M, N, N_NZ, W, W2, W2Y, W2Y2, WY};
use super::estimate::{domain, Domain};
use super::quantiles::qt;
use crate::codebook::Codebook;
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

/// What to compare: the groups of `between`, optionally standardised over `standardize`.
#[derive(Debug, Clone, Copy)]
pub struct CompareSpec {
    pub between: usize,
    pub standardize: Option<usize>,
    pub level: f64,
}

/// One difference between two groups for one category.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub table: String,
    pub variable: String,
    pub category: String,
    pub category_label: String,
    pub between: String,
    /// Empty for the crude comparison, else the standardising variable's name.
    pub standardized: String,
    pub group_a: String,
    pub group_a_label: String,
    pub group_b: String,
    pub group_b_label: String,
    pub n_a: u64,
    pub n_b: u64,
    pub estimate_a: f64,
    pub estimate_b: f64,
    /// estimate_b − estimate_a (groups in codebook order).
    pub difference: f64,
    pub se: f64,
    pub df: f64,
    pub ci_lower: f64,
    pub ci_upper: f64,
    pub t: f64,
    pub p_value: f64,
    /// Holm-adjusted over all comparisons of the table (one standardisation setting).
    pub p_holm: f64,
    /// Whether `p_holm` is below 1 − level.
    pub significant: bool,
    pub level: f64,
    /// Why numbers are missing (an empty group or standardising cell), else empty.
    pub note: String,
}

/// Σz and Σz² of one unit for the ratio estimator `est` of total `total` (z = w(y − est)/total),
/// scaled by `factor` (a standardising weight).
#[inline]
fn lin(m: &[f64; M], est: f64, total: f64, factor: f64) -> (f64, f64) {
    let s1 = factor * (m[WY] - est * m[W]) / total;
    let s2 = factor * factor * (m[W2Y2] - 2.0 * est * m[W2Y] + est * est * m[W2]) / (total * total);
    (s1, s2)
}

fn total(d: &Domain, k: usize) -> f64 {
    d.units.iter().map(|u| u[k]).sum()
}

/// One group's estimator: its cells (one for a crude comparison, one per standardising level)
/// with their weights and estimates.
struct GroupEstimator {
    cells: Vec<(
        Domain,
        f64, /* share */
        f64, /* estimate */
        f64, /* total weight */
    )>,
    estimate: f64,
    n: f64,
    problem: Option<String>,
}

impl GroupEstimator {
    fn per_unit(&self, u: usize) -> (f64, f64) {
        let (mut s1, mut s2) = (0.0, 0.0);
        for (d, share, est, w) in &self.cells {
            let (a, b) = lin(&d.units[u], *est, *w, *share);
            s1 += a;
            s2 += b;
        }
        (s1, s2)
    }
}

/// All pairwise comparisons of `spec.between`'s groups for every category of table `t`
/// (position in the layout), Holm-adjusted together.
/// Column names of [`Comparison`] (for an empty CSV).
pub const COMPARISON_COLUMNS: [&str; 25] = [
    "table",
    "variable",
    "category",
    "category_label",
    "between",
    "standardized",
    "group_a",
    "group_a_label",
    "group_b",
    "group_b_label",
    "n_a",
    "n_b",
    "estimate_a",
    "estimate_b",
    "difference",
    "se",
    "df",
    "ci_lower",
    "ci_upper",
    "t",
    "p_value",
    "p_holm",
    "significant",
    "level",
    "note",
];

pub fn compare_table(
    codebook: &Codebook,
    sums: &Sums,
    t: usize,
    spec: CompareSpec,
) -> Result<Vec<Comparison>, String> {
    let tl = &sums.layout.tables[t];
    let table = &codebook.tables[tl.table];
    let var = &codebook.variables[tl.rows_var];
    let between = &codebook.variables[spec.between];
    let groups = between.groups().ok_or_else(|| {
        format!(
            "--between {}: a {} variable has no groups",
            between.name,
            between.type_name()
        )
    })?;
    let n_b = groups.len();
    let std_var = spec.standardize.map(|s| &codebook.variables[s]);
    let (grouping, shares): (_, Vec<f64>) = match spec.standardize {
        None => (
            sums.layout
                .grouping(t, &[spec.between])
                .ok_or("internal: the between grouping was not accumulated")?,
            vec![1.0],
        ),
        Some(s) => {
            let g = sums
                .layout
                .grouping(t, &[spec.between, s])
                .ok_or("internal: the standardising crossing was not accumulated")?;
            let c = sums
                .layout
                .crossings
                .iter()
                .position(|c| c.vars == [spec.between, s])
                .ok_or("internal: no population for the standardising crossing")?;
            let n_s = g.levels[1];
            let pop = &sums.population[c];
            // The standard: weighted distribution of the standardising variable among all
            // respondents with a known group and a known level.
            let mut w: Vec<f64> = (0..n_s)
                .map(|a| (0..n_b).map(|b| pop[g.index(&[b, a])]).sum())
                .collect();
            let sum: f64 = w.iter().sum();
            if !(sum > 0.0) {
                return Err(format!(
                    "--standardize {}: no respondents with a known {} and {}",
                    std_var.map_or("", |v| v.name.as_str()),
                    between.name,
                    std_var.map_or("", |v| v.name.as_str())
                ));
            }
            w.iter_mut().for_each(|x| *x /= sum);
            (g, w)
        }
    };
    let std_levels = std_var.and_then(|v| v.groups()).unwrap_or_default();
    let alpha = 1.0 - spec.level;
    let mut out = Vec::new();
    for (slot, cat) in var.categories().iter().enumerate() {
        // Each group's estimator.
        let mut est: Vec<GroupEstimator> = Vec::with_capacity(n_b);
        for (b, group) in groups.iter().enumerate() {
            let mut cells = Vec::new();
            let mut problem = None;
            let (mut value, mut n) = (0.0, 0.0);
            for (a, &share) in shares.iter().enumerate() {
                let axis = grouping.offset
                    + if spec.standardize.is_some() {
                        grouping.index(&[b, a])
                    } else {
                        grouping.index(&[b])
                    };
                let d = domain(sums, t, axis, slot);
                let w = total(&d, W);
                n += total(&d, N);
                if w > 0.0 {
                    let e = total(&d, WY) / w;
                    value += share * e;
                    cells.push((d, share, e, w));
                } else if share > 0.0 && problem.is_none() {
                    problem = Some(match std_var {
                        Some(v) => format!(
                            "no respondents in standardising cell {} = {} for {} = {}",
                            v.name, std_levels[a].label, between.name, group.label
                        ),
                        None => {
                            format!("no respondents in group {} = {}", between.name, group.label)
                        }
                    });
                }
            }
            est.push(GroupEstimator {
                cells,
                estimate: value,
                n,
                problem,
            });
        }
        // svyglm's residual df: degf of the comparison's design + 1 − groups present.
        let present = est.iter().filter(|g| g.n > 0.0).count() as f64;
        let rows_nz = |u: usize| -> f64 {
            est.iter()
                .flat_map(|g| g.cells.iter())
                .map(|(d, ..)| d.units[u][N_NZ])
                .sum()
        };
        let df = sums.design.domain_df(rows_nz) + 1.0 - present;
        for a in 0..n_b {
            for b in a + 1..n_b {
                let (ga, gb) = (&est[a], &est[b]);
                let mut row = Comparison {
                    table: table.name.clone(),
                    variable: var.name.clone(),
                    category: cat.key.clone(),
                    category_label: cat.label.clone(),
                    between: between.name.clone(),
                    standardized: std_var.map(|v| v.name.clone()).unwrap_or_default(),
                    group_a: groups[a].key.clone(),
                    group_a_label: groups[a].label.clone(),
                    group_b: groups[b].key.clone(),
                    group_b_label: groups[b].label.clone(),
                    n_a: ga.n as u64,
                    n_b: gb.n as u64,
                    estimate_a: f64::NAN,
                    estimate_b: f64::NAN,
                    difference: f64::NAN,
                    se: f64::NAN,
                    df,
                    ci_lower: f64::NAN,
                    ci_upper: f64::NAN,
                    t: f64::NAN,
                    p_value: f64::NAN,
                    p_holm: f64::NAN,
                    significant: false,
                    level: spec.level,
                    note: String::new(),
                };
                if let Some(p) = ga.problem.as_ref().or(gb.problem.as_ref()) {
                    row.note = p.clone();
                    out.push(row);
                    continue;
                }
                row.estimate_a = ga.estimate;
                row.estimate_b = gb.estimate;
                row.difference = gb.estimate - ga.estimate;
                let var_d = sums.design.variance(|u| {
                    let (a1, a2) = ga.per_unit(u);
                    let (b1, b2) = gb.per_unit(u);
                    // Groups are disjoint, so no row has both: the cross-products vanish.
                    (b1 - a1, a2 + b2)
                });
                row.se = var_d.max(0.0).sqrt();
                if !(df >= 1.0) {
                    row.note = format!("no test: {df} residual degrees of freedom");
                } else if row.se > 0.0 {
                    let tq = qt(1.0 - alpha / 2.0, df);
                    row.ci_lower = row.difference - tq * row.se;
                    row.ci_upper = row.difference + tq * row.se;
                    row.t = row.difference / row.se;
                    let dist = StudentsT::new(0.0, 1.0, df).map_err(|e| e.to_string())?;
                    row.p_value = (2.0 * dist.sf(row.t.abs())).min(1.0);
                } else {
                    row.ci_lower = row.difference;
                    row.ci_upper = row.difference;
                    row.note = "standard error 0 (both groups constant): no test".into();
                }
                out.push(row);
            }
        }
    }
    holm(&mut out, alpha);
    Ok(out)
}

/// Holm's step-down adjustment over the rows that have a p-value.
fn holm(rows: &mut [Comparison], alpha: f64) {
    let mut idx: Vec<usize> = (0..rows.len())
        .filter(|&i| rows[i].p_value.is_finite())
        .collect();
    idx.sort_by(|&a, &b| rows[a].p_value.total_cmp(&rows[b].p_value).then(a.cmp(&b)));
    let m = idx.len();
    let mut running = 0.0f64;
    for (rank, &i) in idx.iter().enumerate() {
        let adj = ((m - rank) as f64 * rows[i].p_value).min(1.0);
        running = running.max(adj);
        rows[i].p_holm = running;
        rows[i].significant = running < alpha;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(p: f64) -> Comparison {
        Comparison {
            table: String::new(),
            variable: String::new(),
            category: String::new(),
            category_label: String::new(),
            between: String::new(),
            standardized: String::new(),
            group_a: String::new(),
            group_a_label: String::new(),
            group_b: String::new(),
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
            significant: false,
            level: 0.95,
            note: String::new(),
        }
    }

    #[test]
    fn holm_matches_r_p_adjust() {
        // p.adjust(c(0.01, 0.04, 0.03, 0.005, NA), "holm") = 0.03 0.06 0.06 0.02 NA
        let mut rows: Vec<Comparison> = [0.01, 0.04, 0.03, 0.005, f64::NAN]
            .into_iter()
            .map(row)
            .collect();
        holm(&mut rows, 0.05);
        let got: Vec<f64> = rows.iter().map(|r| r.p_holm).collect();
        for (g, e) in got.iter().zip([0.03, 0.06, 0.06, 0.02]) {
            assert!((g - e).abs() < 1e-15, "{got:?}");
        }
        assert!(got[4].is_nan());
        assert!(rows[0].significant && !rows[1].significant && rows[3].significant);
    }
}
