//! Sufficient statistics: per sampling unit (stratum, or PSU when the design has clusters), per
//! group, per category, eight running sums. They merge by addition, so chunks, threads and files
//! combine in any grouping; every estimate, variance and design effect is a function of them.

use crate::codebook::{Codebook, VariableKind};
use crate::input::{DecodedRow, RowSink, MISSING_CODE, MISSING_ITEM};

/// Moments kept per (unit, group, slot): count, count with non-zero weight, Σy (unweighted),
/// Σw, Σwy, Σwy², Σw², Σw²y, Σw²y².
pub const M: usize = 9;
pub const N: usize = 0;
pub const N_NZ: usize = 1;
pub const NY: usize = 2;
pub const W: usize = 3;
pub const WY: usize = 4;
pub const WY2: usize = 5;
pub const W2: usize = 6;
pub const W2Y: usize = 7;
pub const W2Y2: usize = 8;

/// How a table's rows variable feeds its slots.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RowsMode {
    /// Single choice (categorical or bins): one slot per code; a row adds y = 1 to its code's slot.
    /// The base of a proportion is the sum over slots.
    Code { var: usize },
    /// Select-all: one slot per item with y ∈ {0, 1}; each item has its own base.
    Items { offset: usize },
    /// A number: one slot with y = the value.
    Number { var: usize },
}

/// A way of splitting respondents into groups: no variables (the whole sample) or the joint
/// levels of one or more grouping variables. Each variable has one extra level for "missing".
#[derive(Debug, Clone, PartialEq)]
pub struct Grouping {
    pub vars: Vec<usize>,
    pub levels: Vec<usize>,
    pub n_groups: usize,
    /// Offset of this grouping's groups on the table's group axis.
    pub offset: usize,
}

impl Grouping {
    /// Groupings over each set of variables, laid one after another on one axis; returns them
    /// and the axis length.
    fn axis(codebook: &Codebook, var_sets: &[Vec<usize>]) -> (Vec<Grouping>, usize) {
        let mut groupings = Vec::new();
        let mut offset = 0;
        for vars in var_sets {
            let levels: Vec<usize> = vars
                .iter()
                .map(|&v| codebook.variables[v].groups().map_or(0, |g| g.len()))
                .collect();
            let n_groups = levels.iter().map(|l| l + 1).product();
            groupings.push(Grouping {
                vars: vars.clone(),
                levels,
                n_groups,
                offset,
            });
            offset += n_groups;
        }
        (groupings, offset)
    }

    /// The index of a combination of levels (each `< levels[i]`, the last level being missing).
    pub fn index(&self, levels: &[usize]) -> usize {
        let mut idx = 0;
        for (l, n) in levels.iter().zip(&self.levels) {
            idx = idx * (n + 1) + l;
        }
        idx
    }
}

#[derive(Debug, Clone)]
pub struct TableLayout {
    /// Index into `Codebook::tables`.
    pub table: usize,
    pub rows_var: usize,
    pub mode: RowsMode,
    pub slots: usize,
    pub groupings: Vec<Grouping>,
    /// Total groups over all groupings (the group axis).
    pub n_groups: usize,
    /// The table's subpopulation (its filter and the codebook's): rows outside it add nothing
    /// to the table's sums but stay in the design.
    pub filter: Option<crate::codebook::Filter>,
}

impl TableLayout {
    /// What the table estimates: proportions, or the mean of a number.
    pub fn statistic(&self) -> super::keys::Statistic {
        match self.mode {
            RowsMode::Number { .. } => super::keys::Statistic::Mean,
            RowsMode::Code { .. } | RowsMode::Items { .. } => super::keys::Statistic::Proportion,
        }
    }

    /// f64s per unit.
    pub fn unit_len(&self) -> usize {
        self.n_groups * self.slots * M
    }

    /// Start of the moments of (unit, group on the axis, slot).
    #[inline]
    pub fn at(&self, unit: usize, group: usize, slot: usize) -> usize {
        ((unit * self.n_groups + group) * self.slots + slot) * M
    }
}

/// Which sums to keep: for every table, its whole sample plus each `by` variable on its own,
/// plus any extra crossed groupings (e.g. language × age group for standardisation).
#[derive(Debug, Clone)]
pub struct Layout {
    pub tables: Vec<TableLayout>,
    /// Crossed groupings whose weighted totals over *all* valid rows (whatever the items) are
    /// kept too: the standard population of direct standardisation.
    pub crossings: Vec<Grouping>,
}

