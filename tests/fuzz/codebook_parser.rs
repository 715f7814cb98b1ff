//! The codebook parser; codebooks it accepts are run on data made to fit them.

use super::*;
use crate::csv_binary::{crosstab_checks, report_checks, run_checks};

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
    // Calibration needs every population category among the respondents (random data may
    // leave one out), and whether it converges within the codebook's bounds and iterations
    // depends on how far the data are from the population: errors the codebook cannot show.
    [
        "no respondents in ",
        "no convergence in ",
        "no solution after ",
    ]
    .iter()
    .any(|m| stderr.contains(&format!("error: weighting: {m}")))
}

/// A run that failed as only a bad codebook should (exit 2 or 3), with a codebook that was
/// accepted when read: counted and kept.
fn late_failure(stats: &mut Stats, run: &BinRun, data: &[u8]) -> bool {
    let late = matches!(run.code, Some(2 | 3)) && !data_caused(&run.stderr());
    if late {
        stats.found(
            Finding::LateFailure,
            data,
            "toml",
            format!("accepted when read, then:\n{}", run.describe()),
        );
    }
    late
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
        if late_failure(&mut stats, &run, &data) {
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
            // `=`: a table may be named "-1", which would read as an option.
            format!("--table={t}"),
            s("-f"),
            s(format),
        ];
        stats.binary_runs += 1;
        let run = run_binary(wd, &args, None, RUN_LIMIT);
        if !run_checks(&mut stats, &run, &data, "toml") {
            continue;
        }
        if late_failure(&mut stats, &run, &data) {
            continue;
        }
        if let Some((kind, what)) = crosstab_checks(&run, format, None) {
            stats.found(kind, &data, "toml", format!("{what}\n{}", run.describe()));
        }
    }
    stats.finish();
}
