//! `enquete crosstab`: one table to the terminal or a file.

use super::{describe_method, estimate_options, run_options, warn_about};
use crate::analysis::analyse;
use crate::cli::CrosstabArgs;
use crate::error::{ExitCode, Result};
use crate::output::{write_estimates, TableHeading};
use crate::stats::estimate_table;

pub fn run(args: &CrosstabArgs, progress: bool) -> Result<ExitCode> {
    let codebook = super::load_codebook(&args.data.codebook, &args.data.data)?;
    let t = super::find_table(&codebook, &args.table, &args.data.codebook)?;
    let opts = estimate_options(&codebook, &args.estimate)?;
    let run = run_options(args.estimate.skip_invalid, args.data.allow_absent, progress);
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
    let rows = estimate_table(&codebook, &analysis.sums, 0, opts);
    let heading = TableHeading {
        name: table.name.clone(),
        label: rows_var.label.clone(),
        method: describe_method(&codebook, &analysis, &opts),
    };
    super::emit(args.output.output.as_deref(), |w| {
        write_estimates(args.output.format, &heading, &rows, w)
    })?;
    Ok(ExitCode::Ok)
}
