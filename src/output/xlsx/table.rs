//! A table's sheet: its groups laid out in bands of at most 30 columns, one figure (or two
//! interval limits) per group, the base row and the notes.

use super::formats::Formats;
use crate::output::Matrix;
use crate::present::breakdown_label;
use crate::present::{mark, Legend, Vocabulary};
use crate::report::{Document, TableResult};
use crate::stats::Reliability;
use rust_xlsxwriter::{Worksheet, XlsxError};

/// Group columns in one band of a sheet: with the answers' column and the whole sample, a band
/// is at most 30 columns wide, so that any table prints one A4 landscape page wide.
const BAND_GROUPS: usize = 29;

/// A sheet's layout: the table's groups in bands of at most [`BAND_GROUPS`] columns (each band
/// repeats the whole sample), stacked down the sheet. A breakdown stays in one band when it
/// fits; a breakdown of more groups than a band holds is cut over several.
fn bands(m: &Matrix, per_group: usize) -> Vec<Vec<usize>> {
    let width = BAND_GROUPS / per_group;
    let totals: Vec<usize> = (0..m.groups.len())
        .filter(|&i| m.groups[i].by.is_total())
        .collect();
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut band = totals.clone();
    for (by, first, len) in m.spans() {
        if by.is_total() {
            continue;
        }
        let groups: Vec<usize> = (first..first + len).collect();
        if band.len() + groups.len() > width && band.len() > totals.len() {
            out.push(std::mem::replace(&mut band, totals.clone()));
        }
        for chunk in groups.chunks(width.saturating_sub(totals.len()).max(1)) {
            if band.len() + chunk.len() > width && band.len() > totals.len() {
                out.push(std::mem::replace(&mut band, totals.clone()));
            }
            band.extend_from_slice(chunk);
        }
    }
    out.push(band);
    out
}

/// What a sheet of a table shows per group: the estimate (with its marks), or its interval's
/// two limits.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Shows {
    Estimates,
    Intervals,
}

impl Shows {
    fn per_group(self) -> usize {
        match self {
            Shows::Estimates => 1,
            Shows::Intervals => 2,
        }
    }
}

/// One band: the breakdowns over their groups, the groups, the answers (numbers), the base row.
/// Returns the row after the band.
#[allow(clippy::too_many_arguments)]
fn write_band(
    sheet: &mut Worksheet,
    f: &Formats,
    doc: &Document,
    v: &Vocabulary,
    r: &TableResult,
    m: &Matrix,
    band: &[usize],
    shows: Shows,
    top: u32,
) -> Result<u32, XlsxError> {
    let per = shows.per_group() as u16;
    let col = |k: usize| 1 + k as u16 * per;
    // Breakdown labels over their groups (one merged cell per run of one breakdown).
    let mut k = 0;
    while k < band.len() {
        let by = m.groups[band[k]].by;
        let mut end = k;
        while end + 1 < band.len() && m.groups[band[end + 1]].by == by {
            end += 1;
        }
        let label = if by.is_total() {
            String::new()
        } else {
            breakdown_label(doc.codebook, by, v)
        };
        let (c0, c1) = (col(k), col(end) + per - 1);
        if c1 > c0 {
            sheet.merge_range(top, c0, top, c1, &label, &f.group)?;
        } else {
            sheet.write_string_with_format(top, c0, &label, &f.group)?;
        }
        k = end + 1;
    }
    sheet.write_string_with_format(top + 1, 0, "", &f.header)?;
    for (k, &gi) in band.iter().enumerate() {
        let g = &m.groups[gi];
        let heading = r.column_heading(g.by, g.group, g.label);
        match shows {
            Shows::Estimates => {
                sheet.write_string_with_format(top + 1, col(k), &heading, &f.header)?
            }
            Shows::Intervals => {
                sheet.merge_range(top + 1, col(k), top + 1, col(k) + 1, &heading, &f.header)?;
                sheet.write_string_with_format(top + 2, col(k), v.lower(), &f.header)?;
                sheet.write_string_with_format(top + 2, col(k) + 1, v.upper(), &f.header)?
            }
        };
    }
    let mut row = top + if shows == Shows::Intervals { 3 } else { 2 };
    for (i, c) in m.categories.iter().enumerate() {
        sheet.write_string_with_format(row, 0, c.heading(v), &f.label)?;
        for (k, &gi) in band.iter().enumerate() {
            let Some(e) = m.cell(i, gi) else {
                continue;
            };
            write_figure(sheet, f, r, e, row, col(k), shows)?;
        }
        row += 1;
    }
    if !m.has_base_row() {
        return Ok(row);
    }
    sheet.write_string_with_format(row, 0, "n", &f.base_label)?;
    for (k, &gi) in band.iter().enumerate() {
        sheet.write_number_with_format(row, col(k), m.base(gi) as f64, &f.count)?;
    }
    Ok(row + 1)
}

