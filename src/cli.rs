//! Command-line interface. Doc comments here are the `--help` text.

use crate::codebook::Language;
use crate::output::Format;
use crate::stats::CiMethod;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "enquete",
    version,
    about = "Design-based tables for resident surveys (Inwonersenquête)",
    long_about = "Turns a respondent-level survey file (one row per respondent) and a codebook into \
tables of proportions and means per group, with confidence intervals that agree with R's survey \
package: weights, strata and clusters are taken into account.",
    after_help = "Examples:
  enquete validate samples/inwonersenquete-2023.csv --codebook samples/codebook.toml
  enquete crosstab samples/inwonersenquete-2023.csv --codebook samples/codebook.toml --table kanaal
  enquete report   samples/inwonersenquete-2023.csv --codebook samples/codebook.toml --out report/

Exit codes: 0 ok, 1 problems in the data file, 2 usage or codebook error, 3 output could not be written.
The codebook format is described in docs/codebook.md."
)]
pub struct Cli {
    /// Do not draw progress bars (they are never drawn when stderr is not a terminal).
    #[arg(long, global = true)]
    pub no_progress: bool,

    /// The language of the words in reports, tables and charts: nl (Dutch, decimal comma) or en.
    /// Default: the codebook's `language`, else nl. Tidy CSV and JSON do not change.
    #[arg(long, global = true, value_enum)]
    pub language: Option<Language>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a data file against its codebook and report every problem.
    ///
    /// Reads the whole file, lists each problem with its line, column, value and what was expected
    /// (the first 50; the rest are counted), and prints a summary of rows read and valid.
    /// Exits with 1 when any row has a problem.
    Validate(ValidateArgs),
    /// Print one table: every category by every group, with confidence intervals.
    ///
    /// The table is named in the codebook's [[tables]]. Proportions for single-choice and
    /// select-all questions, weighted means for numeric ones, for the whole sample and for each
    /// group of each `by` variable.
    Crosstab(CrosstabArgs),
    /// Compare two or more groups (e.g. English vs Dutch questionnaires), crude or standardised.
    ///
    /// For every category of the table: each group's estimate, the difference (second group minus
    /// first, codebook order), its design-based standard error, interval and t test on svyglm's
    /// residual degrees of freedom, and a Holm-adjusted p-value across the table. With
    /// --standardize, both groups are re-weighted to the weighted distribution of that variable
    /// (e.g. age group) among all respondents with a known value (direct standardisation).
    Compare(CompareArgs),
    /// Rao–Scott tests of independence between a table's question and each of its `by` variables.
    ///
    /// As R's svychisq: the second-order corrected F (with ndf, ddf and p) and the first-order
    /// corrected chi-square; one 2 × k test per item of a select-all set, one r × k test of a
    /// single-choice question. Numeric questions have no such test.
    Test(TestArgs),
    /// Write every table of the codebook, a readable report and a run summary into a folder.
    ///
    /// Per table: estimates, Rao–Scott tests, and group comparisons (the codebook's [compare]
    /// section, or every `by` variable with exactly two groups).
    Report(ReportArgs),
    /// Reprocess yearly surveys from a project file: a full report per year and trend tables.
    ///
    /// Writes OUT/<year>/ (the report of that year), OUT/trends.csv and .json (every estimate of
    /// every year with its change from the previous year that has it), and OUT/manifest.json
    /// (tool version, SHA-256 of every input, rows per year, methods, notes). Years run in
    /// parallel; columns absent in a year are reported as not asked; a year with problems is
    /// reported and the others complete (exit code 1 then).
    Batch(BatchArgs),
    /// Write every respondent's final weight: the design weight calibrated to the population.
    ///
    /// With a [weighting] section, the weights are post-stratified, raked or calibrated to the
    /// population file it names (as R's postStratify and calibrate); without one, the design
    /// weight as it is. The output has the respondent id (the codebook's `id`, else the first
    /// column) and `gewicht`, in full precision, with the data file's delimiter and decimal mark.
    Weight(WeightArgs),
    /// Draw one chart of a table as SVG or PNG (by the output's extension).
    ///
    /// Horizontal bars per category with confidence whiskers, for the whole sample or the groups
    /// of one `by` variable; numeric questions give their means per group.
    Chart(ChartArgs),
    /// Draft a codebook from a data file: a complete, commented TOML that `crosstab` accepts.
    ///
    /// From an SPSS file (.sav, .zsav): its variable labels, value labels, user-missing codes,
    /// multiple-response sets and weight variable. From CSV: the delimiter, decimal mark and
    /// encoding are detected; from CSV, Excel (.xlsx, --sheet) and Parquet: numeric and coded
    /// columns told apart, area codes (wijk, buurt, ...) proposed as breakdowns, groups of 0/1
    /// columns with a common prefix proposed as select-all questions, and labels left as the
    /// column names. Every inference that needs checking says so.
    Codebook(CodebookArgs),
    /// Write a synthetic Inwonersenquête data file (for the samples and the benchmark).
    ///
    /// The figures echo Utrecht's published 2023 results; the same seed gives the same bytes.
    Generate(GenerateArgs),
}

