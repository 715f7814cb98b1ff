//! Turning one CSV record into typed values, with every problem named.
//!
//! Columns are resolved once against the header ([`Plan::new`](super::plan::Plan::new)); the hot loop then works on byte
//! slices with no allocation per row ([`Decoder::decode`]), whatever the file format ([`Fields`]).

mod problems;

pub use super::interner::UnitInterner;
use super::lookup::{pack, EMPTY, LONG};
use super::plan::{Plan, VarPlan};
use crate::input::error::RowProblem;
use crate::text::number::{parse_number, trim};
use problems::{code_list, fmt_num, multi_item, problem, unlisted};

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
/// The fields of one record, however it was read (CSV bytes, or text made from SPSS, Excel or
/// Parquet values).
pub trait Fields {
    fn count(&self) -> usize;
    fn field(&self, i: usize) -> &[u8];
    /// Field `i` trimmed and [`pack`]ed: `None` when it is longer than a key holds. A reader
    /// that can look past the field's end reads it in one load.
    #[inline]
    fn key(&self, i: usize) -> Option<u64> {
        pack(trim(self.field(i)))
    }
    /// Whether a field may hold a NUL byte or bytes that are not UTF-8 (then every field is
    /// checked); false only when the reader knows each byte is ASCII text.
    fn needs_text_check(&self) -> bool;
}

impl Fields for csv::ByteRecord {
    fn count(&self) -> usize {
        self.len()
    }
    fn field(&self, i: usize) -> &[u8] {
        &self[i]
    }
    fn needs_text_check(&self) -> bool {
        let all = self.as_slice();
        !all.is_ascii() || memchr::memchr(0, all).is_some()
    }
}

/// Decodes records of one file according to a [`Plan`]. One per worker thread.
pub struct Decoder<'a> {
    plan: &'a Plan,
    pub units: UnitInterner,
    /// Per bins variable: how many rows had a value of its source outside every bin.
    pub outside_bins: Vec<u64>,
    /// Per header column: whether the codebook reads it.
    used: Vec<bool>,
    /// The variables read from columns (numeric, categorical, select-all), the scales, and the
    /// variables derived from others (bins, recodes), each in codebook order: the row's loops
    /// visit only these.
    read: Vec<usize>,
    scales: Vec<usize>,
    derived: Vec<usize>,
    /// Text that is not UTF-8 in columns the codebook does not use (read all the same).
    pub not_utf8: NotUtf8,
}

/// Where a file held text that is not UTF-8 in columns nobody reads: the rows, and the first
/// (line, column).
#[derive(Debug, Clone, Copy, Default)]
pub struct NotUtf8 {
    pub rows: u64,
    pub first: Option<(u64, usize)>,
}

