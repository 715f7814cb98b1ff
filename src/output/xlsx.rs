//! The Excel "tabellenboek": a contents sheet, then one sheet per table with the question as
//! title, groups as columns (Totaal, then each `by` variable's groups), categories as rows, and
//! for each group the estimate, its interval and the unweighted base, all as real numbers with
//! number formats. Reliability and significance are shown by formatting, explained in a notes
//! block under each table.

use crate::commands::report::TableResult;
use crate::stats::{Estimate, Reliability};
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

/// Everything the notes block says about the run.
pub struct Notes {
    pub title: String,
    pub source: String,
    pub design: String,
    pub method: String,
}

/// Sheet names: at most 31 characters, none of []:*?/\, unique.
fn sheet_name(name: &str, taken: &[String]) -> String {
    let clean: String = name
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .take(28)
        .collect();
    let mut candidate = clean.clone();
    let mut i = 2;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&candidate))
        || candidate.eq_ignore_ascii_case("Inhoud")
    {
        candidate = format!("{clean}~{i}");
        i += 1;
    }
    candidate
}

struct Formats {
    title: Format,
    subtitle: Format,
    header: Format,
    group: Format,
    label: Format,
    pct: Format,
    pct_grey: Format,
    pct_unreliable: Format,
    pct_bold: Format,
    mean: Format,
    mean_grey: Format,
    mean_unreliable: Format,
    mean_bold: Format,
    count: Format,
    suppressed: Format,
    note: Format,
}

impl Formats {
    fn new() -> Formats {
        let grey = Color::RGB(0x808080);
        let pct = "0.0%";
        let mean = "0.00";
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            subtitle: Format::new().set_font_color(Color::RGB(0x555555)),
            header: Format::new()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_border_bottom(FormatBorder::Thin),
            group: Format::new().set_bold().set_align(FormatAlign::Center),
            label: Format::new().set_text_wrap(),
            pct: Format::new().set_num_format(pct),
            pct_grey: Format::new().set_num_format(pct).set_font_color(grey),
            pct_unreliable: Format::new()
                .set_num_format(pct)
                .set_font_color(grey)
                .set_italic(),
            pct_bold: Format::new().set_num_format(pct).set_bold(),
            mean: Format::new().set_num_format(mean),
            mean_grey: Format::new().set_num_format(mean).set_font_color(grey),
            mean_unreliable: Format::new()
                .set_num_format(mean)
                .set_font_color(grey)
                .set_italic(),
            mean_bold: Format::new().set_num_format(mean).set_bold(),
            count: Format::new().set_num_format("0"),
            suppressed: Format::new()
                .set_align(FormatAlign::Right)
                .set_font_color(grey),
            note: Format::new().set_font_color(Color::RGB(0x555555)),
        }
    }
}

