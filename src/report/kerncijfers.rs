//! Kerncijfers: the key figures of a multi-year project as municipal monitors publish them, one
//! table per question with its answers (or its mean) as rows and the years as columns, for all
//! respondents (a statement battery: each statement's first NET, or else its answers; totals and
//! quantiles are left to trends.csv); ▲▼ where the change from the previous measurement is
//! significant. Built from the
//! trend rows of `batch` (the same figures as trends.csv), for the batch's `index.html` and
//! `kerncijfers.xlsx` (written by [`crate::output::html::kerncijfers`] and
//! [`crate::output::kerncijfers`]).

use crate::codebook::Codebook;
use crate::keys::Breakdown;
use crate::present::{mark, Vocabulary};
use crate::stats::trend::TrendRow;
use crate::stats::Statistic;

/// One figure of one year.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub estimate: f64,
    pub n: u64,
    /// ▲ or ▼ when the change from `change_from` is significant.
    pub change: Option<(&'static str, u32)>,
}

/// One row: an answer (or the mean) and its figure per year (none: not asked that year).
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    pub label: String,
    pub figures: Vec<Option<Figure>>,
}

/// One table of key figures.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyTable {
    /// The table's name (file stems of its trend charts).
    pub name: String,
    pub title: String,
    pub population: Option<String>,
    pub statistic: Statistic,
    pub indicators: Vec<Indicator>,
    /// The unweighted base per year (the largest over the answers).
    pub bases: Vec<Option<u64>>,
}

/// The key figures of every table of `codebook` (in its order) over `years` (ascending), from
/// the whole sample's trend rows; hidden answers left out.
pub fn key_tables(
    codebook: &Codebook,
    rows: &[TrendRow],
    years: &[u32],
    vocab: &Vocabulary,
) -> Vec<KeyTable> {
    let mut out = Vec::new();
    for t in &codebook.tables {
        let net = t.is_battery().then(|| t.nets.first()).flatten();
        let mine: Vec<&TrendRow> = rows
            .iter()
            .filter(|r| r.table == t.name && r.by == Breakdown::Total)
            .filter(|r| Some(&r.statistic) == t.statistics.first())
            .filter(|r| net.is_none_or(|n| r.category == n.key))
            .collect();
        let Some(first) = mine.first() else { continue };
        // (variable, category, label): a battery's rows name their statement.
        let mut categories: Vec<(&str, &str, String)> = Vec::new();
        for r in &mine {
            if categories
                .iter()
                .any(|k| k.0 == r.variable && k.1 == r.category)
                || t.hide.contains(&r.category)
            {
                continue;
            }
            let statement = || codebook.label_of(&r.variable);
            let label = match (t.is_battery(), net) {
                (false, _) => r.category_label.clone(),
                (true, Some(_)) => statement(),
                (true, None) => format!("{}: {}", statement(), r.category_label),
            };
            categories.push((r.variable.as_str(), r.category.as_str(), label));
        }
        let indicators = categories
            .iter()
            .map(|(variable, category, label)| Indicator {
                label: label.to_string(),
                figures: years
                    .iter()
                    .map(|y| {
                        mine.iter()
                            .find(|r| {
                                r.year == *y && r.category == *category && r.variable == *variable
                            })
                            .filter(|r| r.estimate.is_finite())
                            .map(|r| Figure {
                                estimate: r.estimate,
                                n: r.n,
                                change: match (r.change_significant, r.change_from) {
                                    (Some(true), Some(from)) => Some((
                                        if r.change > 0.0 {
                                            mark::HIGHER
                                        } else {
                                            mark::LOWER
                                        },
                                        from,
                                    )),
                                    _ => None,
                                },
                            })
                    })
                    .collect(),
            })
            .collect();
        let bases = years
            .iter()
            .map(|y| {
                mine.iter()
                    .filter(|r| r.year == *y && r.estimate.is_finite())
                    .map(|r| r.n)
                    .max()
            })
            .collect();
        out.push(KeyTable {
            name: t.name.clone(),
            title: codebook.trend_title(t),
            population: t
                .population
                .clone()
                .or_else(|| crate::present::population(codebook, t, vocab)),
            statistic: first.statistic,
            indicators,
            bases,
        });
    }
    out
}

/// The words a screen reader says for a change mark.
pub fn change_words(v: &Vocabulary, glyph: &str, from: u32) -> String {
    match glyph {
        g if g == mark::HIGHER => v.pick(
            format!("significant hoger dan in {from}"),
            format!("significantly higher than in {from}"),
        ),
        _ => v.pick(
            format!("significant lager dan in {from}"),
            format!("significantly lower than in {from}"),
        ),
    }
}
