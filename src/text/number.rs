//! Numbers as survey exports write them, parsed without allocating.

/// Trim ASCII white space (SPSS exports pad fields; editors leave trailing spaces).
pub fn trim(b: &[u8]) -> &[u8] {
    // Most fields have none: two looks instead of two scans.
    match (b.first(), b.last()) {
        (Some(f), Some(l)) if !f.is_ascii_whitespace() && !l.is_ascii_whitespace() => return b,
        _ => {}
    }
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let end = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    &b[start..end]
}

/// The longest text [`parse_number`] reads as a number, in bytes.
pub const MAX_NUMBER_TEXT: usize = 64;

/// Parse a decimal number written with `decimal` (b'.' or b',') as its decimal mark, without
/// allocating. Rejects thousands separators, words such as `inf`/`nan`, and empty input; the error
/// says what was wrong.
#[inline]
pub fn parse_number(raw: &[u8], decimal: u8) -> Result<f64, &'static str> {
    match simple_decimal(raw, decimal) {
        Some(x) => Ok(x),
        None => parse_general(raw, decimal),
    }
}

/// [`parse_number`] of what the fast path leaves: the general parser, and every message.
#[inline(never)]
fn parse_general(raw: &[u8], decimal: u8) -> Result<f64, &'static str> {
    if raw.is_empty() {
        return Err("empty");
    }
    let mut buf = [0u8; MAX_NUMBER_TEXT];
    if raw.len() > buf.len() {
        return Err("too long for a number");
    }
    let other = if decimal == b',' { b'.' } else { b',' };
    for (i, &c) in raw.iter().enumerate() {
        buf[i] = match c {
            b'0'..=b'9' | b'+' | b'-' | b'e' | b'E' => c,
            c if c == decimal => b'.',
            c if c == other => {
                return Err(if decimal == b',' {
                    "the decimal mark is ',' per the codebook; '.' is not allowed"
                } else {
                    "the decimal mark is '.' per the codebook; set [data] decimal = \",\" for decimal commas"
                })
            }
            _ => return Err("not a number"),
        };
    }
    let s = std::str::from_utf8(&buf[..raw.len()]).map_err(|_| "not a number")?;
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(x),
        Ok(_) => Err("not finite"),
        Err(_) => Err("not a number"),
    }
}

/// Powers of ten that are exact in an f64.
const EXACT_POWERS: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// The common case of a survey file, read without the general parser: an optional sign, digits,
/// and optionally the decimal mark and more digits (`34,8077`, `7`, `-1.5`), whose digits make
/// an integer below 2^53 and have at most 22 after the mark. Then the integer and the power of
/// ten are exact f64s and one division rounds correctly (Clinger's fast path): the same f64 as
/// `str::parse`, bit for bit. Anything else (an exponent, more digits, another character) is
/// `None`, left to the general parser and its messages.
#[inline]
fn simple_decimal(raw: &[u8], decimal: u8) -> Option<f64> {
    let (negative, digits) = match *raw.first()? {
        b'-' => (true, &raw[1..]),
        b'+' => (false, &raw[1..]),
        _ => (false, raw),
    };
    let (mantissa, scale) = if digits.len() <= 19 {
        short_decimal(digits, decimal)?
    } else {
        long_decimal(digits, decimal)?
    };
    if mantissa >= 1 << 53 || scale >= EXACT_POWERS.len() {
        return None;
    }
    // An integer is exact as it is (dividing by 1 changes no bit, and costs a division).
    let x = if scale == 0 {
        mantissa as f64
    } else {
        mantissa as f64 / EXACT_POWERS[scale]
    };
    Some(if negative { -x } else { x })
}

/// The digits of at most 19 bytes as an integer and the number after the mark: at most 19
/// digits cannot overflow a u64, so the loop needs no count of significant digits.
#[inline]
fn short_decimal(digits: &[u8], decimal: u8) -> Option<(u64, usize)> {
    let mut mantissa: u64 = 0;
    let mut i = digit_run(digits, 0, &mut mantissa);
    let mut scale = 0;
    if digits.get(i) == Some(&decimal) {
        let from = i + 1;
        i = digit_run(digits, from, &mut mantissa);
        scale = i - from;
        if from == 1 && scale == 0 {
            return None; // the mark alone
        }
    } else if i == 0 {
        return None; // no digit
    }
    (i == digits.len()).then_some((mantissa, scale))
}

