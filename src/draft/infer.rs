//! From column profiles to a draft: which columns are questions (and of what kind), which are
//! the design weight, and which are left out (identifiers, dates, free text). The same inference
//! serves every format that gives rows of text cells.

use super::missing::{code_text, proposed_missing};
use super::names::{
    is_age_name, is_area_name, is_grouping_name, is_id_name, is_weight_name, NameSet,
};
use super::profile::{ColumnProfile, TableProfile, MAX_CODES};
use super::{Draft, DraftKind, DraftVariable};
use crate::input::header::column_names;
use std::collections::BTreeMap;

/// Integer columns with at most this many distinct values are codes (or a rating).
const MAX_NUMERIC_CODES: usize = 12;

/// A running number needs this many values before it is told from a short list of codes.
const MIN_RUNNING: u64 = 10;

/// Group choices with at most this many codes are proposed as table breakdowns.
const MAX_GROUPS: usize = 6;

/// What a column turned out to be.
enum Role {
    Skip(String),
    Weight(String),
    /// An age: a numeric variable and, for the first one, suggested age groups.
    Age(DraftVariable),
    /// Area codes: a categorical variable proposed as a breakdown.
    Area(DraftVariable),
    Variable(DraftVariable),
}

/// Fill `draft` from the raw header cells and the profile of every column, with numbers read
/// with `decimal` as their decimal mark.
pub fn infer(raw_header: &[String], profile: &TableProfile, decimal: u8, draft: &mut Draft) {
    // Blank and repeated header cells get the names the readers give them.
    let (names, notes) = column_names(raw_header);
    draft
        .notes
        .extend(notes.into_iter().map(|n| format!("{n} (check)")));
    let mut used = NameSet::new(&names);
    let mut sets = select_all_sets(&names, profile, &mut used);
    let in_set: Vec<bool> = (0..names.len())
        .map(|i| sets.values().any(|s| s.columns.contains(&i)))
        .collect();
    // A profile wider than the header has cells without a column name: those are ignored.
    for (i, col) in profile.columns.iter().enumerate().take(names.len()) {
        if let Some(set) = sets.remove(&i) {
            draft.variables.push(set.variable);
        }
        if in_set[i] {
            continue;
        }
        let name = &names[i];
        let renamed = (raw_header[i].trim() != name.as_str())
            .then(|| format!("'{name}' is a name given by position (check)"));
        let role = classify(name, col, profile.rows, decimal, draft.weight.is_none());
        match role {
            Role::Skip(why) => {
                let why = match renamed {
                    Some(r) => format!("{why}; {r}"),
                    None => why,
                };
                draft.skipped.push((name.clone(), why));
            }
            Role::Weight(why) => draft.weight = Some((name.clone(), why)),
            Role::Age(v) => {
                let first_age = !draft
                    .variables
                    .iter()
                    .any(|o| matches!(o.kind, DraftKind::AgeBins { .. }));
                draft.variables.push(with_note(v, renamed));
                if first_age {
                    let group = used.claim(&format!("{name}sgroep"));
                    draft.variables.push(DraftVariable {
                        name: group.clone(),
                        label: "Leeftijdsgroep".into(),
                        kind: DraftKind::AgeBins { from: name.clone() },
                        comment: Some("suggested age groups: edit the bins as needed".into()),
                    });
                    draft.by.insert(0, group);
                }
            }
            Role::Area(v) => {
                draft.by.push(name.clone());
                draft.variables.push(with_note(v, renamed));
            }
            Role::Variable(v) => {
                let groups = match &v.kind {
                    DraftKind::Categorical { values, .. } => values.len(),
                    _ => usize::MAX,
                };
                if is_grouping_name(name) && groups <= MAX_GROUPS {
                    draft.by.push(name.clone());
                }
                draft.variables.push(with_note(v, renamed));
            }
        }
    }
}

fn with_note(mut v: DraftVariable, note: Option<String>) -> DraftVariable {
    if let Some(note) = note {
        v.comment = Some(match v.comment {
            Some(c) => format!("{note}\n{c}"),
            None => note,
        });
    }
    v
}

