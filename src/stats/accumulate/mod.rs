//! Sufficient statistics: per subunit (a sampling unit — the stratum, or the PSU when the design
//! has clusters — crossed with the respondent's calibration cell), per group, per category, nine
//! running sums. They merge by addition, so chunks, threads and files combine in any grouping;
//! every estimate, variance, design effect and calibration is a function of them.

use crate::codebook::{Codebook, VariableKind};
use crate::input::{DecodedRow, RowSink, MISSING_CODE, MISSING_ITEM};
use crate::stats::cells::{CellAxis, SubunitIndex};

mod extras;
pub mod histogram;
pub mod joint;
mod sums;

pub use extras::{Extras, ExtrasLayout, MergedExtras, ScaleMoments};
pub use joint::{GroupAxis, JointSums, JointTable};
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
/// levels of one or more grouping variables.
///
/// A grouping over at most one variable is *dense*: every level has its place on the table's
/// group axis, plus one for "missing". A crossed grouping of a table is *joint*: only the joint
/// groups that have rows are kept (see [`joint`]); their keys are known after the merge, and
/// their places follow the dense ones on the axis.
#[derive(Debug, Clone, PartialEq)]
pub struct Grouping {
    pub vars: Vec<usize>,
    pub levels: Vec<usize>,
    /// Places on the axis: Π(levels + 1) when dense; the joint groups with rows when joint (0
    /// until the merge).
    pub n_groups: usize,
    /// Offset of this grouping's groups on the table's group axis.
    pub offset: usize,
    /// Joint groupings: the keys of their joint groups with rows, sorted (after the merge).
    pub joint: Option<Vec<u32>>,
}

impl Grouping {
    /// Groupings over each set of variables, the dense ones first on one axis (crossed ones
    /// joint when `joint_crossed`); returns them (in the order of `var_sets`) and the dense
    /// axis length.
    fn axis(
        codebook: &Codebook,
        var_sets: &[Vec<usize>],
        joint_crossed: bool,
    ) -> (Vec<Grouping>, usize) {
        let mut groupings: Vec<Grouping> = var_sets
            .iter()
            .map(|vars| {
                let levels: Vec<usize> = vars
                    .iter()
                    .map(|&v| codebook.variables[v].groups().map_or(0, |g| g.len()))
                    .collect();
                let joint = joint_crossed && vars.len() > 1;
                Grouping {
                    vars: vars.clone(),
                    n_groups: if joint {
                        0
                    } else {
                        levels.iter().map(|l| l + 1).product()
                    },
                    levels,
                    offset: 0,
                    joint: joint.then(Vec::new),
                }
            })
            .collect();
        let mut offset = 0;
        for g in groupings.iter_mut().filter(|g| g.joint.is_none()) {
            g.offset = offset;
            offset += g.n_groups;
        }
        for g in groupings.iter_mut().filter(|g| g.joint.is_some()) {
            g.offset = offset;
        }
        (groupings, offset)
    }

    /// The index of a combination of levels in a dense grouping (each `< levels[i]`, the last
    /// level being missing).
    pub fn index(&self, levels: &[usize]) -> usize {
        debug_assert!(self.joint.is_none(), "index() is for dense groupings");
        let mut idx = 0;
        for (l, n) in levels.iter().zip(&self.levels) {
            idx = idx * (n + 1) + l;
        }
        idx
    }

    /// The place of a combination of levels among the grouping's groups: always for a dense
    /// grouping; for a joint one, only when that joint group has rows.
    pub fn find(&self, levels: &[usize]) -> Option<usize> {
        match &self.joint {
            None => Some(self.index(levels)),
            Some(keys) => {
                let key = joint::joint_key(&self.levels, levels.iter().copied())?;
                keys.binary_search(&key).ok()
            }
        }
    }

