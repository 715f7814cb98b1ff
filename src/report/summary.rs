//! The summary of one run (`summary.json` of a report, and each year's entry of a batch
//! manifest): one serialisable struct, so both say the same things in the same words.

use super::{design_facts, Presentation};
use crate::analysis::Analysis;
use crate::codebook::Codebook;
use serde::Serialize;
use std::path::Path;

#[derive(Debug, Clone, Serialize)]
pub struct DesignSummary {
    pub description: String,
    pub weighted: bool,
    pub weight: Option<String>,
    pub fpc: Option<String>,
    pub strata: Option<String>,
    pub cluster: Option<String>,
    pub n_strata: usize,
    pub n_psus: f64,
    pub df: f64,
    pub lonely_psu_strata: usize,
    pub lonely_psu: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct ComparisonSummary {
    pub between: String,
    pub standardize: Option<String>,
}

/// What a run read, how, and what it made.
#[derive(Debug, Clone, Serialize)]
pub struct RunSummary {
    pub tool: String,
    pub title: String,
    pub data: String,
    pub codebook: String,
    pub rows_read: u64,
    pub rows_used: u64,
    pub rows_skipped: u64,
    pub design: DesignSummary,
    pub ci_method: &'static str,
    pub level: f64,
    pub language: &'static str,
    /// The methods in one sentence (in the report's language).
    pub method: String,
    pub comparisons: Option<ComparisonSummary>,
    pub tables: Vec<String>,
    /// Codebook columns absent from the file (not asked).
    pub not_asked: Vec<String>,
    /// Header columns the codebook does not use.
    pub ignored_columns: Vec<String>,
    /// Warnings of the run (rows left out, values outside bins, lonely strata, ...).
    pub notes: Vec<String>,
    /// The weighting: representativeness table and the weights' diagnostics.
    pub weighting: Option<crate::stats::calibrate::WeightingReport>,
}

impl RunSummary {
    pub fn new(
        codebook: &Codebook,
        analysis: &Analysis,
        presentation: &Presentation,
        data: &Path,
        codebook_path: &Path,
        notes: Vec<String>,
    ) -> RunSummary {
        let d = &analysis.sums.design;
        let legend = presentation.legend();
        let facts = design_facts(codebook, analysis);
        let spec = codebook.design.as_ref();
        RunSummary {
            tool: format!("enquete {}", env!("CARGO_PKG_VERSION")),
            title: codebook.title.clone(),
            data: data.display().to_string(),
            codebook: codebook_path.display().to_string(),
            rows_read: analysis.rows_read,
            rows_used: analysis.rows_used,
            rows_skipped: analysis.skipped.rows,
            design: DesignSummary {
                description: legend.design(&facts),
                weighted: spec.is_some(),
                weight: spec.and_then(|d| d.weight.clone()),
                fpc: spec.and_then(|d| d.fpc.clone()),
                strata: spec.and_then(|d| d.strata.clone()),
                cluster: spec.and_then(|d| d.cluster.clone()),
                n_strata: d.n_strata(),
                n_psus: d.n_psus(),
                df: d.df(),
                lonely_psu_strata: d.lonely_strata(),
                lonely_psu: "adjust",
            },
            ci_method: presentation.method.name(),
            level: presentation.level,
            language: presentation.language.tag(),
            method: legend.methods(),
            comparisons: codebook.compare.as_ref().map(|c| ComparisonSummary {
                between: codebook.variables[c.between].name.clone(),
                standardize: c.standardize.map(|s| codebook.variables[s].name.clone()),
            }),
            tables: codebook.tables.iter().map(|t| t.name.clone()).collect(),
            not_asked: analysis.absent_columns.clone(),
            ignored_columns: analysis.unused_columns.clone(),
            notes,
            weighting: analysis.weighting.clone(),
        }
    }
}
