//! Colours. Within one chart no two series share a colour: up to seven series get the
//! Okabe–Ito colour-blind-safe hues (Okabe & Ito 2008), darkened where needed so that every mark
//! is at least 3:1 against white (WCAG 2.1 1.4.11: the pale orange, sky blue and yellow of the
//! original are 1.3–2.3:1); more series (only years of a long trend, or the breakdowns of a chart
//! of means with more than seven) get shades of one blue from light to dark, which stay distinct
//! and read as an order. Charts of many groups do not colour groups at all: a dot plot has one
//! row per group, labelled; trend lines carry their group's name at their end.

use plotters::style::RGBColor;

/// The Okabe–Ito hues, at least 3:1 against white.
pub mod okabe_ito {
    use plotters::style::RGBColor;
    /// #B86E00 (Okabe–Ito orange #E69F00 darkened): 4.0:1.
    pub const ORANGE: RGBColor = RGBColor(184, 110, 0);
    /// #1F7FB8 (sky blue #56B4E9 darkened): 4.4:1.
    pub const SKY_BLUE: RGBColor = RGBColor(31, 127, 184);
    /// #009E73: 3.4:1.
    pub const BLUISH_GREEN: RGBColor = RGBColor(0, 158, 115);
    /// #8A7A00 (yellow #F0E442 darkened to olive): 4.3:1.
    pub const YELLOW: RGBColor = RGBColor(138, 122, 0);
    /// #0072B2: 5.2:1.
    pub const BLUE: RGBColor = RGBColor(0, 114, 178);
    /// #D55E00: 3.9:1.
    pub const VERMILLION: RGBColor = RGBColor(213, 94, 0);
    /// #B0457F (reddish purple #CC79A7 darkened): 5.3:1.
    pub const REDDISH_PURPLE: RGBColor = RGBColor(176, 69, 127);
    pub const BLACK: RGBColor = RGBColor(0, 0, 0);
    /// Order for assigning colours to series: the two most different hues first (blue and
    /// vermillion, which stay apart in every common colour-vision deficiency).
    pub const SEQUENCE: [RGBColor; 7] = [
        BLUE,
        VERMILLION,
        BLUISH_GREEN,
        REDDISH_PURPLE,
        YELLOW,
        ORANGE,
        SKY_BLUE,
    ];
}

/// The dots of a dot plot (one series).
pub const DOT: RGBColor = okabe_ito::BLUE;

/// The whole sample as a reference (dashed line, trend line of the total).
pub const REFERENCE: RGBColor = RGBColor(68, 68, 68);

/// An external benchmark (dashed line): a dark red, apart from the series and the reference.
pub const BENCHMARK: RGBColor = RGBColor(170, 0, 60);

/// Lightest and darkest shade of the extension beyond seven series (ColorBrewer "Blues", the
/// light end darkened to 3.5:1 against white).
const LIGHT: (f64, f64, f64) = (66.0, 146.0, 198.0);
const DARK: (f64, f64, f64) = (8.0, 48.0, 107.0);

/// `n` colours, all different: Okabe–Ito for up to seven, else `n` shades of blue.
pub fn distinct(n: usize) -> Vec<RGBColor> {
    if n <= okabe_ito::SEQUENCE.len() {
        return okabe_ito::SEQUENCE[..n].to_vec();
    }
    // Linear steps between two shades 98 levels apart in green stay distinct up to 98 series;
    // nothing draws that many (dot plots take over from ~6 groups).
    (0..n)
        .map(|i| {
            let t = i as f64 / (n - 1) as f64;
            let mix = |a: f64, b: f64| (a + (b - a) * t).round() as u8;
            RGBColor(
                mix(LIGHT.0, DARK.0),
                mix(LIGHT.1, DARK.1),
                mix(LIGHT.2, DARK.2),
            )
        })
        .collect()
}

/// `n` colours for an ordered answer scale (agree … disagree): from blue through a light grey
/// to vermillion, so that the two ends read as opposites and the middle as neutral.
pub fn diverging(n: usize) -> Vec<RGBColor> {
    let (a, m, b) = (
        (0.0, 90.0, 160.0),
        (200.0, 200.0, 200.0),
        (190.0, 80.0, 0.0),
    );
    (0..n)
        .map(|i| {
            let t = if n == 1 {
                0.0
            } else {
                i as f64 / (n - 1) as f64
            };
            let (from, to, u) = if t <= 0.5 {
                (a, m, t * 2.0)
            } else {
                (m, b, t * 2.0 - 1.0)
            };
            let mix = |x: f64, y: f64| (x + (y - x) * u).round() as u8;
            RGBColor(mix(from.0, to.0), mix(from.1, to.1), mix(from.2, to.2))
        })
        .collect()
}

/// A colour mixed with white (`share` of the colour kept): unreliable dots and markers, without
/// SVG opacity (so they hide what is behind them, like an opaque marker).
pub fn pale(c: RGBColor, share: f64) -> RGBColor {
    let mix = |v: u8| (255.0 - (255.0 - v as f64) * share).round() as u8;
    RGBColor(mix(c.0), mix(c.1), mix(c.2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_colour_repeats_whatever_the_number_of_series() {
        for n in 1..=60 {
            let c = distinct(n);
            assert_eq!(c.len(), n);
            for i in 0..n {
                for j in 0..i {
                    assert_ne!(c[i], c[j], "{n} series: {i} and {j}");
                }
            }
        }
        assert_eq!(distinct(2), vec![okabe_ito::BLUE, okabe_ito::VERMILLION]);
    }

    /// WCAG's contrast ratio against white.
    fn contrast(c: RGBColor) -> f64 {
        let ch = |v: u8| {
            let v = v as f64 / 255.0;
            if v <= 0.03928 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        let l = 0.2126 * ch(c.0) + 0.7152 * ch(c.1) + 0.0722 * ch(c.2);
        1.05 / (l + 0.05)
    }

    #[test]
    fn every_series_colour_is_three_to_one_on_white() {
        let shades = distinct(20);
        for c in okabe_ito::SEQUENCE
            .iter()
            .chain([&DOT, &REFERENCE])
            .chain(&shades)
        {
            assert!(contrast(*c) >= 3.0, "{c:?}: {:.2}", contrast(*c));
        }
    }

    #[test]
    fn pale_mixes_with_white() {
        assert_eq!(pale(RGBColor(0, 0, 0), 0.5), RGBColor(128, 128, 128));
        assert_eq!(pale(DOT, 1.0), DOT);
    }
}
