//! Publication charts: horizontal bars with confidence whiskers per table and grouping, drawn
//! with plotters' SVG backend and rendered to PNG by resvg, with an embedded font only (no system
//! fonts are looked up, so charts draw the same on a machine without any).

pub mod axis;
pub mod bars;
pub mod fonts;
pub mod raster;

use crate::codebook::{Codebook, VariableKind};
use crate::error::{Error, Result};
use crate::present::{mark, Legend, Vocabulary};
use crate::report::naming::{chart_stem, means_chart_stem, trend_chart_stem};
use crate::report::{Document, TableResult};
use crate::stats::trend::TrendRow;
use crate::stats::{Breakdown, Estimate, GroupKey, Reliability, Statistic};
use bars::{Axis, Bar, BarChart, Category, Group, Theme};
use fonts::{TextProfile, Typeface};
use plotters::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Width of every chart in SVG units and PNG pixels.
pub const WIDTH: u32 = 1600;
/// Smallest height; taller charts get more room per bar.
pub const MIN_HEIGHT: u32 = 800;

/// A chart ready to draw, with the file stem it is written under.
pub struct ChartSpec {
    pub stem: String,
    pub chart: BarChart,
}

impl ChartSpec {
    /// Height that gives every bar room: a header, a footer and ~34 px per bar.
    pub fn height(&self) -> u32 {
        let bars = self.chart.categories.len() * self.chart.groups.len().max(1);
        let cats = self.chart.categories.len();
        let plot = bars as f64 * 34.0 + cats as f64 * 26.0;
        (plot + 420.0).clamp(MIN_HEIGHT as f64, 4000.0) as u32
    }
}

/// The colour of the i-th group.
fn colour(i: usize) -> RGBColor {
    bars::okabe_ito::SEQUENCE[i % bars::okabe_ito::SEQUENCE.len()]
}

/// The top of the value axis: a numeric question's maximum, else the largest bar or whisker.
fn axis_top(codebook: &Codebook, rows_var: usize, values: impl Iterator<Item = f64>) -> f64 {
    match &codebook.variables[rows_var].kind {
        VariableKind::Numeric { max: Some(m), .. } => *m,
        _ => values.filter(|x| x.is_finite()).fold(0.0, f64::max),
    }
}

/// A bar for an estimate, hatched when unreliable and without its number when suppressed.
fn estimate_bar(e: &Estimate) -> Bar {
    if !e.estimate.is_finite() {
        return Bar::missing();
    }
    let scale = if e.statistic.is_mean() { 1.0 } else { 100.0 };
    Bar::estimate(
        e.estimate,
        e.ci_lower.zip(e.ci_upper),
        scale,
        e.reliability == Reliability::Unreliable,
        e.reliability == Reliability::Suppress,
    )
}

/// What every chart of one table shares.
struct TableCharts<'a> {
    doc: &'a Document<'a>,
    legend: Legend,
    result: &'a TableResult,
    /// The source and interval sentences of the footer.
    footer: String,
}

/// The charts of one table (position `i` in the document): the whole sample, then one per `by`
/// breakdown; a numeric question gets one chart of its means per group.
pub fn table_charts(doc: &Document, i: usize, result: &TableResult) -> Vec<ChartSpec> {
    let legend = doc.presentation.legend();
    let method = result
        .estimates
        .first()
        .map_or(String::new(), |e| e.ci_method.clone());
    let footer = format!(
        "{} {}",
        legend.chart_source(&doc.codebook.title, doc.rows_used, &doc.design),
        legend.chart_intervals(&method)
    );
    let tc = TableCharts {
        doc,
        legend,
        result,
        footer,
    };
    if result.statistic == Statistic::Mean {
        return tc.means(i).into_iter().collect();
    }
    let table = &doc.codebook.tables[i];
    table
        .breakdowns()
        .iter()
        .filter_map(|vars| {
            tc.breakdown(i, &crate::stats::estimate::breakdown_of(doc.codebook, vars))
        })
        .collect()
}

