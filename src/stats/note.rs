//! Why a figure is missing, or how it was obtained when the usual formula does not apply. Notes
//! are typed so that every writer can say them in its reader's language; the tidy CSV and JSON
//! write the English sentence of [`fmt::Display`] (a stable, machine-greppable text).

use serde::Serializer;
use std::fmt;

/// Why a Rao–Scott test could not be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TestProblem {
    #[error(
        "no test: the table has {rows} row{} and {cols} column{} with respondents",
        plural(*rows),
        plural(*cols)
    )]
    TooFewLevels { rows: usize, cols: usize },
    #[error("no test: the table's weights sum to zero")]
    ZeroWeights,
    /// A row (answer) or column (group) whose respondents all have weight 0 (R: F = NaN).
    #[error(
        "no test: the {} number {} has respondents, but all of weight 0 (R gives F = NaN)",
        if *row { "answer" } else { "group" },
        index + 1
    )]
    ZeroWeightLevel { row: bool, index: usize },
    #[error("no test: the table's contrasts are singular (a cell with zero weight)")]
    Singular,
    #[error("no test: the design effects of the table are zero")]
    ZeroDesignEffect,
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// A note on one figure (estimate, comparison or test).
#[derive(Debug, Clone, PartialEq)]
pub enum Note {
    /// The question (or item) was not asked in this file: its column is absent.
    NotAsked,
    /// The table's filter reads a variable whose column is absent from this file: the
    /// subpopulation cannot be formed, so the table is not asked.
    NotAskedFilter { variable: String },
    /// Nobody in the group gave a valid answer.
    NoAnswers,
    /// p = 0 or 1: the interval is Korn–Graubard's bound on Kish's effective n (the `n_eff`
    /// column), adjusted for the design's degrees of freedom as method beta does.
    EdgeBound {
        p_is_one: bool,
        n_kish: f64,
        n_eff: f64,
    },
    /// The domain has fewer than one degree of freedom.
    NoIntervalDf { df: f64 },
    /// An unweighted interval with an empty base.
    NoIntervalEmptyBase,
    /// An unweighted mean of fewer than two respondents.
    NoIntervalFewRows,
    /// A method that does not fit the data (caught earlier by the command line).
    MethodMismatch { method: String, design_based: bool },
    /// A compared group's respondents all have weight 0 (R: an estimate of 0/0).
    ZeroWeights { n: u64 },
    /// A compared group has no respondents.
    EmptyGroup { between: String, group: String },
    /// A standardising cell of a compared group has no respondents.
    EmptyStandardCell {
        standardize: String,
        level: String,
        between: String,
        group: String,
    },
    /// A standardising cell whose respondents all have weight 0 (the wrapped note names it).
    ZeroWeightCell(Box<Note>),
    /// Too few residual degrees of freedom for a t test.
    NoTestDf { df: f64 },
    /// Both groups constant: the difference has standard error zero.
    ZeroSe,
    /// A side of a comparison has fewer respondents than the minimum base for a test.
    BelowMinBase { min: u64, n: u64 },
    /// A side's answer is suppressed (1 to 4 respondents gave it): not tested either.
    SuppressedSide,
    /// A side's own standard error is zero (p = 0 or 1, or all values equal).
    ZeroSideSe { group: String },
    /// A Rao–Scott test that could not be computed.
    NoTest(TestProblem),
    /// A quantile's Woodruff limit whose probability (F̂ ∓ t·SE) falls below 0 or above 1: R
    /// gives NaN for that limit and for the SE.
    QuantileLimit { lower: bool, upper: bool },
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Note::NotAsked => f.write_str("not asked: the column is absent from this file"),
            Note::NotAskedFilter { variable } => write!(
                f,
                "not asked: the table's filter reads '{variable}', whose column is absent from \
                 this file"
            ),
            Note::NoAnswers => f.write_str("no respondents in this group answered"),
            Note::EdgeBound {
                p_is_one,
                n_kish,
                n_eff,
            } => write!(
                f,
                "p = {}: Korn–Graubard bound with Kish effective n = {n_kish:.1} (df-adjusted {n_eff:.1})",
                if *p_is_one { 1 } else { 0 }
            ),
            Note::NoIntervalDf { df } => write!(
                f,
                "no interval: the domain has {df} degrees of freedom (no more PSUs than strata)"
            ),
            Note::NoIntervalEmptyBase => f.write_str("no interval: the base is empty"),
            Note::NoIntervalFewRows => f.write_str("no interval: fewer than two respondents"),
            Note::MethodMismatch {
                method,
                design_based,
            } => {
                if *design_based {
                    write!(f, "{method} is a design-based method")
                } else {
                    write!(f, "{method} is not a design-based method")
                }
            }
            Note::ZeroWeights { n } => write!(
                f,
                "no estimate: the {n} respondent{} of this group all have weight 0",
                if *n == 1 { "" } else { "s" }
            ),
            Note::EmptyGroup { between, group } => {
                write!(f, "no respondents in group {between} = {group}")
            }
            Note::EmptyStandardCell {
                standardize,
                level,
                between,
                group,
            } => write!(
                f,
                "no respondents in standardising cell {standardize} = {level} for {between} = {group}"
            ),
            Note::ZeroWeightCell(cell) => write!(
                f,
                "{}",
                cell.to_string().replace("no respondents in", "only respondents of weight 0 in")
            ),
            Note::NoTestDf { df } => write!(f, "no test: {df} residual degrees of freedom"),
            Note::ZeroSe => f.write_str("standard error 0 (both groups constant): no test"),
            Note::BelowMinBase { min, n } => write!(
                f,
                "no test: a base of {n} respondents, below the minimum of {min} for testing"
            ),
            Note::SuppressedSide => {
                f.write_str("no test: fewer than 5 respondents gave this answer on one side")
            }
            Note::ZeroSideSe { group } => write!(
                f,
                "no test: standard error 0 in {group} (everyone or no one gave this answer, or all values are equal)"
            ),
            Note::NoTest(p) => p.fmt(f),
            Note::QuantileLimit { lower, upper } => write!(
                f,
                "no {}: the probability of {} falls outside 0-1 (too few respondents near the quantile); no standard error either",
                match (lower, upper) {
                    (true, true) => "limits",
                    (true, false) => "lower limit",
                    _ => "upper limit",
                },
                if *lower && *upper { "the limits" } else { "the limit" }
            ),
        }
    }
}

/// Serialise an optional note as its English text (empty when there is none), the form of the
/// tidy CSV and JSON.
pub fn serialize<S: Serializer>(note: &Option<Note>, s: S) -> Result<S::Ok, S::Error> {
    match note {
        Some(n) => s.collect_str(n),
        None => s.serialize_str(""),
    }
}

impl Note {
    /// Whether the figure was not asked in this file (its column, or its filter's, absent).
    pub fn is_not_asked(&self) -> bool {
        matches!(self, Note::NotAsked | Note::NotAskedFilter { .. })
    }
}

/// The English text of an optional note (empty when none).
pub fn text(note: &Option<Note>) -> String {
    note.as_ref().map(Note::to_string).unwrap_or_default()
}
