//! `enquete validate`: read the whole file, report every problem, summarise.

use crate::cli::ValidateArgs;
use crate::error::{ExitCode, Result};
use crate::input::{scan, ScanOptions};

pub fn run(args: &ValidateArgs, g: &super::Globals) -> Result<ExitCode> {
    let codebook = super::load_codebook_for(&args.data.codebook, &args.data.data, g)?;
    let opts = ScanOptions {
        keep_id: false,
        allow_absent: args.data.allow_absent,
        progress: g.progress.then(|| crate::progress::bytes_bar(0, "reading")),
        sheet: args.data.sheet.clone(),
    };
    let scan = scan(&args.data.data, &codebook, opts, || ())?;
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
    let strata: std::collections::BTreeSet<&Vec<u8>> = scan
        .lanes
        .iter()
        .flat_map(|l| l.units.strata().iter())
        .collect();
    let design = match &codebook.design {
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
    };
    println!(
        "{path}: {} rows read, {} valid, {} with problems; {} columns; {design}",
        scan.rows_read,
        scan.rows_valid,
        scan.invalid_rows,
        scan.plan.header.len()
    );
    Ok(if scan.problems.total > 0 {
        ExitCode::DataProblems
    } else {
        ExitCode::Ok
    })
}
