//! Trend lines: small multiples, one panel per answer, years across and the value up, one line
//! per group (and the whole sample dashed). A year without a figure (not asked, or suppressed)
//! breaks the line. A marker is filled when the change from the previous year is significant,
//! open otherwise; pale when the figure is unreliable. Each line ends in its latest value, with
//! its marks, labels pushed apart so that they never overlap.

use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

use super::axis::Axis;
use super::fonts::{Typeface, Weight};
use super::frame::{
    px, DrawResult, Frame, Ink, Painter, Rect, Theme, CAP_CENTRE_EM, FIRST_BASELINE_EM,
};
use super::palette;

pub struct LinePoint {
    pub value: f64,
    pub ci: Option<(f64, f64)>,
    /// A significant change from the previous year with a figure.
    pub filled: bool,
    /// Drawn pale (unreliable).
    pub pale: bool,
}

pub struct Series {
    /// The group (for the text alternative; the end label carries it too).
    pub name: String,
    pub color: RGBColor,
    /// Dashed: the whole sample.
    pub dashed: bool,
    /// One entry per year of `LineChart::years`; none where there is no figure.
    pub points: Vec<Option<LinePoint>>,
    /// The latest year's value with its marks, at the end of the line (empty: none).
    pub end_text: String,
}

pub struct LinePanel {
    pub title: Option<String>,
    /// The value axis (vertical). Each panel has its own, from 0 to just above its largest
    /// limit: what a trend chart shows is the change within an answer, which a 0–100% axis
    /// would flatten for answers of a few percent.
    pub axis: Axis,
    pub series: Vec<Series>,
}

pub struct LineChart {
    pub frame: Frame,
    pub years: Vec<u32>,
    pub panels: Vec<LinePanel>,
}

const PLOT_H: f64 = 340.0;
const MAX_PLOT_H: f64 = 480.0;
const COLUMN_GAP: f64 = 64.0;
const PANEL_GAP: f64 = 40.0;
const TICK_GAP: f64 = 10.0;
const MARKER: f64 = 7.0;

/// Panel sizes shared by every panel of a chart.
struct Grid {
    columns: usize,
    panel_w: f64,
    title_h: f64,
    plot_h: f64,
    /// Width of the value axis' labels, and of the end labels.
    tick_w: f64,
    end_w: f64,
}

impl LineChart {
    fn grid(&self, face: &Typeface, theme: &Theme, width: f64, plot_h: f64) -> Grid {
        let columns = if self.panels.len() > 1 { 2 } else { 1 };
        let panel_w = (width - COLUMN_GAP * (columns as f64 - 1.0)) / columns as f64;
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
        let tick_w = self
            .panels
            .iter()
            .flat_map(|p| p.axis.ticks.iter().map(|&t| p.axis.label(t)))
            .map(|l| face.width(&l, theme.tick_em, Weight::Regular))
            .fold(0.0, f64::max);
        let end_w = self
            .panels
            .iter()
            .flat_map(|p| &p.series)
            .map(|s| face.width(&s.end_text, theme.row_em, Weight::Regular))
            .fold(0.0, f64::max);
        Grid {
            columns,
            panel_w,
            title_h: title_lines as f64 * theme.panel_title_em * 1.2
                + if title_lines > 0 { 10.0 } else { 0.0 },
            plot_h,
            tick_w,
            end_w,
        }
    }

    fn panel_height(&self, g: &Grid, theme: &Theme) -> f64 {
        g.title_h + g.plot_h + TICK_GAP + theme.tick_em * theme.line_height
    }

    fn lines_of_panels(&self) -> usize {
        let columns = if self.panels.len() > 1 { 2 } else { 1 };
        self.panels.len().div_ceil(columns)
    }

    pub fn natural_height(&self, face: &Typeface, theme: &Theme, width: f64) -> f64 {
        let g = self.grid(face, theme, width, PLOT_H);
        let n = self.lines_of_panels() as f64;
        n * self.panel_height(&g, theme) + (n - 1.0).max(0.0) * PANEL_GAP
    }

