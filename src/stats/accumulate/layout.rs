//! Which sums a pass keeps: per table its groupings (the whole sample, each breakdown, the
//! crossings for standardisation), its slots, and where its sums live. Tables with the same
//! groupings form a [`GroupSet`]: their sums lie side by side in one block per (subunit, group),
//! so that a row finds its groups once for all of them and adds to a few contiguous runs of
//! memory instead of one scattered place per table.

use super::{joint, moments};
use super::{ExtrasLayout, RowsMode, MAX_LANE_SUMS, POP};
use crate::codebook::{Codebook, Filter, VariableKind};
use crate::stats::cells::CellAxis;

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
    pub(super) fn set_joint_keys(&mut self, keys: Vec<u32>, offset: usize) {
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
    pub filter: Option<Filter>,
    /// The filter's index among [`Layout::filters`] (each distinct filter is evaluated once per
    /// row), and the standard-population sums the table reads ([`Layout::pop_filters`]).
    pub filter_id: Option<usize>,
    pub pop: usize,
    /// The table's [`GroupSet`], and where its slots start in the set's blocks.
    pub set: usize,
    pub start: usize,
}

impl TableLayout {
    /// What the table estimates: proportions, or the mean of a number.
    pub fn statistic(&self) -> crate::keys::Statistic {
        match self.mode {
            RowsMode::Number { .. } => crate::keys::Statistic::Mean,
            RowsMode::Code { .. } | RowsMode::Items { .. } => crate::keys::Statistic::Proportion,
        }
    }

    /// f64s per slot: the moments its rows mode needs ([`moments::kept`]).
    pub fn kept(&self) -> usize {
        moments::kept(self.mode)
    }

    /// f64s of the table in one block: its slots' moments.
    pub fn width(&self) -> usize {
        self.slots * self.kept()
    }

    /// The table's sums in a block of its set.
    #[inline]
    pub fn in_block<'b>(&self, block: &'b [f64]) -> &'b [f64] {
        &block[self.start..self.start + self.width()]
    }

    /// The figures the table may hold per subunit: a measure of its size (for naming the
    /// largest table when the sums outgrow memory).
    pub fn size(&self) -> usize {
        (self.n_groups + 1) * self.slots * super::M
    }

    /// The grouping of a place on the table's group axis, and the group's key in the set's
    /// blocks ([`set_key`]): its dense index, or its joint key.
    pub fn locate(&self, group: usize) -> (usize, u32) {
        let (j, g) = self
            .groupings
            .iter()
            .enumerate()
            .find(|(_, g)| (g.offset..g.offset + g.n_groups).contains(&group))
            .expect("a place on the axis belongs to a grouping");
        let at = group - g.offset;
        let key = match &g.joint {
            None => at as u32,
            Some(keys) => keys[at],
        };
        (j, key)
    }

    /// The joint groupings, with their position among the table's joint sums.
    pub fn joint_groupings(&self) -> impl Iterator<Item = &Grouping> + '_ {
        self.groupings.iter().filter(|g| g.joint.is_some())
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

/// Tables with the same groupings. Their sums share one block of f64s per (subunit, grouping,
/// group) that has rows: each table's slots at its [`TableLayout::start`].
#[derive(Debug, Clone)]
pub struct GroupSet {
    /// The groupings, as every table of the set has them before the merge.
    pub groupings: Vec<Grouping>,
    /// The set's tables (positions in the layout), in layout order.
    pub tables: Vec<usize>,
    /// f64s per block: the tables' widths.
    pub block: usize,
}

/// Which sums to keep: for every table, its whole sample plus each `by` breakdown, plus any
/// extra crossed groupings (e.g. language × age group for standardisation).
#[derive(Debug, Clone)]
pub struct Layout {
    pub tables: Vec<TableLayout>,
    /// The tables grouped by their groupings.
    pub sets: Vec<GroupSet>,
    /// The tables' distinct filters.
    pub filters: Vec<Filter>,
    /// Per set of standard-population sums: the filter of its tables (an index into
    /// [`Layout::filters`]), none for unfiltered tables.
    pub pop_filters: Vec<Option<usize>>,
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
        let mut sets: Vec<GroupSet> = Vec::new();
        let mut filters: Vec<Filter> = Vec::new();
        let mut pop_filters: Vec<Option<usize>> = Vec::new();
        for &t in tables {
            let table = &codebook.tables[t];
            let mut var_sets = table.breakdowns();
            for c in crossings {
                if !var_sets.contains(c) {
                    var_sets.push(c.clone());
                }
            }
            let (groupings, n_groups) = Grouping::axis(codebook, &var_sets, true);
            let set = match sets.iter().position(|s| s.groupings == groupings) {
                Some(s) => s,
                None => {
                    sets.push(GroupSet {
                        groupings: groupings.clone(),
                        tables: Vec::new(),
                        block: 0,
                    });
                    sets.len() - 1
                }
            };
            let filter = table.domain_filter(codebook);
            let filter_id = filter.as_ref().map(|f| {
                filters.iter().position(|g| g == f).unwrap_or_else(|| {
                    filters.push(f.clone());
                    filters.len() - 1
                })
            });
            let pop = pop_filters
                .iter()
                .position(|&p| p == filter_id)
                .unwrap_or_else(|| {
                    pop_filters.push(filter_id);
                    pop_filters.len() - 1
                });
            for rows_var in table.statements() {
                let (mode, slots) = rows_mode(codebook, rows_var, &item_offsets);
                let start = sets[set].block;
                sets[set].block += slots * moments::kept(mode);
                sets[set].tables.push(out.len());
                out.push(TableLayout {
                    table: t,
                    rows_var,
                    mode,
                    slots,
                    groupings: groupings.clone(),
                    n_groups,
                    filter: filter.clone(),
                    filter_id,
                    pop,
                    set,
                    start,
                });
            }
        }
        let (population, _) = Grouping::axis(codebook, crossings, false);
        let extras = ExtrasLayout::of(codebook, &out);
        Layout {
            tables: out,
            sets,
            filters,
            pop_filters,
            crossings: population,
            cells: cell_axis(codebook),
            extras,
            max_lane_sums: MAX_LANE_SUMS,
        }
    }

    /// Empty standard-population sums: per crossing (grown per subunit).
    pub(super) fn empty_population(&self) -> Vec<Vec<f64>> {
        self.crossings.iter().map(|_| Vec::new()).collect()
    }

    /// f64s of standard-population sums per subunit: per set of them and once for all rows.
    pub(super) fn population_per_subunit(&self) -> usize {
        (self.pop_filters.len() + 1)
            * self
                .crossings
                .iter()
                .map(|g| g.n_groups * POP)
                .sum::<usize>()
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

/// How the rows variable feeds the table's slots, and how many slots it has.
fn rows_mode(codebook: &Codebook, rows_var: usize, item_offsets: &[usize]) -> (RowsMode, usize) {
    match &codebook.variables[rows_var].kind {
        VariableKind::Categorical { values, .. } | VariableKind::Recode { values, .. } => {
            (RowsMode::Code { var: rows_var }, values.len())
        }
        VariableKind::Bins { bins, .. } => (RowsMode::Code { var: rows_var }, bins.len()),
        VariableKind::Multi { items, .. } => (
            RowsMode::Items {
                offset: item_offsets[rows_var],
            },
            items.len(),
        ),
        VariableKind::Numeric { .. } | VariableKind::Scale(_) => {
            (RowsMode::Number { var: rows_var }, 1)
        }
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
