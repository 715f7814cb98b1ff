//! SVG -> PNG with resvg, using only the embedded fonts.
//!
//! resvg is built without its `system-fonts` feature, so
//! `fontdb::Database::load_system_fonts` does not even exist: the database
//! holds exactly the fonts loaded here.

use std::borrow::Cow;
use std::sync::Arc;

use resvg::tiny_skia::{PixmapMut, Transform};
use resvg::usvg::{self, fontdb};

use super::encode::PngEncoder;
use super::fonts::{BOLD_TTF, REGULAR_TTF};

pub fn font_db() -> fontdb::Database {
    let mut db = fontdb::Database::new();
    for bytes in [REGULAR_TTF, BOLD_TTF] {
        // Borrowed, not copied: a &'static [u8] is `AsRef<[u8]>`.
        db.load_font_source(fontdb::Source::Binary(Arc::new(bytes)));
    }
    // Generic families (and usvg's last resort, `serif`) resolve to the
    // embedded font instead of dropping the text.
    db.set_sans_serif_family("Liberation Sans");
    db.set_serif_family("Liberation Sans");
    db
}

pub fn parse(svg: &str, db: Arc<fontdb::Database>) -> Result<usvg::Tree, usvg::Error> {
    let opt = usvg::Options {
        fontdb: db,
        font_family: "Liberation Sans".into(),
        ..usvg::Options::default()
    };
    usvg::Tree::from_str(svg, &opt)
}

/// SVG text to PNG, reusing its pixel buffers from chart to chart: one per thread that draws
/// charts.
pub struct Rasterizer {
    db: Arc<fontdb::Database>,
    rgba: Vec<u8>,
    encoder: PngEncoder,
}

impl Rasterizer {
    pub fn new(db: Arc<fontdb::Database>) -> Rasterizer {
        Rasterizer {
            db,
            rgba: Vec::new(),
            encoder: PngEncoder::default(),
        }
    }

    /// Render `svg` at `width` px (height by its aspect ratio) on white, as PNG.
    pub fn png(&mut self, svg: &str, width: u32) -> Result<Vec<u8>, String> {
        let tree = parse(&without_background(svg), self.db.clone()).map_err(|e| e.to_string())?;
        let size = tree.size();
        let scale = width as f32 / size.width();
        let height = (size.height() * scale).round() as u32;
        let pixels = width as usize * height as usize;
        // Opaque white, premultiplied, as `Pixmap::fill(Color::WHITE)` leaves it.
        self.rgba.clear();
        self.rgba.resize(pixels * 4, 255);
        let mut pixmap =
            PixmapMut::from_bytes(&mut self.rgba, width, height).ok_or("empty image size")?;
        resvg::render(&tree, Transform::from_scale(scale, scale), &mut pixmap);
        self.encoder
            .encode(&self.rgba, width, height)
            .map_err(|e| e.to_string())
    }
}

/// The SVG without the opaque white rectangle over the whole canvas that every chart starts
/// with (plotters' `fill(&WHITE)`, after the `<title>` and `<desc>` that say what the chart
/// shows): it is drawn onto a canvas already filled white, so it changes no pixel, but
/// tiny-skia rasterises it like any path, anti-aliased with 4x vertical supersampling, which was
/// most of the time of drawing a chart. Any other SVG is left as it is.
fn without_background(svg: &str) -> Cow<'_, str> {
    let Some(open_end) = svg.find('>') else {
        return Cow::Borrowed(svg);
    };
    let open = &svg[..open_end];
    let attr = |name: &str| {
        let key = format!(" {name}=\"");
        let at = open.find(&key)? + key.len();
        open[at..].find('"').map(|end| &open[at..at + end])
    };
    let (Some(w), Some(h)) = (attr("width"), attr("height")) else {
        return Cow::Borrowed(svg);
    };
    // Past the elements that draw nothing.
    let mut at = open_end + 1;
    for (start, end) in [("<title", "</title>"), ("<desc", "</desc>")] {
        if svg[at..].starts_with(start) {
            match svg[at..].find(end) {
                Some(k) => at += k + end.len(),
                None => return Cow::Borrowed(svg),
            }
        }
    }
    let background = format!(
        "\n<rect x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\" opacity=\"1\" fill=\"#FFFFFF\" stroke=\"none\"/>"
    );
    match svg[at..].strip_prefix(background.as_str()) {
        Some(after) => Cow::Owned(format!("{}{after}", &svg[..at])),
        None => Cow::Borrowed(svg),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_white_background_is_left_out_and_nothing_else() {
        let svg = "<svg width=\"10\" height=\"5\" xmlns=\"x\"><title id=\"t\">A</title><desc id=\"d\">B</desc>\n<rect x=\"0\" y=\"0\" width=\"10\" height=\"5\" opacity=\"1\" fill=\"#FFFFFF\" stroke=\"none\"/>\n<rect x=\"1\"/>\n</svg>";
        assert_eq!(
            without_background(svg),
            "<svg width=\"10\" height=\"5\" xmlns=\"x\"><title id=\"t\">A</title><desc id=\"d\">B</desc>\n<rect x=\"1\"/>\n</svg>"
        );
        let plain = "<svg width=\"10\" height=\"5\">\n<rect x=\"0\" y=\"0\" width=\"10\" height=\"5\" opacity=\"1\" fill=\"#FFFFFF\" stroke=\"none\"/>\n</svg>";
        assert_eq!(
            without_background(plain),
            "<svg width=\"10\" height=\"5\">\n</svg>"
        );
        // Not the whole canvas, not opaque, not white: kept.
        for other in [
            "<svg width=\"10\" height=\"5\">\n<rect x=\"0\" y=\"0\" width=\"9\" height=\"5\" opacity=\"1\" fill=\"#FFFFFF\" stroke=\"none\"/>",
            "<svg width=\"10\" height=\"5\">\n<rect x=\"0\" y=\"0\" width=\"10\" height=\"5\" opacity=\"0.5\" fill=\"#FFFFFF\" stroke=\"none\"/>",
            "<svg width=\"10\" height=\"5\">\n<rect x=\"0\" y=\"0\" width=\"10\" height=\"5\" opacity=\"1\" fill=\"#FFFFFE\" stroke=\"none\"/>",
        ] {
            assert_eq!(without_background(other), other);
        }
    }
}
