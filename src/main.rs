//! The `enquete` binary: parse arguments, run a command, map errors to exit codes.

use clap::Parser;
use enquete::{cli::Cli, commands, Error, ExitCode};

fn main() {
    let cli = Cli::parse();
    let code = match commands::run(cli) {
        Ok(code) => code,
        // A closed pipe (`enquete crosstab ... | head`) is not an error.
        Err(Error::Write { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe => {
            ExitCode::Ok
        }
        Err(e) => {
            eprintln!("error: {e}");
            e.exit_code()
        }
    };
    std::process::exit(code as i32);
}
