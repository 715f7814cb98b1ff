//! `kerncijfers.xlsx`: the Kerncijfers of a batch as a workbook, one sheet, a block per table
//! (answers down, years across), figures as numbers with ▲▼ in their number format, the base per
//! year, and the notes; printed A4 landscape, one page wide.

use crate::present::Legend;
use crate::report::kerncijfers::KeyTable;
use crate::stats::Statistic;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, XlsxError};

/// Build the workbook in memory (written by the caller).
pub fn workbook(
    title: &str,
    years: &[u32],
    tables: &[KeyTable],
    legend: &Legend,
    input_date: Option<std::time::SystemTime>,
) -> Result<Vec<u8>, XlsxError> {
    let v = &legend.vocab;
    let bold = Format::new().set_bold();
    let big = Format::new().set_bold().set_font_size(14);
    let grey = Format::new().set_font_color(Color::RGB(0x555555));
    let header = Format::new()
        .set_bold()
        .set_align(FormatAlign::Right)
        .set_border_bottom(FormatBorder::Thin);
    let base = Format::new().set_italic().set_num_format("#,##0");
    let mut wb = Workbook::new();
    wb.set_properties(
        &rust_xlsxwriter::DocProperties::new()
            .set_title(title)
            .set_creation_datetime(&super::xlsx::creation_date(input_date)?),
    );
    let sheet = wb.add_worksheet();
    sheet.set_name(v.pick("Kerncijfers", "Key figures"))?;
    sheet.write_string_with_format(0, 0, title, &big)?;
    sheet.write_string_with_format(
        1,
        0,
        v.pick(
            "Kerncijfers: de uitkomsten voor alle respondenten, per jaar.",
            "Key figures: the results for all respondents, per year.",
        ),
        &grey,
    )?;
    let mut row = 3u32;
    for t in tables {
        sheet.write_string_with_format(row, 0, &t.title, &bold)?;
        row += 1;
        if let Some(p) = &t.population {
            sheet.write_string_with_format(row, 0, p, &grey)?;
            row += 1;
        }
        sheet.write_string_with_format(row, 0, "", &header)?;
        for (c, y) in years.iter().enumerate() {
            sheet.write_number_with_format(row, 1 + c as u16, *y as f64, &header)?;
        }
        row += 1;
        let number = match t.statistic {
            Statistic::Proportion => "0.0%",
            Statistic::Mean | Statistic::Quantile => "0.00",
            Statistic::Total => "#,##0",
        };
        for ind in &t.indicators {
            sheet.write_string(row, 0, &ind.label)?;
            for (c, f) in ind.figures.iter().enumerate() {
                let Some(f) = f else { continue };
                let format = match f.change {
                    Some((glyph, _)) => Format::new()
                        .set_num_format(format!("{number}\"{glyph}\""))
                        .set_bold(),
                    None => Format::new().set_num_format(number),
                };
                sheet.write_number_with_format(row, 1 + c as u16, f.estimate, &format)?;
            }
            row += 1;
        }
        sheet.write_string_with_format(row, 0, "n", &base)?;
        for (c, b) in t.bases.iter().enumerate() {
            if let Some(n) = b {
                sheet.write_number_with_format(row, 1 + c as u16, *n as f64, &base)?;
            }
        }
        row += 2;
    }
    let notes = [
        legend.key_changes(),
        legend.base().to_string(),
        v.pick(
            "Alle cijfers met hun betrouwbaarheidsintervallen en de toetsen van de veranderingen staan in trends.csv.",
            "Every figure with its confidence interval and the tests of the changes is in trends.csv.",
        )
        .to_string(),
    ];
    for (i, n) in notes.iter().enumerate() {
        sheet.write_string_with_format(row + i as u32, 0, n, &grey)?;
    }
    sheet.set_column_width(0, 48)?;
    for c in 1..=years.len() as u16 {
        sheet.set_column_width(c, 10)?;
    }
    sheet.set_paper_size(9);
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(0, 1)?;
    wb.save_to_buffer()
}
