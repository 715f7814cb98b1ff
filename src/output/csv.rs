//! Tidy CSV: one row per estimate, full precision, stable column order.

use crate::stats::Estimate;
use crate::text::escape::csv_text;
use crate::text::{num, opt};
use std::io::Write;

pub const COLUMNS: [&str; 22] = [
    "table",
    "variable",
    "category",
    "category_label",
    "by",
    "group",
    "group_label",
    "statistic",
    "n",
    "count",
    "weighted_base",
    "estimate",
    "se",
    "ci_lower",
    "ci_upper",
    "ci_method",
    "level",
    "df",
    "deff",
    "n_eff",
    "reliability",
    "note",
];

/// Text fields (names, codes, labels, notes) go through [`csv_text`] against formula injection;
/// numbers are written as numbers.
pub fn write<'a>(
    rows: impl IntoIterator<Item = &'a Estimate>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(COLUMNS)?;
    for e in rows {
        w.write_record([
            &*csv_text(&e.table),
            &*csv_text(&e.variable),
            &*csv_text(&e.category),
            &*csv_text(&e.category_label),
            &*csv_text(&e.by.to_string()),
            &*csv_text(&e.group.to_string()),
            &*csv_text(&e.group_label),
            e.statistic.name(),
            &e.n.to_string(),
            &e.count.to_string(),
            &num(e.weighted_base),
            &num(e.estimate),
            &num(e.se),
            &opt(e.ci_lower),
            &opt(e.ci_upper),
            &*csv_text(&e.ci_method),
            &num(e.level),
            &num(e.df),
            &opt(e.deff),
            &num(e.n_eff),
            e.reliability.name(),
            &*csv_text(&crate::stats::note::text(&e.note)),
        ])?;
    }
    w.flush()
}
