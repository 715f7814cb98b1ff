//! Character encodings of text files: UTF-8, and what Excel in Western Europe writes
//! (Windows-1252) or older tools (Latin-1), decoded byte by byte into UTF-8. Single-byte
//! encodings keep every ASCII byte, so lines, quotes and delimiters stay where they are.

/// Windows-1252's characters for the bytes 0x80–0x9F (0xA0–0xFF are Latin-1's). The five bytes
/// the code page leaves undefined map to the C1 control of the same value, as browsers do.
const CP1252_HIGH: [char; 32] = [
    '\u{20AC}', '\u{0081}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{02C6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{008D}', '\u{017D}', '\u{008F}',
    '\u{0090}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}', '\u{0153}', '\u{009D}', '\u{017E}', '\u{0178}',
];

/// The character of one byte in a single-byte encoding.
#[inline]
pub fn char_of(encoding: Encoding, b: u8) -> char {
    match (encoding, b) {
        (Encoding::Windows1252, 0x80..=0x9F) => CP1252_HIGH[(b - 0x80) as usize],
        _ => b as char,
    }
}

/// Append the UTF-8 form of `bytes` in `encoding` (a single-byte one) to `out`.
pub fn push_decoded(encoding: Encoding, bytes: &[u8], out: &mut Vec<u8>) {
    let mut rest = bytes;
    while !rest.is_empty() {
        // ASCII runs are copied as they are.
        let ascii = rest.iter().position(|&b| b >= 0x80).unwrap_or(rest.len());
        out.extend_from_slice(&rest[..ascii]);
        rest = &rest[ascii..];
        let high = rest.iter().position(|&b| b < 0x80).unwrap_or(rest.len());
        for &b in &rest[..high] {
            let mut buf = [0u8; 4];
            out.extend_from_slice(char_of(encoding, b).encode_utf8(&mut buf).as_bytes());
        }
        rest = &rest[high..];
    }
}

/// Text in `encoding` as a string (UTF-8 must be valid: the error gives the byte offset).
pub fn decode(encoding: Encoding, bytes: &[u8]) -> Result<String, usize> {
    match encoding {
        Encoding::Utf8 => std::str::from_utf8(bytes)
            .map(str::to_string)
            .map_err(|e| e.valid_up_to()),
        _ => {
            let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 8);
            push_decoded(encoding, bytes, &mut out);
            Ok(String::from_utf8(out).expect("every byte decoded to a char"))
        }
    }
}

/// The character encoding of a CSV file (`[data] encoding`, `--encoding`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    #[default]
    Utf8,
    /// What Excel writes in Western Europe (Latin-1 plus € ‘ ’ “ ” – — … in 0x80–0x9F).
    Windows1252,
    /// ISO-8859-1: every byte its own code point.
    Latin1,
}

impl Encoding {
    /// The encodings a user may name, as written in the codebook and on the command line.
    pub const NAMES: &'static str = "\"utf-8\", \"windows-1252\" or \"latin-1\"";

    /// An encoding by name: `utf-8`, `windows-1252` (or `cp1252`), `latin-1` (or
    /// `iso-8859-1`), in any case, with or without the hyphen.
    pub fn parse(name: &str) -> Option<Encoding> {
        match name
            .trim()
            .to_ascii_lowercase()
            .replace(['-', '_', ' '], "")
            .as_str()
        {
            "utf8" => Some(Encoding::Utf8),
            "windows1252" | "cp1252" | "win1252" => Some(Encoding::Windows1252),
            "latin1" | "iso88591" => Some(Encoding::Latin1),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Windows1252 => "windows-1252",
            Encoding::Latin1 => "latin-1",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_and_latin_1_decode() {
        let bytes = b"caf\xe9;\x80 5;\x92t;\xc9\xe9n keer\n";
        assert_eq!(
            decode(Encoding::Windows1252, bytes).unwrap(),
            "café;€ 5;’t;Één keer\n"
        );
        assert_eq!(
            decode(Encoding::Latin1, bytes).unwrap(),
            "café;\u{80} 5;\u{92}t;Één keer\n"
        );
        assert_eq!(
            decode(Encoding::Windows1252, b"\x81\x9f").unwrap(),
            "\u{81}Ÿ"
        );
        assert_eq!(decode(Encoding::Utf8, b"ok\xe9"), Err(2));
    }

    #[test]
    fn every_byte_decodes_and_ascii_is_unchanged() {
        let all: Vec<u8> = (0..=255u8).collect();
        for enc in [Encoding::Windows1252, Encoding::Latin1] {
            let s = decode(enc, &all).unwrap();
            assert_eq!(s.chars().count(), 256);
            assert!(s
                .chars()
                .take(128)
                .enumerate()
                .all(|(i, c)| c as usize == i));
        }
    }

    #[test]
    fn names() {
        for (n, e) in [
            ("utf-8", Encoding::Utf8),
            ("UTF8", Encoding::Utf8),
            ("windows-1252", Encoding::Windows1252),
            ("cp1252", Encoding::Windows1252),
            ("latin-1", Encoding::Latin1),
            ("ISO-8859-1", Encoding::Latin1),
        ] {
            assert_eq!(Encoding::parse(n), Some(e), "{n}");
            assert_eq!(Encoding::parse(e.name()), Some(e));
        }
        assert_eq!(Encoding::parse("utf-16"), None);
    }
}
