//! The SPSS reader: damaged .sav/.zsav files are data errors, and the cases read match the header.

use super::*;
use crate::csv_binary::run_checks;

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
