//! Issue 13's fuzz campaign, under plain `cargo test` (stable, no instrumentation): seeded
//! mutations of the reproducers in `tests/fuzz/corpus/` (and the samples and fixtures) fed to
//! the CSV reader, the codebook parser and the SPSS reader, through the library and through the
//! binary. Properties checked for every input: no panic, no hang, no silent loss of rows, no
//! unsafe output, and no codebook accepted when read that fails later. See docs/fuzzing.md.
//!
//! A few seconds per target by default; a campaign:
//! `ENQUETE_FUZZ_SECONDS=300 cargo test --release --test fuzz -- --nocapture`
//! (`ENQUETE_FUZZ_SEED` changes the inputs; findings are kept in `target/fuzz-findings/`).

#[path = "fuzz/check.rs"]
mod check;
#[path = "fuzz/mutate.rs"]
mod mutate;
#[path = "fuzz/rng.rs"]
mod rng;

use check::{
    csv_cells_safe, markdown_safe, reference_records, run_binary, skipped_rows, terminal_safe,
    with_deadline, BinRun, Finding, Outcome, Stats,
};
use enquete::analysis::{analyse, RunOptions};
use enquete::codebook::{Codebook, VariableKind};
use enquete::input::{scan, ScanOptions};
use rng::Rng;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

/// A library call (on inputs of a few kilobytes, or a megabyte or two) slower than this hangs.
const CALL_LIMIT: Duration = Duration::from_secs(20);
/// A run of the binary slower than this hangs.
const RUN_LIMIT: Duration = Duration::from_secs(60);

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Seconds per target: `ENQUETE_FUZZ_SECONDS`, else 3.
fn budget() -> Duration {
    let secs = std::env::var("ENQUETE_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .unwrap_or(3.0);
    Duration::from_secs_f64(secs.max(0.0))
}

/// The generator of one target: `ENQUETE_FUZZ_SEED` (default fixed) and the target's name.
fn rng_for(target: &str) -> Rng {
    let seed = std::env::var("ENQUETE_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or(0x5EED_2023);
    Rng::new(seed ^ check::fnv(target.as_bytes()))
}

/// The files of a corpus folder with the given extensions, by name.
fn corpus(dir: &str, exts: &[&str]) -> Vec<(String, Vec<u8>)> {
    let dir = repo().join(dir);
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| exts.iter().any(|e| x == *e)))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

/// Inputs to mutate: the seeds, and mutated inputs that gave an outcome not seen before (a
/// crude stand-in for coverage: a new error message is a new path through the reader).
struct Pool {
    items: Vec<(Vec<u8>, usize)>,
    /// Inputs the program accepted: mutated further, they reach the outputs' checks more often
    /// than inputs that are refused.
    accepted: Vec<(Vec<u8>, usize)>,
    seen: HashSet<String>,
}

impl Pool {
    fn new(seeds: Vec<(Vec<u8>, usize)>) -> Pool {
        Pool {
            items: seeds,
            accepted: Vec::new(),
            seen: HashSet::new(),
        }
    }

    /// Keep `input` (with its variant, e.g. which codebook) when `outcome` is new, and some of
    /// the inputs that were accepted (`ok`).
    fn learn(&mut self, outcome: &str, input: &[u8], variant: usize, ok: bool) {
        if input.len() >= 1 << 16 {
            return;
        }
        let sig = signature(outcome);
        if self.seen.insert(sig) && self.items.len() < 2000 {
            self.items.push((input.to_vec(), variant));
        }
        if ok {
            let h = check::fnv(input) as usize;
            if self.accepted.len() < 500 {
                self.accepted.push((input.to_vec(), variant));
            } else if h.is_multiple_of(4) {
                self.accepted[h % 500] = (input.to_vec(), variant);
            }
        }
    }

    /// A mutated input: a pool item (half the time one that was accepted) with a few mutations
    /// (`mutate` gets another item to splice from).
    fn next(&self, rng: &mut Rng, mutate: &Mutator) -> (Vec<u8>, usize) {
        let from = if !self.accepted.is_empty() && rng.chance(1, 2) {
            &self.accepted
        } else {
            &self.items
        };
        let (mut data, variant) = rng.pick(from).clone();
        let other = &rng.pick(&self.items).0.clone();
        for _ in 0..rng.small(4) {
            mutate(rng, &mut data, other);
        }
        (data, variant)
    }
}

/// One mutation of an input, given another input to splice from.
type Mutator = dyn Fn(&mut Rng, &mut Vec<u8>, &[u8]);

/// An outcome without its particulars (numbers, quoted values), so that "line 7" and "line 9"
/// count as one.
fn signature(outcome: &str) -> String {
    let mut out = String::new();
    let mut quoted = false;
    for c in outcome.chars() {
        match c {
            '"' | '\'' => quoted = !quoted,
            _ if quoted => {}
            c if c.is_ascii_digit() => {
                if !out.ends_with('#') {
                    out.push('#');
                }
            }
            c => out.push(c),
        }
        if out.len() > 160 {
            break;
        }
    }
    out
}

/// A working folder for one target, removed at the end.
fn workdir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("enquete-fuzz-")
        .tempdir()
        .expect("temp dir")
}

// ---------------------------------------------------------------------------------------------
// CSV through the library

struct CsvCodebooks {
    paths: Vec<PathBuf>,
    parsed: Vec<Arc<Codebook>>,
}

fn csv_codebooks() -> CsvCodebooks {
    let paths = vec![
        repo().join("tests/fuzz/corpus/codebook/data-comma.toml"),
        repo().join("tests/fuzz/corpus/codebook/data-semicolon.toml"),
    ];
    let parsed = paths
        .iter()
        .map(|p| Arc::new(Codebook::from_path(p).expect("the fuzz codebooks are valid")))
        .collect();
    CsvCodebooks { paths, parsed }
}

/// The CSV seeds, each with its codebook (0: `,` and `.`; 1: `;` and `,`).
fn csv_seeds() -> Vec<(Vec<u8>, usize)> {
    let mut seeds: Vec<(Vec<u8>, usize)> = corpus("tests/fuzz/corpus/csv", &["csv"])
        .into_iter()
        .map(|(name, data)| (data, usize::from(name.contains("semicolon"))))
        .collect();
    seeds.push((
        std::fs::read(repo().join("samples/inwonersenquete-2019.csv")).unwrap()[..20_000].to_vec(),
        1,
    ));
    seeds
}

