//! The sampling design as the variance estimator sees it.
//!
//! Sums are kept per *subunit*: a sampling unit (a stratum without clusters, a PSU with them)
//! crossed with the respondent's calibration cell (one cell without `[weighting]`). Subunits are
//! sorted by (stratum, PSU, cell), so the subunits of one unit, and the units of one stratum,
//! are contiguous.
//!
//! Taylor linearisation, as R `survey` 4.1 (`svyrecvar`) computes it:
//! V = Σ_h (1 − n_h/N_h) n_h/(n_h − 1) Σ_j (z_hj − z̄_h)², with z_hj the PSU totals of the
//! linearisation variable, n_h the PSUs of stratum h in the *whole* design (rows outside a domain
//! contribute z = 0) and N_h its population size (`fpc`; no correction without one). A stratum
//! with a single PSU is centred at the grand mean, zero for the estimating equations used here
//! (R's `options(survey.lonely.psu = "adjust")`). After calibration, z is first replaced by its
//! calibration residual (see [`variance`]).

mod variance;

pub use variance::{nested_cross, PsCell, PsSums, Scores};

use crate::stats::calibrate::Fit;

/// The units of a merged design and what the variance needs to know about them.
#[derive(Debug, Clone)]
pub struct DesignUnits {
    /// Whether units are PSUs (clusters declared) or strata (each respondent its own PSU).
    pub clustered: bool,
    /// Whether the codebook declares a design; otherwise an unweighted simple random sample.
    pub weighted: bool,
    /// Per subunit: its unit.
    pub subunit_unit: Vec<usize>,
    /// Per subunit: its calibration cell (0 without `[weighting]`).
    pub subunit_cell: Vec<usize>,
    /// Per subunit, over all its valid rows: Σw and Σw² (final weights).
    pub subunit_w: Vec<f64>,
    pub subunit_w2: Vec<f64>,
    /// Per subunit: valid rows of weight 0.
    pub subunit_zero: Vec<f64>,
    /// Per unit: its stratum.
    pub unit_stratum: Vec<usize>,
    /// Whether each unit has any valid row (units seen only on invalid rows have none).
    pub unit_used: Vec<bool>,
    pub stratum_keys: Vec<String>,
    /// n_h: PSUs (clustered) or respondents (unclustered) per stratum.
    pub stratum_n: Vec<f64>,
    /// N_h: the population size per stratum (`fpc`), NaN without one.
    pub stratum_fpc: Vec<f64>,
    /// Respondents in the design.
    pub rows: f64,
    /// The calibration, once the weights are calibrated.
    pub calibration: Option<Fit>,
}

/// What one unit (stratum or PSU) of the merged design holds.
#[derive(Debug, Clone)]
pub struct UnitInfo {
    pub stratum: usize,
    /// Valid rows in the unit.
    pub rows: f64,
}

impl DesignUnits {
    /// A design from its units (sorted by stratum) and subunits (sorted by unit).
    pub fn new(
        stratum_keys: Vec<String>,
        units: &[UnitInfo],
        subunits: &[(usize, usize)],
        clustered: bool,
        weighted: bool,
    ) -> Self {
        let mut stratum_n = vec![0.0; stratum_keys.len()];
        for u in units.iter().filter(|u| u.rows > 0.0) {
            stratum_n[u.stratum] += if clustered { 1.0 } else { u.rows };
        }
        DesignUnits {
            clustered,
            weighted,
            subunit_unit: subunits.iter().map(|s| s.0).collect(),
            subunit_cell: subunits.iter().map(|s| s.1).collect(),
            subunit_w: vec![0.0; subunits.len()],
            subunit_w2: vec![0.0; subunits.len()],
            subunit_zero: vec![0.0; subunits.len()],
            unit_stratum: units.iter().map(|u| u.stratum).collect(),
            unit_used: units.iter().map(|u| u.rows > 0.0).collect(),
            stratum_fpc: vec![f64::NAN; stratum_keys.len()],
            stratum_keys,
            stratum_n,
            rows: units.iter().map(|u| u.rows).sum(),
            calibration: None,
        }
    }

    /// Subunits: what per-subunit callbacks are indexed by.
    pub fn n_subunits(&self) -> usize {
        self.subunit_unit.len()
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

    /// Whether the weights were calibrated.
    pub fn calibrated(&self) -> bool {
        self.calibration.is_some()
    }

    /// Degrees of freedom of a domain (R's `degf` of the subset design): PSUs with at least one
    /// row of the domain minus strata with at least one row in it. `rows(s)` gives the domain's
    /// rows in subunit s (of non-zero weight, as R's `degf` counts).
    pub fn domain_df(&self, rows: impl Fn(usize) -> f64) -> f64 {
        let mut psus = 0.0;
        let mut strata = 0.0;
        let mut last_stratum = usize::MAX;
        let mut s = 0;
        while s < self.n_subunits() {
            let u = self.subunit_unit[s];
            let mut r = 0.0;
            while s < self.n_subunits() && self.subunit_unit[s] == u {
                r += rows(s);
                s += 1;
            }
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
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One subunit per unit, no calibration.
    fn design(strata: &[&str], units: &[(usize, f64)], clustered: bool) -> DesignUnits {
        let infos: Vec<UnitInfo> = units
            .iter()
            .map(|&(stratum, rows)| UnitInfo { stratum, rows })
            .collect();
        let subunits: Vec<(usize, usize)> = (0..units.len()).map(|u| (u, 0)).collect();
        DesignUnits::new(
            strata.iter().map(|s| s.to_string()).collect(),
            &infos,
            &subunits,
            clustered,
            true,
        )
    }

    #[test]
    fn degrees_of_freedom_count_psus_minus_strata() {
        let d = design(
            &["A", "B"],
            &[(0, 3.0), (0, 2.0), (1, 1.0), (1, 1.0), (1, 4.0)],
            true,
        );
        assert_eq!(d.n_psus(), 5.0);
        assert_eq!(d.df(), 3.0);
        assert_eq!(
            d.domain_df(|u| if u == 0 || u == 2 { 1.0 } else { 0.0 }),
            0.0
        );
        let flat = design(&["A", "B"], &[(0, 10.0), (1, 5.0)], false);
        assert_eq!(flat.df(), 13.0);
    }

    #[test]
    fn variance_of_a_mean_matches_the_textbook_srs_formula() {
        // One stratum, each respondent a PSU, equal weights: V(mean) = s² / n.
        let y = [1.0, 4.0, 2.0, 8.0, 5.0];
        let n = y.len() as f64;
        let mean = y.iter().sum::<f64>() / n;
        let d = design(&[""], &[(0, n)], false);
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

    #[test]
    fn finite_population_correction_scales_each_stratum() {
        let y = [1.0, 4.0, 2.0, 8.0, 5.0];
        let n = y.len() as f64;
        let mean = y.iter().sum::<f64>() / n;
        let mut d = design(&[""], &[(0, n)], false);
        d.stratum_fpc = vec![20.0];
        let v = d.variance(|_| {
            let z: Vec<f64> = y.iter().map(|v| (v - mean) / n).collect();
            Scores {
                z: z.iter().sum(),
                wz: 0.0,
                zz: z.iter().map(|x| x * x).sum(),
            }
        });
        let s2 = y.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
        assert!((v - (1.0 - n / 20.0) * s2 / n).abs() < 1e-15);
    }
}
