//! Horizontal grouped bar chart (percentages or means with confidence intervals),
//! laid out by hand in pixel coordinates on any plotters backend.
//!
//! Why not `ChartBuilder`: its mesh cannot wrap category labels, does not size
//! the label area to them, and a segmented (category) axis cannot place two
//! bars side by side inside one category. Here every position is computed
//! from measured text, so the same code gives the same picture on the SVG and
//! the bitmap backend.

use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

pub use super::axis::Axis;
use super::fonts::{Typeface, Weight};
use super::frame::{
    px, DrawResult, Frame, Ink, LegendItem, Painter, Rect, Swatch, Theme, CAP_CENTRE_EM,
};

/// A series of bars (one per category): its name and colour.
pub struct Group {
    pub label: String,
    pub color: RGBColor,
}

/// The legend of grouped bars: a swatch per group, and the hatched swatch (its words given)
/// when some bar is drawn hatched.
pub fn group_legend(groups: &[Group], hatched: Option<&str>) -> Vec<LegendItem> {
    let mut legend: Vec<LegendItem> = groups
        .iter()
        .map(|g| LegendItem::new(g.label.clone(), Swatch::Fill(g.color)))
        .collect();
    if let Some(words) = hatched {
        legend.push(LegendItem::new(words, Swatch::Hatched));
    }
    legend
}

/// One bar: a value on the chart's axis with an optional confidence interval.
pub struct Bar {
    /// The value on the axis; NaN draws no bar (no estimate, or one that must not be shown).
    pub value: f64,
    pub ci: Option<(f64, f64)>,
    /// Drawn pale and hatched (unreliable).
    pub hatched: bool,
    /// The value label with its marks ("45%▲†"), or the suppression mark alone; empty for none.
    pub text: String,
    /// A colour of its own instead of its group's (bars coloured by breakdown).
    pub color: Option<RGBColor>,
    /// A filled marker after the label: a significant change from the previous year.
    pub changed: bool,
}

impl Bar {
    /// No estimate: nothing is drawn.
    pub fn missing() -> Bar {
        Bar::text_only(String::new())
    }

    /// No bar, only a text where its label would be (the suppression mark).
    pub fn text_only(text: String) -> Bar {
        Bar {
            value: f64::NAN,
            ci: None,
            hatched: false,
            text,
            color: None,
            changed: false,
        }
    }
}

pub struct Category {
    pub label: String,
    /// One bar per group, in the order of `BarChart::groups`.
    pub bars: Vec<Bar>,
    /// An external benchmark on the axis: a dashed line across the category's band.
    pub benchmark: Option<f64>,
}

pub struct BarChart {
    pub frame: Frame,
    pub groups: Vec<Group>,
    pub categories: Vec<Category>,
    pub axis: Axis,
}

/// Room per bar and per category when the chart grows with its content.
const PER_BAR: f64 = 34.0;
const PER_CATEGORY: f64 = 26.0;
const TICK_GAP: f64 = 10.0;

/// Where things go in the plot.
struct Geometry {
    /// The zero line and the end of the axis.
    x0: f64,
    x1: f64,
    max: f64,
    top: f64,
    bottom: f64,
    /// Height of a category's band, of one bar, between bars.
    band: f64,
    bar_h: f64,
    gap: f64,
    cap: f64,
}

impl Geometry {
    fn x(&self, v: f64) -> f64 {
        // Bars start at 0: their axes always do.
        self.x0 + (self.x1 - self.x0) * v.clamp(0.0, self.max) / self.max
    }
}

impl BarChart {
    /// The height the bars need (the chart stretches them when it is taller).
    pub fn natural_height(&self, theme: &Theme) -> f64 {
        let bars = self.categories.len() * self.groups.len().max(1);
        bars as f64 * PER_BAR
            + self.categories.len() as f64 * PER_CATEGORY
            + TICK_GAP
            + theme.tick_em * theme.line_height
    }

    /// Draw the bars, their labels and the value axis in `area`.
    pub fn draw_body<DB: DrawingBackend>(&self, p: &Painter<DB>, area: Rect) -> DrawResult<DB> {
        let (face, theme) = (p.face, p.theme);
        let labels: Vec<Vec<String>> = self
            .categories
            .iter()
            .map(|c| {
                // The fraction is of the canvas width.
                let max = (area.right + theme.pad_x) * theme.max_label_frac;
                face.wrap(&c.label, theme.label_em, Weight::Regular, max)
            })
            .collect();
        let g = self.geometry(face, theme, area, &labels);
        self.draw_grid(p, &g)?;
        for (i, (cat, lines)) in self.categories.iter().zip(&labels).enumerate() {
            let centre = g.top + (i as f64 + 0.5) * g.band;
            draw_label(p, lines, g.x0 - 18.0, centre)?;
            let block = g.bar_h * cat.bars.len() as f64 + g.gap * (cat.bars.len() as f64 - 1.0);
            let block_top = (centre - block / 2.0).round();
            for (j, (bar, group)) in cat.bars.iter().zip(&self.groups).enumerate() {
                let top = block_top + j as f64 * (g.bar_h + g.gap);
                self.draw_bar(p, &g, bar, bar.color.unwrap_or(group.color), top)?;
            }
            if let Some(b) = cat.benchmark.filter(|b| b.is_finite()) {
                let x = px(g.x(b)) as f64;
                let pad = g.gap * 2.0;
                let points = [(x, block_top - pad), (x, block_top + block + pad)];
                p.dashed(&points, super::palette::BENCHMARK, 3)?;
            }
        }
        // Zero line on top of the bars.
        p.fill(
            px(g.x0) as f64 - 1.0,
            g.top,
            px(g.x0) as f64 + 1.0,
            g.bottom,
            theme.text,
        )
    }

