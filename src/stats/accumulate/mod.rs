//! Sufficient statistics: per subunit (a sampling unit — the stratum, or the PSU when the design
//! has clusters — crossed with the respondent's calibration cell), per group, per category, nine
//! running sums. They merge by addition, so chunks, threads and files combine in any grouping;
//! every estimate, variance, design effect and calibration is a function of them.

use crate::codebook::{Codebook, VariableKind};
use crate::input::{DecodedRow, RowSink, MISSING_CODE, MISSING_ITEM};
use crate::stats::cells::{CellAxis, SubunitIndex};

mod extras;
pub mod histogram;
mod sums;

pub use extras::{Extras, ExtrasLayout, MergedExtras, ScaleMoments};
pub use sums::{merge, CellTotals, Partial, Sums};

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
    pub fn statistic(&self) -> crate::keys::Statistic {
        match self.mode {
            RowsMode::Number { .. } => crate::keys::Statistic::Mean,
            RowsMode::Code { .. } | RowsMode::Items { .. } => crate::keys::Statistic::Proportion,
        }
    }

    /// f64s per subunit.
    pub fn unit_len(&self) -> usize {
        self.n_groups * self.slots * M
    }

    /// Start of the moments of (subunit, group on the axis, slot).
    #[inline]
    pub fn at(&self, subunit: usize, group: usize, slot: usize) -> usize {
        ((subunit * self.n_groups + group) * self.slots + slot) * M
    }
}

/// The calibration cells of a codebook: the `[weighting]` variables (none without).
fn cell_axis(codebook: &Codebook) -> CellAxis {
    let vars = codebook
        .weighting
        .as_ref()
        .map(|w| w.variables.clone())
        .unwrap_or_default();
    let levels: Vec<usize> = vars
        .iter()
        .map(|&v| codebook.variables[v].groups().map_or(0, |g| g.len()))
        .collect();
    CellAxis::new(vars, levels)
}

/// Which sums to keep: for every table, its whole sample plus each `by` breakdown, plus any
/// extra crossed groupings (e.g. language × age group for standardisation).
#[derive(Debug, Clone)]
pub struct Layout {
    pub tables: Vec<TableLayout>,
    /// Crossed groupings whose weighted totals over *all* valid rows (whatever the items) are
    /// kept too: the standard population of direct standardisation.
    pub crossings: Vec<Grouping>,
    pub cells: CellAxis,
    /// What the pass keeps besides the tables (scales' moments).
    pub extras: ExtrasLayout,
}

impl Layout {
    /// The layout for `tables` (indices into `codebook.tables`), with `crossings` extra joint
    /// groupings per table. A statement battery gets one table layout per statement, one after
    /// another (each a single-choice question with the battery's groupings and filter).
    pub fn new(codebook: &Codebook, tables: &[usize], crossings: &[Vec<usize>]) -> Layout {
        let item_offsets = item_offsets(codebook);
        let mut out = Vec::new();
        for &t in tables {
            let table = &codebook.tables[t];
            let mut var_sets = table.breakdowns();
            for c in crossings {
                if !var_sets.contains(c) {
                    var_sets.push(c.clone());
                }
            }
            let (groupings, n_groups) = Grouping::axis(codebook, &var_sets);
            for rows_var in table.statements() {
                let var = &codebook.variables[rows_var];
                let (mode, slots) = match &var.kind {
                    VariableKind::Categorical { values, .. }
                    | VariableKind::Recode { values, .. } => {
                        (RowsMode::Code { var: rows_var }, values.len())
                    }
                    VariableKind::Bins { bins, .. } => {
                        (RowsMode::Code { var: rows_var }, bins.len())
                    }
                    VariableKind::Multi { items, .. } => (
                        RowsMode::Items {
                            offset: item_offsets[rows_var],
                        },
                        items.len(),
                    ),
                    VariableKind::Numeric { .. } | VariableKind::Scale(_) => {
                        (RowsMode::Number { var: rows_var }, 1)
                    }
                };
                out.push(TableLayout {
                    table: t,
                    rows_var,
                    mode,
                    slots,
                    groupings: groupings.clone(),
                    n_groups,
                    filter: table.domain_filter(codebook),
                });
            }
        }
        let (population, _) = Grouping::axis(codebook, crossings);
        let extras = ExtrasLayout::of(codebook, &out);
        Layout {
            tables: out,
            crossings: population,
            cells: cell_axis(codebook),
            extras,
        }
    }

    /// Empty standard-population sums: per table, per crossing (grown per subunit).
    fn empty_population(&self) -> Vec<Vec<Vec<f64>>> {
        self.tables
            .iter()
            .map(|_| self.crossings.iter().map(|_| Vec::new()).collect())
            .collect()
    }

    /// The positions of codebook table `table` in the layout: one, or a battery's statements.
    pub fn positions(&self, table: usize) -> Vec<usize> {
        (0..self.tables.len())
            .filter(|&p| self.tables[p].table == table)
            .collect()
    }

