//! `enquete chart`: one chart of one table, as SVG or PNG.

use super::{estimate_options, find_table, run_options, warn_about};
use crate::analysis::analyse;
use crate::charts::{self, fonts::Typeface, raster, Source};
use crate::cli::ChartArgs;
use crate::error::{Error, ExitCode, Result};
use crate::fsutil::write_atomic;

pub fn run(args: &ChartArgs, progress: bool) -> Result<ExitCode> {
    let codebook = super::load_codebook(&args.data.codebook, &args.data.data)?;
    let t = find_table(&codebook, &args.table, &args.data.codebook)?;
    let table = &codebook.tables[t];
    let ext = args
        .out
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if ext != "svg" && ext != "png" {
        return Err(Error::Usage(format!(
            "--out {}: the file name must end in .svg or .png",
            args.out.display()
        )));
    }
    if let Some(by) = &args.by {
        let known = table.by.iter().any(|&b| codebook.variables[b].name == *by);
        if !known {
            let names: Vec<&str> = table
                .by
                .iter()
                .map(|&b| codebook.variables[b].name.as_str())
                .collect();
            return Err(Error::Usage(format!(
                "--by {by}: table '{}' breaks down by {}",
                table.name,
                if names.is_empty() {
                    "nothing".to_string()
                } else {
                    names.join(", ")
                }
            )));
        }
    }
    let opts = estimate_options(&codebook, &args.estimate)?;
    let run = run_options(args.estimate.skip_invalid, args.data.allow_absent, progress);
    let crossings = super::report::report_crossings(&codebook);
    let analysis = analyse(&args.data.data, &codebook, &[t], &crossings, run)?;
    warn_about(&codebook, &analysis);
    let estimates = crate::stats::estimate_table(&codebook, &analysis.sums, 0, opts);
    let mut comparisons = Vec::new();
    for spec in super::report::comparison_specs(&codebook, t, opts.level) {
        if let Ok(rows) = crate::stats::compare_table(&codebook, &analysis.sums, 0, spec) {
            comparisons.extend(rows);
        }
    }
    let source = Source {
        line: super::report::chart_source_line(&codebook, &analysis),
    };
    let specs = charts::table_charts(&codebook, t, &estimates, &comparisons, &source);
    let suffix = match &args.by {
        _ if codebook.variables[table.rows].is_numeric() => "gemiddelden".to_string(),
        None => "totaal".to_string(),
        Some(by) => super::report::file_stem(by),
    };
    let spec = specs
        .iter()
        .find(|s| s.stem.ends_with(&format!("-{suffix}")))
        .ok_or_else(|| {
            Error::Usage(format!(
                "table '{}': nothing to draw for that grouping",
                table.name
            ))
        })?;
    let svg = charts::svg(spec, &Typeface::embedded())?;
    if ext == "svg" {
        write_atomic(&args.out, |w| w.write_all(svg.as_bytes()))?;
    } else {
        let tree = raster::parse(&svg, std::sync::Arc::new(raster::font_db()))
            .map_err(|e| Error::Usage(format!("chart: {e}")))?;
        let png = raster::render_png(&tree, charts::WIDTH)
            .map_err(|e| Error::Usage(format!("chart: {e}")))?;
        write_atomic(&args.out, |w| w.write_all(&png))?;
    }
    Ok(ExitCode::Ok)
}
