//! Sums kept sparse: a block only for each (subunit, group) pair that has rows, so that their
//! cost follows the respondents and the groups they fill, not the product of the strata,
//! calibration cells and categories (200 × 200 × 50 × 200 possible crossed groups on a two-row
//! file used to allocate 149 GB). A crossed breakdown's joint group is known by its key, the
//! mixed-radix number of its variables' levels with the first variable slowest, so sorted keys
//! list the groups in the order a reader expects; a row with a missing grouping value belongs to
//! no joint group. A group set's blocks are keyed by grouping and group ([`set_key`]).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A multiplicative hash for the accumulator's own u64 keys (subunit and joint key). Not
/// resistant to chosen keys, which cannot occur: the keys are indices the program made.
#[derive(Default)]
pub(super) struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(self.0 ^ u64::from(b));
        }
    }

    #[inline]
    fn write_u64(&mut self, x: u64) {
        // Fold the high half in first: the table uses the low bits, which a product alone
        // takes from the low bits of the key only.
        let h = (x ^ (x >> 32)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.0 = h ^ (h >> 29);
    }

    #[inline]
    fn write_u128(&mut self, x: u128) {
        self.write_u64(x as u64 ^ ((x >> 64) as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F));
    }
}

type KeyMap = HashMap<u128, u32, BuildHasherDefault<KeyHasher>>;

/// A group's key in a [`super::GroupSet`]'s blocks: grouping `j` of the set (high bits) and the
/// group's dense index or joint key, so that sorted keys list the groupings in order and each
/// grouping's groups in the order of their keys.
#[inline]
pub fn set_key(j: usize, key: u32) -> u64 {
    (j as u64) << 32 | u64::from(key)
}

/// The grouping and group key of a [`set_key`].
#[inline]
pub fn split_set_key(k: u64) -> (usize, u32) {
    ((k >> 32) as usize, k as u32)
}

/// The joint key of a combination of levels (each below its variable's level count), or `None`
/// when a level is missing (`>= levels[i]`). The codebook caps the product of the levels
/// ([`crate::codebook::MAX_CROSSED_GROUPS`]), so keys fit in 32 bits.
#[inline]
pub fn joint_key(levels: &[usize], of: impl Iterator<Item = usize>) -> Option<u32> {
    let mut key: u64 = 0;
    for (l, &n) in of.zip(levels) {
        if l >= n {
            return None;
        }
        key = key.checked_mul(n as u64)?.checked_add(l as u64)?;
    }
    u32::try_from(key).ok()
}

/// A lane's name for a joint group where dense group positions are expected (the histograms
/// of quantiles): joint grouping `j` of the table and the group's key, marked by the top bit.
/// Keys stay below [`crate::codebook::MAX_CROSSED_GROUPS`] < 2^24, groupings below 2^7.
#[inline]
pub fn lane_group(j: usize, key: u32) -> usize {
    debug_assert!(j < 1 << 7 && key < 1 << 24);
    LANE_JOINT | j << 24 | key as usize
}

const LANE_JOINT: usize = 1 << 31;

/// Where the groups a lane names (dense positions, or [`lane_group`]s) are on a merged table's
/// group axis.
#[derive(Debug, Clone, Default)]
pub struct GroupAxis {
    /// Places on the axis: the dense groups, then every joint grouping's groups with rows.
    pub len: usize,
    /// Per joint grouping: its offset and sorted keys.
    joint: Vec<(usize, Vec<u32>)>,
}

impl GroupAxis {
    pub fn of(t: &super::TableLayout) -> GroupAxis {
        let joint: Vec<(usize, Vec<u32>)> = t
            .joint_groupings()
            .map(|g| (g.offset, g.joint.clone().unwrap_or_default()))
            .collect();
        let len = t.n_groups + joint.iter().map(|(_, k)| k.len()).sum::<usize>();
        GroupAxis { len, joint }
    }

    /// An axis of `len` dense groups.
    pub fn dense(len: usize) -> GroupAxis {
        GroupAxis {
            len,
            joint: Vec::new(),
        }
    }

    /// The axis position of a lane's group; every joint group a lane named has rows, so its key
    /// is among the merged ones.
    pub fn position(&self, lane_group: usize) -> usize {
        if lane_group & LANE_JOINT == 0 {
            return lane_group;
        }
        let (j, key) = ((lane_group >> 24) & 0x7f, (lane_group & 0xff_ffff) as u32);
        let (offset, keys) = &self.joint[j];
        offset
            + keys
                .binary_search(&key)
                .expect("a lane's joint group has rows, so a merged key")
    }
}

