//! The sheets besides the tables: the weighting (representativeness and diagnostics), the
//! response and the scales.

use super::formats::Formats;
use crate::present::Legend;
use crate::report::Document;
use rust_xlsxwriter::{Format, Worksheet, XlsxError};

/// The sheet "Weging": the representativeness table (shares as numbers) and the weights'
/// diagnostics.
pub(super) fn write_weighting(
    sheet: &mut Worksheet,
    f: &Formats,
    legend: &Legend,
    w: &crate::stats::calibrate::WeightingReport,
) -> Result<(), XlsxError> {
    let pct = Format::new().set_num_format("0.0%");
    sheet.write_string_with_format(0, 0, legend.weighting_heading(), &f.title)?;
    sheet.write_string_with_format(1, 0, legend.weighted_to(w), &f.subtitle)?;
    for (c, h) in legend.representativeness_columns().iter().enumerate() {
        sheet.write_string_with_format(3, c as u16, *h, &f.header)?;
    }
    let mut row = 4u32;
    for m in &w.margins {
        sheet.write_string(row, 0, &m.variable_label)?;
        sheet.write_string(row, 1, &m.category_label)?;
        sheet.write_number_with_format(row, 2, m.n as f64, &f.count)?;
        for (c, x) in [m.unweighted, m.design_weighted, m.weighted, m.population]
            .into_iter()
            .enumerate()
        {
            sheet.write_number_with_format(row, 3 + c as u16, x, &pct)?;
        }
        row += 1;
    }
    row += 1;
    let notes = std::iter::once(legend.representativeness_note().to_string())
        .chain(legend.weight_diagnostics(w));
    for (r, l) in (row..).zip(notes) {
        sheet.write_string_with_format(r, 0, l, &f.note)?;
    }
    sheet.set_column_width(0, 24)?;
    sheet.set_column_width(1, 28)?;
    for c in 2..=6 {
        sheet.set_column_width(c, 14)?;
    }
    sheet.set_freeze_panes(4, 0)?;
    Ok(())
}

/// A cell of a supplement sheet.
enum Cell {
    Text(String),
    /// A number with its Excel number format.
    Number(f64, &'static str),
}

/// A sheet of a heading, a small table and notes (response, scales).
pub(super) struct SimpleSheet {
    pub(super) name: String,
    columns: Vec<&'static str>,
    rows: Vec<Vec<Cell>>,
    notes: Vec<String>,
}

impl SimpleSheet {
    pub(super) fn write(&self, sheet: &mut Worksheet, f: &Formats) -> Result<(), XlsxError> {
        sheet.write_string_with_format(0, 0, &self.name, &f.title)?;
        for (c, h) in self.columns.iter().enumerate() {
            sheet.write_string_with_format(2, c as u16, *h, &f.header)?;
        }
        let mut row = 3u32;
        for r in &self.rows {
            for (c, cell) in r.iter().enumerate() {
                match cell {
                    Cell::Text(t) => sheet.write_string(row, c as u16, t)?,
                    Cell::Number(x, _) if !x.is_finite() => {
                        sheet.write_string(row, c as u16, "")?
                    }
                    Cell::Number(x, fmt) => sheet.write_number_with_format(
                        row,
                        c as u16,
                        *x,
                        &Format::new().set_num_format(*fmt),
                    )?,
                };
            }
            row += 1;
        }
        for (r, l) in (row + 1..).zip(&self.notes) {
            sheet.write_string_with_format(r, 0, l, &f.note)?;
        }
        sheet.set_column_width(0, 28)?;
        sheet.set_column_width(1, 28)?;
        for c in 2..self.columns.len() as u16 {
            sheet.set_column_width(c, 14)?;
        }
        sheet.set_freeze_panes(3, 0)?;
        Ok(())
    }
}

/// The sheets besides the tables and the weighting: the response, the scales.
pub(super) fn supplement_sheets(doc: &Document, legend: &Legend) -> Vec<SimpleSheet> {
    let mut out = Vec::new();
    let s = &doc.supplements;
    if !s.response.is_empty() {
        out.push(SimpleSheet {
            name: legend.response_heading().to_string(),
            columns: legend.response_columns().to_vec(),
            rows: s
                .response
                .iter()
                .map(|r| {
                    let label = doc.codebook.label_of(&r.variable);
                    vec![
                        Cell::Text(label),
                        Cell::Text(r.label.clone()),
                        Cell::Number(r.invited, "#,##0"),
                        Cell::Number(r.responded as f64, "#,##0"),
                        Cell::Number(r.rate, "0.0%"),
                    ]
                })
                .collect(),
            notes: vec![legend.response_note().to_string()],
        });
    }
    if !s.scales.is_empty() {
        out.push(SimpleSheet {
            name: legend.scales_heading().to_string(),
            columns: legend.scales_columns().to_vec(),
            rows: s
                .scales
                .iter()
                .map(|r| {
                    vec![
                        Cell::Text(r.label.clone()),
                        Cell::Text(r.items.replace(' ', ", ")),
                        Cell::Number(r.n_complete as f64, "0"),
                        Cell::Number(r.alpha, "0.00"),
                    ]
                })
                .collect(),
            notes: vec![legend.scales_note().to_string()],
        });
    }
    out
}
