//! From sums to published figures: proportions and means per group, with linearised standard
//! errors, confidence intervals, degrees of freedom, design effects and a reliability flag.

use super::accumulate::joint::key_levels;
use super::accumulate::moments::{self, C_N, C_NZ, C_W, C_W2};
use super::accumulate::{RowsMode, Sums, M, N, NY, N_NZ, W, W2, W2Y, W2Y2, WY, WY2};
use super::design::Scores;
use super::intervals::{self, CiMethod, DesignProportion, Interval};
use super::note::Note;
use crate::codebook::Codebook;
use crate::keys::{Breakdown, GroupKey, Statistic};
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
    /// The label of the whole sample's group (in the report's language).
    pub total_label: &'static str,
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
    pub fn of(n: u64, count: u64, statistic: Statistic) -> Self {
        let counted = matches!(statistic, Statistic::Proportion | Statistic::Total);
        if counted && count > 0 && count < MIN_ANSWERS {
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
    pub by: Breakdown,
    pub group: GroupKey,
    pub group_label: String,
    pub statistic: Statistic,
    /// Unweighted base: respondents with a valid answer (and a valid group).
    pub n: u64,
    /// Respondents who gave this answer (proportions); the base again (means).
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
    /// Why an interval is missing or how a fallback was obtained.
    #[serde(serialize_with = "super::note::serialize")]
    pub note: Option<Note>,
}

/// The moments of one domain (group × category) per unit, in the order of `Sums`' units.
pub struct Domain {
    pub units: Vec<[f64; M]>,
    /// Respondents in the domain who gave the answer (proportions).
    pub count: f64,
}

impl Domain {
    /// A domain without rows in any of `subunits` units.
    pub fn empty(subunits: usize) -> Domain {
        Domain {
            units: vec![[0.0; M]; subunits],
            count: 0.0,
        }
    }

    /// The sum of moment `k` over the domain's units.
    pub fn total(&self, k: usize) -> f64 {
        self.units.iter().map(|u| u[k]).sum()
    }
}

/// Gather the per-unit moments of (table `t` in the layout, group on the axis, category slot).
/// For single-choice variables the indicator y = [code = slot] is formed over the base of all
/// codes. A joint group has moments only in the subunits it has rows in; the others are 0.
pub fn domain(sums: &Sums, t: usize, group: usize, slot: usize) -> Domain {
    domain_of(sums, t, group, &[slot])
}

/// The moments of a domain whose indicator is any of several single-choice `slots` (a NET:
/// the codes 1 and 2 of a battery's statement); for other tables `slots` is one slot.
pub fn domain_of(sums: &Sums, t: usize, group: usize, slots: &[usize]) -> Domain {
    let tl = &sums.layout.tables[t];
    let k = tl.kept();
    let mut units = vec![[0.0; M]; sums.design.n_subunits()];
    let mut count = 0.0;
    for (u, kept) in sums.table_blocks(t, group) {
        let m = &mut units[u];
        match tl.mode {
            RowsMode::Code { .. } => {
                // The base is every code's rows; the indicator's sums are the chosen codes'
                // (y = 1: Σy = N, Σwy = Σwy² = Σw, Σw²y = Σw²y² = Σw²).
                for c in kept.chunks(k) {
                    m[N] += c[C_N];
                    m[N_NZ] += c[C_NZ];
                    m[W] += c[C_W];
                    m[W2] += c[C_W2];
                }
                for &slot in slots {
                    let pos = &kept[slot * k..(slot + 1) * k];
                    m[NY] += pos[C_N];
                    m[WY] += pos[C_W];
                    m[WY2] += pos[C_W];
                    m[W2Y] += pos[C_W2];
                    m[W2Y2] += pos[C_W2];
                    count += pos[C_N];
                }
            }
            RowsMode::Items { .. } | RowsMode::Number { .. } => {
                *m = moments::expand(tl.mode, &kept[slots[0] * k..(slots[0] + 1) * k]);
                count += m[NY];
            }
        }
    }
    Domain { units, count }
}

/// One category a table layout estimates: an answer (one slot), or a NET over several.
#[derive(Debug, Clone, PartialEq)]
pub struct TableCategory {
    pub key: String,
    pub label: String,
    pub slots: Vec<usize>,
}

/// The categories of table layout `pos`: its rows variable's answers, then the table's NETs.
pub fn table_categories(codebook: &Codebook, sums: &Sums, pos: usize) -> Vec<TableCategory> {
    let tl = &sums.layout.tables[pos];
    let mut out: Vec<TableCategory> = codebook.variables[tl.rows_var]
        .categories()
        .into_iter()
        .enumerate()
        .map(|(slot, c)| TableCategory {
            key: c.key,
            label: c.label,
            slots: vec![slot],
        })
        .collect();
    if matches!(tl.mode, RowsMode::Code { .. }) {
        out.extend(
            codebook.tables[tl.table]
                .nets
                .iter()
                .map(|n| TableCategory {
                    key: n.key.clone(),
                    label: n.label.clone(),
                    slots: n.slots.clone(),
                }),
        );
    }
    out
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

/// A domain whose respondents all weigh 0: its estimate is 0/0 (R: NaN, also its SE).
fn zero_weight_figures(n: f64, count: f64, statistic: Statistic, opts: EstimateOptions) -> Figures {
    Figures {
        n,
        count,
        weighted_base: 0.0,
        estimate: f64::NAN,
        se: f64::NAN,
        df: 0.0,
        deff: None,
        n_eff: 0.0,
        interval: Interval::none(Note::ZeroWeights { n: n as u64 }),
        ci_method: match statistic {
            Statistic::Proportion => opts.method.to_string(),
            Statistic::Mean | Statistic::Total => "normal".to_string(),
            Statistic::Quantile => "woodruff".to_string(),
        },
    }
}

/// Estimate a total in one domain: the estimated number of residents who gave the answer
/// (R's `svytotal`): Σ w·y, its linearised variance (z = w·y on the domain's rows), an interval
/// with the normal quantile (svytotal's `confint`), R's `deff = "replace"`.
pub fn total_figures(sums: &Sums, d: &Domain, opts: EstimateOptions) -> Figures {
    let design = &sums.design;
    let (n, n_nz) = (d.total(N), d.total(N_NZ));
    let (w, wy, w2) = (d.total(W), d.total(WY), d.total(W2));
    if !(w > 0.0) {
        return zero_weight_figures(n, d.count, Statistic::Total, opts);
    }
    let var = design
        .variance(|u| {
            let m = &d.units[u];
            Scores {
                z: m[WY],
                wz: m[W2Y],
                zz: m[W2Y2],
            }
        })
        .max(0.0);
    let se = var.sqrt();
    // svyvar of y in the domain (n/(n − 1)) times (Σw)² / n: the total's variance without design.
    let deff = if n_nz > 1.0 {
        let s2w = (d.total(WY2) - wy * wy / w) / w * n_nz / (n_nz - 1.0);
        let v_srs = s2w * w * w / n_nz;
        (v_srs > 0.0).then(|| var / v_srs)
    } else {
        None
    };
    Figures {
        n,
        count: d.count,
        weighted_base: w,
        estimate: wy,
        se,
        df: design.domain_df(|u| d.units[u][N_NZ]),
        deff,
        n_eff: if w2 > 0.0 { w * w / w2 } else { 0.0 },
        interval: intervals::normal_mean(wy, se, opts.level),
        ci_method: "normal".to_string(),
    }
}

/// Estimate a proportion or a mean in one domain.
pub fn figures(sums: &Sums, d: &Domain, statistic: Statistic, opts: EstimateOptions) -> Figures {
    let is_proportion = statistic == Statistic::Proportion;
    let design = &sums.design;
    let n = d.total(N);
    let w = d.total(W);
    let wy = d.total(WY);
    let w2 = d.total(W2);
    let n_nz = d.total(N_NZ);
    let est = wy / w;
    let n_eff = if w2 > 0.0 { w * w / w2 } else { 0.0 };
    if !(w > 0.0) {
        return zero_weight_figures(n, d.count, statistic, opts);
    }

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
    let var = design.variance(|u| Scores::ratio(&d.units[u], est, w));
    let var = var.max(0.0);
    let se = var.sqrt();
    let df = design.domain_df(|u| d.units[u][N_NZ]);
    // R's deff = "replace": V / (svyvar / n), svyvar the weighted variance with n/(n−1).
    // Σw(y − ȳ)² is formed as Σwy² − (Σwy)²/Σw, which at p = 0 or 1 (or for a constant mean)
    // leaves a rounding residue of either sign instead of 0: there R has 0/0 and no design
    // effect, so a residue below 1e-10 of Σwy² (a sum of a million terms rounds that far) counts
    // as 0 (deff came out 0 or 2e-17).
    let deff = if n_nz > 1.0 {
        let wy2 = d.total(WY2);
        let ss = wy2 - wy * wy / w;
        let v_srs = ss / w * n_nz / (n_nz - 1.0) / n_nz;
        (ss > 1e-10 * wy2.abs() && v_srs > 0.0).then(|| var / v_srs)
    } else {
        None
    };
    let (interval, method) = if is_proportion {
        let x = DesignProportion {
            p: est,
            se,
            df,
            // R keeps every row in a subset of a calibrated design (weight 0 outside the
            // domain), so Korn–Graubard's n is then the whole design's.
            n: if design.calibrated() { design.rows } else { n },
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

/// One group of a breakdown: its key, its label and its position in the grouping.
#[derive(Debug, Clone, PartialEq)]
pub struct BreakdownGroup {
    pub key: GroupKey,
    pub label: String,
    pub level: usize,
}

/// The groups of a breakdown over `vars` (joint levels, the first variable slowest, missing
/// levels left out; of a crossed breakdown, only the joint groups with rows).
pub fn breakdown_groups(
    codebook: &Codebook,
    grouping: &super::accumulate::Grouping,
) -> Vec<BreakdownGroup> {
    if grouping.vars.is_empty() {
        return vec![BreakdownGroup {
            key: GroupKey::Total,
            label: String::new(),
            level: 0,
        }];
    }
    let levels: Vec<Vec<crate::codebook::Category>> = grouping
        .vars
        .iter()
        .map(|&v| codebook.variables[v].groups().unwrap_or_default())
        .collect();
    let group = |at: &[usize], level: usize| BreakdownGroup {
        key: GroupKey::Codes(
            at.iter()
                .zip(&levels)
                .map(|(&i, l)| l[i].key.clone())
                .collect(),
        ),
        label: at
            .iter()
            .zip(&levels)
            .map(|(&i, l)| l[i].label.as_str())
            .collect::<Vec<_>>()
            .join(crate::keys::CROSS),
        level,
    };
    if let Some(keys) = &grouping.joint {
        // Only the joint groups with rows (docs/codebook.md: "a joint group without
        // respondents is left out").
        return keys
            .iter()
            .enumerate()
            .map(|(i, &k)| group(&key_levels(&grouping.levels, k), i))
            .collect();
    }
    let mut out = Vec::new();
    let mut at = vec![0usize; levels.len()];
    if levels.iter().any(|l| l.is_empty()) {
        return out;
    }
    loop {
        out.push(group(&at, grouping.index(&at)));
        // Odometer, last variable fastest.
        let mut k = levels.len();
        loop {
            if k == 0 {
                return out;
            }
            k -= 1;
            at[k] += 1;
            if at[k] < levels[k].len() {
                break;
            }
            at[k] = 0;
        }
    }
}

/// The breakdown of a grouping over `vars`, named by its variables.
pub fn breakdown_of(codebook: &Codebook, vars: &[usize]) -> Breakdown {
    if vars.is_empty() {
        Breakdown::Total
    } else {
        Breakdown::By(
            vars.iter()
                .map(|&v| codebook.variables[v].name.clone())
                .collect(),
        )
    }
}

/// Every estimate of one table (position `pos` in the layout): the whole sample, then each `by`
/// breakdown's groups in codebook order; within each, the categories in codebook order (then
/// their totals, or the quantiles of a number, when the table asks for them).
pub fn estimate_table(
    codebook: &Codebook,
    sums: &Sums,
    pos: usize,
    opts: EstimateOptions,
) -> Vec<Estimate> {
    let tl = &sums.layout.tables[pos];
    let table = &codebook.tables[tl.table];
    let var = &codebook.variables[tl.rows_var];
    let statistic = tl.statistic();
    let categories = table_categories(codebook, sums, pos);
    let mut out = Vec::new();
    for vars in table.breakdowns() {
        let Some(g) = sums.layout.grouping(pos, &vars) else {
            continue;
        };
        let by = breakdown_of(codebook, &vars);
        for BreakdownGroup {
            key: group,
            label: group_label,
            level,
        } in breakdown_groups(codebook, g)
        {
            let blank = Estimate {
                table: table.name.clone(),
                variable: var.name.clone(),
                category: String::new(),
                category_label: String::new(),
                by: by.clone(),
                group: group.clone(),
                group_label: if group.is_total() {
                    opts.total_label.to_string()
                } else {
                    group_label
                },
                statistic,
                n: 0,
                count: 0,
                weighted_base: 0.0,
                estimate: f64::NAN,
                se: f64::NAN,
                ci_lower: None,
                ci_upper: None,
                ci_method: String::new(),
                level: opts.level,
                df: f64::NAN,
                deff: None,
                n_eff: 0.0,
                reliability: Reliability::Unreliable,
                note: Some(Note::NoAnswers),
            };
            let axis = g.offset + level;
            for s in &table.statistics {
                let row = |key: String, label: String| Estimate {
                    category: key,
                    category_label: label,
                    statistic: *s,
                    ..blank.clone()
                };
                match s {
                    Statistic::Proportion | Statistic::Mean | Statistic::Total => {
                        for cat in &categories {
                            let d = domain_of(sums, pos, axis, &cat.slots);
                            let f = (d.total(N) > 0.0).then(|| match s {
                                Statistic::Total => total_figures(sums, &d, opts),
                                _ => figures(sums, &d, *s, opts),
                            });
                            out.push(filled(row(cat.key.clone(), cat.label.clone()), f, opts));
                        }
                    }
                    Statistic::Quantile => {
                        for &p in &table.quantiles {
                            let f = super::woodruff::quantile_figures(sums, pos, axis, p, opts);
                            let key = crate::text::num(p);
                            out.push(filled(row(key.clone(), key), f, opts));
                        }
                    }
                }
            }
        }
    }
    out
}

/// An estimate row with its figures (`None`: nobody in the domain answered).
fn filled(mut e: Estimate, f: Option<Figures>, opts: EstimateOptions) -> Estimate {
    let Some(f) = f else {
        if matches!(e.statistic, Statistic::Proportion | Statistic::Total) {
            e.ci_method = opts.method.to_string();
        }
        return e;
    };
    let defined = f.interval.is_defined();
    e.n = f.n as u64;
    e.count = match e.statistic {
        Statistic::Proportion | Statistic::Total => f.count as u64,
        Statistic::Mean | Statistic::Quantile => f.n as u64,
    };
    e.weighted_base = f.weighted_base;
    e.estimate = f.estimate;
    e.se = f.se;
    // A quantile's limits stand on their own: one may exist without the other (R: NaN).
    let partial = e.statistic == Statistic::Quantile;
    let (lo, hi) = (f.interval.lower, f.interval.upper);
    e.ci_lower = (defined || partial && lo.is_finite()).then_some(lo);
    e.ci_upper = (defined || partial && hi.is_finite()).then_some(hi);
    e.ci_method = f.ci_method;
    e.df = f.df;
    e.deff = f.deff;
    e.n_eff = f.n_eff;
    e.reliability = Reliability::of(e.n, e.count, e.statistic);
    e.note = f.interval.note;
    e
}
