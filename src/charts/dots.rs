//! Dot plots for breakdowns with many groups: small multiples, one panel per answer, one row per
//! group (sorted by the builder), a dot at the estimate with a whisker for its interval, the
//! whole sample as a dashed reference line, and the value with its marks in a column on the
//! right. Rows are labelled, so groups need no colours; several series (years of a trend) get a
//! dot each, offset a little within the row and joined by a grey line.

use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

use super::axis::Axis;
use super::fonts::{Typeface, Weight};
use super::frame::{
    px, DrawResult, Frame, Ink, Painter, Rect, Theme, CAP_CENTRE_EM, FIRST_BASELINE_EM,
};
use super::palette;

/// One dot of a row.
pub struct Point {
    /// Index into `DotPlot::series` (its colour).
    pub series: usize,
    pub value: f64,
    pub ci: Option<(f64, f64)>,
    /// A filled dot; an open ring otherwise (a trend: no significant change).
    pub filled: bool,
    /// Drawn pale (unreliable).
    pub pale: bool,
}

pub struct DotRow {
    pub label: String,
    /// No points: a row with its label and text only (a suppressed cell, `x`).
    pub points: Vec<Point>,
    /// The value with its marks ("45%▲†"), right of the plot.
    pub text: String,
}

/// The whole sample as a reference line, with its label ("Totaal: 45%").
pub struct Reference {
    pub value: f64,
    pub label: String,
}

pub struct DotPanel {
    /// The answer (none for the only panel of a question without answers, e.g. a mean).
    pub title: Option<String>,
    pub reference: Option<Reference>,
    /// An external benchmark on the axis: a dashed line over the rows.
    pub benchmark: Option<f64>,
    pub rows: Vec<DotRow>,
}

pub struct DotPlot {
    pub frame: Frame,
    /// One axis for every panel, so that panels compare.
    pub axis: Axis,
    /// The colour of each series of points.
    pub series: Vec<RGBColor>,
    pub panels: Vec<DotPanel>,
}

const ROW: f64 = 34.0;
/// Room a row may grow to when the chart is taller than it needs.
const MAX_ROW: f64 = 50.0;
const COLUMN_GAP: f64 = 64.0;
const PANEL_GAP: f64 = 36.0;
const TICK_GAP: f64 = 8.0;
const DOT_RADIUS: f64 = 8.0;

/// Panel sizes shared by every panel of a chart.
struct Grid {
    columns: usize,
    panel_w: f64,
    label_w: f64,
    value_w: f64,
    row_h: f64,
    title_h: f64,
    ref_h: f64,
}

impl DotPlot {
    fn columns(&self) -> usize {
        if self.panels.len() > 1 {
            2
        } else {
            1
        }
    }

    fn grid(&self, face: &Typeface, theme: &Theme, width: f64, row_h: f64) -> Grid {
        let columns = self.columns();
        let panel_w = (width - COLUMN_GAP * (columns as f64 - 1.0)) / columns as f64;
        let rows = self.panels.iter().flat_map(|p| &p.rows);
        let label_w = rows
            .clone()
            .map(|r| face.width(&r.label, theme.row_em, Weight::Regular))
            .fold(0.0, f64::max)
            .min(panel_w * 0.36);
        let value_w = rows
            .clone()
            .map(|r| face.width(&r.text, theme.row_em, Weight::Regular))
            .fold(face.width("100%", theme.row_em, Weight::Regular), f64::max);
        // Rows tall enough for their labels where long ones wrap (crossed breakdowns).
        let label_lines = rows
            .map(|r| {
                face.wrap(&r.label, theme.row_em, Weight::Regular, label_w)
                    .len()
            })
            .max()
            .unwrap_or(1);
        let row_h = row_h.max(label_lines as f64 * theme.row_em * 1.1 + 8.0);
        let title_lines = self
            .panels
            .iter()
            .filter_map(|p| p.title.as_ref())
            .map(|t| {
                face.wrap(t, theme.panel_title_em, Weight::Bold, panel_w)
                    .len()
            })
            .max()
            .unwrap_or(0);
        let has_ref = self.panels.iter().any(|p| p.reference.is_some());
        Grid {
            columns,
            panel_w,
            label_w,
            value_w,
            row_h,
            title_h: title_lines as f64 * theme.panel_title_em * 1.2
                + if title_lines > 0 { 6.0 } else { 0.0 },
            ref_h: if has_ref {
                theme.tick_em * theme.line_height + 4.0
            } else {
                0.0
            },
        }
    }

