//! Benchmark of the full default `report` on a generated Inwonersenquête file.
//!
//! ```text
//! cargo run --release --example benchmark                   # 1,000,000 respondents, 5 runs
//! cargo run --release --example benchmark -- 200000 3      # rows, runs
//! cargo run --release --example benchmark -- monitor        # 120 tables x 4 breakdowns, 5 runs
//! cargo run --release --example benchmark -- monitor 200000 3
//! cargo run --release --example benchmark -- batch 1000000  # batch of three such years
//! ```
//! The data file is generated once under target/bench/ (20 columns, ';' and decimal commas)
//! with the same generator as the samples (without the statements on the neighbourhood). Each
//! run is timed with three codebooks:
//! - `reference`: the codebook of R's reference values (4 tables, a ready-made weight), the
//!   same work as earlier versions of this benchmark, to compare versions;
//! - `unweighted-sample`: the bundled sample's codebook without its `[weighting]` section;
//! - `sample`: the bundled sample's codebook, raking to the population margins.
//!
//! The sample's codebook is taken as the workloads were defined: its five tables, without what
//! the analyses of a monitor added to it (the statements, their scale and battery, the totals,
//! the benchmark file and the response section; docs/monitor.md).
//!
//! `monitor` is the size of a municipal monitor: the sample's five questions repeated to 120
//! tables, each broken down by leeftijdsgroep, taal, wijk and geslacht, raked as the sample
//! (`monitor`) and without `[weighting]` (`monitor-unweighted`); timed with `--no-charts` on the
//! generated file of `rows` respondents (default 200,000), and with charts on the bundled
//! sample's 4,000 respondents (in its 20 columns, as before the statements).
//!
//! Prints wall time per run (min and median) of the `report` command as a user runs it, the
//! peak resident memory of this process (Linux VmHWM), and then the median time of each phase
//! (read, estimate, compare, tests, write, charts) from as many runs of the same pipeline
//! taken apart, one phase after the other. Not a test: two noisy cores make timings unfit for
//! pass/fail.

use enquete::analysis::{analyse, Analysis, RunOptions};
use enquete::cli::{DataArgs, EstimateArgs, ReportArgs};
use enquete::codebook::Codebook;
use enquete::commands::Globals;
use enquete::publish::{write_folder, ReportContext};
use enquete::report::{self, Presentation};
use std::path::{Path, PathBuf};
use std::time::Instant;

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn peak_rss() -> String {
    peak_rss_kib().map_or("?".into(), |k| format!("{:.1}", k as f64 / 1024.0))
}

