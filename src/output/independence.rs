//! Text rendering of Rao–Scott tests.

use crate::codebook::Codebook;
use crate::present::Vocabulary;
use crate::stats::TestRow;
use crate::text::escape::terminal;
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

fn p(v: &Vocabulary, x: f64) -> String {
    if x.is_finite() && x < 0.0001 {
        format!("{x:.1e}").replace('.', &v.decimal(0.5, 1)[1..2])
    } else {
        v.decimal(x, 4)
    }
}

fn line(v: &Vocabulary, r: &TestRow) -> Vec<String> {
    // Labels and names come from the codebook: no control character reaches the terminal.
    let mut l = vec![
        if r.category.is_empty() {
            v.whole_question().to_string()
        } else {
            terminal(&r.category_label).into_owned()
        },
        terminal(&r.by.to_string()).into_owned(),
        v.decimal(r.n, 0),
        v.decimal(r.f, 3),
        v.decimal(r.ndf, 2),
        v.decimal(r.ddf, 1),
        p(v, r.p_f),
        v.decimal(r.chisq_first_order, 2),
        v.decimal(r.df_first_order, 0),
        p(v, r.p_chisq),
        v.decimal(r.pearson_x2, 2),
    ];
    if let Some(n) = &r.note {
        l.push(v.note(n));
    }
    l
}

pub fn write_text(
    codebook: &Codebook,
    table: usize,
    v: &Vocabulary,
    design: &str,
    rows: &[TestRow],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let t = &codebook.tables[table];
    writeln!(
        out,
        "{}: {}",
        terminal(&t.name),
        terminal(&codebook.variables[t.rows].label)
    )?;
    writeln!(
        out,
        "{} {design}\n",
        v.pick(
            "Rao–Scott-toetsen op samenhang (R svychisq): F met tweede-ordecorrectie en χ² met eerste-ordecorrectie.",
            "Rao–Scott tests of independence (R svychisq): second-order F and first-order χ².",
        )
    )?;
    let mut lines = vec![[
        v.category(),
        v.by(),
        "n",
        "F",
        "ndf",
        "ddf",
        "p (F)",
        v.pick("χ² (1e orde)", "χ² (1st)"),
        "df",
        "p (χ²)",
        "X² Pearson",
    ]
    .map(String::from)
    .to_vec()];
    lines.extend(rows.iter().map(|r| line(v, r)));
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
