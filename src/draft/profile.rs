//! What a column holds, gathered one text cell at a time: how many cells are filled, its
//! distinct values while they are few, whether every value is a number (and with which decimal
//! mark), an integer, a date, or part of a running number. Any reader that gives rows of text
//! cells (CSV today; spreadsheets and Parquet later) feeds the same profile.

use crate::text::number::parse_number;
use std::collections::BTreeMap;

/// More distinct values than this and a column is not a set of codes.
pub const MAX_CODES: usize = 30;

/// An area column (by its name) keeps up to this many codes: neighbourhoods run into the
/// hundreds, and every code must be declared.
pub const MAX_AREA_CODES: usize = 1000;

/// How many of the largest and smallest distinct numbers are kept: enough to see a missing
/// code such as 999 (or 998 and 999) standing apart from the rest.
const EXTREMES: usize = 4;

/// Everything drafting learns about one column.
#[derive(Debug, Clone)]
pub struct ColumnProfile {
    pub non_empty: u64,
    /// Distinct values (trimmed) with their counts, while there are at most [`MAX_CODES`].
    pub codes: BTreeMap<String, u64>,
    /// More than `max_codes` distinct values were seen (`codes` is then incomplete).
    pub overflow: bool,
    /// How many distinct values are kept ([`MAX_CODES`], or [`MAX_AREA_CODES`] for an area).
    pub max_codes: usize,
    /// Every value parses as a number with `.` (resp. `,`) as the decimal mark.
    point_ok: bool,
    comma_ok: bool,
    /// Values written with a decimal point (resp. comma): votes for the file's decimal mark.
    pub point_marks: u64,
    pub comma_marks: u64,
    /// Every value is an integer written without a decimal mark or exponent.
    pub integer: bool,
    /// Every value exceeds the one before it (a running number).
    pub increasing: bool,
    last: f64,
    /// The largest distinct numbers, largest first.
    pub top: Vec<f64>,
    /// The smallest distinct numbers, smallest first.
    pub bottom: Vec<f64>,
    /// Values that are dates (with or without a time).
    pub dates: u64,
    /// An example value, for comments.
    pub example: Option<String>,
}

impl Default for ColumnProfile {
    fn default() -> Self {
        ColumnProfile {
            non_empty: 0,
            codes: BTreeMap::new(),
            overflow: false,
            max_codes: MAX_CODES,
            point_ok: true,
            comma_ok: true,
            point_marks: 0,
            comma_marks: 0,
            integer: true,
            increasing: true,
            last: f64::NEG_INFINITY,
            top: Vec::new(),
            bottom: Vec::new(),
            dates: 0,
            example: None,
        }
    }
}

impl ColumnProfile {
    /// Take one cell (empty cells are missing and only counted by their absence).
    pub fn add(&mut self, cell: &str) {
        let v = cell.trim();
        if v.is_empty() {
            return;
        }
        self.non_empty += 1;
        if self.example.is_none() {
            self.example = Some(v.chars().take(40).collect());
        }
        // A value longer than a codebook text may be is no code: the column is free text (a
        // draft that declared it would be refused when read back).
        if v.len() > crate::codebook::MAX_TEXT && v.chars().count() > crate::codebook::MAX_TEXT {
            self.overflow = true;
            self.codes.clear();
        }
        if !self.overflow {
            *self.codes.entry(v.to_string()).or_default() += 1;
            if self.codes.len() > self.max_codes {
                self.overflow = true;
                self.codes.clear();
            }
        }
        if is_date(v) {
            self.dates += 1;
        }
        if self.point_ok || self.comma_ok {
            self.add_number(v);
        }
    }

