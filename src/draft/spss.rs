//! Drafting a codebook from an SPSS file's own dictionary: variable labels, value labels as
//! codes, user-missing codes, multiple-response sets as select-all questions, the weight
//! variable. The data are read once too, so that a code without a value label is still declared
//! and the draft runs as it is.

use super::{is_age_name, is_grouping_name, Draft, DraftKind, DraftVariable};
use crate::codebook::Codebook;
use crate::codebook::ImpliedKind;
use crate::error::Result;
use crate::input::spss::{implied_variables, metadata, SpssRecords};
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

pub fn draft_spss(path: &Path) -> Result<Draft> {
    let meta = metadata(path)?;
    let implied = implied_variables(&meta);
    // Distinct values of every value-labelled variable, to declare unlabelled codes too.
    let empty = Codebook::default();
    let mut reader = SpssRecords::open(path, &empty)?;
    let header = reader.header.clone();
    let labelled: Vec<usize> = header
        .iter()
        .enumerate()
        .filter(|(_, h)| {
            implied
                .iter()
                .any(|i| i.name == **h && matches!(i.kind, ImpliedKind::Categorical { .. }))
        })
        .map(|(c, _)| c)
        .collect();
    let mut seen: HashMap<usize, BTreeSet<String>> = HashMap::new();
    let mut records = Vec::new();
    loop {
        let n = reader.next_chunk(&mut records, 4096)?;
        if n == 0 {
            break;
        }
        for rec in &records[..n] {
            for &c in &labelled {
                let v = String::from_utf8_lossy(&rec[c]).into_owned();
                if !v.is_empty() {
                    let set = seen.entry(c).or_default();
                    if set.len() < 200 {
                        set.insert(v);
                    }
                }
            }
        }
    }

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
            ImpliedKind::Multi { items, .. } => {
                Some(items.iter().map(|(c, _)| c.as_str()).collect::<Vec<_>>())
            }
            _ => None,
        })
        .flatten()
        .collect();
    let mut multis: Vec<DraftVariable> = Vec::new();
    for iv in &implied {
        let label = iv.label.clone().unwrap_or_else(|| iv.name.clone());
        match &iv.kind {
            ImpliedKind::Multi { items, selected } => multis.push(DraftVariable {
                name: iv.name.clone(),
                label,
                kind: DraftKind::Multi {
                    items: items.clone(),
                    selected: selected.clone(),
                    unselected: "0".into(),
                },
                comment: Some(format!(
                    "the file's multiple-response set ${} (counted value {selected})",
                    iv.name
                )),
            }),
            _ if in_sets.contains(iv.name.as_str()) => {}
            _ if Some(&iv.name) == meta.weight_variable.as_ref() => {}
            ImpliedKind::Categorical { values, missing } => {
                let col = header.iter().position(|h| *h == iv.name);
                let mut values = values.clone();
                let mut extra: Vec<String> = col
                    .and_then(|c| seen.get(&c))
                    .into_iter()
                    .flatten()
                    .filter(|v| !values.iter().any(|(c, _)| c == *v) && !missing.contains(*v))
                    .cloned()
                    .collect();
                extra.sort_by(|a, b| match (a.parse::<f64>(), b.parse::<f64>()) {
                    (Ok(x), Ok(y)) => x.total_cmp(&y),
                    _ => a.cmp(b),
                });
                values.extend(extra.iter().map(|v| (v.clone(), v.clone())));
                let mut comment = String::from("value labels from the file");
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
                draft.variables.push(DraftVariable {
                    name: iv.name.clone(),
                    label,
                    kind: DraftKind::Categorical {
                        values,
                        missing: missing.clone(),
                    },
                    comment: Some(comment),
                });
                if is_grouping_name(&iv.name) {
                    draft.by.push(iv.name.clone());
                }
            }
            ImpliedKind::Numeric { missing } => {
                let is_string = meta.format(&iv.name).is_some_and(|f| f.starts_with('A'));
                if is_string {
                    draft
                        .skipped
                        .push((iv.name.clone(), "text without value labels".into()));
                    continue;
                }
                draft.variables.push(DraftVariable {
                    name: iv.name.clone(),
                    label: label.clone(),
                    kind: DraftKind::Numeric {
                        missing: missing.clone(),
                    },
                    comment: Some("a number without value labels (a mean); user-missing values of the file are applied when reading".into()),
                });
                if is_age_name(&iv.name) {
                    let group = format!("{}sgroep", iv.name);
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
        }
    }
    // Identifiers (e.g. the respondent number) are numeric without labels: leave them to the
    // user, but do not make tables of running numbers.
    draft.variables.retain(|v| {
        let id = matches!(v.kind, DraftKind::Numeric { .. })
            && ["respondent", "id", "respnr", "respondentnummer"]
                .contains(&v.name.to_lowercase().as_str());
        if id {
            draft.skipped.push((v.name.clone(), "an identifier".into()));
        }
        !id
    });
    draft.variables.extend(multis);
    Ok(draft)
}
