//! Rao–Scott tests of independence for a two-way table, as R `survey`'s `svychisq`:
//! the second-order corrected F (R's default) and the first-order corrected chi-square.
//!
//! X² is Pearson's statistic of the weighted table rescaled to the number of rows; the design
//! effect matrix is Δ = (C′D⁻¹C/N)⁻¹ (C′D⁻¹ V D⁻¹ C), with C a basis of the interaction contrasts,
//! D = diag(p̂) and V the linearised covariance of the cell proportions.

use super::design::DesignUnits;
use super::note::TestProblem;
use serde::Serialize;
use statrs::distribution::{ChiSquared, ContinuousCDF, FisherSnedecor};

/// Per unit and cell: (rows, Σw, Σw²) of the rows in that cell.
pub type CellSums = [f64; 3];

#[derive(Debug, Clone, Serialize)]
pub struct RaoScott {
    /// Rows in the table's design.
    pub n: f64,
    /// Rows and columns present (with at least one row).
    pub rows: usize,
    pub cols: usize,
    pub pearson_x2: f64,
    pub f: f64,
    pub ndf: f64,
    pub ddf: f64,
    pub p_f: f64,
    pub chisq_first_order: f64,
    pub df_first_order: f64,
    pub p_chisq: f64,
}

/// The levels of a table with respondents, its weighted cell proportions (column-major over the
/// present rows and columns, as R's `interaction(row, col)`) and its number of rows.
struct Present {
    rows: Vec<usize>,
    cols: Vec<usize>,
    p: Vec<f64>,
    n: f64,
    w_total: f64,
}

impl Present {
    fn k(&self) -> usize {
        self.rows.len() * self.cols.len()
    }

    /// (row, column) of present cell x.
    fn cell(&self, x: usize) -> (usize, usize) {
        let r_n = self.rows.len();
        (self.rows[x % r_n], self.cols[x / r_n])
    }
}

fn present_levels(
    design: &DesignUnits,
    nr: usize,
    nc: usize,
    cells: &impl Fn(usize, usize, usize) -> CellSums,
) -> Result<Present, TestProblem> {
    let mut count = vec![0.0; nr * nc];
    let mut weight = vec![0.0; nr * nc];
    for u in 0..design.n_subunits() {
        for r in 0..nr {
            for c in 0..nc {
                let s = cells(u, r, c);
                count[r * nc + c] += s[0];
                weight[r * nc + c] += s[1];
            }
        }
    }
    // R drops levels without respondents.
    let rows: Vec<usize> = (0..nr)
        .filter(|&r| (0..nc).any(|c| count[r * nc + c] > 0.0))
        .collect();
    let cols: Vec<usize> = (0..nc)
        .filter(|&c| (0..nr).any(|r| count[r * nc + c] > 0.0))
        .collect();
    if rows.len() < 2 || cols.len() < 2 {
        return Err(TestProblem::TooFewLevels {
            rows: rows.len(),
            cols: cols.len(),
        });
    }
    let w_total: f64 = weight.iter().sum();
    if !(w_total > 0.0) {
        return Err(TestProblem::ZeroWeights);
    }
    // A level whose respondents all weigh 0 makes R's expected counts 0/0: its X² and F are
    // NaN. Say so instead of a finite statistic.
    let row_weight = |r: usize| (0..nc).map(|c| weight[r * nc + c]).sum::<f64>();
    let col_weight = |c: usize| (0..nr).map(|r| weight[r * nc + c]).sum::<f64>();
    if let Some(&r) = rows.iter().find(|&&r| !(row_weight(r) > 0.0)) {
        return Err(TestProblem::ZeroWeightLevel {
            row: true,
            index: r,
        });
    }
    if let Some(&c) = cols.iter().find(|&&c| !(col_weight(c) > 0.0)) {
        return Err(TestProblem::ZeroWeightLevel {
            row: false,
            index: c,
        });
    }
    let r_n = rows.len();
    let k = r_n * cols.len();
    let p = (0..k)
        .map(|x| weight[rows[x % r_n] * nc + cols[x / r_n]] / w_total)
        .collect();
    Ok(Present {
        rows,
        cols,
        p,
        n: count.iter().sum(),
        w_total,
    })
}

/// Pearson's X² of the weighted table scaled to n.
fn pearson(t: &Present) -> f64 {
    let (r_n, c_n, n) = (t.rows.len(), t.cols.len(), t.n);
    let mut row_sum = vec![0.0; r_n];
    let mut col_sum = vec![0.0; c_n];
    for x in 0..t.k() {
        row_sum[x % r_n] += n * t.p[x];
        col_sum[x / r_n] += n * t.p[x];
    }
    let mut x2 = 0.0;
    for x in 0..t.k() {
        let e = row_sum[x % r_n] * col_sum[x / r_n] / n;
        if e > 0.0 {
            x2 += (n * t.p[x] - e).powi(2) / e;
        }
    }
    x2
}

/// Linearised covariance of the cell proportions: z_c = w (1[cell = c] − p_c) / Σw.
fn cell_covariance(
    design: &DesignUnits,
    t: &Present,
    cells: &impl Fn(usize, usize, usize) -> CellSums,
) -> Vec<f64> {
    let k = t.k();
    let (p, w_total) = (&t.p, t.w_total);
    design.covariance(k, |u, s1, sw, s2| {
        let sums: Vec<CellSums> = (0..k)
            .map(|x| {
                let (r, c) = t.cell(x);
                cells(u, r, c)
            })
            .collect();
        let w_u: f64 = sums.iter().map(|s| s[1]).sum();
        let w2_u: f64 = sums.iter().map(|s| s[2]).sum();
        for a in 0..k {
            s1[a] = (sums[a][1] - p[a] * w_u) / w_total;
            sw[a] = (sums[a][2] - p[a] * w2_u) / w_total;
        }
        if !design.clustered {
            for a in 0..k {
                for b in 0..k {
                    let diag = if a == b { sums[a][2] } else { 0.0 };
                    s2[a * k + b] = (diag - p[b] * sums[a][2] - p[a] * sums[b][2]
                        + p[a] * p[b] * w2_u)
                        / (w_total * w_total);
                }
            }
        }
    })
}

