//! Do two folders hold the same pictures? Every PNG under the first folder is decoded with its
//! namesake under the second, and their size and pixels (RGB, palette images expanded) compared;
//! a PNG missing from either side is a difference. The PNGs' encoding (colour type, filters,
//! compression) may differ. Prints the total bytes of the PNGs on each side.
//!
//! ```sh
//! cargo run --release --example same_pixels -- BEFORE/charts AFTER/charts
//! ```
//!
//! Exits 1 when any picture differs.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn main() {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [a, b] = args.as_slice() else {
        eprintln!("usage: same_pixels DIR_A DIR_B");
        std::process::exit(2);
    };
    let (names_a, names_b) = (pngs(a, a), pngs(b, b));
    let mut differ = 0;
    for name in names_a.symmetric_difference(&names_b) {
        println!("only on one side: {}", name.display());
        differ += 1;
    }
    let (mut bytes_a, mut bytes_b) = (0, 0);
    for name in names_a.intersection(&names_b) {
        let (pa, pb) = (a.join(name), b.join(name));
        bytes_a += std::fs::metadata(&pa).map_or(0, |m| m.len());
        bytes_b += std::fs::metadata(&pb).map_or(0, |m| m.len());
        match (pixels(&pa), pixels(&pb)) {
            (Ok(x), Ok(y)) if x == y => {}
            (Ok(x), Ok(y)) => {
                println!(
                    "{}: {}x{} vs {}x{}, pixels differ",
                    name.display(),
                    x.0,
                    x.1,
                    y.0,
                    y.1
                );
                differ += 1;
            }
            (x, y) => {
                println!("{}: {:?} / {:?}", name.display(), x.err(), y.err());
                differ += 1;
            }
        }
    }
    let n = names_a.intersection(&names_b).count();
    let change = (bytes_b as f64 / bytes_a.max(1) as f64 - 1.0) * 100.0;
    println!("{n} PNGs compared, {differ} differ; bytes {bytes_a} -> {bytes_b} ({change:+.1}%)");
    if differ > 0 {
        std::process::exit(1);
    }
}

/// Paths of the PNGs under `dir`, relative to `root`.
fn pngs(root: &Path, dir: &Path) -> BTreeSet<PathBuf> {
    let mut found = BTreeSet::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(pngs(root, &path));
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("png"))
        {
            found.insert(path.strip_prefix(root).unwrap_or(&path).to_path_buf());
        }
    }
    found
}

/// Width, height and the decoded pixels as 8-bit RGB or RGBA (as stored), palette expanded.
fn pixels(path: &Path) -> Result<(u32, u32, png::ColorType, Vec<u8>), String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().map_err(|e| e.to_string())?;
    let mut buf = vec![0; reader.output_buffer_size().ok_or("image too large")?];
    let frame = reader.next_frame(&mut buf).map_err(|e| e.to_string())?;
    if frame.bit_depth != png::BitDepth::Eight {
        return Err(format!("bit depth {:?}", frame.bit_depth));
    }
    buf.truncate(frame.buffer_size());
    Ok((frame.width, frame.height, frame.color_type, buf))
}