impl NotUtf8 {
    pub fn merge(&mut self, other: NotUtf8) {
        self.rows += other.rows;
        self.first = match (self.first, other.first) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
}

impl<'a> Decoder<'a> {
    pub fn new(plan: &'a Plan) -> Self {
        let mut used = vec![false; plan.header.len()];
        for c in plan.used_columns() {
            used[c] = true;
        }
        let of = |keep: fn(&VarPlan) -> bool| -> Vec<usize> {
            (0..plan.vars.len())
                .filter(|&v| keep(&plan.vars[v]))
                .collect()
        };
        Decoder {
            plan,
            units: UnitInterner::default(),
            outside_bins: vec![0; plan.vars.len()],
            used,
            read: of(|v| {
                matches!(
                    v,
                    VarPlan::Numeric { .. } | VarPlan::Categorical { .. } | VarPlan::Multi { .. }
                )
            }),
            scales: of(|v| matches!(v, VarPlan::Scale { .. })),
            derived: of(|v| {
                matches!(
                    v,
                    VarPlan::Bins { .. }
                        | VarPlan::RecodeCodes { .. }
                        | VarPlan::RecodeNumbers { .. }
                )
            }),
            not_utf8: NotUtf8::default(),
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
    pub fn decode<R: Fields + ?Sized>(
        &mut self,
        record: &R,
        line: u64,
        row: &mut DecodedRow,
        problems: &mut Vec<RowProblem>,
    ) -> bool {
        let before = problems.len();
        row.line = line;
        if !self.check_shape(record, line, problems) {
            return false;
        }
        if self.plan.keep_id {
            row.id.clear();
            row.id.extend_from_slice(trim(record.field(self.plan.id)));
        }
        self.decode_design(record, line, row, problems);
        self.decode_values(record, line, row, problems);
        self.derive(record, line, row, problems);
        self.require(record, line, row, problems, before);
        problems.len() == before
    }

    /// The record has the header's number of fields, and its fields are text: UTF-8 without NUL
    /// bytes. A problem here makes the rest meaningless, so the row stops at it.
    fn check_shape<R: Fields + ?Sized>(
        &mut self,
        record: &R,
        line: u64,
        problems: &mut Vec<RowProblem>,
    ) -> bool {
        let plan = self.plan;
        let n = record.count();
        if n != plan.header.len() {
            problems.push(RowProblem {
                line,
                column: None,
                value: None,
                expected: format!(
                    "found {n} field{} where the header has {} (check the delimiter and quoting)",
                    if n == 1 { "" } else { "s" },
                    plan.header.len()
                ),
            });
            return false;
        }
        if !record.needs_text_check() {
            return true;
        }
        let mut unused_bad = false;
        for i in 0..n {
            let f = record.field(i);
            let why = match (memchr::memchr(0, f), std::str::from_utf8(f)) {
                (Some(at), _) => format!(
                    "text, but byte {} of the field is a NUL byte (binary data, or a file saved as UTF-16?)",
                    at + 1
                ),
                // Text nobody reads may be in any encoding; where it was seen is said once.
                (None, Err(_)) if !self.used[i] => {
                    if !unused_bad {
                        unused_bad = true;
                        self.not_utf8.rows += 1;
                        self.not_utf8.first.get_or_insert((line, i));
                    }
                    continue;
                }
                (None, Err(e)) => format!(
                    "UTF-8 text, but byte {} of the field (0x{:02X}) is not UTF-8; if the file comes from Excel, say its encoding: [data] encoding = \"windows-1252\" (or --encoding windows-1252), else save it as UTF-8",
                    e.valid_up_to() + 1,
                    f[e.valid_up_to()]
                ),
                (None, Ok(_)) => continue,
            };
            problems.push(RowProblem {
                line,
                column: Some(plan.header[i].clone()),
                value: Some(String::from_utf8_lossy(f).into_owned()),
                expected: format!("expected {why}"),
            });
            return false;
        }
        true
    }

    /// Weight, stratum, PSU and population size.
    fn decode_design<R: Fields + ?Sized>(
        &mut self,
        record: &R,
        line: u64,
        row: &mut DecodedRow,
        problems: &mut Vec<RowProblem>,
    ) {
        let plan = self.plan;
        let field = |i: usize| trim(record.field(i));
        row.weight = 1.0;
        if let Some(c) = plan.weight {
            let raw = field(c);
            match parse_number(raw, plan.format.decimal) {
                Ok(w) if (0.0..=MAX_WEIGHT).contains(&w) => row.weight = w,
                Ok(w) if w > MAX_WEIGHT => problems.push(problem(
                    line,
                    plan,
                    c,
                    raw,
                    "a weight of at most 1e100 (larger weights overflow the sums of squared weights; divide every weight by the same number, which leaves every estimate unchanged)",
                )),
                Ok(_) => problems.push(problem(line, plan, c, raw, "a weight of 0 or more")),
                Err(why) => problems.push(problem(
                    line,
                    plan,
                    c,
                    raw,
                    &format!(
                        "a weight: a number of 0 or more ({})",
                        self.number_why(why)
                    ),
                )),
            }
        }
        let mut stratum = 0;
        if let Some(c) = plan.strata {
            let key = record.key(c);
            if key == EMPTY {
                problems.push(problem(
                    line,
                    plan,
                    c,
                    field(c),
                    "every respondent needs a stratum",
                ));
            } else {
                stratum = self.units.stratum_by_key(key, || field(c));
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
            self.decode_fpc(c, field(c), stratum, line, row, problems);
        }
    }

    /// The population size of the row's stratum: at least 1, the same on every row of it.
    fn decode_fpc(
        &mut self,
        c: usize,
        raw: &[u8],
        stratum: u32,
        line: u64,
        row: &mut DecodedRow,
        problems: &mut Vec<RowProblem>,
    ) {
        let plan = self.plan;
        match parse_number(raw, plan.format.decimal) {
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
                &format!("a population size, a number ({})", self.number_why(why)),
            )),
        }
    }

    /// Numeric, categorical and multi variables from their columns.
    fn decode_values<R: Fields + ?Sized>(
        &mut self,
        record: &R,
        line: u64,
        row: &mut DecodedRow,
        problems: &mut Vec<RowProblem>,
    ) {
        let plan = self.plan;
        let field = |i: usize| trim(record.field(i));
        for &vi in &self.read {
            let vp = &plan.vars[vi];
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
                    if raw.is_empty() || (!missing.is_empty() && missing.contains(raw)) {
                        continue;
                    }
                    match parse_number(raw, plan.format.decimal) {
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
                            &format!(
                                "a number or a declared missing code ({})",
                                self.number_why(why)
                            ),
                        )),
                    }
                }
                VarPlan::Categorical {
                    col,
                    codes,
                    missing,
                } => {
                    row.codes[vi] = MISSING_CODE;
                    let key = record.key(*col);
                    let raw = || field(*col);
                    if key == EMPTY || missing.contains_key(key, raw) {
                        continue;
                    }
                    match codes.find_key(key, raw) {
                        Some(k) => row.codes[vi] = k,
                        None => problems.push(problem(
                            line,
                            plan,
                            *col,
                            raw(),
                            &format!(
                                "one of the declared codes {}",
                                code_list(codes.as_slice(), missing.as_slice())
                            ),
                        )),
                    }
                }
                VarPlan::Multi { cols, keys, .. } => {
                    let off = plan.item_offsets[vi];
                    let items = &mut row.items[off..off + cols.len()];
                    for (item, &c) in items.iter_mut().zip(cols) {
                        *item = if c == usize::MAX {
                            MISSING_ITEM
                        } else {
                            // The usual answers first, told by their keys (without a branch
                            // on which one it is); the rest (empty, missing codes, long texts,
                            // problems) as before.
                            let key = record.key(c).unwrap_or(LONG);
                            let (is_selected, is_unselected) = (key == keys.0, key == keys.1);
                            if is_selected | is_unselected {
                                u8::from(is_selected)
                            } else {
                                multi_item(vp, vi, field(c), line, plan, c, problems)
                            }
                        };
                    }
                }
                VarPlan::Bins { .. }
                | VarPlan::RecodeCodes { .. }
                | VarPlan::RecodeNumbers { .. }
                | VarPlan::Scale { .. }
                | VarPlan::Absent => {}
            }
        }
    }

    /// Why a number did not parse, in the words of the file's format: `[data] decimal` only
    /// concerns CSV files.
    fn number_why(&self, why: &'static str) -> &'static str {
        if self.plan.text_records && why.starts_with("the decimal mark") {
            "numbers in this format use '.' as the decimal mark; [data] does not apply"
        } else {
            why
        }
    }

    /// Every weighting variable needs a valid value unless `[weighting] unknown =
    /// "own-category"`: R refuses missing values there too. A value already reported as invalid
    /// (problems after `before`) is not reported twice.
    fn require<R: Fields + ?Sized>(
        &self,
        record: &R,
        line: u64,
        row: &DecodedRow,
        problems: &mut Vec<RowProblem>,
        before: usize,
    ) {
        let plan = self.plan;
        for &v in &plan.required {
            if row.codes[v] != MISSING_CODE || matches!(plan.vars[v], VarPlan::Absent) {
                continue;
            }
            let col = plan.source_column(v);
            let column = col.map(|c| plan.header[c].clone());
            if problems[before..].iter().any(|p| p.column == column) {
                continue;
            }
            let name = &plan.names[v];
            let from = match &column {
                Some(c) if c != name => format!(" (from '{c}')"),
                _ => String::new(),
            };
            problems.push(RowProblem {
                line,
                value: col.map(|c| String::from_utf8_lossy(trim(record.field(c))).into_owned()),
                column,
                expected: format!(
                    "expected a valid value of '{name}'{from}, a [weighting] variable: a respondent without one cannot be weighted; set [weighting] unknown = \"own-category\" to weight respondents without a value as a category of their own"
                ),
            });
        }
    }

    /// Derived variables (bins, recodes) after their sources are decoded.
    fn derive<R: Fields + ?Sized>(
        &mut self,
        record: &R,
        line: u64,
        row: &mut DecodedRow,
        problems: &mut Vec<RowProblem>,
    ) {
        let plan = self.plan;
        // Scales first: their items are decoded columns, and bins or recodes may read a scale.
        for &vi in &self.scales {
            if let VarPlan::Scale { items, scale } = &plan.vars[vi] {
                let score = scale.score(items.values(row));
                row.numbers[vi] = score;
            }
        }
        for &vi in &self.derived {
            match &plan.vars[vi] {
                VarPlan::Bins { from, bins } => {
                    let x = row.numbers[*from];
                    row.codes[vi] = MISSING_CODE;
                    if x.is_nan() {
                        continue;
                    }
                    match bins.find(x) {
                        Some(k) => row.codes[vi] = k,
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
                    match map.get(x) {
                        Some(t) => row.codes[vi] = t,
                        None => problems.push(unlisted(record, line, plan, *from, vi)),
                    }
                }
                _ => {}
            }
        }
    }
}
