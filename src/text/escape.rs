//! Making text from codebooks safe in each output format without changing what a reader sees.
//!
//! The codebook check refuses control characters in every text it holds, so most of this is a
//! second line of defence; the CSV rule is not: a label may legitimately begin with `=` or `-`.

use std::borrow::Cow;

/// A text cell of a CSV file, safe to open in a spreadsheet (OWASP's rule against CSV
/// injection): a cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return gets a
/// leading `'`, so that Excel or LibreOffice shows it as text instead of running it as a
/// formula (`=HYPERLINK(…)`, `@SUM(…)`, `+1+1`). A cell that is a plain number (`-1`, a code
/// for "weet niet", or `-0.5`) stays as it is: a spreadsheet reads it as that number, and
/// programs reading the file get the code back.
pub fn csv_text(s: &str) -> Cow<'_, str> {
    let risky = s
        .chars()
        .next()
        .is_some_and(|c| matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r'));
    if risky && !is_plain_number(s) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// Digits with an optional sign, decimal point and exponent, that parse as a finite number.
fn is_plain_number(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'))
        && s.parse::<f64>().is_ok_and(f64::is_finite)
}

/// Text for a Markdown table cell or heading: shows as written, with no way to become markup.
/// Backslash-escaped: `\` (so that our own escapes stay ours), `|` (the cell separator), `<`
/// where it could open raw HTML (`<script>`, `</a>`, `<!--`) or an autolink (followed by a
/// letter, `/`, `!` or `?`; "p < 0,05" stays as it is), `[` and `]` (links and images, so no
/// `[x](javascript:…)`), and the backtick (code spans). Control characters become spaces.
pub fn markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' | '|' | '[' | ']' | '`' => {
                out.push('\\');
                out.push(c);
            }
            '<' if chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?')) =>
            {
                out.push_str("\\<");
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Whether a character acts on a terminal instead of showing: a control character (an escape
/// sequence such as `\x1b[31m`, a carriage return that would overwrite the line), or an invisible
/// format character that reorders or hides what is shown (U+202E RIGHT-TO-LEFT OVERRIDE and the
/// other bidirectional embeddings, overrides, isolates and marks; zero-width characters; line
/// and paragraph separators).
pub fn acts_on_terminal(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}'
                | '\u{200b}'..='\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{2069}'
                | '\u{feff}'
                | '\u{fff9}'..='\u{fffb}'
        )
}

/// Text for a terminal: every character that [acts on a terminal](acts_on_terminal) written
/// visibly as `\u{1b}`, `\u{202e}` instead of acted upon.
pub fn terminal(s: &str) -> Cow<'_, str> {
    terminal_keeping(s, &[])
}

/// A message for a terminal: as [`terminal`], but line breaks and tabs keep their meaning.
pub fn terminal_message(s: &str) -> Cow<'_, str> {
    terminal_keeping(s, &['\n', '\t'])
}

fn terminal_keeping<'a>(s: &'a str, keep: &[char]) -> Cow<'a, str> {
    let escaped = |c: char| acts_on_terminal(c) && !keep.contains(&c);
    if !s.chars().any(escaped) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if escaped(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Text for HTML, SVG and XML, as element text or a double-quoted attribute value.
pub fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_quoted_and_numbers_are_not() {
        for (input, expected) in [
            (
                "=HYPERLINK(\"http://x\",\"klik\")",
                "'=HYPERLINK(\"http://x\",\"klik\")",
            ),
            ("+1+1", "'+1+1"),
            ("-1+1", "'-1+1"),
            ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("-", "'-"),
            ("-inf", "'-inf"),
            ("-1", "-1"),
            ("-0.5", "-0.5"),
            ("+3", "+3"),
            ("1e-5", "1e-5"),
            ("Telefoon", "Telefoon"),
            ("a=b", "a=b"),
            ("", ""),
        ] {
            assert_eq!(csv_text(input), expected, "{input:?}");
        }
    }

    #[test]
    fn markdown_cannot_become_markup() {
        assert_eq!(
            markdown("<script>alert(1)</script>"),
            "\\<script>alert(1)\\</script>"
        );
        assert_eq!(markdown("<javascript:alert(1)>"), "\\<javascript:alert(1)>");
        assert_eq!(markdown("p < 0,05; <0,001"), "p < 0,05; <0,001");
        assert_eq!(
            markdown("[klik](javascript:alert(1))"),
            "\\[klik\\](javascript:alert(1))"
        );
        assert_eq!(markdown("a|b\\"), "a\\|b\\\\");
        assert_eq!(markdown("x\ny\u{1b}"), "x y ");
        assert_eq!(
            markdown("Leeftijd (jaren) & meer"),
            "Leeftijd (jaren) & meer"
        );
    }

    #[test]
    fn terminal_text_has_no_control_characters() {
        assert_eq!(terminal("\u{1b}[31mrood"), "\\u{1b}[31mrood");
        assert_eq!(terminal("gewoon"), "gewoon");
        assert!(!terminal("a\rb\u{9b}c").chars().any(char::is_control));
    }

    #[test]
    fn bidirectional_overrides_and_invisible_characters_are_shown_escaped() {
        assert_eq!(terminal("N\u{202e}L"), "N\\u{202e}L");
        assert_eq!(
            terminal("a\u{2066}b\u{200b}c\u{feff}"),
            "a\\u{2066}b\\u{200b}c\\u{feff}"
        );
        assert_eq!(terminal("Zuid-Oost café"), "Zuid-Oost café");
        assert_eq!(
            terminal_message("line 1\n\tline 2\u{1b}[0m"),
            "line 1\n\tline 2\\u{1b}[0m"
        );
    }
}