/// What a library pass over one CSV input gave, as plain data (the call runs in a thread).
/// What a scan saw, as plain data.
struct ScanCounts {
    read: u64,
    valid: u64,
    invalid: u64,
    problem_rows: u64,
    /// The lines of the problems listed (at most 50), and whether that is all of them.
    problem_lines: Vec<u64>,
    all_listed: bool,
}

/// What a library pass over one CSV input gave (the call runs in a thread of its own).
struct CsvResult {
    scan: Result<ScanCounts, String>,
    /// rows read, used, skipped
    analysis: Result<(u64, u64, u64), String>,
}

#[allow(clippy::too_many_arguments)]
fn csv_library_check(
    stats: &mut Stats,
    pool: &mut Pool,
    dir: &Path,
    n: u64,
    data: &[u8],
    variant: usize,
    cbs: &CsvCodebooks,
    skip_invalid: bool,
) {
    stats.inputs += 1;
    let path = dir.join(format!("in-{n}.csv"));
    std::fs::write(&path, data).unwrap();
    let cb = cbs.parsed[variant].clone();
    let p = path.clone();
    let outcome = with_deadline(CALL_LIMIT, move || {
        let scan = scan(&p, &cb, ScanOptions::default(), || ())
            .map(|s| ScanCounts {
                read: s.rows_read,
                valid: s.rows_valid,
                invalid: s.invalid_rows,
                problem_rows: s.problems.rows,
                problem_lines: s.problems.problems.iter().map(|p| p.line).collect(),
                all_listed: s.problems.total == s.problems.problems.len() as u64,
            })
            .map_err(|e| e.to_string());
        let tables: Vec<usize> = (0..cb.tables.len()).collect();
        let crossings = enquete::report::report_crossings(&cb);
        let opts = RunOptions {
            skip_invalid,
            ..Default::default()
        };
        let analysis = analyse(&p, &cb, &tables, &crossings, opts)
            .map(|a| (a.rows_read, a.rows_used, a.skipped.rows))
            .map_err(|e| e.to_string());
        CsvResult { scan, analysis }
    });
    let _ = std::fs::remove_file(&path);
    let r = match outcome {
        Outcome::Done(r) => r,
        Outcome::Panicked(m) => {
            return stats.found(Finding::Panic, data, "csv", format!("panic: {m}"));
        }
        Outcome::Hung => {
            return stats.found(
                Finding::Hang,
                data,
                "csv",
                "library call did not end".into(),
            );
        }
    };
    for e in [r.scan.as_ref().err(), r.analysis.as_ref().err()]
        .into_iter()
        .flatten()
    {
        if e.contains("internal error") {
            return stats.found(Finding::Panic, data, "csv", e.clone());
        }
    }
    let delimiter = cbs.parsed[variant].format.delimiter;
    let records = reference_records(data, delimiter);
    let expected = records.len().saturating_sub(1) as u64;
    let mut lost = Vec::new();
    if let Ok(sc) = &r.scan {
        if sc.read != expected {
            lost.push(format!(
                "scan read {} rows; the file has {expected} records after the header",
                sc.read
            ));
        }
        if sc.valid + sc.invalid != sc.read || sc.problem_rows != sc.invalid {
            lost.push(format!(
                "scan: {} valid + {} invalid != {} read (rows with problems {})",
                sc.valid, sc.invalid, sc.read, sc.problem_rows
            ));
        }
        let wrong_width = records
            .iter()
            .skip(1)
            .filter(|f| f.fields != records[0].fields)
            .count() as u64;
        if sc.invalid < wrong_width {
            lost.push(format!(
                "{wrong_width} records have another number of fields than the header, but only \
                 {} rows are invalid",
                sc.invalid
            ));
        }
        // Problems are placed on the editor's line where their record starts.
        let starts: HashSet<u64> = records.iter().skip(1).map(|r| r.line).collect();
        if let Some(l) = sc.problem_lines.iter().find(|l| !starts.contains(l)) {
            lost.push(format!(
                "a problem on line {l}, where no record starts (records start on {:?})",
                records
                    .iter()
                    .skip(1)
                    .map(|r| r.line)
                    .take(60)
                    .collect::<Vec<_>>()
            ));
        }
        let mut distinct = sc.problem_lines.clone();
        distinct.sort_unstable();
        distinct.dedup();
        if sc.all_listed && distinct.len() as u64 != sc.problem_rows {
            lost.push(format!(
                "{} rows with problems, but the problems name {} lines",
                sc.problem_rows,
                distinct.len()
            ));
        }
        if let Ok((a_read, used, _)) = r.analysis {
            if used != sc.valid {
                lost.push(format!(
                    "analysis used {used} rows, scan found {} valid",
                    sc.valid
                ));
            }
            if !skip_invalid && sc.invalid > 0 {
                lost.push(format!(
                    "analysis without --skip-invalid succeeded on {} invalid rows",
                    sc.invalid
                ));
            }
            if a_read != sc.read {
                lost.push(format!("analysis read {a_read} rows, scan {}", sc.read));
            }
            // A record over several lines may be several respondents run together by a stray
            // quote: never left out as one row.
            if let Some(rec) = records
                .iter()
                .find(|rec| rec.end_line > rec.line && sc.problem_lines.contains(&rec.line))
            {
                lost.push(format!(
                    "--skip-invalid left out the record of lines {}-{} as one row",
                    rec.line, rec.end_line
                ));
            }
        }
    }
    if let Ok((read, used, skipped)) = r.analysis {
        if used + skipped != read {
            lost.push(format!(
                "analysis: {used} used + {skipped} skipped != {read} read"
            ));
        }
        if read != expected {
            lost.push(format!(
                "analysis read {read} rows; the file has {expected} records after the header"
            ));
        }
        stats.accepted += 1;
    }
    if !lost.is_empty() {
        let what = format!(
            "codebook {}, skip_invalid {skip_invalid}: {}",
            cbs.paths[variant].display(),
            lost.join("; ")
        );
        return stats.found(Finding::SilentLoss, data, "csv", what);
    }
    let ok = r.analysis.is_ok();
    let outcome = format!(
        "{} | {}",
        r.scan.err().unwrap_or_default(),
        r.analysis.err().unwrap_or_default()
    );
    pool.learn(&outcome, data, variant, ok);
}

/// Grow an input past the reader's 1 MiB block: its data lines repeated.
fn enlarge(data: &[u8]) -> Vec<u8> {
    let starts = mutate::line_starts(data);
    if starts.len() < 3 {
        return data.to_vec();
    }
    let body = &data[starts[1]..];
    if body.is_empty() {
        return data.to_vec();
    }
    let mut out = data.to_vec();
    if !matches!(out.last(), Some(b'\n' | b'\r')) {
        out.push(b'\n');
    }
    while out.len() < (1 << 20) + (1 << 18) {
        out.extend_from_slice(body);
        if !matches!(out.last(), Some(b'\n' | b'\r')) {
            out.push(b'\n');
        }
    }
    out
}