/// Append the run of ASCII digits of `digits` from `i` to `mantissa`; returns where it ends.
#[inline(always)]
fn digit_run(digits: &[u8], mut i: usize, mantissa: &mut u64) -> usize {
    while let Some(d) = digits
        .get(i)
        .map(|c| c.wrapping_sub(b'0'))
        .filter(|d| *d <= 9)
    {
        *mantissa = *mantissa * 10 + u64::from(d);
        i += 1;
    }
    i
}

/// [`short_decimal`] for longer texts (leading zeros may make them simple all the same).
fn long_decimal(digits: &[u8], decimal: u8) -> Option<(u64, usize)> {
    let mut mantissa: u64 = 0;
    // Digits seen, and those from the first non-zero one (which must fit a u64).
    let (mut count, mut significant) = (0, 0);
    let mut fraction: Option<usize> = None;
    for &c in digits {
        match c {
            b'0'..=b'9' => {
                count += 1;
                if mantissa > 0 || c != b'0' {
                    significant += 1;
                    if significant > 19 {
                        return None;
                    }
                }
                mantissa = mantissa * 10 + u64::from(c - b'0');
                if let Some(f) = fraction.as_mut() {
                    *f += 1;
                }
            }
            c if c == decimal && fraction.is_none() => fraction = Some(0),
            _ => return None,
        }
    }
    (count > 0).then_some((mantissa, fraction.unwrap_or(0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_with_either_decimal_mark() {
        assert_eq!(parse_number(b"1,25", b','), Ok(1.25));
        assert_eq!(parse_number(b"1.25", b'.'), Ok(1.25));
        assert_eq!(parse_number(b"-3", b','), Ok(-3.0));
        assert_eq!(parse_number(b"2e3", b'.'), Ok(2000.0));
        assert!(parse_number(b"1.25", b',').is_err());
        assert!(parse_number(b"1,25", b'.').unwrap_err().contains("decimal"));
        assert!(parse_number(b"inf", b'.').is_err());
        assert!(parse_number(b"NaN", b'.').is_err());
        assert!(parse_number(b"1e999", b'.').unwrap_err().contains("finite"));
        assert!(parse_number(b"", b'.').is_err());
        assert!(parse_number(b"abc", b'.').is_err());
        assert!(parse_number(b"1.2.3", b'.').is_err());
    }

    /// The fast path gives the general parser's f64, bit for bit, and leaves to it what it
    /// cannot read.
    #[test]
    fn simple_decimals_equal_the_general_parser() {
        let general = |t: &str| t.replace(',', ".").parse::<f64>().unwrap();
        let mut texts: Vec<String> = [
            "0",
            "-0",
            "+0",
            "7",
            "007",
            "34,8077",
            "0,6303",
            "1,",
            ",5",
            "-,5",
            "+1,25",
            "9007199254740991",
            "900719925474099,1",
            "0,0000000000000000000001",
            "000000000000000000000000012,5",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // Pseudo-random weights with up to 16 digits and up to 12 decimals.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let digits = (x % 15 + 1) as usize;
            let m = x % 10u64.pow(digits as u32);
            let t = format!("{m:0digits$}");
            let cut = ((x >> 20) % (digits.min(12) as u64 + 1)) as usize;
            let (a, b) = t.split_at(digits - cut);
            texts.push(if cut == 0 {
                a.to_string()
            } else {
                format!("{a},{b}")
            });
        }
        for t in &texts {
            let fast = simple_decimal(t.as_bytes(), b',').unwrap();
            assert_eq!(fast.to_bits(), general(t).to_bits(), "{t}");
            assert_eq!(
                parse_number(t.as_bytes(), b',').unwrap().to_bits(),
                fast.to_bits()
            );
        }
        for t in [
            "1e3",
            "1,2,3",
            "",
            "-",
            ",",
            "1.5",
            "12345678901234567890",
            "9007199254740993",
            "123456789012345678",
            "1,7976931348623157",
            "1,00000000000000000000001",
        ] {
            assert_eq!(simple_decimal(t.as_bytes(), b','), None, "{t}");
        }
    }

    #[test]
    fn trims_ascii_white_space() {
        assert_eq!(trim(b"  NL \t"), b"NL");
        assert_eq!(trim(b"   "), b"");
        assert_eq!(trim(b""), b"");
    }
}
