//! Which comparisons a report makes, and the crossed sums they need.

use super::Presentation;
use crate::codebook::Against;
use crate::codebook::Codebook;
use crate::stats::compare::{CompareSpec, HolmScope};

/// The comparisons a report makes for table `table` (index in the codebook):
/// - the `[compare]` section's variable: as that section says (pairs by default for two groups,
///   each group against the total for more), crude and, if asked, standardised;
/// - every other single-variable breakdown of two groups: the pair (crude);
/// - every other breakdown with more groups, and every crossed one: each group against the
///   total;
/// - with column letters: every breakdown's pairs, Holm within each row.
pub fn comparison_specs(codebook: &Codebook, table: usize, p: &Presentation) -> Vec<CompareSpec> {
    let t = &codebook.tables[table];
    let base = |between: Vec<usize>, against: Against| CompareSpec {
        between,
        standardize: None,
        against,
        scope: HolmScope::Table,
        level: p.level,
        min_base: codebook.min_base_test,
        total_label: p.vocab().total(),
        rest_label: p.vocab().rest(),
    };
    let mut out = Vec::new();
    for vars in &t.by {
        let n_groups: usize = vars
            .iter()
            .map(|&v| codebook.variables[v].groups().map_or(0, |g| g.len()))
            .product();
        match &codebook.compare {
            Some(c) if vars.len() == 1 && vars[0] == c.between => {
                let against = c
                    .against
                    .unwrap_or(if n_groups == 2 || c.standardize.is_some() {
                        Against::Pairs
                    } else {
                        Against::Total
                    });
                out.push(base(vars.clone(), against));
                if let Some(s) = c.standardize {
                    out.push(CompareSpec {
                        standardize: Some(s),
                        ..base(vars.clone(), Against::Pairs)
                    });
                }
            }
            _ if n_groups == 2 && vars.len() == 1 => out.push(base(vars.clone(), Against::Pairs)),
            _ if n_groups > 1 => out.push(base(vars.clone(), Against::Total)),
            _ => {}
        }
        if t.letters || p.letters {
            out.push(CompareSpec {
                scope: HolmScope::Row,
                ..base(vars.clone(), Against::Pairs)
            });
        }
    }
    out
}

/// The crossed groupings a full report needs (for standardisation).
pub fn report_crossings(codebook: &Codebook) -> Vec<Vec<usize>> {
    match &codebook.compare {
        Some(c) => match c.standardize {
            Some(s) => vec![vec![c.between, s]],
            None => Vec::new(),
        },
        None => Vec::new(),
    }
}
