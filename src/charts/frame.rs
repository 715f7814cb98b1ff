//! What every chart shares: the theme, a painter that places text by its baseline in pixel
//! coordinates, and the frame around the plot (title, subtitle and legend above, footer
//! paragraphs below), laid out from measured text so that nothing overlaps.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::fonts::{TextProfile, Typeface, Weight, FAMILY};

/// Sizes in CSS px for a 1600 px wide canvas; colours.
pub struct Theme {
    pub pad_x: f64,
    pub pad_top: f64,
    pub pad_bottom: f64,
    pub title_em: f64,
    pub subtitle_em: f64,
    pub legend_em: f64,
    pub label_em: f64,
    pub tick_em: f64,
    pub value_em: f64,
    pub footer_em: f64,
    /// Panel titles of small multiples (dot plots, trend lines).
    pub panel_title_em: f64,
    /// Group labels and values in the rows of a dot plot.
    pub row_em: f64,
    pub line_height: f64,
    /// Category labels wrap at this fraction of the canvas width.
    pub max_label_frac: f64,
    /// Share of a category's band taken by its bars.
    pub bar_block_frac: f64,
    pub text: RGBColor,
    pub muted: RGBColor,
    pub grid: RGBColor,
    pub whisker: RGBColor,
    pub unreliable_alpha: f64,
}

impl Default for Theme {
    fn default() -> Self {
        Theme {
            pad_x: 48.0,
            pad_top: 40.0,
            pad_bottom: 32.0,
            title_em: 38.0,
            subtitle_em: 27.0,
            legend_em: 25.0,
            label_em: 25.0,
            tick_em: 23.0,
            value_em: 23.0,
            footer_em: 21.0,
            panel_title_em: 24.0,
            row_em: 22.0,
            line_height: 1.25,
            max_label_frac: 0.28,
            bar_block_frac: 0.72,
            text: RGBColor(26, 26, 26),
            muted: RGBColor(85, 85, 85),
            grid: RGBColor(217, 217, 217),
            whisker: RGBColor(26, 26, 26),
            unreliable_alpha: 0.28,
        }
    }
}

pub type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

pub fn px(v: f64) -> i32 {
    v.round() as i32
}

/// Cap-height centre of Liberation Sans, in em above the baseline: put the
/// baseline this far below a line to centre text on it.
pub const CAP_CENTRE_EM: f64 = 0.36;
/// Distance from the top of a line box to the first baseline, in em.
pub const FIRST_BASELINE_EM: f64 = 0.93;

/// How a run of text looks: its size in em, weight and colour.
#[derive(Clone, Copy, Debug)]
pub struct Ink {
    pub em: f64,
    pub weight: Weight,
    pub color: RGBColor,
}

impl Ink {
    pub fn new(em: f64, weight: Weight, color: &RGBColor) -> Ink {
        Ink {
            em,
            weight,
            color: *color,
        }
    }
}

/// Text and shapes in f64 pixel coordinates; text is placed by its baseline
/// and sized in em through the backend's [`TextProfile`].
pub struct Painter<'a, DB: DrawingBackend> {
    pub area: &'a DrawingArea<DB, Shift>,
    pub profile: TextProfile,
    /// The font's measures, for wrapping and placing text.
    pub face: &'a Typeface,
    pub theme: &'a Theme,
}

