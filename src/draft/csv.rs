//! Drafting a codebook from a CSV file by inspecting its columns (the whole file is read, so
//! every code that occurs is declared and the draft runs as it is).

use super::{is_age_name, is_grouping_name, Draft, DraftKind, DraftVariable};
use crate::error::{Error, Result};
use crate::input::number::{parse_number, trim};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// More distinct values than this and a column is not a set of codes.
const MAX_CODES: usize = 30;

#[derive(Default)]
struct ColumnStats {
    non_empty: u64,
    distinct: BTreeSet<String>,
    overflow: bool,
    numeric: bool,
    integer: bool,
    comma_decimals: u64,
    point_decimals: u64,
    /// Whether every value so far exceeded the one before (a running number: an identifier).
    increasing: bool,
    last: f64,
}

/// The delimiter that splits the header and the first lines into the same number of fields.
fn detect_delimiter(head: &str) -> u8 {
    let lines: Vec<&str> = head.lines().take(20).collect();
    let mut best = (b',', 0usize);
    for d in [b';', b',', b'\t', b'|'] {
        let counts: Vec<usize> = lines
            .iter()
            .map(|l| l.bytes().filter(|&b| b == d).count())
            .collect();
        let consistent = counts
            .first()
            .is_some_and(|&c| c > 0 && counts.iter().all(|&x| x == c));
        let n = counts.first().copied().unwrap_or(0);
        if consistent && n > best.1 {
            best = (d, n);
        }
    }
    best.0
}

fn is_weight_name(name: &str) -> bool {
    let n = name.to_lowercase();
    n.contains("weeg") || n.contains("weight") || n.contains("gewicht")
}

/// Numeric codes sorted by value, text codes alphabetically.
fn sorted_codes(values: &BTreeSet<String>, numeric: bool) -> Vec<String> {
    let mut v: Vec<String> = values.iter().cloned().collect();
    if numeric {
        v.sort_by(|a, b| {
            let (x, y) = (
                a.replace(',', ".").parse::<f64>().unwrap_or(0.0),
                b.replace(',', ".").parse::<f64>().unwrap_or(0.0),
            );
            x.total_cmp(&y)
        });
    }
    v
}

