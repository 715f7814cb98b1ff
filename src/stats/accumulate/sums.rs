//! The merged sums of a pass: every lane's partial sums on one sorted list of subunits, and what
//! calibration does to them (design-weight sums into final-weight sums), so that no caller
//! needs to know how the moments are laid out.

use super::{
    empty_all, joint, moments, Accumulator, AllRows, JointTable, Layout, ALL_MAX, ALL_MIN, ALL_NZ,
    ALL_ROWS, ALL_W, ALL_W2, M, N, POP,
};
use crate::stats::design::{DesignUnits, UnitInfo};

/// The totals of one calibration cell over all valid rows.
#[derive(Debug, Clone, Copy, Default)]
pub struct CellTotals {
    pub rows: f64,
    /// Σ design weights.
    pub weight: f64,
}

/// Sums of all lanes, on one global, sorted list of subunits.
#[derive(Debug, Clone)]
pub struct Sums {
    pub layout: Layout,
    pub design: DesignUnits,
    /// Per group set: the blocks of its (subunit, group) pairs with rows, every table's slots at
    /// its start in each block.
    pub sets: Vec<JointTable>,
    /// Per subunit: sums over all its valid rows (design weights).
    pub all: Vec<AllRows>,
    /// Per set of standard-population sums ([`Layout::pop_filters`]; a table's is
    /// [`TableLayout::pop`]), per crossing, per (subunit, joint group): rows, Σw, Σw² and rows of
    /// weight 0 over all valid rows of the tables' subpopulation ([`POP`] f64s; final weights
    /// once calibrated).
    pub population: Vec<Vec<Vec<f64>>>,
    /// The same over all valid rows, whatever the tables' filters.
    pub all_rows: Vec<Vec<f64>>,
    /// Sums besides the tables' (scales' moments, histograms), of all lanes.
    pub extras: super::MergedExtras,
    /// The calibration cells respondents fill, by key (sorted): what `design.subunit_cell`
    /// indexes.
    pub cell_keys: Vec<u128>,
}

impl Sums {
    /// The nine moments of (subunit, group on the axis, slot) of table `t` (position in the
    /// layout); zeros where the group has no rows in the subunit.
    pub fn cell(&self, t: usize, subunit: usize, group: usize, slot: usize) -> [f64; M] {
        let tl = &self.layout.tables[t];
        let k = tl.kept();
        self.group_of(t, group)
            .and_then(|g| self.sets[tl.set].block(g, subunit))
            .map_or([0.0; M], |b| {
                moments::expand(tl.mode, &tl.in_block(b)[slot * k..(slot + 1) * k])
            })
    }

    /// The blocks of table `t`'s group `group` (a place on its axis): per subunit it has rows
    /// in (ascending), the table's slots ([`TableLayout::kept`] f64s each).
    pub fn table_blocks(&self, t: usize, group: usize) -> impl Iterator<Item = (usize, &[f64])> {
        let tl = &self.layout.tables[t];
        let set = &self.sets[tl.set];
        self.group_of(t, group)
            .into_iter()
            .flat_map(move |g| set.blocks(g).map(move |(s, b)| (s, tl.in_block(b))))
    }

    /// The place among its set's groups of table `t`'s group `group`, if it has rows.
    fn group_of(&self, t: usize, group: usize) -> Option<usize> {
        let tl = &self.layout.tables[t];
        let (j, key) = tl.locate(group);
        self.sets[tl.set].group(joint::set_key(j, key))
    }

