//! The moments a slot keeps, by rows mode. A slot's nine moments ([`M`]) are needed in full only
//! for numbers: for a single-choice code y = 1 whenever a row adds, so Σy, Σwy, Σwy², Σw²y and
//! Σw²y² are the very sums N, Σw, Σw, Σw² and Σw² (the same floats added in the same order);
//! for a select-all item y ∈ {0, 1}, so Σwy² is Σwy and Σw²y² is Σw²y. Keeping only the others
//! (4 and 7 instead of 9) saves memory and additions, and [`expand`] gives back all nine, bit
//! for bit what adding them would have given.

use super::{RowsMode, M, W, W2, W2Y, W2Y2, WY, WY2};

/// f64s a slot keeps in `mode`.
pub const fn kept(mode: RowsMode) -> usize {
    match mode {
        RowsMode::Code { .. } => CODE,
        RowsMode::Items { .. } => ITEM,
        RowsMode::Number { .. } => M,
    }
}

/// A code's slot: rows, rows of non-zero weight, Σw, Σw².
const CODE: usize = 4;
pub const C_N: usize = 0;
pub const C_NZ: usize = 1;
pub const C_W: usize = 2;
pub const C_W2: usize = 3;

/// An item's slot: rows, rows of non-zero weight, Σy, Σw, Σwy, Σw², Σw²y.
const ITEM: usize = 7;

/// What a row of weight `w` adds to its code's slot.
#[inline(always)]
pub fn code_delta(c: &mut [f64], w: f64) {
    c[..CODE].copy_from_slice(&[1.0, (w != 0.0) as u8 as f64, w, w * w]);
}

/// What a row of weight `w` and value `y` (0 or 1) adds to an item's slot.
#[inline(always)]
pub fn item_delta(c: &mut [f64], w: f64, y: f64) {
    let w2 = w * w;
    c[..ITEM].copy_from_slice(&[1.0, (w != 0.0) as u8 as f64, y, w, w * y, w2, w2 * y]);
}

/// What a row of weight `w` and value `y` adds to a number's slot (all nine moments).
#[inline(always)]
pub fn number_delta(c: &mut [f64], w: f64, y: f64) {
    let wy = w * y;
    let w2 = w * w;
    c[..M].copy_from_slice(&[
        1.0,
        (w != 0.0) as u8 as f64,
        y,
        w,
        wy,
        wy * y,
        w2,
        w2 * y,
        w2 * y * y,
    ]);
}

/// Add a delta to a slot's kept moments.
#[cfg(test)]
fn add(c: &mut [f64], d: &[f64]) {
    c.iter_mut().zip(d).for_each(|(x, d)| *x += d);
}

/// The nine moments of a slot from what it keeps.
#[inline]
pub fn expand(mode: RowsMode, c: &[f64]) -> [f64; M] {
    match mode {
        RowsMode::Code { .. } => [
            c[C_N], c[C_NZ], c[C_N], c[C_W], c[C_W], c[C_W], c[C_W2], c[C_W2], c[C_W2],
        ],
        RowsMode::Items { .. } => [c[0], c[1], c[2], c[3], c[4], c[4], c[5], c[6], c[6]],
        RowsMode::Number { .. } => {
            let mut m = [0.0; M];
            m.copy_from_slice(&c[..M]);
            m
        }
    }
}

/// Design-weight sums of a table's slots into final-weight sums: every Σw·… times g, every
/// Σw²·… times g² (what rescaling all nine moments would do to the kept ones).
pub fn rescale(mode: RowsMode, slots: &mut [f64], g: f64) {
    let (width, by_g, by_g2): (usize, &[usize], &[usize]) = match mode {
        RowsMode::Code { .. } => (CODE, &[C_W], &[C_W2]),
        RowsMode::Items { .. } => (ITEM, &[3, 4], &[5, 6]),
        RowsMode::Number { .. } => (M, &[W, WY, WY2], &[W2, W2Y, W2Y2]),
    };
    for m in slots.chunks_mut(width) {
        for &k in by_g {
            m[k] *= g;
        }
        for &k in by_g2 {
            m[k] *= g * g;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{N, NY, N_NZ};
    use super::*;

    /// The nine moments as every slot kept them before (the reference the kept ones must match
    /// bit for bit).
    fn nine(c: &mut [f64; M], w: f64, y: f64) {
        let wy = w * y;
        let w2 = w * w;
        c[N] += 1.0;
        c[N_NZ] += (w != 0.0) as u8 as f64;
        c[NY] += y;
        c[W] += w;
        c[WY] += wy;
        c[WY2] += wy * y;
        c[W2] += w2;
        c[W2Y] += w2 * y;
        c[W2Y2] += w2 * y * y;
    }

    #[test]
    fn kept_moments_expand_to_the_nine_bit_for_bit() {
        let weights = [0.37, 1.0, 0.0, 2.5e3, 1.0 / 3.0, 7.25, 0.1];
        let (mut code, mut code9) = ([0.0; CODE], [0.0; M]);
        let (mut item, mut item9) = ([0.0; ITEM], [0.0; M]);
        let bits = |m: [f64; M]| m.map(f64::to_bits);
        let (mut number, mut number9) = ([0.0; M], [0.0; M]);
        let mut d = [0.0; M];
        for (i, &w) in weights.iter().enumerate() {
            code_delta(&mut d, w);
            add(&mut code, &d[..CODE]);
            nine(&mut code9, w, 1.0);
            let y = (i % 3 != 1) as u8 as f64;
            item_delta(&mut d, w, y);
            add(&mut item, &d[..ITEM]);
            nine(&mut item9, w, y);
            number_delta(&mut d, w, w * 3.5 - 1.0);
            add(&mut number, &d);
            nine(&mut number9, w, w * 3.5 - 1.0);
        }
        assert_eq!(bits(number), bits(number9));
        assert_eq!(bits(expand(RowsMode::Code { var: 0 }, &code)), bits(code9));
        assert_eq!(
            bits(expand(RowsMode::Items { offset: 0 }, &item)),
            bits(item9)
        );
        let g = 1.7;
        let (mut c9, mut i9) = (code9, item9);
        rescale(RowsMode::Number { var: 0 }, &mut c9, g);
        rescale(RowsMode::Number { var: 0 }, &mut i9, g);
        rescale(RowsMode::Code { var: 0 }, &mut code, g);
        rescale(RowsMode::Items { offset: 0 }, &mut item, g);
        assert_eq!(bits(expand(RowsMode::Code { var: 0 }, &code)), bits(c9));
        assert_eq!(bits(expand(RowsMode::Items { offset: 0 }, &item)), bits(i9));
    }
}
