//! `enquete report`: every table of the codebook with its comparisons and tests, as CSV and
//! JSON, charts, an HTML page, the Excel tabellenboek, a Markdown report and a run summary,
//! written into one folder.

use super::{presentation, run_options, warn_about, Globals};
use crate::analysis::analyse;
use crate::cli::ReportArgs;
use crate::error::{ExitCode, Result};
use crate::fsutil::OutDir;
use crate::publish::{write_folder, ReportContext};
use crate::report::{self, report_crossings};

pub fn run(args: &ReportArgs, g: &Globals) -> Result<ExitCode> {
    let codebook = super::load_data_codebook(&args.data, g)?;
    let mut presentation = presentation(&codebook, &args.estimate, g)?;
    presentation.intervals = args.intervals;
    // Lock and check the output folder before the long part, so that a second run into the
    // same folder is refused at once. The report is built in a temporary folder beside it and
    // swapped in when complete; any error (or SIGINT/SIGTERM) before that leaves it untouched.
    let population = codebook.weighting.as_ref().map(|w| w.file.as_path());
    let invited = codebook.response.as_ref().map(|r| r.file.as_path());
    let inputs: Vec<&std::path::Path> = [
        Some(args.data.data.as_path()),
        Some(args.data.codebook.as_path()),
        population,
        invited,
        codebook.benchmark_file.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect();
    let out = OutDir::prepare(&args.out, &inputs)?;
    let run = run_options(&args.data, args.estimate.skip_invalid, g);
    let tables: Vec<usize> = (0..codebook.tables.len()).collect();
    let crossings = report_crossings(&codebook);
    let analysis = analyse(&args.data.data, &codebook, &tables, &crossings, run)?;
    warn_about(&codebook, &analysis);
    let mut notes = super::input_warnings(&analysis);
    notes.extend(report::warnings(&codebook, &analysis));
    let mut problems = Vec::new();
    let results = report::build(&codebook, &analysis, &presentation, &mut problems);
    for w in &problems {
        eprintln!("{w}");
    }
    notes.extend(problems);
    let ctx = ReportContext {
        codebook: &codebook,
        analysis: &analysis,
        presentation,
        data: &args.data.data,
        codebook_path: &args.data.codebook,
        charts: !args.no_charts,
        notes,
    };
    write_folder(out.path(), &ctx, &results)?;
    for w in out.commit()? {
        eprintln!("{w}");
    }
    eprintln!(
        "wrote {} tables ({} estimates, {} comparisons, {} tests) to {}",
        results.len(),
        results.iter().map(|r| r.estimates.len()).sum::<usize>(),
        results.iter().map(|r| r.comparisons.len()).sum::<usize>(),
        results.iter().map(|r| r.tests.len()).sum::<usize>(),
        args.out.display()
    );
    Ok(ExitCode::Ok)
}
