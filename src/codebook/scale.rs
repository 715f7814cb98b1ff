//! Validating a scale (`type = "scale"`): its items, reversed items, the minimum of valid items
//! and its ranges; then, once every variable is known, that each item gives numbers inside
//! `item_range` (a numeric item declares `min`/`max` within it; a categorical item's codes are
//! numbers within it), so that no value the data may hold falls outside the scale unseen.

use super::error::{CbResult, CodebookError};
use super::raw::RawVariable;
use super::variables::{required, Kinds};
use super::{Scale, ScaleItem, Variable, VariableKind};
use std::collections::HashSet;

/// One scale entry; `kinds` are (name, type) of all variables, for the items (looked up by
/// name, duplicates found with sets: a scale of 100,000 items reads in linear time).
pub(super) fn scale(rv: RawVariable, kinds: &Kinds) -> CbResult<VariableKind> {
    rv.only(&["items", "reverse", "min_valid", "item_range", "range"])?;
    let name = rv.name.clone();
    let context = || format!("variable '{name}'");
    let raw = required(rv.items, &name, "scale", "items")?;
    if raw.len() < 2 {
        return Err(CodebookError::invalid(
            context(),
            format!(
                "'items' lists {} variable{}; a scale needs at least 2",
                raw.len(),
                if raw.len() == 1 { "" } else { "s" }
            ),
        ));
    }
    let reverse = rv.reverse.unwrap_or_default();
    let reversed: HashSet<&str> = reverse.iter().map(String::as_str).collect();
    let mut items: Vec<ScaleItem> = Vec::new();
    let mut seen = HashSet::new();
    for it in &raw {
        if !it.bare {
            return Err(CodebookError::invalid(
                context(),
                format!(
                    "items = [.. {{ column = \"{}\" }} ..]: the items of a scale are variable names (items = [\"st_1\", \"st_2\"])",
                    it.column
                ),
            ));
        }
        let var = kinds
            .find(&it.column)
            .ok_or_else(|| CodebookError::UnknownVariable {
                context: context(),
                key: "items",
                name: it.column.clone(),
            })?;
        let kind = kinds[var].1.as_str();
        if !["numeric", "categorical"].contains(&kind) {
            return Err(CodebookError::invalid(
                context(),
                format!(
                    "items = [.. \"{}\" ..]: '{}' is {kind}; the items of a scale are numeric or categorical variables",
                    it.column, it.column
                ),
            ));
        }
        if !seen.insert(var) {
            return Err(CodebookError::invalid(
                context(),
                format!("items = [.. \"{}\" ..]: listed twice", it.column),
            ));
        }
        items.push(ScaleItem {
            var,
            reversed: reversed.contains(it.column.as_str()),
        });
    }
    let columns: HashSet<&str> = raw.iter().map(|i| i.column.as_str()).collect();
    if let Some(r) = reverse.iter().find(|r| !columns.contains(r.as_str())) {
        return Err(CodebookError::invalid(
            context(),
            format!("reverse = [.. \"{r}\" ..]: not one of the scale's items"),
        ));
    }
    let min_valid = required(rv.min_valid, &name, "scale", "min_valid")?;
    if min_valid < 1 || min_valid as usize > items.len() {
        return Err(CodebookError::invalid(
            context(),
            format!(
                "min_valid = {min_valid}: expected 1 to {} (the number of items; SPSS MEAN.n)",
                items.len()
            ),
        ));
    }
    let item_range = required(rv.item_range, &name, "scale", "item_range")?;
    let item_range = pair(&name, "item_range", &item_range)?;
    let range = rv.range.map(|r| pair(&name, "range", &r)).transpose()?;
    Ok(VariableKind::Scale(Scale {
        items,
        min_valid: min_valid as usize,
        item_range,
        range,
    }))
}

