//! Turning one CSV record into typed values, with every problem named.
//!
//! Columns are resolved once against the header ([`Plan::new`](super::plan::Plan::new)); the hot loop then works on byte
//! slices with no allocation per row ([`Decoder::decode`]).

use super::number::{parse_number, trim};
use super::plan::{Plan, VarPlan};
use crate::error::RowProblem;
use std::collections::HashMap;

/// The largest weight accepted: its square times a billion rows stays far below f64::MAX, so the
/// sums of squared weights cannot overflow silently.
pub const MAX_WEIGHT: f64 = 1e100;

/// Marks a missing categorical code or bin in [`DecodedRow::codes`].
pub const MISSING_CODE: u32 = u32::MAX;
/// Marks a missing item in [`DecodedRow::items`].
pub const MISSING_ITEM: u8 = 2;
/// One decoded record. Buffers are reused from row to row.
#[derive(Debug, Clone, Default)]
pub struct DecodedRow {
    /// The file's line number of the record.
    pub line: u64,
    pub weight: f64,
    /// The population size of the row's stratum ([design] fpc), NaN without an fpc column.
    pub fpc: f64,
    /// Index of the sampling unit in the decoder's interner: the stratum, or the PSU when the
    /// design has clusters.
    pub unit: u32,
    /// Per variable: code or bin index, or [`MISSING_CODE`].
    pub codes: Vec<u32>,
    /// Per variable: numeric value, or NaN when missing.
    pub numbers: Vec<f64>,
    /// Multi items, flattened: 0, 1 or [`MISSING_ITEM`].
    pub items: Vec<u8>,
    /// The respondent id's text, when the plan keeps it (`enquete weight`).
    pub id: Vec<u8>,
}
/// Interns strata and PSU keys to small indices, so that the hot loop indexes arrays.
#[derive(Debug, Clone, Default)]
pub struct UnitInterner {
    strata: Vec<Vec<u8>>,
    /// Per stratum: the population size its rows give ([design] fpc), and the line it came from.
    strata_fpc: Vec<(f64, u64)>,
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
        self.strata_fpc.push((f64::NAN, 0));
        self.strata_index.insert(key.to_vec(), i);
        i
    }

    /// The population size of each stratum (by local index) and the line that gave it; NaN
    /// without an fpc column.
    pub fn strata_fpc(&self) -> &[(f64, u64)] {
        &self.strata_fpc
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
            fpc: f64::NAN,
            unit: 0,
            codes: vec![MISSING_CODE; self.plan.vars.len()],
            numbers: vec![f64::NAN; self.plan.vars.len()],
            items: vec![MISSING_ITEM; self.plan.n_items],
            id: Vec::new(),
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
        if plan.keep_id {
            row.id.clear();
            row.id.extend_from_slice(field(plan.id));
        }
        let decimal = plan.format.decimal;

        row.weight = 1.0;
        if let Some(c) = plan.weight {
            let raw = field(c);
            match parse_number(raw, decimal) {
                Ok(w) if (0.0..=MAX_WEIGHT).contains(&w) => row.weight = w,
                Ok(w) if w > MAX_WEIGHT => problems.push(problem(
                    line,
                    plan,
                    c,
                    raw,
                    "a weight of at most 1e100 (larger weights overflow the sums of squared weights; divide every weight by the same number, which leaves every estimate unchanged)",
                )),
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
        row.fpc = f64::NAN;
        if let Some(c) = plan.fpc {
            let raw = field(c);
            match parse_number(raw, decimal) {
                Ok(n) if n >= 1.0 => {
                    row.fpc = n;
                    let seen = &mut self.units.strata_fpc[stratum as usize];
                    if seen.0.is_nan() {
                        *seen = (n, line);
                    } else if seen.0 != n {
                        problems.push(problem(
                            line,
                            plan,
                            c,
                            raw,
                            &format!(
                                "the population size of this row's stratum; line {} gave {} for the same stratum (an fpc must be constant within a stratum)",
                                seen.1,
                                fmt_num(seen.0)
                            ),
                        ));
                    }
                }
                Ok(_) => problems.push(problem(
                    line,
                    plan,
                    c,
                    raw,
                    "a population size of at least 1 (the stratum's N_h)",
                )),
                Err(why) => problems.push(problem(
                    line,
                    plan,
                    c,
                    raw,
                    &format!("a population size, a number ({why})"),
                )),
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
                VarPlan::Bins { .. }
                | VarPlan::RecodeCodes { .. }
                | VarPlan::RecodeNumbers { .. }
                | VarPlan::Absent => {}
            }
        }
        self.derive(line, row, problems);
        self.require(line, row, problems);
        problems.len() == before
    }

    /// Every weighting variable needs a valid value: R refuses missing values there too.
    fn require(&self, line: u64, row: &DecodedRow, problems: &mut Vec<RowProblem>) {
        for &v in &self.plan.required {
            if row.codes[v] == MISSING_CODE && !matches!(self.plan.vars[v], VarPlan::Absent) {
                problems.push(RowProblem {
                    line,
                    column: Some(self.plan.names[v].clone()),
                    value: None,
                    expected: format!(
                        "a valid value of '{}': it is a [weighting] variable, and a respondent without one cannot be weighted",
                        self.plan.names[v]
                    ),
                });
            }
        }
    }

    /// Derived variables (bins, recodes) after their sources are decoded.
    fn derive(&mut self, line: u64, row: &mut DecodedRow, problems: &mut Vec<RowProblem>) {
        let plan = self.plan;
        for (vi, vp) in plan.vars.iter().enumerate() {
            match vp {
                VarPlan::Bins { from, bins } => {
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
                VarPlan::RecodeCodes { from, map } => {
                    let c = row.codes[*from];
                    row.codes[vi] = if c == MISSING_CODE {
                        MISSING_CODE
                    } else {
                        map[c as usize]
                    };
                }
                VarPlan::RecodeNumbers { from, map } => {
                    let x = row.numbers[*from];
                    row.codes[vi] = MISSING_CODE;
                    if x.is_nan() {
                        continue;
                    }
                    match map.iter().find(|(v, _)| *v == x) {
                        Some((_, t)) => row.codes[vi] = *t,
                        None => problems.push(unlisted(line, plan, *from, vi, x)),
                    }
                }
                _ => {}
            }
        }
    }
}

/// A number a recode does not list.
fn unlisted(line: u64, plan: &Plan, from: usize, recode: usize, x: f64) -> RowProblem {
    let col = match &plan.vars[from] {
        VarPlan::Numeric { col, .. } => plan.header[*col].clone(),
        _ => String::new(),
    };
    RowProblem {
        line,
        column: Some(col),
        value: Some(fmt_num(x)),
        expected: format!(
            "a value that recode '{}' lists (or a missing code)",
            plan.names[recode]
        ),
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
