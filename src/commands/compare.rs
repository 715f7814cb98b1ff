//! `enquete compare`: differences between groups, crude or standardised.

use super::{emit, find_group_variable, find_table, run_options, warn_about, Globals};
use crate::analysis::analyse;
use crate::cli::CompareArgs;
use crate::error::{Error, ExitCode, Result};
use crate::output::{comparisons, Format};
use crate::report::{check_level, design_facts, Presentation};
use crate::stats::compare::HolmScope;
use crate::stats::{compare_table, CompareSpec};

pub fn run(args: &CompareArgs, g: &Globals) -> Result<ExitCode> {
    let codebook = super::load_data_codebook(&args.data, g)?;
    let t = find_table(&codebook, &args.table, &args.data.codebook)?;
    let between = match (&args.between, &codebook.compare) {
        (Some(b), _) => find_group_variable(&codebook, b, "--between")?,
        (None, Some(c)) => c.between,
        (None, None) => {
            return Err(Error::Usage(
                "--between is required (or set [compare] between = \"...\" in the codebook)".into(),
            ))
        }
    };
    let standardize = match &args.standardize {
        Some(s) => Some(find_group_variable(&codebook, s, "--standardize")?),
        None => None,
    };
    if standardize == Some(between) {
        return Err(Error::Usage(
            "--standardize must name another variable than --between".into(),
        ));
    }
    if let Some(s) = standardize {
        // The standardising crossing is kept per stratum like a crossed breakdown: the same limit.
        crate::codebook::sizes::check_crossing(
            &codebook.variables,
            &[between, s],
            "--standardize",
            "standardize",
        )
        .map_err(|e| Error::Usage(e.to_string()))?;
    }
    check_level(args.level)?;
    let presentation = Presentation::new(&codebook, None, args.level, g.language)?;
    let mut crossings = vec![vec![between]];
    if let Some(s) = standardize {
        crossings.push(vec![between, s]);
    }
    let run = run_options(&args.data, args.skip_invalid, g);
    let analysis = analyse(&args.data.data, &codebook, &[t], &crossings, run)?;
    warn_about(&codebook, &analysis);
    let against = args
        .against
        .or(codebook.compare.as_ref().and_then(|c| c.against))
        .unwrap_or_default();
    let vocab = presentation.vocab();
    let spec = CompareSpec {
        between: vec![between],
        standardize,
        against,
        scope: HolmScope::Table,
        level: args.level,
        min_base: codebook.min_base_test,
        total_label: vocab.total(),
        rest_label: vocab.rest(),
    };
    // A battery's statements are compared one after another.
    let mut rows = Vec::new();
    for pos in analysis.sums.layout.positions(t) {
        rows.extend(compare_table(&codebook, &analysis.sums, pos, &spec)?);
    }
    let legend = presentation.legend();
    let design = legend.design(&design_facts(&codebook, &analysis));
    let heading = comparisons::heading(&codebook, t, &spec, &legend, &design);
    emit(
        args.output.output.as_deref(),
        &[&args.data.data, &args.data.codebook],
        |w| match args.output.format {
            Format::Text => {
                comparisons::write_text(&legend, &heading, &rows, codebook.min_base_test, w)
            }
            Format::Csv => {
                crate::output::tidy::write_csv(&rows, &crate::stats::compare::COMPARISON_COLUMNS, w)
            }
            Format::Json => crate::output::tidy::write_json(&rows, w),
        },
    )?;
    Ok(ExitCode::Ok)
}
