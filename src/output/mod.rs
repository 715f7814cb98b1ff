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
