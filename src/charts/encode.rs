//! A rendered chart (opaque RGBA pixels) as PNG, with its buffers kept from chart to chart.
//!
//! Every pixel is opaque (the canvas is filled white before drawing), so the alpha channel
//! carries nothing, and premultiplied and straight colours are the same: the PNG holds the first
//! three bytes of every pixel. A chart has few colours (the monitor's: 50 to 90; anti-aliased
//! edges of text and shapes on white, in a handful of colours, give few distinct blends), so it
//! is written as a palette image: one byte per pixel instead of three, which deflate gets through
//! about three times faster, into a smaller file. An image of more than 256 colours (none so far)
//! is written as RGB. Either way a decoder gives back the same RGB for every pixel.

/// The deflate level (zlib-rs). Level 1 is zlib-ng's "quick" deflate (one hash probe, static
/// Huffman codes). On the monitor's 456 palette images it took 0.93 s against 1.33 s at level 2
/// and 1.53 s at level 3, for 46.9 MB against 32.4 MB and 31.2 MB (the RGB files before were
/// 50.1 MB at level 3, taking 2.8 s plus 1.4 s to copy RGBA to RGB; one thread, load 6).
/// fdeflate (the png crate's fastest setting) took 0.56 s but made 55 MB even with the Up filter.
const LEVEL: u8 = 1;

/// Buffers for one thread that encodes charts.
#[derive(Default)]
pub struct PngEncoder {
    indices: Vec<u8>,
    palette: Vec<u8>,
    rgb: Vec<u8>,
}

impl PngEncoder {
    /// `rgba`: `width` × `height` pixels, row by row, 4 bytes each.
    pub fn encode(
        &mut self,
        rgba: &[u8],
        width: u32,
        height: u32,
    ) -> Result<Vec<u8>, png::EncodingError> {
        let mut out = Vec::with_capacity(rgba.len() / 64);
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_deflate_compression(png::DeflateCompression::Level(LEVEL));
        // Row filters do little for flat areas and nothing for palette indices (the PNG
        // specification recommends none for palette images), and cost a pass over the pixels.
        encoder.set_filter(png::Filter::NoFilter);
        if index_colours(rgba, width as usize, &mut self.indices, &mut self.palette) {
            encoder.set_color(png::ColorType::Indexed);
            encoder.set_palette(self.palette.as_slice());
            encoder.write_header()?.write_image_data(&self.indices)?;
        } else {
            rgb_of(rgba, &mut self.rgb);
            encoder.set_color(png::ColorType::Rgb);
            encoder.write_header()?.write_image_data(&self.rgb)?;
        }
        Ok(out)
    }
}

/// The first three bytes of every 4-byte pixel.
fn rgb_of(rgba: &[u8], rgb: &mut Vec<u8>) {
    rgb.clear();
    rgb.reserve(rgba.len() / 4 * 3);
    // Four pixels at a time: a loop LLVM turns into shuffles, where a pixel at a time copies
    // three bytes at a time.
    let mut quads = rgba.chunks_exact(16);
    for q in &mut quads {
        rgb.extend_from_slice(&[
            q[0], q[1], q[2], q[4], q[5], q[6], q[8], q[9], q[10], q[12], q[13], q[14],
        ]);
    }
    for px in quads.remainder().chunks_exact(4) {
        rgb.extend_from_slice(&px[..3]);
    }
}

/// Pixels compared and looked up as whole 4-byte words.
fn word(px: &[u8]) -> u32 {
    u32::from_ne_bytes([px[0], px[1], px[2], px[3]])
}

/// A colour's palette index: open addressing on the 4-byte pixel, 4 slots per possible colour.
struct Colours {
    keys: [u32; Colours::SLOTS],
    index: [u8; Colours::SLOTS],
    used: [bool; Colours::SLOTS],
    count: usize,
}

impl Colours {
    const SLOTS: usize = 1024;

    fn new() -> Colours {
        Colours {
            keys: [0; Colours::SLOTS],
            index: [0; Colours::SLOTS],
            used: [false; Colours::SLOTS],
            count: 0,
        }
    }

    /// The index of `px`, added to `palette` (its first three bytes) when new; `None` when it
    /// would be the 257th colour.
    fn index(&mut self, px: u32, palette: &mut Vec<u8>) -> Option<u8> {
        let mut slot = (px.wrapping_mul(0x9E37_79B1) >> 22) as usize;
        loop {
            if !self.used[slot] {
                let index = u8::try_from(self.count).ok()?;
                self.used[slot] = true;
                self.keys[slot] = px;
                self.index[slot] = index;
                self.count += 1;
                palette.extend_from_slice(&px.to_ne_bytes()[..3]);
                return Some(index);
            }
            if self.keys[slot] == px {
                return Some(self.index[slot]);
            }
            slot = (slot + 1) % Colours::SLOTS;
        }
    }
}

