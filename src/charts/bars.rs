//! Horizontal grouped bar chart (percentages with confidence intervals),
//! laid out by hand in pixel coordinates on any plotters backend.
//!
//! Why not `ChartBuilder`: its mesh cannot wrap category labels, does not size
//! the label area to them, and a segmented (category) axis cannot place two
//! bars side by side inside one category. Here every position is computed
//! from measured text, so the same code gives the same picture on the SVG and
//! the bitmap backend.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub use super::axis::Axis;
use super::fonts::{TextProfile, Typeface, Weight, FAMILY};

/// Okabe–Ito colour-blind-safe palette (Okabe & Ito 2008).
pub mod okabe_ito {
    use plotters::style::RGBColor;
    pub const ORANGE: RGBColor = RGBColor(230, 159, 0);
    pub const SKY_BLUE: RGBColor = RGBColor(86, 180, 233);
    pub const BLUISH_GREEN: RGBColor = RGBColor(0, 158, 115);
    pub const YELLOW: RGBColor = RGBColor(240, 228, 66);
    pub const BLUE: RGBColor = RGBColor(0, 114, 178);
    pub const VERMILLION: RGBColor = RGBColor(213, 94, 0);
    pub const REDDISH_PURPLE: RGBColor = RGBColor(204, 121, 167);
    pub const BLACK: RGBColor = RGBColor(0, 0, 0);
    /// Order for assigning colours to groups.
    pub const SEQUENCE: [RGBColor; 7] = [
        BLUE,
        ORANGE,
        BLUISH_GREEN,
        VERMILLION,
        SKY_BLUE,
        REDDISH_PURPLE,
        YELLOW,
    ];
}

/// A legend entry: the group's name (with its base, as the chart wants it shown) and colour.
pub struct Group {
    pub label: String,
    pub color: RGBColor,
}

/// One bar: a value on the chart's axis with an optional confidence interval.
pub struct Bar {
    pub value: f64,
    pub ci: Option<(f64, f64)>,
    /// Drawn hatched and pale; explained by `BarChart::unreliable_note`.
    pub unreliable: bool,
    /// No value label (a cell that must not be published).
    pub hide_value: bool,
    /// A colour of its own instead of its group's (bars coloured by grouping).
    pub color: Option<RGBColor>,
}

impl Bar {
    /// An estimate (a proportion scaled by 100, or a mean scaled by 1) with its interval, drawn
    /// as its reliability says: hatched when unreliable, without a number when suppressed.
    pub fn estimate(
        value: f64,
        ci: Option<(f64, f64)>,
        scale: f64,
        unreliable: bool,
        suppressed: bool,
    ) -> Bar {
        Bar {
            value: value * scale,
            ci: ci.map(|(l, u)| (l * scale, u * scale)),
            unreliable: unreliable || suppressed,
            hide_value: suppressed,
            color: None,
        }
    }

    /// No estimate: nothing is drawn.
    pub fn missing() -> Bar {
        Bar {
            value: f64::NAN,
            ci: None,
            unreliable: false,
            hide_value: true,
            color: None,
        }
    }
}

pub struct Category {
    pub label: String,
    /// One bar per group, in the order of `BarChart::groups`.
    pub bars: Vec<Bar>,
}

pub struct BarChart {
    pub title: String,
    pub subtitle: Option<String>,
    pub groups: Vec<Group>,
    pub categories: Vec<Category>,
    pub axis: Axis,
    /// Legend entries when they are not the groups (bars coloured one by one).
    pub legend: Option<Vec<Group>>,
    /// Legend text for the hatched swatch (shown only if a bar is unreliable).
    pub unreliable_note: String,
    /// Paragraphs under the chart (source, notes); each is wrapped.
    pub footer: Vec<String>,
}

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

type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

fn px(v: f64) -> i32 {
    v.round() as i32
}

/// Text and shapes in f64 pixel coordinates; text is placed by its baseline
/// and sized in em through the backend's [`TextProfile`].
struct Painter<'a, DB: DrawingBackend> {
    area: &'a DrawingArea<DB, Shift>,
    profile: TextProfile,
}

/// Cap-height centre of Liberation Sans, in em above the baseline: put the
/// baseline this far below a line to centre text on it.
const CAP_CENTRE_EM: f64 = 0.36;
/// Distance from the top of a line box to the first baseline, in em.
const FIRST_BASELINE_EM: f64 = 0.93;

