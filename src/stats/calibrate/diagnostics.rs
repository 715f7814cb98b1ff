//! What a report says about the weighting: a representativeness table (per margin category:
//! respondents, unweighted %, design-weighted %, weighted %, population %) and the weights'
//! spread (min, max, mean, CV, Kish's design effect of weighting), how many respondents sit at
//! a bound or were trimmed, the iterations and the largest remaining misfit, and the warnings a
//! researcher must see (an extreme design effect, extreme or negative adjustments, margins that
//! were scaled).

use super::Fit;
use crate::codebook::{Variable, Weighting};
use crate::stats::accumulate::{AllRows, ALL_MAX, ALL_MIN, ALL_ROWS, ALL_W, ALL_W2};
use serde::Serialize;

/// One category of one weighting margin.
#[derive(Debug, Clone, Serialize)]
pub struct MarginRow {
    pub variable: String,
    pub variable_label: String,
    pub category: String,
    pub category_label: String,
    /// The respondents without a valid value (`[weighting] unknown = "own-category"`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unknown: bool,
    /// Respondents in the category.
    pub n: u64,
    /// Shares (0–1): unweighted, with the design weights, with the final weights, population.
    pub unweighted: f64,
    pub design_weighted: f64,
    pub weighted: f64,
    pub population: f64,
}

/// Something about the weights a researcher must see before publishing.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WeightingWarning {
    /// Kish's design effect of weighting above `[weighting] warn_design_effect`.
    DesignEffect { value: f64, limit: f64 },
    /// Respondents whose adjustment g falls outside `[weighting] warn_g`.
    ExtremeG {
        respondents: u64,
        min: f64,
        max: f64,
        lower: f64,
        upper: f64,
    },
    /// Respondents with a negative final weight (linear calibration).
    NegativeWeights { respondents: u64, min: f64 },
    /// A margin whose total differed from the first margin's and was scaled to it (names and
    /// labels of both margins).
    MarginScaled {
        margin: String,
        margin_label: String,
        total: f64,
        first: String,
        first_label: String,
        first_total: f64,
        tolerance: f64,
    },
}

impl std::fmt::Display for WeightingWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::text::num;
        match self {
            WeightingWarning::DesignEffect { value, limit } => write!(
                f,
                "the design effect of weighting is {} (above {}): the weights vary so much that the figures are as precise as from {:.0}% of the respondents; weight to fewer or coarser variables, set bounds (method = \"logit\") or trim = [L, U]",
                num(round(*value, 3)),
                num(*limit),
                100.0 / value
            ),
            WeightingWarning::ExtremeG {
                respondents,
                min,
                max,
                lower,
                upper,
            } => write!(
                f,
                "{respondents} respondent{} {} an adjustment g (final weight / design weight) outside [{}, {}]: g runs from {} to {}; merge small categories, or set bounds or trim",
                if *respondents == 1 { "" } else { "s" },
                if *respondents == 1 { "has" } else { "have" },
                num(*lower),
                num(*upper),
                num(round(*min, 3)),
                num(round(*max, 3))
            ),
            WeightingWarning::NegativeWeights { respondents, min } => write!(
                f,
                "{respondents} respondent{} a negative weight (down to {}), which linear calibration allows; use method = \"rake\", or \"logit\" with bounds, to keep weights positive",
                if *respondents == 1 { " has" } else { "s have" },
                num(round(*min, 3))
            ),
            WeightingWarning::MarginScaled {
                margin,
                total,
                first,
                first_total,
                tolerance,
                ..
            } => write!(
                f,
                "the margin '{margin}' adds up to {}, '{first}' to {} ({} apart, {}%): '{margin}' was scaled to {} (rounded figures; margin_tolerance = {} allows up to {}%)",
                num(*total),
                num(*first_total),
                num(round((total - first_total).abs(), 6)),
                num(round(100.0 * (total - first_total).abs() / first_total, 4)),
                num(*first_total),
                num(*tolerance),
                num(100.0 * tolerance)
            ),
        }
    }
}

