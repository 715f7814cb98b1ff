//! `enquete codebook`: draft a codebook from a data file.

use crate::cli::CodebookArgs;
use crate::draft::csv::{draft_csv, CsvOptions};
use crate::error::{Error, ExitCode, Result};
use crate::input::Kind;

pub fn run(args: &CodebookArgs) -> Result<ExitCode> {
    let kind = crate::input::source::kind(&args.data)?;
    let path = args.data.display();
    // A file that says how its values are written would ignore a CSV option silently.
    if kind != Kind::Csv && (args.delimiter.is_some() || args.decimal.is_some()) {
        return Err(Error::Usage(format!(
            "{path}: --delimiter and --decimal are for CSV files; this is a {} file",
            kind.name()
        )));
    }
    if kind != Kind::Xlsx && args.sheet.is_some() {
        return Err(Error::Usage(format!(
            "--sheet applies to Excel workbooks (.xlsx); {path} is a {} file",
            kind.name()
        )));
    }
    let draft = match kind {
        Kind::Spss => crate::draft::spss::draft_spss(&args.data)?,
        Kind::Xlsx | Kind::Parquet => {
            crate::draft::records::draft_records(&args.data, kind, args.sheet.as_deref())?
        }
        // The draft takes the input the format check opened (a pipe's first bytes included).
        Kind::Csv => draft_csv(
            &args.data,
            &CsvOptions {
                delimiter: args.delimiter,
                decimal: args.decimal,
            },
        )?,
    };
    let languages = args.languages.as_ref().map_or(&[][..], |l| &l.0[..]);
    let text = draft.to_toml_in(languages);
    // Never a draft that enquete would refuse to read back.
    if text.len() as u64 > crate::codebook::MAX_CODEBOOK {
        return Err(crate::error::Error::Usage(format!(
            "{}: the draft would be {:.1} MiB, more than the {} MiB a codebook may have ({} \
             columns described); draft from a file with only the columns you need",
            args.data.display(),
            text.len() as f64 / (1 << 20) as f64,
            crate::codebook::MAX_CODEBOOK >> 20,
            draft.variables.len()
        )));
    }
    super::emit(args.output.as_deref(), &[&args.data], |w| {
        w.write_all(text.as_bytes())
    })?;
    Ok(ExitCode::Ok)
}
