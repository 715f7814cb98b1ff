//! Differences between groups, crude and directly standardised, with linearised standard errors
//! and t tests on svyglm's residual degrees of freedom (R: `svyglm(y ~ group, design)`, and
//! `svystandardize` before it for the standardised comparison).

use super::accumulate::{Grouping, Sums, M, N, N_NZ, W, W2, W2Y, W2Y2, WY};
use super::estimate::{domain, Domain};
use super::keys::{Breakdown, GroupKey, Statistic};
use super::note::Note;
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

/// A comparison that cannot be made as asked.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CompareError {
    #[error("--between {name}: a {kind} variable has no groups")]
    NoGroups { name: String, kind: &'static str },
    #[error(
        "--standardize {standardize}: no respondents with a known {between} and {standardize}"
    )]
    EmptyStandard {
        between: String,
        standardize: String,
    },
    /// The pass did not keep the sums this comparison needs (a bug in the caller).
    #[error("internal: the {0} was not accumulated")]
    NotAccumulated(&'static str),
}

/// One difference between two groups for one category.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub table: String,
    pub variable: String,
    pub category: String,
    pub category_label: String,
    pub between: Breakdown,
    /// The standardising variable's name; none for the crude comparison (written empty).
    #[serde(serialize_with = "empty_when_none")]
    pub standardized: Option<String>,
    pub group_a: GroupKey,
    pub group_a_label: String,
    pub group_b: GroupKey,
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
    /// Why numbers are missing (an empty group or standardising cell).
    #[serde(serialize_with = "super::note::serialize")]
    pub note: Option<Note>,
    /// Proportions or means (not a column: the category says it).
    #[serde(skip)]
    pub statistic: Statistic,
}

fn empty_when_none<S: serde::Serializer>(v: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(v.as_deref().unwrap_or(""))
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

/// One cell of a group's estimator: the domain, its standardising share, its estimate and its
/// total weight.
struct Cell {
    domain: Domain,
    share: f64,
    estimate: f64,
    weight: f64,
}

/// One group's estimator: its cells (one for a crude comparison, one per standardising level).
struct GroupEstimator {
    cells: Vec<Cell>,
    estimate: f64,
    n: f64,
    problem: Option<Note>,
}

impl GroupEstimator {
    fn per_unit(&self, u: usize) -> (f64, f64) {
        let (mut s1, mut s2) = (0.0, 0.0);
        for c in &self.cells {
            let (a, b) = lin(&c.domain.units[u], c.estimate, c.weight, c.share);
            s1 += a;
            s2 += b;
        }
        (s1, s2)
    }
}

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

/// The grouping to read and each standardising level's share of the standard population (one
/// share of 1 for a crude comparison).
fn standard<'a>(
    codebook: &Codebook,
    sums: &'a Sums,
    pos: usize,
    spec: &CompareSpec,
    n_groups: usize,
) -> Result<(&'a Grouping, Vec<f64>), CompareError> {
    let Some(s) = spec.standardize else {
        let g = sums
            .layout
            .grouping(pos, &[spec.between])
            .ok_or(CompareError::NotAccumulated("between grouping"))?;
        return Ok((g, vec![1.0]));
    };
    let g = sums
        .layout
        .grouping(pos, &[spec.between, s])
        .ok_or(CompareError::NotAccumulated("standardising crossing"))?;
    let c = sums
        .layout
        .crossings
        .iter()
        .position(|c| c.vars == [spec.between, s])
        .ok_or(CompareError::NotAccumulated("standard population"))?;
    let pop = &sums.population[c];
    // The standard: weighted distribution of the standardising variable among all respondents
    // with a known group and a known level.
    let mut w: Vec<f64> = (0..g.levels[1])
        .map(|a| (0..n_groups).map(|b| pop[g.index(&[b, a])]).sum())
        .collect();
    let sum: f64 = w.iter().sum();
    if !(sum > 0.0) {
        return Err(CompareError::EmptyStandard {
            between: codebook.variables[spec.between].name.clone(),
            standardize: codebook.variables[s].name.clone(),
        });
    }
    w.iter_mut().for_each(|x| *x /= sum);
    Ok((g, w))
}