    /// Joint groupings: where their keys came from, once merged.
    fn set_joint_keys(&mut self, keys: Vec<u32>, offset: usize) {
        self.n_groups = keys.len();
        self.offset = offset;
        self.joint = Some(keys);
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
    /// Places on the dense part of the group axis (the dense groupings'); the joint groupings'
    /// groups follow.
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

    /// f64s per subunit of the dense sums.
    pub fn unit_len(&self) -> usize {
        self.n_groups * self.slots * M
    }

    /// f64s per group and subunit: the slots' moments.
    pub fn group_len(&self) -> usize {
        self.slots * M
    }

    /// The joint groupings, with their position among the table's joint sums.
    pub fn joint_groupings(&self) -> impl Iterator<Item = &Grouping> + '_ {
        self.groupings.iter().filter(|g| g.joint.is_some())
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
    /// The most f64s of sums one lane may hold ([`MAX_LANE_SUMS`] unless set lower).
    pub max_lane_sums: usize,
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
            let (groupings, n_groups) = Grouping::axis(codebook, &var_sets, true);
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
        let (population, _) = Grouping::axis(codebook, crossings, false);
        let extras = ExtrasLayout::of(codebook, &out);
        Layout {
            tables: out,
            crossings: population,
            cells: cell_axis(codebook),
            extras,
            max_lane_sums: MAX_LANE_SUMS,
        }
    }

    /// Empty standard-population sums: per table and once more for all rows (whatever the
    /// tables' filters), per crossing (grown per subunit).
    fn empty_population(&self) -> Vec<Vec<Vec<f64>>> {
        (0..=self.tables.len())
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

/// f64s per (subunit, group) of the standard-population sums: rows, Σw, Σw², rows of weight 0.
pub const POP: usize = 4;

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

/// The most f64s of sums one lane may hold (1 GiB; the environment variable
/// `ENQUETE_MAX_SUMS_MIB` sets a lower bound, in MiB). Sums grow with the strata (PSUs with
/// clusters) × calibration cells × each table's figures, and with the joint groups' blocks; a
/// codebook within its limits on a design with very many PSUs could still ask for more than a
/// machine has. Beyond this the pass stops adding and says so ([`Accumulator::too_large`]).
pub const MAX_LANE_SUMS: usize = 1 << 27;

/// The running sums of one lane. Subunits are the lane's own indices until merged.
#[derive(Debug, Clone)]
pub struct Accumulator<'a> {
    layout: &'a Layout,
    /// Per table: the dense groupings' sums, per (local subunit, group, slot) [`M`] f64s.
    pub tables: Vec<Vec<f64>>,
    /// Per table, per joint grouping (in the order of [`TableLayout::joint_groupings`]): the
    /// sums of its joint groups with rows.
    pub joint: Vec<Vec<JointSums>>,
    /// Per local subunit: (local unit, cell key), and the way back.
    pub subunits: SubunitIndex,
    /// Per local subunit: sums over all its valid rows.
    pub all: Vec<AllRows>,
    /// Per table, per crossing: per (local subunit, joint group), the rows, Σw, Σw² and rows of
    /// weight 0 of all valid rows in the table's subpopulation ([`POP`] f64s each): the standard
    /// population of direct standardisation. After the tables, the same over all valid rows:
    /// the rows a standardised variance on a calibrated design gives a residual (R keeps every
    /// row of a calibrated design, with weight 0 outside a subpopulation).
    pub population: Vec<Vec<Vec<f64>>>,
    /// Sums besides the tables' (scales' moments).
    pub extras: Extras,
    groups: Vec<usize>,
    /// Whether the sums outgrew [`MAX_LANE_SUMS`] (the rows after that were not added).
    pub too_large: bool,
    /// f64s held, and those one more subunit takes.
    held: usize,
    per_subunit: usize,
}

impl<'a> Accumulator<'a> {
    pub fn new(layout: &'a Layout) -> Self {
        Accumulator {
            layout,
            tables: vec![Vec::new(); layout.tables.len()],
            joint: layout
                .tables
                .iter()
                .map(|t| t.joint_groupings().map(|_| JointSums::default()).collect())
                .collect(),
            subunits: SubunitIndex::new(&layout.cells),
            all: Vec::new(),
            population: layout.empty_population(),
            extras: Extras::new(&layout.extras),
            groups: Vec::new(),
            too_large: false,
            held: 0,
            per_subunit: layout
                .tables
                .iter()
                .map(TableLayout::unit_len)
                .sum::<usize>()
                + (layout.tables.len() + 1)
                    * layout
                        .crossings
                        .iter()
                        .map(|g| g.n_groups * POP)
                        .sum::<usize>(),
        }
    }

