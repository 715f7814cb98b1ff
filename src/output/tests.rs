//! Text rendering of Rao–Scott tests.

use crate::codebook::Codebook;
use crate::stats::TestRow;
use std::io::Write;

/// Column names of [`TestRow`] (for an empty CSV).
pub const COLUMNS: [&str; 15] = [
    "table",
    "variable",
    "category",
    "category_label",
    "by",
    "n",
    "f",
    "ndf",
    "ddf",
    "p_f",
    "chisq_first_order",
    "df_first_order",
    "p_chisq",
    "pearson_x2",
    "note",
];

fn fmt(x: f64, digits: usize) -> String {
    if x.is_finite() {
        format!("{x:.digits$}")
    } else {
        "–".into()
    }
}

fn p(x: f64) -> String {
    if !x.is_finite() {
        "–".into()
    } else if x < 0.0001 {
        format!("{x:.1e}")
    } else {
        format!("{x:.4}")
    }
}

pub fn write_text(
    codebook: &Codebook,
    table: usize,
    design: &str,
    rows: &[TestRow],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let t = &codebook.tables[table];
    writeln!(out, "{}: {}", t.name, codebook.variables[t.rows].label)?;
    writeln!(
        out,
        "Rao–Scott tests of independence (R svychisq): second-order F and first-order χ². Design: {design}.\n"
    )?;
    let mut lines = vec![[
        "category",
        "by",
        "n",
        "F",
        "ndf",
        "ddf",
        "p (F)",
        "χ² (1st)",
        "df",
        "p (χ²)",
        "X² Pearson",
    ]
    .map(String::from)
    .to_vec()];
    for r in rows {
        let mut l = vec![
            if r.category.is_empty() {
                "(whole question)".to_string()
            } else {
                r.category_label.clone()
            },
            r.by.clone(),
            fmt(r.n, 0),
            fmt(r.f, 3),
            fmt(r.ndf, 2),
            fmt(r.ddf, 1),
            p(r.p_f),
            fmt(r.chisq_first_order, 2),
            fmt(r.df_first_order, 0),
            p(r.p_chisq),
            fmt(r.pearson_x2, 2),
        ];
        if !r.note.is_empty() {
            l.push(r.note.clone());
        }
        lines.push(l);
    }
    let cols = 11;
    let mut w = vec![0usize; cols];
    for l in &lines {
        for (i, c) in l.iter().take(cols).enumerate() {
            w[i] = w[i].max(c.chars().count()).min(40);
        }
    }
    for l in &lines {
        let mut s = String::new();
        for (i, c) in l.iter().enumerate() {
            let width = w.get(i).copied().unwrap_or(0);
            let pad = width.saturating_sub(c.chars().count());
            if (2..cols).contains(&i) {
                s.push_str(&" ".repeat(pad));
                s.push_str(c);
            } else {
                s.push_str(c);
                s.push_str(&" ".repeat(pad));
            }
            s.push_str("  ");
        }
        writeln!(out, "{}", s.trim_end())?;
    }
    Ok(())
}
