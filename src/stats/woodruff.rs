//! Quantiles of a number with Woodruff's interval, as R `survey` 4.1's `svyquantile` with its
//! defaults (`qrule = "math"`, `interval.type = "mean"`), from a table's weighted histogram:
//!
//! - the quantile: R's `qrule_math` on the domain's respondents of non-zero weight, in terms of
//!   the distinct values v_1 < … < v_m with cumulative weights C_j (S = C_m, t = p·S): with J the
//!   number of values whose C_j ≤ t, the answer is v_J when p − C_J/S is exactly 0, else v_{J+1}
//!   (v_m at most). When no value qualifies (J = 0) R falls back to the first *row* and answers
//!   with the second row: v_1 when two or more respondents share it, else v_2.
//! - the interval: F̂ = the domain's weighted mean of I(x ≤ q̂) (`svymean(x <= qhat)`, with the
//!   design's linearised SE, calibration residuals included), limits F̂ ∓ t·SE with t on the
//!   domain's df, each turned into a value by the same rule; a limit whose probability is below 0
//!   (above 1) is missing, as R's NaN. The SE is (upper − lower)/(2·t), as svyquantile reports.

use super::accumulate::histogram::{Entry, BIN_N, BIN_NZ, BIN_W, BIN_W2};
use super::accumulate::{Sums, M, N, NY, N_NZ, W, W2, W2Y, W2Y2, WY, WY2};
use super::design::Scores;
use super::estimate::{EstimateOptions, Figures};
use super::intervals::Interval;
use super::note::Note;
use super::quantiles::qt;

/// The weighted ECDF of a domain: its distinct values of positive weight, their cumulative
/// weights, and how many respondents of non-zero weight hold each.
struct Ecdf {
    values: Vec<f64>,
    cumulative: Vec<f64>,
    rows: Vec<f64>,
}

impl Ecdf {
    fn of(entries: &[Entry]) -> Ecdf {
        let mut e = Ecdf {
            values: Vec::new(),
            cumulative: Vec::new(),
            rows: Vec::new(),
        };
        let mut total = 0.0;
        let mut i = 0;
        while i < entries.len() {
            let x = entries[i].x;
            let (mut w, mut rows) = (0.0, 0.0);
            while i < entries.len() && entries[i].x == x {
                w += entries[i].bin[BIN_W];
                rows += entries[i].bin[BIN_NZ];
                i += 1;
            }
            // R drops rows of weight 0 before anything else.
            if w > 0.0 {
                total += w;
                e.values.push(x);
                e.cumulative.push(total);
                e.rows.push(rows);
            }
        }
        e
    }

    fn total(&self) -> f64 {
        self.cumulative.last().copied().unwrap_or(0.0)
    }

    /// R's `qrule_math` at probability p (see the module's comment).
    fn quantile(&self, p: f64) -> f64 {
        let m = self.values.len();
        let s = self.total();
        let j = self.cumulative.partition_point(|&c| c <= p * s);
        if j == 0 {
            return if self.rows[0] >= 2.0 || m == 1 {
                self.values[0]
            } else {
                self.values[1]
            };
        }
        if p - self.cumulative[j - 1] / s == 0.0 {
            self.values[j - 1]
        } else {
            self.values[j.min(m - 1)]
        }
    }
}

