//! `enquete batch`: every year of a project, in parallel, then trend tables and a manifest.

use super::Globals;
use crate::analysis::{analyse, RunOptions};
use crate::cli::BatchArgs;
use crate::error::{Error, ExitCode, Result};
use crate::fsutil::{write_new, write_subfolder, OutDir};
use crate::output::tidy;
use crate::progress::Reporter;
use crate::project::{Project, Survey};
use crate::publish::{write_folder, ReportContext};
use crate::report::{self, Presentation, RunSummary};
use crate::stats::trend::{trends, TREND_COLUMNS};
use crate::stats::Estimate;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

/// What one year produced.
struct YearDone {
    estimates: Vec<Estimate>,
    min_base: u64,
    summary: RunSummary,
    presentation: Presentation,
    seconds: f64,
}

/// A year's outcome, kept for the manifest even when it failed.
struct YearOutcome {
    year: u32,
    data_sha256: Option<String>,
    codebook_sha256: Option<String>,
    /// The population file the year is weighted to: its path and SHA-256.
    population: Option<(String, Option<String>)>,
    /// The other files the codebook reads (`invited`, `benchmark`): key, path and SHA-256.
    side_files: Vec<(&'static str, String, Option<String>)>,
    result: Result<YearDone>,
}

pub fn run(args: &BatchArgs, g: &Globals) -> Result<ExitCode> {
    let started = Instant::now();
    let project = Project::from_path(&args.project)?;
    check_title(&project, &args.project)?;
    // The whole run is one unit: every year, the trends and the manifest are written into a
    // temporary folder that replaces OUT only when the run completes (see fsutil::outdir).
    let mut inputs: Vec<&std::path::Path> = vec![args.project.as_path()];
    for s in &project.surveys {
        inputs.extend([s.data.as_path(), s.codebook.as_path()]);
        inputs.extend(s.population.as_deref());
        inputs.extend(s.invited.as_deref());
    }
    let out = OutDir::prepare(&args.out, &inputs)?;
    let root = out.path();
    let reporter = Reporter::new(g.progress);
    let outcomes = run_years(&project, root, args, g, &reporter);

    // Trends from the years that completed.
    let years: Vec<(u32, Vec<Estimate>)> = outcomes
        .iter()
        .filter_map(|o| {
            o.result
                .as_ref()
                .ok()
                .map(|d| (o.year, d.estimates.clone()))
        })
        .collect();
    // The minimum base of the latest year's codebook (the one the trend charts use too).
    let min_base = outcomes
        .iter()
        .rev()
        .find_map(|o| o.result.as_ref().ok().map(|d| d.min_base))
        .unwrap_or(crate::codebook::DEFAULT_MIN_BASE);
    let rows = trends(&years, min_base);
    write_new(&root.join("trends.csv"), |w| {
        tidy::write_csv(&rows, &TREND_COLUMNS, w)
    })?;
    write_new(&root.join("trends.json"), |w| tidy::write_json(&rows, w))?;

    // Trend charts and the Kerncijfers, with the codebook and words of the latest completed year.
    let latest = outcomes.iter().rev().find(|o| o.result.is_ok());
    if let Some((o, Ok(done))) = latest.map(|o| (o, &o.result)) {
        let survey = project.surveys.iter().find(|s| s.year == o.year);
        if let Some(s) = survey {
            let cb = super::load_codebook_for(&s.codebook, &s.data, g)?;
            let done_years: Vec<u32> = years.iter().map(|(y, _)| *y).collect();
            publish_key_figures(root, &project.title, &cb, &rows, &done_years, done, args, s)?;
        }
    }
    let failed: Vec<&YearOutcome> = outcomes.iter().filter(|o| o.result.is_err()).collect();
    let manifest = manifest(&project, args, &outcomes, &rows, &years, started);
    write_new(&root.join("manifest.json"), |w| {
        serde_json::to_writer_pretty(&mut *w, &manifest)?;
        writeln!(w)
    })?;
    for w in out.commit()? {
        reporter.line(&w);
    }
    reporter.line(&format!(
        "batch: {} of {} years complete; trends: {} rows; wrote {}",
        outcomes.len() - failed.len(),
        outcomes.len(),
        rows.len(),
        args.out.display()
    ));
    Ok(match failed.first() {
        None => ExitCode::Ok,
        Some(f) => f
            .result
            .as_ref()
            .err()
            .map_or(ExitCode::DataProblems, |e| e.exit_code()),
    })
}

/// The batch's own page and workbook: the Kerncijfers of every table (years as columns), with
/// links to the trend charts (drawn here unless `--no-charts`) and to each year's report.
#[allow(clippy::too_many_arguments)]
fn publish_key_figures(
    root: &Path,
    title: &str,
    codebook: &crate::codebook::Codebook,
    rows: &[crate::stats::trend::TrendRow],
    years: &[u32],
    latest: &YearDone,
    args: &BatchArgs,
    survey: &Survey,
) -> Result<()> {
    let legend = latest.presentation.legend();
    let tables = crate::report::kerncijfers::key_tables(codebook, rows, years, &legend.vocab);
    let mut charts: Vec<Vec<(String, String)>> = vec![Vec::new(); codebook.tables.len()];
    if !args.no_charts {
        let per_table = crate::charts::trend_charts_per_table(codebook, rows, title, &legend);
        for (i, specs) in per_table.iter().enumerate() {
            charts[i] = specs
                .iter()
                .map(|s| {
                    // The section names the table: a link says what its chart shows.
                    let f = s.chart.frame();
                    (
                        s.stem.clone(),
                        f.subtitle.clone().unwrap_or(f.title.clone()),
                    )
                })
                .collect();
        }
        let specs: Vec<crate::charts::ChartSpec> = per_table.into_iter().flatten().collect();
        crate::charts::write_all(&root.join("charts"), &specs)?;
    }
    // Key tables exist only for tables with figures; keep their charts alongside.
    let charts: Vec<Vec<(String, String)>> = codebook
        .tables
        .iter()
        .zip(charts)
        .filter(|(t, _)| tables.iter().any(|k| k.name == t.name))
        .map(|(_, c)| c)
        .collect();
    let page = crate::output::html::kerncijfers::KeyPage {
        title,
        years,
        reports: years,
        tables: &tables,
        charts: &charts,
        legend,
    };
    write_new(&root.join("index.html"), |w| {
        crate::output::html::kerncijfers::write_page(&page, w)
    })?;
    // The workbook is dated by the latest year's data file, as a year's tabellenboek is.
    let input_date = std::fs::metadata(&survey.data)
        .and_then(|m| m.modified())
        .ok();
    let book = crate::output::kerncijfers::workbook(title, years, &tables, &legend, input_date)
        .map_err(|e| {
            Error::write(
                &root.join("kerncijfers.xlsx"),
                std::io::Error::other(e.to_string()),
            )
        })?;
    write_new(&root.join("kerncijfers.xlsx"), |w| w.write_all(&book))?;
    Ok(())
}

/// Every year of the project, `--jobs` at a time, in year order.
fn run_years(
    project: &Project,
    root: &Path,
    args: &BatchArgs,
    g: &Globals,
    reporter: &Reporter,
) -> Vec<YearOutcome> {
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()))
        .clamp(1, project.surveys.len());
    let overall = reporter.count(project.surveys.len() as u64, "years");
    let next = AtomicUsize::new(0);
    let outcomes: Mutex<Vec<YearOutcome>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(survey) = project.surveys.get(i) else {
                    break;
                };
                let outcome = run_year(survey, root, args, g, reporter);
                match &outcome.result {
                    Ok(done) => reporter.line(&format!(
                        "{}: {} rows read, {} used; wrote {} ({:.2} s)",
                        survey.year,
                        done.summary.rows_read,
                        done.summary.rows_used,
                        args.out.join(survey.year.to_string()).display(),
                        done.seconds
                    )),
                    Err(e) => {
                        reporter.line(&format!("{}: failed:", survey.year));
                        for line in e.to_string().lines() {
                            reporter.line(&format!("{}: {line}", survey.year));
                        }
                    }
                }
                if let Some(bar) = &overall {
                    bar.inc(1);
                }
                outcomes
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(outcome);
            });
        }
    });
    if let Some(bar) = overall {
        bar.finish_and_clear();
    }
    let mut outcomes = outcomes.into_inner().unwrap_or_else(|p| p.into_inner());
    outcomes.sort_by_key(|o| o.year);
    outcomes
}

