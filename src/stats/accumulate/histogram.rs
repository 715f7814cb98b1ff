//! Weighted histograms for quantiles: per (group on a table's axis, subunit, distinct value),
//! the rows, the rows of non-zero weight, Σw and Σw². That is sufficient for the weighted
//! ECDF (so for R's `qrule = "math"`), for the domain's moments of the indicator I(x ≤ q) at any
//! q (so for Woodruff's interval, `svymean(I(x <= q))`, with the design's variance: strata,
//! clusters, calibration residuals) and for the domain's df. A lane keeps a hash map; merged,
//! each group's entries are sorted by value. Only tables that ask for quantiles keep one.

use std::collections::HashMap;

/// Rows, rows of non-zero weight, Σw, Σw² of one (group, subunit, value).
pub type Bin = [f64; 4];
pub const BIN_N: usize = 0;
pub const BIN_NZ: usize = 1;
pub const BIN_W: usize = 2;
pub const BIN_W2: usize = 3;

/// One lane's histogram of one table: (group, local subunit, value bits) → [`Bin`].
#[derive(Debug, Clone, Default)]
pub struct LaneHistogram {
    bins: HashMap<(u32, u32, u64), Bin>,
}

impl LaneHistogram {
    /// Add a row of value `x` (not NaN) and weight `w` in `group`.
    #[inline]
    pub fn add(&mut self, group: usize, subunit: usize, x: f64, w: f64) {
        // -0.0 and 0.0 are one value.
        let bits = (x + 0.0).to_bits();
        let b = self
            .bins
            .entry((group as u32, subunit as u32, bits))
            .or_insert([0.0; 4]);
        b[BIN_N] += 1.0;
        b[BIN_NZ] += (w != 0.0) as u8 as f64;
        b[BIN_W] += w;
        b[BIN_W2] += w * w;
    }
}

/// One entry of a merged histogram.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Entry {
    pub x: f64,
    /// The global subunit.
    pub subunit: usize,
    pub bin: Bin,
}

/// A table's merged histogram: per group on its axis, entries sorted by (value, subunit).
#[derive(Debug, Clone, Default)]
pub struct Histogram {
    pub groups: Vec<Vec<Entry>>,
}

impl Histogram {
    /// Merge the lanes' histograms of one table (`local_to_global[lane][local subunit]`) onto
    /// its group axis, in lane order.
    pub fn merge<'a>(
        axis: &super::GroupAxis,
        lanes: impl Iterator<Item = (&'a LaneHistogram, &'a [usize])>,
    ) -> Histogram {
        let mut all: HashMap<(usize, usize, u64), Bin> = HashMap::new();
        for (lane, map) in lanes {
            // Sorted keys: floating-point sums in the same order on every run.
            let mut keys: Vec<&(u32, u32, u64)> = lane.bins.keys().collect();
            keys.sort_unstable();
            for k in keys {
                let b = &lane.bins[k];
                let e = all
                    .entry((axis.position(k.0 as usize), map[k.1 as usize], k.2))
                    .or_insert([0.0; 4]);
                for i in 0..4 {
                    e[i] += b[i];
                }
            }
        }
        let mut groups = vec![Vec::new(); axis.len];
        for ((g, subunit, bits), bin) in all {
            groups[g].push(Entry {
                x: f64::from_bits(bits),
                subunit,
                bin,
            });
        }
        for g in &mut groups {
            g.sort_by(|a, b| a.x.total_cmp(&b.x).then(a.subunit.cmp(&b.subunit)));
        }
        Histogram { groups }
    }

    /// Design-weight sums into final-weight sums (`g` per calibration cell, `cell` per subunit).
    pub fn rescale(&mut self, g: &[f64], cell: &[usize]) {
        for e in self.groups.iter_mut().flatten() {
            let gs = g[cell[e.subunit]];
            e.bin[BIN_W] *= gs;
            e.bin[BIN_W2] *= gs * gs;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lanes_merge_onto_global_subunits_sorted_by_value() {
        let mut a = LaneHistogram::default();
        a.add(0, 0, 3.0, 2.0);
        a.add(0, 1, 1.0, 1.0);
        a.add(1, 0, -0.0, 0.0);
        let mut b = LaneHistogram::default();
        b.add(0, 0, 1.0, 3.0);
        b.add(1, 0, 0.0, 5.0);
        let axis = super::super::GroupAxis::dense(2);
        let h = Histogram::merge(&axis, [(&a, &[4, 7][..]), (&b, &[7][..])].into_iter());
        assert_eq!(
            h.groups[0],
            vec![
                Entry {
                    x: 1.0,
                    subunit: 7,
                    bin: [2.0, 2.0, 4.0, 10.0]
                },
                Entry {
                    x: 3.0,
                    subunit: 4,
                    bin: [1.0, 1.0, 2.0, 4.0]
                },
            ]
        );
        assert_eq!(h.groups[1].len(), 2, "one value 0 in two subunits");
        assert_eq!(h.groups[1][0].bin[BIN_NZ] + h.groups[1][1].bin[BIN_NZ], 1.0);
    }
}
