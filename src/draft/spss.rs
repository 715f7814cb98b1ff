//! Drafting a codebook from an SPSS file's own dictionary: variable labels, value labels as
//! codes, user-missing codes, multiple-response sets as select-all questions, the weight
//! variable. The data are read once too, so that a code without a value label is still declared
//! and the draft runs as it is.

use super::names::{is_age_name, is_area_name, is_grouping_name, is_id_name, NameSet};
use super::{Draft, DraftKind, DraftVariable};
use crate::codebook::{Codebook, ImpliedKind, ImpliedVariable};
use crate::error::Result;
use crate::input::spss::{implied_variables, metadata, value_labels, SpssRecords};
use ambers::SpssMetadata;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

/// At most this many distinct values are collected per variable (codes, not free text); an
/// area variable's up to [`super::profile::MAX_AREA_CODES`].
const MAX_SEEN: usize = 200;

pub fn draft_spss(path: &Path) -> Result<Draft> {
    let meta = metadata(path)?;
    let implied = implied_variables(&meta);
    let seen = labelled_values(path, &meta, &implied)?;
    let mut draft = Draft {
        title: Some(meta.file_label.trim().to_string())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| {
                path.file_stem()
                    .map_or("Enquête".into(), |s| s.to_string_lossy().into_owned())
            }),
        source: path.display().to_string(),
        ..Default::default()
    };
    if let Some(w) = &meta.weight_variable {
        draft.weight = Some((w.clone(), "the file's weight variable (WEIGHT BY)".into()));
    }
    let in_sets: BTreeSet<&str> = implied
        .iter()
        .filter_map(|i| match &i.kind {
            ImpliedKind::Multi { items, .. } => Some(items.iter().map(|(c, _)| c.as_str())),
            _ => None,
        })
        .flatten()
        .collect();
    let mut used = NameSet::new(&meta.variable_names);
    let mut multis: Vec<DraftVariable> = Vec::new();
    for iv in &implied {
        let label = iv.label.clone().unwrap_or_else(|| iv.name.clone());
        match &iv.kind {
            ImpliedKind::Multi { items, selected } => {
                multis.push(multi_variable(iv, label, items, selected))
            }
            _ if in_sets.contains(iv.name.as_str()) => {}
            _ if Some(&iv.name) == meta.weight_variable.as_ref() => {}
            ImpliedKind::Categorical { values, missing } => {
                let extra = unlabelled(seen.get(&iv.name), values, missing);
                draft.variables.push(categorical_variable(
                    iv,
                    label,
                    values,
                    missing,
                    &extra,
                    "value labels from the file",
                ));
                if is_grouping_name(&iv.name) || is_area_name(&iv.name) {
                    draft.by.push(iv.name.clone());
                }
            }
            ImpliedKind::Numeric { missing } => {
                let labels = value_labels(&meta, &iv.name);
                let seen = seen.get(&iv.name);
                match codes_of(&iv.name, &labels, seen, missing) {
                    Some((values, why)) => {
                        let extra = unlabelled(seen, &values, missing);
                        draft.variables.push(categorical_variable(
                            iv, label, &values, missing, &extra, why,
                        ));
                        if is_grouping_name(&iv.name) || is_area_name(&iv.name) {
                            draft.by.push(iv.name.clone());
                        }
                    }
                    None => add_numeric(&mut draft, &meta, &mut used, iv, label, missing),
                }
            }
        }
    }
    draft.variables.extend(multis);
    Ok(draft)
}

/// The codes of a variable the dictionary calls numeric (PSPP and SPSS measure every number on
/// a Scale unless told otherwise): its value labels when they name every value in the data, or
/// every value of an area variable (wijk, buurt, ...). `None`: a number after all.
fn codes_of(
    name: &str,
    labels: &[(String, String)],
    seen: Option<&BTreeSet<String>>,
    missing: &[String],
) -> Option<(Vec<(String, String)>, &'static str)> {
    let seen: Vec<&String> = seen
        .into_iter()
        .flatten()
        .filter(|v| !missing.contains(*v))
        .collect();
    let covered = seen.iter().all(|v| labels.iter().any(|(c, _)| c == *v));
    if !labels.is_empty() && covered {
        return Some((
            labels.to_vec(),
            "value labels from the file (measured on a scale there, but the labels name every value: codes)",
        ));
    }
    if is_area_name(name) && !seen.is_empty() && seen.len() < super::profile::MAX_AREA_CODES {
        let mut codes: Vec<(String, String)> = labels.to_vec();
        codes.extend(
            seen.iter()
                .filter(|v| !labels.iter().any(|(c, _)| c == **v))
                .map(|v| ((*v).clone(), (*v).clone())),
        );
        codes.sort_by(|a, b| match (a.0.parse::<f64>(), b.0.parse::<f64>()) {
            (Ok(x), Ok(y)) => x.total_cmp(&y),
            _ => a.0.cmp(&b.0),
        });
        return Some((codes, "area codes (by the name), proposed as a breakdown"));
    }
    None
}

