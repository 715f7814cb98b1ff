//! Calibration of design weights to population figures, as R `survey` 4.1 does it:
//! `postStratify` (g = N_c / N̂_c per joint cell), and `calibrate` with `calfun = "linear"`
//! (GREG), `"raking"` and `"logit"`, on the model R builds (`~ a + b:c + d`: an intercept and the
//! indicators of every category but a reference one per margin), with `calibrate()`'s `trim`.
//!
//! Everything here is a function of per-cell totals: the adjustment g depends only on the
//! respondent's calibration cell (the joint levels of the calibration variables), so one pass
//! over the data, keeping sums per (unit, cell), is enough. Only cells with respondents exist.

mod diagnostics;
mod model;
mod solve;

pub use diagnostics::{diagnostics, MarginRow, WeightingReport, WeightingWarning};
pub use model::{MarginModel, Model};

pub use super::accumulate::CellTotals;
use super::accumulate::Sums;
use crate::codebook::weighting::Method;
use crate::codebook::{Variable, Weighting};
use crate::stats::cells::CellAxis;
use solve::Problem;

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
        "weighting: respondents in {variable} = {category}, which the population file gives a count of 0; correct the count, or merge the category with a neighbour (a recode)"
    )]
    NoPopulation { variable: String, category: String },
    #[error(
        "weighting: no convergence in {iterations} iterations: {variable} = {category} is still {misfit:.3e} (relative) from its population{why}"
    )]
    NoConvergence {
        iterations: u32,
        misfit: f64,
        variable: String,
        category: String,
        why: String,
    },
    #[error(
        "weighting: no solution with g within the bounds [{lower}, {upper}] after {iterations} iterations: {variable} = {category} is still {misfit:.3e} (relative) from its population{needed}; {remedy}"
    )]
    Infeasible {
        iterations: u32,
        lower: f64,
        upper: f64,
        variable: String,
        category: String,
        misfit: f64,
        needed: String,
        remedy: &'static str,
    },
    #[error("weighting: the calibration equations are singular ({0})")]
    Singular(String),
}

/// A solved calibration: the adjustment per cell and what the variance needs.
#[derive(Debug, Clone)]
pub struct Fit {
    pub method: Method,
    /// g = final weight / design weight, per calibration cell (after trimming).
    pub g: Vec<f64>,
    /// The design weights were on another scale than the population (a mean-1 weight) and were
    /// multiplied by this first (1 otherwise); g / scale is the adjustment reported and bounded.
    pub scale: f64,
    pub model: Model,
    /// (Σ_c D_c x_c x_c')⁻¹, D_c the cell's design-weight total (p × p).
    minv: Vec<f64>,
    /// Newton steps (and halvings) taken, IPF sweeps included (0 for closed forms).
    pub iterations: u32,
    /// The largest |weighted total − population| / population over every category, after
    /// calibration (before trimming).
    pub misfit: f64,
    /// Per cell: whether trimming set its g to a bound.
    pub trimmed: Vec<bool>,
}

