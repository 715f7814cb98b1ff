//! File names of a report: one stem per table and per chart. Names are made file-safe here
//! (nothing but letters, digits, `-` and `_`, so no name leaves the output folder), and the
//! codebook check refuses names whose files would collide ([`table_files`]).

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
pub fn chart_stem(table: &str, breakdown: &crate::keys::Breakdown) -> String {
    let suffix = match breakdown {
        crate::keys::Breakdown::Total => "totaal".to_string(),
        crate::keys::Breakdown::By(vars) => vars
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
pub fn trend_breakdown_chart_stem(table: &str, breakdown: &crate::keys::Breakdown) -> String {
    format!("{}-trend", chart_stem(table, breakdown))
}

/// Files of a report folder that hold every table at once: a table may not be written under
/// these stems (`estimates.csv` would be overwritten by, or overwrite, the combined file).
pub const COMBINED_STEMS: [&str; 5] = ["estimates", "comparisons", "tests", "scales", "response"];

/// Every file a table can produce, relative to its report folder (and, for the trend chart, to a
/// batch folder): its CSV files and the charts of the whole sample, of each breakdown, of its
/// means and of its trends (the whole sample's and each breakdown's). `by` holds each breakdown's variable names. The codebook check uses
/// this list to refuse names that collide or cannot be written.
pub fn table_files(table: &str, by: &[Vec<String>]) -> Vec<String> {
    let stem = file_stem(table);
    let mut out = vec![
        format!("{stem}.csv"),
        format!("{stem}.compare.csv"),
        format!("{stem}.tests.csv"),
    ];
    let breakdowns = std::iter::once(crate::keys::Breakdown::Total)
        .chain(by.iter().map(|v| crate::keys::Breakdown::By(v.clone())));
    let mut charts: Vec<String> = Vec::new();
    for b in breakdowns {
        charts.push(chart_stem(table, &b));
        if !b.is_total() {
            charts.push(trend_breakdown_chart_stem(table, &b));
        }
    }
    charts.push(means_chart_stem(table));
    charts.push(trend_chart_stem(table));
    for c in charts {
        out.push(format!("charts/{c}.svg"));
        out.push(format!("charts/{c}.png"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_file_stems() {
        assert_eq!(file_stem("a/b"), "a_b");
        assert_eq!(file_stem("../x"), "___x");
        assert_eq!(file_stem("tevredenheid-2"), "tevredenheid-2");
        let files = table_files(
            "kanaal",
            &[vec!["taal".into()], vec!["a".into(), "b".into()]],
        );
        assert!(files.contains(&"kanaal.csv".to_string()));
        assert!(files.contains(&"charts/kanaal-totaal.svg".to_string()));
        assert!(files.contains(&"charts/kanaal-taal.png".to_string()));
        assert!(files.contains(&"charts/kanaal-a-x-b.svg".to_string()));
        assert!(files.contains(&"charts/kanaal-gemiddelden.svg".to_string()));
        assert!(files.contains(&"charts/kanaal-trend.svg".to_string()));
        assert!(files.contains(&"charts/kanaal-taal-trend.png".to_string()));
    }
}