fn estimate_args() -> EstimateArgs {
    EstimateArgs {
        ci: None,
        level: 0.95,
        skip_invalid: false,
        letters: false,
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The bundled sample's codebook without its `[weighting]` section.
fn unweighted(sample: &str) -> String {
    let start = sample.find("[weighting]").expect("the sample weights");
    let end = sample[start..]
        .find("\n\n")
        .map_or(sample.len(), |e| start + e);
    format!("{}{}", &sample[..start], &sample[end..])
}

/// Copy the population files the sample's weighting reads into `dir`.
fn copy_populations(dir: &Path) {
    for year in [2019, 2021, 2023] {
        let name = format!("bevolking-{year}.csv");
        std::fs::copy(root().join("samples").join(&name), dir.join(&name)).expect("population");
    }
}

/// Write each (name, text) as `dir/codebook-<name>.toml`.
fn write_codebooks(dir: &Path, books: Vec<(&'static str, String)>) -> Vec<(&'static str, PathBuf)> {
    books
        .into_iter()
        .map(|(name, text)| {
            let path = dir.join(format!("codebook-{name}.toml"));
            std::fs::write(&path, text).expect("write codebook");
            (name, path)
        })
        .collect()
}

/// The bundled sample's codebook as the workloads were defined: without what the analyses of a
/// monitor added (the lines between its "── Statements on the neighbourhood" and "── end of
/// the statements" rulers, the benchmark file, the `[response]` section, the totals).
fn sample_codebook() -> String {
    let text = std::fs::read_to_string(root().join("samples/codebook.toml")).expect("codebook");
    let mut out = String::new();
    let mut skipping = false;
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if line.starts_with("# ── Statements on the neighbourhood") {
            skipping = true;
        }
        if skipping {
            skipping = !line.starts_with("# ── end of the statements");
            continue;
        }
        if line == "[response]" {
            // The section and its keys, up to the blank line after it.
            while lines.peek().is_some_and(|l| !l.trim().is_empty()) {
                lines.next();
            }
            continue;
        }
        let key = line.trim_start();
        if key.starts_with("benchmark =") || key.starts_with("statistics =") {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The three codebooks, written once into the bench folder (the population files beside them).
fn codebooks(dir: &Path) -> Vec<(&'static str, PathBuf)> {
    let sample = sample_codebook();
    copy_populations(dir);
    let reference = std::fs::read_to_string(root().join("tests/reference/r/sample/codebook.toml"))
        .expect("reference codebook");
    let unweighted = unweighted(&sample);
    write_codebooks(
        dir,
        vec![
            ("reference", reference),
            ("unweighted-sample", unweighted),
            ("sample", sample),
        ],
    )
}

/// Tables of the monitor workload: the sample's five questions, repeated.
const MONITOR_TABLES: usize = 120;
const MONITOR_BY: &str = r#"["leeftijdsgroep", "taal", "wijk", "geslacht"]"#;

/// The sample's codebook with its tables replaced by 120: each of the sample's questions in turn
/// (kanaal, info, tevredenheid, tevreden, cijfer_telefoon), each by the four breakdowns of a
/// monitor. The `[compare]` section stays (taal, standardised by leeftijdsgroep).
fn monitor_codebook(sample: &str) -> String {
    let first = sample.find("[[tables]]").expect("the sample has tables");
    let compare = sample.find("[compare]").expect("the sample compares");
    let questions: Vec<&str> = sample[first..compare]
        .lines()
        .filter_map(|l| l.strip_prefix("rows = \""))
        .map(|l| l.trim_end_matches('"'))
        .collect();
    assert_eq!(questions.len(), 5, "the sample's five questions");
    let mut out = sample[..first].to_string();
    for k in 0..MONITOR_TABLES {
        let q = questions[k % questions.len()];
        let copy = k / questions.len() + 1;
        out.push_str(&format!(
            "[[tables]]\nname = \"{q}_{copy:02}\"\nrows = \"{q}\"\nby = {MONITOR_BY}\n\n"
        ));
    }
    out.push_str(&sample[compare..]);
    out
}

/// The generated file of `rows` respondents (seed 42, 2023), made once.
fn generated(dir: &Path, rows: u64) -> PathBuf {
    let data = dir.join(format!("inwonersenquete-{rows}.csv"));
    if !data.exists() {
        let t = Instant::now();
        enquete::fsutil::write_atomic(&data, |w| {
            enquete::generate::write_sample_classic(w, rows, 42, 2023)
        })
        .expect("generate");
        eprintln!("generated {} in {:.2?}", data.display(), t.elapsed());
    }
    data
}

/// Wall time of each phase of one report, taken apart.
#[derive(Debug, Clone, Copy, Default)]
struct Phases {
    read: f64,
    estimate: f64,
    compare: f64,
    tests: f64,
    write: f64,
    charts: f64,
}

impl Phases {
    const NAMES: [&'static str; 6] = ["read", "estimate", "compare", "tests", "write", "charts"];

    fn values(&self) -> [f64; 6] {
        [
            self.read,
            self.estimate,
            self.compare,
            self.tests,
            self.write,
            self.charts,
        ]
    }
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// A fresh, empty folder (the phases write outside the command's swap-in folder).
fn fresh(dir: &Path) -> PathBuf {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).expect("create phase folder");
    dir.to_path_buf()
}

/// Estimates, comparisons and tests of every table, each phase timed on its own (the work of
/// `report::build`, phase by phase; the results themselves are then built by it, untimed).
fn time_statistics(
    codebook: &Codebook,
    analysis: &Analysis,
    presentation: &Presentation,
    phases: &mut Phases,
) {
    let sums = &analysis.sums;
    let n = sums.layout.tables.len();
    let t = Instant::now();
    let opts = presentation.estimate_options();
    for pos in 0..n {
        std::hint::black_box(enquete::stats::estimate_table(codebook, sums, pos, opts));
    }
    phases.estimate = t.elapsed().as_secs_f64();
    let t = Instant::now();
    for pos in 0..n {
        let table = sums.layout.tables[pos].table;
        for spec in report::comparison_specs(codebook, table, presentation) {
            let _ = std::hint::black_box(enquete::stats::compare_table(codebook, sums, pos, &spec));
        }
    }
    phases.compare = t.elapsed().as_secs_f64();
    let t = Instant::now();
    for pos in 0..n {
        std::hint::black_box(enquete::stats::test_table(codebook, sums, pos));
    }
    phases.tests = t.elapsed().as_secs_f64();
}

/// One report taken apart: read; estimate, compare, tests; the folder without charts; then the
/// folder with charts, whose extra time is the charts' (what drawing them adds to the writing).
fn phases(data: &Path, codebook_path: &Path, charts: bool, out: &Path) -> Phases {
    let mut p = Phases::default();
    let codebook = Codebook::from_path(codebook_path).expect("codebook");
    let presentation = Presentation::new(&codebook, None, 0.95, None).expect("presentation");
    let tables: Vec<usize> = (0..codebook.tables.len()).collect();
    let crossings = report::report_crossings(&codebook);
    let t = Instant::now();
    let analysis =
        analyse(data, &codebook, &tables, &crossings, RunOptions::default()).expect("analyse");
    p.read = t.elapsed().as_secs_f64();
    time_statistics(&codebook, &analysis, &presentation, &mut p);
    let results = report::build(&codebook, &analysis, &presentation, &mut Vec::new());
    let write = |charts: bool, dir: &str| {
        let ctx = ReportContext {
            codebook: &codebook,
            analysis: &analysis,
            presentation,
            data,
            codebook_path,
            charts,
            notes: Vec::new(),
        };
        let t = Instant::now();
        write_folder(&fresh(&out.join(dir)), &ctx, &results).expect("write");
        t.elapsed().as_secs_f64()
    };
    p.write = write(false, "files");
    if charts {
        p.charts = (write(true, "charts") - p.write).max(0.0);
    }
    p
}

/// Time `runs` reports of `data` with `codebook` as a user runs them, then as many taken apart
/// into phases; print both.
fn time_report(label: &str, data: &Path, codebook: &Path, charts: bool, runs: usize) {
    let work = root().join("target/bench/out");
    std::fs::create_dir_all(&work).expect("create target/bench/out");
    let report = ReportArgs {
        data: DataArgs {
            data: data.to_path_buf(),
            codebook: codebook.to_path_buf(),
            allow_absent: false,
            sheet: None,
            encoding: None,
        },
        estimate: estimate_args(),
        out: work.join(format!("report-{label}")),
        no_charts: !charts,
        intervals: false,
    };
    let mut times = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        enquete::commands::report::run(&report, &Globals::quiet()).expect("report");
        times.push(t.elapsed().as_secs_f64());
    }
    let min = times.iter().copied().fold(f64::INFINITY, f64::min);
    let size = std::fs::metadata(data).map(|m| m.len()).unwrap_or(0);
    println!(
        "report ({label}) on {} ({:.1} MB){}: min {min:.3} s, median {:.3} s over {runs} runs; peak RSS {} MiB",
        data.file_name().map_or(String::new(), |n| n.to_string_lossy().into_owned()),
        size as f64 / 1e6,
        if charts { "" } else { ", --no-charts" },
        median(times),
        peak_rss()
    );
    let all: Vec<Phases> = (0..runs)
        .map(|_| {
            phases(
                data,
                codebook,
                charts,
                &work.join(format!("phases-{label}")),
            )
        })
        .collect();
    let medians: Vec<String> = Phases::NAMES
        .iter()
        .enumerate()
        .filter(|&(i, _)| charts || i < 5)
        .map(|(i, name)| {
            let m = median(all.iter().map(|p| p.values()[i]).collect());
            format!("{name} {m:.3}")
        })
        .collect();
    println!(
        "  phases (median s, one after the other): {}",
        medians.join(", ")
    );
}

/// The three codebooks on a generated file of `rows` respondents.
fn default_workload(rows: u64, runs: usize) {
    let dir = root().join("target/bench");
    std::fs::create_dir_all(&dir).expect("create target/bench");
    let data = generated(&dir, rows);
    for (name, codebook) in codebooks(&dir) {
        time_report(&format!("{rows}-{name}"), &data, &codebook, true, runs);
    }
}

/// The 120-table monitor: raked and unweighted on `rows` respondents without charts, and raked
/// on the bundled sample's 4,000 respondents with charts.
fn monitor(rows: u64, runs: usize) {
    let dir = root().join("target/bench");
    std::fs::create_dir_all(&dir).expect("create target/bench");
    copy_populations(&dir);
    let sample = sample_codebook();
    let books = write_codebooks(
        &dir,
        vec![
            ("monitor", monitor_codebook(&sample)),
            ("monitor-unweighted", monitor_codebook(&unweighted(&sample))),
        ],
    );
    let data = generated(&dir, rows);
    for (name, codebook) in &books {
        time_report(&format!("{rows}-{name}"), &data, codebook, false, runs);
    }
    time_report(
        "4000-monitor",
        &classic_sample(&dir),
        &books[0].1,
        true,
        runs,
    );
}

/// The bundled sample as the workloads were defined: the same 4,000 respondents (`enquete
/// generate --rows 4000 --seed 2023 --year 2023`) in its 20 columns, without the statements,
/// byte for byte the sample file before they were added.
fn classic_sample(dir: &Path) -> PathBuf {
    let data = dir.join("inwonersenquete-2023-classic.csv");
    if !data.exists() {
        enquete::fsutil::write_atomic(&data, |w| {
            enquete::generate::write_sample_classic(w, 4000, 2023, 2023)
        })
        .expect("generate");
    }
    data
}

/// Three years (2019, 2021, 2023) of `rows` respondents each, processed by `batch` with the
/// bundled sample's codebook (raking, each year to its population).
fn batch(rows: u64) {
    let dir = root().join(format!("target/bench/batch-{rows}"));
    std::fs::create_dir_all(&dir).expect("create bench dir");
    let codebook = codebooks(&dir).pop().expect("sample").1;
    let mut project = format!(
        "title = \"Benchmark\"\ncodebook = \"{}\"\n",
        codebook.display()
    );
    for year in [2019u32, 2021, 2023] {
        let data = dir.join(format!("{year}.csv"));
        if !data.exists() {
            enquete::fsutil::write_atomic(&data, |w| {
                enquete::generate::write_sample_classic(w, rows, year as u64, year)
            })
            .expect("generate");
        }
        project.push_str(&format!(
            "[[survey]]\nyear = {year}\ndata = \"{year}.csv\"\npopulation = \"bevolking-{year}.csv\"\n"
        ));
    }
    std::fs::write(dir.join("project.toml"), project).expect("project");
    let args = enquete::cli::BatchArgs {
        project: dir.join("project.toml"),
        out: dir.join("results"),
        jobs: None,
        no_charts: false,
        intervals: false,
        estimate: estimate_args(),
    };
    let t = Instant::now();
    enquete::commands::batch::run(&args, &Globals::quiet()).expect("batch");
    println!(
        "batch of 3 years x {rows} respondents (raking): {:.3} s; peak RSS {} MiB",
        t.elapsed().as_secs_f64(),
        peak_rss()
    );
}

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    let mode = match args.peek().map(String::as_str) {
        Some(m @ ("batch" | "monitor")) => {
            let m = m.to_string();
            args.next();
            m
        }
        _ => String::new(),
    };
    let rows = |default: u64, s: Option<String>| s.map_or(default, |s| s.parse().expect("rows"));
    match mode.as_str() {
        "batch" => batch(rows(1_000_000, args.next())),
        "monitor" => {
            let n = rows(200_000, args.next());
            monitor(n, args.next().map_or(5, |s| s.parse().expect("runs")));
        }
        _ => {
            let n = rows(1_000_000, args.next());
            default_workload(n, args.next().map_or(5, |s| s.parse().expect("runs")));
        }
    }
}
