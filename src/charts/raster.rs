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
    pixmap.encode_png().map_err(|e| e.to_string())
}
