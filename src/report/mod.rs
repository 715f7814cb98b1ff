//! What every output of a run shares: the results of each table (estimates, comparisons, tests),
//! which comparisons a report makes, the one description of the design, file names, the run
//! summary, and the writing of a report folder. Commands call this module; writers and charts
//! read its types. It sits between the estimation core ([`crate::stats`]) and the writers
//! ([`crate::output`], [`crate::charts`]).

pub mod kerncijfers;
pub mod marks;
pub mod specs;
pub mod summary;
pub mod supplements;

use crate::analysis::Analysis;
use crate::codebook::Codebook;
use crate::codebook::Language;
use crate::error::{Error, Result};
use crate::present::{DesignFacts, Legend, Vocabulary};
use crate::stats::{
    compare_table, estimate_table, CiMethod, Comparison, Estimate, EstimateOptions, Note,
    Statistic, TestRow,
};

pub use specs::{comparison_specs, report_crossings};
pub use summary::RunSummary;
pub use supplements::{ResponseRow, Supplements};

/// Everything a report shows for one table.
#[derive(Debug, Clone)]
pub struct TableResult {
    /// The table's name (unique in the codebook).
    pub name: String,
    /// The rows variable's label: the question.
    pub label: String,
    /// The public heading: the table's `title`, else the question.
    pub title: String,
    /// The subpopulation in words, when the table (or the codebook) filters respondents.
    pub population: Option<String>,
    /// The table's `note`.
    pub note: Option<String>,
    pub statistic: Statistic,
    pub estimates: Vec<Estimate>,
    pub comparisons: Vec<Comparison>,
    pub tests: Vec<TestRow>,
    /// Whether the table shows column letters (instead of ▲▼ and `*`).
    pub letters: bool,
    /// Answers the readable outputs leave out (`hide`); the tidy files keep them.
    pub hidden: Vec<String>,
    /// A statement battery's statements: (variable name, label); empty for other tables.
    pub statements: Vec<(String, String)>,
    /// The table's NETs: (key, label).
    pub nets: Vec<(String, String)>,
}

impl TableResult {
    /// The table as the readable outputs show it: without its hidden answers (their
    /// comparisons and per-answer tests go with them).
    pub fn shown(&self) -> TableResult {
        let keep = |category: &str| !self.hidden.iter().any(|h| h == category);
        TableResult {
            estimates: self
                .estimates
                .iter()
                .filter(|e| keep(&e.category))
                .cloned()
                .collect(),
            comparisons: self
                .comparisons
                .iter()
                .filter(|c| keep(&c.category))
                .cloned()
                .collect(),
            tests: self
                .tests
                .iter()
                .filter(|t| keep(&t.category))
                .cloned()
                .collect(),
            hidden: Vec::new(),
            ..self.clone()
        }
    }

    /// The unweighted base of the whole sample (the largest over the answers).
    pub fn total_base(&self) -> u64 {
        self.estimates
            .iter()
            .filter(|e| e.by.is_total())
            .map(|e| e.n)
            .max()
            .unwrap_or(0)
    }
}

/// A chart drawn for a table: its file stem and what it shows in words (its text alternative).
#[derive(Debug, Clone, PartialEq)]
pub struct ChartRef {
    pub stem: String,
    /// The title and subtitle.
    pub heading: String,
    /// Every figure drawn.
    pub figures: String,
}

/// Everything a human-readable report page shows: the tables, the words to show them with,
/// the design, the source and the charts drawn for each table.
pub struct Document<'a> {
    pub codebook: &'a Codebook,
    pub presentation: Presentation,
    pub design: DesignFacts,
    /// The data file as the report names it.
    pub source: String,
    pub rows_read: u64,
    pub rows_used: u64,
    pub results: &'a [TableResult],
    /// Per table, its charts (`charts/<stem>.svg|png`).
    pub charts: Vec<Vec<ChartRef>>,
    /// The weighting's diagnostics, when the codebook calibrates.
    pub weighting: Option<&'a crate::stats::calibrate::WeightingReport>,
    /// What a report shows besides its tables: scales' reliability.
    pub supplements: Supplements,
}

impl TableResult {
    /// The table with its primary figures only (proportions or means; not its totals or
    /// quantiles): what its charts draw.
    pub fn primary(&self) -> TableResult {
        let mut r = self.clone();
        r.estimates.retain(|e| e.statistic == self.statistic);
        r
    }
}