/// Decide what one column is. `want_weight` is false once a weight was found.
fn classify(name: &str, col: &ColumnProfile, rows: u64, decimal: u8, want_weight: bool) -> Role {
    if col.non_empty == 0 {
        return Role::Skip("always empty".into());
    }
    let numeric = col.numeric(decimal);
    if numeric && col.integer && col.increasing && col.non_empty >= MIN_RUNNING {
        return Role::Skip("a running number (an identifier), not a question".into());
    }
    if is_id_name(name) {
        return Role::Skip("an identifier (by its name), not a question (check)".into());
    }
    if col.all_dates() {
        let example = col.example.clone().unwrap_or_default();
        return Role::Skip(format!("dates (such as {example}), not a question"));
    }
    if let Some(area) = area(name, col, decimal) {
        return Role::Area(area);
    }
    let mut notes = Vec::new();
    if want_weight && is_weight_name(name) {
        match weight_problem(col, rows, decimal) {
            None => return Role::Weight("detected by its name (check)".into()),
            Some(problem) => notes.push(format!(
                "named like a weight, but {problem}: not used as the weight (check)"
            )),
        }
    }
    let missing = if numeric {
        proposed_missing(&col.top, &col.bottom)
    } else {
        Vec::new()
    };
    if !missing.is_empty() {
        notes.push(missing_note(col, &missing));
    }
    let many_values = col.code_count().is_none_or(|n| n > MAX_NUMERIC_CODES);
    let numeric_kind = || DraftKind::Numeric {
        missing: missing.iter().map(|&x| code_text(x)).collect(),
    };
    if numeric && is_age_name(name) && many_values {
        notes.insert(0, "an age (by its name)".into());
        return Role::Age(drafted(name, numeric_kind(), notes));
    }
    if numeric && col.integer && !many_values {
        return Role::Variable(integer_codes(name, col, &missing, notes));
    }
    if numeric {
        notes.insert(0, "numbers with many values: a mean".into());
        return Role::Variable(drafted(name, numeric_kind(), notes));
    }
    if !col.overflow {
        let values = col.codes.keys().map(|c| (c.clone(), c.clone())).collect();
        let kind = DraftKind::Categorical {
            values,
            missing: Vec::new(),
        };
        return Role::Variable(drafted(name, kind, notes));
    }
    Role::Skip(format!(
        "text with more than {MAX_CODES} distinct values (free text), not a question"
    ))
}

/// Integer codes with gaps between them (101, 102, 201, ...): more than a rating has, fewer
/// respondents each than a tenth of the column, spread over at least three times as many numbers
/// as there are codes. An age or a count of something fills its range instead.
fn sparse_codes(col: &ColumnProfile) -> bool {
    let (Some(n), Some(&hi), Some(&lo)) = (col.code_count(), col.top.first(), col.bottom.first())
    else {
        return false;
    };
    let most = col.codes.values().copied().max().unwrap_or(0);
    n > MAX_NUMERIC_CODES && most * 10 <= col.non_empty && hi - lo + 1.0 >= 3.0 * n as f64
}

/// A column of area codes, by its name or by the look of its codes: categorical, every code in
/// order (numbers by value), proposed as a breakdown.
fn area(name: &str, col: &ColumnProfile, decimal: u8) -> Option<DraftVariable> {
    let numeric = col.numeric(decimal) && col.integer;
    let by_name = is_area_name(name) && !col.overflow && !col.codes.is_empty();
    if !(by_name || numeric && !is_age_name(name) && sparse_codes(col)) {
        return None;
    }
    let missing = if numeric {
        proposed_missing(&col.top, &col.bottom)
    } else {
        Vec::new()
    };
    let mut codes: Vec<(f64, String)> = col
        .codes
        .keys()
        .map(|c| (c.parse::<f64>().unwrap_or(f64::NAN), c.clone()))
        .collect();
    if numeric {
        codes.sort_by(|a, b| a.0.total_cmp(&b.0));
    }
    let (missing_codes, values): (Vec<_>, Vec<_>) =
        codes.into_iter().partition(|(x, _)| missing.contains(x));
    let mut notes = vec![if by_name {
        format!(
            "area codes (by the name): {} groups, proposed as a breakdown",
            values.len()
        )
    } else {
        format!(
            "{} integer codes with gaps between them and few respondents each: area codes? proposed as a breakdown (check)",
            values.len()
        )
    }];
    if !missing.is_empty() {
        notes.push(missing_note(col, &missing));
    }
    let kind = DraftKind::Categorical {
        values: values.into_iter().map(|(_, c)| (c.clone(), c)).collect(),
        missing: missing_codes.into_iter().map(|(_, c)| c).collect(),
    };
    Some(drafted(name, kind, notes))
}

/// Why a column named like a weight cannot be the design weight, which must be a number ≥ 0
/// on every row.
fn weight_problem(col: &ColumnProfile, rows: u64, decimal: u8) -> Option<String> {
    if !col.numeric(decimal) {
        Some("not every value is a number".into())
    } else if col.non_empty < rows {
        Some(format!("{} rows have no value", rows - col.non_empty))
    } else if col.bottom.first().is_some_and(|&x| x < 0.0) {
        Some("it has negative values".into())
    } else {
        None
    }
}