impl TableCharts<'_> {
    fn vocab(&self) -> &Vocabulary {
        &self.legend.vocab
    }

    /// Whether a category differs significantly between the groups of a two-group breakdown.
    fn significant(&self, by: &Breakdown, category: &str) -> bool {
        self.result.comparisons.iter().any(|c| {
            c.between == *by
                && c.standardized.is_none()
                && c.category == category
                && c.holm_scope == crate::stats::compare::HolmScope::Table
                && matches!(c.group_a, GroupKey::Codes(_))
                && c.significant == Some(true)
        })
    }

    /// The chart of one breakdown: per category a bar per group.
    fn breakdown(&self, i: usize, by: &Breakdown) -> Option<ChartSpec> {
        let codebook = self.doc.codebook;
        let rows: Vec<&Estimate> = self
            .result
            .estimates
            .iter()
            .filter(|e| e.by == *by)
            .collect();
        let mut groups: Vec<(&GroupKey, &str)> = Vec::new();
        for e in &rows {
            if !groups.iter().any(|(g, _)| *g == &e.group) {
                groups.push((&e.group, &e.group_label));
            }
        }
        // Groups nobody answered in have no bars; leave them out of the legend too.
        groups.retain(|(g, _)| rows.iter().any(|e| e.group == **g && e.n > 0));
        if groups.is_empty() {
            return None;
        }
        let var = &codebook.variables[codebook.tables[i].rows];
        let mut any_marked = false;
        let categories: Vec<Category> = var
            .categories()
            .iter()
            .map(|cat| {
                let mut label = cat.label.clone();
                if !by.is_total() && self.significant(by, &cat.key) {
                    label.push(' ');
                    label.push_str(mark::SIGNIFICANT);
                    any_marked = true;
                }
                let bars = groups
                    .iter()
                    .map(|(g, _)| {
                        rows.iter()
                            .find(|e| e.group == **g && e.category == cat.key)
                            .map_or_else(Bar::missing, |e| estimate_bar(e))
                    })
                    .collect();
                Category { label, bars }
            })
            .collect();
        let chart_groups = groups
            .iter()
            .enumerate()
            .map(|(k, (g, label))| {
                let n = rows.iter().filter(|e| e.group == **g).map(|e| e.n).max();
                let name = if by.is_total() {
                    self.vocab().pick("Alle respondenten", "All respondents")
                } else {
                    label
                };
                Group {
                    label: format!("{name} ({})", self.vocab().n_equals(n.unwrap_or(0))),
                    color: colour(k),
                }
            })
            .collect();
        let by_label =
            (!by.is_total()).then(|| crate::output::breakdown_label(codebook, by, self.vocab()));
        let mut footer = vec![self.footer.clone()];
        if any_marked {
            footer.push(self.legend.significance());
        }
        let chart = BarChart {
            title: var.label.clone(),
            subtitle: Some(self.legend.chart_subtitle(by_label.as_deref())),
            groups: chart_groups,
            categories,
            axis: Axis::percent(),
            legend: None,
            unreliable_note: self.legend.hatched_swatch().into(),
            footer,
        };
        Some(self.with_hatch_note(ChartSpec {
            stem: chart_stem(&self.result.name, by),
            chart,
        }))
    }

    /// Add the footer sentence on hatched bars when the chart has any.
    fn with_hatch_note(&self, mut spec: ChartSpec) -> ChartSpec {
        let hatched = spec
            .chart
            .categories
            .iter()
            .flat_map(|c| &c.bars)
            .any(|b| b.unreliable);
        if hatched {
            let means = self.result.statistic.is_mean();
            spec.chart
                .footer
                .push(self.legend.hatched_footer(means).into());
        }
        spec
    }

    /// A numeric question: one chart of the mean for the whole sample and every group, bars
    /// coloured by breakdown.
    fn means(&self, i: usize) -> Option<ChartSpec> {
        let codebook = self.doc.codebook;
        let table = &codebook.tables[i];
        let v = self.vocab();
        let mut categories = Vec::new();
        let mut legend = Vec::new();
        for (k, vars) in table.breakdowns().iter().enumerate() {
            let by = crate::stats::estimate::breakdown_of(codebook, vars);
            let color = colour(k);
            legend.push(Group {
                label: if by.is_total() {
                    v.pick("Alle respondenten", "All respondents").to_string()
                } else {
                    crate::output::breakdown_label(codebook, &by, v)
                },
                color,
            });
            for e in self
                .result
                .estimates
                .iter()
                .filter(|e| e.by == by && e.estimate.is_finite())
            {
                let mut bar = estimate_bar(e);
                bar.color = Some(color);
                categories.push(Category {
                    label: format!("{} ({})", e.group_label, v.n_equals(e.n)),
                    bars: vec![bar],
                });
            }
        }
        if categories.is_empty() {
            return None;
        }
        let top = axis_top(
            codebook,
            table.rows,
            self.result
                .estimates
                .iter()
                .flat_map(|e| [e.ci_upper.unwrap_or(e.estimate), e.estimate]),
        );
        let chart = BarChart {
            title: codebook.variables[table.rows].label.clone(),
            subtitle: Some(self.legend.chart_subtitle_means()),
            groups: vec![Group {
                label: self.legend.mean_word().into(),
                color: colour(0),
            }],
            categories,
            axis: Axis::numbers(top).with_decimal(v.pick(',', '.')),
            legend: Some(legend),
            unreliable_note: self.legend.hatched_swatch().into(),
            footer: vec![self.footer.clone()],
        };
        Some(self.with_hatch_note(ChartSpec {
            stem: means_chart_stem(&self.result.name),
            chart,
        }))
    }
}

/// Trend charts of a batch: per table, the whole sample's estimates with one bar per year.
pub fn trend_charts(
    codebook: &Codebook,
    rows: &[TrendRow],
    title: &str,
    legend: &Legend,
) -> Vec<ChartSpec> {
    let mut years: Vec<u32> = rows.iter().map(|r| r.year).collect();
    years.sort_unstable();
    years.dedup();
    codebook
        .tables
        .iter()
        .filter_map(|t| trend_chart(codebook, t, rows, &years, title, legend))
        .collect()
}