/// How a run presents its figures: interval method and level, and the language of its words.
#[derive(Debug, Clone, Copy)]
pub struct Presentation {
    pub method: CiMethod,
    pub level: f64,
    pub language: Language,
    /// Whether the codebook declares a design (weights).
    pub weighted: bool,
    /// Column letters in every table (`--letters`), besides tables that ask for them.
    pub letters: bool,
    /// The tabellenboek has each table's interval limits on a sheet of their own (`--intervals`).
    pub intervals: bool,
}

impl Presentation {
    /// Resolve the interval method (`None`: the default for the design), the level and the
    /// language (`None`: the codebook's, else Dutch), checking them against the codebook.
    pub fn new(
        codebook: &Codebook,
        ci: Option<CiMethod>,
        level: f64,
        language: Option<Language>,
    ) -> Result<Presentation> {
        let weighted = codebook.design.is_some();
        let method = match ci {
            Some(m) => m,
            None if weighted => CiMethod::Logit,
            None => CiMethod::Wilson,
        };
        if weighted && !method.is_design_based() {
            return Err(Error::Usage(format!(
                "--ci {method} assumes an unweighted simple random sample, but the codebook declares a \
                 [design]; use logit, beta, asin, mean or xlogit"
            )));
        }
        check_level(level)?;
        Ok(Presentation {
            method,
            level,
            language: language.or(codebook.language).unwrap_or_default(),
            weighted,
            letters: false,
            intervals: false,
        })
    }

    pub fn vocab(&self) -> Vocabulary {
        Vocabulary::new(self.language)
    }

    pub fn legend(&self) -> Legend {
        Legend {
            vocab: self.vocab(),
            level: self.level,
            method: self.method,
            weighted: self.weighted,
        }
    }

    pub fn estimate_options(&self) -> EstimateOptions {
        EstimateOptions {
            method: self.method,
            level: self.level,
            total_label: self.vocab().total(),
        }
    }
}

/// A confidence level must lie strictly between 0 and 1.
pub fn check_level(level: f64) -> Result<()> {
    if level > 0.0 && level < 1.0 {
        Ok(())
    } else {
        Err(Error::Usage(format!(
            "--level {level} is not between 0 and 1 (write 0.95 for 95%)"
        )))
    }
}

/// The facts of the design every output describes, gathered once.
pub fn design_facts(codebook: &Codebook, analysis: &Analysis) -> DesignFacts {
    let d = &analysis.sums.design;
    let spec = codebook.design.as_ref();
    DesignFacts {
        designed: spec.is_some(),
        weight: spec.and_then(|s| s.weight.clone()),
        fpc: spec.and_then(|s| s.fpc.clone()),
        calibration: codebook.weighting.as_ref().map(|w| {
            (
                w.method.name().to_string(),
                w.variables
                    .iter()
                    .map(|&v| codebook.variables[v].label.clone())
                    .collect(),
            )
        }),
        strata: spec
            .and_then(|s| s.strata.clone())
            .map(|c| (c, d.n_strata())),
        clusters: spec
            .and_then(|s| s.cluster.clone())
            .map(|c| (c, d.n_psus())),
        rows: d.rows,
        df: d.df(),
    }
}

/// Threads that estimate tables at once. Each table's figures come from its sums alone, so
/// they are the same whichever thread makes them.
const TABLE_THREADS: usize = 2;