/// The manifest: the tool, the project, every input with its hash and each year's summary or
/// error, the trends and the timings.
fn manifest(
    project: &Project,
    args: &BatchArgs,
    outcomes: &[YearOutcome],
    rows: &[crate::stats::trend::TrendRow],
    years: &[(u32, Vec<Estimate>)],
    started: Instant,
) -> serde_json::Value {
    serde_json::json!({
        "tool": format!("enquete {}", env!("CARGO_PKG_VERSION")),
        "title": project.title,
        "project": args.project.display().to_string(),
        "options": {
            "ci": args.estimate.ci.map(|m| m.name()),
            "level": args.estimate.level,
            "skip_invalid": args.estimate.skip_invalid,
            "absent_columns": "not asked (batch behaviour)",
        },
        "surveys": outcomes.iter().map(|o| {
            let survey = project.surveys.iter().find(|s| s.year == o.year);
            let mut v = serde_json::json!({
                "year": o.year,
                "data": survey.map(|s| s.data.display().to_string()),
                "data_sha256": o.data_sha256,
                "codebook": survey.map(|s| s.codebook.display().to_string()),
                "codebook_sha256": o.codebook_sha256,
                "population_file": o.population.as_ref().map(|p| p.0.clone()),
                "population_sha256": o.population.as_ref().and_then(|p| p.1.clone()),
            });
            for (key, file, digest) in &o.side_files {
                v[format!("{key}_file")] = file.clone().into();
                v[format!("{key}_sha256")] = digest.clone().into();
            }
            match &o.result {
                Ok(done) => {
                    v["status"] = "ok".into();
                    // The year's run summary, its keys beside the year's own.
                    if let (Some(target), Ok(serde_json::Value::Object(summary))) =
                        (v.as_object_mut(), serde_json::to_value(&done.summary))
                    {
                        for (k, x) in summary {
                            target.entry(k).or_insert(x);
                        }
                    }
                }
                Err(e) => {
                    v["status"] = "failed".into();
                    v["error"] = e.to_string().into();
                }
            }
            v
        }).collect::<Vec<_>>(),
        "trends": { "rows": rows.len(), "years": years.iter().map(|(y, _)| *y).collect::<Vec<_>>() },
        "timings": {
            "total_seconds": started.elapsed().as_secs_f64(),
            "years": outcomes.iter().map(|o| (o.year.to_string(), serde_json::json!(o.result.as_ref().map(|d| d.seconds).ok()))).collect::<serde_json::Map<_, _>>(),
        },
    })
}

