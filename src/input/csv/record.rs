//! Cutting a block of CSV bytes into records and fields, keeping the editor's line numbers.
//!
//! Rules (docs/codebook.md, "Inputs"): fields are separated by the delimiter; records end at
//! `\n`, `\r\n` or a lone `\r`; empty lines are skipped; a `"` at the start of a field opens a
//! quoted field in which the delimiter and line breaks are data and `""` is one quote; text after
//! the closing quote is kept (`"a"b` is `ab`); a quote elsewhere is an ordinary character.
//!
//! Fields are slices of the block (no copy) unless they hold `""` or text after the closing
//! quote, which are unescaped into a side buffer. Each byte is classified once; whether a record
//! holds NUL bytes or bytes above ASCII is noted on the way, so that the decoder checks the text
//! of a field only when it may be wrong.
//!
//! Most blocks hold none of what needs that care: no quote, no carriage return, no NUL byte,
//! nothing above ASCII (four vectorised scans of the block tell). Such a *plain* block is cut
//! at newlines and delimiters eight bytes at a time ([`stops`]), with the same records, fields
//! and line numbers as the byte-by-byte way.

use crate::input::decode::Fields;

/// Flags of [`CsvRecord::flags`].
pub const HAS_NUL: u8 = 1;
pub const HAS_NON_ASCII: u8 = 2;
/// Byte classes: stop bits for the unquoted-field loop, flag bits for what a byte tells.
const STOP: u8 = 4;

/// A span in the side buffer rather than the block.
const SIDE: usize = 1 << (usize::BITS - 1);

/// One record of a block. Reused from record to record.
#[derive(Debug, Default)]
pub struct CsvRecord {
    spans: Vec<(usize, usize)>,
    side: Vec<u8>,
    /// The line where the record starts.
    pub line: u64,
    /// The line where it ends (after the last line break inside a quoted field).
    pub end_line: u64,
    /// [`HAS_NUL`] and [`HAS_NON_ASCII`].
    pub flags: u8,
    /// Fields that start on a later line than the record: (field index, line).
    starts: Vec<(usize, u64)>,
    /// The first quoted field with a line break in it: (field index, line where it opens).
    pub multiline: Option<(usize, u64)>,
    /// A quoted field still open at the end of the input: (field index, line where it opens).
    pub unclosed: Option<(usize, u64)>,
}

impl CsvRecord {
    fn clear(&mut self, line: u64) {
        self.spans.clear();
        self.side.clear();
        self.starts.clear();
        self.line = line;
        self.end_line = line;
        self.flags = 0;
        self.multiline = None;
        self.unclosed = None;
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// The field's bytes (the block is the one the record was read from).
    pub fn field<'a>(&'a self, block: &'a [u8], i: usize) -> &'a [u8] {
        let (s, e) = self.spans[i];
        if s & SIDE != 0 {
            &self.side[s & !SIDE..e]
        } else {
            &block[s..e]
        }
    }

    /// The line where field `i` starts.
    pub fn field_line(&self, i: usize) -> u64 {
        self.starts
            .iter()
            .rev()
            .find(|(f, _)| *f <= i)
            .map_or(self.line, |&(_, l)| l)
    }

    /// The record read from `block`, as the decoder sees it.
    pub fn view<'a>(&'a self, block: &'a [u8]) -> RecordView<'a> {
        RecordView { block, rec: self }
    }
}

/// A record with the block it refers to.
pub struct RecordView<'a> {
    block: &'a [u8],
    rec: &'a CsvRecord,
}

