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
}
