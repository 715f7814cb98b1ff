//! The sampling design as the variance estimator sees it: units (strata, or PSUs within strata)
//! and the number of PSUs per stratum of the whole design.
//!
//! Taylor linearisation, as R `survey` 4.1 (`svyrecvar`) computes it without finite population
//! correction: V = Σ_h n_h/(n_h − 1) Σ_j (z_hj − z̄_h)², with z_hj the PSU totals of the
//! linearisation variable and n_h the PSUs of stratum h in the *whole* design (rows outside a
//! domain contribute z = 0). A stratum with a single PSU is centred at the grand mean, which is
//! zero for the estimating equations used here (R's `options(survey.lonely.psu = "adjust")`).

use super::accumulate::{M, W, W2, W2Y, W2Y2, WY};

/// Units of a merged design, sorted by (stratum, PSU).
#[derive(Debug, Clone)]
pub struct DesignUnits {
    /// Whether units are PSUs (clusters declared) or strata (each respondent its own PSU).
    pub clustered: bool,
    /// Whether the codebook declares a design (weights); otherwise all weights are 1.
    pub weighted: bool,
    /// Stratum index of each unit.
    pub unit_stratum: Vec<usize>,
    /// Whether each unit has any valid row (units seen only on invalid rows have none).
    pub unit_used: Vec<bool>,
    pub stratum_keys: Vec<String>,
    /// n_h: PSUs (clustered) or respondents (unclustered) per stratum.
    pub stratum_n: Vec<f64>,
    /// Respondents in the design.
    pub rows: f64,
}

impl DesignUnits {
    pub fn new(
        keys: &[(Vec<u8>, Vec<u8>)],
        unit_rows: &[f64],
        clustered: bool,
        weighted: bool,
    ) -> Self {
        let mut unit_stratum = Vec::with_capacity(keys.len());
        let mut stratum_keys: Vec<String> = Vec::new();
        let mut stratum_n: Vec<f64> = Vec::new();
        let mut last: Option<&[u8]> = None;
        for (i, (s, _)) in keys.iter().enumerate() {
            if last != Some(s.as_slice()) {
                stratum_keys.push(String::from_utf8_lossy(s).into_owned());
                stratum_n.push(0.0);
                last = Some(s.as_slice());
            }
            let h = stratum_keys.len() - 1;
            unit_stratum.push(h);
            if unit_rows[i] > 0.0 {
                stratum_n[h] += if clustered { 1.0 } else { unit_rows[i] };
            }
        }
        DesignUnits {
            clustered,
            weighted,
            unit_stratum,
            unit_used: unit_rows.iter().map(|&r| r > 0.0).collect(),
            stratum_keys,
            stratum_n,
            rows: unit_rows.iter().sum(),
        }
    }

    pub fn n_units(&self) -> usize {
        self.unit_stratum.len()
    }

    pub fn n_strata(&self) -> usize {
        self.stratum_keys.len()
    }

    /// PSUs in the whole design.
    pub fn n_psus(&self) -> f64 {
        self.stratum_n.iter().sum()
    }

    /// The design's degrees of freedom (R's `degf`): PSUs − strata.
    pub fn df(&self) -> f64 {
        self.n_psus() - self.stratum_n.iter().filter(|&&n| n > 0.0).count() as f64
    }

    /// Strata with one PSU (handled as R's `survey.lonely.psu = "adjust"`).
    pub fn lonely_strata(&self) -> usize {
        self.stratum_n.iter().filter(|&&n| n == 1.0).count()
    }

    /// Degrees of freedom of a domain (R's `degf` of the subset design): PSUs with at least one
    /// row in the domain minus strata with at least one row in it. `unit_rows(u)` gives the
    /// domain's rows in unit u.
    pub fn domain_df(&self, unit_rows: impl Fn(usize) -> f64) -> f64 {
        let mut psus = 0.0;
        let mut strata = 0.0;
        let mut last_stratum = usize::MAX;
        for u in 0..self.n_units() {
            let r = unit_rows(u);
            if r > 0.0 {
                psus += if self.clustered { 1.0 } else { r };
                if self.unit_stratum[u] != last_stratum {
                    strata += 1.0;
                    last_stratum = self.unit_stratum[u];
                }
            }
        }
        psus - strata
    }