fn round(x: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (x * f).round() / f
}

/// The weighting's diagnostics.
#[derive(Debug, Clone, Serialize)]
pub struct WeightingReport {
    pub method: &'static str,
    pub variables: Vec<String>,
    pub population_file: String,
    pub margins: Vec<MarginRow>,
    /// The final weights over the respondents.
    pub respondents: u64,
    pub weight_min: f64,
    pub weight_max: f64,
    pub weight_mean: f64,
    /// Coefficient of variation (population standard deviation / mean).
    pub weight_cv: f64,
    /// Kish's design effect of weighting, 1 + CV² = n Σw² / (Σw)².
    pub deff_weighting: f64,
    /// The adjustment g = final / (design weight × scale).
    pub g_min: f64,
    pub g_max: f64,
    /// Respondents whose g is at a bound (within 1e-9 relative).
    pub at_bounds: u64,
    pub bounds: Option<(f64, f64)>,
    pub iterations: u32,
    /// The largest |weighted margin − population| / population.
    pub max_misfit: f64,
    /// The design weights' scale factor to the population total (1 when already on its scale).
    #[serde(skip_serializing_if = "is_one")]
    pub scale: f64,
    /// Σ of the design weights, when they were scaled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub design_total: Option<f64>,
    /// Trimming: the limits, the respondents trimmed, and the margins' misfit after it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trim: Option<(f64, f64)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trimmed: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub misfit_after_trim: Option<f64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<WeightingWarning>,
}

fn is_one(x: &f64) -> bool {
    *x == 1.0
}

/// Totals per calibration cell over all valid rows.
struct CellSums {
    rows: Vec<f64>,
    d: Vec<f64>,
    d2: Vec<f64>,
    d_min: Vec<f64>,
    d_max: Vec<f64>,
}

fn cell_sums(all: &[AllRows], subunit_cell: &[usize], cells: usize) -> CellSums {
    let mut c = CellSums {
        rows: vec![0.0; cells],
        d: vec![0.0; cells],
        d2: vec![0.0; cells],
        d_min: vec![f64::INFINITY; cells],
        d_max: vec![f64::NEG_INFINITY; cells],
    };
    for (a, &k) in all.iter().zip(subunit_cell) {
        c.rows[k] += a[ALL_ROWS];
        c.d[k] += a[ALL_W];
        c.d2[k] += a[ALL_W2];
        c.d_min[k] = c.d_min[k].min(a[ALL_MIN]);
        c.d_max[k] = c.d_max[k].max(a[ALL_MAX]);
    }
    c
}

/// The spread of the final weights and of g.
struct Spread {
    lo: f64,
    hi: f64,
    g_lo: f64,
    g_hi: f64,
    at_bounds: f64,
    outside_warn: f64,
    negative: f64,
}

fn spread(spec: &Weighting, fit: &Fit, c: &CellSums) -> Spread {
    let g = &fit.g;
    let mut s = Spread {
        lo: f64::INFINITY,
        hi: f64::NEG_INFINITY,
        g_lo: f64::INFINITY,
        g_hi: f64::NEG_INFINITY,
        at_bounds: 0.0,
        outside_warn: 0.0,
        negative: 0.0,
    };
    for k in (0..g.len()).filter(|&k| c.rows[k] > 0.0) {
        // g > 0 keeps the order of the design weights; a negative g (linear) reverses it.
        let (a, b) = (g[k] * c.d_min[k], g[k] * c.d_max[k]);
        s.lo = s.lo.min(a.min(b));
        s.hi = s.hi.max(a.max(b));
        let gk = g[k] / fit.scale;
        s.g_lo = s.g_lo.min(gk);
        s.g_hi = s.g_hi.max(gk);
        if let Some((l, u)) = spec.bounds {
            if (gk - l).abs() <= 1e-9 * l.max(1.0) || (gk - u).abs() <= 1e-9 * u {
                s.at_bounds += c.rows[k];
            }
        }
        let (wl, wu) = spec.warn_g;
        if gk < wl || gk > wu {
            s.outside_warn += c.rows[k];
        }
        if gk < 0.0 {
            s.negative += c.rows[k];
        }
    }
    s
}

