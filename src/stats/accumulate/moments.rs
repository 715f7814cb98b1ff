//! The moments a slot keeps, by rows mode. A slot's nine moments ([`M`]) are needed in full only
//! for numbers: for a single-choice code y = 1 whenever a row adds, so Σy, Σwy, Σwy², Σw²y and
//! Σw²y² are the very sums N, Σw, Σw, Σw² and Σw² (the same floats added in the same order);
//! for a select-all item y ∈ {0, 1}, so Σwy² is Σwy and Σw²y² is Σw²y. Keeping only the others
//! (4 and 7 instead of 9) saves memory and additions, and [`expand`] gives back all nine, bit
//! for bit what adding them would have given.

use super::{RowsMode, M, N, NY, N_NZ, W, W2, W2Y, W2Y2, WY, WY2};

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

/// Add a row of weight `w` to its code's slot.
#[inline(always)]
pub fn add_code(c: &mut [f64], w: f64) {
    let c = &mut c[..CODE];
    c[C_N] += 1.0;
    c[C_NZ] += (w != 0.0) as u8 as f64;
    c[C_W] += w;
    c[C_W2] += w * w;
}

/// Add a row of weight `w` and value `y` (0 or 1) to an item's slot.
#[inline(always)]
pub fn add_item(c: &mut [f64], w: f64, y: f64) {
    let c = &mut c[..ITEM];
    let w2 = w * w;
    c[0] += 1.0;
    c[1] += (w != 0.0) as u8 as f64;
    c[2] += y;
    c[3] += w;
    c[4] += w * y;
    c[5] += w2;
    c[6] += w2 * y;
}

/// Add a row of weight `w` and value `y` to a number's slot (all nine moments).
#[inline(always)]
pub fn add_number(c: &mut [f64], w: f64, y: f64) {
    let c = &mut c[..M];
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
    use super::*;

    /// The nine moments as every slot kept them before (the reference the kept ones must match
    /// bit for bit).
    fn nine(c: &mut [f64; M], w: f64, y: f64) {
        add_number(c, w, y);
    }

    #[test]
    fn kept_moments_expand_to_the_nine_bit_for_bit() {
        let weights = [0.37, 1.0, 0.0, 2.5e3, 1.0 / 3.0, 7.25, 0.1];
        let (mut code, mut code9) = ([0.0; CODE], [0.0; M]);
        let (mut item, mut item9) = ([0.0; ITEM], [0.0; M]);
        for (i, &w) in weights.iter().enumerate() {
            add_code(&mut code, w);
            nine(&mut code9, w, 1.0);
            let y = (i % 3 != 1) as u8 as f64;
            add_item(&mut item, w, y);
            nine(&mut item9, w, y);
        }
        let bits = |m: [f64; M]| m.map(f64::to_bits);
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
