//! Confidence intervals for proportions and means.
//!
//! Design-based methods follow R `survey` 4.1's `svyciprop`; simple-random-sample methods follow
//! statsmodels' `proportion_confint`. Both are checked against values the reference
//! implementations produced (tests/reference/).

use super::note::Note;
use super::quantiles::{qbeta, qnorm, qt};
use std::fmt;
use std::str::FromStr;

/// A method for the confidence interval of a proportion (the values of `--ci`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CiMethod {
    // Design-based (R svyciprop)
    /// Logit-transformed interval (R svyciprop's default), t on the domain's df.
    Logit,
    /// Korn–Graubard: a Clopper–Pearson interval on the design's effective sample size.
    #[value(alias = "korn-graubard", alias = "kg")]
    Beta,
    /// Arcsine-square-root transformed interval.
    Asin,
    /// The estimate ± t·SE (may leave [0, 1], as in R).
    Mean,
    /// The logit interval in closed form (R: svycontrast of the logit).
    Xlogit,
    // Simple random sample (statsmodels proportion_confint)
    /// Wilson score interval (unweighted default).
    Wilson,
    /// Exact binomial interval.
    #[value(alias = "cp", alias = "exact")]
    ClopperPearson,
    /// Agresti–Coull: z² added, clipped to [0, 1].
    #[value(alias = "ac")]
    AgrestiCoull,
    /// Beta(x+½, n−x+½) quantiles.
    Jeffreys,
    /// Normal approximation, clipped to [0, 1].
    #[value(alias = "normal")]
    Wald,
}

impl CiMethod {
    pub const ALL: [CiMethod; 10] = [
        CiMethod::Logit,
        CiMethod::Beta,
        CiMethod::Asin,
        CiMethod::Mean,
        CiMethod::Xlogit,
        CiMethod::Wilson,
        CiMethod::ClopperPearson,
        CiMethod::AgrestiCoull,
        CiMethod::Jeffreys,
        CiMethod::Wald,
    ];

    pub fn name(self) -> &'static str {
        match self {
            CiMethod::Logit => "logit",
            CiMethod::Beta => "beta",
            CiMethod::Asin => "asin",
            CiMethod::Mean => "mean",
            CiMethod::Xlogit => "xlogit",
            CiMethod::Wilson => "wilson",
            CiMethod::ClopperPearson => "clopper-pearson",
            CiMethod::AgrestiCoull => "agresti-coull",
            CiMethod::Jeffreys => "jeffreys",
            CiMethod::Wald => "wald",
        }
    }

    /// Whether the method uses the design's linearised variance (R's `svyciprop` methods).
    pub fn is_design_based(self) -> bool {
        matches!(
            self,
            CiMethod::Logit | CiMethod::Beta | CiMethod::Asin | CiMethod::Mean | CiMethod::Xlogit
        )
    }
}

impl fmt::Display for CiMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for CiMethod {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        <CiMethod as clap::ValueEnum>::from_str(s, true).map_err(|_| {
            format!(
                "unknown interval method '{s}'; expected one of {}",
                CiMethod::ALL.map(|m| m.name()).join(", ")
            )
        })
    }
}

/// An interval, or the reason there is none.
#[derive(Debug, Clone, PartialEq)]
pub struct Interval {
    pub lower: f64,
    pub upper: f64,
    /// Set when the interval was obtained by a fallback (e.g. p = 0) or could not be computed.
    pub note: Option<Note>,
}

impl Interval {
    fn ok(lower: f64, upper: f64) -> Self {
        Interval {
            lower,
            upper,
            note: None,
        }
    }

    pub fn none(why: Note) -> Self {
        Interval {
            lower: f64::NAN,
            upper: f64::NAN,
            note: Some(why),
        }
    }

    pub fn is_defined(&self) -> bool {
        self.lower.is_finite() && self.upper.is_finite()
    }
}

/// What a design-based proportion interval needs.
#[derive(Debug, Clone, Copy)]
pub struct DesignProportion {
    pub p: f64,
    pub se: f64,
    /// The domain's degrees of freedom (R's `degf` of the subset design).
    pub df: f64,
    /// Rows in the domain (R's `nrow(design)`, used by the Korn–Graubard df adjustment).
    pub n: f64,
    /// Kish's effective sample size of the domain, (Σw)²/Σw², for the p = 0 or 1 fallback.
    pub n_kish: f64,
}

