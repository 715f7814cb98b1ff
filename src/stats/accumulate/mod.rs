//! Sufficient statistics: per subunit (a sampling unit — the stratum, or the PSU when the design
//! has clusters — crossed with the respondent's calibration cell), per group, per category, the
//! running sums of the moments ([`M`]). They merge by addition, so chunks, threads and files
//! combine in any grouping; every estimate, variance, design effect and calibration is a
//! function of them.
//!
//! Where they live: tables with the same groupings form a [`GroupSet`], whose sums are kept in
//! one block per (subunit, grouping, group) that has rows, every table's slots side by side. A
//! row finds its subunit and its groups once per set and adds to its blocks front to back, so a
//! monitor of a hundred tables costs a few contiguous runs of memory per row, and only the
//! (subunit, group) pairs respondents fill take memory. Each slot keeps only the moments its
//! rows mode needs ([`moments`]).

use crate::input::{DecodedRow, RowSink, MISSING_CODE, MISSING_ITEM};
use crate::stats::cells::SubunitIndex;

mod extras;
pub mod histogram;
pub mod joint;
mod layout;
pub mod moments;
mod sums;

pub use extras::{Extras, ExtrasLayout, MergedExtras, ScaleMoments};
pub use joint::{GroupAxis, JointSums, JointTable};
pub use layout::{GroupSet, Grouping, Layout, TableLayout};
pub use sums::{merge, CellTotals, Partial, Sums};

/// Moments of a slot: count, count with non-zero weight, Σy (unweighted), Σw, Σwy, Σwy², Σw²,
/// Σw²y, Σw²y² (numbers keep all nine; codes and items fewer, see [`moments`]).
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
/// `ENQUETE_MAX_SUMS_MIB` sets a lower bound, in MiB). Sums grow with the (subunit, group) pairs
/// respondents fill × the figures of the tables that share those groups; a codebook within its
/// limits on a design with very many PSUs could still ask for more than a machine has. Beyond
/// this the pass stops adding and says so ([`Accumulator::too_large`]).
pub const MAX_LANE_SUMS: usize = 1 << 27;

/// The running sums of one lane. Subunits are the lane's own indices until merged.
#[derive(Debug, Clone)]
pub struct Accumulator<'a> {
    layout: &'a Layout,
    /// Per group set: the blocks of the (local subunit, group) pairs with rows.
    pub sets: Vec<JointSums>,
    /// Per local subunit: (local unit, cell key), and the way back.
    pub subunits: SubunitIndex,
    /// Per local subunit: sums over all its valid rows.
    pub all: Vec<AllRows>,
    /// Per set of standard-population sums ([`Layout::pop_filters`]), per crossing: per (local
    /// subunit, joint group) the rows, Σw, Σw² and rows of weight 0 ([`POP`] f64s) of all valid
    /// rows in the subpopulation of its tables: the standard population of direct
    /// standardisation.
    pub population: Vec<Vec<Vec<f64>>>,
    /// The same over all valid rows, whatever the tables' filters: the rows a standardised
    /// variance on a calibrated design gives a residual (R keeps every row of a calibrated
    /// design, with weight 0 outside a subpopulation).
    pub all_rows: Vec<Vec<f64>>,
    /// Sums besides the tables' (scales' moments).
    pub extras: Extras,
    /// Whether the sums outgrew [`MAX_LANE_SUMS`] (the rows after that were not added).
    pub too_large: bool,
    /// f64s held, and those one more subunit takes.
    held: usize,
    per_subunit: usize,
    /// Buffers for one row: whether it passes each distinct filter; whether each table takes
    /// it; where its blocks start; its groups on the tables' axes (for histograms).
    passes: Vec<bool>,
    takes: Vec<bool>,
    blocks: Vec<usize>,
    groups: Vec<usize>,
    /// What the row adds to each of its blocks (as long as the largest set's block), and the
    /// runs of it that belong to tables taking the row.
    delta: Vec<f64>,
    runs: Vec<(usize, usize)>,
    /// Whether the additions may use AVX2.
    wide: bool,
}

impl<'a> Accumulator<'a> {
    pub fn new(layout: &'a Layout) -> Self {
        Accumulator {
            layout,
            sets: vec![JointSums::default(); layout.sets.len()],
            subunits: SubunitIndex::new(&layout.cells),
            all: Vec::new(),
            population: vec![layout.empty_population(); layout.pop_filters.len()],
            all_rows: layout.empty_population(),
            extras: Extras::new(&layout.extras),
            too_large: false,
            held: 0,
            per_subunit: layout.population_per_subunit(),
            passes: vec![false; layout.filters.len()],
            takes: vec![false; layout.tables.len()],
            blocks: Vec::new(),
            groups: Vec::new(),
            delta: vec![0.0; layout.sets.iter().map(|s| s.block).max().unwrap_or(0)],
            runs: Vec::new(),
            wide: vector::wide(),
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
            let crossings = &self.layout.crossings;
            for per_set in self.population.iter_mut().chain([&mut self.all_rows]) {
                for (g, pop) in crossings.iter().zip(per_set.iter_mut()) {
                    pop.resize((s + 1) * g.n_groups * POP, 0.0);
                }
            }
        }
        Some(s)
    }