/// The diagnostics of a fit, from the design-weight sums per subunit and their cells.
pub fn diagnostics(
    spec: &Weighting,
    variables: &[Variable],
    fit: &Fit,
    all: &[AllRows],
    subunit_cell: &[usize],
) -> WeightingReport {
    let cells = fit.g.len();
    let c = cell_sums(all, subunit_cell, cells);
    let g = &fit.g;
    let n: f64 = c.rows.iter().sum();
    let w: f64 = (0..cells).map(|k| g[k] * c.d[k]).sum();
    let w2: f64 = (0..cells).map(|k| g[k] * g[k] * c.d2[k]).sum();
    let mean = w / n;
    let var = (w2 / n - mean * mean).max(0.0);
    let s = spread(spec, fit, &c);
    let deff = n * w2 / (w * w);
    let trimmed = spec.trim.map(|_| {
        (0..cells)
            .filter(|&k| fit.trimmed[k])
            .map(|k| c.rows[k])
            .sum::<f64>() as u64
    });
    WeightingReport {
        method: spec.method.name(),
        // The margins (a crossed one as "a × b"); a post-stratification's variables one by one.
        variables: if spec.method == crate::codebook::weighting::Method::Poststratify {
            spec.variables
                .iter()
                .map(|&v| variables[v].name.clone())
                .collect()
        } else {
            spec.margins.iter().map(|m| m.name(variables)).collect()
        },
        population_file: spec.file.display().to_string(),
        margins: margins(spec, variables, fit, &c),
        respondents: n as u64,
        weight_min: s.lo,
        weight_max: s.hi,
        weight_mean: mean,
        weight_cv: var.sqrt() / mean,
        deff_weighting: deff,
        g_min: s.g_lo,
        g_max: s.g_hi,
        at_bounds: s.at_bounds as u64,
        bounds: spec.bounds,
        iterations: fit.iterations,
        max_misfit: fit.misfit,
        scale: fit.scale,
        design_total: (fit.scale != 1.0).then(|| c.d.iter().sum()),
        trim: spec.trim,
        trimmed,
        misfit_after_trim: spec.trim.map(|_| misfit_after(fit, &c)),
        warnings: warnings(spec, variables, &s, deff),
    }
}

/// The largest relative misfit of a category after trimming.
fn misfit_after(fit: &Fit, c: &CellSums) -> f64 {
    let mut worst: f64 = 0.0;
    for mm in &fit.model.margins {
        let mut totals = vec![0.0; mm.categories()];
        for k in 0..fit.g.len() {
            totals[mm.category[k] as usize] += c.d[k] * fit.g[k];
        }
        for (got, want) in totals.iter().zip(&mm.population) {
            if *want > 0.0 {
                worst = worst.max((got - want).abs() / want);
            }
        }
    }
    worst
}

fn warnings(
    spec: &Weighting,
    variables: &[Variable],
    s: &Spread,
    deff: f64,
) -> Vec<WeightingWarning> {
    let mut out = Vec::new();
    for sc in &spec.scaled {
        let (m, first) = (&spec.margins[sc.margin], &spec.margins[0]);
        out.push(WeightingWarning::MarginScaled {
            margin: m.name(variables),
            margin_label: m.label(variables),
            total: sc.total,
            first: first.name(variables),
            first_label: first.label(variables),
            first_total: spec.total,
            tolerance: spec.margin_tolerance,
        });
    }
    if deff > spec.warn_design_effect {
        out.push(WeightingWarning::DesignEffect {
            value: deff,
            limit: spec.warn_design_effect,
        });
    }
    if s.outside_warn > 0.0 {
        out.push(WeightingWarning::ExtremeG {
            respondents: s.outside_warn as u64,
            min: s.g_lo,
            max: s.g_hi,
            lower: spec.warn_g.0,
            upper: spec.warn_g.1,
        });
    }
    if s.negative > 0.0 {
        out.push(WeightingWarning::NegativeWeights {
            respondents: s.negative as u64,
            min: s.lo,
        });
    }
    out
}

