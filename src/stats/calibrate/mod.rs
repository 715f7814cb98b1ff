//! Calibration of design weights to population figures, as R `survey` 4.1 does it:
//! `postStratify` (g = N_c / N̂_c per joint cell), and `calibrate` with `calfun = "linear"`
//! (GREG), `"raking"` and `"logit"`, by the Newton iteration of R's `grake` (Deville and Särndal;
//! Deville, Särndal and Sautory), on the model matrix R builds (`~ a + b + c`: an intercept and
//! the indicators of every category but the first of each variable).
//!
//! Everything here is a function of per-cell totals: the adjustment g depends only on the
//! respondent's calibration cell (the joint levels of the calibration variables), so one pass
//! over the data, keeping sums per (unit, cell), is enough.

mod diagnostics;

pub use diagnostics::{diagnostics, MarginRow, WeightingReport};

pub use super::accumulate::CellTotals;
use super::accumulate::Sums;
use super::linalg::{pinv_symmetric, solve};
use crate::codebook::weighting::{cell_name, Method, Targets};
use crate::codebook::{Variable, Weighting};

/// Why calibration failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WeightingError {
    #[error(
        "weighting: no respondents in {variable} = {category}, which the population has ({count}); merge it with a neighbouring category (a recode) or leave the variable out of [weighting] variables"
    )]
    EmptyCategory {
        variable: String,
        category: String,
        count: String,
    },
    #[error(
        "weighting: no respondents in the cell {cell}, which the population has ({count}); post-stratification needs every cell: merge categories (a recode) or rake on the margins instead (method = \"rake\")"
    )]
    EmptyCell { cell: String, count: String },
    #[error(
        "weighting: no convergence in {iterations} iterations: {variable} = {category} is still {misfit:.3e} (relative) from its population; try wider bounds, more max_iterations, or merging small categories"
    )]
    NoConvergence {
        iterations: u32,
        misfit: f64,
        variable: String,
        category: String,
    },
    #[error(
        "weighting: no solution after {iterations} iterations: the adjustments g left every finite value{bounds}; try wider bounds or merging small categories"
    )]
    Infeasible { iterations: u32, bounds: String },
    #[error("weighting: the calibration equations are singular ({0})")]
    Singular(String),
}

/// A solved calibration: the adjustment per cell and what the variance needs.
#[derive(Debug, Clone)]
pub struct Fit {
    pub method: Method,
    /// g = final weight / design weight, per calibration cell.
    pub g: Vec<f64>,
    /// The model row of each cell (cells × p, row-major).
    x: Vec<f64>,
    p: usize,
    /// (Σ_c D_c x_c x_c')⁻¹, D_c the cell's design-weight total (p × p).
    minv: Vec<f64>,
    /// Newton steps taken (0 for closed forms).
    pub iterations: u32,
    /// The largest |weighted margin − population| / population after calibration.
    pub misfit: f64,
}

impl Fit {
    /// The residual fits f = x_c'B per cell (cells × k) for k linearisation variables whose
    /// per-cell totals (with final weights) are `z` (cells × k): B = M⁻¹ Σ_c x_c Z_c / g_c.
    pub fn residual_coefficients(&self, z: &[f64], k: usize) -> Vec<f64> {
        let (cells, p) = (self.g.len(), self.p);
        let mut rhs = vec![0.0; p * k];
        for c in 0..cells {
            let x = &self.x[c * p..(c + 1) * p];
            for a in 0..k {
                let zc = z[c * k + a];
                if zc == 0.0 {
                    continue;
                }
                let u = zc / self.g[c];
                for j in 0..p {
                    rhs[j * k + a] += x[j] * u;
                }
            }
        }
        let mut b = vec![0.0; p * k];
        for i in 0..p {
            for j in 0..p {
                let m = self.minv[i * p + j];
                if m != 0.0 {
                    for a in 0..k {
                        b[i * k + a] += m * rhs[j * k + a];
                    }
                }
            }
        }
        let mut f = vec![0.0; cells * k];
        for c in 0..cells {
            let x = &self.x[c * p..(c + 1) * p];
            for a in 0..k {
                f[c * k + a] = (0..p).map(|j| x[j] * b[j * k + a]).sum();
            }
        }
        f
    }
}

