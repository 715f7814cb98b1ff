//! Mutators: byte flips, inserts, deletes, line duplications, quote/delimiter/newline injection,
//! truncation and splicing for any input; field replacements for CSV text; value replacements
//! for TOML; integer fields for SPSS files.

use super::rng::Rng;

/// Byte strings that reach the corners of the readers and writers.
pub const TOKENS: &[&[u8]] = &[
    b"\"",
    b"\"\"",
    b",",
    b";",
    b"\t",
    b"\n",
    b"\r",
    b"\r\n",
    b"\0",
    b"\xE9",
    b"\xFF\xFE",
    b"\xEF\xBB\xBF",
    b"\xC3",
    b"\xE2\x80\xA8",
    b"\xC2\x9B",
    b"\x1B[31m",
    b"\x7F",
    b"=HYPERLINK(\"http://x\",\"y\")",
    b"=1+1",
    b"+1",
    b"-1",
    b"-",
    b"@SUM(A1)",
    b"<script>alert(1)</script>",
    b"[x](javascript:alert(1))",
    b"1e308",
    b"-1e308",
    b"1.7976931348623157e308",
    b"5e-324",
    b"nan",
    b"NaN",
    b"inf",
    b"-inf",
    b"0",
    b"-0",
    b"0.0",
    b"1,5",
    b"99",
    b"999",
    b"9223372036854775807",
    b"18446744073709551616",
    b" ",
    b"",
    b"a/b",
    b"../x",
    b"con",
    b"estimates",
];

pub fn token(rng: &mut Rng) -> Vec<u8> {
    rng.pick(TOKENS).to_vec()
}

/// Start offsets of the lines of `data` (after `\n`, `\r\n` or a lone `\r`), and its length.
pub fn line_starts(data: &[u8]) -> Vec<usize> {
    let mut starts = vec![0];
    let mut i = 0;
    while i < data.len() {
        match data[i] {
            b'\n' => starts.push(i + 1),
            b'\r' if data.get(i + 1) == Some(&b'\n') => {
                starts.push(i + 2);
                i += 1;
            }
            b'\r' => starts.push(i + 1),
            _ => {}
        }
        i += 1;
    }
    if *starts.last().unwrap() != data.len() {
        starts.push(data.len());
    }
    starts
}

/// A random line as a byte range (with its line end).
fn pick_line(rng: &mut Rng, data: &[u8]) -> (usize, usize) {
    let s = line_starts(data);
    if s.len() < 2 {
        return (0, data.len());
    }
    let k = rng.below(s.len() - 1);
    (s[k], s[k + 1])
}

