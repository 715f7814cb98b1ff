//! The CSV pass: the header, then blocks of complete records dealt out to the lanes.
//!
//! The reader reads the input once, as a stream (a pipe or FIFO works as well as a file), in
//! blocks of [`BLOCK`] bytes. It cuts each block after its last complete record
//! ([`split::Splitter`]) and counts its lines, so each lane knows the line its block starts on.
//! A record may span blocks (a long quoted field) up to [`MAX_RECORD`] bytes; the header up to
//! [`MAX_HEADER`]. Past that the input is refused, so that a file without line breaks (a
//! zero-filled file, `/dev/zero`) or a quote that never closes ends quickly with a message.

pub mod record;
pub mod split;

use super::header::column_names;
use super::lanes::{join_lanes, work, Chunk, LANES};
use super::plan::Plan;
use super::scan::{finish, Lane, RowSink, Scan, ScanOptions};
use super::source::{fill_to, Source};
use crate::codebook::Codebook;
use crate::input::error::{DataProblems, Error, Result, RowProblem};
use crate::text::position::count_lines;
use record::{CsvRecord, Tokenizer};
use split::Splitter;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{sync_channel, SyncSender};

/// Bytes per block handed to a lane.
const BLOCK: usize = 1 << 20;
/// The longest header accepted.
pub const MAX_HEADER: usize = 1 << 20;
/// The longest record accepted (a legitimate one is a few kilobytes).
pub const MAX_RECORD: usize = 16 << 20;

