//! Turning one CSV record into typed values, with every problem named.
//!
//! Columns are resolved once against the header ([`Plan::new`]); the hot loop then works on byte
//! slices with no allocation per row ([`Decoder::decode`]).

use crate::codebook::{Codebook, VariableKind};
use crate::error::RowProblem;
use std::collections::HashMap;

/// Marks a missing categorical code or bin in [`DecodedRow::codes`].
pub const MISSING_CODE: u32 = u32::MAX;
/// Marks a missing item in [`DecodedRow::items`].
pub const MISSING_ITEM: u8 = 2;

/// What to do with each variable, resolved against the file's header.
#[derive(Debug, Clone)]
pub struct Plan {
    pub header: Vec<String>,
    pub format: crate::codebook::DataFormat,
    weight: Option<usize>,
    strata: Option<usize>,
    cluster: Option<usize>,
    vars: Vec<VarPlan>,
    /// Offsets of each variable's items in [`DecodedRow::items`].
    pub item_offsets: Vec<usize>,
    pub n_items: usize,
    /// Header columns the codebook does not use (ignored).
    pub unused_columns: Vec<String>,
}

#[derive(Debug, Clone)]
enum VarPlan {
    Numeric {
        col: usize,
        missing: Vec<Vec<u8>>,
        missing_values: Vec<f64>,
        min: f64,
        max: f64,
    },
    Categorical {
        col: usize,
        codes: Vec<Vec<u8>>,
        missing: Vec<Vec<u8>>,
    },
    Multi {
        cols: Vec<usize>,
        selected: Vec<u8>,
        unselected: Vec<u8>,
        missing: Vec<Vec<u8>>,
    },
    Bins {
        from: usize,
        bins: Vec<(f64, f64)>,
    },
    /// A variable whose columns are absent from the file (only with `allow_absent`).
    Absent,
}

/// One decoded record. Buffers are reused from row to row.
#[derive(Debug, Clone, Default)]
pub struct DecodedRow {
    /// The file's line number of the record.
    pub line: u64,
    pub weight: f64,
    /// Index of the sampling unit in the decoder's interner: the stratum, or the PSU when the
    /// design has clusters.
    pub unit: u32,
    /// Per variable: code or bin index, or [`MISSING_CODE`].
    pub codes: Vec<u32>,
    /// Per variable: numeric value, or NaN when missing.
    pub numbers: Vec<f64>,
    /// Multi items, flattened: 0, 1 or [`MISSING_ITEM`].
    pub items: Vec<u8>,
}

