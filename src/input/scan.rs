//! One streaming pass over a CSV file on two worker threads.
//!
//! The reader thread cuts the file into blocks at record boundaries (never inside a quoted field),
//! and deals them out round-robin to two workers, each with its own decoder and sink (per-stratum
//! sums). Because the blocks and their assignment depend only on the file's bytes, the partial
//! sums, and so every printed digit, are the same on every run and every machine. Memory is a
//! few blocks in flight, whatever the number of rows.

use super::decode::{DecodedRow, Decoder, UnitInterner};
use super::plan::Plan;
use crate::codebook::Codebook;
use crate::error::{DataProblems, Error, Result, RowProblem};
use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

/// Bytes per block handed to a worker.
const BLOCK: usize = 1 << 20;
/// Fixed number of lanes (worker threads); fixed so that results do not depend on the machine.
pub const LANES: usize = 2;

/// Receives every valid decoded row of one lane.
pub trait RowSink: Send {
    fn row(&mut self, row: &DecodedRow);
}

/// A sink that keeps nothing (for `validate`).
impl RowSink for () {
    fn row(&mut self, _row: &DecodedRow) {}
}

/// What one lane saw.
pub struct Lane<S> {
    pub sink: S,
    pub units: UnitInterner,
    pub rows_read: u64,
    pub rows_valid: u64,
    pub invalid_rows: u64,
    pub problems_total: u64,
    /// The lane's first problems in file order, at most [`DataProblems::CAP`].
    pub problems: Vec<RowProblem>,
    pub outside_bins: Vec<u64>,
}

/// The result of a pass: the resolved plan, each lane's partial results, and totals.
pub struct Scan<S> {
    pub plan: Plan,
    pub absent_columns: Vec<String>,
    pub lanes: Vec<Lane<S>>,
    pub rows_read: u64,
    pub rows_valid: u64,
    pub invalid_rows: u64,
    pub problems: DataProblems,
    /// Per variable: rows whose value fell outside every bin (bins variables only).
    pub outside_bins: Vec<u64>,
}

#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    /// Treat codebook columns missing from the header as "not asked" instead of an error.
    pub allow_absent: bool,
    /// A progress bar to advance over the file's bytes (drawn only on a terminal).
    pub progress: Option<indicatif::ProgressBar>,
    /// Keep each row's respondent id ([`DecodedRow::id`]).
    pub keep_id: bool,
}

/// Read the whole file once. Header problems are errors; row problems are collected (capped)
/// in [`Scan::problems`] and the rows left out of the sinks.
pub fn scan<S, F>(
    path: &Path,
    codebook: &Codebook,
    opts: ScanOptions,
    make_sink: F,
) -> Result<Scan<S>>
where
    S: RowSink,
    F: Fn() -> S,
{
    if super::spss::is_spss(path) {
        return scan_spss(path, codebook, opts, make_sink);
    }
    let read_err = |e: std::io::Error| Error::Read {
        path: path.to_path_buf(),
        source: e,
    };
    let mut file = File::open(path).map_err(read_err)?;
    let file_len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let delimiter = codebook.format.delimiter;

    // The header: read until its end (a newline outside quotes).
    let mut buf: Vec<u8> = Vec::with_capacity(BLOCK);
    let header_end = loop {
        let n = fill(&mut file, &mut buf, BLOCK).map_err(read_err)?;
        if let Some(end) = first_record_end(&buf, delimiter) {
            break end;
        }
        if n == 0 {
            break buf.len();
        }
    };
    check_looks_like_text(path, &buf)?;
    let header = parse_header(path, &buf[..header_end], delimiter)?;
    let (mut plan, absent_columns) =
        Plan::new(codebook, header, opts.allow_absent).map_err(|m| Error::header(path, m))?;
    plan.keep_id = opts.keep_id;
    let read_so_far = buf.len() as u64;
    let leftover = buf.split_off(header_end);

    let progress = opts
        .progress
        .clone()
        .unwrap_or_else(indicatif::ProgressBar::hidden);
    progress.set_length(file_len);
    progress.inc(read_so_far);

    let lanes = std::thread::scope(|scope| -> Result<Vec<Lane<S>>> {
        let mut senders: Vec<SyncSender<Chunk>> = Vec::new();
        let (recycle_tx, recycle_rx) = sync_channel::<Vec<u8>>(LANES * 3);
        let mut handles = Vec::new();
        for _ in 0..LANES {
            let (tx, rx) = sync_channel::<Chunk>(2);
            senders.push(tx);
            let sink = make_sink();
            let plan = &plan;
            let recycle = recycle_tx.clone();
            handles.push(scope.spawn(move || work(plan, rx, recycle, sink, delimiter)));
        }
        drop(recycle_tx);

        // The reader: deal out blocks round-robin; the first data line is line 2.
        let mut line = 2u64;
        let mut pending = leftover;
        let mut lane = 0;
        let mut eof = false;
        let mut read_error = None;
        while !(eof && pending.is_empty()) {
            if !eof {
                match fill(&mut file, &mut pending, BLOCK) {
                    Ok(0) => eof = true,
                    Ok(n) => progress.inc(n as u64),
                    Err(e) => {
                        read_error = Some(e);
                        break;
                    }
                }
                if pending.len() < BLOCK && !eof {
                    continue;
                }
            }
            let cut = if eof {
                pending.len()
            } else {
                match last_record_end(&pending, delimiter) {
                    Some(c) => c,
                    None => continue, // one record longer than a block: read more
                }
            };
            let mut next = recycle_rx
                .try_recv()
                .unwrap_or_else(|_| Vec::with_capacity(BLOCK * 2));
            next.clear();
            next.extend_from_slice(&pending[cut..]);
            pending.truncate(cut);
            let lines = memchr::memchr_iter(b'\n', &pending).count() as u64;
            if senders[lane].send(Chunk::Csv(pending, line)).is_err() {
                break; // the worker died; its join below reports it
            }
            line += lines;
            lane = (lane + 1) % LANES;
            pending = next;
        }
        drop(senders);
        let lanes = join_lanes(path, handles)?;
        if let Some(e) = read_error {
            return Err(read_err(e));
        }
        Ok(lanes)
    })?;
    progress.finish_and_clear();
    finish(path, plan, absent_columns, lanes, "line")
}

