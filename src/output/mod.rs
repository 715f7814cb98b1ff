//! Writers for tidy estimates, one module per format.

pub mod comparisons;
pub mod csv;
pub mod html;
pub mod independence;
pub mod json;
pub mod kerncijfers;
pub mod markdown;
pub mod text;
pub mod tidy;
pub mod xlsx;

use crate::present::Vocabulary;
use crate::stats::{Breakdown, Estimate, GroupKey};
use std::io::Write;

/// Output formats of `crosstab`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned, readable in a terminal.
    Text,
    /// Tidy CSV, one row per estimate.
    Csv,
    /// Tidy JSON, an array of objects.
    Json,
}

/// What a reader needs to know about a table besides its rows.
#[derive(Debug, Clone)]
pub struct TableHeading {
    pub name: String,
    pub label: String,
    /// The design and interval methods in words.
    pub description: String,
    pub legend: crate::present::Legend,
    /// The minimum base for a test (for the legend).
    pub min_base: u64,
}

/// One table as text (with its marks and legends), or its estimates as tidy CSV or JSON.
pub fn write_estimates(
    format: Format,
    heading: &TableHeading,
    result: &crate::report::TableResult,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        Format::Text => text::write(heading, result, out),
        Format::Csv => csv::write(&result.estimates, out),
        Format::Json => json::write(&result.estimates, out),
    }
}

/// One column of a laid-out table: a group of a breakdown.
#[derive(Debug, Clone, PartialEq)]
pub struct Column<'a> {
    pub by: &'a Breakdown,
    pub group: &'a GroupKey,
    pub label: &'a str,
}

/// A table's estimates laid out as the readable formats show them: groups across (in order of
/// appearance: the whole sample, then each breakdown's groups), categories down; or, for a
/// statement battery, statements down ([`Matrix::answers`], [`Matrix::statements`]).
pub struct Matrix<'a> {
    pub groups: Vec<Column<'a>>,
    /// The rows: each statistic's categories, in order of appearance.
    pub categories: Vec<MatrixRow<'a>>,
    /// The estimate of each (row, column).
    cells: Vec<Vec<Option<&'a Estimate>>>,
}

/// One row of a laid-out table: a category (or quantile) of one statistic of one variable, or
/// a statement of a battery.
#[derive(Debug, Clone, PartialEq)]
pub struct MatrixRow<'a> {
    pub variable: &'a str,
    pub statistic: crate::keys::Statistic,
    pub key: &'a str,
    pub label: String,
    /// The row's own unweighted base, when its columns share it (a battery's statement in the
    /// whole sample: every answer of it has the same respondents), said in its heading.
    pub base: Option<u64>,
}

impl MatrixRow<'_> {
    /// The row's heading in `v`'s words (a total is marked as a number of residents; a row with
    /// its own base carries it: "De buurt is schoon (n = 3.805)").
    pub fn heading(&self, v: &Vocabulary) -> String {
        let label = v.row_label(&self.label, self.statistic);
        match self.base {
            Some(n) => format!("{label} (n = {})", v.count(n)),
            None => label,
        }
    }
}

impl<'a> Matrix<'a> {
    pub fn of(rows: &'a [Estimate]) -> Self {
        let mut groups: Vec<Column<'a>> = Vec::new();
        let mut categories: Vec<MatrixRow<'a>> = Vec::new();
        for e in rows {
            let g = Column {
                by: &e.by,
                group: &e.group,
                label: e.group_label.as_str(),
            };
            if !groups.contains(&g) {
                groups.push(g);
            }
            let c = MatrixRow {
                variable: e.variable.as_str(),
                statistic: e.statistic,
                key: e.category.as_str(),
                label: e.category_label.clone(),
                base: None,
            };
            if !categories.contains(&c) {
                categories.push(c);
            }
        }
        let cells = categories
            .iter()
            .map(|c| {
                groups
                    .iter()
                    .map(|g| {
                        rows.iter().find(|e| {
                            e.by == *g.by
                                && e.group == *g.group
                                && e.category == c.key
                                && e.statistic == c.statistic
                                && e.variable == c.variable
                        })
                    })
                    .collect()
            })
            .collect();
        Matrix {
            groups,
            categories,
            cells,
        }
    }