impl Fields for RecordView<'_> {
    fn count(&self) -> usize {
        self.rec.len()
    }
    fn field(&self, i: usize) -> &[u8] {
        self.rec.field(self.block, i)
    }
    /// A field of 1 to 7 bytes in the block, with at least 8 bytes from its start, is read as
    /// one word and masked to its length: no branch on the length. When its first or last byte
    /// may be white space (any byte up to a space), the general way trims it first.
    #[inline(always)]
    fn key(&self, i: usize) -> Option<u64> {
        let (s, e) = self.rec.spans[i];
        let n = e.wrapping_sub(s);
        if s & SIDE == 0 && n.wrapping_sub(1) < 7 {
            if let Some(bytes) = self.block.get(s..s + 8) {
                let mut word = [0u8; 8];
                word.copy_from_slice(bytes);
                let w = u64::from_le_bytes(word) & (u64::MAX >> (64 - 8 * n));
                let (first, last) = (w & 0xFF, w >> (8 * (n - 1)));
                if first > 0x20 && last > 0x20 {
                    return Some(w | (n as u64) << 56);
                }
            }
        }
        self.trimmed_key(i)
    }
    fn needs_text_check(&self) -> bool {
        self.rec.flags != 0
    }
}

impl RecordView<'_> {
    /// [`Fields::key`] the general way (kept out of the decoder's loop).
    #[cold]
    #[inline(never)]
    fn trimmed_key(&self, i: usize) -> Option<u64> {
        crate::input::lookup::pack(crate::text::number::trim(self.field(i)))
    }
}

/// Reads the records of one block in order.
pub struct Tokenizer<'a> {
    buf: &'a [u8],
    pos: usize,
    line: u64,
    delimiter: u8,
    class: [u8; 256],
    /// No quote, carriage return, NUL or non-ASCII byte in the block.
    plain: bool,
}

/// Eight copies of a byte.
#[inline]
const fn splat(b: u8) -> u64 {
    b as u64 * 0x0101_0101_0101_0101
}

/// The high bit of each byte of `w` that equals the byte `c` splatted (exact: no carries cross
/// bytes, so no false matches).
#[inline]
fn bytes_equal(w: u64, c: u64) -> u64 {
    let t = w ^ c;
    !(((t & 0x7F7F_7F7F_7F7F_7F7F) + 0x7F7F_7F7F_7F7F_7F7F) | t) & 0x8080_8080_8080_8080
}

/// The delimiters and the newlines among the eight bytes at `at` (little-endian: byte `k` is
/// bit `8k + 7`).
#[inline]
fn stops(buf: &[u8], at: usize, delimiter: u64) -> (u64, u64) {
    let mut word = [0u8; 8];
    word.copy_from_slice(&buf[at..at + 8]);
    let w = u64::from_le_bytes(word);
    (bytes_equal(w, delimiter), bytes_equal(w, splat(b'\n')))
}

