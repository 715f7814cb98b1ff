//! `enquete codebook`: draft a codebook from a data file.

use crate::cli::CodebookArgs;
use crate::draft::csv::draft_csv;
use crate::error::{ExitCode, Result};

pub fn run(args: &CodebookArgs) -> Result<ExitCode> {
    let draft = if crate::input::spss::is_spss(&args.data) {
        crate::draft::spss::draft_spss(&args.data)?
    } else {
        draft_csv(&args.data)?
    };
    let text = draft.to_toml();
    super::emit(args.output.as_deref(), |w| w.write_all(text.as_bytes()))?;
    Ok(ExitCode::Ok)
}
