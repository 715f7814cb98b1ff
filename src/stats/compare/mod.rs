//! Differences between groups, with linearised standard errors and t tests, as R `survey`
//! computes them:
//! - pairs of groups, crude or directly standardised (`svyglm(y ~ group, design)`, after
//!   `svystandardize` for the standardised comparison), t on svyglm's residual df;
//! - each group against the total it belongs to (`svymean(~I(y*g) + g + y)` and
//!   `svycontrast(a/b − c)`), t on the df of the item's valid domain;
//! - each group against the rest (`svyglm(y ~ I(group == g))`).
//!
//! Holm's adjustment runs over a whole table or over each row of a breakdown (the pairs behind
//! column letters). No test is made where the base cannot carry one (see [`testing`]).

mod against;
pub mod benchmark;
mod pairs;
pub mod testing;

use super::accumulate::{Grouping, Sums, N, NY, W, WY};
use super::design::Scores;
use super::estimate::{breakdown_groups, breakdown_of, BreakdownGroup, Domain, TableCategory};
use super::note::Note;
use crate::codebook::{Against, Codebook};
use crate::keys::{Breakdown, GroupKey, Statistic};
use serde::Serialize;

/// The comparisons one Holm adjustment runs over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HolmScope {
    /// Every comparison of the table (one comparison setting).
    #[default]
    Table,
    /// The pairs of one category of one breakdown (what column letters are read from).
    Row,
}

/// What to compare.
#[derive(Debug, Clone)]
pub struct CompareSpec {
    /// The breakdown's variables (one, or several crossed).
    pub between: Vec<usize>,
    /// Standardise over this variable's distribution (pairs of a single `between` variable).
    pub standardize: Option<usize>,
    pub against: Against,
    pub scope: HolmScope,
    pub level: f64,
    /// No test when either side has fewer respondents (`min_base_test`).
    pub min_base: u64,
    /// The label of the whole sample (in the report's language).
    pub total_label: &'static str,
    /// The label of "everyone else" (in the report's language).
    pub rest_label: &'static str,
}

impl CompareSpec {
    /// Crude pairs of one variable's groups, Holm over the table.
    pub fn pairs(between: usize, level: f64) -> CompareSpec {
        CompareSpec {
            between: vec![between],
            standardize: None,
            against: Against::Pairs,
            scope: HolmScope::Table,
            level,
            min_base: crate::codebook::DEFAULT_MIN_BASE,
            total_label: "Totaal",
            rest_label: "Overig",
        }
    }
}

/// A comparison that cannot be made as asked.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CompareError {
    #[error("--between {name}: a {kind} variable has no groups")]
    NoGroups { name: String, kind: &'static str },
    #[error(
        "--standardize {standardize}: no respondents with a known {between} and {standardize}"
    )]
    EmptyStandard {
        between: String,
        standardize: String,
    },
    #[error("--standardize works with pairs of one variable's groups, not with --against {0}")]
    StandardizeAgainst(&'static str),
    /// The pass did not keep the sums this comparison needs (a bug in the caller).
    #[error("internal: the {0} was not accumulated")]
    NotAccumulated(&'static str),
}

/// One difference between two groups (or a group and the total or rest) for one category.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub table: String,
    pub variable: String,
    pub category: String,
    pub category_label: String,
    pub between: Breakdown,
    /// The standardising variable's name; none for the crude comparison (written empty).
    #[serde(serialize_with = "empty_when_none")]
    pub standardized: Option<String>,
    /// The first group: a group, `(all)` (against the total) or `(rest)`.
    pub group_a: GroupKey,
    pub group_a_label: String,
    pub group_b: GroupKey,
    pub group_b_label: String,
    pub n_a: u64,
    pub n_b: u64,
    pub estimate_a: f64,
    pub estimate_b: f64,
    /// estimate_b − estimate_a.
    pub difference: f64,
    pub se: f64,
    pub df: f64,
    pub ci_lower: f64,
    pub ci_upper: f64,
    pub t: f64,
    pub p_value: f64,
    /// Holm-adjusted over the comparisons of `holm_scope`.
    pub p_holm: f64,
    pub holm_scope: HolmScope,
    /// Whether `p_holm` is below 1 − level; none when no test was made (see `note`).
    pub significant: Option<bool>,
    pub level: f64,
    /// Why numbers or the test are missing.
    #[serde(serialize_with = "super::note::serialize")]
    pub note: Option<Note>,
    /// Proportions or means (not a column: the category says it).
    #[serde(skip)]
    pub statistic: Statistic,
}

fn empty_when_none<S: serde::Serializer>(v: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(v.as_deref().unwrap_or(""))
}

/// Column names of [`Comparison`] (for an empty CSV).
pub const COMPARISON_COLUMNS: [&str; 26] = [
    "table",
    "variable",
    "category",
    "category_label",
    "between",
    "standardized",
    "group_a",
    "group_a_label",
    "group_b",
    "group_b_label",
    "n_a",
    "n_b",
    "estimate_a",
    "estimate_b",
    "difference",
    "se",
    "df",
    "ci_lower",
    "ci_upper",
    "t",
    "p_value",
    "p_holm",
    "holm_scope",
    "significant",
    "level",
    "note",
];

/// One side of a comparison: its estimator's scores per unit, estimate, base and answers.
pub(crate) struct Side {
    /// The domains (with their standardising shares) the estimator combines.
    cells: Vec<Cell>,
    pub estimate: f64,
    /// Respondents in the side's base.
    pub n: f64,
    /// Respondents who gave the answer (proportions).
    pub count: f64,
    /// Why the side has no estimate.
    pub problem: Option<Note>,
    /// For a standardised side of a calibrated design: the table's position and the crossing
    /// whose population sums hold each cell's rows without an answer (see `pairs.rs`).
    standardised: Option<(usize, usize)>,
}

