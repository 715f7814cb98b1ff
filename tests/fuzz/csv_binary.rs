//! CSV through the binary: exit codes, the terminal, CSV cells, report folders.

use super::*;
use crate::csv_reader::{csv_codebooks, csv_seeds};

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
pub(crate) fn run_checks(stats: &mut Stats, run: &BinRun, input: &[u8], ext: &str) -> bool {
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
pub(crate) fn report_checks(
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
pub(crate) fn crosstab_checks(
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
