//! Text rendering of group comparisons (`enquete compare`).

use crate::codebook::Against;
use crate::codebook::Codebook;
use crate::present::{mark, Legend};
use crate::stats::{CompareSpec, Comparison};
use crate::text::escape::terminal;
use std::io::Write;

pub struct ComparisonHeading {
    pub title: String,
    pub subtitle: String,
}

pub fn heading(
    codebook: &Codebook,
    table: usize,
    spec: &CompareSpec,
    legend: &Legend,
    design: &str,
) -> ComparisonHeading {
    let v = &legend.vocab;
    let t = &codebook.tables[table];
    let between = crate::present::breakdown_label(
        codebook,
        &crate::stats::estimate::breakdown_of(codebook, &spec.between),
        v,
    );
    let kind = match spec.standardize {
        None => v.crude().to_string(),
        Some(s) => v.standardised_for(&codebook.variables[s].label),
    };
    let explain = match spec.against {
        Against::Pairs => v.pick(
            "verschil = tweede groep − eerste; Holm-correctie over de tabel.",
            "difference = second group − first; Holm-adjusted over the table.",
        ),
        Against::Total => v.pick(
            "verschil = groep − totaal; Holm-correctie over de tabel.",
            "difference = group − total; Holm-adjusted over the table.",
        ),
        Against::Rest => v.pick(
            "verschil = groep − overige respondenten; Holm-correctie over de tabel.",
            "difference = group − everyone else; Holm-adjusted over the table.",
        ),
    };
    ComparisonHeading {
        title: format!("{}: {}", t.name, codebook.variables[t.rows].label),
        subtitle: format!(
            "{}; {explain} {design}",
            v.comparison_heading(&between, &kind)
        ),
    }
}

fn line(legend: &Legend, r: &Comparison) -> [String; 10] {
    let v = &legend.vocab;
    let stat = r.statistic;
    let ci = if r.ci_lower.is_finite() {
        format!(
            "{} … {}",
            v.difference(r.ci_lower, stat),
            v.difference(r.ci_upper, stat)
        )
    } else {
        mark::NONE.into()
    };
    let sig = match &r.note {
        Some(n) => v.note(n),
        None => significance_mark(r).to_string(),
    };
    // Labels come from the codebook: no control character reaches the terminal.
    [
        terminal(&r.category_label).into_owned(),
        terminal(&r.group_a_label).into_owned(),
        terminal(&r.group_b_label).into_owned(),
        v.value(r.estimate_a, stat),
        v.value(r.estimate_b, stat),
        v.difference(r.difference, stat),
        ci,
        v.p_value(r.p_value),
        v.p_value(r.p_holm),
        sig,
    ]
}

pub fn write_text(
    legend: &Legend,
    h: &ComparisonHeading,
    rows: &[Comparison],
    min_base: u64,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let v = &legend.vocab;
    writeln!(out, "{}", terminal(&h.title))?;
    writeln!(out, "{}\n", terminal(&h.subtitle))?;
    let head = [
        v.category(),
        "a",
        "b",
        v.pick("schatting a", "estimate a"),
        v.pick("schatting b", "estimate b"),
        "b − a",
        v.pick("BI", "CI"),
        "p",
        "p Holm",
        "",
    ]
    .map(String::from);
    let mut lines = vec![head];
    lines.extend(rows.iter().map(|r| line(legend, r)));
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
    let kinds = crate::present::MarkKinds {
        letters: false,
        total: rows.iter().any(|r| {
            matches!(
                r.group_a,
                crate::stats::GroupKey::Total | crate::stats::GroupKey::Rest
            )
        }),
        pairs: rows
            .iter()
            .any(|r| matches!(r.group_a, crate::stats::GroupKey::Codes(_))),
        benchmark: rows
            .iter()
            .any(|r| r.group_a == crate::stats::GroupKey::Benchmark),
        untested: rows.iter().any(|r| r.significant.is_none()),
    };
    writeln!(out)?;
    for l in legend.marks(kinds, min_base) {
        writeln!(out, "{l}")?;
    }
    Ok(())
}

/// The mark of a significant comparison: ▲/▼ against the total or the rest, `*` for a pair.
pub fn significance_mark(r: &Comparison) -> &'static str {
    match (r.significant, &r.group_a) {
        (Some(true), crate::stats::GroupKey::Total | crate::stats::GroupKey::Rest) => {
            if r.difference > 0.0 {
                mark::HIGHER
            } else {
                mark::LOWER
            }
        }
        (Some(true), crate::stats::GroupKey::Benchmark) => {
            if r.difference > 0.0 {
                mark::ABOVE_BENCHMARK
            } else {
                mark::BELOW_BENCHMARK
            }
        }
        (Some(true), _) => mark::SIGNIFICANT,
        _ => "",
    }
}
