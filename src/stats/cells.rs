//! Calibration cells: the joint levels of the `[weighting]` variables a respondent has. Only the
//! cells that respondents fill exist: a cell is keyed by its levels in mixed radix (each variable
//! with one level more, for "unknown"), so four variables of 200 categories cost what their
//! respondents cost, not the product of the categories. Keys sort in the order of the levels
//! (first variable slowest), which is the order the sums and the calibration use.

use crate::input::{DecodedRow, MISSING_CODE};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A small, fast hasher for integer keys (the Fx hash of rustc): the keys here are levels and
/// unit indices, never text a file could choose to collide.
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(b));
        }
    }
    #[inline]
    fn write_u32(&mut self, x: u32) {
        self.add(x as u64);
    }
    #[inline]
    fn write_u64(&mut self, x: u64) {
        self.add(x);
    }
    #[inline]
    fn write_u128(&mut self, x: u128) {
        self.add(x as u64);
        self.add((x >> 64) as u64);
    }
    #[inline]
    fn write_usize(&mut self, x: usize) {
        self.add(x as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A hash map with [`FxHasher`].
pub type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// The cell's key of a respondent without weighting: everyone is in one cell.
pub const ONLY_CELL: u128 = 0;

/// Cells per unit below which a lane keeps a dense (unit, cell) table instead of a hash map.
const DENSE_CELLS: u128 = 256;

/// The calibration variables and how their levels make a key.
#[derive(Debug, Clone, PartialEq)]
pub struct CellAxis {
    pub vars: Vec<usize>,
    /// Known levels of each variable; level `levels[k]` is "unknown".
    pub levels: Vec<usize>,
    /// The number of keys (Π (levels + 1)): the dense table's width when small.
    space: u128,
}

impl CellAxis {
    pub fn new(vars: Vec<usize>, levels: Vec<usize>) -> CellAxis {
        let space = levels
            .iter()
            .fold(1u128, |s, &l| s.saturating_mul(l as u128 + 1));
        CellAxis {
            vars,
            levels,
            space,
        }
    }

    /// The row's cell key (a missing code is the variable's "unknown" level; the decoder refuses
    /// such rows unless `[weighting] unknown = "own-category"`).
    #[inline]
    pub fn key_of(&self, row: &DecodedRow) -> u128 {
        let mut key = 0u128;
        for (&v, &l) in self.vars.iter().zip(&self.levels) {
            let code = row.codes[v];
            let level = if code == MISSING_CODE {
                l
            } else {
                code as usize
            };
            key = key * (l as u128 + 1) + level as u128;
        }
        key
    }

    /// The levels of a key, per variable (`levels[k]` for unknown).
    pub fn levels_of(&self, mut key: u128) -> Vec<usize> {
        let mut out = vec![0; self.levels.len()];
        for k in (0..self.levels.len()).rev() {
            let radix = self.levels[k] as u128 + 1;
            out[k] = (key % radix) as usize;
            key /= radix;
        }
        out
    }

    /// Whether keys are few enough for a dense (unit, cell) table.
    fn dense(&self) -> Option<usize> {
        (self.space <= DENSE_CELLS).then_some(self.space as usize)
    }
}

/// One lane's subunits: (unit, cell key) → the lane's subunit index, created on first use.
#[derive(Debug, Clone)]
pub struct SubunitIndex {
    dense: Option<usize>,
    /// Dense: per (unit × width + key), the subunit + 1 (0 before its first row).
    table: Vec<u32>,
    map: FxMap<(u32, u128), u32>,
    /// Per subunit: (unit, key).
    pub subunits: Vec<(u32, u128)>,
}

impl SubunitIndex {
    pub fn new(axis: &CellAxis) -> SubunitIndex {
        SubunitIndex {
            dense: axis.dense(),
            table: Vec::new(),
            map: FxMap::default(),
            subunits: Vec::new(),
        }
    }

    /// The subunit of (unit, key) and whether it is new.
    #[inline]
    pub fn get(&mut self, unit: u32, key: u128) -> (usize, bool) {
        let next = self.subunits.len() as u32;
        let (s, new) = match self.dense {
            Some(width) => {
                let at = unit as usize * width + key as usize;
                if at >= self.table.len() {
                    self.table.resize((unit as usize + 1) * width, 0);
                }
                match self.table[at] {
                    0 => {
                        self.table[at] = next + 1;
                        (next, true)
                    }
                    s => (s - 1, false),
                }
            }
            None => match self.map.entry((unit, key)) {
                std::collections::hash_map::Entry::Occupied(e) => (*e.get(), false),
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(next);
                    (next, true)
                }
            },
        };
        if new {
            self.subunits.push((unit, key));
        }
        (s as usize, new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_sort_as_the_levels_and_decode_back() {
        let axis = CellAxis::new(vec![0, 1], vec![2, 3]);
        let mut row = DecodedRow {
            codes: vec![1, 2],
            ..Default::default()
        };
        let k12 = axis.key_of(&row);
        assert_eq!(axis.levels_of(k12), vec![1, 2]);
        row.codes = vec![0, MISSING_CODE];
        let k0u = axis.key_of(&row);
        assert_eq!(axis.levels_of(k0u), vec![0, 3]);
        assert!(k0u < k12, "first variable slowest");
    }

    #[test]
    fn sparse_and_dense_indices_agree() {
        let small = CellAxis::new(vec![0], vec![3]);
        let big = CellAxis::new(vec![0, 1, 2, 3], vec![200; 4]);
        for axis in [small, big] {
            let mut ix = SubunitIndex::new(&axis);
            assert_eq!(ix.get(3, 2), (0, true));
            assert_eq!(ix.get(0, 2), (1, true));
            assert_eq!(ix.get(3, 2), (0, false));
            assert_eq!(ix.subunits, vec![(3, 2), (0, 2)]);
        }
    }
}
