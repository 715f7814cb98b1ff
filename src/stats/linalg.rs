//! The little dense linear algebra the Rao–Scott tests need (matrices of a few dozen rows).

/// Solve A X = B for X (A n × n, B n × n, both row-major) by Gaussian elimination with partial
/// pivoting. `None` when A is singular.
pub fn solve(a: &[f64], b: &[f64], n: usize) -> Option<Vec<f64>> {
    let mut a = a.to_vec();
    let mut x = b.to_vec();
    let scale = a.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    for col in 0..n {
        let pivot =
            (col..n).max_by(|&i, &j| a[i * n + col].abs().total_cmp(&a[j * n + col].abs()))?;
        if !(a[pivot * n + col].abs() > 1e-13 * scale) {
            return None;
        }
        if pivot != col {
            for c in 0..n {
                a.swap(pivot * n + c, col * n + c);
                x.swap(pivot * n + c, col * n + c);
            }
        }
        let d = a[col * n + col];
        for r in 0..n {
            if r == col {
                continue;
            }
            let f = a[r * n + col] / d;
            if f == 0.0 {
                continue;
            }
            for c in 0..n {
                a[r * n + c] -= f * a[col * n + c];
                x[r * n + c] -= f * x[col * n + c];
            }
        }
    }
    for r in 0..n {
        let d = a[r * n + r];
        for c in 0..n {
            x[r * n + c] /= d;
        }
    }
    Some(x)
}

/// The Moore–Penrose inverse of a symmetric positive semi-definite matrix (n × n, row-major),
/// by Jacobi's eigenvalue method; eigenvalues below `tol` × the largest are treated as zero
/// (R's `MASS::ginv` with `tol = 256 * .Machine$double.eps`, which calibration uses).
pub fn pinv_symmetric(a: &[f64], n: usize, tol: f64) -> Vec<f64> {
    let mut m = a.to_vec();
    let mut v = vec![0.0; n * n];
    for i in 0..n {
        v[i * n + i] = 1.0;
    }
    for _sweep in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| m[i * n + j] * m[i * n + j])
            .sum();
        if off
            <= 1e-30
                * (0..n)
                    .map(|i| m[i * n + i] * m[i * n + i])
                    .sum::<f64>()
                    .max(1e-300)
        {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                let apq = m[p * n + q];
                if apq == 0.0 {
                    continue;
                }
                let (app, aqq) = (m[p * n + p], m[q * n + q]);
                let theta = (aqq - app) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let (mkp, mkq) = (m[k * n + p], m[k * n + q]);
                    m[k * n + p] = c * mkp - s * mkq;
                    m[k * n + q] = s * mkp + c * mkq;
                }
                for k in 0..n {
                    let (mpk, mqk) = (m[p * n + k], m[q * n + k]);
                    m[p * n + k] = c * mpk - s * mqk;
                    m[q * n + k] = s * mpk + c * mqk;
                }
                for k in 0..n {
                    let (vkp, vkq) = (v[k * n + p], v[k * n + q]);
                    v[k * n + p] = c * vkp - s * vkq;
                    v[k * n + q] = s * vkp + c * vkq;
                }
            }
        }
    }
    let largest = (0..n).map(|i| m[i * n + i].abs()).fold(0.0, f64::max);
    let mut out = vec![0.0; n * n];
    for e in 0..n {
        let lambda = m[e * n + e];
        if !(lambda.abs() > tol * largest) {
            continue;
        }
        for i in 0..n {
            for j in 0..n {
                out[i * n + j] += v[i * n + e] * v[j * n + e] / lambda;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solves_a_small_system() {
        let a = [4.0, 1.0, 2.0, 3.0];
        let b = [1.0, 0.0, 0.0, 1.0];
        let x = solve(&a, &b, 2).unwrap(); // the inverse
        let expect = [0.3, -0.1, -0.2, 0.4];
        for (g, e) in x.iter().zip(expect) {
            assert!((g - e).abs() < 1e-15);
        }
        assert!(solve(&[1.0, 2.0, 2.0, 4.0], &b, 2).is_none());
    }

    #[test]
    fn pseudo_inverse_of_a_symmetric_matrix() {
        let a = [4.0, 1.0, 1.0, 3.0];
        let x = pinv_symmetric(&a, 2, 1e-12);
        // The inverse of [[4, 1], [1, 3]] is [[3, -1], [-1, 4]] / 11.
        for (g, e) in x
            .iter()
            .zip([3.0 / 11.0, -1.0 / 11.0, -1.0 / 11.0, 4.0 / 11.0])
        {
            assert!((g - e).abs() < 1e-14, "{x:?}");
        }
        // Rank one: [[1, 2], [2, 4]]⁺ = [[1, 2], [2, 4]] / 25 (R: MASS::ginv).
        let y = pinv_symmetric(&[1.0, 2.0, 2.0, 4.0], 2, 1e-12);
        for (g, e) in y.iter().zip([0.04, 0.08, 0.08, 0.16]) {
            assert!((g - e).abs() < 1e-14, "{y:?}");
        }
    }
}
