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
        // The CSV draft reads the file by its path again: from a pipe, what the format check
        // already read would be missing, so refuse rather than draft from a cut header.
        if std::fs::metadata(&args.data).is_ok_and(|m| !m.is_file()) {
            return Err(Error::Usage(format!(
                "{}: a codebook draft of CSV data needs a regular file, not a pipe; save the data to a file first",
                args.data.display()
            )));
        }
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