impl<DB: DrawingBackend> Painter<'_, DB> {
    pub fn text(&self, s: &str, x: f64, baseline: f64, ink: Ink, h: HPos) -> DrawResult<DB> {
        let Ink { em, weight, color } = ink;
        let style = FontDesc::new(
            FontFamily::Name(FAMILY),
            em * self.profile.size_per_em,
            weight.plotters_style(),
        )
        .color(&color)
        .pos(Pos::new(h, VPos::Top));
        let top = baseline - self.profile.baseline_below_top_em * em;
        self.area
            .draw(&Text::new(s.to_string(), (px(x), px(top)), style))
    }

    /// Lines of a wrapped paragraph; returns the y just below the block.
    pub fn paragraph(
        &self,
        lines: &[String],
        x: f64,
        top: f64,
        ink: Ink,
        line_height: f64,
    ) -> Result<f64, DrawingAreaErrorKind<DB::ErrorType>> {
        let em = ink.em;
        let step = em * line_height;
        for (i, line) in lines.iter().enumerate() {
            let baseline = top + FIRST_BASELINE_EM * em + i as f64 * step;
            self.text(line, x, baseline, ink, HPos::Left)?;
        }
        Ok(top + lines.len() as f64 * step)
    }

    /// A small-multiples panel's title (the answer, or the group), bold and wrapped to the
    /// panel's width, at its top left.
    pub fn panel_title(&self, title: &str, left: f64, top: f64, width: f64) -> DrawResult<DB> {
        let theme = self.theme;
        let lines = self
            .face
            .wrap(title, theme.panel_title_em, Weight::Bold, width);
        self.paragraph(
            &lines,
            left,
            top,
            Ink::new(theme.panel_title_em, Weight::Bold, &theme.text),
            1.2,
        )?;
        Ok(())
    }

    pub fn fill(&self, x0: f64, y0: f64, x1: f64, y1: f64, color: impl Color) -> DrawResult<DB> {
        self.area.draw(&Rectangle::new(
            [(px(x0), px(y0)), (px(x1), px(y1))],
            color.filled(),
        ))
    }

    pub fn line(&self, points: &[(f64, f64)], color: impl Color, width: u32) -> DrawResult<DB> {
        let pts: Vec<(i32, i32)> = points.iter().map(|&(x, y)| (px(x), px(y))).collect();
        self.area
            .draw(&PathElement::new(pts, color.stroke_width(width)))
    }

    /// A dashed line (the whole sample as a reference).
    pub fn dashed(&self, points: &[(f64, f64)], color: impl Color, width: u32) -> DrawResult<DB> {
        let pts: Vec<(i32, i32)> = points.iter().map(|&(x, y)| (px(x), px(y))).collect();
        self.area.draw(&plotters::element::DashedPathElement::new(
            pts,
            8,
            6,
            color.stroke_width(width),
        ))
    }

    /// A marker: a filled disc, or an open ring (white inside, so lines behind it do not show).
    pub fn marker(&self, x: f64, y: f64, r: f64, color: RGBColor, filled: bool) -> DrawResult<DB> {
        let c = (px(x), px(y));
        let r = r.round().max(2.0) as i32;
        if filled {
            return self
                .area
                .draw(&Circle::new(c, r, ShapeStyle::from(color).filled()));
        }
        self.area
            .draw(&Circle::new(c, r, ShapeStyle::from(WHITE).filled()))?;
        self.area
            .draw(&Circle::new(c, r - 1, color.stroke_width(3)))
    }

    /// A pale, hatched rectangle with an outline: marks an unreliable value.
    pub fn hatched(
        &self,
        x0: f64,
        y0: f64,
        x1: f64,
        y1: f64,
        color: &RGBColor,
        alpha: f64,
    ) -> DrawResult<DB> {
        let (x0, y0, x1, y1) = (px(x0) as f64, px(y0) as f64, px(x1) as f64, px(y1) as f64);
        if x1 - x0 < 1.0 || y1 - y0 < 1.0 {
            return Ok(());
        }
        self.fill(x0, y0, x1, y1, color.mix(alpha))?;
        for seg in hatch_segments(x0, y0, x1, y1, 7.0) {
            self.line(&seg, color, 2)?;
        }
        // Outline drawn as a path: the SVG backend writes no stroke-width for
        // unfilled rectangles.
        self.line(
            &[
                (x0 + 1.0, y0 + 1.0),
                (x1 - 1.0, y0 + 1.0),
                (x1 - 1.0, y1 - 1.0),
                (x0 + 1.0, y1 - 1.0),
                (x0 + 1.0, y0),
            ],
            color,
            2,
        )
    }
}

