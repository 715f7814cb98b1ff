//! From sums to published figures: proportions and means per group, with linearised standard
//! errors, confidence intervals, degrees of freedom, design effects and a reliability flag.

use super::accumulate::{RowsMode, Sums, M, N, NY, N_NZ, W, W2, W2Y, W2Y2, WY, WY2};
use super::intervals::{self, CiMethod, DesignProportion, Interval};
use crate::codebook::Codebook;
use serde::Serialize;

/// Below this base an estimate is flagged unreliable (Dutch municipal practice).
pub const UNRELIABLE_BASE: u64 = 30;
/// Below this base an estimate is flagged indicative.
pub const INDICATIVE_BASE: u64 = 100;
/// An answer given by 1 to this many minus one respondents is flagged for suppression.
pub const MIN_ANSWERS: u64 = 5;

#[derive(Debug, Clone, Copy)]
pub struct EstimateOptions {
    pub method: CiMethod,
    pub level: f64,
}

/// How far an estimate can be trusted, from its unweighted base and answer count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Reliability {
    /// Base of at least [`INDICATIVE_BASE`] respondents.
    Ok,
    /// Base from [`UNRELIABLE_BASE`] to [`INDICATIVE_BASE`] − 1: publish as indicative.
    Indicative,
    /// Base below [`UNRELIABLE_BASE`].
    Unreliable,
    /// Fewer than [`MIN_ANSWERS`] (but some) respondents gave this answer: hide the cell.
    Suppress,
}

impl Reliability {
    pub fn of(n: u64, count: u64, is_proportion: bool) -> Self {
        if is_proportion && count > 0 && count < MIN_ANSWERS {
            Reliability::Suppress
        } else if n < UNRELIABLE_BASE {
            Reliability::Unreliable
        } else if n < INDICATIVE_BASE {
            Reliability::Indicative
        } else {
            Reliability::Ok
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Reliability::Ok => "ok",
            Reliability::Indicative => "indicative",
            Reliability::Unreliable => "unreliable",
            Reliability::Suppress => "suppress",
        }
    }
}

/// One published figure: a proportion (or mean) of one category in one group.
#[derive(Debug, Clone, Serialize)]
pub struct Estimate {
    pub table: String,
    pub variable: String,
    pub category: String,
    pub category_label: String,
    pub by: String,
    pub group: String,
    pub group_label: String,
    /// "proportion" or "mean".
    pub statistic: &'static str,
    /// Unweighted base: respondents with a valid answer (and a valid group).
    pub n: u64,
    /// Respondents who gave this answer (proportions) or the base (means).
    pub count: u64,
    pub weighted_base: f64,
    pub estimate: f64,
    pub se: f64,
    pub ci_lower: Option<f64>,
    pub ci_upper: Option<f64>,
    pub ci_method: String,
    pub level: f64,
    pub df: f64,
    pub deff: Option<f64>,
    /// Kish's effective sample size, (Σw)²/Σw².
    pub n_eff: f64,
    pub reliability: Reliability,
    /// Why an interval is missing or how a fallback was obtained; empty otherwise.
    pub note: String,
}

/// The moments of one domain (group × category) per unit, in the order of `Sums`' units.
pub struct Domain {
    pub units: Vec<[f64; M]>,
    /// Respondents in the domain who gave the answer (proportions).
    pub count: f64,
}

impl Domain {
    fn total(&self, k: usize) -> f64 {
        self.units.iter().map(|u| u[k]).sum()
    }
}

