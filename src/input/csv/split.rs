//! Where records end in a growing buffer of CSV bytes, so that the reader can cut blocks for the
//! lanes at record boundaries (never inside a quoted field, never between `\r` and `\n`).
//!
//! The quoting rules are the tokenizer's ([`super::record`]): a `"` opens a quoted field only at
//! the start of a field; inside quotes `""` is a quote and line breaks are data. Each byte is
//! looked at once however the buffer grows (the scan resumes where it stopped), and the search
//! jumps with `memchr`, so finding boundaries costs little next to decoding and stays linear on
//! any input, including one without a single line break.

/// Finds record ends in a buffer that starts at a record boundary and grows at its end.
#[derive(Debug)]
pub struct Splitter {
    delimiter: u8,
    /// Bytes of the buffer already looked at.
    scanned: usize,
    in_quotes: bool,
    /// Where the open quoted field's quote is (while `in_quotes`).
    quote_at: usize,
    /// Just after the last record terminator found.
    last_end: Option<usize>,
    /// Stop at the first record end (the header) rather than look for the last.
    first_only: bool,
}

impl Splitter {
    pub fn new(delimiter: u8) -> Splitter {
        Splitter {
            delimiter,
            scanned: 0,
            in_quotes: false,
            quote_at: 0,
            last_end: None,
            first_only: false,
        }
    }

    /// Stop at the first record end found (for the header), or look for the last.
    pub fn first_only(&mut self, on: bool) {
        self.first_only = on;
    }

    /// Look at the bytes added to `buf` since the last call. With `eof`, `buf` is complete.
    pub fn advance(&mut self, buf: &[u8], eof: bool) {
        // A quote or a `\r` as the last byte is decided by the byte after it: wait for it.
        let mut limit = buf.len();
        if !eof && matches!(buf.last(), Some(b'"' | b'\r')) {
            limit -= 1;
        }
        let mut pos = self.scanned;
        while pos < limit {
            if self.in_quotes {
                match memchr::memchr(b'"', &buf[pos..limit]) {
                    None => pos = limit,
                    Some(k) => {
                        let q = pos + k;
                        if q + 1 < buf.len() && buf[q + 1] == b'"' {
                            pos = q + 2; // an escaped quote
                        } else if q + 1 == buf.len() && !eof {
                            break; // the next byte decides
                        } else {
                            self.in_quotes = false;
                            pos = q + 1;
                        }
                    }
                }
                continue;
            }
            let seg_end = match memchr::memchr(b'"', &buf[pos..limit]) {
                Some(k) => pos + k,
                None => limit,
            };
            if self.first_only {
                if let Some(k) = memchr::memchr2(b'\n', b'\r', &buf[pos..seg_end]) {
                    let j = pos + k;
                    let end =
                        j + 1 + usize::from(buf[j] == b'\r' && buf.get(j + 1) == Some(&b'\n'));
                    self.last_end = Some(end);
                    self.scanned = end;
                    return;
                }
            } else if let Some(k) = memchr::memrchr2(b'\n', b'\r', &buf[pos..seg_end]) {
                // The last terminator before the quote. A `\r` here is never followed by `\n`
                // (memrchr would have found the `\n`), so the record ends just after it.
                self.last_end = Some(pos + k + 1);
            }
            if seg_end < limit {
                let q = seg_end;
                let at_field_start =
                    q == 0 || matches!(buf[q - 1], b'\n' | b'\r') || buf[q - 1] == self.delimiter;
                if at_field_start {
                    self.in_quotes = true;
                    self.quote_at = q;
                }
                pos = q + 1;
            } else {
                pos = limit;
            }
        }
        // `pos` may pass `limit` by one: the second quote of an escaped pair, already read.
        self.scanned = pos;
    }

    /// Just after the last complete record found so far.
    pub fn last_end(&self) -> Option<usize> {
        self.last_end
    }

    /// Whether the scan stopped inside a quoted field, and where its quote is.
    pub fn open_quote(&self) -> Option<usize> {
        self.in_quotes.then_some(self.quote_at)
    }

    /// The buffer's first `cut` bytes (complete records) were taken away.
    pub fn cut(&mut self, cut: usize) {
        self.scanned = self.scanned.saturating_sub(cut);
        if self.in_quotes {
            if self.quote_at >= cut {
                self.quote_at -= cut;
            } else {
                // Only the end of the input cuts inside a quoted field: nothing follows it.
                self.in_quotes = false;
            }
        }
        self.last_end = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ends(data: &[u8], step: usize) -> Vec<usize> {
        // Feed `data` in pieces of `step` bytes, cutting after every record end found.
        let mut s = Splitter::new(b',');
        let mut buf = Vec::new();
        let mut taken = 0;
        let mut out = Vec::new();
        for piece in data.chunks(step) {
            buf.extend_from_slice(piece);
            s.advance(&buf, false);
            if let Some(e) = s.last_end() {
                out.push(taken + e);
                taken += e;
                buf.drain(..e);
                s.cut(e);
            }
        }
        s.advance(&buf, true);
        if let Some(e) = s.last_end() {
            out.push(taken + e);
        }
        out
    }

    #[test]
    fn record_ends_skip_line_breaks_inside_quotes() {
        let data = b"a,\"x\ny\",b\nc,\"\"\"q\"\"\",d\ne\n";
        assert_eq!(*ends(data, 1000).last().unwrap(), 24);
        for step in 1..8 {
            let e = ends(data, step);
            assert!(e.iter().all(|x| [10, 22, 24].contains(x)), "{step}: {e:?}");
            assert_eq!(*e.last().unwrap(), 24);
        }
        // a quote inside an unquoted field is a literal character
        assert_eq!(ends(b"a 5\" b,c\nd", 1000), vec![9]);
    }

    #[test]
    fn crlf_is_never_split_and_lone_cr_ends_records() {
        for step in 1..6 {
            let e = ends(b"a,b\r\nc,d\r\n", step);
            assert!(e.iter().all(|x| [5, 10].contains(x)), "{step}: {e:?}");
            let e = ends(b"a,b\rc,d\r", step);
            assert!(e.iter().all(|x| [4, 8].contains(x)), "{step}: {e:?}");
        }
    }

    #[test]
    fn an_open_quote_is_reported_with_its_place() {
        let mut s = Splitter::new(b';');
        let buf = b"1;2\n3;\"4\n5;6\n";
        s.advance(buf, true);
        assert_eq!(s.open_quote(), Some(6));
        assert_eq!(s.last_end(), Some(4));
    }
}
