//! Text rendering of group comparisons.

use super::fmt::{difference as diff, p_value as p, value};
use crate::codebook::Codebook;
use crate::stats::{CompareSpec, Comparison};
use std::io::Write;

pub struct ComparisonHeading {
    pub title: String,
    pub subtitle: String,
}

pub fn heading(
    codebook: &Codebook,
    table: usize,
    spec: &CompareSpec,
    design: &str,
) -> ComparisonHeading {
    let t = &codebook.tables[table];
    let between = &codebook.variables[spec.between];
    let kind = match spec.standardize {
        None => "crude".to_string(),
        Some(s) => format!("standardised over {}", codebook.variables[s].name),
    };
    ComparisonHeading {
        title: format!("{}: {}", t.name, codebook.variables[t.rows].label),
        subtitle: format!(
            "Comparison by {} ({kind}); difference = second group − first; Holm-adjusted over the table. Design: {design}.",
            between.name
        ),
    }
}

pub fn write_text(
    h: &ComparisonHeading,
    rows: &[Comparison],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(out, "{}", h.title)?;
    writeln!(out, "{}\n", h.subtitle)?;
    let mean = rows.first().is_some_and(|r| r.category.is_empty());
    let head = [
        "category",
        "a",
        "b",
        "estimate a",
        "estimate b",
        "b − a",
        "CI",
        "p",
        "p Holm",
        "",
    ]
    .map(String::from);
    let mut lines = vec![head];
    for r in rows {
        let ci = if r.ci_lower.is_finite() {
            format!("{} to {}", diff(r.ci_lower, mean), diff(r.ci_upper, mean))
        } else {
            "–".into()
        };
        let mut sig = if r.significant {
            "*".to_string()
        } else {
            String::new()
        };
        if !r.note.is_empty() {
            sig = r.note.clone();
        }
        lines.push([
            r.category_label.clone(),
            r.group_a_label.clone(),
            r.group_b_label.clone(),
            value(r.estimate_a, mean),
            value(r.estimate_b, mean),
            diff(r.difference, mean),
            ci,
            p(r.p_value),
            p(r.p_holm),
            sig,
        ]);
    }
    let mut w = [0usize; 10];
    for l in &lines {
        for (i, c) in l.iter().enumerate() {
            w[i] = w[i].max(c.chars().count()).min(40);
        }
    }
    for l in &lines {
        let mut s = String::new();
        for (i, c) in l.iter().enumerate() {
            let pad = w[i].saturating_sub(c.chars().count());
            if (3..9).contains(&i) {
                s.push_str(&" ".repeat(pad));
                s.push_str(c);
            } else {
                s.push_str(c);
                if i < 9 {
                    s.push_str(&" ".repeat(pad));
                }
            }
            s.push_str("  ");
        }
        writeln!(out, "{}", s.trim_end())?;
    }
    writeln!(
        out,
        "\n* significant at the chosen level after Holm's adjustment"
    )
}