    /// The codebook tables of the layout, in layout order, each once.
    pub fn codebook_tables(&self) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        for t in &self.tables {
            if out.last() != Some(&t.table) {
                out.push(t.table);
            }
        }
        out
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

/// f64s per (subunit, group) of the standard-population sums: rows, Σw, Σw².
pub const POP: usize = 3;

/// Sums over all valid rows of a subunit: rows, rows of non-zero weight, Σw, Σw², and the
/// smallest and largest weight.
pub type AllRows = [f64; 6];
pub const ALL_ROWS: usize = 0;
pub const ALL_NZ: usize = 1;
pub const ALL_W: usize = 2;
pub const ALL_W2: usize = 3;
pub const ALL_MIN: usize = 4;
pub const ALL_MAX: usize = 5;

fn empty_all() -> AllRows {
    [0.0, 0.0, 0.0, 0.0, f64::INFINITY, f64::NEG_INFINITY]
}

/// The running sums of one lane. Subunits are the lane's own indices until merged.
#[derive(Debug, Clone)]
pub struct Accumulator<'a> {
    layout: &'a Layout,
    pub tables: Vec<Vec<f64>>,
    /// Per local subunit: (local unit, cell key), and the way back.
    pub subunits: SubunitIndex,
    /// Per local subunit: sums over all its valid rows.
    pub all: Vec<AllRows>,
    /// Per table, per crossing: per (local subunit, joint group), the rows, Σw and Σw² of all
    /// valid rows in the table's subpopulation ([`POP`] f64s each): the standard population of
    /// direct standardisation, and the rows a standardised variance needs.
    pub population: Vec<Vec<Vec<f64>>>,
    /// Sums besides the tables' (scales' moments).
    pub extras: Extras,
    groups: Vec<usize>,
}

impl<'a> Accumulator<'a> {
    pub fn new(layout: &'a Layout) -> Self {
        Accumulator {
            layout,
            tables: vec![Vec::new(); layout.tables.len()],
            subunits: SubunitIndex::new(&layout.cells),
            all: Vec::new(),
            population: layout.empty_population(),
            extras: Extras::new(&layout.extras),
            groups: Vec::new(),
        }
    }

    /// The local subunit of (unit, cell key), created on first use.
    fn subunit(&mut self, unit: u32, key: u128) -> usize {
        let (s, new) = self.subunits.get(unit, key);
        if new {
            self.all.push(empty_all());
            for (t, data) in self.layout.tables.iter().zip(self.tables.iter_mut()) {
                data.resize((s + 1) * t.unit_len(), 0.0);
            }
            for per_table in self.population.iter_mut() {
                for (g, pop) in self.layout.crossings.iter().zip(per_table.iter_mut()) {
                    pop.resize((s + 1) * g.n_groups * POP, 0.0);
                }
            }
        }
        s
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
        let s = self.subunit(row.unit, self.layout.cells.key_of(row));
        let w = row.weight;
        let all = &mut self.all[s];
        all[ALL_ROWS] += 1.0;
        all[ALL_NZ] += (w != 0.0) as u8 as f64;
        all[ALL_W] += w;
        all[ALL_W2] += w * w;
        all[ALL_MIN] = all[ALL_MIN].min(w);
        all[ALL_MAX] = all[ALL_MAX].max(w);
        self.extras.row(&self.layout.extras, row);
        let tables = self.layout.tables.iter().zip(self.tables.iter_mut());
        for (ti, ((t, data), population)) in tables.zip(self.population.iter_mut()).enumerate() {
            if let Some(f) = &t.filter {
                if !f.matches(&row.codes, &row.numbers) {
                    continue;
                }
            }
            for (g, pop) in self.layout.crossings.iter().zip(population.iter_mut()) {
                let at = (s * g.n_groups + group_index(g, row)) * POP;
                pop[at] += 1.0;
                pop[at + 1] += w;
                pop[at + 2] += w * w;
            }
            // The group of this row in each grouping.
            self.groups.clear();
            for g in &t.groupings {
                self.groups.push(g.offset + group_index(g, row));
            }
            add_row(t, data, &self.groups, s, row, w);
            self.extras.table_row(ti, t, &self.groups, s, row);
        }
    }
}

/// Add one row to a table's sums, in each of its groups.
#[inline]
fn add_row(
    t: &TableLayout,
    data: &mut [f64],
    groups: &[usize],
    s: usize,
    row: &DecodedRow,
    w: f64,
) {
    match t.mode {
        RowsMode::Code { var } => {
            let code = row.codes[var];
            if code == MISSING_CODE {
                return;
            }
            for &g in groups {
                let at = t.at(s, g, code as usize);
                add(&mut data[at..at + M], w, 1.0);
            }
        }
        RowsMode::Items { offset } => {
            for j in 0..t.slots {
                let v = row.items[offset + j];
                if v == MISSING_ITEM {
                    continue;
                }
                for &g in groups {
                    let at = t.at(s, g, j);
                    add(&mut data[at..at + M], w, v as f64);
                }
            }
        }
        RowsMode::Number { var } => {
            let x = row.numbers[var];
            if x.is_nan() {
                return;
            }
            for &g in groups {
                let at = t.at(s, g, 0);
                add(&mut data[at..at + M], w, x);
            }
        }
    }
}
