//! SVG -> PNG with resvg, using only the embedded fonts.
//!
//! resvg is built without its `system-fonts` feature, so
//! `fontdb::Database::load_system_fonts` does not even exist: the database
//! holds exactly the fonts loaded here.

use std::sync::Arc;

use resvg::tiny_skia::{Color, Pixmap, Transform};
use resvg::usvg::{self, fontdb};

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

/// Renders at `width` px (height by the SVG's aspect ratio) on white.
pub fn render_png(tree: &usvg::Tree, width: u32) -> Result<Vec<u8>, String> {
    let size = tree.size();
    let scale = width as f32 / size.width();
    let height = (size.height() * scale).round() as u32;
    let mut pixmap = Pixmap::new(width, height).ok_or("empty image size")?;
    pixmap.fill(Color::WHITE);
    resvg::render(
        tree,
        Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    encode_opaque(&pixmap).map_err(|e| e.to_string())
}

/// A PNG of an opaque pixmap, as RGB. Encoding took more than half the time of a chart with
/// tiny-skia's `encode_png` (RGBA, adaptive row filters, deflate level 6). Charts are large flat
/// areas: without row filters, deflate level 3 makes files as small in about half the time (the
/// sample's charts: 1.17 MB instead of 1.20 MB); faster settings made them half as large again.
/// Every pixel is opaque (the canvas is filled white before drawing), so premultiplied and
/// straight colours are the same and the alpha channel carries nothing.
fn encode_opaque(pixmap: &Pixmap) -> Result<Vec<u8>, png::EncodingError> {
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|px| [px[0], px[1], px[2]])
        .collect();
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_deflate_compression(png::DeflateCompression::Level(3));
    encoder.set_filter(png::Filter::NoFilter);
    encoder.write_header()?.write_image_data(&rgb)?;
    Ok(out)
}
