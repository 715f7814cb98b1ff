//! `index.html`: one self-contained page with every table and its charts. It loads nothing from
//! the network (styles are inline, charts are relative `<img>` links), so it opens from disk.

use super::fmt::{difference, p_value, value};
use crate::codebook::Codebook;
use crate::commands::report::TableResult;
use crate::stats::{Estimate, Reliability};
use std::io::Write;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const STYLE: &str = "body{font-family:'Liberation Sans',Arial,Helvetica,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#1a1a1a}\
table{border-collapse:collapse;margin:1em 0;font-size:14px}th,td{border-bottom:1px solid #ddd;padding:4px 8px;text-align:right}\
th:first-child,td:first-child{text-align:left}thead th{border-bottom:2px solid #555}\
td.flag{color:#777}td.sup{color:#bbb}img{max-width:100%;border:1px solid #eee;margin:0.5em 0}\
p.method{color:#555;font-size:13px}nav a{margin-right:1em}";

fn cell(e: &Estimate) -> (String, &'static str) {
    let mean = e.statistic == "mean";
    if !e.estimate.is_finite() {
        return ("–".into(), "");
    }
    let ci = match (e.ci_lower, e.ci_upper) {
        (Some(l), Some(u)) => format!(
            " ({}–{})",
            value(l, mean).trim_end_matches('%'),
            value(u, mean).trim_end_matches('%')
        ),
        _ => String::new(),
    };
    match e.reliability {
        Reliability::Suppress => ("x".into(), "sup"),
        Reliability::Unreliable => (format!("{}{ci} **", value(e.estimate, mean)), "flag"),
        Reliability::Indicative => (format!("{}{ci} *", value(e.estimate, mean)), ""),
        Reliability::Ok => (format!("{}{ci}", value(e.estimate, mean)), ""),
    }
}

fn estimates_table(rows: &[Estimate], out: &mut dyn Write) -> std::io::Result<()> {
    let m = super::Matrix::of(rows);
    let (groups, cats) = (&m.groups, &m.categories);
    write!(out, "<table><thead><tr><th></th>")?;
    for g in groups {
        write!(out, "<th>{}</th>", esc(g.2))?;
    }
    writeln!(out, "</tr></thead><tbody>")?;
    for c in cats {
        write!(out, "<tr><td>{}</td>", esc(c.1))?;
        for g in groups {
            match rows
                .iter()
                .find(|e| e.by == g.0 && e.group == g.1 && e.category == c.0)
            {
                Some(e) => {
                    let (text, class) = cell(e);
                    write!(out, "<td class=\"{class}\">{}</td>", esc(&text))?;
                }
                None => write!(out, "<td></td>")?,
            }
        }
        writeln!(out, "</tr>")?;
    }
    write!(out, "<tr><td><i>n</i></td>")?;
    for g in groups {
        let n = rows
            .iter()
            .filter(|e| e.by == g.0 && e.group == g.1)
            .map(|e| e.n)
            .max()
            .unwrap_or(0);
        write!(out, "<td>{n}</td>")?;
    }
    writeln!(out, "</tr></tbody></table>")
}

/// Write the whole page.
pub fn write_page(
    codebook: &Codebook,
    method: &str,
    results: &[TableResult],
    charts: &[Vec<String>],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"nl\"><head><meta charset=\"utf-8\">"
    )?;
    writeln!(
        out,
        "<title>{}</title><style>{STYLE}</style></head><body>",
        esc(&codebook.title)
    )?;
    writeln!(
        out,
        "<h1>{}</h1>\n<p class=\"method\">{}</p>",
        esc(&codebook.title),
        esc(method)
    )?;
    write!(out, "<nav>")?;
    for r in results {
        write!(out, "<a href=\"#{0}\">{0}</a>", esc(&r.heading.name))?;
    }
    writeln!(out, "</nav>")?;
    for (r, stems) in results.iter().zip(charts) {
        writeln!(
            out,
            "<section id=\"{}\"><h2>{}</h2>",
            esc(&r.heading.name),
            esc(&r.heading.label)
        )?;
        estimates_table(&r.estimates, out)?;
        writeln!(
            out,
            "<p class=\"method\">Percentages with {}% intervals in brackets. * indicative (base 30–99), ** unreliable (base &lt; 30), x fewer than 5 answers: not published.</p>",
            (100.0 * r.estimates.first().map_or(0.95, |e| e.level)).round()
        )?;
        for stem in stems {
            writeln!(out, "<img src=\"charts/{0}.svg\" alt=\"{0}\">", esc(stem))?;
        }
        if !r.comparisons.is_empty() {
            writeln!(out, "<h3>Comparisons</h3><table><thead><tr><th></th><th>a</th><th>b</th><th>a</th><th>b</th><th>b − a</th><th>p (Holm)</th><th>standardised</th></tr></thead><tbody>")?;
            for c in &r.comparisons {
                let mean = c.category.is_empty();
                writeln!(
                    out,
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}{}</td><td>{}</td><td>{}</td></tr>",
                    esc(&c.category_label),
                    esc(&c.group_a_label),
                    esc(&c.group_b_label),
                    value(c.estimate_a, mean),
                    value(c.estimate_b, mean),
                    difference(c.difference, mean),
                    if c.significant { " *" } else { "" },
                    if c.note.is_empty() { p_value(c.p_holm) } else { esc(&c.note) },
                    esc(&c.standardized)
                )?;
            }
            writeln!(out, "</tbody></table>")?;
        }
        if !r.tests.is_empty() {
            writeln!(out, "<h3>Tests of independence (Rao–Scott)</h3><table><thead><tr><th></th><th>by</th><th>F</th><th>ndf</th><th>ddf</th><th>p</th></tr></thead><tbody>")?;
            for t in &r.tests {
                let what = if t.category.is_empty() {
                    "(whole question)"
                } else {
                    t.category_label.as_str()
                };
                writeln!(
                    out,
                    "<tr><td>{}</td><td>{}</td><td>{:.2}</td><td>{:.2}</td><td>{:.1}</td><td>{}</td></tr>",
                    esc(what),
                    esc(&t.by),
                    t.f,
                    t.ndf,
                    t.ddf,
                    if t.note.is_empty() { p_value(t.p_f) } else { esc(&t.note) }
                )?;
            }
            writeln!(out, "</tbody></table>")?;
        }
        writeln!(out, "</section>")?;
    }
    writeln!(out, "</body></html>")
}
