//! 100%-stacked horizontal bars: one bar per statement of a battery, one segment per answer
//! (in answer order, coloured from one end of the scale to the other), each segment's share
//! written in it when it fits, and the statement's NETs written after the bar.

use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

use super::axis::Axis;
use super::fonts::Weight;
use super::frame::{px, DrawResult, Frame, Ink, Painter, Rect, CAP_CENTRE_EM, FIRST_BASELINE_EM};

/// One answer of the scale: its label (the legend) and colour.
pub struct Segment {
    pub label: String,
    pub color: RGBColor,
}

/// One statement: its label, the share of each answer (0–1, NaN when unknown) and the text
/// after its bar.
pub struct StackedRow {
    pub label: String,
    pub shares: Vec<f64>,
    pub text: String,
    /// Drawn pale: an unreliable base.
    pub pale: bool,
}

pub struct StackedChart {
    pub frame: Frame,
    pub segments: Vec<Segment>,
    pub rows: Vec<StackedRow>,
    pub axis: Axis,
}

/// Room per statement when the chart grows with its content.
const PER_ROW: f64 = 64.0;
const TICK_GAP: f64 = 10.0;

impl StackedChart {
    pub fn natural_height(&self, theme: &super::frame::Theme) -> f64 {
        self.rows.len() as f64 * PER_ROW + TICK_GAP + theme.tick_em * theme.line_height
    }

    pub fn draw_body<DB: DrawingBackend>(&self, p: &Painter<DB>, area: Rect) -> DrawResult<DB> {
        let (face, theme) = (p.face, p.theme);
        let max_label = (area.right + theme.pad_x) * theme.max_label_frac;
        let labels: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|r| face.wrap(&r.label, theme.label_em, Weight::Regular, max_label))
            .collect();
        let label_col = labels
            .iter()
            .flatten()
            .map(|l| face.width(l, theme.label_em, Weight::Regular))
            .fold(0.0, f64::max);
        let text_col = self
            .rows
            .iter()
            .map(|r| face.width(&r.text, theme.value_em, Weight::Regular))
            .fold(0.0, f64::max);
        let x0 = area.left + label_col + 18.0;
        let x1 = area.right - text_col - 16.0;
        let bottom = area.bottom - TICK_GAP - theme.tick_em * theme.line_height;
        let band = (bottom - area.top) / self.rows.len().max(1) as f64;
        let bar_h = (band * theme.bar_block_frac).min(48.0).floor();
        let x = |share: f64| x0 + (x1 - x0) * share;
        for &t in &self.axis.ticks {
            let gx = px(x(t / 100.0)) as f64;
            p.fill(gx, area.top, gx + 1.0, bottom, theme.grid)?;
            p.text(
                &self.axis.label(t),
                gx,
                bottom + TICK_GAP + FIRST_BASELINE_EM * theme.tick_em,
                Ink::new(theme.tick_em, Weight::Regular, &theme.muted),
                HPos::Center,
            )?;
        }
        for (i, (row, lines)) in self.rows.iter().zip(&labels).enumerate() {
            let centre = area.top + (i as f64 + 0.5) * band;
            let top = (centre - bar_h / 2.0).round();
            let step = theme.label_em * 1.15;
            let first =
                centre - (lines.len() as f64 - 1.0) * step / 2.0 + CAP_CENTRE_EM * theme.label_em;
            for (k, line) in lines.iter().enumerate() {
                let ink = Ink::new(theme.label_em, Weight::Regular, &theme.text);
                p.text(line, x0 - 18.0, first + k as f64 * step, ink, HPos::Right)?;
            }
            let mut at = 0.0;
            for (share, seg) in row.shares.iter().zip(&self.segments) {
                if !share.is_finite() || *share <= 0.0 {
                    continue;
                }
                let color = if row.pale {
                    super::palette::pale(seg.color, 0.45)
                } else {
                    seg.color
                };
                let (a, b) = (px(x(at)) as f64, px(x(at + share)) as f64);
                p.fill(a, top, b, top + bar_h, color)?;
                let label = self.axis.value_label(100.0 * share);
                let width = face.width(&label, theme.value_em, Weight::Regular);
                if b - a > width + 10.0 {
                    let ink = Ink::new(theme.value_em, Weight::Regular, &ink_on(color));
                    let baseline = centre + CAP_CENTRE_EM * theme.value_em;
                    p.text(&label, (a + b) / 2.0, baseline, ink, HPos::Center)?;
                }
                at += share;
            }
            let ink = Ink::new(theme.value_em, Weight::Regular, &theme.text);
            let baseline = centre + CAP_CENTRE_EM * theme.value_em;
            p.text(&row.text, x1 + 12.0, baseline, ink, HPos::Left)?;
        }
        Ok(())
    }
}

/// Dark text on a light fill, white on a dark one (relative luminance, WCAG).
fn ink_on(c: RGBColor) -> RGBColor {
    let lin = |v: u8| {
        let s = v as f64 / 255.0;
        if s <= 0.03928 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    let l = 0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2);
    if l > 0.3 {
        RGBColor(26, 26, 26)
    } else {
        WHITE
    }
}
