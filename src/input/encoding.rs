//! Reading CSV text in another encoding than UTF-8 as the bytes stream in: [`Transcode`] turns a
//! single-byte encoding into UTF-8, [`Lenient`] reads UTF-8 where it is valid and Windows-1252
//! where it is not (a codebook draft, which does not know the encoding yet). A pipe is still read
//! once; UTF-8 files pass untouched (no adapter, no cost).

use crate::text::encoding::{push_decoded, Encoding};
use std::io::{self, Cursor, Read};

/// The bytes already read, the rest of the stream, and a note for the user.
pub type Utf8Stream = (Vec<u8>, Box<dyn Read + Send>, Option<String>);

/// A stream of input as UTF-8: as it is in UTF-8, else transcoded as it is read. A file that
/// starts with UTF-8's byte order mark is UTF-8 whatever the encoding asked for (Excel's "CSV
/// UTF-8" writes one): it is read as UTF-8, and the note says so.
pub fn utf8_stream(
    head: Vec<u8>,
    mut rest: Box<dyn Read + Send>,
    encoding: Encoding,
) -> io::Result<Utf8Stream> {
    if encoding == Encoding::Utf8 {
        return Ok((head, rest, None));
    }
    let mut start = head;
    super::source::fill_to(&mut rest, &mut start, 3)?;
    if start.starts_with(b"\xEF\xBB\xBF") {
        let note = format!(
            "the file starts with UTF-8's byte order mark, so it was read as UTF-8 rather than {} ([data] encoding or --encoding)",
            encoding.name()
        );
        return Ok((start, rest, Some(note)));
    }
    let stream = Transcode::new(Cursor::new(start).chain(rest), encoding);
    Ok((Vec::new(), Box::new(stream), None))
}

/// Bytes read per refill of the adapters below.
const CHUNK: usize = 64 * 1024;

/// Read from `inner` into `raw`, again when interrupted.
fn read_some(inner: &mut impl Read, raw: &mut [u8]) -> io::Result<usize> {
    loop {
        match inner.read(raw) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

/// Decoded bytes not yet handed to the reader.
#[derive(Default)]
struct Pending {
    out: Vec<u8>,
    at: usize,
}

impl Pending {
    fn is_empty(&self) -> bool {
        self.at == self.out.len()
    }

    /// Start over with an empty buffer to decode into.
    fn reset(&mut self) -> &mut Vec<u8> {
        self.out.clear();
        self.at = 0;
        &mut self.out
    }

    /// Hand as much as fits into `buf`.
    fn give(&mut self, buf: &mut [u8]) -> usize {
        let n = buf.len().min(self.out.len() - self.at);
        buf[..n].copy_from_slice(&self.out[self.at..self.at + n]);
        self.at += n;
        n
    }
}

/// A stream in a single-byte encoding, read as UTF-8.
pub struct Transcode<R> {
    inner: R,
    encoding: Encoding,
    raw: Vec<u8>,
    pending: Pending,
}

impl<R: Read> Transcode<R> {
    pub fn new(inner: R, encoding: Encoding) -> Self {
        Transcode {
            inner,
            encoding,
            raw: vec![0; CHUNK],
            pending: Pending::default(),
        }
    }
}

impl<R: Read> Read for Transcode<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pending.is_empty() {
            let n = read_some(&mut self.inner, &mut self.raw)?;
            let out = self.pending.reset();
            if n == 0 {
                return Ok(0);
            }
            push_decoded(self.encoding, &self.raw[..n], out);
        }
        Ok(self.pending.give(buf))
    }
}

/// What [`Lenient`] saw: the first line with a byte that is not UTF-8, and whether the stream also
/// holds UTF-8 beyond ASCII (then it mixes two encodings and no single one fits).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Seen {
    pub first_invalid_line: Option<u64>,
    pub utf8_beyond_ascii: bool,
}

