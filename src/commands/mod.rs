//! One module per subcommand: each parses nothing itself (clap did), composes the library and
//! returns an exit code. Nothing outside this folder (and `main.rs`) uses it.

pub mod batch;
pub mod chart;
pub mod codebook;
pub mod compare;
pub mod crosstab;
pub mod generate;
pub mod report;
pub mod test;
pub mod validate;
pub mod weight;

use crate::analysis::RunOptions;
use crate::cli::{Cli, Command, DataArgs, EstimateArgs};
use crate::codebook::Codebook;
use crate::codebook::Language;
use crate::error::{Error, ExitCode, Result};
use crate::report::Presentation;
use std::path::Path;

/// Run a parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let g = Globals {
        progress: !cli.no_progress,
        language: cli.language,
    };
    match cli.command {
        Command::Validate(a) => validate::run(&a, &g),
        Command::Crosstab(a) => crosstab::run(&a, &g),
        Command::Compare(a) => compare::run(&a, &g),
        Command::Test(a) => test::run(&a, &g),
        Command::Report(a) => report::run(&a, &g),
        Command::Batch(a) => batch::run(&a, &g),
        Command::Chart(a) => chart::run(&a, &g),
        Command::Weight(a) => weight::run(&a, &g),
        Command::Codebook(a) => codebook::run(&a),
        Command::Generate(a) => generate::run(&a),
    }
}

/// Options that apply to every command.
pub struct Globals {
    pub progress: bool,
    pub language: Option<Language>,
}

impl Globals {
    /// No progress bars, the codebook's language.
    pub fn quiet() -> Globals {
        Globals {
            progress: false,
            language: None,
        }
    }
}

/// The presentation of a run from its arguments.
pub fn presentation(codebook: &Codebook, args: &EstimateArgs, g: &Globals) -> Result<Presentation> {
    let mut p = Presentation::new(codebook, args.ci, args.level, g.language)?;
    p.letters = args.letters;
    Ok(p)
}

/// Print the warnings of a pass on stderr.
pub fn warn_about(codebook: &Codebook, analysis: &crate::analysis::Analysis) {
    for w in input_warnings(analysis) {
        eprintln!("{w}");
    }
    for w in crate::report::warnings(codebook, analysis) {
        eprintln!("{w}");
    }
}

/// What the reader did that a user should know (columns renamed, a case count the file did not
/// give), as warnings.
pub fn input_warnings(analysis: &crate::analysis::Analysis) -> Vec<String> {
    analysis
        .input_notes
        .iter()
        .map(|n| format!("warning: {n}"))
        .collect()
}

pub fn run_options(data: &DataArgs, skip_invalid: bool, g: &Globals) -> RunOptions {
    RunOptions {
        skip_invalid,
        allow_absent: data.allow_absent,
        progress: g.progress.then(|| crate::progress::bytes_bar(0, "reading")),
        sheet: data.sheet.clone(),
    }
}

/// The position of a table by name, or a usage error listing the tables.
pub fn find_table(codebook: &Codebook, name: &str, path: &Path) -> Result<usize> {
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
/// Write an output to `output` (replaced as a whole), or to stdout; `inputs` are the files the
/// run reads, which `output` may not be.
pub fn emit(
    output: Option<&Path>,
    inputs: &[&Path],
    fill: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<()> {
    match output {
        Some(path) => {
            crate::fsutil::check_not_input(path, inputs)?;
            Ok(crate::fsutil::write_atomic(path, fill)?)
        }
        None => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            fill(&mut lock).map_err(|e| Error::write(Path::new("<stdout>"), e))
        }
    }
}

/// The codebook of a data command in the run's language, with `--encoding` applied (CSV files
/// only).
pub fn load_data_codebook(args: &DataArgs, g: &Globals) -> Result<Codebook> {
    let mut codebook = load_codebook_for(&args.codebook, &args.data, g)?;
    if let Some(encoding) = args.encoding {
        let kind = crate::input::source::kind(&args.data)?;
        if kind != crate::input::Kind::Csv {
            return Err(Error::Usage(format!(
                "--encoding applies to CSV files; {} is a {} file, which says its own encoding",
                args.data.display(),
                kind.name()
            )));
        }
        codebook.format.encoding = encoding;
    }
    Ok(codebook)
}

/// Read the codebook for a data file. For an SPSS file, variables the codebook refers to but does
/// not describe come from the file's dictionary (labels, value labels, missing codes,
/// multiple-response sets); what the codebook says overrides it.
pub fn load_codebook(codebook: &Path, data: &Path) -> Result<Codebook> {
    Ok(if crate::input::spss::is_spss(data) {
        let meta = crate::input::spss::metadata(data)?;
        let implied = crate::input::spss::implied_variables(&meta);
        Codebook::from_path_with(codebook, &implied)?
    } else {
        Codebook::from_path(codebook)?
    })
}

/// [`load_codebook`] with the labels of the run's language: labels given per language follow
/// the words of the run (`--language`, else the codebook's `language`).
pub fn load_codebook_for(codebook: &Path, data: &Path, g: &Globals) -> Result<Codebook> {
    let mut cb = load_codebook(codebook, data)?;
    cb.localize(g.language.or(cb.language).unwrap_or_default());
    Ok(cb)
}
