//! Missing codes proposed from the values alone: 9, 99, 999, ... written above a range of
//! answers that ends well below them (an age of 999, a rating of 99), or -1, -9, -99 below a
//! range that starts at zero or above. A code is only proposed when it stands clearly apart: 9 is
//! an answer on a 1–9 scale and 10 on a 1–10 rating, so neither is taken for "weet niet".

/// Codes made of nines (9, 99, 999, ...): how many digits, or None.
fn nines(x: f64) -> Option<u32> {
    (1..=6).find(|&k| x == 10f64.powi(k as i32) - 1.0)
}

/// The proposed missing codes, given the largest distinct values (largest first) and the
/// smallest distinct values (smallest first) of a numeric column. Empty when nothing stands
/// apart, or when nothing would be left after taking the codes out.
pub fn proposed_missing(top: &[f64], bottom: &[f64]) -> Vec<f64> {
    let mut codes = high_codes(top);
    codes.extend(low_codes(bottom));
    codes
}

/// 9/99/999/... at the top, with 97 and 98 (997, 998, ...) beside it: "weet niet", "wil niet
/// zeggen", "niet van toepassing". The largest remaining value must leave a gap below the code:
/// at least 2 for 9 (so 1–7 plus 9, not 1–8 plus 9), and a whole order of magnitude for longer
/// codes (ages up to 95 plus 999; ratings 1–10 plus 99, but not ages up to 95 plus 99).
fn high_codes(top: &[f64]) -> Vec<f64> {
    let Some(&code) = top.first() else {
        return Vec::new();
    };
    let Some(k) = nines(code) else {
        return Vec::new();
    };
    let mut codes = vec![code];
    let neighbours = if k >= 2 {
        vec![code - 1.0, code - 2.0]
    } else {
        Vec::new()
    };
    let mut rest = top[1..].iter().copied();
    let rest_max = loop {
        match rest.next() {
            Some(x) if neighbours.contains(&x) => codes.push(x),
            other => break other,
        }
    };
    let Some(rest_max) = rest_max else {
        return Vec::new();
    };
    let gap = if k == 1 {
        2.0
    } else {
        10f64.powi(k as i32 - 1)
    };
    if rest_max <= code - gap {
        codes.sort_by(f64::total_cmp);
        codes
    } else {
        Vec::new()
    }
}

/// -1, -9, -99, ... at the bottom of a column whose other values are all zero or more.
fn low_codes(bottom: &[f64]) -> Vec<f64> {
    let is_code = |x: f64| x == -1.0 || nines(-x).is_some();
    let codes: Vec<f64> = bottom.iter().copied().take_while(|&x| x < 0.0).collect();
    let rest = bottom.iter().find(|&&x| x >= 0.0);
    if codes.is_empty() || rest.is_none() || !codes.iter().all(|&x| is_code(x)) {
        return Vec::new();
    }
    codes
}

/// A code as it is written in a codebook: integers without a decimal part.
pub fn code_text(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn top(values: &[f64]) -> Vec<f64> {
        let mut v = values.to_vec();
        v.sort_by(|a, b| b.total_cmp(a));
        v.truncate(4);
        v
    }

    #[test]
    fn codes_well_above_the_answers_are_missing() {
        assert_eq!(high_codes(&top(&[18.0, 40.0, 95.0, 999.0])), [999.0]);
        assert_eq!(high_codes(&top(&[1.0, 7.0, 10.0, 99.0])), [99.0]);
        assert_eq!(high_codes(&top(&[1.0, 5.0, 98.0, 99.0])), [98.0, 99.0]);
        assert_eq!(high_codes(&top(&[1.0, 2.0, 3.0, 9.0])), [9.0]);
        assert_eq!(high_codes(&top(&[1.0, 7.0, 9.0])), [9.0]);
        assert_eq!(high_codes(&top(&[250.0, 4000.0, 99999.0])), [99999.0]);
    }

    #[test]
    fn answers_at_the_top_of_a_scale_are_not_missing() {
        assert!(high_codes(&top(&[1.0, 8.0, 9.0])).is_empty(), "1-9 scale");
        assert!(
            high_codes(&top(&[1.0, 9.0, 10.0])).is_empty(),
            "1-10 rating"
        );
        assert!(high_codes(&top(&[18.0, 95.0, 99.0])).is_empty(), "ages");
        assert!(high_codes(&top(&[9.0])).is_empty(), "nothing left");
        assert!(high_codes(&top(&[98.0, 99.0])).is_empty(), "nothing left");
        assert!(high_codes(&top(&[9500.0, 9999.0])).is_empty(), "close");
    }

    #[test]
    fn negative_codes_below_positive_answers() {
        assert_eq!(low_codes(&[-9.0, -1.0, 0.0, 3.0]), [-9.0, -1.0]);
        assert!(low_codes(&[-5.0, 0.0, 3.0]).is_empty());
        assert!(low_codes(&[-9.0, -1.0]).is_empty());
        assert_eq!(
            proposed_missing(&[999.0, 80.0], &[-1.0, 18.0]),
            [999.0, -1.0]
        );
    }

    #[test]
    fn codes_are_written_as_integers() {
        assert_eq!(code_text(999.0), "999");
        assert_eq!(code_text(-1.0), "-1");
        assert_eq!(code_text(2.5), "2.5");
    }
}
