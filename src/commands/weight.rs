//! `enquete weight`: every respondent's final weight (the design weight calibrated to the
//! population of `[weighting]`), to hand the weights to others.

use super::{run_options, warn_about, Globals};
use crate::analysis::{analyse, respondent_weights};
use crate::cli::WeightArgs;
use crate::error::{Error, ExitCode, Result};

pub fn run(args: &WeightArgs, g: &Globals) -> Result<ExitCode> {
    let codebook = super::load_data_codebook(&args.data, g)?;
    if codebook.weighting.is_none() && codebook.design.is_none() {
        return Err(Error::Usage(format!(
            "{}: no [weighting] or [design]: every respondent would weigh 1",
            args.data.codebook.display()
        )));
    }
    let run = run_options(&args.data, args.skip_invalid, g);
    let analysis = analyse(&args.data.data, &codebook, &[], &[], run.clone())?;
    warn_about(&codebook, &analysis);
    let rows = respondent_weights(&analysis, &codebook, run)?;
    let id_name = codebook
        .id
        .clone()
        .unwrap_or_else(|| analysis.first_column.clone());
    let delimiter = codebook.format.delimiter;
    let decimal = codebook.format.decimal as char;
    super::emit(
        args.out.as_deref(),
        &[&args.data.data, &args.data.codebook],
        |w| {
            let mut out = csv::WriterBuilder::new()
                .delimiter(delimiter)
                .from_writer(w);
            // Ids come from the data file: text that could run as a formula is quoted.
            use crate::text::escape::csv_text;
            out.write_record([&*csv_text(&id_name), "gewicht"])?;
            for r in &rows {
                let weight = crate::text::num(r.weight).replace('.', &decimal.to_string());
                out.write_record([&*csv_text(&r.id), weight.as_str()])?;
            }
            out.flush()
        },
    )?;
    eprintln!(
        "wrote the final weights of {} respondents{}",
        rows.len(),
        args.out
            .as_ref()
            .map_or(String::new(), |p| format!(" to {}", p.display()))
    );
    Ok(ExitCode::Ok)
}
