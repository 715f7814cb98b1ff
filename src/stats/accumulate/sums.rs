//! The merged sums of a pass: every lane's partial sums on one sorted list of subunits, and what
//! calibration does to them (design-weight sums into final-weight sums), so that no caller
//! needs to know how the moments are laid out.

use super::{
    empty_all, Accumulator, AllRows, JointTable, Layout, ALL_MAX, ALL_MIN, ALL_NZ, ALL_ROWS, ALL_W,
    ALL_W2, M, POP, W, W2, W2Y, W2Y2, WY, WY2,
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
    /// Per table: the dense groupings' sums, per (subunit, group, slot) [`M`] f64s.
    pub tables: Vec<Vec<f64>>,
    /// Per table, per joint grouping (in the order of the table's joint groupings): the sums of
    /// its joint groups with rows.
    pub joint: Vec<Vec<JointTable>>,
    /// Per subunit: sums over all its valid rows (design weights).
    pub all: Vec<AllRows>,
    /// Per table, per crossing, per (subunit, joint group): rows, Σw, Σw² and rows of weight 0
    /// over all valid rows of the table's subpopulation ([`POP`] f64s; final weights once
    /// calibrated).
    pub population: Vec<Vec<Vec<f64>>>,
    /// Sums besides the tables' (scales' moments, histograms), of all lanes.
    pub extras: super::MergedExtras,
    /// The calibration cells respondents fill, by key (sorted): what `design.subunit_cell`
    /// indexes.
    pub cell_keys: Vec<u128>,
}

impl Sums {
    /// The moments of (subunit, group on the axis, slot) of table `t` (position in the layout);
    /// zeros where a joint group has no rows in the subunit.
    #[inline]
    pub fn cell(&self, t: usize, subunit: usize, group: usize, slot: usize) -> &[f64] {
        const NONE: [f64; M] = [0.0; M];
        let tl = &self.layout.tables[t];
        if group < tl.n_groups {
            let at = tl.at(subunit, group, slot);
            return &self.tables[t][at..at + M];
        }
        let (joint, g) = self.joint_group(t, group);
        joint
            .block(g, subunit)
            .map_or(&NONE[..], |b| &b[slot * M..(slot + 1) * M])
    }

    /// The joint sums that hold group `group` (a place on the axis after the dense ones) of
    /// table `t`, and the group's index in them.
    pub fn joint_group(&self, t: usize, group: usize) -> (&JointTable, usize) {
        let tl = &self.layout.tables[t];
        let (j, g) = tl
            .joint_groupings()
            .enumerate()
            .find(|(_, g)| (g.offset..g.offset + g.n_groups).contains(&group))
            .expect("a place on the axis belongs to a grouping");
        (&self.joint[t][j], group - g.offset)
    }

    /// The standard population of crossing `c` in table `t`: Σw per joint group.
    pub fn standard(&self, t: usize, c: usize) -> Vec<f64> {
        let groups = self.layout.crossings[c].n_groups;
        let mut out = vec![0.0; groups];
        for per_subunit in self.population[t][c].chunks(groups * POP) {
            for (g, sums) in per_subunit.chunks(POP).enumerate() {
                out[g] += sums[1];
            }
        }
        out
    }

    /// Rows, Σw, Σw² and rows of weight 0 of joint group `group` of crossing `c` in subunit
    /// `s`, over all valid rows whatever the tables' filters.
    pub fn all_rows_in(&self, c: usize, s: usize, group: usize) -> [f64; POP] {
        self.population_in(self.layout.tables.len(), c, s, group)
    }

    /// Rows, Σw, Σw² and rows of weight 0 of joint group `group` of crossing `c` in table `t`
    /// in subunit `s`.
    pub fn population_in(&self, t: usize, c: usize, s: usize, group: usize) -> [f64; POP] {
        let at = (s * self.layout.crossings[c].n_groups + group) * POP;
        let p = &self.population[t][c];
        [p[at], p[at + 1], p[at + 2], p[at + 3]]
    }

