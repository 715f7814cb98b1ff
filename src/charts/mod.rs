//! Publication charts: horizontal bars with confidence whiskers per table and grouping, drawn
//! with plotters' SVG backend and rendered to PNG by resvg, with an embedded font only (no system
//! fonts are looked up, so charts draw the same on a machine without any).

pub mod axis;
pub mod bars;
pub mod fonts;
pub mod raster;

use crate::codebook::{Codebook, VariableKind};
use crate::error::{Error, Result};
use crate::stats::{Comparison, Estimate, Reliability};
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

/// What a chart's footer says about the source and method.
pub struct Source {
    pub line: String,
}

fn title_case_by(codebook: &Codebook, by: &str) -> String {
    codebook
        .variable(by)
        .map(|v| codebook.variables[v].label.to_lowercase())
        .unwrap_or_else(|| by.to_string())
}

/// The charts of one table: the whole sample, then one per `by` variable.
pub fn table_charts(
    codebook: &Codebook,
    table: usize,
    estimates: &[Estimate],
    comparisons: &[Comparison],
    source: &Source,
) -> Vec<ChartSpec> {
    let t = &codebook.tables[table];
    let var = &codebook.variables[t.rows];
    let is_mean = var.is_numeric();
    let level = estimates.first().map_or(0.95, |e| e.level);
    let level_pct = format!("{}%", (100.0 * level).round() as i64);
    let mut bys: Vec<String> = vec!["(all)".into()];
    bys.extend(t.by.iter().map(|&b| codebook.variables[b].name.clone()));
    let categories = var.categories();
    let axis_top = match &var.kind {
        VariableKind::Numeric { max: Some(m), .. } => *m,
        _ => estimates
            .iter()
            .flat_map(|e| [e.ci_upper.unwrap_or(e.estimate), e.estimate])
            .filter(|x| x.is_finite())
            .fold(0.0, f64::max),
    };
    let method = estimates
        .first()
        .map_or(String::new(), |e| e.ci_method.clone());
    let footer_source = format!(
        "{} Intervallen: {level_pct} ({method}); n = ongewogen aantal respondenten.",
        source.line
    );
    if is_mean {
        return mean_chart(
            codebook,
            table,
            estimates,
            &bys,
            axis_top,
            &level_pct,
            footer_source,
        )
        .into_iter()
        .collect();
    }
    let mut out = Vec::new();
    for by in bys {
        let rows: Vec<&Estimate> = estimates.iter().filter(|e| e.by == by).collect();
        let mut groups: Vec<(String, String)> = Vec::new();
        for e in &rows {
            if !groups.iter().any(|(g, _)| *g == e.group) {
                groups.push((e.group.clone(), e.group_label.clone()));
            }
        }
        // Groups nobody answered in have no bars; leave them out of the legend too.
        groups.retain(|(g, _)| rows.iter().any(|e| e.group == *g && e.n > 0));
        if groups.is_empty() {
            continue;
        }
        let significant = |category: &str| {
            comparisons.iter().any(|c| {
                c.between == by
                    && c.standardized.is_empty()
                    && c.category == category
                    && c.significant
            })
        };
        let mut any_marked = false;
        let mut any_unreliable = false;
        let chart_categories: Vec<Category> = categories
            .iter()
            .map(|cat| {
                let mut label = cat.label.clone();
                if by != "(all)" && significant(&cat.key) {
                    label.push_str(" *");
                    any_marked = true;
                }
                let bars = groups
                    .iter()
                    .map(|(g, _)| {
                        match rows.iter().find(|e| e.group == *g && e.category == cat.key) {
                            Some(e) if e.estimate.is_finite() => {
                                let scale = if is_mean { 1.0 } else { 100.0 };
                                let unreliable = matches!(
                                    e.reliability,
                                    Reliability::Unreliable | Reliability::Suppress
                                );
                                any_unreliable |= unreliable;
                                Bar::estimate(
                                    e.estimate,
                                    e.ci_lower.zip(e.ci_upper),
                                    scale,
                                    unreliable,
                                    e.reliability == Reliability::Suppress,
                                )
                            }
                            _ => Bar::missing(),
                        }
                    })
                    .collect();
                Category { label, bars }
            })
            .collect();
        let chart_groups: Vec<Group> = groups
            .iter()
            .enumerate()
            .map(|(i, (g, label))| Group {
                name: if by == "(all)" {
                    "Alle respondenten".into()
                } else {
                    label.clone()
                },
                n: rows
                    .iter()
                    .filter(|e| e.group == *g)
                    .map(|e| e.n)
                    .max()
                    .unwrap_or(0) as u32,
                color: bars::okabe_ito::SEQUENCE[i % bars::okabe_ito::SEQUENCE.len()],
            })
            .collect();
        let subtitle = if by == "(all)" {
            format!("Percentage van alle respondenten, met {level_pct}-betrouwbaarheidsinterval")
        } else {
            format!(
                "Percentage per {}, met {level_pct}-betrouwbaarheidsinterval",
                title_case_by(codebook, &by)
            )
        };
        let mut footer = vec![footer_source.clone()];
        if any_marked {
            footer.push(format!(
                "* Verschil tussen de groepen significant (p < {}, na Holm-correctie).",
                format!("{:.2}", 1.0 - level).replace('.', ",")
            ));
        }
        if any_unreliable {
            footer.push("Gearceerd: minder dan 30 respondenten, of minder dan 5 gaven dit antwoord (niet publiceren).".into());
        }
        let stem = format!(
            "{}-{}",
            crate::commands::report::file_stem(&t.name),
            if by == "(all)" {
                "totaal".to_string()
            } else {
                crate::commands::report::file_stem(&by)
            }
        );
        out.push(ChartSpec {
            stem,
            chart: BarChart {
                title: var.label.clone(),
                subtitle: Some(subtitle),
                groups: chart_groups,
                categories: chart_categories,
                axis: Axis::percent(),
                legend: None,
                unreliable_note: "Gearceerd: onbetrouwbaar".into(),
                footer,
            },
        });
    }
    out
}