/// Read a CSV file once: the header, then every record on two lanes.
pub fn scan_csv<S, F>(
    source: Source,
    codebook: &Codebook,
    opts: ScanOptions,
    make_sink: F,
) -> Result<Scan<S>>
where
    S: RowSink,
    F: Fn() -> S,
{
    let path = source.path.clone();
    let progress = opts
        .progress
        .clone()
        .unwrap_or_else(indicatif::ProgressBar::hidden);
    progress.set_length(source.len.unwrap_or(0));
    let delimiter = codebook.format.delimiter;
    let (head, input) = source.into_stream()?;
    let (head, input, bom_note) =
        super::encoding::utf8_stream(head, input, codebook.format.encoding).map_err(|e| {
            Error::Read {
                path: path.clone(),
                source: e,
            }
        })?;
    let mut reader = BlockReader {
        path: path.clone(),
        input,
        pending: head,
        splitter: Splitter::new(delimiter),
        eof: false,
        line: 1,
        delimiter,
        progress: progress.clone(),
        header: Vec::new(),
    };
    let raw = reader.header()?;
    let (header, mut notes) = column_names(&raw);
    notes.extend(bom_note);
    let (mut plan, absent_columns) =
        Plan::new(codebook, header, opts.allow_absent).map_err(|m| Error::header(&path, m))?;
    plan.keep_id = opts.keep_id;

    let lanes = std::thread::scope(|scope| -> Result<Vec<Lane<S>>> {
        let mut senders: Vec<SyncSender<Chunk>> = Vec::new();
        let (recycle_tx, recycle_rx) = sync_channel::<Chunk>(LANES * 3);
        let mut handles = Vec::new();
        for _ in 0..LANES {
            let (tx, rx) = sync_channel::<Chunk>(2);
            senders.push(tx);
            let (sink, plan, recycle) = (make_sink(), &plan, recycle_tx.clone());
            handles.push(scope.spawn(move || work(plan, rx, recycle, sink, delimiter)));
        }
        drop(recycle_tx);
        let mut lane = 0;
        let mut result = Ok(());
        loop {
            let spare = match recycle_rx.try_recv() {
                Ok(Chunk::Csv(b, _)) => b,
                _ => Vec::with_capacity(BLOCK * 2),
            };
            match reader.next_block(spare) {
                Ok(Some((block, first_line))) => {
                    if senders[lane].send(Chunk::Csv(block, first_line)).is_err() {
                        break; // the worker died; its join below reports it
                    }
                    lane = (lane + 1) % LANES;
                }
                Ok(None) => break,
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        }
        drop(senders);
        let lanes = join_lanes(&path, handles)?;
        result.map(|_| lanes)
    })?;
    progress.finish_and_clear();
    finish(&path, plan, absent_columns, lanes, "line".into(), notes)
}

/// Reads the input in blocks that end at record boundaries.
struct BlockReader {
    path: PathBuf,
    input: Box<dyn Read + Send>,
    /// Bytes read and not yet handed on; they start at a record boundary.
    pending: Vec<u8>,
    splitter: Splitter,
    eof: bool,
    /// The line of the first byte of `pending`.
    line: u64,
    delimiter: u8,
    progress: indicatif::ProgressBar,
    /// The header's cells, once read (to name columns in messages).
    header: Vec<String>,
}

impl BlockReader {
    /// Read up to `more` bytes onto `pending`.
    fn read_more(&mut self, more: usize) -> Result<()> {
        let before = self.pending.len();
        fill_to(&mut self.input, &mut self.pending, before + more).map_err(|e| Error::Read {
            path: self.path.clone(),
            source: e,
        })?;
        let got = self.pending.len() - before;
        // The end is a read that gives nothing (a pipe may give less than asked before it).
        self.eof = got == 0;
        self.progress.inc(got as u64);
        Ok(())
    }

    /// The header's cells, checked to be text; `pending` then starts at the first data line.
    fn header(&mut self) -> Result<Vec<String>> {
        self.read_more(BLOCK)?;
        check_looks_like_text(&self.path, &self.pending)?;
        if self.pending.starts_with(b"\xEF\xBB\xBF") {
            self.pending.drain(..3); // Excel's byte order mark
        }
        self.splitter.first_only(true);
        let end = loop {
            self.splitter.advance(&self.pending, self.eof);
            if let Some(end) = self.splitter.last_end() {
                break end;
            }
            if self.eof {
                break self.pending.len();
            }
            if self.pending.len() > MAX_HEADER {
                return Err(self.too_long(MAX_HEADER, "the header"));
            }
            self.read_more(BLOCK)?;
        };
        self.splitter.first_only(false);
        let bytes = &self.pending[..end];
        let mut tokens = Tokenizer::new(bytes, 1, self.delimiter);
        let mut rec = CsvRecord::default();
        if !tokens.next_record(&mut rec) {
            return Err(Error::data_file(
                &self.path,
                "line 1 is empty; expected a header line followed by one line per respondent",
            ));
        }
        let cells = header_cells(&self.path, bytes, &rec)?;
        self.line = tokens.line();
        self.pending.drain(..end);
        self.splitter.cut(end);
        self.refuse_binary(&cells)?;
        self.header = cells.clone();
        Ok(cells)
    }

    /// A NUL byte in the first block read makes the file binary, not text with a bad row:
    /// refused before its header is matched with the codebook, with the place of the byte.
    /// (Later NUL bytes are problems of their rows.)
    fn refuse_binary(&self, header: &[String]) -> Result<()> {
        if memchr::memchr(0, &self.pending).is_none() {
            return Ok(());
        }
        let mut tokens = Tokenizer::new(&self.pending, self.line, self.delimiter);
        let mut rec = CsvRecord::default();
        while tokens.next_record(&mut rec) {
            if rec.flags & record::HAS_NUL == 0 {
                continue;
            }
            for i in 0..rec.len() {
                let f = rec.field(&self.pending, i);
                if let Some(at) = memchr::memchr(0, f) {
                    return Err(positioned(
                        &self.path,
                        rec.field_line(i),
                        Some(column_name(header, i)),
                        Some(String::from_utf8_lossy(f).into_owned()),
                        format!(
                            "text, but byte {} of the field is a NUL byte: this is not a CSV \
                             text file (binary data, or UTF-16?)",
                            at + 1
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    /// The next block of complete records and the line it starts on; `None` at the end.
    fn next_block(&mut self, mut spare: Vec<u8>) -> Result<Option<(Vec<u8>, u64)>> {
        loop {
            if self.pending.is_empty() && self.eof {
                return Ok(None);
            }
            // Each round reads a block more and cuts after the last complete record, so blocks
            // (and with them each lane's share and the digits of its sums) are as they were.
            if !self.eof {
                self.read_more(BLOCK)?;
                if self.pending.len() < BLOCK && !self.eof {
                    continue;
                }
            }
            self.splitter.advance(&self.pending, self.eof);
            let cut = match (self.eof, self.splitter.last_end()) {
                (true, _) => self.pending.len(),
                (false, Some(c)) => c,
                (false, None) if self.pending.len() > MAX_RECORD => {
                    return Err(self.too_long(MAX_RECORD, "a record"));
                }
                // One record longer than a block: read on (the scan resumes, not restarts).
                (false, None) => continue,
            };
            spare.clear();
            spare.extend_from_slice(&self.pending[cut..]);
            let mut block = std::mem::replace(&mut self.pending, spare);
            block.truncate(cut);
            self.splitter.cut(cut);
            let first = self.line;
            self.line += count_lines(&block);
            return Ok(Some((block, first)));
        }
    }

    /// The error for a header or record longer than `limit` bytes: where it starts, and where a
    /// quote that never closed opened.
    fn too_long(&self, limit: usize, what: &str) -> Error {
        let to_line = self.line + count_lines(&self.pending);
        let mb = limit >> 20;
        let (line, column, why) = match self.splitter.open_quote() {
            Some(q) => {
                let mut rec = CsvRecord::default();
                Tokenizer::new(&self.pending[..q], self.line, self.delimiter).next_record(&mut rec);
                let at = self.line + count_lines(&self.pending[..q]);
                (
                    at,
                    Some(column_name(&self.header, rec.len().max(1) - 1)),
                    format!(
                        "a quoted field that closes: the quote that opens here runs on for more \
                         than {mb} MiB (past line {to_line}) without closing. A stray quote?"
                    ),
                )
            }
            None if memchr::memchr(0, &self.pending).is_some() => (
                self.line,
                None,
                format!(
                    "text: {what} runs on for more than {mb} MiB and holds NUL bytes; \
                     this is not a CSV text file"
                ),
            ),
            None => (
                self.line,
                None,
                format!(
                    "a line break: {what} runs on for more than {mb} MiB without one \
                     (past line {to_line}); not a CSV file?"
                ),
            ),
        };
        positioned(&self.path, line, column, None, why)
    }
}

/// The header's name of column `i` (0-based), or its position when the header is shorter.
fn column_name(header: &[String], i: usize) -> String {
    match header.get(i) {
        Some(h) if !h.is_empty() => h.clone(),
        _ => format!("field {}", i + 1),
    }
}

/// One positioned problem that makes the whole file unreadable.
fn positioned(
    path: &Path,
    line: u64,
    column: Option<String>,
    value: Option<String>,
    expected: String,
) -> Error {
    Error::Data(Box::new(DataProblems {
        path: path.to_path_buf(),
        problems: vec![RowProblem {
            line,
            column,
            value,
            expected: format!("expected {expected}"),
        }],
        total: 1,
        rows: 1,
        ..Default::default()
    }))
}

/// The header's cells as text: each must be UTF-8 without NUL bytes, and its quotes closed.
fn header_cells(path: &Path, bytes: &[u8], rec: &CsvRecord) -> Result<Vec<String>> {
    if let Some((f, _)) = rec.unclosed {
        return Err(positioned(
            path,
            rec.field_line(f),
            Some(format!("header field {}", f + 1)),
            Some(String::from_utf8_lossy(rec.field(bytes, f)).into_owned()),
            "a header whose quotes close: the quote that opens this field never closes".into(),
        ));
    }
    let mut names = Vec::with_capacity(rec.len());
    for i in 0..rec.len() {
        let f = rec.field(bytes, i);
        let why = match (memchr::memchr(0, f), std::str::from_utf8(f)) {
            (None, Ok(s)) => {
                names.push(s.trim().to_string());
                continue;
            }
            (Some(at), _) => format!(
                "a column name, but byte {} of the field is a NUL byte: not a text file \
                 (binary data, or UTF-16?)",
                at + 1
            ),
            (None, Err(e)) => format!(
                "a column name in UTF-8, but byte {} of the field (0x{:02X}) is not UTF-8; save \
                 the file as UTF-8",
                e.valid_up_to() + 1,
                f[e.valid_up_to()]
            ),
        };
        return Err(positioned(
            path,
            rec.field_line(i),
            Some(format!("header field {}", i + 1)),
            Some(String::from_utf8_lossy(f).into_owned()),
            why,
        ));
    }
    Ok(names)
}

/// Refuse files that are clearly not CSV text, with a message that says what they seem to be.
fn check_looks_like_text(path: &Path, head: &[u8]) -> Result<()> {
    if head.is_empty() {
        return Err(Error::data_file(
            path,
            "the file is empty; expected a header line followed by one line per respondent",
        ));
    }
    let what = if head.starts_with(b"\x89PNG") || head.starts_with(b"%PDF") {
        Some("an image or PDF")
    } else if head.starts_with(b"\xD0\xCF\x11\xE0") {
        Some("an old Excel workbook (.xls) or another OLE file; save it as .xlsx or CSV")
    } else if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        Some("UTF-16 text; save it as UTF-8")
    } else if head.starts_with(b"\x1F\x8B") {
        Some("a gzip archive; unpack it first")
    } else {
        None
    };
    match what {
        Some(w) => Err(Error::data_file(
            path,
            format!("this is {w}, not a CSV file"),
        )),
        None => Ok(()),
    }
}
