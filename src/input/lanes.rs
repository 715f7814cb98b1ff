//! The two lanes of a pass: each decodes the chunks dealt to it into its own sink.
//!
//! A chunk is a block of CSV bytes cut at record boundaries, or text records made from another
//! format. Because the chunks and their assignment depend only on the file's content, the partial
//! sums, and so every printed digit, are the same on every run and every machine.

use super::csv::record::{CsvRecord, Tokenizer};
use super::decode::{DecodedRow, Decoder, Fields};
use super::plan::Plan;
use super::scan::{Lane, RowSink};
use crate::input::error::{DataProblems, Error, Result, RowProblem};
use std::path::Path;
use std::sync::mpsc::{Receiver, SyncSender};

/// Fixed number of lanes (worker threads); fixed so that results do not depend on the machine.
pub const LANES: usize = 2;

/// Text records of a format other than CSV, with the number ("line") each is reported under
/// and problems the reader found in them (a value it could not turn into text).
#[derive(Debug, Default)]
pub struct TextChunk {
    pub records: Vec<csv::ByteRecord>,
    pub lines: Vec<u64>,
    /// (index into `records`, problem).
    pub problems: Vec<(usize, RowProblem)>,
}

impl TextChunk {
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}

/// What a lane is handed.
pub enum Chunk {
    /// A block of CSV bytes (complete records) and the line its first byte is on.
    Csv(Vec<u8>, u64),
    Records(TextChunk),
}

#[derive(Default)]
struct Counts {
    rows_read: u64,
    rows_valid: u64,
    invalid_rows: u64,
    problems_total: u64,
    unskippable: u64,
    problems: Vec<RowProblem>,
    spanning: u64,
    spans: Vec<(u64, u64)>,
}

/// One lane's state: its decoder, the row it fills, its counts.
struct Worker<'a, S> {
    plan: &'a Plan,
    decoder: Decoder<'a>,
    row: DecodedRow,
    scratch: Vec<RowProblem>,
    sink: S,
    lane: Counts,
}

impl<'a, S: RowSink> Worker<'a, S> {
    /// Decode one record; `pre` are problems the reader already found in it.
    fn record<R: Fields + ?Sized>(&mut self, rec: &R, line: u64, pre: &[RowProblem]) {
        self.lane.rows_read += 1;
        self.scratch.clear();
        self.scratch.extend_from_slice(pre);
        let ok = self
            .decoder
            .decode(rec, line, &mut self.row, &mut self.scratch);
        if ok && pre.is_empty() {
            self.lane.rows_valid += 1;
            self.sink.row(&self.row);
        } else {
            self.lane.invalid_rows += 1;
            self.keep_problems();
        }
    }

    fn keep_problems(&mut self) {
        self.lane.problems_total += self.scratch.len() as u64;
        for p in self.scratch.drain(..) {
            if self.lane.problems.len() < DataProblems::CAP {
                self.lane.problems.push(p);
            }
        }
    }

    fn csv_block(&mut self, block: &[u8], first_line: u64, delimiter: u8, rec: &mut CsvRecord) {
        let mut tokens = Tokenizer::new(block, first_line, delimiter);
        while tokens.next_record(rec) {
            if rec.line == rec.end_line && rec.unclosed.is_none() {
                self.record(&rec.view(block), rec.line, &[]);
            } else {
                self.spanning_record(block, rec);
            }
        }
    }

    /// A record over several lines (a line break inside a quoted field). Valid, it is used and
    /// listed in a note. With any problem, or a quote that never closes, the lines it took may
    /// be respondents: one problem says where the quote opens and where it runs to, and
    /// `--skip-invalid` may not leave it out.
    fn spanning_record(&mut self, block: &[u8], rec: &CsvRecord) {
        self.lane.rows_read += 1;
        self.scratch.clear();
        let ok = rec.unclosed.is_none()
            && self
                .decoder
                .decode(&rec.view(block), rec.line, &mut self.row, &mut self.scratch);
        if ok {
            self.lane.rows_valid += 1;
            self.sink.row(&self.row);
            self.lane.spanning += 1;
            if self.lane.spans.len() < SPANS_SHOWN {
                self.lane.spans.push((rec.line, rec.end_line));
            }
            return;
        }
        self.lane.invalid_rows += 1;
        self.lane.unskippable += 1;
        for p in &mut self.scratch {
            name_field_line(self.plan, rec, p);
        }
        self.scratch.insert(0, runaway_quote(self.plan, rec, block));
        self.keep_problems();
    }
}