/// The estimator of group `b` for category `slot`.
#[allow(clippy::too_many_arguments)]
fn group_estimator(
    codebook: &Codebook,
    sums: &Sums,
    pos: usize,
    spec: &CompareSpec,
    grouping: &Grouping,
    shares: &[f64],
    b: usize,
    slot: usize,
) -> GroupEstimator {
    let between = &codebook.variables[spec.between];
    let group_label = || between.groups().unwrap_or_default()[b].label.clone();
    let mut cells = Vec::new();
    let mut problem = None;
    let (mut value, mut n) = (0.0, 0.0);
    for (a, &share) in shares.iter().enumerate() {
        let axis = grouping.offset
            + match spec.standardize {
                Some(_) => grouping.index(&[b, a]),
                None => grouping.index(&[b]),
            };
        let domain = domain(sums, pos, axis, slot);
        let weight = total(&domain, W);
        n += total(&domain, N);
        if weight > 0.0 {
            let estimate = total(&domain, WY) / weight;
            value += share * estimate;
            cells.push(Cell {
                domain,
                share,
                estimate,
                weight,
            });
        } else if share > 0.0 && problem.is_none() {
            problem = Some(match spec.standardize {
                Some(s) => Note::EmptyStandardCell {
                    standardize: codebook.variables[s].name.clone(),
                    level: codebook.variables[s].groups().unwrap_or_default()[a]
                        .label
                        .clone(),
                    between: between.name.clone(),
                    group: group_label(),
                },
                None => Note::EmptyGroup {
                    between: between.name.clone(),
                    group: group_label(),
                },
            });
        }
    }
    GroupEstimator {
        cells,
        estimate: value,
        n,
        problem,
    }
}

/// All pairwise comparisons of `spec.between`'s groups for every category of table `pos` (position
/// in the layout), Holm-adjusted together.
pub fn compare_table(
    codebook: &Codebook,
    sums: &Sums,
    pos: usize,
    spec: CompareSpec,
) -> Result<Vec<Comparison>, CompareError> {
    let tl = &sums.layout.tables[pos];
    let table = &codebook.tables[tl.table];
    let var = &codebook.variables[tl.rows_var];
    let between = &codebook.variables[spec.between];
    let groups = between.groups().ok_or_else(|| CompareError::NoGroups {
        name: between.name.clone(),
        kind: between.type_name(),
    })?;
    let (grouping, shares) = standard(codebook, sums, pos, &spec, groups.len())?;
    let mut out = Vec::new();
    for (slot, cat) in var.categories().iter().enumerate() {
        let est: Vec<GroupEstimator> = (0..groups.len())
            .map(|b| group_estimator(codebook, sums, pos, &spec, grouping, &shares, b, slot))
            .collect();
        let df = residual_df(sums, &est);
        for a in 0..groups.len() {
            for b in a + 1..groups.len() {
                let mut row = Comparison {
                    table: table.name.clone(),
                    variable: var.name.clone(),
                    category: cat.key.clone(),
                    category_label: cat.label.clone(),
                    between: Breakdown::by(&between.name),
                    standardized: spec.standardize.map(|s| codebook.variables[s].name.clone()),
                    group_a: GroupKey::code(&groups[a].key),
                    group_a_label: groups[a].label.clone(),
                    group_b: GroupKey::code(&groups[b].key),
                    group_b_label: groups[b].label.clone(),
                    n_a: est[a].n as u64,
                    n_b: est[b].n as u64,
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
                    note: None,
                    statistic: tl.statistic(),
                };
                test_pair(sums, &est[a], &est[b], &mut row);
                out.push(row);
            }
        }
    }
    holm(&mut out, 1.0 - spec.level);
    Ok(out)
}

/// svyglm's residual df: degf of the comparison's design + 1 − groups present.
fn residual_df(sums: &Sums, est: &[GroupEstimator]) -> f64 {
    let present = est.iter().filter(|g| g.n > 0.0).count() as f64;
    let rows_nz = |u: usize| -> f64 {
        est.iter()
            .flat_map(|g| g.cells.iter())
            .map(|c| c.domain.units[u][N_NZ])
            .sum()
    };
    sums.design.domain_df(rows_nz) + 1.0 - present
}

/// The difference b − a, its linearised SE, interval and t test.
fn test_pair(sums: &Sums, ga: &GroupEstimator, gb: &GroupEstimator, row: &mut Comparison) {
    if let Some(p) = ga.problem.as_ref().or(gb.problem.as_ref()) {
        row.note = Some(p.clone());
        return;
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
    let df = row.df;
    if !(df >= 1.0) {
        row.note = Some(Note::NoTestDf { df });
    } else if row.se > 0.0 {
        let alpha = 1.0 - row.level;
        let tq = qt(1.0 - alpha / 2.0, df);
        row.ci_lower = row.difference - tq * row.se;
        row.ci_upper = row.difference + tq * row.se;
        row.t = row.difference / row.se;
        row.p_value = t_p_value(row.t, df);
    } else {
        row.ci_lower = row.difference;
        row.ci_upper = row.difference;
        row.note = Some(Note::ZeroSe);
    }
}

/// Two-sided p-value of t on `df` degrees of freedom.
pub fn t_p_value(t: f64, df: f64) -> f64 {
    match StudentsT::new(0.0, 1.0, df) {
        Ok(dist) => (2.0 * dist.sf(t.abs())).min(1.0),
        Err(_) => f64::NAN,
    }
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
            significant: false,
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
