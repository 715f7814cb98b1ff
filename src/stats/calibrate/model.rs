//! The calibration model on the cells respondents fill: per margin, each cell's category; the
//! population of every category (an "unknown" category's from the sample's design-weighted
//! share); the model columns R builds (`~ a + b:c + d`: an intercept and the indicators of every
//! category but a reference one per margin; post-stratification: one indicator per cell and no
//! intercept), kept sparse: a cell has at most one column per margin.

use super::{CellTotals, WeightingError};
use crate::codebook::weighting::{Method, Unknown};
use crate::codebook::{Variable, Weighting};
use crate::stats::cells::CellAxis;

/// No column (the reference category, or a category without respondents or population).
pub(super) const NONE: u32 = u32::MAX;

/// One margin on the cells.
#[derive(Debug, Clone)]
pub struct MarginModel {
    /// The margin's position in the `[weighting]` margins.
    pub margin: usize,
    /// Per cell: its category (the known joint categories first, then "unknown").
    pub category: Vec<u32>,
    /// Known categories (the product of the variables' levels).
    pub known: usize,
    /// Whether some respondent has an unknown value on the margin (own-category only).
    pub has_unknown: bool,
    /// Per category: the population count (scaled; the unknown category's from the share).
    pub population: Vec<f64>,
    /// Per category: the design-weighted sample total.
    pub sample: Vec<f64>,
    /// Per category: its model column, or [`NONE`].
    pub column: Vec<u32>,
}

impl MarginModel {
    pub fn categories(&self) -> usize {
        self.known + self.has_unknown as usize
    }
}

/// The model on the non-empty cells.
#[derive(Debug, Clone)]
pub struct Model {
    pub p: usize,
    /// Per cell: its columns (ascending; [`NONE`] pads), `width` per cell.
    cols: Vec<u32>,
    width: usize,
    /// Per column: the population total it must reach.
    pub t: Vec<f64>,
    pub margins: Vec<MarginModel>,
}

impl Model {
    /// The columns where cell `c`'s model row is 1.
    #[inline]
    pub fn row(&self, c: usize) -> impl Iterator<Item = usize> + '_ {
        self.cols[c * self.width..(c + 1) * self.width]
            .iter()
            .take_while(|&&j| j != NONE)
            .map(|&j| j as usize)
    }

    pub fn cells(&self) -> usize {
        self.cols.len() / self.width.max(1)
    }

    /// Σ_c d_c w_c x_c x_c' (p × p, row-major).
    pub fn crossproduct(&self, d: &[f64], w: impl Fn(usize) -> f64) -> Vec<f64> {
        let p = self.p;
        let mut m = vec![0.0; p * p];
        for (c, &dc) in d.iter().enumerate() {
            let dc = dc * w(c);
            if dc == 0.0 {
                continue;
            }
            for i in self.row(c) {
                for j in self.row(c) {
                    m[i * p + j] += dc;
                }
            }
        }
        m
    }

    /// Σ_c d_c g_c x_c.
    pub fn totals(&self, d: &[f64], g: impl Fn(usize) -> f64) -> Vec<f64> {
        let mut out = vec![0.0; self.p];
        for (c, &dc) in d.iter().enumerate() {
            let w = dc * g(c);
            for j in self.row(c) {
                out[j] += w;
            }
        }
        out
    }

    /// x_c'λ.
    #[inline]
    pub fn eta(&self, c: usize, lambda: &[f64]) -> f64 {
        self.row(c).map(|j| lambda[j]).sum()
    }
}

/// Which margin's variables sit where on the cell axis.
fn positions(spec: &Weighting, axis: &CellAxis) -> Vec<Vec<usize>> {
    spec.margins
        .iter()
        .map(|m| {
            m.vars
                .iter()
                .map(|v| {
                    axis.vars
                        .iter()
                        .position(|a| a == v)
                        .expect("axis holds every margin variable")
                })
                .collect()
        })
        .collect()
}

