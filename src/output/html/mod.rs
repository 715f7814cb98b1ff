//! `index.html`: one self-contained page with every table and its charts, built to meet WCAG 2.1
//! AA as written (see docs/accessibility.md and [`page`]). It loads nothing from the network
//! (styles are inline, charts are relative `<img>` links), so it opens from disk.
//!
//! Each table is a `<table>` with a caption, header cells with scopes (a breakdown over its
//! groups as `colgroup`), row headers, and data cells naming their headers; marks are glyphs for
//! the eye with words for a screen reader. The method details close the page ("Verantwoording").

pub mod kerncijfers;
pub mod page;

use super::Matrix;
use crate::naming::file_stem;
use crate::present::{breakdown_label, mark, Legend, Vocabulary};
use crate::report::{ChartRef, Document, TableResult};
use crate::stats::{Comparison, Estimate, Reliability, TestRow};
use page::{esc, region};
use std::io::Write;

/// A text alternative longer than this points at the table's caption instead of listing every
/// figure (the table is the data of the chart).
const LONGEST_ALT: usize = 1200;

/// The id of a table's section (the `t-` prefix keeps it apart from the page's own ids).
fn section_id(r: &TableResult) -> String {
    format!("t-{}", file_stem(&r.name))
}

/// Write the whole page.
pub fn write_page(doc: &Document, out: &mut dyn Write) -> std::io::Result<()> {
    let legend = doc.presentation.legend();
    let v = legend.vocab;
    let mut links: Vec<(String, String)> = doc
        .results
        .iter()
        .map(|r| (format!("#{}", section_id(r)), r.title.clone()))
        .collect();
    links.push(("#verantwoording".into(), v.methods_heading().into()));
    page::open(
        out,
        &v,
        &doc.codebook.title,
        &[legend.plain_summary(&doc.design)],
        &links,
    )?;
    for (r, charts) in doc.results.iter().zip(&doc.charts) {
        write_section(doc, &legend, r, charts, out)?;
    }
    write_methods(doc, &legend, out)?;
    page::close(out)
}

fn write_section(
    doc: &Document,
    legend: &Legend,
    r: &TableResult,
    charts: &[ChartRef],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let id = section_id(r);
    writeln!(
        out,
        "<section id=\"{id}\" aria-labelledby=\"{id}-h\"><h2 id=\"{id}-h\">{}</h2>",
        esc(&r.title)
    )?;
    if r.title != r.label {
        writeln!(out, "<p>{}</p>", esc(&r.label))?;
    }
    estimates_table(doc, legend, r, &id, out)?;
    let mut lines = vec![format!(
        "{} {}",
        legend.intervals(r.statistic),
        legend.reliability()
    )];
    lines.extend(legend.marks(r.mark_kinds(), doc.codebook.min_base_test));
    legend_list(&lines, out)?;
    if let Some(n) = &r.note {
        writeln!(out, "<p>{}</p>", esc(n))?;
    }
    for (k, c) in charts.iter().enumerate() {
        figure(
            &legend.vocab,
            c,
            &format!("{id}-f{k}"),
            &format!("{id}-cap"),
            out,
        )?;
    }
    let listed = r.listed_comparisons();
    if !listed.is_empty() {
        comparisons_table(doc, legend, r, &listed, &id, out)?;
    }
    writeln!(out, "</section>")
}

/// The legend under a table: one sentence per kind of mark.
fn legend_list(lines: &[String], out: &mut dyn Write) -> std::io::Result<()> {
    write!(out, "<ul class=\"legend\">")?;
    for l in lines {
        write!(out, "<li>{}</li>", esc(l))?;
    }
    writeln!(out, "</ul>")
}