    /// The linearised covariance matrix (k × k, row-major) of k estimators.
    ///
    /// `per_unit(u, s1, sw, s2)` fills, for unit u, s1[a] = Σ z_a over the unit's rows,
    /// sw[a] = Σ w·z_a and (for unclustered designs, where a unit is a stratum)
    /// s2[a·k + b] = Σ z_a z_b over its rows. For clustered designs a unit is a PSU, s1 its total,
    /// and s2 is not used. (`sw` serves the calibration residuals.)
    pub fn covariance(
        &self,
        k: usize,
        mut per_unit: impl FnMut(usize, &mut [f64], &mut [f64], &mut [f64]),
    ) -> Vec<f64> {
        let mut v = vec![0.0; k * k];
        let mut s1 = vec![0.0; k];
        let mut sw = vec![0.0; k];
        let mut s2 = vec![0.0; k * k];
        // Per-stratum accumulators (PSU totals and their cross-products) for clustered designs.
        let mut sum = vec![0.0; k];
        let mut cross = vec![0.0; k * k];
        let n_units = self.n_units();
        let mut u = 0;
        while u < n_units {
            let h = self.unit_stratum[u];
            let n_h = self.stratum_n[h];
            sum.iter_mut().for_each(|x| *x = 0.0);
            cross.iter_mut().for_each(|x| *x = 0.0);
            while u < n_units && self.unit_stratum[u] == h {
                if self.unit_used[u] {
                    s1.iter_mut().for_each(|x| *x = 0.0);
                    sw.iter_mut().for_each(|x| *x = 0.0);
                    s2.iter_mut().for_each(|x| *x = 0.0);
                    per_unit(u, &mut s1, &mut sw, &mut s2);
                    for a in 0..k {
                        sum[a] += s1[a];
                        for b in 0..k {
                            cross[a * k + b] += if self.clustered {
                                s1[a] * s1[b]
                            } else {
                                s2[a * k + b]
                            };
                        }
                    }
                }
                u += 1;
            }
            if n_h > 1.0 {
                let scale = n_h / (n_h - 1.0);
                for a in 0..k {
                    for b in 0..k {
                        v[a * k + b] += scale * (cross[a * k + b] - sum[a] * sum[b] / n_h);
                    }
                }
            } else if n_h == 1.0 {
                // Lonely PSU, "adjust": deviations from the grand mean, which is zero.
                for a in 0..k * k {
                    v[a] += cross[a];
                }
            }
        }
        v
    }

    /// The linearised variance of one estimator; `per_unit(u)` gives its [`Scores`] over unit u.
    pub fn variance(&self, per_unit: impl Fn(usize) -> Scores) -> f64 {
        self.covariance(1, |u, s1, sw, s2| {
            let sc = per_unit(u);
            s1[0] = sc.z;
            sw[0] = sc.wz;
            s2[0] = sc.zz;
        })[0]
    }
}

/// Sums of one linearisation variable z over the rows of one unit: Σz, Σw·z and Σz².
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Scores {
    pub z: f64,
    pub wz: f64,
    pub zz: f64,
}

impl Scores {
    /// The ratio Σwy/Σw = `est` over a domain of total weight `total`, from the domain's moments
    /// in the unit: z = w (y − est) / total on the domain's rows, 0 elsewhere.
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

/// Σ z_a z_b over one unit for two ratios whose domains nest: `inner` (moments `m` of the
/// inner domain, estimate `est_a`, total `tot_a`) lies inside the outer one (`est_b`, `tot_b`),
/// so their product is non-zero on the inner domain's rows only.
#[inline]
pub fn nested_cross(m: &[f64; M], est_a: f64, tot_a: f64, est_b: f64, tot_b: f64) -> f64 {
    (m[W2Y2] - (est_a + est_b) * m[W2Y] + est_a * est_b * m[W2]) / (tot_a * tot_b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(list: &[(&str, &str)]) -> Vec<(Vec<u8>, Vec<u8>)> {
        list.iter()
            .map(|(a, b)| (a.as_bytes().to_vec(), b.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn degrees_of_freedom_count_psus_minus_strata() {
        let d = DesignUnits::new(
            &keys(&[("A", "1"), ("A", "2"), ("B", "1"), ("B", "2"), ("B", "3")]),
            &[3.0, 2.0, 1.0, 1.0, 4.0],
            true,
            true,
        );
        assert_eq!(d.n_psus(), 5.0);
        assert_eq!(d.df(), 3.0);
        assert_eq!(
            d.domain_df(|u| if u == 0 || u == 2 { 1.0 } else { 0.0 }),
            0.0
        );
        let flat = DesignUnits::new(&keys(&[("A", ""), ("B", "")]), &[10.0, 5.0], false, true);
        assert_eq!(flat.df(), 13.0);
    }

    #[test]
    fn variance_of_a_mean_matches_the_textbook_srs_formula() {
        // One stratum, each respondent a PSU, equal weights: V(mean) = s² / n.
        let y = [1.0, 4.0, 2.0, 8.0, 5.0];
        let n = y.len() as f64;
        let mean = y.iter().sum::<f64>() / n;
        let d = DesignUnits::new(&keys(&[("", "")]), &[n], false, false);
        let v = d.variance(|_| {
            let z: Vec<f64> = y.iter().map(|v| (v - mean) / n).collect();
            Scores {
                z: z.iter().sum(),
                wz: z.iter().sum(),
                zz: z.iter().map(|x| x * x).sum(),
            }
        });
        let s2 = y.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
        assert!((v - s2 / n).abs() < 1e-15);
    }
}
