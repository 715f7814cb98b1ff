//! Each group against the total it belongs to, or against the rest.
//!
//! Against the total: the group is part of the total, so the two estimates are correlated; the
//! difference is linearised directly, z_i = w_i [1{i∈g}(y_i − p_g)/N̂_g − (y_i − p)/N̂] over the
//! respondents with a valid answer (R: `svymean(~I(y*g) + g + y)` then `svycontrast(a/b − c)`),
//! with t on the df of the item's valid domain. Against the rest (everyone else with a valid
//! answer), the two sides are disjoint: R's `svyglm(y ~ I(group == g))`, t on its residual df.

use super::testing::fill;
use super::{blank_row, breakdown, CompareError, CompareSpec, Comparison, Side};
use crate::codebook::Codebook;
use crate::keys::GroupKey;
use crate::stats::accumulate::{Sums, M, N_NZ};
use crate::stats::design::{nested_cross, Scores};
use crate::stats::estimate::{domain_of, table_categories, Domain};
use crate::stats::note::Note;

/// The domain of all valid answers to the category of `slots` (the whole sample's group).
fn total_domain(sums: &Sums, pos: usize, slots: &[usize]) -> Result<Domain, CompareError> {
    let g = sums
        .layout
        .grouping(pos, &[])
        .ok_or(CompareError::NotAccumulated("whole sample"))?;
    Ok(domain_of(sums, pos, g.offset, slots))
}

/// The df of a domain (R's `degf` of the subset): PSUs minus strata with rows of non-zero weight.
fn df_of(sums: &Sums, d: &Domain) -> f64 {
    sums.design.domain_df(|u| d.units[u][N_NZ])
}

pub(super) fn total(
    codebook: &Codebook,
    sums: &Sums,
    pos: usize,
    spec: &CompareSpec,
) -> Result<Vec<Comparison>, CompareError> {
    let (grouping, groups) = breakdown(codebook, sums, pos, &spec.between)?;
    let mut out = Vec::new();
    for cat in table_categories(codebook, sums, pos) {
        let all = Side::of_domain(total_domain(sums, pos, &cat.slots)?, || Note::NoAnswers);
        let df = all
            .cells
            .first()
            .map_or(f64::NAN, |c| df_of(sums, &c.domain));
        for grp in &groups {
            let d = domain_of(sums, pos, grouping.offset + grp.level, &cat.slots);
            let g = Side::of_domain(d, || Note::NoAnswers);
            let mut row = blank_row(codebook, sums, pos, spec, &cat);
            row.group_a = GroupKey::Total;
            row.group_a_label = spec.total_label.to_string();
            row.group_b = grp.key.clone();
            row.group_b_label = grp.label.clone();
            row.df = df;
            let var = || sums.design.variance(|u| group_minus_total(&g, &all, u));
            fill(sums, &mut row, &all, &g, var, spec.min_base);
            out.push(row);
        }
    }
    Ok(out)
}

/// The scores of z_g − z_total in unit u; the group's rows are inside the total's.
fn group_minus_total(g: &Side, all: &Side, u: usize) -> Scores {
    let (cg, ct) = (&g.cells[0], &all.cells[0]);
    let (mg, mt) = (&cg.domain.units[u], &ct.domain.units[u]);
    let sg = Scores::ratio(mg, cg.estimate, cg.weight);
    let st = Scores::ratio(mt, ct.estimate, ct.weight);
    let cross = nested_cross(mg, cg.estimate, cg.weight, ct.estimate, ct.weight);
    Scores {
        z: sg.z - st.z,
        wz: sg.wz - st.wz,
        zz: sg.zz + st.zz - 2.0 * cross,
    }
}

/// The total minus a group: the rest's moments in every unit.
fn rest_domain(all: &Domain, g: &Domain) -> Domain {
    let units = all
        .units
        .iter()
        .zip(&g.units)
        .map(|(a, b)| {
            let mut m = [0.0; M];
            for k in 0..M {
                m[k] = a[k] - b[k];
            }
            m
        })
        .collect();
    Domain {
        units,
        count: all.count - g.count,
    }
}

pub(super) fn rest(
    codebook: &Codebook,
    sums: &Sums,
    pos: usize,
    spec: &CompareSpec,
) -> Result<Vec<Comparison>, CompareError> {
    let (grouping, groups) = breakdown(codebook, sums, pos, &spec.between)?;
    let mut out = Vec::new();
    for cat in table_categories(codebook, sums, pos) {
        let all = total_domain(sums, pos, &cat.slots)?;
        // svyglm(y ~ I(group == g)) on the valid answers: degf + 1 − 2 coefficients.
        let df = df_of(sums, &all) - 1.0;
        for grp in &groups {
            let d = domain_of(sums, pos, grouping.offset + grp.level, &cat.slots);
            let r = Side::of_domain(rest_domain(&all, &d), || Note::NoAnswers);
            let g = Side::of_domain(d, || Note::NoAnswers);
            let mut row = blank_row(codebook, sums, pos, spec, &cat);
            row.group_a = GroupKey::Rest;
            row.group_a_label = spec.rest_label.to_string();
            row.group_b = grp.key.clone();
            row.group_b_label = grp.label.clone();
            row.df = df;
            let var = || {
                sums.design
                    .variance(|u| g.scores(u).minus_disjoint(r.scores(u)))
            };
            fill(sums, &mut row, &r, &g, var, spec.min_base);
            out.push(row);
        }
    }
    Ok(out)
}
