//! Numbers as survey exports write them, parsed without allocating.

/// Trim ASCII white space (SPSS exports pad fields; editors leave trailing spaces).
pub fn trim(b: &[u8]) -> &[u8] {
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

/// Parse a decimal number written with `decimal` (b'.' or b',') as its decimal mark, without
/// allocating. Rejects thousands separators, words such as `inf`/`nan`, and empty input; the error
/// says what was wrong.
pub fn parse_number(raw: &[u8], decimal: u8) -> Result<f64, &'static str> {
    if raw.is_empty() {
        return Err("empty");
    }
    let mut buf = [0u8; 64];
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

    #[test]
    fn trims_ascii_white_space() {
        assert_eq!(trim(b"  NL \t"), b"NL");
        assert_eq!(trim(b"   "), b"");
        assert_eq!(trim(b""), b"");
    }
}
