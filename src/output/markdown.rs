//! A readable Markdown report: per table, categories down and groups across, each cell the
//! estimate with its interval, flags explained under the table.

use super::fmt::{difference, p_value as pval, value as pct_or_mean};
use super::TableHeading;
use crate::stats::{Estimate, Reliability};
use std::io::Write;

fn cell(e: &Estimate) -> String {
    if !e.estimate.is_finite() {
        return "–".into();
    }
    let (v, lo, hi) = if e.statistic == "mean" {
        (
            format!("{:.2}", e.estimate),
            e.ci_lower.map(|x| format!("{x:.2}")),
            e.ci_upper.map(|x| format!("{x:.2}")),
        )
    } else {
        (
            format!("{:.1}%", 100.0 * e.estimate),
            e.ci_lower.map(|x| format!("{:.1}", 100.0 * x)),
            e.ci_upper.map(|x| format!("{:.1}", 100.0 * x)),
        )
    };
    let ci = match (lo, hi) {
        (Some(l), Some(h)) => format!(" ({l}–{h})"),
        _ => String::new(),
    };
    let mark = match e.reliability {
        Reliability::Ok => "",
        Reliability::Indicative => " *",
        Reliability::Unreliable => " **",
        Reliability::Suppress => " x",
    };
    format!("{v}{ci}{mark}")
}

fn esc(s: &str) -> String {
    s.replace('|', "\\|")
}

/// Write one table: rows are categories, columns the groups in estimate order.
pub fn write_table(
    heading: &TableHeading,
    rows: &[Estimate],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(out, "## {}: {}\n", esc(&heading.name), esc(&heading.label))?;
    let m = super::Matrix::of(rows);
    let (groups, cats) = (&m.groups, &m.categories);
    write!(out, "| |")?;
    for g in groups {
        write!(out, " {} |", esc(g.2))?;
    }
    write!(out, "\n|---|")?;
    for _ in groups {
        write!(out, "---:|")?;
    }
    writeln!(out)?;
    for c in cats {
        write!(out, "| {} |", esc(c.1))?;
        for g in groups {
            write!(out, " {} |", m.find(g, c).map(cell).unwrap_or_default())?;
        }
        writeln!(out)?;
    }
    write!(out, "| *n* |")?;
    for g in groups {
        write!(out, " {} |", m.base(g))?;
    }
    writeln!(out, "\n\n{}", heading.method)?;
    writeln!(
        out,
        "\\* indicative (base 30–99), \\*\\* unreliable (base < 30), x fewer than 5 respondents gave this answer: do not publish.\n"
    )
}

/// Group comparisons of one table, one Markdown table per (between, standardisation).
pub fn write_comparisons(
    codebook: &crate::codebook::Codebook,
    rows: &[crate::stats::Comparison],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut keys: Vec<(String, String)> = Vec::new();
    for r in rows {
        let k = (r.between.clone(), r.standardized.clone());
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    for (between, std) in keys {
        let label = codebook
            .variable(&between)
            .map_or(between.clone(), |v| codebook.variables[v].label.clone());
        let kind = if std.is_empty() {
            "crude".to_string()
        } else {
            let l = codebook
                .variable(&std)
                .map_or(std.clone(), |v| codebook.variables[v].label.clone());
            format!("standardised for {}", l.to_lowercase())
        };
        writeln!(
            out,
            "### Comparison by {} ({kind})\n",
            esc(&label.to_lowercase())
        )?;
        writeln!(out, "| | a | b | a | b | b − a | p (Holm) |")?;
        writeln!(out, "|---|---|---|---:|---:|---:|---:|")?;
        for r in rows
            .iter()
            .filter(|r| r.between == between && r.standardized == std)
        {
            let mean = r.category.is_empty();
            let diff = difference(r.difference, mean);
            writeln!(
                out,
                "| {} | {} | {} | {} | {} | {}{} | {} |",
                esc(&r.category_label),
                esc(&r.group_a_label),
                esc(&r.group_b_label),
                pct_or_mean(r.estimate_a, mean),
                pct_or_mean(r.estimate_b, mean),
                diff,
                if r.significant { " *" } else { "" },
                if r.note.is_empty() {
                    pval(r.p_holm)
                } else {
                    esc(&r.note)
                },
            )?;
        }
        writeln!(
            out,
            "\n\\* significant at the 5% level after Holm's adjustment over the table.\n"
        )?;
    }
    Ok(())
}

/// Rao–Scott tests of one table.
pub fn write_tests(rows: &[crate::stats::TestRow], out: &mut dyn Write) -> std::io::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    writeln!(out, "### Tests of independence (Rao–Scott)\n")?;
    writeln!(out, "| | by | F | ndf | ddf | p |")?;
    writeln!(out, "|---|---|---:|---:|---:|---:|")?;
    for r in rows {
        let what = if r.category.is_empty() {
            "(whole question)"
        } else {
            r.category_label.as_str()
        };
        if !r.note.is_empty() {
            writeln!(
                out,
                "| {} | {} | {} | | | |",
                esc(what),
                esc(&r.by),
                esc(&r.note)
            )?;
            continue;
        }
        writeln!(
            out,
            "| {} | {} | {:.2} | {:.2} | {:.1} | {} |",
            esc(what),
            esc(&r.by),
            r.f,
            r.ndf,
            r.ddf,
            pval(r.p_f)
        )?;
    }
    writeln!(out)
}
