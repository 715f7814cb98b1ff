//! Linearised (co)variances on the design: per-subunit sums of the linearisation variables,
//! their calibration residuals, and the stratified formula with lonely PSUs and the fpc.
//!
//! Calibration residuals (R `svyrecvar` with the calibration stored on the design): z is
//! replaced by z* = z − w·x'B, with B the weighted least-squares fit of z/w on the calibration
//! model x using the *design* weights d over *all* respondents (rows outside a domain have
//! z = 0 but still get −w·x'B). Because x, the adjustment g = w/d and so the fit are functions
//! of the respondent's calibration cell c, with Z_c = Σ_{i∈c} z_i:
//! B = (Σ_c D_c x_c x_c')⁻¹ Σ_c x_c Z_c / g_c, and per subunit Σz* = Σz − f_c Σw,
//! Σz*² = Σz² − 2 f_c Σwz + f_c² Σw² with f_c = x_c'B. Checked against R 4.1 for
//! post-stratification, raking, linear and logit calibration (tests/reference/r/weighting).

use super::DesignUnits;
use crate::stats::accumulate::{M, W, W2, W2Y, W2Y2, WY};

impl DesignUnits {
    /// Per calibration cell and estimator, f = x_c'B (row-major: cell × k); empty without
    /// calibration.
    fn residual_fits(
        &self,
        k: usize,
        per_subunit: &mut impl FnMut(usize, &mut [f64], &mut [f64], &mut [f64]),
    ) -> Vec<f64> {
        let Some(fit) = &self.calibration else {
            return Vec::new();
        };
        let cells = fit.g.len();
        let (mut s1, mut sw, mut s2) = (vec![0.0; k], vec![0.0; k], vec![0.0; k * k]);
        let mut z = vec![0.0; cells * k];
        for s in 0..self.n_subunits() {
            s1.iter_mut().for_each(|x| *x = 0.0);
            per_subunit(s, &mut s1, &mut sw, &mut s2);
            let c = self.subunit_cell[s];
            for a in 0..k {
                z[c * k + a] += s1[a];
            }
        }
        fit.residual_coefficients(&z, k)
    }

    /// The linearised covariance matrix (k × k, row-major) of k estimators.
    ///
    /// `per_subunit(s, s1, sw, s2)` fills, for subunit s, s1[a] = Σ z_a over the subunit's rows,
    /// sw[a] = Σ w·z_a and (for unclustered designs) s2[a·k + b] = Σ z_a z_b. Without clusters a
    /// unit is a stratum whose rows are its PSUs; with clusters a unit is a PSU, its total is
    /// what varies, and s2 is not used.
    pub fn covariance(
        &self,
        k: usize,
        mut per_subunit: impl FnMut(usize, &mut [f64], &mut [f64], &mut [f64]),
    ) -> Vec<f64> {
        let fits = self.residual_fits(k, &mut per_subunit);
        self.covariance_raw(k, |s, s1, sw, s2| {
            per_subunit(s, s1, sw, s2);
            self.residuals(s, k, &fits, s1, sw, s2);
        })
    }

    /// The stratified formula on per-subunit sums that are already final (residuals applied).
    fn covariance_raw(
        &self,
        k: usize,
        mut per_subunit: impl FnMut(usize, &mut [f64], &mut [f64], &mut [f64]),
    ) -> Vec<f64> {
        let mut v = vec![0.0; k * k];
        let (mut s1, mut sw, mut s2) = (vec![0.0; k], vec![0.0; k], vec![0.0; k * k]);
        // Per stratum: Σ of PSU totals and Σ of their cross-products; per PSU: its total.
        let (mut sum, mut cross, mut psu) = (vec![0.0; k], vec![0.0; k * k], vec![0.0; k]);
        let n = self.n_subunits();
        let mut s = 0;
        while s < n {
            let h = self.unit_stratum[self.subunit_unit[s]];
            sum.iter_mut().for_each(|x| *x = 0.0);
            cross.iter_mut().for_each(|x| *x = 0.0);
            while s < n && self.unit_stratum[self.subunit_unit[s]] == h {
                let u = self.subunit_unit[s];
                psu.iter_mut().for_each(|x| *x = 0.0);
                while s < n && self.subunit_unit[s] == u {
                    s1.iter_mut().for_each(|x| *x = 0.0);
                    sw.iter_mut().for_each(|x| *x = 0.0);
                    s2.iter_mut().for_each(|x| *x = 0.0);
                    per_subunit(s, &mut s1, &mut sw, &mut s2);
                    if self.clustered {
                        psu.iter_mut().zip(&s1).for_each(|(p, x)| *p += x);
                    } else {
                        sum.iter_mut().zip(&s1).for_each(|(p, x)| *p += x);
                        cross.iter_mut().zip(&s2).for_each(|(p, x)| *p += x);
                    }
                    s += 1;
                }
                if self.clustered {
                    for a in 0..k {
                        sum[a] += psu[a];
                        for b in 0..k {
                            cross[a * k + b] += psu[a] * psu[b];
                        }
                    }
                }
            }
            self.add_stratum(h, k, &sum, &cross, &mut v);
        }
        v
    }

