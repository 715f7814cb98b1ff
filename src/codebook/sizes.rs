//! How much a codebook may ask of a run, checked when it is read (exit code 2, naming the
//! variable or table and the key), so that no codebook makes a run abort for memory or run for
//! days. The limits are far above what a survey's tables need and far below what the machine
//! can bear:
//!
//! - [`MAX_CATEGORIES`] codes (bins, items) per variable: a district code list (buurt, 700
//!   codes) or a recode of a register's codes fits; lookups are hashed, so reading stays linear.
//! - [`MAX_CROSSED_GROUPS`] possible joint groups per crossed breakdown (the product of its
//!   variables' categories): wijk × leeftijdsgroep × geslacht × taal is 300; a table of 10,000
//!   groups is already beyond reading. Only the joint groups with respondents are kept and
//!   written, so the cost follows the data, not this bound.
//! - [`MAX_TABLE_FIGURES`] figures per table: its categories times its groups (the whole
//!   sample, every breakdown's groups, every crossing's possible groups). The sums keep these per
//!   stratum (per PSU with clusters), so this bounds the memory of a pass.

use super::error::{CbResult, CodebookError};
use super::{Codebook, Variable, VariableKind};
use crate::text::escape::terminal;

/// The most codes (bins, items, recode entries) one variable may have.
pub const MAX_CATEGORIES: usize = 100_000;

/// The most possible joint groups of one crossed breakdown (or of a standardising crossing).
pub const MAX_CROSSED_GROUPS: usize = 10_000;

/// The most figures (categories × groups) one table may have.
pub const MAX_TABLE_FIGURES: usize = 1_000_000;

pub(super) fn check_sizes(cb: &Codebook) -> CbResult<()> {
    for v in &cb.variables {
        let key = match &v.kind {
            VariableKind::Categorical { .. } | VariableKind::Recode { .. } => "values",
            VariableKind::Bins { .. } => "bins",
            VariableKind::Multi { .. } => "items",
            VariableKind::Numeric { .. } | VariableKind::Scale(_) => continue,
        };
        let n = v.category_count();
        if n > MAX_CATEGORIES {
            return Err(CodebookError::invalid(
                format!("variable '{}'", terminal(&v.name)),
                format!(
                    "key '{key}' has {} entries; at most {}: merge codes with a recode, or leave \
                     the variable out",
                    crate::text::count(n),
                    crate::text::count(MAX_CATEGORIES)
                ),
            ));
        }
    }
    for t in &cb.tables {
        let context = format!("table '{}'", terminal(&t.name));
        for vars in t.by.iter().filter(|v| v.len() > 1) {
            check_crossing(&cb.variables, vars, &context, "by")?;
        }
        let slots = cb.variables[t.rows].category_count().max(1);
        let groups: usize = 1 + t
            .by
            .iter()
            .map(|vars| possible_groups(&cb.variables, vars))
            .fold(0usize, usize::saturating_add);
        let figures = slots.saturating_mul(groups);
        if figures > MAX_TABLE_FIGURES {
            return Err(CodebookError::invalid(
                context,
                format!(
                    "its {} categories by {} groups make {} figures; at most {}: break it down by \
                     fewer or coarser variables, or merge categories with a recode",
                    crate::text::count(slots),
                    crate::text::count(groups),
                    crate::text::count(figures),
                    crate::text::count(MAX_TABLE_FIGURES)
                ),
            ));
        }
    }
    if let Some(c) = &cb.compare {
        if let Some(s) = c.standardize {
            check_crossing(&cb.variables, &[c.between, s], "[compare]", "standardize")?;
        }
    }
    Ok(())
}

/// The product of the variables' group counts (saturating).
pub fn possible_groups(variables: &[Variable], vars: &[usize]) -> usize {
    vars.iter()
        .map(|&v| variables[v].group_count())
        .fold(1usize, usize::saturating_mul)
}

/// A crossing of `vars` must have at most [`MAX_CROSSED_GROUPS`] possible joint groups.
pub fn check_crossing(
    variables: &[Variable],
    vars: &[usize],
    context: &str,
    key: &str,
) -> CbResult<()> {
    let n = possible_groups(variables, vars);
    if n <= MAX_CROSSED_GROUPS {
        return Ok(());
    }
    let names: Vec<String> = vars
        .iter()
        .map(|&v| terminal(&variables[v].name).into_owned())
        .collect();
    let sizes: Vec<String> = vars
        .iter()
        .map(|&v| variables[v].group_count().to_string())
        .collect();
    Err(CodebookError::invalid(
        context,
        format!(
            "key '{key}': the crossing {} has {} = {} possible groups; at most {}: cross fewer \
             variables, or merge categories with a recode",
            names.join(" × "),
            sizes.join(" × "),
            crate::text::count(n),
            crate::text::count(MAX_CROSSED_GROUPS)
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::super::Codebook;

    fn categorical(name: &str, k: usize) -> String {
        let values: Vec<String> = (0..k).map(|i| format!("{{ code = \"{i}\" }}")).collect();
        format!(
            "[[variables]]\nname = \"{name}\"\ntype = \"categorical\"\nvalues = [{}]\n",
            values.join(", ")
        )
    }

    #[test]
    fn a_crossing_beyond_the_limit_is_refused_naming_the_table_and_key() {
        let text = format!(
            "{}{}{}{}[[tables]]\nname = \"t\"\nrows = \"y\"\nby = [[\"a\", \"b\", \"c\"]]\n",
            categorical("a", 200),
            categorical("b", 200),
            categorical("c", 50),
            categorical("y", 5)
        );
        let e = Codebook::parse(&text).unwrap_err().to_string();
        assert!(
            e.contains("table 't'") && e.contains("key 'by'") && e.contains("200 × 200 × 50"),
            "{e}"
        );
    }

    #[test]
    fn a_table_of_too_many_figures_is_refused() {
        let text = format!(
            "{}{}[[tables]]\nname = \"t\"\nrows = \"y\"\nby = [\"a\"]\n",
            categorical("a", 20_000),
            categorical("y", 60)
        );
        let e = Codebook::parse(&text).unwrap_err().to_string();
        assert!(e.contains("table 't'") && e.contains("figures"), "{e}");
    }
}