    /// Every f64 of table `t`'s sums (to check they are finite).
    pub fn table_values(&self, t: usize) -> impl Iterator<Item = f64> + '_ {
        let tl = &self.layout.tables[t];
        let set = &self.sets[tl.set];
        set.data
            .chunks(set.len.max(1))
            .flat_map(move |b| tl.in_block(b).iter().copied())
    }

    /// The standard population of crossing `c` in table `t`: Σw per joint group.
    pub fn standard(&self, t: usize, c: usize) -> Vec<f64> {
        let groups = self.layout.crossings[c].n_groups;
        let mut out = vec![0.0; groups];
        let pop = &self.population[self.layout.tables[t].pop][c];
        for per_subunit in pop.chunks(groups * POP) {
            for (g, sums) in per_subunit.chunks(POP).enumerate() {
                out[g] += sums[1];
            }
        }
        out
    }

    /// Rows, Σw, Σw² and rows of weight 0 of joint group `group` of crossing `c` in subunit
    /// `s`, over all valid rows whatever the tables' filters.
    pub fn all_rows_in(&self, c: usize, s: usize, group: usize) -> [f64; POP] {
        pop_at(
            &self.all_rows[c],
            self.layout.crossings[c].n_groups,
            s,
            group,
        )
    }

    /// Rows, Σw, Σw² and rows of weight 0 of joint group `group` of crossing `c` in table `t`
    /// in subunit `s`.
    pub fn population_in(&self, t: usize, c: usize, s: usize, group: usize) -> [f64; POP] {
        let pop = &self.population[self.layout.tables[t].pop][c];
        pop_at(pop, self.layout.crossings[c].n_groups, s, group)
    }

    /// Empty the sums of table `t` (position in the layout): no respondent is in it.
    pub fn clear_table(&mut self, t: usize) {
        let table = &mut self.layout.tables[t];
        let set = &mut self.sets[table.set];
        let len = set.len.max(1);
        for block in set.data.chunks_mut(len) {
            block[table.start..table.start + table.width()].fill(0.0);
        }
        let dense = table.n_groups;
        for g in table.groupings.iter_mut().filter(|g| g.joint.is_some()) {
            // No joint group has rows: the axis is the dense groups only.
            g.set_joint_keys(Vec::new(), dense);
        }
        // Its standard population is empty too (a set of its own: others may share its filter).
        let empty = self.population[table.pop]
            .iter()
            .map(|p| vec![0.0; p.len()])
            .collect();
        self.population.push(empty);
        table.pop = self.population.len() - 1;
        if let Some(h) = &mut self.extras.histograms[t] {
            h.groups = vec![Vec::new(); dense];
        }
    }

    /// Rows and Σ design weights per calibration cell, over all valid rows.
    pub fn cell_totals(&self) -> Vec<CellTotals> {
        let mut totals = vec![CellTotals::default(); self.cell_keys.len()];
        for (a, &c) in self.all.iter().zip(&self.design.subunit_cell) {
            totals[c].rows += a[ALL_ROWS];
            totals[c].weight += a[ALL_W];
        }
        totals
    }

    /// Design-weight sums into final-weight sums, `g` being the adjustment per calibration cell:
    /// every Σw·… is multiplied by g, every Σw²·… by g², per subunit.
    pub fn rescale(&mut self, g: &[f64]) {
        let cell = &self.design.subunit_cell;
        for (set, sums) in self.layout.sets.iter().zip(self.sets.iter_mut()) {
            for (s, block) in sums.blocks_mut() {
                for &t in &set.tables {
                    let tl = &self.layout.tables[t];
                    let slots = &mut block[tl.start..tl.start + tl.width()];
                    moments::rescale(tl.mode, slots, g[cell[s]]);
                }
            }
        }
        for s in 0..self.design.n_subunits() {
            let gs = g[cell[s]];
            self.design.subunit_w[s] *= gs;
            self.design.subunit_w2[s] *= gs * gs;
        }
        self.extras.rescale(g, cell);
        for per_set in self.population.iter_mut().chain([&mut self.all_rows]) {
            for (pop, grouping) in per_set.iter_mut().zip(&self.layout.crossings) {
                let len = grouping.n_groups * POP;
                for (s, chunk) in pop.chunks_mut(len.max(1)).enumerate() {
                    let gs = g[cell[s]];
                    for group in chunk.chunks_mut(POP) {
                        group[1] *= gs;
                        group[2] *= gs * gs;
                    }
                }
            }
        }
    }
}