/// Result of resolving a codebook against a header: the plan, and columns the codebook expects
/// that the file lacks (an error unless absent columns are allowed).
impl Plan {
    pub fn new(
        codebook: &Codebook,
        header: Vec<String>,
        allow_absent: bool,
    ) -> Result<(Plan, Vec<String>), String> {
        let index: HashMap<&str, usize> = header
            .iter()
            .enumerate()
            .map(|(i, h)| (h.as_str(), i))
            .collect();
        let mut absent_columns: Vec<String> = Vec::new();
        let mut missing_required = Vec::new();
        let find = |name: &str| index.get(name).copied();

        let (mut weight, mut strata, mut cluster) = (None, None, None);
        if let Some(d) = &codebook.design {
            weight = find(&d.weight);
            if weight.is_none() {
                missing_required.push(format!("'{}' ([design] weight)", d.weight));
            }
            if let Some(s) = &d.strata {
                strata = find(s);
                if strata.is_none() {
                    missing_required.push(format!("'{s}' ([design] strata)"));
                }
            }
            if let Some(c) = &d.cluster {
                cluster = find(c);
                if cluster.is_none() {
                    missing_required.push(format!("'{c}' ([design] cluster)"));
                }
            }
        }

        let to_bytes =
            |v: &Vec<String>| v.iter().map(|s| s.as_bytes().to_vec()).collect::<Vec<_>>();
        let mut vars = Vec::with_capacity(codebook.variables.len());
        let mut item_offsets = Vec::with_capacity(codebook.variables.len());
        let mut n_items = 0;
        for v in &codebook.variables {
            item_offsets.push(n_items);
            let plan = match &v.kind {
                VariableKind::Numeric { missing, min, max } => match find(&v.name) {
                    Some(col) => VarPlan::Numeric {
                        col,
                        missing: to_bytes(missing),
                        missing_values: missing
                            .iter()
                            .filter_map(|m| m.replace(',', ".").parse::<f64>().ok())
                            .collect(),
                        min: min.unwrap_or(f64::NEG_INFINITY),
                        max: max.unwrap_or(f64::INFINITY),
                    },
                    None => {
                        absent_columns.push(v.name.clone());
                        VarPlan::Absent
                    }
                },
                VariableKind::Categorical { values, missing } => match find(&v.name) {
                    Some(col) => VarPlan::Categorical {
                        col,
                        codes: values.iter().map(|c| c.code.as_bytes().to_vec()).collect(),
                        missing: to_bytes(missing),
                    },
                    None => {
                        absent_columns.push(v.name.clone());
                        VarPlan::Absent
                    }
                },
                VariableKind::Multi {
                    selected,
                    unselected,
                    missing,
                    items,
                } => {
                    n_items += items.len();
                    let cols: Vec<Option<usize>> = items.iter().map(|i| find(&i.column)).collect();
                    for (it, c) in items.iter().zip(&cols) {
                        if c.is_none() {
                            absent_columns.push(it.column.clone());
                        }
                    }
                    VarPlan::Multi {
                        // An absent item column is marked with usize::MAX: always missing.
                        cols: cols.into_iter().map(|c| c.unwrap_or(usize::MAX)).collect(),
                        selected: selected.trim().as_bytes().to_vec(),
                        unselected: unselected.trim().as_bytes().to_vec(),
                        missing: to_bytes(missing),
                    }
                }
                VariableKind::Bins { from, bins } => VarPlan::Bins {
                    from: *from,
                    bins: bins.iter().map(|b| (b.min, b.max)).collect(),
                },
            };
            vars.push(plan);
        }
        // A bins variable over an absent numeric variable is absent too.
        for i in 0..vars.len() {
            if let VarPlan::Bins { from, .. } = vars[i] {
                if matches!(vars[from], VarPlan::Absent) {
                    vars[i] = VarPlan::Absent;
                }
            }
        }

        if !missing_required.is_empty() {
            return Err(header_message(&missing_required, &header, codebook));
        }
        if !absent_columns.is_empty() && !allow_absent {
            let list: Vec<String> = absent_columns.iter().map(|c| format!("'{c}'")).collect();
            return Err(header_message(&list, &header, codebook));
        }
        let used: std::collections::HashSet<String> =
            codebook.columns().into_iter().map(|(c, _)| c).collect();
        let unused_columns = header
            .iter()
            .filter(|h| !used.contains(*h))
            .cloned()
            .collect();
        Ok((
            Plan {
                unused_columns,
                header,
                format: codebook.format,
                weight,
                strata,
                cluster,
                vars,
                item_offsets,
                n_items,
            },
            absent_columns,
        ))
    }

    pub fn n_vars(&self) -> usize {
        self.vars.len()
    }

    /// Whether a variable's column(s) exist in this file.
    pub fn is_absent(&self, var: usize) -> bool {
        matches!(self.vars[var], VarPlan::Absent)
    }

    pub fn has_clusters(&self) -> bool {
        self.cluster.is_some()
    }
}

fn header_message(missing: &[String], header: &[String], codebook: &Codebook) -> String {
    let mut msg = format!(
        "the header lacks column{} {} that the codebook uses",
        if missing.len() == 1 { "" } else { "s" },
        missing.join(", ")
    );
    let delim = codebook.format.delimiter as char;
    if header.len() == 1 {
        let other = [',', ';', '\t', '|']
            .into_iter()
            .find(|c| *c != delim && header[0].contains(*c));
        msg.push_str(&format!(
            "; the header has a single column{}",
            match other {
                Some(c) => format!(
                    ", split by {c:?} rather than the codebook's delimiter {delim:?} (set [data] delimiter)"
                ),
                None => String::new(),
            }
        ));
    } else {
        let shown: Vec<&str> = header.iter().take(20).map(|s| s.as_str()).collect();
        msg.push_str(&format!(
            " (header: {}{})",
            shown.join(", "),
            if header.len() > 20 { ", ..." } else { "" }
        ));
    }
    msg
}