#[test]
fn fuzz_csv_reader() {
    let mut stats = Stats::new("csv-library");
    let mut rng = rng_for(stats.target);
    let cbs = csv_codebooks();
    let dir = workdir();
    let seeds = csv_seeds();
    let mut pool = Pool::new(seeds.clone());
    let mut n = 0;
    for (data, variant) in &seeds {
        for skip in [false, true] {
            n += 1;
            csv_library_check(
                &mut stats,
                &mut pool,
                dir.path(),
                n,
                data,
                *variant,
                &cbs,
                skip,
            );
        }
    }
    let end = Instant::now() + budget();
    while Instant::now() < end {
        n += 1;
        let (mut data, mut variant) = pool.next(&mut rng, &|r, d, o| {
            if r.chance(1, 2) {
                let delimiter = if r.chance(1, 4) { b';' } else { b',' };
                mutate::csv(r, d, o, delimiter)
            } else {
                mutate::bytes(r, d, o)
            }
        });
        if rng.chance(1, 20) {
            variant = 1 - variant;
        }
        if rng.chance(1, 60) {
            data = enlarge(&data);
        }
        let skip = rng.chance(1, 2);
        csv_library_check(
            &mut stats,
            &mut pool,
            dir.path(),
            n,
            &data,
            variant,
            &cbs,
            skip,
        );
    }
    stats.finish();
}

// ---------------------------------------------------------------------------------------------
// CSV blocks: the reader cuts its input into blocks at record ends; the records must be the
// same wherever the blocks end (on small inputs the reader makes a single block, so this is
// where a wrong cut would show).

type Rec = (u64, u64, Vec<Vec<u8>>, bool);

fn records_of(block: &[u8], first_line: u64, delimiter: u8, out: &mut Vec<Rec>) {
    use enquete::input::csv::record::{CsvRecord, Tokenizer};
    let mut t = Tokenizer::new(block, first_line, delimiter);
    let mut rec = CsvRecord::default();
    while t.next_record(&mut rec) {
        let fields = (0..rec.len())
            .map(|i| rec.field(block, i).to_vec())
            .collect();
        out.push((rec.line, rec.end_line, fields, rec.unclosed.is_some()));
    }
}

/// The records of `data` read as the reader does, in pieces of random sizes.
fn records_in_blocks(rng: &mut Rng, data: &[u8], delimiter: u8) -> Vec<Rec> {
    use enquete::input::csv::split::{count_lines, Splitter};
    let mut splitter = Splitter::new(delimiter);
    let mut pending: Vec<u8> = Vec::new();
    let mut fed = 0;
    let mut line = 1;
    let mut out = Vec::new();
    let mut header = true;
    splitter.first_only(true);
    loop {
        let eof = fed == data.len();
        if !eof {
            let step = rng.range(1, 64).min(data.len() - fed);
            pending.extend_from_slice(&data[fed..fed + step]);
            fed += step;
        }
        let eof = fed == data.len();
        splitter.advance(&pending, eof);
        let cut = match (eof, splitter.last_end()) {
            (true, _) if !header => pending.len(),
            (_, Some(c)) => c,
            (true, None) => pending.len(),
            (false, None) => continue,
        };
        // The reader cuts when a block is full; cut at random moments instead.
        if !eof && !header && rng.chance(1, 2) {
            continue;
        }
        let block: Vec<u8> = pending.drain(..cut).collect();
        splitter.cut(cut);
        if header {
            header = false;
            splitter.first_only(false);
        }
        records_of(&block, line, delimiter, &mut out);
        line += count_lines(&block);
        if eof && pending.is_empty() {
            break;
        }
    }
    out
}

#[test]
fn fuzz_csv_blocks() {
    let mut stats = Stats::new("csv-blocks");
    let mut rng = rng_for(stats.target);
    let seeds = csv_seeds();
    let pool = Pool::new(seeds.clone());
    let check = |stats: &mut Stats, rng: &mut Rng, data: &[u8]| {
        stats.inputs += 1;
        for delimiter in [b',', b';'] {
            let mut whole = Vec::new();
            records_of(data, 1, delimiter, &mut whole);
            let reference = reference_records(data, delimiter);
            let widths: Vec<check::RefRecord> = whole
                .iter()
                .map(|r| check::RefRecord {
                    fields: r.2.len(),
                    line: r.0,
                    end_line: r.1,
                })
                .collect();
            let data_owned = data.to_vec();
            let mut r2 = rng.fork();
            let blocks = match with_deadline(CALL_LIMIT, move || {
                records_in_blocks(&mut r2, &data_owned, delimiter)
            }) {
                Outcome::Done(b) => b,
                Outcome::Panicked(m) => {
                    return stats.found(Finding::Panic, data, "csv", format!("splitter: {m}"))
                }
                Outcome::Hung => {
                    return stats.found(Finding::Hang, data, "csv", "splitter".into());
                }
            };
            // The BOM is the reader's business (dropped before the splitter sees the header).
            if widths != reference && !data.starts_with(b"\xEF\xBB\xBF") {
                return stats.found(
                    Finding::SilentLoss,
                    data,
                    "csv",
                    format!(
                        "delimiter {:?}: the tokenizer's records are {widths:?}, the documented \
                         rules give {reference:?}",
                        delimiter as char
                    ),
                );
            }
            if blocks != whole {
                let at = blocks.iter().zip(&whole).position(|(a, b)| a != b);
                return stats.found(
                    Finding::SilentLoss,
                    data,
                    "csv",
                    format!(
                        "delimiter {:?}: records differ when read in blocks ({} vs {} records; \
                         first difference at record {at:?}: {:?} vs {:?})",
                        delimiter as char,
                        blocks.len(),
                        whole.len(),
                        at.map(|i| &blocks[i]),
                        at.map(|i| &whole[i]),
                    ),
                );
            }
        }
    };
    for (data, _) in &seeds {
        check(&mut stats, &mut rng, data);
    }
    let end = Instant::now() + budget();
    while Instant::now() < end {
        let (data, _) = pool.next(&mut rng, &|r, d, o| {
            if r.chance(1, 2) {
                mutate::csv(r, d, o, b',')
            } else {
                mutate::bytes(r, d, o)
            }
        });
        check(&mut stats, &mut rng, &data);
    }
    stats.finish();
}

// ---------------------------------------------------------------------------------------------
// CSV through the binary: exit codes, the terminal, CSV cells, report folders.

