//! `enquete report`: every table of the codebook with its comparisons and tests, as CSV and
//! JSON, a readable Markdown report, and a summary of the run, written into one folder.

use super::{describe_design, describe_method, estimate_options, run_options, warn_about};
use crate::analysis::{analyse, Analysis};
use crate::cli::ReportArgs;
use crate::codebook::Codebook;
use crate::error::{ExitCode, Result};
use crate::fsutil::{create_dir, write_atomic};
use crate::output::{self, markdown, tidy, TableHeading};
use crate::stats::compare::COMPARISON_COLUMNS;
use crate::stats::{
    compare_table, estimate_table, CompareSpec, Comparison, Estimate, EstimateOptions, TestRow,
};
use std::path::Path;

/// Everything a report shows for one table.
pub struct TableResult {
    pub heading: TableHeading,
    pub estimates: Vec<Estimate>,
    pub comparisons: Vec<Comparison>,
    pub tests: Vec<TestRow>,
}

/// The comparisons a report makes: the codebook's `[compare]` section for tables that break
/// down by its variable; without it, every `by` variable with exactly two groups (crude).
pub fn comparison_specs(codebook: &Codebook, table: usize, level: f64) -> Vec<CompareSpec> {
    let t = &codebook.tables[table];
    match &codebook.compare {
        Some(c) if t.by.contains(&c.between) => {
            let mut v = vec![CompareSpec {
                between: c.between,
                standardize: None,
                level,
            }];
            if let Some(s) = c.standardize {
                v.push(CompareSpec {
                    between: c.between,
                    standardize: Some(s),
                    level,
                });
            }
            v
        }
        Some(_) => Vec::new(),
        None => {
            t.by.iter()
                .filter(|&&b| codebook.variables[b].groups().is_some_and(|g| g.len() == 2))
                .map(|&b| CompareSpec {
                    between: b,
                    standardize: None,
                    level,
                })
                .collect()
        }
    }
}

/// The crossed groupings a full report needs (for standardisation).
pub fn report_crossings(codebook: &Codebook) -> Vec<Vec<usize>> {
    match &codebook.compare {
        Some(c) => match c.standardize {
            Some(s) => vec![vec![c.between, s]],
            None => Vec::new(),
        },
        None => Vec::new(),
    }
}

/// The note of figures for a question (or item) whose column the file lacks.
pub const NOT_ASKED: &str = "not asked: the column is absent from this file";

/// Estimates, comparisons and tests of every table from one analysis; problems that do not stop
/// the report are added to `warnings`.
pub fn build(
    codebook: &Codebook,
    analysis: &Analysis,
    opts: EstimateOptions,
    warnings: &mut Vec<String>,
) -> Vec<TableResult> {
    let method = describe_method(codebook, analysis, &opts);
    let absent = |variable: &str, category: &str| {
        analysis
            .absent_columns
            .iter()
            .any(|c| c == variable || c == category)
    };
    let mut out = Vec::new();
    for (i, t) in codebook.tables.iter().enumerate() {
        let mut estimates = estimate_table(codebook, &analysis.sums, i, opts);
        for e in estimates
            .iter_mut()
            .filter(|e| e.n == 0 && absent(&e.variable, &e.category))
        {
            e.note = NOT_ASKED.into();
        }
        let mut comparisons = Vec::new();
        for spec in comparison_specs(codebook, i, opts.level) {
            match compare_table(codebook, &analysis.sums, i, spec) {
                Ok(rows) => comparisons.extend(rows),
                Err(e) => warnings.push(format!(
                    "warning: table '{}': comparison skipped: {e}",
                    t.name
                )),
            }
        }
        for c in comparisons
            .iter_mut()
            .filter(|c| absent(&c.variable, &c.category))
        {
            c.note = NOT_ASKED.into();
        }
        let mut tests = crate::stats::test_table(codebook, &analysis.sums, i).unwrap_or_default();
        for r in tests
            .iter_mut()
            .filter(|r| absent(&r.variable, &r.category))
        {
            r.note = NOT_ASKED.into();
        }
        out.push(TableResult {
            heading: TableHeading {
                name: t.name.clone(),
                label: codebook.variables[t.rows].label.clone(),
                method: method.clone(),
            },
            estimates,
            comparisons,
            tests,
        });
    }
    out
}