fn trend_chart(
    codebook: &Codebook,
    t: &crate::codebook::Table,
    rows: &[TrendRow],
    years: &[u32],
    title: &str,
    legend: &Legend,
) -> Option<ChartSpec> {
    let v = &legend.vocab;
    let var = &codebook.variables[t.rows];
    let is_mean = var.is_numeric();
    let mine: Vec<&TrendRow> = rows
        .iter()
        .filter(|r| r.table == t.name && r.by.is_total())
        .collect();
    if mine.is_empty() {
        return None;
    }
    let scale = if is_mean { 1.0 } else { 100.0 };
    let groups: Vec<Group> = years
        .iter()
        .enumerate()
        .map(|(i, y)| {
            let n = mine.iter().filter(|r| r.year == *y).map(|r| r.n).max();
            Group {
                label: format!("{y} ({})", v.n_equals(n.unwrap_or(0))),
                color: colour(i),
            }
        })
        .collect();
    let bar = |y: &u32, cat: &str| match mine.iter().find(|r| r.year == *y && r.category == cat) {
        Some(r) if r.estimate.is_finite() => Bar::estimate(
            r.estimate,
            r.ci_lower.zip(r.ci_upper),
            scale,
            r.reliability == Reliability::Unreliable,
            r.reliability == Reliability::Suppress,
        ),
        _ => Bar::missing(),
    };
    let categories: Vec<Category> = var
        .categories()
        .iter()
        .map(|cat| Category {
            label: cat.label.clone(),
            bars: years.iter().map(|y| bar(y, &cat.key)).collect(),
        })
        .collect();
    let top = axis_top(
        codebook,
        t.rows,
        mine.iter()
            .flat_map(|r| [r.ci_upper.unwrap_or(r.estimate), r.estimate]),
    );
    let not_asked: Vec<String> = years
        .iter()
        .filter(|y| {
            mine.iter()
                .any(|r| r.year == **y && r.note == Some(crate::stats::Note::NotAsked))
        })
        .map(|y| y.to_string())
        .collect();
    let mut footer = vec![legend.trend_source(title)];
    if !not_asked.is_empty() {
        footer.push(legend.not_asked_years(&not_asked.join(", ")));
    }
    let axis = if is_mean {
        Axis::numbers(top)
    } else {
        Axis::percent()
    };
    Some(ChartSpec {
        stem: trend_chart_stem(&t.name),
        chart: BarChart {
            title: var.label.clone(),
            subtitle: Some(legend.trend_subtitle(is_mean)),
            groups,
            categories,
            axis: axis.with_decimal(v.pick(',', '.')),
            legend: None,
            unreliable_note: legend.hatched_swatch().into(),
            footer,
        },
    })
}

/// Draw a chart as SVG text.
pub fn svg(spec: &ChartSpec, face: &Typeface) -> Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, spec.height())).into_drawing_area();
        bars::draw(
            &root,
            &spec.chart,
            &Theme::default(),
            face,
            TextProfile::SVG,
        )
        .map_err(|e| render_error(spec, e))?;
        root.present().map_err(|e| render_error(spec, e))?;
    }
    Ok(svg)
}

/// Write `<dir>/<stem>.svg` and `.png` for every chart, on two threads. Returns the SVG paths
/// relative to `dir`'s parent naming (`charts/<stem>.svg`).
pub fn write_all(dir: &Path, specs: &[ChartSpec]) -> Result<Vec<PathBuf>> {
    crate::fsutil::create_dir(dir)?;
    let db = Arc::new(raster::font_db());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: std::sync::Mutex<Vec<(usize, Result<PathBuf>)>> =
        std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                let face = Typeface::embedded();
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let Some(spec) = specs.get(i) else { break };
                    let r = write_one(dir, spec, &face, db.clone());
                    results
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .push((i, r));
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_else(|p| p.into_inner());
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

fn write_one(
    dir: &Path,
    spec: &ChartSpec,
    face: &Typeface,
    db: Arc<resvg::usvg::fontdb::Database>,
) -> Result<PathBuf> {
    let text = svg(spec, face)?;
    let svg_path = dir.join(format!("{}.svg", spec.stem));
    crate::fsutil::write_atomic(&svg_path, |w| w.write_all(text.as_bytes()))?;
    let png = png(spec, &text, db)?;
    crate::fsutil::write_atomic(&dir.join(format!("{}.png", spec.stem)), |w| {
        w.write_all(&png)
    })?;
    Ok(svg_path)
}

fn render_error(spec: &ChartSpec, e: impl std::fmt::Display) -> Error {
    Error::Render {
        chart: spec.stem.clone(),
        message: e.to_string(),
    }
}

/// Render a chart's SVG text to PNG.
pub fn png(spec: &ChartSpec, svg: &str, db: Arc<resvg::usvg::fontdb::Database>) -> Result<Vec<u8>> {
    let tree = raster::parse(svg, db).map_err(|e| render_error(spec, e))?;
    raster::render_png(&tree, WIDTH).map_err(|e| render_error(spec, e))
}
