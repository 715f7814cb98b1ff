//! Benchmark of the full default `report` on a generated Inwonersenquête file.
//!
//! ```text
//! cargo run --release --example benchmark                   # 1,000,000 respondents, 5 runs
//! cargo run --release --example benchmark -- 200000 3      # rows, runs
//! cargo run --release --example benchmark -- batch 1000000  # batch of three such years
//! ```
//! The data file is generated once under target/bench/ (17 columns, ';' and decimal commas) with
//! the same generator as the samples. Prints wall time per run (min and median) and the peak
//! resident memory of this process (Linux VmHWM), so that two sizes can be compared for
//! flat memory. Not a test: two noisy cores make timings unfit for pass/fail.

use enquete::cli::{DataArgs, EstimateArgs, ReportArgs};
use enquete::commands::Globals;
use std::path::PathBuf;
use std::time::Instant;

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Three years (2019, 2021, 2023) of `rows` respondents each, processed by `batch`.
fn batch(rows: u64) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join(format!("target/bench/batch-{rows}"));
    std::fs::create_dir_all(&dir).expect("create bench dir");
    let mut project = String::from("title = \"Benchmark\"\ncodebook = \"codebook.toml\"\n");
    for year in [2019u32, 2021, 2023] {
        let data = dir.join(format!("{year}.csv"));
        if !data.exists() {
            enquete::fsutil::write_atomic(&data, |w| {
                enquete::generate::write_sample(w, rows, year as u64, year)
            })
            .expect("generate");
        }
        project.push_str(&format!(
            "[[survey]]\nyear = {year}\ndata = \"{year}.csv\"\n"
        ));
    }
    std::fs::copy(
        root.join("samples/codebook.toml"),
        dir.join("codebook.toml"),
    )
    .expect("codebook");
    std::fs::write(dir.join("project.toml"), project).expect("project");
    let args = enquete::cli::BatchArgs {
        project: dir.join("project.toml"),
        out: dir.join("results"),
        jobs: None,
        no_charts: false,
        estimate: EstimateArgs {
            ci: None,
            level: 0.95,
            skip_invalid: false,
            letters: false,
        },
    };
    let t = Instant::now();
    enquete::commands::batch::run(&args, &Globals::quiet()).expect("batch");
    println!(
        "batch of 3 years x {rows} respondents: {:.3} s; peak RSS {} MiB",
        t.elapsed().as_secs_f64(),
        peak_rss_kib().map_or("?".into(), |k| format!("{:.1}", k as f64 / 1024.0))
    );
}

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    if args.peek().map(String::as_str) == Some("batch") {
        args.next();
        return batch(args.next().map_or(1_000_000, |s| s.parse().expect("rows")));
    }
    let rows: u64 = args.next().map_or(1_000_000, |s| s.parse().expect("rows"));
    let runs: usize = args.next().map_or(5, |s| s.parse().expect("runs"));
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("target/bench");
    std::fs::create_dir_all(&dir).expect("create target/bench");
    let data = dir.join(format!("inwonersenquete-{rows}.csv"));
    if !data.exists() {
        let t = Instant::now();
        enquete::fsutil::write_atomic(&data, |w| {
            enquete::generate::write_sample(w, rows, 42, 2023)
        })
        .expect("generate");
        eprintln!("generated {} in {:.2?}", data.display(), t.elapsed());
    }
    let size = std::fs::metadata(&data).map(|m| m.len()).unwrap_or(0);
    let report = ReportArgs {
        data: DataArgs {
            data: data.clone(),
            codebook: root.join("samples/codebook.toml"),
            allow_absent: false,
            sheet: None,
        },
        estimate: EstimateArgs {
            ci: None,
            level: 0.95,
            skip_invalid: false,
            letters: false,
        },
        out: dir.join(format!("report-{rows}")),
        no_charts: false,
    };
    let mut times = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        enquete::commands::report::run(&report, &Globals::quiet()).expect("report");
        times.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    println!(
        "report on {rows} respondents ({:.1} MB): min {:.3} s, median {:.3} s over {runs} runs; peak RSS {} MiB",
        size as f64 / 1e6,
        times[0],
        times[times.len() / 2],
        peak_rss_kib().map_or("?".into(), |k| format!("{:.1}", k as f64 / 1024.0))
    );
}
