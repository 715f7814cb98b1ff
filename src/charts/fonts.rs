//! Embedded fonts and text measurement.
//!
//! Liberation Sans 2.1.5 (SIL OFL 1.1, see `assets/fonts/OFL-LiberationSans.txt`) is
//! compiled into the binary. Nothing here looks at system fonts: charts are drawn with plotters'
//! SVG backend (which writes text, not glyphs), text is measured with `ab_glyph` from the embedded
//! bytes, and the PNG is rendered from the SVG by resvg with a font database holding only the
//! same bytes (see `raster.rs`).

use ab_glyph::{Font, FontRef, GlyphId};
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
    Regular = 0,
    Bold = 1,
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
    /// Per weight: the metrics of the characters charts mostly use, looked up once.
    metrics: [Metrics; 2],
}

/// Characters below this have their glyph and advance looked up once per typeface.
const CACHED_CHARS: usize = 0x100;
/// Kerning is looked up once for pairs of printable ASCII characters (0x20..0x7F).
const KERN_FIRST: u32 = 0x20;
const KERN_CHARS: usize = 0x60;

/// Glyph ids, advances and kerning in font units, as the font gives them: the same f64s a
/// lookup per character gives, so every width (a sum of integers) is exactly the same.
struct Metrics {
    glyphs: Vec<(GlyphId, f64)>,
    kern: Vec<f64>,
}

impl Metrics {
    fn of(font: &FontRef<'static>) -> Metrics {
        let glyphs: Vec<(GlyphId, f64)> = (0..CACHED_CHARS as u32)
            .map(|c| {
                let id = font.glyph_id(char::from_u32(c).unwrap_or('\0'));
                (id, font.h_advance_unscaled(id) as f64)
            })
            .collect();
        let mut kern = Vec::with_capacity(KERN_CHARS * KERN_CHARS);
        for a in 0..KERN_CHARS {
            for b in 0..KERN_CHARS {
                let (ga, gb) = (
                    glyphs[a + KERN_FIRST as usize].0,
                    glyphs[b + KERN_FIRST as usize].0,
                );
                kern.push(font.kern_unscaled(ga, gb) as f64);
            }
        }
        Metrics { glyphs, kern }
    }
}

/// A measured run of text: its width in font units, and its first and last character with
/// their glyphs (for the kerning where runs are joined).
#[derive(Clone, Copy)]
struct Run {
    units: f64,
    first: Option<(char, GlyphId)>,
    last: Option<(char, GlyphId)>,
}

impl Typeface {
    pub fn embedded() -> Self {
        let parse = |bytes| FontRef::try_from_slice(bytes).expect("embedded font parses");
        let (regular, bold) = (parse(REGULAR_TTF), parse(BOLD_TTF));
        Typeface {
            metrics: [Metrics::of(&regular), Metrics::of(&bold)],
            regular,
            bold,
        }
    }

    fn font(&self, weight: Weight) -> &FontRef<'static> {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }

    fn metrics(&self, weight: Weight) -> &Metrics {
        &self.metrics[weight as usize]
    }

    fn units_per_em(&self, weight: Weight) -> f64 {
        self.font(weight).units_per_em().unwrap_or(2048.0) as f64
    }

    /// A character's glyph and advance (font units).
    #[inline]
    fn glyph(&self, c: char, weight: Weight) -> (GlyphId, f64) {
        match self.metrics(weight).glyphs.get(c as usize) {
            Some(&g) => g,
            None => {
                let font = self.font(weight);
                let id = font.glyph_id(c);
                (id, font.h_advance_unscaled(id) as f64)
            }
        }
    }