/// Names, sizes and modification times of a folder's files (to see that a failed run left it
/// as it was).
fn snapshot(dir: &Path) -> Vec<(String, u64, SystemTime)> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            for (name, len, t) in snapshot(&p) {
                out.push((
                    format!("{}/{name}", e.file_name().to_string_lossy()),
                    len,
                    t,
                ));
            }
        } else if let Ok(m) = e.metadata() {
            out.push((
                e.file_name().to_string_lossy().into_owned(),
                m.len(),
                m.modified().unwrap(),
            ));
        }
    }
    out.sort();
    out
}

/// Checks common to every run: no crash or hang, and a terminal that shows what was written.
fn run_checks(stats: &mut Stats, run: &BinRun, input: &[u8], ext: &str) -> bool {
    if run.timed_out {
        stats.found(Finding::Hang, input, ext, run.describe());
        return false;
    }
    if run.crashed() {
        stats.found(Finding::Panic, input, ext, run.describe());
        return false;
    }
    if let Err(e) = terminal_safe(&run.stderr) {
        stats.found(
            Finding::UnsafeOutput,
            input,
            ext,
            format!("stderr: {e}\n{}", run.describe()),
        );
        return false;
    }
    true
}

/// After a report run into `out` (`before`: the folder before): a success left a complete
/// folder of this run with safe contents, a failure left it as it was; neither left temporary
/// files or the lock. Returns what is wrong, with the kind of finding.
fn report_checks(
    wd: &Path,
    out: &str,
    run: &BinRun,
    started: SystemTime,
    before: &[(String, u64, SystemTime)],
    expected_rows: Option<u64>,
) -> Option<(Finding, String)> {
    let leftovers: Vec<String> = std::fs::read_dir(wd)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&format!(".{out}.")) || *n == format!("{out}.lock"))
        .collect();
    if !leftovers.is_empty() {
        return Some((Finding::UnsafeOutput, format!("left behind: {leftovers:?}")));
    }
    let folder = wd.join(out);
    if run.code != Some(0) {
        let after = snapshot(&folder);
        if after != before {
            return Some((
                Finding::UnsafeOutput,
                format!("a failed run changed {out}/: {before:?} -> {after:?}"),
            ));
        }
        return None;
    }
    let files = snapshot(&folder);
    if let Some((name, _, _)) = files.iter().find(|(_, _, t)| *t < started) {
        return Some((
            Finding::UnsafeOutput,
            format!("{out}/{name} is older than the run: old and new files mixed"),
        ));
    }
    let summary = match std::fs::read(folder.join("summary.json")) {
        Ok(s) => s,
        Err(e) => return Some((Finding::UnsafeOutput, format!("no summary.json: {e}"))),
    };
    let summary: serde_json::Value = match serde_json::from_slice(&summary) {
        Ok(v) => v,
        Err(e) => return Some((Finding::UnsafeOutput, format!("summary.json: {e}"))),
    };
    let get = |k: &str| summary[k].as_u64().unwrap_or(u64::MAX);
    let (read, used, skipped) = (get("rows_read"), get("rows_used"), get("rows_skipped"));
    if used.checked_add(skipped) != Some(read) {
        return Some((
            Finding::SilentLoss,
            format!("summary.json: {used} used + {skipped} skipped != {read} read"),
        ));
    }
    if expected_rows.is_some_and(|e| e != read) {
        return Some((
            Finding::SilentLoss,
            format!("summary.json: {read} rows read, the file has {expected_rows:?}"),
        ));
    }
    let stderr = run.stderr();
    match skipped_rows(&stderr, "data.csv") {
        Some((left, u, r, listed))
            if (left, u, r) != (skipped, used, read)
                || listed.is_some_and(|l| l as u64 != left) =>
        {
            return Some((
                Finding::SilentLoss,
                format!(
                    "stderr says {left} left out, {u} used of {r} ({listed:?} rows named); \
                     summary.json {skipped}, {used}, {read}"
                ),
            ));
        }
        None if skipped > 0 => {
            return Some((
                Finding::SilentLoss,
                format!("summary.json: {skipped} rows skipped, stderr names none"),
            ))
        }
        _ => {}
    }
    for (name, _, _) in &files {
        let p = folder.join(name);
        if name.ends_with(".csv") {
            if let Err(e) = csv_cells_safe(&std::fs::read(&p).unwrap()) {
                return Some((Finding::UnsafeOutput, format!("{out}/{name}: {e}")));
            }
        } else if name.ends_with(".md") {
            if let Err(e) = markdown_safe(&std::fs::read_to_string(&p).unwrap()) {
                return Some((Finding::UnsafeOutput, format!("{out}/{name}: {e}")));
            }
        }
    }
    None
}

/// Check the output of a crosstab run in `format`, and the counts of `--skip-invalid`.
fn crosstab_checks(
    run: &BinRun,
    format: &str,
    expected_rows: Option<u64>,
) -> Option<(Finding, String)> {
    if run.code != Some(0) {
        return None;
    }
    let bad = match format {
        "csv" => csv_cells_safe(&run.stdout).err(),
        "text" => terminal_safe(&run.stdout).err(),
        _ => serde_json::from_slice::<serde_json::Value>(&run.stdout)
            .err()
            .map(|e| format!("not JSON: {e}")),
    };
    if let Some(e) = bad {
        return Some((Finding::UnsafeOutput, format!("stdout ({format}): {e}")));
    }
    if let Some((left, used, read, listed)) = skipped_rows(&run.stderr(), "data.csv") {
        if left + used != read
            || listed.is_some_and(|l| l as u64 != left)
            || expected_rows.is_some_and(|e| e != read)
        {
            return Some((
                Finding::SilentLoss,
                format!(
                    "stderr says {left} left out, {used} used of {read} ({listed:?} rows named); \
                     the file has {expected_rows:?} records"
                ),
            ));
        }
    }
    None
}

