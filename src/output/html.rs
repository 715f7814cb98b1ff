//! `index.html`: one self-contained page with every table and its charts. It loads nothing from
//! the network (styles are inline, charts are relative `<img>` links), so it opens from disk.

use super::Matrix;
use crate::present::breakdown_label;
use crate::present::{Legend, Vocabulary};
use crate::report::{Document, TableResult};
use crate::stats::{Comparison, Estimate, Reliability, TestRow};
use std::io::Write;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const STYLE: &str = "body{font-family:'Liberation Sans',Arial,Helvetica,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#1a1a1a}\
div.wide{overflow-x:auto;margin:1em 0}table{border-collapse:collapse;font-size:14px}\
th,td{border-bottom:1px solid #ddd;padding:4px 8px;text-align:right;vertical-align:top}\
th:first-child,td:first-child,.text{text-align:left}thead th{border-bottom:2px solid #555;white-space:nowrap}\
thead tr.by th{border-bottom:1px solid #999;text-align:center;font-weight:normal;color:#555}\
td .v{white-space:nowrap}td .ci{display:block;white-space:nowrap;font-size:12px;color:#666}\
td.flag{color:#777}td.sup{color:#bbb}img{max-width:100%;border:1px solid #eee;margin:0.5em 0}\
p.method{color:#555;font-size:13px}nav a{margin-right:1em}";

/// A cell as HTML: the value with its marks on one line, the interval under it (the same
/// content as the other outputs' one-line cell).
fn cell(v: &Vocabulary, r: &TableResult, e: &Estimate) -> (String, &'static str) {
    let class = match e.reliability {
        Reliability::Suppress => "sup",
        Reliability::Unreliable => "flag",
        _ => "",
    };
    if !e.estimate.is_finite() || e.reliability == Reliability::Suppress {
        let text = v.cell(e.estimate, (None, None), e.statistic, e.reliability, "");
        return (esc(&text), class);
    }
    let value = format!(
        "{}{}{}",
        v.value(e.estimate, e.statistic),
        r.marks(e),
        v.reliability_mark(e.reliability)
    );
    let ci = v.interval(e.ci_lower, e.ci_upper, e.statistic);
    let html = if ci.is_empty() {
        format!("<span class=\"v\">{}</span>", esc(&value))
    } else {
        format!(
            "<span class=\"v\">{}</span><span class=\"ci\">{}</span>",
            esc(&value),
            esc(&ci)
        )
    };
    (html, class)
}

fn estimates_table(
    doc: &Document,
    v: &Vocabulary,
    r: &TableResult,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let m = Matrix::of(&r.estimates);
    // A row naming each breakdown over its columns, then the groups.
    write!(
        out,
        "<div class=\"wide\"><table><thead><tr class=\"by\"><th></th>"
    )?;
    for (by, _, len) in m.spans() {
        let label = if by.is_total() {
            String::new()
        } else {
            breakdown_label(doc.codebook, by, v)
        };
        write!(out, "<th colspan=\"{len}\">{}</th>", esc(&label))?;
    }
    write!(out, "</tr><tr><th></th>")?;
    for g in &m.groups {
        write!(
            out,
            "<th>{}</th>",
            esc(&r.column_heading(g.by, g.group, g.label))
        )?;
    }
    writeln!(out, "</tr></thead><tbody>")?;
    for c in &m.categories {
        write!(out, "<tr><td>{}</td>", esc(c.1))?;
        for g in &m.groups {
            match m.find(g, c) {
                Some(e) => {
                    let (html, class) = cell(v, r, e);
                    write!(out, "<td class=\"{class}\">{html}</td>")?;
                }
                None => write!(out, "<td></td>")?,
            }
        }
        writeln!(out, "</tr>")?;
    }
    write!(out, "<tr><td><i>n</i></td>")?;
    for g in &m.groups {
        write!(out, "<td>{}</td>", v.count(m.base(g)))?;
    }
    writeln!(out, "</tr></tbody></table></div>")
}

/// Write the whole page.
pub fn write_page(doc: &Document, out: &mut dyn Write) -> std::io::Result<()> {
    let legend = doc.presentation.legend();
    let v = legend.vocab;
    let title = esc(&doc.codebook.title);
    writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">",
        v.lang.tag()
    )?;
    writeln!(
        out,
        "<title>{title}</title><style>{STYLE}</style></head><body>"
    )?;
    writeln!(
        out,
        "<h1>{title}</h1>\n<p class=\"method\">{}</p>",
        esc(&legend.design_and_methods(&doc.design))
    )?;
    write!(out, "<nav>")?;
    if doc.weighting.is_some() {
        write!(
            out,
            "<a href=\"#weging\">{}</a>",
            legend.weighting_heading()
        )?;
    }
    for r in doc.results {
        write!(out, "<a href=\"#{0}\">{0}</a>", esc(&r.name))?;
    }
    writeln!(out, "</nav>")?;
    if let Some(w) = doc.weighting {
        write_weighting(&legend, w, out)?;
    }
    for (r, stems) in doc.results.iter().zip(&doc.charts) {
        write_section(doc, &legend, r, stems, out)?;
    }
    writeln!(out, "</body></html>")
}

