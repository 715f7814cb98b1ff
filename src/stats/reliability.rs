//! Cronbach's alpha of each scale, from the unweighted moments a pass keeps: as SPSS
//! RELIABILITY /MODEL = ALPHA, on the respondents who answered every item validly (listwise),
//! items reversed as the scale says:
//! α = k/(k − 1) · (1 − Σ var(item_i) / var(Σ items)), sample variances (n − 1).

use super::accumulate::{ScaleMoments, Sums};
use crate::codebook::Codebook;
use serde::Serialize;

/// One row of `scales.csv`.
#[derive(Debug, Clone, Serialize)]
pub struct ScaleReliability {
    /// The scale's variable name.
    pub scale: String,
    /// Its items' variable names, separated by spaces.
    pub items: String,
    /// Respondents with every item valid.
    pub n_complete: u64,
    /// Cronbach's alpha; NaN (written empty) with fewer than two complete respondents or no
    /// variance in the total.
    pub alpha: f64,
    /// The scale's label (for readable outputs; not a column).
    #[serde(skip)]
    pub label: String,
}

/// Column names of `scales.csv`.
pub const SCALE_COLUMNS: [&str; 4] = ["scale", "items", "n_complete", "alpha"];

/// Cronbach's alpha from the moments of one scale.
pub fn alpha(m: &ScaleMoments) -> f64 {
    let k = m.sum.len() as f64;
    let n = m.n;
    if n < 2.0 || k < 2.0 {
        return f64::NAN;
    }
    let var = |s: f64, s2: f64| (s2 - s * (s / n)) / (n - 1.0);
    let items: f64 = m
        .sum
        .iter()
        .zip(&m.sum_sq)
        .map(|(&s, &s2)| var(s, s2))
        .sum();
    let total = var(m.total, m.total_sq);
    if !(total > 0.0) {
        return f64::NAN;
    }
    k / (k - 1.0) * (1.0 - items / total)
}

/// Every scale of the codebook with its alpha, in codebook order.
pub fn scales(codebook: &Codebook, sums: &Sums) -> Vec<ScaleReliability> {
    sums.layout
        .extras
        .scales
        .iter()
        .zip(&sums.extras.scales)
        .map(|((v, scale, _), m)| {
            let var = &codebook.variables[*v];
            ScaleReliability {
                scale: var.name.clone(),
                items: scale
                    .items
                    .iter()
                    .map(|i| codebook.variables[i.var].name.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                n_complete: m.n as u64,
                alpha: alpha(m),
                label: var.label.clone(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Moments of rows of item values.
    fn moments(rows: &[&[f64]]) -> ScaleMoments {
        let k = rows[0].len();
        let mut m = ScaleMoments {
            n: 0.0,
            sum: vec![0.0; k],
            sum_sq: vec![0.0; k],
            total: 0.0,
            total_sq: 0.0,
        };
        for r in rows {
            m.n += 1.0;
            let t: f64 = r.iter().sum();
            for (j, x) in r.iter().enumerate() {
                m.sum[j] += x;
                m.sum_sq[j] += x * x;
            }
            m.total += t;
            m.total_sq += t * t;
        }
        m
    }

    #[test]
    fn alpha_matches_the_textbook_example() {
        // R: X <- rbind(c(1,2,2), c(2,3,3), c(3,3,4), c(4,5,4), c(5,4,5));
        // k <- 3; k/(k-1) * (1 - sum(apply(X, 2, var)) / var(rowSums(X))) = 0.9333333333333333
        let m = moments(&[
            &[1.0, 2.0, 2.0],
            &[2.0, 3.0, 3.0],
            &[3.0, 3.0, 4.0],
            &[4.0, 5.0, 4.0],
            &[5.0, 4.0, 5.0],
        ]);
        assert!(
            (alpha(&m) - 0.9333333333333333).abs() < 1e-14,
            "{}",
            alpha(&m)
        );
    }

    #[test]
    fn alpha_is_undefined_without_variance_or_respondents() {
        assert!(alpha(&moments(&[&[3.0, 3.0], &[3.0, 3.0]])).is_nan());
        assert!(alpha(&moments(&[&[1.0, 2.0]])).is_nan());
    }
}
