//! One pass over a data file into mergeable sums: the seam between reading and estimating.

use crate::codebook::Codebook;
use crate::error::{DataProblems, Error, Result};
use crate::input::{scan, ScanOptions};
use crate::stats::accumulate::{merge, Partial};
use crate::stats::{Accumulator, Layout, Sums};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Drop rows with problems (each reported) instead of refusing the file.
    pub skip_invalid: bool,
    /// Treat codebook columns absent from the file as "not asked" (batch behaviour).
    pub allow_absent: bool,
    /// A progress bar to advance (drawn only on a terminal).
    pub progress: Option<indicatif::ProgressBar>,
    /// The worksheet of an Excel workbook (default: the first).
    pub sheet: Option<String>,
}

/// The sums of one file and what the pass saw.
pub struct Analysis {
    pub path: PathBuf,
    pub sums: Sums,
    pub rows_read: u64,
    pub rows_used: u64,
    /// Problems of the rows left out (only with `skip_invalid`).
    pub skipped: DataProblems,
    /// Codebook columns absent from the file (only with `allow_absent`).
    pub absent_columns: Vec<String>,
    /// Variables whose columns are absent (not asked in this file).
    pub absent_variables: Vec<usize>,
    /// Header columns the codebook does not use (ignored).
    pub unused_columns: Vec<String>,
    /// (bins variable, rows whose source value fell outside every bin).
    pub outside_bins: Vec<(usize, u64)>,
    /// What the reader did that a user should know (columns renamed, ...); printed as warnings.
    pub input_notes: Vec<String>,
}

/// Read `path` once and accumulate the sums of `tables` (indices into `codebook.tables`), with
/// extra crossed groupings (`crossings`, lists of variable indices) kept for every table.
pub fn analyse(
    path: &Path,
    codebook: &Codebook,
    tables: &[usize],
    crossings: &[Vec<usize>],
    opts: RunOptions,
) -> Result<Analysis> {
    let layout = Layout::new(codebook, tables, crossings);
    let scan_opts = ScanOptions {
        allow_absent: opts.allow_absent,
        progress: opts.progress.clone(),
        sheet: opts.sheet.clone(),
    };
    let scan = scan(path, codebook, scan_opts, || Accumulator::new(&layout))?;
    // A runaway quote hides how many respondents it swallowed: never left out silently.
    if scan.problems.total > 0 && (!opts.skip_invalid || scan.unskippable > 0) {
        return Err(Error::Data(Box::new(scan.problems)));
    }
    if scan.rows_valid == 0 {
        return Err(Error::data_file(
            path,
            "no valid rows: every row has a problem",
        ));
    }
    let clustered = scan.plan.has_clusters();
    let parts: Vec<Partial<'_>> = scan
        .lanes
        .into_iter()
        .map(|lane| {
            let unit_keys = if clustered {
                lane.units
                    .psus()
                    .iter()
                    .map(|(s, k)| (lane.units.strata()[*s as usize].clone(), k.clone()))
                    .collect()
            } else {
                lane.units
                    .strata()
                    .iter()
                    .map(|s| (s.clone(), Vec::new()))
                    .collect()
            };
            Partial {
                acc: lane.sink,
                unit_keys,
            }
        })
        .collect();
    let sums = merge(&layout, &parts, clustered, codebook.design.is_some());
    let absent_variables = (0..codebook.variables.len())
        .filter(|&v| scan.plan.is_absent(v))
        .collect();
    let outside_bins = scan
        .outside_bins
        .iter()
        .enumerate()
        .filter(|(_, &n)| n > 0)
        .map(|(v, &n)| (v, n))
        .collect();
    Ok(Analysis {
        path: path.to_path_buf(),
        sums,
        rows_read: scan.rows_read,
        rows_used: scan.rows_valid,
        skipped: scan.problems,
        absent_columns: scan.absent_columns,
        absent_variables,
        unused_columns: scan.plan.unused_columns.clone(),
        outside_bins,
        input_notes: scan.notes,
    })
}
