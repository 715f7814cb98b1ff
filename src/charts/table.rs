//! The charts of one table of a report: per breakdown grouped bars (the whole sample and
//! breakdowns of up to [`MANY_GROUPS`] groups) or a dot plot (more groups); a numeric question
//! gets one bar chart of its means per group, and a dot plot per breakdown of many groups.
//! Values carry the tables' marks: ▲▼ against the total, † indicative, ‡ unreliable (also
//! hatched or pale); suppressed cells (`x`) are not drawn.

use super::bars::{group_legend, Axis, Bar, BarChart, Category, Group};
use super::dots::{DotPanel, DotPlot, DotRow, Point, Reference};
use super::frame::{Frame, LegendItem, Swatch};
use super::{palette, Chart, ChartSpec, MANY_GROUPS};
use crate::codebook::Codebook;
use crate::naming::{chart_stem, means_chart_stem};
use crate::present::MarkKinds;
use crate::present::{mark, Legend, ReliabilityShown, UnreliableDrawn, Vocabulary};
use crate::report::{Document, TableResult};
use crate::stats::compare::HolmScope;
use crate::stats::estimate::breakdown_of;
use crate::stats::{Breakdown, Estimate, GroupKey, Reliability};

/// The top of the value axis: a numeric question's maximum, else the largest value or limit.
pub(crate) fn axis_top(
    codebook: &Codebook,
    rows_var: usize,
    values: impl Iterator<Item = f64>,
) -> f64 {
    match codebook.variables[rows_var].numeric_bounds() {
        (_, Some(m)) => m,
        _ => values.filter(|x| x.is_finite()).fold(0.0, f64::max),
    }
}

/// The axis of means in a dot plot or trend lines: around the values and limits, within the
/// question's scale (a dot or a line shows a position, not a length).
pub(crate) fn means_axis(
    codebook: &Codebook,
    rows_var: usize,
    values: impl Iterator<Item = f64>,
) -> Axis {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
    let (min, max) = codebook.variables[rows_var].numeric_bounds();
    let (floor, ceiling) = (
        min.unwrap_or(f64::NEG_INFINITY),
        max.unwrap_or(f64::INFINITY),
    );
    Axis::numbers_between(lo, hi, floor, ceiling)
}

/// An estimate's value label as the tables show it: the value, its significance marks and its
/// reliability mark ("45%▲†"), or `x` when suppressed; records which reliability marks appear.
pub(crate) fn value_text(
    value: f64,
    reliability: Reliability,
    axis: &Axis,
    marks: &str,
    shown: &mut ReliabilityShown,
) -> String {
    match reliability {
        Reliability::Suppress => {
            shown.suppressed = true;
            return mark::SUPPRESSED.into();
        }
        Reliability::Indicative => shown.indicative = true,
        Reliability::Unreliable => shown.unreliable = true,
        Reliability::Ok => {}
    }
    let m = match reliability {
        Reliability::Indicative => mark::INDICATIVE,
        Reliability::Unreliable => mark::UNRELIABLE,
        _ => "",
    };
    format!("{}{marks}{m}", axis.value_label(value))
}

/// A bar for an estimate scaled to the axis (`scale` 100 for percentages): hatched when
/// unreliable; no bar, only `x`, when suppressed.
pub(crate) fn estimate_bar(
    e: &Estimate,
    scale: f64,
    axis: &Axis,
    marks: &str,
    shown: &mut ReliabilityShown,
) -> Bar {
    if !e.estimate.is_finite() {
        return Bar::missing();
    }
    let text = value_text(e.estimate * scale, e.reliability, axis, marks, shown);
    if e.reliability == Reliability::Suppress {
        return Bar::text_only(text);
    }
    Bar {
        value: e.estimate * scale,
        ci: e
            .ci_lower
            .zip(e.ci_upper)
            .map(|(l, u)| (l * scale, u * scale)),
        hatched: e.reliability == Reliability::Unreliable,
        text,
        color: None,
        changed: false,
    }
}

