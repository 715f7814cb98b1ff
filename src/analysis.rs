//! One pass over a data file into mergeable sums: the seam between reading and estimating.

use crate::codebook::Codebook;
use crate::error::{DataProblems, Error, Result};
use crate::input::{scan, Scan, ScanOptions};
use crate::stats::accumulate::{merge, Partial};
use crate::stats::calibrate::calibrate_sums;
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
    /// Per table of the layout: the absent variable its filter reads, if any (the table is then
    /// not asked: its sums are empty).
    pub filter_absent: Vec<Option<String>>,
    /// Header columns the codebook does not use (ignored).
    pub unused_columns: Vec<String>,
    /// (bins variable, rows whose source value fell outside every bin).
    pub outside_bins: Vec<(usize, u64)>,
    /// What the reader did that a user should know (columns renamed, ...); printed as warnings.
    pub input_notes: Vec<String>,
    /// The weighting's diagnostics, when the codebook calibrates.
    pub weighting: Option<crate::stats::calibrate::WeightingReport>,
    /// The name of the file's first column (the default respondent id).
    pub first_column: String,
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
    let mut layout = Layout::new(codebook, tables, crossings);
    layout.max_lane_sums = max_lane_sums();
    let scan = scan_sums(path, codebook, &layout, &opts)?;
    finish(path, codebook, &layout, scan, &opts)
}

/// The pass itself: every valid row into its lane's sums, every problem collected.
pub fn scan_sums<'a>(
    path: &Path,
    codebook: &Codebook,
    layout: &'a Layout,
    opts: &RunOptions,
) -> Result<Scan<Accumulator<'a>>> {
    let scan_opts = ScanOptions {
        keep_id: false,
        allow_absent: opts.allow_absent,
        progress: opts.progress.clone(),
        sheet: opts.sheet.clone(),
    };
    Ok(scan(path, codebook, scan_opts, || {
        Accumulator::new(layout)
    })?)
}

/// After the pass: refuse a file with problems (unless they may be skipped), merge the lanes,
/// check the sums and the fpc, and calibrate.
pub fn finish(
    path: &Path,
    codebook: &Codebook,
    layout: &Layout,
    scan: Scan<Accumulator<'_>>,
    opts: &RunOptions,
) -> Result<Analysis> {
    // A runaway quote hides how many respondents it swallowed: never left out silently.
    if scan.problems.total > 0 && (!opts.skip_invalid || scan.unskippable > 0) {
        return Err(Error::data(scan.problems));
    }
    if scan.rows_valid == 0 {
        return Err(Error::data_file(
            path,
            "no valid rows: every row has a problem",
        ));
    }
    let strata_fpc: Vec<(Vec<u8>, f64, u64)> = scan
        .lanes
        .iter()
        .flat_map(|lane| {
            lane.units
                .strata()
                .iter()
                .zip(lane.units.strata_fpc())
                .map(|(k, &(n, line))| (k.clone(), n, line))
        })
        .collect();
    let clustered = scan.plan.has_clusters();
    let mut parts: Vec<Partial<'_>> = scan
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
    if parts.iter().any(|p| p.acc.too_large) {
        return Err(too_large(codebook, layout));
    }
    let mut sums = merge(layout, &mut parts, clustered, codebook.design.is_some());
    let absent_variables: Vec<usize> = (0..codebook.variables.len())
        .filter(|&v| scan.plan.is_absent(v))
        .collect();
    let filter_absent = filters_on_absent(codebook, &mut sums, &absent_variables)?;
    check_finite(path, codebook, &sums)?;
    apply_fpc(path, &mut sums, &strata_fpc)?;
    check_weighting_columns(path, codebook, &scan.plan)?;
    let weighting = match &codebook.weighting {
        Some(spec) => {
            Some(calibrate_sums(spec, &codebook.variables, &mut sums).map_err(Error::Weighting)?)
        }
        None => None,
    };
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
        filter_absent,
        unused_columns: scan.plan.unused_columns.clone(),
        outside_bins,
        weighting,
        first_column: scan.plan.header.first().cloned().unwrap_or_default(),
        input_notes: scan.notes,
    })
}

