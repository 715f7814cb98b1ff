//! `enquete crosstab`: one table to the terminal or a file.

use super::{presentation, run_options, warn_about, Globals};
use crate::analysis::analyse;
use crate::cli::CrosstabArgs;
use crate::error::{ExitCode, Result};
use crate::output::{write_estimates, TableHeading};
use crate::report::{design_facts, table_result};

pub fn run(args: &CrosstabArgs, g: &Globals) -> Result<ExitCode> {
    let codebook = super::load_data_codebook(&args.data, g)?;
    let t = super::find_table(&codebook, &args.table, &args.data.codebook)?;
    let presentation = presentation(&codebook, &args.estimate, g)?;
    let run = run_options(&args.data, args.estimate.skip_invalid, g);
    let crossings = crate::report::report_crossings(&codebook);
    let analysis = analyse(&args.data.data, &codebook, &[t], &crossings, run)?;
    warn_about(&codebook, &analysis);
    let table = &codebook.tables[t];
    let rows_var = &codebook.variables[table.rows];
    if analysis.absent_variables.contains(&table.rows) {
        eprintln!(
            "warning: table '{}': '{}' was not asked in this file",
            table.name, rows_var.name
        );
    }
    let mut problems = Vec::new();
    let result = table_result(&codebook, &analysis, t, &presentation, &mut problems);
    for w in &problems {
        eprintln!("{w}");
    }
    let heading = TableHeading {
        name: table.name.clone(),
        label: rows_var.label.clone(),
        description: presentation
            .legend()
            .design_and_methods(&design_facts(&codebook, &analysis)),
        legend: presentation.legend(),
        min_base: codebook.min_base_test,
    };
    super::emit(
        args.output.output.as_deref(),
        &[&args.data.data, &args.data.codebook],
        |w| write_estimates(args.output.format, &heading, &result, w),
    )?;
    Ok(ExitCode::Ok)
}