/// One generic mutation of any byte string; `other` is another input to splice from.
pub fn bytes(rng: &mut Rng, data: &mut Vec<u8>, other: &[u8]) {
    let len = data.len();
    match rng.below(14) {
        // flip a bit
        0 if len > 0 => {
            let i = rng.below(len);
            data[i] ^= 1 << rng.below(8);
        }
        // set a random byte
        1 if len > 0 => {
            let i = rng.below(len);
            data[i] = rng.next_u64() as u8;
        }
        // insert a token
        2 | 3 => {
            let i = rng.below(len + 1);
            let t = token(rng);
            data.splice(i..i, t);
        }
        // delete a range
        4 if len > 0 => {
            let i = rng.below(len);
            let n = rng.small(16).min(len - i);
            data.drain(i..i + n);
        }
        // duplicate a line (a few times)
        5 => {
            let (a, b) = pick_line(rng, data);
            let line = data[a..b].to_vec();
            for _ in 0..rng.small(4) {
                data.splice(b..b, line.iter().copied());
            }
        }
        // delete a line
        6 => {
            let (a, b) = pick_line(rng, data);
            data.drain(a..b);
        }
        // swap two lines
        7 => {
            let s = line_starts(data);
            if s.len() > 3 {
                let i = rng.below(s.len() - 1);
                let j = rng.below(s.len() - 1);
                let (i, j) = (i.min(j), i.max(j));
                if i != j {
                    let a = data[s[i]..s[i + 1]].to_vec();
                    let b = data[s[j]..s[j + 1]].to_vec();
                    let mut out = data[..s[i]].to_vec();
                    out.extend_from_slice(&b);
                    out.extend_from_slice(&data[s[i + 1]..s[j]]);
                    out.extend_from_slice(&a);
                    out.extend_from_slice(&data[s[j + 1]..]);
                    *data = out;
                }
            }
        }
        // truncate
        8 if len > 0 => data.truncate(rng.below(len)),
        // splice: a prefix of this, a suffix of the other
        9 if !other.is_empty() => {
            let i = rng.below(len + 1);
            let j = rng.below(other.len());
            data.truncate(i);
            data.extend_from_slice(&other[j..]);
        }
        // a quote, delimiter or line break at a random place
        10 => {
            let i = rng.below(len + 1);
            let b: &[u8] =
                rng.pick::<&[u8]>(&[&b"\""[..], b",", b";", b"\n", b"\r", b"\r\n", b"\"\""]);
            data.splice(i..i, b.iter().copied());
        }
        // all line ends changed
        11 => {
            let to: &[u8] = rng.pick::<&[u8]>(&[&b"\n"[..], b"\r\n", b"\r"]);
            *data = relines(data, to);
        }
        // replace a range by a token
        12 if len > 0 => {
            let i = rng.below(len);
            let n = rng.small(8).min(len - i);
            let t = token(rng);
            data.splice(i..i + n, t);
        }
        // repeat a chunk
        _ if len > 0 => {
            let i = rng.below(len);
            let n = rng.small(64).min(len - i);
            let chunk = data[i..i + n].to_vec();
            for _ in 0..rng.small(8) {
                data.splice(i..i, chunk.iter().copied());
            }
        }
        _ => data.extend_from_slice(&token(rng)),
    }
}

/// `data` with every line end replaced by `to`.
pub fn relines(data: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + data.len() / 8);
    let mut i = 0;
    while i < data.len() {
        match data[i] {
            b'\r' if data.get(i + 1) == Some(&b'\n') => {
                out.extend_from_slice(to);
                i += 1;
            }
            b'\n' | b'\r' => out.extend_from_slice(to),
            b => out.push(b),
        }
        i += 1;
    }
    out
}

/// One mutation aware of CSV: a field of a line replaced by a token, a field quoted, a field
/// added or removed, a quote opened, or else a generic byte mutation.
pub fn csv(rng: &mut Rng, data: &mut Vec<u8>, other: &[u8], delimiter: u8) {
    let (a, b) = pick_line(rng, data);
    let line_end = data[a..b]
        .iter()
        .position(|&c| c == b'\n' || c == b'\r')
        .map_or(b, |k| a + k);
    let line = data[a..line_end].to_vec();
    let mut fields: Vec<Vec<u8>> = line
        .split(|&c| c == delimiter)
        .map(|f| f.to_vec())
        .collect();
    let k = rng.below(fields.len());
    match rng.below(10) {
        0..=2 => fields[k] = token(rng),
        3 => {
            let mut q = b"\"".to_vec();
            q.extend(
                fields[k]
                    .iter()
                    .flat_map(|&c| if c == b'"' { vec![c, c] } else { vec![c] }),
            );
            q.push(b'"');
            fields[k] = q;
        }
        4 => fields[k].insert(0, b'"'),
        5 => {
            let t = token(rng);
            fields.insert(k, t);
        }
        6 if fields.len() > 1 => {
            fields.remove(k);
        }
        7 => {
            // a weight, code or number at an extreme
            let v: &[u8] = rng.pick::<&[u8]>(&[
                &b"1e308"[..],
                b"-1e308",
                b"1e-308",
                b"0",
                b"-0",
                b"1e15",
                b"4e9",
                b"-5",
                b"nan",
                b"inf",
            ]);
            fields[k] = v.to_vec();
        }
        _ => {
            bytes(rng, data, other);
            return;
        }
    }
    let joined = fields.join(&delimiter);
    data.splice(a..line_end, joined);
}

