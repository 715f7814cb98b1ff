//! What a report says about the weighting: a representativeness table (per margin category:
//! respondents, unweighted %, design-weighted %, weighted %, population %) and the weights'
//! spread (min, max, mean, CV, Kish's design effect of weighting), how many respondents sit at
//! a bound, the iterations and the largest remaining misfit.

use super::{cell_levels, Fit};
use crate::codebook::weighting::Targets;
use crate::codebook::{Variable, Weighting};
use crate::stats::accumulate::{AllRows, ALL_MAX, ALL_MIN, ALL_ROWS, ALL_W, ALL_W2};
use serde::Serialize;

/// One category of one weighting variable.
#[derive(Debug, Clone, Serialize)]
pub struct MarginRow {
    pub variable: String,
    pub variable_label: String,
    pub category: String,
    pub category_label: String,
    /// Respondents in the category.
    pub n: u64,
    /// Shares (0–1): unweighted, with the design weights, with the final weights, population.
    pub unweighted: f64,
    pub design_weighted: f64,
    pub weighted: f64,
    pub population: f64,
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
    /// The adjustment g = final / design weight.
    pub g_min: f64,
    pub g_max: f64,
    /// Respondents whose g is at a bound (within 1e-9 relative).
    pub at_bounds: u64,
    pub bounds: Option<(f64, f64)>,
    pub iterations: u32,
    /// The largest |weighted margin − population| / population.
    pub max_misfit: f64,
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
    let present = |k: &usize| c.rows[*k] > 0.0;
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    let (mut g_lo, mut g_hi) = (f64::INFINITY, f64::NEG_INFINITY);
    let mut at_bounds = 0.0;
    for k in (0..cells).filter(present) {
        // g > 0 keeps the order of the design weights; a negative g (linear) reverses it.
        let (a, b) = (g[k] * c.d_min[k], g[k] * c.d_max[k]);
        lo = lo.min(a.min(b));
        hi = hi.max(a.max(b));
        g_lo = g_lo.min(g[k]);
        g_hi = g_hi.max(g[k]);
        if let Some((l, u)) = spec.bounds {
            if (g[k] - l).abs() <= 1e-9 * l.max(1.0) || (g[k] - u).abs() <= 1e-9 * u {
                at_bounds += c.rows[k];
            }
        }
    }
    WeightingReport {
        method: spec.method.name(),
        variables: spec
            .variables
            .iter()
            .map(|&v| variables[v].name.clone())
            .collect(),
        population_file: spec.file.display().to_string(),
        margins: margins(spec, variables, &c, g),
        respondents: n as u64,
        weight_min: lo,
        weight_max: hi,
        weight_mean: mean,
        weight_cv: var.sqrt() / mean,
        deff_weighting: n * w2 / (w * w),
        g_min: g_lo,
        g_max: g_hi,
        at_bounds: at_bounds as u64,
        bounds: spec.bounds,
        iterations: fit.iterations,
        max_misfit: fit.misfit,
    }
}

fn margins(spec: &Weighting, variables: &[Variable], c: &CellSums, g: &[f64]) -> Vec<MarginRow> {
    let levels: Vec<usize> = spec
        .variables
        .iter()
        .map(|&v| variables[v].groups().map_or(0, |g| g.len()))
        .collect();
    let cells = g.len();
    let totals = |f: &dyn Fn(usize) -> f64| -> f64 { (0..cells).map(f).sum() };
    let (n, d, w) = (
        totals(&|k| c.rows[k]),
        totals(&|k| c.d[k]),
        totals(&|k| c.d[k] * g[k]),
    );
    let mut out = Vec::new();
    for (i, &v) in spec.variables.iter().enumerate() {
        let var = &variables[v];
        let population: Vec<f64> = match &spec.targets {
            Targets::Margins(m) => m[i].clone(),
            Targets::Cells(counts) => {
                let mut p = vec![0.0; levels[i]];
                for (k, x) in counts.iter().enumerate() {
                    p[cell_levels(k, &levels)[i]] += x;
                }
                p
            }
        };
        let pop_total: f64 = population.iter().sum();
        for (l, cat) in var.groups().unwrap_or_default().into_iter().enumerate() {
            let mine = |k: &usize| cell_levels(*k, &levels)[i] == l;
            let sum = |f: &dyn Fn(usize) -> f64| -> f64 { (0..cells).filter(mine).map(f).sum() };
            let rows = sum(&|k| c.rows[k]);
            out.push(MarginRow {
                variable: var.name.clone(),
                variable_label: var.label.clone(),
                category: cat.key,
                category_label: cat.label,
                n: rows as u64,
                unweighted: rows / n,
                design_weighted: sum(&|k| c.d[k]) / d,
                weighted: sum(&|k| c.d[k] * g[k]) / w,
                population: population[l] / pop_total,
            });
        }
    }
    out
}