/// A filter that reads a variable whose column is absent (with `--allow-absent`, and in every
/// batch year without it) cannot form its subpopulation: every test on the variable would be
/// false, so `info == "1"` would leave nobody and `not (info == "1")` everybody. A table's
/// filter makes that table not asked (its sums emptied, its rows say why); the codebook's own
/// filter, which every table has, is an error.
fn filters_on_absent(
    codebook: &Codebook,
    sums: &mut Sums,
    absent: &[usize],
) -> Result<Vec<Option<String>>> {
    let reads_absent = |f: &crate::codebook::Filter| {
        let mut vars = Vec::new();
        f.variables(&mut vars);
        vars.into_iter()
            .find(|v| absent.contains(v))
            .map(|v| codebook.variables[v].name.clone())
    };
    if let Some(v) = codebook.filter.as_ref().and_then(|f| reads_absent(&f.0)) {
        return Err(Error::Usage(format!(
            "the codebook's filter reads '{}', whose column is absent from this file: no table \
             can be made without it; give the file the column, or a codebook without that filter",
            crate::text::escape::terminal(&v)
        )));
    }
    let mut out = Vec::new();
    for pos in 0..sums.layout.tables.len() {
        let table = &codebook.tables[sums.layout.tables[pos].table];
        let v = table.filter.as_ref().and_then(|f| reads_absent(&f.0));
        if v.is_some() {
            sums.clear_table(pos);
        }
        out.push(v);
    }
    Ok(out)
}

/// The most f64s of sums a lane may hold: [`MAX_LANE_SUMS`](crate::stats::accumulate::MAX_LANE_SUMS),
/// or less where `ENQUETE_MAX_SUMS_MIB` says so (a machine with less memory; tests).
fn max_lane_sums() -> usize {
    let most = crate::stats::accumulate::MAX_LANE_SUMS;
    std::env::var("ENQUETE_MAX_SUMS_MIB")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .map_or(most, |mib| (mib << 20 >> 3).min(most))
}

/// The sums of a pass outgrew what one pass may hold: name the largest table.
fn too_large(codebook: &Codebook, layout: &Layout) -> Error {
    let largest = layout
        .tables
        .iter()
        .max_by_key(|t| t.size())
        .map(|t| crate::text::escape::terminal(&codebook.tables[t.table].name).into_owned())
        .unwrap_or_default();
    let mib = (layout.max_lane_sums * 8) >> 20;
    let memory = match mib % 1024 {
        0 => format!("{} GiB", mib >> 10),
        _ => format!("{mib} MiB"),
    };
    Error::Usage(format!(
        "the tables' sums would need more than {memory} of memory: they are kept per stratum (per \
         PSU with clusters) and calibration cell, for every figure of every table, and this design \
         has too many of those for the tables asked (the largest: '{largest}'); report fewer \
         tables at a time (crosstab -t), break them down by fewer or coarser variables, or merge \
         categories with a recode"
    ))
}

/// Every sum must be finite: weights are capped, but a large weight times a large value can
/// still overflow a sum of squares, and a silent infinity would print as 0% or NaN.
fn check_finite(path: &Path, codebook: &Codebook, sums: &Sums) -> Result<()> {
    for (pos, t) in sums.layout.tables.iter().enumerate() {
        if sums.table_values(pos).any(|x| !x.is_finite()) {
            return Err(Error::data_file(
                path,
                format!(
                    "the sums of table '{}' overflow: its weights or values are too large for 64-bit arithmetic; divide the weights (or the variable's values) by a constant",
                    codebook.tables[t.table].name
                ),
            ));
        }
    }
    if sums.all.iter().flatten().any(|x| x.is_nan()) {
        return Err(Error::data_file(
            path,
            "the sums of the weights overflow: divide the weights by a constant",
        ));
    }
    Ok(())
}