/// Interns strata and PSU keys to small indices, so that the hot loop indexes arrays.
#[derive(Debug, Clone, Default)]
pub struct UnitInterner {
    strata: Vec<Vec<u8>>,
    strata_index: HashMap<Vec<u8>, u32>,
    /// With clusters: (stratum index, PSU key) per unit.
    psus: Vec<(u32, Vec<u8>)>,
    /// Per stratum: PSU key to unit index (looked up by slice, so no allocation per row).
    psu_index: Vec<HashMap<Vec<u8>, u32>>,
}

impl UnitInterner {
    fn stratum(&mut self, key: &[u8]) -> u32 {
        // Few strata: a linear scan beats hashing for the usual ten districts.
        if self.strata.len() <= 16 {
            if let Some(i) = self.strata.iter().position(|k| k == key) {
                return i as u32;
            }
        } else if let Some(&i) = self.strata_index.get(key) {
            return i;
        }
        let i = self.strata.len() as u32;
        self.strata.push(key.to_vec());
        self.strata_index.insert(key.to_vec(), i);
        i
    }

    fn psu(&mut self, stratum: u32, key: &[u8]) -> u32 {
        let s = stratum as usize;
        if self.psu_index.len() <= s {
            self.psu_index.resize_with(s + 1, HashMap::new);
        }
        if let Some(&i) = self.psu_index[s].get(key) {
            return i;
        }
        let i = self.psus.len() as u32;
        self.psus.push((stratum, key.to_vec()));
        self.psu_index[s].insert(key.to_vec(), i);
        i
    }

    /// The stratum keys, by local stratum index.
    pub fn strata(&self) -> &[Vec<u8>] {
        &self.strata
    }

    /// The PSU keys (stratum index, PSU id), by local unit index (clustered designs only).
    pub fn psus(&self) -> &[(u32, Vec<u8>)] {
        &self.psus
    }
}

/// Decodes records of one file according to a [`Plan`]. One per worker thread.
pub struct Decoder<'a> {
    plan: &'a Plan,
    pub units: UnitInterner,
    /// Per bins variable: how many rows had a value of its source outside every bin.
    pub outside_bins: Vec<u64>,
}

impl<'a> Decoder<'a> {
    pub fn new(plan: &'a Plan) -> Self {
        Decoder {
            plan,
            units: UnitInterner::default(),
            outside_bins: vec![0; plan.vars.len()],
        }
    }

    pub fn new_row(&self) -> DecodedRow {
        DecodedRow {
            line: 0,
            weight: 1.0,
            unit: 0,
            codes: vec![MISSING_CODE; self.plan.vars.len()],
            numbers: vec![f64::NAN; self.plan.vars.len()],
            items: vec![MISSING_ITEM; self.plan.n_items],
        }
    }

