//! Sums a pass keeps besides the tables' moments: per scale the unweighted moments behind
//! Cronbach's alpha, and per table that asks for quantiles a weighted histogram of its number
//! ([`super::histogram`]). They are kept per lane and merge by addition, like every other sum.

use super::histogram::{Histogram, LaneHistogram};
use super::{GroupAxis, RowsMode, TableLayout};
use crate::codebook::{Codebook, Filter, Scale, VariableKind};
use crate::input::{DecodedRow, ScaleItems};
use crate::keys::Statistic;

/// What the extras read, resolved once from the codebook.
#[derive(Debug, Clone, Default)]
pub struct ExtrasLayout {
    /// Per scale of the codebook: the variable, the scale and where its items are read from.
    pub scales: Vec<(usize, Scale, ScaleItems)>,
    /// The codebook's own subpopulation (`filter` at the top level).
    filter: Option<Filter>,
    /// Per table of the layout: whether it keeps a histogram (a number with quantiles).
    pub quantiles: Vec<bool>,
    /// The variables whose respondents are counted per group (`[response]`), with their
    /// number of groups.
    pub tallies: Vec<(usize, usize)>,
}

impl ExtrasLayout {
    pub fn of(codebook: &Codebook, tables: &[TableLayout]) -> ExtrasLayout {
        let quantiles = tables
            .iter()
            .map(|t| {
                matches!(t.mode, RowsMode::Number { .. })
                    && codebook.tables[t.table].has(Statistic::Quantile)
            })
            .collect();
        let scales = codebook
            .variables
            .iter()
            .enumerate()
            .filter_map(|(i, v)| match &v.kind {
                VariableKind::Scale(s) => Some((i, s.clone(), ScaleItems::of(codebook, s))),
                _ => None,
            })
            .collect();
        let tallies = codebook
            .response
            .as_ref()
            .map(|r| r.variables())
            .unwrap_or_default()
            .into_iter()
            .map(|v| (v, codebook.variables[v].groups().map_or(0, |g| g.len())))
            .collect();
        ExtrasLayout {
            scales,
            filter: codebook.filter.as_ref().map(|f| f.0.clone()),
            quantiles,
            tallies,
        }
    }

    /// Whether any table keeps a histogram.
    pub fn has_histograms(&self) -> bool {
        self.quantiles.contains(&true)
    }
}

/// Unweighted sums over the respondents who answered every item of a scale validly (listwise,
/// as SPSS RELIABILITY): their number, Σx and Σx² per item (reversed where the scale says),
/// and Σt, Σt² of their item total t.
#[derive(Debug, Clone, PartialEq)]
pub struct ScaleMoments {
    pub n: f64,
    pub sum: Vec<f64>,
    pub sum_sq: Vec<f64>,
    pub total: f64,
    pub total_sq: f64,
}

impl ScaleMoments {
    fn new(k: usize) -> ScaleMoments {
        ScaleMoments {
            n: 0.0,
            sum: vec![0.0; k],
            sum_sq: vec![0.0; k],
            total: 0.0,
            total_sq: 0.0,
        }
    }

    fn merge(&mut self, o: &ScaleMoments) {
        self.n += o.n;
        for (a, b) in self.sum.iter_mut().zip(&o.sum) {
            *a += b;
        }
        for (a, b) in self.sum_sq.iter_mut().zip(&o.sum_sq) {
            *a += b;
        }
        self.total += o.total;
        self.total_sq += o.total_sq;
    }
}

/// One lane's extras.
#[derive(Debug, Clone, Default)]
pub struct Extras {
    /// Per scale of [`ExtrasLayout::scales`].
    pub scales: Vec<ScaleMoments>,
    /// Per table of the layout: its histogram, when it keeps one.
    pub histograms: Vec<Option<LaneHistogram>>,
    /// Per tallied variable of [`ExtrasLayout::tallies`]: respondents per group.
    pub tallies: Vec<Vec<f64>>,
    /// Buffer for one row's item values.
    values: Vec<f64>,
}

