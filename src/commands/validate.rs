//! `enquete validate`: read the whole file, report every problem, summarise.

use crate::analysis::{finish, scan_sums};
use crate::cli::ValidateArgs;
use crate::codebook::Codebook;
use crate::error::{ExitCode, Result};
use crate::input::Scan;
use crate::stats::{Accumulator, Layout};

/// Read the file, list its problems and, when it has none, weight it as `report` would: a
/// weighting the population cannot be reached with fails here too (exit 2), and its warnings
/// are shown.
pub fn run(args: &ValidateArgs, g: &super::Globals) -> Result<ExitCode> {
    let codebook = super::load_data_codebook(&args.data, g)?;
    let opts = super::run_options(&args.data, false, g);
    // No tables: the pass keeps only what the design and the weighting need.
    let layout = Layout::new(&codebook, &[], &[]);
    let scan = scan_sums(&args.data.data, &codebook, &layout, &opts)?;
    let path = args.data.data.display();
    for n in &scan.notes {
        println!("{path}: note: {n}");
    }
    if scan.problems.total > 0 {
        println!("{}", scan.problems);
    }
    for c in &scan.absent_columns {
        println!("{path}: column '{c}' is not in the file (treated as not asked)");
    }
    for (v, &n) in scan.outside_bins.iter().enumerate() {
        if n > 0 {
            println!(
                "{path}: note: {n} respondent{} outside every bin of '{}'",
                if n == 1 { "" } else { "s" },
                codebook.variables[v].name
            );
        }
    }
    println!(
        "{path}: {} rows read, {} valid, {} with problems; {} columns; {}",
        scan.rows_read,
        scan.rows_valid,
        scan.invalid_rows,
        scan.plan.header.len(),
        design(&codebook, &scan)
    );
    if scan.problems.total > 0 {
        return Ok(ExitCode::DataProblems);
    }
    let analysis = finish(&args.data.data, &codebook, &layout, scan, &opts)?;
    if let Some(w) = &analysis.weighting {
        println!(
            "{path}: weighting ({}, {}): {} iteration{}; g from {} to {}; design effect of weighting {}",
            w.method,
            w.variables.join(", "),
            w.iterations,
            if w.iterations == 1 { "" } else { "s" },
            crate::text::num(round3(w.g_min)),
            crate::text::num(round3(w.g_max)),
            crate::text::num(round3(w.deff_weighting))
        );
        for warning in &w.warnings {
            println!("{path}: warning: weighting: {warning}");
        }
    }
    Ok(ExitCode::Ok)
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// The design in words: weights, strata and PSUs seen.
fn design(codebook: &Codebook, scan: &Scan<Accumulator<'_>>) -> String {
    let strata: std::collections::BTreeSet<&Vec<u8>> = scan
        .lanes
        .iter()
        .flat_map(|l| l.units.strata().iter())
        .collect();
    match &codebook.design {
        None => "unweighted".to_string(),
        Some(d) => {
            let mut s = match &d.weight {
                Some(w) => format!("weighted by '{w}'"),
                None => "design without weights".to_string(),
            };
            if let Some(st) = &d.strata {
                s.push_str(&format!(", {} strata in '{st}'", strata.len()));
            }
            if let Some(c) = &d.cluster {
                let psus: std::collections::BTreeSet<(Vec<u8>, Vec<u8>)> = scan
                    .lanes
                    .iter()
                    .flat_map(|l| {
                        l.units
                            .psus()
                            .iter()
                            .map(|(s, k)| (l.units.strata()[*s as usize].clone(), k.clone()))
                    })
                    .collect();
                s.push_str(&format!(", {} PSUs in '{c}'", psus.len()));
            }
            s
        }
    }
}
