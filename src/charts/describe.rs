//! A chart said in words: its title, its subtitle and every figure it draws, as the charts label
//! them ("Telefoon: Nederlands (n = 3.673) 67% (65–69); Engels (n = 225) 41% (34–49)"). It is
//! the SVG's `<desc>` and the text alternative of the chart on a page, so that a reader who
//! cannot see the chart gets the same figures.

use super::axis::Axis;
use super::Chart;

/// An interval as the axis labels values, without the unit: "(63–67)".
fn interval(axis: &Axis, ci: Option<(f64, f64)>) -> String {
    match ci {
        Some((lo, hi)) if lo.is_finite() && hi.is_finite() => format!(
            " ({}–{})",
            axis.value_label(lo).trim_end_matches('%'),
            axis.value_label(hi).trim_end_matches('%')
        ),
        _ => String::new(),
    }
}

/// The chart's title and subtitle in one sentence each.
pub fn heading(chart: &Chart) -> String {
    let f = chart.frame();
    match &f.subtitle {
        Some(s) => format!("{}. {s}.", f.title.trim_end_matches(['.', '?'])),
        None => format!("{}.", f.title),
    }
}

/// Every figure of the chart, in the order it is drawn.
pub fn figures(chart: &Chart) -> String {
    let mut parts: Vec<String> = Vec::new();
    match chart {
        Chart::Bars(c) => {
            for cat in &c.categories {
                let bars: Vec<String> = c
                    .groups
                    .iter()
                    .zip(&cat.bars)
                    .filter(|(_, b)| !b.text.is_empty())
                    .map(|(g, b)| {
                        let ci = if b.value.is_finite() {
                            interval(&c.axis, b.ci)
                        } else {
                            String::new()
                        };
                        if c.groups.len() == 1 {
                            format!("{}{ci}", b.text)
                        } else {
                            format!("{} {}{ci}", g.label, b.text)
                        }
                    })
                    .collect();
                if !bars.is_empty() {
                    parts.push(format!("{}: {}", cat.label, bars.join(", ")));
                }
            }
        }
        Chart::Dots(c) => {
            for panel in &c.panels {
                let rows: Vec<String> = panel
                    .rows
                    .iter()
                    .map(|r| format!("{} {}", r.label, r.text))
                    .collect();
                let mut s = match &panel.title {
                    Some(t) => format!("{t}: "),
                    None => String::new(),
                };
                if let Some(reference) = &panel.reference {
                    s.push_str(&format!("{}; ", reference.label));
                }
                s.push_str(&rows.join(", "));
                parts.push(s);
            }
        }
        Chart::Stacked(c) => {
            for row in &c.rows {
                let shares: Vec<String> = c
                    .segments
                    .iter()
                    .zip(&row.shares)
                    .filter(|(_, x)| x.is_finite())
                    .map(|(s, x)| format!("{} {}", s.label, c.axis.value_label(100.0 * x)))
                    .collect();
                let mut s = format!("{}: {}", row.label, shares.join(", "));
                if !row.text.is_empty() {
                    s.push_str(&format!(" ({})", row.text));
                }
                parts.push(s);
            }
        }
        Chart::Lines(c) => {
            for panel in &c.panels {
                let series: Vec<String> = panel
                    .series
                    .iter()
                    .map(|s| {
                        let years: Vec<String> = c
                            .years
                            .iter()
                            .zip(&s.points)
                            .filter_map(|(y, p)| {
                                p.as_ref()
                                    .map(|p| format!("{y} {}", panel.axis.value_label(p.value)))
                            })
                            .collect();
                        format!("{} {}", s.name, years.join(", "))
                    })
                    .collect();
                let title = panel
                    .title
                    .as_ref()
                    .map_or(String::new(), |t| format!("{t}: "));
                parts.push(format!("{title}{}", series.join("; ")));
            }
        }
    }
    parts.join(". ")
}

/// The whole description: heading and figures.
pub fn describe(chart: &Chart) -> String {
    let figures = figures(chart);
    if figures.is_empty() {
        heading(chart)
    } else {
        format!("{} {figures}.", heading(chart))
    }
}
