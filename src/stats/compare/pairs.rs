//! Pairs of groups, crude or directly standardised: R's `svyglm(y ~ group, design)` (after
//! `svystandardize` for the standardised comparison), t on svyglm's residual df.

use super::testing::fill;
use super::{blank_row, breakdown, Cell, CompareError, CompareSpec, Comparison, Side};
use crate::codebook::Codebook;
use crate::stats::accumulate::{Grouping, Sums, N, NY, N_NZ, W, WY};
use crate::stats::estimate::{domain_of, table_categories, Domain};
use crate::stats::note::Note;

pub(super) fn pairs(
    codebook: &Codebook,
    sums: &Sums,
    pos: usize,
    spec: &CompareSpec,
) -> Result<Vec<Comparison>, CompareError> {
    let (grouping, groups) = breakdown(codebook, sums, pos, &spec.between)?;
    let standard = match spec.standardize {
        Some(s) => Some(standard(
            codebook,
            sums,
            pos,
            spec.between[0],
            s,
            groups.len(),
        )?),
        None => None,
    };
    let between_name = crate::stats::estimate::breakdown_of(codebook, &spec.between).to_string();
    let mut out = Vec::new();
    for cat in table_categories(codebook, sums, pos) {
        let sides: Vec<Side> = groups
            .iter()
            .enumerate()
            .map(|(b, grp)| match &standard {
                None => {
                    let d = domain_of(sums, pos, grouping.offset + grp.level, &cat.slots);
                    Side::of_domain(d, || Note::EmptyGroup {
                        between: between_name.clone(),
                        group: grp.label.clone(),
                    })
                }
                Some((g, shares, c)) => {
                    let mut side = standardised_side(
                        codebook,
                        sums,
                        pos,
                        spec,
                        (g, *c),
                        shares,
                        b,
                        &cat.slots,
                    );
                    if sums.design.calibrated() {
                        side.standardised = Some((pos, *c));
                    }
                    side
                }
            })
            .collect();
        let df = residual_df(sums, &sides);
        for a in 0..groups.len() {
            for b in a + 1..groups.len() {
                let mut row = blank_row(codebook, sums, pos, spec, &cat);
                row.group_a = groups[a].key.clone();
                row.group_a_label = groups[a].label.clone();
                row.group_b = groups[b].key.clone();
                row.group_b_label = groups[b].label.clone();
                row.df = df;
                let (sa, sb) = (&sides[a], &sides[b]);
                // Groups are disjoint: no row is in both, so the cross-products vanish. On a
                // calibrated design every group's cells take part in the standardisation's
                // residual (R's svyglm fits them all), the other groups' with scores 0.
                let var = || match sb.standardised {
                    Some(_) => {
                        // b, then a, then the others: the order of the sums as before.
                        let others = (0..sides.len()).filter(|&i| i != a && i != b);
                        let parts: Vec<(&Side, f64)> = [(sb, 1.0), (sa, -1.0)]
                            .into_iter()
                            .chain(others.map(|i| (&sides[i], 0.0)))
                            .collect();
                        standardised_variance(sums, &parts)
                    }
                    None => sums
                        .design
                        .variance(|u| sb.scores(u).minus_disjoint(sa.scores(u))),
                };
                fill(sums, &mut row, sa, sb, var, spec.min_base);
                out.push(row);
            }
        }
    }
    Ok(out)
}

/// svyglm's residual df: degf of the comparison's design + 1 − the groups it can estimate
/// (groups with a respondent of non-zero weight; R drops the others' coefficients).
fn residual_df(sums: &Sums, sides: &[Side]) -> f64 {
    let estimable = sides.iter().filter(|s| !s.cells.is_empty()).count() as f64;
    // Cells of zero weight have no rows of non-zero weight: leaving them out changes nothing.
    let rows_nz = |u: usize| -> f64 {
        sides
            .iter()
            .flat_map(|s| s.cells.iter())
            .map(|c| c.domain.units[u][N_NZ])
            .sum()
    };
    sums.design.domain_df(rows_nz) + 1.0 - estimable
}

/// The grouping of `between` × `standardize` and each standardising level's share of the
/// standard population: the weighted distribution of the standardising variable among all
/// respondents with a known group and a known level.
fn standard<'a>(
    codebook: &Codebook,
    sums: &'a Sums,
    pos: usize,
    between: usize,
    s: usize,
    n_groups: usize,
) -> Result<(&'a Grouping, Vec<f64>, usize), CompareError> {
    let g = sums
        .layout
        .grouping(pos, &[between, s])
        .ok_or(CompareError::NotAccumulated("standardising crossing"))?;
    let c = sums
        .layout
        .crossings
        .iter()
        .position(|c| c.vars == [between, s])
        .ok_or(CompareError::NotAccumulated("standard population"))?;
    let pop = sums.standard(pos, c);
    let crossing = &sums.layout.crossings[c];
    let mut w: Vec<f64> = (0..g.levels[1])
        .map(|a| (0..n_groups).map(|b| pop[crossing.index(&[b, a])]).sum())
        .collect();
    let sum: f64 = w.iter().sum();
    if !(sum > 0.0) {
        return Err(CompareError::EmptyStandard {
            between: codebook.variables[between].name.clone(),
            standardize: codebook.variables[s].name.clone(),
        });
    }
    w.iter_mut().for_each(|x| *x /= sum);
    Ok((g, w, c))
}

