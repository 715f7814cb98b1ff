//! The problems of one row as a user reads them: the value, and what was expected instead.

use super::super::plan::{Plan, VarPlan};
use super::Fields;
use super::MISSING_ITEM;
use crate::input::error::RowProblem;
use crate::text::number::trim;

/// One item of a select-all set: 1 selected, 0 not, [`MISSING_ITEM`] empty or a missing code.
pub(super) fn multi_item(
    vp: &VarPlan,
    var: usize,
    raw: &[u8],
    line: u64,
    plan: &Plan,
    c: usize,
    problems: &mut Vec<RowProblem>,
) -> u8 {
    let VarPlan::Multi {
        selected,
        unselected,
        missing,
        ..
    } = vp
    else {
        return MISSING_ITEM;
    };
    if raw == selected.as_slice() {
        1
    } else if raw == unselected.as_slice() {
        0
    } else if raw.is_empty() || missing.contains(raw) {
        MISSING_ITEM
    } else {
        let missing = if missing.is_empty() {
            String::new()
        } else {
            format!(" or a missing code {}", code_list(missing.as_slice(), &[]))
        };
        let (sel, value, name) = (
            String::from_utf8_lossy(selected),
            String::from_utf8_lossy(raw),
            &plan.names[var],
        );
        let expected = if unselected.is_empty() {
            format!(
                "{sel} (selected) or an empty cell (not selected: variable '{name}' has unselected = \"\"){missing}; if \"{value}\" means not selected, set unselected = \"{value}\" in variable '{name}'"
            )
        } else {
            format!(
                "{sel} (selected), {} (not selected) or an empty cell (not answered){missing}; if \"{value}\" means not answered, add it to missing of variable '{name}'",
                String::from_utf8_lossy(unselected)
            )
        };
        problems.push(problem(line, plan, c, raw, &expected));
        MISSING_ITEM
    }
}

/// A number a recode does not list: the field as the file writes it (`8,5`, not 8.5).
pub(super) fn unlisted<R: Fields + ?Sized>(
    record: &R,
    line: u64,
    plan: &Plan,
    from: usize,
    recode: usize,
) -> RowProblem {
    let (column, value) = match &plan.vars[from] {
        VarPlan::Numeric { col, .. } => (
            plan.header[*col].clone(),
            String::from_utf8_lossy(trim(record.field(*col))).into_owned(),
        ),
        _ => (String::new(), String::new()),
    };
    RowProblem {
        line,
        column: Some(column),
        value: Some(value),
        expected: format!(
            "a value that recode '{}' lists (or a missing code)",
            plan.names[recode]
        ),
    }
}

pub(super) fn problem(
    line: u64,
    plan: &Plan,
    col: usize,
    raw: &[u8],
    expected: &str,
) -> RowProblem {
    RowProblem {
        line,
        column: Some(plan.header[col].clone()),
        value: Some(String::from_utf8_lossy(raw).into_owned()),
        expected: format!("expected {expected}"),
    }
}

pub(super) fn code_list(codes: &[Vec<u8>], missing: &[Vec<u8>]) -> String {
    let mut parts: Vec<String> = codes
        .iter()
        .take(12)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    if codes.len() > 12 {
        parts.push("...".into());
    }
    let mut s = parts.join(", ");
    if !missing.is_empty() {
        let m: Vec<String> = missing
            .iter()
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect();
        s.push_str(&format!(" (missing: {})", m.join(", ")));
    }
    s
}

pub(super) fn fmt_num(x: f64) -> String {
    if x.is_infinite() {
        if x > 0.0 {
            "∞".into()
        } else {
            "-∞".into()
        }
    } else {
        x.to_string()
    }
}