fn write_section(
    doc: &Document,
    legend: &Legend,
    r: &TableResult,
    stems: &[String],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let v = &legend.vocab;
    writeln!(
        out,
        "<section id=\"{}\"><h2>{}</h2>",
        esc(&r.name),
        esc(&r.label)
    )?;
    estimates_table(doc, v, r, out)?;
    writeln!(
        out,
        "<p class=\"method\">{} {}</p>",
        esc(&legend.intervals(r.statistic)),
        esc(&legend.reliability())
    )?;
    for l in legend.marks(r.mark_kinds(), doc.codebook.min_base_test) {
        writeln!(out, "<p class=\"method\">{}</p>", esc(&l))?;
    }
    for stem in stems {
        writeln!(out, "<img src=\"charts/{0}.svg\" alt=\"{0}\">", esc(stem))?;
    }
    let listed = r.listed_comparisons();
    if !listed.is_empty() {
        comparisons_table(doc, legend, &listed, out)?;
    }
    if !r.tests.is_empty() {
        tests_table(doc.codebook, v, &r.tests, out)?;
    }
    writeln!(out, "</section>")
}

fn comparisons_table(
    doc: &Document,
    legend: &Legend,
    rows: &[&Comparison],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let v = &legend.vocab;
    writeln!(
        out,
        "<h3>{}</h3><table><thead><tr><th></th><th>a</th><th>b</th><th>a</th><th>b</th><th>b − a</th><th>p (Holm)</th><th>{}</th></tr></thead><tbody>",
        v.comparisons(),
        v.pick("standaardisatie", "standardisation")
    )?;
    for c in rows {
        let std = match &c.standardized {
            None => v.crude().to_string(),
            Some(s) => breakdown_label(doc.codebook, &crate::stats::Breakdown::by(s), v),
        };
        let p = match &c.note {
            None => v.p_value(c.p_holm),
            Some(n) => v.note(n),
        };
        writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}{}</td><td>{}</td><td>{}</td></tr>",
            esc(&c.category_label),
            esc(&c.group_a_label),
            esc(&c.group_b_label),
            v.value(c.estimate_a, c.statistic),
            v.value(c.estimate_b, c.statistic),
            v.difference(c.difference, c.statistic),
            super::comparisons::significance_mark(c),
            esc(&p),
            esc(&std)
        )?;
    }
    writeln!(
        out,
        "</tbody></table><p class=\"method\">{}</p>",
        esc(&legend.significance())
    )
}

fn tests_table(
    codebook: &crate::codebook::Codebook,
    v: &Vocabulary,
    rows: &[TestRow],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(
        out,
        "<h3>{}</h3><table><thead><tr><th></th><th>{}</th><th>F</th><th>ndf</th><th>ddf</th><th>p</th></tr></thead><tbody>",
        v.tests_heading(),
        v.by()
    )?;
    for t in rows {
        let what = if t.category.is_empty() {
            v.whole_question()
        } else {
            t.category_label.as_str()
        };
        let p = match &t.note {
            None => v.p_value(t.p_f),
            Some(n) => v.note(n),
        };
        writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(what),
            esc(&breakdown_label(codebook, &t.by, v)),
            v.decimal(t.f, 2),
            v.decimal(t.ndf, 2),
            v.decimal(t.ddf, 1),
            esc(&p)
        )?;
    }
    writeln!(out, "</tbody></table>")
}

/// The weighting section: the representativeness table and the weights' diagnostics.
fn write_weighting(
    legend: &Legend,
    w: &crate::stats::calibrate::WeightingReport,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(
        out,
        "<section id=\"weging\"><h2>{}</h2><p>{}</p>",
        legend.weighting_heading(),
        esc(&legend.weighted_to(w))
    )?;
    write!(out, "<div class=\"wide\"><table><thead><tr>")?;
    for (i, c) in legend.representativeness_columns().iter().enumerate() {
        let class = if i < 2 { " class=\"text\"" } else { "" };
        write!(out, "<th{class}>{}</th>", esc(c))?;
    }
    writeln!(out, "</tr></thead><tbody>")?;
    for m in &w.margins {
        let [variable, category, numbers @ ..] = legend.representativeness_row(m);
        write!(
            out,
            "<tr><td>{}</td><td class=\"text\">{}</td>",
            esc(&variable),
            esc(&category)
        )?;
        for n in numbers {
            write!(out, "<td>{n}</td>")?;
        }
        writeln!(out, "</tr>")?;
    }
    writeln!(
        out,
        "</tbody></table></div><p class=\"method\">{}</p>",
        esc(legend.representativeness_note())
    )?;
    for l in legend.weight_diagnostics(w) {
        writeln!(out, "<p class=\"method\">{}</p>", esc(&l))?;
    }
    writeln!(out, "</section>")
}
