//! One streaming pass over a data file on two worker threads.
//!
//! The file is opened once and its format told from its first bytes ([`super::source`]). A CSV
//! file is cut into blocks at record boundaries ([`super::csv`]); SPSS, Excel and Parquet files
//! are turned into text records by one reader. Either way the chunks are dealt out round-robin
//! to two lanes ([`super::lanes`]), each with its own decoder and sink (per-stratum sums), so
//! results are the same on every run and every machine, and memory is a few chunks in flight
//! whatever the number of rows.

use super::header::column_names;
use super::lanes::{join_lanes, work, Chunk, TextChunk, LANES};
use super::plan::Plan;
use super::source::Kind;
use crate::codebook::Codebook;
use crate::input::error::{DataProblems, Error, Result, RowProblem};
use std::borrow::Cow;
use std::path::Path;
use std::sync::mpsc::{sync_channel, SyncSender};

pub use super::decode::UnitInterner;

/// Receives every valid decoded row of one lane.
pub trait RowSink: Send {
    fn row(&mut self, row: &super::DecodedRow);
}

/// A sink that keeps nothing (for `validate`).
impl RowSink for () {
    fn row(&mut self, _row: &super::DecodedRow) {}
}

/// What one lane saw.
pub struct Lane<S> {
    pub sink: S,
    pub units: UnitInterner,
    pub rows_read: u64,
    pub rows_valid: u64,
    pub invalid_rows: u64,
    pub problems_total: u64,
    /// Problems that `--skip-invalid` must not leave out (a runaway quote).
    pub unskippable: u64,
    /// The lane's first problems in file order, at most [`DataProblems::CAP`].
    pub problems: Vec<RowProblem>,
    pub outside_bins: Vec<u64>,
    /// Text that is not UTF-8 in columns the codebook does not use.
    pub not_utf8: super::decode::NotUtf8,
    /// Valid records over several lines (a line break inside a quoted field), and the first
    /// few as (first line, last line).
    pub spanning: u64,
    pub spans: Vec<(u64, u64)>,
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
    /// Problems that `--skip-invalid` must not leave out: rows that cannot be told apart (a
    /// quoted field that swallowed the lines after it).
    pub unskippable: u64,
    /// What the reader did that a user should know (columns renamed, a case count the file did
    /// not give); commands print them as warnings.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    /// Treat codebook columns missing from the header as "not asked" instead of an error.
    pub allow_absent: bool,
    /// A progress bar to advance over the file's bytes (drawn only on a terminal).
    pub progress: Option<indicatif::ProgressBar>,
    /// The worksheet of an Excel workbook (default: the first).
    pub sheet: Option<String>,
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
    let source = super::source::take(path)?;
    if opts.sheet.is_some() && source.kind != Kind::Xlsx {
        return Err(Error::Usage(format!(
            "--sheet applies to Excel workbooks (.xlsx); {} is a {} file",
            path.display(),
            source.kind.name()
        )));
    }
    match source.kind {
        Kind::Csv => super::csv::scan_csv(source, codebook, opts, make_sink),
        Kind::Spss => {
            let mut reader = super::spss::SpssRecords::from_source(source, codebook)?;
            records_pass(path, codebook, opts, make_sink, &mut reader)
        }
        Kind::Xlsx => super::xlsx::scan_xlsx(source, codebook, opts, make_sink),
        Kind::Parquet => {
            let mut reader = super::parquet::ParquetRecords::open(source)?;
            records_pass(path, codebook, opts, make_sink, &mut reader)
        }
    }
}

/// A reader of a format other than CSV, giving text records.
pub trait RecordSource {
    /// The header cells as the file gives them.
    fn header(&self) -> Vec<String>;
    /// What a record is called in messages ("case", "row", "sheet 'Data', row").
    fn record_name(&self) -> Cow<'static, str>;
    /// Where the header was read, for a message about it (which sheet of a workbook).
    fn header_context(&self) -> Option<String> {
        None
    }
    /// Called once the header is resolved (a reader may then read only the columns used).
    fn prepare(&mut self, _plan: &Plan) -> Result<()> {
        Ok(())
    }
    /// Fill `chunk` with up to `max` records (reusing its buffers); 0 at the end.
    fn next_chunk(&mut self, chunk: &mut TextChunk, max: usize) -> Result<usize>;
    /// Checks at the end (nothing lost) and notes for the user.
    fn finish(&mut self, notes: &mut Vec<String>) -> Result<()>;
}

/// Records per chunk handed to a lane when reading other formats than CSV.
const RECORDS_PER_CHUNK: usize = 4096;

