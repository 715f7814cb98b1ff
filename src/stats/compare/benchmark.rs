//! Each estimate against an external benchmark (the national average): for the whole sample and
//! every group of every breakdown, difference = estimate − value, its standard error
//! √(SE² + SE_benchmark²) (the benchmark as an independent sample; its SE is 0 when not given),
//! t on the df of the estimate's domain, two-sided p; Holm over the table's benchmark tests.
//! Without a benchmark SE this is R's `summary(svyglm(I(y − value) ~ 1, subset))`. No test
//! where the base is below `min_base_test`, the answer is suppressed or the estimate's own SE
//! is 0 (see [`super::testing`]).

use super::testing::{holm, t_p_value};
use super::{blank_row, HolmScope, Side};
use crate::codebook::{Benchmark, Codebook};
use crate::keys::{GroupKey, Statistic};
use crate::stats::accumulate::{Sums, N_NZ};
use crate::stats::estimate::{breakdown_groups, breakdown_of, domain_of, table_categories};
use crate::stats::note::Note;
use crate::stats::quantiles::qt;
use crate::stats::Comparison;

/// What a benchmark test needs besides the sums.
#[derive(Debug, Clone, Copy)]
pub struct BenchmarkSpec {
    pub level: f64,
    pub min_base: u64,
    /// The labels of the whole sample and of the benchmark (in the report's language).
    pub total_label: &'static str,
    pub benchmark_label: &'static str,
}

/// The tests of table `pos` (position in the layout) against the codebook's benchmarks of its
/// rows variable, Holm-adjusted over them.
pub fn benchmark_table(
    codebook: &Codebook,
    sums: &Sums,
    pos: usize,
    spec: &BenchmarkSpec,
) -> Vec<Comparison> {
    let tl = &sums.layout.tables[pos];
    let table = &codebook.tables[tl.table];
    let categories = table_categories(codebook, sums, pos);
    let mut out = Vec::new();
    let mine = codebook
        .benchmarks
        .iter()
        .filter(|b| b.table == tl.table && b.variable == tl.rows_var);
    for b in mine {
        // A category the table estimates (the codebook checked it), or one of its NETs.
        let Some(cat) = categories.iter().find(|c| c.key == b.category) else {
            continue;
        };
        for vars in table.breakdowns() {
            let Some(g) = sums.layout.grouping(pos, &vars) else {
                continue;
            };
            for grp in breakdown_groups(codebook, g) {
                let d = domain_of(sums, pos, g.offset + grp.level, &cat.slots);
                let side = Side::of_domain(d, || Note::NoAnswers);
                let mut row = blank_row(codebook, sums, pos, &spec_level(spec), cat);
                row.between = breakdown_of(codebook, &vars);
                row.group_a = GroupKey::Benchmark;
                row.group_a_label = spec.benchmark_label.to_string();
                row.group_b = grp.key.clone();
                row.group_b_label = if grp.key.is_total() {
                    spec.total_label.to_string()
                } else {
                    grp.label.clone()
                };
                fill(sums, &mut row, b, &side, spec.min_base);
                out.push(row);
            }
        }
    }
    holm(&mut out, 1.0 - spec.level, HolmScope::Table);
    out
}

/// The level and base of a benchmark test in the shape `blank_row` takes.
fn spec_level(spec: &BenchmarkSpec) -> super::CompareSpec {
    super::CompareSpec {
        between: Vec::new(),
        standardize: None,
        against: crate::codebook::Against::Total,
        scope: HolmScope::Table,
        level: spec.level,
        min_base: spec.min_base,
        total_label: spec.total_label,
        rest_label: spec.total_label,
    }
}

/// Fill in one test of side `s` against benchmark `b`.
fn fill(sums: &Sums, row: &mut Comparison, b: &Benchmark, s: &Side, min_base: u64) {
    row.n_b = s.n as u64;
    row.estimate_a = b.value;
    if let Some(p) = &s.problem {
        row.note = Some(p.clone());
        return;
    }
    row.estimate_b = s.estimate;
    row.difference = s.estimate - b.value;
    let own = s.se(sums);
    row.se = (own * own + b.se * b.se).sqrt();
    row.df = sums
        .design
        .domain_df(|u| s.domain().map_or(0.0, |d| d.units[u][N_NZ]));
    let suppressed = row.statistic == Statistic::Proportion && s.count > 0.0 && s.count < 5.0;
    let why = if !(row.df >= 1.0) {
        Some(Note::NoTestDf { df: row.df })
    } else if (s.n as u64) < min_base {
        Some(Note::BelowMinBase {
            min: min_base,
            n: s.n as u64,
        })
    } else if suppressed {
        Some(Note::SuppressedSide)
    } else if own == 0.0 {
        Some(Note::ZeroSideSe {
            group: row.group_b_label.clone(),
        })
    } else {
        None
    };
    if let Some(why) = why {
        row.note = Some(why);
        return;
    }
    let tq = qt(1.0 - (1.0 - row.level) / 2.0, row.df);
    row.ci_lower = row.difference - tq * row.se;
    row.ci_upper = row.difference + tq * row.se;
    row.t = row.difference / row.se;
    row.p_value = t_p_value(row.t, row.df);
}