    /// The local subunit of (unit, cell key), created on first use; none once the sums would
    /// outgrow [`MAX_LANE_SUMS`].
    fn subunit(&mut self, unit: u32, key: u128) -> Option<usize> {
        let (s, new) = self.subunits.get(unit, key);
        if new {
            // The lane's sums stop here (the pass is refused: the index may hold one subunit
            // more than the sums).
            if self.held + self.per_subunit > self.layout.max_lane_sums {
                self.too_large = true;
                return None;
            }
            self.held += self.per_subunit;
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
        Some(s)
    }
}

/// The row's group within one dense grouping (missing values have the last level).
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
        if self.too_large {
            return;
        }
        let Some(s) = self.subunit(row.unit, self.layout.cells.key_of(row)) else {
            return;
        };
        let w = row.weight;
        let all = &mut self.all[s];
        all[ALL_ROWS] += 1.0;
        all[ALL_NZ] += (w != 0.0) as u8 as f64;
        all[ALL_W] += w;
        all[ALL_W2] += w * w;
        all[ALL_MIN] = all[ALL_MIN].min(w);
        all[ALL_MAX] = all[ALL_MAX].max(w);
        self.extras.row(&self.layout.extras, row);
        if let Some(all_rows) = self.population.last_mut() {
            add_population(&self.layout.crossings, all_rows, s, row, w);
        }
        if self.held > self.layout.max_lane_sums {
            self.too_large = true;
            return;
        }
        let tables = self.layout.tables.iter().zip(self.tables.iter_mut());
        let tables = tables.zip(self.population.iter_mut().zip(self.joint.iter_mut()));
        for (ti, ((t, data), (population, joint))) in tables.enumerate() {
            if let Some(f) = &t.filter {
                if !f.matches(&row.codes, &row.numbers) {
                    continue;
                }
            }
            add_population(&self.layout.crossings, population, s, row, w);
            if !answered(t, row) {
                continue;
            }
            self.groups.clear();
            for (j, (g, sums)) in t.joint_groupings().zip(joint.iter_mut()).enumerate() {
                let levels = g.vars.iter().map(|&v| row.codes[v] as usize);
                if let Some(key) = joint::joint_key(&g.levels, levels) {
                    let before = sums.held();
                    add_to_group(t, sums.block(s, key, t.group_len()), row, w);
                    self.held += sums.held() - before;
                    self.groups.push(joint::lane_group(j, key));
                }
            }
            for g in t.groupings.iter().filter(|g| g.joint.is_none()) {
                let group = g.offset + group_index(g, row);
                let at = t.at(s, group, 0);
                add_to_group(t, &mut data[at..at + t.group_len()], row, w);
                self.groups.push(group);
            }
            self.extras.table_row(ti, t, &self.groups, s, row);
        }
    }
}

/// Add a row to the standard-population sums of every crossing.
#[inline]
fn add_population(
    crossings: &[Grouping],
    sums: &mut [Vec<f64>],
    s: usize,
    row: &DecodedRow,
    w: f64,
) {
    for (g, pop) in crossings.iter().zip(sums.iter_mut()) {
        let at = (s * g.n_groups + group_index(g, row)) * POP;
        pop[at] += 1.0;
        pop[at + 1] += w;
        pop[at + 2] += w * w;
        pop[at + 3] += (w == 0.0) as u8 as f64;
    }
}

/// Whether the row gives the table anything to add: a code, an item, a number.
#[inline]
fn answered(t: &TableLayout, row: &DecodedRow) -> bool {
    match t.mode {
        RowsMode::Code { var } => row.codes[var] != MISSING_CODE,
        RowsMode::Items { offset } => row.items[offset..offset + t.slots]
            .iter()
            .any(|&v| v != MISSING_ITEM),
        RowsMode::Number { var } => !row.numbers[var].is_nan(),
    }
}

/// Add one answered row to one group's sums (its slots' moments).
#[inline]
fn add_to_group(t: &TableLayout, group: &mut [f64], row: &DecodedRow, w: f64) {
    match t.mode {
        RowsMode::Code { var } => {
            let at = row.codes[var] as usize * M;
            add(&mut group[at..at + M], w, 1.0);
        }
        RowsMode::Items { offset } => {
            for j in 0..t.slots {
                let v = row.items[offset + j];
                if v != MISSING_ITEM {
                    add(&mut group[j * M..(j + 1) * M], w, v as f64);
                }
            }
        }
        RowsMode::Number { var } => add(&mut group[..M], w, row.numbers[var]),
    }
}
