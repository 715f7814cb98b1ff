//! The Excel "tabellenboek", made to be printed: a contents sheet, then one sheet per table with
//! its public title, groups as columns (the whole sample, then each breakdown's groups), answers
//! as rows, one column per group (the percentage or mean, a real number with a number format)
//! and a base row. A table wider than a page is laid out in bands of at most 30 columns, one
//! under the other. Reliability and significance marks are part of the number format (the cell
//! stays a number), explained in a notes block under each table in the report's language. With
//! `--intervals` each table's interval limits follow on a sheet of their own.

mod formats;
mod supplement;
mod table;

use crate::present::Legend;
use crate::report::Document;
use formats::Formats;
use rust_xlsxwriter::{ExcelDateTime, Workbook, Worksheet, XlsxError};
use std::time::SystemTime;
use supplement::{supplement_sheets, write_weighting};
use table::{write_table, Shows};

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