    /// Rows per line of panels (the tallest panel of each line).
    fn stacked_rows(&self) -> Vec<usize> {
        self.panels
            .chunks(self.columns())
            .map(|line| line.iter().map(|p| p.rows.len()).max().unwrap_or(0))
            .collect()
    }

    fn panel_height(&self, g: &Grid, rows: usize, theme: &Theme) -> f64 {
        g.title_h + g.ref_h + rows as f64 * g.row_h + TICK_GAP + theme.tick_em * theme.line_height
    }

    /// The height the panels need at the standard row height.
    pub fn natural_height(&self, face: &Typeface, theme: &Theme, width: f64) -> f64 {
        let g = self.grid(face, theme, width, ROW);
        let lines = self.stacked_rows();
        lines
            .iter()
            .map(|&rows| self.panel_height(&g, rows, theme))
            .sum::<f64>()
            + PANEL_GAP * (lines.len() as f64 - 1.0).max(0.0)
    }

    /// Draw every panel in `area`, rows stretched (within limits) to fill it.
    pub fn draw_body<DB: DrawingBackend>(&self, p: &Painter<DB>, area: Rect) -> DrawResult<DB> {
        let (face, theme) = (p.face, p.theme);
        let lines = self.stacked_rows();
        let natural = self.natural_height(face, theme, area.width());
        let total_rows: usize = lines.iter().sum();
        let extra = ((area.height() - natural) / total_rows.max(1) as f64).max(0.0);
        let g = self.grid(face, theme, area.width(), (ROW + extra).min(MAX_ROW));
        let mut top = area.top;
        for (line, rows) in self.panels.chunks(g.columns).zip(&lines) {
            for (k, panel) in line.iter().enumerate() {
                let left = area.left + k as f64 * (g.panel_w + COLUMN_GAP);
                self.draw_panel(p, &g, panel, left, top)?;
            }
            top += self.panel_height(&g, *rows, theme) + PANEL_GAP;
        }
        Ok(())
    }

    fn draw_panel<DB: DrawingBackend>(
        &self,
        p: &Painter<DB>,
        g: &Grid,
        panel: &DotPanel,
        left: f64,
        top: f64,
    ) -> DrawResult<DB> {
        let (face, theme) = (p.face, p.theme);
        if let Some(title) = &panel.title {
            p.panel_title(title, left, top, g.panel_w)?;
        }
        let x0 = left + g.label_w + 16.0;
        let x1 = left + g.panel_w - g.value_w - 20.0;
        let axis = &self.axis;
        let xs = |v: f64| x0 + (x1 - x0) * axis.fraction(v);
        let rows_top = top + g.title_h + g.ref_h;
        let rows_bottom = rows_top + panel.rows.len() as f64 * g.row_h;
        for &t in &axis.ticks {
            let gx = px(xs(t)) as f64;
            let color = if t == axis.min {
                theme.muted
            } else {
                theme.grid
            };
            p.fill(gx, rows_top, gx + 1.0, rows_bottom, color)?;
            let baseline = rows_bottom + TICK_GAP + FIRST_BASELINE_EM * theme.tick_em;
            p.text(
                &axis.label(t),
                gx,
                baseline,
                Ink::new(theme.tick_em, Weight::Regular, &theme.muted),
                HPos::Center,
            )?;
        }
        if let Some(r) = &panel.reference {
            let rx = px(xs(r.value)) as f64;
            p.dashed(
                &[(rx, rows_top - 2.0), (rx, rows_bottom)],
                palette::REFERENCE,
                2,
            )?;
            let w = face.width(&r.label, theme.tick_em, Weight::Regular);
            let lx = (rx - w / 2.0).clamp(x0, (x1 - w).max(x0));
            let baseline = rows_top - 6.0 - (1.0 - FIRST_BASELINE_EM) * theme.tick_em;
            p.text(
                &r.label,
                lx,
                baseline,
                Ink::new(theme.tick_em, Weight::Regular, &palette::REFERENCE),
                HPos::Left,
            )?;
        }
        if let Some(b) = panel.benchmark.filter(|b| b.is_finite()) {
            let bx = px(xs(b)) as f64;
            p.dashed(&[(bx, rows_top), (bx, rows_bottom)], palette::BENCHMARK, 3)?;
        }
        for (i, row) in panel.rows.iter().enumerate() {
            let mid = (rows_top + (i as f64 + 0.5) * g.row_h).round();
            self.draw_row(p, g, row, (x0, x1), mid, &xs)?;
            p.text(
                &row.text,
                left + g.panel_w,
                mid + CAP_CENTRE_EM * theme.row_em,
                Ink::new(theme.row_em, Weight::Regular, &theme.text),
                HPos::Right,
            )?;
        }
        Ok(())
    }

