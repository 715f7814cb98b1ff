//! Quantiles accurate at every degree of freedom.
//!
//! statrs' `StudentsT::inverse_cdf` loses accuracy above ~10⁴ degrees of freedom (6e-5 relative at
//! 10⁶), which yearly files of 200,000+ respondents reach. Here the starting value comes from the
//! Cornish–Fisher expansion (large df) or statrs (small df), and is polished by Newton steps on
//! the CDF, which statrs computes accurately through the regularised incomplete beta function.

use statrs::distribution::{Beta, Continuous, ContinuousCDF, Normal, StudentsT};

/// The standard normal quantile.
pub fn qnorm(p: f64) -> f64 {
    debug_assert!(p > 0.0 && p < 1.0);
    Normal::standard().inverse_cdf(p)
}

/// Student's t quantile with `df` degrees of freedom (`df` = ∞ gives the normal quantile).
///
/// ```
/// let q = enquete::stats::quantiles::qt(0.975, 15.0);
/// assert!((q - 2.131449545559323).abs() < 1e-12);
/// ```
pub fn qt(p: f64, df: f64) -> f64 {
    if !(p > 0.0 && p < 1.0 && df > 0.0) {
        return f64::NAN;
    }
    if df.is_infinite() || df > 1e12 {
        return qnorm(p);
    }
    if p == 0.5 {
        return 0.0;
    }
    // Work in the upper half for symmetry, so Newton never crosses zero.
    let (upper, sign) = if p > 0.5 { (p, 1.0) } else { (1.0 - p, -1.0) };
    let dist = match StudentsT::new(0.0, 1.0, df) {
        Ok(d) => d,
        Err(_) => return f64::NAN,
    };
    if df >= 1000.0 {
        // The expansion's error is below 1e-13 here, while the incomplete beta function behind
        // the CDF loses digits near the centre at such df: trust the expansion.
        return sign * cornish_fisher(qnorm(upper), df);
    }
    let mut x = dist.inverse_cdf(upper);
    // Newton on the upper tail S(x) = 1 - F(x), which keeps precision where F(x) is near 1.
    let target = 1.0 - upper;
    for _ in 0..8 {
        let s = dist.sf(x);
        let dens = dist.pdf(x);
        if !(dens > 0.0) {
            break;
        }
        let step = (s - target) / dens;
        x += step;
        if step.abs() <= 1e-15 * x.abs().max(1.0) {
            break;
        }
    }
    sign * x
}

/// Abramowitz & Stegun 26.7.5: the t quantile from the normal quantile z, to O(1/df⁵).
fn cornish_fisher(z: f64, df: f64) -> f64 {
    let z2 = z * z;
    let g1 = (z2 + 1.0) * z / 4.0;
    let g2 = ((5.0 * z2 + 16.0) * z2 + 3.0) * z / 96.0;
    let g3 = (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) * z / 384.0;
    let g4 = ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) * z / 92160.0;
    z + g1 / df + g2 / (df * df) + g3 / (df * df * df) + g4 / (df * df * df * df)
}

/// The Beta(a, b) quantile, guarded: `p` outside (0, 1) or a non-positive shape gives the
/// limiting value instead of a panic (statrs panics for p outside [0, 1]).
pub fn qbeta(p: f64, a: f64, b: f64) -> f64 {
    if p.is_nan() || a.is_nan() || b.is_nan() {
        return f64::NAN;
    }
    if p <= 0.0 {
        return 0.0;
    }
    if p >= 1.0 {
        return 1.0;
    }
    if a <= 0.0 {
        return 0.0; // all mass at 0
    }
    if b <= 0.0 {
        return 1.0; // all mass at 1
    }
    let d = match Beta::new(a, b) {
        Ok(d) => d,
        Err(_) => return f64::NAN,
    };
    // statrs' inverse stops at ~1e-8 relative for lopsided shapes (b in the thousands, as in a
    // Clopper–Pearson bound for a large base); polish with Newton steps on the CDF.
    let mut x = d.inverse_cdf(p);
    for _ in 0..20 {
        let dens = d.pdf(x);
        if !(dens > 0.0 && dens.is_finite()) {
            break;
        }
        let step = (d.cdf(x) - p) / dens;
        let mut next = x - step;
        if next <= 0.0 {
            next = x / 2.0;
        } else if next >= 1.0 {
            next = (1.0 + x) / 2.0;
        }
        let done = (next - x).abs() <= 1e-15 * x;
        x = next;
        if done {
            break;
        }
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qt_is_symmetric_and_tends_to_normal() {
        assert_eq!(qt(0.5, 10.0), 0.0);
        assert!((qt(0.025, 10.0) + qt(0.975, 10.0)).abs() < 1e-14);
        assert!((qt(0.975, 1e13) - qnorm(0.975)).abs() < 1e-12);
        assert!(qt(0.975, 0.0).is_nan());
    }

    #[test]
    fn qbeta_is_guarded() {
        assert_eq!(qbeta(0.0, 2.0, 3.0), 0.0);
        assert_eq!(qbeta(1.0, 2.0, 3.0), 1.0);
        assert_eq!(qbeta(0.5, 0.0, 3.0), 0.0);
        assert!((qbeta(0.5, 1.0, 1.0) - 0.5).abs() < 1e-12);
    }
}