/// The levels of each calibration variable.
fn levels(spec: &Weighting, variables: &[Variable]) -> Vec<usize> {
    spec.variables
        .iter()
        .map(|&v| variables[v].groups().map_or(0, |g| g.len()))
        .collect()
}

/// The level of each variable in joint cell `c` (first variable slowest).
fn cell_levels(mut c: usize, levels: &[usize]) -> Vec<usize> {
    let mut out = vec![0; levels.len()];
    for k in (0..levels.len()).rev() {
        out[k] = c % levels[k];
        c /= levels[k];
    }
    out
}

/// The model matrix (cells × p) and population totals (p): cell indicators for
/// post-stratification, else an intercept and the non-reference categories of each variable.
fn model(spec: &Weighting, levels: &[usize]) -> (Vec<f64>, usize, Vec<f64>) {
    let cells: usize = levels.iter().product();
    match &spec.targets {
        Targets::Cells(counts) => {
            let mut x = vec![0.0; cells * cells];
            for c in 0..cells {
                x[c * cells + c] = 1.0;
            }
            (x, cells, counts.clone())
        }
        Targets::Margins(margins) => {
            let p = 1 + levels.iter().map(|l| l - 1).sum::<usize>();
            let mut x = vec![0.0; cells * p];
            for c in 0..cells {
                x[c * p] = 1.0;
                let mut j = 1;
                for (k, l) in cell_levels(c, levels).into_iter().enumerate() {
                    if l > 0 {
                        x[c * p + j + l - 1] = 1.0;
                    }
                    j += levels[k] - 1;
                }
            }
            let mut t = vec![margins[0].iter().sum()];
            for m in margins {
                t.extend(&m[1..]);
            }
            (x, p, t)
        }
    }
}

/// Every category (or cell) the population has must have respondents.
fn check_coverage(
    spec: &Weighting,
    variables: &[Variable],
    levels: &[usize],
    cells: &[CellTotals],
) -> Result<(), WeightingError> {
    match &spec.targets {
        Targets::Cells(counts) => {
            if let Some(c) = (0..cells.len()).find(|&c| !(cells[c].weight > 0.0)) {
                return Err(WeightingError::EmptyCell {
                    cell: cell_name(c, &spec.variables, variables),
                    count: crate::text::num(counts[c]),
                });
            }
        }
        Targets::Margins(margins) => {
            for (k, &v) in spec.variables.iter().enumerate() {
                for (l, count) in margins[k].iter().enumerate() {
                    let w: f64 = (0..cells.len())
                        .filter(|&c| cell_levels(c, levels)[k] == l)
                        .map(|c| cells[c].weight)
                        .sum();
                    if !(w > 0.0) {
                        return Err(WeightingError::EmptyCategory {
                            variable: variables[v].name.clone(),
                            category: variables[v].groups().unwrap_or_default()[l].label.clone(),
                            count: crate::text::num(*count),
                        });
                    }
                }
            }
        }
    }
    Ok(())
}

/// The calibration function of R's `cal.*`: g = 1 + Fm1(u), and its derivative dF, written as
/// R writes them (so that the Newton steps, not only their limit, are R's).
fn calfun(method: Method, bounds: Option<(f64, f64)>, u: f64) -> (f64, f64) {
    let (lo, hi) = bounds.unwrap_or((f64::NEG_INFINITY, f64::INFINITY));
    match method {
        Method::Logit => {
            let a = (hi - lo) / ((hi - 1.0) * (1.0 - lo));
            let e = (a * u).exp();
            let den = hi - 1.0 + (1.0 - lo) * e;
            let g = (lo * (hi - 1.0) + hi * (1.0 - lo) * e) / den;
            let d = hi * (1.0 - lo) * e * a / den
                - (lo * (hi - 1.0) + hi * (1.0 - lo) * e) * ((1.0 - lo) * e * a) / (den * den);
            (g, d)
        }
        Method::Rake => {
            let e = u.exp();
            let inside = u < hi - 1.0 && u > lo - 1.0;
            (e.clamp(lo, hi), if inside { e } else { 0.0 })
        }
        Method::Linear | Method::Poststratify => {
            let inside = u < hi - 1.0 && u > lo - 1.0;
            ((u + 1.0).clamp(lo, hi), if inside { 1.0 } else { 0.0 })
        }
    }
}

