//! The batch's `index.html`: the Kerncijfers of every table (answers down, years across, ▲▼ for
//! a significant change from the previous measurement), links to the trend charts and to each
//! year's report, with the same accessible skeleton as a report page ([`super::page`]).

use super::page::{self, esc, region};
use crate::naming::file_stem;
use crate::present::Legend;
use crate::report::kerncijfers::{change_words, KeyTable};
use std::io::Write;

/// What the page links to besides its tables.
pub struct KeyPage<'a> {
    pub title: &'a str,
    pub years: &'a [u32],
    /// The years whose report is complete (their folder has an index.html).
    pub reports: &'a [u32],
    pub tables: &'a [KeyTable],
    /// Per table (in the order of `tables`): its trend charts' stems and headings.
    pub charts: &'a [Vec<(String, String)>],
    pub legend: Legend,
}

pub fn write_page(p: &KeyPage, out: &mut dyn Write) -> std::io::Result<()> {
    let legend = &p.legend;
    let v = legend.vocab;
    let mut links: Vec<(String, String)> = p
        .tables
        .iter()
        .map(|t| (format!("#t-{}", file_stem(&t.name)), t.title.clone()))
        .collect();
    links.push((
        "#rapporten".into(),
        v.pick("Rapporten per jaar", "Reports per year").into(),
    ));
    links.push(("#verantwoording".into(), v.methods_heading().into()));
    let intro = v.pick(
        "Kerncijfers: de uitkomsten voor alle respondenten, per jaar. Per onderwerp staan daaronder de grafieken van de ontwikkeling, per jaar is er een volledig rapport.",
        "Key figures: the results for all respondents, per year. Below each subject are the charts of its development; each year has a full report.",
    );
    page::open(out, &v, p.title, &[intro.to_string()], &links)?;
    for (t, charts) in p.tables.iter().zip(p.charts) {
        key_table(p, t, charts, out)?;
    }
    writeln!(
        out,
        "<section id=\"rapporten\" aria-labelledby=\"rapporten-h\"><h2 id=\"rapporten-h\">{}</h2><ul>",
        v.pick("Rapporten per jaar", "Reports per year")
    )?;
    for y in p.reports {
        writeln!(
            out,
            "<li><a href=\"{y}/index.html\">{} {y}</a> ({} <a href=\"{y}/tabellenboek.xlsx\">{}</a>)</li>",
            v.pick("Rapport", "Report"),
            v.pick("met", "with"),
            v.pick("tabellenboek", "tables workbook")
        )?;
    }
    writeln!(out, "</ul></section>")?;
    writeln!(
        out,
        "<section id=\"verantwoording\" aria-labelledby=\"verantwoording-h\"><h2 id=\"verantwoording-h\">{}</h2><p>{}</p><p>{}</p></section>",
        v.methods_heading(),
        esc(&legend.key_changes()),
        esc(v.pick(
            "Alle cijfers per jaar, met hun betrouwbaarheidsintervallen en de toetsen van de veranderingen, staan in trends.csv; de kerncijfers ook in kerncijfers.xlsx.",
            "Every figure per year, with its confidence interval and the tests of the changes, is in trends.csv; the key figures are also in kerncijfers.xlsx.",
        ))
    )?;
    page::close(out)
}

fn key_table(
    p: &KeyPage,
    t: &KeyTable,
    charts: &[(String, String)],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let legend = &p.legend;
    let v = &legend.vocab;
    let id = format!("t-{}", file_stem(&t.name));
    writeln!(
        out,
        "<section id=\"{id}\" aria-labelledby=\"{id}-h\"><h2 id=\"{id}-h\">{}</h2>",
        esc(&t.title)
    )?;
    let caption = format!("{id}-cap");
    write!(
        out,
        "{}<table><caption id=\"{caption}\"><span class=\"sr\">{}</span>",
        region(&caption),
        esc(&t.title)
    )?;
    if let Some(pop) = &t.population {
        write!(out, "<span class=\"sub\">{}</span>", esc(pop))?;
    }
    let what = match t.statistic {
        crate::stats::Statistic::Proportion => v.pick(
            "Percentage van alle respondenten, per jaar.",
            "Percentage of all respondents, per year.",
        ),
        crate::stats::Statistic::Mean | crate::stats::Statistic::Quantile => {
            v.pick("Gemiddelde, per jaar.", "Mean, per year.")
        }
        crate::stats::Statistic::Total => v.pick(
            "Geschat aantal inwoners, per jaar.",
            "Estimated number of residents, per year.",
        ),
    };
    write!(
        out,
        "<span class=\"sub\">{what}</span></caption><thead><tr><td></td>"
    )?;
    for y in p.years {
        write!(out, "<th scope=\"col\">{y}</th>")?;
    }
    writeln!(out, "</tr></thead><tbody>")?;
    write_rows(p, t, out)?;
    writeln!(out, "</tr></tbody></table></div>")?;
    writeln!(
        out,
        "<ul class=\"legend\"><li>{}</li></ul>",
        esc(&legend.key_changes())
    )?;
    if !charts.is_empty() {
        write!(
            out,
            "<h3>{}</h3><ul>",
            v.pick("Grafieken van de ontwikkeling", "Charts of the development")
        )?;
        for (stem, heading) in charts {
            write!(
                out,
                "<li><a href=\"charts/{}.svg\">{}</a> (<a href=\"charts/{}.png\">PNG</a>)</li>",
                esc(stem),
                esc(heading),
                esc(stem)
            )?;
        }
        writeln!(out, "</ul>")?;
    }
    writeln!(out, "</section>")
}

/// The rows of a table of key figures: each answer by year, then the base per year.
fn write_rows(p: &KeyPage, t: &KeyTable, out: &mut dyn Write) -> std::io::Result<()> {
    let v = &p.legend.vocab;
    for ind in &t.indicators {
        write!(out, "<tr><th scope=\"row\">{}</th>", esc(&ind.label))?;
        for f in &ind.figures {
            match f {
                None => write!(
                    out,
                    "<td>{}</td>",
                    page::mark(
                        crate::present::mark::NONE,
                        v.pick("niet gevraagd", "not asked")
                    )
                )?,
                Some(f) => {
                    let marks = match f.change {
                        Some((glyph, from)) => page::mark(glyph, &change_words(v, glyph, from)),
                        None => String::new(),
                    };
                    write!(
                        out,
                        "<td>{}{marks}</td>",
                        esc(&v.value(f.estimate, t.statistic))
                    )?;
                }
            }
        }
        writeln!(out, "</tr>")?;
    }
    write!(
        out,
        "<tr class=\"base\"><th scope=\"row\">{}</th>",
        esc(v.base_row())
    )?;
    for b in &t.bases {
        match b {
            Some(n) => write!(out, "<td>{}</td>", v.count(*n))?,
            None => write!(out, "<td></td>")?,
        }
    }
    Ok(())
}