    fn add_number(&mut self, v: &str) {
        let has_comma = v.contains(',');
        let has_point = v.contains('.');
        let mark = if has_comma { b',' } else { b'.' };
        let x = match parse_number(v.as_bytes(), mark) {
            Ok(x) if !(has_comma && has_point) => x,
            _ => {
                self.point_ok = false;
                self.comma_ok = false;
                return;
            }
        };
        if has_comma {
            self.point_ok = false;
            self.comma_marks += 1;
        }
        if has_point {
            self.comma_ok = false;
            self.point_marks += 1;
        }
        if has_comma || has_point || x.fract() != 0.0 || v.contains(['e', 'E']) {
            self.integer = false;
        }
        self.increasing &= x > self.last;
        self.last = x;
        keep_extreme(&mut self.top, x, |a, b| a > b);
        keep_extreme(&mut self.bottom, x, |a, b| a < b);
    }

    /// Whether every value is a number with this decimal mark (and there is a value).
    pub fn numeric(&self, decimal: u8) -> bool {
        self.non_empty > 0
            && if decimal == b',' {
                self.comma_ok
            } else {
                self.point_ok
            }
    }

    /// Whether every value is a date.
    pub fn all_dates(&self) -> bool {
        self.non_empty > 0 && self.dates == self.non_empty
    }

    /// The number of distinct values, when they are few enough to be codes.
    pub fn code_count(&self) -> Option<usize> {
        (!self.overflow).then_some(self.codes.len())
    }
}

/// Insert `x` into a short list ordered by `before`, keeping only distinct values.
fn keep_extreme(list: &mut Vec<f64>, x: f64, before: impl Fn(f64, f64) -> bool) {
    if list.contains(&x) {
        return;
    }
    let at = list
        .iter()
        .position(|&y| before(x, y))
        .unwrap_or(list.len());
    if at < EXTREMES {
        list.insert(at, x);
        list.truncate(EXTREMES);
    }
}

/// Profiles of every column of a table, fed one row of text cells at a time.
#[derive(Debug, Clone)]
pub struct TableProfile {
    pub columns: Vec<ColumnProfile>,
    pub rows: u64,
}

impl TableProfile {
    pub fn new(width: usize) -> Self {
        TableProfile {
            columns: vec![ColumnProfile::default(); width],
            rows: 0,
        }
    }

    /// Profiles for the columns of this header: area columns keep more codes.
    pub fn for_header(header: &[String]) -> Self {
        let mut p = TableProfile::new(header.len());
        for (c, name) in p.columns.iter_mut().zip(header) {
            if super::names::is_area_name(name) {
                c.max_codes = MAX_AREA_CODES;
            }
        }
        p
    }

    /// Take one row; cells beyond the header's width are ignored, missing cells are empty.
    pub fn add_row<'a>(&mut self, cells: impl IntoIterator<Item = &'a str>) {
        self.rows += 1;
        for (column, cell) in self.columns.iter_mut().zip(cells) {
            column.add(cell);
        }
    }

    /// The decimal mark most numbers are written with: `,` only when more values are written
    /// with a comma than with a point, in columns that are numbers with a comma.
    pub fn decimal_mark(&self) -> u8 {
        let votes = |mark: u8| -> u64 {
            self.columns
                .iter()
                .filter(|c| c.numeric(mark))
                .map(|c| {
                    if mark == b',' {
                        c.comma_marks
                    } else {
                        c.point_marks
                    }
                })
                .sum()
        };
        if votes(b',') > votes(b'.') {
            b','
        } else {
            b'.'
        }
    }
}