/// Records over several lines listed in the note, per lane.
pub const SPANS_SHOWN: usize = 5;

/// A problem in a record that spans lines says which line its field is on.
fn name_field_line(plan: &Plan, rec: &CsvRecord, p: &mut RowProblem) {
    let Some(i) = p
        .column
        .as_ref()
        .and_then(|c| plan.header.iter().position(|h| h == c))
    else {
        return;
    };
    let at = rec.field_line(i);
    if at != rec.line {
        p.expected.push_str(&format!(
            " (the record starts on line {}; this field is on line {at})",
            rec.line
        ));
    }
}

/// The problem of a record over several lines that is not valid: where its quoted field opens
/// and where it runs to.
fn runaway_quote(plan: &Plan, rec: &CsvRecord, block: &[u8]) -> RowProblem {
    let (field, open) = rec.unclosed.or(rec.multiline).unwrap_or((0, rec.line));
    let how = if rec.unclosed.is_some() {
        format!(
            "never closes (it runs to line {}, the end of the file)",
            rec.end_line
        )
    } else {
        let shape = if rec.len() != plan.header.len() {
            format!(
                " of {} fields where the header has {}",
                rec.len(),
                plan.header.len()
            )
        } else {
            " that has the problems listed with it".to_string()
        };
        format!(
            "closes on line {}, so lines {} to {} read as one record{shape}",
            rec.end_line, rec.line, rec.end_line
        )
    };
    RowProblem {
        line: rec.line,
        column: plan.header.get(field).cloned(),
        value: Some(String::from_utf8_lossy(rec.field(block, field)).into_owned()),
        expected: format!(
            "expected a quoted field that ends on its line: the quote that opens this field on \
             line {open} {how}. A stray quote? Remove it, or double it (\"\") inside a quoted \
             field. --skip-invalid cannot leave this out: the lines it took may be respondents"
        ),
    }
}

/// A lane: decode every chunk received, then hand back the sink and counts.
pub fn work<S: RowSink>(
    plan: &Plan,
    rx: Receiver<Chunk>,
    recycle: SyncSender<Chunk>,
    sink: S,
    delimiter: u8,
) -> Lane<S> {
    let decoder = Decoder::new(plan);
    let row = decoder.new_row();
    let mut w = Worker {
        plan,
        decoder,
        row,
        scratch: Vec::new(),
        sink,
        lane: Counts::default(),
    };
    let mut rec = CsvRecord::default();
    for chunk in rx {
        match chunk {
            Chunk::Csv(block, first_line) => {
                w.csv_block(&block, first_line, delimiter, &mut rec);
                let _ = recycle.try_send(Chunk::Csv(block, 0));
            }
            Chunk::Records(chunk) => {
                let mut problems = chunk.problems.iter().peekable();
                let mut pre = Vec::new();
                for (k, r) in chunk.records.iter().enumerate().take(chunk.len()) {
                    pre.clear();
                    while let Some((_, p)) = problems.next_if(|(i, _)| *i == k) {
                        pre.push(p.clone());
                    }
                    w.record(r, chunk.lines[k], &pre);
                }
                let _ = recycle.try_send(Chunk::Records(chunk));
            }
        }
    }
    let c = w.lane;
    Lane {
        sink: w.sink,
        units: w.decoder.units,
        outside_bins: w.decoder.outside_bins,
        not_utf8: w.decoder.not_utf8,
        rows_read: c.rows_read,
        rows_valid: c.rows_valid,
        invalid_rows: c.invalid_rows,
        problems_total: c.problems_total,
        unskippable: c.unskippable,
        problems: c.problems,
        spanning: c.spanning,
        spans: c.spans,
    }
}

/// Wait for the lanes, in lane order.
pub fn join_lanes<S>(
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