#[derive(Debug, Args)]
pub struct DataArgs {
    /// The data file: one row per respondent, with a header (CSV in UTF-8, SPSS .sav/.zsav, Excel
    /// .xlsx or Parquet, told apart by content). A pipe works too, e.g. /dev/stdin.
    pub data: PathBuf,
    /// The codebook (TOML) that says what the columns mean; see docs/codebook.md.
    #[arg(long, short = 'c')]
    pub codebook: PathBuf,
    /// Treat codebook columns that the file lacks as questions not asked (no estimates, a
    /// warning) instead of an error.
    #[arg(long)]
    pub allow_absent: bool,
    /// The worksheet to read from an Excel workbook (default: the first).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// The character encoding of a CSV file: utf-8, windows-1252 (what Excel writes in Western
    /// Europe) or latin-1; overrides the codebook's [data] encoding.
    #[arg(long, value_name = "ENCODING", value_parser = encoding_arg)]
    pub encoding: Option<crate::codebook::Encoding>,
}

/// Parse `--encoding`.
fn encoding_arg(s: &str) -> Result<crate::codebook::Encoding, String> {
    crate::codebook::Encoding::parse(s)
        .ok_or_else(|| format!("expected {}, not {s:?}", crate::codebook::Encoding::NAMES))
}

#[derive(Debug, Args)]
pub struct EstimateArgs {
    /// Confidence-interval method for proportions. With a [design]: logit (default), beta
    /// (Korn–Graubard), asin, mean, xlogit, as R's svyciprop. Without: wilson (default),
    /// clopper-pearson, agresti-coull, jeffreys, wald, as statsmodels.
    #[arg(long, value_name = "METHOD", value_enum, hide_possible_values = true)]
    pub ci: Option<CiMethod>,
    /// Confidence level, between 0 and 1.
    #[arg(long, default_value_t = 0.95)]
    pub level: f64,
    /// Leave out rows with problems (each is reported on stderr) instead of refusing the file.
    #[arg(long)]
    pub skip_invalid: bool,
    /// Column letters in every table: each cell lists the columns of its breakdown it is
    /// significantly higher than (pairwise tests, Holm within each row), instead of ▲▼ and *.
    #[arg(long)]
    pub letters: bool,
}

#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write to this file instead of standard output.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub data: DataArgs,
}

#[derive(Debug, Args)]
pub struct CrosstabArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// The table to print (a [[tables]] name in the codebook).
    #[arg(long, short = 't')]
    pub table: String,
    #[command(flatten)]
    pub estimate: EstimateArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// The table whose categories are compared.
    #[arg(long, short = 't')]
    pub table: String,
    /// The grouping variable whose groups are compared (default: the codebook's [compare]).
    #[arg(long)]
    pub between: Option<String>,
    /// Standardise both groups over this variable's distribution (e.g. leeftijdsgroep).
    #[arg(long)]
    pub standardize: Option<String>,
    /// Compare every pair of groups, each group with the total it is part of (all respondents
    /// with a valid answer), or each group with everyone else. Default: the codebook's
    /// [compare] `against`, else pairs.
    #[arg(long, value_enum)]
    pub against: Option<crate::codebook::Against>,
    /// Confidence level of the intervals; significance is tested at 1 − level.
    #[arg(long, default_value_t = 0.95)]
    pub level: f64,
    /// Leave out rows with problems (each is reported on stderr) instead of refusing the file.
    #[arg(long)]
    pub skip_invalid: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct TestArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// The table to test.
    #[arg(long, short = 't')]
    pub table: String,
    /// Leave out rows with problems (each is reported on stderr) instead of refusing the file.
    #[arg(long)]
    pub skip_invalid: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub estimate: EstimateArgs,
    /// The folder to write into (created if needed).
    #[arg(long, short = 'o')]
    pub out: PathBuf,
    /// Do not draw charts (SVG, PNG); the HTML page then shows the tables alone.
    #[arg(long)]
    pub no_charts: bool,
    /// Add each table's confidence intervals to the tabellenboek, on a sheet of their own.
    #[arg(long)]
    pub intervals: bool,
}