impl Extras {
    pub fn new(layout: &ExtrasLayout) -> Extras {
        let scales = layout
            .scales
            .iter()
            .map(|(_, s, _)| ScaleMoments::new(s.items.len()))
            .collect();
        let histograms = layout
            .quantiles
            .iter()
            .map(|&q| q.then(LaneHistogram::default))
            .collect();
        Extras {
            scales,
            histograms,
            tallies: layout.tallies.iter().map(|&(_, k)| vec![0.0; k]).collect(),
            values: Vec::new(),
        }
    }

    /// Add a row that is in table `t`'s subpopulation, in its `groups` (on the table's axis).
    #[inline]
    pub fn table_row(
        &mut self,
        t: usize,
        table: &TableLayout,
        groups: &[usize],
        subunit: usize,
        row: &DecodedRow,
    ) {
        let (Some(h), RowsMode::Number { var }) = (&mut self.histograms[t], table.mode) else {
            return;
        };
        let x = row.numbers[var];
        if x.is_nan() {
            return;
        }
        for &g in groups {
            h.add(g, subunit, x, row.weight);
        }
    }

    /// Add one valid row.
    #[inline]
    pub fn row(&mut self, layout: &ExtrasLayout, row: &DecodedRow) {
        // Response counts every respondent read, whatever the codebook's filter.
        for ((v, _), counts) in layout.tallies.iter().zip(self.tallies.iter_mut()) {
            if let Some(c) = counts.get_mut(row.codes[*v] as usize) {
                *c += 1.0;
            }
        }
        if layout.scales.is_empty() {
            return;
        }
        if let Some(f) = &layout.filter {
            if !f.matches(&row.codes, &row.numbers) {
                return;
            }
        }
        for ((_, scale, items), m) in layout.scales.iter().zip(self.scales.iter_mut()) {
            self.values.clear();
            self.values.extend(items.values(row));
            if self.values.iter().any(|x| x.is_nan()) {
                continue;
            }
            let (lo, hi) = scale.item_range;
            let mut t = 0.0;
            for (j, (&x, item)) in self.values.iter().zip(&scale.items).enumerate() {
                let x = if item.reversed { lo + hi - x } else { x };
                m.sum[j] += x;
                m.sum_sq[j] += x * x;
                t += x;
            }
            m.n += 1.0;
            m.total += t;
            m.total_sq += t * t;
        }
    }
}

/// The extras of all lanes, on the merged design's subunits.
#[derive(Debug, Clone, Default)]
pub struct MergedExtras {
    pub scales: Vec<ScaleMoments>,
    /// Per tallied variable: respondents per group.
    pub tallies: Vec<Vec<f64>>,
    /// Per table of the layout: its histogram, when it keeps one.
    pub histograms: Vec<Option<Histogram>>,
}

impl MergedExtras {
    /// Merge lanes (in lane order); `subunits[lane][local subunit]` is the global subunit and
    /// `axes[t]` table t's group axis.
    pub fn merge(lanes: &[&Extras], subunits: &[Vec<usize>], axes: &[GroupAxis]) -> MergedExtras {
        let mut scales = lanes.first().map(|l| l.scales.clone()).unwrap_or_default();
        for lane in lanes.iter().skip(1) {
            for (a, b) in scales.iter_mut().zip(&lane.scales) {
                a.merge(b);
            }
        }
        let mut tallies = lanes.first().map(|l| l.tallies.clone()).unwrap_or_default();
        for lane in lanes.iter().skip(1) {
            for (a, b) in tallies.iter_mut().zip(&lane.tallies) {
                a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
            }
        }
        let n_tables = lanes.first().map_or(0, |l| l.histograms.len());
        let histograms = (0..n_tables)
            .map(|t| {
                lanes.first()?.histograms[t].as_ref()?;
                let parts = lanes
                    .iter()
                    .zip(subunits)
                    .filter_map(|(l, map)| l.histograms[t].as_ref().map(|h| (h, map.as_slice())));
                Some(Histogram::merge(&axes[t], parts))
            })
            .collect();
        MergedExtras {
            scales,
            tallies,
            histograms,
        }
    }

    /// Design-weight sums into final-weight sums (`g` per calibration cell, `cell` per subunit).
    pub fn rescale(&mut self, g: &[f64], cell: &[usize]) {
        for h in self.histograms.iter_mut().flatten() {
            h.rescale(g, cell);
        }
    }
}