/// Records per chunk handed to a lane when reading SPSS files.
const SPSS_CHUNK: usize = 4096;

/// The same pass over an SPSS file: one thread reads batches and turns them into text
/// records, two lanes decode and sum them. Options that only concern CSV are ignored.
fn scan_spss<S, F>(
    path: &Path,
    codebook: &Codebook,
    opts: ScanOptions,
    make_sink: F,
) -> Result<Scan<S>>
where
    S: RowSink,
    F: Fn() -> S,
{
    let mut reader = super::spss::SpssRecords::open(path, codebook)?;
    let mut as_text = codebook.clone();
    as_text.format = crate::codebook::DataFormat::default();
    let (mut plan, absent_columns) = Plan::new(&as_text, reader.header.clone(), opts.allow_absent)
        .map_err(|m| Error::header(path, m))?;
    plan.keep_id = opts.keep_id;
    let progress = opts
        .progress
        .clone()
        .unwrap_or_else(indicatif::ProgressBar::hidden);
    let lanes = std::thread::scope(|scope| -> Result<Vec<Lane<S>>> {
        let (recycle_tx, _recycle_rx) = sync_channel::<Vec<u8>>(1);
        let mut senders: Vec<SyncSender<Chunk>> = Vec::new();
        let mut handles = Vec::new();
        for _ in 0..LANES {
            let (tx, rx) = sync_channel::<Chunk>(2);
            senders.push(tx);
            let sink = make_sink();
            let plan = &plan;
            let recycle = recycle_tx.clone();
            handles.push(scope.spawn(move || work(plan, rx, recycle, sink, b',')));
        }
        let mut case = 1u64;
        let mut lane = 0;
        let mut read_error = None;
        loop {
            let mut records = Vec::with_capacity(SPSS_CHUNK);
            match reader.next_chunk(&mut records, SPSS_CHUNK) {
                Ok(0) => break,
                Ok(n) => {
                    records.truncate(n);
                    progress.inc(n as u64);
                    if senders[lane].send(Chunk::Records(records, case)).is_err() {
                        break;
                    }
                    case += n as u64;
                    lane = (lane + 1) % LANES;
                }
                Err(e) => {
                    read_error = Some(e);
                    break;
                }
            }
        }
        drop(senders);
        let lanes = join_lanes(path, handles)?;
        match read_error {
            Some(e) => Err(e),
            None => Ok(lanes),
        }
    })?;
    progress.finish_and_clear();
    finish(path, plan, absent_columns, lanes, "case")
}

/// Wait for the lanes, in lane order.
fn join_lanes<S>(
    path: &Path,
    handles: Vec<std::thread::ScopedJoinHandle<'_, Lane<S>>>,
) -> Result<Vec<Lane<S>>> {
    handles
        .into_iter()
        .map(|h| {
            h.join().map_err(|_| {
                Error::data_file(
                    path,
                    "internal error: a worker thread failed (please report this)",
                )
            })
        })
        .collect()
}