/// The quantile `p` of table `t`'s number in group `group` (on its axis); `None` when nobody in
/// the domain answered.
pub fn quantile_figures(
    sums: &Sums,
    t: usize,
    group: usize,
    p: f64,
    opts: EstimateOptions,
) -> Option<Figures> {
    let entries = sums.extras.histograms[t].as_ref()?.groups.get(group)?;
    let n: f64 = entries.iter().map(|e| e.bin[BIN_N]).sum();
    if n == 0.0 {
        return None;
    }
    let ecdf = Ecdf::of(entries);
    let (w, w2): (f64, f64) = entries
        .iter()
        .fold((0.0, 0.0), |a, e| (a.0 + e.bin[BIN_W], a.1 + e.bin[BIN_W2]));
    let mut f = Figures {
        n,
        count: n,
        weighted_base: w,
        estimate: f64::NAN,
        se: f64::NAN,
        df: 0.0,
        deff: None,
        n_eff: if w2 > 0.0 { w * w / w2 } else { 0.0 },
        interval: Interval::none(Note::ZeroWeights { n: n as u64 }),
        ci_method: "woodruff".to_string(),
    };
    if ecdf.values.is_empty() {
        return Some(f);
    }
    let q = ecdf.quantile(p);
    f.estimate = q;
    // The domain's moments per subunit, with y = I(x ≤ q).
    let mut units = vec![[0.0; M]; sums.design.n_subunits()];
    for e in entries {
        let m = &mut units[e.subunit];
        m[N] += e.bin[BIN_N];
        m[N_NZ] += e.bin[BIN_NZ];
        m[W] += e.bin[BIN_W];
        m[W2] += e.bin[BIN_W2];
        if e.x <= q {
            m[NY] += e.bin[BIN_N];
            m[WY] += e.bin[BIN_W];
            m[WY2] += e.bin[BIN_W];
            m[W2Y] += e.bin[BIN_W2];
            m[W2Y2] += e.bin[BIN_W2];
        }
    }
    // Both sums in one order, so that F̂ is exactly 1 when every value is at most q.
    let below: f64 = units.iter().map(|m| m[WY]).sum();
    let all: f64 = units.iter().map(|m| m[W]).sum();
    let at = below / all;
    let se_at = sums
        .design
        .variance(|u| Scores::ratio(&units[u], at, all))
        .max(0.0)
        .sqrt();
    f.df = sums.design.domain_df(|u| units[u][N_NZ]);
    let alpha = 1.0 - opts.level;
    let tq = qt(1.0 - alpha / 2.0, f.df);
    if !tq.is_finite() {
        f.interval = Interval::none(Note::NoIntervalDf { df: f.df });
        return Some(f);
    }
    // R's confint: F̂ + SE·qt(α/2) and F̂ + SE·qt(1 − α/2).
    let (p_lo, p_hi) = (at + se_at * -tq, at + se_at * tq);
    let lower = if p_lo.is_nan() || p_lo < 0.0 {
        f64::NAN
    } else {
        ecdf.quantile(p_lo)
    };
    let upper = if p_hi.is_nan() || p_hi > 1.0 {
        f64::NAN
    } else {
        ecdf.quantile(p_hi)
    };
    f.se = (upper - lower) / (2.0 * tq);
    f.interval = Interval {
        lower,
        upper,
        note: (lower.is_nan() || upper.is_nan()).then_some(Note::QuantileLimit {
            lower: lower.is_nan(),
            upper: upper.is_nan(),
        }),
    };
    Some(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ecdf(values: &[(f64, f64, f64)]) -> Ecdf {
        let entries: Vec<Entry> = values
            .iter()
            .map(|&(x, w, rows)| Entry {
                x,
                subunit: 0,
                bin: [rows, rows, w, w * w],
            })
            .collect();
        Ecdf::of(&entries)
    }

    #[test]
    fn the_quantile_rule_is_rs_qrule_math() {
        // R: survey:::qrule_math(c(1, 2, 3, 4), c(1, 1, 1, 1), p)
        let e = ecdf(&[
            (1.0, 1.0, 1.0),
            (2.0, 1.0, 1.0),
            (3.0, 1.0, 1.0),
            (4.0, 1.0, 1.0),
        ]);
        assert_eq!(e.quantile(0.5), 2.0, "F(2) = 0.5 exactly: the lower value");
        assert_eq!(e.quantile(0.51), 3.0);
        assert_eq!(e.quantile(0.25), 1.0);
        assert_eq!(e.quantile(1.0), 4.0);
        // R: qrule_math(c(3, 1, 2), c(5, 1, 1), 0.1) = 2: below the first weight R takes the
        // second row, the second smallest value when one respondent holds the smallest.
        let e = ecdf(&[(1.0, 1.0, 1.0), (2.0, 1.0, 1.0), (3.0, 5.0, 1.0)]);
        assert_eq!(e.quantile(0.1), 2.0);
        assert_eq!(e.quantile(0.0), 2.0);
        // Two respondents share the smallest value: the second row is still that value.
        let e = ecdf(&[(1.0, 2.0, 2.0), (2.0, 1.0, 1.0), (3.0, 5.0, 1.0)]);
        assert_eq!(e.quantile(0.1), 1.0);
    }

    #[test]
    fn values_of_weight_zero_do_not_count() {
        let e = ecdf(&[(1.0, 0.0, 1.0), (2.0, 1.0, 1.0), (3.0, 1.0, 1.0)]);
        assert_eq!(e.values, vec![2.0, 3.0]);
        assert_eq!(e.quantile(0.5), 2.0);
    }
}