fn missing_note(col: &ColumnProfile, missing: &[f64]) -> String {
    let shown: Vec<String> = missing.iter().map(|&x| code_text(x)).collect();
    let rest: Vec<f64> = col
        .top
        .iter()
        .chain(&col.bottom)
        .copied()
        .filter(|x| !missing.contains(x))
        .collect();
    let lo = rest.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = rest.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    format!(
        "{} stand{} apart from the other values ({} to {}): proposed as missing, e.g. 'weet niet' (check)",
        shown.join(", "),
        if shown.len() == 1 { "s" } else { "" },
        code_text(lo),
        code_text(hi)
    )
}

/// A few integer codes: a rating (a mean) when there are seven or more from 0 to 10, else a
/// single choice. Proposed missing codes are kept out of the values.
fn integer_codes(
    name: &str,
    col: &ColumnProfile,
    missing: &[f64],
    mut notes: Vec<String>,
) -> DraftVariable {
    let mut codes: Vec<(f64, String)> = col
        .codes
        .keys()
        .map(|c| (c.parse::<f64>().unwrap_or(f64::NAN), c.clone()))
        .collect();
    codes.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (missing_codes, values): (Vec<_>, Vec<_>) =
        codes.into_iter().partition(|(x, _)| missing.contains(x));
    let (first, last) = match (values.first(), values.last()) {
        (Some(f), Some(l)) => (f.0, l.0),
        _ => (0.0, 0.0),
    };
    let rating = values.len() >= 7 && first >= 0.0 && last <= 10.0;
    let kind = if rating {
        notes.insert(0, format!(
            "{} values from {} to {}: treated as a rating (mean); make it categorical if these are codes (check)",
            values.len(), code_text(first), code_text(last)
        ));
        DraftKind::Numeric {
            missing: missing.iter().map(|&x| code_text(x)).collect(),
        }
    } else {
        // A categorical missing code must be the file's text exactly.
        DraftKind::Categorical {
            values: values.into_iter().map(|(_, c)| (c.clone(), c)).collect(),
            missing: missing_codes.into_iter().map(|(_, c)| c).collect(),
        }
    };
    drafted(name, kind, notes)
}

/// A variable named and labelled after its column, its notes joined into the comment.
fn drafted(name: &str, kind: DraftKind, notes: Vec<String>) -> DraftVariable {
    DraftVariable {
        name: name.to_string(),
        label: name.to_string(),
        kind,
        comment: (!notes.is_empty()).then(|| notes.join("\n")),
    }
}

/// A select-all question found among the columns.
struct SelectAll {
    columns: Vec<usize>,
    variable: DraftVariable,
}

/// Columns holding only 1 and 0 (or only 1 and empty cells) that share the prefix before their
/// first `_` become select-all questions, keyed by their first column.
fn select_all_sets(
    names: &[String],
    profile: &TableProfile,
    used: &mut NameSet,
) -> BTreeMap<usize, SelectAll> {
    let mut prefixes: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, col) in profile.columns.iter().enumerate().take(names.len()) {
        let binary = !col.overflow
            && !col.codes.is_empty()
            && col.codes.keys().all(|v| v == "0" || v == "1");
        if let (true, Some((prefix, _))) = (binary, names[i].split_once('_')) {
            if !prefix.is_empty() {
                prefixes.entry(prefix.to_string()).or_default().push(i);
            }
        }
    }
    let mut sets = BTreeMap::new();
    for (prefix, columns) in prefixes.into_iter().filter(|(_, c)| c.len() >= 2) {
        let any_zero = columns
            .iter()
            .any(|&c| profile.columns[c].codes.contains_key("0"));
        let any_empty = columns
            .iter()
            .any(|&c| profile.columns[c].non_empty < profile.rows);
        let name = if used.contains(&prefix) {
            used.claim(&format!("{prefix}_set"))
        } else {
            used.claim(&prefix)
        };
        let mut comment = format!(
            "{} columns of 0 and 1 sharing the prefix '{prefix}_': a select-all question (check)",
            columns.len()
        );
        // Coded 1/empty: an empty cell is "not selected", else every item would be 100%.
        let unselected = if !any_zero && any_empty {
            comment = format!(
                "{} columns of 1 and empty cells sharing the prefix '{prefix}_': a select-all \
                 question where an empty cell means not selected\n\
                 check: a respondent who skipped the whole question counts as 'none selected'",
                columns.len()
            );
            String::new()
        } else {
            "0".to_string()
        };
        let variable = DraftVariable {
            label: name.clone(),
            name,
            kind: DraftKind::Multi {
                items: columns
                    .iter()
                    .map(|&c| (names[c].clone(), names[c].clone()))
                    .collect(),
                selected: "1".into(),
                unselected,
            },
            comment: Some(comment),
        };
        sets.insert(columns[0], SelectAll { columns, variable });
    }
    sets
}
