//! Writers for tidy estimates, one module per format.

pub mod comparisons;
pub mod csv;
pub mod fmt;
pub mod html;
pub mod json;
pub mod markdown;
pub mod tests;
pub mod text;
pub mod tidy;
pub mod xlsx;

use crate::stats::Estimate;
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
    /// One line describing the design and interval method.
    pub method: String,
}

pub fn write_estimates(
    format: Format,
    heading: &TableHeading,
    rows: &[Estimate],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        Format::Text => text::write(heading, rows, out),
        Format::Csv => csv::write(rows, out),
        Format::Json => json::write(rows, out),
    }
}

/// Shortest round-trip decimal (deterministic, full precision); empty for NaN or none.
pub fn num(x: f64) -> String {
    if x.is_finite() {
        let s = format!("{x}");
        if s == "-0" {
            "0".into()
        } else {
            s
        }
    } else {
        String::new()
    }
}

pub fn opt(x: Option<f64>) -> String {
    x.map(num).unwrap_or_default()
}

/// A table's estimates laid out as the readable formats show them: groups across (in order of
/// appearance: the whole sample, then each `by` variable's groups), categories down.
pub struct Matrix<'a> {
    rows: &'a [Estimate],
    /// (by, group, group label)
    pub groups: Vec<(&'a str, &'a str, &'a str)>,
    /// (category, category label)
    pub categories: Vec<(&'a str, &'a str)>,
}

impl<'a> Matrix<'a> {
    pub fn of(rows: &'a [Estimate]) -> Self {
        let mut groups = Vec::new();
        let mut categories = Vec::new();
        for e in rows {
            let g = (e.by.as_str(), e.group.as_str(), e.group_label.as_str());
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
    pub fn find(&self, g: &(&str, &str, &str), c: &(&str, &str)) -> Option<&'a Estimate> {
        self.rows
            .iter()
            .find(|e| e.by == g.0 && e.group == g.1 && e.category == c.0)
    }

    /// A group's unweighted base (the largest over its categories; items may differ slightly).
    pub fn base(&self, g: &(&str, &str, &str)) -> u64 {
        self.rows
            .iter()
            .filter(|e| e.by == g.0 && e.group == g.1)
            .map(|e| e.n)
            .max()
            .unwrap_or(0)
    }
}