/// A chart: the image in a region that scrolls on a narrow screen, its title as the caption,
/// and a text alternative with its figures (or, when they are many, the table's caption).
fn figure(
    v: &Vocabulary,
    c: &ChartRef,
    id: &str,
    table_caption: &str,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let (alt, described) = if c.figures.chars().count() <= LONGEST_ALT {
        (format!("{} {}.", c.heading, c.figures), String::new())
    } else {
        (
            format!(
                "{} {}",
                c.heading,
                v.pick(
                    "De cijfers staan in de tabel hierboven.",
                    "The figures are in the table above."
                )
            ),
            format!(" aria-describedby=\"{table_caption}\""),
        )
    };
    writeln!(
        out,
        "<figure>{}<img src=\"charts/{}.svg\" alt=\"{}\"{described}></div><figcaption id=\"{id}\">{}</figcaption></figure>",
        region(id),
        esc(&c.stem),
        esc(&alt),
        esc(&c.heading)
    )
}

/// What a cell shows: the value, its marks and its interval, with words for a screen reader.
fn cell(v: &Vocabulary, r: &TableResult, e: &Estimate) -> (String, &'static str) {
    let class = match e.reliability {
        Reliability::Suppress => "sup",
        Reliability::Unreliable | Reliability::Indicative => "flag",
        _ => "",
    };
    if !e.estimate.is_finite() {
        let words = v.pick("geen cijfer", "no figure");
        return (page::mark(mark::NONE, words), class);
    }
    if e.reliability == Reliability::Suppress {
        let words = v.mark_words(mark::SUPPRESSED);
        return (page::mark(mark::SUPPRESSED, words), class);
    }
    let mut marks = String::new();
    if !e.by.is_total() {
        if r.letters {
            let letters = r.letters_list(e);
            if !letters.is_empty() {
                marks.push_str(&page::mark(
                    &format!(" {}", letters.join("")),
                    &v.letters_words(&letters),
                ));
            }
        } else {
            if let Some(m) = r.total_mark(e) {
                marks.push_str(&page::mark(m, v.mark_words(m)));
            }
            if r.pair_mark(e) {
                marks.push_str(&page::mark(
                    mark::SIGNIFICANT,
                    v.mark_words(mark::SIGNIFICANT),
                ));
            }
        }
    }
    if let Some(m) = r.benchmark_mark(e) {
        marks.push_str(&page::mark(m, v.mark_words(m)));
    }
    let reliability = v.reliability_mark(e.reliability);
    if !reliability.is_empty() {
        marks.push_str(&page::mark(reliability, v.mark_words(reliability)));
    }
    let value = format!(
        "<span class=\"v\">{}{marks}</span>",
        esc(&v.value(e.estimate, e.statistic))
    );
    let ci = v.interval(e.ci_lower, e.ci_upper, e.statistic);
    if ci.is_empty() {
        return (value, class);
    }
    let html = format!(
        "{value}<span class=\"ci\"><span class=\"sr\">{} </span>{}</span>",
        v.interval_words(),
        esc(&ci)
    );
    (html, class)
}

/// A table of estimates: answers down, the whole sample and each breakdown's groups across; a
/// statement battery's blocks one after another (each a table of its own).
fn estimates_table(
    doc: &Document,
    legend: &Legend,
    r: &TableResult,
    id: &str,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    for (k, (heading, m)) in super::blocks(r).into_iter().enumerate() {
        let block = if k == 0 {
            id.to_string()
        } else {
            format!("{id}-{k}")
        };
        if let Some(h) = &heading {
            writeln!(out, "<h3>{}</h3>", esc(h))?;
        }
        matrix_table(doc, legend, r, &m, heading.as_deref(), &block, out)?;
    }
    Ok(())
}

