//! The Excel "tabellenboek": a contents sheet, then one sheet per table with the question as
//! title, groups as columns (the whole sample, then each breakdown's groups), categories as rows,
//! and for each group the estimate, its interval and the unweighted base, all as real numbers
//! with number formats. Reliability and significance marks are part of the number format (the
//! cell stays a number), explained in a notes block under each table in the report's language.

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
        match out.trim_end_matches('\'') {
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
            count: Format::new().set_num_format("0"),
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
            Statistic::Mean => "0.00",
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
            Statistic::Mean => "0.00",
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

const COLS_PER_GROUP: u16 = 4;

/// Rows 2–4: the breakdowns, their groups, and what each column holds.
fn write_header(
    sheet: &mut Worksheet,
    f: &Formats,
    doc: &Document,
    v: &Vocabulary,
    m: &Matrix,
    r: &TableResult,
) -> Result<(), XlsxError> {
    let statistic = r.statistic;
    for (by, first, len) in m.spans() {
        let col = 1 + first as u16 * COLS_PER_GROUP;
        let label = if by.is_total() {
            String::new()
        } else {
            breakdown_label(doc.codebook, by, v)
        };
        let span = len as u16 * COLS_PER_GROUP;
        sheet.merge_range(2, col, 2, col + span - 1, &label, &f.group)?;
    }
    for (i, g) in m.groups.iter().enumerate() {
        let col = 1 + i as u16 * COLS_PER_GROUP;
        let heading = r.column_heading(g.by, g.group, g.label);
        sheet.merge_range(3, col, 3, col + COLS_PER_GROUP - 1, &heading, &f.header)?;
        let heads = [v.statistic_heading(statistic), v.lower(), v.upper(), "n"];
        for (k, h) in heads.iter().enumerate() {
            sheet.write_string_with_format(4, col + k as u16, *h, &f.header)?;
        }
    }
    sheet.write_string_with_format(4, 0, "", &f.header)?;
    Ok(())
}

fn write_cells(
    sheet: &mut Worksheet,
    f: &Formats,
    r: &TableResult,
    m: &Matrix,
) -> Result<u32, XlsxError> {
    let mut row = 5u32;
    for c in &m.categories {
        sheet.write_string_with_format(row, 0, c.1, &f.label)?;
        for (gi, g) in m.groups.iter().enumerate() {
            let c0 = 1 + gi as u16 * COLS_PER_GROUP;
            let Some(e) = m.find(g, c) else {
                continue;
            };
            sheet.write_number_with_format(row, c0 + 3, e.n as f64, &f.count)?;
            if !e.estimate.is_finite() {
                continue;
            }
            if e.reliability == Reliability::Suppress {
                sheet.write_string_with_format(row, c0, mark::SUPPRESSED, &f.suppressed)?;
                continue;
            }
            let fmt = Formats::estimate(e.statistic, e.reliability, &r.marks(e));
            sheet.write_number_with_format(row, c0, e.estimate, &fmt)?;
            if let (Some(l), Some(u)) = (e.ci_lower, e.ci_upper) {
                let lf = Formats::limit(e.statistic, e.reliability);
                sheet.write_number_with_format(row, c0 + 1, l, &lf)?;
                sheet.write_number_with_format(row, c0 + 2, u, &lf)?;
            }
        }
        row += 1;
    }
    Ok(row)
}

fn write_table(
    sheet: &mut Worksheet,
    f: &Formats,
    doc: &Document,
    legend: &Legend,
    r: &TableResult,
) -> Result<(), XlsxError> {
    let v = &legend.vocab;
    let m = Matrix::of(&r.estimates);
    sheet.write_string_with_format(0, 0, &r.label, &f.title)?;
    sheet.write_string_with_format(1, 0, format!("{} {}", v.table(), r.name), &f.subtitle)?;
    write_header(sheet, f, doc, v, &m, r)?;
    let first_note = write_cells(sheet, f, r, &m)? + 1;
    let mut lines = vec![
        format!("{}: {}; {}.", v.source(), doc.codebook.title, doc.source),
        legend.design(&doc.design),
        legend.intervals(r.statistic),
        legend.base().to_string(),
        legend.reliability(),
    ];
    lines.extend(legend.marks(r.mark_kinds(), doc.codebook.min_base_test));
    for (row, l) in (first_note..).zip(lines) {
        sheet.write_string_with_format(row, 0, l, &f.note)?;
    }
    sheet.set_column_width(0, 42)?;
    let last_col = m.groups.len() as u16 * COLS_PER_GROUP;
    for c in 1..=last_col {
        let narrow = (c - 1) % COLS_PER_GROUP == 3;
        sheet.set_column_width(c, if narrow { 7.0 } else { 10.5 })?;
    }
    sheet.set_freeze_panes(5, 1)?;
    Ok(())
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
    sheet.write_string_with_format(3, 1, v.question(), &f.header)?;
    for (i, (r, name)) in doc.results.iter().zip(names).enumerate() {
        let row = 4 + i as u32;
        let link = rust_xlsxwriter::Url::new(format!("internal:'{}'!A1", name.replace('\'', "''")))
            .set_text(&r.name);
        sheet.write_url(row, 0, link)?;
        sheet.write_string(row, 1, &r.label)?;
    }
    let row = 5 + doc.results.len() as u32;
    sheet.write_string_with_format(row, 0, legend.design(&doc.design), &f.note)?;
    sheet.write_string_with_format(
        row + 1,
        0,
        format!("{}: {}.", v.source(), doc.source),
        &f.note,
    )?;
    sheet.set_column_width(0, 24)?;
    sheet.set_column_width(1, 80)?;
    Ok(())
}

/// Print setup of a table sheet: A4 landscape, one page wide (as many pages down as needed),
/// the title and the column headings (rows 1–5) repeated on every page.
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
fn creation_date(input_date: Option<SystemTime>) -> Result<ExcelDateTime, XlsxError> {
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
    let mut names: Vec<String> = Vec::new();
    let weighting_sheet = doc
        .weighting
        .map(|_| legend.weighting_heading().to_string());
    for r in doc.results {
        let mut taken = names.clone();
        taken.extend(weighting_sheet.clone());
        let n = sheet_name(&r.name, &taken, legend.vocab.contents());
        names.push(n);
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
    for (r, name) in doc.results.iter().zip(&names) {
        let sheet = wb.add_worksheet();
        sheet.set_name(name)?;
        write_table(sheet, &f, doc, &legend, r)?;
        print_setup(sheet, 5)?;
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
