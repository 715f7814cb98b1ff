//! Embedded fonts and text measurement.
//!
//! Liberation Sans 2.1.5 (SIL OFL 1.1, see `assets/fonts/OFL-LiberationSans.txt`) is
//! compiled into the binary. Nothing here looks at system fonts: charts are drawn with plotters'
//! SVG backend (which writes text, not glyphs), text is measured with `ab_glyph` from the embedded
//! bytes, and the PNG is rendered from the SVG by resvg with a font database holding only the
//! same bytes (see `raster.rs`).

use ab_glyph::{Font, FontRef};
use plotters::style::FontStyle;

/// The family name under which the fonts are registered in plotters.
///
/// plotters writes this string verbatim into the SVG `font-family`
/// attribute, so it doubles as a CSS fallback list: a viewer that lacks
/// Liberation Sans falls back to Arial, which has the same metrics, so the
/// layout (wrapping, right-aligned labels) stays as computed here.
pub const FAMILY: &str = "Liberation Sans, Arial, Helvetica, sans-serif";

pub static REGULAR_TTF: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Regular.ttf");
pub static BOLD_TTF: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Bold.ttf");

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Bold,
}

impl Weight {
    pub fn plotters_style(self) -> FontStyle {
        match self {
            Weight::Regular => FontStyle::Normal,
            Weight::Bold => FontStyle::Bold,
        }
    }
}

/// Measures text with the embedded fonts, in CSS pixels for a given
/// font-size (em). This is what an SVG renderer does (minus kerning from
/// GPOS, which is a fraction of a pixel per line), and it does not depend on
/// the plotters backend.
pub struct Typeface {
    regular: FontRef<'static>,
    bold: FontRef<'static>,
}

impl Typeface {
    pub fn embedded() -> Self {
        let parse = |bytes| FontRef::try_from_slice(bytes).expect("embedded font parses");
        Typeface {
            regular: parse(REGULAR_TTF),
            bold: parse(BOLD_TTF),
        }
    }

    fn font(&self, weight: Weight) -> &FontRef<'static> {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }

    fn units_per_em(&self, weight: Weight) -> f64 {
        self.font(weight).units_per_em().unwrap_or(2048.0) as f64
    }

    /// Advance width of `text` at font-size `em` px.
    pub fn width(&self, text: &str, em: f64, weight: Weight) -> f64 {
        let font = self.font(weight);
        let mut units = 0.0f64;
        let mut prev = None;
        for c in text.chars() {
            let id = font.glyph_id(c);
            if let Some(p) = prev {
                units += font.kern_unscaled(p, id) as f64;
            }
            units += font.h_advance_unscaled(id) as f64;
            prev = Some(id);
        }
        units * em / self.units_per_em(weight)
    }

    /// (ascent - descent) / units-per-em of the regular face: ab_glyph's
    /// "pixel scale" is this many em.
    pub fn height_per_em(&self) -> f64 {
        self.regular.height_unscaled() as f64 / self.units_per_em(Weight::Regular)
    }

    /// Greedy word wrap to `max_width` px. Breaks only at ASCII spaces (so a
    /// no-break space, U+00A0, keeps words together) and always at `\n`. A
    /// single word longer than the width gets a line of its own (it is not
    /// hyphenated).
    pub fn wrap(&self, text: &str, em: f64, weight: Weight, max_width: f64) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
                if line.is_empty() {
                    line.push_str(word);
                    continue;
                }
                let candidate = format!("{line} {word}");
                if self.width(&candidate, em, weight) <= max_width {
                    line = candidate;
                } else {
                    lines.push(std::mem::replace(&mut line, word.to_string()));
                }
            }
            if !line.is_empty() {
                lines.push(line);
            }
        }
        lines
    }
}

/// How a plotters backend turns a `TextStyle` size into rendered text.
///
/// plotters has no consistent notion of font size across backends:
/// * SVG writes `font-size = size / 1.24` and positions a top-anchored
///   line with `dy="0.76em"`, i.e. its baseline sits 0.76 em below the anchor;
/// * the bitmap backend rasterises with ab_glyph at pixel scale `size`,
///   which is an em of `size / height_per_em` (1.117 for Liberation Sans),
///   and puts the baseline of a top-anchored line `size / 2` below the anchor.
///
/// Drawing all text through a profile (font-size in em, position by
/// baseline) gives the same layout on both backends.
#[derive(Clone, Copy, Debug)]
pub struct TextProfile {
    /// plotters size to pass for a font-size of 1 em
    pub size_per_em: f64,
    /// baseline distance below a `VPos::Top` anchor, in em
    pub baseline_below_top_em: f64,
}

impl TextProfile {
    pub const SVG: TextProfile = TextProfile {
        size_per_em: 1.24,
        baseline_below_top_em: 0.76,
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_long_text_within_width() {
        let face = Typeface::embedded();
        let text = "Via welke kanalen heeft u in de afgelopen twaalf maanden contact gehad met de gemeente?";
        let lines = face.wrap(text, 20.0, Weight::Regular, 300.0);
        assert!(lines.len() > 1);
        for l in &lines {
            assert!(face.width(l, 20.0, Weight::Regular) <= 300.0, "{l}");
        }
        assert_eq!(lines.join(" "), text);
    }

    #[test]
    fn wrap_keeps_no_break_space_and_honours_newline() {
        let face = Typeface::embedded();
        let lines = face.wrap(
            "app ‘Mijn\u{a0}Gemeente’ nu\nnieuw",
            20.0,
            Weight::Regular,
            60.0,
        );
        assert_eq!(lines, ["app", "‘Mijn\u{a0}Gemeente’", "nu", "nieuw"]);
    }

    #[test]
    fn liberation_sans_metrics() {
        let face = Typeface::embedded();
        // hhea ascender 1854, descender -434, 2048 units per em
        assert!((face.height_per_em() - 2288.0 / 2048.0).abs() < 1e-9);
        // Arial-compatible advance widths: "0" is 1139 units
        assert!((face.width("0", 2048.0, Weight::Regular) - 1139.0).abs() < 1e-9);
    }
}