impl Fit {
    /// The residual fits f = x_c'B per cell (cells × k) for k linearisation variables whose
    /// per-cell totals (with final weights) are `z` (cells × k): B = M⁻¹ Σ_c x_c Z_c / g_c.
    pub fn residual_coefficients(&self, z: &[f64], k: usize) -> Vec<f64> {
        let (cells, p) = (self.g.len(), self.model.p);
        let mut rhs = vec![0.0; p * k];
        for c in 0..cells {
            for a in 0..k {
                let zc = z[c * k + a];
                if zc == 0.0 {
                    continue;
                }
                let u = zc / self.g[c];
                for j in self.model.row(c) {
                    rhs[j * k + a] += u;
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
            for a in 0..k {
                f[c * k + a] = self.model.row(c).map(|j| b[j * k + a]).sum();
            }
        }
        f
    }
}

/// The design weights are scaled to the population total first when the two are on different
/// scales (more than a factor 2 apart: a weight with mean 1, or a population in percentages);
/// raking's and linear calibration's weights do not depend on it, and g and its bounds then
/// describe the adjustment rather than the scale.
fn scale_of(population: f64, design: f64) -> f64 {
    let ratio = population / design;
    if (0.5..=2.0).contains(&ratio) {
        1.0
    } else {
        ratio
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
    let fit = calibrate(
        spec,
        variables,
        &sums.layout.cells,
        &sums.cell_keys,
        &sums.cell_totals(),
    )?;
    let report = diagnostics(spec, variables, &fit, &sums.all, &sums.design.subunit_cell);
    sums.rescale(&fit.g);
    sums.design.calibration = Some(fit);
    Ok(report)
}

/// Calibrate: the adjustment per cell for the cells with these keys and design-weight totals.
pub fn calibrate(
    spec: &Weighting,
    variables: &[Variable],
    axis: &CellAxis,
    keys: &[u128],
    cells: &[CellTotals],
) -> Result<Fit, WeightingError> {
    let model = model::build(spec, variables, axis, keys, cells)?;
    let d: Vec<f64> = cells.iter().map(|c| c.weight).collect();
    let minv = solve::inverse(&model.crossproduct(&d, |_| 1.0), model.p).ok_or_else(|| {
        WeightingError::Singular("the calibration variables are collinear".into())
    })?;
    let scale = scale_of(spec.total, d.iter().sum());
    let (g, iterations) = weights(spec, variables, &model, &minv, &d, scale)?;
    let misfit = largest_misfit(&model, &d, &g).0;
    let (g, trimmed) = match spec.trim {
        Some((lo, hi)) => {
            let relative: Vec<f64> = g.iter().map(|x| x / scale).collect();
            let (t, trimmed) = solve::trim(&relative, &d, (lo, hi));
            (t.into_iter().map(|x| x * scale).collect(), trimmed)
        }
        None => (g, vec![false; d.len()]),
    };
    Ok(Fit {
        method: spec.method,
        g,
        scale,
        model,
        minv,
        iterations,
        misfit,
        trimmed,
    })
}

/// g per cell (relative to the design weights as given) and the iterations it took.
fn weights(
    spec: &Weighting,
    variables: &[Variable],
    model: &Model,
    minv: &[f64],
    d: &[f64],
    scale: f64,
) -> Result<(Vec<f64>, u32), WeightingError> {
    let p = model.p;
    match (spec.method, spec.bounds) {
        (Method::Poststratify, _) => {
            let g = (0..d.len())
                .map(|c| model.row(c).next().map_or(0.0, |j| model.t[j]) / d[c])
                .collect();
            return Ok((g, 0));
        }
        (Method::Linear, None) => {
            let total = model.totals(d, |_| 1.0);
            let rhs: Vec<f64> = model.t.iter().zip(&total).map(|(a, b)| a - b).collect();
            let lambda: Vec<f64> = (0..p)
                .map(|i| (0..p).map(|j| minv[i * p + j] * rhs[j]).sum())
                .collect();
            let g = (0..d.len()).map(|c| 1.0 + model.eta(c, &lambda)).collect();
            return Ok((g, 0));
        }
        _ => {}
    }
    let scaled: Vec<f64> = d.iter().map(|x| x * scale).collect();
    let problem = Problem {
        model,
        d: &scaled,
        method: spec.method,
        bounds: spec.bounds,
        epsilon: spec.epsilon,
        max_iterations: spec.max_iterations,
    };
    let mut sol = problem.newton(vec![0.0; p], 1);
    if !(sol.measure < spec.epsilon) && spec.method == Method::Rake && spec.bounds.is_none() {
        // IPF converges wherever raking can meet the margins; Newton then finishes from there.
        let ipf = problem.ipf(50 * spec.max_iterations);
        let more = problem.newton(ipf.lambda, sol.iterations + ipf.iterations);
        if more.measure < sol.measure || !sol.measure.is_finite() {
            sol = more;
        }
    }
    if sol.measure < spec.epsilon && sol.g.iter().all(|x| x.is_finite()) {
        return Ok((
            sol.g.into_iter().map(|x| x * scale).collect(),
            sol.iterations,
        ));
    }
    Err(failure(spec, variables, &problem, sol))
}

/// Why no solution was found: bounds that leave none (with the range raking needs), or margins
/// that cannot be met together.
fn failure(
    spec: &Weighting,
    variables: &[Variable],
    problem: &Problem,
    sol: solve::Solution,
) -> WeightingError {
    let g: Vec<f64> = sol
        .g
        .iter()
        .map(|x| if x.is_finite() { *x } else { 0.0 })
        .collect();
    let (misfit, margin, category) = largest_misfit(problem.model, problem.d, &g);
    let m = &spec.margins[margin];
    let category = if category == problem.model.margins[margin].known {
        "unknown".to_string()
    } else {
        m.category(category, variables).label
    };
    if let Some((lower, upper)) = spec.bounds {
        let free = Problem {
            method: Method::Rake,
            bounds: None,
            ..*problem
        };
        let mut raked = free.newton(vec![0.0; problem.model.p], 1);
        if !(raked.measure < spec.epsilon) {
            raked = free.newton(free.ipf(50 * spec.max_iterations).lambda, 1);
        }
        let needed = if raked.measure < spec.epsilon {
            let lo = raked.g.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = raked.g.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            format!(
                "; raking without bounds gives g from {} to {}",
                crate::text::num(round3(lo)),
                crate::text::num(round3(hi))
            )
        } else {
            String::new()
        };
        return WeightingError::Infeasible {
            iterations: sol.iterations,
            lower,
            upper,
            variable: m.name(variables),
            category,
            misfit,
            needed,
            remedy: if sol.stalled {
                "the bounds leave no solution: widen them, or merge small categories (a recode)"
            } else {
                "widen the bounds, merge small categories (a recode), or raise max_iterations"
            },
        };
    }
    WeightingError::NoConvergence {
        iterations: sol.iterations,
        misfit,
        variable: m.name(variables),
        category,
        why: if spec.method == Method::Rake {
            "; neither Newton's method nor iterative proportional fitting can meet every margin at once, so the margins contradict where the respondents are (a category whose respondents all share a category of another margin?): merge categories (a recode), or check the population file".into()
        } else {
            "; try more max_iterations, or merging small categories".into()
        },
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// The largest |calibrated total − population| / population over every category of every
/// margin, with the margin and category where it is.
fn largest_misfit(model: &Model, d: &[f64], g: &[f64]) -> (f64, usize, usize) {
    let mut worst = (0.0, 0, 0);
    for (k, mm) in model.margins.iter().enumerate() {
        let mut totals = vec![0.0; mm.categories()];
        for c in 0..d.len() {
            totals[mm.category[c] as usize] += d[c] * g[c];
        }
        for (j, (got, want)) in totals.iter().zip(&mm.population).enumerate() {
            let r = if *want == 0.0 {
                got.abs()
            } else {
                (got - want).abs() / want
            };
            if !(r <= worst.0) {
                worst = (r, k, j);
            }
        }
    }
    worst
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codebook::Codebook;

    /// A codebook raking a (2 codes) and b (3 codes) to these margins, and its cell axis.
    fn spec(extra: &str, margins: &str) -> (Codebook, CellAxis, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("pop.csv"), margins).unwrap();
        let text = format!(
            "[weighting]\nmethod = \"rake\"\nmargins = \"pop.csv\"\nvariables = [\"a\", \"b\"]\n{extra}\n\
             [[variables]]\nname = \"a\"\ntype = \"categorical\"\nvalues = [{{ code = \"1\" }}, {{ code = \"2\" }}]\n\
             [[variables]]\nname = \"b\"\ntype = \"categorical\"\nvalues = [{{ code = \"1\" }}, {{ code = \"2\" }}, {{ code = \"3\" }}]\n"
        );
        let cb = Codebook::parse_at(&text, &[], dir.path()).unwrap();
        let axis = CellAxis::new(vec![0, 1], vec![2, 3]);
        (cb, axis, dir)
    }

    const MARGINS: &str = "variable,code,count\na,1,600\na,2,400\nb,1,200\nb,2,300\nb,3,500\n";

    /// The six cells (a × b, first slowest) with these design-weight totals.
    fn cells(axis: &CellAxis, d: [f64; 6]) -> (Vec<u128>, Vec<CellTotals>) {
        let keys = (0..6)
            .map(|c| {
                let (a, b) = (c / 3, c % 3);
                (a * (axis.levels[1] + 1) + b) as u128
            })
            .collect();
        let totals = d
            .iter()
            .map(|&w| CellTotals {
                rows: 10.0,
                weight: w,
            })
            .collect();
        (keys, totals)
    }

    fn weights(fit: &Fit, d: &[CellTotals]) -> Vec<f64> {
        fit.g.iter().zip(d).map(|(g, c)| g * c.weight).collect()
    }

    #[test]
    fn raking_does_not_depend_on_the_scale_of_the_design_weights() {
        let (cb, axis, _dir) = spec("", MARGINS);
        let w = cb.weighting.as_ref().unwrap();
        // Design weights that sum to the population, and the same with mean 1 (sum 1000 / 33.7).
        let d = [180.0, 120.0, 300.0, 40.0, 160.0, 200.0];
        let (keys, big) = cells(&axis, d);
        let (_, small) = cells(&axis, d.map(|x| x / 33.7));
        let a = calibrate(w, &cb.variables, &axis, &keys, &big).unwrap();
        let b = calibrate(w, &cb.variables, &axis, &keys, &small).unwrap();
        assert_eq!(a.scale, 1.0);
        assert!((b.scale - 33.7).abs() < 1e-12, "{}", b.scale);
        for (x, y) in weights(&a, &big).iter().zip(weights(&b, &small)) {
            assert!((x - y).abs() < 1e-9 * x, "{x} {y}");
        }
        // g is reported relative to the design weights scaled to the population.
        for (ga, gb) in a.g.iter().zip(&b.g) {
            assert!((ga - gb / b.scale).abs() < 1e-9, "{ga} {gb}");
        }
    }

    #[test]
    fn iterative_proportional_fitting_takes_over_when_newton_runs_out() {
        let (cb, axis, _dir) = spec("max_iterations = 1", MARGINS);
        let (full, _, _) = spec("", MARGINS);
        let d = [300.0, 5.0, 20.0, 2.0, 150.0, 400.0];
        let (keys, cells) = cells(&axis, d);
        let one = calibrate(
            cb.weighting.as_ref().unwrap(),
            &cb.variables,
            &axis,
            &keys,
            &cells,
        )
        .unwrap();
        let all = calibrate(
            full.weighting.as_ref().unwrap(),
            &full.variables,
            &axis,
            &keys,
            &cells,
        )
        .unwrap();
        assert!(
            one.iterations > 1,
            "IPF sweeps and Newton steps: {}",
            one.iterations
        );
        for (x, y) in weights(&one, &cells).iter().zip(weights(&all, &cells)) {
            assert!((x - y).abs() < 1e-8 * x, "{x} {y}");
        }
    }

    #[test]
    fn margins_that_cannot_be_met_together_say_so() {
        // Every respondent of b = 3 is in a = 1, but the population puts more people in b = 3
        // than in a = 1: no positive weights meet both margins.
        let (cb, axis, _dir) = spec(
            "",
            "variable,code,count\na,1,300\na,2,700\nb,1,200\nb,2,300\nb,3,500\n",
        );
        let (keys, cells) = cells(&axis, [10.0, 10.0, 10.0, 10.0, 10.0, 0.0]);
        let (keys, cells) = (keys[..5].to_vec(), cells[..5].to_vec());
        let e = calibrate(
            cb.weighting.as_ref().unwrap(),
            &cb.variables,
            &axis,
            &keys,
            &cells,
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("neither Newton's method nor iterative proportional fitting can meet every margin at once"),
            "{e}"
        );
    }

    #[test]
    fn trimming_shares_the_excess_in_proportion_to_the_design_weights() {
        let (g, trimmed) = solve::trim(&[0.2, 1.0, 4.0, 1.0], &[10.0, 20.0, 5.0, 30.0], (0.5, 3.0));
        assert_eq!(trimmed, vec![true, false, true, false]);
        // Trimmed off: (0.2 - 0.5)·10 + (4 - 3)·5 = 2; shared over 20 + 30.
        assert_eq!(g, vec![0.5, 1.04, 3.0, 1.04]);
        let total = |g: &[f64]| {
            g.iter()
                .zip([10.0, 20.0, 5.0, 30.0])
                .map(|(g, d)| g * d)
                .sum::<f64>()
        };
        assert!((total(&g) - total(&[0.2, 1.0, 4.0, 1.0])).abs() < 1e-12);
    }
}