/// Inputs without end, and a FIFO: each must end quickly, with the same result as a file.
fn special_runs(stats: &mut Stats, wd: &Path) {
    let limit = Duration::from_secs(15);
    let s = |x: &str| x.to_string();
    // A sparse file of zeros, a header then zeros, and /dev/zero: refused at once, exit 1.
    let zeros = wd.join("zeros.csv");
    std::fs::File::create(&zeros)
        .unwrap()
        .set_len(300 << 20)
        .unwrap();
    let tail = wd.join("tail.csv");
    std::fs::write(
        &tail,
        "id,leeftijd,taal,wijk,w,k_tel,k_mail,cijfer,opmerking\n",
    )
    .unwrap();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&tail)
        .unwrap()
        .set_len(300 << 20)
        .unwrap();
    for input in ["zeros.csv", "tail.csv", "/dev/zero"] {
        stats.inputs += 1;
        stats.binary_runs += 1;
        let args = vec![s("validate"), s(input), s("-c"), s("cb0.toml")];
        let run = run_binary(wd, &args, None, limit);
        if run_checks(stats, &run, input.as_bytes(), "path") && run.code != Some(1) {
            stats.found(
                Finding::SilentLoss,
                input.as_bytes(),
                "path",
                format!("zeros accepted?\n{}", run.describe()),
            );
        }
    }
    let _ = std::fs::remove_file(zeros);
    let _ = std::fs::remove_file(tail);
    // A FIFO: opened once, read once, the same table as from the file.
    let data = std::fs::read(repo().join("tests/fuzz/corpus/csv/good.csv")).unwrap();
    std::fs::write(wd.join("data.csv"), &data).unwrap();
    let fifo = wd.join("data.fifo");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid C string; mkfifo only creates the node.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
    let args = |d: &str| {
        vec![
            s("crosstab"),
            s(d),
            s("-c"),
            s("cb0.toml"),
            s("-t"),
            s("k"),
            s("-f"),
            s("csv"),
        ]
    };
    let writer = {
        let (fifo, data) = (fifo.clone(), data.clone());
        std::thread::spawn(move || std::fs::write(fifo, data))
    };
    stats.inputs += 1;
    stats.binary_runs += 2;
    let from_fifo = run_binary(wd, &args("data.fifo"), None, limit);
    if from_fifo.timed_out {
        // Unblock the writer (it waits for a reader).
        let _ = std::fs::File::open(&fifo);
    }
    let _ = writer.join();
    let from_file = run_binary(wd, &args("data.csv"), None, limit);
    if run_checks(stats, &from_fifo, &data, "csv")
        && run_checks(stats, &from_file, &data, "csv")
        && (from_fifo.code != Some(0) || from_fifo.stdout != from_file.stdout)
    {
        stats.found(
            Finding::SilentLoss,
            &data,
            "csv",
            format!(
                "a FIFO gives another result than the file:\n{}\n{}",
                from_fifo.describe(),
                from_file.describe()
            ),
        );
    }
    let _ = std::fs::remove_file(fifo);
}

#[test]
fn fuzz_csv_binary() {
    let mut stats = Stats::new("csv-binary");
    let mut rng = rng_for(stats.target);
    let cbs = csv_codebooks();
    let dir = workdir();
    let wd = dir.path();
    for (i, p) in cbs.paths.iter().enumerate() {
        std::fs::copy(p, wd.join(format!("cb{i}.toml"))).unwrap();
    }
    special_runs(&mut stats, wd);
    let seeds = csv_seeds();
    let mut pool = Pool::new(seeds.clone());
    let tables: Vec<Vec<String>> = cbs
        .parsed
        .iter()
        .map(|c| c.tables.iter().map(|t| t.name.clone()).collect())
        .collect();
    let mut queue: Vec<(Vec<u8>, usize)> = seeds;
    let end = Instant::now() + budget();
    let mut k = 0;
    while Instant::now() < end || !queue.is_empty() {
        let (data, variant) = match queue.pop() {
            Some(s) => s,
            None => pool.next(&mut rng, &|r, d, o| {
                if r.chance(1, 2) {
                    mutate::csv(r, d, o, b',')
                } else {
                    mutate::bytes(r, d, o)
                }
            }),
        };
        k += 1;
        stats.inputs += 1;
        stats.binary_runs += 1;
        std::fs::write(wd.join("data.csv"), &data).unwrap();
        let delimiter = cbs.parsed[variant].format.delimiter;
        let records = reference_records(&data, delimiter);
        let expected = (!records.is_empty()).then(|| records.len() as u64 - 1);
        let cb = format!("cb{variant}.toml");
        let skip = rng.chance(1, 2);
        let mut args: Vec<String> = Vec::new();
        let choice = k % 10;
        let s = |x: &str| x.to_string();
        match choice {
            0 | 1 => args.extend([s("validate"), s("data.csv"), s("-c"), cb.clone()]),
            2..=5 | 9 => {
                let format = *rng.pick(&["csv", "text", "json"]);
                let table = rng.pick(&tables[variant]).clone();
                args.extend([
                    s("crosstab"),
                    s("data.csv"),
                    s("-c"),
                    cb.clone(),
                    s("-t"),
                    table,
                    s("-f"),
                    s(format),
                ]);
            }
            _ => {
                args.extend([
                    s("report"),
                    s("data.csv"),
                    s("-c"),
                    cb.clone(),
                    s("--out"),
                    s("rep"),
                ]);
                if !rng.chance(1, 5) {
                    args.push(s("--no-charts"));
                }
            }
        }
        if skip && args[0] != "validate" {
            args.push(s("--skip-invalid"));
        }
        let before = snapshot(&wd.join("rep"));
        let started = SystemTime::now();
        // File times are coarse on some file systems: wait for the clock to move on.
        std::thread::sleep(Duration::from_millis(if args[0] == "report" {
            5
        } else {
            0
        }));
        let run = run_binary(wd, &args, None, RUN_LIMIT);
        if !run_checks(&mut stats, &run, &data, "csv") {
            continue;
        }
        let problem = match args[0].as_str() {
            "validate" => {
                let out = run.stdout();
                let read = out
                    .lines()
                    .find(|l| l.contains(" rows read"))
                    .and_then(|l| l.split_whitespace().find_map(|w| w.parse::<u64>().ok()));
                let mismatch = match (run.code, read) {
                    (Some(0), r) => r != expected,
                    (Some(1), Some(r)) => Some(r) != expected,
                    _ => false,
                };
                if mismatch {
                    Some((
                        Finding::SilentLoss,
                        format!("validate read {read:?} rows, the file has {expected:?}"),
                    ))
                } else {
                    terminal_safe(&run.stdout)
                        .err()
                        .map(|e| (Finding::UnsafeOutput, format!("stdout: {e}")))
                }
            }
            "crosstab" => crosstab_checks(&run, &args[7], expected),
            _ => report_checks(wd, "rep", &run, started, &before, expected),
        };
        if let Some((kind, what)) = problem {
            stats.found(kind, &data, "csv", format!("{what}\n{}", run.describe()));
            continue;
        }
        // The same bytes through a pipe: the same result.
        if choice == 9 {
            stats.binary_runs += 1;
            let mut piped = args.clone();
            piped[1] = s("/dev/stdin");
            let p = run_binary(wd, &piped, Some(data.clone()), RUN_LIMIT);
            if !run_checks(&mut stats, &p, &data, "csv") {
                continue;
            }
            if p.code != run.code || p.stdout != run.stdout {
                stats.found(
                    Finding::SilentLoss,
                    &data,
                    "csv",
                    format!(
                        "a pipe gives another result than the file:\n{}\n{}",
                        run.describe(),
                        p.describe()
                    ),
                );
                continue;
            }
        }
        if run.code == Some(0) {
            stats.accepted += 1;
        }
        let outcome = format!(
            "{:?} {}",
            run.code,
            run.stderr().lines().last().unwrap_or("")
        );
        pool.learn(&outcome, &data, variant, run.code == Some(0));
    }
    stats.finish();
}