/// Diagonal ("/") hatch lines clipped to a rectangle.
pub fn hatch_segments(x0: f64, y0: f64, x1: f64, y1: f64, spacing: f64) -> Vec<[(f64, f64); 2]> {
    // Lines x + y = c, for c from the top-left corner to the bottom-right one.
    let mut segs = Vec::new();
    let mut c = x0 + y0 + spacing / 2.0;
    while c < x1 + y1 {
        let xa = x0.max(c - y1);
        let xb = x1.min(c - y0);
        if xb > xa {
            segs.push([(xa, c - xa), (xb, c - xb)]);
        }
        c += spacing;
    }
    segs
}

/// The region a chart's body is drawn in.
#[derive(Clone, Copy, Debug)]
pub struct Rect {
    pub left: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
}

impl Rect {
    pub fn width(&self) -> f64 {
        self.right - self.left
    }

    pub fn height(&self) -> f64 {
        self.bottom - self.top
    }
}

/// How a legend entry is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Swatch {
    /// A filled square (a bar colour).
    Fill(RGBColor),
    /// A pale hatched square (unreliable bars).
    Hatched,
    /// A marker: filled disc or open ring.
    Marker { color: RGBColor, filled: bool },
    /// A short line with a marker (a trend line's series).
    Series(RGBColor),
    /// A short dashed line (the whole sample as a reference).
    Dashed(RGBColor),
}

pub struct LegendItem {
    pub label: String,
    pub swatch: Swatch,
}

impl LegendItem {
    pub fn new(label: impl Into<String>, swatch: Swatch) -> LegendItem {
        LegendItem {
            label: label.into(),
            swatch,
        }
    }
}

/// The words around a chart's plot.
pub struct Frame {
    pub title: String,
    pub subtitle: Option<String>,
    pub legend: Vec<LegendItem>,
    /// Paragraphs under the chart (source, marks, notes); each is wrapped.
    pub footer: Vec<String>,
}

/// A frame's text wrapped and placed for one canvas width.
pub struct FrameLayout {
    title: Vec<String>,
    subtitle: Vec<String>,
    /// Per legend item: its x and the baseline of its row.
    legend: Vec<(f64, f64)>,
    footer: Vec<Vec<String>>,
    /// Where the plot may start.
    pub plot_top: f64,
    /// Height of the footer block, from its first line to the bottom edge.
    pub footer_height: f64,
}

/// Room between the plot and the footer.
pub const FOOTER_GAP: f64 = 30.0;

impl Frame {
    /// Wrap and place the frame's text for a canvas `width` px wide.
    pub fn layout(&self, face: &Typeface, theme: &Theme, width: f64) -> FrameLayout {
        let left = theme.pad_x;
        let content_w = width - 2.0 * theme.pad_x;
        let title = face.wrap(&self.title, theme.title_em, Weight::Bold, content_w);
        let mut y = theme.pad_top + title.len() as f64 * theme.title_em * 1.2;
        let subtitle = match &self.subtitle {
            Some(s) => face.wrap(s, theme.subtitle_em, Weight::Regular, content_w),
            None => Vec::new(),
        };
        if !subtitle.is_empty() {
            y += 6.0 + subtitle.len() as f64 * theme.subtitle_em * theme.line_height;
        }
        y += 16.0;
        let em = theme.legend_em;
        let row_h = em * theme.line_height + 6.0;
        let mut x = left;
        let mut baseline = y + FIRST_BASELINE_EM * em;
        let mut legend = Vec::new();
        for item in &self.legend {
            let item_w =
                swatch_width(item.swatch, em) + 8.0 + face.width(&item.label, em, Weight::Regular);
            if x > left && x + item_w > width - theme.pad_x {
                x = left;
                baseline += row_h;
            }
            legend.push((x, baseline));
            x += item_w + 32.0;
        }
        let plot_top = if self.legend.is_empty() {
            y + 12.0
        } else {
            baseline + em * 0.3 + 28.0
        };
        let footer: Vec<Vec<String>> = self
            .footer
            .iter()
            .map(|para| face.wrap(para, theme.footer_em, Weight::Regular, content_w))
            .collect();
        let lines: usize = footer.iter().map(Vec::len).sum();
        let footer_height = theme.pad_bottom + lines as f64 * theme.footer_em * theme.line_height;
        FrameLayout {
            title,
            subtitle,
            legend,
            footer,
            plot_top,
            footer_height,
        }
    }

