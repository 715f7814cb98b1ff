//! Publication charts, drawn with plotters' SVG backend and rendered to PNG by resvg, with an
//! embedded font only (no system fonts are looked up, so charts draw the same on a machine
//! without any):
//! - grouped horizontal bars with confidence whiskers per table and breakdown of a few groups
//!   ([`bars`]);
//! - dot plots, one panel per answer and one row per group, for breakdowns of many groups
//!   ([`dots`]);
//! - trend lines per group over the years of a batch ([`lines`]).
//!
//! [`table`] and [`trend`] turn results into chart specifications; [`frame`] draws what every
//! chart shares (title, legend, footer).

pub mod axis;
pub mod bars;
mod battery;
pub mod describe;
pub mod dots;
pub mod encode;
pub mod fonts;
pub mod frame;
pub mod lines;
pub mod palette;
pub mod raster;
pub mod stacked;
pub mod table;
pub mod trend;

use crate::error::{Error, Result};
use bars::BarChart;
use dots::DotPlot;
use fonts::{TextProfile, Typeface};
use frame::{DrawResult, Frame, Painter, Rect, Theme};
use lines::LineChart;
use plotters::coord::Shift;
use plotters::prelude::*;
use stacked::StackedChart;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use table::table_charts;
pub use trend::{trend_charts, trend_charts_per_table};

/// Width of every chart in SVG units and PNG pixels.
pub const WIDTH: u32 = 1600;
/// Smallest height; a chart that needs less gets more room per bar, row or panel.
pub const MIN_HEIGHT: u32 = 800;
/// Largest height; beyond it bars and rows get less room than they would like.
pub const MAX_HEIGHT: u32 = 6000;

/// Breakdowns with more groups than this get a dot plot instead of grouped bars: beyond it bars
/// would need more colours than stay apart, and a reader cannot tell six bars of one answer
/// apart by colour anyway.
pub const MANY_GROUPS: usize = 6;

/// A chart of one of the four kinds.
pub enum Chart {
    Bars(BarChart),
    Dots(DotPlot),
    Lines(LineChart),
    Stacked(StackedChart),
}

impl Chart {
    pub fn frame(&self) -> &Frame {
        match self {
            Chart::Bars(c) => &c.frame,
            Chart::Dots(c) => &c.frame,
            Chart::Lines(c) => &c.frame,
            Chart::Stacked(c) => &c.frame,
        }
    }

    fn natural_height(&self, face: &Typeface, theme: &Theme, width: f64) -> f64 {
        match self {
            Chart::Bars(c) => c.natural_height(theme),
            Chart::Dots(c) => c.natural_height(face, theme, width),
            Chart::Lines(c) => c.natural_height(face, theme, width),
            Chart::Stacked(c) => c.natural_height(theme),
        }
    }

    fn draw_body<DB: DrawingBackend>(&self, p: &Painter<DB>, area: Rect) -> DrawResult<DB> {
        match self {
            Chart::Bars(c) => c.draw_body(p, area),
            Chart::Dots(c) => c.draw_body(p, area),
            Chart::Lines(c) => c.draw_body(p, area),
            Chart::Stacked(c) => c.draw_body(p, area),
        }
    }
}

/// A chart ready to draw, with the file stem it is written under.
pub struct ChartSpec {
    pub stem: String,
    pub chart: Chart,
}

impl ChartSpec {
    /// The height that gives the chart's body the room it needs below its header and above its
    /// footer (measured with `face`), within [`MIN_HEIGHT`, `MAX_HEIGHT`].
    pub fn height(&self, face: &Typeface) -> u32 {
        let theme = Theme::default();
        let w = WIDTH as f64;
        let layout = self.chart.frame().layout(face, &theme, w);
        let body = self
            .chart
            .natural_height(face, &theme, w - 2.0 * theme.pad_x);
        let h = layout.plot_top + body + frame::FOOTER_GAP + layout.footer_height;
        h.ceil().clamp(MIN_HEIGHT as f64, MAX_HEIGHT as f64) as u32
    }
}