/// Start and end (exclusive) of each `"..."` basic string on lines of TOML text, roughly.
fn toml_strings(text: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        match text[i] {
            b'#' => {
                while i < text.len() && text[i] != b'\n' {
                    i += 1;
                }
            }
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while j < text.len() && text[j] != b'"' && text[j] != b'\n' {
                    if text[j] == b'\\' {
                        j += 1;
                    }
                    j += 1;
                }
                if j < text.len() && text[j] == b'"' {
                    out.push((start, j));
                }
                i = j;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// Values for a TOML string, written as TOML escapes where needed.
const TOML_STRINGS: &[&str] = &[
    "",
    " ",
    "=HYPERLINK(\\\"http://x\\\",\\\"y\\\")",
    "+1+1",
    "-1",
    "-",
    "@SUM(A1:A9)",
    "<script>alert(1)</script>",
    "</td><img src=x onerror=alert(1)>",
    "[klik](javascript:alert(1))",
    "\\u001b[31mrood",
    "a\\nb",
    "a\\tb",
    "\\r",
    "\\u0000",
    "\\u007f",
    "\\u009b",
    "\\u2028",
    "a/b",
    "a_b",
    "A_B",
    "../../etc/passwd",
    "con",
    "nul.txt",
    "estimates",
    "comparisons",
    "tests",
    "index",
    "summary",
    "report",
    "History",
    "'quoted'",
    "[sheet]*?",
    "é",
    "\\uFEFF",
    "x\\\\y",
    "|pipe|",
    "`tick`",
    "taal",
    "leeftijd",
    "w",
    "k",
    "1",
    "2",
    "99",
    "NL",
];

const TOML_NUMBERS: &[&str] = &[
    "nan",
    "+nan",
    "-nan",
    "inf",
    "-inf",
    "0",
    "-0",
    "0.0",
    "1e308",
    "-1e308",
    "5e-324",
    "1",
    "-1",
    "2",
    "100",
    "9223372036854775807",
    "-9223372036854775808",
    "0.5",
    "1.5",
    "18",
    "65",
    "1e9",
];

/// One mutation aware of TOML: a string's content or a number replaced, a table block
/// duplicated or removed, a key line duplicated; else a generic byte mutation.
pub fn toml(rng: &mut Rng, data: &mut Vec<u8>, other: &[u8]) {
    match rng.below(10) {
        0..=3 => {
            let strings = toml_strings(data);
            if strings.is_empty() {
                return bytes(rng, data, other);
            }
            let (a, b) = *rng.pick(&strings);
            let v: Vec<u8> = if rng.chance(1, 8) {
                // a long text: over the 4,000-character limit, or just under it
                let n = *rng.pick(&[3999usize, 4000, 4001, 40_000]);
                "x".repeat(n).into_bytes()
            } else {
                rng.pick(TOML_STRINGS).as_bytes().to_vec()
            };
            data.splice(a..b, v);
        }
        4 | 5 => {
            // a number after `=` or in an array
            let mut spots = Vec::new();
            for (i, w) in data.windows(2).enumerate() {
                if matches!(w[0], b'=' | b'[' | b',' | b' ') && (w[1].is_ascii_digit()) {
                    spots.push(i + 1);
                }
            }
            if spots.is_empty() {
                return bytes(rng, data, other);
            }
            let a = *rng.pick(&spots);
            let mut b = a;
            while b < data.len() && (data[b].is_ascii_alphanumeric() || b".+-_".contains(&data[b]))
            {
                b += 1;
            }
            let v = rng.pick(TOML_NUMBERS).as_bytes().to_vec();
            data.splice(a..b, v);
        }
        6 | 7 => {
            // duplicate or drop a `[[...]]` block
            let text = data.clone();
            let starts: Vec<usize> = line_starts(&text)
                .into_iter()
                .filter(|&s| text[s..].starts_with(b"[[") || text[s..].starts_with(b"["))
                .collect();
            if starts.is_empty() {
                return bytes(rng, data, other);
            }
            let k = rng.below(starts.len());
            let a = starts[k];
            let b = starts.get(k + 1).copied().unwrap_or(text.len());
            let block = text[a..b].to_vec();
            if rng.chance(1, 2) {
                data.splice(b..b, block);
            } else {
                data.drain(a..b);
            }
        }
        8 => {
            // a key line duplicated, or a line from the other codebook inserted
            let (a, b) = if rng.chance(1, 2) || other.is_empty() {
                pick_line(rng, data)
            } else {
                let (x, y) = pick_line(rng, other);
                let line = other[x..y].to_vec();
                let (p, _) = pick_line(rng, data);
                data.splice(p..p, line);
                return;
            };
            let line = data[a..b].to_vec();
            data.splice(b..b, line);
        }
        _ => bytes(rng, data, other),
    }
}

/// SPSS integers worth trying in a header or record field.
const INTS: &[i32] = &[
    0,
    -1,
    1,
    2,
    3,
    4,
    7,
    8,
    255,
    256,
    1000,
    0x7FFF_FFFF,
    -0x8000_0000,
    0x0100_0000,
    -2,
    60,
    100_000_000,
];

/// One mutation of an SPSS file: a header field (case count, compression, slots per case), an
/// aligned 32-bit integer of the dictionary, a 64-bit float of the data; else a generic byte
/// mutation (no line-based ones: they mean nothing here).
pub fn spss(rng: &mut Rng, data: &mut Vec<u8>, other: &[u8]) {
    let len = data.len();
    match rng.below(10) {
        0 if len >= 84 => {
            let off = *rng.pick(&[64usize, 68, 72, 76, 80]);
            let v = *rng.pick(INTS);
            data[off..off + 4].copy_from_slice(&v.to_le_bytes());
        }
        1..=3 if len >= 184 => {
            let off = 176 + 4 * rng.below((len - 180) / 4);
            let v = if rng.chance(1, 2) {
                *rng.pick(INTS)
            } else {
                i32::from_le_bytes(data[off..off + 4].try_into().unwrap())
                    .wrapping_add(*rng.pick(&[-8, -4, -1, 1, 4, 8, 1000]))
            };
            data[off..off + 4].copy_from_slice(&v.to_le_bytes());
        }
        4 if len >= 16 => {
            let off = 8 * rng.below(len / 8);
            let v: f64 = *rng.pick(&[
                1e308,
                -1e308,
                f64::NAN,
                f64::INFINITY,
                -f64::MAX,
                0.0,
                -0.0,
                5e-324,
                99.0,
                999.0,
            ]);
            if off + 8 <= len {
                data[off..off + 8].copy_from_slice(&v.to_le_bytes());
            }
        }
        5 if len > 0 && rng.chance(1, 2) => data.truncate(rng.below(len)),
        5 if len > 0 => {
            // a byte of the data section (the last part of the file): values, not structure
            let i = len - 1 - rng.below(len / 4 + 1);
            data[i] = rng.next_u64() as u8;
        }
        6 if len > 8 => {
            // cut or repeat a multiple of 8 bytes (a slot) in the data
            let n = 8 * rng.small(4);
            let i = rng.below(len);
            if rng.chance(1, 2) {
                data.drain(i..(i + n).min(len));
            } else {
                let chunk = data[i..(i + n).min(len)].to_vec();
                data.splice(i..i, chunk);
            }
        }
        _ => loop {
            // a byte-level mutation other than the line-based ones
            let before = data.clone();
            bytes(rng, data, other);
            if *data != before || data.is_empty() {
                break;
            }
        },
    }
}