// ---------------------------------------------------------------------------------------------
// The codebook parser; codebooks it accepts are run on data made to fit them.

fn codebook_seeds() -> Vec<(Vec<u8>, usize)> {
    let mut seeds: Vec<(Vec<u8>, usize)> = corpus("tests/fuzz/corpus/codebook", &["toml"])
        .into_iter()
        .map(|(_, d)| (d, 0))
        .collect();
    for p in [
        "samples/codebook.toml",
        "tests/fixtures/spss/survey.toml",
        "tests/fuzz/corpus/spss/implied.toml",
    ] {
        seeds.push((std::fs::read(repo().join(p)).unwrap(), 0));
    }
    seeds
}

/// Quote a CSV field when it needs it.
fn csv_field(s: &str, delimiter: u8) -> String {
    if s.bytes()
        .any(|b| b == delimiter || b == b'"' || b == b'\n' || b == b'\r')
        || s.starts_with(' ')
    {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A data file that fits `cb`: every column it reads, values mostly valid (declared codes,
/// numbers within bounds), some missing, weights positive.
fn data_for(rng: &mut Rng, cb: &Codebook, rows: usize) -> Vec<u8> {
    let mut cols: Vec<String> = Vec::new();
    for (c, _) in cb.columns() {
        if !cols.contains(&c) {
            cols.push(c);
        }
    }
    if cols.is_empty() {
        cols.push("id".into());
    }
    let d = cb.format.delimiter;
    let dec = cb.format.decimal;
    let number = |x: f64| {
        let s = format!("{x}");
        if dec == b',' {
            s.replace('.', ",")
        } else {
            s
        }
    };
    let design = cb.design.clone().unwrap_or_default();
    let mut out = cols
        .iter()
        .map(|c| csv_field(c, d))
        .collect::<Vec<_>>()
        .join(&(d as char).to_string());
    out.push('\n');
    for i in 0..rows {
        let cells: Vec<String> = cols
            .iter()
            .map(|c| {
                for v in &cb.variables {
                    match &v.kind {
                        VariableKind::Numeric { missing, min, max } if v.name == *c => {
                            if !missing.is_empty() && rng.chance(1, 10) {
                                return missing[rng.below(missing.len())].clone();
                            }
                            let lo = min.filter(|x| x.is_finite()).unwrap_or(0.0);
                            let hi = max.filter(|x| x.is_finite()).unwrap_or(lo + 100.0);
                            let hi = if hi < lo { lo } else { hi };
                            let x = (lo + (hi - lo) * rng.below(1001) as f64 / 1000.0).round();
                            let x = if x < lo || x > hi { lo } else { x };
                            return number(x);
                        }
                        VariableKind::Categorical { values, missing } if v.name == *c => {
                            if !missing.is_empty() && rng.chance(1, 10) {
                                return missing[rng.below(missing.len())].clone();
                            }
                            if values.is_empty() {
                                return String::new();
                            }
                            return values[rng.below(values.len())].code.clone();
                        }
                        VariableKind::Multi {
                            selected,
                            unselected,
                            items,
                            ..
                        } if items.iter().any(|it| it.column == *c) => {
                            return if rng.chance(1, 2) {
                                selected.clone()
                            } else {
                                unselected.clone()
                            };
                        }
                        _ => {}
                    }
                }
                if Some(c) == design.weight.as_ref() {
                    return number(1.0 + (i % 4) as f64 * 0.5);
                }
                if Some(c) == design.strata.as_ref() {
                    return format!("{}", 1 + i % 2);
                }
                if Some(c) == design.cluster.as_ref() {
                    return format!("{}", i % 6);
                }
                if Some(c) == design.fpc.as_ref() {
                    return "100000".into();
                }
                if Some(c) == cb.id.as_ref() {
                    return format!("{}", i + 1);
                }
                format!("{}", i % 3)
            })
            .map(|s| csv_field(&s, d))
            .collect();
        out.push_str(&cells.join(&(d as char).to_string()));
        out.push('\n');
    }
    out.into_bytes()
}

/// Whether an error of a run on data made to fit its codebook comes from the data rather than
/// the codebook (these are exit code 1, or a weighting that the generated data cannot meet).
fn data_caused(stderr: &str) -> bool {
    // Calibration needs every population category among the respondents: random data may
    // leave one out.
    stderr.contains("error: weighting: no respondents in ")
}

#[test]
fn fuzz_codebook_parser() {
    let mut stats = Stats::new("codebook");
    let mut rng = rng_for(stats.target);
    let dir = workdir();
    let wd = dir.path();
    // Population files of the samples' weighting, found beside the codebook.
    for f in std::fs::read_dir(repo().join("samples")).unwrap().flatten() {
        let name = f.file_name().to_string_lossy().into_owned();
        if name.starts_with("bevolking") {
            std::fs::copy(f.path(), wd.join(&name)).unwrap();
        }
    }
    let seeds = codebook_seeds();
    let mut pool = Pool::new(seeds.clone());
    let mut queue = seeds;
    let end = Instant::now() + budget();
    let mut n = 0u64;
    let mut accepted = 0u64;
    while Instant::now() < end || !queue.is_empty() {
        let data = match queue.pop() {
            Some((d, _)) => d,
            None => {
                pool.next(&mut rng, &|r, d, o| {
                    if r.chance(4, 5) {
                        mutate::toml(r, d, o)
                    } else {
                        mutate::bytes(r, d, o)
                    }
                })
                .0
            }
        };
        n += 1;
        stats.inputs += 1;
        let path = wd.join("codebook.toml");
        std::fs::write(&path, &data).unwrap();
        let p = path.clone();
        let outcome = with_deadline(CALL_LIMIT, move || {
            Codebook::from_path(&p).map_err(|e| e.to_string())
        });
        let cb = match outcome {
            Outcome::Done(Ok(cb)) => cb,
            Outcome::Done(Err(e)) => {
                pool.learn(&e, &data, 0, false);
                continue;
            }
            Outcome::Panicked(m) => {
                stats.found(Finding::Panic, &data, "toml", format!("panic: {m}"));
                continue;
            }
            Outcome::Hung => {
                stats.found(Finding::Hang, &data, "toml", "parse did not end".into());
                continue;
            }
        };
        accepted += 1;
        stats.accepted += 1;
        pool.learn(
            &format!("accepted {} tables", cb.tables.len()),
            &data,
            0,
            true,
        );
        // An accepted codebook on data that fits it: no codebook error, no output error, and
        // safe outputs. (Every other accepted codebook, to leave time for mutations.)
        if cb.tables.is_empty() || accepted.is_multiple_of(2) && n > 40 {
            continue;
        }
        std::fs::write(wd.join("data.csv"), data_for(&mut rng, &cb, 80)).unwrap();
        let _ = std::fs::remove_dir_all(wd.join("rep"));
        let s = |x: &str| x.to_string();
        let mut args = vec![
            s("report"),
            s("data.csv"),
            s("-c"),
            s("codebook.toml"),
            s("--out"),
            s("rep"),
        ];
        if !rng.chance(1, 6) {
            args.push(s("--no-charts"));
        }
        stats.binary_runs += 1;
        let started = SystemTime::now();
        let run = run_binary(wd, &args, None, RUN_LIMIT);
        if !run_checks(&mut stats, &run, &data, "toml") {
            continue;
        }
        if matches!(run.code, Some(2 | 3)) && !data_caused(&run.stderr()) {
            stats.found(
                Finding::LateFailure,
                &data,
                "toml",
                format!("accepted when read, then:\n{}", run.describe()),
            );
            continue;
        }
        if let Some((kind, what)) = report_checks(wd, "rep", &run, started, &[], None) {
            stats.found(kind, &data, "toml", format!("{what}\n{}", run.describe()));
            continue;
        }
        // One table on the terminal.
        let t = &cb.tables[rng.below(cb.tables.len())].name;
        let format = *rng.pick(&["text", "csv"]);
        let args = vec![
            s("crosstab"),
            s("data.csv"),
            s("-c"),
            s("codebook.toml"),
            s("-t"),
            t.clone(),
            s("-f"),
            s(format),
        ];
        stats.binary_runs += 1;
        let run = run_binary(wd, &args, None, RUN_LIMIT);
        if !run_checks(&mut stats, &run, &data, "toml") {
            continue;
        }
        if matches!(run.code, Some(2 | 3)) && !data_caused(&run.stderr()) {
            stats.found(
                Finding::LateFailure,
                &data,
                "toml",
                format!("accepted when read, then:\n{}", run.describe()),
            );
            continue;
        }
        if let Some((kind, what)) = crosstab_checks(&run, format, None) {
            stats.found(kind, &data, "toml", format!("{what}\n{}", run.describe()));
        }
    }
    stats.finish();
}

// ---------------------------------------------------------------------------------------------
// The SPSS reader.

fn spss_seeds() -> Vec<(Vec<u8>, usize)> {
    let mut seeds: Vec<(Vec<u8>, usize)> = Vec::new();
    for p in [
        "tests/fixtures/spss/survey.sav",
        "tests/fixtures/spss/survey.zsav",
    ] {
        seeds.push((std::fs::read(repo().join(p)).unwrap(), 0));
    }
    for (_, d) in corpus("tests/fuzz/corpus/spss", &["sav", "zsav"]) {
        seeds.push((d, 0));
    }
    let n = seeds.len();
    // Each with the fixture's codebook (0) and with one that takes its variables from the file's
    // dictionary (1).
    for i in 0..n {
        let d = seeds[i].0.clone();
        seeds.push((d, 1));
    }
    seeds
}

/// The case count of an SPSS header (-1: unknown), in the writer's byte order.
fn header_cases(data: &[u8]) -> Option<i32> {
    if data.len() < 84 || !(data.starts_with(b"$FL2") || data.starts_with(b"$FL3")) {
        return None;
    }
    let le = i32::from_le_bytes(data[64..68].try_into().unwrap());
    let get = |o: usize| {
        let b: [u8; 4] = data[o..o + 4].try_into().unwrap();
        if matches!(le, 2 | 3) {
            i32::from_le_bytes(b)
        } else {
            i32::from_be_bytes(b)
        }
    };
    Some(get(80))
}

struct SpssResult {
    /// rows read, used, skipped, notes
    analysis: Result<(u64, u64, u64, Vec<String>), String>,
}

#[test]
fn fuzz_spss_reader() {
    let mut stats = Stats::new("spss");
    let mut rng = rng_for(stats.target);
    let dir = workdir();
    let wd = dir.path();
    let codebooks = [
        repo().join("tests/fixtures/spss/survey.toml"),
        repo().join("tests/fuzz/corpus/spss/implied.toml"),
    ];
    let seeds = spss_seeds();
    let mut pool = Pool::new(seeds.clone());
    let mut queue = seeds;
    let end = Instant::now() + budget();
    let mut n = 0u64;
    while Instant::now() < end || !queue.is_empty() {
        let (data, variant) = match queue.pop() {
            Some(s) => s,
            None => pool.next(&mut rng, &|r, d, o| mutate::spss(r, d, o)),
        };
        n += 1;
        stats.inputs += 1;
        let ext = if data.starts_with(b"$FL3") {
            "zsav"
        } else {
            "sav"
        };
        let path = wd.join(format!("in-{n}.{ext}"));
        std::fs::write(&path, &data).unwrap();
        let (p, cbp) = (path.clone(), codebooks[variant].clone());
        let skip_invalid = rng.chance(1, 2);
        let outcome = with_deadline(CALL_LIMIT, move || {
            let run = || -> enquete::Result<(u64, u64, u64, Vec<String>)> {
                let cb = enquete::commands::load_codebook(&cbp, &p)?;
                let tables: Vec<usize> = (0..cb.tables.len()).collect();
                let crossings = enquete::report::report_crossings(&cb);
                let opts = RunOptions {
                    skip_invalid,
                    ..Default::default()
                };
                let a = analyse(&p, &cb, &tables, &crossings, opts)?;
                Ok((a.rows_read, a.rows_used, a.skipped.rows, a.input_notes))
            };
            let analysis = run().map_err(|e| e.to_string());
            // An input opened by a step that failed stays parked: let it go.
            drop(enquete::input::source::take(&p));
            SpssResult { analysis }
        });
        let r = match outcome {
            Outcome::Done(r) => r,
            Outcome::Panicked(m) => {
                stats.found(Finding::Panic, &data, ext, format!("panic: {m}"));
                continue;
            }
            Outcome::Hung => {
                stats.found(Finding::Hang, &data, ext, "library call did not end".into());
                continue;
            }
        };
        let _ = std::fs::remove_file(&path);
        match &r.analysis {
            Err(e) if e.contains("internal error") => {
                stats.found(Finding::Panic, &data, ext, e.clone());
                continue;
            }
            Ok((read, used, skipped, notes)) => {
                stats.accepted += 1;
                let cases = header_cases(&data);
                let mut lost = Vec::new();
                if used + skipped != *read {
                    lost.push(format!("{used} used + {skipped} skipped != {read} read"));
                }
                match cases {
                    Some(c) if c >= 0 && c as u64 != *read => {
                        lost.push(format!("the header says {c} cases, {read} were read"))
                    }
                    Some(c)
                        if c < 0
                            && !notes.iter().any(|n| {
                                n.contains(&format!("{read} cases were read to the end"))
                            }) =>
                    {
                        lost.push(format!(
                            "case count {c} (unknown), {read} read, and no note says so: {notes:?}"
                        ))
                    }
                    _ => {}
                }
                if !lost.is_empty() {
                    stats.found(Finding::SilentLoss, &data, ext, lost.join("; "));
                    continue;
                }
            }
            Err(_) => {}
        }
        // Some through the binary: exit codes, and the terminal.
        if n.is_multiple_of(8) {
            let name = format!("data.{ext}");
            std::fs::write(wd.join(&name), &data).unwrap();
            let cb = codebooks[variant].to_string_lossy().into_owned();
            let s = |x: &str| x.to_string();
            let args = if n.is_multiple_of(16) {
                vec![s("validate"), name, s("-c"), cb]
            } else {
                vec![
                    s("crosstab"),
                    name,
                    s("-c"),
                    cb,
                    s("-t"),
                    s("info"),
                    s("-f"),
                    s("text"),
                ]
            };
            stats.binary_runs += 1;
            let run = run_binary(wd, &args, None, RUN_LIMIT);
            if run_checks(&mut stats, &run, &data, ext) {
                if let Err(e) = terminal_safe(&run.stdout) {
                    stats.found(
                        Finding::UnsafeOutput,
                        &data,
                        ext,
                        format!("stdout: {e}\n{}", run.describe()),
                    );
                    continue;
                }
            }
        }
        let outcome = match &r.analysis {
            Ok((read, ..)) => format!("ok {}", (*read).min(1)),
            Err(e) => e.clone(),
        };
        pool.learn(&outcome, &data, variant, r.analysis.is_ok());
    }
    stats.finish();
}

// ---------------------------------------------------------------------------------------------
// The checks themselves: each catches what it is for (a check that cannot fail finds nothing).

#[test]
fn the_checks_catch_what_they_are_for() {
    // Formula cells, non-numbers, and what is fine.
    assert!(csv_cells_safe(b"a,=1+1\n").is_err());
    assert!(csv_cells_safe(b"a,\"@SUM(A1)\"\n").is_err());
    assert!(csv_cells_safe(b"-inf,1\n").is_err());
    assert!(csv_cells_safe(b"NaN\n").is_err());
    assert!(csv_cells_safe(b"a,'=1+1,-1,-0.5,1e-5,x=y\n").is_ok());
    // Markup from labels.
    assert!(markdown_safe("| <script>alert(1)</script> |").is_err());
    assert!(markdown_safe("[klik](javascript:alert(1))").is_err());
    assert!(markdown_safe(
        "| \\<script>alert(1)\\</script> | \\[klik\\](javascript:x) | p < 0,05 |"
    )
    .is_ok());
    // The terminal.
    assert!(terminal_safe(b"rood \x1b[31m").is_err());
    assert!(terminal_safe(b"a\rb").is_err());
    assert!(terminal_safe("a\u{9b}b".as_bytes()).is_err());
    assert!(terminal_safe(b"a\tb\n\\u{1b}[31m").is_ok());
    // Records by the documented rules, with the editor's lines.
    let recs = reference_records(
        b"\xEF\xBB\xBFa,b\r\n\r\n1,\"x\ry\"\n2,\"q\"\"\"z,3\r\"open\n",
        b',',
    );
    let got: Vec<(usize, u64, u64)> = recs
        .iter()
        .map(|r| (r.fields, r.line, r.end_line))
        .collect();
    assert_eq!(got, vec![(2, 1, 1), (2, 3, 4), (3, 5, 5), (1, 6, 6)]);
    assert_eq!(
        reference_records(b"a;b\n5\" x;\"y\";z\n", b';')[1].fields,
        3
    );
    // The rows --skip-invalid left out, from stderr.
    let err = "data.csv: line 3, column 'x': value \"a\": expected a number\n\
               data.csv: line 3, column 'y': value \"b\": expected a number\n\
               data.csv: line 8: found 8 fields where the header has 9\n\
               data.csv: 3 problems in 2 rows\n\
               warning: 2 rows with problems left out (--skip-invalid); 36 of 38 rows used\n";
    assert_eq!(skipped_rows(err, "data.csv"), Some((2, 36, 38, Some(2))));
    let more = err.replace(
        "data.csv: 3 problems",
        "... and 7 more problems\ndata.csv: 3 problems",
    );
    assert_eq!(skipped_rows(&more, "data.csv"), Some((2, 36, 38, None)));
    assert_eq!(skipped_rows("wrote 3 tables", "data.csv"), None);
    // A crash of the binary, however it shows.
    let run = |code: Option<i32>, stderr: &str| BinRun {
        args: Vec::new(),
        code,
        timed_out: false,
        stdout: Vec::new(),
        stderr: stderr.as_bytes().to_vec(),
    };
    assert!(run(Some(101), "").crashed());
    assert!(run(None, "").crashed());
    assert!(run(Some(1), "thread 'main' panicked at src/x.rs:1:1").crashed());
    assert!(run(Some(1), "error: internal error: a worker thread failed").crashed());
    assert!(!run(Some(3), "error: cannot write").crashed());
    // A library call that does not end is a hang, one that panics a panic.
    assert!(matches!(
        with_deadline(Duration::from_millis(50), || std::thread::sleep(
            Duration::from_secs(2)
        )),
        Outcome::Hung
    ));
    assert!(matches!(
        with_deadline(CALL_LIMIT, || -> u8 { panic!("boom") }),
        Outcome::Panicked(m) if m == "boom"
    ));
}
