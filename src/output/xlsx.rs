//! The Excel "tabellenboek", made to be printed: a contents sheet, then one sheet per table with
//! its public title, groups as columns (the whole sample, then each breakdown's groups), answers
//! as rows, one column per group (the percentage or mean, a real number with a number format)
//! and a base row. A table wider than a page is laid out in bands of at most 30 columns, one
//! under the other. Reliability and significance marks are part of the number format (the cell
//! stays a number), explained in a notes block under each table in the report's language. With
//! `--intervals` each table's interval limits follow on a sheet of their own.

use super::Matrix;
use crate::present::breakdown_label;
use crate::present::{mark, Legend, Vocabulary};
use crate::report::{Document, TableResult};
use crate::stats::{Reliability, Statistic};
use rust_xlsxwriter::{
    Color, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};
use std::time::SystemTime;

/// Sheet names: at most 31 UTF-16 units, none of []:*?/\, no apostrophe at either end, not
/// "History" (reserved by Excel), unique as Excel compares them (ignoring case).
fn sheet_name(name: &str, taken: &[String], reserved: &str) -> String {
    let mapped: String = name
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .collect();
    // The first `units` UTF-16 units, without an apostrophe at either end.
    let cut = |units: usize| {
        let mut out = String::new();
        for c in mapped.trim_matches('\'').chars() {
            if out.encode_utf16().count() + c.len_utf16() > units {
                break;
            }
            out.push(c);
        }
        // A title cut in the middle of a phrase ends without its space.
        match out.trim_end().trim_end_matches('\'') {
            "" => "_".to_string(),
            s => s.to_string(),
        }
    };
    let free = |c: &str| {
        !taken.iter().any(|t| t.eq_ignore_ascii_case(c))
            && !c.eq_ignore_ascii_case(reserved)
            && !c.eq_ignore_ascii_case("History")
    };
    // 28 units leave room for a `~N` suffix.
    let mut candidate = cut(28);
    let mut i = 2;
    while !free(&candidate) {
        let suffix = format!("~{i}");
        candidate = format!("{}{suffix}", cut(28.min(31 - suffix.len())));
        i += 1;
    }
    candidate
}

/// A number format with a mark after the number (the cell stays numeric).
fn with_mark(base: &str, mark: &str) -> String {
    if mark.is_empty() {
        base.to_string()
    } else {
        format!("{base}\"{mark}\"")
    }
}