/// Gather the per-unit moments of (table `t` in the layout, group on the axis, category slot).
/// For single-choice variables the indicator y = [code = slot] is formed over the base of all
/// codes.
pub fn domain(sums: &Sums, t: usize, group: usize, slot: usize) -> Domain {
    let tl = &sums.layout.tables[t];
    let mut units = Vec::with_capacity(sums.design.n_units());
    let mut count = 0.0;
    for u in 0..sums.design.n_units() {
        let mut m = [0.0; M];
        match tl.mode {
            RowsMode::Code { .. } => {
                for s in 0..tl.slots {
                    let c = sums.cell(t, u, group, s);
                    m[N] += c[N];
                    m[N_NZ] += c[N_NZ];
                    m[W] += c[W];
                    m[W2] += c[W2];
                }
                let pos = sums.cell(t, u, group, slot);
                m[NY] = pos[N];
                m[WY] = pos[W];
                m[WY2] = pos[W];
                m[W2Y] = pos[W2];
                m[W2Y2] = pos[W2];
                count += pos[N];
            }
            RowsMode::Items { .. } | RowsMode::Number { .. } => {
                m.copy_from_slice(sums.cell(t, u, group, slot));
                count += m[NY];
            }
        }
        units.push(m);
    }
    Domain { units, count }
}

/// The numbers of one domain, before labels are attached.
#[derive(Debug, Clone)]
pub struct Figures {
    pub n: f64,
    pub count: f64,
    pub weighted_base: f64,
    pub estimate: f64,
    pub se: f64,
    pub df: f64,
    pub deff: Option<f64>,
    pub n_eff: f64,
    pub interval: Interval,
    pub ci_method: String,
}

/// Estimate a proportion (`is_proportion`) or a mean in one domain.
pub fn figures(sums: &Sums, d: &Domain, is_proportion: bool, opts: EstimateOptions) -> Figures {
    let design = &sums.design;
    let n = d.total(N);
    let w = d.total(W);
    let wy = d.total(WY);
    let w2 = d.total(W2);
    let n_nz = d.total(N_NZ);
    let est = wy / w;
    let n_eff = if w2 > 0.0 { w * w / w2 } else { 0.0 };

    // Simple random sample without weights: the textbook formulas of the reference (statsmodels).
    let srs = !design.weighted && (!is_proportion || !opts.method.is_design_based());
    if srs {
        let (se, interval, method) = if is_proportion {
            let se = (est * (1.0 - est) / n).sqrt();
            (
                se,
                intervals::srs_proportion(opts.method, d.count, n, opts.level),
                opts.method.to_string(),
            )
        } else {
            let ss = d.total(WY2) - wy * wy / n;
            let se = (ss / (n - 1.0) / n).sqrt();
            (
                se,
                intervals::t_mean(est, se, n - 1.0, opts.level),
                "t".to_string(),
            )
        };
        return Figures {
            n,
            count: d.count,
            weighted_base: w,
            estimate: est,
            se,
            df: n - 1.0,
            deff: Some(1.0),
            n_eff,
            interval,
            ci_method: method,
        };
    }

    // Linearisation variable of the ratio Σwy/Σw: z = w (y − est) / Σw.
    let var = design.variance(|u| {
        let m = &d.units[u];
        let s1 = (m[WY] - est * m[W]) / w;
        let s2 = (m[W2Y2] - 2.0 * est * m[W2Y] + est * est * m[W2]) / (w * w);
        (s1, s2)
    });
    let var = var.max(0.0);
    let se = var.sqrt();
    let df = design.domain_df(|u| d.units[u][N_NZ]);
    // R's deff = "replace": V / (svyvar / n), svyvar the weighted variance with n/(n−1).
    let deff = if n_nz > 1.0 {
        let s2w = (d.total(WY2) - wy * wy / w) / w * n_nz / (n_nz - 1.0);
        let v_srs = s2w / n_nz;
        (v_srs > 0.0).then(|| var / v_srs)
    } else {
        None
    };
    let (interval, method) = if is_proportion {
        let x = DesignProportion {
            p: est,
            se,
            df,
            n,
            n_kish: n_eff,
        };
        (
            intervals::design_proportion(opts.method, x, opts.level),
            opts.method.to_string(),
        )
    } else {
        (
            intervals::normal_mean(est, se, opts.level),
            "normal".to_string(),
        )
    };
    Figures {
        n,
        count: d.count,
        weighted_base: w,
        estimate: est,
        se,
        df,
        deff,
        n_eff,
        interval,
        ci_method: method,
    }
}