    /// Replace a subunit's sums by those of the calibration residuals.
    fn residuals(
        &self,
        s: usize,
        k: usize,
        fits: &[f64],
        s1: &mut [f64],
        sw: &[f64],
        s2: &mut [f64],
    ) {
        if fits.is_empty() {
            return;
        }
        let c = self.subunit_cell[s];
        let f = &fits[c * k..(c + 1) * k];
        let (mut w, mut w2) = (self.subunit_w[s], self.subunit_w2[s]);
        // R's post-stratification gives a row of weight 0 the residual −f_c, as if it weighed
        // 1 (svyrecvar substitutes 1 for a zero weight there); calibrate() has no such rows.
        let poststratified = self
            .calibration
            .as_ref()
            .is_some_and(|fit| fit.method == crate::codebook::weighting::Method::Poststratify);
        if poststratified {
            w += self.subunit_zero[s];
            w2 += self.subunit_zero[s];
        }
        if !self.clustered {
            for a in 0..k {
                for b in 0..k {
                    s2[a * k + b] += -f[b] * sw[a] - f[a] * sw[b] + f[a] * f[b] * w2;
                }
            }
        }
        for a in 0..k {
            s1[a] -= f[a] * w;
        }
    }

    /// Stratum h's contribution: n_h/(n_h − 1) Σ (z_hj − z̄_h)² times the fpc factor
    /// (1 − n_h/N_h); a lonely PSU ("adjust") is centred at zero and not scaled.
    fn add_stratum(&self, h: usize, k: usize, sum: &[f64], cross: &[f64], v: &mut [f64]) {
        let n_h = self.stratum_n[h];
        let big_n = self.stratum_fpc[h];
        let fpc = if big_n.is_finite() {
            1.0 - n_h / big_n
        } else {
            1.0
        };
        if n_h > 1.0 {
            let scale = fpc * n_h / (n_h - 1.0);
            for a in 0..k {
                for b in 0..k {
                    v[a * k + b] += scale * (cross[a * k + b] - sum[a] * sum[b] / n_h);
                }
            }
        } else if n_h == 1.0 {
            for a in 0..k * k {
                v[a] += fpc * cross[a];
            }
        }
    }

    /// The linearised variance of one estimator; `per_subunit(s)` gives its [`Scores`].
    pub fn variance(&self, per_subunit: impl Fn(usize) -> Scores) -> f64 {
        self.covariance(1, |s, s1, sw, s2| {
            let sc = per_subunit(s);
            s1[0] = sc.z;
            sw[0] = sc.wz;
            s2[0] = sc.zz;
        })[0]
    }
}

/// Sums of one linearisation variable z over the rows of one subunit: Σz, Σw·z and Σz².
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Scores {
    pub z: f64,
    pub wz: f64,
    pub zz: f64,
}

impl Scores {
    /// The ratio Σwy/Σw = `est` over a domain of total weight `total`, from the domain's moments
    /// in the subunit: z = w (y − est) / total on the domain's rows, 0 elsewhere.
    #[inline]
    pub fn ratio(m: &[f64; M], est: f64, total: f64) -> Scores {
        Scores {
            z: (m[WY] - est * m[W]) / total,
            wz: (m[W2Y] - est * m[W2]) / total,
            zz: (m[W2Y2] - 2.0 * est * m[W2Y] + est * est * m[W2]) / (total * total),
        }
    }

    /// c · z.
    #[inline]
    pub fn scale(self, c: f64) -> Scores {
        Scores {
            z: c * self.z,
            wz: c * self.wz,
            zz: c * c * self.zz,
        }
    }

    /// z_a + z_b for variables that are never both non-zero on one row (disjoint domains).
    #[inline]
    pub fn plus_disjoint(self, o: Scores) -> Scores {
        Scores {
            z: self.z + o.z,
            wz: self.wz + o.wz,
            zz: self.zz + o.zz,
        }
    }

    /// z_a − z_b for variables that are never both non-zero on one row (disjoint domains).
    #[inline]
    pub fn minus_disjoint(self, o: Scores) -> Scores {
        self.plus_disjoint(o.scale(-1.0))
    }
}

/// Σ z_a z_b over one subunit for two ratios whose domains nest: `inner` (moments `m` of the
/// inner domain, estimate `est_a`, total `tot_a`) lies inside the outer one (`est_b`, `tot_b`),
/// so their product is non-zero on the inner domain's rows only.
#[inline]
pub fn nested_cross(m: &[f64; M], est_a: f64, tot_a: f64, est_b: f64, tot_b: f64) -> f64 {
    (m[W2Y2] - (est_a + est_b) * m[W2Y] + est_a * est_b * m[W2]) / (tot_a * tot_b)
}

/// One post-stratification cell of R's `svystandardize` (a standardising level × a group).
#[derive(Debug, Clone, Copy)]
pub struct PsCell {
    /// Σw over the cell's respondents with a valid answer (w_k).
    pub weight: f64,
    /// Its standardised weight total, P_a · w_g (the group's Σw times the level's share).
    pub standardised: f64,
}

