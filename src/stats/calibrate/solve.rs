//! Solving the calibration equations Σ_c d_c g_c x_c = t for g = F(x'λ).
//!
//! Newton's method of R's `grake` (Deville, Särndal and Sautory), with two additions that make it
//! converge wherever a solution exists: a step is halved while g leaves the finite values (as R
//! does) *or the misfit rises* (damping), and raking that still has not converged falls back to
//! iterative proportional fitting (R's `rake()`), which converges whenever the margins can be
//! met, and then finishes with Newton from where IPF got to.

use super::model::Model;
use crate::codebook::weighting::Method;
use crate::stats::linalg::{pinv_symmetric, solve};

/// The calibration function of R's `cal.*`: g = 1 + Fm1(u), and its derivative dF, written as
/// R writes them (so that the Newton steps, not only their limit, are R's).
pub(super) fn calfun(method: Method, bounds: Option<(f64, f64)>, u: f64) -> (f64, f64) {
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

/// The largest calibration misfit as R measures it: |t_j − T̂_j| / (1 + |t_j|) over the columns.
pub(super) fn measure(t: &[f64], fitted: &[f64]) -> f64 {
    t.iter()
        .zip(fitted)
        .map(|(a, b)| (a - b).abs() / (1.0 + a.abs()))
        .fold(0.0, |m, x| if x > m || x.is_nan() { x } else { m })
}

/// Σ_j ((t_j − T̂_j) / (1 + |t_j|))²: what a damped step must not make larger.
fn norm(t: &[f64], fitted: &[f64]) -> f64 {
    t.iter()
        .zip(fitted)
        .map(|(a, b)| ((a - b) / (1.0 + a.abs())).powi(2))
        .sum()
}

/// Parameters above this count are solved by Cholesky rather than R's Jacobi pseudo-inverse
/// (the same step when the matrix is non-singular; Jacobi costs too much for hundreds).
const JACOBI_MAX: usize = 64;

/// Solve H s = r for the Newton step: R's `ginv(H) r` for small models, Cholesky for large ones
/// (its pseudo-inverse when H is singular).
fn step(h: &[f64], r: &[f64], p: usize) -> Vec<f64> {
    if p > JACOBI_MAX {
        if let Some(s) = cholesky_solve(h, r, p) {
            return s;
        }
    }
    let pinv = pinv_symmetric(h, p, 256.0 * f64::EPSILON);
    (0..p)
        .map(|i| (0..p).map(|j| pinv[i * p + j] * r[j]).sum())
        .collect()
}

/// Solve A x = b for a symmetric positive definite A; `None` when it is not.
pub(super) fn cholesky_solve(a: &[f64], b: &[f64], p: usize) -> Option<Vec<f64>> {
    let l = cholesky(a, p)?;
    let mut y = b.to_vec();
    substitute(&l, &mut y, p);
    Some(y)
}

/// Solve L L' x = y in place, L the lower Cholesky factor.
fn substitute(l: &[f64], y: &mut [f64], p: usize) {
    for i in 0..p {
        for k in 0..i {
            y[i] -= l[i * p + k] * y[k];
        }
        y[i] /= l[i * p + i];
    }
    for i in (0..p).rev() {
        for k in i + 1..p {
            y[i] -= l[k * p + i] * y[k];
        }
        y[i] /= l[i * p + i];
    }
}

/// The lower Cholesky factor (row-major); `None` unless positive definite.
fn cholesky(a: &[f64], p: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; p * p];
    let scale = (0..p).map(|i| a[i * p + i]).fold(0.0, f64::max);
    for i in 0..p {
        for j in 0..=i {
            let s: f64 = (0..j).map(|k| l[i * p + k] * l[j * p + k]).sum();
            if i == j {
                let d = a[i * p + i] - s;
                if !(d > 1e-13 * scale) {
                    return None;
                }
                l[i * p + i] = d.sqrt();
            } else {
                l[i * p + j] = (a[i * p + j] - s) / l[j * p + j];
            }
        }
    }
    Some(l)
}

/// The inverse of the model's cross-product matrix (for the variance): Gaussian elimination for
/// small models (as before), Cholesky for large ones.
pub(super) fn inverse(m: &[f64], p: usize) -> Option<Vec<f64>> {
    let mut identity = vec![0.0; p * p];
    for i in 0..p {
        identity[i * p + i] = 1.0;
    }
    if p <= JACOBI_MAX {
        return solve(m, &identity, p);
    }
    let l = cholesky(m, p)?;
    let mut out = vec![0.0; p * p];
    for col in 0..p {
        let mut y: Vec<f64> = identity[col * p..(col + 1) * p].to_vec();
        substitute(&l, &mut y, p);
        for i in 0..p {
            out[i * p + col] = y[i];
        }
    }
    Some(out)
}

/// The outcome of an iteration: g relative to the weights it started from.
#[derive(Debug, Clone)]
pub(super) struct Solution {
    pub g: Vec<f64>,
    pub lambda: Vec<f64>,
    pub iterations: u32,
    /// R's measure of the remaining misfit.
    pub measure: f64,
    /// No step could lower the misfit any more (rather than running out of iterations).
    pub stalled: bool,
}

/// What the iteration needs.
pub(super) struct Problem<'a> {
    pub model: &'a Model,
    /// Starting weights per cell (design weights × scale).
    pub d: &'a [f64],
    pub method: Method,
    pub bounds: Option<(f64, f64)>,
    pub epsilon: f64,
    pub max_iterations: u32,
}

