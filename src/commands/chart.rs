//! `enquete chart`: one chart of one table, as SVG or PNG.

use super::{find_table, presentation, run_options, warn_about, Globals};
use crate::analysis::analyse;
use crate::charts::{self, fonts::Typeface};
use crate::cli::ChartArgs;
use crate::error::{Error, ExitCode, Result};
use crate::fsutil::write_atomic;
use crate::naming::{chart_stem, means_chart_stem};
use crate::report::{design_facts, report_crossings, table_result, Document};
use crate::stats::Breakdown;

pub fn run(args: &ChartArgs, g: &Globals) -> Result<ExitCode> {
    let codebook = super::load_data_codebook(&args.data, g)?;
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
    let by = match &args.by {
        None => Breakdown::Total,
        Some(name) => {
            let known = table
                .single_by()
                .any(|b| codebook.variables[b].name == *name);
            if !known {
                let names: Vec<&str> = table
                    .single_by()
                    .map(|b| codebook.variables[b].name.as_str())
                    .collect();
                return Err(Error::Usage(format!(
                    "--by {name}: table '{}' breaks down by {}",
                    table.name,
                    if names.is_empty() {
                        "nothing".to_string()
                    } else {
                        names.join(", ")
                    }
                )));
            }
            Breakdown::by(name)
        }
    };
    let presentation = presentation(&codebook, &args.estimate, g)?;
    let run = run_options(&args.data, args.estimate.skip_invalid, g);
    let analysis = analyse(
        &args.data.data,
        &codebook,
        &[t],
        &report_crossings(&codebook),
        run,
    )?;
    warn_about(&codebook, &analysis);
    let results = vec![table_result(
        &codebook,
        &analysis,
        t,
        &presentation,
        &mut Vec::new(),
    )];
    let doc = Document {
        codebook: &codebook,
        presentation,
        design: design_facts(&codebook, &analysis),
        source: args.data.data.display().to_string(),
        rows_read: analysis.rows_read,
        rows_used: analysis.rows_used,
        results: &results,
        charts: Vec::new(),
        weighting: analysis.weighting.as_ref(),
        supplements: Default::default(),
    };
    // A numeric question's breakdowns share its chart of means, except those with many groups,
    // which get a dot plot of their own.
    let specs = charts::table_charts(&doc, t, &results[0]);
    let own = chart_stem(&table.name, &by);
    let stem =
        if codebook.variables[table.rows].is_numeric() && !specs.iter().any(|s| s.stem == own) {
            means_chart_stem(&table.name)
        } else {
            own
        };
    let spec = specs.iter().find(|s| s.stem == stem).ok_or_else(|| {
        Error::Usage(format!(
            "table '{}': nothing to draw for that grouping",
            table.name
        ))
    })?;
    let svg = charts::svg(spec, &Typeface::embedded())?;
    crate::fsutil::check_not_input(&args.out, &[&args.data.data, &args.data.codebook])?;
    if ext == "svg" {
        write_atomic(&args.out, |w| w.write_all(svg.as_bytes()))?;
    } else {
        let png = charts::png(spec, &svg, std::sync::Arc::new(charts::raster::font_db()))?;
        write_atomic(&args.out, |w| w.write_all(&png))?;
    }
    Ok(ExitCode::Ok)
}