/// The pass over a [`RecordSource`]: one thread reads, two lanes decode. The codebook's
/// `[data]` delimiter and decimal mark do not apply: values arrive as text in the form `1.5`.
pub fn records_pass<S, F, R>(
    path: &Path,
    codebook: &Codebook,
    opts: ScanOptions,
    make_sink: F,
    reader: &mut R,
) -> Result<Scan<S>>
where
    S: RowSink,
    F: Fn() -> S,
    R: RecordSource + ?Sized,
{
    let mut as_text = codebook.clone();
    as_text.format = crate::codebook::DataFormat::default();
    let (header, mut notes) = column_names(&reader.header());
    let (mut plan, absent_columns) =
        Plan::new(&as_text, header, opts.allow_absent).map_err(|m| {
            Error::header(
                path,
                match reader.header_context() {
                    Some(c) => format!("{m}; {c}"),
                    None => m,
                },
            )
        })?;
    plan.text_records = true;
    plan.keep_id = opts.keep_id;
    reader.prepare(&plan)?;
    let progress = opts
        .progress
        .clone()
        .unwrap_or_else(indicatif::ProgressBar::hidden);
    let lanes = std::thread::scope(|scope| -> Result<Vec<Lane<S>>> {
        let (recycle_tx, recycle_rx) = sync_channel::<Chunk>(LANES * 3);
        let mut senders: Vec<SyncSender<Chunk>> = Vec::new();
        let mut handles = Vec::new();
        for _ in 0..LANES {
            let (tx, rx) = sync_channel::<Chunk>(2);
            senders.push(tx);
            let (sink, plan, recycle) = (make_sink(), &plan, recycle_tx.clone());
            handles.push(scope.spawn(move || work(plan, rx, recycle, sink, b',')));
        }
        drop(recycle_tx);
        let mut lane = 0;
        let mut result = Ok(());
        loop {
            let mut chunk = match recycle_rx.try_recv() {
                Ok(Chunk::Records(c)) => c,
                _ => TextChunk::default(),
            };
            match reader.next_chunk(&mut chunk, RECORDS_PER_CHUNK) {
                Ok(0) => break,
                Ok(n) => {
                    progress.inc(n as u64);
                    if senders[lane].send(Chunk::Records(chunk)).is_err() {
                        break; // the worker died; its join below reports it
                    }
                    lane = (lane + 1) % LANES;
                }
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        }
        drop(senders);
        let lanes = join_lanes(path, handles)?;
        result.and_then(|_| reader.finish(&mut notes))?;
        Ok(lanes)
    })?;
    progress.finish_and_clear();
    finish(
        path,
        plan,
        absent_columns,
        lanes,
        reader.record_name(),
        notes,
    )
}

/// A note on valid records over several lines: a misplaced quote that happened to make a
/// valid record would merge rows, so they are never passed over in silence.
fn spanning_note<S>(lanes: &[Lane<S>]) -> Option<String> {
    let n: u64 = lanes.iter().map(|l| l.spanning).sum();
    if n == 0 {
        return None;
    }
    let mut spans: Vec<(u64, u64)> = lanes.iter().flat_map(|l| l.spans.iter().copied()).collect();
    spans.sort_unstable();
    let shown: Vec<String> = spans
        .iter()
        .take(super::lanes::SPANS_SHOWN)
        .map(|(a, b)| format!("{a}-{b}"))
        .collect();
    Some(format!(
        "{n} record{} span{} several lines (a line break inside a quoted field): lines {}{}; check that no quote is misplaced",
        if n == 1 { "" } else { "s" },
        if n == 1 { "s" } else { "" },
        shown.join(", "),
        if n as usize > shown.len() { ", ..." } else { "" }
    ))
}

/// A note on text that is not UTF-8 in columns the codebook does not use: the file was read, but
/// its encoding is probably not UTF-8 (a CSV file from Excel), which a later codebook that uses
/// those columns would meet.
fn not_utf8_note<S>(plan: &Plan, lanes: &[Lane<S>]) -> Option<String> {
    let mut seen = super::decode::NotUtf8::default();
    for l in lanes {
        seen.merge(l.not_utf8);
    }
    let (line, col) = seen.first?;
    Some(format!(
        "{} row{} hold{} text that is not UTF-8 in columns the codebook does not use (first: line {line}, column '{}'), so the file was read; if it comes from Excel, say its encoding: [data] encoding = \"windows-1252\" (or --encoding windows-1252)",
        seen.rows,
        if seen.rows == 1 { "" } else { "s" },
        if seen.rows == 1 { "s" } else { "" },
        crate::text::escape::terminal(&plan.header[col])
    ))
}

/// Totals and problems of all lanes.
pub(super) fn finish<S>(
    path: &Path,
    plan: Plan,
    absent_columns: Vec<String>,
    lanes: Vec<Lane<S>>,
    record: Cow<'static, str>,
    mut notes: Vec<String>,
) -> Result<Scan<S>> {
    if let Some(n) = spanning_note(&lanes) {
        notes.push(n);
    }
    notes.extend(not_utf8_note(&plan, &lanes));
    let mut problems = DataProblems {
        path: path.to_path_buf(),
        record,
        ..Default::default()
    };
    let mut all: Vec<RowProblem> = Vec::new();
    let (mut rows_read, mut rows_valid, mut invalid_rows, mut unskippable) = (0, 0, 0, 0);
    let mut outside_bins = vec![0u64; plan.n_vars()];
    for l in &lanes {
        rows_read += l.rows_read;
        rows_valid += l.rows_valid;
        invalid_rows += l.invalid_rows;
        unskippable += l.unskippable;
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
            "no data rows: the file has a header but no respondents",
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
        unskippable,
        notes,
    })
}