/// Build the model for the cells with these keys and design-weight totals.
pub fn build(
    spec: &Weighting,
    variables: &[Variable],
    axis: &CellAxis,
    keys: &[u128],
    cells: &[CellTotals],
) -> Result<Model, WeightingError> {
    let total_d: f64 = cells.iter().map(|c| c.weight).sum();
    let mut margins = Vec::with_capacity(spec.margins.len());
    let pos = positions(spec, axis);
    let levels: Vec<Vec<usize>> = keys.iter().map(|&k| axis.levels_of(k)).collect();
    for (mi, (m, at)) in spec.margins.iter().zip(&pos).enumerate() {
        let known = m.counts.len();
        let category: Vec<u32> = levels
            .iter()
            .map(|lv| {
                let mut idx = 0usize;
                for &a in at {
                    if lv[a] == axis.levels[a] {
                        return known as u32;
                    }
                    idx = idx * axis.levels[a] + lv[a];
                }
                idx as u32
            })
            .collect();
        let has_unknown =
            spec.unknown == Unknown::OwnCategory && category.contains(&(known as u32));
        let mut sample = vec![0.0; known + has_unknown as usize];
        for (c, &k) in category.iter().enumerate() {
            sample[k as usize] += cells[c].weight;
        }
        // The unknowns' population: the total times their design-weighted share of the sample;
        // the known categories keep the rest in the file's proportions.
        let share = if has_unknown {
            sample[known] / total_d
        } else {
            0.0
        };
        let mut population: Vec<f64> = m.counts.iter().map(|c| c * (1.0 - share)).collect();
        if has_unknown {
            population.push(spec.total * share);
        }
        margins.push(MarginModel {
            margin: mi,
            category,
            known,
            has_unknown,
            population,
            sample,
            column: Vec::new(),
        });
    }
    check_coverage(spec, variables, &margins)?;
    Ok(assign_columns(spec, margins, keys.len()))
}

/// Every category the population has must have respondents, and respondents need a population.
fn check_coverage(
    spec: &Weighting,
    variables: &[Variable],
    margins: &[MarginModel],
) -> Result<(), WeightingError> {
    for mm in margins {
        let m = &spec.margins[mm.margin];
        for (j, (&pop, &s)) in mm.population.iter().zip(&mm.sample).enumerate() {
            let name = || {
                if j == mm.known {
                    crate::codebook::Category {
                        key: "unknown".into(),
                        label: "unknown".into(),
                    }
                } else {
                    m.category(j, variables)
                }
            };
            if pop > 0.0 && !(s > 0.0) {
                let (variable, category) = (m.name(variables), name().label);
                let count = crate::text::num(pop);
                return Err(if spec.method == Method::Poststratify {
                    WeightingError::EmptyCell {
                        cell: format!("{variable} = {}", name().key),
                        count,
                    }
                } else {
                    WeightingError::EmptyCategory {
                        variable,
                        category,
                        count,
                    }
                });
            }
            if pop == 0.0 && s > 0.0 {
                return Err(WeightingError::NoPopulation {
                    variable: m.name(variables),
                    category: name().key,
                });
            }
        }
    }
    Ok(())
}

/// The model columns: an intercept, then per margin every category but its reference (the first
/// with respondents) and those without respondents; post-stratification: one column per
/// category with respondents, no intercept. The column space is R's.
fn assign_columns(spec: &Weighting, mut margins: Vec<MarginModel>, cells: usize) -> Model {
    let poststratify = spec.method == Method::Poststratify;
    let mut t = Vec::new();
    if !poststratify {
        t.push(spec.total);
    }
    for mm in margins.iter_mut() {
        let reference = (!poststratify)
            .then(|| mm.sample.iter().position(|&s| s > 0.0))
            .flatten();
        mm.column = (0..mm.categories())
            .map(|j| {
                if Some(j) == reference || !(mm.sample[j] > 0.0) {
                    NONE
                } else {
                    t.push(mm.population[j]);
                    (t.len() - 1) as u32
                }
            })
            .collect();
    }
    let width = margins.len() + !poststratify as usize;
    let mut cols = vec![NONE; cells * width];
    for c in 0..cells {
        let row = &mut cols[c * width..(c + 1) * width];
        let mut at = 0;
        if !poststratify {
            row[0] = 0;
            at = 1;
        }
        for mm in &margins {
            let j = mm.column[mm.category[c] as usize];
            if j != NONE {
                row[at] = j;
                at += 1;
            }
        }
    }
    Model {
        p: t.len(),
        cols,
        width,
        t,
        margins,
    }
}