/// One representativeness row from its sums.
struct Shares {
    n: f64,
    d: f64,
    w: f64,
}

/// The representativeness table: every category of every margin, then its unknowns. A
/// post-stratification's one margin crosses every variable: it is shown per variable (the cells
/// file's margins), then its unknowns.
fn margins(spec: &Weighting, variables: &[Variable], fit: &Fit, c: &CellSums) -> Vec<MarginRow> {
    let g = &fit.g;
    let cells = g.len();
    let totals = Shares {
        n: c.rows.iter().sum::<f64>(),
        d: c.d.iter().sum::<f64>(),
        w: (0..cells).map(|k| c.d[k] * g[k]).sum::<f64>(),
    };
    let mut out = Vec::new();
    for mm in &fit.model.margins {
        let m = &spec.margins[mm.margin];
        let pop_total: f64 = mm.population.iter().sum();
        // Per shown variable (the margin itself, or each variable of a post-stratification):
        // the category of each cell (None: unknown) and the categories' names and populations.
        let parts: Vec<crate::codebook::weighting::Margin> =
            if spec.method == crate::codebook::weighting::Method::Poststratify {
                m.vars
                    .iter()
                    .map(|&v| crate::codebook::weighting::Margin {
                        vars: vec![v],
                        counts: Vec::new(),
                    })
                    .collect()
            } else {
                vec![m.clone()]
            };
        let levels = m.levels(variables);
        for (i, part) in parts.iter().enumerate() {
            let n_cats: usize = part.levels(variables).iter().product();
            // The part's category of a known joint category of the margin.
            let of = |joint: usize| -> usize {
                if parts.len() == 1 {
                    return joint;
                }
                let stride: usize = levels[i + 1..].iter().product();
                (joint / stride) % levels[i]
            };
            let mut sums = vec![(0.0, 0.0, 0.0, 0.0); n_cats];
            for (k, &j) in mm.category.iter().enumerate() {
                let j = j as usize;
                if j == mm.known {
                    continue;
                }
                let s = &mut sums[of(j)];
                s.0 += c.rows[k];
                s.1 += c.d[k];
                s.2 += c.d[k] * g[k];
            }
            for j in 0..mm.known {
                sums[of(j)].3 += mm.population[j];
            }
            for (j, s) in sums.iter().enumerate() {
                let cat = part.category(j, variables);
                out.push(row(part, variables, cat, false, s, &totals, pop_total));
            }
        }
        if mm.has_unknown {
            let mut s = (0.0, 0.0, 0.0, mm.population[mm.known]);
            for k in (0..cells).filter(|&k| mm.category[k] as usize == mm.known) {
                s.0 += c.rows[k];
                s.1 += c.d[k];
                s.2 += c.d[k] * g[k];
            }
            let none = crate::codebook::Category {
                key: String::new(),
                label: String::new(),
            };
            out.push(row(m, variables, none, true, &s, &totals, pop_total));
        }
    }
    out
}

fn row(
    m: &crate::codebook::weighting::Margin,
    variables: &[Variable],
    cat: crate::codebook::Category,
    unknown: bool,
    s: &(f64, f64, f64, f64),
    totals: &Shares,
    pop_total: f64,
) -> MarginRow {
    MarginRow {
        variable: m.name(variables),
        variable_label: m.label(variables),
        category: cat.key,
        category_label: cat.label,
        unknown,
        n: s.0 as u64,
        unweighted: s.0 / totals.n,
        design_weighted: s.1 / totals.d,
        weighted: s.2 / totals.w,
        population: s.3 / pop_total,
    }
}