/// A numeric question: one chart of the mean for the whole sample and every group, bars
/// coloured by grouping.
fn mean_chart(
    codebook: &Codebook,
    table: usize,
    estimates: &[Estimate],
    bys: &[String],
    axis_top: f64,
    level_pct: &str,
    footer_source: String,
) -> Option<ChartSpec> {
    let t = &codebook.tables[table];
    let var = &codebook.variables[t.rows];
    let palette = bars::okabe_ito::SEQUENCE;
    let mut categories = Vec::new();
    let mut legend = Vec::new();
    let mut any_unreliable = false;
    for (i, by) in bys.iter().enumerate() {
        let color = palette[i % palette.len()];
        legend.push(Group {
            name: if by == "(all)" {
                "Alle respondenten".into()
            } else {
                codebook
                    .variable(by)
                    .map_or(by.clone(), |v| codebook.variables[v].label.clone())
            },
            n: 0,
            color,
        });
        for e in estimates
            .iter()
            .filter(|e| e.by == *by && e.estimate.is_finite())
        {
            let unreliable = matches!(
                e.reliability,
                Reliability::Unreliable | Reliability::Suppress
            );
            any_unreliable |= unreliable;
            let name = if by == "(all)" {
                "Totaal".to_string()
            } else {
                e.group_label.clone()
            };
            categories.push(Category {
                label: format!("{name} (n = {})", bars::fmt_count(e.n as u32)),
                bars: vec![Bar {
                    value: e.estimate,
                    ci: e.ci_lower.zip(e.ci_upper),
                    unreliable,
                    hide_value: false,
                    color: Some(color),
                }],
            });
        }
    }
    if categories.is_empty() {
        return None;
    }
    let mut footer = vec![footer_source];
    if any_unreliable {
        footer.push("Gearceerd: minder dan 30 respondenten (onbetrouwbaar).".into());
    }
    Some(ChartSpec {
        stem: format!(
            "{}-gemiddelden",
            crate::commands::report::file_stem(&t.name)
        ),
        chart: BarChart {
            title: var.label.clone(),
            subtitle: Some(format!(
                "Gemiddelde per groep, met {level_pct}-betrouwbaarheidsinterval"
            )),
            groups: vec![Group {
                name: "Gemiddelde".into(),
                n: 0,
                color: palette[0],
            }],
            categories,
            axis: Axis::numbers(axis_top),
            legend: Some(legend),
            unreliable_note: "Gearceerd: onbetrouwbaar".into(),
            footer,
        },
    })
}