/// The population size of each stratum (`[design] fpc`): the same in every lane, and at least
/// the stratum's sample size.
fn apply_fpc(path: &Path, sums: &mut Sums, strata_fpc: &[(Vec<u8>, f64, u64)]) -> Result<()> {
    let d = &mut sums.design;
    for (key, n, line) in strata_fpc.iter().filter(|f| !f.1.is_nan()) {
        let name = String::from_utf8_lossy(key);
        let Some(h) = d.stratum_keys.iter().position(|k| *k == name) else {
            continue; // a stratum seen only on rows with problems
        };
        let seen = d.stratum_fpc[h];
        if seen.is_finite() && seen != *n {
            return Err(Error::data_file(
                path,
                format!(
                    "line {line}: the fpc of stratum '{name}' is {}, but other rows give {}: an fpc must be constant within a stratum",
                    crate::text::num(*n),
                    crate::text::num(seen)
                ),
            ));
        }
        d.stratum_fpc[h] = *n;
    }
    for h in 0..d.n_strata() {
        let (n_h, big_n) = (d.stratum_n[h], d.stratum_fpc[h]);
        if big_n.is_finite() && big_n < n_h {
            return Err(Error::data_file(
                path,
                format!(
                    "stratum '{}' has {} sampled {} but an fpc (population size) of {}: the population cannot be smaller than the sample",
                    d.stratum_keys[h],
                    crate::text::num(n_h),
                    if d.clustered { "PSUs" } else { "respondents" },
                    crate::text::num(big_n)
                ),
            ));
        }
    }
    Ok(())
}

/// Weighting variables must be in the file, even in a batch that allows absent columns.
fn check_weighting_columns(
    path: &Path,
    codebook: &Codebook,
    plan: &crate::input::Plan,
) -> Result<()> {
    let Some(w) = &codebook.weighting else {
        return Ok(());
    };
    for &v in &w.variables {
        if plan.is_absent(v) {
            return Err(Error::header(
                path,
                format!(
                    "the file lacks weighting variable '{}' ([weighting] variables)",
                    codebook.variables[v].name
                ),
            ));
        }
    }
    Ok(())
}

/// One respondent's final weight, with its line and id.
#[derive(Debug, Clone, PartialEq)]
pub struct RespondentWeight {
    pub line: u64,
    pub id: String,
    pub weight: f64,
}

/// Collects (line, id, calibration cell key, design weight) of every valid row.
struct WeightSink<'a> {
    cells: &'a crate::stats::cells::CellAxis,
    rows: Vec<(u64, Vec<u8>, u128, f64)>,
}

impl crate::input::RowSink for WeightSink<'_> {
    fn row(&mut self, row: &crate::input::DecodedRow) {
        let key = self.cells.key_of(row);
        self.rows.push((row.line, row.id.clone(), key, row.weight));
    }
}

/// Every respondent's final weight (design weight × g of its calibration cell), in file order:
/// a second pass over the file, after `analysis` calibrated the weights.
pub fn respondent_weights(
    analysis: &Analysis,
    codebook: &Codebook,
    opts: RunOptions,
) -> Result<Vec<RespondentWeight>> {
    // A second pass needs a file: a pipe was read to its end by the first.
    if std::fs::metadata(&analysis.path).is_ok_and(|m| !m.is_file()) {
        return Err(Error::Usage(format!(
            "{}: the final weights need a second pass over the data, which a pipe cannot give; save the data to a file first",
            analysis.path.display()
        )));
    }
    let scan_opts = ScanOptions {
        keep_id: true,
        allow_absent: opts.allow_absent,
        progress: opts.progress.clone(),
        sheet: opts.sheet.clone(),
    };
    let cells = &analysis.sums.layout.cells;
    let scan = scan(&analysis.path, codebook, scan_opts, || WeightSink {
        cells,
        rows: Vec::new(),
    })?;
    if scan.problems.total > 0 && !opts.skip_invalid {
        return Err(Error::data(scan.problems));
    }
    let g = analysis.sums.design.calibration.as_ref().map(|f| &f.g);
    let keys = &analysis.sums.cell_keys;
    // The same rows as the first pass, so every key is one of its cells.
    let g_of = |key: u128| g.map_or(1.0, |g| keys.binary_search(&key).map_or(f64::NAN, |c| g[c]));
    let mut out: Vec<RespondentWeight> = scan
        .lanes
        .into_iter()
        .flat_map(|l| l.sink.rows)
        .map(|(line, id, key, d)| RespondentWeight {
            line,
            id: String::from_utf8_lossy(&id).into_owned(),
            weight: d * g_of(key),
        })
        .collect();
    out.sort_by_key(|r| r.line);
    Ok(out)
}
