//! Aligned text for a terminal: one block per breakdown; categories run down within each group
//! (Dutch labels would not fit across).

use crate::report::TableResult;
use crate::text::escape::terminal;
use std::io::Write;

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

/// The lines of the table: group, category, n, estimate, interval, flags (an empty line
/// between breakdowns).
fn lines(heading: &super::TableHeading, r: &TableResult) -> Vec<[String; 6]> {
    let v = &heading.legend.vocab;
    let mut lines: Vec<[String; 6]> = Vec::new();
    let mut last_by = None;
    for e in &r.estimates {
        if last_by != Some(&e.by) {
            last_by = Some(&e.by);
            lines.push(Default::default());
        }
        let group = if e.by.is_total() {
            v.total().to_string()
        } else {
            format!(
                "{}: {}",
                e.by,
                r.column_heading(&e.by, &e.group, &e.group_label)
            )
        };
        let mut ci = v.interval(e.ci_lower, e.ci_upper, e.statistic);
        if ci.is_empty() {
            ci = crate::present::mark::NONE.into();
        }
        let mut flags = v.reliability_words(e.reliability).to_string();
        if let Some(n) = &e.note {
            if !flags.is_empty() {
                flags.push_str("; ");
            }
            flags.push_str(&v.note(n));
        }
        // Labels come from the codebook: no control character reaches the terminal.
        lines.push([
            terminal(&group).into_owned(),
            terminal(&e.category_label).into_owned(),
            v.count(e.n),
            format!("{}{}", v.value(e.estimate, e.statistic), r.marks(e)),
            ci,
            flags,
        ]);
    }
    lines
}

pub fn write(
    heading: &super::TableHeading,
    r: &TableResult,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let rows = &r.estimates;
    let v = &heading.legend.vocab;
    writeln!(
        out,
        "{}: {}",
        terminal(&heading.name),
        terminal(&heading.label)
    )?;
    writeln!(out, "{}", terminal(&heading.description))?;
    let level = rows.first().map_or(0.95, |r| r.level);
    let head = [
        v.group().to_string(),
        v.category().to_string(),
        "n".to_string(),
        v.estimate().to_string(),
        v.ci(level),
        v.note_heading().to_string(),
    ];
    let lines = lines(heading, r);
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
    writeln!(out)?;
    for l in heading.legend.marks(r.mark_kinds(), heading.min_base) {
        writeln!(out, "{l}")?;
    }
    Ok(())
}