/// Draw the whole chart onto `root` (its full size is used).
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &Chart,
    theme: &Theme,
    face: &Typeface,
    profile: TextProfile,
) -> DrawResult<DB> {
    let p = Painter {
        area: root,
        profile,
        face,
        theme,
    };
    let (w, h) = root.dim_in_pixel();
    let (w, h) = (w as f64, h as f64);
    root.fill(&WHITE)?;
    let layout = chart.frame().layout(face, theme, w);
    let bottom = chart.frame().draw(&p, &layout, h)?;
    let area = Rect {
        left: theme.pad_x,
        top: layout.plot_top,
        right: w - theme.pad_x,
        bottom,
    };
    chart.draw_body(&p, area)
}

/// Draw a chart as SVG text.
pub fn svg(spec: &ChartSpec, face: &Typeface) -> Result<String> {
    let mut svg = String::new();
    {
        let size = (WIDTH, spec.height(face));
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        draw(
            &root,
            &spec.chart,
            &Theme::default(),
            face,
            TextProfile::SVG,
        )
        .map_err(|e| render_error(spec, e))?;
        root.present().map_err(|e| render_error(spec, e))?;
    }
    Ok(with_title(svg, &spec.chart))
}

/// The SVG with its title and the chart in words (`<title>`, `<desc>`) as its first children,
/// and `role="img"`, so that a program reading the SVG itself gets its text alternative.
fn with_title(svg: String, chart: &Chart) -> String {
    let Some(open) = svg.find("<svg") else {
        return svg;
    };
    let Some(end) = svg[open..].find('>').map(|e| open + e) else {
        return svg;
    };
    let xml = crate::text::escape::xml;
    format!(
        "{} role=\"img\" aria-labelledby=\"chart-title chart-desc\"><title id=\"chart-title\">{}</title><desc id=\"chart-desc\">{}</desc>{}",
        &svg[..end],
        xml(&chart.frame().title),
        xml(&describe::describe(chart)),
        &svg[end + 1..]
    )
}

/// Threads that draw charts: one per core of the machine the figures were made on (2). A chart
/// is drawn the same on any thread, so the number changes only the time.
const CHART_THREADS: usize = 2;

/// Write `<dir>/<stem>.svg` and `.png` for every chart into `dir`, a new folder of a folder
/// being built (files are created new, and synced with the whole folder), on
/// [`CHART_THREADS`] threads, each with its own typeface and pixel buffers. Returns the SVG
/// paths; the first error in chart order, if any.
pub fn write_all(dir: &Path, specs: &[ChartSpec]) -> Result<Vec<PathBuf>> {
    crate::fsutil::create_dir(dir)?;
    let db = Arc::new(raster::font_db());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failed = std::sync::atomic::AtomicBool::new(false);
    let results: std::sync::Mutex<Vec<(usize, Result<PathBuf>)>> =
        std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..CHART_THREADS.min(specs.len()) {
            scope.spawn(|| {
                let face = Typeface::embedded();
                let mut raster = raster::Rasterizer::new(db.clone());
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    // After a failure the charts not yet started are left: the run fails.
                    let Some(spec) = specs.get(i) else { break };
                    if failed.load(std::sync::atomic::Ordering::Relaxed) {
                        break;
                    }
                    let r = write_one(dir, spec, &face, &mut raster);
                    if r.is_err() {
                        failed.store(true, std::sync::atomic::Ordering::Relaxed);
                    }
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
    raster: &mut raster::Rasterizer,
) -> Result<PathBuf> {
    let text = svg(spec, face)?;
    let svg_path = dir.join(format!("{}.svg", spec.stem));
    crate::fsutil::write_new(&svg_path, |w| w.write_all(text.as_bytes()))?;
    let png = raster
        .png(&text, WIDTH)
        .map_err(|e| render_error(spec, e))?;
    crate::fsutil::write_new(&dir.join(format!("{}.png", spec.stem)), |w| {
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
    raster::Rasterizer::new(db)
        .png(svg, WIDTH)
        .map_err(|e| render_error(spec, e))
}
