//! `enquete crosstab`: one table to the terminal or a file.

use super::{presentation, run_options, warn_about, Globals};
use crate::analysis::analyse;
use crate::cli::CrosstabArgs;
use crate::error::{ExitCode, Result};
use crate::output::{write_estimates, TableHeading};
use crate::report::design_facts;
use crate::stats::estimate_table;

pub fn run(args: &CrosstabArgs, g: &Globals) -> Result<ExitCode> {
    let codebook = super::load_codebook(&args.data.codebook, &args.data.data)?;
    let t = super::find_table(&codebook, &args.table, &args.data.codebook)?;
    let presentation = presentation(&codebook, &args.estimate, g)?;
    let run = run_options(&args.data, args.estimate.skip_invalid, g);
    let analysis = analyse(&args.data.data, &codebook, &[t], &[], run)?;
    warn_about(&codebook, &analysis);
    let table = &codebook.tables[t];
    let rows_var = &codebook.variables[table.rows];
    if analysis.absent_variables.contains(&table.rows) {
        eprintln!(
            "warning: table '{}': '{}' was not asked in this file",
            table.name, rows_var.name
        );
    }
    let rows = estimate_table(
        &codebook,
        &analysis.sums,
        0,
        presentation.estimate_options(),
    );
    let heading = TableHeading {
        name: table.name.clone(),
        label: rows_var.label.clone(),
        description: presentation
            .legend()
            .design_and_methods(&design_facts(&codebook, &analysis)),
        vocab: presentation.vocab(),
    };
    super::emit(args.output.output.as_deref(), |w| {
        write_estimates(args.output.format, &heading, &rows, w)
    })?;
    Ok(ExitCode::Ok)
}
