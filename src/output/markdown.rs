//! A readable Markdown report: per table, categories down and groups across, each cell the
//! estimate with its interval and marks, the legends under the table.

use super::Matrix;
use crate::present::breakdown_label;
use crate::present::{Legend, Vocabulary};
use crate::report::{Document, TableResult};
use crate::stats::{Comparison, Estimate, TestRow};
use std::io::Write;

/// Label text can hold anything a codebook holds: see [`crate::text::escape::markdown`].
fn esc(s: &str) -> String {
    crate::text::escape::markdown(s)
}

/// The data file's name in a code span, as before, unless a backtick or control character in
/// it would end the span: then as escaped text.
fn source(s: &str) -> String {
    if s.contains('`') || s.chars().any(char::is_control) {
        esc(s)
    } else {
        format!("`{s}`")
    }
}

fn cell(v: &Vocabulary, r: &TableResult, e: &Estimate) -> String {
    v.cell(
        e.estimate,
        (e.ci_lower, e.ci_upper),
        e.statistic,
        e.reliability,
        &r.marks(e),
    )
}

/// The whole report: a plain opening sentence, the tables with their charts and comparisons,
/// then the method details ("Verantwoording"): source, design, weighting, tests.
pub fn write_report(doc: &Document, out: &mut dyn Write) -> std::io::Result<()> {
    let legend = doc.presentation.legend();
    let v = legend.vocab;
    writeln!(out, "# {}\n", esc(&doc.codebook.title))?;
    writeln!(out, "{}\n", esc(&legend.plain_summary(&doc.design)))?;
    for (r, charts) in doc.results.iter().zip(&doc.charts) {
        write_table(&legend, r, doc.codebook.min_base_test, out)?;
        for c in charts {
            writeln!(out, "![{}](charts/{}.png)\n", esc(&c.heading), c.stem)?;
        }
        write_comparisons(doc, &legend, &r.listed_comparisons(), out)?;
    }
    writeln!(out, "## {}\n", v.methods_heading())?;
    writeln!(
        out,
        "{}: {}. {} {}\n",
        v.source(),
        source(&doc.source),
        v.rows_read_used(doc.rows_read, doc.rows_used),
        // Column names from the codebook (the weight, the strata) are in it.
        esc(&legend.design_and_methods(&doc.design))
    )?;
    if let Some(w) = doc.weighting {
        write_weighting(&legend, w, out)?;
    }
    if !doc.supplements.response.is_empty() {
        let rows = super::html::response_rows(doc, &legend);
        let columns = legend.response_columns();
        simple_table(legend.response_heading(), &columns, 2, &rows, out)?;
        writeln!(out, "{}\n", legend.response_note())?;
    }
    if !doc.supplements.scales.is_empty() {
        let rows: Vec<Vec<String>> = doc
            .supplements
            .scales
            .iter()
            .map(|s| legend.scale_row(s).to_vec())
            .collect();
        let columns = legend.scales_columns();
        simple_table(legend.scales_heading(), &columns, 2, &rows, out)?;
        writeln!(out, "{}\n", legend.scales_note())?;
    }
    for r in doc.results {
        if !r.tests.is_empty() {
            writeln!(out, "### {}: {}\n", v.tests_heading(), esc(&r.title))?;
            write_tests(doc.codebook, &v, &r.tests, out)?;
        }
    }
    Ok(())
}

/// One table: rows are categories, columns the groups in estimate order.
pub fn write_table(
    legend: &Legend,
    r: &TableResult,
    min_base: u64,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let v = &legend.vocab;
    writeln!(out, "## {}\n", esc(&r.title))?;
    if let Some(p) = &r.population {
        writeln!(out, "*{}*\n", esc(p))?;
    }
    for (heading, m) in super::blocks(r) {
        if let Some(h) = heading {
            writeln!(out, "### {}\n", esc(&h))?;
        }
        write_matrix(v, r, &m, out)?;
    }
    writeln!(
        out,
        "{} {}\n",
        legend.intervals(r.statistic),
        esc(&legend.reliability())
    )?;
    for l in legend.marks(r.mark_kinds(), min_base) {
        writeln!(out, "{}\n", esc(&l))?;
    }
    if let Some(n) = &r.note {
        writeln!(out, "{}\n", esc(n))?;
    }
    Ok(())
}

/// One block of a table: rows are categories (or statements), columns the groups.
fn write_matrix(
    v: &Vocabulary,
    r: &TableResult,
    m: &Matrix,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    write!(out, "| |")?;
    for g in &m.groups {
        write!(out, " {} |", esc(&r.column_heading(g.by, g.group, g.label)))?;
    }
    write!(out, "\n|---|")?;
    for _ in &m.groups {
        write!(out, "---:|")?;
    }
    writeln!(out)?;
    for (i, c) in m.categories.iter().enumerate() {
        write!(out, "| {} |", esc(&c.heading(v)))?;
        for j in 0..m.groups.len() {
            let text = m.cell(i, j).map(|e| cell(v, r, e)).unwrap_or_default();
            write!(out, " {} |", esc(&text))?;
        }
        writeln!(out)?;
    }
    if m.has_base_row() {
        write!(out, "| *n* |")?;
        for j in 0..m.groups.len() {
            write!(out, " {} |", v.count(m.base(j)))?;
        }
        writeln!(out)?;
    }
    writeln!(out)
}

