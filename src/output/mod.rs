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
/// appearance: the whole sample, then each breakdown's groups), categories down.
pub struct Matrix<'a> {
    rows: &'a [Estimate],
    pub groups: Vec<Column<'a>>,
    /// (category, category label)
    pub categories: Vec<(&'a str, &'a str)>,
}

impl<'a> Matrix<'a> {
    pub fn of(rows: &'a [Estimate]) -> Self {
        let mut groups: Vec<Column<'a>> = Vec::new();
        let mut categories = Vec::new();
        for e in rows {
            let g = Column {
                by: &e.by,
                group: &e.group,
                label: e.group_label.as_str(),
            };
            if !groups.contains(&g) {
                groups.push(g);
            }
            let c = (e.category.as_str(), e.category_label.as_str());
            if !categories.contains(&c) {
                categories.push(c);
            }
        }
        Matrix {
            rows,
            groups,
            categories,
        }
    }

    /// The estimate of a category in a group.
    pub fn find(&self, g: &Column, c: &(&str, &str)) -> Option<&'a Estimate> {
        self.rows
            .iter()
            .find(|e| e.by == *g.by && e.group == *g.group && e.category == c.0)
    }

    /// A group's unweighted base (the largest over its categories; items may differ slightly).
    pub fn base(&self, g: &Column) -> u64 {
        self.rows
            .iter()
            .filter(|e| e.by == *g.by && e.group == *g.group)
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