/// Distinct values of every value-labelled or area variable, by name, to declare unlabelled
/// codes too (and to see whether labels on a Scale variable name every value).
fn labelled_values(
    path: &Path,
    meta: &SpssMetadata,
    implied: &[ImpliedVariable],
) -> Result<HashMap<String, BTreeSet<String>>> {
    let empty = Codebook::default();
    let mut reader = SpssRecords::open(path, &empty)?;
    let labelled: Vec<(usize, String)> = reader
        .header
        .iter()
        .enumerate()
        .filter(|(_, h)| {
            implied.iter().any(|i| {
                i.name == **h
                    && match i.kind {
                        ImpliedKind::Categorical { .. } => true,
                        ImpliedKind::Numeric { .. } => {
                            is_area_name(h) || !value_labels(meta, h).is_empty()
                        }
                        ImpliedKind::Multi { .. } => false,
                    }
            })
        })
        .map(|(c, h)| (c, h.clone()))
        .collect();
    let mut seen: HashMap<String, BTreeSet<String>> = HashMap::new();
    let mut records = Vec::new();
    loop {
        let n = reader.next_chunk(&mut records, 4096)?;
        if n == 0 {
            break;
        }
        for rec in &records[..n] {
            for (c, name) in &labelled {
                let v = String::from_utf8_lossy(&rec[*c]).into_owned();
                let set = seen.entry(name.clone()).or_default();
                let cap = if is_area_name(name) {
                    super::profile::MAX_AREA_CODES
                } else {
                    MAX_SEEN
                };
                if !v.is_empty() && set.len() < cap {
                    set.insert(v);
                }
            }
        }
    }
    Ok(seen)
}

/// Codes in the data that have no value label and are not user-missing, numbers in order.
fn unlabelled(
    seen: Option<&BTreeSet<String>>,
    values: &[(String, String)],
    missing: &[String],
) -> Vec<String> {
    let mut extra: Vec<String> = seen
        .into_iter()
        .flatten()
        .filter(|v| !values.iter().any(|(c, _)| c == *v) && !missing.contains(*v))
        .cloned()
        .collect();
    extra.sort_by(|a, b| match (a.parse::<f64>(), b.parse::<f64>()) {
        (Ok(x), Ok(y)) => x.total_cmp(&y),
        _ => a.cmp(b),
    });
    extra
}

fn multi_variable(
    iv: &ImpliedVariable,
    label: String,
    items: &[(String, String)],
    selected: &str,
) -> DraftVariable {
    DraftVariable {
        name: iv.name.clone(),
        label,
        kind: DraftKind::Multi {
            items: items.to_vec(),
            selected: selected.to_string(),
            unselected: "0".into(),
        },
        comment: Some(format!(
            "the file's multiple-response set ${} (counted value {selected})",
            iv.name
        )),
    }
}

fn categorical_variable(
    iv: &ImpliedVariable,
    label: String,
    values: &[(String, String)],
    missing: &[String],
    extra: &[String],
    why: &str,
) -> DraftVariable {
    let mut comment = String::from(why);
    if !missing.is_empty() {
        comment.push_str(&format!(
            "; user-missing in the file: {}",
            missing.join(", ")
        ));
    }
    if !extra.is_empty() {
        comment.push_str(&format!(
            "; codes without a value label in the file: {} (check)",
            extra.join(", ")
        ));
    }
    let mut values = values.to_vec();
    values.extend(extra.iter().map(|v| (v.clone(), v.clone())));
    DraftVariable {
        name: iv.name.clone(),
        label,
        kind: DraftKind::Categorical {
            values,
            missing: missing.to_vec(),
        },
        comment: Some(comment),
    }
}

/// A variable without value labels: text, an identifier and a date are left out; an age gets
/// suggested age groups; other numbers are means.
fn add_numeric(
    draft: &mut Draft,
    meta: &SpssMetadata,
    used: &mut NameSet,
    iv: &ImpliedVariable,
    label: String,
    missing: &[String],
) {
    let format = meta.format(&iv.name).unwrap_or("");
    let skip = if format.starts_with('A') {
        Some("text without value labels")
    } else if is_id_name(&iv.name) {
        Some("an identifier (by its name), not a question (check)")
    } else if [
        "DATE", "ADATE", "EDATE", "SDATE", "JDATE", "DATETIME", "YMDHMS",
    ]
    .iter()
    .any(|f| format.starts_with(f))
    {
        Some("dates (by the variable's format), not a question")
    } else {
        None
    };
    if let Some(why) = skip {
        draft.skipped.push((iv.name.clone(), why.into()));
        return;
    }
    draft.variables.push(DraftVariable {
        name: iv.name.clone(),
        label,
        kind: DraftKind::Numeric {
            missing: missing.to_vec(),
        },
        comment: Some("a number without value labels (a mean); user-missing values of the file are applied when reading".into()),
    });
    let first_age = !draft
        .variables
        .iter()
        .any(|v| matches!(v.kind, DraftKind::AgeBins { .. }));
    if is_age_name(&iv.name) && first_age {
        let group = used.claim(&format!("{}sgroep", iv.name));
        draft.variables.push(DraftVariable {
            name: group.clone(),
            label: "Leeftijdsgroep".into(),
            kind: DraftKind::AgeBins {
                from: iv.name.clone(),
            },
            comment: Some("suggested age groups: edit the bins as needed".into()),
        });
        draft.by.insert(0, group);
    }
}