/// The levels of a joint key (the inverse of [`joint_key`]).
pub fn key_levels(levels: &[usize], key: u32) -> Vec<usize> {
    let mut out = vec![0; levels.len()];
    let mut k = key as usize;
    for (o, &n) in out.iter_mut().zip(levels).rev() {
        *o = k % n;
        k /= n;
    }
    out
}

/// One lane's sums of one group set: a block of `len` f64s (its tables' slots × moments) per
/// (local subunit, [`set_key`]) that has rows.
#[derive(Debug, Clone, Default)]
pub struct JointSums {
    index: KeyMap,
    /// Per block: (local subunit, set key).
    pub cells: Vec<(u32, u64)>,
    pub data: Vec<f64>,
}

impl JointSums {
    /// f64s held.
    pub fn held(&self) -> usize {
        self.data.len()
    }

    /// Where the block of (subunit, key) starts in `data`, created empty on first use.
    #[inline]
    pub fn block_at(&mut self, subunit: usize, key: u64, len: usize) -> usize {
        let k = (subunit as u128) << 64 | u128::from(key);
        let cells = &mut self.cells;
        let data = &mut self.data;
        let b = *self.index.entry(k).or_insert_with(|| {
            cells.push((subunit as u32, key));
            data.resize(data.len() + len, 0.0);
            (cells.len() - 1) as u32
        });
        b as usize * len
    }

    /// The block of (subunit, key), created empty on first use.
    #[cfg(test)]
    fn block(&mut self, subunit: usize, key: u64, len: usize) -> &mut [f64] {
        let at = self.block_at(subunit, key, len);
        &mut self.data[at..at + len]
    }
}

/// The merged sums of one group set, per group (sorted by [`set_key`]) the blocks of the
/// subunits it has rows in (sorted by subunit).
#[derive(Debug, Clone, Default)]
pub struct JointTable {
    /// Per group: its set key.
    pub keys: Vec<u64>,
    /// Per joint group: the range of its blocks in `subunits` (`start[g]..start[g + 1]`).
    pub start: Vec<usize>,
    /// Per block: the global subunit.
    pub subunits: Vec<u32>,
    /// Per block: `len` f64s.
    pub data: Vec<f64>,
    /// f64s per block.
    pub len: usize,
}

impl JointTable {
    /// Merge the lanes' sums (in lane order, so that floating-point sums are reproducible);
    /// `global[lane][local subunit]` is the subunit's global index. The first lane's blocks
    /// become the merged ones and each later lane is added into them and freed, so the merge
    /// needs little more memory than the lanes (a pair's sum is its first lane's plus the
    /// next's, as if added to zeros: 0 + x is x, sums never being -0).
    pub fn merge(lanes: Vec<JointSums>, global: &[Vec<usize>], len: usize) -> JointTable {
        let mut lanes = lanes.into_iter().zip(global);
        let Some((first, g0)) = lanes.next() else {
            return JointTable {
                start: vec![0],
                len,
                ..JointTable::default()
            };
        };
        // Per block: (set key, global subunit).
        let mut cells: Vec<(u64, u32)> = first
            .cells
            .iter()
            .map(|&(s, k)| (k, g0[s as usize] as u32))
            .collect();
        let mut data = first.data;
        let mut index: HashMap<(u64, u32), u32, BuildHasherDefault<crate::stats::cells::FxHasher>> =
            cells
                .iter()
                .enumerate()
                .map(|(b, &c)| (c, b as u32))
                .collect();
        for (lane, g) in lanes {
            let pair = |&(s, k): &(u32, u64)| (k, g[s as usize] as u32);
            let new = lane
                .cells
                .iter()
                .filter(|c| !index.contains_key(&pair(c)))
                .count();
            data.reserve_exact(new * len);
            for (b, c) in lane.cells.iter().enumerate() {
                let src = &lane.data[b * len..(b + 1) * len];
                match index.get(&pair(c)) {
                    Some(&at) => {
                        let at = at as usize * len;
                        for (d, x) in data[at..at + len].iter_mut().zip(src) {
                            *d += x;
                        }
                    }
                    None => {
                        index.insert(pair(c), cells.len() as u32);
                        cells.push(pair(c));
                        data.extend_from_slice(src);
                    }
                }
            }
        }
        drop(index);
        // Blocks sorted by (key, subunit): groups in key order, each group's subunits ascending.
        let mut order: Vec<u32> = (0..cells.len() as u32).collect();
        order.sort_unstable_by_key(|&b| cells[b as usize]);
        permute_blocks(&mut data, len, &order);
        let mut out = JointTable {
            keys: Vec::new(),
            start: Vec::with_capacity(cells.len() + 1),
            subunits: order.iter().map(|&b| cells[b as usize].1).collect(),
            data,
            len,
        };
        for (i, &b) in order.iter().enumerate() {
            let k = cells[b as usize].0;
            if out.keys.last() != Some(&k) {
                out.keys.push(k);
                out.start.push(i);
            }
        }
        out.start.push(cells.len());
        out
    }