/// One block of a table as a `<table>` with ids prefixed by `id`.
fn matrix_table(
    doc: &Document,
    legend: &Legend,
    r: &TableResult,
    m: &Matrix,
    heading: Option<&str>,
    id: &str,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let v = &legend.vocab;
    let caption = format!("{id}-cap");
    // The title is the section's heading just above: said to a screen reader, not shown twice.
    let title = match heading {
        Some(h) => format!("{}: {h}", r.title),
        None => r.title.clone(),
    };
    write!(
        out,
        "{}<table><caption id=\"{caption}\"><span class=\"sr\">{}</span>",
        region(&caption),
        esc(&title)
    )?;
    if let Some(p) = &r.population {
        write!(out, "<span class=\"sub\">{}</span>", esc(p))?;
    }
    writeln!(
        out,
        "<span class=\"sub\">{}</span></caption>",
        esc(&v.figures_are(r.statistic, &v.level(legend.level)))
    )?;
    let headers = write_head(doc, v, r, m, id, out)?;
    writeln!(out, "</tr></thead><tbody>")?;
    for (j, c) in m.categories.iter().enumerate() {
        write!(
            out,
            "<tr><th scope=\"row\" id=\"{id}-r{j}\">{}</th>",
            esc(&c.heading(v))
        )?;
        for (g, h) in headers.iter().enumerate() {
            let (html, class) = match m.cell(j, g) {
                Some(e) => cell(v, r, e),
                None => (String::new(), ""),
            };
            let class = if class.is_empty() {
                String::new()
            } else {
                format!(" class=\"{class}\"")
            };
            write!(out, "<td headers=\"{id}-r{j} {h}\"{class}>{html}</td>")?;
        }
        writeln!(out, "</tr>")?;
    }
    if m.has_base_row() {
        write!(
            out,
            "<tr class=\"base\"><th scope=\"row\" id=\"{id}-rn\">{}</th>",
            esc(v.base_row())
        )?;
        for (g, h) in headers.iter().enumerate() {
            write!(
                out,
                "<td headers=\"{id}-rn {h}\">{}</td>",
                v.count(m.base(g))
            )?;
        }
        write!(out, "</tr>")?;
    }
    writeln!(out, "</tbody></table></div>")
}

/// The column headings: the whole sample, each breakdown over its groups (`colgroup`) and the
/// groups. Returns, per column, the ids of its headers (for the data cells' `headers`).
fn write_head(
    doc: &Document,
    v: &Vocabulary,
    r: &TableResult,
    m: &Matrix,
    id: &str,
    out: &mut dyn Write,
) -> std::io::Result<Vec<String>> {
    let spans = m.spans();
    let two_rows = spans.iter().any(|(by, _, _)| !by.is_total());
    let mut headers: Vec<String> = Vec::new();
    write!(
        out,
        "<thead><tr><td{}></td>",
        if two_rows { " rowspan=\"2\"" } else { "" }
    )?;
    for (k, (by, first, len)) in spans.iter().enumerate() {
        if by.is_total() {
            for i in *first..first + len {
                let g = &m.groups[i];
                let rowspan = if two_rows { " rowspan=\"2\"" } else { "" };
                write!(
                    out,
                    "<th scope=\"col\" id=\"{id}-g{i}\"{rowspan}>{}</th>",
                    esc(&r.column_heading(g.by, g.group, g.label))
                )?;
            }
        } else {
            write!(
                out,
                "<th scope=\"colgroup\" colspan=\"{len}\" id=\"{id}-b{k}\">{}</th>",
                esc(&breakdown_label(doc.codebook, by, v))
            )?;
        }
    }
    for (k, (by, first, len)) in spans.iter().enumerate() {
        for i in *first..first + len {
            headers.push(if by.is_total() {
                format!("{id}-g{i}")
            } else {
                format!("{id}-b{k} {id}-g{i}")
            });
        }
    }
    if two_rows {
        write!(out, "</tr><tr>")?;
        for (k, (by, first, len)) in spans.iter().enumerate() {
            if by.is_total() {
                continue;
            }
            for i in *first..first + len {
                let g = &m.groups[i];
                write!(
                    out,
                    "<th scope=\"col\" id=\"{id}-g{i}\" headers=\"{id}-b{k}\">{}</th>",
                    esc(&r.column_heading(g.by, g.group, g.label))
                )?;
            }
        }
    }
    Ok(headers)
}