/// Group `b`'s directly standardised estimator for the category of `slots`: its cells'
/// estimates weighted by the standard's shares. `(grouping, crossing)`: the table's grouping of group ×
/// standardising level (joint: only its cells with rows have sums) and the layout's crossing of
/// the same variables (dense: the standard population).
#[allow(clippy::too_many_arguments)]
fn standardised_side(
    codebook: &Codebook,
    sums: &Sums,
    pos: usize,
    spec: &CompareSpec,
    (grouping, crossing): (&Grouping, usize),
    shares: &[f64],
    b: usize,
    slots: &[usize],
) -> Side {
    let between = &codebook.variables[spec.between[0]];
    let std = spec.standardize.map(|s| &codebook.variables[s]);
    let group_label = || between.groups().unwrap_or_default()[b].label.clone();
    let mut side = Side::empty();
    for (a, &share) in shares.iter().enumerate() {
        let pop_group = sums.layout.crossings[crossing].index(&[b, a]);
        let d = match grouping.find(&[b, a]) {
            Some(j) => domain_of(sums, pos, grouping.offset + j, slots),
            None => Domain::empty(sums.design.n_subunits()),
        };
        let weight = d.total(W);
        side.n += d.total(N);
        side.count += d.total(NY);
        if weight > 0.0 {
            let estimate = d.total(WY) / weight;
            side.estimate += share * estimate;
            side.cells.push(Cell {
                domain: d,
                share,
                estimate,
                weight,
                zero_row: 0.0,
                pop_group,
            });
        } else if share > 0.0 && side.problem.is_none() {
            let cell = Note::EmptyStandardCell {
                standardize: std.map_or(String::new(), |v| v.name.clone()),
                level: std
                    .and_then(|v| v.groups())
                    .map_or(String::new(), |g| g[a].label.clone()),
                between: between.name.clone(),
                group: group_label(),
            };
            side.problem = Some(if d.total(N) > 0.0 {
                Note::ZeroWeightCell(Box::new(cell))
            } else {
                cell
            });
        }
    }
    zero_weight_residuals(&mut side);
    side
}

/// R standardises with `postStratify`, whose variance gives each row of weight 0 the residual
/// −(its cell's mean of the influence values): (μ_g − ȳ_c) / Σ_g w, not multiplied by any
/// weight (R substitutes 1 for the weight there). Rows of positive weight keep the cell-ratio
/// residual the side already uses.
fn zero_weight_residuals(side: &mut Side) {
    let total: f64 = side.cells.iter().map(|c| c.weight).sum();
    if !(total > 0.0) {
        return;
    }
    let mean = side.estimate;
    for c in &mut side.cells {
        c.zero_row = (mean - c.estimate) / total;
    }
}

/// The variance of Σ sign · (a standardised side) on a calibrated design, as R computes it
/// after `svystandardize`: see [`crate::stats::design::DesignUnits::variance_standardised`].
/// The influence of a side g in its cell k (R's svyglm column) is
/// P_a · w (y − μ_g) / w_k: the estimate of the side, not of the cell, is subtracted.
pub(super) fn standardised_variance(sums: &Sums, parts: &[(&Side, f64)]) -> f64 {
    use crate::stats::design::{PsCell, PsSums, Scores};
    let mut cells = Vec::new();
    let mut refs = Vec::new();
    for (side, sign) in parts {
        let w_g: f64 = side.cells.iter().map(|c| c.weight).sum();
        for c in &side.cells {
            cells.push(PsCell {
                weight: c.weight,
                standardised: c.share * w_g,
            });
            refs.push((*side, c, *sign));
        }
    }
    sums.design.variance_standardised(&cells, |s, out| {
        for (o, (side, c, sign)) in out.iter_mut().zip(&refs) {
            let m = &c.domain.units[s];
            let (_, crossing) = side.standardised.expect("a standardised side");
            // Every row of the cell that is not an answer of the subpopulation with a weight:
            // unanswered, of weight 0, or outside the table's filter (R's subset of a
            // calibrated design keeps it, with weight 0).
            let [rows, w, _, zeros] = sums.all_rows_in(crossing, s, c.pop_group);
            *o = PsSums {
                scores: Scores::ratio(m, side.estimate, c.weight).scale(c.share * sign),
                w: m[W],
                w2: m[crate::stats::accumulate::W2],
                missing_n: rows - m[N],
                missing_w: w - m[W],
                zero_answered: m[N] - m[N_NZ],
                zero_all: zeros,
            };
        }
    })
}