    /// Add a row to the tables of group set `si` that take it.
    #[inline]
    fn add_to_set(&mut self, si: usize, s: usize, row: &DecodedRow) {
        let layout = self.layout;
        let set = &layout.sets[si];
        let mut any = false;
        for &t in &set.tables {
            let tl = &layout.tables[t];
            let takes = tl.filter_id.is_none_or(|f| self.passes[f]) && answered(tl, row);
            self.takes[t] = takes;
            any |= takes;
        }
        if !any {
            return;
        }
        // The row's group in each grouping, and the block of (subunit, group).
        let sums = &mut self.sets[si];
        let before = sums.held();
        self.blocks.clear();
        for (j, g) in set.groupings.iter().enumerate() {
            let key = match g.joint {
                None => Some(group_index(g, row) as u32),
                Some(_) => {
                    joint::joint_key(&g.levels, g.vars.iter().map(|&v| row.codes[v] as usize))
                }
            };
            if let Some(key) = key {
                self.blocks
                    .push(sums.block_at(s, joint::set_key(j, key), set.block));
            }
        }
        self.held += sums.held() - before;
        // What the row adds to a block is the same in each of its blocks: the taking tables'
        // slots (a code's own slot; every item of a select-all set, with 0 for an unanswered
        // one: x + 0 is x, as sums start at +0 and never become -0). Written once, it is added
        // to each block as contiguous runs, which become vector additions.
        let delta = &mut self.delta[..set.block];
        self.runs.clear();
        for &t in &set.tables {
            if !self.takes[t] {
                continue;
            }
            let (from, to) = row_slots(&layout.tables[t], delta, row);
            match self.runs.last_mut() {
                Some(run) if run.1 == from => run.1 = to,
                _ => self.runs.push((from, to)),
            }
        }
        for &at in &self.blocks {
            let block = &mut sums.data[at..at + set.block];
            for &(from, to) in &self.runs {
                vector::add(&mut block[from..to], &delta[from..to], self.wide);
            }
        }
        if !layout.extras.has_histograms() {
            return;
        }
        // The groups as the tables' axes name them in a lane: the joint groupings' first.
        self.groups.clear();
        for (jj, g) in set
            .groupings
            .iter()
            .filter(|g| g.joint.is_some())
            .enumerate()
        {
            let levels = g.vars.iter().map(|&v| row.codes[v] as usize);
            if let Some(key) = joint::joint_key(&g.levels, levels) {
                self.groups.push(joint::lane_group(jj, key));
            }
        }
        for g in set.groupings.iter().filter(|g| g.joint.is_none()) {
            self.groups.push(g.offset + group_index(g, row));
        }
        for &t in &set.tables {
            if self.takes[t] {
                let tl = &layout.tables[t];
                self.extras.table_row(t, tl, &self.groups, s, row);
            }
        }
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
        let crossings = &self.layout.crossings;
        add_population(crossings, &mut self.all_rows, s, row, w);
        if self.held > self.layout.max_lane_sums {
            self.too_large = true;
            return;
        }
        for (f, pass) in self.layout.filters.iter().zip(self.passes.iter_mut()) {
            *pass = f.matches(&row.codes, &row.numbers);
        }
        for (f, pop) in self
            .layout
            .pop_filters
            .iter()
            .zip(self.population.iter_mut())
        {
            if f.is_none_or(|f| self.passes[f]) {
                add_population(crossings, pop, s, row, w);
            }
        }
        for si in 0..self.layout.sets.len() {
            self.add_to_set(si, s, row);
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

/// Write what one answered row adds to table `t`'s slots into `delta` (the set's block):
/// its code's slot, or all its slots (the moments its mode keeps; see [`moments`]). Returns
/// the range written.
#[inline(always)]
fn row_slots(t: &TableLayout, delta: &mut [f64], row: &DecodedRow) -> (usize, usize) {
    let w = row.weight;
    let k = t.kept();
    match t.mode {
        RowsMode::Code { var } => {
            let at = t.start + row.codes[var] as usize * k;
            moments::code_delta(&mut delta[at..at + k], w);
            (at, at + k)
        }
        RowsMode::Items { offset } => {
            let (from, to) = (t.start, t.start + t.width());
            for (j, c) in delta[from..to].chunks_exact_mut(k).enumerate() {
                match row.items[offset + j] {
                    MISSING_ITEM => c.fill(0.0),
                    v => moments::item_delta(c, w, v as f64),
                }
            }
            (from, to)
        }
        RowsMode::Number { var } => {
            moments::number_delta(&mut delta[t.start..t.start + k], w, row.numbers[var]);
            (t.start, t.start + k)
        }
    }
}

/// Element-wise additions, on 256-bit vectors where the processor has them (checked once per
/// lane). Each element is one IEEE addition either way, so the results are the same bits.
mod vector {
    /// Whether AVX2 may be used.
    pub fn wide() -> bool {
        #[cfg(target_arch = "x86_64")]
        {
            std::arch::is_x86_feature_detected!("avx2")
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            false
        }
    }

    /// `x[i] += d[i]` for every i.
    #[inline(always)]
    pub fn add(x: &mut [f64], d: &[f64], wide: bool) {
        #[cfg(target_arch = "x86_64")]
        if wide {
            // SAFETY: `wide` is true only when the processor has AVX2 (`wide()`).
            unsafe { add_avx2(x, d) };
            return;
        }
        let _ = wide;
        add_plain(x, d);
    }

    #[inline(always)]
    fn add_plain(x: &mut [f64], d: &[f64]) {
        for (x, d) in x.iter_mut().zip(d) {
            *x += d;
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn add_avx2(x: &mut [f64], d: &[f64]) {
        add_plain(x, d);
    }
}