    /// Decode `record` into `row`. Problems are appended to `problems`; returns whether the row
    /// is valid.
    pub fn decode(
        &mut self,
        record: &csv::ByteRecord,
        line: u64,
        row: &mut DecodedRow,
        problems: &mut Vec<RowProblem>,
    ) -> bool {
        let plan = self.plan;
        let before = problems.len();
        row.line = line;
        if record.len() != plan.header.len() {
            problems.push(RowProblem {
                line,
                column: None,
                value: None,
                expected: format!(
                    "found {} field{} where the header has {} (check the delimiter and quoting)",
                    record.len(),
                    if record.len() == 1 { "" } else { "s" },
                    plan.header.len()
                ),
            });
            return false;
        }
        if let Err(e) = std::str::from_utf8(record.as_slice()) {
            // Name the field that holds the bad bytes.
            let mut column = None;
            let mut value = None;
            for (i, f) in record.iter().enumerate() {
                if std::str::from_utf8(f).is_err() {
                    column = Some(plan.header[i].clone());
                    value = Some(String::from_utf8_lossy(f).into_owned());
                    break;
                }
            }
            problems.push(RowProblem {
                line,
                column,
                value,
                expected: format!(
                    "bytes that are not UTF-8 (at byte {} of the record); save the file as UTF-8",
                    e.valid_up_to()
                ),
            });
            return false;
        }
        let field = |i: usize| trim(&record[i]);
        let decimal = plan.format.decimal;

        row.weight = 1.0;
        if let Some(c) = plan.weight {
            let raw = field(c);
            match parse_number(raw, decimal) {
                Ok(w) if w >= 0.0 => row.weight = w,
                Ok(_) => problems.push(problem(line, plan, c, raw, "a weight must be >= 0")),
                Err(why) => problems.push(problem(
                    line,
                    plan,
                    c,
                    raw,
                    &format!("a weight must be a finite number >= 0 ({why})"),
                )),
            }
        }
        let mut stratum = 0;
        if let Some(c) = plan.strata {
            let raw = field(c);
            if raw.is_empty() {
                problems.push(problem(
                    line,
                    plan,
                    c,
                    raw,
                    "every respondent needs a stratum",
                ));
            } else {
                stratum = self.units.stratum(raw);
            }
        } else {
            stratum = self.units.stratum(b"");
        }
        row.unit = stratum;
        if let Some(c) = plan.cluster {
            let raw = field(c);
            if raw.is_empty() {
                problems.push(problem(
                    line,
                    plan,
                    c,
                    raw,
                    "every respondent needs a cluster (PSU) id",
                ));
            } else {
                row.unit = self.units.psu(stratum, raw);
            }
        }

        for (vi, vp) in plan.vars.iter().enumerate() {
            match vp {
                VarPlan::Numeric {
                    col,
                    missing,
                    missing_values,
                    min,
                    max,
                } => {
                    let raw = field(*col);
                    row.numbers[vi] = f64::NAN;
                    if raw.is_empty() || missing.iter().any(|m| m == raw) {
                        continue;
                    }
                    match parse_number(raw, decimal) {
                        Ok(x) if missing_values.contains(&x) => {}
                        Ok(x) if x < *min || x > *max => problems.push(problem(
                            line,
                            plan,
                            *col,
                            raw,
                            &format!(
                                "a value from {} to {} or a missing code",
                                fmt_num(*min),
                                fmt_num(*max)
                            ),
                        )),
                        Ok(x) => row.numbers[vi] = x,
                        Err(why) => problems.push(problem(
                            line,
                            plan,
                            *col,
                            raw,
                            &format!("a number or a declared missing code ({why})"),
                        )),
                    }
                }
                VarPlan::Categorical {
                    col,
                    codes,
                    missing,
                } => {
                    let raw = field(*col);
                    row.codes[vi] = MISSING_CODE;
                    if raw.is_empty() || missing.iter().any(|m| m == raw) {
                        continue;
                    }
                    match codes.iter().position(|c| c == raw) {
                        Some(k) => row.codes[vi] = k as u32,
                        None => problems.push(problem(
                            line,
                            plan,
                            *col,
                            raw,
                            &format!("one of the declared codes {}", code_list(codes, missing)),
                        )),
                    }
                }
                VarPlan::Multi {
                    cols,
                    selected,
                    unselected,
                    missing,
                } => {
                    let off = plan.item_offsets[vi];
                    for (j, &c) in cols.iter().enumerate() {
                        let slot = &mut row.items[off + j];
                        *slot = MISSING_ITEM;
                        if c == usize::MAX {
                            continue;
                        }
                        let raw = field(c);
                        if raw == selected.as_slice() {
                            *slot = 1;
                        } else if raw == unselected.as_slice() {
                            *slot = 0;
                        } else if raw.is_empty() || missing.iter().any(|m| m == raw) {
                        } else {
                            problems.push(problem(
                                line,
                                plan,
                                c,
                                raw,
                                &format!(
                                    "{} (selected), {} (not selected), empty{}",
                                    String::from_utf8_lossy(selected),
                                    String::from_utf8_lossy(unselected),
                                    if missing.is_empty() {
                                        String::new()
                                    } else {
                                        format!(" or a missing code {}", code_list(missing, &[]))
                                    }
                                ),
                            ));
                        }
                    }
                }
                VarPlan::Bins { .. } | VarPlan::Absent => {}
            }
        }
        // Bins after their numeric sources are decoded.
        for (vi, vp) in plan.vars.iter().enumerate() {
            if let VarPlan::Bins { from, bins } = vp {
                let x = row.numbers[*from];
                row.codes[vi] = MISSING_CODE;
                if x.is_nan() {
                    continue;
                }
                match bins.iter().position(|(lo, hi)| *lo <= x && x <= *hi) {
                    Some(k) => row.codes[vi] = k as u32,
                    None => self.outside_bins[vi] += 1,
                }
            }
        }
        problems.len() == before
    }
}