/// Interaction contrasts (k × m, row-major): Kronecker products of Helmert contrasts, orthogonal
/// to the row and column indicators (the span R's qr.resid(X1, X12) produces).
fn contrasts(r_n: usize, c_n: usize) -> Vec<f64> {
    let m = (r_n - 1) * (c_n - 1);
    // q-th contrast (0-based): 1 for i <= q, −(q+1) at i = q+1, 0 after.
    let helmert = |q: usize, i: usize| -> f64 {
        if i <= q {
            1.0
        } else if i == q + 1 {
            -((q + 1) as f64)
        } else {
            0.0
        }
    };
    let mut cmat = vec![0.0; r_n * c_n * m];
    for i in 0..r_n {
        for j in 0..c_n {
            let x = i + r_n * j;
            for a in 0..r_n - 1 {
                for b in 0..c_n - 1 {
                    cmat[x * m + a * (c_n - 1) + b] = helmert(a, i) * helmert(b, j);
                }
            }
        }
    }
    cmat
}

/// The design-effect matrix Δ = (C′D⁻¹C/n)⁻¹ (C′D⁻¹ V D⁻¹ C) (m × m, row-major).
fn design_effects(t: &Present, v: &[f64]) -> Result<Vec<f64>, TestProblem> {
    let (r_n, c_n, k) = (t.rows.len(), t.cols.len(), t.k());
    let m = (r_n - 1) * (c_n - 1);
    let cmat = contrasts(r_n, c_n);
    // D⁻¹C (k × m)
    let mut dc = cmat.clone();
    for x in 0..k {
        let inv = if t.p[x] == 0.0 { 0.0 } else { 1.0 / t.p[x] };
        for c in 0..m {
            dc[x * m + c] *= inv;
        }
    }
    let mut vdc = vec![0.0; k * m];
    for x in 0..k {
        for y in 0..k {
            let vxy = v[x * k + y];
            if vxy != 0.0 {
                for c in 0..m {
                    vdc[x * m + c] += vxy * dc[y * m + c];
                }
            }
        }
    }
    // denom = C′ D⁻¹ C / n ; numr = (D⁻¹C)′ V (D⁻¹C)
    let mut denom = vec![0.0; m * m];
    let mut numr = vec![0.0; m * m];
    for a in 0..m {
        for b in 0..m {
            let (mut d, mut nm) = (0.0, 0.0);
            for x in 0..k {
                d += cmat[x * m + a] * dc[x * m + b];
                nm += dc[x * m + a] * vdc[x * m + b];
            }
            denom[a * m + b] = d / t.n;
            numr[a * m + b] = nm;
        }
    }
    super::linalg::solve(&denom, &numr, m).ok_or(TestProblem::Singular)
}

/// Test an `nr` × `nc` table whose cells (row-major index r·nc + c) have per-unit sums
/// `cells(u, r, c)`.
pub fn rao_scott(
    design: &DesignUnits,
    nr: usize,
    nc: usize,
    cells: impl Fn(usize, usize, usize) -> CellSums,
) -> Result<RaoScott, TestProblem> {
    let mut t = present_levels(design, nr, nc, &cells)?;
    let respondents = t.n;
    // A subset of a calibrated design keeps every row (weight 0 outside it), so R scales X²
    // to all rows and counts their degrees of freedom.
    if design.calibrated() {
        t.n = design.rows;
    }
    let x2 = pearson(&t);
    let v = cell_covariance(design, &t, &cells);
    let delta = design_effects(&t, &v)?;
    let m = (t.rows.len() - 1) * (t.cols.len() - 1);
    let tr: f64 = (0..m).map(|a| delta[a * m + a]).sum();
    let tr2: f64 = (0..m)
        .flat_map(|a| (0..m).map(move |b| (a, b)))
        .map(|(a, b)| delta[a * m + b] * delta[b * m + a])
        .sum();
    if !(tr > 0.0 && tr2 > 0.0) {
        return Err(TestProblem::ZeroDesignEffect);
    }
    // Degrees of freedom of the design the test is run on: all its rows (R's svychisq does not
    // filter zero weights here, unlike degf()).
    let nu = if design.calibrated() {
        design.df()
    } else {
        design.domain_df(|u| {
            (0..t.k())
                .map(|x| {
                    let (r, c) = t.cell(x);
                    cells(u, r, c)[0]
                })
                .sum()
        })
    };
    let ndf = tr * tr / tr2;
    let ddf = ndf * nu;
    let f = x2 / tr;
    let p_f = FisherSnedecor::new(ndf, ddf)
        .map(|d| d.sf(f))
        .unwrap_or(f64::NAN);
    let first = x2 / (tr / m as f64);
    let p_chisq = ChiSquared::new(m as f64)
        .map(|d| d.sf(first))
        .unwrap_or(f64::NAN);
    Ok(RaoScott {
        n: respondents,
        rows: t.rows.len(),
        cols: t.cols.len(),
        pearson_x2: x2,
        f,
        ndf,
        ddf,
        p_f,
        chisq_first_order: first,
        df_first_order: m as f64,
        p_chisq,
    })
}