/// `[lo, hi]`: two finite numbers, lo below hi.
fn pair(name: &str, key: &str, v: &[f64]) -> CbResult<(f64, f64)> {
    match v {
        [lo, hi] if lo.is_finite() && hi.is_finite() && lo < hi => Ok((*lo, *hi)),
        _ => Err(CodebookError::invalid(
            format!("variable '{name}'"),
            format!(
                "{key} = [{}]: expected two finite numbers [low, high] with low below high",
                v.iter()
                    .map(|x| x.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

/// The value of a categorical item's code: the code read as a number (`3`, `2,5`, `2.5`).
pub fn code_value(code: &str) -> Option<f64> {
    code.trim()
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
}

/// Every item of every scale gives numbers within the scale's `item_range`. An item is checked
/// once per range, however many scales list it.
pub(super) fn check_items(variables: &[Variable]) -> CbResult<()> {
    let mut checked = HashSet::new();
    for v in variables {
        let VariableKind::Scale(s) = &v.kind else {
            continue;
        };
        let (lo, hi) = s.item_range;
        let context = format!("variable '{}'", v.name);
        let range = || format!("item_range [{lo}, {hi}]");
        for item in &s.items {
            if !checked.insert((item.var, lo.to_bits(), hi.to_bits())) {
                continue;
            }
            let it = &variables[item.var];
            match &it.kind {
                VariableKind::Numeric { min, max, .. } => match (min, max) {
                    (Some(a), Some(b)) if lo <= *a && *b <= hi => {}
                    _ => {
                        return Err(CodebookError::invalid(
                            &context,
                            format!(
                                "item '{}' is numeric with {}; declare min and max within the scale's {} (e.g. min = {lo}, max = {hi}), so that a value outside the scale is refused",
                                it.name,
                                match (min, max) {
                                    (Some(a), Some(b)) => format!("min = {a}, max = {b}"),
                                    _ => "no min and max".to_string(),
                                },
                                range()
                            ),
                        ))
                    }
                },
                VariableKind::Categorical { values, .. } => {
                    for c in values {
                        match code_value(&c.code) {
                            Some(x) if lo <= x && x <= hi => {}
                            Some(_) => {
                                return Err(CodebookError::invalid(
                                    &context,
                                    format!(
                                        "code '{}' of item '{}' is outside the {}; declare it missing in '{}' (missing = [\"{}\"]) if it is not an answer on the scale",
                                        c.code, it.name, range(), it.name, c.code
                                    ),
                                ))
                            }
                            None => {
                                return Err(CodebookError::invalid(
                                    &context,
                                    format!(
                                        "code '{}' of item '{}' is not a number; a scale's items are numbers",
                                        c.code, it.name
                                    ),
                                ))
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::codebook::{Codebook, VariableKind};

    const ITEMS: &str = r#"
[[variables]]
name = "st_1"
type = "categorical"
values = [ { code = "1" }, { code = "2" }, { code = "3" } ]
missing = ["9"]
[[variables]]
name = "st_2"
type = "categorical"
values = [ { code = "1" }, { code = "2" }, { code = "3" } ]
[[variables]]
name = "vg"
type = "numeric"
min = 1
max = 3
"#;

    fn parse(scale: &str) -> Result<Codebook, String> {
        Codebook::parse(&format!(
            "{ITEMS}\n[[variables]]\nname = \"s\"\ntype = \"scale\"\n{scale}\n[[tables]]\nname = \"s\"\nrows = \"s\"\n"
        ))
        .map_err(|e| e.to_string())
    }

    #[test]
    fn a_scale_reads_its_items_and_is_a_number() {
        let cb = parse(
            "items = [\"st_1\", \"st_2\", \"vg\"]\nreverse = [\"st_2\"]\nmin_valid = 2\nitem_range = [1, 3]\nrange = [0, 10]",
        )
        .unwrap();
        let s = &cb.variables[3];
        assert!(s.is_numeric());
        assert_eq!(s.numeric_bounds(), (Some(0.0), Some(10.0)));
        let VariableKind::Scale(scale) = &s.kind else {
            panic!("a scale")
        };
        assert_eq!(
            scale.items.iter().map(|i| i.reversed).collect::<Vec<_>>(),
            [false, true, false]
        );
        // MEAN.2 of (1, 3 reversed = 1, missing) = 1, rescaled to 0; one valid item: missing.
        assert_eq!(scale.score([1.0, 3.0, f64::NAN].into_iter()), 0.0);
        assert!(scale.score([1.0, f64::NAN, f64::NAN].into_iter()).is_nan());
        assert_eq!(
            scale.score([3.0, 1.0, 2.0].into_iter()),
            (8.0 / 3.0 - 1.0) / 2.0 * 10.0
        );
    }

    #[test]
    fn bad_scales_are_refused_naming_key_and_value() {
        let ok = "min_valid = 2\nitem_range = [1, 3]";
        let cases = [
            (
                format!("items = [\"st_1\", \"nope\"]\n{ok}"),
                "unknown variable 'nope'",
            ),
            (format!("items = [\"st_1\"]\n{ok}"), "at least 2"),
            (
                format!("items = [\"st_1\", \"st_1\"]\n{ok}"),
                "listed twice",
            ),
            (format!("items = [\"st_1\", \"s\"]\n{ok}"), "'s' is scale"),
            (
                format!("items = [\"st_1\", \"st_2\"]\nreverse = [\"vg\"]\n{ok}"),
                "reverse = [.. \"vg\" ..]",
            ),
            (
                "items = [\"st_1\", \"st_2\"]\nmin_valid = 3\nitem_range = [1, 3]".into(),
                "min_valid = 3",
            ),
            (
                "items = [\"st_1\", \"st_2\"]\nmin_valid = 0\nitem_range = [1, 3]".into(),
                "min_valid = 0",
            ),
            (
                "items = [\"st_1\", \"st_2\"]\nitem_range = [1, 3]".into(),
                "min_valid",
            ),
            (
                "items = [\"st_1\", \"st_2\"]\nmin_valid = 1\nitem_range = [3, 1]".into(),
                "item_range = [3, 1]",
            ),
            (
                "items = [\"st_1\", \"st_2\"]\nmin_valid = 1\nitem_range = [1, 2]".into(),
                "code '3' of item 'st_1' is outside",
            ),
            (
                "items = [\"vg\", \"st_1\"]\nmin_valid = 1\nitem_range = [1, 2]".into(),
                "item 'vg' is numeric with min = 1, max = 3",
            ),
            (
                format!("items = [\"st_1\", \"st_2\"]\n{ok}\nrange = [10]"),
                "range = [10]",
            ),
            (
                format!("items = [{{ column = \"st_1\" }}, \"st_2\"]\n{ok}"),
                "are variable names",
            ),
            (
                format!("items = [\"st_1\", \"st_2\"]\n{ok}\nmissing = [\"9\"]"),
                "'missing' does not apply",
            ),
        ];
        for (scale, expected) in cases {
            let e = parse(&scale).unwrap_err();
            assert!(e.contains(expected), "{scale}\n→ {e}");
        }
    }

    #[test]
    fn an_item_code_that_is_not_a_number_is_refused() {
        let text = ITEMS.replace("{ code = \"3\" } ]\nmissing", "{ code = \"x\" } ]\nmissing");
        let e = Codebook::parse(&format!(
            "{text}\n[[variables]]\nname = \"s\"\ntype = \"scale\"\nitems = [\"st_1\", \"st_2\"]\nmin_valid = 1\nitem_range = [1, 3]\n"
        ))
        .unwrap_err()
        .to_string();
        assert!(e.contains("code 'x' of item 'st_1' is not a number"), "{e}");
    }

    #[test]
    fn bins_recodes_and_filters_may_read_a_scale() {
        let cb = Codebook::parse(&format!(
            "{ITEMS}\n[[variables]]\nname = \"s\"\ntype = \"scale\"\nitems = [\"st_1\", \"st_2\"]\nmin_valid = 1\nitem_range = [1, 3]\n\
             [[variables]]\nname = \"b\"\ntype = \"bins\"\nfrom = \"s\"\nbins = [ {{ label = \"low\", min = 1, max = 2 }}, {{ label = \"high\", min = 2.01 }} ]\n\
             [[tables]]\nname = \"t\"\nrows = \"st_1\"\nby = [\"b\"]\nfilter = \"s >= 2\"\n"
        ));
        assert!(cb.is_ok(), "{:?}", cb.err().map(|e| e.to_string()));
    }
}