/// Calibrate the design weights behind `sums`: solve the adjustment g per calibration cell, turn
/// every design-weight sum into a final-weight sum and keep the fit on the design, where the
/// variance reads it.
pub fn calibrate_sums(
    spec: &Weighting,
    variables: &[Variable],
    sums: &mut Sums,
) -> Result<WeightingReport, WeightingError> {
    let fit = calibrate(spec, variables, &sums.cell_totals())?;
    let report = diagnostics(spec, variables, &fit, &sums.all, &sums.design.subunit_cell);
    sums.rescale(&fit.g);
    sums.design.calibration = Some(fit);
    Ok(report)
}

/// Calibrate: the adjustment per cell for cells with these design-weight totals.
pub fn calibrate(
    spec: &Weighting,
    variables: &[Variable],
    cells: &[CellTotals],
) -> Result<Fit, WeightingError> {
    let levels = levels(spec, variables);
    check_coverage(spec, variables, &levels, cells)?;
    let (x, p, t) = model(spec, &levels);
    let d: Vec<f64> = cells.iter().map(|c| c.weight).collect();
    let m = weighted_crossproduct(&x, p, &d, None);
    let minv = invert(&m, p)?;
    let (g, iterations) = match (spec.method, spec.bounds) {
        (Method::Poststratify, _) => {
            let g = (0..cells.len()).map(|c| t[c] / d[c]).collect();
            (g, 0)
        }
        (Method::Linear, None) => {
            let total = weighted_total(&x, p, &d, |_| 1.0);
            let rhs: Vec<f64> = t.iter().zip(&total).map(|(a, b)| a - b).collect();
            let lambda = mat_vec(&minv, &rhs, p);
            let g = (0..cells.len())
                .map(|c| 1.0 + dot(&x[c * p..(c + 1) * p], &lambda))
                .collect();
            (g, 0)
        }
        _ => newton(spec, &x, p, &t, &d)?,
    };
    let misfit = largest_misfit(spec, variables, &levels, cells, &g);
    // NaN (g left every finite value) is a failure too, hence the negated comparison.
    if misfit.0.is_nan() || g.iter().any(|x| !x.is_finite()) {
        return Err(WeightingError::Infeasible {
            iterations,
            bounds: spec.bounds.map_or(String::new(), |(l, u)| {
                format!(" (bounds [{l}, {u}] may leave no solution)")
            }),
        });
    }
    if !(misfit.0 <= spec.epsilon) && spec.method != Method::Poststratify {
        return Err(WeightingError::NoConvergence {
            iterations,
            misfit: misfit.0,
            variable: misfit.1,
            category: misfit.2,
        });
    }
    Ok(Fit {
        method: spec.method,
        g,
        x,
        p,
        minv,
        iterations,
        misfit: misfit.0,
    })
}

/// R's `grake`: Newton steps on λ from 0, with step halving when g leaves the domain, and
/// R's rescaling of the design weights when every population total is over 20 times the
/// sample's (the bounds then act on g after that rescaling, as in R).
fn newton(
    spec: &Weighting,
    x: &[f64],
    p: usize,
    t: &[f64],
    d: &[f64],
) -> Result<(Vec<f64>, u32), WeightingError> {
    let cells = d.len();
    let mut d = d.to_vec();
    let sample_total = weighted_total(x, p, &d, |_| 1.0);
    let scales: Vec<f64> = t.iter().zip(&sample_total).map(|(a, b)| a / b).collect();
    let scale = if scales.iter().all(|&s| s > 20.0) {
        let s = scales.iter().sum::<f64>() / scales.len() as f64;
        d.iter_mut().for_each(|w| *w *= s);
        s
    } else {
        1.0
    };
    let eval = |eta: &[f64]| -> (Vec<f64>, Vec<f64>) {
        (0..cells)
            .map(|c| calfun(spec.method, spec.bounds, dot(&x[c * p..(c + 1) * p], eta)))
            .unzip()
    };
    let mut eta = vec![0.0; p];
    let (mut g, mut deriv) = eval(&eta);
    let mut iter = 1;
    loop {
        let tmat = weighted_crossproduct(x, p, &d, Some(&deriv));
        let fitted = weighted_total(x, p, &d, |c| g[c]);
        let misfit: Vec<f64> = t.iter().zip(&fitted).map(|(a, b)| a - b).collect();
        let step = mat_vec(&pinv_symmetric(&tmat, p, 256.0 * f64::EPSILON), &misfit, p);
        for (e, s) in eta.iter_mut().zip(&step) {
            *e += s;
        }
        (g, deriv) = eval(&eta);
        let mut half = step;
        while iter < spec.max_iterations && g.iter().chain(&deriv).any(|v| !v.is_finite()) {
            iter += 1;
            half.iter_mut().for_each(|s| *s /= 2.0);
            for (e, s) in eta.iter_mut().zip(&half) {
                *e -= s;
            }
            (g, deriv) = eval(&eta);
        }
        let fitted = weighted_total(x, p, &d, |c| g[c]);
        let worst = t
            .iter()
            .zip(&fitted)
            .map(|(a, b)| (a - b).abs() / a.abs())
            .fold(0.0, f64::max);
        if worst < spec.epsilon {
            break;
        }
        iter += 1;
        if iter > spec.max_iterations {
            break; // reported by the caller with the worst margin named
        }
    }
    Ok((g.into_iter().map(|v| v * scale).collect(), iter))
}

