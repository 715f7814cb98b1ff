//! Drafting a codebook from a CSV file: the delimiter sniffed outside quoted fields (or given),
//! then every row streamed as text cells into the column profiles (the whole file is read, so
//! every code that occurs is declared and the draft runs as it is).
//!
//! The input is read once, as a stream, through the input layer ([`crate::input::source`]): the
//! bytes sniffed are kept and read again from memory, so a pipe or a FIFO drafts the same
//! codebook as the file.

use super::profile::TableProfile;
use super::sniff::{detect_delimiter, shown};
use super::table::draft_profile;
use super::{Draft, EncodingSetting, Setting};
use crate::error::{Error, Result};
use crate::input::encoding::{Lenient, Seen};
use crate::text::encoding::Encoding;
use std::io::{BufReader, Cursor, Read};
use std::path::Path;

/// How much of the start of the file the delimiter is sniffed from.
const HEAD: usize = 64 * 1024;

/// How the file is written, when the user says so (`--delimiter`, `--decimal`).
#[derive(Debug, Clone, Copy, Default)]
pub struct CsvOptions {
    pub delimiter: Option<u8>,
    pub decimal: Option<u8>,
}

pub fn draft_csv(path: &Path, options: &CsvOptions) -> Result<Draft> {
    // The input as parked by the format check (a pipe's first bytes included), read once.
    let (first, rest) = crate::input::source::take(path)?.into_stream()?;
    let mut input = Cursor::new(first).chain(rest);
    let (start, bom) = read_start(path, &mut input)?;
    let complete = start.len() - bom <= HEAD;
    let head = &start[bom..start.len().min(bom + HEAD)];
    let delimiter = match options.delimiter {
        Some(d) => Setting {
            value: d,
            why: "as given (--delimiter)".into(),
        },
        None => Setting {
            value: detect_delimiter(&String::from_utf8_lossy(head), complete),
            why: "detected (counted outside quoted fields)".into(),
        },
    };
    // With `,` between fields, numbers cannot use `,` as their decimal mark.
    let decimal = match options.decimal {
        Some(d) if d == delimiter.value => {
            return Err(Error::Usage(format!(
            "{}: the decimal mark '{}' is also the delimiter; give the delimiter with --delimiter",
            path.display(),
            d as char
        )))
        }
        Some(d) => Some(d),
        None if delimiter.value == b',' => Some(b'.'),
        None => None,
    };
    // The rows from the first byte after the byte order mark: the bytes read, then the rest,
    // as UTF-8 where they are and as Windows-1252 where they are not.
    let mut replay = Cursor::new(start);
    replay.set_position(bom as u64);
    let mut rows = Lenient::new(replay.chain(input));
    let (header, profile) = profile_csv(path, &mut rows, delimiter.value)?;
    if profile.rows == 0 {
        return Err(Error::data_file(
            path,
            "no data rows to draft a codebook from",
        ));
    }
    let title = path
        .file_stem()
        .map_or("Enquête".into(), |s| s.to_string_lossy().into_owned());
    let (mut draft, mark) = draft_profile(
        &header,
        &profile,
        &title,
        &path.display().to_string(),
        decimal,
    );
    if header.len() == 1 {
        draft.notes.push(format!(
            "The header has a single column with the delimiter '{}': if the file has more, give \
             it with --delimiter (check)",
            shown(delimiter.value)
        ));
    }
    draft.decimal = (mark != b'.').then(|| Setting {
        value: mark,
        why: if options.decimal.is_some() {
            "as given (--decimal)".into()
        } else {
            "detected".into()
        },
    });
    draft.delimiter = (delimiter.value != b',').then_some(delimiter);
    encoding_of(&mut draft, rows.seen());
    Ok(draft)
}

/// The encoding the draft says: Windows-1252 when some bytes are not UTF-8 and none are UTF-8
/// beyond ASCII (what Dutch Excel writes); a file that mixes both gets a note instead.
fn encoding_of(draft: &mut Draft, seen: Seen) {
    let Some(line) = seen.first_invalid_line else {
        return;
    };
    if seen.utf8_beyond_ascii {
        draft.notes.push(format!(
            "Line {line} holds bytes that are not UTF-8 while other lines are UTF-8: the file mixes two encodings; save it again as UTF-8 (codes with accents were read as Windows-1252 there) (check)"
        ));
    } else {
        draft.encoding = Some(EncodingSetting {
            value: Encoding::Windows1252,
            why: format!("detected: line {line} is not UTF-8 (check)"),
        });
    }
}

fn read_error(path: &Path, e: std::io::Error) -> Error {
    Error::read(path, e)
}

/// The first bytes of the input (its byte order mark, then up to `HEAD + 1` more), and the
/// length of the mark (0 or 3). A NUL byte there means a binary file: an error rather than a
/// draft of nonsense.
fn read_start(path: &Path, input: &mut impl Read) -> Result<(Vec<u8>, usize)> {
    let mut start = Vec::with_capacity(HEAD + 4);
    input
        .take(HEAD as u64 + 4)
        .read_to_end(&mut start)
        .map_err(|e| read_error(path, e))?;
    let bom = if start.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let head = &start[bom..start.len().min(bom + HEAD)];
    if let Some(i) = memchr::memchr(0, head) {
        return Err(Error::data_file(
            path,
            format!("not a CSV text file: a NUL byte at byte offset {i}"),
        ));
    }
    Ok((start, bom))
}

/// A reader that stops with an error at a line longer than the longest record a CSV file may
/// have: the csv crate holds a record whole, so a file that is one 2 GiB line took 12 GB to
/// draft (and gave a draft no reader would accept), where reading it refuses it at once.
struct LineCap<R> {
    inner: R,
    run: usize,
}

impl<R: Read> Read for LineCap<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        for &b in &buf[..n] {
            if b == b'\n' || b == b'\r' {
                self.run = 0;
            } else {
                self.run += 1;
                if self.run > crate::input::csv::MAX_RECORD {
                    return Err(std::io::Error::other(format!(
                        "a line longer than {} MiB, more than a record may be (the file has no \
                         line breaks, or is not a CSV file)",
                        crate::input::csv::MAX_RECORD >> 20
                    )));
                }
            }
        }
        Ok(n)
    }
}

/// The raw header cells and the profile of every column, reading the rows once (as UTF-8 text).
fn profile_csv(path: &Path, rows: impl Read, delimiter: u8) -> Result<(Vec<String>, TableProfile)> {
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(BufReader::new(LineCap {
            inner: rows,
            run: 0,
        }));
    let mut record = ::csv::ByteRecord::new();
    let mut header: Option<Vec<String>> = None;
    let mut profile = TableProfile::new(0);
    while reader
        .read_byte_record(&mut record)
        .map_err(|e| Error::data_file(path, format!("cannot read: {e}")))?
    {
        // The lenient reader gives UTF-8 only.
        let cells: Vec<&str> = record
            .iter()
            .map(|c| std::str::from_utf8(c).unwrap_or_default())
            .collect();
        match &header {
            None => {
                let names: Vec<String> = cells.iter().map(|c| c.to_string()).collect();
                profile = TableProfile::for_header(&names);
                header = Some(names);
            }
            Some(_) => profile.add_row(cells.iter().copied()),
        }
    }
    let header = header.ok_or_else(|| Error::data_file(path, "the file is empty (no header)"))?;
    Ok((header, profile))
}
