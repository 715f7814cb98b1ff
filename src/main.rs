//! The `enquete` binary: parse arguments, run a command, map errors to exit codes.

use clap::Parser;
use enquete::{cli::Cli, commands, Error, ExitCode};

fn main() {
    // First, before any thread starts: SIGINT/SIGTERM then remove every temporary file and
    // folder and exit with 130/143 (see README, exit codes).
    enquete::fsutil::cleanup::install_signal_handlers();
    let cli = Cli::parse();
    let code = match commands::run(cli) {
        Ok(code) => code,
        // A closed pipe (`enquete crosstab ... | head`) is not an error.
        Err(Error::Output(enquete::fsutil::Error::Write { source, .. }))
            if source.kind() == std::io::ErrorKind::BrokenPipe =>
        {
            ExitCode::Ok
        }
        Err(e) => {
            eprintln!("error: {}", printable(&e.to_string()));
            e.exit_code()
        }
    };
    std::process::exit(code as i32);
}

/// A message as a terminal may show it: control and bidirectional-format characters other than
/// line breaks and tabs (an escape sequence in a codebook value quoted by a parser, a U+202E in
/// a filter) written as `\u{..}`.
fn printable(message: &str) -> String {
    enquete::text::escape::terminal_message(message).into_owned()
}