impl Layout {
    /// The layout for `tables` (indices into `codebook.tables`), with `crossings` extra joint
    /// groupings per table.
    pub fn new(codebook: &Codebook, tables: &[usize], crossings: &[Vec<usize>]) -> Layout {
        let item_offsets = item_offsets(codebook);
        let mut out = Vec::new();
        for &t in tables {
            let table = &codebook.tables[t];
            let var = &codebook.variables[table.rows];
            let (mode, slots) = match &var.kind {
                VariableKind::Categorical { values, .. } | VariableKind::Recode { values, .. } => {
                    (RowsMode::Code { var: table.rows }, values.len())
                }
                VariableKind::Bins { bins, .. } => (RowsMode::Code { var: table.rows }, bins.len()),
                VariableKind::Multi { items, .. } => (
                    RowsMode::Items {
                        offset: item_offsets[table.rows],
                    },
                    items.len(),
                ),
                VariableKind::Numeric { .. } => (RowsMode::Number { var: table.rows }, 1),
            };
            let mut var_sets = table.breakdowns();
            for c in crossings {
                if !var_sets.contains(c) {
                    var_sets.push(c.clone());
                }
            }
            let (groupings, n_groups) = Grouping::axis(codebook, &var_sets);
            out.push(TableLayout {
                table: t,
                rows_var: table.rows,
                mode,
                slots,
                groupings,
                n_groups,
                filter: table.domain_filter(codebook),
            });
        }
        let (population, _) = Grouping::axis(codebook, crossings);
        Layout {
            tables: out,
            crossings: population,
        }
    }

    /// Zeroed standard-population sums: per table, per crossing, per joint group.
    fn empty_population(&self) -> Vec<Vec<Vec<f64>>> {
        self.tables
            .iter()
            .map(|_| {
                self.crossings
                    .iter()
                    .map(|g| vec![0.0; g.n_groups])
                    .collect()
            })
            .collect()
    }

    /// The grouping of table `t` over exactly `vars`, if the layout keeps it.
    pub fn grouping(&self, t: usize, vars: &[usize]) -> Option<&Grouping> {
        self.tables[t].groupings.iter().find(|g| g.vars == vars)
    }
}

fn item_offsets(codebook: &Codebook) -> Vec<usize> {
    let mut offs = Vec::new();
    let mut n = 0;
    for v in &codebook.variables {
        offs.push(n);
        if let VariableKind::Multi { items, .. } = &v.kind {
            n += items.len();
        }
    }
    offs
}

/// The running sums of one lane. Units are the lane's own (interned) indices until merged.
#[derive(Debug, Clone)]
pub struct Accumulator<'a> {
    layout: &'a Layout,
    pub tables: Vec<Vec<f64>>,
    /// Rows per unit (all valid rows of the design).
    pub unit_rows: Vec<f64>,
    /// Per table, Σw per joint group of each crossing (all valid rows in the table's
    /// subpopulation): the standard population of direct standardisation.
    pub population: Vec<Vec<Vec<f64>>>,
    groups: Vec<usize>,
}

impl<'a> Accumulator<'a> {
    pub fn new(layout: &'a Layout) -> Self {
        Accumulator {
            layout,
            tables: vec![Vec::new(); layout.tables.len()],
            unit_rows: Vec::new(),
            population: layout.empty_population(),
            groups: Vec::new(),
        }
    }

    fn grow(&mut self, units: usize) {
        for (t, data) in self.layout.tables.iter().zip(self.tables.iter_mut()) {
            data.resize(units * t.unit_len(), 0.0);
        }
        self.unit_rows.resize(units, 0.0);
    }
}

/// The row's group within one grouping (missing values have the last level).
#[inline]
fn group_index(g: &Grouping, row: &DecodedRow) -> usize {
    let mut idx = 0;
    for (&v, &n) in g.vars.iter().zip(&g.levels) {
        let code = row.codes[v];
        let level = if code == MISSING_CODE {
            n
        } else {
            code as usize
        };
        idx = idx * (n + 1) + level;
    }
    idx
}

