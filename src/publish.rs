//! Publishing a run: a report folder with per-table and combined tidy files, charts, the HTML
//! page, the Excel tabellenboek, a Markdown report and the run summary. It sits above the
//! results model ([`crate::report`]) and every writer ([`crate::output`], [`crate::charts`]),
//! beneath the commands.

use crate::analysis::Analysis;
use crate::codebook::Codebook;
use crate::error::{Error, Result};
use crate::fsutil::write_new;
use crate::naming::file_stem;
use crate::output::{self, tidy};
use crate::report::{design_facts, ChartRef, Document, Presentation, RunSummary, TableResult};
use crate::stats::compare::COMPARISON_COLUMNS;
use crate::stats::{Comparison, Estimate, TestRow};
use std::path::Path;

/// What a report is made from, besides its tables.
pub struct ReportContext<'a> {
    pub codebook: &'a Codebook,
    pub analysis: &'a Analysis,
    pub presentation: Presentation,
    pub data: &'a Path,
    pub codebook_path: &'a Path,
    /// Draw charts (SVG and PNG; the HTML page is written either way).
    pub charts: bool,
    /// Warnings of the run, kept in the summary.
    pub notes: Vec<String>,
}

/// Write a report into `out`, a new, empty folder: the temporary folder of an
/// [`OutDir`](crate::fsutil::OutDir) that is swapped in when this returns `Ok`. Every file is
/// created new (`O_EXCL`), so two outputs with one name are an error instead of one silently
/// replacing the other; `summary.json` comes last.
///
/// The charts (most of the work) are drawn on their own threads while this one writes the
/// tidy files, the page, the workbook and the Markdown report. The outcome is that of writing
/// them one after the other: the first failure in the order tidy files, charts, page, workbook,
/// report, summary.
pub fn write_folder(out: &Path, ctx: &ReportContext, results: &[TableResult]) -> Result<()> {
    // The readable outputs leave out each table's hidden answers; the tidy files keep them.
    let shown: Vec<TableResult> = results.iter().map(TableResult::shown).collect();
    let mut doc = Document {
        codebook: ctx.codebook,
        presentation: ctx.presentation,
        design: design_facts(ctx.codebook, ctx.analysis),
        source: ctx.data.display().to_string(),
        rows_read: ctx.analysis.rows_read,
        rows_used: ctx.analysis.rows_used,
        results: &shown,
        charts: vec![Vec::new(); shown.len()],
        weighting: ctx.analysis.weighting.as_ref(),
        supplements: crate::report::Supplements::of(
            ctx.codebook,
            ctx.analysis,
            ctx.presentation.vocab().total(),
        ),
    };
    let mut specs = Vec::new();
    write_supplements(out, &doc.supplements)?;
    if ctx.charts {
        for (i, r) in shown.iter().enumerate() {
            for spec in crate::charts::table_charts(&doc, i, r) {
                doc.charts[i].push(ChartRef {
                    stem: spec.stem.clone(),
                    heading: crate::charts::describe::heading(&spec.chart),
                    figures: crate::charts::describe::figures(&spec.chart),
                });
                specs.push(spec);
            }
        }
    }
    let (files, charts) = std::thread::scope(|scope| {
        let charts = ctx.charts.then(|| {
            let specs = &specs;
            scope.spawn(move || -> Result<()> {
                let stems: Vec<&str> = specs.iter().map(|s| s.stem.as_str()).collect();
                check_unique_stems(&out.join("charts"), &stems)?;
                crate::charts::write_all(&out.join("charts"), specs)?;
                Ok(())
            })
        });
        let files = write_tidy(out, results).map(|()| write_documents(out, ctx, &doc));
        let charts = charts.map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        (files, charts)
    });
    // The order a sequential run would have failed in: tidy files, then charts, then the rest.
    let rest = files?;
    if let Some(charts) = charts {
        charts?;
    }
    rest?;
    let summary = RunSummary::new(
        ctx.codebook,
        ctx.analysis,
        &ctx.presentation,
        ctx.data,
        ctx.codebook_path,
        ctx.notes.clone(),
    );
    write_new(&out.join("summary.json"), |w| {
        serde_json::to_writer_pretty(&mut *w, &summary)?;
        writeln!(w)
    })?;
    Ok(())
}