/// Group comparisons of one table, one Markdown table per (between, standardisation).
pub fn write_comparisons(
    doc: &Document,
    legend: &Legend,
    rows: &[&Comparison],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let v = &legend.vocab;
    let mut keys: Vec<(&crate::stats::Breakdown, &Option<String>)> = Vec::new();
    for r in rows {
        let k = (&r.between, &r.standardized);
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    for (between, std) in keys {
        let label = breakdown_label(doc.codebook, between, v);
        let kind = match std {
            None => v.crude().to_string(),
            Some(s) => v.standardised_for(&breakdown_label(
                doc.codebook,
                &crate::stats::Breakdown::by(s),
                v,
            )),
        };
        writeln!(out, "### {}\n", esc(&v.comparison_heading(&label, &kind)))?;
        writeln!(out, "| | a | b | a | b | b − a | p (Holm) |")?;
        writeln!(out, "|---|---|---|---:|---:|---:|---:|")?;
        for r in rows
            .iter()
            .filter(|r| r.between == *between && r.standardized == *std)
        {
            let sig = super::comparisons::significance_mark(r);
            let p = match &r.note {
                None => v.p_value(r.p_holm),
                Some(n) => esc(&v.note(n)),
            };
            writeln!(
                out,
                "| {} | {} | {} | {} | {} | {}{} | {} |",
                esc(&super::answer_label(doc.codebook, r)),
                esc(&r.group_a_label),
                esc(&r.group_b_label),
                v.value(r.estimate_a, r.statistic),
                v.value(r.estimate_b, r.statistic),
                v.difference(r.difference, r.statistic),
                esc(sig),
                p,
            )?;
        }
        writeln!(out, "\n{}\n", esc(&legend.significance()))?;
    }
    Ok(())
}

/// Rao–Scott tests of one table.
pub fn write_tests(
    codebook: &crate::codebook::Codebook,
    v: &Vocabulary,
    rows: &[TestRow],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    writeln!(out, "| | {} | F | ndf | ddf | p |", v.by())?;
    writeln!(out, "|---|---|---:|---:|---:|---:|")?;
    for r in rows {
        let what = if r.category.is_empty() {
            v.whole_question()
        } else {
            r.category_label.as_str()
        };
        if let Some(n) = &r.note {
            writeln!(
                out,
                "| {} | {} | {} | | | |",
                esc(what),
                esc(&breakdown_label(codebook, &r.by, v)),
                esc(&v.note(n))
            )?;
            continue;
        }
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            esc(what),
            esc(&breakdown_label(codebook, &r.by, v)),
            v.decimal(r.f, 2),
            v.decimal(r.ndf, 2),
            v.decimal(r.ddf, 1),
            v.p_value(r.p_f)
        )?;
    }
    writeln!(out)
}

/// A section of a heading and a small table (the first `text_columns` columns left-aligned).
fn simple_table(
    heading: &str,
    columns: &[&str],
    text_columns: usize,
    rows: &[Vec<String>],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(out, "### {heading}\n")?;
    writeln!(out, "| {} |", columns.join(" | "))?;
    let align: Vec<&str> = (0..columns.len())
        .map(|i| if i < text_columns { "---" } else { "---:" })
        .collect();
    writeln!(out, "|{}|", align.join("|"))?;
    for r in rows {
        let cells: Vec<String> = r.iter().map(|c| esc(c)).collect();
        writeln!(out, "| {} |", cells.join(" | "))?;
    }
    writeln!(out)
}

/// The weighting section: the representativeness table and the weights' diagnostics.
pub fn write_weighting(
    legend: &Legend,
    w: &crate::stats::calibrate::WeightingReport,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(out, "### {}\n", legend.weighting_heading())?;
    writeln!(out, "{}\n", esc(&legend.weighted_to(w)))?;
    let cols = legend.representativeness_columns();
    writeln!(out, "| {} |", cols.join(" | "))?;
    writeln!(out, "|---|---|---:|---:|---:|---:|---:|")?;
    for m in &w.margins {
        let cells = legend.representativeness_row(m).map(|c| esc(&c));
        writeln!(out, "| {} |", cells.join(" | "))?;
    }
    writeln!(out, "\n{}\n", legend.representativeness_note())?;
    for l in legend.weight_diagnostics(w) {
        writeln!(out, "- {}", esc(&l))?;
    }
    writeln!(out)
}