    fn geometry(
        &self,
        face: &Typeface,
        theme: &Theme,
        area: Rect,
        labels: &[Vec<String>],
    ) -> Geometry {
        let bottom = area.bottom - TICK_GAP - theme.tick_em * theme.line_height;
        let label_col = labels
            .iter()
            .flatten()
            .map(|l| face.width(l, theme.label_em, Weight::Regular))
            .fold(0.0, f64::max);
        let x0 = area.left + label_col + 18.0;
        // Room right of the axis end for a value label and its marks, or the last tick label.
        let widest = |s: &str| face.width(s, theme.value_em, Weight::Regular);
        let end = widest(&format!("{}▲‡", self.axis.value_label(self.axis.max)));
        let x1 = area.right - end.max(widest(&self.axis.label(self.axis.max))) - 14.0;
        let n_cat = self.categories.len().max(1) as f64;
        let n_grp = self.groups.len().max(1) as f64;
        let band = (bottom - area.top) / n_cat;
        let gap = 3.0;
        let bar_h = ((band * theme.bar_block_frac - gap * (n_grp - 1.0)) / n_grp)
            .min(44.0)
            .floor();
        Geometry {
            x0,
            x1,
            max: self.axis.max,
            top: area.top,
            bottom,
            band,
            bar_h,
            gap,
            cap: (bar_h * 0.3).clamp(5.0, 9.0).round(),
        }
    }

    /// Grid lines and tick labels.
    fn draw_grid<DB: DrawingBackend>(&self, p: &Painter<DB>, g: &Geometry) -> DrawResult<DB> {
        let theme = p.theme;
        for &t in &self.axis.ticks {
            let gx = px(g.x(t)) as f64;
            if t > 0.0 {
                p.fill(gx, g.top, gx + 1.0, g.bottom, theme.grid)?;
            }
            let tb = g.bottom + TICK_GAP + super::frame::FIRST_BASELINE_EM * theme.tick_em;
            p.text(
                &self.axis.label(t),
                gx,
                tb,
                Ink::new(theme.tick_em, Weight::Regular, &theme.muted),
                HPos::Center,
            )?;
        }
        Ok(())
    }

    /// One bar with its whisker, value label and change marker; `top` is its upper edge.
    fn draw_bar<DB: DrawingBackend>(
        &self,
        p: &Painter<DB>,
        g: &Geometry,
        bar: &Bar,
        color: RGBColor,
        top: f64,
    ) -> DrawResult<DB> {
        let (face, theme) = (p.face, p.theme);
        let mid = (top + g.bar_h / 2.0).round();
        let mut label_x = g.x0;
        if bar.value.is_finite() {
            let end = px(g.x(bar.value)) as f64;
            if bar.hatched {
                p.hatched(
                    g.x0,
                    top,
                    end,
                    top + g.bar_h,
                    &color,
                    theme.unreliable_alpha,
                )?;
            } else {
                p.fill(g.x0, top, end, top + g.bar_h, color)?;
            }
            label_x = end;
            if let Some((lo, hi)) = bar.ci {
                let (lx, hx) = (g.x(lo), g.x(hi));
                p.line(&[(lx, mid), (hx, mid)], theme.whisker, 2)?;
                p.line(&[(lx, mid - g.cap), (lx, mid + g.cap)], theme.whisker, 2)?;
                p.line(&[(hx, mid - g.cap), (hx, mid + g.cap)], theme.whisker, 2)?;
                label_x = label_x.max(hx);
            }
        }
        if bar.text.is_empty() {
            return Ok(());
        }
        let x = label_x + 10.0;
        p.text(
            &bar.text,
            x,
            mid + CAP_CENTRE_EM * theme.value_em,
            Ink::new(theme.value_em, Weight::Regular, &theme.text),
            HPos::Left,
        )?;
        if bar.changed {
            let r = theme.value_em * 0.3;
            let w = face.width(&bar.text, theme.value_em, Weight::Regular);
            p.marker(x + w + 8.0 + r, mid, r, super::palette::REFERENCE, true)?;
        }
        Ok(())
    }
}

/// A category's wrapped label, right-aligned at `x`, centred on `centre`.
fn draw_label<DB: DrawingBackend>(
    p: &Painter<DB>,
    lines: &[String],
    x: f64,
    centre: f64,
) -> DrawResult<DB> {
    let theme = p.theme;
    let step = theme.label_em * 1.15;
    let first = centre - (lines.len() as f64 - 1.0) * step / 2.0 + CAP_CENTRE_EM * theme.label_em;
    for (k, line) in lines.iter().enumerate() {
        p.text(
            line,
            x,
            first + k as f64 * step,
            Ink::new(theme.label_em, Weight::Regular, &theme.text),
            HPos::Right,
        )?;
    }
    Ok(())
}
