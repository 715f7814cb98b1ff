//! The significance marks of a table's cells, read from its comparisons: ▲▼ against the total,
//! `*` for the two groups of a two-group breakdown, and column letters.

use super::TableResult;
use crate::present::{mark, MarkKinds};
use crate::stats::compare::HolmScope;
use crate::stats::{Breakdown, Comparison, Estimate, GroupKey};

/// Column letters: A, B, …, Z, AA, AB, …
pub fn letter(i: usize) -> String {
    let mut s = String::new();
    let mut n = i + 1;
    while n > 0 {
        let r = (n - 1) % 26;
        s.insert(0, (b'A' + r as u8) as char);
        n = (n - 1) / 26;
    }
    s
}

impl TableResult {
    /// The groups of a breakdown in order of appearance (the columns that get letters).
    pub fn columns(&self, by: &Breakdown) -> Vec<&GroupKey> {
        let mut out: Vec<&GroupKey> = Vec::new();
        for e in self.estimates.iter().filter(|e| e.by == *by) {
            if !out.contains(&&e.group) {
                out.push(&e.group);
            }
        }
        out
    }

    /// A column's letter, when the table shows letters.
    pub fn column_letter(&self, by: &Breakdown, group: &GroupKey) -> Option<String> {
        if !self.letters || by.is_total() {
            return None;
        }
        self.columns(by)
            .iter()
            .position(|g| *g == group)
            .map(letter)
    }

    /// The crude comparisons between groups (not against a benchmark) of a cell's answer.
    fn crude<'a>(&'a self, e: &'a Estimate) -> impl Iterator<Item = &'a Comparison> + 'a {
        self.comparisons.iter().filter(move |c| {
            c.standardized.is_none()
                && c.group_a != GroupKey::Benchmark
                && c.between == e.by
                && c.variable == e.variable
                && c.category == e.category
                && c.statistic == e.statistic
        })
    }

    /// ↑ or ↓ when the cell differs significantly from its external benchmark.
    pub fn benchmark_mark(&self, e: &Estimate) -> Option<&'static str> {
        self.comparisons
            .iter()
            .filter(|c| c.group_a == GroupKey::Benchmark && c.significant == Some(true))
            .find(|c| {
                c.between == e.by
                    && c.group_b == e.group
                    && c.variable == e.variable
                    && c.category == e.category
                    && c.statistic == e.statistic
            })
            .map(|c| {
                if c.difference > 0.0 {
                    mark::ABOVE_BENCHMARK
                } else {
                    mark::BELOW_BENCHMARK
                }
            })
    }

    /// The letters of the columns this cell is significantly higher than.
    pub fn letters_of(&self, e: &Estimate) -> String {
        self.letters_list(e).join("")
    }

    /// The letters of the columns this cell is significantly higher than, one by one.
    pub fn letters_list(&self, e: &Estimate) -> Vec<String> {
        let mut higher: Vec<String> = Vec::new();
        for c in self.crude(e).filter(|c| c.holm_scope == HolmScope::Row) {
            if c.significant != Some(true) {
                continue;
            }
            let other = if c.group_b == e.group && c.difference > 0.0 {
                &c.group_a
            } else if c.group_a == e.group && c.difference < 0.0 {
                &c.group_b
            } else {
                continue;
            };
            if let Some(l) = self.column_letter(&e.by, other) {
                higher.push(l);
            }
        }
        higher.sort_by(|a, b| (a.len(), a).cmp(&(b.len(), b)));
        higher
    }

    /// ▲ or ▼ when the cell differs significantly from the total.
    pub fn total_mark(&self, e: &Estimate) -> Option<&'static str> {
        self.crude(e)
            .filter(|c| c.holm_scope == HolmScope::Table && c.group_a == GroupKey::Total)
            .find(|c| c.group_b == e.group && c.significant == Some(true))
            .map(|c| {
                if c.difference > 0.0 {
                    mark::HIGHER
                } else {
                    mark::LOWER
                }
            })
    }

    /// Whether the cell's group differs significantly from the other group of a two-group
    /// breakdown (crude pairs, Holm over the table).
    pub fn pair_mark(&self, e: &Estimate) -> bool {
        self.crude(e)
            .filter(|c| c.holm_scope == HolmScope::Table)
            .filter(|c| matches!(c.group_a, GroupKey::Codes(_)))
            .any(|c| (c.group_a == e.group || c.group_b == e.group) && c.significant == Some(true))
    }

    /// The marks a cell shows: letters when the table shows letters, else ▲▼ and `*`; then
    /// ↑↓ against a benchmark (also in the whole sample's column).
    pub fn marks(&self, e: &Estimate) -> String {
        let mut s = String::new();
        if !e.by.is_total() {
            if self.letters {
                let l = self.letters_of(e);
                if !l.is_empty() {
                    s = format!(" {l}");
                }
            } else {
                if let Some(m) = self.total_mark(e) {
                    s.push_str(m);
                }
                if self.pair_mark(e) {
                    s.push_str(mark::SIGNIFICANT);
                }
            }
        }
        if let Some(m) = self.benchmark_mark(e) {
            s.push_str(m);
        }
        s
    }

    /// The comparisons a readable page lists row by row: pairs of groups (two-group breakdowns
    /// and the `[compare]` section). Comparisons against the total and the pairs behind column
    /// letters show as marks in the table instead (all are in comparisons.csv).
    pub fn listed_comparisons(&self) -> Vec<&Comparison> {
        self.comparisons
            .iter()
            .filter(|c| c.holm_scope == HolmScope::Table && matches!(c.group_a, GroupKey::Codes(_)))
            .collect()
    }

    /// A column heading: the group's label, with its letter when the table shows letters.
    pub fn column_heading(&self, by: &Breakdown, group: &GroupKey, label: &str) -> String {
        match self.column_letter(by, group) {
            Some(l) => format!("{label} ({l})"),
            None => label.to_string(),
        }
    }

    /// Which kinds of marks the table can show (for its legend).
    pub fn mark_kinds(&self) -> MarkKinds {
        let tested = |f: &dyn Fn(&Comparison) -> bool| self.comparisons.iter().any(f);
        MarkKinds {
            letters: self.letters,
            total: !self.letters
                && tested(&|c| c.group_a == GroupKey::Total && c.holm_scope == HolmScope::Table),
            pairs: !self.letters
                && tested(&|c| {
                    c.standardized.is_none()
                        && c.holm_scope == HolmScope::Table
                        && matches!(c.group_a, GroupKey::Codes(_))
                }),
            benchmark: tested(&|c| c.group_a == GroupKey::Benchmark),
            untested: self
                .comparisons
                .iter()
                .any(|c| c.significant.is_none() && c.note.is_some()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_run_past_z() {
        assert_eq!(letter(0), "A");
        assert_eq!(letter(25), "Z");
        assert_eq!(letter(26), "AA");
        assert_eq!(letter(27), "AB");
    }
}