/// The palette (RGB, in order of first appearance) and one index per pixel, or `false` when the
/// image has more than 256 colours. Two pixels are one colour when all four bytes are equal, so
/// every index stands for exactly the RGB of its pixels.
fn index_colours(rgba: &[u8], width: usize, indices: &mut Vec<u8>, palette: &mut Vec<u8>) -> bool {
    let row_bytes = width * 4;
    indices.clear();
    indices.resize(rgba.len() / 4, 0);
    palette.clear();
    if row_bytes == 0 {
        return true;
    }
    let mut colours = Colours::new();
    // The colour of the pixel before and its index: most pixels continue a run.
    let mut last: Option<(u32, u8)> = None;
    // Eight pixels of one colour and its index, to take eight pixels of a run at once.
    let mut run: Option<([u8; 32], u8)> = None;
    for (y, row) in rgba.chunks_exact(row_bytes).enumerate() {
        let at = y * width;
        // Whole rows repeat (white margins, the inside of bars): copy the row above.
        if y > 0 && row == &rgba[row_bytes * (y - 1)..row_bytes * y] {
            indices.copy_within(at - width..at, at);
            continue;
        }
        let out = &mut indices[at..at + width];
        let mut eights = row.chunks_exact(32);
        let mut o = 0;
        for eight in &mut eights {
            // A fixed-size comparison: one vector compare.
            if let Some((pixels, index)) = &run {
                if <&[u8; 32]>::try_from(eight).is_ok_and(|e| e == pixels) {
                    out[o..o + 8].fill(*index);
                    o += 8;
                    continue;
                }
            }
            for px in eight.chunks_exact(4) {
                let Some(index) = colour_index(word(px), &mut last, &mut colours, palette) else {
                    return false;
                };
                out[o] = index;
                o += 1;
            }
            if let Some((colour, index)) = last {
                if run.is_none_or(|(_, i)| i != index) {
                    let mut pixels = [0; 32];
                    for px in pixels.chunks_exact_mut(4) {
                        px.copy_from_slice(&colour.to_ne_bytes());
                    }
                    run = Some((pixels, index));
                }
            }
        }
        for px in eights.remainder().chunks_exact(4) {
            let Some(index) = colour_index(word(px), &mut last, &mut colours, palette) else {
                return false;
            };
            out[o] = index;
            o += 1;
        }
    }
    true
}

fn colour_index(
    px: u32,
    last: &mut Option<(u32, u8)>,
    colours: &mut Colours,
    palette: &mut Vec<u8>,
) -> Option<u8> {
    match *last {
        Some((colour, index)) if colour == px => Some(index),
        _ => {
            let index = colours.index(px, palette)?;
            *last = Some((px, index));
            Some(index)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The RGB a decoder gives for a PNG (palette images expanded).
    fn decoded(png: &[u8]) -> (png::ColorType, u32, u32, Vec<u8>) {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(png));
        decoder.set_transformations(png::Transformations::EXPAND);
        let mut reader = decoder.read_info().unwrap();
        let colour = reader.info().color_type;
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let frame = reader.next_frame(&mut buf).unwrap();
        assert_eq!(frame.color_type, png::ColorType::Rgb);
        buf.truncate(frame.buffer_size());
        (colour, frame.width, frame.height, buf)
    }

    fn rgb(rgba: &[u8]) -> Vec<u8> {
        rgba.chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect()
    }

    /// `width` × `height` opaque pixels, the colour of each from `f(x, y)`.
    fn image(width: usize, height: usize, f: impl Fn(usize, usize) -> [u8; 3]) -> Vec<u8> {
        let mut px = Vec::new();
        for y in 0..height {
            for x in 0..width {
                let [r, g, b] = f(x, y);
                px.extend_from_slice(&[r, g, b, 255]);
            }
        }
        px
    }

    #[test]
    fn few_colours_make_a_palette_image_with_the_same_pixels() {
        // White margins, repeated rows, runs longer and shorter than eight, a width that is not
        // a multiple of eight, and a colour that comes back after others.
        let (w, h) = (37, 23);
        let px = image(w, h, |x, y| match (x, y) {
            (_, 0..=3) | (_, 20..) => [255, 255, 255],
            (0..=9, _) => [0, 114, 178],
            (10..=12, _) => [26, 26, 26],
            _ if (x + y) % 3 == 0 => [213, 94, 0],
            _ => [255, 255, 255],
        });
        let png = PngEncoder::default()
            .encode(&px, w as u32, h as u32)
            .unwrap();
        let (colour, dw, dh, pixels) = decoded(&png);
        assert_eq!(colour, png::ColorType::Indexed);
        assert_eq!((dw, dh), (w as u32, h as u32));
        assert_eq!(pixels, rgb(&px));
    }

    #[test]
    fn more_than_256_colours_stay_rgb_with_the_same_pixels() {
        let (w, h) = (40, 9);
        let px = image(w, h, |x, y| [x as u8, (y * 7) as u8, 200]);
        let png = PngEncoder::default()
            .encode(&px, w as u32, h as u32)
            .unwrap();
        let (colour, _, _, pixels) = decoded(&png);
        assert_eq!(colour, png::ColorType::Rgb);
        assert_eq!(pixels, rgb(&px));
        // Exactly 256 colours still fit a palette.
        let px = image(16, 16, |x, y| [x as u8, y as u8, 0]);
        let (colour, _, _, pixels) = decoded(&PngEncoder::default().encode(&px, 16, 16).unwrap());
        assert_eq!(colour, png::ColorType::Indexed);
        assert_eq!(pixels, rgb(&px));
    }

    #[test]
    fn one_encoder_gives_each_image_its_own_palette() {
        let mut encoder = PngEncoder::default();
        let many = image(30, 10, |x, y| [x as u8, y as u8, 1]);
        let few = image(9, 4, |x, _| if x < 4 { [1, 2, 3] } else { [9, 9, 9] });
        for px in [&few, &many, &few] {
            let w = if px.len() == few.len() { 9 } else { 30 };
            let h = px.len() as u32 / 4 / w;
            let (_, _, _, pixels) = decoded(&encoder.encode(px, w, h).unwrap());
            assert_eq!(pixels, rgb(px));
        }
    }
}