/// Trend charts of a batch: per table, the whole sample's estimates with one bar per year.
pub fn trend_charts(
    codebook: &Codebook,
    rows: &[crate::stats::trend::TrendRow],
    title: &str,
) -> Vec<ChartSpec> {
    let mut years: Vec<u32> = rows.iter().map(|r| r.year).collect();
    years.sort_unstable();
    years.dedup();
    let palette = bars::okabe_ito::SEQUENCE;
    let mut out = Vec::new();
    for t in &codebook.tables {
        let var = &codebook.variables[t.rows];
        let is_mean = var.is_numeric();
        let mine: Vec<_> = rows
            .iter()
            .filter(|r| r.table == t.name && r.by == "(all)")
            .collect();
        if mine.is_empty() {
            continue;
        }
        let scale = if is_mean { 1.0 } else { 100.0 };
        let groups: Vec<Group> = years
            .iter()
            .enumerate()
            .map(|(i, y)| Group {
                name: y.to_string(),
                n: mine
                    .iter()
                    .filter(|r| r.year == *y)
                    .map(|r| r.n)
                    .max()
                    .unwrap_or(0) as u32,
                color: palette[i % palette.len()],
            })
            .collect();
        let categories: Vec<Category> = var
            .categories()
            .iter()
            .map(|cat| Category {
                label: cat.label.clone(),
                bars: years
                    .iter()
                    .map(
                        |y| match mine.iter().find(|r| r.year == *y && r.category == cat.key) {
                            Some(r) if r.estimate.is_finite() => Bar::estimate(
                                r.estimate,
                                r.ci_lower.zip(r.ci_upper),
                                scale,
                                r.reliability == "unreliable",
                                r.reliability == "suppress",
                            ),
                            _ => Bar::missing(),
                        },
                    )
                    .collect(),
            })
            .collect();
        let top = match &var.kind {
            VariableKind::Numeric { max: Some(m), .. } => *m,
            _ => mine
                .iter()
                .flat_map(|r| [r.ci_upper.unwrap_or(r.estimate), r.estimate])
                .filter(|x| x.is_finite())
                .fold(0.0, f64::max),
        };
        let not_asked: Vec<String> = years
            .iter()
            .filter(|y| {
                mine.iter()
                    .any(|r| r.year == **y && r.note.starts_with("not asked"))
            })
            .map(|y| y.to_string())
            .collect();
        let mut footer = vec![format!(
            "Bron: {title}. Alle respondenten per jaar; n = ongewogen aantal respondenten."
        )];
        if !not_asked.is_empty() {
            footer.push(format!(
                "Ontbrekende balken: (een deel van) de vraag is niet gesteld in {}.",
                not_asked.join(", ")
            ));
        }
        out.push(ChartSpec {
            stem: format!("{}-trend", crate::commands::report::file_stem(&t.name)),
            chart: BarChart {
                title: var.label.clone(),
                subtitle: Some(format!(
                    "{} per jaar, met betrouwbaarheidsinterval",
                    if is_mean { "Gemiddelde" } else { "Percentage" }
                )),
                groups,
                categories,
                axis: if is_mean {
                    Axis::numbers(top)
                } else {
                    Axis::percent()
                },
                legend: None,
                unreliable_note: "Gearceerd: onbetrouwbaar".into(),
                footer,
            },
        });
    }
    out
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
        .map_err(|e| Error::Usage(format!("chart '{}': {e}", spec.stem)))?;
        root.present()
            .map_err(|e| Error::Usage(format!("chart '{}': {e}", spec.stem)))?;
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
    let tree = raster::parse(&text, db)
        .map_err(|e| Error::Usage(format!("chart '{}': {e}", spec.stem)))?;
    let png = raster::render_png(&tree, WIDTH)
        .map_err(|e| Error::Usage(format!("chart '{}': {e}", spec.stem)))?;
    crate::fsutil::write_atomic(&dir.join(format!("{}.png", spec.stem)), |w| {
        w.write_all(&png)
    })?;
    Ok(svg_path)
}