    /// The kerning between two characters' glyphs (font units).
    #[inline]
    fn kern(&self, a: (char, GlyphId), b: (char, GlyphId), weight: Weight) -> f64 {
        let (ia, ib) = (
            (a.0 as u32).wrapping_sub(KERN_FIRST),
            (b.0 as u32).wrapping_sub(KERN_FIRST),
        );
        if (ia as usize) < KERN_CHARS && (ib as usize) < KERN_CHARS {
            self.metrics(weight).kern[ia as usize * KERN_CHARS + ib as usize]
        } else {
            self.font(weight).kern_unscaled(a.1, b.1) as f64
        }
    }

    /// The advances and kerning of `text`, in font units.
    fn run(&self, text: &str, weight: Weight) -> Run {
        let mut run = Run {
            units: 0.0,
            first: None,
            last: None,
        };
        for c in text.chars() {
            let (id, advance) = self.glyph(c, weight);
            if let Some(p) = run.last {
                run.units += self.kern(p, (c, id), weight);
            }
            run.units += advance;
            run.last = Some((c, id));
            run.first.get_or_insert((c, id));
        }
        run
    }

    /// `a` followed by `b`: kerned where they meet.
    fn join(&self, a: Run, b: Run, weight: Weight) -> Run {
        let kern = match (a.last, b.first) {
            (Some(x), Some(y)) => self.kern(x, y, weight),
            _ => 0.0,
        };
        Run {
            units: a.units + kern + b.units,
            first: a.first.or(b.first),
            last: b.last.or(a.last),
        }
    }

    /// Advance width of `text` at font-size `em` px.
    pub fn width(&self, text: &str, em: f64, weight: Weight) -> f64 {
        self.run(text, weight).units * em / self.units_per_em(weight)
    }

    /// (ascent - descent) / units-per-em of the regular face: ab_glyph's
    /// "pixel scale" is this many em.
    pub fn height_per_em(&self) -> f64 {
        self.regular.height_unscaled() as f64 / self.units_per_em(Weight::Regular)
    }

    /// Greedy word wrap to `max_width` px. Breaks only at ASCII spaces (so a
    /// no-break space, U+00A0, keeps words together) and always at `\n`. A
    /// single word longer than the width gets a line of its own (it is not
    /// hyphenated). A line with one more word is measured from the line's
    /// width and the word's (font units are integers, so the sum is exact: the
    /// same width as measuring the longer line from its start).
    pub fn wrap(&self, text: &str, em: f64, weight: Weight, max_width: f64) -> Vec<String> {
        let upem = self.units_per_em(weight);
        let space = self.run(" ", weight);
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            let mut measured = self.run("", weight);
            for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
                let w = self.run(word, weight);
                if line.is_empty() {
                    line.push_str(word);
                    measured = w;
                    continue;
                }
                let candidate = self.join(self.join(measured, space, weight), w, weight);
                if candidate.units * em / upem <= max_width {
                    line.push(' ');
                    line.push_str(word);
                    measured = candidate;
                } else {
                    lines.push(std::mem::replace(&mut line, word.to_string()));
                    measured = w;
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

    /// The cached metrics and the joined runs give the widths of looking every glyph up.
    #[test]
    fn widths_equal_a_lookup_per_character() {
        let face = Typeface::embedded();
        let direct = |text: &str, weight: Weight| {
            let font = face.font(weight);
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
            units
        };
        for text in [
            "AV To Wa yo 1.234,5",
            "Leidsche Rijn × 65+",
            "Rapportcijfer dienstverlening van de gemeente",
            "‘Mijn\u{a0}Gemeente’ ▲▼ é ë ø",
            "",
        ] {
            for weight in [Weight::Regular, Weight::Bold] {
                assert_eq!(face.run(text, weight).units, direct(text, weight), "{text}");
                let mut mid = text.len() / 2;
                while !text.is_char_boundary(mid) {
                    mid += 1;
                }
                let (a, b) = text.split_at(mid);
                {
                    let joined = face.join(face.run(a, weight), face.run(b, weight), weight);
                    assert_eq!(joined.units, direct(text, weight), "{text}");
                }
            }
        }
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