pub fn draft_csv(path: &Path) -> Result<Draft> {
    let bytes = std::fs::read(path).map_err(|e| Error::Read {
        path: path.to_path_buf(),
        source: e,
    })?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    if let Some(i) = memchr::memchr(0, &bytes[..bytes.len().min(1 << 20)]) {
        return Err(Error::data_file(
            path,
            format!("not a CSV text file: a NUL byte at byte offset {i}"),
        ));
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(64 * 1024)]);
    let delimiter = detect_delimiter(&head);
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(bytes);
    let header: Vec<String> = reader
        .byte_headers()
        .map_err(|e| Error::data_file(path, format!("cannot read the header: {e}")))?
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim().to_string())
        .collect();
    let mut stats: Vec<ColumnStats> = header
        .iter()
        .map(|_| ColumnStats {
            numeric: true,
            integer: true,
            increasing: true,
            last: f64::NEG_INFINITY,
            ..Default::default()
        })
        .collect();
    let mut record = ::csv::ByteRecord::new();
    let mut rows = 0u64;
    while reader
        .read_byte_record(&mut record)
        .map_err(|e| Error::data_file(path, format!("cannot read: {e}")))?
    {
        rows += 1;
        for (i, f) in record.iter().enumerate().take(stats.len()) {
            let v = trim(f);
            if v.is_empty() {
                continue;
            }
            let st = &mut stats[i];
            st.non_empty += 1;
            if st.numeric {
                let has_comma = v.contains(&b',');
                let has_point = v.contains(&b'.');
                let dec = if has_comma { b',' } else { b'.' };
                match parse_number(v, dec) {
                    Ok(x) => {
                        if x.fract() != 0.0 || has_comma || has_point {
                            st.integer = false;
                        }
                        st.comma_decimals += has_comma as u64;
                        st.point_decimals += has_point as u64;
                        st.increasing &= x > st.last;
                        st.last = x;
                    }
                    Err(_) => st.numeric = false,
                }
            }
            if !st.overflow {
                st.distinct.insert(String::from_utf8_lossy(v).into_owned());
                if st.distinct.len() > MAX_CODES {
                    st.overflow = true;
                }
            }
        }
    }
    if rows == 0 {
        return Err(Error::data_file(
            path,
            "no data rows to draft a codebook from",
        ));
    }
    let comma: u64 = stats
        .iter()
        .filter(|s| s.numeric)
        .map(|s| s.comma_decimals)
        .sum();
    let point: u64 = stats
        .iter()
        .filter(|s| s.numeric)
        .map(|s| s.point_decimals)
        .sum();
    let decimal = if comma > point { b',' } else { b'.' };

    let mut draft = Draft {
        title: path
            .file_stem()
            .map_or("Enquête".into(), |s| s.to_string_lossy().into_owned()),
        source: path.display().to_string(),
        delimiter: (delimiter != b',').then_some(delimiter),
        decimal: (decimal != b'.').then_some(decimal),
        ..Default::default()
    };
    // 0/1 columns grouped by the prefix before their first '_' become select-all sets.
    let mut prefixes: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, st) in stats.iter().enumerate() {
        let binary = !st.overflow
            && !st.distinct.is_empty()
            && st.distinct.iter().all(|v| v == "0" || v == "1");
        if binary {
            if let Some((prefix, _)) = header[i].split_once('_') {
                prefixes.entry(prefix.to_string()).or_default().push(i);
            }
        }
    }
    let mut in_multi = vec![false; header.len()];
    let mut multis: BTreeMap<usize, DraftVariable> = BTreeMap::new();
    for (prefix, cols) in prefixes.into_iter().filter(|(_, c)| c.len() >= 2) {
        for &c in &cols {
            in_multi[c] = true;
        }
        let taken = |name: &str| header.iter().any(|h| h == name);
        let name = if taken(&prefix) {
            format!("{prefix}_set")
        } else {
            prefix.clone()
        };
        multis.insert(
            cols[0],
            DraftVariable {
                label: name.clone(),
                name,
                kind: DraftKind::Multi {
                    items: cols.iter().map(|&c| (header[c].clone(), header[c].clone())).collect(),
                    selected: "1".into(),
                    unselected: "0".into(),
                },
                comment: Some(format!("{} columns of 0/1 sharing the prefix '{prefix}_': a select-all question (check)", cols.len())),
            },
        );
    }
    for (i, st) in stats.iter().enumerate() {
        let name = &header[i];
        if let Some(m) = multis.remove(&i) {
            draft.variables.push(m);
        }
        if in_multi[i] {
            continue;
        }
        if st.non_empty == 0 {
            draft.skipped.push((name.clone(), "always empty".into()));
            continue;
        }
        if st.numeric && st.integer && st.increasing && st.overflow {
            draft
                .skipped
                .push((name.clone(), "a running number (an identifier)".into()));
            continue;
        }
        if st.numeric && is_weight_name(name) && draft.weight.is_none() {
            draft.weight = Some((name.clone(), "detected by its name (check)".into()));
            continue;
        }
        let codes = sorted_codes(&st.distinct, st.numeric);
        // Codes of 90 and more next to small codes are usually "weet niet" / "onbekend".
        let split_missing = |codes: &[String]| -> (Vec<String>, Vec<String>) {
            let nums: Vec<f64> = codes
                .iter()
                .filter_map(|c| c.replace(',', ".").parse().ok())
                .collect();
            let small = nums
                .iter()
                .filter(|&&x| x < 90.0)
                .fold(f64::NEG_INFINITY, |m, &x| m.max(x));
            codes.iter().cloned().partition(|c| {
                let x: f64 = c.replace(',', ".").parse().unwrap_or(0.0);
                !(x >= 90.0
                    && small < 30.0
                    && (x == 99.0 || x == 98.0 || x == 999.0 || x == 9999.0 || x == 97.0))
            })
        };
        if st.numeric && is_age_name(name) {
            let missing: Vec<String> = st
                .distinct
                .iter()
                .filter(|v| ["999", "998", "9999"].contains(&v.as_str()))
                .cloned()
                .collect();
            draft.variables.push(DraftVariable {
                name: name.clone(),
                label: name.clone(),
                kind: DraftKind::Numeric {
                    missing: missing.clone(),
                },
                comment: Some(if missing.is_empty() {
                    "an age (by its name)".to_string()
                } else {
                    format!(
                        "an age (by its name); {} looks like a missing code (check)",
                        missing.join(", ")
                    )
                }),
            });
            let group = format!("{name}sgroep");
            draft.variables.push(DraftVariable {
                name: group.clone(),
                label: "Leeftijdsgroep".into(),
                kind: DraftKind::AgeBins { from: name.clone() },
                comment: Some("suggested age groups: edit the bins as needed".into()),
            });
            draft.by.insert(0, group);
            continue;
        }
        if st.numeric && st.integer && !st.overflow && codes.len() <= 12 {
            let (values, missing) = split_missing(&codes);
            let first: f64 = values.first().and_then(|c| c.parse().ok()).unwrap_or(0.0);
            let last: f64 = values.last().and_then(|c| c.parse().ok()).unwrap_or(0.0);
            let rating =
                values.len() >= 7 && first >= 0.0 && last <= 10.0 && first >= (last - 10.0);
            if rating {
                draft.variables.push(DraftVariable {
                    name: name.clone(),
                    label: name.clone(),
                    kind: DraftKind::Numeric { missing: missing.clone() },
                    comment: Some(format!(
                        "{} values from {} to {}: treated as a rating (mean); make it categorical if these are codes (check)",
                        values.len(), values.first().unwrap(), values.last().unwrap()
                    )),
                });
            } else {
                let comment = (!missing.is_empty()).then(|| {
                    format!(
                        "{} looks like a missing code such as 'weet niet' (check)",
                        missing.join(", ")
                    )
                });
                draft.variables.push(DraftVariable {
                    name: name.clone(),
                    label: name.clone(),
                    kind: DraftKind::Categorical {
                        values: values.iter().map(|c| (c.clone(), c.clone())).collect(),
                        missing,
                    },
                    comment,
                });
                if is_grouping_name(name) && codes.len() <= 6 {
                    draft.by.push(name.clone());
                }
            }
            continue;
        }
        if st.numeric {
            let missing: Vec<String> = st
                .distinct
                .iter()
                .filter(|v| ["999", "9999", "-1"].contains(&v.as_str()))
                .cloned()
                .collect();
            draft.variables.push(DraftVariable {
                name: name.clone(),
                label: name.clone(),
                kind: DraftKind::Numeric { missing },
                comment: Some("numbers with many values: a mean".into()),
            });
            continue;
        }
        if !st.overflow {
            draft.variables.push(DraftVariable {
                name: name.clone(),
                label: name.clone(),
                kind: DraftKind::Categorical {
                    values: codes.iter().map(|c| (c.clone(), c.clone())).collect(),
                    missing: Vec::new(),
                },
                comment: None,
            });
            if is_grouping_name(name) && codes.len() <= 6 {
                draft.by.push(name.clone());
            }
            continue;
        }
        draft.skipped.push((
            name.clone(),
            format!("text with more than {MAX_CODES} distinct values (an id, a date or free text)"),
        ));
    }
    Ok(draft)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_the_delimiter_from_consistent_counts() {
        assert_eq!(detect_delimiter("a;b;c\n1;2,5;3\n"), b';');
        assert_eq!(detect_delimiter("a,b,c\n1,2,3\n"), b',');
        assert_eq!(detect_delimiter("a\tb\n1\t2\n"), b'\t');
    }
}