fn comparisons_table(
    doc: &Document,
    legend: &Legend,
    r: &TableResult,
    rows: &[&Comparison],
    id: &str,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let v = &legend.vocab;
    let caption = format!("{id}-cmp");
    write!(
        out,
        "<h3>{}</h3>{}<table><caption id=\"{caption}\">{}: {}</caption><thead><tr><th scope=\"col\">{}</th>",
        v.comparisons(),
        region(&caption),
        v.comparisons(),
        esc(&r.title),
        v.answer()
    )?;
    for h in v.comparison_columns() {
        write!(out, "<th scope=\"col\">{}</th>", esc(h))?;
    }
    writeln!(out, "</tr></thead><tbody>")?;
    for c in rows {
        let std = match &c.standardized {
            None => v.crude().to_string(),
            Some(s) => breakdown_label(doc.codebook, &crate::keys::Breakdown::by(s), v),
        };
        let p = match &c.note {
            None => v.p_value(c.p_holm),
            Some(n) => v.note(n),
        };
        let significant = match c.significant {
            Some(true) => page::mark(mark::SIGNIFICANT, v.mark_words(mark::SIGNIFICANT)),
            _ => String::new(),
        };
        writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td class=\"text\">{}</td><td class=\"text\">{}</td><td>{}</td><td>{}</td><td>{}{significant}</td><td>{}</td><td class=\"text\">{}</td></tr>",
            esc(&super::answer_label(doc.codebook, c)),
            esc(&c.group_a_label),
            esc(&c.group_b_label),
            v.value(c.estimate_a, c.statistic),
            v.value(c.estimate_b, c.statistic),
            v.difference(c.difference, c.statistic),
            esc(&p),
            esc(&std)
        )?;
    }
    writeln!(out, "</tbody></table></div>")?;
    legend_list(&[legend.significance()], out)
}

/// The closing section: how the figures were made (source, design, intervals), the weighting
/// and the tests of independence.
fn write_methods(doc: &Document, legend: &Legend, out: &mut dyn Write) -> std::io::Result<()> {
    let v = &legend.vocab;
    writeln!(
        out,
        "<section id=\"verantwoording\" aria-labelledby=\"verantwoording-h\"><h2 id=\"verantwoording-h\">{}</h2>",
        v.methods_heading()
    )?;
    // The data file by its name: the folder it sits in says nothing to a reader.
    let file = std::path::Path::new(&doc.source)
        .file_name()
        .map_or(doc.source.clone(), |f| f.to_string_lossy().into_owned());
    writeln!(
        out,
        "<p>{}: {}. {}</p>\n<p>{}</p>\n<p>{}</p>",
        v.source(),
        esc(&file),
        esc(&v.rows_read_used(doc.rows_read, doc.rows_used)),
        esc(&legend.design(&doc.design)),
        esc(&legend.methods())
    )?;
    if let Some(w) = doc.weighting {
        write_weighting(legend, w, out)?;
    }
    write_supplements(doc, legend, out)?;
    for r in doc.results.iter().filter(|r| !r.tests.is_empty()) {
        tests_table(doc.codebook, v, r, &r.tests, out)?;
    }
    writeln!(out, "</section>")
}

fn tests_table(
    codebook: &crate::codebook::Codebook,
    v: &Vocabulary,
    r: &TableResult,
    rows: &[TestRow],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let caption = format!("{}-tests", section_id(r));
    writeln!(
        out,
        "<h3>{}: {}</h3>{}<table><caption id=\"{caption}\">{}: {}</caption><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">F</th><th scope=\"col\">ndf</th><th scope=\"col\">ddf</th><th scope=\"col\">p</th></tr></thead><tbody>",
        v.tests_heading(),
        esc(&r.title),
        region(&caption),
        v.tests_heading(),
        esc(&r.title),
        v.answer(),
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
            "<tr><th scope=\"row\">{}</th><td class=\"text\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(what),
            esc(&breakdown_label(codebook, &t.by, v)),
            v.decimal(t.f, 2),
            v.decimal(t.ndf, 2),
            v.decimal(t.ddf, 1),
            esc(&p)
        )?;
    }
    writeln!(out, "</tbody></table></div>")
}

