//! One module per subcommand; each composes the library and returns an exit code.

pub mod crosstab;
pub mod generate;
pub mod report;
pub mod validate;

use crate::analysis::{Analysis, RunOptions};
use crate::cli::{Cli, Command, EstimateArgs};
use crate::codebook::Codebook;
use crate::error::{Error, ExitCode, Result};
use crate::stats::{CiMethod, EstimateOptions};

/// Run a parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let progress = !cli.no_progress;
    match cli.command {
        Command::Validate(a) => validate::run(&a, progress),
        Command::Crosstab(a) => crosstab::run(&a, progress),
        Command::Report(a) => report::run(&a, progress),
        Command::Generate(a) => generate::run(&a),
    }
}

/// Interval method and level from the arguments, checked against the codebook's design.
pub fn estimate_options(codebook: &Codebook, args: &EstimateArgs) -> Result<EstimateOptions> {
    let weighted = codebook.design.is_some();
    let method = match &args.ci {
        Some(s) => s.parse::<CiMethod>().map_err(Error::Usage)?,
        None if weighted => CiMethod::Logit,
        None => CiMethod::Wilson,
    };
    if weighted && !method.is_design_based() {
        return Err(Error::Usage(format!(
            "--ci {method} assumes an unweighted simple random sample, but the codebook declares a \
             [design]; use logit, beta, asin, mean or xlogit"
        )));
    }
    if !(args.level > 0.0 && args.level < 1.0) {
        return Err(Error::Usage(format!(
            "--level {} is not between 0 and 1 (write 0.95 for 95%)",
            args.level
        )));
    }
    Ok(EstimateOptions {
        method,
        level: args.level,
    })
}

/// One line describing the design and methods, for headings and summaries.
pub fn describe_method(codebook: &Codebook, analysis: &Analysis, opts: &EstimateOptions) -> String {
    let d = &analysis.sums.design;
    let design = match &codebook.design {
        None => format!("unweighted simple random sample of {} respondents", d.rows),
        Some(spec) => {
            let mut s = format!("weighted by '{}'", spec.weight);
            if let Some(st) = &spec.strata {
                s.push_str(&format!(", {} strata ('{st}')", d.n_strata()));
            }
            if let Some(c) = &spec.cluster {
                s.push_str(&format!(", {} PSUs ('{c}')", d.n_psus()));
            }
            s.push_str(&format!(", {} respondents, df {}", d.rows, d.df()));
            s
        }
    };
    let level = 100.0 * opts.level;
    let means = if codebook.design.is_some() {
        "normal"
    } else {
        "t"
    };
    format!(
        "Design: {design}. Intervals: {level}% {} for proportions, {means} for means.",
        opts.method
    )
}

/// Report rows left out with --skip-invalid, lonely strata and values outside every bin.
pub fn warn_about(codebook: &Codebook, analysis: &Analysis) {
    if analysis.skipped.total > 0 {
        eprintln!("{}", analysis.skipped);
        eprintln!(
            "warning: {} row{} with problems left out (--skip-invalid); {} of {} rows used",
            analysis.skipped.rows,
            if analysis.skipped.rows == 1 { "" } else { "s" },
            analysis.rows_used,
            analysis.rows_read
        );
    }
    for (v, n) in &analysis.outside_bins {
        let var = &codebook.variables[*v];
        let from = match &var.kind {
            crate::codebook::VariableKind::Bins { from, .. } => {
                codebook.variables[*from].name.as_str()
            }
            _ => "",
        };
        eprintln!(
            "warning: {n} respondent{} with '{from}' outside every bin of '{}' (missing for that grouping)",
            if *n == 1 { "" } else { "s" },
            var.name
        );
    }
    let lonely = analysis.sums.design.lonely_strata();
    if lonely > 0 && codebook.design.is_some() {
        eprintln!(
            "warning: {lonely} stratum/strata with a single PSU; their variance is centred at the grand mean (R: survey.lonely.psu = \"adjust\")"
        );
    }
    for c in &analysis.absent_columns {
        eprintln!("warning: column '{c}' is not in the file: treated as not asked");
    }
}

pub fn run_options(skip_invalid: bool, allow_absent: bool, progress: bool) -> RunOptions {
    RunOptions {
        skip_invalid,
        allow_absent,
        progress,
    }
}