impl<'a> Tokenizer<'a> {
    /// Records of `buf`, whose first byte is on line `first_line`.
    pub fn new(buf: &'a [u8], first_line: u64, delimiter: u8) -> Tokenizer<'a> {
        let mut class = [0u8; 256];
        for (b, c) in class.iter_mut().enumerate() {
            *c = match b as u8 {
                0 => HAS_NUL,
                b'\n' | b'\r' => STOP,
                b if b == delimiter => STOP,
                0x80..=0xFF => HAS_NON_ASCII,
                _ => 0,
            };
        }
        let plain = memchr::memchr3(b'"', b'\r', 0, buf).is_none() && buf.is_ascii();
        Tokenizer {
            buf,
            pos: 0,
            line: first_line,
            delimiter,
            class,
            plain,
        }
    }

    /// The line the next byte is on.
    pub fn line(&self) -> u64 {
        self.line
    }

    /// Skip a line break at the current position; whether there was one.
    fn line_break(&mut self) -> bool {
        match self.buf.get(self.pos) {
            Some(b'\n') => self.pos += 1,
            Some(b'\r') => {
                self.pos += 1;
                if self.buf.get(self.pos) == Some(&b'\n') {
                    self.pos += 1;
                }
            }
            _ => return false,
        }
        self.line += 1;
        true
    }

    /// Read the next record into `rec`; false at the end of the block.
    pub fn next_record(&mut self, rec: &mut CsvRecord) -> bool {
        if self.plain {
            return self.plain_record(rec);
        }
        while self.line_break() {}
        if self.pos >= self.buf.len() {
            return false;
        }
        rec.clear(self.line);
        loop {
            if self.line != rec.line {
                rec.starts.push((rec.spans.len(), self.line));
            }
            if self.buf.get(self.pos) == Some(&b'"') {
                self.quoted(rec);
            } else {
                self.unquoted(rec);
            }
            match self.buf.get(self.pos) {
                Some(&c) if c == self.delimiter => self.pos += 1,
                _ => break,
            }
        }
        rec.end_line = self.line;
        if rec.unclosed.is_some() && matches!(self.buf.last(), Some(b'\n' | b'\r')) {
            // The file's last line break, swallowed by the open quote, ends a line, not starts one.
            rec.end_line -= 1;
        }
        self.line_break();
        true
    }

    /// [`Tokenizer::next_record`] in a plain block: fields end at a delimiter, records at a
    /// newline (empty lines skipped), found eight bytes at a time.
    fn plain_record(&mut self, rec: &mut CsvRecord) -> bool {
        let buf = self.buf;
        while buf.get(self.pos) == Some(&b'\n') {
            self.pos += 1;
            self.line += 1;
        }
        if self.pos >= buf.len() {
            return false;
        }
        rec.clear(self.line);
        let delimiter = splat(self.delimiter);
        let mut start = self.pos;
        let mut at = self.pos;
        while at + 8 <= buf.len() {
            let (delimiters, newlines) = stops(buf, at, delimiter);
            let mut found = delimiters | newlines;
            while found != 0 {
                let bit = found & found.wrapping_neg();
                let k = at + (bit.trailing_zeros() / 8) as usize;
                rec.spans.push((start, k));
                start = k + 1;
                if bit & newlines != 0 {
                    self.pos = start;
                    self.line += 1;
                    return true;
                }
                found ^= bit;
            }
            at += 8;
        }
        for (k, &b) in buf.iter().enumerate().skip(at) {
            if b == self.delimiter {
                rec.spans.push((start, k));
                start = k + 1;
            } else if b == b'\n' {
                rec.spans.push((start, k));
                self.pos = k + 1;
                self.line += 1;
                return true;
            }
        }
        // The block's last record, without a line break after it.
        rec.spans.push((start, buf.len()));
        self.pos = buf.len();
        true
    }

    fn unquoted(&mut self, rec: &mut CsvRecord) {
        let start = self.pos;
        let mut flags = 0;
        while let Some(&b) = self.buf.get(self.pos) {
            let c = self.class[b as usize];
            if c & STOP != 0 {
                break;
            }
            flags |= c;
            self.pos += 1;
        }
        rec.flags |= flags;
        rec.spans.push((start, self.pos));
    }

    /// A quoted field; `self.pos` is at its opening quote.
    fn quoted(&mut self, rec: &mut CsvRecord) {
        let field = rec.spans.len();
        let open_line = self.line;
        self.pos += 1;
        let mut start = self.pos;
        // Set once the field has to be unescaped into the side buffer.
        let mut side_start: Option<usize> = None;
        loop {
            let Some(&b) = self.buf.get(self.pos) else {
                rec.unclosed = Some((field, open_line));
                break;
            };
            match b {
                b'"' => {
                    if self.buf.get(self.pos + 1) == Some(&b'"') {
                        side_start.get_or_insert(rec.side.len());
                        rec.side.extend_from_slice(&self.buf[start..=self.pos]);
                        self.pos += 2;
                        start = self.pos;
                        continue;
                    }
                    break;
                }
                b'\n' | b'\r' => {
                    self.line_break();
                    rec.multiline.get_or_insert((field, open_line));
                    continue;
                }
                _ => rec.flags |= self.class[b as usize] & (HAS_NUL | HAS_NON_ASCII),
            }
            self.pos += 1;
        }
        let end = self.pos;
        if rec.unclosed.is_none() {
            self.pos += 1; // the closing quote
        }
        // Text after the closing quote belongs to the field.
        let after = self.pos;
        while let Some(&b) = self.buf.get(self.pos) {
            let c = self.class[b as usize];
            if c & STOP != 0 {
                break;
            }
            rec.flags |= c;
            self.pos += 1;
        }
        if side_start.is_none() && after == self.pos {
            rec.spans.push((start, end));
            return;
        }
        let s = *side_start.get_or_insert(rec.side.len());
        rec.side.extend_from_slice(&self.buf[start..end]);
        rec.side.extend_from_slice(&self.buf[after..self.pos]);
        rec.spans.push((s | SIDE, rec.side.len()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(data: &[u8], delimiter: u8) -> Vec<(u64, Vec<String>)> {
        let mut t = Tokenizer::new(data, 2, delimiter);
        let mut rec = CsvRecord::default();
        let mut out = Vec::new();
        while t.next_record(&mut rec) {
            let fields = (0..rec.len())
                .map(|i| String::from_utf8_lossy(rec.field(data, i)).into_owned())
                .collect();
            out.push((rec.line, fields));
        }
        out
    }

    #[test]
    fn fields_quotes_and_lines() {
        let data =
            b"1,\"a,b\",x\r\n\r\n2,\"say \"\"hi\"\"\",\"two\r\nlines\"\r\n3,\"q\"tail,\n4,5 \" 6,";
        let r = records(data, b',');
        assert_eq!(r[0], (2, vec!["1".into(), "a,b".into(), "x".into()]));
        assert_eq!(
            r[1],
            (
                4,
                vec!["2".into(), "say \"hi\"".into(), "two\r\nlines".into()]
            )
        );
        assert_eq!(r[2], (6, vec!["3".into(), "qtail".into(), "".into()]));
        assert_eq!(r[3], (7, vec!["4".into(), "5 \" 6".into(), "".into()]));
    }

    #[test]
    fn cr_only_lines_and_field_lines() {
        let data = b"1;\"a\rb\";c\r2;d;e\r";
        let mut t = Tokenizer::new(data, 2, b';');
        let mut rec = CsvRecord::default();
        assert!(t.next_record(&mut rec));
        assert_eq!((rec.line, rec.end_line), (2, 3));
        assert_eq!(rec.field_line(0), 2);
        assert_eq!(rec.field_line(2), 3);
        assert_eq!(rec.multiline, Some((1, 2)));
        assert!(t.next_record(&mut rec));
        assert_eq!(rec.line, 4);
        assert!(!t.next_record(&mut rec));
    }

    /// The one-load key of a field is the key of its trimmed text, whatever its length, its
    /// place in the block and the bytes around it.
    #[test]
    fn keys_read_in_one_load_equal_packed_trimmed_fields() {
        let data = b"1;NL;10;; 2 ;abcdefg;abcdefgh;\t\xc3\xa9;x\n7;\"q\";b";
        let mut t = Tokenizer::new(data, 2, b';');
        let mut rec = CsvRecord::default();
        while t.next_record(&mut rec) {
            let view = rec.view(data);
            for i in 0..rec.len() {
                let text = crate::text::number::trim(rec.field(data, i));
                assert_eq!(
                    view.key(i),
                    crate::input::lookup::pack(text),
                    "{:?}",
                    String::from_utf8_lossy(text)
                );
            }
        }
    }

    #[test]
    fn flags_and_unclosed_quotes() {
        let data = b"1,a\0b,\xc3\xa9\n2,\"open\nstill";
        let mut t = Tokenizer::new(data, 2, b',');
        let mut rec = CsvRecord::default();
        assert!(t.next_record(&mut rec));
        assert_eq!(rec.flags, HAS_NUL | HAS_NON_ASCII);
        assert!(t.next_record(&mut rec));
        assert_eq!(rec.unclosed, Some((1, 3)));
        assert_eq!(rec.field(data, 1), b"open\nstill");
    }
}