pub fn run(args: &ReportArgs, progress: bool) -> Result<ExitCode> {
    let codebook = super::load_codebook(&args.data.codebook, &args.data.data)?;
    let opts = estimate_options(&codebook, &args.estimate)?;
    let run = run_options(args.estimate.skip_invalid, args.data.allow_absent, progress);
    let tables: Vec<usize> = (0..codebook.tables.len()).collect();
    let analysis = analyse(
        &args.data.data,
        &codebook,
        &tables,
        &report_crossings(&codebook),
        run,
    )?;
    warn_about(&codebook, &analysis);
    let mut warnings = Vec::new();
    let results = build(&codebook, &analysis, opts, &mut warnings);
    for w in &warnings {
        eprintln!("{w}");
    }
    let ctx = ReportContext {
        codebook: &codebook,
        analysis: &analysis,
        opts,
        data: &args.data.data,
        codebook_path: &args.data.codebook,
        charts: !args.no_charts,
    };
    write(&args.out, &ctx, &results)?;
    eprintln!(
        "wrote {} tables ({} estimates, {} comparisons, {} tests) to {}",
        results.len(),
        results.iter().map(|r| r.estimates.len()).sum::<usize>(),
        results.iter().map(|r| r.comparisons.len()).sum::<usize>(),
        results.iter().map(|r| r.tests.len()).sum::<usize>(),
        args.out.display()
    );
    Ok(ExitCode::Ok)
}

/// What a report is made from, besides its tables.
pub struct ReportContext<'a> {
    pub codebook: &'a Codebook,
    pub analysis: &'a Analysis,
    pub opts: EstimateOptions,
    pub data: &'a Path,
    pub codebook_path: &'a Path,
    /// Draw charts (SVG and PNG) and the HTML page.
    pub charts: bool,
}

/// Write a report folder. Every file is written atomically; `summary.json` comes last, so its
/// presence says the folder is complete.
pub fn write(out: &Path, ctx: &ReportContext, results: &[TableResult]) -> Result<()> {
    let ReportContext {
        codebook,
        analysis,
        opts,
        data,
        codebook_path,
        ..
    } = *ctx;
    create_dir(out)?;
    let mut all_estimates: Vec<Estimate> = Vec::new();
    let mut all_comparisons: Vec<Comparison> = Vec::new();
    let mut all_tests: Vec<TestRow> = Vec::new();
    for r in results {
        let stem = file_stem(&r.heading.name);
        write_atomic(&out.join(format!("{stem}.csv")), |w| {
            output::csv::write(&r.estimates, w)
        })?;
        if !r.comparisons.is_empty() {
            write_atomic(&out.join(format!("{stem}.compare.csv")), |w| {
                tidy::write_csv(&r.comparisons, &COMPARISON_COLUMNS, w)
            })?;
        }
        if !r.tests.is_empty() {
            write_atomic(&out.join(format!("{stem}.tests.csv")), |w| {
                tidy::write_csv(&r.tests, &output::tests::COLUMNS, w)
            })?;
        }
        all_estimates.extend(r.estimates.iter().cloned());
        all_comparisons.extend(r.comparisons.iter().cloned());
        all_tests.extend(r.tests.iter().cloned());
    }
    write_atomic(&out.join("estimates.csv"), |w| {
        output::csv::write(&all_estimates, w)
    })?;
    write_atomic(&out.join("estimates.json"), |w| {
        output::json::write(&all_estimates, w)
    })?;
    write_atomic(&out.join("comparisons.csv"), |w| {
        tidy::write_csv(&all_comparisons, &COMPARISON_COLUMNS, w)
    })?;
    write_atomic(&out.join("comparisons.json"), |w| {
        tidy::write_json(&all_comparisons, w)
    })?;
    write_atomic(&out.join("tests.csv"), |w| {
        tidy::write_csv(&all_tests, &output::tests::COLUMNS, w)
    })?;
    write_atomic(&out.join("tests.json"), |w| tidy::write_json(&all_tests, w))?;
    let method = describe_method(codebook, analysis, &opts);
    // Charts: per table, the whole sample and each `by` variable.
    let mut charts: Vec<Vec<String>> = vec![Vec::new(); results.len()];
    if ctx.charts {
        let source = crate::charts::Source {
            line: chart_source_line(codebook, analysis),
        };
        let mut specs = Vec::new();
        for (i, r) in results.iter().enumerate() {
            for spec in
                crate::charts::table_charts(codebook, i, &r.estimates, &r.comparisons, &source)
            {
                charts[i].push(spec.stem.clone());
                specs.push(spec);
            }
        }
        crate::charts::write_all(&out.join("charts"), &specs)?;
        write_atomic(&out.join("index.html"), |w| {
            output::html::write_page(codebook, &method, results, &charts, w)
        })?;
    }
    // The Excel tabellenboek.
    let notes = output::xlsx::Notes {
        title: codebook.title.clone(),
        source: data.display().to_string(),
        design: super::describe_design(codebook, analysis),
        method: opts.method.to_string(),
    };
    let book = output::xlsx::workbook(codebook, results, &notes).map_err(|e| {
        crate::error::Error::write(
            &out.join("tabellenboek.xlsx"),
            std::io::Error::other(e.to_string()),
        )
    })?;
    write_atomic(&out.join("tabellenboek.xlsx"), |w| w.write_all(&book))?;
    write_atomic(&out.join("report.md"), |w| {
        writeln!(w, "# {}\n", codebook.title)?;
        writeln!(
            w,
            "Source: `{}`, {} respondents read, {} used. {}\n",
            data.display(),
            analysis.rows_read,
            analysis.rows_used,
            method
        )?;
        for (r, stems) in results.iter().zip(&charts) {
            markdown::write_table(&r.heading, &r.estimates, w)?;
            for stem in stems {
                writeln!(w, "![{stem}](charts/{stem}.png)\n")?;
            }
            markdown::write_comparisons(codebook, &r.comparisons, w)?;
            markdown::write_tests(&r.tests, w)?;
        }
        Ok(())
    })?;
    let summary = summary_json(codebook, analysis, &opts, &method, data, codebook_path);
    write_atomic(&out.join("summary.json"), |w| {
        serde_json::to_writer_pretty(&mut *w, &summary)?;
        writeln!(w)
    })
}