    /// A row's label, guide line, whiskers and dots.
    fn draw_row<DB: DrawingBackend>(
        &self,
        p: &Painter<DB>,
        g: &Grid,
        row: &DotRow,
        (x0, x1): (f64, f64),
        mid: f64,
        xs: &dyn Fn(f64) -> f64,
    ) -> DrawResult<DB> {
        let (face, theme) = (p.face, p.theme);
        let label = face.wrap(&row.label, theme.row_em, Weight::Regular, g.label_w);
        let step = theme.row_em * 1.1;
        let first = mid - (label.len() as f64 - 1.0) * step / 2.0 + CAP_CENTRE_EM * theme.row_em;
        for (k, line) in label.iter().enumerate() {
            let y = first + k as f64 * step;
            p.text(
                line,
                x0 - 16.0,
                y,
                Ink::new(theme.row_em, Weight::Regular, &theme.text),
                HPos::Right,
            )?;
        }
        // A faint guide from the label across the plot.
        p.fill(x0, mid, x1, mid + 1.0, palette::pale(theme.grid, 0.6))?;
        let n = self.series.len().max(1);
        let dodge = if n > 1 {
            (g.row_h * 0.6 / n as f64).min(9.0)
        } else {
            0.0
        };
        let offset = |s: usize| (s as f64 - (n as f64 - 1.0) / 2.0) * dodge;
        if row.points.len() > 1 {
            let vals = row.points.iter().map(|pt| xs(pt.value));
            let (lo, hi) = vals.fold((f64::MAX, f64::MIN), |(a, b), x| (a.min(x), b.max(x)));
            p.line(&[(lo, mid), (hi, mid)], theme.grid, 4)?;
        }
        let cap = (g.row_h * 0.18).clamp(4.0, 7.0) / if n > 1 { 2.0 } else { 1.0 };
        for pt in &row.points {
            let y = mid + offset(pt.series);
            if let Some((lo, hi)) = pt.ci {
                let (lx, hx) = (xs(lo), xs(hi));
                // Several dots per row: paler whiskers, so that the dots stand out.
                let c = if n > 1 {
                    palette::pale(theme.whisker, 0.45)
                } else {
                    theme.whisker
                };
                p.line(&[(lx, y), (hx, y)], c, 2)?;
                p.line(&[(lx, y - cap), (lx, y + cap)], c, 2)?;
                p.line(&[(hx, y - cap), (hx, y + cap)], c, 2)?;
            }
        }
        for pt in &row.points {
            let base = self.series.get(pt.series).copied().unwrap_or(palette::DOT);
            let color = if pt.pale {
                palette::pale(base, 0.4)
            } else {
                base
            };
            let r = if n > 1 { DOT_RADIUS * 0.8 } else { DOT_RADIUS };
            p.marker(xs(pt.value), mid + offset(pt.series), r, color, pt.filled)?;
        }
        Ok(())
    }
}
