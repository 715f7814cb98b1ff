//! `enquete codebook`: draft a codebook from a data file.

use crate::cli::CodebookArgs;
use crate::draft::csv::draft_csv;
use crate::error::{ExitCode, Result};

pub fn run(args: &CodebookArgs) -> Result<ExitCode> {
    let draft = if crate::input::spss::is_spss(&args.data) {
        crate::draft::spss::draft_spss(&args.data)?
    } else {
        // The CSV draft reads the file by its path again: from a pipe, what the format check
        // already read would be missing, so refuse rather than draft from a cut header.
        if std::fs::metadata(&args.data).is_ok_and(|m| !m.is_file()) {
            return Err(crate::error::Error::Usage(format!(
                "{}: a codebook draft of CSV data needs a regular file, not a pipe; save the data to a file first",
                args.data.display()
            )));
        }
        draft_csv(&args.data)?
    };
    let text = draft.to_toml();
    super::emit(args.output.as_deref(), |w| w.write_all(text.as_bytes()))?;
    Ok(ExitCode::Ok)
}