#[inline]
fn add(c: &mut [f64], w: f64, y: f64) {
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

impl RowSink for Accumulator<'_> {
    fn row(&mut self, row: &DecodedRow) {
        let unit = row.unit as usize;
        if unit >= self.unit_rows.len() {
            self.grow(unit + 1);
        }
        self.unit_rows[unit] += 1.0;
        let w = row.weight;
        let tables = self.layout.tables.iter().zip(self.tables.iter_mut());
        for ((t, data), population) in tables.zip(self.population.iter_mut()) {
            if let Some(f) = &t.filter {
                if !f.matches(&row.codes, &row.numbers) {
                    continue;
                }
            }
            for (g, pop) in self.layout.crossings.iter().zip(population.iter_mut()) {
                pop[group_index(g, row)] += w;
            }
            // The group of this row in each grouping.
            self.groups.clear();
            for g in &t.groupings {
                self.groups.push(g.offset + group_index(g, row));
            }
            match t.mode {
                RowsMode::Code { var } => {
                    let code = row.codes[var];
                    if code == MISSING_CODE {
                        continue;
                    }
                    for &g in &self.groups {
                        let at = t.at(unit, g, code as usize);
                        add(&mut data[at..at + M], w, 1.0);
                    }
                }
                RowsMode::Items { offset } => {
                    for j in 0..t.slots {
                        let v = row.items[offset + j];
                        if v == MISSING_ITEM {
                            continue;
                        }
                        for &g in &self.groups {
                            let at = t.at(unit, g, j);
                            add(&mut data[at..at + M], w, v as f64);
                        }
                    }
                }
                RowsMode::Number { var } => {
                    let x = row.numbers[var];
                    if x.is_nan() {
                        continue;
                    }
                    for &g in &self.groups {
                        let at = t.at(unit, g, 0);
                        add(&mut data[at..at + M], w, x);
                    }
                }
            }
        }
    }
}

/// Sums of all lanes, on one global, sorted list of units.
#[derive(Debug, Clone)]
pub struct Sums {
    pub layout: Layout,
    pub design: super::design::DesignUnits,
    pub tables: Vec<Vec<f64>>,
    /// Per table, Σw per joint group of each crossing, over all valid rows of the table's
    /// subpopulation.
    pub population: Vec<Vec<Vec<f64>>>,
}

impl Sums {
    /// The moments of (unit, group, slot) of table `t` (position in the layout).
    #[inline]
    pub fn cell(&self, t: usize, unit: usize, group: usize, slot: usize) -> &[f64] {
        let tl = &self.layout.tables[t];
        let at = tl.at(unit, group, slot);
        &self.tables[t][at..at + M]
    }
}

/// One lane's partial sums with the keys of its units, for merging.
pub struct Partial<'a> {
    pub acc: Accumulator<'a>,
    /// Per local unit: (stratum key, PSU key or empty when unclustered).
    pub unit_keys: Vec<(Vec<u8>, Vec<u8>)>,
}

/// Merge lanes (in lane order, so that floating-point sums are reproducible) onto units sorted by
/// (stratum, PSU).
pub fn merge(layout: &Layout, parts: &[Partial<'_>], clustered: bool, weighted: bool) -> Sums {
    let mut keys: Vec<(Vec<u8>, Vec<u8>)> = parts
        .iter()
        .flat_map(|p| p.unit_keys.iter().cloned())
        .collect();
    keys.sort();
    keys.dedup();
    let mut tables: Vec<Vec<f64>> = layout
        .tables
        .iter()
        .map(|t| vec![0.0; keys.len() * t.unit_len()])
        .collect();
    let mut unit_rows = vec![0.0; keys.len()];
    for p in parts {
        for (local, key) in p.unit_keys.iter().enumerate() {
            let global = keys.binary_search(key).expect("key was collected above");
            if local >= p.acc.unit_rows.len() {
                continue; // a unit interned on a row that was then found invalid
            }
            unit_rows[global] += p.acc.unit_rows[local];
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
    let mut population = layout.empty_population();
    for p in parts {
        for (dst_t, src_t) in population.iter_mut().zip(&p.acc.population) {
            for (dst, src) in dst_t.iter_mut().zip(src_t) {
                for (d, s) in dst.iter_mut().zip(src) {
                    *d += s;
                }
            }
        }
    }
    let design = super::design::DesignUnits::new(&keys, &unit_rows, clustered, weighted);
    Sums {
        layout: layout.clone(),
        design,
        tables,
        population,
    }
}