/// Every estimate of one table (position `t` in the layout): the whole sample, then each `by`
/// variable's groups in codebook order; within each, the categories in codebook order.
pub fn estimate_table(
    codebook: &Codebook,
    sums: &Sums,
    t: usize,
    opts: EstimateOptions,
) -> Vec<Estimate> {
    let tl = &sums.layout.tables[t];
    let table = &codebook.tables[tl.table];
    let var = &codebook.variables[tl.rows_var];
    let is_proportion = !matches!(tl.mode, RowsMode::Number { .. });
    let categories = var.categories();
    let mut out = Vec::new();
    // The whole sample, then each `by` variable in the codebook's order.
    let mut sets: Vec<Vec<usize>> = vec![vec![]];
    sets.extend(table.by.iter().map(|&b| vec![b]));
    for vars in sets {
        let Some(g) = sums.layout.grouping(t, &vars) else {
            continue;
        };
        let (by, groups) = match g.vars.first() {
            None => (
                "(all)".to_string(),
                vec![("(all)".to_string(), "Totaal".to_string())],
            ),
            Some(&v) => (
                codebook.variables[v].name.clone(),
                codebook.variables[v]
                    .groups()
                    .unwrap_or_default()
                    .into_iter()
                    .map(|c| (c.key, c.label))
                    .collect(),
            ),
        };
        for (level, (group, group_label)) in groups.into_iter().enumerate() {
            let axis = g.offset + level;
            for (slot, cat) in categories.iter().enumerate() {
                let d = domain(sums, t, axis, slot);
                let n = d.total(N);
                if n == 0.0 {
                    out.push(empty_estimate(
                        table,
                        var,
                        cat,
                        &by,
                        &group,
                        &group_label,
                        is_proportion,
                        opts,
                    ));
                    continue;
                }
                let f = figures(sums, &d, is_proportion, opts);
                out.push(Estimate {
                    table: table.name.clone(),
                    variable: var.name.clone(),
                    category: cat.key.clone(),
                    category_label: cat.label.clone(),
                    by: by.clone(),
                    group: group.clone(),
                    group_label: group_label.clone(),
                    statistic: if is_proportion { "proportion" } else { "mean" },
                    n: f.n as u64,
                    count: f.count as u64,
                    weighted_base: f.weighted_base,
                    estimate: f.estimate,
                    se: f.se,
                    ci_lower: f.interval.is_defined().then_some(f.interval.lower),
                    ci_upper: f.interval.is_defined().then_some(f.interval.upper),
                    ci_method: f.ci_method,
                    level: opts.level,
                    df: f.df,
                    deff: f.deff,
                    n_eff: f.n_eff,
                    reliability: Reliability::of(f.n as u64, f.count as u64, is_proportion),
                    note: f.interval.note.unwrap_or_default(),
                });
            }
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn empty_estimate(
    table: &crate::codebook::Table,
    var: &crate::codebook::Variable,
    cat: &crate::codebook::Category,
    by: &str,
    group: &str,
    group_label: &str,
    is_proportion: bool,
    opts: EstimateOptions,
) -> Estimate {
    Estimate {
        table: table.name.clone(),
        variable: var.name.clone(),
        category: cat.key.clone(),
        category_label: cat.label.clone(),
        by: by.to_string(),
        group: group.to_string(),
        group_label: group_label.to_string(),
        statistic: if is_proportion { "proportion" } else { "mean" },
        n: 0,
        count: 0,
        weighted_base: 0.0,
        estimate: f64::NAN,
        se: f64::NAN,
        ci_lower: None,
        ci_upper: None,
        ci_method: if is_proportion {
            opts.method.to_string()
        } else {
            String::new()
        },
        level: opts.level,
        df: f64::NAN,
        deff: None,
        n_eff: 0.0,
        reliability: Reliability::Unreliable,
        note: "no respondents in this group answered".into(),
    }
}