    /// Draw the frame on a canvas `h` px high; returns the plot's bottom limit (above the
    /// footer).
    pub fn draw<DB: DrawingBackend>(
        &self,
        p: &Painter<DB>,
        layout: &FrameLayout,
        h: f64,
    ) -> Result<f64, DrawingAreaErrorKind<DB::ErrorType>> {
        let theme = p.theme;
        let left = theme.pad_x;
        let y = p.paragraph(
            &layout.title,
            left,
            theme.pad_top,
            Ink::new(theme.title_em, Weight::Bold, &theme.text),
            1.2,
        )?;
        if !layout.subtitle.is_empty() {
            p.paragraph(
                &layout.subtitle,
                left,
                y + 6.0,
                Ink::new(theme.subtitle_em, Weight::Regular, &theme.muted),
                theme.line_height,
            )?;
        }
        let em = theme.legend_em;
        for (item, &(x, baseline)) in self.legend.iter().zip(&layout.legend) {
            let sw = swatch_width(item.swatch, em);
            draw_swatch(p, item.swatch, x, baseline - CAP_CENTRE_EM * em, em)?;
            p.text(
                &item.label,
                x + sw + 8.0,
                baseline,
                Ink::new(em, Weight::Regular, &theme.text),
                HPos::Left,
            )?;
        }
        let footer_top = h - layout.footer_height;
        let mut fy = footer_top;
        for para in &layout.footer {
            fy = p.paragraph(
                para,
                left,
                fy,
                Ink::new(theme.footer_em, Weight::Regular, &theme.muted),
                theme.line_height,
            )?;
        }
        Ok(footer_top - FOOTER_GAP)
    }
}

fn swatch_width(s: Swatch, em: f64) -> f64 {
    match s {
        Swatch::Fill(_) | Swatch::Hatched | Swatch::Marker { .. } => (em * 0.9).round(),
        Swatch::Series(_) | Swatch::Dashed(_) => (em * 1.8).round(),
    }
}

/// A legend swatch centred vertically on `mid`.
fn draw_swatch<DB: DrawingBackend>(
    p: &Painter<DB>,
    s: Swatch,
    x: f64,
    mid: f64,
    em: f64,
) -> DrawResult<DB> {
    let theme = p.theme;
    let size = (em * 0.9).round();
    let top = (mid - size / 2.0).round();
    let w = swatch_width(s, em);
    match s {
        Swatch::Fill(c) => p.fill(x, top, x + size, top + size, c),
        Swatch::Hatched => p.hatched(
            x,
            top,
            x + size,
            top + size,
            &theme.muted,
            theme.unreliable_alpha,
        ),
        Swatch::Marker { color, filled } => {
            p.marker(x + size / 2.0, mid, size * 0.4, color, filled)
        }
        Swatch::Series(c) => {
            p.line(&[(x, mid), (x + w, mid)], c, 3)?;
            p.marker(x + w / 2.0, mid, size * 0.35, c, true)
        }
        Swatch::Dashed(c) => p.dashed(&[(x, mid), (x + w, mid)], c, 3),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hatch_stays_inside() {
        for [(ax, ay), (bx, by)] in hatch_segments(10.0, 20.0, 110.0, 50.0, 7.0) {
            for (x, y) in [(ax, ay), (bx, by)] {
                assert!((10.0..=110.0).contains(&x) && (20.0..=50.0).contains(&y));
            }
        }
    }
}
