//! Places in a text as an editor shows them: lines and columns from 1.

/// Line breaks in `buf` as an editor counts them: `\n`, `\r\n` and a lone `\r` each end a line.
pub fn count_lines(buf: &[u8]) -> u64 {
    let mut n = memchr::memchr_iter(b'\n', buf).count() as u64;
    if memchr::memchr(b'\r', buf).is_some() {
        n += memchr::memchr_iter(b'\r', buf)
            .filter(|&i| buf.get(i + 1) != Some(&b'\n'))
            .count() as u64;
    }
    n
}

/// The editor's (line, column) of byte `at`: lines from 1 as [`count_lines`] counts them,
/// columns from 1 in characters (UTF-8 continuation bytes do not count).
pub fn position(buf: &[u8], at: usize) -> (u64, u64) {
    let before = &buf[..at.min(buf.len())];
    let line = 1 + count_lines(before);
    let start = memchr::memrchr2(b'\n', b'\r', before).map_or(0, |i| i + 1);
    let column = 1 + before[start..]
        .iter()
        .filter(|&&b| b & 0xC0 != 0x80)
        .count() as u64;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_as_an_editor_counts_them() {
        assert_eq!(count_lines(b"a\nb\n"), 2);
        assert_eq!(count_lines(b"a\r\nb\r\n"), 2);
        assert_eq!(count_lines(b"a\rb\r"), 2);
        assert_eq!(count_lines(b"a\r\n\rb\n"), 3);
        assert_eq!(position(b"ab\r\ncd", 6), (2, 3));
        assert_eq!(position("é\nxé!".as_bytes(), 6), (2, 3));
    }
}