/// Σ_c d_c w_c x_c x_c' (p × p); w = 1 when `w` is none.
fn weighted_crossproduct(x: &[f64], p: usize, d: &[f64], w: Option<&[f64]>) -> Vec<f64> {
    let mut m = vec![0.0; p * p];
    for c in 0..d.len() {
        let dc = d[c] * w.map_or(1.0, |w| w[c]);
        if dc == 0.0 {
            continue;
        }
        let xc = &x[c * p..(c + 1) * p];
        for i in 0..p {
            if xc[i] != 0.0 {
                for j in 0..p {
                    m[i * p + j] += dc * xc[i] * xc[j];
                }
            }
        }
    }
    m
}

/// Σ_c d_c g(c) x_c.
fn weighted_total(x: &[f64], p: usize, d: &[f64], g: impl Fn(usize) -> f64) -> Vec<f64> {
    let mut out = vec![0.0; p];
    for c in 0..d.len() {
        let w = d[c] * g(c);
        for j in 0..p {
            out[j] += w * x[c * p + j];
        }
    }
    out
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn mat_vec(m: &[f64], v: &[f64], p: usize) -> Vec<f64> {
    (0..p).map(|i| dot(&m[i * p..(i + 1) * p], v)).collect()
}

fn invert(m: &[f64], p: usize) -> Result<Vec<f64>, WeightingError> {
    let mut identity = vec![0.0; p * p];
    for i in 0..p {
        identity[i * p + i] = 1.0;
    }
    solve(m, &identity, p)
        .ok_or_else(|| WeightingError::Singular("the calibration variables are collinear".into()))
}

/// The largest |calibrated total − population| / population over every category (cell) of
/// the population, with the variable and category where it is.
fn largest_misfit(
    spec: &Weighting,
    variables: &[Variable],
    levels: &[usize],
    cells: &[CellTotals],
    g: &[f64],
) -> (f64, String, String) {
    let mut worst = (0.0, String::new(), String::new());
    match &spec.targets {
        Targets::Cells(counts) => {
            for c in 0..cells.len() {
                let r = (cells[c].weight * g[c] - counts[c]).abs() / counts[c];
                if !(r <= worst.0) {
                    worst = (r, cell_name(c, &spec.variables, variables), String::new());
                }
            }
        }
        Targets::Margins(margins) => {
            for (k, &v) in spec.variables.iter().enumerate() {
                let mut totals = vec![0.0; levels[k]];
                for c in 0..cells.len() {
                    totals[cell_levels(c, levels)[k]] += cells[c].weight * g[c];
                }
                for (l, (got, want)) in totals.iter().zip(&margins[k]).enumerate() {
                    let r = (got - want).abs() / want;
                    if !(r <= worst.0) {
                        let label = variables[v].groups().unwrap_or_default()[l].label.clone();
                        worst = (r, variables[v].name.clone(), label);
                    }
                }
            }
        }
    }
    worst
}

/// The calibration cell of each joint combination of levels (first variable slowest).
pub fn cell_index(codes: &[u32], vars: &[usize], levels: &[usize]) -> Option<usize> {
    let mut c = 0;
    for (&v, &l) in vars.iter().zip(levels) {
        let code = codes[v];
        if code as usize >= l {
            return None;
        }
        c = c * l + code as usize;
    }
    Some(c)
}