    /// Draw every panel in `area`, plots stretched (within limits) to fill it.
    pub fn draw_body<DB: DrawingBackend>(&self, p: &Painter<DB>, area: Rect) -> DrawResult<DB> {
        let (face, theme) = (p.face, p.theme);
        let n = self.lines_of_panels().max(1) as f64;
        let extra = ((area.height() - self.natural_height(face, theme, area.width())) / n).max(0.0);
        let g = self.grid(face, theme, area.width(), (PLOT_H + extra).min(MAX_PLOT_H));
        let step = self.panel_height(&g, theme) + PANEL_GAP;
        for (i, panel) in self.panels.iter().enumerate() {
            let left = area.left + (i % g.columns) as f64 * (g.panel_w + COLUMN_GAP);
            let top = area.top + (i / g.columns) as f64 * step;
            self.draw_panel(p, &g, panel, left, top)?;
        }
        Ok(())
    }

    fn draw_panel<DB: DrawingBackend>(
        &self,
        p: &Painter<DB>,
        g: &Grid,
        panel: &LinePanel,
        left: f64,
        top: f64,
    ) -> DrawResult<DB> {
        let theme = p.theme;
        if let Some(title) = &panel.title {
            p.panel_title(title, left, top, g.panel_w)?;
        }
        let y0 = top + g.title_h;
        let y1 = y0 + g.plot_h;
        let x0 = left + g.tick_w + 12.0;
        let x1 = left + g.panel_w - g.end_w - 34.0;
        let axis = &panel.axis;
        let ys = |v: f64| y1 - (y1 - y0) * axis.fraction(v);
        for &t in &axis.ticks {
            let gy = px(ys(t)) as f64;
            p.fill(
                x0,
                gy,
                x1,
                gy + 1.0,
                if t == axis.min {
                    theme.muted
                } else {
                    theme.grid
                },
            )?;
            let baseline = gy + CAP_CENTRE_EM * theme.tick_em;
            p.text(
                &axis.label(t),
                x0 - 8.0,
                baseline,
                Ink::new(theme.tick_em, Weight::Regular, &theme.muted),
                HPos::Right,
            )?;
        }
        // Years inset from the edges, so that markers and whiskers stay inside.
        let inset = 28.0;
        let (first, last) = (
            self.years.first().copied().unwrap_or(0),
            self.years.last().copied().unwrap_or(0),
        );
        let xs = |year: u32| {
            if last == first {
                (x0 + x1) / 2.0
            } else {
                x0 + inset + (x1 - x0 - 2.0 * inset) * (year - first) as f64 / (last - first) as f64
            }
        };
        for &y in &self.years {
            let baseline = y1 + TICK_GAP + FIRST_BASELINE_EM * theme.tick_em;
            p.text(
                &y.to_string(),
                xs(y),
                baseline,
                Ink::new(theme.tick_em, Weight::Regular, &theme.muted),
                HPos::Center,
            )?;
        }
        let n = panel.series.len().max(1) as f64;
        let dodge = |s: usize| (s as f64 - (n - 1.0) / 2.0) * 5.0;
        let at = |s: usize, k: usize| xs(self.years[k]) + dodge(s);
        for (s, series) in panel.series.iter().enumerate() {
            draw_series(p, series, &|k| at(s, k), &ys)?;
        }
        self.draw_end_labels(p, panel, (x1 + 12.0, y0, y1), &|s, k| at(s, k), &ys)
    }