/// Totals and problems of all lanes.
fn finish<S>(
    path: &Path,
    plan: Plan,
    absent_columns: Vec<String>,
    lanes: Vec<Lane<S>>,
    record: &'static str,
) -> Result<Scan<S>> {
    let mut problems = DataProblems {
        path: path.to_path_buf(),
        record,
        ..Default::default()
    };
    let mut all: Vec<RowProblem> = Vec::new();
    let (mut rows_read, mut rows_valid, mut invalid_rows) = (0, 0, 0);
    let mut outside_bins = vec![0u64; plan.n_vars()];
    for l in &lanes {
        rows_read += l.rows_read;
        rows_valid += l.rows_valid;
        invalid_rows += l.invalid_rows;
        problems.total += l.problems_total;
        all.extend(l.problems.iter().cloned());
        for (o, x) in outside_bins.iter_mut().zip(&l.outside_bins) {
            *o += x;
        }
    }
    // Each lane kept its first CAP problems, so the first CAP overall are among them.
    all.sort_by_key(|p| p.line);
    all.truncate(DataProblems::CAP);
    problems.problems = all;
    problems.rows = invalid_rows;
    if rows_read == 0 {
        return Err(Error::data_file(
            path,
            "no data rows: the file has a header line but no respondents",
        ));
    }
    Ok(Scan {
        plan,
        absent_columns,
        lanes,
        rows_read,
        rows_valid,
        invalid_rows,
        problems,
        outside_bins,
    })
}

/// What a lane is handed: a block of CSV bytes (with its first line number) or decoded text
/// records of another format (with the number of the first case).
pub enum Chunk {
    Csv(Vec<u8>, u64),
    Records(Vec<csv::ByteRecord>, u64),
}

fn work<S: RowSink>(
    plan: &Plan,
    rx: Receiver<Chunk>,
    recycle: SyncSender<Vec<u8>>,
    mut sink: S,
    delimiter: u8,
) -> Lane<S> {
    let mut decoder = Decoder::new(plan);
    let mut row = decoder.new_row();
    let mut record = csv::ByteRecord::new();
    let mut row_problems = Vec::new();
    let mut lane = Counts::default();
    let mut handle = |record: &csv::ByteRecord, line: u64, lane: &mut Counts| {
        lane.rows_read += 1;
        row_problems.clear();
        if decoder.decode(record, line, &mut row, &mut row_problems) {
            lane.rows_valid += 1;
            sink.row(&row);
        } else {
            lane.invalid_rows += 1;
            lane.problems_total += row_problems.len() as u64;
            for p in row_problems.drain(..) {
                if lane.problems.len() < DataProblems::CAP {
                    lane.problems.push(p);
                }
            }
        }
    };
    for chunk in rx {
        match chunk {
            Chunk::Csv(block, first_line) => {
                let mut reader = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .delimiter(delimiter)
                    .from_reader(block.as_slice());
                // Reading bytes from a slice cannot fail; csv-core accepts any byte sequence.
                while reader.read_byte_record(&mut record).unwrap_or(false) {
                    let line = first_line + record.position().map_or(1, |p| p.line()) - 1;
                    handle(&record, line, &mut lane);
                }
                drop(reader);
                let _ = recycle.try_send(block);
            }
            Chunk::Records(records, first_case) => {
                for (k, rec) in records.iter().enumerate() {
                    handle(rec, first_case + k as u64, &mut lane);
                }
            }
        }
    }
    let units = decoder.units;
    let outside_bins = decoder.outside_bins;
    Lane {
        sink,
        units,
        outside_bins,
        rows_read: lane.rows_read,
        rows_valid: lane.rows_valid,
        invalid_rows: lane.invalid_rows,
        problems_total: lane.problems_total,
        problems: lane.problems,
    }
}

#[derive(Default)]
struct Counts {
    rows_read: u64,
    rows_valid: u64,
    invalid_rows: u64,
    problems_total: u64,
    problems: Vec<RowProblem>,
}

/// Append up to `want` bytes to `buf`; returns how many were read (0 at end of file).
fn fill(file: &mut File, buf: &mut Vec<u8>, want: usize) -> std::io::Result<usize> {
    let start = buf.len();
    buf.resize(start + want, 0);
    let mut got = 0;
    while got < want {
        match file.read(&mut buf[start + got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                buf.truncate(start + got);
                return Err(e);
            }
        }
    }
    buf.truncate(start + got);
    Ok(got)
}