/// What every chart of one table shares.
pub(super) struct TableCharts<'a> {
    pub(super) doc: &'a Document<'a>,
    pub(super) legend: Legend,
    pub(super) result: &'a TableResult,
    pub(super) table: usize,
    /// The source and interval sentences of the footer.
    pub(super) source: String,
    /// The answers charted (a battery's NET view charts its statements) and the title.
    pub(super) categories: Vec<crate::codebook::Category>,
    pub(super) title: String,
}

/// The charts of one table (position `i` in the document), in the order of its breakdowns.
pub fn table_charts(doc: &Document, i: usize, result: &TableResult) -> Vec<ChartSpec> {
    let primary = result.primary();
    let result = &primary;
    let legend = doc.presentation.legend();
    let method = result
        .estimates
        .first()
        .map_or(String::new(), |e| e.ci_method.clone());
    // A table of a subpopulation gives its own base, not the whole sample's.
    let respondents = match result.population {
        Some(_) => result.total_base(),
        None => doc.rows_used,
    };
    let source = format!(
        "{} {}",
        legend.chart_source(&doc.codebook.title, respondents, &doc.design),
        legend.chart_intervals(&method)
    );
    let rows = &doc.codebook.variables[doc.codebook.tables[i].rows];
    if !result.statements.is_empty() {
        return super::battery::battery_charts(doc, i, result, source);
    }
    let tc = TableCharts {
        doc,
        legend,
        result,
        table: i,
        source,
        // The answers the table shows (its hidden ones left out), in codebook order.
        categories: rows
            .categories()
            .into_iter()
            .filter(|c| result.estimates.iter().any(|e| e.category == c.key))
            .collect(),
        title: result.title.clone(),
    };
    let breakdowns: Vec<Breakdown> = doc.codebook.tables[i]
        .breakdowns()
        .iter()
        .map(|vars| breakdown_of(doc.codebook, vars))
        .collect();
    let many = |by: &Breakdown| tc.groups(by).len() > MANY_GROUPS;
    if result.statistic.is_mean() {
        let few: Vec<&Breakdown> = breakdowns.iter().filter(|b| !many(b)).collect();
        let dots = breakdowns
            .iter()
            .filter(|b| many(b))
            .filter_map(|b| tc.dots(b));
        return tc.means(&few).into_iter().chain(dots).collect();
    }
    breakdowns
        .iter()
        .filter_map(|by| if many(by) { tc.dots(by) } else { tc.bars(by) })
        .collect()
}