fn expit(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// A design-based interval for a proportion, as R `svyciprop(method = ...)` computes it, with
/// a documented fallback where R has none (p = 0 or 1, where the linearised variance is zero).
pub fn design_proportion(method: CiMethod, x: DesignProportion, level: f64) -> Interval {
    let alpha = 1.0 - level;
    let DesignProportion {
        p,
        se,
        df,
        n,
        n_kish,
    } = x;
    if !(df >= 1.0) {
        return Interval::none(Note::NoIntervalDf { df });
    }
    let t = qt(1.0 - alpha / 2.0, df);
    if p <= 0.0 || p >= 1.0 {
        // Korn–Graubard's exact bound with Kish's effective n (df-adjusted as in method beta).
        let adj = if n > 1.0 {
            (qt(alpha / 2.0, n - 1.0) / qt(alpha / 2.0, df)).powi(2)
        } else {
            1.0
        };
        let n_eff = n_kish * adj;
        let bound = (alpha / 2.0).powf(1.0 / n_eff);
        let note = Note::EdgeBound {
            p_is_one: p > 0.0,
            n_kish,
            n_eff,
        };
        let mut iv = if p <= 0.0 {
            Interval::ok(0.0, 1.0 - bound)
        } else {
            Interval::ok(bound, 1.0)
        };
        iv.note = Some(note);
        return iv;
    }
    let var = se * se;
    match method {
        CiMethod::Logit | CiMethod::Xlogit => {
            let l = (p / (1.0 - p)).ln();
            let h = t * se / (p * (1.0 - p));
            Interval::ok(expit(l - h), expit(l + h))
        }
        CiMethod::Mean => Interval::ok(p - t * se, p + t * se),
        CiMethod::Asin => {
            let a = p.sqrt().asin();
            let h = t * se / (2.0 * (p * (1.0 - p)).sqrt());
            Interval::ok((a - h).sin().powi(2), (a + h).sin().powi(2))
        }
        CiMethod::Beta => {
            if var <= 0.0 {
                return Interval::ok(p, p);
            }
            let mut n_eff = p * (1.0 - p) / var;
            if n > 1.0 {
                n_eff *= (qt(alpha / 2.0, n - 1.0) / qt(alpha / 2.0, df)).powi(2);
            }
            Interval::ok(
                qbeta(alpha / 2.0, n_eff * p, n_eff * (1.0 - p) + 1.0),
                qbeta(1.0 - alpha / 2.0, n_eff * p + 1.0, n_eff * (1.0 - p)),
            )
        }
        _ => Interval::none(Note::MethodMismatch {
            method: method.to_string(),
            design_based: false,
        }),
    }
}

/// A simple-random-sample interval for x successes in n trials, as statsmodels'
/// `proportion_confint` defines it.
pub fn srs_proportion(method: CiMethod, x: f64, n: f64, level: f64) -> Interval {
    if !(n > 0.0) {
        return Interval::none(Note::NoIntervalEmptyBase);
    }
    let alpha = 1.0 - level;
    let p = x / n;
    let z = qnorm(1.0 - alpha / 2.0);
    let clip = |lo: f64, hi: f64| Interval::ok(lo.max(0.0), hi.min(1.0));
    match method {
        CiMethod::Wilson => {
            let z2 = z * z;
            let denom = 1.0 + z2 / n;
            let center = (p + z2 / (2.0 * n)) / denom;
            let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denom;
            clip(center - half, center + half)
        }
        CiMethod::ClopperPearson => Interval::ok(
            if x <= 0.0 {
                0.0
            } else {
                qbeta(alpha / 2.0, x, n - x + 1.0)
            },
            if x >= n {
                1.0
            } else {
                qbeta(1.0 - alpha / 2.0, x + 1.0, n - x)
            },
        ),
        CiMethod::AgrestiCoull => {
            let q = z * z;
            let nc = n + q;
            let pc = (x + q / 2.0) / nc;
            let half = z * (pc * (1.0 - pc) / nc).sqrt();
            clip(pc - half, pc + half)
        }
        CiMethod::Jeffreys => Interval::ok(
            qbeta(alpha / 2.0, x + 0.5, n - x + 0.5),
            qbeta(1.0 - alpha / 2.0, x + 0.5, n - x + 0.5),
        ),
        CiMethod::Wald => {
            let half = z * (p * (1.0 - p) / n).sqrt();
            clip(p - half, p + half)
        }
        _ => Interval::none(Note::MethodMismatch {
            method: method.to_string(),
            design_based: true,
        }),
    }
}

/// A normal-theory interval (R's `confint(svymean(...))`).
pub fn normal_mean(mean: f64, se: f64, level: f64) -> Interval {
    let z = qnorm(1.0 - (1.0 - level) / 2.0);
    Interval::ok(mean - z * se, mean + z * se)
}

/// A t interval with `df` degrees of freedom (unweighted means: statsmodels' `tconfint_mean`).
pub fn t_mean(mean: f64, se: f64, df: f64, level: f64) -> Interval {
    if !(df >= 1.0) {
        return Interval::none(Note::NoIntervalFewRows);
    }
    let t = qt(1.0 - (1.0 - level) / 2.0, df);
    Interval::ok(mean - t * se, mean + t * se)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_names_round_trip() {
        for m in CiMethod::ALL {
            assert_eq!(m.name().parse::<CiMethod>().unwrap(), m);
        }
        assert_eq!("korn-graubard".parse::<CiMethod>().unwrap(), CiMethod::Beta);
        assert!("bogus".parse::<CiMethod>().unwrap_err().contains("wilson"));
    }

    #[test]
    fn p_zero_gets_a_valid_interval_with_a_note() {
        let x = DesignProportion {
            p: 0.0,
            se: 0.0,
            df: 50.0,
            n: 60.0,
            n_kish: 55.0,
        };
        for m in [
            CiMethod::Logit,
            CiMethod::Beta,
            CiMethod::Asin,
            CiMethod::Mean,
            CiMethod::Xlogit,
        ] {
            let iv = design_proportion(m, x, 0.95);
            assert_eq!(iv.lower, 0.0);
            assert!(iv.upper > 0.0 && iv.upper < 0.1, "{m}: {iv:?}");
            assert!(matches!(iv.note, Some(Note::EdgeBound { .. })));
        }
        let one = design_proportion(CiMethod::Logit, DesignProportion { p: 1.0, ..x }, 0.95);
        assert_eq!(one.upper, 1.0);
        assert!(one.lower > 0.9);
    }

    #[test]
    fn zero_df_gives_no_interval_and_says_why() {
        let x = DesignProportion {
            p: 0.5,
            se: 0.1,
            df: 0.0,
            n: 1.0,
            n_kish: 1.0,
        };
        let iv = design_proportion(CiMethod::Logit, x, 0.95);
        assert!(!iv.is_defined());
        assert_eq!(iv.note, Some(Note::NoIntervalDf { df: 0.0 }));
    }
}