/// Positions just after each newline that ends a record (a newline outside quotes), following
/// the quoting rules of csv-core: a quote opens a quoted field only at the start of a field,
/// and `""` inside quotes is an escaped quote.
fn record_ends(buf: &[u8], delimiter: u8, mut on_end: impl FnMut(usize) -> bool) {
    let mut at_field_start = true;
    let mut in_quotes = false;
    let mut quote_pending = false;
    for (i, &c) in buf.iter().enumerate() {
        if in_quotes {
            if quote_pending {
                quote_pending = false;
                if c == b'"' {
                    continue; // escaped quote
                }
                in_quotes = false; // the quote closed the field; c is handled below
            } else {
                if c == b'"' {
                    quote_pending = true;
                }
                continue;
            }
        }
        if c == delimiter {
            at_field_start = true;
        } else if c == b'\n' {
            at_field_start = true;
            if !on_end(i + 1) {
                return;
            }
        } else if c == b'"' && at_field_start {
            in_quotes = true;
            at_field_start = false;
        } else {
            at_field_start = false;
        }
    }
}

fn first_record_end(buf: &[u8], delimiter: u8) -> Option<usize> {
    let mut end = None;
    record_ends(buf, delimiter, |e| {
        end = Some(e);
        false
    });
    end
}

/// The end of the last complete record in `buf` (which starts at a record boundary).
fn last_record_end(buf: &[u8], delimiter: u8) -> Option<usize> {
    if memchr::memchr(b'"', buf).is_none() {
        // No quotes at all (the usual survey export): every newline ends a record.
        return memchr::memrchr(b'\n', buf).map(|i| i + 1);
    }
    let mut end = None;
    record_ends(buf, delimiter, |e| {
        end = Some(e);
        true
    });
    end
}

/// Refuse files that are clearly not CSV text, with a message that says what they seem to be.
fn check_looks_like_text(path: &Path, head: &[u8]) -> Result<()> {
    if head.is_empty() {
        return Err(Error::data_file(
            path,
            "the file is empty; expected a header line followed by one line per respondent",
        ));
    }
    let what = if head.starts_with(b"$FL2") || head.starts_with(b"$FL3") {
        Some("an SPSS system file (.sav/.zsav)")
    } else if head.starts_with(b"PK\x03\x04") {
        Some("a ZIP archive (an .xlsx workbook?); export it as CSV")
    } else if head.starts_with(b"\x89PNG") || head.starts_with(b"%PDF") {
        Some("an image or PDF")
    } else {
        None
    };
    if let Some(w) = what {
        return Err(Error::data_file(
            path,
            format!("this is {w}, not a CSV file"),
        ));
    }
    if let Some(i) = memchr::memchr(0, &head[..head.len().min(BLOCK)]) {
        return Err(Error::data_file(
            path,
            format!("not a CSV text file: a NUL byte at byte offset {i}"),
        ));
    }
    Ok(())
}

fn parse_header(path: &Path, bytes: &[u8], delimiter: u8) -> Result<Vec<String>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes); // Excel's BOM
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    let mut rec = csv::ByteRecord::new();
    if !reader.read_byte_record(&mut rec).unwrap_or(false) {
        return Err(Error::data_file(
            path,
            "the file is empty; expected a header line",
        ));
    }
    let mut names = Vec::with_capacity(rec.len());
    for (i, f) in rec.iter().enumerate() {
        let name = std::str::from_utf8(f).map_err(|_| {
            Error::data_file(
                path,
                format!(
                    "line 1 (header), field {}: bytes that are not UTF-8; save the file as UTF-8",
                    i + 1
                ),
            )
        })?;
        let name = name.trim().to_string();
        if names.contains(&name) {
            return Err(Error::data_file(
                path,
                format!("line 1 (header): column '{name}' appears twice"),
            ));
        }
        names.push(name);
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_ends_skip_newlines_inside_quotes() {
        let data = b"a,\"x\ny\",b\nc,\"\"\"q\"\"\",d\ne\n";
        let mut ends = Vec::new();
        record_ends(data, b',', |e| {
            ends.push(e);
            true
        });
        assert_eq!(ends, vec![10, 22, 24]);
        assert_eq!(last_record_end(data, b','), Some(24));
        assert_eq!(first_record_end(data, b','), Some(10));
        // a quote inside an unquoted field is a literal character
        assert_eq!(first_record_end(b"a 5\" b,c\nd\n", b','), Some(9));
    }
}