fn problem(line: u64, plan: &Plan, col: usize, raw: &[u8], expected: &str) -> RowProblem {
    RowProblem {
        line,
        column: Some(plan.header[col].clone()),
        value: Some(String::from_utf8_lossy(raw).into_owned()),
        expected: format!("expected {expected}"),
    }
}

fn code_list(codes: &[Vec<u8>], missing: &[Vec<u8>]) -> String {
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

fn fmt_num(x: f64) -> String {
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

/// Trim ASCII white space (SPSS exports pad fields; editors leave trailing spaces).
pub fn trim(b: &[u8]) -> &[u8] {
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let end = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    &b[start..end]
}

/// Parse a decimal number written with `decimal` (b'.' or b',') as its decimal mark, without
/// allocating. Rejects thousands separators, words such as `inf`/`nan`, and empty input; the error
/// says what was wrong.
pub fn parse_number(raw: &[u8], decimal: u8) -> Result<f64, &'static str> {
    if raw.is_empty() {
        return Err("empty");
    }
    let mut buf = [0u8; 64];
    if raw.len() > buf.len() {
        return Err("too long for a number");
    }
    let other = if decimal == b',' { b'.' } else { b',' };
    for (i, &c) in raw.iter().enumerate() {
        buf[i] = match c {
            b'0'..=b'9' | b'+' | b'-' | b'e' | b'E' => c,
            c if c == decimal => b'.',
            c if c == other => {
                return Err(if decimal == b',' {
                    "the decimal mark is ',' per the codebook; '.' is not allowed"
                } else {
                    "the decimal mark is '.' per the codebook; set [data] decimal = \",\" for decimal commas"
                })
            }
            _ => return Err("not a number"),
        };
    }
    let s = std::str::from_utf8(&buf[..raw.len()]).map_err(|_| "not a number")?;
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(x),
        Ok(_) => Err("not finite"),
        Err(_) => Err("not a number"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_with_either_decimal_mark() {
        assert_eq!(parse_number(b"1,25", b','), Ok(1.25));
        assert_eq!(parse_number(b"1.25", b'.'), Ok(1.25));
        assert_eq!(parse_number(b"-3", b','), Ok(-3.0));
        assert_eq!(parse_number(b"2e3", b'.'), Ok(2000.0));
        assert!(parse_number(b"1.25", b',').is_err());
        assert!(parse_number(b"1,25", b'.').unwrap_err().contains("decimal"));
        assert!(parse_number(b"inf", b'.').is_err());
        assert!(parse_number(b"NaN", b'.').is_err());
        assert!(parse_number(b"1e999", b'.').unwrap_err().contains("finite"));
        assert!(parse_number(b"", b'.').is_err());
        assert!(parse_number(b"abc", b'.').is_err());
        assert!(parse_number(b"1.2.3", b'.').is_err());
    }

    #[test]
    fn trims_ascii_white_space() {
        assert_eq!(trim(b"  NL \t"), b"NL");
        assert_eq!(trim(b"   "), b"");
        assert_eq!(trim(b""), b"");
    }
}
