//! Trend charts of a batch, per table: the whole sample with a bar per year, and per breakdown
//! a line per group over the years (a dot plot with a dot per year when the breakdown has many
//! groups). A significant change from the previous year is a filled marker.

use super::bars::{group_legend, Axis, Bar, BarChart, Category, Group};
use super::dots::{DotPanel, DotPlot, DotRow, Point, Reference};
use super::frame::{Frame, LegendItem, Swatch};
use super::lines::{LineChart, LinePanel, LinePoint, Series};
use super::table::{axis_top, means_axis, value_text};
use super::{palette, Chart, ChartSpec, MANY_GROUPS};
use crate::codebook::{Codebook, Table};
use crate::naming::{trend_breakdown_chart_stem, trend_chart_stem};
use crate::present::{Legend, ReliabilityShown, UnreliableDrawn};
use crate::stats::estimate::breakdown_of;
use crate::stats::trend::TrendRow;
use crate::stats::{Breakdown, GroupKey, Note, Reliability};

/// Trend charts of a batch: per table the whole sample, then each breakdown.
pub fn trend_charts(
    codebook: &Codebook,
    rows: &[TrendRow],
    title: &str,
    legend: &Legend,
) -> Vec<ChartSpec> {
    trend_charts_per_table(codebook, rows, title, legend)
        .into_iter()
        .flatten()
        .collect()
}

/// The trend charts of each table of the codebook, in its order.
pub fn trend_charts_per_table(
    codebook: &Codebook,
    rows: &[TrendRow],
    title: &str,
    legend: &Legend,
) -> Vec<Vec<ChartSpec>> {
    let mut years: Vec<u32> = rows.iter().map(|r| r.year).collect();
    years.sort_unstable();
    years.dedup();
    let mut all = Vec::new();
    for t in &codebook.tables {
        let mut out = Vec::new();
        // A battery's trend is each statement's first NET, keyed by the statement (without a
        // NET it has none); other tables chart their primary figures (not totals or quantiles).
        let net = t.nets.first().filter(|_| t.is_battery());
        let statements: Vec<TrendRow> = match net {
            Some(n) => rows
                .iter()
                .filter(|r| r.table == t.name && r.category == n.key)
                .map(|r| TrendRow {
                    category: r.variable.clone(),
                    category_label: label_of(codebook, &r.variable),
                    ..r.clone()
                })
                .collect(),
            None => Vec::new(),
        };
        let categories = if t.is_battery() {
            t.items
                .iter()
                .map(|&i| crate::codebook::Category {
                    key: codebook.variables[i].name.clone(),
                    label: codebook.variables[i].label.clone(),
                })
                .collect()
        } else {
            let mut c = codebook.variables[t.rows].categories();
            c.retain(|c| !t.hide.contains(&c.key));
            c
        };
        let tc = TrendCharts {
            codebook,
            table: t,
            rows: if t.is_battery() {
                statements.iter().collect()
            } else {
                rows.iter()
                    .filter(|r| r.table == t.name && Some(&r.statistic) == t.statistics.first())
                    .collect()
            },
            years: &years,
            title,
            legend,
            categories,
        };
        out.extend(tc.total());
        for vars in &t.by {
            let by = breakdown_of(codebook, vars);
            let groups = tc.groups(&by);
            if groups.len() > MANY_GROUPS {
                out.extend(tc.dots(&by, &groups));
            } else if !groups.is_empty() {
                out.extend(tc.lines(&by, &groups));
            }
        }
        all.push(out);
    }
    all
}

struct TrendCharts<'a> {
    codebook: &'a Codebook,
    table: &'a Table,
    /// This table's rows.
    rows: Vec<&'a TrendRow>,
    years: &'a [u32],
    title: &'a str,
    legend: &'a Legend,
    /// The answers charted (hidden ones left out; a battery's statements).
    categories: Vec<crate::codebook::Category>,
}

/// A variable's label by its name.
fn label_of(codebook: &Codebook, name: &str) -> String {
    codebook
        .variable(name)
        .map_or(name.to_string(), |v| codebook.variables[v].label.clone())
}

