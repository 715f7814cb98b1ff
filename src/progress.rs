//! Progress bars on stderr. indicatif draws nothing when stderr is not a terminal, so logs and
//! CI output never contain control characters.

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// A bar over the bytes of one input file.
pub fn bytes_bar(total: u64, name: &str) -> ProgressBar {
    styled_bytes_bar(
        ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr()),
        name,
    )
}

/// Style a bar for bytes. (Styling a bar before it joins a MultiProgress would draw it outside
/// the multi's control, so batch bars are styled while hidden and then added.)
fn styled_bytes_bar(bar: ProgressBar, name: &str) -> ProgressBar {
    if let Ok(style) =
        ProgressStyle::with_template("{msg} [{bar:30}] {bytes}/{total_bytes} ({bytes_per_sec})")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(name.to_string());
    bar
}

/// Progress for a batch: one bar per input and an overall bar on a terminal; plain lines (no
/// control characters) otherwise.
pub struct Reporter {
    multi: Option<MultiProgress>,
}

impl Reporter {
    pub fn new(enabled: bool) -> Self {
        let multi = (enabled && std::io::stderr().is_terminal())
            .then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr()));
        Reporter { multi }
    }

    /// A bar over one input's bytes, or none when bars are not drawn.
    pub fn bytes(&self, name: &str) -> Option<ProgressBar> {
        self.multi.as_ref().map(|m| {
            let bar = m.add(ProgressBar::hidden());
            styled_bytes_bar(bar, name)
        })
    }

    /// A bar counting items (e.g. years), or none.
    pub fn count(&self, total: u64, name: &str) -> Option<ProgressBar> {
        self.multi.as_ref().map(|m| {
            let bar = m.add(ProgressBar::hidden());
            bar.set_length(total);
            if let Ok(style) = ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len}") {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_message(name.to_string());
            bar
        })
    }

    /// A line of text that does not garble the bars.
    pub fn line(&self, msg: &str) {
        match &self.multi {
            Some(m) => {
                if m.println(msg).is_err() {
                    eprintln!("{msg}");
                }
            }
            None => eprintln!("{msg}"),
        }
    }
}
