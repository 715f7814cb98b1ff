//! Which comparisons a report makes, and the crossed sums they need.

use crate::codebook::Codebook;
use crate::stats::CompareSpec;

/// The comparisons a report makes for table `table` (index in the codebook): the codebook's
/// `[compare]` section for tables that break down by its variable; without it, every `by`
/// variable with exactly two groups (crude).
pub fn comparison_specs(codebook: &Codebook, table: usize, level: f64) -> Vec<CompareSpec> {
    let t = &codebook.tables[table];
    match &codebook.compare {
        Some(c) if t.breaks_down_by(c.between) => {
            let mut v = vec![CompareSpec {
                between: c.between,
                standardize: None,
                level,
            }];
            if let Some(s) = c.standardize {
                v.push(CompareSpec {
                    between: c.between,
                    standardize: Some(s),
                    level,
                });
            }
            v
        }
        Some(_) => Vec::new(),
        None => t
            .single_by()
            .filter(|&b| codebook.variables[b].groups().is_some_and(|g| g.len() == 2))
            .map(|b| CompareSpec {
                between: b,
                standardize: None,
                level,
            })
            .collect(),
    }
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