    /// The place of the group of set key `key`, if it has rows.
    pub fn group(&self, key: u64) -> Option<usize> {
        self.keys.binary_search(&key).ok()
    }

    /// Groups with rows.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The blocks of joint group `g`: (global subunit, its f64s).
    pub fn blocks(&self, g: usize) -> impl Iterator<Item = (usize, &[f64])> + '_ {
        (self.start[g]..self.start[g + 1]).map(move |b| {
            (
                self.subunits[b] as usize,
                &self.data[b * self.len..(b + 1) * self.len],
            )
        })
    }

    /// The block of joint group `g` in `subunit`, if it has rows there.
    pub fn block(&self, g: usize, subunit: usize) -> Option<&[f64]> {
        let range = self.start[g]..self.start[g + 1];
        let at = self.subunits[range.clone()]
            .binary_search(&(subunit as u32))
            .ok()?;
        let b = range.start + at;
        Some(&self.data[b * self.len..(b + 1) * self.len])
    }

    /// Every block with its global subunit, mutably (for rescaling).
    pub fn blocks_mut(&mut self) -> impl Iterator<Item = (usize, &mut [f64])> + '_ {
        let len = self.len;
        self.subunits
            .iter()
            .zip(self.data.chunks_mut(len.max(1)))
            .map(|(&s, d)| (s as usize, d))
    }
}

/// Rearrange blocks of `len` f64s in place so that block `i` becomes what block `order[i]` was
/// (following each cycle of the permutation with one block of scratch).
fn permute_blocks(data: &mut [f64], len: usize, order: &[u32]) {
    let mut done = vec![false; order.len()];
    let mut scratch = vec![0.0; len];
    for start in 0..order.len() {
        if done[start] || order[start] as usize == start {
            done[start] = true;
            continue;
        }
        scratch.copy_from_slice(&data[start * len..(start + 1) * len]);
        let mut i = start;
        loop {
            done[i] = true;
            let from = order[i] as usize;
            if from == start {
                data[i * len..(i + 1) * len].copy_from_slice(&scratch);
                break;
            }
            data.copy_within(from * len..(from + 1) * len, i * len);
            i = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_order_groups_with_the_first_variable_slowest_and_decode_back() {
        let levels = [3, 4];
        let k = |a, b| joint_key(&levels, [a, b].into_iter()).unwrap();
        assert!(k(0, 3) < k(1, 0) && k(1, 0) < k(1, 1) && k(2, 3) == 11);
        assert_eq!(key_levels(&levels, k(2, 1)), vec![2, 1]);
        assert_eq!(
            joint_key(&levels, [3, 0].into_iter()),
            None,
            "a missing level"
        );
    }

    #[test]
    fn lanes_merge_in_order_onto_sorted_groups_and_subunits() {
        let mut a = JointSums::default();
        a.block(1, 7, 2)[0] += 1.0;
        a.block(0, 7, 2)[1] += 2.0;
        let mut b = JointSums::default();
        b.block(0, 3, 2)[0] += 4.0;
        b.block(0, 7, 2)[0] += 8.0;
        // Lane a's local subunits 0, 1 are global 5, 2; lane b's local 0 is global 2.
        let t = JointTable::merge(vec![a, b], &[vec![5, 2], vec![2]], 2);
        assert_eq!(t.keys, vec![3, 7]);
        let g7: Vec<(usize, Vec<f64>)> = t.blocks(1).map(|(s, d)| (s, d.to_vec())).collect();
        assert_eq!(g7, vec![(2, vec![9.0, 0.0]), (5, vec![0.0, 2.0])]);
        assert_eq!(t.block(0, 2), Some(&[4.0, 0.0][..]));
        assert_eq!(t.block(0, 5), None);
    }

    #[test]
    fn blocks_are_permuted_in_place_along_every_cycle() {
        // Blocks of 2: block i holds [i, 10 i].
        let mut data: Vec<f64> = (0..6).flat_map(|i| [i as f64, 10.0 * i as f64]).collect();
        let order = [3, 0, 1, 2, 5, 4];
        permute_blocks(&mut data, 2, &order);
        let want: Vec<f64> = order
            .iter()
            .flat_map(|&i| [i as f64, 10.0 * i as f64])
            .collect();
        assert_eq!(data, want);
    }
}