    /// Empty the sums of table `t` (position in the layout): no respondent is in it.
    pub fn clear_table(&mut self, t: usize) {
        self.tables[t].iter_mut().for_each(|x| *x = 0.0);
        let table = &mut self.layout.tables[t];
        let dense = table.n_groups;
        for (g, joint) in table
            .groupings
            .iter_mut()
            .filter(|g| g.joint.is_some())
            .zip(self.joint[t].iter_mut())
        {
            *joint = JointTable {
                start: vec![0],
                len: joint.len,
                ..JointTable::default()
            };
            // No joint group has rows: the axis is the dense groups only.
            g.set_joint_keys(Vec::new(), dense);
        }
        for pop in self.population[t].iter_mut() {
            pop.iter_mut().for_each(|x| *x = 0.0);
        }
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
        for joint in self.joint.iter_mut().flatten() {
            for (s, block) in joint.blocks_mut() {
                rescale_moments(block, g[cell[s]]);
            }
        }
        for (t, data) in self.layout.tables.iter().zip(self.tables.iter_mut()) {
            let len = t.unit_len();
            for (s, chunk) in data.chunks_mut(len.max(1)).enumerate() {
                rescale_moments(chunk, g[cell[s]]);
            }
        }
        for s in 0..self.design.n_subunits() {
            let gs = g[cell[s]];
            self.design.subunit_w[s] *= gs;
            self.design.subunit_w2[s] *= gs * gs;
        }
        self.extras.rescale(g, cell);
        for per_table in self.population.iter_mut() {
            for (pop, grouping) in per_table.iter_mut().zip(&self.layout.crossings) {
                let len = grouping.n_groups * POP;
                for (s, chunk) in pop.chunks_mut(len).enumerate() {
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

/// Every Σw·… of a run of moments times g, every Σw²·… times g².
fn rescale_moments(moments: &mut [f64], g: f64) {
    for m in moments.chunks_mut(M) {
        for k in [W, WY, WY2] {
            m[k] *= g;
        }
        for k in [W2, W2Y, W2Y2] {
            m[k] *= g * g;
        }
    }
}

/// One lane's partial sums with the keys of its units, for merging.
pub struct Partial<'a> {
    pub acc: Accumulator<'a>,
    /// Per local unit: (stratum key, PSU key or empty when unclustered).
    pub unit_keys: Vec<(Vec<u8>, Vec<u8>)>,
}

/// Merge lanes (in lane order, so that floating-point sums are reproducible) onto subunits
/// sorted by (stratum, PSU, cell).
pub fn merge(layout: &Layout, parts: &[Partial<'_>], clustered: bool, weighted: bool) -> Sums {
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
    // Global subunits: (stratum key, PSU key, cell), sorted.
    let mut keys: Vec<(&[u8], &[u8], u32)> = parts
        .iter()
        .flat_map(|p| {
            p.acc.subunits.subunits.iter().map(|&(u, key)| {
                let (s, k) = &p.unit_keys[u as usize];
                (s.as_slice(), k.as_slice(), cell(key))
            })
        })
        .collect();
    keys.sort();
    keys.dedup();
    let mut tables: Vec<Vec<f64>> = layout
        .tables
        .iter()
        .map(|t| vec![0.0; keys.len() * t.unit_len()])
        .collect();
    let mut all = vec![empty_all(); keys.len()];
    for p in parts {
        for (local, &(u, key)) in p.acc.subunits.subunits.iter().enumerate() {
            let (s, k) = &p.unit_keys[u as usize];
            let global = keys
                .binary_search(&(s.as_slice(), k.as_slice(), cell(key)))
                .expect("every subunit's key was collected above");
            merge_all(&mut all[global], &p.acc.all[local]);
            for (ti, t) in layout.tables.iter().enumerate() {
                let len = t.unit_len();
                let src = &p.acc.tables[ti][local * len..(local + 1) * len];
                let dst = &mut tables[ti][global * len..(global + 1) * len];
                for (d, s) in dst.iter_mut().zip(src) {
                    *d += s;
                }
            }
        }
    }
    let mut population: Vec<Vec<Vec<f64>>> = (0..=layout.tables.len())
        .map(|_| {
            layout
                .crossings
                .iter()
                .map(|g| vec![0.0; keys.len() * g.n_groups * POP])
                .collect()
        })
        .collect();
    for p in parts {
        for (local, &(u, key)) in p.acc.subunits.subunits.iter().enumerate() {
            let (s, k) = &p.unit_keys[u as usize];
            let global = keys
                .binary_search(&(s.as_slice(), k.as_slice(), cell(key)))
                .expect("every subunit's key was collected above");
            for (dst_t, src_t) in population.iter_mut().zip(&p.acc.population) {
                for ((dst, src), g) in dst_t.iter_mut().zip(src_t).zip(&layout.crossings) {
                    let len = g.n_groups * POP;
                    let from = &src[local * len..(local + 1) * len];
                    for (d, x) in dst[global * len..(global + 1) * len].iter_mut().zip(from) {
                        *d += x;
                    }
                }
            }
        }
    }
    let design = design_of(&keys, &all, clustered, weighted);
    let global_subunits: Vec<Vec<usize>> = parts
        .iter()
        .map(|p| {
            p.acc
                .subunits
                .subunits
                .iter()
                .map(|&(u, key)| {
                    let (s, k) = &p.unit_keys[u as usize];
                    keys.binary_search(&(s.as_slice(), k.as_slice(), cell(key)))
                        .expect("every subunit's key was collected above")
                })
                .collect()
        })
        .collect();
    let (layout, joint) = merge_joint(layout, parts, &global_subunits);
    let lanes: Vec<&super::Extras> = parts.iter().map(|p| &p.acc.extras).collect();
    let axes: Vec<super::GroupAxis> = layout.tables.iter().map(super::GroupAxis::of).collect();
    let extras = super::MergedExtras::merge(&lanes, &global_subunits, &axes);
    Sums {
        layout,
        design,
        tables,
        joint,
        all,
        population,
        extras,
        cell_keys,
    }
}

/// The joint groupings' sums of every table, and the layout with their groups placed on the
/// axis (after the dense groups, in grouping order).
fn merge_joint(
    layout: &Layout,
    parts: &[Partial<'_>],
    global: &[Vec<usize>],
) -> (Layout, Vec<Vec<JointTable>>) {
    let mut layout = layout.clone();
    let mut joint = Vec::new();
    for (ti, t) in layout.tables.iter_mut().enumerate() {
        let len = t.group_len();
        let mut offset = t.n_groups;
        let mut tables = Vec::new();
        for (j, g) in t
            .groupings
            .iter_mut()
            .filter(|g| g.joint.is_some())
            .enumerate()
        {
            let lanes: Vec<_> = parts.iter().map(|p| &p.acc.joint[ti][j]).collect();
            let merged = JointTable::merge(&lanes, global, len);
            g.set_joint_keys(merged.keys.clone(), offset);
            offset += merged.len();
            tables.push(merged);
        }
        joint.push(tables);
    }
    (layout, joint)
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
