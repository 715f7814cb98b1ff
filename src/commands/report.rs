//! `enquete report`: every table of the codebook as CSV, a readable Markdown report, and a
//! summary of the run, written into one folder.

use super::{describe_method, estimate_options, run_options, warn_about};
use crate::analysis::analyse;
use crate::cli::ReportArgs;
use crate::codebook::Codebook;
use crate::error::{ExitCode, Result};
use crate::fsutil::{create_dir, write_atomic};
use crate::output::{self, markdown, TableHeading};
use crate::stats::{estimate_table, Estimate};

pub fn run(args: &ReportArgs, progress: bool) -> Result<ExitCode> {
    let codebook = Codebook::from_path(&args.data.codebook)?;
    let opts = estimate_options(&codebook, &args.estimate)?;
    let run = run_options(args.estimate.skip_invalid, args.data.allow_absent, progress);
    let tables: Vec<usize> = (0..codebook.tables.len()).collect();
    let analysis = analyse(&args.data.data, &codebook, &tables, &[], run)?;
    warn_about(&codebook, &analysis);
    create_dir(&args.out)?;

    let method = describe_method(&codebook, &analysis, &opts);
    let mut all: Vec<Estimate> = Vec::new();
    let mut sections: Vec<(TableHeading, Vec<Estimate>)> = Vec::new();
    for (i, t) in codebook.tables.iter().enumerate() {
        let rows = estimate_table(&codebook, &analysis.sums, i, opts);
        let heading = TableHeading {
            name: t.name.clone(),
            label: codebook.variables[t.rows].label.clone(),
            method: method.clone(),
        };
        write_atomic(&args.out.join(format!("{}.csv", file_stem(&t.name))), |w| {
            output::csv::write(&rows, w)
        })?;
        all.extend(rows.iter().cloned());
        sections.push((heading, rows));
    }
    write_atomic(&args.out.join("estimates.csv"), |w| {
        output::csv::write(&all, w)
    })?;
    write_atomic(&args.out.join("estimates.json"), |w| {
        output::json::write(&all, w)
    })?;
    write_atomic(&args.out.join("report.md"), |w| {
        writeln!(w, "# {}\n", codebook.title)?;
        writeln!(
            w,
            "Source: `{}`, {} respondents read, {} used. {}\n",
            args.data.data.display(),
            analysis.rows_read,
            analysis.rows_used,
            method
        )?;
        for (h, rows) in &sections {
            markdown::write_table(h, rows, w)?;
        }
        Ok(())
    })?;
    // The summary last: its presence says the folder is complete.
    let summary = summary_json(&codebook, &analysis, &opts, &method, args);
    write_atomic(&args.out.join("summary.json"), |w| {
        serde_json::to_writer_pretty(&mut *w, &summary)?;
        writeln!(w)
    })?;
    eprintln!(
        "wrote {} tables ({} estimates) to {}",
        codebook.tables.len(),
        all.len(),
        args.out.display()
    );
    Ok(ExitCode::Ok)
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
    a: &crate::analysis::Analysis,
    opts: &crate::stats::EstimateOptions,
    method: &str,
    args: &ReportArgs,
) -> serde_json::Value {
    let d = &a.sums.design;
    serde_json::json!({
        "tool": format!("enquete {}", env!("CARGO_PKG_VERSION")),
        "title": codebook.title,
        "data": args.data.data.display().to_string(),
        "codebook": args.data.codebook.display().to_string(),
        "rows_read": a.rows_read,
        "rows_used": a.rows_used,
        "rows_skipped": a.skipped.rows,
        "design": {
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
        "tables": codebook.tables.iter().map(|t| t.name.clone()).collect::<Vec<_>>(),
        "absent_columns": a.absent_columns,
    })
}