/// One cell's sums over one subunit: the scores of the estimator's part in the cell (its
/// rows with a valid answer), their Σw and Σw², the cell's rows without an answer, and its rows
/// of weight 0 (with an answer; all).
#[derive(Debug, Clone, Copy, Default)]
pub struct PsSums {
    pub scores: Scores,
    pub w: f64,
    pub w2: f64,
    pub missing_n: f64,
    pub missing_w: f64,
    pub zero_answered: f64,
    pub zero_all: f64,
}

impl DesignUnits {
    /// The variance of a standardised estimator on a calibrated design, as R computes it after
    /// `svystandardize` (`svyrecvar` runs the design's calibration, then the standardisation's
    /// post-stratification):
    /// 1. the calibration residual, z1 = z − w·f_c (f_c = x_c'B) on every row; after a
    ///    post-stratification a row of weight 0 gets −f_c, as if it weighed 1 (R substitutes 1
    ///    where both its weight and its old weight are 0);
    /// 2. the standardisation's residual per cell k (every standardising level × group of the
    ///    standardised design, not only the compared groups': after step 1 the others are not 0
    ///    either), with T_k = Σ z1 over the cell's answers of non-zero weight:
    ///    z2 = z1 − w·T_k/w_k on those, and z2 = z1 − T_k/(P_a·w_g) on the cell's other rows (no
    ///    answer, or weight 0), which R keeps with weight 0 and treats as weight 1 here.
    ///
    /// `per_subunit(s, sums)` fills each cell's [`PsSums`] in subunit s. Per subunit, with W0
    /// its rows of weight 0 (after a post-stratification) and m_k = T_k/(P_a·w_g):
    /// Σz2 = Σz − f·Σw − f·W0 − Σ_k (e_k·w_k,s + m_k·(missing_k + zero_answered_k)) and
    /// Σz2² = Σz² − 2f·Σwz + f²·(Σw² + W0) + Σ_k [e_k²·Σw²_k − 2e_k·(Σwz_k − f·Σw²_k)]
    /// + Σ_k m_k·[m_k·(missing_k + zero_answered_k) + 2f·missing_w_k + 2f·zero_all_k·[W0]].
    pub fn variance_standardised(
        &self,
        cells: &[PsCell],
        per_subunit: impl Fn(usize, &mut [PsSums]),
    ) -> f64 {
        let k = cells.len();
        let mut buf = vec![PsSums::default(); k];
        let mut total = |s: usize, s1: &mut [f64], _: &mut [f64], _: &mut [f64]| {
            per_subunit(s, &mut buf);
            s1[0] = buf.iter().map(|c| c.scores.z).sum();
        };
        let fits = self.residual_fits(1, &mut total);
        let f = |s: usize| fits.get(self.subunit_cell[s]).copied().unwrap_or(0.0);
        let zero_rule = self
            .calibration
            .as_ref()
            .is_some_and(|fit| fit.method == crate::codebook::weighting::Method::Poststratify);
        // T_k: Σ z1 over each cell's answers (rows of weight 0 add nothing to it).
        let mut t = vec![0.0; k];
        for s in 0..self.n_subunits() {
            per_subunit(s, &mut buf);
            for (tk, c) in t.iter_mut().zip(&buf) {
                *tk += c.scores.z - f(s) * c.w;
            }
        }
        let e: Vec<f64> = t.iter().zip(cells).map(|(tk, c)| tk / c.weight).collect();
        let m: Vec<f64> = t
            .iter()
            .zip(cells)
            .map(|(tk, c)| tk / c.standardised)
            .collect();
        self.covariance_raw(1, |s, s1, _, s2| {
            per_subunit(s, &mut buf);
            let fs = f(s);
            let (z, wz, zz) = buf.iter().fold((0.0, 0.0, 0.0), |a, c| {
                (a.0 + c.scores.z, a.1 + c.scores.wz, a.2 + c.scores.zz)
            });
            let (w, w2) = (self.subunit_w[s], self.subunit_w2[s]);
            let mut v1 = z - fs * w;
            let mut v2 = zz - 2.0 * fs * wz + fs * fs * w2;
            let zeros = self.subunit_zero[s];
            if zero_rule && zeros > 0.0 {
                v1 -= fs * zeros;
                v2 += fs * fs * zeros;
            }
            for (i, c) in buf.iter().enumerate() {
                v1 -= e[i] * c.w + m[i] * c.missing_n;
                v2 += -2.0 * e[i] * (c.scores.wz - fs * c.w2) + e[i] * e[i] * c.w2;
                v2 += 2.0 * m[i] * fs * c.missing_w + m[i] * m[i] * c.missing_n;
                // Rows of weight 0 (R: weight 1 in the residual): answered ones get −m_k too,
                // and after a post-stratification every one of them carried −f_c from step 1.
                if c.zero_answered > 0.0 {
                    v1 -= m[i] * c.zero_answered;
                    v2 += m[i] * m[i] * c.zero_answered;
                }
                if zero_rule && c.zero_all > 0.0 {
                    v2 += 2.0 * m[i] * fs * c.zero_all;
                }
            }
            s1[0] = v1;
            s2[0] = v2;
        })[0]
    }
}
