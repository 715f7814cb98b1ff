//! Aligned text for a terminal: one block per grouping variable, groups down, categories across
//! would not fit Dutch labels, so categories run down within each group.

use crate::stats::{Estimate, Reliability};
use std::io::Write;

fn pct(x: f64) -> String {
    if x.is_finite() {
        format!("{:.1}%", 100.0 * x)
    } else {
        "–".into()
    }
}

fn mean(x: f64) -> String {
    if x.is_finite() {
        format!("{x:.2}")
    } else {
        "–".into()
    }
}

fn width(s: &str) -> usize {
    s.chars().count()
}

fn pad(s: &str, w: usize) -> String {
    let mut out = s.to_string();
    for _ in width(s)..w {
        out.push(' ');
    }
    out
}

fn lpad(s: &str, w: usize) -> String {
    let mut out = String::new();
    for _ in width(s)..w {
        out.push(' ');
    }
    out.push_str(s);
    out
}

fn flag(r: Reliability) -> &'static str {
    match r {
        Reliability::Ok => "",
        Reliability::Indicative => "indicative",
        Reliability::Unreliable => "unreliable (n < 30)",
        Reliability::Suppress => "suppress (< 5 answers)",
    }
}

pub fn write(
    heading: &super::TableHeading,
    rows: &[Estimate],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(out, "{}: {}", heading.name, heading.label)?;
    writeln!(out, "{}", heading.method)?;
    let level = rows.first().map_or(0.95, |r| r.level);
    let ci_head = format!("{}% CI", num_level(level));
    let mut lines: Vec<[String; 6]> = Vec::new();
    let mut last_by = None;
    for e in rows {
        let fmt = if e.statistic == "mean" { mean } else { pct };
        if last_by.as_deref() != Some(e.by.as_str()) {
            last_by = Some(e.by.clone());
            lines.push(Default::default());
        }
        let group = if e.by == "(all)" {
            "Totaal".to_string()
        } else {
            format!("{}: {}", e.by, e.group_label)
        };
        let ci = match (e.ci_lower, e.ci_upper) {
            (Some(l), Some(u)) => format!("{} – {}", fmt(l), fmt(u)),
            _ => "–".into(),
        };
        let mut f = flag(e.reliability).to_string();
        if !e.note.is_empty() {
            if !f.is_empty() {
                f.push_str("; ");
            }
            f.push_str(&e.note);
        }
        lines.push([
            group,
            e.category_label.clone(),
            e.n.to_string(),
            fmt(e.estimate),
            ci,
            f,
        ]);
    }
    let head = [
        "group".to_string(),
        "category".to_string(),
        "n".to_string(),
        "estimate".to_string(),
        ci_head,
        "note".to_string(),
    ];
    let mut w = [0usize; 6];
    for l in lines.iter().chain(std::iter::once(&head)) {
        for (i, c) in l.iter().enumerate() {
            w[i] = w[i].max(width(c)).min(48);
        }
    }
    let render = |l: &[String; 6]| {
        format!(
            "{}  {}  {}  {}  {}  {}",
            pad(&l[0], w[0]),
            pad(&l[1], w[1]),
            lpad(&l[2], w[2]),
            lpad(&l[3], w[3]),
            pad(&l[4], w[4]),
            l[5]
        )
        .trim_end()
        .to_string()
    };
    writeln!(out)?;
    writeln!(out, "{}", render(&head))?;
    for l in &lines {
        if l[0].is_empty() {
            writeln!(out)?;
        } else {
            writeln!(out, "{}", render(l))?;
        }
    }
    Ok(())
}

fn num_level(level: f64) -> String {
    let p = 100.0 * level;
    if (p - p.round()).abs() < 1e-9 {
        format!("{}", p.round())
    } else {
        format!("{p}")
    }
}
