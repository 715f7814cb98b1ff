//! The codebook's TOML shape and its validation into [`Codebook`]. Unknown keys are rejected by
//! serde with the key's name and position; every reference is resolved here.

use super::*;
use serde::Deserialize;
use std::collections::HashSet;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCodebook {
    title: Option<String>,
    design: Option<RawDesign>,
    data: Option<RawData>,
    #[serde(default)]
    variables: Vec<RawVariable>,
    #[serde(default)]
    tables: Vec<RawTable>,
    compare: Option<RawCompare>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCompare {
    between: String,
    standardize: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDesign {
    weight: Option<String>,
    strata: Option<String>,
    cluster: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawData {
    delimiter: Option<String>,
    decimal: Option<String>,
}

/// Codes may be written as strings or numbers in TOML (`code = 1` or `code = "1"`).
#[derive(Deserialize, Clone)]
#[serde(untagged)]
enum CodeText {
    Text(String),
    Int(i64),
    Float(f64),
}

impl CodeText {
    fn into_string(self) -> String {
        match self {
            CodeText::Text(s) => s,
            CodeText::Int(i) => i.to_string(),
            CodeText::Float(f) => f.to_string(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVariable {
    name: String,
    label: Option<String>,
    #[serde(rename = "type")]
    kind: String,
    missing: Option<Vec<CodeText>>,
    values: Option<Vec<RawValue>>,
    from: Option<String>,
    bins: Option<Vec<RawBin>>,
    selected: Option<CodeText>,
    unselected: Option<CodeText>,
    items: Option<Vec<RawItem>>,
    min: Option<f64>,
    max: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawValue {
    code: CodeText,
    label: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBin {
    label: String,
    min: f64,
    max: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    column: String,
    label: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    name: String,
    rows: String,
    #[serde(default)]
    by: Vec<String>,
}

fn single_byte(key: &str, value: &str, allowed: &[u8]) -> std::result::Result<u8, String> {
    let v = if value == "\\t" { "\t" } else { value };
    match v.as_bytes() {
        [b] if allowed.is_empty() || allowed.contains(b) => Ok(*b),
        _ => Err(format!(
            "[data] {key} = {value:?}: expected one character{}",
            if allowed.is_empty() {
                String::new()
            } else {
                format!(
                    " out of {}",
                    allowed
                        .iter()
                        .map(|b| format!("{:?}", *b as char))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        )),
    }
}

fn codes(list: Option<Vec<CodeText>>) -> Vec<String> {
    list.unwrap_or_default()
        .into_iter()
        .map(|c| c.into_string().trim().to_string())
        .collect()
}

impl RawVariable {
    fn from_implied(iv: &ImpliedVariable) -> RawVariable {
        let text = |v: &[String]| Some(v.iter().cloned().map(CodeText::Text).collect());
        let mut rv = RawVariable {
            name: iv.name.clone(),
            label: iv.label.clone(),
            kind: String::new(),
            missing: None,
            values: None,
            from: None,
            bins: None,
            selected: None,
            unselected: None,
            items: None,
            min: None,
            max: None,
        };
        match &iv.kind {
            ImpliedKind::Numeric { missing } => {
                rv.kind = "numeric".into();
                rv.missing = text(missing);
            }
            ImpliedKind::Categorical { values, missing } => {
                rv.kind = "categorical".into();
                rv.values = Some(
                    values
                        .iter()
                        .map(|(c, l)| RawValue {
                            code: CodeText::Text(c.clone()),
                            label: Some(l.clone()),
                        })
                        .collect(),
                );
                rv.missing = text(missing);
            }
            ImpliedKind::Multi { items, selected } => {
                rv.kind = "multi".into();
                rv.selected = Some(CodeText::Text(selected.clone()));
                rv.items = Some(
                    items
                        .iter()
                        .map(|(c, l)| RawItem {
                            column: c.clone(),
                            label: Some(l.clone()),
                        })
                        .collect(),
                );
            }
        }
        rv
    }

    /// Reject keys that belong to another type, so a misplaced key is never silently ignored.
    fn only(&self, allowed: &[&str]) -> std::result::Result<(), String> {
        let present = [
            ("missing", self.missing.is_some()),
            ("values", self.values.is_some()),
            ("from", self.from.is_some()),
            ("bins", self.bins.is_some()),
            ("selected", self.selected.is_some()),
            ("unselected", self.unselected.is_some()),
            ("items", self.items.is_some()),
            ("min", self.min.is_some()),
            ("max", self.max.is_some()),
        ];
        for (key, is) in present {
            if is && !allowed.contains(&key) {
                return Err(format!(
                    "variable '{}' (type \"{}\"): key '{key}' does not apply to this type (allowed: {})",
                    self.name,
                    self.kind,
                    allowed.join(", ")
                ));
            }
        }
        Ok(())
    }
}

impl RawCodebook {
    /// Fill in, from a data file's metadata, the variables the codebook refers to without
    /// declaring them, and the labels, values and missing codes it leaves out.
    pub(super) fn complete_from(&mut self, implied: &[ImpliedVariable]) {
        if implied.is_empty() {
            return;
        }
        let mut referenced: Vec<String> = Vec::new();
        for t in &self.tables {
            referenced.push(t.rows.clone());
            referenced.extend(t.by.iter().cloned());
        }
        for v in &self.variables {
            if let Some(f) = &v.from {
                referenced.push(f.clone());
            }
        }
        if let Some(c) = &self.compare {
            referenced.push(c.between.clone());
            referenced.extend(c.standardize.clone());
        }
        for name in referenced {
            if self.variables.iter().any(|v| v.name == name) {
                continue;
            }
            if let Some(iv) = implied.iter().find(|i| i.name == name) {
                self.variables.push(RawVariable::from_implied(iv));
            }
        }
        for v in &mut self.variables {
            let Some(iv) = implied.iter().find(|i| i.name == v.name) else {
                continue;
            };
            if v.label.is_none() {
                v.label = iv.label.clone();
            }
            match (&iv.kind, v.kind.as_str()) {
                (ImpliedKind::Categorical { values, missing }, "categorical") => {
                    if v.values.is_none() {
                        v.values = Some(
                            values
                                .iter()
                                .map(|(c, l)| RawValue {
                                    code: CodeText::Text(c.clone()),
                                    label: Some(l.clone()),
                                })
                                .collect(),
                        );
                    }
                    if v.missing.is_none() {
                        v.missing = Some(missing.iter().cloned().map(CodeText::Text).collect());
                    }
                }
                (
                    ImpliedKind::Numeric { missing } | ImpliedKind::Categorical { missing, .. },
                    "numeric",
                ) if v.missing.is_none() => {
                    v.missing = Some(missing.iter().cloned().map(CodeText::Text).collect());
                }
                _ => {}
            }
        }
    }

    pub(super) fn validate(self) -> std::result::Result<Codebook, String> {
        let design = match self.design {
            None => None,
            Some(d) => Some(DesignSpec {
                weight: d
                    .weight
                    .ok_or("[design]: key 'weight' is required (the weight column)")?,
                strata: d.strata,
                cluster: d.cluster,
            }),
        };
        let mut format = DataFormat::default();
        if let Some(d) = self.data {
            if let Some(s) = d.delimiter {
                format.delimiter = single_byte("delimiter", &s, &[])?;
                if format.delimiter == b'"' || format.delimiter == b'\n' {
                    return Err(format!("[data] delimiter = {s:?} cannot be used"));
                }
            }
            if let Some(s) = d.decimal {
                format.decimal = single_byte("decimal", &s, b".,")?;
            }
        }
        if format.decimal == format.delimiter {
            return Err("[data]: the decimal mark and the delimiter must differ".into());
        }

        // Names first, so that `from` may refer to a variable declared later.
        let mut seen = HashSet::new();
        for v in &self.variables {
            if v.name.trim().is_empty() {
                return Err("a variable has an empty name".into());
            }
            if !seen.insert(v.name.clone()) {
                return Err(format!("variable '{}' is declared twice", v.name));
            }
        }
        let kinds: Vec<(String, String)> = self
            .variables
            .iter()
            .map(|v| (v.name.clone(), v.kind.clone()))
            .collect();

        let mut variables = Vec::with_capacity(self.variables.len());
        for rv in self.variables {
            let label = rv.label.clone().unwrap_or_else(|| rv.name.clone());
            let name = rv.name.clone();
            let kind = match rv.kind.as_str() {
                "numeric" => {
                    rv.only(&["missing", "min", "max"])?;
                    if let (Some(lo), Some(hi)) = (rv.min, rv.max) {
                        if lo > hi {
                            return Err(format!("variable '{name}': min {lo} is above max {hi}"));
                        }
                    }
                    VariableKind::Numeric {
                        missing: codes(rv.missing),
                        min: rv.min,
                        max: rv.max,
                    }
                }
                "bins" => {
                    rv.only(&["from", "bins"])?;
                    let from_name = rv
                        .from
                        .ok_or(format!("variable '{name}' (bins): key 'from' is required"))?;
                    let from = kinds.iter().position(|(n, _)| *n == from_name).ok_or(format!(
                        "variable '{name}': 'from' names unknown variable '{from_name}'"
                    ))?;
                    if kinds[from].1 != "numeric" {
                        return Err(format!(
                            "variable '{name}': 'from' must name a numeric variable; '{from_name}' is {}",
                            kinds[from].1
                        ));
                    }
                    let raw_bins = rv
                        .bins
                        .ok_or(format!("variable '{name}' (bins): key 'bins' is required"))?;
                    if raw_bins.is_empty() {
                        return Err(format!("variable '{name}': 'bins' is empty"));
                    }
                    let mut bins: Vec<Bin> = Vec::new();
                    for b in raw_bins {
                        let max = b.max.unwrap_or(f64::INFINITY);
                        if !(b.min <= max) {
                            return Err(format!(
                                "variable '{name}': bin '{}' has min {} above max {}",
                                b.label, b.min, max
                            ));
                        }
                        if let Some(o) = bins.iter().find(|o| b.min <= o.max && o.min <= max) {
                            return Err(format!(
                                "variable '{name}': bins '{}' and '{}' overlap",
                                o.label, b.label
                            ));
                        }
                        if bins.iter().any(|o| o.label == b.label) {
                            return Err(format!(
                                "variable '{name}': bin label '{}' is used twice",
                                b.label
                            ));
                        }
                        bins.push(Bin {
                            label: b.label,
                            min: b.min,
                            max,
                        });
                    }
                    VariableKind::Bins { from, bins }
                }
                "categorical" => {
                    rv.only(&["values", "missing"])?;
                    let raw = rv.values.ok_or(format!(
                        "variable '{name}' (categorical): key 'values' is required"
                    ))?;
                    if raw.is_empty() {
                        return Err(format!("variable '{name}': 'values' is empty"));
                    }
                    let missing = codes(rv.missing);
                    let mut values: Vec<Code> = Vec::new();
                    for v in raw {
                        let code = v.code.into_string().trim().to_string();
                        if code.is_empty() {
                            return Err(format!(
                                "variable '{name}': an empty code cannot be declared (empty cells are missing)"
                            ));
                        }
                        if values.iter().any(|o| o.code == code) {
                            return Err(format!("variable '{name}': code '{code}' is declared twice"));
                        }
                        if missing.contains(&code) {
                            return Err(format!(
                                "variable '{name}': code '{code}' is both a value and a missing code"
                            ));
                        }
                        let label = v.label.unwrap_or_else(|| code.clone());
                        values.push(Code { code, label });
                    }
                    VariableKind::Categorical { values, missing }
                }
                "multi" => {
                    rv.only(&["items", "selected", "unselected", "missing"])?;
                    let selected = rv
                        .selected
                        .map(CodeText::into_string)
                        .unwrap_or_else(|| "1".into());
                    let unselected = rv
                        .unselected
                        .map(CodeText::into_string)
                        .unwrap_or_else(|| "0".into());
                    if selected == unselected {
                        return Err(format!(
                            "variable '{name}': 'selected' and 'unselected' are both '{selected}'"
                        ));
                    }
                    let raw = rv
                        .items
                        .ok_or(format!("variable '{name}' (multi): key 'items' is required"))?;
                    if raw.is_empty() {
                        return Err(format!("variable '{name}': 'items' is empty"));
                    }
                    let mut items: Vec<Item> = Vec::new();
                    for it in raw {
                        if items.iter().any(|o| o.column == it.column) {
                            return Err(format!(
                                "variable '{name}': item column '{}' is listed twice",
                                it.column
                            ));
                        }
                        let label = it.label.unwrap_or_else(|| it.column.clone());
                        items.push(Item {
                            column: it.column,
                            label,
                        });
                    }
                    let missing = codes(rv.missing);
                    if missing.contains(&selected) || missing.contains(&unselected) {
                        return Err(format!(
                            "variable '{name}': a missing code equals 'selected' or 'unselected'"
                        ));
                    }
                    VariableKind::Multi {
                        selected,
                        unselected,
                        missing,
                        items,
                    }
                }
                other => {
                    return Err(format!(
                        "variable '{name}': unknown type \"{other}\" (expected numeric, bins, categorical or multi)"
                    ))
                }
            };
            variables.push(Variable { name, label, kind });
        }

        let mut tables: Vec<Table> = Vec::new();
        for t in self.tables {
            if tables.iter().any(|o| o.name == t.name) {
                return Err(format!("table '{}' is declared twice", t.name));
            }
            let find = |n: &str, key: &str| {
                variables.iter().position(|v| v.name == n).ok_or(format!(
                    "table '{}': '{key}' names unknown variable '{n}'",
                    t.name
                ))
            };
            let rows = find(&t.rows, "rows")?;
            let mut by = Vec::new();
            for b in &t.by {
                let i = find(b, "by")?;
                if variables[i].groups().is_none() {
                    return Err(format!(
                        "table '{}': 'by' variable '{b}' is {}; only categorical and bins variables can group respondents",
                        t.name,
                        variables[i].type_name()
                    ));
                }
                if by.contains(&i) {
                    return Err(format!("table '{}': 'by' lists '{b}' twice", t.name));
                }
                if i == rows {
                    return Err(format!(
                        "table '{}': '{b}' cannot be both the rows variable and a 'by' variable",
                        t.name
                    ));
                }
                by.push(i);
            }
            tables.push(Table {
                name: t.name,
                rows,
                by,
            });
        }

        let compare = match self.compare {
            None => None,
            Some(c) => {
                let group_var = |name: &str, key: &str| -> std::result::Result<usize, String> {
                    let i = variables
                        .iter()
                        .position(|v| v.name == name)
                        .ok_or(format!("[compare] {key}: unknown variable '{name}'"))?;
                    if variables[i].groups().is_none() {
                        return Err(format!(
                            "[compare] {key}: '{name}' is {}; only categorical and bins variables have groups",
                            variables[i].type_name()
                        ));
                    }
                    Ok(i)
                };
                let between = group_var(&c.between, "between")?;
                let standardize = match &c.standardize {
                    None => None,
                    Some(s) => Some(group_var(s, "standardize")?),
                };
                if standardize == Some(between) {
                    return Err("[compare]: 'standardize' must differ from 'between'".into());
                }
                Some(CompareSettings {
                    between,
                    standardize,
                })
            }
        };
        let title = self.title.unwrap_or_else(|| "Enquête".to_string());
        Ok(Codebook {
            title,
            design,
            format,
            variables,
            tables,
            compare,
        })
    }
}