    /// Each line's latest value right of the plot, pushed apart vertically so that labels never
    /// overlap, with a leader in the line's colour from its last marker.
    fn draw_end_labels<DB: DrawingBackend>(
        &self,
        p: &Painter<DB>,
        panel: &LinePanel,
        (x, top, bottom): (f64, f64, f64),
        at: &dyn Fn(usize, usize) -> f64,
        ys: &dyn Fn(f64) -> f64,
    ) -> DrawResult<DB> {
        let theme = p.theme;
        let Some(k) = self.years.len().checked_sub(1) else {
            return Ok(());
        };
        let mut labels: Vec<(f64, f64, usize)> = panel
            .series
            .iter()
            .enumerate()
            .filter(|(_, s)| !s.end_text.is_empty())
            .filter_map(|(i, s)| s.points.get(k)?.as_ref().map(|pt| (ys(pt.value), 0.0, i)))
            .collect();
        labels.sort_by(|a, b| a.0.total_cmp(&b.0));
        let gap = theme.row_em * 1.1;
        let ends = spread(
            &labels.iter().map(|l| l.0).collect::<Vec<_>>(),
            gap,
            top,
            bottom,
        );
        for (l, y) in labels.iter_mut().zip(ends) {
            l.1 = y;
        }
        for (from, y, i) in labels {
            let s = &panel.series[i];
            let text_x = x + 22.0;
            p.line(
                &[(at(i, k) + MARKER + 2.0, from), (text_x - 4.0, y)],
                s.color,
                2,
            )?;
            p.text(
                &s.end_text,
                text_x,
                y + CAP_CENTRE_EM * theme.row_em,
                Ink::new(theme.row_em, Weight::Regular, &theme.text),
                HPos::Left,
            )?;
        }
        Ok(())
    }
}

/// One line: segments between consecutive years that both have a figure, whiskers, markers.
fn draw_series<DB: DrawingBackend>(
    p: &Painter<DB>,
    s: &Series,
    x: &dyn Fn(usize) -> f64,
    y: &dyn Fn(f64) -> f64,
) -> DrawResult<DB> {
    let theme = p.theme;
    for k in 1..s.points.len() {
        if let (Some(a), Some(b)) = (&s.points[k - 1], &s.points[k]) {
            let seg = [(x(k - 1), y(a.value)), (x(k), y(b.value))];
            if s.dashed {
                p.dashed(&seg, s.color, 3)?;
            } else {
                p.line(&seg, s.color, 3)?;
            }
        }
    }
    for (k, pt) in s.points.iter().enumerate() {
        let Some(pt) = pt else { continue };
        if let Some((lo, hi)) = pt.ci {
            let (cx, c) = (x(k), palette::pale(theme.whisker, 0.7));
            p.line(&[(cx, y(lo)), (cx, y(hi))], c, 2)?;
            p.line(&[(cx - 4.0, y(lo)), (cx + 4.0, y(lo))], c, 2)?;
            p.line(&[(cx - 4.0, y(hi)), (cx + 4.0, y(hi))], c, 2)?;
        }
    }
    for (k, pt) in s.points.iter().enumerate() {
        let Some(pt) = pt else { continue };
        let color = if pt.pale {
            palette::pale(s.color, 0.4)
        } else {
            s.color
        };
        p.marker(x(k), y(pt.value), MARKER, color, pt.filled)?;
    }
    Ok(())
}

/// Positions for labels wanted at `wanted` (ascending), at least `gap` apart, within
/// [top + gap/2, bottom]; as close to the wanted positions as a downward sweep and an upward
/// correction allow.
pub fn spread(wanted: &[f64], gap: f64, top: f64, bottom: f64) -> Vec<f64> {
    let mut out: Vec<f64> = Vec::with_capacity(wanted.len());
    for &w in wanted {
        let min = out.last().map_or(top + gap / 2.0, |&prev| prev + gap);
        out.push(w.max(min));
    }
    // Labels pushed below the bottom move up together.
    let mut limit = bottom;
    for y in out.iter_mut().rev() {
        if *y > limit {
            *y = limit;
        }
        limit = *y - gap;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn end_labels_keep_their_distance() {
        let ys = spread(&[100.0, 102.0, 104.0, 300.0], 20.0, 0.0, 400.0);
        assert_eq!(ys, vec![100.0, 120.0, 140.0, 300.0]);
        let ys = spread(&[390.0, 395.0, 399.0], 20.0, 0.0, 400.0);
        assert_eq!(ys, vec![360.0, 380.0, 400.0]);
    }
}
