//! `enquete codebook`: draft a codebook from a data file.

use crate::cli::CodebookArgs;
use crate::draft::csv::{draft_csv, CsvOptions};
use crate::error::{Error, ExitCode, Result};

pub fn run(args: &CodebookArgs) -> Result<ExitCode> {
    let draft = if crate::input::spss::is_spss(&args.data) {
        // An SPSS file says how its values are written; a CSV option would be ignored silently.
        if args.delimiter.is_some() || args.decimal.is_some() {
            return Err(Error::Usage(format!(
                "{}: --delimiter and --decimal are for CSV files; this is an SPSS file",
                args.data.display()
            )));
        }
        crate::draft::spss::draft_spss(&args.data)?
    } else {
        // The draft takes the input the format check opened (a pipe's first bytes included).
        let options = CsvOptions {
            delimiter: args.delimiter,
            decimal: args.decimal,
        };
        draft_csv(&args.data, &options)?
    };
    let text = draft.to_toml();
    super::emit(args.output.as_deref(), |w| w.write_all(text.as_bytes()))?;
    Ok(ExitCode::Ok)
}