/// The [`POP`] sums of (subunit `s`, group) in dense standard-population sums.
fn pop_at(pop: &[f64], groups: usize, s: usize, group: usize) -> [f64; POP] {
    let at = (s * groups + group) * POP;
    [pop[at], pop[at + 1], pop[at + 2], pop[at + 3]]
}

/// One lane's partial sums with the keys of its units, for merging.
pub struct Partial<'a> {
    pub acc: Accumulator<'a>,
    /// Per local unit: (stratum key, PSU key or empty when unclustered).
    pub unit_keys: Vec<(Vec<u8>, Vec<u8>)>,
}

/// Merge lanes (in lane order, so that floating-point sums are reproducible) onto subunits
/// sorted by (stratum, PSU, cell).
pub fn merge(layout: &Layout, parts: &mut [Partial<'_>], clustered: bool, weighted: bool) -> Sums {
    // The cells respondents fill, sorted by key (the order of their levels).
    let mut cell_keys: Vec<u128> = parts
        .iter()
        .flat_map(|p| p.acc.subunits.subunits.iter().map(|&(_, key)| key))
        .collect();
    cell_keys.sort_unstable();
    cell_keys.dedup();
    let cell = |key: u128| {
        cell_keys
            .binary_search(&key)
            .expect("every cell key was collected above") as u32
    };
    fn key_of<'p>(
        p: &'p Partial<'_>,
        (u, key): (u32, u128),
        cell: impl Fn(u128) -> u32,
    ) -> (&'p [u8], &'p [u8], u32) {
        let (s, k) = &p.unit_keys[u as usize];
        (s.as_slice(), k.as_slice(), cell(key))
    }
    // Global subunits: (stratum key, PSU key, cell), sorted.
    let mut keys: Vec<(&[u8], &[u8], u32)> = parts
        .iter()
        .flat_map(|p| p.acc.subunits.subunits.iter().map(|&s| key_of(p, s, cell)))
        .collect();
    keys.sort();
    keys.dedup();
    // Per lane, per local subunit: the global subunit.
    let global: Vec<Vec<usize>> = parts
        .iter()
        .map(|p| {
            p.acc
                .subunits
                .subunits
                .iter()
                .map(|&s| {
                    keys.binary_search(&key_of(p, s, cell))
                        .expect("every subunit's key was collected above")
                })
                .collect()
        })
        .collect();
    let mut all = vec![empty_all(); keys.len()];
    let population_len = |g: &super::Grouping| keys.len() * g.n_groups * POP;
    let empty = || -> Vec<Vec<f64>> {
        layout
            .crossings
            .iter()
            .map(|g| vec![0.0; population_len(g)])
            .collect()
    };
    let mut population = vec![empty(); layout.pop_filters.len()];
    let mut all_rows = empty();
    for (p, global) in parts.iter().zip(&global) {
        for (local, &g) in global.iter().enumerate() {
            merge_all(&mut all[g], &p.acc.all[local]);
        }
        let sets = population.iter_mut().chain([&mut all_rows]);
        for (dst_set, src_set) in sets.zip(p.acc.population.iter().chain([&p.acc.all_rows])) {
            for ((dst, src), g) in dst_set.iter_mut().zip(src_set).zip(&layout.crossings) {
                let len = g.n_groups * POP;
                for (local, &gs) in global.iter().enumerate() {
                    let from = &src[local * len..(local + 1) * len];
                    for (d, x) in dst[gs * len..(gs + 1) * len].iter_mut().zip(from) {
                        *d += x;
                    }
                }
            }
        }
    }
    let design = design_of(&keys, &all, clustered, weighted);
    let sets: Vec<JointTable> = layout
        .sets
        .iter()
        .enumerate()
        .map(|(si, set)| {
            let lanes: Vec<super::JointSums> = parts
                .iter_mut()
                .map(|p| std::mem::take(&mut p.acc.sets[si]))
                .collect();
            JointTable::merge(lanes, &global, set.block)
        })
        .collect();
    let layout = place_joint_groups(layout, &sets);
    let lanes: Vec<&super::Extras> = parts.iter().map(|p| &p.acc.extras).collect();
    let axes: Vec<super::GroupAxis> = layout.tables.iter().map(super::GroupAxis::of).collect();
    let extras = super::MergedExtras::merge(&lanes, &global, &axes);
    Sums {
        layout,
        design,
        sets,
        all,
        population,
        all_rows,
        extras,
        cell_keys,
    }
}

