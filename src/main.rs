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

/// A message as a terminal may show it: control characters other than line breaks and tabs
/// (an escape sequence in a codebook value quoted by a parser, say) written as `\u{..}`.
fn printable(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    for c in message.chars() {
        if c.is_control() && c != '\n' && c != '\t' {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}
