//! The codebook's TOML shape, as serde reads it. Unknown keys are rejected by serde with the
//! key's name and position; [`super::validate`] turns this shape into a [`Codebook`].

use super::error::{CbResult, CodebookError};
use super::label::RawLabel;
use super::*;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCodebook {
    pub title: Option<RawLabel>,
    pub language: Option<crate::codebook::Language>,
    pub min_base_test: Option<u64>,
    pub filter: Option<String>,
    /// The respondent id column (for `enquete weight`).
    pub id: Option<String>,
    pub weighting: Option<super::weighting::RawWeighting>,
    pub design: Option<RawDesign>,
    pub data: Option<RawData>,
    #[serde(default)]
    pub variables: Vec<RawVariable>,
    #[serde(default)]
    pub tables: Vec<RawTable>,
    pub compare: Option<RawCompare>,
    /// External figures to test estimates against (`benchmark = "FILE"`).
    pub benchmark: Option<String>,
    /// `[response] invited = "FILE"`: the gross sample, for response rates.
    pub response: Option<RawResponse>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawResponse {
    pub invited: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCompare {
    pub between: String,
    pub standardize: Option<String>,
    pub against: Option<crate::codebook::Against>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDesign {
    pub weight: Option<String>,
    pub strata: Option<String>,
    pub cluster: Option<String>,
    pub fpc: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawData {
    pub delimiter: Option<String>,
    pub decimal: Option<String>,
    pub encoding: Option<String>,
}

/// Codes may be written as strings or numbers in TOML (`code = 1` or `code = "1"`).
#[derive(Deserialize, Clone)]
#[serde(untagged)]
pub(super) enum CodeText {
    Text(String),
    Int(i64),
    Float(f64),
}

impl CodeText {
    pub fn into_string(self) -> String {
        match self {
            CodeText::Text(s) => s,
            CodeText::Int(i) => i.to_string(),
            CodeText::Float(f) => f.to_string(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawVariable {
    pub name: String,
    pub label: Option<RawLabel>,
    #[serde(rename = "type")]
    pub kind: String,
    pub missing: Option<Vec<CodeText>>,
    pub values: Option<Vec<RawValue>>,
    pub from: Option<String>,
    pub bins: Option<Vec<RawBin>>,
    pub selected: Option<CodeText>,
    pub unselected: Option<CodeText>,
    pub items: Option<Vec<RawItem>>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// A scale's reversed items.
    pub reverse: Option<Vec<String>>,
    /// A scale's minimum number of valid items (SPSS `MEAN.n`).
    pub min_valid: Option<i64>,
    /// A scale's answer range, [lo, hi].
    pub item_range: Option<Vec<f64>>,
    /// A scale's published range, [a, b].
    pub range: Option<Vec<f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawValue {
    pub code: CodeText,
    pub label: Option<RawLabel>,
    /// The source codes of a recode entry.
    pub codes: Option<Vec<CodeText>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBin {
    pub label: RawLabel,
    pub min: f64,
    pub max: Option<f64>,
}

/// An entry of `items`: `{ column = "...", label = "..." }` (a select-all set) or a variable's
/// name (a scale). Written by hand so that a misspelt key of the table form is still named.
pub(super) struct RawItem {
    pub column: String,
    pub label: Option<RawLabel>,
    /// Written as a plain name (a scale item), not as a table.
    pub bare: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItemTable {
    column: String,
    label: Option<RawLabel>,
}

impl<'de> Deserialize<'de> for RawItem {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = RawItem;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a variable name or a table { column = \"...\", label = \"...\" }")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawItem, E> {
                Ok(RawItem {
                    column: v.to_string(),
                    label: None,
                    bare: true,
                })
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<RawItem, A::Error> {
                let t =
                    RawItemTable::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(RawItem {
                    column: t.column,
                    label: t.label,
                    bare: false,
                })
            }
        }
        d.deserialize_any(Visit)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTable {
    pub name: String,
    pub rows: RawRows,
    #[serde(default)]
    pub by: Vec<RawBreakdown>,
    #[serde(default)]
    pub letters: bool,
    pub filter: Option<String>,
    /// The public heading (default: the rows variable's label).
    pub title: Option<RawLabel>,
    /// A sentence shown with the table.
    pub note: Option<RawLabel>,
    /// The subpopulation in words (default: the filter, said with labels).
    pub population: Option<RawLabel>,
    /// Answers (codes, items or bins) left out of the readable outputs.
    pub hide: Option<Vec<CodeText>>,
    /// `["proportion", "total"]`, `["mean", "quantile"]`.
    pub statistics: Option<Vec<String>>,
    pub quantiles: Option<Vec<f64>>,
    /// Top-box shares: `[{ label = "(helemaal) mee eens", codes = ["1", "2"] }]`.
    pub nets: Option<Vec<RawNet>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawNet {
    pub label: RawLabel,
    pub codes: Vec<CodeText>,
}

/// A table's `rows`: one variable, or a list of statements with one answer scale (a battery).
pub(super) enum RawRows {
    One(String),
    Battery(Vec<String>),
}

impl RawRows {
    pub fn names(&self) -> Vec<String> {
        match self {
            RawRows::One(n) => vec![n.clone()],
            RawRows::Battery(v) => v.clone(),
        }
    }
}

impl<'de> Deserialize<'de> for RawRows {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = RawRows;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a variable name, or a list of statements [\"st_1\", \"st_2\"]")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawRows, E> {
                Ok(RawRows::One(v.to_string()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<RawRows, A::Error> {
                let mut out = Vec::new();
                while let Some(name) = seq.next_element::<String>()? {
                    out.push(name);
                }
                Ok(RawRows::Battery(out))
            }
        }
        d.deserialize_any(Visit)
    }
}

/// A `by` entry: one variable, or a list of variables crossed.
#[derive(Deserialize, Clone)]
#[serde(untagged)]
pub(super) enum RawBreakdown {
    One(String),
    Crossed(Vec<String>),
}

impl RawBreakdown {
    pub fn names(&self) -> Vec<String> {
        match self {
            RawBreakdown::One(n) => vec![n.clone()],
            RawBreakdown::Crossed(v) => v.clone(),
        }
    }
}

pub(super) fn single_byte(key: &str, value: &str, allowed: &[u8]) -> CbResult<u8> {
    let v = if value == "\\t" { "\t" } else { value };
    match v.as_bytes() {
        [b] if allowed.is_empty() || allowed.contains(b) => Ok(*b),
        _ => Err(CodebookError::invalid(
            format!("[data] {key} = {value:?}"),
            format!(
                "expected one character{}",
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
            ),
        )),
    }
}

pub(super) fn codes(list: Option<Vec<CodeText>>) -> Vec<String> {
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
            label: iv.label.clone().map(RawLabel::Plain),
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
            reverse: None,
            min_valid: None,
            item_range: None,
            range: None,
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
                            label: Some(RawLabel::Plain(l.clone())),
                            codes: None,
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
                            label: Some(RawLabel::Plain(l.clone())),
                            bare: false,
                        })
                        .collect(),
                );
            }
        }
        rv
    }

    /// Reject keys that belong to another type, so a misplaced key is never silently ignored.
    pub fn only(&self, allowed: &[&'static str]) -> CbResult<()> {
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
            ("reverse", self.reverse.is_some()),
            ("min_valid", self.min_valid.is_some()),
            ("item_range", self.item_range.is_some()),
            ("range", self.range.is_some()),
        ];
        for (key, is) in present {
            if is && !allowed.contains(&key) {
                return Err(CodebookError::NotApplicable {
                    context: format!("variable '{}' (type \"{}\")", self.name, self.kind),
                    key,
                    allowed: allowed.join(", "),
                });
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
            referenced.extend(t.rows.names());
            referenced.extend(t.by.iter().flat_map(RawBreakdown::names));
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
        let by_name: std::collections::HashMap<&str, &ImpliedVariable> =
            implied.iter().rev().map(|i| (i.name.as_str(), i)).collect();
        let mut declared: std::collections::HashSet<String> =
            self.variables.iter().map(|v| v.name.clone()).collect();
        for name in referenced {
            if declared.contains(&name) {
                continue;
            }
            if let Some(iv) = by_name.get(name.as_str()) {
                self.variables.push(RawVariable::from_implied(iv));
                declared.insert(name);
            }
        }
        for v in &mut self.variables {
            let Some(iv) = by_name.get(v.name.as_str()) else {
                continue;
            };
            if v.label.is_none() {
                v.label = iv.label.clone().map(RawLabel::Plain);
            }
            match (&iv.kind, v.kind.as_str()) {
                (ImpliedKind::Categorical { values, missing }, "categorical") => {
                    if v.values.is_none() {
                        v.values = Some(
                            values
                                .iter()
                                .map(|(c, l)| RawValue {
                                    code: CodeText::Text(c.clone()),
                                    label: Some(RawLabel::Plain(l.clone())),
                                    codes: None,
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
}
