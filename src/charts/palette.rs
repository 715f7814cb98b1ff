//! Colours. Within one chart no two series share a colour: up to seven series get the
//! Okabe–Ito colour-blind-safe palette (Okabe & Ito 2008); more series (only years of a long
//! trend, or the breakdowns of a chart of means with more than seven) get shades of one blue from
//! light to dark, which stay distinct and read as an order. Charts of many groups do not colour
//! groups at all: a dot plot has one row per group, labelled.

use plotters::style::RGBColor;

/// The Okabe–Ito colours.
pub mod okabe_ito {
    use plotters::style::RGBColor;
    pub const ORANGE: RGBColor = RGBColor(230, 159, 0);
    pub const SKY_BLUE: RGBColor = RGBColor(86, 180, 233);
    pub const BLUISH_GREEN: RGBColor = RGBColor(0, 158, 115);
    pub const YELLOW: RGBColor = RGBColor(240, 228, 66);
    pub const BLUE: RGBColor = RGBColor(0, 114, 178);
    pub const VERMILLION: RGBColor = RGBColor(213, 94, 0);
    pub const REDDISH_PURPLE: RGBColor = RGBColor(204, 121, 167);
    /// Order for assigning colours to series: yellow, the palest on white, comes last.
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

/// The dots of a dot plot (one series).
pub const DOT: RGBColor = okabe_ito::BLUE;

/// The whole sample as a reference (dashed line, trend line of the total).
pub const REFERENCE: RGBColor = RGBColor(68, 68, 68);

/// Lightest and darkest shade of the extension beyond seven series (ColorBrewer "Blues").
const LIGHT: (f64, f64, f64) = (158.0, 202.0, 225.0);
const DARK: (f64, f64, f64) = (8.0, 48.0, 107.0);

/// `n` colours, all different: Okabe–Ito for up to seven, else `n` shades of blue.
pub fn distinct(n: usize) -> Vec<RGBColor> {
    if n <= okabe_ito::SEQUENCE.len() {
        return okabe_ito::SEQUENCE[..n].to_vec();
    }
    // Linear steps between two shades 150 levels apart in red stay distinct up to 150 series;
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
        assert_eq!(distinct(2), vec![okabe_ito::BLUE, okabe_ito::ORANGE]);
    }

    #[test]
    fn pale_mixes_with_white() {
        assert_eq!(pale(RGBColor(0, 0, 0), 0.5), RGBColor(128, 128, 128));
        assert_eq!(pale(DOT, 1.0), DOT);
    }
}
