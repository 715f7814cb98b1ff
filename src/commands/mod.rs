//! One module per subcommand; each composes the library and returns an exit code.

pub mod batch;
pub mod chart;
pub mod codebook;
pub mod compare;
pub mod crosstab;
pub mod generate;
pub mod report;
pub mod test;
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
        Command::Compare(a) => compare::run(&a, progress),
        Command::Test(a) => test::run(&a, progress),
        Command::Report(a) => report::run(&a, progress),
        Command::Batch(a) => batch::run(&a, progress),
        Command::Chart(a) => chart::run(&a, progress),
        Command::Codebook(a) => codebook::run(&a),
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

/// One phrase describing the design, for headings and summaries.
pub fn describe_design(codebook: &Codebook, analysis: &Analysis) -> String {
    let d = &analysis.sums.design;
    match &codebook.design {
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
    }
}

/// One line describing the design and methods, for headings and summaries.
pub fn describe_method(codebook: &Codebook, analysis: &Analysis, opts: &EstimateOptions) -> String {
    let level = 100.0 * opts.level;
    let means = if codebook.design.is_some() {
        "normal"
    } else {
        "t"
    };
    format!(
        "Design: {}. Intervals: {level}% {} for proportions, {means} for means.",
        describe_design(codebook, analysis),
        opts.method
    )
}

/// Warnings about a pass: rows left out with --skip-invalid (with their problems), values
/// outside every bin, lonely strata, columns not in the file or not in the codebook.
pub fn warnings(codebook: &Codebook, analysis: &Analysis) -> Vec<String> {
    let mut out = Vec::new();
    if analysis.skipped.total > 0 {
        out.push(analysis.skipped.to_string());
        out.push(format!(
            "warning: {} row{} with problems left out (--skip-invalid); {} of {} rows used",
            analysis.skipped.rows,
            if analysis.skipped.rows == 1 { "" } else { "s" },
            analysis.rows_used,
            analysis.rows_read
        ));
    }
    for (v, n) in &analysis.outside_bins {
        let var = &codebook.variables[*v];
        let from = match &var.kind {
            crate::codebook::VariableKind::Bins { from, .. } => {
                codebook.variables[*from].name.as_str()
            }
            _ => "",
        };
        out.push(format!(
            "warning: {n} respondent{} with '{from}' outside every bin of '{}' (missing for that grouping)",
            if *n == 1 { "" } else { "s" },
            var.name
        ));
    }
    let lonely = analysis.sums.design.lonely_strata();
    if lonely > 0 && codebook.design.is_some() {
        out.push(format!(
            "warning: {lonely} stratum/strata with a single PSU; their variance is centred at the grand mean (R: survey.lonely.psu = \"adjust\")"
        ));
    }
    for c in &analysis.absent_columns {
        out.push(format!(
            "warning: column '{c}' is not in the file: treated as not asked"
        ));
    }
    out
}

/// Print [`warnings`] on stderr.
pub fn warn_about(codebook: &Codebook, analysis: &Analysis) {
    for w in warnings(codebook, analysis) {
        eprintln!("{w}");
    }
}

pub fn run_options(skip_invalid: bool, allow_absent: bool, progress: bool) -> RunOptions {
    RunOptions {
        skip_invalid,
        allow_absent,
        progress: progress.then(|| crate::progress::bytes_bar(0, "reading")),
    }
}

/// The position of a table by name, or a usage error listing the tables.
pub fn find_table(codebook: &Codebook, name: &str, path: &std::path::Path) -> Result<usize> {
    codebook
        .tables
        .iter()
        .position(|t| t.name == name)
        .ok_or_else(|| {
            let names: Vec<&str> = codebook.tables.iter().map(|t| t.name.as_str()).collect();
            Error::Usage(format!(
                "--table {name}: no such table in {}; tables: {}",
                path.display(),
                if names.is_empty() {
                    "(none)".to_string()
                } else {
                    names.join(", ")
                }
            ))
        })
}

/// A grouping variable by name for an option, or a usage error saying what is possible.
pub fn find_group_variable(codebook: &Codebook, name: &str, option: &str) -> Result<usize> {
    let groups: Vec<&str> = codebook
        .variables
        .iter()
        .filter(|v| v.groups().is_some())
        .map(|v| v.name.as_str())
        .collect();
    let i = codebook.variable(name).ok_or_else(|| {
        Error::Usage(format!(
            "{option} {name}: no such variable; grouping variables: {}",
            groups.join(", ")
        ))
    })?;
    if codebook.variables[i].groups().is_none() {
        return Err(Error::Usage(format!(
            "{option} {name}: a {} variable has no groups; grouping variables: {}",
            codebook.variables[i].type_name(),
            groups.join(", ")
        )));
    }
    Ok(i)
}

/// Write to a file atomically, or to standard output.
pub fn emit(
    output: Option<&std::path::Path>,
    fill: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<()> {
    match output {
        Some(path) => crate::fsutil::write_atomic(path, fill),
        None => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            fill(&mut lock).map_err(|e| Error::write(std::path::Path::new("<stdout>"), e))
        }
    }
}

/// Read the codebook for a data file. For an SPSS file, variables the codebook refers to but does
/// not describe come from the file's dictionary (labels, value labels, missing codes,
/// multiple-response sets); what the codebook says overrides it.
pub fn load_codebook(codebook: &std::path::Path, data: &std::path::Path) -> Result<Codebook> {
    if crate::input::spss::is_spss(data) {
        let meta = crate::input::spss::metadata(data)?;
        let implied = crate::input::spss::implied_variables(&meta);
        Codebook::from_path_with(codebook, &implied)
    } else {
        Codebook::from_path(codebook)
    }
}