/// The project's title is drawn into the trend charts (SVG): like the codebook's texts, it may
/// not hold control characters.
fn check_title(project: &Project, path: &Path) -> Result<()> {
    match project.title.chars().find(|c| c.is_control()) {
        None => Ok(()),
        Some(c) => Err(Error::Usage(format!(
            "{}: key 'title': value {} contains the control character U+{:04X}; remove it",
            path.display(),
            crate::text::quote_value(&project.title),
            c as u32
        ))),
    }
}

/// One year: its analysis and its report in `root/<year>/` (a unit: the folder appears only
/// when complete, so a failed year has none).
fn run_year(
    survey: &Survey,
    root: &Path,
    args: &BatchArgs,
    g: &Globals,
    reporter: &Reporter,
) -> YearOutcome {
    let data_sha256 = sha256(&survey.data).ok();
    let codebook_sha256 = sha256(&survey.codebook).ok();
    let mut population = None;
    let mut side_files = Vec::new();
    let started = Instant::now();
    let result = (|| -> Result<YearDone> {
        let mut codebook = super::load_codebook_for(&survey.codebook, &survey.data, g)?;
        if let Some(p) = &survey.population {
            codebook
                .set_population(p)
                .map_err(|source| crate::codebook::LoadError::Invalid {
                    path: survey.codebook.clone(),
                    source,
                })?;
        }
        if let Some(p) = &survey.invited {
            // The file is named by the project, not the codebook: the error says where.
            codebook
                .set_invited(p)
                .map_err(|e| crate::codebook::LoadError::Invalid {
                    path: args.project.clone(),
                    source: crate::codebook::CodebookError::invalid(
                        format!("[[survey]] year {}, key 'invited'", survey.year),
                        e.to_string(),
                    ),
                })?;
        }
        if let Some(w) = &codebook.weighting {
            population = Some((w.file.display().to_string(), sha256(&w.file).ok()));
        }
        let files = [
            (
                "invited",
                codebook.response.as_ref().map(|r| r.file.clone()),
            ),
            ("benchmark", codebook.benchmark_file.clone()),
        ];
        for (key, file) in files {
            if let Some(f) = file {
                side_files.push((key, f.display().to_string(), sha256(&f).ok()));
            }
        }
        let mut presentation = super::presentation(&codebook, &args.estimate, g)?;
        presentation.intervals = args.intervals;
        let tables: Vec<usize> = (0..codebook.tables.len()).collect();
        let run = RunOptions {
            skip_invalid: args.estimate.skip_invalid,
            allow_absent: true,
            progress: reporter.bytes(&survey.year.to_string()),
            sheet: None,
        };
        let analysis = analyse(
            &survey.data,
            &codebook,
            &tables,
            &report::report_crossings(&codebook),
            run,
        )?;
        let mut notes = super::input_warnings(&analysis);
        notes.extend(report::warnings(&codebook, &analysis));
        let results = report::build(&codebook, &analysis, &presentation, &mut notes);
        let ctx = ReportContext {
            codebook: &codebook,
            analysis: &analysis,
            presentation,
            data: &survey.data,
            codebook_path: &survey.codebook,
            charts: !args.no_charts,
            notes: notes.clone(),
        };
        write_subfolder(root, &survey.year.to_string(), |dir| {
            write_folder(dir, &ctx, &results)
        })?;
        for n in &notes {
            for line in n.lines() {
                reporter.line(&format!("{}: {line}", survey.year));
            }
        }
        let summary = RunSummary::new(
            &codebook,
            &analysis,
            &presentation,
            &survey.data,
            &survey.codebook,
            notes,
        );
        Ok(YearDone {
            estimates: results.into_iter().flat_map(|r| r.estimates).collect(),
            min_base: codebook.min_base_test,
            summary,
            presentation,
            seconds: started.elapsed().as_secs_f64(),
        })
    })();
    YearOutcome {
        year: survey.year,
        data_sha256,
        codebook_sha256,
        population,
        side_files,
        result,
    }
}

/// The SHA-256 of a file, as lowercase hex.
pub fn sha256(path: &Path) -> Result<String> {
    let mut file = std::fs::File::open(path).map_err(|e| Error::read(path, e))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf).map_err(|e| Error::read(path, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}