/// A stream read as UTF-8 where it is valid and as Windows-1252 byte by byte where it is not: how
/// a codebook draft reads a file whose encoding it does not know. [`Lenient::seen`] tells what it
/// met, so the draft can say which encoding the file is in.
pub struct Lenient<R> {
    inner: R,
    raw: Vec<u8>,
    /// Bytes of an unfinished UTF-8 sequence at the end of the last read.
    carry: Vec<u8>,
    pending: Pending,
    line: u64,
    seen: Seen,
}

impl<R: Read> Lenient<R> {
    pub fn new(inner: R) -> Self {
        Lenient {
            inner,
            raw: vec![0; CHUNK],
            carry: Vec::new(),
            pending: Pending::default(),
            line: 1,
            seen: Seen::default(),
        }
    }

    pub fn seen(&self) -> Seen {
        self.seen
    }

    /// Decode `bytes` (the carry first); an unfinished sequence at the end is kept unless `last`.
    fn decode(&mut self, bytes: &[u8], last: bool) {
        let mut data = std::mem::take(&mut self.carry);
        data.extend_from_slice(bytes);
        let mut rest = &data[..];
        while !rest.is_empty() {
            match std::str::from_utf8(rest) {
                Ok(s) => {
                    self.take_valid(s.as_bytes());
                    break;
                }
                Err(e) => {
                    let (valid, after) = rest.split_at(e.valid_up_to());
                    self.take_valid(valid);
                    match e.error_len() {
                        None if !last => {
                            self.carry.extend_from_slice(after);
                            break;
                        }
                        len => {
                            let len = len.unwrap_or(after.len()).min(after.len());
                            if self.seen.first_invalid_line.is_none() {
                                self.seen.first_invalid_line = Some(self.line);
                            }
                            push_decoded(
                                Encoding::Windows1252,
                                &after[..len],
                                &mut self.pending.out,
                            );
                            rest = &after[len..];
                        }
                    }
                }
            }
        }
    }

    fn take_valid(&mut self, valid: &[u8]) {
        if !valid.is_ascii() {
            self.seen.utf8_beyond_ascii = true;
        }
        self.line += memchr::memchr_iter(b'\n', valid).count() as u64;
        self.pending.out.extend_from_slice(valid);
    }
}

impl<R: Read> Read for Lenient<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pending.is_empty() {
            let n = read_some(&mut self.inner, &mut self.raw)?;
            self.pending.reset();
            if n == 0 {
                if self.carry.is_empty() {
                    return Ok(0);
                }
                self.decode(&[], true);
                continue;
            }
            let raw = std::mem::take(&mut self.raw);
            self.decode(&raw[..n], false);
            self.raw = raw;
        }
        Ok(self.pending.give(buf))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(mut r: impl Read) -> String {
        let mut s = String::new();
        r.read_to_string(&mut s).unwrap();
        s
    }

    #[test]
    fn a_stream_in_windows_1252_reads_as_utf_8() {
        let bytes = b"caf\xe9;\x80 5;\x92t;\xc9\xe9n keer\n";
        let s = read_all(Transcode::new(Trickle(&bytes[..]), Encoding::Windows1252));
        assert_eq!(s, "café;€ 5;’t;Één keer\n");
    }

    /// A reader that gives one byte at a time, so sequences are cut everywhere.
    struct Trickle<'a>(&'a [u8]);
    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.0.is_empty() || buf.is_empty() {
                return Ok(0);
            }
            buf[0] = self.0[0];
            self.0 = &self.0[1..];
            Ok(1)
        }
    }

    #[test]
    fn lenient_reads_utf_8_and_falls_back_per_byte() {
        let mut r = Lenient::new(Trickle("a;é\nb;€\n".as_bytes()));
        assert_eq!(read_all(&mut r), "a;é\nb;€\n");
        assert_eq!(
            r.seen(),
            Seen {
                first_invalid_line: None,
                utf8_beyond_ascii: true
            }
        );
        let mut r = Lenient::new(Trickle(b"a;b\nc;caf\xe9\n\x80;\xc3"));
        assert_eq!(read_all(&mut r), "a;b\nc;café\n€;Ã");
        assert_eq!(r.seen().first_invalid_line, Some(2));
        assert!(!r.seen().utf8_beyond_ascii);
    }
}
