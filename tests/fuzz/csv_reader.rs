//! CSV through the library: the reader's records, rows and problems, and the blocks it cuts its input into.

use super::*;

pub(crate) struct CsvCodebooks {
    pub(crate) paths: Vec<PathBuf>,
    pub(crate) parsed: Vec<Arc<Codebook>>,
}

pub(crate) fn csv_codebooks() -> CsvCodebooks {
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
pub(crate) fn csv_seeds() -> Vec<(Vec<u8>, usize)> {
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
    use enquete::input::csv::split::Splitter;
    use enquete::text::position::count_lines;
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