/// One cell (or the two limits) of an estimate: a number with its marks in the number format.
fn write_figure(
    sheet: &mut Worksheet,
    f: &Formats,
    r: &TableResult,
    e: &crate::stats::Estimate,
    row: u32,
    col: u16,
    shows: Shows,
) -> Result<(), XlsxError> {
    if !e.estimate.is_finite() {
        return Ok(());
    }
    if e.reliability == Reliability::Suppress {
        sheet.write_string_with_format(row, col, mark::SUPPRESSED, &f.suppressed)?;
        return Ok(());
    }
    match shows {
        Shows::Estimates => {
            let fmt = Formats::estimate(e.statistic, e.reliability, &r.marks(e));
            sheet.write_number_with_format(row, col, e.estimate, &fmt)?;
        }
        Shows::Intervals => {
            if let (Some(l), Some(u)) = (e.ci_lower, e.ci_upper) {
                let lf = Formats::limit(e.statistic, e.reliability);
                sheet.write_number_with_format(row, col, l, &lf)?;
                sheet.write_number_with_format(row, col + 1, u, &lf)?;
            }
        }
    }
    Ok(())
}

/// A table's sheet: title and subpopulation, the bands one under the other (a page break
/// before each band after the first), then the notes, true to what the sheet shows.
pub(super) fn write_table(
    sheet: &mut Worksheet,
    f: &Formats,
    doc: &Document,
    legend: &Legend,
    r: &TableResult,
    shows: Shows,
) -> Result<(), XlsxError> {
    let v = &legend.vocab;
    let title = match shows {
        Shows::Estimates => r.title.clone(),
        Shows::Intervals => format!("{} — {}", r.title, v.ci(legend.level)),
    };
    sheet.write_string_with_format(0, 0, &title, &f.title)?;
    let sub: Vec<&str> = [
        r.population.as_deref(),
        (r.label != r.title).then_some(r.label.as_str()),
    ]
    .into_iter()
    .flatten()
    .collect();
    sheet.write_string_with_format(1, 0, sub.join(" — "), &f.subtitle)?;
    let mut row = 3;
    let mut breaks = Vec::new();
    let mut widest = 1;
    // A battery's blocks one under another, each with its heading and its bands.
    for (heading, m) in crate::output::blocks(r) {
        if let Some(h) = heading {
            sheet.write_string_with_format(row, 0, h, &f.subtitle)?;
            row += 1;
        }
        let bands = bands(&m, shows.per_group());
        for band in &bands {
            if row > 3 {
                breaks.push(row);
            }
            row = write_band(sheet, f, doc, v, r, &m, band, shows, row)? + 1;
        }
        widest = widest.max(bands.iter().map(Vec::len).max().unwrap_or(1));
    }
    if !breaks.is_empty() {
        sheet.set_page_breaks(&breaks)?;
    }
    let file = super::file_name(&doc.source);
    let mut lines = vec![format!("{}: {}; {}.", v.source(), doc.codebook.title, file)];
    lines.extend(r.note.clone());
    lines.push(legend.design(&doc.design));
    lines.push(match shows {
        Shows::Estimates => legend.book_figures(r.statistic, doc.presentation.intervals),
        Shows::Intervals => legend.book_intervals(r.statistic),
    });
    lines.push(legend.base().to_string());
    lines.push(legend.reliability());
    if shows == Shows::Estimates {
        lines.extend(legend.marks(r.mark_kinds(), doc.codebook.min_base_test));
        lines.push(legend.book_bold());
    }
    for (i, l) in lines.into_iter().enumerate() {
        sheet.write_string_with_format(row + i as u32, 0, l, &f.note)?;
    }
    sheet.set_column_width(0, 34)?;
    for c in 1..=(widest * shows.per_group()) as u16 {
        sheet.set_column_width(c, 9.5)?;
    }
    sheet.set_freeze_panes(0, 1)?;
    Ok(())
}
