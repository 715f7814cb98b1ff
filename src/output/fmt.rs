//! Human-readable number formats shared by the text and Markdown writers (tidy CSV and JSON
//! keep full precision instead).

/// A proportion as a percentage with one decimal, or a mean with two; "–" when undefined.
pub fn value(x: f64, mean: bool) -> String {
    if !x.is_finite() {
        "–".into()
    } else if mean {
        format!("{x:.2}")
    } else {
        format!("{:.1}%", 100.0 * x)
    }
}

/// A difference with its sign: percentage points for proportions.
pub fn difference(x: f64, mean: bool) -> String {
    if !x.is_finite() {
        "–".into()
    } else if mean {
        format!("{x:+.2}")
    } else {
        format!("{:+.1} pp", 100.0 * x)
    }
}

/// A p-value with three decimals, or "<0.001".
pub fn p_value(x: f64) -> String {
    if !x.is_finite() {
        "–".into()
    } else if x < 0.001 {
        "<0.001".into()
    } else {
        format!("{x:.3}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(value(0.6512, false), "65.1%");
        assert_eq!(value(7.126, true), "7.13");
        assert_eq!(value(f64::NAN, true), "–");
        assert_eq!(difference(-0.248, false), "-24.8 pp");
        assert_eq!(difference(0.05, true), "+0.05");
        assert_eq!(p_value(0.0004), "<0.001");
        assert_eq!(p_value(0.0412), "0.041");
    }
}
