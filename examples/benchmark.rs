//! Benchmark of the full default `report` on a generated Inwonersenquête file.
//!
//! ```text
//! cargo run --release --example benchmark                   # 1,000,000 respondents, 5 runs
//! cargo run --release --example benchmark -- 200000 3      # rows, runs
//! cargo run --release --example benchmark -- batch 1000000  # batch of three such years
//! ```
//! The data file is generated once under target/bench/ (20 columns, ';' and decimal commas)
//! with the same generator as the samples. Each run is timed with three codebooks:
//! - `reference`: the codebook of R's reference values (4 tables, a ready-made weight), the
//!   same work as earlier versions of this benchmark, to compare versions;
//! - `unweighted-sample`: the bundled sample's codebook without its `[weighting]` section;
//! - `sample`: the bundled sample's codebook, raking to the population margins.
//!
//! Prints wall time per run (min and median) and the peak resident memory of this process
//! (Linux VmHWM). Not a test: two noisy cores make timings unfit for pass/fail.

use enquete::cli::{DataArgs, EstimateArgs, ReportArgs};
use enquete::commands::Globals;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn estimate_args() -> EstimateArgs {
    EstimateArgs {
        ci: None,
        level: 0.95,
        skip_invalid: false,
        letters: false,
    }
}

/// The three codebooks, written once into the bench folder (the population files beside them).
fn codebooks(root: &Path, dir: &Path) -> Vec<(&'static str, PathBuf)> {
    let sample = std::fs::read_to_string(root.join("samples/codebook.toml")).expect("codebook");
    for year in [2019, 2021, 2023] {
        let name = format!("bevolking-{year}.csv");
        std::fs::copy(root.join("samples").join(&name), dir.join(&name)).expect("population");
    }
    let start = sample.find("[weighting]").expect("the sample weights");
    let end = sample[start..]
        .find("\n\n")
        .map_or(sample.len(), |e| start + e);
    let unweighted = format!("{}{}", &sample[..start], &sample[end..]);
    let out = [
        (
            "reference",
            std::fs::read_to_string(root.join("tests/reference/r/sample/codebook.toml"))
                .expect("reference codebook"),
        ),
        ("unweighted-sample", unweighted),
        ("sample", sample),
    ];
    out.into_iter()
        .map(|(name, text)| {
            let path = dir.join(format!("codebook-{name}.toml"));
            std::fs::write(&path, text).expect("write codebook");
            (name, path)
        })
        .collect()
}

/// Three years (2019, 2021, 2023) of `rows` respondents each, processed by `batch` with the
/// bundled sample's codebook (raking, each year to its population).
fn batch(rows: u64) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join(format!("target/bench/batch-{rows}"));
    std::fs::create_dir_all(&dir).expect("create bench dir");
    let codebook = codebooks(&root, &dir).pop().expect("sample").1;
    let mut project = format!(
        "title = \"Benchmark\"\ncodebook = \"{}\"\n",
        codebook.display()
    );
    for year in [2019u32, 2021, 2023] {
        let data = dir.join(format!("{year}.csv"));
        if !data.exists() {
            enquete::fsutil::write_atomic(&data, |w| {
                enquete::generate::write_sample(w, rows, year as u64, year)
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
    for (name, codebook) in codebooks(&root, &dir) {
        let report = ReportArgs {
            data: DataArgs {
                data: data.clone(),
                codebook,
                allow_absent: false,
                sheet: None,
            },
            estimate: estimate_args(),
            out: dir.join(format!("report-{rows}-{name}")),
            no_charts: false,
            intervals: false,
        };
        let mut times = Vec::new();
        for _ in 0..runs {
            let t = Instant::now();
            enquete::commands::report::run(&report, &Globals::quiet()).expect("report");
            times.push(t.elapsed().as_secs_f64());
        }
        times.sort_by(f64::total_cmp);
        println!(
            "report ({name}) on {rows} respondents ({:.1} MB): min {:.3} s, median {:.3} s over {runs} runs; peak RSS {} MiB",
            size as f64 / 1e6,
            times[0],
            times[times.len() / 2],
            peak_rss_kib().map_or("?".into(), |k| format!("{:.1}", k as f64 / 1024.0))
        );
    }
}