#[derive(Debug, Args)]
pub struct BatchArgs {
    /// The project file (TOML) listing the yearly surveys; see docs/batch.md.
    pub project: PathBuf,
    /// The folder to write into (created if needed).
    #[arg(long, short = 'o')]
    pub out: PathBuf,
    /// Years processed at once (default: the number of cores).
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
    /// Do not draw charts (SVG, PNG); the HTML pages then show the tables alone.
    #[arg(long)]
    pub no_charts: bool,
    /// Add each table's confidence intervals to the tabellenboeken, on sheets of their own.
    #[arg(long)]
    pub intervals: bool,
    #[command(flatten)]
    pub estimate: EstimateArgs,
}

#[derive(Debug, Args)]
pub struct WeightArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Write to this file instead of standard output.
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
    /// Leave out rows with problems (each is reported on stderr) instead of refusing the file.
    #[arg(long)]
    pub skip_invalid: bool,
}

#[derive(Debug, Args)]
pub struct ChartArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// The table to draw.
    #[arg(long, short = 't')]
    pub table: String,
    /// The grouping variable (one of the table's `by`); the whole sample when absent.
    #[arg(long)]
    pub by: Option<String>,
    #[command(flatten)]
    pub estimate: EstimateArgs,
    /// The output file: .svg or .png.
    #[arg(long, short = 'o')]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct CodebookArgs {
    /// The data file to draft a codebook for.
    pub data: PathBuf,
    /// Write to this file instead of standard output.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// The CSV file's field separator, when detection gets it wrong: one character, "\t" for
    /// tab (as `[data] delimiter`). Detected by default, counting outside quoted fields.
    #[arg(long, value_name = "CHAR", value_parser = crate::draft::delimiter_arg)]
    pub delimiter: Option<u8>,
    /// The CSV file's decimal mark: "." or "," (as `[data] decimal`). Detected by default.
    #[arg(long, value_name = "MARK", value_parser = crate::draft::decimal_arg)]
    pub decimal: Option<u8>,
    /// The worksheet to draft from, for an Excel workbook (default: the first).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// The codebook's languages, first its own: "nl", "en", "nl,en" or "en,nl". With two, every
    /// label is written as { nl = "...", en = "..." } holding the file's text under both keys,
    /// for the second language's texts to be translated. Default: plain labels.
    #[arg(long, value_name = "LIST", value_parser = languages_arg)]
    pub languages: Option<Languages>,
}

/// The languages of a drafted codebook, its own first.
#[derive(Debug, Clone, PartialEq)]
pub struct Languages(pub Vec<Language>);

/// Parse `--languages`: one or two of nl and en, comma-separated, each once.
fn languages_arg(s: &str) -> Result<Languages, String> {
    let mut out = Vec::new();
    for part in s.split(',') {
        let l = match part.trim() {
            "nl" => Language::Nl,
            "en" => Language::En,
            other => {
                return Err(format!(
                    "expected nl, en, nl,en or en,nl; {other:?} is not a language"
                ))
            }
        };
        if out.contains(&l) {
            return Err(format!("{} given twice", l.tag()));
        }
        out.push(l);
    }
    Ok(Languages(out))
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Number of respondents.
    #[arg(long, default_value_t = 4000)]
    pub rows: u64,
    /// Random seed; the same seed gives the same file.
    #[arg(long, default_value_t = 2023)]
    pub seed: u64,
    /// Survey year (2019, 2021 or 2023): shifts the figures along the published trends; 2019
    /// has no chat and video questions.
    #[arg(long, default_value_t = 2023)]
    pub year: u32,
    /// Output file (standard output when absent).
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
}