/// The layout with every table's joint groups placed on its axis (after the dense groups, in
/// grouping order): the joint groups the table has rows in. Its set may have blocks for more
/// (another table's rows), which hold zeros in this table's slots.
fn place_joint_groups(layout: &Layout, sets: &[JointTable]) -> Layout {
    let mut layout = layout.clone();
    for t in layout.tables.iter_mut() {
        let set = &sets[t.set];
        let (start, width, k) = (t.start, t.width(), t.kept());
        // A table's row adds 1 to the count (the first moment) of a slot.
        let has_rows = |g: usize| {
            set.blocks(g)
                .any(|(_, b)| b[start..start + width].chunks(k).any(|c| c[N] > 0.0))
        };
        let mut offset = t.n_groups;
        for (j, g) in t.groupings.iter_mut().enumerate() {
            if g.joint.is_none() {
                continue;
            }
            let from = set.keys.partition_point(|&x| x < joint::set_key(j, 0));
            let to = set.keys.partition_point(|&x| x < joint::set_key(j + 1, 0));
            let keys: Vec<u32> = (from..to)
                .filter(|&i| has_rows(i))
                .map(|i| joint::split_set_key(set.keys[i]).1)
                .collect();
            let n = keys.len();
            g.set_joint_keys(keys, offset);
            offset += n;
        }
    }
    layout
}

fn merge_all(dst: &mut AllRows, src: &AllRows) {
    for k in [ALL_ROWS, ALL_NZ, ALL_W, ALL_W2] {
        dst[k] += src[k];
    }
    dst[ALL_MIN] = dst[ALL_MIN].min(src[ALL_MIN]);
    dst[ALL_MAX] = dst[ALL_MAX].max(src[ALL_MAX]);
}

/// The design's units, strata and subunits from the sorted subunit keys.
fn design_of(
    keys: &[(&[u8], &[u8], u32)],
    all: &[AllRows],
    clustered: bool,
    weighted: bool,
) -> DesignUnits {
    let mut strata: Vec<String> = Vec::new();
    let mut units: Vec<UnitInfo> = Vec::new();
    let mut subunits: Vec<(usize, usize)> = Vec::new();
    let mut last: Option<(&[u8], &[u8])> = None;
    for (i, &(s, k, c)) in keys.iter().enumerate() {
        if last.map(|l| l.0) != Some(s) {
            strata.push(String::from_utf8_lossy(s).into_owned());
        }
        if last != Some((s, k)) {
            units.push(UnitInfo {
                stratum: strata.len() - 1,
                rows: 0.0,
            });
            last = Some((s, k));
        }
        let u = units.len() - 1;
        units[u].rows += all[i][ALL_ROWS];
        subunits.push((u, c as usize));
    }
    let mut design = DesignUnits::new(strata, &units, &subunits, clustered, weighted);
    for (i, a) in all.iter().enumerate() {
        design.subunit_w[i] = a[ALL_W];
        design.subunit_w2[i] = a[ALL_W2];
        design.subunit_zero[i] = a[ALL_ROWS] - a[ALL_NZ];
    }
    design
}
