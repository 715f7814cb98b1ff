//! `enquete generate`: write a synthetic Inwonersenquête file.

use crate::cli::GenerateArgs;
use crate::error::{Error, ExitCode, Result};
use crate::fsutil::write_atomic;
use crate::generate::write_sample;

pub fn run(args: &GenerateArgs) -> Result<ExitCode> {
    if !(2000..=2100).contains(&args.year) {
        return Err(Error::Usage(format!(
            "--year {} is not a plausible survey year",
            args.year
        )));
    }
    match &args.out {
        Some(path) => write_atomic(path, |w| write_sample(w, args.rows, args.seed, args.year))?,
        None => {
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::new(stdout.lock());
            write_sample(&mut w, args.rows, args.seed, args.year)
                .map_err(|e| Error::write(std::path::Path::new("<stdout>"), e))?;
        }
    }
    Ok(ExitCode::Ok)
}