impl Problem<'_> {
    fn eval(&self, lambda: &[f64]) -> (Vec<f64>, Vec<f64>) {
        (0..self.d.len())
            .map(|c| calfun(self.method, self.bounds, self.model.eta(c, lambda)))
            .unzip()
    }

    fn fitted(&self, g: &[f64]) -> Vec<f64> {
        self.model.totals(self.d, |c| g[c])
    }

    /// Damped Newton from `lambda`: R's steps while they lower the misfit; a step that leaves the
    /// finite values or raises the misfit is halved (each halving counts as an iteration, as R
    /// counts its own). Stops when every equation is within epsilon, after `max_iterations`, or
    /// when 60 halvings cannot lower the misfit (the caller reads `measure`).
    pub fn newton(&self, mut lambda: Vec<f64>, mut iter: u32) -> Solution {
        let (t, p) = (&self.model.t, self.model.p);
        let (mut g, mut deriv) = self.eval(&lambda);
        let mut fitted = self.fitted(&g);
        let finite = |g: &[f64], d: &[f64]| g.iter().chain(d).all(|v| v.is_finite());
        loop {
            let h = self.model.crossproduct(self.d, |c| deriv[c]);
            let misfit: Vec<f64> = t.iter().zip(&fitted).map(|(a, b)| a - b).collect();
            let before = norm(t, &fitted);
            let mut s = step(&h, &misfit, p);
            let mut next: Vec<f64> = lambda.iter().zip(&s).map(|(l, s)| l + s).collect();
            let (mut ng, mut nd) = self.eval(&next);
            let mut nf = self.fitted(&ng);
            let mut halvings = 0;
            while iter < self.max_iterations
                && halvings < 60
                && !(finite(&ng, &nd) && norm(t, &nf) <= before)
            {
                iter += 1;
                halvings += 1;
                // R's arithmetic: back off half of the step from where it went.
                s.iter_mut().for_each(|x| *x /= 2.0);
                next.iter_mut().zip(&s).for_each(|(e, x)| *e -= x);
                (ng, nd) = self.eval(&next);
                nf = self.fitted(&ng);
            }
            let improved = finite(&ng, &nd) && norm(t, &nf) <= before;
            // Out of halvings, not of iterations: no step lowers the misfit.
            let stalled = !improved && iter < self.max_iterations;
            if improved {
                (lambda, g, deriv, fitted) = (next, ng, nd, nf);
            }
            let m = measure(t, &fitted);
            if m < self.epsilon || !improved {
                return Solution {
                    g,
                    lambda,
                    iterations: iter,
                    measure: m,
                    stalled,
                };
            }
            iter += 1;
            if iter > self.max_iterations {
                return Solution {
                    g,
                    lambda,
                    iterations: self.max_iterations,
                    measure: m,
                    stalled: false,
                };
            }
        }
    }

    /// Iterative proportional fitting (raking without bounds): each margin in turn, every
    /// category's cells multiplied by population / current total, kept as λ so that Newton can
    /// take over. At most `sweeps` sweeps; stops early when the misfit stops falling.
    pub fn ipf(&self, sweeps: u32) -> Solution {
        let model = self.model;
        let mut lambda = vec![0.0; model.p];
        let mut best = f64::INFINITY;
        let mut flat = 0;
        let mut done = 0;
        for _ in 0..sweeps {
            done += 1;
            for mm in &model.margins {
                let mut current = vec![0.0; mm.categories()];
                for c in 0..self.d.len() {
                    current[mm.category[c] as usize] += self.d[c] * model.eta(c, &lambda).exp();
                }
                let factor: Vec<f64> = mm
                    .population
                    .iter()
                    .zip(&current)
                    .map(|(&pop, &cur)| if cur > 0.0 { (pop / cur).ln() } else { 0.0 })
                    .collect();
                // log g_c gains factor[category]: the reference category's shift goes to the
                // intercept, the others' relative to it to their own columns.
                let reference = (0..mm.categories())
                    .find(|&j| mm.column[j] == super::model::NONE && mm.sample[j] > 0.0);
                let base = reference.map_or(0.0, |r| factor[r]);
                lambda[0] += base;
                for (j, &col) in mm.column.iter().enumerate() {
                    if col != super::model::NONE {
                        lambda[col as usize] += factor[j] - base;
                    }
                }
            }
            let g: Vec<f64> = (0..self.d.len())
                .map(|c| model.eta(c, &lambda).exp())
                .collect();
            let m = measure(&model.t, &self.fitted(&g));
            if m < self.epsilon {
                break;
            }
            if m < best * 0.999 {
                best = m;
                flat = 0;
            } else {
                flat += 1;
                if flat >= 50 {
                    break;
                }
            }
        }
        let g: Vec<f64> = (0..self.d.len())
            .map(|c| model.eta(c, &lambda).exp())
            .collect();
        Solution {
            measure: measure(&model.t, &self.fitted(&g)),
            g,
            lambda,
            iterations: done,
            stalled: flat >= 50,
        }
    }
}

/// `calibrate()`'s `trim = c(L, U)` on g: outside [L, U] set to the bound, the weight trimmed
/// off shared over the other cells in proportion to their design weight, once. Returns the
/// trimmed g and which cells were trimmed.
pub(super) fn trim(g: &[f64], d: &[f64], (lo, hi): (f64, f64)) -> (Vec<f64>, Vec<bool>) {
    let mut out: Vec<f64> = g.iter().map(|x| x.clamp(lo, hi)).collect();
    let outside: Vec<bool> = g.iter().map(|&x| x < lo || x > hi).collect();
    if !outside.iter().any(|&o| o) {
        return (g.to_vec(), outside);
    }
    let trimmed: f64 = (0..g.len()).map(|c| (g[c] - out[c]) * d[c]).sum();
    let rest: f64 = (0..g.len()).filter(|&c| !outside[c]).map(|c| d[c]).sum();
    for c in 0..g.len() {
        if !outside[c] {
            out[c] += trimmed / rest;
        }
    }
    (out, outside)
}
