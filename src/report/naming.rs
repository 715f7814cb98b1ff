//! File names of a report: one stem per table and per chart.

/// A name as a file stem: letters, digits, '-' and '_' kept, anything else '_'.
pub fn file_stem(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The stem of a table's chart for a breakdown (`totaal` for the whole sample, the variables
/// joined by `-x-` for a crossing).
pub fn chart_stem(table: &str, breakdown: &crate::stats::Breakdown) -> String {
    let suffix = match breakdown {
        crate::stats::Breakdown::Total => "totaal".to_string(),
        crate::stats::Breakdown::By(vars) => vars
            .iter()
            .map(|v| file_stem(v))
            .collect::<Vec<_>>()
            .join("-x-"),
    };
    format!("{}-{suffix}", file_stem(table))
}

/// The stem of a table's chart of means per group.
pub fn means_chart_stem(table: &str) -> String {
    format!("{}-gemiddelden", file_stem(table))
}

/// The stem of a table's trend chart.
pub fn trend_chart_stem(table: &str) -> String {
    format!("{}-trend", file_stem(table))
}

/// The stem of a table's trend chart per group of a breakdown (`<table>-<by>-trend`).
pub fn trend_breakdown_chart_stem(table: &str, breakdown: &crate::stats::Breakdown) -> String {
    format!("{}-trend", chart_stem(table, breakdown))
}