    /// A battery's answers for the whole sample: a row per statement (labelled by `label_of`
    /// its variable name, with its own base: the statements' respondents differ), a column per
    /// answer and NET; no row of bases ([`Matrix::has_base_row`]).
    pub fn answers(rows: &'a [Estimate], label_of: &dyn Fn(&str) -> String) -> Self {
        let first = rows.iter().find(|e| e.by.is_total());
        let whole =
            |e: &&Estimate| e.by.is_total() && Some(e.statistic) == first.map(|f| f.statistic);
        let mut groups: Vec<Column<'a>> = Vec::new();
        let mut keys: Vec<&'a str> = Vec::new();
        let mut categories: Vec<MatrixRow<'a>> = Vec::new();
        for e in rows.iter().filter(whole) {
            if !keys.contains(&e.category.as_str()) {
                keys.push(e.category.as_str());
                groups.push(Column {
                    by: &e.by,
                    group: &e.group,
                    label: e.category_label.as_str(),
                });
            }
            if !categories.iter().any(|c| c.variable == e.variable) {
                categories.push(MatrixRow {
                    variable: e.variable.as_str(),
                    statistic: e.statistic,
                    key: "",
                    label: label_of(&e.variable),
                    base: Some(e.n),
                });
            }
        }
        let cells = categories
            .iter()
            .map(|c| {
                keys.iter()
                    .map(|k| {
                        rows.iter()
                            .filter(whole)
                            .find(|e| e.variable == c.variable && e.category == *k)
                    })
                    .collect()
            })
            .collect();
        Matrix {
            groups,
            categories,
            cells,
        }
    }

    /// A battery's figures of one answer (or NET) `key` in every group: a row per statement.
    pub fn statements(rows: &'a [Estimate], key: &str, label_of: &dyn Fn(&str) -> String) -> Self {
        let mut m = Matrix::of(rows);
        let mut categories: Vec<MatrixRow<'a>> = Vec::new();
        let mut cells = Vec::new();
        for (c, row) in m.categories.iter().zip(&m.cells) {
            if c.key == key && c.statistic == crate::keys::Statistic::Proportion {
                categories.push(MatrixRow {
                    label: label_of(c.variable),
                    ..c.clone()
                });
                cells.push(row.clone());
            }
        }
        m.categories = categories;
        m.cells = cells;
        m
    }

    /// The estimate of row `r` in column `c`.
    pub fn cell(&self, r: usize, c: usize) -> Option<&'a Estimate> {
        self.cells[r][c]
    }

    /// Whether the table ends with a row of bases per column: not when the rows carry their
    /// own (a battery's answers, where a column's answers belong to different statements).
    pub fn has_base_row(&self) -> bool {
        self.categories.iter().all(|c| c.base.is_none())
    }

    /// A column's unweighted base (the largest over its rows; items may differ slightly).
    pub fn base(&self, c: usize) -> u64 {
        self.cells
            .iter()
            .filter_map(|row| row[c])
            .map(|e| e.n)
            .max()
            .unwrap_or(0)
    }

    /// The breakdowns in order, each with its first column and its number of columns.
    pub fn spans(&self) -> Vec<(&'a Breakdown, usize, usize)> {
        let mut out: Vec<(&'a Breakdown, usize, usize)> = Vec::new();
        for (i, g) in self.groups.iter().enumerate() {
            match out.last_mut() {
                Some(last) if last.0 == g.by => last.2 += 1,
                _ => out.push((g.by, i, 1)),
            }
        }
        out
    }
}

/// The answer a comparison is about, as a reader sees it: a battery's answers carry their
/// statement ("De buurt is schoon: Mee eens").
pub fn answer_label(codebook: &crate::codebook::Codebook, c: &crate::stats::Comparison) -> String {
    match (codebook.table(&c.table), codebook.variable(&c.variable)) {
        (Some(t), Some(v)) if t.is_battery() => {
            format!("{}: {}", codebook.variables[v].label, c.category_label)
        }
        _ => c.category_label.clone(),
    }
}

/// The blocks a table shows, each with its heading: one matrix of every figure; for a statement
/// battery, its answers in the whole sample, then per NET (or, without NETs, per answer) the
/// statements across every group.
pub fn blocks(r: &crate::report::TableResult) -> Vec<(Option<String>, Matrix<'_>)> {
    if r.statements.is_empty() {
        return vec![(None, Matrix::of(&r.estimates))];
    }
    let label_of = |name: &str| {
        r.statements
            .iter()
            .find(|(n, _)| n == name)
            .map_or(name.to_string(), |(_, l)| l.clone())
    };
    let answers = Matrix::answers(&r.estimates, &label_of);
    let keys: Vec<(String, String)> = if r.nets.is_empty() {
        answers
            .groups
            .iter()
            .zip(answers.cells.first().into_iter().flatten())
            .filter_map(|(g, e)| e.map(|e| (e.category.clone(), g.label.to_string())))
            .collect()
    } else {
        r.nets.clone()
    };
    let mut out = vec![(None, answers)];
    for (key, label) in keys {
        out.push((
            Some(label),
            Matrix::statements(&r.estimates, &key, &label_of),
        ));
    }
    out
}