/// Estimates, comparisons and tests of every table of the analysis (in layout order), tables
/// shared out over [`TABLE_THREADS`] threads; problems that do not stop the report are added to
/// `warnings` (in table order).
pub fn build(
    codebook: &Codebook,
    analysis: &Analysis,
    presentation: &Presentation,
    warnings: &mut Vec<String>,
) -> Vec<TableResult> {
    let tables = analysis.sums.layout.codebook_tables();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut done: Vec<(usize, TableResult, Vec<String>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..TABLE_THREADS.min(tables.len()))
            .map(|_| {
                scope.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(&t) = tables.get(k) else {
                            return out;
                        };
                        let mut w = Vec::new();
                        let r = table_result(codebook, analysis, t, presentation, &mut w);
                        out.push((k, r, w));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    done.sort_by_key(|(k, _, _)| *k);
    done.into_iter()
        .map(|(_, r, w)| {
            warnings.extend(w);
            r
        })
        .collect()
}

/// The results of codebook table `table` (which the analysis' layout holds): of its rows
/// variable, or of each statement of a battery in turn.
pub fn table_result(
    codebook: &Codebook,
    analysis: &Analysis,
    table: usize,
    presentation: &Presentation,
    warnings: &mut Vec<String>,
) -> TableResult {
    let t = &codebook.tables[table];
    let label = codebook.question(t);
    let mut result = TableResult {
        name: t.name.clone(),
        title: t.title.clone().unwrap_or_else(|| label.clone()),
        label,
        population: t
            .population
            .clone()
            .or_else(|| crate::present::population(codebook, t, &presentation.vocab())),
        note: t.note.clone(),
        statistic: t.statistics[0],
        estimates: Vec::new(),
        comparisons: Vec::new(),
        tests: Vec::new(),
        letters: t.letters || presentation.letters,
        hidden: t.hide.clone(),
        statements: t
            .items
            .iter()
            .map(|&i| {
                let v = &codebook.variables[i];
                (v.name.clone(), v.label.clone())
            })
            .collect(),
        nets: t
            .nets
            .iter()
            .map(|n| (n.key.clone(), n.label.clone()))
            .collect(),
    };
    for pos in analysis.sums.layout.positions(table) {
        let (estimates, comparisons, tests) =
            position_results(codebook, analysis, pos, presentation, warnings);
        result.estimates.extend(estimates);
        result.comparisons.extend(comparisons);
        result.tests.extend(tests);
    }
    result
}

/// The estimates, comparisons and tests of the layout's position `pos`.
fn position_results(
    codebook: &Codebook,
    analysis: &Analysis,
    pos: usize,
    presentation: &Presentation,
    warnings: &mut Vec<String>,
) -> (Vec<Estimate>, Vec<Comparison>, Vec<TestRow>) {
    let opts = presentation.estimate_options();
    let layout = &analysis.sums.layout.tables[pos];
    let t = &codebook.tables[layout.table];
    let not_asked = |variable: &str, category: &str| {
        analysis
            .absent_columns
            .iter()
            .any(|c| c == variable || c == category)
    };
    // A filter on an absent column cannot form the table's subpopulation: the whole table is
    // not asked in this file (its sums were left empty), and says why.
    let filter_absent = analysis.filter_absent.get(pos).cloned().flatten();
    let note_of = |variable: &str, category: &str| match &filter_absent {
        Some(v) => Some(Note::NotAskedFilter {
            variable: v.clone(),
        }),
        None => not_asked(variable, category).then_some(Note::NotAsked),
    };
    let mut estimates = estimate_table(codebook, &analysis.sums, pos, opts);
    let vocab = presentation.vocab();
    for e in estimates
        .iter_mut()
        .filter(|e| e.statistic == Statistic::Quantile)
    {
        if let Ok(p) = e.category.parse::<f64>() {
            e.category_label = vocab.quantile_label(p);
        }
    }
    for e in estimates.iter_mut().filter(|e| e.n == 0) {
        if let Some(n) = note_of(&e.variable, &e.category) {
            e.note = Some(n);
        }
    }
    let mut comparisons = Vec::new();
    for spec in comparison_specs(codebook, layout.table, presentation) {
        match compare_table(codebook, &analysis.sums, pos, &spec) {
            Ok(rows) => comparisons.extend(rows),
            Err(e) => warnings.push(format!(
                "warning: table '{}': comparison skipped: {e}",
                t.name
            )),
        }
    }
    let bench = crate::stats::compare::benchmark::BenchmarkSpec {
        level: presentation.level,
        min_base: codebook.min_base_test,
        total_label: vocab.total(),
        benchmark_label: vocab.benchmark(),
    };
    comparisons.extend(crate::stats::compare::benchmark::benchmark_table(
        codebook,
        &analysis.sums,
        pos,
        &bench,
    ));
    for c in comparisons.iter_mut() {
        if let Some(n) = note_of(&c.variable, &c.category) {
            c.note = Some(n);
        }
    }
    let mut tests = crate::stats::test_table(codebook, &analysis.sums, pos).unwrap_or_default();
    if t.is_battery() {
        // Each statement's test names the statement, as a select-all set's names its item.
        for r in &mut tests {
            r.category = r.variable.clone();
        }
    }
    for r in tests.iter_mut() {
        if let Some(n) = note_of(&r.variable, &r.category) {
            r.note = Some(n);
        }
    }
    (estimates, comparisons, tests)
}

/// Warnings about a pass: rows left out with --skip-invalid (with their problems), values
/// outside every bin, lonely strata, columns not in the file.
pub fn warnings(codebook: &Codebook, analysis: &Analysis) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(w) = &analysis.weighting {
        out.extend(
            w.warnings
                .iter()
                .map(|w| format!("warning: weighting: {w}")),
        );
    }
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