/// The response per group and the scales (with Cronbach's alpha), when the report has them.
fn write_supplements(doc: &Document, legend: &Legend, out: &mut dyn Write) -> std::io::Result<()> {
    if !doc.supplements.response.is_empty() {
        let rows = response_rows(doc, legend);
        simple_table(
            "respons",
            legend.response_heading(),
            &legend.response_columns(),
            &rows,
            &[legend.response_note().to_string()],
            out,
        )?;
    }
    if !doc.supplements.scales.is_empty() {
        let rows: Vec<Vec<String>> = doc
            .supplements
            .scales
            .iter()
            .map(|s| legend.scale_row(s).to_vec())
            .collect();
        simple_table(
            "schaalscores",
            legend.scales_heading(),
            &legend.scales_columns(),
            &rows,
            &[legend.scales_note().to_string()],
            out,
        )?;
    }
    Ok(())
}

/// The response table's rows as text.
pub(crate) fn response_rows(doc: &Document, legend: &Legend) -> Vec<Vec<String>> {
    doc.supplements
        .response
        .iter()
        .map(|r| {
            let label = doc.codebook.label_of(&r.variable);
            legend.response_row(r, &label).to_vec()
        })
        .collect()
}

/// A small table under an `h3`: the first column text, the second a row header, the others
/// numbers; notes under it.
fn simple_table(
    id: &str,
    heading: &str,
    columns: &[&str],
    rows: &[Vec<String>],
    notes: &[String],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let caption = format!("{id}-cap");
    write!(
        out,
        "<h3 id=\"{id}\">{}</h3>{}<table><caption id=\"{caption}\">{}</caption><thead><tr>",
        esc(heading),
        region(&caption),
        esc(heading)
    )?;
    for c in columns {
        write!(out, "<th scope=\"col\">{}</th>", esc(c))?;
    }
    writeln!(out, "</tr></thead><tbody>")?;
    for r in rows {
        write!(out, "<tr>")?;
        for (i, c) in r.iter().enumerate() {
            match i {
                0 => write!(out, "<td class=\"text\">{}</td>", esc(c))?,
                1 => write!(out, "<th scope=\"row\">{}</th>", esc(c))?,
                _ => write!(out, "<td>{}</td>", esc(c))?,
            }
        }
        writeln!(out, "</tr>")?;
    }
    writeln!(out, "</tbody></table></div>")?;
    legend_list(notes, out)
}

/// The weighting: the representativeness table and the weights' diagnostics.
fn write_weighting(
    legend: &Legend,
    w: &crate::stats::calibrate::WeightingReport,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(
        out,
        "<h3 id=\"weging\">{}</h3><p>{}</p>",
        legend.weighting_heading(),
        esc(&legend.weighted_to(w))
    )?;
    write!(
        out,
        "{}<table><caption id=\"weging-cap\">{}</caption><thead><tr>",
        region("weging-cap"),
        esc(legend.representativeness_note())
    )?;
    for c in legend.representativeness_columns() {
        write!(out, "<th scope=\"col\">{}</th>", esc(c))?;
    }
    writeln!(out, "</tr></thead><tbody>")?;
    for m in &w.margins {
        let [variable, category, numbers @ ..] = legend.representativeness_row(m);
        write!(
            out,
            "<tr><td class=\"text\">{}</td><th scope=\"row\">{}</th>",
            esc(&variable),
            esc(&category)
        )?;
        for n in numbers {
            write!(out, "<td>{n}</td>")?;
        }
        writeln!(out, "</tr>")?;
    }
    writeln!(out, "</tbody></table></div>")?;
    legend_list(&legend.weight_diagnostics(w), out)
}