/// A date as survey tools export them: 2023-09-21, 2023/09/21, 21-09-2023, 21/09/2023 or
/// 21.09.2023 (day and month may have one digit), optionally followed by a time (`14:05`,
/// `14:05:59`, `14:05:59.123`) after a space or `T`, and a `Z`.
pub fn is_date(v: &str) -> bool {
    let (date, time) = match v.find([' ', 'T']) {
        Some(i) => (&v[..i], Some(v[i + 1..].trim_end_matches('Z'))),
        None => (v, None),
    };
    let Some(sep) = date.chars().find(|c| ['-', '/', '.'].contains(c)) else {
        return false;
    };
    let parts: Vec<&str> = date.split(sep).collect();
    let [a, b, c] = parts[..] else {
        return false;
    };
    let digits = |s: &str, lo: usize, hi: usize| {
        (lo..=hi).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    let num = |s: &str| s.parse::<u32>().unwrap_or(0);
    let day_month = |d: &str, m: &str| {
        let (d, m) = (num(d), num(m));
        // Month-first (US) dates are dates too: either order must be plausible.
        ((1..=31).contains(&d) && (1..=12).contains(&m))
            || ((1..=12).contains(&d) && (1..=31).contains(&m))
    };
    let ymd = digits(a, 4, 4) && digits(b, 1, 2) && digits(c, 1, 2) && day_month(c, b);
    let dmy = digits(a, 1, 2) && digits(b, 1, 2) && digits(c, 4, 4) && day_month(a, b);
    (ymd || dmy) && time.is_none_or(is_time)
}

fn is_time(t: &str) -> bool {
    let mut parts = t.split(':');
    let ok = |s: Option<&str>, max: u32| {
        s.is_some_and(|s| {
            (1..=2).contains(&s.len())
                && s.bytes().all(|b| b.is_ascii_digit())
                && s.parse::<u32>().is_ok_and(|x| x <= max)
        })
    };
    if !ok(parts.next(), 23) || !ok(parts.next(), 59) {
        return false;
    }
    match parts.next() {
        None => true,
        Some(s) => {
            let whole = s.split('.').next().unwrap_or("");
            let frac_ok = s
                .split_once('.')
                .is_none_or(|(_, f)| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
            ok(Some(whole), 60) && frac_ok && parts.next().is_none()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_the_usual_forms() {
        for d in [
            "2023-09-21",
            "21-09-2023",
            "21/09/2023",
            "1/9/2023",
            "09/21/2023",
            "21.09.2023",
            "2023-09-21 14:05",
            "2023-09-21T14:05:59",
            "2023-09-21T14:05:59.250Z",
            "21-09-2023 9:05",
        ] {
            assert!(is_date(d), "{d}");
        }
        for d in [
            "2023",
            "1,5",
            "21-09",
            "2023-13-40",
            "32/13/2023",
            "12-34-56",
            "2023-09-21 25:00",
            "2023-09-21 kwart over",
            "A-B-C",
        ] {
            assert!(!is_date(d), "{d}");
        }
    }

    #[test]
    fn numbers_with_either_mark_and_running_numbers() {
        let mut p = ColumnProfile::default();
        for v in ["1", "2", " 5 ", "", "999"] {
            p.add(v);
        }
        assert!(p.numeric(b'.') && p.numeric(b','));
        assert!(p.integer && p.increasing);
        assert_eq!(p.top, [999.0, 5.0, 2.0, 1.0]);
        assert_eq!(p.non_empty, 4);
        let mut w = ColumnProfile::default();
        for v in ["0,5", "1,25", "1"] {
            w.add(v);
        }
        assert!(w.numeric(b',') && !w.numeric(b'.') && !w.integer);
        let mut t = ColumnProfile::default();
        t.add("1");
        t.add("NL");
        assert!(!t.numeric(b'.') && !t.numeric(b','));
    }

    #[test]
    fn extremes_keep_distinct_values_in_order() {
        let mut p = ColumnProfile::default();
        for v in ["5", "3", "9", "9", "1", "7", "2", "8"] {
            p.add(v);
        }
        assert_eq!(p.top, [9.0, 8.0, 7.0, 5.0]);
        assert_eq!(p.bottom, [1.0, 2.0, 3.0, 5.0]);
        assert!(!p.increasing);
    }

    #[test]
    fn many_distinct_values_overflow() {
        let mut p = ColumnProfile::default();
        for i in 0..=MAX_CODES {
            p.add(&format!("x{i}"));
        }
        assert!(p.overflow && p.code_count().is_none());
    }
}