fn write_table(
    sheet: &mut Worksheet,
    f: &Formats,
    codebook: &crate::codebook::Codebook,
    r: &TableResult,
    notes: &Notes,
) -> Result<(), XlsxError> {
    let is_mean = r.estimates.first().is_some_and(|e| e.statistic == "mean");
    let m = super::Matrix::of(&r.estimates);
    let groups = &m.groups;
    let cols_per_group = 4u16;
    let last_col = (groups.len() as u16) * cols_per_group;
    sheet.write_string_with_format(0, 0, &r.heading.label, &f.title)?;
    sheet.write_string_with_format(1, 0, format!("Tabel {}", r.heading.name), &f.subtitle)?;
    // Row 2: the grouping variables; row 3: their groups; row 4: what each column holds.
    let mut col = 1u16;
    let mut by_start: Option<(String, u16)> = None;
    for (i, (by, _, label)) in groups.iter().enumerate() {
        let by_label = if *by == "(all)" {
            String::new()
        } else {
            codebook
                .variable(by)
                .map_or(by.to_string(), |v| codebook.variables[v].label.clone())
        };
        if by_start.as_ref().is_none_or(|(b, _)| *b != by_label) {
            by_start = Some((by_label.clone(), col));
            let span =
                groups.iter().skip(i).take_while(|(b, ..)| b == by).count() as u16 * cols_per_group;
            if span > 1 {
                sheet.merge_range(2, col, 2, col + span - 1, &by_label, &f.group)?;
            } else {
                sheet.write_string_with_format(2, col, &by_label, &f.group)?;
            }
        }
        sheet.merge_range(3, col, 3, col + cols_per_group - 1, label, &f.header)?;
        let what = if is_mean { "gemiddelde" } else { "%" };
        for (k, h) in [what, "ondergrens", "bovengrens", "n"].iter().enumerate() {
            sheet.write_string_with_format(4, col + k as u16, *h, &f.header)?;
        }
        col += cols_per_group;
    }
    sheet.write_string_with_format(4, 0, "", &f.header)?;
    // Rows: categories.
    let significant = |e: &Estimate| {
        r.comparisons.iter().any(|c| {
            c.standardized.is_empty()
                && c.between == e.by
                && c.category == e.category
                && c.group_b == e.group
                && c.significant
        })
    };
    let mut row = 5u32;
    for c in &m.categories {
        sheet.write_string_with_format(row, 0, c.1, &f.label)?;
        for (gi, g) in groups.iter().enumerate() {
            let c0 = 1 + gi as u16 * cols_per_group;
            let Some(e) = m.find(g, c) else {
                continue;
            };
            sheet.write_number_with_format(row, c0 + 3, e.n as f64, &f.count)?;
            if !e.estimate.is_finite() {
                continue;
            }
            if e.reliability == Reliability::Suppress {
                sheet.write_string_with_format(row, c0, "x", &f.suppressed)?;
                continue;
            }
            let (normal, grey, unreliable, bold) = if is_mean {
                (&f.mean, &f.mean_grey, &f.mean_unreliable, &f.mean_bold)
            } else {
                (&f.pct, &f.pct_grey, &f.pct_unreliable, &f.pct_bold)
            };
            let fmt = match e.reliability {
                Reliability::Unreliable => unreliable,
                Reliability::Indicative => grey,
                _ if significant(e) => bold,
                _ => normal,
            };
            sheet.write_number_with_format(row, c0, e.estimate, fmt)?;
            let ci_fmt = if matches!(
                e.reliability,
                Reliability::Unreliable | Reliability::Indicative
            ) {
                grey
            } else {
                normal
            };
            if let (Some(l), Some(u)) = (e.ci_lower, e.ci_upper) {
                sheet.write_number_with_format(row, c0 + 1, l, ci_fmt)?;
                sheet.write_number_with_format(row, c0 + 2, u, ci_fmt)?;
            }
        }
        row += 1;
    }
    // Notes.
    row += 1;
    let level = r
        .estimates
        .first()
        .map_or(95.0, |e| (100.0 * e.level).round());
    let lines = [
        format!("Bron: {}; bestand {}.", notes.title, notes.source),
        format!("Ontwerp: {}.", notes.design),
        format!("Intervallen: {level}%-betrouwbaarheidsintervallen, methode {}.", notes.method),
        "n: ongewogen aantal respondenten met een geldig antwoord.".to_string(),
        "Grijs: indicatief (30 tot 100 respondenten). Grijs cursief: onbetrouwbaar (minder dan 30). x: minder dan 5 respondenten gaven dit antwoord, niet publiceren.".to_string(),
        "Vet: significant verschil met de eerste groep van die indeling (p < 0,05 na Holm-correctie; zie comparisons.csv).".to_string(),
    ];
    for l in lines {
        sheet.write_string_with_format(row, 0, l, &f.note)?;
        row += 1;
    }
    sheet.set_column_width(0, 42)?;
    for c in 1..=last_col {
        sheet.set_column_width(
            c,
            if (c - 1) % cols_per_group == 3 {
                7.0
            } else {
                10.5
            },
        )?;
    }
    sheet.set_freeze_panes(5, 1)?;
    Ok(())
}

/// Build the whole workbook in memory (written atomically by the caller).
pub fn workbook(
    codebook: &crate::codebook::Codebook,
    results: &[TableResult],
    notes: &Notes,
) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    // A fixed creation date: the workbook must be byte-identical from run to run (the date the
    // report was made is in summary.json / the batch manifest instead).
    let created = rust_xlsxwriter::ExcelDateTime::from_ymd(2000, 1, 1)?;
    wb.set_properties(
        &rust_xlsxwriter::DocProperties::new()
            .set_title(&notes.title)
            .set_creation_datetime(&created),
    );
    let mut names: Vec<String> = Vec::new();
    for r in results {
        let n = sheet_name(&r.heading.name, &names);
        names.push(n);
    }
    {
        let contents = wb.add_worksheet();
        contents.set_name("Inhoud")?;
        contents.write_string_with_format(0, 0, &notes.title, &f.title)?;
        contents.write_string_with_format(1, 0, "Tabellenboek", &f.subtitle)?;
        contents.write_string_with_format(3, 0, "Tabel", &f.header)?;
        contents.write_string_with_format(3, 1, "Vraag", &f.header)?;
        for (i, (r, name)) in results.iter().zip(&names).enumerate() {
            let row = 4 + i as u32;
            let link =
                rust_xlsxwriter::Url::new(format!("internal:'{}'!A1", name.replace('\'', "''")))
                    .set_text(&r.heading.name);
            contents.write_url(row, 0, link)?;
            contents.write_string(row, 1, &r.heading.label)?;
        }
        let row = 5 + results.len() as u32;
        contents.write_string_with_format(
            row,
            0,
            format!("Ontwerp: {}.", notes.design),
            &f.note,
        )?;
        contents.write_string_with_format(
            row + 1,
            0,
            format!("Bron: {}.", notes.source),
            &f.note,
        )?;
        contents.set_column_width(0, 24)?;
        contents.set_column_width(1, 80)?;
    }
    for (r, name) in results.iter().zip(&names) {
        let sheet = wb.add_worksheet();
        sheet.set_name(name)?;
        write_table(sheet, &f, codebook, r, notes)?;
    }
    wb.save_to_buffer()
}