impl TableCharts<'_> {
    fn vocab(&self) -> &Vocabulary {
        &self.legend.vocab
    }

    fn codebook(&self) -> &Codebook {
        self.doc.codebook
    }

    fn rows_var(&self) -> usize {
        self.codebook().tables[self.table].rows
    }

    fn scale(&self) -> f64 {
        if self.result.statistic.is_mean() {
            1.0
        } else {
            100.0
        }
    }

    /// The marks a chart's value label carries: ▲▼ against the total, ↑↓ against a benchmark.
    fn marks(&self, e: &Estimate) -> String {
        let mut m = self.result.total_mark(e).unwrap_or("").to_string();
        m.push_str(self.result.benchmark_mark(e).unwrap_or(""));
        m
    }

    /// The external benchmark of an answer (`key`; empty for a mean), when the table has one.
    fn benchmark(&self, key: &str) -> Option<f64> {
        self.result
            .comparisons
            .iter()
            .find(|c| c.group_a == GroupKey::Benchmark && c.category == key && c.between.is_total())
            .map(|c| c.estimate_a)
    }

    fn benchmark_legend(&self) -> LegendItem {
        LegendItem::new(
            self.legend.benchmark_swatch(),
            Swatch::Dashed(palette::BENCHMARK),
        )
    }

    /// A subtitle, after the subpopulation when the table has one.
    fn subtitle(&self, s: String) -> Option<String> {
        Some(match &self.result.population {
            Some(p) => format!("{p}. {s}"),
            None => s,
        })
    }

    /// The groups of a breakdown that anyone answered in, in order, with their labels.
    pub(super) fn groups(&self, by: &Breakdown) -> Vec<(&GroupKey, &str)> {
        let rows = || self.result.estimates.iter().filter(move |e| e.by == *by);
        let mut groups: Vec<(&GroupKey, &str)> = Vec::new();
        for e in rows() {
            if !groups.iter().any(|(g, _)| *g == &e.group) {
                groups.push((&e.group, &e.group_label));
            }
        }
        groups.retain(|(g, _)| rows().any(|e| e.group == **g && e.n > 0));
        groups
    }

    fn estimate(&self, by: &Breakdown, group: &GroupKey, category: &str) -> Option<&Estimate> {
        self.result
            .estimates
            .iter()
            .find(|e| e.by == *by && e.group == *group && e.category == category)
    }

    /// A group's unweighted base (the largest over the answers, as a legend shows it).
    fn base(&self, by: &Breakdown, group: &GroupKey) -> u64 {
        let e = self.result.estimates.iter();
        e.filter(|e| e.by == *by && e.group == *group)
            .map(|e| e.n)
            .max()
            .unwrap_or(0)
    }

    fn by_label(&self, by: &Breakdown) -> String {
        crate::present::breakdown_label(self.codebook(), by, self.vocab())
    }

    /// Whether a category differs significantly between the groups of a two-group breakdown.
    fn significant(&self, by: &Breakdown, category: &str) -> bool {
        self.result.comparisons.iter().any(|c| {
            c.between == *by
                && c.standardized.is_none()
                && c.category == category
                && c.holm_scope == HolmScope::Table
                && matches!(c.group_a, GroupKey::Codes(_))
                && c.significant == Some(true)
        })
    }

    /// The kinds of significance marks charts of these breakdowns can show.
    fn mark_kinds(&self, bys: &[&Breakdown]) -> MarkKinds {
        let crude = || {
            self.result.comparisons.iter().filter(|c| {
                bys.contains(&&c.between)
                    && c.standardized.is_none()
                    && c.holm_scope == HolmScope::Table
            })
        };
        MarkKinds {
            letters: false,
            total: crude().any(|c| c.group_a.is_total()),
            pairs: crude().any(|c| matches!(c.group_a, GroupKey::Codes(_))),
            benchmark: crude().any(|c| c.group_a == GroupKey::Benchmark),
            untested: crude().any(|c| c.significant.is_none() && c.note.is_some()),
        }
    }

    /// The footer: source, the marks' legends, the reliability marks shown.
    fn footer(
        &self,
        extra: Option<String>,
        kinds: MarkKinds,
        shown: ReliabilityShown,
        drawn: UnreliableDrawn,
    ) -> Vec<String> {
        let mut footer = vec![self.source.clone()];
        footer.extend(extra);
        footer.extend(self.legend.marks(kinds, self.codebook().min_base_test));
        footer.extend(self.legend.chart_reliability(shown, drawn));
        footer
    }

    /// Grouped bars of one breakdown: per category a bar per group.
    pub(super) fn bars(&self, by: &Breakdown) -> Option<ChartSpec> {
        let groups = self.groups(by);
        if groups.is_empty() {
            return None;
        }
        let axis = Axis::percent().with_decimal(self.vocab().pick(',', '.'));
        let mut shown = ReliabilityShown::default();
        let mut categories = Vec::new();
        for cat in &self.categories {
            let mut label = cat.label.clone();
            if !by.is_total() && self.significant(by, &cat.key) {
                label.push(' ');
                label.push_str(mark::SIGNIFICANT);
            }
            let mut bars = Vec::new();
            for (g, _) in &groups {
                bars.push(match self.estimate(by, g, &cat.key) {
                    Some(e) => estimate_bar(e, self.scale(), &axis, &self.marks(e), &mut shown),
                    None => Bar::missing(),
                });
            }
            let benchmark = self.benchmark(&cat.key).map(|b| b * self.scale());
            categories.push(Category {
                label,
                bars,
                benchmark,
            });
        }
        let colours = palette::distinct(groups.len());
        let chart_groups: Vec<Group> = groups
            .iter()
            .zip(colours)
            .map(|((g, label), color)| {
                let name = if by.is_total() {
                    self.vocab().all_respondents()
                } else {
                    label
                };
                Group {
                    label: format!("{name} ({})", self.vocab().n_equals(self.base(by, g))),
                    color,
                }
            })
            .collect();
        let mut legend = group_legend(
            &chart_groups,
            shown.unreliable.then(|| self.legend.hatched_swatch()),
        );
        if categories.iter().any(|c| c.benchmark.is_some()) {
            legend.push(self.benchmark_legend());
        }
        let by_label = (!by.is_total()).then(|| self.by_label(by));
        let frame = Frame {
            title: self.title.clone(),
            subtitle: self.subtitle(self.legend.chart_subtitle(by_label.as_deref())),
            legend,
            footer: self.footer(
                None,
                self.mark_kinds(&[by]),
                shown,
                UnreliableDrawn::Hatched,
            ),
        };
        Some(ChartSpec {
            stem: chart_stem(&self.result.name, by),
            chart: Chart::Bars(BarChart {
                frame,
                groups: chart_groups,
                categories,
                axis,
            }),
        })
    }

    /// The value axis of a dot plot: percentages up to just above the largest limit, or around
    /// the means.
    fn dots_axis(&self, by: &Breakdown) -> Axis {
        let values = self
            .result
            .estimates
            .iter()
            .filter(|e| (e.by == *by || e.by.is_total()) && e.reliability != Reliability::Suppress)
            .flat_map(|e| {
                let v = e.estimate;
                [e.ci_lower.unwrap_or(v), e.ci_upper.unwrap_or(v), v]
            });
        let axis = if self.result.statistic.is_mean() {
            means_axis(self.codebook(), self.rows_var(), values)
        } else {
            Axis::percent_upto(100.0 * values.filter(|v| v.is_finite()).fold(0.0, f64::max))
        };
        axis.with_decimal(self.vocab().pick(',', '.'))
    }

    /// A dot plot of one breakdown of many groups: a panel per answer, a row per group.
    pub(super) fn dots(&self, by: &Breakdown) -> Option<ChartSpec> {
        let groups = self.groups(by);
        if groups.is_empty() {
            return None;
        }
        let axis = self.dots_axis(by);
        let mut shown = ReliabilityShown::default();
        let panels: Vec<DotPanel> = self
            .categories
            .iter()
            .filter_map(|cat| self.dot_panel(by, &groups, cat, &axis, &mut shown))
            .collect();
        if panels.is_empty() {
            return None;
        }
        let mut legend = vec![LegendItem::new(
            self.legend.reference_swatch(),
            Swatch::Dashed(palette::REFERENCE),
        )];
        if panels.iter().any(|p| p.benchmark.is_some()) {
            legend.push(self.benchmark_legend());
        }
        if shown.unreliable {
            let swatch = Swatch::Marker {
                color: palette::pale(palette::DOT, 0.4),
                filled: true,
            };
            legend.push(LegendItem::new(self.legend.pale_swatch(), swatch));
        }
        let by_label = self.by_label(by);
        let bases: Vec<(String, u64)> = groups
            .iter()
            .map(|(g, l)| (l.to_string(), self.base(by, g)))
            .collect();
        let frame = Frame {
            title: self.title.clone(),
            subtitle: self.subtitle(
                self.legend
                    .dots_subtitle(&by_label, self.result.statistic.is_mean()),
            ),
            legend,
            footer: self.footer(
                Some(self.legend.group_bases(&by_label, &bases)),
                self.mark_kinds(&[by]),
                shown,
                UnreliableDrawn::Pale,
            ),
        };
        Some(ChartSpec {
            stem: chart_stem(&self.result.name, by),
            chart: Chart::Dots(DotPlot {
                frame,
                axis,
                series: vec![palette::DOT],
                panels,
            }),
        })
    }

    /// One answer's panel of a dot plot: its groups sorted from high to low, suppressed ones
    /// last without a dot, the whole sample as the reference.
    fn dot_panel(
        &self,
        by: &Breakdown,
        groups: &[(&GroupKey, &str)],
        cat: &crate::codebook::Category,
        axis: &Axis,
        shown: &mut ReliabilityShown,
    ) -> Option<DotPanel> {
        let scale = self.scale();
        let mut drawn: Vec<(f64, DotRow)> = Vec::new();
        let mut hidden: Vec<DotRow> = Vec::new();
        for (g, label) in groups {
            let Some(e) = self
                .estimate(by, g, &cat.key)
                .filter(|e| e.estimate.is_finite())
            else {
                continue;
            };
            let marks = self.marks(e);
            let text = value_text(e.estimate * scale, e.reliability, axis, &marks, shown);
            let label = label.to_string();
            if e.reliability == Reliability::Suppress {
                let points = Vec::new();
                hidden.push(DotRow {
                    label,
                    points,
                    text,
                });
                continue;
            }
            let point = Point {
                series: 0,
                value: e.estimate * scale,
                ci: e
                    .ci_lower
                    .zip(e.ci_upper)
                    .map(|(l, u)| (l * scale, u * scale)),
                filled: true,
                pale: e.reliability == Reliability::Unreliable,
            };
            let value = point.value;
            let points = vec![point];
            drawn.push((
                value,
                DotRow {
                    label,
                    points,
                    text,
                },
            ));
        }
        if drawn.is_empty() && hidden.is_empty() {
            return None;
        }
        // Highest first; a stable sort keeps the codebook order of ties.
        drawn.sort_by(|a, b| b.0.total_cmp(&a.0));
        let reference = self
            .estimate(&Breakdown::Total, &GroupKey::Total, &cat.key)
            .filter(|t| t.estimate.is_finite() && t.reliability != Reliability::Suppress)
            .map(|t| Reference {
                value: t.estimate * scale,
                label: self
                    .legend
                    .reference_label(&axis.value_label(t.estimate * scale)),
            });
        Some(DotPanel {
            title: (!self.result.statistic.is_mean()).then(|| cat.label.clone()),
            reference,
            benchmark: self.benchmark(&cat.key).map(|b| b * scale),
            rows: drawn.into_iter().map(|(_, r)| r).chain(hidden).collect(),
        })
    }

    /// A numeric question: one chart of the mean for the whole sample and every group of the
    /// breakdowns `bys`, bars coloured by breakdown.
    fn means(&self, bys: &[&Breakdown]) -> Option<ChartSpec> {
        let codebook = self.codebook();
        let v = self.vocab();
        let top = axis_top(
            codebook,
            self.rows_var(),
            self.result
                .estimates
                .iter()
                .flat_map(|e| [e.ci_upper.unwrap_or(e.estimate), e.estimate]),
        );
        let axis = Axis::numbers(top).with_decimal(v.pick(',', '.'));
        let colours = palette::distinct(bys.len());
        let mut shown = ReliabilityShown::default();
        let mut categories = Vec::new();
        let mut legend = Vec::new();
        for (by, color) in bys.iter().zip(colours) {
            let name = if by.is_total() {
                v.all_respondents().to_string()
            } else {
                self.by_label(by)
            };
            legend.push(LegendItem::new(name, Swatch::Fill(color)));
            for e in self
                .result
                .estimates
                .iter()
                .filter(|e| e.by == **by && e.estimate.is_finite())
            {
                let mut marks = self.result.total_mark(e).unwrap_or("").to_string();
                if self.result.pair_mark(e) {
                    marks.push_str(mark::SIGNIFICANT);
                }
                marks.push_str(self.result.benchmark_mark(e).unwrap_or(""));
                let mut bar = estimate_bar(e, 1.0, &axis, &marks, &mut shown);
                bar.color = Some(color);
                categories.push(Category {
                    label: format!("{} ({})", e.group_label, v.n_equals(e.n)),
                    bars: vec![bar],
                    benchmark: self.benchmark(""),
                });
            }
        }
        if categories.is_empty() {
            return None;
        }
        if shown.unreliable {
            legend.push(LegendItem::new(
                self.legend.hatched_swatch(),
                Swatch::Hatched,
            ));
        }
        if self.benchmark("").is_some() {
            legend.push(self.benchmark_legend());
        }
        let frame = Frame {
            title: self.result.title.clone(),
            subtitle: self.subtitle(self.legend.chart_subtitle_means()),
            legend,
            footer: self.footer(None, self.mark_kinds(bys), shown, UnreliableDrawn::Hatched),
        };
        Some(ChartSpec {
            stem: means_chart_stem(&self.result.name),
            chart: Chart::Bars(BarChart {
                frame,
                groups: vec![Group {
                    label: self.legend.mean_word().into(),
                    color: palette::DOT,
                }],
                categories,
                axis,
            }),
        })
    }
}
