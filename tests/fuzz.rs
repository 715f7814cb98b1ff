//! Issue 13's fuzz campaign, under plain `cargo test` (stable, no instrumentation): seeded
//! mutations of the reproducers in `tests/fuzz/corpus/` (and the samples and fixtures) fed to
//! the CSV reader, the codebook parser and the SPSS reader, through the library and through the
//! binary; and issue 21's surfaces: filters, crossed breakdowns, population files, Excel
//! workbooks and Parquet files. Properties checked for every input: no panic, no hang, no silent loss of rows, no
//! unsafe output, and no codebook accepted when read that fails later. See docs/fuzzing.md.
//!
//! A few seconds per target by default; a campaign:
//! `ENQUETE_FUZZ_SECONDS=300 cargo test --release --test fuzz -- --nocapture`
//! (`ENQUETE_FUZZ_SEED` changes the inputs; findings are kept in `target/fuzz-findings/`).

#[path = "fuzz/check.rs"]
mod check;
#[path = "fuzz/codebook_parser.rs"]
mod codebook_parser;
#[path = "fuzz/containers.rs"]
mod containers;
#[path = "fuzz/csv_binary.rs"]
mod csv_binary;
#[path = "fuzz/csv_reader.rs"]
mod csv_reader;
#[path = "fuzz/mutate.rs"]
mod mutate;
#[path = "fuzz/rng.rs"]
mod rng;
#[path = "fuzz/spss_reader.rs"]
mod spss_reader;
#[path = "fuzz/surfaces.rs"]
mod surfaces;

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
