//! Text at the bottom of the house: making text safe for each output ([`escape`]), numbers
//! written ([`num`]) and read ([`number`]) the way every output and every input does, text in
//! another encoding than UTF-8 ([`encoding`]), and places in a text ([`position`]). It uses
//! nothing else of the crate, so every layer may use it.

pub mod encoding;
pub mod escape;
pub mod number;
pub mod position;

/// Shortest round-trip decimal (deterministic, full precision); empty for NaN or none.
pub fn num(x: f64) -> String {
    if x.is_finite() {
        let s = format!("{x}");
        if s == "-0" {
            "0".into()
        } else {
            s
        }
    } else {
        String::new()
    }
}

/// A count for a message, its thousands separated by commas: 2,000,000.
pub fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub fn opt(x: Option<f64>) -> String {
    x.map(num).unwrap_or_default()
}

/// Quote a value for a message: visible even when empty or made of white space.
pub fn quote_value(v: &str) -> String {
    let mut s = String::with_capacity(v.len() + 2);
    s.push('"');
    for ch in v.chars().take(80) {
        match ch {
            '"' => s.push_str("\\\""),
            '\t' => s.push_str("\\t"),
            '\r' => s.push_str("\\r"),
            '\n' => s.push_str("\\n"),
            c if c.is_control() => s.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => s.push(c),
        }
    }
    if v.chars().count() > 80 {
        s.push('…');
    }
    s.push('"');
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(super::count(0), "0");
        assert_eq!(super::count(999), "999");
        assert_eq!(super::count(1000), "1,000");
        assert_eq!(super::count(2_000_000), "2,000,000");
    }
}