/// One domain of a side: its moments, standardising share, estimate and total weight.
struct Cell {
    domain: Domain,
    share: f64,
    estimate: f64,
    weight: f64,
    /// The residual of each of the cell's zero-weight rows (standardised comparisons: R's
    /// post-stratification gives such a row −(cell mean), not 0; see pairs.rs).
    zero_row: f64,
    /// The cell's joint group in the standardising crossing (standardised sides).
    pop_group: usize,
}

impl Side {
    /// A side with no cells yet.
    fn empty() -> Side {
        Side {
            cells: Vec::new(),
            estimate: 0.0,
            n: 0.0,
            count: 0.0,
            problem: None,
            standardised: None,
        }
    }

    /// A side of one domain (a group, the total, the rest). `empty` says why a side without
    /// respondents has no estimate; a side whose respondents all weigh 0 says so itself.
    fn of_domain(domain: Domain, empty: impl FnOnce() -> Note) -> Side {
        let weight = domain.total(W);
        let n = domain.total(N);
        let count = domain.total(NY);
        if !(weight > 0.0) {
            let problem = if n > 0.0 {
                Note::ZeroWeights { n: n as u64 }
            } else {
                empty()
            };
            return Side {
                cells: Vec::new(),
                estimate: f64::NAN,
                n,
                count,
                problem: Some(problem),
                standardised: None,
            };
        }
        let estimate = domain.total(WY) / weight;
        Side {
            cells: vec![Cell {
                domain,
                share: 1.0,
                estimate,
                weight,
                zero_row: 0.0,
                pop_group: 0,
            }],
            estimate,
            n,
            count,
            problem: None,
            standardised: None,
        }
    }

    /// The side's scores in unit u (its cells are disjoint domains).
    fn scores(&self, u: usize) -> Scores {
        self.cells.iter().fold(Scores::default(), |acc, c| {
            let m = &c.domain.units[u];
            let mut sc = Scores::ratio(m, c.estimate, c.weight).scale(c.share);
            if c.zero_row != 0.0 {
                let zeros = m[N] - m[crate::stats::accumulate::N_NZ];
                sc.z += zeros * c.zero_row;
                sc.zz += zeros * c.zero_row * c.zero_row;
            }
            acc.plus_disjoint(sc)
        })
    }

    /// The domain of a side of one domain (a group, the total, the rest).
    fn domain(&self) -> Option<&Domain> {
        self.cells.first().map(|c| &c.domain)
    }

    /// The side's own linearised standard error.
    fn se(&self, sums: &Sums) -> f64 {
        let var = match self.standardised {
            Some(_) => pairs::standardised_variance(sums, &[(self, 1.0)]),
            None => sums.design.variance(|u| self.scores(u)),
        };
        var.max(0.0).sqrt()
    }
}

/// The comparisons of table `pos` (position in the layout) that `spec` asks for, Holm-adjusted.
pub fn compare_table(
    codebook: &Codebook,
    sums: &Sums,
    pos: usize,
    spec: &CompareSpec,
) -> Result<Vec<Comparison>, CompareError> {
    for &b in &spec.between {
        let v = &codebook.variables[b];
        if v.groups().is_none() {
            return Err(CompareError::NoGroups {
                name: v.name.clone(),
                kind: v.type_name(),
            });
        }
    }
    let mut rows = match (spec.against, spec.standardize) {
        (Against::Total, None) => against::total(codebook, sums, pos, spec)?,
        (Against::Rest, None) => against::rest(codebook, sums, pos, spec)?,
        (Against::Pairs, _) => pairs::pairs(codebook, sums, pos, spec)?,
        (Against::Total, Some(_)) => return Err(CompareError::StandardizeAgainst("total")),
        (Against::Rest, Some(_)) => return Err(CompareError::StandardizeAgainst("rest")),
    };
    testing::holm(&mut rows, 1.0 - spec.level, spec.scope);
    Ok(rows)
}

/// The grouping of the breakdown over `vars` and its groups.
fn breakdown<'a>(
    codebook: &Codebook,
    sums: &'a Sums,
    pos: usize,
    vars: &[usize],
) -> Result<(&'a Grouping, Vec<BreakdownGroup>), CompareError> {
    let g = sums
        .layout
        .grouping(pos, vars)
        .ok_or(CompareError::NotAccumulated("between grouping"))?;
    Ok((g, breakdown_groups(codebook, g)))
}

/// A comparison row with the table's names filled in and every number still empty.
fn blank_row(
    codebook: &Codebook,
    sums: &Sums,
    pos: usize,
    spec: &CompareSpec,
    cat: &TableCategory,
) -> Comparison {
    let tl = &sums.layout.tables[pos];
    let var = &codebook.variables[tl.rows_var];
    Comparison {
        table: codebook.tables[tl.table].name.clone(),
        variable: var.name.clone(),
        category: cat.key.clone(),
        category_label: cat.label.clone(),
        between: breakdown_of(codebook, &spec.between),
        standardized: spec.standardize.map(|s| codebook.variables[s].name.clone()),
        group_a: GroupKey::Total,
        group_a_label: String::new(),
        group_b: GroupKey::Total,
        group_b_label: String::new(),
        n_a: 0,
        n_b: 0,
        estimate_a: f64::NAN,
        estimate_b: f64::NAN,
        difference: f64::NAN,
        se: f64::NAN,
        df: f64::NAN,
        ci_lower: f64::NAN,
        ci_upper: f64::NAN,
        t: f64::NAN,
        p_value: f64::NAN,
        p_holm: f64::NAN,
        holm_scope: spec.scope,
        significant: None,
        level: spec.level,
        note: None,
        statistic: tl.statistic(),
    }
}
