//! `enquete test`: Rao–Scott tests of independence for one table.

use super::{emit, find_table, run_options, warn_about, Globals};
use crate::analysis::analyse;
use crate::cli::TestArgs;
use crate::error::{Error, ExitCode, Result};
use crate::output::{independence as test_output, Format};
use crate::report::{design_facts, Presentation};
use crate::stats::test_table;

pub fn run(args: &TestArgs, g: &Globals) -> Result<ExitCode> {
    let codebook = super::load_data_codebook(&args.data, g)?;
    let t = find_table(&codebook, &args.table, &args.data.codebook)?;
    let table = &codebook.tables[t];
    if codebook.variables[table.rows].is_numeric() {
        return Err(Error::Usage(format!(
            "table '{}': '{}' is numeric; Rao–Scott tests need a single-choice or select-all question",
            table.name, codebook.variables[table.rows].name
        )));
    }
    if table.by.is_empty() {
        return Err(Error::Usage(format!(
            "table '{}' has no `by` variables to test against",
            table.name
        )));
    }
    let presentation = Presentation::new(&codebook, None, 0.95, g.language)?;
    let run = run_options(&args.data, args.skip_invalid, g);
    let analysis = analyse(&args.data.data, &codebook, &[t], &[], run)?;
    warn_about(&codebook, &analysis);
    let rows: Vec<_> = analysis
        .sums
        .layout
        .positions(t)
        .into_iter()
        .flat_map(|pos| test_table(&codebook, &analysis.sums, pos).unwrap_or_default())
        .collect();
    let legend = presentation.legend();
    let design = legend.design(&design_facts(&codebook, &analysis));
    emit(
        args.output.output.as_deref(),
        &[&args.data.data, &args.data.codebook],
        |w| match args.output.format {
            Format::Text => test_output::write_text(&codebook, t, &legend.vocab, &design, &rows, w),
            Format::Csv => crate::output::tidy::write_csv(&rows, &test_output::COLUMNS, w),
            Format::Json => crate::output::tidy::write_json(&rows, w),
        },
    )?;
    Ok(ExitCode::Ok)
}
