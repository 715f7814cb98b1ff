//! The charts of a statement battery: 100%-stacked bars of the answers per statement (the whole
//! sample), with the first NET written after each bar; and per breakdown each statement's NET
//! per group, as grouped bars (few groups) or a dot plot (many), with the usual marks.

use super::axis::Axis;
use super::frame::{Frame, LegendItem, Swatch};
use super::stacked::{Segment, StackedChart, StackedRow};
use super::table::TableCharts;
use super::{palette, Chart, ChartSpec, MANY_GROUPS};
use crate::codebook::Category;
use crate::keys::{Breakdown, Statistic};
use crate::naming::chart_stem;
use crate::present::ReliabilityShown;
use crate::report::{Document, TableResult};
use crate::stats::estimate::breakdown_of;
use crate::stats::Reliability;

pub(super) fn battery_charts(
    doc: &Document,
    i: usize,
    result: &TableResult,
    source: String,
) -> Vec<ChartSpec> {
    let legend = doc.presentation.legend();
    let mut out: Vec<ChartSpec> = stacked(doc, result, &source).into_iter().collect();
    let Some((key, label)) = result.nets.first() else {
        return out;
    };
    let view = net_view(result, key);
    let tc = TableCharts {
        doc,
        legend,
        result: &view,
        table: i,
        source,
        categories: result
            .statements
            .iter()
            .map(|(name, label)| Category {
                key: name.clone(),
                label: label.clone(),
            })
            .collect(),
        title: format!("{}: {}", result.label, label),
    };
    for vars in &doc.codebook.tables[i].by {
        let by = breakdown_of(doc.codebook, vars);
        let chart = if tc.groups(&by).len() > MANY_GROUPS {
            tc.dots(&by)
        } else {
            tc.bars(&by)
        };
        out.extend(chart);
    }
    out
}

/// The table as a question with one answer per statement: each statement's share for NET
/// `key` (estimates and comparisons), keyed by the statement.
fn net_view(result: &TableResult, key: &str) -> TableResult {
    let mut view = result.clone();
    view.estimates.retain(|e| e.category == key);
    for e in &mut view.estimates {
        e.category = e.variable.clone();
        e.category_label = label_of(result, &e.variable);
    }
    view.comparisons.retain(|c| c.category == key);
    for c in &mut view.comparisons {
        c.category = c.variable.clone();
    }
    view
}

fn label_of(result: &TableResult, name: &str) -> String {
    result
        .statements
        .iter()
        .find(|(n, _)| n == name)
        .map_or(name.to_string(), |(_, l)| l.clone())
}

/// The whole sample's answers per statement, stacked to 100%.
fn stacked(doc: &Document, result: &TableResult, source: &str) -> Option<ChartSpec> {
    let legend = doc.presentation.legend();
    let v = &legend.vocab;
    let whole =
        |e: &&crate::stats::Estimate| e.by.is_total() && e.statistic == Statistic::Proportion;
    let first = result.statements.first()?;
    let answers: Vec<(String, String)> = result
        .estimates
        .iter()
        .filter(whole)
        .filter(|e| e.variable == first.0 && !result.nets.iter().any(|(k, _)| *k == e.category))
        .map(|e| (e.category.clone(), e.category_label.clone()))
        .collect();
    let colours = palette::diverging(answers.len());
    let segments: Vec<Segment> = answers
        .iter()
        .zip(colours)
        .map(|((_, label), color)| Segment {
            label: label.clone(),
            color,
        })
        .collect();
    let axis = Axis::percent().with_decimal(v.pick(',', '.'));
    let mut shown = ReliabilityShown::default();
    let mut rows = Vec::new();
    for (name, label) in &result.statements {
        let mine: Vec<&crate::stats::Estimate> = result
            .estimates
            .iter()
            .filter(whole)
            .filter(|e| e.variable == *name)
            .collect();
        let Some(base) = mine.first() else {
            continue;
        };
        let shares = answers
            .iter()
            .map(|(k, _)| {
                mine.iter()
                    .find(|e| e.category == *k)
                    .map_or(f64::NAN, |e| e.estimate)
            })
            .collect();
        let text = match result.nets.first() {
            Some((k, _)) => mine
                .iter()
                .find(|e| e.category == *k)
                .map(|e| {
                    let marks = result.marks(e);
                    super::table::value_text(
                        100.0 * e.estimate,
                        e.reliability,
                        &axis,
                        &marks,
                        &mut shown,
                    )
                })
                .unwrap_or_default(),
            None => String::new(),
        };
        rows.push(StackedRow {
            label: format!("{label} ({})", v.n_equals(base.n)),
            shares,
            text,
            pale: base.reliability == Reliability::Unreliable,
        });
    }
    if rows.is_empty() {
        return None;
    }
    let mut items: Vec<LegendItem> = segments
        .iter()
        .map(|s| LegendItem::new(s.label.clone(), Swatch::Fill(s.color)))
        .collect();
    if shown.unreliable {
        items.push(LegendItem::new(legend.pale_swatch(), Swatch::Hatched));
    }
    let mut footer = vec![source.to_string()];
    // The whole sample's chart shows only marks against a benchmark.
    let all = result.mark_kinds();
    let kinds = crate::present::MarkKinds {
        benchmark: all.benchmark,
        untested: all.benchmark && all.untested,
        ..Default::default()
    };
    footer.extend(legend.marks(kinds, doc.codebook.min_base_test));
    footer.extend(legend.chart_reliability(shown, crate::present::UnreliableDrawn::Pale));
    let frame = Frame {
        title: result.label.clone(),
        subtitle: Some(legend.battery_subtitle(result.nets.first().map(|(_, l)| l.as_str()))),
        legend: items,
        footer,
    };
    Some(ChartSpec {
        stem: chart_stem(&result.name, &Breakdown::Total),
        chart: Chart::Stacked(StackedChart {
            frame,
            segments,
            rows,
            axis,
        }),
    })
}