impl<DB: DrawingBackend> Painter<'_, DB> {
    #[allow(clippy::too_many_arguments)]
    fn text(
        &self,
        s: &str,
        x: f64,
        baseline: f64,
        em: f64,
        weight: Weight,
        color: &RGBColor,
        h: HPos,
    ) -> DrawResult<DB> {
        let style = FontDesc::new(
            FontFamily::Name(FAMILY),
            em * self.profile.size_per_em,
            weight.plotters_style(),
        )
        .color(color)
        .pos(Pos::new(h, VPos::Top));
        let top = baseline - self.profile.baseline_below_top_em * em;
        self.area
            .draw(&Text::new(s.to_string(), (px(x), px(top)), style))
    }

    /// Lines of a wrapped paragraph; returns the y just below the block.
    #[allow(clippy::too_many_arguments)]
    fn paragraph(
        &self,
        lines: &[String],
        x: f64,
        top: f64,
        em: f64,
        line_height: f64,
        weight: Weight,
        color: &RGBColor,
    ) -> Result<f64, DrawingAreaErrorKind<DB::ErrorType>> {
        let step = em * line_height;
        for (i, line) in lines.iter().enumerate() {
            let baseline = top + FIRST_BASELINE_EM * em + i as f64 * step;
            self.text(line, x, baseline, em, weight, color, HPos::Left)?;
        }
        Ok(top + lines.len() as f64 * step)
    }

    fn fill(&self, x0: f64, y0: f64, x1: f64, y1: f64, color: impl Color) -> DrawResult<DB> {
        self.area.draw(&Rectangle::new(
            [(px(x0), px(y0)), (px(x1), px(y1))],
            color.filled(),
        ))
    }

    fn line(&self, points: &[(f64, f64)], color: impl Color, width: u32) -> DrawResult<DB> {
        let pts: Vec<(i32, i32)> = points.iter().map(|&(x, y)| (px(x), px(y))).collect();
        self.area
            .draw(&PathElement::new(pts, color.stroke_width(width)))
    }

    /// A pale, hatched rectangle with an outline: marks an unreliable value.
    fn hatched(
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
fn hatch_segments(x0: f64, y0: f64, x1: f64, y1: f64, spacing: f64) -> Vec<[(f64, f64); 2]> {
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

/// Draws the whole chart onto `root` (its full size is used).
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &BarChart,
    theme: &Theme,
    face: &Typeface,
    profile: TextProfile,
) -> DrawResult<DB> {
    let p = Painter {
        area: root,
        profile,
    };
    let (w, h) = root.dim_in_pixel();
    let (w, h) = (w as f64, h as f64);
    let left = theme.pad_x;
    let right = w - theme.pad_x;
    let content_w = right - left;

    root.fill(&WHITE)?;

    // --- Title, subtitle -------------------------------------------------
    let title = face.wrap(&chart.title, theme.title_em, Weight::Bold, content_w);
    let mut y = p.paragraph(
        &title,
        left,
        theme.pad_top,
        theme.title_em,
        1.2,
        Weight::Bold,
        &theme.text,
    )?;
    if let Some(sub) = &chart.subtitle {
        let lines = face.wrap(sub, theme.subtitle_em, Weight::Regular, content_w);
        y = p.paragraph(
            &lines,
            left,
            y + 6.0,
            theme.subtitle_em,
            theme.line_height,
            Weight::Regular,
            &theme.muted,
        )?;
    }

    // --- Legend ------------------------------------------------------------
    y += 16.0;
    let em = theme.legend_em;
    let swatch = (em * 0.9).round();
    let mut items: Vec<(String, Option<&RGBColor>)> = chart
        .legend
        .as_ref()
        .unwrap_or(&chart.groups)
        .iter()
        .map(|g| (g.label.clone(), Some(&g.color)))
        .collect();
    if chart
        .categories
        .iter()
        .flat_map(|c| &c.bars)
        .any(|b| b.unreliable)
    {
        items.push((chart.unreliable_note.clone(), None));
    }
    let row_h = em * theme.line_height + 6.0;
    let mut x = left;
    let mut baseline = y + FIRST_BASELINE_EM * em;
    for (label, color) in &items {
        let item_w = swatch + 8.0 + face.width(label, em, Weight::Regular);
        if x > left && x + item_w > right {
            x = left;
            baseline += row_h;
        }
        let sy = (baseline - CAP_CENTRE_EM * em - swatch / 2.0).round();
        match color {
            Some(c) => p.fill(x, sy, x + swatch, sy + swatch, *c)?,
            None => p.hatched(
                x,
                sy,
                x + swatch,
                sy + swatch,
                &theme.muted,
                theme.unreliable_alpha,
            )?,
        }
        p.text(
            label,
            x + swatch + 8.0,
            baseline,
            em,
            Weight::Regular,
            &theme.text,
            HPos::Left,
        )?;
        x += item_w + 32.0;
    }
    let plot_top = baseline + em * 0.3 + 28.0;

    // --- Footer (bottom up) ----------------------------------------------------
    let footer: Vec<Vec<String>> = chart
        .footer
        .iter()
        .map(|para| face.wrap(para, theme.footer_em, Weight::Regular, content_w))
        .collect();
    let footer_lines: usize = footer.iter().map(Vec::len).sum();
    let footer_top =
        h - theme.pad_bottom - footer_lines as f64 * theme.footer_em * theme.line_height;
    let mut fy = footer_top;
    for para in &footer {
        fy = p.paragraph(
            para,
            left,
            fy,
            theme.footer_em,
            theme.line_height,
            Weight::Regular,
            &theme.muted,
        )?;
    }

    // --- Plot geometry ---------------------------------------------------------
    let tick_gap = 10.0;
    let plot_bottom = footer_top - 30.0 - tick_gap - theme.tick_em * theme.line_height;
    let label_max = w * theme.max_label_frac;
    let labels: Vec<Vec<String>> = chart
        .categories
        .iter()
        .map(|c| face.wrap(&c.label, theme.label_em, Weight::Regular, label_max))
        .collect();
    let label_col = labels
        .iter()
        .flatten()
        .map(|l| face.width(l, theme.label_em, Weight::Regular))
        .fold(0.0, f64::max);
    let x0 = left + label_col + 18.0;
    // room right of the axis end for a value label / the last tick label
    let axis = &chart.axis;
    let x1 = right - face.width(&axis.label(axis.max), theme.value_em, Weight::Regular) - 14.0;
    let xs = |v: f64| x0 + (x1 - x0) * v.clamp(0.0, axis.max) / axis.max;

    // Grid and tick labels
    for &t in &axis.ticks {
        let gx = px(xs(t)) as f64;
        if t > 0.0 {
            p.fill(gx, plot_top, gx + 1.0, plot_bottom, theme.grid)?;
        }
        let tb = plot_bottom + tick_gap + FIRST_BASELINE_EM * theme.tick_em;
        p.text(
            &axis.label(t),
            gx,
            tb,
            theme.tick_em,
            Weight::Regular,
            &theme.muted,
            HPos::Center,
        )?;
    }

    // Bars
    let n_cat = chart.categories.len().max(1) as f64;
    let n_grp = chart.groups.len().max(1) as f64;
    let band = (plot_bottom - plot_top) / n_cat;
    let gap = 3.0;
    let bar_h = ((band * theme.bar_block_frac - gap * (n_grp - 1.0)) / n_grp)
        .min(44.0)
        .floor();
    let block = bar_h * n_grp + gap * (n_grp - 1.0);
    let cap = (bar_h * 0.3).clamp(5.0, 9.0).round();
    for (i, (cat, lines)) in chart.categories.iter().zip(&labels).enumerate() {
        let band_top = plot_top + i as f64 * band;
        let centre = band_top + band / 2.0;

        // Category label, right-aligned, centred on the band.
        let step = theme.label_em * 1.15;
        let first =
            centre - (lines.len() as f64 - 1.0) * step / 2.0 + CAP_CENTRE_EM * theme.label_em;
        for (k, line) in lines.iter().enumerate() {
            p.text(
                line,
                x0 - 18.0,
                first + k as f64 * step,
                theme.label_em,
                Weight::Regular,
                &theme.text,
                HPos::Right,
            )?;
        }

        let block_top = (centre - block / 2.0).round();
        for (j, (bar, group)) in cat.bars.iter().zip(&chart.groups).enumerate() {
            let top = block_top + j as f64 * (bar_h + gap);
            let bottom = top + bar_h;
            let mid = (top + bar_h / 2.0).round();
            if !bar.value.is_finite() {
                continue;
            }
            let end = px(xs(bar.value)) as f64;
            let color = bar.color.unwrap_or(group.color);
            if bar.unreliable {
                p.hatched(x0, top, end, bottom, &color, theme.unreliable_alpha)?;
            } else {
                p.fill(x0, top, end, bottom, color)?;
            }
            let mut label_x = end;
            if let Some((lo, hi)) = bar.ci {
                let (lx, hx) = (xs(lo), xs(hi));
                p.line(&[(lx, mid), (hx, mid)], theme.whisker, 2)?;
                p.line(&[(lx, mid - cap), (lx, mid + cap)], theme.whisker, 2)?;
                p.line(&[(hx, mid - cap), (hx, mid + cap)], theme.whisker, 2)?;
                label_x = label_x.max(hx);
            }
            if bar.hide_value {
                continue;
            }
            p.text(
                &axis.value_label(bar.value),
                label_x + 10.0,
                mid + CAP_CENTRE_EM * theme.value_em,
                theme.value_em,
                Weight::Regular,
                &theme.text,
                HPos::Left,
            )?;
        }
    }

    // Zero line on top of the bars.
    p.fill(
        px(x0) as f64 - 1.0,
        plot_top,
        px(x0) as f64 + 1.0,
        plot_bottom,
        theme.text,
    )?;
    Ok(())
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