/// The source line under every chart (Dutch, like the labels).
pub fn chart_source_line(codebook: &Codebook, analysis: &Analysis) -> String {
    let d = &analysis.sums.design;
    let design = match &codebook.design {
        None => "ongewogen".to_string(),
        Some(spec) => {
            let mut s = format!("gewogen ({})", spec.weight);
            if let Some(st) = &spec.strata {
                s.push_str(&format!(", gestratificeerd naar {st}"));
            }
            if spec.cluster.is_some() {
                s.push_str(&format!(", {} clusters", d.n_psus()));
            }
            s
        }
    };
    format!(
        "Bron: {}, {} respondenten; {design}.",
        codebook.title,
        crate::charts::bars::fmt_count(analysis.rows_used as u32),
    )
}

/// A table name as a file name: keep letters, digits, '-' and '_'.
pub fn file_stem(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn summary_json(
    codebook: &Codebook,
    a: &Analysis,
    opts: &EstimateOptions,
    method: &str,
    data: &Path,
    codebook_path: &Path,
) -> serde_json::Value {
    let d = &a.sums.design;
    serde_json::json!({
        "tool": format!("enquete {}", env!("CARGO_PKG_VERSION")),
        "title": codebook.title,
        "data": data.display().to_string(),
        "codebook": codebook_path.display().to_string(),
        "rows_read": a.rows_read,
        "rows_used": a.rows_used,
        "rows_skipped": a.skipped.rows,
        "design": {
            "description": describe_design(codebook, a),
            "weighted": codebook.design.is_some(),
            "weight": codebook.design.as_ref().map(|d| d.weight.clone()),
            "strata": codebook.design.as_ref().and_then(|d| d.strata.clone()),
            "cluster": codebook.design.as_ref().and_then(|d| d.cluster.clone()),
            "n_strata": d.n_strata(),
            "n_psus": d.n_psus(),
            "df": d.df(),
            "lonely_psu_strata": d.lonely_strata(),
            "lonely_psu": "adjust",
        },
        "ci_method": opts.method.name(),
        "level": opts.level,
        "method": method,
        "comparisons": codebook.compare.as_ref().map(|c| serde_json::json!({
            "between": codebook.variables[c.between].name,
            "standardize": c.standardize.map(|s| codebook.variables[s].name.clone()),
        })),
        "tables": codebook.tables.iter().map(|t| t.name.clone()).collect::<Vec<_>>(),
        "absent_columns": a.absent_columns,
    })
}