struct Formats {
    title: Format,
    subtitle: Format,
    header: Format,
    group: Format,
    label: Format,
    count: Format,
    base_label: Format,
    suppressed: Format,
    note: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            subtitle: Format::new().set_font_color(Color::RGB(0x555555)),
            header: Format::new()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_border_bottom(FormatBorder::Thin),
            group: Format::new().set_bold().set_align(FormatAlign::Center),
            label: Format::new().set_text_wrap(),
            count: Format::new()
                .set_num_format("#,##0")
                .set_italic()
                .set_border_top(FormatBorder::Thin),
            base_label: Format::new()
                .set_italic()
                .set_border_top(FormatBorder::Thin),
            suppressed: Format::new()
                .set_align(FormatAlign::Right)
                .set_font_color(Color::RGB(0x808080)),
            note: Format::new().set_font_color(Color::RGB(0x555555)),
        }
    }

    /// The format of an estimate: grey for indicative, grey italic for unreliable, bold for a
    /// significant difference; the marks of the other outputs after the number.
    fn estimate(statistic: Statistic, reliability: Reliability, significance: &str) -> Format {
        let base = match statistic {
            Statistic::Proportion => "0.0%",
            Statistic::Mean | Statistic::Quantile => "0.00",
            Statistic::Total => "#,##0",
        };
        let significant = !significance.is_empty();
        let mut marks = significance.replace('"', "");
        match reliability {
            Reliability::Indicative => marks.push_str(mark::INDICATIVE),
            Reliability::Unreliable => marks.push_str(mark::UNRELIABLE),
            _ => {}
        }
        let mut f = Format::new().set_num_format(with_mark(base, &marks));
        match reliability {
            Reliability::Indicative => f = f.set_font_color(Color::RGB(0x808080)),
            Reliability::Unreliable => f = f.set_font_color(Color::RGB(0x808080)).set_italic(),
            _ => {}
        }
        if significant {
            f = f.set_bold();
        }
        f
    }

    /// The format of an interval limit.
    fn limit(statistic: Statistic, reliability: Reliability) -> Format {
        let base = match statistic {
            Statistic::Proportion => "0.0%",
            Statistic::Mean | Statistic::Quantile => "0.00",
            Statistic::Total => "#,##0",
        };
        let f = Format::new().set_num_format(base);
        match reliability {
            Reliability::Indicative | Reliability::Unreliable => {
                f.set_font_color(Color::RGB(0x808080))
            }
            _ => f,
        }
    }
}

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
enum Shows {
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
fn write_table(
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
    for (heading, m) in super::blocks(r) {
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
    let file = file_name(&doc.source);
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

/// The data file by its name (the folder it sits in says nothing to a reader).
fn file_name(source: &str) -> String {
    std::path::Path::new(source)
        .file_name()
        .map_or(source.to_string(), |f| f.to_string_lossy().into_owned())
}

fn write_contents(
    sheet: &mut Worksheet,
    f: &Formats,
    doc: &Document,
    legend: &Legend,
    names: &[String],
) -> Result<(), XlsxError> {
    let v = &legend.vocab;
    sheet.set_name(v.contents())?;
    sheet.write_string_with_format(0, 0, &doc.codebook.title, &f.title)?;
    sheet.write_string_with_format(1, 0, v.table_book(), &f.subtitle)?;
    sheet.write_string_with_format(3, 0, v.table(), &f.header)?;
    sheet.write_string_with_format(3, 1, v.pick("Toelichting", "About"), &f.header)?;
    for (i, (r, name)) in doc.results.iter().zip(names).enumerate() {
        let row = 4 + i as u32;
        let link = rust_xlsxwriter::Url::new(format!("internal:'{}'!A1", name.replace('\'', "''")))
            .set_text(&r.title);
        sheet.write_url(row, 0, link)?;
        let about: Vec<&str> = [
            (r.label != r.title).then_some(r.label.as_str()),
            r.population.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect();
        sheet.write_string(row, 1, about.join(" — "))?;
    }
    let row = 5 + doc.results.len() as u32;
    sheet.write_string_with_format(row, 0, legend.design(&doc.design), &f.note)?;
    sheet.write_string_with_format(
        row + 1,
        0,
        format!("{}: {}.", v.source(), file_name(&doc.source)),
        &f.note,
    )?;
    sheet.set_column_width(0, 48)?;
    sheet.set_column_width(1, 80)?;
    Ok(())
}

/// Print setup of a table sheet: A4 landscape, one page wide (as many pages down as needed),
/// the title and the subpopulation (rows 1–2) repeated on every page.
fn print_setup(sheet: &mut Worksheet, repeat_rows: u32) -> Result<(), XlsxError> {
    sheet.set_paper_size(9); // A4
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    if repeat_rows > 0 {
        sheet.set_repeat_rows(0, repeat_rows - 1)?;
    }
    Ok(())
}

/// The document's creation date: the data file's modification time, so that the date says
/// which data the book shows and a rerun on the same file gives the same bytes (the date of the
/// run itself is in summary.json / the batch manifest). rust_xlsxwriter always writes a date;
/// without a usable modification time it is the Unix epoch, visibly not a real date.
pub(crate) fn creation_date(input_date: Option<SystemTime>) -> Result<ExcelDateTime, XlsxError> {
    let seconds = input_date
        .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_secs());
    ExcelDateTime::from_timestamp(i64::try_from(seconds).unwrap_or(0))
        .or_else(|_| ExcelDateTime::from_timestamp(0))
}

/// Build the whole workbook in memory (written by the caller); `input_date` is the data file's
/// modification time (see [`creation_date`]).
pub fn workbook(doc: &Document, input_date: Option<SystemTime>) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let legend = doc.presentation.legend();
    let mut wb = Workbook::new();
    wb.set_properties(
        &rust_xlsxwriter::DocProperties::new()
            .set_title(&doc.codebook.title)
            .set_creation_datetime(&creation_date(input_date)?),
    );
    let weighting_sheet = doc
        .weighting
        .map(|_| legend.weighting_heading().to_string());
    let supplements = supplement_sheets(doc, &legend);
    // Sheets are named after the public titles (and "BI …" for a table's intervals).
    let mut names: Vec<String> = Vec::new();
    let mut interval_names: Vec<String> = Vec::new();
    for r in doc.results {
        let mut taken: Vec<String> = names.iter().chain(&interval_names).cloned().collect();
        taken.extend(weighting_sheet.clone());
        taken.extend(supplements.iter().map(|s| s.name.clone()));
        let n = sheet_name(&r.title, &taken, legend.vocab.contents());
        taken.push(n.clone());
        names.push(n);
        if doc.presentation.intervals {
            let prefix = legend.vocab.pick("BI", "CI");
            let i = sheet_name(
                &format!("{prefix} {}", r.title),
                &taken,
                legend.vocab.contents(),
            );
            interval_names.push(i);
        }
    }
    let contents = wb.add_worksheet();
    write_contents(contents, &f, doc, &legend, &names)?;
    contents.set_paper_size(9);
    contents.set_print_fit_to_pages(1, 0);
    contents.set_repeat_rows(0, 3)?;
    if let (Some(w), Some(name)) = (doc.weighting, &weighting_sheet) {
        let sheet = wb.add_worksheet();
        sheet.set_name(name)?;
        write_weighting(sheet, &f, &legend, w)?;
        sheet.set_paper_size(9);
        sheet.set_print_fit_to_pages(1, 0);
    }
    for s in &supplements {
        let sheet = wb.add_worksheet();
        sheet.set_name(&s.name)?;
        s.write(sheet, &f)?;
        sheet.set_paper_size(9);
        sheet.set_print_fit_to_pages(1, 0);
    }
    for (i, (r, name)) in doc.results.iter().zip(&names).enumerate() {
        let sheet = wb.add_worksheet();
        sheet.set_name(name)?;
        write_table(sheet, &f, doc, &legend, r, Shows::Estimates)?;
        print_setup(sheet, 2)?;
        if let Some(name) = interval_names.get(i) {
            let sheet = wb.add_worksheet();
            sheet.set_name(name)?;
            write_table(sheet, &f, doc, &legend, r, Shows::Intervals)?;
            print_setup(sheet, 2)?;
        }
    }
    wb.save_to_buffer()
}

/// The sheet "Weging": the representativeness table (shares as numbers) and the weights'
/// diagnostics.
fn write_weighting(
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
struct SimpleSheet {
    name: String,
    columns: Vec<&'static str>,
    rows: Vec<Vec<Cell>>,
    notes: Vec<String>,
}

impl SimpleSheet {
    fn write(&self, sheet: &mut Worksheet, f: &Formats) -> Result<(), XlsxError> {
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
fn supplement_sheets(doc: &Document, legend: &Legend) -> Vec<SimpleSheet> {
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
                    let label = doc
                        .codebook
                        .variable(&r.variable)
                        .map_or(r.variable.clone(), |v| {
                            doc.codebook.variables[v].label.clone()
                        });
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

#[cfg(test)]
mod tests {
    use super::sheet_name;
    use rust_xlsxwriter::utility::check_sheet_name;

    #[test]
    fn sheet_names_are_always_valid_and_unique() {
        let emoji = "😀".repeat(40);
        let long = "x".repeat(80);
        for n in ["'quoted'", "a/b:c", "'", "History", &emoji, &long] {
            let s = sheet_name(n, &[], "Inhoud");
            assert!(check_sheet_name(&s).is_ok(), "{n} -> {s}");
            assert!(!s.eq_ignore_ascii_case("history"));
        }
        assert_eq!(sheet_name("kanaal", &[], "Inhoud"), "kanaal");
        assert_eq!(
            sheet_name("Kanaal", &["kanaal".into()], "Inhoud"),
            "Kanaal~2"
        );
        // Many long names with one prefix: suffixes up to ~120 still fit in 31 units.
        let mut names: Vec<String> = Vec::new();
        for _ in 0..120 {
            let s = sheet_name(&long, &names, "Inhoud");
            assert!(check_sheet_name(&s).is_ok(), "{s}");
            assert!(!names.contains(&s));
            names.push(s);
        }
    }
}