/// The page (without charts it shows the tables alone), the Excel tabellenboek and the
/// Markdown report.
fn write_documents(out: &Path, ctx: &ReportContext, doc: &Document) -> Result<()> {
    write_new(&out.join("index.html"), |w| {
        output::html::write_page(doc, w)
    })?;
    // The workbook's date is the data file's: see `output::xlsx::workbook`.
    let input_date = std::fs::metadata(ctx.data).and_then(|m| m.modified()).ok();
    let book = output::xlsx::workbook(doc, input_date).map_err(|e| {
        Error::write(
            &out.join("tabellenboek.xlsx"),
            std::io::Error::other(e.to_string()),
        )
    })?;
    write_new(&out.join("tabellenboek.xlsx"), |w| w.write_all(&book))?;
    write_new(&out.join("report.md"), |w| {
        output::markdown::write_report(doc, w)
    })?;
    Ok(())
}

/// Chart files are written by name, replacing each other: two charts with one stem would lose
/// one. The codebook check makes this impossible; this guards the writer all the same.
fn check_unique_stems(dir: &Path, stems: &[&str]) -> Result<()> {
    let mut seen = std::collections::HashSet::new();
    for s in stems {
        if !seen.insert(s.to_lowercase()) {
            return Err(Error::output(
                &dir.join(format!("{s}.svg")),
                "two charts of this report have this file name; rename a table or variable",
            ));
        }
    }
    Ok(())
}

/// `scales.csv` when the codebook has scales, `response.csv` when it has a `[response]`.
fn write_supplements(out: &Path, s: &crate::report::Supplements) -> Result<()> {
    if !s.scales.is_empty() {
        write_new(&out.join("scales.csv"), |w| {
            tidy::write_csv(&s.scales, &crate::stats::reliability::SCALE_COLUMNS, w)
        })?;
    }
    if !s.response.is_empty() {
        write_new(&out.join("response.csv"), |w| {
            tidy::write_csv(
                &s.response,
                &crate::report::supplements::RESPONSE_COLUMNS,
                w,
            )
        })?;
    }
    Ok(())
}

/// Per-table CSV files and the combined estimates, comparisons and tests (CSV and JSON).
fn write_tidy(out: &Path, results: &[TableResult]) -> Result<()> {
    // The combined files borrow the tables' rows (thousands in a monitor) rather than copy them.
    let mut all_estimates: Vec<&Estimate> = Vec::new();
    let mut all_comparisons: Vec<&Comparison> = Vec::new();
    let mut all_tests: Vec<&TestRow> = Vec::new();
    for r in results {
        let stem = file_stem(&r.name);
        write_new(&out.join(format!("{stem}.csv")), |w| {
            output::csv::write(&r.estimates, w)
        })?;
        if !r.comparisons.is_empty() {
            write_new(&out.join(format!("{stem}.compare.csv")), |w| {
                tidy::write_csv(&r.comparisons, &COMPARISON_COLUMNS, w)
            })?;
        }
        if !r.tests.is_empty() {
            write_new(&out.join(format!("{stem}.tests.csv")), |w| {
                tidy::write_csv(&r.tests, &output::independence::COLUMNS, w)
            })?;
        }
        all_estimates.extend(&r.estimates);
        all_comparisons.extend(&r.comparisons);
        all_tests.extend(&r.tests);
    }
    write_new(&out.join("estimates.csv"), |w| {
        output::csv::write(all_estimates.iter().copied(), w)
    })?;
    write_new(&out.join("estimates.json"), |w| {
        output::json::write(all_estimates.iter().copied(), w)
    })?;
    write_new(&out.join("comparisons.csv"), |w| {
        tidy::write_csv(&all_comparisons, &COMPARISON_COLUMNS, w)
    })?;
    write_new(&out.join("comparisons.json"), |w| {
        tidy::write_json(&all_comparisons, w)
    })?;
    write_new(&out.join("tests.csv"), |w| {
        tidy::write_csv(&all_tests, &output::independence::COLUMNS, w)
    })?;
    write_new(&out.join("tests.json"), |w| tidy::write_json(&all_tests, w))?;
    Ok(())
}