impl TrendCharts<'_> {
    /// The table's public title (a battery's with the NET charted).
    fn title(&self) -> String {
        self.codebook.trend_title(self.table)
    }

    fn is_mean(&self) -> bool {
        self.codebook.variables[self.table.rows].is_numeric()
    }

    fn scale(&self) -> f64 {
        if self.is_mean() {
            1.0
        } else {
            100.0
        }
    }

    fn row(
        &self,
        by: &Breakdown,
        group: &GroupKey,
        category: &str,
        year: u32,
    ) -> Option<&TrendRow> {
        self.rows
            .iter()
            .find(|r| r.year == year && r.by == *by && r.group == *group && r.category == category)
            .copied()
    }

    /// A figure that can be drawn (not suppressed, not missing).
    fn drawable<'r>(&self, r: Option<&'r TrendRow>) -> Option<&'r TrendRow> {
        let r = r?;
        (r.estimate.is_finite() && r.reliability != Reliability::Suppress).then_some(r)
    }

    /// The groups of a breakdown that anyone answered in, in order, with their labels.
    fn groups(&self, by: &Breakdown) -> Vec<(GroupKey, String)> {
        let mut out: Vec<(GroupKey, String)> = Vec::new();
        for r in self.rows.iter().filter(|r| r.by == *by && r.n > 0) {
            if !out.iter().any(|(g, _)| *g == r.group) {
                out.push((r.group.clone(), r.group_label.clone()));
            }
        }
        out
    }

    fn axis(&self, by: &Breakdown) -> Axis {
        let values = self
            .rows
            .iter()
            .filter(|r| (r.by == *by || r.by.is_total()) && r.reliability != Reliability::Suppress)
            .flat_map(|r| {
                let v = r.estimate;
                [r.ci_lower.unwrap_or(v), r.ci_upper.unwrap_or(v), v]
            });
        let axis = if self.is_mean() && by.is_total() {
            Axis::numbers(axis_top(self.codebook, self.table.rows, values))
        } else if self.is_mean() {
            means_axis(self.codebook, self.table.rows, values)
        } else if by.is_total() {
            Axis::percent()
        } else {
            Axis::percent_upto(100.0 * values.filter(|v| v.is_finite()).fold(0.0, f64::max))
        };
        axis.with_decimal(self.legend.vocab.pick(',', '.'))
    }

    fn scaled_ci(&self, r: &TrendRow) -> Option<(f64, f64)> {
        let s = self.scale();
        r.ci_lower.zip(r.ci_upper).map(|(l, u)| (l * s, u * s))
    }

    /// Years in which (part of) the question was not asked, as "2019, 2021".
    fn not_asked(&self, by: &Breakdown) -> Option<String> {
        let years: Vec<String> = self
            .years
            .iter()
            .filter(|y| {
                self.rows.iter().any(|r| {
                    r.year == **y && r.by == *by && r.note.as_ref().is_some_and(Note::is_not_asked)
                })
            })
            .map(|y| y.to_string())
            .collect();
        (!years.is_empty()).then(|| years.join(", "))
    }

    /// The footer sentences on changes: what a filled marker means, and when none is tested.
    fn change_footer(&self, by: &Breakdown) -> Vec<String> {
        let mine = || self.rows.iter().filter(|r| r.by == *by || r.by.is_total());
        let mut out = Vec::new();
        if mine().any(|r| r.change_significant.is_some()) {
            out.push(self.legend.change_significance());
        }
        if mine().any(|r| r.change_from.is_some() && r.change_significant.is_none()) {
            out.push(self.legend.change_untested(self.codebook.min_base_test));
        }
        out
    }

    fn change_legend(&self) -> [LegendItem; 2] {
        let dark = palette::REFERENCE;
        [
            LegendItem::new(
                self.legend.changed_swatch(),
                Swatch::Marker {
                    color: dark,
                    filled: true,
                },
            ),
            LegendItem::new(
                self.legend.unchanged_swatch(),
                Swatch::Marker {
                    color: dark,
                    filled: false,
                },
            ),
        ]
    }

    /// The whole sample: per category a bar per year, a marker after a significant change.
    fn total(&self) -> Option<ChartSpec> {
        let by = Breakdown::Total;
        let g = GroupKey::Total;
        if !self.rows.iter().any(|r| r.by.is_total()) {
            return None;
        }
        let v = &self.legend.vocab;
        let axis = self.axis(&by);
        let mut shown = ReliabilityShown::default();
        let colours = palette::distinct(self.years.len());
        let groups: Vec<Group> = self
            .years
            .iter()
            .zip(colours)
            .map(|(y, color)| {
                let n = self
                    .rows
                    .iter()
                    .filter(|r| r.year == *y && r.by.is_total())
                    .map(|r| r.n)
                    .max();
                Group {
                    label: format!("{y} ({})", v.n_equals(n.unwrap_or(0))),
                    color,
                }
            })
            .collect();
        let mut categories = Vec::new();
        for cat in self.categories.clone() {
            let mut bars = Vec::new();
            for &y in self.years {
                bars.push(
                    match self
                        .row(&by, &g, &cat.key, y)
                        .filter(|r| r.estimate.is_finite())
                    {
                        Some(r) => self.bar(r, &axis, &mut shown),
                        None => Bar::missing(),
                    },
                );
            }
            categories.push(Category {
                label: cat.label.clone(),
                bars,
                benchmark: None,
            });
        }
        let mut legend = group_legend(
            &groups,
            shown.unreliable.then(|| self.legend.hatched_swatch()),
        );
        let changed = categories.iter().flat_map(|c| &c.bars).any(|b| b.changed);
        if changed {
            let [filled, _] = self.change_legend();
            legend.push(filled);
        }
        let mut footer = vec![self.legend.trend_source(self.title)];
        footer.extend(self.not_asked(&by).map(|y| self.legend.not_asked_years(&y)));
        footer.extend(self.change_footer(&by));
        footer.extend(
            self.legend
                .chart_reliability(shown, UnreliableDrawn::Hatched),
        );
        let frame = Frame {
            title: self.title(),
            subtitle: Some(self.legend.trend_subtitle(self.is_mean())),
            legend,
            footer,
        };
        let chart = BarChart {
            frame,
            groups,
            categories,
            axis,
        };
        Some(ChartSpec {
            stem: trend_chart_stem(&self.table.name),
            chart: Chart::Bars(chart),
        })
    }

    fn bar(&self, r: &TrendRow, axis: &Axis, shown: &mut ReliabilityShown) -> Bar {
        let value = r.estimate * self.scale();
        let text = value_text(value, r.reliability, axis, "", shown);
        if r.reliability == Reliability::Suppress {
            return Bar::text_only(text);
        }
        Bar {
            value,
            ci: self.scaled_ci(r),
            hatched: r.reliability == Reliability::Unreliable,
            text,
            color: None,
            changed: r.change_significant == Some(true),
        }
    }

    /// The latest year's figure of a group as a label ("45%†"), or empty.
    fn end_text(&self, r: Option<&TrendRow>, axis: &Axis, shown: &mut ReliabilityShown) -> String {
        match self.drawable(r) {
            Some(r) => value_text(r.estimate * self.scale(), r.reliability, axis, "", shown),
            None => String::new(),
        }
    }

    /// A line per group (and the whole sample, dashed) in a panel per category.
    fn lines(&self, by: &Breakdown, groups: &[(GroupKey, String)]) -> Option<ChartSpec> {
        let axis = self.axis(by);
        let mut shown = ReliabilityShown::default();
        let latest = *self.years.last()?;
        let colours = palette::distinct(groups.len());
        let mut panels = Vec::new();
        for cat in self.categories.clone() {
            let total_name = self.legend.vocab.total().to_string();
            let total = (
                Breakdown::Total,
                GroupKey::Total,
                total_name,
                palette::REFERENCE,
                true,
            );
            let each = groups
                .iter()
                .zip(&colours)
                .map(|((g, l), c)| (by.clone(), g.clone(), l.clone(), *c, false));
            let mut series = Vec::new();
            for (b, g, name, color, dashed) in std::iter::once(total).chain(each) {
                let points: Vec<Option<LinePoint>> = self
                    .years
                    .iter()
                    .map(|&y| {
                        let r = self.row(&b, &g, &cat.key, y)?;
                        shown.suppressed |= r.reliability == Reliability::Suppress;
                        Some(self.line_point(self.drawable(Some(r))?, &mut shown))
                    })
                    .collect();
                if points.iter().all(Option::is_none) {
                    continue;
                }
                // The group's name at the line's end: lines are told apart by words, not by
                // colour alone.
                let value = self.end_text(self.row(&b, &g, &cat.key, latest), &axis, &mut shown);
                let end_text = if value.is_empty() {
                    value
                } else {
                    format!("{name} {value}")
                };
                series.push(Series {
                    name,
                    color,
                    dashed,
                    points,
                    end_text,
                });
            }
            if !series.is_empty() {
                let title = (!self.is_mean()).then(|| cat.label.clone());
                let axis = self.panel_axis(&series);
                panels.push(LinePanel {
                    title,
                    axis,
                    series,
                });
            }
        }
        if panels.is_empty() {
            return None;
        }
        let mut legend = vec![LegendItem::new(
            self.legend.reference_swatch(),
            Swatch::Dashed(palette::REFERENCE),
        )];
        for ((_, label), c) in groups.iter().zip(&colours) {
            legend.push(LegendItem::new(label.clone(), Swatch::Series(*c)));
        }
        let not_asked = self
            .not_asked(by)
            .map(|y| self.legend.not_asked_years_lines(&y, true));
        let frame = self.groups_frame(by, legend, shown, not_asked, None);
        let chart = LineChart {
            frame,
            years: self.years.to_vec(),
            panels,
        };
        Some(ChartSpec {
            stem: trend_breakdown_chart_stem(&self.table.name, by),
            chart: Chart::Lines(chart),
        })
    }

    /// A trend panel's own axis: 0 to just above its largest limit (means: around the values).
    fn panel_axis(&self, series: &[Series]) -> Axis {
        let values = series
            .iter()
            .flat_map(|s| s.points.iter().flatten())
            .flat_map(|p| {
                let (lo, hi) = p.ci.unwrap_or((p.value, p.value));
                [p.value, lo, hi]
            });
        let axis = if self.is_mean() {
            means_axis(self.codebook, self.table.rows, values)
        } else {
            Axis::percent_upto(values.filter(|v| v.is_finite()).fold(0.0, f64::max))
        };
        axis.with_decimal(self.legend.vocab.pick(',', '.'))
    }

    fn line_point(&self, r: &TrendRow, shown: &mut ReliabilityShown) -> LinePoint {
        shown.unreliable |= r.reliability == Reliability::Unreliable;
        shown.indicative |= r.reliability == Reliability::Indicative;
        LinePoint {
            value: r.estimate * self.scale(),
            ci: self.scaled_ci(r),
            filled: r.change_significant == Some(true),
            pale: r.reliability == Reliability::Unreliable,
        }
    }

    /// The frame of a chart per group: subtitle, the change markers in the legend, footer.
    fn groups_frame(
        &self,
        by: &Breakdown,
        mut legend: Vec<LegendItem>,
        shown: ReliabilityShown,
        not_asked: Option<String>,
        sorted: Option<String>,
    ) -> Frame {
        legend.extend(self.change_legend());
        if shown.unreliable {
            let swatch = Swatch::Marker {
                color: palette::pale(palette::REFERENCE, 0.4),
                filled: true,
            };
            legend.push(LegendItem::new(self.legend.pale_swatch(), swatch));
        }
        let by_label = crate::present::breakdown_label(self.codebook, by, &self.legend.vocab);
        let mut footer = vec![self.legend.trend_groups_source(self.title)];
        footer.extend(sorted);
        footer.extend(not_asked);
        footer.extend(self.change_footer(by));
        footer.extend(self.legend.chart_reliability(shown, UnreliableDrawn::Pale));
        Frame {
            title: self.title(),
            subtitle: Some(self.legend.trend_groups_subtitle(&by_label, self.is_mean())),
            legend,
            footer,
        }
    }

    /// Many groups: a panel per category, a row per group (sorted by the latest year), a dot
    /// per year.
    fn dots(&self, by: &Breakdown, groups: &[(GroupKey, String)]) -> Option<ChartSpec> {
        let axis = self.axis(by);
        let latest = *self.years.last()?;
        let mut shown = ReliabilityShown::default();
        let colours = palette::distinct(self.years.len());
        let panels: Vec<DotPanel> = self
            .categories
            .iter()
            .filter_map(|cat| self.dot_panel(by, groups, cat, &axis, &mut shown))
            .collect();
        if panels.is_empty() {
            return None;
        }
        let mut legend: Vec<LegendItem> = self
            .years
            .iter()
            .zip(&colours)
            .map(|(y, c)| {
                LegendItem::new(
                    y.to_string(),
                    Swatch::Marker {
                        color: *c,
                        filled: true,
                    },
                )
            })
            .collect();
        legend.push(LegendItem::new(
            self.legend.reference_swatch(),
            Swatch::Dashed(palette::REFERENCE),
        ));
        let not_asked = self
            .not_asked(by)
            .map(|y| self.legend.not_asked_years_lines(&y, false));
        let sorted = Some(self.legend.trend_sorted(latest));
        let frame = self.groups_frame(by, legend, shown, not_asked, sorted);
        let chart = DotPlot {
            frame,
            axis,
            series: colours,
            panels,
        };
        Some(ChartSpec {
            stem: trend_breakdown_chart_stem(&self.table.name, by),
            chart: Chart::Dots(chart),
        })
    }
    /// One answer's panel of a trend dot plot: a row per group with a dot per year, sorted by
    /// the latest year; the whole sample of the latest year as the reference.
    fn dot_panel(
        &self,
        by: &Breakdown,
        groups: &[(GroupKey, String)],
        cat: &crate::codebook::Category,
        axis: &Axis,
        shown: &mut ReliabilityShown,
    ) -> Option<DotPanel> {
        let latest = *self.years.last()?;
        let mut rows: Vec<(f64, DotRow)> = Vec::new();
        for (g, label) in groups {
            let mut points = Vec::new();
            for (k, &y) in self.years.iter().enumerate() {
                let row = self.row(by, g, &cat.key, y);
                shown.suppressed |= row.is_some_and(|r| r.reliability == Reliability::Suppress);
                if let Some(r) = self.drawable(row) {
                    let lp = self.line_point(r, shown);
                    let (value, ci, filled, pale) = (lp.value, lp.ci, lp.filled, lp.pale);
                    points.push(Point {
                        series: k,
                        value,
                        ci,
                        filled,
                        pale,
                    });
                }
            }
            let last = self.row(by, g, &cat.key, latest);
            let text = match last.filter(|r| r.estimate.is_finite()) {
                Some(r) => value_text(r.estimate * self.scale(), r.reliability, axis, "", shown),
                None => String::new(),
            };
            if points.is_empty() && text.is_empty() {
                continue;
            }
            // Groups without a figure in the latest year go last.
            let key = self
                .drawable(last)
                .map_or(f64::NEG_INFINITY, |r| r.estimate);
            let label = label.clone();
            rows.push((
                key,
                DotRow {
                    label,
                    points,
                    text,
                },
            ));
        }
        if rows.is_empty() {
            return None;
        }
        rows.sort_by(|a, b| b.0.total_cmp(&a.0));
        let total = self.row(&Breakdown::Total, &GroupKey::Total, &cat.key, latest);
        let reference = self.drawable(total).map(|t| {
            let value = t.estimate * self.scale();
            let shown = format!("{} ({latest})", axis.value_label(value));
            Reference {
                value,
                label: self.legend.reference_label(&shown),
            }
        });
        Some(DotPanel {
            title: (!self.is_mean()).then(|| cat.label.clone()),
            reference,
            benchmark: None,
            rows: rows.into_iter().map(|(_, r)| r).collect(),
        })
    }
}
